"""The previous site's folders, kept so that a build does not make 60,000 folders again.

A site of 10,000 plans is some 60,000 folders (a page is ``<address>/index.html``). Making a
folder is the slowest thing our disk does for a build — 50–180 µs each on the benchmark machine,
ten times the cost of linking a file — and a rebuild made all of them again: 14 CPU seconds of a
one-plan rebuild (BENCHMARKS.md, session 17). The files themselves are cheap (hard links of the
page cache's blobs); the folders are not.

So the site a build replaces is not deleted: :func:`give` moves it into the cache
(``<cache>/site-spare``), and the next build :func:`take`\\ s it as the folder MkDocs writes into,
after removing every file in it (:meth:`Spare.empty`, in a process of its own while the pages are
rendered: in a thread, its walk of 60,000 folders held the interpreter's lock that the build
process's own work before the page workers start needs);
only the folders stay. Every writer then finds no file where it writes — exactly as in a new
folder: no file is ever written into one that a link shares with the cache or the published site.
After the build, the folders that stayed empty (a page that went away) are removed
(:meth:`Spare.prune`), so the tree is the one a build into a new folder makes (a built site has no
empty folder; ``tests/test_sparetree.py``).

Safety: the kept folder is data, like the rest of the cache. Nothing in it is read or followed:
files and links of any kind are removed (a link is removed, never followed), folders walked without
following links. A folder that cannot be emptied (permissions, another owner) makes the spare
unusable: it is set aside (removed with the staging folder) and the build writes into a new folder.
A build that fails leaves the spare in its staging folder, removed with it: the next build makes its
folders again. Two builds never share one (CI's concurrency group; a second build finds no spare).
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable
from pathlib import Path

from ..load.plancache import SPARE, cache_dir
from ..parallel import background


class Spare:
    """The previous site's folders at ``folder`` (the build's site folder), emptied of files in a
    process started by :func:`take`; :meth:`wait` before anything is written there."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.folders: list[str] = []  # every folder kept, parents first
        self.usable = True
        self._emptying: Callable[[], bool] | None = None

    def empty(self) -> None:
        """Remove every file and link under the folder; keep the folders (recorded, parents first)."""
        me = os.geteuid() if hasattr(os, "geteuid") else None
        try:
            for top, dirs, files in os.walk(self.folder, followlinks=False, onerror=self._refuse):
                info = os.lstat(top)
                if not stat.S_ISDIR(info.st_mode) or (me is not None and info.st_uid != me):
                    self.usable = False
                    return
                if info.st_mode & stat.S_IRWXU != stat.S_IRWXU:
                    self.usable = False  # a folder we could not write in: a new folder instead
                    return
                self.folders.append(top)
                for name in list(dirs):
                    path = os.path.join(top, name)
                    if os.path.islink(path):  # a link to a folder: removed, not followed
                        os.unlink(path)
                        dirs.remove(name)
                for name in files:
                    os.unlink(os.path.join(top, name))
        except OSError:
            self.usable = False

    def _refuse(self, _: OSError) -> None:
        self.usable = False

    def _emptied(self) -> bool:
        """:meth:`empty` (any failure of it makes the spare unusable, never the build fail), the
        folders kept written beside the spare (:meth:`_listed`): the process then ends at once. A
        forked process lives until its result is read, holding the pages the build process writes
        afterwards (copy on write): 60,000 folder names would have kept it to the end of the render,
        the build's memory peak."""
        try:
            self.empty()
            if self.usable:
                self._listed().write_bytes("\0".join(self.folders).encode("utf-8", "surrogateescape"))
        except Exception:
            return False
        return self.usable

    def _listed(self) -> Path:
        return self.folder.with_name(f".{self.folder.name}-folders")

    def start(self) -> Spare:
        """Start :meth:`empty` in a forked process (with one worker: here, now)."""
        self._emptying = background(self._emptied)
        return self

    def join(self) -> None:
        """Wait for :meth:`empty` to end (a failed build, before its staging folder is removed). An
        emptying that failed for any reason (its process too) costs only the reuse: not usable."""
        emptying, self._emptying = self._emptying, None
        if emptying is None:
            return
        try:
            self.usable = emptying()
            listed = self._listed()
            names = listed.read_bytes().decode("utf-8", "surrogateescape").split("\0") if self.usable else []
            self.folders = [name for name in names if name]
            listed.unlink(missing_ok=True)
        except Exception:
            self.usable, self.folders = False, []

    def wait(self, aside: Path) -> bool:
        """Wait for :meth:`empty`; True when the folder is ready to write into. When it is not, it
        is moved to ``aside`` (removed later with the staging folder) and False is returned: the
        caller writes into a new folder at the same place."""
        self.join()
        if self.usable:
            return True
        os.rename(self.folder, aside)
        return False

    def prune(self) -> None:
        """Remove the kept folders that stayed empty, children first (a folder that holds
        something is left: ``rmdir`` refuses it)."""
        for folder in reversed(self.folders):
            with contextlib.suppress(OSError):
                os.rmdir(folder)


def take(root: Path, into: Path) -> Spare | None:
    """Move the spare site of ``root``'s cache to ``into`` (a path where nothing is) and start
    emptying it; ``None`` when there is none or it cannot be moved (another file system, another
    build took it)."""
    folder = cache_dir(root)
    if folder is None:
        return None
    spare = folder / SPARE
    try:
        if spare.is_symlink() or not spare.is_dir():
            return None
        os.rename(spare, into)
    except OSError:
        return None
    return Spare(into).start()


def give(old_site: Path, root: Path) -> bool:
    """Keep the site a build has just replaced, ``old_site``, as the next build's spare; False when
    it is not kept (no cache, another file system, a spare already there): the caller removes it."""
    folder = cache_dir(root)
    if folder is None or old_site.is_symlink() or not old_site.is_dir():
        return False
    spare = folder / SPARE
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if spare.is_symlink() or spare.is_file():
            spare.unlink()  # not a folder: nothing a build made, nothing to keep
        if spare.exists():
            return False
        os.rename(old_site, spare)
    except OSError:
        return False
    return True
