"""The postings' reference codec: a page gap as an unsigned LEB128 varint and a score byte per
posting. ``postings.py`` assembles the same bytes with arrays (held to these functions by
``tests/test_postings.py``); the browser's reader (``searchindex.js``) decodes them. Apart from the
index writer (``searchindex.py``) because it is the format, not the writing of it."""

from __future__ import annotations

from collections.abc import Sequence


def write_varint(out: bytearray, n: int) -> None:
    """Append ``n`` (>= 0) as unsigned LEB128."""
    if n < 0:
        raise ValueError("negative varint")
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)


def read_varints(data: bytes, at: int, count: int) -> tuple[list[int], int]:
    values: list[int] = []
    for _ in range(count):
        n = shift = 0
        while True:
            byte = data[at]
            at += 1
            n |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                break
        values.append(n)
    return values, at


def encode_postings(postings: Sequence[tuple[int, int]]) -> bytes:
    """(page, score byte) pairs, pages ascending and distinct → gap varint + score byte each."""
    out = bytearray()
    last = -1
    for page, score in postings:
        if page <= last or not 0 <= score <= 255:
            raise ValueError("pages must ascend and scores fit a byte")
        write_varint(out, page - last - 1)
        out.append(score)
        last = page
    return bytes(out)


def decode_postings(data: bytes, count: int, at: int = 0) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    page = -1
    for _ in range(count):
        (gap,), at = read_varints(data, at, 1)
        page += gap + 1
        out.append((page, data[at]))
        at += 1
    return out
