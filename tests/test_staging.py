"""The staging folder written into again: unchanged files left in place, changed ones written as new
files (never into a kept one), and what no process of the build wrote removed."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from pathlib import Path

from congkhai.publish import keptpages
from congkhai.publish.staging import Staging


def _kept(folder: Path, files: dict[str, bytes]) -> list[str]:
    for rel, data in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
    listed = keptpages.listing(folder)
    assert listed is not None
    return listed


def _in_child(staging: Staging, rel: str, data: bytes) -> None:
    staging.put(rel, data)


def test_what_no_process_wrote_is_swept_and_the_rest_stays(tmp_path):
    pages = tmp_path / "pages"
    kept = _kept(
        pages,
        {"plans/a.md": b"# A\n", "plans/b.md": b"# B\n", "plans/gone.md": b"# C\n", "data/x.json": b"{}", "k.md": b"k"},
    )
    staging = Staging(pages, kept)
    inode = (pages / "plans" / "a.md").stat().st_ino
    staging.put("plans/a.md", b"# A\n")  # the same bytes: left in place
    staging.page("plans/b.md", "# B đã sửa\n")  # other bytes: a new file
    assert staging.keep("k.md", hashlib.sha256(b"k").hexdigest())
    child = multiprocessing.get_context("fork").Process(target=_in_child, args=(staging, "data/x.json", b"{}"))
    child.start()
    child.join()
    assert child.exitcode == 0
    staging.put("plans/new.md", b"# N\n")
    assert staging.sweep() == 1  # plans/gone.md: written by no process
    assert sorted(keptpages.listing(pages) or []) == ["data/x.json", "k.md", "plans/a.md", "plans/b.md", "plans/new.md"]
    assert (pages / "plans" / "a.md").stat().st_ino == inode and staging.reused == 2
    assert (pages / "plans" / "b.md").read_text(encoding="utf-8") == "# B đã sửa\n"


def test_a_kept_file_shared_with_the_site_is_never_written_into(tmp_path):
    pages, site = tmp_path / "pages", tmp_path / "site"
    kept = _kept(pages, {"data/plans.csv": b"id\n1\n"})
    site.mkdir()
    os.link(pages / "data" / "plans.csv", site / "plans.csv")  # MkDocs links staged files into the site
    staging = Staging(pages, kept)
    staging.file("plans.csv", b"id\n2\n")
    assert (site / "plans.csv").read_bytes() == b"id\n1\n"  # the published file keeps its bytes
    assert (pages / "data" / "plans.csv").read_bytes() == b"id\n2\n"


def test_a_kept_file_where_a_folder_goes_and_a_folder_where_a_file_goes(tmp_path):
    pages = tmp_path / "pages"
    kept = _kept(pages, {"a": b"file", "b/c.md": b"x"})
    staging = Staging(pages, kept)
    staging.put("a/index.md", b"# A\n")
    staging.put("b", b"now a file")
    staging.sweep()
    assert (pages / "a" / "index.md").read_bytes() == b"# A\n" and (pages / "b").read_bytes() == b"now a file"


def test_without_a_kept_folder_nothing_is_logged_or_swept(tmp_path):
    staging = Staging(tmp_path / "pages")
    staging.put("a.md", b"# A\n")
    assert not staging.keep("a.md", hashlib.sha256(b"# A\n").hexdigest())
    assert staging.sweep() == 0 and (tmp_path / "pages" / "a.md").is_file()
    assert not list(tmp_path.glob(".pages-touched-*"))
