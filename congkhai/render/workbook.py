"""The datasets for spreadsheets: the Excel workbook ``cong-khai.xlsx`` and the CSV copies
``excel/<table>.csv``.

The workbook has one sheet per table and a data dictionary sheet. Each table sheet has two header
rows: the Vietnamese column title from the schema (for people) above the field name (the CSV's,
the SQLite's and the dictionary's column name, for formulas, pandas ``header=1`` and matching the
other formats). Dates are date cells, numbers numbers, every text cell a string with the text
format ``@`` — codes and ids keep their leading zeros, and no text is ever a formula. The bytes
are deterministic: the document's dates come from the data and every zip entry has one fixed time.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, WriteOnlyCell
from openpyxl.cell.rich_text import CellRichText
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.writer.excel import ExcelWriter

from ..model.schemas import Field, Model, Table
from ..model.sitemap import EXCEL_DIR
from ..read.records import Row
from .datasets import csv_bytes

DICTIONARY_SHEET = "Từ điển dữ liệu"
PUBLISHER = "Công khai"
TEXT = "@"
DATE_FORMAT = "DD/MM/YYYY"
LIST_JOIN = "; "
HEADER_ROWS = 2
MAX_WIDTH, MIN_WIDTH = 60, 8
MAX_CELL = 32767  # Excel's limit on the characters of one cell
EPOCH = dt.datetime(1980, 1, 1)  # the earliest time a zip entry can carry
_BOLD = Font(bold=True)
_OOXML_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]+_)")
_FILL = PatternFill("solid", fgColor="DDEBF7")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TYPES_VI = {
    "string": "văn bản",
    "integer": "số nguyên",
    "number": "số",
    "boolean": "đúng/sai",
    "date": "ngày",
    "list": "danh sách",
}


# --- CSV copies ---------------------------------------------------------------------------------


def excel_csv(table: Table, rows: list[Row]) -> bytes:
    """One table as CSV for a spreadsheet: UTF-8 with a byte-order mark, ``;`` between cells and
    CRLF rows; cells that could start a formula get a ``'`` prefix (``datasets.safe_cell``)."""
    return csv_bytes(table, rows, spreadsheet=True)


def excel_files(model: Model, rows: dict[str, list[Row]]) -> dict[str, bytes]:
    """``excel/<table>.csv`` for every table."""
    return {f"{EXCEL_DIR}/{t.name}.csv": excel_csv(t, rows[t.name]) for t in model.tables.values()}


# --- The workbook -------------------------------------------------------------------------------


def _text(value: Any) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))[:MAX_CELL]


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def cell_value(value: Any, f: Field) -> tuple[Any, str]:
    """(value, number format) of one cell: a date for a valid date, an int or float for a number,
    a bool for a boolean, otherwise text (lists joined by ``; ``) in the text format."""
    if value is None or value == "" or value == []:
        return None, TEXT if f.type in ("string", "list") else "General"
    if f.type == "date" and (day := _date(value)) is not None:
        return day, DATE_FORMAT
    if f.type == "integer" and not isinstance(value, bool):
        try:
            return int(value), "0"
        except ValueError:
            pass
    if f.type == "number" and not isinstance(value, bool):
        try:
            return float(value), "General"
        except ValueError:
            pass
    if f.type == "boolean" and (isinstance(value, bool) or value in ("true", "false")):
        return value is True or value == "true", "General"
    if isinstance(value, list):
        return _text(LIST_JOIN.join(str(v) for v in value)), TEXT
    return _text(value), TEXT


def ooxml_text(value: str) -> str | CellRichText:
    """``value`` as a cell stores it so every reader gets it back: OOXML reads ``_xHHHH_`` in a
    string as the character HHHH (ECMA-376 Part 1 §22.4.2.4 ST_Xstring), and LibreOffice reads
    shorter runs too — the vocabulary code ``mang_xa_hoi`` came back from LibreOffice as "mang",
    a line break and "hoi". Writing the ``_`` as ``_x005F_`` fixes Excel and LibreOffice but
    openpyxl (pandas ``read_excel``) shows the escape, so the text is cut instead into runs of
    one inline rich string at each ``_`` that starts such a run: no run holds an escape, and
    every reader joins the runs into the text written."""
    cuts = [m.start() + 1 for m in _OOXML_ESCAPE.finditer(value)]
    if not cuts:
        return value
    return CellRichText([value[a:b] for a, b in zip([0, *cuts], [*cuts, len(value)], strict=True)])


def _cell(ws: WriteOnlyWorksheet, value: Any, fmt: str, *, header: bool = False, wrap: bool = False) -> Cell:
    if isinstance(value, str):
        value = ooxml_text(value)
    cell = WriteOnlyCell(ws, value)
    if isinstance(value, str | CellRichText):
        cell.data_type = "s"  # a string, never a formula (openpyxl reads "=…" as one)
    cell.number_format = fmt
    if header:
        cell.font, cell.fill = _BOLD, _FILL
    if header or wrap:
        cell.alignment = _WRAP
    return cell


def _sheet(
    wb: Workbook,
    name: str,
    head: list[tuple[str, str]],
    rows: list[list[tuple[Any, str]]],
    widths: list[int],
    wrap: bool = False,
) -> None:
    """A sheet: the two header rows (title, field name), bold, frozen below, an autofilter on the
    field-name row; column widths; then the rows of (value, number format)."""
    ws = wb.create_sheet(name)
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(MIN_WIDTH, min(MAX_WIDTH, w + 2))
    ws.freeze_panes = f"A{HEADER_ROWS + 1}"
    ws.auto_filter.ref = f"A{HEADER_ROWS}:{get_column_letter(max(len(head), 1))}{HEADER_ROWS + len(rows)}"
    ws.append([_cell(ws, title, TEXT, header=True) for title, _ in head])
    ws.append([_cell(ws, name, TEXT, header=True) for _, name in head])
    for row in rows:
        ws.append([_cell(ws, value, fmt, wrap=wrap) for value, fmt in row])


def _width(value: Any) -> int:
    if isinstance(value, dt.date):
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0)


def _table_sheet(wb: Workbook, table: Table, rows: list[Row]) -> None:
    widths = [max(len(f.title), len(f.name)) for f in table.fields]
    cells = []
    for row in rows:
        line = [cell_value(row.get(f.name), f) for f in table.fields]
        for i, (value, _) in enumerate(line):
            if value is not None:
                widths[i] = max(widths[i], _width(value))
        cells.append(line)
    _sheet(wb, table.name, [(f.title, f.name) for f in table.fields], cells, widths)


def dictionary_rows(model: Model) -> list[list[str]]:
    """The data dictionary sheet's rows: table, field, title, type, required, description, vocabulary."""
    out = []
    for table in model.tables.values():
        for f in table.fields:
            vocab = ""
            if f.vocabulary:
                v = model.vocabularies[f.vocabulary]
                vocab = f"{v.title.get('vi', v.name)}: " + LIST_JOIN.join(
                    f"{code} = {labels.get('vi', code)}" for code, labels in v.values.items()
                )
            out.append(
                [
                    table.name,
                    f.name,
                    f.title,
                    _TYPES_VI.get(f.type, f.type),
                    "có" if f.required else "không",
                    f.description,
                    vocab,
                ]
            )
    return out


def _dictionary_sheet(wb: Workbook, model: Model) -> None:
    head = [
        ("Bảng", "table"),
        ("Trường", "field"),
        ("Tên cột", "title"),
        ("Kiểu", "type"),
        ("Bắt buộc", "required"),
        ("Mô tả", "description"),
        ("Danh mục giá trị", "vocabulary"),
    ]
    rows = [[(_text(v) if v else None, TEXT) for v in row] for row in dictionary_rows(model)]
    _sheet(wb, DICTIONARY_SHEET, head, rows, [14, 18, 30, 10, 9, 60, 60], wrap=True)


def _stamp(modified: str | None) -> dt.datetime:
    """The document's creation and change time: the data's last change (``datapackage.json``'s
    ``modified``), never the clock."""
    if modified:
        try:
            return dt.datetime.fromisoformat(modified.replace("Z", "+00:00")).replace(tzinfo=None, microsecond=0)
        except ValueError:
            pass
    return EPOCH


def _rezip(data: bytes, when: dt.datetime) -> bytes:
    """The same zip with every entry at one time (``when``, not before 1980) and fixed attributes."""
    stamp = max(when, EPOCH).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def workbook_bytes(model: Model, rows: dict[str, list[Row]], modified: str | None) -> bytes:
    """``cong-khai.xlsx``: a sheet per table (named by the table) and the data dictionary sheet."""
    wb = Workbook(write_only=True)  # rows streamed: several times faster than cell by cell
    for table in model.tables.values():
        _table_sheet(wb, table, rows.get(table.name, []))
    _dictionary_sheet(wb, model)
    when = _stamp(modified)
    props = wb.properties
    props.creator = props.lastModifiedBy = PUBLISHER
    props.title = model.package["title"]
    props.created = props.modified = when
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()  # not openpyxl's save_workbook: it stamps the clock's time
    return _rezip(buf.getvalue(), when)
