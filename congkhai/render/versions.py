"""The page of an old version of a plan: its text as it was, clearly marked as not the current one.

legislation.gov.uk's version timeline is the model: each version can be read, and says at once
that it is not current. A version page (``plans/<province>/<id>/phien-ban/<sha7>.md``, see the
site map) opens with a banner "Phiên bản cũ — đây không phải văn bản hiện hành" giving the
version's date, what changed after it and a link to the current plan; then the version's title,
a summary of its front matter, its text, and the timeline of the plan's versions (the nearest
:data:`TIMELINE` ones, the current one always first) to step between them.

Its head says the same to machines: a canonical link to the current plan and ``noindex`` (front
matter ``canonical`` and ``robots``, printed escaped by ``overrides/main.html``); search and
``sitemap.xml`` leave it out (``sitemap.is_version_page``).

The old text is data like any plan's: its front matter values are escaped, its body goes through
the same sanitiser as every plan page (:func:`.sanitize.sanitize_body`), and its links within the
site and its images, which named files beside the plan at the time, show as text
(:func:`.sanitize.unlink_local`). A version whose front matter does not parse is shown as its
raw text, escaped, with a note: an old commit never stops the build.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..model.sanitize import sanitize_body, unlink_local
from ..model.schemas import Model
from ..model.sitemap import DATA_DIR, plan_md, plan_path, rel, version_file, version_md
from ..read.history import Version
from ..vietnamese.text import date_vi
from .history import Parsed
from .markdown import esc, front_matter
from .markdown import table as md_table
from .pages import FOOTNOTES_HERE, PageBuilder

#: Versions listed in a version page's timeline: the current one and the nearest others; the plan
#: page's "Lịch sử thay đổi" lists them all. A plan edited a thousand times keeps small pages.
TIMELINE = 20
#: What an old version's page says to search engines (also printed by ``overrides/main.html``).
ROBOTS = "noindex"
BANNER_TITLE = "Phiên bản cũ — đây không phải văn bản hiện hành"
#: A footnote definition, as Python-Markdown's footnotes extension reads one.
_FOOTNOTE = re.compile(r"^ {0,3}\[\^[^\]]+\]:", re.MULTILINE)


def _link(here: str, target: str, text: str) -> str:
    """A Markdown link between pages of the page set (MkDocs' strict build checks it)."""
    return f"[{text}]({posixpath.relpath(target, posixpath.dirname(here))})"


def _text(value: Any) -> str:
    """A front-matter value of any YAML type as one line of text."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_text(v)}" for k, v in value.items())
    return str(value)


def _label(model: Model | None, vocab: str, code: Any) -> str:
    if code is None or code == "":
        return ""
    if model is not None and vocab in model.vocabularies and isinstance(code, str):
        return model.vocabularies[vocab].label(code)
    return _text(code)


def _rows(value: Any) -> list[Mapping[str, Any]]:
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def metadata_table(data: Mapping[str, Any], model: Model | None, unit_names: Mapping[str, str]) -> str:
    """The old version's main front-matter values, escaped, as a two-column table."""
    issuers = [
        _text(unit_names.get(str(i.get("unit")), i.get("unit")) if not i.get("as_printed") else i.get("as_printed"))
        for i in _rows(data.get("issuers"))
    ]
    signers = [
        " ".join(_text(s.get(k)) for k in ("capacity", "position", "name") if s.get(k))
        for s in _rows(data.get("signers"))
    ]
    rows = [
        ("Số, ký hiệu", esc(_text(data.get("number_symbol"))) or "Không in số"),
        ("Loại văn bản", esc(_label(model, "doc_type", data.get("doc_type"))) or "Không ghi"),
        ("Cơ quan ban hành", "<br>".join(esc(x) for x in issuers if x) or "Không ghi"),
        ("Ngày ban hành", esc(date_vi(_text(data.get("issue_date"))))),
        ("Người ký", "<br>".join(esc(x) for x in signers if x) or "Không ghi"),
        ("Tình trạng ghi trong hồ sơ", esc(_label(model, "plan_status", data.get("status"))) or "Không ghi"),
        ("Số nhiệm vụ", str(len(_rows(data.get("tasks"))))),
        ("Số văn bản được trích dẫn", str(len(_rows(data.get("citations"))))),
    ]
    return md_table(["Thông tin (trong phiên bản này)", "Giá trị"], ([k, v] for k, v in rows))


def _raw_block(text: str) -> list[str]:
    """``text`` as an indented code block: Markdown escapes it, nothing in it is markup or a link."""
    return ["    " + line.replace("\t", "    ") for line in text.split("\n")]


def timeline(
    here: str, plan: Mapping[str, Any], versions: Sequence[Version], summaries: Mapping[str, str], index: int
) -> list[str]:
    """The plan's versions, newest first, the current one always listed: the nearest :data:`TIMELINE`
    to the version at ``index`` (0 is the current one), each linked but the one shown."""
    count = len(versions)
    near = sorted(range(1, count), key=lambda i: (abs(i - index), i))[: TIMELINE - 1]
    shown = sorted({0, *near})
    out = [f"## Các phiên bản ({count}) {{#cac-phien-ban}}", ""]
    current = plan_md(plan)
    for i in shown:
        v = versions[i]
        name = f"Phiên bản {count - i} — {date_vi(v.date[:10])}"
        if i == 0:
            label = _link(here, current, f"{name} (hiện hành)")
        elif i == index:
            label = f"**{name} (đang xem)**"
        else:
            label = _link(here, version_md(plan, v.short), name)
        out.append(f"- {label}: {esc(summaries.get(v.sha, ''))}")
    if len(shown) < count:
        history = posixpath.relpath(current, posixpath.dirname(here)) + "#lich-su-thay-doi"
        out += [
            "",
            f"Trang này liệt kê {len(shown)} trong {count} phiên bản. [Xem toàn bộ lịch sử thay đổi]({history}).",
        ]
    return out + [""]


def version_page(
    plan: Mapping[str, Any],
    versions: Sequence[Version],
    index: int,
    parsed: Parsed,
    summaries: Mapping[str, str],
    *,
    model: Model | None = None,
    unit_names: Mapping[str, str] | None = None,
    base_url: str = "",
    has_file: bool = False,
) -> str:
    """The Markdown page of ``versions[index]`` (newest first; ``index`` ≥ 1, 0 being the current)
    of ``plan`` (its current row). ``summaries``: sha → what that version changed; ``has_file``:
    the version's ``.txt`` is published (see :func:`.sitemap.version_file`)."""
    v = versions[index]
    here = version_md(plan, v.short)
    current = plan_md(plan)
    canonical = f"{base_url}/{plan_path(plan)}" if base_url else rel(here, current)
    number = len(versions) - index
    when = date_vi(v.date[:10])
    data = parsed.data
    title = _text(data.get("title")) if data is not None else ""
    title = title or str(plan.get("title") or plan.get("id"))
    newer = versions[index - 1]
    after = f"Lần thay đổi kế tiếp, ngày {date_vi(newer.date[:10])}: {esc(summaries.get(newer.sha, ''))}"
    if index > 1:
        after = f"Sau phiên bản này còn {index} lần thay đổi. " + after
    banner = [
        f'!!! danger ck-old-version "{BANNER_TITLE}"',
        "",
        f"    Đây là phiên bản {number} trong {len(versions)} phiên bản của kế hoạch, ngày {when}, "
        "giữ lại để tra cứu; nội dung có thể đã được sửa đổi.",
        "",
        f"    {after}",
        "",
        f"    **{_link(here, current, 'Xem phiên bản hiện hành')}**",
        "",
    ]
    out = [
        front_matter({"title": f"{title} (phiên bản {number}, {when})", "canonical": canonical, "robots": ROBOTS}),
        *banner,
        f"# {esc(title)}",
        "",
    ]
    if data is not None:
        body, _ = PageBuilder.body_outline(unlink_local(sanitize_body(parsed.body)).strip())
        out += [metadata_table(data, model, unit_names or {}), "", "## Toàn văn (phiên bản này) {#toan-van}", ""]
        out += [body, ""]
        if _FOOTNOTE.search(body):  # with no footnote Python-Markdown would leave the marker as text
            out += [FOOTNOTES_HERE, ""]
    elif parsed.text is not None:
        out += [
            "## Văn bản của phiên bản này {#toan-van}",
            "",
            "Không đọc được phần thông tin đầu tệp của phiên bản này (có thể sai cú pháp). "
            "Dưới đây là toàn bộ tệp, đúng như đã lưu.",
            "",
            *_raw_block(parsed.text),
            "",
        ]
    else:
        out += ["Không đọc được nội dung của phiên bản này.", ""]
    if has_file:
        txt = f"{DATA_DIR}/{version_file(str(plan['id']), v.short)}"
        out += [f"Tải {_link(here, txt, 'tệp gốc của phiên bản')} (văn bản thuần, đúng như đã lưu).", ""]
    out += timeline(here, plan, versions, summaries, index)
    return "\n".join(out) + "\n"


def version_pages(
    plan: Mapping[str, Any],
    versions: Sequence[Version],
    parsed: Mapping[str, Parsed],
    summaries: Mapping[str, str],
    files: frozenset[str] | set[str],
    *,
    model: Model | None = None,
    unit_names: Mapping[str, str] | None = None,
    base_url: str = "",
) -> dict[str, str]:
    """Page path → Markdown, one page per old version of ``plan`` (``versions`` newest first; the
    newest is the current plan, whose page is the plan page). ``files``: the published ``.txt``
    names (relative to ``data/``)."""
    out: dict[str, str] = {}
    for i in range(1, len(versions)):
        v = versions[i]
        out[version_md(plan, v.short)] = version_page(
            plan,
            versions,
            i,
            parsed.get(v.sha, Parsed(None, None, "")),
            summaries,
            model=model,
            unit_names=unit_names,
            base_url=base_url,
            has_file=version_file(str(plan["id"]), v.short) in files,
        )
    return out
