"""The real MkDocs site, built from the seed plans in a temporary copy."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from congkhai.cli import main
from congkhai.load.corpus import plan_files
from congkhai.publish.site import wait_removals


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from tests.conftest import copy_sources

    repo = copy_sources(tmp_path_factory.mktemp("site") / "repo")
    assert main(["build", "--root", str(repo)]) == 0
    return repo, repo / "site"


def test_every_plan_has_a_page_with_its_title_and_body(built):
    import yaml

    repo, site = built
    for path in plan_files(repo):
        text = path.read_text(encoding="utf-8")
        fm = yaml.safe_load(text.split("---\n")[1])
        page = site / "plans" / fm["province"] / fm["id"] / "index.html"
        html = page.read_text(encoding="utf-8")
        assert fm["title"].split()[0] in html
        first_para = next(line for line in text.split("---\n", 2)[2].splitlines() if len(line) > 40)
        assert first_para[:30] in html, path.name
        for task in fm["tasks"]:
            assert task["section"] in html


def test_site_is_vietnamese_and_makes_no_external_requests(built):
    _, site = built
    index = (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="vi"' in index
    # a <link rel="schema.DC"> names the Dublin Core vocabulary (DC-HTML); no browser fetches it
    fetches = re.compile(
        r'<(?:script|img|iframe|source|audio|video)\b[^>]*\ssrc="(?:https?:)?//'
        r'|<link\b(?![^>]*\srel="schema\.DC")[^>]*\shref="(?:https?:)?//'
        r'|url\(\s*["\']?(?:https?:)?//|@import\s+["\'](?:https?:)?//'
    )
    for page in [*site.rglob("*.html"), *site.rglob("*.css"), *site.rglob("*.js")]:
        text = page.read_text(encoding="utf-8", errors="replace")
        m = fetches.search(text)
        assert m is None, f"{page.relative_to(site)} requests an external resource: {text[m.start() : m.start() + 120]}"
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text


def test_datasets_are_published_under_data(built):
    _, site = built
    for name in ("plans.csv", "tasks.csv", "directives.csv", "citations.csv", "datapackage.json", "cong-khai.json"):
        assert (site / "data" / name).stat().st_size > 100
    assert "Điều khoản sử dụng" in (site / "data" / "index.html").read_text(encoding="utf-8")


def test_front_matter_values_are_escaped(tmp_path):
    from tests.conftest import copy_sources

    repo = copy_sources(tmp_path / "repo")
    plan = next(iter(plan_files(repo)))
    text = plan.read_text(encoding="utf-8")
    text = text.replace("\nnotes: ", '\nnotes: "<script>alert(1)</script> *x* | [a](javascript:b)"\nnotes_old: ', 1)
    text = text.replace("\nnotes_old: ", "\n# ", 1)
    plan.write_text(text, encoding="utf-8")
    assert main(["build", "--root", str(repo)]) == 0
    page = next((repo / "site" / "plans").rglob(f"{plan.stem}/index.html")).read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="javascript:' not in page


def test_failed_validation_keeps_the_previous_site(tmp_path, capsys):
    from tests.conftest import copy_sources

    repo = copy_sources(tmp_path / "repo")
    assert main(["build", "--root", str(repo)]) == 0
    marker = repo / "site" / "index.html"
    before = marker.read_bytes()
    plan = next(iter(plan_files(repo)))
    plan.write_text(plan.read_text(encoding="utf-8").replace("status: ", "status: nonsense\nx: ", 1), encoding="utf-8")
    assert main(["build", "--root", str(repo)]) == 1
    assert marker.read_bytes() == before
    assert "vocabulary-error" in capsys.readouterr().out


def test_failed_site_build_keeps_the_previous_site(tmp_path):
    from tests.conftest import copy_sources

    repo = copy_sources(tmp_path / "repo")
    assert main(["build", "--root", str(repo)]) == 0
    before = sorted(p.relative_to(repo / "site") for p in (repo / "site").rglob("*"))
    (repo / "mkdocs.yml").write_text((repo / "mkdocs.yml").read_text() + "\nnav_typo: [\n", encoding="utf-8")
    assert main(["build", "--root", str(repo)]) == 1
    assert sorted(p.relative_to(repo / "site") for p in (repo / "site").rglob("*")) == before
    assert not list(repo.glob(".site-*")), "staging folders must be cleaned up"


def test_a_failing_search_indexer_is_a_clear_message_and_keeps_the_previous_site(tmp_path, capsys, monkeypatch):
    """The search index failing (a page unreadable) ends like any failed build: named, exit 1, site kept."""
    from congkhai.publish import search
    from tests.conftest import copy_sources

    repo = copy_sources(tmp_path / "repo")
    assert main(["build", "--root", str(repo)]) == 0
    before = (repo / "site" / "index.html").read_bytes()

    def broken(site_dir, *hints):
        raise search.SearchIndexError("cannot read plans/x/index.html: Permission denied")

    monkeypatch.setattr(search, "index_site", broken)
    capsys.readouterr()
    assert main(["build", "--root", str(repo)]) == 1
    err = capsys.readouterr().err
    assert "chỉ mục tìm kiếm" in err and "cannot read plans/x/index.html" in err and "dựng lại" in err
    assert "Lỗi nội bộ" not in err and "Traceback" not in err
    assert (repo / "site" / "index.html").read_bytes() == before
    assert main(["build", "--root", str(repo), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "The search index failed" in err and "build again" in err and "previous site" in err
    assert "chỉ mục" not in err
    assert (repo / "site" / "index.html").read_bytes() == before


def test_a_broken_link_in_a_page_fails_the_build_and_is_named(tmp_path, capsys):
    """MkDocs' strict mode is on: a link to a page that does not exist stops the build."""
    from tests.conftest import copy_sources

    repo = copy_sources(tmp_path / "repo")
    guide = repo / "docs" / "huong-dan" / "index.md"
    guide.write_text(guide.read_text(encoding="utf-8") + "\n[Mẫu văn bản](khong-co-trang-nay.md)\n", encoding="utf-8")
    assert main(["build", "--root", str(repo)]) == 1
    err = capsys.readouterr().err
    assert "khong-co-trang-nay.md" in err and "huong-dan/index.md" in err
    assert not (repo / "site").exists()


def test_the_original_file_is_offered_to_read(built):
    """Linked to be opened (not forced to download), and served as the committed text with a UTF-8
    byte-order mark, so a browser that gets no charset from the server still reads Vietnamese."""
    repo, site = built
    page = (site / "plans" / "lang-son" / "lang-son-cao-loc-2024-kh-ubnd" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a [^>]*href="\.\./002_cdfb92253c4322e4\.txt"[^>]*>Xem tệp nguồn</a>', page)
    served = (site / "plans" / "lang-son" / "002_cdfb92253c4322e4.txt").read_bytes()
    assert served == b"\xef\xbb\xbf" + (repo / "docs" / "plans" / "lang-son" / "002_cdfb92253c4322e4.txt").read_bytes()


def test_site_url_gives_absolute_sitemap_feed_and_catalogue(tmp_path, monkeypatch):
    import json
    import xml.etree.ElementTree as ET

    from tests.conftest import copy_sources

    monkeypatch.setenv("SITE_URL", "https://cong-khai.example.vn/ke-hoach/")
    repo = copy_sources(tmp_path / "repo")
    assert main(["build", "--root", str(repo)]) == 0
    site = repo / "site"
    locs = [
        e.text
        for e in ET.parse(site / "sitemap.xml").getroot().iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]
    assert "https://cong-khai.example.vn/ke-hoach/plans/lang-son/lang-son-cao-loc-2024-kh-ubnd/" in locs
    feed = ET.parse(site / "feed.xml").getroot()
    links = [e.get("href") for e in feed.iter("{http://www.w3.org/2005/Atom}link")]
    assert any(str(h).startswith("https://cong-khai.example.vn/ke-hoach/plans/") for h in links)
    catalog = json.loads((site / "data" / "catalog.jsonld").read_text(encoding="utf-8"))
    assert "https://cong-khai.example.vn/ke-hoach/data/plans.csv" in json.dumps(catalog)


def test_withdrawn_and_superseded_plans_stay_readable_with_a_banner(tmp_path):
    from tests.conftest import copy_sources

    repo = copy_sources(tmp_path / "repo")
    old = repo / "docs" / "plans" / "tay-ninh" / "tay-ninh-tp-tay-ninh-2023-phoi-hop-cong-tac-dan-van-chinh-quyen.md"
    gone = repo / "docs" / "plans" / "bac-kan" / "bac-kan-2023-276-ubnd-ncpc.md"
    old.write_text(
        old.read_text(encoding="utf-8").replace(
            "status: in_force",
            'status: superseded\nstatus_date: "2024-01-15"\nsuperseded_by: lang-son-cao-loc-2024-kh-ubnd',
            1,
        ),
        encoding="utf-8",
    )
    gone.write_text(
        gone.read_text(encoding="utf-8").replace(
            "status: in_force",
            'status: withdrawn\nstatus_date: "2023-02-01"\nstatus_reason: "Ban hành nhầm <b>số</b>"',
            1,
        ),
        encoding="utf-8",
    )
    assert main(["build", "--root", str(repo)]) == 0
    site = repo / "site" / "plans"
    superseded = (site / "tay-ninh" / old.stem / "index.html").read_text(encoding="utf-8")
    assert "Đã được thay thế" in superseded and "15/01/2024" in superseded
    assert 'href="../../lang-son/lang-son-cao-loc-2024-kh-ubnd/"' in superseded
    withdrawn = (site / "bac-kan" / gone.stem / "index.html").read_text(encoding="utf-8")
    assert "Đã thu hồi" in withdrawn and "Ban hành nhầm &lt;b&gt;số&lt;/b&gt;" in withdrawn
    assert "Toàn văn" in withdrawn  # still readable


def test_a_build_killed_midway_leaves_the_previous_site_intact(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    from tests.conftest import copy_sources

    repo = copy_sources(tmp_path / "repo")
    assert main(["build", "--root", str(repo)]) == 0
    site = repo / "site"
    (site / "marker.txt").write_text("the previous site")
    before = (site / "index.html").read_bytes()
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.Popen(
        [sys.executable, str(root / "build_site.py"), "build", "--root", str(repo)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not list(repo.glob(".site-staging-*/pages/index.md")):  # killed while it stages and builds
        assert proc.poll() is None and time.monotonic() < deadline, "the build ended before it could be killed"
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert (site / "marker.txt").read_text() == "the previous site"
    assert (site / "index.html").read_bytes() == before
    assert main(["build", "--root", str(repo)]) == 0  # the next build recovers and cleans up
    wait_removals()  # its own staging folder, removed after it
    assert not (site / "marker.txt").exists() and not list(repo.glob(".site-staging-*"))


def test_follow_links_on_plan_unit_and_province_pages_resolve(built):
    """The "Theo dõi" block and the head's own feeds on a plan's, a body's and a former province's
    page name files of the site (render/follow.py)."""
    import posixpath

    _, site = built
    bg = "bac-giang-tp-bac-giang-dinh-ke-2024-72-khph-kdv-ubnd"
    pages = {
        f"plans/bac-giang/{bg}/index.html": {f"nguon-tin/ke-hoach/{bg}.xml", f"nguon-tin/ke-hoach/{bg}.ics"},
        "units/bac-giang-tp-bac-giang-dinh-ke-ubnd/index.html": {
            "nguon-tin/don-vi/bac-giang-tp-bac-giang-dinh-ke-ubnd.xml",
            "nguon-tin/don-vi/bac-giang-tp-bac-giang-dinh-ke-ubnd.ics",
        },
        # former Bắc Giang's plans belong to Bắc Ninh since 1 July 2025
        "plans/theo-tinh/bac-giang/index.html": {
            "nguon-tin/tinh/bac-ninh-2025.xml",
            "nguon-tin/tinh/bac-ninh-2025.ics",
        },
    }
    for page, expected in pages.items():
        html = (site / page).read_text(encoding="utf-8")
        folder = posixpath.dirname(page)
        head = html.split("</head>", 1)[0]
        alternates = re.findall(r'<link rel="alternate" type="([^"]+)" title="[^"]+" href="([^"]+)">', head)
        in_head = {posixpath.normpath(posixpath.join(folder, href)) for _, href in alternates}
        in_body = {
            posixpath.normpath(posixpath.join(folder, href))
            for href in re.findall(r'href="([^"]*nguon-tin/[^"]+)"', html.split("</head>", 1)[1])
        }
        assert expected <= in_head, (page, in_head)
        assert in_body == expected, (page, in_body)
        assert {"feed.xml", "tien-do.xml", "lich-nhiem-vu.ics"} <= in_head, "the site-wide feeds stay"
        for path in expected:
            data = (site / path).read_bytes()
            assert data.startswith(b"<?xml") or data.startswith(b"BEGIN:VCALENDAR\r\n"), path
    assert "Nhận thông báo khi kế hoạch thay đổi (RSS/Atom)" in (site / f"plans/bac-giang/{bg}/index.html").read_text(
        encoding="utf-8"
    )


def test_the_open_data_page_and_the_tasks_list_link_what_a_follower_takes(built):
    """The DCAT catalogue is in the open-data page's head and table; the tasks list links the
    progress feed and the deadline calendar in its text (every page's head has those too)."""
    _, site = built
    data = (site / "data" / "index.html").read_text(encoding="utf-8")
    head, body = data.split("</head>", 1)
    assert (
        '<link rel="alternate" type="application/ld+json" title="Danh mục dữ liệu (DCAT)" href="catalog.jsonld">'
        in head
    )
    assert 'href="catalog.jsonld"' in body and (site / "data" / "catalog.jsonld").is_file()
    tasks = (site / "tasks" / "index.html").read_text(encoding="utf-8")
    article = tasks.split("<article", 1)[1].split("</article>", 1)[0]
    assert 'href="../tien-do.xml"' in article and 'href="../lich-nhiem-vu.ics"' in article


# --- The site's public address: a publishing build and a preview (issue 15) --------------------

STANDARDS = Path(__file__).parent / "fixtures" / "standards"
PREVIEW_NOTICE = "Bản xem trước — chưa công bố"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _git(repo: Path, when: str, *args: str) -> None:
    import os
    import subprocess

    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.vn",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.vn",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
        "GIT_CONFIG_GLOBAL": "/dev/null",
    }
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def _xmllint(schema: Path, doc: Path) -> tuple[int, str]:
    import shutil
    import subprocess

    if shutil.which("xmllint") is None:
        pytest.fail("xmllint is missing: run `make browser-deps` (Debian's libxml2-utils)")
    proc = subprocess.run(["xmllint", "--noout", "--schema", str(schema), str(doc)], capture_output=True, text=True)
    return proc.returncode, proc.stderr


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str, str]:
    """The seed plans in git: released (tag du-lieu-2024-01-10), then one plan retitled on 5 March;
    built with the site's address. Returns (repo, site, the changed plan's page URL, another's)."""
    from tests.conftest import copy_sources

    repo = copy_sources(tmp_path_factory.mktemp("published") / "repo")
    _git(repo, "2024-01-10T10:00:00+07:00", "init", "-q", "-b", "main")
    _git(repo, "2024-01-10T10:00:00+07:00", "add", "-A")
    _git(repo, "2024-01-10T10:00:00+07:00", "commit", "-q", "-m", "Đăng tải")
    _git(repo, "2024-01-10T10:00:00+07:00", "tag", "du-lieu-2024-01-10")
    plans = sorted((repo / "docs" / "plans").rglob("*.md"))
    changed, other = plans[0], plans[1]
    text = changed.read_text(encoding="utf-8")
    title = re.search(r'^title: "(.*)"$', text, re.MULTILINE)
    assert title is not None
    changed.write_text(text.replace(title.group(0), f'title: "{title.group(1)} (sửa)"', 1), encoding="utf-8")
    _git(repo, "2024-03-05T09:00:00+07:00", "commit", "-q", "-a", "-m", "Sửa tên kế hoạch")
    mp = pytest.MonkeyPatch()
    mp.setenv("SITE_URL", "https://cong-khai.example.vn/ke-hoach/")
    mp.delenv("SOURCE_DATE_EPOCH", raising=False)
    try:
        assert main(["build", "--root", str(repo)]) == 0
    finally:
        mp.undo()

    def page(path: Path) -> str:
        return (
            "https://cong-khai.example.vn/ke-hoach/plans/"
            + path.relative_to(repo / "docs" / "plans").with_suffix("").as_posix()
            + "/"
        )

    return repo, repo / "site", page(changed), page(other)


def test_sitemap_passes_the_sitemaps_org_schema(published):
    _, site, _, _ = published
    assert _xmllint(STANDARDS / "sitemap-0.9.xsd", site / "sitemap.xml") == (0, f"{site / 'sitemap.xml'} validates\n")


def test_the_sitemap_schema_check_fails_on_an_empty_or_relative_sitemap(tmp_path):
    """What a build without the address used to write: an empty urlset (or relative addresses)."""
    empty = tmp_path / "empty.xml"
    empty.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n</urlset>\n'
    )
    assert _xmllint(STANDARDS / "sitemap-0.9.xsd", empty)[0] != 0
    relative = tmp_path / "relative.xml"
    relative.write_text('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>/</loc></url></urlset>')
    assert _xmllint(STANDARDS / "sitemap-0.9.xsd", relative)[0] != 0


def test_sitemap_dates_come_from_git(published):
    """A plan page: the day of the last commit touching its file; every other page: the newest
    commit of the sources (lists and counts are made from all plans). Never the build's day."""
    import gzip
    import xml.etree.ElementTree as ET

    _, site, changed, other = published
    dates = {
        u.findtext(f"{SITEMAP_NS}loc"): u.findtext(f"{SITEMAP_NS}lastmod")
        for u in ET.parse(site / "sitemap.xml").getroot().iter(f"{SITEMAP_NS}url")
    }
    assert dates[changed] == "2024-03-05"
    assert dates[other] == "2024-01-10"
    assert dates["https://cong-khai.example.vn/ke-hoach/"] == "2024-03-05"
    assert set(dates.values()) == {"2024-01-10", "2024-03-05"}
    assert all(str(loc).startswith("https://cong-khai.example.vn/ke-hoach/") for loc in dates)
    packed = (site / "sitemap.xml.gz").read_bytes()
    assert gzip.decompress(packed) == (site / "sitemap.xml").read_bytes()
    assert int.from_bytes(packed[4:8], "little") == 1709596800  # 2024-03-05 UTC: no build time


def test_published_build_has_no_preview_notice_and_robots_names_the_sitemap(published):
    _, site, _, _ = published
    pages = list(site.rglob("*.html"))
    assert len(pages) > 50
    assert not [p for p in pages if PREVIEW_NOTICE in p.read_text(encoding="utf-8")]
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://cong-khai.example.vn/ke-hoach/sitemap.xml\n" in robots
    assert "Disallow: /\n" not in robots


def test_what_changed_compares_with_the_previous_release_from_git(published):
    """Not with whatever site/ held: the first build of a fresh clone names the release and the
    plan retitled since it."""
    import json

    repo, site, _, _ = published
    page = (repo / "site" / "data" / "index.html").read_text(encoding="utf-8")
    assert "lần công bố đầu tiên" not in page
    assert "du-lieu-2024-01-10" in page and "Phiên bản 2024.01.10 → 2024.03.05" in page
    assert "(sửa)" in page
    descriptor = json.loads((site / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["version"] == "2024.03.05"
    assert descriptor["homepage"] == "https://cong-khai.example.vn/ke-hoach/"


def test_preview_build_says_so_everywhere_and_has_no_sitemap(tmp_path, capsys, monkeypatch):
    from tests.conftest import copy_sources

    monkeypatch.delenv("SITE_URL", raising=False)
    repo = copy_sources(tmp_path / "repo")
    assert main(["build", "--root", str(repo)]) == 0
    out = capsys.readouterr().out
    assert "bản xem trước" in out and "SITE_URL" in out
    site = repo / "site"
    pages = [p for p in site.rglob("*.html") if "quan-tri" not in p.parts]
    assert len(pages) > 50
    assert [p for p in pages if PREVIEW_NOTICE not in p.read_text(encoding="utf-8")] == []
    assert not (site / "sitemap.xml").exists() and not (site / "sitemap.xml.gz").exists()
    assert (site / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\nDisallow: /\n"


def test_the_build_keeps_the_corpus_out_of_the_collectors_walks_and_lets_go_after(tmp_path, monkeypatch):
    """Every full collection walked the whole corpus again (``gc.full``: 148 s of a 50,000-plan
    build): the build freezes it once, through the render stage and the search index alike, and
    leaves nothing frozen when it ends, built or failed."""
    import gc

    from congkhai import parallel
    from congkhai.publish import search
    from congkhai.publish import site as site_module
    from tests.conftest import copy_sources

    seen: dict[str, tuple[bool, int]] = {}
    real_render, real_index = site_module.render_into, search.index_site

    def render(*args, **kwargs):
        seen["render"] = (parallel._keeping(), gc.get_freeze_count())
        return real_render(*args, **kwargs)

    def index(*args, **kwargs):
        seen["search"] = (parallel._keeping(), gc.get_freeze_count())
        return real_index(*args, **kwargs)

    monkeypatch.setattr(site_module, "render_into", render)
    monkeypatch.setattr(search, "index_site", index)
    repo = copy_sources(tmp_path / "repo")
    assert main(["build", "--root", str(repo)]) == 0
    for step in ("render", "search"):
        keeping, frozen = seen[step]
        assert keeping and frozen > 10_000, (step, seen[step])
    assert gc.get_freeze_count() == 0 and not parallel._keeping()

    def broken(*args, **kwargs):
        raise search.SearchIndexError("cannot read plans/x/index.html")

    monkeypatch.setattr(search, "index_site", broken)
    assert main(["build", "--root", str(repo)]) == 1
    assert gc.get_freeze_count() == 0 and not parallel._keeping()


def test_every_page_showing_plan_data_is_cleaned_except_those_restored_clean(tmp_path):
    """The sanitiser's pass over the built site (defence in depth): every page under the folders of
    plan data, at any depth, has its article cleaned; a page restored from the page cache (cleaned
    when it was built) and pages elsewhere are left as they are; a page without Material's article
    is named."""
    from congkhai.publish.site import BuildError, clean_generated

    def page(body: str) -> str:
        return f'<html><body><article class="md-content__inner md-typeset">{body}</article></body></html>'

    hostile = page("<p>x</p><script>alert(1)</script>")
    paths = ["plans/index.html", "plans/ha-noi/a/index.html", "units/u/index.html", "directives/d/v/index.html"]
    kept = ["plans/ha-noi/b/index.html", "tasks/index.html", "plans/ha-noi/a/other.html"]
    for rel in paths + kept:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(hostile, encoding="utf-8")
    clean_generated(tmp_path, restored=frozenset({"plans/ha-noi/b/index.html"}))
    for rel in paths:
        text = (tmp_path / rel).read_text(encoding="utf-8")
        assert "<script>" not in text and "<p>x</p>" in text, rel
    for rel in kept:
        assert (tmp_path / rel).read_text(encoding="utf-8") == hostile, rel
    (tmp_path / "units" / "v" / "w").mkdir(parents=True)
    (tmp_path / "units" / "v" / "w" / "index.html").write_text("<html><body><p>x</p></body></html>", encoding="utf-8")
    with pytest.raises(BuildError) as found:
        clean_generated(tmp_path)
    assert "units/v/w" in str(found.value.args)
