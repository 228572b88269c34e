"""The pull request's one comment (`build_site.py comment`, `make ci-comment`), in Vietnamese:
what the change adds and changes (plans, tasks, cited documents, bodies proposed), a table of the
changed plans, each finding with its place and its fix, and the preview.

The workflow finds the comment by :data:`MARKER` and edits it, so a pull request carries one
comment that is kept up to date. Every value quoted comes from the pull request (a plan's title,
a file name, a message quoting a value) and goes through :func:`inline`: no link, image, HTML,
code span, table cell break, mention (``@team``), issue reference or autolink can be made by a
value. No catalogue dump: tables are counted, only plans are listed, each list is bounded.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..model.schemas import load_model
from ..model.urls import web_url
from .diff import DatasetDiff, PlanChange, PlanInfo

#: The hidden marker the workflow finds the comment by (congkhai/report.py COMMENT_MARKER).
MARKER = "<!-- congkhai-pr-comment -->"
#: GitHub refuses a comment over 65,536 characters; lists are cut well below.
MAX_CHARS = 60_000
MAX_PLANS = 50
MAX_FINDINGS = 100
SHORT = 160

_ZWSP = "&#8203;"  # an entity, so the source shows what was done; renders as nothing
# Markdown's punctuation that could start markup inline (links, images, emphasis, code, tables,
# headings, HTML, entities, footnotes); each is shown as itself with a backslash or an entity.
_PUNCT = re.compile(r"[\\`*_{}\[\]()#+\-.!|~^>\"']")
# controls, bidi embeddings and overrides, zero-width characters: a value reads as it is stored
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def inline(value: object, limit: int = SHORT) -> str:
    """``value`` as inert inline Markdown text, on one line, at most ``limit`` characters."""
    text = " ".join(_CONTROL.sub(" ", str(value)).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    out = []
    for ch in text:
        if ch in _ENTITIES:
            out.append(_ENTITIES[ch])
        elif _PUNCT.match(ch):
            out.append("\\" + ch)
        else:
            out.append(ch)
    text = "".join(out)
    # a mention (@user, @org/team), an issue or pull request reference (#12, GH-12, owner/repo#12)
    # and an autolink (https://…, www.…, a bare e-mail) each need their characters side by side
    text = text.replace("@", "@" + _ZWSP).replace("\\#", "\\#" + _ZWSP)
    text = re.sub(r"(?i)(gh)(\\-)", r"\1" + _ZWSP + r"\2", text)
    text = re.sub(r"(?i)\b(https?|ftp|mailto|javascript|data|vbscript|file)(:)", r"\1" + _ZWSP + r"\2", text)
    return re.sub(r"(?i)\b(www)(\\\.)", r"\1" + _ZWSP + r"\2", text)


def _plan_cell(p: PlanInfo) -> tuple[str, str]:
    return inline(p.title), inline(p.number_symbol) if p.number_symbol else "(không số)"


_TABLES = {"tasks": "nhiệm vụ", "task_units": "đơn vị của nhiệm vụ", "citations": "trích dẫn"}
_TABLES.update({"issuers": "cơ quan ban hành", "signers": "người ký", "recipients": "nơi nhận"})


def _field(name: str) -> str:
    try:
        return inline(load_model().tables["plans"].field(name).title.lower(), 60)
    except KeyError:
        return inline(name, 40)


def _authored(pc: PlanChange) -> bool:
    """A change someone made to the plan (its fields or its own rows), not derived tables moving
    with the calendar (compliance, the disclosure directory)."""
    return bool(pc.fields) or any(sum(n) for table, n in pc.rows.items() if table in _TABLES)


def _what_changed(pc: PlanChange) -> str:
    parts = []
    if pc.fields:
        parts.append("sửa " + ", ".join(_field(c.field) for c in pc.fields[:8]) + ("…" if len(pc.fields) > 8 else ""))
    for table, (added, removed, changed) in pc.rows.items():
        if table not in _TABLES:
            continue
        bits = [f"{word} {n}" for word, n in (("thêm", added), ("bớt", removed), ("sửa", changed)) if n]
        if bits:
            parts.append(f"{_TABLES.get(table, inline(table, 40))}: " + ", ".join(bits))
    return "; ".join(parts) or "chỉ thay đổi phần nội dung"


def _counts(diff: DatasetDiff) -> dict[str, tuple[int, int, int]]:
    return {t.name: (len(t.added), len(t.changed), len(t.removed)) for t in diff.tables}


def _where(f: Mapping[str, Any]) -> str:
    line = f.get("line") or 0
    return inline(f"{f.get('file', '')}:{line}" if line else str(f.get("file", "")), 200)


def _linkable(url: str | None) -> bool:
    """An absolute http(s) address that cannot leave the ``<…>`` of a link destination."""
    return bool(url) and web_url(str(url)) and not re.search(r"[\s<>\\]", str(url))


def render_comment(
    diff: DatasetDiff,
    findings: Sequence[Mapping[str, Any]],
    preview_url: str | None = None,
    run_url: str | None = None,
) -> str:
    """The comment's Markdown. ``findings`` are the JSON reports' findings (``--format json``)."""
    n = _counts(diff)
    changed = [pc for pc in diff.plans_changed if _authored(pc)]
    errors = [f for f in findings if f.get("severity") == "error"]
    warnings = [f for f in findings if f.get("severity") != "error"]
    tasks, directives, units = n.get("tasks", (0, 0, 0)), n.get("directives", (0, 0, 0)), n.get("units", (0, 0, 0))
    citations = n.get("citations", (0, 0, 0))
    out = [MARKER, "## Tóm tắt yêu cầu hợp nhất", ""]
    if errors:
        out.append(f"❌ **Chưa hợp nhất được**: còn {len(errors)} lỗi cần sửa (xem mục *Cần sửa* bên dưới).")
    else:
        out.append("✅ **Kiểm tra đạt**" + (f" ({len(warnings)} cảnh báo)." if warnings else "."))
    out += [
        "",
        "| | thêm mới | thay đổi | bị xóa |",
        "|---|---|---|---|",
        f"| Kế hoạch | {len(diff.plans_added)} | {len(changed)} | {len(diff.plans_removed)} |",
        f"| Nhiệm vụ | {tasks[0]} | {tasks[1]} | {tasks[2]} |",
        f"| Văn bản được trích dẫn (danh mục) | {directives[0]} | {directives[1]} | {directives[2]} |",
        f"| Trích dẫn trong kế hoạch | {citations[0]} | {citations[1]} | {citations[2]} |",
        f"| Cơ quan đề xuất thêm (data/units.csv) | {units[0]} | {units[1]} | {units[2]} |",
        "",
    ]
    rows: list[tuple[str, str, str]] = []
    rows += [(*_plan_cell(p), "thêm mới") for p in diff.plans_added]
    rows += [(*_plan_cell(pc.plan), _what_changed(pc)) for pc in changed]
    rows += [
        (*_plan_cell(p), "**bị xóa**" + ("" if p.status == "withdrawn" else " (nên thu hồi thay vì xóa)"))
        for p in diff.plans_removed
    ]
    if rows:
        out += ["### Kế hoạch thay đổi", "", "| Trích yếu | Số, ký hiệu | Thay đổi |", "|---|---|---|"]
        out += [f"| {t} | {num} | {what} |" for t, num, what in rows[:MAX_PLANS]]
        if len(rows) > MAX_PLANS:
            out.append(f"| … và {len(rows) - MAX_PLANS} kế hoạch khác | | |")
        out.append("")
    if findings:
        out += ["### Cần sửa", ""]
        for f in [*errors, *warnings][:MAX_FINDINGS]:
            kind = "lỗi" if f.get("severity") == "error" else "cảnh báo"
            out.append(
                f"- **{kind}** {_where(f)} ({inline(f.get('code', ''), 60)}): {inline(f.get('message', ''), 400)}"
            )
            if f.get("hint"):
                out.append(f"  - cách sửa: {inline(f['hint'], 400)}")
        if len(findings) > MAX_FINDINGS:
            out.append(f"- … và {len(findings) - MAX_FINDINGS} mục khác (xem tab **Checks**).")
        out.append("")
    out += ["### Xem trước", ""]
    if _linkable(preview_url):
        out.append(
            f"[Tải bản xem trước của trang](<{preview_url}>) (tệp .zip): giải nén, rồi mở tệp **xem-truoc** "
            "(Windows: `xem-truoc.bat`, macOS: `xem-truoc.command`, Linux: `xem-truoc.sh`) — trang mở trong "
            "trình duyệt, có cả tìm kiếm. Hướng dẫn trong `HƯỚNG-DẪN.txt`."
        )
    else:
        out.append("Chưa có bản xem trước (trang chưa dựng được: sửa các lỗi ở trên).")
    if _linkable(run_url):
        out += ["", f"_Chi tiết từng bước: [lần chạy kiểm tra](<{run_url}>)._"]
    text = "\n".join(out) + "\n"
    if len(text) > MAX_CHARS:
        text = (
            text[: MAX_CHARS - 200].rsplit("\n", 1)[0]
            + "\n\n_Bình luận đã được cắt bớt cho vừa giới hạn của GitHub._\n"
        )
    return text
