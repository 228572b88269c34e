"""The cited documents' pages of :class:`.listing.Listing`: the index of every document cited, and
one page per document listing the plans that cite it. Split from :mod:`.listing` (functions of the
listing, as :mod:`.groups` is: they read its rows, labels and list-page helpers)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..model import sitemap
from ..model.sitemap import directive_md, plan_md
from ..model.urls import safe_url
from ..read.records import Row
from ..vietnamese.text import date_vi, section_vi
from . import metadata
from .bodypages import DirectivePage, directive_page
from .cards import Cell, Column, Part, page_note, paged, pager
from .memo import cached
from .shards import FilterRow

if TYPE_CHECKING:
    from .listing import Listing


def directives_by_citations(lst: Listing) -> list[Row]:
    return sorted(lst.directives.values(), key=lambda d: (-len(lst.citing.get(d["id"], [])), d["id"]))


def directive_data(lst: Listing, d: Row) -> FilterRow:
    """A cited document in the list as data: its type and kind, and its cells."""
    values: dict[str, list[tuple[str, str]]] = {
        "kind": [(str(d["kind"]), lst.label("directive_kind", d["kind"]))],
        "type": [(str(d["doc_type"]), lst.label("doc_type", d["doc_type"]))],
    }
    cells: list[Cell] = [
        (Part(lst.directive_name(d), directive_md(d["id"])),),
        (Part(str(d.get("title") or d.get("name") or "")),),
        (Part(str(d.get("issuer") or "")),),
        (Part(str(d.get("year") or "")),),
        (Part(str(len(lst.citing.get(d["id"], [])))),),
    ]
    return FilterRow(("0", "van-ban"), values, {}, cells)


def directive_index(lst: Listing) -> dict[str, str]:
    columns = [
        Column("Văn bản", kind="title"),
        Column("Trích yếu", kind="wide"),
        Column("Cơ quan ban hành"),
        Column("Năm", kind="nowrap"),
        Column("Số kế hoạch trích dẫn", kind="nowrap"),
    ]
    return lst.list_pages(
        sitemap.DIRECTIVES,
        "Văn bản được trích dẫn",
        "",
        [directive_data(lst, d) for d in directives_by_citations(lst)],
        lst.row_html,
        columns,
        "bang-van-ban",
        "văn bản",
        "type kind",
    )


def directive_page_of(lst: Listing, directive_id: str) -> dict[str, str]:
    first = directive_md(directive_id)
    d = lst.directives[directive_id]
    name = lst.directive_name(d)
    meta = [
        ("Loại văn bản", lst.label("doc_type", d.get("doc_type"))),
        ("Nhóm", lst.label("directive_kind", d.get("kind"))),
        ("Số, ký hiệu", d.get("number_symbol") or "Không có số (trích dẫn theo tên)"),
        ("Ngày ban hành", date_vi(d.get("issue_date")) if d.get("issue_date") else (d.get("year") or "Không rõ")),
        ("Cơ quan ban hành", d.get("issuer") or "Không rõ"),
        ("Trích yếu", d.get("title") or ""),
        ("Tên gọi", d.get("name") or ""),
        ("Mã", d["id"]),
    ]
    ld = metadata.jsonld_string(
        metadata.directive_jsonld(d, f"{lst.base_url}/{sitemap.directive_path(directive_id)}", model=lst.model)
    )
    citing = sorted(
        lst.citing.get(directive_id, []),
        key=lambda c: (str(lst.plans[c["plan_id"]].get("issue_date") or ""), c["plan_id"]),
    )

    def data(c: Row) -> FilterRow:
        p = lst.plans[c["plan_id"]]
        cells: list[Cell] = [
            (Part(str(p["title"]), plan_md(p)),),
            (Part(date_vi(p.get("issue_date"))),),
            (Part(lst.label("relation", c["relation"])),),
            (Part(", ".join(section_vi(str(x)) for x in c.get("sections") or [])),),
            (Part(str(c.get("mention_count") or 0)),),
        ]
        return FilterRow(("", ""), {}, {"sort-date": str(p.get("issue_date") or "")}, cells)

    rows = [data(c) for c in citing]
    shown = tuple((k, str(v)) for k, v in meta if v)
    url = safe_url(d.get("url"))

    def render(here: str, part: Sequence[FilterRow], number: int, count: int) -> str:
        caption = page_note(number, count, len(citing), "kế hoạch trích dẫn văn bản này, theo ngày")
        page = DirectivePage(
            here, first, name, number, ld if number == 1 else "", shown if number == 1 else (),
            url if number == 1 else None, len(citing), caption, pager(first, number, count), tuple(part),
        )  # fmt: skip
        return cached(lst.cache, "directive-page", page, directive_page)

    return paged(first, rows, render)
