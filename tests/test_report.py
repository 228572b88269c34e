"""Values quoted by the reporters and the Makefile's summaries cannot steer a terminal or a job
summary: control characters are shown as visible escapes, a Markdown fence is longer than any
backtick run of what it quotes, annotation properties are escaped as GitHub's toolkit does."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from congkhai.model.findings import Finding
from congkhai.report import (
    annotation_property,
    code_span,
    escape_control,
    fenced,
    fenced_list,
    render_github,
    render_text,
)

HOSTILE = "docs/plans/\x1b[31mđỏ\x1b[0m\r\u202etxt.md"


def blocks(markdown: str) -> list[tuple[str, str]]:
    """(type, content) of the top-level blocks, as a CommonMark renderer sees them."""
    tokens = MarkdownIt("commonmark").parse(markdown)
    return [(t.type, t.content) for t in tokens if t.level == 0 and t.nesting >= 0]


def test_the_text_report_shows_control_characters_as_escapes() -> None:
    finding = Finding(HOSTILE, 3, 1, "title\x1b[2J", "unknown-key", {"key": "x\x1b]0;pwned\x07"})
    out = render_text([finding], 1, "en")
    assert "\x1b" not in out and "\r" not in out and "\u202e" not in out and "\x07" not in out
    assert "\\x1b[31mđỏ\\x1b[0m\\x0d\\u202etxt.md:3:1" in out
    assert "[title\\x1b[2J]" in out


def test_github_annotations_escape_properties_and_controls() -> None:
    finding = Finding("docs/plans/a,b:c%d.md", 2, 1, "", "unknown-key", {"key": "k\x1b[31m"})
    line = render_github([finding], 1, "en").splitlines()[0]
    assert line.startswith("::error file=docs/plans/a%2Cb%3Ac%25d.md,line=2,col=1,title=unknown-key::")
    assert "\x1b" not in line
    assert annotation_property("a\r\nb,c:d%") == "a%0D%0Ab%2Cc%3Ad%25"


@given(st.text())
def test_no_control_character_survives(text: str) -> None:
    escaped = escape_control(text)
    assert not any((ord(c) < 0x20 and c != "\t") or 0x7F <= ord(c) <= 0x9F for c in escaped)
    assert not any(0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069 for c in escaped)


def test_a_fence_cannot_be_closed_by_what_it_quotes() -> None:
    value = "title: x\n```\n````\n~~~~\n# not a heading\n"
    out = "intro\n\n" + fenced(value, "markdown") + "\nafter\n"
    assert blocks(out) == [("paragraph_open", ""), ("fence", value), ("paragraph_open", "")]
    assert fenced("", "text") == "```text\n```\n"


@given(st.text(alphabet=st.sampled_from("`~\n ax")))
def test_any_run_of_backticks_stays_inside_the_fence(value: str) -> None:
    parsed = blocks(fenced(value, "text") + "after\n")
    assert parsed[0][0] == "fence" and len(parsed) == 2


def test_a_name_list_keeps_one_name_a_line_and_an_inline_name_stays_code() -> None:
    listed = fenced_list("a\nb.md\0-x ```.md\0", "text")
    assert blocks(listed) == [("fence", "a\\x0ab.md\n-x ```.md\n")]
    span = code_span("x `` y")
    tokens = MarkdownIt("commonmark").parseInline(span)[0].children or []
    assert [(t.type, t.content) for t in tokens] == [("code_inline", "x `` y")]


# --- schema titles beside field and table codes ------------------------------------------------


def test_a_field_is_named_by_its_schema_title_and_code():
    from congkhai.model.schemas import load_model
    from congkhai.report import field_title

    model = load_model()
    sections = model.tables["citations"].field("sections").title
    f = Finding("docs/plans/x/a.md", 40, 22, "citations[1].sections[1]", "constraint-error", {"key": "sections"})
    assert field_title(f) == sections
    out = render_text([f], 1)
    assert f"[{sections}: citations[1].sections[1]]" in out
    assert f"'{sections} (sections)'" in out


def test_a_missing_field_and_a_referred_table_are_named_in_vietnamese():
    from congkhai.model.schemas import load_model

    model = load_model()
    reason = model.plan_table.field("status_reason").title
    f = Finding(
        "docs/plans/x/a.md", 18, 1, "status", "status-incomplete", {"status": "withdrawn", "missing": "status_reason"}
    )
    assert f"{reason} (status_reason)" in render_text([f], 1)
    units = model.tables["units"]
    ref = Finding(
        "docs/plans/x/a.md",
        46,
        18,
        "tasks[0].lead_units[0]",
        "unknown-reference",
        {"value": "x", "table": "units", "key": "id"},
    )
    from congkhai.report import render_json

    out = json.loads(render_json([ref], 1))["findings"][0]
    assert f"{units.title} (units)" in out["message"]
    assert f"{units.field('id').title} (id)" in out["message"]
    assert out["field_title"] == model.tables["tasks"].field("lead_units").title


def test_a_reference_table_field_is_named_from_its_own_schema():
    from congkhai.model.schemas import load_model

    name = load_model().tables["units"].field("name").title
    f = Finding("data/units.csv", 31, 2, "name", "line-break", {"key": "name", "char": "U+000A"})
    assert f"'{name} (name)'" in render_text([f], 1)
