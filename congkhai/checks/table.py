"""Types and constraints of every row, checked by frictionless against the Table Schemas.

All rows of a table are validated in one frictionless run (one per table, not one per file,
because each run has a fixed cost) and each error is mapped back to its file, line and field.
Keys, foreign keys and vocabularies are left to ``rules``, which can name both places of a clash.
"""

from __future__ import annotations

import copy
from typing import Any

from frictionless import Resource, Schema

from ..model.findings import Finding
from ..model.schemas import Model, Table
from ..read.records import Tables

TYPE_HINTS = {
    "date": (
        'Ghi ngày dạng NNNN-TT-NN, ví dụ "2024-03-18", và kiểm tra ngày có thật.',
        'Write the date as YYYY-MM-DD, e.g. "2024-03-18", and check that the day exists.',
    ),
    "integer": ("Ghi một số nguyên, ví dụ 2024.", "Write a whole number, e.g. 2024."),
    "boolean": ("Ghi true hoặc false.", "Write true or false."),
    "string": (
        'Đặt giá trị trong ngoặc kép, ví dụ "2024", hoặc viết thành một dòng chữ.',
        'Put the value in double quotes, e.g. "2024", or write it as text.',
    ),
    "one": (
        "Ghi một giá trị, không phải danh sách: bỏ dấu ngoặc vuông [ ], ví dụ unit: lang-son-cao-loc-ubnd.",
        "Write one value, not a list: remove the square brackets [ ], e.g. unit: lang-son-cao-loc-ubnd.",
    ),
    "uri": (
        "Ghi địa chỉ đầy đủ bắt đầu bằng https:// (hoặc http://) và tên máy chủ; không có địa chỉ thì để trống (null).",
        "Write the full address starting with https:// (or http://) and a host name; with no address leave it empty (null).",
    ),
    "list": ("Viết thành danh sách, mỗi mục một dòng bắt đầu bằng '- '.", "Write a list, one '- ' item per line."),
}

CONSTRAINTS = {
    "required": ("bắt buộc phải có", "required", "Điền giá trị cho trường này.", "Fill in this field."),
    "pattern": (
        "phải theo mẫu {pattern}",
        "must match {pattern}",
        "Chỉ dùng chữ thường không dấu, số và dấu gạch ngang (ví dụ cao-loc-2024-kh) hoặc đúng mẫu đã nêu.",
        "Use lowercase ASCII letters, digits and hyphens (e.g. cao-loc-2024-kh) or the pattern shown.",
    ),
    "minLength": (
        "ít nhất {minLength} ký tự",
        "at least {minLength} characters",
        "Viết đầy đủ giá trị.",
        "Write the value in full.",
    ),
    "maxLength": (
        "tối đa {maxLength} ký tự",
        "at most {maxLength} characters",
        "Rút gọn giá trị.",
        "Shorten the value.",
    ),
    "minimum": ("không nhỏ hơn {minimum}", "at least {minimum}", "Sửa lại số.", "Correct the number."),
    "maximum": ("không lớn hơn {maximum}", "at most {maximum}", "Sửa lại số.", "Correct the number."),
}


# What each declared pattern means, in words and with an example a clerk can copy: a hint never
# shows a regular expression. A pattern not listed here falls back to "pattern" above.
PATTERNS = {
    "[a-z0-9]+(-[a-z0-9]+)*": (
        "chỉ gồm chữ thường không dấu, số và dấu gạch ngang",
        "only lowercase ASCII letters, digits and hyphens",
        "Viết mã bằng chữ thường không dấu, số và dấu gạch ngang, ví dụ cao-loc-2024-kh.",
        "Write the id in lowercase ASCII letters, digits and hyphens, e.g. cao-loc-2024-kh.",
    ),
    "(PL[IVXLC0-9]*\\.)?([IVXLC]+|[0-9]+)(\\.[0-9a-zđ]+)*": (
        "phải là số mục như II, II.1, III.2.a (phụ lục: PLI.II.3), không kèm chữ 'Mục'",
        "must be a section number such as II, II.1, III.2.a (appendix: PLI.II.3), without the word 'Mục'",
        "Chỉ ghi số mục, ví dụ II.2 (không ghi 'Mục II.2'); mục trong phụ lục I ghi PLI.II.3.",
        "Write only the section number, e.g. II.2 (not 'Mục II.2'); a section of appendix I is PLI.II.3.",
    ),
    "[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?": (
        "phải là năm, năm-tháng hoặc năm-tháng-ngày (NNNN, NNNN-TT, NNNN-TT-NN) với tháng từ 01 đến 12",
        "must be a year, year-month or year-month-day (YYYY, YYYY-MM, YYYY-MM-DD) with a month from 01 to 12",
        "Ghi ngày như bản in, theo dạng NNNN-TT-NN, ví dụ 2024-03-18 (chỉ có tháng: 2024-03; chỉ có năm: 2024).",
        "Write the date as printed, as YYYY-MM-DD, e.g. 2024-03-18 (month only: 2024-03; year only: 2024).",
    ),
    "[0-9]{2}": ("phải là hai chữ số", "must be two digits", "Ghi hai chữ số, ví dụ 01.", "Write two digits, e.g. 01."),
}


def _row_schema(table: Table) -> Schema:
    """The table's schema without keys, uniqueness and enums: those checks live in ``rules``."""
    descriptor = copy.deepcopy(table.descriptor)
    descriptor.pop("primaryKey", None)
    descriptor.pop("foreignKeys", None)
    for field in descriptor["fields"]:
        constraints = field.get("constraints", {})
        constraints.pop("unique", None)
        constraints.pop("enum", None)
        for key in [k for k in field if k.startswith("x-")]:
            field.pop(key)
    return Schema.from_descriptor(descriptor)


def _cell(value: Any) -> Any:
    # frictionless reads a list cell from inline data only as a list of scalars
    if isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
        return None  # the shape check already reported it
    return value


def check_table(model: Model, table: Table, tables: Tables) -> list[Finding]:
    pairs = tables.iter(table.name)
    if not pairs:
        return []
    names = table.field_names
    data: list[list[Any]] = [names] + [[_cell(row.get(n)) for n in names] for row, _ in pairs]
    report = Resource(data=data, schema=_row_schema(table)).validate(limit_errors=100_000)
    out: list[Finding] = []
    for task in report.tasks:
        for error in task.errors:
            row_number = getattr(error, "row_number", None)
            if row_number is None or not 2 <= row_number < len(data) + 1:
                continue
            name = getattr(error, "field_name", None)
            if name and table.field(name).derived:
                continue  # computed from values whose own errors are reported where they were written
            _, origin = pairs[row_number - 2]
            out.append(_finding(table, origin, error))
    return out


def _finding(table: Table, origin: Any, error: Any) -> Finding:
    name = getattr(error, "field_name", None) or ""
    value = getattr(error, "cell", "")
    value = "" if value in (None, "None") else value
    if error.type == "type-error" and name:
        field = table.field(name)
        ftype = field.type
        vi, en = TYPE_HINTS.get(ftype, ("", ""))
        if (ftype == "string" and isinstance(value, list | tuple)) or str(value).startswith("["):
            vi, en = TYPE_HINTS["one"]
        elif field.descriptor.get("format") == "uri":
            vi, en = TYPE_HINTS["uri"]
        return origin.finding(name, "type-error", key=name, value=value, type=ftype, type_hint_vi=vi, type_hint_en=en)
    constraint = next((c for c in CONSTRAINTS if f'"{c}"' in (error.note or "")), None)
    fdesc = table.field(name).descriptor.get("constraints", {}) if name else {}
    if constraint:
        vi, en, hint_vi, hint_en = CONSTRAINTS[constraint]
        if constraint == "pattern" and fdesc.get("pattern") in PATTERNS:
            vi, en, hint_vi, hint_en = PATTERNS[fdesc["pattern"]]
        return origin.finding(
            name,
            "constraint-error",
            key=name,
            value=value,
            constraint=vi.format_map(_Safe(fdesc)),
            constraint_en=en.format_map(_Safe(fdesc)),
            constraint_hint_vi=hint_vi,
            constraint_hint_en=hint_en,
        )
    return origin.finding(
        name or None,
        "constraint-error",
        key=name,
        value=value,
        constraint=error.note or error.type,
        constraint_en=error.note or error.type,
    )


class _Safe(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def check_tables(model: Model, tables: Tables) -> list[Finding]:
    out: list[Finding] = []
    for table in model.tables.values():
        out += check_table(model, table, tables)
    return out
