"""Feeds and calendars to follow one plan, one issuing body or one province, linked where the
reader is: a "Theo dõi" block on the plan's, the body's and the province's page, and
``<link rel="alternate">`` in those pages' head (front matter ``feeds``, printed escaped by
``overrides/main.html``).

- a plan: an Atom feed of its changes (each version of its file, titled by what it changed in
  Vietnamese, and its tasks' status changes) and an iCalendar of its tasks' deadlines;
- an issuing body: an Atom feed of the plans it issued and an iCalendar of the deadlines of the
  tasks it leads;
- a province of today (the 34 since 1 July 2025): an Atom feed of its plans, those of the
  provinces merged into it included (a plan of former Bắc Giang belongs to Bắc Ninh), and an
  iCalendar of their tasks' deadlines.

The files are written by the one Atom writer (:mod:`.feeds`) and the one iCalendar writer
(:mod:`.calendar`). Every feed is bounded (:data:`FEED_ENTRIES`, :data:`CALENDAR_EVENTS`), so none
grows with the corpus or with time. A feed is always written (an empty feed is valid and fills as
the plan changes); a calendar only when at least one task has a due date — a calendar with no
event helps no one, and the page says in words that there is none yet. File names are ids,
checked to be slugs by :func:`.sitemap.follow_file` — never a title.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..derive.monitoring import _key, status_changes, task_state
from ..load.rendercache import TextCache
from ..model import sitemap
from ..model.schemas import Model
from ..read.history import Version
from ..read.records import Row
from . import calendar, feeds
from .home import MERGER_VI, current_province
from .markdown import esc
from .memo import cached_files

#: Entries in each feed of this module: the newest plans, or a plan's newest changes.
FEED_ENTRIES = 50
#: Events in each calendar of this module: the tasks due last (the oldest deadlines drop out).
CALENDAR_EVENTS = 500
#: Characters of a task's text in an event's description (the event links the plan page, where the
#: text is whole): a task is in up to four calendars, and its text is most of an event's bytes.
EVENT_TEXT = 300

ATOM_TYPE = "application/atom+xml"
ICS_TYPE = "text/calendar"


@dataclass(frozen=True)
class Link:
    """One feed or calendar to offer: its MIME type, its path below the site root, the title of its
    ``<link>`` in the head, the link's text and the sentence that explains it."""

    type: str
    path: str
    title: str
    text: str
    explain: str


def _file(kind: str, ident: Any, ext: str) -> str | None:
    """The file's path, or None when the id is not a slug (no file, no link; the checks report it)."""
    try:
        return sitemap.follow_file(kind, str(ident), ext)
    except ValueError:
        return None


class Follow:
    """What can be followed in the published rows, and the feeds and calendars that follow it."""

    def __init__(
        self,
        model: Model,
        rows: Mapping[str, list[Row]],
        today: dt.date,
        base_url: str,
        updated: str,
        issuer_names: Mapping[str, Sequence[str]],
        *,
        changed: Mapping[str, str] | None = None,
        reference: str | None = None,
        cache: TextCache | None = None,
    ) -> None:
        self.cache = cache  # each job's files by the hash of what they show (:mod:`.memo`)
        self.model, self.rows, self.today = model, rows, today
        self.changed = changed or {}  # plan id → time of the last commit that changed its file
        self.reference = reference  # when the reference tables (bodies' and provinces' names) last changed
        self.base_url, self.updated, self.issuer_names = base_url.rstrip("/"), updated, issuer_names
        self.provinces = {str(p["id"]): p for p in rows.get("provinces", [])}
        self.units = {str(u["id"]): u for u in rows.get("units", [])}
        self.plans = {str(p["id"]): p for p in rows.get("plans", [])}
        self.tasks = {_key(t): t for t in rows.get("tasks", [])}
        # everything grouped once: a page or file per plan, body or province must not scan the country
        self.province_of = {pid: self.current(p.get("province")) for pid, p in self.plans.items()}
        self.province_plans: dict[str, list[Row]] = defaultdict(list)
        for pid, plan in self.plans.items():
            self.province_plans[self.province_of[pid]].append(plan)
        issued: dict[str, dict[str, Row]] = defaultdict(dict)  # unit → plan id → plan, each once
        for issuer in rows.get("issuers", []):
            if (found_plan := self.plans.get(str(issuer["plan_id"]))) is not None:
                issued[str(issuer["unit"])][str(issuer["plan_id"])] = found_plan
        self.unit_plans = {unit: list(plans.values()) for unit, plans in issued.items()}
        every = task_state(rows.get("tasks", []), rows.get("task_updates", []), today)
        dated = calendar.dated(every)
        self.plan_states: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
        self.province_states: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
        by_task: dict[tuple[str, str], Mapping[str, Any]] = {}
        for s in dated:
            pid = str(s["plan_id"])
            self.plan_states[pid].append(s)
            self.province_states[self.province_of.get(pid, sitemap.NO_PROVINCE)].append(s)
            by_task[(pid, str(s["task_id"]))] = s
        # the tasks without a due date, counted where they would be: each calendar says how many
        # it leaves out (X-WR-CALDESC)
        self.plan_undated: dict[str, int] = defaultdict(int)
        self.province_undated: dict[str, int] = defaultdict(int)
        undated_tasks: set[tuple[str, str]] = set()
        for s in every:
            key = (str(s["plan_id"]), str(s["task_id"]))
            if key not in by_task:
                undated_tasks.add(key)
                self.plan_undated[key[0]] += 1
                self.province_undated[self.province_of.get(key[0], sitemap.NO_PROVINCE)] += 1
        led: dict[str, dict[tuple[str, str], Mapping[str, Any]]] = defaultdict(dict)  # each task once
        led_undated: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for tu in rows.get("task_units", []):
            key = (str(tu["plan_id"]), str(tu["task_id"]))
            if tu["role"] == "lead" and key in by_task:
                led[str(tu["unit"])][key] = by_task[key]
            elif tu["role"] == "lead" and key in undated_tasks:
                led_undated[str(tu["unit"])].add(key)
        self.unit_states = {unit: calendar.dated(states.values()) for unit, states in led.items()}
        self.unit_undated = {unit: len(keys) for unit, keys in led_undated.items()}
        self.ends = calendar.period_ends(self.plans.values(), rows.get("tasks", []))
        self.changes: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for c in status_changes(rows.get("tasks", []), rows.get("task_updates", [])):
            self.changes[str(c.get("plan_id"))].append(c)

    # -- who is who ----------------------------------------------------------------------------

    def current(self, province: Any) -> str:
        """The province of today a plan's province belongs to (:data:`.sitemap.NO_PROVINCE` for none)."""
        return current_province(self.provinces, str(province)) if province else sitemap.NO_PROVINCE

    def province_name(self, province_id: str) -> str:
        found = self.provinces.get(province_id)
        return str(found["name"]) if found else "Trung ương"

    def former(self, province_id: str) -> list[str]:
        """Names of the provinces merged into ``province_id`` on 1 July 2025 (other names only)."""
        name = self.province_name(province_id)
        out = {
            str(p["name"])
            for pid, p in self.provinces.items()
            if pid != province_id and self.current(pid) == province_id and str(p["name"]) != name
        }
        return sorted(out)

    # -- the links -----------------------------------------------------------------------------

    def plan_links(self, plan: Mapping[str, Any]) -> list[Link]:
        pid = str(plan["id"])
        out = []
        if path := _file("plan", pid, "xml"):
            out.append(
                Link(
                    ATOM_TYPE,
                    path,
                    "Thay đổi của kế hoạch này",
                    "Nhận thông báo khi kế hoạch thay đổi (RSS/Atom)",
                    "Mỗi lần văn bản được sửa hoặc một nhiệm vụ đổi tình trạng. Sao chép liên kết này "
                    "vào ứng dụng đọc tin (RSS/Atom) trên điện thoại hoặc máy tính.",
                )
            )
        n = len(self.plan_states.get(pid, []))
        if n and (path := _file("plan", pid, "ics")):
            out.append(
                Link(
                    ICS_TYPE,
                    path,
                    "Thời hạn nhiệm vụ của kế hoạch này",
                    "Thêm thời hạn nhiệm vụ vào lịch (iCalendar)",
                    f"{n} nhiệm vụ có thời hạn. Thêm liên kết này vào lịch của điện thoại hoặc máy tính "
                    "(mục đăng ký lịch theo địa chỉ); lịch tự cập nhật khi thời hạn thay đổi.",
                )
            )
        return out

    def unit_links(self, unit_id: str) -> list[Link]:
        out = []
        if self.unit_plans.get(unit_id) and (path := _file("unit", unit_id, "xml")):
            out.append(
                Link(
                    ATOM_TYPE,
                    path,
                    "Kế hoạch mới của cơ quan, đơn vị này",
                    "Nhận thông báo khi cơ quan, đơn vị này ban hành kế hoạch mới (RSS/Atom)",
                    "Sao chép liên kết này vào ứng dụng đọc tin (RSS/Atom) trên điện thoại hoặc máy tính.",
                )
            )
        n = len(self.unit_states.get(unit_id, []))
        if n and (path := _file("unit", unit_id, "ics")):
            out.append(
                Link(
                    ICS_TYPE,
                    path,
                    "Thời hạn nhiệm vụ cơ quan, đơn vị này chủ trì",
                    "Thêm thời hạn các nhiệm vụ cơ quan, đơn vị này chủ trì vào lịch (iCalendar)",
                    f"{n} nhiệm vụ có thời hạn. Thêm liên kết này vào lịch của điện thoại hoặc máy tính "
                    "(mục đăng ký lịch theo địa chỉ); lịch tự cập nhật.",
                )
            )
        return out

    def province_links(self, province_id: str) -> list[Link]:
        """The feeds of the province of today that ``province_id`` (of a plan, maybe a former one) belongs to."""
        current = self.current(province_id) if province_id != sitemap.NO_PROVINCE else province_id
        name = self.province_name(current)
        out = []
        if self.province_plans.get(current) and (path := _file("province", current, "xml")):
            out.append(
                Link(
                    ATOM_TYPE,
                    path,
                    f"Kế hoạch mới — {name}",
                    f"Nhận thông báo khi có kế hoạch mới của {name} (RSS/Atom)",
                    "Sao chép liên kết này vào ứng dụng đọc tin (RSS/Atom) trên điện thoại hoặc máy tính.",
                )
            )
        n = len(self.province_states.get(current, []))
        if n and (path := _file("province", current, "ics")):
            out.append(
                Link(
                    ICS_TYPE,
                    path,
                    f"Thời hạn nhiệm vụ — {name}",
                    f"Thêm thời hạn nhiệm vụ của các kế hoạch ở {name} vào lịch (iCalendar)",
                    f"{n} nhiệm vụ có thời hạn. Thêm liên kết này vào lịch của điện thoại hoặc máy tính "
                    "(mục đăng ký lịch theo địa chỉ); lịch tự cập nhật.",
                )
            )
        return out

    def province_note(self, province_id: str) -> str:
        """Why a former province's page offers its successor's feeds (empty when it is its own)."""
        current = self.current(province_id) if province_id != sitemap.NO_PROVINCE else province_id
        before, after = self.province_name(province_id), self.province_name(current)
        if current == province_id or before == after:
            return ""
        return (
            f"Từ ngày {MERGER_VI}, {esc(before)} thuộc {esc(after)}: thông báo và lịch dưới đây là của "
            f"{esc(after)}, gồm cả các kế hoạch của {esc(before)}."
        )

    # -- the files -----------------------------------------------------------------------------

    def files(self) -> dict[str, str]:
        """Every body's and province's feed and calendar, and every plan's calendar (path below
        the site root → text); plans' feeds need their history: :meth:`plan_feed`."""
        out: dict[str, str] = {}
        for job in self.file_jobs():
            out.update(self.files_of(job))
        return out

    def file_jobs(self) -> list[tuple[str, str]]:
        """What :meth:`files` writes, one (kind, id) a plan, body or province, in its order: each
        job's files are :meth:`files_of` it, independent of the others (rendered in parallel)."""
        return (
            [("plan", pid) for pid in sorted(self.plans)]
            + [("unit", unit_id) for unit_id in sorted(self.units)]
            + [("province", province_id) for province_id in sorted(self.province_plans)]
        )

    def files_of(self, job: tuple[str, str]) -> dict[str, str]:
        """The feed and calendar of one plan, body or province (a job of :meth:`file_jobs`),
        rendered from what they show alone (:func:`_files`) and cached by its hash."""
        parts = tuple(self._parts(job))
        inputs = (self.base_url, self.today, self._dated(parts), parts)
        model = self.model  # declared by the schemas: in the cache's fingerprint
        return cached_files(self.cache, "follow", inputs, lambda shown: _files(model, shown))

    def _dated(self, parts: Sequence[tuple[Any, ...]]) -> str:
        """The date of one job's files (the feed's ``updated``, the calendar's ``DTSTAMP``): when what
        they show last changed — the newest change of the plans they show, or of the reference
        tables when later. A merge that changes one plan then changes only the files that show it:
        the others keep their bytes (a feed reader or a cache sees them unchanged, and a rebuild
        neither renders nor writes them again). The sources' date (``updated``) when a shown plan's
        change is not known (no git history) or nothing is shown."""
        shown = {str(pid) for part in parts for pid in _shown(part)}
        dates = [self.changed.get(pid) for pid in sorted(shown)]
        if not dates or any(d is None for d in dates):
            return self.updated
        known = [d for d in dates if d is not None] + ([self.reference] if self.reference else [])
        return max(known, key=_instant)

    def _parts(self, job: tuple[str, str]) -> list[tuple[Any, ...]]:
        """What each file of a job shows: ("ics", path, name, undated, states, their plans, the
        plans' period ends) or ("atom", path, key, title, subtitle, page, the newest plans, their
        issuers' names, their last changes)."""
        kind, ident = job
        out: list[tuple[Any, ...]] = []
        if kind == "plan":
            plan = self.plans[ident]
            states = self.plan_states.get(ident)
            if states and (path := _file("plan", ident, "ics")):
                name = f"hạn nhiệm vụ — {plan.get('number_symbol') or plan.get('title')}"
                out.append(self._calendar_part(path, states, name, self.plan_undated.get(ident, 0)))
        elif kind == "unit":
            unit_id = ident
            name = str(self.units[unit_id].get("name") or unit_id)
            plans = self.unit_plans.get(unit_id)
            if plans and (path := _file("unit", unit_id, "xml")):
                out.append(
                    self._feed_part(
                        path, f"unit:{unit_id}", f"kế hoạch của {name}", f"Kế hoạch do {name} ban hành", plans,
                        sitemap.md_url(sitemap.unit_md(unit_id)),
                    )
                )  # fmt: skip
            states = self.unit_states.get(unit_id)
            if states and (path := _file("unit", unit_id, "ics")):
                out.append(
                    self._calendar_part(path, states, f"hạn nhiệm vụ {name} chủ trì", self.unit_undated.get(unit_id, 0))
                )
        else:
            province_id = ident
            name = self.province_name(province_id)
            former = self.former(province_id)
            subtitle = f"Kế hoạch của {name}" + (
                f", gồm cả kế hoạch của {', '.join(former)} (trước {MERGER_VI})" if former else ""
            )
            if path := _file("province", province_id, "xml"):
                out.append(
                    self._feed_part(
                        path, f"province:{province_id}", f"kế hoạch của {name}", subtitle,
                        self.province_plans[province_id], sitemap.md_url(sitemap.plans_province_md(province_id)),
                    )
                )  # fmt: skip
            states = self.province_states.get(province_id)
            if states and (path := _file("province", province_id, "ics")):
                undated = self.province_undated.get(province_id, 0)
                out.append(self._calendar_part(path, states, f"hạn nhiệm vụ — {name}", undated))
        return out

    def _calendar_part(
        self, path: str, states: Sequence[Mapping[str, Any]], name: str, undated: int
    ) -> tuple[Any, ...]:
        pids = list(dict.fromkeys(str(s["plan_id"]) for s in states))
        plans = tuple((pid, self.plans[pid]) for pid in pids if pid in self.plans)
        ends = tuple((pid, self.ends[pid]) for pid in pids if pid in self.ends)
        return ("ics", path, name, undated, tuple(states), plans, ends)

    def _feed_part(
        self, path: str, key: str, title: str, subtitle: str, plans: list[Row], html: str
    ) -> tuple[Any, ...]:
        # the feed shows its newest plans only (:func:`.feeds.atom_feed`'s order): only they are given
        newest = sorted(plans, key=lambda p: str(p.get("id")))
        newest.sort(key=lambda p: str(p.get("issue_date") or ""), reverse=True)
        newest = newest[:FEED_ENTRIES]
        ids = [str(p["id"]) for p in newest]
        names = tuple((pid, tuple(self.issuer_names[pid])) for pid in ids if pid in self.issuer_names)
        changed = tuple((pid, self.changed[pid]) for pid in ids if pid in self.changed)
        return ("atom", path, key, title, subtitle, html, tuple(newest), names, changed)

    def plan_feed(
        self, plan: Mapping[str, Any], versions: Sequence[Version], said: Mapping[str, str]
    ) -> dict[str, str]:
        """The plan's feed of changes (path → text): ``versions`` of its file, newest first, and
        ``said`` (sha → what the version changed, :func:`.history.summaries`)."""
        pid = str(plan["id"])
        # a feed without entries is dated by its plan's last change (an issue date may be a month only)
        dated = self.changed.get(pid) or self.updated
        return plan_changes(
            self.model, plan, versions, said, self.changes.get(pid, []), self.tasks, self.base_url, dated
        )


def _shown(part: tuple[Any, ...]) -> list[Any]:
    """The plan ids one part of :meth:`Follow._parts` shows."""
    if part[0] == "ics":
        return [pid for pid, _ in part[5]]
    return [plan["id"] for plan in part[6]]


def _instant(stamp: str) -> dt.datetime:
    """An ISO 8601 time as an instant (``2025-01-01T08:00:00+07:00`` is before ``…T02:00:00Z``),
    for comparing times written with different offsets; a date alone is its day's start in UTC."""
    try:
        when = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return dt.datetime.min.replace(tzinfo=dt.UTC)
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)


def plan_changes(
    model: Model,
    plan: Mapping[str, Any],
    versions: Sequence[Version],
    said: Mapping[str, str],
    changes: Sequence[Mapping[str, Any]],
    tasks: Mapping[tuple[str, str], Mapping[str, Any]],
    base_url: str,
    dated: str,
) -> dict[str, str]:
    """:meth:`Follow.plan_feed` from what it shows alone: the plan's tasks' status ``changes``, those
    ``tasks``, and the date a feed without entries carries."""
    path = _file("plan", plan["id"], "xml")
    if path is None:
        return {}
    data = feeds.plan_changes_feed(
        plan, versions, said, changes, tasks, base_url, dated, model, self_path=path, limit=FEED_ENTRIES
    )
    return {path: data.decode()}


def _files(model: Model, shown: tuple[Any, ...]) -> dict[str, str]:
    """The files of one job of :meth:`Follow.files_of` from what they show alone (path → text)."""
    base_url, today, updated, parts = shown
    out: dict[str, str] = {}
    for part in parts:
        if part[0] == "ics":
            _, path, name, undated, states, plans, ends = part
            out[path] = calendar.ics_feed(
                {},
                base_url,
                today,
                model,
                states=states,
                name=name,
                limit=CALENDAR_EVENTS,
                text_limit=EVENT_TEXT,
                plans=dict(plans),
                updated=updated,
                ends=dict(ends),
                undated=undated,
            ).decode()
        else:
            _, path, key, title, subtitle, html, plans, names, changed = part
            out[path] = feeds.atom_feed(
                plans,
                base_url,
                updated,
                issuer_names=dict(names),
                changed=dict(changed),
                limit=FEED_ENTRIES,
                model=model,
                key=key,
                title=title,
                subtitle=subtitle,
                self_path=path,
                html_path=html,
            ).decode()
    return out


def head(links: Sequence[Link]) -> list[dict[str, str]]:
    """Front matter ``feeds``: the page's own feeds for ``<link rel="alternate">`` in its head."""
    return [{"type": link.type, "title": link.title, "href": link.path} for link in links]


def block(
    here: str, heading: str, links: Sequence[Link], *, anchor: str = "", note: str = "", none: str = ""
) -> list[str]:
    """The "Theo dõi" block of the page ``here``: each link with what it does, in plain words.

    With an ``anchor``, a section (``## heading``, for the plan page's contents); without, a folded
    box under the page's title. ``heading`` is plain text of this module's own (no data); ``note``
    is escaped already; ``none`` is said when there is nothing to follow.
    """
    body = [note, ""] if note else []
    if not links:
        body += [none or "Chưa có thông báo hay lịch để theo dõi.", ""]
    for link in links:
        target = posixpath.relpath(link.path, posixpath.dirname(here) or ".")
        body += [f"- [{esc(link.text)}]({target})  ", f"  {esc(link.explain)}"]
    body.append("")
    if anchor:
        return [f"## {heading} {{#{anchor}}}", "", *body]
    # folded (a <details>): the box sits above the list, whose first titles must stay on a
    # phone's first screen
    return [f'??? note ck-follow "{heading}"', ""] + [("    " + line) if line else "" for line in body]
