"""The SQLite database: tables, keys, full-text search with the site's folding, and the same
database served by Datasette (its Python API, no network) with its metadata file."""

from __future__ import annotations

import asyncio
import concurrent.futures
import copy
import json
import sqlite3
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from congkhai.render import sqlitedb
from tests.test_opendata import BAC_GIANG, BAC_KAN, CAN_THO, Seeds, load_seeds


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeds]:
    yield from load_seeds(tmp_path_factory)


@pytest.fixture(scope="module")
def db(seeds: Seeds, tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    path = tmp_path_factory.mktemp("sqlite") / sqlitedb.SQLITE
    path.write_bytes(sqlitedb.sqlite_file(seeds.model, seeds.rows, seeds.bodies))
    conn = sqlite3.connect(path)
    yield conn
    conn.close()


# --- SQLite ---


def test_sqlite_is_byte_deterministic(seeds: Seeds) -> None:
    first = sqlitedb.sqlite_file(seeds.model, seeds.rows, seeds.bodies)
    second = sqlitedb.sqlite_file(seeds.model, copy.deepcopy(seeds.rows), dict(seeds.bodies))
    assert first == second
    assert first.startswith(b"SQLite format 3\x00")
    assert int.from_bytes(first[16:18], "big") == 4096  # page size


def test_a_plans_folded_text_is_read_from_the_cache_when_unchanged(
    seeds: Seeds, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Folding every plan's full text was half of making the database: a rebuild folds only the
    changed text, and writes the same bytes as a build without the cache."""
    from congkhai.load.rendercache import DataCache

    cache = DataCache(tmp_path / "store", b"secret")
    bodies = {pid: body for pid, body in seeds.bodies.items() if body.strip()}
    assert len(bodies) >= 3
    folded: list[str] = []
    real = sqlitedb.indexed

    def counted(text: str) -> str:
        if any(text.strip() == body.strip() for body in bodies.values()):
            folded.append(text.strip())
        return real(text)

    monkeypatch.setattr(sqlitedb, "indexed", counted)
    clean = sqlitedb.sqlite_file(seeds.model, seeds.rows, seeds.bodies)
    assert len(folded) == len(bodies)  # (the probe sees every body)
    assert sqlitedb.sqlite_file(seeds.model, seeds.rows, seeds.bodies, cache) == clean
    folded.clear()
    changed = next(iter(bodies))
    edited = {**seeds.bodies, changed: seeds.bodies[changed] + "\n\nĐoạn thêm về Đảng ủy xã.\n"}
    bodies[changed] = edited[changed]
    warm = sqlitedb.sqlite_file(seeds.model, seeds.rows, edited, cache)
    assert folded == [edited[changed].strip()]
    assert warm == sqlitedb.sqlite_file(seeds.model, seeds.rows, edited)
    conn = sqlite3.connect(":memory:")
    conn.deserialize(warm)
    assert changed in sqlitedb.search(conn, "dang uy xa")
    # a damaged entry is folded again, not trusted
    for entry in (tmp_path / "store").rglob("*"):
        if entry.is_file():
            entry.write_bytes(entry.read_bytes()[:-3] + b'x"]')
    folded.clear()
    assert sqlitedb.sqlite_file(seeds.model, seeds.rows, edited, cache) == warm
    assert len(folded) == len(bodies)


def test_sqlite_tables_have_typed_columns_keys_and_every_row(seeds: Seeds, db: sqlite3.Connection) -> None:
    for table in seeds.model.tables.values():
        info = db.execute(f'PRAGMA table_info("{table.name}")').fetchall()
        assert [c[1] for c in info] == table.field_names + list(sqlitedb.EXTRA.get(table.name, ()))
        pk = [c[1] for c in sorted((c for c in info if c[5]), key=lambda c: c[5])]
        assert tuple(pk) == table.primary_key
        types = {c[1]: c[2] for c in info}
        for f in table.fields:
            assert types[f.name] == {"integer": "INTEGER", "boolean": "INTEGER", "number": "REAL"}.get(f.type, "TEXT")
        assert db.execute(f'SELECT count(*) FROM "{table.name}"').fetchone()[0] == len(seeds.rows[table.name])
        fk_columns = [r[3] for r in db.execute(f'PRAGMA foreign_key_list("{table.name}")')]
        assert sorted(fk_columns) == sorted(k for fk in table.foreign_keys for k in fk["fields"])
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("SELECT typeof(task_count) FROM plans LIMIT 1").fetchone()[0] == "integer"
    row = db.execute("SELECT number, symbol, joint FROM plans WHERE id = ?", (BAC_GIANG,)).fetchone()
    assert row == (72, "KHPH/KDV-UBND", 1)


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("dan van kheo", BAC_KAN),
        ("Dân vận khéo", BAC_KAN),
        (unicodedata.normalize("NFD", "Dân vận khéo"), BAC_KAN),
        ("dang uy", BAC_GIANG),
        ("Đảng ủy", BAC_GIANG),
        ("72-KHPH/KDV-UBND", BAC_GIANG),
        ("276/UBND-NCPC", BAC_KAN),
        ("33/CT-TTg", CAN_THO),
    ],
)
def test_full_text_search_without_accents_and_by_number(db: sqlite3.Connection, query: str, first: str) -> None:
    assert sqlitedb.search(db, query)[0] == first


def test_numbers_match_as_whole_tokens(db: sqlite3.Connection) -> None:
    assert sqlitedb.search(db, "72-KHPH/KDV-UBND") == [BAC_GIANG]
    assert sqlitedb.search(db, "276/UBND-NCPC") == [BAC_KAN]
    assert sqlitedb.search(db, "") == []
    assert sqlitedb.search(db, 'a"b OR NOT') == []  # FTS5 syntax is quoted away


def test_documented_query_works_in_plain_sql(db: sqlite3.Connection) -> None:
    """What a reader types in sqlite3 or Datasette, without the Python helper."""
    for q in ("dan van kheo", "dang uy", "Đảng ủy", '"72-KHPH/KDV-UBND"'):
        ids = [r[0] for r in db.execute(sqlitedb.SEARCH_SQL, {"q": q})]
        assert ids, q
    assert [r[0] for r in db.execute(sqlitedb.SEARCH_SQL, {"q": '"72-KHPH/KDV-UBND"'})] == [BAC_GIANG]
    about = dict(db.execute("SELECT key, value FROM _about"))
    assert sqlitedb.SEARCH_SQL in about["search"]
    assert about["publisher"] == "Công khai"


def test_list_columns_are_json_arrays(seeds: Seeds, db: sqlite3.Connection) -> None:
    topics = {pid: json.loads(t) for pid, t in db.execute("SELECT id, topics FROM plans WHERE topics IS NOT NULL")}
    expected = {str(p["id"]): list(p["topics"]) for p in seeds.rows["plans"] if p.get("topics")}
    assert topics == expected and topics
    assert db.execute("SELECT count(*) FROM plans, json_each(plans.topics)").fetchone()[0] == sum(
        len(t) for t in expected.values()
    )


def test_full_text_tables_use_the_layout_datasette_detects(db: sqlite3.Connection) -> None:
    """Datasette finds ``<table>_fts`` by ``content="<table>"``; its rowids are the table's."""
    from datasette.utils import detect_fts

    for table in sqlitedb.FTS:
        assert detect_fts(db, table) == f"{table}_fts"
        assert (
            db.execute(f"SELECT count(*) FROM {table}_fts").fetchone()[0]
            == db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        )


def test_d_with_stroke_folds_to_d(db: sqlite3.Connection) -> None:
    """unicode61 with remove_diacritics 2 keeps đ apart from d: the folded copy finds it."""
    raw = sqlite3.connect(":memory:")
    raw.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'unicode61 remove_diacritics 2')")
    raw.execute("INSERT INTO t VALUES ('Đảng ủy')")
    assert raw.execute("SELECT count(*) FROM t WHERE t MATCH 'dang'").fetchone()[0] == 0  # the tokenizer alone
    hit = "SELECT p.id FROM plans_fts JOIN plans p ON p.rowid = plans_fts.rowid WHERE plans_fts MATCH ?"
    assert BAC_GIANG in [r[0] for r in db.execute(hit, ['"dang" "uy"'])]
    tasks = "SELECT count(*) FROM tasks_fts WHERE tasks_fts MATCH ?"
    assert db.execute(tasks, ['"dang"']).fetchone()[0] == db.execute(tasks, ['"đang"']).fetchone()[0] > 0


def test_views_answer(db: sqlite3.Connection) -> None:
    by_province = db.execute("SELECT province, issue_year, plans FROM plans_by_province_year").fetchall()
    assert ("bac-giang", 2024, 1) in by_province
    assert sum(r[2] for r in by_province) == db.execute("SELECT count(*) FROM plans").fetchone()[0]
    cited = db.execute("SELECT id, citing_plans FROM most_cited_documents").fetchall()
    assert cited[0] == ("33-ct-ttg-2021", 4)
    overdue = db.execute("SELECT due_date, status FROM overdue_tasks").fetchall()
    assert overdue and all(status not in ("done", "cancelled") for _, status in overdue)


def _datasette(seeds: Seeds, tmp_path: Path) -> Any:
    from datasette.app import Datasette

    files = sqlitedb.datasette_files(seeds.model, seeds.rows, seeds.bodies, "https://example.org/ck/")
    (tmp_path / sqlitedb.SQLITE).write_bytes(files[sqlitedb.SQLITE])
    metadata = json.loads(files[sqlitedb.SQLITE_METADATA])
    return Datasette([str(tmp_path / sqlitedb.SQLITE)], metadata=metadata), metadata


def test_datasette_serves_search_facets_views_and_metadata(seeds: Seeds, tmp_path: Path) -> None:
    ds, metadata = _datasette(seeds, tmp_path)
    db = sqlitedb.DATABASE

    async def get(path: str) -> Any:
        r = await ds.client.get(path)
        assert r.status_code == 200, (path, r.text[:500])
        return r

    async def run() -> None:
        found = (await get(f"/{db}/plans.json?_search=dan+van+kheo&_shape=array")).json()
        assert BAC_KAN in [p["id"] for p in found]
        found = (await get(f"/{db}/plans.json?_search=ncpc&_shape=array")).json()
        assert [p["id"] for p in found] == [BAC_KAN]
        assert (await get(f"/{db}/plans.json?_search=khong+co+dau+nao+xyzzy&_shape=array")).json() == []
        found = (await get(f"/{db}/plans.json?_search_title=dang+uy&_shape=array")).json()
        assert [p["id"] for p in found] == [BAC_GIANG]
        facet = (await get(f"/{db}/plans.json?_facet_array=topics&_size=0")).json()
        values = {v["value"]: v["count"] for v in facet["facet_results"]["topics"]["results"]}
        plans = seeds.rows["plans"]
        assert values and all(values[t] == sum(t in (p.get("topics") or []) for p in plans) for t in values)
        tasks = (await get(f"/{db}/tasks.json?_search=dan+van&_size=1")).json()
        assert tasks["filtered_table_rows_count"] > 0
        cited = (await get(f"/{db}/most_cited_documents.json?_shape=array")).json()
        assert cited[0]["id"] == "33-ct-ttg-2021"
        query = (await get(f"/{db}/tim_ke_hoach.json?q=dan+van+kheo&_shape=array")).json()
        assert query[0]["id"] == BAC_KAN
        home = (await get("/")).text
        assert metadata["title"] in home and metadata["license"] in home
        page = (await get(f"/{db}/plans")).text
        assert seeds.model.tables["plans"].title in page

    # in its own thread: in the whole suite the browser tests' Playwright session keeps an event
    # loop running in this one, and asyncio.run() refuses to start another beside it
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, run()).result()


def test_datasette_metadata_names_every_table_column_and_view(seeds: Seeds) -> None:
    meta = sqlitedb.datasette_metadata(seeds.model, None)
    assert meta["license_url"] == "/data/#dieu-khoan-su-dung" and meta["source"] == "Công khai"
    tables = meta["databases"][sqlitedb.DATABASE]["tables"]
    for table in seeds.model.tables.values():
        assert tables[table.name]["title"] == table.title
        assert set(tables[table.name]["columns"]) == set(table.field_names) | set(sqlitedb.EXTRA.get(table.name, ()))
        f = table.fields[0]
        assert tables[table.name]["columns"][f.name].startswith(f.title)
    assert set(sqlitedb.VIEWS) <= set(tables)
    absolute = sqlitedb.datasette_metadata(seeds.model, "https://example.org/ck/")
    assert absolute["license_url"] == "https://example.org/ck/data/#dieu-khoan-su-dung"


def _site_search_cases() -> list[tuple[str, str]]:
    from tests.browser.test_search import CASES

    return CASES


@pytest.mark.parametrize(("query", "plan"), _site_search_cases())
def test_sqlite_finds_what_the_site_search_finds(db: sqlite3.Connection, query: str, plan: str) -> None:
    """The site search's own examples (tests/browser/test_search.py): the same plan is found in
    SQLite, by the documented query and by Datasette's ``_search`` (its quoting, no folding)."""
    assert plan in sqlitedb.search(db, query), query
    from datasette.utils import escape_fts

    datasette = "SELECT p.id FROM plans p WHERE rowid IN (SELECT rowid FROM plans_fts WHERE plans_fts MATCH ?)"
    assert plan in [r[0] for r in db.execute(datasette, [escape_fts(query)])], query
