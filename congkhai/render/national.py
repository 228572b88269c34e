"""The national site's pages, as a function of the province sites' plan lists.

A national deployment serves each province's built site under ``/<province>/`` of one host
(DEPLOYMENT.md, option A). The national site, at the parent of those paths, is small: the merged
datasets (``commands/merge.py``), a home page with every province and its number of plans, one list
per province cut into pages of :data:`~congkhai.render.cards.PER_PAGE` plans (so no page grows with
the nation), and a search page whose script loads the first province's Pagefind index and merges
the others' into it in the browser (:data:`SEARCH_JS`) — each index built by its own province, so
no step holds the nation's index in memory; it filters by kind and province and shows a cited
document every province publishes once, with each province's page of it. A data page with the
terms of use, and — with the national address — ``sitemap.xml``, ``sitemap-index.xml`` (it and
every province's own) and ``robots.txt``. Nothing here reads or rewrites a province's pages.

Plain HTML, not the MkDocs build: the national site has a handful of pages, and building it with
the engine would cost what it saves. Every value enters the HTML through :func:`cards.h`; links into
a province are relative (``../<province>/plans/…``), so the national site and its provinces move
together to any host. Output is a pure function of its input: the same shards give the same bytes.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

from ..model import sitemap
from ..model.licence import Terms
from ..vietnamese.text import date_vi
from . import original
from .cards import PER_PAGE, h

#: the national pages' paths (the national site map; the provinces keep their own)
HOME = "index.html"
SEARCH = "tim-kiem/index.html"
PROVINCES_DIR = "tinh"
SCRIPT = "javascripts/quoc-gia.js"
STYLE = "stylesheets/quoc-gia.css"
DATA = sitemap.DATA_DIR
DATA_PAGE = f"{DATA}/index.html"  # the merged data's files and terms (datapackage.json's licence path)
SITEMAP = "sitemap.xml"  # the national pages
SITEMAP_INDEX = "sitemap-index.xml"  # the national site map and every province's own
ROBOTS = sitemap.ROBOTS
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"

SEARCH_JS = Path(__file__).with_name("national_search.js")


@dataclass(frozen=True)
class ShardSite:
    """One province's built site as the national pages need it."""

    segment: str  # its folder under the national host (the last part of its SITE_URL)
    name: str  # its name to show
    plans: tuple[Mapping[str, str], ...] = field(default=())  # id, title, province, issue_date, number_symbol
    modified: str = ""  # its data's ``modified`` (datapackage.json): its site map's date in the index


def province_list(segment: str, number: int = 1) -> str:
    """The national list of one province's plans, page ``number``: ``tinh/<province>/[trang-N/]``."""
    return f"{PROVINCES_DIR}/{segment}/" + ("" if number == 1 else f"trang-{number}/") + "index.html"


def _up(path: str) -> str:
    """The relative prefix from the page at ``path`` back to the national root."""
    return "../" * path.count("/")


STYLE_CSS = """\
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;margin:0;color:#1f2328;line-height:1.5}
header{background:#4051b5;color:#fff;padding:.8rem 1rem}
header a{color:#fff;text-decoration:none;font-weight:600}
header nav{display:flex;flex-wrap:wrap;gap:1rem;align-items:baseline}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;line-height:1.25}
h2{font-size:1.25rem;line-height:1.3}
a{color:#3347a8}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid #d0d7de;vertical-align:top}
td.so,th.so{text-align:right;font-variant-numeric:tabular-nums}
td.ngay,td.so-hieu{white-space:nowrap}
.pager{display:flex;flex-wrap:wrap;gap:.6rem;margin:1rem 0}
form.qg{display:flex;gap:.5rem;margin:1rem 0}
form.qg input{flex:1;font-size:1.1rem;padding:.5rem;border:1px solid #8c959f;border-radius:.3rem;min-width:0}
form.qg button{font-size:1rem;padding:.5rem 1rem}
#qg-results{list-style:none;padding:0}
#qg-results li{padding:.6rem 0;border-bottom:1px solid #d0d7de}
#qg-results .noi{color:#57606a;font-size:.9rem}
#qg-results .loai{display:inline-block;padding:0 .3em;border:1px solid #5f6368;border-radius:.2em;font-size:.8em}
#qg-results mark{background:#fff59d;color:inherit}
fieldset.qg-filters{display:flex;flex-direction:column;gap:.5rem;margin:0 0 .6rem;padding:0;border:0}
.qg-filters .loai-loc{display:flex;flex-wrap:wrap;gap:.3rem .9rem}
.qg-filters label{cursor:pointer}
.qg-filters select{max-width:100%;padding:.3rem .4rem;border:2px solid #5f6368;border-radius:.2rem;font:inherit;background:#fff}
.an{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
#qg-more{font-size:1rem;padding:.5rem 1rem}
@media (max-width:40rem){
 header nav{gap:.3rem .8rem;font-size:.95rem}
 table thead{display:none}
 table tr{display:block;border-bottom:1px solid #d0d7de;padding:.4rem 0}
 table td{display:block;border:0;padding:.1rem .3rem}
 td.so{text-align:left}
 td[data-label]::before{content:attr(data-label) ": ";color:#57606a}
 td[data-label]:empty{display:none}
 td.ngay,td.so-hieu{white-space:normal}
}
"""


def _page(path: str, title: str, body: str, scripts: Sequence[str] = ()) -> bytes:
    up = _up(path)
    tags = "".join(f'<script src="{h(s)}"></script>' for s in scripts)
    return (
        "<!doctype html>\n"
        '<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{h(title)} — Công khai toàn quốc</title>\n"
        f'<meta name="description" content="{h(title)}: kế hoạch công khai của các tỉnh, thành phố trên cả nước.">\n'
        f'<link rel="stylesheet" href="{up}{STYLE}">\n</head>\n<body>\n'
        f'<header><nav><a href="{up or "./"}">Công khai toàn quốc</a>'
        f'<a href="{up}{SEARCH.removesuffix("index.html")}">Tìm kiếm</a>'
        f'<a href="{up}{DATA}/">Dữ liệu mở</a></nav></header>\n'
        f"<main>\n<h1>{h(title)}</h1>\n{body}</main>\n{tags}\n</body>\n</html>\n"
    ).encode()


def _home(shards: Sequence[ShardSite], names: Mapping[str, str]) -> bytes:
    total = sum(len(s.plans) for s in shards)
    rows = []
    for s in shards:
        by_place = Counter(p.get("province") or sitemap.NO_PROVINCE for p in s.plans)
        places = "; ".join(f"{names.get(k, k)} ({n})" for k, n in sorted(by_place.items()))
        rows.append(
            "<tr>"
            f'<td data-label="Tỉnh, thành phố"><a href="{h(s.segment)}/">{h(s.name)}</a></td>'
            f'<td class="so" data-label="Số kế hoạch">'
            f'<a href="{h(province_list(s.segment).removesuffix("index.html"))}">{len(s.plans)}</a></td>'
            f'<td data-label="Theo tỉnh trước 1/7/2025">{h(places)}</td>'
            "</tr>"
        )
    body = (
        f"<p>{total} kế hoạch của {len(shards)} tỉnh, thành phố. Mỗi tỉnh, thành phố có trang riêng; "
        "trang này liệt kê chúng và tìm kiếm trong tất cả.</p>\n"
        f'<form class="qg" action="{SEARCH.removesuffix("index.html")}" role="search">'
        '<input name="q" type="search" aria-label="Tìm trong mọi tỉnh, thành phố" '
        'placeholder="Tìm kế hoạch, văn bản, cơ quan…"><button type="submit">Tìm</button></form>\n'
        '<table>\n<thead><tr><th>Tỉnh, thành phố</th><th class="so">Số kế hoạch</th>'
        "<th>Theo tỉnh trước 1/7/2025</th></tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>\n"
        f'<p><a href="{DATA}/">Dữ liệu mở gộp của cả nước</a>: <a href="{DATA}/datapackage.json">datapackage.json</a>, '
        f'<a href="{DATA}/plans.csv">plans.csv</a>, <a href="{DATA}/tasks.csv">tasks.csv</a>, '
        f'<a href="{DATA}/cong-khai.json">cong-khai.json</a>.</p>\n'
    )
    return _page(HOME, "Kế hoạch công khai của các tỉnh, thành phố", body)


def _plan_key(plan: Mapping[str, str]) -> tuple[str, str]:
    return (plan.get("issue_date") or "", plan["id"])


def _lists(shard: ShardSite, names: Mapping[str, str]) -> dict[str, bytes]:
    plans = sorted(shard.plans, key=_plan_key, reverse=True)  # newest first, as the province's lists
    pages = [plans[i : i + PER_PAGE] for i in range(0, len(plans), PER_PAGE)] or [[]]
    out: dict[str, bytes] = {}
    for number, chunk in enumerate(pages, start=1):
        path = province_list(shard.segment, number)
        up = _up(path)
        rows = []
        for p in chunk:
            href = f"{up}{shard.segment}/{sitemap.plan_path(p)}"
            place = p.get("province") or ""
            rows.append(
                "<tr>"
                f'<td data-label="Kế hoạch"><a href="{h(href)}">{h(p.get("title") or p["id"])}</a></td>'
                f'<td class="so-hieu" data-label="Số, ký hiệu">{h(p.get("number_symbol") or "")}</td>'
                f'<td class="ngay" data-label="Ngày ban hành">{h(date_vi(p.get("issue_date"), ""))}</td>'
                f'<td data-label="Tỉnh">{h(names.get(place, place))}</td>'
                "</tr>"
            )
        nav = ""
        if len(pages) > 1:
            links = []
            for n in range(1, len(pages) + 1):
                target = up + province_list(shard.segment, n).removesuffix("index.html")
                links.append(f"<span>{n}</span>" if n == number else f'<a href="{h(target)}">{n}</a>')
            nav = f'<nav class="pager" aria-label="Trang">Trang: {" ".join(links)}</nav>\n'
        body = (
            f"<p>{len(plans)} kế hoạch, trang {number}/{len(pages)}. "
            f'<a href="{h(up + shard.segment)}/">Trang của {h(shard.name)}</a>.</p>\n'
            + nav
            + "<table>\n<thead><tr><th>Kế hoạch</th><th>Số, ký hiệu</th><th>Ngày ban hành</th><th>Tỉnh</th></tr>"
            "</thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>\n" + nav
        )
        out[path] = _page(path, f"Kế hoạch của {shard.name}", body)
    return out


def _search(shards: Sequence[ShardSite]) -> bytes:
    sites = [{"path": s.segment, "name": s.name} for s in shards]
    config = json.dumps(sites, ensure_ascii=False, sort_keys=True)
    up = _up(SEARCH)
    first = shards[0].segment
    body = (
        f'<div id="qg-search" data-sites="{h(config)}">\n'
        '<form class="qg" id="qg-form" role="search"><input id="qg-q" name="q" type="search" '
        'aria-label="Tìm trong mọi tỉnh, thành phố" autocomplete="off" placeholder="Tìm kế hoạch, văn bản, cơ quan…">'
        '<button type="submit">Tìm</button></form>\n'
        '<p id="qg-status" role="status" aria-live="polite"></p>\n'
        '<fieldset id="qg-filters" class="qg-filters" hidden></fieldset>\n'
        '<ol id="qg-results"></ol>\n'
        '<p><button type="button" id="qg-more" hidden>Xem thêm kết quả</button></p>\n</div>\n'
        f"<p>Tìm trong {len(shards)} tỉnh, thành phố: "
        + ", ".join(f'<a href="{h(up + s.segment)}/">{h(s.name)}</a>' for s in shards)
        + ".</p>\n"
    )
    # the first province's search.js brings the one query folding (window.congkhaiFoldQuery)
    return _page(SEARCH, "Tìm kiếm trong cả nước", body, [f"{up}{first}/javascripts/search.js", up + SCRIPT])


def _data_page(tables: Sequence[str], terms: Terms | None) -> bytes:
    """``data/``: the merged data's files, and the terms of use at the anchor ``datapackage.json``'s
    licence names (its ``path``, absolute under the national address)."""
    files = ["datapackage.json", "cong-khai.json", *(f"{t}.csv" for t in tables)]
    body = (
        "<p>Dữ liệu mở của mọi tỉnh, thành phố gộp làm một: cùng bảng, cùng cột như dữ liệu của từng tỉnh; "
        "tệp datapackage.json mô tả các bảng.</p>\n<ul>\n"
        + "".join(f'<li><a href="{h(f)}">{h(f)}</a></li>\n' for f in files)
        + "</ul>\n"
    )
    if terms is not None:
        body += (
            f'<h2 id="{h(terms.anchor)}">{h(terms.title)}</h2>\n<p>{h(terms.vi)}</p>\n'
            f"<p>Căn cứ: {h(terms.citation)}. {h(terms.differs_vi)}</p>\n"
        )
    return _page(DATA_PAGE, "Dữ liệu mở của cả nước", body)


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True, default_namespace=SITEMAP_NS) + b"\n"


def _entry(parent: ET.Element, tag: str, loc: str, day: str) -> None:
    item = ET.SubElement(parent, f"{{{SITEMAP_NS}}}{tag}")
    ET.SubElement(item, f"{{{SITEMAP_NS}}}loc").text = loc
    if day:
        ET.SubElement(item, f"{{{SITEMAP_NS}}}lastmod").text = day


def _sitemaps(base: str, pages: Sequence[str], shards: Sequence[ShardSite]) -> dict[str, bytes]:
    """``sitemap.xml`` (the national pages, absolute), ``sitemap-index.xml`` (it and every province's
    own ``sitemap.xml``) and ``robots.txt`` (the index; each province's exclusions, since crawlers
    read ``robots.txt`` only at the host's root). Dates are the data's (``modified``), never the clock."""
    day = max((s.modified for s in shards), default="")[:10]
    urlset = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    for path in pages:
        _entry(urlset, "url", base + path.removesuffix("index.html"), day)
    index = ET.Element(f"{{{SITEMAP_NS}}}sitemapindex")
    _entry(index, "sitemap", base + SITEMAP, day)
    for s in shards:
        _entry(index, "sitemap", f"{base}{s.segment}/{SITEMAP}", s.modified[:10])
    rules = ["User-agent: *"]
    for s in shards:
        rules += [r for r in original.robots_txt(f"{base}{s.segment}/").splitlines() if r.startswith("Disallow:")]
    rules.append(f"Sitemap: {base}{SITEMAP_INDEX}")
    return {SITEMAP: _xml(urlset), SITEMAP_INDEX: _xml(index), ROBOTS: ("\n".join(rules) + "\n").encode()}


def render(
    shards: Sequence[ShardSite],
    names: Mapping[str, str],
    base_url: str = "",
    tables: Sequence[str] = (),
    terms: Terms | None = None,
) -> dict[str, bytes]:
    """Every file of the national site except its datasets: path → bytes. ``names``: province
    id → name (``provinces.csv``), for the provinces before the 2025 merger the plans name.
    ``base_url``: the national address (``https://host/``); without it (a preview) there is no
    site map and ``robots.txt`` keeps crawlers out. ``tables``: the merged data's tables, and
    ``terms`` its terms of use, for the data page."""
    shards = sorted(shards, key=lambda s: s.segment)
    files = {HOME: _home(shards, names), SEARCH: _search(shards), DATA_PAGE: _data_page(tables, terms)}
    for shard in shards:
        files.update(_lists(shard, names))
    files[SCRIPT] = SEARCH_JS.read_bytes()
    files[STYLE] = STYLE_CSS.encode()
    pages = [p for p in files if p.endswith(".html")]
    parts = urlsplit(base_url)
    if parts.scheme in ("http", "https") and parts.netloc:
        files.update(_sitemaps(base_url.rstrip("/") + "/", pages, shards))
    else:
        files[ROBOTS] = original.robots_txt().encode()
    return dict(sorted(files.items()))
