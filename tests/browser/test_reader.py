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


def task_cards(page):
    """The task cards under the "Nhiệm vụ (n)" heading (a card a task, never a squeezed table)."""
    return page.locator("li.ck-task")


def test_home_to_plan_tasks(page, base_url):
    page.goto(base_url + "/")
    page.get_by_role("link", name="Xem tất cả 5 kế hoạch →").click()  # the home page's way to the list
    expect(page).to_have_url(base_url + "/plans/")
    page.get_by_role("link", name=PLAN_TITLE).click()
    expect(page).to_have_url(base_url + PLAN)
    heading = page.get_by_role("heading", name="Nhiệm vụ (21)")
    expect(heading).to_be_visible()
    cards = task_cards(page)
    expect(cards).to_have_count(21)
    for label in ("Chủ trì", "Thời hạn"):
        expect(cards.first.locator("dt", has_text=label)).to_be_visible()
    cards.last.scroll_into_view_if_needed()
    expect(cards.last).to_be_visible()


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

    cards = task_cards(page)
    cards.first.scroll_into_view_if_needed()
    expect(cards.first).to_be_visible()
    boxes = cards.evaluate_all("cs => cs.map(c => c.getBoundingClientRect()).map(r => [r.left, r.right, r.width])")
    # Every card within the screen and wide enough to read: the text is not squeezed into a column.
    assert all(
        left >= 0 and right <= PHONE["width"] + 1 and width >= 0.8 * PHONE["width"] for left, right, width in boxes
    ), boxes


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
    expect(task_cards(page).first).to_be_visible()

    after = page.evaluate("getComputedStyle(document.getElementById('ext'), '::after').content")
    assert "https://vanban.chinhphu.vn/" in after
    internal = page.evaluate(
        """() => {
        const a = document.querySelector('article a[href]:not([href^="http"]):not(.headerlink)');
        return a ? getComputedStyle(a, '::after').content : 'none';
    }"""
    )
    assert "(" not in internal, f"internal links print their address: {internal}"

    card = task_cards(page).first
    assert card.evaluate("r => getComputedStyle(r).breakInside") == "avoid"
    fits = card.evaluate("c => c.scrollWidth <= c.getBoundingClientRect().width + 1")
    assert fits, "a task is cut off in print"
    assert page.pdf(format="A4")[:4] == b"%PDF"
