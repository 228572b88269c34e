"""A body's page and a cited document's pages from what they show alone (:mod:`.listing` gathers
it; :mod:`.memo` caches each page by its hash): the rows as data (:class:`.shards.FilterRow`),
written as HTML here."""

from __future__ import annotations

from dataclasses import dataclass

from ..model.sitemap import rel
from .cards import Column, continuation, h, table
from .follow import Link, block, head
from .markdown import SEARCH_END, front_matter, with_front_matter
from .shards import FilterRow, row_html


@dataclass(frozen=True)
class UnitSection:
    """A list on a body's page: its first rows as data, how many in all, where the whole list is."""

    which: str
    title: str
    noun: str
    columns: tuple[Column, ...]
    count: int
    rows: tuple[FilterRow, ...]
    full: str | None


@dataclass(frozen=True)
class UnitPage:
    """Everything a body's page shows (its cache key)."""

    here: str
    name: str
    kind: str
    level: str
    province: str | None
    parent: str | None  # the link to the body above, as HTML
    feeds: tuple[Link, ...] | None  # None: feeds not built
    sections: tuple[UnitSection, ...]


def unit_page(page: UnitPage) -> str:
    """A body's page from its inputs alone."""
    here = page.here
    lines = [
        front_matter({"title": page.name, "hide": ["toc"]}),
        f"# {h(page.name)}\n",
        "| Thông tin | Giá trị |",
        "|---|---|",
        f"| Loại | {h(page.kind)} |",
        f"| Cấp | {h(page.level)} |",
    ]
    if page.province is not None:
        lines.append(f"| Tỉnh, thành phố | {h(page.province)} |")
    if page.parent is not None:
        lines.append(f"| Đơn vị cấp trên | {page.parent} |")
    if page.feeds is not None:
        none = "Cơ quan, đơn vị này chưa ban hành kế hoạch nào, cũng chưa chủ trì nhiệm vụ nào có thời hạn."
        lines += ["", *block(here, "Theo dõi cơ quan, đơn vị này", page.feeds, none=none)]
    for section in page.sections:
        lines += ["", f"## {section.title} ({section.count})", ""]
        if not section.count:
            lines.append("Không có.")
        else:
            rows = (row_html(here, x) for x in section.rows)
            caption = f"{section.title}: {section.count} {section.noun}"
            lines.append(table(section.columns, rows, f"bang-{section.which}", caption))
            if section.full is not None:
                lines.append(f'<a href="{h(rel(here, section.full))}">Xem tất cả {section.count} {section.noun}</a>')
        if section.which == "ke-hoach":
            lines += ["", SEARCH_END]  # the tasks below are found on their plans' pages
    text = "\n".join(lines) + "\n"
    if page.feeds:
        text = with_front_matter(text, {"feeds": head(page.feeds)})
    return text


_DIRECTIVE_COLUMNS = (
    Column("Kế hoạch", kind="title"),
    Column("Ngày ban hành", kind="nowrap", sort="sort-date"),
    Column("Quan hệ"),
    Column("Vị trí"),
    Column("Số lần nhắc", kind="nowrap"),
)


@dataclass(frozen=True)
class DirectivePage:
    """Everything one page of a cited document's page shows (its cache key)."""

    here: str
    first: str
    name: str
    number: int
    ld: str  # JSON-LD, first page only
    meta: tuple[tuple[str, str], ...]  # first page only
    url: str | None
    citing: int
    caption: str
    nav: str
    rows: tuple[FilterRow, ...]


def directive_page(page: DirectivePage) -> str:
    """One page of a cited document's page from its inputs alone."""
    here, name, number = page.here, page.name, page.number
    if number > 1:
        top = front_matter({"title": f"{name} — trang {number}", "hide": ["toc"]}) + continuation(number)
        top += f'\n# {h(name)} — trang {number}\n\n<a href="{h(rel(here, page.first))}">Thông tin văn bản</a>\n'
    else:
        lines = [
            front_matter({"title": name, "jsonld": page.ld}),
            f"# {h(name)}\n",
            "| Thông tin | Giá trị |",
            "|---|---|",
        ]
        lines += [f"| {h(k)} | {h(v).replace('|', '&#124;')} |" for k, v in page.meta]
        if page.url:
            lines.append(f'| Toàn văn | <a href="{h(page.url)}">{h(page.url)}</a> |')
        top = "\n".join(lines) + "\n"
    top += f"\n## Các kế hoạch trích dẫn ({page.citing})\n\n"
    rows = (row_html(here, x) for x in page.rows)
    return top + table(_DIRECTIVE_COLUMNS, rows, "bang-trich-dan", page.caption) + page.nav
