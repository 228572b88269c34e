"""The published copy of a Word original (congkhai/render/docxclean.py): comments, tracked changes
and personal metadata removed; the text reads as accepted; the bytes are deterministic."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from congkhai.publish.site import stage_docs
from congkhai.render.docxclean import clean_docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
AUTHOR = "Nguyễn Văn Soạn"
TRACKED = (
    f'<w:p xmlns:w="{W}" w:rsidR="00A1B2C3" w:rsidRDefault="00A1B2C3">'
    '<w:r w:rsidR="00A1B2C3"><w:t xml:space="preserve">Hạn nộp báo cáo: </w:t></w:r>'
    f'<w:ins w:id="91" w:author="{AUTHOR}" w:date="2024-03-01T00:00:00Z"><w:r><w:t>ngày 15/6</w:t></w:r></w:ins>'
    f'<w:del w:id="92" w:author="{AUTHOR}" w:date="2024-03-01T00:00:00Z"><w:r><w:delText>ngày 30/5</w:delText></w:r></w:del>'
    '<w:r><w:rPr><w:b/><w:rPrChange w:id="93" w:author="X" w:date="2024-03-01T00:00:00Z"><w:rPr/></w:rPrChange></w:rPr>'
    "<w:t>.</w:t></w:r></w:p>"
)


def word_file() -> bytes:
    """A .docx with a comment, an insertion, a deletion, a formatting change, an author, a
    company and revision ids, as Word leaves them."""
    d = docx.Document()
    d.core_properties.author = AUTHOR
    d.core_properties.last_modified_by = AUTHOR
    para = d.add_paragraph("Kế hoạch tuyên truyền Luật Thực hiện dân chủ ở cơ sở.")
    d.add_comment(para.runs, text="Xem lại câu này", author=AUTHOR, initials="NVS")
    d.element.body.insert(1, etree.fromstring(TRACKED))
    buf = io.BytesIO()
    d.save(buf)
    parts = {}
    with zipfile.ZipFile(buf) as z:
        for name in z.namelist():
            parts[name] = z.read(name)
    parts["docProps/app.xml"] = parts["docProps/app.xml"].replace(
        b"</Properties>", "<Company>UBND huyện Cao Lộc</Company><Manager>Trần B</Manager></Properties>".encode()
    )
    parts["word/people.xml"] = f'<w15:people xmlns:w15="x"><w15:person w15:author="{AUTHOR}"/></w15:people>'.encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in parts.items():
            z.writestr(name, body)
    return out.getvalue()


@pytest.fixture(scope="module")
def original() -> bytes:
    return word_file()


def xml_of(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xml", ".rels"))}


def test_the_fixture_has_what_must_go(original: bytes) -> None:
    parts = xml_of(original)
    assert "word/comments.xml" in parts and "word/people.xml" in parts
    assert "<w:del " in parts["word/document.xml"] and "commentReference" in parts["word/document.xml"]
    assert AUTHOR in parts["docProps/core.xml"] and "w:rsid" in parts["word/document.xml"]


def test_comments_tracked_changes_and_personal_metadata_are_removed(original: bytes) -> None:
    cleaned = clean_docx(original)
    parts = xml_of(cleaned)
    assert not [n for n in parts if "comments" in n or n == "word/people.xml"]
    everything = "\n".join(parts.values())
    assert AUTHOR not in everything and "UBND huyện Cao Lộc" not in everything and "Trần B" not in everything
    document = parts["word/document.xml"]
    for mark in ("commentRangeStart", "commentRangeEnd", "commentReference", "<w:ins", "<w:del", "rPrChange", "rsid"):
        assert mark not in document, mark
    assert "comments" not in parts["[Content_Types].xml"] and "people" not in parts["[Content_Types].xml"]
    assert "comments" not in parts["word/_rels/document.xml.rels"]
    # python-docx reads it, and the text reads as accepted
    d = docx.Document(io.BytesIO(cleaned))
    text = [p.text for p in d.paragraphs]
    assert "Hạn nộp báo cáo: ngày 15/6." in text
    assert "Kế hoạch tuyên truyền Luật Thực hiện dân chủ ở cơ sở." in text
    assert not any("30/5" in t for t in text)
    assert d.core_properties.author == "" and d.core_properties.last_modified_by == ""
    assert not d.comments or len(list(d.comments)) == 0


def test_the_bytes_are_deterministic(original: bytes) -> None:
    once = clean_docx(original)
    assert clean_docx(original) == once
    with zipfile.ZipFile(io.BytesIO(once)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert clean_docx(once) == once  # nothing left to clean


def test_the_site_publishes_the_cleaned_copy_and_the_repository_keeps_the_original(
    original: bytes, tmp_path: Path
) -> None:
    plan_dir = tmp_path / "docs" / "plans" / "lang-son"
    plan_dir.mkdir(parents=True)
    (plan_dir / "ke-hoach.docx").write_bytes(original)
    out = tmp_path / "out"
    stage_docs(tmp_path, {}, out)
    published = (out / "plans" / "lang-son" / "ke-hoach.docx").read_bytes()
    assert published == clean_docx(original)
    assert (plan_dir / "ke-hoach.docx").read_bytes() == original
