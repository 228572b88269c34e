"""Cited documents: one entry per document, canonical ids, catalogue reuse, new catalogue rows.

Mentions of the same document are merged (same number and symbol, or same name); a mention
without a date borrows the year of a dated one. The canonical id follows
:func:`congkhai.directives.canonical_id`; the jurisdiction of a local issuer (TU, HU, UBND, ĐU…)
is read from the issuer text ("Tỉnh ủy" → the province, "Huyện ủy" → the district…) and the
plan's own place. A catalogue row is reused only when its jurisdiction fits the plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from congkhai.model.findings import REVIEW_MARK
from congkhai.model.schemas import Vocabulary
from congkhai.vietnamese.citations import Citation, find_citations
from congkhai.vietnamese.directives import Catalogue, canonical_id
from congkhai.vietnamese.numbers import parse_number_symbol
from congkhai.vietnamese.text import fold, slug

CHECK = REVIEW_MARK
_CENTRAL = {"TW", "TƯ", "TTG", "CP", "VPTW", "VPCP", "BNV", "BTC", "BCA", "BQP", "BTP", "CTN", "UBTVQH", "BCT", "BBT"}


@dataclass
class Place:
    """Where the plan was issued, as jurisdiction slugs (province, district, commune)."""

    province: str | None = None
    district: str | None = None
    commune: str | None = None
    central_city: bool = False

    def jurisdiction(self, level: str | None) -> str | None:
        if self.province is None or level is None:
            return None
        if level == "province":
            return self.province
        if level == "district":
            return f"{self.province}-{self.district}" if self.district else None
        if level == "commune":
            return f"{self.province}-{self.district}-{self.commune}" if self.district and self.commune else None
        return None


@dataclass
class Cited:
    raw: str
    doc_type: str | None
    number: str | None
    year: int | None
    date: str | None
    issuer: str | None
    title: str | None
    name: str | None
    term: str | None
    sections: list[str] = field(default_factory=list)
    preamble_relation: str | None = None
    directive_id: str | None = None
    sure: bool = True
    new_row: dict[str, Any] | None = None


def _key(c: Citation) -> str:
    if c.number_symbol:
        return "n:" + slug(c.number_symbol)
    return "t:" + slug(c.name or c.raw)


def collect(parts: list[tuple[str, str, str | None]]) -> list[Cited]:
    """``parts``: (section, text, preamble relation) in reading order → merged documents."""
    out: dict[str, Cited] = {}
    for section, text, relation in parts:
        for c in find_citations(text):
            k = _key(c)
            if k in out and c.year is not None and out[k].year is not None and out[k].year != c.year:
                k = f"{k}:{c.year}"
            cur = out.get(k)
            if cur is None:
                cur = out[k] = Cited(
                    c.raw, c.doc_type, c.number_symbol, c.year, c.date, c.issuer, c.title, c.name, c.term
                )
            else:
                cur.year = cur.year or c.year
                cur.date = cur.date or c.date
                cur.issuer = cur.issuer or c.issuer
                cur.title = cur.title or c.title
                cur.term = cur.term or c.term
            if section not in cur.sections:
                cur.sections.append(section)
            if relation and cur.preamble_relation is None:
                cur.preamble_relation = relation
    return list(out.values())


def merge_noted(cites: list[Cited], texts: list[str], footnotes: dict[str, str]) -> list[Cited]:
    """A document named in the text whose footnote gives its number ("Luật Thực hiện dân chủ ở
    cơ sở[^1]" — "[^1]: Luật số 10/2022/QH15 …") is one document: the named mention is merged
    into the numbered one of the note (its sections and name kept)."""
    by_key = {("n:" + slug(c.number)) if c.number else ("t:" + slug(c.name or c.raw)): c for c in cites}
    merged: set[int] = set()
    for text in texts:
        for m in re.finditer(r"\[\^(\d+)\]", text):
            note = footnotes.get(m.group(1))
            if not note:
                continue
            before = re.sub(r"\[\^\d+\]", "", text[: m.start()]).rstrip()
            named = [c for c in find_citations(before) if c.end >= len(before) - 1 and not c.number_symbol]
            numbered = [c for c in find_citations(note) if c.number_symbol]
            if not named or not numbered or numbered[0].doc_type != named[-1].doc_type:
                continue
            source = by_key.get(_key(named[-1]))
            target = by_key.get(_key(numbered[0]))
            if source is None or target is None or source is target:
                continue
            for section in source.sections:
                if section not in target.sections:
                    target.sections.append(section)
            target.name = target.name or source.name
            target.date = target.date or source.date
            target.preamble_relation = target.preamble_relation or source.preamble_relation
            merged.add(id(source))
    return [c for c in cites if id(c) not in merged]


def _level(c: Cited, place: Place) -> tuple[str | None, bool]:
    """(jurisdiction level, sure) of a cited document's issuer; None level = central."""
    issuer = fold(c.issuer or "")
    parsed = parse_number_symbol(c.number) if c.number else None
    codes = [p.upper() for p in re.split(r"[-/]", parsed.issuer_code)] if parsed else []
    if parsed and parsed.style == "legal_normative":
        return None, True
    central = (codes and codes[0] in _CENTRAL) or re.search(
        r"chinh phu|bo chinh tri|ban bi thu|trung uong|quoc hoi|bo noi vu|thu tuong", issuer
    )
    if central and not re.search(r"\btinh\b|thanh uy|huyen|xa\b|phuong", issuer):
        return None, True
    if re.search(r"\btinh\b|tinh uy", issuer):
        return "province", True
    if re.search(r"huyen|quan\b|thi xa", issuer):
        return "district", True
    if re.search(r"phuong|\bxa\b|thi tran|dang uy", issuer):
        return "commune", True
    if "thanh uy" in issuer or "thanh pho" in issuer:
        return ("province" if place.central_city else "district"), True
    first = codes[0] if codes else ""
    if first in {"TU", "BDVTU", "BTGTU", "BTCTU", "BCSĐ", "BCSD"}:
        return "province", not issuer
    if first in {"HU", "QU", "BDVHU", "BDVQU"}:
        return "district", True
    if first in {"ĐU", "DU"}:
        return "commune", True
    if codes or c.name:
        return None if not codes else "province", False
    return None, False


def resolve(cites: list[Cited], rows: list[dict[str, Any]], place: Place, doc_types: Vocabulary) -> None:
    """Give each document its catalogue id, reusing rows that fit and drafting the rest."""
    catalogue = Catalogue.build(rows)
    ids = {str(r.get("id")) for r in rows}
    for c in cites:
        level, sure = _level(c, place)
        jurisdiction = place.jurisdiction(level)
        if level is not None and jurisdiction is None:
            sure = False
        row = {
            "doc_type": c.doc_type or "khac",
            "number_symbol": c.number,
            "year": c.year,
            "jurisdiction": jurisdiction,
            "name": None if c.number else (c.name or c.raw),
            "title": c.title,
        }
        draft = canonical_id(row, doc_types)
        found = catalogue.resolve(
            c.number, c.year, None if c.number else (c.name or c.raw), {draft} if draft else set()
        )
        if found is None and c.number:
            cands = [
                r
                for r in catalogue.by_number.get(slug(c.number), [])
                if c.year is None or r.get("year") in (None, "") or int(r["year"]) == c.year
            ]
            fitting = [r for r in cands if _fits(r, place)]
            if len(fitting) == 1:
                found = str(fitting[0]["id"])
        if found is not None and not _fits(next((r for r in rows if r.get("id") == found), {}), place):
            found = None
        if found is None and draft in ids:
            found = draft
        if found is not None:
            c.directive_id, c.sure = found, True
            continue
        if c.number and c.year is None:
            sure = False
        c.sure = sure and draft is not None
        c.directive_id = draft or slug(c.raw)
        parsed = parse_number_symbol(c.number) if c.number else None
        c.new_row = {
            "id": c.directive_id,  # unsure: the citation in the plan says so, the row stays valid
            "doc_type": c.doc_type or CHECK,
            "kind": _kind(parsed, c),
            "number_symbol": c.number or "",
            "year": c.year or "",
            "issue_date": c.date if c.date and len(c.date) == 10 else "",
            "issuer": c.issuer or "",
            "jurisdiction": jurisdiction or "",
            "title": c.title or "",
            "name": "" if c.number else (c.name or c.raw),
            "url": "",
        }


def _fits(row: dict[str, Any], place: Place) -> bool:
    j = str(row.get("jurisdiction") or "")
    return not j or place.province is None or j == place.province or j.startswith(place.province + "-")


def _kind(parsed: Any, c: Cited) -> str:
    if parsed is None:
        return "legal_normative" if c.doc_type in {"luat", "bo_luat", "hien_phap", "phap_lenh"} else CHECK
    if parsed.style in {"legal_normative", "joint"}:
        return str(parsed.style)
    return "party" if parsed.is_party_body else "state"
