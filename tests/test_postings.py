"""The postings' array assembly (publish/postings.py) gives the bytes of the reference codec:
scores as :func:`score_byte`, encodings as :func:`encode_postings`, and the postings files and
dictionary of a plain token-by-token merge, whatever the parts' size and the batches."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from congkhai.publish import postings
from congkhai.publish.searchindex import K1, B, encode_postings, score_byte


@given(
    st.lists(st.tuples(st.integers(1, 10_000), st.integers(0, 200_000)), min_size=1, max_size=200),
    st.one_of(st.just(0.0), st.floats(min_value=0.01, max_value=5_000.0)),  # a mean of page lengths, or none
)
def test_scores_are_the_reference_scores(pairs, avg):
    freqs = np.array([f for f, _ in pairs], dtype=np.int64)
    lengths = np.array([n for _, n in pairs], dtype=np.int64)
    got = postings.scores(freqs, lengths, avg, K1, B).tolist()
    assert got == [score_byte(f, n, avg) for f, n in pairs]


@given(
    st.lists(
        st.lists(
            st.tuples(st.sampled_from([0, 1, 126, 127, 128, 16_383, 16_384, 2**21, 2**28 + 5]), st.integers(0, 255)),
            min_size=1,
            max_size=12,
        ),
        min_size=1,
        max_size=8,
    )
)
def test_encoding_is_the_reference_encoding(tokens):
    lists = []
    for gaps in tokens:
        page, token = -1, []
        for gap, score in gaps:
            page += gap + 1
            token.append((page, score))
        lists.append(token)
    df = np.array([len(t) for t in lists], dtype=np.int64)
    pages = np.array([p for t in lists for p, _ in t], dtype=np.int64)
    score = np.array([s for t in lists for _, s in t], dtype=np.uint8)
    data, ends = postings.encode(df, pages, score)
    expected = [encode_postings(t) for t in lists]
    assert data.tobytes() == b"".join(expected)
    assert ends.tolist() == np.cumsum([len(e) for e in expected]).tolist()


def test_pages_out_of_order_are_refused():
    with pytest.raises(ValueError):
        postings.encode(np.array([2]), np.array([5, 5]), np.array([1, 1], dtype=np.uint8))


def reference(pages: dict[int, dict[str, int]], lengths: dict[int, int], limit: int) -> tuple[list, dict[str, bytes]]:
    """The merge as it was written before (one token at a time, in Python)."""
    avg = sum(lengths.values()) / len(lengths) if lengths else 0.0
    merged: dict[str, list[tuple[int, int]]] = {}
    for n in sorted(pages):
        for token, tf in pages[n].items():
            if tf > 0:
                merged.setdefault(token, []).append((n, tf))
    dictionary, files, buf, file_no = [], {}, bytearray(), 0
    for token in sorted(merged):
        data = encode_postings([(n, score_byte(tf, lengths[n], avg)) for n, tf in merged[token]])
        dictionary.append((token, len(merged[token]), file_no, len(buf), len(data)))
        buf += data
        if len(buf) >= limit:
            files[f"{file_no}.ckp"], file_no, buf = bytes(buf), file_no + 1, bytearray()
    if buf or file_no == 0:
        files[f"{file_no}.ckp"] = bytes(buf)
    return dictionary, files


def assemble(
    tmp: Path, pages: dict[int, dict[str, int]], lengths: dict[int, int], limit: int, batch: int, packed: int = 0
):
    """The postings of ``pages``; with ``packed`` every ``packed``-th page added as a cache entry
    holds its tokens (:meth:`.postings.Postings.add_packed`: one a line, weights as ``int32``)."""
    spilled = postings.Postings(tmp)
    for i, n in enumerate(sorted(pages)):
        if packed and i % packed == 0:
            items = sorted(pages[n].items())
            spilled.add_packed(n, "\n".join(t for t, _ in items), np.array([w for _, w in items], "<i4").tobytes())
        else:
            spilled.add(n, pages[n])
        if i % batch == batch - 1:
            spilled.spill()
    length_of = np.zeros(max(pages, default=0) + 1, dtype=np.int64)
    for n, length in lengths.items():
        length_of[n] = length
    avg = sum(lengths.values()) / len(lengths) if lengths else 0.0
    files: dict[str, bytes] = {}

    def write(path: Path, data: bytes) -> None:
        files[path.name] = data

    return postings.write_files(tmp, spilled.parts(), length_of, avg, K1, B, limit, write), files


corpora = st.dictionaries(
    st.integers(0, 3_000),
    st.dictionaries(st.text(alphabet="abđ1ạ", min_size=1, max_size=4), st.integers(0, 40), max_size=10),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(corpora, st.integers(1, 200), st.integers(1, 9), st.integers(1, 50), st.integers(0, 3))
def test_files_and_dictionary_are_the_reference_merge(tmp_path_factory, pages, limit, batch, part, packed):
    lengths = {n: (n * 7) % 90 + 1 for n in pages}
    tmp = tmp_path_factory.mktemp("spill")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(postings, "PART_POSTINGS", part)  # many parts: the open file carried across them
        got = assemble(tmp, pages, lengths, limit, batch, packed)
    assert got == reference(pages, lengths, limit)


def test_a_token_on_more_pages_than_a_part_is_a_part_of_its_own(tmp_path, monkeypatch):
    monkeypatch.setattr(postings, "PART_POSTINGS", 3)
    pages = {n: {"dan": 1 + n % 5, "van": 2} for n in range(20)} | {30: {"a": 1}}
    lengths = {n: 10 for n in pages}
    assert assemble(tmp_path, pages, lengths, 16, 4) == reference(pages, lengths, 16)


def test_each_spill_holds_only_its_batch_and_nothing_is_kept(tmp_path):
    spilled = postings.Postings(tmp_path)
    spilled.add(0, {"dan": 2, "van": 1})
    spilled.spill()
    spilled.add(1, {"dan": 1})
    spilled.spill()
    sizes = [np.fromfile(p, dtype=np.int32).reshape(3, -1).shape[1] for p in spilled.spills]
    assert sizes == [2, 1] and spilled._batch == []


def test_written_files_are_gzip_in_the_bundle(tmp_path):
    """Through write_index: the postings files it writes are what the reference merge gives."""
    from congkhai.publish.searchindex import Page, Record, write_index

    tokens = [{"dan": 3, "van": 1}, {"dan": 1, "kheo": 4}, {}]
    pages = [Page("ke-hoach", "", f"p/{i}/index.html") for i in range(3)]
    records = [Record(f"p/{i}/", f"T{i}", "ke-hoach", "", "x", 5 + i, t) for i, t in enumerate(tokens)]
    write_index(tmp_path / "idx", pages, lambda part: [records[int(p.rel.split("/")[1])] for p in part], ["ke-hoach"])
    _, files = reference(dict(enumerate(tokens)), {i: 5 + i for i in range(3)}, 48 * 1024)
    for name, data in files.items():
        assert gzip.decompress((tmp_path / "idx" / "post" / name).read_bytes()) == data
