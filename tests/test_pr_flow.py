"""The pull-request steps of CI (`make ci-validate`, `make ci-summary`) on a scratch git repository:
a good change passes with a correct summary, a broken change fails with annotations on its lines.

The scratch repository is a copy of this checkout's sources (not a clone, so uncommitted work is
tested too) with two branches; `make` runs with this test run's Python instead of a new venv.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLAN = "docs/plans/lang-son/lang-son-cao-loc-2024-kh-ubnd.md"
COPY = [
    "congkhai",
    "schemas",
    "docs",
    "data",
    "overrides",
    "build_site.py",
    "mkdocs.yml",
    "Makefile",
    "requirements.txt",
]


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": "2024-11-22T00:00:00+00:00",
        "GIT_COMMITTER_DATE": "2024-11-22T00:00:00+00:00",
    }
    proc = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in COPY:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, repo / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, repo / name)
    (repo / ".stamp").touch()  # newer than requirements.txt: make must not set up a venv
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    git(repo, "checkout", "-q", "-b", "change")
    return repo


def make(repo: Path, target: str, summary: Path) -> subprocess.CompletedProcess[str]:
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "GITHUB_STEP_SUMMARY": str(summary)}
    return subprocess.run(
        ["make", "-s", target, "BASE=main", f"BIN={bin_dir}", "STAMP=.stamp"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_good_change_passes_with_a_correct_summary(scratch: Path, tmp_path: Path) -> None:
    plan = scratch / PLAN
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("deadline: null", 'deadline: "Quý II/2024"', 1), encoding="utf-8")
    git(scratch, "commit", "-qam", "set a deadline")
    summary = tmp_path / "summary.md"
    validated = make(scratch, "ci-validate", summary)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert "::error" not in validated.stdout
    assert PLAN in summary.read_text(encoding="utf-8")  # only the changed plan was checked
    summarised = make(scratch, "ci-summary", summary)
    assert summarised.returncode == 0, summarised.stderr
    report = summary.read_text(encoding="utf-8")
    assert "lang-son-cao-loc-2024-kh-ubnd" in report
    assert "deadline" in report and "Quý II/2024" in report
    assert "0 kế hoạch thêm mới, 1 kế hoạch thay đổi, 0 kế hoạch bị xóa." in report


def test_a_broken_change_fails_with_annotations_on_its_lines(scratch: Path, tmp_path: Path) -> None:
    plan = scratch / PLAN
    lines = plan.read_text(encoding="utf-8").splitlines(keepends=True)
    status = next(i for i, line in enumerate(lines) if line.startswith("status:"))
    title = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    lines[status] = "status: dang_thuc_hien\n"
    lines[title] = "titel:" + lines[title][len("title:") :]
    plan.write_text("".join(lines), encoding="utf-8")
    git(scratch, "commit", "-qam", "break it")
    summary = tmp_path / "summary.md"
    result = make(scratch, "ci-validate", summary)
    assert result.returncode != 0
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    assert f"::error file={PLAN},line={status + 1}," in "\n".join(annotations)
    assert f"::error file={PLAN},line={title + 1}," in "\n".join(annotations)
    assert "vocabulary-error" in summary.read_text(encoding="utf-8")
    assert "unknown-key" in summary.read_text(encoding="utf-8")


def test_deleting_a_published_plan_fails(scratch: Path, tmp_path: Path) -> None:
    git(scratch, "rm", "-q", PLAN)
    git(scratch, "commit", "-qm", "delete a plan")
    summary = tmp_path / "summary.md"
    result = make(scratch, "ci-validate", summary)
    assert result.returncode != 0
    assert f"::error file={PLAN}," in result.stdout and "published-plan-removed" in result.stdout
    assert "published-plan-removed" in summary.read_text(encoding="utf-8")
