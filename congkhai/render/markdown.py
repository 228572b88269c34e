"""Writing generated Markdown safely: one escaping rule and one table builder for every page module.

Values from plan files are data, never markup: escaped, they render as their literal text (and
``[``/``]`` escaped means no value can form a link).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from typing import Any

import yaml

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


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml: the same output, much faster


#: Page-metadata keys that MkDocs and Material print into the page as HTML, unescaped (``<title>``,
#: the header, ``<meta name="description">``): MkDocs' own titles, taken from rendered headings,
#: are HTML text, and its templates run without autoescape. A value given for one of them is
#: therefore written HTML-escaped, once, here, for every generated page.
#: Where a page stops being indexed for search: what follows repeats text indexed on its own page
#: (the tasks on a unit's page are the tasks of its plans). Empty and hidden; the search indexer
#: (``publish/search.py``) cuts the page there.
SEARCH_END = '<div class="ck-search-end" hidden></div>'

THEME_HTML_KEYS = ("title", "description", "author")


def front_matter(values: dict[str, Any]) -> str:
    """A page's YAML front matter block (safe_dump quotes whatever needs quoting).

    The keys the theme prints as HTML (:data:`THEME_HTML_KEYS`) are HTML-escaped, so a title can
    never become markup in the page head, header or navigation, whatever template prints it.
    """
    safe = {
        k: html.escape(str(v), quote=True) if k in THEME_HTML_KEYS and v is not None else v for k, v in values.items()
    }
    return "---\n" + yaml.dump(safe, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=10_000) + "---\n"


def with_front_matter(page: str, extra: dict[str, Any]) -> str:
    """Add keys to the front matter of a generated page."""
    if page.startswith("---\n"):
        head, body = page[4:].split("\n---\n", 1)
        values = yaml.safe_load(head) or {}
        # written escaped by front_matter(): back to text, so it is escaped exactly once again
        values = {k: html.unescape(v) if k in THEME_HTML_KEYS and isinstance(v, str) else v for k, v in values.items()}
        return front_matter({**values, **extra}) + body
    return front_matter(extra) + page
