"""Citizens supervise implementation: the monitoring page and feeds, built from progress updates."""

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
    assert main(["build", "--root", str(repo), "--today", "2024-07-01"]) == 0
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
        page.close()
        httpd.shutdown()
