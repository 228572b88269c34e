"""The home page: a way in for a citizen on a phone — search, the latest plans, plans by province
(the 34 provinces since 1 July 2025, with the 63 before mapped onto them), by year and by issuing
body, the counts, and the tasks overdue or due soon.

Generated Markdown, a pure function of the published rows and "today"; every value from a plan is
escaped (:func:`.markdown.esc`), links between pages are Markdown links MkDocs' strict mode checks.
The search box is a plain form that opens the search page with ``?q=`` (the search page's script
reads it), so it works before and without any script of the home page.
"""

from __future__ import annotations

import datetime as dt
import html
import posixpath
from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Any

from ..derive.monitoring import shorten, task_state
from ..model import sitemap
from ..read.records import Row
from ..vietnamese.text import date_vi, fold
from .markdown import esc, front_matter
from .monitoring import deadline_summary

#: Plans listed under "Kế hoạch mới nhất", and at most per province, year or body on the home page
#: (the full lists are one link away): the page stays small at national scale.
LATEST = 6
PER_GROUP = 3
#: Issuing bodies listed on the home page, those with the most plans (thousands at national scale).
BODIES = 20
#: Tasks listed under "Sắp đến hạn": due within this many days.
SOON_DAYS = 30
#: The day the 63 provinces became 34 (Resolution 202/2025/QH15).
MERGER = "2025-07-01"
MERGER_VI = "1/7/2025"  # as people write it


def _link(here: str, target: str, text: str) -> str:
    """A Markdown link between source pages (MkDocs strict mode checks it); ``text`` is escaped."""
    return f"[{text}]({posixpath.relpath(target, posixpath.dirname(here) or '.')})"


def current_province(provinces: Mapping[str, Row], pid: str) -> str:
    """The province (after 1 July 2025) a province id belongs to now: its successor, followed to
    the end (a unit that was not merged is its own successor)."""
    seen = set()
    while pid in provinces and provinces[pid].get("successor") and pid not in seen:
        seen.add(pid)
        pid = str(provinces[pid]["successor"])
    return pid


def former_note(provinces: Mapping[str, Row], old: str, new: str) -> str:
    """ "trước 1/7/2025 thuộc tỉnh Bắc Giang" when a plan's province was merged into another
    (empty when it kept its unit, or merged keeping its name: "Cần Thơ" is still Cần Thơ)."""
    before, after = provinces.get(old), provinces.get(new)
    if old == new or before is None or after is None or before.get("name") == after.get("name"):
        return ""
    return f"trước {MERGER_VI} thuộc {esc(before.get('type') or 'tỉnh')} {esc(before['name'])}"


def _newest_first(plans: list[Row]) -> list[Row]:
    return sorted(plans, key=lambda p: (str(p.get("issue_date") or ""), str(p["id"])), reverse=True)


def home_page(rows: Mapping[str, list[Row]], today: dt.date, search_path: str = sitemap.SEARCH) -> str:
    """The home page's Markdown (page :data:`.sitemap.HOME`)."""
    here = sitemap.HOME
    plans = _newest_first(list(rows.get("plans", [])))
    units = {str(u["id"]): u for u in rows.get("units", [])}
    provinces = {str(p["id"]): p for p in rows.get("provinces", [])}
    issuers: dict[str, list[str]] = defaultdict(list)
    for i in rows.get("issuers", []):
        issuers[str(i["plan_id"])].append(str(i["unit"]))
    plan_by_id = {str(p["id"]): p for p in plans}

    def issuer_names(pid: str) -> str:
        return ", ".join(esc(units.get(u, {}).get("name") or u) for u in issuers.get(pid, []))

    def plan_item(plan: Row, note: str = "") -> str:
        pid = str(plan["id"])
        bits = [b for b in (issuer_names(pid), date_vi(plan.get("issue_date")) if plan.get("issue_date") else "") if b]
        line = "- " + _link(here, sitemap.plan_md(plan), esc(plan["title"]))
        if bits:
            line += " — " + ", ".join(bits)
        if note:
            line += f" *({note})*"
        return line

    out = [
        front_matter(
            {
                "title": "Trang chủ",
                "description": (
                    f"Tìm và theo dõi {len(plans)} kế hoạch công tác dân vận chính quyền và thực hiện dân chủ ở cơ sở "
                    "của cơ quan nhà nước ở địa phương: toàn văn, nhiệm vụ, thời hạn, theo tỉnh, năm và cơ quan ban hành."
                ),
                "hide": ["toc"],
            }
        ),
        "# Công khai kế hoạch dân vận chính quyền, dân chủ ở cơ sở",
        "",
        "Toàn văn các kế hoạch, việc ai làm và đến khi nào, để dân biết, dân bàn, dân làm, dân kiểm tra, dân giám sát.",
        "",
        # A plain form: works without script; the search page reads ?q= (docs/javascripts/search.js).
        '<form class="ck-home-search" action="'
        + html.escape(sitemap.rel(here, search_path))
        + '" method="get" role="search">',
        '<label for="ck-home-q">Tìm kế hoạch, nhiệm vụ, cơ quan</label>',
        '<div class="ck-home-search__row">',
        '<input id="ck-home-q" name="q" type="search" placeholder="Ví dụ: dân vận" autocomplete="off">',
        '<button type="submit">Tìm</button>',
        "</div>",
        "</form>",
        "",
    ]
    tasks = rows.get("tasks", [])
    body_ids = sorted({u for us in issuers.values() for u in us})
    with_plans = {current_province(provinces, str(p.get("province") or "")) for p in plans if p.get("province")}
    out += [
        f"**{len(plans)}** kế hoạch · **{len(tasks)}** nhiệm vụ · **{len(rows.get('directives', []))}** văn bản "
        f"được trích dẫn · **{len(body_ids)}** cơ quan ban hành · **{len(with_plans)}** tỉnh, thành phố",
        "",
        "## Kế hoạch mới nhất",
        "",
        *(plan_item(p) for p in plans[:LATEST]),
        "",
        _link(here, sitemap.PLANS, f"Xem tất cả {len(plans)} kế hoạch →"),
        "",
    ]
    out += _by_province(here, plans, provinces, plan_item)
    out += _by_year(here, plans, plan_item)
    out += ["## Theo cơ quan ban hành", ""]
    counts = Counter(u for us in issuers.values() for u in set(us))
    if len(body_ids) > BODIES:
        out += [f"{BODIES} trong số {len(body_ids)} cơ quan ban hành nhiều kế hoạch nhất:", ""]
    busiest = sorted(body_ids, key=lambda u: (-counts[u], fold(str(units.get(u, {}).get("name") or u)), u))[:BODIES]
    for uid in sorted(busiest, key=lambda u: (fold(str(units.get(u, {}).get("name") or u)), u)):
        name = esc(units.get(uid, {}).get("name") or uid)
        target = sitemap.unit_md(uid)
        out.append(f"- {_link(here, target, name)} ({counts[uid]})")
    out += ["", _link(here, sitemap.UNITS, "Tất cả cơ quan, đơn vị →"), ""]
    out += _tasks(here, rows, today, plan_by_id)
    out += [
        "## Theo dõi kế hoạch",
        "",
        "Nhận tin khi có kế hoạch mới hoặc khi tiến độ nhiệm vụ thay đổi, bằng trình đọc tin (Atom) hoặc ứng dụng lịch:",
        "",
        f"- {_link(here, sitemap.PLANS_FEED, 'Kế hoạch mới công khai')} (Atom)",
        f"- {_link(here, sitemap.STATUS_FEED, 'Tiến độ thực hiện nhiệm vụ')} (Atom)",
        f"- {_link(here, sitemap.CALENDAR, 'Lịch thời hạn nhiệm vụ')} (iCalendar, thêm vào lịch điện thoại)",
        f"- {_link(here, sitemap.DATA, 'Dữ liệu mở')}: toàn bộ dữ liệu dạng CSV, JSON, tự do sử dụng với điều kiện ghi nguồn",
        "",
    ]
    return "\n".join(out).rstrip("\n") + "\n"


def _by_province(here: str, plans: list[Row], provinces: Mapping[str, Row], plan_item: Any) -> list[str]:
    """Plans under the 34 provinces of today; a plan of a merged province is listed under its
    successor with the former name beside it, so a reader of Bắc Ninh finds Bắc Giang's plans."""
    current = sorted(
        (p for p in provinces.values() if not p.get("valid_until") and not p.get("successor")),
        key=lambda p: (fold(str(p["name"])), str(p["id"])),
    )
    groups: dict[str, list[Row]] = defaultdict(list)
    for plan in plans:
        old = str(plan.get("province") or "")
        groups[current_province(provinces, old) if old else sitemap.NO_PROVINCE].append(plan)
    out = [
        "## Theo tỉnh, thành phố",
        "",
        f"{len(current)} tỉnh, thành phố từ ngày {MERGER_VI}. Kế hoạch ban hành trước đó được xếp "
        "vào tỉnh, thành phố hiện nay; tên tỉnh cũ ghi bên cạnh.",
        "",
    ]
    empty = []
    for prov in current:
        pid = str(prov["id"])
        items = groups.get(pid, [])
        if not items:
            empty.append(esc(prov["name"]))
            continue
        page = sitemap.plans_province_md(pid)
        out.append(f"- **{_link(here, page, esc(prov['name']))}** — {len(items)} kế hoạch")
        out += [
            "    " + plan_item(p, former_note(provinces, str(p.get("province") or ""), pid)) for p in items[:PER_GROUP]
        ]
        if len(items) > PER_GROUP:
            out.append("    - " + _link(here, page, f"và {len(items) - PER_GROUP} kế hoạch khác →"))
    if groups.get(sitemap.NO_PROVINCE):
        items = groups[sitemap.NO_PROVINCE]
        out.append(f"- **Không thuộc tỉnh, thành phố nào** — {len(items)} kế hoạch")
        out += ["    " + plan_item(p) for p in items[:PER_GROUP]]
    out.append("")
    if empty:
        out += [f"Chưa có kế hoạch công khai: {', '.join(empty)}.", ""]
    out += [_link(here, sitemap.PLANS_BY_PROVINCE, "Kế hoạch theo tỉnh, thành phố →"), ""]
    return out


def _by_year(here: str, plans: list[Row], plan_item: Any) -> list[str]:
    years: dict[str, list[Row]] = defaultdict(list)
    for plan in plans:
        years[str(plan.get("issue_date") or "")[:4] or "Không rõ năm"].append(plan)
    out = ["## Theo năm ban hành", ""]
    for year in sorted(years, key=lambda y: (not y[:1].isdigit(), "" if not y[:1].isdigit() else str(9999 - int(y)))):
        out.append(f"- **{esc(year)}** — {len(years[year])} kế hoạch")
        out += ["    " + plan_item(p) for p in years[year][:PER_GROUP]]
        if len(years[year]) > PER_GROUP:
            out.append(
                "    - " + _link(here, sitemap.PLANS_BY_YEAR, f"và {len(years[year]) - PER_GROUP} kế hoạch khác →")
            )
    return [*out, "", _link(here, sitemap.PLANS_BY_YEAR, "Kế hoạch theo năm →"), ""]


def _tasks(here: str, rows: Mapping[str, list[Row]], today: dt.date, plan_by_id: Mapping[str, Row]) -> list[str]:
    """Tasks overdue and due within :data:`SOON_DAYS`, with how many tasks have a date at all."""
    states = task_state(rows.get("tasks", []), rows.get("task_updates", []), today)
    soon_end = (today + dt.timedelta(days=SOON_DAYS)).isoformat()
    overdue = [s for s in states if s["overdue"]]
    soon = [
        s
        for s in states
        if s["due_date"] and today.isoformat() <= s["due_date"] <= soon_end and s["status"] not in ("done", "cancelled")
    ]

    def item(s: dict[str, Any]) -> str:
        plan = plan_by_id.get(str(s["plan_id"]))
        where = _link(here, sitemap.plan_md(plan), esc(plan.get("number_symbol") or plan["title"])) if plan else ""
        return f"- **{date_vi(s['due_date'])}** — {esc(shorten(s['text']))}" + (f" ({where})" if where else "")

    out = [
        "## Nhiệm vụ quá hạn, sắp đến hạn",
        "",
        f"Tính đến ngày {date_vi(today.isoformat())}: {deadline_summary(states)}.",
        "",
    ]
    for title, items in (
        (f"Quá hạn ({len(overdue)})", overdue),
        (f"Đến hạn trong {SOON_DAYS} ngày tới ({len(soon)})", soon),
    ):
        out += [f"**{title}**", ""]
        ordered = sorted(items, key=lambda s: (s["due_date"], str(s["plan_id"]), str(s["task_id"])))
        out += [item(s) for s in ordered[:10]] or ["Không có."]
        out.append("")
    return [*out, _link(here, sitemap.MONITORING, "Theo dõi thực hiện theo đơn vị, theo kế hoạch →"), ""]
