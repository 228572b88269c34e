"""The title (trích yếu) that follows a citation: a quotation, or a "về …" clause.

A title may itself cite other documents ("… về tiếp tục thực hiện Chỉ thị số 05-CT/TW"), so the
clause is cut where a new citation starts; those are found on their own by the scan.
"""

from __future__ import annotations

import re

from congkhai.vietnamese.text import fold

from .anchors import CAP_TYPE_WORD, CITE_START
from .record import clean

_I = re.IGNORECASE

_TITLE_LEAD = re.compile(
    r"[^\S\n]{0,3},?[^\S\n]{0,3}(?:(?P<ve>về|v/v)(?!\w)[^\S\n]{0,3}:?[^\S\n]{0,3}|(?P<verb>ban\s+hành|phê\s+duyệt)\s+(?=[“\"]))?",
    _I,
)
_TITLE_HARD = re.compile(r"[;\n\[<¹²³⁴⁵⁶⁷⁸⁹⁰…:]|\.(?=\s|$)|\.\.")
_TITLE_CONNECT = re.compile(r"(?P<c>,|\s(?:và|cùng|gắn\s+với))\s+", _I)
_TITLE_STOP = re.compile(
    r"(?:\s(?:đã\s+được|đã)|[,(]?\s*có\s+hiệu\s+lực|"
    r",\s*(?:yêu\s+cầu|đề\s+nghị|đồng\s+thời|giao|theo\s+đó|trong\s+đó|xem\s+đây))(?!\w)",
    _I,
)

_AFTER_QUOTE_OK = re.compile(r"\s*(?:$|[;,.:\n)\[<¹²³⁴⁵⁶⁷⁸⁹⁰…]|(?:và|của)\b)", _I)
_QUOTE_MARKS = re.compile(r"[“”\n]")


def _quoted(norm: str, pos: int) -> tuple[str, int] | None:
    """Read a quotation opening at ``pos`` (nested “…” allowed); None when unclosed."""
    opener = norm[pos]
    limit = min(len(norm), pos + 500)
    if opener == '"':
        end = norm.find('"', pos + 1, limit)
        if end < 0 or "\n" in norm[pos:end]:
            return None
        return norm[pos + 1 : end], end + 1
    depth = 0
    for q in _QUOTE_MARKS.finditer(norm, pos, limit):
        ch = q.group(0)
        if ch == "\n":
            return None
        depth += 1 if ch == "“" else -1
        if depth == 0:
            return norm[pos + 1 : q.start()], q.end()
    return None


def _clause(norm: str, pos: int) -> str:
    """Read a "về …" clause up to a boundary or up to a connector that starts a new citation."""
    limit = min(len(norm), pos + 500)
    end = limit
    i = pos
    while i < limit:
        m = _TITLE_HARD.search(norm, i, limit)
        if not m:
            break
        if m.group(0) == "\n":
            j = m.end()
            while j < limit and norm[j] in " \t\r\n":
                j += 1
            if j < limit and norm[j].islower():
                i = j
                continue
        end = m.start()
        break
    stop = _TITLE_STOP.search(norm, pos, end)
    if stop:
        end = stop.start()
    for c in _TITLE_CONNECT.finditer(norm, pos, end):
        plain = fold(c.group("c")).strip() in (",", "va")
        if CITE_START.match(norm, c.end()) or (plain and CAP_TYPE_WORD.match(norm, c.end())):
            end = c.start()
            break
    text = clean(norm[pos:end]).rstrip(" ,;:.-–")
    if text.count("“") != text.count("”"):
        text = clean(text.replace("“", "").replace("”", ""))
    return text


def read_title(norm: str, pos: int) -> str | None:
    """The trích yếu that follows a citation, as printed, or None.

    A quotation right after the citation (optionally after "về") gives its content; "về …"
    without one gives the clause; "ban hành/phê duyệt “…”" gives the verb and the quotation.
    """
    m = _TITLE_LEAD.match(norm, pos)
    if not m:
        return None
    q = m.end()
    at_quote = q < len(norm) and norm[q] in '“"'
    if m.group("verb"):
        got = _quoted(norm, q)
        return clean(norm[m.start("verb") : got[1]]) if got else None
    if at_quote:
        got = _quoted(norm, q)
        if got and _AFTER_QUOTE_OK.match(norm, got[1]):
            return clean(got[0]) or None
        if not m.group("ve"):
            return None
    if not m.group("ve"):
        return None
    return _clause(norm, q) or None
