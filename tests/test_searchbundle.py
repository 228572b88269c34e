"""The Pagefind bundle in a stable order: filters by kind and province give the same bytes every build."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from congkhai.publish import search as search_module
from congkhai.publish.search import PageHint, index_site
from congkhai.publish.searchbundle import SIGNATURE, BundleError, canonicalize, decode, encode, pagefind_hash
from tests.test_search import PAGE

KINDS = ("ke-hoach", "van-ban", "co-quan", "khac")
PROVINCES = ("Bắc Ninh", "Cần Thơ", "Tây Ninh", "Lạng Sơn", "Thái Nguyên", "Hà Nội")


def write_site(root: Path) -> tuple[Path, dict[str, PageHint]]:
    """Twelve pages of every kind, in six provinces: two filters of many values."""
    site = root / "site"
    hints = {}
    for i in range(12):
        rel = f"p{i}/index.html"
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(PAGE.format(title=f"Trang {i}", number="", body="Dân vận khéo"), encoding="utf-8")
        hints[rel] = PageHint(KINDS[i % 4], (), PROVINCES[i % 6] if i % 4 != 1 else "")
    return site, hints


def read(path: Path) -> object:
    raw = gzip.decompress(path.read_bytes())
    assert raw.startswith(SIGNATURE)
    return decode(raw[len(SIGNATURE) :])


def files(bundle: Path) -> dict[str, bytes]:
    return {p.relative_to(bundle).as_posix(): p.read_bytes() for p in sorted(bundle.rglob("*")) if p.is_file()}


def test_cbor_reads_back_to_its_bytes():
    value = ["loai", [["ke-hoach", [0, 23, 24, 255, 256, 65536, 2**32]], ["Bắc Ninh", []]]]
    assert decode(encode(value)) == value
    assert encode(["a", 1]) == b"\x82\x61a\x01"  # what minicbor writes: definite lengths, short heads
    for bad in (-1, 1.5, {"a": 1}, True, b"x"):
        with pytest.raises(BundleError):
            encode(bad)
    for bad in (b"\xa1\x61a\x01", b"\x82\x01", b"\x01\x02", b"\xf9\x00\x00"):  # a map, truncated, trailing, float
        with pytest.raises(BundleError):
            decode(bad)


def test_hash_is_pagefinds(tmp_path, monkeypatch):
    """Pagefind's full_hash writes each byte in hex without padding (SHA-1 of b"" has bytes 0d, 07, 09)."""
    assert pagefind_hash(b"") == "da39a3ee5e6b4bd3255bfef95601890afd879"
    # a bundle whose one filter has one value is already in order: its names are unchanged by the ordering
    site, hints = write_site(tmp_path)
    one = {rel: PageHint("ke-hoach") for rel in hints}
    monkeypatch.setattr(search_module, "canonicalize", lambda bundle: None)
    index_site(site, one)
    before = sorted(files(site / "pagefind"))
    canonicalize(site / "pagefind")
    assert sorted(files(site / "pagefind")) == before
    assert any(name.startswith("filter/") for name in before)


def test_two_indexings_give_the_same_bundle_with_filters_in_order(tmp_path):
    site, hints = write_site(tmp_path)
    bundles = []
    for _ in range(3):  # without the ordering, three runs of a random hash map agree by chance about once in 10^5
        index_site(site, hints)
        bundles.append(files(site / "pagefind"))
    assert bundles[0] == bundles[1] == bundles[2]
    bundle = site / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    meta_hash = entry["languages"]["vi"]["hash"]
    meta = read(bundle / f"pagefind.{meta_hash}.pf_meta")
    assert isinstance(meta, list)
    assert [name for name, _ in meta[3]] == ["loai", "tinh"]
    # each file is named as Pagefind names it: the hash of its CBOR
    assert meta_hash == "vi_" + pagefind_hash(encode(meta))[:10]
    values = {}
    for name, short in meta[3]:
        index = read(bundle / "filter" / f"{short}.pf_filter")
        assert isinstance(index, list) and index[0] == name
        assert short == ("vi_" + pagefind_hash(encode(index)))[:10]
        values[name] = {value: pages for value, pages in index[1]}
        assert list(values[name]) == sorted(values[name])
    assert sorted(values["loai"]) == sorted(KINDS) and sorted(values["tinh"]) == sorted(PROVINCES)
    assert sum(len(p) for p in values["loai"].values()) == 12
    assert sum(len(p) for p in values["tinh"].values()) == 9  # cited documents have no province
    assert len(list((bundle / "filter").iterdir())) == 2


def test_without_the_ordering_pagefind_differs_between_runs(tmp_path, monkeypatch):
    """Why the bundle is put in order: Pagefind alone writes the filters in a random order."""
    site, hints = write_site(tmp_path)
    monkeypatch.setattr(search_module, "canonicalize", lambda bundle: None)
    seen = set()
    for _ in range(4):
        index_site(site, hints)
        seen.add(tuple(sorted(files(site / "pagefind").items())))
    assert len(seen) > 1


def test_a_bundle_of_another_layout_is_refused(tmp_path):
    site, hints = write_site(tmp_path)
    index_site(site, hints)
    bundle = site / "pagefind"
    meta = next(bundle.glob("*.pf_meta"))
    meta.write_bytes(gzip.compress(SIGNATURE + encode(["1.5.2"])))
    with pytest.raises(BundleError, match="layout"):
        canonicalize(bundle)
    meta.write_bytes(gzip.compress(b"other" + encode(["1.5.2"])))
    with pytest.raises(BundleError, match="signature"):
        canonicalize(bundle)
    (bundle / "pagefind-entry.json").write_text("{}", encoding="utf-8")
    with pytest.raises(BundleError, match="entry"):
        canonicalize(bundle)
