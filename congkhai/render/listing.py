"""Generated index pages: one per cited document and per body, plans by year and by province,
and the plan and task lists that readers filter and sort in the browser (no server needed).

Lists are HTML tables inside the Markdown (every value escaped, written by :mod:`.cards`) so that
rows can carry the data attributes ``javascripts/tables.js`` filters on, and cells their column
names for the card layout on a phone; without JavaScript they are plain tables. Every list is cut
into pages of :data:`.cards.PER_PAGE` rows, so no page grows with the corpus.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import cached_property
from typing import Any

from ..derive.status import plan_state
from ..load.rendercache import TextCache
from ..model import sitemap
from ..model.schemas import Model
from ..model.sitemap import plan_md, rel, unit_list_md, unit_md
from ..read.records import Row
from ..vietnamese.text import date_vi
from . import directivelist, filters, groups
from .bodypages import UnitPage, UnitSection, unit_page
from .cards import Cell, Column, Made, Part, h, list_pages, page_count
from .deps import Keyed
from .follow import Follow
from .home import current_province
from .memo import cached
from .shards import FilterRow, row_html


class Listing:
    """Builds the index pages from the published rows."""

    def __init__(
        self,
        model: Model,
        rows: dict[str, list[Row]],
        base_url: str = "",
        today: dt.date | None = None,
        follow: Follow | None = None,
        cache: TextCache | None = None,
    ) -> None:
        self.cache = cache  # pages by the hash of what they show (:mod:`.memo`)
        self.follow = follow  # bodies' and provinces' own feeds and calendars, when built
        self.base_url = base_url
        self.today = today
        self.model = model
        self.rows = rows
        self.plans = {p["id"]: p for p in rows["plans"]}
        self._plan_data: dict[str, FilterRow] = {}  # a plan's row, made once per job (:meth:`pages_of`)
        self._task_data: dict[tuple[str, str], FilterRow] = {}  # a task's row, made once per job
        self._listed: list[Row] | None = None  # :meth:`listed_tasks`
        self.keyed: Keyed | None = None  # jobs and shards keyed by what they read (:mod:`.deps`)
        self.units = {u["id"]: u for u in rows["units"]}
        self.directives = {d["id"]: d for d in rows["directives"]}
        self.provinces = {p["id"]: p for p in rows["provinces"]}
        self.issuers: dict[str, list[str]] = defaultdict(list)
        for r in rows["issuers"]:
            self.issuers[r["plan_id"]].append(r["unit"])
        self.citing: dict[str, list[Row]] = defaultdict(list)
        for c in rows["citations"]:
            self.citing[c["directive"]].append(c)
        self.task_units: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for tu in rows["task_units"]:
            self.task_units[(tu["plan_id"], tu["task_id"])][tu["role"]].append(tu["unit"])
        # unit → role → its tasks and unit → the plans it issued, once: a page per unit must not
        # scan every task and plan of the country (that was quadratic at national scale)
        self.unit_tasks: dict[str, dict[str, list[Row]]] = defaultdict(lambda: defaultdict(list))
        for t in rows["tasks"]:
            for role, unit_ids in self.task_units.get((t["plan_id"], t["id"]), {}).items():
                for unit_id in dict.fromkeys(unit_ids):
                    self.unit_tasks[unit_id][role].append(t)
        self.plan_tasks: dict[str, list[Row]] = defaultdict(list)
        for t in rows["tasks"]:
            self.plan_tasks[t["plan_id"]].append(t)
        self.issued: dict[str, set[str]] = defaultdict(set)
        for pid, unit_ids in self.issuers.items():
            for unit_id in unit_ids:
                self.issued[unit_id].add(pid)

    @cached_property
    def groups(self) -> groups.Groups:
        """The plans by year and by province (:func:`.groups.groups_of`), made once (by :meth:`jobs`)."""
        return groups.groups_of(self)

    def label(self, vocab: str, code: Any) -> str:
        return self.model.vocabularies[vocab].label(str(code)) if code not in (None, "") else ""

    def state_label(self, plan: Row) -> str:
        """The plan's honest state (:mod:`congkhai.derive.status`), as the plan page shows it; the
        record's own status when no date is given to judge the period against."""
        if self.today is None:
            return self.label("plan_status", plan["status"])
        return plan_state(plan, self.plan_tasks.get(plan["id"], []), self.today).label

    def unit_name(self, unit_id: str) -> str:
        return str(self.units.get(unit_id, {}).get("name") or unit_id)

    def plan_link(self, here: str, plan: Row) -> str:
        return f'<a href="{h(rel(here, plan_md(plan)))}">{h(plan["title"])}</a>'

    def unit_link(self, here: str, unit_id: str) -> str:
        return f'<a href="{h(rel(here, unit_md(unit_id)))}">{h(self.unit_name(unit_id))}</a>'

    def directive_name(self, d: Row) -> str:
        kind = self.label("doc_type", d.get("doc_type"))
        number = d.get("number_symbol")
        return f"{kind} {number}" if number else str(d.get("name") or d.get("title") or d["id"])

    def pages(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for job in self.jobs():
            out.update(self.pages_of(job))
        return out

    def jobs(self) -> list[tuple[str, str]]:
        """The pages in their order as independent jobs (rendered in parallel): :meth:`pages_of` each.
        A long list's are :data:`PAGES_PER_JOB` pages each, the filter data's one per list, a group's
        one per year or province (one job each, they grew with the corpus)."""
        return (
            [("pages", f"{name} {start}") for name, total in self._long_lists() for start in total]
            + [("filters", name) for name in filters.FILTERS]
            + groups.jobs(self)
            + [("part", "directive_index")]
            + [("directive", d) for d in self.directives]
            + [("part", "unit_index")]
            + [("unit", u) for u in self.used_units()]
        )

    #: pages of a long list rendered by one job (:meth:`jobs`)
    PAGES_PER_JOB = 20

    def _long_lists(self) -> list[tuple[str, range]]:
        """Each long list and the first page of each of its jobs."""
        counts = [("plan_list", len(self.plans)), ("task_list", len(self.listed_tasks()))]
        return [(name, range(1, page_count(n) + 1, self.PAGES_PER_JOB)) for name, n in counts]

    def pages_of(self, job: tuple[str, str]) -> dict[str, str]:
        """The pages of one job. The rows it made for its lists are let go with it: kept, a worker
        held every row of every job it drew (the task filter's alone is every task: 100 MiB at
        2,000 plans, a copy per worker, growing with the corpus)."""
        try:
            return self._pages_of(job)
        finally:
            self._plan_data.clear()
            self._task_data.clear()

    def _pages_of(self, job: tuple[str, str]) -> dict[str, str]:
        kind, name = job
        if kind == "directive":
            return self.directive_page(name)
        if kind == "unit":
            return self.unit_page(name)
        if kind == "pages":
            which, start = name.split(" ")
            first = int(start)
            made: dict[str, str] = getattr(self, which)(range(first, first + self.PAGES_PER_JOB))
            return made
        if kind == "filters":
            return filters.FILTERS[name](self)
        if kind in groups.JOBS:
            return groups.JOBS[kind](self, name)
        if name in groups.INDEXES:
            return groups.INDEXES[name](self)
        part: dict[str, str] = getattr(self, name)()
        return part

    def used_units(self) -> list[str]:
        used = {u for us in self.issuers.values() for u in us}
        used |= {tu["unit"] for tu in self.rows["task_units"]}
        used |= {s["unit"] for s in self.rows["signers"] if s.get("unit")}
        for unit in list(used):  # parents get pages too, so "Đơn vị cấp trên" links resolve
            seen: set[str] = set()
            while unit in self.units and self.units[unit].get("parent") and unit not in seen:
                seen.add(unit)
                unit = self.units[unit]["parent"]
                used.add(unit)
        return sorted(u for u in used if u in self.units)

    # -- one list page -------------------------------------------------------------------

    def list_pages(
        self,
        first: str,
        title: str,
        intro: str,
        items: Sequence[Any],
        row: Any,
        columns: Sequence[Column],
        table_id: str,
        noun: str,
        keys: str = "",
        numbers: Iterable[int] | None = None,
    ) -> dict[str, str]:
        """A list on pages of at most ``cards.PER_PAGE`` rows (:func:`cards.list_pages`; only the
        pages ``numbers``, when given); a list of :data:`.sitemap.FILTERED_LISTS` says where its
        filter data is (:meth:`filter_data`)."""
        data = None
        if first in sitemap.FILTERED_LISTS:

            def data(here: str) -> dict[str, str]:
                return {
                    "index": sitemap.file_rel(here, sitemap.filter_manifest(first)),
                    "root": sitemap.rel(here, sitemap.HOME),
                }

        return list_pages(
            first, title, intro, items, row, columns, table_id, noun, keys, data=data, cache=self.cache, numbers=numbers
        )

    # -- plan and task lists -------------------------------------------------------------

    PLAN_COLUMNS = (
        Column("Trích yếu", kind="title"),
        Column("Số, ký hiệu", kind="nowrap"),
        Column("Ngày ban hành", kind="nowrap", sort="sort-date"),
        Column("Cơ quan ban hành", "issuer"),
        Column("Cấp", "level"),
        Column("Tỉnh, thành phố", "province"),
        Column("Tình trạng", "status"),
    )

    def province_now(self, p: Row) -> str:
        """The province a plan is filed under today: its own, or the one it merged into on 1 July 2025
        (a plan of the former Bắc Giang is found under Bắc Ninh, as on the home page)."""
        old = str(p.get("province") or "")
        return current_province(self.provinces, old) if old else ""

    def year_value(self, p: Row) -> tuple[str, str]:
        year = str(p.get("issue_year") or "")
        return (year, year) if year else ("khong-ghi", "Không ghi")

    def group(self, p: Row) -> tuple[str, str]:
        """A plan's shard group: its year (newest first, undated last), then its province today."""
        year = str(p.get("issue_year") or "")
        province = self.province_now(p) or sitemap.NO_PROVINCE
        order = f"{9999 - int(year):04d}" if year.isdigit() else "9999"
        return (f"{order}-{province}", f"{year or 'khong-ghi'}-{province}")

    def plan_state_value(self, p: Row) -> tuple[str, str]:
        if self.today is None:
            return (str(p["status"]), self.label("plan_status", p["status"]))
        state = plan_state(p, self.plan_tasks.get(p["id"], []), self.today)
        return (state.code, state.label)

    def plan_data(self, p: Row) -> FilterRow:
        """A plan in a list as data: filter values (code, label), sort attribute, cells."""
        found = self._plan_data.get(p["id"])
        if found is None:
            found = self._plan_data[p["id"]] = self.make_plan_data(p)
        return found

    def make_plan_data(self, p: Row) -> FilterRow:
        issuers = self.issuers.get(p["id"], [])
        province = self.province_now(p)
        values: dict[str, list[tuple[str, str]]] = {
            "type": [(str(p["doc_type"]), self.label("doc_type", p["doc_type"]))],
            "year": [self.year_value(p)],
            "issuer": [(u, self.unit_name(u)) for u in issuers],
            "level": [(str(p["issuer_level"]), self.label("issuer_level", p["issuer_level"]))],
            "province": [(province, str(self.provinces[province]["name"]))] if province in self.provinces else [],
            "status": [self.plan_state_value(p)],
        }
        own = self.provinces.get(p.get("province") or "", {}).get("name", "")
        cells: list[Cell] = [
            (Part(str(p["title"]), plan_md(p)),),
            (Part(str(p.get("number_symbol") or "")),),
            (Part(date_vi(p.get("issue_date"))),),
            tuple(Part(self.unit_name(u), unit_md(u)) for u in issuers),
            (Part(values["level"][0][1]),),
            (Part(str(own)),),
            (Part(values["status"][0][1]),),
        ]
        return FilterRow(self.group(p), values, {"sort-date": str(p.get("issue_date") or "")}, cells)

    row_html = staticmethod(row_html)

    def plan_row(self, here: str, p: Row) -> tuple[dict[str, str], list[str]]:
        """A plan in a list: the title (the link) first, then number, date, issuer, level, place, status."""
        return self.row_html(here, self.plan_data(p))

    def plans_newest_first(self, plans: Any) -> list[Row]:
        return sorted(plans, key=lambda p: (str(p.get("issue_date") or ""), p["id"]), reverse=True)

    def plan_pages(
        self, first: str, title: str, intro: str, plans: list[Row], numbers: Iterable[int] | None = None
    ) -> dict[str, str]:
        return self.list_pages(
            first,
            title,
            intro,
            Made(plans, self.plan_data),
            self.row_html,
            self.PLAN_COLUMNS,
            "bang-ke-hoach",
            "kế hoạch",
            "province issuer type year level status",
            numbers,
        )

    def plan_list(self, numbers: Iterable[int] | None = None) -> dict[str, str]:
        intro = (
            "Lọc theo loại văn bản, năm, cơ quan, cấp, tỉnh và tình trạng; bấm tiêu đề cột để sắp xếp. "
            "Xem thêm: [theo năm](theo-nam.md) · [theo tỉnh, thành phố](theo-tinh.md) · "
            "[nhiệm vụ](../tasks/index.md) · [văn bản được trích dẫn](../directives/index.md) · "
            "[cơ quan, đơn vị](../units/index.md)."
        )
        plans = self.plans_newest_first(self.plans.values())
        return self.plan_pages(sitemap.PLANS, "Danh sách kế hoạch", intro, plans, numbers)

    TASK_COLUMNS = (
        Column("Nhiệm vụ", kind="title"),
        Column("Kế hoạch", kind="wide"),
        Column("Chủ trì", "lead"),
        Column("Phối hợp"),
        Column("Thời hạn", "due", sort="due"),
        Column("Tình trạng", "status"),
    )

    def task_data(self, t: Row) -> FilterRow:
        """A task in a list as data: filter values (code, label), sort attribute, cells."""
        found = self._task_data.get((t["plan_id"], t["id"]))
        if found is None:
            found = self._task_data[(t["plan_id"], t["id"])] = self.make_task_data(t)
        return found

    def make_task_data(self, t: Row) -> FilterRow:
        p = self.plans[t["plan_id"]]
        units = self.task_units.get((t["plan_id"], t["id"]), {})
        leads = [(u, self.unit_name(u)) for u in units.get("lead", [])]
        province = self.province_now(p)
        values: dict[str, list[tuple[str, str]]] = {
            "province": [(province, str(self.provinces[province]["name"]))] if province in self.provinces else [],
            "lead": leads or [("khong-ghi", "Không ghi")],
            "status": [(str(t["status"]), self.label("task_status", t["status"]))],
            "year": [self.year_value(p)],
            "recurrence": [(str(t["recurrence"]), self.label("recurrence", t["recurrence"]))]
            if t.get("recurrence")
            else [],
        }
        text = str(t["text"])
        short = text if len(text) <= 280 else text[:279].rsplit(" ", 1)[0] + " …"
        lead = tuple(Part(name, unit_md(u)) for u, name in leads) or (Part(str(t.get("lead") or "")),)
        partners = tuple(Part(self.unit_name(u), unit_md(u)) for u in units.get("partner", []))
        cells: list[Cell] = [
            (Part(short),),
            (Part(str(p["title"]), plan_md(p)), Part(f"Mục {t['section']}", small=True)),
            lead,
            partners or (Part(str(t.get("partners") or "")),),
            (
                Part(str(t.get("deadline") or "")),
                Part(date_vi(t.get("due_date")) if t.get("due_date") else "", small=True),
            ),
            (Part(values["status"][0][1]),),
        ]
        return FilterRow(self.group(p), values, {"due": str(t.get("due_date") or "")}, cells)

    def task_row(self, here: str, t: Row) -> tuple[dict[str, str], list[str]]:
        """A task in a list: what is to be done first, then its plan, who, by when, where it stands."""
        return self.row_html(here, self.task_data(t))

    def listed_tasks(self) -> list[Row]:
        """The tasks of the published plans, in order: found once (here, before the workers fork,
        when :meth:`jobs` counts the task list's pages). Found again by each job of the task list,
        every task of the country was scanned per twenty pages (2.7 CPU s at 10,000 plans)."""
        if self._listed is None:
            self._listed = [t for t in self.rows["tasks"] if t["plan_id"] in self.plans]
        return self._listed

    def filter_data(self) -> dict[str, str]:
        """The long lists' filter data (:mod:`.shards`): the filters act on the whole list."""
        out: dict[str, str] = {}
        for make in filters.FILTERS.values():
            out.update(make(self))
        return out

    def task_list(self, numbers: Iterable[int] | None = None) -> dict[str, str]:
        tasks = self.listed_tasks()
        intro = (
            "Ai làm, việc gì, thời hạn nào: mọi nhiệm vụ của các kế hoạch. Lọc theo tỉnh, thành phố "
            "và đơn vị chủ trì, tình trạng, năm và thời hạn.\n\n"
            # followers look here: the site-wide progress feed and deadline calendar, in words
            f"Theo dõi: [tiến độ nhiệm vụ (Atom)](../{sitemap.STATUS_FEED}) · "
            f"[lịch thời hạn nhiệm vụ (iCalendar)](../{sitemap.CALENDAR}) — sao chép liên kết vào ứng dụng "
            "đọc tin hoặc lịch của điện thoại, máy tính."
        )
        return self.list_pages(
            sitemap.TASKS,
            "Nhiệm vụ",
            intro,
            Made(tasks, self.task_data),
            self.row_html,
            self.TASK_COLUMNS,
            "bang-nhiem-vu",
            "nhiệm vụ",
            "province lead status year recurrence due",
            numbers,
        )

    # -- directives (:mod:`.directivelist`) ---------------------------------------------------

    def directives_by_citations(self) -> list[Row]:
        return directivelist.directives_by_citations(self)

    def directive_data(self, d: Row) -> FilterRow:
        return directivelist.directive_data(self, d)

    def directive_index(self) -> dict[str, str]:
        return directivelist.directive_index(self)

    def directive_page(self, directive_id: str) -> dict[str, str]:
        return directivelist.directive_page_of(self, directive_id)

    # -- units ---------------------------------------------------------------------------

    def unit_data(self, u: str) -> FilterRow:
        """A body in the list as data: its province today (a former province's bodies are found
        under its successor), kind and level, and its cells."""
        unit = self.units[u]
        old = str(unit.get("province") or "")
        now = current_province(self.provinces, old) if old else ""
        values: dict[str, list[tuple[str, str]]] = {
            "province": [(now, str(self.provinces[now]["name"]))] if now in self.provinces else [],
            "kind": [(str(unit["kind"]), self.label("unit_kind", unit["kind"]))],
            "level": [(str(unit["level"]), self.label("unit_level", unit["level"]))],
        }
        cells: list[Cell] = [
            (Part(self.unit_name(u), unit_md(u)),),
            (Part(values["kind"][0][1]),),
            (Part(values["level"][0][1]),),
            (Part(str(self.provinces.get(old, {}).get("name", ""))),),
        ]
        place = now or sitemap.NO_PROVINCE
        return FilterRow((place, place), values, {}, cells)

    def unit_index(self) -> dict[str, str]:
        columns = [
            Column("Cơ quan, đơn vị", kind="title"),
            Column("Loại", "kind"),
            Column("Cấp", "level"),
            Column("Tỉnh, thành phố", "province"),
        ]
        return self.list_pages(
            sitemap.UNITS,
            "Cơ quan, đơn vị",
            "",
            [self.unit_data(u) for u in self.used_units()],
            self.row_html,
            columns,
            "bang-don-vi",
            "cơ quan, đơn vị",
            "province kind level",
        )

    #: Rows of each list shown on a body's own page; a longer list links to its own pages.
    UNIT_SECTION_ROWS = 20

    UNIT_TASK_COLUMNS = (
        Column("Nhiệm vụ", kind="title"),
        Column("Kế hoạch", kind="wide"),
        Column("Thời hạn", kind="nowrap"),
        Column("Tình trạng"),
    )

    def unit_task_data(self, t: Row) -> FilterRow:
        """A task on a body's page as data: what is to be done, its plan, by when, where it stands."""
        p = self.plans[t["plan_id"]]
        cells: list[Cell] = [
            (Part(str(t["text"])),),
            (Part(str(p["title"]), plan_md(p)), Part(f"Mục {t['section']}", small=True)),
            (Part(str(t.get("deadline") or "")),),
            (Part(self.label("task_status", t["status"])),),
        ]
        return FilterRow(("", ""), {}, {}, cells)

    def unit_page(self, unit_id: str) -> dict[str, str]:
        """A body's page (what it is, its feeds, the first rows of its plans and tasks) and the
        full lists of those rows on pages of their own; each page cached by what it shows."""
        here = unit_md(unit_id)
        u = self.units[unit_id]
        name = str(u["name"])
        province = None
        if u.get("province"):
            province = str(self.provinces.get(u["province"], {}).get("name", u["province"]))
        parent = self.unit_link(here, u["parent"]) if u.get("parent") and u["parent"] in self.units else None
        feeds = None if self.follow is None else tuple(self.follow.unit_links(unit_id))
        out: dict[str, str] = {}
        back = f'<a href="{h(rel(here, here))}">{h(name)}</a>'
        issued = self.plans_newest_first(self.plans[pid] for pid in self.issued.get(unit_id, ()))
        sections: list[tuple[str, str, list[FilterRow], Sequence[Column], str]] = [
            ("ke-hoach", "Kế hoạch ban hành", [self.plan_data(p) for p in issued], self.PLAN_COLUMNS, "kế hoạch"),
        ]
        for role, which, title in (
            ("lead", "chu-tri", "Nhiệm vụ chủ trì"),
            ("partner", "phoi-hop", "Nhiệm vụ phối hợp"),
        ):
            tasks = [self.unit_task_data(t) for t in self.unit_tasks.get(unit_id, {}).get(role, [])]
            sections.append((which, title, tasks, self.UNIT_TASK_COLUMNS, "nhiệm vụ"))
        shown: list[UnitSection] = []
        for which, title, items, columns, noun in sections:
            full = None
            if len(items) > self.UNIT_SECTION_ROWS:
                full = unit_list_md(unit_id, which)
                back = f'<a href="{h(rel(full, here))}">{h(name)}</a>'
                out.update(
                    self.list_pages(
                        full, f"{title} — {name}", back, items, self.row_html, columns, f"bang-{which}", noun
                    )
                )
            rows = tuple(items[: self.UNIT_SECTION_ROWS])
            shown.append(UnitSection(which, title, noun, tuple(columns), len(items), rows, full))
        page = UnitPage(
            here,
            name,
            self.label("unit_kind", u["kind"]),
            self.label("unit_level", u["level"]),
            province,
            parent,
            feeds,
            tuple(shown),
        )
        out[here] = cached(self.cache, "unit-page", page, unit_page)
        return out
