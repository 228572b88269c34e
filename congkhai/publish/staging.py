"""The folder the render stage writes into and MkDocs reads: the previous build's, written into again.

Every generated page (Markdown) and data file goes through :class:`Staging`. After a one-plan
change almost every file is what the previous build wrote, so the previous build's folder, kept in
the cache (:mod:`.keptpages`), *is* the new one: a file that already holds exactly the bytes to
write is left as it is (compared byte for byte: a damaged or forged one is written again), a
changed one is written as a new file renamed over it, and the files this build did not write are
removed before MkDocs reads the folder (:meth:`Staging.sweep`). Before, the kept files were moved
one by one into a new folder: 22,000 folders made and 111,000 files renamed at 10,000 plans, 5–7
CPU seconds of a one-plan rebuild (BENCHMARKS.md, session 17).

Which files a build wrote is known across its processes (the pages are made by forked workers, the
data files by another process): each process appends the name of every file it writes or keeps to
a log of its own beside the folder, in one unbuffered ``write`` (nothing to flush, nothing lost
when a worker exits); :meth:`Staging.sweep` reads them all.

A file is never written into: MkDocs hard-links the staged static files into the site
(:func:`.engine.copy_static`), so a kept file may be a file of the published site, which keeps its
bytes whatever this build does (a failed build leaves the previous site intact).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath

from ..load import blobs
from . import keptpages

#: what separates the names in a log: a name never holds it
_END = b"\0"


class Staging:
    """The render stage's sink (:class:`.render.sink.Sink`) of a build: each generated page written
    into the staging folder as it is made, each data file under its ``data/`` (where MkDocs copies
    them and checks links to them), the same bytes ``stage_docs`` and ``datasets.write`` write.

    ``kept``: the files (relative paths) ``bodies_dir`` already holds — the previous build's folder,
    taken by :func:`.keptpages.take_previous` — or ``None`` for a new, empty folder."""

    shared = True  # the data files, made in a forked process, are written there

    def __init__(self, bodies_dir: Path, kept: Iterable[str] | None = None) -> None:
        self.bodies_dir = bodies_dir
        # a set: every file written asks whether it is kept (110,000 files at 10,000 plans)
        self.kept: frozenset[str] | None = None if kept is None else frozenset(kept)
        self.made: set[Path] = set()  # folders made already: each made once, not once per page
        self.reused = 0  # kept files left in place, holding the bytes to write (in this process)
        self.written: dict[str, str] | None = None  # while :meth:`recording`: path → its SHA-256
        self._log: tuple[int, int] | None = None  # (process, its log's descriptor)

    def page(self, path: str, text: str) -> None:
        self.put(path, text.encode("utf-8"))

    def keep(self, path: str, sha256: str) -> bool:
        """The previous build's page ``path`` left in place if its bytes have the digest ``sha256``
        (:mod:`congkhai.render.deps`: a job whose inputs did not change); False when there is no
        previous build or no such file: the caller renders it."""
        parts = PurePosixPath(path).parts
        if self.kept is None or path not in self.kept or not parts or path.startswith("/") or ".." in parts:
            return False
        if blobs.read(self.bodies_dir / path, sha256) is None:  # not a link, a regular file, those bytes
            return False
        self._touch(path)
        self.reused += 1
        return True

    @contextlib.contextmanager
    def recording(self) -> Iterator[dict[str, str]]:
        """The paths written in the block (pages relative to the staging folder) and their bytes'
        SHA-256, what :meth:`keep` is given by the next build."""
        self.written = {}
        try:
            yield self.written
        finally:
            self.written = None

    def file(self, path: str, data: bytes) -> None:
        self.put(f"data/{path}", data)

    def put(self, rel: str, data: bytes) -> None:
        """``data`` as the file ``rel`` of the staging folder."""
        target = self.bodies_dir / rel
        self._folder(target.parent)
        if self.written is not None:
            self.written[rel] = hashlib.sha256(data).hexdigest()
        self._touch(rel)
        if self.kept is not None:
            if rel in self.kept and keptpages.holds(target, data):
                self.reused += 1
                return
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)  # the previous build's folder where this build writes a file
            if rel in self.kept:
                blobs.replace(target, data)  # a new file renamed over the kept one, never written into
                return
        try:
            fh = open(target, "xb")  # noqa: SIM115 (a new file: never into one a link may share)
        except FileExistsError:  # a generated page over a hand-written one
            target.unlink()
            fh = open(target, "xb")  # noqa: SIM115
        with fh:
            fh.write(data)

    def file_from(self, path: str, source: Path) -> None:
        """A data file made on disk, moved into place (its bytes never read into memory).

        Such a file (a table's CSV, the workbook, the SQLite file) is made anew by every build and
        never compared: it is listed (:meth:`moved`), so the kept folder does not carry it."""
        target = self.bodies_dir / "data" / path
        self._folder(target.parent)
        self._touch(f"data/{path}")
        shutil.move(source, target)  # a rename: over a kept file, never into it
        with (self.bodies_dir.parent / f".{self.bodies_dir.name}-moved").open("a", encoding="utf-8") as log:
            log.write(f"data/{path}\n")  # appended by whichever process made it (the data side's)

    def moved(self) -> list[str]:
        """The files :meth:`file_from` moved in (by any process), relative to the staging folder."""
        try:
            text = (self.bodies_dir.parent / f".{self.bodies_dir.name}-moved").read_text(encoding="utf-8")
        except OSError:
            return []
        return text.splitlines()

    def sweep(self) -> int:
        """Remove the kept files no process of this build wrote or kept (a plan, a page, a list
        stretch that went away): the folder then holds exactly what this build made. Call once
        every writer has finished; returns how many were removed."""
        if self._log is not None and self._log[0] == os.getpid():
            os.close(self._log[1])
            self._log = None
        if self.kept is None:
            return 0
        touched: set[str] = set()
        for log in self.bodies_dir.parent.glob(f".{self.bodies_dir.name}-touched-*"):
            touched.update(name.decode("utf-8", "surrogateescape") for name in log.read_bytes().split(_END) if name)
        gone = 0
        for rel in self.kept:
            if rel not in touched:
                # gone already, or this build put a folder there (or a file where its folder was)
                with contextlib.suppress(FileNotFoundError, IsADirectoryError, NotADirectoryError):
                    (self.bodies_dir / rel).unlink()
                    gone += 1
        return gone

    def _touch(self, rel: str) -> None:
        """Note ``rel`` as this build's, in this process's log (see the module's docstring)."""
        if self.kept is None:
            return
        pid = os.getpid()
        if self._log is None or self._log[0] != pid:  # a forked worker opens its own
            log = self.bodies_dir.parent / f".{self.bodies_dir.name}-touched-{pid}"
            flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
            self._log = (pid, os.open(log, flags, 0o600))
        os.write(self._log[1], rel.encode("utf-8", "surrogateescape") + _END)

    def _folder(self, folder: Path) -> None:
        if folder not in self.made:
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except (FileExistsError, NotADirectoryError):
                if self.kept is None:
                    raise
                self._clear_path(folder)  # a kept file where this build needs a folder
                folder.mkdir(parents=True, exist_ok=True)
            self.made.add(folder)

    def _clear_path(self, folder: Path) -> None:
        for part in (folder, *folder.parents):
            if part == self.bodies_dir:
                return
            if part.is_symlink() or (part.exists() and not part.is_dir()):
                part.unlink()
