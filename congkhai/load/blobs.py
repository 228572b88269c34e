"""Files kept in the cache as they are published, and published from it by a hard link.

After a one-plan change nearly every page of the site, and every display file of the search index,
is what the previous build published. Writing them again was creating some 80,000 files at 10,000
plans: on this project's disk about 300 µs a file (the kernel's allocation and the writeback of
gigabytes), against 15 µs for a hard link (BENCHMARKS.md, session 15). So the page cache keeps a
built page's bytes as a file of their own (a *blob*), linked to the site's file when the page is
kept (no copy), and a later build links the blob into its site instead of writing it.

The cache is data, never trusted (:mod:`.plancache`): the signed entry names the blob's SHA-256, and
:func:`publish` reads the blob through a descriptor that does not follow links and checks that
digest, links the blob's path, and keeps the link only if it names *that open file* (device and
inode): what is published is exactly what was checked, even if the path were swapped meanwhile. A
blob that is missing, a link, or holds other bytes is refused and the page made again. Where a
link cannot be made (another file system) the checked bytes are written instead.

A linked file is shared by the cache and the site, so nothing may write into a file of the site in
place: every writer of this program writes a new file and renames it over the old one.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from pathlib import Path

_OPEN = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def digest(data: bytes) -> str:
    """The digest an entry names its blob by (hex SHA-256 of the bytes)."""
    return hashlib.sha256(data).hexdigest()


def keep(blob: Path, data: bytes, source: Path | None = None) -> bool:
    """Keep ``data`` in the cache as ``blob``: a hard link to ``source`` when that file holds them (a
    file of the site just built: nothing copied), else a new file. Atomic (a killed build leaves no
    half-written blob); False when it could not be kept (a full or read-only disk: the page is
    only rendered again next time)."""
    try:
        blob.parent.mkdir(parents=True, exist_ok=True)
        if source is None or not _link_as(source, blob):
            replace(blob, data)
    except OSError:
        return False
    return True


def _link_as(source: Path, blob: Path) -> bool:
    """``source`` hard-linked as ``blob``, over what is there in one step; False (nothing left
    behind) when no link can be made (another file system)."""
    tmp = blob.with_name(f".{blob.name}.{os.getpid()}")
    try:
        tmp.unlink(missing_ok=True)
        os.link(source, tmp, follow_symlinks=False)
        os.replace(tmp, blob)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        return False
    return True


def _open_checked(blob: Path, expected: str) -> tuple[int, bytes] | None:
    """The blob opened (its descriptor, for the caller to close) and its bytes, if it is a regular
    file, not a link, whose digest is ``expected``; else None."""
    try:
        fd = os.open(blob, _OPEN)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError
        with os.fdopen(os.dup(fd), "rb") as fh:
            data = fh.read()
        if digest(data) != expected:
            raise OSError
    except OSError:
        os.close(fd)
        return None
    return fd, data


def read(blob: Path, expected: str) -> bytes | None:
    """The blob's bytes if their digest is ``expected`` (a regular file, not a link), else None."""
    found = _open_checked(blob, expected)
    if found is None:
        return None
    os.close(found[0])
    return found[1]


def publish(blob: Path, expected: str, target: Path) -> bytes | None:
    """Put the cache's ``blob`` at ``target`` (a path where no file is; its folder made) if it holds
    the bytes whose digest is ``expected``: the checked file itself hard-linked, or else those
    bytes written. Returns the bytes, or None when the blob is refused (nothing is written then)."""
    found = _open_checked(blob, expected)
    if found is None:
        return None
    fd, data = found
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if not _link_same(blob, fd, target):
            with open(target, "xb") as out:
                out.write(data)
    finally:
        os.close(fd)
    return data


def _link_same(blob: Path, fd: int, target: Path) -> bool:
    """Hard-link ``blob`` at ``target`` if that makes ``target`` the file open at ``fd``; False
    (and no link left) otherwise."""
    try:
        os.link(blob, target, follow_symlinks=False)
    except OSError:
        return False
    opened, linked = os.fstat(fd), os.stat(target, follow_symlinks=False)
    if (opened.st_dev, opened.st_ino) == (linked.st_dev, linked.st_ino):
        return True
    target.unlink()
    return False


def replace(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` as a new file renamed over the old one, never into it: the old
    file may be a blob linked into the cache and the published site."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.new")
    try:
        with open(tmp, "xb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
