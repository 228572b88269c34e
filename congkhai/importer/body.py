"""The content of a plan as clean Markdown, and its structure for finding tasks.

* web debris is dropped (share buttons, view counters, "Lượt xem", "Chia sẻ", related-article
  lists, a byline after the last sentence of a news article);
* footnotes — "[1]" bracket markers, ``<sup>1</sup>``, superscript digits ¹²³ — become Markdown
  footnotes ``[^1]`` with their definitions collected at the end, also when the definition sits
  in the middle of the body (at a page foot);
* sentences split by a page break are rejoined (the first part ends without punctuation and
  the second starts in lower case, with a digit, or continues a symbol "115 / KH/HU");
* "I." / "II-" headings become ``##``, short numbered sub-headings ``###``; lists stay lists,
  a "+" item as printed (under a "-" item, its sub-list);
* a "PHỤ LỤC" heading is a ``##`` (label "PL"); Markdown table rows stay one table block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from congkhai.vietnamese.text import fold

from .header import clean_line

SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_SUP_CHARS = "⁰¹²³⁴⁵⁶⁷⁸⁹"

_DEBRIS_LINE = re.compile(
    r"^(?:chia\s*se\b.*|share\b.*|luot\s*xem\b.*|so\s*luot\s*xem.*|views?\s*(?:today|this\s*\w+|counter)?\s*:?.*|"
    r"total\s*views?.*|language|skip\s*to\s*content|in\s*bai\s*viet|gui\s*email|facebook|twitter|zalo|"
    r"tweet|email|print|in\s*trang|quay\s*lai|len\s*dau\s*trang|binh\s*luan.*|[0-9\s.,]{1,12}|"
    r"(?:tac\s*gia|nguon|nguoi\s*viet|bien\s*tap)\s*:.*|cap\s*nhat\s*(?:luc|ngay)?\s*:?.*|"
    r"\d{1,2}/\d{1,2}/\d{4}\s*(?:\d{1,2}:\d{2}.*)?|font\s*size.*|a\+?\s*a-?|\(?xem\s*tiep\)?|doc\s*tiep.*)$"
)
_DEBRIS_END = re.compile(
    r"^(?:bai\s*viet\s*cung\s*chuyen\s*muc|tin\s*(?:lien\s*quan|cung\s*chuyen\s*muc|khac|moi)|"
    r"bai\s*viet\s*(?:moi|lien\s*quan|khac)|cac\s*tin\s*(?:khac|da\s*dua)|view\s*counter|"
    r"tin\s*bai\s*lien\s*quan|xem\s*them)\b"
)
_FN_DEF = re.compile(
    r"^\s*(?:\[\^(?P<e>\d{1,3})\]:|\[(?P<a>\d{1,3})\]|<sup>\s*(?P<b>\d{1,3})\s*</sup>|\^(?P<c>\d{1,3})|(?P<d>[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3}))\s*[-–:.)]?\s*(?P<text>\S.*)$"
)
_ROMAN = re.compile(r"^(?P<num>[IVX]{1,5})\s*[.\-–:/)]\s*(?P<text>\S.{0,300})$")
_NUMBERED = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2}){0,2})\s*[.\-–)]\s*(?P<text>\S.*)$")
_LETTERED = re.compile(r"^(?P<num>[a-zđ])\s*[).]\s+(?P<text>\S.*)$")
_BULLET = re.compile(r"^[-+•–*]\s+(?P<text>\S.*)$")
_TABLE_LINE = re.compile(r"^\|.*\|$")
_APPENDIX = re.compile(r"^phu luc(?:\s+(?P<num>[ivx]{1,4}|\d{1,2}))?\b")
_TERMINAL = re.compile(r"[.;:!?…”\"')\]]\s*$|\./\.\s*$")


@dataclass
class Block:
    kind: str  # "h2", "h3", "item" (numbered), "sub" (a, b, c), "bullet", "para", "table" (Markdown rows)
    label: str | None
    text: str


@dataclass
class Body:
    blocks: list[Block]
    footnotes: dict[str, str]
    markdown: str


def drop_debris(lines: list[str]) -> list[str]:
    """Lines without web-page debris; everything after a related-articles list goes."""
    out: list[str] = []
    for line in lines:
        f = " ".join(fold(clean_line(line)).split())
        if f and _DEBRIS_END.match(f):
            break
        if f and _DEBRIS_LINE.match(f) and not re.match(r"^\d{1,2}\s*[.)]", f):
            continue
        out.append(line)
    return out


def _inline_footnotes(s: str, known: set[str]) -> str:
    s = re.sub(r"<sup>\s*(\d{1,3})\s*</sup>", r"[^\1]", s)
    s = re.sub(
        r"(?<=[^\s\[(])\[(\d{1,3})\](?!\()", lambda m: f"[^{m.group(1)}]" if m.group(1) in known else m.group(0), s
    )
    s = re.sub(rf"(?<=\S)([{_SUP_CHARS}]{{1,3}})", lambda m: f"[^{m.group(1).translate(SUPERSCRIPTS)}]", s)
    return s


def _strip_markup(s: str) -> str:
    s = s.replace("\u00a0", " ").replace("**", "").replace("__", "")
    s = re.sub(r"</?(?:b|strong|span|p|div|u|font)[^>]{0,80}>", "", s, flags=re.I)
    s = re.sub(r"<br\s*/?>", " ", s, flags=re.I)
    s = re.sub(r"</?(?:i|em)>", "*", s, flags=re.I)
    s = re.sub(r"^#{1,6}\s+", "", s.strip())
    return re.sub(r"[ \t]{2,}", " ", s).strip()


def _is_heading_text(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.7 * len(letters)


def _joinable(prev: str, nxt: str) -> bool:
    if not prev or not nxt or _TERMINAL.search(prev) or _TABLE_LINE.match(prev) or _TABLE_LINE.match(nxt):
        return False
    if _ROMAN.match(nxt) or _BULLET.match(nxt) or _LETTERED.match(nxt) or _FN_DEF.match(nxt):
        return False
    if _NUMBERED.match(nxt) and not re.match(r"^\d{1,2}/\d", nxt):
        return False
    first = nxt[0]
    if first.islower() or first.isdigit():
        return True
    # "Kế hoạch số 115" + "KH/HU, ngày …": a symbol continued on the next page
    return bool(re.search(r"\d\s*$", prev) and re.match(r"^[A-ZĐ]{1,6}[-/]", nxt))


def build_body(lines: list[str]) -> Body:
    paras = [_strip_markup(x) for x in lines]
    paras = [p for p in paras if p]
    footnotes: dict[str, str] = {}
    kept: list[str] = []
    for p in paras:
        m = _FN_DEF.match(p)
        if m and not _NUMBERED.match(p):
            num = (
                m.group("e")
                or m.group("a")
                or m.group("b")
                or m.group("c")
                or (m.group("d") or "").translate(SUPERSCRIPTS)
            )
            if num and num not in footnotes:
                footnotes[num] = m.group("text").strip()
                continue
        kept.append(p)
    # defs written "1 Quyết định …"/"<sup>1</sup>…" were caught above; markers now become [^n]
    known = set(footnotes)
    kept = [_inline_footnotes(p, known) for p in kept]
    footnotes = {k: _inline_footnotes(v, set()) for k, v in footnotes.items()}
    # Lines continued on the next are joined; a paragraph is kept as its pieces until the end, and
    # only its last piece is tested (a joined text ends with it): re-scanning and copying the
    # growing paragraph at every line was quadratic (20,000 one-word lines took 5 s).
    groups: list[list[str]] = []
    for p in kept:
        if groups and _TABLE_LINE.match(p) and _TABLE_LINE.match(groups[-1][-1]):
            groups[-1].append(p)  # a table's rows stay rows
        elif groups and _joinable(groups[-1][-1] or " ".join(groups[-1]), p):
            groups[-1].append(p)
        else:
            groups.append([p])
    blocks: list[Block] = []
    for g in groups:
        if _TABLE_LINE.match(g[0]):
            blocks.append(Block("table", None, "\n".join(g)))
        else:
            blocks.append(_classify(" ".join([x.rstrip() for x in g[:-1]] + [g[-1]])))
    return Body(blocks, footnotes, _markdown(blocks, footnotes))


def _classify(p: str) -> Block:
    m = _APPENDIX.match(fold(p))
    if m and len(p) <= 200 and (_is_heading_text(p) or m.end() == len(p.rstrip(" .:"))):
        return Block("h2", "PL" + (m.group("num") or "").upper(), p)
    m = _ROMAN.match(p)
    if m and len(p) <= 200 and _is_heading_text(m.group("text")):
        return Block("h2", m.group("num"), p)
    m = _NUMBERED.match(p)
    if m and not re.match(r"^\d{1,2}/\d", p):
        text = m.group("text")
        words = len(text.split())
        if words <= 25 and not re.search(r"[.;:,]\s*$", text):
            return Block("h3", m.group("num"), p)
        return Block("item", m.group("num"), p)
    m = _LETTERED.match(p)
    if m:
        return Block("sub", m.group("num"), p)
    m = _BULLET.match(p)
    if m:  # "+" kept: the sub-level as printed
        return Block(
            "bullet", "+" if p.startswith("+") else "-", ("+ " if p.startswith("+") else "- ") + m.group("text")
        )
    return Block("para", None, p)


def _markdown(blocks: list[Block], footnotes: dict[str, str]) -> str:
    out: list[str] = []
    nested = False  # "+" items under a "-" item are its sub-list
    for i, b in enumerate(blocks):
        prev = blocks[i - 1] if i else None
        if b.kind == "bullet" and b.label == "+":
            nested = nested or (prev is not None and prev.kind == "bullet" and prev.label != "+")
            out.append(("    " if nested else "") + b.text)
            continue
        nested = False
        if b.kind == "h2":
            out.append(f"## {b.text}")
        elif b.kind == "h3":
            out.append(f"### {b.text}")
        elif b.kind == "item":
            out.append(
                re.sub(r"^(\d{1,2}(?:\.\d{1,2}){0,2})\s*[.\-–)]\s*", r"\1. ", b.text)
                if "." not in (b.label or "")
                else b.text
            )
        else:
            out.append(b.text)
    text = "\n\n".join(out)
    if footnotes:
        text += "\n\n" + "\n\n".join(f"[^{k}]: {v}" for k, v in footnotes.items())
    return text + "\n"
