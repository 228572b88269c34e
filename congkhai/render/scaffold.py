"""An empty plan file to fill in: every front-matter field, explained in Vietnamese comments.

Generated from ``schemas/`` (``load_model()``), so it lists exactly the keys the validator
accepts: the plan fields that are not computed (``x-derived``) and, for each child table
(issuers, signers, recipients, tasks, citations), one example item with its fields. Each field
is introduced by its Vietnamese title, description, whether it is required and, for a
vocabulary, every allowed code with its label.

Required fields hold the placeholder ``"…"`` (or ``""`` where one character would be valid),
which the validator refuses — wrong pattern, too short, not in the vocabulary or not in the
referenced table — so an untouched scaffold can never be published. Optional fields are
``null`` (or ``[]`` for lists): empty is a valid answer for them.

The file is written by :func:`.planfile.front_matter`, the writer the importer's draft uses too:
this module only gives it the placeholders and the explanations.
"""

from __future__ import annotations

import textwrap
from typing import Any

from ..model.schemas import Field, Model, Table
from .planfile import Explain, front_matter

PLACEHOLDER = "…"
BODY = """\
## I. MỤC ĐÍCH, YÊU CẦU

1. Mục đích

(Chép nguyên văn nội dung văn bản từ đây; giữ các tiêu đề mục I, II, III như bản in.)

2. Yêu cầu

## II. NỘI DUNG

1. …

## III. TỔ CHỨC THỰC HIỆN

1. …
"""

_HEADER_LINES = (  # the comment at the top of the file
    "Kế hoạch mới. Điền từng trường theo chú thích ngay phía trên nó, rồi chép nội dung văn bản",
    "vào phần sau dòng '---' cuối cùng. Giữ nguyên tên các trường (bên trái dấu ':').",
    '- Trường ghi "…" hoặc "" là BẮT BUỘC: kiểm tra sẽ báo lỗi cho đến khi được điền đúng.',
    "- Trường ghi null hoặc [] là không bắt buộc: để nguyên nếu văn bản không ghi.",
    "- Danh sách (issuers, signers, recipients, tasks, citations): mỗi mục bắt đầu bằng '- ';",
    "  chép thêm mục cho mỗi cơ quan, người ký, nơi nhận, nhiệm vụ, văn bản được trích dẫn.",
    "- Mã kế hoạch (id) trùng với tên tệp: docs/plans/<mã tỉnh>/<id>.md",
)


def new_plan_text(model: Model) -> str:
    """The text of an empty plan: front matter with every field and a body template."""
    return front_matter(model, scaffold_values(model), comments=_HEADER_LINES, explain=_explainer(model)) + "\n" + BODY


def scaffold_values(model: Model) -> dict[str, Any]:
    """Every front-matter key with its placeholder; each child list holds one example item."""
    values: dict[str, Any] = {f.name: _placeholder(f) for f in model.plan_table.frontmatter_fields}
    for table in model.child_tables():
        if table.scalar:
            item: Any = _placeholder(table.field(table.scalar))
        else:
            item = {f.name: _placeholder(f) for f in table.frontmatter_fields}
        values[str(table.frontmatter_key)] = [item]
    return values


def _explainer(model: Model) -> Explain:
    def explain(what: Field | Table, indent: str) -> list[str]:
        if isinstance(what, Table):
            key = what.frontmatter_key
            return _wrap(f"{what.title} ({key}): danh sách, mỗi mục một dòng của bảng {what.title.lower()}.", indent)
        return _comment(model, what, indent)

    return explain


def _placeholder(f: Field) -> Any:
    if f.required:
        constraints = f.descriptor.get("constraints", {})
        if (
            f.type == "string"
            and constraints.get("minLength", 0) <= 1
            and not (f.vocabulary or constraints.get("pattern"))
        ):
            return ""  # "…" would be a valid one-character value
        return PLACEHOLDER
    return [] if f.type == "list" else None


def _comment(model: Model, f: Field, indent: str) -> list[str]:
    text = f"{f.title} ({f.name})"
    if f.description:
        text += f": {f.description.rstrip('.')}."
    text += " BẮT BUỘC." if f.required else " Không bắt buộc."
    if f.type == "date":
        text += " Dạng NNNN-TT-NN, ví dụ 2024-03-18."
    elif f.type == "list":
        text += " Danh sách, ví dụ [a, b]."
    out = _wrap(text, indent)
    if f.vocabulary:
        vocab = model.vocabularies[f.vocabulary]
        out += _wrap("Chọn một trong:" if f.type != "list" else "Chọn một hoặc nhiều trong:", indent)
        for code, labels in vocab.values.items():
            out.append(f"{indent}#   {code} = {labels.get('vi', code)}")
    return out


def _wrap(text: str, indent: str) -> list[str]:
    return [f"{indent}# {line}" for line in textwrap.wrap(text, width=100 - len(indent) - 2)]


def placeholders(data: Any) -> list[str]:
    """Dotted paths of the values in ``data`` that are still scaffold placeholders."""
    out: list[str] = []

    def walk(value: Any, path: str) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, f"{path}.{k}" if path else str(k))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, f"{path}[{i}]")
        elif value in (PLACEHOLDER, ""):
            out.append(path)

    walk(data, "")
    return out
