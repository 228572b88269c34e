"""The "Theo dõi thực hiện" page: per lead unit and per plan, done / overdue / due this month.

Vietnamese pages from the task states :mod:`congkhai.derive.monitoring` works out; every value is
escaped. The lists (by lead unit, overdue tasks, tasks due this month, by plan) are written by
:mod:`.cards` — title first, cards on a phone — and the page shows the first rows of each, the
whole list being on pages of its own, so no page grows with the corpus.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..derive.monitoring import NO_LEAD, _key, lead_units, shorten, task_state
from ..model import sitemap
from ..model.schemas import Model
from ..model.sitemap import plan_md, rel, unit_md
from ..read.records import Row
from ..vietnamese.text import date_vi
from ..vietnamese.text import fold as fold_accents
from .cards import Column, h, list_pages, table


def _link(here: str, target: str, text: str) -> str:
    """A Markdown link between source pages (MkDocs strict mode checks it)."""
    return f"[{text}]({posixpath.relpath(target, posixpath.dirname(here) or '.')})"


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


#: Rows of each list shown on the monitoring page itself; a longer list links to its own pages
#: (:func:`.cards.list_pages`, at most ``cards.PER_PAGE`` rows a page), so the page stays the same
#: size whatever the number of units, tasks and plans.
SECTION_ROWS = 20

_UNIT_COLUMNS = (
    Column("Đơn vị chủ trì", kind="title"),
    Column("Nhiệm vụ", kind="nowrap"),
    Column("Đã hoàn thành", kind="nowrap"),
    Column("Quá hạn", kind="nowrap"),
    Column("Đến hạn trong tháng", kind="nowrap"),
)
_TASK_COLUMNS = (
    Column("Nhiệm vụ", kind="title"),
    Column("Kế hoạch", kind="wide"),
    Column("Đơn vị chủ trì"),
    Column("Hạn", kind="nowrap"),
    Column("Tình trạng"),
    Column("Cập nhật", kind="nowrap"),
)
_PLAN_COLUMNS = (
    Column("Kế hoạch", kind="title"),
    Column("Nhiệm vụ", kind="nowrap"),
    Column("Đã hoàn thành", kind="nowrap"),
    Column("Tỷ lệ hoàn thành", kind="nowrap"),
    Column("Quá hạn", kind="nowrap"),
    Column("Đến hạn trong tháng", kind="nowrap"),
    Column("Cập nhật gần nhất", kind="nowrap"),
)


def monitoring_page(model: Model, rows: Mapping[str, list[Row]], today: dt.date, page: str = sitemap.MONITORING) -> str:
    """The "Theo dõi thực hiện" page itself (:func:`monitoring_pages` gives it with its full lists)."""
    return monitoring_pages(model, rows, today, page)[page]


def monitoring_pages(
    model: Model, rows: Mapping[str, list[Row]], today: dt.date, page: str = sitemap.MONITORING
) -> dict[str, str]:
    """The "Theo dõi thực hiện" page and the full lists it links (``sitemap.monitoring_list_md``).

    The page keeps the summary and the first :data:`SECTION_ROWS` rows of each list — by lead
    unit, overdue tasks, tasks due this month, by plan; a longer list is written whole on pages of
    its own, cut by :mod:`.cards` into pages of at most ``cards.PER_PAGE`` rows.
    """
    status_vocab = model.vocabularies["task_status"]

    def label(code: str) -> str:
        return h(status_vocab.label(code) if code in status_vocab.values else code)

    plans = {p["id"]: p for p in rows.get("plans", [])}
    units = {u["id"]: u for u in rows.get("units", [])}
    states = task_state(rows.get("tasks", []), rows.get("task_updates", []), today)
    leads = lead_units(rows)

    def plan_link(here: str, pid: str, text: str | None = None) -> str:
        plan = plans.get(pid)
        if plan is None:
            return h(pid)
        name = text if text is not None else plan.get("number_symbol") or plan["title"]
        return f'<a href="{h(rel(here, plan_md(plan)))}">{h(name)}</a>'

    def unit_name(uid: str | None) -> str:
        if uid is None:
            return NO_LEAD
        unit = units.get(uid)
        return str(unit.get("name") or uid) if unit else uid

    def unit_cell(here: str, uid: str | None) -> str:
        if uid is None or uid not in units:
            return h(unit_name(uid))
        return f'<a href="{h(rel(here, unit_md(uid)))}">{h(unit_name(uid))}</a>'

    by_unit: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for s in states:
        lead_ids: list[str | None] = list(leads.get(_key(s, "task_id"), []))
        for lead_id in lead_ids or [None]:
            by_unit[lead_id].append(s)

    def unit_order(uid: str | None) -> tuple[int, str, str]:
        if uid is None:
            return (1, "", "")
        return (0, fold_accents(str(units.get(uid, {}).get("name") or uid)), uid)

    def unit_row(here: str, uid: str | None) -> tuple[dict[str, str], list[str]]:
        items = by_unit[uid]
        return {}, [
            unit_cell(here, uid),
            str(len(items)),
            str(sum(s["status"] == "done" for s in items)),
            str(sum(s["overdue"] for s in items)),
            str(sum(s["due_this_month"] for s in items)),
        ]

    def task_row(here: str, s: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
        lead_ids = leads.get(_key(s, "task_id"), [])
        return {}, [
            h(shorten(s["text"])),
            plan_link(here, str(s["plan_id"])) + f"<br><small>Mục {h(s['section'])}</small>",
            "<br>".join(unit_cell(here, uid) for uid in lead_ids) or h(NO_LEAD),
            h(date_vi(s["due_date"])),
            label(s["status"]) + (f" ({h(s['progress'])}%)" if s["progress"] is not None else ""),
            h(date_vi(s["last_update"])) if s["last_update"] else "Chưa có",
        ]

    by_plan: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s in states:
        by_plan[str(s["plan_id"])].append(s)

    def plan_row(here: str, pid: str) -> tuple[dict[str, str], list[str]]:
        items = by_plan[pid]
        done = sum(s["status"] == "done" for s in items)
        dates = [s["last_update"] for s in items if s["last_update"]]
        return {}, [
            plan_link(here, pid, plans[pid]["title"] if pid in plans else None),
            str(len(items)),
            str(done),
            _pct(done, len(items)),
            str(sum(s["overdue"] for s in items)),
            str(sum(s["due_this_month"] for s in items)),
            h(date_vi(max(dates))) if dates else "Chưa có",
        ]

    def by_due(items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        return sorted(items, key=lambda s: (s["due_date"] or "", str(s["plan_id"]), str(s["task_id"])))

    month_name = date_vi(today.isoformat()[:7])
    overdue = by_due(s for s in states if s["overdue"])
    month = by_due(s for s in states if s["due_this_month"])
    n_done = sum(s["status"] == "done" for s in states)
    n_updates = len(rows.get("task_updates", []))
    lines = [
        "---",
        "title: Theo dõi thực hiện",
        "description: Tình hình thực hiện nhiệm vụ của các kế hoạch theo đơn vị chủ trì — quá hạn, đến hạn trong tháng, đã hoàn thành.",
        "hide:",
        "- toc",  # the lists take the width (7 columns of the plan table on a laptop)
        "---",
        "",
        "# Theo dõi thực hiện",
        "",
        f"Tính đến ngày {date_vi(today.isoformat())}:",
        "",
        f"- {len(states)} nhiệm vụ, {n_done} đã hoàn thành",
        *(f"- {part}" for part in deadline_summary(states).split("; ")),
        f"- {len(month)} đến hạn trong {month_name}",
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
    ]
    out: dict[str, str] = {}
    back_text = f"Theo dõi thực hiện — tính đến ngày {date_vi(today.isoformat())}"
    sections: list[tuple[str, str, str, Sequence[Any], Any, Sequence[Column], str, str]] = [
        (
            "don-vi",
            "Theo đơn vị chủ trì",
            "",
            sorted(by_unit, key=unit_order),
            unit_row,
            _UNIT_COLUMNS,
            "đơn vị chủ trì",
            "Không có nhiệm vụ.",
        ),
        (
            "qua-han",
            "Nhiệm vụ quá hạn",
            f" ({len(overdue)})",
            overdue,
            task_row,
            _TASK_COLUMNS,
            "nhiệm vụ quá hạn",
            "Không có nhiệm vụ quá hạn.",
        ),
        (
            "den-han",
            f"Đến hạn trong {month_name}",
            f" ({len(month)})",
            month,
            task_row,
            _TASK_COLUMNS,
            "nhiệm vụ đến hạn trong tháng",
            "Không có nhiệm vụ đến hạn trong tháng.",
        ),
        ("ke-hoach", "Theo kế hoạch", "", sorted(by_plan), plan_row, _PLAN_COLUMNS, "kế hoạch", "Không có kế hoạch."),
    ]
    for which, title, count, items, row, columns, noun, empty in sections:
        lines += ["", f"## {title}{count}", ""]
        if not items:
            lines.append(empty)
            continue
        shown = items[:SECTION_ROWS]
        table_id = f"bang-theo-doi-{which}"
        caption = (
            f"{len(items)} {noun}" if len(shown) == len(items) else f"{len(shown)} đầu tiên trong {len(items)} {noun}"
        )
        lines.append(table(columns, (row(page, x) for x in shown), table_id, caption))
        if len(items) > len(shown):
            full = sitemap.monitoring_list_md(which)
            lines.append(f'<a href="{h(rel(page, full))}">Xem tất cả {len(items)} {noun}</a>')
            back = f'<a href="{h(rel(full, page))}">{h(back_text)}</a>'
            described = f"Theo dõi thực hiện, tính đến ngày {date_vi(today.isoformat())}: {len(items)} {noun}."
            out.update(
                list_pages(
                    full,
                    f"{title} — Theo dõi thực hiện",
                    back,
                    items,
                    row,
                    columns,
                    table_id,
                    noun,
                    description=described,
                )
            )
    out[page] = "\n".join(lines).rstrip("\n") + "\n"
    return out
