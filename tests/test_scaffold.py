"""The scaffold from ``new``: every schema field, explained, refused until filled in."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from congkhai.load.corpus import validate
from congkhai.model.schemas import load_model
from congkhai.read.frontmatter import parse_source
from congkhai.render.scaffold import PLACEHOLDER, new_plan_text, placeholders

TODAY = dt.date(2024, 11, 22)
PLAN_ID = "lang-son-cao-loc-2024-12-kh-ubnd"  # by the id rule (congkhai/vietnamese/planid.py)

# what a clerk types over each placeholder, in the order the scaffold lists them
FILL = [
    ("id", PLAN_ID),
    ("doc_type", "ke_hoach"),
    ("title", "Thực hiện công tác dân vận chính quyền năm 2024"),
    ("number_symbol", "12/KH-UBND"),
    ("number_status", "printed"),
    ("issuer_level", "district"),
    ("province", "lang-son"),
    ("place", "Cao Lộc"),
    ("issue_date", "2024-03-05"),
    ("issue_date_precision", "day"),
    ("status", "in_force"),
    ("topics", "[dan_van_chinh_quyen]"),
    ("source_kind", "original"),
    ("unit", "lang-son-cao-loc-ubnd"),  # issuers
    ("capacity", "TM."),
    ("on_behalf_of", "ỦY BAN NHÂN DÂN"),
    ("position", "CHỦ TỊCH"),
    ("name", "Nguyễn Văn A"),
    ("unit", "lang-son-cao-loc-ubnd"),  # signers
    ("- ", "Lưu: VT"),  # recipients
    ("id", "ii-1"),  # tasks
    ("section", "II.1"),
    ("text", "Tuyên truyền Chỉ thị số 33/CT-TTg"),
    ("recurrence", "continuous"),
    ("status", "not_reported"),
    ("directive", "33-ct-ttg-2021"),
    ("relation", "thuc_hien"),
    ("form", "niem_yet"),  # disclosures
    ("started", "2024-03-06"),
]
BODY = (
    "## I. MỤC ĐÍCH, YÊU CẦU\n\nThực hiện Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ.\n\n"
    "## II. NỘI DUNG\n\n1. Tuyên truyền Chỉ thị số 33/CT-TTg.\n\n## III. TỔ CHỨC THỰC HIỆN\n\n1. UBND các xã.\n"
)


def fill(text: str) -> str:
    front, _ = text.split("\n---\n", 1)
    lines = front.split("\n")
    pos = 0
    for key, value in FILL:
        pattern = re.compile(rf"^(\s*(?:- )?){re.escape(key)}" + (r": .*$" if key != "- " else r'"".*$'))
        if key == "- ":
            pattern = re.compile(r'^(\s*)- ""$')
        while not pattern.match(lines[pos]):
            pos += 1
        quoted = value if value.startswith("[") else f'"{value}"'
        lines[pos] = pattern.sub(
            lambda m, q=quoted, k=key: f"{m.group(1)}{'' if k == '- ' else k + ': '}{q}", lines[pos]
        )
        if key == "- ":
            lines[pos] = lines[pos].replace('  "', '  - "', 1)
        pos += 1
    return "\n".join(lines) + "\n---\n\n" + BODY


def _front(text: str) -> dict:
    return yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n"))


def test_scaffold_lists_every_field_with_its_explanation() -> None:
    model = load_model()
    text = new_plan_text(model)
    data = _front(text)
    assert list(data) == model.plan_keys()
    for f in model.plan_table.fields:
        assert (f.name in data) != f.derived
        if not f.derived:
            assert f"# {f.title} ({f.name})" in text
    for table in model.child_tables():
        item = data[table.frontmatter_key][0]
        if table.scalar:
            assert isinstance(item, str)
            continue
        assert list(item) == [f.name for f in table.frontmatter_fields]
        for f in table.frontmatter_fields:
            assert f"({f.name})" in text
    for vocab in ("doc_type", "plan_status", "relation", "recurrence"):
        for code, labels in model.vocabularies[vocab].values.items():
            assert f"#   {code} = {labels['vi']}" in text
    body = text.split("\n---\n", 1)[1]
    for heading in ("## I. MỤC ĐÍCH, YÊU CẦU", "## II. NỘI DUNG", "## III. TỔ CHỨC THỰC HIỆN"):
        assert heading in body
    assert parse_source("x.md", text).findings == []
    assert "title" in placeholders(data) and "recipients[0]" in placeholders(data)


def test_untouched_scaffold_is_refused(data_repo: Path) -> None:
    text = new_plan_text(load_model())
    path = data_repo / "docs" / "plans" / "lang-son" / f"{PLAN_ID}.md"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    result = validate(data_repo, today=TODAY)
    refused = {f.field for f in result.errors}
    for field in placeholders(_front(text)):
        assert field in refused, field
    assert PLACEHOLDER not in {v for v in _front(fill(text)).values() if isinstance(v, str)}


def test_filled_scaffold_validates_clean(data_repo: Path) -> None:
    text = fill(new_plan_text(load_model()))
    assert placeholders(_front(text)) == []
    path = data_repo / "docs" / "plans" / "lang-son" / f"{PLAN_ID}.md"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    result = validate(data_repo, today=TODAY)
    assert result.findings == []


# --- the writer both `new` and `import` use (render/planfile.py) -----------------------------------


def test_front_matter_follows_the_schemas_and_refuses_undeclared_keys() -> None:
    from congkhai.render.planfile import front_matter

    model = load_model()
    text = front_matter(model, {"tasks": [{"status": "not_reported", "id": "ii-1"}], "title": "Kế hoạch", "id": "k"})
    assert text == '---\nid: k\ntitle: "Kế hoạch"\ntasks:\n  - id: ii-1\n    status: not_reported\n---\n'
    with pytest.raises(ValueError, match="colour"):
        front_matter(model, {"id": "k", "colour": "red"})
    with pytest.raises(ValueError, match="colour"):
        front_matter(model, {"signers": [{"name": "A", "colour": "red"}]})


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(st.characters(exclude_categories=("Cs",))), st.from_regex(r"[A-Za-z0-9][\w.:-]{0,8}")))
def test_a_written_value_loads_back_to_itself(text: str) -> None:
    from congkhai.read.frontmatter import parse_source
    from congkhai.render.planfile import yaml_value

    for value in (text, [text, text], None):
        src = parse_source("p.md", f"---\ntitle: {yaml_value(value)}\n---\n")
        assert src.data is not None and src.data["title"] == value, yaml_value(value)
