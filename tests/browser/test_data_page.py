"""The open-data page in a browser: the workbook and the SQLite files are linked and served, the
per-plan task CSV is Excel-ready, and the page reads on a phone and a wide screen."""

from __future__ import annotations

import io

import openpyxl
import pytest

from tests.browser.test_lists import DESKTOP, PHONE, screenshot

PLAN = "/plans/bac-giang/bac-giang-tp-bac-giang-dinh-ke-2024-72-khph-kdv-ubnd/"


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_data_page_links_the_workbook_and_the_database(page, base_url, size, request):
    page.set_viewport_size(size)
    page.goto(base_url + "/data/")
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
    link = page.locator('a[href$="cong-khai.xlsx"]').first
    link.scroll_into_view_if_needed()
    screenshot(page, request)
    response = page.request.get(link.evaluate("a => a.href"))
    assert response.ok
    book = openpyxl.load_workbook(io.BytesIO(response.body()))
    assert "plans" in book.sheetnames and "Từ điển dữ liệu" in book.sheetnames
    for name in ("cong-khai.sqlite", "cong-khai.metadata.json"):
        href = page.locator(f'a[href$="{name}"]').first.evaluate("a => a.href")
        assert page.request.get(href).ok, name
    page.locator("#tep-excel").scroll_into_view_if_needed()
    screenshot(page, request)  # overwrites: the workbook's section is what changed


def test_plan_page_task_csv_is_ready_for_excel(page, base_url):
    page.goto(base_url + PLAN)
    href = page.get_by_role("link", name="CSV nhiệm vụ").first.evaluate("a => a.href")
    body = page.request.get(href).body()
    assert body.startswith(b"\xef\xbb\xbf")
    header = body.decode("utf-8-sig").split("\r\n", 1)[0]
    assert header.split(";")[:3] == ["plan_id", "id", "section"]
