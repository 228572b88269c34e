"""Where a plan honestly stands today: its state follows its period and its record.

A plan's ``status`` field is what a clerk wrote once; it does not change when the year ends, so a
plan "for 2023" written ``in_force`` would still read "Đang thực hiện" in 2026. This module derives
the period a plan covers from the record itself (the title's "năm 2024" or "giai đoạn 2021–2025",
its tasks' due dates and deadlines) and states what the label is based on ("Căn cứ: …"), so a
reader can check it. A plan stays "Đang thực hiện" after its period only when the record says it
was extended: the field ``extended_to`` (the new last day; the extending document goes in
``status_reason``), or a task due later. Words in ``status_reason`` are not read for this: "không
gia hạn" would have matched.

:func:`plan_state` is a pure function of the plan row, its task rows and ``today`` (the corpus'
``today``), so the plan page, the lists and the home page can all show the same state.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..vietnamese.text import date_vi, fold

Row = Mapping[str, Any]

# On folded text (no accents, đ→d, lower case): "giai đoạn 2021–2025", "2021 - 2025", "năm 2024".
_RANGE = re.compile(r"(?:giai doan\s*)?\b((?:19|20)\d\d)\s*[-\u2013\u2014]\s*((?:19|20)\d\d)\b")
_YEAR = re.compile(r"\bnam\s+((?:19|20)\d\d)\b")
_UNTIL_YEAR = re.compile(r"\b(?:den|truoc)\s+(?:het\s+)?(?:ngay\s+31/12/|thang 12\s+)?(?:nam\s+)?((?:19|20)\d\d)\b")
_RECURRING = re.compile(r"\b(?:hang|moi)\s+(?:nam|thang|quy)\b|\bdinh ky\b|\bthuong xuyen\b")


@dataclass(frozen=True)
class Period:
    """The time a plan covers, as far as its record tells: first and last day, and why."""

    start: dt.date | None
    end: dt.date | None
    basis: str  # "kế hoạch năm 2023", "kế hoạch giai đoạn 2021–2025", "nhiệm vụ cuối cùng hạn 31/12/2024"


@dataclass(frozen=True)
class Banner:
    """A notice shown above the plan: ``kind`` is an admonition type (danger, warning, info)."""

    kind: str
    title: str
    text: str


@dataclass(frozen=True)
class State:
    """A plan's state today: a stable ``code``, its Vietnamese ``label``, what it is based on
    (``basis``, a sentence beginning "Căn cứ: "), the banner to show (``None`` when the plan is
    simply in force) and the period it was derived from."""

    code: str  # draft | in_force | pending | ended | expired | amended | superseded | withdrawn
    label: str
    basis: str
    banner: Banner | None
    period: Period | None


@dataclass(frozen=True)
class Progress:
    """How many tasks the record lists and how many it reports at each state."""

    total: int
    done: int
    in_progress: int
    not_reported: int
    cancelled: int

    @property
    def summary(self) -> str:
        """ "34 nhiệm vụ: 2 đã hoàn thành, 1 đang thực hiện, 31 chưa cập nhật" — zeros left out."""
        if not self.total:
            return "Văn bản không giao nhiệm vụ cụ thể."
        parts = [
            f"{n} {label}"
            for n, label in (
                (self.done, "đã hoàn thành"),
                (self.in_progress, "đang thực hiện"),
                (self.cancelled, "đã hủy"),
                (self.not_reported, "chưa cập nhật tiến độ"),
            )
            if n
        ]
        return f"{self.total} nhiệm vụ: " + ", ".join(parts) + "."


def progress(tasks: Iterable[Row]) -> Progress:
    """Tasks counted by the state their record reports (``not_started`` counts as not yet reported done)."""
    counts = Counter(str(t.get("status") or "not_reported") for t in tasks)
    total = sum(counts.values())
    done, running, cancelled = counts["done"], counts["in_progress"], counts["cancelled"]
    return Progress(total, done, running, total - done - running - cancelled, cancelled)


def _date(value: Any) -> dt.date | None:
    """An ISO day (``2024-03-18``); a month or a year alone is not a day."""
    try:
        return dt.date.fromisoformat(str(value)) if value and len(str(value)) == 10 else None
    except ValueError:
        return None


def plan_period(plan: Row, tasks: Iterable[Row] = ()) -> Period | None:
    """The period the record gives the plan, or ``None`` when it gives none.

    In order of trust: a range of years in the title ("giai đoạn 2021–2025"), one year in the
    title ("năm 2024"), then the tasks: the latest due date, or a deadline such as "đến hết năm
    2024". A plan with a recurring task ("hằng năm", "định kỳ") and no period in its title has no
    end. The issue year alone says when a plan was written, not how long it runs, so it gives no
    period (the basis then says so).
    """
    title = fold(str(plan.get("title") or ""))
    task_list = list(tasks)
    due = [d for d in (_date(t.get("due_date")) for t in task_list) if d]
    last_due = max(due) if due else None
    found = _RANGE.search(title)
    if found and int(found.group(1)) <= int(found.group(2)):
        first, last = int(found.group(1)), int(found.group(2))
        end = dt.date(last, 12, 31)
        if last_due and last_due > end:
            return Period(dt.date(first, 1, 1), last_due, f"nhiệm vụ có hạn đến {date_vi(last_due.isoformat())}")
        return Period(dt.date(first, 1, 1), end, f"kế hoạch giai đoạn {first}–{last}")
    found = _YEAR.search(title)
    if found:
        year = int(found.group(1))
        end = dt.date(year, 12, 31)
        if last_due and last_due > end:
            return Period(dt.date(year, 1, 1), last_due, f"nhiệm vụ có hạn đến {date_vi(last_due.isoformat())}")
        return Period(dt.date(year, 1, 1), end, f"kế hoạch năm {year}")
    deadlines = [fold(str(t.get("deadline") or "")) for t in task_list]
    if any(_RECURRING.search(d) for d in deadlines) or any(
        t.get("recurrence") not in (None, "", "none") for t in task_list
    ):
        return None
    years = [int(m.group(1)) for d in deadlines for m in [_UNTIL_YEAR.search(d)] if m]
    ends = [*due, *(dt.date(y, 12, 31) for y in years)]
    if ends:
        end = max(ends)
        return Period(
            _date(plan.get("effective_date")) or _date(plan.get("issue_date")),
            end,
            f"nhiệm vụ cuối cùng có hạn đến {date_vi(end.isoformat())}",
        )
    return None


def extended_period(plan: Row, period: Period | None) -> Period | None:
    """The period once the record's ``extended_to`` is applied: a later last day replaces the
    period's end and the basis says so; an earlier or missing one changes nothing."""
    until = _date(plan.get("extended_to"))
    if until is None or (period is not None and period.end is not None and until <= period.end):
        return period
    if period is None:
        start = _date(plan.get("effective_date")) or _date(plan.get("issue_date"))
        return Period(start, until, f"hồ sơ ghi gia hạn thực hiện đến {date_vi(until.isoformat())}")
    return Period(period.start, until, f"{period.basis}, gia hạn đến {date_vi(until.isoformat())}")


def plan_state(plan: Row, tasks: Iterable[Row] = (), today: dt.date | None = None) -> State:
    """The plan's state on ``today`` (default: the date of the machine — pass the corpus' ``today``).

    The record's own status wins when it says more than "in force" (draft, withdrawn, superseded,
    expired, amended); an in-force plan is "ended" once its period is over, "pending" before it
    starts, and in force otherwise — never "Đang thực hiện" after its period unless the record says
    it was extended.
    """
    today = today or dt.date.today()
    status = str(plan.get("status") or "in_force")
    period = extended_period(plan, plan_period(plan, tasks))
    since = f" từ ngày {date_vi(plan['status_date'])}" if plan.get("status_date") else ""
    reason = f" Lý do: {plan['status_reason']}" if plan.get("status_reason") else ""
    if status == "draft":
        return State(
            "draft",
            "Dự thảo",
            "Căn cứ: hồ sơ ghi văn bản là dự thảo.",
            Banner(
                "warning",
                "Dự thảo",
                "Đây là dự thảo, chưa phải văn bản chính thức; nội dung có thể thay đổi khi ban hành.",
            ),
            period,
        )
    fixed = {
        "withdrawn": ("Đã thu hồi", "danger", "Văn bản này đã bị thu hồi"),
        "superseded": ("Đã được thay thế", "warning", "Văn bản này đã được thay thế"),
        "expired": ("Hết hiệu lực", "info", "Văn bản này đã hết hiệu lực"),
        "amended": ("Đã được sửa đổi", "info", "Văn bản này đã được sửa đổi, bổ sung"),
    }
    if status in fixed:
        label, kind, text = fixed[status]
        return State(
            status,
            label,
            f"Căn cứ: hồ sơ ghi “{label.lower()}”{since}.",
            Banner(kind, label, f"{text}{since}.{reason}"),
            period,
        )
    if period is None:
        issued = f" (ban hành {date_vi(plan.get('issue_date'), sentence=True)})" if plan.get("issue_date") else ""
        return State(
            "in_force",
            "Đang thực hiện",
            f"Căn cứ: hồ sơ ghi đang thực hiện; văn bản không ghi thời hạn thực hiện{issued}.",
            None,
            None,
        )
    if period.end and today > period.end:
        yearly = period.basis.startswith("kế hoạch năm") and "gia hạn" not in period.basis
        over = "đã qua năm thực hiện" if yearly else "đã qua thời hạn thực hiện"
        return State(
            "ended",
            "Đã hết thời hạn thực hiện",
            f"Căn cứ: {period.basis}, {over} (hết ngày {date_vi(period.end.isoformat())}).",
            Banner(
                "info",
                "Đã hết thời hạn thực hiện",
                f"Thời hạn thực hiện của văn bản này đã kết thúc ngày {date_vi(period.end.isoformat())} "
                f"({period.basis}){'' if plan.get('extended_to') else '; hồ sơ không ghi việc gia hạn'}. "
                "Văn bản được giữ lại để tra cứu.",
            ),
            period,
        )
    if period.start and today < period.start:
        return State(
            "pending",
            "Chưa đến thời gian thực hiện",
            f"Căn cứ: {period.basis}, bắt đầu từ ngày {date_vi(period.start.isoformat())}.",
            None,
            period,
        )
    return State("in_force", "Đang thực hiện", f"Căn cứ: {period.basis}, đang trong thời gian thực hiện.", None, period)
