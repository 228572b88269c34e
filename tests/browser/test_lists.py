"""Readers filter the lists and follow links between plans and the documents they cite."""

from playwright.sync_api import expect


def test_filter_plans_by_province(page, base_url):
    page.goto(base_url + "/plans/")
    rows = page.locator("#bang-ke-hoach tbody tr")
    expect(rows).to_have_count(5)
    page.get_by_label("Tỉnh, thành phố").select_option("Lạng Sơn")
    expect(page.locator("#bang-ke-hoach tbody tr:not([hidden])")).to_have_count(1)
    expect(page.get_by_role("status")).to_have_text("Đang hiển thị 1 / 5 dòng")


def test_sort_plans_by_date(page, base_url):
    page.goto(base_url + "/plans/")
    page.get_by_role("button", name="Ngày ban hành").click()
    first = page.locator("#bang-ke-hoach tbody tr").first
    expect(first).to_have_attribute("data-sort-date", "")  # undated plans first when ascending
    page.get_by_role("button", name="Ngày ban hành").click()
    expect(page.locator("#bang-ke-hoach tbody tr").first).to_have_attribute("data-sort-date", "2024-03-18")


def test_filter_tasks_by_lead(page, base_url):
    page.goto(base_url + "/tasks/")
    page.get_by_label("Đơn vị chủ trì").select_option("Phòng Nội vụ huyện Cao Lộc")
    visible = page.locator("#bang-nhiem-vu tbody tr:not([hidden])")
    expect(visible.first).to_contain_text("Phòng Nội vụ")
    assert 0 < visible.count() < 107


def test_directive_page_and_backlink(page, base_url):
    page.goto(base_url + "/plans/can-tho/can-tho-thuc-hien-chi-thi-33-ct-ttg/")
    page.get_by_role("link", name="Chỉ thị 33/CT-TTg").first.click()
    expect(page.locator("h1")).to_contain_text("Chỉ thị 33/CT-TTg")
    expect(page.get_by_role("heading", name="Các kế hoạch trích dẫn (4)")).to_be_visible()
    page.locator("#bang-trich-dan").get_by_role("link", name="trên địa bàn huyện Cao Lộc năm 2024").click()
    expect(page.locator("h1")).to_contain_text("Cao Lộc")
