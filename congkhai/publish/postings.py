"""The search index's postings, assembled with array operations (issue 14: the index's serial part).

:func:`.searchindex.write_index` hands each page's tokens here as it reads them. Merging them
token by token in Python (spill rows as text, ``heapq.merge``, a BM25 score and a varint per
posting) cost about 8 µs of the main process per posting — most of the search stage at 10,000
plans (20 million postings). Here the same files come out of array operations (numpy):

* each token gets a number the first time it is seen (:class:`Postings`); a batch of pages is
  spilled to disk as three ``int32`` columns (token, page, weighted frequency), so memory holds
  one batch and the vocabulary, not the corpus;
* at the end the vocabulary is sorted once; the tokens are cut, in that order, into parts of at
  most :data:`PART_POSTINGS` postings; one pass over the spills sends each posting to its part's
  file; each part is then read, sorted by token (stable: pages stay ascending, as the spills are
  in page order), scored and encoded at once;
* only the dictionary and the cut into postings files walk the tokens one by one.

The bytes are those of the reference codec (:func:`.searchindex.encode_postings`,
:func:`.searchindex.score_byte`): the same floating-point operations in the same order, rounded
half to even as Python's ``round``; the tests compare both on random postings.
"""

from __future__ import annotations

import itertools
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from itertools import chain
from pathlib import Path

import numpy as np
import numpy.typing as npt

#: postings sorted and encoded at once (a few ten bytes each while they are: ~50 MB)
PART_POSTINGS = 1_000_000

Ints = npt.NDArray[np.int64]


class Postings:
    """Every page's tokens, spilled batch by batch to ``folder``; read back merged by :meth:`parts`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        vocab: defaultdict[str, int] = defaultdict()
        vocab.default_factory = vocab.__len__  # a new token's number: how many were seen before it
        self.vocab = vocab
        self.spills: list[Path] = []
        self.df = np.zeros(0, dtype=np.int64)  # postings of each token number
        self._batch: list[tuple[int, list[int], list[int]]] = []

    def add(self, page: int, tokens: dict[str, int]) -> None:
        """The tokens of page ``page`` (numbers ascend across calls) with their weighted frequency."""
        kept = {t: f for t, f in tokens.items() if f > 0} if min(tokens.values(), default=1) <= 0 else tokens
        self._batch.append((page, list(map(self.vocab.__getitem__, kept)), list(kept.values())))

    def add_packed(self, page: int, terms: str, weights: bytes) -> None:
        """As :meth:`add`, the tokens as a cache entry holds them: ``terms`` one a line, ``weights``
        their weighted frequencies as little-endian ``int32`` (:meth:`.searchindex.Record.to_entry`)."""
        names = terms.split("\n") if terms else []
        freqs = np.frombuffer(weights, dtype="<i4")
        if len(names) != len(freqs):
            raise ValueError(f"page {page}: {len(names)} tokens, {len(freqs)} weights")
        if len(freqs) and freqs.min() <= 0:
            keep = (freqs > 0).tolist()
            names = [t for t, k in zip(names, keep, strict=True) if k]
            freqs = freqs[freqs > 0]
        self._batch.append((page, list(map(self.vocab.__getitem__, names)), freqs.tolist()))

    def spill(self) -> None:
        """Write the pages added since the last spill to disk and let them go."""
        if not self._batch:
            return
        sizes = [len(ids) for _, ids, _ in self._batch]
        table = np.empty((3, sum(sizes)), dtype=np.int32)
        table[0] = np.fromiter(chain.from_iterable(ids for _, ids, _ in self._batch), np.int32, table.shape[1])
        table[1] = np.repeat(np.array([p for p, _, _ in self._batch], dtype=np.int32), sizes)
        table[2] = np.fromiter(chain.from_iterable(fs for _, _, fs in self._batch), np.int32, table.shape[1])
        path = self.folder / f"{len(self.spills):06d}.i32"
        table.tofile(path)
        self.spills.append(path)
        counts = np.bincount(table[0], minlength=len(self.vocab))
        counts[: len(self.df)] += self.df
        self.df = counts
        self._batch = []

    def parts(self) -> Iterator[tuple[list[str], Ints, Ints, Ints]]:
        """The postings in token order, in parts: ``(tokens, df, pages, frequencies)`` — the tokens of
        the part (sorted, each on at least one page), how many pages hold each, and their postings
        (pages ascending within a token) one after the other."""
        self.spill()
        names = list(self.vocab)  # by number
        order = np.array(sorted(range(len(names)), key=names.__getitem__), dtype=np.int64)
        rank = np.empty(len(names), dtype=np.int64)
        rank[order] = np.arange(len(names))
        df = np.zeros(len(names), dtype=np.int64)
        df[: len(self.df)] = self.df
        by_rank = df[order]
        # the parts, cut in token order; each spill's postings are sent to their part's file in one
        # pass, so a part reads its own postings only
        ends = np.cumsum(by_rank)
        cuts = [0]
        while cuts[-1] < len(names):
            start = cuts[-1]
            stop = int(np.searchsorted(ends, (ends[start - 1] if start else 0) + PART_POSTINGS, side="right"))
            cuts.append(max(stop, start + 1))  # a token with more postings than a part is a part of its own
        bounds = np.array(cuts[1:-1], dtype=np.int64)
        files = [self.folder / f"part-{i:06d}.i32" for i in range(len(cuts) - 1)]
        for path in self.spills:
            table = np.fromfile(path, dtype=np.int32).reshape(3, -1)
            r = rank[table[0]]
            table[0] = r  # token numbers become ranks (the vocabulary is below 2**31)
            where = np.searchsorted(bounds, r, side="right")
            sort = np.argsort(where, kind="stable")
            table = table[:, sort]
            edges = np.searchsorted(where[sort], np.arange(len(files) + 1))
            for k in np.flatnonzero(np.diff(edges)).tolist():
                with files[k].open("ab") as f:
                    f.write(np.ascontiguousarray(table[:, edges[k] : edges[k + 1]]).T.tobytes())
            path.unlink()
        for i, (start, stop) in enumerate(itertools.pairwise(cuts)):
            table = (
                np.fromfile(files[i], dtype=np.int32).reshape(-1, 3).T
                if files[i].exists()
                else np.zeros((3, 0), dtype=np.int32)
            )
            files[i].unlink(missing_ok=True)
            sort = np.argsort(table[0], kind="stable")
            counts = by_rank[start:stop]
            present = counts > 0
            yield (
                [names[j] for j in order[start:stop][present]],
                counts[present],
                table[1][sort].astype(np.int64),
                table[2][sort].astype(np.int64),
            )
            del table, sort


def scores(freqs: Ints, lengths: Ints, avg: float, k1: float, b: float) -> npt.NDArray[np.uint8]:
    """:func:`.searchindex.score_byte` of each (weighted frequency, page length), in the same
    floating-point steps."""
    tf = freqs.astype(np.float64)
    norm = k1 * (1 - b + b * lengths.astype(np.float64) / avg) if avg > 0 else np.full(len(tf), k1)
    part = tf * (k1 + 1) / (tf + norm)
    return np.clip(np.round(255 * part / (k1 + 1)), 1, 255).astype(np.uint8)


def encode(df: Ints, pages: Ints, score: npt.NDArray[np.uint8]) -> tuple[npt.NDArray[np.uint8], Ints]:
    """:func:`.searchindex.encode_postings` of each token's postings, one after the other: the
    bytes, and where each token's bytes end."""
    if len(pages) == 0:
        return np.zeros(0, dtype=np.uint8), np.zeros(len(df), dtype=np.int64)
    first = np.zeros(len(pages), dtype=bool)
    first[np.concatenate(([0], np.cumsum(df)[:-1]))] = True
    previous = np.concatenate(([-1], pages[:-1]))
    previous[first] = -1
    gaps = pages - previous - 1
    if (gaps < 0).any():
        raise ValueError("pages must ascend within a token")
    width = np.ones(len(gaps), dtype=np.int64)  # the varint's bytes
    for bits in (7, 14, 21, 28, 35, 42, 49, 56):
        width += gaps >= (1 << bits)
    size = width + 1
    ends = np.cumsum(size)
    starts = ends - size
    out = np.zeros(int(ends[-1]), dtype=np.uint8)
    for k in range(int(width.max())):
        has = width > k
        more = width > k + 1
        out[starts[has] + k] = ((gaps[has] >> (7 * k)) & 0x7F) | np.where(more[has], 0x80, 0)
    out[starts + width] = score
    token_ends = ends[np.cumsum(df) - 1]
    return out, token_ends


def write_files(
    folder: Path,
    parts: Iterator[tuple[list[str], Ints, Ints, Ints]],
    length_of: Ints,
    avg: float,
    k1: float,
    b: float,
    limit: int,
    write: Callable[[Path, bytes], None],
) -> list[tuple[str, int, int, int, int]]:
    """The postings files (``<n>.ckp``, each closed after the token that takes it to ``limit``
    bytes) written with ``write``; the dictionary: (token, pages, file, offset, length)."""
    dictionary: list[tuple[str, int, int, int, int]] = []
    carry = b""  # the open file's bytes from earlier parts
    file_no = 0
    for tokens, df, pages, freqs in parts:
        data, ends = encode(df, pages, scores(freqs, length_of[pages], avg, k1, b))
        raw = data.tobytes()
        begin = 0  # where the open file's bytes start in this part
        held = len(carry)
        previous_end = 0
        for token, count, end in zip(tokens, df.tolist(), ends.tolist(), strict=True):
            dictionary.append((token, count, file_no, held + previous_end - begin, end - previous_end))
            previous_end = end
            if held + end - begin >= limit:
                write(folder / f"{file_no}.ckp", carry + raw[begin:end])
                carry, held, begin, file_no = b"", 0, end, file_no + 1
        carry += raw[begin:]
    if carry or file_no == 0:
        write(folder / f"{file_no}.ckp", carry)
    return dictionary


def spill_folder(parent: Path) -> tempfile.TemporaryDirectory[str]:
    """A temporary folder for the spills, beside the index (the same disk)."""
    return tempfile.TemporaryDirectory(prefix="congkhai-index-", dir=parent)
