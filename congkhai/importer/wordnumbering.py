"""Word's list numbering, written out as printed ("1.", "a)", "II.", "+"), and the few OOXML helpers
the reader shares with it.

Split from :mod:`.docx` (the reader of paragraphs, tables and notes): how Word counts lists is a
concern of its own — lists of one definition count on from each other, a restart override starts
again, a definition linked to a list style takes that style's levels.
"""

from __future__ import annotations

import re
from typing import Any

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RT_NUMBERING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _attr(el: Any, name: str) -> str | None:
    return None if el is None else el.get(_w(name))


_FORMATS = {
    "decimal": lambda n: str(n),
    "decimalZero": lambda n: f"{n:02d}",
    "upperRoman": lambda n: _roman(n),
    "lowerRoman": lambda n: _roman(n).lower(),
    "upperLetter": lambda n: _letter(n).upper(),
    "lowerLetter": lambda n: _letter(n),
}


def _roman(n: int) -> str:
    if n >= 4000:  # no Roman numeral; and a corrupt start value (10**15) must not loop for ever
        return str(n)
    out = ""
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                       (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):  # fmt: skip
        while n >= value:
            out += sym
            n -= value
    return out


def _letter(n: int) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    if n > 26 * 30:  # "aaa…" 30 letters long already; a corrupt start value must not fill the memory
        return str(n)
    return letters[(n - 1) % 26] * ((n - 1) // 26 + 1) if n > 0 else ""


class _Numbering:
    """Word's list numbering. The lists (``w:num``) of one definition (``w:abstractNum``) count on
    from each other, as Word prints them, unless one restarts (``w:startOverride``); a definition
    that only links to a list style (``w:numStyleLink``) takes the levels of that style's list."""

    def __init__(self, document: Any, styles: Any = None) -> None:  # styles: docx._Styles
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.counter_of: dict[str, str] = {}  # numId → the key of the counters it advances
        root = _related_xml(document, RT_NUMBERING)
        if root is None:
            return
        abstract: dict[str, dict[int, tuple[int, str, str]]] = {}
        links: dict[str, str] = {}  # abstractNumId → the list style it links to
        for an in root.iter(_w("abstractNum")):
            an_id = _attr(an, "abstractNumId") or ""
            abstract[an_id] = {int(_attr(lvl, "ilvl") or 0): _level(lvl) for lvl in an.iter(_w("lvl"))}
            link = _attr(an.find(_w("numStyleLink")), "val")
            if link and not abstract[an_id]:
                links[an_id] = link
        of_num = {
            _attr(n, "numId") or "": _attr(n.find(_w("abstractNumId")), "val") or "" for n in root.iter(_w("num"))
        }
        for an_id, style_id in links.items():  # the style's numPr names a list whose definition has the levels
            num_pr = styles.num_pr(style_id) if styles is not None else None
            target = of_num.get(_attr(num_pr.find(_w("numId")), "val") or "") if num_pr is not None else None
            if target and target in abstract and target not in links:
                abstract[an_id] = abstract[target]
        for num in root.iter(_w("num")):
            num_id = _attr(num, "numId") or ""
            an_id = of_num.get(num_id, "")
            levels = dict(abstract.get(an_id, {}))
            restarts = False
            for override in num.iter(_w("lvlOverride")):
                ilvl = int(_attr(override, "ilvl") or 0)
                start = _attr(override.find(_w("startOverride")), "val")
                if start is not None and ilvl in levels:
                    _, fmt, text = levels[ilvl]
                    levels[ilvl] = (int(start), fmt, text)
                    restarts = True
            self.levels[num_id] = levels
            self.counter_of[num_id] = num_id if restarts or not an_id else "a" + an_id

    def prefix(self, num_id: str, ilvl: int) -> str:
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(self.counter_of.get(num_id, num_id), {})
        counters[ilvl] = counters.get(ilvl, levels[ilvl][0] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        _start, fmt, text = levels[ilvl]
        if fmt == "bullet":  # "+" and "-" kept as printed (a "+" is a sub-level); symbols become "-"
            return "+ " if text.strip() == "+" else "- "
        if fmt == "none":
            return ""

        def number(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            level = levels.get(k)
            value = counters.get(k, level[0] if level else 1)
            return _FORMATS.get(level[1] if level else "decimal", str)(value)

        rendered = re.sub(r"%([1-9])", number, text)
        return rendered + " " if rendered else ""


def _level(lvl: Any) -> tuple[int, str, str]:
    start = int(_attr(lvl.find(_w("start")), "val") or 1)
    fmt = _attr(lvl.find(_w("numFmt")), "val") or "decimal"
    text = _attr(lvl.find(_w("lvlText")), "val") or ""
    return start, fmt, text


def _related_xml(document: Any, reltype: str) -> Any:
    from lxml import etree

    for rel in document.part.rels.values():
        if rel.reltype == reltype and not rel.is_external:
            part = rel.target_part
            element = getattr(part, "element", None)
            if element is not None:
                return element
            return etree.fromstring(part.blob)
    return None
