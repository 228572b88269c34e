"""A plan's page rendered from its own inputs and cached by their hash (issue 14: a build after a
one-plan change renders only that plan's page and those citing it).

:func:`plan_inputs` gathers every row a plan page shows; :func:`cached_plan_page` renders the page
with a builder holding only those rows (so the page cannot show what its key leaves out) and keeps
the Markdown in the render cache (:mod:`congkhai.load.rendercache`) by the hash of the inputs and
of the state ``today`` decides.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from ..read.records import Row
from .memo import key_of

if TYPE_CHECKING:
    from .pages import PageBuilder

#: How many plan pages :func:`cached_plan_page` rendered in this process (the tests check the
#: cache by it).
RENDERS = [0]


def plan_inputs(self: PageBuilder, plan: Row) -> tuple[dict[str, Any], dict[str, Any]]:
    """Everything a plan's page shows, and what decides the part that depends on ``today``.

    The first is what the page is rendered from (:func:`cached_plan_page` renders it with a
    builder holding only these rows), so a page cannot show what its key leaves out; the
    second replaces ``today`` in the key: the state it decides, so a page is rendered again
    when its state changes, not every day.
    """
    pid = plan["id"]
    parts = self.by_plan.get(pid, {})
    cites = parts.get("citations", [])
    number = str(plan.get("number_symbol") or "")
    numbered = sorted(self.directives_by_number.get(number.casefold(), set())) if number[:1].isdigit() else []
    plans = {pid: plan}
    for other in [*self.citing_plans(plan), self.plans_by_id.get(plan.get("superseded_by") or "")]:
        if other is not None:
            plans.setdefault(other["id"], other)
    units = sorted({str(i["unit"]) for i in parts.get("issuers", [])})
    directives = sorted({str(c["directive"]) for c in cites} | set(numbered))
    province = self.provinces.get(plan.get("province") or "")
    rows: dict[str, list[Row]] = {
        "plans": list(plans.values()),
        "units": [self.units[u] for u in units if u in self.units],
        "directives": [self.directives[d] for d in directives if d in self.directives],
        "provinces": [province] if province is not None else [],
        # this plan's citations, and those of other plans citing this plan (the "lược đồ")
        "citations": cites + [c for d in numbered for c in self.citations_of.get(d, []) if c["plan_id"] != pid],
        **{name: parts.get(name, []) for name in ("issuers", "signers", "recipients", "tasks", "disclosures")},
    }
    path = plan.get("path")
    links = self.plan_links(plan)
    inputs = {
        "rows": rows,
        "body": self.bodies.get(pid, ""),
        "original": pid in self.originals,
        "changed": self.changed.get(path) if path in self.changed else None,
        "history": path in self.histories,
        "base_url": self.base_url,
        "links": None if links is None else [dataclasses.astuple(link) for link in links],
    }
    return inputs, {"state": dataclasses.asdict(self.plan_state(plan))}


def cached_plan_page(self: PageBuilder, plan: Row) -> str:
    """The plan's page, rendered from :func:`plan_inputs` alone, or from the cache by their hash."""
    inputs, decided = plan_inputs(self, plan)
    key = ""
    if self.cache is not None:
        # their pickle (:func:`.memo.key_of`): as sorted JSON, each plan's text was escaped again
        # to be hashed (3 of the page workers' CPU seconds in a 10,000-plan rebuild)
        key = key_of("plan-page", (inputs, decided))
        if (found := self.cache.get(key)) is not None:
            return found
    RENDERS[0] += 1
    path = str(plan.get("path"))
    own = type(self)(
        self.model,
        {**{name: [] for name in self.rows}, **inputs["rows"]},
        {plan["id"]: inputs["body"]},
        frozenset([plan["id"]]) if inputs["original"] else frozenset(),
        {path: inputs["changed"]} if inputs["changed"] is not None else {},
        self.base_url,
        today=self.today,
        histories=frozenset([path]) if inputs["history"] else frozenset(),
        links=None if inputs["links"] is None else {str(plan["id"]): self.plan_links(plan) or []},
    )
    text = own.plan_page(plan)
    if self.cache is not None:
        self.cache.put(key, text)
    return text
