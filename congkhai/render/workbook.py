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
import itertools
import math
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, WriteOnlyCell
from openpyxl.cell.rich_text import CellRichText
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
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


class _Styles:
    """Each cell style's id, as openpyxl numbers them: in the order styles are first used, cell by
    cell — the sheets' rows are written in that order, so the ids (and ``styles.xml``) are the ones
    openpyxl gives when it writes the cells itself."""

    def __init__(self, wb: Workbook) -> None:
        self.ws = wb.create_sheet("_styles")  # only to make style records; removed before saving
        self.ids: dict[tuple[str, bool, bool], int] = {}

    def id(self, fmt: str, header: bool, wrap: bool) -> int:
        key = (fmt, header, wrap)
        found = self.ids.get(key)
        if found is None:
            if fmt == DATE_FORMAT:
                # a date bound to a cell first gets openpyxl's default date format, which goes
                # into styles.xml before ours (as when the cells were openpyxl's)
                WriteOnlyCell(self.ws, dt.date(2000, 1, 1))
            cell = WriteOnlyCell(self.ws, None)
            cell.number_format = fmt
            if header:
                cell.font, cell.fill = _BOLD, _FILL
            if header or wrap:
                cell.alignment = _WRAP
            found = self.ids[key] = cell.style_id if cell.has_style else 0
        return found


def _xml_text(text: str) -> str:
    """Text as openpyxl's writer (lxml, ASCII) puts it in a ``<t>``: ``& < >`` and CR escaped,
    every other non-ASCII character as a decimal reference."""
    out = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    return out if out.isascii() else out.encode("ascii", "xmlcharrefreplace").decode("ascii")


def _run(text: str, preserve: bool) -> str:
    return f'<t xml:space="preserve">{_xml_text(text)}</t>' if preserve else f"<t>{_xml_text(text)}</t>"


def _cell_xml(ref: str, value: Any, s: str) -> str:
    """One ``<c>`` exactly as openpyxl's write-only worksheet writes the cell (``ooxml_text`` for
    strings, which are always strings, never formulas), ``s`` its style attribute (``' s="3"'``,
    "" for none, or a part's placeholder); "" for an empty cell without a style."""
    if value is None:
        return f'<c r="{ref}"{s} t="n"></c>' if s else ""
    if isinstance(value, str):
        value = value[:MAX_CELL]
        if value == "":
            return f'<c r="{ref}"{s} t="inlineStr"></c>'
        cuts = [m.start() + 1 for m in _OOXML_ESCAPE.finditer(value)]
        if not cuts:
            return f'<c r="{ref}"{s} t="inlineStr"><is>{_run(value, value != value.strip())}</is></c>'
        runs = [value[a:b] for a, b in zip([0, *cuts], [*cuts, len(value)], strict=True)]
        inner = "".join(f"<r>{_run(r, bool(r.strip()) and r != r.strip())}</r>" for r in runs)
        return f'<c r="{ref}"{s} t="inlineStr"><is>{inner}</is></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, dt.date):
        value = to_excel(value)
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return f'<c r="{ref}"{s} t="n"><v></v></c>'
    return f'<c r="{ref}"{s} t="n"><v>{format(value, ".16g")}</v></c>'


def _sheet(wb: Workbook, name: str, columns: int, rows: int, widths: list[int]) -> None:
    """A sheet's frame: column widths, the two header rows (title, field name) frozen, an
    autofilter on the field-name row; its rows are written as XML into its ``<sheetData>``."""
    ws = wb.create_sheet(name)
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(MIN_WIDTH, min(MAX_WIDTH, w + 2))
    ws.freeze_panes = f"A{HEADER_ROWS + 1}"
    ws.auto_filter.ref = f"A{HEADER_ROWS}:{get_column_letter(max(columns, 1))}{HEADER_ROWS + rows}"


@dataclass(frozen=True)
class SheetPart:
    """Some rows of a sheet, written before their place and styles are known: ``rows`` are each a
    row's XML as a ``str.format`` template of its number ``{n}`` and its cells' styles ``{s0}``,
    ``{s1}``… (the attribute of ``fmts[0]``, ``fmts[1]``…, in the order first used); ``widths`` the
    widest value of each column. A sheet is its parts filled in order (:func:`_fill`): the rows of
    one plan are a part, cached with that plan's (:mod:`.datacache`)."""

    fmts: list[str]
    widths: list[int]
    rows: list[str]


#: The number format whose cells carry no style (openpyxl's style 0) outside a wrapped sheet: an
#: empty cell of it is not written at all.
PLAIN = "General"


def sheet_part(rows: list[list[tuple[Any, str]]], wrap: bool = False) -> SheetPart:
    """The part of rows of (value, number format) (:func:`cell_value`)."""
    letters = [get_column_letter(i) for i in range(1, max((len(r) for r in rows), default=0) + 1)]
    fmts: dict[str, str] = {}
    widths = [0] * len(letters)
    out: list[str] = []
    for row in rows:
        parts = []
        for i, (value, fmt) in enumerate(row):
            mark = fmts.get(fmt)
            if mark is None:
                mark = fmts[fmt] = "" if fmt == PLAIN and not wrap else f"\x02{len(fmts)}\x03"
            if value is not None:
                widths[i] = max(widths[i], _width(value))
            parts.append(_cell_xml(f"{letters[i]}\x01", value, mark))
        xml = f'<row r="\x01">{"".join(parts)}</row>'.replace("{", "{{").replace("}", "}}")
        out.append(xml.replace("\x01", "{n}").replace("\x02", "{s").replace("\x03", "}"))
    return SheetPart(list(fmts), widths, out)


def table_part(table: Table, rows: list[Row]) -> SheetPart:
    """The part of a table's sheet holding ``rows``."""
    return sheet_part([[cell_value(row.get(f.name), f) for f in table.fields] for row in rows])


def _style_ids(styles: _Styles, fmts: list[str], wrap: bool) -> dict[str, int]:
    """Each number format's style in a sheet whose parts use ``fmts`` (in the order first used) —
    as when the cells were written one by one (before the workbook's styles are)."""
    ids: dict[str, int] = {}
    for fmt in fmts:
        ids[fmt] = styles.id(fmt, False, wrap)
        if (ids[fmt] == 0) != (fmt == PLAIN and not wrap):
            raise ValueError(f"number format {fmt!r}: style {ids[fmt]} is not as sheet_part assumed")
    return ids


@dataclass
class SheetRows:
    """A table sheet's rows as parts given one at a time, never all held (:mod:`.datacache` reads
    them back from disk): what the sheet's frame needs of them all ahead — each number format in
    the order first used, the widest value of each column, the number of rows — and the parts, in
    order (each part's ``widths`` may be left empty: only ``fmts`` and ``rows`` are read)."""

    fmts: list[str]
    widths: list[int]
    count: int
    parts: Iterator[SheetPart]

    @classmethod
    def of(cls, parts: list[SheetPart]) -> SheetRows:
        """The rows of parts held in a list (given in order, each let go from it once given)."""
        fmts = list(dict.fromkeys(f for p in parts for f in p.fmts))
        widths: list[int] = []
        for p in parts:
            widths = [max(a, b) for a, b in itertools.zip_longest(widths, p.widths, fillvalue=0)]
        return cls(fmts, widths, sum(len(p.rows) for p in parts), _drain(parts))


def _drain(parts: list[SheetPart]) -> Iterator[SheetPart]:
    parts.reverse()
    while parts:
        yield parts.pop()


def _filled(parts: Iterator[SheetPart], ids: dict[str, int]) -> Iterator[str]:
    """The data rows of a sheet from its parts in order, a part at a time (each let go once
    written), numbered from ``HEADER_ROWS + 1``."""
    n = HEADER_ROWS
    for part in parts:
        marks = {f"s{k}": f' s="{ids[fmt]}"' if ids[fmt] else "" for k, fmt in enumerate(part.fmts)}
        out = []
        for row in part.rows:
            n += 1
            out.append(row.format(n=n, **marks))
        del part
        yield "".join(out)


def _fill(styles: _Styles, parts: list[SheetPart], wrap: bool) -> str:
    """The data rows of a sheet from its parts, as one text."""
    rows = SheetRows.of(list(parts))
    return "".join(_filled(rows.parts, _style_ids(styles, rows.fmts, wrap)))


def _head_xml(styles: _Styles, head: list[tuple[str, str]]) -> str:
    letters = [get_column_letter(i) for i in range(1, len(head) + 1)]
    header = f' s="{styles.id(TEXT, True, False)}"'
    out = []
    for n, labels in enumerate(([t for t, _ in head], [f for _, f in head]), start=1):
        cells = "".join(_cell_xml(f"{letters[i]}{n}", ooxml_plain(v), header) for i, v in enumerate(labels))
        out.append(f'<row r="{n}">{cells}</row>')
    return "".join(out)


def _rows_xml(styles: _Styles, head: list[tuple[str, str]], rows: list[list[tuple[Any, str]]], wrap: bool) -> str:
    """The ``<row>`` elements of a sheet, written directly rather than through a cell object each:
    byte for byte what openpyxl's write-only worksheet writes (a test compares them), ten times
    faster — the workbook was the longest part of the render stage (30 s of 726,000 cells at
    2,000 plans)."""
    return _head_xml(styles, head) + _fill(styles, [sheet_part(rows, wrap)], wrap)


def ooxml_plain(value: str) -> str:
    """A header label as a cell holds it (openpyxl cut it to the cell limit)."""
    return value[:MAX_CELL]


def _width(value: Any) -> int:
    if isinstance(value, dt.date):
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0)


def _table_sheet(wb: Workbook, styles: _Styles, table: Table, parts: list[SheetPart] | SheetRows) -> Iterator[str]:
    """A table's sheet: its frame and styles made now, its rows' XML given piece by piece later,
    as the workbook is written."""
    rows = parts if isinstance(parts, SheetRows) else SheetRows.of(parts)
    titles = [max(len(f.title), len(f.name)) for f in table.fields]
    widths = [max(w, p) for w, p in zip(titles, rows.widths + [0] * (len(titles) - len(rows.widths)), strict=True)]
    _sheet(wb, table.name, len(table.fields), rows.count, widths)
    head = _head_xml(styles, [(f.title, f.name) for f in table.fields])
    ids = _style_ids(styles, rows.fmts, False)
    return itertools.chain([head], _filled(rows.parts, ids))


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


def _dictionary_sheet(wb: Workbook, styles: _Styles, model: Model) -> str:
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
    _sheet(wb, DICTIONARY_SHEET, len(head), len(rows), [14, 18, 30, 10, 9, 60, 60])
    return _rows_xml(styles, head, rows, wrap=True)


def _stamp(modified: str | None) -> dt.datetime:
    """The document's creation and change time: the data's last change (``datapackage.json``'s
    ``modified``), never the clock."""
    if modified:
        try:
            return dt.datetime.fromisoformat(modified.replace("Z", "+00:00")).replace(tzinfo=None, microsecond=0)
        except ValueError:
            pass
    return EPOCH


def _rezip(data: bytes, when: dt.datetime, sheets: Mapping[str, Iterable[str]], target: BinaryIO) -> None:
    """The same zip, written to ``target``, with every entry at one time (``when``, not before
    1980) and fixed attributes; ``sheets`` (entry → its rows' XML, in pieces) fills each sheet's
    empty ``<sheetData>``, a piece at a time (no sheet is held whole)."""
    stamp = max(when, EPOCH).timetuple()[:6]
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            content = src.read(info.filename)
            if info.filename not in sheets:
                dst.writestr(entry, content)
                continue
            empty = b"<sheetData></sheetData>"
            if content.count(empty) != 1:
                raise ValueError(f"{info.filename}: no empty sheetData")
            before, after = content.split(empty)
            with dst.open(entry, "w") as out:
                out.write(before + b"<sheetData>")
                for piece in sheets[info.filename]:
                    out.write(piece.encode("ascii"))
                out.write(b"</sheetData>" + after)


def workbook_bytes(
    model: Model,
    rows: dict[str, list[Row]],
    modified: str | None,
    parts: Callable[[Table], list[SheetPart] | SheetRows] | None = None,
) -> bytes:
    """``cong-khai.xlsx``'s bytes (:func:`write_workbook`)."""
    buf = io.BytesIO()
    write_workbook(buf, model, rows, modified, parts)
    return buf.getvalue()


def write_workbook(
    target: BinaryIO,
    model: Model,
    rows: dict[str, list[Row]],
    modified: str | None,
    parts: Callable[[Table], list[SheetPart] | SheetRows] | None = None,
) -> None:
    """``cong-khai.xlsx``, written to ``target``: a sheet per table (named by the table) and the data dictionary sheet;
    ``parts``, if given, gives each table's rows as parts (cached by plan, read back one at a time:
    :mod:`.datacache`), else each table is one part.

    openpyxl writes the workbook's frame (sheets without rows, styles, properties); the rows are
    written by :func:`_rows_xml` into each sheet, in the bytes openpyxl would have written. Chosen
    over XlsxWriter (another dependency, other bytes, ``_xHHHH_`` handled differently) and over
    caching each sheet (every plan changes the largest sheets anyway): measured on 2,000 plans,
    the workbook went from 30 s to a few seconds (``BENCHMARKS.md``, "Issue 14: render stage").
    """
    wb = Workbook(write_only=True)
    styles = _Styles(wb)
    make = parts or (lambda t: [table_part(t, rows.get(t.name, []))])
    sheets = [_table_sheet(wb, styles, table, make(table)) for table in model.tables.values()]
    sheets.append(iter([_dictionary_sheet(wb, styles, model)]))
    wb.remove(styles.ws)
    when = _stamp(modified)
    props = wb.properties
    props.creator = props.lastModifiedBy = PUBLISHER
    props.title = model.package["title"]
    props.created = props.modified = when
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()  # not openpyxl's save_workbook: it stamps the clock's time
    entries = {f"xl/worksheets/sheet{i}.xml": xml for i, xml in enumerate(sheets, start=1)}
    _rezip(buf.getvalue(), when, entries, target)
