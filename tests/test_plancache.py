"""The per-plan cache and the worker processes change how fast a check runs, never what it finds."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest

from congkhai import plancache
from congkhai.corpus import generate
from congkhai.pipeline import Validation, plan_files, validate

ROOT = Path(__file__).resolve().parent.parent
NEG = ROOT / "tests" / "fixtures" / "negative"
TODAY = dt.date(2026, 11, 22)


def _outcome(v: Validation) -> tuple[Any, ...]:
    """Everything a run produces that a reader or a later stage sees."""
    findings = [(f.file, f.line, f.column, f.field, f.code, repr(sorted(f.params.items()))) for f in v.findings]
    rows = {name: [repr(sorted(r.items())) for r in rows] for name, rows in sorted(v.tables.rows.items())}
    mentions = {k: sorted(c.items()) for k, c in sorted(v.mentions.items())}
    return findings, rows, mentions, [s.path for s in v.sources]


@pytest.fixture
def broken_repo(data_repo: Path) -> Path:
    """The seed plans and every broken plan of the negative corpus in one repository: many findings
    of every kind, including ones that look across plans (duplicate ids)."""
    for path in sorted((ROOT / "docs" / "plans").glob("*/*.md")):
        target = data_repo / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    for path in sorted((NEG / "plans").glob("*.md")):
        target = data_repo / "docs" / "plans" / "negative" / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    # a plan whose id another file already has: the finding sits on this file, the cause on the other
    seed = sorted((ROOT / "docs" / "plans").glob("*/*.md"))[0]
    (data_repo / "docs" / "plans" / "zz-copy").mkdir()
    shutil.copyfile(seed, data_repo / "docs" / "plans" / "zz-copy" / seed.name)
    return data_repo


def test_cached_runs_find_exactly_what_an_uncached_run_finds(broken_repo, monkeypatch, tmp_path):
    monkeypatch.setenv("CONGKHAI_CACHE", "off")
    plain = _outcome(validate(broken_repo, today=TODAY))
    assert plain[0], "the negative corpus must produce findings"
    monkeypatch.setenv("CONGKHAI_CACHE", str(tmp_path / "cache"))
    cold = _outcome(validate(broken_repo, today=TODAY))
    assert any((tmp_path / "cache").rglob("*")), "the cold run stored its work"
    warm = _outcome(validate(broken_repo, today=TODAY))
    assert plain == cold == warm


def test_an_unchanged_plan_is_not_read_again(broken_repo, monkeypatch, tmp_path):
    monkeypatch.setenv("CONGKHAI_CACHE", str(tmp_path / "cache"))
    reads: list[str] = []
    real = plancache.read_source
    monkeypatch.setattr(plancache, "read_source", lambda path, root: reads.append(path.name) or real(path, root))
    monkeypatch.setattr(plancache, "PARALLEL_MIN", 10**9)  # one process, so the counter sees every read
    files = plan_files(broken_repo)
    validate(broken_repo, today=TODAY)
    assert len(reads) == len(files)
    reads.clear()
    validate(broken_repo, today=TODAY)
    assert reads == []
    edited = files[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nThêm một dòng.\n", encoding="utf-8")
    validate(broken_repo, today=TODAY)
    assert reads == [edited.name]
    reads.clear()
    catalogue = broken_repo / "data" / "directives.csv"  # the citations of every plan depend on it
    catalogue.write_text(catalogue.read_text(encoding="utf-8"), encoding="utf-8")
    validate(broken_repo, today=TODAY)
    assert reads == []  # same bytes, same fingerprint
    catalogue.write_text(catalogue.read_text(encoding="utf-8").replace("\r\n", "\n") + "\n", encoding="utf-8")
    validate(broken_repo, today=TODAY)
    assert sorted(reads) == sorted(p.name for p in files)


def test_a_damaged_entry_is_recomputed(broken_repo, monkeypatch, tmp_path):
    monkeypatch.setenv("CONGKHAI_CACHE", str(tmp_path / "cache"))
    first = _outcome(validate(broken_repo, today=TODAY))
    entries = [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]
    assert entries
    for entry in entries:
        entry.write_bytes(b"\x80not a pickle")
    assert _outcome(validate(broken_repo, today=TODAY)) == first


def test_a_one_file_check_reports_what_the_full_check_reports_for_that_file(broken_repo, monkeypatch, tmp_path):
    monkeypatch.setenv("CONGKHAI_CACHE", str(tmp_path / "cache"))
    full = validate(broken_repo, today=TODAY)
    for path in plan_files(broken_repo):
        rel = path.relative_to(broken_repo).as_posix()
        expected = [(f.file, f.line, f.field, f.code) for f in full.findings if f.file == rel]
        alone = validate(broken_repo, only=[path], today=TODAY)  # the others come from the cache index
        assert [(f.file, f.line, f.field, f.code) for f in alone.findings] == expected, rel
    assert any(f.code == "duplicate-id" and f.file.startswith("docs/plans/zz-copy/") for f in full.findings)


def test_worker_processes_give_the_same_result_as_one(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    generate(repo, 40, seed=3)
    target = sorted((repo / "docs" / "plans").rglob("*.md"))[5]  # one broken plan among many
    target.write_text(target.read_text(encoding="utf-8").replace("issue_date:", "issue_date: 2024-13-40\nx_:"), "utf-8")
    monkeypatch.setenv("CONGKHAI_CACHE", "off")
    monkeypatch.setattr(plancache, "PARALLEL_MIN", 10**9)
    serial = _outcome(validate(repo, today=TODAY))
    monkeypatch.setattr(plancache, "PARALLEL_MIN", 1)
    monkeypatch.setattr(plancache, "CHUNK", 7)
    monkeypatch.setenv("CONGKHAI_WORKERS", "2")
    parallel = _outcome(validate(repo, today=TODAY))
    assert serial[0], "the broken plan gives findings"
    assert parallel == serial


def test_a_one_file_check_of_a_reference_table_checks_it_and_one_of_a_plan_does_not(broken_repo, monkeypatch, tmp_path):
    monkeypatch.setenv("CONGKHAI_CACHE", str(tmp_path / "cache"))
    units = broken_repo / "data" / "units.csv"
    lines = units.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\r\n").split(",")
    row = lines[1].rstrip("\r\n").split(",")
    row[header.index("kind")] = "khong-co-loai-nay"  # a value outside the vocabulary
    units.write_text(lines[0] + ",".join(row) + "\n" + "".join(lines[2:]), encoding="utf-8")
    full = [(f.file, f.line, f.field, f.code) for f in validate(broken_repo, today=TODAY).findings]
    on_units = [f for f in full if f[0] == "data/units.csv"]
    assert ("data/units.csv", 2, "kind", "vocabulary-error") in on_units
    alone = validate(broken_repo, only=[units], today=TODAY)
    assert [(f.file, f.line, f.field, f.code) for f in alone.findings] == on_units
    plan = plan_files(broken_repo)[0]
    assert not [f for f in validate(broken_repo, only=[plan], today=TODAY).findings if f.file.startswith("data/")]
