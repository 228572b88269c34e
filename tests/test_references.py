"""The one foreign-key check (checks/rules.py ``dangling_references``): validation and the shard
merge find the same dangling rows, each reporting them in its own words."""

from __future__ import annotations

from congkhai.checks.rules import check_references, dangling_references
from congkhai.commands.merge import check_foreign_keys
from congkhai.model.schemas import load_model
from congkhai.read.records import Origin, Tables


def _tables(plans: tuple[str, ...] = ("p",)) -> Tables:
    tables = Tables({}, {}, [])
    rows = {
        "plans": [{"id": p} for p in plans],
        "provinces": [{"id": "ha-noi"}],
        "units": [
            {"id": "u1", "province": "ha-noi"},
            {"id": "u2", "province": "atlantis"},  # dangling
            {"id": "u3", "province": None},  # blank: the table check's to report
        ],
        "tasks": [{"plan_id": "p", "id": "1"}],
        "task_units": [
            {"plan_id": "p", "task_id": "1", "role": "lead", "seq": "1", "unit": "u1"},
            {"plan_id": "p", "task_id": "9", "role": "lead", "seq": "1", "unit": "u1"},  # no task 9
        ],
    }
    for name, items in rows.items():
        for line, row in enumerate(items, start=2):
            tables.add(name, row, Origin(f"{name}.csv", line=line, columns=tuple(row)))
    return tables


def test_dangling_rows_are_found_once_each() -> None:
    found = [
        (d.table.name, d.fields, d.target, d.key, d.origin.line) for d in dangling_references(load_model(), _tables())
    ]
    assert found == [
        ("task_units", ["plan_id", "task_id"], "tasks", ("p", "9"), 3),
        ("units", ["province"], "provinces", ("atlantis",), 3),
    ]  # in the schemas' table order


def test_validation_and_merge_report_the_same_rows() -> None:
    model, tables = load_model(), _tables()
    checked = sorted(check_references(model, tables, set()), key=lambda f: f.sort_key())
    merged = sorted(check_foreign_keys(model, tables), key=lambda f: f.sort_key())
    assert (
        {(f.file, f.line, f.code) for f in checked}
        == {(f.file, f.line, f.code) for f in merged}
        == {
            ("task_units.csv", 3, "unknown-reference"),
            ("units.csv", 3, "unknown-reference"),
        }
    )
    # validation names the last referring field and the target's columns ...
    assert [(f.field, f.params["value"], f.params["key"]) for f in checked] == [
        ("task_id", "9", "plan_id.id"),
        ("province", "atlantis", "id"),
    ]
    # ... the merge the first referring field and the whole key, with a hint for shards
    assert [(f.field, f.params["value"], f.params["key"]) for f in merged] == [
        ("plan_id", "p/9", "plan_id,task_id"),
        ("province", "atlantis", "province"),
    ]
    assert "No shard has this row in provinces" in merged[1].hint("en")


def test_a_broken_reference_table_is_not_reported_row_by_row() -> None:
    assert [f.file for f in check_references(load_model(), _tables(), {"provinces"})] == ["task_units.csv"]


def test_rows_made_from_a_plan_file_are_not_checked_against_it_by_validation() -> None:
    """A task's plan_id is derived from the file it is in; a shard's is data like any other."""
    model, tables = load_model(), _tables(plans=())
    assert "tasks.csv" not in {f.file for f in check_references(model, tables, set())}
    assert ("tasks.csv", 2) in {(f.file, f.line) for f in check_foreign_keys(model, tables)}
