"""The disclosure pages: "Tuân thủ thời hạn công khai" and the directory of information to be disclosed.

Vietnamese Markdown from the rows :mod:`congkhai.derive.compliance` computes (one per plan), so the
pages and the ``compliance`` / ``directory`` datasets can never disagree. The tables are written by
:mod:`.cards` (cards on a phone, the name of the row first); the directory, one row per plan, is
cut into pages, and the compliance page shows at most ``cards.PER_PAGE`` rows of each list (the
whole per-issuer table on pages of its own, every plan in ``compliance.csv``), so neither page grows with the corpus.
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
from . import cards
from .cards import Column, continuation, h, page_note, paged, pager
from .cards import table as html_table
from .markdown import front_matter

#: Late plans named in one row of the per-issuer table; the others are counted.
LATE_LINKS = 5
#: How sure the rules are of a legal value (``derive.compliance.CONFIDENCE``), as a reader reads it.
CONFIDENCE_VI = {"law": "đã đối chiếu văn bản", "secondary": "theo nguồn thứ cấp", "check": "chưa xác nhận"}

RESULT_VI = {"on_time": "Đúng hạn", "late": "Trễ hạn", "unknown": "Chưa xác định"}


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


def _url(page: str, link: str) -> str:
    """An HTML link's address from ``page`` to ``link`` (a URL, or a page's path from the site root).

    Raw HTML is not rewritten by the engine, so a page is linked by its URL (``sitemap.rel``).
    """
    if re.match(r"^[a-z][a-z0-9+.-]*:", link):
        return link
    target = link.strip("/")
    return sitemap.rel(page, f"{target}/index.md" if target else "index.md")


def _cite(text: str) -> str:
    """A rule's legal basis with its confidence code (``[law]``) in words."""
    for code, words in CONFIDENCE_VI.items():
        text = text.replace(f"[{code}]", f"({words})")
    return text


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
    return compliance_pages(rows, plans, units, model, rules, page)[page]


def compliance_pages(
    rows: Sequence[Mapping[str, Any]],
    plans: Iterable[Mapping[str, Any]],
    units: Iterable[Mapping[str, Any]] | Mapping[str, Mapping[str, Any]],
    model: Model | None,
    rules: Sequence[Rule] = (),
    page: str = sitemap.COMPLIANCE,
) -> dict[str, str]:
    """The compliance page, and the whole per-issuer table on pages of its own when it is longer than
    the page shows (``sitemap.compliance_by_issuer_md()``)."""
    section_rows = cards.PER_PAGE
    extra: dict[str, str] = {}
    plan_by_id = {str(p["id"]): p for p in plans}
    unit_rows = units.values() if isinstance(units, Mapping) else units
    unit_name = {str(u["id"]): str(u.get("name") or u["id"]) for u in unit_rows}

    def link(pid: str, text: str | None = None, here: str = page) -> str:
        plan = plan_by_id.get(pid, {"id": pid})
        return f'<a href="{h(_url(here, sitemap.plan_path(plan)))}">{h(text or _plan_name(plan))}</a>'

    def rule_name(rule_id: Any) -> str:
        return next((r.title for r in rules if r.id == rule_id), str(rule_id or ""))

    def first(items: Sequence[Mapping[str, Any]], noun: str) -> tuple[Sequence[Mapping[str, Any]], str]:
        if len(items) <= section_rows:
            return items, f"{len(items)} {noun}"
        return items[:section_rows], f"{section_rows} trong {len(items)} {noun} (đầy đủ trong compliance.csv)"

    as_of = rows[0]["as_of"] if rows else ""
    counts = {r: sum(1 for x in rows if x["result"] == r) for r in RESULTS}
    out = [
        front_matter({"title": "Tuân thủ thời hạn công khai", "hide": ["toc"]}) + "# Tuân thủ thời hạn công khai",
        "",
        f"Tính đến ngày {date_vi(as_of, NONE)}: {len(rows)} kế hoạch — {counts['on_time']} công khai đúng hạn, "
        f"{counts['late']} trễ hạn, {counts['unknown']} chưa xác định được. Số ngày làm việc tính từ ngày "
        "tiếp theo ngày ban hành (Bộ luật Dân sự 2015, Điều 147–148), không kể thứ Bảy, Chủ nhật và ngày "
        "nghỉ lễ, Tết (Bộ luật Lao động 2019, Điều 112), có tính ngày hoán đổi. Ngày công khai là ngày bắt "
        "đầu sớm nhất của các hình thức công khai đã ghi; nếu không ghi, là ngày đăng trên trang này.",
        "",
        "Dữ liệu: [compliance.csv](" + _href(page, f"{sitemap.DATA_DIR}/compliance.csv") + ") (CSV chuẩn), "
        "[bản cho Excel](" + _href(page, f"{sitemap.DATA_DIR}/{sitemap.EXCEL_DIR}/compliance.csv") + ").",
    ]
    if rules:
        out += ["", "## Quy tắc áp dụng", ""]
        out.append(
            html_table(
                [
                    Column("Áp dụng cho", kind="title"),
                    Column("Thời hạn công khai", kind="nowrap"),
                    Column("Căn cứ", kind="wide"),
                    Column("Niêm yết tối thiểu", kind="nowrap"),
                    Column("Căn cứ niêm yết", kind="wide"),
                ],
                (
                    (
                        {},
                        [
                            h(r.title),
                            h(
                                f"{r.get('deadline_working_days')} ngày làm việc"
                                if r.get("deadline_working_days") is not None
                                else "chưa rõ"
                            ),
                            h(_cite(r.citation("deadline_working_days"))),
                            h(
                                f"{r.get('min_posting_days')} ngày"
                                if r.get("min_posting_days") is not None
                                else "chưa rõ"
                            ),
                            h(_cite(r.citation("min_posting_days"))),
                        ],
                    )
                    for r in rules
                ),
                "bang-quy-tac",
                f"{len(rules)} quy tắc",
            )
        )

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

    def group_row(here: str, key: tuple[str, str]) -> tuple[dict[str, str], list[str]]:
        grp = groups[key]
        on_time = sum(1 for x in grp if x["result"] == "on_time")
        late = [x for x in grp if x["result"] == "late"]
        unknown = sum(1 for x in grp if x["result"] == "unknown")
        named = ", ".join(link(str(x["plan_id"]), here=here) for x in late[:LATE_LINKS])
        if len(late) > LATE_LINKS:
            named += f" và {len(late) - LATE_LINKS} kế hoạch khác"
        cells = [h(unit_name.get(key[0], key[0])), h(key[1]), str(len(grp)), str(on_time), str(len(late))]
        return {}, [*cells, str(unknown), _pct(on_time, on_time + len(late)), named]

    group_keys = sorted(groups, key=gkey)
    table = [group_row(page, k) for k in group_keys]
    issuer_columns = [
        Column("Cơ quan ban hành", kind="title"),
        Column("Năm", kind="nowrap"),
        Column("Kế hoạch", kind="nowrap"),
        Column("Đúng hạn", kind="nowrap"),
        Column("Trễ hạn", kind="nowrap"),
        Column("Chưa xác định", kind="nowrap"),
        Column("Tỷ lệ đúng hạn", kind="nowrap"),
        Column("Kế hoạch trễ hạn", kind="wide"),
    ]
    noun = "dòng (cơ quan ban hành, năm)"
    if len(table) > section_rows:
        full = sitemap.compliance_by_issuer_md()
        heading = "Tuân thủ thời hạn công khai theo cơ quan ban hành và năm"

        parts = cards.chunks(group_keys)
        for number, keys in enumerate(parts, 1):
            here = sitemap.list_page_md(full, number)
            rows_here = [group_row(here, k) for k in keys]
            extra[here] = (
                front_matter({"title": heading, "hide": ["toc"]})
                + continuation(number)
                + f'# {heading}\n\n<a href="{h(sitemap.rel(here, page))}">Tuân thủ thời hạn công khai</a>\n\n'
                + html_table(
                    issuer_columns, rows_here, "bang-theo-co-quan", page_note(number, len(parts), len(table), noun)
                )
                + pager(full, number, len(parts))
            )
        out.append(
            html_table(
                issuer_columns, table[:section_rows], "bang-theo-co-quan", f"{section_rows} trong {len(table)} {noun}"
            )
            + f'\n<a href="{h(sitemap.rel(page, full))}">Xem tất cả {len(table)} dòng</a>'
        )
    elif table:
        out.append(html_table(issuer_columns, table, "bang-theo-co-quan", f"{len(table)} {noun}"))
    else:
        out.append("Chưa có kế hoạch nào.")
    out += ["", "Tỷ lệ đúng hạn tính trên các kế hoạch đã xác định được (đúng hạn và trễ hạn)."]

    late_rows, late_note = first([r for r in rows if r["result"] == "late"], "kế hoạch trễ hạn")
    out += ["", "## Kế hoạch công khai trễ hạn", ""]
    out.append(
        html_table(
            [
                Column("Kế hoạch", kind="title"),
                Column("Ngày ban hành", kind="nowrap"),
                Column("Hạn chậm nhất", kind="nowrap"),
                Column("Ngày công khai", kind="nowrap"),
                Column("Số ngày làm việc / thời hạn", kind="nowrap"),
                Column("Quy tắc", kind="wide"),
            ],
            (
                (
                    {},
                    [
                        link(str(r["plan_id"])),
                        h(date_vi(r["issue_date"], NONE)),
                        h(date_vi(r["deadline_date"], NONE)),
                        h(date_vi(r["disclosed_on"], NONE)),
                        f"{h(r['working_days'])} / {h(r['deadline_working_days'])}",
                        h(rule_name(r["rule_id"])),
                    ],
                )
                for r in late_rows
            ),
            "bang-tre-han",
            late_note,
        )
        if late_rows
        else "Không có kế hoạch nào công khai trễ hạn."
    )

    unknown_rows, unknown_note = first([r for r in rows if r["result"] == "unknown"], "kế hoạch")
    out += ["", "## Chưa xác định được", ""]
    out.append(
        html_table(
            [
                Column("Kế hoạch", kind="title"),
                Column("Ngày ban hành", kind="nowrap"),
                Column("Ngày công khai", kind="nowrap"),
                Column("Lý do", kind="wide"),
            ],
            (
                (
                    {},
                    [
                        link(str(r["plan_id"])),
                        h(date_vi(r["issue_date"], NONE)),
                        h(date_vi(r["disclosed_on"], NONE)),
                        h(REASONS.get(str(r["reason"]), (str(r["reason"]), ""))[0]),
                    ],
                )
                for r in unknown_rows
            ),
            "bang-chua-xac-dinh",
            unknown_note,
        )
        if unknown_rows
        else "Đã xác định được tất cả kế hoạch."
    )

    posting, posting_note = first(
        [r for r in rows if r["posting_met"] is not True and r["posting_days_actual"] is not None], "kế hoạch"
    )
    out += ["", "## Thời hạn niêm yết chưa đủ", ""]
    out.append(
        html_table(
            [
                Column("Kế hoạch", kind="title"),
                Column("Số ngày phải niêm yết", kind="nowrap"),
                Column("Số ngày đã niêm yết", kind="nowrap"),
                Column("Tình trạng"),
            ],
            (
                (
                    {},
                    [
                        link(str(r["plan_id"])),
                        h(r["posting_days_required"]),
                        h(r["posting_days_actual"]),
                        "Chưa đủ" if r["posting_met"] is False else "Đang niêm yết",
                    ],
                )
                for r in posting
            ),
            "bang-niem-yet",
            posting_note,
        )
        if posting
        else "Không có kế hoạch nào niêm yết chưa đủ thời hạn."
    )
    return {page: "\n".join(out) + "\n", **extra}


def directory_page(rows: Sequence[Mapping[str, Any]], model: Model | None = None, page: str = sitemap.DIRECTORY) -> str:
    """The first page of the directory of information to be disclosed (:func:`directory_pages`)."""
    return directory_pages(rows, model, page)[page]


def directory_pages(
    rows: Sequence[Mapping[str, Any]], model: Model | None = None, first: str = sitemap.DIRECTORY
) -> dict[str, str]:
    """The directory of information to be disclosed, one row per plan, on pages of ``cards.PER_PAGE``."""
    title = "Danh mục thông tin phải công khai"
    columns = [
        Column("Tên văn bản", kind="title"),
        Column("STT"),
        Column("Số, ký hiệu"),
        Column("Ngày ban hành", kind="nowrap"),
        Column("Hình thức công khai"),
        Column("Thời điểm, thời hạn công khai", kind="wide"),
        Column("Thời hạn niêm yết"),
        Column("Đăng trên trang"),
    ]
    numbered = list(enumerate(rows, 1))

    def row(here: str, item: tuple[int, Mapping[str, Any]]) -> tuple[dict[str, str], list[str]]:
        i, r = item
        started, ended = r.get("disclosure_started"), r.get("disclosure_ended")
        if started and ended:
            period = f"{date_vi(started, NONE)} – {date_vi(ended, NONE)} ({r['disclosure_days']} ngày)"
        elif started:
            period = f"từ {date_vi(started, NONE)}, đang công khai"
        else:
            period = "—"
        name = f"{_label(model, 'doc_type', r.get('doc_type'))} {r.get('title') or ''}".strip()
        return {}, [
            f'<a href="{h(_url(here, str(r["link"])))}">{h(name)}</a>',
            str(i),
            h(r.get("number_symbol") or "—"),
            h(date_vi(r.get("issue_date"), NONE)),
            h("; ".join(_label(model, "disclosure_form", f) for f in r.get("forms") or []) or "—"),
            h(period),
            h(f"{r['posting_days']} ngày" if r.get("posting_days") else "—"),
            h(date_vi(r.get("published_on"), NONE)),
        ]

    def render(here: str, part: Sequence[tuple[int, Mapping[str, Any]]], number: int, count: int) -> str:
        heading = title if number == 1 else f"{title} — trang {number}"
        out = [front_matter({"title": heading, "hide": ["toc"]}) + continuation(number) + f"# {heading}", ""]
        out += [
            "Theo Điều 6 Nghị định 13/2018/NĐ-CP: tên văn bản, số và ký hiệu, ngày ban hành, hình thức, "
            "thời điểm và thời hạn công khai, đường dẫn. Dữ liệu: [directory.csv]("
            + _href(here, f"{sitemap.DATA_DIR}/directory.csv")
            + ") (CSV chuẩn), [bản cho Excel]("
            + _href(here, f"{sitemap.DATA_DIR}/{sitemap.EXCEL_DIR}/directory.csv")
            + ").",
            "",
        ]
        if not rows:
            return "\n".join(out + ["Chưa có văn bản nào."]) + "\n"
        caption = page_note(number, count, len(rows), "văn bản")
        out.append(
            html_table(columns, (row(here, x) for x in part), "bang-danh-muc", caption) + pager(first, number, count)
        )
        return "\n".join(out) + "\n"

    return paged(first, numbered, render)
