"""The site map (congkhai/model/sitemap.py): every address declared once, and used.

The navigation, the search exclusions, and the pages and files a build writes must all come from
the site map: a page renamed in one place and not the other is a dead link on a public site.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from congkhai.model import sitemap
from congkhai.model.sitemap import html_file, md_url, plan_md, plan_path, rel, version_file

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("src", "dst", "url"),
    [
        ("plans/index.md", "plans/lang-son/x.md", "lang-son/x/"),
        ("tasks/index.md", "plans/lang-son/x.md", "../plans/lang-son/x/"),
        ("plans/lang-son/x.md", "directives/33-ct-ttg-2021.md", "../../../directives/33-ct-ttg-2021/"),
        ("units/a.md", "units/a.md", "./"),
        ("index.md", "plans/index.md", "plans/"),
    ],
)
def test_relative_urls(src, dst, url):
    assert rel(src, dst) == url
    assert md_url("plans/index.md") == "plans/" and md_url("index.md") == ""


def test_plan_addresses():
    plan = {"id": "kh-1", "province": "lang-son"}
    assert plan_md(plan) == "plans/lang-son/kh-1.md"
    assert plan_path(plan) == "plans/lang-son/kh-1/"
    assert plan_md({"id": "x", "province": None}) == f"plans/{sitemap.NO_PROVINCE}/x.md"
    assert html_file(sitemap.PLANS) == "plans/index.html" and html_file(sitemap.STATS) == "thong-ke/index.html"
    assert version_file("kh-1", "abc1234") == "ke-hoach/kh-1/phien-ban/abc1234.txt"
    assert sitemap.UNSEARCHED_FOLDERS == ("data/ke-hoach/", "theo-doi/", "quan-tri/")
    assert sitemap.monitoring_list_md("qua-han") == "theo-doi/qua-han.md"
    assert sitemap.list_page_md(sitemap.monitoring_list_md("ke-hoach"), 2) == "theo-doi/ke-hoach/trang-2.md"


def _nav(entries) -> list:
    out = []
    for label, target in entries:
        if isinstance(target, str):
            out.append(target if label is None else {label: target})
        else:
            out.append({label: _nav(target)})
    return out


def test_mkdocs_navigation_is_the_site_map():
    """mkdocs.yml must state the same menu (MkDocs reads its own file); this keeps the two equal."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert config["nav"] == _nav(sitemap.NAV)


def test_every_page_of_the_site_map_exists_or_is_generated(tmp_path):
    """Each declared page is a hand-written file of docs/ or one the build generates."""
    from congkhai.load.corpus import validate
    from congkhai.render.site import render_site
    from tests.conftest import copy_sources

    repo = copy_sources(tmp_path / "repo")
    _, pages = render_site(validate(repo), None, None)
    declared = [
        v
        for k, v in vars(sitemap).items()
        if k.isupper() and isinstance(v, str) and v.endswith((".md", ".xml", ".ics"))
    ]
    assert len(declared) >= 18
    missing = [p for p in declared if p not in pages and not (repo / "docs" / p).is_file()]
    assert not missing, missing


def test_search_skips_what_the_site_map_says():
    from congkhai.publish import search

    assert "plans/index.html" in search.EXCLUDED and "theo-doi/index.html" in search.EXCLUDED
    assert "404.html" in search.EXCLUDED
    assert html_file(sitemap.DIRECTORY) not in search.EXCLUDED  # the directory is searchable


@pytest.mark.parametrize("page", ["plans/a/b.md", "index.md", "x/index.md", "thong-ke.md"])
def test_html_file_is_where_mkdocs_writes_the_page(page):
    assert html_file(page).endswith("index.html") and html_file(page).startswith(md_url(page))
