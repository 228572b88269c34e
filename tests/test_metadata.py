"""JSON-LD, DCAT, Dublin Core, the Atom feed and the <head> template that carries them."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree as ET

import jinja2
import pytest
from mkdocs.utils.templates import url_filter

from congkhai.load.corpus import validate
from congkhai.model import sitemap
from congkhai.render import datasets, dcat, feeds, metadata
from tests.conftest import PUBLISHED_URL

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://cong-khai.example.gov.vn"
UPDATED = "2024-11-22T00:00:00+00:00"
A = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory):
    from tests.conftest import FIXED_EPOCH, copy_sources

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
        repo = copy_sources(tmp_path_factory.mktemp("meta") / "repo")
        v = validate(repo)
        modified = v.modified
    assert not v.errors
    rows = v.published
    files = datasets.render(v.model, v.published, modified)
    return v.model, rows, files


def _plan_inputs(rows, plan):
    units = {u["id"]: u for u in rows["units"]}
    catalogue = {d["id"]: d for d in rows["directives"]}
    issuers = [units[i["unit"]]["name"] for i in rows["issuers"] if i["plan_id"] == plan["id"]]
    cited = [
        {**catalogue[c["directive"]], "relation": c["relation"]}
        for c in rows["citations"]
        if c["plan_id"] == plan["id"]
    ]
    return issuers, cited


# --- JSON-LD -----------------------------------------------------------------------------------


def test_plan_jsonld_is_a_legislation_with_its_links(seeds):
    model, rows, _ = seeds
    for plan in rows["plans"]:
        issuers, cited = _plan_inputs(rows, plan)
        url = f"{BASE}/{sitemap.plan_path(plan)}"
        doc = metadata.plan_jsonld(plan, issuers, cited, url, base_url=BASE, model=model)
        assert json.loads(json.dumps(doc)) == doc
        assert doc["@context"] == "https://schema.org" and doc["@type"] == "Legislation"
        assert doc["@id"] == doc["url"] == url
        assert doc["name"] == plan["title"]
        assert doc["inLanguage"] == "vi"
        assert doc["legislationType"] == model.vocabularies["doc_type"].label(plan["doc_type"], "vi")
        if plan.get("number_symbol"):
            assert doc["legislationIdentifier"] == plan["number_symbol"]
        if plan.get("issue_date"):
            assert doc["legislationDate"] == plan["issue_date"]
            assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", doc["legislationDate"])
        assert [o["name"] for o in doc["legislationPassedBy"]] == list(dict.fromkeys(issuers))
        assert all(o["@type"] == "Organization" for o in doc["legislationPassedBy"])
        links = doc.get("isBasedOn", []) + doc.get("citation", [])
        assert len(links) == len(cited)
        assert {x["@id"] for x in links} == {f"{BASE}/directives/{d['id']}/" for d in cited}
        assert all(x["@type"] == "Legislation" and isinstance(x["name"], str) for x in links)
        basis = {d["id"] for d in cited if d["relation"] in ("can_cu", "thuc_hien", "huong_dan")}
        assert {x["@id"] for x in doc.get("isBasedOn", [])} == {f"{BASE}/directives/{i}/" for i in basis}


def test_directive_jsonld_is_a_legislation(seeds):
    model, rows, _ = seeds
    for d in rows["directives"]:
        url = f"{BASE}/directives/{d['id']}/"
        doc = metadata.directive_jsonld(d, url, model=model)
        assert doc["@type"] == "Legislation" and doc["@id"] == url
        assert isinstance(doc["name"], str) and doc["name"]
        assert doc["inLanguage"] == "vi"
        if d.get("number_symbol"):
            assert doc["legislationIdentifier"] == d["number_symbol"]
        if d.get("issuer"):
            assert doc["legislationPassedBy"] == [{"@type": "Organization", "name": d["issuer"]}]
        assert None not in doc.values()


def test_jsonld_string_cannot_close_the_script_element(seeds):
    model, rows, _ = seeds
    plan = dict(rows["plans"][0], title='Kế hoạch </script><script>alert("x")</script> & <!-- \u2028')
    doc = metadata.plan_jsonld(plan, ["UBND </SCRIPT>"], [], "/p/", model=model)
    text = metadata.jsonld_string(doc)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == doc
    assert metadata.jsonld_string(doc) == text  # stable


class _Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.scripts: list[str] = []
        self.links: list[dict[str, str | None]] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and a.get("name"):
            self.meta[a["name"]] = a.get("content") or ""
        if tag == "link":
            self.links.append(a)
        if tag == "script":
            self._in_script = a.get("type") == "application/ld+json"
            if self._in_script:
                self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def _render_head(meta: dict | None, url: str = "plans/p/id/", base_url: str = "../../..") -> str:
    """overrides/main.html over a stand-in base.html, in MkDocs' environment (no autoescape)."""
    loader = jinja2.ChoiceLoader(
        [
            jinja2.FileSystemLoader(str(ROOT / "overrides")),
            jinja2.DictLoader({"base.html": "<head>{% block extrahead %}{% endblock %}</head><body></body>"}),
        ]
    )
    env = jinja2.Environment(loader=loader)
    env.filters["url"] = url_filter
    page = type("Page", (), {"meta": meta, "url": url})() if meta is not None else None
    return env.get_template("main.html").render(page=page, base_url=base_url)


def test_head_template_writes_escaped_dublin_core_and_json_ld(seeds):
    model, rows, _ = seeds
    plan = dict(rows["plans"][0], title='Tiêu đề </script><script>alert(1)</script> "trích" & <b>')
    issuers, cited = _plan_inputs(rows, plan)
    doc = metadata.plan_jsonld(plan, issuers, cited, "/x/", model=model)
    dc = metadata.dublin_core(plan, issuers, model=model)
    for jsonld in (metadata.jsonld_string(doc), json.dumps(doc, ensure_ascii=False), doc):
        html = _render_head({"jsonld": jsonld, "dc": dc})
        assert "<script>alert" not in html
        head = _Head()
        head.feed(html)
        assert len(head.scripts) == 1
        assert json.loads(head.scripts[0]) == doc
        assert head.meta == dc
    assert any(ln.get("type") == "application/atom+xml" and ln.get("href") == "../../../feed.xml" for ln in head.links)


def test_head_template_without_metadata(seeds):
    for meta in ({}, {"title": "x"}):
        html = _render_head(meta, url="", base_url=".")
        assert "ld+json" not in html and "DC." not in html
        assert 'href="feed.xml"' in html
    # the 404 page has no page; without site_url its base is "/": the link must stay on the site
    assert 'href="/feed.xml"' in _render_head(None, base_url="/")


@pytest.mark.slow
def test_material_builds_a_page_with_the_metadata(seeds, tmp_path):
    """The real theme (Material 9.8): the block lands in <head> and survives the build."""
    model, rows, _ = seeds
    plan = dict(rows["plans"][0], title="Kế hoạch </script> thử")
    issuers, cited = _plan_inputs(rows, plan)
    doc = metadata.plan_jsonld(plan, issuers, cited, "/plans/x/", model=model)
    dc = metadata.dublin_core(plan, issuers, model=model)
    import yaml

    (tmp_path / "docs").mkdir()
    front = yaml.safe_dump({"jsonld": metadata.jsonld_string(doc), "dc": dc}, allow_unicode=True)
    (tmp_path / "docs" / "index.md").write_text(f"---\n{front}---\n\n# Trang\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\ntheme:\n  name: material\n  custom_dir: "
        + json.dumps(str(ROOT / "overrides"))
        + "\n  font: false\n  language: vi\nplugins: []\n",
        encoding="utf-8",
    )
    out = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q"], cwd=tmp_path, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    head_html = html.split("</head>", 1)[0]
    head = _Head()
    head.feed(head_html)
    assert [json.loads(s) for s in head.scripts] == [doc]
    assert head.meta["DC.title"] == plan["title"]
    assert 'type="application/atom+xml"' in head_html


# --- datasets ----------------------------------------------------------------------------------


def test_dcat_catalogue_has_a_distribution_per_resource_with_its_size(seeds):
    model, _, files = seeds
    descriptor = json.loads(files["datapackage.json"])
    cat = dcat.dcat_catalog(descriptor, BASE)
    assert json.loads(metadata.jsonld_string(cat)) == cat
    assert cat["@type"] == "dcat:Catalog"
    assert {"dcat", "dct", "xsd"} <= set(cat["@context"])
    [ds] = cat["dcat:dataset"]
    assert ds["@type"] == "dcat:Dataset"
    assert ds["dct:modified"] == {"@value": descriptor["modified"], "@type": "xsd:dateTime"}
    assert ds["dct:license"]["@type"] == "dct:LicenseDocument"
    assert "Nghị định" in ds["dct:license"]["dct:title"][0]["@value"]
    dists = ds["dcat:distribution"]
    assert len(dists) == len(descriptor["resources"]) == len(model.tables)
    for dist, res in zip(dists, descriptor["resources"], strict=True):
        assert dist["@type"] == "dcat:Distribution"
        assert dist["dcat:downloadURL"] == {"@id": f"{BASE}/data/{res['path']}"}
        assert dist["dcat:mediaType"]["@id"] == "https://www.iana.org/assignments/media-types/text/csv"
        assert dist["dcat:byteSize"]["@value"] == len(files[res["path"]])
        assert dist["dcat:byteSize"]["@type"] == "xsd:nonNegativeInteger"
        assert dist["dct:modified"]["@value"] == descriptor["modified"]
        assert dist["spdx:checksum"]["spdx:checksumValue"]["@value"] == res["hash"].removeprefix("sha256:")
        assert dist["dct:license"]["@id"] == ds["dct:license"]["@id"]
    ids = [d["@id"] for d in dists]
    assert len(set(ids)) == len(ids)


def test_dcat_lists_extra_files_with_their_sizes(seeds):
    _, _, files = seeds
    descriptor = json.loads(files["datapackage.json"])
    extra = {"cong-khai.json": files["cong-khai.json"], "datapackage.json": files["datapackage.json"]}
    dists = dcat.dcat_catalog(descriptor, BASE, files=extra)["dcat:dataset"][0]["dcat:distribution"]
    by_url = {d["dcat:downloadURL"]["@id"]: d for d in dists}
    for name, data in extra.items():
        d = by_url[f"{BASE}/data/{name}"]
        assert d["dcat:byteSize"]["@value"] == len(data)
        assert d["dcat:mediaType"]["@id"].endswith("application/json")


def test_dataset_jsonld(seeds):
    _, _, files = seeds
    descriptor = json.loads(files["datapackage.json"])
    doc = metadata.dataset_jsonld(descriptor, base_url=BASE)
    assert doc["@type"] == "Dataset" and doc["@context"] == "https://schema.org"
    for key in ("name", "description", "license", "distribution", "dateModified"):
        assert doc[key], key
    assert doc["license"]["text"].startswith("Dữ liệu mở")
    assert len(doc["distribution"]) == len(descriptor["resources"])
    for dist, res in zip(doc["distribution"], descriptor["resources"], strict=True):
        assert dist["@type"] == "DataDownload"
        assert dist["contentUrl"] == f"{BASE}/data/{res['path']}"
        assert dist["encodingFormat"] == "text/csv"
        assert dist["contentSize"] == f"{len(files[res['path']])} B"


# --- Dublin Core and Atom ----------------------------------------------------------------------


def test_dublin_core(seeds):
    model, rows, _ = seeds
    for plan in rows["plans"]:
        issuers, _ = _plan_inputs(rows, plan)
        dc = metadata.dublin_core(plan, issuers, model=model)
        for key in ("DC.title", "DC.creator", "DC.date", "DC.description", "DC.identifier", "DC.language", "DC.type"):
            if key == "DC.date" and not plan.get("issue_date"):
                continue
            assert dc.get(key), (plan["id"], key)
        assert dc["DC.title"] == " ".join(plan["title"].split())
        assert dc["DC.language"] == "vi"
        assert dc["DC.identifier"] == (plan.get("number_symbol") or plan["id"])
        assert all(isinstance(v, str) and "\n" not in v and v == v.strip() for v in dc.values())


def test_atom_feed_has_one_entry_per_plan_newest_first(seeds):
    model, rows, _ = seeds
    plans = rows["plans"]
    data = feeds.atom_feed(plans, BASE, UPDATED, model=model)
    assert data.startswith(b"<?xml")
    feed = ET.fromstring(data)
    assert feed.tag == f"{A}feed"
    assert feed.findtext(f"{A}updated") == "2024-11-22T00:00:00Z"
    assert feed.findtext(f"{A}id") and feed.findtext(f"{A}title")
    entries = feed.findall(f"{A}entry")
    assert len(entries) == len(plans)
    links = [e.find(f"{A}link").get("href") for e in entries]
    assert sorted(links) == sorted(f"{BASE}/{sitemap.plan_path(p)}" for p in plans)
    dates = {f"{BASE}/{sitemap.plan_path(p)}": p.get("issue_date") or "" for p in plans}
    order = [dates[h] for h in links]
    assert order == sorted(order, reverse=True)
    ids = [e.findtext(f"{A}id") for e in entries]
    assert len(set(ids)) == len(ids) and all(i.startswith("urn:uuid:") for i in ids)
    for e in entries:
        assert e.findtext(f"{A}title") and e.findtext(f"{A}updated") and e.findtext(f"{A}summary")
    # deterministic and independent of input order; the clock plays no part
    assert feeds.atom_feed(list(reversed(plans)), BASE, UPDATED, model=model) == data


def test_atom_feed_escapes_text_and_limits_entries(seeds):
    model, rows, _ = seeds
    plans = [dict(p, title=p["title"] + " <b>&</b>") for p in rows["plans"]]
    data = feeds.atom_feed(plans, BASE, "2024-11-22", issuer_names={plans[0]["id"]: ["UBND <x>"]}, model=model)
    feed = ET.fromstring(data)
    titles = [e.findtext(f"{A}title") for e in feed.findall(f"{A}entry")]
    assert all(t.endswith(" <b>&</b>") for t in titles)
    assert b"<b>" not in data
    limited = ET.fromstring(feeds.atom_feed(plans, BASE, UPDATED, limit=2, model=model))
    assert len(limited.findall(f"{A}entry")) == 2


def test_page_descriptions_are_derived_from_the_data_and_added_once() -> None:
    from congkhai.model.schemas import load_model
    from congkhai.render.metadata import page_descriptions, with_description

    model = load_model()
    rows = {
        "plans": [
            {
                "id": "p1",
                "doc_type": "ke_hoach",
                "number_symbol": "72/KH",
                "title": "Dân vận <b>",
                "province": "x",
                "issue_date": "2024-03-18",
            },
            {"id": "p2", "doc_type": "ke_hoach", "title": "Dân vận", "province": "x"},
        ],
        "issuers": [{"plan_id": "p1", "unit": "u1"}],
        "units": [{"id": "u1", "name": "UBND phường A", "level": "commune", "province": "x"}],
        "provinces": [{"id": "x", "name": "Bắc Giang"}],
        "directives": [{"id": "d1", "doc_type": "luat", "number_symbol": "10/2022/QH15", "name": "Luật Dân chủ"}],
    }
    got = page_descriptions(rows, model)
    assert got["plans/x/p1.md"] == "Kế hoạch 72/KH của UBND phường A ngày 18/03/2024: Dân vận <b>"
    assert got["plans/x/p2.md"] == "Kế hoạch: Dân vận"
    assert got["units/u1.md"].startswith("UBND phường A (Cấp xã, Bắc Giang):")
    assert got["directives/d1.md"].startswith("Luật 10/2022/QH15: Luật Dân chủ.")
    assert len(set(got.values())) == len(got)
    page = "---\ntitle: A\n---\n\n# A\n"
    added = with_description(page, got["plans/x/p1.md"])
    assert (
        added
        == "---\ndescription: 'Kế hoạch 72/KH của UBND phường A ngày 18/03/2024: Dân vận &lt;b&gt;'\ntitle: A\n---\n\n# A\n"
    )
    assert with_description(added, "other") == added  # a page's own description is kept
    assert with_description("# B\n", "Mô tả").startswith("---\ndescription: Mô tả\n---\n\n# B")


def test_a_page_without_a_description_gets_one_from_its_title():
    from congkhai.render.markdown import front_matter
    from congkhai.render.metadata import title_description, with_description

    page = front_matter({"title": 'Kế hoạch năm 2023 — trang 2 <b>"x"</b>'}) + "\n# Kế hoạch\n"
    described = title_description(page)
    assert described is not None and described.startswith('Kế hoạch năm 2023 — trang 2 <b>"x"</b> — ')
    done = with_description(page, described)
    assert title_description(done) is None  # it has one now: nothing is added twice
    assert "&lt;b&gt;" in done and "&amp;lt;" not in done  # escaped once, by the one front-matter writer
    assert title_description("# no front matter\n") is None


# --- the built site's catalogue: DCAT-AP 3.0.1, CKAN, search engines ---------------------------

SITE_ADDRESS = PUBLISHED_URL
SHAPES = ROOT / "tests" / "fixtures" / "dcat-ap"
DCAT_NS = "http://www.w3.org/ns/dcat#"
EU = "http://publications.europa.eu/resource/authority"


@pytest.fixture(scope="module")
def built(published_site):
    """The seed site built with an address (``SITE_URL``) and no publisher declared: its folder and
    what the build wrote to standard error (tests/conftest.py ``published_site``)."""
    return published_site


def _catalog_graph(site: Path):
    from rdflib import Graph

    return Graph().parse(data=(site / "data" / "catalog.jsonld").read_text(encoding="utf-8"), format="json-ld")


def _shapes():
    """Both shape files of the release; the five property shapes the range file names but neither
    file defines are dropped (pySHACL refuses a shape listing them) — see fixtures/dcat-ap/README.md."""
    from rdflib import Graph, Namespace

    sh = Namespace("http://www.w3.org/ns/shacl#")
    shapes = Graph()
    for name in ("releases_3.0.1_shacl_dcat-ap-SHACL.ttl", "releases_3.0.1_shacl_ranges.ttl"):
        shapes.parse(SHAPES / name, format="turtle")
    dangling = [(s, p, o) for s, p, o in shapes.triples((None, sh.property, None)) if (o, sh.path, None) not in shapes]
    assert len(dangling) == 5, "the release's shapes changed: look again at what is dropped"
    for triple in dangling:
        shapes.remove(triple)
    return shapes


def _results(data) -> list[tuple[str, str, str]]:
    from pyshacl import validate
    from rdflib import Namespace

    sh = Namespace("http://www.w3.org/ns/shacl#")
    _, report, _ = validate(data, shacl_graph=_shapes(), inference="none", allow_warnings=True)
    return sorted(
        (
            str(report.value(r, sh.resultSeverity)),
            str(report.value(r, sh.resultPath)),
            str(report.value(r, sh.resultMessage)),
        )
        for r in report.subjects(sh.resultSeverity, None)
    )


def test_built_catalogue_conforms_to_dcat_ap_3_0_1(built):
    """Zero results (violations, warnings or notes) against the official DCAT-AP 3.0.1 shapes."""
    site, _ = built
    assert _results(_catalog_graph(site)) == []


def test_the_shapes_see_what_dcat_ap_forbids(built):
    """The check is not vacuous: text where an IRI belongs, a checksum that is a plain string."""
    from rdflib import Literal, Namespace, URIRef
    from rdflib.namespace import XSD

    dct, spdx = Namespace("http://purl.org/dc/terms/"), Namespace("http://spdx.org/rdf/terms#")
    g = _catalog_graph(built[0])
    dist = next(g.subjects(URIRef(DCAT_NS + "downloadURL"), None))
    g.set((dist, dct["format"], Literal("CSV")))
    checksum = g.value(dist, spdx.checksum)
    g.set((checksum, spdx.checksumValue, Literal(str(g.value(checksum, spdx.checksumValue)), datatype=XSD.string)))
    paths = {path for _, path, _ in _results(g)}
    assert {str(dct["format"]), str(spdx.checksumValue)} <= paths


def test_catalogue_names_eu_vocabularies_and_the_publishing_body(built):
    site, err = built
    catalog = json.loads((site / "data" / "catalog.jsonld").read_text(encoding="utf-8"))
    [ds] = catalog["dcat:dataset"]
    assert ds["dct:language"]["@id"] == f"{EU}/language/VIE"
    assert ds["dct:spatial"]["@id"] == f"{EU}/country/VNM"
    assert ds["dcat:theme"]["@id"] == f"{EU}/data-theme/GOVE"
    assert catalog["dcat:themeTaxonomy"]["@id"] == f"{EU}/data-theme"
    for dist in ds["dcat:distribution"]:
        url = dist["dcat:downloadURL"]["@id"]
        assert url.startswith(SITE_ADDRESS + "data/")
        fmt = {"csv": "CSV", "json": "JSON", "sqlite": "BIN", "xlsx": "XLSX"}[url.rsplit(".", 1)[1]]
        assert dist["dct:format"]["@id"] == f"{EU}/file-type/{fmt}"
        assert dist["dcat:mediaType"]["@id"].startswith("https://www.iana.org/assignments/media-types/")
        assert dist["spdx:checksum"]["spdx:checksumValue"]["@type"] == "xsd:hexBinary"
        assert dist["spdx:checksum"]["spdx:algorithm"]["@id"] == "http://spdx.org/rdf/terms#checksumAlgorithm_sha256"
        data = (site / "data" / url.removeprefix(SITE_ADDRESS + "data/")).read_bytes()
        assert dist["spdx:checksum"]["spdx:checksumValue"]["@value"] == __import__("hashlib").sha256(data).hexdigest()
    publisher = ds["dct:publisher"]
    assert "foaf:Agent" in publisher["@type"]
    assert publisher["dct:type"]["@id"] == "http://purl.org/adms/publishertype/LocalAuthority"
    contact = ds["dcat:contactPoint"]
    assert "vcard:Organization" in contact["@type"] and contact["vcard:hasEmail"]["@id"].startswith("mailto:")
    # no body declared: a marked placeholder, and the build says so
    assert publisher["foaf:name"]["@value"] == metadata.PLACEHOLDER_PUBLISHER.name
    assert "chưa khai báo" in publisher["foaf:name"]["@value"]
    assert "extra.publisher" in err and metadata.PLACEHOLDER_PUBLISHER.name in err


def test_publisher_is_declared_once_in_mkdocs_yml(tmp_path, monkeypatch):
    from congkhai.publish.engine import publisher_settings
    from tests.conftest import copy_sources

    repo = copy_sources(tmp_path / "repo")
    for name in ("PUBLISHER_NAME", "PUBLISHER_EMAIL", "PUBLISHER_HOMEPAGE", "PUBLISHER_TYPE"):
        monkeypatch.delenv(name, raising=False)
    assert metadata.publisher_from(publisher_settings(repo)) == metadata.PLACEHOLDER_PUBLISHER
    monkeypatch.setenv("PUBLISHER_NAME", "  Sở Nội vụ  tỉnh Lạng Sơn ")
    monkeypatch.setenv("PUBLISHER_EMAIL", "snv@langson.gov.vn")
    monkeypatch.setenv("PUBLISHER_HOMEPAGE", "https://snv.langson.gov.vn/")
    monkeypatch.setenv("PUBLISHER_TYPE", "RegionalAuthority")
    body = metadata.publisher_from(publisher_settings(repo))
    assert body == metadata.Publisher(
        "Sở Nội vụ tỉnh Lạng Sơn", "snv@langson.gov.vn", "https://snv.langson.gov.vn/", "RegionalAuthority"
    )
    assert not body.placeholder
    # what is not an address is left out, never written into the catalogue
    odd = metadata.publisher_from({"name": "X", "email": "a b@c", "homepage": "javascript:alert(1)", "type": "a/b"})
    assert (odd.email, odd.homepage, odd.kind) == ("", "", "LocalAuthority")
    cat = dcat.dcat_catalog({"name": "p", "title": "t", "description": "d", "resources": []}, BASE, publisher=body)
    agent = cat["dct:publisher"]
    assert agent["foaf:name"]["@value"] == "Sở Nội vụ tỉnh Lạng Sơn"
    assert agent["foaf:mbox"] == {"@id": "mailto:snv@langson.gov.vn"}
    assert agent["foaf:homepage"]["@id"] == "https://snv.langson.gov.vn/"


# ckanext-dcat's RDF parser, as far as this catalogue needs it: mirrored from ckanext-dcat at
# commit 0209972 (v2.4.3 and 5 commits, 27 May 2026), ckanext/dcat/profiles/base.py
# (_object_value, _distribution_format, _license, _agents_details, _time_interval with
# dcat_ap_version=2 as euro_dcat_ap_2/euro_dcat_ap_3 call it, _spatial) and
# euro_dcat_ap_base.py (_parse_dataset_base: which predicate feeds which CKAN field).
# CKAN's licence register (ckan/model/license.py) gives "other-at" the title "Other (Attribution)"
# and "other-closed" the title "Other (Not Open)", neither with a URL; CKAN's resource_formats.json maps the media types "text/csv" and "application/json"
# to the formats "CSV" and "JSON" (only these two are mirrored: whether it knows SQLite's media type
# is not assumed, so the SQLite file's format stays the EU file-type IRI, which is what CKAN keeps
# for a format it does not know).
CKAN_LICENSES = {
    "other-at": ("", "Other (Attribution)"),
    "other-closed": ("", "Other (Not Open)"),
    "cc-by": ("http://www.opendefinition.org/licenses/cc-by", "Creative Commons Attribution"),
}
CKAN_FORMATS = {"text/csv": "CSV", "application/json": "JSON"}


class CkanProfile:
    def __init__(self, graph):
        from rdflib import Namespace

        self.g = graph
        self.DCT = Namespace("http://purl.org/dc/terms/")
        self.DCAT = Namespace(DCAT_NS)
        self.FOAF = Namespace("http://xmlns.com/foaf/0.1/")
        self.VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
        self.RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
        self.SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")

    def object_value(self, subject, predicate, lang="en"):
        from rdflib import Literal

        fallback = ""
        for o in self.g.objects(subject, predicate):
            if isinstance(o, Literal):
                if o.language and o.language == lang:
                    return str(o)
                if fallback == "":
                    fallback = str(o)
            elif list(self.g.objects(o, self.RDFS.label)):
                return str(next(self.g.objects(o, self.RDFS.label)))
            else:
                return str(o)
        return fallback

    def distribution_format(self, dist):
        from rdflib import BNode, Literal, URIRef

        imt, label = self.object_value(dist, self.DCAT.mediaType) or None, None
        fmt = self.g.value(dist, self.DCT["format"])
        if isinstance(fmt, Literal):
            if not imt and "/" in fmt:
                imt = str(fmt)
            else:
                label = str(fmt)
        elif isinstance(fmt, (BNode, URIRef)):
            if "iana.org/assignments/media-types" in str(fmt) and not imt:
                imt = str(fmt)
            else:
                label = str(fmt)
        if imt in CKAN_FORMATS:
            label = CKAN_FORMATS[imt]
        return imt, label

    def license_id(self, dataset):
        uri2id = {url: key for key, (url, _) in CKAN_LICENSES.items()}
        title2id = {title: key for key, (_, title) in CKAN_LICENSES.items()}
        for dist in self.g.objects(dataset, self.DCAT.distribution):
            lic = self.g.value(dist, self.DCT.license)
            if lic is not None:
                found = uri2id.get(lic.toPython()) or title2id.get(self.object_value(lic, self.DCT.title))
                if found:
                    return found
        return ""

    def agent(self, subject, predicate):
        agent = self.g.value(subject, predicate)
        return {
            "uri": str(agent),
            "name": self.object_value(agent, self.FOAF.name, lang="vi"),
            "email": self.object_value(agent, self.FOAF.mbox).removeprefix("mailto:"),
            "url": self.object_value(agent, self.FOAF.homepage),
            "type": str(self.g.value(agent, self.DCT.type) or ""),
        }

    def temporal(self, dataset):
        for interval in self.g.objects(dataset, self.DCT.temporal):
            start = self.object_value(interval, self.DCAT.startDate)
            end = self.object_value(interval, self.DCAT.endDate)
            if start or end:
                return start, end
        return None, None

    def spatial(self, dataset):
        from rdflib import RDF, URIRef

        uri = text = None
        for place in self.g.objects(dataset, self.DCT.spatial):
            if isinstance(place, URIRef):
                uri = str(place)
            if (place, RDF.type, self.DCT.Location) in self.g:
                for label in self.g.objects(place, self.SKOS.prefLabel):
                    text = str(label)
        return uri, text

    def contact(self, dataset):
        point = self.g.value(dataset, self.DCAT.contactPoint)
        return self.object_value(point, self.VCARD.fn, lang="vi"), self.object_value(point, self.VCARD.hasEmail)


def test_ckan_euro_dcat_ap_3_profile_maps_every_field(built):
    """What a CKAN portal harvesting ``data/catalog.jsonld`` with ckanext-dcat's ``euro_dcat_ap_3``
    profile stores: licence, format and media type, publisher, temporal and spatial coverage."""
    from rdflib import URIRef

    site, _ = built
    g = _catalog_graph(site)
    ckan = CkanProfile(g)
    [dataset] = g.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ckan.DCAT.Dataset)
    # was '' (the terms-of-use address is in no register); not "other-at", which CKAN counts as
    # open: the terms forbid reselling the raw data (schemas/package.yaml x-terms-of-use)
    assert ckan.license_id(dataset) == "other-closed"
    dists = list(g.objects(dataset, ckan.DCAT.distribution))
    assert dists
    for dist in dists:
        url = ckan.object_value(dist, ckan.DCAT.downloadURL)
        imt, label = ckan.distribution_format(dist)
        expected = {
            "csv": ("text/csv", "CSV"),
            "json": ("application/json", "JSON"),
            # CKAN's format list is not assumed to know it: the EU file type stays the format
            "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", f"{EU}/file-type/XLSX"),
        }.get(url.rsplit(".", 1)[1], ("application/vnd.sqlite3", f"{EU}/file-type/BIN"))
        assert (imt, label) == expected, url  # was the full IANA address
    publisher = ckan.agent(dataset, ckan.DCT.publisher)
    assert publisher["name"] == metadata.PLACEHOLDER_PUBLISHER.name  # a public body's name, not the site's
    assert publisher["type"] == "http://purl.org/adms/publishertype/LocalAuthority"
    assert publisher["email"] == metadata.PLACEHOLDER_PUBLISHER.email
    assert publisher["url"] == SITE_ADDRESS
    assert ckan.temporal(dataset) == ("2023", "2024-03-18")
    assert ckan.spatial(dataset) == (f"{EU}/country/VNM", "Việt Nam")
    assert ckan.contact(dataset) == (
        metadata.PLACEHOLDER_PUBLISHER.name,
        "mailto:" + metadata.PLACEHOLDER_PUBLISHER.email,
    )


def _head(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    return text[: text.find("</head>")]


def test_open_data_page_describes_the_dataset_for_search_engines(built):
    site, _ = built
    [script] = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', _head(site / "data" / "index.html"), re.S
    )
    doc = json.loads(script)
    assert doc["@type"] == "Dataset"
    assert doc["includedInDataCatalog"]["url"] == SITE_ADDRESS + "data/catalog.jsonld"
    assert doc["temporalCoverage"] == "2023/2024-03-18"
    assert doc["spatialCoverage"]["sameAs"] == f"{EU}/country/VNM"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", doc["version"])
    assert doc["publisher"]["name"] == metadata.PLACEHOLDER_PUBLISHER.name
    files = {d["contentUrl"]: d["encodingFormat"] for d in doc["distribution"]}
    assert files[SITE_ADDRESS + "data/plans.csv"] == "text/csv"
    assert files[SITE_ADDRESS + "data/cong-khai.sqlite"] == "application/vnd.sqlite3"
    assert all(d["encodingFormat"] and d["contentUrl"].startswith(SITE_ADDRESS) for d in doc["distribution"])


def test_every_built_page_has_its_own_description(built):
    site, _ = built
    found: dict[str, list[str]] = {}
    for page in sorted(site.rglob("*.html")):
        described = re.findall(r'<meta name="description" content="([^"]*)"', _head(page))
        assert len(described) == 1 and described[0].strip(), page
        found.setdefault(described[0], []).append(str(page.relative_to(site)))
    shared = {d: pages for d, pages in found.items() if len(pages) > 1}
    assert not shared, shared


def test_pages_with_dublin_core_declare_its_schema(built):
    site, _ = built
    with_dc = 0
    for page in sorted(site.rglob("*.html")):
        head = _head(page)
        declared = head.count('<link rel="schema.DC" href="http://purl.org/dc/elements/1.1/">')
        if '<meta name="DC.' in head:
            with_dc += 1
            assert declared == 1, page
        else:
            assert declared == 0, page
    assert with_dc >= 5  # every plan page
