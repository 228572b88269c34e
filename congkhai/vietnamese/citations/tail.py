"""What follows a citation's number: the issuing body ("của Thủ tướng Chính phủ"), the date and
the term, printed in any order, and the news style that names the issuer before the document.

The issuer has no closed vocabulary, so it is read as a phrase cut at a clause boundary or a verb;
this is the part of a citation most sensitive to the prose around it.
"""

from __future__ import annotations

import re

from congkhai.vietnamese.text import fold

from .anchors import TYPE_WORD
from .dates import DATE, TERM, iso
from .record import Draft, clean

_I = re.IGNORECASE

_ISSUED_BEFORE = re.compile(
    r"ngày\s{1,3}(?:(?P<d>[0-9]{1,2})\s?[/.-]\s?(?P<m>[0-9]{1,2})\s?[/.-]\s?(?P<y>[0-9]{4})"
    r"|(?P<d2>[0-9]{1,2})\s+tháng\s+(?P<m2>[0-9]{1,2})\s*,?\s*năm\s+(?P<y2>[0-9]{4}))"
    r"\s{0,3},?\s{0,3}(?P<iss>(?!của\b)[^\n,;.:“”\"()\[\]0-9]{2,80}?)\s+(?:đã\s+)?(?:ký\s+kết|ký|ban\s+hành|ký\s+ban\s+hành|thông\s+qua)\s+$",
    _I,
)
_OF = re.compile(
    r"\s{0,3},?\s{0,3}(?:của|giữa)\s+|[^\S\n]{1,3}(?=(?-i:Hội nghị|Ban Chấp hành|Ban Thường vụ|Bộ Chính trị|Ban Bí thư|"
    r"Thủ tướng|Chính phủ|Quốc hội|Ủy ban nhân dân|Uỷ ban nhân dân|UBND|HĐND|Hội đồng nhân dân)(?!\w))",
    _I,
)

_ISSUER_REGION = re.compile(r"(?:[^\n;:.,“”\"()\[\]<>?!…*]|(?<=TP)\.|(?<=Tp)\.){1,160}")
_ISSUER_STOP = re.compile(
    r"\s(?:về|v/v|ban\s+hành|phê\s+duyệt|quy\s+định|hướng\s+dẫn|nhằm|triển\s+khai|thực\s+hiện|"
    r"khảo\s+sát|để|đã|được|gắn\s+với|theo|tại|trong|khóa|khoá|ngày|số|năm|nhiệm\s+kỳ|sửa\s+đổi|bổ\s+sung|"
    r"thông\s+qua|kèm\s+theo|có\s+hiệu\s+lực)(?!\w)"
    rf"|\s(?:và|-|–)\s+(?=(?:{TYPE_WORD})(?!\w))",
    _I,
)


def _read_issuer(norm: str, pos: int) -> tuple[str, int] | None:
    """Read the issuer after "của"/"giữa": a name up to a clause boundary or a verb."""
    m = _ISSUER_REGION.match(norm, pos)
    if not m:
        return None
    region = m.group(0)
    cut = len(region)
    for stop in _ISSUER_STOP.finditer(region):
        word = " ".join(fold(stop.group(0)).split())
        if word == "thuc hien" and fold(region[: stop.start()]).endswith("chi dao"):
            continue
        cut = stop.start()
        break
    text = region[:cut].rstrip().rstrip("-–").rstrip()
    issuer = clean(text)
    if not issuer or not issuer[0].isalpha() or len(issuer.split()) > 18:
        return None
    return issuer, pos + len(text)


def read_tail(norm: str, pos: int, d: Draft) -> int:
    """Read date, issuer and term after the number, in any order; return the new end.

    "năm YYYY" is deliberately not read here: after an issuer it usually belongs to the next
    phrase ("… giữa A và B năm 2018"), and after a plan's name it is the plan's subject year.
    """
    seen: set[str] = set()
    for _ in range(6):
        m = DATE.match(norm, pos) if "date" not in seen else None
        if m:
            if m.group("y"):
                d.date, year = iso(m.group("d"), m.group("m"), m.group("y"))
            else:
                day = m.group("d2").strip() if m.group("d2") else None
                d.date, year = iso(day, m.group("m2"), m.group("y2"))
            d.year = year or d.year
            seen.add("date")
            pos = m.end()
            continue
        m = _OF.match(norm, pos) if "issuer" not in seen else None
        if m:
            got = _read_issuer(norm, m.end())
            if got:
                d.issuer, pos = got
                seen.add("issuer")
                continue
        m = TERM.match(norm, pos) if "term" not in seen else None
        if m:
            d.term = m.group("a") or m.group("b")
            seen.add("term")
            pos = m.end()
            continue
        break
    return pos


def issued_before(norm: str, d: Draft) -> None:
    """News style: "ngày 13/01/2023, Ủy ban nhân dân tỉnh đã ban hành Văn bản số 276/…"."""
    b = _ISSUED_BEFORE.search(norm, max(0, d.start - 160), d.start)
    if not b:
        return
    if b.group("y"):
        d.date, year = iso(b.group("d"), b.group("m"), b.group("y"))
    else:
        d.date, year = iso(b.group("d2"), b.group("m2"), b.group("y2"))
    d.year = d.year or year
    d.issuer = d.issuer or clean(b.group("iss")) or None
