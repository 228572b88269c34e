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
