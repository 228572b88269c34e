"""The synthetic corpus generator: valid with zero errors, deterministic, shaped like the seeds."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from congkhai.load.corpus import validate
from devtools.corpus import generate


def _files(root: Path) -> dict[str, bytes]:
    """The generated sources (not the validation cache another test of the module may have left)."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.relative_to(root).parts[0] != ".cache"
    }


@pytest.fixture(scope="module")
def corpus50(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus") / "repo"
    generate(root, 50)
    return root


def test_fifty_plans_validate_without_errors(corpus50: Path) -> None:
    plans = sorted((corpus50 / "docs" / "plans").glob("*/*.md"))
    assert len(plans) == 50
    assert validate(corpus50).errors == []


def test_same_seed_gives_identical_files(corpus50: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    generate(again, 50)
    assert _files(again) == _files(corpus50)
    other = tmp_path / "other"
    generate(other, 50, seed=2)
    assert _files(other) != _files(corpus50)


def test_shape(corpus50: Path, tmp_path: Path) -> None:
    for rel in ("mkdocs.yml", "overrides", "docs/javascripts", "docs/stylesheets"):
        assert (corpus50 / rel).exists(), rel
    big = tmp_path / "big"
    generate(big, 200)
    provinces = {p.name for p in (big / "docs" / "plans").iterdir()}
    assert len(provinces) == 63  # every province before the 2025 merger
    with (big / "data" / "units.csv").open(encoding="utf-8") as f:
        units = list(csv.DictReader(f))
    assert sum(u["level"] == "commune" for u in units) > 100  # many communes
    text = "".join(p.read_text(encoding="utf-8") for p in (big / "docs" / "plans").glob("*/*.md"))
    for marker in (
        "issue_date_precision: month",
        "issue_date_precision: year",
        "KHPH/BDV-UBND",
        "lead_units:",
        "due_date: '",
    ):
        assert marker in text, marker
