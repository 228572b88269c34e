"""The one rule for a plan's id, used by the importer (to make it) and the validator (to check it).

    id = province [- district] [- commune] [- year] - document part

* the **place**: the province id, then the district (``cao-loc``, ``tp-bac-giang``, ``tx-…``) for
  a district or commune plan, then the commune (``dinh-ke``) for a commune plan;
* the **year** of the issue date, when the plan is dated;
* the **document part**: the number and symbol as a slug (``72-khph-kdv-ubnd``); for a blank
  number (``/KH-UBND``) the symbol and then a short slug of the title, so that two blank-number
  plans of one body and year differ; without a number, the short slug of the title.

The words of a document's header ("Số:", "ngày", "Ủy ban nhân dân", "Đảng ủy"…) never enter an id:
a place that swallowed the next line ("Tây Ninh Số") is cut before them, and in a title slug the
bodies are abbreviated (``ubnd``, ``hdnd``, ``mttq``), "số" is dropped and "ngày …" ends it.
Everything is a pure function of its arguments, so the same file always gets the same id.
"""

from __future__ import annotations

import re

from .text import slug

MAX_ID = 120  # schemas/plans.schema.yaml: id maxLength
MAX_TITLE = 60  # characters of title slug in an id

# header words, as slug tokens, that must never be part of an id (a place or a title cut short)
LEAKS: tuple[tuple[str, ...], ...] = (
    ("so",),
    ("ngay",),
    ("uy", "ban"),
    ("nhan", "dan"),
    ("hoi", "dong"),
    ("dang", "uy"),
    ("huyen", "uy"),
    ("thanh", "uy"),
    ("tinh", "uy"),
    ("quan", "uy"),
    ("ubnd",),
    ("hdnd",),
    ("ubmttq",),
    ("mttq",),
    ("ke", "hoach"),
    ("cong", "hoa"),
    ("doc", "lap"),
    ("kinh", "gui"),
)
_ABBREVIATE = (  # longest first: title words → the abbreviation used in symbols and unit ids
    ("uy ban mat tran to quoc viet nam", "ubmttq"),
    ("uy ban mat tran to quoc", "ubmttq"),
    ("mat tran to quoc viet nam", "mttq"),
    ("mat tran to quoc", "mttq"),
    ("uy ban nhan dan", "ubnd"),
    ("hoi dong nhan dan", "hdnd"),
    ("ban chi dao", "bcd"),
    ("uy ban", "ub"),
    ("nhan dan", "nd"),
    ("hoi dong", "hd"),
)
_TITLE_LEAKS = {("so",), ("ngay",), ("uy", "ban"), ("nhan", "dan"), ("hoi", "dong")}


def _find(tokens: list[str], phrases: tuple[tuple[str, ...], ...] | set[tuple[str, ...]]) -> int | None:
    for i in range(len(tokens)):
        for p in phrases:
            if tuple(tokens[i : i + len(p)]) == p:
                return i
    return None


def clean_place(value: str | None) -> str | None:
    """A place slug cut before the first header word ("tay-ninh-so" → "tay-ninh",
    "uy-uy-ban-nhan" → None); None when nothing is left."""
    tokens = [t for t in slug(value or "").split("-") if t]
    cut = _find(tokens, LEAKS)
    if cut is not None:
        tokens = tokens[:cut]
    while tokens and tokens[-1] == "uy":  # "… huyện ủy" cut at its "ủy ban" neighbour
        tokens.pop()
    return "-".join(tokens) or None


def title_part(title: str | None, year: str | None = None) -> str:
    """The short slug of a title for an id: bodies abbreviated, "số" dropped, "ngày …" and the
    year ("năm 2024") left out, at most :data:`MAX_TITLE` characters cut at a word."""
    text = " " + " ".join(slug(title or "").split("-")) + " "
    for long, short in _ABBREVIATE:
        text = text.replace(f" {long} ", f" {short} ")
    tokens = text.split()
    out: list[str] = []
    for i, t in enumerate(tokens):
        if t == "ngay" or (t == "thang" and i + 1 < len(tokens) and tokens[i + 1].isdigit()):
            break  # a date: "ngày 26 tháng 11 năm 2021"
        if t == "so":
            continue
        if t == "nam" and i + 1 < len(tokens) and re.fullmatch(r"(19|20)\d\d", tokens[i + 1]):
            continue
        if year and t == year:
            continue
        if len("-".join([*out, t])) > MAX_TITLE:
            break
        out.append(t)
    while (at := _find(out, _TITLE_LEAKS)) is not None:  # only left by odd spacing; never in an id
        del out[at]
    return "-".join(out)


def number_part(number: str | None) -> str:
    """The number and symbol as a slug, without a "Số:" (or another header word) left in
    (``72-khph-kdv-ubnd``)."""
    tokens = [t for t in slug(number or "").split("-") if t]
    while (i := _find(tokens, _TITLE_LEAKS)) is not None:
        p = next(p for p in _TITLE_LEAKS if tuple(tokens[i : i + len(p)]) == p)
        del tokens[i : i + len(p)]
    return "-".join(tokens)


def is_printed(number: str | None) -> bool:
    """A number is printed when it has a digit before the symbol (``72/KH``, not ``/KH-UBND``)."""
    return bool(number) and bool(re.match(r"\s*(?:[Ss]ố\s*:?\s*)?\d", number or ""))


def place_parts(province: str | None, district: str | None, commune: str | None, level: str | None) -> list[str]:
    """The place of an id: province, then district for district and commune plans, then commune."""
    parts = [slug(province or "") or "moi"]
    if level in ("district", "commune") and clean_place(district):
        parts.append(clean_place(district) or "")
    if level == "commune" and clean_place(commune):
        parts.append(clean_place(commune) or "")
    return parts


def plan_id(place: list[str], date: str | None, number: str | None, title: str | None) -> str:
    """The id of a plan from its place (:func:`place_parts`), issue date, number and title."""
    year = (date or "")[:4] if re.match(r"\d{4}", date or "") else None
    head = [p for p in place if p]
    if year:
        head.append(year)
    if is_printed(number):
        doc = number_part(number)
    elif number_part(number):  # a blank number: the symbol, and the title to tell plans apart
        doc = "-".join(x for x in (number_part(number), title_part(title, year)) if x)
    else:
        doc = title_part(title, year) or "khong-ten"
    tokens = "-".join([*head, doc] if doc else head).split("-")
    while (i := _find(tokens, _TITLE_LEAKS)) is not None:  # a header word across two parts, or in a number
        p = next(p for p in _TITLE_LEAKS if tuple(tokens[i : i + len(p)]) == p)
        del tokens[i : i + len(p)]
    out = "-".join(t for t in tokens if t) or "moi"
    if len(out) > MAX_ID:
        out = out[:MAX_ID].rsplit("-", 1)[0]
    return out


def leaked(plan_id_: str) -> str | None:
    """The header word an id holds, or None: "số" or "ngày" before a number ("tay-ninh-so-12",
    "ngay-26"), or "ủy ban" ("uy-ban-hop-thanh"). A "so" of a test's name or of "Sở" is not one."""
    tokens = plan_id_.split("-")
    for i, t in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if t in ("so", "ngay") and nxt.isdigit():
            return f"{t}-{nxt}"
        if t == "uy" and nxt == "ban":
            return "uy-ban"
    return None


def expected_id(row: dict[str, object]) -> str | None:
    """None when a plan's id follows the rule; otherwise the id the rule gives (for the hint).

    The validator knows the province, the place's name (not the district above a commune), the
    date, the number and the title: it checks that the id starts with the province, names the
    place, then the year and the number (or, for a blank number, the symbol), and holds no header
    word. The title part of an unnumbered plan is not checked (a corrected title keeps its id)."""
    pid = row.get("id")
    province = row.get("province")
    if not isinstance(pid, str) or not isinstance(province, str) or not province:
        return None
    date = row.get("issue_date")
    number = row.get("number_symbol")
    title = row.get("title")
    place = row.get("place") if row.get("issuer_level") in ("district", "commune") else None
    year = str(date)[:4] if isinstance(date, str) and re.match(r"\d{4}", date) else None
    num = number if isinstance(number, str) else None
    middle = r"(?:-[a-z0-9]+)*?"
    if isinstance(place, str) and slug(place):
        middle += "-" + re.escape(slug(place))
    pattern = re.escape(slug(province)) + middle + (f"-{year}" if year else "")
    if is_printed(num):
        pattern += "-" + re.escape(number_part(num))
    elif number_part(num):
        pattern += "-" + re.escape(number_part(num)) + r"(?:-[a-z0-9]+)*"
    else:
        pattern += r"(?:-[a-z0-9]+)+"
    if re.fullmatch(pattern, pid) and leaked(pid) is None:
        return None
    parts = [slug(province)]
    if isinstance(place, str) and slug(place):
        parts.append(slug(place))
    return plan_id(parts, date if isinstance(date, str) else None, num, title if isinstance(title, str) else None)
