"""Render findings: one place decides how problems look, in text, GitHub annotations or JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence

from .findings import Finding, Severity

LABELS = {
    "vi": {
        Severity.ERROR: "lỗi",
        Severity.WARNING: "cảnh báo",
        "hint": "cách sửa",
        "summary": "{files} tệp: {errors} lỗi, {warnings} cảnh báo",
        "ok": "Không có lỗi.",
    },
    "en": {
        Severity.ERROR: "error",
        Severity.WARNING: "warning",
        "hint": "fix",
        "summary": "{files} files: {errors} errors, {warnings} warnings",
        "ok": "No errors.",
    },
}


def _sorted(findings: Sequence[Finding]) -> list[Finding]:
    return sorted(set(findings), key=Finding.sort_key)


def counts(findings: Sequence[Finding]) -> tuple[int, int]:
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    return errors, len(findings) - errors


def render_text(findings: Sequence[Finding], files: int, lang: str = "vi") -> str:
    labels = LABELS[lang]
    lines: list[str] = []
    for f in _sorted(findings):
        where = f"{f.file}:{f.line}:{f.column}" if f.line else f.file
        field = f" [{f.field}]" if f.field else ""
        lines.append(f"{where}: {labels[f.severity]} {f.code}{field}: {f.message(lang)}")
        hint = f.hint(lang)
        if hint:
            lines.append(f"    {labels['hint']}: {hint}")
    errors, warnings = counts(findings)
    lines.append(str(labels["summary"]).format(files=files, errors=errors, warnings=warnings))
    return "\n".join(lines) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(findings: Sequence[Finding], files: int, lang: str = "vi") -> str:
    """GitHub workflow commands: ``::error file=…,line=…,col=…,title=…::message``."""
    lines = []
    for f in _sorted(findings):
        kind = "error" if f.severity is Severity.ERROR else "warning"
        props = [f"file={_escape_prop(f.file)}"]
        if f.line:
            props += [f"line={f.line}", f"col={max(f.column, 1)}"]
        props.append(f"title={_escape_prop(f.code + (' ' + f.field if f.field else ''))}")
        message = f.message(lang) + (f"\n{LABELS[lang]['hint']}: {f.hint(lang)}" if f.hint(lang) else "")
        lines.append(f"::{kind} {','.join(props)}::{_escape_data(message)}")
    errors, warnings = counts(findings)
    lines.append(str(LABELS[lang]["summary"]).format(files=files, errors=errors, warnings=warnings))
    return "\n".join(lines) + "\n"


def render_json(findings: Sequence[Finding], files: int, lang: str = "vi") -> str:
    errors, warnings = counts(findings)
    payload = {
        "valid": errors == 0,
        "files": files,
        "errors": errors,
        "warnings": warnings,
        "findings": [
            {
                "file": f.file,
                "line": f.line,
                "column": f.column,
                "field": f.field,
                "code": f.code,
                "severity": f.severity.value,
                "message": f.message(lang),
                "hint": f.hint(lang),
            }
            for f in _sorted(findings)
        ],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


RENDERERS = {"text": render_text, "github": render_github, "json": render_json}
