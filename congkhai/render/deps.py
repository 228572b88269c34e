"""Index jobs skipped when nothing they read changed (issue 14: a one-plan change rebuilt every
list, body and cited-document page's Markdown from its cache, and gathering what each page
shows to key it was half of a warm render stage at 10,000 plans).

A job of :meth:`.Listing.jobs` that reads a known set of plans — a stretch of the plan or task
list, one body's pages, one cited document's pages — is keyed by what it reads, not by what it
shows: the digest of each of those plans' rows (:func:`plan_digests`, made once before the
workers start), in the order the job reads them, and the digest of the tables no plan owns
(bodies, provinces, cited documents: :func:`common_digest`), today's date, the site's address and
the job's own feeds. The rule of :mod:`.memo` — "the key covers everything the render reads" —
holds by the audit written beside each kind in :func:`listing_deps`; a job not audited there
(the whole-corpus filter data, the indexes) has no key and renders as before.

A job whose key the render cache knows (a list of page paths and their SHA-256, signed like
every entry, emptied by a changed program or schema) takes its pages from the previous build's
staging folder (:mod:`congkhai.publish.keptpages`): each file moved only if it holds the bytes the
entry names. If one is missing or different, the job renders all its pages as before and the
entry is written again: the skip can make a build faster, never different.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from ..load.rendercache import TextCache
from ..model.schemas import Model
from ..read.records import Row
from . import cards
from .memo import key_of

if TYPE_CHECKING:
    from .listing import Listing

#: Jobs taken whole from the previous build, in this process (the tests check the skip by it).
SKIPPED = [0]


class Keeping(Protocol):
    """A sink that can take a page from the previous build (:class:`.publish.site.Staging`)."""

    def keep(self, path: str, sha256: str) -> bool:
        """The previous build's file ``path`` moved into place if it holds bytes of ``sha256``."""

    def recording(self) -> AbstractContextManager[dict[str, str]]:
        """The paths written in the block and their bytes' SHA-256."""


@dataclass(frozen=True)
class Keyed:
    """What index jobs are keyed by and where their keys are kept (made once, before the workers)."""

    digests: dict[str, str]  # plan id → its rows' digest (:func:`plan_digests`)
    common: str  # :func:`common_digest`
    cache: TextCache


def plan_digests(model: Model, rows: Mapping[str, list[Row]]) -> dict[str, str]:
    """Each plan's digest over its row and its rows of every table with a ``plan_id``, in the
    tables' order (what a list shows of a plan: its title, issuers, tasks and their bodies, state)."""
    owned = [t.name for t in model.tables.values() if t.name != "plans" and "plan_id" in t.field_names]
    children: dict[Any, dict[str, list[Row]]] = {}
    for name in owned:
        for r in rows.get(name, []):
            children.setdefault(r["plan_id"], {}).setdefault(name, []).append(r)
    return {str(p["id"]): key_of("plan-rows", (p, children.get(p["id"], {}))) for p in rows["plans"]}


def common_digest(model: Model, rows: Mapping[str, list[Row]]) -> str:
    """The digest of every table no plan owns (no ``plan_id``): bodies, provinces, cited documents."""
    common = [t.name for t in model.tables.values() if t.name != "plans" and "plan_id" not in t.field_names]
    return key_of("common-rows", tuple((name, rows.get(name, [])) for name in common))


def listing_deps(listing: Listing, digests: Mapping[str, str], job: tuple[str, str]) -> Any | None:
    """What job ``job`` of ``listing`` reads besides the tables no plan owns, today and the site's
    address — or None for a job not keyed so. Audited against :class:`.Listing`'s methods:

    * a body's pages (:meth:`.Listing.unit_page`): the plans it issued, newest first (each shown
      with its issuers' names, province, state: its rows), the plan of each task it leads or
      takes part in, in the tasks' order (the task's text, deadline, status: its plan's rows),
      its own feeds (computed here, so the key holds them);
    * a cited document's pages (:meth:`.Listing.directive_page`): the citing plans in the page's
      order (title, date; the citation: their rows);
    * a stretch of the plan or task list (:meth:`.Listing.plan_list`, ``task_list``): the list's
      length (page count, notes) and the plans (tasks: their plan and id) on its pages, in order;
    * a year's list (:func:`.groups.year_pages`): its plans, newest first (cards as in the plan
      list; the year is the job's name);
    * a province's list, of today or former (:func:`.groups.province_list`, ``former_list``): its
      plans, newest first (cards; the former provinces named in its intro are those plans'
      ``province``; names and successors are the provinces' table), and its own feeds and their
      note (computed here, so the key holds them).
    """
    kind, name = job
    if kind == "unit":
        issued = listing.plans_newest_first(listing.plans[pid] for pid in listing.issued.get(name, ()))
        roles = listing.unit_tasks.get(name, {})
        tasks = [[digests[str(t["plan_id"])] for t in roles.get(role, [])] for role in ("lead", "partner")]
        feeds = None if listing.follow is None else tuple(listing.follow.unit_links(name))
        return (job, [digests[str(p["id"])] for p in issued], tasks, feeds)
    if kind == "directive":
        citing = sorted(
            listing.citing.get(name, []),
            key=lambda c: (str(listing.plans[c["plan_id"]].get("issue_date") or ""), c["plan_id"]),
        )
        return (job, [digests[str(c["plan_id"])] for c in citing])
    if kind == "year":
        return (job, [digests[str(p["id"])] for p in listing.groups.years[name]])
    if kind in ("province", "former"):
        plans = (listing.groups.current if kind == "province" else listing.groups.former)[name]
        follow = listing.follow
        links = None if follow is None else (tuple(follow.province_links(name)), follow.province_note(name))
        return (job, [digests[str(p["id"])] for p in plans], links)
    if kind == "pages":
        which, start = name.split(" ")
        first, per = int(start), cards.PER_PAGE
        stretch = slice((first - 1) * per, (first - 1 + listing.PAGES_PER_JOB) * per)
        if which == "plan_list":
            plans = listing.plans_newest_first(listing.plans.values())
            return (job, len(plans), [digests[str(p["id"])] for p in plans[stretch]])
        if which == "task_list":
            listed = listing.listed_tasks()
            return (job, len(listed), [(digests[str(t["plan_id"])], t["id"]) for t in listed[stretch]])
    return None


def shard_key(
    listing: Listing, kind: str, plan_of: Callable[[Row], Any], own: Callable[[Row], Any] = lambda _: None
) -> Callable[[Sequence[Row]], str] | None:
    """The key of a filter shard of ``listing``'s list ``kind`` from its items (:attr:`.shards.Made.key`):
    what a row of the plan or task list reads is its plan's rows (title, issuers' names, state;
    a task's text, units, status), the tables no plan owns and today — so the digest of each
    item's plan (``plan_of``) and the item's own id within it (``own``); None when the listing is
    not keyed."""
    keyed = listing.keyed
    if keyed is None:
        return None
    digests, common, today = keyed.digests, keyed.common, listing.today

    def key(items: Sequence[Row]) -> str:
        return key_of("filter-rows", (kind, common, today, [(digests[str(plan_of(i))], own(i)) for i in items]))

    return key


def job_key(common: str, today: dt.date | None, base_url: str, deps: Any) -> str:
    """The key of a job reading ``deps`` (:func:`listing_deps`)."""
    return key_of("listing-job", (common, today, base_url, deps))


def run_keyed(cache: TextCache, key: str, writer: Any, run: Callable[[], object]) -> None:
    """``run()`` — which hands the job's pages to ``writer`` — unless the entry ``key`` names pages
    the previous build left, each of which ``writer`` can take as it is (then the job is skipped);
    after a run, its pages and their SHA-256 are kept under ``key`` for the next build."""
    named = _named(cache.get(key))
    if named is not None and all(writer.keep(path, sha) for path, sha in named.items()):
        SKIPPED[0] += 1
        return
    with writer.recording() as written:
        run()
    cache.put(key, json.dumps(written, ensure_ascii=False, sort_keys=True))


def keeps(writer: Any) -> bool:
    """True when ``writer`` can take pages from the previous build (:class:`Keeping`)."""
    return callable(getattr(writer, "keep", None)) and callable(getattr(writer, "recording", None))


def _named(text: str | None) -> dict[str, str] | None:
    if text is None:
        return None
    try:
        found = json.loads(text)
    except ValueError:
        return None
    if not isinstance(found, dict) or not found:
        return None
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in found.items()):
        return None
    return found
