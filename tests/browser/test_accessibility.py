"""Automated accessibility audit: axe-core on the home, plan list, plan, open-data and directive
pages, on a desktop and a phone viewport. No violation of impact "serious" or "critical" is
allowed.

A violation caused by Material's own HTML that our CSS cannot fix is listed in THEME_GAPS with the
template partial to override; while it remains the case is an expected failure (xfail) that names
it, and every other violation still fails. When the template is fixed the case passes by itself.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

BLOCKING = {"serious", "critical"}

PAGES = [
    pytest.param("/", id="home"),
    pytest.param("/plans/", id="plan-list"),
    pytest.param("/plans/theo-tinh/bac-ninh-2025/", id="province-today"),
    pytest.param("/plans/theo-tinh/bac-giang/", id="province-former"),
    pytest.param("/plans/lang-son/lang-son-cao-loc-2024-kh-ubnd/", id="plan"),
    pytest.param("/data/", id="open-data"),
    pytest.param("/directives/33-ct-ttg-2021/", id="directive"),
    pytest.param("/tasks/", id="task-list"),
    pytest.param("/units/lang-son-cao-loc-phong-noi-vu/", id="unit"),
    pytest.param("/thong-ke/", id="statistics"),
    pytest.param("/data/tu-dien/", id="dictionary"),
    pytest.param("/tim-kiem/?q=dan+van+kheo", id="search"),
    pytest.param("/theo-doi/", id="monitoring"),
    pytest.param("/cong-khai/tuan-thu/", id="compliance"),
    pytest.param("/cong-khai/danh-muc/", id="directory"),
    pytest.param("/huong-dan/", id="staff-guide"),
]

VIEWPORTS = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 375, "height": 812},
}

# (rule id, target selector) → why CSS cannot fix it and which partial to override.
THEME_GAPS: dict[tuple[str, str], str] = {
    # Material's partials/search.html: <div class="md-search" role="dialog"> has no accessible
    # name (aria-dialog-name). Gone since the site's own search replaced the lunr plugin; if
    # Material's search comes back, override that partial and add
    # aria-label="{{ lang.t('search') }}" to the div.
}

_axe = Axe()


def blocking_violations(page) -> list[dict]:
    results = _axe.run(page, options={"resultTypes": ["violations"]})
    return [v for v in results.response["violations"] if v.get("impact") in BLOCKING]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} — {v['helpUrl']}")
        for node in v["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            summary = node.get("failureSummary", "").replace("\n", " ")
            lines.append(f"    {target}: {summary}")
    return "\n".join(lines)


def split_known(violations: list[dict]) -> tuple[list[dict], list[str]]:
    """Violations not explained by THEME_GAPS, and the reasons of those that are."""
    unknown, reasons = [], []
    for v in violations:
        nodes = []
        for node in v["nodes"]:
            key = (v["id"], " ".join(str(t) for t in node["target"]))
            if key in THEME_GAPS:
                reasons.append(f"{key[0]} on {key[1]}: {THEME_GAPS[key]}")
            else:
                nodes.append(node)
        if nodes:
            unknown.append({**v, "nodes": nodes})
    return unknown, sorted(set(reasons))


def audit(page, url: str) -> None:
    response = page.goto(url)
    if response is None or response.status != 200:
        pytest.fail(f"{url}: HTTP {response.status if response else 'no response'}")
    page.wait_for_load_state("load")
    violations = blocking_violations(page)
    unknown, known = split_known(violations)
    assert not unknown, f"axe-core, {url}:\n{describe(unknown)}"
    if known:
        pytest.xfail("theme template: " + "; ".join(known))


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("path", PAGES)
def test_no_serious_violations(page, base_url, path, viewport):
    page.set_viewport_size(VIEWPORTS[viewport])
    audit(page, base_url + path)


def test_known_gaps_are_still_real(page, base_url):
    """THEME_GAPS must not outlive the template fix: each entry still occurs somewhere."""
    page.goto(base_url + "/")
    seen = {(v["id"], " ".join(str(t) for t in n["target"])) for v in blocking_violations(page) for n in v["nodes"]}
    stale = sorted(set(THEME_GAPS) - seen)
    if stale:
        pytest.fail(f"fixed in the theme, remove from THEME_GAPS: {stale}")
