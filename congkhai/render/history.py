"""The "Lịch sử thay đổi" section of a plan page: every version of the plan file, newest first,
each with what changed, in Vietnamese, computed from the data.

Commit subjects are written by whoever committed, often in English ("fix typo in tasks"), and say
little to a citizen; so a version is described by comparing its front matter with the previous
version's (the one row comparison, :mod:`congkhai.model.rowdiff`): "sửa 2 nhiệm vụ, thêm 1 văn
bản được trích dẫn, sửa nội dung văn bản". No commit subject reaches the page. Each old version
links to its page (:mod:`.versions`) and every version to its text as committed
(``data/ke-hoach/<id>/phien-ban/<sha7>.txt``, see the site map), so nothing published is lost.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..load.plancache import text_digest
from ..load.rendercache import ParseCache
from ..model.rowdiff import compare
from ..model.schemas import Model
from ..model.sitemap import DATA_DIR, version_file
from ..read.frontmatter import parse_source
from ..read.history import Version
from ..vietnamese.text import date_vi
from .markdown import esc

#: Front-matter lists compared row by row: key → (its rows' key fields, the noun a change counts).
LISTS: dict[str, tuple[tuple[str, ...], str]] = {
    "tasks": (("id",), "nhiệm vụ"),
    "citations": (("directive",), "văn bản được trích dẫn"),
    "issuers": (("unit",), "cơ quan ban hành"),
    "signers": (("name", "position"), "người ký"),
    "recipients": (("value",), "nơi nhận"),
    "disclosures": (("form", "started"), "hình thức công khai"),
    "task_updates": (("task", "date"), "cập nhật tiến độ"),
}


@dataclass(frozen=True)
class Parsed:
    """One version's text as read: its front matter (None if it did not parse) and body."""

    text: str | None
    data: Mapping[str, Any] | None
    body: str


def parse_versions(
    versions: Sequence[Version],
    texts: Mapping[str, str],
    known: Mapping[str, Parsed] | None = None,
    cache: ParseCache | None = None,
) -> dict[str, Parsed]:
    """Version sha → its text parsed (front matter and body); never raises.

    No text is parsed twice: ``known`` (text digest → its parse) holds the parses already made —
    the current plan file, which the validation read — and ``cache`` keeps the others, by digest,
    from one build to the next (an old version never changes). Parses made here are counted in
    :data:`PARSES` (what the tests check the caches by).
    """
    out: dict[str, Parsed] = {}
    for v in versions:
        text = texts.get(v.sha)
        if text is None:
            out[v.sha] = Parsed(None, None, "")
            continue
        text = text.replace("\r\n", "\n")
        digest = text_digest(text)
        if known is not None and (found := known.get(digest)) is not None:
            out[v.sha] = Parsed(text, found.data, found.body)
            continue
        if cache is not None and (hit := cache.get(digest)) is not None:
            out[v.sha] = Parsed(text, hit[0], hit[1])
            continue
        PARSES[0] += 1
        src = parse_source(v.path or "plan.md", text)
        data = src.data if isinstance(src.data, Mapping) else None
        out[v.sha] = Parsed(text, data, src.body or "")
        if cache is not None:
            cache.put(digest, data, src.body or "")
    return out


#: How many version texts :func:`parse_versions` parsed in this process (instrumentation for tests).
PARSES = [0]


def _rows(value: Any) -> list[dict[str, Any]]:
    """A front-matter list as rows; plain values (recipients are strings) become ``{"value": …}``."""
    if not isinstance(value, list):
        return []
    return [dict(v) if isinstance(v, dict) else {"value": v} for v in value]


def change_summary(
    old: Mapping[str, Any] | None, new: Mapping[str, Any], old_body: str, new_body: str, model: Model | None = None
) -> str:
    """What one version changed from the one before, as a Vietnamese phrase (``old`` None: the first).

    ``old``/``new`` are the versions' front matter; fields are named by their Vietnamese titles in
    ``schemas/`` when a model is given.
    """
    if old is None:
        counts = [f"{len(_rows(new.get(k)))} {LISTS[k][1]}" for k in ("tasks", "citations") if _rows(new.get(k))]
        return "Đăng lần đầu" + (f" ({', '.join(counts)})" if counts else "") + "."
    parts: list[str] = []
    for key, (fields, noun) in LISTS.items():
        a, b = _rows(old.get(key)), _rows(new.get(key))
        if a == b:
            continue
        names = sorted({f for r in a + b for f in r})
        diff = compare(a, b, fields, names)
        for n, verb in ((len(diff.changed), "sửa"), (len(diff.added), "thêm"), (len(diff.removed), "bỏ")):
            if n:
                parts.append(f"{verb} {n} {noun}")
        if not (diff.changed or diff.added or diff.removed):
            parts.append(f"đổi thứ tự {noun}")
    scalars = sorted(k for k in set(old) | set(new) if k not in LISTS and old.get(k) != new.get(k))
    if scalars:
        plans = model.plan_table if model is not None else None
        titles = []
        for k in scalars:
            title = k
            if plans is not None and k in plans.field_names:
                title = plans.field(k).title
            titles.append(title.lower() if title != k else "trường khác")
        unique = list(dict.fromkeys(titles))
        parts.append("sửa " + ", ".join(unique))
    if old_body.strip() != new_body.strip():
        parts.append("sửa nội dung văn bản")
    if not parts:
        return "Không thay đổi nội dung (chỉ cách trình bày của tệp)."
    text = ", ".join(parts)
    return text[0].upper() + text[1:] + "."


def summaries(
    versions: Sequence[Version],
    texts: Mapping[str, str],
    model: Model | None = None,
    parsed: Mapping[str, Parsed] | None = None,
) -> dict[str, str]:
    """Version sha → its change summary; ``versions`` newest first, ``texts`` sha → the file as committed
    (or ``parsed``, :func:`parse_versions` of them, when already read).

    A version whose text is unknown, or whose front matter does not parse, is described as such
    (and the next version is compared with the last one that parsed)."""
    read = parsed if parsed is not None else parse_versions(versions, texts)
    out: dict[str, str] = {}
    previous: tuple[Mapping[str, Any], str] | None = None
    for v in reversed(versions):
        src = read.get(v.sha)
        if src is None or src.data is None:
            out[v.sha] = "Không đọc được phiên bản này."
            continue
        out[v.sha] = change_summary(
            previous[0] if previous else None, src.data, previous[1] if previous else "", src.body, model
        )
        previous = (src.data, src.body)
    return out


def history_section(
    here: str,
    plan_id: str,
    versions: list[Version],
    texts: Mapping[str, str] | None = None,
    model: Model | None = None,
    pages: Mapping[str, str] | None = None,
    said: Mapping[str, str] | None = None,
) -> str:
    """Vietnamese Markdown "Lịch sử thay đổi" for the plan page ``here`` (a path of the page set).

    Every version of the plan file, from git, newest first, each with what it changed (computed
    from ``texts``, sha → the file as committed, unless ``said`` gives it already: sha → the
    :func:`summaries`, which the plan's feed of changes shares), linked to its page (``pages``: sha →
    the page of an old version; the newest is this page) and to its text as it was.
    """
    lines = [f"## Lịch sử thay đổi ({len(versions)}) {{#lich-su-thay-doi}}", ""]
    if not versions:
        lines.append("Chưa có lịch sử thay đổi (trang này không được dựng từ kho git).")
        return "\n".join(lines) + "\n"
    if said is None:
        said = summaries(versions, texts or {}, model)
    pages = pages or {}
    lines += [
        "Mỗi phiên bản cũ có trang riêng để đọc, và tệp gốc đúng như đã công bố (tệp văn bản thuần).",
        "",
        "| Ngày | Nội dung thay đổi | Phiên bản |",
        "|---|---|---|",
    ]
    folder = posixpath.dirname(here)
    for n, v in enumerate(versions):
        name = f"Phiên bản {len(versions) - n}"
        page = pages.get(v.sha)
        if n == 0:
            name += " (hiện hành)"
        elif page is not None:
            name = f"[{name}]({posixpath.relpath(page, folder)})"
        target = posixpath.relpath(f"{DATA_DIR}/{version_file(plan_id, v.short)}", folder)
        cell = f"{name} · [tệp gốc của phiên bản]({target})"
        lines.append(f"| {date_vi(v.date[:10])} | {esc(said.get(v.sha))} | {cell} |")
    return "\n".join(lines) + "\n"
