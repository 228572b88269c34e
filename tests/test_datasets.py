import csv
import io
import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
import yaml
from frictionless import Package
from hypothesis import example, given, settings
from hypothesis import strategies as st

from congkhai.load.corpus import validate
from congkhai.render import datasets
from tests.golden import GOLDEN, generate


def test_golden_files(seed_repo):
    files = generate(seed_repo)
    golden = {
        p.relative_to(GOLDEN).as_posix(): p.read_bytes()
        for p in GOLDEN.rglob("*")
        if p.is_file() and p.relative_to(GOLDEN).parts[0] in ("data", "pages")
    }
    assert sorted(files) == sorted(golden), "run `make golden` after a deliberate change"
    for name, data in files.items():
        assert data == golden[name], f"{name} differs from its golden file; run `make golden` and review"


def test_two_builds_are_byte_identical(seed_repo):
    assert generate(seed_repo) == generate(seed_repo)


def _written(repo: Path, out: Path) -> Path:
    v = validate(repo)
    datasets.write(datasets.render(v.model, v.published, v.modified), out)
    return out / "datapackage.json"


def test_frictionless_validates_the_written_package(seed_repo, tmp_path):
    report = Package(str(_written(seed_repo, tmp_path / "out"))).validate()
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])


def test_frictionless_catches_a_broken_foreign_key(seed_repo, tmp_path):
    """Proves the package declares its keys: a citation of an unknown document must fail."""
    descriptor = _written(seed_repo, tmp_path / "out")
    path = descriptor.parent / "citations.csv"
    text = path.read_text(encoding="utf-8").replace(",33-ct-ttg-2021,", ",99-ct-ttg-2099,", 1)
    path.write_text(text, encoding="utf-8")
    meta = json.loads(descriptor.read_text(encoding="utf-8"))
    for res in meta["resources"]:
        res.pop("hash"), res.pop("bytes")
    descriptor.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    report = Package(str(descriptor)).validate()
    assert not report.valid
    assert "foreign-key" in {e[0] for e in report.flatten(["type"])}


def test_frictionless_cli_validates(seed_repo, tmp_path):
    descriptor = _written(seed_repo, tmp_path / "out")
    proc = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", str(descriptor)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stdout[-2000:]


def test_every_plan_task_and_citation_is_published(seed_repo, tmp_path):
    import yaml

    out = _written(seed_repo, tmp_path / "out").parent

    def read(name: str) -> list[dict[str, str]]:
        return list(csv.DictReader(io.StringIO((out / name).read_text(encoding="utf-8"))))

    plans, tasks, cites = read("plans.csv"), read("tasks.csv"), read("citations.csv")
    for path in sorted((seed_repo / "docs" / "plans").rglob("*.md")):
        fm = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        assert fm["id"] in {p["id"] for p in plans}
        assert {t["id"] for t in fm["tasks"]} == {t["id"] for t in tasks if t["plan_id"] == fm["id"]}
        assert {c["directive"] for c in fm["citations"]} == {c["directive"] for c in cites if c["plan_id"] == fm["id"]}
    assert len(plans) == 5


def test_package_metadata(seed_repo, tmp_path):
    meta = json.loads(_written(seed_repo, tmp_path / "out").read_text(encoding="utf-8"))
    assert "47/2020" in meta["x-terms-of-use"]["source"]
    assert "ghi nguồn" in meta["x-terms-of-use"]["vi"]
    assert meta["modified"] == "2024-11-22T00:00:00+00:00"  # from SOURCE_DATE_EPOCH, not the clock
    names = [r["name"] for r in meta["resources"]]
    assert {"plans", "tasks", "directives", "citations"} <= set(names)
    tasks = next(r for r in meta["resources"] if r["name"] == "tasks")
    assert tasks["schema"]["primaryKey"] == ["plan_id", "id"]
    status = next(f for f in tasks["schema"]["fields"] if f["name"] == "status")
    assert "not_reported" in status["constraints"]["enum"]


@pytest.mark.parametrize("name", ["plans.csv", "tasks.csv"])
def test_csv_is_rfc4180_utf8(seed_repo, tmp_path, name):
    data = (_written(seed_repo, tmp_path / "out").parent / name).read_bytes()
    data.decode("utf-8")
    assert b"\r\n" in data and not data.startswith(b"\xef\xbb\xbf")


# --- Formula-safe spreadsheet copies (issue #10, item 6) ---

PAYLOADS = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(1)", " =1+1", "\n=1", "\t=1", "＝1+1", "\r=1"]


def runs_as_formula(cell: str) -> bool:
    """The test's own oracle, written apart from ``datasets.starts_formula``: a leading TAB/CR/LF, or
    after Unicode whitespace one of = + - @, their full-width forms, or a character folding to them."""
    if cell[:1] in ("\t", "\r", "\n"):
        return True
    head = cell.lstrip()[:1]
    return bool(head) and (head in "=+-@＝＋－＠−" or unicodedata.normalize("NFKC", head)[:1] in ("=", "+", "-", "@"))


_SPACES = " \t\r\n\u00a0\u2003\u3000\u200b\ufeff"
_SIGNS = "=+-@＝＋－＠﹦﹢⁺−"
# Any text, weighted towards what matters: whitespace, then a formula sign, then anything.
_tricky = st.one_of(
    st.text(
        alphabet=st.one_of(st.sampled_from(list(_SPACES + _SIGNS + "'")), st.characters(codec="utf-8")), max_size=12
    ),
    st.builds(
        lambda ws, sign, rest: ws + sign + rest,
        st.text(alphabet=_SPACES, max_size=3),
        st.sampled_from(list(_SIGNS)),
        st.text(alphabet=st.characters(codec="utf-8"), max_size=8),
    ),
)


@settings(max_examples=500)
@given(_tricky, st.sampled_from(["string", "list", "integer", "date", "boolean"]))
@example("-0", "integer")  # found by hypothesis: a negative number of a number column is kept
@example("-0", "string")
def test_safe_cell_never_starts_a_formula_and_is_lossless(cell: str, ftype: str) -> None:
    out = datasets.safe_cell(cell, ftype)
    if ftype == "integer" and re.fullmatch(r"-?[0-9]+", cell):
        assert out == cell  # "-0", "-5": a number of a number column stays a number (a spreadsheet adds it up)
    else:
        assert not runs_as_formula(out)
    assert out in (cell, "'" + cell)  # lossless: drop the one apostrophe added to get the value back
    assert datasets.safe_cell(out, ftype) == out  # idempotent


@given(st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1), st.text())
def test_safe_cell_leaves_ordinary_text_alone(head: str, rest: str) -> None:
    assert datasets.safe_cell(head + rest) == head + rest


@given(st.integers(), st.dates())
def test_safe_cell_keeps_numbers_and_dates_of_typed_columns(n: int, day: object) -> None:
    assert datasets.safe_cell(str(n), "integer") == str(n)  # -5 stays a number a spreadsheet adds up
    assert datasets.safe_cell(str(day), "date") == str(day)
    assert datasets.safe_cell(str(n), "string") == ("'" + str(n) if n < 0 else str(n))  # text: as typed
    assert datasets.safe_cell("-2+3", "integer") == "'-2+3"  # not a literal of its type: judged as text


@pytest.mark.parametrize("payload", PAYLOADS)
def test_safe_cell_neutralises_each_payload(payload: str) -> None:
    assert datasets.safe_cell(payload) == "'" + payload


def _payload_plans(repo: Path) -> list[str]:
    """One copy of a seed plan per payload: the title and every task's text, lead, partners and
    deadline are that payload (the title padded to its minimum length after the payload)."""
    seed = next((repo / "docs" / "plans" / "bac-giang").glob("*.md"))
    _, head, body = seed.read_text(encoding="utf-8").split("---\n", 2)
    ids = []
    for i, payload in enumerate(PAYLOADS):
        fm = yaml.safe_load(head)
        fm["id"] = f"{fm['id']}-f{i}"
        fm["title"] = payload + " kế hoạch"
        for task in fm["tasks"]:
            task.update(text=payload, lead=payload, partners=payload, deadline=payload)
        text = yaml.safe_dump(fm, allow_unicode=True, sort_keys=False, width=10_000)
        (seed.parent / f"{fm['id']}.md").write_text(f"---\n{text}---\n{body}", encoding="utf-8", newline="\n")
        ids.append(fm["id"])
    return ids


def _cells(data: bytes) -> list[list[str]]:
    """A CSV read as Excel with Vietnamese settings reads it: the copies for spreadsheets have a
    byte-order mark and ``;`` between cells, the canonical ones neither."""
    spreadsheet = data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";" if spreadsheet else ","))


def test_spreadsheet_copies_neutralise_every_payload_and_the_dataset_keeps_it(seed_repo, tmp_path):
    from congkhai.render.site import render_site

    ids = _payload_plans(seed_repo)
    v = validate(seed_repo)
    # line breaks are refused in one-line fields ("\n=1"); the spreadsheet copies must hold anyway
    assert {f.code for f in v.errors} <= {"line-break"}, [(f.file, f.field, f.code) for f in v.errors]
    downloads, _ = render_site(v, None, None)
    copies = {k: b for k, b in downloads.items() if k.endswith(".csv") and "/" in k}
    assert all(f"ke-hoach/{pid}-nhiem-vu.csv" in copies for pid in ids) and "excel/tasks.csv" in copies
    for name, data in copies.items():  # every CSV a person opens in a spreadsheet
        for r, row in enumerate(_cells(data)[1:], 2):
            for c, cell in enumerate(row):
                assert not runs_as_formula(cell), (name, r, c, cell)
    for pid, payload in zip(ids, PAYLOADS, strict=True):
        per_plan = _cells(copies[f"ke-hoach/{pid}-nhiem-vu.csv"])
        col = {n: per_plan[0].index(n) for n in ("text", "lead", "partners", "deadline")}
        assert len(per_plan) > 2 and all(r[i] == "'" + payload for r in per_plan[1:] for i in col.values())
    excel = _cells(copies["excel/plans.csv"])
    excel_titles = {r[0]: r[excel[0].index("title")] for r in excel[1:]}
    canonical = {name: _cells(downloads[f"{name}.csv"]) for name in ("plans", "tasks")}
    titles = {r[0]: r[canonical["plans"][0].index("title")] for r in canonical["plans"][1:]}
    texts = {(r[0], r[1]): r[canonical["tasks"][0].index("text")] for r in canonical["tasks"][1:]}
    for pid, payload in zip(ids, PAYLOADS, strict=True):
        assert titles[pid] == payload + " kế hoạch"  # the dataset keeps the exact value
        assert excel_titles[pid] == "'" + payload + " kế hoạch"
        assert {t for (p, _), t in texts.items() if p == pid} == {payload}
    out = tmp_path / "out"
    datasets.write({k: b for k, b in downloads.items() if "/" not in k}, out)
    report = Package(str(out / "datapackage.json")).validate()
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])


def test_package_says_values_may_start_with_formula_signs(seed_repo, tmp_path):
    meta = json.loads(_written(seed_repo, tmp_path / "out").read_text(encoding="utf-8"))
    note = meta["x-formula-like-text"]
    assert note["prefix"] == "'" and "excel/<table>.csv" in note["neutralised-copies"]
    for text in (note["vi"], note["en"]):
        assert all(sign in text for sign in ("=", "+", "-", "@", "＝", "ke-hoach/", "excel/"))
    assert "import those columns as text" in note["en"] and "dưới dạng văn bản" in note["vi"]


# --- Data Package v2 and the licence (issue 15) --------------------------------------------------

STANDARDS = Path(__file__).parent / "fixtures" / "standards"
SITE = "https://congkhai.example.gov.vn/cong-khai/"


def _descriptor(repo: Path, site_url: str | None) -> dict:
    v = validate(repo)
    return json.loads(datasets.render(v.model, v.published, v.modified, site_url)["datapackage.json"])


def _v2_errors(descriptor: dict) -> list:
    import jsonschema

    profile = json.loads((STANDARDS / "datapackage-2.0.json").read_text(encoding="utf-8"))
    return list(jsonschema.Draft7Validator(profile).iter_errors(descriptor))


def _list_fields(descriptor: dict) -> set[tuple[int, int]]:
    return {
        (r, f)
        for r, res in enumerate(descriptor["resources"])
        for f, field in enumerate(res["schema"]["fields"])
        if field["type"] == "list"
    }


@pytest.mark.parametrize("site_url", [SITE, None], ids=["published", "preview"])
def test_package_passes_the_data_package_v2_profile(seed_repo, site_url):
    """The official v2 profile (vendored, tests/fixtures/standards/) accepts the package, except
    for its own known defect: its Table Schema field types leave out ``list``, which the v2
    Table Schema specification defines (profiles/dictionary/schema.yaml of the spec has it; the
    built profile at commit b9ee5084 does not). Every error must be one of those ``list`` fields,
    and each ``list`` field must be the only thing wrong where it is reported."""
    descriptor = _descriptor(seed_repo, site_url)
    assert descriptor["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    paths = [list(e.absolute_path) for e in _v2_errors(descriptor)]
    assert all(p[0] == "resources" and p[2:4] == ["schema", "fields"] and len(p) == 5 for p in paths), paths
    assert {(p[1], p[4]) for p in paths} == _list_fields(
        descriptor
    )  # exactly the list fields: the profile's bug, nothing else
    # without the list fields (the profile's defect set aside), the rest passes as it is
    for r, f in sorted(_list_fields(descriptor), reverse=True):
        descriptor["resources"][r]["schema"]["fields"][f]["type"] = "string"
    assert _v2_errors(descriptor) == []


def test_v2_profile_check_catches_what_v2_refuses(seed_repo):
    """The check above would fail on the old descriptor: a root-relative licence path."""
    descriptor = _descriptor(seed_repo, SITE)
    for r, f in _list_fields(descriptor):
        descriptor["resources"][r]["schema"]["fields"][f]["type"] = "string"
    descriptor["licenses"] = [{"name": "other-at", "path": "/data/#dieu-khoan-su-dung"}]
    assert [list(e.absolute_path)[:1] for e in _v2_errors(descriptor)] == [["licenses"]]


def test_published_package_is_absolute_and_versioned(seed_repo):
    d = _descriptor(seed_repo, SITE)
    assert d["homepage"] == SITE
    assert d["licenses"] == [{"path": SITE + "data/#dieu-khoan-su-dung", "title": d["licenses"][0]["title"]}]
    assert d["version"] == "2024.11.22" == d["modified"][:10].replace("-", ".")  # git's date, not the clock


def test_preview_package_writes_no_relative_homepage(seed_repo):
    d = _descriptor(seed_repo, None)
    assert "homepage" not in d
    # relative to datapackage.json, as v2 allows (it refuses a path starting with "/")
    assert d["licenses"][0]["path"] == "index.html#dieu-khoan-su-dung"


def test_frictionless_validates_the_published_package(seed_repo, tmp_path):
    v = validate(seed_repo)
    datasets.write(datasets.render(v.model, v.published, v.modified, SITE), tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", str(tmp_path / "datapackage.json")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-2000:]


def test_licence_is_declared_once_and_every_mention_follows_it(seed_repo):
    """The terms (Decree 47/2020 Art 18) and their comparison with CC-BY-4.0 come from
    ``x-terms-of-use`` of schemas/package.yaml; the package, the data page and the JSON-LD say
    the same. A mention written by hand elsewhere would diverge when the declaration changes."""
    import copy

    from congkhai.model import licence
    from congkhai.render import metadata, opendata

    v = validate(seed_repo)
    model = copy.deepcopy(v.model)
    declared = model.package["x-terms-of-use"]
    declared["vi"] = "Điều khoản thử nghiệm X."
    declared["en"] = "Test terms X."
    declared["differs-vi"] = "Khác biệt thử nghiệm Y."
    declared["differs-en"] = "Test difference Y."
    declared["title"] = "Tên thử nghiệm Z"
    files = datasets.render(model, v.published, v.modified, SITE)
    d = json.loads(files["datapackage.json"])
    terms = licence.terms(model.package)
    assert (
        d["licenses"][0]["title"]
        == "Tên thử nghiệm Z. Khác biệt thử nghiệm Y. / " + terms.title_en + ". Test difference Y."
    )
    assert d["x-terms-of-use"]["vi"] == "Điều khoản thử nghiệm X." and d["x-terms-of-use"]["en"] == "Test terms X."
    assert d["x-terms-of-use"]["nearest"] == "CC-BY-4.0" and d["x-terms-of-use"]["compatible"] is False
    page = opendata.data_page(model, v.published, files, "", SITE)
    for text in ("Điều khoản thử nghiệm X.", "Test terms X.", "Khác biệt thử nghiệm Y.", "Test difference Y."):
        assert text in page
    assert "{#dieu-khoan-su-dung}" in page
    ld = metadata.dataset_jsonld(d, base_url=SITE.rstrip("/"))
    assert "Tên thử nghiệm Z" in json.dumps(ld, ensure_ascii=False)


def test_licence_claims_no_standard_id_it_is_not_compatible_with(seed_repo):
    """The no-resale clause is not CC-BY-4.0 (which allows selling) nor Open Definition conformant:
    no ``name`` is given, and the title says how the terms differ, in both languages."""
    from congkhai.model import licence
    from congkhai.model.schemas import load_model

    terms = licence.terms(load_model().package)
    assert (terms.nearest, terms.compatible) == ("CC-BY-4.0", False)
    assert "bán lại" in terms.vi and "resold" in terms.en
    entry = licence.licence_entry(terms, SITE)
    assert "name" not in entry
    assert "cấm bán lại dữ liệu gốc" in entry["title"] and "forbids reselling the raw data" in entry["title"]
    assert "47/2020/NĐ-CP" in entry["title"]
    compatible = licence.Terms(**{**terms.__dict__, "compatible": True})
    assert licence.licence_entry(compatible, SITE)["name"] == "CC-BY-4.0"


def _export_whole(model, rows, modified) -> bytes:
    """The JSON export as it was made before it was streamed: one structure, one dump."""
    export = {
        "name": model.package["name"],
        "modified": modified,
        "tables": {
            t.name: [{f.name: datasets._typed(r.get(f.name), f.type) for f in t.fields} for r in rows[t.name]]
            for t in model.tables.values()
        },
    }
    return (json.dumps(export, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode()


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)  # newlines, quotes, tabs, accents


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_the_streamed_export_is_the_whole_dump(data) -> None:
    """``write_export`` writes row by row the bytes one ``json.dumps`` of everything gave (so the
    data side never holds the export whole): any table empty or not, any value, newlines inside."""
    from congkhai.model.schemas import load_model

    model = load_model()
    rows = {}
    for t in model.tables.values():
        rows[t.name] = data.draw(
            st.lists(st.fixed_dictionaries({f.name: st.one_of(st.none(), _TEXT) for f in t.fields}), max_size=3),
            label=t.name,
        )
        for r in rows[t.name]:  # typed fields keep their type's values (_typed turns "1" into 1)
            for f in t.fields:
                if f.type in ("integer", "number") and r[f.name] is not None:
                    r[f.name] = data.draw(st.integers(-5, 10**12))
    modified = data.draw(st.one_of(st.none(), _TEXT))
    out = io.BytesIO()
    datasets.write_export(out, model, rows, modified)
    assert out.getvalue() == _export_whole(model, rows, modified)


def test_the_export_of_the_bundled_plans_is_the_whole_dump(seed_repo) -> None:
    corpus = validate(seed_repo)
    out = io.BytesIO()
    datasets.write_export(out, corpus.model, corpus.published, corpus.modified)
    assert out.getvalue() == _export_whole(corpus.model, corpus.published, corpus.modified)
    assert datasets.render(corpus.model, corpus.published, corpus.modified)["cong-khai.json"] == out.getvalue()
