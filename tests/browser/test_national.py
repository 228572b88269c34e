"""The national site in a real browser: one search across two province sites, and its lists.

The host is laid out as deployed: the national site at the root, each province's own built site
under ``/<province>/`` (tests/national_shards.py). The search page loads the first province's
Pagefind index and merges the other's; a plan of each province is found from it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from congkhai.commands.national import national_site
from tests.browser.conftest import guarded_page, serve
from tests.national_shards import SHARDS, build_shards, national_root

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture(scope="module")
def national_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("national")
    sites = build_shards(tmp)
    national_site(sites, tmp / "nat")
    with serve(national_root(tmp, tmp / "nat", sites)) as url:
        yield url


@pytest.fixture
def npage(browser, national_url) -> Iterator[object]:
    errors: list[str] = []
    with guarded_page(browser, national_url) as pg:
        pg.on("pageerror", lambda e: errors.append(str(e)))
        yield pg
    assert not errors, errors


def shot(page, name: str) -> None:
    folder = Path(os.environ.get("SCREENSHOTS", "build/screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


@pytest.mark.parametrize(
    ("query", "title", "province"),
    [
        ("Dĩnh Kế", "Phối hợp thực hiện công tác dân vận giữa Khối dân vận Đảng ủy và UBND phường Dĩnh Kế", "Bắc Ninh"),
        ("Chỉ thị 33/CT-TTg Cần Thơ", "THỰC HIỆN CHỈ THỊ SỐ 33/CT-TTG", "Cần Thơ"),
    ],
)
def test_search_finds_a_plan_of_each_province(npage, national_url, query, title, province):
    npage.set_viewport_size(DESKTOP)
    npage.goto(national_url + "/")
    npage.get_by_role("searchbox").fill(query)
    npage.get_by_role("button", name="Tìm").click()
    expect(npage).to_have_url(f"{national_url}/tim-kiem/?q=" + __import__("urllib.parse").parse.quote_plus(query))
    results = npage.locator("#qg-results li")
    link = npage.get_by_role("link", name=title)
    hit = results.filter(has=link).first
    expect(hit).to_be_visible()
    expect(hit).to_contain_text(province)
    shot(npage, f"national-search-{province.split()[0].lower()}-desktop")
    href = hit.locator("a").first.get_attribute("href")
    hit.locator("a").first.click()
    expect(npage.locator("h1")).to_contain_text(title, ignore_case=True)
    assert npage.url.startswith(national_url + "/") and "/plans/" in npage.url, (href, npage.url)


def test_search_loads_each_province_index_from_its_folder(npage, national_url):
    seen: list[str] = []
    npage.on("request", lambda r: seen.append(r.url))
    npage.goto(national_url + "/tim-kiem/?q=d%C3%A2n%20v%E1%BA%ADn")
    expect(npage.locator("#qg-results li").first).to_be_visible()
    for folder in ("bac-ninh-2025", "can-tho-2025"):
        assert any(u.startswith(f"{national_url}/{folder}/pagefind/") for u in seen), folder
    expect(npage.get_by_role("status")).to_contain_text("trong các tỉnh, thành phố")


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_national_lists_link_into_each_province(npage, national_url, size):
    npage.set_viewport_size(PHONE if size == "phone" else DESKTOP)
    npage.goto(national_url + "/")
    expect(npage.locator("h1")).to_have_text("Kế hoạch công khai của các tỉnh, thành phố")
    assert npage.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
    shot(npage, f"national-home-{size}")
    npage.get_by_role("link", name="3", exact=True).click()  # Cần Thơ's 3 plans
    expect(npage.locator("h1")).to_have_text("Kế hoạch của Cần Thơ")
    expect(npage.locator("tbody tr")).to_have_count(3)
    assert npage.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
    shot(npage, f"national-list-{size}")
    npage.get_by_role("link", name="Thực hiện Chỉ thị", exact=False).first.click()
    expect(npage).to_have_url(f"{national_url}/can-tho-2025/plans/can-tho/can-tho-thuc-hien-chi-thi-33-ct-ttg/")
    expect(npage.locator("h1")).to_contain_text("33")
    npage.go_back()
    npage.get_by_role("link", name="Trang của Cần Thơ").click()
    expect(npage).to_have_url(f"{national_url}/can-tho-2025/")
    if size == "phone":
        npage.goto(national_url + "/tim-kiem/?q=D%C4%A9nh%20K%E1%BA%BF")
        expect(npage.locator("#qg-results li").first).to_be_visible()
        shot(npage, "national-search-phone")


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_document_every_province_publishes_is_one_result_with_each_province(npage, national_url, size):
    """Directive 33/CT-TTg has a page in both provinces' sites: one result, linked to the first
    province's page of it, naming both provinces' pages."""
    npage.set_viewport_size(PHONE if size == "phone" else DESKTOP)
    npage.goto(national_url + "/tim-kiem/?q=33%2FCT-TTg")
    results = npage.locator("#qg-results li")
    expect(results.first).to_be_visible()
    page_of = "/directives/33-ct-ttg-2021/"
    hits = results.filter(has=npage.locator(f'a[href$="{page_of}"]'))
    expect(hits).to_have_count(1)
    hit = hits.first
    expect(hit.locator(".loai")).to_have_text("Văn bản được trích dẫn")
    assert hit.locator("a").first.get_attribute("href") == f"/bac-ninh-2025{page_of}"
    copies = hit.locator(".noi a")
    expect(copies).to_have_count(2)
    assert [copies.nth(i).get_attribute("href") for i in range(2)] == [f"/{f}{page_of}" for f in SHARDS]
    expect(hit.locator(".noi")).to_contain_text("Có ở 2 tỉnh, thành phố")
    # no other result is a copy of another: each main link appears once
    mains = [results.nth(i).locator("a").nth(0).get_attribute("href") or "" for i in range(results.count())]
    rests = [m.split("/", 2)[-1] for m in mains if "/directives/" in m or "/units/" in m]
    assert len(rests) == len(set(rests)), mains
    assert npage.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
    shot(npage, f"national-search-dedup-{size}")
    copies.nth(1).click()
    expect(npage).to_have_url(f"{national_url}/can-tho-2025{page_of}")


def test_filters_by_province_and_kind(npage, national_url):
    npage.set_viewport_size(PHONE)
    npage.goto(national_url + "/tim-kiem/?q=d%C3%A2n%20v%E1%BA%ADn")
    results = npage.locator("#qg-results li")
    expect(results.first).to_be_visible()
    place = npage.get_by_label("Tỉnh, thành phố", exact=True)
    expect(place).to_be_visible()
    options = place.locator("option").all_inner_texts()
    assert options[0] == "Mọi tỉnh, thành phố" and any(o.startswith("Cần Thơ (") for o in options), options
    everywhere = npage.get_by_role("status").inner_text()
    place.select_option("Cần Thơ")
    expect(npage.get_by_role("status")).to_contain_text("tại Cần Thơ")
    expect(results.first).to_be_visible()
    # "(≤ n)" until every document found is loaded: copies of a shared page are counted until seen
    count = int(next(o for o in options if o.startswith("Cần Thơ (")).split("(")[1].strip("≤ )"))
    expect(results).to_have_count(min(count, 20))
    for i in range(results.count()):  # only Cần Thơ's pages, none of Bắc Ninh's
        assert results.nth(i).locator("a").first.get_attribute("href").startswith("/can-tho-2025/"), i
    expect(npage.get_by_role("link", name="Dĩnh Kế", exact=False)).to_have_count(0)
    assert npage.get_by_role("status").inner_text() != everywhere
    shot(npage, "national-search-province-phone")
    # by kind: only plans
    place.select_option("")
    expect(npage.get_by_role("status")).to_contain_text("trong các tỉnh, thành phố")
    npage.get_by_role("radio", name="Kế hoạch", exact=False).check()
    expect(results.first).to_be_visible()
    for text in results.locator(".loai").all_inner_texts():
        assert text == "Kế hoạch"
    expect(results).to_have_count(5)  # the five plans of the two provinces


def test_walking_every_result_shows_each_shared_page_once_and_counts_exactly(npage, national_url):
    """Over several "more" steps, copies found later join the entry already listed; once every
    result of the kind is loaded its number is exact (no "≤") and equals the entries listed."""
    npage.set_viewport_size(DESKTOP)
    npage.goto(national_url + "/tim-kiem/?q=d%C3%A2n%20v%E1%BA%ADn")
    results = npage.locator("#qg-results li")
    expect(results.first).to_be_visible()
    npage.get_by_role("radio", name="Văn bản được trích dẫn", exact=False).check()
    expect(results.first.locator(".loai")).to_have_text("Văn bản được trích dẫn")
    more = npage.get_by_role("button", name="Xem thêm kết quả")
    steps = quiet = 0
    while quiet < 3 and steps < 30:  # until the button stays hidden: every result walked
        npage.wait_for_timeout(300)
        if more.is_visible():
            more.click()
            steps, quiet = steps + 1, 0
        else:
            quiet += 1
    assert steps >= 2  # the copies were found across steps, not in one
    mains = [a.get_attribute("href") or "" for a in results.locator(":scope > a").all()]
    rests = [m.split("/", 2)[-1] for m in mains]
    assert len(rests) == len(set(rests)) == results.count(), mains
    assert npage.locator(".noi", has_text="Có ở 2 tỉnh, thành phố").count() > 10
    # every document found is loaded: its count is exact (no "≤") and is the entries listed
    checked = npage.locator('input[name="qg-kind"]:checked').locator("xpath=..").inner_text()
    assert checked.endswith(f"({results.count()})"), checked
