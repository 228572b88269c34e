"""Text normalisation shared by every stage: NFC, slugs and accent folding; and dates as
Vietnamese text writes them.

Vietnamese text arrives in NFC and NFD, with two tone-mark placements, with the look-alike
``Ð`` (U+00D0) for ``Đ`` (U+0110), and sometimes as legacy 8-bit mojibake. Everything the
project compares or stores goes through these helpers so that one rule holds everywhere.
"""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
LOOKALIKE_D = {"\u00d0": "\u0110", "\u00f0": "\u0111"}  # Ð ð (Icelandic eth) → Đ đ


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC with the ``Ð``/``ð`` look-alikes replaced."""
    text = unicodedata.normalize("NFC", text)
    for bad, good in LOOKALIKE_D.items():
        text = text.replace(bad, good)
    return text


class _StripCombining(dict[int, int | None]):
    """A ``str.translate`` table dropping every combining mark, filled as characters are met
    (``translate`` runs in C: folding whole plan bodies was a visible part of the build)."""

    def __missing__(self, code: int) -> int | None:
        value = None if unicodedata.combining(chr(code)) else code
        self[code] = value
        return value


_STRIP_COMBINING = _StripCombining()


def fold(text: str) -> str:
    """Fold case, accents and đ→d so that "Đảng ủy", "dang uy" and NFD input compare equal."""
    stripped = unicodedata.normalize("NFD", nfc(text)).translate(_STRIP_COMBINING)
    return stripped.replace("đ", "d").replace("Đ", "D").casefold()


def slug(text: str) -> str:
    """URL-safe ASCII slug: ``slug("33/CT-TTg") == "33-ct-ttg"``."""
    return _NON_ALNUM.sub("-", fold(text)).strip("-")


def date_vi(
    value: object, missing: str = "Không ghi", *, sentence: bool = False, day_only: bool = False, pad: bool = True
) -> str:
    """An ISO date at its precision, the Vietnamese way: ``2024-03-18`` → ``18/03/2024``,
    ``2024-02`` → ``tháng 02/2024``, ``2023`` → ``năm 2023``; ``missing`` when there is none.

    The one date formatter of the site, the feeds and the data pages; the options are the ways
    they print a date, so each keeps its wording:

    * ``sentence``: the date is a phrase of a sentence, so a day reads "ngày 18/03/2024" like the
      month and year do ("Kế hoạch số 72/KH-UBND ngày 18/03/2024 của …"; Dublin Core
      description, feed summary).
    * ``day_only``: ``value`` is a timestamp (``2024-03-18T09:30:00Z``): write its day, and treat
      anything shorter than a full date as missing (the data page's "cập nhật ngày …").
    * ``pad=False``: day and month without a leading zero, as clerks often print them
      ("ngày 5/3/2021"; the benchmark corpus writes its citations so).
    """
    if not value:
        return missing
    text = str(value)
    if day_only:
        if len(text) < 10:
            return missing
        parts = [text[0:4], text[5:7], text[8:10]]
    else:
        parts = text.split("-")
    if not pad:
        parts = [parts[0]] + [str(int(p)) if p.isdigit() else p for p in parts[1:]]
    if len(parts) == 3:
        return f"{'ngày ' if sentence else ''}{parts[2]}/{parts[1]}/{parts[0]}"
    if len(parts) == 2:
        return f"tháng {parts[1]}/{parts[0]}"
    return f"năm {parts[0]}"


_FOOTNOTE = re.compile(r"fn([0-9]+)")
_APPENDIX = re.compile(r"PL([IVXLC0-9]*)(?:\.(.+))?")
#: Where in a plan a citation sits, as the schema codes it (checks/rules.py ``SECTION``) → as a reader says it.
SECTION_WORDS = {"title": "tiêu đề", "preamble": "phần căn cứ", "closing": "phần cuối"}


def section_vi(code: str) -> str:
    """A citation's place in a plan in words: ``preamble`` → "phần căn cứ", ``fn3`` → "chú thích 3",
    ``PLI.2`` → "phụ lục I, mục 2";
    a numbered section ("II.1") is already what a reader sees in the plan and stays as it is."""
    if code in SECTION_WORDS:
        return SECTION_WORDS[code]
    m = _FOOTNOTE.fullmatch(code)
    if m:
        return f"chú thích {m.group(1)}"
    m = _APPENDIX.fullmatch(code)
    if m:  # "PLI.II.3" → "phụ lục I, mục II.3"
        return " ".join(f"phụ lục {m.group(1)}".split()) + (f", mục {m.group(2)}" if m.group(2) else "")
    return code
