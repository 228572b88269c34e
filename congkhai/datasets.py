"""Write the open datasets: one CSV per table, ``datapackage.json`` and a JSON export.

Output is deterministic: rows sorted by key (child rows keep document order within their plan),
columns in schema order, LF-free RFC 4180 CRLF rows, and the "last changed" time taken from the
sources' git history rather than the clock, so two builds of the same sources are identical.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

from .records import Row, Tables
from .schemas import Model, Table

SOURCE_PATHS = ("docs/plans", "data", "schemas")


def last_modified(root: Path) -> str | None:
    """When the sources last changed: the newest commit touching them, else SOURCE_DATE_EPOCH."""
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%cI", "--", *SOURCE_PATHS],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        out = ""
    if out:
        return out
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        import datetime as dt

        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).isoformat(timespec="seconds")
    return None


def output_rows(model: Model, tables: Tables, mentions: dict[str, Counter[str]]) -> dict[str, list[Row]]:
    """The published rows of every table, derived columns filled, in a stable order."""
    plan_order = {
        pid: i
        for i, pid in enumerate(sorted(r["id"] for r in tables.rows.get("plans", []) if isinstance(r.get("id"), str)))
    }
    citing: Counter[str] = Counter()
    for row in tables.rows.get("citations", []):
        if isinstance(row.get("directive"), str):
            citing[row["directive"]] += 1
    out: dict[str, list[Row]] = {}
    for table in model.tables.values():
        rows = [dict(r) for r in tables.rows.get(table.name, [])]
        if table.name == "citations":
            for r in rows:
                r["mention_count"] = mentions.get(r.get("plan_id") or "", Counter()).get(r.get("directive") or "", 0)
        if table.name == "directives":
            for r in rows:
                r["citing_plans"] = citing.get(r.get("id") or "", 0)
        if table.name == "plans":
            rows.sort(key=lambda r: str(r.get("id")))
        elif "plan_id" in table.field_names:
            indexed = list(enumerate(rows))
            indexed.sort(key=lambda p: (plan_order.get(p[1].get("plan_id"), len(plan_order)), p[0]))
            rows = [r for _, r in indexed]
        else:
            pk = table.primary_key or tuple(table.field_names[:1])
            rows.sort(key=lambda r: tuple(str(r.get(k) or "") for k in pk))
        out[table.name] = rows
    return out


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


def csv_bytes(table: Table, rows: list[Row]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(table.field_names)
    types = [f.type for f in table.fields]
    for row in rows:
        writer.writerow([_cell(row.get(n), t) for n, t in zip(table.field_names, types, strict=True)])
    return buf.getvalue().encode("utf-8")


def package_descriptor(model: Model, files: dict[str, bytes], modified: str | None) -> dict[str, Any]:
    meta = model.package
    terms = meta["x-terms-of-use"]
    descriptor: dict[str, Any] = {
        "name": meta["name"],
        "title": meta["title"],
        "description": meta["description"].strip(),
        "x-title-en": meta["x-title-en"],
        "x-description-en": meta["x-description-en"].strip(),
        "homepage": meta.get("homepage", "/"),
        "licenses": meta["licenses"],
        "x-terms-of-use": {"vi": terms["vi"].strip(), "en": terms["en"].strip(), "source": terms["citation"]},
        "sources": [
            {
                "title": "Văn bản gốc của các cơ quan ban hành; tệp và địa chỉ nguồn của từng kế hoạch ở cột source_file, source_url của bảng plans",
                "path": "plans.csv",
            },
            {"title": "Kho mã nguồn Công khai: docs/plans/ (kế hoạch), data/ (bảng tham chiếu), schemas/ (lược đồ)"},
        ],
        "keywords": ["dân vận chính quyền", "dân chủ ở cơ sở", "kế hoạch", "công khai", "Việt Nam"],
        "languages": ["vi"],
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
                "bytes": len(data),
                "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
                "schema": model.published_schema(table),
            }
        )
    return descriptor


def render(model: Model, tables: Tables, mentions: dict[str, Counter[str]], modified: str | None) -> dict[str, bytes]:
    """Every dataset file by name. Pure: writing is left to the caller's atomic publish."""
    rows = output_rows(model, tables, mentions)
    files = {f"{t.name}.csv": csv_bytes(t, rows[t.name]) for t in model.tables.values()}
    export = {
        "name": model.package["name"],
        "modified": modified,
        "tables": {
            t.name: [{f.name: _typed(r.get(f.name), f.type) for f in t.fields} for r in rows[t.name]]
            for t in model.tables.values()
        },
    }
    files["cong-khai.json"] = (json.dumps(export, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode()
    descriptor = package_descriptor(model, files, modified)
    files["datapackage.json"] = (json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n").encode()
    return files


def write(files: dict[str, bytes], out_dir: Path) -> None:
    for name, data in sorted(files.items()):
        path = out_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def plan_bundles(model: Model, rows: dict[str, list[Row]]) -> dict[str, bytes]:
    """Per-plan downloads: all of one plan's rows as JSON, and its tasks as CSV (``ke-hoach/…``)."""
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
        bundle: dict[str, Any] = {"plan": {f.name: _typed(plan.get(f.name), f.type) for f in model.plan_table.fields}}
        for table in model.tables.values():
            if table.name in children:
                bundle[table.name] = [
                    {f.name: _typed(r.get(f.name), f.type) for f in table.fields} for r in children[table.name]
                ]
        out[f"ke-hoach/{pid}.json"] = (json.dumps(bundle, ensure_ascii=False, indent=1) + "\n").encode()
        out[f"ke-hoach/{pid}-nhiem-vu.csv"] = csv_bytes(tasks, children.get("tasks", []))
    return out
