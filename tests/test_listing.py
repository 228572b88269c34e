"""Generated index pages: every directive, body, plan and task has its place, and links resolve."""

from __future__ import annotations

import re

import pytest

from congkhai.load.corpus import validate
from congkhai.model import sitemap
from congkhai.render import cards
from congkhai.render.listing import Listing
from congkhai.render.markdown import SEARCH_END


@pytest.fixture(scope="module")
def listing(tmp_path_factory):
    from tests.conftest import copy_sources

    repo = copy_sources(tmp_path_factory.mktemp("listing") / "repo")
    v = validate(repo)
    rows = v.published
    return Listing(v.model, rows), rows


def test_every_directive_has_a_page_listing_its_citing_plans(listing):
    lst, rows = listing
    pages = lst.pages()
    for d in rows["directives"]:
        page = pages[f"directives/{d['id']}.md"]
        citing = [c for c in rows["citations"] if c["directive"] == d["id"]]
        assert f"Các kế hoạch trích dẫn ({len(citing)})" in page
        for c in citing:
            assert f"/{c['plan_id']}/" in page


def test_directive_page_lists_plans_in_date_order(listing):
    lst, rows = listing
    page = lst.pages()["directives/33-ct-ttg-2021.md"]
    ids = re.findall(r'href="\.\./\.\./plans/[^/]+/([^/]+)/"', page)
    plans = {p["id"]: p for p in rows["plans"]}
    dates = [str(plans[i].get("issue_date") or "") for i in ids]
    assert dates == sorted(dates) and len(ids) == 4


def list_pages(pages: dict[str, str], first: str) -> list[str]:
    """A list's pages in order: the first, then ``trang-2`` … as the site map names them."""
    out, n = [], 1
    while sitemap.list_page_md(first, n) in pages:
        out.append(pages[sitemap.list_page_md(first, n)])
        n += 1
    return out


def test_plan_and_task_lists_are_complete_and_filterable(listing):
    lst, rows = listing
    pages = lst.pages()
    plan_pages, task_pages = list_pages(pages, "plans/index.md"), list_pages(pages, "tasks/index.md")
    assert sum(p.count("<tr data-") for p in plan_pages) == len(rows["plans"])
    assert sum(p.count("<tr data-") for p in task_pages) == len(rows["tasks"]) == 107
    assert len(task_pages) == 2 and all(p.count("<tr data-") <= cards.PER_PAGE for p in task_pages)
    for key in ("type", "year", "issuer", "level", "province", "status"):
        assert f'data-{key}="' in plan_pages[0]
    assert 'data-keys="province lead status year recurrence due"' in task_pages[0]


def test_pager_links_every_page_and_later_pages_leave_search(listing):
    lst, _ = listing
    pages = lst.pages()
    first, second = pages["tasks/index.md"], pages["tasks/trang-2.md"]
    assert '<a href="trang-2/" rel="next">' in first and '<span aria-current="page">1</span>' in first
    assert '<a href="../" rel="prev">' in second and SEARCH_END not in first and SEARCH_END in second
    assert "Trang 2/2: nhiệm vụ 101–107 trong 107" in second


def test_titles_come_first_and_cells_carry_their_column(listing):
    """On a phone each row is a card: its first cell is the title (the link), every cell is labelled."""
    lst, _ = listing
    pages = lst.pages()
    for name in ("plans/index.md", "directives/index.md", "units/index.md", "directives/33-ct-ttg-2021.md"):
        rows = re.findall(r"<tr[^>]*>(.*?)</tr>", pages[name].split("<tbody>", 1)[1])
        assert rows, name
        for row in rows:
            assert row.startswith('<td class="ck-title" data-label="'), (name, row[:80])
            assert '<a href="' in row.split("</td>", 1)[0], name
            assert all('data-label="' in td for td in row.split("</td>")[:-1]), name
    assert '<th scope="col" data-sort="sort-date" class="ck-nowrap">Ngày ban hành</th>' in pages["plans/index.md"]


def test_unit_page_links_its_long_lists(listing):
    lst, rows = listing
    pages = lst.pages()
    assert "Kế hoạch ban hành (1)" in pages["units/lang-son-cao-loc-ubnd.md"]
    unit = "tay-ninh-tp-tay-ninh-ubnd"
    page = pages[f"units/{unit}.md"]
    led = sum(1 for t in rows["task_units"] if t["unit"] == unit and t["role"] == "lead")
    assert f"Nhiệm vụ chủ trì ({led})" in page
    assert led > Listing.UNIT_SECTION_ROWS  # shown in part, the whole on its own pages
    assert page.count('<td class="ck-title"') <= 1 + 2 * Listing.UNIT_SECTION_ROWS
    assert f'<a href="chu-tri/">Xem tất cả {led} nhiệm vụ</a>' in page
    full = list_pages(pages, f"units/{unit}/chu-tri.md")
    assert sum(p.count('<td class="ck-title"') for p in full) == led


def test_by_year_and_province(listing):
    lst, _ = listing
    pages = lst.pages()
    years = pages["plans/theo-nam.md"]
    assert '<a href="2024/">2024</a>' in years and '<a href="khong-ghi/">Không ghi năm</a>' in years
    assert pages["plans/theo-nam/2024.md"].count("<tr data-") == 2
    provinces = pages["plans/theo-tinh.md"]
    assert '<a href="lang-son/">Lạng Sơn</a>' in provinces and "Cấp huyện: 1" in provinces
    assert pages["plans/theo-tinh/lang-son.md"].count("<tr data-") == 1

    # the provinces of today: Bắc Giang's plan is under Bắc Ninh, its former province named; Bắc
    # Giang keeps a page (links to it stay good) that says where it belongs now
    assert '<a href="bac-ninh-2025/">Bắc Ninh</a>' in provinces
    assert "gồm kế hoạch của Bắc Giang (trước 1/7/2025)" in provinces
    assert '<a href="bac-giang/">' not in provinces  # the index lists today's provinces only
    now = pages["plans/theo-tinh/bac-ninh-2025.md"]
    assert now.count("<tr data-") == 1 and "dinh-ke" in now
    assert '<a href="../bac-giang/">Bắc Giang</a>' in now
    before = pages["plans/theo-tinh/bac-giang.md"]
    assert before.count("<tr data-") == 1 and "Kế hoạch — Bắc Giang (trước 1/7/2025)" in before
    assert 'thuộc <a href="../bac-ninh-2025/">Bắc Ninh</a>' in before


def test_no_list_page_grows_with_the_corpus(tmp_path, monkeypatch):
    """Issue 12 item 9: with 10 rows a page, 4× the plans leave every list page about as large.

    (At 100 rows a page and 10,000 plans, this bound keeps every page far below 1 MB; ``make
    bench`` measures the built site.) The monitoring pages are held to the same bound
    (``tests/test_monitoring.py`` checks them on their own).
    """
    from congkhai.render.site import render_site
    from devtools.corpus import generate

    monkeypatch.setattr(cards, "PER_PAGE", 10)
    largest = {}
    for n in (40, 160):
        generate(tmp_path / str(n), n)
        _, pages = render_site(validate(tmp_path / str(n)), None, None)
        sizes = {
            k: len(v.encode())
            for k, v in pages.items()
            if k.endswith(".md") and not re.match(r"plans/[^/]+/[^/]+\.md$", k)
        }
        largest[n] = max(sizes.values())
        assert len([k for k in pages if k.startswith("tasks/")]) > n // 10  # the lists did get split
    assert largest[160] < 1.3 * largest[40], largest


def test_values_are_escaped(listing):
    lst, rows = listing
    plans = [dict(rows["plans"][0], title='<img src=x onerror="alert(1)">'), *rows["plans"][1:]]
    page = Listing(lst.model, {**rows, "plans": plans}).pages()["plans/index.md"]  # the shared rows stay intact
    assert "<img" not in page and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page


def test_page_note_separates_thousands_in_numbers_only():
    assert cards.page_note(1, 1, 4, "kế hoạch trích dẫn văn bản này, theo ngày") == (
        "4 kế hoạch trích dẫn văn bản này, theo ngày"
    )
    assert cards.page_note(101, 120, 12000, "nhiệm vụ") == "Trang 101/120: nhiệm vụ 10.001–10.100 trong 12.000"


def test_plan_lists_show_the_honest_state_the_plan_page_shows(tmp_path):
    """A plan for 2023 still written ``in_force`` reads "Đã hết thời hạn thực hiện" in the list
    in December 2026, as on its page; without a date to judge by, the record's own status."""
    import datetime as dt
    import html
    import re

    from congkhai.derive.status import plan_state
    from tests.conftest import copy_sources

    repo = copy_sources(tmp_path / "repo")
    v = validate(repo)
    rows = v.published
    today = dt.date(2026, 12, 1)

    def shown(listing: Listing) -> dict[str, str]:
        pages = listing.pages()
        text = "".join(list_pages(pages, "plans/index.md"))
        return {
            html.unescape(title): html.unescape(status)
            for status, title in re.findall(
                r'<tr [^>]*data-status="([^"]*)"[^>]*><td class="ck-title"[^>]*><a [^>]*>([^<]*)</a>', text
            )
        }

    states = {
        p["title"]: plan_state(p, [t for t in rows["tasks"] if t["plan_id"] == p["id"]], today) for p in rows["plans"]
    }
    assert {s.code for s in states.values()} >= {"ended", "draft"}, "the seeds have an ended plan and a draft"
    assert shown(Listing(v.model, rows, today=today)) == {t: s.label for t, s in states.items()}
    recorded = {p["title"]: v.model.vocabularies["plan_status"].label(p["status"]) for p in rows["plans"]}
    assert shown(Listing(v.model, rows)) == recorded


def test_long_lists_are_made_a_few_pages_per_job(listing, monkeypatch):
    """The plan and task lists are cut into jobs of ``PAGES_PER_JOB`` pages, each job making only
    its pages' rows (as one job, one worker made every task's row and every page at once), and the
    filter data one job per list — together exactly the pages of the whole lists, in order; the
    rows a job made are not kept after it."""
    lst, rows = listing
    monkeypatch.setattr(cards, "PER_PAGE", 3)
    monkeypatch.setattr(Listing, "PAGES_PER_JOB", 2)
    fresh = Listing(lst.model, rows)
    jobs = fresh.jobs()
    page_jobs = [job for job in jobs if job[0] == "pages"]
    tasks = len(fresh.listed_tasks())
    assert len(page_jobs) == -(-len(fresh.plans) // 6) + -(-tasks // 6) and tasks > 12
    made: list[str] = []
    real = Listing.make_task_data
    monkeypatch.setattr(Listing, "make_task_data", lambda self, t: made.append(t["id"]) or real(self, t))
    together: dict[str, str] = {}
    for job in jobs:
        before = len(made)
        pages = fresh.pages_of(job)
        if job[0] == "pages":
            assert len(pages) <= 2
            assert len(made) - before <= 6  # its pages' rows alone, never the whole list's
        together.update(pages)
        # and lets them go: a worker kept every row of every job it drew, a copy per worker
        assert not fresh._task_data and not fresh._plan_data
    whole = Listing(lst.model, rows)
    expected = {**whole.plan_list(), **whole.task_list(), **whole.filter_data()}
    assert {k: together[k] for k in expected} == expected
    assert [k for k in together if k in expected] == [k for k in expected if k in together]


def test_the_listed_tasks_are_found_once_before_the_jobs(listing, monkeypatch):
    """Counted when the jobs are made (before the workers fork, who inherit them), never again per
    job of the task list: each job scanned every task of the country."""
    lst, rows = listing
    fresh = Listing(lst.model, rows)
    scanned = []
    real_rows = fresh.rows

    class Counting(dict):
        def __getitem__(self, name):
            if name == "tasks":
                scanned.append(name)
            return dict.__getitem__(self, name)

    fresh.rows = Counting(real_rows)
    jobs = fresh.jobs()
    assert len(scanned) == 1
    for job in jobs:
        if job[0] == "pages" and job[1].startswith("task_list"):
            fresh.pages_of(job)
    assert len(scanned) == 1
