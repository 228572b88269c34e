"""The "Theo dõi thực hiện" page: per lead unit and per plan, done / overdue / due this month.

Vietnamese Markdown from the task states :mod:`congkhai.derive.monitoring` works out; every value
is escaped.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from ..derive.monitoring import NO_LEAD, _key, lead_units, shorten, task_state
from ..model import sitemap
from ..model.schemas import Model
from ..model.sitemap import plan_md, unit_md
from ..read.records import Row
from ..vietnamese.text import date_vi
from ..vietnamese.text import fold as fold_accents
from .markdown import esc
from .markdown import table as md_table


def _link(here: str, target: str, text: str) -> str:
    """A Markdown link between source pages (MkDocs strict mode checks it)."""
    return f"[{text}]({posixpath.relpath(target, posixpath.dirname(here) or '.')})"


def _table(header: list[str], rows: Iterable[list[str]]) -> list[str]:
    return [*md_table(header, rows).split("\n"), ""]


def _pct(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"


def deadline_summary(states: list[dict[str, Any]]) -> str:
    """How many tasks can be late at all, said next to how many are: "1 quá hạn" means little when
    106 of 107 tasks have no due date, so the overdue count is always given out of the tasks that
    have a date, and the tasks with only a worded or recurring deadline ("hằng năm") and those
    with none are counted apart. Plain Vietnamese text (numbers only, nothing to escape).
    """
    dated = [s for s in states if s["due_date"]]
    worded = sum(1 for s in states if not s["due_date"] and str(s.get("deadline") or "").strip())
    none = len(states) - len(dated) - worded
    overdue = sum(s["overdue"] for s in dated)
    text = f"{overdue} quá hạn trong số {len(dated)} nhiệm vụ có ngày hạn cụ thể"
    if worded:
        text += f"; {worded} nhiệm vụ chỉ ghi thời hạn bằng lời hoặc định kỳ (như “hằng năm”), không có ngày cụ thể"
    return text + f"; {none} nhiệm vụ không ghi thời hạn"


def monitoring_page(model: Model, rows: Mapping[str, list[Row]], today: dt.date, page: str = sitemap.MONITORING) -> str:
    """The "Theo dõi thực hiện" page: per lead unit and per plan, done / overdue / due this month."""
    status_vocab = model.vocabularies["task_status"]

    def label(code: str) -> str:
        return esc(status_vocab.label(code) if code in status_vocab.values else code)

    plans = {p["id"]: p for p in rows.get("plans", [])}
    units = {u["id"]: u for u in rows.get("units", [])}
    states = task_state(rows.get("tasks", []), rows.get("task_updates", []), today)
    leads = lead_units(rows)

    def plan_link(pid: str, text: str | None = None) -> str:
        plan = plans.get(pid)
        if plan is None:
            return esc(pid)
        return _link(page, plan_md(plan), esc(text if text is not None else plan.get("number_symbol") or plan["title"]))

    def unit_heading(uid: str | None) -> str:
        if uid is None:
            return esc(NO_LEAD)
        unit = units.get(uid)
        return esc(unit.get("name") or uid) if unit else esc(uid)

    def unit_cell(uid: str | None) -> str:
        if uid is None or uid not in units:
            return unit_heading(uid)
        return _link(page, unit_md(uid), unit_heading(uid))

    by_unit: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for s in states:
        lead_ids: list[str | None] = list(leads.get(_key(s, "task_id"), []))
        for lead_id in lead_ids or [None]:
            by_unit[lead_id].append(s)

    def unit_order(uid: str | None) -> tuple[int, str, str]:
        if uid is None:
            return (1, "", "")
        return (0, fold_accents(str(units.get(uid, {}).get("name") or uid)), uid)

    order = sorted(by_unit, key=unit_order)
    n_month = sum(s["due_this_month"] for s in states)
    n_done = sum(s["status"] == "done" for s in states)
    n_updates = len(rows.get("task_updates", []))
    lines = [
        "---",
        "title: Theo dõi thực hiện",
        "description: Tình hình thực hiện nhiệm vụ của các kế hoạch theo đơn vị chủ trì — quá hạn, đến hạn trong tháng, đã hoàn thành.",
        "---",
        "",
        "# Theo dõi thực hiện",
        "",
        f"Tính đến ngày {date_vi(today.isoformat())}:",
        "",
        f"- {len(states)} nhiệm vụ, {n_done} đã hoàn thành",
        *(f"- {part}" for part in deadline_summary(states).split("; ")),
        f"- {n_month} đến hạn trong {date_vi(today.isoformat()[:7])}",
        "",
        f"Số liệu từ {n_updates} báo cáo tiến độ do các cơ quan cập nhật; nhiệm vụ chưa có báo cáo "
        "giữ tình trạng ghi trong kế hoạch.",
        "",
        "Quá hạn: đã qua ngày hạn hoàn thành mà chưa hoàn thành hoặc hủy. Chỉ nhiệm vụ có ngày hạn cụ thể "
        "mới có thể quá hạn; nhiệm vụ lặp lại tính theo hạn lần đầu.",
        "",
        f"Theo dõi: {_link(page, sitemap.STATUS_FEED, 'tiến độ nhiệm vụ (Atom)')} · "
        f"{_link(page, sitemap.CALENDAR, 'lịch thời hạn nhiệm vụ (iCalendar)')} — "
        "thêm vào trình đọc tin hoặc lịch của bạn để được báo khi có thay đổi.",
        "",
        "## Theo đơn vị chủ trì",
        "",
    ]
    lines += _table(
        ["Đơn vị chủ trì", "Nhiệm vụ", "Đã hoàn thành", "Quá hạn", "Đến hạn trong tháng"],
        (
            [
                unit_cell(uid),
                str(len(by_unit[uid])),
                str(sum(s["status"] == "done" for s in by_unit[uid])),
                str(sum(s["overdue"] for s in by_unit[uid])),
                str(sum(s["due_this_month"] for s in by_unit[uid])),
            ]
            for uid in order
        ),
    )

    def task_rows(items: list[dict[str, Any]]) -> list[list[str]]:
        items = sorted(items, key=lambda s: (s["due_date"] or "", str(s["plan_id"]), str(s["task_id"])))
        return [
            [
                plan_link(str(s["plan_id"])),
                esc(s["section"]),
                esc(shorten(s["text"])),
                date_vi(s["due_date"]),
                label(s["status"]) + (f" ({s['progress']}%)" if s["progress"] is not None else ""),
                date_vi(s["last_update"]) if s["last_update"] else "Chưa có",
            ]
            for s in items
        ]

    header = ["Kế hoạch", "Mục", "Nhiệm vụ", "Hạn", "Tình trạng", "Cập nhật"]
    for uid in order:
        overdue = [s for s in by_unit[uid] if s["overdue"]]
        month = [s for s in by_unit[uid] if s["due_this_month"]]
        if not overdue and not month:
            continue
        lines += [f"### {unit_heading(uid)}", ""]
        if uid is not None and uid in units:
            lines += [f"Trang đơn vị: {unit_cell(uid)}.", ""]
        if overdue:
            lines += [f"**Quá hạn ({len(overdue)})**", ""] + _table(header, task_rows(overdue))
        if month:
            lines += [f"**Đến hạn trong tháng ({len(month)})**", ""] + _table(header, task_rows(month))

    by_plan: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s in states:
        by_plan[str(s["plan_id"])].append(s)
    lines += ["## Theo kế hoạch", ""]
    lines += _table(
        [
            "Kế hoạch",
            "Nhiệm vụ",
            "Đã hoàn thành",
            "Tỷ lệ hoàn thành",
            "Quá hạn",
            "Đến hạn trong tháng",
            "Cập nhật gần nhất",
        ],
        (
            [
                plan_link(pid, plans[pid]["title"] if pid in plans else None),
                str(len(items)),
                str(sum(s["status"] == "done" for s in items)),
                _pct(sum(s["status"] == "done" for s in items), len(items)),
                str(sum(s["overdue"] for s in items)),
                str(sum(s["due_this_month"] for s in items)),
                date_vi(max(dates)) if (dates := [s["last_update"] for s in items if s["last_update"]]) else "Chưa có",
            ]
            for pid, items in sorted(by_plan.items())
        ),
    )
    return "\n".join(lines).rstrip("\n") + "\n"
