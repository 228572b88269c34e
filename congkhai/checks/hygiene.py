"""Text hygiene: control characters, legacy-encoding mojibake, non-NFC text and look-alikes.

Mojibake and control characters are errors because they would be published as garbage; NFC and
the ``Ð`` look-alike are warnings because ``--fix`` repairs them without changing the meaning.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from ..findings import Finding
from ..frontmatter import Path_, Source, dotted
from ..records import Origin, Tables
from ..text import LOOKALIKE_D

CONTROL = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b\ufeff]")
# Latin-1 letters and signs that never occur in Vietnamese words. Text typed in the TCVN3 (.Vn)
# or VNI fonts and read as Unicode shows them inside words: "KÕ ho¹ch", "Keá hoaïch".
_ALIEN = "¡¢£¤¥¦¨ª¬¯±´µ¶·¸¹º¼½¾¿ÆÇËÎÏÑÖ×ØÛÜÞßäåæçëîïñö÷øûüþÿ"  # not ² ³: "m²"
MOJIBAKE = re.compile(
    rf"[A-Za-zÀ-ỹ][{_ALIEN}]|[{_ALIEN}][A-Za-zÀ-ỹ]"  # alien sign glued to a letter
    r"|Ã[\u0080-\u00bf]|á[º»][\u0080-\u00bf]"  # UTF-8 read as Windows-1252
    r"|\ufffd"  # replacement character: bytes already lost
)


def text_problems(text: str) -> Iterator[tuple[int, str, dict[str, Any]]]:
    """Yield (offset, code, params) for each kind of problem in ``text``, first occurrence only."""
    m = CONTROL.search(text)
    if m:
        yield m.start(), "control-character", {"char": f"U+{ord(m.group()):04X}"}
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


def check_source_text(src: Source) -> list[Finding]:
    out: list[Finding] = []
    if src.data is not None:
        for path, text in _walk(src.data, ()):
            for _, code, params in text_problems(text):
                out.append(src.finding(path, code, key=dotted(path), **params))
    for i, line in enumerate(src.body.split("\n")):
        for offset, code, params in text_problems(line):
            out.append(Finding(src.path, src.body_line + i, offset + 1, "body", code, {"key": "body", **params}))
    return out


def check_reference_text(tables: Tables, names: list[str]) -> list[Finding]:
    out: list[Finding] = []
    for name in names:
        for row, origin in tables.iter(name):
            for key, value in row.items():
                if isinstance(value, str):
                    for _, code, params in text_problems(value):
                        out.append(_at(origin, key, code, params))
    return out


def _at(origin: Origin, key: str, code: str, params: dict[str, Any]) -> Finding:
    return origin.finding(key, code, key=key, **params)
