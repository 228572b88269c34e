"""The long lists' filter data (:mod:`.shards`), one list at a time: each list's is one job of
:meth:`.Listing.jobs` (made as one job, every list's rows were made at once in one worker)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..model import sitemap
from .deps import shard_key
from .shards import Made, filter_files

if TYPE_CHECKING:
    from .listing import Listing


def plan_filters(lst: Listing) -> dict[str, str]:
    plans = lst.plans_newest_first(lst.plans.values())
    keys = ("province", "issuer", "type", "year", "level", "status")
    made = Made(lst.group, lst.make_plan_data, shard_key(lst, "plans", lambda p: p["id"]))
    return filter_files(sitemap.PLANS, plans, keys, "kế hoạch", cache=lst.cache, made=made)


def task_filters(lst: Listing) -> dict[str, str]:
    keys = ("province", "lead", "status", "year", "recurrence")
    key = shard_key(lst, "tasks", lambda t: t["plan_id"], lambda t: t["id"])
    made = Made(lambda t: lst.group(lst.plans[t["plan_id"]]), lst.make_task_data, key)  # a shard's rows at a time
    return filter_files(sitemap.TASKS, lst.listed_tasks(), keys, "nhiệm vụ", cache=lst.cache, made=made)


def directive_filters(lst: Listing) -> dict[str, str]:
    directives = map(lst.directive_data, lst.directives_by_citations())
    return filter_files(sitemap.DIRECTIVES, directives, ("type", "kind"), "văn bản", cache=lst.cache)


def unit_filters(lst: Listing) -> dict[str, str]:
    units = map(lst.unit_data, lst.used_units())
    return filter_files(sitemap.UNITS, units, ("province", "kind", "level"), "cơ quan, đơn vị", cache=lst.cache)


#: each list's filter data, in the order of :meth:`.Listing.filter_data`
FILTERS: dict[str, Callable[[Listing], dict[str, str]]] = {
    "plans": plan_filters,
    "tasks": task_filters,
    "directives": directive_filters,
    "units": unit_filters,
}
