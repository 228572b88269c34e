"""Write the open datasets: one CSV per table, ``datapackage.json`` and a JSON export.

Output is deterministic: rows sorted by key (child rows keep document order within their plan),
columns in schema order, LF-free RFC 4180 CRLF rows, and the "last changed" time taken from the
sources' git history rather than the clock, so two builds of the same sources are identical.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import unicodedata
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, BinaryIO

from ..model import licence, sitemap
from ..model.schemas import Model, Table
from ..read.records import Row
from .sink import Stored, sha256_of, size_of


def _cell(value: Any, ftype: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value)


def _typed(value: Any, ftype: str) -> Any:
    if value is None or value == "":
        return [] if ftype == "list" else None
    if ftype == "integer" and not isinstance(value, bool):
        return int(value)
    if ftype == "boolean" and isinstance(value, str):
        return value == "true"
    if ftype == "list" and isinstance(value, str):
        return value.split(";")
    return value


# --- Formula-safe copies for spreadsheets ------------------------------------------------------
#
# A spreadsheet opening a CSV runs a cell that starts with = + - @ as a formula (CSV injection:
# ``=cmd|' /C calc'!A0``, ``=HYPERLINK(…)`` leaking data). The canonical CSVs are data for
# frictionless and pandas and keep every value exactly; the copies meant to be opened by a person
# (``excel/<table>.csv``, ``ke-hoach/<plan>-nhiem-vu.csv``) pass every cell through ``safe_cell``.

SPREADSHEET_PREFIX = "'"
# What a spreadsheet may read as the start of a formula: the OWASP list (= + - @ TAB CR), LF, their
# full-width forms (＝ ＋ － ＠, typed by Vietnamese and CJK input methods) and the minus sign U+2212.
# Any other character whose compatibility form (NFKC) starts with one of them — small ﹦ ﹢ ﹣ ﹫,
# superscript ⁺ ⁼ — counts too.
FORMULA_TRIGGERS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20\u2212")
_ASCII_TRIGGERS = frozenset("=+-@")
_INVISIBLE = frozenset(("Cc", "Cf", "Zs", "Zl", "Zp"))  # stripped before the first character is judged
# A value of these Table Schema types is left alone when it is a well-formed literal of its type:
# a negative number must stay a number (``-5``), and a date or boolean can never start a formula.
# Anything else in such a column (not possible after validation) is judged like text.
_LITERALS = {
    "integer": re.compile(r"-?[0-9]+"),
    "number": re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?"),
    "year": re.compile(r"-?[0-9]{4}"),
    "boolean": re.compile(r"true|false"),
    "date": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
    "datetime": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+(Z|[-+][0-9]{2}:[0-9]{2})?"),
    "time": re.compile(r"[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?"),
    "yearmonth": re.compile(r"[0-9]{4}-[0-9]{2}"),
}


def starts_formula(cell: str) -> bool:
    """Whether a spreadsheet could read ``cell`` as a formula: its first character, once leading
    whitespace and invisible characters (space, NBSP, ideographic space, zero-width…) are skipped,
    is a trigger; a leading TAB, CR or LF is a trigger itself (Excel and LibreOffice trim them)."""
    for ch in cell:
        if ch in FORMULA_TRIGGERS:
            return True
        if ch.isspace() or unicodedata.category(ch) in _INVISIBLE:
            continue
        return unicodedata.normalize("NFKC", ch)[:1] in _ASCII_TRIGGERS
    return False


def safe_cell(cell: str, ftype: str = "string") -> str:
    """``cell`` as a copy for spreadsheets writes it: prefixed with ``'`` when it could start a
    formula (OWASP's advice; the apostrophe shows that the text is kept as written), else as is.

    Only text is changed: a well-formed number, date or boolean of a column of that type is never
    prefixed, so ``-5`` stays a number a spreadsheet can add up. The result is ``cell`` or
    ``"'" + cell`` (drop the apostrophe to get the value back), and applying it twice changes
    nothing."""
    literal = _LITERALS.get(ftype)
    if literal is not None and literal.fullmatch(cell):
        return cell
    return SPREADSHEET_PREFIX + cell if starts_formula(cell) else cell


# What the package says about it (``datapackage.json``, the open-data page, the data dictionary).
FORMULA_NOTE: dict[str, Any] = {
    "vi": (
        "Các tệp CSV của gói dữ liệu giữ nguyên giá trị như bản in: một ô kiểu văn bản (string, list) có "
        "thể bắt đầu bằng =, +, -, @ (kể cả sau khoảng trắng, dấu tab, xuống dòng, hoặc dạng toàn khổ "
        "＝ ＋ － ＠); hãy nhập các cột đó dưới dạng văn bản, không phải công thức (pandas: "
        "dtype=str; LibreOffice, Excel: kiểu cột Văn bản/Text). Bản cho Excel (excel/<bảng>.csv) và tệp "
        "nhiệm vụ của từng kế hoạch (ke-hoach/<mã>-nhiem-vu.csv) thêm dấu ' ở đầu các ô đó để bảng tính "
        "không chạy chúng như công thức; bỏ dấu ' đầu tiên là được giá trị gốc. Cột số, ngày, đúng/sai "
        "không bị thay đổi."
    ),
    "en": (
        "The package's CSV files keep every value exactly as printed: a text cell (string, list) may "
        "start with =, +, -, @ (also after spaces, a tab or a line break, or as the full-width "
        "＝ ＋ － ＠); import those columns as text, never as formulas (pandas: dtype=str; LibreOffice, "
        "Excel: column type Text). The Excel copies (excel/<table>.csv) and each plan's task file "
        "(ke-hoach/<id>-nhiem-vu.csv) prefix such cells with an apostrophe (') so that a spreadsheet "
        "does not run them as formulas; drop the first apostrophe to get the value back. Number, date "
        "and boolean columns are never changed."
    ),
    "prefix": SPREADSHEET_PREFIX,
    "neutralised-copies": ["excel/<table>.csv", "ke-hoach/<plan>-nhiem-vu.csv"],
}


#: The copies opened by people in a spreadsheet (``excel/<table>.csv``, each plan's task file) are
#: written for Excel with Vietnamese regional settings: Windows' vi-VN locale has the decimal comma
#: and ``;`` as its list separator, which is what Excel splits a double-clicked CSV on; the
#: byte-order mark makes Excel read UTF-8. (A ``sep=;`` line would fix the separator for every
#: locale but makes Excel ignore the byte-order mark, so it is not written.) The canonical CSVs
#: stay RFC 4180: comma, no byte-order mark.
SPREADSHEET_DELIMITER = ";"
BOM = "\ufeff"


def csv_bytes(table: Table, rows: list[Row], *, spreadsheet: bool = False) -> bytes:
    """One table as RFC 4180 CSV, header first. ``spreadsheet`` writes the copy meant to be opened
    in a spreadsheet: UTF-8 with a byte-order mark, ``;`` between cells (``SPREADSHEET_DELIMITER``)
    and every data cell through ``safe_cell`` (the header is the schema's names)."""
    return (csv_header(table, spreadsheet=spreadsheet) + csv_rows(table, rows, spreadsheet=spreadsheet)).encode("utf-8")


def csv_header(table: Table, *, spreadsheet: bool = False) -> str:
    """The start of :func:`csv_bytes`: the byte-order mark of a spreadsheet copy, the header line."""
    buf = io.StringIO()
    if spreadsheet:
        buf.write(BOM)
    _writer(buf, spreadsheet).writerow(table.field_names)
    return buf.getvalue()


def csv_rows(table: Table, rows: list[Row], *, spreadsheet: bool = False) -> str:
    """The lines :func:`csv_bytes` writes for ``rows``, without the header: a row's line depends on
    that row alone, so a table's CSV is its header and the lines of its runs of rows, joined."""
    buf = io.StringIO()
    writer = _writer(buf, spreadsheet)
    types = [f.type for f in table.fields]
    for row in rows:
        cells = [_cell(row.get(n), t) for n, t in zip(table.field_names, types, strict=True)]
        if spreadsheet:
            cells = [safe_cell(c, t) for c, t in zip(cells, types, strict=True)]
        writer.writerow(cells)
    return buf.getvalue()


def _writer(buf: io.StringIO, spreadsheet: bool) -> Any:
    return csv.writer(buf, lineterminator="\r\n", delimiter=SPREADSHEET_DELIMITER if spreadsheet else ",")


def version(modified: str | None) -> str | None:
    """The data's version: the day of the newest commit of the sources (``modified``), ``YYYY.MM.DD``.

    Deterministic (git's date, not the clock) and increasing; two publications of the same day
    with different data share it (their ``modified`` time still differs)."""
    return modified[:10].replace("-", ".") if modified and len(modified) >= 10 else None


def package_descriptor(
    model: Model, files: Mapping[str, bytes | Stored], modified: str | None, site_url: str | None = None
) -> dict[str, Any]:
    """``datapackage.json`` (Data Package v2). ``site_url``: the site's public address; without it
    (a preview) nothing is written that would need it (``homepage``) and the licence path is relative."""
    meta = model.package
    terms = licence.terms(meta)
    descriptor: dict[str, Any] = {
        "$schema": licence.DATAPACKAGE_PROFILE,
        "name": meta["name"],
        "title": meta["title"],
        "description": meta["description"].strip(),
        "x-title-en": meta["x-title-en"],
        "x-description-en": meta["x-description-en"].strip(),
        **({"homepage": site_url.rstrip("/") + "/"} if site_url else {}),
        **({"version": v} if (v := version(modified)) else {}),
        "licenses": [licence.licence_entry(terms, site_url)],
        "x-terms-of-use": licence.terms_record(terms),
        "sources": [
            {
                "title": "Văn bản gốc của các cơ quan ban hành; tệp và địa chỉ nguồn của từng kế hoạch ở cột source_file, source_url của bảng plans",
                "path": "plans.csv",
            },
            {"title": "Kho mã nguồn Công khai: docs/plans/ (kế hoạch), data/ (bảng tham chiếu), schemas/ (lược đồ)"},
        ],
        "keywords": ["dân vận chính quyền", "dân chủ ở cơ sở", "kế hoạch", "công khai", "Việt Nam"],
        "languages": ["vi"],
        "x-formula-like-text": FORMULA_NOTE,
    }
    if modified:
        descriptor["modified"] = modified
    descriptor["resources"] = []
    for table in model.tables.values():
        data = files[f"{table.name}.csv"]
        descriptor["resources"].append(
            {
                "name": table.name,
                "path": f"{table.name}.csv",
                "title": table.title,
                "x-title-en": table.title_en,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": size_of(data),
                "hash": "sha256:" + sha256_of(data),
                "schema": model.published_schema(table),
            }
        )
    return descriptor


def render(
    model: Model,
    rows: Mapping[str, list[Row]],
    modified: str | None,
    site_url: str | None = None,
) -> dict[str, bytes]:
    """Every dataset file by name, from the published rows (``Corpus.published``).

    Pure: writing is left to the caller's atomic publish."""
    made = render_with(model, rows, modified, site_url, lambda t: csv_bytes(t, rows[t.name]))
    return {k: v for k, v in made.items() if isinstance(v, bytes)}


def render_with(
    model: Model,
    rows: Mapping[str, list[Row]],
    modified: str | None,
    site_url: str | None,
    tables: Callable[[Table], bytes | Stored],
    folder: Path | None = None,
    spooled: Callable[[Table], Path | None] | None = None,
) -> dict[str, bytes | Stored]:
    """:func:`render` with each table's CSV made by ``tables`` instead of :func:`csv_bytes`: the same
    bytes, or what is known of them once written to disk from cached parts (:mod:`.datacache`).
    With ``folder``, the JSON export is written there (``folder / EXPORT``) as it is made, and only
    its size and checksum kept: whole, it was the data side's largest transient (every row typed
    into one structure, then one string: 240 MB at 2,000 plans); ``spooled`` gives tables' rows
    made before (:func:`write_export`)."""
    files: dict[str, bytes | Stored] = {f"{t.name}.csv": tables(t) for t in model.tables.values()}
    if folder is None:
        buffer = io.BytesIO()
        write_export(buffer, model, rows, modified)
        files[EXPORT] = buffer.getvalue()
    else:
        with (folder / EXPORT).open("wb") as out:
            write_export(out, model, rows, modified, spooled)
        files[EXPORT] = Stored.of_file(folder / EXPORT)
    descriptor = package_descriptor(model, files, modified, site_url)
    files["datapackage.json"] = (json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n").encode()
    return files


#: every table in one JSON file
EXPORT = "cong-khai.json"


def write_export(
    out: BinaryIO,
    model: Model,
    rows: Mapping[str, list[Row]],
    modified: str | None,
    spooled: Callable[[Table], Path | None] | None = None,
) -> None:
    """The JSON export written row by row: the bytes of ``json.dumps`` (indent 1) of
    ``{"name", "modified", "tables": {table: [row, …]}}`` without ever holding it whole. Each row is
    dumped on its own and indented to its depth (JSON escapes newlines inside strings, so every
    line of a dump is structure and can be indented). ``spooled(table)``: a file holding that
    table's rows as :func:`export_rows` writes them, made before (each plan's part, cached:
    :mod:`.datacache`), copied instead of dumping the rows again."""

    def dump(value: Any, depth: int) -> bytes:
        text = json.dumps(value, ensure_ascii=False, indent=1)
        return text.replace("\n", "\n" + " " * depth).encode()

    out.write(b'{\n "name": ' + dump(model.package["name"], 1) + b',\n "modified": ' + dump(modified, 1))
    out.write(b',\n "tables": {')
    for i, t in enumerate(model.tables.values()):
        out.write(b"\n  " if i == 0 else b",\n  ")
        out.write(dump(t.name, 2) + b": [")
        found = rows[t.name]
        made = spooled(t) if spooled is not None and found else None
        if made is not None:
            out.write(b"\n   ")
            with made.open("rb") as src:
                shutil.copyfileobj(src, out)
        else:
            for j, r in enumerate(found):
                out.write(b"\n   " if j == 0 else EXPORT_SEPARATOR)
                out.write(export_rows(t, [r]))
        out.write(b"\n  ]" if found else b"]")
    out.write(b"\n }" if model.tables else b"}")
    out.write(b"\n}\n")


#: between two rows of a table in the JSON export
EXPORT_SEPARATOR = b",\n   "


def export_rows(table: Table, rows: list[Row]) -> bytes:
    """``rows`` of ``table`` as the JSON export writes them, one after another (a row's text
    depends on the row alone, so each plan's rows are made once and cached: :mod:`.datacache`)."""
    return EXPORT_SEPARATOR.join(
        _row_json([(f.name, _typed(r.get(f.name), f.type)) for f in table.fields]).encode() for r in rows
    )


def _row_json(items: list[tuple[str, Any]]) -> str:
    """One row of the export, as ``json.dumps(dict(items), ensure_ascii=False, indent=1)`` indented
    three deep gives it, formatted here: with an indent, ``json`` encodes in Python, value by value
    (most of the export's time); a row's values are scalars or lists of them, each encoded by the
    C encoder. Anything else goes through ``json`` itself."""
    if not items:
        return "{}"
    parts = []
    for key, value in items:
        if isinstance(value, list):
            if not value:
                shown = "[]"
            elif all(isinstance(v, str | int | float | bool) or v is None for v in value):
                shown = "[\n     " + ",\n     ".join(map(_scalar, value)) + "\n    ]"
            else:
                shown = json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n    ")
        elif isinstance(value, dict):
            shown = json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n    ")
        else:
            shown = _scalar(value)
        parts.append(f"    {_string(str(key))}: {shown}")
    return "{\n" + ",\n".join(parts) + "\n   }"


_string = json.encoder.encode_basestring  # type: ignore[attr-defined]  # the C one where there is one


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return _string(value)  # type: ignore[no-any-return]
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    return json.dumps(value)


def write(files: dict[str, bytes], out_dir: Path) -> None:
    for name, data in sorted(files.items()):
        path = out_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def plan_bundles(model: Model, rows: dict[str, list[Row]]) -> dict[str, bytes]:
    """Per-plan downloads: all of one plan's rows as JSON, and its tasks as CSV (``ke-hoach/…``).

    The task CSV is linked from the plan page for people to open in a spreadsheet, so it is the
    formula-safe copy (``safe_cell``); the canonical ``tasks.csv`` has the exact values."""
    by_plan: dict[str, dict[str, list[Row]]] = {}
    for table in model.tables.values():
        if "plan_id" not in table.field_names:
            continue
        for r in rows[table.name]:
            by_plan.setdefault(str(r["plan_id"]), {}).setdefault(table.name, []).append(r)
    out: dict[str, bytes] = {}
    tasks = model.tables["tasks"]
    for plan in rows["plans"]:
        pid = str(plan["id"])
        children = by_plan.get(pid, {})
        out[sitemap.plan_json(pid)] = bundle_text(model, plan, children).encode()
        out[sitemap.plan_tasks_csv(pid)] = csv_bytes(tasks, children.get("tasks", []), spreadsheet=True)
    return out


def bundle_text(model: Model, plan: Row, children: Mapping[str, list[Row]]) -> str:
    """One plan's rows as its JSON download: the plan, then its rows of each table that has them."""
    bundle: dict[str, Any] = {"plan": {f.name: _typed(plan.get(f.name), f.type) for f in model.plan_table.fields}}
    for table in model.tables.values():
        if table.name in children:
            bundle[table.name] = [
                {f.name: _typed(r.get(f.name), f.type) for f in table.fields} for r in children[table.name]
            ]
    return json.dumps(bundle, ensure_ascii=False, indent=1) + "\n"
