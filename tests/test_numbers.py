"""Number-and-symbol parsing: the spellings printed in the seed plans, and generated ones.

The symbol is the identity every citation of a document shares, so the canonical spelling must
be stable (round trip) and must absorb the defects real text has (case, spaces, "Số:", Ð).
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from congkhai.vietnamese.numbers import NumberSymbol, doc_type_for_code, parse_number_symbol, validate_number_symbol

# (printed as in the seeds or documents.md, number, year, type_code, issuer_code, style, blank, canonical)
PARSE_CASES = [
    # 000: "Số 72-KHPH/KDV-UBND" — joint party-style plan of Dĩnh Kế
    ("Số 72-KHPH/KDV-UBND", "72", None, "KHPH", "KDV-UBND", "joint", False, "72-KHPH/KDV-UBND"),
    # 004: "Kế hoạch phối hợp số 68-CTr/BDVTU-BCSĐUBND, ngày 27/02/2023"
    ("68-CTr/BDVTU-BCSĐUBND", "68", None, "CTr", "BDVTU-BCSĐUBND", "joint", False, "68-CTr/BDVTU-BCSĐUBND"),
    ("16-CTr/BDVTU-UBND", "16", None, "CTr", "BDVTU-UBND", "joint", False, "16-CTr/BDVTU-UBND"),
    # 002: "Số: /KH-UBND" — draft with a blank number
    ("Số: /KH-UBND", None, None, "KH", "UBND", "state", True, "/KH-UBND"),
    ("-KH/TU", None, None, "KH", "TU", "party", True, "-KH/TU"),
    # 001: "CHỈ THỊ SỐ 33/CT-TTG NGÀY 26 THÁNG 11 NĂM 2021"
    ("33/CT-TTG", "33", None, "CT", "TTg", "state", False, "33/CT-TTg"),
    ("Số: 33/CT-TTg", "33", None, "CT", "TTg", "state", False, "33/CT-TTg"),
    # 003: "Văn bản số 276/UBND-NCPC" — official letter, no type code
    ("276/UBND-NCPC", "276", None, None, "UBND-NCPC", "official_letter", False, "276/UBND-NCPC"),
    # 002: "Nghị định số 59/2023/NĐ-CP ngày 14/8/2023 của Chính phủ"
    ("59/2023/NĐ-CP", "59", 2023, "NĐ", "CP", "legal_normative", False, "59/2023/NĐ-CP"),
    ("30/2020/NÐ-CP", "30", 2020, "NĐ", "CP", "legal_normative", False, "30/2020/NĐ-CP"),  # look-alike Ð
    ("10/2022/QH15", "10", 2022, None, "QH15", "legal_normative", False, "10/2022/QH15"),
    ("01/2014/TTLT-BNV-BTC", "01", 2014, "TTLT", "BNV-BTC", "legal_normative", False, "01/2014/TTLT-BNV-BTC"),
    # 002: "Kế hoạch số 1043-KH/BCSD, ngày 08/02/2024" (BCSĐ misprinted, kept as printed)
    ("1043-KH/BCSD", "1043", None, "KH", "BCSD", "party", False, "1043-KH/BCSD"),
    # 002: "Chương trình số 34/CTR-HU", "Nghị Quyết số 58/NQ-TU" — party documents printed in state
    # shape; the canonical form is the party shape so they meet "58-NQ/TU" cited later in 002
    ("34/CTR-HU", "34", None, "CTr", "HU", "party", False, "34-CTr/HU"),
    ("58/NQ-TU", "58", None, "NQ", "TU", "party", False, "58-NQ/TU"),
    # 002: "Chỉ thị số 14 -CT/HU", "Đề án số 01- ĐA/BDVTU-UBND", "Kế hoạch số 180 /KH-UBND"
    ("14 -CT/HU", "14", None, "CT", "HU", "party", False, "14-CT/HU"),
    ("01- ĐA/BDVTU-UBND", "01", None, "ĐA", "BDVTU-UBND", "joint", False, "01-ĐA/BDVTU-UBND"),
    ("180 /KH-UBND", "180", None, "KH", "UBND", "state", False, "180/KH-UBND"),
    # 002: "Hướng dẫn số 50 HD/HU" and "Kế hoạch số 115\n\nKH/HU" — the party hyphen lost
    ("50 HD/HU", "50", None, "HD", "HU", "party", False, "50-HD/HU"),
    ("115\n\nKH/HU", "115", None, "KH", "HU", "party", False, "115-KH/HU"),
    # 002: "Quy chế làm việc số 26-QC/BCĐ"; 004: "Quy định số 124-QĐ/TW"
    ("26-QC/BCĐ", "26", None, "QC", "BCĐ", "party", False, "26-QC/BCĐ"),
    ("124-QĐ/TW", "124", None, "QĐ", "TW", "party", False, "124-QĐ/TW"),
    ("05-CT/TW", "05", None, "CT", "TW", "party", False, "05-CT/TW"),
    ("12/KHLT-UBND-MTTQ", "12", None, "KHLT", "UBND-MTTQ", "joint", False, "12/KHLT-UBND-MTTQ"),
]


@pytest.mark.parametrize(
    ("printed", "number", "year", "type_code", "issuer", "style", "blank", "canonical"), PARSE_CASES
)
def test_parse_real_spellings(
    printed: str,
    number: str | None,
    year: int | None,
    type_code: str | None,
    issuer: str,
    style: str,
    blank: bool,
    canonical: str,
) -> None:
    assert parse_number_symbol(printed) == NumberSymbol(number, year, type_code, issuer, style, blank, canonical)


@pytest.mark.parametrize(
    "text", ["", "   ", "abc", "12/KH", "Số:", "26/11/2021", "2021 - 2025", "KT-XH", "b/c", "Quý II/2024"]
)
def test_not_a_number_symbol(text: str) -> None:
    assert parse_number_symbol(text) is None


def test_nfd_parses_like_nfc() -> None:
    assert parse_number_symbol(unicodedata.normalize("NFD", "Số: 23-QĐ/TW")) == parse_number_symbol("23-QĐ/TW")


VALIDATE_CASES = [
    ("72/KH-UBND", None),
    ("72-KHPH/KDV-UBND", None),
    ("/KH-UBND", None),  # a blank is information, not an error
    ("-KH/TU", None),
    ("10/2022/QH15", None),
    ("276/UBND-NCPC", None),
    ("Số: 72-KH/HU", "party number has a colon"),
    ("Số: 72/KH-UBND", "has Số prefix"),
    ("Số 72-KH/TU", "has Số prefix"),
    ("72 / KH-UBND", "spaces inside symbol"),
    ("14 -CT/HU", "spaces inside symbol"),
    ("50 HD/HU", "party number lacks hyphen"),
    ("7/KH-UBND", "number below 10 lacks leading zero"),
    ("33/CT-TTG", "non-standard casing"),
    ("34/CTR-HU", "party document in state format"),
    ("58/NQ-TU", "party document in state format"),
    ("12-XYZ/TU", "unknown type code"),
    ("30/2020/NÐ-CP", "look-alike Ð instead of Đ"),
    (unicodedata.normalize("NFD", "Số: 23-QĐ/TW"), "not NFC"),
    ("33/CT-TTg.", "trailing punctuation"),
    ("30/1820/NĐ-CP", "implausible year"),
    ("không số", "unknown format"),
    ("", "empty"),
]


@pytest.mark.parametrize(("value", "reason"), VALIDATE_CASES)
def test_validate(value: str, reason: str | None) -> None:
    assert validate_number_symbol(value) == reason


DOC_TYPES = [
    ("KH", None, "ke_hoach"),
    ("KHPH", None, "ke_hoach"),
    ("CTr", None, "chuong_trinh"),
    ("CTR", None, "chuong_trinh"),
    ("NQ", None, "nghi_quyet"),
    ("NĐ", None, "nghi_dinh"),
    ("QĐ", None, "quyet_dinh"),
    ("QĐi", None, "quy_dinh"),
    ("QyĐ", None, "quy_dinh"),
    ("CT", None, "chi_thi"),
    ("KL", None, "ket_luan"),
    ("HD", None, "huong_dan"),
    ("TB", None, "thong_bao"),
    ("QC", None, "quy_che"),
    ("BC", None, "bao_cao"),
    ("ĐA", None, "de_an"),
    ("CV", None, "cong_van"),
    ("TT", "party", "thong_tri"),
    ("TT", None, "thong_tri"),
    ("TT", "legal_normative", "thong_tu"),
    ("TT-BNV", None, "thong_tu"),
    ("QH", None, "luat"),
    ("QH15", None, "luat"),
    ("PL", None, "phap_lenh"),
    ("TTr", None, "to_trinh"),
    ("GM", None, "khac"),
    ("XYZ", None, None),
    (None, None, None),
]


@pytest.mark.parametrize(("code", "style", "doc_type"), DOC_TYPES)
def test_doc_type_for_code(code: str | None, style: str | None, doc_type: str | None) -> None:
    assert doc_type_for_code(code, style) == doc_type


def test_symbol_doc_type() -> None:
    assert parse_number_symbol("276/UBND-NCPC").doc_type == "cong_van"  # type: ignore[union-attr]
    assert parse_number_symbol("10/2022/QH15").doc_type == "luat"  # type: ignore[union-attr]
    assert parse_number_symbol("01/2023/TT-BNV").doc_type == "thong_tu"  # type: ignore[union-attr]
    assert parse_number_symbol("02-TT/TU").doc_type == "thong_tri"  # type: ignore[union-attr]
    assert parse_number_symbol("05-CT/TW").is_party_body  # type: ignore[union-attr]
    assert not parse_number_symbol("33/CT-TTg").is_party_body  # type: ignore[union-attr]


# --- generated symbols ------------------------------------------------------------------------

PARTY_TYPES = ["KH", "CTr", "QĐ", "QĐi", "CT", "KL", "NQ", "HD", "TB", "BC", "ĐA", "QC", "TT", "CV", "KHPH"]
STATE_TYPES = ["KH", "CTr", "QĐ", "CT", "NQ", "HD", "TB", "BC", "ĐA", "QC", "QyĐ", "TTr", "GM"]
PARTY_ISSUERS = ["TW", "TU", "HU", "ĐU", "BDVTU", "VPTW", "BCSĐ", "KDV-UBND", "BDVTU-UBND", "BDVTU-BCSĐUBND"]
STATE_ISSUERS = ["UBND", "TTg", "BNV", "CP", "HĐND", "SNV", "UBND-MTTQ"]
LEGAL_TAILS = ["NĐ-CP", "QĐ-TTg", "TT-BNV", "NQ-HĐND", "QH15", "QH14", "PL-UBTVQH11", "NQ-CP"]

numbers = st.integers(min_value=1, max_value=99999).map(lambda n: f"{n:02d}")
maybe_numbers = st.one_of(numbers, st.just(""))
party = st.builds(
    lambda n, t, i: f"{n}-{t}/{i}", maybe_numbers, st.sampled_from(PARTY_TYPES), st.sampled_from(PARTY_ISSUERS)
)
state = st.builds(
    lambda n, t, i: f"{n}/{t}-{i}", maybe_numbers, st.sampled_from(STATE_TYPES), st.sampled_from(STATE_ISSUERS)
)
letter = st.builds(lambda n, i: f"{n}/{i}", numbers, st.sampled_from(["UBND-NCPC", "SNV-VP", "BNV-CQĐP"]))
legal = st.builds(
    lambda n, y, t: f"{n}/{y}/{t}",
    maybe_numbers,
    st.integers(min_value=1960, max_value=2030),
    st.sampled_from(LEGAL_TAILS),
)
symbols = st.one_of(party, state, letter, legal)


@given(symbols)
def test_round_trip(symbol: str) -> None:
    parsed = parse_number_symbol(symbol)
    assert parsed is not None
    assert parsed.canonical == symbol  # generated symbols are already canonical
    again = parse_number_symbol(parsed.canonical)
    assert again == parsed
    assert validate_number_symbol(parsed.canonical) is None
    assert parsed.blank == (parsed.number is None)


@given(symbols, st.sampled_from(["", "Số ", "Số: ", "số ", "SỐ: "]), st.booleans(), st.booleans())
def test_printed_variants_share_the_canonical(symbol: str, prefix: str, upper: bool, nfd: bool) -> None:
    printed = prefix + (symbol.upper() if upper else symbol)
    if nfd:
        printed = unicodedata.normalize("NFD", printed)
    parsed = parse_number_symbol(printed)
    assert parsed is not None
    assert parsed.canonical == symbol


@given(st.text())
def test_never_raises(text: str) -> None:
    parsed = parse_number_symbol(text)
    reason = validate_number_symbol(text)
    assert reason is None or isinstance(reason, str)
    if parsed is not None:
        assert parse_number_symbol(parsed.canonical) == parsed


@settings(max_examples=200)
@given(st.text(alphabet="0123456789/-: SốKHCTrQĐNĐUBNDTWg\n", max_size=30))
def test_symbol_soup_round_trips(text: str) -> None:
    parsed = parse_number_symbol(text)
    if parsed is not None:
        assert parse_number_symbol(parsed.canonical) == parsed
