"""The statistics page: its numbers are recounted here from the published rows, independently."""

from __future__ import annotations

import copy
import re
from collections import Counter, defaultdict
from xml.etree import ElementTree as ET

import markdown
import pytest

from congkhai.load.corpus import validate
from congkhai.render import stats

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory):
    from tests.conftest import FIXED_EPOCH, copy_sources

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
        repo = copy_sources(tmp_path_factory.mktemp("stats") / "repo")
        v = validate(repo)
    assert not v.errors
    return v.model, v.published


def _section(page: str, heading: str) -> str:
    part = page.split(f"## {heading}\n", 1)[1]
    return part.split("\n## ", 1)[0]


def _table(section: str) -> list[list[str]]:
    lines = [ln for ln in section.splitlines() if ln.startswith("|")]
    return [[c.strip() for c in ln.strip("|").split(" | ")] for ln in lines[2:]]


def _svgs(page: str) -> list[ET.Element]:
    return [ET.fromstring(s) for s in re.findall(r"<svg\b.*?</svg>", page, flags=re.S)]


def test_plans_per_year_and_level_match_the_rows(seeds):
    model, rows = seeds
    page = stats.stats_page(model, rows)
    expected: dict[str, Counter] = defaultdict(Counter)
    for p in rows["plans"]:
        year = str(p["issue_year"]) if p.get("issue_year") is not None else "Không rõ năm"
        expected[year][model.vocabularies["issuer_level"].label(p["issuer_level"], "vi")] += 1
    section = _section(page, "Kế hoạch theo năm và cấp ban hành")
    header = [c.strip() for c in next(ln for ln in section.splitlines() if ln.startswith("|")).strip("|").split(" | ")]
    body = _table(section)
    got = {r[0]: {header[i]: int(r[i]) for i in range(1, len(header) - 1) if int(r[i])} for r in body[:-1]}
    assert got == {y: dict(c) for y, c in expected.items()}
    assert body[-1][-1] == f"**{len(rows['plans'])}**"
    for r in body[:-1]:
        assert int(r[-1]) == sum(expected[r[0]].values())


def test_most_cited_directives_match_the_rows_and_link_to_their_pages(seeds):
    model, rows = seeds
    page = stats.stats_page(model, rows, page="thong-ke.md")
    plans_citing: dict[str, set[str]] = defaultdict(set)
    for c in rows["citations"]:
        plans_citing[c["directive"]].add(c["plan_id"])
    body = _table(_section(page, "Văn bản được trích dẫn nhiều nhất"))
    assert len(body) == min(15, len(plans_citing))
    counts = [int(r[-1]) for r in body]
    assert counts == sorted(counts, reverse=True)
    assert counts[0] == max(len(s) for s in plans_citing.values())
    for r in body:
        target = re.fullmatch(r"\[.+\]\(directives/([^)]+)\.md\)", r[1])
        assert target, r[1]
        assert int(r[-1]) == len(plans_citing[target.group(1)])
    # nothing left out that beats the last one shown
    assert sum(1 for s in plans_citing.values() if len(s) > counts[-1]) <= len(body)
    # from a page one folder deeper the links climb one more level
    assert "](../directives/" in stats.stats_page(model, rows, page="thong-ke/index.md")


def test_tasks_per_lead_unit_match_the_rows(seeds):
    model, rows = seeds
    page = stats.stats_page(model, rows)
    led: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for r in rows["task_units"]:
        if r["role"] == "lead":
            led[r["unit"]].add((r["plan_id"], r["task_id"]))
    names = {u["id"]: u["name"] for u in rows["units"]}
    by_name = {names[u]: len(t) for u, t in led.items()}
    body = _table(_section(page, "Đơn vị chủ trì nhiều nhiệm vụ nhất"))
    assert len(body) == min(15, len(led))
    for r in body:
        assert by_name[r[1]] == int(r[2]), r
    assert int(body[0][2]) == max(by_name.values())


def test_share_of_tasks_with_a_deadline_matches_the_rows(seeds):
    model, rows = seeds
    page = stats.stats_page(model, rows)
    tasks = rows["tasks"]
    # a deadline is a date (as in the task filter, the monitoring page and the calendar); a worded
    # one ("hằng năm") cannot be overdue and is counted apart — it made this 4 against 1 before
    with_deadline = sum(1 for t in tasks if t.get("due_date") is not None)
    worded = sum(1 for t in tasks if t.get("due_date") is None and t.get("deadline"))
    assert (with_deadline, worded) == (1, 3)
    assert f"{worded} nhiệm vụ chỉ ghi thời hạn bằng lời hoặc định kỳ" in page
    body = _table(_section(page, "Nhiệm vụ có thời hạn"))
    total = body[-1]
    assert total[0] == "Tất cả"
    assert [int(x) for x in total[1:4]] == [with_deadline, len(tasks) - with_deadline, len(tasks)]
    assert total[4] == f"{100 * with_deadline / len(tasks):.1f}".replace(".", ",") + "%"
    assert sum(int(r[3]) for r in body[:-1]) == len(tasks)


def test_charts_are_accessible_svg(seeds):
    model, rows = seeds
    page = stats.stats_page(model, rows)
    svgs = _svgs(page)
    assert len(svgs) == 4
    for svg in svgs:
        assert svg.get("role") == "img"
        assert svg.get("aria-label")
        assert svg.find(f"{SVG}title") is not None and svg.find(f"{SVG}title").text
        assert svg.find(f"{SVG}desc") is not None and svg.find(f"{SVG}desc").text
        assert svg.get("aria-describedby") == svg.find(f"{SVG}desc").get("id")
        assert not list(svg.iter(f"{SVG}a")), "an image role hides its children: links belong in the table"
    assert "<script" not in page


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_every_colour_meets_wcag_aa_on_the_chart_background(seeds):
    model, rows = seeds
    page = stats.stats_page(model, rows)
    used = {el.get("fill") for svg in _svgs(page) for el in svg.iter() if el.get("fill")}
    used.discard(stats.BACKGROUND)
    assert used
    for colour in used:
        assert _contrast(colour, stats.BACKGROUND) >= 4.5, colour


def test_output_is_deterministic_and_independent_of_row_order(seeds):
    model, rows = seeds
    page = stats.stats_page(model, rows)
    shuffled = {k: list(reversed(v)) for k, v in copy.deepcopy(rows).items()}
    assert stats.stats_page(model, shuffled) == page


def test_text_is_escaped_in_charts_and_tables(seeds):
    model, rows = seeds
    rows = copy.deepcopy(rows)
    lead = next(r["unit"] for r in rows["task_units"] if r["role"] == "lead")
    evil = '<script>alert("x")</script> | *bold* & [link](javascript:x)'
    for u in rows["units"]:
        if u["id"] == lead:
            u["name"] = evil
    page = stats.stats_page(model, rows)
    assert "<script>" not in page
    for svg in _svgs(page):  # still well-formed XML
        assert svg.get("role") == "img"
    html = markdown.markdown(page, extensions=["tables", "attr_list", "toc"])
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript' not in html


def test_svg_survives_the_markdown_build(seeds):
    model, rows = seeds
    page = stats.stats_page(model, rows)
    html = markdown.markdown(page, extensions=["tables", "footnotes", "attr_list", "admonition", "toc"])
    figures = re.findall(r"<figure class=\"ck-figure\">\s*(<svg\b.*?</svg>)\s*</figure>", html, flags=re.S)
    assert len(figures) == 4
    for svg in figures:
        ET.fromstring(svg)
    assert html.count("<table>") == 4


def test_empty_repository_gives_a_page(seeds):
    model, rows = seeds
    empty = {k: ([] if k not in ("units", "directives", "provinces") else v) for k, v in rows.items()}
    page = stats.stats_page(model, empty)
    assert page.startswith("# Thống kê")
    assert len(_svgs(page)) == 4
