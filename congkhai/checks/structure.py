"""Shape of the front matter: known keys, lists where lists belong, nothing computed by hand.

A typo in a key would silently drop a field from the datasets, so an unknown key is an error,
reported with the nearest valid key.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from ..model.findings import Finding, shape_params
from ..model.schemas import Model, Table
from ..read.frontmatter import Path_, Source


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "mapping"
    if isinstance(value, list):
        return "list"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "number"
    return "text"


def _suggest(key: str, allowed: list[str]) -> tuple[str, str]:
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if not close:
        return "", ""
    return f" — có phải là '{close[0]}'?", f" — did you mean '{close[0]}'?"


def _keys(src: Source, mapping: dict[str, Any], table: Table, path: Path_, extra: list[str]) -> Iterator[Finding]:
    allowed = [f.name for f in table.frontmatter_fields] + extra
    derived = {f.name for f in table.fields if f.derived}
    for key in mapping:
        if not isinstance(key, str):
            yield src.finding(path, "unknown-key", key=str(key), allowed=", ".join(allowed))
        elif key in derived:
            yield src.finding(path + (key,), "derived-key", key=key)
        elif key not in allowed:
            vi, en = _suggest(key, allowed)
            yield src.finding(
                path + (key,), "unknown-key", key=key, suggestion_vi=vi, suggestion_en=en, allowed=", ".join(allowed)
            )


def _lists(src: Source, mapping: dict[str, Any], table: Table, path: Path_) -> Iterator[Finding]:
    for f in table.frontmatter_fields:
        if f.type != "list" or mapping.get(f.name) is None:
            continue
        value = mapping[f.name]
        if not isinstance(value, list):
            yield src.finding(path + (f.name,), "wrong-shape", key=f.name, **shape_params("list", _kind(value)))
            continue
        for i, item in enumerate(value):
            if not isinstance(item, str):
                yield src.finding(path + (f.name, i), "wrong-shape", key=f.name, **shape_params("text", _kind(item)))
            elif isinstance(item, str) and ";" in item:
                yield src.finding(path + (f.name, i), "list-delimiter", key=f.name, value=item)


def check_structure(model: Model, src: Source) -> list[Finding]:
    data = src.data
    if data is None:
        return []
    out: list[Finding] = []
    children = {t.frontmatter_key: t for t in model.child_tables()}
    out += _keys(src, data, model.plan_table, (), [k for k in children if k])
    out += _lists(src, data, model.plan_table, ())
    for key, table in children.items():
        assert key is not None
        value = data.get(key)
        if value is None:
            continue
        if not isinstance(value, list):
            out.append(src.finding((key,), "wrong-shape", key=key, **shape_params("list", _kind(value))))
            continue
        for i, item in enumerate(value):
            if table.scalar:
                if not isinstance(item, str):
                    out.append(src.finding((key, i), "wrong-shape", key=key, **shape_params("text", _kind(item))))
            elif not isinstance(item, dict):
                out.append(src.finding((key, i), "wrong-shape", key=key, **shape_params("mapping", _kind(item))))
            else:
                out += _keys(src, item, table, (key, i), [])
                out += _lists(src, item, table, (key, i))
    return out
