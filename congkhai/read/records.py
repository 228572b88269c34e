"""Turn parsed plan files and reference CSVs into table rows, remembering where each row came from.

Rows keep the values as written (strings, numbers, lists) so that the checks see exactly what a
clerk typed; derived columns are filled in here so that validation and the datasets agree.
"""

from __future__ import annotations

import csv
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model import csvfile
from ..model.findings import Finding, shape_params
from ..model.schemas import Model, Table
from .frontmatter import Path_, Source, dotted

Row = dict[str, Any]
_NUMBER = re.compile(r"^\s*(\d+)?\s*[/-]\s*(\S.*)$")
_YEAR = re.compile(r"^(\d{4})")


@dataclass(frozen=True)
class Origin:
    """Where a row came from: a plan file and the path of the row's mapping, or a CSV line."""

    file: str
    source: Source | None = field(default=None, compare=False, hash=False)
    path: Path_ = ()
    line: int = 0
    columns: tuple[str, ...] = ()
    leaf: bool = False  # the path points at the value itself (a list item), not at a mapping

    def locate(self, fieldname: str | None = None) -> tuple[str, int, int, str]:
        if self.source is not None:
            path = self.path + ((fieldname,) if fieldname and not self.leaf else ())
            line, col = self.source.mark(path)
            return self.file, line, col, dotted(path)
        col = self.columns.index(fieldname) + 1 if fieldname in self.columns else 1
        return self.file, self.line, col, fieldname or ""

    def finding(self, fieldname: str | None, code: str, **params: Any) -> Finding:
        file, line, col, path = self.locate(fieldname)
        return Finding(file, line, col, path, code, params)


@dataclass
class Tables:
    rows: dict[str, list[Row]]
    origins: dict[str, list[Origin]]
    sources: list[Source]

    def add(self, table: str, row: Row, origin: Origin) -> None:
        self.rows.setdefault(table, []).append(row)
        self.origins.setdefault(table, []).append(origin)

    def iter(self, table: str) -> list[tuple[Row, Origin]]:
        return list(zip(self.rows.get(table, []), self.origins.get(table, []), strict=True))


def split_number_symbol(value: Any) -> tuple[int | None, str | None]:
    """``"72-KHPH/KDV-UBND"`` → ``(72, "KHPH/KDV-UBND")``; a blank ``"/KH-UBND"`` → ``(None, "KH-UBND")``."""
    if not isinstance(value, str):
        return None, None
    m = _NUMBER.match(value)
    if not m:
        return None, value.strip() or None
    return (int(m.group(1)) if m.group(1) else None), m.group(2).strip()


def issue_year(value: Any) -> int | None:
    m = _YEAR.match(value) if isinstance(value, str) else None
    return int(m.group(1)) if m else None


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def plan_rows(model: Model, src: Source, tables: Tables) -> None:
    """Add the rows of one parsed plan to ``tables``. Shape problems are left to the checks."""
    data = src.data
    if data is None:
        return
    plan_id = data.get("id") if isinstance(data.get("id"), str) else None
    plan: Row = {f.name: data.get(f.name) for f in model.plan_table.fields if not f.derived}
    number, symbol = split_number_symbol(data.get("number_symbol"))
    issuers = [i for i in _as_list(data.get("issuers")) if isinstance(i, dict)]
    tasks = [t for t in _as_list(data.get("tasks")) if isinstance(t, dict)]
    citations = [c for c in _as_list(data.get("citations")) if isinstance(c, dict)]
    plan.update(
        number=number,
        symbol=symbol,
        issuer_units=[i.get("unit") for i in issuers if isinstance(i.get("unit"), str)],
        joint=len(issuers) > 1,
        issue_year=issue_year(data.get("issue_date")),
        task_count=len(tasks),
        citation_count=len(citations),
        path=src.path,
    )
    tables.add("plans", plan, Origin(src.path, src, ()))
    for table in model.child_tables():
        key = table.frontmatter_key
        assert key is not None
        seq = 0
        for i, item in enumerate(_as_list(data.get(key))):
            if table.scalar:
                if not isinstance(item, str):
                    continue  # the shape check reports it
                row: Row = {table.scalar: item}
            elif isinstance(item, dict):
                row = {f.name: item.get(f.name) for f in table.fields if not f.derived}
            else:
                continue
            seq += 1
            derived: Row = {"plan_id": plan_id, "seq": seq}
            row.update({k: v for k, v in derived.items() if k in table.field_names})
            origin = Origin(src.path, src, (key, i), leaf=table.scalar is not None)
            tables.add(table.name, {n: row.get(n) for n in table.field_names}, origin)
            if table.name == "tasks":
                _task_units(plan_id, row, tables, Origin(src.path, src, (key, i)))


def _task_units(plan_id: str | None, task: Row, tables: Tables, origin: Origin) -> None:
    for role, key in (("lead", "lead_units"), ("partner", "partner_units")):
        for seq, unit in enumerate(_as_list(task.get(key)), start=1):
            unit_origin = Origin(origin.file, origin.source, origin.path + (key, seq - 1), leaf=True)
            row = {"plan_id": plan_id, "task_id": task.get("id"), "role": role, "seq": seq, "unit": unit}
            tables.add("task_units", row, unit_origin)


def _header_hint(header: list[str], stored: list[str], missing: list[str]) -> dict[str, str]:
    """What to change in a reference file's header row: each unknown column with the schema's
    nearest name, the required columns missing, then the full list."""
    free = [c for c in stored if c not in header]
    renames = []
    for col in (h for h in header if h not in stored):
        near = difflib.get_close_matches(col, free, n=1, cutoff=0.5)
        renames.append((col, near[0] if near else ""))
    vi = [f"đổi tên cột '{a}' thành '{b}'" if b else f"xóa cột '{a}'" for a, b in renames]
    en = [f"rename column '{a}' to '{b}'" if b else f"remove column '{a}'" for a, b in renames]
    still = [m for m in missing if m not in {b for _, b in renames}]
    if still:
        vi.append("thêm cột bắt buộc " + ", ".join(still))
        en.append("add the required columns " + ", ".join(still))
    if len(set(header)) != len(header):
        vi.append("mỗi tên cột chỉ ghi một lần")
        en.append("write each column name once")
    return {
        "shape_hint_vi": "Sửa dòng đầu của tệp: " + "; ".join(vi) + f". Các cột theo lược đồ: {','.join(stored)}.",
        "shape_hint_en": "Fix the file's first line: " + "; ".join(en) + f". The schema's columns: {','.join(stored)}.",
    }


def read_reference(path: Path, rel: str, table: Table, tables: Tables) -> list[Finding]:
    """Read a reference CSV; empty cells become ``None``. Returns header problems as findings."""
    findings: list[Finding] = []
    try:
        lines = csvfile.records(path)
        first = next(lines, None)
        header = first.values if first is not None else []
        stored = [f.name for f in table.fields if not f.derived]
        required = [f.name for f in table.fields if not f.derived and f.required]
        unknown = [h for h in header if h not in stored]
        missing = [r for r in required if r not in header]
        if unknown or missing or len(set(header)) != len(header):
            # optional columns may be left out (added later to the schema); nothing else may differ
            params = shape_params("columns", "columns")
            params["expected_vi"] = params["expected_en"] = ",".join(stored)
            params["found_vi"] = params["found_en"] = ",".join(header)
            params.update(_header_hint(header, stored, missing))
            findings.append(Finding(rel, 1, 1, "", "wrong-shape", {"key": "header", **params}))
            return findings
        for record in lines:
            values = record.values
            if not values:
                continue
            row: Row = {
                name: (values[i] if i < len(values) and values[i] != "" else None) for i, name in enumerate(header)
            }
            for f in table.fields:
                row.setdefault(f.name, None)
            tables.add(table.name, row, Origin(rel, None, (), record.line, tuple(header)))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        findings.append(Finding(rel, 0, 0, "", "unreadable-file", {"reason": str(exc)}))
    return findings
