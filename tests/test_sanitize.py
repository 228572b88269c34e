"""Plan bodies cannot carry script into the site: sanitize_body before rendering, clean_html after.

Every payload of tests/fixtures/xss/payloads.txt is sanitised, rendered with Python-Markdown and
the extensions of mkdocs.yml, and the HTML is inspected with the standard library's parser.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from congkhai.model.sanitize import (
    MARKDOWN_EXTENSIONS,
    ArticleNotFound,
    clean_article,
    clean_html,
    external_images,
    sanitize_body,
)
from congkhai.read.frontmatter import read_source

ROOT = Path(__file__).resolve().parent.parent
PAYLOADS = [
    line.replace("⏎", "\n")
    for line in (ROOT / "tests" / "fixtures" / "xss" / "payloads.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("//")
]
SEEDS = sorted((ROOT / "docs" / "plans").glob("*/*.md"))

FORBIDDEN_ELEMENTS = {
    *("script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link"),
    *("form", "input", "button", "textarea", "select", "style", "svg", "math", "template", "noscript"),
}
CONTROLS = {c: None for c in [*range(9), 11, 12, *range(14, 32), 127]}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "background", "cite"}


def _mkdocs_extensions() -> tuple[list[str], dict[str, Any]]:
    from mkdocs.utils.yaml import yaml_load  # understands mkdocs.yml's !ENV tags

    with (ROOT / "mkdocs.yml").open(encoding="utf-8") as fh:
        config = yaml_load(fh)
    names: list[str] = []
    configs: dict[str, Any] = {}
    for item in config["markdown_extensions"]:
        if isinstance(item, dict):
            ((name, options),) = item.items()
            names.append(name)
            configs[name] = options or {}
        else:
            names.append(item)
    return names, configs


def render(text: str) -> str:
    names, configs = _mkdocs_extensions()
    return markdown.Markdown(extensions=names, extension_configs=configs).convert(text)


class Events(HTMLParser):
    """The document as a list of events, for inspection and for comparing two serialisations."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple[Any, ...]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(("start", tag, tuple(sorted((k, v or "") for k, v in attrs))))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self.events.append(("end", tag))

    def handle_data(self, data: str) -> None:
        data = data.translate(CONTROLS)  # the serialiser drops control characters: not markup
        if self.events and self.events[-1][0] == "data":
            self.events[-1] = ("data", self.events[-1][1] + data)
        else:
            self.events.append(("data", data))

    def handle_comment(self, data: str) -> None:
        self.events.append(("comment", data))

    def handle_decl(self, decl: str) -> None:
        self.events.append(("decl", decl))

    def handle_pi(self, data: str) -> None:
        self.events.append(("pi", data))

    def unknown_decl(self, data: str) -> None:
        self.events.append(("decl", data))


def starts_and_text(html: str) -> list[tuple[Any, ...]]:
    return [e for e in Events(html).events if e[0] != "end"]


def _scheme(url: str) -> str | None:
    url = "".join(ch for ch in url if ch not in "\t\n\r").lstrip("".join(map(chr, range(0x21))))
    head = url.split(":", 1)[0] if ":" in url else None
    if (
        head
        and head[0].isascii()
        and head[0].isalpha()
        and all(c.isascii() and (c.isalnum() or c in "+.-") for c in head)
    ):
        return head.lower()
    return None


def problems(html: str) -> list[str]:
    found = []
    for event in Events(html).events:
        if event[0] in {"comment", "decl", "pi"}:
            found.append(f"{event[0]}: {event[1]!r}")
        if event[0] != "start":
            continue
        _, tag, attrs = event
        if tag in FORBIDDEN_ELEMENTS:
            found.append(f"element <{tag}>")
        for name, value in attrs:
            if name.startswith("on") or (name in {"srcdoc", "formaction", "style"} and tag not in {"th", "td"}):
                found.append(f"attribute {name} on <{tag}>")
            if name == "style" and value.replace(" ", "").rstrip(";") not in {
                "text-align:left",
                "text-align:right",
                "text-align:center",
            }:
                found.append(f"style {value!r}")
            if name in URL_ATTRIBUTES and _scheme(value) not in {None, "http", "https", "mailto"}:
                found.append(f"URL {value!r} in <{tag} {name}>")
            if tag == "img" and name == "src" and not _within_site(value):
                found.append(f"image from another host {value!r}")
    return found


def _within_site(url: str) -> bool:
    """A browser's reading of an image URL: relative (no scheme, no ``//`` host), so nothing loads
    from another host (the site runs on closed networks and must not hand readers to others)."""
    url = "".join(ch for ch in url if ch not in "\t\n\r").strip("".join(map(chr, range(0x21)))).replace("\\", "/")
    return _scheme(url) is None and not url.startswith("//")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_neutralised(payload: str) -> None:
    html = render(sanitize_body(payload))
    assert problems(html) == [], html
    # defence in depth has nothing left to take away (it may drop a stray end tag such as the
    # </sup> left after an escaped <sup onclick=…>: stricter, not different)
    assert starts_and_text(clean_html(html)) == starts_and_text(html), html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_clean_html_alone_stops_the_payload(payload: str) -> None:
    """Even a body that was never sanitised is safe once its rendered HTML is cleaned."""
    html = clean_html(render(payload))
    assert problems(html) == [], html
    assert clean_html(html) == html


EXTERNAL_IMAGES = [
    "![x](//host/p.png)",
    "![x](https://host/p.png)",
    "![x](http://host/p.png 'tiêu đề')",
    "![x](<https://host/p.png>)",
    "![x](\\\\host/p.png)",
    "![x](/\\host/p.png)",
    "![x](&#47;&#47;host/p.png)",
    "![x](HtTpS://host/p.png)",
    "![x](data:image/png;base64,iVBORw0KGgo=)",
    "![a [b] c](https://host/p.png)",
    "![x][logo]\n\n[logo]: https://host/p.png",
    "![logo]\n\n[logo]: //host/p.png",
    "![x] [logo]\n\n[LOGO]:\n  https://host/p.png",
    "[![x](https://host/badge.png)](https://host/)",
    '<img src="https://host/p.png">',
    "<IMG SRC=//host/p.png>",
]


@pytest.mark.parametrize("body", EXTERNAL_IMAGES)
def test_external_image_is_not_loaded(body: str) -> None:
    """Both layers: the sanitised body renders no image from another host, and neither does the
    unsanitised body once its HTML is cleaned."""
    assert "<img" not in render(sanitize_body(body)).lower()
    cleaned = clean_html(render(body))
    assert problems(cleaned) == [], cleaned


@pytest.mark.parametrize("body", EXTERNAL_IMAGES)
def test_external_image_is_found(body: str) -> None:
    [(offset, _)] = external_images(body)
    assert offset == (0 if body.startswith("<") else body.index("!["))


@pytest.mark.parametrize(
    "body",
    ["![Sơ đồ](so-do.png)", "![Sơ đồ](anh/so-do.png)", "![x][r]\n\n[r]: so-do.png", "![x](../so-do.png)"],
)
def test_local_image_is_kept(body: str) -> None:
    assert external_images(body) == []
    assert "<img" in clean_html(render(sanitize_body(body)))


@pytest.mark.parametrize("body", ["`![x](https://host/p.png)`", "\\![x](https://host/p.png)", "[x](https://host/)"])
def test_not_an_image(body: str) -> None:
    """In a code span, after an escaped ``!``, or a link: nothing is loaded, nothing is reported."""
    assert external_images(body) == []


def test_clean_html_drops_the_src_of_an_external_img() -> None:
    html = '<p><img src="https://host/p.png" alt="a"><img src="/\\host/p.png"><img src="so-do.png"></p>'
    assert clean_html(html) == '<p><img alt="a"><img><img src="so-do.png"></p>'


def test_corpus_is_large_enough() -> None:
    assert len(PAYLOADS) >= 40


@pytest.mark.parametrize("path", SEEDS, ids=[p.stem for p in SEEDS])
def test_seed_bodies_are_unchanged(path: Path) -> None:
    body = read_source(path, ROOT).body
    assert body.strip()
    assert sanitize_body(body) == body


def test_mkdocs_extensions_match() -> None:
    assert tuple(_mkdocs_extensions()[0]) == MARKDOWN_EXTENSIONS


@pytest.mark.parametrize(
    "text",
    [
        "Điều 5. Tổ chức thực hiện: UBND xã chủ trì; Mặt trận & các đoàn thể phối hợp.",
        "Tỷ lệ hộ nghèo < 3% và số vụ việc <5 vụ; x <= y, 5<6 & 7 > 6.",
        "Diện tích 25 m<sup>2</sup>, ngày 15<sup>th</sup>, H<sub>2</sub>O<br>dòng mới <br />",
        'Xem Nghị định[^1] và [Luật](https://thuvienphapluat.vn/a.pdf "Luật: 10/2022").\n\n[^1]: Xem: 30/2020/NĐ-CP.',
        "| Mục | Nội dung |\n|:---|---:|\n| 1 | **Tuyên truyền** |",
        "# Tiêu đề\n\n- mục 1\n- mục 2\n\n1. bước\n\n> trích dẫn\n\n---\n\n[a](#muc-1) [b](../x/) [c](mailto:a@b.vn)",
        "Mã `<b>{x}</b>` và ``a ` b``; liên hệ <https://congkhai.example/x> hoặc <a@b.vn>.",
        '!!! note "Lưu ý"\n    Nội dung.\n\n??? note "Chi tiết"\n    Ẩn.',
    ],
)
def test_ordinary_markdown_is_untouched(text: str) -> None:
    assert sanitize_body(text) == text


def test_less_than_before_a_letter_is_escaped_but_reads_the_same() -> None:
    text = "a<b và c<d"
    assert sanitize_body(text) == "a&lt;b và c&lt;d"
    assert render(sanitize_body(text)) == "<p>a&lt;b và c&lt;d</p>"


def test_what_is_neutralised_still_shows() -> None:
    html = render(sanitize_body('<span class="x">Chú ý</span> [x](javascript:alert(1)) {: .a }'))
    text = "".join(e[1] for e in Events(html).events if e[0] == "data")
    assert '<span class="x">Chú ý</span>' in text
    assert "[x](javascript:alert(1))" in text
    assert "{: .a }" in text
    assert sanitize_body("a <!-- ghi chú nội bộ --> b") == "a  b"


def test_allowed_tags_survive_rendering_and_cleaning() -> None:
    html = clean_html(render(sanitize_body("m<sup>2</sup> H<sub>2</sub>O <em>a</em><strong>b</strong><u>c</u>")))
    for tag in ("sup", "sub", "em", "strong", "u"):
        assert f"<{tag}>" in html


MARKDOWNISH = st.text(
    alphabet=st.sampled_from(list("<>/!?-`{}[]()^:&#;\\|*_ \n\tajsvcriptlonerx=\"'0123456789ơđá")),
    max_size=80,
)


@settings(max_examples=300, deadline=None)
@given(MARKDOWNISH)
def test_sanitize_body_is_idempotent(text: str) -> None:
    once = sanitize_body(text)
    assert sanitize_body(once) == once


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60) | MARKDOWNISH)
def test_sanitized_text_renders_safely(text: str) -> None:
    html = render(sanitize_body(text))
    assert problems(html) == [], (text, html)


def _page(article: str) -> str:
    return (
        '<!doctype html><html><head><script src="assets/bundle.js"></script>'
        "<script>var __md_scope=new URL('.',location)</script></head><body>"
        f'<main><div class="md-content"><article class="md-content__inner md-typeset">{article}</article>'
        "</div></main><script id=__config type=application/json>{}</script></body></html>"
    )


def test_clean_article_cleans_only_the_article() -> None:
    page = _page('<h1 id="t">T</h1><p onclick="x()">a<script>alert(1)</script></p>')
    cleaned = clean_article(page)
    assert '<h1 id="t">T</h1><p>a</p>' in cleaned
    assert "onclick" not in cleaned and "alert" not in cleaned
    assert cleaned.startswith(page[: page.index("<main>")])
    assert cleaned.endswith(page[page.index("</article>") :])


def test_clean_article_covers_a_stray_closing_tag() -> None:
    cleaned = clean_article(_page("<p>a</p></article><img src=x onerror=alert(1)><p>b</p>"))
    assert "onerror" not in cleaned


@pytest.mark.parametrize(
    "page",
    [
        "<html><body><main><p>no article</p></main></body></html>",
        '<html><body><article class="other">x</article></body></html>',
        _page("<p>a</p>").replace("</article>", ""),
        _page('<article class="md-content__inner">nested</article>'),
    ],
)
def test_clean_article_fails_closed(page: str) -> None:
    with pytest.raises(ArticleNotFound):
        clean_article(page)


def test_clean_article_keeps_a_built_plan_page(tmp_path: Path) -> None:
    """On real Material plan pages, built without the cleaning pass, the allow-list loses nothing."""
    from congkhai.load.corpus import validate
    from congkhai.publish.site import run_mkdocs, stage_docs
    from congkhai.render.datasets import write
    from congkhai.render.site import render_site
    from tests.conftest import copy_sources

    repo = copy_sources(tmp_path / "repo")
    downloads, pages = render_site(validate(repo), None, None)
    stage_docs(repo, pages, tmp_path / "pages")
    write(downloads, tmp_path / "pages" / "data")  # the pages link to them (strict mode checks it)
    run_mkdocs(repo / "mkdocs.yml", tmp_path / "pages", tmp_path / "site")
    built = sorted(
        p for p in (tmp_path / "site" / "plans").glob("*/*/index.html") if p.parts[-3] not in ("theo-nam", "theo-tinh")
    )
    assert len(built) == 5
    for path in built:
        page = path.read_text(encoding="utf-8")
        start, end = page.index(">", page.index("<article")) + 1, page.rindex("</article>")
        assert Events(clean_html(page[start:end])).events == Events(page[start:end]).events, path
        cleaned = clean_article(page)
        assert cleaned.startswith(page[:start]) and cleaned.endswith(page[end:]), path


def test_the_pager_of_a_list_survives_cleaning():
    """A list's pager (render/cards.py) keeps its nav, name and page marks on cleaned pages
    (plans/…): the filters hide it by its class while they show matches from the whole list."""
    from congkhai.render.cards import pager

    nav = pager("plans/index.md", 2, 9)
    assert clean_html(nav) == nav
