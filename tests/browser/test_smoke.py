"""A reader opens the home page and reaches a plan."""

from playwright.sync_api import expect


def test_home_to_plan(page, base_url):
    page.goto(base_url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    page.get_by_role("link", name="Xem tất cả 5 kế hoạch →").click()  # the home page's way to the list
    expect(page).to_have_url(base_url + "/plans/")
    page.get_by_role("link", name="Thực hiện công tác dân vận chính quyền các cấp").click()
    expect(page.locator("h1")).to_contain_text("Cao Lộc")
    expect(page.get_by_role("heading", name="Nhiệm vụ (21)")).to_be_visible()
