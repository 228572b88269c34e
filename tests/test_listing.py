"""Generated index pages: every directive, body, plan and task has its place, and links resolve."""

from __future__ import annotations

import re

import pytest

from congkhai.load.corpus import validate
from congkhai.render.listing import Listing


@pytest.fixture(scope="module")
def listing(tmp_path_factory):
    from tests.conftest import copy_sources

    repo = copy_sources(tmp_path_factory.mktemp("listing") / "repo")
    v = validate(repo)
    rows = v.published
    return Listing(v.model, rows), rows


def test_every_directive_has_a_page_listing_its_citing_plans(listing):
    lst, rows = listing
    pages = lst.pages()
    for d in rows["directives"]:
        page = pages[f"directives/{d['id']}.md"]
        citing = [c for c in rows["citations"] if c["directive"] == d["id"]]
        assert f"Các kế hoạch trích dẫn ({len(citing)})" in page
        for c in citing:
            assert f"/{c['plan_id']}/" in page


def test_directive_page_lists_plans_in_date_order(listing):
    lst, rows = listing
    page = lst.pages()["directives/33-ct-ttg-2021.md"]
    ids = re.findall(r'href="\.\./\.\./plans/[^/]+/([^/]+)/"', page)
    plans = {p["id"]: p for p in rows["plans"]}
    dates = [str(plans[i].get("issue_date") or "") for i in ids]
    assert dates == sorted(dates) and len(ids) == 4


def test_plan_and_task_lists_are_complete_and_filterable(listing):
    lst, rows = listing
    pages = lst.pages()
    plan_list, task_list = pages["plans/index.md"], pages["tasks/index.md"]
    assert plan_list.count("<tr data-") == len(rows["plans"])
    assert task_list.count("<tr data-") == len(rows["tasks"])
    for key in ("type", "year", "issuer", "level", "province", "status"):
        assert f'data-{key}="' in plan_list
    assert 'data-keys="lead status year recurrence due"' in task_list


def test_unit_pages_show_plans_and_tasks(listing):
    lst, rows = listing
    pages = lst.pages()
    unit = "lang-son-cao-loc-ubnd"
    page = pages[f"units/{unit}.md"]
    assert "Kế hoạch ban hành (1)" in page
    led = sum(1 for t in rows["task_units"] if t["unit"] == unit and t["role"] == "lead")
    assert f"Nhiệm vụ chủ trì ({led})" in page


def test_by_year_and_province(listing):
    lst, _ = listing
    pages = lst.pages()
    assert "## 2024 (2)" in pages["plans/theo-nam.md"]
    assert "## Không ghi năm (1)" in pages["plans/theo-nam.md"]
    assert "## Lạng Sơn" in pages["plans/theo-tinh.md"] and "### Cấp huyện (1)" in pages["plans/theo-tinh.md"]


def test_values_are_escaped(listing):
    lst, rows = listing
    plans = [dict(rows["plans"][0], title='<img src=x onerror="alert(1)">'), *rows["plans"][1:]]
    page = Listing(lst.model, {**rows, "plans": plans}).pages()["plans/index.md"]  # the shared rows stay intact
    assert "<img" not in page and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
