"""The one row comparison: two sets of a table's rows, matched by primary key, give the rows added,
the rows removed and the rows changed with the fields that changed.

Three places compare rows — the dataset diff between git revisions (``commands/diff``), the "what
changed" section of the open-data page (``render/opendata``) and the shard merge, which compares a
shared reference row published by two shards (``commands/merge``). They used to do it three ways;
here they share what a key is, what counts as a changed field and what a change reports, so that
the diff, the page and the merge cannot disagree about whether a row changed.

Rows are mappings of column name to value, as read from CSV (strings, ``None`` for a missing or
empty cell). A field changed when its two values differ as they are: ``""`` and a missing column
are different (a column added since the previous publication changes every row), ``None`` and a
missing column are the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Key = tuple[str, ...]
Row = Mapping[str, Any]


@dataclass
class FieldChange:
    """One field of a row that changed, with both values as text (blank for a missing value)."""

    field: str
    old: str
    new: str


@dataclass
class RowDiff:
    """Keys added, removed and changed (with their field changes), in the order asked for, and the
    rows by key on each side (to label a key with the row's title)."""

    added: list[Key]
    removed: list[Key]
    changed: list[tuple[Key, list[FieldChange]]]
    old: dict[Key, Row]
    new: dict[Key, Row]


def key_of(row: Row, fields: Sequence[str]) -> Key:
    """The row's key as text; a missing or empty value is ``""``."""
    return tuple(str(row.get(f) or "") for f in fields)


def natural(key: Key) -> tuple[tuple[int, int, str], ...]:
    """Sort key for keys whose parts may be numbers: ``("p", "2")`` before ``("p", "10")``."""
    return tuple((0, int(v), "") if v.isdigit() else (1, 0, v) for v in key)


def keyed(rows: Iterable[Row], fields: Sequence[str], *, number_duplicates: bool = True) -> dict[Key, Row]:
    """Rows by key. A key found twice (only in data that did not validate) keeps both copies apart,
    the second as ``…#2``, so neither is lost from a diff; ``number_duplicates=False`` keeps the
    last copy only (what the open-data page has always shown)."""
    out: dict[Key, Row] = {}
    for row in rows:
        key = base = key_of(row, fields)
        n = 1
        while number_duplicates and key in out:
            n += 1
            key = base[:-1] + (f"{base[-1]}#{n}",)
        out[key] = row
    return out


def field_changes(old: Row, new: Row, fields: Iterable[str]) -> list[FieldChange]:
    """The fields, in the order given, whose values differ between two rows."""
    return [FieldChange(f, str(old.get(f) or ""), str(new.get(f) or "")) for f in fields if old.get(f) != new.get(f)]


def compare(
    old_rows: Iterable[Row],
    new_rows: Iterable[Row],
    key: Sequence[str],
    fields: Sequence[str],
    *,
    order: Callable[[Key], Any] | None = natural,
    number_duplicates: bool = True,
) -> RowDiff:
    """Match two sets of rows by ``key`` and compare the ``fields`` of rows found on both sides.

    ``order`` sorts each list of keys (``None``: plain text order); ``number_duplicates`` is as in
    :func:`keyed`."""
    old = keyed(old_rows, key, number_duplicates=number_duplicates)
    new = keyed(new_rows, key, number_duplicates=number_duplicates)
    changed = []
    for k in sorted(old.keys() & new.keys(), key=order):
        fields_changed = field_changes(old[k], new[k], fields)
        if fields_changed:
            changed.append((k, fields_changed))
    return RowDiff(
        sorted(new.keys() - old.keys(), key=order), sorted(old.keys() - new.keys(), key=order), changed, old, new
    )
