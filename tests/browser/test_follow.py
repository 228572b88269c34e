"""Following a plan, a body or a province in a real browser: the "Theo dõi" block is where the
reader is, fits a phone, and its links download a feed and a calendar the browser can fetch.

Screenshots of the plan page's block at 390×844 and 1366×900, and of a body's and a former
province's page, are written to ``build/screenshots/`` (not committed) for a person to look at.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_plan_page import SHOTS, SIZES

BAC_GIANG = "/plans/bac-giang/bac-giang-tp-bac-giang-dinh-ke-2024-72-khph-kdv-ubnd/"
UNIT = "/units/bac-giang-tp-bac-giang-dinh-ke-ubnd/"
PROVINCE = "/plans/theo-tinh/bac-giang/"


def _fits(page) -> None:
    overflow = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert overflow[0] <= overflow[1], f"the page scrolls sideways: {overflow}"


@pytest.mark.parametrize("size", SIZES)
def test_plan_page_follow_block(page, base_url, size):
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    page.goto(base_url + BAC_GIANG)
    heading = page.locator("h2#theo-doi-ke-hoach")
    heading.scroll_into_view_if_needed()
    expect(heading).to_contain_text("Theo dõi kế hoạch này")
    block = page.locator("h2#theo-doi-ke-hoach + ul")
    feed = block.get_by_role("link", name="Nhận thông báo khi kế hoạch thay đổi (RSS/Atom)")
    ics = block.get_by_role("link", name="Thêm thời hạn nhiệm vụ vào lịch (iCalendar)")
    expect(feed).to_be_visible()
    expect(ics).to_be_visible()
    _fits(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollBy(0, -80)")
    page.screenshot(path=str(SHOTS / f"follow-plan-{size}.png"))
    # the links resolve: the browser fetches the files the block names
    for link, kind in ((feed, b"<feed"), (ics, b"BEGIN:VCALENDAR")):
        href = link.get_attribute("href")
        assert href and href.startswith("../../../nguon-tin/ke-hoach/")
        response = page.request.get(page.url + href)
        assert response.ok and kind in response.body()
    # and the head names them for feed readers, beside the site-wide feeds
    alternates = page.locator("head link[rel=alternate]")
    titles = [alternates.nth(i).get_attribute("title") for i in range(alternates.count())]
    assert titles[:2] == ["Thay đổi của kế hoạch này", "Thời hạn nhiệm vụ của kế hoạch này"]
    assert "Kế hoạch mới công khai" in titles


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("path", "name"), [(UNIT, "unit"), (PROVINCE, "province")])
def test_unit_and_province_follow_box(page, base_url, size, path, name):
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    page.goto(base_url + path)
    box = page.locator(".admonition.ck-follow")
    expect(box).to_be_visible()
    _fits(page)
    box.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"follow-{name}-{size}.png"))
    links = box.locator("a")
    assert links.count() == 2
    for i in range(links.count()):
        href = links.nth(i).get_attribute("href")
        assert href and "nguon-tin/" in href
        assert page.request.get(page.url + href).ok
    if name == "province":
        # former Bắc Giang's page offers the feeds of Bắc Ninh, which its plans belong to now
        expect(box).to_contain_text("Bắc Giang thuộc Bắc Ninh")
        assert "nguon-tin/tinh/bac-ninh-2025.xml" in (links.first.get_attribute("href") or "")
