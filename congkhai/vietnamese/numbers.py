"""Parse, classify and validate a Vietnamese document number-and-symbol (số, ký hiệu).

Every plan and every cited directive is identified by its number-and-symbol, and real text
prints the same symbol in many spellings: "Số: 33/CT-TTg", "33/CT-TTG" in an all-caps title,
"14 -CT/HU" after a page edit, "115 KH/HU" with the hyphen lost, the look-alike ``Ð``. This
module turns any of them into one canonical spelling so that citations of the same document
meet, and tells a validator what is wrong with a malformed one.

The four shapes (see ``shared/domain/documents.md``):

* state ``72/KH-UBND`` — number, slash, type code, hyphen, issuer;
* official letter ``276/UBND-NCPC`` — state shape without a type code (công văn);
* legal normative ``30/2020/NĐ-CP``, ``10/2022/QH15`` — the year sits between number and codes;
* party ``72-KH/TU`` — number, hyphen, type code, slash, issuer.

Decisions, documented because callers depend on them:

* ``issuer_code`` is everything after the type code: ``"UBND"`` for ``72/KH-UBND``,
  ``"UBND-NCPC"`` for the letter ``276/UBND-NCPC`` (issuer plus drafting unit), ``"CP"`` for
  ``30/2020/NĐ-CP`` (type ``"NĐ"``), ``"QH15"`` for ``10/2022/QH15`` (no type code), and the whole
  part after the slash for party symbols (``"KDV-UBND"``).
* style ``"joint"``: a party-shaped symbol whose issuer part names two or more bodies joined by a
  hyphen (``72-KHPH/KDV-UBND``, ``68-CTr/BDVTU-BCSĐUBND``), or a state-shaped symbol whose type
  code is a joint kind (``KHLT``, ``KHPH``, ``CTrPH``…). A symbol with an embedded year is always
  ``"legal_normative"`` (even ``TTLT``).
* ``canonical`` removes "Số"/"Số:" and stray spaces, restores a lost party hyphen, fixes ``Ð`` and
  restores the standard casing of known codes (``TTG``→``TTg``, ``CTR``→``CTr``); unknown codes
  stay as printed. A state-shaped symbol issued by a party body (``58/NQ-TU``, ``34/CTR-HU`` —
  real misprints in seed 002) is a party document: its canonical form is the party shape
  (``58-NQ/TU``, ``34-CTr/HU``), so it meets the correctly printed citations of the same
  document; the validator still reports the printed form.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from congkhai.vietnamese.doctypes import doc_types
from congkhai.vietnamese.text import nfc

__all__ = [
    "CODE_CHARS",
    "TYPE_CODES",
    "NumberSymbol",
    "doc_type_for_code",
    "parse_number_symbol",
    "validate_number_symbol",
]

# Letters a code may hold: ASCII plus the Vietnamese letters seen in symbols (Đ, Ư, Ơ).
CODE_CHARS = "A-Za-zĐđƯưƠơ"
_CODE = rf"[{CODE_CHARS}][{CODE_CHARS}0-9]*"

#: Type code as printed → doc_type vocabulary code, from the vocabulary's ``abbr``, ``codes`` and
#: ``joint`` (schemas/vocabularies.yaml: state Decree 30/2020 App. III and party practice).
#: ``TT`` is resolved by style in :func:`doc_type_for_code`.
TYPE_CODES: dict[str, str] = doc_types().codes
_JOINT_TYPES = doc_types().joint_codes


def _words(text: str) -> list[str]:
    """Split a space-separated word list (kept as one string so the tables stay compact)."""
    return text.split()


# Issuer codes whose standard spelling is not all upper case, or that we restore from lower case.
_ISSUER_CODES = _words(
    "TTg UBND HĐND CP TW TƯ TU HU QU ĐU BDVTU BDVHU BDVQU BDV BCSĐ ĐĐ VPTW VPCP VPUB BNV BTC BCA "
    "BQP BTP MTTQ KDV BCĐ BCH CTN SNV UBKT BTGTU BTCTU UBMTTQ NCPC VP"
)
# Party bodies: a state-shaped symbol issued by one of these is a party document misprinted.
_PARTY_BODIES = frozenset(_words("TW TƯ TU HU QU ĐU TĐU BDVTU BDVHU BDVQU BCSĐ ĐĐ VPTW BTGTU BTCTU"))
_PARTY_BODIES_UPPER = frozenset(b.upper() for b in _PARTY_BODIES)

_TYPE_CASE = {code.upper(): code for code in TYPE_CODES}
_ISSUER_CASE = {code.upper(): code for code in _ISSUER_CODES}
_QH = re.compile(r"(?i)(UBTVQH|QH)([0-9]*)")

_PREFIX = re.compile(r"^\s*(?P<so>[Ss][ốỐ]|SỐ)(?![\w])\s*(?P<colon>:)?\s*")
_SP = r"\s*"
_LEGAL = re.compile(
    rf"(?P<num>[0-9]{{1,6}})?{_SP}/{_SP}(?P<year>[0-9]{{4}}){_SP}/{_SP}(?P<rest>{_CODE}(?:{_SP}-{_SP}{_CODE})*)"
)
_PARTY = re.compile(
    rf"(?P<num>[0-9]{{1,6}})?(?P<sep>{_SP}-{_SP}|\s+)(?P<type>{_CODE}){_SP}/{_SP}(?P<rest>{_CODE}(?:{_SP}-{_SP}{_CODE})*)"
)
_STATE = re.compile(rf"(?P<num>[0-9]{{1,6}})?{_SP}/{_SP}(?P<rest>{_CODE}(?:{_SP}-{_SP}{_CODE})*)")
_PARTS_SPLIT = re.compile(r"\s*-\s*")

Style = str  # "state" | "party" | "legal_normative" | "official_letter" | "joint"


@dataclass(frozen=True)
class NumberSymbol:
    """A parsed number-and-symbol; ``canonical`` is the one spelling every citation shares."""

    number: str | None
    year: int | None
    type_code: str | None
    issuer_code: str
    style: Style
    blank: bool
    canonical: str

    @property
    def doc_type(self) -> str | None:
        """The doc_type vocabulary code the symbol implies (``None`` when it implies none)."""
        if self.style == "official_letter":
            return "cong_van"
        if self.type_code is None:
            return doc_type_for_code(self.issuer_code, self.style)
        return doc_type_for_code(self.type_code, self.style)

    @property
    def is_party_body(self) -> bool:
        """Whether the (first) issuer is a party body, so numbering runs per term, not per year."""
        return self.issuer_code.split("-")[0].upper() in _PARTY_BODIES_UPPER


def _case_type(code: str) -> str:
    return _TYPE_CASE.get(code.upper(), code)


def _case_issuer(code: str) -> str:
    if code.upper() in _ISSUER_CASE:
        return _ISSUER_CASE[code.upper()]
    m = _QH.fullmatch(code)
    if m:
        return m.group(1).upper() + m.group(2)
    return code


def _parts(rest: str) -> list[str]:
    return [p for p in _PARTS_SPLIT.split(rest) if p]


def _strip(s: str) -> tuple[str, bool, bool]:
    """Return the symbol without "Số"/"Số:" and surrounding punctuation, and what was removed."""
    s = nfc(s)
    m = _PREFIX.match(s)
    had_prefix = bool(m)
    colon = bool(m and m.group("colon"))
    if m:
        s = s[m.end() :]
    return s.strip().rstrip(".,;:").strip(), had_prefix, colon


def doc_type_for_code(type_code: str | None, style: str | None = None) -> str | None:
    """Map a type abbreviation to the doc_type vocabulary of SPEC.md.

    ``TT`` means thông tri in party symbols and thông tư in state/legal ones: pass ``style`` (or a
    hyphenated code such as ``"TT-BNV"``) to choose; without either, the party reading wins
    because a bare ``TT`` type code only occurs in party symbols. National Assembly codes
    (``QH``, ``QH15``) map to ``luat`` — the default reading of ``10/2022/QH15``, though the same
    shape also numbers resolutions of the Assembly; a citation's type word overrides it.
    Unknown codes give ``None``.
    """
    if not type_code:
        return None
    code = nfc(type_code).strip()
    state_hint = False
    if "-" in code:
        code, state_hint = code.split("-", 1)[0], True
    if _QH.fullmatch(code) and not code.upper().startswith("UBTV"):
        return "luat"
    canonical = _case_type(code)
    if canonical == "TT":
        stateish = state_hint or style in ("state", "legal_normative", "official_letter")
        return "thong_tu" if stateish else "thong_tri"
    return TYPE_CODES.get(canonical)


def _build(
    number: str | None, year: int | None, type_code: str | None, issuer_parts: list[str], shape: str
) -> NumberSymbol:
    """Assemble a NumberSymbol from cleaned parts, choosing style and canonical spelling."""
    issuers = [_case_issuer(p) for p in issuer_parts]
    issuer_code = "-".join(issuers)
    tc = _case_type(type_code) if type_code else None
    num = number or ""
    if (
        shape == "state"
        and tc is not None
        and tc not in _JOINT_TYPES
        and issuers
        and issuers[0].upper() in _PARTY_BODIES_UPPER
    ):
        shape = "party"  # "34/CTR-HU": a party document misprinted in state shape
    if shape == "legal":
        style = "legal_normative"
        tail = f"{tc}-{issuer_code}" if tc else issuer_code
        canonical = f"{num}/{year}/{tail}"
    elif shape == "party":
        style = "joint" if len(issuers) >= 2 else "party"
        canonical = f"{num}-{tc}/{issuer_code}"
    elif tc is None:
        style = "official_letter"
        canonical = f"{num}/{issuer_code}"
    else:
        style = "joint" if tc in _JOINT_TYPES else "state"
        canonical = f"{num}/{tc}-{issuer_code}"
    return NumberSymbol(
        number=number or None,
        year=year,
        type_code=tc,
        issuer_code=issuer_code,
        style=style,
        blank=not number,
        canonical=canonical,
    )


def _parse_core(s: str) -> tuple[NumberSymbol | None, str]:
    """Parse a prefix-free symbol; the second item names the shape variant seen (for validation)."""
    m = _LEGAL.fullmatch(s)
    if m:
        parts = _parts(m.group("rest"))
        first = _case_type(parts[0])
        if len(parts) >= 2 and first in TYPE_CODES:
            return _build(m.group("num"), int(m.group("year")), first, parts[1:], "legal"), "legal"
        if len(parts) == 1 and first in TYPE_CODES:
            return None, "unknown"  # "04/2012/TT": the issuer is missing
        return _build(m.group("num"), int(m.group("year")), None, parts, "legal"), "legal"
    m = _PARTY.fullmatch(s)
    if m:
        type_code = m.group("type")
        hyphen = "-" in m.group("sep")
        # Without the hyphen ("115 KH/HU") only a known type code makes this a symbol.
        if hyphen or (m.group("num") and _case_type(type_code) in TYPE_CODES):
            variant = "party" if hyphen else "party_no_hyphen"
            return _build(m.group("num"), None, type_code, _parts(m.group("rest")), "party"), variant
    m = _STATE.fullmatch(s)
    if m:
        parts = _parts(m.group("rest"))
        first = _case_type(parts[0])
        if first in TYPE_CODES:
            if len(parts) < 2:
                return None, "unknown"
            return _build(m.group("num"), None, first, parts[1:], "state"), "state"
        return _build(m.group("num"), None, None, parts, "state"), "official_letter"
    return None, "unknown"


def parse_number_symbol(s: str) -> NumberSymbol | None:
    """Parse a printed number-and-symbol, tolerant of the defects real text has.

    Accepts an optional leading "Số"/"Số:", NFD input, ``Ð``, spaces around ``-`` and ``/``
    and a party hyphen lost to a space or line break. Blank numbers (``/KH-UBND``,
    ``-KH/TU``) parse with ``blank=True`` and ``number=None``. Returns ``None`` when the text is
    not a number-and-symbol at all.
    """
    if not isinstance(s, str):
        return None
    core, _, _ = _strip(s)
    if not core:
        return None
    parsed, _ = _parse_core(core)
    return parsed


def validate_number_symbol(s: str) -> str | None:
    """Return ``None`` for a well-formed number-and-symbol, else a short English reason code.

    The input is the symbol as stored (front matter, catalogue): "Số"/"Số:" belongs to the
    printed line, not to the value, so a prefix is reported ("party number has a colon" when a
    party number carries "Số:", else "has Số prefix").

    Reasons: "empty", "unknown format", "look-alike Ð instead of Đ", "not NFC",
    "party number has a colon", "has Số prefix", "party number lacks hyphen", "spaces inside symbol",
    "trailing punctuation", "party document in state format", "unknown type code",
    "number below 10 lacks leading zero", "implausible year", "non-standard casing".
    Blank numbers are valid: a blank is information, not an error.
    """
    if not isinstance(s, str) or not s.strip():
        return "empty"
    if "\u00d0" in s or "\u00f0" in s:
        return "look-alike Ð instead of Đ"
    if not unicodedata.is_normalized("NFC", s):
        return "not NFC"
    core, had_prefix, colon = _strip(s)
    parsed, variant = _parse_core(core) if core else (None, "unknown")
    if parsed is None:
        return "unknown format"
    if colon and variant in ("party", "party_no_hyphen"):
        return "party number has a colon"
    if had_prefix:
        return "has Số prefix"
    if variant == "party_no_hyphen":
        return "party number lacks hyphen"
    if re.search(r"\s", core):
        return "spaces inside symbol"
    if s.strip() != core:
        return "trailing punctuation"
    if variant == "state" and parsed.canonical.startswith(f"{parsed.number or ''}-"):
        return "party document in state format"  # reshaped to the party form by _build
    if variant == "party" and parsed.type_code not in TYPE_CODES:
        return "unknown type code"
    if parsed.number is not None and len(parsed.number) == 1:
        return "number below 10 lacks leading zero"
    if parsed.year is not None and not 1945 <= parsed.year <= 2100:
        return "implausible year"
    if parsed.canonical != core:
        return "non-standard casing"
    return None
