"""No relative URL when published (issue 15): with an address (``SITE_URL``), every address the
catalogues, feeds, calendars, sitemap, ``robots.txt`` and the data package hand to a harvester is
absolute — the site's own under ``https://example.gov.vn/``, anything else absolute with a host — so
a client that fetched the file alone (CKAN, a feed reader, a calendar) resolves nothing against a
base it does not have.

Which fields are addresses, per format:

- JSON-LD (``data/catalog.jsonld``, the ``application/ld+json`` of every page): ``@id`` and the
  properties named for links (``url``, ``contentUrl``, ``downloadURL``, ``accessURL``,
  ``landingPage``, ``homepage``, ``sameAs``, …), in any prefix;
- ``datapackage.json``: ``$schema``, ``homepage``, ``licenses[].path``, ``sources[].path``; a
  resource's ``path`` stays a path inside the package (Data Package v2: relative to the descriptor,
  so the released archive works offline) and must name a file of ``data/``;
- ``cong-khai.metadata.json`` (Datasette): ``license_url``, ``source_url``, ``about_url``;
- Atom (``feed.xml``, ``tien-do.xml``, ``nguon-tin/**.xml``): ``link/@href``, ``id``, ``uri``,
  ``icon``, ``logo``, and ``href``/``src`` in HTML content;
- iCalendar (``*.ics``): ``URL``, ``ATTACH``, ``TZURL``, ``SOURCE`` and ``X-…-URL``;
- ``sitemap.xml``: ``loc``; ``robots.txt``: ``Sitemap:``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

import pytest

from tests.conftest import PUBLISHED_URL

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
#: JSON-LD properties (local name, after any ``prefix:``) whose value is an address.
JSONLD_URL_KEYS = {
    "@id",
    "url",
    "contentUrl",
    "downloadURL",
    "accessURL",
    "landingPage",
    "homepage",
    "sameAs",
    "mainEntityOfPage",
    "license",
    "conformsTo",
    "page",
    "hasURL",
    "logo",
    "image",
    "thumbnailUrl",
    "embedUrl",
    "discussionUrl",
    "installUrl",
    "codeRepository",
}
ICS_URL_PROPS = {"URL", "ATTACH", "TZURL", "SOURCE"}
#: Schemes that are addresses without a host and are absolute: a mail address (the catalogue's
#: contact point) and the feeds' name-based ids.
OPAQUE_SCHEMES = {"mailto", "urn", "tel"}


def bad_url(value: object, site: str = PUBLISHED_URL) -> str | None:
    """Why ``value`` is not a published address, or None: absolute (a scheme, and a host for the
    web), and when it names this site's host, under the site's address with its scheme."""
    if not isinstance(value, str):
        return f"not text: {value!r}"
    parts = urlsplit(value)
    scheme = parts.scheme.lower()
    if scheme in OPAQUE_SCHEMES and parts.path:
        return None
    if scheme not in ("http", "https") or not parts.hostname:
        return f"relative or without a host: {value!r}"
    if parts.hostname == urlsplit(site).hostname and not value.startswith(site):
        return f"the site's host but not under {site}: {value!r}"
    return None


def _jsonld_urls(node: object, where: str, is_url: bool = False) -> Iterator[tuple[str, object]]:
    """(field, value) of every address in a JSON-LD tree: a value (or list item) of a link property,
    not under ``@context`` (the vocabularies' own names)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key != "@context":
                yield from _jsonld_urls(value, f"{where}/{key}", key.rsplit(":", 1)[-1] in JSONLD_URL_KEYS)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _jsonld_urls(value, f"{where}[{i}]", is_url)
    elif is_url:
        yield where, node


class _Scripts(HTMLParser):
    """The JSON-LD blocks and the ``href``/``src`` attributes of an HTML text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.jsonld: list[str] = []
        self.links: list[str] = []
        self._in: bool = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self._in = tag == "script" and found.get("type") == "application/ld+json"
        if self._in:
            self.jsonld.append("")
        self.links += [v for k, v in attrs if k in ("href", "src") and v is not None]

    def handle_data(self, data: str) -> None:
        if self._in:
            self.jsonld[-1] += data

    def handle_endtag(self, tag: str) -> None:
        self._in = False


def _ics_urls(text: str) -> Iterator[tuple[str, str]]:
    unfolded = re.sub(r"\r?\n[ \t]", "", text)
    for line in unfolded.splitlines():
        m = re.match(r"([A-Z0-9-]+)((?:;[^:]*)?):(.*)", line)
        if not m:
            continue
        name, params, value = m.groups()
        if name in ICS_URL_PROPS or (name.startswith("X-") and name.endswith("-URL")):
            if name == "ATTACH" and "VALUE=BINARY" in params.upper():
                continue
            yield name, value


def published_addresses(site: Path) -> Iterator[tuple[str, str, object]]:
    """Every address-valued field of the files a harvester fetches alone: (file, field, value)."""
    data = site / "data"
    rel = lambda p: p.relative_to(site).as_posix()  # noqa: E731

    catalog = json.loads((data / "catalog.jsonld").read_text(encoding="utf-8"))
    for field, value in _jsonld_urls(catalog, ""):
        yield "data/catalog.jsonld", field, value
    for page in sorted(site.rglob("*.html")):
        parser = _Scripts()
        parser.feed(page.read_text(encoding="utf-8"))
        for block in parser.jsonld:
            for field, value in _jsonld_urls(json.loads(block), ""):
                yield rel(page), "ld+json" + field, value

    package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    for key in ("$schema", "homepage"):
        if key in package:
            yield "data/datapackage.json", key, package[key]
    for i, licence in enumerate(package.get("licenses", [])):
        if "path" in licence:
            yield "data/datapackage.json", f"licenses[{i}].path", licence["path"]
    resource_paths = {r["path"] for r in package["resources"]}
    for i, source in enumerate(package.get("sources", [])):
        if "path" in source and source["path"] not in resource_paths:
            yield "data/datapackage.json", f"sources[{i}].path", source["path"]

    datasette = json.loads((data / "cong-khai.metadata.json").read_text(encoding="utf-8"))

    def datasette_urls(node: object, where: str) -> Iterator[tuple[str, object]]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("license_url", "source_url", "about_url") and isinstance(value, str):
                    yield f"{where}/{key}", value
                elif key != "columns":  # column descriptions are text, not addresses
                    yield from datasette_urls(value, f"{where}/{key}")

    for field, value in datasette_urls(datasette, ""):
        yield "data/cong-khai.metadata.json", field, value

    feeds = [site / "feed.xml", site / "tien-do.xml", *sorted((site / "nguon-tin").rglob("*.xml"))]
    for feed in feeds:
        root = ET.parse(feed).getroot()
        for el in root.iter():
            tag = el.tag.removeprefix(ATOM)
            if tag == "link":
                yield rel(feed), "link/@href", el.get("href")
            elif tag in ("id", "uri", "icon", "logo"):
                yield rel(feed), tag, (el.text or "").strip()
            elif tag in ("content", "summary", "title", "rights", "subtitle") and el.get("type") == "html":
                parser = _Scripts()
                parser.feed(el.text or "")
                for link in parser.links:
                    yield rel(feed), f"{tag} (html) href/src", link

    for calendar in sorted(site.rglob("*.ics")):
        for name, value in _ics_urls(calendar.read_text(encoding="utf-8")):
            yield rel(calendar), name, value

    if (site / "sitemap.xml").is_file():  # a preview has none (tests/test_site.py)
        for loc in ET.parse(site / "sitemap.xml").getroot().iter(f"{SITEMAP}loc"):
            yield "sitemap.xml", "loc", (loc.text or "").strip()
    for line in (site / "robots.txt").read_text(encoding="utf-8").splitlines():
        if line.lower().startswith("sitemap:"):
            yield "robots.txt", "Sitemap", line.split(":", 1)[1].strip()


def test_no_relative_url_in_what_harvesters_fetch(published_site):
    site, _ = published_site
    found = list(published_addresses(site))
    wrong = [f"{file} {field}: {why}" for file, field, value in found if (why := bad_url(value))]
    assert not wrong, "\n".join(wrong)
    # the walk saw each kind of file, so an empty list of errors means something
    files = {file for file, _, _ in found}
    for expected in ("data/catalog.jsonld", "data/datapackage.json", "data/cong-khai.metadata.json", "sitemap.xml"):
        assert expected in files
    assert "robots.txt" in files and "feed.xml" in files and "tien-do.xml" in files
    assert any(f.startswith("nguon-tin/") for f in files)
    assert any(f.startswith("plans/") and f.endswith(".html") for f in files)  # JSON-LD in pages


def test_resource_paths_stay_inside_the_package(published_site):
    """The one relative path kept: a resource's ``path`` names a file beside ``datapackage.json``
    (Data Package v2), never a parent folder or an address of another site."""
    site, _ = published_site
    package = json.loads((site / "data" / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        path = resource["path"]
        assert not urlsplit(path).scheme and ".." not in path.split("/") and not path.startswith("/"), path
        assert (site / "data" / path).is_file(), path


@pytest.mark.parametrize(
    "value",
    [
        "plans/x/",
        "/plans/x/",
        "../feed.xml",
        "//example.gov.vn/x",
        "http://example.gov.vn/feed.xml",  # the site's host, not its scheme
        "https://example.gov.vn.evil/x",
        "",
        "data/#dieu-khoan-su-dung",
        None,
    ],
)
def test_the_check_refuses_what_a_lone_file_cannot_resolve(value):
    bad = bad_url(value)
    if value == "https://example.gov.vn.evil/x":
        assert bad is None  # another host, absolute: a link out, allowed
    else:
        assert bad is not None


def test_the_walk_finds_each_kind_of_field(tmp_path: Path):
    """A relative address planted in each format is reported by the walk."""
    site = tmp_path
    (site / "data").mkdir()
    (site / "nguon-tin").mkdir()
    (site / "data" / "catalog.jsonld").write_text(
        json.dumps({"@id": "catalog.jsonld", "dcat:dataset": [{"dcat:landingPage": {"@id": "data/"}}]}),
        encoding="utf-8",
    )
    (site / "page.html").write_text(
        '<script type="application/ld+json">{"@context":"https://schema.org","url":"plans/x/","sameAs":["a/"]}</script>',
        encoding="utf-8",
    )
    (site / "data" / "datapackage.json").write_text(
        json.dumps(
            {
                "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
                "homepage": "/",
                "licenses": [{"path": "#dieu-khoan"}],
                "sources": [{"path": "nguon/"}],
                "resources": [{"path": "plans.csv"}],
            }
        ),
        encoding="utf-8",
    )
    (site / "data" / "cong-khai.metadata.json").write_text(
        json.dumps({"license_url": "data/", "databases": {"d": {"source_url": "x/"}}}), encoding="utf-8"
    )
    atom = '<feed xmlns="http://www.w3.org/2005/Atom"><id>feed.xml</id><link href="plans/"/><entry><content type="html">&lt;a href="x/"&gt;x&lt;/a&gt;</content></entry></feed>'
    for name in ("feed.xml", "tien-do.xml", "nguon-tin/a.xml"):
        (site / name).write_text(atom, encoding="utf-8")
    (site / "a.ics").write_text(
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nURL:plans/\r\n x/\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    (site / "sitemap.xml").write_text(
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>plans/</loc></url></urlset>'
    )
    (site / "robots.txt").write_text("User-agent: *\nSitemap: sitemap.xml\n")
    wrong = {(file, field) for file, field, value in published_addresses(site) if bad_url(value)}
    assert wrong == {
        ("data/catalog.jsonld", "/@id"),
        ("data/catalog.jsonld", "/dcat:dataset[0]/dcat:landingPage/@id"),
        ("page.html", "ld+json/url"),
        ("page.html", "ld+json/sameAs[0]"),
        ("data/datapackage.json", "homepage"),
        ("data/datapackage.json", "licenses[0].path"),
        ("data/datapackage.json", "sources[0].path"),
        ("data/cong-khai.metadata.json", "/license_url"),
        ("data/cong-khai.metadata.json", "/databases/d/source_url"),
        *{
            (f, field)
            for f in ("feed.xml", "tien-do.xml", "nguon-tin/a.xml")
            for field in ("id", "link/@href", "content (html) href/src")
        },
        ("a.ics", "URL"),
        ("sitemap.xml", "loc"),
        ("robots.txt", "Sitemap"),
    }
