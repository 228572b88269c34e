"""A long list's filter data: a manifest of every filter value, and the rows in shards.

A list longer than one page (:mod:`.cards`) is filtered in the browser (``javascripts/tables.js``).
So that a filter acts on the whole list and not only on the page shown, while fetching no more than
it shows, the list is also published as small JSON files (:func:`.sitemap.filter_manifest`):

* **the manifest**: for each filter key, every value of the whole list as ``[code, label, count,
  shards]`` (the shards that hold rows with that value), and the shards in list order with their
  row counts — so the selects offer every value, and a choice fetches only the shards that can
  contain matches;
* **the bodies by province**: the issuing bodies and lead units number in the thousands at national
  scale (1.3 MB of manifest at 10,000 plans), and a select of thousands of names helps no one; so
  the keys of :data:`SCOPED` are not in the manifest but in one small file per province
  (:func:`.sitemap.filter_values`), fetched when a province is chosen — province first, then body;
* **the shards**: each row written exactly once, in the shard of its group (a year and a
  province: the newest year first), each group cut into shards of at most :data:`CHUNK` rows.

Rows are plain values (texts, the pages' URLs below the site root, the filter codes), never HTML:
the browser writes them with ``textContent`` and ``setAttribute``. Output is deterministic: sorted
keys, groups and values in a stable order.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..load.rendercache import TextCache
from ..model.sitemap import filter_manifest, filter_shard, filter_values
from ..vietnamese.text import fold
from .cards import Cell, cell_html, part_data
from .memo import cached

#: Rows in one shard. The heaviest row (a task: 280 characters of text, its plan's title, units,
#: deadline) is well under 1 KB of JSON, so a shard stays under about 250 KB; a province's year of
#: plans is usually one shard.
CHUNK = 250
#: Keys whose values are listed per province (key → the key that scopes them), not in the manifest.
SCOPED = {"issuer": "province", "lead": "province"}
#: The scope value of rows that have none (a plan whose province is not recorded).
NO_SCOPE = "khong-ghi"


@dataclass(frozen=True)
class FilterRow:
    """A row of a list as data: its group (``(order, name)``: shards are written in ``order``), its
    filter values (key → ``(code, label)`` pairs), the row's sort attributes and its cells."""

    group: tuple[str, str]
    values: Mapping[str, Sequence[tuple[str, str]]]
    attrs: Mapping[str, str]
    cells: Sequence[Cell]


@dataclass(frozen=True)
class Made:
    """How a list's rows are made from its items, for :func:`filter_files`: ``group`` (cheap) says
    where an item's row goes before ``row`` makes it."""

    group: Callable[[Any], tuple[str, str]]
    row: Callable[[Any], FilterRow]
    #: the key of what a shard's rows read, from its items (:mod:`.deps`): with it, a shard whose
    #: items' plans did not change is read back with its :class:`Tally`, its rows not made
    key: Callable[[Sequence[Any]], str] | None = None


def row_html(here: str, data: FilterRow) -> tuple[dict[str, str], list[str]]:
    """A row on page ``here``: its attributes (each filter's labels, its sort attributes) and cells as HTML."""
    attrs = {k: "; ".join(label for _, label in v) for k, v in data.values.items()}
    attrs.update(data.attrs)
    return attrs, [cell_html(here, cell) for cell in data.cells]


def _codes(row: FilterRow) -> dict[str, list[str]]:
    """A row's filter codes by key (sorted keys; a value once a row)."""
    return {key: [code for code, _ in dict.fromkeys(row.values[key])] for key in sorted(row.values) if row.values[key]}


def _shard(rows: tuple[FilterRow, ...]) -> str:
    """A shard's text from its rows alone."""
    return dumps(
        [{"a": dict(r.attrs), "c": [[part_data(p) for p in cell] for cell in r.cells], "f": _codes(r)} for r in rows]
    )


#: a row's filter values (key → its ``(code, label)`` pairs)
Values = Mapping[str, Sequence[tuple[str, str]]]


@dataclass(frozen=True)
class Tally:
    """What a shard adds to its list's manifest and value files, from its rows' filter values
    (:func:`tally`): the first label of each code, in the order the rows give them (``[key, code,
    label]``), and how many of its rows hold each code, by key and scope value (``[key, place, code,
    count]``, in the order first met). A shard read back from the cache brings this, not each row's
    values: decoding and walking 113,000 rows' values every rebuild was a fifth of the task list's
    filter job at 10,000 plans, for sums that change only with the shard."""

    keys: tuple[str, ...]  # the list's filter keys it was made for (another list's tally is refused)
    labels: tuple[tuple[str, str, str], ...]
    counts: tuple[tuple[str, str, str, int], ...]


def tally(values: Sequence[Values], keys: Sequence[str]) -> Tally:
    """A shard's :class:`Tally` from its rows' filter values, for a list of filter ``keys``."""
    wanted = set(keys)
    scoped = _scoped(keys)
    labels: dict[tuple[str, str], str] = {}
    counts: dict[tuple[str, str, str], int] = {}
    for row_values in values:
        codes: dict[str, list[str]] = {}
        for key in sorted(row_values):
            for code, label in dict.fromkeys(row_values[key]):  # a value once a row
                codes.setdefault(key, []).append(code)
                if key in wanted:
                    labels.setdefault((key, code), label)
        for key in codes:
            if key not in wanted:
                continue
            places = [""] if key not in scoped else (codes.get(scoped[key]) or [NO_SCOPE])
            for place in dict.fromkeys(places):
                for code in codes[key]:
                    counts[(key, place, code)] = counts.get((key, place, code), 0) + 1
    return Tally(
        tuple(keys),
        tuple((key, code, label) for (key, code), label in labels.items()),
        tuple((key, place, code, n) for (key, place, code), n in counts.items()),
    )


def _scoped(keys: Sequence[str]) -> dict[str, str]:
    """The keys of ``keys`` listed per province (:data:`SCOPED`), with the key that scopes them."""
    return {k: v for k, v in SCOPED.items() if k in keys and v in keys}


def _shard_of(
    items: Sequence[Any], group: tuple[str, str], keys: Sequence[str], cache: TextCache | None, made: Made | None
) -> tuple[str, int, Tally]:
    """A shard's text, its row count and :class:`Tally`: made from its rows (cached by their hash),
    or, when ``made`` keys shards by what they read (:attr:`Made.key`), read back under that key."""
    key = made.key(items) if made is not None and made.key is not None and cache is not None else None
    if key is not None and cache is not None and (found := _read_shard(cache.get(key), keys)) is not None:
        return found
    part = [made.row(item) for item in items] if made else list(items)
    assert all(row.group == group for row in part), "a row made apart from its group"
    text = _shard(tuple(part)) if key is not None else cached(cache, "filter-shard", tuple(part), _shard)
    counted = tally([row.values for row in part], keys)
    if key is not None and cache is not None:
        entry = {
            "text": text,
            "rows": len(part),
            "keys": counted.keys,
            "labels": counted.labels,
            "counts": counted.counts,
        }
        cache.put(key, json.dumps(entry, ensure_ascii=False))
    return text, len(part), counted


def _read_shard(entry: str | None, keys: Sequence[str]) -> tuple[str, int, Tally] | None:
    """What :func:`_shard_of` kept for a list of filter ``keys``, or None when ``entry`` is not that
    (missing, another shape, another list's keys)."""
    if entry is None:
        return None
    try:
        found = json.loads(entry)
        text, rows = found["text"], found["rows"]
        assert isinstance(text, str) and type(rows) is int and found["keys"] == list(keys)
        labels = tuple((str(k), str(c), str(label)) for k, c, label in found["labels"])
        counts = tuple((str(k), str(p), str(c), int(n)) for k, p, c, n in found["counts"])
        return text, rows, Tally(tuple(keys), labels, counts)
    except (ValueError, TypeError, KeyError, AssertionError, AttributeError):
        return None


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def filter_files(
    first: str,
    rows: Iterable[Any],
    keys: Sequence[str],
    noun: str,
    chunk: int | None = None,
    cache: TextCache | None = None,
    made: Made | None = None,
) -> dict[str, str]:
    """The manifest, the per-province value files and the shards of the list whose first page is
    ``first`` (path → JSON text).

    ``keys`` are the filter keys the manifest describes; rows keep their order within a group.
    With a ``cache``, each shard's text is kept by the hash of its rows (:mod:`.memo`). With
    ``made``, ``rows`` are the list's items and each shard's rows are made from them as it is
    written (:class:`Made`): the task list's rows all at once were the largest transient of the
    render stage (every task of the country in one worker).
    """
    chunk = chunk or CHUNK
    groups: dict[tuple[str, str], list[Any]] = {}
    for item in rows:
        groups.setdefault(made.group(item) if made else item.group, []).append(item)
    scoped = _scoped(keys)
    out: dict[str, str] = {}
    shards: list[list[Any]] = []
    # (key, scope value) → code → count, shards; the scope value is "" for keys listed whole
    counts: dict[tuple[str, str], dict[str, int]] = {}
    where: dict[tuple[str, str], dict[str, list[int]]] = {}
    labels: dict[str, dict[str, str]] = {k: {} for k in keys}
    for group in sorted(groups):
        items = groups[group]
        for n, start in enumerate(range(0, len(items), chunk), 1):
            text, rows_in, counted = _shard_of(items[start : start + chunk], group, keys, cache, made)
            name = f"{group[1]}-{n}"
            index = len(shards)
            shards.append([name, rows_in])
            for key, code, label in counted.labels:  # the first label of a code, in list order
                labels[key].setdefault(code, label)
            for key, place, code, count in counted.counts:
                noted = counts.setdefault((key, place), {})
                noted[code] = noted.get(code, 0) + count
                found = where.setdefault((key, place), {}).setdefault(code, [])
                if not found or found[-1] != index:
                    found.append(index)
            out[filter_shard(first, name)] = text

    def listed(key: str, place: str) -> list[list[Any]]:
        noted, found = counts.get((key, place), {}), where.get((key, place), {})
        return [
            [code, labels[key][code], noted[code], found[code]]
            for code in sorted(noted, key=lambda c: (fold(labels[key][c]), c))
        ]

    for key in scoped:
        # a body is listed under each province its rows are in, counted there: the file of a
        # province holds exactly the bodies a reader can combine with it
        for key_, place in sorted(counts):
            if key_ == key:
                out[filter_values(first, key, place)] = dumps(listed(key, place))
    manifest = {
        "keys": list(keys),
        "noun": noun,
        "scoped": scoped,
        "shards": shards,
        "total": sum(n for _, n in shards),
        "values": {k: listed(k, "") for k in keys if k not in scoped},
    }
    out[filter_manifest(first)] = dumps(manifest)
    return out
