"""The negative corpus: broken plans and reference tables, each with one defect, and the exact
findings each must produce (tests/fixtures/negative/expected.yaml).

Every plan fixture is a copy of ``base.md`` (a small valid plan) with one thing broken; every data
fixture is a copy of a real reference table with one row broken. Each is validated alone in a
temporary repository made of the real ``data/*.csv`` and that one fixture, and the set of
(file, line, field, code) must equal the expected set: no finding missing, none extra.

An expected entry marked ``bug`` states what the validator should report but does not yet; it runs
as a strict xfail, so fixing the validator turns it into a failure until the note is removed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from congkhai.load.corpus import validate
from congkhai.model.findings import CODES, Severity

ROOT = Path(__file__).resolve().parent.parent
NEG = ROOT / "tests" / "fixtures" / "negative"
TODAY = dt.date(2026, 11, 22)
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load((NEG / "expected.yaml").read_text(encoding="utf-8"))

# Codes no fixture can produce, with the reason. Every code in CODES can currently come from a
# plan file or a reference table, so this is empty; add a code here only with a comment saying why.
# Codes that need more than one file state, so no single fixture can show them: where they are tested.
NOT_FROM_INPUT: dict[str, str] = {
    "published-plan-removed": "needs git history: tests/test_published.py and tests/test_pr_flow.py",
    "shard-not-a-dataset": "needs several shard dataset folders: tests/test_merge.py",
    "shard-schema-mismatch": "needs several shard dataset folders: tests/test_merge.py",
    "shard-file-changed": "needs several shard dataset folders: tests/test_merge.py",
    "plan-in-two-shards": "needs several shard dataset folders: tests/test_merge.py",
    "reference-conflict": "needs several shard dataset folders: tests/test_merge.py",
    "symlink-refused": "git fixtures would be copied through the link: tests/test_files.py makes the links",
    "merged-package-invalid": "a defence behind our own merge checks (no valid shards produce it): tests/test_merge.py",
    "plan-too-large": "a plan over 16 MB is too large for a fixture: tests/test_limits.py writes one",
    "too-many-tasks": "more than 10,000 valid tasks are too large for a fixture: tests/test_limits.py writes them",
    "review-marker": "found by `review` (the merge gate on a pull request's changed plans), not `validate`: "
    "tests/test_pr_flow.py",
    "inferred-fact": "found by `review` against the pull request's fork point (git), not `validate`: "
    "tests/test_pr_flow.py",
}

Key = tuple[str, int, str, str]


def _spec(kind: str, name: str) -> tuple[list[dict[str, Any]], str | None, str | None]:
    """(expected findings, bug note, target file name) of one fixture."""
    raw = EXPECTED[kind][name]
    if isinstance(raw, list):
        return raw, None, None
    return raw["findings"] or [], raw.get("bug"), raw.get("target")


def _params(kind: str) -> list[Any]:
    out = []
    for name in sorted(EXPECTED[kind]):
        _, bug, _ = _spec(kind, name)
        marks = [pytest.mark.xfail(reason=f"validator bug: {bug}", strict=True)] if bug else []
        out.append(pytest.param(name, id=name, marks=marks))
    return out


def _repo(root: Path, data: Path | None = None) -> Path:
    """A repository with the real reference tables, optionally some replaced, and no plans."""
    (root / "data").mkdir(parents=True)
    for csv in sorted((ROOT / "data").glob("*.csv")):
        shutil.copyfile(csv, root / "data" / csv.name)
    for csv in sorted(data.glob("*.csv")) if data else []:
        shutil.copyfile(csv, root / "data" / csv.name)
    (root / "docs" / "plans" / "x").mkdir(parents=True)
    return root


def _plan_repo(root: Path, name: str) -> tuple[Path, str | None]:
    """Place plan fixture ``name``; return the root and the default file of expected findings."""
    _repo(root)
    fixture = NEG / "plans" / name
    if fixture.is_dir():
        shutil.copytree(fixture, root / "docs" / "plans", dirs_exist_ok=True)
        return root, None
    _, _, target = _spec("plans", name)
    target = target or fixture.stem.replace("--", "-") + ".md"  # the fixture's id
    shutil.copyfile(fixture, root / "docs" / "plans" / "x" / target)
    return root, f"docs/plans/x/{target}"


def _data_repo(root: Path, name: str) -> tuple[Path, str]:
    _repo(root, NEG / "data" / name)
    shutil.copyfile(NEG / "base.md", root / "docs" / "plans" / "x" / "base.md")
    return root, "docs/plans/x/base.md"


def _expected(kind: str, name: str, default: str | None) -> set[Key]:
    findings, _, _ = _spec(kind, name)
    return {(f.get("file", default), f["line"], f["field"], f["code"]) for f in findings}


def _actual(root: Path) -> set[Key]:
    return {(f.file, f.line, f.field, f.code) for f in validate(root, today=TODAY).findings}


def _compare(actual: set[Key], expected: set[Key]) -> None:
    missing, extra = sorted(expected - actual), sorted(actual - expected)
    assert not missing and not extra, f"\nmissing: {missing}\nunexpected: {extra}"


# --- the corpus itself ------------------------------------------------------------------------


def test_base_plan_is_valid(tmp_path):
    root = _repo(tmp_path)
    shutil.copyfile(NEG / "base.md", root / "docs" / "plans" / "x" / "base.md")
    assert validate(root, today=TODAY).findings == []


def test_every_fixture_has_an_entry_and_every_entry_a_fixture():
    plans = {p.name for p in (NEG / "plans").iterdir()}
    data = {p.name for p in (NEG / "data").iterdir()}
    assert plans == set(EXPECTED["plans"])
    assert data == set(EXPECTED["data"])
    assert len(plans) + len(data) >= 32


@pytest.mark.parametrize("kind", ["plans", "data"])
def test_fixture_names_say_what_they_test(kind):
    """``<code>--<what>``: the code named must be among the findings the fixture expects."""
    for name in EXPECTED[kind]:
        m = re.fullmatch(r"([a-z-]+?)--[a-z0-9-]+(\.md)?", name)
        assert m, f"{name}: not <code>--<what>"
        assert m.group(1) in CODES, f"{name}: {m.group(1)} is not a finding code"
        findings, _, _ = _spec(kind, name)
        assert m.group(1) in {f["code"] for f in findings}, f"{name}: does not expect {m.group(1)}"
        assert all(set(f) <= {"file", "line", "field", "code"} and f["code"] in CODES for f in findings), name


def test_every_code_is_covered():
    covered = {f["code"] for kind in EXPECTED for name in EXPECTED[kind] for f in _spec(kind, name)[0]}
    assert set(NOT_FROM_INPUT) <= set(CODES)
    uncovered = sorted(set(CODES) - covered - set(NOT_FROM_INPUT))
    assert not uncovered, f"codes without a negative fixture: {uncovered}"


# --- one test per fixture ---------------------------------------------------------------------


@pytest.mark.parametrize("name", _params("plans"))
def test_plan_fixture(tmp_path, name):
    root, default = _plan_repo(tmp_path, name)
    _compare(_actual(root), _expected("plans", name, default))


@pytest.mark.parametrize("name", _params("data"))
def test_data_fixture(tmp_path, name):
    root, default = _data_repo(tmp_path, name)
    _compare(_actual(root), _expected("data", name, default))


# --- the command line on a few of them (a subprocess each, so only a handful) -----------------

CLI_CASES = [
    ("plans", "yaml-syntax--tab-indent.md"),
    ("plans", "unreadable-file--invalid-utf8.md"),
    ("plans", "non-nfc--nfd-title.md"),  # warnings only: exit 0
    ("plans", "cited-not-declared--body.md"),  # warnings only: exit 0
    ("plans", "type-error--issuer-unit-list.md"),
    ("data", "duplicate-id--directive-twice"),
]


def _cli_params() -> list[Any]:
    out = []
    for kind, name in CLI_CASES:
        _, bug, _ = _spec(kind, name)
        marks = [pytest.mark.xfail(reason=f"validator bug: {bug}", strict=True)] if bug else []
        out.append(pytest.param(kind, name, id=f"{kind}/{name}", marks=marks))
    return out


@pytest.mark.parametrize(("kind", "name"), _cli_params())
def test_cli_exit_code_and_json(tmp_path, kind, name):
    root, default = _plan_repo(tmp_path, name) if kind == "plans" else _data_repo(tmp_path, name)
    expected = _expected(kind, name, default)
    has_errors = any(CODES[code].severity is Severity.ERROR for *_, code in expected)
    args = ["validate", "--root", str(root), "--format", "json", "--today", TODAY.isoformat()]
    proc = subprocess.run(
        [sys.executable, str(ROOT / "build_site.py"), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.returncode == (1 if has_errors else 0), proc.stderr
    report = json.loads(proc.stdout)
    assert report["valid"] is not has_errors
    _compare({(f["file"], f["line"], f["field"], f["code"]) for f in report["findings"]}, expected)
