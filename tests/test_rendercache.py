"""The render stage's caches: plan pages rendered from their own inputs and cached by their hash,
and the versions of plans parsed once. A warm render equals a clean one, after any change a page
shows; the caches are actually used; a tampered entry is rendered again."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from congkhai.load.corpus import validate
from congkhai.load.plancache import text_digest
from congkhai.load.rendercache import ParseCache, TextCache, parse_cache, text_cache
from congkhai.model.sitemap import plan_md
from congkhai.read.history import Version
from congkhai.render import cachedplan, history, memo
from congkhai.render.cachedplan import cached_plan_page
from congkhai.render.pages import PageBuilder
from congkhai.render.site import originals, render_site

PLAN = Path("docs/plans/bac-kan/bac-kan-2023-276-ubnd-ncpc.md")
DATED = Path("docs/plans/bac-giang/bac-giang-tp-bac-giang-dinh-ke-2024-72-khph-kdv-ubnd.md")  # its period ends


@pytest.fixture
def repo(cached_repo: Path) -> Path:
    return cached_repo


def _renders() -> int:
    """Pages rendered (not taken from the cache) in this process, of every kind."""
    return cachedplan.RENDERS[0] + sum(memo.RENDERS.values())


def _render(root: Path) -> tuple[dict[str, bytes], dict[str, str]]:
    return render_site(validate(root), None, None)


def _clean(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, bytes], dict[str, str]]:
    with monkeypatch.context() as m:
        m.setenv("CONGKHAI_CACHE", "off")
        return _render(root)


def test_a_warm_render_after_a_one_plan_change_equals_a_clean_one(repo: Path, monkeypatch) -> None:
    first = _render(repo)
    plans = len([k for k in first[1] if k.startswith("plans/") and k.count("/") == 2])
    before = cachedplan.RENDERS[0]
    assert _render(repo) == first
    assert cachedplan.RENDERS[0] == before  # nothing changed: every plan page from the cache
    path = repo / PLAN
    path.write_text(path.read_text(encoding="utf-8").replace("title: ", "title: Sửa đổi ", 1), encoding="utf-8")
    before = cachedplan.RENDERS[0]
    warm = _render(repo)
    assert cachedplan.RENDERS[0] - before == 1 < plans  # only the changed plan's page
    assert warm == _clean(repo, monkeypatch)
    assert warm != first


def test_a_change_of_a_plans_text_alone_renders_its_page_again(repo: Path, monkeypatch) -> None:
    """The text is part of the page's key (every plan's text is hashed for it, each build)."""
    _render(repo)
    path = repo / PLAN
    path.write_text(path.read_text(encoding="utf-8") + "\nMột đoạn thêm sau khi ban hành.\n", encoding="utf-8")
    before = cachedplan.RENDERS[0]
    warm = _render(repo)
    assert cachedplan.RENDERS[0] - before == 1
    assert warm == _clean(repo, monkeypatch)


def test_tampered_entries_are_rendered_again(repo: Path, monkeypatch) -> None:
    first = _render(repo)
    entries = sorted((Path(str(text_cache(repo).store)) / "markdown").rglob("*"))  # type: ignore[union-attr]
    files = [e for e in entries if e.is_file()]
    assert files
    for entry in files:  # a page changed, MAC kept: not ours any more
        data = entry.read_bytes()
        entry.write_bytes(
            data.replace("Trang chủ".encode(), "Trang giả".encode()) if b"Trang ch" in data else data + b" "
        )
    before = _renders()
    assert _render(repo) == first
    assert _renders() - before == len(files)


# --- Each kind of input a plan page shows, changed: the warm page is the clean one ----------------


def _builder(rows: dict[str, list[Any]], corpus: Any, cache: TextCache | None, today: dt.date) -> PageBuilder:
    return PageBuilder(corpus.model, rows, corpus.bodies, originals(corpus), {}, "", today=today, cache=cache)


def _with_task(rows: dict[str, list[Any]], pid: str) -> dict[str, list[Any]]:
    task = next(t for t in rows["tasks"] if t["plan_id"] == pid)
    task["deadline"] = "ngày 31/12/2099"
    task["due_date"] = "2099-12-31"
    return rows


def _cited_by_another(rows: dict[str, list[Any]], pid: str) -> dict[str, list[Any]]:
    """Another plan cites this one (a catalogue entry with its number): its page lists it."""
    plan = next(p for p in rows["plans"] if p["id"] == pid)
    other = next(p for p in rows["plans"] if p["id"] != pid)
    rows["directives"].append({**rows["directives"][0], "id": "x-ban-nay", "number_symbol": plan["number_symbol"]})
    rows["citations"].append({**rows["citations"][0], "plan_id": other["id"], "directive": "x-ban-nay"})
    return rows


def _citing_title(rows: dict[str, list[Any]], pid: str) -> dict[str, list[Any]]:
    rows = _cited_by_another(rows, pid)
    other = next(p for p in rows["plans"] if p["id"] != pid)
    other["number_symbol"] = None  # the diagram names a citing plan by its number, else its title
    other["title"] = "Một tiêu đề khác hẳn"
    return rows


def _unit_name(rows: dict[str, list[Any]], pid: str) -> dict[str, list[Any]]:
    unit = next(i["unit"] for i in rows["issuers"] if i["plan_id"] == pid)
    next(u for u in rows["units"] if u["id"] == unit)["name"] = "Ủy ban nhân dân đổi tên"
    return rows


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(_with_task, id="task-deadline"),
        pytest.param(_cited_by_another, id="cited-by-another"),
        pytest.param(_citing_title, id="citing-plan-title"),
        pytest.param(_unit_name, id="body-name"),
        pytest.param(None, id="today-crossing-the-period"),
    ],
)
def test_a_page_changes_when_any_input_it_shows_changes(repo: Path, change: Any) -> None:
    corpus = validate(repo)
    cache = text_cache(repo)
    assert cache is not None
    path = (DATED if change is None else PLAN).as_posix()
    pid = str(next(p["id"] for p in corpus.published["plans"] if p["path"] == path))
    plan = next(p for p in corpus.published["plans"] if p["id"] == pid)
    today = dt.date(2024, 11, 22)
    warm = _builder(corpus.published, corpus, cache, today)
    old = cached_plan_page(warm, plan)
    assert old == _builder(corpus.published, corpus, None, today).plan_page(plan)
    rows = copy.deepcopy(corpus.published)
    if change is None:
        today = dt.date(2099, 1, 1)  # after the plan's period: no longer in force
    else:
        rows = change(rows, pid)
    plan = next(p for p in rows["plans"] if p["id"] == pid)
    clean = _builder(rows, corpus, None, today).plan_page(plan)
    assert clean != old  # the change is one the page shows
    before = cachedplan.RENDERS[0]
    assert cached_plan_page(_builder(rows, corpus, cache, today), plan) == clean
    assert cachedplan.RENDERS[0] == before + 1
    assert cached_plan_page(_builder(rows, corpus, cache, today), plan) == clean
    assert cachedplan.RENDERS[0] == before + 1  # and now from the cache


def test_today_does_not_invalidate_a_page_whose_state_stays(repo: Path) -> None:
    corpus = validate(repo)
    cache = text_cache(repo)
    plan = next(p for p in corpus.published["plans"] if p["path"] == PLAN.as_posix())
    first = cached_plan_page(_builder(corpus.published, corpus, cache, dt.date(2024, 11, 22)), plan)
    before = cachedplan.RENDERS[0]
    assert cached_plan_page(_builder(corpus.published, corpus, cache, dt.date(2024, 11, 23)), plan) == first
    assert cachedplan.RENDERS[0] == before
    assert plan_md(plan) in _render(repo)[1]


# --- Versions parsed once ---------------------------------------------------------------------------


def test_the_current_version_reuses_the_validation_parse_and_old_ones_are_cached(repo: Path) -> None:
    corpus = validate(repo)
    src = next(s for s in corpus.sources if s.path == PLAN.as_posix())
    text = (repo / PLAN).read_text(encoding="utf-8")
    assert src.digest == text_digest(text)
    old = text.replace("title: ", "title: Cũ ", 1)
    versions = [Version("a" * 40, "2024-11-02T00:00:00+07:00", "", src.path), Version("b" * 40, "2024-11-01", "", "")]
    texts = {"a" * 40: text, "b" * 40: old}
    known = {src.digest: history.Parsed(None, src.data, src.body)}
    cache = parse_cache(repo)
    assert isinstance(cache, ParseCache)
    reference = history.parse_versions(versions, texts)
    before = history.PARSES[0]
    assert history.parse_versions(versions, texts, known, cache) == reference
    assert history.PARSES[0] - before == 1  # the old version only
    assert history.parse_versions(versions, texts, known, cache) == reference
    assert history.PARSES[0] - before == 1  # from the cache now
    entry = next(p for p in (cache.store / "versions").rglob("*") if p.is_file())
    entry.write_bytes(entry.read_bytes().replace("Cũ".encode(), "Mới".encode()))
    assert history.parse_versions(versions, texts, known, cache) == reference
    assert history.PARSES[0] - before == 2  # a tampered entry is parsed again


def test_entries_no_render_used_are_pruned_and_the_used_ones_kept(repo: Path) -> None:
    """A changed plan leaves its old page's entry behind; the deploy keeps the cache between runs,
    so without pruning it would grow with every change."""
    import os
    import time

    from congkhai.load.rendercache import prune_unused

    _render(repo)
    store = Path(str(text_cache(repo).store)) / "markdown"  # type: ignore[union-attr]
    entries = {e for e in store.rglob("*") if e.is_file()}
    path = repo / PLAN
    path.write_text(path.read_text(encoding="utf-8").replace("title: ", "title: Sửa đổi ", 1), encoding="utf-8")
    long_ago = time.time() - 3600
    for entry in entries:  # made by an earlier build
        os.utime(entry, (long_ago, long_ago))
    started = time.time()
    before = _renders()
    _render(repo)  # reads every unchanged page's entry, writes the changed ones'
    changed = _renders() - before
    assert 1 <= prune_unused(repo, started) <= changed  # the changed pages' old entries
    kept = {e for e in store.rglob("*") if e.is_file()}
    assert len(kept) == len(entries) and kept != entries
    before = _renders()
    _render(repo)
    assert _renders() == before  # nothing the build needs was removed


def test_a_page_is_kept_as_its_utf8_and_read_back_exactly(tmp_path: Path) -> None:
    """Not as a JSON string: decoding its escapes was seconds of every 10,000-plan rebuild."""
    cache = TextCache(tmp_path, b"k" * 32)
    text = '---\ntitle: "Kế hoạch \\"72\\""\n---\n\nDân vận khéo\t\u2028 \ud800 ☃\n'
    cache.put("ab" * 32, text)
    assert cache.get("ab" * 32) == text
    stored = (tmp_path / "markdown" / "ab" / ("ab" * 32)).read_bytes()
    assert stored.endswith(text.encode("utf-8", "surrogatepass"))
    assert cache.get("cd" * 32) is None
