"""Search: query folding and the Pagefind index of a tiny built site."""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from congkhai.publish import search
from congkhai.publish.search import (
    KINDS,
    SENTINEL,
    PageHint,
    SearchIndexError,
    fold_query,
    index_site,
    number_token,
    page_hints,
    prepare_html,
    search_tokens,
)
from congkhai.render.markdown import SEARCH_END


def test_number_tokens_are_joined_and_folded():
    assert number_token("72-KHPH/KDV-UBND") == "72khphkdvubnd"
    assert number_token("33/CT-TTg") == "33ctttg"
    assert number_token("30/2020/NĐ-CP") == "302020ndcp"
    assert number_token("30/2020/ÐĐ-CP") == "302020ddcp"  # look-alike Ð


# what a reader types → what is sent to Pagefind; the browser's search.js is held to the same list
FOLD_CASES = [
    ("dan van kheo", "danvan vankheo"),
    (unicodedata.normalize("NFD", "Dân vận khéo"), "danvan vankheo"),
    ("hoà giải", "hoagiai"),
    ("hòa giải", "hoagiai"),
    ("dang uy", "danguy"),
    ("\u00d0ảng ủy", "danguy"),
    ("72-KHPH/KDV-UBND", "72khphkdvubnd"),
    ("Chỉ thị 33/CT-TTg", "chithi 33ctttg"),
    ("  30/2020/NĐ-CP ", "302020ndcp"),
    ("26/11/2021", "26/11/2021"),
    ("", ""),
    ("Ủy ban 72-KHPH/KDV-UBND xã", "uyban 72khphkdvubnd xã"),  # a number breaks the run of syllables
]


@pytest.mark.parametrize(("typed", "sent"), FOLD_CASES)
def test_fold_query(typed, sent):
    assert fold_query(typed) == sent


def test_search_tokens_fold_d_join_numbers_and_pair_syllables():
    tokens = search_tokens("Khối dân vận Đảng ủy thực hiện Nghị định 30/2020/NĐ-CP, hòa giải ở cơ sở.")
    assert {"dang", "dinh", "302020ndcp", "danguy", "hoagiai", "oco", "coso"} <= set(tokens)
    assert "hiennghi" in tokens and "cphoa" not in tokens  # pairs never cross punctuation or numbers


PAGE = """<!doctype html><html lang="vi"><head><title>{title}</title></head><body>
<header>Đầu trang</header><nav>Mục lục</nav>
<article class="md-content__inner md-typeset"><h1 id="x">{title}<a class="headerlink" href="#x">&para;</a></h1>
<table><tr><td>Số, ký hiệu</td><td>{number}</td></tr></table>
<p>{body}</p></article><footer>Chân trang</footer></body></html>"""


def write_site(root: Path) -> Path:
    site = root / "site"
    pages = {
        "plans/a/index.html": ("Phối hợp với Khối dân vận Đảng ủy", "72-KHPH/KDV-UBND", "Phong trào Dân vận khéo."),
        "plans/b/index.html": ("Thực hiện Chỉ thị", "10/KH-UBND", "Theo Chỉ thị số 33/CT-TTg; hòa giải ở cơ sở."),
        "index.html": ("Trang chủ", "", "Công khai kế hoạch."),
    }
    for rel, (title, number, body) in pages.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(PAGE.format(title=title, number=number, body=body), encoding="utf-8")
    (site / "404.html").write_text("<html><body>404</body></html>", encoding="utf-8")
    return site


def test_prepare_html_marks_the_body_weights_title_and_number_and_hides_tokens():
    html = PAGE.format(title="Khối dân vận Đảng ủy", number="72-KHPH/KDV-UBND", body="Dân vận khéo")
    out = prepare_html(html)
    assert out is not None
    assert "data-pagefind-body" in out and '<h1 data-pagefind-weight="10"' in out
    assert '<td data-pagefind-weight="10">72-KHPH/KDV-UBND' in out
    assert "&para;" not in out
    hidden = out[out.index("<div hidden") :]
    assert SENTINEL in hidden and "72khphkdvubnd" in hidden and "danguy" in hidden
    assert prepare_html("<html><body>no article</body></html>") is None


def test_index_site_writes_the_bundle_and_leaves_pages_alone(tmp_path):
    site = write_site(tmp_path)
    before = (site / "plans/a/index.html").read_text(encoding="utf-8")
    index_site(site)
    bundle = site / "pagefind"
    assert (bundle / "pagefind.js").is_file() and (bundle / "meta.json").is_file()
    meta = json.loads((bundle / "meta.json").read_text(encoding="utf-8"))
    assert meta["indexed"] == 3  # 404 and pages without an article are skipped
    assert (site / "plans/a/index.html").read_text(encoding="utf-8") == before
    first = {p.relative_to(bundle): p.read_bytes() for p in bundle.rglob("*") if p.is_file()}
    index_site(site)  # runs again over an existing bundle: the same files, the same bytes
    assert {p.relative_to(bundle): p.read_bytes() for p in bundle.rglob("*") if p.is_file()} == first
    assert not (site / "pagefind" / "pagefind").exists()


def test_index_site_errors(tmp_path):
    with pytest.raises(SearchIndexError):
        index_site(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(SearchIndexError, match="no page"):
        index_site(tmp_path / "empty")
    (tmp_path / "bare" / "a").mkdir(parents=True)
    (tmp_path / "bare" / "a" / "index.html").write_text("<html><body>no article</body></html>", encoding="utf-8")
    with pytest.raises(SearchIndexError, match="no page"):
        index_site(tmp_path / "bare")
    assert not (tmp_path / "bare" / "pagefind").exists()


def test_a_unit_page_is_indexed_up_to_its_task_lists():
    """The tasks on a unit's page are the tasks of its plans: indexed there, not twice."""
    page = PAGE.format(title="UBND xã Hòa Bình", number="", body="Cấp xã").replace(
        "</p></article>", f"</p>{SEARCH_END}<h2>Nhiệm vụ chủ trì</h2><p>hòa giải ở cơ sở</p></article>"
    )
    prepared = prepare_html(page)
    assert prepared is not None
    indexed = prepared[prepared.index("data-pagefind-body") :]
    assert "Cấp xã" in indexed and "xahoa" in indexed.replace(" ", "")
    assert "Nhiệm vụ chủ trì" not in indexed and "hoagiai" not in indexed
    whole = prepare_html(page.replace(SEARCH_END, ""))
    assert whole is not None and "hoagiai" in whole  # without the marker the tasks would be indexed


def test_lists_of_everything_are_not_indexed(tmp_path):
    """A query leads to the plan or body that matches, not to a list of everything or an old version."""
    lists = ("plans/index.html", "tasks/index.html", "data/ke-hoach/p1/phien-ban/1df892b/index.html")
    for rel in (*lists, "plans/bg/p1/index.html", "units/u1/index.html"):
        path = tmp_path / rel
        path.parent.mkdir(parents=True)
        path.write_text(PAGE.format(title=f"Trang {rel}", number="1/KH-UBND", body="Dân vận khéo"), encoding="utf-8")
    index_site(tmp_path)
    meta = json.loads((tmp_path / "pagefind" / "meta.json").read_text(encoding="utf-8"))
    assert meta["indexed"] == 2


def test_hidden_tokens_carry_how_often_the_text_says_them():
    """Each token once (its positions would cost every query), its frequency in the weight."""
    body = "Dân vận khéo. " * 6 + "Hòa giải ở cơ sở; hòa giải. Cải cách."
    prepared = prepare_html(PAGE.format(title="Kế hoạch", number="", body=body))
    assert prepared is not None
    hidden = prepared[prepared.index(SENTINEL) :]
    groups = dict(re.findall(r'<p data-pagefind-weight="(\d)">([^<]*)</p>', hidden))
    assert "danvan" in groups["3"].split() and "hoagiai" in groups["2"].split() and "caicach" in groups["1"].split()
    assert hidden.count("danvan") == 1


def test_pairs_skip_function_words_a_reader_leaves_out():
    """A query "dan chu co so" sends danchu chuco coso: the text "dân chủ ở cơ sở" must hold chuco."""
    tokens = set(search_tokens("Thực hiện dân chủ ở cơ sở và phong trào của các đoàn thể"))
    assert {"danchu", "chuo", "oco", "coso", "chuco"} <= tokens
    assert {"sophong", "phongtrao"} <= tokens  # across "và"
    assert "traodoan" in tokens  # across two function words ("của các")
    assert "chuso" not in tokens and "ocac" not in tokens  # only function words are skipped, never a content word
    assert "nhaco" in set(search_tokens("nhà ở cơ")) and "nhaco" not in set(search_tokens("nhà ô cơ"))  # "ô" is not "ở"
    assert set(fold_query("dan chu co so").split()) <= set(search_tokens("dân chủ ở cơ sở"))


def test_the_metadata_panel_is_indexed_after_the_text():
    """Excerpts come from the plan's text; the panel's words stay findable in the hidden part."""
    page = PAGE.format(title="Kế hoạch", number="72-KHPH/KDV-UBND", body="Thực hiện dân chủ ở cơ sở.")
    page = page.replace("</table>", "<tr><td>Chủ đề</td><td>Cải cách hành chính</td></tr></table>")
    prepared = prepare_html(page)
    assert prepared is not None
    assert "<table data-pagefind-ignore>" in prepared
    hidden = prepared[prepared.index(SENTINEL) :]
    assert "Cải cách hành chính" in hidden and "caicach" in hidden and "72khphkdvubnd" in hidden
    assert "ký hiệu </td>" in prepared  # a space ends each cell: Pagefind would join "hiệu72"


def test_hints_give_the_kind_and_province_filters_and_the_places():
    hint = PageHint("ke-hoach", ("Dĩnh Kế", "Bắc Giang", "Bắc Ninh"), "Bắc Ninh")
    prepared = prepare_html(PAGE.format(title="Kế hoạch", number="", body="Văn bản"), hint)
    assert prepared is not None
    assert 'data-pagefind-filter="loai:ke-hoach"' in prepared
    assert '<span data-pagefind-filter="tinh:Bắc Ninh"></span>' in prepared
    weighted = re.search(r'<p data-pagefind-weight="10">([^<]*)</p>', prepared)
    assert weighted is not None and {"bacninh", "dinhke", "bacgiang"} <= set(weighted.group(1).split())
    assert 'data-pagefind-meta="loai:ke-hoach"' in prepared
    # every kind is a filter (the index takes them as page ranges: test_searchindex.py)
    other = prepare_html(PAGE.format(title="T", number="", body="b")) or ""
    assert 'data-pagefind-meta="loai:khac" data-pagefind-filter="loai:khac"' in other
    assert "tinh:" not in other  # a page in no province has no province filter
    unit = prepare_html(PAGE.format(title="T", number="", body="b"), PageHint("co-quan", (), "Cần Thơ")) or ""
    assert 'data-pagefind-filter="loai:co-quan"' in unit and 'data-pagefind-filter="tinh:Cần Thơ"' in unit
    doc = prepare_html(PAGE.format(title="T", number="", body="b"), PageHint("van-ban")) or ""
    assert 'data-pagefind-filter="loai:van-ban"' in doc
    assert 'loai:khac"' in (prepare_html(PAGE.format(title="T", number="", body="b"), PageHint("<x>")) or "")
    escaped = prepare_html(PAGE.format(title="T", number="", body="b"), PageHint("co-quan", (), 'A"<b>')) or ""
    assert 'tinh:A&quot;&lt;b&gt;"' in escaped


def test_page_hints_of_the_seeds(seed_repo):
    """Every plan, cited document and body page has its kind; a plan of former Bắc Giang is in Bắc Ninh."""
    from congkhai.load.corpus import validate
    from congkhai.model import sitemap

    corpus = validate(seed_repo)
    hints = page_hints(corpus)
    plan = corpus.by_id("plans")["bac-giang-tp-bac-giang-dinh-ke-2024-72-khph-kdv-ubnd"]
    hint = hints[sitemap.html_file(sitemap.plan_md(plan))]
    assert hint.kind == "ke-hoach" and hint.places == ("Dĩnh Kế", "Bắc Giang", "Bắc Ninh")
    assert hint.province == "Bắc Ninh"  # the filter by province: the 34 since 1 July 2025
    provinces = {h.province for h in hints.values() if h.kind == "ke-hoach"}
    assert provinces == {"Bắc Ninh", "Cần Thơ", "Lạng Sơn", "Tây Ninh", "Thái Nguyên"}  # Bắc Kạn → Thái Nguyên
    assert all(h.province for h in hints.values() if h.kind == "co-quan" and h.places)
    assert not any(h.province for h in hints.values() if h.kind == "van-ban")
    kinds = Counter(h.kind for h in hints.values())
    assert kinds == {
        "ke-hoach": len(corpus.published["plans"]),
        "van-ban": len(corpus.published["directives"]),
        "co-quan": len(corpus.published["units"]),
    }
    assert set(KINDS) >= set(kinds)


def test_the_plan_pages_navigation_and_summary_are_not_quoted():
    """Excerpts came from the summary card ("Số, ký hiệu276/UBND-NCPC. Loại văn bảnCông văn"): the
    breadcrumb, summary card, contents and print header are left out of the indexed text, while
    the properties table that says the same is still indexed (unseen)."""
    body = (
        '</p><nav class="ck-breadcrumb" aria-label="Đường dẫn"><ol><li>Trang chủ</li></ol></nav>'
        '<div class="ck-summary"><div class="ck-field">Số, ký hiệu 276/UBND-NCPC</div></div>'
        '<details class="ck-toc"><summary>Mục lục</summary></details>'
        '<div class="ck-print-head"><p>Số: 276/UBND-NCPC</p></div><p>Nội dung'
    )
    prepared = prepare_html(PAGE.format(title="Tiếp tục đẩy mạnh", number="276/UBND-NCPC", body=body)) or ""
    for cls in ("ck-breadcrumb", "ck-summary", "ck-toc", "ck-print-head"):
        assert re.search(rf'<(?:div|details|nav) class="{cls}"[^>]* data-pagefind-ignore', prepared), cls
    assert "276/UBND-NCPC" in prepared.split("data-pagefind-body", 1)[1]  # the number is still indexed


def test_no_result_of_the_built_site_quotes_a_plans_breadcrumb(published_site):
    """On the built site itself (the breadcrumb is a ``<nav>``, which the fixture above once wrote as
    a ``<div>``): no plan's result begins with "Trang chủ › province › body", and the plan pages
    still carry the breadcrumb for the reader."""
    from tests.test_searchindex import Reader

    site, _ = published_site
    reader = Reader(site / "pagefind")
    plans = [r for r in (reader.record(n) for n in range(reader.meta["pages"])) if r["kind"] == "ke-hoach"]
    assert plans
    for record in plans:
        assert not record["content"].startswith("Trang chủ"), record["url"]
        assert "Trang chủ" not in record["content"].split("\u2042")[0], record["url"]
        page = (site / record["url"] / "index.html").read_text(encoding="utf-8")
        assert '<nav class="ck-breadcrumb"' in page


def test_the_workers_write_the_display_files_and_the_bundle_is_the_one_process_one(tmp_path, monkeypatch):
    """The display files are written by the workers that read the pages (sent to the main process,
    they were its largest share of the search stage at 10,000 plans); the bundle is the same."""
    site = write_site(tmp_path)
    for n in range(40):  # more pages than one chunk of jobs
        (site / f"units/u{n}/index.html").parent.mkdir(parents=True)
        (site / f"units/u{n}/index.html").write_text(
            PAGE.format(title=f"Ủy ban xã {n}", number="", body=f"Dân vận khéo {n}."), encoding="utf-8"
        )
    log = tmp_path / "pids"
    real = search.write_display

    def noted(path, record):
        with log.open("a") as out:
            out.write(f"{os.getpid()}\n")
        return real(path, record)

    monkeypatch.setattr(search, "write_display", noted)
    monkeypatch.setenv("CONGKHAI_WORKERS", "1")
    index_site(site, out=tmp_path / "one")
    monkeypatch.setenv("CONGKHAI_WORKERS", "2")
    log.unlink()
    index_site(site, out=tmp_path / "two")
    pids = set(log.read_text().split())
    assert pids and str(os.getpid()) not in pids
    one, two = (
        {p.relative_to(tmp_path / d): p.read_bytes() for p in (tmp_path / d).rglob("*") if p.is_file()}
        for d in ("one", "two")
    )
    assert len(one) > 40 and one == two


def test_indexed_files_are_the_sites_pages_in_path_order(tmp_path: Path) -> None:
    """The pages search lists, in the order the index numbers them: part by part ("a/" before
    "a-b/", as sorted paths, not as strings), only files, none of the excluded ones."""
    site = tmp_path / "site"
    for rel in ("a-b/index.html", "a/index.html", "a/z/index.html", "a.html", "index.html", "404.html", "x.css"):
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text("<p>x</p>", encoding="utf-8")
    (site / "folder.html").mkdir()  # a folder named like a page is not a page
    (site / search.BUNDLE).mkdir()
    (site / search.BUNDLE / "p.html").write_text("x", encoding="utf-8")
    (site / "b").symlink_to(site / "a", target_is_directory=True)  # not followed
    assert search.indexed_files(site) == ["a/index.html", "a/z/index.html", "a-b/index.html", "a.html", "index.html"]
