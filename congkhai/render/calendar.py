"""The one iCalendar writer (RFC 5545) of the tasks' deadlines: ``lich-nhiem-vu.ics``, and one
plan's, body's or province's (:mod:`.follow`).

One all-day event per task with a due date, with a recurrence rule when it recurs (ending with
the plan's period when the record gives one); a task without a due date is no event, and the
calendar's description (``X-WR-CALDESC``) says how many there are and why. Deterministic
(``DTSTAMP`` is when the data last changed, never the clock), every TEXT value escaped and every
line folded at 75 octets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..derive.monitoring import NO_LEAD, _date, shorten, task_state
from ..derive.status import extended_period, plan_period
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
    start, limit = 0, 75  # a continuation line starts with a space: 74 octets of the line
    while len(encoded) - start > limit:
        end = start + limit
        while encoded[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: cut before its character
            end -= 1
        out.append(encoded[start:end])
        start, limit = end, 74
    out.append(encoded[start:])
    return b"\r\n ".join(out) + b"\r\n"


def _ics_date(d: dt.date) -> str:
    return d.strftime("%Y%m%d")


def ics_stamp(value: str | None, today: dt.date) -> str:
    """``DTSTAMP`` (a UTC date-time, RFC 5545 §3.8.7.2) from when the data last changed (an ISO 8601
    time or date, e.g. ``Corpus.modified``); ``today`` only when the data has no date at all."""
    text = str(value or "").strip()
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00")) if len(text) > 10 else None
    except ValueError:
        when = None
    if when is not None:
        when = when.astimezone(dt.UTC) if when.tzinfo else when
        return when.strftime("%Y%m%dT%H%M%SZ")
    day = _date(text) or today
    return _ics_date(day) + "T000000Z"


def period_ends(plans: Iterable[Mapping[str, Any]], tasks: Iterable[Mapping[str, Any]]) -> dict[str, dt.date]:
    """Plan id → the last day of the plan's period (:func:`.derive.status.plan_period`, extended
    when the record says so), for the plans whose record gives one: a recurring deadline repeats
    until then (``UNTIL``), and without it the rule has no end."""
    by_plan: dict[str, list[Mapping[str, Any]]] = {}
    for t in tasks:
        by_plan.setdefault(str(t.get("plan_id")), []).append(t)
    out = {}
    for plan in plans:
        pid = str(plan["id"])
        period = extended_period(plan, plan_period(plan, by_plan.get(pid, [])))
        if period is not None and period.end is not None:
            out[pid] = period.end
    return out


def rrule(recurrence: Any, due: dt.date, end: dt.date | None) -> str | None:
    """The ``RRULE`` of a task recurring (vocabulary ``recurrence``) from ``due``, repeating until
    ``end`` (the plan's period's last day) when known and not before ``due``; None for a task done
    once, continuously or when asked."""
    rule = RRULES.get(str(recurrence))
    if rule is None:
        return None
    return f"{rule};UNTIL={_ics_date(end)}" if end is not None and end >= due else rule


def caldesc(events: int, undated: int, dropped: int = 0) -> str:
    """The calendar's description: what it holds and why some tasks are not in it."""
    text = f"{events} nhiệm vụ có ngày hạn, mỗi nhiệm vụ một sự kiện cả ngày vào ngày hạn"
    text += "; nhiệm vụ định kỳ lặp lại đến hết thời gian thực hiện của kế hoạch (nếu văn bản ghi)."
    if dropped:
        text += f" {dropped} nhiệm vụ có hạn sớm nhất không còn trong lịch để lịch không lớn mãi."
    if undated:
        text += (
            f" {undated} nhiệm vụ khác không có trong lịch vì văn bản không ghi ngày hạn cụ thể"
            " (ví dụ “Thường xuyên”, “hằng năm” không kèm ngày, hoặc không ghi thời hạn);"
            " xem thời hạn như bản in trên trang kế hoạch."
        )
    return text


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
    updated: str | None = None,
    ends: Mapping[str, dt.date] | None = None,
    undated: int | None = None,
) -> bytes:
    """iCalendar feed: one all-day VEVENT per task with a due date, with an RRULE when it recurs.

    ``DTSTAMP`` is ``updated`` (when the data last changed: ``Corpus.modified``; ``today`` only
    without it), never the clock, so the output is deterministic. ``UID`` is
    ``<plan_id>/<task_id>@cong-khai`` and survives rebuilds (and is the same task in every calendar
    that carries it). ``states``: the tasks to carry (their :func:`.derive.monitoring.task_state`),
    all of ``rows`` by default; ``name`` follows the publisher's in the calendar's name; ``limit``:
    at most that many events, those due last (a calendar followed for years must not grow without
    bound; the events dropped are the oldest deadlines); ``text_limit``: the task's text in the
    description cut to that many characters (the event links the plan page, which has it whole);
    ``plans``: plan id → plan row, when the caller has it (one calendar per plan or body must not
    index every plan of the country again); ``ends``: plan id → its period's last day
    (:func:`period_ends`, computed from ``rows`` when not given), where a recurring task's rule stops;
    ``undated``: how many of the calendar's tasks have no due date (counted from ``states`` when
    they are all of ``rows``' tasks), said in ``X-WR-CALDESC``.
    """
    status_vocab = model.vocabularies["task_status"]
    root = base_url.rstrip("/")
    if plans is None:
        plans = {p["id"]: p for p in rows.get("plans", [])}
    if states is None:
        states = task_state(rows.get("tasks", []), rows.get("task_updates", []), today)
    events = dated(states)
    if undated is None:
        undated = len(states) - len(events)
    dropped = 0
    if ends is None:
        ends = period_ends(plans.values(), rows.get("tasks", []))
    if limit is not None and len(events) > limit:
        dropped = len(events) - limit
        events = events[dropped:]
    stamp = ics_stamp(updated, today)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{UID_DOMAIN}//Lich nhiem vu//VI",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + ics_text(f"{PUBLISHER} — {name}"),
        "X-WR-CALDESC:" + ics_text(caldesc(len(events), undated, dropped)),
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
        rule = rrule(s["recurrence"], due, ends.get(str(s["plan_id"])))
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
