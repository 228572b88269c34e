"""Writing generated Markdown safely: one escaping rule and one table builder for every page module.

Values from plan files are data, never markup: escaped, they render as their literal text (and
``[``/``]`` escaped means no value can form a link).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from typing import Any

_SPECIAL = re.compile(r"([`*_{}\[\]|#])")


def esc(value: Any) -> str:
    """Escape a value for inline Markdown and table cells (and so for HTML); whitespace folded."""
    if value is None:
        return ""
    text = html.escape(str(value), quote=False).replace("\\", "\\\\")
    return " ".join(_SPECIAL.sub(r"\\\1", text).split())


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A pipe table; cells must already be escaped."""
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)
