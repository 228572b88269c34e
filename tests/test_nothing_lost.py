"""Nothing lost at scale: every plan, task and citation of a generated corpus reaches the datasets
and every plan its page, checked by id (`make bench` runs the same pipeline at 1k–10k plans)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import yaml

from congkhai.cli import main
from congkhai.corpus import generate

N = 120


def _read(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_every_plan_task_and_citation_is_published(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    generate(repo, N, seed=7)
    assert main(["build", "--root", str(repo)]) == 0
    site = repo / "site"
    plans = {p["id"] for p in _read(site / "data" / "plans.csv")}
    tasks = {(t["plan_id"], t["id"]) for t in _read(site / "data" / "tasks.csv")}
    cites = {(c["plan_id"], c["directive"]) for c in _read(site / "data" / "citations.csv")}
    sources = sorted((repo / "docs" / "plans").rglob("*.md"))
    assert len(sources) == N
    for path in sources:
        fm = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        assert fm["id"] in plans
        assert {(fm["id"], t["id"]) for t in fm.get("tasks") or []} <= tasks
        assert {(fm["id"], c["directive"]) for c in fm.get("citations") or []} <= cites
        assert (site / "plans" / path.parent.name / fm["id"] / "index.html").is_file()
    assert len(plans) == N
