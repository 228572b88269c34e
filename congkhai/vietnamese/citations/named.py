"""Documents cited by name or by event rather than by number: laws ("Luật Đất đai"), the
Constitution, congress resolutions ("Nghị quyết Đại hội … lần thứ XIII") and plenum
resolutions ("Nghị quyết Trung ương 4 khóa XII").

These follow a type word with no number-and-symbol after it; the scan tries them when the
numbered reading fails.
"""

from __future__ import annotations

import re

from congkhai.vietnamese.numbers import parse_number_symbol

from .anchors import NUMSYM_AT, TYPE_WORD_FULL, type_of
from .dates import ROMAN, YEAR
from .lexicon import LEXICONS, NAME_BAD_FIRST, NAME_STOP, NAME_STOP2, fold_same_length
from .record import Draft, clean
from .tail import read_tail
from .titles import read_title

_I = re.IGNORECASE

_NUM_AFTER_NAME = re.compile(r"\s{0,3},?\s{0,3}số\s{0,3}", _I)

_DAIHOI = re.compile(
    r"\s+đại\s+hội(?P<mid>(?:\s+[^\s,;:.()\[\]“”\"<>…]{1,30}){0,12}?)\s+"
    rf"(?:lần\s+thứ\s+(?P<n>[0-9]{{1,2}}(?![\w])|{ROMAN})|(?P<r>{ROMAN}))",
    _I,
)
_PLENUM = re.compile(
    r"\s+(?:hội\s+nghị\s+)?(?:lần\s+thứ\s+\w+\s+)?(?:ban\s+chấp\s+hành\s+)?(?:trung\s+ương|TW|TƯ)"
    r"(?:\s+đảng)?\s{0,2}(?:[0-9]{1,2}|lần\s+thứ\s+\w+)?\s{0,2},?\s{0,2}(?P<k>\(\s*)?(?:khóa|khoá)\s+"
    rf"(?P<t>{ROMAN})(?(k)\s*\))",
    _I,
)
_MORE_TERM = re.compile(rf"\s{{0,2}}(?:,|và)\s{{0,2}}(?P<t>{ROMAN})", _I)

_CONSTITUTION_LONG = re.compile(r"\s+nước\s+Cộng\s+h(?:òa|oà)\s+xã\s+hội\s+chủ\s+nghĩa\s+Việt\s+Nam", _I)

_NAME_WORD = re.compile(r"[^\S\n]{1,3}(?P<w>[^\s,;:.()\[\]“”\"<>…?!*/]+)")

_AFTER_PHAP = re.compile(r"(?:^|\W)pháp\s+$", _I)
_AMEND = re.compile(r"\s{1,3}sửa\s+đổi\s*,?\s*bổ\s+sung(?:\s+một\s+số\s+điều)?(?:\s+(?:của|tại))?(?!\w)", _I)
_INNER_LAW = re.compile(
    r"\s{0,3}(?:,|\svà)?\s{1,3}(?P<w>(?-i:Luật|LUẬT|Bộ\s+luật|BỘ\s+LUẬT|Pháp\s+lệnh|PHÁP\s+LỆNH))(?!\w)", _I
)


def _name_goes_on(norm: str, pos: int) -> bool:
    """Whether a lower-case word that cannot end a name follows: "Luật Giáo dục quốc phòng …"
    is not "Luật Giáo dục", so the lexicon match must give way to the boundary cut."""
    w = _NAME_WORD.match(norm, pos)
    if not w or w.start("w") != pos + 1:
        return False
    word = w.group("w")
    low = word.casefold()
    nxt = _NAME_WORD.match(norm, w.end())
    pair = f"{low} {nxt.group('w').casefold()}" if nxt else ""
    return word[0].islower() and word.isalpha() and low not in NAME_STOP and pair not in NAME_STOP2


def _law_name(norm: str, pos: int, kind: str, printed: str) -> tuple[str, int] | None:
    """Read a law name after "Luật"/"Bộ luật"/"Pháp lệnh": lexicon first, then a boundary cut.

    An amending law ("Luật sửa đổi, bổ sung một số điều của Luật A và Luật B") is one document:
    its name runs over the amended laws' names.
    """
    label, regex, canon = LEXICONS[kind]
    amend = _AMEND.match(norm, pos)
    if amend:
        end = None
        p = amend.end()
        while True:
            inner = _INNER_LAW.match(norm, p)
            inner_kind = type_of(inner.group("w")) if inner else None
            got = _law_name(norm, inner.end(), inner_kind, inner.group("w")) if inner and inner_kind else None
            if not got:
                break
            end = p = got[1]
        return (clean(printed + norm[pos:end]), end) if end else None
    window = norm[pos : pos + 120]
    lead = len(window) - len(window.lstrip())
    if lead == 0 or lead > 3 or "\n" in window[:lead]:
        return None
    folded = fold_same_length(window)
    lm = regex.match(folded, lead)
    if lm and not _name_goes_on(norm, pos + lm.end()):
        key = " ".join(re.findall(r"[^\s,]+", lm.group(0)))
        return f"{label} {canon.get(key, window[lead : lm.end()])}", pos + lm.end()
    words: list[str] = []
    end = pos
    i = pos
    while len(words) < 10:
        w = _NAME_WORD.match(norm, i)
        if not w:
            break
        word = w.group("w")
        low = word.casefold()
        if not words and (low in NAME_BAD_FIRST or not word[0].isalpha()):
            return None
        nxt = _NAME_WORD.match(norm, w.end())
        if low in NAME_STOP or any(ch.isdigit() for ch in word):
            break
        if nxt and f"{low} {nxt.group('w').casefold()}" in NAME_STOP2:
            break
        if words and TYPE_WORD_FULL.fullmatch(word):
            break
        words.append(word)
        end = w.end()
        i = w.end()
    if not words:
        return None
    return f"{clean(printed)} {' '.join(words)}", end


def parse_named(norm: str, m: re.Match[str]) -> list[Draft]:
    """Documents cited by name or event: laws, the Constitution, congress and plenum resolutions."""
    word = m.group("tw")
    kind = type_of(word)
    if kind in ("luat", "bo_luat", "phap_lenh"):
        if not word[0].isupper() or _AFTER_PHAP.search(norm, max(0, m.start() - 8), m.start()):
            return []  # "pháp Luật" is the common noun, printed with a stray capital
        got = _law_name(norm, m.end(), kind, word)
        if not got:
            return []
        name, pos = got
        d = Draft(start=m.start(), end=pos, doc_type=kind, name=name)
        y = YEAR.match(norm, pos)
        if y:
            d.year, d.end = int(y.group("y")), y.end()
        s = _NUM_AFTER_NAME.match(norm, d.end)
        n = NUMSYM_AT.match(norm, s.end()) if s else None
        ns = parse_number_symbol(n.group(0)) if n else None
        if n and ns:
            d.ns, d.end = ns, n.end()
            d.year = d.year or ns.year
        d.end = read_tail(norm, d.end, d)
        d.title = read_title(norm, d.end)
        return [d]
    if kind == "hien_phap":
        if not word[0].isupper():
            return []
        d = Draft(start=m.start(), end=m.end(), doc_type="hien_phap", name="Hiến pháp")
        long = _CONSTITUTION_LONG.match(norm, d.end)
        d.end = long.end() if long else d.end
        y = YEAR.match(norm, d.end)
        if y:
            d.year, d.end = int(y.group("y")), y.end()
            d.name = f"Hiến pháp năm {d.year}"
        return [d]
    if kind in ("nghi_quyet", "van_kien"):
        e = _DAIHOI.match(norm, m.end())
        if e:
            d = Draft(start=m.start(), end=e.end(), doc_type=kind, name=clean(norm[m.start() : e.end()]))
            d.end = read_tail(norm, d.end, d)
            d.title = read_title(norm, d.end)
            return [d]
        p = _PLENUM.match(norm, m.end()) if kind == "nghi_quyet" else None
        if p:
            name = clean(norm[m.start() : p.end()])
            out = [Draft(start=m.start(), end=p.end(), doc_type=kind, name=name, term=p.group("t"))]
            pos = p.end()
            prefix = name[: len(name) - len(p.group("t"))].rstrip(") ").rstrip()
            prefix = prefix[:-1].rstrip() if prefix.endswith("(") else prefix
            while True:
                more = _MORE_TERM.match(norm, pos)
                if not more:
                    break
                t = more.group("t")
                out.append(Draft(start=more.start("t"), end=more.end("t"), doc_type=kind, name=f"{prefix} {t}", term=t))
                pos = more.end()
            last = out[-1]
            last.end = read_tail(norm, last.end, last)
            title = read_title(norm, last.end)
            for d in out:
                d.title = title
                d.issuer = d.issuer or last.issuer
            return out
    return []
