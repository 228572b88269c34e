"""Working days with fixed calendars: Tết 2024 and 2025, a swapped Saturday, overrides, weekends."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from congkhai.vietnamese.workdays import OVERRIDES_CSV, WorkCalendar, read_overrides


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar(None)


def test_tet_2024_ten_working_days(cal: WorkCalendar) -> None:
    # Issued Wed 2024-02-07 (not counted). Tết off Thu 8 – Wed 14 Feb (10/11 a weekend as well).
    start = date(2024, 2, 7)
    for d in range(8, 15):
        assert not cal.is_working_day(date(2024, 2, d)), d
    days = cal.working_days(start, date(2024, 2, 28))
    assert days == [
        date(2024, 2, 15),  # 1 Thu
        date(2024, 2, 16),  # 2 Fri
        date(2024, 2, 19),  # 3 Mon
        date(2024, 2, 20),  # 4 Tue
        date(2024, 2, 21),  # 5 Wed
        date(2024, 2, 22),  # 6 Thu
        date(2024, 2, 23),  # 7 Fri
        date(2024, 2, 26),  # 8 Mon
        date(2024, 2, 27),  # 9 Tue
        date(2024, 2, 28),  # 10 Wed
    ]
    assert cal.add_working_days(start, 10) == date(2024, 2, 28)
    assert cal.working_days_between(start, date(2024, 2, 28)) == 10
    assert cal.working_days_between(start, date(2024, 2, 29)) == 11
    # Disclosed during Tết: no working day has passed yet.
    assert cal.working_days_between(start, date(2024, 2, 14)) == 0
    assert cal.add_working_days(start, 1) == date(2024, 2, 15)


def test_tet_2025(cal: WorkCalendar) -> None:
    # Issued Fri 2025-01-24; off Sat 25 Jan – Sun 2 Feb (Mon 27 – Sat 1 Feb Tết).
    start = date(2025, 1, 24)
    assert [cal.is_working_day(date(2025, 1, d)) for d in range(25, 32)] == [False] * 7
    assert not cal.is_working_day(date(2025, 2, 1)) and not cal.is_working_day(date(2025, 2, 2))
    assert cal.add_working_days(start, 1) == date(2025, 2, 3)
    assert cal.add_working_days(start, 5) == date(2025, 2, 7)
    assert cal.add_working_days(start, 10) == date(2025, 2, 14)
    assert cal.working_days_between(start, date(2025, 2, 14)) == 10


def test_swapped_saturday_2024(cal: WorkCalendar) -> None:
    # Mon 2024-04-29 off in exchange for Sat 2024-05-04 worked; 30 Apr and 1 May are holidays.
    assert not cal.is_working_day(date(2024, 4, 29))
    assert cal.is_working_day(date(2024, 5, 4))
    assert not cal.is_working_day(date(2024, 5, 5))
    start = date(2024, 4, 26)  # Fri
    assert cal.add_working_days(start, 1) == date(2024, 5, 2)
    assert cal.add_working_days(start, 3) == date(2024, 5, 4)  # the Saturday counts
    assert cal.add_working_days(start, 4) == date(2024, 5, 6)
    assert cal.working_days_between(start, date(2024, 5, 6)) == 4


def test_weekends(cal: WorkCalendar) -> None:
    assert cal.is_working_day(date(2024, 3, 15))  # Fri
    assert not cal.is_working_day(date(2024, 3, 16))  # Sat
    assert not cal.is_working_day(date(2024, 3, 17))  # Sun
    # Issued on a Friday: 1 working day later is Monday; issued on a Saturday: Monday too.
    assert cal.add_working_days(date(2024, 3, 15), 1) == date(2024, 3, 18)
    assert cal.add_working_days(date(2024, 3, 16), 1) == date(2024, 3, 18)
    assert cal.add_working_days(date(2024, 3, 15), 0) == date(2024, 3, 15)
    assert cal.working_days_between(date(2024, 3, 15), date(2024, 3, 15)) == 0
    assert cal.working_days_between(date(2024, 3, 18), date(2024, 3, 15)) == -1
    with pytest.raises(ValueError):
        cal.add_working_days(date(2024, 3, 15), -1)


def test_period_never_ends_on_a_day_off(cal: WorkCalendar) -> None:
    # Civil Code Art 148: a period ending on a day off ends on the next working day; counting
    # only working days gives that directly.
    d = date(2024, 1, 1)
    while d < date(2026, 1, 1):
        for n in (1, 5, 10):
            assert cal.is_working_day(cal.add_working_days(d, n))
        d = d.fromordinal(d.toordinal() + 3)


def test_holidays_2024(cal: WorkCalendar) -> None:
    off = [date(2024, 1, 1), date(2024, 4, 18), date(2024, 4, 30), date(2024, 5, 1), date(2024, 9, 2), date(2024, 9, 3)]
    assert not any(cal.is_working_day(d) for d in off)
    assert cal.holiday_name(date(2024, 3, 15)) is None
    assert cal.holiday_name(date(2024, 4, 18))


def test_override_file(tmp_path: Path) -> None:
    csv_path = tmp_path / "o.csv"
    csv_path.write_text(
        "date,kind,reason,source\n"
        "2024-03-15,off,Nghỉ thử nghiệm,Thông báo giả định\n"
        "2024-03-16,work,Làm bù thứ Bảy,Thông báo giả định\n"
        "2024-05-04,off,Hủy ngày làm bù,Thông báo giả định\n",
        encoding="utf-8",
    )
    cal = WorkCalendar(csv_path)
    assert not cal.is_working_day(date(2024, 3, 15))
    assert cal.holiday_name(date(2024, 3, 15)) == "Nghỉ thử nghiệm"
    assert cal.is_working_day(date(2024, 3, 16))
    assert not cal.is_working_day(date(2024, 5, 4))  # the file wins over the library
    # Thu 14 Mar + 1 → Sat 16 (worked); + 2 → Mon 18.
    assert cal.add_working_days(date(2024, 3, 14), 1) == date(2024, 3, 16)
    assert cal.add_working_days(date(2024, 3, 14), 2) == date(2024, 3, 18)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("day,kind,reason,source\n", "header"),
        ("date,kind,reason,source\n2024-02-30,off,x,y\n", "invalid date"),
        ("date,kind,reason,source\n2024-03-15,holiday,x,y\n", "kind"),
        ("date,kind,reason,source\n2024-03-15,off,,y\n", "required"),
        ("date,kind,reason,source\n2024-03-15,off,x,y\n2024-03-15,work,x,y\n", "twice"),
    ],
)
def test_override_file_errors(tmp_path: Path, body: str, message: str) -> None:
    csv_path = tmp_path / "o.csv"
    csv_path.write_text(body, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        read_overrides(csv_path)


def test_repository_override_file_reads() -> None:
    read_overrides(OVERRIDES_CSV)
    WorkCalendar(OVERRIDES_CSV)
