"""Candidate tasks from a plan's structure: who leads, who partners, by when.

Tasks are the numbered items, lettered sub-items, bullets and paragraphs of the content and
organisation sections ("Nội dung", "Nhiệm vụ", "Giải pháp", "Tổ chức thực hiện"), never of
"Mục đích, yêu cầu". A news article without sections gives one task per paragraph after its
lead-in sentence (the one ending with ":"). Leads come from "X chủ trì", "Giao X …",
"X phối hợp với Y …", a sentence starting with a body's name, or the sub-heading naming a body;
deadlines from "Thời gian: …", "trước ngày 15/11 hằng năm", "Quý II/2024", "đến hết năm 2024",
"Thường xuyên". A task table (head "TT | Nội dung | Chủ trì | Phối hợp | Thời gian" and their
variants, wherever it stands, an appendix too) gives a task a row, its lead, partners and
deadline from its columns, under the section of its group row ("I. CÔNG TÁC TUYÊN TRUYỀN").
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field

from congkhai.vietnamese.text import fold, nfc

from .body import Block

_TASK_SECTION = re.compile(r"noi dung|nhiem vu|giai phap|to chuc thuc hien|phan cong|trach nhiem|hoat dong")
_NOT_TASK_SECTION = re.compile(r"muc dich|yeu cau|ket qua|tinh hinh|danh gia")
# a body's name opens with one of these words, compared whole and with their tones ("Phong trào" is
# no "Phòng", "Bổ sung" and "Bố trí" no "Bộ", "Báo cáo" no "Báo", "Hội nghị" no "Hội")
UNIT_START = re.compile(
    r"^(?:(?:giao|đề nghị|yêu cầu)\s+)?(?:các\s+|mỗi\s+|từng\s+)?(?:"
    r"sở|phòng(?!,?\s+(?:chống|ngừa|cháy|tránh|dịch|vệ|thủ))|ban(?!\s+hành)|ubnd|ủy ban|uỷ ban|ubmttq|mttq|mặt trận|"
    r"công an|văn phòng|thanh tra|trung tâm|hội(?!\s+(?:nghị|thi|thảo|diễn|chợ|trại|giảng|họp))|"
    r"đoàn(?!\s+kết)|khối|huyện ủy|thành ủy|tỉnh ủy|đảng ủy|huyện uỷ|thành uỷ|tỉnh uỷ|đảng uỷ|cơ quan|"
    r"báo(?!\s+cáo)|đài|chi cục|cục|bộ(?!\s+(?:máy|luật))|hđnd|hội đồng|người đứng đầu|thủ trưởng|"
    r"lãnh đạo(?=\s+(?:ubnd|ủy ban|uỷ ban|các|cơ quan|đơn vị|phòng|ban|sở|đảng ủy|hđnd|mttq))|chủ tịch|"
    r"phó chủ tịch|đơn vị|địa phương|cấp ủy|cấp uỷ|chính quyền|ban chỉ đạo|thường trực|quân đội|bch|"
    r"ban chqs|công chức|cán bộ|chi bộ|chi hội|liên đoàn|công đoàn|kho bạc|bưu điện|trường|tòa án|"
    r"viện kiểm sát|ngành|tổ dân vận|tổ công tác|trưởng (?:thôn|bản|ấp|khu|tổ)|bí thư)(?=[\s,;:.]|$)"
)
_VERBS = (
    r"chu tri|phoi hop|tiep tuc|can cu|thuc hien|to chuc|xay dung|chi dao|tham muu|co trach nhiem|"
    r"nghiem tuc|chu dong|theo doi|tich cuc|trien khai|huong dan|tang cuong|kip thoi|ra soat|day manh|"
    r"phu trach|quan triet|tuyen truyen|bao cao|tong hop|kiem tra|duy tri|nam chac|nang cao|lam tot|"
    r"quan tam|dam bao|bo tri|cung cap|thuong xuyen|phat huy|cap nhat|dua tin|can|bao dam|van dong|giam sat|"
    r"quan ly|phat dong|ho tro|huy dong|tiep nhan|giai quyet|danh gia|so ket|tong ket|xu ly|tap huan|boi duong|"
    r"doi thoai|ban hanh|trinh|gui|niem yet|cong khai|lay y kien|hoan thanh"
)
_SUBJECT = re.compile(rf"^(?P<who>.{{3,200}}?)\s+(?:{_VERBS})\b")
_SUBJECT_AT = re.compile(_SUBJECT.pattern[1:])  # the same, at a clause's start (``match(s, pos)``)
_LEAD = re.compile(
    rf"(?:^|[.;]\s+)(?:giao\s+)?(?P<lead>[^.;:]{{3,200}}?)\s+chu tri\b(?:\s*,?\s*phoi hop\s+(?:voi\s+)?(?P<partners>[^.;:]{{3,200}}?)(?=\s+(?:{_VERBS})\b|[.;:]|$))?"
)
_PARTNER = re.compile(
    rf"^(?:giao\s+)?(?P<lead>[^.;:]{{3,200}}?)\s+phoi hop\s+(?:voi\s+)?(?P<partners>[^.;:]{{3,200}}?)(?=\s+(?:{_VERBS})\b|[.;:]|$)"
)
_GIAO = re.compile(rf"(?:^|[.;]\s+)giao\s+(?P<lead>[^.;:]{{3,200}}?)(?=\s+(?:{_VERBS})\b|[.;:]|$)")
# "Đề nghị X …", "Yêu cầu X; Y; Z …": the bodies asked, a list of them across semicolons
_ASK = re.compile(rf"(?:^|[.;]\s+)(?:de nghi|yeu cau)\s+(?P<lead>[^.:]{{3,200}}?)(?=\s+(?:{_VERBS})\b|[.:]|$)")

_DEADLINES = [
    re.compile(r"thời\s+(?:gian|hạn)(?:\s+thực\s+hiện|\s+hoàn\s+thành)?\s*:\s*(?P<d>[^.;\n]{2,80})", re.I),
    re.compile(
        r"(?P<d>trước\s+ngày\s+\d{1,2}(?:\s*/\s*\d{1,2}(?:\s*/\s*\d{4})?|\s+tháng\s+\d{1,2}(?:\s+năm\s+\d{4})?)"
        r"(?:\s+(?:hằng|hàng)\s+(?:năm|quý|tháng))?)",
        re.I,
    ),
    re.compile(r"(?P<d>(?:trong\s+)?quý\s+(?:[IV]{1,3}|[1-4])\s*(?:/|năm)\s*\d{4})", re.I),
    re.compile(r"(?P<d>(?:đến\s+)?hết\s+năm\s+\d{4})", re.I),
    re.compile(r"(?P<d>(?:trong\s+)?tháng\s+\d{1,2}\s*/\s*\d{4})", re.I),
    re.compile(r"(?P<d>(?:trong\s+|cả\s+|suốt\s+)năm\s+\d{4})", re.I),
    re.compile(r"(?P<d>(?:định\s+kỳ\s+)?(?:hằng|hàng)\s+(?:tháng|quý|năm|tuần))", re.I),
    re.compile(r"(?P<d>(?:định\s+kỳ|mỗi)\s+0?6\s+tháng(?:\s+một\s+lần)?|(?<!\d)0?6\s+tháng\s+một\s+lần)", re.I),
    re.compile(r"(?P<d>thường\s+xuyên|liên\s+tục)", re.I),
    re.compile(r"[,;]\s+(?P<d>năm\s+\d{4})\s*(?:\./\.|[.;]?)\s*$", re.I),
]
_ROMAN_Q = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}


@dataclass
class Task:
    section: str
    text: str
    lead: str | None = None
    partners: str | None = None
    deadline: str | None = None
    due_date: str | None = None
    recurrence: str = "none"
    inferred: list[str] = field(default_factory=list)


def _cut(text: str, folded: str, start: int, end: int) -> str:
    return text[start:end].strip(" ,;:-–") if len(text) == len(folded) else ""


def _is_unit(s: str) -> bool:
    return bool(UNIT_START.match(" ".join(nfc(s).lower().split())))


def leads(text: str) -> tuple[str | None, str | None]:
    """(lead, partners) as printed in a task's text."""
    folded = fold(text)
    if len(folded) != len(text):
        return None, None
    m = _LEAD.search(folded)
    if m:
        lead = _cut(text, folded, m.start("lead"), m.end("lead"))
        partners = _cut(text, folded, m.start("partners"), m.end("partners")) if m.group("partners") else None
        if lead and _is_unit(lead):
            return _tidy(lead), _partners(partners)
    m = _PARTNER.match(folded)
    if m:
        lead = _cut(text, folded, m.start("lead"), m.end("lead"))
        if _is_unit(lead) and len(lead.split()) <= 20 and not re.search(rf"\b(?:{_VERBS})\b", fold(lead)):
            return _tidy(lead), _partners(_cut(text, folded, m.start("partners"), m.end("partners")))
    for rx in (_GIAO, _ASK):
        m = rx.search(folded)
        if m:
            lead = _cut(text, folded, m.start("lead"), m.end("lead"))
            if lead and _is_unit(lead):
                return _tidy(lead), None
    for start in [0, *(m.end() for m in re.finditer(r";\s+", folded))]:  # a clause opening with a body
        m = _SUBJECT_AT.match(folded, start)
        if m and _is_unit(who := _cut(text, folded, m.start("who"), m.end("who"))) and len(who.split()) <= 30:
            return _tidy(who), None
    return None, None


def _partners(s: str | None) -> str | None:
    """The partners after "phối hợp (với)": bodies, not the work ("phối hợp tuyên truyền …")."""
    s = _tidy(s)
    if not s:
        return None
    first = re.split(r",\s*|\s+và\s+", s)[0]
    return s if _is_unit(first) or re.match(r"^[A-ZĐ]", first) else None


def _tidy(s: str | None) -> str | None:
    if not s:
        return None
    s = re.sub(r"^(?:Giao|giao|Đề nghị|đề nghị|Yêu cầu|yêu cầu)\s+", "", s.strip())
    return s.strip(" ,;:-–") or None


def deadline(text: str) -> tuple[str | None, str | None, str]:
    """(deadline as printed, due date, recurrence)."""
    folded = fold(text)
    recurrence = "none"
    if re.search(r"\b(?:hang|hang) nam\b", folded):
        recurrence = "yearly"
    elif re.search(r"\bhang quy\b|dinh ky quy\b", folded):
        recurrence = "quarterly"
    elif re.search(r"\bhang thang\b", folded):
        recurrence = "monthly"
    elif re.search(r"\bhang tuan\b", folded):
        recurrence = "weekly"
    elif re.search(r"\b(?:dinh ky )?6 thang\b|sau thang", folded):
        recurrence = "half_yearly"
    elif re.search(r"\bthuong xuyen\b|\bliên tuc\b|\blien tuc\b", folded):
        recurrence = "continuous"
    elif re.search(r"\bkhi co yeu cau\b|\bdot xuat\b", folded):
        recurrence = "as_needed"
    for rx in _DEADLINES:
        m = rx.search(text)
        if m:
            d = m.group("d").strip().rstrip(",")
            return d, due_date(d), recurrence
    return None, None, recurrence


def due_date(d: str) -> str | None:
    f = fold(d)
    if re.search(r"hang (?:nam|quy|thang)", f):
        return None
    m = re.search(r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})", f) or re.search(
        r"ngay (\d{1,2}) thang (\d{1,2}) nam (\d{4})", f
    )
    if m:
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]:
            return f"{year:04d}-{month:02d}-{day:02d}"
        return None
    m = re.search(r"quy ([iv]{1,3}|[1-4])\s*(?:/|nam)\s*(\d{4})", f)
    if m:
        q = _ROMAN_Q.get(m.group(1).upper())
        if q:
            month, year = 3 * q, int(m.group(2))
            return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"
    m = re.search(r"het nam (\d{4})", f)
    if m:
        return f"{m.group(1)}-12-31"
    m = re.search(r"thang (\d{1,2})\s*/\s*(\d{4})", f)
    if m and 1 <= int(m.group(1)) <= 12:
        month, year = int(m.group(1)), int(m.group(2))
        return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"
    return None


def _strip_label(text: str) -> str:
    return re.sub(r"^(?:[IVX]{1,5}|\d{1,2}(?:\.\d{1,2}){0,2}|[a-zđ])\s*[.\-–)/:]\s*|^[-+•–*]\s+", "", text).strip()


def _unfoot(text: str) -> str:
    return re.sub(r"\[\^\d+\]", "", text)


# a task table's columns, by the words of its head (variants as printed in Decree 30 plans)
_COLUMNS = (
    ("tt", re.compile(r"^(?:s\s*)?tt\b|^so (?:tt|thu tu)\b|^thu tu\b")),
    ("deadline", re.compile(r"thoi gian|thoi han|tien do|moc thoi gian")),
    ("partners", re.compile(r"phoi hop")),
    ("lead", re.compile(r"chu tri")),
    ("text", re.compile(r"noi dung|nhiem vu|cong viec|hoat dong|giai phap|^ten\b")),
    ("lead", re.compile(r"don vi|co quan|thuc hien|trach nhiem|phu trach")),
)
_GROUP = re.compile(r"^(?P<num>[IVX]{1,5}|[A-Z])\s*[.)\-–:/]\s*\S")


def table_rows(table: str) -> list[list[str]]:
    """The cells of a Markdown table's rows (the rule under the head left out), ``\\|`` unescaped."""
    rows: list[list[str]] = []
    for line in table.split("\n"):
        inner = line.strip()[1:-1]
        if re.fullmatch(r"[\s:|-]*", inner):
            continue
        rows.append([c.replace("\\|", "|").strip() for c in re.split(r"(?<!\\)\|", inner)])
    return rows


def _roles(names: list[str]) -> dict[str, int]:
    roles: dict[str, int] = {}
    for col, name in enumerate(names):
        f = " ".join(fold(name).replace(".", " ").split())
        for role, rx in _COLUMNS:
            if role not in roles and rx.search(f):
                if role == "lead" and "phoi hop" in f and "chu tri" not in f:
                    continue
                roles[role] = col
                break
    return roles


def _head(rows: list[list[str]]) -> tuple[dict[str, int], int]:
    """The task table's columns and its first data row, or ({}, 0) if it is no task table.

    The head is one of the first three rows (a title row spanning the table may come first); a
    second head row ("Chủ trì | Phối hợp" under a merged "Đơn vị thực hiện") holds only column
    names and the names of the row above (cells merged down)."""
    for start in range(min(3, len(rows))):
        if len(rows[start]) > 2 and sum(1 for c in rows[start] if c) == 1:
            continue  # a title row spanning the table
        depth = 1
        if len(rows) > start + 1:
            above, second = rows[start], rows[start + 1]
            pairs = [(c, above[i] if i < len(above) else "") for i, c in enumerate(second) if c]
            if any(c != a for c, a in pairs) and all(c == a or (len(c) <= 40 and _roles([c])) for c, a in pairs):
                depth = 2
        head = rows[start : start + depth]
        names = [" ".join(r[col] if col < len(r) else "" for r in head) for col in range(len(rows[start]))]
        roles = _roles(names)
        if "text" in roles and ("lead" in roles or "deadline" in roles):
            return roles, start + depth
    return {}, 0


def _label(group: str | None) -> str | None:
    """A group row's number as a section ("I", "2"); a letter or a title is none (the schema's form)."""
    return group if group and re.fullmatch(r"[IVXLC]+|[0-9]+", group) else None


def _heading(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def table_tasks(table: str, section: str | None) -> list[Task]:
    """One task a data row of a task table: text, lead, partners and deadline from their columns;
    a row spanning the table ("I. CÔNG TÁC TUYÊN TRUYỀN") is the section of the rows under it."""
    rows = table_rows(table)
    roles, first = _head(rows)
    if not roles:
        return []
    tasks: list[Task] = []
    group: str | None = None

    def cell(row: list[str], role: str) -> str:
        col = roles.get(role)
        return row[col].strip() if col is not None and col < len(row) else ""

    for row in rows[first:]:
        filled = list(dict.fromkeys(c for c in row if c))
        text = cell(row, "text")
        if not filled:
            continue
        number = cell(row, "tt").rstrip(".")
        others = [cell(row, r) for r in ("lead", "partners", "deadline") if r in roles]
        if len(filled) == 1 or not text or (text == number and len(filled) <= 2):
            m = _GROUP.match(filled[0])
            group = _label(m.group("num") if m else None)
            continue
        if not any(others) and (re.fullmatch(r"[IVX]{1,5}|[A-Z]", number) or _heading(text)):
            m = _GROUP.match(text)
            group = _label(number or (m.group("num") if m else None))
            continue  # "I | CÔNG TÁC TUYÊN TRUYỀN | | |": a group row written in the columns
        number = number.lower() if re.fullmatch(r"[0-9a-zđ]{1,4}(?:\.[0-9a-zđ]{1,4}){0,3}", number.lower()) else ""
        number = number or str(len(tasks) + 1)
        appendix = section if section and section.startswith("PL") else None  # "PLI.I.1": no clash with I.1
        prefix = ".".join(x for x in (appendix, group) if x) or section
        t = _task(f"{prefix}.{number}" if prefix else number, text)
        if "lead" in roles:  # a column says it; the text's own words only where there is none
            t.lead = cell(row, "lead") or None
        if "partners" in roles or "lead" in roles:
            t.partners = cell(row, "partners") or None
        if "deadline" in roles:
            printed = cell(row, "deadline")
            _dl, due, rec = deadline(printed)
            t.deadline, t.due_date, t.recurrence = printed or None, due_date(printed) or due, rec
        tasks.append(t)
    return tasks


def find_tasks(blocks: list[Block]) -> list[Task]:
    tasks: list[Task] = []
    has_roman = any(b.kind == "h2" and not (b.label or "").startswith("PL") for b in blocks)
    if not has_roman:
        return _news_tasks(blocks)
    roman: str | None = None
    active = False
    sub: str | None = None
    sub_lead: str | None = None
    for b in blocks:
        if b.kind == "h2":
            roman, sub, sub_lead = b.label, None, None
            f = fold(b.text)
            active = bool(_TASK_SECTION.search(f)) and not _NOT_TASK_SECTION.search(f)
            active = active and not (b.label or "").startswith("PL")
            continue
        if b.kind == "table":
            tasks.extend(table_tasks(b.text, sub or roman))
            continue
        if not active or roman is None:
            continue
        text = _unfoot(_strip_label(b.text))
        if b.kind == "h3":
            sub = f"{roman}.{b.label}"
            heading = text
            sub_lead = heading if _is_unit(heading) and len(heading.split()) <= 15 else None
            continue
        if text.endswith(":") or len(text) < 10 or fold(text).startswith("tren day la"):
            continue
        if b.kind == "item":
            section, sub, sub_lead = f"{roman}.{b.label}", f"{roman}.{b.label}", None
        elif b.kind == "sub":
            section = f"{sub or roman}.{b.label}"
        else:
            section = sub or roman
        t = _task(section, text)
        if t.lead is None and sub_lead:
            t.lead, t.inferred = sub_lead, ["lead"]
        tasks.append(t)
    return tasks


def _task(section: str, text: str) -> Task:
    lead, partners = leads(text)
    dl, due, rec = deadline(text)
    return Task(section, text, lead, partners, dl, due, rec)


def _news_tasks(blocks: list[Block]) -> list[Task]:
    tasks: list[Task] = []
    started = False
    appendix: str | None = None
    for b in blocks:
        if b.kind == "table":
            tasks.extend(table_tasks(b.text, appendix))
            continue
        if b.kind == "h2" and (b.label or "").startswith("PL"):
            appendix = b.label
        if appendix:
            continue
        text = _unfoot(b.text)
        if not started:  # the lead-in sentence; "Kính gửi:" (a letter's addressees) is none
            started = text.rstrip().endswith(":") and not fold(text).startswith("kinh gui")
            continue
        if len(text) < 20:
            continue
        tasks.append(_task(str(len(tasks) + 1), _strip_label(text)))
        tasks[-1].inferred.append("section")
    return tasks
