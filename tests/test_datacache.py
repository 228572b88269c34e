"""The data files made from each plan's part, cached by the hash of its rows: a warm build after a
one-plan change equals a clean one byte for byte (CSVs, copies for spreadsheets, bundles, the
workbook) and re-makes only that plan's part; a change of
each kind of input (the plan's row, its rows of each table, the tables' fields) makes it again; a
tampered entry is made again; a table whose plan rows are not together is written whole."""

from __future__ import annotations

import copy
import dataclasses
import time
import weakref
from pathlib import Path
from typing import Any

import pytest

from congkhai.load.corpus import validate
from congkhai.load.rendercache import data_cache, prune_unused
from congkhai.model import sitemap
from congkhai.model.schemas import Model
from congkhai.read.history import Release
from congkhai.render import datacache, datasets, opendata, sqlitedb, workbook
from congkhai.render.datacache import DataParts
from congkhai.render.site import render_site
from tests.conftest import copy_sources

PLAN = Path("docs/plans/bac-kan/bac-kan-2023-276-ubnd-ncpc.md")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1732233600")
    monkeypatch.setenv("CONGKHAI_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("CONGKHAI_WORKERS", "1")  # the data side runs in this process: its counter is ours
    monkeypatch.delenv("CONGKHAI_CACHE_KEY", raising=False)
    return copy_sources(tmp_path / "repo")


def _files(root: Path) -> dict[str, bytes]:
    return render_site(validate(root), None, None)[0]


def test_a_warm_build_after_a_one_plan_change_has_a_clean_builds_data_files(repo: Path, monkeypatch) -> None:
    first = _files(repo)
    plans = len(validate(repo).published["plans"])
    assert plans > 1
    before = datacache.RENDERS[0]
    assert _files(repo) == first
    assert datacache.RENDERS[0] == before  # nothing changed: every plan's part from the cache
    path = repo / PLAN
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: ", "title: Sửa đổi ", 1) + "\nMột dòng thêm.\n", encoding="utf-8")
    before = datacache.RENDERS[0]
    warm = _files(repo)
    assert datacache.RENDERS[0] - before == 1  # only the changed plan's part
    with monkeypatch.context() as m:
        m.setenv("CONGKHAI_CACHE", "off")
        clean = _files(repo)
    assert sorted(warm) == sorted(clean)
    for name in clean:
        assert warm[name] == clean[name], name
    assert warm["plans.csv"] != first["plans.csv"]


# --- Each kind of input a part is made from, changed: the warm files are the clean ones ----------


def _made(model: Model, rows: dict[str, list[Any]], cache: Any) -> dict[str, bytes]:
    parts = DataParts(model, rows, cache)
    out = {f"{t.name}.csv": parts.table_csv(t) for t in model.tables.values()}
    out.update(parts.excel_files())
    out.update(parts.bundles())
    out["cong-khai.xlsx"] = workbook.workbook_bytes(model, rows, None, parts.sheet_parts)
    return out


def _whole(model: Model, rows: dict[str, list[Any]]) -> dict[str, bytes]:
    """The same files as the code without parts writes them."""
    out = {f"{t.name}.csv": datasets.csv_bytes(t, rows[t.name]) for t in model.tables.values()}
    out.update(workbook.excel_files(model, rows))
    out.update(datasets.plan_bundles(model, rows))
    out["cong-khai.xlsx"] = workbook.workbook_bytes(model, rows, None)
    return out


def _edit_plan(rows: dict[str, list[Any]]) -> None:
    rows["plans"][0]["title"] = "=Tiêu đề đã sửa"


def _edit_child(table: str) -> Any:
    def edit(rows: dict[str, list[Any]]) -> None:
        row = rows[table][0]
        field = next(k for k, v in row.items() if isinstance(v, str) and k not in ("plan_id", "id"))
        row[field] = "-" + row[field] + " đã sửa"

    return edit


CHILDREN = ("issuers", "signers", "recipients", "tasks", "task_units", "citations", "compliance", "directory")


@pytest.mark.parametrize("edit", [_edit_plan, *(_edit_child(t) for t in CHILDREN)], ids=["plans", *CHILDREN])
def test_a_changed_row_makes_its_plans_part_again(repo: Path, edit: Any) -> None:
    corpus = validate(repo)
    model, cache = corpus.model, data_cache(repo)
    rows = copy.deepcopy({k: list(v) for k, v in corpus.published.items()})
    first = _made(model, rows, cache)
    assert first == _whole(model, rows)
    edit(rows)
    before = datacache.RENDERS[0]
    warm = _made(model, rows, cache)
    assert datacache.RENDERS[0] - before == 1
    assert warm == _whole(model, rows)
    assert warm != first


def test_changed_fields_of_a_table_make_every_part_again(repo: Path) -> None:
    corpus = validate(repo)
    rows, cache = corpus.published, data_cache(repo)
    _made(corpus.model, rows, cache)
    tasks = corpus.model.tables["tasks"]
    turned = dataclasses.replace(tasks, fields=tuple(reversed(tasks.fields)))
    model = dataclasses.replace(corpus.model, tables={**corpus.model.tables, "tasks": turned})
    before = datacache.RENDERS[0]
    assert _made(model, rows, cache) == _whole(model, rows)
    assert datacache.RENDERS[0] - before == len({str(p["id"]) for p in rows["plans"]})


def test_tampered_entries_are_made_again(repo: Path) -> None:
    corpus = validate(repo)
    cache = data_cache(repo)
    assert cache is not None
    first = _made(corpus.model, corpus.published, cache)
    entries = [e for e in (cache.store / "data").rglob("*") if e.is_file()]
    assert entries
    for entry in entries:  # a part replaced, MAC kept: not ours any more
        raw = entry.read_bytes()
        assert b"\r\n" in raw  # the CSV lines, kept as their bytes
        entry.write_bytes(raw.replace(b"\r\n", b"\r\n=cmd|' /C calc'!A0,", 1))
    before = datacache.RENDERS[0]
    assert _made(corpus.model, corpus.published, cache) == first
    assert datacache.RENDERS[0] - before == len(entries)


def _sqlite(model: Model, rows: dict[str, list[Any]], bodies: dict[str, str], tmp: Path, parts: Any = None) -> bytes:
    out = tmp / f"{len(list(tmp.iterdir()))}.sqlite"
    sqlitedb.write_sqlite(model, rows, bodies, out, None, parts.fts_rows if parts is not None else None)
    return out.read_bytes()


def test_the_full_text_index_from_the_parts_is_the_clean_one(repo: Path, tmp_path: Path, monkeypatch) -> None:
    """Each plan's part holds what the SQLite file's full-text indexes hold of its rows and text
    (folded once, then read back): the database is the one made without parts, byte for byte, and a
    change of the plan's text alone makes its part again."""
    corpus = validate(repo)
    model, rows, bodies, cache = corpus.model, corpus.published, dict(corpus.bodies), data_cache(repo)
    (tmp_path / "db").mkdir()
    clean = _sqlite(model, rows, bodies, tmp_path / "db")
    assert _sqlite(model, rows, bodies, tmp_path / "db", DataParts(model, rows, cache, bodies=bodies)) == clean
    before = datacache.RENDERS[0]
    warm = DataParts(model, rows, cache, bodies=bodies)
    assert datacache.RENDERS[0] == before  # every part read back
    with monkeypatch.context() as m:  # the plans' texts are not folded again: the parts hold them
        m.setattr(sqlitedb, "indexed_body", lambda *a: pytest.fail("folded again"))
        assert _sqlite(model, rows, bodies, tmp_path / "db", warm) == clean
    pid = str(rows["plans"][0]["id"])
    bodies[pid] += "\nMột đoạn thêm: hòa giải ở cơ sở.\n"
    changed = _sqlite(model, rows, bodies, tmp_path / "db")
    assert changed != clean
    before = datacache.RENDERS[0]
    assert _sqlite(model, rows, bodies, tmp_path / "db", DataParts(model, rows, cache, bodies=bodies)) == changed
    assert datacache.RENDERS[0] - before == 1  # the text is in the part's key


def test_the_json_export_from_the_parts_is_the_one_written_row_by_row(repo: Path, monkeypatch) -> None:
    """Each plan's part holds its rows as the JSON export writes them: the export copied from the
    parts (cold, then read back from the cache) is the one dumped row by row, byte for byte."""
    import io

    corpus = validate(repo)
    model, rows, cache = corpus.model, corpus.published, data_cache(repo)

    def export(parts: Any) -> bytes:
        out = io.BytesIO()
        datasets.write_export(out, model, rows, "2024-11-22", parts.export_file if parts is not None else None)
        return out.getvalue()

    whole = export(None)
    assert export(DataParts(model, rows, cache)) == whole
    warm = DataParts(model, rows, cache)
    dumped: list[Any] = []
    real = datasets._row_json
    with monkeypatch.context() as m:  # the plans' rows are not dumped again: the parts hold them
        m.setattr(datasets, "_row_json", lambda items: dumped.append(items) or real(items))
        assert export(warm) == whole
    assert warm.streamed >= {"plans", "tasks"}
    assert len(dumped) == sum(len(rows[t]) for t in model.tables if t not in warm.streamed)
    assert whole.count(b'"plan_id"') == sum(len(v) for k, v in rows.items() if k != "plans" and v and "plan_id" in v[0])


def test_a_damaged_part_is_refused(repo: Path) -> None:
    corpus = validate(repo)
    rows = corpus.published
    plan = rows["plans"][0]
    children = {"tasks": [t for t in rows["tasks"] if t["plan_id"] == plan["id"]]}
    part = datacache.plan_data(corpus.model, datacache.model_key(corpus.model), plan, children, None, "Văn bản")
    entry = datacache.to_entry(part)
    assert datacache.from_entry(entry) == part
    assert datacache.from_entry(entry + b"x") is None  # lengths must cover the texts exactly
    assert datacache.from_entry(entry[:-1]) is None
    assert datacache.from_entry(entry.replace(b'"fts"', b'"ftz"', 1)) is None
    assert datacache.from_entry(b"[]\n") is None and datacache.from_entry(b"no head") is None


def test_a_table_whose_plans_rows_are_apart_is_written_whole(repo: Path) -> None:
    corpus = validate(repo)
    rows = {k: list(v) for k, v in corpus.published.items()}
    tasks = rows["tasks"]
    ids = [str(t["plan_id"]) for t in tasks]
    i = next(i for i in range(len(ids) - 1) if ids[i] == ids[i + 1] and ids[i] != ids[-1])
    tasks.append(tasks.pop(i))  # a plan's task now comes last, after other plans' tasks
    parts = DataParts(corpus.model, rows, None)
    assert parts.runs["tasks"] is None
    made = _made(corpus.model, rows, data_cache(repo))
    assert made == _whole(corpus.model, rows)


def test_parts_no_build_used_are_pruned(repo: Path) -> None:
    """A changed plan leaves its old part behind: pruned after a build that did not use it."""
    corpus = validate(repo)
    cache = data_cache(repo)
    assert cache is not None
    _made(corpus.model, corpus.published, cache)
    entries = [e for e in (cache.store / "data").rglob("*") if e.is_file()]
    assert entries
    assert prune_unused(repo, time.time()) == 0  # all used by this build
    assert prune_unused(repo, time.time() + 60) >= len(entries)  # none used by a build starting later
    assert not any(e.exists() for e in entries)


def test_each_part_is_let_go_before_the_next_is_made(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The data side holds one plan's part at a time (issue 14's memory): each part's lines are
    appended to its tables' files on disk and the part let go before the next one is made or read —
    cold and warm — and the files assembled there are the clean ones."""
    corpus = validate(repo)
    model, rows, cache = corpus.model, corpus.published, data_cache(repo)
    alive: list[weakref.ref[Any]] = []
    made = datacache.plan_data

    def one_at_a_time(*args: Any, **kwargs: Any) -> datacache.PlanData:
        held = [r() for r in alive if r() is not None]
        assert not held, f"{len(held)} earlier parts still held"
        part = made(*args, **kwargs)
        alive.extend(weakref.ref(x) for x in (part, *part.sheets.values()))
        return part

    monkeypatch.setattr(datacache, "plan_data", one_at_a_time)
    for _ in ("cold", "warm"):
        alive.clear()
        assert _made(model, rows, cache) == _whole(model, rows)
        assert len(alive) > len(rows["plans"])
    parts = DataParts(model, rows, cache)
    assert not any(r() for r in alive)
    tasks = model.tables["tasks"]
    assert "tasks" in parts.streamed
    assert parts.table_file(tasks).read_bytes() == datasets.csv_bytes(tasks, rows["tasks"])


def test_what_changed_is_read_from_the_tables_written_on_disk(repo: Path) -> None:
    """The open-data page's "what changed" compares the previous release with the CSVs as written
    from the parts (read back from disk): the rows changed since are named."""
    corpus = validate(repo)
    model = corpus.model
    old_rows = copy.deepcopy({k: list(v) for k, v in corpus.published.items()})
    _edit_plan(old_rows)
    old = datasets.render(model, old_rows, None)
    release = Release("du-lieu-2024-11-23", "0" * 40, None)
    page = render_site(corpus, None, (release, old))[1][sitemap.DATA]
    said = opendata.changes(old, datasets.render(model, corpus.published, corpus.modified), model, release.tag)
    assert "(cột `title`)" in said and "`plans`" in said
    assert said.strip() in page


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_full_disk_met_writing_the_database_is_named_and_the_site_is_kept(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], workers: str
) -> None:
    """The SQLite file is made in a thread beside the workbook (and, with workers, in the data
    side's own process): its error is not lost there — the build stops with the file and the cause
    named, never "internal error", and the published site is the previous one."""
    import errno

    from congkhai.cli import main
    from congkhai.publish.site import wait_removals

    monkeypatch.setenv("CONGKHAI_WORKERS", workers)
    site = tmp_path / "site"
    assert main(["build", "--root", str(repo), "--out", str(site)]) == 0
    wait_removals()
    before = {p.relative_to(site): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}

    def full(model: Model, rows: Any, bodies: Any, out: Path, *args: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(out))

    monkeypatch.setattr(sqlitedb, "write_sqlite", full)
    capsys.readouterr()
    assert main(["build", "--root", str(repo), "--out", str(site)]) == 74
    wait_removals()
    err = capsys.readouterr().err
    assert "Lỗi nội bộ" not in err and "Traceback" not in err
    assert "db.sqlite" in err and "No space left on device" in err and "chỗ trống trên đĩa" in err
    assert {p.relative_to(site): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()} == before
