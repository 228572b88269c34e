"""Generate the site's Markdown pages from validated records.

Pages are plain Markdown written before the site build, so any MkDocs-compatible engine can
render them without plugins. Every front-matter value is escaped: it is data, never markup.
"""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import re
from collections.abc import Callable, Sequence
from typing import Any

from ..derive.status import State, plan_state, progress
from ..load.rendercache import TextCache
from ..model.sanitize import sanitize_body
from ..model.schemas import Model
from ..model.sitemap import (
    DATA_DIR,
    HOME,
    directive_md,
    md_url,
    plan_json,
    plan_md,
    plan_path,
    plan_tasks_csv,
    plans_province_md,
    rel,
    unit_md,
)
from ..parallel import imap_shared, uncollected
from ..read.records import Row
from ..vietnamese.text import date_vi
from . import metadata, original
from .cachedplan import cached_plan_page
from .deps import Keyed, common_digest, job_key, keeps, listing_deps, plan_digests, run_keyed
from .follow import Follow, Link, block, head
from .listing import Listing
from .markdown import esc, front_matter
from .markdown import table as md_table
from .sink import Collect, Sink, write_in_place

#: a plan's index and its page → every page the plan publishes, its own completed
PlanPages = Callable[[int, str], dict[str, str]]


class PageBuilder:
    def __init__(
        self,
        model: Model,
        rows: dict[str, list[Row]],
        bodies: dict[str, str],
        originals: frozenset[str] = frozenset(),
        changed: dict[str, str] | None = None,
        base_url: str = "",
        today: dt.date | None = None,
        histories: frozenset[str] = frozenset(),
        follow: Follow | None = None,
        *,
        cache: TextCache | None = None,
        links: dict[str, list[Link]] | None = None,
    ) -> None:
        self.follow = follow  # the plan's, bodies' and provinces' own feeds and calendars, when built
        self.cache = cache  # plan pages by the hash of their inputs (:meth:`cached_plan_page`)
        self.links = links  # instead of ``follow``: plan id → the plan's feeds (a page's own builder)
        self.today = today or dt.date.today()  # the corpus' today: what a plan's state is judged on
        self.histories = histories  # plan files whose page site.py ends with "Lịch sử thay đổi"
        self.base_url = base_url  # site_url without the trailing slash, "" for root-relative links
        self.originals = originals  # ids of plans whose original file sits beside the plan
        self.changed = changed or {}  # plan file path → time of its newest commit
        self.model = model
        self.rows = rows
        self.bodies = bodies
        self.units = {u["id"]: u for u in rows["units"]}
        self.plans_by_id = {p["id"]: p for p in rows["plans"]}
        self.directives = {d["id"]: d for d in rows["directives"]}
        self.provinces = {p["id"]: p for p in rows["provinces"]}
        self.directives_by_number: dict[str, set[str]] = {}
        for d in rows["directives"]:
            if d.get("number_symbol"):
                self.directives_by_number.setdefault(str(d["number_symbol"]).casefold(), set()).add(d["id"])
        # directive id → the plans citing it (looked up per plan page: once, not a scan per page)
        self.citing: dict[str, set[str]] = {}
        self.citations_of: dict[str, list[Row]] = {}  # directive id → its citations
        for c in rows["citations"]:
            self.citing.setdefault(c["directive"], set()).add(c["plan_id"])
            self.citations_of.setdefault(c["directive"], []).append(c)
        self.by_plan: dict[str, dict[str, list[Row]]] = {}
        for name in ("issuers", "signers", "recipients", "tasks", "citations", "disclosures"):
            for r in rows[name]:
                self.by_plan.setdefault(r["plan_id"], {}).setdefault(name, []).append(r)

    def label(self, vocab: str, code: Any) -> str:
        return self.model.vocabularies[vocab].label(str(code)) if code is not None else ""

    def unit_name(self, unit_id: str | None, printed: str | None = None) -> str:
        if printed:
            return esc(printed)
        return esc(self.units.get(unit_id or "", {}).get("name", unit_id))

    def pages(self) -> dict[str, str]:
        """Every plan's page, then the lists, bodies' and cited documents' pages — rendered over the
        cores (:func:`.parallel.pmap_shared`), assembled in this order whatever the split."""
        out = Collect()
        self.emit(out)
        return out.pages

    def emit(
        self,
        sink: Sink,
        complete: PlanPages | None = None,
        more: Sequence[Any] = (),
        make: Callable[[Any], dict[str, str]] | None = None,
    ) -> None:
        """:meth:`pages`, each handed to ``sink`` as it comes back from the workers and let go.

        ``complete(index, page)``: the pages a plan (``rows["plans"][index]``) adds to its own —
        its page completed (the history section appended) and any other page of it (its old
        versions, its feed) — done in the same worker, so each page is whole when handed over.
        ``more``: further jobs, after these, whose pages ``make(job)`` gives (the site's own pages,
        the feeds): in the same workers, not in a second round of them after these."""
        # a sink that writes to disk is handed each page in the worker that made it: sent back,
        # every page was pickled, unpickled and written by this process alone, the render
        # stage's slowest part at 10,000 plans
        writer = sink if sink.shared else None
        with uncollected():  # alive to the end of the render (here and, shared, in the workers)
            listing = Listing(self.model, self.rows, self.base_url, self.today, self.follow, self.cache)
            jobs: list[tuple[str, Any]] = [("plan", i) for i in range(len(self.rows["plans"]))]
            jobs += listing.jobs()
            # an index job whose plans and tables did not change takes its pages from the previous
            # build (:mod:`.deps`): the digests are made here once, before the workers start
            if writer is not None and self.cache is not None and keeps(writer):
                digests = plan_digests(self.model, self.rows)
                listing.keyed = Keyed(digests, common_digest(self.model, self.rows), self.cache)
        jobs += [("more", job) for job in more]
        for part in imap_shared(_page_job, (self, listing, complete, writer, make), jobs):
            for path, text in part.items():
                sink.page(path, text)

    def status_banner(self, here: str, plan: Row, state: State) -> list[str]:
        """The state's banner (draft, withdrawn, superseded, period ended…): such plans stay readable,
        clearly marked (nothing is deleted); a superseded plan links its successor."""
        banner = state.banner
        if banner is None:
            return []
        text = esc(banner.text)
        successor = plan.get("superseded_by")
        if successor:
            target = self.plans_by_id.get(successor)
            if target is not None:
                text += " Xem văn bản thay thế: " + self.link(here, plan_md(target), esc(target["title"])) + "."
        return [f'!!! {banner.kind} ck-status "{esc(banner.title)}"', "", "    " + text, ""]

    def disclosure_section(self, plan: Row, disclosures: list[Row]) -> list[str]:
        """How and when the plan was disclosed (Law 10/2022/QH15 Art 12), and when it reached this site."""
        lines = ["## Công khai {#cong-khai}", ""]
        if plan.get("published_on"):
            lines.append(f"Đăng trên trang này ngày {date_vi(plan['published_on'])}.")
            lines.append("")
        if disclosures:
            lines.append(
                md_table(
                    ["Hình thức", "Từ ngày", "Đến ngày", "Ghi chú"],
                    (
                        [
                            esc(self.label("disclosure_form", d["form"])),
                            date_vi(d.get("started")),
                            date_vi(d.get("ended")) if d.get("ended") else "Đang công khai",
                            esc(d.get("note")),
                        ]
                        for d in disclosures
                    ),
                )
            )
        else:
            lines.append("Chưa ghi nhận hình thức, thời gian công khai của cơ quan ban hành.")
        lines.append("")
        return lines

    def plan_metadata(self, plan: Row) -> dict[str, Any]:
        """JSON-LD and Dublin Core for the page's <head> (rendered by overrides/main.html)."""
        pid = plan["id"]
        names = [
            str(self.units.get(i["unit"], {}).get("name", i["unit"]))
            for i in self.by_plan.get(pid, {}).get("issuers", [])
        ]
        cited = [
            {**self.directives[c["directive"]], "relation": c["relation"]}
            for c in self.by_plan.get(pid, {}).get("citations", [])
            if c["directive"] in self.directives
        ]
        url = f"{self.base_url}/{plan_path(plan)}"
        ld = metadata.plan_jsonld(plan, names, cited, url, base_url=self.base_url, model=self.model)
        return {"jsonld": metadata.jsonld_string(ld), "dc": metadata.dublin_core(plan, names, model=self.model)}

    def link(self, here: str, target: str, text: str) -> str:
        """A Markdown link between source pages, so MkDocs' strict mode checks it."""
        return f"[{text}]({posixpath.relpath(target, posixpath.dirname(here))})"

    def directive_label(self, directive_id: str) -> tuple[str, str]:
        """A cited document's short name ("Chỉ thị 33/CT-TTg") and its title, both unescaped."""
        d = self.directives.get(directive_id, {})
        title = str(d.get("title") or d.get("name") or "")
        if not d.get("number_symbol"):  # a law cited by name only: "Luật" alone says nothing
            return str(d.get("name") or d.get("title") or directive_id), title
        name = " ".join(x for x in (self.label("doc_type", d.get("doc_type")), str(d["number_symbol"])) if x)
        return name, title

    def plan_state(self, plan: Row) -> State:
        """The plan's honest state today (:func:`congkhai.derive.status.plan_state`)."""
        return plan_state(plan, self.by_plan.get(plan["id"], {}).get("tasks", []), self.today)

    def breadcrumb(self, here: str, plan: Row) -> str:
        """Trang chủ › province › issuing body › plan: where the plan sits, on every screen size."""
        crumbs = [(rel(here, HOME), "Trang chủ")]
        province = self.provinces.get(plan.get("province") or "")
        if province:
            crumbs.append((rel(here, plans_province_md(str(province["id"]))), str(province["name"])))
        issuers = self.by_plan.get(plan["id"], {}).get("issuers", [])
        if issuers and issuers[0]["unit"] in self.units:
            unit = issuers[0]["unit"]
            crumbs.append((rel(here, unit_md(unit)), str(self.units[unit].get("name") or unit)))
        items = "".join(f'<li><a href="{h(url)}">{h(text)}</a></li>' for url, text in crumbs)
        title = str(plan["title"])
        short = title if len(title) <= 60 else title[:57].rstrip() + "…"
        return (
            f'<nav class="ck-breadcrumb" aria-label="Đường dẫn"><ol>{items}'
            f'<li class="ck-here" aria-current="page">{h(short)}</li></ol></nav>\n'
        )

    def summary_card(self, here: str, plan: Row, state: State) -> tuple[str, str]:
        """The first screen: number, type, issuers, date, state (with its basis), what the plan
        implements and its tasks' progress — the "Thuộc tính" panel of legal-document sites; and
        the header a printed plan opens with (issuer and number, place and date, type), which
        goes above the title."""
        pid = plan["id"]
        parts = self.by_plan.get(pid, {})
        number = str(plan.get("number_symbol") or "") or "Không in số, ký hiệu"
        if plan.get("number_status") == "blank":
            number += " (để trống số)"
        issuers = ", ".join(
            f'<a href="{h(rel(here, unit_md(i["unit"])))}">{h(self.units.get(i["unit"], {}).get("name", i["unit"]))}</a>'
            for i in parts.get("issuers", [])
        )
        cites = parts.get("citations", [])
        implemented = [c for c in cites if c["relation"] == "thuc_hien"] or [
            c for c in cites if c["relation"] == "can_cu"
        ]
        shown = implemented[:3]
        implements = "; ".join(
            f'<a href="{h(rel(here, directive_md(c["directive"])))}">{h(self.directive_label(c["directive"])[0])}</a>'
            for c in shown
        )
        if len(implemented) > len(shown):
            implements += f' <a href="#van-ban-trich-dan">và {len(implemented) - len(shown)} văn bản khác</a>'
        done = progress(parts.get("tasks", []))
        rows = [
            ("Số, ký hiệu", h(number)),
            ("Loại văn bản", h(self.label("doc_type", plan["doc_type"]))),
            ("Cơ quan ban hành", issuers or "Không ghi"),
            ("Ngày ban hành", h(date_vi(plan.get("issue_date")))),
            (
                "Tình trạng",
                f'<strong class="ck-state ck-state--{h(state.code)}">{h(state.label)}</strong>'
                f'<br><small class="ck-basis">{h(state.basis)}</small>',
            ),
        ]
        if implements:
            rows.append(("Triển khai" if implemented[0]["relation"] == "thuc_hien" else "Căn cứ", implements))
        rows.append(("Nhiệm vụ", f'<a href="#nhiem-vu">{h(done.summary)}</a>' if done.total else h(done.summary)))
        cells = "".join(f'<div class="ck-field"><dt>{k}</dt><dd>{v}</dd></div>' for k, v in rows)
        # Printed as the document's own header: issuer and number on the left, place and date on the right.
        place = ", ".join(
            x
            for x in (
                str(plan.get("place") or ""),
                date_vi(plan.get("issue_date"), sentence=True) if plan.get("issue_date") else "",
            )
            if x
        )
        names = "<br>".join(h(self.units.get(i["unit"], {}).get("name", i["unit"])) for i in parts.get("issuers", []))
        head = (
            '<div class="ck-print-head">'
            f'<p class="ck-print-issuer">{names or "Không ghi cơ quan ban hành"}</p>'
            f'<p class="ck-print-date">{h(place)}</p>'
            f'<p class="ck-print-number">Số: {h(number)}</p>'
            f'<p class="ck-print-type">{h(self.label("doc_type", plan["doc_type"]).upper())}</p>'
            "</div>"
        )
        return head + "\n", f'<div class="ck-summary"><dl>{cells}</dl></div>\n'

    @staticmethod
    def body_outline(body: str) -> tuple[str, list[tuple[str, str]]]:
        """The plan's text with its headings one level down (they sit under "Toàn văn") and an id on
        each top-level heading; and those headings (id, text) for the page's table of contents.

        Lines inside fenced code are left alone. The ids are ours (``muc-1`` …), added after the
        text was sanitised, so a clerk's text still never sets an attribute."""
        lines = body.split("\n")
        fence = False
        levels = []
        for line in lines:
            if line.lstrip().startswith(("```", "~~~")):
                fence = not fence
            elif not fence and (m := _HEADING.match(line)):
                levels.append(len(m.group(1)))
        top = min(levels, default=0)
        out: list[str] = []
        toc: list[tuple[str, str]] = []
        fence = False
        for line in lines:
            if line.lstrip().startswith(("```", "~~~")):
                fence = not fence
            elif not fence and (m := _HEADING.match(line)):
                level = len(m.group(1))
                text = m.group(2).strip().rstrip("#").strip()
                line = "#" * min(level + 1, 6) + " " + text
                if level == top:
                    anchor = f"muc-{len(toc) + 1}"
                    toc.append((anchor, text))
                    line += f" {{#{anchor}}}"
            out.append(line)
        return "\n".join(out), toc

    def task_cards(self, body: str, tasks: list[Row]) -> list[str]:
        """Tasks as cards grouped by the part of the plan that sets them (never a squeezed table):
        each card the task, who leads, who takes part, by when, and its reported state."""
        titles: dict[str, str] = {}
        for line in body.split("\n"):
            m = _PART.match(line)
            if m:
                titles.setdefault(m.group(1), m.group(2).strip().rstrip("#").strip())
        groups: dict[str, list[Row]] = {}
        for t in tasks:
            top = str(t.get("section") or "").split(".")[0].strip()
            groups.setdefault(top, []).append(t)
        out = []
        for top, members in groups.items():
            head = f"{top}. {titles[top]}" if top in titles else (f"Mục {top}" if top else "Nhiệm vụ khác")
            if top.startswith("PL"):  # the tasks of an appendix's table ("PLI.II.3")
                head = " ".join(f"Phụ lục {top[2:]}".split())
            cards = []
            for t in members:
                meta = [("Chủ trì", t.get("lead") or "Không ghi")]
                if t.get("partners"):
                    meta.append(("Phối hợp", t["partners"]))
                when = str(t.get("deadline") or "")
                if t.get("due_date"):
                    when = (when + " " if when else "") + f"({date_vi(t['due_date'])})"
                meta.append(("Thời hạn", when or "Không ghi"))
                dl = "".join(f'<div class="ck-field"><dt>{h(k)}</dt><dd>{h(v)}</dd></div>' for k, v in meta)
                status = str(t.get("status") or "not_reported")
                text = "<br>".join(h(x) for x in str(t["text"]).split("\n") if x.strip())
                where = f'<span class="ck-task-section">Mục {h(t["section"])}</span> ' if t.get("section") else ""
                cards.append(
                    f'<li class="ck-task"><p class="ck-task-head">{where}'
                    f'<span class="ck-task-status ck-task-status--{h(status)}">{h(self.label("task_status", status))}</span></p>'
                    f'<p class="ck-task-text">{text}</p><dl class="ck-task-meta">{dl}</dl></li>'
                )
            out.append(
                f'<div class="ck-task-group"><h3 class="ck-task-group-title">{h(head)} ({len(members)})</h3>'
                f'<ol class="ck-tasks">{"".join(cards)}</ol></div>'
            )
            out.append("")
        return out

    def citing_plans(self, plan: Row) -> list[Row]:
        """Plans on this site that cite this plan (a catalogue entry with its number and symbol)."""
        number = str(plan.get("number_symbol") or "")
        if not number[:1].isdigit():
            return []
        ids = self.directives_by_number.get(number.casefold(), set())
        seen = {p for d in ids for p in self.citing.get(d, ()) if p != plan["id"]}
        return [self.plans_by_id[p] for p in sorted(seen) if p in self.plans_by_id]

    def citations_section(self, here: str, plan: Row, cites: list[Row]) -> list[str]:
        """Cited documents grouped by relation, legal basis first, after a small "lược đồ": what
        the plan rests on and implements → the plan → the plans on this site that cite it."""
        order = list(self.model.vocabularies["relation"].values) if "relation" in self.model.vocabularies else []
        groups: dict[str, list[Row]] = {}
        for c in sorted(cites, key=lambda c: order.index(c["relation"]) if c["relation"] in order else len(order)):
            groups.setdefault(c["relation"], []).append(c)
        upstream = groups.get("can_cu", []) + groups.get("thuc_hien", [])
        citing = self.citing_plans(plan)

        def item(url: str, text: str) -> str:
            return f'<li><a href="{h(url)}">{h(text)}</a></li>'

        left = "".join(
            item(rel(here, directive_md(c["directive"])), self.directive_label(c["directive"])[0]) for c in upstream
        )
        right = "".join(item(rel(here, plan_md(p)), str(p.get("number_symbol") or p["title"])) for p in citing)
        diagram = (
            '<div class="ck-diagram">'
            f'<div class="ck-diagram-col"><p class="ck-diagram-head">Căn cứ và triển khai ({len(upstream)})</p>'
            f"<ul>{left or '<li>Không ghi</li>'}</ul></div>"
            '<div class="ck-diagram-self"><p class="ck-diagram-head">Văn bản này</p>'
            f"<p>{h(plan.get('number_symbol') or self.label('doc_type', plan['doc_type']))}</p></div>"
            f'<div class="ck-diagram-col"><p class="ck-diagram-head">Được trích dẫn bởi ({len(citing)})</p>'
            f"<ul>{right or '<li>Chưa có kế hoạch nào trên trang này</li>'}</ul></div>"
            "</div>"
        )
        out = [f"## Văn bản được trích dẫn ({len(cites)}) {{#van-ban-trich-dan}}", "", diagram, ""]
        for relation, members in groups.items():
            anchor = "quan-he-" + relation.replace("_", "-")
            out += [f"### {esc(self.label('relation', relation))} ({len(members)}) {{#{anchor}}}", ""]
            for c in members:
                d = self.directives.get(c["directive"], {})
                name, title = self.directive_label(c["directive"])
                out.append(
                    f"- **{self.link(here, directive_md(c['directive']), esc(name))}**"
                    + (f" — {esc(d.get('issuer'))}" if d.get("issuer") else "")
                    + (
                        f", {date_vi(d.get('issue_date') or d.get('year'))}"
                        if d.get("issue_date") or d.get("year")
                        else ""
                    )
                    + (f": {esc(title)}" if title else "")
                )
            out.append("")
        return out

    def plan_links(self, plan: Row) -> list[Link] | None:
        """The plan's own feeds and calendar, or None when the site offers none."""
        if self.links is not None:
            return self.links.get(str(plan["id"]), [])
        return self.follow.plan_links(plan) if self.follow is not None else None

    def plan_page(self, plan: Row) -> str:
        pid = plan["id"]
        here = plan_md(plan)
        parts = self.by_plan.get(pid, {})
        state = self.plan_state(plan)
        issuers = "<br>".join(
            self.link(here, unit_md(i["unit"]), self.unit_name(i["unit"]))
            + (f" (in: {esc(i['as_printed'])})" if i.get("as_printed") else "")
            for i in parts.get("issuers", [])
        )
        signers = "<br>".join(
            " ".join(esc(s.get(k)) for k in ("capacity", "on_behalf_of", "position") if s.get(k))
            + (f" — **{esc(s['name'])}**" if s.get("name") else "")
            for s in parts.get("signers", [])
        )
        province = self.provinces.get(plan.get("province") or "", {}).get("name", "")
        number = esc(plan.get("number_symbol")) or "Không in số"
        if plan.get("number_status") == "blank":
            number += " (để trống số)"
        inferred = {str(x) for x in plan.get("inferred") or []}
        mark = " *(suy luận)*"
        rows = [
            ["Số, ký hiệu", number + (mark if "number_symbol" in inferred else "")],
            ["Loại văn bản", esc(self.label("doc_type", plan["doc_type"])) + (mark if "doc_type" in inferred else "")],
            ["Cơ quan ban hành", (issuers or "Không ghi") + (mark if "issuers" in inferred else "")],
            [
                "Cấp",
                esc(self.label("issuer_level", plan["issuer_level"])) + (mark if "issuer_level" in inferred else ""),
            ],
            ["Tỉnh, thành phố", esc(province) + (mark if "province" in inferred else "")],
            ["Địa danh", (esc(plan.get("place")) or "Không ghi") + (mark if "place" in inferred else "")],
            ["Ngày ban hành", date_vi(plan.get("issue_date")) + (mark if "issue_date" in inferred else "")],
            ["Ngày có hiệu lực", date_vi(plan.get("effective_date"))],
            ["Người ký", (signers or "Không ghi") + (mark if "signers" in inferred else "")],
            ["Tình trạng", esc(state.label) + " — " + esc(state.basis)],
            ["Tình trạng ghi trong hồ sơ", esc(self.label("plan_status", plan["status"]))],
            ["Chủ đề", ", ".join(esc(self.label("topic", t)) for t in plan.get("topics") or [])],
            [
                "Nguồn",
                original.source_cell(plan, pid in self.originals, self.label("source_kind", plan["source_kind"])),
            ],
            ["Mã kế hoạch", f"`{pid}`"],
            ["Liên kết cố định", self.link(here, here, f"/{md_url(here)}")],
            [
                "Cập nhật lần cuối",
                date_vi(self.changed[plan["path"]][:10]) if plan.get("path") in self.changed else "Không rõ",
            ],
            [
                "Tải dữ liệu",
                self.link(here, f"{DATA_DIR}/{plan_json(pid)}", "JSON (toàn bộ)")
                + " · "
                + self.link(here, f"{DATA_DIR}/{plan_tasks_csv(pid)}", "CSV nhiệm vụ"),
            ],
        ]
        raw_body = self.bodies.get(pid, "")
        body, outline = self.body_outline(sanitize_body(raw_body).strip())
        tasks = parts.get("tasks", [])
        cites = parts.get("citations", [])
        recipients = parts.get("recipients", [])
        toc = [("toan-van", "Toàn văn", outline)]
        if tasks:
            toc.append(("nhiem-vu", f"Nhiệm vụ ({len(tasks)})", []))
        if recipients:
            toc.append(("noi-nhan", "Nơi nhận", []))
        if cites:
            toc.append(("van-ban-trich-dan", f"Văn bản được trích dẫn ({len(cites)})", []))
        following = self.plan_links(plan)
        follow = following or []
        if following is not None:
            toc.append(("theo-doi-ke-hoach", "Theo dõi kế hoạch này", []))
        toc += [("thuoc-tinh", "Thuộc tính", []), ("cong-khai", "Công khai", [])]
        if plan.get("path") in self.histories:
            toc.append(("lich-su-thay-doi", "Lịch sử thay đổi", []))

        def entry(anchor: str, text: str, sub: list[tuple[str, str]]) -> str:
            inner = "".join(f'<li><a href="#{h(a)}">{h(t)}</a></li>' for a, t in sub)
            return f'<li><a href="#{h(anchor)}">{h(text)}</a>' + (f"<ol>{inner}</ol>" if inner else "") + "</li>"

        contents = (
            '<details class="ck-toc"><summary>Mục lục</summary><ol>'
            + "".join(entry(*e) for e in toc)
            + "</ol></details>\n"
        )
        print_head, card = self.summary_card(here, plan, state)
        out = [
            front_matter(
                {"title": plan["title"], **self.plan_metadata(plan), **({"feeds": head(follow)} if follow else {})}
            ),
            self.breadcrumb(here, plan),
            print_head,
            f"# {esc(plan['title'])}\n",
            *self.status_banner(here, plan, state),
            card,
            contents,
            "## Toàn văn {#toan-van}",
            "",
            body,
            "",
            # Python-Markdown's footnotes go here, at the end of the text they belong to; it
            # replaces the marker only when there are footnotes, so a text without any gets none.
            *([FOOTNOTES_HERE, ""] if _FOOTNOTE_DEF.search(body) else []),
        ]
        if tasks:
            out += [f"## Nhiệm vụ ({len(tasks)}) {{#nhiem-vu}}", "", esc(progress(tasks).summary), ""]
            out += self.task_cards(raw_body, tasks)
        if recipients:
            out += ["## Nơi nhận {#noi-nhan}", ""] + [f"- {esc(r['name'])}" for r in recipients] + [""]
        # From here on the page serves the screen only: print stops at the first of these headings
        # (extra.css), so they come after everything a printed document holds.
        if cites:
            out += self.citations_section(here, plan, cites)
        if following is not None:
            out += block(here, "Theo dõi kế hoạch này", follow, anchor="theo-doi-ke-hoach")
            if not any(link.type == "text/calendar" for link in follow):
                out += ["Kế hoạch chưa có nhiệm vụ nào ghi thời hạn cụ thể, nên chưa có lịch để thêm.", ""]
        out += [
            "## Thuộc tính {#thuoc-tinh}",
            "",
            md_table(["Thông tin", "Giá trị"], rows),
            "",
            *self.disclosure_section(plan, parts.get("disclosures", [])),
        ]
        if plan.get("notes"):
            out += ['??? note "Ghi chú về nguồn và cách nhập liệu"', "", "    " + esc(plan["notes"]), ""]
        return "\n".join(out) + "\n"


#: Python-Markdown's footnotes extension puts the footnotes where this paragraph stands (its
#: PLACE_MARKER), instead of at the end of the page after the tasks and the history.
FOOTNOTES_HERE = "///Footnotes Go Here///"
_FOOTNOTE_DEF = re.compile(r"^ {0,3}\[\^[^\]\s]+\]:", re.M)
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*)$")
_PART = re.compile(r"^#{1,6}[ \t]+([IVXLC]+)[ \t]*[.\-\u2013][ \t]*(.*)$")  # "II. NỘI DUNG", "II- NỘI DUNG"


def h(value: Any) -> str:
    """A value escaped for raw HTML in a generated page (Markdown is not processed inside it)."""
    return html.escape("" if value is None else str(value), quote=True)


def _page_job(
    shared: tuple[PageBuilder, Listing, PlanPages | None, Sink | None, Callable[[Any], dict[str, str]] | None],
    job: tuple[str, Any],
) -> dict[str, str]:
    """One job of :meth:`PageBuilder.emit` (in a worker process, or here): its pages, or, given a
    ``writer`` (a sink that writes to disk), none — each handed to it here; an index job whose
    inputs did not change (:mod:`.deps`) hands over the previous build's pages instead."""
    builder, listing, complete, writer, make = shared
    keyed = listing.keyed
    if job[0] == "more" and make is not None:
        return write_in_place(writer, make(job[1]))
    if job[0] == "plan":
        plan = builder.rows["plans"][job[1]]
        page = cached_plan_page(builder, plan)
        made = complete(job[1], page) if complete is not None else {plan_md(plan): page}
        return write_in_place(writer, made)
    found = None if keyed is None else listing_deps(listing, keyed.digests, job)
    if keyed is None or found is None:
        return write_in_place(writer, listing.pages_of(job))
    key = job_key(keyed.common, listing.today, listing.base_url, found)
    run_keyed(keyed.cache, key, writer, lambda: write_in_place(writer, listing.pages_of(job)))
    return {}
