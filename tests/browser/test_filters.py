"""Filters act on the whole list, not only the page shown (render/shards.py, javascripts/tables.js).

A generated corpus of 250 plans (three pages of plans, 28 of tasks): choosing a province finds its
plans on pages 2 and 3, with the count, "Xem thêm" for more, the choice kept in the address (shared,
opened, undone by "back"), and clearing restores the page. A hostile title in a shard is shown as
text. Screenshots at 390×844 and 1366×900 go to ``build/screenshots/`` (not committed).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from congkhai.cli import main
from tests.browser.conftest import serve
from tests.browser.test_lists import DESKTOP, PHONE, screenshot

PLANS = 250


@pytest.fixture(scope="module")
def big_site(tmp_path_factory) -> Path:
    from devtools.corpus import generate

    repo = tmp_path_factory.mktemp("filters") / "repo"
    generate(repo, PLANS)
    assert main(["build", "--root", str(repo)]) == 0
    return repo / "site"


@pytest.fixture(scope="module")
def big_url(big_site) -> Iterator[str]:
    with serve(big_site) as url:
        yield url


@pytest.fixture
def tab(browser, big_url) -> Iterator[object]:
    context = browser.new_context(locale="vi-VN")
    external: list[str] = []

    def guard(route) -> None:
        if route.request.url.startswith("http://127.0.0.1"):
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs  # type: ignore[attr-defined]
    yield page
    context.close()
    assert not external, external
    assert not dialogs, f"a dialog fired: {dialogs}"


def manifest(site: Path, name: str) -> dict:
    return json.loads((site / "loc" / name / "index.json").read_text(encoding="utf-8"))


def merged_plan_beyond_page_one(site: Path) -> tuple[str, str, int]:
    """A plan of a province merged on 1 July 2025 that is not on the list's first page: the
    province it is filed under today, its title, and that province's count."""
    first = (site / "plans" / "index.html").read_text(encoding="utf-8")
    m = manifest(site, "ke-hoach")
    for code, _label, count, shards in m["values"]["province"]:
        for i in shards:
            rows = json.loads((site / "loc" / "ke-hoach" / f"{m['shards'][i][0]}.json").read_text(encoding="utf-8"))
            for row in rows:
                url = row["c"][0][0]["u"]
                old = url.split("/")[1]
                if old != code and old + "-2025" != code and f'href="{url.removeprefix("plans/")}"' not in first:
                    return code, row["c"][0][0]["t"], count
    raise AssertionError("no merged province's plan beyond page one")


def unfold(tab) -> None:
    """The filters fold into "Lọc danh sách" on a phone: open them."""
    if not tab.locator(".ck-filter-fold").evaluate("d => d.open"):
        tab.locator(".ck-filter-fold > summary").click()


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_province_finds_its_plans_on_every_page(tab, big_url, big_site, size, request):
    code, title, count = merged_plan_beyond_page_one(big_site)
    tab.set_viewport_size(size)
    tab.goto(big_url + "/plans/")
    expect(tab.locator("#bang-ke-hoach tbody tr")).to_have_count(100)
    expect(tab.locator(".ck-pager").first).to_be_visible()
    expect(tab.locator("article").get_by_role("status")).to_have_text(
        f"Bộ lọc tìm trong cả {PLANS} kế hoạch của danh sách."
    )
    unfold(tab)
    tab.locator("#bang-ke-hoach-province").select_option(code)
    expect(tab.locator("article").get_by_role("status")).to_have_text(f"{count} kế hoạch phù hợp")
    expect(tab.locator("#bang-ke-hoach tbody tr")).to_have_count(count)
    expect(tab.locator("#bang-ke-hoach").get_by_role("link", name=title, exact=True)).to_be_visible()
    expect(tab.locator(".ck-pager").first).to_be_hidden()
    assert f"province={code}" in tab.url
    # a card on a phone, every column on a wide screen: the same layout as the page's own rows
    first = tab.locator("#bang-ke-hoach tbody tr").first.locator("td").first
    expect(first).to_have_class("ck-title")
    expect(first).to_have_attribute("data-label", "Trích yếu")
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "scrolls sideways"
    screenshot(tab, request)
    # shared: the address opens the same list; "back" returns to the page as served
    tab.goto(big_url + f"/plans/?province={code}")
    expect(tab.locator("article").get_by_role("status")).to_have_text(f"{count} kế hoạch phù hợp")
    expect(tab.locator("#bang-ke-hoach-province")).to_have_value(code)
    unfold(tab)
    tab.locator("#bang-ke-hoach-province").select_option("")
    expect(tab.locator("#bang-ke-hoach tbody tr")).to_have_count(100)
    assert "province=" not in tab.url
    tab.go_back()
    expect(tab.locator("#bang-ke-hoach-province")).to_have_value(code)
    expect(tab.locator("#bang-ke-hoach tbody tr")).to_have_count(count)
    # clearing restores the page as served, with its pager
    tab.get_by_role("button", name="Bỏ lọc").click()
    expect(tab.locator("#bang-ke-hoach tbody tr")).to_have_count(100)
    expect(tab.locator(".ck-pager").first).to_be_visible()
    expect(tab.locator("#bang-ke-hoach caption")).to_have_text("Trang 1/3: kế hoạch 1–100 trong 250")


def test_two_filters_and_more_matches(tab, big_url, big_site, request):
    m = manifest(big_site, "nhiem-vu")
    code, _label, count, _ = max(m["values"]["status"], key=lambda v: v[2])
    assert count > 200
    tab.set_viewport_size(DESKTOP)
    tab.goto(big_url + f"/tasks/trang-5/?status={code}")
    expect(tab.locator("#bang-nhiem-vu tbody tr")).to_have_count(100)
    total = f"{count:,}".replace(",", ".")
    expect(tab.locator("article").get_by_role("status")).to_have_text(f"{total} nhiệm vụ phù hợp, đang hiển thị 100")
    tab.get_by_role("button", name="Xem thêm").click()
    expect(tab.locator("#bang-nhiem-vu tbody tr")).to_have_count(200)
    # a second filter: the count is exact once every shard that can hold a match is read
    year = m["values"]["year"][0][0]
    tab.locator("#bang-nhiem-vu-year").select_option(year)
    expect(tab.locator("article").get_by_role("status")).to_contain_text("nhiệm vụ phù hợp")
    assert f"year={year}" in tab.url and f"status={code}" in tab.url
    shown = tab.locator("#bang-nhiem-vu tbody tr")
    assert 0 < shown.count() <= 100
    for row in range(min(5, shown.count())):  # every row shown matches both
        expect(shown.nth(row).locator("td").nth(5)).to_have_text(_label)
    screenshot(tab, request)
    tab.set_viewport_size(PHONE)
    shots = Path(os.environ.get("SCREENSHOTS", "build/screenshots"))
    tab.screenshot(path=str(shots / f"{request.node.name}-phone.png"))


def test_a_hostile_title_in_a_shard_is_text(browser, big_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(big_site, site)
    code, _title, _count = merged_plan_beyond_page_one(site)
    m = manifest(site, "ke-hoach")
    shard = next(v[3][0] for v in m["values"]["province"] if v[0] == code)
    path = site / "loc" / "ke-hoach" / f"{m['shards'][shard][0]}.json"
    rows = json.loads(path.read_text(encoding="utf-8"))
    rows[0]["c"][0] = [{"t": "<img src=x onerror=alert(1)>", "u": "javascript:alert(1)"}]
    rows[0]["c"][1] = [{"t": "<script>alert(2)</script>", "u": "//evil.example/x"}]
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    with serve(site) as url:
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(url + f"/plans/?province={code}")
        table = page.locator("#bang-ke-hoach")
        expect(table.get_by_text("<img src=x onerror=alert(1)>", exact=True)).to_be_visible()
        expect(table.get_by_text("<script>alert(2)</script>", exact=True)).to_be_visible()
        assert table.locator("tbody img, tbody script").count() == 0
        hrefs = table.locator("tbody a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
        assert hrefs and all(h.startswith("../") and ":" not in h and "//" not in h for h in hrefs), hrefs
        page.wait_for_timeout(300)
        page.close()
    assert not dialogs
