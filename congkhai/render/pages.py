"""Generate the site's Markdown pages from validated records.

Pages are plain Markdown written before the site build, so any MkDocs-compatible engine can
render them without plugins. Every front-matter value is escaped: it is data, never markup.
"""

from __future__ import annotations

import posixpath
from typing import Any

from ..model.sanitize import sanitize_body
from ..model.schemas import Model
from ..model.sitemap import DATA_DIR, directive_md, md_url, plan_json, plan_md, plan_path, plan_tasks_csv, unit_md
from ..read.records import Row
from ..vietnamese.text import date_vi
from . import metadata, original
from .listing import Listing
from .markdown import esc, front_matter
from .markdown import table as md_table


class PageBuilder:
    def __init__(
        self,
        model: Model,
        rows: dict[str, list[Row]],
        bodies: dict[str, str],
        originals: frozenset[str] = frozenset(),
        changed: dict[str, str] | None = None,
        base_url: str = "",
    ) -> None:
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
        pages = {plan_md(p): self.plan_page(p) for p in self.rows["plans"]}
        pages.update(Listing(self.model, self.rows, self.base_url).pages())
        return pages

    def status_banner(self, here: str, plan: Row) -> list[str]:
        """Withdrawn, superseded and expired plans stay readable, clearly marked (nothing is deleted)."""
        status = plan.get("status")
        if status not in ("withdrawn", "superseded", "expired", "amended"):
            return []
        kind = "danger" if status == "withdrawn" else "warning"
        text = f"Văn bản này {esc(self.label('plan_status', status)).lower()}"
        if plan.get("status_date"):
            text += f" từ ngày {date_vi(plan['status_date'])}"
        text += "."
        successor = plan.get("superseded_by")
        if successor:
            target = self.plans_by_id.get(successor)
            if target is not None:
                text += " Xem văn bản thay thế: " + self.link(here, plan_md(target), esc(target["title"])) + "."
        if plan.get("status_reason"):
            text += f" Lý do: {esc(plan['status_reason'])}"
        return [f'!!! {kind} "{esc(self.label("plan_status", status))}"', "", "    " + text, ""]

    def disclosure_section(self, plan: Row, disclosures: list[Row]) -> list[str]:
        """How and when the plan was disclosed (Law 10/2022/QH15 Art 12), and when it reached this site."""
        lines = ["## Công khai", ""]
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

    def plan_page(self, plan: Row) -> str:
        pid = plan["id"]
        here = plan_md(plan)
        parts = self.by_plan.get(pid, {})
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
            ["Tình trạng", esc(self.label("plan_status", plan["status"]))],
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
        out = [
            front_matter({"title": plan["title"], **self.plan_metadata(plan)}),
            f"# {esc(plan['title'])}\n",
            *self.status_banner(here, plan),
            md_table(["Thông tin", "Giá trị"], rows),
            "",
            *self.disclosure_section(plan, parts.get("disclosures", [])),
        ]
        if plan.get("notes"):
            out += ['??? note "Ghi chú về nguồn và cách nhập liệu"', "", "    " + esc(plan["notes"]), ""]
        out += ["## Toàn văn", "", sanitize_body(self.bodies.get(pid, "")).strip(), ""]
        tasks = parts.get("tasks", [])
        if tasks:
            out += [
                f"## Nhiệm vụ ({len(tasks)})",
                "",
                md_table(
                    ["Mục", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Thời hạn", "Tình trạng"],
                    (
                        [
                            esc(t["section"]),
                            esc(t["text"]),
                            esc(t.get("lead")),
                            esc(t.get("partners")),
                            esc(t.get("deadline")) + (f" ({date_vi(t['due_date'])})" if t.get("due_date") else ""),
                            esc(self.label("task_status", t["status"])),
                        ]
                        for t in tasks
                    ),
                ),
                "",
            ]
        cites = parts.get("citations", [])
        if cites:
            out += [f"## Văn bản được trích dẫn ({len(cites)})", ""]
            for c in cites:
                d = self.directives.get(c["directive"], {})
                name = " ".join(
                    x for x in (self.label("doc_type", d.get("doc_type")), d.get("number_symbol") or "") if x
                )
                title = d.get("title") or d.get("name") or ""
                out.append(
                    f"- **{self.link(here, directive_md(c['directive']), esc(name or c['directive']))}**"
                    + (f" — {esc(d.get('issuer'))}" if d.get("issuer") else "")
                    + (
                        f", {date_vi(d.get('issue_date') or d.get('year'))}"
                        if d.get("issue_date") or d.get("year")
                        else ""
                    )
                    + (f": {esc(title)}" if title else "")
                    + f" · *{esc(self.label('relation', c['relation']))}*"
                )
            out.append("")
        recipients = parts.get("recipients", [])
        if recipients:
            out += ["## Nơi nhận", ""] + [f"- {esc(r['name'])}" for r in recipients] + [""]
        return "\n".join(out) + "\n"
