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
    from congkhai.importer.wordnumbering import _letter, _roman

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


# --- limits: refused from the zip directory and a streamed count, before python-docx parses -------


def _package(path: Path, replace: dict[str, bytes] | None = None, extra: dict[str, int] | None = None) -> Path:
    """A real .docx with some parts replaced and ``extra`` parts of that many zeros (written in
    1 MB chunks, so the test itself never holds them in memory)."""
    import zipfile

    plain = path.with_name("plain.docx")
    Document().save(str(plain))
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in src.infolist():
            out.writestr(info.filename, (replace or {}).get(info.filename, src.read(info)))
        for name, size in (extra or {}).items():
            with out.open(name, "w", force_zip64=True) as fh:
                chunk = bytes(1024 * 1024)
                for _ in range(size // len(chunk)):
                    fh.write(chunk)
                fh.write(bytes(size % len(chunk)))
    return path


def test_a_zip_bomb_is_refused_from_the_zip_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import tracemalloc

    from congkhai.importer.sources import LimitError, read_text
    from congkhai.model.limits import DOCX_MEMBER_BYTES

    bomb = _package(tmp_path / "ke-hoach.docx", extra={"word/media/image1.png": 200 * 1024 * 1024})
    assert bomb.stat().st_size < 1024 * 1024  # 200 MB of zeros deflated to a few hundred KB
    tracemalloc.start()
    try:
        with pytest.raises(LimitError) as refused:
            read_text(bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert refused.value.limit is DOCX_MEMBER_BYTES and refused.value.actual == 200 * 1024 * 1024
    assert peak < 20 * 1024 * 1024  # nothing was decompressed
    assert main(["import", str(bomb)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err and "Lỗi nội bộ" not in err
    assert "ke-hoach.docx" in err and "word/media/image1.png" in err and "200 MB" in err and "32 MB" in err
    assert "tách phụ lục" in err and "move the appendices" not in err  # the language asked for
    assert main(["import", str(bomb), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "word/media/image1.png" in err and "move the appendices" in err


def test_an_abnormal_compression_ratio_is_refused(tmp_path: Path) -> None:
    from congkhai.importer.sources import LimitError, read_text
    from congkhai.model.limits import DOCX_RATIO

    bomb = _package(tmp_path / "k.docx", extra={"word/media/image1.png": 4 * 1024 * 1024})  # under 32 MB
    with pytest.raises(LimitError) as refused:
        read_text(bomb)
    assert refused.value.limit is DOCX_RATIO and "500:1" in refused.value.message_vi


def test_too_many_zip_members_are_refused(tmp_path: Path) -> None:
    import zipfile

    from congkhai.importer.sources import LimitError, read_text
    from congkhai.model.limits import DOCX_MEMBERS

    path = _package(tmp_path / "k.docx")
    with zipfile.ZipFile(path, "a") as out:
        for i in range(DOCX_MEMBERS.value):
            out.writestr(f"word/media/image{i}.png", b"")
    with pytest.raises(LimitError) as refused:
        read_text(path)
    assert refused.value.limit is DOCX_MEMBERS and refused.value.actual > DOCX_MEMBERS.value


def test_the_total_uncompressed_size_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    from congkhai.importer import docx, sources

    # the real limit (128 MB) needs more than 25 MB of incompressible parts: the check, at 1 MB
    monkeypatch.setattr(docx, "DOCX_TOTAL_BYTES", dataclasses.replace(docx.DOCX_TOTAL_BYTES, value=1024 * 1024))
    path = _package(tmp_path / "k.docx", extra={f"word/media/image{i}.png": 400_000 for i in range(3)})
    with pytest.raises(sources.LimitError) as refused:
        sources.read_text(path)
    assert refused.value.limit.name == "docx_total_bytes" and refused.value.actual > 1_200_000


def _with_paragraphs(path: Path, n: int) -> Path:
    import zipfile

    Document().save(str(path.with_name("plain.docx")))
    with zipfile.ZipFile(path.with_name("plain.docx")) as src:
        xml = src.read("word/document.xml").decode()
    start = xml.index("<w:body>") + len("<w:body>")
    paras = "<w:p><w:r><w:t>Đoạn.</w:t></w:r></w:p>" * n
    return _package(path, replace={"word/document.xml": (xml[:start] + paras + xml[start:]).encode()})


def test_too_many_paragraphs_are_refused_before_the_document_is_built(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from congkhai.importer.docx import check_package
    from congkhai.importer.sources import LimitError, read_text
    from congkhai.model.limits import DOCX_PARAGRAPHS

    many = _with_paragraphs(tmp_path / "nhieu-doan.docx", DOCX_PARAGRAPHS.value + 1)
    with pytest.raises(LimitError) as refused:
        read_text(many)
    assert refused.value.limit is DOCX_PARAGRAPHS and refused.value.actual == DOCX_PARAGRAPHS.value + 1
    assert main(["import", str(many)]) == 1
    err = capsys.readouterr().err
    assert "Số đoạn văn của tệp Word là 50.001, vượt giới hạn 50.000" in err and "Traceback" not in err
    check_package(_with_paragraphs(tmp_path / "du.docx", DOCX_PARAGRAPHS.value - 1))  # at the limit: accepted
