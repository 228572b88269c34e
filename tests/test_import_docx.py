"""A .docx made from each seed's text imports to the same extraction as the text itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx import Document

from congkhai.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "docs" / "plans").glob("*/*.txt"))


def _docx(text: str, path: Path) -> Path:
    doc = Document()
    for block in text.split("\n\n"):
        para = doc.add_paragraph()
        for i, line in enumerate(block.strip("\n").split("\n")):
            if i:
                para.add_run().add_break()
            para.add_run(line)
    doc.save(str(path))
    return path


def _extract(argv: list[str], capsys: pytest.CaptureFixture[str]) -> dict:
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.parent.name)
def test_docx_round_trips(seed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = seed.read_text(encoding="utf-8")
    from_text = _extract(["import", str(seed), "--json"], capsys)
    from_docx = _extract(["import", str(_docx(text, tmp_path / "ke-hoach.docx")), "--json"], capsys)
    assert from_docx["document"] == from_text["document"]
    assert [d["number"] for d in from_docx["directives"]] == [d["number"] for d in from_text["directives"]]
    assert len(from_docx["tasks"]) == len(from_text["tasks"])


def test_list_numbers_from_a_corrupt_start_value_stay_bounded():
    # <w:start w:val="1000000000000000"/> with upperRoman looped 10**12 times (found by fuzzing)
    from congkhai.importer.sources import _letter, _roman

    assert (_roman(4), _roman(3999), _roman(4000), _roman(10**7), _roman(0), _roman(-3)) == (
        "IV", "MMMCMXCIX", "4000", str(10**7), "", ""
    )  # fmt: skip
    assert (_letter(1), _letter(27), _letter(780), _letter(781), _letter(10**7)) == (
        "a", "aa", "z" * 30, "781", str(10**7)
    )  # fmt: skip


def test_a_superscript_digit_sign_is_text_not_a_corrupt_file(tmp_path: Path) -> None:
    # "²" is a digit to str.isdigit() but not to int(): the .docx was refused as corrupt (found by fuzzing)
    from congkhai.importer.sources import read_text

    doc = Document()
    doc.add_paragraph("Kế hoạch thực hiện dân chủ ở cơ sở năm 2024 của Ủy ban nhân dân tỉnh")
    p = doc.add_paragraph()
    p.add_run("²").font.superscript = True
    p.add_run("Ghi chú cuối trang")
    doc.save(str(tmp_path / "k.docx"))
    assert read_text(tmp_path / "k.docx").endswith("²Ghi chú cuối trang")
