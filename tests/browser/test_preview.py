"""The pull request's preview (congkhai/publish/preview.py, `make ci-preview`) works from a
download: unzipped, its launcher serves it the way a clerk's double-click does, and in the browser
the home page's links reach pages (not folder listings) and search returns results."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from congkhai.publish.preview import FILES, write_preview

SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots" / "preview"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1366, "height": 900}}
LANG_SON = "lang-son-cao-loc-2024-kh-ubnd"


@pytest.fixture(scope="module")
def unzipped(site_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("preview")
    archive = write_preview(site_dir, work / "xem-truoc")
    shutil.rmtree(work / "xem-truoc")  # only the download is left
    out = work / "download"
    with zipfile.ZipFile(archive) as z:
        z.extractall(out)
        for info in z.infolist():  # zipfile does not restore permissions; unzip and Finder do
            if info.external_attr >> 16 & 0o111:
                (out / info.filename).chmod(0o755)
    return out


@pytest.fixture(scope="module")
def launched(unzipped: Path) -> Iterator[str]:
    """``sh xem-truoc.sh`` as a clerk runs it (the browser not opened); yields the address it prints."""
    env = {**os.environ, "XEM_TRUOC_NO_BROWSER": "1", "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    proc = subprocess.Popen(
        ["sh", "xem-truoc.sh"],
        cwd=unzipped,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert match, line
        yield match.group().rstrip("/")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()


def test_the_download_holds_the_site_launchers_and_a_guide(unzipped: Path) -> None:
    assert (unzipped / "site" / "index.html").is_file()
    for name in FILES:
        assert (unzipped / name).is_file(), name
    assert os.access(unzipped / "xem-truoc.sh", os.X_OK) and os.access(unzipped / "xem-truoc.command", os.X_OK)
    guide = (unzipped / "HƯỚNG-DẪN.txt").read_text(encoding="utf-8-sig")
    assert "xem-truoc.bat" in guide and "xem-truoc.command" in guide and "sh xem-truoc.sh" in guide
    assert b"\r\n" in (unzipped / "xem-truoc.bat").read_bytes()  # cmd.exe reads CRLF


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_links_reach_pages_and_search_finds_plans(browser, launched: str, viewport: str) -> None:
    context = browser.new_context(locale="vi-VN", viewport=VIEWPORTS[viewport])
    external: list[str] = []

    def guard(route) -> None:
        if route.request.url.startswith(launched) or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    try:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.goto(launched + "/")
        expect(page.locator("h1").first).to_be_visible()
        page.screenshot(path=str(SHOTS / f"home-{viewport}.png"))
        # every internal link of the home page answers with a page, never a folder listing
        hrefs = page.locator("a[href]").evaluate_all("els => els.map(e => e.href)")
        internal = sorted({h.split("#")[0] for h in hrefs if h.startswith(launched)})
        assert any(LANG_SON in h for h in internal)
        for href in internal[:40]:
            response = page.request.get(href)
            assert response.ok, href
            assert "Directory listing" not in response.text(), href
        plan = next(h for h in internal if LANG_SON in h)
        page.goto(plan)
        expect(page.locator("h1").first).to_be_visible()
        assert "Directory listing" not in page.content()
        page.screenshot(path=str(SHOTS / f"plan-{viewport}.png"))
        page.goto(f"{launched}/tim-kiem/?q={quote('Cao Lộc')}")
        items = page.locator("#ck-results li a")
        expect(items.first).to_be_visible(timeout=10_000)
        assert any(LANG_SON in (h or "") for h in items.evaluate_all("els => els.map(e => e.getAttribute('href'))"))
        page.screenshot(path=str(SHOTS / f"search-{viewport}.png"))
        assert not external, external
    finally:
        context.close()
