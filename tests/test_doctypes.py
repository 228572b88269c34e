"""One document-type vocabulary: every reader of a document's type uses the tables derived from
``doc_type`` in ``schemas/vocabularies.yaml``, not a list of its own.

These tests fail if a reader gets a hard-coded list again (the identity checks), if the schema
declares a printed form a reader does not recognise, or if a reader knows a type the schema lacks.
"""

from __future__ import annotations

import pytest

from congkhai.importer import header
from congkhai.model.schemas import Vocabulary, load_model
from congkhai.vietnamese import numbers
from congkhai.vietnamese.citations import anchors, find_all
from congkhai.vietnamese.doctypes import DocTypes, doc_types, folded_key

VOCAB = load_model().vocabularies["doc_type"]
TABLES = doc_types()


def _words(spec: dict) -> list[str]:
    return list(spec.get("words") or [spec["vi"]])


def test_readers_use_the_derived_tables():
    assert anchors.TYPE_WORDS is TABLES.words
    assert TABLES.word_pattern() == anchors.TYPE_WORD
    assert header.TYPE_LINES is TABLES.headings
    assert numbers.TYPE_CODES is TABLES.codes


def test_tables_hold_only_vocabulary_codes():
    codes = set(VOCAB.values)
    assert {c for c in TABLES.words.values() if c is not None} <= codes
    assert set(TABLES.headings.values()) <= codes
    assert set(TABLES.codes.values()) <= codes
    assert TABLES.joint_codes <= set(TABLES.codes)


@pytest.mark.parametrize("code", list(VOCAB.values))
def test_citation_reader_knows_every_type_word(code: str):
    for word in _words(VOCAB.values[code]):
        found = find_all(f"Thực hiện {word} số 12/XYZ-UBND ngày 01/02/2023 của Ủy ban nhân dân tỉnh.")
        assert [c.doc_type for c in found] == [code], word


def test_generic_word_leaves_the_type_to_the_symbol():
    assert VOCAB.extensions["x-generic-words"] == ["Văn bản"]
    (c,) = find_all("Văn bản số 72/KH-UBND ngày 01/02/2023")
    assert c.doc_type == "ke_hoach"


@pytest.mark.parametrize("code", [c for c, spec in VOCAB.values.items() if spec.get("headings")])
def test_importer_knows_every_heading(code: str):
    for line in VOCAB.values[code]["headings"]:
        assert header.type_of_line(line.upper()) == code, line


def test_a_type_without_headings_is_never_a_plan():
    assert header.type_of_line("NGHỊ ĐỊNH") is None
    assert header.type_of_line("LUẬT") is None


@pytest.mark.parametrize("code", list(VOCAB.values))
def test_symbol_parser_knows_every_type_code(code: str):
    spec = VOCAB.values[code]
    for type_code in ([spec["abbr"]] if spec.get("abbr") else []) + spec.get("codes", []) + spec.get("joint", []):
        expected = "thong_tri" if type_code == "TT" else code  # shared code: see the yaml comment
        assert numbers.doc_type_for_code(type_code) == expected, type_code
    for joint in spec.get("joint", []):
        ns = numbers.parse_number_symbol(f"12/{joint}-UBND")
        assert ns is not None and ns.style == "joint" and ns.doc_type == code, joint


def test_shared_code_resolved_by_shape():
    assert numbers.doc_type_for_code("TT", "party") == "thong_tri"
    assert numbers.doc_type_for_code("TT-BNV") == "thong_tu"


def test_a_type_added_to_the_schema_reaches_every_table():
    values = dict(VOCAB.values)
    values["cong_dien"] = {
        "vi": "Công điện",
        "en": "Official telegram",
        "abbr": "CĐi",
        "joint": ["CĐLT"],
        "headings": ["Công điện", "Công điện khẩn"],
    }
    tables = DocTypes.from_vocabulary(Vocabulary("doc_type", VOCAB.title, values, VOCAB.extensions))
    assert tables.words["cong dien"] == "khac"  # first declared ("khac": words) still wins
    assert tables.headings[folded_key("CÔNG ĐIỆN KHẨN")] == "cong_dien"
    assert tables.codes["CĐi"] == tables.codes["CĐLT"] == "cong_dien"
    assert "CĐLT" in tables.joint_codes


def test_longest_type_word_wins():
    pattern = TABLES.word_pattern()
    assert pattern.index("liên\\s+tịch") < pattern.index("nghị\\s+quyết|")
    (c,) = find_all("Nghị quyết liên tịch số 01/NQLT-BCA-BQP")
    assert c.raw.startswith("Nghị quyết liên tịch") and c.doc_type == "nghi_quyet"
