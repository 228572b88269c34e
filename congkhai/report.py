"""Render findings: one place decides how problems look, in text, GitHub annotations or JSON."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence

from .model.findings import Finding, Severity
from .model.schemas import Model, Table, load_model
from .render.editor import EDITORIAL_LABEL, PLANS_FOLDER, editorial_branch, entry_address

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


# --- names a clerk can read: the schema's titles beside the codes ------------------------------

_STEP = re.compile(r"([A-Za-z_]+)(?:\[\d+\])*")


def _table_of(model: Model, finding: Finding) -> Table | None:
    """The table a finding's field belongs to: a reference CSV's own, else the plan's or the
    plan table of its first key (``citations[1].sections[1]`` → citations)."""
    for table in model.tables.values():
        path = table.reference_path
        if path and (finding.file == path or finding.file.endswith("/" + path)):
            return table
    if not finding.file.endswith(".md"):
        return None
    first = _STEP.match(finding.field or "")
    for table in model.child_tables():
        if first and table.frontmatter_key == first.group(1):
            return table
    return model.plan_table


def field_title(finding: Finding, lang: str = "vi", model: Model | None = None) -> str:
    """The schema's title of the finding's field ("Vị trí trích dẫn"), or "" when it has none."""
    model = model or load_model()
    table = _table_of(model, finding)
    if table is None or not finding.field:
        return ""
    name = _STEP.fullmatch(finding.field.rsplit(".", 1)[-1])
    if not name:
        return ""
    key = name.group(1)
    if table.frontmatter_key and "." not in finding.field:  # a whole list: citations, tasks
        return table.title if lang == "vi" else table.title_en
    try:
        field = table.field(key)
    except KeyError:
        return ""
    return field.title if lang == "vi" else field.title_en


def _named(code: str, title: str) -> str:
    return f"{title} ({code})" if title and title != code else code


def labelled(finding: Finding, lang: str = "vi") -> Finding:
    """``finding`` whose parameters name fields and tables by their schema titles and codes:
    'sections' → 'Vị trí trích dẫn (sections)', units → 'Cơ quan, đơn vị (units)'."""
    model = load_model()
    params = dict(finding.params)
    # only unknown-reference names its table in words; other codes use it in a path (data/{table}.csv)
    table = model.tables.get(str(params.get("table", ""))) if finding.code == "unknown-reference" else None
    key = params.get("key")
    if table is not None:  # a reference: 'key' is the column of the table referred to
        if isinstance(key, str) and key in table.field_names:
            f = table.field(key)
            params["key"] = _named(key, f.title if lang == "vi" else f.title_en)
        params["table"] = _named(table.name, table.title if lang == "vi" else table.title_en)
    elif isinstance(key, str):
        params["key"] = _named(key, field_title(finding, lang, model))
    if isinstance(params.get("missing"), str):  # status-incomplete: the plan fields still to write

        def plan_field(m: re.Match[str]) -> str:
            try:
                f = model.plan_table.field(m.group())
            except KeyError:
                return m.group()
            return _named(m.group(), f.title if lang == "vi" else f.title_en)

        params["missing"] = re.sub(r"\b[a-z]+(?:_[a-z]+)+\b", plan_field, params["missing"])
    return Finding(finding.file, finding.line, finding.column, finding.field, finding.code, params)


def _where_field(finding: Finding, lang: str) -> str:
    title = field_title(finding, lang)
    return f"{title}: {finding.field}" if title else finding.field


def counts(findings: Sequence[Finding]) -> tuple[int, int]:
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    return errors, len(findings) - errors


# What a terminal or a job summary must not receive raw from a value (a file name, a plan's text):
# C0 controls but tab (ESC starts ANSI sequences that recolour, move the cursor or retitle the
# window; CR overwrites the line), DEL, C1 controls (0x9b is a one-byte CSI) and the bidi
# embeddings, overrides and isolates that make text read in another order than it is stored.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_control(text: str, keep_newlines: bool = False) -> str:
    """``text`` with every control character shown as a visible ``\\x1b`` / ``\\u202e`` escape.

    Why: a value printed raw could recolour or rewrite a clerk's terminal, fake a line of the
    report or hide what a file name really is. ``keep_newlines`` leaves line feeds of a
    multi-line text (a plan file; CRLF counts as one line end) in place; a value meant to be one
    line never keeps them.
    """
    if keep_newlines:
        return "\n".join(_CONTROL.sub(_visible, line) for line in text.replace("\r\n", "\n").split("\n"))
    return _CONTROL.sub(_visible, text)


def fenced(text: str, info: str = "") -> str:
    """``text`` as a Markdown code block no line of it can close: the fence is a backtick run
    longer than any backtick or tilde run in the text (at least three), controls escaped."""
    body = escape_control(text, keep_newlines=True)
    longest = max((len(run) for run in re.findall(r"`+|~+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    info = re.sub(r"[^\w.+-]", "", info)  # an info string cannot hold a backtick
    return f"{fence}{info}\n{body}{'' if body.endswith(chr(10)) or not body else chr(10)}{fence}\n"


def fenced_list(text: str, info: str = "") -> str:
    """NUL-separated names (``git diff -z``, ``find -print0``) as a code block, one a line: a
    name's own line feed is escaped, so one name cannot look like two."""
    names = [name for name in text.split("\0") if name]
    return fenced("".join(escape_control(name) + "\n" for name in names), info)


def code_span(text: str) -> str:
    """``text`` as inline Markdown code: the delimiter is a backtick run longer than any in it."""
    body = escape_control(text)
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    tick = "`" * (longest + 1)
    pad = " " if body.startswith("`") or body.endswith("`") or not body.strip(" ") else ""
    return f"{tick}{pad}{body}{pad}{tick}"


def render_text(findings: Sequence[Finding], files: int, lang: str = "vi") -> str:
    labels = LABELS[lang]
    lines: list[str] = []
    for f in _sorted(findings):
        file = escape_control(f.file)
        where = f"{file}:{f.line}:{f.column}" if f.line else file
        field = f" [{escape_control(_where_field(f, lang))}]" if f.field else ""
        message = labelled(f, lang).message(lang)
        lines.append(f"{where}: {labels[f.severity]} {f.code}{field}: {escape_control(message)}")
        hint = f.hint(lang)
        if hint:
            lines.append(f"    {labels['hint']}: {escape_control(hint)}")
    errors, warnings = counts(findings)
    lines.append(str(labels["summary"]).format(files=files, errors=errors, warnings=warnings))
    return "\n".join(lines) + "\n"


def _escape_data(text: str) -> str:
    """A workflow command's message, as GitHub's toolkit escapes it (``%``, CR, LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(text: str) -> str:
    """A workflow command's property (``file=``, ``title=``): also ``:`` and ``,``."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation_property(text: str) -> str:
    """A property value for the Makefile's own ``::error file=…`` lines, escaped exactly as
    :func:`render_github` escapes its own (the file keeps its true name, so GitHub finds it)."""
    return _escape_prop(text)


def render_github(findings: Sequence[Finding], files: int, lang: str = "vi") -> str:
    """GitHub workflow commands: ``::error file=…,line=…,col=…,title=…::message``."""
    lines = []
    for f in _sorted(findings):
        kind = "error" if f.severity is Severity.ERROR else "warning"
        props = [f"file={_escape_prop(f.file)}"]  # GitHub matches the file by its true name
        if f.line:
            props += [f"line={f.line}", f"col={max(f.column, 1)}"]
        props.append(f"title={_escape_prop(f.code + (' ' + f.field if f.field else ''))}")
        hint = f.hint(lang)
        message = escape_control(labelled(f, lang).message(lang)) + (
            f"\n{LABELS[lang]['hint']}: {escape_control(hint)}" if hint else ""
        )
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
                "field_title": field_title(f, lang),
                "code": f.code,
                "severity": f.severity.value,
                "message": labelled(f, lang).message(lang),
                "hint": f.hint(lang),
            }
            for f in _sorted(findings)
        ],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


#: The hidden first line of the pull request's one comment (congkhai/commands/prcomment.py writes
#: it; the workflow that posts it finds the comment to edit by it).
COMMENT_MARKER = "<!-- congkhai-pr-comment -->"
COMMENT_CHARS = 65_000  # GitHub refuses a comment over 65,536 characters


def comment_body(text: str) -> str:
    """A comment body as the posting workflow sends it, whoever wrote it: starting with the
    marker, no longer than GitHub accepts, controls escaped, and no ``@`` that could mention
    (notify) a person or a team — the body comes from the pull request's run, so from its code."""
    body = escape_control(text, keep_newlines=True).replace("@", "@&#8203;")
    if not body.startswith(COMMENT_MARKER + "\n"):
        body = COMMENT_MARKER + "\n" + body
    return body[:COMMENT_CHARS]


def editorial_of(listing: str, what: str = "branch") -> str:
    """For the import workflow: the drafts list (NUL-separated paths, as ``make ci-import`` writes
    ``drafts.txt``) → the editorial branch where the form finds the one plan drafted (``what`` =
    ``branch``), its path (``path``) or the form's address of it (``address``); empty when the
    drafts hold no plan or several (each plan needs a pull request of its own in the form).
    ``label``: the status label of a draft in the form's editorial workflow."""
    if what == "label":
        return EDITORIAL_LABEL
    plans = [p for p in dict.fromkeys(listing.split("\0")) if p.startswith(PLANS_FOLDER + "/") and p.endswith(".md")]
    if len(plans) != 1 or editorial_branch(plans[0]) is None:
        return ""
    value = {"branch": editorial_branch, "path": lambda p: p, "address": entry_address}[what](plans[0])
    return value or ""


RENDERERS = {"text": render_text, "github": render_github, "json": render_json}

# The Makefile's quoting of values in job summaries and annotations (its variable MD):
# ``printf '%s' "$value" | python -c '…FILTERS[sys.argv[1]](stdin, *argv[2:])…' NAME [INFO]``.
FILTERS: dict[str, Callable[..., str]] = {
    "fence": fenced,
    "fence0": fenced_list,
    "code": code_span,
    "prop": annotation_property,
    "comment": comment_body,
    "editorial": editorial_of,
}
