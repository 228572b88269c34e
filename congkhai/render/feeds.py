"""The Atom feeds (RFC 4287): new plans (``feed.xml``, and one per province and issuing body),
task status changes (``tien-do.xml``), and one plan's changes (its versions and task status
changes, :func:`plan_changes_feed`).

One writer for all, so ids, dates, links, namespaces and escaping are done once: entry ids are
``urn:uuid:`` names derived from what the entry is about (they survive a change of host), dates are
given by the caller (never the clock: a plan's is the time of the last commit that changed it), and
ElementTree escapes every value.

Links are absolute when the site's address is known. A build without one (a preview opened from a
download) writes them relative to the site's root and sets ``xml:base`` on the feed to the way
from the feed's own file to that root (``../../``), which RFC 4287 §2 and XML Base resolve against
the feed's address — a reader that fetched the feed finds every page.

No two entries of a feed share ``updated`` (readers sort and mark unread by it). Git records time
to the second, and one commit often adds several plans; entries left with the same instant are
told apart by milliseconds, in the order of their ids: the first keeps the instant, the next is a
millisecond earlier (``…:55.999Z``), and so on — deterministic, never later than the change itself
(so the feed's own ``updated`` stays the data's), and less than a second from it.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from xml.etree import ElementTree as ET

from ..derive.monitoring import _date, _int, _key, shorten, status_changes
from ..model import sitemap
from ..model.schemas import Model
from ..model.sitemap import plan_path, version_file
from ..model.urls import safe_url
from ..read.history import Version
from ..read.records import Row
from ..vietnamese.text import date_vi
from .metadata import PUBLISHER, _label, _root

ATOM = "http://www.w3.org/2005/Atom"


_NS = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/cong-khai/cong-khai")


def rfc3339(value: str) -> str:
    """A date or date-time as an RFC 3339 date-time (a bare date is taken as midnight UTC)."""
    value = str(value).strip()
    if len(value) == 10:
        return value + "T00:00:00Z"
    return value.replace("+00:00", "Z")


def urn(key: str) -> str:
    """A stable ``urn:uuid:`` for what ``key`` names (``plan:<id>``, ``feed:plans`` …)."""
    return f"urn:uuid:{uuid.uuid5(_NS, key)}"


def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    """An Atom element under ``parent``; ElementTree escapes ``text`` and the attributes."""
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        el.text = text
    return el


XML = "http://www.w3.org/XML/1998/namespace"


def _stamp(value: dt.datetime) -> str:
    """An aware time as RFC 3339 in UTC, with milliseconds only when it has some."""
    value = value.astimezone(dt.UTC)
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    if value.microsecond:
        text += f".{value.microsecond // 1000:03d}"
    return text + "Z"


class Feed:
    """One Atom feed in Vietnamese: the feed's own elements, then :meth:`entry` for each item.

    ``root`` is the site's address (empty when unknown: links are then relative, under
    ``xml:base``); ``self_path`` and ``html_path`` are the feed's file and its page below the root.
    """

    def __init__(
        self, key: str, title: str, subtitle: str, updated: str, root: str, self_path: str, html_path: str
    ) -> None:
        ET.register_namespace("", ATOM)
        self.root = root.rstrip("/")
        attrs = {f"{{{XML}}}lang": "vi"}
        if not self.root:
            up = posixpath.relpath(".", posixpath.dirname(self_path) or ".")
            attrs[f"{{{XML}}}base"] = "./" if up == "." else up + "/"
        self.element = ET.Element(f"{{{ATOM}}}feed", attrs)
        sub(self.element, "id", urn(f"feed:{key}"))
        sub(self.element, "title", f"{PUBLISHER} — {title}")
        sub(self.element, "subtitle", subtitle)
        sub(self.element, "updated", updated)
        sub(self.element, "link", rel="self", type="application/atom+xml", href=self.href(self_path))
        sub(self.element, "link", rel="alternate", type="text/html", href=self.href(html_path))
        sub(sub(self.element, "author"), "name", PUBLISHER)

    def href(self, path: str) -> str:
        """The link to ``path`` (below the site root): absolute, or relative to ``xml:base``."""
        return f"{self.root}/{path}" if self.root else path or "./"

    def entry(self, key: str, title: str) -> ET.Element:
        """A new entry with its stable id (from ``key``) and title; the caller adds the rest."""
        entry = sub(self.element, "entry")
        sub(entry, "id", urn(key))
        sub(entry, "title", title)
        return entry

    def distinct(self) -> None:
        """Entries sharing an instant told apart by milliseconds in the order of their ids (the
        first keeps it, each next one a millisecond earlier); the feed's ``updated`` made no older
        than its newest entry."""
        groups: dict[dt.datetime, list[ET.Element]] = {}
        for entry in self.element.findall(f"{{{ATOM}}}entry"):
            groups.setdefault(_instant(str(entry.findtext(f"{{{ATOM}}}updated"))), []).append(entry)
        taken = set(groups)
        for instant, entries in sorted(groups.items()):
            entries.sort(key=lambda e: str(e.findtext(f"{{{ATOM}}}id")))
            step = 0
            for entry in entries[1:]:
                moved = instant
                while moved in taken:
                    step += 1
                    moved = instant - dt.timedelta(milliseconds=step)
                taken.add(moved)
                el = entry.find(f"{{{ATOM}}}updated")
                assert el is not None
                el.text = _stamp(moved)
        own = self.element.find(f"{{{ATOM}}}updated")
        assert own is not None
        if taken and max(taken) > _instant(str(own.text)):
            own.text = _stamp(max(taken))

    def bytes(self) -> bytes:
        self.distinct()
        ET.indent(self.element, space=" ")
        return ET.tostring(self.element, encoding="utf-8", xml_declaration=True) + b"\n"


def atom_feed(
    plans: Iterable[Mapping[str, Any]],
    base_url: str,
    updated: str,
    *,
    issuer_names: Mapping[str, Sequence[str]] | None = None,
    changed: Mapping[str, str] | None = None,
    limit: int | None = 50,
    model: Model,
    key: str = "plans",
    title: str = "kế hoạch mới công khai",
    subtitle: str = "Kế hoạch công tác dân vận chính quyền và thực hiện dân chủ ở cơ sở",
    self_path: str = sitemap.PLANS_FEED,
    html_path: str = sitemap.md_url(sitemap.PLANS),
) -> bytes:
    """Atom feed of the plans, newest issue date first (ties by id), at most ``limit`` entries.

    ``updated`` (the feed's, and each entry's unless ``changed`` — plan id → the time of the last
    commit that changed the plan's file — or the plan row's own ``updated`` gives one) is given by
    the caller — e.g. ``Corpus.modified`` — never read from the clock.
    Entry ids are ``urn:uuid:`` derived from the plan id, so they survive a change of host.
    ``issuer_names``: plan id → issuing bodies' names, for the entries' authors and summaries.
    ``key``, ``title``, ``subtitle``, ``self_path`` and ``html_path`` (below the site root) name
    the feed: the site's by default, or one province's or body's (:mod:`.follow`).
    """
    root = _root(base_url)
    stamp = rfc3339(updated)
    feed = Feed(key, title, subtitle, stamp, root, self_path, html_path)
    ordered = sorted(plans, key=lambda p: str(p.get("id")))
    ordered.sort(key=lambda p: str(p.get("issue_date") or ""), reverse=True)
    for plan in ordered[:limit] if limit is not None else ordered:
        pid = str(plan["id"])
        names = list((issuer_names or {}).get(pid, []))
        kind = _label(model, "doc_type", plan.get("doc_type")) or "Văn bản"
        number = plan.get("number_symbol")
        entry = feed.entry(
            "plan:" + pid, f"{kind} {number}: {plan.get('title')}" if number else f"{kind}: {plan.get('title')}"
        )
        sub(entry, "link", rel="alternate", type="text/html", href=feed.href(plan_path(plan)))
        when = (changed or {}).get(pid) or plan.get("updated")
        sub(entry, "updated", rfc3339(str(when)) if when else stamp)
        if plan.get("issue_date_precision") == "day" and plan.get("issue_date"):
            sub(entry, "published", f"{plan['issue_date']}T00:00:00+07:00")
        for name in names:
            sub(sub(entry, "author"), "name", name)
        summary = [
            f"{kind} số {number}" if number else kind,
            date_vi(plan.get("issue_date"), "không ghi ngày", sentence=True),
        ]
        if names:
            summary.append("của " + ", ".join(names))
        if plan.get("place"):
            summary.append(f"({plan['place']})")
        sub(entry, "summary", " ".join(summary) + ".", type="text")
        for topic in plan.get("topics") or []:
            sub(entry, "category", term=str(topic), label=_label(model, "topic", topic) or str(topic))
    return feed.bytes()


def status_feed(
    rows: Mapping[str, list[Row]],
    base_url: str,
    updated: str,
    model: Model,
    limit: int | None = None,
) -> bytes:
    """Atom feed of task status changes, newest first; entry ids are ``urn:uuid:`` from plan, task
    and date, so they are stable. ``updated`` (RFC 3339 or a date) is given by the caller."""
    root = base_url.rstrip("/")
    plans = {p["id"]: p for p in rows.get("plans", [])}
    tasks = {_key(t): t for t in rows.get("tasks", [])}
    changes = status_changes(rows.get("tasks", []), rows.get("task_updates", []))
    feed = Feed(
        "task-status",
        "tiến độ thực hiện nhiệm vụ",
        "Thay đổi tình trạng thực hiện nhiệm vụ của các kế hoạch",
        rfc3339(updated),
        root,
        sitemap.STATUS_FEED,
        sitemap.md_url(sitemap.MONITORING),
    )
    for c in changes[:limit] if limit is not None else changes:
        status_entry(feed, c, plans, tasks, model)
    return feed.bytes()


def status_entry(
    feed: Feed,
    c: Mapping[str, Any],
    plans: Mapping[str, Mapping[str, Any]],
    tasks: Mapping[tuple[str, str], Mapping[str, Any]],
    model: Model,
) -> ET.Element:
    """One task status change (:func:`.derive.monitoring.status_changes`) as an entry of ``feed``;
    its id is ``urn:uuid:`` from plan, task and date, the same in every feed that carries it."""
    status_vocab = model.vocabularies["task_status"]

    def label(code: str) -> str:
        return status_vocab.label(code) if code in status_vocab.values else code

    pid, tid = str(c.get("plan_id")), str(c.get("task_id"))
    task = tasks.get((pid, tid), {})
    plan = plans.get(pid)
    date = _date(c.get("date"))
    day = date.isoformat() if date else str(c.get("date"))
    who = (plan or {}).get("number_symbol") or pid
    entry = feed.entry(
        f"task-update:{pid}/{tid}/{day}", f"{who}, mục {task.get('section') or tid}: {label(str(c.get('status')))}"
    )
    if plan is not None:
        sub(entry, "link", rel="alternate", type="text/html", href=feed.href(plan_path(plan)))
    sub(entry, "updated", f"{day}T00:00:00Z")
    if c.get("reported_by"):
        sub(sub(entry, "author"), "name", str(c["reported_by"]))
    summary = [
        f"Nhiệm vụ: {shorten(task.get('text'), 200)}" if task else f"Nhiệm vụ {tid}",
        f"Tình trạng: {label(str(c['previous']))} → {label(str(c.get('status')))}"
        if not c["first"] or c["previous"] != c.get("status")
        else f"Tình trạng: {label(str(c.get('status')))}",
    ]
    if _int(c.get("progress")) is not None:
        summary.append(f"Tiến độ: {_int(c['progress'])}%")
    if c.get("result"):
        summary.append(f"Kết quả: {' '.join(str(c['result']).split())}")
    evidence = safe_url(c.get("evidence"))
    if evidence:
        summary.append(f"Minh chứng: {evidence}")
        sub(entry, "link", rel="related", href=evidence)
    sub(entry, "summary", "\n".join(summary), type="text")
    return entry


def _instant(stamp: str) -> dt.datetime:
    """An RFC 3339 time (or a bare date) as an aware UTC time, to order entries across offsets."""
    try:
        value = dt.datetime.fromisoformat(rfc3339(stamp).replace("Z", "+00:00"))
    except ValueError:
        return dt.datetime.min.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=dt.UTC)


def plan_changes_feed(
    plan: Mapping[str, Any],
    versions: Sequence[Version],
    said: Mapping[str, str],
    changes: Sequence[Mapping[str, Any]],
    tasks: Mapping[tuple[str, str], Mapping[str, Any]],
    base_url: str,
    updated: str,
    model: Model,
    *,
    self_path: str,
    limit: int = 50,
) -> bytes:
    """Atom feed of one plan's changes, newest first, at most ``limit`` entries: each version of its
    file (git history), titled by what it changed in Vietnamese (``said``: sha →
    :func:`.history.summaries`, never the commit subject) and linked to its text as committed; and
    its tasks' status changes (``changes``, this plan's :func:`.derive.monitoring.status_changes`).

    The feed's ``updated`` is its newest entry's (``updated`` when it has none), so the file
    changes only when the plan does.
    """
    root = _root(base_url)
    pid = str(plan["id"])
    kind = _label(model, "doc_type", plan.get("doc_type")) or "Văn bản"
    number = plan.get("number_symbol")
    name = f"{kind} {number}" if number else kind
    feed = Feed(
        f"plan:{pid}",
        f"thay đổi của {name}",
        f"Các phiên bản và tiến độ thực hiện nhiệm vụ của: {plan.get('title')}",
        rfc3339(updated),
        root,
        self_path,
        plan_path(plan),
    )
    for v in versions:
        entry = feed.entry(f"plan-version:{pid}/{v.sha}", said.get(v.sha) or "Phiên bản mới.")
        sub(entry, "link", rel="alternate", type="text/html", href=feed.href(plan_path(plan)))
        sub(
            entry,
            "link",
            rel="related",
            type="text/plain",
            href=feed.href(f"{sitemap.DATA_DIR}/{version_file(pid, v.short)}"),
        )
        sub(entry, "updated", rfc3339(v.date))
        sub(entry, "summary", f"{name}: {plan.get('title')} — phiên bản ngày {date_vi(v.date[:10])}.", type="text")
    plans = {pid: plan}
    for c in changes:
        status_entry(feed, c, plans, tasks, model)
    entries = feed.element.findall(f"{{{ATOM}}}entry")
    for entry in entries:
        feed.element.remove(entry)
    entries.sort(key=lambda e: str(e.findtext(f"{{{ATOM}}}id")))
    entries.sort(key=lambda e: _instant(str(e.findtext(f"{{{ATOM}}}updated"))), reverse=True)
    kept = entries[:limit]
    feed.element.extend(kept)
    if kept:
        newest = feed.element.find(f"{{{ATOM}}}updated")
        assert newest is not None
        newest.text = kept[0].findtext(f"{{{ATOM}}}updated")
    return feed.bytes()
