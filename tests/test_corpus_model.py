"""The corpus of one run (load/corpus.py): built once, read-only, the published view computed once."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from congkhai.load import corpus as corpus_module
from congkhai.load.corpus import Corpus, validate
from congkhai.render.site import render_site

TODAY = dt.date(2026, 11, 22)


def test_a_whole_render_leaves_the_corpus_as_it_found_it(seed_repo: Path) -> None:
    corpus = validate(seed_repo, today=TODAY)
    tables = copy.deepcopy(corpus.tables.rows)
    published = copy.deepcopy(corpus.published)
    mentions = copy.deepcopy(dict(corpus.mentions))
    files, pages = render_site(corpus, None, None)
    assert files and pages
    assert corpus.tables.rows == tables, "a renderer changed the rows as written"
    assert corpus.published == published, "a renderer changed the published rows"
    assert dict(corpus.mentions) == mentions


def test_the_published_view_is_computed_once_per_corpus(seed_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = validate(seed_repo, today=TODAY)
    calls = []
    real = corpus_module.published_rows

    def counting(*args: object) -> object:
        calls.append(1)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(corpus_module, "published_rows", counting)
    render_site(corpus, None, None)
    render_site(corpus, None, None)
    assert len(calls) == 1


def test_the_corpus_cannot_be_rebound(seed_repo: Path) -> None:
    corpus = validate(seed_repo, today=TODAY)
    with pytest.raises(dataclasses.FrozenInstanceError):
        corpus.tables = corpus.tables  # type: ignore[misc]


def test_by_id_finds_the_published_row(seed_repo: Path) -> None:
    corpus = validate(seed_repo, today=TODAY)
    plans = corpus.published["plans"]
    assert len(plans) == 5
    for plan in plans:
        assert corpus.by_id("plans")[plan["id"]] is plan
    first_unit = corpus.published["units"][0]
    assert corpus.by_id("units")[first_unit["id"]] is first_unit
    assert corpus.by_id("plans", "path")[plans[0]["path"]] is plans[0]
    assert corpus.by_id("plans") is corpus.by_id("plans"), "the index is built once"


def test_bodies_hold_each_plans_text_by_id(seed_repo: Path) -> None:
    corpus = validate(seed_repo, today=TODAY)
    assert set(corpus.bodies) == {p["id"] for p in corpus.published["plans"]}
    for source in corpus.sources:
        assert corpus.bodies[source.data["id"]] == source.body
    assert isinstance(corpus, Corpus)


def test_a_shed_corpus_renders_the_same_site(seed_repo: Path) -> None:
    """``Corpus.shed`` (the command line, before a build forks) lets go the rows as written, their
    origins and the plans' key marks: nothing the site is made from — the same pages and files."""
    day = dt.date(2026, 11, 22)
    whole = validate(seed_repo, today=day)
    shed = validate(seed_repo, today=day)
    shed.shed()
    assert not shed.tables.rows and not shed.tables.origins
    assert all(not src.marks for src in shed.sources)
    assert shed.published == whole.published and shed.bodies == whole.bodies
    assert render_site(shed, None, None) == render_site(whole, None, None)


def test_a_shed_corpus_holds_each_text_once(seed_repo: Path) -> None:
    """Each plan is decoded on its own, so the same unit or status was a string per row; after
    ``shed`` equal texts in the published rows and the front matter are one object (each forked
    worker copies what it touches: duplicates were half the rows' bytes at 2,000 plans)."""
    corpus = validate(seed_repo)
    corpus.shed()
    objects: dict[str, int] = {}
    shared = 0
    containers = [s.data for s in corpus.sources if s.data] + [r for rows in corpus.published.values() for r in rows]
    for container in containers:
        for value in container.values():
            if isinstance(value, str) and len(value) > 1:
                assert objects.setdefault(value, id(value)) == id(value), f"{value!r} held twice"
                shared += 1
    assert shared > len(objects) * 2  # many repeated texts were checked, not a handful


def test_building_and_shedding_the_corpus_runs_no_cycle_collection(seed_repo: Path) -> None:
    """What validation makes lives on: a collector's pass over it finds nothing and costs a third of
    a warm validation at 2,000 plans, so none runs until the build's ``kept`` walks it once; the
    collector is on again afterwards."""
    import gc

    passes: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            passes.append(info["generation"])

    gc.callbacks.append(count)
    try:
        corpus = validate(seed_repo, today=TODAY)
        corpus.shed()
        during = list(passes)
        assert gc.isenabled()
        junk = [[n] for n in range(20_000)]  # enough new containers for a young collection
        del junk
    finally:
        gc.callbacks.remove(count)
    # none, not even at the blocks' ends (without the pause: about a hundred for the seed plans)
    assert during == [], f"{len(during)} collections during validation: {during}"
    assert passes, "the collector was left off"
