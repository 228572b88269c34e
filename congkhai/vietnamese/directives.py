"""Canonical identity of cited documents, and matching citations found in text to the catalogue.

State numbers restart every 1 January and party numbers run per committee term, and a symbol
such as ``TU`` or ``UBND`` names a kind of body in every province. So the id joins the number
and symbol, the year (unless the symbol already carries it) and, for a local issuer, the place:
``33-ct-ttg-2021``, ``30-2020-nd-cp``, ``294-qd-tu-2022-bac-giang-tp-bac-giang``. A document
cited only by name gets the slug of its name (with the place for a local one).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..model.schemas import Vocabulary
from .text import fold, slug


def canonical_id(row: Mapping[str, Any], doc_types: Vocabulary) -> str | None:
    """The id a catalogue row must have, or None when the row lacks what the rule needs."""
    number_symbol = row.get("number_symbol")
    jurisdiction = row.get("jurisdiction")
    if number_symbol:
        base = slug(str(number_symbol))
        year = row.get("year")
        if year not in (None, "") and not str(year).isdigit():
            return None  # the type check reports the year
        if year not in (None, "") and str(year) not in str(number_symbol):
            base += f"-{year}"
    else:
        name = row.get("name") or row.get("title")
        if not name:
            return None
        label = doc_types.label(str(row.get("doc_type")), "vi")
        base = slug(str(name)) if fold(str(name)).startswith(fold(label)) else slug(f"{label} {name}")
    return f"{base}-{jurisdiction}" if jurisdiction else base


@dataclass
class Catalogue:
    """Indexes of the directive catalogue for resolving citations found in plan text."""

    by_number: dict[str, list[dict[str, Any]]]
    by_name: dict[str, list[dict[str, Any]]]

    @classmethod
    def build(cls, rows: Iterable[Mapping[str, Any]]) -> Catalogue:
        by_number: dict[str, list[dict[str, Any]]] = defaultdict(list)
        by_name: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            if row.get("number_symbol"):
                by_number[slug(str(row["number_symbol"]))].append(dict(row))
            if row.get("name"):
                by_name[slug(str(row["name"]))].append(dict(row))
        return cls(dict(by_number), dict(by_name))

    def resolve(self, number_symbol: str | None, year: int | None, name: str | None, prefer: set[str]) -> str | None:
        """The catalogue id a citation refers to; ``prefer`` (the plan's own list) breaks ties."""
        if number_symbol:
            candidates = self.by_number.get(slug(number_symbol), [])
            if year is not None:
                dated = [r for r in candidates if r.get("year") in (None, "") or int(r["year"]) == year]
                candidates = dated
        elif name:
            candidates = self.by_name.get(slug(name), [])
        else:
            return None
        if not candidates:
            return None
        preferred = [r for r in candidates if r["id"] in prefer]
        chosen = preferred or candidates
        return str(chosen[0]["id"]) if len(chosen) == 1 or preferred else None

    def names(self, directive_id: str) -> list[str]:
        """The names a document may be cited by, as slugs, for a plain text search."""
        return [key for key, rows in self.by_name.items() if any(r["id"] == directive_id for r in rows)]
