"""Plans grouped by year and by province: an index page of the groups, and each group's paged list.

Split from :mod:`.listing`: the provinces of today (34 after 1 July 2025) each have a page with the
plans of the provinces merged into them, and each former province keeps its page (links to it stay
good) saying where it belongs now.
"""

from __future__ import annotations

from collections import defaultdict
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


def by_year(lst: Listing) -> dict[str, str]:
    groups: dict[str, list[Row]] = defaultdict(list)
    for p in lst.plans.values():
        groups[str(p.get("issue_year") or "")].append(p)
    out: dict[str, str] = {}
    index = []
    for year in sorted(groups, reverse=True):
        name = year or "Không ghi năm"
        first = plans_year_md(year or "khong-ghi")
        index.append((name, first, str(len(groups[year]))))
        intro = f'<a href="{h(rel(first, sitemap.PLANS_BY_YEAR))}">Tất cả các năm</a>'
        out.update(
            lst.plan_pages(first, f"Kế hoạch năm {name}" if year else name, intro, lst.plans_newest_first(groups[year]))
        )
    out[sitemap.PLANS_BY_YEAR] = groups_page(
        sitemap.PLANS_BY_YEAR,
        "Kế hoạch theo năm",
        "Chọn một năm để xem các kế hoạch ban hành trong năm đó.",
        index,
        "Năm",
    )
    return out


def by_province(lst: Listing) -> dict[str, str]:
    """A page per province of today (the 34 after 1 July 2025) with the plans of the provinces
    merged into it, each such plan's former province named; and, so that no address breaks, a
    page per former province whose plans are published, saying where it belongs now."""
    current: dict[str, list[Row]] = defaultdict(list)
    former: dict[str, list[Row]] = defaultdict(list)
    for p in lst.plans.values():
        old = str(p.get("province") or "")
        now = lst.province_now(p) if old else sitemap.NO_PROVINCE
        current[now or sitemap.NO_PROVINCE].append(p)
        if old and now and now != old:
            former[old].append(p)

    def name(pid: str) -> str:
        return str(lst.provinces.get(pid, {}).get("name", "Trung ương"))

    out: dict[str, str] = {}
    index = []
    for pid in sorted(current, key=lambda k: (fold(name(k)), k)):
        first = plans_province_md(pid)
        plans = current[pid]
        levels: dict[str, int] = defaultdict(int)
        for p in plans:
            levels[lst.label("issuer_level", p["issuer_level"])] += 1
        counts = f"{len(plans)} ({'; '.join(f'{lv}: {n}' for lv, n in sorted(levels.items()))})"
        merged = sorted({str(p["province"]) for p in plans if p.get("province") and p["province"] != pid})
        before = [f"{name(old)} (trước {MERGER_VI})" for old in merged]
        if before:
            counts += "; gồm kế hoạch của " + ", ".join(before)
        index.append((name(pid), first, counts))
        intro = f'<a href="{h(rel(first, sitemap.PLANS_BY_PROVINCE))}">Tất cả các tỉnh, thành phố</a>'
        if before:
            links = ", ".join(f'<a href="{h(rel(first, plans_province_md(old)))}">{h(name(old))}</a>' for old in merged)
            intro += (
                f"\n\nTừ ngày {MERGER_VI}, danh sách gồm cả các kế hoạch ban hành trước đó tại: {links} "
                "(cột “Tỉnh, thành phố” ghi nơi ban hành)."
            )
        out.update(province_pages(lst, pid, first, f"Kế hoạch — {name(pid)}", intro, plans))
    for old, plans in sorted(former.items()):
        first = plans_province_md(old)
        now = lst.province_now(plans[0])
        intro = (
            f'<a href="{h(rel(first, sitemap.PLANS_BY_PROVINCE))}">Tất cả các tỉnh, thành phố</a>\n\n'
            f"Từ ngày {MERGER_VI}, {h(name(old))} thuộc "
            f'<a href="{h(rel(first, plans_province_md(now)))}">{h(name(now))}</a>: '
            "dưới đây là các kế hoạch ban hành tại đơn vị cũ; xem mọi kế hoạch của địa phương ở trang "
            f"{h(name(now))}."
        )
        title = f"Kế hoạch — {name(old)} (trước {MERGER_VI})"
        out.update(province_pages(lst, old, first, title, intro, plans))
    out[sitemap.PLANS_BY_PROVINCE] = groups_page(
        sitemap.PLANS_BY_PROVINCE,
        "Kế hoạch theo tỉnh, thành phố",
        f"Các tỉnh, thành phố từ ngày {MERGER_VI}; kế hoạch ban hành trước đó ở tỉnh cũ được xếp vào "
        "tỉnh, thành phố hiện nay. Số trong ngoặc là số kế hoạch theo cấp.",
        index,
        "Tỉnh, thành phố",
    )
    return out


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
