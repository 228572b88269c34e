"""The render stage's caches, in the plan cache's store (:mod:`.plancache`: same folder, same
fingerprint, entries signed the same way): old versions of plans parsed once, generated pages by
the hash of everything they show, and each plan's part of the data files by the hash of its rows. Entries a build reads are marked used; :func:`prune_unused`
removes the rest after a build that passed, so the deploy's kept cache does not grow with every
change. Kept apart from :mod:`.plancache` (the validation's per-plan work), which they only borrow
the store and the signing from."""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .plancache import _decode, _enc, _Uncacheable, cache_dir, cache_secret, fingerprint, read_entry, write_entry

# --- Parses of old versions ------------------------------------------------------------------------

VERSIONS = "versions"


@dataclass(frozen=True)
class ParseCache:
    """Old versions of plans (git blobs: they never change) parsed once: front matter and body by
    the text's digest, in the plan cache's store (same key, same fingerprint, signed the same way)."""

    store: Path
    secret: bytes

    def get(self, digest: str) -> tuple[Any, str] | None:
        """(front matter or None, body) of the text with this digest, or None (missing, not ours)."""
        payload = _used(
            read_entry(self.store, f"{VERSIONS}/{digest[:2]}/{digest}", self.secret), self.store, VERSIONS, digest
        )
        if payload is None:
            return None
        try:
            value = _decode(payload)
        except Exception:  # signed by us but not readable: parsed again
            return None
        if not (isinstance(value, list) and len(value) == 2 and isinstance(value[1], str)):
            return None
        data, body = value
        return (data if isinstance(data, dict) else None), body

    def put(self, digest: str, data: Any, body: str) -> None:
        try:
            value = [_enc(data), _enc(body)]
        except _Uncacheable:
            return  # a value the format cannot hold exactly: parsed again next time
        write_entry(self.store, f"{VERSIONS}/{digest[:2]}/{digest}", self.secret, value)


def parse_cache(root: Path) -> ParseCache | None:
    """The store of version parses of the checkout at ``root``, or None when caching is off."""
    folder = cache_dir(root)
    secret = cache_secret(folder) if folder is not None else None
    if folder is None or secret is None:
        return None
    return ParseCache(folder / fingerprint(root), secret)


# --- Generated pages ----------------------------------------------------------------------------

MARKDOWN = "markdown"


@dataclass(frozen=True)
class TextCache:
    """Generated Markdown by the hash of everything its page shows (plan pages:
    ``congkhai/render/cachedplan.py``; every other page, feed and shard: ``congkhai/render/memo.py``),
    in the plan cache's store: a changed program, schema or library (the fingerprint) empties it."""

    store: Path
    secret: bytes

    def get(self, key: str) -> str | None:
        """The text kept under ``key``: its UTF-8 as written, not a JSON string (decoding the
        escapes of some 60,000 pages was seconds of every rebuild's render stage)."""
        payload = _used(read_entry(self.store, f"{MARKDOWN}/{key[:2]}/{key}", self.secret), self.store, MARKDOWN, key)
        if payload is None:
            return None
        try:
            return payload.decode("utf-8", "surrogatepass")
        except UnicodeDecodeError:
            return None

    def put(self, key: str, text: str) -> None:
        write_entry(self.store, f"{MARKDOWN}/{key[:2]}/{key}", self.secret, text.encode("utf-8", "surrogatepass"))


def text_cache(root: Path) -> TextCache | None:
    """The store of generated pages of the checkout at ``root``, or None when caching is off."""
    found = parse_cache(root)
    return None if found is None else TextCache(found.store, found.secret)


# --- Parts of the data files --------------------------------------------------------------------

DATA = "data"


@dataclass(frozen=True)
class DataCache:
    """What one plan adds to the data files (``congkhai/render/datacache.py``: its bundle, its
    lines of each table's CSV) by the hash of its rows, in the plan cache's store: a JSON object
    of texts, or a list of them."""

    store: Path
    secret: bytes

    def get(self, key: str) -> Any:
        payload = _used(read_entry(self.store, f"{DATA}/{key[:2]}/{key}", self.secret), self.store, DATA, key)
        if payload is None:
            return None
        try:
            return json.loads(payload.decode("utf-8", "surrogatepass"))
        except ValueError:
            return None

    def raw(self, key: str) -> bytes | None:
        """The entry's bytes as kept (an entry with a format of its own: ``put`` given bytes)."""
        return _used(read_entry(self.store, f"{DATA}/{key[:2]}/{key}", self.secret), self.store, DATA, key)

    def put(self, key: str, value: Any) -> None:
        """``value`` kept as JSON, or given bytes, as they are."""
        write_entry(self.store, f"{DATA}/{key[:2]}/{key}", self.secret, value)


def data_cache(root: Path) -> DataCache | None:
    """The store of the data files' parts of the checkout at ``root``, or None when caching is off."""
    found = parse_cache(root)
    return None if found is None else DataCache(found.store, found.secret)


def _used(payload: bytes | None, store: Path, folder: str, key: str) -> bytes | None:
    """An entry read is marked as used by this build (its time of change set to now), so
    :func:`prune_unused` keeps it."""
    if payload is not None:
        with contextlib.suppress(OSError):
            os.utime(store / folder / key[:2] / key)
    return payload


#: Grace for the file system's coarse clock: an entry written or read this long before the build
#: started still counts as this build's.
_GRACE_S = 5.0


def prune_unused(root: Path, started: float) -> int:
    """Remove the generated pages, version parses and data parts no build since ``started`` (``time.time()``)
    wrote or read: a changed plan leaves its old page's entry behind, and without this the
    deploy's kept cache would grow with every change. Returns how many entries were removed."""
    folder = cache_dir(root)
    if folder is None:
        return 0
    store = folder / fingerprint(root)
    removed = 0
    for kind in (MARKDOWN, VERSIONS, DATA):
        for entry in (store / kind).glob("*/*") if (store / kind).is_dir() else []:
            with contextlib.suppress(OSError):
                if entry.stat().st_mtime < started - _GRACE_S:
                    entry.unlink()
                    removed += 1
    return removed
