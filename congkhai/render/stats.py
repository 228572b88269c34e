"""The statistics page ("Thống kê"): charts drawn at build time as inline SVG, each followed by its
numbers as a Markdown table.

No JavaScript, no external request: every chart is a ``<figure>`` holding one ``<svg role="img">``
with a ``<title>``, a ``<desc>`` and an ``aria-label``; the table under it carries the same numbers
(and the links) for screen readers, printing and copying. The SVG paints its own white
background, and every colour has a contrast of at least 4.5:1 against it, so bars (WCAG 1.4.11,
3:1) and any text drawn in those colours (1.4.3, 4.5:1) pass AA. Output depends only on the rows:
ties are broken by name and id, numbers are formatted without the locale.
"""

from __future__ import annotations

import html
import posixpath
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..model import sitemap
from ..model.schemas import Model
from ..read.records import Row
from .markdown import esc
from .markdown import table as md_table

TOP = 15
BACKGROUND = "#ffffff"
TEXT = "#1a1a1a"
# Contrast against white: 6.5, 6.0, 5.1, 8.1, 6.7 (all ≥ 4.5:1); neighbours in a stacked bar are
# also separated by a white gap, and the legend names every colour.
PALETTE = ("#1f5fa8", "#a14000", "#2e7d32", "#6a1b9a", "#595959")
WITH_DEADLINE = "#2e7d32"
WITHOUT_DEADLINE = "#595959"
UNKNOWN = "Không rõ"

WIDTH = 720
LABEL_W = 250
BAR_X = LABEL_W + 10
BAR_W = 330
ROW_H = 26
BAR_H = 18
FONT = 13


def _xml(value: Any) -> str:
    """Escape for SVG text and attribute values."""
    return html.escape(str(value), quote=True)


def _pct(part: int, whole: int) -> str:
    if not whole:
        return "0%"
    return f"{100 * part / whole:.1f}".replace(".", ",") + "%"


def _short(text: str, limit: int = 36) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Bar:
    label: str
    segments: tuple[tuple[int, str], ...]  # (value, colour)
    note: str  # the text printed after the bar


def _svg(chart_id: str, title: str, desc: str, bars: Sequence[Bar], legend: Sequence[tuple[str, str]] = ()) -> str:
    """A horizontal (optionally stacked) bar chart; one row per bar."""
    top = 10
    legend_h = 26 if legend else 0
    height = top + legend_h + max(len(bars), 1) * ROW_H + 10
    scale = max((sum(v for v, _ in b.segments) for b in bars), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ck-chart" id="{chart_id}" role="img" '
        f'aria-label="{_xml(title)}" aria-describedby="{chart_id}-desc" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" style="max-width:100%;height:auto" font-size="{FONT}">',
        f'<title id="{chart_id}-title">{_xml(title)}</title>',
        f'<desc id="{chart_id}-desc">{_xml(desc)}</desc>',
        f'<rect width="{WIDTH}" height="{height}" fill="{BACKGROUND}"/>',
    ]
    x = BAR_X
    for name, colour in legend:
        parts.append(f'<rect x="{x}" y="{top + 2}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 16}" y="{top + 12}" fill="{TEXT}">{_xml(name)}</text>')
        x += 16 + 8 * len(name) + 18
    for i, bar in enumerate(bars):
        y = top + legend_h + i * ROW_H
        parts.append(
            f'<text x="{LABEL_W}" y="{y + 14}" text-anchor="end" fill="{TEXT}">{_xml(_short(bar.label))}</text>'
        )
        bx = float(BAR_X)
        for value, colour in bar.segments:
            if value <= 0:
                continue
            w = BAR_W * value / scale
            parts.append(
                f'<rect x="{bx:.1f}" y="{y + 1}" width="{w:.1f}" height="{BAR_H}" fill="{colour}" '
                f'stroke="{BACKGROUND}" stroke-width="1"/>'
            )
            bx += w
        parts.append(f'<text x="{bx + 6:.1f}" y="{y + 14}" fill="{TEXT}">{_xml(bar.note)}</text>')
    parts.append("</svg>")
    return '<figure class="ck-figure">\n' + "\n".join(parts) + "\n</figure>"


def _label(model: Model, vocab: str, code: Any) -> str:
    return model.vocabularies[vocab].label(str(code), "vi") if code is not None else UNKNOWN


def directive_label(model: Model, d: Mapping[str, Any]) -> str:
    """How a cited document is named in the charts: type and number, else its name or title."""
    number = d.get("number_symbol")
    if number:
        kind = _label(model, "doc_type", d.get("doc_type")) if d.get("doc_type") else ""
        return f"{kind} {number}".strip()
    return str(d.get("name") or d.get("title") or d.get("id"))


# --- the numbers -------------------------------------------------------------------------------


def plans_by_year_level(rows: Mapping[str, list[Row]]) -> dict[int | None, Counter[str | None]]:
    out: dict[int | None, Counter[str | None]] = {}
    for p in rows["plans"]:
        year = p.get("issue_year")
        out.setdefault(int(year) if year is not None else None, Counter())[p.get("issuer_level")] += 1
    return out


def cited_directives(rows: Mapping[str, list[Row]]) -> Counter[str]:
    """Directive id → number of distinct plans citing it."""
    pairs = {(c["plan_id"], c["directive"]) for c in rows["citations"] if c.get("directive")}
    return Counter(d for _, d in pairs)


def lead_tasks(rows: Mapping[str, list[Row]]) -> Counter[str]:
    """Unit id → number of distinct tasks it leads."""
    triples = {(r["unit"], r["plan_id"], r["task_id"]) for r in rows["task_units"] if r.get("role") == "lead"}
    return Counter(u for u, _, _ in triples if u)


def has_deadline(task: Mapping[str, Any]) -> bool:
    """A task has a deadline when the plan gives a date by which it is due (``due_date``) — the
    same rule as the task list's filter, the monitoring page and the calendar. A worded deadline
    without a date ("hằng năm", "định kỳ 6 tháng") cannot be overdue, so it is counted apart
    (:func:`worded_deadline`), not as "có thời hạn" (it made 4 here against 1 in the filter)."""
    return task.get("due_date") not in (None, "")


def worded_deadline(task: Mapping[str, Any]) -> bool:
    """A deadline in words only: "hằng năm", "trước ngày 15 tháng 11 hàng năm", with no date."""
    return not has_deadline(task) and str(task.get("deadline") or "").strip() != ""


# --- the page ----------------------------------------------------------------------------------


def _year_section(model: Model, rows: Mapping[str, list[Row]]) -> str:
    data = plans_by_year_level(rows)
    vocab = list(model.vocabularies["issuer_level"].values)
    present = {lvl for c in data.values() for lvl in c}
    levels: list[str | None] = [lvl for lvl in vocab if lvl in present]
    levels += sorted((lvl for lvl in present if lvl is not None and lvl not in vocab), key=str)
    if None in present:
        levels.append(None)
    colours = {lvl: PALETTE[i % len(PALETTE)] for i, lvl in enumerate(levels)}
    years = sorted((y for y in data if y is not None), key=int) + ([None] if None in data else [])
    names = {lvl: _label(model, "issuer_level", lvl) for lvl in levels}
    bars = [
        Bar(
            str(y) if y is not None else "Không rõ năm",
            tuple((data[y][lvl], colours[lvl]) for lvl in levels),
            str(sum(data[y].values())),
        )
        for y in years
    ]
    total = sum(sum(c.values()) for c in data.values())
    desc = "; ".join(
        f"{b.label}: {b.note} kế hoạch ("
        + ", ".join(f"{names[lvl]} {data[y][lvl]}" for lvl in levels if data[y][lvl])
        + ")"
        for y, b in zip(years, bars, strict=True)
    )
    svg = _svg(
        "chart-plans-year-level",
        f"Số kế hoạch theo năm ban hành và cấp ban hành (tổng {total})",
        desc or "Chưa có kế hoạch.",
        bars,
        [(names[lvl], colours[lvl]) for lvl in levels],
    )
    table = md_table(
        ["Năm", *(esc(names[lvl]) for lvl in levels), "Tổng"],
        [
            [esc(b.label), *(str(data[y][lvl]) for lvl in levels), str(sum(data[y].values()))]
            for y, b in zip(years, bars, strict=True)
        ]
        + [["**Tổng**", *(str(sum(data[y][lvl] for y in years)) for lvl in levels), f"**{total}**"]],
    )
    return f"## Kế hoạch theo năm và cấp ban hành\n\n{svg}\n\n{table}\n"


def _directive_section(model: Model, rows: Mapping[str, list[Row]], page: str) -> str:
    counts = cited_directives(rows)
    catalogue = {d["id"]: d for d in rows["directives"]}
    labels = {d: directive_label(model, catalogue.get(d, {"id": d})) for d in counts}
    top = sorted(counts, key=lambda d: (-counts[d], labels[d], d))[:TOP]
    here = posixpath.dirname(page)
    bars = [Bar(labels[d], ((counts[d], PALETTE[0]),), str(counts[d])) for d in top]
    svg = _svg(
        "chart-cited-directives",
        f"{len(top)} văn bản được nhiều kế hoạch trích dẫn nhất",
        "; ".join(f"{labels[d]}: {counts[d]} kế hoạch" for d in top) or "Chưa có trích dẫn.",
        bars,
    )
    body = []
    for i, d in enumerate(top, 1):
        link = posixpath.relpath(sitemap.directive_md(d), here or ".")
        title = catalogue.get(d, {}).get("title") or catalogue.get(d, {}).get("name") or ""
        body.append([str(i), f"[{esc(labels[d])}]({link})", esc(title), str(counts[d])])
    table = md_table(["#", "Văn bản", "Trích yếu", "Số kế hoạch trích dẫn"], body)
    note = (
        f"Tổng cộng {len(counts)} văn bản được trích dẫn; mỗi kế hoạch được đếm một lần cho mỗi văn bản nó trích dẫn."
    )
    return f"## Văn bản được trích dẫn nhiều nhất\n\n{svg}\n\n{table}\n\n{note}\n"


def _lead_section(model: Model, rows: Mapping[str, list[Row]]) -> str:
    counts = lead_tasks(rows)
    names = {u["id"]: u.get("name") or u["id"] for u in rows["units"]}
    top = sorted(counts, key=lambda u: (-counts[u], str(names.get(u, u)), u))[:TOP]
    bars = [Bar(str(names.get(u, u)), ((counts[u], PALETTE[0]),), str(counts[u])) for u in top]
    svg = _svg(
        "chart-lead-units",
        f"{len(top)} đơn vị chủ trì nhiều nhiệm vụ nhất",
        "; ".join(f"{names.get(u, u)}: {counts[u]} nhiệm vụ" for u in top) or "Chưa có nhiệm vụ.",
        bars,
    )
    table = md_table(
        ["#", "Đơn vị chủ trì", "Số nhiệm vụ chủ trì"],
        [[str(i), esc(names.get(u, u)), str(counts[u])] for i, u in enumerate(top, 1)],
    )
    led = {(r["plan_id"], r["task_id"]) for r in rows["task_units"] if r.get("role") == "lead"}
    without = sum(1 for t in rows["tasks"] if (t["plan_id"], t["id"]) not in led)
    note = (
        f"Một nhiệm vụ có nhiều đơn vị chủ trì được đếm cho mỗi đơn vị. "
        f"{without} trên {len(rows['tasks'])} nhiệm vụ không ghi đơn vị chủ trì."
    )
    return f"## Đơn vị chủ trì nhiều nhiệm vụ nhất\n\n{svg}\n\n{table}\n\n{note}\n"


def _deadline_section(model: Model, rows: Mapping[str, list[Row]]) -> str:
    level_of = {p["id"]: p.get("issuer_level") for p in rows["plans"]}
    groups: dict[str | None, list[int]] = {}
    for t in rows["tasks"]:
        g = groups.setdefault(level_of.get(t["plan_id"]), [0, 0])
        g[0 if has_deadline(t) else 1] += 1
    vocab = list(model.vocabularies["issuer_level"].values)
    order: list[str | None] = [lvl for lvl in vocab if lvl in groups]
    order += sorted((lvl for lvl in groups if lvl is not None and lvl not in vocab), key=str)
    if None in groups:
        order.append(None)
    with_all = sum(g[0] for g in groups.values())
    total = sum(sum(g) for g in groups.values())
    lines = [(_label(model, "issuer_level", lvl), groups[lvl][0], groups[lvl][1]) for lvl in order]
    lines.append(("Tất cả", with_all, total - with_all))
    bars = []
    for name, yes, no in lines:
        whole = yes + no
        # 100% bars: scale each row to the same width
        unit = 1000
        yes_w = round(unit * yes / whole) if whole else 0
        bars.append(
            Bar(name, ((yes_w, WITH_DEADLINE), (unit - yes_w if whole else 0, WITHOUT_DEADLINE)), _pct(yes, whole))
        )
    svg = _svg(
        "chart-task-deadlines",
        f"Tỉ lệ nhiệm vụ có ngày hạn: {_pct(with_all, total)} ({with_all} trên {total})",
        "; ".join(f"{n}: {_pct(y, y + no)} có ngày hạn ({y} trên {y + no})" for n, y, no in lines),
        bars,
        [("Có ngày hạn", WITH_DEADLINE), ("Không có ngày hạn", WITHOUT_DEADLINE)],
    )
    table = md_table(
        ["Cấp ban hành", "Có ngày hạn", "Không có ngày hạn", "Tổng", "Tỉ lệ có ngày hạn"],
        [[esc(n), str(y), str(no), str(y + no), _pct(y, y + no)] for n, y, no in lines],
    )
    worded = sum(worded_deadline(t) for t in rows["tasks"])
    note = (
        "Một nhiệm vụ có ngày hạn khi kế hoạch ghi ngày phải hoàn thành; chỉ những nhiệm vụ này mới có thể quá hạn. "
        f"{worded} nhiệm vụ chỉ ghi thời hạn bằng lời hoặc định kỳ (như “hằng năm”), không có ngày cụ thể, "
        "được tính vào “Không có ngày hạn”."
    )
    return f"## Nhiệm vụ có thời hạn\n\n{svg}\n\n{table}\n\n{note}\n"


def stats_page(model: Model, rows: Mapping[str, list[Row]], page: str = sitemap.STATS) -> str:
    """The statistics page as Markdown. ``page`` is where it is written under ``docs/``, so that
    the links to directive pages (``directives/<id>.md``) are relative to it and MkDocs checks them
    (from ``thong-ke.md`` they render as ``../directives/<id>/``)."""
    n_plans, n_tasks = len(rows["plans"]), len(rows["tasks"])
    intro = (
        f"Số liệu tính từ {n_plans} kế hoạch, {n_tasks} nhiệm vụ và {len(rows['citations'])} trích dẫn "
        "đã công khai, tại thời điểm trang được xây dựng. Mỗi biểu đồ có bảng số liệu đi kèm; "
        "dữ liệu đầy đủ ở trang [Dữ liệu mở](" + posixpath.relpath(sitemap.DATA, posixpath.dirname(page) or ".") + ")."
    )
    sections = [
        _year_section(model, rows),
        _directive_section(model, rows, page),
        _lead_section(model, rows),
        _deadline_section(model, rows),
    ]
    return "# Thống kê\n\n" + intro + "\n\n" + "\n".join(sections)
