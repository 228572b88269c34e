"""The one CSV reader (congkhai/model/csvfile.py): encoding, byte-order mark, newlines, line numbers."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from congkhai.model import csvfile


def test_records_carry_the_line_they_start_on(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b'id,text\r\na,"one\r\ntwo"\r\n\r\nb,three\r\n')
    got = [(r.line, r.end, r.values) for r in csvfile.records(path)]
    assert got == [(1, 1, ["id", "text"]), (2, 3, ["a", "one\r\ntwo"]), (4, 4, []), (5, 5, ["b", "three"])]


def test_bytes_and_paths_read_alike(tmp_path: Path) -> None:
    data = "id,name\nx,Đảng ủy\n".encode()
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    assert list(csvfile.records(data)) == list(csvfile.records(path))
    assert csvfile.read_rows(data) == csvfile.read_rows(path) == (["id", "name"], [{"id": "x", "name": "Đảng ủy"}])


def test_a_byte_order_mark_is_dropped_only_when_asked() -> None:
    data = "\ufeffid,name\nx,y\n".encode()
    assert csvfile.read_rows(data, bom=True)[0] == ["id", "name"]
    assert csvfile.read_rows(data)[0] == ["\ufeffid", "name"]  # a stray BOM fails the caller's header check


def test_not_utf8_is_an_error_not_a_guess() -> None:
    with pytest.raises(UnicodeDecodeError):
        csvfile.read_rows(b"id\n\xe9\n")


def test_rows_before_a_broken_record_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("id\na\n" + "b" * (csv.field_size_limit() + 1) + "\n", encoding="utf-8")
    seen = []
    with pytest.raises(csv.Error):
        for record in csvfile.records(path):
            seen.append(record.values)
    assert seen == [["id"], ["a"]]


def test_a_missing_file_raises_at_the_first_record(tmp_path: Path) -> None:
    records = csvfile.records(tmp_path / "none.csv")
    with pytest.raises(OSError):
        next(records)


def test_read_rows_follows_dictreader() -> None:
    header, rows = csvfile.read_rows(b"a,b\n1\n\n1,2,3\n")
    assert header == ["a", "b"]
    assert rows == [{"a": "1", "b": None}, {"a": "1", "b": "2", None: ["3"]}]
    assert csvfile.read_rows(b"") == ([], [])
