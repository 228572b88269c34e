"""A plan file's YAML front matter, written from ``schemas/`` plus values.

The one writer for every plan file the program writes: ``new`` (:mod:`.scaffold`) gives it a
placeholder and an explanation for each field, ``import`` (:mod:`congkhai.importer.draft`) gives it
what it read from the signed document. The keys and their order come from the model: the plan's
fields that are not computed (``x-derived``), then each child table's list (issuers, signers,
recipients, tasks, citations, disclosures) with each item's fields in the table's order. A key the
schemas do not declare is a bug in the caller (``ValueError``), so no writer can invent one.

Values are written so that the file loads back to them whatever they hold: a code (``ke_hoach``,
``II.1``, a plan id) plain, as the published plans write it; any other string double-quoted, with
the characters YAML refuses, and the ones it reads as line breaks, escaped; ``null``, numbers and
flow lists ``[a, b]``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import yaml

from ..model.schemas import Field, Model, Table

#: ``explain(field or table, indent)``: the comment lines written above its key (``new``'s help).
Explain = Callable[[Field | Table, str], Sequence[str]]

# Characters YAML refuses anywhere in a file, and the ones it reads as line breaks (NEL, LS, PS):
# escaped in values, blanked in comments, so that the file always loads.
_UNSAFE = re.compile("[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\x85\u2028\u2029]")
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\Z")
_RESOLVER = yaml.resolver.Resolver()  # the implicit types of the safe loaders
_STR = yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG


def front_matter(
    model: Model,
    values: Mapping[str, Any],
    *,
    comments: Sequence[str] = (),
    explain: Explain | None = None,
) -> str:
    """The front matter, both ``---`` lines included: ``comments`` at the top (one line each),
    then every key of ``values`` in the schemas' order. A child table's value is a list of items
    (a mapping of its fields; a string for a list of strings such as recipients). With
    ``explain``, each key is preceded by a blank line and the lines ``explain`` gives for it."""
    plan = model.plan_table
    children = [t for t in model.child_tables() if t.frontmatter_key]
    _known(values, [f.name for f in plan.frontmatter_fields] + [str(t.frontmatter_key) for t in children], "plan")
    lines = ["---", *(f"# {comment_text(c)}" for c in comments)]
    for f in plan.frontmatter_fields:
        if f.name in values:
            if explain is not None:
                lines += ["", *explain(f, "")]
            lines.append(f"{f.name}: {yaml_value(values[f.name])}")
    for table in children:
        key = str(table.frontmatter_key)
        if key not in values:
            continue
        if explain is not None:
            lines += ["", *explain(table, "")]
        items = list(values[key] or [])
        lines.append(f"{key}:" if items else f"{key}: []")
        for item in items:
            lines += _item(table, item, "  ", explain)
    lines.append("---")
    return "\n".join(lines) + "\n"


def _item(table: Table, item: Any, indent: str, explain: Explain | None) -> list[str]:
    if table.scalar:  # a list of strings: one string per row
        f = table.field(table.scalar)
        return [*(explain(f, indent) if explain else ()), f"{indent}- {yaml_value(item)}"]
    _known(item, [f.name for f in table.frontmatter_fields], str(table.frontmatter_key))
    out: list[str] = []
    prefix = f"{indent}- "  # the item's first key opens it
    for f in table.frontmatter_fields:
        if f.name in item:
            out += explain(f, indent + "  ") if explain else ()
            out.append(f"{prefix}{f.name}: {yaml_value(item[f.name])}")
            prefix = f"{indent}  "
    return out or [f"{indent}- {{}}"]


def _known(values: Mapping[str, Any], keys: list[str], where: str) -> None:
    unknown = [k for k in values if k not in keys]
    if unknown:
        raise ValueError(f"{where}: {', '.join(map(str, unknown))} not declared in schemas/")


def yaml_value(value: Any) -> str:
    """``value`` as one line of YAML that loads back to it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(yaml_value(v) for v in value) + "]"
    text = str(value)
    if _CODE.match(text) and _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == _STR:
        return text
    return _UNSAFE.sub(_escape, json.dumps(text, ensure_ascii=False))


def comment_text(text: str) -> str:
    """``text`` for one comment line: line breaks and characters YAML refuses become spaces."""
    return _UNSAFE.sub(" ", text.replace("\n", " ").replace("\r", " "))


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    return "\\ufffd" if 0xD800 <= code <= 0xDFFF else f"\\u{code:04x}"  # a lone surrogate has no escape
