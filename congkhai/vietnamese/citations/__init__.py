"""Find the documents a Vietnamese plan cites, in running text, footnotes and all-caps titles.

A plan's legal basis and the directives it implements are only ever written as prose:
"Chỉ thị số 33/CT-TTg ngày 26 tháng 11 năm 2021 của Thủ tướng Chính phủ về …",
"Quyết định số 23-QĐ/TW, ngày 30/7/2021 của Bộ Chính trị", "Luật Thực hiện dân chủ ở cơ sở",
"Nghị quyết Đại hội Đảng toàn quốc lần thứ XIII". :func:`find_citations` reads them the way a
careful clerk would and returns one :class:`Citation` per cited document mention.

How it works, and the choices callers should know:

* The text is normalised to NFC (``Ð`` fixed) inside; all extracted fields are NFC. Spans refer
  to the ORIGINAL string: ``text[c.start:c.end] == c.raw`` always holds, also for NFD input (the
  normalised offsets are mapped back through the starter/combining-mark segments).
* ``raw`` covers the identifying part — type word, number-and-symbol, date, issuer, term (khóa),
  year — but not the title. The title (quoted “…” or a "về …" clause) is read from the text that
  follows and may contain other citations; those are returned on their own, so results never
  overlap (e.g. "Kết luận 01-KL/TW … về tiếp tục thực hiện Chỉ thị số 05-CT/TW …").
* ``doc_type`` comes from the printed type word when there is one ("Kế hoạch phối hợp số
  68-CTr/…" is a ``ke_hoach``; "Quy định số 124-QĐ/TW" a ``quy_dinh``), else from the symbol.
* A symbol without a type word is a citation when its shape is unambiguous ("theo 33/CT-TTg");
  an official-letter shape (``276/UBND-NCPC``) needs "số" before it. A line that is only
  "Số: 72/KH-UBND" is the document's own number, not a citation.
* Lists: "Nghị quyết số 13-NQ/TU và 14-NQ/TU" gives two citations sharing the type word; when two
  citations are joined only by "," or "và", the first borrows the issuer (same issuer code) and
  the date (same type, when it has none) of the second: "Quyết định số 217-QĐ/TW và Quyết định
  số 218-QĐ/TW ngày 12/12/2013 của Bộ Chính trị".
* By name: laws ("Luật …", "Bộ luật …", "Pháp lệnh …", "Hiến pháp"), matched against a lexicon
  of law names first (canonical spelling returned) and otherwise cut at a boundary word;
  congress resolutions by event ("Nghị quyết Đại hội … lần thứ XIII") and plenum resolutions
  ("Nghị quyết Trung ương 4 khóa XII"; "khóa XII, XIII" gives two).
* Every regex is linear (bounded repetitions, no nested unbounded quantifiers) and each anchor is
  parsed with bounded look-ahead, so time grows linearly with the text.

The reader is split by concern: :mod:`.anchors` (type words and number-and-symbol shapes),
:mod:`.dates`, :mod:`.tail` (issuer, date and term after the number), :mod:`.titles`,
:mod:`.lexicon` and :mod:`.named` (documents cited by name), :mod:`.offsets` (spans back to the
caller's string), :mod:`.record` and :mod:`.scan`, which ties them together.
"""

from __future__ import annotations

from .record import Citation
from .scan import find_all

__all__ = ["Citation", "find_all", "find_citations"]


def find_citations(text: str) -> list[Citation]:
    """Return every document citation in ``text``, in text order, non-overlapping.

    Never raises: a non-string gives ``[]``, and so does an unexpected internal error (a bug),
    rather than breaking a whole import or check run; the tests call :func:`find_all` directly so that
    such bugs still surface there.
    """
    if not isinstance(text, str) or not text:
        return []
    try:
        return find_all(text)
    except Exception:  # pragma: no cover - defensive: the contract is "never raise"
        return []
