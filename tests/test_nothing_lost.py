"""Nothing lost at scale: every plan, task and citation of a generated corpus reaches the datasets
and every plan its page, checked by id. ``make bench`` runs :func:`lost` on its 1k and 10k builds
(the figures are in BENCHMARKS.md); here a 120-plan corpus keeps it in ``make test``."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import yaml

from congkhai.cli import main
from devtools.corpus import generate

N = 120


def _read(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def lost(repo: Path, site: Path) -> list[str]:
    """Every plan, task and citation of the sources that the built site or its datasets lack, by id."""
    plans = {p["id"] for p in _read(site / "data" / "plans.csv")}
    tasks = {(t["plan_id"], t["id"]) for t in _read(site / "data" / "tasks.csv")}
    cites = {(c["plan_id"], c["directive"]) for c in _read(site / "data" / "citations.csv")}
    out: list[str] = []
    sources = sorted((repo / "docs" / "plans").rglob("*.md"))
    for path in sources:
        fm = yaml.load(path.read_text(encoding="utf-8").split("---\n")[1], Loader=yaml.CSafeLoader)
        pid = fm["id"]
        if pid not in plans:
            out.append(f"plan {pid}: not in plans.csv")
        out += [f"task {pid}/{t['id']}: not in tasks.csv" for t in fm.get("tasks") or [] if (pid, t["id"]) not in tasks]
        out += [
            f"citation {pid} → {c['directive']}: not in citations.csv"
            for c in fm.get("citations") or []
            if (pid, c["directive"]) not in cites
        ]
        if not (site / "plans" / path.parent.name / pid / "index.html").is_file():
            out.append(f"plan {pid}: no page")
    if len(plans) != len(sources):
        out.append(f"{len(sources)} plan files but {len(plans)} plans in plans.csv")
    return out


def test_every_plan_task_and_citation_is_published(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    generate(repo, N, seed=7)
    assert main(["build", "--root", str(repo)]) == 0
    assert len(sorted((repo / "docs" / "plans").rglob("*.md"))) == N
    assert lost(repo, repo / "site") == []


def test_a_lost_task_is_found(tmp_path: Path) -> None:
    """The check itself can fail: a task row missing from tasks.csv is named."""
    repo = tmp_path / "repo"
    generate(repo, 3, seed=7)
    assert main(["build", "--root", str(repo)]) == 0
    tasks = repo / "site" / "data" / "tasks.csv"
    lines = tasks.read_text(encoding="utf-8").splitlines(keepends=True)
    tasks.write_text("".join(lines[:1] + lines[2:]), encoding="utf-8")
    missing = lost(repo, repo / "site")
    assert len(missing) == 1 and missing[0].startswith("task ")
