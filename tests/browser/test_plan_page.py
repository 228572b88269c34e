"""The plan page a citizen reads on a phone, on a desktop and on paper (issue 12).

At 390×844 and 1366×900: nothing scrolls sideways; the title, the number and the state are on the
first screen; the breadcrumb and a table of contents are reachable; tasks are cards, not a table.
Printed, the Tây Ninh plan takes no more than 1.3 times the pages of its text alone, opens with its
issuer and number, and carries no navigation or history. Screenshots of every case are written to
``build/screenshots/`` (not committed) for a person to look at.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

TAY_NINH = "/plans/tay-ninh/tay-ninh-tp-tay-ninh-2023-phoi-hop-cong-tac-dan-van-chinh-quyen/"
CAO_LOC = "/plans/lang-son/lang-son-cao-loc-2024-kh-ubnd/"
SIZES = {"phone": (390, 844), "desktop": (1366, 900)}
SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))
    page.screenshot(path=str(SHOTS / f"{name}-full.png"), full_page=True)


def on_first_screen(locator) -> bool:
    box = locator.bounding_box()
    height = locator.page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + min(box["height"], 40) <= height


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("path", "name"), [(TAY_NINH, "tay-ninh"), (CAO_LOC, "cao-loc")])
def test_plan_page_first_screen(page, base_url, size, path, name):
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    page.goto(base_url + path)
    shoot(page, f"plan-{name}-{size}")

    overflow = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert overflow[0] <= overflow[1], f"the page scrolls sideways: {overflow}"

    title = page.locator("article h1")
    assert on_first_screen(title)
    number = page.locator(".ck-summary .ck-field", has_text="Số, ký hiệu")
    state = page.locator(".ck-summary .ck-state")
    assert on_first_screen(number) and on_first_screen(state)

    crumbs = page.get_by_role("navigation", name="Đường dẫn").locator("li")  # a landmark, not a div
    expect(crumbs.first).to_have_text("Trang chủ")
    expect(crumbs.last).to_have_attribute("aria-current", "page")
    assert crumbs.count() == 4  # home › province › issuing body › the plan
    assert on_first_screen(crumbs.first)
    expect(crumbs.nth(1)).to_have_text("Lạng Sơn" if name == "cao-loc" else "Tây Ninh")

    # A table of contents: the page's own on a phone, Material's beside the text on a desktop.
    if size == "phone":
        toc = page.locator("details.ck-toc")
        toc.locator("summary").click()
        link = toc.get_by_role("link", name="Nhiệm vụ", exact=False).first
        expect(link).to_be_visible()
        link.click()
        expect(page.locator("h2#nhiem-vu")).to_be_in_viewport()
    else:
        expect(page.locator(".md-sidebar--secondary .md-nav__link", has_text="Nhiệm vụ").first).to_be_visible()


def test_tasks_are_cards_that_fit_a_phone(page, base_url):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base_url + TAY_NINH)
    section = page.locator("xpath=//h2[@id='nhiem-vu']/following-sibling::*[following::h2[@id='noi-nhan']]")
    assert not section.locator("table").count(), "tasks are a table again"
    cards = page.locator("li.ck-task")
    assert cards.count() == 34
    cards.nth(0).scroll_into_view_if_needed()
    shoot(page, "plan-tay-ninh-phone-tasks")
    widths = cards.evaluate_all("cs => cs.map(c => c.querySelector('.ck-task-text').getBoundingClientRect().width)")
    assert min(widths) >= 300, f"task text squeezed: {min(widths)} px"
    groups = page.locator(".ck-task-group-title").all_text_contents()
    assert groups[0].startswith("II. NỘI DUNG PHỐI HỢP"), groups


def test_state_is_honest_and_the_draft_is_marked(page, base_url):
    page.goto(base_url + TAY_NINH)
    # A plan "năm 2023", written "in_force", is not "Đang thực hiện" years later.
    expect(page.locator(".ck-summary .ck-state")).to_have_text("Đã hết thời hạn thực hiện")
    expect(page.locator(".ck-summary .ck-basis")).to_contain_text("Căn cứ: kế hoạch năm 2023, đã qua năm thực hiện")
    expect(page.locator(".admonition.ck-status")).to_contain_text("31/12/2023")
    page.goto(base_url + CAO_LOC)
    banner = page.locator(".admonition.ck-status")
    expect(banner.locator(".admonition-title")).to_have_text("Dự thảo")
    expect(page.locator(".ck-summary .ck-state")).to_have_text("Dự thảo")
    assert on_first_screen(banner)


def test_footnotes_end_the_text_and_citations_are_grouped(page, base_url):
    page.goto(base_url + TAY_NINH)
    order = page.evaluate(
        """() => [...document.querySelectorAll('article h2, article div.footnote')]
            .map(e => e.id || e.className)"""
    )
    assert order.index("footnote") == order.index("toan-van") + 1, order
    groups = page.locator("h3[id^='quan-he-']").evaluate_all("hs => hs.map(h => h.id)")
    assert groups[0] == "quan-he-can-cu", groups
    expect(page.locator(".ck-diagram")).to_contain_text("Được trích dẫn bởi")
    for code in ("preamble", "fn1", "can_cu", "thuc_hien"):
        assert code not in page.locator("article").inner_text()


def pdf_pages(data: bytes) -> tuple[int, str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(p.extract_text() or "" for p in reader.pages)


def test_plan_prints_as_a_document(page, base_url):
    page.goto(base_url + TAY_NINH)
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 794, "height": 1123})
    shoot(page, "plan-tay-ninh-print")
    full, text = pdf_pages(page.pdf(format="A4"))
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "plan-tay-ninh.pdf").write_bytes(page.pdf(format="A4"))
    # The text alone: the title and the "Toàn văn" section with its footnotes, nothing else.
    page.evaluate(
        """() => {
        const article = document.querySelector('article');
        let keep = false;
        for (const el of [...article.children]) {
            if (el.id === 'toan-van') keep = true;
            if (el.id === 'nhiem-vu') keep = false;
            if (!keep && el.tagName !== 'H1') el.remove();
        }
    }"""
    )
    alone, _ = pdf_pages(page.pdf(format="A4"))
    assert full <= max(alone + 1, round(alone * 1.3)), f"printed {full} pages for {alone} of text"
    # pypdf spaces out Vietnamese letters with diacritics: compare without whitespace.
    flat = "".join(text.split()).upper()
    assert flat.startswith("BANDÂNVẬN"), text[:200]  # the issuer heads the first page, then the number
    assert flat.index("SỐ:") < flat.index("PHỐIHỢPTHỰCHIỆNCÔNGTÁCDÂNVẬNCHÍNHQUYỀNNĂM2023")
    for gone in ("Lịch sử thay đổi", "Thuộc tính", "Tìm kiếm", "Mục lục", "Trang chủ", "Văn bản được trích dẫn"):
        assert "".join(gone.split()).upper() not in flat, f"{gone!r} is printed"
    assert "CHỦTRÌ:" in flat  # the compact task list
