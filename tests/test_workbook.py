"""The spreadsheet files: the Excel workbook (read back with openpyxl) and the CSV copies for
Excel (read back as Excel reads them: byte-order mark, ``;``)."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from congkhai.model.schemas import load_model
from congkhai.render import datasets, workbook
from tests.test_datasets import _tricky, runs_as_formula
from tests.test_opendata import BAC_GIANG, Seeds, load_seeds


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeds]:
    yield from load_seeds(tmp_path_factory)


# --- Excel ---


def test_excel_files_have_bom_crlf_and_round_trip(seeds: Seeds) -> None:
    files = workbook.excel_files(seeds.model, seeds.rows)
    assert sorted(files) == sorted(f"excel/{t}.csv" for t in seeds.model.tables)
    for table in seeds.model.tables.values():
        data = files[f"excel/{table.name}.csv"]
        assert data.startswith(b"\xef\xbb\xbf")
        text = data.decode("utf-8-sig")
        assert text.endswith("\r\n") and text.count("\r\n") >= len(seeds.rows[table.name]) + 1
        plain = list(csv.reader(io.StringIO(seeds.files[f"{table.name}.csv"].decode("utf-8"), newline="")))
        excel = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
        assert excel[0] == table.field_names
        types = [f.type for f in table.fields]
        assert excel == [plain[0]] + [
            [datasets.safe_cell(c, t) for c, t in zip(r, types, strict=True)] for r in plain[1:]
        ]
        assert len(excel) == len(seeds.rows[table.name]) + 1
    assert "Đảng ủy" in files["excel/plans.csv"].decode("utf-8-sig")


def test_excel_files_are_deterministic(seeds: Seeds) -> None:
    assert workbook.excel_files(seeds.model, seeds.rows) == workbook.excel_files(seeds.model, seeds.rows)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+1", "'+1"),
        ("-x", "'-x"),
        ("@a", "'@a"),
        (" =1+1", "' =1+1"),
        ("\u00a0\u3000@a", "'\u00a0\u3000@a"),
        ("\n=1", "'\n=1"),
        ("\tx", "'\tx"),
        ("＝1+1", "'＝1+1"),
        ("＠a", "'＠a"),
        ("'=1", "'=1"),
        ("Đảng ủy", "Đảng ủy"),
        (" Đảng ủy", " Đảng ủy"),
        ("", ""),
    ],
)
def test_excel_cells_are_never_formulas(seeds: Seeds, cell: str, expected: str) -> None:
    tasks = seeds.model.tables["tasks"]
    row = dict(next(r for r in seeds.rows["tasks"]), text=cell)
    excel = list(
        csv.reader(io.StringIO(workbook.excel_csv(tasks, [row]).decode("utf-8-sig"), newline=""), delimiter=";")
    )
    assert excel[1][tasks.field_names.index("text")] == expected


@settings(max_examples=300)
@given(_tricky)
def test_excel_copy_of_any_text_is_not_a_formula(cell: str) -> None:
    tasks = load_model().tables["tasks"]
    excel = list(
        csv.reader(
            io.StringIO(workbook.excel_csv(tasks, [{"text": cell}]).decode("utf-8-sig"), newline=""), delimiter=";"
        )
    )
    out = excel[1][tasks.field_names.index("text")]
    assert not runs_as_formula(out) and out in (cell, "'" + cell)


def test_excel_copy_keeps_negative_numbers_of_number_columns(seeds: Seeds) -> None:
    """Only text is neutralised: an integer column's -5 stays a number (the schema says which)."""
    plans = seeds.model.tables["plans"]
    number = next(f.name for f in plans.fields if f.type == "integer" and not f.derived)
    text = next(f.name for f in plans.fields if f.type == "string" and f.name != "id")
    row = dict(seeds.rows["plans"][0], **{number: -5, text: "-5"})
    excel = list(
        csv.reader(io.StringIO(workbook.excel_csv(plans, [row]).decode("utf-8-sig"), newline=""), delimiter=";")
    )
    assert excel[1][plans.field_names.index(number)] == "-5"
    assert excel[1][plans.field_names.index(text)] == "'-5"


# --- The workbook ---


@pytest.fixture(scope="module")
def xlsx(seeds: Seeds) -> bytes:
    return workbook.workbook_bytes(seeds.model, seeds.rows, "2024-11-22T08:00:00+00:00")


def _book(data: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_workbook_has_a_sheet_per_table_with_both_header_rows(seeds: Seeds, xlsx: bytes) -> None:
    book = _book(xlsx)
    assert book.sheetnames == [*seeds.model.tables, workbook.DICTIONARY_SHEET]
    for table in seeds.model.tables.values():
        ws = book[table.name]
        assert [c.value for c in ws[1]] == [f.title for f in table.fields]
        assert [c.value for c in ws[2]] == table.field_names
        assert ws.max_row == workbook.HEADER_ROWS + len(seeds.rows[table.name]) or not seeds.rows[table.name]
        assert ws.freeze_panes == "A3"
        assert ws.auto_filter.ref.startswith("A2:")
        assert all(ws.column_dimensions[c].width >= workbook.MIN_WIDTH for c in ("A", "B"))


def test_no_cell_text_reads_as_an_ooxml_escape(xlsx: bytes) -> None:
    """``_xHHHH_`` in a stored string is a character to Excel and shorter runs are to LibreOffice
    (``mang_xa_hoi`` came back as "mang", a line break, "hoi"): no ``<t>`` of the workbook holds
    one, and openpyxl still reads the text as written (tests/test_spreadsheets.py runs LibreOffice)."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
    texts = re.findall(r"<t(?: [^>]*)?>([^<]*)</t>", xml)
    assert texts and not [t for t in texts if re.search(r"_x[0-9A-Fa-f]+_", t)]
    ws = _book(xlsx)[workbook.DICTIONARY_SHEET]
    assert any("mang_xa_hoi" in str(c) for row in ws.iter_rows(values_only=True) for c in row)


@pytest.mark.parametrize(
    ("text", "runs"),
    [
        ("mang_xa_hoi", ["mang_", "xa_hoi"]),
        ("a_xa_xb_c", ["a_", "xa_", "xb_c"]),
        ("chua_x000A_", ["chua_", "x000A_"]),
        ("tax_xyz_; x_1", None),
    ],
)
def test_ooxml_text_cuts_before_each_escape(text: str, runs: list[str] | None) -> None:
    stored = workbook.ooxml_text(text)
    assert stored == text if runs is None else [str(r) for r in stored] == runs


def test_workbook_cells_are_typed(seeds: Seeds, xlsx: bytes) -> None:
    book = _book(xlsx)
    provinces = book["provinces"]
    head = [c.value for c in provinces[2]]
    codes = {r[0]: r[head.index("code")] for r in provinces.iter_rows(min_row=3, values_only=True)}
    assert codes["ha-noi"] == "01" and codes["ha-giang"] == "02"  # leading zeros kept, as text
    cell = provinces.cell(row=3, column=head.index("code") + 1)
    assert cell.data_type == "s" and cell.number_format == "@"
    row = next(r for r in provinces.iter_rows(min_row=3) if r[0].value == "an-giang-2025")
    day = row[head.index("valid_from")]
    assert day.is_date and day.value == dt.datetime(2025, 7, 1) and day.number_format == "DD/MM/YYYY"
    plans = book["plans"]
    head = [c.value for c in plans[2]]
    row = next(r for r in plans.iter_rows(min_row=3) if r[0].value == BAC_GIANG)
    plan = next(p for p in seeds.rows["plans"] if p["id"] == BAC_GIANG)
    number = row[head.index("number")]
    assert number.value == 72 and number.data_type == "n"
    assert row[head.index("joint")].value is True
    assert row[head.index("issuer_units")].value == "; ".join(plan["issuer_units"])


def test_workbook_dictionary_sheet(seeds: Seeds, xlsx: bytes) -> None:
    ws = _book(xlsx)[workbook.DICTIONARY_SHEET]
    assert [c.value for c in ws[2]] == ["table", "field", "title", "type", "required", "description", "vocabulary"]
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert len(rows) == sum(len(t.fields) for t in seeds.model.tables.values())
    status = next(r for r in rows if r[:2] == ("tasks", "status"))
    assert (
        status[2]
        == seeds.model.tables["tasks"]
        .fields[[f.name for f in seeds.model.tables["tasks"].fields].index("status")]
        .title
    )
    assert "done = Đã hoàn thành" in status[6]


def test_workbook_bytes_are_deterministic(seeds: Seeds, xlsx: bytes) -> None:
    again = workbook.workbook_bytes(seeds.model, copy.deepcopy(seeds.rows), "2024-11-22T08:00:00+00:00")
    assert again == xlsx
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        assert {i.date_time for i in z.infolist()} == {(2024, 11, 22, 8, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert "2024-11-22T08:00:00Z" in core and "Công khai" in core
    assert _book(xlsx).properties.modified == dt.datetime(2024, 11, 22, 8, 0, 0)
    assert workbook.workbook_bytes(seeds.model, seeds.rows, None)[:4] == b"PK\x03\x04"


@pytest.mark.parametrize(
    "payload", ["=1+1", "+1", "-x", "@SUM(A1)", '=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0"]
)
def test_workbook_text_is_never_a_formula(seeds: Seeds, payload: str) -> None:
    tasks = seeds.model.tables["tasks"]
    row = dict(seeds.rows["tasks"][0], text=payload, lead=payload)
    data = workbook.workbook_bytes(seeds.model, {**seeds.rows, "tasks": [row]}, None)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read(f"xl/worksheets/sheet{list(seeds.model.tables).index('tasks') + 1}.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet
    cell = _book(data)["tasks"].cell(row=3, column=tasks.field_names.index("text") + 1)
    assert cell.value == payload and cell.data_type == "s"


def test_every_csv_link_on_every_page_has_an_excel_ready_file(seeds: Seeds) -> None:
    """A person clicking a CSV link gets a file Excel reads (byte-order mark, ``;``), or the link
    to a canonical CSV (for tools) stands beside the link to its copy for Excel."""
    from congkhai.load.corpus import validate
    from congkhai.render.site import render_site

    downloads, pages = render_site(validate(seeds.root), None, None)
    links = 0
    for name, text in pages.items():
        if not name.endswith(".md"):
            continue
        for line in text.splitlines():
            for target in re.findall(r"\]\(([^)\s]+\.csv)\)", line):
                path = target.rsplit("data/", 1)[-1] if "data/" in target else target
                assert path in downloads, (name, target)
                links += 1
                data = downloads[path]
                if data.startswith(b"\xef\xbb\xbf"):
                    header = data.decode("utf-8-sig").split("\r\n", 1)[0]
                    assert ";" in header and "," not in header, (name, path)
                else:
                    assert f"excel/{path}" in line, (name, target)  # the Excel copy beside it
                    assert downloads[f"excel/{path}"].startswith(b"\xef\xbb\xbf")
    assert links > len(seeds.rows["plans"])  # the per-plan task CSVs, the data page, the disclosure pages


# --- The rows written directly: the bytes openpyxl's write-only worksheet writes ---


def _openpyxl_sheet_data(rows: list[list[tuple[Any, str]]], wrap: bool) -> tuple[str, bytes]:
    """The reference: the same header and rows written cell by cell through openpyxl (as the
    workbook was written before its rows were): the ``<sheetData>`` and ``styles.xml``."""
    from openpyxl.cell.cell import WriteOnlyCell
    from openpyxl.cell.rich_text import CellRichText
    from openpyxl.writer.excel import ExcelWriter

    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet("s")

    def cell(value: Any, fmt: str, header: bool = False) -> Any:
        if isinstance(value, str):
            value = workbook.ooxml_text(value)
        c = WriteOnlyCell(ws, value)
        if isinstance(value, str | CellRichText):
            c.data_type = "s"
        c.number_format = fmt
        if header:
            c.font, c.fill = workbook._BOLD, workbook._FILL
        if header or wrap:
            c.alignment = workbook._WRAP
        return c

    ws.append([cell("Tiêu đề _x0041_", workbook.TEXT, True), cell("b", workbook.TEXT, True)])
    ws.append([cell("a", workbook.TEXT, True), cell(" b ", workbook.TEXT, True)])
    for row in rows:
        ws.append([cell(v, f) for v, f in row])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        ExcelWriter(book, archive).save()
    with zipfile.ZipFile(buf) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode("ascii")
        return sheet[sheet.index("<sheetData>") + 11 : sheet.index("</sheetData>")], z.read("xl/styles.xml")


def _direct_sheet_data(rows: list[list[tuple[Any, str]]], wrap: bool) -> tuple[str, bytes]:
    from openpyxl.writer.excel import ExcelWriter

    book = openpyxl.Workbook(write_only=True)
    styles = workbook._Styles(book)
    head = [("Tiêu đề _x0041_", "a"), ("b", " b ")]
    xml = workbook._rows_xml(styles, head, rows, wrap)
    book.create_sheet("s")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        ExcelWriter(book, archive).save()
    with zipfile.ZipFile(buf) as z:
        return xml, z.read("xl/styles.xml")


_CELL_TEXTS = [
    "",
    " ",
    "  lề  ",
    "a&b<c>d\"e'f",
    "dòng\r\nmới\tvà tab",
    "mang_xa_hoi",
    "_x0041_ và _x00e9__xD800_",
    " _x1_ ",
    "😀 ngoài BMP",
    "=1+1",
    "Đảng ủy",
    "x" * (workbook.MAX_CELL + 5),
]


@pytest.mark.parametrize("wrap", [False, True])
def test_rows_xml_is_what_openpyxl_writes(wrap: bool) -> None:
    values: list[tuple[Any, str]] = [(t, workbook.TEXT) for t in _CELL_TEXTS]
    values += [
        (None, workbook.TEXT),
        (None, "General"),
        (dt.date(2024, 2, 29), workbook.DATE_FORMAT),
        (dt.date(1900, 1, 1), workbook.DATE_FORMAT),
        (0, "0"),
        (-7, "0"),
        (12345678901234567890, "0"),
        (1.5, "General"),
        (1e-300, "General"),
        (float("nan"), "General"),
        (float("inf"), "General"),
        (True, "General"),
        (False, "General"),
    ]
    rows = [values, [(None, "General")], [(v, f) for v, f in reversed(values)]]
    assert _direct_sheet_data(rows, wrap) == _openpyxl_sheet_data(rows, wrap)


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_rows_xml_writes_any_text_as_openpyxl(text: str) -> None:
    clean = workbook._text(text)
    rows = [[(clean, workbook.TEXT), (clean or None, workbook.TEXT)]]
    assert _direct_sheet_data(rows, False) == _openpyxl_sheet_data(rows, False)
