"""A reader's path through the site in a real browser: from the home page to a plan's tasks, the
open data downloaded and parsed, the plan page on a phone, and the plan page printed."""

from __future__ import annotations

import csv
import io
import json

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

PLAN = "/plans/lang-son/lang-son-cao-loc-2024-kh-ubnd/"
PLAN_TITLE = "Thực hiện công tác dân vận chính quyền các cấp"
PLAN_COLUMNS = {
    "id",
    "doc_type",
    "title",
    "number_symbol",
    "issuer_units",
    "issuer_level",
    "province",
    "issue_date",
    "status",
    "task_count",
    "citation_count",
}
SEED_IDS = {
    "bac-giang-tp-bac-giang-dinh-ke-2024-72-khph-kdv-ubnd",
    "bac-kan-2023-276-ubnd-ncpc",
    "can-tho-thuc-hien-chi-thi-33-ct-ttg",
    "lang-son-cao-loc-2024-kh-ubnd",
    "tay-ninh-tp-tay-ninh-2023-phoi-hop-cong-tac-dan-van-chinh-quyen",
}


def tasks_table(page):
    """The table that follows the "Nhiệm vụ (n)" heading."""
    return page.locator("xpath=//h2[starts-with(@id, 'nhiem-vu')]/following::table[1]")


def test_home_to_plan_tasks(page, base_url):
    page.goto(base_url + "/")
    page.get_by_role("link", name="Xem tất cả 5 kế hoạch →").click()  # the home page's way to the list
    expect(page).to_have_url(base_url + "/plans/")
    page.get_by_role("link", name=PLAN_TITLE).click()
    expect(page).to_have_url(base_url + PLAN)
    heading = page.get_by_role("heading", name="Nhiệm vụ (21)")
    expect(heading).to_be_visible()
    table = tasks_table(page)
    expect(table).to_be_visible()
    for column in ("Nhiệm vụ", "Chủ trì", "Thời hạn"):
        expect(table.locator("thead")).to_contain_text(column)
    expect(table.locator("tbody tr")).to_have_count(21)
    table.locator("tbody tr").last.scroll_into_view_if_needed()
    expect(table.locator("tbody tr").last).to_be_visible()


def read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_download_plans_csv(page, base_url, tmp_path):
    page.goto(base_url + "/data/")
    link = page.locator("article a[href$='plans.csv']").first
    expect(link).to_be_visible()
    href = link.evaluate("a => a.href")
    assert href.startswith(base_url + "/"), href
    try:
        with page.expect_download(timeout=5000) as info:
            link.click()
        saved = tmp_path / "plans.csv"
        info.value.save_as(saved)
        data = saved.read_bytes()
    except PlaywrightTimeout:  # the browser showed the CSV instead of saving it: fetch the href
        page.goto(base_url + "/data/")
        response = page.request.get(href)
        assert response.ok, f"{href}: HTTP {response.status}"
        data = response.body()

    rows = read_csv(data)
    assert len(rows) == 5
    header = list(rows[0])
    assert set(header) >= PLAN_COLUMNS, f"missing columns: {PLAN_COLUMNS - set(header)}"
    assert {row["id"] for row in rows} == SEED_IDS
    cao_loc = next(row for row in rows if row["id"] == "lang-son-cao-loc-2024-kh-ubnd")
    assert cao_loc["title"].startswith(PLAN_TITLE)  # Vietnamese text survives the round trip
    assert cao_loc["task_count"] == "21"

    # The columns are the ones the data package declares, in that order.
    package = page.request.get(href.rsplit("/", 1)[0] + "/datapackage.json")
    assert package.ok
    resources = {r["name"]: r for r in json.loads(package.body())["resources"]}
    declared = [f["name"] for f in resources["plans"]["schema"]["fields"]]
    assert header == declared


PHONE = {"width": 375, "height": 812}


@pytest.fixture
def phone_page(page):
    page.set_viewport_size(PHONE)
    return page


def test_plan_on_a_phone(phone_page, base_url):
    page = phone_page
    page.goto(base_url + PLAN)
    expect(page.locator("h1")).to_contain_text("Cao Lộc")
    sizes = page.evaluate(
        """() => {
        const article = document.querySelector('article');
        return {
            inner: window.innerWidth,
            page: document.scrollingElement.scrollWidth,
            article: article.scrollWidth,
            articleBox: article.clientWidth,
            // Running text that pokes out of the viewport.
            overflowing: [...article.querySelectorAll('p, li, h1, h2, h3, dd, dt')]
                .filter(el => !el.closest('table'))
                .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
                .map(el => el.textContent.slice(0, 60)),
        };
    }"""
    )
    assert sizes["page"] <= sizes["inner"] + 1, sizes
    assert sizes["article"] <= sizes["articleBox"] + 1, sizes
    assert not sizes["overflowing"], sizes["overflowing"]

    table = tasks_table(page)
    table.scroll_into_view_if_needed()
    expect(table).to_be_visible()
    fit = table.evaluate(
        """t => {
        let box = t;  // the element that scrolls, if any: the table itself or a wrapper
        for (let el = t; el && el.tagName !== 'ARTICLE'; el = el.parentElement) {
            if (el.scrollWidth > el.clientWidth + 1) { box = el; break; }
        }
        const scrolls = box.scrollWidth > box.clientWidth + 1;
        const style = getComputedStyle(box);
        return {
            fits: t.getBoundingClientRect().right <= window.innerWidth + 1 && !scrolls,
            scrollable: scrolls && ['auto', 'scroll'].includes(style.overflowX),
            focusable: box.tabIndex >= 0 || !!box.querySelector('a, button, [tabindex]'),
            narrowest: Math.min(...[...t.querySelectorAll('th')]
                .map(th => th.getBoundingClientRect().width)),
        };
    }"""
    )
    # Readable in place, or a keyboard-reachable scroll box; never wider than the screen.
    assert fit["fits"] or (fit["scrollable"] and fit["focusable"]), fit
    assert fit["narrowest"] >= 24, f"a column is too narrow to read: {fit}"


def hidden(page, selector: str) -> bool:
    return page.evaluate(
        """sel => [...document.querySelectorAll(sel)].every(el => {
            const r = el.getBoundingClientRect();
            return getComputedStyle(el).display === 'none' || r.width === 0 || r.height === 0;
        })""",
        selector,
    )


def test_plan_prints_cleanly(page, base_url):
    page.goto(base_url + PLAN)
    # An external link, as a plan body may contain: its address must appear on paper.
    page.evaluate(
        """() => {
        const p = document.createElement('p');
        p.innerHTML = '<a id="ext" href="https://vanban.chinhphu.vn/">Cổng</a>';
        document.querySelector('article').appendChild(p);
    }"""
    )
    page.emulate_media(media="print")

    for selector in (".md-header", ".md-sidebar", ".md-footer", ".md-search", ".md-tabs", ".md-top"):
        assert hidden(page, selector), f"{selector} is shown in print"
    expect(page.locator("article h1")).to_be_visible()
    expect(tasks_table(page)).to_be_visible()

    after = page.evaluate("getComputedStyle(document.getElementById('ext'), '::after').content")
    assert "https://vanban.chinhphu.vn/" in after
    internal = page.evaluate(
        """() => {
        const a = document.querySelector('article a[href]:not([href^="http"]):not(.headerlink)');
        return a ? getComputedStyle(a, '::after').content : 'none';
    }"""
    )
    assert "(" not in internal, f"internal links print their address: {internal}"

    row = tasks_table(page).locator("tbody tr").first
    assert row.evaluate("r => getComputedStyle(r).breakInside") == "avoid"
    wide = tasks_table(page).evaluate("t => t.scrollWidth <= t.getBoundingClientRect().width + 1")
    assert wide, "the tasks table is cut off in print"
    assert page.pdf(format="A4")[:4] == b"%PDF"
