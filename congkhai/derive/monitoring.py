"""Implementation monitoring: where each task stands, from the progress updates kept in the repo.

Law 10/2022/QH15 asks that plans *and the results of implementing them* be disclosed so that
citizens can inspect and supervise ("dân kiểm tra, dân giám sát"). From the ``tasks`` rows and the
full history in ``task_updates`` this module derives

* ``task_state``: each task's current status (its latest update, else the plan's own status),
  whether it is overdue or due this month — against a ``today`` the caller gives (tests inject it);
* ``monitoring_page``: the Vietnamese "Theo dõi thực hiện" page, by lead unit and by plan;
* ``ics_feed``: an iCalendar feed (RFC 5545) of the tasks' deadlines;
* ``status_feed``: an Atom feed of status changes.

Everything is pure and deterministic: no clock, no files; every value is escaped.
"""

from __future__ import annotations

import calendar
import datetime as dt
import posixpath
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any
from xml.etree import ElementTree as ET

from ..model import sitemap
from ..model.schemas import Model, load_model
from ..model.sitemap import plan_md, plan_path, unit_md
from ..model.urls import safe_url
from ..read.records import Row
from ..render.markdown import esc
from ..render.markdown import table as md_table
from ..render.metadata import _NS, ATOM, PUBLISHER
from ..vietnamese.text import date_vi
from ..vietnamese.text import fold as fold_accents

CLOSED = frozenset({"done", "cancelled"})
NO_LEAD = "Chưa xác định đơn vị chủ trì"
UID_DOMAIN = "cong-khai"
# recurrence → RRULE (vocabulary ``recurrence``); none / continuous / as_needed have no rule
RRULES = {
    "yearly": "FREQ=YEARLY",
    "half_yearly": "FREQ=MONTHLY;INTERVAL=6",
    "quarterly": "FREQ=MONTHLY;INTERVAL=3",
    "monthly": "FREQ=MONTHLY",
    "weekly": "FREQ=WEEKLY",
}


def _date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip()) if value not in (None, "") else None
    except ValueError:
        return None


def shorten(text: Any, limit: int = 120) -> str:
    """One line of at most ``limit`` characters, cut at a word boundary with an ellipsis."""
    words = " ".join(str(text or "").split())
    if len(words) <= limit:
        return words
    cut = words[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.") + "…"


def _key(row: Mapping[str, Any], id_field: str = "id") -> tuple[str, str]:
    return (str(row.get("plan_id") or ""), str(row.get(id_field) or ""))


def _history(updates: Iterable[Row]) -> dict[tuple[str, str], list[Row]]:
    """Updates per task, oldest first (ties keep the file's order)."""
    out: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for u in updates:
        out[_key(u, "task_id")].append(u)
    for rows in out.values():
        rows.sort(key=lambda u: str(_date(u.get("date")) or ""))
    return out


def task_state(tasks: Iterable[Row], updates: Iterable[Row], today: dt.date) -> list[dict[str, Any]]:
    """Per task (in the given order): its current status and whether it is overdue or due soon.

    ``status`` is the latest update's (by date), else the task's own; ``overdue`` means a due
    date before ``today`` and not done or cancelled; ``due_this_month`` means due from ``today``
    to the end of this month and not done or cancelled (so never both). For a recurring task the
    due date is its first occurrence, as in the ``tasks`` table.
    """
    history = _history(updates)
    month_end = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    out: list[dict[str, Any]] = []
    for t in tasks:
        hist = history.get(_key(t), [])
        last = hist[-1] if hist else None
        status = str((last or {}).get("status") or t.get("status") or "not_reported")
        due = _date(t.get("due_date"))
        open_ = status not in CLOSED
        last_date = _date(last.get("date")) if last else None
        out.append(
            {
                "plan_id": t.get("plan_id"),
                "task_id": t.get("id"),
                "section": t.get("section"),
                "text": t.get("text"),
                "lead": t.get("lead"),
                "lead_units": list(t.get("lead_units") or []),
                "deadline": t.get("deadline"),
                "due_date": due.isoformat() if due else None,
                "recurrence": t.get("recurrence"),
                "status": status,
                "progress": _int((last or {}).get("progress")),
                "last_update": last_date.isoformat() if last_date else None,
                "result": (last or {}).get("result"),
                "evidence": (last or {}).get("evidence"),
                "reported_by": (last or {}).get("reported_by"),
                "updates": len(hist),
                "overdue": bool(due and due < today and open_),
                "due_this_month": bool(due and today <= due <= month_end and open_),
            }
        )
    return out


# --- the page ----------------------------------------------------------------------------------


def _link(here: str, target: str, text: str) -> str:
    """A Markdown link between source pages (MkDocs strict mode checks it)."""
    return f"[{text}]({posixpath.relpath(target, posixpath.dirname(here) or '.')})"


def _table(header: list[str], rows: Iterable[list[str]]) -> list[str]:
    return [*md_table(header, rows).split("\n"), ""]


def _pct(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"


def _lead_units(rows: Mapping[str, list[Row]]) -> dict[tuple[str, str], list[str]]:
    """(plan, task) → lead unit ids in order, from ``task_units`` (else the task's ``lead_units``)."""
    out: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    for r in rows.get("task_units", []):
        if r.get("role") == "lead" and r.get("unit"):
            out[_key(r, "task_id")].append((int(r.get("seq") or 0), str(r["unit"])))
    result = {k: [u for _, u in sorted(v)] for k, v in out.items()}
    for t in rows.get("tasks", []):
        result.setdefault(_key(t), [str(u) for u in t.get("lead_units") or []])
    return result


def monitoring_page(model: Model, rows: Mapping[str, list[Row]], today: dt.date, page: str = sitemap.MONITORING) -> str:
    """The "Theo dõi thực hiện" page: per lead unit and per plan, done / overdue / due this month."""
    status_vocab = model.vocabularies["task_status"]

    def label(code: str) -> str:
        return esc(status_vocab.label(code) if code in status_vocab.values else code)

    plans = {p["id"]: p for p in rows.get("plans", [])}
    units = {u["id"]: u for u in rows.get("units", [])}
    states = task_state(rows.get("tasks", []), rows.get("task_updates", []), today)
    leads = _lead_units(rows)

    def plan_link(pid: str, text: str | None = None) -> str:
        plan = plans.get(pid)
        if plan is None:
            return esc(pid)
        return _link(page, plan_md(plan), esc(text if text is not None else plan.get("number_symbol") or plan["title"]))

    def unit_heading(uid: str | None) -> str:
        if uid is None:
            return esc(NO_LEAD)
        unit = units.get(uid)
        return esc(unit.get("name") or uid) if unit else esc(uid)

    def unit_cell(uid: str | None) -> str:
        if uid is None or uid not in units:
            return unit_heading(uid)
        return _link(page, unit_md(uid), unit_heading(uid))

    by_unit: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for s in states:
        lead_ids: list[str | None] = list(leads.get(_key(s, "task_id"), []))
        for lead_id in lead_ids or [None]:
            by_unit[lead_id].append(s)

    def unit_order(uid: str | None) -> tuple[int, str, str]:
        if uid is None:
            return (1, "", "")
        return (0, fold_accents(str(units.get(uid, {}).get("name") or uid)), uid)

    order = sorted(by_unit, key=unit_order)
    n_overdue = sum(s["overdue"] for s in states)
    n_month = sum(s["due_this_month"] for s in states)
    n_done = sum(s["status"] == "done" for s in states)
    n_updates = len(rows.get("task_updates", []))
    lines = [
        "---",
        "title: Theo dõi thực hiện",
        "description: Tình hình thực hiện nhiệm vụ của các kế hoạch theo đơn vị chủ trì — quá hạn, đến hạn trong tháng, đã hoàn thành.",
        "---",
        "",
        "# Theo dõi thực hiện",
        "",
        f"Tính đến ngày {date_vi(today.isoformat())}: {len(states)} nhiệm vụ, {n_done} đã hoàn thành, "
        f"{n_overdue} quá hạn, {n_month} đến hạn trong tháng {today.month:02d}/{today.year}. "
        f"Số liệu từ {n_updates} báo cáo tiến độ do các cơ quan cập nhật; nhiệm vụ chưa có báo cáo "
        "giữ tình trạng ghi trong kế hoạch.",
        "",
        "Quá hạn: đã qua hạn hoàn thành mà chưa hoàn thành hoặc hủy. Nhiệm vụ lặp lại tính theo hạn lần đầu.",
        "",
        "## Theo đơn vị chủ trì",
        "",
    ]
    lines += _table(
        ["Đơn vị chủ trì", "Nhiệm vụ", "Đã hoàn thành", "Quá hạn", "Đến hạn trong tháng"],
        (
            [
                unit_cell(uid),
                str(len(by_unit[uid])),
                str(sum(s["status"] == "done" for s in by_unit[uid])),
                str(sum(s["overdue"] for s in by_unit[uid])),
                str(sum(s["due_this_month"] for s in by_unit[uid])),
            ]
            for uid in order
        ),
    )

    def task_rows(items: list[dict[str, Any]]) -> list[list[str]]:
        items = sorted(items, key=lambda s: (s["due_date"] or "", str(s["plan_id"]), str(s["task_id"])))
        return [
            [
                plan_link(str(s["plan_id"])),
                esc(s["section"]),
                esc(shorten(s["text"])),
                date_vi(s["due_date"]),
                label(s["status"]) + (f" ({s['progress']}%)" if s["progress"] is not None else ""),
                date_vi(s["last_update"]) if s["last_update"] else "Chưa có",
            ]
            for s in items
        ]

    header = ["Kế hoạch", "Mục", "Nhiệm vụ", "Hạn", "Tình trạng", "Cập nhật"]
    for uid in order:
        overdue = [s for s in by_unit[uid] if s["overdue"]]
        month = [s for s in by_unit[uid] if s["due_this_month"]]
        if not overdue and not month:
            continue
        lines += [f"### {unit_heading(uid)}", ""]
        if uid is not None and uid in units:
            lines += [f"Trang đơn vị: {unit_cell(uid)}.", ""]
        if overdue:
            lines += [f"**Quá hạn ({len(overdue)})**", ""] + _table(header, task_rows(overdue))
        if month:
            lines += [f"**Đến hạn trong tháng ({len(month)})**", ""] + _table(header, task_rows(month))

    by_plan: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s in states:
        by_plan[str(s["plan_id"])].append(s)
    lines += ["## Theo kế hoạch", ""]
    lines += _table(
        [
            "Kế hoạch",
            "Nhiệm vụ",
            "Đã hoàn thành",
            "Tỷ lệ hoàn thành",
            "Quá hạn",
            "Đến hạn trong tháng",
            "Cập nhật gần nhất",
        ],
        (
            [
                plan_link(pid, plans[pid]["title"] if pid in plans else None),
                str(len(items)),
                str(sum(s["status"] == "done" for s in items)),
                _pct(sum(s["status"] == "done" for s in items), len(items)),
                str(sum(s["overdue"] for s in items)),
                str(sum(s["due_this_month"] for s in items)),
                date_vi(max(dates)) if (dates := [s["last_update"] for s in items if s["last_update"]]) else "Chưa có",
            ]
            for pid, items in sorted(by_plan.items())
        ),
    )
    return "\n".join(lines).rstrip("\n") + "\n"


# --- iCalendar ---------------------------------------------------------------------------------


def ics_text(value: Any) -> str:
    """Escape a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines."""
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> bytes:
    """A content line folded at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character, CRLF-ended."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return encoded + b"\r\n"
    out: list[bytes] = []
    current = b""
    limit = 75
    for ch in line:
        b = ch.encode("utf-8")
        if len(current) + len(b) > limit:
            out.append(current)
            current = b" "
            limit = 75
        current += b
    out.append(current)
    return b"\r\n".join(out) + b"\r\n"


def _ics_date(d: dt.date) -> str:
    return d.strftime("%Y%m%d")


def ics_feed(rows: Mapping[str, list[Row]], base_url: str, today: dt.date, model: Model | None = None) -> bytes:
    """iCalendar feed: one all-day VEVENT per task with a due date, with an RRULE when it recurs.

    ``DTSTAMP`` is ``today`` (not the clock), so the output is deterministic. ``UID`` is
    ``<plan_id>/<task_id>@cong-khai`` and survives rebuilds.
    """
    model = model or load_model()
    status_vocab = model.vocabularies["task_status"]
    root = base_url.rstrip("/")
    plans = {p["id"]: p for p in rows.get("plans", [])}
    states = task_state(rows.get("tasks", []), rows.get("task_updates", []), today)
    stamp = _ics_date(today) + "T000000Z"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{UID_DOMAIN}//Lich nhiem vu//VI",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + ics_text(f"{PUBLISHER} — hạn nhiệm vụ"),
    ]
    for s in sorted(states, key=lambda s: (s["due_date"] or "", str(s["plan_id"]), str(s["task_id"]))):
        due = _date(s["due_date"])
        if due is None:
            continue
        plan = plans.get(str(s["plan_id"]), {})
        plan_name = " ".join(str(x) for x in (plan.get("number_symbol"), plan.get("title")) if x) or str(s["plan_id"])
        status = str(s["status"])
        desc = [
            f"Chủ trì: {s['lead'] or NO_LEAD}",
            f"Kế hoạch: {plan_name}",
            f"Mục {s['section']}: {' '.join(str(s['text'] or '').split())}",
        ]
        if s["deadline"]:
            desc.append(f"Thời hạn: {s['deadline']}")
        desc.append(f"Tình trạng: {status_vocab.label(status) if status in status_vocab.values else status}")
        lines += [
            "BEGIN:VEVENT",
            f"UID:{s['plan_id']}/{s['task_id']}@{UID_DOMAIN}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{_ics_date(due)}",
            f"DTEND;VALUE=DATE:{_ics_date(due + dt.timedelta(days=1))}",
        ]
        rule = RRULES.get(str(s["recurrence"]))
        if rule:
            lines.append(f"RRULE:{rule}")
        lines += [
            "SUMMARY:" + ics_text(shorten(s["text"], 100)),
            "DESCRIPTION:" + ics_text("\n".join(desc)),
            "TRANSP:TRANSPARENT",
        ]
        if status == "cancelled":
            lines.append("STATUS:CANCELLED")
        if plan and root:
            lines.append(f"URL:{root}/{plan_path(plan)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return b"".join(fold(line) for line in lines)


# --- Atom feed of status changes --------------------------------------------------------------


def status_changes(tasks: Iterable[Row], updates: Iterable[Row]) -> list[dict[str, Any]]:
    """Updates whose status differs from the task's previous update (a task's first update counts),
    newest first (ties by plan and task id); each with ``previous`` (the status before, or the
    task's own status for a first update)."""
    own = {_key(t): str(t.get("status") or "not_reported") for t in tasks}
    out: list[dict[str, Any]] = []
    for key, hist in _history(updates).items():
        before: str | None = None
        for u in hist:
            status = str(u.get("status") or "")
            if before is None or status != before:
                out.append(
                    {
                        **u,
                        "previous": before if before is not None else own.get(key, "not_reported"),
                        "first": before is None,
                    }
                )
            before = status
    out.sort(key=lambda c: (str(c.get("plan_id")), str(c.get("task_id"))))
    out.sort(key=lambda c: str(_date(c.get("date")) or ""), reverse=True)
    return out


def status_feed(
    rows: Mapping[str, list[Row]],
    base_url: str,
    updated: str,
    model: Model | None = None,
    limit: int | None = None,
) -> bytes:
    """Atom feed of task status changes, newest first; entry ids are ``urn:uuid:`` from plan, task
    and date, so they are stable. ``updated`` (RFC 3339 or a date) is given by the caller."""
    model = model or load_model()
    status_vocab = model.vocabularies["task_status"]

    def label(code: str) -> str:
        return status_vocab.label(code) if code in status_vocab.values else code

    root = base_url.rstrip("/")
    plans = {p["id"]: p for p in rows.get("plans", [])}
    tasks = {_key(t): t for t in rows.get("tasks", [])}
    changes = status_changes(rows.get("tasks", []), rows.get("task_updates", []))
    stamp = updated + "T00:00:00Z" if len(updated) == 10 else updated.replace("+00:00", "Z")
    ET.register_namespace("", ATOM)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            el.text = text
        return el

    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "vi"})
    sub(feed, "id", f"urn:uuid:{uuid.uuid5(_NS, 'feed:task-status')}")
    sub(feed, "title", f"{PUBLISHER} — tiến độ thực hiện nhiệm vụ")
    sub(feed, "subtitle", "Thay đổi tình trạng thực hiện nhiệm vụ của các kế hoạch")
    sub(feed, "updated", stamp)
    sub(feed, "link", rel="self", type="application/atom+xml", href=f"{root}/{sitemap.STATUS_FEED}")
    sub(feed, "link", rel="alternate", type="text/html", href=f"{root}/{sitemap.md_url(sitemap.MONITORING)}")
    sub(sub(feed, "author"), "name", PUBLISHER)
    for c in changes[:limit] if limit is not None else changes:
        pid, tid = str(c.get("plan_id")), str(c.get("task_id"))
        task = tasks.get((pid, tid), {})
        plan = plans.get(pid)
        date = _date(c.get("date"))
        day = date.isoformat() if date else str(c.get("date"))
        entry = sub(feed, "entry")
        sub(entry, "id", f"urn:uuid:{uuid.uuid5(_NS, f'task-update:{pid}/{tid}/{day}')}")
        who = (plan or {}).get("number_symbol") or pid
        title = f"{who}, mục {task.get('section') or tid}: {label(str(c.get('status')))}"
        sub(entry, "title", title)
        if plan is not None:
            sub(entry, "link", rel="alternate", type="text/html", href=f"{root}/{plan_path(plan)}")
        sub(entry, "updated", f"{day}T00:00:00Z")
        if c.get("reported_by"):
            sub(sub(entry, "author"), "name", str(c["reported_by"]))
        summary = [
            f"Nhiệm vụ: {shorten(task.get('text'), 200)}" if task else f"Nhiệm vụ {tid}",
            f"Tình trạng: {label(str(c['previous']))} → {label(str(c.get('status')))}"
            if not c["first"] or c["previous"] != c.get("status")
            else f"Tình trạng: {label(str(c.get('status')))}",
        ]
        if _int(c.get("progress")) is not None:
            summary.append(f"Tiến độ: {_int(c['progress'])}%")
        if c.get("result"):
            summary.append(f"Kết quả: {' '.join(str(c['result']).split())}")
        evidence = safe_url(c.get("evidence"))
        if evidence:
            summary.append(f"Minh chứng: {evidence}")
            sub(entry, "link", rel="related", href=evidence)
        sub(entry, "summary", "\n".join(summary), type="text")
    ET.indent(feed, space=" ")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"
