"""The replaced site's folders, kept for the next build: emptied of every file, never followed, and
the site built into them is the one a build into a new folder makes, folder for folder."""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

import pytest

from congkhai.cli import main
from congkhai.load.plancache import SPARE
from congkhai.publish import site as publish_site
from congkhai.publish import sparetree
from tests.conftest import FIXED_EPOCH, copy_sources, differences


def _folders(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_dir() and not p.is_symlink())


# --- the parts ------------------------------------------------------------------------------------


def test_emptying_removes_every_file_and_link_and_keeps_the_folders(tmp_path):
    outside = tmp_path / "outside"
    (outside / "deep").mkdir(parents=True)
    (outside / "deep" / "secret.txt").write_text("mật", encoding="utf-8")
    spare = tmp_path / "spare"
    (spare / "plans" / "a" / "phien-ban").mkdir(parents=True)
    (spare / "plans" / "a" / "index.html").write_text("<p>cũ</p>", encoding="utf-8")
    (spare / "plans" / "a" / "phien-ban" / "index.html").write_text("x", encoding="utf-8")
    (spare / ".nojekyll").write_text("", encoding="utf-8")
    (spare / "to-a-file").symlink_to(outside / "deep" / "secret.txt")
    (spare / "plans" / "to-a-folder").symlink_to(outside, target_is_directory=True)
    (spare / "dangling").symlink_to(tmp_path / "missing")
    linked = tmp_path / "blob"
    linked.write_text("trang", encoding="utf-8")
    os.link(linked, spare / "plans" / "shared.html")  # a file the cache shares: only its name goes

    kept = sparetree.Spare(spare).start()
    assert kept.wait(tmp_path / "aside")
    assert _folders(spare) == ["plans", "plans/a", "plans/a/phien-ban"]
    assert [p for p in spare.rglob("*") if not p.is_dir() or p.is_symlink()] == []
    assert (outside / "deep" / "secret.txt").read_text(encoding="utf-8") == "mật"  # never followed
    assert linked.read_text(encoding="utf-8") == "trang" and linked.stat().st_nlink == 1

    (spare / "plans" / "a" / "index.html").write_text("<p>mới</p>", encoding="utf-8")  # the new build's
    kept.prune()
    assert _folders(spare) == ["plans", "plans/a"] and spare.is_dir()


def test_a_folder_that_cannot_be_written_makes_the_spare_unusable(tmp_path):
    spare = tmp_path / "spare"
    (spare / "a" / "b").mkdir(parents=True)
    (spare / "a" / "b" / "x.html").write_text("x", encoding="utf-8")
    (spare / "a").chmod(0o500)
    try:
        kept = sparetree.Spare(spare).start()
        assert not kept.wait(tmp_path / "aside")
        assert not spare.exists() and (tmp_path / "aside" / "a").is_dir()  # set aside, removed later
    finally:
        (tmp_path / "aside" / "a").chmod(0o700)


def test_the_spare_is_emptied_in_a_process_of_its_own(tmp_path, monkeypatch):
    """Not a thread of the build process: its walk of every folder held the interpreter's lock the
    build's own work needs before the page workers start. What it kept comes back to the build."""
    monkeypatch.setenv("CONGKHAI_WORKERS", "2")
    spare = tmp_path / "spare"
    (spare / "a" / "b").mkdir(parents=True)
    (spare / "a" / "b" / "x.html").write_text("x", encoding="utf-8")
    real = sparetree.Spare.empty

    def empty(self: sparetree.Spare) -> None:
        (tmp_path / "pid").write_text(str(os.getpid()), encoding="utf-8")
        real(self)

    monkeypatch.setattr(sparetree.Spare, "empty", empty)
    kept = sparetree.Spare(spare).start()
    assert kept.wait(tmp_path / "aside")
    assert int((tmp_path / "pid").read_text(encoding="utf-8")) != os.getpid()
    assert sorted(Path(f).relative_to(spare).as_posix() for f in kept.folders) == [".", "a", "a/b"]
    assert not (spare / "a" / "b" / "x.html").exists()


def test_the_emptying_process_ends_before_its_result_is_read(tmp_path, monkeypatch):
    """Its folders are handed over in a file, not through the pipe (which holds 64 KiB): a process
    left waiting to write them would live to the end of the render, holding the pages the build
    process copies on write, at the build's memory peak."""
    from devtools.memtree import tree

    monkeypatch.setenv("CONGKHAI_WORKERS", "2")
    spare = tmp_path / "spare"
    names = [f"thu-muc-cua-mot-trang-da-xay-dung-{i:05d}" for i in range(3000)]  # ~130 KB of names
    for name in names:
        (spare / name).mkdir(parents=True)

    def forks() -> list[int]:  # this process's forks (not the removals other builds left running)
        own = Path("/proc/self/cmdline").read_bytes()
        found = []
        for pid in tree(os.getpid())[1:]:
            with contextlib.suppress(OSError):
                if Path(f"/proc/{pid}/cmdline").read_bytes() == own:
                    found.append(pid)
        return found

    assert forks() == []
    kept = sparetree.Spare(spare).start()
    waited = 0.0
    while forks() and waited < 120:  # gone without its result being read
        time.sleep(0.05)
        waited += 0.05
    assert forks() == []
    assert kept.wait(tmp_path / "aside")
    assert sorted(Path(f).name for f in kept.folders[1:]) == names


@pytest.mark.parametrize("workers", ["1", "2"])
def test_an_emptying_that_fails_costs_only_the_reuse(tmp_path, monkeypatch, workers):
    monkeypatch.setenv("CONGKHAI_WORKERS", workers)
    spare = tmp_path / "spare"
    (spare / "a").mkdir(parents=True)

    def broken(self: sparetree.Spare) -> None:
        raise ValueError("a bug")

    monkeypatch.setattr(sparetree.Spare, "empty", broken)
    kept = sparetree.Spare(spare).start()  # (with one worker: emptied here, now)
    assert not kept.wait(tmp_path / "aside")  # a new folder instead
    assert not spare.exists() and (tmp_path / "aside" / "a").is_dir()


def test_take_and_give_go_through_the_cache_only(tmp_path, monkeypatch):
    monkeypatch.setenv("CONGKHAI_CACHE", str(tmp_path / "cache"))
    root = tmp_path / "repo"
    assert sparetree.take(root, tmp_path / "site") is None  # no spare yet
    old = tmp_path / "old"
    (old / "plans").mkdir(parents=True)
    assert sparetree.give(old, root) and not old.exists() and (tmp_path / "cache" / SPARE / "plans").is_dir()
    other = tmp_path / "other"
    other.mkdir()
    assert not sparetree.give(other, root) and other.is_dir()  # one spare at a time
    kept = sparetree.take(root, tmp_path / "site")
    assert kept is not None and kept.wait(tmp_path / "aside") and (tmp_path / "site" / "plans").is_dir()
    assert not (tmp_path / "cache" / SPARE).exists()

    link = tmp_path / "link"
    link.symlink_to(other, target_is_directory=True)
    assert not sparetree.give(link, root) and link.is_symlink()  # a link is not a site
    (tmp_path / "cache" / SPARE).symlink_to(other, target_is_directory=True)
    assert sparetree.take(root, tmp_path / "site2") is None and other.is_dir()
    newer = tmp_path / "newer"
    newer.mkdir()
    assert sparetree.give(newer, root)  # the link is removed (never followed), the site kept
    assert other.is_dir() and not (tmp_path / "cache" / SPARE).is_symlink() and (tmp_path / "cache" / SPARE).is_dir()

    monkeypatch.setenv("CONGKHAI_CACHE", "off")
    assert not sparetree.give(other, root) and sparetree.take(root, tmp_path / "site3") is None


# --- in the build ---------------------------------------------------------------------------------


@pytest.fixture
def cached(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    monkeypatch.setenv("CONGKHAI_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("CONGKHAI_CACHE_KEY", raising=False)
    monkeypatch.setenv("CONGKHAI_WORKERS", "2")
    return copy_sources(tmp_path / "repo")


def _build(repo: Path, out: Path) -> int:
    code = main(["build", "--root", str(repo), "--out", str(out)])
    publish_site.wait_removals()
    return code


def test_a_build_into_the_replaced_sites_folders_equals_a_clean_build(tmp_path, monkeypatch, cached):
    repo, site = cached, tmp_path / "site"
    extra = repo / "docs" / "huong-dan" / "tam-thoi.md"
    extra.write_text("# Trang tạm thời\n\nSẽ bị xoá.\n", encoding="utf-8")
    assert _build(repo, site) == 0
    first = (site / "plans").stat().st_ino
    assert _build(repo, site) == 0  # the first site is replaced: kept as the spare
    assert (tmp_path / "cache" / SPARE / "huong-dan" / "tam-thoi" / "index.html").is_file()
    extra.unlink()
    plan = repo / "docs/plans/bac-kan/bac-kan-2023-276-ubnd-ncpc.md"
    plan.write_text(plan.read_text(encoding="utf-8") + "\nMột đoạn được thêm.\n", encoding="utf-8")
    assert _build(repo, site) == 0
    assert (site / "plans").stat().st_ino == first  # the first site's folders, written into again
    assert not (site / "huong-dan" / "tam-thoi").exists()  # a page that went: its folder too
    with monkeypatch.context() as m:
        m.setenv("CONGKHAI_CACHE", "off")
        assert _build(repo, tmp_path / "clean") == 0
    assert differences(site, tmp_path / "clean") == []
    assert _folders(site) == _folders(tmp_path / "clean")


def test_a_spare_holding_links_and_strangers_files_gives_the_clean_site(tmp_path, monkeypatch, cached):
    """The spare is the cache's, which CI restores from elsewhere: whatever it holds is removed
    unread, and a link in it is never followed."""
    repo, site = cached, tmp_path / "site"
    assert _build(repo, site) == 0
    assert _build(repo, site) == 0
    spare = tmp_path / "cache" / SPARE
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("không được xoá", encoding="utf-8")
    (spare / "plans" / "bi-mat").symlink_to(outside, target_is_directory=True)
    page = spare / "plans/bac-kan/bac-kan-2023-276-ubnd-ncpc/index.html"
    page.unlink()
    page.write_text("<script>alert(1)</script>", encoding="utf-8")
    (spare / "la.html").write_text("<script>alert(2)</script>", encoding="utf-8")
    assert _build(repo, site) == 0
    assert (outside / "keep.txt").read_text(encoding="utf-8") == "không được xoá"
    assert not (site / "la.html").exists() and not (site / "plans" / "bi-mat").exists()
    with monkeypatch.context() as m:
        m.setenv("CONGKHAI_CACHE", "off")
        assert _build(repo, tmp_path / "clean") == 0
    assert differences(site, tmp_path / "clean") == []
    assert _folders(site) == _folders(tmp_path / "clean")


def test_a_failed_build_leaves_the_site_and_its_spare_use_costs_nothing(tmp_path, cached):
    repo, site = cached, tmp_path / "site"
    assert _build(repo, site) == 0
    assert _build(repo, site) == 0
    before = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    (repo / "docs" / "huong-dan" / "hong.md").write_text("[liên kết hỏng](khong-co.md)\n", encoding="utf-8")
    assert _build(repo, site) != 0  # after the render: the spare was taken and emptied
    assert {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert not list(tmp_path.glob(".site-staging-*"))
