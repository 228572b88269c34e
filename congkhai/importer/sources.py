"""Read the text of a plan from the file a clerk has: ``.docx``, ``.txt``, ``.md`` or ``.pdf``.

``read_text`` returns UTF-8-clean NFC text, paragraphs separated by blank lines, with legacy
Vietnamese encodings (TCVN3, VNI, Windows-1258) converted. What cannot be read raises
``SourceError`` with a Vietnamese and an English message that say what to do.

- ``.docx`` (python-docx): body paragraphs and tables in document order. Two-column layout tables
  of up to four rows (the header "issuer | national motto / number | place and date" and the
  signature block) and one-column frames are read a cell a block (its paragraphs on their own
  lines), left column first; every other table is a Markdown table (first row its head, ``|`` in
  a cell escaped, a cell spanning columns on the first of them, a cell merged down repeated on
  each row). Text boxes are read once (the drawing, not its ``mc:Fallback`` copy), after the
  paragraph they are anchored in, a box a block. Word list numbering is written out ("1.",
  "a)", "I.", a "+" bullet as "+"). A file without any letter (a scanned page pasted in) is
  refused. Real footnotes and endnotes (``word/footnotes.xml``, ``word/endnotes.xml``) become
  ``[^n]`` references and ``[^n]: text`` lines at the end (after the signature: :func:`extract`
  puts them back at the end of the content); so do superscript numbers used as footnote
  marks in copies from web pages when a paragraph starting with the same superscript number
  gives the note. Runs in ".Vn…" (TCVN3, capitals in the "…H" fonts) or "VNI-…" fonts are
  converted by their font. Formatting (bold, italic) is dropped.
- ``.txt``/``.md``: UTF-8 with or without BOM, UTF-16/32 with BOM (or UTF-16 without BOM),
  otherwise Windows-1258 or Windows-1252 bytes, whichever reads as Vietnamese; then TCVN3/VNI
  detection and UTF-8 read twice ("Káº¿ hoáº¡ch") repaired.
- ``.pdf`` (pypdf, optional): the text layer, page by page; a scan without text is refused.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from pathlib import Path

from ..checks.hygiene import MOJIBAKE
from ..model.limits import (
    SOURCE_BYTES,
    TEXT_BYTES,
    TEXT_CHARS,
)
from ..vietnamese import legacy
from ..vietnamese.text import nfc
from .docx import _read_docx, check_package  # noqa: F401 — check_package: re-exported
from .errors import _SAVE_AS_DOCX, _SAVE_AS_DOCX_EN, LimitError, SourceError

SUPPORTED = (".docx", ".txt", ".md", ".pdf")


def read_text(path: Path) -> str:
    """The text of ``path`` as NFC Unicode with paragraphs separated by blank lines."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
        limit = TEXT_BYTES if suffix in (".txt", ".md") else SOURCE_BYTES
        if limit.exceeded(size):  # refused unread: 30 MB of text took 105 s to import
            raise LimitError(limit, path.name, size)
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise SourceError(f"Không tìm thấy tệp {path}.", f"File not found: {path}.") from exc
    except OSError as exc:
        raise SourceError(
            f"Không đọc được tệp {path.name} ({exc.strerror}). Kiểm tra quyền truy cập hoặc sao chép tệp ra thư mục khác.",
            f"Cannot read {path.name} ({exc.strerror}). Check its permissions or copy it elsewhere.",
        ) from exc
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: Word 97–2003 .doc, or an encrypted .docx
        raise SourceError(
            f"Tệp {path.name} là tệp Word cũ (.doc) hoặc có đặt mật khẩu. Gỡ mật khẩu nếu có; {_SAVE_AS_DOCX}",
            f"{path.name} is an old Word file (.doc) or password-protected. Remove the password; {_SAVE_AS_DOCX_EN}",
        )
    if data.startswith(b"{\\rtf"):
        raise SourceError(
            f"Tệp {path.name} là tệp RTF. {_SAVE_AS_DOCX}", f"{path.name} is an RTF file. {_SAVE_AS_DOCX_EN}"
        )
    if suffix == ".docx":
        text = _read_docx(path)
    elif suffix in (".txt", ".md"):
        text = decode_bytes(data, path.name)
    elif suffix == ".pdf":
        text = _read_pdf(path)
    else:
        raise SourceError(
            f"Không hỗ trợ tệp {suffix or 'không có phần mở rộng'} ({path.name}). Chỉ nhận .docx, .txt, .md "
            f"hoặc .pdf có lớp chữ. {_SAVE_AS_DOCX}",
            f"Unsupported file type {suffix or '(none)'} ({path.name}). Use .docx, .txt, .md or a PDF "
            f"with a text layer. {_SAVE_AS_DOCX_EN}",
        )
    if TEXT_CHARS.exceeded(len(text)):  # before the clean-up and the analysis, which grow with it
        raise LimitError(TEXT_CHARS, path.name, len(text))
    return finish(text, path.name)


# --- plain text --------------------------------------------------------------------------------


def decode_bytes(data: bytes, name: str = "tệp") -> str:
    """Decode a text file: BOMs, UTF-8, UTF-16 without BOM, else Windows-1258 or Windows-1252."""
    for bom, codec in (
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise _corrupt(name) from exc
    if b"\x00" in data:
        even, odd = data[0::2].count(0), data[1::2].count(0)
        codec = "utf-16-le" if odd > len(data) // 4 else "utf-16-be" if even > len(data) // 4 else ""
        try:
            if codec:
                return data.decode(codec)
        except UnicodeDecodeError:
            pass
        raise _corrupt(name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    candidates = [_cp1252(data)]
    with contextlib.suppress(UnicodeDecodeError):
        candidates.append(unicodedata.normalize("NFC", data.decode("cp1258")))
    return max(candidates, key=lambda t: legacy.syllable_score(_legacy_fixed(t))[0])


def _cp1252(data: bytes) -> str:
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in data)


def _corrupt(name: str) -> SourceError:
    return SourceError(
        f"Tệp {name} không phải là văn bản đọc được (có thể bị hỏng hoặc là tệp nhị phân). Mở tệp, sao chép "
        "nội dung sang Word, lưu thành .docx rồi thử lại.",
        f"{name} is not readable text (corrupt or binary). Copy its content into Word, save as .docx and try again.",
    )


def _legacy_fixed(text: str) -> str:
    enc = legacy.detect(text)
    return legacy.convert(text, enc) if enc else text


_DOUBLE_UTF8 = re.compile(
    r"Ã[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u2013-\u203a]|á[º»]|Ä[\u0080-\u00bf]"
)


def _repair_double_utf8(text: str) -> str:
    """UTF-8 that was read as Windows-1252 and saved again ("Káº¿ hoáº¡ch")."""
    if len(_DOUBLE_UTF8.findall(text)) < 2:
        return text
    out: list[str] = []
    for line in text.split("\n"):
        try:
            raw = bytes(legacy._CHAR_BYTE[ch] for ch in line)
            out.append(raw.decode("utf-8"))
        except (KeyError, UnicodeDecodeError):
            out.append(line)
    return "\n".join(out)


_INVISIBLE = str.maketrans({"\u00a0": " ", "\u200b": None, "\ufeff": None, "\u00ad": None, "\f": "\n", "\v": "\n"})


def finish(text: str, name: str = "tệp") -> str:
    """Newlines, legacy encodings, NFC, tidy blank lines; refuse text still in mojibake."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    text = _repair_double_utf8(text)
    enc = legacy.detect(text)
    if enc:
        text = legacy.convert(text, enc)
    text = nfc(text.translate(_INVISIBLE))
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n")
    bad = MOJIBAKE.findall(text)
    if len(bad) >= 3:
        sample = next(m for m in MOJIBAKE.finditer(text))
        snippet = text[max(0, sample.start() - 15) : sample.end() + 15].strip()
        raise SourceError(
            f"Tệp {name} có chữ bị lỗi phông, không chuyển được sang Unicode (ví dụ: “{snippet}”). Mở tệp bằng "
            "Word, chọn toàn bộ văn bản, chuyển mã sang Unicode bằng Unikey (Ctrl+Shift+F6, bảng mã nguồn TCVN3 "
            "hoặc VNI), lưu thành .docx rồi thử lại.",
            f"{name} has text in a legacy font encoding that could not be converted (e.g. “{snippet}”). Convert "
            "it to Unicode (Unikey's converter, source TCVN3 or VNI), save as .docx and try again.",
        )
    return text


# --- PDF ---------------------------------------------------------------------------------------


def _read_pdf(path: Path) -> str:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError as exc:  # optional dependency
        raise SourceError(
            f"Chưa cài thư viện đọc PDF nên không đọc được {path.name}. {_SAVE_AS_DOCX}",
            f"No PDF library is installed, so {path.name} cannot be read. {_SAVE_AS_DOCX_EN}",
        ) from exc
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise SourceError(
                f"Tệp PDF {path.name} có mật khẩu. Gỡ mật khẩu hoặc dùng bản .docx của văn bản.",
                f"{path.name} is password-protected. Remove the password or use the .docx.",
            )
        pages = [page.extract_text() or "" for page in reader.pages]
    except SourceError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise SourceError(
            f"Tệp PDF {path.name} bị hỏng, không đọc được. {_SAVE_AS_DOCX}",
            f"{path.name} is a corrupt PDF. {_SAVE_AS_DOCX_EN}",
        ) from exc
    letters = sum(ch.isalpha() for page in pages for ch in page)
    if letters < 40 * max(1, len(pages)) // 2:
        raise SourceError(
            f"Tệp PDF {path.name} là bản chụp (scan), không có lớp chữ. Dùng bản .docx của văn bản, hoặc nhận "
            "dạng chữ (OCR) rồi lưu thành .docx và kiểm tra lại nội dung.",
            f"{path.name} is a scan without a text layer. Use the .docx, or OCR it, save as .docx and proofread.",
        )
    return "\n\n".join(page.strip() for page in pages if page.strip())
