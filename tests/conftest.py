"""Shared fixtures: a copy of the repository's sources in a temporary folder (not a git checkout,
so "last changed" comes from SOURCE_DATE_EPOCH and outputs are reproducible)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXED_EPOCH = "1732233600"  # 2024-11-22T00:00:00Z


def copy_sources(dest: Path) -> Path:
    for name in ("docs", "data", "overrides"):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copyfile(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


@pytest.fixture
def seed_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    return copy_sources(tmp_path / "repo")


@pytest.fixture
def data_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Only the reference tables: for tests that add their own plan files."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "data", repo / "data")
    (repo / "docs" / "plans").mkdir(parents=True)
    return repo


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The site built from tests/security.py's hostile repository (payloads in every field and file)."""
    from tests.security import build_hostile, hostile_repo

    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    try:
        repo, items = hostile_repo(tmp_path_factory.mktemp("hostile") / "repo")
        return build_hostile(repo), items
    finally:
        mp.undo()
