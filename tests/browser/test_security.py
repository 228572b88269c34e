"""The security suite in Chromium: every page of the hostile site opened with script execution hooked.

The site is built from tests/security.py's repository: the public payload lists in every field
and file. Before any page script runs, ``alert``/``confirm``/``prompt``/``print``/``open`` are
replaced by recorders (what the payloads call; ``eval`` is left alone: Playwright itself uses it), and the browser reports dialogs; every request is routed, and
anything for another host is refused and recorded. After each page has loaded, its live DOM (what
the theme's and our scripts built, too) is searched for event-handler attributes and
``javascript:``/``data:`` URLs. The lists' filters and the search page are driven with payloads.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import serve

HOOKS = """
(() => {
  const hits = [];
  Object.defineProperty(window, "__hits", { value: hits });
  for (const name of ["alert", "confirm", "prompt", "print", "open"]) {
    window[name] = (...args) => { hits.push(name + "(" + args.join(",") + ")"); return null; };
  }
})();
"""

SCAN = r"""
() => {
  const bad = [];
  const urlish = new Set(["href", "src", "action", "formaction", "xlink:href", "srcdoc", "data", "poster",
                          "background", "values", "to", "from", "srcset", "ping"]);
  for (const el of document.querySelectorAll("*")) {
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      const value = a.value.replace(/[\u0000-\u0020\u007f]+/g, "").toLowerCase();
      if (name.startsWith("on")) bad.push(`<${el.localName} ${a.name}>`);
      if (urlish.has(name) && /^(javascript|vbscript|data|livescript):/.test(value))
        bad.push(`<${el.localName} ${a.name}=${a.value.slice(0, 40)}>`);
    }
    if (["iframe", "frame", "object", "embed", "applet", "base"].includes(el.localName)) bad.push(`<${el.localName}>`);
  }
  return bad;
}
"""


DONE = """() => { const s = document.getElementById("ck-status");
  return s && /kết quả|Không tìm thấy|Không tải/.test(s.textContent) && !/Đang tìm/.test(s.textContent); }"""


@pytest.fixture(scope="module")
def hostile_url(hostile_site: tuple[Path, list[str]]) -> Iterator[str]:
    with serve(hostile_site[0]) as url:
        yield url


class Watch:
    """One browser context with the hooks, the request guard and the dialog recorder."""

    def __init__(self, browser, base: str) -> None:
        self.base = base
        self.external: list[str] = []
        self.dialogs: list[str] = []
        self.context = browser.new_context(locale="vi-VN")
        self.context.add_init_script(HOOKS)
        self.context.route("**/*", self._guard)
        self.page = self.context.new_page()
        self.page.on("dialog", self._dialog)

    def _guard(self, route) -> None:
        url = route.request.url
        if url.startswith(self.base) or url.startswith("blob:"):
            route.continue_()
        else:
            self.external.append(url)
            route.abort()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def check(self, where: str) -> list[str]:
        page = self.page
        hits = page.evaluate("() => Array.from(window.__hits || [])")
        found = [f"{where}: ran {h}" for h in hits] + [f"{where}: dialog {d}" for d in self.dialogs]
        found += [f"{where}: {b}" for b in page.evaluate(SCAN)]
        found += [f"{where}: request to {u}" for u in self.external]
        if not page.url.startswith(self.base):
            found.append(f"{where}: navigated to {page.url}")
        self.dialogs.clear()
        self.external.clear()
        return found


def test_no_page_runs_script_or_leaves_the_site(browser, hostile_site, hostile_url) -> None:
    site, _ = hostile_site
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert len(pages) > 100
    watch = Watch(browser, hostile_url)
    problems: list[str] = []
    try:
        for rel in pages:
            watch.page.goto(f"{hostile_url}/{quote(rel)}", wait_until="load")
            problems += watch.check(rel)
    finally:
        watch.context.close()
    assert not problems, "\n".join(problems[:40])


def test_list_filters_with_hostile_options(browser, hostile_url) -> None:
    """Every filter option of the plan and task lists is a value from a plan: choose each one."""
    watch = Watch(browser, hostile_url)
    problems: list[str] = []
    try:
        for rel in ("plans/", "tasks/"):
            watch.page.goto(f"{hostile_url}/{rel}", wait_until="load")
            selects = watch.page.locator(".ck-filters select")
            # a paged list builds its selects once its filter data is fetched: wait for them
            expect(selects.first).to_be_attached()
            assert selects.count() > 0
            for i in range(selects.count()):
                select = selects.nth(i)
                if select.is_disabled():  # the bodies are listed once a province is chosen
                    province = watch.page.get_by_label("Tỉnh, thành phố")
                    place = province.locator("option").evaluate_all("os => os.map(o => o.value)")[1]
                    province.select_option(value=place)
                    expect(select).to_be_enabled()
                values = select.locator("option").evaluate_all("os => os.map(o => o.value)")
                for value in values[:60]:
                    select.select_option(value=value)
                problems += watch.check(f"{rel} filter {i}")
                select.select_option(index=0)
    finally:
        watch.context.close()
    assert not problems, "\n".join(problems[:40])


def test_search_with_payload_queries(browser, hostile_site, hostile_url) -> None:
    """Queries made of payloads, and results whose excerpts hold payloads, run nothing."""
    _, items = hostile_site
    watch = Watch(browser, hostile_url)
    problems: list[str] = []
    try:
        for query in [*items[:25], "alert", "onerror", "script"]:
            watch.page.goto(f"{hostile_url}/tim-kiem/?q={quote(query)}", wait_until="load")
            watch.page.wait_for_function(DONE)  # the search settled: results, none, or a failure
            problems += watch.check(f"search {query[:30]!r}")
    finally:
        watch.context.close()
    assert not problems, "\n".join(problems[:40])
