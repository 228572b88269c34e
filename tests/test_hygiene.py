"""Text hygiene (congkhai/checks/hygiene.py): line breaks and tabs in one-line fields.

Which fields are one line comes from the Table Schemas (``x-multiline``), so these tests read the
schemas rather than naming the fields."""

from __future__ import annotations

import pytest

from congkhai.checks.hygiene import check_reference_text, check_source_text
from congkhai.model.schemas import load_model
from congkhai.read.frontmatter import parse_source
from congkhai.read.records import Origin, Tables

BREAKS = ["\n", "\t", "\r", "\u2028", "\u2029"]


def _codes(front: str) -> list[tuple[str, str]]:
    src = parse_source("p.md", f"---\n{front}\n---\nThân bài\tcó tab\nvà nhiều dòng.\n")
    assert src.findings == [], src.findings
    return [(f.code, f.field) for f in check_source_text(src, load_model())]


def _yaml(text: str) -> str:
    """``text`` as a YAML double-quoted scalar (every break written as an escape)."""
    return '"' + text.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'


@pytest.mark.parametrize("brk", BREAKS)
def test_title_with_a_line_break_or_tab_is_refused(brk):
    assert _codes(f"title: {_yaml('Kế hoạch' + brk + 'năm 2024')}") == [("line-break", "title")]


def test_title_with_nel_is_a_control_character():
    """U+0085 (NEL) is a C1 control: refused everywhere, one-line field or not."""
    assert _codes(f"title: {_yaml('Kế hoạch' + chr(0x85) + 'năm 2024')}") == [("control-character", "title")]


def test_literal_block_title_is_refused():
    assert _codes("title: |-\n  Kế hoạch\n  năm 2024") == [("line-break", "title")]


@pytest.mark.parametrize(
    ("front", "field"),
    [
        ('id: "ke-hoach\\n"', "id"),
        ('number_symbol: "72/KH-UBND\\t"', "number_symbol"),
        ('topics: ["dan_van\\nchinh_quyen"]', "topics[0]"),
        ('recipients: ["Lưu:\\nVT"]', "recipients[0]"),
        ('signers: [{name: "Nguyễn\\u2028Văn An"}]', "signers[0].name"),
        ('tasks: [{id: a, text: "Tuyên truyền\\nLuật"}]', "tasks[0].text"),
        ('issuers: [{as_printed: "ỦY BAN\\nNHÂN DÂN"}]', "issuers[0].as_printed"),
    ],
)
def test_every_other_text_field_is_one_line(front, field):
    assert _codes(front) == [("line-break", field)]


def _multiline_paths() -> list[str]:
    """A front-matter snippet for every field the schemas mark multi-line and a plan can hold."""
    model = load_model()
    out = []
    for f in model.plan_table.fields:
        if f.descriptor.get("x-multiline"):
            out.append(f'{f.name}: "dòng một\\ndòng hai\\tcột"')
    for table in model.child_tables():
        for f in table.fields:
            if f.descriptor.get("x-multiline"):
                out.append(f'{table.frontmatter_key}: [{{{f.name}: "dòng một\\ndòng hai"}}]')
    return out


def test_schemas_mark_the_note_fields_multiline():
    assert {"notes", "status_reason"} <= {
        f.name for f in load_model().plan_table.fields if f.descriptor.get("x-multiline")
    }
    assert len(_multiline_paths()) >= 3


@pytest.mark.parametrize("front", _multiline_paths())
def test_multiline_fields_still_accept_line_breaks(front):
    assert _codes(front) == []


def test_multiline_block_notes_accepted():
    assert _codes("notes: |\n  Dòng một.\n  Dòng hai.") == []


def _reference(table: str, row: dict[str, str]) -> list[tuple[str, int, str]]:
    model = load_model()
    names = model.tables[table].field_names
    tables = Tables({}, {}, [])
    tables.add(table, {n: row.get(n) for n in names}, Origin(f"data/{table}.csv", None, (), 7, tuple(names)))
    return [(f.code, f.line, f.field) for f in check_reference_text(tables, [table], model)]


def test_reference_name_with_a_line_feed_is_refused():
    assert _reference("units", {"id": "x", "name": "Phòng Nội vụ\nhuyện"}) == [("line-break", 7, "name")]


def test_reference_multiline_field_accepts_line_breaks():
    assert _reference("task_updates", {"plan_id": "p", "result": "Đã tổ chức.\r\nĐã báo cáo."}) == []
