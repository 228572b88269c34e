"""Reading source files: .docx (tables, footnotes, legacy fonts, numbering), .txt encodings, PDF."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Pt

from congkhai.importer.sources import SourceError, read_text
from tests.test_legacy import encode_tcvn3, encode_vni

ROOT = Path(__file__).resolve().parent.parent
SEED_TXT = sorted((ROOT / "docs" / "plans").glob("*/*.txt"))
SENTENCE = "Kế hoạch thực hiện công tác dân vận chính quyền các cấp trên địa bàn huyện Cao Lộc năm 2024"


def _font(run, name: str) -> None:
    run.font.name = name
    run._element.rPr.rFonts.set(qn("w:hAnsi"), name)


def _header_doc() -> docx.Document:
    d = docx.Document()
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "UBND HUYỆN CAO LỘC"
    motto = table.cell(0, 1)
    motto.text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    motto.add_paragraph("Độc lập - Tự do - Hạnh phúc")
    table.cell(1, 0).text = "Số: 12/KH-UBND"
    table.cell(1, 1).text = "Cao Lộc, ngày 05 tháng 3 năm 2024"
    d.add_paragraph("KẾ HOẠCH")
    p = d.add_paragraph()
    p.add_run("Thực hiện công tác ").bold = True
    p.add_run("dân vận").italic = True
    p.add_run(" năm 2024")
    return d


def _save(d: docx.Document, path: Path) -> Path:
    d.save(str(path))
    return path


def test_docx_header_table_and_paragraphs(tmp_path: Path) -> None:
    text = read_text(_save(_header_doc(), tmp_path / "a.docx"))
    assert text == (
        "UBND HUYỆN CAO LỘC\n\nSố: 12/KH-UBND\n\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
        "Cao Lộc, ngày 05 tháng 3 năm 2024\n\nKẾ HOẠCH\n\nThực hiện công tác dân vận năm 2024"
    )


def test_docx_wide_table_is_read_as_a_markdown_table(tmp_path: Path) -> None:
    # a cell a paragraph shredded a task table: every cell became a "task", the numbers debris
    d = docx.Document()
    t = d.add_table(rows=2, cols=3)
    for r, row in enumerate([["TT", "Nhiệm vụ", "Chủ trì"], ["1", "Tuyên truyền | niêm yết", "Phòng Nội vụ"]]):
        for c, value in enumerate(row):
            t.cell(r, c).text = value
    assert read_text(_save(d, tmp_path / "t.docx")) == (
        "| TT | Nhiệm vụ | Chủ trì |\n|---|---|---|\n| 1 | Tuyên truyền \\| niêm yết | Phòng Nội vụ |"
    )


def test_docx_header_in_three_columns_is_still_a_layout(tmp_path: Path) -> None:
    # issuer | spacer | motto: a header laid out in three columns is no table of data
    d = docx.Document()
    t = d.add_table(rows=2, cols=3)
    t.cell(0, 0).text, t.cell(0, 2).text = "UBND HUYỆN CAO LỘC", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    t.cell(1, 0).text, t.cell(1, 2).text = "Số: 12/KH-UBND", "Cao Lộc, ngày 05 tháng 3 năm 2024"
    assert read_text(_save(d, tmp_path / "h.docx")).split("\n\n") == [
        "UBND HUYỆN CAO LỘC", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 12/KH-UBND", "Cao Lộc, ngày 05 tháng 3 năm 2024"
    ]  # fmt: skip


def test_docx_merged_cells_keep_their_columns(tmp_path: Path) -> None:
    # a group row spans the table (gridSpan); a lead merged down two rows (vMerge) leads both
    d = docx.Document()
    t = d.add_table(rows=4, cols=3)
    t.cell(0, 0).text, t.cell(0, 1).text, t.cell(0, 2).text = "TT", "Nội dung", "Chủ trì"
    t.cell(1, 0).merge(t.cell(1, 2)).text = "I. TUYÊN TRUYỀN"
    t.cell(2, 0).text, t.cell(2, 1).text, t.cell(3, 0).text, t.cell(3, 1).text = "1", "Hội nghị", "2", "Tập huấn"
    t.cell(2, 2).merge(t.cell(3, 2)).text = "Phòng Nội vụ"
    assert read_text(_save(d, tmp_path / "m.docx")).split("\n") == [
        "| TT | Nội dung | Chủ trì |", "|---|---|---|", "| I. TUYÊN TRUYỀN |  |  |",
        "| 1 | Hội nghị | Phòng Nội vụ |", "| 2 | Tập huấn | Phòng Nội vụ |",
    ]  # fmt: skip


TEXT_BOX = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:wsp>'
    "<wps:txbx><w:txbxContent><w:p><w:r><w:t>CHỦ TỊCH</w:t></w:r></w:p><w:p><w:r><w:t>Vi Văn Sơn</w:t></w:r></w:p>"
    "</w:txbxContent></wps:txbx></wps:wsp></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>"
    "<w:txbxContent><w:p><w:r><w:t>CHỦ TỊCH</w:t></w:r></w:p><w:p><w:r><w:t>Vi Văn Sơn</w:t></w:r></w:p>"
    "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
)


def test_docx_text_box_is_read_once_as_its_own_lines(tmp_path: Path) -> None:
    # a signature in a text box: the drawing and its VML fallback hold it twice, glued to the anchor
    from docx.oxml import parse_xml

    d = docx.Document()
    p = d.add_paragraph("Nơi ký")
    p._p.append(parse_xml(TEXT_BOX))
    assert read_text(_save(d, tmp_path / "x.docx")) == "Nơi ký\n\nCHỦ TỊCH\nVi Văn Sơn"


def test_docx_plus_bullets_stay_plus(tmp_path: Path) -> None:
    from docx.oxml import parse_xml

    d = docx.Document()
    root = d.part.numbering_part.element
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    root.insert(0, parse_xml(
        f'<w:abstractNum {ns} w:abstractNumId="90"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/>'
        '<w:lvlText w:val="+"/></w:lvl><w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/><w:lvlText w:val=""/>'
        "</w:lvl></w:abstractNum>"
    ))  # fmt: skip
    root.append(parse_xml(f'<w:num {ns} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for level, text in ((0, "Rà soát thủ tục"), (1, "chứng thực")):
        d.add_paragraph(text)._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {ns}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>')
        )
    assert read_text(_save(d, tmp_path / "b.docx")) == "+ Rà soát thủ tục\n\n- chứng thực"


def test_docx_without_text_is_refused_as_a_scan(tmp_path: Path) -> None:
    # a scanned page pasted into Word: nothing to read, so no empty draft but a clear message
    d = docx.Document()
    d.add_paragraph("   ")
    d.add_paragraph()
    with pytest.raises(SourceError) as refused:
        read_text(_save(d, tmp_path / "scan.docx"))
    assert "không có chữ" in refused.value.message_vi and "OCR" in refused.value.message_vi
    assert refused.value.exit_code == 1


def test_docx_page_break_and_line_break(tmp_path: Path) -> None:
    d = docx.Document()
    p = d.add_paragraph("việc thực ")
    p.add_run().add_break(WD_BREAK.PAGE)
    p.add_run("hiện")
    q = d.add_paragraph("Nơi nhận:")
    q.add_run().add_break()
    q.add_run("- Như trên;")
    assert read_text(_save(d, tmp_path / "b.docx")) == "việc thực hiện\n\nNơi nhận:\n- Như trên;"


def test_docx_list_numbering(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("Mục đích", style="List Number")
    d.add_paragraph("Yêu cầu", style="List Number")
    assert read_text(_save(d, tmp_path / "n.docx")) == "1. Mục đích\n\n2. Yêu cầu"


def test_docx_legacy_fonts(tmp_path: Path) -> None:
    d = docx.Document()
    p = d.add_paragraph()
    _font(p.add_run(encode_tcvn3("kế hoạch")), ".VnTimeH")
    p = d.add_paragraph()
    _font(p.add_run(encode_tcvn3(SENTENCE)), ".VnTime")
    p = d.add_paragraph()
    _font(p.add_run(encode_vni(SENTENCE)), "VNI-Times")
    p.add_run(" (Unicode)")
    assert read_text(_save(d, tmp_path / "l.docx")).split("\n\n") == ["KẾ HOẠCH", SENTENCE, SENTENCE + " (Unicode)"]


def test_docx_whole_document_in_tcvn3_without_font_names(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph(encode_tcvn3(SENTENCE))
    d.add_paragraph(encode_tcvn3("Căn cứ Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ"))
    text = read_text(_save(d, tmp_path / "t3.docx"))
    assert text.split("\n\n")[0] == SENTENCE


FOOTNOTES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
    "</w:footnote>"
    '<w:footnote w:id="1"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
    '<w:r><w:t xml:space="preserve"> Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15.</w:t></w:r></w:p></w:footnote>'
    '<w:footnote w:id="2"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t>Chỉ thị số 33/CT-TTg.</w:t></w:r></w:p>'
    "</w:footnote></w:footnotes>"
)


def _add_footnotes(path: Path) -> None:
    """python-docx cannot write footnotes: add the part, its relationship and content type."""
    src = zipfile.ZipFile(path)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>',
                )
            elif item.filename == "word/_rels/document.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdFn" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    b'relationships/footnotes" Target="footnotes.xml"/></Relationships>',
                )
            out.writestr(item, data)
        out.writestr("word/footnotes.xml", FOOTNOTES)
    src.close()
    path.write_bytes(buf.getvalue())


def _footnote_ref(paragraph, note_id: int) -> None:
    run = paragraph.add_run()
    ref = run._element.makeelement(qn("w:footnoteReference"), {qn("w:id"): str(note_id)})
    run._element.append(ref)


def test_docx_footnotes(tmp_path: Path) -> None:
    d = docx.Document()
    p = d.add_paragraph("Thực hiện Chỉ thị số 33/CT-TTg")
    _footnote_ref(p, 2)
    p.add_run(" và Luật")
    _footnote_ref(p, 1)
    p.add_run(".")
    path = _save(d, tmp_path / "f.docx")
    _add_footnotes(path)
    assert read_text(path) == (
        "Thực hiện Chỉ thị số 33/CT-TTg[^1] và Luật[^2].\n\n"
        "[^1]: Chỉ thị số 33/CT-TTg.\n\n[^2]: Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15."
    )


def test_docx_superscript_marks_from_web_copies(tmp_path: Path) -> None:
    d = docx.Document()
    p = d.add_paragraph("theo Kế hoạch số 222-KH/HU")
    p.add_run("1").font.superscript = True
    p.add_run(" trên diện tích 25 m")
    p.add_run("2").font.superscript = True
    d.add_paragraph("về tiếp tục thực hiện")
    note = d.add_paragraph()
    note.add_run("1").font.superscript = True
    note.add_run(" Kế hoạch số 222-KH/HU ngày 12/01/2024 của Huyện ủy.").font.size = Pt(10)
    assert read_text(_save(d, tmp_path / "s.docx")) == (
        "theo Kế hoạch số 222-KH/HU[^1] trên diện tích 25 m²\n\nvề tiếp tục thực hiện\n\n"
        "[^1]: Kế hoạch số 222-KH/HU ngày 12/01/2024 của Huyện ủy."
    )


# --- plain text ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", SEED_TXT, ids=lambda p: p.name)
def test_txt_seeds_read_unchanged_in_every_encoding(tmp_path: Path, path: Path) -> None:
    original = path.read_text(encoding="utf-8")
    expected = read_text(path)
    assert expected.split() == original.split()
    for name, data in {
        "bom.txt": b"\xef\xbb\xbf" + original.encode("utf-8"),
        "crlf.txt": original.replace("\n", "\r\n").encode("utf-8"),
        "utf16.txt": original.encode("utf-16"),
        "utf16le.txt": original.encode("utf-16-le"),
        "cp1258.txt": _cp1258(original),
        "nfd.md": __import__("unicodedata").normalize("NFD", original).encode("utf-8"),
        "double.txt": original.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8"),
    }.items():
        if name == "double.txt" and "\ufffd" in data.decode("utf-8"):
            continue  # bytes Windows-1252 leaves undefined: not a realistic double encoding
        target = tmp_path / name
        target.write_bytes(data)
        assert read_text(target) == expected, name


def _cp1258(text: str) -> bytes:
    import unicodedata

    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            nfd = unicodedata.normalize("NFD", ch)  # ế: ê in the code page, then the combining acute
            shape = "".join(m for m in nfd[1:] if m in "\u0302\u0306\u031b")
            tone = "".join(m for m in nfd[1:] if m not in shape)
            out += unicodedata.normalize("NFC", nfd[0] + shape).encode("cp1258") + tone.encode("cp1258")
    return bytes(out)


def _legacy_bytes(text: str, encode) -> bytes:
    return bytes(_byte(ch) for ch in encode(text))


def _byte(ch: str) -> int:
    try:
        return ch.encode("cp1252")[0]
    except UnicodeEncodeError:
        return ord(ch)


@pytest.mark.parametrize("encode", [encode_tcvn3, encode_vni], ids=["tcvn3", "vni"])
def test_txt_legacy_bytes(tmp_path: Path, encode) -> None:
    # "¹" is byte 0xB9, the letter ạ in TCVN3: a legacy file cannot hold it
    original = SEED_TXT[3].read_text(encoding="utf-8").replace("¹", "")
    unicode_file = tmp_path / "unicode.txt"
    unicode_file.write_text(original, encoding="utf-8")
    target = tmp_path / "legacy.txt"
    target.write_bytes(_legacy_bytes(original, encode))
    assert read_text(target) == read_text(unicode_file)
    # pasted into a UTF-8 file: the same mojibake as characters
    target.write_text(encode(original), encoding="utf-8")
    assert read_text(target) == read_text(unicode_file)


# --- refusals -----------------------------------------------------------------------------------


def test_refusals(tmp_path: Path) -> None:
    cases = {
        "old.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
        "plan.odt": b"PK\x03\x04",
        "broken.docx": b"PK\x03\x04 not really a zip",
        "renamed.docx": b"plain text, not a Word file",
        "binary.txt": bytes(range(256)) * 4,
        "rich.rtf": b"{\\rtf1\\ansi hello}",
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(SourceError) as info:
            read_text(path)
        assert info.value.message_vi and info.value.message_en, name
        assert "thử lại" in info.value.message_vi or "tệp" in info.value.message_vi
    with pytest.raises(SourceError, match="Không tìm thấy"):
        read_text(tmp_path / "missing.docx")


def test_unconvertible_mojibake_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_text("Kª ho¹ch thùc hiÖn ¤¥ ¦§ Ê¿Ë ÆÇ Þß " * 3 + "plain English words here and there " * 30)
    with pytest.raises(SourceError) as info:
        read_text(path)
    assert "Unikey" in info.value.message_vi


# --- PDF ----------------------------------------------------------------------------------------


def _pdf(text: str | None) -> bytes:
    """A one-page PDF, with a line of Helvetica text or without any text (a "scan")."""
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode() if text else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_pdf_text_layer_and_scan(tmp_path: Path) -> None:
    pytest.importorskip("pypdf")
    path = tmp_path / "plan.pdf"
    path.write_bytes(_pdf("Ke hoach thuc hien cong tac dan van chinh quyen nam 2024 tren dia ban huyen"))
    assert read_text(path) == "Ke hoach thuc hien cong tac dan van chinh quyen nam 2024 tren dia ban huyen"
    path.write_bytes(_pdf(None))
    with pytest.raises(SourceError, match="scan"):
        read_text(path)
    path.write_bytes(b"%PDF-1.4 garbage")
    with pytest.raises(SourceError):
        read_text(path)


NS_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _listed(d: docx.Document, text: str, num_id: int) -> None:
    from docx.oxml import parse_xml

    d.add_paragraph(text)._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {NS_W}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>')
    )


def test_docx_lists_of_one_definition_count_on_as_word_prints_them(tmp_path: Path) -> None:
    # a list pasted in gets a new w:num of the same definition: Word goes on "3.", not "1." again;
    # a w:num with a startOverride starts again
    from docx.oxml import parse_xml

    d = docx.Document()
    root = d.part.numbering_part.element
    root.insert(0, parse_xml(
        f'<w:abstractNum {NS_W} w:abstractNumId="80"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
    ))  # fmt: skip
    root.append(parse_xml(f'<w:num {NS_W} w:numId="80"><w:abstractNumId w:val="80"/></w:num>'))
    root.append(parse_xml(f'<w:num {NS_W} w:numId="81"><w:abstractNumId w:val="80"/></w:num>'))
    root.append(parse_xml(
        f'<w:num {NS_W} w:numId="82"><w:abstractNumId w:val="80"/><w:lvlOverride w:ilvl="0">'
        '<w:startOverride w:val="1"/></w:lvlOverride></w:num>'
    ))  # fmt: skip
    for text, num in (("Một", 80), ("Hai", 80), ("Ba", 81), ("Lại một", 82)):
        _listed(d, text, num)
    assert read_text(_save(d, tmp_path / "n.docx")).split("\n\n") == ["1. Một", "2. Hai", "3. Ba", "1. Lại một"]


def test_docx_list_linked_to_a_list_style_is_numbered(tmp_path: Path) -> None:
    # a multilevel list style: the w:num's definition only links (numStyleLink) to the style,
    # whose own list holds the levels ("I.", "1.")
    from docx.oxml import parse_xml

    d = docx.Document()
    root = d.part.numbering_part.element
    root.insert(0, parse_xml(
        f'<w:abstractNum {NS_W} w:abstractNumId="70"><w:styleLink w:val="DeMuc"/><w:lvl w:ilvl="0">'
        '<w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
    ))  # fmt: skip
    root.insert(1, parse_xml(
        f'<w:abstractNum {NS_W} w:abstractNumId="71"><w:numStyleLink w:val="DeMuc"/></w:abstractNum>'
    ))  # fmt: skip
    root.append(parse_xml(f'<w:num {NS_W} w:numId="70"><w:abstractNumId w:val="70"/></w:num>'))
    root.append(parse_xml(f'<w:num {NS_W} w:numId="71"><w:abstractNumId w:val="71"/></w:num>'))
    d.styles.element.append(parse_xml(
        f'<w:style {NS_W} w:type="numbering" w:styleId="DeMuc"><w:name w:val="De muc"/>'
        '<w:pPr><w:numPr><w:numId w:val="70"/></w:numPr></w:pPr></w:style>'
    ))  # fmt: skip
    _listed(d, "MỤC ĐÍCH, YÊU CẦU", 71)
    _listed(d, "NỘI DUNG", 71)
    assert read_text(_save(d, tmp_path / "s.docx")) == "I. MỤC ĐÍCH, YÊU CẦU\n\nII. NỘI DUNG"


def test_docx_content_in_tagged_xml_and_content_controls_is_read(tmp_path: Path) -> None:
    # a paragraph in w:customXml, a table row in a repeating-section content control
    from docx.oxml import parse_xml

    d = docx.Document()
    d.element.body.insert(0, parse_xml(
        f'<w:customXml {NS_W} w:element="noidung"><w:p><w:r><w:t>Đoạn trong thẻ</w:t></w:r></w:p></w:customXml>'
    ))  # fmt: skip
    t = d.add_table(rows=1, cols=3)
    for c, value in enumerate(["TT", "Nội dung", "Chủ trì"]):
        t.cell(0, c).text = value
    cells = "".join(f"<w:tc><w:p><w:r><w:t>{v}</w:t></w:r></w:p></w:tc>" for v in ("1", "Hội nghị", "Phòng Nội vụ"))
    t._tbl.append(parse_xml(f"<w:sdt {NS_W}><w:sdtContent><w:tr>{cells}</w:tr></w:sdtContent></w:sdt>"))
    assert read_text(_save(d, tmp_path / "c.docx")).split("\n") == [
        "Đoạn trong thẻ", "", "| TT | Nội dung | Chủ trì |", "|---|---|---|", "| 1 | Hội nghị | Phòng Nội vụ |"
    ]  # fmt: skip
