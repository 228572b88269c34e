"""Generated pages other than plan pages — lists, bodies' and cited documents' pages, feeds and
calendars, a plan's history — rendered from their inputs and cached by their hash: a warm render
after a one-plan change equals a clean one and renders again only the pages showing that plan;
each kind of input a page shows invalidates it; a tampered entry is rendered again."""

from __future__ import annotations

import copy
import datetime as dt
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from congkhai.load.corpus import validate
from congkhai.load.rendercache import text_cache
from congkhai.model.sitemap import unit_md
from congkhai.render import cards, memo
from congkhai.render.listing import Listing
from congkhai.render.site import render_site

PLAN = Path("docs/plans/bac-kan/bac-kan-2023-276-ubnd-ncpc.md")
DATED = Path("docs/plans/bac-giang/bac-giang-tp-bac-giang-dinh-ke-2024-72-khph-kdv-ubnd.md")  # its period ends


@pytest.fixture
def repo(cached_repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(cards, "PER_PAGE", 3)  # the seed's lists on several pages
    return cached_repo


def _render(root: Path) -> tuple[dict[str, bytes], dict[str, str]]:
    return render_site(validate(root), None, None)


def test_a_one_plan_change_renders_again_only_the_pages_showing_it(repo: Path, monkeypatch) -> None:
    memo.RENDERS.clear()
    first = _render(repo)
    cold = dict(memo.RENDERS)
    assert cold["list-page"] > 10 and cold["unit-page"] > 5 and cold["directive-page"] > 5 and cold["follow"] > 5
    memo.RENDERS.clear()
    assert _render(repo) == first
    assert sum(memo.RENDERS.values()) == 0  # nothing changed: every page from the cache
    path = repo / PLAN
    path.write_text(path.read_text(encoding="utf-8").replace("title: ", "title: Sửa đổi ", 1), encoding="utf-8")
    warm = _render(repo)
    again = dict(memo.RENDERS)
    # the list pages holding the plan or its tasks (all plans, its year, its province, its bodies'
    # lists, the tasks), its bodies' pages, the pages of the documents it cites — not the others
    assert 0 < again["list-page"] < cold["list-page"] / 2
    assert 0 < again["unit-page"] < cold["unit-page"]
    assert again.get("directive-page", 0) < cold["directive-page"]
    assert 0 < again["follow"] < cold["follow"]  # its bodies' and province's feeds
    assert again["plan-history"] == 1 < cold["plan-history"]  # its own feed of changes
    assert 0 < again["filter-shard"] < cold["filter-shard"]  # the shards holding it or its tasks
    assert again["monitoring"] == 1 == cold["monitoring"]  # it names plans by their titles
    assert cold["editor-config"] == 1 and "editor-config" not in again  # the catalogues did not change
    with monkeypatch.context() as m:
        m.setenv("CONGKHAI_CACHE", "off")
        assert warm == _render(repo)
    assert warm != first


def test_a_change_of_a_plans_text_alone_renders_no_list_or_summary_again(repo: Path, monkeypatch) -> None:
    first = _render(repo)
    path = repo / PLAN
    path.write_text(path.read_text(encoding="utf-8") + "\nMột đoạn văn thêm vào cuối.\n", encoding="utf-8")
    memo.RENDERS.clear()
    warm = _render(repo)
    assert not memo.RENDERS["list-page"] and not memo.RENDERS["monitoring"] and not memo.RENDERS["follow"]
    with monkeypatch.context() as m:
        m.setenv("CONGKHAI_CACHE", "off")
        assert warm == _render(repo)
    assert warm != first


def test_the_plan_forms_configuration_is_made_again_when_a_catalogue_changes(repo: Path, monkeypatch) -> None:
    """The form's configuration lists every body, province and cited document: cached by them, made
    again when one changes (a body renamed in ``data/units.csv``), and then the clean one."""
    from congkhai.model.sitemap import EDITOR_CONFIG

    first = _render(repo)[1][EDITOR_CONFIG]
    units = repo / "data" / "units.csv"
    lines = units.read_text(encoding="utf-8").splitlines(keepends=True)
    name = lines[1].split(",")[1]
    units.write_text(lines[0] + lines[1].replace(name, name + " (đổi tên)", 1) + "".join(lines[2:]), encoding="utf-8")
    memo.RENDERS.clear()
    warm = _render(repo)[1][EDITOR_CONFIG]
    assert memo.RENDERS["editor-config"] == 1 and "(đổi tên)" in warm and warm != first
    with monkeypatch.context() as m:
        m.setenv("CONGKHAI_CACHE", "off")
        assert warm == _render(repo)[1][EDITOR_CONFIG]


def _commit(repo: Path, when: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    for args in (["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"]):
        subprocess.run(["git", *args], cwd=repo, check=True, env=env, capture_output=True)


def test_a_plan_history_from_the_cache_equals_a_clean_one(repo: Path, monkeypatch) -> None:
    """Old versions in git: their pages, the history section and the feed of changes cached;
    a new version renders that plan's history again, and only it."""
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    _commit(repo, "2024-05-01T10:00:00+07:00")
    path = repo / PLAN
    path.write_text(path.read_text(encoding="utf-8").replace("title: ", "title: Sửa đổi ", 1), encoding="utf-8")
    _commit(repo, "2024-06-01T10:00:00+07:00")
    memo.RENDERS.clear()
    first = _render(repo)
    assert any("/phien-ban/" in k for k in first[1])  # an old version's page
    memo.RENDERS.clear()
    assert _render(repo) == first
    assert memo.RENDERS["plan-history"] == 0
    path.write_text(path.read_text(encoding="utf-8").replace("title: ", "title: Lần hai ", 1), encoding="utf-8")
    _commit(repo, "2024-07-01T10:00:00+07:00")
    warm = _render(repo)
    assert memo.RENDERS["plan-history"] == 1
    with monkeypatch.context() as m:
        m.setenv("CONGKHAI_CACHE", "off")
        assert warm == _render(repo)
    assert warm != first


# --- Each kind of input a page shows, changed: the warm page is the clean one ----------------------


def _task_deadline(rows: dict[str, list[Any]], today: dt.date) -> tuple[dict[str, list[Any]], dt.date, str]:
    task = rows["tasks"][0]
    task["deadline"] = "ngày 31/12/2099"
    return rows, today, "tasks/index.md"


def _unit_name(rows: dict[str, list[Any]], today: dt.date) -> tuple[dict[str, list[Any]], dt.date, str]:
    unit = rows["issuers"][0]["unit"]
    next(u for u in rows["units"] if u["id"] == unit)["name"] = "Ủy ban nhân dân đổi tên"
    return rows, today, unit_md(unit)


def _today(rows: dict[str, list[Any]], today: dt.date) -> tuple[dict[str, list[Any]], dt.date, str]:
    return rows, dt.date(2099, 1, 1), "plans/index.md"  # periods ended: the states change


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(_task_deadline, id="task-deadline-on-the-task-list"),
        pytest.param(_unit_name, id="body-name-on-its-page"),
        pytest.param(_today, id="today-on-the-plan-list"),
    ],
)
def test_a_page_changes_when_any_input_it_shows_changes(repo: Path, monkeypatch, change: Any) -> None:
    monkeypatch.setattr(cards, "PER_PAGE", 100)  # one page each: the page named is the one changed
    corpus = validate(repo)
    cache = text_cache(repo)
    assert cache is not None
    today = dt.date(2024, 11, 22)
    old = Listing(corpus.model, corpus.published, today=today, cache=cache).pages()
    assert old == Listing(corpus.model, corpus.published, today=today).pages()
    rows, today, page = change(copy.deepcopy(corpus.published), today)
    clean = Listing(corpus.model, rows, today=today).pages()
    assert clean[page] != old[page]  # the change is one the page shows
    memo.RENDERS.clear()
    assert Listing(corpus.model, rows, today=today, cache=cache).pages() == clean
    assert 0 < sum(memo.RENDERS.values()) < len(clean)


def test_tampered_or_unreadable_entries_are_rendered_again(repo: Path) -> None:
    cache = text_cache(repo)
    assert cache is not None
    memo.RENDERS.clear()
    files = {"a.xml": "<feed/>", "b.ics": "BEGIN:VCALENDAR"}
    assert memo.cached_files(cache, "test", ("x",), lambda _: files) == files
    assert memo.cached_files(cache, "test", ("x",), lambda _: {}) == files  # from the cache
    assert memo.RENDERS["test"] == 1
    for entry in (cache.store / "markdown").rglob("*"):
        if entry.is_file():
            entry.write_bytes(entry.read_bytes().replace(b"feed", b"FEED"))
    assert memo.cached_files(cache, "test", ("x",), lambda _: files) == files
    assert memo.RENDERS["test"] == 2


def test_a_key_is_hashed_as_its_pickle_is_written_not_held_whole() -> None:
    """The monitoring pages' inputs are every task and update: their pickle (hundreds of megabytes
    at 10,000 plans) was held whole, and copied once more, at the build's peak of memory."""
    import pickle
    import tracemalloc

    rows = [{"id": f"plan-{n}", "text": f"{n} " + "nhiệm vụ " * 40} for n in range(20_000)]
    size = len(pickle.dumps(rows, protocol=5))
    assert size > 8_000_000
    tracemalloc.start()
    try:
        key = memo.key_of("monitoring", rows)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < size / 2, (peak, size)
    assert key == memo.key_of("monitoring", copy.deepcopy(rows)) != memo.key_of("other", rows)
    rows[-1]["text"] += "."
    assert memo.key_of("monitoring", rows) != key


def test_files_rendered_on_a_miss_are_given_as_made(tmp_path: Path) -> None:
    """(Not read back from the JSON written to the cache: a second copy of the largest entry.)"""
    from congkhai.load.rendercache import TextCache

    cache = TextCache(tmp_path, b"secret")
    made = {"a.md": "# A\n", "b.md": "# Bê\n"}
    assert memo.cached_files(cache, "kind", ("x",), lambda _: made) is made
    again = memo.cached_files(cache, "kind", ("x",), lambda _: pytest.fail("rendered again"))
    assert again == made and again is not made


def test_a_key_does_not_depend_on_which_equal_values_are_one_object() -> None:
    """Rows parsed afresh share values (a plan's date, its id in each of its rows); the same rows
    read back from the plan cache do not: their keys must be the same, or the first rebuild after
    a cold build finds nothing in the cache."""
    import datetime as dt

    day = dt.date(2025, 3, 1)
    plan_id = "".join(["ke-hoach-", "1"])  # made at run time: one object, not a constant's
    shared = ({"id": plan_id, "issue_date": day}, [{"plan_id": plan_id, "deadline": day}] * 2)
    apart = (
        copy.deepcopy(shared[0]),
        [{"plan_id": "".join(["ke-hoach-", "1"]), "deadline": dt.date(2025, 3, 1)} for _ in range(2)],
    )
    assert shared == apart
    assert memo.key_of("plan-data", shared) == memo.key_of("plan-data", apart)
    assert memo.key_of("plan-data", shared) != memo.key_of("plan-data", (apart[0], apart[1][:1]))
