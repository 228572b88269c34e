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

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..load.rendercache import DataCache
from ..model import sitemap
from ..model.schemas import Model, Table
from ..read.records import Row
from .datasets import bundle_text, csv_bytes, csv_header, csv_rows
from .workbook import SheetPart, excel_files, table_part

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
        canonical = json.dumps([shape, plan, children], sort_keys=True, ensure_ascii=False, default=str)
        key = hashlib.sha256(b"plan-data\0" + canonical.encode("utf-8", "surrogatepass")).hexdigest()
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
    """Every plan's part of the data files, and the files assembled from them."""

    def __init__(
        self,
        model: Model,
        rows: Mapping[str, list[Row]],
        cache: DataCache | None,
        give: Callable[[str, bytes], None] | None = None,
    ) -> None:
        """Every plan's part, made or read from ``cache``; with ``give``, each plan's downloads
        are handed to it as soon as its part is there, and not kept (:meth:`bundles` is then empty)."""
        self.model, self.rows = model, rows
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
        shape = model_key(model)
        self.parts: dict[str, PlanData] = {}
        for pid in [*plans, *(p for p in by_plan if p not in plans)]:
            part = self.parts[pid] = plan_data(
                model, shape, plans.get(pid), by_plan.get(pid, {}), None if self.whole else cache
            )
            if give is not None and not self.whole and part.bundle is not None and part.tasks is not None:
                give(sitemap.plan_json(pid), part.bundle)
                give(sitemap.plan_tasks_csv(pid), part.tasks)
                part.bundle = part.tasks = None
        self.plan_order = list(plans)

    def _order(self, table: Table) -> list[str] | None:
        """The plans whose parts make up ``table``, in its order, or None when it is written whole."""
        return self.plan_order if table.name == "plans" and not self.whole else self.runs.get(table.name)

    def table_csv(self, table: Table, *, spreadsheet: bool = False) -> bytes:
        """``<table>.csv`` (or its copy for spreadsheets): header and the plans' lines, in order.
        Each is asked for once: the plans' lines are let go once given."""
        order = self._order(table)
        if order is None:
            return csv_bytes(table, self.rows[table.name], spreadsheet=spreadsheet)
        head = csv_header(table, spreadsheet=spreadsheet).encode()
        return head + b"".join(
            (self.parts[pid].excel if spreadsheet else self.parts[pid].csv).pop(table.name, b"") for pid in order
        )

    def sheet_parts(self, table: Table) -> list[SheetPart]:
        """The rows of ``table``'s sheet of the workbook as parts, in order (once, as above)."""
        order = self._order(table)
        if order is None:
            return [table_part(table, self.rows[table.name])]
        return [part for pid in order if (part := self.parts[pid].sheets.pop(table.name, None)) is not None]

    def bundles(self) -> Iterator[tuple[str, bytes]]:
        """Each published plan's downloads (``ke-hoach/<id>.json``, its task CSV), let go once given."""
        if self.whole:
            from .datasets import plan_bundles

            yield from plan_bundles(self.model, dict(self.rows)).items()
            return
        for pid in self.plan_order:
            part = self.parts[pid]
            if part.bundle is not None and part.tasks is not None:
                yield sitemap.plan_json(pid), part.bundle
                yield sitemap.plan_tasks_csv(pid), part.tasks
                part.bundle = part.tasks = None

    def excel_files(self) -> dict[str, bytes]:
        """``excel/<table>.csv`` for every table (:func:`.workbook.excel_files`)."""
        if self.whole:
            return excel_files(self.model, dict(self.rows))
        return {
            f"{sitemap.EXCEL_DIR}/{t.name}.csv": self.table_csv(t, spreadsheet=True) for t in self.model.tables.values()
        }
