"""An old version of a plan, read in a browser: the banner saying it is not the current text is on
the first screen at 390×844 and 1366×900 and on paper, and its links lead to the current plan and
between versions. Screenshots go to ``build/screenshots/`` (not committed) for a person to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import serve
from tests.browser.test_plan_page import SIZES, on_first_screen, pdf_pages, shoot
from tests.test_versions import versioned_repo

PLAN = "/plans/lang-son/lang-son-cao-loc-2024-kh-ubnd/"


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from congkhai.cli import main

    repo = versioned_repo(tmp_path_factory.mktemp("browser-versions") / "repo")
    assert main(["build", "--root", str(repo)]) == 0
    return repo / "site"


@pytest.fixture(scope="module")
def base_url(site_dir: Path) -> Iterator[str]:
    with serve(site_dir) as url:
        yield url


def _versions(site_dir: Path) -> list[str]:
    """The old versions' addresses, oldest first (by the date in their titles)."""
    pages = sorted((site_dir / PLAN.strip("/") / "phien-ban").glob("*/index.html"))
    dated = []
    for p in pages:
        text = p.read_text(encoding="utf-8")
        dated.append(("phiên bản 1 trong" not in text, f"{PLAN}phien-ban/{p.parent.name}/"))
    return [url for _, url in sorted(dated)]


@pytest.mark.parametrize("size", SIZES)
def test_old_version_banner_on_the_first_screen(page, base_url, site_dir, size):
    first = _versions(site_dir)[0]
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    page.goto(base_url + first)
    shoot(page, f"version-old-{size}")
    overflow = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert overflow[0] <= overflow[1], f"the page scrolls sideways: {overflow}"
    banner = page.locator(".admonition.ck-old-version")
    expect(banner).to_contain_text("Phiên bản cũ — đây không phải văn bản hiện hành")
    assert on_first_screen(banner.locator(".admonition-title"))
    current = banner.get_by_role("link", name="Xem phiên bản hiện hành")
    assert on_first_screen(current)
    expect(page.locator("article h1")).to_contain_text("<script>alert(1)</script> Kế hoạch cũ")  # as text
    current.click()
    expect(page).to_have_url(base_url + PLAN)


def test_step_between_versions_and_back_from_the_history(page, base_url, site_dir):
    first, second = _versions(site_dir)
    page.goto(base_url + first)
    timeline = page.locator("h2#cac-phien-ban + ul")
    expect(timeline.locator("li")).to_have_count(3)
    expect(timeline.locator("li strong")).to_contain_text("Phiên bản 1")  # the one shown, not a link
    timeline.get_by_role("link", name="Phiên bản 2", exact=False).click()
    expect(page).to_have_url(base_url + second)
    expect(page.locator(".ck-old-version")).to_contain_text("Phiên bản cũ")
    expect(page.locator("article")).to_contain_text("Không đọc được phần thông tin đầu tệp")
    page.locator("article pre").first.scroll_into_view_if_needed()
    shoot(page, "version-unreadable-desktop")
    page.goto(base_url + PLAN + "#lich-su-thay-doi")
    history = page.locator("h2#lich-su-thay-doi ~ div table, h2#lich-su-thay-doi ~ table").first
    history.get_by_role("link", name="Phiên bản 1", exact=True).click()
    expect(page).to_have_url(base_url + first)


def test_old_version_banner_prints(page, base_url, site_dir):
    page.goto(base_url + _versions(site_dir)[0])
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 794, "height": 1123})
    shoot(page, "version-old-print")
    banner = page.locator(".admonition.ck-old-version")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("đây không phải văn bản hiện hành")
    import io

    from pypdf import PdfReader

    first = PdfReader(io.BytesIO(page.pdf(format="A4"))).pages[0].extract_text() or ""
    flat = "".join(first.split()).upper()  # pypdf spaces out letters with diacritics
    for said in ("Phiên bản cũ — đây không phải văn bản hiện hành", "Xem phiên bản hiện hành", "ngày 02/01/2024"):
        assert "".join(said.split()).upper() in flat, said  # on the first printed page
    _, text = pdf_pages(page.pdf(format="A4"))
    assert "CÁCPHIÊNBẢN(3)" not in "".join(text.split()).upper()  # the timeline serves the screen only
