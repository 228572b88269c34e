import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from congkhai.vietnamese.text import fold, nfc, slug


def test_nfc_and_lookalike():
    nfd = unicodedata.normalize("NFD", "Đảng ủy Kế hoạch")
    assert nfc(nfd) == "Đảng ủy Kế hoạch"
    assert nfc("\u00d0ảng") == "Đảng"


def test_fold_accents_and_d():
    assert fold("Đảng ủy") == fold("dang uy") == "dang uy"
    assert fold("hòa giải") == fold("hoà giải") == fold("HOA GIAI")
    assert fold(unicodedata.normalize("NFD", "Dân vận khéo")) == "dan van kheo"


def test_slug_examples():
    assert slug("33/CT-TTg") == "33-ct-ttg"
    assert slug("30/2020/NĐ-CP") == "30-2020-nd-cp"
    assert slug("  Quyết định số 294-QĐ/TU ") == "quyet-dinh-so-294-qd-tu"
    assert slug("72-KHPH/KDV-UBND") == "72-khph-kdv-ubnd"


@given(st.text())
def test_slug_is_url_safe_and_idempotent(text):
    s = slug(text)
    assert all(c in "abcdefghijklmnopqrstuvwxyz0123456789-" for c in s)
    assert not s.startswith("-") and not s.endswith("-") and "--" not in s
    assert slug(s) == s


@given(st.text())
def test_fold_ignores_normal_form(text):
    assert fold(unicodedata.normalize("NFD", text)) == fold(unicodedata.normalize("NFC", text))


@given(st.text())
def test_fold_drops_exactly_the_combining_marks(text):
    """The translate table is an optimisation of this definition, for every character."""
    decomposed = unicodedata.normalize("NFD", nfc(text))
    reference = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    assert fold(text) == reference.replace("đ", "d").replace("Đ", "D").casefold()
