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
from .datasets import bundle_text, csv_bytes, csv_header, csv_rows
from .memo import key_of
from .workbook import SheetPart, SheetRows, excel_files, table_part

#: How many plans' parts :func:`plan_data` made in this process (the tests check the cache by it).
RENDERS = [0]


@dataclass
class PlanData:
    """One plan's part of the data files, as UTF-8 bytes: ``bundle`` and ``tasks`` (its downloads;
    None for rows whose plan is not published), and its lines of each table's CSV."""

    bundle: bytes | None
    tasks: bytes | None
    csv: dict[str, bytes]
    excel: dict[str, bytes]
    sheets: dict[str, SheetPart]


def model_key(model: Model) -> str:
    """What of the model the parts are written by: each table's fields and their types, in order."""
    shape = [[t.name, [[f.name, f.type] for f in t.fields]] for t in model.tables.values()]
    shape.append(["plan", [[f.name, f.type] for f in model.plan_table.fields]])
    return json.dumps(shape, ensure_ascii=False)


def plan_data(
    model: Model, shape: str, plan: Row | None, children: Mapping[str, list[Row]], cache: DataCache | None
) -> PlanData:
    """A plan's part, made from its rows (``plan``, its row of ``plans``; ``children``, its rows of
    each table with a ``plan_id``, in the table's order) or read from ``cache`` by their hash."""
    key = ""
    if cache is not None:
        # the rows' pickle (:func:`.memo.key_of`), not their canonical JSON: a third of the time
        # of reading every plan's part back (BENCHMARKS.md, session 14)
        key = key_of("plan-data", (shape, plan, children))
        if (found := _from_entry(cache.get(key))) is not None:
            return found
    RENDERS[0] += 1
    tables = {**children, **({"plans": [plan]} if plan is not None else {})}
    texts = {
        "bundle": bundle_text(model, plan, children) if plan is not None else None,
        "tasks": csv_bytes(model.tables["tasks"], list(children.get("tasks", [])), spreadsheet=True).decode()
        if plan is not None
        else None,
        "csv": {name: csv_rows(model.tables[name], list(rows)) for name, rows in tables.items()},
        "excel": {name: csv_rows(model.tables[name], list(rows), spreadsheet=True) for name, rows in tables.items()},
        "sheets": {name: _sheet_entry(table_part(model.tables[name], list(rows))) for name, rows in tables.items()},
    }
    if cache is not None:
        cache.put(key, texts)
    made = _from_entry(texts)
    assert made is not None
    return made


def _from_entry(value: object) -> PlanData | None:
    """The part a cache entry holds, or None when it is not one (written by another program)."""
    if not isinstance(value, dict) or set(value) != {"bundle", "tasks", "csv", "excel", "sheets"}:
        return None
    bundle, tasks, csv, excel, sheets = (value[k] for k in ("bundle", "tasks", "csv", "excel", "sheets"))
    if not all(v is None or isinstance(v, str) for v in (bundle, tasks)):
        return None
    if not all(isinstance(d, dict) and all(isinstance(v, str) for v in d.values()) for d in (csv, excel)):
        return None
    if not isinstance(sheets, dict) or not all(_is_sheet_entry(v) for v in sheets.values()):
        return None
    return PlanData(
        None if bundle is None else bundle.encode(),
        None if tasks is None else tasks.encode(),
        {k: v.encode() for k, v in csv.items()},
        {k: v.encode() for k, v in excel.items()},
        {k: SheetPart(*v) for k, v in sheets.items()},
    )


def _sheet_entry(part: SheetPart) -> list[Any]:
    return [part.fmts, part.widths, part.rows]


def _is_sheet_entry(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 3
        and all(isinstance(v, list) for v in value)
        and all(isinstance(f, str) for f in value[0])
        and all(isinstance(w, int) for w in value[1])
        and all(isinstance(r, str) for r in value[2])
    )


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
    ) -> None:
        """Every plan's part, made or read from ``cache``, spooled into ``spool`` (a folder of its
        own; by default a temporary one, removed with this object); with ``give``, each plan's
        downloads are handed to it as soon as its part is there, and not kept (:meth:`bundles` is
        then empty)."""
        self.model, self.rows = model, rows
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
            for t in spooled:
                csv[t.name].write(csv_header(t).encode())
                excel[t.name].write(csv_header(t, spreadsheet=True).encode())
                self._sheets[t.name] = ({}, [], [0])
            files = (csv, excel, sheets)
            for pid in made:
                # a method of its own: nothing of the part outlives it (no loop variable left bound)
                self._spool(pid, plan_data(model, shape, plans.get(pid), by_plan.get(pid, {}), cache), files, give)

    def _spool(
        self,
        pid: str,
        part: PlanData,
        files: tuple[dict[str, BinaryIO], dict[str, BinaryIO], dict[str, BinaryIO]],
        give: Callable[[str, bytes], None] | None,
    ) -> None:
        """One plan's part appended to the spooled tables' files; its downloads given or kept."""
        csv, excel, sheets = files
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


def _read_sheet(path: Path) -> Iterator[SheetPart]:
    """The sheet parts spooled to ``path``, one at a time (only formats and rows: widths are
    known ahead)."""
    with path.open("rb") as f:
        for line in f:
            fmts, rows = json.loads(line.decode("utf-8", "surrogatepass"))
            yield SheetPart(fmts, [], rows)
