"""Which addresses the site publishes as links: absolute http(s) URLs with a host, nothing else.

One rule for the validator (``invalid-url``) and for every renderer that writes an address into a
page, a feed or metadata, so a value the validator never saw (a merged shard, a test build) is
still never published as a ``javascript:`` or ``data:`` link.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")
WEB_SCHEMES = ("http", "https")


def web_url(value: str) -> bool:
    """Whether ``value`` is an absolute http(s) URL with a host: the only kind of link a plan or a
    reference row may carry, because the site and the feeds (``tien-do.xml``) publish it as a link
    and ``javascript:``, ``data:`` or ``file:`` there run or load something on a reader's machine."""
    if _SPACE_OR_CONTROL.search(value) or "\\" in value:
        return False
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(host)


def safe_url(value: object) -> str | None:
    """``value`` if it is a web address (:func:`web_url`), else None: renderers drop the rest."""
    return value if isinstance(value, str) and web_url(value) else None
