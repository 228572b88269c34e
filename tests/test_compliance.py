"""Disclosure rules, compliance rows, the directory, their pages and schemas; golden files.

``python -m tests.test_compliance`` (``regenerate()``) rewrites ``tests/golden/compliance/`` after a
deliberate change; review the diff.
"""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from congkhai.derive.compliance import (
    CONFIDENCE,
    REASONS,
    RULE_VALUES,
    RULES_YAML,
    compliance_rows,
    directory_rows,
    load_rules,
    parse_rules,
    rule_for,
)
from congkhai.model.schemas import SCHEMA_DIR, Table, _field, load_model
from congkhai.render import datasets
from congkhai.render.compliance import compliance_page, directory_page
from congkhai.vietnamese.workdays import WorkCalendar

ROOT = Path(__file__).resolve().parent.parent
GOLDEN_DIR = ROOT / "tests" / "golden" / "compliance"
TODAY = date(2025, 2, 10)

UNITS = [
    {"id": "xa-a-ubnd", "name": "Ủy ban nhân dân xã A"},
    {"id": "huyen-b-ubnd", "name": "Ủy ban nhân dân huyện B"},
    {"id": "tinh-c-ubnd", "name": "Ủy ban nhân dân tỉnh C"},
    {"id": "tinh-c-mttq", "name": "Ủy ban MTTQ Việt Nam tỉnh C"},
]

PLANS: list[dict[str, Any]] = [
    {  # issued the day before Tết 2024; disclosed on the 10th working day: on time
        "id": "xa-a-2024-5-kh-ubnd",
        "doc_type": "ke_hoach",
        "title": "Thực hiện dân chủ ở cơ sở năm 2024",
        "number_symbol": "5/KH-UBND",
        "issue_date": "2024-02-07",
        "issue_date_precision": "day",
        "issuer_level": "commune",
        "issuer_units": ["xa-a-ubnd"],
        "province": "tinh-c",
        "published_on": "2024-03-01",
        "posting_days": None,
    },
    {  # around the swapped Saturday 2024-05-04; only published here, 14 working days later: late
        "id": "huyen-b-2024-12-kh-ubnd",
        "doc_type": "ke_hoach",
        "title": "Công tác dân vận chính quyền năm 2024",
        "number_symbol": "12/KH-UBND",
        "issue_date": "2024-04-26",
        "issue_date_precision": "day",
        "issuer_level": "district",
        "issuer_units": ["huyen-b-ubnd"],
        "province": "tinh-c",
        "published_on": "2024-05-20",
        "posting_days": None,
    },
    {  # only the month printed: unknown; posting ended short; text that needs escaping
        "id": "xa-a-2024-ke-hoach-thu",
        "doc_type": "ke_hoach",
        "title": "Kế hoạch | *thử* [x](y) <b>đậm</b> #1",
        "number_symbol": "/KH-UBND",
        "issue_date": "2024-03",
        "issue_date_precision": "month",
        "issuer_level": "commune",
        "issuer_units": ["xa-a-ubnd"],
        "province": "tinh-c",
        "published_on": "2024-03-25",
        "posting_days": None,
    },
    {  # joint, issued before Tết 2025, its own 15-day posting still running on TODAY
        "id": "tinh-c-2025-3-ktlt",
        "doc_type": "ke_hoach",
        "title": "Phối hợp giám sát năm 2025",
        "number_symbol": "3/KTLT-UBND-MTTQ",
        "issue_date": "2025-01-24",
        "issue_date_precision": "day",
        "issuer_level": "province",
        "issuer_units": ["tinh-c-ubnd", "tinh-c-mttq"],
        "province": "tinh-c",
        "published_on": "2025-02-05",
        "posting_days": 15,
    },
]

DISCLOSURES: list[dict[str, Any]] = [
    {
        "plan_id": "xa-a-2024-5-kh-ubnd",
        "seq": 1,
        "form": "niem_yet",
        "started": "2024-02-28",
        "ended": "2024-03-29",
        "note": None,
    },
    {
        "plan_id": "xa-a-2024-5-kh-ubnd",
        "seq": 2,
        "form": "loa_truyen_thanh",
        "started": "2024-02-29",
        "ended": "2024-03-02",
        "note": None,
    },
    {
        "plan_id": "xa-a-2024-ke-hoach-thu",
        "seq": 1,
        "form": "niem_yet",
        "started": "2024-03-20",
        "ended": "2024-04-05",
        "note": None,
    },
    {
        "plan_id": "tinh-c-2025-3-ktlt",
        "seq": 1,
        "form": "cong_thong_tin",
        "started": "2025-02-03",
        "ended": None,
        "note": None,
    },
    {
        "plan_id": "tinh-c-2025-3-ktlt",
        "seq": 2,
        "form": "niem_yet",
        "started": "2025-02-03",
        "ended": None,
        "note": None,
    },
]


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar(None)


def _table(name: str) -> Table:
    desc = yaml.safe_load((SCHEMA_DIR / f"{name}.schema.yaml").read_text(encoding="utf-8"))
    return Table(
        name=name,
        title=name,
        title_en=desc["x-title-en"],
        rows="derived",
        scalar=None,
        fields=tuple(_field(f) for f in desc["fields"]),
        primary_key=tuple(desc["primaryKey"]),
        foreign_keys=tuple(desc["foreignKeys"]),
        descriptor=desc,
    )


def generate() -> dict[str, bytes]:
    """The golden outputs for the fixture above (deterministic: fixed dates and TODAY)."""
    rules = load_rules()
    comp = compliance_rows(PLANS, DISCLOSURES, WorkCalendar(None), rules, TODAY)
    direc = directory_rows(PLANS, DISCLOSURES)
    model = load_model()
    return {
        "compliance.csv": datasets.csv_bytes(_table("compliance"), comp),
        "directory.csv": datasets.csv_bytes(_table("directory"), direc),
        "tuan-thu.md": compliance_page(comp, PLANS, UNITS, model, rules).encode("utf-8"),
        "danh-muc.md": directory_page(direc, model).encode("utf-8"),
    }


def regenerate() -> None:
    """Rewrite ``tests/golden/compliance/`` after a deliberate change; review the diff."""
    GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
    files = generate()
    for name, data in files.items():
        (GOLDEN_DIR / name).write_bytes(data)
    print(f"wrote {len(files)} golden files under {GOLDEN_DIR.relative_to(ROOT)}")


# ---- rules file ------------------------------------------------------------------------------


def test_every_rule_value_has_citation_and_confidence() -> None:
    raw = yaml.safe_load(RULES_YAML.read_text(encoding="utf-8"))
    assert raw["rules"]
    for rule in raw["rules"]:
        for name in RULE_VALUES:
            spec = rule[name]
            assert set(spec) >= {"value", "citation", "confidence"}, (rule["id"], name)
            assert spec["confidence"] in CONFIDENCE
            cit = spec["citation"]
            assert cit["law"] in raw["laws"] and isinstance(cit["article"], int) and isinstance(cit["clause"], int), (
                rule["id"],
                name,
            )
    rules = load_rules()
    assert [r.id for r in rules] == ["cap-xa", "co-quan-nha-nuoc"]
    xa = rules[0]
    assert xa.get("deadline_working_days") == 10 and xa.values["deadline_working_days"].confidence == "secondary"
    assert xa.get("min_posting_days") == 30 and xa.values["min_posting_days"].confidence == "law"
    assert xa.citation("min_posting_days") == "Luật Tiếp cận thông tin 104/2016/QH13, Điều 21, khoản 2 [law]"
    assert xa.citation("deadline_working_days").startswith(
        "Luật Thực hiện dân chủ ở cơ sở 10/2022/QH15, Điều 12, khoản 2"
    )


def _raw_rules() -> dict[str, Any]:
    return yaml.safe_load(RULES_YAML.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda r: r["rules"][0]["deadline_working_days"].pop("citation"), "citation"),
        (lambda r: r["rules"][0]["min_posting_days"].update(confidence="sure"), "confidence"),
        (lambda r: r["rules"][0].pop("posting_forms"), "missing"),
        (lambda r: r["rules"][1].update(id="cap-xa"), "duplicate"),
        (lambda r: r["rules"][0]["deadline_working_days"]["citation"].update(law="1/2000/QH10"), "not under laws"),
        (lambda r: r["rules"][0]["applies_to"].update(issuer_level="commune"), "list of codes"),
        (lambda r: r["rules"][0]["deadline_working_days"].update(value="10"), "whole number"),
    ],
)
def test_rules_rejected(mutate: Any, message: str) -> None:
    raw = copy.deepcopy(_raw_rules())
    mutate(raw)
    with pytest.raises(ValueError, match=message):
        parse_rules(raw)


def test_rule_for_first_match() -> None:
    rules = load_rules()
    assert rule_for({"issuer_level": "commune", "doc_type": "ke_hoach"}, rules).id == "cap-xa"  # type: ignore[union-attr]
    assert rule_for({"issuer_level": "central", "doc_type": "chi_thi"}, rules).id == "co-quan-nha-nuoc"  # type: ignore[union-attr]
    assert rule_for({"issuer_level": None, "doc_type": "ke_hoach"}, rules) is None
    raw = _raw_rules()
    special = copy.deepcopy(raw["rules"][0])
    special.update(id="bao-cao-xa", applies_to={"issuer_level": ["commune"], "doc_type": ["bao_cao"]})
    special["deadline_working_days"]["value"] = 5
    raw["rules"].insert(0, special)
    rules = parse_rules(raw)
    assert rule_for({"issuer_level": "commune", "doc_type": "bao_cao"}, rules).id == "bao-cao-xa"  # type: ignore[union-attr]
    assert rule_for({"issuer_level": "commune", "doc_type": "ke_hoach"}, rules).id == "cap-xa"  # type: ignore[union-attr]


# ---- compliance ------------------------------------------------------------------------------


def test_compliance_fixture(cal: WorkCalendar) -> None:
    rows = {r["plan_id"]: r for r in compliance_rows(PLANS, DISCLOSURES, cal, load_rules(), TODAY)}
    a = rows["xa-a-2024-5-kh-ubnd"]
    assert (a["disclosed_on"], a["disclosed_source"], a["working_days"], a["deadline_date"], a["result"]) == (
        "2024-02-28",
        "disclosures",
        10,
        "2024-02-28",
        "on_time",
    )
    assert (a["posting_days_required"], a["posting_days_actual"], a["posting_met"]) == (30, 30, True)
    b = rows["huyen-b-2024-12-kh-ubnd"]
    # Fri 26 Apr + 10: 2, 3, Sat 4 (swap), 6, 7, 8, 9, 10, 13, 14 May; published Mon 20 May = 14
    assert (b["disclosed_source"], b["deadline_date"], b["working_days"], b["result"], b["reason"]) == (
        "published_on",
        "2024-05-14",
        14,
        "late",
        None,
    )
    assert (b["posting_days_actual"], b["posting_met"], b["posting_days_required"]) == (None, None, 30)
    c = rows["xa-a-2024-ke-hoach-thu"]
    assert (c["result"], c["reason"], c["working_days"], c["deadline_date"]) == (
        "unknown",
        "issue_date_not_exact",
        None,
        None,
    )
    assert (c["posting_days_actual"], c["posting_met"]) == (16, False)
    d = rows["tinh-c-2025-3-ktlt"]
    assert (d["working_days"], d["deadline_date"], d["result"]) == (1, "2025-02-14", "on_time")
    assert (d["posting_days_required"], d["posting_days_actual"], d["posting_met"]) == (15, 7, None)  # running
    assert d["rule_citation"].endswith("Thời hạn niêm yết: theo văn bản")
    assert all(r["as_of"] == "2025-02-10" for r in rows.values())


def _one(
    cal: WorkCalendar, today: date = TODAY, disclosures: list[dict[str, Any]] | None = None, **plan: Any
) -> dict[str, Any]:
    base = {
        "id": "p",
        "doc_type": "ke_hoach",
        "issuer_level": "commune",
        "issue_date": "2024-03-01",
        "issue_date_precision": "day",
    }
    base.update(plan)
    return compliance_rows([base], disclosures or [], cal, load_rules(), today)[0]


def test_unknown_reasons(cal: WorkCalendar) -> None:
    assert _one(cal, issue_date=None, issue_date_precision=None, published_on="2024-03-05")["reason"] == "no_issue_date"
    assert (
        _one(cal, issue_date="2024", issue_date_precision="year", published_on="2024-03-05")["reason"]
        == "issue_date_not_exact"
    )
    assert _one(cal, issue_date="2024-02-30", published_on="2024-03-05")["reason"] == "invalid_issue_date"
    r = _one(cal)
    assert (r["result"], r["reason"], r["deadline_date"], r["disclosed_on"]) == (
        "unknown",
        "not_disclosed",
        "2024-03-15",
        None,
    )
    assert _one(cal, published_on="2024-02-20")["reason"] == "disclosed_before_issue"
    assert _one(cal, issuer_level=None, published_on="2024-03-05")["reason"] == "no_rule"
    assert set(REASONS) >= {"no_issue_date", "issue_date_not_exact", "not_disclosed"}


def test_deadline_boundary_and_dates(cal: WorkCalendar) -> None:
    # Fri 2024-03-01 + 10 working days = Fri 2024-03-15: that day is on time, Mon 18 is late.
    assert _one(cal, published_on="2024-03-15")["result"] == "on_time"
    assert _one(cal, published_on=date(2024, 3, 18))["result"] == "late"
    assert _one(cal, issue_date=date(2024, 3, 1), published_on="2024-03-01")["working_days"] == 0
    # disclosures win over published_on, the earliest start counts
    disc: list[dict[str, Any]] = [
        {"plan_id": "p", "form": "van_ban", "started": "2024-03-20", "ended": None},
        {"plan_id": "p", "form": "niem_yet", "started": "2024-03-14", "ended": "2024-03-20"},
    ]
    r = _one(cal, published_on="2024-03-01", disclosures=disc)
    assert (r["disclosed_on"], r["result"], r["posting_days_actual"], r["posting_met"]) == (
        "2024-03-14",
        "on_time",
        6,
        False,
    )


def test_posting_period(cal: WorkCalendar) -> None:
    def posting(started: str, ended: str | None, today: date, **plan: Any) -> tuple[Any, Any, Any]:
        disc = [{"plan_id": "p", "form": "niem_yet", "started": started, "ended": ended}]
        r = _one(cal, today=today, published_on="2024-03-05", disclosures=disc, **plan)
        return r["posting_days_required"], r["posting_days_actual"], r["posting_met"]

    assert posting("2024-03-01", "2024-03-31", date(2024, 6, 1)) == (30, 30, True)  # first day not counted
    assert posting("2024-03-01", "2024-03-30", date(2024, 6, 1)) == (30, 29, False)
    assert posting("2024-03-01", None, date(2024, 3, 20)) == (30, 19, None)  # still running
    assert posting("2024-03-01", None, date(2024, 4, 20)) == (30, 50, True)
    assert posting("2024-03-01", "2024-03-31", date(2024, 3, 20)) == (30, 19, None)  # planned end ahead
    assert posting("2024-03-01", "2024-03-11", date(2024, 6, 1), posting_days=10) == (10, 10, True)
    # other forms are not posting
    r = _one(
        cal,
        published_on="2024-03-05",
        disclosures=[{"plan_id": "p", "form": "loa_truyen_thanh", "started": "2024-03-02", "ended": "2024-03-05"}],
    )
    assert (r["posting_days_actual"], r["posting_met"]) == (None, None)


# ---- directory -------------------------------------------------------------------------------


def test_directory_rows() -> None:
    rows = directory_rows(PLANS, DISCLOSURES, {"tinh-c-2025-3-ktlt": "https://example.gov.vn/ke-hoach/3/"})
    assert [r["plan_id"] for r in rows] == [
        "tinh-c-2025-3-ktlt",
        "huyen-b-2024-12-kh-ubnd",
        "xa-a-2024-ke-hoach-thu",
        "xa-a-2024-5-kh-ubnd",
    ]
    by = {r["plan_id"]: r for r in rows}
    a = by["xa-a-2024-5-kh-ubnd"]
    assert (a["forms"], a["disclosure_started"], a["disclosure_ended"], a["disclosure_days"]) == (
        ["niem_yet", "loa_truyen_thanh"],
        "2024-02-28",
        "2024-03-29",
        30,
    )
    assert a["link"] == "plans/tinh-c/xa-a-2024-5-kh-ubnd/"
    d = by["tinh-c-2025-3-ktlt"]
    assert (d["disclosure_ended"], d["disclosure_days"], d["link"]) == (
        None,
        None,
        "https://example.gov.vn/ke-hoach/3/",
    )
    b = by["huyen-b-2024-12-kh-ubnd"]
    assert (b["forms"], b["disclosure_started"], b["published_on"]) == ([], None, "2024-05-20")


# ---- pages -----------------------------------------------------------------------------------


def test_pages_escape_text() -> None:
    files = generate()
    for name in ("tuan-thu.md", "danh-muc.md"):
        text = files[name].decode("utf-8")
        assert "<b>" not in text and "&lt;b&gt;" in text
        # tables are raw HTML (cards on a phone): Markdown is not read there, text stays literal
        assert "*thử* [x](y) &lt;b&gt;đậm&lt;/b&gt; #1" in text and '<a href="y"' not in text
    comp = files["tuan-thu.md"].decode("utf-8")
    assert (
        '<td class="ck-title" data-label="Cơ quan ban hành">Ủy ban nhân dân huyện B</td>'
        '<td class="ck-nowrap" data-label="Năm">2024</td>' in comp
    )
    assert (
        '<td class="ck-wide" data-label="Kế hoạch trễ hạn"><a href="../../plans/tinh-c/huyen-b-2024-12-kh-ubnd/">'
        in comp
    )
    # codes are for data files; a reader sees words (rule titles, confidence in words)
    assert "cap-xa" not in comp and "[secondary]" not in comp and "(theo nguồn thứ cấp)" in comp
    assert "Ngày ban hành chỉ ghi tháng hoặc năm" in comp


# ---- schemas ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["compliance", "directory"])
def test_schema_matches_rows(name: str, cal: WorkCalendar) -> None:
    table = _table(name)
    rows = (
        compliance_rows(PLANS, DISCLOSURES, cal, load_rules(), TODAY)
        if name == "compliance"
        else directory_rows(PLANS, DISCLOSURES)
    )
    assert table.field_names == list(rows[0])
    model = load_model()
    for f in table.fields:
        assert f.derived, f.name
        assert f.title and f.title_en and f.description and f.description_en, f.name
        assert f.vocabulary is None or f.vocabulary in model.vocabularies, f.name
    assert table.primary_key == ("plan_id",)
    assert table.foreign_keys == ({"fields": ["plan_id"], "reference": {"resource": "plans", "fields": ["id"]}},)


@pytest.mark.parametrize("name", ["compliance", "directory"])
def test_golden_csv_valid_against_schema(name: str) -> None:
    from frictionless import Resource, Schema

    desc = copy.deepcopy(_table(name).descriptor)
    desc.pop("foreignKeys")
    model = load_model()
    for f in desc["fields"]:
        vocab = f.pop("x-vocabulary", None)
        if vocab and f["type"] != "list":
            f.setdefault("constraints", {})["enum"] = list(model.vocabularies[vocab].values)
    data = generate()[f"{name}.csv"]
    report = Resource(data=data, format="csv", schema=Schema.from_descriptor(desc)).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


@pytest.mark.parametrize("name", ["compliance.csv", "directory.csv", "tuan-thu.md", "danh-muc.md"])
def test_golden(name: str) -> None:
    assert generate()[name] == (GOLDEN_DIR / name).read_bytes(), (
        f"run `python -m tests.test_compliance` and review the diff of {name}"
    )


if __name__ == "__main__":
    regenerate()
