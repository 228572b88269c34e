"""The iCalendar writer (:mod:`congkhai.render.calendar`) read by a real calendar client: every
calendar the site publishes (site-wide, per plan, body and province) parsed with the ``icalendar``
package — one all-day event per dated task, a stable UID, a repeat rule for periodic deadlines
ending with the plan's period, the plan's address, DTSTAMP from the data (never the clock), and a
description saying which tasks are not events. Text escaping and folding are checked by parsing
back what was written."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import icalendar
import pytest

from congkhai.model import sitemap
from congkhai.render import calendar
from tests.conftest import FOLLOWED_DUE, FOLLOWED_URL

LS = "lang-son-cao-loc-2024-kh-ubnd"
FREQ = {"yearly": ("YEARLY", None), "quarterly": ("MONTHLY", 3), "monthly": ("MONTHLY", None)}


def _table(site: Path, name: str) -> list[dict[str, str]]:
    with (site / "data" / f"{name}.csv").open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _parse(path: Path) -> tuple[Any, dict[str, Any]]:
    data = path.read_bytes()
    assert all(len(line) <= 75 for line in data.split(b"\r\n")), path  # folded at 75 octets
    cal = icalendar.Calendar.from_ical(data)
    events = cal.walk("VEVENT")
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids), path
    return cal, dict(zip(uids, events, strict=True))


def _uid(plan_id: str, task_id: str) -> str:
    return f"{plan_id}/{task_id}@{calendar.UID_DOMAIN}"


def test_every_built_calendar_has_one_event_per_dated_task(followed_site: Path) -> None:
    tasks = _table(followed_site, "tasks")
    plans = {p["id"]: p for p in _table(followed_site, "plans")}
    dated = {_uid(t["plan_id"], t["id"]): t for t in tasks if t["due_date"]}
    assert {_uid(LS, t) for t in FOLLOWED_DUE} <= set(dated)
    leads: dict[str, set[str]] = {}
    for tu in _table(followed_site, "task_units"):
        if tu["role"] == "lead":
            leads.setdefault(tu["unit"], set()).add(_uid(tu["plan_id"], tu["task_id"]))
    files = sorted(followed_site.rglob("*.ics"))
    assert followed_site / sitemap.CALENDAR in files and len(files) >= 4
    kinds = set()
    for path in files:
        cal, events = _parse(path)
        rel = path.relative_to(followed_site).as_posix()
        kind = rel.split("/")[1] if rel.startswith(sitemap.FOLLOW_DIR + "/") else "site"
        kinds.add(kind)
        ident = path.stem
        if kind == "site":
            expected = set(dated)
        elif kind == "ke-hoach":
            expected = {u for u, t in dated.items() if t["plan_id"] == ident}
        elif kind == "don-vi":
            expected = leads.get(ident, set()) & set(dated)
        else:  # a province's: its plans' dated tasks, the merged provinces' included
            expected = set(events)
            assert expected <= set(dated)
        assert set(events) == expected, rel
        assert events, rel  # a calendar is written only when it has an event
        described = str(cal["X-WR-CALDESC"])
        assert described.startswith(f"{len(events)} nhiệm vụ có ngày hạn"), rel
        for uid, event in events.items():
            task = dated[uid]
            start = event["DTSTART"].dt
            assert type(start) is dt.date and start.isoformat() == task["due_date"], uid
            assert event["DTEND"].dt == start + dt.timedelta(days=1)
            # DTSTAMP is when the data changed (SOURCE_DATE_EPOCH here), not the day of the build
            assert event["DTSTAMP"].dt == dt.datetime(2024, 11, 22, tzinfo=dt.UTC)
            assert str(event["URL"]) == f"{FOLLOWED_URL}/{sitemap.plan_path(plans[task['plan_id']])}"
            rule = event.get("RRULE")
            if task["recurrence"] in FREQ:
                freq, interval = FREQ[task["recurrence"]]
                assert rule is not None, uid
                assert rule["FREQ"] == [freq] and rule.get("INTERVAL", [None]) == [interval]
                if task["plan_id"] == LS:  # "… năm 2024": the rule stops with the plan's period
                    assert rule["UNTIL"] == [dt.date(2024, 12, 31)]
            else:
                assert rule is None, uid
    assert kinds == {"site", "ke-hoach", "don-vi", "tinh"}


def test_the_site_calendar_says_how_many_tasks_have_no_date(followed_site: Path) -> None:
    tasks = _table(followed_site, "tasks")
    undated = sum(1 for t in tasks if not t["due_date"])
    cal, events = _parse(followed_site / sitemap.CALENDAR)
    assert undated and len(events) + undated == len(tasks)
    assert f"{undated} nhiệm vụ khác không có trong lịch" in str(cal["X-WR-CALDESC"])


@pytest.fixture(scope="module")
def model() -> Any:
    from congkhai.model.schemas import load_model

    return load_model()


def _rows(text: str, recurrence: str = "none", title: str = "Kế hoạch năm 2025") -> dict[str, list[dict[str, Any]]]:
    plan = {"id": "p-2025", "title": title, "number_symbol": "1/KH", "province": "ha-noi", "issue_date": "2025-01-02"}
    task = {
        "plan_id": "p-2025",
        "id": "i-1",
        "section": "I.1",
        "text": text,
        "lead": "Sở Nội vụ",
        "deadline": "trước ngày 15/3 hằng năm",
        "due_date": "2025-03-15",
        "recurrence": recurrence,
        "status": "not_reported",
    }
    undated = {**task, "id": "i-2", "due_date": None, "deadline": "Thường xuyên", "recurrence": "continuous"}
    return {"plans": [plan], "tasks": [task, undated], "task_updates": []}


def test_text_is_escaped_and_folded_as_a_client_reads_it_back(model: Any) -> None:
    text = 'Dấu phẩy, chấm phẩy; gạch chéo \\ ngoặc "kép"\nxuống dòng ' + "đường dài " * 20
    data = calendar.ics_feed(_rows(text), "https://example.org", dt.date(2026, 1, 1), model, updated="2025-05-01")
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    [event] = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert "Dấu phẩy, chấm phẩy; gạch chéo \\ ngoặc" in str(event["DESCRIPTION"])
    assert str(event["SUMMARY"]).startswith("Dấu phẩy, chấm phẩy; gạch chéo \\")
    assert "\n" in str(event["DESCRIPTION"])  # the lines of the description survive
    assert event["DTSTAMP"].dt == dt.datetime(2025, 5, 1, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("recurrence", "rule"),
    [
        ("yearly", "FREQ=YEARLY;UNTIL=20251231"),
        ("quarterly", "FREQ=MONTHLY;INTERVAL=3;UNTIL=20251231"),
        ("monthly", "FREQ=MONTHLY;UNTIL=20251231"),
        ("none", None),
        ("continuous", None),
    ],
)
def test_a_periodic_deadline_repeats_until_the_plan_ends(model: Any, recurrence: str, rule: str | None) -> None:
    data = calendar.ics_feed(_rows("Báo cáo", recurrence), "", dt.date(2026, 1, 1), model)
    [event] = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert ("RRULE" in event) == (rule is not None)
    written = [line for line in data.decode().split("\r\n") if line.startswith("RRULE:")]
    assert written == ([f"RRULE:{rule}"] if rule else [])


def test_without_a_known_period_the_rule_has_no_end(model: Any) -> None:
    data = calendar.ics_feed(_rows("Báo cáo", "yearly", "Kế hoạch thực hiện"), "", dt.date(2026, 1, 1), model)
    [event] = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert event["RRULE"].to_ical() == b"FREQ=YEARLY"
    assert calendar.rrule("yearly", dt.date(2025, 3, 15), dt.date(2024, 12, 31)) == "FREQ=YEARLY"  # ended before


def _fold_char_by_char(line: str) -> bytes:
    """The folding as first written (one character at a time): the reference for :func:`calendar.fold`."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return encoded + b"\r\n"
    out, current, limit = [], b"", 75
    for ch in line:
        b = ch.encode("utf-8")
        if len(current) + len(b) > limit:
            out.append(current)
            current = b" "
        current += b
    out.append(current)
    return b"\r\n".join(out) + b"\r\n"


def test_folding_cuts_at_75_octets_between_characters_as_the_reference_does() -> None:
    import random

    rng = random.Random(7)
    alphabet = "aăâđêôơư ,;\\ạằẳẵắặầẩẫấậ€𝄞"  # 1-, 2-, 3- and 4-octet characters
    for _ in range(20_000):
        line = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 300)))
        folded = calendar.fold(line)
        assert folded == _fold_char_by_char(line), line
        assert all(len(part) <= 75 for part in folded.split(b"\r\n"))
        assert folded.replace(b"\r\n ", b"").decode("utf-8") == line + "\r\n"


def test_dtstamp_comes_from_the_data_not_the_clock() -> None:
    today = dt.date(2030, 1, 1)
    assert calendar.ics_stamp("2024-11-22T07:30:05+07:00", today) == "20241122T003005Z"
    assert calendar.ics_stamp("2024-11-22", today) == "20241122T000000Z"
    assert calendar.ics_stamp(None, today) == "20300101T000000Z"  # no date in the data at all


def test_vobject_reads_every_built_calendar_as_icalendar_does(followed_site: Path) -> None:
    """A second client, vobject (Radicale's and many CalDAV tools' parser), with its validation on:
    the same events, dates, texts and addresses as ``icalendar`` reads, and every repeat rule
    expanded up to the plan's end."""
    import vobject

    files = sorted(followed_site.rglob("*.ics"))
    assert len(files) >= 4
    for path in files:
        text = path.read_bytes().decode("utf-8")
        [cal] = list(vobject.readComponents(text, validate=True))
        assert cal.name == "VCALENDAR" and cal.version.value == "2.0"
        events = {e.uid.value: e for e in cal.vevent_list}
        _, expected = _parse(path)
        assert set(events) == set(expected), path
        for uid, event in events.items():
            other = expected[uid]
            assert event.dtstart.value == other["DTSTART"].dt, uid
            assert event.summary.value == str(other["SUMMARY"]), uid
            assert event.description.value == str(other["DESCRIPTION"]), uid
            assert event.url.value == str(other["URL"]), uid
            if "RRULE" in other:
                dates = list(event.getrruleset())
                assert dates[0].date() == other["DTSTART"].dt, uid
                until = other["RRULE"].get("UNTIL")
                if until:
                    assert dates[-1].date() <= until[0], uid
