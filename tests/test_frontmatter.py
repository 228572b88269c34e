import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from congkhai.read.frontmatter import parse_source

DOC = """---
id: x
title: "Kế hoạch"
issue_date: 2024-03-18
tasks:
  - id: a
    lead: Phòng Nội vụ
  - id: b
    lead: UBND
---
Body line one
"""


def test_marks_point_at_keys_in_file_lines():
    src = parse_source("p.md", DOC)
    assert src.findings == []
    assert src.mark(("title",)) == (3, 1)
    assert src.mark(("tasks", 1, "lead")) == (9, 5)
    assert src.body_line == 11
    assert src.body.startswith("Body line one")


def test_dates_stay_strings():
    src = parse_source("p.md", DOC)
    assert src.data is not None and src.data["issue_date"] == "2024-03-18"


def test_duplicate_keys_are_reported_with_both_lines():
    src = parse_source("p.md", "---\ntitle: a\nid: x\ntitle: b\n---\n")
    [f] = src.findings
    assert (f.code, f.line, f.field, f.params["first_line"]) == ("duplicate-key", 4, "title", 2)


def test_nested_duplicate_key():
    src = parse_source("p.md", "---\ntasks:\n  - id: a\n    id: b\n---\n")
    assert [(f.code, f.line, f.field) for f in src.findings] == [("duplicate-key", 4, "tasks[0].id")]


def test_syntax_error_line_is_a_file_line():
    src = parse_source("p.md", "---\nid: x\ntitle: [unclosed\nstatus: draft\n---\n")
    [f] = src.findings
    assert f.code == "yaml-syntax" and f.line >= 3


def test_missing_and_unterminated_front_matter():
    assert [f.code for f in parse_source("p.md", "# Title\n").findings] == ["no-front-matter"]
    assert [f.code for f in parse_source("p.md", "---\nid: x\n").findings] == ["no-front-matter"]


def test_aliases_are_refused():
    src = parse_source("p.md", "---\na: &x [1]\nb: *x\n---\n")
    assert [f.code for f in src.findings] == ["yaml-syntax"] and src.data is None


@pytest.mark.parametrize(
    "front",
    [
        "title: Kế hoạch A\n<<: {title: Kế hoạch B}\n",  # the merged title would be dropped unseen
        "<<: {title: Kế hoạch B}\n",
        "tasks:\n  - id: a\n    <<: {id: b}\n",
        "title: Kế hoạch A\n!!merge <<: {title: Kế hoạch B}\n",
        "base: &x {title: Kế hoạch B}\n<<: *x\n",  # also an alias: one finding for the file
    ],
)
def test_merge_keys_are_refused_as_yaml_syntax(front):
    """A merge key copies keys past the duplicate check, so it is refused as ``yaml-syntax`` like an
    alias (a YAML feature the plan files do not use), not as ``duplicate-key``: it hides a key
    whether or not it duplicates one, and nothing is constructed from such a tree."""
    src = parse_source("p.md", f"---\n{front}---\n")
    assert [f.code for f in src.findings] == ["yaml-syntax"] and src.data is None
    assert src.findings[0].line == 2 + front.split("\n").index(next(ln for ln in front.split("\n") if "<<" in ln))


def test_quoted_merge_key_is_an_ordinary_key():
    src = parse_source("p.md", '---\ntitle: A\n"<<": {title: B}\n---\n')
    assert src.findings == [] and src.data == {"title": "A", "<<": {"title": "B"}}


def test_not_a_mapping():
    assert [f.code for f in parse_source("p.md", "---\n- a\n- b\n---\n").findings] == ["not-a-mapping"]


@settings(max_examples=300)
@given(st.text())
def test_never_raises_on_arbitrary_front_matter(text):
    src = parse_source("p.md", "---\n" + text + "\n---\nbody\n")
    assert src.data is None or isinstance(src.data, dict)


# PyYAML's own emitter writes NEL and line separators raw, which YAML then reads as breaks.
printable = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=20)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), printable)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(printable.filter(bool), inner, max_size=3),
    max_leaves=10,
)


@settings(max_examples=200)
@given(st.dictionaries(printable.filter(bool), values, max_size=6))
def test_round_trips_any_mapping(data):
    text = yaml.safe_dump(data, allow_unicode=True)
    src = parse_source("p.md", "---\n" + text + "---\n")
    assert src.findings == []
    assert src.data == data


def test_many_aliases_are_one_finding():
    items = "\n".join(f"  - lead_units: *u\n    id: t{i}" for i in range(500))
    src = parse_source("p.md", f"---\nunits: &u [a]\ntasks:\n{items}\n---\n")
    assert [f.code for f in src.findings] == ["yaml-syntax"]


@pytest.mark.parametrize(
    "nest", [" " + "[" * 100_000, "\n" + "- " * 100_000, " " + "{a: " * 100_000, " " + "[" * 5_000 + "]" * 5_000]
)
def test_deep_nesting_is_a_finding_not_a_crash(nest):
    # libyaml's composer recursed on the C stack and crashed the interpreter (segfault) at ~100k levels
    src = parse_source("p.md", "---\nid: x\ndeep:" + nest + "\n---\n")
    found = [f for f in src.findings if f.code != "line-too-long"]  # 100,000 characters on one line: also a finding
    assert [f.code for f in found] == ["yaml-syntax"] and src.data is None
    assert found[0].params["problem"] == "lồng quá nhiều cấp / nested too deeply"


def test_many_indicators_in_a_shallow_plan_still_load():
    # above the indicator count that switches to the recursion-safe composer, results are the same
    tasks = "".join(f"  - id: t{i}\n    lead_units: [a-{i}]\n" for i in range(1_500))
    src = parse_source("p.md", "---\nid: x\ntasks:\n" + tasks + "id: y\n---\n")
    assert [(f.code, f.line) for f in src.findings] == [("duplicate-key", 3004)]
    assert src.data is not None and len(src.data["tasks"]) == 1_500
    assert src.mark(("tasks", 1499, "lead_units")) == (3003, 5)


@pytest.mark.parametrize("brk", ["\u2028", "\u2029", "\x85", "\r"])
def test_yaml_only_line_breaks_do_not_shift_lines(brk):
    # libyaml counts NEL, LS, PS and CR as line breaks; findings pointed past the end of the file
    text = '---\ntitle: "a' + brk + "b" + brk + 'c"\nid: x\nid: y\nlist: [1,\n---\n'
    src = parse_source("p.md", text)
    assert [(f.code, f.line) for f in src.findings] == [("yaml-syntax", 6)]
    src = parse_source("p.md", '---\ntitle: "a' + brk + "b" + brk + 'c"\nid: x\nid: y\n---\n')
    assert [(f.code, f.line, f.column) for f in src.findings] == [("duplicate-key", 4, 1)]
    assert src.mark(("id",)) == (3, 1)
