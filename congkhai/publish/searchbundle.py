"""Pagefind's filter files rewritten in a stable order, so two builds of one site give the same bundle.

Pagefind (1.5) keeps filters in hash maps seeded at random for each run: a filter's values, and
the list of filters in the index's metadata, are written in a different order each time
(``pagefind/src/index/mod.rs``: "TODO: Change filter indexes to BTree to give them a stable
hash"). With one filter of one value the order cannot change, which is why the index once carried
only ``loai:ke-hoach``; with the kinds and the provinces as filters, every build wrote different
``filter/*.pf_filter`` names and bytes, a different ``pagefind.*.pf_meta`` and a different
``pagefind-entry.json``.

:func:`canonicalize` undoes that after Pagefind has run: each filter file's values are sorted by
value, the metadata's filters by name, and the files are renamed by the hash Pagefind itself
gives them (SHA-1 of the CBOR, each byte in hex without padding, cut to the length Pagefind
uses) — what Pagefind would write if its maps were ordered. The files are CBOR behind a gzipped
``pagefind_dcd`` signature; the small reader here knows only what these files hold (unsigned
integers, text, arrays) and refuses anything else, and every file is checked to read back to its
exact bytes before it is changed, so a future Pagefind that writes another layout fails the build
instead of publishing a broken index. Every filter file and the metadata are always rewritten
(never "only when out of order"), so the bytes do not depend on the order Pagefind happened to use.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

__all__ = ["BundleError", "canonicalize", "decode", "encode", "pagefind_hash"]

SIGNATURE = b"pagefind_dcd"
ENTRY = "pagefind-entry.json"


class BundleError(Exception):
    """The bundle is not laid out as this module expects; ``str()`` says why (in English, for the log)."""


def pagefind_hash(data: bytes) -> str:
    """Pagefind's ``full_hash``: SHA-1, each byte as lowercase hex without zero padding."""
    return "".join(format(b, "x") for b in hashlib.sha1(data, usedforsecurity=False).digest())


def _head(major: int, n: int) -> bytes:
    if n < 24:
        return bytes([major << 5 | n])
    for extra, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | extra]) + n.to_bytes(size, "big")
    raise BundleError(f"integer too large for CBOR: {n}")


def encode(value: Any) -> bytes:
    """CBOR of unsigned integers, text and lists (definite lengths, shortest heads, as minicbor writes)."""
    if isinstance(value, bool) or not isinstance(value, int | str | list):
        raise BundleError(f"cannot encode {type(value).__name__}")
    if isinstance(value, int):
        if value < 0:
            raise BundleError("negative integer")
        return _head(0, value)
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    return _head(4, len(value)) + b"".join(encode(v) for v in value)


def decode(data: bytes) -> Any:
    """The value of CBOR ``data`` (unsigned integers, text, lists only); raises :class:`BundleError`."""
    value, end = _decode(data, 0)
    if end != len(data):
        raise BundleError("trailing bytes after CBOR value")
    return value


def _decode(data: bytes, at: int) -> tuple[Any, int]:
    if at >= len(data):
        raise BundleError("truncated CBOR")
    major, info = data[at] >> 5, data[at] & 0x1F
    at += 1
    if info < 24:
        n = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        if at + size > len(data):
            raise BundleError("truncated CBOR")
        n = int.from_bytes(data[at : at + size], "big")
        at += size
    else:
        raise BundleError(f"unsupported CBOR head {data[at - 1]:#x}")
    if major == 0:
        return n, at
    if major == 3:
        if at + n > len(data):
            raise BundleError("truncated CBOR")
        return data[at : at + n].decode("utf-8"), at + n
    if major == 4:
        items = []
        for _ in range(n):
            item, at = _decode(data, at)
            items.append(item)
        return items, at
    raise BundleError(f"unsupported CBOR major type {major}")


def _read(path: Path) -> Any:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise BundleError(f"{path.name}: no {SIGNATURE.decode()} signature")
    body = raw[len(SIGNATURE) :]
    value = decode(body)
    if encode(value) != body:
        raise BundleError(f"{path.name}: does not read back to its bytes")
    return value


def _write(path: Path, body: bytes) -> None:
    path.write_bytes(gzip.compress(SIGNATURE + body, compresslevel=9, mtime=0))


def canonicalize(bundle: Path) -> None:
    """Rewrite the Pagefind ``bundle`` folder's filters and metadata in a stable order (see the module)."""
    entry_path = bundle / ENTRY
    try:
        entry = json.loads(entry_path.read_text(encoding="utf-8"))
        languages = entry["languages"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BundleError(f"cannot read {ENTRY}: {exc}") from exc
    for language, info in sorted(languages.items()):
        info["hash"] = _canonical_language(bundle, language, info["hash"])
    # Pagefind writes the entry compact and without a final newline
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _canonical_language(bundle: Path, language: str, meta_hash: str) -> str:
    meta_path = bundle / f"pagefind.{meta_hash}.pf_meta"
    meta = _read(meta_path)
    if not (isinstance(meta, list) and len(meta) >= 4 and isinstance(meta[3], list)):
        raise BundleError(f"{meta_path.name}: not the metadata layout of Pagefind 1.x")
    indexes = []
    for name, old_hash in sorted(meta[3], key=lambda f: f[0]):
        old = bundle / "filter" / f"{old_hash}.pf_filter"
        index = _read(old)
        if not (isinstance(index, list) and len(index) == 2 and index[0] == name and isinstance(index[1], list)):
            raise BundleError(f"{old.name}: not the filter layout of Pagefind 1.x")
        indexes.append((old, name, sorted(index[1], key=lambda v: v[0])))
    for old, _, _ in indexes:
        old.unlink()
    written: set[str] = set()
    filters = []
    for _, name, values in indexes:
        body = encode([name, values])
        full = f"{language}_{pagefind_hash(body)}"
        short = full[: len(language) + 8]
        while short in written and short != full:  # Pagefind's rule on a collision: one more character
            short = full[: len(short) + 1]
        _write(bundle / "filter" / f"{short}.pf_filter", body)
        written.add(short)
        filters.append([name, short])
    meta[3] = filters
    body = encode(meta)
    new_hash = f"{language}_{pagefind_hash(body)[: len(language) + 8]}"
    meta_path.unlink()
    _write(bundle / f"pagefind.{new_hash}.pf_meta", body)
    return new_hash
