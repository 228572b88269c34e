"""The open-data extras: Excel CSV, SQLite with full-text search, data dictionary, data page, changes.

``python -m tests.test_opendata`` rewrites the golden data dictionary after a deliberate schema change.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import sqlite3
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import given, settings

from congkhai.model.schemas import Model, load_model
from congkhai.read.records import Row
from congkhai.render import datasets, opendata
from congkhai.render.pages import esc
from tests.test_datasets import _tricky, runs_as_formula

GOLDEN_DIR = Path(__file__).resolve().parent / "golden" / "opendata"
BAC_GIANG = "bac-giang-tp-bac-giang-dinh-ke-2024-72-khph-kdv-ubnd"
BAC_KAN = "bac-kan-2023-276-ubnd-ncpc"
CAN_THO = "can-tho-thuc-hien-chi-thi-33-ct-ttg"


@dataclass
class Seeds:
    root: Path
    model: Model
    rows: dict[str, list[Row]]
    bodies: dict[str, str]
    files: dict[str, bytes]


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeds]:
    from congkhai.load.corpus import validate
    from tests.conftest import FIXED_EPOCH, copy_sources

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
        repo = copy_sources(tmp_path_factory.mktemp("opendata") / "repo")
        v = validate(repo)
        assert not v.errors, [f.code for f in v.errors]
        rows = v.published
        bodies = {s.data["id"]: s.body for s in v.sources if s.data}
        files = datasets.render(v.model, v.published, v.modified)
        yield Seeds(repo, v.model, rows, bodies, files)


@pytest.fixture(scope="module")
def db(seeds: Seeds, tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    path = tmp_path_factory.mktemp("sqlite") / opendata.SQLITE_NAME
    path.write_bytes(opendata.sqlite_file(seeds.model, seeds.rows, seeds.bodies))
    conn = sqlite3.connect(path)
    yield conn
    conn.close()


# --- Excel ---


def test_excel_files_have_bom_crlf_and_round_trip(seeds: Seeds) -> None:
    files = opendata.excel_files(seeds.model, seeds.rows)
    assert sorted(files) == sorted(f"excel/{t}.csv" for t in seeds.model.tables)
    for table in seeds.model.tables.values():
        data = files[f"excel/{table.name}.csv"]
        assert data.startswith(b"\xef\xbb\xbf")
        text = data.decode("utf-8-sig")
        assert text.endswith("\r\n") and text.count("\r\n") >= len(seeds.rows[table.name]) + 1
        plain = list(csv.reader(io.StringIO(seeds.files[f"{table.name}.csv"].decode("utf-8"), newline="")))
        excel = list(csv.reader(io.StringIO(text, newline="")))
        assert excel[0] == table.field_names
        types = [f.type for f in table.fields]
        assert excel == [plain[0]] + [
            [datasets.safe_cell(c, t) for c, t in zip(r, types, strict=True)] for r in plain[1:]
        ]
        assert len(excel) == len(seeds.rows[table.name]) + 1
    assert "Đảng ủy" in files["excel/plans.csv"].decode("utf-8-sig")


def test_excel_files_are_deterministic(seeds: Seeds) -> None:
    assert opendata.excel_files(seeds.model, seeds.rows) == opendata.excel_files(seeds.model, seeds.rows)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+1", "'+1"),
        ("-x", "'-x"),
        ("@a", "'@a"),
        (" =1+1", "' =1+1"),
        ("\u00a0\u3000@a", "'\u00a0\u3000@a"),
        ("\n=1", "'\n=1"),
        ("\tx", "'\tx"),
        ("＝1+1", "'＝1+1"),
        ("＠a", "'＠a"),
        ("'=1", "'=1"),
        ("Đảng ủy", "Đảng ủy"),
        (" Đảng ủy", " Đảng ủy"),
        ("", ""),
    ],
)
def test_excel_cells_are_never_formulas(seeds: Seeds, cell: str, expected: str) -> None:
    tasks = seeds.model.tables["tasks"]
    row = dict(next(r for r in seeds.rows["tasks"]), text=cell)
    excel = list(csv.reader(io.StringIO(opendata.excel_csv(tasks, [row]).decode("utf-8-sig"), newline="")))
    assert excel[1][tasks.field_names.index("text")] == expected


@settings(max_examples=300)
@given(_tricky)
def test_excel_copy_of_any_text_is_not_a_formula(cell: str) -> None:
    tasks = load_model().tables["tasks"]
    excel = list(csv.reader(io.StringIO(opendata.excel_csv(tasks, [{"text": cell}]).decode("utf-8-sig"), newline="")))
    out = excel[1][tasks.field_names.index("text")]
    assert not runs_as_formula(out) and out in (cell, "'" + cell)


def test_excel_copy_keeps_negative_numbers_of_number_columns(seeds: Seeds) -> None:
    """Only text is neutralised: an integer column's -5 stays a number (the schema says which)."""
    plans = seeds.model.tables["plans"]
    number = next(f.name for f in plans.fields if f.type == "integer" and not f.derived)
    text = next(f.name for f in plans.fields if f.type == "string" and f.name != "id")
    row = dict(seeds.rows["plans"][0], **{number: -5, text: "-5"})
    excel = list(csv.reader(io.StringIO(opendata.excel_csv(plans, [row]).decode("utf-8-sig"), newline="")))
    assert excel[1][plans.field_names.index(number)] == "-5"
    assert excel[1][plans.field_names.index(text)] == "'-5"


# --- SQLite ---


def test_sqlite_is_byte_deterministic(seeds: Seeds) -> None:
    first = opendata.sqlite_file(seeds.model, seeds.rows, seeds.bodies)
    second = opendata.sqlite_file(seeds.model, copy.deepcopy(seeds.rows), dict(seeds.bodies))
    assert first == second
    assert first.startswith(b"SQLite format 3\x00")
    assert int.from_bytes(first[16:18], "big") == 4096  # page size


def test_sqlite_tables_have_typed_columns_keys_and_every_row(seeds: Seeds, db: sqlite3.Connection) -> None:
    for table in seeds.model.tables.values():
        info = db.execute(f'PRAGMA table_info("{table.name}")').fetchall()
        assert [c[1] for c in info] == table.field_names
        pk = [c[1] for c in sorted((c for c in info if c[5]), key=lambda c: c[5])]
        assert tuple(pk) == table.primary_key
        types = {c[1]: c[2] for c in info}
        for f in table.fields:
            assert types[f.name] == {"integer": "INTEGER", "boolean": "INTEGER"}.get(f.type, "TEXT")
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
    assert opendata.search(db, query)[0] == first


def test_numbers_match_as_whole_tokens(db: sqlite3.Connection) -> None:
    assert opendata.search(db, "72-KHPH/KDV-UBND") == [BAC_GIANG]
    assert opendata.search(db, "276/UBND-NCPC") == [BAC_KAN]
    assert opendata.search(db, "") == []
    assert opendata.search(db, 'a"b OR NOT') == []  # FTS5 syntax is quoted away


def test_documented_query_works_in_plain_sql(db: sqlite3.Connection) -> None:
    """What a reader types in sqlite3 or Datasette, without the Python helper."""
    for q in ("dan van kheo", "dang uy", "Đảng ủy", '"72-KHPH/KDV-UBND"'):
        ids = [r[0] for r in db.execute(opendata.SEARCH_SQL, {"q": q})]
        assert ids, q
    assert [r[0] for r in db.execute(opendata.SEARCH_SQL, {"q": '"72-KHPH/KDV-UBND"'})] == [BAC_GIANG]
    about = dict(db.execute("SELECT key, value FROM _about"))
    assert opendata.SEARCH_SQL in about["search"]
    assert about["publisher"] == "Công khai"


# --- Data dictionary ---


def test_dictionary_lists_every_field_and_vocabulary_label(seeds: Seeds) -> None:
    model = seeds.model
    for lang in ("vi", "en"):
        md = opendata.data_dictionary_md(model, lang)
        sections = ("\n" + md).split("\n## ")
        for table in model.tables.values():
            section = next(s for s in sections if s.startswith(f"`{table.name}`"))
            assert esc(table.title) in section and esc(table.title_en) in section
            for f in table.fields:
                line = next(x for x in section.splitlines() if x.startswith(f"| `{f.name}` |"))
                assert esc(f.title) in line and esc(f.title_en) in line
                if f.description:
                    assert esc(f.description) in line and esc(f.description_en) in line
            for key in table.primary_key:
                assert f"`{key}`" in section.split("Primary key" if lang == "en" else "Khóa chính")[1].splitlines()[0]
        for vocab in model.vocabularies.values():
            assert f"{{#{opendata._vocab_anchor(vocab.name)}}}" in md
            for code, labels in vocab.values.items():
                assert f"| `{code}` |" in md
                assert esc(labels["vi"]) in md and esc(labels["en"]) in md


def test_dictionary_page_matches_golden(seeds: Seeds) -> None:
    page = opendata.dictionary_page(seeds.model)
    assert page.startswith("---\ntitle: Từ điển dữ liệu\n---\n")
    assert page == (GOLDEN_DIR / "tu-dien.md").read_text(encoding="utf-8"), "run `python -m tests.test_opendata`"


# --- The data page ---


def _all_files(seeds: Seeds) -> dict[str, bytes]:
    files = dict(seeds.files)
    files.update(opendata.excel_files(seeds.model, seeds.rows))
    files[opendata.SQLITE_NAME] = opendata.sqlite_file(seeds.model, seeds.rows, seeds.bodies)
    return files


def test_data_page_lists_every_dataset_with_size_rows_and_links(seeds: Seeds) -> None:
    files = _all_files(seeds)
    page = opendata.data_page(seeds.model, seeds.rows, files, "CHANGES-HERE\n", "https://example.org/ck/")
    for table in seeds.model.tables.values():
        line = next(x for x in page.splitlines() if f"`{table.name}`" in x and x.startswith("| **"))
        assert f"| {len(seeds.rows[table.name])} |" in line.replace(".", "")
        assert f"({table.name}.csv)" in line and f"(excel/{table.name}.csv)" in line
        assert opendata.human_size(len(files[f"{table.name}.csv"])) in line
        assert f"`https://example.org/ck/data/{table.name}.csv`" in line
        url = quote(f"https://example.org/ck/data/{table.name}.csv", safe="")
        assert f"(https://lite.datasette.io/?csv={url})" in line
    for name in ("datapackage.json", "cong-khai.json", opendata.SQLITE_NAME):
        assert f"[{name}]({name}) ({opendata.human_size(len(files[name]))})" in page
    assert "## Điều khoản sử dụng {#dieu-khoan-su-dung}" in page
    assert "Nghị định 47/2020/NĐ-CP" in page
    citation = next(x for x in page.splitlines() if x.startswith("> Công khai"))
    assert esc(seeds.model.package["title"]) in citation and "22/11/2024" in citation
    assert "https://example.org/ck/data/" in citation
    assert "(tu-dien.md)" in page
    assert page.rstrip().endswith("CHANGES-HERE")
    assert "<script>" not in page


def test_data_page_and_dictionary_say_how_to_import_formula_like_text(seeds: Seeds) -> None:
    page = opendata.data_page(seeds.model, seeds.rows, _all_files(seeds), "", None)
    for md in (page, opendata.dictionary_page(seeds.model), opendata.data_dictionary_md(seeds.model, "en")):
        assert f"{{#{opendata.FORMULA_ANCHOR}}}" in md
        assert "`=`, `+`, `-`, `@`" in md and "`＝`" in md and "`dtype=str`" in md
        assert "`ke-hoach/<mã>-nhiem-vu.csv`" in md and "`excel/<bảng>.csv`" in md
        assert "dưới dạng văn bản" in md and "Import those columns as text" in md
    assert f"(#{opendata.FORMULA_ANCHOR})" in page


def test_data_page_without_site_url_fills_datasette_links_from_location(seeds: Seeds) -> None:
    page = opendata.data_page(seeds.model, seeds.rows, _all_files(seeds), "", None)
    assert '{ .datasette-lite data-csv="plans.csv" }' in page
    assert "encodeURIComponent(csv)" in page and "location.href" in page
    assert "`/data/plans.csv`" in page


@pytest.mark.parametrize(
    ("n", "text"), [(0, "0 byte"), (1023, "1023 byte"), (1024, "1,0 KB"), (12_600, "12,3 KB"), (5 * 1024**2, "5,0 MB")]
)
def test_human_size_is_vietnamese(n: int, text: str) -> None:
    assert opendata.human_size(n) == text


# --- What changed ---


def test_changes_first_publication_and_unchanged(seeds: Seeds) -> None:
    assert "lần công bố đầu tiên" in opendata.changes(None, seeds.files, seeds.model)
    assert "lần công bố đầu tiên" in opendata.changes({}, seeds.files, seeds.model)
    same = opendata.changes(dict(seeds.files), seeds.files, seeds.model, "du-lieu-2024-11-23")
    assert "không thay đổi" in same and "bản phát hành `du-lieu-2024-11-23`" in same


def test_changes_reports_rows_by_primary_key(seeds: Seeds) -> None:
    old_dir = dict(seeds.files)
    rows = copy.deepcopy(seeds.rows)
    gone = next(p for p in rows["plans"] if p["id"] == CAN_THO)
    rows["plans"].remove(gone)
    task = next(t for t in rows["tasks"] if t["plan_id"] == BAC_GIANG)
    task["text"] = "Nội dung đã sửa"
    rows["units"].append({"id": "zz-don-vi-moi", "name": "Đơn vị mới"})
    model = seeds.model
    new_files = {f"{t.name}.csv": datasets.csv_bytes(t, rows[t.name]) for t in model.tables.values()}
    meta = json.loads(seeds.files["datapackage.json"])
    meta["modified"] = "2025-01-02T00:00:00+00:00"
    meta["version"] = "2025.01.02"
    new_files["datapackage.json"] = json.dumps(meta).encode()
    md = opendata.changes(old_dir, new_files, model, "du-lieu-2024-11-23")
    assert md == opendata.changes(old_dir, new_files, model, "du-lieu-2024-11-23")
    assert "22/11/2024" in md and "02/01/2025" in md
    assert "bản phát hành `du-lieu-2024-11-23`" in md and "Phiên bản 2024.11.22 → 2025.01.02" in md
    assert f"| `plans` ({esc(model.tables['plans'].title)}) | 0 | 1 | 0 |" in md
    assert f"| `tasks` ({esc(model.tables['tasks'].title)}) | 0 | 0 | 1 |" in md
    assert f"| `units` ({esc(model.tables['units'].title)}) | 1 | 0 | 0 |" in md
    plans = md.split("### `plans`")[1].split("###")[0]
    assert f"`{CAN_THO}` — {esc(gone['title'])}" in plans and "Bớt 1 dòng" in plans
    tasks = md.split("### `tasks`")[1].split("###")[0]
    assert f"`{BAC_GIANG}`, `{esc(task['id'])}` (cột `text`)" in tasks
    assert "`zz-don-vi-moi`" in md.split("### `units`")[1]
    assert "### `citations`" not in md  # unchanged tables are not listed


def regenerate_golden() -> None:
    """Rewrite ``tests/golden/opendata/`` after a deliberate change; review the diff."""
    GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
    (GOLDEN_DIR / "tu-dien.md").write_text(opendata.dictionary_page(load_model()), encoding="utf-8")
    print(f"wrote {GOLDEN_DIR / 'tu-dien.md'}")


if __name__ == "__main__":
    regenerate_golden()
