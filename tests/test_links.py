"""No broken links: every internal link and asset reference in every built HTML page resolves to a
file in site/, and every #fragment names an element of its target page.

MkDocs' strict mode (mkdocs.yml) checks the Markdown links it knows about; this checks the HTML
that is actually published, including what the templates and the generated pages add. External
http(s) links are listed, never fetched: the tests run offline.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml

from tests.conftest import FIXED_EPOCH, ROOT, copy_sources

# Attributes that reference another resource, by tag.
URL_ATTRS = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "audio": ("src",),
    "video": ("src", "poster"),
    "track": ("src",),
    "form": ("action",),
}
IGNORED_SCHEMES = {"mailto", "tel", "data", "blob"}
BASE = "http://site.invalid/"  # stands for the site root while resolving relative URLs

# Problems already known and owned elsewhere (regex over the problem line → reason). While one
# remains its test is an expected failure naming it; any other problem fails. Remove an entry
# when its fix lands (the test then passes by itself).
# Known problems that belong to work in progress elsewhere: regex over the problem line → why.
# Empty now (the feed, the 404 page's feed link and parent-unit pages were fixed); any broken link fails.
PENDING: dict[str, str] = {}


@dataclass(frozen=True)
class Ref:
    page: str  # the page's path inside site/, e.g. plans/index.html
    tag: str
    attr: str
    url: str
    line: int

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: <{self.tag} {self.attr}={self.url!r}>"


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str, str, int]] = []
        self.ids: set[str] = set()
        self.base_href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v for k, v in attrs if v is not None}
        for key in ("id", "name") if tag in {"a", "map"} else ("id",):
            if values.get(key):
                self.ids.add(values[key])
        if tag == "base" and values.get("href"):
            self.base_href = values["href"]
        line = self.getpos()[0]
        for attr in URL_ATTRS.get(tag, ()):
            value = values.get(attr)
            if value is None:
                continue
            if attr == "srcset":
                for candidate in value.split(","):
                    if candidate.strip():
                        self.refs.append((tag, attr, candidate.split()[0], line))
            else:
                self.refs.append((tag, attr, value.strip(), line))

    handle_startendtag = handle_starttag


@dataclass
class Page:
    refs: list[Ref]
    ids: set[str]
    base_href: str | None


@dataclass
class Site:
    root: Path
    pages: dict[str, Page]  # key: path inside site/ with forward slashes
    site_url: str | None

    def page(self, rel: str) -> Page:
        if rel not in self.pages:
            self.pages[rel] = parse(self.root / rel, rel)
        return self.pages[rel]


def parse(path: Path, rel: str) -> Page:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    collector.close()
    refs = [Ref(rel, tag, attr, url, line) for tag, attr, url, line in collector.refs]
    return Page(refs, collector.ids, collector.base_href)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    from congkhai.cli import main

    repo = copy_sources(tmp_path_factory.mktemp("links") / "repo")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
        assert main(["build", "--root", str(repo)]) == 0
    root = repo / "site"
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    site_url = (config or {}).get("site_url") or None
    pages = {}
    for path in sorted(root.rglob("*.html")):
        rel = path.relative_to(root).as_posix()
        pages[rel] = parse(path, rel)
    assert pages, "the build wrote no HTML"
    return Site(root, pages, site_url.rstrip("/") + "/" if site_url else None)


class _Loader(yaml.SafeLoader):
    """mkdocs.yml may use !ENV and !!python/name tags: read them as plain values."""


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


@dataclass(frozen=True)
class Target:
    ref: Ref
    file: str | None  # path inside site/, or None for an external URL
    fragment: str
    external: str | None = None


def resolve(site: Site, ref: Ref) -> Target | None:
    """Where a reference points: a file under site/ (not necessarily existing) or an external
    URL; None for references that are not links (mailto:, data:)."""
    url = ref.url
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in IGNORED_SCHEMES:
        return None
    if scheme == "javascript":
        return Target(ref, file="", fragment="", external=None)  # never valid: reported broken
    if site.site_url and url.startswith(site.site_url):
        url = "/" + url[len(site.site_url) :]
        parts = urlsplit(url)
        scheme = ""
    if scheme or url.startswith("//"):
        return Target(ref, file=None, fragment=parts.fragment, external=url)

    page = site.page(ref.page)
    base = urljoin(BASE + ref.page, page.base_href) if page.base_href else BASE + ref.page
    absolute = urlsplit(urljoin(base, url))
    path = unquote(absolute.path)
    if not path.startswith("/"):
        path = "/" + path
    rel = path.lstrip("/")
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    return Target(ref, file=os.path.normpath(rel).replace(os.sep, "/"), fragment=absolute.fragment)


def all_targets(site: Site) -> Iterator[Target]:
    for page in list(site.pages.values()):
        for ref in page.refs:
            target = resolve(site, ref)
            if target is not None:
                yield target


def exists(site: Site, rel: str) -> bool:
    if rel == "" or rel.startswith("../") or rel == "..":
        return False  # javascript: or a path that leaves the site
    path = site.root / rel
    if path.is_dir():
        return (path / "index.html").is_file()
    return path.is_file()


def check(problems: list[str], what: str) -> None:
    """Fail on unknown problems; xfail, naming the reasons, when only PENDING ones remain."""
    unknown = [p for p in problems if not any(re.search(rx, p) for rx in PENDING)]
    assert not unknown, f"{len(unknown)} {what}:\n" + "\n".join(unknown)
    reasons = sorted({why for rx, why in PENDING.items() for p in problems if re.search(rx, p)})
    if reasons:
        pytest.xfail(f"{len(problems)} known {what}: " + "; ".join(reasons))


def test_internal_links_and_assets_resolve(site: Site) -> None:
    broken = [
        f"{t.ref} → site/{t.file or '(javascript: link)'}"
        for t in all_targets(site)
        if t.external is None and not exists(site, t.file or "")
    ]
    checked = sum(1 for t in all_targets(site) if t.external is None)
    assert checked > 100, f"suspiciously few internal references: {checked}"
    check(broken, "broken internal reference(s)")


def test_fragments_name_an_element(site: Site) -> None:
    missing = []
    for t in all_targets(site):
        if t.external is not None or not t.fragment or not (t.file or "").endswith(".html"):
            continue
        if not exists(site, t.file):
            continue  # reported by the test above
        fragment = unquote(t.fragment)
        if fragment in {"", "top"}:  # "#" and "#top" scroll to the top in every browser
            continue
        if fragment not in site.page(t.file).ids:
            where = "this page" if t.file == t.ref.page else f"site/{t.file}"
            missing.append(f"{t.ref} → no id={fragment!r} in {where}")
    check(missing, "dangling anchor(s)")


def test_same_page_anchors_are_checked(site: Site) -> None:
    """The anchor check above really sees same-page links: the table of contents and the
    headings' permalinks of a plan page."""
    plan = next(rel for rel in site.pages if rel.startswith("plans/") and rel.count("/") == 3)
    same_page = [
        t
        for t in all_targets(site)
        if t.ref.page == plan and t.file == plan and t.fragment and t.ref.url.startswith("#")
    ]
    assert same_page, f"no #links found on {plan}"


def test_external_links_are_listed_not_fetched(site: Site) -> None:
    """External links are well-formed http(s) URLs; the list is shown with `pytest -rP`."""
    external: dict[str, list[str]] = {}
    for t in all_targets(site):
        if t.external is not None:
            external.setdefault(t.external, []).append(t.ref.page)
    malformed = []
    for url, pages in external.items():
        parts = urlsplit(url)
        # "//host/…" (scheme-relative) is how a root-relative link goes wrong: "/" + "/feed.xml".
        if parts.scheme not in {"http", "https"} or not parts.netloc or " " in url:
            for page in sorted(set(pages)):
                malformed.append(f"{page}: {url!r}")
    for url, pages in sorted(external.items()):
        print(f"{url}  ({len(pages)} page(s), e.g. {pages[0]})")
    check(malformed, "malformed external link(s)")
