"""The security suite, without a browser: every file of the hostile site inspected with parsers.

tests/security.py puts the public payloads in every field and file; the site is built whatever
the validator says. Here each HTML page is parsed (lxml), and every feed, calendar, JSON and CSV
file with its own parser: no element or attribute that runs script, no ``javascript:``/``data:``
URL, nothing loaded from another host, every data file still well-formed. tests/browser/
test_security.py opens every page in Chromium with script execution hooked.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

import lxml.etree
import lxml.html
import pytest

from congkhai.model.schemas import load_model
from tests import security

ACTIVE_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal", "math"}
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "srcdoc",
    "xlink:href",
    "data",
    "poster",
    "background",
    "values",
    "to",
    "from",
    "by",
    "srcset",
    "ping",
    "cite",
    "longdesc",
    "manifest",
    "codebase",
}
BAD_SCHEME = re.compile(r"^(?:javascript|vbscript|data|livescript|mocha):", re.IGNORECASE)
#: Characters browsers drop from URLs before reading the scheme (C0, space, tab, CR, LF).
URL_JUNK = re.compile(r"[\x00-\x20\x7f]+")
LOADS = {
    "img": "src",
    "script": "src",
    "iframe": "src",
    "source": "src",
    "video": "src",
    "audio": "src",
    "link": "href",
    "input": "src",
    "embed": "src",
    "track": "src",
}
SCRIPT_WORDS = re.compile(r"alert\s*\(|prompt\s*\(|confirm\s*\(|\bxss\b|document\.domain|onerror", re.IGNORECASE)


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_the_suite_uses_the_public_list() -> None:
    items = security.payloads()
    assert len(items) >= 250
    assert "<script>alert(123)</script>" in items  # from the Big List of Naughty Strings
    assert "<img src=x onerror=alert(1)>" in items  # from tests/fixtures/xss/payloads.txt


def test_every_free_text_field_is_attacked() -> None:
    """A string field the suite does not fill must be a code, id, date or file name: say which."""
    model = load_model()
    attacked = {
        "plans": (*security.PLAN_TEXT, *security.URI_FIELDS, "source_file"),
        "issuers": security.ISSUER_TEXT,
        "signers": security.SIGNER_TEXT,
        "recipients": ("name",),
        "tasks": security.TASK_TEXT,
        "citations": security.CITATION_TEXT,
        "disclosures": security.DISCLOSURE_TEXT,
        "units": security.UNIT_TEXT,
        "directives": (*security.DIRECTIVE_TEXT, "url"),
        "task_updates": security.UPDATE_TEXT,
    }
    not_text = {
        "id",
        "plan_id",
        "task_id",
        "unit",
        "directive",
        "province",
        "parent",
        "superseded_by",
        "replaced_by",
        "successor",
        "issue_date",
        "code",
        "jurisdiction",
    }
    for table in model.tables.values():
        if table.rows == "derived" or table.name == "provinces":  # provinces: the official list, not PR input
            continue
        for f in table.frontmatter_fields:
            if f.type == "string" and f.vocabulary is None and f.name not in not_text:
                assert f.name in attacked.get(table.name, ()), f"{table.name}.{f.name} is free text the suite misses"


def test_no_page_carries_script_or_foreign_loads(hostile_site: tuple[Path, list[str]]) -> None:
    site, _ = hostile_site
    problems: list[str] = []
    pages = _pages(site)
    assert len(pages) > 100
    for page in pages:
        rel = page.relative_to(site).as_posix()
        doc = lxml.html.fromstring(page.read_bytes())
        for el in doc.iter():
            if not isinstance(el.tag, str):
                continue
            tag = el.tag.lower().split("}")[-1]
            if tag in ACTIVE_ELEMENTS:
                problems.append(f"{rel}: <{tag}>")
            if tag == "meta" and (el.get("http-equiv") or "").lower() == "refresh":
                problems.append(f"{rel}: meta refresh")
            if tag == "script":
                kind = (el.get("type") or "").lower()
                if kind in ("application/ld+json", "application/json"):
                    json.loads(el.text or "null")  # data, and still data: it parses
                elif el.get("src") is None and SCRIPT_WORDS.search(el.text or ""):
                    problems.append(f"{rel}: inline script {el.text[:60]!r}")
            for name, value in el.attrib.items():
                low = name.lower()
                if low.startswith("on"):
                    problems.append(f"{rel}: <{tag} {name}=…>")
                if low in URL_ATTRIBUTES and BAD_SCHEME.match(URL_JUNK.sub("", value)):
                    problems.append(f"{rel}: <{tag} {name}={value[:40]!r}>")
                if low == "style" and re.search(r"url\s*\(|expression\s*\(", value, re.IGNORECASE):
                    problems.append(f"{rel}: style {value[:40]!r}")
            loads = LOADS.get(tag)
            url = el.get(loads) if loads else None
            foreign = bool(url) and (url.startswith("//") or re.match(r"^[a-z][a-z0-9+.-]*:", url.strip(), re.I))
            # alternate/canonical point elsewhere without loading; schema.DC names the Dublin Core
            # vocabulary (DC-HTML), which no browser fetches
            if foreign and not (tag == "link" and (el.get("rel") or "") in ("alternate", "canonical", "schema.DC")):
                problems.append(f"{rel}: <{tag}> loads {url[:60]!r}")
    assert not problems, "\n".join(problems[:40])


def test_feeds_and_xml_stay_well_formed(hostile_site: tuple[Path, list[str]]) -> None:
    site, _ = hostile_site
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    files = sorted(site.rglob("*.xml"))
    # the hostile site is a preview (no SITE_URL), which has no sitemap (tests/test_site.py checks
    # the published one against the sitemaps.org XSD)
    assert {p.name for p in files} >= {"feed.xml", "tien-do.xml"}
    assert any("nguon-tin" in p.parts for p in files), "each plan's, body's and province's feed is checked too"
    for path in files:
        tree = lxml.etree.parse(str(path), parser)
        assert tree.docinfo.doctype == "", path  # no DTD: nothing for an XML parser to expand
        for el in tree.iter():
            for name, value in el.attrib.items():
                assert not BAD_SCHEME.match(URL_JUNK.sub("", value)), (path.name, el.tag, name, value)
            if isinstance(el.tag, str) and el.tag.split("}")[-1] in ("loc", "uri", "id", "link", "evidence"):
                assert not BAD_SCHEME.match(URL_JUNK.sub("", el.text or "")), (path.name, el.tag, el.text)


ICS_NAMES = re.compile(
    r"^(BEGIN|END|VERSION|PRODID|CALSCALE|METHOD|X-WR-[A-Z-]+|UID|DTSTAMP|DTSTART|DTEND|DUE|SUMMARY|DESCRIPTION|"
    r"URL|STATUS|CATEGORIES|LOCATION|ORGANIZER|TRANSP|SEQUENCE|LAST-MODIFIED|CREATED|CLASS|PRIORITY|"
    r"REFRESH-INTERVAL|X-PUBLISHED-TTL|COLOR|TZID|RRULE|PERCENT-COMPLETE)[;:]"
)


def test_calendar_lines_cannot_be_forged(hostile_site: tuple[Path, list[str]]) -> None:
    """RFC 5545: a value with CR/LF must not start a property or a component of its own."""
    site, _ = hostile_site
    calendars = sorted(site.rglob("*.ics"))  # the site's, and each plan's, body's, province's (nguon-tin/)
    assert site / "lich-nhiem-vu.ics" in calendars and any("nguon-tin" in p.parts for p in calendars)
    for path in calendars:
        raw = path.read_bytes().decode("utf-8")
        assert "\r\n" in raw and "\n" not in raw.replace("\r\n", "")
        lines = re.sub(r"\r\n[ \t]", "", raw).split("\r\n")  # unfold
        assert lines[-1] == ""
        for line in lines[:-1]:
            assert ICS_NAMES.match(line), (path.name, line[:80])
        begins = [line for line in lines if line.startswith("BEGIN:")]
        ends = [line for line in lines if line.startswith("END:")]
        assert len(begins) == len(ends)
        assert {b[6:] for b in begins} <= {"VCALENDAR", "VEVENT", "VTODO", "VALARM"}


def test_data_files_parse(hostile_site: tuple[Path, list[str]]) -> None:
    site, _ = hostile_site
    for path in sorted((site / "data").rglob("*.json")) + sorted(site.glob("*.jsonld")):
        json.loads(path.read_text(encoding="utf-8"))
    for path in sorted((site / "data").rglob("*.csv")):
        data = path.read_bytes()  # the copies for spreadsheets: a byte-order mark and ";" (Excel, vi-VN)
        delimiter = ";" if data.startswith(b"\xef\xbb\xbf") else ","
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter))
        assert rows, path
        width = len(rows[0])
        assert all(len(r) == width for r in rows), path


def test_old_versions_are_text_not_pages(hostile_site: tuple[Path, list[str]]) -> None:
    """The old version with raw <script> and a broken link is published as .txt, and the build held."""
    site, _ = hostile_site
    versions = sorted((site / "data" / "ke-hoach" / "hostile-000" / "phien-ban").iterdir())
    assert len(versions) == 2 and all(v.suffix == ".txt" for v in versions)
    assert any(b"<script>alert('old')</script>" in v.read_bytes() for v in versions)  # kept, as text
    assert not list((site / "data" / "ke-hoach").rglob("phien-ban/*/index.html"))
    # and as a page: the markup shows as text, the link to a missing page is no link (strict held)
    pages = list((site / "plans").rglob("hostile-000/phien-ban/*/index.html"))
    assert len(pages) == 1
    html = pages[0].read_text(encoding="utf-8")
    assert "<script>alert('old')" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert('old')&lt;/script&gt;" in html and "khong-co.md)" in html
    assert 'href="../../khong-co' not in html and 'href="../../../khong-co' not in html


@pytest.mark.parametrize("name", [n for n in security.HOSTILE_FILE_NAMES if "<" in n or '"' in n])
def test_hostile_file_names_never_reach_the_page_raw(hostile_site: tuple[Path, list[str]], name: str) -> None:
    site, _ = hostile_site
    pages = [p for p in (site / "plans" / "lang-son").rglob("index.html") if "hostile-" in p.parent.name]
    text = "".join(p.read_text(encoding="utf-8") for p in pages)
    assert name not in text


def test_every_generated_page_context_is_html_safe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page metadata MkDocs hands to the theme (title, description, author: printed raw by
    Material's base.html and header.html) is HTML-escaped text on every generated page."""
    from mkdocs.utils import meta

    from congkhai.load.corpus import disclosure_rows, validate
    from congkhai.render.site import render_site

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1732233600")
    repo, items = security.hostile_repo(tmp_path / "repo")
    validation = validate(repo)
    disclosure_rows(repo, validation.tables, validation.today)
    _, pages = render_site(validation, None, None)
    raw_text = re.compile(r"<|>|&(?!(?:amp|lt|gt|quot|#x27|#39);)")
    checked = 0
    for name, text in sorted(pages.items()):
        if not name.endswith(".md"):
            continue
        _, data = meta.get_data(text)
        for key in ("title", "description", "author"):
            value = data.get(key)
            if value is not None:
                checked += 1
                assert not raw_text.search(str(value)), (name, key, value)
    assert checked > 100
    plan = pages["plans/lang-son/hostile-000.md"]
    assert meta.get_data(plan)[1]["title"] == html.escape(items[0], quote=True)
