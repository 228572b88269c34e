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
_NUMBER = re.compile(r"^(?:S[ốỐ]|SỐ|So)(?!\s*(?:/\s*)?(?:[kK][ýÝ]\s*)?[hH][iI][ệỆ][uU])\s*:?\s*(?P<rest>.{0,60})$")
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
class Issuer:
    """One issuing body as printed, and the body above it in the header (Decree 30's "tên cơ
    quan, tổ chức chủ quản": "UBND HUYỆN CAO LỘC" above "ỦY BAN NHÂN DÂN XÃ HỢP THÀNH")."""

    name: str
    superior: str | None = None


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
    issuers: list[Issuer] = field(default_factory=list)  # each body of the header, its superior apart
    addressees: list[str] = field(default_factory=list)  # a Công văn's "Kính gửi:"
    web: dict[str, str] = field(default_factory=dict)  # a web copy's metadata block (label → value)

    def issuer_list(self) -> list[Issuer]:
        """The issuing bodies: read from the header, else the issuer found elsewhere ("A và B")."""
        if self.issuers:
            return list(self.issuers)
        names = re.split(r"\s+và\s+|\s+[-–]\s+", self.issuer) if self.issuer else []
        return [Issuer(n.strip()) for n in names if n.strip()]


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
        for cell in cells(lines[i]):
            for c in cell.split("; "):  # a table's cell of several paragraphs (bodies side by side)
                if _NATIONAL.search(fold(c)) or parse_place_date(c) or parse_number(c) or not _is_upper(c):
                    continue
                issuer.append(c)
    h.issuer_lines = issuer
    h.issuer = " ".join(issuer) or None
    h.issuers = split_bodies(issuer)
    if len(h.issuers) > 1:  # "A - B": as the draft lists the issuers of a joint plan, each as printed
        h.issuer = " - ".join(f"{i.superior} {i.name}" if i.superior else i.name for i in h.issuers)
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
    read_web_metadata(lines, h)
    if h.doc_type == "cong_van":
        h.addressees = addressees(lines[h.body_start : h.body_start + 40])
    return h


# --- the bodies of the header ------------------------------------------------------------------

# a line that starts a body's name (with its tones: "PHONG TRÀO" is no "PHÒNG", "BỔ SUNG" no "BỘ")
_BODY_HEAD = re.compile(
    r"^(?:ỦY BAN|UỶ BAN|UBND|UBMTTQ|MTTQ|MẶT TRẬN|HĐND|HỘI ĐỒNG|BAN|KHỐI|SỞ|PHÒNG|VĂN PHÒNG|THANH TRA|"
    r"TRUNG TÂM|CHI CỤC|CỤC|BỘ|CÔNG AN|BỘ CHỈ HUY|ĐẢNG ỦY|ĐẢNG UỶ|ĐẢNG BỘ|ĐOÀN|HỘI|LIÊN ĐOÀN|CHI BỘ|"
    r"(?:TỈNH|HUYỆN|THÀNH|QUẬN|THỊ|XÃ|PHƯỜNG)\s+(?:ỦY|UỶ)|BCH|BAN CHẤP HÀNH|TRƯỜNG|BỆNH VIỆN|KHO BẠC|"
    r"TÒA ÁN|VIỆN KIỂM SÁT|CHI NHÁNH|CÔNG ĐOÀN|BAN CHỈ ĐẠO)(?=\s|$)"
)
# a body that stands above another in the header, never beside it as a co-issuer
_SUPERIOR = re.compile(r"^(?:ĐẢNG BỘ|BỘ(?!\s+CHỈ HUY)|(?:TỈNH|HUYỆN|THÀNH|QUẬN|THỊ)\s+(?:ỦY|UỶ))(?=\s|$)")
_PARTY_SUB = re.compile(r"^(?:BAN|VĂN PHÒNG|ĐẢNG (?:ỦY|UỶ)|ỦY BAN KIỂM TRA|UBKT|CHI BỘ|TRƯỜNG CHÍNH TRỊ)(?=\s|$)")
_STATE_SUB = re.compile(
    r"^(?:SỞ|PHÒNG|VĂN PHÒNG|THANH TRA|TRUNG TÂM|CHI CỤC|CỤC|BAN QUẢN LÝ|TRƯỜNG|BỆNH VIỆN|ĐÀI)(?=\s|$)"
)
_LEVELS = (("TỈNH", 3), ("THÀNH PHỐ", 2), ("HUYỆN", 2), ("QUẬN", 2), ("THỊ XÃ", 2), ("XÃ", 1), ("PHƯỜNG", 1))
_STACK_SPLIT = re.compile(r"\s+[-–—]\s+|\s*/\s*")


def _level(name: str) -> int | None:
    """3 a province, 2 a district, 1 a commune: the place word of a people's committee."""
    m = re.match(r"^(?:ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|UBND|HĐND|HỘI ĐỒNG NHÂN DÂN)\s+(.*)$", name)
    if not m:
        return None
    rest = m.group(1)
    for word, level in _LEVELS:
        if rest.startswith(word):
            return level
    return None


def _is_superior(above: str, below: str) -> bool:
    """Whether the body ``above`` is the superior body printed over ``below`` (Decree 30)."""
    if _SUPERIOR.match(above):  # "TỈNH ỦY LẠNG SƠN / BAN DÂN VẬN", "ĐẢNG BỘ … / ĐẢNG ỦY …"
        return bool(_PARTY_SUB.match(below) or (above.startswith("BỘ") and _STATE_SUB.match(below)))
    la, lb = _level(above), _level(below)
    if la is not None and lb is not None:  # "UBND HUYỆN CAO LỘC / ỦY BAN NHÂN DÂN XÃ HỢP THÀNH"
        return la > lb
    if la is not None:  # "UBND TỈNH LẠNG SƠN / SỞ NỘI VỤ"
        return bool(_STATE_SUB.match(below))
    return False


def split_bodies(lines: list[str]) -> list[Issuer]:
    """The issuers of a header's lines: a line opening with a body's name starts a body, the next
    lines continue it ("ỦY BAN NHÂN DÂN / TỈNH BẮC KẠN"); stacked names ("BAN DÂN VẬN … – ỦY BAN
    NHÂN DÂN …") are split; a body above another it governs is that one's superior."""
    bodies: list[str] = []
    for line in lines:
        parts = [p.strip() for p in _STACK_SPLIT.split(line) if p.strip()]
        if len(parts) > 1 and all(_BODY_HEAD.match(p) and len(p.split()) >= 2 for p in parts):
            bodies.extend(parts)
        elif bodies and (
            not _BODY_HEAD.match(line)
            or (re.fullmatch(r"(?:TỈNH|HUYỆN|THÀNH|QUẬN|THỊ) (?:ỦY|UỶ)", line) and bodies[-1].startswith("BAN"))
        ):  # "ỦY BAN NHÂN DÂN / XÃ HỢP THÀNH", "BAN DÂN VẬN / HUYỆN ỦY"
            bodies[-1] += " " + line
        else:
            bodies.append(line)
    out: list[Issuer] = []
    pending: str | None = None
    for i, name in enumerate(bodies):
        if i + 1 < len(bodies) and _is_superior(name, bodies[i + 1]):
            pending = name if pending is None else f"{pending} {name}"
            continue
        out.append(Issuer(name, pending))
        pending = None
    if pending:
        out.append(Issuer(pending))
    return out


# --- a web copy's metadata block ---------------------------------------------------------------

# "Số hiệu: 172/KH-UBND", "Ngày ban hành20/05/2024" (label and value glued), or the value on the
# next line — as thuvienphapluat, vbpl and the portals print them over or under the text
_WEB_LABELS = (
    ("number", r"so\s*(?:/\s*)?(?:ky\s*)?hieu(?:\s+van\s+ban)?"),
    ("date", r"ngay\s*ban\s*hanh"),
    ("issuer", r"(?:co\s*quan|noi|don\s*vi)\s*ban\s*hanh"),
    ("type", r"loai\s*van\s*ban"),
    ("signer", r"nguoi\s*ky"),
    ("title", r"trich\s*yeu(?:\s*noi\s*dung)?"),
)
_WEB_LABEL = re.compile(r"^(?:" + "|".join(f"(?P<{k}>{rx})" for k, rx in _WEB_LABELS) + r")\s*:?\s*")
_DATE_NUM = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})$")


def _web_cells(lines: list[str]) -> list[tuple[int, str, str]]:
    """(line, label, value) of the metadata cells among ``lines``; a label alone takes the next
    non-empty line as its value."""
    found: list[tuple[int, str, str]] = []
    waiting: tuple[int, str] | None = None
    for i, raw in enumerate(lines):
        cs = cells(raw) if len(raw) <= 300 else []
        if waiting and cs:
            if not _WEB_LABEL.match(fold(cs[0])):
                found.append((i, waiting[1], cs[0]))
                cs = cs[1:]
            waiting = None
        for c in cs:
            f = fold(c)
            m = _WEB_LABEL.match(f)
            if not m or len(c) != len(f):
                continue
            label = m.lastgroup or ""
            value = c[m.end() :].strip(" :")
            if value:
                found.append((i, label, value))
            else:
                waiting = (i, label)
    return found


def read_web_metadata(lines: list[str], h: Header) -> None:
    """What a web copy's metadata block says, where the document's own header does not: number,
    date, issuer, type, signer and summary (never over what the header prints)."""
    top = _web_cells(lines[:80])
    if len({label for _, label, _ in top}) < 2:  # a block has two labels at least
        return
    web: dict[str, str] = {}
    for _, label, value in top:
        web.setdefault(label, value)
    h.web = web
    if h.number is None and "number" in web:
        parsed = parse_number_symbol(web["number"].split()[0].rstrip(".,;"))
        if parsed is not None:
            h.number, h.number_status = parsed.canonical, ("blank" if parsed.blank else "printed")
    if h.date is None and (m := _DATE_NUM.match(web.get("date", "").strip())):
        h.date = _iso(m.group(1), m.group(2), m.group(3))
    if not h.issuers and "issuer" in web and (h.issuer is None or "issuer" in h.inferred):
        name = web["issuer"].strip(" .;,")
        h.issuer, h.issuers = name, [Issuer(name)]
        h.inferred = [x for x in h.inferred if x != "issuer"]
    if h.doc_type is None and "type" in web:
        h.doc_type = doc_types().of_word(web["type"].strip())
    if h.title is None and "title" in web:
        h.title = web["title"]
    last = max(i for i, _, _ in top)
    if h.body_start <= last:  # the block stands above the text: not part of it
        h.body_start = last + 1


# --- a Công văn's addressees ---------------------------------------------------------------------

_KINH_GUI = re.compile(r"^k[íi]nh\s+g[ửu]i\s*:?\s*(?P<rest>.*)$", re.I)


def addressees(lines: list[str]) -> list[str]:
    """The bodies after "Kính gửi:" (on its line, or one a line "- …" under it)."""
    out: list[str] = []
    started = False
    for raw in lines:
        s = clean_line(raw)
        if not s:
            continue
        m = _KINH_GUI.match(s)
        if m:
            started = True
            rest = m.group("rest").strip()
            if rest:
                out.append(_recipient(rest))
            continue
        if started and re.match(r"^[-+•–]\s*\S", s) and len(s) <= 200:
            out.append(_recipient(s))
            continue
        if started:
            break
    return [x for x in out if x]


def with_addressees(addressed: list[str], recipients: list[str]) -> list[str]:
    """A Công văn's recipients: its addressees, in place of the "Như trên" ("as above") that
    names them in "Nơi nhận", or first."""
    if not addressed:
        return recipients
    if any(fold(r).startswith("nhu tren") for r in recipients):
        out: list[str] = []
        for r in recipients:
            out.extend(addressed if fold(r).startswith("nhu tren") else [r])
        return list(dict.fromkeys(out))
    return list(dict.fromkeys([*addressed, *recipients]))


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
