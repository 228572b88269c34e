"""Relative links and images in a plan's text must point at something the site publishes.

MkDocs' strict mode stops the whole build on a link to a missing file, so a plan that validated
clean could keep every later plan off the site. The validator reports it first, naming the line.
Only Markdown links and images survive the sanitiser (:mod:`..sanitize`), so those are read here:
inline ``[x](target)``, ``![x](target)`` and reference definitions ``[x]: target``.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

from ..model.findings import Finding
from ..read.frontmatter import Source
from .files import inside

_INLINE = re.compile(r"\]\(\s*<?([^)\s>]+)")
_DEFINITION = re.compile(r"^\s{0,3}\[(?!\^)[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
#: Folders of pages the build generates (not in docs/): a link there is checked by MkDocs.
GENERATED = frozenset({"directives", "units", "tasks", "data", "cong-khai"})


def _targets(body: str) -> Iterator[tuple[int, int, str]]:
    for pattern in (_INLINE, _DEFINITION):
        for m in pattern.finditer(body):
            yield m.start(1), m.end(1), m.group(1)


def check_links(root: Path, src: Source) -> list[Finding]:
    """A finding for each relative link or image of ``src``'s body whose file does not exist."""
    out: list[Finding] = []
    here = posixpath.dirname(src.path)
    for start, _, target in sorted(_targets(src.body)):
        if target.startswith(("#", "/", "\\")) or _SCHEME.match(target):
            continue  # anchors, absolute paths and URLs: the sanitiser and MkDocs deal with them
        path = unquote(target.split("#", 1)[0].split("?", 1)[0])
        if not path:
            continue
        resolved = posixpath.normpath(posixpath.join(here, path))
        parts = resolved.split("/")
        if len(parts) > 1 and parts[0] == "docs" and parts[1] in GENERATED:
            continue
        if len(parts) == 3 and parts[:2] == ["docs", "plans"] and parts[2].endswith(".md"):
            continue  # the generated lists of plans (plans/index.md, theo-nam.md…): MkDocs checks them
        if resolved.startswith("docs/") and (root / resolved).is_file() and inside(root, root / resolved):
            continue
        line = src.body_line + src.body.count("\n", 0, start)
        col = start - (src.body.rfind("\n", 0, start) + 1) + 1
        out.append(Finding(src.path, line, col, "body", "broken-link", {"value": target}))
    return out
