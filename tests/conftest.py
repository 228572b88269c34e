"""Shared fixtures: a copy of the repository's sources in a temporary folder (not a git checkout,
so "last changed" comes from SOURCE_DATE_EPOCH and outputs are reproducible)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXED_EPOCH = "1732233600"  # 2024-11-22T00:00:00Z


def copy_sources(dest: Path) -> Path:
    for name in ("docs", "data", "overrides"):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copyfile(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (relative path → bytes): two builds compared file for file."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def differences(a: Path, b: Path) -> list[str]:
    """The files only one of two folders has, then those whose bytes differ ([] when identical)."""
    one, two = tree(a), tree(b)
    return sorted(set(one) ^ set(two)) + [k for k in one if k in two and one[k] != two[k]]


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


#: Tasks of the Lạng Sơn seed plan given a due date and a recurrence in :func:`followed_site`'s copy:
#: the seed records hardly any due date, and the calendars must be checked with periodic ones.
FOLLOWED_DUE = {
    "ii-1": ("2024-06-30", "yearly"),
    "ii-1-2": ("2024-09-30", "monthly"),
    "ii-2": ("2024-11-30", "quarterly"),
}
FOLLOWED_URL = "https://example.org/cong-khai"


@pytest.fixture(scope="session")
def followed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed site built with an address (``SITE_URL``) and periodic dated tasks
    (:data:`FOLLOWED_DUE`): what the feed and calendar clients of tests/test_feeds.py and
    tests/test_calendar.py read."""
    import os
    import re

    from congkhai.cli import main

    repo = copy_sources(tmp_path_factory.mktemp("followed") / "repo")
    plan = next((repo / "docs" / "plans" / "lang-son").glob("*.md"))
    text = plan.read_text(encoding="utf-8")
    for task, (due, recurrence) in FOLLOWED_DUE.items():
        text, n = re.subn(
            rf"(\n  - id: {re.escape(task)}\n(?:    .*\n)*?)    due_date: null\n    recurrence: none\n",
            rf"\g<1>    due_date: {due}\n    recurrence: {recurrence}\n",
            text,
            count=1,
        )
        assert n == 1, task
    plan.write_text(text, encoding="utf-8")
    saved = {k: os.environ.get(k) for k in ("SITE_URL", "SOURCE_DATE_EPOCH")}
    os.environ.update(SITE_URL=FOLLOWED_URL, SOURCE_DATE_EPOCH=FIXED_EPOCH)
    try:
        assert main(["build", "--root", str(repo)]) == 0
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return repo / "site"


#: The public address :func:`published_site` is built for.
PUBLISHED_URL = "https://example.gov.vn/"


@pytest.fixture(scope="session")
def published_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The seed site built once with an address (``SITE_URL`` = :data:`PUBLISHED_URL`) and no
    publisher declared, as the deploy publishes it: its folder and what the build wrote to standard
    error. The open-data clients (tests/test_metadata.py, tests/test_clients.py,
    tests/test_published_urls.py, tests/test_html.py) all read this one build."""
    import contextlib
    import io

    from congkhai.cli import main

    err = io.StringIO()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
        mp.setenv("SITE_URL", PUBLISHED_URL)
        for name in ("PUBLISHER_NAME", "PUBLISHER_EMAIL", "PUBLISHER_HOMEPAGE", "PUBLISHER_TYPE"):
            mp.delenv(name, raising=False)
        repo = copy_sources(tmp_path_factory.mktemp("published") / "repo")
        with contextlib.redirect_stderr(err):
            assert main(["build", "--root", str(repo)]) == 0
    return repo / "site", err.getvalue()


@pytest.fixture
def cached_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the seed repository whose renders use a render cache of their own, in this process
    (the render caches' tests count renders by this process' counters)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1732233600")
    monkeypatch.setenv("CONGKHAI_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("CONGKHAI_WORKERS", "1")
    monkeypatch.delenv("CONGKHAI_CACHE_KEY", raising=False)
    return copy_sources(tmp_path / "repo")


@pytest.fixture(scope="session", autouse=True)
def _removals_waited() -> Iterator[None]:
    """Builds remove their old staging folders in the background (``rm -rf``, :func:`publish.site.
    remove_later`); the session waits for them at its end, so none is left running (Python warned of
    each "subprocess … is still running" at exit) and the temporary folders are gone."""
    yield
    from congkhai.publish.site import wait_removals

    wait_removals()
