import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from congkhai.vietnamese.text import date_vi, fold, nfc, slug


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


def test_date_vi_at_each_precision():
    assert date_vi("2024-03-18") == "18/03/2024"
    assert date_vi("2024-02") == "tháng 02/2024"
    assert date_vi("2023") == "năm 2023"
    assert date_vi(None) == "Không ghi" and date_vi("", "—") == "—"


def test_date_vi_in_a_sentence():
    """Dublin Core description and feed summary: "Kế hoạch số … ngày 18/03/2024 của …"."""
    assert date_vi("2024-03-18", "", sentence=True) == "ngày 18/03/2024"
    assert date_vi("2024-02", "", sentence=True) == "tháng 02/2024"
    assert date_vi("2023", "", sentence=True) == "năm 2023"
    assert date_vi(None, "", sentence=True) == ""


def test_date_vi_day_of_a_timestamp():
    """The data page's release date: a timestamp's day, or missing when there is no full day."""
    assert date_vi("2024-03-18T09:30:00Z", "không rõ", day_only=True) == "18/03/2024"
    assert date_vi("2024-03", "không rõ", day_only=True) == "không rõ"
    assert date_vi(None, "không rõ", day_only=True) == "không rõ"


def test_date_vi_unpadded():
    assert date_vi("2021-03-05", sentence=True, pad=False) == "ngày 5/3/2021"
    assert date_vi("2021-11-26", pad=False) == "26/11/2021"


@given(st.dates())
def test_date_vi_round_trips_a_day(day):
    d, m, y = date_vi(day.isoformat()).split("/")
    assert (int(y), int(m), int(d)) == (day.year, day.month, day.day)


def test_section_vi_says_where_in_an_appendix():
    from congkhai.vietnamese.text import section_vi

    assert section_vi("PLI.II.3") == "phụ lục I, mục II.3"
    assert (section_vi("PL"), section_vi("PL.1"), section_vi("II.1")) == ("phụ lục", "phụ lục, mục 1", "II.1")
