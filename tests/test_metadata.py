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
from congkhai.render import datasets, feeds, metadata

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
    cat = metadata.dcat_catalog(descriptor, BASE)
    assert json.loads(metadata.jsonld_string(cat)) == cat
    assert cat["@type"] == "dcat:Catalog"
    assert {"dcat", "dct", "xsd"} <= set(cat["@context"])
    [ds] = cat["dcat:dataset"]
    assert ds["@type"] == "dcat:Dataset"
    assert ds["dct:modified"] == {"@value": descriptor["modified"], "@type": "xsd:dateTime"}
    assert ds["dct:license"]["@type"] == "dct:LicenseDocument"
    assert "Nghị định" in ds["dct:license"]["dct:title"]["@value"] or ds["dct:license"]["dct:description"]
    dists = ds["dcat:distribution"]
    assert len(dists) == len(descriptor["resources"]) == len(model.tables)
    for dist, res in zip(dists, descriptor["resources"], strict=True):
        assert dist["@type"] == "dcat:Distribution"
        assert dist["dcat:downloadURL"] == {"@id": f"{BASE}/data/{res['path']}"}
        assert dist["dcat:mediaType"] == {"@id": "https://www.iana.org/assignments/media-types/text/csv"}
        assert dist["dcat:byteSize"]["@value"] == len(files[res["path"]])
        assert dist["dcat:byteSize"]["@type"] == "xsd:nonNegativeInteger"
        assert dist["dct:modified"]["@value"] == descriptor["modified"]
        assert dist["spdx:checksum"]["spdx:checksumValue"] == res["hash"].removeprefix("sha256:")
        assert dist["dct:license"]["@id"] == ds["dct:license"]["@id"]
    ids = [d["@id"] for d in dists]
    assert len(set(ids)) == len(ids)


def test_dcat_lists_extra_files_with_their_sizes(seeds):
    _, _, files = seeds
    descriptor = json.loads(files["datapackage.json"])
    extra = {"cong-khai.json": files["cong-khai.json"], "datapackage.json": files["datapackage.json"]}
    dists = metadata.dcat_catalog(descriptor, BASE, files=extra)["dcat:dataset"][0]["dcat:distribution"]
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
