"""National deployment: two province shards built separately, merged into one national dataset.

A generated corpus is split by province folder into two repositories that share the national
reference tables; each keeps only its own provinces' bodies in ``data/units.csv``, as a province
repository would. Each is built with ``build_site.py datasets``, then merged (DEPLOYMENT.md).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from frictionless import Package

from congkhai.cli import main
from congkhai.model.schemas import load_model
from devtools.corpus import ROOT, generate
from tests.conftest import FIXED_EPOCH

N = 30  # one plan per province for the first 63, so 15 provinces and 15 plans per shard
TODAY = "2026-11-22"
MODEL = load_model()
CONFLICT_ID = "33-ct-ttg-2021"


def _read(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _write_units(repo: Path, keep: set[str], base_ids: set[str]) -> None:
    path = repo / "data" / "units.csv"
    rows = _read(path)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(r for r in rows if r["id"] in base_ids or r["province"] in keep)


@pytest.fixture(scope="module")
def shards(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Dataset folders: shards ``a`` and ``b``, ``b-dup`` (b plus one plan of a) and ``b-conflict``
    (b with a different title for a shared cited document)."""
    base = tmp_path_factory.mktemp("shards")
    corpus = base / "corpus"
    generate(corpus, N, seed=3)
    provinces = sorted(p.name for p in (corpus / "docs" / "plans").iterdir())
    base_units = {r["id"] for r in _read(ROOT / "data" / "units.csv")}
    split = {"a": set(provinces[::2]), "b": set(provinces[1::2])}
    stolen = provinces[0]  # a province of shard a whose plan also lands in b-dup
    split["b-dup"] = split["b"] | {stolen}
    split["b-conflict"] = split["b"]
    split["reference"] = set()  # the national reference repository: data/ only, no plans
    out: dict[str, Path] = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
        for name, mine in split.items():
            repo = base / name
            shutil.copytree(corpus, repo)
            for folder in (repo / "docs" / "plans").iterdir():
                if folder.name not in mine:
                    shutil.rmtree(folder)
            _write_units(repo, mine, base_units)
            if name == "b-conflict":
                path = repo / "data" / "directives.csv"
                text = path.read_text(encoding="utf-8")
                line = next(ln for ln in text.splitlines() if ln.startswith(CONFLICT_ID + ","))
                path.write_text(text.replace(line, line.replace("dân vận", "DÂN VẬN (sửa)", 1)), encoding="utf-8")
                assert path.read_text(encoding="utf-8") != text
            out[name] = base / f"{name}-data"
            assert main(["datasets", "--root", str(repo), "--out", str(out[name]), "--today", TODAY]) == 0
            out[f"{name}-repo"] = repo
    return out


def _merge(tmp: Path, *dirs: Path, name: str = "national") -> Path:
    out = tmp / name
    assert main(["merge", *map(str, dirs), "--out", str(out)]) == 0
    return out


def test_every_id_is_merged_once_and_counts_add_up(shards: dict[str, Path], tmp_path: Path) -> None:
    a, b = shards["a"], shards["b"]
    out = _merge(tmp_path, a, b)
    for table in MODEL.tables.values():
        name = f"{table.name}.csv"
        pk = list(table.primary_key)
        rows_a, rows_b, merged = _read(a / name), _read(b / name), _read(out / name)
        keys = Counter(tuple(r[k] for k in pk) for r in merged)
        assert max(keys.values(), default=1) == 1, f"{table.name}: a key twice"
        union = {tuple(r[k] for k in pk) for r in rows_a + rows_b}
        assert set(keys) == union, table.name
        if table.name == "plans" or "plan_id" in table.field_names:
            assert len(merged) == len(rows_a) + len(rows_b), table.name  # nothing shared, nothing lost
        else:
            assert len(merged) == len(union) <= len(rows_a) + len(rows_b), table.name  # shared rows once
    assert len(_read(out / "plans.csv")) == N
    # units: the national rows are shared, each province's bodies come from its own shard only
    units_a, units_b, units = (_read(d / "units.csv") for d in (a, b, out))
    assert max(len(units_a), len(units_b)) < len(units) < len(units_a) + len(units_b)
    # every plan file of each province repository is published once, under its id
    for shard in ("a", "b"):
        files = {p.stem for p in (shards[f"{shard}-repo"] / "docs" / "plans").rglob("*.md")}
        assert files and files <= {p["id"] for p in _read(out / "plans.csv")}
    # a derived column is recomputed over the nation: citing plans add up across shards
    citing = {d["id"]: int(d["citing_plans"]) for d in _read(out / "directives.csv")}
    for d in _read(a / "directives.csv"):
        other = next(x for x in _read(b / "directives.csv") if x["id"] == d["id"])
        assert citing[d["id"]] == int(d["citing_plans"]) + int(other["citing_plans"])


def test_every_foreign_key_resolves(shards: dict[str, Path], tmp_path: Path) -> None:
    out = _merge(tmp_path, shards["a"], shards["b"])
    checked = 0
    for table in MODEL.tables.values():
        rows = _read(out / f"{table.name}.csv")
        for fk in table.foreign_keys:
            ref = fk["reference"]
            target = {tuple(r[k] for k in ref["fields"]) for r in _read(out / f"{ref['resource']}.csv")}
            for r in rows:
                value = tuple(r[k] for k in fk["fields"])
                if all(value):
                    assert value in target, (table.name, fk["fields"], value)
                    checked += 1
    assert checked > 500
    report = Package(str(out / "datapackage.json")).validate()
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])


def test_order_does_not_change_the_bytes_and_one_shard_is_itself(shards: dict[str, Path], tmp_path: Path) -> None:
    ab = _files(_merge(tmp_path, shards["a"], shards["b"], name="ab"))
    ba = _files(_merge(tmp_path, shards["b"], shards["a"], name="ba"))
    assert ab == ba
    assert sorted(ab) == sorted([f"{t}.csv" for t in MODEL.tables] + ["cong-khai.json", "datapackage.json"])
    # the merge writes with the single-repository writer: one shard merged is byte-identical
    assert _files(_merge(tmp_path, shards["a"], name="only-a")) == _files(shards["a"])


def test_a_plan_in_two_shards_is_a_finding_naming_both(
    shards: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, dup = shards["a"], shards["b-dup"]
    assert main(["merge", str(a), str(dup), "--out", str(tmp_path / "n"), "--lang", "en"]) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    stolen = sorted({p["id"] for p in _read(a / "plans.csv")} & {p["id"] for p in _read(dup / "plans.csv")})
    assert len(stolen) == 1
    assert f"error plan-in-two-shards [id]: Plan '{stolen[0]}' is published by two shards" in out
    assert f"{dup}/plans.csv:" in out and f"in {a}/plans.csv:" in out
    assert "fix: A plan belongs to one province" in out
    assert "Nothing was merged" in err and not (tmp_path / "n").exists()
    assert main(["merge", str(dup), str(a), "--out", str(tmp_path / "n"), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [f["code"] for f in report["findings"]] == ["plan-in-two-shards"]  # children not reported again


def test_a_conflicting_reference_row_is_a_finding(
    shards: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, bad = shards["a"], shards["b-conflict"]
    assert main(["merge", str(bad), str(a), "--out", str(tmp_path / "n"), "--lang", "en"]) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    lines = [ln for ln in out.splitlines() if "reference-conflict" in ln]
    assert len(lines) == 1, out
    assert lines[0].startswith(f"{bad}/directives.csv:")  # the shard whose label sorts later
    assert f"error reference-conflict [title]: Row '{CONFLICT_ID}' of the shared reference table directives" in out
    assert f"in {a}/directives.csv:" in out and "DÂN VẬN (sửa)" in out
    assert "fix: data/directives.csv must agree in every shard" in out
    assert main(["merge", str(a), str(bad), "--out", str(tmp_path / "n")]) == 1
    assert "Dòng '33-ct-ttg-2021' của bảng tham chiếu chung directives khác" in capsys.readouterr().out


def test_the_reference_repository_merges_as_a_shard_to_catch_drift(
    shards: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """DEPLOYMENT.md: a province CI job merges its datasets with the reference repository's."""
    ref = shards["reference"]
    assert _read(ref / "plans.csv") == [] and _read(ref / "directives.csv")
    out = _merge(tmp_path, ref, shards["a"])
    assert _files(out) == _files(_merge(tmp_path, shards["a"], name="a-alone"))
    assert main(["merge", str(ref), str(shards["b-conflict"]), "--out", str(tmp_path / "n")]) == 1
    assert "reference-conflict [title]" in capsys.readouterr().out


def test_a_failed_merge_keeps_the_previous_national_dataset(shards: dict[str, Path], tmp_path: Path) -> None:
    out = _merge(tmp_path, shards["a"], shards["b"])
    before = _files(out)
    assert main(["merge", str(shards["a"]), str(shards["b-conflict"]), "--out", str(out)]) == 1
    assert _files(out) == before
    assert main(["merge", str(shards["a"]), str(shards["b"]), "--out", str(out)]) == 0  # and it is replaced
    assert _files(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["national"]  # no staging or old folder left


def _rehash(folder: Path) -> None:
    """Make datapackage.json agree with hand-edited CSVs, as a broken shard build might."""
    path = folder / "datapackage.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    for res in meta["resources"]:
        data = (folder / res["path"]).read_bytes()
        res["bytes"], res["hash"] = len(data), "sha256:" + hashlib.sha256(data).hexdigest()
    path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _codes(capsys: pytest.CaptureFixture[str]) -> list[tuple[str, str]]:
    report = json.loads(capsys.readouterr().out)
    return [(f["file"], f["code"]) for f in report["findings"]]


def test_broken_shards_are_findings_not_tracebacks(
    shards: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = shards["a"], shards["b"]
    out = str(tmp_path / "n")
    edited = tmp_path / "edited"
    shutil.copytree(a, edited)
    (edited / "plans.csv").write_bytes((edited / "plans.csv").read_bytes().replace(b"2020", b"2021", 1))
    assert main(["merge", str(edited), str(b), "--out", out, "--format", "json"]) == 1
    assert _codes(capsys) == [(f"{edited}/plans.csv", "shard-file-changed")]

    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["merge", str(empty), str(b), "--out", out, "--format", "json"]) == 1
    assert _codes(capsys) == [(f"{empty}/datapackage.json", "shard-not-a-dataset")]

    other = tmp_path / "other-schema"
    shutil.copytree(a, other)
    meta = json.loads((other / "datapackage.json").read_text(encoding="utf-8"))
    tasks = next(r for r in meta["resources"] if r["name"] == "tasks")
    tasks["schema"]["fields"].pop()  # built by another version of the schemas
    (other / "datapackage.json").write_text(json.dumps(meta), encoding="utf-8")
    assert main(["merge", str(other), str(b), "--out", out, "--format", "json"]) == 1
    assert _codes(capsys) == [(f"{other}/tasks.csv", "shard-schema-mismatch")]

    # a body missing from the shared units: our check names the shard row, frictionless agrees
    orphan = tmp_path / "orphan"
    shutil.copytree(b, orphan)
    issuers = _read(orphan / "issuers.csv")
    shared = {u["id"] for u in _read(a / "units.csv")}
    gone = next(i["unit"] for i in issuers if i["unit"] not in shared)
    lines = (orphan / "units.csv").read_bytes().split(b"\r\n")
    kept = [ln for ln in lines if not ln.startswith(gone.encode() + b",")]
    assert len(kept) == len(lines) - 1
    (orphan / "units.csv").write_bytes(b"\r\n".join(kept))
    _rehash(orphan)
    assert main(["merge", str(a), str(orphan), "--out", out, "--format", "json", "--lang", "en"]) == 1
    report = json.loads(capsys.readouterr().out)
    found = {(f["file"].rsplit("/", 1)[1], f["code"], f["field"]) for f in report["findings"]}
    assert ("issuers.csv", "unknown-reference", "unit") in found
    assert all(f["code"] == "unknown-reference" and f["file"].startswith(str(orphan)) for f in report["findings"])
    units = load_model().tables["units"].title_en
    assert any(f"'{gone}' is not in the {units} (units) table" in f["message"] for f in report["findings"])
    assert not (tmp_path / "n").exists()

    # a value outside its vocabulary passes our key checks; frictionless on the merged package catches it
    bogus = tmp_path / "bogus"
    shutil.copytree(a, bogus)
    plans = (bogus / "plans.csv").read_bytes()
    assert b",in_force," in plans
    (bogus / "plans.csv").write_bytes(plans.replace(b",in_force,", b",in_forse,", 1))
    _rehash(bogus)
    assert main(["merge", str(bogus), str(b), "--out", out, "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert {(f["file"], f["code"], f["field"]) for f in report["findings"]} == {
        (f"{out}/plans.csv", "merged-package-invalid", "status")
    }
    assert "constraint-error" in report["findings"][0]["message"]
    assert not (tmp_path / "n").exists() and not list(tmp_path.glob(".n-*"))


def test_usage_errors_exit_2(shards: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = str(shards["a"]), str(shards["b"])
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me", encoding="utf-8")
    assert main(["merge", a, b, "--out", str(precious)]) == 2
    assert (precious / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert main(["merge", a, a, "--out", str(tmp_path / "n")]) == 2
    assert main(["merge", a, "--out", a]) == 2
    assert main(["merge", a, str(tmp_path / "nowhere"), "--out", str(tmp_path / "n")]) == 2
    err = capsys.readouterr().err
    assert "không phải thư mục dữ liệu" in err and "hai lần" in err and "Traceback" not in err
    assert main(["merge", a, a, "--out", str(precious), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "given twice" in err and "hai lần" not in err


def _edit_cell(folder: Path, table: str, column: str, value: str, row: int = 0) -> int:
    """Set one cell of a shard's CSV (and rehash): the file line of that record."""
    path = folder / f"{table}.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    rows[row + 1][rows[0].index(column)] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")
    _rehash(folder)
    reader = csv.reader(io.StringIO(buf.getvalue(), newline=""))
    line = 1
    for i, _ in enumerate(reader):
        if i == row + 1:
            return line
        line = reader.line_num + 1
    raise AssertionError(row)


@pytest.mark.parametrize(
    ("table", "column", "value", "code"),
    [
        ("plans", "title", "Kế hoạch\x07 thực hiện", "control-character"),
        ("units", "name", "Phòng Nội vụ\nhuyện", "line-break"),
        ("directives", "title", "KÕ ho¹ch thùc hiÖn", "mojibake"),
        ("plans", "issue_year", "hai nghìn", "type-error"),  # a derived column is data in a shard
        ("tasks", "due_date", "30/06/2024", "type-error"),
        ("plans", "source_url", "javascript:alert(1)", "invalid-url"),
    ],
)
def test_shard_rows_are_checked_again_as_data(
    shards: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], table, column, value, code
) -> None:
    """A shard is a folder anyone can hand over: its rows get the validator's text, type and URL
    checks, each finding naming the shard file, row and field; the previous output is kept."""
    out = _merge(tmp_path, shards["a"], shards["b"])
    before = _files(out)
    capsys.readouterr()
    bad = tmp_path / "bad"
    shutil.copytree(shards["b"], bad)
    line = _edit_cell(bad, table, column, value)
    assert main(["merge", str(shards["a"]), str(bad), "--out", str(out), "--format", "json"]) == 1
    out_text, err = capsys.readouterr()
    assert "Traceback" not in out_text + err
    found = {(f["file"], f["line"], f["field"], f["code"]) for f in json.loads(out_text)["findings"]}
    assert found == {(f"{bad}/{table}.csv", line, column, code)}
    assert _files(out) == before
