"""Plans grouped by year and by province: an index page of the groups, and each group's paged list.

Split from :mod:`.listing`: the provinces of today (34 after 1 July 2025) each have a page with the
plans of the provinces merged into them, and each former province keeps its page (links to it stay
good) saying where it belongs now.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import sitemap
from ..model.sitemap import plans_province_md, plans_year_md, rel
from ..read.records import Row
from ..vietnamese.text import fold
from .cards import Column, h, table
from .follow import Link, block, head
from .home import MERGER_VI
from .markdown import front_matter, with_front_matter

if TYPE_CHECKING:
    from .listing import Listing


def groups_page(here: str, title: str, intro: str, groups: list[tuple[str, str, str]], noun: str) -> str:
    """An index of groups of plans (year, province): each a link to its own list, with counts."""
    rows: list[tuple[dict[str, str], list[str]]] = [
        ({}, [f'<a href="{h(rel(here, md))}">{h(name)}</a>', h(count)]) for name, md, count in groups
    ]
    columns = [Column(noun, kind="title"), Column("Số kế hoạch", kind="wide")]
    return (
        front_matter({"title": title, "hide": ["toc"]})
        + f"\n# {h(title)}\n\n{intro}\n\n"
        + table(columns, rows, "bang-nhom", f"{len(groups)} {noun.lower()}")
    )


@dataclass(frozen=True)
class Groups:
    """The plans by year and by province (today's, and each former one whose plans are published),
    each group newest first: what the index pages count and each group's job lists."""

    years: dict[str, list[Row]]  # issue year ("" when not recorded) → its plans
    current: dict[str, list[Row]]  # province of today (or :data:`.sitemap.NO_PROVINCE`) → its plans
    former: dict[str, list[Row]]  # former province → its plans (listed also under today's)


def groups_of(lst: Listing) -> Groups:
    """:class:`Groups` of ``lst``'s plans (made once per listing: :attr:`.Listing.groups`)."""
    years: dict[str, list[Row]] = defaultdict(list)
    current: dict[str, list[Row]] = defaultdict(list)
    former: dict[str, list[Row]] = defaultdict(list)
    for p in lst.plans.values():
        years[str(p.get("issue_year") or "")].append(p)
        old = str(p.get("province") or "")
        now = lst.province_now(p) if old else sitemap.NO_PROVINCE
        current[now or sitemap.NO_PROVINCE].append(p)
        if old and now and now != old:
            former[old].append(p)

    def newest(found: dict[str, list[Row]]) -> dict[str, list[Row]]:
        return {k: lst.plans_newest_first(v) for k, v in found.items()}

    return Groups(newest(years), newest(current), newest(former))


def jobs(lst: Listing) -> list[tuple[str, str]]:
    """The jobs of the pages by year and by province: each group's list its own job (a one-plan
    change renders again its year's and its province's lists, not every group's), then each index."""
    found = lst.groups
    return (
        [("year", year) for year in sorted(found.years, reverse=True)]
        + [("part", "year_index")]
        + [("province", pid) for pid in sorted(found.current)]
        + [("former", old) for old in sorted(found.former)]
        + [("part", "province_index")]
    )


def year_pages(lst: Listing, year: str) -> dict[str, str]:
    """The list of the plans issued in ``year`` ("": not recorded)."""
    name = year or "Không ghi năm"
    first = plans_year_md(year or "khong-ghi")
    intro = f'<a href="{h(rel(first, sitemap.PLANS_BY_YEAR))}">Tất cả các năm</a>'
    return lst.plan_pages(first, f"Kế hoạch năm {name}" if year else name, intro, lst.groups.years[year])


def year_index(lst: Listing) -> dict[str, str]:
    """The index of the years, with their counts of plans."""
    index = []
    for year, plans in sorted(lst.groups.years.items(), reverse=True):
        index.append((year or "Không ghi năm", plans_year_md(year or "khong-ghi"), str(len(plans))))
    page = groups_page(
        sitemap.PLANS_BY_YEAR,
        "Kế hoạch theo năm",
        "Chọn một năm để xem các kế hoạch ban hành trong năm đó.",
        index,
        "Năm",
    )
    return {sitemap.PLANS_BY_YEAR: page}


def _name(lst: Listing, pid: str) -> str:
    return str(lst.provinces.get(pid, {}).get("name", "Trung ương"))


def _merged(plans: list[Row], pid: str) -> list[str]:
    """The former provinces of ``plans`` listed under ``pid``."""
    return sorted({str(p["province"]) for p in plans if p.get("province") and p["province"] != pid})


def province_list(lst: Listing, pid: str) -> dict[str, str]:
    """The list of a province of today (the 34 after 1 July 2025) with the plans of the provinces
    merged into it, each such plan's former province named."""
    first = plans_province_md(pid)
    plans = lst.groups.current[pid]
    merged = _merged(plans, pid)
    intro = f'<a href="{h(rel(first, sitemap.PLANS_BY_PROVINCE))}">Tất cả các tỉnh, thành phố</a>'
    if merged:
        links = ", ".join(
            f'<a href="{h(rel(first, plans_province_md(old)))}">{h(_name(lst, old))}</a>' for old in merged
        )
        intro += (
            f"\n\nTừ ngày {MERGER_VI}, danh sách gồm cả các kế hoạch ban hành trước đó tại: {links} "
            "(cột “Tỉnh, thành phố” ghi nơi ban hành)."
        )
    return province_pages(lst, pid, first, f"Kế hoạch — {_name(lst, pid)}", intro, plans)


def former_list(lst: Listing, old: str) -> dict[str, str]:
    """So that no address breaks: the page of a former province whose plans are published, saying
    where it belongs now."""
    plans = lst.groups.former[old]
    first = plans_province_md(old)
    now = lst.province_now(plans[0])
    intro = (
        f'<a href="{h(rel(first, sitemap.PLANS_BY_PROVINCE))}">Tất cả các tỉnh, thành phố</a>\n\n'
        f"Từ ngày {MERGER_VI}, {h(_name(lst, old))} thuộc "
        f'<a href="{h(rel(first, plans_province_md(now)))}">{h(_name(lst, now))}</a>: '
        "dưới đây là các kế hoạch ban hành tại đơn vị cũ; xem mọi kế hoạch của địa phương ở trang "
        f"{h(_name(lst, now))}."
    )
    title = f"Kế hoạch — {_name(lst, old)} (trước {MERGER_VI})"
    return province_pages(lst, old, first, title, intro, plans)


def province_index(lst: Listing) -> dict[str, str]:
    """The index of the provinces of today, with their counts of plans by level and the former
    provinces whose plans they list."""
    index = []
    current = lst.groups.current
    for pid in sorted(current, key=lambda k: (fold(_name(lst, k)), k)):
        plans = current[pid]
        levels: dict[str, int] = defaultdict(int)
        for p in plans:
            levels[lst.label("issuer_level", p["issuer_level"])] += 1
        counts = f"{len(plans)} ({'; '.join(f'{lv}: {n}' for lv, n in sorted(levels.items()))})"
        before = [f"{_name(lst, old)} (trước {MERGER_VI})" for old in _merged(plans, pid)]
        if before:
            counts += "; gồm kế hoạch của " + ", ".join(before)
        index.append((_name(lst, pid), plans_province_md(pid), counts))
    page = groups_page(
        sitemap.PLANS_BY_PROVINCE,
        "Kế hoạch theo tỉnh, thành phố",
        f"Các tỉnh, thành phố từ ngày {MERGER_VI}; kế hoạch ban hành trước đó ở tỉnh cũ được xếp vào "
        "tỉnh, thành phố hiện nay. Số trong ngoặc là số kế hoạch theo cấp.",
        index,
        "Tỉnh, thành phố",
    )
    return {sitemap.PLANS_BY_PROVINCE: page}


def province_pages(lst: Listing, pid: str, first: str, title: str, intro: str, plans: list[Row]) -> dict[str, str]:
    feeds: list[Link] = []
    if lst.follow is not None:
        feeds = lst.follow.province_links(pid)
        box = block(first, "Theo dõi kế hoạch của tỉnh, thành phố này", feeds, note=lst.follow.province_note(pid))
        intro += "\n\n" + "\n".join(box)
    pages = lst.plan_pages(first, title, intro, lst.plans_newest_first(plans))
    if feeds:
        pages[first] = with_front_matter(pages[first], {"feeds": head(feeds)})
    return pages


#: The job of one group of plans (:func:`jobs`) by its kind, and the indexes by name.
JOBS: dict[str, Callable[[Listing, str], dict[str, str]]] = {
    "year": year_pages,
    "province": province_list,
    "former": former_list,
}
INDEXES: dict[str, Callable[[Listing], dict[str, str]]] = {"year_index": year_index, "province_index": province_index}
