"""A build without the site's public address (SITE_URL) is a preview, and every page says so:
one small line, "Bản xem trước — chưa công bố", above the header (overrides/main.html, in
Material's banner). The session's site is built without SITE_URL, so it is a preview. At 390×844
and 1366×900 the notice is visible, one line, and takes no more than a sliver of the first
screen; nothing scrolls sideways. Screenshots go to ``build/screenshots/`` (not committed)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

NOTICE = "Bản xem trước — chưa công bố"
SIZES = {"phone": (390, 844), "desktop": (1366, 900)}
PAGES = {"home": "/", "data": "/data/", "plan": "/plans/lang-son/lang-son-cao-loc-2024-kh-ubnd/"}
SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", PAGES)
def test_every_page_of_a_preview_says_so_in_one_small_line(page, base_url, size, name):
    if os.environ.get("SITE_URL"):
        pytest.skip("the session's site was built with SITE_URL: not a preview")
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    page.goto(base_url + PAGES[name])
    notice = page.locator(".md-banner .preview-notice")
    expect(notice).to_have_text(NOTICE)
    expect(notice).to_be_visible()
    banner = page.locator(".md-banner").bounding_box()
    header = page.locator("header.md-header").bounding_box()
    assert banner is not None and header is not None
    assert banner["y"] == 0 and banner["height"] <= 32, banner  # one small line, not a block
    assert header["y"] >= banner["height"] - 1  # above the header, not over it
    line = notice.bounding_box()
    assert line is not None and line["height"] <= 20, line  # one line even on a phone
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"xem-truoc-{name}-{size}.png"))
