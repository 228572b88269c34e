"""The plan form's configuration (``congkhai/render/editor.py``), generated from ``schemas/``."""

from __future__ import annotations

import json
import re

import yaml

from congkhai.model.schemas import load_model
from congkhai.render import editor

UNITS = [
    {"id": "u-1", "name": "Ủy ban nhân dân huyện A", "province": "p"},
    {"id": "u-2", "name": "Ban Dân vận Huyện ủy A", "province": "p"},
]
PROVINCES = [
    {"id": "ha-giang", "name": "Hà Giang", "valid_until": "2025-06-30"},
    {"id": "tuyen-quang-2025", "name": "Tuyên Quang", "valid_from": "2025-07-01"},
]
DIRECTIVES = [{"id": "33-ct-ttg-2021", "number_symbol": "33/CT-TTg", "title": "về tiếp tục " + "x" * 300}]
CATALOGUES = {"units": UNITS, "provinces": PROVINCES, "directives": DIRECTIVES}


def _config() -> dict:
    return yaml.safe_load(editor.editor_config(load_model(), CATALOGUES, repo="so-noi-vu/cong-khai"))


def _plan_fields(config: dict) -> dict[str, dict]:
    (plans,) = config["collections"]
    return {f["name"]: f for f in plans["fields"]}


def test_every_plan_field_not_computed_is_in_the_form_with_its_vietnamese_label_and_help() -> None:
    model = load_model()
    fields = _plan_fields(_config())
    for f in model.plan_table.fields:
        if f.derived:
            assert f.name not in fields, f"computed field {f.name} must not be in the form"
            continue
        assert fields[f.name]["label"] == f.title
        if f.name == "province":  # the plan's folder: the form cannot file a plan without one
            assert fields[f.name]["required"] is True and not f.required
            assert fields[f.name]["hint"].startswith(f.description) and "trung ương" in fields[f.name]["hint"]
            continue
        assert fields[f.name]["hint"] == f.description
        assert fields[f.name]["required"] is f.required
    for table in model.child_tables():
        item = fields[str(table.frontmatter_key)]
        assert item["widget"] == "list" and item["label"] == table.title
        subfields = [item["field"]] if table.scalar else item["fields"]
        names = [sf["name"] for sf in subfields]
        assert names == ([table.scalar] if table.scalar else [f.name for f in table.frontmatter_fields])
        for sf in subfields:
            f = table.field(sf["name"])
            assert not f.derived and sf["label"] == f.title and sf["required"] is f.required
    assert list(fields)[-1] == "body" and fields["body"]["widget"] == "markdown"


def test_every_vocabulary_is_a_choice_of_its_codes_with_vietnamese_labels() -> None:
    model = load_model()
    config = _config()
    fields = _plan_fields(config)
    seen = 0
    for table in [model.plan_table, *model.child_tables()]:
        key = table.frontmatter_key
        for f in table.frontmatter_fields:
            if not f.vocabulary:
                continue
            if key is None:
                widget = fields[f.name]
            else:
                item = fields[key]
                widget = item["field"] if table.scalar else next(sf for sf in item["fields"] if sf["name"] == f.name)
            vocab = model.vocabularies[f.vocabulary]
            assert widget["widget"] == editor.CHOICE_WIDGET
            assert [o["value"] for o in widget["options"]] == list(vocab.values)
            assert [o["label"] for o in widget["options"]] == [v["vi"] for v in vocab.values.values()]
            assert widget.get("multiple", False) is (f.type == "list")
            seen += 1
    assert seen >= 8


def test_dates_patterns_and_numbers() -> None:
    fields = _plan_fields(_config())
    assert fields["effective_date"]["widget"] == "datetime" and fields["effective_date"]["format"] == "YYYY-MM-DD"
    assert fields["effective_date"]["time_format"] is False
    assert fields["issue_date"]["widget"] == "string"  # a month or a year alone is valid: not a date picker
    pattern = re.compile(fields["id"]["pattern"][0])
    assert pattern.match("lang-son-2024-1") and not pattern.match("Lạng Sơn") and not pattern.match("a-")
    assert fields["posting_days"]["widget"] == "number" and fields["posting_days"]["value_type"] == "int"
    assert fields["posting_days"]["min"] == 1
    assert fields["notes"]["widget"] == "text"  # x-multiline


def test_bodies_provinces_and_documents_are_chosen_from_the_catalogues_written_once() -> None:
    text = editor.editor_config(load_model(), CATALOGUES)
    fields = _plan_fields(yaml.safe_load(text))
    assert fields["province"]["options"] == [
        {"label": "Hà Giang (đến 2025-06-30)", "value": "ha-giang"},
        {"label": "Tuyên Quang (từ 2025-07-01)", "value": "tuyen-quang-2025"},
    ]
    issuer_unit = fields["issuers"]["fields"][0]
    assert issuer_unit["name"] == "unit" and [o["value"] for o in issuer_unit["options"]] == ["u-1", "u-2"]
    lead_units = next(f for f in fields["tasks"]["fields"] if f["name"] == "lead_units")
    assert lead_units["multiple"] is True and lead_units["options"] == issuer_unit["options"]
    directive = next(f for f in fields["citations"]["fields"] if f["name"] == "directive")
    (option,) = directive["options"]
    assert option["value"] == "33-ct-ttg-2021" and option["label"].startswith("33/CT-TTg: về tiếp tục")
    assert len(option["label"]) <= 160
    # the units list is written once and aliased: the file grows with the catalogue, not with its uses
    assert text.count("Ban Dân vận Huyện ủy A") == 1


def test_saves_as_pull_requests_in_vietnamese_and_is_deterministic() -> None:
    first = editor.editor_config(load_model(), CATALOGUES, repo="so-noi-vu/cong-khai")
    assert first == editor.editor_config(load_model(), CATALOGUES, repo="so-noi-vu/cong-khai")
    config = yaml.safe_load(first)
    assert config["backend"]["name"] == "github" and config["backend"]["repo"] == "so-noi-vu/cong-khai"
    assert config["backend"]["open_authoring"] is True and config["publish_mode"] == "editorial_workflow"
    assert config["locale"] == "vi" and "local_backend" not in config and "base_url" not in config["backend"]
    auth = yaml.safe_load(editor.editor_config(load_model(), CATALOGUES, auth_url="https://dangnhap.example.gov.vn"))
    assert auth["backend"]["base_url"] == "https://dangnhap.example.gov.vn"
    (plans,) = config["collections"]
    assert plans["folder"] == "docs/plans" and plans["path"] == "{{province}}/{{slug}}"
    assert plans["format"] == "frontmatter" and plans["delete"] is False
    local = yaml.safe_load(editor.editor_config(load_model(), CATALOGUES, local_backend="http://127.0.0.1:1/api/v1"))
    assert local["local_backend"] == {"url": "http://127.0.0.1:1/api/v1"}


def test_the_page_loads_only_files_beside_it() -> None:
    page = editor.editor_page()
    assert '<html lang="vi">' in page
    assert re.findall(r'(?:src|href)="([^"]+)"', page) == ["config.yml", "decap-cms.js", "vi.js", "chon.js"]
    script = editor.locale_script()
    found = re.search(r"\|\| \{\}, (\{.*\})\)\);\n\}\)\(\);", script, re.S)
    assert found is not None, script
    patch = json.loads(found.group(1))
    assert patch == editor.LOCALE_PATCH
    assert patch["editor"]["editorWidgets"]["list"]["add"] == "Thêm %{item}"


def test_the_build_copies_the_vendored_bundle_or_says_it_is_missing(tmp_path) -> None:
    from congkhai.model import sitemap
    from congkhai.publish.site import copy_editor

    site = tmp_path / "site"
    (site / sitemap.EDITOR_DIR).mkdir(parents=True)
    for name in (sitemap.EDITOR, sitemap.EDITOR_CONFIG, sitemap.EDITOR_LOCALE):
        (site / name).write_text("x", encoding="utf-8")
    bundle = tmp_path / "dist"
    bundle.mkdir()
    assert copy_editor(site, bundle) == []  # not installed: the page says so, nothing half-working
    assert "make editor-deps" in (site / sitemap.EDITOR).read_text(encoding="utf-8")
    assert not (site / sitemap.EDITOR_CONFIG).exists() and not (site / sitemap.EDITOR_LOCALE).exists()
    for name in ("decap-cms.js", "7.decap-cms.js", "a1.wasm", "decap-cms.js.LICENSE.txt", "decap-cms.js.map", "cms.js"):
        (bundle / name).write_text(name, encoding="utf-8")
    assert copy_editor(site, bundle) == ["7.decap-cms.js", "a1.wasm", "decap-cms.js", "decap-cms.js.LICENSE.txt"]
    assert (site / sitemap.EDITOR_DIR / "7.decap-cms.js").read_text(encoding="utf-8") == "7.decap-cms.js"
    assert not (site / sitemap.EDITOR_DIR / "decap-cms.js.map").exists()


def test_a_plan_file_has_one_editorial_branch_and_address_and_nothing_else_does() -> None:
    """The import bot pushes a draft to the branch Decap's editorial workflow reads for that
    entry (``cms/<collection>/<slug>``, the slug being the collection's ``path``): the same rule
    the form uses when it saves (tests/browser/test_editor.py checks the branch it made)."""
    path = "docs/plans/lang-son/lang-son-cao-loc-2024-kh-ubnd.md"
    assert editor.editorial_branch(path) == "cms/plans/lang-son/lang-son-cao-loc-2024-kh-ubnd"
    assert editor.entry_address(path) == "#/collections/plans/entries/lang-son/lang-son-cao-loc-2024-kh-ubnd"
    for odd in (
        "docs/plans/lang-son/x.txt",
        "docs/plans/x.md",
        "docs/plans/a/b/c.md",
        "docs/plans/lang-son/Hoa.md",
        "docs/plans/lang-son/-x.md",
        "docs/plans/lang-son/x y.md",
        "docs/plans/../x/y.md",
        "docs/plans/lang-son/$(touch x).md",
        "data/units.csv",
    ):
        assert editor.editorial_branch(odd) is None and editor.entry_address(odd) is None, odd


def test_the_editorial_filter_names_a_branch_only_for_a_draft_of_one_plan() -> None:
    from congkhai.report import FILTERS

    one = "docs/plans/lang-son/ke-hoach-moi.md\0data/units.csv\0"
    assert FILTERS["editorial"](one) == "cms/plans/lang-son/ke-hoach-moi"
    assert FILTERS["editorial"](one, "path") == "docs/plans/lang-son/ke-hoach-moi.md"
    assert FILTERS["editorial"](one, "address") == "#/collections/plans/entries/lang-son/ke-hoach-moi"
    assert FILTERS["editorial"]("", "label") == editor.EDITORIAL_LABEL == "decap-cms/draft"
    two = one + "docs/plans/bac-giang/khac.md\0"
    assert FILTERS["editorial"](two) == "" and FILTERS["editorial"]("data/units.csv\0") == ""
    assert FILTERS["editorial"]("docs/plans/lang-son/$(x).md\0") == ""


def test_every_choice_goes_through_the_widget_that_keeps_unknown_values() -> None:
    """A draft's proposed bodies are rows of its own pull request, not of the published catalogue
    the choices were built from: the ``chon`` widget shows them instead of an empty box."""
    config = yaml.safe_load(editor.editor_config(load_model(), CATALOGUES))
    plans = config["collections"][0]

    def widgets(fields):
        for f in fields:
            yield f.get("widget")
            yield from widgets(f.get("fields", []))
            if "field" in f:
                yield from widgets([f["field"]])

    used = set(widgets(plans["fields"]))
    assert editor.CHOICE_WIDGET in used and "select" not in used
    script = editor.choice_script()
    assert f"cms.registerWidget({json.dumps(editor.CHOICE_WIDGET)}" in script
    assert "cms.getWidget('select')" in script and "CẦN KIỂM TRA" in script
