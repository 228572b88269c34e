"""Working days of Vietnamese public bodies, and periods counted in working days.

A working day is Monday to Friday (Decision 188/1999/QĐ-TTg) that is not a public holiday
(Labour Code 2019 Art 112). Holidays come from the maintained ``holidays`` library
(``holidays.Vietnam``: Tết and Hùng Kings' day from the lunar calendar, the days in lieu, and the
swaps the government announced — e.g. Mon 2024-04-29 off in exchange for Sat 2024-05-04 worked).
``data/holiday_overrides.csv`` adds what the library lacks (see ``data/holiday_overrides.md``):
``off`` makes a day a day off, ``work`` makes a day (normally a weekend day) a working day.

Periods follow the Civil Code 2015 Arts 147–148: the day of the event is not counted, counting
starts the next day; a period of n working days ends at the end of the n-th working day; a
period whose last day falls on a day off ends at the end of the next working day. Counting only
working days already satisfies the last rule: the n-th working day is never a day off, so no
separate "move to the next working day" step is needed (``add_working_days`` is tested for it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import holidays

from ..model import csvfile

OVERRIDES_CSV = Path(__file__).resolve().parents[2] / "data" / "holiday_overrides.csv"
OVERRIDE_COLUMNS = ("date", "kind", "reason", "source")
OVERRIDE_KINDS = ("off", "work")
WEEKEND = (5, 6)  # Saturday, Sunday (Decision 188/1999/QĐ-TTg: public bodies work Monday–Friday)


@dataclass(frozen=True)
class Override:
    day: date
    kind: str  # "off" | "work"
    reason: str
    source: str


def read_overrides(path: Path) -> list[Override]:
    """The override file: ``date,kind,reason,source``; raises ``ValueError`` naming the line on bad input."""
    out: list[Override] = []
    seen: set[date] = set()
    lines = csvfile.records(path)
    first = next(lines, None)
    header = first.values if first is not None else None
    if tuple(header or ()) != OVERRIDE_COLUMNS:
        raise ValueError(f"{path}: header must be {','.join(OVERRIDE_COLUMNS)}, not {header}")
    for record in lines:
        if not record.values:
            continue  # a blank line
        row = dict(zip(header or [], record.values, strict=False))
        where = f"{path}:{record.end}"
        try:
            day = date.fromisoformat((row.get("date") or "").strip())
        except ValueError:
            raise ValueError(f"{where}: invalid date {row.get('date')!r}") from None
        kind = (row.get("kind") or "").strip()
        if kind not in OVERRIDE_KINDS:
            raise ValueError(f"{where}: kind must be one of {OVERRIDE_KINDS}, not {kind!r}")
        reason, source = (row.get("reason") or "").strip(), (row.get("source") or "").strip()
        if not reason or not source:
            raise ValueError(f"{where}: reason and source are required")
        if day in seen:
            raise ValueError(f"{where}: {day} is listed twice")
        seen.add(day)
        out.append(Override(day, kind, reason, source))
    return out


class WorkCalendar:
    """Working days: Monday–Friday, minus ``holidays.Vietnam``, with its announced swaps, plus overrides."""

    def __init__(self, overrides_csv: Path | None = None, overrides: Iterable[Override] = ()) -> None:
        self._holidays = holidays.Vietnam()  # expands to each year on first use
        items = list(overrides) + (read_overrides(overrides_csv) if overrides_csv is not None else [])
        self.overrides: dict[date, Override] = {o.day: o for o in items}

    def is_working_day(self, d: date) -> bool:
        override = self.overrides.get(d)
        if override is not None:
            return override.kind == "work"
        if d in self._holidays:  # also fills the library's swaps for d's year
            return False
        if d in self._holidays.weekend_workdays:  # a Saturday worked in exchange for a bridge day
            return True
        return d.weekday() not in WEEKEND

    def holiday_name(self, d: date) -> str | None:
        """Why ``d`` is a day off (override reason or holiday name), or ``None``."""
        override = self.overrides.get(d)
        if override is not None:
            return override.reason if override.kind == "off" else None
        name = self._holidays.get(d)
        return str(name) if name else None

    def add_working_days(self, start: date, n: int) -> date:
        """The last day of a period of ``n`` working days from the event on ``start`` (Civil Code Arts 147–148).

        ``start`` is not counted; the result is the n-th working day after it — always a working
        day, so a period never ends on a day off. ``n == 0`` returns ``start``.
        """
        if n < 0:
            raise ValueError("n must be >= 0")
        d = start
        while n:
            d += timedelta(days=1)
            if self.is_working_day(d):
                n -= 1
        return d

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end``; negative when ``end`` is before ``start``."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(self.is_working_day(start + timedelta(days=i)) for i in range(1, (end - start).days + 1))

    def working_days(self, start: date, end: date) -> list[date]:
        """The working days after ``start`` up to and including ``end`` (for showing a count's days)."""
        return [
            start + timedelta(days=i)
            for i in range(1, (end - start).days + 1)
            if self.is_working_day(start + timedelta(days=i))
        ]
