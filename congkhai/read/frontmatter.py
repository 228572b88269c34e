"""Read a plan file: split front matter from body and parse it once, keeping where each key is.

PyYAML silently keeps the last of two equal keys, so the document is composed into nodes first
(with line marks, via libyaml when available) and checked for duplicates before it is
constructed. Timestamps are not resolved: dates stay strings so that the Table Schema, not YAML,
decides what a valid date is, and so that an unquoted ``2024-02`` and ``2024-02-01`` behave alike.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..model.findings import Finding, shape_params
from ..model.limits import LINE_CHARS, PLAN_BYTES, PLAN_TASKS

_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc, valid-type]
    pass


if _Base is yaml.SafeLoader:  # PyYAML without libyaml already composes in Python
    _DeepLoader: type = _Loader
else:

    class _ComposedInPython(yaml.composer.Composer, _Loader):  # type: ignore[misc, valid-type]
        """libyaml's events composed by PyYAML's Composer: nesting deeper than the interpreter allows
        ends in RecursionError (a finding) where libyaml's own composer overflows the C stack."""

        def __init__(self, stream: str) -> None:
            _Loader.__init__(self, stream)  # type: ignore[call-arg]
            yaml.composer.Composer.__init__(self)

    _DeepLoader = _ComposedInPython

# Every collection starts at one of these indicators (a mapping at its first key's ':'), so their
# count bounds the nesting depth; up to this depth libyaml's faster composer is safe.
_INDICATORS = "[{-?:"
_SAFE_DEPTH = 2000


_Loader.yaml_implicit_resolvers = {  # type: ignore[attr-defined]
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()  # type: ignore[attr-defined]
}

# YAML also breaks lines at these; the file (and the writer's editor) does not.
_YAML_ONLY_BREAKS = ("\r", "\x85", "\u2028", "\u2029")

Path_ = tuple[str | int, ...]
Locate = Callable[[Any], tuple[int, int]]
FENCES = ("---", "...")
ALIASES = "anchors and aliases (&, *) are not allowed"
# A YAML 1.1 merge key copies a mapping's keys into its parent after the duplicate check has seen
# only ``<<``: ``title: A`` + ``<<: {title: B}`` would pass with one title silently dropped.
MERGE_KEYS = "merge keys (<<) are not allowed: write every key out / không dùng khóa gộp <<, ghi từng trường"

NO_FRONT_MATTER = (
    "Thêm phần thông tin giữa hai dòng '---' ở đầu tệp: nhập kế hoạch bằng biểu mẫu /quan-tri/ (hoặc chạy "
    "'python build_site.py new' để có mẫu), rồi dán toàn văn sau dòng '---' thứ hai.",
    "Start the file with a front-matter block between two '---' lines: enter the plan in the form /quan-tri/ "
    "(or run 'python build_site.py new' for a template), then paste the text after the second '---'.",
)

GENERAL_SYNTAX = (
    "Kiểm tra thụt lề (dùng dấu cách, không dùng tab), dấu hai chấm sau tên trường và đặt giá trị có dấu ':' "
    "hoặc '#' trong ngoặc kép.",
    "Check the indentation (spaces, not tabs), the colon after each key, and quote values containing ':' or '#'.",
)


def syntax_params(problem: str, lines: list[str] | None = None, line: int = 0) -> dict[str, str]:
    """The problem and what to do about it, told from the problem and the line it is on: a hint
    a clerk can follow ("add ']' at the end of the list"), not a list of things to check."""
    text = lines[line - 1] if lines and 0 < line <= len(lines) else ""
    value = text.split(":", 1)[1] if ":" in text else ""
    vi, en = GENERAL_SYNTAX
    if problem == ALIASES:
        vi = "Không dùng neo '&tên' và tham chiếu '*tên': chép giá trị có '&tên' vào chỗ ghi '*tên', rồi xóa '&tên'."
        en = "No '&name' anchors or '*name' aliases: copy the value marked '&name' where '*name' stands, then delete '&name'."
    elif problem == MERGE_KEYS:
        vi = "Xóa dòng '<<: …' này; trường nào cần thì ghi riêng, mỗi trường một dòng."
        en = "Delete this '<<: …' line; write each key it was meant to add on a line of its own."
    elif "character not allowed" in problem:
        code = problem.rsplit(" ", 1)[-1]
        vi = f"Xóa ký tự vô hình {code} ở dòng này (thường do sao chép từ Word hoặc PDF)."
        en = f"Delete the invisible character {code} on this line (it usually comes from Word or PDF)."
    elif "tab" in problem:
        vi = "Thay ký tự tab ở đầu dòng này bằng dấu cách, thụt vào thẳng hàng với các trường cùng cấp ở dòng trên."
        en = "Replace the tab at the start of this line with spaces, lined up with the keys of the same level above."
    elif "flow sequence" in problem:
        vi = "Danh sách mở bằng '[' ở dòng này chưa đóng: thêm ']' ở cuối danh sách."
        en = "The list opened with '[' on this line is not closed: add ']' at its end."
    elif "quoted scalar" in problem:
        vi = "Giá trị mở ngoặc ở dòng này chưa đóng: thêm dấu ngoặc (\" hoặc ') ở cuối giá trị."
        en = "The value quoted on this line is not closed: add the closing quote (\" or ') at its end."
    elif "mapping values are not allowed" in problem and ": " in value.strip():
        vi = "Giá trị có dấu ':' phải đặt trong ngoặc kép, ví dụ place: \"Cao Lộc: Lạng Sơn\"."
        en = "A value containing ':' must be in double quotes, e.g. place: \"Cao Lộc: Lạng Sơn\"."
    elif "mapping values are not allowed" in problem:
        vi = "Dòng này thụt vào sai: thụt vào đúng bằng số dấu cách của các trường cùng cấp ở dòng trên."
        en = "This line is indented wrongly: indent it by exactly as many spaces as the keys of its level above."
    elif "did not find expected key" in problem:
        vi = 'Xem các dòng ngay trên: thường là một giá trị mở ngoặc kép mà chưa đóng — thêm dấu " ở cuối giá trị đó.'
        en = 'Look at the lines just above: usually a value opened with a double quote that is not closed — add the " at its end.'
    return {"problem": problem, "syntax_hint_vi": vi, "syntax_hint_en": en}


_MERGE_TAG = "tag:yaml.org,2002:merge"


@dataclass
class Source:
    """One plan file as read: its front matter (if it parsed), body and the marks of every key."""

    path: str
    text: str  # the file as read; emptied once the plan is checked (congkhai/load/plancache.py)
    data: dict[str, Any] | None = None
    body: str = ""
    body_line: int = 1
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    #: SHA-256 of ``text`` (hex), kept when the text is dropped: a version of the plan in git whose
    #: text has this digest is this file, and reuses this parse (``congkhai/render/site.py``)
    digest: str = ""

    def mark(self, path: Path_) -> tuple[int, int]:
        """Line and column of ``path``, or of its nearest ancestor that has a mark."""
        while path:
            if path in self.marks:
                return self.marks[path]
            path = path[:-1]
        return self.marks.get((), (1, 1))

    def finding(self, path: Path_, code: str, **params: Any) -> Finding:
        line, col = self.mark(path)
        return Finding(self.path, line, col, dotted(path), code, params)


def dotted(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def read_source(path: Path, root: Path) -> Source:
    try:
        rel = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        rel = path.as_posix()
    try:
        size = path.stat().st_size
        if PLAN_BYTES.exceeded(size):  # refused unread: a 25 MB plan took 55 s and 2 GB to check
            src = Source(rel, "")
            src.findings.append(Finding(rel, 0, 0, "", "plan-too-large", PLAN_BYTES.params(size)))
            return src
        raw = path.read_bytes()
    except OSError as exc:
        src = Source(rel, "")
        src.findings.append(Finding(rel, 0, 0, "", "unreadable-file", {"reason": exc.strerror or str(exc)}))
        return src
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        src = Source(rel, "")
        line = raw[: exc.start].count(b"\n") + 1
        src.findings.append(
            Finding(rel, line, 0, "", "unreadable-file", {"reason": f"không phải UTF-8 / not UTF-8 (byte {exc.start})"})
        )
        return src
    return parse_source(rel, text.replace("\r\n", "\n").replace("\r", "\n"))


def parse_source(rel: str, text: str) -> Source:
    src = Source(rel, text)
    lines = text.split("\n")
    long_line = next((i for i, line in enumerate(lines) if LINE_CHARS.exceeded(len(line))), None)
    if long_line is not None:  # the first one only: one pasted document is one finding, not thousands
        params = LINE_CHARS.params(len(lines[long_line]))
        src.findings.append(Finding(rel, long_line + 1, LINE_CHARS.value + 1, "", "line-too-long", params))
    if not lines or lines[0].rstrip() != "---":
        blank_first = next((i for i, line in enumerate(lines) if line.strip()), None)
        if blank_first and lines[blank_first].rstrip() == "---":  # blank lines before the first '---'
            hint = (
                f"Xóa {blank_first} dòng trống ở đầu tệp: dòng '---' phải là dòng đầu tiên.",
                f"Delete the {blank_first} blank line(s) at the top: the '---' line must be the very first.",
            )
        else:
            hint = NO_FRONT_MATTER
        src.findings.append(Finding(rel, 1, 1, "", "no-front-matter", {"fm_hint_vi": hint[0], "fm_hint_en": hint[1]}))
        src.body = text
        return src
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in FENCES), None)
    if end is None:
        hint = (
            "Phần thông tin mở bằng '---' ở dòng 1 chưa đóng: thêm một dòng '---' sau trường cuối cùng, "
            "trước toàn văn.",
            "The front matter opened by '---' on line 1 is not closed: add a '---' line after the last key, "
            "before the text.",
        )
        src.findings.append(Finding(rel, 1, 1, "", "no-front-matter", {"fm_hint_vi": hint[0], "fm_hint_en": hint[1]}))
        return src
    src.body = "\n".join(lines[end + 1 :])
    src.body_line = end + 2
    fm_text = "\n".join(lines[1:end]) + "\n"
    src.marks[()] = (2, 1)
    at = _locator(fm_text)
    deep = sum(fm_text.count(c) for c in _INDICATORS) > _SAFE_DEPTH
    loader = (_DeepLoader if deep else _Loader)(fm_text)
    try:
        node = loader.get_single_node()
        if node is None:
            src.findings.append(src.finding((), "not-a-mapping", **shape_params("mapping", "null")))
            return src
        _bound_tasks(src, node, at)
        if _walk(src, node, (), set(), at):
            src.data = _construct(src, loader, node)
    except yaml.reader.ReaderError as exc:
        # libyaml counts bytes and PyYAML characters; finding the character itself works for both
        char = chr(exc.character) if isinstance(exc.character, int) else ""
        pos = fm_text.find(char) if char and char in fm_text else 0
        line = fm_text.count("\n", 0, pos) + 2
        col = pos - (fm_text.rfind("\n", 0, pos) + 1) + 1
        problem = (
            f"ký tự không được phép / character not allowed: U+{exc.character:04X}"
            if isinstance(exc.character, int)
            else str(exc.reason)
        )
        src.findings.append(Finding(rel, line, col, "", "yaml-syntax", syntax_params(problem, lines, line)))
    except yaml.MarkedYAMLError as exc:
        # An unclosed quote or bracket is reported where the scanner gave up (often the end);
        # where it was opened is what the writer needs to see.
        opened = (exc.context or "").startswith(("while scanning a quoted scalar", "while parsing a flow"))
        mark = (exc.context_mark if opened else None) or exc.problem_mark or exc.context_mark
        line, col = at(mark) if mark else (2, 1)
        problem = " ".join(p for p in (exc.context, exc.problem) if p)
        src.findings.append(Finding(rel, line, col, "", "yaml-syntax", syntax_params(problem, lines, line)))
    except RecursionError:
        src.findings.append(
            Finding(rel, 2, 1, "", "yaml-syntax", syntax_params("lồng quá nhiều cấp / nested too deeply"))
        )
    except (yaml.YAMLError, ValueError, TypeError) as exc:
        src.findings.append(Finding(rel, 2, 1, "", "yaml-syntax", syntax_params(type(exc).__name__)))
    finally:
        loader.dispose()
    return src


def _bound_tasks(src: Source, node: Node, at: Locate) -> None:
    """Report a task list over the limit and keep only its first tasks, before anything is built from
    it: every task becomes checked rows, and a plan of 16 MB can hold a million short ones."""
    if not isinstance(node, MappingNode):
        return
    for key_node, value_node in node.value:
        if isinstance(key_node, ScalarNode) and key_node.value == "tasks" and isinstance(value_node, SequenceNode):
            count = len(value_node.value)
            if PLAN_TASKS.exceeded(count):
                line, col = at(key_node.start_mark)
                src.findings.append(Finding(src.path, line, col, "tasks", "too-many-tasks", PLAN_TASKS.params(count)))
                del value_node.value[PLAN_TASKS.value :]


def _construct(src: Source, loader: Any, node: Node) -> dict[str, Any] | None:
    data = loader.construct_document(node)
    if not isinstance(data, dict):
        found = "list" if isinstance(data, list) else "text"
        src.findings.append(src.finding((), "not-a-mapping", **shape_params("mapping", found)))
        return None
    return data


def _locator(fm_text: str) -> Locate:
    """File line and column of a YAML mark in the front matter (which starts on line 2).

    libyaml's own line count also breaks at CR, NEL, LS and PS; when the front matter has any,
    the mark's character index is placed among the file's lines instead."""
    if not any(ch in fm_text for ch in _YAML_ONLY_BREAKS):
        return lambda mark: (mark.line + 2, mark.column + 1)
    starts = [0] + [i + 1 for i, ch in enumerate(fm_text) if ch == "\n"]

    def at(mark: Any) -> tuple[int, int]:
        k = bisect.bisect_right(starts, mark.index) - 1
        return k + 2, mark.index - starts[k] + 1

    return at


def _walk(src: Source, node: Node, path: Path_, seen: set[int], at: Locate) -> bool:
    """Record marks and report duplicate keys, aliases and merge keys; False if the tree is unusable."""
    if id(node) in seen:
        if not any(f.params.get("problem") == ALIASES for f in src.findings):  # once per file, not per alias
            src.findings.append(src.finding(path, "yaml-syntax", **syntax_params(ALIASES)))
        return False
    seen.add(id(node))
    ok = True
    if isinstance(node, MappingNode):
        first: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                line, col = at(key_node.start_mark)
                src.findings.append(
                    Finding(src.path, line, col, dotted(path), "yaml-syntax", syntax_params("a key must be plain text"))
                )
                ok = False
                continue
            key = key_node.value
            line, col = at(key_node.start_mark)
            if key_node.tag == _MERGE_TAG:  # plain ``<<`` or ``!!merge``; a quoted "<<" is an unknown key
                src.findings.append(
                    Finding(src.path, line, col, dotted(path), "yaml-syntax", syntax_params(MERGE_KEYS))
                )
                ok = False
                continue
            if key in first:
                src.findings.append(
                    Finding(
                        src.path,
                        line,
                        col,
                        dotted(path + (key,)),
                        "duplicate-key",
                        {"key": key, "first_line": first[key]},
                    )
                )
            else:
                first[key] = line
                src.marks[path + (key,)] = (line, col)
            ok = _walk(src, value_node, path + (key,), seen, at) and ok
    elif isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            src.marks.setdefault(path + (i,), at(item.start_mark))
            ok = _walk(src, item, path + (i,), seen, at) and ok
    return ok
