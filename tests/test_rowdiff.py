"""The one row comparison (congkhai/model/rowdiff.py), shared by the dataset diff, the open-data
page's "what changed" and the shard merge."""

from __future__ import annotations

from congkhai.model.rowdiff import FieldChange, compare, field_changes, key_of, keyed, natural

OLD = [
    {"plan_id": "p", "seq": "2", "text": "hai"},
    {"plan_id": "p", "seq": "10", "text": "mười"},
    {"plan_id": "p", "seq": "3", "text": "ba"},
]
NEW = [
    {"plan_id": "p", "seq": "2", "text": "hai"},
    {"plan_id": "p", "seq": "10", "text": "mười (sửa)"},
    {"plan_id": "p", "seq": "9", "text": "chín"},
    {"plan_id": "p", "seq": "11", "text": "mười một"},
]


def test_added_removed_changed_by_key() -> None:
    rd = compare(OLD, NEW, ["plan_id", "seq"], ["plan_id", "seq", "text"])
    assert rd.added == [("p", "9"), ("p", "11")]  # natural order: 9 before 11
    assert rd.removed == [("p", "3")]
    assert rd.changed == [(("p", "10"), [FieldChange("text", "mười", "mười (sửa)")])]
    assert rd.new[("p", "9")]["text"] == "chín" and rd.old[("p", "3")]["text"] == "ba"


def test_plain_order_and_only_the_fields_asked_for() -> None:
    rd = compare(OLD, NEW, ["plan_id", "seq"], ["seq"], order=None)
    assert rd.added == [("p", "11"), ("p", "9")]  # text order
    assert rd.changed == []  # "text" is not compared


def test_nothing_changed() -> None:
    rd = compare(OLD, list(reversed(OLD)), ["plan_id", "seq"], ["text"])
    assert (rd.added, rd.removed, rd.changed) == ([], [], [])


def test_duplicate_keys_are_kept_apart_or_the_last_wins() -> None:
    rows = [{"id": "a", "v": "1"}, {"id": "a", "v": "2"}]
    assert list(keyed(rows, ["id"])) == [("a",), ("a#2",)]
    assert keyed(rows, ["id"], number_duplicates=False) == {("a",): rows[1]}


def test_blank_and_missing_values() -> None:
    assert key_of({"id": None, "seq": 3}, ["id", "seq"]) == ("", "3")
    # None and a missing column are the same; "" and a missing column are not (a new column)
    assert field_changes({"a": None}, {}, ["a"]) == []
    assert field_changes({}, {"a": ""}, ["a"]) == [FieldChange("a", "", "")]
    assert field_changes({"a": "x", "b": "1"}, {"a": "y", "b": "2"}, ["b", "a"]) == [
        FieldChange("b", "1", "2"),
        FieldChange("a", "x", "y"),
    ]


def test_natural_order() -> None:
    assert sorted([("p", "10"), ("p", "9"), ("p", "x")], key=natural) == [("p", "9"), ("p", "10"), ("p", "x")]
