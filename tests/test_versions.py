"""Old versions of a plan as pages: marked not current, canonical to the plan, noindex, out of
search and the sitemap; hostile or broken old texts never reach the page raw nor stop the build."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from congkhai.model.sanitize import sanitize_body, unlink_local
from congkhai.model.schemas import load_model
from congkhai.model.sitemap import is_version_page, version_md
from congkhai.read.history import Version
from congkhai.render.history import history_section, parse_versions, summaries
from congkhai.render.versions import BANNER_TITLE, TIMELINE, version_page, version_pages

PLAN = {"id": "kh-1", "province": "lang-son", "title": "Kế hoạch hiện hành"}
HOSTILE = "<script>alert(1)</script>"


def _text(title: str, body: str = "Nội dung.", extra: str = "") -> str:
    return f'---\nid: kh-1\ntitle: "{title}"\ndoc_type: ke_hoach\nnumber_symbol: "12/KH-UBND"\n{extra}---\n{body}\n'


def _versions(n: int) -> list[Version]:
    """``n`` versions, newest first, one a day from 2024-01-01."""
    return [
        Version(f"{i:07x}" + "0" * 33, f"2024-{1 + i // 28:02d}-{1 + i % 28:02d}T08:00:00+07:00", "x") for i in range(n)
    ][::-1]


def _page(texts: dict[str, str], versions: list[Version], index: int = 1, base_url: str = "") -> str:
    parsed = parse_versions(versions, texts)
    said = summaries(versions, texts, load_model(), parsed)
    return version_page(PLAN, versions, index, parsed[versions[index].sha], said, model=load_model(), base_url=base_url)


def test_a_version_page_says_it_is_old_and_links_the_current_plan() -> None:
    vs = _versions(2)
    texts = {vs[1].sha: _text(f"{HOSTILE} Kế hoạch cũ"), vs[0].sha: _text("Kế hoạch hiện hành", "Nội dung mới.")}
    md = _page(texts, vs)
    head, body = md[4:].split("\n---\n", 1)
    head += "\n"
    assert "canonical: ../../\n" in head and "robots: noindex\n" in head
    assert body.lstrip().startswith(f'!!! danger ck-old-version "{BANNER_TITLE}"')
    assert "phiên bản 1 trong 2" in body and "01/01/2024" in body
    assert "Lần thay đổi kế tiếp, ngày 02/01/2024: Sửa trích yếu, sửa nội dung văn bản." in body
    assert "[Xem phiên bản hiện hành](../../kh-1.md)" in body  # a page-set link: strict MkDocs checks it
    # the hostile old title: escaped in the heading, the front matter and the timeline
    assert HOSTILE not in md
    assert "# &lt;script&gt;alert(1)&lt;/script&gt; Kế hoạch cũ" in body
    assert "title: '&lt;script&gt;alert(1)&lt;/script&gt; Kế hoạch cũ (phiên bản 1, 01/01/2024)'" in head
    # the timeline: the current version linked to the plan, this one marked
    assert "- [Phiên bản 2 — 02/01/2024 (hiện hành)](../../kh-1.md)" in body
    assert "- **Phiên bản 1 — 01/01/2024 (đang xem)**" in body
    with_url = _page(texts, vs, base_url="https://cong-khai.example.vn/a")
    assert "canonical: https://cong-khai.example.vn/a/plans/lang-son/kh-1/\n" in with_url


def test_old_front_matter_values_are_escaped_in_the_metadata() -> None:
    vs = _versions(2)
    extra = 'issuers:\n  - unit: "<img src=x onerror=alert(2)>"\nsigners:\n  - name: "[x](javascript:alert(3))"\n'
    md = _page({vs[1].sha: _text("Cũ", extra=extra), vs[0].sha: _text("Mới")}, vs)
    assert "<img" not in md and "[x](javascript:" not in md
    assert "\\[x\\](javascript:alert(3))" in md  # brackets escaped: text, never a link
    assert "&lt;img src=x onerror=alert(2)&gt;" in md and "| Số, ký hiệu | 12/KH-UBND |" in md


def test_a_version_whose_front_matter_does_not_parse_shows_its_raw_text() -> None:
    vs = _versions(3)
    broken = "---\nid: kh-1\ntitle: [chưa đóng\n---\n<b>Thân</b> [x](a.md)\n"
    md = _page({vs[2].sha: _text("Đầu"), vs[1].sha: broken, vs[0].sha: _text("Cuối")}, vs)
    assert "Không đọc được phần thông tin đầu tệp" in md
    assert "    title: [chưa đóng\n" in md and "    <b>Thân</b> [x](a.md)\n" in md  # an indented code block
    assert "# Kế hoạch hiện hành" in md  # the title it has now, for want of one
    assert "Lần thay đổi kế tiếp, ngày 03/01/2024: Sửa trích yếu." in md  # compared with the last that parsed
    missing = version_page(PLAN, vs, 1, parse_versions(vs, {})[vs[1].sha], {})
    assert "Không đọc được nội dung của phiên bản này." in missing


def test_links_within_the_site_and_images_of_an_old_text_show_as_text() -> None:
    body = "[tệp](da-xoa.pdf) [mục](#khong-co) ![ảnh](da-xoa.png) [ngoài](https://a.vn/x) `[m](a.md)`\n\n[r]: b.md\n"
    out = unlink_local(sanitize_body(body))
    assert out == (
        "[tệp]&#40;da-xoa.pdf) [mục]&#40;#khong-co) !&#91;ảnh]&#40;da-xoa.png) [ngoài](https://a.vn/x) `[m](a.md)`"
        "\n\n[r]&#58; b.md\n"
    )
    vs = _versions(2)
    md = _page({vs[1].sha: _text("Cũ", body), vs[0].sha: _text("Mới")}, vs)
    assert "](da-xoa.pdf)" not in md and "](#khong-co)" not in md and "![" not in md
    assert "///Footnotes Go Here///" not in md  # no footnote: no marker left to show as text
    noted = _page({vs[1].sha: _text("Cũ", "Câu[^1].\n\n[^1]: Chú thích."), vs[0].sha: _text("Mới")}, vs)
    assert noted.index("[^1]: Chú thích.") < noted.index("///Footnotes Go Here///") < noted.index("## Các phiên bản")


def test_the_timeline_is_bounded_and_links_the_full_history() -> None:
    vs = _versions(60)
    texts = {v.sha: _text(f"Bản {i}") for i, v in enumerate(vs)}
    md = _page(texts, vs, index=30)
    entries = [line for line in md.split("\n") if line.startswith("- ")]
    assert len(entries) == TIMELINE
    assert "(hiện hành)" in entries[0] and sum("(đang xem)" in e for e in entries) == 1
    assert (
        "Trang này liệt kê 20 trong 60 phiên bản. [Xem toàn bộ lịch sử thay đổi](../../kh-1.md#lich-su-thay-doi)." in md
    )
    pages = version_pages(PLAN, vs, parse_versions(vs, texts), summaries(vs, texts), frozenset())
    assert len(pages) == 59 and version_md(PLAN, vs[0].short) not in pages
    assert max(len(p) for p in pages.values()) < 8_000


def test_the_history_links_each_old_version_page_and_its_file() -> None:
    vs = _versions(2)
    here = "plans/lang-son/kh-1.md"
    md = history_section(here, "kh-1", vs, {}, pages={vs[1].sha: version_md(PLAN, vs[1].short)})
    assert "| Phiên bản 2 (hiện hành) · [tệp gốc của phiên bản](../../data/ke-hoach/kh-1/phien-ban/0000001.txt) |" in md
    assert "| [Phiên bản 1](kh-1/phien-ban/0000000.md) · [tệp gốc của phiên bản](" in md


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("plans/lang-son/kh-1/phien-ban/abc1234.md", True),
        ("plans/lang-son/kh-1/phien-ban/abc1234/index.html", True),
        ("https://x.vn/a/plans/lang-son/kh-1/phien-ban/abc1234/", True),
        ("plans/lang-son/kh-1/index.html", False),
        ("data/ke-hoach/kh-1/phien-ban/abc1234.txt", False),
        ("plans/theo-tinh/phien-ban/abc1234/", False),
    ],
)
def test_is_version_page(path: str, expected: bool) -> None:
    assert is_version_page(path) is expected


# --- a site built from a real git repository -------------------------------------------------------

CAO_LOC = "docs/plans/lang-son/lang-son-cao-loc-2024-kh-ubnd.md"
SITE_URL = "https://cong-khai.example.vn/ke-hoach/"


def _git(repo: Path, when: str, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=repo, check=True, env=env, capture_output=True
    )


def versioned_repo(dest: Path) -> Path:
    """The seed sources in git, the Cao Lộc plan in three commits: first with a hostile title and
    links to files since removed, then with front matter that does not parse, then as it is."""
    from tests.conftest import copy_sources

    repo = copy_sources(dest)
    plan = repo / CAO_LOC
    now = plan.read_text(encoding="utf-8")
    title = re.search(r"^title: .*$", now, re.MULTILINE)
    assert title is not None
    old = now.replace(title.group(), f"title: '{HOSTILE} Kế hoạch cũ'", 1)
    old += "\nXem [phụ lục](phu-luc-da-xoa.pdf), ![sơ đồ](so-do.png) và [mục](#khong-co).\n"
    plan.write_text(old, encoding="utf-8")
    _git(repo, "2024-01-02T08:00:00+07:00", "init", "-q", "-b", "main")
    _git(repo, "2024-01-02T08:00:00+07:00", "add", "-A")
    _git(repo, "2024-01-02T08:00:00+07:00", "commit", "-qm", "first")
    plan.write_text(now.replace(title.group(), "title: [chưa đóng", 1), encoding="utf-8")
    _git(repo, "2024-02-03T08:00:00+07:00", "commit", "-qam", "broken")
    plan.write_text(now, encoding="utf-8")
    _git(repo, "2024-03-04T08:00:00+07:00", "commit", "-qam", "fixed")
    return repo


@pytest.fixture(scope="module")
def versioned_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from congkhai.cli import main

    repo = versioned_repo(tmp_path_factory.mktemp("versions") / "repo")
    saved = os.environ.get("SITE_URL")
    os.environ["SITE_URL"] = SITE_URL
    try:
        assert main(["build", "--root", str(repo)]) == 0
    finally:
        if saved is None:
            del os.environ["SITE_URL"]
        else:
            os.environ["SITE_URL"] = saved
    return repo / "site"


def _old_pages(site: Path) -> list[Path]:
    return sorted((site / "plans" / "lang-son" / "lang-son-cao-loc-2024-kh-ubnd" / "phien-ban").glob("*/index.html"))


def test_built_old_versions_are_pages_marked_for_machines(versioned_site: Path) -> None:
    pages = _old_pages(versioned_site)
    assert len(pages) == 2  # three versions, the newest is the plan page
    current = SITE_URL + "plans/lang-son/lang-son-cao-loc-2024-kh-ubnd/"
    for path in pages:
        html = path.read_text(encoding="utf-8")
        head = html[: html.index("</head>")]
        assert head.count('rel="canonical"') == 1 and f'<link rel="canonical" href="{current}">' in head
        assert '<meta name="robots" content="noindex">' in head
        assert BANNER_TITLE in html and ">Xem phiên bản hiện hành</a>" in html
        assert HOSTILE not in html and "<script>alert" not in html
    texts = [p.read_text(encoding="utf-8") for p in pages]
    assert sum("&lt;script&gt;alert(1)&lt;/script&gt; Kế hoạch cũ" in t for t in texts) == 1
    assert sum("Không đọc được phần thông tin đầu tệp" in t for t in texts) == 1
    assert any("[phụ lục](phu-luc-da-xoa.pdf)" in t for t in texts)  # shown as text, no broken link
    # the plan page itself is not marked
    plan = (versioned_site / "plans" / "lang-son" / "lang-son-cao-loc-2024-kh-ubnd" / "index.html").read_text(
        encoding="utf-8"
    )
    assert 'name="robots"' not in plan and f'<link rel="canonical" href="{current}">' in plan
    assert 'href="phien-ban/' in plan and "tệp gốc của phiên bản" in plan


def test_built_old_versions_are_not_in_the_sitemap(versioned_site: Path) -> None:
    text = (versioned_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "phien-ban" not in text
    assert SITE_URL + "plans/lang-son/lang-son-cao-loc-2024-kh-ubnd/</loc>" in text
    assert gzip.decompress((versioned_site / "sitemap.xml.gz").read_bytes()).decode("utf-8") == text


def test_built_old_versions_are_not_in_the_search_index(versioned_site: Path) -> None:
    urls = []
    for record in sorted((versioned_site / "pagefind" / "page").rglob("*.ckr")):
        urls.append(json.loads(gzip.decompress(record.read_bytes()))["url"])
    assert "plans/lang-son/lang-son-cao-loc-2024-kh-ubnd/" in urls
    assert not [u for u in urls if "phien-ban" in u]


def test_built_old_versions_are_not_in_the_lists(versioned_site: Path) -> None:
    for rel in ("plans/index.html", "tasks/index.html", "index.html", "feed.xml"):
        assert "phien-ban" not in (versioned_site / rel).read_text(encoding="utf-8"), rel


def test_without_git_there_is_no_version_page(tmp_path: Path) -> None:
    from congkhai.cli import main
    from tests.conftest import copy_sources

    repo = copy_sources(tmp_path / "repo")
    shutil.rmtree(repo / "site", ignore_errors=True)
    assert main(["build", "--root", str(repo)]) == 0
    assert not list((repo / "site" / "plans").rglob("phien-ban"))
