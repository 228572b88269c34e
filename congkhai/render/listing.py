"""Generated index pages: one per cited document and per body, plans by year and by province,
and the plan and task lists that readers filter and sort in the browser (no server needed).

Lists are HTML tables inside the Markdown (every value escaped) so that rows can carry the data
attributes ``javascripts/tables.js`` filters on; without JavaScript they are plain full tables.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from ..model import sitemap
from ..model.schemas import Model
from ..model.sitemap import directive_md, plan_md, rel, unit_md
from ..model.urls import safe_url
from ..read.records import Row
from ..vietnamese.text import date_vi, section_vi
from . import metadata
from .markdown import SEARCH_END, front_matter


def h(value: Any) -> str:
    return "" if value is None else html.escape(str(value), quote=True)


def html_table(
    columns: list[tuple[str, str]], rows: Iterable[tuple[dict[str, str], list[str]]], table_id: str, caption: str
) -> str:
    """An HTML table; ``columns`` are (header, data key for filtering or ""), cells already safe HTML."""
    head = "".join(
        f'<th scope="col"{f" data-filter={chr(34)}{key}{chr(34)}" if key else ""}>{h(label)}</th>'
        for label, key in columns
    )
    body = []
    for attrs, cells in rows:
        data = "".join(f' data-{k}="{h(v)}"' for k, v in sorted(attrs.items()))
        body.append(f"<tr{data}>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return (
        f'<div class="ck-table" id="{h(table_id)}">\n<table>\n<caption>{h(caption)}</caption>\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>\n</div>\n"
    )


class Listing:
    """Builds the index pages from the published rows."""

    def __init__(self, model: Model, rows: dict[str, list[Row]], base_url: str = "") -> None:
        self.base_url = base_url
        self.model = model
        self.rows = rows
        self.plans = {p["id"]: p for p in rows["plans"]}
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
        self.issued: dict[str, set[str]] = defaultdict(set)
        for pid, unit_ids in self.issuers.items():
            for unit_id in unit_ids:
                self.issued[unit_id].add(pid)

    def label(self, vocab: str, code: Any) -> str:
        return self.model.vocabularies[vocab].label(str(code)) if code not in (None, "") else ""

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
        out: dict[str, str] = {sitemap.PLANS: self.plan_list(), sitemap.TASKS: self.task_list()}
        out[sitemap.PLANS_BY_YEAR] = self.by_year()
        out[sitemap.PLANS_BY_PROVINCE] = self.by_province()
        out[sitemap.DIRECTIVES] = self.directive_index()
        out.update({directive_md(d): self.directive_page(d) for d in self.directives})
        out[sitemap.UNITS] = self.unit_index()
        out.update({unit_md(u): self.unit_page(u) for u in self.used_units()})
        return out

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

    # -- plan and task lists -------------------------------------------------------------

    def _plan_rows(self, here: str, plans: list[Row]) -> list[tuple[dict[str, str], list[str]]]:
        out = []
        for p in plans:
            province = self.provinces.get(p.get("province") or "", {}).get("name", "")
            issuers = self.issuers.get(p["id"], [])
            attrs = {
                "type": self.label("doc_type", p["doc_type"]),
                "year": str(p.get("issue_year") or "Không ghi"),
                "issuer": "; ".join(self.unit_name(u) for u in issuers),
                "level": self.label("issuer_level", p["issuer_level"]),
                "province": province,
                "status": self.label("plan_status", p["status"]),
                "sort-date": str(p.get("issue_date") or ""),
            }
            out.append(
                (
                    attrs,
                    [
                        h(date_vi(p.get("issue_date"))),
                        h(p.get("number_symbol") or ""),
                        self.plan_link(here, p),
                        "<br>".join(self.unit_link(here, u) for u in issuers),
                        h(attrs["level"]),
                        h(province),
                        h(attrs["status"]),
                    ],
                )
            )
        return out

    def plan_list(self) -> str:
        here = sitemap.PLANS
        plans = sorted(self.plans.values(), key=lambda p: (str(p.get("issue_date") or ""), p["id"]), reverse=True)
        columns = [
            ("Ngày ban hành", ""),
            ("Số, ký hiệu", ""),
            ("Trích yếu", ""),
            ("Cơ quan ban hành", "issuer"),
            ("Cấp", "level"),
            ("Tỉnh, thành phố", "province"),
            ("Tình trạng", "status"),
        ]
        table = html_table(columns, self._plan_rows(here, plans), "bang-ke-hoach", f"{len(plans)} kế hoạch")
        return (
            front_matter({"title": "Danh sách kế hoạch"}) + "\n# Danh sách kế hoạch\n\n"
            "Lọc theo loại văn bản, năm, cơ quan, cấp, tỉnh và tình trạng; bấm tiêu đề cột để sắp xếp. "
            "Xem thêm: [theo năm](theo-nam.md) · [theo tỉnh, thành phố](theo-tinh.md) · "
            "[nhiệm vụ](../tasks/index.md) · [văn bản được trích dẫn](../directives/index.md) · "
            "[cơ quan, đơn vị](../units/index.md).\n\n"
            '<div class="ck-filters" data-for="bang-ke-hoach" data-keys="type year issuer level province status">'
            "</div>\n\n" + table
        )

    def task_list(self) -> str:
        here = sitemap.TASKS
        rows = []
        for t in self.rows["tasks"]:
            p = self.plans.get(t["plan_id"])
            if p is None:
                continue
            units = self.task_units.get((t["plan_id"], t["id"]), {})
            attrs = {
                "lead": "; ".join(self.unit_name(u) for u in units.get("lead", [])) or "Không ghi",
                "status": self.label("task_status", t["status"]),
                "due": str(t.get("due_date") or ""),
                "recurrence": self.label("recurrence", t.get("recurrence")),
                "year": str(p.get("issue_year") or "Không ghi"),
            }
            text = str(t["text"])
            short = text if len(text) <= 280 else text[:279].rsplit(" ", 1)[0] + " …"
            rows.append(
                (
                    attrs,
                    [
                        self.plan_link(here, p) + f"<br><small>Mục {h(t['section'])}</small>",
                        h(short),
                        "<br>".join(self.unit_link(here, u) for u in units.get("lead", [])) or h(t.get("lead") or ""),
                        "<br>".join(self.unit_link(here, u) for u in units.get("partner", []))
                        or h(t.get("partners") or ""),
                        h(t.get("deadline") or "")
                        + (f"<br><small>{h(date_vi(t['due_date']))}</small>" if t.get("due_date") else ""),
                        h(attrs["status"]),
                    ],
                )
            )
        columns = [
            ("Kế hoạch", ""),
            ("Nhiệm vụ", ""),
            ("Chủ trì", "lead"),
            ("Phối hợp", ""),
            ("Thời hạn", "due"),
            ("Tình trạng", "status"),
        ]
        table = html_table(columns, rows, "bang-nhiem-vu", f"{len(rows)} nhiệm vụ")
        return (
            front_matter({"title": "Nhiệm vụ"}) + "\n# Nhiệm vụ\n\n"
            "Ai làm, việc gì, thời hạn nào: mọi nhiệm vụ của các kế hoạch. Lọc theo đơn vị chủ trì, "
            "tình trạng, năm và thời hạn.\n\n"
            '<div class="ck-filters" data-for="bang-nhiem-vu" data-keys="lead status year recurrence due">'
            "</div>\n\n" + table
        )

    def by_year(self) -> str:
        here = sitemap.PLANS_BY_YEAR
        groups: dict[str, list[Row]] = defaultdict(list)
        for p in self.plans.values():
            groups[str(p.get("issue_year") or "Không ghi năm")].append(p)
        out = [front_matter({"title": "Kế hoạch theo năm"}), "# Kế hoạch theo năm\n"]
        for year in sorted(groups, reverse=True):
            plans = sorted(groups[year], key=lambda p: (str(p.get("issue_date") or ""), p["id"]), reverse=True)
            out.append(f"## {h(year)} ({len(plans)})\n")
            out += [f"- {self.plan_link(here, p)} — {h(date_vi(p.get('issue_date')))}" for p in plans]
            out.append("")
        return "\n".join(out) + "\n"

    def by_province(self) -> str:
        here = sitemap.PLANS_BY_PROVINCE
        groups: dict[str, dict[str, list[Row]]] = defaultdict(lambda: defaultdict(list))
        for p in self.plans.values():
            name = self.provinces.get(p.get("province") or "", {}).get("name", "Trung ương")
            groups[name][self.label("issuer_level", p["issuer_level"])].append(p)
        out = [front_matter({"title": "Kế hoạch theo tỉnh, thành phố"}), "# Kế hoạch theo tỉnh, thành phố và cấp\n"]
        for province in sorted(groups):
            out.append(f"## {h(province)}\n")
            for level in sorted(groups[province]):
                plans = sorted(groups[province][level], key=lambda p: p["id"])
                out.append(f"### {h(level)} ({len(plans)})\n")
                out += [f"- {self.plan_link(here, p)} — {h(date_vi(p.get('issue_date')))}" for p in plans]
                out.append("")
        return "\n".join(out) + "\n"

    # -- directives ----------------------------------------------------------------------

    def directive_index(self) -> str:
        here = sitemap.DIRECTIVES
        ds = sorted(self.directives.values(), key=lambda d: (-len(self.citing.get(d["id"], [])), d["id"]))
        rows = [
            (
                {"kind": self.label("directive_kind", d["kind"]), "type": self.label("doc_type", d["doc_type"])},
                [
                    f'<a href="{h(rel(here, directive_md(d["id"])))}">{h(self.directive_name(d))}</a>',
                    h(d.get("title") or d.get("name") or ""),
                    h(d.get("issuer") or ""),
                    h(d.get("year") or ""),
                    str(len(self.citing.get(d["id"], []))),
                ],
            )
            for d in ds
        ]
        columns = [
            ("Văn bản", ""),
            ("Trích yếu", ""),
            ("Cơ quan ban hành", ""),
            ("Năm", ""),
            ("Số kế hoạch trích dẫn", ""),
        ]
        return (
            front_matter({"title": "Văn bản được trích dẫn"}) + "\n# Văn bản được trích dẫn\n\n"
            '<div class="ck-filters" data-for="bang-van-ban" data-keys="type kind"></div>\n\n'
            + html_table(columns, rows, "bang-van-ban", f"{len(ds)} văn bản")
        )

    def directive_page(self, directive_id: str) -> str:
        here = directive_md(directive_id)
        d = self.directives[directive_id]
        name = self.directive_name(d)
        meta = [
            ("Loại văn bản", self.label("doc_type", d.get("doc_type"))),
            ("Nhóm", self.label("directive_kind", d.get("kind"))),
            ("Số, ký hiệu", d.get("number_symbol") or "Không có số (trích dẫn theo tên)"),
            ("Ngày ban hành", date_vi(d.get("issue_date")) if d.get("issue_date") else (d.get("year") or "Không rõ")),
            ("Cơ quan ban hành", d.get("issuer") or "Không rõ"),
            ("Trích yếu", d.get("title") or ""),
            ("Tên gọi", d.get("name") or ""),
            ("Mã", d["id"]),
        ]
        ld = metadata.jsonld_string(
            metadata.directive_jsonld(d, f"{self.base_url}/{sitemap.directive_path(directive_id)}", model=self.model)
        )
        lines = [
            front_matter({"title": name, "jsonld": ld}),
            f"# {h(name)}\n",
            "| Thông tin | Giá trị |",
            "|---|---|",
        ]
        lines += [f"| {h(k)} | {h(v).replace('|', '&#124;')} |" for k, v in meta if v]
        url = safe_url(d.get("url"))
        if url:
            lines.append(f'| Toàn văn | <a href="{h(url)}">{h(url)}</a> |')
        citing = sorted(
            self.citing.get(directive_id, []),
            key=lambda c: (str(self.plans[c["plan_id"]].get("issue_date") or ""), c["plan_id"]),
        )
        lines += ["", f"## Các kế hoạch trích dẫn ({len(citing)})", ""]
        rows: list[tuple[dict[str, str], list[str]]] = []
        for c in citing:
            p = self.plans[c["plan_id"]]
            rows.append(
                (
                    {},
                    [
                        h(date_vi(p.get("issue_date"))),
                        self.plan_link(here, p),
                        h(self.label("relation", c["relation"])),
                        h(", ".join(section_vi(str(s)) for s in c.get("sections") or [])),
                        str(c.get("mention_count") or 0),
                    ],
                )
            )
        columns = [("Ngày ban hành", ""), ("Kế hoạch", ""), ("Quan hệ", ""), ("Vị trí", ""), ("Số lần nhắc", "")]
        lines.append(html_table(columns, rows, "bang-trich-dan", "Kế hoạch trích dẫn văn bản này, theo ngày"))
        return "\n".join(lines) + "\n"

    # -- units ---------------------------------------------------------------------------

    def unit_index(self) -> str:
        here = sitemap.UNITS
        rows = [
            (
                {
                    "kind": self.label("unit_kind", self.units[u]["kind"]),
                    "level": self.label("unit_level", self.units[u]["level"]),
                },
                [
                    self.unit_link(here, u),
                    h(self.label("unit_kind", self.units[u]["kind"])),
                    h(self.label("unit_level", self.units[u]["level"])),
                    h(self.provinces.get(self.units[u].get("province") or "", {}).get("name", "")),
                ],
            )
            for u in self.used_units()
        ]
        columns = [("Cơ quan, đơn vị", ""), ("Loại", "kind"), ("Cấp", "level"), ("Tỉnh, thành phố", "")]
        return (
            front_matter({"title": "Cơ quan, đơn vị"}) + "\n# Cơ quan, đơn vị\n\n"
            '<div class="ck-filters" data-for="bang-don-vi" data-keys="kind level"></div>\n\n'
            + html_table(columns, rows, "bang-don-vi", f"{len(rows)} cơ quan, đơn vị")
        )

    def unit_page(self, unit_id: str) -> str:
        here = unit_md(unit_id)
        u = self.units[unit_id]
        lines = [
            front_matter({"title": u["name"]}),
            f"# {h(u['name'])}\n",
            "| Thông tin | Giá trị |",
            "|---|---|",
            f"| Loại | {h(self.label('unit_kind', u['kind']))} |",
            f"| Cấp | {h(self.label('unit_level', u['level']))} |",
        ]
        if u.get("province"):
            lines.append(f"| Tỉnh, thành phố | {h(self.provinces.get(u['province'], {}).get('name', u['province']))} |")
        if u.get("parent") and u["parent"] in self.units:
            lines.append(f"| Đơn vị cấp trên | {self.unit_link(here, u['parent'])} |")
        issued = sorted((self.plans[pid] for pid in self.issued.get(unit_id, ())), key=lambda p: p["id"])
        lines += ["", f"## Kế hoạch ban hành ({len(issued)})", ""]
        lines += [f"- {self.plan_link(here, p)} — {h(date_vi(p.get('issue_date')))}" for p in issued] or ["Không có."]
        lines += ["", SEARCH_END]  # the tasks below are found on their plans' pages
        for role, title in (("lead", "Nhiệm vụ chủ trì"), ("partner", "Nhiệm vụ phối hợp")):
            tasks = self.unit_tasks.get(unit_id, {}).get(role, [])
            lines += ["", f"## {title} ({len(tasks)})", ""]
            task_rows: list[tuple[dict[str, str], list[str]]] = [
                (
                    {},
                    [
                        self.plan_link(here, self.plans[t["plan_id"]]) + f"<br><small>Mục {h(t['section'])}</small>",
                        h(t["text"]),
                        h(t.get("deadline") or ""),
                        h(self.label("task_status", t["status"])),
                    ],
                )
                for t in tasks
            ]
            if task_rows:
                lines.append(
                    html_table(
                        [("Kế hoạch", ""), ("Nhiệm vụ", ""), ("Thời hạn", ""), ("Tình trạng", "")],
                        task_rows,
                        f"bang-nhiem-vu-{role}",
                        title,
                    )
                )
            else:
                lines.append("Không có.")
        return "\n".join(lines) + "\n"
