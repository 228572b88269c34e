"""The whole validation run on arbitrary, plausible-looking front matter: it reports, never crashes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from congkhai.load.corpus import validate
from congkhai.model.findings import CODES
from congkhai.model.schemas import load_model

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
@example({"id": [], "doc_type": None, "superseded_by": False}, "")  # a list id beside a dangling reference
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


# --- "today" is Viet Nam's date, whatever the runner's time zone -----------------------------


def test_today_is_the_date_in_viet_nam():
    from congkhai.load.corpus import today_in_viet_nam

    assert today_in_viet_nam(dt.datetime(2024, 3, 17, 18, 30, tzinfo=dt.UTC)) == dt.date(2024, 3, 18)
    assert today_in_viet_nam(dt.datetime(2024, 3, 17, 16, 59, tzinfo=dt.UTC)) == dt.date(2024, 3, 17)
    assert today_in_viet_nam(dt.datetime(2024, 12, 31, 17, 0, tzinfo=dt.UTC)) == dt.date(2025, 1, 1)


def test_validate_defaults_to_the_date_in_viet_nam(tmp_path, monkeypatch):
    """The clock is injected: at 2024-03-17T18:30Z the runner (on UTC) reads the 17th; Viet Nam the 18th."""
    import shutil
    import types

    import congkhai.load.corpus as pipeline

    instant = dt.datetime(2024, 3, 17, 18, 30, tzinfo=dt.UTC)

    class Clock(dt.datetime):
        @classmethod
        def now(cls, tz=None):  # type: ignore[override]
            return instant if tz is None else instant.astimezone(tz)

    class RunnerDate(dt.date):
        @classmethod
        def today(cls):  # type: ignore[override]
            return dt.date(2024, 3, 17)  # the runner's local date (TZ=UTC)

    monkeypatch.setattr(pipeline, "dt", types.SimpleNamespace(datetime=Clock, date=RunnerDate, UTC=dt.UTC))
    (tmp_path / "data").mkdir()
    for csv in (Path(__file__).resolve().parent.parent / "data").glob("*.csv"):
        shutil.copyfile(csv, tmp_path / "data" / csv.name)
    (tmp_path / "docs" / "plans").mkdir(parents=True)
    assert validate(tmp_path).today == dt.date(2024, 3, 18)
    assert pipeline.Corpus(tmp_path, load_model(), [], None, []).today == dt.date(2024, 3, 18)  # type: ignore[arg-type]
