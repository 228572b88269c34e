"""The declarations everything is derived from: complete, bilingual, and loaded as written."""

from __future__ import annotations

from pathlib import Path

import yaml
from frictionless import Schema

from congkhai.model.schemas import SCHEMA_DIR, load_model

MODEL = load_model()


def test_every_field_is_described_in_both_languages():
    for table in MODEL.tables.values():
        for f in table.fields:
            for key in ("title", "description", "x-title-en", "x-description-en"):
                assert str(f.descriptor.get(key, "")).strip(), f"{table.name}.{f.name} lacks {key}"


def test_vocabulary_labels_load_whole():
    """A comma inside an unquoted flow mapping silently cuts a label ("Thi đua, khen thưởng")."""
    raw = yaml.safe_load((SCHEMA_DIR / "vocabularies.yaml").read_text(encoding="utf-8"))
    printed_forms = {"abbr", "words", "headings", "codes", "joint"}  # doc_type only: see vietnamese/doctypes.py
    for name, spec in raw.items():
        assert set(spec["title"]) == {"vi", "en"}, name
        assert all(key.startswith("x-") for key in set(spec) - {"title", "values"}), name
        for code, labels in spec["values"].items():
            allowed = {"vi", "en"} | (printed_forms if name == "doc_type" else set())
            assert set(labels) <= allowed and labels["vi"] and labels["en"], (name, code)
    assert MODEL.vocabularies["topic"].label("thi_dua_khen_thuong") == "Thi đua, khen thưởng"


def test_package_titles_load_whole():
    raw = yaml.safe_load((SCHEMA_DIR / "package.yaml").read_text(encoding="utf-8"))
    for res in raw["resources"]:
        assert set(res) <= {"name", "schema", "x-rows", "x-scalar", "title"}, res
    assert MODEL.tables["units"].title == "Cơ quan, đơn vị"


def test_published_schemas_are_valid_table_schemas():
    for table in MODEL.tables.values():
        Schema.from_descriptor(MODEL.published_schema(table))  # raises on an invalid descriptor


def test_every_schema_file_is_in_the_package():
    files = {p.name for p in Path(SCHEMA_DIR).glob("*.schema.yaml")}
    used = {
        res["schema"] for res in yaml.safe_load((SCHEMA_DIR / "package.yaml").read_text(encoding="utf-8"))["resources"]
    }
    assert files == used
