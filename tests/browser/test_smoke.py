"""A reader opens the home page and reaches a plan."""


def test_home_to_plan(page, base_url):
    page.goto(base_url + "/")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.get_by_role("link", name="Danh sách kế hoạch").first.click()
    page.get_by_role("link", name="Thực hiện công tác dân vận chính quyền các cấp").click()
    assert "Cao Lộc" in page.title() or "Cao Lộc" in page.locator("h1").inner_text()
    assert page.get_by_role("heading", name="Nhiệm vụ (21)").is_visible()
