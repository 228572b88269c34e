"""When a cited document was issued: its date, its bare year, and the party term (khóa).

Dates are printed as "ngày 26/11/2021", "ngày 26 tháng 11 năm 2021" or "tháng 11 năm 2021";
party documents are told apart by term ("khóa XII"), so the term is read with the dates.
"""

from __future__ import annotations

import datetime as _dt
import re

_I = re.IGNORECASE

ROMAN = r"(?-i:[IVXLC]{1,6})(?![\w])"
DATE = re.compile(
    r"\s{0,3},?\s{0,3}(?:ban\s+hành\s+)?ngày\s{1,4}(?:"
    r"(?P<d>[0-9]{1,2})\s?[/.-]\s?(?P<m>[0-9]{1,2})\s?[/.-]\s?(?P<y>[0-9]{4})"
    r"|(?P<d2>[0-9]{1,2}\s+)?tháng\s+(?P<m2>[0-9]{1,2})\s*,?\s*năm\s+(?P<y2>[0-9]{4}))(?![0-9])",
    _I,
)

TERM = re.compile(rf"\s{{0,3}}(?:\(\s*(?:khóa|khoá)\s+(?P<a>{ROMAN})\s*\)|,?\s*(?:khóa|khoá)\s+(?P<b>{ROMAN}))", _I)
YEAR = re.compile(r"\s{0,3},?\s{0,3}\(?(?:năm\s+)?(?P<y>(?:19|20)[0-9]{2})(?![0-9/])\)?", _I)
YEAR_BARE = re.compile(r"[^\S\n]{1,2}(?:năm[^\S\n]{1,2})?(?P<y>(?:19|20)[0-9]{2})(?![0-9/.–-])(?!\s*[-–]\s*[0-9])", _I)


def iso(d: str | None, m: str, y: str) -> tuple[str | None, int | None]:
    """The ISO date and the year of a printed day, month and year; a bad date keeps only the year,
    a year outside 1900–2100 gives neither."""
    year = int(y)
    if not 1900 <= year <= 2100:
        return None, None
    if d is None:
        return None, year
    try:
        return _dt.date(year, int(m), int(d)).isoformat(), year
    except ValueError:
        return None, year
