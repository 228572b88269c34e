"""Swapping a new build into place (congkhai/publish/site.py ``swap``): the output folder is never missing,
and what killed builds leave beside it is cleaned up by the next one."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from congkhai.publish import site as publish


class Killed(BaseException):
    """The process dying at this point (not an Exception: nothing may catch it)."""


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _site(folder: Path, version: str) -> dict[str, bytes]:
    for rel in ("index.html", "data/plans.csv", "ke-hoach/a/index.html", f"only-in-{version}.txt"):
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(f"{version}: {rel}", encoding="utf-8")
    return _tree(folder)


@pytest.fixture
def sites(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes], dict[str, bytes]]:
    out, new = tmp_path / "site", tmp_path / ".site-staging-x" / "site"
    return out, new, _site(out, "old"), _site(new, "new")


def _kill_after_first_step(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every way the swap can change the file system completes its first change, then the process dies."""
    done: list[str] = []

    def killing(name: str, real):  # type: ignore[no-untyped-def]
        def step(*args, **kwargs):  # type: ignore[no-untyped-def]
            if done:
                raise Killed(f"killed before {name}")
            result = real(*args, **kwargs)
            done.append(name)
            raise Killed(f"killed after {name}")
            return result  # pragma: no cover

        return step

    real_exchange = getattr(publish, "_exchange", None)
    if real_exchange is not None:
        monkeypatch.setattr(publish, "_exchange", lambda a, b: killing("exchange", real_exchange)(a, b))
    monkeypatch.setattr(Path, "rename", killing("rename", Path.rename))
    monkeypatch.setattr(os, "rename", killing("os.rename", os.rename))
    monkeypatch.setattr(shutil, "rmtree", killing("rmtree", shutil.rmtree))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the atomic exchange is Linux's renameat2")
def test_a_kill_after_the_first_step_of_the_swap_leaves_the_new_site_complete(sites, monkeypatch):
    out, new, _, new_tree = sites
    _kill_after_first_step(monkeypatch)
    with pytest.raises(Killed):
        publish.swap(new, out)
    monkeypatch.undo()
    assert out.is_dir(), "the site is missing"
    assert _tree(out) == new_tree
    publish.clean_leftovers(out)  # the next build
    assert _tree(out) == new_tree
    assert sorted(p.name for p in out.parent.iterdir()) == ["site"]


def test_without_the_exchange_a_kill_between_the_renames_is_repaired_by_the_next_build(sites, monkeypatch):
    """The fallback's gap (no ``site/`` for a moment): the next build puts the complete old site back."""
    out, new, old_tree, _ = sites
    monkeypatch.setattr(publish, "_exchange", lambda a, b: False)
    _kill_after_first_step(monkeypatch)
    with pytest.raises(Killed):
        publish.swap(new, out)
    monkeypatch.undo()
    publish.clean_leftovers(out)
    assert _tree(out) == old_tree
    assert sorted(p.name for p in out.parent.iterdir()) == ["site"]


def test_without_the_exchange_the_swap_still_swaps(sites, monkeypatch):
    out, new, _, new_tree = sites
    monkeypatch.setattr(publish, "_exchange", lambda a, b: False)
    publish.swap(new, out)
    assert _tree(out) == new_tree and not new.exists()
    assert not list(out.parent.glob(".site-old-*"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the atomic exchange is Linux's renameat2")
def test_on_linux_the_swap_is_one_atomic_exchange(sites, monkeypatch):
    out, new, _, new_tree = sites
    real, results = publish._exchange, []
    monkeypatch.setattr(publish, "_exchange", lambda a, b: results.append(real(a, b)) or results[-1])
    publish.swap(new, out)
    assert results == [True], "renameat2(RENAME_EXCHANGE) was not used"
    assert _tree(out) == new_tree and not new.exists()
    assert not list(out.parent.glob(".site-old-*"))
    first = out.parent / "first"
    _site(new.parent / "again", "first")
    publish.swap(new.parent / "again", first)  # nothing there yet: a plain rename
    assert results == [True] and (first / "only-in-first.txt").is_file()


def test_the_next_build_removes_what_killed_builds_left(sites):
    out, _, old_tree, _ = sites
    stale = [out.parent / ".site-old-4242", out.parent / ".site-staging-abcd", out.parent / ".site-old-7"]
    for folder in stale:
        _site(folder, folder.name)
    (out.parent / ".site-old-9").write_text("a file, not a folder")
    publish.clean_leftovers(out)
    assert _tree(out) == old_tree, "a present site is never replaced by an old one"
    assert sorted(p.name for p in out.parent.iterdir()) == ["site"]


def test_a_build_cleans_the_leftovers_of_killed_builds(tmp_path):
    from congkhai.cli import main
    from tests.conftest import copy_sources

    repo = copy_sources(tmp_path / "repo")
    for name in (".site-old-123", ".site-staging-zz"):
        _site(repo / name, name)
    assert main(["build", "--root", str(repo)]) == 0
    assert (repo / "site" / "index.html").is_file()
    publish.wait_removals()  # the build's own staging folder is removed after it, in another process
    assert not list(repo.glob(".site-*"))


@pytest.mark.parametrize("exchange", [True, False])
def test_the_swap_hands_the_old_site_to_discard_instead_of_removing_it(sites, monkeypatch, exchange):
    out, new, old_tree, new_tree = sites
    if not exchange:
        monkeypatch.setattr(publish, "_exchange", lambda a, b: False)
    monkeypatch.setattr(shutil, "rmtree", lambda *a, **k: pytest.fail("the swap removed the old site itself"))
    handed: list[Path] = []
    publish.swap(new, out, discard=handed.append)
    assert _tree(out) == new_tree
    assert len(handed) == 1 and _tree(handed[0]) == old_tree


def test_remove_later_removes_the_folder_in_another_process(tmp_path, monkeypatch):
    folder = tmp_path / ".site-staging-done"
    _site(folder / "site", "old")
    monkeypatch.setattr(shutil, "rmtree", lambda *a, **k: pytest.fail("removed in this process"))
    publish.remove_later(folder)
    publish.wait_removals()
    assert not folder.exists() and sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_build_leaves_the_old_site_in_its_staging_folder_removed_after_it(tmp_path, monkeypatch):
    """The swap's old site is not removed while the build waits: it joins the staging folder, which
    is handed whole to ``remove_later``; the new site is in place before. (With a cache it is kept
    there instead, as the next build's folders: ``tests/test_sparetree.py``.)"""
    from congkhai.cli import main
    from tests.conftest import copy_sources

    monkeypatch.setenv("CONGKHAI_CACHE", "off")
    repo = copy_sources(tmp_path / "repo")
    assert main(["build", "--root", str(repo)]) == 0
    (repo / "site" / "marker.txt").write_text("the previous site")
    later: list[Path] = []
    monkeypatch.setattr(publish, "remove_later", later.append)
    assert main(["build", "--root", str(repo)]) == 0
    assert not (repo / "site" / "marker.txt").exists() and (repo / "site" / "index.html").is_file()
    assert [p.name.startswith(".site-staging-") for p in later] == [True]
    assert (later[0] / "site" / "marker.txt").read_text() == "the previous site"
    shutil.rmtree(later[0])
