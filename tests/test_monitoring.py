"""Implementation monitoring: task state, the monitoring page, the iCalendar and Atom feeds.

The seed plans carry progress updates from ``tests/fixtures/monitoring/task_updates.csv`` (copied
to ``data/task_updates.csv``); few seed tasks have a due date, so the tests give some Lạng Sơn
tasks due dates in memory (``DUE``). "Today" is fixed.
"""

from __future__ import annotations

import datetime as dt
import shutil
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from congkhai.derive import monitoring
from congkhai.load.corpus import validate
from congkhai.model import sitemap
from congkhai.render import calendar, feeds
from congkhai.render.monitoring import monitoring_page, monitoring_pages

FIXTURE = Path(__file__).parent / "fixtures" / "monitoring" / "task_updates.csv"
TODAY = dt.date(2024, 11, 22)
LS = "lang-son-cao-loc-2024-kh-ubnd"
BG = "bac-giang-tp-bac-giang-dinh-ke-2024-72-khph-kdv-ubnd"
# task → (due date, recurrence) set in memory for the test
DUE = {
    (LS, "ii-1"): ("2024-06-30", "yearly"),  # done 2024-06-20
    (LS, "ii-1-2"): ("2024-09-30", "none"),  # in progress → overdue
    (LS, "ii-1-3"): ("2024-10-31", "none"),  # never reported → overdue
    (LS, "ii-2"): ("2024-11-30", "quarterly"),  # in progress → due this month
    (LS, "iii-2"): ("2024-08-31", "none"),  # cancelled → not overdue
}
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def rows(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, Any]]]:
    from tests.conftest import copy_sources

    repo = copy_sources(tmp_path_factory.mktemp("monitoring") / "repo")
    shutil.copyfile(FIXTURE, repo / "data" / "task_updates.csv")
    v = validate(repo, today=TODAY)
    out = v.published
    assert len(out["task_updates"]) == 8, "the fixture updates are read as the task_updates table"
    for t in out["tasks"]:
        if (t["plan_id"], t["id"]) in DUE:
            t["due_date"], t["recurrence"] = DUE[(t["plan_id"], t["id"])]
    return out


@pytest.fixture(scope="module")
def model() -> Any:
    from congkhai.model.schemas import load_model

    return load_model()


def _list(pages: dict[str, str], which: str) -> list[list[str]]:
    """The rows (cells as HTML) of one of the monitoring page's lists: on the page itself, or all of
    it on its own pages when it is longer than the page shows."""
    import re

    full = sitemap.monitoring_list_md(which)
    texts, n = [], 1
    while sitemap.list_page_md(full, n) in pages:
        texts.append(pages[sitemap.list_page_md(full, n)])
        n += 1
    if not texts:
        texts = [pages[sitemap.MONITORING]]
    out = []
    for text in texts:
        block = text.split(f'id="bang-theo-doi-{which}"', 1)[1].split("</table>", 1)[0]
        for tr in re.findall(r"<tr>(.*?)</tr>", block.split("<tbody>", 1)[1]):
            out.append(re.findall(r"<td[^>]*>(.*?)</td>", tr))
    return out


def _state(rows: dict[str, list[dict[str, Any]]]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(s["plan_id"], s["task_id"]): s for s in monitoring.task_state(rows["tasks"], rows["task_updates"], TODAY)}


def test_task_state_latest_update_wins(rows: dict[str, list[dict[str, Any]]]) -> None:
    st = _state(rows)
    assert st[(LS, "ii-1")]["status"] == "done" and st[(LS, "ii-1")]["last_update"] == "2024-06-20"
    assert st[(LS, "ii-1")]["evidence"] == "https://example.org/bao-cao/ii-1.pdf"
    assert not st[(LS, "ii-1")]["overdue"]
    s = st[(LS, "ii-1-2")]
    assert (s["status"], s["progress"], s["last_update"], s["updates"]) == ("in_progress", 70, "2024-09-15", 3)
    assert s["overdue"] and not s["due_this_month"]
    assert st[(LS, "ii-1-3")]["status"] == "not_reported" and st[(LS, "ii-1-3")]["overdue"]
    assert st[(LS, "ii-1-3")]["last_update"] is None
    assert st[(LS, "ii-2")]["due_this_month"] and not st[(LS, "ii-2")]["overdue"]
    assert st[(LS, "iii-2")]["status"] == "cancelled" and not st[(LS, "iii-2")]["overdue"]
    assert not st[(BG, "ii-4")]["overdue"] and not st[(BG, "ii-4")]["due_this_month"]
    # no due date: never overdue
    assert not any(s["overdue"] or s["due_this_month"] for s in st.values() if s["due_date"] is None)
    assert [k for k, s in st.items() if s["overdue"]] == [(LS, "ii-1-2"), (LS, "ii-1-3")]
    # the same day next month, ii-4 (due 31/12) is due this month
    later = {
        (s["plan_id"], s["task_id"]): s
        for s in monitoring.task_state(rows["tasks"], rows["task_updates"], dt.date(2024, 12, 1))
    }
    assert later[(BG, "ii-4")]["due_this_month"]
    assert later[(LS, "ii-2")]["overdue"]


def test_unit_counts_counted_independently(rows: dict[str, list[dict[str, Any]]], model: Any) -> None:
    latest: dict[tuple[str, str], tuple[str, str]] = {}
    for u in rows["task_updates"]:
        key = (u["plan_id"], u["task_id"])
        if key not in latest or str(u["date"]) > latest[key][0]:
            latest[key] = (str(u["date"]), u["status"])
    status = {(t["plan_id"], t["id"]): latest.get((t["plan_id"], t["id"]), ("", t["status"]))[1] for t in rows["tasks"]}
    overdue: Counter[str] = Counter()
    done: Counter[str] = Counter()
    for tu in rows["task_units"]:
        if tu["role"] != "lead":
            continue
        key = (tu["plan_id"], tu["task_id"])
        due = DUE.get(key, (None,))[0] or next(t["due_date"] for t in rows["tasks"] if (t["plan_id"], t["id"]) == key)
        if status[key] == "done":
            done[tu["unit"]] += 1
        if due and due < TODAY.isoformat() and status[key] not in ("done", "cancelled"):
            overdue[tu["unit"]] += 1
    assert overdue == {
        "lang-son-cao-loc-ubnd-cac-xa-thi-tran": 1,
        "lang-son-cao-loc-cac-co-quan-chuyen-mon": 1,
        "lang-son-cao-loc-cac-don-vi-su-nghiep": 1,
    }
    assert done == {
        "lang-son-cao-loc-ubnd-cac-xa-thi-tran": 1,
        "lang-son-cao-loc-cac-co-quan-chuyen-mon": 1,
        "lang-son-cao-loc-cac-don-vi-su-nghiep": 1,
    }
    pages = monitoring_pages(model, rows, TODAY)
    units = {u["id"]: u for u in rows["units"]}
    table = {cells[0].split("units/")[-1]: cells[1:] for cells in _list(pages, "don-vi")}
    for uid in set(overdue) | set(done):
        cell = f'{uid}/">{units[uid]["name"]}</a>'
        assert table[cell][1] == str(done[uid]) and table[cell][2] == str(overdue[uid])
    # every other unit: no overdue task
    assert sum(int(r[2]) for r in table.values()) == sum(overdue.values())


def test_page_lists_overdue_task_with_its_lead_unit(rows: dict[str, list[dict[str, Any]]], model: Any) -> None:
    pages = monitoring_pages(model, rows, TODAY)
    page = pages[sitemap.MONITORING]
    assert page.startswith("---\ntitle: Theo dõi thực hiện\n")
    assert "Tính đến ngày 22/11/2024" in page
    unit = next(u for u in rows["units"] if u["id"] == "lang-son-cao-loc-ubnd-cac-xa-thi-tran")
    # one list of every overdue task (each once, with all its lead units), oldest due date first
    assert "## Nhiệm vụ quá hạn (2)" in page
    overdue = _list(pages, "qua-han")
    assert [r[3] for r in overdue] == ["30/09/2024", "31/10/2024"]
    plan = next(p for p in rows["plans"] if p["id"] == LS)
    title, plan_cell, lead_cell, _, status, updated = overdue[0]
    assert f'href="../plans/lang-son/{LS}/">{plan["number_symbol"]}</a><br><small>Mục II.1</small>' in plan_cell
    assert f'href="../units/{unit["id"]}/">{unit["name"]}</a>' in lead_cell
    assert status == "Đang thực hiện (70%)" and updated == "15/09/2024" and title.endswith("…")
    assert overdue[1][5] == "Chưa có"
    # the plan roll-up: Lạng Sơn has 1 done of its tasks and 2 overdue
    n = sum(1 for t in rows["tasks"] if t["plan_id"] == LS)
    roll = next(r for r in _list(pages, "ke-hoach") if f"/{LS}/" in r[0])
    assert roll[1:5] == [str(n), "1", f"{round(100 / n)}%", "2"]
    # due this month: ii-2, with its lead units
    assert "## Đến hạn trong tháng 11/2024 (1)" in page
    month = _list(pages, "den-han")
    assert len(month) == 1 and month[0][3] == "30/11/2024" and "Mục II.2" in month[0][1]
    # every seed task has a lead unit
    assert all("Chưa xác định đơn vị chủ trì" not in text for text in pages.values())


def test_page_groups_tasks_without_lead_and_escapes(rows: dict[str, list[dict[str, Any]]], model: Any) -> None:
    extra = {k: [dict(r) for r in v] for k, v in rows.items()}
    extra["tasks"].append(
        {
            "plan_id": LS,
            "id": "x-1",
            "section": "IX.1",
            "text": "Nhiệm vụ <script>alert(1)</script> | [x](javascript:1) *đậm*",
            "lead": None,
            "lead_units": [],
            "due_date": "2024-01-31",
            "recurrence": "none",
            "status": "not_reported",
        }
    )
    pages = monitoring_pages(model, extra, TODAY)
    row = _list(pages, "qua-han")[0]  # the oldest due date first
    assert row[2] == "Chưa xác định đơn vị chủ trì" and row[3] == "31/01/2024"
    assert row[0] == "Nhiệm vụ &lt;script&gt;alert(1)&lt;/script&gt; | [x](javascript:1) *đậm*"
    no_lead = next(r for r in _list(pages, "don-vi") if r[0] == "Chưa xác định đơn vị chủ trì")
    assert no_lead == ["Chưa xác định đơn vị chủ trì", "1", "0", "1", "0"]
    text = "".join(pages.values())
    assert "<script>" not in text and 'href="javascript' not in text


def test_page_is_deterministic(rows: dict[str, list[dict[str, Any]]], model: Any) -> None:
    assert monitoring_page(model, rows, TODAY) == monitoring_page(model, rows, TODAY)


# --- iCalendar ---------------------------------------------------------------------------------


def _unfold(data: bytes) -> list[str]:
    assert data.endswith(b"\r\n")
    physical = data.split(b"\r\n")[:-1]
    assert all(b"\n" not in p and b"\r" not in p for p in physical), "bare LF or CR"
    assert all(len(p) <= 75 for p in physical), "a line longer than 75 octets"
    logical: list[bytes] = []
    for p in physical:
        if p.startswith(b" "):
            logical[-1] += p[1:]
        else:
            logical.append(p)
    return [line.decode("utf-8") for line in logical]


def _unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        if value[i] == "\\":
            nxt = value[i + 1]
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
        else:
            assert value[i] not in ",;", f"unescaped {value[i]!r} in {value!r}"
            out.append(value[i])
            i += 1
    return "".join(out)


def _events(data: bytes) -> list[dict[str, str]]:
    lines = _unfold(data)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    stack: list[str] = []
    events: list[dict[str, str]] = []
    for line in lines:
        name, _, value = line.partition(":")
        if name == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                events.append({})
        elif name == "END":
            assert stack.pop() == value
        elif stack[-1] == "VEVENT":
            events[-1][name] = value
    assert not stack
    return events


def test_ics_feed(rows: dict[str, list[dict[str, Any]]], model: Any) -> None:
    data = calendar.ics_feed(rows, "https://example.org/cong-khai/", TODAY, model)
    assert data == calendar.ics_feed(rows, "https://example.org/cong-khai/", TODAY, model)
    events = {e["UID"]: e for e in _events(data)}
    with_due = {(t["plan_id"], t["id"]) for t in rows["tasks"] if t["due_date"]}
    assert set(events) == {f"{p}/{t}@cong-khai" for p, t in with_due}
    e = events[f"{LS}/ii-1@cong-khai"]
    assert e["DTSTART;VALUE=DATE"] == "20240630" and e["DTEND;VALUE=DATE"] == "20240701"
    assert e["RRULE"] == "FREQ=YEARLY;UNTIL=20241231"  # the plan's period: "năm 2024"
    assert e["DTSTAMP"] == "20241122T000000Z"
    assert e["URL"] == f"https://example.org/cong-khai/plans/lang-son/{LS}/"
    assert events[f"{LS}/ii-2@cong-khai"]["RRULE"] == "FREQ=MONTHLY;INTERVAL=3;UNTIL=20241231"
    assert "RRULE" not in events[f"{LS}/ii-1-2@cong-khai"]
    assert events[f"{LS}/iii-2@cong-khai"]["STATUS"] == "CANCELLED"
    task = next(t for t in rows["tasks"] if (t["plan_id"], t["id"]) == (LS, "ii-1"))
    summary = _unescape(e["SUMMARY"])
    assert summary == monitoring.shorten(task["text"], 100) and summary.endswith("…")
    desc = _unescape(e["DESCRIPTION"])
    assert desc.splitlines()[0] == f"Chủ trì: {task['lead']}"
    assert "Kế hoạch: " in desc and "Tình trạng: Đã hoàn thành" in desc


def test_ics_escaping_and_folding() -> None:
    assert calendar.ics_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    folded = calendar.fold("SUMMARY:" + "đ" * 100)
    parts = folded.split(b"\r\n")
    assert parts[-1] == b"" and all(len(p) <= 75 for p in parts)
    assert all(p.startswith(b" ") for p in parts[1:-1])
    assert b"".join(p.removeprefix(b" ") for p in parts).decode() == "SUMMARY:" + "đ" * 100


# --- Atom --------------------------------------------------------------------------------------


def test_status_feed(rows: dict[str, list[dict[str, Any]]], model: Any) -> None:
    data = feeds.status_feed(rows, "https://example.org", "2024-11-22", model)
    assert data == feeds.status_feed(rows, "https://example.org", "2024-11-22", model)
    feed = ET.fromstring(data)
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    got = [(e.findtext(f"{ATOM}updated"), e.findtext(f"{ATOM}title")) for e in entries]
    # 8 updates, one repeats its previous status (ii-1-2 on 15/09) → 7 changes, newest first
    assert [u for u, _ in got] == [
        "2024-11-01T00:00:00Z",
        "2024-10-01T00:00:00Z",
        "2024-08-15T00:00:00Z",
        "2024-07-01T00:00:00Z",
        "2024-06-20T00:00:00Z",
        "2024-04-01T00:00:00Z",
        "2024-03-01T00:00:00Z",
    ]
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == 7 and all(i and i.startswith("urn:uuid:") for i in ids)
    aug = entries[2]
    assert aug.findtext(f"{ATOM}title", "").endswith("Đang thực hiện")
    summary = aug.findtext(f"{ATOM}summary", "")
    assert "Chưa thực hiện → Đang thực hiện" in summary and "Tiến độ: 40%" in summary
    link = aug.find(f"{ATOM}link[@rel='alternate']")
    assert link is not None and link.get("href") == f"https://example.org/plans/lang-son/{LS}/"
    assert aug.findtext(f"{ATOM}author/{ATOM}name") == "UBND xã Hợp Thành"
    june = entries[4]
    ev = june.find(f"{ATOM}link[@rel='related']")
    assert ev is not None and ev.get("href") == "https://example.org/bao-cao/ii-1.pdf"
    # markup in a result is text, not markup
    assert "<b>đợt 2</b>" in entries[0].findtext(f"{ATOM}summary", "")
    assert b"<b>" not in data
    # ids stable when other updates are added
    more = {k: list(v) for k, v in rows.items()}
    more["task_updates"] = more["task_updates"] + [
        {"plan_id": LS, "task_id": "ii-2", "date": "2024-11-20", "status": "done", "progress": 100}
    ]
    ids2 = [
        e.findtext(f"{ATOM}id")
        for e in ET.fromstring(feeds.status_feed(more, "https://example.org", "2024-11-22", model)).findall(
            f"{ATOM}entry"
        )
    ]
    assert ids2[1:] == ids


def test_page_links_resolve_to_generated_pages(rows: dict[str, list[dict[str, Any]]], model: Any) -> None:
    import posixpath
    import re

    from congkhai.model.sitemap import md_url, plan_md
    from congkhai.render.listing import Listing

    def targets(pages: dict[str, str]) -> set[str]:
        out = set(Listing(model, rows, "").pages()) | {plan_md(p) for p in rows["plans"]} | set(pages)
        return out | {sitemap.STATUS_FEED, sitemap.CALENDAR}  # the page says how to follow the tasks

    for page in (sitemap.MONITORING, "bao-cao/theo-doi.md"):
        pages = monitoring_pages(model, rows, TODAY, page=page)
        urls = {md_url(t) if t.endswith(".md") else t for t in targets(pages)}
        assert len(pages) > 1, "the seeds have more lead units than the page shows"
        for here, text in pages.items():
            links = re.findall(r"\]\(([^)]+)\)", text)  # Markdown links (the feeds)
            assert all(posixpath.normpath(posixpath.join(posixpath.dirname(here), x)) in targets(pages) for x in links)
            hrefs = re.findall(r'href="([^"]+)"', text)
            assert hrefs
            for href in hrefs:
                resolved = posixpath.normpath(posixpath.join("/" + md_url(here), href)).lstrip("/") + "/"
                assert resolved.removeprefix("/") in urls | {""}, (here, href)


def test_overdue_is_counted_out_of_the_tasks_that_have_a_date() -> None:
    """ "1 quá hạn" alone misleads when 106 of 107 tasks have no due date: the page says how many
    tasks can be late at all, and counts worded deadlines ("hằng năm") apart."""
    from congkhai.render.monitoring import deadline_summary

    def state(due: str | None, deadline: str | None, overdue: bool) -> dict[str, Any]:
        return {"due_date": due, "deadline": deadline, "overdue": overdue}

    states = [state("2024-12-31", "đến hết năm 2024", True), state(None, "hằng năm", False)]
    states += [state(None, None, False)] * 103
    assert deadline_summary(states) == (
        "1 quá hạn trong số 1 nhiệm vụ có ngày hạn cụ thể; 1 nhiệm vụ chỉ ghi thời hạn bằng lời hoặc định kỳ "
        "(như “hằng năm”), không có ngày cụ thể; 103 nhiệm vụ không ghi thời hạn"
    )
    assert (
        deadline_summary([state(None, None, False)] * 2)
        == "0 quá hạn trong số 0 nhiệm vụ có ngày hạn cụ thể; 2 nhiệm vụ không ghi thời hạn"
    )


def test_no_monitoring_page_grows_with_the_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 12 item 9: at 10,000 plans the page was about 40 MiB. With 10 rows a page, 4× the plans
    leave every monitoring page about as large: the page shows the first rows of each list, and the
    lists are on pages of their own."""
    from congkhai.render import cards
    from congkhai.render.site import render_site
    from devtools.corpus import generate

    monkeypatch.setattr(cards, "PER_PAGE", 10)
    largest, counts = {}, {}
    for n in (40, 160):
        generate(tmp_path / str(n), n)
        _, pages = render_site(validate(tmp_path / str(n)), None, None)
        mine = {k: v for k, v in pages.items() if k == sitemap.MONITORING or k.startswith("theo-doi/")}
        assert all(v.count("<tr><td") <= 10 for k, v in mine.items() if k != sitemap.MONITORING)
        largest[n] = max(len(v.encode()) for v in mine.values())
        counts[n] = len(mine)
        plans_list = sitemap.monitoring_list_md("ke-hoach")
        assert sitemap.list_page_md(plans_list, n // 10) in mine  # every plan listed, 10 a page
    assert counts[160] > counts[40]  # the lists did get split
    assert largest[160] < 1.3 * largest[40], largest
