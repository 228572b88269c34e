"""Reproducible builds: the one declared list of what may differ between two builds of the same sources.

Two builds of the same sources with the same declared inputs — the reference date (``--today``,
the clock's date when not given) and, outside a git checkout, ``SOURCE_DATE_EPOCH`` (the datasets'
"last changed" time) — give byte-identical datasets and pages, whatever the folder they are built
in, the working directory, time zone, locale, hash seed or time of day. The only bytes allowed to
differ are the build timestamps declared in :data:`BUILD_TIMESTAMPS`, each in one file, matching
one pattern; nothing under ``data/`` (the datasets) is ever masked. With ``SOURCE_DATE_EPOCH`` set
the build timestamps come from it too, and two builds are identical byte for byte.

Declared build timestamps (written by MkDocs, from ``SOURCE_DATE_EPOCH`` or else the UTC date
of the clock, in builds before the site map was dated from git; the build now replaces them with
the dates of the sources' commits (``publish/site.py`` ``date_sitemap``), so it writes none, and
the declaration stays for comparing with sites built by earlier versions, ``devtools/compare.py``):

* ``sitemap.xml``: the ``YYYY-MM-DD`` of every ``<lastmod>…</lastmod>`` (only present when
  ``site_url`` is set);
* ``sitemap.xml.gz``: the same text gzipped; its header's MTIME (bytes 4–7) is midnight UTC of
  that date. It is compared by its header without MTIME and its decompressed text under the
  ``sitemap.xml`` mask (:data:`GZIPPED`).
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from pathlib import Path

__all__ = ["BUILD_TIMESTAMPS", "GZIPPED", "PLACEHOLDER", "differences", "masked"]

#: Path in the built site → the build timestamp it may carry, and nothing else.
BUILD_TIMESTAMPS: dict[str, re.Pattern[bytes]] = {
    "sitemap.xml": re.compile(rb"(?<=<lastmod>)\d{4}-\d{2}-\d{2}(?=</lastmod>)"),
}
#: Gzipped copy → the declared file whose text it holds.
GZIPPED: dict[str, str] = {"sitemap.xml.gz": "sitemap.xml"}
PLACEHOLDER = b"BUILD-TIMESTAMP"

_FNAME = 0x08  # RFC 1952 header flag: a zero-terminated original file name follows the fixed header


def _gzip_masked(data: bytes, inner: str) -> bytes:
    """Header without MTIME, then the masked decompressed text; other header flags are not expected."""
    if len(data) < 10 or data[:3] != b"\x1f\x8b\x08" or data[3] & ~_FNAME:
        return data  # not the gzip MkDocs writes: compare it as it is
    end = data.index(b"\x00", 10) + 1 if data[3] & _FNAME else 10
    return data[:4] + b"\x00\x00\x00\x00" + data[8:end] + b"\n" + masked(inner, gzip.decompress(data))


def masked(rel: str, data: bytes) -> bytes:
    """``data`` of the site file ``rel`` with its declared build timestamps replaced by :data:`PLACEHOLDER`."""
    if rel in GZIPPED:
        return _gzip_masked(data, GZIPPED[rel])
    pattern = BUILD_TIMESTAMPS.get(rel)
    return pattern.sub(PLACEHOLDER, data) if pattern else data


def _files(root: Path) -> Iterator[str]:
    for path in sorted(root.rglob("*")):
        if path.is_file() or path.is_symlink():
            yield path.relative_to(root).as_posix()


def differences(a: Path, b: Path, *, mask: bool = True) -> list[str]:
    """What differs between two built sites, as ``"only in a: …"``, ``"only in b: …"``, ``"differs: …"``.

    With ``mask`` the declared build timestamps are ignored (:func:`masked`); without it every byte
    of every file must match.
    """
    in_a, in_b = set(_files(a)), set(_files(b))
    out = [f"only in a: {rel}" for rel in sorted(in_a - in_b)]
    out += [f"only in b: {rel}" for rel in sorted(in_b - in_a)]
    for rel in sorted(in_a & in_b):
        da, db = (a / rel).read_bytes(), (b / rel).read_bytes()
        if da != db and (not mask or masked(rel, da) != masked(rel, db)):
            out.append(f"differs: {rel}")
    return out
