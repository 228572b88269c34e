"""A keyboard walk (issue 12): with Tab alone a reader reaches the search box, the menu and the
plan's own sections, on a phone and on a laptop — nothing that matters needs a mouse or a finger."""

from __future__ import annotations

import pytest

PLAN = "/plans/tay-ninh/tay-ninh-tp-tay-ninh-2023-phoi-hop-cong-tac-dan-van-chinh-quyen/"
SIZES = {"phone": (390, 844), "laptop": (1366, 900)}
STEPS = 400  # more than the links before the text: the walk must reach the sections, not give up


def walk(page, steps: int = STEPS) -> list[dict[str, str]]:
    """What Tab focuses, in order: tag, role-ish attributes, the link's target and text."""
    page.locator("body").focus()
    seen = []
    for _ in range(steps):
        page.keyboard.press("Tab")
        # a folded contents list ("Mục lục" on a phone) is opened as a keyboard user would: Enter
        if page.evaluate(
            "() => { const e = document.activeElement; return !!(e && e.tagName === 'SUMMARY' && !e.parentElement.open); }"
        ):
            page.keyboard.press("Enter")
        seen.append(
            page.evaluate(
                """() => { const e = document.activeElement; if (!e) return {};
                return {tag: e.tagName.toLowerCase(), type: e.type || '', role: e.getAttribute('role') || '',
                        href: e.getAttribute('href') || '', text: (e.innerText || e.value || e.getAttribute('aria-label') || '').trim().slice(0, 80),
                        name: e.getAttribute('name') || '', placeholder: e.getAttribute('placeholder') || '',
                        inToc: !!e.closest('.ck-toc, .md-sidebar--secondary'), inNav: !!e.closest('.md-nav--primary, .md-sidebar--primary'),
                        visible: !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length)} }"""
            )
        )
    return seen


@pytest.mark.parametrize("size", SIZES)
def test_tab_reaches_search_menu_and_sections(page, base_url, size):
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    page.goto(base_url + PLAN)
    seen = walk(page)
    searches = [
        s
        for s in seen
        if s.get("tag") == "input" and ("search" in (s["type"] + s["role"]) or "Tìm" in s["placeholder"])
    ]
    assert searches, "Tab never reaches the search box"
    assert seen.index(searches[0]) < 10, "the search box comes first, not after the whole page"
    menu = [s for s in seen if s.get("inNav") and s.get("href")]
    assert any("tasks/" in s["href"] or "Nhiệm vụ" in s["text"] for s in menu), "Tab never reaches the menu"
    sections = {s["href"].split("#", 1)[1] for s in seen if s.get("inToc") and "#" in s.get("href", "")}
    assert {"nhiem-vu", "toan-van"} <= sections, f"the plan's sections are not reachable: {sorted(sections)[:20]}"
