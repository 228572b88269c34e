"""The previous dataset release, found by its tag and rebuilt from git (congkhai/publish/release.py,
congkhai/read/history.py previous_release)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path

from congkhai.publish.release import previous_data
from congkhai.read.history import previous_release
from tests.conftest import copy_sources
from tests.test_site import _git


def _repo(tmp_path: Path) -> Path:
    repo = copy_sources(tmp_path / "repo")
    _git(repo, "2024-01-10T10:00:00+07:00", "init", "-q", "-b", "main")
    _git(repo, "2024-01-10T10:00:00+07:00", "add", "-A")
    _git(repo, "2024-01-10T10:00:00+07:00", "commit", "-q", "-m", "Đăng tải")
    return repo


def _touch(repo: Path, when: str) -> None:
    (repo / "docs" / "ghi-chu.md").write_text(f"# Ghi chú {when}\n", encoding="utf-8")
    _git(repo, when, "add", "-A")
    _git(repo, when, "commit", "-q", "-m", "Ghi chú")


def test_no_release_no_git(tmp_path):
    repo = _repo(tmp_path)
    assert previous_release(repo) is None
    assert previous_data(repo) is None
    assert previous_release(copy_sources(tmp_path / "plain")) is None


def test_the_newest_release_head_descends_from_not_heads_own(tmp_path):
    repo = _repo(tmp_path)
    _git(repo, "2024-01-10T10:00:00+07:00", "tag", "du-lieu-2024-01-10")
    _touch(repo, "2024-02-01T10:00:00+07:00")
    _git(repo, "2024-02-01T10:00:00+07:00", "tag", "du-lieu-2024-02-01.2")
    _git(repo, "2024-02-01T10:00:00+07:00", "tag", "khac-2024")  # not a data release
    # HEAD is itself released: its changes are those since the release before it
    found = previous_release(repo)
    assert found is not None and found.tag == "du-lieu-2024-01-10" and found.day == dt.date(2024, 1, 10)
    _touch(repo, "2024-03-01T10:00:00+07:00")
    found = previous_release(repo)
    assert found is not None and (found.tag, found.day) == ("du-lieu-2024-02-01.2", dt.date(2024, 2, 1))
    # a release on a branch HEAD does not descend from is not a previous release
    _git(repo, "2024-03-02T10:00:00+07:00", "checkout", "-q", "-b", "khac", "HEAD~2")
    _touch(repo, "2024-03-02T10:00:00+07:00")
    _git(repo, "2024-03-02T10:00:00+07:00", "tag", "du-lieu-2024-03-02")
    _git(repo, "2024-03-02T10:00:00+07:00", "checkout", "-q", "main")
    found = previous_release(repo)
    assert found is not None and found.tag == "du-lieu-2024-02-01.2"


def test_the_release_is_rebuilt_in_a_worktree_that_is_removed(tmp_path, monkeypatch):
    monkeypatch.delenv("CONGKHAI_CACHE", raising=False)
    repo = _repo(tmp_path)
    _git(repo, "2024-01-10T10:00:00+07:00", "tag", "du-lieu-2024-01-10")
    plan = sorted((repo / "docs" / "plans").rglob("*.md"))[0]
    plan.unlink()
    _git(repo, "2024-02-01T10:00:00+07:00", "commit", "-q", "-a", "-m", "Bỏ một kế hoạch")
    found = previous_data(repo, "https://x.gov.vn/")
    assert found is not None
    release, files = found
    assert release.tag == "du-lieu-2024-01-10"
    descriptor = json.loads(files["datapackage.json"])
    assert descriptor["version"] == "2024.01.10" and descriptor["homepage"] == "https://x.gov.vn/"
    assert files["plans.csv"].count(b"\r\n") == 1 + 5  # the release's five plans, not today's four
    listed = subprocess.run(["git", "worktree", "list"], cwd=repo, capture_output=True, text=True, check=True)
    assert len(listed.stdout.splitlines()) == 1
    assert not list(Path(tmp_path).glob("congkhai-release-*"))
    # the release's plans went through the repository's own plan cache, and the setting is restored
    assert any((repo / ".cache" / "congkhai").rglob("*.json"))
    assert "CONGKHAI_CACHE" not in os.environ
