"""The two records of a citation: the frozen :class:`Citation` callers get, and the mutable draft
the parsers fill in field by field.

The parsers read a citation's parts in an order the text decides (date before issuer, or after),
so they share one mutable draft; :func:`~congkhai.vietnamese.citations.scan.find_all` freezes the
drafts into citations only once every field is read and the offsets are mapped back.
"""

from __future__ import annotations

from dataclasses import dataclass

from congkhai.vietnamese.numbers import NumberSymbol


@dataclass(frozen=True)
class Citation:
    """One mention of a document; ``text[start:end] == raw`` in the caller's original string.

    ``term`` (khóa, e.g. ``"XII"``) is extra to the required fields: party numbers are unique only
    per issuer and term, so the catalogue needs it to tell documents apart.
    """

    raw: str
    start: int
    end: int
    doc_type: str | None
    number_symbol: str | None
    year: int | None
    date: str | None
    issuer: str | None
    title: str | None
    name: str | None
    term: str | None = None


@dataclass
class Draft:
    """A citation while it is being read: offsets into the NFC text, fields filled as found."""

    start: int
    end: int
    doc_type: str | None = None
    ns: NumberSymbol | None = None
    year: int | None = None
    date: str | None = None
    issuer: str | None = None
    title: str | None = None
    name: str | None = None
    term: str | None = None


def clean(s: str) -> str:
    """Single-spaced text without Markdown emphasis stars: the form every read field is stored in."""
    return " ".join(s.replace("*", "").split())
