"""The document-type vocabulary as the readers need it, derived from ``schemas/vocabularies.yaml``.

Three readers recognise a document's type: the citation reader by its type word in running text
("Chỉ thị số 33/CT-TTg"), the importer by the type line heading a plan ("KẾ HOẠCH PHỐI HỢP"),
and the number-and-symbol parser by its type code ("…/KH-UBND", "…-KHPH/…"). Each used to keep
its own list, and the lists drifted from each other and from the published ``doc_type`` codes.
Now ``doc_type`` declares every printed form once (``words``, ``headings``, ``abbr``, ``codes``,
``joint`` — see the comment there) and this module turns the declaration into the tables each
reader looks up, so a type added to the schema is recognised everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from ..model.schemas import Vocabulary, load_vocabularies
from .text import fold

__all__ = ["DocTypes", "doc_types", "folded_key"]


def folded_key(text: str) -> str:
    """The lookup key of a printed type word or line: folded, single-spaced ("Kế  hoạch" → "ke hoach")."""
    return " ".join(fold(text).split())


def _word_regex(words: Iterable[str]) -> str:
    """One alternation matching any of ``words`` (apply with IGNORECASE), spaces as ``\\s+``.

    Longest first, so that "Nghị quyết liên tịch" wins over "Nghị quyết" at the same place.
    """
    spelled = dict.fromkeys(w.lower() for w in words)  # ordered, without repeats
    ordered = sorted(spelled, key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(part) for part in w.split()) for w in ordered)


@dataclass(frozen=True)
class DocTypes:
    """Lookup tables for the ``doc_type`` vocabulary, one per way a type is printed."""

    #: folded type word → code; ``None`` for a generic word ("văn bản": the symbol decides)
    words: dict[str, str | None]
    #: the type words as printed, generic ones included, for building patterns
    printed_words: tuple[str, ...]
    #: folded heading line → code
    headings: dict[str, str]
    #: type code as printed in a symbol → code (the first declaration of a shared code wins)
    codes: dict[str, str]
    #: type codes of joint documents
    joint_codes: frozenset[str]

    @classmethod
    def from_vocabulary(cls, vocab: Vocabulary) -> DocTypes:
        """Derive the tables; a value's type words default to its Vietnamese label."""
        words: dict[str, str | None] = {}
        printed: list[str] = []
        headings: dict[str, str] = {}
        codes: dict[str, str] = {}
        joint: set[str] = set()
        for code, spec in vocab.values.items():
            for word in spec.get("words") or [spec["vi"]]:
                words.setdefault(folded_key(word), code)
                printed.append(word)
            for line in spec.get("headings") or []:
                headings.setdefault(folded_key(line), code)
            type_codes = ([spec["abbr"]] if spec.get("abbr") else []) + list(spec.get("codes") or [])
            for type_code in type_codes + list(spec.get("joint") or []):
                codes.setdefault(type_code, code)
            joint.update(spec.get("joint") or [])
        for word in vocab.extensions.get("x-generic-words") or []:
            words.setdefault(folded_key(word), None)
            printed.append(word)
        return cls(words, tuple(printed), headings, codes, frozenset(joint))

    def word_pattern(self) -> str:
        """A regex alternation for every type word (use with ``re.IGNORECASE``)."""
        return _word_regex(self.printed_words)

    def of_word(self, word: str) -> str | None:
        """The code a printed type word names; None for a generic or unknown word."""
        return self.words.get(folded_key(word))


@cache
def doc_types() -> DocTypes:
    """The tables for the shipped ``schemas/`` (read once)."""
    return DocTypes.from_vocabulary(load_vocabularies()["doc_type"])
