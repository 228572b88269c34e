"""Legacy 8-bit Vietnamese encodings: detect TCVN3 (ABC) and VNI text read as Windows-1252.

Before Unicode, Vietnamese was typed in fonts that redraw Latin-1 code points: the ".Vn" fonts
(.VnTime, .VnArial…) of TCVN 5712:1993 "TCVN3/ABC", one byte per letter, and the "VNI-" fonts
(VNI-Times…) of VNI Windows, a base letter followed by a diacritic byte. Opened without the
font, or pasted as plain text, such text reads "KÕ ho¹ch" (TCVN3) or "Keá hoaïch" (VNI) for
"Kế hoạch". ``detect`` recognises both; ``convert`` maps them back to NFC Unicode.

Tables:

- TCVN3: TCVN 5712:1993 as implemented by GNU libiconv / XFree86 ``lcUniConv/tcvn.h``
  (``tcvn_2uni_1`` for the upper-case letters at C0 positions, ``tcvn_2uni_2`` for 0x80–0xFF,
  including the combining tone marks at 0xB0–0xB4). The common ".Vn" fonts use the lower-case
  half; capitals were drawn by the "H" fonts (.VnTimeH) from the lower-case codes, so a word
  in capitals around lower-case legacy letters is raised to capitals (``convert``).
- VNI Windows: Dao Hai Lam's ``vni.h`` (xvnkb, 2002): for each vowel the sequences base,
  base+ù (sắc) ø (huyền) û (hỏi) õ (ngã) ï (nặng); â/ê after a, e, o for circumflex/breve, with
  á à å ã ä (circumflex+tone) and é è ú ü ë (breve+tone); single bytes ô ơ, ö ư, ñ đ, í ì æ ó ò
  for i with tones, î ỵ; upper case with the upper-case forms of the same bytes.

The text is expected as Windows-1252 characters (what Word, a browser or ``bytes.decode
("cp1252")`` shows); Latin-1 C1 controls for the five bytes Windows-1252 leaves undefined are
accepted too.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata

# --- bytes as they appear once read as Windows-1252 ------------------------------------------


def _byte_char_table() -> dict[str, int]:
    table: dict[str, int] = {}
    for b in range(256):
        table[chr(b)] = b  # Latin-1 reading (C1 controls for 0x80–0x9F)
        with contextlib.suppress(UnicodeDecodeError):
            table[bytes([b]).decode("cp1252")] = b
    return table


_CHAR_BYTE = _byte_char_table()

# --- TCVN3 ------------------------------------------------------------------------------------

_TCVN_C0 = {
    0x01: 0x00DA, 0x02: 0x1EE4, 0x04: 0x1EEA, 0x05: 0x1EEC, 0x06: 0x1EEE,
    0x11: 0x1EE8, 0x12: 0x1EF0, 0x13: 0x1EF2, 0x14: 0x1EF6, 0x15: 0x1EF8, 0x16: 0x00DD, 0x17: 0x1EF4,
}  # fmt: skip
_TCVN_HIGH = (
    # 0x80
    0x00C0, 0x1EA2, 0x00C3, 0x00C1, 0x1EA0, 0x1EB6, 0x1EAC, 0x00C8,
    0x1EBA, 0x1EBC, 0x00C9, 0x1EB8, 0x1EC6, 0x00CC, 0x1EC8, 0x0128,
    # 0x90
    0x00CD, 0x1ECA, 0x00D2, 0x1ECE, 0x00D5, 0x00D3, 0x1ECC, 0x1ED8,
    0x1EDC, 0x1EDE, 0x1EE0, 0x1EDA, 0x1EE2, 0x00D9, 0x1EE6, 0x0168,
    # 0xA0
    0x00A0, 0x0102, 0x00C2, 0x00CA, 0x00D4, 0x01A0, 0x01AF, 0x0110,
    0x0103, 0x00E2, 0x00EA, 0x00F4, 0x01A1, 0x01B0, 0x0111, 0x1EB0,
    # 0xB0
    0x0300, 0x0309, 0x0303, 0x0301, 0x0323, 0x00E0, 0x1EA3, 0x00E3,
    0x00E1, 0x1EA1, 0x1EB2, 0x1EB1, 0x1EB3, 0x1EB5, 0x1EAF, 0x1EB4,
    # 0xC0
    0x1EAE, 0x1EA6, 0x1EA8, 0x1EAA, 0x1EA4, 0x1EC0, 0x1EB7, 0x1EA7,
    0x1EA9, 0x1EAB, 0x1EA5, 0x1EAD, 0x00E8, 0x1EC2, 0x1EBB, 0x1EBD,
    # 0xD0
    0x00E9, 0x1EB9, 0x1EC1, 0x1EC3, 0x1EC5, 0x1EBF, 0x1EC7, 0x00EC,
    0x1EC9, 0x1EC4, 0x1EBE, 0x1ED2, 0x0129, 0x00ED, 0x1ECB, 0x00F2,
    # 0xE0
    0x1ED4, 0x1ECF, 0x00F5, 0x00F3, 0x1ECD, 0x1ED3, 0x1ED5, 0x1ED7,
    0x1ED1, 0x1ED9, 0x1EDD, 0x1EDF, 0x1EE1, 0x1EDB, 0x1EE3, 0x00F9,
    # 0xF0
    0x1ED6, 0x1EE7, 0x0169, 0x00FA, 0x1EE5, 0x1EEB, 0x1EED, 0x1EEF,
    0x1EE9, 0x1EF1, 0x1EF3, 0x1EF7, 0x1EF9, 0x00FD, 0x1EF5, 0x1ED0,
)  # fmt: skip

#: TCVN3 byte → Unicode character (only bytes that differ from ASCII).
TCVN3: dict[int, str] = {b: chr(u) for b, u in _TCVN_C0.items()}
TCVN3.update({0x80 + i: chr(u) for i, u in enumerate(_TCVN_HIGH)})
_TCVN_COMBINING = {b for b, ch in TCVN3.items() if unicodedata.combining(ch)}

# --- VNI ---------------------------------------------------------------------------------------

_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_CIRC, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"
# diacritic bytes that follow a vowel (lower-case form; the upper-case form is the Latin-1 capital)
_VNI_TONE = {"ù": _ACUTE, "ø": _GRAVE, "û": _HOOK, "õ": _TILDE, "ï": _DOT}
_VNI_CIRC = {"â": "", "á": _ACUTE, "à": _GRAVE, "å": _HOOK, "ã": _TILDE, "ä": _DOT}  # after a, e, o
_VNI_BREVE = {"ê": "", "é": _ACUTE, "è": _GRAVE, "ú": _HOOK, "ü": _TILDE, "ë": _DOT}  # after a
# letters that are one byte of their own
_VNI_SINGLE = {
    "ô": "o" + _HORN, "ö": "u" + _HORN, "ñ": "đ",
    "í": "i" + _ACUTE, "ì": "i" + _GRAVE, "æ": "i" + _HOOK, "ó": "i" + _TILDE, "ò": "i" + _DOT,
    "î": "y" + _DOT,
}  # fmt: skip
_VNI_VOWELS = set("aeiouyAEIOUY")


def _both_cases(table: dict[str, str]) -> dict[str, str]:
    out = dict(table)
    out.update({k.upper(): v for k, v in table.items()})
    return out


_VNI_TONE_ANY = _both_cases(_VNI_TONE)
_VNI_CIRC_ANY = _both_cases(_VNI_CIRC)
_VNI_BREVE_ANY = _both_cases(_VNI_BREVE)
_VNI_SINGLE_ANY = {**_VNI_SINGLE, **{k.upper(): v.upper() for k, v in _VNI_SINGLE.items()}}
_VNI_MARKS = set(_VNI_TONE_ANY) | set(_VNI_CIRC_ANY) | set(_VNI_BREVE_ANY)

ENCODINGS = ("tcvn3", "vni")

# --- converting --------------------------------------------------------------------------------


def _tcvn3(text: str) -> str:
    out: list[str] = []
    for line in text.split("\n"):
        converted: list[str] = []
        legacy_lower: list[bool] = []  # per output char: a lower-case letter drawn by a legacy code
        for i, ch in enumerate(line):
            b = _CHAR_BYTE.get(ch)
            if b is None or b not in TCVN3 or ch == "\u00a0" or (ch in _PUNCT and not _inside_word(line, i)):
                converted.append(ch)
                legacy_lower.append(False)
                continue
            uni = TCVN3[b]
            if b in _TCVN_COMBINING:
                prev = converted[-1] if converted else ""
                if not (prev and unicodedata.normalize("NFD", prev)[0].lower() in "aeiouy"):
                    uni = ch  # a degree sign or a superscript, not a tone mark
            converted.append(uni)
            legacy_lower.append(uni.islower())
        out.append(_raise_h_font("".join(converted), legacy_lower))
    return "\n".join(out)


_WORD = re.compile(r"\w+")
# Windows-1252 punctuation at the positions TCVN 5712 gives to capitals with tones. The ".Vn"
# fonts in use kept these as quotes, dashes and ellipses (Word's AutoFormat types them), so they
# stay punctuation unless they complete a syllable with the letters around them ("H–C" for "HỌC").
_PUNCT = set("‘’“”–—…•")


def _letter_like(ch: str) -> bool:
    if ch.isalpha():
        return True
    b = _CHAR_BYTE.get(ch)
    return b is not None and b in TCVN3 and TCVN3[b].isalpha() and ch not in _PUNCT


def _plain(ch: str) -> str:
    b = _CHAR_BYTE.get(ch)
    return TCVN3[b] if b is not None and b in TCVN3 else ch


def _inside_word(line: str, i: int) -> bool:
    """Whether the punctuation at ``i`` is a capital of a word: "V‘" is "VỊ", "KHÐO”" is not."""
    start, end = i, i + 1
    while start > 0 and _letter_like(line[start - 1]):
        start -= 1
    while end < len(line) and _letter_like(line[end]):
        end += 1
    if start == i and end == i + 1:
        return False
    word = "".join(_plain(c) for c in line[start:end])
    return is_syllable(word)


def _raise_h_font(line: str, legacy_lower: list[bool]) -> str:
    """Capitals typed in the ".VnTimeH" fonts come out lower case ("KÕ HO¹CH" → "Kế HOạCH").

    Among the words holding lower-case legacy letters, a word whose plain letters are capitals
    (at least two) is raised; when one is, so are the others in the line whose plain letters
    are all capitals ("Hµ NéI" → "HÀ NỘI"), but not a lone capitalised word ("Sè:" → "Số:").
    """
    if not any(legacy_lower):
        return line
    chars = list(line)
    words: list[tuple[range, list[str]]] = []
    for m in _WORD.finditer(line):
        span = range(m.start(), m.end())
        if any(legacy_lower[i] for i in span):
            plain = [chars[i] for i in span if chars[i].isascii() and chars[i].isalpha()]
            words.append((span, plain))
    caps = [bool(plain) and all(c.isupper() for c in plain) for _, plain in words]
    strong = [c and len(plain) >= 2 for c, (_, plain) in zip(caps, words, strict=True)]
    line_caps = any(strong) and all(caps)
    for (span, _), is_caps, is_strong in zip(words, caps, strong, strict=True):
        if is_strong or (line_caps and is_caps):
            for i in span:
                chars[i] = chars[i].upper()
    return "".join(chars)


def _vni(text: str) -> str:
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        nxt = text[i + 1] if i + 1 < n else ""
        if ch in _VNI_SINGLE_ANY:
            out.append(_VNI_SINGLE_ANY[ch])
            i += 1
            if ch.lower() in "ôö" and nxt in _VNI_TONE_ANY:
                out.append(_VNI_TONE_ANY[nxt])
                i += 1
            continue
        if ch in _VNI_VOWELS and nxt in _VNI_MARKS:
            low = ch.lower()
            if low in "aeo" and nxt in _VNI_CIRC_ANY:
                out.append(ch + _CIRC + _VNI_CIRC_ANY[nxt])
            elif low == "a" and nxt in _VNI_BREVE_ANY:
                out.append(ch + _BREVE + _VNI_BREVE_ANY[nxt])
            elif nxt in _VNI_TONE_ANY and low != "i":
                out.append(ch + _VNI_TONE_ANY[nxt])
            else:
                out.append(ch)
                i += 1
                continue
            i += 2
            # a circumflex or breve without tone may still carry a separate tone byte
            if nxt.lower() in "âê" and i < n and text[i] in _VNI_TONE_ANY:
                out.append(_VNI_TONE_ANY[text[i]])
                i += 1
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def convert(text: str, encoding: str) -> str:
    """Convert ``text`` (legacy bytes read as Windows-1252) from ``encoding`` to NFC Unicode."""
    if encoding == "tcvn3":
        result = _tcvn3(text)
    elif encoding == "vni":
        result = _vni(text)
    else:
        raise ValueError(f"unknown legacy encoding {encoding!r}; expected one of {ENCODINGS}")
    return unicodedata.normalize("NFC", result)


# --- detecting ---------------------------------------------------------------------------------

_TONES = {_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT}
_ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
_NUCLEI = [
    "a",
    "ă",
    "â",
    "e",
    "ê",
    "i",
    "o",
    "ô",
    "ơ",
    "u",
    "ư",
    "y",
    "ai",
    "ao",
    "au",
    "ay",
    "âu",
    "ây",
    "eo",
    "êu",
    "ia",
    "iê",
    "iu",
    "oa",
    "oă",
    "oe",
    "oi",
    "ôi",
    "ơi",
    "oo",
    "ua",
    "uâ",
    "uê",
    "ui",
    "uô",
    "uơ",
    "ươ",
    "ưa",
    "ưi",
    "ưu",
    "uy",
    "ya",
    "yê",
    "iêu",
    "yêu",
    "oai",
    "oay",
    "oao",
    "oeo",
    "uây",
    "uôi",
    "ươi",
    "ươu",
    "uya",
    "uyê",
    "uyu",
]
_NUCLEUS = "(?:" + "|".join(sorted(_NUCLEI, key=len, reverse=True)) + ")"
_SYLLABLE = re.compile(rf"{_ONSET}{_NUCLEUS}(?:ch|ng|nh|[cmnpt])?")
_SPLIT = re.compile(r"[\s!-/:-@\[-`{-~0-9]+")  # ASCII is the same in every encoding
_EDGE_PUNCT = "\"'“”‘’«»‹›–—…•·,.;:!?()[]{}"


def is_syllable(word: str) -> bool:
    """Whether ``word`` is spelled like one Vietnamese syllable (at most one tone mark)."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = sum(1 for c in decomposed if c in _TONES)
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    return tones <= 1 and _SYLLABLE.fullmatch(base) is not None


def _tokens(text: str) -> list[str]:
    return [t for t in _SPLIT.split(text) if t and not t.isascii()]


def _ratio(words: list[str]) -> float:
    if not words:
        return 0.0
    good = sum(1 for w in words if is_syllable(w.strip(_EDGE_PUNCT)))
    return good / len(words)


def syllable_score(text: str, encoding: str | None = None) -> tuple[float, int]:
    """Share of the words with non-ASCII letters that read as Vietnamese syllables once
    ``text`` is taken as ``encoding`` (``None``: as it stands), and how many such words."""
    words = _tokens(text)
    if encoding is not None:
        words = [convert(w, encoding) for w in words]
    return _ratio(words), len(words)


def detect(text: str) -> str | None:
    """``"tcvn3"`` or ``"vni"`` when ``text`` is legacy Vietnamese read as Windows-1252, else ``None``.

    Each reading is scored by the share of words with non-ASCII letters that become well-formed
    Vietnamese syllables; a legacy reading must win clearly over the text as it stands.
    """
    words = _tokens(text)
    if not words:
        return None
    as_is = _ratio(words)
    best, best_score = None, as_is
    for enc in ENCODINGS:
        score = _ratio([convert(w, enc) for w in words])
        if score >= 0.5 and score >= best_score + 0.2:
            best, best_score = enc, score
    return best
