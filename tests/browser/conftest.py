"""Real-browser fixtures: the seed site is built once, served over http on loopback, and driven by
Playwright in Debian's chromium (installed by `make browser-deps`, which `make test` runs).

External requests are blocked at the browser: a page that needs the internet fails its test.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import socketserver
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

# what a page shows may take longer than Playwright's 5 s under load (the suite runs beside other
# work); a passing check waits no longer for it
expect.set_options(timeout=20_000)

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail("Chromium not found: run `make browser-deps` (Debian package `chromium`).")


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from congkhai.cli import main
    from tests.conftest import copy_sources

    repo = copy_sources(tmp_path_factory.mktemp("browser") / "repo")
    assert main(["build", "--root", str(repo)]) == 0
    return repo / "site"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """A static http server for ``directory`` on a free loopback port; yields its base URL."""
    handler = functools.partial(_Quiet, directory=str(directory))
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler) as httpd:
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
        httpd.shutdown()


@pytest.fixture(scope="session")
def base_url(site_dir: Path) -> Iterator[str]:
    with serve(site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@contextlib.contextmanager
def guarded_page(browser, allowed: str) -> Iterator[object]:
    """A page (Vietnamese locale) whose every request outside ``allowed`` (a URL prefix) is blocked
    and reported: the site must work on a closed government network."""
    context = browser.new_context(locale="vi-VN")
    external: list[str] = []

    def guard(route) -> None:
        url = route.request.url
        if url.startswith(allowed) or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            external.append(url)
            route.abort()

    context.route("**/*", guard)
    try:
        yield context.new_page()
    finally:
        context.close()
    assert not external, f"the page tried to reach the internet: {external}"


@pytest.fixture
def page(browser, base_url) -> Iterator[object]:
    with guarded_page(browser, base_url) as pg:
        yield pg
