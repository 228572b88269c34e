"""Following one plan, body or province (:mod:`congkhai.render.follow`): which plans and tasks each
feed and calendar carries (a former province's plans go to its successor), that every file is valid
Atom (RFC 4287's required elements, checked with ElementTree; feedparser and xmllint read the
built feeds in tests/test_feeds.py) or strict iCalendar (CRLF, folding, escaping: the checks of
tests/test_monitoring.py; the icalendar package reads the built calendars in
tests/test_calendar.py), that hostile text stays text, that names are slugs, that the feeds are
bounded and the bytes deterministic.
"""

from __future__ import annotations

import copy
import datetime as dt
import shutil
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from congkhai.derive.monitoring import status_changes
from congkhai.load.corpus import validate
from congkhai.model import sitemap
from congkhai.read.history import Version
from congkhai.render import feeds
from congkhai.render import follow as follow_mod
from congkhai.render.follow import Follow
from tests.test_monitoring import DUE, FIXTURE, LS, TODAY, _events, _unescape

A = "{http://www.w3.org/2005/Atom}"
BG = "bac-giang-tp-bac-giang-dinh-ke-2024-72-khph-kdv-ubnd"
BASE = "https://example.org/ck"


@pytest.fixture(scope="module")
def model() -> Any:
    from congkhai.model.schemas import load_model

    return load_model()


@pytest.fixture(scope="module")
def rows(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, Any]]]:
    from tests.conftest import copy_sources

    repo = copy_sources(tmp_path_factory.mktemp("follow") / "repo")
    shutil.copyfile(FIXTURE, repo / "data" / "task_updates.csv")
    out = validate(repo, today=TODAY).published
    for t in out["tasks"]:
        if (t["plan_id"], t["id"]) in DUE:
            t["due_date"], t["recurrence"] = DUE[(t["plan_id"], t["id"])]
    return out


def _names(rows: dict[str, list[dict[str, Any]]]) -> dict[str, list[str]]:
    units = {u["id"]: u["name"] for u in rows["units"]}
    out: dict[str, list[str]] = {}
    for i in rows["issuers"]:
        out.setdefault(i["plan_id"], []).append(str(units.get(i["unit"], i["unit"])))
    return out


def _follow(rows: dict[str, list[dict[str, Any]]], model: Any) -> Follow:
    return Follow(model, rows, TODAY, BASE, "2024-11-22", _names(rows))


def check_atom(data: bytes) -> ET.Element:
    """RFC 4287 §4.1: a feed has id, title, updated and an author (or every entry has one); each
    entry id, title, updated, and a link alternate or content; ids are unique; dates RFC 3339."""
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>\n")
    feed = ET.fromstring(data)
    assert feed.tag == f"{A}feed"
    for tag in ("id", "title", "updated"):
        assert len(feed.findall(f"{A}{tag}")) == 1 and feed.findtext(f"{A}{tag}"), tag
    self_link = feed.find(f"{A}link[@rel='self']")
    assert self_link is not None and self_link.get("href")
    entries = feed.findall(f"{A}entry")
    ids = [feed.findtext(f"{A}id")] + [e.findtext(f"{A}id") for e in entries]
    assert len(set(ids)) == len(ids) and all(i and i.startswith("urn:uuid:") for i in ids)
    has_author = feed.find(f"{A}author/{A}name") is not None
    for e in entries:
        for tag in ("id", "title", "updated"):
            assert len(e.findall(f"{A}{tag}")) == 1 and e.findtext(f"{A}{tag}"), tag
        assert e.find(f"{A}link[@rel='alternate']") is not None or e.find(f"{A}content") is not None
        assert has_author or e.find(f"{A}author/{A}name") is not None
    for el in feed.iter(f"{A}updated"):
        dt.datetime.fromisoformat(str(el.text).replace("Z", "+00:00"))
    return feed


def _titles(data: str) -> list[str]:
    return [str(e.findtext(f"{A}title")) for e in check_atom(data.encode()).findall(f"{A}entry")]


def _uids(data: str) -> list[str]:
    return [e["UID"] for e in _events(data.encode())]


# --- which plans and tasks -----------------------------------------------------------------------


def test_a_former_province_s_plans_go_to_its_successor(rows, model) -> None:
    files = _follow(rows, model).files()
    bac_ninh = files[sitemap.follow_file("province", "bac-ninh-2025", "xml")]
    assert any("72-KHPH/KDV-UBND" in t for t in _titles(bac_ninh)), "Bắc Giang's plan is Bắc Ninh's now"
    assert sitemap.follow_file("province", "bac-giang", "xml") not in files, "no feed for a province gone"
    feed = ET.fromstring(bac_ninh.encode())
    assert "Bắc Giang" in str(feed.findtext(f"{A}subtitle"))  # the merged province is named
    # a province that kept its unit has its own feed, with its plan alone
    lang_son = _titles(files[sitemap.follow_file("province", "lang-son", "xml")])
    assert len(lang_son) == 1
    # every plan is in exactly one province feed
    provinces = [k for k in files if k.startswith("nguon-tin/tinh/") and k.endswith(".xml")]
    assert sum(len(_titles(files[k])) for k in provinces) == len(rows["plans"])


def test_a_province_calendar_carries_its_plans_dated_tasks(rows, model) -> None:
    files = _follow(rows, model).files()
    lang_son = _uids(files[sitemap.follow_file("province", "lang-son", "ics")])
    assert set(lang_son) == {f"{p}/{t}@cong-khai" for p, t in DUE}
    bac_ninh = _uids(files[sitemap.follow_file("province", "bac-ninh-2025", "ics")])
    assert bac_ninh and all(u.startswith(BG + "/") for u in bac_ninh)


def test_a_body_s_feed_is_its_plans_and_its_calendar_the_tasks_it_leads(rows, model) -> None:
    f = _follow(rows, model)
    files = f.files()
    for unit in rows["units"]:
        uid = unit["id"]
        issued = {i["plan_id"] for i in rows["issuers"] if i["unit"] == uid}
        path = sitemap.follow_file("unit", uid, "xml")
        if not issued:
            assert path not in files
            continue
        feed = check_atom(files[path].encode())
        links = {str(e.find(f"{A}link").get("href")) for e in feed.findall(f"{A}entry")}  # type: ignore[union-attr]
        plans = {p["id"]: p for p in rows["plans"]}
        assert links == {f"{BASE}/{sitemap.plan_path(plans[p])}" for p in issued}
    led: dict[str, set[str]] = {}
    dated = {(t["plan_id"], t["id"]) for t in rows["tasks"] if t["due_date"]}
    for tu in rows["task_units"]:
        if tu["role"] == "lead" and (tu["plan_id"], tu["task_id"]) in dated:
            led.setdefault(tu["unit"], set()).add(f"{tu['plan_id']}/{tu['task_id']}@cong-khai")
    calendars = {k: v for k, v in files.items() if k.startswith("nguon-tin/don-vi/") and k.endswith(".ics")}
    assert calendars, "the seed has bodies leading dated tasks"
    expected = {sitemap.follow_file("unit", u, "ics"): uids for u, uids in led.items() if u in f.units}
    assert set(calendars) == set(expected)
    for path, data in calendars.items():
        assert set(_uids(data)) == expected[path]


def test_a_plan_calendar_only_when_it_has_a_dated_task(rows, model) -> None:
    f = _follow(rows, model)
    files = f.files()
    for plan in rows["plans"]:
        dated = {
            f"{plan['id']}/{t['id']}@cong-khai" for t in rows["tasks"] if t["plan_id"] == plan["id"] and t["due_date"]
        }
        path = sitemap.follow_file("plan", plan["id"], "ics")
        links = f.plan_links(plan)
        if dated:
            assert set(_uids(files[path])) == dated
            for event in _events(files[path].encode()):  # the task's text cut (the plan page has it whole)
                line = next(x for x in _unescape(event["DESCRIPTION"]).splitlines() if x.startswith("Mục "))
                assert len(line.split(": ", 1)[1]) <= follow_mod.EVENT_TEXT
            assert [link.path for link in links][1] == path
        else:
            assert path not in files, "no empty calendars"
            assert all(link.type != "text/calendar" for link in links)
        assert links[0].path == sitemap.follow_file("plan", plan["id"], "xml")


def test_a_plan_feed_is_its_versions_said_in_vietnamese_and_its_status_changes(rows, model) -> None:
    f = _follow(rows, model)
    plan = next(p for p in rows["plans"] if p["id"] == LS)
    versions = [
        Version("b" * 40, "2024-10-02T09:00:00+07:00", "fix typo in tasks", "x.md"),
        Version("a" * 40, "2024-03-01T08:00:00+07:00", "add plan", "x.md"),
    ]
    said = {"b" * 40: "Sửa 2 nhiệm vụ.", "a" * 40: "Đăng lần đầu (9 nhiệm vụ)."}
    path, data = next(iter(f.plan_feed(plan, versions, said).items()))
    assert path == sitemap.follow_file("plan", LS, "xml")
    feed = check_atom(data.encode())
    entries = feed.findall(f"{A}entry")
    titles = [str(e.findtext(f"{A}title")) for e in entries]
    assert "Sửa 2 nhiệm vụ." in titles and "Đăng lần đầu (9 nhiệm vụ)." in titles
    assert not any("fix typo" in t or "add plan" in t for t in titles), "never a commit subject"
    assert "fix typo" not in data
    # the status changes of this plan's tasks are there too, each with the status feed's id
    changes = [c for c in status_changes(rows["tasks"], rows["task_updates"]) if c["plan_id"] == LS]
    assert changes and sum(", mục " in t for t in titles) == len(changes)
    ids = {str(e.findtext(f"{A}id")) for e in entries}
    assert {feeds.urn(f"task-update:{LS}/{c['task_id']}/{c['date']}") for c in changes} <= ids
    stamps = [dt.datetime.fromisoformat(str(e.findtext(f"{A}updated")).replace("Z", "+00:00")) for e in entries]
    assert stamps == sorted(stamps, reverse=True), "newest first across offsets"
    assert feed.findtext(f"{A}updated") == entries[0].findtext(f"{A}updated")
    version = next(e for e in entries if e.findtext(f"{A}title") == "Sửa 2 nhiệm vụ.")
    related = version.find(f"{A}link[@rel='related']")
    assert related is not None and related.get("href") == f"{BASE}/data/{sitemap.version_file(LS, 'b' * 7)}"
    # bounded: at most FEED_ENTRIES, the newest
    many = [Version(f"{n:040x}", f"2024-01-{1 + n % 28:02d}T00:00:00Z", "s", "x.md") for n in range(120)]
    _, capped = next(iter(f.plan_feed(plan, many, {}).items()))
    assert len(check_atom(capped.encode()).findall(f"{A}entry")) == follow_mod.FEED_ENTRIES


# --- bounded, deterministic, safe ---------------------------------------------------------------------


def test_feeds_and_calendars_are_bounded(rows, model, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(follow_mod, "FEED_ENTRIES", 1)
    monkeypatch.setattr(follow_mod, "CALENDAR_EVENTS", 2)
    files = _follow(rows, model).files()
    for path, data in files.items():
        if path.endswith(".xml"):
            assert len(_titles(data)) <= 1, path
        else:
            assert len(_uids(data)) <= 2, path
    # the calendar keeps the deadlines due last
    lang_son = _events(files[sitemap.follow_file("province", "lang-son", "ics")].encode())
    assert [e["DTSTART;VALUE=DATE"] for e in lang_son] == ["20241031", "20241130"]


def test_files_are_deterministic_and_independent_of_row_order(rows, model) -> None:
    first = _follow(rows, model).files()
    assert first == _follow(rows, model).files()
    shuffled = {k: list(reversed(v)) for k, v in rows.items()}  # the issuers' order is theirs (seq): kept
    assert Follow(model, shuffled, TODAY, BASE, "2024-11-22", _names(rows)).files() == first
    for path, data in first.items():
        assert path.startswith(sitemap.FOLLOW_DIR + "/")
        if path.endswith(".ics"):
            uids = _uids(data)
            assert len(uids) == len(set(uids))
        else:
            check_atom(data.encode())


HOSTILE = "]]></title><script>alert(1)</script>&amp;\r\nSUMMARY:giả\nBEGIN:VEVENT"


def test_hostile_titles_and_names_stay_text(rows, model) -> None:
    bad = copy.deepcopy(rows)
    for p in bad["plans"]:
        p["title"] = HOSTILE
        p["number_symbol"] = HOSTILE
    for u in bad["units"]:
        u["name"] = HOSTILE
    for pr in bad["provinces"]:
        pr["name"] = HOSTILE
    for t in bad["tasks"]:
        t["text"] = HOSTILE
    f = _follow(bad, model)
    files = f.files()
    plan = next(p for p in bad["plans"] if p["id"] == LS)
    files.update(f.plan_feed(plan, [Version("c" * 40, "2024-05-05T00:00:00Z", HOSTILE, "x.md")], {"c" * 40: HOSTILE}))
    assert any(k.endswith(".ics") for k in files) and any(k.endswith(".xml") for k in files)
    for path, data in files.items():
        if path.endswith(".xml"):
            assert "<script" not in data and "]]>" not in data, path  # escaped by ElementTree
            feed = check_atom(data.encode())
            texts = [el.text or "" for el in feed.iter()]
            assert any(HOSTILE.replace("\r\n", "\n") in t for t in texts), "the text is kept, as text"
        else:
            raw = data.encode()
            assert b"\n" not in raw.replace(b"\r\n", b"") and b"\r" not in raw.replace(b"\r\n", b"")
            events = _events(raw)
            assert events
            for e in events:
                assert set(e) <= {
                    "UID", "DTSTAMP", "DTSTART;VALUE=DATE", "DTEND;VALUE=DATE", "RRULE", "SUMMARY",
                    "DESCRIPTION", "TRANSP", "STATUS", "URL",
                }  # fmt: skip
                assert "BEGIN:VEVENT" in _unescape(e["SUMMARY"])  # the forged line is inside the value
    # names of files are ids, never a title
    assert all(HOSTILE not in k and "script" not in k for k in files)


@pytest.mark.parametrize("ident", ["../etc/passwd", "Bắc Giang", "a/b", "", "A-B", "a--b", "x" * 161, "-a"])
def test_follow_file_names_are_slugs(ident: str) -> None:
    with pytest.raises(ValueError):
        sitemap.follow_file("plan", ident, "xml")
    with pytest.raises(ValueError):
        sitemap.follow_file("nowhere", "a", "xml")
    with pytest.raises(ValueError):
        sitemap.follow_file("plan", "a", "html")
    assert sitemap.follow_file("province", "bac-ninh-2025", "ics") == "nguon-tin/tinh/bac-ninh-2025.ics"


def test_a_record_whose_id_is_not_a_slug_gets_no_file_and_no_link(rows, model) -> None:
    bad = copy.deepcopy(rows)
    plan = next(p for p in bad["plans"] if p["id"] == LS)
    for name in ("tasks", "issuers", "task_units", "task_updates"):
        for r in bad[name]:
            if r["plan_id"] == LS:
                r["plan_id"] = "../../x"
    plan["id"] = "../../x"
    f = _follow(bad, model)
    assert f.plan_links(plan) == []
    assert f.plan_feed(plan, [], {}) == {}
    assert all(".." not in k for k in f.files())


def test_block_explains_each_link_and_escapes(rows, model) -> None:
    f = _follow(rows, model)
    plan = next(p for p in rows["plans"] if p["id"] == BG)
    here = sitemap.plan_md(plan)
    lines = follow_mod.block(here, "Theo dõi kế hoạch này", f.plan_links(plan), anchor="theo-doi-ke-hoach")
    text = "\n".join(lines)
    assert text.startswith("## Theo dõi kế hoạch này {#theo-doi-ke-hoach}")
    assert f"[Nhận thông báo khi kế hoạch thay đổi (RSS/Atom)](../../nguon-tin/ke-hoach/{BG}.xml)" in text
    assert f"[Thêm thời hạn nhiệm vụ vào lịch (iCalendar)](../../nguon-tin/ke-hoach/{BG}.ics)" in text
    box = follow_mod.block("units/u.md", "Theo dõi", [], none="Chưa có <b>.")
    assert box[0] == '??? note ck-follow "Theo dõi"' and "    Chưa có <b>." in box
    assert follow_mod.head(f.plan_links(plan))[0] == {
        "type": "application/atom+xml",
        "title": "Thay đổi của kế hoạch này",
        "href": f"nguon-tin/ke-hoach/{BG}.xml",
    }
    assert "Bắc Giang thuộc Bắc Ninh" in f.province_note("bac-giang")
    assert f.province_note("lang-son") == ""


def test_an_event_carries_the_task_text_cut_and_links_the_plan(rows, model) -> None:
    long = copy.deepcopy(rows)
    for t in long["tasks"]:
        if (t["plan_id"], t["id"]) == (LS, "ii-1"):
            t["text"] = "Tuyên truyền pháp luật về dân chủ ở cơ sở. " * 40  # 1,720 characters
    files = _follow(long, model).files()
    event = next(
        e for e in _events(files[sitemap.follow_file("plan", LS, "ics")].encode()) if e["UID"].startswith(LS + "/ii-1@")
    )
    line = next(x for x in _unescape(event["DESCRIPTION"]).splitlines() if x.startswith("Mục "))
    text = line.split(": ", 1)[1]
    assert len(text) <= 300 and text.endswith("…")
    assert event["URL"] == f"{BASE}/plans/lang-son/{LS}/"


# --- dates ----------------------------------------------------------------------------------------


def _dtstamp(data: str) -> str:
    return next(line for line in data.splitlines() if line.startswith("DTSTAMP:"))


def test_each_file_is_dated_by_the_plans_it_shows_so_a_change_elsewhere_leaves_it_unchanged(rows, model) -> None:
    """A merge that changes one plan must change only the feeds and calendars showing it: the
    others keep their bytes (feed readers and caches see them unchanged; a rebuild skips them)."""
    plans = sorted(str(p["id"]) for p in rows["plans"])
    changed = {pid: "2024-03-01T08:00:00+07:00" for pid in plans}
    changed[BG] = "2024-06-01T08:00:00+07:00"
    before = Follow(model, rows, TODAY, BASE, "2024-11-22", _names(rows), changed=changed).files()
    later = {**changed, BG: "2024-11-22T09:00:00+07:00"}  # the Bắc Giang plan merged again
    after = Follow(model, rows, TODAY, BASE, "2024-11-22", _names(rows), changed=later).files()
    assert before.keys() == after.keys()
    moved = {path for path in before if before[path] != after[path]}
    issuers = {i["unit"] for i in rows["issuers"] if i["plan_id"] == BG}
    bg_feed = sitemap.follow_file("unit", sorted(issuers)[0], "xml")
    assert bg_feed in moved
    assert check_atom(after[bg_feed].encode()).findtext(f"{A}updated") == "2024-11-22T09:00:00+07:00"
    others = [p for p in before if p not in moved and p.endswith(".xml")]
    assert others, "files not showing the plan stay as they were"
    for path in others:
        assert check_atom(before[path].encode()).findtext(f"{A}updated") in (
            "2024-03-01T08:00:00+07:00",
            "2024-06-01T08:00:00+07:00",
        )
    ics_moved = [p for p in moved if p.endswith(".ics")]
    ics_kept = [p for p in before if p.endswith(".ics") and p not in moved]
    assert ics_moved and ics_kept, (ics_moved, ics_kept)
    assert _dtstamp(after[ics_moved[0]]) != _dtstamp(before[ics_moved[0]])


def test_the_newest_change_is_found_across_time_zones_and_an_unknown_one_falls_back(rows, model) -> None:
    plans = sorted(str(p["id"]) for p in rows["plans"])
    # 03:00 UTC is later than 09:00 at +07:00 (02:00 UTC), though it sorts first as text
    changed = {pid: "2024-05-01T09:00:00+07:00" for pid in plans}
    changed[BG] = "2024-05-01T03:00:00+00:00"
    f = Follow(model, rows, TODAY, BASE, "2024-11-22", _names(rows), changed=changed, reference="2024-01-01T00:00:00Z")
    two = tuple(p for p in rows["plans"] if p["id"] in (BG, plans[-1] if plans[-1] != BG else plans[0]))
    assert len(two) == 2
    shows_two = [("atom", "a.xml", "k", "t", "s", "h", two, (), ())]  # a feed showing both plans
    assert f._dated(shows_two) == "2024-05-01T03:00:00+00:00"
    assert f._dated(f._parts(("province", f.province_of[BG]))) == "2024-05-01T03:00:00+00:00"
    # the reference tables changed later than every plan: their date
    g = Follow(model, rows, TODAY, BASE, "2024-11-22", _names(rows), changed=changed, reference="2024-10-01T00:00:00Z")
    assert g._dated(g._parts(("province", g.province_of[BG]))) == "2024-10-01T00:00:00Z"
    # a shown plan without a known change (no history): the sources' date
    del changed[BG]
    h = Follow(model, rows, TODAY, BASE, "2024-11-22", _names(rows), changed=changed)
    assert h._dated(h._parts(("province", h.province_of[BG]))) == "2024-11-22"
