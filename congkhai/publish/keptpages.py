"""The previous build's staged pages, kept so that a build writes only the files that changed.

The render stage writes every generated page (Markdown) and data file into a staging folder that
MkDocs reads. At 10,000 plans that is some 60,000 files, and after a one-plan change almost all of
them are what the previous build wrote: creating them again was about half of a rebuild's render
stage (BENCHMARKS.md, session 12). So a successful build keeps its staging folder in the cache
(``<cache>/staged``), and the next build takes it as its own staging folder (:func:`take_previous`)
and writes into it again (:mod:`.staging`): a file that holds exactly the bytes to write is left
as it is (:func:`holds`: compared byte for byte, so a kept file that was damaged or tampered with
is simply written again), and what the build did not write is removed before MkDocs reads the
folder: it holds exactly what this build made, as a new folder would.

Safety, by construction:

* the kept folder is used only if it is a real folder with no symbolic link anywhere in it (a cache
  restored from elsewhere is data: :func:`listing`), and a file is kept only if it is a regular file
  of the right size opened without following a link;
* a file is never written in place: MkDocs hard-links the staged static files into the site
  (:func:`.engine.copy_static`), so a kept file may be a file of the published site; a changed
  file is always a new file, and the published one keeps its bytes (a failed build leaves the
  previous site intact);
* a build that fails, or two builds at once, cost only the reuse: the folder taken is deleted
  with the failed build's staging folder, and a build that finds no kept folder (another build
  took it) writes everything.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from ..load.plancache import STAGED, cache_dir


def take_previous(root: Path, into: Path, aside: Path) -> list[str] | None:
    """Move the kept folder of ``root``'s cache to ``into`` (the build's staging folder, written
    into again: :mod:`.staging`) and return the files it holds (relative paths); ``None`` when there
    is none, it cannot be moved (another file system, another build took it) or it is not usable
    (:func:`listing`: then it is moved on to ``aside``, deleted with the staging folder, and the
    caller starts from an empty folder at ``into``)."""
    folder = cache_dir(root)
    if folder is None:
        return None
    kept = folder / STAGED
    try:
        os.rename(kept, into)
    except OSError:
        return None
    files = listing(into)
    if files is None:
        os.rename(into, aside)
    return files


def usable(folder: Path) -> bool:
    """A real folder with no symbolic link anywhere under it (nothing in it can lead out)."""
    return listing(folder) is not None


def listing(folder: Path) -> list[str] | None:
    """The files under ``folder`` (relative paths), or ``None`` unless it is a real folder with no
    symbolic link and nothing but folders and regular files anywhere under it."""
    if folder.is_symlink() or not folder.is_dir():
        return None
    files: list[str] = []
    for top, dirs, names in os.walk(folder, followlinks=False):
        base = os.path.relpath(top, folder).replace(os.sep, "/")
        prefix = "" if base == "." else f"{base}/"
        for name in dirs:
            if os.path.islink(os.path.join(top, name)):
                return None
        for name in names:
            if not stat.S_ISREG(os.lstat(os.path.join(top, name)).st_mode):
                return None
            files.append(prefix + name)
    return files


def keep(pages: Path, root: Path, drop: Iterable[str] = ()) -> bool:
    """After a successful build: keep its staging folder ``pages`` in the cache for the next build,
    without the files ``drop`` names (relative to it: files every build makes anew, never reused,
    which would only make the cache larger). False when not kept (no cache, another file system, a
    kept folder already there)."""
    folder = cache_dir(root)
    if folder is None:
        return False
    for rel in drop:
        if rel.startswith("/") or ".." in rel.split("/"):
            continue  # only files inside the folder (the names are the program's own)
        with contextlib.suppress(OSError):
            (pages / rel).unlink()  # the site's copy is a link of its own
    try:
        folder.mkdir(parents=True, exist_ok=True)
        os.rename(pages, folder / STAGED)
    except OSError:
        return False
    return True


def holds(path: Path, data: bytes) -> bool:
    """Whether ``path`` is a regular file holding exactly ``data`` (opened without following a link;
    missing, a link or other bytes: False, and the caller writes ``data`` as a new file)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return False
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size != len(data):
            return False
        with os.fdopen(os.dup(fd), "rb") as fh:
            return fh.read() == data
    finally:
        os.close(fd)
