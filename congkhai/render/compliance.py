"""The disclosure pages: "Tuân thủ thời hạn công khai" and the directory of information to be disclosed.

Vietnamese Markdown from the rows :mod:`congkhai.derive.compliance` computes (one per plan), so the
pages and the ``compliance`` / ``directory`` datasets can never disagree.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..derive.compliance import NONE, REASONS, RESULTS, Rule
from ..model import sitemap
from ..model.schemas import Model
from ..vietnamese.text import date_vi, fold
from .markdown import esc
from .markdown import table as md_table

RESULT_VI = {"on_time": "Đúng hạn", "late": "Trễ hạn", "unknown": "Chưa xác định"}


def _rule_code(rule_id: str) -> str:
    """A rule's id (the ``rule_id`` of ``compliance.csv``) shown as what it is, an identifier in
    code type, not as a word of the page; anything but a slug is escaped as text."""
    return f"`{rule_id}`" if re.fullmatch(r"[a-z0-9-]+", rule_id) else esc(rule_id)


def _href(page: str, link: str) -> str:
    """A link from ``page`` (a .md path) to ``link`` (a URL, or a path from the site root).

    A page's URL (``plans/bac-giang/<id>/``) is linked through its source (``…/<id>.md``) and a
    file by its path, relative to the page's source, as MkDocs expects: its strict mode then checks
    every such link in every build, and rewrites it to the page's URL.
    """
    if re.match(r"^[a-z][a-z0-9+.-]*:", link):
        return html.escape(link, quote=True).replace(" ", "%20").replace(")", "%29")
    target = link.lstrip("/")
    if target.endswith("/") or not target:
        target = target.rstrip("/") + ".md" if target.strip("/") else "index.md"
    return posixpath.relpath(target, posixpath.dirname(page) or ".")


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}".replace(".", ",") + "%" if whole else "—"


def _label(model: Model | None, vocab: str, code: Any) -> str:
    if code is None:
        return ""
    if model is None or vocab not in model.vocabularies:
        return str(code)
    return model.vocabularies[vocab].label(str(code), "vi")


def _plan_name(plan: Mapping[str, Any]) -> str:
    """The number and symbol when a number was printed, else the title."""
    number = str(plan.get("number_symbol") or "")
    return number if number[:1].isdigit() else str(plan.get("title") or plan["id"])


def compliance_page(
    rows: Sequence[Mapping[str, Any]],
    plans: Iterable[Mapping[str, Any]],
    units: Iterable[Mapping[str, Any]] | Mapping[str, Mapping[str, Any]],
    model: Model | None,
    rules: Sequence[Rule] = (),
    page: str = sitemap.COMPLIANCE,
) -> str:
    """The compliance page (Vietnamese Markdown): per issuer and year the on-time rate and the late plans."""
    plan_by_id = {str(p["id"]): p for p in plans}
    unit_rows = units.values() if isinstance(units, Mapping) else units
    unit_name = {str(u["id"]): str(u.get("name") or u["id"]) for u in unit_rows}

    def link(pid: str, text: str | None = None) -> str:
        plan = plan_by_id.get(pid, {"id": pid})
        return f"[{esc(text or _plan_name(plan))}]({_href(page, sitemap.plan_path(plan))})"

    as_of = rows[0]["as_of"] if rows else ""
    counts = {r: sum(1 for x in rows if x["result"] == r) for r in RESULTS}
    out = [
        "# Tuân thủ thời hạn công khai",
        "",
        f"Tính đến ngày {date_vi(as_of, NONE)}: {len(rows)} kế hoạch — {counts['on_time']} công khai đúng hạn, "
        f"{counts['late']} trễ hạn, {counts['unknown']} chưa xác định được. Số ngày làm việc tính từ ngày "
        "tiếp theo ngày ban hành (Bộ luật Dân sự 2015, Điều 147–148), không kể thứ Bảy, Chủ nhật và ngày "
        "nghỉ lễ, Tết (Bộ luật Lao động 2019, Điều 112), có tính ngày hoán đổi. Ngày công khai là ngày bắt "
        "đầu sớm nhất của các hình thức công khai đã ghi; nếu không ghi, là ngày đăng trên trang này.",
        "",
        "Dữ liệu: [compliance.csv](" + _href(page, f"{sitemap.DATA_DIR}/compliance.csv") + ").",
    ]
    if rules:
        out += ["", "## Quy tắc áp dụng", ""]
        out.append(
            md_table(
                ["Quy tắc", "Áp dụng cho", "Thời hạn công khai", "Căn cứ", "Niêm yết tối thiểu", "Căn cứ"],
                (
                    [
                        _rule_code(r.id),
                        esc(r.title),
                        esc(
                            f"{r.get('deadline_working_days')} ngày làm việc"
                            if r.get("deadline_working_days") is not None
                            else "chưa rõ"
                        ),
                        esc(r.citation("deadline_working_days")),
                        esc(
                            f"{r.get('min_posting_days')} ngày" if r.get("min_posting_days") is not None else "chưa rõ"
                        ),
                        esc(r.citation("min_posting_days")),
                    ]
                    for r in rules
                ),
            )
        )
        out += [
            "",
            esc("Mức tin cậy: [law] đã đối chiếu văn bản; [secondary] theo nguồn thứ cấp; [check] chưa xác nhận."),
        ]

    # per issuer and year (a joint plan counts for each issuer)
    groups: dict[tuple[str, str], list[Mapping[str, Any]]] = defaultdict(list)
    for r in rows:
        plan = plan_by_id.get(str(r["plan_id"]), {})
        year = str(r.get("issue_date") or "")[:4] or "Không rõ"
        for unit in plan.get("issuer_units") or ["—"]:
            groups[(str(unit), year)].append(r)

    def gkey(k: tuple[str, str]) -> tuple[str, str, str]:
        return fold(unit_name.get(k[0], k[0])), k[0], k[1]

    out += ["", "## Theo cơ quan ban hành và năm", ""]
    table = []
    for key in sorted(groups, key=gkey):
        grp = groups[key]
        on_time = sum(1 for x in grp if x["result"] == "on_time")
        late = [x for x in grp if x["result"] == "late"]
        unknown = sum(1 for x in grp if x["result"] == "unknown")
        table.append(
            [
                esc(unit_name.get(key[0], key[0])),
                esc(key[1]),
                str(len(grp)),
                str(on_time),
                str(len(late)),
                str(unknown),
                _pct(on_time, on_time + len(late)),
                ", ".join(link(str(x["plan_id"])) for x in late),
            ]
        )
    out.append(
        md_table(
            [
                "Cơ quan ban hành",
                "Năm",
                "Kế hoạch",
                "Đúng hạn",
                "Trễ hạn",
                "Chưa xác định",
                "Tỷ lệ đúng hạn",
                "Kế hoạch trễ hạn",
            ],
            table,
        )
        if table
        else "Chưa có kế hoạch nào."
    )
    out += ["", "Tỷ lệ đúng hạn tính trên các kế hoạch đã xác định được (đúng hạn và trễ hạn)."]

    late_rows = [r for r in rows if r["result"] == "late"]
    out += ["", "## Kế hoạch công khai trễ hạn", ""]
    out.append(
        md_table(
            ["Kế hoạch", "Ngày ban hành", "Hạn chậm nhất", "Ngày công khai", "Số ngày làm việc", "Quy tắc"],
            (
                [
                    link(str(r["plan_id"])),
                    esc(date_vi(r["issue_date"], NONE)),
                    esc(date_vi(r["deadline_date"], NONE)),
                    esc(date_vi(r["disclosed_on"], NONE)),
                    f"{r['working_days']} / {r['deadline_working_days']}",
                    _rule_code(str(r["rule_id"])),
                ]
                for r in late_rows
            ),
        )
        if late_rows
        else "Không có kế hoạch nào công khai trễ hạn."
    )

    unknown_rows = [r for r in rows if r["result"] == "unknown"]
    out += ["", "## Chưa xác định được", ""]
    out.append(
        md_table(
            ["Kế hoạch", "Ngày ban hành", "Ngày công khai", "Lý do"],
            (
                [
                    link(str(r["plan_id"])),
                    esc(date_vi(r["issue_date"], NONE)),
                    esc(date_vi(r["disclosed_on"], NONE)),
                    esc(REASONS.get(str(r["reason"]), (str(r["reason"]), ""))[0]),
                ]
                for r in unknown_rows
            ),
        )
        if unknown_rows
        else "Đã xác định được tất cả kế hoạch."
    )

    posting = [r for r in rows if r["posting_met"] is not True and r["posting_days_actual"] is not None]
    out += ["", "## Thời hạn niêm yết chưa đủ", ""]
    out.append(
        md_table(
            ["Kế hoạch", "Số ngày phải niêm yết", "Số ngày đã niêm yết", "Tình trạng"],
            (
                [
                    link(str(r["plan_id"])),
                    esc(r["posting_days_required"]),
                    esc(r["posting_days_actual"]),
                    "Chưa đủ" if r["posting_met"] is False else "Đang niêm yết",
                ]
                for r in posting
            ),
        )
        if posting
        else "Không có kế hoạch nào niêm yết chưa đủ thời hạn."
    )
    return "\n".join(out) + "\n"


def directory_page(rows: Sequence[Mapping[str, Any]], model: Model | None = None, page: str = sitemap.DIRECTORY) -> str:
    """The directory of information to be disclosed as a Vietnamese Markdown page."""
    out = [
        "# Danh mục thông tin phải công khai",
        "",
        "Theo Điều 6 Nghị định 13/2018/NĐ-CP: tên văn bản, số và ký hiệu, ngày ban hành, hình thức, "
        "thời điểm và thời hạn công khai, đường dẫn. Dữ liệu: [directory.csv]("
        + _href(page, f"{sitemap.DATA_DIR}/directory.csv")
        + ").",
        "",
    ]
    if not rows:
        return "\n".join(out + ["Chưa có văn bản nào."]) + "\n"
    table = []
    for i, r in enumerate(rows, 1):
        started, ended = r.get("disclosure_started"), r.get("disclosure_ended")
        if started and ended:
            period = f"{date_vi(started, NONE)} – {date_vi(ended, NONE)} ({r['disclosure_days']} ngày)"
        elif started:
            period = f"từ {date_vi(started, NONE)}, đang công khai"
        else:
            period = "—"
        title = f"{_label(model, 'doc_type', r.get('doc_type'))} {r.get('title') or ''}".strip()
        table.append(
            [
                str(i),
                f"[{esc(title)}]({_href(page, str(r['link']))})",
                esc(r.get("number_symbol") or "—"),
                esc(date_vi(r.get("issue_date"), NONE)),
                esc("; ".join(_label(model, "disclosure_form", f) for f in r.get("forms") or []) or "—"),
                esc(period),
                esc(f"{r['posting_days']} ngày" if r.get("posting_days") else "—"),
                esc(date_vi(r.get("published_on"), NONE)),
            ]
        )
    out.append(
        md_table(
            [
                "STT",
                "Tên văn bản",
                "Số, ký hiệu",
                "Ngày ban hành",
                "Hình thức công khai",
                "Thời điểm, thời hạn công khai",
                "Thời hạn niêm yết",
                "Đăng trên trang",
            ],
            table,
        )
    )
    return "\n".join(out) + "\n"
