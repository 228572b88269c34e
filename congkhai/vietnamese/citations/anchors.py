"""Where a citation starts: a document-type word ("Chỉ thị", "Nghị quyết liên tịch") or a
number-and-symbol ("33/CT-TTg", "05-CT/TW"), and the context that says whether a bare symbol
is a citation at all.

Every other part of the citation reader hangs off these anchors, and the title and issuer readers
need the same patterns to know where the next citation begins, so they live in one place.
"""

from __future__ import annotations

import re

from congkhai.vietnamese.doctypes import doc_types
from congkhai.vietnamese.numbers import CODE_CHARS

# Type words come from the doc_type vocabulary (schemas/vocabularies.yaml, `words`); a qualifier
# may follow one ("Kế hoạch phối hợp số …") without changing the type.
TYPE_WORDS = doc_types().words
TYPE_WORD = doc_types().word_pattern()
QUALIFIER = r"phối\s+hợp|hành\s+động|liên\s+tịch|liên\s+ngành|làm\s+việc|công\s+tác|liên\s+kết|kết\s+luận|chuyên\s+đề"

_I = re.IGNORECASE

# Number-and-symbol shapes (all applied to NFC text; bounded so that matching stays linear).
_C = rf"[{CODE_CHARS}][{CODE_CHARS}0-9]*"
_ISS = rf"{_C}(?:-{_C}|(?:-[^\S\n]|[^\S\n]-)(?-i:[A-ZĐƯƠ][A-ZĐƯƠ0-9]+)(?!\w))*"
_NUM = r"[0-9]{1,5}"
_NUMSYM = (
    rf"(?<![\w/])(?:{_NUM}[^\S\n]{{0,2}}/[^\S\n]{{0,2}}(?:19|20)[0-9]{{2}}[^\S\n]{{0,2}}/[^\S\n]{{0,2}}{_ISS}"
    rf"|{_NUM}(?:[^\S\n]{{0,3}}-[^\S\n]{{0,3}}|\s{{1,4}}){_C}/{_ISS}"
    rf"|{_NUM}[^\S\n]{{0,3}}/[^\S\n]{{0,3}}{_ISS})"
)
_BLANK = rf"(?:/[^\S\n]{{0,2}}(?:19|20)[0-9]{{2}}/{_ISS}|/[^\S\n]{{0,2}}{_ISS}|-[^\S\n]{{0,2}}{_C}/{_ISS})"
ANCHOR = re.compile(rf"(?P<tw>\b(?:{TYPE_WORD})\b)|(?P<ns>{_NUMSYM})", _I)
NUMSYM_AT = re.compile(_NUMSYM)
BLANK_AT = re.compile(_BLANK)
TYPED = re.compile(rf"(?:\s{{1,3}}(?P<q>{QUALIFIER}))?(?:\s{{1,3}}(?P<so>số)(?!\w)\s{{0,3}}:?)?\s{{0,4}}", _I)
CITE_START = re.compile(
    rf"(?:\b(?:{TYPE_WORD})(?:\s{{1,3}}(?:{QUALIFIER}))?(?:\s{{1,3}}số)?\s{{0,3}}:?\s{{0,4}})?{_NUMSYM}", _I
)

CAP_TYPE_WORD = re.compile(rf"(?=(?-i:[A-ZĐ]))(?:{TYPE_WORD})(?!\w)", _I)

HEADER_PREFIX = re.compile(r"[\s*_#>|-]*(?:số)\s*:?\s*", _I)
OWN_NUMBER_BEFORE = re.compile(r"(?:^|\W)(?-i:Số|SỐ)\s{0,3}:?\s{0,3}$", _I)

SO_BEFORE = re.compile(r"(?:^|\W)số\s{0,3}:?\s{0,3}$", _I)
CONNECT_ONLY = re.compile(r"[\s,]*(?:(?:và|cùng)[\s,]*)?", _I)

TYPE_WORD_FULL = re.compile(TYPE_WORD, _I)


def type_of(word: str) -> str | None:
    """The doc_type a printed type word names (any case, spacing or tone placement), or None."""
    return doc_types().of_word(word)
