"""Legacy encodings: TCVN3 and VNI round trips over every Vietnamese letter and real plan text.

The encoders below are written independently of ``congkhai.vietnamese.legacy`` (TCVN3 from the
standard's code chart as a literal string, VNI from its typing rules), so a wrong table entry
on either side shows up as a failed round trip.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from congkhai.vietnamese import legacy

ROOT = Path(__file__).resolve().parent.parent
PLANS = sorted((ROOT / "docs" / "plans").glob("*/*.md"))

VOWELS = "aăâeêioôơuưy"
TONES = ["", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"]
LOWER = [unicodedata.normalize("NFC", v + t) for v in VOWELS for t in TONES] + ["đ"]
LETTERS = [c for c in LOWER if not c.isascii()] + [c.upper() for c in LOWER if not c.isascii()]

# TCVN 5712:1993, lower-case letters and the seven capitals of the ".Vn" fonts: byte 0xA1 onwards
_TCVN_A1 = (
    "ĂÂÊÔƠƯĐăâêôơưđẰ"
    "\u0300\u0309\u0303\u0301\u0323"
    "àảãáạẲằẳẵắẴẮẦẨẪẤỀặầẩẫấậèỂẻẽéẹềểễếệìỉỄẾỒĩíịò"
    "ỔỏõóọồổỗốộờởỡớợùỖủũúụừửữứựỳỷỹýỵỐ"
)
# capitals with tones (TCVN 5712 VN1): 0x80–0x9F and the C0 positions
_TCVN_80 = "ÀẢÃÁẠẶẬÈẺẼÉẸỆÌỈĨÍỊÒỎÕÓỌỘỜỞỠỚỢÙỦŨ"
_TCVN_C0 = {0x01: "Ú", 0x02: "Ụ", 0x04: "Ừ", 0x05: "Ử", 0x06: "Ữ", 0x11: "Ứ", 0x12: "Ự", 0x13: "Ỳ", 0x14: "Ỷ",
            0x15: "Ỹ", 0x16: "Ý", 0x17: "Ỵ"}  # fmt: skip


def _as_cp1252(b: int) -> str:
    try:
        return bytes([b]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(b)


def _tcvn_encoder() -> dict[str, str]:
    table: dict[str, str] = {}
    for i, ch in enumerate(_TCVN_A1):
        if not unicodedata.combining(ch):
            table[ch] = _as_cp1252(0xA1 + i)
    for i, ch in enumerate(_TCVN_80):
        table[ch] = _as_cp1252(0x80 + i)
    for b, ch in _TCVN_C0.items():
        table[ch] = chr(b)
    return table


TCVN_ENC = _tcvn_encoder()


def encode_tcvn3(text: str) -> str:
    return "".join(TCVN_ENC.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


_VNI_TONE = {"\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
_VNI_CIRC = {"": "â", "\u0301": "á", "\u0300": "à", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
_VNI_BREVE = {"": "ê", "\u0301": "é", "\u0300": "è", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
_VNI_I = {"\u0301": "í", "\u0300": "ì", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}


def _vni_letter(ch: str) -> str:
    if ch in "đĐ":
        return "ñ" if ch == "đ" else "Ñ"
    parts = unicodedata.normalize("NFD", ch)
    base, marks = parts[0], parts[1:]
    if base.lower() not in "aeiouy" or not marks:
        return ch
    upper = base.isupper()
    tone = next((m for m in marks if m in _VNI_TONE), "")
    shape = next((m for m in marks if m in "\u0302\u0306\u031b"), "")
    if base.lower() == "i":
        out = base if not tone else _VNI_I[tone]
    elif base.lower() == "y" and tone == "\u0323":
        out = "î"
    elif shape == "\u0302":
        out = base.lower() + _VNI_CIRC[tone]
    elif shape == "\u0306":
        out = base.lower() + _VNI_BREVE[tone]
    elif shape == "\u031b":
        out = ("ô" if base.lower() == "o" else "ö") + _VNI_TONE.get(tone, "")
    else:
        out = base.lower() + _VNI_TONE[tone]
    return out.upper() if upper else out


def encode_vni(text: str) -> str:
    return "".join(_vni_letter(ch) if not ch.isascii() else ch for ch in unicodedata.normalize("NFC", text))


def _bodies() -> list[str]:
    out = []
    for path in PLANS:
        text = path.read_text(encoding="utf-8")
        out.append(text.split("\n---\n", 1)[1])
    return out


def _sentences() -> list[str]:
    sentences: list[str] = []
    for body in _bodies():
        for para in re.split(r"\n\s*\n", body):
            para = para.strip()
            if len(para) > 40 and not para.isascii():
                sentences.append(para)
    return sentences


def test_letter_inventory() -> None:
    assert len(LETTERS) == 134
    assert len(set(LETTERS)) == 134
    assert set(LETTERS) <= set(TCVN_ENC)


@pytest.mark.parametrize("encoding, encode", [("tcvn3", encode_tcvn3), ("vni", encode_vni)])
def test_every_letter_round_trips(encoding: str, encode) -> None:
    for letter in LETTERS:
        if encoding == "tcvn3" and encode(letter) in "‘’“”–—…•":
            # quotes and dashes in Word text: letters only inside a word
            assert legacy.convert(f"T{encode(letter)}N", encoding) == f"T{letter}N"
            assert (
                legacy.convert(f"{encode(letter)}Tªn{encode(letter)}", encoding)
                == f"{encode(letter)}Tên{encode(letter)}"
            )
            continue
        caps = f"T{letter}N" if letter.isupper() else f"T{letter}n"  # a word in capitals is all capitals
        for text in (letter, f"t{letter}n", caps, f"{letter}. {letter}"):
            assert legacy.convert(encode(text), encoding) == text, (encoding, letter, encode(text))
    everything = " ".join(f"t{c}n" if c.islower() else f"T{c}N" for c in LETTERS)
    assert legacy.convert(encode(everything), encoding) == everything


@pytest.mark.parametrize("encoding, encode", [("tcvn3", encode_tcvn3), ("vni", encode_vni)])
def test_real_text_round_trips_and_is_detected(encoding: str, encode) -> None:
    sentences = _sentences()
    assert len(sentences) > 50
    for sentence in sentences:
        mojibake = encode(sentence)
        assert legacy.convert(mojibake, encoding) == sentence
        assert legacy.detect(mojibake) == encoding, sentence[:80]
    for body in _bodies():
        assert legacy.detect(encode(body)) == encoding


def test_examples() -> None:
    assert legacy.detect("KÕ ho¹ch") == "tcvn3"
    assert legacy.convert("KÕ ho¹ch", "tcvn3") == "Kế hoạch"
    assert legacy.detect("Keá hoaïch") == "vni"
    assert legacy.convert("Keá hoaïch", "vni") == "Kế hoạch"
    assert legacy.convert("UBND huyÖn Cao Léc", "tcvn3") == "UBND huyện Cao Lộc"
    assert legacy.convert("ÑAÛNG COÄNG SAÛN VIEÄT NAM", "vni") == "ĐẢNG CỘNG SẢN VIỆT NAM"


def test_vnTimeH_capitals() -> None:
    # the ".VnTimeH" fonts draw capitals from the lower-case codes
    assert legacy.convert("KÕ HO¹CH", "tcvn3") == "KẾ HOẠCH"
    assert legacy.convert("CéNG HßA X· HéI CHñ NGHÜA VIÖT NAM", "tcvn3") == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    # but a capitalised word keeps its lower-case letters
    assert legacy.convert("Hµ Néi", "tcvn3") == "Hà Nội"


def test_degree_sign_is_not_a_tone_mark() -> None:
    assert legacy.convert("30°C vµ 25 m²", "tcvn3") == "30°C và 25 m²"


def test_unicode_and_english_are_not_legacy() -> None:
    for body in _bodies():
        assert legacy.detect(body) is None
        assert legacy.detect(unicodedata.normalize("NFD", body)) is None
        for sentence in re.split(r"\n\s*\n", body):
            assert legacy.detect(sentence) is None, sentence[:80]
    english = [
        "The quick brown fox jumps over the lazy dog.",
        "Café society and naïve résumés from São Paulo, Zürich and Málaga — “quoted” text…",
        "Plans on government mass mobilisation and grassroots democracy (10/2022/QH15).",
        "",
        "12/KH-UBND 2024-02-30",
    ]
    for text in english:
        assert legacy.detect(text) is None, text


def test_unknown_encoding() -> None:
    with pytest.raises(ValueError):
        legacy.convert("x", "viscii")


def test_is_syllable() -> None:
    for word in ["nghiêng", "quốc", "gì", "Đảng", "HOẠCH", "người", "khuya", "thuyền"]:
        assert legacy.is_syllable(word), word
    for word in ["hoaừch", "café", "strength", "hoaïch"]:
        assert not legacy.is_syllable(word), word
