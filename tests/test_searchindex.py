"""The search index format (publish/searchindex.py): the codec and the dictionary chunks round-trip,
a query over the written files finds what a scan of the records finds, the metadata does not grow
with the pages, batches are spilled to disk, and a rebuild re-tokenises only changed pages."""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import tempfile
import threading
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from congkhai.publish import indexwriter, search, searchindex
from congkhai.publish.pagecache import PageCache
from congkhai.publish.searchindex import (
    Page,
    Record,
    chunk_of,
    chunk_starts,
    decode_postings,
    encode_postings,
    index_key,
    kept_display,
    page_order,
    read_varints,
    write_index,
    write_varint,
)
from tests.test_search import PAGE, write_site

KINDS = list(search.KINDS)


@given(st.lists(st.integers(min_value=0, max_value=2**40)))
def test_varints_round_trip(values):
    out = bytearray()
    for v in values:
        write_varint(out, v)
    assert read_varints(bytes(out), 0, len(values)) == (values, len(out))


@given(st.dictionaries(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=255)))
def test_postings_round_trip(pages):
    postings = sorted(pages.items())
    assert decode_postings(encode_postings(postings), len(postings)) == postings


def test_postings_refuse_what_they_cannot_hold():
    with pytest.raises(ValueError):
        encode_postings([(3, 1), (3, 1)])
    with pytest.raises(ValueError):
        encode_postings([(1, 256)])


@given(st.sets(st.text(alphabet="abcdđ0123", min_size=1, max_size=6)), st.integers(min_value=1, max_value=7))
def test_every_token_is_in_exactly_the_chunk_its_boundaries_name(tokens, size):
    ordered = sorted(tokens)
    starts = chunk_starts(ordered, size)
    chunks = [ordered[i : i + size] for i in range(0, len(ordered), size)]
    for token in ordered:
        holding = [i for i, chunk in enumerate(chunks) if token in chunk]
        assert holding == [chunk_of(starts, token)]


def test_index_key_folds_like_pagefind_and_keeps_d():
    assert index_key("Đảng") == "đang" and index_key("dảng") == "dang"
    assert index_key("Hòa") == index_key("hoà") == "hoa"
    assert index_key("72-KHPH") == "72khph"


# --- a reader in Python, with the browser's rules (searchindex.js) -----------------------------


class Reader:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))

    def _gz(self, rel: str) -> bytes:
        return gzip.decompress((self.folder / rel).read_bytes())

    def entries(self, word: str) -> list[list]:
        starts = self.meta["dict"]
        c = chunk_of(starts, word)
        chunk = json.loads(self._gz(f"dict/{c}.ckd"))
        exact = [e for e in chunk if e[0] == word]
        if exact:
            return exact
        found = []
        for i in range(c, len(starts)):
            found += [e for e in json.loads(self._gz(f"dict/{i}.ckd")) if e[0].startswith(word)]
        found.sort(key=lambda e: (-e[1], e[0]))
        return found[: self.meta["prefix"]]

    def pages(self, query: str, kind: str | None = None) -> set[int]:
        found: set[int] | None = None
        for word in dict.fromkeys(index_key(w) for w in query.split()):
            hits: set[int] = set()
            for entry in self.entries(word):
                data = self._gz(f"post/{entry[2]}.ckp")
                hits |= {p for p, _ in decode_postings(data, entry[1], entry[3])}
            found = hits if found is None else found & hits
        groups = self.meta["groups"]
        return {p for p in found or set() if kind is None or any(g[0] == kind and g[2] <= p < g[3] for g in groups)}

    def record(self, page: int) -> dict:
        return json.loads(self._gz(f"page/{page // 1000}/{page}.ckr"))


def scan(records: Sequence[Record | None], query: str, prefix: int, kind: str | None = None) -> set[int]:
    """The pages a query finds, by a scan of the records with the reader's rule for each word."""
    df: dict[str, int] = {}
    for r in records:
        for t in r.tokens if r else ():
            df[t] = df.get(t, 0) + 1
    found: set[int] | None = None
    for word in dict.fromkeys(index_key(w) for w in query.split()):
        matched = (
            {word}
            if word in df
            else set(sorted((t for t in df if t.startswith(word)), key=lambda t: (-df[t], t))[:prefix])
        )
        hits = {n for n, r in enumerate(records) if r and matched & set(r.tokens)}
        found = hits if found is None else found & hits
    return {n for n in found or set() if kind is None or (records[n] and records[n].kind == kind)}


VOCAB = [
    a + b
    for a in ("dan", "hoa", "đang", "van", "co", "so", "ke", "tho")
    for b in ("", "van", "giai", "uy", "chu", "1", "kheo")
]


def synthetic(n: int, seed: int = 7) -> tuple[list[Page], list[Record | None]]:
    rnd = random.Random(seed)
    pages = page_order(
        (Page(rnd.choice(KINDS), rnd.choice(["", "Cần Thơ", "Bắc Ninh"]), f"p/{i:05d}/index.html") for i in range(n)),
        KINDS,
    )
    records: list[Record | None] = []
    for i, p in enumerate(pages):
        if i % 17 == 5:
            records.append(None)  # a page without an article
            continue
        tokens = {t: rnd.randint(1, 30) for t in rnd.sample(VOCAB, rnd.randint(1, 12))}
        records.append(
            Record(p.rel.removesuffix("index.html"), f"T{i}", p.kind, p.province, "x " * i, i % 50 + 1, tokens)
        )
    return pages, records


def _write(out: Path, pages: list[Page], records: list[Record | None], batch: int, seen: list | None = None) -> int:
    by_rel = {p.rel: r for p, r in zip(pages, records, strict=True)}

    def make(part: Sequence[Page]) -> list[Record | None]:
        if seen is not None:
            seen.append((len(part), sorted(out.parent.glob("congkhai-index-*/*.i32"))))
        return [by_rel[p.rel] for p in part]

    return write_index(out, pages, make, KINDS, batch)


@pytest.mark.parametrize("query", ["dan", "danvan", "dan hoa", "đang", "hoag", "d", "co so", "tho1", "zzz", "ke kheo"])
def test_a_query_over_the_files_finds_what_a_scan_of_the_records_finds(tmp_path, query):
    pages, records = synthetic(300)
    out = tmp_path / "idx"
    assert _write(out, pages, records, batch=40) == sum(r is not None for r in records)
    reader = Reader(out)
    assert reader.pages(query) == scan(records, query, reader.meta["prefix"])
    assert reader.pages(query, "co-quan") == scan(records, query, reader.meta["prefix"], "co-quan")
    for n in sorted(reader.pages(query))[:5]:
        record = records[n]
        assert record is not None and reader.record(n) == record.display()


def test_exact_token_first_prefixes_only_without_it(tmp_path):
    pages, records = synthetic(120)
    _write(tmp_path / "idx", pages, records, batch=50)
    reader = Reader(tmp_path / "idx")
    assert [e[0] for e in reader.entries("dan")] == ["dan"]  # not "danvan", "dangiai"…
    assert {e[0] for e in reader.entries("hoag")} == {"hoagiai"}


def test_filters_are_page_ranges_with_counts(tmp_path):
    pages, records = synthetic(200)
    _write(tmp_path / "idx", pages, records, batch=64)
    meta = Reader(tmp_path / "idx").meta
    for kind, province, a, b in meta["groups"]:
        assert all(p.kind == kind and p.province == province for p in pages[a:b])
    indexed = [r for r in records if r]
    assert meta["filters"]["loai"] == {k: n for k in KINDS if (n := sum(r.kind == k for r in indexed))}
    assert meta["filters"]["tinh"]["Cần Thơ"] == sum(r.province == "Cần Thơ" for r in indexed)


def test_the_metadata_does_not_grow_with_the_pages(tmp_path):
    small = tmp_path / "small"
    large = tmp_path / "large"
    _write(small, *synthetic(200), batch=64)
    _write(large, *synthetic(2000), batch=256)
    a, b = (len((folder / "meta.json").read_bytes()) for folder in (small, large))
    assert abs(a - b) <= 40, (a, b)  # only the counts' digits differ
    posted = sum(len(p.read_bytes()) for p in (large / "post").iterdir())
    assert posted > 5 * sum(len(p.read_bytes()) for p in (small / "post").iterdir())


def test_batches_are_spilled_to_disk(tmp_path):
    pages, records = synthetic(100)
    seen: list = []
    _write(tmp_path / "idx", pages, records, batch=30, seen=seen)
    assert [n for n, _ in seen] == [30, 30, 30, 10]
    assert [len(spills) for _, spills in seen] == [0, 1, 2, 3]  # each batch's postings on disk before the next
    assert not list(tmp_path.glob("congkhai-index-*"))  # and removed after the merge


def test_the_index_bytes_do_not_depend_on_the_batch_size(tmp_path):
    pages, records = synthetic(150)
    _write(tmp_path / "a", pages, records, batch=7)
    _write(tmp_path / "b", pages, records, batch=1000)
    tree = [
        {p.relative_to(d): p.read_bytes() for p in d.rglob("*") if p.is_file()}
        for d in (tmp_path / "a", tmp_path / "b")
    ]
    assert tree[0] == tree[1]


def test_a_page_record_reads_the_prepared_page_as_pagefind_does():
    prepared = search.prepare_html(
        PAGE.format(title="Kế hoạch Đảng ủy", number="72-KHPH/KDV-UBND", body="Dân vận khéo.")
    )
    assert prepared is not None
    record = searchindex.page_record(prepared, "plans/a/", "ke-hoach", "Bắc Ninh")
    assert record.title == "Kế hoạch Đảng ủy"
    assert record.content.startswith("Kế hoạch Đảng ủy") and "Dân vận khéo." in record.content
    assert "Đầu trang" not in record.content and "Chân trang" not in record.content  # outside the body
    assert "danguy" not in record.content and "\u2042" in record.content  # tokens indexed, not shown
    assert record.tokens["danguy"] >= 10 and record.tokens["72khphkdvubnd"] >= 10  # title and own number
    assert record.tokens["dan"] == 1 and record.tokens["đang"] >= 10 and "dang" in record.tokens


def test_a_rebuild_tokenises_only_the_changed_page(tmp_path, monkeypatch):
    monkeypatch.setenv("CONGKHAI_WORKERS", "1")
    site = write_site(tmp_path)
    cache = PageCache(tmp_path / "cache", b"k" * 32, "base")
    calls: list[str] = []
    real = search.page_record
    monkeypatch.setattr(search, "page_record", lambda *a: calls.append(a[1]) or real(*a))
    search.index_site(site, cache=cache)
    bundle = site / "pagefind"
    first = {p.relative_to(bundle): p.read_bytes() for p in bundle.rglob("*") if p.is_file()}
    assert sorted(calls) == ["", "plans/a/", "plans/b/"]
    calls.clear()
    packed: list[bytes] = []
    real_gz = searchindex._gz
    monkeypatch.setattr(searchindex, "_gz", lambda data: packed.append(data) or real_gz(data))
    search.index_site(site, cache=cache)
    assert calls == [] and {p.relative_to(bundle): p.read_bytes() for p in bundle.rglob("*") if p.is_file()} == first
    # the pages' display files come from the cache as compressed before, with the text they show:
    # the cache's files themselves, hard-linked (a link is some 20 times cheaper than a new file)
    assert not [data for data in packed if b'"content"' in data]
    kept = {p.stat().st_ino: p for p in (tmp_path / "cache" / "search").rglob("*.ckr")}
    shown = sorted((bundle / "page").rglob("*.ckr"))
    assert len(kept) == len(shown) == 3 and {p.stat().st_ino for p in shown} == set(kept)
    # a kept display file replaced by other bytes is refused: that page is read again
    blob = next(iter(kept.values()))
    data = blob.read_bytes()
    blob.unlink()
    blob.write_bytes(data.replace(b"\x1f\x8b", b"\x1f\x8b\x00", 1))
    search.index_site(site, cache=cache)
    assert (
        len(calls) == 1 and {p.relative_to(bundle): p.read_bytes() for p in bundle.rglob("*") if p.is_file()} == first
    )
    calls.clear()
    page = site / "plans/b/index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("hòa giải", "hòa giải, dân vận"), encoding="utf-8")
    search.index_site(site, cache=cache)
    assert calls == ["plans/b/"]


def test_two_pages_of_the_same_html_keep_their_own_address_through_the_cache(tmp_path, monkeypatch):
    """Two bodies of the same name in a preview build (no canonical address) are the same HTML: the
    cached record of one must not be given to the other."""
    monkeypatch.setenv("CONGKHAI_WORKERS", "1")
    site = write_site(tmp_path)
    (site / "plans/c").mkdir()
    (site / "plans/c/index.html").write_bytes((site / "plans/a/index.html").read_bytes())
    cache = PageCache(tmp_path / "cache", b"k" * 32, "base")
    for _ in range(2):  # the second time, every record from the cache
        search.index_site(site, cache=cache)
        reader = Reader(site / "pagefind")
        urls = sorted(reader.record(n)["url"] for n in range(reader.meta["pages"]))
        assert urls == ["", "plans/a/", "plans/b/", "plans/c/"]


class _PythonReader(HTMLParser):
    """Python's own HTML parser driving the same reader: what the index read before lxml."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.reader = searchindex._Reader()

    def handle_starttag(self, tag, attrs):
        self.reader.handle_starttag(tag, dict(attrs))

    def handle_endtag(self, tag):
        self.reader.handle_endtag(tag)

    def handle_startendtag(self, tag, attrs):  # ``<br/>`` as ``<br>``: the built pages write the latter
        self.reader.handle_starttag(tag, dict(attrs))

    def handle_data(self, data):
        self.reader.handle_data(data)


_words = st.sampled_from(["Dân", "vận", "khéo", "Đảng", "ủy", "hòa", "giải", "72/KH-UBND", "&amp;", "&lt;b&gt;", "x"])
_text = st.lists(_words, max_size=5).map(" ".join)
_attrs = st.sampled_from(
    ["", ' data-pagefind-weight="7"', " data-pagefind-ignore", ' data-pagefind-weight="0"', ' class="a"']
)


_INLINE = ["span", "em", "strong", "a"]
_BLOCKS = ["p", "div", "h2", "ul", "table", *_INLINE]


@st.composite
def _html(draw, depth=0, inline=False):
    """Well-formed HTML as MkDocs writes it: paragraphs and headings hold phrasing only, list items
    sit in lists, cells in rows of a table."""
    parts = [draw(_text)]
    for _ in range(draw(st.integers(0, 3 if depth < 3 else 0))):
        tag = draw(st.sampled_from(_INLINE if inline else _BLOCKS))
        attrs = draw(_attrs)
        if tag == "ul":
            inner = f"<li{attrs}>{draw(_html(depth + 1))}</li>"
        elif tag == "a":  # a link holds text only (a link in a link is not HTML)
            inner = draw(_text)
        elif tag == "table":
            inner = f"<tbody><tr><td{attrs}>{draw(_html(depth + 1))}</td><td>{draw(_text)}</td></tr></tbody>"
        else:
            inner = draw(_html(depth + 1, inline or tag in ("p", "h2", *_INLINE)))
        br = draw(st.sampled_from(["", " ", "<br>", "<br/>"])) if inline or tag in _INLINE else ""
        parts.append(f"<{tag}{attrs}>{inner}</{tag}>{br}")
        parts.append(draw(_text))
    return "".join(parts)


@given(_html(), _text)
def test_lxml_reads_a_page_as_pythons_html_parser_did(inner, title):
    """The index reads pages with lxml (libxml2) as its target; on well-formed pages it must give
    the record Python's html.parser gave: same words, weights, text and title."""
    page = (
        f"<article class='md-content__inner' data-pagefind-body><h1>{title}</h1>{inner}"
        f"<div hidden aria-hidden='true'><p>{search.SENTINEL}</p><p data-pagefind-weight='10'>dan van</p></div>"
        "</article>"
    )
    python = _PythonReader()
    python.feed(page[: page.rfind("</article>")])
    python.close()
    expected = python.reader.record("u/", "khac", "")
    assert searchindex.page_record(page, "u/", "khac", "") == expected


def test_the_vendored_inflater_is_fflate_as_published_and_copied_into_the_index(tmp_path: Path) -> None:
    import hashlib

    _write(tmp_path / "idx", [Page("khac", "", "a.html")], [Record("/a/", "A", "khac", "", "a", 1, {"a": 1})], 8)
    assert (tmp_path / "idx" / "fflate.js").read_bytes() == searchindex.INFLATE.read_bytes()
    digest = hashlib.sha256(searchindex.INFLATE.read_bytes()).hexdigest()
    assert digest == "b7ca4450b19559a1d50eb381adcee94b82449674be4cd17789d9beba7e6122a1"  # vendor/fflate/README.md
    assert digest in (searchindex.INFLATE.parent / "README.md").read_text(encoding="utf-8")


def test_the_files_are_compressed_and_written_beside_the_caller(tmp_path, monkeypatch):
    """The main process adds the postings while another thread compresses and writes the files:
    both were the search stage's critical path at 10,000 plans."""
    threads: set[str] = set()
    real = indexwriter.gz
    monkeypatch.setattr(indexwriter, "gz", lambda data: threads.add(threading.current_thread().name) or real(data))
    _write(tmp_path / "idx", *synthetic(120), batch=50)
    assert threads == {"search-index-writer"}
    assert not any(t.name == "search-index-writer" for t in threading.enumerate())


def test_a_file_the_writer_cannot_write_stops_the_index_with_the_error(tmp_path, monkeypatch):
    import errno

    real = Path.write_bytes

    def full(self: Path, data: bytes) -> int:
        if self.suffix == ".ckp":
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", full)
    with pytest.raises(OSError, match="No space left"):
        _write(tmp_path / "idx", *synthetic(120), batch=50)
    assert not (tmp_path / "idx" / "meta.json").exists()
    assert not any(t.name == "search-index-writer" for t in threading.enumerate())


@given(
    st.dictionaries(st.text(min_size=1).filter(lambda t: "\n" not in t), st.integers(-(2**31), 2**31 - 1)),
    st.text(),
    st.integers(0, 10**6),
)
def test_a_record_read_back_from_its_cache_entry_is_the_record(tokens, title, length):
    record = Record("a/", title, "ke-hoach", "Cần Thơ", "nội dung", length, tokens)
    entry = record.to_entry()
    assert entry is not None
    back = Record.from_entry(entry)
    assert back is not None
    assert back.counts() == tokens and list(back.counts()) == sorted(tokens)
    assert (back.url, back.title, back.kind, back.province, back.length) == ("a/", title, "ke-hoach", "Cần Thơ", length)
    assert back.shown == hashlib.sha256(record.display_file()).hexdigest()
    with pytest.raises(ValueError):  # its text is in the cache's display file alone
        back.display_file()
    with tempfile.TemporaryDirectory() as tmp:
        blob = Path(tmp) / "kept.ckr"
        blob.write_bytes(record.display_file())
        read = kept_display(back, blob, None)
        assert read is not None and read.display_file() == record.display_file()
        linked = kept_display(back, blob, Path(tmp) / "page" / "0" / "0.ckr")
        assert linked is not None and linked.written == hashlib.sha256(record.display_file()).digest()
        assert (Path(tmp) / "page" / "0" / "0.ckr").stat().st_ino == blob.stat().st_ino
        blob.write_bytes(record.display_file() + b"!")  # other bytes: refused, the page read again
        assert kept_display(back, blob, None) is None and kept_display(back, blob, Path(tmp) / "1.ckr") is None
    assert Record.from_entry(entry[: entry.index(b"\n")]) is None  # (a damaged entry fails its MAC first)


def test_a_record_whose_token_holds_a_line_break_is_not_kept():
    assert Record("a/", "t", "khac", "", "", 1, {"a\nb": 1}).to_entry() is None
