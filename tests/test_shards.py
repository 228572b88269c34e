"""A long list's filter data (render/shards.py): every row once, bounded files, counts that add up,
plain values only, the same bytes every time, and the merger of 1 July 2025 honoured."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from congkhai.load.corpus import validate
from congkhai.model import sitemap
from congkhai.render import filters, shards
from congkhai.render.cards import Part
from congkhai.render.listing import Listing
from congkhai.render.shards import FilterRow, filter_files


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    from tests.conftest import copy_sources

    repo = copy_sources(tmp_path_factory.mktemp("shards") / "repo")
    v = validate(repo)
    return Listing(v.model, v.published), v.published


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A generated corpus of 150 plans (about 1,600 tasks), shards cut small to have many."""
    from devtools.corpus import generate

    repo = tmp_path_factory.mktemp("shards-big") / "repo"
    generate(repo, 150)
    v = validate(repo)
    return Listing(v.model, v.published), v.published


def read(files: dict[str, str], first: str) -> tuple[dict, list[list[dict]]]:
    manifest = json.loads(files[sitemap.filter_manifest(first)])
    return manifest, [json.loads(files[sitemap.filter_shard(first, name)]) for name, _ in manifest["shards"]]


@pytest.mark.parametrize("first", [sitemap.PLANS, sitemap.TASKS])
def test_every_row_once_and_counts_add_up(generated, first):
    lst, rows = generated
    files = lst.filter_data()
    manifest, parts = read(files, first)
    every = [row for part in parts for row in part]
    expected = len(rows["plans"]) if first == sitemap.PLANS else len(rows["tasks"])
    assert manifest["total"] == len(every) == expected
    assert [len(p) for p in parts] == [n for _, n in manifest["shards"]]
    # each row exactly once: the plans' links (tasks: text + plan + section) are all different
    keys = [json.dumps(r["c"], sort_keys=True) + json.dumps(r["a"]) for r in every]
    assert len(set(keys)) == len(keys) or first == sitemap.TASKS
    if first == sitemap.PLANS:
        urls = [r["c"][0][0]["u"] for r in every]
        assert sorted(urls) == sorted(sitemap.plan_path(p) for p in rows["plans"])
    # the manifest: each value's count is the number of rows holding it, in exactly its shards
    for key, values in manifest["values"].items():
        counted = Counter(code for part in parts for row in part for code in set(row["f"].get(key, [])))
        assert {v[0]: v[2] for v in values} == dict(counted)
        for code, _label, _count, where in values:
            holding = [i for i, part in enumerate(parts) if any(code in r["f"].get(key, []) for r in part)]
            assert where == holding
    # the bodies are not in the manifest but in a file per province: each body's count there is
    # the number of that province's rows holding it, in exactly those rows' shards
    scoped = manifest["scoped"]
    assert set(scoped) == {"issuer", "lead"} & set(manifest["keys"]) and not set(scoped) & set(manifest["values"])
    scope_files = 0
    for key, scope in scoped.items():
        places = sorted({place for part in parts for row in part for place in row["f"].get(scope) or ["khong-ghi"]})
        for place in places:
            values = json.loads(files[sitemap.filter_values(first, key, place)])
            scope_files += 1

            def here(row, place=place, scope=scope):
                return place in (row["f"].get(scope) or ["khong-ghi"])

            counted = Counter(code for part in parts for row in part if here(row) for code in row["f"].get(key, []))
            assert {v[0]: v[2] for v in values} == dict(counted)
            for code, _label, _count, where in values:
                holding = [i for i, part in enumerate(parts) if any(here(r) and code in r["f"][key] for r in part)]
                assert where == holding
    assert scope_files > 10
    # no file written that the manifest does not name
    folder = sitemap.filter_manifest(first).rsplit("/", 1)[0] + "/"
    assert len([k for k in files if k.startswith(folder)]) == len(parts) + 1 + scope_files


def test_shards_are_bounded_and_newest_year_first(generated, monkeypatch):
    lst, _ = generated
    monkeypatch.setattr(shards, "CHUNK", 20)
    files = lst.filter_data()
    manifest, parts = read(files, sitemap.TASKS)
    assert max(len(p) for p in parts) == 20
    assert len(parts) > 50
    # per row at most ~1 KB of JSON, so a shard of CHUNK rows stays a few hundred KB
    for name, _ in manifest["shards"]:
        text = files[sitemap.filter_shard(sitemap.TASKS, name)]
        assert len(text.encode()) <= 20 * 1024, name
    years = [name.split("-")[0] for name, _ in read(files, sitemap.PLANS)[0]["shards"]]
    dated = [y for y in years if y.isdigit()]
    assert dated == sorted(dated, reverse=True) and years[: len(dated)] == dated


def test_rows_are_plain_values_not_html(seed):
    lst, _ = seed
    files = lst.filter_data()
    for first in (sitemap.PLANS, sitemap.TASKS):
        _, parts = read(files, first)
        for row in (r for p in parts for r in p):
            assert set(row) == {"a", "c", "f"}
            for cell in row["c"]:
                for part in cell:
                    assert set(part) <= {"t", "u", "s"} and isinstance(part["t"], str)
                    assert "<a " not in part["t"] and "<br>" not in part["t"] and "&amp;" not in part["t"]
                    if "u" in part:  # a page of the site, below its root: never a scheme or another host
                        assert re.fullmatch(r"[a-z0-9][a-z0-9._/-]*/", part["u"]), part["u"]
            assert all(isinstance(v, list) and all(isinstance(c, str) for c in v) for v in row["f"].values())


def test_a_hostile_title_stays_a_plain_value():
    cells = [(Part('<img src=x onerror=alert(1)> & "x"', "plans/a/b.md"),)]
    row = FilterRow(("0", "g"), {"type": [("<b>", "<b>")]}, {}, cells)
    files = filter_files(sitemap.PLANS, [row], ("type",), "kế hoạch")
    data = json.loads(files[sitemap.filter_shard(sitemap.PLANS, "g-1")])
    assert data[0]["c"][0][0] == {"t": '<img src=x onerror=alert(1)> & "x"', "u": "plans/a/b/"}
    assert json.loads(files[sitemap.filter_manifest(sitemap.PLANS)])["values"]["type"] == [["<b>", "<b>", 1, [0]]]


def test_the_same_bytes_every_time(generated):
    lst, _ = generated
    assert lst.filter_data() == lst.filter_data()
    files = lst.filter_data()
    assert all(text.endswith("\n") and "\n" not in text[:-1] for text in files.values())


def test_a_merged_province_is_found_under_its_successor(seed):
    """A plan issued in the former Bắc Giang is listed under Bắc Ninh (as on the home page)."""
    lst, _rows = seed
    manifest, parts = read(lst.filter_data(), sitemap.PLANS)
    provinces = {v[0]: v for v in manifest["values"]["province"]}
    assert "bac-giang" not in provinces
    _code, label, count, where = provinces["bac-ninh-2025"]
    assert label == "Bắc Ninh" and count == 1
    (row,) = [r for i in where for r in parts[i] if "bac-ninh-2025" in r["f"]["province"]]
    assert row["c"][0][0]["u"].startswith("plans/bac-giang/")
    assert row["c"][5] == [{"t": "Bắc Giang"}]  # the cell still names where it was issued


def test_the_lists_say_where_their_filter_data_is(seed):
    lst, _ = seed
    pages = lst.pages()
    assert 'data-index="../loc/ke-hoach/index.json" data-root="../"' in pages[sitemap.PLANS]
    assert 'data-index="../loc/nhiem-vu/index.json" data-root="../"' in pages[sitemap.TASKS]
    assert 'data-index="../../loc/nhiem-vu/index.json" data-root="../../"' in pages["tasks/trang-2.md"]
    assert sitemap.filter_manifest(sitemap.PLANS) in pages and sitemap.filter_manifest(sitemap.TASKS) in pages


def test_rows_made_a_shard_at_a_time_give_the_same_files(generated, monkeypatch):
    """With ``made``, the rows are made shard by shard from the items and let go (the task list's
    rows all at once were the render stage's largest transient): the same files as rows made up
    front, and never more than two shards' rows alive at once (the one written, the one made)."""
    import gc
    import weakref

    lst, _ = generated
    monkeypatch.setattr(shards, "CHUNK", 40)
    tasks = lst.listed_tasks()
    keys = ("province", "lead", "status", "year", "recurrence")
    whole = filter_files(sitemap.TASKS, [lst.make_task_data(t) for t in tasks], keys, "nhiệm vụ")
    alive: list[weakref.ref[FilterRow]] = []
    most = 0
    real = lst.make_task_data

    def make(t):
        nonlocal most
        if len(alive) % 10 == 0:
            gc.collect()
            most = max(most, sum(1 for r in alive if r() is not None))
        row = real(t)
        alive.append(weakref.ref(row))
        return row

    monkeypatch.setattr(lst, "make_task_data", make)
    assert filters.task_filters(lst) == whole  # what the task list's filter job writes
    assert len(tasks) > 400 and 0 < most <= 80


class _Memory:
    """A render cache in memory that counts what it is asked for."""

    def __init__(self) -> None:
        self.entries: dict[str, str] = {}

    def get(self, key: str) -> str | None:
        return self.entries.get(key)

    def put(self, key: str, text: str) -> None:
        self.entries[key] = text


@pytest.mark.parametrize("name", ["plans", "tasks"])
def test_shards_read_back_from_the_cache_give_the_same_files_without_making_rows(generated, monkeypatch, name):
    """A keyed shard read back brings its tally (labels and counts), not its rows' values: the
    manifest and value files summed from the tallies are byte for byte those of a list made without
    a cache, and no row is made again (shards cut small: codes spread over many shards)."""
    from congkhai.render import deps

    lst, rows = generated
    monkeypatch.setattr(shards, "CHUNK", 7)
    clean = filters.FILTERS[name](lst)
    cache = _Memory()
    keyed = Listing(lst.model, rows, cache=cache)  # type: ignore[arg-type]
    keyed.keyed = deps.Keyed(deps.plan_digests(lst.model, rows), deps.common_digest(lst.model, rows), cache)  # type: ignore[arg-type]
    assert filters.FILTERS[name](keyed) == clean  # made, and kept
    assert len(cache.entries) > 20
    made = {"plans": "make_plan_data", "tasks": "make_task_data"}[name]
    monkeypatch.setattr(keyed, made, lambda *_: pytest.fail("a row made again"))
    assert filters.FILTERS[name](keyed) == clean  # read back


def test_a_tally_sums_each_code_once_a_row_under_each_of_its_places():
    """What a shard adds to the manifest: a code a row names twice counted once; a body counted under
    each province of its row (and under "khong-ghi" for a row without one); the first label kept."""
    rows = [
        {"province": [("a", "A")], "issuer": [("u", "U"), ("u", "U")], "year": [("2025", "2025")]},
        {"province": [("a", "A"), ("b", "B")], "issuer": [("u", "U khác")]},
        {"issuer": [("v", "V")], "status": [("x", "X")]},
    ]
    counted = shards.tally(rows, ("province", "issuer", "year"))
    assert counted.labels == (
        ("issuer", "u", "U"),
        ("province", "a", "A"),
        ("year", "2025", "2025"),
        ("province", "b", "B"),
        ("issuer", "v", "V"),
    )
    assert sorted(counted.counts) == [
        ("issuer", "a", "u", 2),
        ("issuer", "b", "u", 1),
        ("issuer", "khong-ghi", "v", 1),
        ("province", "", "a", 2),
        ("province", "", "b", 1),
        ("year", "", "2025", 1),
    ]
    # a province named twice in a row (two spellings of one code): its bodies counted there once
    twice = shards.tally([{"province": [("c", "C"), ("c", "C.")], "issuer": [("w", "W")]}], ("province", "issuer"))
    assert ("issuer", "c", "w", 1) in twice.counts


def test_a_shard_kept_for_another_lists_keys_is_made_again():
    cache = _Memory()
    row = FilterRow(("0", "g"), {"type": [("x", "X")], "kind": [("k", "K")]}, {}, [])
    made = shards.Made(lambda _: ("0", "g"), lambda _: row, key=lambda items: "same-key")
    first = filter_files(sitemap.PLANS, [1], ("type",), "kế hoạch", cache=cache, made=made)  # type: ignore[arg-type]
    other = filter_files(sitemap.PLANS, [1], ("type", "kind"), "kế hoạch", cache=cache, made=made)  # type: ignore[arg-type]
    assert json.loads(first[sitemap.filter_manifest(sitemap.PLANS)])["values"] == {"type": [["x", "X", 1, [0]]]}
    assert json.loads(other[sitemap.filter_manifest(sitemap.PLANS)])["values"] == {
        "kind": [["k", "K", 1, [0]]],
        "type": [["x", "X", 1, [0]]],
    }
