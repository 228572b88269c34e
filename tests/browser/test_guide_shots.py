"""The staff guide's pictures of the plan form (docs/huong-dan/anh/), taken from the real form.

The form is driven exactly as tests/browser/test_editor.py does (the published ``/quan-tri/``
against ``decap-server`` on a scratch repository, no request leaving the loopback): a published
plan is opened, a field is corrected and the change saved. Every label and button the guide tells
a clerk to use is looked up by that name here, so a guide step naming something the form does not
show fails this test. The pictures go to build/screenshots/guide/; with ``CONGKHAI_GUIDE_SHOTS=1``
they are written to docs/huong-dan/anh/ instead, to be committed (tests/test_guide.py checks
that each is referenced, has alt text and stays small).
"""

from __future__ import annotations

import os
from pathlib import Path

from tests.browser.test_editor import scratch_repo, signed_in_form  # noqa: F401 (a fixture)

ROOT = Path(__file__).resolve().parents[2]
PLAN = "lang-son/lang-son-cao-loc-2024-kh-ubnd"
# what the guide names, in the form's own words (docs/huong-dan/index.md, step 3)
GUIDE_LABELS = ("Mã kế hoạch", "Trích yếu", "Số, ký hiệu (không bắt buộc)")
GUIDE_BUTTONS = ("Lưu",)


def _out() -> Path:
    if os.environ.get("CONGKHAI_GUIDE_SHOTS") == "1":
        return ROOT / "docs" / "huong-dan" / "anh"
    return ROOT / "build" / "screenshots" / "guide"


def test_the_guide_pictures_the_real_form(browser, site_dir, scratch_repo, tmp_path) -> None:  # noqa: F811
    from playwright.sync_api import expect

    out = _out()
    out.mkdir(parents=True, exist_ok=True)
    with signed_in_form(browser, site_dir, scratch_repo, tmp_path) as (page, url):
        page.goto(f"{url}/quan-tri/#/collections/plans/entries/{PLAN}")
        for label in GUIDE_LABELS:
            expect(page.get_by_label(label, exact=True)).to_be_visible()
        for button in GUIDE_BUTTONS:
            expect(page.get_by_role("button", name=button, exact=True)).to_be_visible()
        title = page.get_by_label("Trích yếu", exact=True)
        title.scroll_into_view_if_needed()
        page.screenshot(path=str(out / "bieu-mau-1366.png"), clip={"x": 0, "y": 0, "width": 1100, "height": 620})
        page.set_viewport_size({"width": 390, "height": 844})
        title.scroll_into_view_if_needed()
        page.screenshot(path=str(out / "bieu-mau-390.png"), clip={"x": 0, "y": 0, "width": 390, "height": 700})
        page.set_viewport_size({"width": 1366, "height": 900})
        page.get_by_label("Thời hạn niêm yết (ngày) (không bắt buộc)", exact=True).fill("30")
        page.get_by_role("button", name="Lưu", exact=True).click()
        expect(page.get_by_text("Mục đã được lưu")).to_be_visible()
        expect(page.get_by_label("Mã kế hoạch", exact=True)).to_be_visible()  # the form is back
        page.wait_for_timeout(300)
        page.screenshot(path=str(out / "da-luu-1366.png"), clip={"x": 0, "y": 0, "width": 1366, "height": 420})
    for name in ("bieu-mau-1366.png", "bieu-mau-390.png", "da-luu-1366.png"):
        assert (out / name).stat().st_size > 1000
