"""The one list writer: HTML tables that read as cards on a phone, and the pager that bounds them.

Every generated list (plans, tasks, cited documents, bodies, disclosure tables) is written here so
that it behaves the same everywhere:

* **Title first.** The column that names the row (the link) is the first cell, marked
  ``ck-title``; on a wide screen it takes the width, on a narrow one (``stylesheets/tables.css``)
  each row becomes a card whose first line is that link, and every other cell is shown under it
  with its column name (the ``data-label`` attribute) — no sideways scrolling on a phone.
* **Bounded pages.** A list longer than :data:`PER_PAGE` rows is cut into pages of at most that
  many rows (``sitemap.list_page_md``) joined by a pager, so no page grows with the corpus:
  at national scale (10,000 plans, 200,000 tasks) the plan and task lists would otherwise be
  tens of megabytes that no phone opens.

Values are escaped by the callers (cells are safe HTML); labels and attributes are escaped here.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, overload

from ..load.rendercache import TextCache
from ..model.sitemap import list_page_md, md_url, rel
from .markdown import SEARCH_END, front_matter
from .memo import cached

#: Rows on one page of a list. A row of the heaviest list (a task: 280 characters of text, plan
#: link, units, deadline) is at most about 2 KB of HTML, so a page stays far below 1 MB whatever
#: the size of the corpus; 100 rows is also about what a reader scrolls through on a phone.
PER_PAGE = 100

T = TypeVar("T")


def h(value: Any) -> str:
    """HTML-escape a value for text or a quoted attribute (``None`` → empty)."""
    return "" if value is None else html.escape(str(value), quote=True)


@dataclass(frozen=True)
class Part:
    """A piece of a cell as plain data: a text, a link to a page of the site (``target``: its Markdown
    path in the site map) or a small note. Written as HTML here (:func:`cell_html`) and as data in a
    list's shards (:func:`part_data`), so the rows the browser draws from a shard are the same."""

    text: str
    target: str = ""
    small: bool = False


#: A cell: its parts, one a line.
Cell = tuple[Part, ...]


def cell_html(here: str, cell: Cell) -> str:
    """A cell as safe HTML on page ``here``: its non-empty parts, one a line, every text escaped."""
    out = []
    for part in cell:
        if not part.text:
            continue
        if part.target:
            out.append(f'<a href="{h(rel(here, part.target))}">{h(part.text)}</a>')
        elif part.small:
            out.append(f"<small>{h(part.text)}</small>")
        else:
            out.append(h(part.text))
    return "<br>".join(out)


def part_data(part: Part) -> dict[str, Any]:
    """A part as plain JSON values: ``t`` its text, ``u`` the page's URL below the site root, ``s`` small."""
    out: dict[str, Any] = {"t": part.text}
    if part.target:
        out["u"] = md_url(part.target)
    if part.small:
        out["s"] = 1
    return out


@dataclass(frozen=True)
class Column:
    """A list column: its header, the row attribute it filters on (or ""), and its kind.

    ``kind`` is ``title`` (the row's name and link: first, and given the width), ``wide`` (a long
    text such as a task, also given room), ``nowrap`` (dates, numbers, symbols: short, never
    broken) or "".
    """

    label: str
    key: str = ""
    kind: str = ""
    sort: str = ""  # a row attribute to sort on instead of the cell's text (e.g. an ISO date)


def table(
    columns: Sequence[Column],
    rows: Iterable[tuple[dict[str, str], Sequence[str]]],
    table_id: str,
    caption: str,
) -> str:
    """An HTML table of safe-HTML cells; each cell carries its column's label for the card layout."""
    head = []
    for c in columns:
        attrs = f' data-filter="{h(c.key)}"' if c.key else ""
        attrs += f' data-sort="{h(c.sort)}"' if c.sort else ""
        attrs += f' class="ck-{h(c.kind)}"' if c.kind else ""
        head.append(f'<th scope="col"{attrs}>{h(c.label)}</th>')
    kinds = [f"ck-{h(c.kind)}" if c.kind else "" for c in columns]
    labels = [h(c.label) for c in columns]
    body = []
    for attrs_, cells in rows:
        data = "".join(f' data-{k}="{h(v)}"' for k, v in sorted(attrs_.items()))
        tds = []
        for i, cell in enumerate(cells):
            names = " ".join(n for n in (kinds[i], "" if cell else "ck-empty") if n)  # empty: no card line
            cls = f' class="{names}"' if names else ""
            tds.append(f'<td{cls} data-label="{labels[i]}">{cell}</td>')
        body.append(f"<tr{data}>{''.join(tds)}</tr>")
    return (
        f'<div class="ck-table" id="{h(table_id)}">\n<table>\n<caption>{h(caption)}</caption>\n'
        f"<thead><tr>{''.join(head)}</tr></thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>\n</div>\n"
    )


R = TypeVar("R")
M = TypeVar("M")


class Made(Sequence[M], Generic[R, M]):
    """``rows`` each made into a list's item (``make``) only when read: a job rendering some pages
    of a long list makes those pages' items alone (:meth:`.Listing.jobs`)."""

    def __init__(self, rows: Sequence[R], make: Callable[[R], M]) -> None:
        self.rows, self.make = rows, make

    def __len__(self) -> int:
        return len(self.rows)

    @overload
    def __getitem__(self, index: int) -> M: ...

    @overload
    def __getitem__(self, index: slice) -> list[M]: ...

    def __getitem__(self, index: int | slice) -> M | list[M]:
        if isinstance(index, slice):
            return [self.make(row) for row in self.rows[index]]
        return self.make(self.rows[index])

    def __iter__(self) -> Iterator[M]:
        return map(self.make, self.rows)


def chunks(items: Sequence[T], per_page: int | None = None) -> list[Sequence[T]]:
    """``items`` cut into pages of at most ``per_page`` (default :data:`PER_PAGE`, read at call time
    so a test can lower it); one empty page for an empty list."""
    per_page = per_page or PER_PAGE
    return [items[i : i + per_page] for i in range(0, len(items), per_page)] or [items[:0]]


def pager(first: str, number: int, count: int) -> str:
    """Links to the pages of a list, from page ``number`` of ``count`` (none for a single page).

    Only a window of page numbers (first, last, and two on either side) is written, so the pager
    itself stays small when a list has a thousand pages.
    """
    if count <= 1:
        return ""
    here = list_page_md(first, number)

    def href(n: int) -> str:
        return h(rel(here, list_page_md(first, n)))

    shown = sorted({1, count, *range(max(1, number - 2), min(count, number + 2) + 1)})
    items = []
    if number > 1:
        items.append(f'<a href="{href(number - 1)}" rel="prev">‹ Trang trước</a>')
    last = 0
    for n in shown:
        if n > last + 1:
            items.append('<span aria-hidden="true">…</span>')
        if n == number:
            items.append(f'<span aria-current="page">{n}</span>')
        else:
            items.append(f'<a href="{href(n)}" aria-label="Trang {n}">{n}</a>')
        last = n
    if number < count:
        items.append(f'<a href="{href(number + 1)}" rel="next">Trang sau ›</a>')
    return f'<nav class="ck-pager" aria-label="Các trang của danh sách">{" ".join(items)}</nav>\n'


def paged(
    first: str,
    items: Sequence[T],
    render: Callable[[str, Sequence[T], int, int], str],
    per_page: int | None = None,
    numbers: Iterable[int] | None = None,
) -> dict[str, str]:
    """The pages of a list: ``render(page, items_of_page, number, count)`` for each page — or for
    the pages ``numbers`` alone (a long list is made a few pages per job: :meth:`.Listing.jobs`;
    only those pages' items are read from ``items``, which may make each item as it is read).

    The first page is ``first`` itself (its address does not change when a list grows past one
    page); the others are ``sitemap.list_page_md(first, n)``.
    """
    per_page = per_page or PER_PAGE
    count = page_count(len(items), per_page)
    wanted = range(1, count + 1) if numbers is None else [n for n in numbers if 1 <= n <= count]
    out = {}
    for n in wanted:
        here = list_page_md(first, n)
        out[here] = render(here, items[(n - 1) * per_page : n * per_page], n, count)
    return out


def page_count(total: int, per_page: int | None = None) -> int:
    """How many pages a list of ``total`` items takes (one, empty, for none)."""
    per_page = per_page or PER_PAGE
    return max(1, -(-total // per_page))


def page_note(number: int, count: int, total: int, noun: str, per_page: int | None = None) -> str:
    """The caption of one page of a list: what part of the whole it shows (Vietnamese)."""
    per_page = per_page or PER_PAGE

    def n(value: int) -> str:  # 10.000: the Vietnamese thousands separator, numbers only
        return f"{value:,}".replace(",", ".")

    if count <= 1:
        return f"{n(total)} {noun}"
    start, end = (number - 1) * per_page + 1, min(total, number * per_page)
    return f"Trang {number}/{count}: {noun} {n(start)}–{n(end)} trong {n(total)}"


def continuation(number: int) -> str:
    """What a page after the first starts with: the search cut, so a list's later pages (which repeat
    text indexed on the plans' own pages) do not crowd search results."""
    return SEARCH_END + "\n\n" if number > 1 else ""


def list_pages(
    first: str,
    title: str,
    intro: str,
    items: Sequence[T],
    row: Callable[[str, T], tuple[dict[str, str], Sequence[str]]],
    columns: Sequence[Column],
    table_id: str,
    noun: str,
    keys: str = "",
    per_page: int | None = None,
    description: str = "",
    data: Callable[[str], dict[str, str]] | None = None,
    cache: TextCache | None = None,
    numbers: Iterable[int] | None = None,
) -> dict[str, str]:
    """A list on pages of at most ``per_page`` rows: heading, intro, filters, table, pager (only
    the pages ``numbers``, when given: :func:`paged`).

    ``row(here, item)`` gives a row's filter attributes and cells; the intro (safe Markdown)
    is on the first page only, and the later pages are cut from search (:func:`continuation`).
    A ``description`` (plain text) is the pages' meta description, each page's its own.
    ``data(here)`` (attribute → value) is written on the filters' box: where a list's filter data
    is (:mod:`.shards`), for the filters to act on the whole list.

    With a ``cache``, each page is kept by the hash of what it shows (:mod:`.memo`): its items,
    its place in the list and every text around them — so ``row(here, item)`` must depend on
    nothing but ``here`` and the item (rows as data, e.g. :class:`.shards.FilterRow`).
    """
    where = f"{getattr(row, '__module__', '')}.{getattr(row, '__qualname__', '')}"

    def render(here: str, part: Sequence[T], number: int, count: int) -> str:
        heading = title if number == 1 else f"{title} — trang {number}"
        meta: dict[str, object] = {"title": heading, "hide": ["toc"]}
        if description:
            meta["description"] = description if number == 1 else f"{description} Trang {number}."
        filters = tuple(sorted((data(here) if data else {}).items())) if keys else None
        shown = _ListPage(
            here,
            heading,
            tuple(meta.items()),
            number,
            intro if number == 1 else "",
            keys,
            filters,
            table_id,
            tuple(columns),
            page_note(number, count, len(items), noun, per_page),
            pager(first, number, count),
            tuple(part),
            where,
        )
        return cached(cache, "list-page", shown, lambda page: _list_page(page, row))

    return paged(first, items, render, per_page, numbers)


@dataclass(frozen=True)
class _ListPage:
    """Everything one page of a list shows (its cache key), the rows as data."""

    here: str
    heading: str
    meta: tuple[tuple[str, object], ...]
    number: int
    intro: str
    keys: str
    filters: tuple[tuple[str, str], ...] | None
    table_id: str
    columns: tuple[Column, ...]
    caption: str
    nav: str
    items: tuple[Any, ...]
    row: str  # the row writer's name


def _list_page(page: _ListPage, row: Callable[[str, Any], tuple[dict[str, str], Sequence[str]]]) -> str:
    out = front_matter(dict(page.meta)) + continuation(page.number) + f"\n# {h(page.heading)}\n\n"
    out += page.intro + "\n\n" if page.intro else ""
    if page.filters is not None:
        more = "".join(f' data-{k}="{h(v)}"' for k, v in page.filters)
        out += f'<div class="ck-filters" data-for="{h(page.table_id)}" data-keys="{h(page.keys)}"{more}></div>\n\n'
    rows = (row(page.here, x) for x in page.items)
    return out + table(page.columns, rows, page.table_id, page.caption) + page.nav
