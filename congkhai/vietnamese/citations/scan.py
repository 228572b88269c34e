"""The scan: find every anchor in the text, parse the citation at each, share issuers and dates
along lists, and freeze the drafts into :class:`Citation` records with the caller's offsets.

This is the one place that decides which reading of an anchor wins (numbered, named, bare
symbol) and that results never overlap.
"""

from __future__ import annotations

import re

from congkhai.vietnamese.numbers import TYPE_CODES, parse_number_symbol

from .anchors import (
    ANCHOR,
    BLANK_AT,
    CONNECT_ONLY,
    HEADER_PREFIX,
    NUMSYM_AT,
    OWN_NUMBER_BEFORE,
    SO_BEFORE,
    TYPED,
    type_of,
)
from .dates import YEAR_BARE
from .named import parse_named
from .offsets import NormalisedText
from .record import Citation, Draft
from .tail import issued_before, read_tail
from .titles import read_title


def _parse_typed(norm: str, m: re.Match[str]) -> Draft | None:
    """Type word, optional qualifier and "số", then a number-and-symbol (or a blank one)."""
    t = TYPED.match(norm, m.end())
    if not t:
        return None
    pos = t.end()
    n = NUMSYM_AT.match(norm, pos)
    if not n and t.group("so"):
        n = BLANK_AT.match(norm, pos)
    if not n:
        return None
    ns = parse_number_symbol(n.group(0))
    if ns is None:
        return None
    word_type = type_of(m.group("tw"))
    d = Draft(start=m.start(), end=n.end(), ns=ns, year=ns.year)
    d.doc_type = word_type or ns.doc_type
    _after_symbol(norm, d)
    if d.date is None:
        issued_before(norm, d)
    return d


def _after_symbol(norm: str, d: Draft) -> None:
    """Read what may follow a number-and-symbol: a bare year, date/issuer/term, then a title."""
    y = YEAR_BARE.match(norm, d.end) if d.year is None else None
    if y:  # "Quyết định 439/QĐ-TTg 2023", "Quy định 29-QĐ/TW năm 2016" (catalogue style)
        d.year, d.end = int(y.group("y")), y.end()
    d.end = read_tail(norm, d.end, d)
    d.title = read_title(norm, d.end)


def _parse_bare(norm: str, m: re.Match[str], prev: Draft | None) -> Draft | None:
    """A number-and-symbol with no type word: accept only unambiguous shapes."""
    raw = m.group("ns")
    ns = parse_number_symbol(raw)
    if ns is None:
        return None
    start = m.start("ns")
    line_start = norm.rfind("\n", 0, start) + 1
    if HEADER_PREFIX.fullmatch(norm, line_start, start) or OWN_NUMBER_BEFORE.search(norm, max(0, start - 8), start):
        return None  # "Số: 72/KH-UBND" (capital S, no type word): the document's own number
    after_so = bool(SO_BEFORE.search(norm[max(0, start - 14) : start]))
    continues = (
        prev is not None
        and prev.ns is not None
        and CONNECT_ONLY.fullmatch(norm, prev.end, start) is not None
        and prev.end < start
    )
    if ns.style == "official_letter":
        if "-" not in ns.issuer_code or not (
            after_so or (continues and prev is not None and prev.doc_type == "cong_van")
        ):
            return None  # "số 5/KP3" is an address; a letter needs issuer and unit ("276/UBND-NCPC")
    elif ns.type_code not in TYPE_CODES:
        return None
    elif re.search(r"[0-9]\s+[^\s/-]", raw) and "-" not in raw.split("/")[0] and not after_so:
        return None  # "2023 KH/HU" without a hyphen is too weak on its own
    d = Draft(start=start, end=m.end("ns"), ns=ns, year=ns.year)
    d.doc_type = ns.doc_type
    if continues and prev is not None and prev.ns is not None and prev.ns.type_code == ns.type_code:
        d.doc_type = prev.doc_type
    _after_symbol(norm, d)
    return d


def _borrow(norm: str, drafts: list[Draft]) -> None:
    """Share a trailing issuer/date with the list members before it ("A và B ngày … của …")."""
    for i in range(len(drafts) - 2, -1, -1):
        a, b = drafts[i], drafts[i + 1]
        if a.ns is None or b.ns is None or a.title is not None:
            continue
        if CONNECT_ONLY.fullmatch(norm, a.end, b.start) is None:
            continue
        if a.issuer is None and b.issuer and a.ns.issuer_code.upper() == b.ns.issuer_code.upper():
            a.issuer = b.issuer
            a.term = a.term or b.term
            if a.date is None and b.date and a.doc_type == b.doc_type:
                a.date = b.date
                a.year = b.year
        elif (
            a.issuer is None
            and a.date is None
            and b.date
            and a.doc_type == b.doc_type
            and a.ns.issuer_code.upper() == b.ns.issuer_code.upper()
        ):
            a.date, a.year = b.date, b.year


def _scan(norm: str) -> list[Draft]:
    """Every citation in the NFC text, left to right; a parsed citation is skipped over whole."""
    drafts: list[Draft] = []
    pos = 0
    while True:
        m = ANCHOR.search(norm, pos)
        if not m:
            break
        found: list[Draft] = []
        if m.group("tw"):
            typed = _parse_typed(norm, m)
            found = [typed] if typed else parse_named(norm, m)
        else:
            bare = _parse_bare(norm, m, drafts[-1] if drafts else None)
            found = [bare] if bare else []
        if not found:
            pos = m.end()
            continue
        drafts.extend(found)
        pos = max(found[-1].end, m.end())
    _borrow(norm, drafts)
    return drafts


def _freeze(drafts: list[Draft], mapping: NormalisedText) -> list[Citation]:
    """The finished records, spans mapped back to the caller's string (year from the date if unset)."""
    out: list[Citation] = []
    for d in drafts:
        start, end = mapping.span(d.start, d.end)
        year = d.year
        if year is None and d.date:
            year = int(d.date[:4])
        out.append(
            Citation(
                raw=mapping.text[start:end],
                start=start,
                end=end,
                doc_type=d.doc_type,
                number_symbol=d.ns.canonical if d.ns else None,
                year=year,
                date=d.date,
                issuer=d.issuer,
                title=d.title,
                name=d.name,
                term=d.term,
            )
        )
    return out


def find_all(text: str) -> list[Citation]:
    """:func:`~congkhai.vietnamese.citations.find_citations` without the safety net: a bug raises,
    so the tests and the fuzzer call this one."""
    mapping = NormalisedText(text)
    return _freeze(_scan(mapping.norm), mapping)
