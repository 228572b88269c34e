"""Keep clerks' Markdown from carrying script into the site, in two layers.

In the model because three stages share its rules: the checks report what a body may not carry
(``external-image``), the renderer neutralises it (``sanitize_body``) and the publisher cleans the
built HTML (``clean_article``) with the allow-list the Markdown check uses.

``sanitize_body`` works on a plan body *before* it is copied into a generated page. Python-Markdown
passes raw HTML through, lets ``[x](javascript:…)`` become a link and lets attr_list ``{: onclick=…}``
set any attribute, so the body is rewritten, outside code spans, as follows:

* HTML comments are removed;
* every other ``<`` that could start markup (``<`` followed by a letter, ``/``, ``!`` or ``?``) is
  written ``&lt;`` so that the tag shows as text and the clerk sees it — except the attribute-less
  tags of ``ALLOWED_TAGS`` (``<sup>``, ``</sup>``, ``<br>``, ``<br />``…) and http(s) and e-mail
  autolinks (``<https://…>``), which Markdown turns into safe links itself;
* a Markdown link or image whose destination has a scheme other than http, https or mailto is
  broken (``[x]\\(javascript:…)``, ``[id]\\: javascript:…``) so that it shows as text;
* every ``{`` is escaped as ``\\{``, so attr_list never sees an attribute list;
* an image that is not local (``![x](https://…)``, ``![x](//host/p.png)``, ``![x][ref]`` whose
  definition is such a URL) is broken as ``!&#91;x](…)`` so that it shows as text: the site must
  work on a closed network and must not send its readers' addresses to another host. Images are
  relative URLs within the site (a file beside the plan). Validation reports them
  (``external-image``, :func:`external_images`); this is the defence behind it.

A ``<`` followed by a space or digit (``a < b``), ``&`` and all other Markdown are left alone, so a
body without raw HTML, links or braces is returned unchanged.

Code spans are left untouched (Markdown escapes their content), but only when the reading of code
spans here is certain to be Markdown's: every backtick run on every line is closed on the same line
and no backtick follows a backslash; lines with ``|`` (table rows, which Markdown splits itself) are
never treated as code. Otherwise nothing is treated as code, which can only over-escape: a ``<``
inside such a span shows as ``&lt;``. Indented code blocks are not recognised either (that needs
the whole block parser; Python-Markdown reads an indented line after a list as part of the list), so
a ``<tag>`` inside one also shows as ``&lt;tag>``. If a body with code spans, once rendered, still
holds anything but plain Markdown output, it is sanitised again with no code spans at all.

``clean_html`` is the second layer: nh3 (ammonia) over rendered article HTML, with an allow-list of
what Python-Markdown, the extensions of ``mkdocs.yml`` and the page generator produce.
``clean_article`` applies it to the ``<article class="md-content__inner …">`` of a built Material
page only, leaving the theme's own markup and scripts alone.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from html.parser import HTMLParser

import nh3

# Raw HTML a clerk may write, without attributes: the seeds need <sup> (m², 10<sup>th</sup>).
ALLOWED_TAGS = frozenset({"sup", "sub", "br", "em", "strong", "u"})
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
# The markdown_extensions of mkdocs.yml (tests check that the two agree).
MARKDOWN_EXTENSIONS = ("tables", "footnotes", "attr_list", "admonition", "pymdownx.details", "toc")

_COMMENT = re.compile(r"<!--(?:>|->|.*?--!?>)", re.DOTALL)
_ALLOWED_TAG = re.compile(r"<(?:/?(?:%s)|br\s*/)>" % "|".join(sorted(ALLOWED_TAGS)), re.IGNORECASE)  # noqa: UP031
# Python-Markdown's AUTOLINK_RE and AUTOMAIL_RE: it makes these links itself, href escaped.
# Narrowed to no whitespace, so that no attribute can hide in one.
_AUTOLINK = re.compile(r"<(?:[Ff]|[Hh][Tt])[Tt][Pp][Ss]?://[^<>\s]*>|<[^<>\s!]+@[^@<>\s]+>")
_MARKUP_START = re.compile(r"<[A-Za-z/!?]")
_BACKTICKS = re.compile(r"`+")
_ENTITY = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")
_SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-")
# Skipped before a destination starts: whitespace (Python-Markdown strips any, browsers C0 and
# space), C0 controls, and what Markdown removes or a code span hides: \ < > ` and quotes.
_LEADING_JUNK = frozenset("\\<>`'\"")
# Skipped inside a scheme: what browsers delete anywhere in a URL (tab, CR, LF) or Markdown removes.
_INNER_JUNK = frozenset("\t\n\r\\`")


_REFERENCE_DEF = re.compile(r"^ {0,3}\[([^\]\n]+)\]:[ \t]*\n?[ \t]*", re.MULTILINE)
_RAW_IMG = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", re.IGNORECASE)
_URL_JUNK = frozenset("\t\n\r")


def local_url(value: str) -> bool:
    """Whether ``value``, as a browser reads it, is a URL within the site: no scheme, no host.

    Tab, CR and LF are deleted and leading or trailing controls and spaces stripped, as browsers
    do, and ``\\`` is read as ``/`` (``/\\host/x`` is ``//host/x`` to a browser)."""
    v = "".join(ch for ch in html.unescape(value) if ch not in _URL_JUNK).strip("".join(map(chr, range(33))))
    v = v.replace("\\", "/")
    return not v.startswith("//") and not re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", v)


def _destination_external(text: str, pos: int) -> bool:
    """Whether the link destination starting at ``pos`` leaves the site (a scheme, or ``//``).

    Generous like :func:`_unsafe_scheme`: entities are decoded and what Markdown or a browser
    drops is skipped, so that a host hidden behind any of them is still seen."""
    seen: list[str] = []
    for ch in _decoded(text, pos):
        if not seen and (ch.isspace() or ch < " " or ch == "\x7f" or ch in "<`'\""):
            continue
        if ch in _INNER_JUNK - {"\\"}:
            continue
        seen.append("/" if ch == "\\" else ch)
        if seen[0] == "/":
            if len(seen) == 2:
                return seen[1] == "/"  # protocol-relative: another host
            continue
        if not (ch in _SCHEME_CHARS and (len(seen) > 1 or ch.isalpha())):
            return ch == ":" and len(seen) > 1
    return False


def _label(text: str) -> str:
    return " ".join(text.split()).casefold()


def _definitions(text: str) -> dict[str, int]:
    """Reference definitions ``[label]: destination`` → where each destination starts (the first wins)."""
    out: dict[str, int] = {}
    for m in _REFERENCE_DEF.finditer(text):
        out.setdefault(_label(m.group(1)), m.end())
    return out


def _image_external(text: str, i: int, definitions: dict[str, int]) -> bool:
    """Whether ``![`` at ``i`` starts an image whose source leaves the site."""
    depth, j = 1, i + 2
    while j < len(text) and depth:  # the alt text: brackets nest, a backslash escapes, a blank line ends it
        ch = text[j]
        if ch == "\\":
            j += 2
            continue
        if text.startswith("\n\n", j):
            return False
        depth += {"[": 1, "]": -1}.get(ch, 0)
        j += 1
    if depth:
        return False
    alt = text[i + 2 : j - 1]
    if text.startswith("(", j):
        return _destination_external(text, j + 1)
    k = j + 1 if text[j : j + 1] in (" ", "\n") else j
    if text.startswith("[", k):
        close = text.find("]", k + 1)
        label = text[k + 1 : close] if close >= 0 else ""
        start = definitions.get(_label(label or alt))
    else:
        start = definitions.get(_label(alt))
    return start is not None and _destination_external(text, start)


def external_images(markdown: str) -> list[tuple[int, str]]:
    """(offset, source) of every image in ``markdown`` that is not local: Markdown images outside
    code spans and raw ``<img src>`` (which ``sanitize_body`` shows as text, but which was meant
    to load). Validation reports each as ``external-image``."""
    text = _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), markdown)
    definitions = _definitions(text)
    out: list[tuple[int, str]] = []
    for start, end in _gaps(len(text), _code_spans(text)):
        i = text.find("![", start, end)
        while i >= 0:
            if not _escaped(text, i) and _image_external(text, i, definitions):
                line = text[i : (text.find("\n", i) + 1 or len(text) + 1) - 1]
                out.append((i, line[: line.find(")") + 1 or 120]))
            i = text.find("![", i + 2, end)
        for m in _RAW_IMG.finditer(text, start, end):
            src = next(g for g in m.groups() if g is not None)
            if not local_url(src):
                out.append((m.start(), src))
    return sorted(out)


def sanitize_body(markdown: str) -> str:
    """The plan body with raw HTML, unsafe link schemes and attribute lists neutralised."""
    text = markdown
    while True:  # a removed comment can join `<!-` and `-- … -->` into a new one
        stripped = _COMMENT.sub("", text)
        if stripped == text:
            break
        text = stripped
    spans = _code_spans(text)
    out = _rewrite(text, spans)
    if spans and not _renders_plain(out):
        out = _rewrite(text, [])
    return out


def unlink_local(markdown: str) -> str:
    """A sanitised body (:func:`sanitize_body`) whose links within the site and images show as text.

    For the text of an old version of a plan, on a page of its own at another address: its
    relative links and images named files beside the plan *then*, which may be gone or moved, and
    would resolve from the wrong folder; MkDocs' strict build would fail on them. So every image
    (``![``), every link whose destination is not another site (``](…)``, ``[id]: …``) and every
    link to an anchor of the page is broken the way :func:`sanitize_body` breaks unsafe ones,
    showing as the text that was written. Links to other sites (already checked safe) stay links.
    Code spans are left alone, as there.
    """
    spans = _code_spans(markdown)
    out: list[str] = []
    last = 0
    for start, end in _gaps(len(markdown), spans):
        out.append(markdown[last:start])
        out.append(_unlink_prose(markdown, start, end))
        last = end
    out.append(markdown[last:])
    return "".join(out)


def _unlink_prose(text: str, start: int, end: int) -> str:
    out: list[str] = []
    i = start
    while i < end:
        ch = text[i]
        if ch == "!" and text.startswith("[", i + 1) and not _escaped(text, i):
            out.append("!&#91;")
            i += 2
            continue
        if ch == "]" and i + 1 < end and text[i + 1] == "(" and not _destination_external(text, i + 2):
            out.append("]&#40;")
            i += 2
            continue
        if ch == "]" and i + 1 < end and text[i + 1] == ":" and not _footnote_label(text, i):
            out.append("]&#58;" if not _destination_external(text, i + 2) else "]:")
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _code_spans(text: str) -> list[tuple[int, int]]:
    """Code spans as Python-Markdown reads them, or none at all when that reading is not certain."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        runs = list(_BACKTICKS.finditer(line))
        if any(m.start() > 0 and line[m.start() - 1] == "\\" for m in runs):
            return []
        pairs = _pairs(runs)
        if pairs is None:
            return []
        if "|" not in line:
            spans += [(pos + a, pos + b) for a, b in pairs]
        pos += len(line) + 1
    return spans


def _pairs(runs: list[re.Match[str]]) -> list[tuple[int, int]] | None:
    """Backtick runs paired as Markdown's BACKTICK_RE pairs them, or None if one stays open."""
    pairs = []
    i = 0
    while i < len(runs):
        width = len(runs[i].group())
        close = next((j for j in range(i + 1, len(runs)) if len(runs[j].group()) == width), None)
        if close is None:
            return None
        pairs.append((runs[i].start(), runs[close].end()))
        i = close + 1
    return pairs


def _rewrite(text: str, spans: list[tuple[int, int]]) -> str:
    out: list[str] = []
    last = 0
    definitions = _definitions(text)
    for start, end in _gaps(len(text), spans):
        out.append(text[last:start])  # a code span, untouched
        out.append(_rewrite_prose(text, start, end, definitions))
        last = end
    out.append(text[last:])
    return "".join(out)


def _gaps(length: int, spans: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    pos = 0
    for start, end in spans:
        yield pos, start
        pos = end
    yield pos, length


def _rewrite_prose(text: str, start: int, end: int, definitions: dict[str, int]) -> str:
    """``text[start:end]`` (not code) rewritten; link destinations are read on into ``text``."""
    out: list[str] = []
    i = start
    while i < end:
        ch = text[i]
        if ch == "!" and text.startswith("[", i + 1) and not _escaped(text, i):
            # an image that leaves the site shows as text; a local one is left to the rules below
            out.append("!&#91;" if _image_external(text, i, definitions) else "![")
            i += 2
            continue
        if ch == "<":
            m = _ALLOWED_TAG.match(text, i, end) or _AUTOLINK.match(text, i, end)
            if m:
                out.append(m.group())
                i = m.end()
                continue
            out.append("&lt;" if _MARKUP_START.match(text, i, end) else ch)
        elif ch == "{":
            out.append("{" if _escaped(text, i) else "\\{")
        elif ch == "]" and i + 1 < end and text[i + 1] == "(" and _unsafe_scheme(text, i + 2):
            out.append("]&#40;")  # shows "(" and is no link
            i += 2
            continue
        elif ch == "]" and i + 1 < end and text[i + 1] == ":" and not _footnote_label(text, i):
            out.append("]&#58;" if _unsafe_scheme(text, i + 2) else "]:")  # shows ":", no definition
            i += 2
            continue
        else:
            plain = _PLAIN.match(text, i, end)  # the run of characters no rule above looks at
            if plain:
                out.append(plain.group())
                i = plain.end()
                continue
            out.append(ch)
        i += 1
    return "".join(out)


_PLAIN = re.compile(r"[^!<{\]]+")


def _escaped(text: str, i: int) -> bool:
    n = 0
    while i - n - 1 >= 0 and text[i - n - 1] == "\\":
        n += 1
    return n % 2 == 1


def _footnote_label(text: str, close: int) -> bool:
    """Whether the ``]`` at ``close`` ends ``[^label`` (a footnote definition, not a link)."""
    opening = text.rfind("[", text.rfind("\n", 0, close) + 1, close)
    return opening >= 0 and text.startswith("^", opening + 1)


def _decoded(text: str, pos: int) -> Iterator[str]:
    """Characters from ``pos`` on as a browser reads an attribute: character references decoded."""
    while pos < len(text):
        m = _ENTITY.match(text, pos) if text[pos] == "&" else None
        if m:
            yield from html.unescape(m.group())
            pos = m.end()
        else:
            yield text[pos]
            pos += 1


def _unsafe_scheme(text: str, pos: int) -> bool:
    """Whether the link destination starting at ``pos`` has a scheme outside ``SAFE_SCHEMES``.

    Generous on purpose: whatever Markdown or a browser might drop (entities, backslashes,
    backticks, whitespace, control characters, ``<``) is skipped, so that a scheme hidden by any
    of them is still seen; the cost is that an odd relative link may be broken too.
    """
    scheme: list[str] = []
    for ch in _decoded(text, pos):
        if not scheme and (ch.isspace() or ch < " " or ch == "\x7f" or ch in _LEADING_JUNK):
            continue
        if scheme and ch in _INNER_JUNK:
            continue
        if ch in _SCHEME_CHARS and (scheme or ch.isalpha()):
            scheme.append(ch)
            continue
        return ch == ":" and bool(scheme) and "".join(scheme).lower() not in SAFE_SCHEMES
    return False


def _renders_plain(markdown: str) -> bool:
    """Whether ``markdown`` renders to nothing but what Markdown itself makes: a check, not a cleaner."""
    import markdown as md  # only for bodies with code spans

    checker = _MarkupCheck()
    checker.feed(md.markdown(markdown, extensions=list(MARKDOWN_EXTENSIONS)))
    checker.close()
    return checker.plain


class _MarkupCheck(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.plain = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        allowed = _HTML_ATTRIBUTES["*"] | _HTML_ATTRIBUTES.get(tag, set())
        if tag not in _HTML_TAGS or any(
            name not in allowed or _attribute_filter(tag, name, value or "") is None for name, value in attrs
        ):
            self.plain = False

    handle_startendtag = handle_starttag

    def handle_comment(self, data: str) -> None:
        self.plain = False

    def handle_decl(self, decl: str) -> None:
        self.plain = False

    def handle_pi(self, data: str) -> None:
        self.plain = False


# --- rendered HTML --------------------------------------------------------------------------------

_HTML_TAGS = {
    *("p", "h1", "h2", "h3", "h4", "h5", "h6", "a", "ul", "ol", "li", "dl", "dt", "dd"),
    *("table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "colgroup", "col"),
    *("code", "pre", "kbd", "samp", "span", "div", "small", "sup", "sub", "br", "hr"),
    *("em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "abbr", "blockquote", "q", "cite"),
    *("details", "summary", "img", "figure", "figcaption", "time"),
    "nav",  # the breadcrumb and a list's pager: landmarks a screen reader can jump to
}
_HTML_ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir"},  # "style" only on th, td
    "a": {"href", "download", "hreflang", "rel", "aria-label"},  # rel: the pager's prev/next
    "nav": {"aria-label"},
    "span": {"aria-current", "aria-hidden"},
    "ol": {"start", "reversed", "type"},
    "li": {"aria-current"},
    "th": {"align", "style", "scope", "colspan", "rowspan", "abbr"},  # style: only text-align is kept
    "td": {"align", "style", "colspan", "rowspan"},
    "col": {"span"},
    "colgroup": {"span"},
    "details": {"open"},
    "img": {"src", "alt", "width", "height", "loading"},
    "time": {"datetime"},
    "abbr": set(),
    "q": {"cite"},
    "blockquote": {"cite"},
}
_CLEAN_CONTENT = {"script", "style", "template", "noscript", "iframe", "object", "embed", "textarea", "select"}


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    if attr.startswith("data-md-"):  # Material's own hooks stay the theme's
        return None
    if attr in {"href", "src", "cite"}:
        v = "".join(ch for ch in value if ch not in "\t\n\r").strip(" \x00\x01\x02\x03\x04\x05\x06\x07\x08")
        if tag == "img":  # images are local only: a closed network, no reader sent to another host
            return value if local_url(value) else None
        m = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", v)
        if m:
            return value if m.group(1).lower() in SAFE_SCHEMES else None
        return value
    return value


def clean_html(fragment: str) -> str:
    """Rendered article HTML reduced to what Markdown and the page generator produce.

    No script, style, iframe, object, embed, form, base or meta survives (those with content lose
    it), no event handler, ``style`` (but ``text-align`` on table cells), ``srcdoc`` or ``formaction``; URLs are relative or http,
    https or mailto (images: relative within the site only, so an ``<img>`` that would load from
    another host loses its ``src``); ``data-*`` attributes (the filterable tables)
    are kept except Material's ``data-md-*``; comments are removed; links get no ``rel`` added.
    """
    return nh3.clean(
        fragment,
        tags=_HTML_TAGS,
        clean_content_tags=_CLEAN_CONTENT,
        attributes=_HTML_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        strip_comments=True,
        link_rel=None,
        generic_attribute_prefixes={"data-"},
        url_schemes=set(SAFE_SCHEMES),
        filter_style_properties={"text-align"},  # Markdown's table column alignment
    )


_ARTICLE_OPEN = re.compile(r"<article(?=[\s>])[^>]*>", re.IGNORECASE)
_ARTICLE_CLOSE = re.compile(r"</article\s*>", re.IGNORECASE)


class ArticleNotFound(ValueError):
    """The page has no single Material content article to clean."""


def clean_article(page_html: str) -> str:
    """``page_html`` with only its Material content article passed through ``clean_html``.

    Assumes the Material layout: exactly one ``<article class="md-content__inner …">`` whose
    content is the page. Its content ends at the *last* ``</article>`` of the page, so a stray
    ``</article>`` inside the content cannot move anything out of the cleaned region. Fails closed:
    no such article, more than one ``<article``, or no closing tag raises ``ArticleNotFound``.
    """
    opens = list(_ARTICLE_OPEN.finditer(page_html))
    if len(opens) != 1:
        raise ArticleNotFound(f"expected one <article>, found {len(opens)}")
    start = opens[0]
    if "md-content__inner" not in start.group():
        raise ArticleNotFound("the <article> is not Material's md-content__inner")
    closes = list(_ARTICLE_CLOSE.finditer(page_html, start.end()))
    if not closes:
        raise ArticleNotFound("no </article>")
    end = closes[-1]
    inner = page_html[start.end() : end.start()]
    return page_html[: start.end()] + clean_html(inner) + page_html[end.start() :]
