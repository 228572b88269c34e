"""Read a Word (``.docx``) plan: body paragraphs and tables in document order, list numbering
written out, real footnotes and endnotes as ``[^n]``, legacy-font runs converted.

See :mod:`.sources` for the whole reading contract. The package is checked against the declared
limits (:func:`check_package`: parts, sizes, compression ratio, paragraphs) from its zip directory
before python-docx parses it.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model.limits import (
    DOCX_MEMBER_BYTES,
    DOCX_MEMBERS,
    DOCX_PARAGRAPHS,
    DOCX_RATIO,
    DOCX_TOTAL_BYTES,
    RATIO_MIN_BYTES,
)
from ..vietnamese import legacy
from ..vietnamese.text import fold
from .errors import _SAVE_AS_DOCX, _SAVE_AS_DOCX_EN, LimitError, SourceError
from .wordnumbering import _attr, _Numbering, _related_xml, _w

# --- DOCX --------------------------------------------------------------------------------------

RT_FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
RT_ENDNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_FALLBACK = f"{{{MC}}}Fallback"
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _read_docx(path: Path) -> str:
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError as exc:  # pragma: no cover - python-docx is a dependency
        raise SourceError("Chưa cài python-docx.", "python-docx is not installed.") from exc
    try:
        check_package(path)
        document = docx.Document(str(path))
        reader = _DocxReader(document)
        text = reader.text()
        if not any(ch.isalpha() for ch in text):
            raise SourceError(
                f"Tệp {path.name} không có chữ: có lẽ là ảnh chụp (scan) văn bản dán vào Word. Dùng bản .docx có "
                "chữ của văn bản, hoặc nhận dạng chữ (OCR) rồi lưu thành .docx và kiểm tra lại nội dung.",
                f"{path.name} has no text: probably a scanned image pasted into Word. Use the .docx with text, or "
                "OCR it, save as .docx and proofread.",
            )
        return text
    except SourceError:
        raise
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise SourceError(
            f"Tệp {path.name} không phải tệp .docx hợp lệ (bị hỏng, bị đổi tên hoặc có mật khẩu). {_SAVE_AS_DOCX}",
            f"{path.name} is not a valid .docx (corrupt, renamed or password-protected). {_SAVE_AS_DOCX_EN}",
        ) from exc
    except Exception as exc:  # lxml and zip errors of a damaged package
        if "Memory allocation failed" in str(exc):  # libxml2 out of memory: the import's memory limit
            raise MemoryError(str(exc)) from exc
        if type(exc).__module__.startswith(("lxml", "zipfile", "docx")):
            raise SourceError(
                f"Tệp {path.name} bị hỏng, không đọc được. {_SAVE_AS_DOCX}",
                f"{path.name} is damaged and cannot be read. {_SAVE_AS_DOCX_EN}",
            ) from exc
        raise


def check_package(path: Path) -> None:
    """Refuse a Word file over a limit from its zip directory, before anything is decompressed,
    then count its paragraphs while streaming the XML, before python-docx builds it in memory.

    The directory's sizes bound what :mod:`zipfile` will ever decompress (it stops at the declared
    size), so a zip bomb (one part of 200 MB of zeros in a 200 KB file) is refused unread."""
    with zipfile.ZipFile(path) as package:
        members = package.infolist()
        if DOCX_MEMBERS.exceeded(len(members)):
            raise LimitError(DOCX_MEMBERS, path.name, len(members))
        total = 0
        for info in members:
            if DOCX_MEMBER_BYTES.exceeded(info.file_size):
                raise LimitError(DOCX_MEMBER_BYTES, path.name, info.file_size, info.filename)
            ratio = info.file_size / max(1, info.compress_size)
            if info.file_size > RATIO_MIN_BYTES and DOCX_RATIO.exceeded(ratio):
                raise LimitError(DOCX_RATIO, path.name, ratio, info.filename)
            total += info.file_size
        if DOCX_TOTAL_BYTES.exceeded(total):
            raise LimitError(DOCX_TOTAL_BYTES, path.name, total)
        paragraphs = 0
        for info in members:
            if info.filename.lower().endswith(".xml"):
                paragraphs += _count_paragraphs(package, info, DOCX_PARAGRAPHS.value - paragraphs)
                if DOCX_PARAGRAPHS.exceeded(paragraphs):
                    raise LimitError(DOCX_PARAGRAPHS, path.name, paragraphs)


def _count_paragraphs(package: zipfile.ZipFile, info: zipfile.ZipInfo, room: int) -> int:
    """Paragraphs (``w:p``) in one XML part, counted in constant memory; stops past ``room``.

    Every element is dropped as soon as it ends, so memory stays small whatever the part holds;
    a part that is not well-formed XML is left for python-docx to report as damaged."""
    from lxml import etree

    count = 0
    tag = _w("p")
    try:
        with package.open(info) as stream:
            for _event, element in etree.iterparse(
                stream, events=("end",), resolve_entities=False, no_network=True, huge_tree=False
            ):
                if element.tag == tag:
                    count += 1
                    if count > room:
                        break
                element.clear()
                while element.getprevious() is not None:
                    del element.getparent()[0]
    except (etree.XMLSyntaxError, NotImplementedError, RuntimeError):  # bad XML, unknown compression, encrypted
        pass  # python-docx reads the part as before and says the file is damaged (or reads it)
    return count


@dataclass
class _Piece:
    text: str
    superscript: bool = False
    note: str | None = None  # "f12" / "e3": a footnote or endnote reference
    encoding: str | None = None  # legacy font encoding of the run
    capitals: bool = False  # a ".Vn…H" capitals font


@dataclass
class _Para:
    pieces: list[_Piece] = field(default_factory=list)


@dataclass
class _Block:
    """One paragraph, one cell of a layout table (its paragraphs are its lines), or a table read
    as a table: ``rows`` of cells, each cell its paragraphs (``None``: merged with the cell above)."""

    paras: list[_Para]
    rows: list[list[list[_Para] | None]] | None = None


class _Styles:
    def __init__(self, document: Any) -> None:
        root = document.styles.element
        self.styles: dict[str, Any] = {_attr(s, "styleId") or "": s for s in root.iter(_w("style"))}
        defaults = root.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{_w('rPr')}")
        self.default_font = _font_of(defaults)

    def _chain(self, style_id: str | None) -> Iterator[Any]:
        seen: set[str] = set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            style = self.styles[style_id]
            yield style
            style_id = _attr(style.find(_w("basedOn")), "val")

    def font(self, style_id: str | None) -> str | None:
        for style in self._chain(style_id):
            name = _font_of(style.find(_w("rPr")))
            if name:
                return name
        return None

    def num_pr(self, style_id: str | None) -> Any:
        for style in self._chain(style_id):
            num = style.find(f"{_w('pPr')}/{_w('numPr')}")
            if num is not None:
                return num
        return None


def _font_of(rpr: Any) -> str | None:
    if rpr is None:
        return None
    fonts = rpr.find(_w("rFonts"))
    if fonts is None:
        return None
    return _attr(fonts, "ascii") or _attr(fonts, "hAnsi") or _attr(fonts, "cs")


def _legacy_font(name: str | None) -> tuple[str | None, bool]:
    if not name:
        return None, False
    if name.startswith(".Vn") or name.lower().startswith(".vn"):
        return "tcvn3", name.endswith("H")
    if name.upper().startswith("VNI"):
        return "vni", False
    return None, False


class _DocxReader:
    def __init__(self, document: Any) -> None:
        self.document = document
        self.styles = _Styles(document)
        self.numbering = _Numbering(document, self.styles)
        self.notes: dict[str, Any] = {}
        for prefix, reltype, tag in (("f", RT_FOOTNOTES, "footnote"), ("e", RT_ENDNOTES, "endnote")):
            root = _related_xml(document, reltype)
            if root is None:
                continue
            for note in root.iter(_w(tag)):
                if _attr(note, "type") in (None, "normal"):
                    self.notes[prefix + (_attr(note, "id") or "")] = note
        self.note_numbers: dict[str, int] = {}

    # structure ---------------------------------------------------------------------------------
    def blocks(self, container: Any) -> Iterator[_Block]:
        for child in container:
            if child.tag == _w("p"):
                yield _Block([self.paragraph(child)])
                for box in _text_boxes(child):  # a text box is read as a cell: its lines together
                    inside: list[_Block] = []
                    yield _Block(self.cell(box, inside))
                    yield from inside
            elif child.tag == _w("tbl"):
                yield from self.table(child)
            elif child.tag in (_w("sdt"), _w("customXml")):  # content controls, tagged XML: their content
                content = child.find(_w("sdtContent")) if child.tag == _w("sdt") else child
                if content is not None:
                    yield from self.blocks(content)

    def table(self, tbl: Any) -> Iterator[_Block]:
        rows: list[list[Any]] = []
        for tr in _wrapped(tbl, "tr"):  # rows, also those in a content control (a repeating section)
            cells = list(_wrapped(tr, "tc"))
            if cells:
                rows.append(cells)
        layout = [[tc for tc in r if not _continues_merge(tc)] for r in rows]
        width = max((len(r) for r in layout), default=0)
        nested: list[_Block] = []
        if width == 2 and len(layout) <= 4:  # header or signature layout: left column first, a block a cell
            for tc in [r[0] for r in layout if r] + [r[1] for r in layout if len(r) > 1]:
                yield _Block(self.cell(tc, nested))
                yield from nested
                nested.clear()
            return
        if width <= 1 or (len(layout) <= 8 and any(_layout_cell(tc) for r in layout for tc in r)):
            # a frame around paragraphs, or a header or signature laid out in more columns or rows:
            # a cell a block, row by row, as Decree 30's parts are read
            for tc in [tc for r in layout for tc in r]:
                yield _Block(self.cell(tc, nested))
                yield from nested
                nested.clear()
            return
        # a table read as a table: cells on the grid (a merged cell spans its columns, a cell merged
        # with the one above repeats it), rows as printed
        grid: list[list[list[_Para] | None]] = []
        for r in rows:
            line: list[list[_Para] | None] = []
            for tc in r:
                span = int(_attr(tc.find(f"{_w('tcPr')}/{_w('gridSpan')}"), "val") or 1)
                line.append(None if _continues_merge(tc) else self.cell(tc, nested))
                line.extend([[]] * max(0, min(span, 50) - 1))
            grid.append(line)
        yield _Block([], rows=grid)
        yield from nested

    def cell(self, tc: Any, nested: list[_Block]) -> list[_Para]:
        """A cell's paragraphs; its nested tables and text boxes are added to ``nested``."""
        paras: list[_Para] = []
        for child in tc:
            if child.tag == _w("p"):
                paras.append(self.paragraph(child))
                for box in _text_boxes(child):
                    nested.extend(self.blocks(box))
            elif child.tag in (_w("tbl"), _w("sdt"), _w("customXml")):
                nested.extend(self.blocks([child]))
        return paras

    def paragraph(self, p: Any) -> _Para:
        para = _Para()
        ppr = p.find(_w("pPr"))
        style_id = _attr(ppr.find(_w("pStyle")) if ppr is not None else None, "val")
        num_pr = ppr.find(_w("numPr")) if ppr is not None else None
        if num_pr is None:
            num_pr = self.styles.num_pr(style_id)
        if num_pr is not None:
            num_id = _attr(num_pr.find(_w("numId")), "val")
            ilvl = int(_attr(num_pr.find(_w("ilvl")), "val") or 0)
            if num_id and num_id != "0":
                prefix = self.numbering.prefix(num_id, ilvl)
                if prefix:
                    para.pieces.append(_Piece(prefix))
        para_font = self.styles.font(style_id)
        for r in p.iter(_w("r")):
            if _outside(r, p):
                para.pieces.extend(self.run(r, para_font))
        return para

    def run(self, r: Any, para_font: str | None) -> Iterator[_Piece]:
        rpr = r.find(_w("rPr"))
        font = _font_of(rpr)
        if not font and rpr is not None:
            font = self.styles.font(_attr(rpr.find(_w("rStyle")), "val"))
        font = font or para_font or self.styles.default_font
        encoding, capitals = _legacy_font(font)
        superscript = rpr is not None and _attr(rpr.find(_w("vertAlign")), "val") == "superscript"
        for child in r:
            tag = child.tag
            if tag == _w("t"):
                text = child.text or ""
            elif tag == _w("tab"):
                text = "\t"
            elif tag in (_w("br"), _w("cr")):
                text = "" if _attr(child, "type") in ("page", "column") else "\n"
            elif tag == _w("noBreakHyphen"):
                text = "-"
            elif tag in (_w("footnoteReference"), _w("endnoteReference")):
                key = ("f" if tag == _w("footnoteReference") else "e") + (_attr(child, "id") or "")
                yield _Piece("", note=key)
                continue
            else:
                continue
            if text:
                yield _Piece(text, superscript=superscript, encoding=encoding, capitals=capitals)

    # text --------------------------------------------------------------------------------------
    def text(self) -> str:
        blocks = list(self.blocks(self.document.element.body))
        defined = self._superscript_definitions(blocks)
        out: list[str] = []
        web_notes: list[str] = []
        for block in blocks:
            if block.rows is not None:
                table = self.render_table(block.rows, defined)
                if table:
                    out.append(table)
                continue
            lines: list[str] = []
            for para in block.paras:
                number = _leading_superscript(para)
                line = self.render(para, defined).strip()
                if number is not None and number in defined and len(block.paras) == 1:
                    first = next(i for i, p in enumerate(para.pieces) if p.superscript and p.text.strip())
                    body = self.render(_Para(para.pieces[first + 1 :]), defined).strip()
                    web_notes.append(f"[^{defined[number]}]: {body}")
                    line = ""
                if line:
                    lines.append(line)
            if lines:
                out.append("\n".join(lines))
        notes = [f"[^{n}]: {self.note_text(key)}" for key, n in self.note_numbers.items()]
        return "\n\n".join(out + notes + web_notes)

    def render_table(self, rows: list[list[list[_Para] | None]], defined: dict[str, int]) -> str:
        """A Markdown table: the first row is its head; ``|`` in a cell escaped, a cell's
        paragraphs on one line, "; " between them where one does not end with punctuation; a cell
        merged with the one above repeats its text."""
        texts: list[list[str]] = []
        for r in rows:
            line: list[str] = []
            for col, paras in enumerate(r):
                if paras is None:
                    above = texts[-1][col] if texts and col < len(texts[-1]) else ""
                    line.append(above)
                    continue
                text = ""
                for part in (" ".join(self.render(p, defined).split()) for p in paras):
                    if part:  # a cell's paragraphs: "Phòng Nội vụ" / "Văn phòng" are two units
                        text += ("" if not text else " " if text.endswith((".", ",", ";", ":")) else "; ") + part
                line.append(text.replace("|", "\\|"))
            texts.append(line)
        texts = [t for t in texts if any(t)]
        if not texts:
            return ""
        width = max(len(t) for t in texts)
        texts = [t + [""] * (width - len(t)) for t in texts]
        lines = ["| " + " | ".join(t) + " |" for t in texts]
        lines.insert(1, "|" + "---|" * width)
        return "\n".join(lines)

    def _superscript_definitions(self, blocks: list[_Block]) -> dict[str, int]:
        """Superscript numbers that open a paragraph: notes of a web copy, numbered after real ones."""
        numbers = [n for b in blocks if len(b.paras) == 1 for n in [_leading_superscript(b.paras[0])] if n is not None]
        offset = len(self.notes)
        return {n: int(n) + offset for n in dict.fromkeys(numbers)}

    def render(self, para: _Para, defined: dict[str, int]) -> str:
        out: list[str] = []
        group: list[_Piece] = []

        def flush() -> None:
            if group:
                text = "".join(p.text for p in group)
                enc = group[0].encoding
                if enc:
                    text = legacy.convert(text, enc)
                    if group[0].capitals:
                        text = text.upper()
                out.append(text)
                group.clear()

        for piece in para.pieces:
            if piece.note is not None:
                flush()
                if piece.note in self.notes:
                    number = self.note_numbers.setdefault(piece.note, len(self.note_numbers) + 1)
                    out.append(f"[^{number}]")
                continue
            if piece.superscript and piece.text.strip().isdigit():
                flush()
                digits = piece.text.strip()
                out.append(f"[^{defined[digits]}]" if digits in defined else piece.text.translate(_SUPERSCRIPT))
                continue
            if group and (group[0].encoding, group[0].capitals) != (piece.encoding, piece.capitals):
                flush()
            group.append(piece)
        flush()
        text = "".join(out)
        return re.sub(r"\t+", "\t", re.sub(r"[ ]{2,}", " ", text))

    def note_text(self, key: str) -> str:
        note = self.notes[key]
        parts = []
        for p in note.iter(_w("p")):
            para = self.paragraph(p)
            parts.append(self.render(para, {}).strip())
        return " ".join(part for part in parts if part)


_LAYOUT_WORDS = re.compile(
    r"cong hoa xa hoi|doc lap\s*-\s*tu do|dang cong san viet nam|^noi nhan|^so\s*:|^(?:tm|kt|tl|tuq|t/m|k/t)\s*\.?\s"
)


def _layout_cell(tc: Any) -> bool:
    """A cell of a header or signature layout: the national motto, "Số:", "Nơi nhận", "TM."…"""
    for p in tc.iter(_w("p")):
        text = fold("".join(t.text or "" for t in p.iter(_w("t")))).strip()
        if text and _LAYOUT_WORDS.search(text):
            return True
    return False


def _wrapped(parent: Any, tag: str) -> Iterator[Any]:
    """The ``tag`` children of ``parent``, also inside content controls and tagged XML around them."""
    for child in parent:
        if child.tag == _w(tag):
            yield child
        elif child.tag == _w("sdt"):
            content = child.find(_w("sdtContent"))
            if content is not None:
                yield from _wrapped(content, tag)
        elif child.tag == _w("customXml"):
            yield from _wrapped(child, tag)


def _outside(r: Any, p: Any) -> bool:
    """Whether run ``r`` is read as part of paragraph ``p``: not deleted, not in a text box (read
    as its own paragraphs) and not in the fallback copy of a drawing (read once, from its choice)."""
    for a in r.iterancestors():
        if a is p:
            return True
        if a.tag in (_w("del"), _w("moveFrom"), _w("txbxContent"), _FALLBACK):
            return False
    return True


def _text_boxes(p: Any) -> list[Any]:
    """The text boxes anchored in paragraph ``p`` (outermost, not the fallback copies)."""
    boxes = []
    for box in p.iter(_w("txbxContent")):
        if all(a.tag not in (_w("txbxContent"), _FALLBACK) for a in _ancestors_within(box, p)):
            boxes.append(box)
    return boxes


def _ancestors_within(el: Any, top: Any) -> Iterator[Any]:
    for a in el.iterancestors():
        if a is top:
            return
        yield a


def _continues_merge(tc: Any) -> bool:
    vmerge = tc.find(f"{_w('tcPr')}/{_w('vMerge')}")
    return vmerge is not None and _attr(vmerge, "val") in (None, "continue")


def _leading_superscript(para: _Para) -> str | None:
    pieces = [p for p in para.pieces if p.text.strip() or p.note]
    if len(pieces) >= 2 and pieces[0].superscript and pieces[0].text.strip().isdecimal():  # int() reads it
        return pieces[0].text.strip()
    return None
