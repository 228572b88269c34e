"""The published tables read by the tools analysts open them with (issue 15): pandas, csvkit and
LibreOffice Calc, on the seed site built once with an address (tests/conftest.py
``published_site``). Each tool is a pinned dev dependency (pandas, csvkit: pyproject.toml) or a
Debian package installed by ``make office-deps`` (``make test`` runs it); a missing tool fails the
test with the command to run, never skips it.

- pandas reads every CSV of ``datapackage.json`` as the package tells it to (``dtype=str``,
  ``keep_default_na=False``): the rows the package holds (read by frictionless), the same text,
  codes with their leading zeros; the Excel copies (``excel/<table>.csv``: BOM, ``;``) read with
  ``sep=";", encoding="utf-8-sig"`` give the same table, neutralised cells aside.
- csvkit: ``csvclean --length-mismatch`` (every row as long as the header) and ``csvstat`` on every
  CSV, failing on any error or warning. Empty columns (``csvclean --empty-columns``) are not an
  error here: the schema declares columns the seed plans do not record (``effective_date``…).
- LibreOffice converts ``cong-khai.xlsx`` to one CSV per sheet and each Excel copy back to CSV
  (filter options ``59,34,76``: ``;``, ``"``, UTF-8): the text as written, codes as text with
  their leading zeros, dates as date cells shown in the workbook's ``DD/MM/YYYY``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from congkhai.model import sitemap
from congkhai.model.schemas import load_model
from congkhai.render import workbook

BIN = Path(sys.executable).parent
FORMULA_START = ("=", "+", "-", "@", "＝", "＋", "－", "＠", " ", "\t", "\r", "\n")


@pytest.fixture(scope="module")
def data(published_site: tuple[Path, str]) -> Path:
    return published_site[0] / "data"


@pytest.fixture(scope="module")
def package(data: Path) -> dict[str, Any]:
    return json.loads((data / "datapackage.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def package_rows(data: Path) -> dict[str, list[dict[str, Any]]]:
    """Every resource's rows as frictionless reads them from ``datapackage.json``."""
    from frictionless import Package

    return {r.name: [dict(row) for row in r.read_rows()] for r in Package(str(data / "datapackage.json")).resources}


def _csv_rows(path: Path, **kw: Any) -> list[list[str]]:
    with path.open(encoding=kw.pop("encoding", "utf-8"), newline="") as f:
        return list(csv.reader(f, **kw))


# --- pandas -----------------------------------------------------------------------------------


def test_pandas_reads_every_csv_as_the_package_declares(data: Path, package: dict[str, Any], package_rows) -> None:
    import pandas as pd

    assert len(package["resources"]) == len(load_model().tables)
    for resource in package["resources"]:
        path = data / resource["path"]
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=resource["encoding"])
        fields = [f["name"] for f in resource["schema"]["fields"]]
        assert list(df.columns) == fields, resource["name"]
        assert len(df) == len(package_rows[resource["name"]]), resource["name"]
        # the same text as the CSV holds: nothing parsed, nothing turned into NaN
        raw = _csv_rows(path)
        assert raw[0] == fields
        assert df.to_numpy().tolist() == raw[1:], resource["name"]


def test_codes_keep_their_leading_zeros_in_pandas(data: Path, package: dict[str, Any]) -> None:
    import pandas as pd

    provinces = pd.read_csv(data / "provinces.csv", dtype=str, keep_default_na=False)
    zeros = provinces[provinces["code"].str.match(r"^0\d+$")]
    assert len(zeros) >= 5 and "01" in set(provinces["code"])  # Hà Nội
    # and with the package's types, where pandas infers numbers, the code column is text
    [resource] = [r for r in package["resources"] if r["name"] == "provinces"]
    [code] = [f for f in resource["schema"]["fields"] if f["name"] == "code"]
    assert code["type"] == "string"


def test_pandas_reads_the_excel_copies(data: Path, package: dict[str, Any]) -> None:
    import pandas as pd

    for resource in package["resources"]:
        plain = pd.read_csv(data / resource["path"], dtype=str, keep_default_na=False)
        excel_path = data / sitemap.EXCEL_DIR / resource["path"]
        assert excel_path.read_bytes().startswith(b"\xef\xbb\xbf")
        excel = pd.read_csv(excel_path, sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
        assert list(excel.columns) == list(plain.columns), resource["name"]
        assert len(excel) == len(plain), resource["name"]
        for column in plain.columns:
            for a, b in zip(plain[column], excel[column], strict=True):
                # a cell a spreadsheet would run as a formula carries one ' in front (x-formula-like-text)
                assert b == a or (b == "'" + a and a.lstrip(" \t\r\n").startswith(FORMULA_START)), (column, a, b)


# --- csvkit -----------------------------------------------------------------------------------


def _csvkit(tool: str) -> str:
    exe = BIN / tool
    if not exe.exists():
        pytest.fail(f"{tool} (csvkit) is missing: run `make setup` (pip install -r requirements.txt)")
    return str(exe)


def _published_csvs(data: Path, package: dict[str, Any]) -> list[tuple[Path, list[str]]]:
    """(file, csvkit options) of every CSV of the package and its Excel copy."""
    files = []
    for resource in package["resources"]:
        files.append((data / resource["path"], ["-d", ",", "-e", "utf-8"]))
        files.append((data / sitemap.EXCEL_DIR / resource["path"], ["-d", ";", "-e", "utf-8-sig"]))
    return files


def test_csvclean_finds_no_error(data: Path, package: dict[str, Any]) -> None:
    csvclean = _csvkit("csvclean")
    for path, options in _published_csvs(data, package):
        proc = subprocess.run(
            [csvclean, *options, "--length-mismatch", str(path)], capture_output=True, text=True, timeout=120
        )
        assert proc.returncode == 0 and not proc.stderr, (path, proc.stderr)


def test_csvclean_would_report_a_short_row(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2,3\n", encoding="utf-8")
    proc = subprocess.run([_csvkit("csvclean"), "--length-mismatch", str(bad)], capture_output=True, text=True)
    assert proc.returncode != 0 and "Expected 2 columns" in proc.stderr


def test_csvstat_reads_every_csv(data: Path, package: dict[str, Any], package_rows) -> None:
    csvstat = _csvkit("csvstat")
    for path, options in _published_csvs(data, package):
        proc = subprocess.run(
            [csvstat, *options, "--snifflimit", "0", str(path)], capture_output=True, text=True, timeout=300
        )
        assert proc.returncode == 0 and not proc.stderr, (path, proc.stderr)
        name = path.stem
        assert f"Row count: {len(package_rows[name])}" in proc.stdout, (path, proc.stdout[-200:])


# --- LibreOffice ------------------------------------------------------------------------------


def _soffice(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        pytest.fail("LibreOffice (soffice) is missing: run `make office-deps` (Debian's libreoffice-calc-nogui)")
    profile = tmp / "profile"
    env = dict(os.environ, HOME=str(tmp))  # its own profile: no state shared with a desktop session
    proc = subprocess.run(
        [exe, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    return proc


#: CSV export: "," , '"', UTF-8 (76), from line 1, language of the system, not every text quoted,
#: (unused), cells as shown (true), no formulas, (unused), every sheet to its own file (-1).
EXPORT_EVERY_SHEET = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"


@pytest.fixture(scope="module")
def office_sheets(data: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[list[str]]]:
    """``cong-khai.xlsx`` converted by LibreOffice, one CSV per sheet: {sheet: rows}."""
    tmp = tmp_path_factory.mktemp("office")
    shutil.copyfile(data / sitemap.WORKBOOK, tmp / "cong-khai.xlsx")
    _soffice(tmp, "--convert-to", EXPORT_EVERY_SHEET, "--outdir", str(tmp / "out"), str(tmp / "cong-khai.xlsx"))
    return {p.stem.removeprefix("cong-khai-"): _csv_rows(p) for p in (tmp / "out").glob("*.csv")}


def test_libreoffice_opens_the_workbook_sheet_by_sheet(office_sheets, package: dict[str, Any]) -> None:
    model = load_model()
    assert set(office_sheets) == {*model.tables, workbook.DICTIONARY_SHEET}
    for table in model.tables.values():
        rows = office_sheets[table.name]
        assert rows[0][: len(table.fields)] == [f.title for f in table.fields]
        assert rows[1][: len(table.fields)] == table.field_names


def test_libreoffice_reads_the_first_sheet_as_written(office_sheets, data: Path) -> None:
    """The plans sheet (the first): every text cell as the CSV has it (Vietnamese, NFC), dates as
    dates, whole numbers as numbers."""
    model = load_model()
    first = next(iter(model.tables.values()))
    sheet = office_sheets[first.name][workbook.HEADER_ROWS :]
    raw = _csv_rows(data / f"{first.name}.csv")
    assert len(sheet) == len(raw) - 1 >= 5
    titles = [row[first.field_names.index("title")] for row in sheet]
    assert any("Dân vận" in t or "dân vận" in t for t in titles)
    _same_cells(first, raw, sheet)


def test_libreoffice_keeps_codes_as_text_and_dates_as_dates(office_sheets, data: Path) -> None:
    """The provinces sheet has both: administrative codes such as ``01`` and validity dates."""
    table = load_model().tables["provinces"]
    sheet = office_sheets["provinces"][workbook.HEADER_ROWS :]
    raw = _csv_rows(data / "provinces.csv")
    codes = [row[table.field_names.index("code")] for row in sheet]
    assert "01" in codes and sum(c.startswith("0") for c in codes) >= 5
    dated = [
        row[table.field_names.index("valid_until")] for row in sheet if row[table.field_names.index("valid_until")]
    ]
    # a date cell shown in the workbook's DD/MM/YYYY, not the ISO text a text cell would show
    assert "30/06/2025" in dated and all(re.fullmatch(r"\d\d/\d\d/\d{4}", d) for d in dated)
    _same_cells(table, raw, sheet)


def test_libreoffice_reads_underscore_codes_as_written(office_sheets) -> None:
    """``mang_xa_hoi`` holds ``_xa_``, which LibreOffice reads as an OOXML escape (a line break)
    unless the workbook cuts it (congkhai/render/workbook.py ``ooxml_text``)."""
    text = "\n".join(",".join(row) for row in office_sheets[workbook.DICTIONARY_SHEET])
    assert "mang_xa_hoi" in text


def _same_cells(table: Any, raw: list[list[str]], sheet: list[list[str]]) -> None:
    header = raw[0]
    for csv_row, office_row in zip(raw[1:], sheet, strict=True):
        office_row = office_row + [""] * (len(header) - len(office_row))
        for f in table.fields:
            a, b = csv_row[header.index(f.name)], office_row[header.index(f.name)]
            if f.type in ("string", "integer"):
                assert b == a, (table.name, f.name, a, b)
            elif f.type == "list":  # the workbook joins a list with "; " (workbook.LIST_JOIN)
                assert b.split(workbook.LIST_JOIN) == (a.split(";") if a else [""]), (table.name, f.name, a, b)
            elif f.type == "date" and a:
                assert b == dt.date.fromisoformat(a).strftime("%d/%m/%Y"), (table.name, f.name, a, b)
            elif f.type == "boolean" and a:
                assert b == a.upper(), (table.name, f.name, a, b)


def test_libreoffice_opens_the_excel_copies_with_their_columns(
    data: Path, package: dict[str, Any], package_rows, tmp_path: Path
) -> None:
    """Each ``excel/<table>.csv`` imported with ``;``, ``"`` and UTF-8 (59,34,76) and saved as a
    plain CSV: the package's columns, its rows, the Vietnamese text intact."""
    src = tmp_path / "in"
    src.mkdir()
    names = [r["name"] for r in package["resources"]]
    for name in names:
        shutil.copyfile(data / sitemap.EXCEL_DIR / f"{name}.csv", src / f"{name}.csv")
    _soffice(
        tmp_path,
        "--infilter=Text - txt - csv (StarCalc):59,34,76,1",
        "--convert-to",
        "csv:Text - txt - csv (StarCalc):44,34,76,1",
        "--outdir",
        str(tmp_path / "out"),
        *[str(src / f"{name}.csv") for name in names],
    )
    for resource in package["resources"]:
        rows = _csv_rows(tmp_path / "out" / resource["path"])
        assert rows[0] == [f["name"] for f in resource["schema"]["fields"]], resource["name"]
        assert len(rows) - 1 == len(package_rows[resource["name"]]), resource["name"]
    plans = _csv_rows(tmp_path / "out" / "plans.csv")
    raw = _csv_rows(data / "plans.csv")
    title = raw[0].index("title")
    assert [r[title] for r in plans[1:]] == [r[title] for r in raw[1:]]


def test_the_office_conversion_sees_a_broken_sheet(tmp_path: Path) -> None:
    """Not vacuous: a workbook whose ``_xa_`` is stored as is comes back broken from LibreOffice."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("s")
    ws.append(["mang_xa_hoi", "06"])
    buf = io.BytesIO()
    wb.save(buf)
    (tmp_path / "raw.xlsx").write_bytes(buf.getvalue())
    _soffice(
        tmp_path,
        "--convert-to",
        "csv:Text - txt - csv (StarCalc):44,34,76,1",
        "--outdir",
        str(tmp_path / "out"),
        str(tmp_path / "raw.xlsx"),
    )
    [[text, code]] = [row for row in _csv_rows(tmp_path / "out" / "raw.csv") if row]
    assert text != "mang_xa_hoi" and code == "06"
