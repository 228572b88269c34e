"""Candidate tasks from a plan's structure: who leads, who partners, by when.

Tasks are the numbered items, lettered sub-items, bullets and paragraphs of the content and
organisation sections ("Nội dung", "Nhiệm vụ", "Giải pháp", "Tổ chức thực hiện"), never of
"Mục đích, yêu cầu". A news article without sections gives one task per paragraph after its
lead-in sentence (the one ending with ":"). Leads come from "X chủ trì", "Giao X …",
"X phối hợp với Y …", a sentence starting with a body's name, or the sub-heading naming a body;
deadlines from "Thời gian: …", "trước ngày 15/11 hằng năm", "Quý II/2024", "đến hết năm 2024",
"Thường xuyên".
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field

from congkhai.vietnamese.text import fold

from .body import Block

_TASK_SECTION = re.compile(r"noi dung|nhiem vu|giai phap|to chuc thuc hien|phan cong|trach nhiem|hoat dong")
_NOT_TASK_SECTION = re.compile(r"muc dich|yeu cau|ket qua|tinh hinh|danh gia")
UNIT_START = re.compile(
    r"^(?:(?:giao|de nghi|yeu cau)\s+)?(?:cac\s+|moi\s+)?(?:so|phong|ban|ubnd|uy ban|ubmttq|mttq|mat tran|cong an|"
    r"van phong|thanh tra|trung tam|hoi|doan|khoi|huyen uy|thanh uy|tinh uy|dang uy|co quan|bao|dai|chi cuc|"
    r"cuc|bo|hdnd|hoi dong|nguoi dung dau|thu truong|lanh dao|chu tich|don vi|dia phuong|"
    r"cap uy|chinh quyen|ban chi dao|thuong truc|quan doi|bch|ban chqs)\b"
)
_VERBS = (
    r"chu tri|phoi hop|tiep tuc|can cu|thuc hien|to chuc|xay dung|chi dao|tham muu|co trach nhiem|"
    r"nghiem tuc|chu dong|theo doi|tich cuc|trien khai|huong dan|tang cuong|kip thoi|ra soat|day manh|"
    r"phu trach|quan triet|tuyen truyen|bao cao|tong hop|kiem tra|duy tri|nam chac|nang cao|lam tot|"
    r"quan tam|dam bao|bo tri|cung cap|thuong xuyen|phat huy|cap nhat|dua tin|can"
)
_SUBJECT = re.compile(rf"^(?P<who>.{{3,200}}?)\s+(?:{_VERBS})\b")
_LEAD = re.compile(
    rf"(?:^|[.;]\s+)(?:giao\s+)?(?P<lead>[^.;:]{{3,200}}?)\s+chu tri\b(?:\s*,?\s*phoi hop\s+(?:voi\s+)?(?P<partners>[^.;:]{{3,200}}?)(?=\s+(?:{_VERBS})\b|[.;:]|$))?"
)
_PARTNER = re.compile(
    rf"^(?:giao\s+)?(?P<lead>[^.;:]{{3,200}}?)\s+phoi hop\s+(?:voi\s+)?(?P<partners>[^.;:]{{3,200}}?)(?=\s+(?:{_VERBS})\b|[.;:]|$)"
)
_GIAO = re.compile(rf"(?:^|[.;]\s+)giao\s+(?P<lead>[^.;:]{{3,200}}?)(?=\s+(?:{_VERBS})\b|[.;:]|$)")

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
    return bool(UNIT_START.match(fold(s).strip()))


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
            return _tidy(lead), _tidy(partners)
    m = _PARTNER.match(folded)
    if m:
        lead = _cut(text, folded, m.start("lead"), m.end("lead"))
        if _is_unit(lead) and len(lead.split()) <= 20 and not re.search(rf"\b(?:{_VERBS})\b", fold(lead)):
            return _tidy(lead), _tidy(_cut(text, folded, m.start("partners"), m.end("partners")))
    m = _GIAO.search(folded)
    if m:
        lead = _cut(text, folded, m.start("lead"), m.end("lead"))
        if lead and _is_unit(lead):
            return _tidy(lead), None
    m = _SUBJECT.match(folded)
    if m and _is_unit(m.group("who")) and len(m.group("who").split()) <= 30:
        return _tidy(_cut(text, folded, m.start("who"), m.end("who"))), None
    return None, None


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


def find_tasks(blocks: list[Block]) -> list[Task]:
    tasks: list[Task] = []
    has_roman = any(b.kind == "h2" for b in blocks)
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
    for b in blocks:
        text = _unfoot(b.text)
        if not started:
            started = text.rstrip().endswith(":")
            continue
        if len(text) < 20:
            continue
        tasks.append(_task(str(len(tasks) + 1), _strip_label(text)))
        tasks[-1].inferred.append("section")
    return tasks
