"""The original of a plan, said honestly: what kind of text the site holds, where it came from, and
a copy every browser shows correctly.

A web copy or a news article is not the signed original: the plan page says so and links the page
it was copied from when the plan gives one (``source_url``), and says that no address was recorded
when it does not. The text files are served with a UTF-8 byte-order mark (:func:`with_bom`): a
``.txt`` served without a charset is read by browsers in a legacy encoding, and Vietnamese becomes
mojibake; the mark is the one signal every browser honours for a plain-text file.
"""

from __future__ import annotations

import codecs
from typing import Any
from urllib.parse import quote, urlsplit

from ..model import sitemap
from ..model.urls import safe_url
from .markdown import esc

#: Source kinds that are a copy of someone else's publication, not the issuing body's original.
COPIES = frozenset({"web_copy", "news_article"})


def with_bom(data: bytes) -> bytes:
    """``data`` with a UTF-8 byte-order mark in front, if it is UTF-8 text without one.

    Text that is not UTF-8 is returned unchanged (a mark would claim an encoding it does not have).
    """
    if data.startswith(codecs.BOM_UTF8):
        return data
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    return codecs.BOM_UTF8 + data


def _url_link(url: str, text: str) -> str:
    """A Markdown link to an external address already checked by :func:`.urls.safe_url`; the
    characters that would end the link's target are percent-encoded."""
    target = url.replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")
    return f"[{text}]({target})"


def source_cell(plan: dict[str, Any], has_file: bool, kind_label: str) -> str:
    """The "Nguồn" cell of a plan page's panel (escaped Markdown): the kind of source, whether it
    is a copy, the page it came from, and the text file to read.

    ``has_file``: the file named by ``source_file`` is published beside the plan page (see
    :func:`.site.originals`); ``kind_label``: the Vietnamese label of ``source_kind``.
    """
    kind = str(plan.get("source_kind") or "")
    parts = [esc(kind_label)]
    if kind in COPIES:
        parts[0] += " — không phải bản gốc có chữ ký, con dấu của cơ quan ban hành"
    url = safe_url(plan.get("source_url"))
    if url:
        parts.append(_url_link(url, "Trang nguồn") + f": {esc(url)}")
    elif kind in COPIES:
        parts.append("Chưa ghi địa chỉ trang nguồn")
    name = plan.get("source_file")
    if has_file and isinstance(name, str):
        what = "Xem bản gốc" if kind == "original" else "Xem văn bản đã chép" if kind in COPIES else "Xem tệp nguồn"
        parts.append(f"[{what}]({quote(name)}) (tệp {esc(name.rsplit('.', 1)[-1].lower())})")
    elif name:
        parts.append(f"Tệp nguồn: {esc(name)} (không đăng)")
    return "<br>".join(parts)


def robots_txt(base_url: str = "") -> str:
    """``robots.txt``: search engines skip the old versions of plans (each plan page lists them),
    so a search leads to the plan as it is now; the site map named by its absolute address.
    Served at the site's root.

    Without the site's address the build is a preview (a pull request's download, a local build):
    it asks every crawler to stay out (``Disallow: /``), since a preview that got indexed would
    compete with the published site with pages that were never published."""
    if not base_url:
        return "User-agent: *\nDisallow: /\n"
    prefix = urlsplit(base_url).path.rstrip("/")  # the site may live under a sub-path
    lines = ["User-agent: *", f"Disallow: {prefix}/{sitemap.DATA_DIR}/{sitemap.PLAN_FILES}/*/phien-ban/"]
    lines.append(f"Sitemap: {base_url.rstrip('/')}/sitemap.xml")
    return "\n".join(lines) + "\n"
