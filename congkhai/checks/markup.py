"""Titles and names are plain text: markup characters in them are refused.

A title reaches the page ``<title>``, the header, feeds, JSON-LD and every list; each of those
escapes it, but a value that *looks* like markup (``</title><img …>``) is never what an office
printed, so it is refused at the source with a finding instead of being published escaped. The
fields are those the Table Schemas mark ``x-no-markup: true``, in plans and in reference tables.
"""

from __future__ import annotations

from ..model.findings import Finding
from ..model.schemas import Model
from ..read.records import Tables

MARKUP = frozenset("<>")


def no_markup_fields(model: Model) -> dict[str, list[str]]:
    """Table name → the fields declared ``x-no-markup`` in its schema."""
    out: dict[str, list[str]] = {}
    for table in model.tables.values():
        names = [f.name for f in table.fields if f.descriptor.get("x-no-markup")]
        if names:
            out[table.name] = names
    return out


def check_markup(model: Model, tables: Tables) -> list[Finding]:
    """A finding for each declared field whose value contains ``<`` or ``>``."""
    out: list[Finding] = []
    for name, fields in no_markup_fields(model).items():
        for row, origin in tables.iter(name):
            for key in fields:
                value = row.get(key)
                if isinstance(value, str) and not MARKUP.isdisjoint(value):
                    char = next(ch for ch in value if ch in MARKUP)
                    out.append(origin.finding(key, "markup-in-text", key=key, char=char))
    return out
