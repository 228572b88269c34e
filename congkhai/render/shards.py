"""A long list's filter data: a manifest of every filter value, and the rows in shards.

A list longer than one page (:mod:`.cards`) is filtered in the browser (``javascripts/tables.js``).
So that a filter acts on the whole list and not only on the page shown, while fetching no more than
it shows, the list is also published as small JSON files (:func:`.sitemap.filter_manifest`):

* **the manifest**: for each filter key, every value of the whole list as ``[code, label, count,
  shards]`` (the shards that hold rows with that value), and the shards in list order with their
  row counts — so the selects offer every value, and a choice fetches only the shards that can
  contain matches;
* **the shards**: each row written exactly once, in the shard of its group (a year and a
  province: the newest year first), each group cut into shards of at most :data:`CHUNK` rows.

Rows are plain values (texts, the pages' URLs below the site root, the filter codes), never HTML:
the browser writes them with ``textContent`` and ``setAttribute``. Output is deterministic: sorted
keys, groups and values in a stable order.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..model.sitemap import filter_manifest, filter_shard
from ..vietnamese.text import fold
from .cards import Cell, part_data

#: Rows in one shard. The heaviest row (a task: 280 characters of text, its plan's title, units,
#: deadline) is well under 1 KB of JSON, so a shard stays under about 250 KB; a province's year of
#: plans is usually one shard.
CHUNK = 250


@dataclass(frozen=True)
class FilterRow:
    """A row of a list as data: its group (``(order, name)``: shards are written in ``order``), its
    filter values (key → ``(code, label)`` pairs), the row's sort attributes and its cells."""

    group: tuple[str, str]
    values: Mapping[str, Sequence[tuple[str, str]]]
    attrs: Mapping[str, str]
    cells: Sequence[Cell]


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def filter_files(
    first: str, rows: Iterable[FilterRow], keys: Sequence[str], noun: str, chunk: int | None = None
) -> dict[str, str]:
    """The manifest and shards of the list whose first page is ``first`` (path → JSON text).

    ``keys`` are the filter keys the manifest describes; rows keep their order within a group.
    """
    chunk = chunk or CHUNK
    groups: dict[tuple[str, str], list[FilterRow]] = {}
    for row in rows:
        groups.setdefault(row.group, []).append(row)
    out: dict[str, str] = {}
    shards: list[list[Any]] = []
    counts: dict[str, dict[str, int]] = {k: {} for k in keys}
    labels: dict[str, dict[str, str]] = {k: {} for k in keys}
    where: dict[str, dict[str, list[int]]] = {k: {} for k in keys}
    for group in sorted(groups):
        items = groups[group]
        for n, start in enumerate(range(0, len(items), chunk), 1):
            part = items[start : start + chunk]
            name = f"{group[1]}-{n}"
            index = len(shards)
            shards.append([name, len(part)])
            data = []
            for row in part:
                codes: dict[str, list[str]] = {}
                for key in sorted(row.values):
                    for code, label in dict.fromkeys(row.values[key]):  # a value once a row
                        codes.setdefault(key, []).append(code)
                        if key in counts:
                            counts[key][code] = counts[key].get(code, 0) + 1
                            labels[key].setdefault(code, label)
                            found = where[key].setdefault(code, [])
                            if not found or found[-1] != index:
                                found.append(index)
                data.append(
                    {"a": dict(row.attrs), "c": [[part_data(p) for p in cell] for cell in row.cells], "f": codes}
                )
            out[filter_shard(first, name)] = dumps(data)
    values = {
        k: [
            [code, labels[k][code], counts[k][code], where[k][code]]
            for code in sorted(counts[k], key=lambda c, k=k: (fold(labels[k][c]), c))  # type: ignore[misc]
        ]
        for k in keys
    }
    manifest = {
        "keys": list(keys),
        "noun": noun,
        "shards": shards,
        "total": sum(n for _, n in shards),
        "values": values,
    }
    out[filter_manifest(first)] = dumps(manifest)
    return out
