"""The one CSV reader: how every stage opens a CSV file or decodes CSV bytes.

Reference tables, holiday overrides, shard datasets, the previous build's open data and the
importer's look-ups are all CSV. Reading them in one place keeps the three choices that decide
what a file *means* from drifting apart between callers:

* encoding: UTF-8, strict — a byte that is not UTF-8 raises ``UnicodeDecodeError`` rather than
  being guessed, because a wrong guess would publish changed text. ``bom=True`` accepts (and
  drops) a byte-order mark, for files written for Excel (``excel/<table>.csv``); every other file
  is read as written, so a stray BOM shows up as part of the first column name and fails the
  header check instead of passing silently.
* newlines: the text is handed to :mod:`csv` untranslated (``newline=""``), so a line break inside
  a quoted value is kept as written (``\\r\\n`` stays ``\\r\\n``).
* line numbers: each record carries the line it starts on, for findings that point at the file.

It lives in ``model`` because ``vietnamese.workdays`` (the holiday overrides) reads CSV too, and
that stage comes before ``read``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

ENCODING = "utf-8"
ENCODING_BOM = "utf-8-sig"  # UTF-8 that may start with a byte-order mark (Excel's CSV)

Source = Path | bytes


@dataclass(frozen=True)
class Record:
    """One CSV record as written: its values and the lines it spans (a quoted value may hold
    line breaks, so a record can span more than one line)."""

    line: int  # the line the record starts on (1-based)
    end: int  # the line it ends on
    values: list[str]


def _text(source: Source, bom: bool) -> TextIO:
    encoding = ENCODING_BOM if bom else ENCODING
    if isinstance(source, bytes):
        return io.StringIO(source.decode(encoding), newline="")
    return source.open(encoding=encoding, newline="")


def records(source: Source, *, bom: bool = False) -> Iterator[Record]:
    """Every record of a CSV file (a path) or CSV bytes, blank lines included as empty records.

    Read as it goes, not up front: a caller that keeps rows as they come keeps the rows before a
    line that cannot be read (``csv.Error``, ``UnicodeDecodeError`` raised from the iteration),
    which is what the checks report against. A path is opened at the first record, so a missing
    file raises ``OSError`` there."""
    with _text(source, bom) as fh:
        reader = csv.reader(fh)
        start = 1
        for values in reader:
            yield Record(start, reader.line_num, values)
            start = reader.line_num + 1


def read_rows(source: Source, *, bom: bool = False) -> tuple[list[str], list[dict[str, str]]]:
    """The header and every row as a mapping from column name to value (``csv.DictReader``'s
    rules: blank lines skipped, missing trailing values ``None``, extra values under ``None``).

    For look-ups and comparisons that need the whole table; checks that point at lines use
    :func:`records`."""
    with _text(source, bom) as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        return list(reader.fieldnames or []), rows
