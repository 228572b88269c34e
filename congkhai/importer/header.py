"""Read the parts of a Vietnamese administrative document around its content.

Header: issuing body (the lines above the number), number and symbol, place and date, type and
summary (trích yếu). Tail: signature blocks (capacity, position, name) and the recipients
("Nơi nhận"). Web copies lose some of these and add debris; news articles carry none of them but
name the document in their first paragraph ("ngày 13/01/2023, UBND tỉnh đã ban hành Văn bản số
276/UBND-NCPC") — that is read too and marked as inferred.

Every pattern is linear and applied to single lines, so arbitrary input costs linear time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from congkhai.vietnamese.doctypes import doc_types
from congkhai.vietnamese.numbers import parse_number_symbol
from congkhai.vietnamese.text import fold

# Type line → doc_type vocabulary code (folded, upper-case line in the header), from the
# vocabulary's `headings` (schemas/vocabularies.yaml).
TYPE_LINES = doc_types().headings

MARKUP = re.compile(r"\*\*|__|</?(?:b|strong|i|em|u|p|span|div|br)\s*/?>", re.I)
_CELL_SPLIT = re.compile(r"\t+|\s{3,}|\s*\|\s*")
_NATIONAL = re.compile(r"cong hoa xa hoi|doc lap\s*-?\s*tu do|dang cong san viet nam|^[-–—_=*.\s]+$")
_NUMBER = re.compile(r"^(?:S[ốỐ]|SỐ|So)\s*:?\s*(?P<rest>.{0,60})$")
_PLACE_DATE = re.compile(
    r"^(?P<place>[^\d,]{2,60}?)\s*,\s*ngày\s*(?P<d>\d{1,2})?[\s.…_]*tháng\s*(?P<m>\d{1,2})?[\s.…_]*năm\s*(?P<y>\d{4})",
    re.I,
)
_PLACE_DATE_NUM = re.compile(
    r"^(?P<place>[^\d,]{2,60}?)\s*,\s*ngày\s*(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})\s*/\s*(?P<y>\d{4})", re.I
)
_CAPACITY = re.compile(r"^(?P<cap>TM\.|KT\.|TL\.|TUQ\.|Q\.|T/M|K/T|T/L|T\.M\.?|K\.T\.?)\s*(?P<rest>.*)$")
_CAP_NORMAL = {"T.M": "T/M", "T.M.": "T/M", "K.T": "K/T", "K.T.": "K/T"}
_NAME_RX = re.compile(r"^\w+(?:\s+\w+){1,5}$")


class _Name:
    """A person's name: 2–6 words, each capitalised then lower case ("Nguyễn Thị Hồng Vinh")."""

    @staticmethod
    def match(s: str) -> bool:
        return bool(_NAME_RX.match(s)) and all(w[0].isupper() and w[1:].islower() and w.isalpha() for w in s.split())


_NAME = _Name()
_SIGNED = re.compile(r"^\(?\s*(?:đã\s+ký|ký(?:,| và)?\s+(?:tên|đóng dấu)|chữ ký|signed)[^)]{0,30}\)?$", re.I)
_RECIPIENTS = re.compile(r"^n[ơo]i\s+nh[ậa]n\s*:?\s*(?P<rest>.*)$", re.I)
_END_OF_CONTENT = re.compile(r"\./\.\s*$|\.\s*/\s*\.\s*$")


@dataclass
class Signer:
    capacity: str | None = None
    on_behalf_of: str | None = None
    position: str | None = None
    name: str | None = None


@dataclass
class Header:
    number: str | None = None
    number_status: str = "absent"
    doc_type: str | None = None
    issuer: str | None = None
    issuer_lines: list[str] = field(default_factory=list)
    place: str | None = None
    date: str | None = None
    title: str | None = None
    body_start: int = 0  # first line of the content
    body_end: int = 0  # one past the last line of the content
    signers: list[Signer] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    inferred: list[str] = field(default_factory=list)
    news: bool = False


def clean_line(line: str) -> str:
    """A line without Markdown emphasis, HTML tags and heading marks, single-spaced."""
    line = MARKUP.sub("", line).replace("\u00a0", " ")
    line = re.sub(r"^#{1,6}\s+", "", line.strip())
    return re.sub(r"[ \t]{2,}", " ", line).strip()


def cells(line: str) -> list[str]:
    """A line of a two-column header (issuer | national motto) split into its cells."""
    return [c for c in (clean_line(p) for p in _CELL_SPLIT.split(line.replace("\u00a0", " "))) if c]


def _is_upper(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def type_of_line(line: str) -> str | None:
    s = clean_line(line)
    if not s or len(s) > 40 or not _is_upper(s):
        return None
    return TYPE_LINES.get(" ".join(fold(s).replace(":", " ").split()))


def _iso(d: str | None, m: str | None, y: str | None) -> str | None:
    if not y:
        return None
    try:
        mi = int(m) if m else 0
        di = int(d) if d else 0
    except ValueError:
        return y
    if not 1 <= mi <= 12:
        return y
    if not 1 <= di <= 31:
        return f"{y}-{mi:02d}"
    return f"{y}-{mi:02d}-{di:02d}"


def parse_place_date(s: str) -> tuple[str | None, str | None] | None:
    s = clean_line(s)
    if len(s) > 120:
        return None
    m = _PLACE_DATE.match(s) or _PLACE_DATE_NUM.match(s)
    if not m:
        return None
    place = m.group("place").strip(" *-–,")
    return (place or None), _iso(m.group("d"), m.group("m"), m.group("y"))


def parse_number(s: str) -> tuple[str | None, str] | None:
    """("72/KH-UBND", "printed"), ("/KH-UBND", "blank") from a "Số: …" cell, else None."""
    m = _NUMBER.match(clean_line(s))
    if not m:
        return None
    rest = m.group("rest").strip().rstrip(".,;")
    if not rest or (" " in rest.strip() and not re.match(r"^[\d\s]*[-/]", rest)):
        rest = rest.split("  ")[0]
    parsed = parse_number_symbol(rest)
    if parsed is None:
        if "/" in rest and len(rest) < 40:
            return rest.replace(" ", ""), "printed"
        return None
    return parsed.canonical, ("blank" if parsed.blank else "printed")


def _title_stop(s: str) -> bool:
    f = fold(s)
    return bool(
        re.match(r"^(can cu|thuc hien|de |nham |theo |ngay \d|[ivx]+[.\-–]\s|\d+[.\-]\s|[-+•]\s|kinh gui)", f)
        or _END_OF_CONTENT.search(s)
    )


def read_header(lines: list[str]) -> Header:
    """Header fields and where the content starts."""
    h = Header()
    limit = min(len(lines), 60)
    type_idx = None
    for i in range(limit):
        t = type_of_line(lines[i])
        if t:
            h.doc_type, type_idx = t, i
            break
    head_end = type_idx if type_idx is not None else min(limit, 12)
    number_idx = date_idx = None
    for i in range(head_end):
        for c in cells(lines[i]):
            if h.number is None and (n := parse_number(c)):
                h.number, h.number_status = n
                number_idx = i
            elif h.date is None and (pd := parse_place_date(c)):
                h.place, h.date = pd
                date_idx = i
    if type_idx is None and number_idx is not None:
        _official_letter(lines, h, number_idx, date_idx, head_end)
    # issuer: the non-national lines above the number (or above the type line)
    stop = number_idx if number_idx is not None else (type_idx if type_idx is not None else 0)
    issuer: list[str] = []
    for i in range(stop):
        for c in cells(lines[i]):
            if _NATIONAL.search(fold(c)) or parse_place_date(c) or parse_number(c) or not _is_upper(c):
                continue
            issuer.append(c)
    h.issuer_lines = issuer
    h.issuer = " ".join(issuer) or None
    if type_idx is not None:
        title: list[str] = []
        j = type_idx + 1
        while j < len(lines) and not clean_line(lines[j]):
            j += 1
        while j < len(lines) and len(title) < 8:
            s = clean_line(lines[j])
            if not s:
                break
            if title and _title_stop(s):
                break
            if re.match(r"^[-–_*=.\s]{3,}$", s):
                j += 1
                break
            title.append(s)
            j += 1
        h.title = " ".join(title).strip() or None
        h.body_start = j
    elif h.doc_type is None:
        h.body_start = 0
    return h


_ABOUT = re.compile(r"^V/v\b", re.I)


def _official_letter(lines: list[str], h: Header, number_idx: int, date_idx: int | None, head_end: int) -> None:
    """A Công văn has no type line: "V/v …" (its subject) under the number says what it is; the
    content starts after the header ("Kính gửi: …" first)."""
    for i in range(number_idx, head_end):
        s = clean_line(lines[i])
        if not _ABOUT.match(s):
            continue
        title = [s]
        j = i + 1
        while (
            j < len(lines)
            and (t := clean_line(lines[j]))
            and not (_NATIONAL.search(fold(t)) or parse_place_date(t) or parse_number(t))
        ):
            title.append(t)
            j += 1
        h.doc_type, h.title = "cong_van", " ".join(title)
        end = max(j, (date_idx or 0) + 1)
        while end < len(lines) and not clean_line(lines[end]):
            end += 1
        h.body_start = end
        return


_LEAD_IN = re.compile(
    r"(?:^|[,;:.]\s+)(?P<who>[^,;:.]{3,120}?)\s+(?:đã\s+)?(?:ban\s+hành|xây\s+dựng|thống\s+nhất)\s+"
    r"(?P<what>kế\s+hoạch|văn\s+bản|công\s+văn|chương\s+trình|nội\s+dung|chỉ\s+thị|quyết\s+định|hướng\s+dẫn)",
    re.I,
)
_NEWS_DOC = re.compile(
    r"(?:ngày\s+(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})\s*/\s*(?P<y>\d{4})\s*,\s*)?(?P<who>[^,;.]{3,80}?)\s+(?:đã\s+)?ban\s+hành\s+"
    r"(?P<what>văn\s+bản|công\s+văn|kế\s+hoạch|chỉ\s+thị|quyết\s+định|hướng\s+dẫn|chương\s+trình)\s+số\s+(?P<num>[^\s,;]{3,40})",
    re.I,
)


def infer_issuer(text: str) -> str | None:
    """The body's lead-in sentence names the issuer when the header is lost."""
    m = _LEAD_IN.search(text[:6000])
    if not m:
        return None
    who = m.group("who").strip()
    who = re.sub(r"^(?:ngày\s+\d[\d/]*\s*|theo\s+đó\s*|vì\s+vậy\s*|do\s+đó\s*)", "", who, flags=re.I).strip()
    return who or None


def read_news(text: str, h: Header) -> None:
    """A news article naming the document: "ngày 13/01/2023, … đã ban hành Văn bản số 276/UBND-NCPC"."""
    m = _NEWS_DOC.search(text[:6000])
    if not m:
        return
    parsed = parse_number_symbol(m.group("num").rstrip("."))
    if parsed is None:
        return
    h.news = True
    h.number, h.number_status = parsed.canonical, "printed"
    h.date = _iso(m.group("d"), m.group("m"), m.group("y")) if m.group("y") else None
    what = doc_types().of_word(m.group("what"))
    h.doc_type = what or parsed.doc_type
    h.issuer = m.group("who").strip()
    h.inferred += ["doc_type", "issuer"]


def find_tail(lines: list[str], start: int) -> int:
    """Index of the first line after the content (signatures, recipients), or len(lines)."""
    n = len(lines)
    for i in range(n - 1, max(start, n - 400) - 1, -1):
        if _END_OF_CONTENT.search(clean_line(lines[i])):
            return i + 1
    for i in range(max(start, n - 60), n):
        c = cells(lines[i])
        if c and (_RECIPIENTS.match(c[0]) or _CAPACITY.match(c[0])):
            return i
    return n


def read_tail(lines: list[str]) -> tuple[list[Signer], list[str]]:
    """Signers and recipients from the lines after the content."""
    recipients: list[str] = []
    sig_paras: list[list[str]] = []
    para: list[str] = []
    in_recipients = False
    for raw in lines:
        cs = cells(raw)
        if not cs:
            if para:
                sig_paras.append(para)
                para = []
            continue
        for c in cs:
            m = _RECIPIENTS.match(c)
            if m:
                in_recipients = True
                if m.group("rest").strip():
                    recipients.append(_recipient(m.group("rest")))
                continue
            if re.match(r"^[-+•–]\s*\S", c) and (in_recipients or not _is_upper(c)):
                in_recipients = True
                recipients.append(_recipient(c))
                continue
            if _SIGNED.match(c) or re.match(r"^[-–_*=.\s]+$", c):
                continue
            in_recipients = False if _CAPACITY.match(c) or _is_upper(c) or _NAME.match(c) else in_recipients
            if in_recipients:
                continue
            para.append(c)
    if para:
        sig_paras.append(para)
    return _signers(sig_paras), [r for r in recipients if r]


def _recipient(s: str) -> str:
    return re.sub(r"^[-+•–]\s*", "", s).strip().rstrip(",;.").strip()


def _signers(paras: list[list[str]]) -> list[Signer]:
    blocks: list[Signer] = []
    for para in paras:
        names = [p for p in para if _NAME.match(p) and not _is_upper(p)]
        rest = [p for p in para if p not in names]
        if rest:
            cap = _CAPACITY.match(rest[0])
            if cap:
                b = Signer(_CAP_NORMAL.get(cap.group("cap"), cap.group("cap")), cap.group("rest").strip() or None)
                pos_lines = rest[1:]
                # "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH": the innermost capacity counts
                while pos_lines and (inner := _CAPACITY.match(pos_lines[0])):
                    b = Signer(
                        _CAP_NORMAL.get(inner.group("cap"), inner.group("cap")), inner.group("rest").strip() or None
                    )
                    pos_lines = pos_lines[1:]
                b.position = " ".join(pos_lines) or None
                blocks.append(b)
            elif all(_is_upper(p) or len(p.split()) <= 2 for p in rest):
                position = " ".join(rest)
                target = next((b for b in blocks if b.position is None and b.name is None), None)
                if target is None:
                    target = Signer()
                    blocks.append(target)
                target.position = position
        for nm in names:
            target = next((b for b in blocks if b.name is None), None)
            if target is None:
                continue  # a lone name (a byline) is not a signer
            target.name = nm
    return [b for b in blocks if b.name or (b.position and b.capacity)]
