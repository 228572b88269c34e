"""The whole validation run on arbitrary, plausible-looking front matter: it reports, never crashes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congkhai.findings import CODES
from congkhai.pipeline import validate
from congkhai.schemas import load_model

MODEL = load_model()
TODAY = dt.date(2026, 11, 22)

leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 3000),
    st.sampled_from(["", "2024-02-30", "2024-13", "72/KH-UBND", "Số: 72/KH-UBND", "ke_hoach", "in_force", "KÕ ho¹ch"]),
    st.text(max_size=12),
)
value = st.recursive(
    leaf,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["id", "unit", "directive", "lead_units", "section", "text", "x"]), inner, max_size=3
        )
    ),
    max_leaves=8,
)
keys = st.sampled_from([*MODEL.plan_keys(), "task_count", "titel"])
front_matter = st.dictionaries(keys, value, max_size=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(front_matter, st.text(max_size=200))
def test_validate_never_raises_and_every_finding_is_located(data_repo: Path, data: dict, body: str) -> None:
    path = data_repo / "docs" / "plans" / "x" / "fuzz.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\n" + body, encoding="utf-8")
    result = validate(data_repo, only=[path], today=TODAY)
    n_lines = path.read_text(encoding="utf-8").count("\n") + 1
    for f in result.findings:
        assert f.code in CODES
        assert f.file == "docs/plans/x/fuzz.md"
        assert 0 <= f.line <= n_lines
        f.message("vi"), f.message("en"), f.hint("vi")
    if not data.get("id"):
        assert result.errors, "a plan without an id must not pass"


def test_the_seed_plans_are_clean(seed_repo: Path) -> None:
    result = validate(seed_repo, today=TODAY)
    assert [(f.file, f.line, f.code) for f in result.findings] == []
    assert len(result.tables.rows["plans"]) == 5
    assert len(result.tables.rows["directives"]) > 100
