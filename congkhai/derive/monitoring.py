"""Implementation monitoring: where each task stands, from the progress updates kept in the repo.

Law 10/2022/QH15 asks that plans *and the results of implementing them* be disclosed so that
citizens can inspect and supervise ("dân kiểm tra, dân giám sát"). From the ``tasks`` rows and the
full history in ``task_updates`` this module derives

* ``task_state``: each task's current status (its latest update, else the plan's own status),
  whether it is overdue or due this month — against a ``today`` the caller gives (tests inject it);
* ``status_changes``: the updates that changed a task's status, newest first;
* ``lead_units``: each task's lead units in order.

The page (``render/monitoring.py``), the calendar (``render/calendar.py``) and the feed of status
changes (``render/feeds.py``) are written from these. Everything is pure and deterministic: no
clock, no files.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from ..read.records import Row

CLOSED = frozenset({"done", "cancelled"})
NO_LEAD = "Chưa xác định đơn vị chủ trì"


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


def lead_units(rows: Mapping[str, list[Row]]) -> dict[tuple[str, str], list[str]]:
    """(plan, task) → lead unit ids in order, from ``task_units`` (else the task's ``lead_units``)."""
    out: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    for r in rows.get("task_units", []):
        if r.get("role") == "lead" and r.get("unit"):
            out[_key(r, "task_id")].append((int(r.get("seq") or 0), str(r["unit"])))
    result = {k: [u for _, u in sorted(v)] for k, v in out.items()}
    for t in rows.get("tasks", []):
        result.setdefault(_key(t), [str(u) for u in t.get("lead_units") or []])
    return result


# --- iCalendar ---------------------------------------------------------------------------------


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
