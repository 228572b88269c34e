"""The one iCalendar writer (RFC 5545) of the tasks' deadlines: ``lich-nhiem-vu.ics``, and one
plan's, body's or province's (:mod:`.follow`).

One all-day event per task with a due date, with a recurrence rule when it recurs; deterministic
(``DTSTAMP`` is the build's ``today``), every TEXT value escaped and every line folded at 75 octets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..derive.monitoring import NO_LEAD, _date, shorten, task_state
from ..model.schemas import Model
from ..model.sitemap import plan_path
from ..read.records import Row
from .metadata import PUBLISHER

UID_DOMAIN = "cong-khai"


# recurrence → RRULE (vocabulary ``recurrence``); none / continuous / as_needed have no rule
RRULES = {
    "yearly": "FREQ=YEARLY",
    "half_yearly": "FREQ=MONTHLY;INTERVAL=6",
    "quarterly": "FREQ=MONTHLY;INTERVAL=3",
    "monthly": "FREQ=MONTHLY",
    "weekly": "FREQ=WEEKLY",
}


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


def dated(states: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The task states (:func:`.derive.monitoring.task_state`) that have a due date, in the
    calendar's order: by due date, plan and task."""
    found = [s for s in states if _date(s["due_date"]) is not None]
    return sorted(found, key=lambda s: (s["due_date"] or "", str(s["plan_id"]), str(s["task_id"])))


def ics_feed(
    rows: Mapping[str, list[Row]],
    base_url: str,
    today: dt.date,
    model: Model,
    *,
    states: Sequence[Mapping[str, Any]] | None = None,
    name: str = "hạn nhiệm vụ",
    limit: int | None = None,
    text_limit: int | None = None,
    plans: Mapping[str, Mapping[str, Any]] | None = None,
) -> bytes:
    """iCalendar feed: one all-day VEVENT per task with a due date, with an RRULE when it recurs.

    ``DTSTAMP`` is ``today`` (not the clock), so the output is deterministic. ``UID`` is
    ``<plan_id>/<task_id>@cong-khai`` and survives rebuilds (and is the same task in every calendar
    that carries it). ``states``: the tasks to carry (their :func:`.derive.monitoring.task_state`),
    all of ``rows`` by default; ``name`` follows the publisher's in the calendar's name; ``limit``:
    at most that many events, those due last (a calendar followed for years must not grow without
    bound; the events dropped are the oldest deadlines); ``text_limit``: the task's text in the
    description cut to that many characters (the event links the plan page, which has it whole);
    ``plans``: plan id → plan row, when the caller has it (one calendar per plan or body must not
    index every plan of the country again).
    """
    status_vocab = model.vocabularies["task_status"]
    root = base_url.rstrip("/")
    if plans is None:
        plans = {p["id"]: p for p in rows.get("plans", [])}
    if states is None:
        states = task_state(rows.get("tasks", []), rows.get("task_updates", []), today)
    events = dated(states)
    if limit is not None and len(events) > limit:
        events = events[len(events) - limit :]
    stamp = _ics_date(today) + "T000000Z"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{UID_DOMAIN}//Lich nhiem vu//VI",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + ics_text(f"{PUBLISHER} — {name}"),
    ]
    for s in events:
        due = _date(s["due_date"])
        assert due is not None
        plan = plans.get(str(s["plan_id"]), {})
        plan_name = " ".join(str(x) for x in (plan.get("number_symbol"), plan.get("title")) if x) or str(s["plan_id"])
        status = str(s["status"])
        desc = [
            f"Chủ trì: {s['lead'] or NO_LEAD}",
            f"Kế hoạch: {plan_name}",
            f"Mục {s['section']}: {shorten(s['text'], text_limit) if text_limit else ' '.join(str(s['text'] or '').split())}",
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
