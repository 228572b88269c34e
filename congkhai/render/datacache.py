"""The data files made from each plan's own part, cached by the hash of that plan's rows (issue 14:
a build after a one-plan change re-makes only that plan's part of the data files).

A plan's part (:class:`PlanData`) is everything the data files hold of it alone: its JSON download
and task CSV (``ke-hoach/…``), and its lines of each table's CSV, canonical and for spreadsheets
(``<table>.csv``, ``excel/<table>.csv``). A CSV line depends on its row alone, so a table's CSV
is its header and the lines of its runs of rows, one run a plan, joined in the table's order —
the bytes :func:`.datasets.csv_bytes` writes. So is each table's sheet of the workbook: a plan's
rows are written as a template of their place and styles (:class:`.workbook.SheetPart`), filled in
order. The part is made from the plan's rows alone (so it
cannot hold what its key leaves out) and kept in the render cache
(:mod:`congkhai.load.rendercache`) by the hash of those rows and the tables' fields.

Made whole, every build, because they depend on every row: the reference tables' CSVs (small),
``cong-khai.json`` and ``datapackage.json`` (one JSON document; the descriptor hashes the CSVs), the
workbook's frame and zip (compressed whole) and the SQLite file (its pages and full-text index are
laid out by SQLite over all rows).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import shutil
import tempfile
import weakref
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from ..load.rendercache import DataCache
from ..model import sitemap
from ..model.schemas import Model, Table
from ..read.records import Row
from .datasets import EXPORT_SEPARATOR, bundle_text, csv_bytes, csv_header, csv_rows, export_rows
from .memo import key_of
from .sqlitedb import FTS, fts_values
from .workbook import SheetPart, SheetRows, excel_files, table_part

#: How many plans' parts :func:`plan_data` made in this process (the tests check the cache by it).
RENDERS = [0]


@dataclass
class PlanData:
    """One plan's part of the data files, as UTF-8 bytes: ``bundle`` and ``tasks`` (its downloads;
    None for rows whose plan is not published), its lines of each table's CSV, its rows of each
    sheet, and what the SQLite file's full-text indexes hold of its rows (:func:`.sqlitedb.fts_values`:
    folding every plan's text and tasks was a fifth of a rebuild's data side)."""

    bundle: bytes | None
    tasks: bytes | None
    csv: dict[str, bytes]
    excel: dict[str, bytes]
    sheets: dict[str, SheetPart]
    fts: dict[str, list[str]]  # table → each row's indexed values, one after another
    export: dict[str, bytes]  # table → its rows as the JSON export writes them (:func:`.datasets.export_rows`)


def model_key(model: Model) -> str:
    """What of the model the parts are written by: each table's fields and their types, in order."""
    shape = [[t.name, [[f.name, f.type] for f in t.fields]] for t in model.tables.values()]
    shape.append(["plan", [[f.name, f.type] for f in model.plan_table.fields]])
    return json.dumps(shape, ensure_ascii=False)


def plan_data(
    model: Model,
    shape: str,
    plan: Row | None,
    children: Mapping[str, list[Row]],
    cache: DataCache | None,
    body: str = "",
) -> PlanData:
    """A plan's part, made from its rows (``plan``, its row of ``plans``; ``children``, its rows of
    each table with a ``plan_id``, in the table's order) and its text ``body``, or read from
    ``cache`` by their hash."""
    key = ""
    if cache is not None:
        # the rows' pickle (:func:`.memo.key_of`), not their canonical JSON: a third of the time
        # of reading every plan's part back (BENCHMARKS.md, session 14)
        key = key_of("plan-data", (shape, plan, children, body))
        if (found := from_entry(cache.raw(key))) is not None:
            return found
    RENDERS[0] += 1
    tables = {**children, **({"plans": [plan]} if plan is not None else {})}
    made = PlanData(
        bundle_text(model, plan, children).encode() if plan is not None else None,
        csv_bytes(model.tables["tasks"], list(children.get("tasks", [])), spreadsheet=True)
        if plan is not None
        else None,
        {name: csv_rows(model.tables[name], list(rows)).encode() for name, rows in tables.items()},
        {name: csv_rows(model.tables[name], list(rows), spreadsheet=True).encode() for name, rows in tables.items()},
        {name: table_part(model.tables[name], list(rows)) for name, rows in tables.items()},
        {
            name: [v for r in rows for v in fts_values(name, r, body if name == "plans" else "")]
            for name, rows in tables.items()
            if name in FTS
        },
        {name: export_rows(model.tables[name], list(rows)) for name, rows in tables.items()},
    )
    if cache is not None:
        cache.put(key, to_entry(made))
    return made


def to_entry(part: PlanData) -> bytes:
    """The part as the cache keeps it: one line of JSON saying what each text is (its byte
    length, where it goes), then the texts' UTF-8 one after another — read back by slicing, not
    by decoding JSON strings (their escapes were most of reading 10,000 parts back)."""
    texts: list[bytes] = []

    def add(value: str | bytes) -> int:
        data = value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")
        texts.append(data)
        return len(data)

    head = {
        "bundle": None if part.bundle is None else add(part.bundle),
        "tasks": None if part.tasks is None else add(part.tasks),
        "csv": {name: add(v) for name, v in part.csv.items()},
        "excel": {name: add(v) for name, v in part.excel.items()},
        "sheets": {
            name: [[add(f) for f in v.fmts], v.widths, [add(r) for r in v.rows]] for name, v in part.sheets.items()
        },
        "fts": {name: [add(v) for v in values] for name, values in part.fts.items()},
        "export": {name: add(v) for name, v in part.export.items()},
    }
    return json.dumps(head, separators=(",", ":")).encode() + b"\n" + b"".join(texts)


def from_entry(entry: bytes | None) -> PlanData | None:
    """The part :func:`to_entry` wrote, or None when ``entry`` is not one (another program's, or
    damaged: the lengths must cover its texts exactly)."""
    if entry is None:
        return None
    head_bytes, sep, data = entry.partition(b"\n")
    if not sep:
        return None
    at = 0

    def take(size: object) -> bytes:
        nonlocal at
        if not isinstance(size, int) or isinstance(size, bool) or size < 0 or at + size > len(data):
            raise ValueError(size)
        at += size
        return data[at - size : at]

    def text(size: object) -> str:
        return take(size).decode("utf-8", "surrogatepass")

    def names(value: object) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise ValueError(value)
        return value

    def sizes(value: object) -> list[Any]:
        if not isinstance(value, list):
            raise ValueError(value)
        return value

    try:
        head = names(json.loads(head_bytes))
        if set(head) != {"bundle", "tasks", "csv", "excel", "sheets", "fts", "export"}:
            return None
        bundle = None if head["bundle"] is None else take(head["bundle"])
        tasks = None if head["tasks"] is None else take(head["tasks"])
        csv = {name: take(n) for name, n in names(head["csv"]).items()}
        excel = {name: take(n) for name, n in names(head["excel"]).items()}
        sheets = {}
        for name, value in names(head["sheets"]).items():
            fmts, widths, rows = sizes(value)
            if not all(isinstance(w, int) for w in sizes(widths)):
                return None
            sheets[name] = SheetPart([text(n) for n in sizes(fmts)], widths, [text(n) for n in sizes(rows)])
        fts = {name: [text(n) for n in sizes(values)] for name, values in names(head["fts"]).items()}
        export = {name: take(n) for name, n in names(head["export"]).items()}
    except (ValueError, UnicodeDecodeError):
        return None
    if at != len(data):
        return None
    return PlanData(bundle, tasks, csv, excel, sheets, fts, export)


class DataParts:
    """Every plan's part of the data files, each written to disk as it is made or read (one part
    held at a time), and the files assembled from them there.

    A table whose runs of rows follow the order the parts are made in (the plans', as the corpus
    orders every table) is spooled: each part's lines are appended, as it comes, to one temporary
    file per table and kind (the header first) — the finished CSV, handed to the sink by its path
    (:func:`.sink.give_path`) — and its rows of the table's sheet to a file of sheet templates, read
    back a part at a time as the workbook is written (:class:`.workbook.SheetRows`). Any other
    table (its plans' rows apart, or a plan id twice in ``plans``) is written whole from its rows.
    """

    def __init__(
        self,
        model: Model,
        rows: Mapping[str, list[Row]],
        cache: DataCache | None,
        give: Callable[[str, bytes], None] | None = None,
        spool: Path | None = None,
        bodies: Mapping[str, str] | None = None,
    ) -> None:
        """Every plan's part, made or read from ``cache``, spooled into ``spool`` (a folder of its
        own; by default a temporary one, removed with this object); with ``give``, each plan's
        downloads are handed to it as soon as its part is there, and not kept (:meth:`bundles` is
        then empty). ``bodies``: each plan's text by id, for the full-text index (:meth:`fts_rows`)."""
        self.model, self.rows = model, rows
        bodies = bodies or {}
        if spool is None:
            spool = Path(tempfile.mkdtemp(prefix="congkhai-parts-"))
            weakref.finalize(self, shutil.rmtree, spool, True)
        self.spool = spool
        by_plan: dict[str, dict[str, list[Row]]] = {}
        #: table → its plans in the order of their runs of rows, or None when a plan's rows are
        #: not all together (the table is then written whole)
        self.runs: dict[str, list[str] | None] = {}
        for table in model.tables.values():
            if "plan_id" not in table.field_names:
                continue
            order: list[str] = []
            for r in rows[table.name]:
                pid = str(r["plan_id"])
                if not order or order[-1] != pid:
                    order.append(pid)
                by_plan.setdefault(pid, {}).setdefault(table.name, []).append(r)
            self.runs[table.name] = order if len(order) == len(set(order)) else None
        plans = {str(p["id"]): p for p in rows["plans"]}
        #: a plan id twice in ``plans`` (refused by validation): its part would not be one row
        self.whole = len(plans) != len(rows["plans"])
        self.plan_order = list(plans)
        made = [*plans, *(p for p in by_plan if p not in plans)]
        #: the tables spooled a part at a time (their runs in the order the parts are made)
        self.streamed: set[str] = set()
        if not self.whole:
            self.streamed.add("plans")
            for name, runs in self.runs.items():
                if runs is None:
                    continue
                present = set(runs)  # once per table: built for each plan, this was quadratic
                if runs == [p for p in made if p in present]:
                    self.streamed.add(name)
        #: each plan's downloads, kept only when there is no ``give``
        self.kept: dict[str, tuple[bytes, bytes]] = {}
        #: a spooled table's sheet: its formats in the order first used, its widest values, its rows
        self._sheets: dict[str, tuple[dict[str, None], list[int], list[int]]] = {}
        if self.whole:
            return
        shape = model_key(model)
        spooled = [t for t in model.tables.values() if t.name in self.streamed]
        with contextlib.ExitStack() as stack:
            csv: dict[str, BinaryIO] = {t.name: stack.enter_context(self._path(t, False).open("wb")) for t in spooled}
            excel: dict[str, BinaryIO] = {t.name: stack.enter_context(self._path(t, True).open("wb")) for t in spooled}
            sheets: dict[str, BinaryIO] = {t.name: stack.enter_context(self._sheet_path(t).open("wb")) for t in spooled}
            fts: dict[str, BinaryIO] = {
                t.name: stack.enter_context(self._fts_path(t.name).open("wb")) for t in spooled if t.name in FTS
            }
            export: dict[str, BinaryIO] = {
                t.name: stack.enter_context(self._export_path(t).open("wb")) for t in spooled
            }
            for t in spooled:
                csv[t.name].write(csv_header(t).encode())
                excel[t.name].write(csv_header(t, spreadsheet=True).encode())
                self._sheets[t.name] = ({}, [], [0])
            files = (csv, excel, sheets, fts, export)
            for pid in made:
                # a method of its own: nothing of the part outlives it (no loop variable left bound)
                body = bodies.get(pid, "") if pid in plans else ""
                part = plan_data(model, shape, plans.get(pid), by_plan.get(pid, {}), cache, body)
                self._spool(pid, part, files, give)
                del part

    def _spool(
        self,
        pid: str,
        part: PlanData,
        files: tuple[
            dict[str, BinaryIO], dict[str, BinaryIO], dict[str, BinaryIO], dict[str, BinaryIO], dict[str, BinaryIO]
        ],
        give: Callable[[str, bytes], None] | None,
    ) -> None:
        """One plan's part appended to the spooled tables' files; its downloads given or kept."""
        csv, excel, sheets, fts, export = files
        for name, data in part.export.items():
            if name in export and data:
                if export[name].tell():
                    export[name].write(EXPORT_SEPARATOR)
                export[name].write(data)
        for name, values in part.fts.items():
            if name in fts:
                for value in values:
                    data = value.encode("utf-8", "surrogatepass")
                    fts[name].write(len(data).to_bytes(4, "little") + data)
        for name, lines in part.csv.items():
            if name in csv:
                csv[name].write(lines)
        for name, lines in part.excel.items():
            if name in excel:
                excel[name].write(lines)
        for name, sheet in part.sheets.items():
            if name in sheets:
                self._spool_sheet(name, sheet, sheets[name])
        if part.bundle is not None and part.tasks is not None:
            if give is not None:
                give(sitemap.plan_json(pid), part.bundle)
                give(sitemap.plan_tasks_csv(pid), part.tasks)
            else:
                self.kept[pid] = (part.bundle, part.tasks)

    def _spool_sheet(self, name: str, sheet: SheetPart, out: BinaryIO) -> None:
        fmts, widths, count = self._sheets[name]
        fmts.update(dict.fromkeys(sheet.fmts))
        widths[:] = [max(a, b) for a, b in itertools.zip_longest(widths, sheet.widths, fillvalue=0)]
        count[0] += len(sheet.rows)
        out.write(json.dumps([sheet.fmts, sheet.rows], ensure_ascii=False).encode("utf-8", "surrogatepass") + b"\n")

    def _path(self, table: Table, spreadsheet: bool) -> Path:
        return self.spool / f"{'excel' if spreadsheet else 'csv'}-{table.name}.csv"

    def _sheet_path(self, table: Table) -> Path:
        return self.spool / f"sheet-{table.name}.jsonl"

    def _export_path(self, table: Table) -> Path:
        return self.spool / f"export-{table.name}.json"

    def export_file(self, table: Table) -> Path | None:
        """``table``'s rows as the JSON export writes them (:func:`.datasets.write_export`), from the
        plans' parts; None when the table was not spooled (its rows are then written there)."""
        return self._export_path(table) if table.name in self.streamed else None

    def _fts_path(self, name: str) -> Path:
        return self.spool / f"fts-{name}.bin"

    def fts_rows(self, name: str) -> Iterator[list[str]] | None:
        """What the full-text index of table ``name`` holds of each of its rows, in the table's
        order, read back from the spool a row at a time (once); None when the table was not spooled
        (then :func:`.sqlitedb.fts_values` makes them)."""
        if name not in self.streamed or name not in FTS:
            return None
        return _read_fts(self._fts_path(name), len(FTS[name]))

    def table_file(self, table: Table, *, spreadsheet: bool = False) -> Path:
        """``<table>.csv`` (or its copy for spreadsheets) on disk: a file of its own, which the
        caller may move away (each is asked for once)."""
        path = self._path(table, spreadsheet)
        if table.name not in self.streamed:
            path.write_bytes(csv_bytes(table, list(self.rows[table.name]), spreadsheet=spreadsheet))
        return path

    def table_csv(self, table: Table, *, spreadsheet: bool = False) -> bytes:
        """``<table>.csv`` (or its copy for spreadsheets): header and the plans' lines, in order."""
        return self.table_file(table, spreadsheet=spreadsheet).read_bytes()

    def sheet_parts(self, table: Table) -> list[SheetPart] | SheetRows:
        """The rows of ``table``'s sheet of the workbook as parts, in order, read back from disk a
        part at a time (once)."""
        if table.name not in self.streamed:
            return [table_part(table, list(self.rows[table.name]))]
        fmts, widths, count = self._sheets[table.name]
        return SheetRows(list(fmts), list(widths), count[0], _read_sheet(self._sheet_path(table)))

    def bundles(self) -> Iterator[tuple[str, bytes]]:
        """Each published plan's downloads (``ke-hoach/<id>.json``, its task CSV) not given as its
        part was made, let go once given."""
        if self.whole:
            from .datasets import plan_bundles

            yield from plan_bundles(self.model, dict(self.rows)).items()
            return
        while self.kept:
            pid = next(iter(self.kept))
            bundle, tasks = self.kept.pop(pid)
            yield sitemap.plan_json(pid), bundle
            yield sitemap.plan_tasks_csv(pid), tasks

    def excel_paths(self) -> dict[str, Path]:
        """``excel/<table>.csv`` for every table, on disk (as :meth:`table_file`)."""
        return {
            f"{sitemap.EXCEL_DIR}/{t.name}.csv": self.table_file(t, spreadsheet=True)
            for t in self.model.tables.values()
        }

    def excel_files(self) -> dict[str, bytes]:
        """``excel/<table>.csv`` for every table (:func:`.workbook.excel_files`)."""
        if self.whole:
            return excel_files(self.model, dict(self.rows))
        return {name: path.read_bytes() for name, path in self.excel_paths().items()}


def _read_fts(path: Path, columns: int) -> Iterator[list[str]]:
    """The rows of values :meth:`DataParts._spool` wrote to ``path`` (each a length, then UTF-8),
    read a value at a time (the plans' texts folded are hundreds of megabytes at 10,000 plans)."""
    with path.open("rb") as f:
        row: list[str] = []
        while size := f.read(4):
            data = f.read(int.from_bytes(size, "little"))
            row.append(data.decode("utf-8", "surrogatepass"))
            if len(row) == columns:
                yield row
                row = []
    if row:
        raise ValueError(f"{path}: a row cut short")


def _read_sheet(path: Path) -> Iterator[SheetPart]:
    """The sheet parts spooled to ``path``, one at a time (only formats and rows: widths are
    known ahead)."""
    with path.open("rb") as f:
        for line in f:
            fmts, rows = json.loads(line.decode("utf-8", "surrogatepass"))
            yield SheetPart(fmts, [], rows)
