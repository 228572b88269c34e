"""Citizens supervise implementation: the monitoring page and feeds, built from progress updates.

The page and its full lists on a phone (390×844) and a laptop (1366×900): cards with the title
first on a phone, every column on a laptop, and nothing wider than the screen. Screenshots go to
``build/screenshots/`` (not committed) to be looked at.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from congkhai.cli import main

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "monitoring" / "task_updates.csv"


@pytest.fixture(scope="module")
def monitored_site(tmp_path_factory):
    from tests.conftest import copy_sources

    repo = copy_sources(tmp_path_factory.mktemp("monitoring") / "repo")
    shutil.copyfile(FIXTURE, repo / "data" / "task_updates.csv")
    assert main(["build", "--root", str(repo), "--today", "2025-01-15"]) == 0
    return repo / "site"


def test_updates_reach_the_datasets_and_feeds(monitored_site):
    updates = (monitored_site / "data" / "task_updates.csv").read_text(encoding="utf-8")
    assert "Hoàn thành quán triệt" in updates
    ics = (monitored_site / "lich-nhiem-vu.ics").read_bytes()
    assert ics.startswith(b"BEGIN:VCALENDAR\r\n") and ics.rstrip().endswith(b"END:VCALENDAR")
    feed = (monitored_site / "tien-do.xml").read_text(encoding="utf-8")
    assert "ii-1" in feed


def test_monitoring_page_in_the_browser(browser, monitored_site):
    import functools
    import http.server
    import socketserver
    import threading

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(monitored_site))
    handler.log_message = lambda *a: None  # type: ignore[method-assign]
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler) as httpd:
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/theo-doi/")
        expect(page.locator("h1")).to_contain_text("Theo dõi thực hiện")
        expect(page.get_by_role("heading", name="Theo đơn vị chủ trì")).to_be_visible()
        expect(page.locator("article")).to_contain_text("Phòng Nội vụ")
        # the one seed task with a due date (31/12/2024) is overdue, listed with its lead unit
        expect(page.get_by_role("heading", name="Nhiệm vụ quá hạn (1)")).to_be_visible()
        expect(page.locator("#bang-theo-doi-qua-han tbody tr")).to_have_count(1)
        expect(page.locator("#bang-theo-doi-qua-han tbody td").nth(3)).to_have_text("31/12/2024")
        # more lead units than the page shows: the whole list on a page of its own
        page.get_by_role("link", name="Xem tất cả 22 đơn vị chủ trì").click()
        expect(page.locator("h1")).to_contain_text("Theo đơn vị chủ trì — Theo dõi thực hiện")
        expect(page.locator(".ck-table tbody tr")).to_have_count(22)
        page.get_by_role("link", name="Theo dõi thực hiện — tính đến ngày 15/01/2025").click()
        expect(page.locator("h1")).to_contain_text("Theo dõi thực hiện")
        expect(page.locator("h1")).not_to_contain_text("Theo đơn vị")
        page.close()
        httpd.shutdown()


SIZES = {"phone": (390, 844), "laptop": (1366, 900)}
SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("path", ["/theo-doi/", "/theo-doi/don-vi/"])
def test_monitoring_pages_never_scroll_sideways(browser, monitored_site, size, path):
    from tests.browser.conftest import serve

    width, height = SIZES[size]
    with serve(monitored_site) as base:
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(base + path)
        page.wait_for_load_state("load")
        SHOTS.mkdir(parents=True, exist_ok=True)
        name = f"monitoring-{path.strip('/').replace('/', '-')}-{size}"
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)
        page.screenshot(path=str(SHOTS / f"{name}-full.png"), full_page=True)
        wider = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert wider <= 0, f"{path} scrolls sideways by {wider}px at {width}×{height}"
        tables = page.locator(".ck-table")
        assert tables.count() >= 1
        for i in range(tables.count()):
            first = tables.nth(i).locator("tbody tr").first.locator("td").first
            expect(first).to_have_class("ck-title")
            box = first.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, box
        display = page.evaluate("getComputedStyle(document.querySelector('.ck-table tbody tr')).display")
        assert display == ("block" if size == "phone" else "table-row")  # a card on a phone
        if size == "laptop":  # every column header within its table
            cut = page.evaluate(
                """() => Array.from(document.querySelectorAll('.ck-table')).flatMap(w => {
                    const right = w.getBoundingClientRect().right + 1;
                    return Array.from(w.querySelectorAll('th'))
                        .filter(th => th.getBoundingClientRect().right > right).map(th => th.textContent);
                })"""
            )
            assert not cut, cut
        page.close()
