"""The site's own static search index: written here in Python, read in the browser by
``searchindex.js`` (copied into the bundle as ``pagefind.js``), which answers the part of Pagefind's
JS API the search pages use (``options``, ``filters``, ``search``, ``mergeIndex``).

Why not Pagefind (BENCHMARKS.md, "Issue 14: search index"): at 2,000 plans its process peaked at
3.6 GB and at 10,000 at 10.9 GB; its metadata file, fetched before any result, lists every page
(260 KB gzipped at 10,000 plans); it re-indexes every page on every build.

**What a page becomes** (:func:`page_record`): the copy :func:`.search.prepare_html` writes is read
the way Pagefind reads it — only the ``data-pagefind-body`` element, without ``data-pagefind-ignore``
subtrees, each word weighted by its nearest ``data-pagefind-weight`` — into a *record*: the page's
address, title, kind and province, its text (what the browser shows excerpts from and checks
typed words against; the hidden token paragraphs are indexed but left out of it), its length in
words, and each index token with the sum of its weights. Tokens are the words of the text folded
like Pagefind folds them (case and tone marks, ``đ`` kept: :func:`index_key`) and the hidden tokens
of :mod:`.search` (syllable pairs, joined numbers, đ→d forms), unchanged. Records are cached by the
page cache (:meth:`.pagecache.PageCache.load_search`), so a rebuild re-tokenises only changed pages.

**The files** (everything sorted, the same bytes for the same pages):

* ``meta.json`` — the format version, the number of pages, the filters (``loai``: kinds, ``tinh``:
  provinces) as *page ranges*: pages are numbered in the order (kind, province, address), so each
  (kind, province) is one range and a filter is a range test — no list of pages; and the first
  token of each dictionary chunk. Its size depends on the vocabulary and the filters, not on the
  number of pages.
* ``dict/<n>.ckd`` — a chunk of the sorted token dictionary: ``[token, pages holding it, postings
  file, offset, length]``; chunks cut at :data:`DICT_TOKENS` tokens.
* ``post/<n>.ckp`` — postings of consecutive tokens: for each page holding the token, the gap to
  the previous page (unsigned LEB128 varint) and one byte of score (the BM25 term part with the
  token's weighted frequency and the page's length, 0–255); files cut near :data:`POST_BYTES`.
* ``page/<n // 1000>/<n>.ckr`` — one page's display record (address, title, kind, province,
  text), fetched only for the results shown.

The chunk files are gzip (``mtime`` 0) and the reader inflates them (``DecompressionStream``; a
browser without it, such as Safari before 16.4, imports the vendored fflate copied beside the
reader: ``vendor/fflate/README.md``): the bytes on the wire do not depend on the host. A query word looks up its exact token first, and its
prefix range only when the exact token is absent, keeping the :data:`PREFIX_TOKENS` most frequent
tokens of the range (BENCHMARKS.md: "dân" at scale).

**Memory**: pages are turned into records on every core (:func:`congkhai.parallel.pmap`) in
batches of :data:`BATCH` pages; each batch's postings are sorted and spilled to a file, the
records' display parts written at once, and the postings merged from the spill files
(``heapq.merge``) one token at a time, so what is held grows with one batch, not with the corpus.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import math
import re
import shutil
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from lxml import etree

from ..load import blobs
from . import postings
from .indexwriter import Writer
from .indexwriter import gz as _gz
from .postingcodec import decode_postings, encode_postings, read_varints, write_varint

__all__ = [
    "FORMAT",
    "Record",
    "decode_postings",
    "encode_postings",
    "index_key",
    "page_record",
    "read_varints",
    "write_index",
    "write_varint",
]

FORMAT = 1
META = "meta.json"
READER = Path(__file__).with_name("searchindex.js")
#: fflate's gunzip for browsers without ``DecompressionStream`` (``vendor/fflate/README.md``)
INFLATE = Path(__file__).parent / "vendor" / "fflate" / "fflate.js"
#: tokens per dictionary chunk: one chunk is a few ten kilobytes gzipped
DICT_TOKENS = 2048
#: a postings file is closed after the token that makes it reach this many bytes (before gzip)
POST_BYTES = 48 * 1024
#: pages per batch turned into records before their postings are spilled to disk
BATCH = 256
#: a prefix query keeps this many of the range's tokens, those on the most pages (the reader's rule)
PREFIX_TOKENS = 24
#: BM25: saturation of a token's weighted frequency, and how much a long page is penalised
K1 = 1.2
B = 0.1
_WORD = re.compile(r"\w+")
_DIGEST = re.compile(r"[0-9a-f]{64}")
_BLOCK = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
_VOID = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]
)


def index_key(word: str) -> str:
    """A word as the index holds it: lowercase, tone and other marks dropped, ``đ`` kept (as
    Pagefind folds Vietnamese), letters and digits only. The reader folds query words the same way."""
    key = _KEYS.get(word)
    if key is None:
        decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFC", word).lower())
        key = "".join(ch for ch in decomposed if ch.isalnum())
        if len(_KEYS) >= _KEYS_KEPT:
            _KEYS.clear()
        _KEYS[word] = key
    return key


#: words already folded (a page repeats its words, and pages their vocabulary: folding was half of
#: tokenising); emptied when full
_KEYS: dict[str, str] = {}
_KEYS_KEPT = 1 << 18


@dataclass
class Record:
    """One page in the index: what the browser shows, and its tokens with their weighted counts."""

    url: str
    title: str
    kind: str
    province: str
    content: str
    length: int
    tokens: dict[str, int] = field(default_factory=dict)
    #: :meth:`display_file`, once made
    packed: bytes | None = field(default=None, compare=False, repr=False)
    #: the SHA-256 of the display file when it is written already, at :func:`display_path` (by the
    #: worker that read the page: neither sent to the main process nor written by it)
    written: bytes | None = field(default=None, compare=False, repr=False)
    #: read back from the cache (:meth:`from_entry`): the digest (hex) of its display file, which
    #: the cache keeps as a file of its own, to be linked or read (:func:`kept_display`)
    shown: str | None = field(default=None, compare=False, repr=False)
    #: read back from the cache: its tokens as the entry holds them (one a line; their weights as
    #: ``int32``), in place of ``tokens``: sent to the index's process and added as they are
    #: (:meth:`.postings.Postings.add_packed`), not made into 40,000 dicts, pickled and unpickled
    terms: tuple[str, bytes] | None = field(default=None, compare=False, repr=False)

    def counts(self) -> dict[str, int]:
        """Its tokens with their weighted counts (``tokens``, or decoded from ``terms``)."""
        if self.terms is None:
            return self.tokens
        text, weights = self.terms
        names = text.split("\n") if text else []
        return dict(zip(names, np.frombuffer(weights, dtype="<i4").tolist(), strict=True))

    def display_file(self) -> bytes:
        """The bytes of the page's display file (gzip of :meth:`display`)."""
        if self.packed is None:
            if self.shown is not None:  # its text is in the cache's display file alone
                raise ValueError("the display file of a record read back is the cache's: see kept_display")
            self.packed = _gz(_json(self.display()))
        return self.packed

    def to_entry(self) -> bytes | None:
        """The record as the search cache keeps it (``None``: not kept): one line of JSON (all but
        the text shown and the tokens, with the digest of its display file, which the cache keeps
        beside the entry as a file of its own, to be linked into the index, not written again:
        :func:`kept_display`), the tokens (UTF-8, one a line, sorted), their weights
        (little-endian ``int32``), so its tokens are not decoded one by one (as JSON pairs, a
        quarter of the workers' share of a rebuild's search stage)."""
        items = sorted(self.counts().items())
        terms = "\n".join(t for t, _ in items).encode("utf-8", "surrogatepass")
        weights = np.array([w for _, w in items], dtype="<i4").tobytes()
        head = {
            "url": self.url,
            "title": self.title,
            "kind": self.kind,
            "province": self.province,
            "length": self.length,
            "terms": [len(items), len(terms)],
            "display": blobs.digest(self.display_file()),
        }
        if any("\n" in t for t, _ in items):  # never from the tokeniser (words only)
            return None
        return _json(head) + b"\n" + terms + weights

    @classmethod
    def from_entry(cls, data: bytes) -> Record | None:
        """The record of :meth:`to_entry`, without its text (``content``: only the display file
        holds it) and naming its display file by digest (``shown``), or ``None`` when ``data`` is
        not one (a damaged or older cache entry)."""
        head, sep, rest = data.partition(b"\n")
        if not sep:
            return None
        try:
            found = json.loads(head)
            count, size = found["terms"]
            url, title, kind, province, shown = (found[k] for k in ("url", "title", "kind", "province", "display"))
            length = found["length"]
            if not all(isinstance(v, str) for v in (url, title, kind, province, shown)) or not all(
                isinstance(v, int) and v >= 0 for v in (length, count, size)
            ):
                return None
            if not _DIGEST.fullmatch(shown) or len(rest) != size + 4 * count:
                return None
            text = rest[:size].decode("utf-8", "surrogatepass")
            if (text.count("\n") + 1 if text else 0) != count:
                return None
            return cls(url, title, kind, province, "", length, {}, shown=shown, terms=(text, rest[size:]))
        except (KeyError, TypeError, ValueError, UnicodeDecodeError):
            return None

    def display(self) -> dict[str, Any]:
        """The page file the reader fetches for a shown result."""
        return {
            "url": self.url,
            "title": self.title,
            "kind": self.kind,
            "province": self.province,
            "content": self.content,
        }


class _Reader:
    """Reads a prepared page as Pagefind does: the body element, ignored subtrees, weights.

    The parser's target (lxml's, libxml2 parsing in C: the pure-Python ``html.parser`` was half of
    tokenising): a text run may come in several calls, so it is joined before it is read; a void
    element (``<br>``) has no end.
    """

    def __init__(self) -> None:
        self.pending: list[str] = []
        self.stack: list[tuple[str, bool, int, bool, bool, bool]] = []  # tag, body, weight, ignored, hidden, tokens
        self.words: Counter[str] = Counter()
        self.text: list[str] = []
        self.length = 0
        self.title: list[str] | None = None
        self.title_done = False
        self.in_title = 0

    def _top(self) -> tuple[bool, int, bool, bool, bool]:
        if not self.stack:
            return False, 1, False, False, False
        _, body, weight, ignored, hidden, tokens = self.stack[-1]
        return body, weight, ignored, hidden, tokens

    def record(self, url: str, kind: str, province: str) -> Record:
        """The page's record, once it has been read."""
        content = " ".join("".join(self.text).split())
        title = " ".join("".join(self.title or []).split())
        return Record(url, title, kind, province, content, self.length, dict(self.words))

    # lxml's parser target
    def start(self, tag: str, attrib: Mapping[str, str]) -> None:
        self.flush()
        self.handle_starttag(tag, attrib)

    def end(self, tag: str) -> None:
        self.flush()
        if tag not in _VOID:  # a void element has no end tag (html.parser gave none for ``<br>``)
            self.handle_endtag(tag)

    def data(self, data: str) -> None:
        self.pending.append(data)

    def close(self) -> None:
        self.flush()

    def flush(self) -> None:
        if self.pending:
            text = "".join(self.pending)
            self.pending.clear()
            self.handle_data(text)

    def handle_starttag(self, tag: str, a: Mapping[str, str | None]) -> None:
        body, weight, ignored, hidden, tokens = self._top()
        body = body or "data-pagefind-body" in a
        ignored = ignored or "data-pagefind-ignore" in a
        if "data-pagefind-weight" in a:
            with contextlib.suppress(ValueError):
                weight = max(0, min(100, int(float(a["data-pagefind-weight"] or "1"))))
        hidden = hidden or (tag == "div" and "hidden" in a)
        tokens = tokens or (hidden and tag == "p" and "data-pagefind-weight" in a)
        if tag in _BLOCK and body and not ignored and not tokens:
            self.text.append(" ")
        if tag == "h1" and body and not ignored and not self.title_done and self.title is None:
            self.title = []
            self.in_title = len(self.stack) + 1
        if tag not in _VOID:
            self.stack.append((tag, body, weight, ignored, hidden, tokens))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break
        if self.in_title and len(self.stack) < self.in_title:
            self.in_title = 0
            self.title_done = True
        if tag in _BLOCK and self._top()[0]:
            self.text.append(" ")

    def handle_data(self, data: str) -> None:
        body, weight, ignored, _, tokens = self._top()
        if not body or ignored:
            return
        if self.in_title and self.title is not None:
            self.title.append(data)
        words = _WORD.findall(data)
        if not tokens:
            self.text.append(data)
            self.length += len(words)
        if weight:
            folded, counts = _KEYS.get, self.words
            for w in words:
                key = folded(w)
                if key is None:
                    key = index_key(w)
                if key:
                    counts[key] += weight


#: The indexed element as :func:`.search.prepare_html` marks it (a tag's attributes hold no raw ``>``).
_BODY = re.compile(r"<article\b[^>]*\sdata-pagefind-body\b")


def page_record(prepared: str, url: str, kind: str, province: str) -> Record:
    """The :class:`Record` of a page prepared by :func:`.search.prepare_html`."""
    reader = _Reader()
    # Only the body element is read (it holds the hidden tokens too): the theme's header,
    # navigation and footer around it were most of the parsing, for no word of the index.
    body = _BODY.search(prepared)
    end = prepared.rfind("</article>")
    parser = etree.HTMLParser(target=reader, no_network=True, remove_comments=True, remove_pis=True)
    parser.feed(prepared[body.start() : end] if body is not None and body.start() < end else prepared)
    parser.close()
    return reader.record(url, kind, province)


# --- the codec ---------------------------------------------------------------------------------


def chunk_starts(tokens: Sequence[str], size: int = DICT_TOKENS) -> list[str]:
    """The first token of each dictionary chunk of the sorted ``tokens``."""
    return [tokens[i] for i in range(0, len(tokens), size)]


def chunk_of(starts: Sequence[str], token: str) -> int:
    """The chunk that holds ``token`` (or would), by the chunks' first tokens (the reader's rule)."""
    lo, hi = 0, len(starts)
    while lo < hi:  # the last start <= token
        mid = (lo + hi) // 2
        if starts[mid] <= token:
            lo = mid + 1
        else:
            hi = mid
    return max(0, lo - 1)


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def score_byte(tf: int, length: int, avg: float) -> int:
    """The BM25 term part of a token of weighted frequency ``tf`` on a page of ``length`` words, 1–255."""
    norm = K1 * (1 - B + B * length / avg) if avg > 0 else K1
    part = tf * (K1 + 1) / (tf + norm)
    return max(1, min(255, round(255 * part / (K1 + 1))))


# --- the writer --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """A page to index, in index order: its number is its place in the sorted list."""

    kind: str
    province: str
    rel: str


def display_path(out: Path, n: int) -> Path:
    """Where the display file of the ``n``-th page (in :func:`page_order`) is in the index ``out``."""
    return out / "page" / str(n // 1000) / f"{n}.ckr"


def write_display(path: Path, record: Record) -> Record:
    """Write ``record``'s display file at ``path`` (:func:`display_path`) and return the record as
    :func:`write_index` takes it then: its hash noted, its bytes and text let go."""
    data = record.display_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        out = open(path, "xb")  # noqa: SIM115 (a new file: one there may be a blob of the cache)
    except FileExistsError:
        path.unlink()
        out = open(path, "xb")  # noqa: SIM115
    with out:
        out.write(data)
    return dataclasses.replace(record, content="", packed=None, written=hashlib.sha256(data).digest())


def kept_display(record: Record, blob: Path, path: Path | None) -> Record | None:
    """A record read back from the cache (:meth:`Record.from_entry`) with its display file, the
    cache's ``blob``, checked against the entry's digest: linked at ``path`` (then only its hash
    noted, as :func:`write_display` does), or with ``path`` None read into the record. ``None``
    when the blob is refused (missing, a link, other bytes): the page is read again."""
    assert record.shown is not None
    if path is None:
        data = blobs.read(blob, record.shown)
        return None if data is None else dataclasses.replace(record, packed=data, shown=None)
    if blobs.publish(blob, record.shown, path) is None:
        return None
    return dataclasses.replace(record, written=bytes.fromhex(record.shown), shown=None)


def page_order(pages: Iterable[Page], kinds: Sequence[str]) -> list[Page]:
    """Pages sorted by kind (in ``kinds``' order), province, file: each (kind, province) a range."""
    rank = {k: i for i, k in enumerate(kinds)}
    return sorted(pages, key=lambda p: (rank.get(p.kind, len(kinds)), p.province, p.rel))


def write_index(
    out: Path,
    pages: Sequence[Page],
    records: Callable[[Sequence[Page]], list[Record | None]],
    kinds: Sequence[str],
    batch: int = BATCH,
) -> int:
    """Write the index of ``pages`` (in :func:`page_order`) to the folder ``out``; the number of
    pages indexed. ``records`` turns a batch of pages into their records (``None``: nothing to index)."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    with Writer(out) as write:
        count = _write_index(out, pages, records, kinds, batch, write)
    return count


def _write_index(
    out: Path,
    pages: Sequence[Page],
    records: Callable[[Sequence[Page]], list[Record | None]],
    kinds: Sequence[str],
    batch: int,
    write: Writer,
) -> int:
    lengths = np.zeros(len(pages), dtype=np.int64)
    indexed = np.zeros(len(pages), dtype=bool)
    groups: dict[tuple[str, str], list[int]] = {}
    with postings.spill_folder(out.parent) as tmp:
        spilled = postings.Postings(Path(tmp))
        for start in range(0, len(pages), batch):
            part = pages[start : start + batch]
            for offset, record in enumerate(records(part)):
                if record is None:
                    continue
                n = start + offset
                lengths[n], indexed[n] = record.length, True
                span = groups.setdefault((record.kind, record.province), [n, n + 1])
                span[1] = n + 1
                if record.terms is not None:
                    spilled.add_packed(n, *record.terms)
                else:
                    spilled.add(n, record.tokens)
                target = display_path(out, n)
                if record.written is not None:
                    write.written(target, record.written)
                    continue
                if n % 1000 == 0 or not target.parent.is_dir():
                    target.parent.mkdir(parents=True, exist_ok=True)
                if record.packed is not None:
                    write(target, record.packed, packed=True)
                else:  # compressed by the writer (the bytes of display_file)
                    write(target, _json(record.display()))
            spilled.spill()
        # the mean length of the pages indexed, summed in page order as before
        avg = float(sum(lengths[indexed].tolist()) / int(indexed.sum())) if indexed.any() else 0.0
        (out / "post").mkdir()
        dictionary = postings.write_files(out / "post", spilled.parts(), lengths, avg, K1, B, POST_BYTES, write)
    starts = _write_dictionary(out, dictionary, write)
    digests = write.finish()  # each file written, by its path in the bundle: its hash (meta's version)
    filters: dict[str, dict[str, int]] = {"loai": {}, "tinh": {}}
    for (kind, province), (a, b) in groups.items():
        count = int(indexed[a:b].sum())
        filters["loai"][kind] = filters["loai"].get(kind, 0) + count
        if province:
            filters["tinh"][province] = filters["tinh"].get(province, 0) + count
    meta = {
        "format": FORMAT,
        "pages": len(pages),
        "indexed": int(indexed.sum()),
        "groups": sorted([kind, province, a, b] for (kind, province), (a, b) in groups.items()),
        "filters": {name: dict(sorted(values.items())) for name, values in sorted(filters.items())},
        "dict": starts,
        "prefix": PREFIX_TOKENS,
    }
    body = _json(meta)
    files = sorted(digests, key=lambda rel: rel.split("/"))  # as the paths sort (by their parts)
    meta["version"] = hashlib.sha256(body + b"".join(rel.encode() + digests[rel] for rel in files)).hexdigest()[:16]
    (out / META).write_bytes(_json(meta))
    shutil.copyfile(READER, out / "pagefind.js")
    shutil.copyfile(INFLATE, out / "fflate.js")
    return int(indexed.sum())


def _write_dictionary(
    out: Path, dictionary: Sequence[tuple[str, int, int, int, int]], write: Callable[[Path, bytes], None]
) -> list[str]:
    folder = out / "dict"
    folder.mkdir()
    tokens = [d[0] for d in dictionary]
    starts = chunk_starts(tokens)
    for i in range(len(starts)):
        part = dictionary[i * DICT_TOKENS : (i + 1) * DICT_TOKENS]
        write(folder / f"{i}.ckd", _json([list(d) for d in part]))
    return starts


def idf(pages: int, df: int) -> float:
    """The reader's inverse document frequency (BM25's)."""
    return math.log(1 + (pages - df + 0.5) / (df + 0.5))
