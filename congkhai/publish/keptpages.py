"""The previous build's staged pages, kept so that a build writes only the files that changed.

The render stage writes every generated page (Markdown) and data file into a staging folder that
MkDocs reads. At 10,000 plans that is some 60,000 files, and after a one-plan change almost all of
them are what the previous build wrote: creating them again was about half of a rebuild's render
stage (BENCHMARKS.md, session 12). So a successful build keeps its staging folder in the cache
(``<cache>/staged``), and the next build moves it aside (:func:`take_previous`) and, for each file it
is about to write, moves the previous file into place instead when it holds exactly the same bytes
(:func:`reuse`: compared byte for byte, so a kept file that was damaged or tampered with is simply
written again). Whatever the build does not write stays behind in the previous folder and is
deleted with the staging folder: the new folder holds exactly what this build made, as before.

Safety, by construction:

* the kept folder is used only if it is a real folder with no symbolic link anywhere in it (a cache
  restored from elsewhere is data: :func:`usable`), and a file is moved only if it is a regular file
  of the right size opened without following a link;
* a file is never written in place: MkDocs hard-links the staged static files into the site
  (:func:`.engine.copy_static`), so a kept file may be a file of the published site; a changed
  file is always a new file, and the published one keeps its bytes (a failed build leaves the
  previous site intact);
* a build that fails, or two builds at once, cost only the reuse: the folder moved aside is
  deleted with the failed build's staging folder, and a build that finds no kept folder (another
  build took it) writes everything.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from ..load import blobs
from ..load.plancache import STAGED, cache_dir


def take_previous(root: Path, into: Path) -> Path | None:
    """Move the kept folder of ``root``'s cache to ``into`` (in the staging folder, so it is deleted
    with it); ``None`` when there is none, it cannot be moved (another file system, another build
    took it) or it is not :func:`usable` (then it is moved and left to be deleted all the same)."""
    folder = cache_dir(root)
    if folder is None:
        return None
    kept = folder / STAGED
    try:
        os.rename(kept, into)
    except OSError:
        return None
    return into if usable(into) else None


def usable(folder: Path) -> bool:
    """A real folder with no symbolic link anywhere under it (nothing moved from it can lead out)."""
    if folder.is_symlink() or not folder.is_dir():
        return False
    for _, dirs, files in os.walk(folder, followlinks=False):
        for name in dirs:
            if os.path.islink(os.path.join(_, name)):
                return False
        for name in files:
            if not stat.S_ISREG(os.lstat(os.path.join(_, name)).st_mode):
                return False
    return True


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


def reuse_digest(previous: Path, target: Path, sha256: str) -> bool:
    """Move ``previous`` to ``target`` if it is a regular file whose bytes have the digest
    ``sha256`` (a job skipped whole names its pages so: :mod:`congkhai.render.deps`; checked as a
    cache's kept file is, :func:`.load.blobs.read`); False when it does not (missing, a link,
    other bytes)."""
    if blobs.read(previous, sha256) is None:
        return False
    try:
        os.rename(previous, target)
    except OSError:
        return False
    return True


def reuse(previous: Path, target: Path, data: bytes) -> bool:
    """Move ``previous`` to ``target`` if it is a regular file holding exactly ``data``; False when
    it does not (missing, a link, other bytes): the caller writes ``data`` itself."""
    try:
        fd = os.open(previous, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return False
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size != len(data):
            return False
        with os.fdopen(os.dup(fd), "rb") as fh:
            if fh.read() != data:
                return False
    finally:
        os.close(fd)
    try:
        os.rename(previous, target)
    except OSError:
        return False
    return True
