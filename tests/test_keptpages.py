"""The previous build's staged pages: unchanged files are moved back, never trusted, never followed,
and what the build no longer makes never reaches the site."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from congkhai import parallel
from congkhai.cli import main
from congkhai.publish import keptpages
from congkhai.publish import site as publish_site
from tests.conftest import FIXED_EPOCH, copy_sources, differences, tree

PLAN = Path("docs/plans/bac-kan/bac-kan-2023-276-ubnd-ncpc.md")
PLAN_MD = "plans/bac-kan/bac-kan-2023-276-ubnd-ncpc.md"


# --- the parts ------------------------------------------------------------------------------------


def test_holds_only_a_regular_file_holding_exactly_the_bytes(tmp_path):
    old = tmp_path / "old"
    old.write_bytes(b"ke hoach")
    assert keptpages.holds(old, b"ke hoach")
    old.write_bytes(b"ke hoaxh")  # same size, other bytes
    assert not keptpages.holds(old, b"ke hoach") and not keptpages.holds(old, b"ke hoach dai hon")
    assert not keptpages.holds(tmp_path / "missing", b"")

    outside = tmp_path / "outside"
    outside.write_bytes(b"ke hoach")
    link = tmp_path / "link"
    link.symlink_to(outside)
    assert not keptpages.holds(link, b"ke hoach")


def test_a_folder_with_a_link_anywhere_is_not_usable(tmp_path):
    folder = tmp_path / "kept"
    (folder / "a" / "b").mkdir(parents=True)
    (folder / "a" / "b" / "x.md").write_text("x", encoding="utf-8")
    assert keptpages.usable(folder)
    (folder / "a" / "b" / "y.md").symlink_to("/etc/passwd")
    assert not keptpages.usable(folder)
    (folder / "a" / "b" / "y.md").unlink()
    (folder / "a" / "etc").symlink_to("/etc", target_is_directory=True)
    assert not keptpages.usable(folder)
    (folder / "a" / "etc").unlink()
    link = tmp_path / "link"
    link.symlink_to(folder, target_is_directory=True)
    assert keptpages.usable(folder) and not keptpages.usable(link)
    assert keptpages.listing(folder) == ["a/b/x.md"]
    os.mkfifo(folder / "a" / "pipe")  # nothing but folders and regular files
    assert keptpages.listing(folder) is None


# --- in the build ---------------------------------------------------------------------------------


@pytest.fixture
def sinks(tmp_path, monkeypatch) -> list[Any]:
    """The staging sink of each build (what this process moved back: ``reused``), in order."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    monkeypatch.setenv("CONGKHAI_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("CONGKHAI_CACHE_KEY", raising=False)
    monkeypatch.setenv("CONGKHAI_WORKERS", "2")
    seen: list[Any] = []

    class Spy(publish_site.Staging):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            seen.append(self)

    monkeypatch.setattr(publish_site, "Staging", Spy)
    return seen


def _build(repo: Path, out: Path) -> int:
    code = main(["build", "--root", str(repo), "--out", str(out)])
    publish_site.wait_removals()
    return code


def _clean(repo: Path, out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as m:
        m.setenv("CONGKHAI_CACHE", "off")
        assert _build(repo, out) == 0


def _kept(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "staged"


def test_a_rebuild_moves_back_what_is_unchanged_and_equals_a_clean_build(tmp_path, monkeypatch, sinks):
    monkeypatch.setenv("CONGKHAI_WORKERS", "1")  # every page written here: what is moved back is seen
    repo = copy_sources(tmp_path / "repo")
    assert _build(repo, tmp_path / "site") == 0
    assert sinks[-1].reused == 0 and (_kept(tmp_path) / PLAN_MD).is_file()
    # the files every build makes anew on disk are not kept (they are never compared, only moved in)
    for made in ("data/cong-khai.sqlite", "data/cong-khai.xlsx", "data/plans.csv"):
        assert (tmp_path / "site" / made).is_file() and not (_kept(tmp_path) / made).exists(), made
    written = sum(1 for p in _kept(tmp_path).rglob("*") if p.is_file())
    plan = repo / PLAN
    plan.write_text(plan.read_text(encoding="utf-8") + "\nMột đoạn được thêm sau khi ban hành.\n", encoding="utf-8")
    assert _build(repo, tmp_path / "site") == 0
    assert sinks[-1].reused > written / 2, (sinks[-1].reused, written)
    assert "Một đoạn được thêm" in (_kept(tmp_path) / PLAN_MD).read_text(encoding="utf-8")
    _clean(repo, tmp_path / "clean", monkeypatch)
    assert differences(tmp_path / "site", tmp_path / "clean") == []


def test_what_the_build_no_longer_makes_does_not_reach_the_site(tmp_path, monkeypatch, sinks):
    repo = copy_sources(tmp_path / "repo")
    extra = repo / "docs" / "huong-dan" / "tam-thoi.md"
    extra.write_text("# Trang tạm thời\n\nSẽ bị xoá.\n", encoding="utf-8")
    assert _build(repo, tmp_path / "site") == 0
    assert (tmp_path / "site" / "huong-dan" / "tam-thoi" / "index.html").is_file()
    assert (_kept(tmp_path) / "huong-dan" / "tam-thoi.md").is_file()
    extra.unlink()
    assert _build(repo, tmp_path / "site") == 0
    assert sinks[-1].reused > 0
    assert not (tmp_path / "site" / "huong-dan" / "tam-thoi").exists()
    assert not (_kept(tmp_path) / "huong-dan" / "tam-thoi.md").exists()
    _clean(repo, tmp_path / "clean", monkeypatch)
    assert differences(tmp_path / "site", tmp_path / "clean") == []


def test_a_kept_file_changed_behind_the_builds_back_is_written_again(tmp_path, monkeypatch, sinks):
    """The kept folder lives in the cache, which CI restores from elsewhere: it is data, compared
    byte for byte, never trusted."""
    repo = copy_sources(tmp_path / "repo")
    assert _build(repo, tmp_path / "site") == 0
    page = _kept(tmp_path) / PLAN_MD
    text = page.read_bytes()
    payload = b"<script>alert(1)</script>\n\n"
    forged = payload + text[len(payload) :]
    assert forged != text and len(forged) == len(text)
    page.unlink()  # a new file: the published site's copy keeps its bytes
    page.write_bytes(forged)
    assert _build(repo, tmp_path / "site") == 0
    assert sinks[-1].reused > 0
    assert b"alert(1)" not in (tmp_path / "site" / "plans/bac-kan/bac-kan-2023-276-ubnd-ncpc/index.html").read_bytes()
    _clean(repo, tmp_path / "clean", monkeypatch)
    assert differences(tmp_path / "site", tmp_path / "clean") == []


def test_a_kept_folder_holding_a_link_is_not_used(tmp_path, monkeypatch, sinks):
    repo = copy_sources(tmp_path / "repo")
    assert _build(repo, tmp_path / "site") == 0
    secret = tmp_path / "secret.txt"
    secret.write_text("mật", encoding="utf-8")
    (_kept(tmp_path) / "bi-mat.txt").symlink_to(secret)
    assert _build(repo, tmp_path / "site") == 0
    assert sinks[-1].reused == 0
    assert not (tmp_path / "site" / "bi-mat.txt").exists()
    assert not any(p.is_symlink() for p in _kept(tmp_path).rglob("*"))
    _clean(repo, tmp_path / "clean", monkeypatch)
    assert differences(tmp_path / "site", tmp_path / "clean") == []


def test_a_failed_build_leaves_the_published_files_that_share_the_kept_ones_intact(tmp_path, monkeypatch, sinks):
    """MkDocs hard-links the staged data files into the site, so the site's files are the kept
    folder's: a build that reuses and replaces them, then fails, must not have changed one byte."""
    repo = copy_sources(tmp_path / "repo")
    site = tmp_path / "site"
    assert _build(repo, site) == 0
    bundle = "data/ke-hoach/bac-kan-2023-276-ubnd-ncpc.json"  # the plan's own data, made in memory
    shared = site / bundle
    assert shared.stat().st_ino == (_kept(tmp_path) / bundle).stat().st_ino  # one file, two names
    before = tree(site)
    plan = repo / PLAN
    plan.write_text(
        plan.read_text(encoding="utf-8").replace("title: ", "title: Đã sửa — ", 1), encoding="utf-8"
    )  # its data changes
    (repo / "docs" / "huong-dan" / "hong.md").write_text("[liên kết hỏng](khong-co.md)\n", encoding="utf-8")
    assert _build(repo, site) != 0  # strict MkDocs: the broken link fails the build after the render
    assert tree(site) == before
    os.remove(repo / "docs" / "huong-dan" / "hong.md")
    assert _build(repo, site) == 0
    assert "Đã sửa" in json.dumps(json.loads((site / bundle).read_text(encoding="utf-8")), ensure_ascii=False)


def test_the_workers_write_the_pages_they_make(tmp_path, monkeypatch, sinks):
    """With worker processes, each page is written by the worker that made it (sent back, every
    page was written by the main process alone: the render stage's slowest part at 10,000 plans),
    and the site is the one a build in one process makes."""
    monkeypatch.setattr(parallel, "MIN_JOBS", 1)  # workers even for the seed's few pages
    writers = tmp_path / "writers"
    real = publish_site.Staging.page

    def spy(self: Any, path: str, text: str) -> None:
        with writers.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\t{path}\n")
        real(self, path, text)

    monkeypatch.setattr(publish_site.Staging, "page", spy)
    repo = copy_sources(tmp_path / "repo")
    assert _build(repo, tmp_path / "site") == 0
    plan_page = PLAN_MD
    by: dict[str, set[str]] = {}
    order = [tuple(line.split("\t")) for line in writers.read_text(encoding="utf-8").splitlines()]
    for pid, path in order:
        by.setdefault(path, set()).add(pid)
    main_pid = str(os.getpid())
    assert by[plan_page] != {main_pid}, by[plan_page]  # a plan's page, written by a worker
    assert any(main_pid not in pids for path, pids in by.items() if path.startswith("units/"))  # a body's
    follow = [pids for path, pids in by.items() if path.startswith(("nguon-tin/don-vi/", "nguon-tin/tinh/"))]
    assert follow and all(main_pid not in pids for pids in follow)  # bodies' and provinces' feeds
    page_workers = by[plan_page] | {pid for path, pids in by.items() if path.startswith("units/") for pid in pids}
    assert len(page_workers - {main_pid}) >= 2  # by more than one worker
    # the site's own pages: by the main process once the workers have ended (made by a worker on top
    # of what it had grown to, they were the build's memory peak at 10,000 plans)
    assert by["index.md"] == by["thong-ke.md"] == {main_pid}
    site_first = order.index((main_pid, "index.md"))
    assert site_first > max(i for i, (pid, _) in enumerate(order) if pid in page_workers - {main_pid})
    with monkeypatch.context() as m:
        m.setenv("CONGKHAI_WORKERS", "1")
        _clean(repo, tmp_path / "clean", monkeypatch)
    assert differences(tmp_path / "site", tmp_path / "clean") == []


def test_the_site_pages_failing_is_named_and_the_site_is_kept(tmp_path, monkeypatch, sinks, capsys):
    """The site's own pages are made by the build process after the page workers: a full disk met
    there stops the build with the file and the cause named, and the published site is the
    previous one."""
    import errno

    from congkhai.render import site as render_site

    monkeypatch.setattr(parallel, "MIN_JOBS", 1)
    repo = copy_sources(tmp_path / "repo")
    assert _build(repo, tmp_path / "site") == 0
    before = tree(tmp_path / "site")

    def full(*args: Any) -> dict[str, str]:
        raise OSError(errno.ENOSPC, "No space left on device", "trang-chu/index.md")

    monkeypatch.setattr(render_site, "_site_pages", full)
    capsys.readouterr()
    assert _build(repo, tmp_path / "site") == 74
    err = capsys.readouterr().err
    assert "Lỗi nội bộ" not in err and "Traceback" not in err
    assert "trang-chu/index.md" in err and "chỗ trống trên đĩa" in err
    assert tree(tmp_path / "site") == before


def test_a_page_a_worker_cannot_write_is_named_and_the_site_is_kept(tmp_path, monkeypatch, sinks, capsys):
    """A full disk or a folder not writable, met by a worker writing its pages: the file and the
    reason are named with what to check, never "internal error", and the previous site is kept."""
    import errno

    monkeypatch.setattr(parallel, "MIN_JOBS", 1)
    repo = copy_sources(tmp_path / "repo")
    assert _build(repo, tmp_path / "site") == 0
    before = tree(tmp_path / "site")
    real = publish_site.Staging.page
    parent = os.getpid()

    def full(self: Any, path: str, text: str) -> None:
        if path == PLAN_MD and os.getpid() != parent:
            raise OSError(errno.ENOSPC, "No space left on device", str(self.bodies_dir / path))
        real(self, path, text)

    monkeypatch.setattr(publish_site.Staging, "page", full)
    capsys.readouterr()
    assert _build(repo, tmp_path / "site") == 74
    err = capsys.readouterr().err
    assert "Lỗi nội bộ" not in err and "Traceback" not in err
    assert PLAN_MD in err and "No space left on device" in err and "chỗ trống trên đĩa" in err
    assert "trang cũ (nếu có) được giữ nguyên" in err
    assert tree(tmp_path / "site") == before
