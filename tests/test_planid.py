"""The one plan id rule (congkhai/vietnamese/planid.py) and its check (congkhai/checks/ids.py)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from congkhai.load.corpus import validate
from congkhai.vietnamese.planid import clean_place, expected_id, leaked, place_parts, plan_id, title_part

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "docs" / "plans").glob("*/*.md"))
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
HEADER = ("so", "ngay", "uy-ban", "nhan-dan", "hoi-dong")


def _front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n", 2)[1])


def _has_header_word(pid: str) -> bool:
    return any(re.search(rf"(^|-){w}(-|$)", pid) for w in HEADER)


def test_the_seeds_follow_the_rule() -> None:
    for path in SEEDS:
        assert expected_id(_front(path)) is None, path.name


def test_numbered_plans_get_place_year_and_number() -> None:
    place = place_parts("bac-giang", "tp-bac-giang", "dinh-ke", "commune")
    assert (
        plan_id(place, "2024-03-18", "72-KHPH/KDV-UBND", "x") == "bac-giang-tp-bac-giang-dinh-ke-2024-72-khph-kdv-ubnd"
    )
    assert plan_id(place_parts("bac-kan", None, None, "province"), "2023-01-13", "276/UBND-NCPC", "x") == (
        "bac-kan-2023-276-ubnd-ncpc"
    )
    # a district plan has no commune; a province plan no district
    assert place_parts("lang-son", "cao-loc", "hop-thanh", "district") == ["lang-son", "cao-loc"]
    assert place_parts("lang-son", "cao-loc", "hop-thanh", "province") == ["lang-son"]


def test_header_words_never_leak_into_the_place_or_the_id() -> None:
    # "thành phố Tây Ninh\nSố: …" read the next line's "Số" as part of the place
    assert clean_place("tay-ninh-so") == "tay-ninh"
    assert clean_place("tp-tay-ninh-so-12") == "tp-tay-ninh"
    # "BAN DÂN VẬN HUYỆN ỦY\nỦY BAN NHÂN DÂN HUYỆN" read as a district named "ủy ủy ban nhân"
    assert clean_place("uy-uy-ban-nhan") is None
    assert clean_place("uy-ban-hop-thanh") is None
    assert clean_place("hop-thanh") == "hop-thanh"
    pid = plan_id(place_parts("tay-ninh", "tp-tay-ninh-so", None, "district"), "2023", None, "Phối hợp")
    assert pid == "tay-ninh-tp-tay-ninh-2023-phoi-hop"
    assert title_part("THỰC HIỆN CHỈ THỊ SỐ 33/CT-TTG NGÀY 26 THÁNG 11 NĂM 2021 CỦA THỦ TƯỚNG") == (
        "thuc-hien-chi-thi-33-ct-ttg"
    )
    assert (
        title_part("Phối hợp giữa Ủy ban nhân dân và Ủy ban MTTQ năm 2024", "2024") == "phoi-hop-giua-ubnd-va-ub-mttq"
    )


def test_blank_number_plans_of_one_body_and_year_differ() -> None:
    place = place_parts("lang-son", "cao-loc", None, "district")
    a = plan_id(place, "2024-02", "/KH-UBND", "Thực hiện công tác dân vận chính quyền năm 2024")
    b = plan_id(place, "2024-05", "/KH-UBND", "Tuyên truyền Luật Thực hiện dân chủ ở cơ sở")
    assert a != b
    assert a == "lang-son-cao-loc-2024-kh-ubnd-thuc-hien-cong-tac-dan-van-chinh-quyen"
    # stable: the same file, the same id
    assert a == plan_id(place, "2024-02", "/KH-UBND", "Thực hiện công tác dân vận chính quyền năm 2024")


_words = st.sampled_from(
    ["Số", "số:", "ngày", "Ủy ban", "nhân dân", "UBND", "Hội đồng", "Cao Lộc", "Tây Ninh", "12", "2024", "/", "-",
     "KH", "năm", "Đảng ủy", "xã", "Hợp Thành", "tháng", "\n", ":", "Dân vận", "Ủy", "so"]
)  # fmt: skip
_text = st.lists(st.one_of(_words, st.text(max_size=6)), max_size=12).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(
    province=st.sampled_from(["lang-son", "tay-ninh", None]),
    district=st.one_of(st.none(), _text),
    commune=st.one_of(st.none(), _text),
    level=st.sampled_from(["province", "district", "commune", None]),
    date=st.sampled_from([None, "2024", "2024-02", "2023-12-31", "khong"]),
    number=st.one_of(st.none(), _text),
    title=st.one_of(st.none(), _text),
)
def test_ids_are_slugs_deterministic_and_free_of_header_words(province, district, commune, level, date, number, title):
    pid = plan_id(place_parts(province, district, commune, level), date, number, title)
    assert SLUG.fullmatch(pid), pid
    assert len(pid) <= 120
    assert pid == plan_id(place_parts(province, district, commune, level), date, number, title)
    assert not _has_header_word(pid), pid
    assert leaked(pid) is None
    # what the importer makes, the validator accepts (the place the validator knows is the commune's
    # or district's name; a province plan names no place)
    row = {"id": pid, "province": province, "issuer_level": "province", "place": None, "issue_date": date,
           "number_symbol": number, "title": title}  # fmt: skip
    if province and level in ("province", None):
        assert expected_id(row) is None, (pid, row)


def test_the_check_names_the_expected_id(data_repo: Path) -> None:
    base = (ROOT / "tests" / "fixtures" / "negative" / "base.md").read_text(encoding="utf-8")
    folder = data_repo / "docs" / "plans" / "lang-son"
    folder.mkdir(parents=True)
    for pid in (
        "lang-son-cao-loc-2024-72-kh-ubnd",
        "lang-son-cao-loc-so-2024-72-kh-ubnd",
        "lang-son-cao-loc-2023-72-kh-ubnd",
        "base",
    ):
        (folder / f"{pid}.md").write_text(base.replace("id: base", f"id: {pid}", 1), encoding="utf-8")
    result = validate(data_repo)
    found = {(Path(f.file).stem, f.params["expected"]) for f in result.findings if f.code == "plan-id-rule"}
    assert found == {
        ("lang-son-cao-loc-so-2024-72-kh-ubnd", "lang-son-cao-loc-2024-72-kh-ubnd"),
        ("lang-son-cao-loc-2023-72-kh-ubnd", "lang-son-cao-loc-2024-72-kh-ubnd"),
    }
    assert all(f.severity == "warning" for f in result.findings if f.code == "plan-id-rule")


HEADER_TEXT = """UỶ BAN NHÂN DÂN
THÀNH PHỐ TÂY NINH
Số: 12/KH-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Tây Ninh, ngày 05 tháng 3 năm 2024

KẾ HOẠCH
Thực hiện công tác dân vận chính quyền năm 2024

Căn cứ Kế hoạch số 5/KH-UBND ngày 02/01/2024 của UBND thành phố Tây Ninh
Ủy ban nhân dân thành phố Tây Ninh tỉnh Tây Ninh ban hành kế hoạch.
I. MỤC ĐÍCH
1. Phòng Nội vụ chủ trì tuyên truyền.
"""


def test_the_next_lines_so_enters_neither_the_plan_id_nor_a_catalogue_row() -> None:
    # "THÀNH PHỐ TÂY NINH" then "Số: 12/KH-UBND": the place was read as "Tây Ninh Số"
    from congkhai.importer import extract
    from congkhai.importer.draft import _plan_id

    ex = extract(HEADER_TEXT, [])
    assert ex.place.district == "tp-tay-ninh"
    assert _plan_id(ex) == "tay-ninh-tp-tay-ninh-2024-12-kh-ubnd"
    assert [c.directive_id for c in ex.directives] == ["5-kh-ubnd-2024-tay-ninh-tp-tay-ninh"]
