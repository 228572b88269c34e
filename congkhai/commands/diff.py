"""The dataset diff between two git revisions: what a pull request or a release changes.

Each revision's sources (``docs/plans`` and ``data``) are materialised with ``git archive`` into a
temporary folder, validated, and turned into the published rows (``Corpus.published`` written
as CSV cells by ``datasets.csv_bytes``, so values compare exactly as the open data shows them).
Rows are matched by each table's primary key. Both sides are read with the *current* schemas in
``schemas/`` (the ones this code ships with), not the schemas stored in the revisions.

A revision whose plans do not validate still yields a diff of what could be read, with a note.
"""

from __future__ import annotations

import io
import json
import subprocess
import tarfile
import tempfile
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..model import csvfile
from ..model.errors import USAGE, CongkhaiError
from ..model.rowdiff import FieldChange, RowDiff, keyed, natural
from ..model.rowdiff import compare as compare_keyed
from ..model.schemas import Model, Table, load_model
from ..read import git

SOURCES = ("docs/plans", "data")
GITHUB_SUMMARY_LIMIT = 1024 * 1024  # $GITHUB_STEP_SUMMARY accepts at most 1 MiB
DEFAULT_LIMIT = GITHUB_SUMMARY_LIMIT - 16 * 1024  # leave room for what the job appends
MAX_ROWS_LISTED = 50  # rows listed per table and kind before "… and N more"
SHORT = 80  # characters of a value shown in "old → new"


class DiffError(CongkhaiError):
    """A revision that cannot be read (unknown, not a git repository): a usage error."""

    def __init__(self, kind: str, detail: str) -> None:
        vi, en = (
            f"Không so sánh được: {ERRORS['vi'][kind].format(detail=detail)}.",
            f"Cannot compare: {ERRORS['en'][kind].format(detail=detail)}.",
        )
        super().__init__(vi, en, USAGE)
        self.kind, self.detail = kind, detail


ERRORS = {
    "vi": {
        "git": "không chạy được git: {detail}",
        "not-a-repo": "{detail} không phải là kho git",
        "no-revision": "không có phiên bản (commit, nhánh hay thẻ) tên là {detail} trong kho",
        "archive": "không lấy được tệp của phiên bản {detail}",
    },
    "en": {
        "git": "cannot run git: {detail}",
        "not-a-repo": "{detail} is not a git repository",
        "no-revision": "the repository has no revision (commit, branch or tag) named {detail}",
        "archive": "cannot read the files of revision {detail}",
    },
}


# --- The diff as data --------------------------------------------------------------------------


@dataclass
class RowChange:
    key: list[str]
    fields: list[FieldChange]


@dataclass
class TableDiff:
    name: str
    key: list[str]
    old_count: int
    new_count: int
    added: list[list[str]] = field(default_factory=list)
    removed: list[list[str]] = field(default_factory=list)
    changed: list[RowChange] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # "k1/k2" → short label (title, text)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


@dataclass
class PlanInfo:
    id: str
    number_symbol: str
    title: str
    issue_date: str
    issuers: list[str]
    status: str
    path: str


@dataclass
class PlanChange:
    plan: PlanInfo  # as in head
    fields: list[FieldChange]  # of the plans row
    rows: dict[str, list[int]]  # child table → [added, removed, changed]


@dataclass
class Side:
    rev: str
    commit: str | None  # None: the working tree
    plans: int
    errors: int
    warnings: int
    codes: dict[str, int]
    note: str | None = None  # why what could be read may be incomplete


@dataclass
class DatasetDiff:
    base: Side
    head: Side
    plans_added: list[PlanInfo]
    plans_removed: list[PlanInfo]
    plans_changed: list[PlanChange]
    tables: list[TableDiff]

    @property
    def empty(self) -> bool:
        return all(t.empty for t in self.tables)


# --- Reading a revision ------------------------------------------------------------------------


def _git(repo: Path, *args: str, binary: bool = False) -> subprocess.CompletedProcess[Any]:
    try:
        return git.run(repo, *args, text=not binary)
    except git.Failed as exc:
        raise DiffError("git", str(exc)) from exc


def resolve(repo: Path, rev: str) -> str:
    """The commit a revision names, or DiffError."""
    if not rev or rev.startswith("-"):
        raise DiffError("no-revision", repr(rev))
    if _git(repo, "rev-parse", "--git-dir").returncode != 0:
        raise DiffError("not-a-repo", str(repo))
    out = _git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    if out.returncode != 0 or not out.stdout.strip():
        raise DiffError("no-revision", repr(rev))
    return out.stdout.strip()


def materialise(repo: Path, commit: str, dest: Path) -> None:
    """Write the revision's ``docs/plans`` and ``data`` into ``dest`` (``git archive``)."""
    listed = _git(repo, "ls-tree", "--name-only", commit, "--", *SOURCES)
    present = [p for p in SOURCES if p in listed.stdout.splitlines()]
    (dest / "docs" / "plans").mkdir(parents=True, exist_ok=True)
    if not present:
        return
    out = _git(repo, "archive", "--format=tar", commit, "--", *present, binary=True)
    if out.returncode != 0:
        raise DiffError("archive", f"{commit[:10]} ({out.stderr.decode('utf-8', 'replace').strip()})")
    with tarfile.open(fileobj=io.BytesIO(out.stdout)) as tar:
        tar.extractall(dest, filter="data")


@dataclass
class _Read:
    side: Side
    rows: dict[str, list[dict[str, str]]]  # table → CSV rows as published


def _published(model: Model, root: Path) -> tuple[dict[str, list[dict[str, str]]], Any]:
    from ..load.corpus import validate
    from ..render.datasets import csv_bytes

    result = validate(root)
    rows = result.published
    out: dict[str, list[dict[str, str]]] = {}
    for table in model.tables.values():
        out[table.name] = csvfile.read_rows(csv_bytes(table, rows[table.name]))[1]
    return out, result


def read_side(model: Model, root: Path, rev: str, commit: str | None) -> _Read:
    from ..model.findings import Severity

    try:
        rows, result = _published(model, root)
    except Exception as exc:  # a revision broken beyond reading: diff against nothing, say why
        side = Side(rev, commit, 0, 0, 0, {}, note=f"unreadable: {type(exc).__name__}")
        return _Read(side, {t: [] for t in model.tables})
    errors = sum(1 for f in result.findings if f.severity is Severity.ERROR)
    codes = dict(sorted(Counter(f.code for f in result.findings).items()))
    unread = sum(1 for s in result.sources if s.data is None)
    note = None
    if errors:
        note = "errors" if not unread else f"errors; unread files: {unread}"
    side = Side(rev, commit, len(rows.get("plans", [])), errors, len(result.findings) - errors, codes, note)
    return _Read(side, rows)


# --- Comparing ---------------------------------------------------------------------------------


# Columns computed from git history: a revision read from an archive has none, so they would
# always "change"; they say when a plan was published, not what it says.
FROM_HISTORY = frozenset({"published_on"})


def compare_rows(table: Table, old_rows: list[dict[str, str]], new_rows: list[dict[str, str]]) -> RowDiff:
    """Rows matched by primary key (:func:`congkhai.model.rowdiff.compare`), keys in natural order,
    every published column compared but those from git history. Rows are CSV cells as published."""
    pk = list(table.primary_key) or table.field_names[:1]
    compared = [f for f in table.field_names if f not in FROM_HISTORY]
    return compare_keyed(old_rows, new_rows, pk, compared, order=natural)


def _label(table: Table, row: Mapping[str, Any]) -> str:
    for name in ("title", "text", "name", "unit", "as_printed"):
        if name in table.field_names and row.get(name):
            return _short(row[name], 60)
    return ""


def _plan_info(row: Mapping[str, Any], unit_names: dict[str, str]) -> PlanInfo:
    units = [u for u in (row.get("issuer_units") or "").split(";") if u]
    return PlanInfo(
        id=row.get("id") or "",
        number_symbol=row.get("number_symbol") or "",
        title=row.get("title") or "",
        issue_date=row.get("issue_date") or "",
        issuers=[unit_names.get(u, u) for u in units],
        status=row.get("status") or "",
        path=row.get("path") or "",
    )


def compare(model: Model, old: _Read, new: _Read) -> DatasetDiff:
    tables: list[TableDiff] = []
    per_plan: dict[str, dict[str, list[int]]] = {}
    plan_fields: dict[str, list[FieldChange]] = {}
    for table in model.tables.values():
        o, n = old.rows.get(table.name, []), new.rows.get(table.name, [])
        rd = compare_rows(table, o, n)
        added, removed, changed = rd.added, rd.removed, rd.changed
        td = TableDiff(
            table.name,
            list(table.primary_key),
            len(o),
            len(n),
            [list(k) for k in added],
            [list(k) for k in removed],
            [RowChange(list(k), f) for k, f in changed],
        )
        pk = list(table.primary_key) or table.field_names[:1]
        for k in added:
            td.labels["/".join(k)] = _label(table, rd.new[k])
        for k in removed:
            td.labels["/".join(k)] = _label(table, rd.old[k])
        for k, _ in changed:
            td.labels["/".join(k)] = _label(table, rd.new[k])
        td.labels = {k: v for k, v in sorted(td.labels.items()) if v}
        tables.append(td)
        if table.name == model.plan_table.name:
            for k, fields in changed:
                plan_fields[k[0]] = fields
        elif pk and pk[0] == "plan_id":
            for i, keys in enumerate((added, removed, [k for k, _ in changed])):
                for k in keys:
                    per_plan.setdefault(k[0], {}).setdefault(table.name, [0, 0, 0])[i] += 1
    names_old = {r["id"]: r.get("name") or r["id"] for r in old.rows.get("units", []) if r.get("id")}
    names_new = {r["id"]: r.get("name") or r["id"] for r in new.rows.get("units", []) if r.get("id")}
    old_plans = keyed(old.rows.get("plans", []), ["id"])
    new_plans = keyed(new.rows.get("plans", []), ["id"])
    plans_added = [_plan_info(new_plans[k], names_new) for k in sorted(set(new_plans) - set(old_plans))]
    plans_removed = [_plan_info(old_plans[k], names_old) for k in sorted(set(old_plans) - set(new_plans))]
    plans_changed = [
        PlanChange(
            _plan_info(new_plans[(pid,)], names_new),
            plan_fields.get(pid, []),
            dict(sorted(per_plan.get(pid, {}).items())),
        )
        for pid in sorted(set(plan_fields) | set(per_plan))
        if (pid,) in old_plans and (pid,) in new_plans
    ]
    return DatasetDiff(old.side, new.side, plans_added, plans_removed, plans_changed, tables)


def diff_revisions(repo: Path, base: str, head: str | None = None) -> DatasetDiff:
    """Compare the published rows of revision ``base`` with ``head`` (None: the working tree).

    Raises DiffError when a revision does not exist. Both sides use the current schemas."""
    repo = Path(repo).resolve()
    model = load_model()
    base_commit = resolve(repo, base)
    head_commit = resolve(repo, head) if head is not None else None
    with tempfile.TemporaryDirectory(prefix="congkhai-diff-") as tmp:
        old_root = Path(tmp) / "base"
        materialise(repo, base_commit, old_root)
        old = read_side(model, old_root, base, base_commit)
        if head_commit is None:
            new = read_side(model, repo, "working tree", None)
        else:
            new_root = Path(tmp) / "head"
            materialise(repo, head_commit, new_root)
            new = read_side(model, new_root, head or "", head_commit)
    return compare(model, old, new)


# --- Rendering ---------------------------------------------------------------------------------

TEXT: dict[str, dict[str, Any]] = {
    "vi": {
        "title": "Thay đổi dữ liệu: {base} → {head}",
        "working": "thư mục làm việc",
        "summary": "{added} kế hoạch thêm mới, {changed} kế hoạch thay đổi, {removed} kế hoạch bị xóa.",
        "none": "Dữ liệu không thay đổi.",
        "added": "Kế hoạch thêm mới",
        "changed": "Kế hoạch thay đổi",
        "removed": "Kế hoạch bị xóa",
        "number": "Số, ký hiệu",
        "no_number": "(không số)",
        "date": "ngày",
        "issuers": "cơ quan ban hành",
        "status": "tình trạng",
        "not_withdrawn": "⚠️ **Cảnh báo:** kế hoạch `{id}` bị xóa khỏi kho mà không được đánh dấu thu hồi "
        "(`status: withdrawn`). Kế hoạch đã công bố nên được giữ lại và ghi tình trạng thay vì xóa.",
        "rows": "Dòng dữ liệu {table}: {parts}",
        "add_n": "thêm {n}",
        "rem_n": "bớt {n}",
        "chg_n": "sửa {n}",
        "tables": "Thay đổi theo bảng",
        "th": ["Bảng", "Trước", "Sau", "Thêm", "Bớt", "Sửa"],
        "t_added": "Thêm {n} dòng:",
        "t_removed": "Bớt {n} dòng:",
        "t_changed": "Sửa {n} dòng:",
        "more": "… và {n} dòng khác",
        "empty": "(trống)",
        "checks": "Kết quả kiểm tra",
        "side": "{label}: {plans} kế hoạch, {errors} lỗi, {warnings} cảnh báo",
        "base": "Trước",
        "head": "Sau",
        "codes": "mã",
        "note": "⚠️ Bản {label} có lỗi kiểm tra: so sánh chỉ gồm những gì đọc được.",
        "unreadable": "⚠️ Không đọc được bản {label} ({reason}): coi như không có dữ liệu.",
        "schemas": "Cả hai phía được đọc theo lược đồ hiện tại (`schemas/`).",
        "truncated": "_Bản tóm tắt đã được cắt bớt cho vừa giới hạn {limit} của GitHub: "
        "còn {n} dòng không hiển thị. Xem đầy đủ bằng `{cmd}`._",
    },
    "en": {
        "title": "Data changes: {base} → {head}",
        "working": "working tree",
        "summary": "{added} plans added, {changed} plans changed, {removed} plans removed.",
        "none": "The data did not change.",
        "added": "Plans added",
        "changed": "Plans changed",
        "removed": "Plans removed",
        "number": "Number and symbol",
        "no_number": "(no number)",
        "date": "date",
        "issuers": "issued by",
        "status": "status",
        "not_withdrawn": "⚠️ **Warning:** plan `{id}` was deleted without being marked withdrawn "
        "(`status: withdrawn`). A published plan should be kept and its status recorded instead.",
        "rows": "Rows of {table}: {parts}",
        "add_n": "{n} added",
        "rem_n": "{n} removed",
        "chg_n": "{n} changed",
        "tables": "Changes by table",
        "th": ["Table", "Before", "After", "Added", "Removed", "Changed"],
        "t_added": "{n} rows added:",
        "t_removed": "{n} rows removed:",
        "t_changed": "{n} rows changed:",
        "more": "… and {n} more rows",
        "empty": "(empty)",
        "checks": "Validation",
        "side": "{label}: {plans} plans, {errors} errors, {warnings} warnings",
        "base": "Before",
        "head": "After",
        "codes": "codes",
        "note": "⚠️ Revision {label} has validation errors: the comparison covers only what could be read.",
        "unreadable": "⚠️ Revision {label} could not be read ({reason}): treated as empty.",
        "schemas": "Both sides are read with the current schemas (`schemas/`).",
        "truncated": "_This summary was shortened to fit GitHub's {limit} limit: {n} lines are not shown. "
        "See all of it with `{cmd}`._",
    },
}


def _short(value: str, limit: int = SHORT) -> str:
    value = " ".join(str(value).split())
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def _esc(text: str) -> str:
    """Inline Markdown: no table breaks, no accidental markup."""
    out = text.replace("\\", "\\\\")
    for ch in "|*_`<>[]#":
        out = out.replace(ch, "\\" + ch)
    return out


def _code(text: str) -> str:
    return "`" + text.replace("`", "'") + "`"


def _rev_label(side: Side, t: dict[str, Any]) -> str:
    if side.commit is None:
        return t["working"]
    return f"{side.rev} ({side.commit[:10]})" if side.rev != side.commit else side.commit[:10]


def _field_title(model: Model, table: str, name: str, lang: str) -> str:
    try:
        f = model.tables[table].field(name)
    except KeyError:
        return _code(name)
    return f"{f.title if lang == 'vi' else f.title_en} ({_code(name)})"


def _pair(old: str, new: str, limit: int = SHORT) -> tuple[str, str]:
    """Both values shortened; when they share a long beginning, shown from just before they differ."""
    old, new = " ".join(old.split()), " ".join(new.split())
    same = 0
    for a, b in zip(old, new, strict=False):
        if a != b:
            break
        same += 1
    start = same - 20 if same > limit // 2 and max(len(old), len(new)) > limit else 0
    if start > 0:
        start = max(old.rfind(" ", 0, start) + 1, 0)
        return _short("…" + old[start:], limit), _short("…" + new[start:], limit)
    return _short(old, limit), _short(new, limit)


def _change(model: Model, table: str, c: FieldChange, t: dict[str, Any], lang: str) -> str:
    old_s, new_s = _pair(c.old, c.new)
    old = _esc(old_s) if c.old else t["empty"]
    new = _esc(new_s) if c.new else t["empty"]
    return f"{_field_title(model, table, c.field, lang)}: «{old}» → «{new}»"


def _plan_lines(p: PlanInfo, t: dict[str, Any]) -> list[str]:
    meta = [f"{t['number']}: {_esc(p.number_symbol) if p.number_symbol else t['no_number']}"]
    if p.issue_date:
        meta.append(f"{t['date']} {p.issue_date}")
    if p.issuers:
        meta.append(f"{t['issuers']}: " + "; ".join(_esc(i) for i in p.issuers))
    if p.status:
        meta.append(f"{t['status']}: {_code(p.status)}")
    return [f"- **{_esc(p.title)}** — {_code(p.id)}", "  - " + " · ".join(meta)]


def _listed(items: list[str], t: dict[str, Any]) -> list[str]:
    out = items[:MAX_ROWS_LISTED]
    if len(items) > MAX_ROWS_LISTED:
        out.append("  - " + t["more"].format(n=len(items) - MAX_ROWS_LISTED))
    return out


def _table_counts(td: TableDiff, t: dict[str, Any]) -> str:
    parts = []
    if td.added:
        parts.append(t["add_n"].format(n=len(td.added)))
    if td.removed:
        parts.append(t["rem_n"].format(n=len(td.removed)))
    if td.changed:
        parts.append(t["chg_n"].format(n=len(td.changed)))
    return ", ".join(parts)


def markdown_lines(diff: DatasetDiff, lang: str = "vi") -> list[str]:
    t = TEXT[lang]
    model = load_model()
    base, head = _rev_label(diff.base, t), _rev_label(diff.head, t)
    out = [f"## {t['title'].format(base=_esc(base), head=_esc(head))}", ""]
    for side, label in ((diff.base, base), (diff.head, head)):
        if side.note and side.note.startswith("unreadable"):
            out += [t["unreadable"].format(label=_esc(label), reason=side.note.split(": ", 1)[-1]), ""]
        elif side.note:
            out += [t["note"].format(label=_esc(label)), ""]
    if diff.empty:
        out += [t["none"], ""]
    else:
        n = {"added": len(diff.plans_added), "changed": len(diff.plans_changed), "removed": len(diff.plans_removed)}
        out += [t["summary"].format(**n), ""]
    if diff.plans_added:
        out += [f"### {t['added']} ({len(diff.plans_added)})", ""]
        for p in diff.plans_added:
            out += _plan_lines(p, t)
        out.append("")
    if diff.plans_changed:
        out += [f"### {t['changed']} ({len(diff.plans_changed)})", ""]
        for pc in diff.plans_changed:
            out += _plan_lines(pc.plan, t)
            out += ["  - " + _change(model, "plans", c, t, lang) for c in pc.fields]
            for table, (a, r, c) in pc.rows.items():
                parts = [t[k].format(n=v) for k, v in (("add_n", a), ("rem_n", r), ("chg_n", c)) if v]
                out.append("  - " + t["rows"].format(table=_code(table), parts=", ".join(parts)))
        out.append("")
    if diff.plans_removed:
        out += [f"### {t['removed']} ({len(diff.plans_removed)})", ""]
        for p in diff.plans_removed:
            out += _plan_lines(p, t)
        out.append("")
        for p in diff.plans_removed:
            if p.status != "withdrawn":
                out += [t["not_withdrawn"].format(id=p.id), ""]
    changed_tables = [td for td in diff.tables if not td.empty]
    if changed_tables:
        out += [f"### {t['tables']}", ""]
        out += ["| " + " | ".join(t["th"]) + " |", "|" + "---|" * len(t["th"])]
        for td in diff.tables:
            title = model.tables[td.name].title if lang == "vi" else model.tables[td.name].title_en
            out.append(
                f"| {_code(td.name)} ({_esc(title)}) | {td.old_count} | {td.new_count} | "
                f"{len(td.added)} | {len(td.removed)} | {len(td.changed)} |"
            )
        out.append("")
        for td in changed_tables:
            if td.name == model.plan_table.name:
                continue  # shown plan by plan above
            out += [f"#### {_code(td.name)} — {_table_counts(td, t)}", ""]

            def row(key: list[str], td: TableDiff = td) -> str:
                joined = "/".join(key)
                label = td.labels.get(joined)
                return f"  - {_code(joined)}" + (f" — {_esc(label)}" if label else "")

            if td.added:
                out += [f"- {t['t_added'].format(n=len(td.added))}", *_listed([row(k) for k in td.added], t)]
            if td.removed:
                out += [f"- {t['t_removed'].format(n=len(td.removed))}", *_listed([row(k) for k in td.removed], t)]
            if td.changed:
                items = []
                for rc in td.changed:
                    fields = "; ".join(_change(model, td.name, c, t, lang) for c in rc.fields)
                    items.append(f"  - {_code('/'.join(rc.key))}: {fields}")
                out += [f"- {t['t_changed'].format(n=len(td.changed))}", *_listed(items, t)]
            out.append("")
    out += [f"### {t['checks']}", ""]
    for side, key, label in ((diff.base, "base", base), (diff.head, "head", head)):
        line = "- " + t["side"].format(
            label=f"**{t[key]}** {_esc(label)}", plans=side.plans, errors=side.errors, warnings=side.warnings
        )
        if side.codes:
            line += f" — {t['codes']}: " + ", ".join(f"{_code(c)} × {n}" for c, n in side.codes.items())
        out.append(line)
    out += ["", f"_{t['schemas']}_"]
    return out


def render_markdown(diff: DatasetDiff, lang: str = "vi", max_bytes: int = DEFAULT_LIMIT) -> str:
    """A human-readable summary for a GitHub job summary; cut politely to ``max_bytes``."""
    t = TEXT[lang]
    lines = markdown_lines(diff, lang)
    text = "\n".join(lines) + "\n"
    if len(text.encode()) <= max_bytes:
        return text
    head = diff.head.rev if diff.head.commit else ""
    cmd = f"python build_site.py diff {diff.base.rev} {head}".strip().replace("`", "'")
    reserve = len(t["truncated"].format(limit="1 MiB", n=len(lines), cmd=cmd).encode()) + 64
    kept: list[str] = []
    size = 0
    for line in lines:
        size += len(line.encode()) + 1
        if size > max_bytes - reserve:
            break
        kept.append(line)
    note = t["truncated"].format(limit="1 MiB", n=len(lines) - len(kept), cmd=cmd)
    return "\n".join([*kept, "", note]) + "\n"


def render_json(diff: DatasetDiff) -> str:
    """The diff as JSON: keys sorted, lists in key order, so equal diffs give equal bytes."""
    return json.dumps(asdict(diff), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def diff_text(repo: Path, base: str, head: str | None = None, fmt: str = "markdown", lang: str = "vi") -> str:
    """``build_site.py diff BASE [HEAD]``: the summary to print (DiffError when a revision is unknown)."""
    diff = diff_revisions(repo, base, head)
    return render_json(diff) if fmt == "json" else render_markdown(diff, lang)
