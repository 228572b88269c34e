"""Every built page through the Nu HTML Checker (vnu.jar, the W3C validator's engine; issue 15):
the seed site built once with an address (tests/conftest.py ``published_site``), all its pages,
errors only, and any error fails. ``make html-deps`` (run by ``make test``) installs vnu.jar from
npm (devtools/vnu/package-lock.json) and Java from Debian; a missing one fails with that command.

The only errors let through are Material for MkDocs' own, listed in :data:`MATERIAL_ERRORS` with
why each is not ours to fix; each must still occur (so the list shrinks when Material fixes it).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VNU = ROOT / "devtools" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

#: (message start, text the error's extract holds): Material's base.html writes the drawer and
#: search switches as ``<input type="checkbox" … autocomplete="off">`` outside any template
#: block (nothing to override short of copying the whole base template); the attribute keeps
#: Firefox from restoring a switch's state on reload (Material's choice, harmless), and HTML allows
#: ``autocomplete`` only on text-like inputs. Once on every page, for each switch.
MATERIAL_ERRORS = (
    ("Attribute “autocomplete” is only allowed when the input type is", 'id="__drawer" autocomplete="off"'),
    ("Attribute “autocomplete” is only allowed when the input type is", 'id="__search" autocomplete="off"'),
)


def _vnu(*files: Path) -> list[dict[str, str]]:
    java = shutil.which("java")
    if not java or not VNU.is_file():
        pytest.fail("The Nu HTML checker is missing: run `make html-deps` (vnu-jar from npm, Java from Debian)")
    proc = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    report = json.loads(proc.stderr or proc.stdout)  # vnu writes its report to standard error
    messages: list[dict[str, str]] = report["messages"]
    assert proc.returncode == (1 if messages else 0), proc.stderr[-2000:]
    return messages


def _material(message: dict[str, str]) -> int | None:
    for i, (start, extract) in enumerate(MATERIAL_ERRORS):
        if message.get("message", "").startswith(start) and extract in message.get("extract", ""):
            return i
    return None


def test_every_built_page_passes_the_nu_html_checker(published_site: tuple[Path, str]) -> None:
    site, _ = published_site
    pages = sorted(site.rglob("*.html"))
    # the sample the issue names is there: home, a plan, the lists, open data, a body, the guide
    names = {p.relative_to(site).as_posix() for p in pages}
    assert {"index.html", "plans/index.html", "tasks/index.html", "data/index.html", "huong-dan/index.html"} <= names
    assert any(n.startswith("plans/lang-son/") for n in names) and any(n.startswith("units/") for n in names)
    messages = _vnu(*pages)
    ours = [m for m in messages if _material(m) is None]
    assert not ours, "\n".join(
        f"{m['url'].split('/site/', 1)[-1]}:{m.get('lastLine')}: {m['message']} | {m.get('extract', '').strip()}"
        for m in ours[:40]
    )
    seen = {_material(m) for m in messages}
    assert seen == set(range(len(MATERIAL_ERRORS))), "Material no longer writes one of MATERIAL_ERRORS: drop it"


def test_the_checker_reports_an_error_of_ours(tmp_path: Path) -> None:
    """Not vacuous: a label for no control (what Material's contents title was on a page outside
    the menu, before overrides/partials/toc.html) is an error."""
    page = tmp_path / "x.html"
    page.write_text(
        '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>x</title></head>'
        '<body><label class="md-nav__title" for="__toc">Mục lục</label></body></html>',
        encoding="utf-8",
    )
    [message] = _vnu(page)
    assert "“for” attribute of the “label” element" in message["message"] and _material(message) is None
