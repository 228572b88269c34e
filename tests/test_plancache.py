"""The per-plan cache and the worker processes change how fast a check runs, never what it finds."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from congkhai.load import plancache
from congkhai.load.corpus import Corpus, plan_files, validate
from congkhai.read.records import Tables, read_reference
from devtools.corpus import generate

ROOT = Path(__file__).resolve().parent.parent
NEG = ROOT / "tests" / "fixtures" / "negative"
TODAY = dt.date(2026, 11, 22)


def _outcome(v: Corpus) -> tuple[Any, ...]:
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
    (broken_repo / "docs" / "plans" / "negative" / "exotic.md").write_text(EXOTIC, encoding="utf-8")
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


def test_a_warm_run_does_not_work_out_the_id_rule_again_and_finds_the_same(broken_repo, monkeypatch, tmp_path):
    """What the id rule says of a plan's row is part of the plan's cached work: a warm run judges
    no id again, and reports exactly the id findings an uncached run reports."""
    from congkhai.checks import ids

    monkeypatch.setenv("CONGKHAI_CACHE", "off")
    plain = _outcome(validate(broken_repo, today=TODAY))
    assert any(f[4] == "plan-id-rule" for f in plain[0]), "the negative corpus breaks the id rule"
    monkeypatch.setenv("CONGKHAI_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(plancache, "PARALLEL_MIN", 10**9)  # one process, so the counter sees every call
    calls: list[object] = []
    for module in (ids, plancache):
        real = module.expected_id
        monkeypatch.setattr(module, "expected_id", lambda row, real=real: calls.append(row) or real(row))
    assert _outcome(validate(broken_repo, today=TODAY)) == plain
    assert calls
    calls.clear()
    assert _outcome(validate(broken_repo, today=TODAY)) == plain
    assert calls == []


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


def _same(a: Any, b: Any) -> bool:
    """Equal and of the same types all the way down (a tuple is not a list, a key 1 not "1")."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(
            _same(x, b[k]) and _same(k, kb) for (k, x), kb in zip(a.items(), b, strict=True)
        )
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and a != a:
        return b != b
    if isinstance(a, plancache.Finding):
        return _same(
            (a.file, a.line, a.column, a.field, a.code, a.params), (b.file, b.line, b.column, b.field, b.code, b.params)
        )
    return bool(a == b)


EXOTIC = """---
id: la-mot-ke-hoach-la
title: !!binary aGVsbG8=
tags: !!set {a, b}
issue_date: !!timestamp 2024-01-02T03:04:05+07:00
at_utc: !!timestamp 2024-01-02T03:04:05Z
day: !!timestamp 2024-01-02
pairs: !!omap [a: 1, b: 2]
1: a number as a key
1.5: a float as a key
null: an empty key
nan: .nan
inf: -.inf
big: 123456789012345678901234567890
"\\0": a key that is the format's tag
nested: {"\\0": t, v: [1, 2]}
---
Nội dung.
"""


def test_an_entry_gives_back_exactly_the_work_that_was_stored(broken_repo):
    """Every value the YAML safe loader can produce comes back with its type: tuples, non-text keys,
    bytes, sets, dates, NaN — and the findings, rows, marks and mentions of every broken plan."""
    (broken_repo / "docs" / "plans" / "negative" / "exotic.md").write_text(EXOTIC, encoding="utf-8")
    model = plancache.load_model()
    directives = Tables({}, {}, [])
    table = model.tables["directives"]
    read_reference(broken_repo / str(table.reference_path), "directives", table, directives)
    assert directives.rows["directives"]
    plancache._init(directives.rows["directives"])
    works = plancache._batch([(p, broken_repo) for p in plan_files(broken_repo)])
    exotic = next(w for w in works if w.source.path.endswith("exotic.md"))
    assert isinstance(exotic.source.data["pairs"][0], tuple) and 1 in exotic.source.data, "the plan parsed"
    for work in works:
        back = plancache._work_from(plancache._decode(_json(plancache._work_to(work))), model)
        for name in ("findings", "body_findings", "rows", "mentions", "expected_id"):
            assert _same(getattr(work, name), getattr(back, name)), (work.source.path, name)
        for name in ("path", "text", "data", "body", "body_line", "marks", "findings"):
            assert _same(getattr(work.source, name), getattr(back.source, name)), (work.source.path, name)


def _json(data: Any) -> bytes:
    import json

    return json.dumps(data, ensure_ascii=False).encode("utf-8", "surrogatepass")


class _Payload:
    """Unpickling this writes a marker file: what a poisoned pickle cache would do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.write_text, (self.marker, "code ran"))


def test_a_pickled_entry_planted_in_the_cache_is_never_run(broken_repo, monkeypatch, tmp_path):
    import pickle

    cache = tmp_path / "cache"
    monkeypatch.setenv("CONGKHAI_CACHE", str(cache))
    expected = _outcome(validate(broken_repo, today=TODAY))
    marker = tmp_path / "pwned"
    evil = pickle.dumps(_Payload(marker))
    store = cache / plancache.fingerprint(broken_repo)
    for path in plan_files(broken_repo):  # every entry, where this and the previous format keep them
        key = plancache._key(path.relative_to(broken_repo).as_posix(), path.read_bytes())
        (store / key[:2]).mkdir(parents=True, exist_ok=True)
        (store / key[:2] / key).write_bytes(evil)
    for name in ("heads.pickle", "heads.json"):
        (store / name).write_bytes(evil)
    assert _outcome(validate(broken_repo, today=TODAY)) == expected
    plan = plan_files(broken_repo)[0]
    validate(broken_repo, only=[plan], today=TODAY)  # the one-file check reads the index of the others
    assert not marker.exists(), "a cache entry ran code"


def _entry(cache: Path, root: Path, path: Path) -> Path:
    key = plancache._key(path.relative_to(root).as_posix(), path.read_bytes())
    return cache / plancache.fingerprint(root) / key[:2] / key


def test_an_entry_whose_findings_were_removed_is_recomputed(broken_repo, monkeypatch, tmp_path):
    import json

    cache = tmp_path / "cache"
    monkeypatch.setenv("CONGKHAI_CACHE", str(cache))
    monkeypatch.setattr(plancache, "PARALLEL_MIN", 10**9)
    first = validate(broken_repo, today=TODAY)
    broken = next(
        p
        for p in plan_files(broken_repo)
        if any(f.file == p.relative_to(broken_repo).as_posix() for f in first.findings)
    )
    rel = broken.relative_to(broken_repo).as_posix()
    entry = _entry(cache, broken_repo, broken)
    mac, payload = entry.read_bytes().split(b"\n", 1)
    data = json.loads(payload)
    data[1] = data[2] = data[3] = []  # an attacker hides the plan's findings, keeping the old MAC
    entry.write_bytes(mac + b"\n" + json.dumps(data, ensure_ascii=False).encode())
    again = validate(broken_repo, today=TODAY)
    assert [f for f in again.findings if f.file == rel] == [f for f in first.findings if f.file == rel] != []
    alone = validate(broken_repo, only=[broken], today=TODAY)
    assert [f.code for f in alone.findings] == [f.code for f in first.findings if f.file == rel]


def test_an_entry_signed_with_another_key_is_recomputed(broken_repo, monkeypatch, tmp_path):
    """A restored cache is only used with the key it was written with (CI: a secret)."""
    monkeypatch.setenv("CONGKHAI_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("CONGKHAI_CACHE_KEY", "the main branch's secret")
    monkeypatch.setattr(plancache, "PARALLEL_MIN", 10**9)
    validate(broken_repo, today=TODAY)
    assert not (tmp_path / "cache" / "key").exists(), "a key from the environment is never written down"
    reads: list[str] = []
    real = plancache.read_source
    monkeypatch.setattr(plancache, "read_source", lambda path, root: reads.append(path.name) or real(path, root))
    validate(broken_repo, today=TODAY)
    assert reads == []
    monkeypatch.setenv("CONGKHAI_CACHE_KEY", "a guess")
    validate(broken_repo, today=TODAY)
    assert sorted(reads) == sorted(p.name for p in plan_files(broken_repo))


def test_without_a_key_in_the_environment_one_is_made_readable_only_by_its_owner(broken_repo, monkeypatch, tmp_path):
    monkeypatch.setenv("CONGKHAI_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("CONGKHAI_CACHE_KEY", raising=False)
    validate(broken_repo, today=TODAY)
    key = tmp_path / "cache" / "key"
    assert key.stat().st_mode & 0o777 == 0o600
    assert len(bytes.fromhex(key.read_text().strip())) == 32


def test_a_library_upgrade_changes_the_fingerprint(broken_repo, monkeypatch):
    import importlib.metadata

    before = plancache.fingerprint(broken_repo)
    real = importlib.metadata.distributions

    class Upgraded:
        """An installed distribution as ``importlib.metadata`` gives it, frictionless upgraded."""

        def __init__(self, dist: Any) -> None:
            self.dist = dist
            self.upgraded = (dist.metadata["Name"] or "").lower() == "frictionless"
            self.version = "999.0" if self.upgraded else dist.version

        def read_text(self, name: str) -> str | None:
            text = self.dist.read_text(name)
            if text and self.upgraded:
                text = re.sub(r"(?m)^Version: .*$", "Version: 999.0", text, count=1)
            return text

    monkeypatch.setattr(importlib.metadata, "distributions", lambda **kw: [Upgraded(d) for d in real(**kw)])
    assert any(d.version == "999.0" for d in importlib.metadata.distributions()), "frictionless is installed"
    assert plancache.fingerprint(broken_repo) == before  # not in this process: it runs the code it started with
    plancache.program.cache_clear()  # the next process
    assert plancache.fingerprint(broken_repo) != before
    monkeypatch.setattr(importlib.metadata, "distributions", real)
    plancache.program.cache_clear()
    assert plancache.fingerprint(broken_repo) == before
    monkeypatch.setattr(plancache.sys, "version", "3.99.0 (another interpreter)")
    plancache.program.cache_clear()
    assert plancache.fingerprint(broken_repo) != before
    monkeypatch.undo()
    plancache.program.cache_clear()


def test_a_program_file_changed_during_a_run_does_not_change_its_fingerprint(broken_repo, monkeypatch, tmp_path):
    """Its caches stay those of the code it runs; the next process has the new fingerprint."""
    package = tmp_path / "congkhai"
    (package / "load").mkdir(parents=True)
    (package / "load" / "x.py").write_text("A = 1\n", encoding="utf-8")
    monkeypatch.setattr(plancache, "PACKAGE", package)
    before = plancache.fingerprint(broken_repo)
    (package / "load" / "x.py").write_text("A = 2\n", encoding="utf-8")
    assert plancache.fingerprint(broken_repo) == before
    plancache.program.cache_clear()
    assert plancache.fingerprint(broken_repo) != before


def test_a_large_entry_is_signed_and_checked_without_copies_of_it(tmp_path: Path) -> None:
    """The largest entries (the monitoring pages: 65 MB at 10,000 plans) were copied twice more to
    be signed, and twice more to be checked, at the build's peak of memory."""
    import tracemalloc

    payload = ("Theo dõi thực hiện " * 1_000_000).encode()
    store = tmp_path / "store"
    tracemalloc.start()
    try:
        plancache.write_entry(store, "aa/big", b"k", payload)
        written = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        found = plancache.read_entry(store, "aa/big", b"k")
        read = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert found == payload
    assert written < len(payload) / 2, (written, len(payload))
    assert read < 2.5 * len(payload), (read, len(payload))  # the file's bytes and the payload's
    assert plancache.read_entry(store, "aa/big", b"other") is None
    damaged = bytearray((store / "aa/big").read_bytes())
    damaged[-1] ^= 1
    (store / "aa/big").write_bytes(bytes(damaged))
    assert plancache.read_entry(store, "aa/big", b"k") is None
