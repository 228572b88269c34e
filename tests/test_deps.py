"""Index jobs and filter shards keyed by what they read: one whose key did not change would make
the same pages (checked against random edits of every table), a rebuild skips exactly those jobs and equals a
clean build, and a kept page that is not what its entry names is rendered again."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from congkhai.cli import main
from congkhai.load.corpus import validate
from congkhai.publish import site as publish_site
from congkhai.render import cards, deps, filters, metadata, shards
from congkhai.render.follow import Follow
from congkhai.render.listing import Listing
from congkhai.render.site import _described
from tests.conftest import FIXED_EPOCH, copy_sources, differences

TODAY = dt.date(2025, 6, 1)
BASE = "https://congkhai.example.gov.vn"
PLAN = Path("docs/plans/bac-kan/bac-kan-2023-276-ubnd-ncpc.md")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, dict[str, list[dict[str, Any]]]]:
    v = validate(copy_sources(tmp_path_factory.mktemp("deps") / "repo"))
    rows = copy.deepcopy(v.published)
    # a second plan of the same year and province, its tasks after the first's in their lists
    first = rows["plans"][0]
    clone = first["id"] + "-ban-sao"
    rows["plans"].append({**first, "id": clone, "title": first["title"] + " (bản sao)"})
    for found in list(rows.values()):
        found += [{**r, "plan_id": clone} for r in found if r.get("plan_id") == first["id"]]
    return v.model, rows


class _Recorder:
    """A render cache that has nothing and keeps what is put in it."""

    def __init__(self) -> None:
        self.entries: dict[str, str] = {}

    def get(self, key: str) -> None:
        return None

    def put(self, key: str, text: str) -> None:
        self.entries[key] = text


def _listing(model: Any, rows: dict[str, list[dict[str, Any]]], cache: Any = None) -> Listing:
    names = {i["plan_id"]: [str(i["unit"])] for i in rows["issuers"]}
    follow = Follow(model, rows, TODAY, BASE, "2025-01-01", names)
    return Listing(model, rows, BASE, TODAY, follow, cache)


def _shards(model: Any, rows: dict[str, list[dict[str, Any]]]) -> dict[str, str]:
    """Every filter job's cache entries by their keys (a shard's under the key of what it reads)."""
    recorder = _Recorder()
    listing = _listing(model, rows, recorder)
    listing.keyed = deps.Keyed(deps.plan_digests(model, rows), deps.common_digest(model, rows), recorder)  # type: ignore[arg-type]
    for make in filters.FILTERS.values():
        make(listing)
    return recorder.entries


def _keyed(model: Any, rows: dict[str, list[dict[str, Any]]]) -> dict[tuple[str, str], tuple[str, dict[str, str]]]:
    """Each keyed job of the index → its key and its pages, completed as the build completes them."""
    listing = _listing(model, rows)
    digests = deps.plan_digests(model, rows)
    common = deps.common_digest(model, rows)
    described = metadata.page_descriptions(rows, model)
    out = {}
    for job in listing.jobs():
        found = deps.listing_deps(listing, digests, job)
        if found is not None:
            pages = {k: _described(k, v, described) for k, v in listing.pages_of(job).items()}
            out[job] = (deps.job_key(common, TODAY, BASE, found), pages)
    return out


def _edited(value: Any, how: int) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1 + how
    if isinstance(value, dt.date):
        return value + dt.timedelta(days=(how % 5 + 1) * (1 if how % 2 else -400))
    if isinstance(value, str):
        return (value + " sửa") if how % 2 else value[: max(0, len(value) // 2)]
    if isinstance(value, list):
        return list(reversed(value)) if how % 2 else value[:-1]
    return value


@st.composite
def edits(draw: st.DrawFn, rows: dict[str, list[dict[str, Any]]]) -> tuple[str, int, str | None, int]:
    """One edit of the rows: a field of a row changed, or (field None) a row removed (a plan withdrawn
    with its rows, a task with its units and updates)."""
    table = draw(st.sampled_from(sorted(name for name, found in rows.items() if found)))
    index = draw(st.integers(0, len(rows[table]) - 1))
    fields = sorted(k for k in rows[table][index] if k not in ("id", "plan_id", "task_id"))
    return table, index, draw(st.one_of(st.none(), st.sampled_from(fields))), draw(st.integers(0, 7))


def _removed(rows: dict[str, list[dict[str, Any]]], table: str, index: int) -> None:
    gone = rows[table].pop(index)
    if table in ("plans", "tasks"):
        key = ("plan_id", gone["id"]) if table == "plans" else ("task_id", gone["id"])
        for name, found in rows.items():
            rows[name] = [
                r
                for r in found
                if r.get(key[0]) != key[1] or (table == "tasks" and r.get("plan_id") != gone["plan_id"])
            ]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_job_whose_key_is_unchanged_makes_the_same_pages(corpus, data):
    """The audit of :func:`.deps.listing_deps`, tested: whatever one edit of any table changes, a
    job keeps its key only if its pages are byte for byte the same (cards cut at 3 rows and shards
    at 4, so the lists have several pages, stretches and shards)."""
    model, rows = corpus
    with pytest.MonkeyPatch.context() as m:
        m.setattr(cards, "PER_PAGE", 3)
        m.setattr(Listing, "PAGES_PER_JOB", 2)
        m.setattr(shards, "CHUNK", 4)  # a plan's tasks over several shards
        before, kept = _keyed(model, rows), _shards(model, rows)
        table, index, field, how = data.draw(edits(rows))
        changed = copy.deepcopy(rows)
        if field is None:
            _removed(changed, table, index)
        else:
            row = changed[table][index]
            row[field] = _edited(row[field], how)
        try:
            after, shards_after = _keyed(model, changed), _shards(model, changed)
        except (KeyError, TypeError, ValueError, AttributeError):
            assume(False)  # an edit the validation refuses (a type the schema does not allow)
    assert before, "no job is keyed"
    for job, (key, pages) in after.items():
        if job in before and before[job][0] == key:
            assert before[job][1] == pages, (job, table, field)
    assert sum('"counts"' in v for v in kept.values()) > 5, "no shard is keyed"
    for key, entry in shards_after.items():
        assert kept.get(key, entry) == entry, (key, table, field)


def test_the_digests_follow_a_plans_rows_and_the_common_tables(corpus):
    model, rows = corpus
    digests = deps.plan_digests(model, rows)
    common = deps.common_digest(model, rows)
    assert len(digests) == len(rows["plans"]) and len(set(digests.values())) == len(digests)
    changed = copy.deepcopy(rows)
    task = changed["tasks"][0]
    task["text"] += " (sửa)"
    after = deps.plan_digests(model, changed)
    assert {p for p in digests if digests[p] != after[p]} == {task["plan_id"]}
    assert deps.common_digest(model, changed) == common
    changed["units"][0]["name"] += " mới"
    assert deps.common_digest(model, changed) != common and deps.plan_digests(model, changed) == after


# --- in the build ---------------------------------------------------------------------------------


@pytest.fixture
def build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    monkeypatch.setenv("CONGKHAI_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("CONGKHAI_CACHE_KEY", raising=False)
    monkeypatch.setenv("CONGKHAI_WORKERS", "1")  # the jobs run here: their count is seen

    def run(repo: Path, out: Path, cache: bool = True) -> int:
        with monkeypatch.context() as m:
            if not cache:
                m.setenv("CONGKHAI_CACHE", "off")
            deps.SKIPPED[0] = 0
            code = main(["build", "--root", str(repo), "--out", str(out)])
            publish_site.wait_removals()
            return code

    return run


def _keyed_jobs(repo: Path) -> int:
    v = validate(repo)
    listing = Listing(v.model, v.published)
    digests = deps.plan_digests(v.model, v.published)
    return sum(deps.listing_deps(listing, digests, job) is not None for job in listing.jobs())


def test_a_rebuild_skips_the_jobs_whose_plans_did_not_change_and_equals_a_clean_build(tmp_path, build):
    repo = copy_sources(tmp_path / "repo")
    keyed = _keyed_jobs(repo)
    assert keyed > 10
    assert build(repo, tmp_path / "site") == 0 and deps.SKIPPED[0] == 0  # nothing kept yet
    plan = repo / PLAN
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text + "\nMột đoạn được thêm sau khi ban hành.\n", encoding="utf-8")
    assert build(repo, tmp_path / "site") == 0
    assert deps.SKIPPED[0] == keyed  # its text is on no index page: every index job skipped
    plan.write_text(text.replace("title: ", "title: Đã sửa — ", 1), encoding="utf-8")
    assert build(repo, tmp_path / "site") == 0
    assert 0 < deps.SKIPPED[0] < keyed  # its lists, its bodies' and cited documents' pages made again
    unit_page = (tmp_path / "site" / "units" / "bac-kan-ubnd" / "index.html").read_text(encoding="utf-8")
    assert "Đã sửa" in unit_page
    assert build(repo, tmp_path / "clean", cache=False) == 0
    assert differences(tmp_path / "site", tmp_path / "clean") == []


def test_a_kept_page_that_is_not_what_its_entry_names_is_made_again(tmp_path, build):
    """The kept staging folder is data restored from elsewhere: a page's bytes must have the
    digest its (signed) entry names, or the job is rendered again."""
    repo = copy_sources(tmp_path / "repo")
    assert build(repo, tmp_path / "site") == 0
    kept = tmp_path / "cache" / "staged" / "units" / "bac-kan-ubnd.md"
    text = kept.read_bytes()
    kept.unlink()  # a new file: the published site's copy keeps its bytes
    kept.write_bytes(text.replace(b"# ", b"# <script>alert(1)</script>", 1))
    assert build(repo, tmp_path / "site") == 0
    assert 0 < deps.SKIPPED[0] < _keyed_jobs(repo)
    page = (tmp_path / "site" / "units" / "bac-kan-ubnd" / "index.html").read_bytes()
    assert b"alert(1)" not in page
    assert build(repo, tmp_path / "clean", cache=False) == 0
    assert differences(tmp_path / "site", tmp_path / "clean") == []


def test_a_kept_page_is_taken_only_from_inside_the_previous_folder(tmp_path):
    """An entry names paths (signed, but checked all the same): nothing outside the previous
    folder, no link, no other bytes."""
    import hashlib

    from congkhai.publish.site import Staging

    pages = tmp_path / "pages"
    (pages / "units").mkdir(parents=True)
    (pages / "units" / "a.md").write_bytes(b"# A\n")
    secret = tmp_path / "secret.md"
    secret.write_bytes(b"# A\n")
    (pages / "units" / "link.md").symlink_to(secret)
    sha = hashlib.sha256(b"# A\n").hexdigest()
    # the files the kept folder lists (a forged list names more than it holds: still checked)
    staging = Staging(pages, {"units/a.md", "units/link.md", "units/missing.md", "../secret.md", str(secret)})
    for path in ("../secret.md", str(secret), "units/link.md", "units/missing.md", "units/other.md"):
        assert not staging.keep(path, sha), path
    assert not staging.keep("units/a.md", hashlib.sha256(b"# B\n").hexdigest())
    assert staging.keep("units/a.md", sha) and (pages / "units" / "a.md").read_bytes() == b"# A\n"
    assert secret.exists() and staging.reused == 1


class _Damaged(_Recorder):
    """A render cache whose every entry is damaged (a keyed shard's entry is a JSON object)."""

    def get(self, key: str) -> str:  # type: ignore[override]
        return '{"text": 1, "rows": 0, "keys": [], "labels": [], "counts": []}'


def test_a_damaged_shard_entry_is_made_again(corpus):
    model, rows = corpus
    clean = _listing(model, rows)
    damaged = _Damaged()
    listing = _listing(model, rows, damaged)
    listing.keyed = deps.Keyed(deps.plan_digests(model, rows), deps.common_digest(model, rows), damaged)  # type: ignore[arg-type]
    for name in ("plans", "tasks"):  # the lists whose shards are keyed by what they read
        assert filters.FILTERS[name](listing) == filters.FILTERS[name](clean)
    assert any('"counts"' in v for v in damaged.entries.values())  # made again, and kept
