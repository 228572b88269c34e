"""The plan page (congkhai/render/pages.py): what the golden pages cannot show on the seeds."""

from __future__ import annotations

from pathlib import Path

from congkhai.load.corpus import validate
from congkhai.render.site import render_site
from tests.conftest import copy_sources

TAY_NINH = "docs/plans/tay-ninh/tay-ninh-tp-tay-ninh-2023-phoi-hop-cong-tac-dan-van-chinh-quyen.md"
BAC_KAN_PAGE = "plans/bac-kan/bac-kan-2023-276-ubnd-ncpc.md"


def test_a_plan_cited_by_another_lists_it_in_its_diagram(tmp_path: Path) -> None:
    """The "lược đồ": a catalogue entry with a plan's number and symbol, cited by another plan,
    puts that plan under "Được trích dẫn bởi" on the cited plan's page (none of the seeds cite
    each other, so the golden page only shows the empty case)."""
    repo = copy_sources(tmp_path / "repo")
    with (repo / "data/directives.csv").open("a", encoding="utf-8") as f:
        f.write(
            "276-ubnd-ncpc-2023-bac-kan,cong_van,state,276/UBND-NCPC,2023,2023-01-13,"
            "Ủy ban nhân dân tỉnh Bắc Kạn,bac-kan,về công tác dân vận chính quyền,,,,\n"
        )
    plan = repo / TAY_NINH
    text = plan.read_text(encoding="utf-8")
    plan.write_text(
        text.replace(
            "citations:\n",
            "citations:\n  - directive: 276-ubnd-ncpc-2023-bac-kan\n    relation: dan_chieu\n",
            1,
        ),
        encoding="utf-8",
    )
    corpus = validate(repo)
    assert not [f for f in corpus.findings if f.severity == "error"], corpus.findings
    _, pages = render_site(corpus, None, None)
    page = pages[BAC_KAN_PAGE]
    diagram = page[page.index('<div class="ck-diagram">') :]
    diagram = diagram[: diagram.index("\n")]
    assert "Được trích dẫn bởi (1)" in diagram
    assert 'href="../../tay-ninh/tay-ninh-tp-tay-ninh-2023-phoi-hop-cong-tac-dan-van-chinh-quyen/"' in diagram
    # and not the other way round: the citing plan's own diagram does not list itself
    assert "Được trích dẫn bởi (0)" in pages[TAY_NINH.removeprefix("docs/")]


def test_the_footnote_place_marker_only_where_there_are_footnotes(tmp_path: Path) -> None:
    """Python-Markdown replaces its place marker only when the text has footnotes: on a text without
    any, "///Footnotes Go Here///" was printed on the public page."""
    corpus = validate(copy_sources(tmp_path / "repo"))
    _, pages = render_site(corpus, None, None)
    with_notes = without = 0
    for plan in corpus.published["plans"]:
        key = f"plans/{plan['path'].split('/plans/', 1)[1]}"
        page = pages[key]
        if "\n[^" in page:
            with_notes += 1
            assert "///Footnotes Go Here///" in page
        else:
            without += 1
            assert "Footnotes Go Here" not in page
    assert with_notes and without  # the seeds have both kinds


def test_the_tasks_of_an_appendix_are_grouped_under_it(tmp_path: Path) -> None:
    # a task table after the signature ("PHỤ LỤC") gives sections "PL.1", "PLI.II.3": the schema
    # takes them, and the task cards group them under "Phụ lục", not "Mục PL"
    repo = copy_sources(tmp_path / "repo")
    plan = repo / "docs" / BAC_KAN_PAGE
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace('    section: "2"\n', '    section: "PLI.II.3"\n', 1), encoding="utf-8")
    corpus = validate(repo)
    assert not [f for f in corpus.findings if f.severity == "error"], corpus.findings
    _, pages = render_site(corpus, None, None)
    page = pages[BAC_KAN_PAGE]
    assert '<h3 class="ck-task-group-title">Phụ lục I (1)</h3>' in page and "Mục PLI.II.3" in page
