"""The site map: every published page's path and URL, declared once.

Pages are named by their Markdown source in the page set (``plans/bac-giang/<id>.md``), as MkDocs
names them; their URLs follow MkDocs' directory URLs (``plans/bac-giang/<id>/``). Renderers link
pages with :func:`rel`, feeds and metadata write absolute URLs with :func:`page_path`, the search
index skips :data:`UNSEARCHED`, and the navigation is :data:`NAV` (``mkdocs.yml`` repeats it for
MkDocs, and ``tests/test_sitemap.py`` keeps the two equal). An address is a permanent public
promise (a plan's URL is cited in letters and other plans), so it lives in exactly one place.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from typing import Any

# --- hand-written pages (docs/) ----------------------------------------------------------------
SEARCH = "tim-kiem.md"
GUIDE = "huong-dan/index.md"
# --- generated pages ---------------------------------------------------------------------------
HOME = "index.md"
PLANS = "plans/index.md"
PLANS_BY_YEAR = "plans/theo-nam.md"
PLANS_BY_PROVINCE = "plans/theo-tinh.md"
TASKS = "tasks/index.md"
DIRECTIVES = "directives/index.md"
UNITS = "units/index.md"
MONITORING = "theo-doi.md"
STATS = "thong-ke.md"
DIRECTORY = "cong-khai/danh-muc.md"
COMPLIANCE = "cong-khai/tuan-thu.md"
DATA = "data/index.md"
DICTIONARY = "data/tu-dien.md"
# --- generated files served as they are ---------------------------------------------------------
PLANS_FEED = "feed.xml"
STATUS_FEED = "tien-do.xml"
CALENDAR = "lich-nhiem-vu.ics"
NOT_FOUND = "404.html"
#: Tells search engines to skip old versions of plans (a search should lead to the plan as it is).
ROBOTS = "robots.txt"
#: The plan form for staff (Decap CMS, vendored): its page, its generated configuration and the
#: folder the vendored bundle is copied into. Not a reader's page: outside the menu and search.
EDITOR_DIR = "quan-tri"
EDITOR = f"{EDITOR_DIR}/index.html"
EDITOR_CONFIG = f"{EDITOR_DIR}/config.yml"
EDITOR_LOCALE = f"{EDITOR_DIR}/vi.js"
EDITOR_WIDGETS = f"{EDITOR_DIR}/chon.js"
#: Where the published data files live (``data/plans.csv`` …, below the site root).
DATA_DIR = "data"
#: The search index folder (``publish/searchindex.py``) and the module the search pages import from it
#: (the name Pagefind used: the index answers the same calls).
SEARCH_INDEX = "pagefind"
SEARCH_MODULE = f"{SEARCH_INDEX}/pagefind.js"
#: The data files beside the tables (under :data:`DATA_DIR`): the Excel workbook, the SQLite
#: database with its Datasette metadata, and the folder of the CSV copies for spreadsheets.
WORKBOOK = "cong-khai.xlsx"
SQLITE = "cong-khai.sqlite"
SQLITE_METADATA = "cong-khai.metadata.json"
EXCEL_DIR = "excel"
#: A plan with no province is filed under this folder.
NO_PROVINCE = "trung-uong"

#: The public menu, in order — for readers: the staff upload guide (:data:`GUIDE`) is linked from
#: the footer, not the menu: (label, page) or (label, ((label | None, page), …)).
NAV: tuple[tuple[str, Any], ...] = (
    ("Trang chủ", HOME),
    ("Tìm kiếm", SEARCH),
    ("Kế hoạch", PLANS),
    ("Nhiệm vụ", TASKS),
    ("Văn bản được trích dẫn", DIRECTIVES),
    ("Cơ quan, đơn vị", UNITS),
    ("Theo dõi thực hiện", MONITORING),
    ("Thống kê", STATS),
    ("Công khai theo luật", (("Danh mục thông tin phải công khai", DIRECTORY), ("Tuân thủ thời hạn", COMPLIANCE))),
    ("Dữ liệu mở", ((None, DATA), ("Từ điển dữ liệu", DICTIONARY))),
)

#: Pages left out of the search index: the search page itself, and the lists that repeat every
#: plan, task or body of the country. A reader's query should lead to the plan, body or document
#: that matches, not to a 10 MB list that contains everything; and at national scale these lists
#: alone would double what the index has to hold in memory.
UNSEARCHED = (
    SEARCH,
    PLANS,
    PLANS_BY_YEAR,
    PLANS_BY_PROVINCE,
    TASKS,
    DIRECTIVES,
    UNITS,
    MONITORING,
    STATS,
    COMPLIANCE,
)


def md_url(path: str) -> str:
    """The URL MkDocs gives a page (directory URLs): ``plans/a/b.md`` → ``plans/a/b/``."""
    stem = path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def html_file(path: str) -> str:
    """The file MkDocs writes for a page: ``plans/a/b.md`` → ``plans/a/b/index.html``."""
    return md_url(path) + "index.html"


def rel(from_md: str, to_md: str) -> str:
    """Relative URL from the page built from ``from_md`` to the page built from ``to_md``."""
    target = "/" + md_url(to_md)
    out = posixpath.relpath(target, "/" + md_url(from_md))
    if out == ".":
        return "./"
    return out + "/" if target.endswith("/") else out


def list_page_md(first: str, number: int) -> str:
    """Page ``number`` (from 1) of a list split into pages whose first page is ``first``.

    The first page keeps its address; the others sit beside it: ``plans/index.md`` →
    ``plans/trang-2.md``, ``directives/<id>.md`` → ``directives/<id>/trang-2.md`` (a folder of its
    own, so no later page can take the address of another page).
    """
    if number <= 1:
        return first
    stem = first.removesuffix(".md")
    folder = stem.removesuffix("index") if stem == "index" or stem.endswith("/index") else stem + "/"
    return f"{folder}trang-{number}.md"


def plan_md(plan: Mapping[str, Any]) -> str:
    """A plan's page: ``plans/<province>/<id>.md``."""
    return f"plans/{plan.get('province') or NO_PROVINCE}/{plan['id']}.md"


def plan_path(plan: Mapping[str, Any]) -> str:
    """A plan page's URL path below the site root: ``plans/<province>/<id>/``."""
    return md_url(plan_md(plan))


def directive_md(directive_id: str) -> str:
    return f"directives/{directive_id}.md"


def directive_path(directive_id: str) -> str:
    return md_url(directive_md(directive_id))


def unit_md(unit_id: str) -> str:
    return f"units/{unit_id}.md"


#: A body's long lists, each on pages of its own when it outgrows its section of the body's page.
UNIT_LISTS = ("ke-hoach", "chu-tri", "phoi-hop")


def unit_list_md(unit_id: str, which: str) -> str:
    """The full list ``which`` (:data:`UNIT_LISTS`) of a body: ``units/<id>/chu-tri.md``."""
    assert which in UNIT_LISTS, which
    return f"units/{unit_id}/{which}.md"


#: The monitoring page's long lists, each on pages of its own when it outgrows its section of
#: that page: by lead unit, overdue tasks, tasks due this month, by plan.
MONITORING_LISTS = ("don-vi", "qua-han", "den-han", "ke-hoach")


def monitoring_list_md(which: str) -> str:
    """The full list ``which`` (:data:`MONITORING_LISTS`) of the monitoring page: ``theo-doi/qua-han.md``."""
    assert which in MONITORING_LISTS, which
    return f"{MONITORING.removesuffix('.md')}/{which}.md"


def compliance_by_issuer_md() -> str:
    """The compliance page's per-issuer table in full: generated only when it is longer than that page shows."""
    return "cong-khai/tuan-thu/theo-co-quan.md"


def plans_year_md(year: str) -> str:
    """The plans issued in ``year`` (``khong-ghi`` for plans without a date): ``plans/theo-nam/2024.md``."""
    return f"plans/theo-nam/{year}.md"


def plans_province_md(province_id: str) -> str:
    """The plans of one province (:data:`NO_PROVINCE` for the central level): ``plans/theo-tinh/<id>.md``."""
    return f"plans/theo-tinh/{province_id}.md"


#: One plan's own downloads, relative to ``data/``.
PLAN_FILES = "ke-hoach"


def plan_json(plan_id: str) -> str:
    """All of one plan's rows as JSON, relative to ``data/``."""
    return f"{PLAN_FILES}/{plan_id}.json"


def plan_tasks_csv(plan_id: str) -> str:
    """One plan's tasks as CSV (with spreadsheet-safe cells), relative to ``data/``."""
    return f"{PLAN_FILES}/{plan_id}-nhiem-vu.csv"


def version_file(plan_id: str, short_sha: str) -> str:
    """Where an old version of a plan is published, relative to ``data/``.

    A ``.txt`` file: the exact bytes committed, served as plain text ("tệp gốc của phiên bản").
    The version is also a page (:func:`version_md`), rendered from that text as data: escaped,
    sanitised, its links within the site shown as text, so nothing in a plan's history can run in a
    reader's browser or break a site build.
    """
    return f"{PLAN_FILES}/{plan_id}/phien-ban/{short_sha}.txt"


#: The folder, beside a plan's page, of the pages of its old versions.
VERSIONS = "phien-ban"


def version_md(plan: Mapping[str, Any], short_sha: str) -> str:
    """The page of an old version of a plan: ``plans/<province>/<id>/phien-ban/<sha7>.md``.

    Under the plan's own address, so its URL says whose version it is. Marked as not current,
    with a canonical link to the plan and ``noindex``; left out of search and of ``sitemap.xml``
    (:func:`is_version_page`).
    """
    return f"{plan_md(plan).removesuffix('.md')}/{VERSIONS}/{short_sha}.md"


_VERSION_PAGE = re.compile(rf"(?:^|/)plans/[^/]+/[^/]+/{VERSIONS}/[0-9a-f]{{7}}(?:\.md|/|/index\.html)$")


def is_version_page(path: str) -> bool:
    """Whether ``path`` — a page of the page set, a built file, a URL or its path — is an old
    version's page (:func:`version_md`): such pages are kept out of search and the sitemap."""
    return _VERSION_PAGE.search(path) is not None


#: Where a long list's filter data is published (files served as they are, no pages): a manifest
#: of every filter value and the list's rows in shards, read by ``javascripts/tables.js`` so that a
#: filter acts on the whole list while fetching only the shards that can hold what it shows.
FILTER_DIR = "loc"
#: The lists filtered this way: list (its first page) → the name of its folder below FILTER_DIR.
FILTERED_LISTS = {PLANS: "ke-hoach", TASKS: "nhiem-vu", DIRECTIVES: "van-ban", UNITS: "don-vi"}


def filter_manifest(first: str) -> str:
    """A filtered list's manifest (its values, their counts and shards): ``loc/ke-hoach/index.json``."""
    return f"{FILTER_DIR}/{FILTERED_LISTS[first]}/index.json"


def filter_shard(first: str, name: str) -> str:
    """One shard of a filtered list's rows, beside its manifest: ``loc/ke-hoach/2024-bac-ninh-2025-1.json``."""
    return f"{FILTER_DIR}/{FILTERED_LISTS[first]}/{name}.json"


def filter_values(first: str, key: str, scope: str) -> str:
    """The values of a filter listed per province (the bodies), for one province, beside the
    list's manifest: ``loc/ke-hoach/index-issuer-bac-ninh-2025.json``."""
    return f"{FILTER_DIR}/{FILTERED_LISTS[first]}/index-{key}-{scope}.json"


def file_rel(from_md: str, to_file: str) -> str:
    """Relative URL from the page built from ``from_md`` to a file served as it is (``loc/…``)."""
    return posixpath.relpath("/" + to_file, "/" + md_url(from_md))


#: Folders of files left out of the search index: old versions of plans — a search leads to the
#: plan as it is now, whose page links every version — the monitoring page's full lists
#: (``theo-doi/qua-han/`` …), whose tasks and plans are found on the plans' own pages, and the
#: staff's plan form.
UNSEARCHED_FOLDERS = (f"{DATA_DIR}/{PLAN_FILES}/", md_url(MONITORING), f"{EDITOR_DIR}/")


# --- feeds and calendars to follow one plan, body or province ----------------------------------

#: Where a reader's feeds and calendars live: ``nguon-tin/<kind>/<id>.xml`` (Atom) and ``.ics``
#: (iCalendar), one folder per kind of thing followed.
FOLLOW_DIR = "nguon-tin"
#: kind → folder: a plan, an issuing body (its plans; the tasks it leads), a province after
#: 1 July 2025 (the plans of the provinces merged into it too).
FOLLOW_KINDS = {"plan": "ke-hoach", "unit": "don-vi", "province": "tinh"}
FOLLOW_EXTS = ("xml", "ics")
_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def follow_file(kind: str, ident: str, ext: str) -> str:
    """The feed (``xml``) or calendar (``ics``) of one plan, body or province, below the site root:
    ``nguon-tin/tinh/bac-ninh-2025.ics``.

    The name is the record's id, which the schemas hold to a slug; anything else (a title, a path)
    is refused here rather than written into a path.
    """
    if kind not in FOLLOW_KINDS or ext not in FOLLOW_EXTS:
        raise ValueError(f"unknown follow file: {kind!r} {ext!r}")
    if not isinstance(ident, str) or len(ident) > 160 or not _SLUG.fullmatch(ident):
        raise ValueError(f"not a slug: {ident!r}")
    return f"{FOLLOW_DIR}/{FOLLOW_KINDS[kind]}/{ident}.{ext}"
