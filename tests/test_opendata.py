"""The open-data pages: data dictionary, data page, changes (the files: test_workbook, test_sqlitedb).

``python -m tests.test_opendata`` rewrites the golden data dictionary after a deliberate schema change.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

from congkhai.model import sitemap
from congkhai.model.schemas import Model, load_model
from congkhai.read.records import Row
from congkhai.render import datasets, opendata, sqlitedb, workbook
from congkhai.render.pages import esc

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


def load_seeds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeds]:
    """The seed plans validated, published and rendered as datasets (shared by the files' tests)."""
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
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeds]:
    yield from load_seeds(tmp_path_factory)


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
    files.update(workbook.excel_files(seeds.model, seeds.rows))
    files[sitemap.WORKBOOK] = workbook.workbook_bytes(seeds.model, seeds.rows, None)
    files.update(sqlitedb.datasette_files(seeds.model, seeds.rows, seeds.bodies, None))
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
    for name in ("datapackage.json", "cong-khai.json", sitemap.SQLITE, sitemap.SQLITE_METADATA, sitemap.WORKBOOK):
        assert f"[{name}]({name}) ({opendata.human_size(len(files[name]))})" in page
    assert "## Điều khoản sử dụng {#dieu-khoan-su-dung}" in page
    assert "{#tep-excel}" in page and "`https://example.org/ck/data/cong-khai.xlsx`" in page
    assert "dấu chấm phẩy `;`" in page and "RFC 4180" in page  # the two CSV dialects, explained
    assert "?_search=dan van" in page and "_facet_array=topics" in page
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
