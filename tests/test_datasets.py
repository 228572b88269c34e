import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from frictionless import Package

from congkhai import datasets
from congkhai.pipeline import validate
from tests.golden import GOLDEN, generate


def test_golden_files(seed_repo):
    files = generate(seed_repo)
    golden = {
        p.relative_to(GOLDEN).as_posix(): p.read_bytes()
        for p in GOLDEN.rglob("*")
        if p.is_file() and p.relative_to(GOLDEN).parts[0] in ("data", "pages")
    }
    assert sorted(files) == sorted(golden), "run `make golden` after a deliberate change"
    for name, data in files.items():
        assert data == golden[name], f"{name} differs from its golden file; run `make golden` and review"


def test_two_builds_are_byte_identical(seed_repo):
    assert generate(seed_repo) == generate(seed_repo)


def _written(repo: Path, out: Path) -> Path:
    v = validate(repo)
    datasets.write(datasets.render(v.model, v.tables, v.mentions, datasets.last_modified(repo)), out)
    return out / "datapackage.json"


def test_frictionless_validates_the_written_package(seed_repo, tmp_path):
    report = Package(str(_written(seed_repo, tmp_path / "out"))).validate()
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])


def test_frictionless_catches_a_broken_foreign_key(seed_repo, tmp_path):
    """Proves the package declares its keys: a citation of an unknown document must fail."""
    descriptor = _written(seed_repo, tmp_path / "out")
    path = descriptor.parent / "citations.csv"
    text = path.read_text(encoding="utf-8").replace(",33-ct-ttg-2021,", ",99-ct-ttg-2099,", 1)
    path.write_text(text, encoding="utf-8")
    meta = json.loads(descriptor.read_text(encoding="utf-8"))
    for res in meta["resources"]:
        res.pop("hash"), res.pop("bytes")
    descriptor.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    report = Package(str(descriptor)).validate()
    assert not report.valid
    assert "foreign-key" in {e[0] for e in report.flatten(["type"])}


def test_frictionless_cli_validates(seed_repo, tmp_path):
    descriptor = _written(seed_repo, tmp_path / "out")
    proc = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", str(descriptor)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stdout[-2000:]


def test_every_plan_task_and_citation_is_published(seed_repo, tmp_path):
    import yaml

    out = _written(seed_repo, tmp_path / "out").parent

    def read(name: str) -> list[dict[str, str]]:
        return list(csv.DictReader(io.StringIO((out / name).read_text(encoding="utf-8"))))

    plans, tasks, cites = read("plans.csv"), read("tasks.csv"), read("citations.csv")
    for path in sorted((seed_repo / "docs" / "plans").rglob("*.md")):
        fm = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        assert fm["id"] in {p["id"] for p in plans}
        assert {t["id"] for t in fm["tasks"]} == {t["id"] for t in tasks if t["plan_id"] == fm["id"]}
        assert {c["directive"] for c in fm["citations"]} == {c["directive"] for c in cites if c["plan_id"] == fm["id"]}
    assert len(plans) == 5


def test_package_metadata(seed_repo, tmp_path):
    meta = json.loads(_written(seed_repo, tmp_path / "out").read_text(encoding="utf-8"))
    assert "47/2020" in meta["x-terms-of-use"]["source"]
    assert "ghi nguồn" in meta["x-terms-of-use"]["vi"]
    assert meta["modified"] == "2024-11-22T00:00:00+00:00"  # from SOURCE_DATE_EPOCH, not the clock
    names = [r["name"] for r in meta["resources"]]
    assert {"plans", "tasks", "directives", "citations"} <= set(names)
    tasks = next(r for r in meta["resources"] if r["name"] == "tasks")
    assert tasks["schema"]["primaryKey"] == ["plan_id", "id"]
    status = next(f for f in tasks["schema"]["fields"] if f["name"] == "status")
    assert "not_reported" in status["constraints"]["enum"]


def test_last_modified_comes_from_git(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    repo = tmp_path / "g"
    (repo / "data").mkdir(parents=True)
    (repo / "data" / "x.csv").write_text("a\n")
    env = {"GIT_AUTHOR_DATE": "2023-05-06T07:08:09+00:00", "GIT_COMMITTER_DATE": "2023-05-06T07:08:09+00:00"}

    def run(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env={**os.environ, **env})

    run("init", "-q")
    run("add", ".")
    run("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x")
    assert datasets.last_modified(repo) == "2023-05-06T07:08:09+00:00"


@pytest.mark.parametrize("name", ["plans.csv", "tasks.csv"])
def test_csv_is_rfc4180_utf8(seed_repo, tmp_path, name):
    data = (_written(seed_repo, tmp_path / "out").parent / name).read_bytes()
    data.decode("utf-8")
    assert b"\r\n" in data and not data.startswith(b"\xef\xbb\xbf")
