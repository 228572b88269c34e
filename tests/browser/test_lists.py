"""Readers filter the lists and follow links between plans and the documents they cite."""

from typing import Any

from playwright.sync_api import expect


def test_filter_plans_by_province(page, base_url):
    page.goto(base_url + "/plans/")
    rows = page.locator("#bang-ke-hoach tbody tr")
    expect(rows).to_have_count(5)
    page.get_by_label("Tỉnh, thành phố").select_option("Lạng Sơn")
    expect(page.locator("#bang-ke-hoach tbody tr:not([hidden])")).to_have_count(1)
    expect(page.locator("article").get_by_role("status")).to_have_text("Đang hiển thị 1 / 5 dòng")


def test_sort_plans_by_date(page, base_url):
    page.goto(base_url + "/plans/")
    page.get_by_role("button", name="Ngày ban hành").click()
    first = page.locator("#bang-ke-hoach tbody tr").first
    expect(first).to_have_attribute("data-sort-date", "")  # undated plans first when ascending
    page.get_by_role("button", name="Ngày ban hành").click()
    expect(page.locator("#bang-ke-hoach tbody tr").first).to_have_attribute("data-sort-date", "2024-03-18")


def test_filter_tasks_by_lead(page, base_url):
    page.goto(base_url + "/tasks/")
    # the task list has two pages: the filter acts on the whole list (loc/nhiem-vu/, render/shards.py)
    lead = page.get_by_label("Đơn vị chủ trì")
    # the bodies are listed per province (thousands at national scale): province first
    expect(lead).to_be_disabled()
    expect(lead.locator("option")).to_have_text(["Chọn tỉnh, thành phố trước"])
    province = page.get_by_label("Tỉnh, thành phố")
    province.select_option(province.locator("option", has_text="Lạng Sơn").get_attribute("value"))
    expect(lead).to_be_enabled()
    option = lead.locator("option", has_text="Phòng Nội vụ huyện Cao Lộc")
    expect(option).to_have_count(1)
    expect(lead.locator("option", has_text="Tây Ninh")).to_have_count(0)  # only Lạng Sơn's bodies
    value = option.get_attribute("value")
    lead.select_option(value)
    visible = page.locator("#bang-nhiem-vu tbody tr:not([hidden])")
    expect(page.locator("article").get_by_role("status")).to_contain_text("nhiệm vụ phù hợp")
    expect(visible.first).to_contain_text("Phòng Nội vụ")
    assert 0 < visible.count() < 107
    # the address keeps both: opened again, the province's bodies are fetched and the body chosen
    url = page.url
    assert f"lead={value}" in url and "province=" in url
    page.goto(base_url + "/")
    page.goto(url)
    expect(page.get_by_label("Đơn vị chủ trì")).to_have_value(value)
    expect(page.locator("article").get_by_role("status")).to_contain_text("nhiệm vụ phù hợp")
    # no province, no body
    page.get_by_role("button", name="Bỏ lọc").click()
    expect(page.get_by_label("Đơn vị chủ trì")).to_be_disabled()


def test_a_province_s_bodies_fetched_late_do_not_replace_those_of_the_province_chosen_since(page, base_url):
    """On a slow network a reader picks one province, then another before the first one's bodies
    arrive: the list shows the bodies of the province now chosen, not of the one whose file came
    last (a late answer replaced it, and the next change emptied and disabled the list)."""
    # each bodies file read by the page is counted once its JSON is handed on (what the page does
    # with it runs in the same turn): the test waits for that, never for time
    page.add_init_script(
        """(() => {
          const json = Response.prototype.json;
          Response.prototype.json = function () {
            const url = this.url;
            return json.call(this).then((v) => {
              if (url.includes("index-lead-")) window.__bodies = (window.__bodies || 0) + 1;
              return v;
            });
          };
        })();"""
    )
    held: list[Any] = []
    page.route("**/index-lead-*.json", lambda route: route.continue_() if held else held.append(route))
    page.goto(base_url + "/tasks/")
    province = page.get_by_label("Tỉnh, thành phố")
    lead = page.get_by_label("Đơn vị chủ trì")
    expect(lead).to_be_disabled()
    first = province.locator("option", has_text="Lạng Sơn").get_attribute("value")
    second = province.locator("option", has_text="Tây Ninh").get_attribute("value")
    with page.expect_request("**/index-lead-*.json"):
        province.select_option(first)  # its file is held back
    province.select_option(second)
    expect(lead).to_have_attribute("data-scope", str(second))
    expect(lead).to_be_enabled()
    page.wait_for_function("() => window.__bodies === 1")
    held[0].continue_()  # the first province's bodies arrive now, late
    page.wait_for_function("() => window.__bodies === 2")
    page.evaluate("() => 0")  # a turn after the late answer's handlers
    expect(lead).to_have_attribute("data-scope", str(second))
    expect(lead.locator("option", has_text="Phòng Nội vụ huyện Cao Lộc")).to_have_count(0)
    expect(lead).to_be_enabled()


def test_directive_page_and_backlink(page, base_url):
    page.goto(base_url + "/plans/can-tho/can-tho-thuc-hien-chi-thi-33-ct-ttg/")
    page.get_by_role("link", name="Chỉ thị 33/CT-TTg").first.click()
    expect(page.locator("h1")).to_contain_text("Chỉ thị 33/CT-TTg")
    expect(page.get_by_role("heading", name="Các kế hoạch trích dẫn (4)")).to_be_visible()
    page.locator("#bang-trich-dan").get_by_role("link", name="trên địa bàn huyện Cao Lộc năm 2024").click()
    expect(page.locator("h1")).to_contain_text("Cao Lộc")


# --- mobile first: cards on a phone, every column on a wide screen (issue 12) -------------------

import os  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

LIST_PAGES = [
    pytest.param("/plans/", id="plans"),
    pytest.param("/plans/theo-nam/2024/", id="plans-by-year"),
    pytest.param("/plans/theo-tinh/lang-son/", id="plans-by-province"),
    pytest.param("/plans/theo-tinh/bac-ninh-2025/", id="plans-by-province-today"),
    pytest.param("/plans/theo-tinh/bac-giang/", id="plans-by-former-province"),
    pytest.param("/tasks/", id="tasks"),
    pytest.param("/tasks/trang-2/", id="tasks-page-2"),
    pytest.param("/directives/", id="directives"),
    pytest.param("/directives/33-ct-ttg-2021/", id="directive"),
    pytest.param("/units/", id="units"),
    pytest.param("/units/tay-ninh-tp-tay-ninh-ubnd/", id="unit"),
    pytest.param("/units/tay-ninh-tp-tay-ninh-ubnd/chu-tri/", id="unit-tasks"),
    pytest.param("/cong-khai/tuan-thu/", id="compliance"),
    pytest.param("/cong-khai/danh-muc/", id="directory"),
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def screenshot(page, request) -> None:
    """Kept for a person to look at (not committed): build/screenshots/, or $SCREENSHOTS."""
    folder = Path(os.environ.get("SCREENSHOTS", "build/screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{request.node.name}.png"), full_page=False)


@pytest.mark.parametrize("path", LIST_PAGES)
def test_phone_shows_cards_with_titles_first_and_never_scrolls_sideways(page, base_url, path, request):
    page.set_viewport_size(PHONE)
    page.goto(base_url + path)
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
    first = page.locator(".ck-table tbody tr").first
    title = first.locator("td").first
    expect(title).to_have_class("ck-title")
    box = title.bounding_box()
    # the test site is a preview, whose one-line notice above the header a published site has not
    banner = page.locator(".md-banner").bounding_box() if page.locator(".md-banner").count() else None
    notice = banner["height"] if banner else 0
    assert box is not None and box["y"] - notice < PHONE["height"] - 40, (
        box
    )  # the first title starts on the first screen
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    # a card: the other cells sit under the title, each named by its column
    assert page.evaluate("getComputedStyle(document.querySelector('.ck-table tbody tr')).display") == "block"
    screenshot(page, request)


@pytest.mark.parametrize("path", LIST_PAGES)
def test_wide_screen_shows_every_column(page, base_url, path, request):
    page.set_viewport_size(DESKTOP)
    page.goto(base_url + path)
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
    overflow = page.evaluate(
        """() => Array.from(document.querySelectorAll('.ck-table')).flatMap(w => {
            const right = w.getBoundingClientRect().right + 1;
            return Array.from(w.querySelectorAll('th')).filter(th => th.getBoundingClientRect().right > right)
                .map(th => th.textContent);
        })"""
    )
    assert overflow == [], f"columns cut off: {overflow}"
    widths = page.evaluate(
        """() => { const r = document.querySelector('.ck-table tbody tr');
                   return Array.from(r.cells).map(c => c.getBoundingClientRect().width); }"""
    )
    assert widths[0] == max(widths), widths  # the title column gets the width
    screenshot(page, request)


def test_phone_filters_and_sorts_cards(page, base_url):
    page.set_viewport_size(PHONE)
    page.goto(base_url + "/plans/")
    expect(page.get_by_label("Tỉnh, thành phố")).to_be_hidden()  # folded on a phone
    page.get_by_text("Lọc danh sách").click()
    page.get_by_label("Tỉnh, thành phố").select_option("Lạng Sơn")
    expect(page.locator("#bang-ke-hoach tbody tr:not([hidden])")).to_have_count(1)
    page.get_by_label("Tỉnh, thành phố").select_option("")
    page.get_by_role("button", name="Ngày ban hành").click()
    page.get_by_role("button", name="Ngày ban hành").click()
    expect(page.locator("#bang-ke-hoach tbody tr").first).to_have_attribute("data-sort-date", "2024-03-18")


def test_pager_leads_through_the_task_list(page, base_url):
    page.goto(base_url + "/tasks/")
    expect(page.locator("#bang-nhiem-vu tbody tr")).to_have_count(100)
    page.get_by_role("link", name="Trang sau").click()
    expect(page.locator("h1")).to_contain_text("Nhiệm vụ — trang 2")
    expect(page.locator("#bang-nhiem-vu tbody tr")).to_have_count(7)
    expect(page.locator("article").get_by_role("status")).to_have_text(
        "Bộ lọc tìm trong cả 107 nhiệm vụ của danh sách."
    )


def test_filter_cited_documents_over_both_pages(page, base_url):
    """The cited documents' list has two pages (103 documents): a filter acts on the whole list
    (loc/van-ban/), so every "Chỉ thị" is found, not only those of the page shown."""
    import csv

    root = Path(__file__).resolve().parents[2]
    with (root / "data" / "directives.csv").open(encoding="utf-8") as f:
        expected = sum(1 for r in csv.DictReader(f) if r["doc_type"] == "chi_thi")
    page.goto(base_url + "/directives/")
    kind = page.get_by_label("Loại văn bản")
    kind.select_option(kind.locator("option", has_text="Chỉ thị").first.get_attribute("value"))
    status = page.locator("article").get_by_role("status")
    expect(status).to_have_text(f"{expected} văn bản phù hợp")
    rows = page.locator("#bang-van-ban tbody tr")
    expect(rows).to_have_count(expected)
    for i in range(expected):
        expect(rows.nth(i).locator("td").first).to_contain_text("Chỉ thị")
    assert "type=chi_thi" in page.url
