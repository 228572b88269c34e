"""The national site: two province sites in, merged data, bounded lists and a search page out."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from congkhai.cli import main
from congkhai.commands.national import NationalError, national_site
from congkhai.model import csvfile
from congkhai.render import cards, national
from tests.national_shards import HOST, SHARDS, build_shards


@pytest.fixture(scope="module")
def shards(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return build_shards(tmp_path_factory.mktemp("shards"))


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_national_site_merges_data_and_links_into_each_province(shards, tmp_path, capsys):
    out = tmp_path / "nat"
    assert main(["national", *map(str, shards), "--out", str(out)]) == 0
    assert HOST in capsys.readouterr().out
    written = files(out)
    # the merged datasets, as merge writes them: every plan of both shards
    _, plans = csvfile.read_rows(out / "data" / "plans.csv")
    assert len(plans) == 5
    assert json.loads(written["data/datapackage.json"])["name"] == "cong-khai-ke-hoach"
    # no province page was copied or rebuilt: only the national pages and the data
    assert not [p for p in written if p.startswith(("plans/", "pagefind/"))]
    home = written["index.html"].decode()
    for folder in SHARDS:
        assert f'href="{folder}/"' in home and f'href="tinh/{folder}/"' in home
    assert ">2</a>" in home and ">3</a>" in home  # each province's count of plans
    # every link from a list into a province is that province's plan page, which exists in its site
    for site, folder in zip(shards, SHARDS, strict=True):
        listing = written[f"tinh/{folder}/index.html"].decode()
        links = re.findall(r'href="\.\./\.\./' + folder + r'/(plans/[^"]+)"', listing)
        assert len(links) == len(SHARDS[folder])  # one seed plan a province folder
        for link in links:
            assert (site / link / "index.html").is_file(), link
    search = written["tim-kiem/index.html"].decode()
    assert "../bac-ninh-2025/javascripts/search.js" in search and "../javascripts/quoc-gia.js" in search
    assert "mergeIndex" in written["javascripts/quoc-gia.js"].decode()


def test_national_site_is_deterministic_and_in_any_order(shards, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    national_site(shards, first)
    national_site(list(reversed(shards)), second)
    assert files(first) == files(second)
    national_site(shards, first)  # again over the previous output: replaced, same bytes
    assert files(first) == files(second)


def test_province_lists_are_cut_into_bounded_pages(monkeypatch):
    monkeypatch.setattr(national, "PER_PAGE", 2)
    plans = tuple({"id": f"p-{i}", "title": f"Kế hoạch {i}", "province": "lang-son"} for i in range(5))
    out = national.render([national.ShardSite("lang-son", "Lạng Sơn", plans)], {"lang-son": "Lạng Sơn"})
    pages = sorted(p for p in out if p.startswith("tinh/"))
    assert pages == ["tinh/lang-son/index.html", "tinh/lang-son/trang-2/index.html", "tinh/lang-son/trang-3/index.html"]
    last = out["tinh/lang-son/trang-3/index.html"].decode()
    assert last.count("<tr>") == 1 + 1 and 'href="../../../lang-son/plans/lang-son/p-0/"' in last
    assert cards.PER_PAGE == 100


def test_values_are_escaped():
    plans = ({"id": "x", "title": "<script>alert(1)</script>", "province": 'a"b'},)
    out = national.render([national.ShardSite("p", "<b>P</b>", plans)], {})
    text = b"".join(out[p] for p in out if p.endswith(".html")).decode()
    assert "<script>alert" not in text and "<b>P</b>" not in text and "&lt;script&gt;" in text


def test_refuses_sites_that_do_not_fit_and_keeps_the_previous_output(shards, tmp_path):
    out = tmp_path / "nat"
    national_site(shards, out)
    before = files(out)
    with pytest.raises(NationalError):
        national_site([shards[0], shards[0]], out)  # the same province twice
    bare = tmp_path / "bare"
    shutil.copytree(shards[1], bare)
    (bare / "pagefind" / "pagefind.js").unlink()
    with pytest.raises(NationalError, match="pagefind"):
        national_site([shards[0], bare], out)
    other = tmp_path / "other"
    shutil.copytree(shards[1], other)
    package = other / "data" / "datapackage.json"
    package.write_text(package.read_text(encoding="utf-8").replace(HOST, "https://elsewhere.example/"), "utf-8")
    with pytest.raises(NationalError, match="elsewhere"):
        national_site([shards[0], other], out)
    assert files(out) == before
    # a merge finding (the same plans in two shards): exit 1, nothing replaced
    assert main(["national", str(shards[0]), str(_renamed(shards[0], tmp_path)), "--out", str(out)]) == 1
    assert files(out) == before


def _renamed(site: Path, tmp: Path) -> Path:
    """A copy of ``site`` that says it is another province: same plans, another address."""
    copy = tmp / "copy"
    shutil.copytree(site, copy)
    package = copy / "data" / "datapackage.json"
    package.write_text(package.read_text(encoding="utf-8").replace("/bac-ninh-2025/", "/khac/"), "utf-8")
    return copy


STANDARDS = Path(__file__).parent / "fixtures" / "standards"


@pytest.fixture(scope="module")
def built(shards, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("national") / "nat"
    result, address = national_site(shards, out)
    assert result.ok and address == HOST
    return out


def _xmllint(schema: str, doc: Path) -> tuple[int, str]:
    import subprocess

    if shutil.which("xmllint") is None:
        pytest.fail("xmllint is missing: run `make browser-deps` (Debian's libxml2-utils)")
    proc = subprocess.run(
        ["xmllint", "--noout", "--schema", str(STANDARDS / schema), str(doc)], capture_output=True, text=True
    )
    return proc.returncode, proc.stderr


def _locs(path: Path) -> list[str]:
    import xml.etree.ElementTree as ET

    return [e.text or "" for e in ET.parse(path).getroot().iter(f"{{{national.SITEMAP_NS}}}loc")]


def test_sitemap_lists_every_national_page_absolute(built):
    assert _xmllint("sitemap-0.9.xsd", built / "sitemap.xml") == (0, f"{built / 'sitemap.xml'} validates\n")
    pages = sorted(p.relative_to(built).as_posix() for p in built.rglob("*.html"))
    assert sorted(_locs(built / "sitemap.xml")) == sorted(HOST + p.removesuffix("index.html") for p in pages)
    assert HOST + "tinh/can-tho-2025/" in _locs(built / "sitemap.xml")


def test_sitemap_index_names_the_national_and_every_province_sitemap(built, shards):
    index = built / "sitemap-index.xml"
    assert _xmllint("siteindex-0.9.xsd", index) == (0, f"{index} validates\n")
    assert _locs(index) == [f"{HOST}sitemap.xml"] + [f"{HOST}{f}/sitemap.xml" for f in sorted(SHARDS)]
    for site in shards:  # each province's own site map is where the index says
        assert (site / "sitemap.xml").is_file()
    robots = (built / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert robots[0] == "User-agent: *" and robots[-1] == f"Sitemap: {HOST}sitemap-index.xml"
    # crawlers read robots.txt only at the host's root: each province's exclusion of old versions is here
    for folder in SHARDS:
        assert f"Disallow: /{folder}/data/ke-hoach/*/phien-ban/" in robots


def test_the_sitemap_index_schema_check_fails_on_relative_or_wrong_root(tmp_path):
    relative = tmp_path / "relative.xml"
    relative.write_text(
        f'<sitemapindex xmlns="{national.SITEMAP_NS}"><sitemap><loc>/a</loc></sitemap></sitemapindex>', "utf-8"
    )
    assert _xmllint("siteindex-0.9.xsd", relative)[0] != 0
    urlset = tmp_path / "urlset.xml"
    urlset.write_text(f'<urlset xmlns="{national.SITEMAP_NS}"><url><loc>{HOST}</loc></url></urlset>', "utf-8")
    assert _xmllint("siteindex-0.9.xsd", urlset)[0] != 0


def test_merged_package_is_at_the_national_address_and_valid(built):
    from frictionless import Package

    package = json.loads((built / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert package["homepage"] == HOST
    terms = package["licenses"][0]["path"]
    assert terms == f"{HOST}data/#dieu-khoan-su-dung"
    assert 'id="dieu-khoan-su-dung"' in (built / "data" / "index.html").read_text(encoding="utf-8")
    report = Package(str(built / "data" / "datapackage.json")).validate()
    assert report.valid, report.flatten(["type", "note"])


def test_without_an_address_there_is_no_sitemap_and_crawlers_stay_out():
    out = national.render([national.ShardSite("p", "P")], {})
    assert national.SITEMAP not in out and national.SITEMAP_INDEX not in out
    assert out[national.ROBOTS] == b"User-agent: *\nDisallow: /\n"


def test_national_pages_are_vietnamese_and_described(built):
    from tests.browser.test_language import _pages, english_and_codes

    pages = _pages(built)
    assert len(pages) >= 5 and english_and_codes(built) == []
    assert all(page.description for page in pages.values()), [p for p, v in pages.items() if not v.description]
