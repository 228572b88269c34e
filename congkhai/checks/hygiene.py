"""Text hygiene: control characters, line breaks in one-line fields, legacy-encoding mojibake,
non-NFC text and look-alikes.

Mojibake and control characters are errors because they would be published as garbage; NFC and
the ``Ð`` look-alike are warnings because ``--fix`` repairs them without changing the meaning.

Which fields may hold several lines is the Table Schemas' to say (``x-multiline: true``, e.g.
``notes``); every other text field is one line, because a line break or tab in a title, name, id
or number ends up in a CSV cell, an HTML attribute or a feed entry where nobody sees it, and
``\u2028``/``\u2029``/``\u0085`` break lines in some readers and not in others.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from ..model.findings import Finding
from ..model.sanitize import external_images
from ..model.schemas import Model
from ..read.frontmatter import Path_, Source, dotted
from ..read.records import Origin, Tables
from ..vietnamese.text import LOOKALIKE_D

CONTROL = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b\ufeff]")
# Latin-1 letters and signs that never occur in Vietnamese words. Text typed in the TCVN3 (.Vn)
# or VNI fonts and read as Unicode shows them inside words: "KÕ ho¹ch", "Keá hoaïch".
_ALIEN = "¡¢£¤¥¦¨ª¬¯±´µ¶·¸¹º¼½¾¿ÆÇËÎÏÑÖ×ØÛÜÞßäåæçëîïñö÷øûüþÿ"  # not ² ³: "m²"
MOJIBAKE = re.compile(
    rf"[A-Za-zÀ-ỹ][{_ALIEN}]|[{_ALIEN}][A-Za-zÀ-ỹ]"  # alien sign glued to a letter
    r"|Ã[\u0080-\u00bf]|á[º»][\u0080-\u00bf]"  # UTF-8 read as Windows-1252
    r"|\ufffd"  # replacement character: bytes already lost
)


# Characters that break a line or a column, refused where the schema expects one line (U+0085,
# NEL, is a C1 control and already a control-character everywhere).
LINE_BREAK = re.compile("[\t\n\r\u2028\u2029]")
MULTILINE = "x-multiline"


def text_problems(text: str, one_line: bool = False) -> Iterator[tuple[int, str, dict[str, Any]]]:
    """Yield (offset, code, params) for each kind of problem in ``text``, first occurrence only."""
    m = CONTROL.search(text)
    if m:
        yield m.start(), "control-character", {"char": f"U+{ord(m.group()):04X}"}
    m = LINE_BREAK.search(text) if one_line else None
    if m:
        yield m.start(), "line-break", {"char": f"U+{ord(m.group()):04X}"}
    m = MOJIBAKE.search(text)
    if m:
        start = max(0, m.start() - 12)
        yield m.start(), "mojibake", {"value": text[start : m.end() + 12].strip()}
    if any(ch in text for ch in LOOKALIKE_D):
        pos = min(text.find(ch) for ch in LOOKALIKE_D if ch in text)
        yield pos, "lookalike-character", {}
    if not unicodedata.is_normalized("NFC", text):
        pos = next((i for i, ch in enumerate(text) if unicodedata.combining(ch)), 0)
        yield pos, "non-nfc", {}


def _walk(value: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, path + (str(k),))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _walk(v, path + (i,))


def _multiline(model: Model, path: Path_) -> bool:
    """Whether the front-matter value at ``path`` fills a field the schema marks multi-line.

    ``(key,)`` and ``(key, i)`` are a plan field or a list item of one; ``(key, i, name, …)`` is
    field ``name`` of the child table ``key`` fills. Anything else (an unknown key, a list of
    strings) is one line."""
    if not path or not isinstance(path[0], str):
        return False
    plan = model.plan_table
    if path[0] in plan.field_names:
        return bool(plan.field(path[0]).descriptor.get(MULTILINE))
    child = next((t for t in model.child_tables() if t.frontmatter_key == path[0]), None)
    name = child.scalar if child and child.scalar and len(path) == 2 else (path[2] if len(path) > 2 else None)
    if child is None or not isinstance(name, str) or name not in child.field_names:
        return False
    return bool(child.field(name).descriptor.get(MULTILINE))


def check_source_text(src: Source, model: Model) -> list[Finding]:
    out: list[Finding] = []
    if src.data is not None:
        for path, text in _walk(src.data, ()):
            for _, code, params in text_problems(text, one_line=not _multiline(model, path)):
                out.append(src.finding(path, code, key=dotted(path), **params))
    for i, line in enumerate(src.body.split("\n")):
        for offset, code, params in text_problems(line):
            out.append(Finding(src.path, src.body_line + i, offset + 1, "body", code, {"key": "body", **params}))
    for offset, image in external_images(src.body):  # the sanitiser drops them too: this says why
        row = src.body.count("\n", 0, offset)
        col = offset - (src.body.rfind("\n", 0, offset) + 1) + 1
        out.append(Finding(src.path, src.body_line + row, col, "body", "external-image", {"value": image}))
    return out


def check_reference_text(tables: Tables, names: list[str], model: Model) -> list[Finding]:
    """Text problems of every cell of the tables ``names`` (reference CSVs, or merged shards' rows)."""
    out: list[Finding] = []
    for name in names:
        table = model.tables.get(name)
        multiline = {f.name for f in table.fields if f.descriptor.get(MULTILINE)} if table else set()
        for row, origin in tables.iter(name):
            for key, value in row.items():
                items = value if isinstance(value, list) else [value]
                for item in items:
                    if isinstance(item, str):
                        for _, code, params in text_problems(item, one_line=key not in multiline):
                            out.append(_at(origin, key, code, params))
    return out


def _at(origin: Origin, key: str, code: str, params: dict[str, Any]) -> Finding:
    return origin.finding(key, code, key=key, **params)
