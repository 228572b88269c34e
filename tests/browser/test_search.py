"""Search in Vietnamese, in the real browser, on the site built from the five seed plans."""

from __future__ import annotations

import functools
import http.server
import socketserver
import threading
import unicodedata
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from congkhai.vietnamese.text import fold

BAC_GIANG = "bac-giang-tp-bac-giang-dinh-ke-2024-72-khph-kdv-ubnd"
CAN_THO = "can-tho-thuc-hien-chi-thi-33-ct-ttg"
TAY_NINH = "tay-ninh-tp-tay-ninh-2023-phoi-hop-cong-tac-dan-van-chinh-quyen"

# query → the plan that must be among the results (the seeds hold every one of these texts)
CASES = [
    ("dan van kheo", BAC_GIANG),  # "Dân vận khéo" is in every seed but Tây Ninh's
    ("Dân vận khéo", CAN_THO),
    (unicodedata.normalize("NFD", "Dân vận khéo"), BAC_GIANG),
    ("hoa giai", TAY_NINH),  # the seed writes "hòa giải"
    ("hoà giải", TAY_NINH),
    ("hòa giải", TAY_NINH),
    ("dang uy", BAC_GIANG),  # "Đảng ủy"
    ("Đảng ủy", BAC_GIANG),
    ("72-KHPH/KDV-UBND", BAC_GIANG),  # its own number
    ("33/CT-TTg", CAN_THO),  # cited (and in the title)
    ("30/2020/NĐ-CP", TAY_NINH),  # cited in the notes of the Tây Ninh plan
]


def results(page) -> list[str]:
    items = page.locator("#ck-results li a")
    expect(items.first).to_be_visible(timeout=10_000)
    return [href or "" for href in items.evaluate_all("els => els.map(e => e.getAttribute('href'))")]


@pytest.mark.parametrize(("query", "plan"), CASES)
def test_query_finds_the_plan(page, base_url, query, plan):
    page.goto(f"{base_url}/tim-kiem/?q={quote(query)}")
    found = results(page)
    assert any(plan in href for href in found), (query, found)


@pytest.mark.parametrize(
    ("query", "plan"), [("dang uy", BAC_GIANG), ("72-KHPH/KDV-UBND", BAC_GIANG), ("hoa giai", TAY_NINH)]
)
def test_title_and_number_matches_rank_first_among_plans(page, base_url, query, plan):
    page.goto(f"{base_url}/tim-kiem/?q={quote(query)}")
    plans = [h for h in results(page) if "/plans/" in h and h.rstrip("/").count("/") >= 3]
    assert plans and plan in plans[0], (query, plans)


def test_browser_folds_queries_like_python(page, base_url):
    """search.js mirrors congkhai.publish.search.fold_query: the index is built for what Python sends."""
    from tests.test_search import FOLD_CASES

    page.goto(f"{base_url}/tim-kiem/")
    for typed, sent in FOLD_CASES:
        assert page.evaluate("t => window.congkhaiFoldQuery(t)[0]", typed) == sent, typed


def test_number_is_a_whole_token(page, base_url):
    page.goto(f"{base_url}/tim-kiem/?q={quote('72-KHPH/KDV-UBND')}")
    found = results(page)
    assert all("tay-ninh" not in h and "can-tho" not in h for h in found), found


def test_excerpts_show_the_text_not_the_hidden_tokens(page, base_url):
    page.goto(f"{base_url}/tim-kiem/?q={quote('dang uy')}")
    results(page)
    text = page.locator("#ck-results").inner_text()
    assert "\u2042" not in text and "danguy" not in text
    # the match is on the pair, among the hidden tokens; the excerpt still marks the typed words
    marked = {fold(m).strip(".,;:()") for m in page.locator("#ck-results mark").all_inner_texts()}
    assert {"dang", "uy"} & marked, marked


def test_header_box_opens_the_search_page(page, base_url):
    page.goto(base_url + "/")
    box = page.get_by_role("searchbox", name="Tìm kiếm kế hoạch, văn bản")
    box.fill("dan van kheo")
    box.press("Enter")
    page.wait_for_url("**/tim-kiem/?q=*")
    assert any("/plans/" in h for h in results(page))


def test_search_page_typing(page, base_url):
    page.goto(base_url + "/tim-kiem/")
    page.locator("#ck-q").fill("33/CT-TTg")
    assert any(CAN_THO in h for h in results(page))


@pytest.fixture(scope="module")
def sub_path_url(site_dir, tmp_path_factory):
    """The same site served under /cong-khai/ (like GitHub project pages)."""
    parent = tmp_path_factory.mktemp("subpath")
    (parent / "cong-khai").symlink_to(site_dir, target_is_directory=True)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(parent))
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler) as httpd:
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        yield f"http://127.0.0.1:{httpd.server_address[1]}/cong-khai"
        httpd.shutdown()


def test_search_works_under_a_sub_path(browser, sub_path_url):
    context = browser.new_context(locale="vi-VN")
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    try:
        page = context.new_page()
        page.goto(sub_path_url + "/plans/")
        box = page.get_by_role("searchbox", name="Tìm kiếm kế hoạch, văn bản")
        box.fill("hoa giai")
        box.press("Enter")
        found = results(page)
        assert any(h.startswith("/cong-khai/plans/") and TAY_NINH in h for h in found), found
        page.locator(f'#ck-results li a[href*="{TAY_NINH}"]').first.click()
        expect(page.locator("h1")).to_be_visible()
        page.wait_for_url(f"**/{TAY_NINH}/")
        assert page.url.startswith(sub_path_url + "/plans/")
    finally:
        context.close()
    assert all(u.startswith(sub_path_url) or u.startswith(("data:", "blob:")) for u in requests), requests
