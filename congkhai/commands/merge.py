"""Merge province shards' datasets into one national dataset.

A national deployment runs one repository and one CI job per province; each job publishes the
folder ``build_site.py datasets --out DIR`` writes (one CSV per table and ``datapackage.json``).
This module unions those folders into one package with the same tables, columns and row order
as a single build would write, so that national consumers see one dataset, not 34.

Why the checks here, when every shard was already validated: each shard only knows itself.
Two shards can each be valid and still disagree — the same plan published by two provinces, or
a shared reference row (a cited document, a unit, a province) edited in one repository and not
in the other. Those are reported as findings naming both shards; nothing is written then, and
the previous national dataset stays in place (staging folder, then a swap).

Each shard's rows are also checked again as data, not trusted as the output of this tool: text
hygiene (control characters, line breaks in one-line fields, mojibake…), every Table Schema type
and constraint, and http(s)-only URLs, each finding naming the shard file, row and field. A shard
is a folder anyone can hand over (a download, another team's CI): its hash only says it is
unchanged since it was written, not that it was written by a validating build.

Output rows go through :func:`congkhai.render.datasets.render`, the writer of the single-repository
build, so ordering, CSV format, the JSON export and ``datapackage.json`` cannot drift apart.
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..checks.hygiene import check_reference_text
from ..checks.rules import check_urls, dangling_references
from ..checks.table import check_table
from ..load.corpus import published_rows
from ..model import csvfile
from ..model.errors import USAGE, CongkhaiError
from ..model.findings import Finding, Severity
from ..model.rowdiff import FieldChange, field_changes, key_of
from ..model.schemas import PLAN_ROWS, Model, Table, load_model
from ..read.records import Origin, Row, Tables
from ..render import datasets


class MergeError(CongkhaiError):
    """A usage problem (an output folder that must not be replaced): exit code 2."""

    def __init__(self, message_vi: str, message_en: str) -> None:
        super().__init__(message_vi, message_en, USAGE)


@dataclass
class Shard:
    """One shard's dataset folder as read: rows per table, and where each row came from."""

    label: str
    path: Path
    modified: str | None = None
    rows: dict[str, list[Row]] = field(default_factory=dict)
    lines: dict[str, list[int]] = field(default_factory=dict)
    files_read: int = 0


@dataclass
class MergeResult:
    findings: list[Finding]
    out: Path
    counts: dict[str, int] = field(default_factory=dict)
    files_read: int = 0

    @property
    def ok(self) -> bool:
        return not any(f.severity is Severity.ERROR for f in self.findings)


def plan_scoped(table: Table) -> bool:
    """Rows that belong to one plan, hence to exactly one shard (the province issuing the plan)."""
    return table.name == PLAN_ROWS or "plan_id" in table.field_names


def _where(shard: Shard, name: str) -> str:
    return f"{shard.label.rstrip('/')}/{name}"


def read_shard(model: Model, path: Path, label: str) -> tuple[Shard, list[Finding]]:
    """Read a shard folder, checking it was built with this schema and was not changed since.

    The schema check matters because shards are built by separate CI jobs that may run
    different versions of this tool; merging tables with different columns or vocabularies would
    publish a package whose schema describes neither.
    """
    shard = Shard(label=label, path=path)
    descriptor_path = path / "datapackage.json"
    try:
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
        resources = {r["name"]: r for r in descriptor["resources"]}
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        reason = f"{type(exc).__name__}: {exc}" if not isinstance(exc, FileNotFoundError) else "no datapackage.json"
        return shard, [Finding(_where(shard, "datapackage.json"), 0, 0, "", "shard-not-a-dataset", {"reason": reason})]
    shard.files_read = 1
    modified = descriptor.get("modified")
    shard.modified = modified if isinstance(modified, str) else None
    findings: list[Finding] = []
    missing = [t for t in model.tables if t not in resources]
    extra = sorted(set(resources) - set(model.tables))
    if missing or extra:
        detail = ", ".join([f"-{t}" for t in missing] + [f"+{t}" for t in extra])
        findings.append(
            Finding(_where(shard, "datapackage.json"), 0, 0, "", "shard-schema-mismatch", {"table": detail})
        )
    for table in model.tables.values():
        res = resources.get(table.name)
        if res is None:
            continue
        name = f"{table.name}.csv"
        if res.get("schema") != model.published_schema(table):
            findings.append(Finding(_where(shard, name), 0, 0, "", "shard-schema-mismatch", {"table": table.name}))
            continue
        try:
            data = (path / name).read_bytes()
        except OSError as exc:
            findings.append(Finding(_where(shard, name), 0, 0, "", "shard-not-a-dataset", {"reason": str(exc)}))
            continue
        shard.files_read += 1
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        if res.get("hash") != digest or res.get("bytes") != len(data):
            findings.append(Finding(_where(shard, name), 0, 0, "", "shard-file-changed", {}))
            continue
        try:
            records = csvfile.records(data)
            first = next(records, None)
            header = first.values if first is not None else []
            if header != table.field_names:  # the hash matched, so datapackage.json itself disagrees
                findings.append(Finding(_where(shard, name), 1, 1, "", "shard-schema-mismatch", {"table": table.name}))
                continue
            rows: list[Row] = []
            lines: list[int] = []
            for record in records:
                rows.append({n: (v if v != "" else None) for n, v in zip(header, record.values, strict=False)})
                lines.append(record.line)
        except (UnicodeDecodeError, csv.Error) as exc:
            findings.append(Finding(_where(shard, name), 0, 0, "", "shard-not-a-dataset", {"reason": str(exc)}))
            continue
        shard.rows[table.name] = rows
        shard.lines[table.name] = lines
    return shard, findings


def _differences(table: Table, a: Row, b: Row) -> list[FieldChange]:
    """The fields two rows disagree on, with both values; derived columns are recomputed, not compared."""
    return field_changes(a, b, [f.name for f in table.fields if not f.derived])


def _excerpt(old: str, new: str, width: int = 24) -> str:
    """Both values from a little before where they first differ, so a long title shows its change."""
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    start = max(0, start - 8)

    def cut(text: str) -> str:
        piece = text[start : start + width]
        return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")

    return f"'{cut(old)}' ≠ '{cut(new)}'"


def combine(model: Model, shards: Sequence[Shard]) -> tuple[Tables, list[Finding]]:
    """Union the shards' rows. Shared reference rows merge when equal; everything else must be unique.

    Shards are visited in label order so that findings name the same "first" shard whatever
    order they were given in; the rows written do not depend on the order at all.
    """
    shards = sorted(shards, key=lambda s: s.label)
    tables = Tables({}, {}, [])
    findings: list[Finding] = []
    # plan ids found in two shards: their child rows are not reported again (plans is the first table)
    doubled: set[str] = set()
    for table in model.tables.values():
        pk = list(table.primary_key) or table.field_names[:1]
        seen: dict[tuple[str, ...], tuple[Row, Shard, int]] = {}
        for shard in shards:
            for row, line in zip(shard.rows.get(table.name, []), shard.lines.get(table.name, []), strict=True):
                key = key_of(row, pk)
                where = _where(shard, f"{table.name}.csv")
                if key not in seen:
                    seen[key] = (row, shard, line)
                    tables.add(table.name, row, Origin(where, line=line, columns=tuple(table.field_names)))
                    continue
                first, first_shard, first_line = seen[key]
                shown = "/".join(key)
                other = f"{_where(first_shard, f'{table.name}.csv')}:{first_line}"
                if table.name == PLAN_ROWS and first_shard is not shard:
                    doubled.add(str(row.get("id")))
                    findings.append(
                        Finding(where, line, 1, "id", "plan-in-two-shards", {"value": shown, "other": other})
                    )
                elif plan_scoped(table) and str(row.get("plan_id")) in doubled:
                    continue
                elif plan_scoped(table) or first_shard is shard:
                    findings.append(
                        Finding(
                            where,
                            line,
                            1,
                            ",".join(pk),
                            "duplicate-id",
                            {
                                "value": shown,
                                "other": other,
                                "what": f"dòng của bảng {table.name} / row of {table.name}",
                                "duplicate_hint_vi": f"Mỗi dòng của bảng {table.name} cần một khóa riêng: sửa mã "
                                "trong kho của phần này (tệp kế hoạch hoặc data/) rồi dựng lại phần đó.",
                                "duplicate_hint_en": f"Each row of {table.name} needs its own key: correct the id in "
                                "this shard's repository (the plan file or data/) and rebuild the shard.",
                            },
                        )
                    )
                else:
                    diff = _differences(table, first, row)
                    if diff:
                        text = "; ".join(f"{c.field} {_excerpt(c.old, c.new)}" for c in diff)
                        params = {"table": table.name, "value": shown, "other": other, "differences": text}
                        column = table.field_names.index(diff[0].field) + 1
                        field_names = ",".join(c.field for c in diff)
                        findings.append(Finding(where, line, column, field_names, "reference-conflict", params))
    return tables, findings


def check_rows(model: Model, shards: Sequence[Shard]) -> list[Finding]:
    """Text hygiene, Table Schema types and constraints, and URLs of every row of every shard.

    Derived columns are checked too: in a shard they are data like any other (the validator skips
    them only because, in a plan, their errors are reported where their inputs were written).
    Keys, references and vocabularies are left to :func:`combine`, :func:`check_foreign_keys` and
    frictionless, which see all shards at once."""
    tables = Tables({}, {}, [])
    for shard in sorted(shards, key=lambda s: s.label):
        for table in model.tables.values():
            where = _where(shard, f"{table.name}.csv")
            columns = tuple(table.field_names)
            for row, line in zip(shard.rows.get(table.name, []), shard.lines.get(table.name, []), strict=True):
                tables.add(table.name, row, Origin(where, line=line, columns=columns))
    findings = check_reference_text(tables, list(model.tables), model)
    for table in model.tables.values():
        as_data = replace(table, fields=tuple(replace(f, derived=False) for f in table.fields))
        findings += check_table(model, as_data, tables)
    findings += check_urls(model, tables)
    return findings


def _errors(findings: Sequence[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)


def check_foreign_keys(model: Model, tables: Tables) -> list[Finding]:
    """Every foreign key of the merged package resolves (frictionless checks again after writing).

    Our own check comes first because it names the shard file and line a bad row came from.
    """
    return [
        d.origin.finding(
            d.fields[0],
            "unknown-reference",
            value="/".join(str(v) for v in d.key),
            table=d.target,
            key=",".join(d.fields),
            reference_hint_vi=(
                f"Không phần nào có dòng này trong bảng {d.target}. Thêm dòng vào bảng tham "
                "chiếu chung (kho tham chiếu quốc gia), cập nhật vào mọi phần rồi dựng lại."
            ),
            reference_hint_en=(
                f"No shard has this row in {d.target}. Add it to the shared reference tables "
                "(the national reference repository), update every shard and rebuild."
            ),
        )
        for d in dangling_references(model, tables)
    ]


def _mentions(rows: list[Row]) -> dict[str, Counter[str]]:
    """Mention counts as the shards published them, so ``datasets.render`` writes them back unchanged."""
    out: dict[str, Counter[str]] = {}
    for r in rows:
        count = r.get("mention_count")
        if isinstance(count, str) and count.isdigit():
            out.setdefault(str(r.get("plan_id")), Counter())[str(r.get("directive"))] = int(count)
    return out


def frictionless_findings(descriptor: Path, label: str) -> list[Finding]:
    """Validate the written package with frictionless itself: keys, types, constraints, hashes."""
    from frictionless import Package

    report = Package(str(descriptor)).validate()
    if report.valid:
        return []
    base = label.rstrip("/")
    out = [
        Finding(base + "/datapackage.json", 0, 0, "", "merged-package-invalid", {"problem": f"{e.type}: {e.note}"})
        for e in report.errors
    ]
    for task in report.tasks:
        for error in task.errors:
            row = int(getattr(error, "row_number", 0) or 0)
            problem = {"problem": f"{error.type}: {error.note}"}
            fieldname = str(getattr(error, "field_name", "") or "")
            out.append(
                Finding(f"{base}/{task.name}.csv", row, 1 if row else 0, fieldname, "merged-package-invalid", problem)
            )
    return out


def _check_paths(out: Path, shards: Sequence[Path]) -> None:
    """Refuse a shard given twice, and to replace a folder that is not a dataset or is a shard."""
    seen: set[Path] = set()
    for shard in shards:
        if shard.resolve() in seen:
            raise MergeError(f"Phần {shard} được đưa vào hai lần", f"shard {shard} is given twice")
        seen.add(shard.resolve())
    resolved = out.resolve()
    if any(resolved == s.resolve() for s in shards):
        raise MergeError(
            f"Thư mục ghi ra {out} trùng với một phần đầu vào", f"the output folder {out} is one of the shards"
        )
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / "datapackage.json").is_file())):
        raise MergeError(
            f"{out} đã có và không phải thư mục dữ liệu (thiếu datapackage.json); chọn thư mục khác",
            f"{out} exists and is not a dataset folder (no datapackage.json); choose another folder",
        )


def new_staging(out: Path) -> Path:
    """An empty folder beside ``out`` (absolute) to write into before swapping it in, after
    removing those a killed job left; ``merge`` and ``national`` both write this way."""
    out.parent.mkdir(parents=True, exist_ok=True)
    for leftover in out.parent.glob(f".{out.name}-staging-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f".{out.name}-staging-", dir=out.parent))


def merge(
    shard_dirs: Sequence[Path], out: Path, labels: Sequence[str] | None = None, site_url: str | None = None
) -> MergeResult:
    """Merge the shard folders into ``out``; on any error write nothing and keep the old ``out``.
    ``site_url``: where the merged data is published (the national site): ``datapackage.json``'s
    ``homepage`` and its terms' address are absolute there; without it they are left out or relative."""
    from ..publish.site import swap

    _check_paths(out, shard_dirs)
    model = load_model()
    labels = list(labels) if labels is not None else [str(p) for p in shard_dirs]
    findings: list[Finding] = []
    shards: list[Shard] = []
    for path, label in zip(shard_dirs, labels, strict=True):
        shard, problems = read_shard(model, path, label)
        shards.append(shard)
        findings += problems
    files_read = sum(s.files_read for s in shards)
    result = MergeResult(findings, out, files_read=files_read)
    if findings:  # a shard that cannot be read would make every later check misleading
        result.findings = sorted(set(findings), key=Finding.sort_key)
        return result
    checked = check_rows(model, shards)  # warnings (non-NFC text…) are reported but do not stop the merge
    if _errors(checked):
        result.findings = sorted(set(checked), key=Finding.sort_key)
        return result
    tables, problems = combine(model, shards)
    problems += check_foreign_keys(model, tables)
    if problems:
        result.findings = sorted(set(checked + problems), key=Finding.sort_key)
        return result
    modified = max((s.modified for s in shards if s.modified), default=None)
    try:
        rows = published_rows(model, tables, _mentions(tables.rows.get("citations", [])))
        files = datasets.render(model, rows, modified, site_url)
    except ValueError as exc:  # a value a shard's own build could not have written
        result.findings = [Finding(str(out), 0, 0, "", "merged-package-invalid", {"problem": str(exc)})]
        return result
    out = out.absolute()
    staging = new_staging(out)
    try:
        datasets.write(files, staging)
        invalid = frictionless_findings(staging / "datapackage.json", str(out))
        result.findings = sorted(set(checked + invalid), key=Finding.sort_key)
        if not _errors(result.findings):
            swap(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    result.counts = {t: len(tables.rows.get(t, [])) for t in model.tables}
    return result
