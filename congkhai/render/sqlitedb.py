"""The whole package as one SQLite database, ready for Datasette: ``cong-khai.sqlite`` and its
metadata file ``cong-khai.metadata.json``.

- Every table with typed columns, primary and foreign keys; list columns hold JSON arrays, so
  Datasette's ``_facet_array=topics`` and SQLite's ``json_each`` work.
- A full-text index for plans, tasks and cited documents in the layout Datasette detects for
  ``?_search=`` (``<table>_fts``, an FTS5 table with ``content="<table>"``, rowids shared with the
  table). Each indexed value is stored as printed and folded by ``text.fold`` — the site search's
  folding — with the ``unicode61 remove_diacritics 2`` tokenizer: "dan van" finds "dân vận", and
  "dang uy" finds "Đảng ủy" (no SQLite tokenizer folds đ to d; the folded copy does). The
  ``plans`` table has one column more than ``plans.csv``: ``body``, the plan's full text, which
  ``plans_fts`` indexes. (Reading ``<table>_fts`` gives the table's values, not the folded copies.)
- Views for common questions (``VIEWS``) and an ``_about`` table (title, terms, the search query).

Deterministic: the same rows give the same bytes (``VACUUM INTO`` a fresh file).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model import licence
from ..model.schemas import Field, Model, Table
from ..model.sitemap import DATA_DIR, SQLITE, SQLITE_METADATA
from ..read.records import Row
from ..vietnamese.text import fold

if TYPE_CHECKING:
    from ..load.rendercache import DataCache

PUBLISHER = "Công khai"
DATABASE = SQLITE.removesuffix(".sqlite")  # Datasette names a database by its file's stem
_SQL_TYPES = {"integer": "INTEGER", "boolean": "INTEGER", "number": "REAL"}
#: The full-text indexes: table → indexed columns (``body`` is the plan's full text).
FTS: dict[str, tuple[str, ...]] = {
    "plans": ("title", "number_symbol", "notes", "body"),
    "tasks": ("text", "lead", "partners", "section"),
    "directives": ("title", "name", "number_symbol", "issuer"),
}
#: Columns only the database has: each plan's full text (``body``), which its index covers — an
#: FTS5 table with ``content=`` reads its columns from that table, so every one must exist there.
EXTRA: dict[str, tuple[str, ...]] = {"plans": ("body",)}
BODY_TITLE = "Toàn văn kế hoạch (chỉ có trong SQLite)"
FTS_TABLE = "plans_fts"
FTS_WEIGHTS = (10.0, 10.0, 1.0, 1.0)  # bm25: titles and numbers weigh most
SEARCH_SQL = (
    f"SELECT p.id, p.number_symbol, p.title FROM {FTS_TABLE} JOIN plans p ON p.rowid = {FTS_TABLE}.rowid "
    f"WHERE {FTS_TABLE} MATCH :q ORDER BY bm25({FTS_TABLE}, {', '.join(str(w) for w in FTS_WEIGHTS)}), p.id"
)
#: Views for common questions: name → (title, SQL). Today is Viet Nam's date (UTC+7).
VIEWS: dict[str, tuple[str, str]] = {
    "plans_by_province_year": (
        "Số kế hoạch theo tỉnh và năm",
        "SELECT p.province, pr.name AS province_name, p.issue_year, count(*) AS plans\n"
        "FROM plans p LEFT JOIN provinces pr ON pr.id = p.province\n"
        "GROUP BY p.province, p.issue_year ORDER BY p.province, p.issue_year",
    ),
    "overdue_tasks": (
        "Nhiệm vụ quá hạn chưa hoàn thành",
        "SELECT t.plan_id, p.title AS plan_title, t.id, t.text, t.lead, t.due_date, t.status\n"
        "FROM tasks t JOIN plans p ON p.id = t.plan_id\n"
        "WHERE t.due_date < date('now', '+7 hours')\n"
        "  AND coalesce(t.status, '') NOT IN ('done', 'cancelled')\n"
        "ORDER BY t.due_date, t.plan_id, t.id",
    ),
    "most_cited_documents": (
        "Văn bản được trích dẫn nhiều nhất",
        "SELECT d.id, d.number_symbol, d.title, d.name, count(DISTINCT c.plan_id) AS citing_plans\n"
        "FROM citations c JOIN directives d ON d.id = c.directive\n"
        "GROUP BY d.id ORDER BY citing_plans DESC, d.id",
    ),
}


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sql_value(value: Any, f: Field) -> Any:
    """A cell as stored: lists as JSON arrays, booleans 0/1, integers as integers, else text."""
    if value is None or value == "" or value == []:
        return None
    if f.type == "list" or isinstance(value, list):
        items = value if isinstance(value, list) else str(value).split(";")
        return json.dumps([str(v) for v in items], ensure_ascii=False)
    if isinstance(value, bool):
        return int(value)
    if f.type == "integer":
        return int(value)
    if f.type == "boolean":
        return int(str(value) == "true")
    if f.type == "number":
        return float(value)
    return str(value)


def create_table_sql(table: Table, extra: tuple[str, ...] = ()) -> str:
    """``CREATE TABLE`` with the schema's columns, types and keys, then the ``extra`` text columns."""
    cols = [f"{_ident(f.name)} {_SQL_TYPES.get(f.type, 'TEXT')}" for f in table.fields]
    cols += [f"{_ident(name)} TEXT" for name in extra]
    if table.primary_key:
        cols.append(f"PRIMARY KEY ({', '.join(_ident(k) for k in table.primary_key)})")
    for fk in table.foreign_keys:
        ref = fk["reference"]
        cols.append(
            f"FOREIGN KEY ({', '.join(_ident(k) for k in fk['fields'])}) "
            f"REFERENCES {_ident(ref['resource'] or table.name)} ({', '.join(_ident(k) for k in ref['fields'])})"
        )
    return f"CREATE TABLE {_ident(table.name)} (\n  " + ",\n  ".join(cols) + "\n)"


def indexed(text: str) -> str:
    """A value as the full-text index holds it: as printed, then folded when that differs."""
    text = text.strip()
    folded = fold(text)
    return text if folded == text.casefold() else f"{text}\n{folded}"


def indexed_body(body: str, cache: DataCache | None) -> str:
    """:func:`indexed` of a plan's full text, read from ``cache`` by the hash of the text when it
    was folded before: folding every body was half of making the database (11 of 22 s at 10,000
    plans, in a rebuild after a one-plan change, where every other body is unchanged)."""
    if cache is None:
        return indexed(body)
    key = hashlib.sha256(b"fts-body\0" + body.encode("utf-8", "surrogatepass")).hexdigest()
    found = cache.get(key)
    if isinstance(found, list) and len(found) == 1 and isinstance(found[0], str):
        return found[0]
    made = indexed(body)
    cache.put(key, [made])
    return made


def fts_query(text: str) -> str:
    """A user's words as an FTS5 query: folded, each word a quoted phrase (so ``72-KHPH/KDV-UBND``
    is one whole token sequence and no character is FTS5 syntax), all words required — what
    Datasette's ``_search`` does, plus the folding."""
    words = fold(text).split()
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def search(conn: sqlite3.Connection, text: str) -> list[str]:
    """Plan ids matching ``text`` in the database, best first (titles and numbers weigh most)."""
    q = fts_query(text)
    if not q:
        return []
    return [r[0] for r in conn.execute(SEARCH_SQL, {"q": q})]


def _about(model: Model) -> list[tuple[str, str]]:
    meta = model.package
    return [
        ("title", meta["title"]),
        ("title_en", meta["x-title-en"]),
        ("publisher", PUBLISHER),
        ("terms_of_use", meta["x-terms-of-use"]["vi"].strip()),
        ("terms_of_use_en", meta["x-terms-of-use"]["en"].strip()),
        (
            "search",
            f"Tìm không dấu / accent-insensitive search: {SEARCH_SQL}  -- :q = 'dan van kheo', "
            "'\"dang uy\"' or '\"72-KHPH/KDV-UBND\"' (quote words holding - or /); "
            "Datasette: /cong-khai/plans?_search=dan+van",
        ),
    ]


def fts_values(name: str, row: Row, body: str = "") -> list[str]:
    """What the full-text index ``<name>_fts`` holds of ``row``: each of its columns :func:`indexed`,
    ``EXTRA``'s from ``body`` (the plan's full text). Made with each plan's part of the data files
    and cached with it (:mod:`.datacache`)."""
    extra = EXTRA.get(name, ())
    return [indexed(body) if c in extra else indexed(str(row.get(c) or "")) for c in FTS[name]]


def _fill_fts(
    conn: sqlite3.Connection,
    name: str,
    rows: list[Row],
    bodies: dict[str, str],
    cache: DataCache | None = None,
    values: Iterable[list[str]] | None = None,
) -> None:
    """The full-text index of table ``name``: ``values`` gives each row's (:func:`fts_values`, in the
    rows' order) when they were made before; else they are made here, the plans' texts folded or
    read from ``cache`` by the text's hash."""
    columns = FTS[name]
    fts = f"{name}_fts"
    conn.execute(
        f"CREATE VIRTUAL TABLE {_ident(fts)} USING fts5({', '.join(_ident(c) for c in columns)}, "
        f"content=\"{name}\", tokenize = 'unicode61 remove_diacritics 2')"
    )
    marks = ", ".join("?" for _ in columns)
    extra = EXTRA.get(name, ())
    if values is None:
        values = (
            [
                indexed_body(bodies.get(str(row["id"]), ""), cache) if c in extra else indexed(str(row.get(c) or ""))
                for c in columns
            ]
            for row in rows
        )
    conn.executemany(
        f"INSERT INTO {_ident(fts)} (rowid, {', '.join(_ident(c) for c in columns)}) VALUES (?, {marks})",
        ([rowid, *found] for rowid, (_, found) in enumerate(zip(rows, values, strict=True), start=1)),
    )
    conn.execute(f"INSERT INTO {_ident(fts)}({_ident(fts)}) VALUES ('optimize')")


def sqlite_file(
    model: Model, rows: dict[str, list[Row]], bodies: dict[str, str], cache: DataCache | None = None
) -> bytes:
    """The database's bytes (:func:`write_sqlite`)."""
    with tempfile.TemporaryDirectory(prefix="congkhai-sqlite-") as tmp:
        out = Path(tmp) / "out.sqlite"
        write_sqlite(model, rows, bodies, out, cache)
        return out.read_bytes()


def write_sqlite(
    model: Model,
    rows: dict[str, list[Row]],
    bodies: dict[str, str],
    out: Path,
    cache: DataCache | None = None,
    fts: Callable[[str], Iterator[list[str]] | None] | None = None,
) -> None:
    """The database, written to ``out`` (which must not exist): every table (rowids 1… in row
    order), the full-text indexes over ``FTS``, the ``VIEWS`` and ``_about``. ``SEARCH_SQL`` is the
    documented query. Built in a file beside, never in memory, and compacted into ``out``. With
    ``cache``, the plans' folded full texts are read from it where the text is unchanged; ``fts``
    gives a table's indexed values when they were made before (:meth:`.datacache.DataParts.fts_rows`)."""
    with tempfile.TemporaryDirectory(prefix="congkhai-sqlite-") as tmp:
        work = Path(tmp) / "work.sqlite"
        conn = sqlite3.connect(work)
        try:
            conn.execute("PRAGMA page_size = 4096")
            conn.execute("PRAGMA journal_mode = OFF")
            for table in model.tables.values():
                extra = EXTRA.get(table.name, ())
                conn.execute(create_table_sql(table, extra))
                names = ", ".join(_ident(n) for n in [*table.field_names, *extra])
                marks = ", ".join("?" for _ in [*table.fields, *extra])
                conn.executemany(
                    f"INSERT INTO {_ident(table.name)} (rowid, {names}) VALUES (?, {marks})",
                    (
                        [
                            i,
                            *(sql_value(r.get(f.name), f) for f in table.fields),
                            *(bodies.get(str(r["id"]), "").strip() or None for _ in extra),
                        ]
                        for i, r in enumerate(rows[table.name], start=1)
                    ),
                )
            for name in FTS:
                _fill_fts(conn, name, rows[name], bodies, cache, fts(name) if fts is not None else None)
            for name, (_, sql) in VIEWS.items():
                conn.execute(f"CREATE VIEW {_ident(name)} AS\n{sql}")
            conn.execute("CREATE TABLE _about (key TEXT PRIMARY KEY, value TEXT)")
            conn.executemany("INSERT INTO _about VALUES (?, ?)", _about(model))
            conn.commit()
            conn.execute("VACUUM INTO ?", (str(out),))
        finally:
            conn.close()


def _columns(table: Table) -> dict[str, str]:
    return {f.name: f"{f.title}. {f.description}".strip() if f.description else f.title for f in table.fields}


def datasette_metadata(model: Model, site_url: str | None) -> dict[str, Any]:
    """``cong-khai.metadata.json``: Datasette's metadata for the database — title, description,
    licence, source, each table's and view's title and column descriptions, the search as a
    canned query. ``datasette cong-khai.sqlite -m cong-khai.metadata.json``."""
    meta = model.package
    base = (site_url or "").rstrip("/")
    terms = licence.terms(meta)
    tables: dict[str, Any] = {}
    for table in model.tables.values():
        columns = _columns(table) | {name: BODY_TITLE for name in EXTRA.get(table.name, ())}
        entry: dict[str, Any] = {"title": table.title, "columns": columns}
        if table.descriptor.get("description"):
            entry["description"] = str(table.descriptor["description"]).strip()
        if table.name in FTS:
            entry["fts_table"] = f"{table.name}_fts"
        if table.name == "plans":
            entry["facets"] = ["province", "issue_year", {"array": "topics"}]
        tables[table.name] = entry
    for name, (title, _) in VIEWS.items():
        tables[name] = {"title": title}
    tables["_about"] = {"hidden": True}
    return {
        "title": meta["title"],
        "description": meta["description"].strip(),
        "license": terms.licence_title,
        "license_url": f"{base}/{terms.page_path()}",  # root-relative in a preview
        "source": PUBLISHER,
        "source_url": f"{base}/{DATA_DIR}/",
        "databases": {
            DATABASE: {
                "title": meta["title"],
                "description": meta["description"].strip(),
                "tables": tables,
                "queries": {
                    "tim_ke_hoach": {
                        "title": "Tìm kế hoạch (có dấu hay không dấu)",
                        "description": "Gõ từ cần tìm vào ô q, ví dụ: dan van kheo; số, ký hiệu đặt trong ngoặc kép.",
                        "sql": SEARCH_SQL,
                    }
                },
            }
        },
    }


def datasette_files(
    model: Model, rows: dict[str, list[Row]], bodies: dict[str, str], site_url: str | None
) -> dict[str, bytes]:
    """``cong-khai.sqlite`` and ``cong-khai.metadata.json``, by their names under ``/data/``."""
    return {SQLITE: sqlite_file(model, rows, bodies), SQLITE_METADATA: metadata_bytes(model, site_url)}


def metadata_bytes(model: Model, site_url: str | None) -> bytes:
    """``cong-khai.metadata.json`` (:func:`datasette_metadata`)."""
    return (json.dumps(datasette_metadata(model, site_url), ensure_ascii=False, indent=2) + "\n").encode()
