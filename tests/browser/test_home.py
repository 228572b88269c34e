"""The home page and the 404 page on a phone (390×844) and a laptop (1366×900): a way in — the search
box in the first screen, the latest plans, provinces after the July 2025 merger — with nothing wider
than the screen; and a plan's original text read correctly by the browser.

Screenshots of each page at each size go to ``build/screenshots/`` (not committed) to be looked at.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
SIZES = {"phone": (390, 844), "laptop": (1366, 900)}
NEWEST = "Phối hợp thực hiện công tác dân vận giữa Khối dân vận Đảng ủy và UBND phường Dĩnh Kế năm 2024"


def overflow(page) -> int:
    """How many pixels the page is wider than the window (0: no horizontal scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)
    page.screenshot(path=str(SHOTS / f"{name}-full.png"), full_page=True)


@pytest.mark.parametrize("size", SIZES)
def test_home_is_a_way_in(page, base_url, size):
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    page.goto(base_url + "/")
    shoot(page, f"home-{size}")
    assert overflow(page) <= 0
    box = page.get_by_role("searchbox", name="Tìm kế hoạch, nhiệm vụ, cơ quan")
    expect(box).to_be_visible()
    bounds = box.bounding_box()
    assert bounds is not None and bounds["y"] + bounds["height"] <= height, "search box below the first screen"
    latest = page.locator("h2#ke-hoach-moi-nhat + ul a")
    expect(latest).to_have_count(5)
    expect(latest.first).to_have_text(NEWEST)
    expect(latest.first).to_be_visible()
    # the merger: Bắc Giang's and Bắc Kạn's plans are found under today's Bắc Ninh and Thái Nguyên
    article = page.locator("article")
    expect(article).to_contain_text("Bắc Ninh — 1 kế hoạch")
    expect(article).to_contain_text("trước 1/7/2025 thuộc tỉnh Bắc Giang")
    expect(article).to_contain_text("Thái Nguyên — 1 kế hoạch")
    expect(article).to_contain_text("trước 1/7/2025 thuộc tỉnh Bắc Kạn")
    # monitoring figures say how many tasks can be late at all
    expect(article).to_contain_text("1 quá hạn trong số 1 nhiệm vụ có ngày hạn cụ thể")
    # the staff guide is in the footer, not the public menu
    expect(page.locator("footer").get_by_role("link", name="Hướng dẫn đăng tải")).to_be_visible()
    assert page.locator("nav.md-nav--primary").get_by_text("Hướng dẫn đăng tải").count() == 0


def test_home_search_opens_the_search_page(page, base_url):
    page.goto(base_url + "/")
    page.get_by_role("searchbox", name="Tìm kế hoạch, nhiệm vụ, cơ quan").fill("dân vận")
    page.get_by_role("button", name="Tìm", exact=True).click()
    page.wait_for_url("**/tim-kiem/?q=*")
    assert "q=d%C3%A2n+v%E1%BA%ADn" in page.url


def test_home_links_the_feeds(page, base_url):
    page.goto(base_url + "/")
    for href in ("feed.xml", "tien-do.xml", "lich-nhiem-vu.ics"):
        assert page.locator(f'head link[rel="alternate"][href$="{href}"]').count() == 1, href
        assert page.locator(f'article a[href$="{href}"]').count() == 1, href


@pytest.mark.parametrize("size", SIZES)
def test_not_found_page_in_vietnamese(page, base_url, size):
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    page.goto(base_url + "/404.html")
    shoot(page, f"404-{size}")
    assert overflow(page) <= 0
    expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy trang")
    expect(page).to_have_title("Không tìm thấy trang - Công khai")
    assert "Not found" not in page.content()
    box = page.get_by_role("searchbox", name="Tìm kế hoạch")
    expect(box).to_be_visible()
    bounds = box.bounding_box()
    assert bounds is not None and bounds["y"] + bounds["height"] <= height


def test_original_text_reads_as_vietnamese(page, base_url):
    """The plain-text copy of a plan (served, like many servers do, as text/plain without a charset)
    shows Vietnamese, not mojibake: the byte-order mark tells the browser it is UTF-8."""
    plan = "/plans/bac-giang/bac-giang-tp-bac-giang-dinh-ke-2024-72-khph-kdv-ubnd/"
    page.goto(base_url + plan)
    link = page.get_by_role("link", name="Xem văn bản đã chép")
    expect(link).to_be_visible()
    expect(page.locator("article")).to_contain_text("không phải bản gốc có chữ ký, con dấu")
    expect(page.locator("article")).to_contain_text("Chưa ghi địa chỉ trang nguồn")
    link.click()
    page.wait_for_url("**/000_ab3c1f91cecb70f8.txt")
    text = page.locator("body").inner_text()
    assert "Dĩnh Kế" in text and "Ã" not in text
