"""Citations in running text: real sentences from the five seed plans, whole-seed counts, properties.

The seed excerpts under ``tests/fixtures/citations/`` are the citation-bearing lines of the seed
files (page breaks kept); ``expected.json`` lists, per seed, every citation a careful reader
finds, checked by hand against the text: (doc_type, number-and-symbol or name, date).
"""

from __future__ import annotations

import json
import time
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from congkhai.vietnamese.citations import Citation, find_all, find_citations
from congkhai.vietnamese.numbers import parse_number_symbol

FIXTURES = Path(__file__).parent / "fixtures" / "citations"
SEEDS = sorted(FIXTURES.glob("0*.txt"))
EXPECTED: dict[str, list[list[Any]]] = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
FIELDS = ("doc_type", "number_symbol", "year", "date", "issuer", "title", "name", "term")


def semantic(c: Citation) -> dict[str, Any]:
    return {f: getattr(c, f) for f in FIELDS}


def check_invariants(text: str, found: list[Citation]) -> None:
    last_end = 0
    for c in found:
        assert text[c.start : c.end] == c.raw
        assert c.start >= last_end and c.end > c.start
        last_end = c.end


# --- real sentences ---------------------------------------------------------------------------

CASES: list[tuple[str, str, list[dict[str, Any]]]] = [
    (
        "000 preamble, joint plan cited with a joint issuer and a về-title",
        "Căn cứ Kế hoạch số 24-KHPH/BDV-UBND ngày 05/3/2024 của Ban dân vận Thành ủy và UBND thành phố về phối hợp "
        "thực hiện công tác dân vận giữa Ban Dân vận Thành ủy và UBND thành phố;",
        [
            dict(
                raw="Kế hoạch số 24-KHPH/BDV-UBND ngày 05/3/2024 của Ban dân vận Thành ủy và UBND thành phố",
                doc_type="ke_hoach",
                number_symbol="24-KHPH/BDV-UBND",
                date="2024-03-05",
                year=2024,
                issuer="Ban dân vận Thành ủy và UBND thành phố",
                title="phối hợp thực hiện công tác dân vận giữa Ban Dân vận Thành ủy và UBND thành phố",
            )
        ],
    ),
    (
        "000 II.6, no 'số', issuer with khóa, quoted title",
        "gắn với thực hiện Chỉ thị 05-CT/TW ngày 15/5/2016 của Bộ Chính trị khóa XII về “Đẩy mạnh học tập, làm theo "
        "tư tưởng, đạo đức, phong cách Chủ tịch Hồ Chí Minh” và tích cực tham gia các phong trào thi đua yêu nước.",
        [
            dict(
                raw="Chỉ thị 05-CT/TW ngày 15/5/2016 của Bộ Chính trị khóa XII",
                doc_type="chi_thi",
                number_symbol="05-CT/TW",
                date="2016-05-15",
                issuer="Bộ Chính trị",
                term="XII",
                title="Đẩy mạnh học tập, làm theo tư tưởng, đạo đức, phong cách Chủ tịch Hồ Chí Minh",
            )
        ],
    ),
    (
        "000 II.2, a directive cited inside another's title is found on its own",
        "Đẩy mạnh thực hiện Kết luận số 01-KL/TW ngày 18/5/2021 của Bộ Chính trị về tiếp tục thực hiện Chỉ thị số "
        "05-CT/TW của Bộ Chính trị “Về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh”; "
        "Kết luận số 21-KL/TW ngày 25/10/2021 của BCH Trung ương Đảng (khóa XIII) về đẩy mạnh xây dựng, chỉnh đốn "
        "đảng và hệ thống chính trị;",
        [
            dict(
                number_symbol="01-KL/TW",
                date="2021-05-18",
                issuer="Bộ Chính trị",
                title="tiếp tục thực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị “Về đẩy mạnh học tập và làm theo tư "
                "tưởng, đạo đức, phong cách Hồ Chí Minh”",
            ),
            dict(
                raw="Chỉ thị số 05-CT/TW của Bộ Chính trị",
                date=None,
                year=None,
                title="Về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
            ),
            dict(
                raw="Kết luận số 21-KL/TW ngày 25/10/2021 của BCH Trung ương Đảng (khóa XIII)",
                issuer="BCH Trung ương Đảng",
                term="XIII",
                title="đẩy mạnh xây dựng, chỉnh đốn đảng và hệ thống chính trị",
            ),
        ],
    ),
    (
        "001 title line in capitals",
        "THỰC HIỆN CHỈ THỊ SỐ 33/CT-TTG NGÀY 26 THÁNG 11 NĂM 2021 CỦA THỦ TƯỚNG CHÍNH PHỦ VỀ TIẾP TỤC TĂNG CƯỜNG VÀ "
        "ĐỔI MỚI CÔNG TÁC DÂN VẬN\nThực hiện",
        [
            dict(
                raw="CHỈ THỊ SỐ 33/CT-TTG NGÀY 26 THÁNG 11 NĂM 2021 CỦA THỦ TƯỚNG CHÍNH PHỦ",
                doc_type="chi_thi",
                number_symbol="33/CT-TTg",
                date="2021-11-26",
                issuer="THỦ TƯỚNG CHÍNH PHỦ",
                title="TIẾP TỤC TĂNG CƯỜNG VÀ ĐỔI MỚI CÔNG TÁC DÂN VẬN",
            )
        ],
    ),
    (
        "001 preamble, date in words and a quoted title",
        "Thực hiện Chỉ thị số 33/CT-TTg ngày 26 tháng 11 năm 2021 của Thủ tướng Chính phủ “về tiếp tục tăng cường và "
        "đổi mới công tác dân vận”, Ủy ban nhân dân thành phố ban hành kế hoạch",
        [
            dict(
                date="2021-11-26",
                issuer="Thủ tướng Chính phủ",
                title="về tiếp tục tăng cường và đổi mới công tác dân vận",
            )
        ],
    ),
    (
        "001 II.2.a, footnote marker right after the symbol",
        "quán triệt bằng nhiều hình thức đến CBCCVC và Nhân dân nội dung của Chỉ thị số 33/CT-TTg[1]; tiếp tục",
        [dict(raw="Chỉ thị số 33/CT-TTg", number_symbol="33/CT-TTg", date=None, issuer=None, title=None)],
    ),
    (
        "001 đ), two decisions sharing a date and an issuer",
        "theo Quyết định số 217-QĐ/TW và Quyết định số 218-QĐ/TW ngày 12/12/2013 của Bộ Chính trị ban hành “Quy chế "
        "giám sát và phản biện xã hội”;",
        [
            dict(raw="Quyết định số 217-QĐ/TW", date="2013-12-12", issuer="Bộ Chính trị", title=None),
            dict(number_symbol="218-QĐ/TW", date="2013-12-12", title="ban hành “Quy chế giám sát và phản biện xã hội”"),
        ],
    ),
    (
        "001 footnote 5, a shared issuer",
        "Kế hoạch số 10/KH-UBND và Quyết định số 1652/QĐ-UBND của UBND thành phố Cần Thơ[5].",
        [
            dict(number_symbol="10/KH-UBND", doc_type="ke_hoach", issuer="UBND thành phố Cần Thơ", date=None),
            dict(number_symbol="1652/QĐ-UBND", doc_type="quyet_dinh", issuer="UBND thành phố Cần Thơ"),
        ],
    ),
    (
        "001 footnote 2, the title stops before the next listed citation",
        "[2] Kết luận số 114-KL/TW ngày 14/7/2015 của Ban Bí thư Trung ương Đảng về nâng cao hiệu quả công tác dân vận "
        "của cơ quan nhà nước các cấp và Chỉ thị số 16/CT-TTg ngày 16/5/2016 của Thủ tướng Chính phủ “Về tăng cường”.",
        [
            dict(number_symbol="114-KL/TW", title="nâng cao hiệu quả công tác dân vận của cơ quan nhà nước các cấp"),
            dict(number_symbol="16/CT-TTg", date="2016-05-16", title="Về tăng cường"),
        ],
    ),
    (
        "002 preamble, comma after the number",
        "Thực hiện Kế hoạch số 1043-KH/BCSD, ngày 08/02/2024 của Ban Cán sự đảng UBND tỉnh Lạng Sơn về thực hiện "
        "công tác dân vận chính quyền các cấp trên địa bàn tỉnh Lạng Sơn năm 2024;",
        [
            dict(
                number_symbol="1043-KH/BCSD",
                date="2024-02-08",
                issuer="Ban Cán sự đảng UBND tỉnh Lạng Sơn",
                title="thực hiện công tác dân vận chính quyền các cấp trên địa bàn tỉnh Lạng Sơn năm 2024",
            )
        ],
    ),
    (
        "002 I.1, three congress resolutions cited by event",
        "thực hiện tốt Nghị quyết Đại hội Đảng toàn quốc lần thứ XIII, Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần "
        "thứ XVII, Nghị quyết đại hội Đảng bộ huyện lần thứ XXI, nhiệm kỳ 2020 - 2025, gắn với việc học tập",
        [
            dict(doc_type="nghi_quyet", number_symbol=None, name="Nghị quyết Đại hội Đảng toàn quốc lần thứ XIII"),
            dict(name="Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ XVII"),
            dict(name="Nghị quyết đại hội Đảng bộ huyện lần thứ XXI"),
        ],
    ),
    (
        "002 II.1, a law by name ending in an ellipsis",
        "hạnh phúc; Luật Thực hiện dân chủ ở cơ sở... tạo bước chuyển biến mạnh mẽ hơn",
        [dict(raw="Luật Thực hiện dân chủ ở cơ sở", doc_type="luat", name="Luật Thực hiện dân chủ ở cơ sở")],
    ),
    (
        "002 footnote, a law by name with its year",
        "Luật Thực hiện dân chủ ở cơ sở năm 2022; Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ",
        [
            dict(raw="Luật Thực hiện dân chủ ở cơ sở năm 2022", year=2022, name="Luật Thực hiện dân chủ ở cơ sở"),
            dict(number_symbol="33/CT-TTg", year=2021),
        ],
    ),
    (
        "002 II.5, a lost hyphen and a nested directive",
        "thực hiện Hướng dẫn số 50 HD/HU, ngày 05/4/2023 của Ban Thường vụ Huyện ủy về tuyên truyền thực hiện Chỉ thị số "
        "18-CT/TW, ngày 26/10/2022 của Ban Bí thư Trung ương Đảng về phát huy vai trò;",
        [
            dict(doc_type="huong_dan", number_symbol="50-HD/HU", date="2023-04-05", issuer="Ban Thường vụ Huyện ủy"),
            dict(doc_type="chi_thi", number_symbol="18-CT/TW", date="2022-10-26", title="phát huy vai trò"),
        ],
    ),
    (
        "002 II.5, a number broken across a page break",
        "Kế hoạch số 115\n\nKH/HU, ngày 31/8/2022 về thực hiện Đề án số 05- ĐA/TU, ngày 11/8/2022 của Ban Thường vụ "
        "Tỉnh ủy về tiếp tục đổi mới",
        [
            dict(number_symbol="115-KH/HU", date="2022-08-31", issuer=None),
            dict(doc_type="de_an", number_symbol="05-ĐA/TU", date="2022-08-11", title="tiếp tục đổi mới"),
        ],
    ),
    (
        "002 II.5, space before the hyphen and a comma before 'của'",
        "Chỉ thị số 14 -CT/HU, ngày 08/8/2023, của Ban Thường vụ Huyện ủy về lãnh đạo Đại hội",
        [dict(number_symbol="14-CT/HU", date="2023-08-08", issuer="Ban Thường vụ Huyện ủy")],
    ),
    (
        "002 II.4, a party document in state shape and upper-case CTR",
        "Chương trình số 34/CTR-HU, ngày 23/02/2022, của Ban Chấp hành Đảng bộ Huyện về việc thực hiện Nghị Quyết số "
        "58/NQ-TU, ngày 21/11/2021 của Ban Chấp hành Đảng bộ Tỉnh\n",
        [
            dict(doc_type="chuong_trinh", number_symbol="34-CTr/HU", issuer="Ban Chấp hành Đảng bộ Huyện"),
            dict(doc_type="nghi_quyet", number_symbol="58-NQ/TU", issuer="Ban Chấp hành Đảng bộ Tỉnh"),
        ],
    ),
    (
        "002 II.2, Quy chế with a qualifier and a joint issuer spelled with a dash",
        "Đề án số 01-ĐA/BDVTU-UBND, ngày 24/4/2019 của Ban Dân vận Tỉnh ủy - Ủy ban nhân dân tỉnh Lạng Sơn về xây dựng "
        "mô hình; Quy chế làm việc số 26-QC/BCĐ ngày 26/12/2023 của Ban Chỉ đạo giải phóng mặt bằng huyện.",
        [
            dict(number_symbol="01-ĐA/BDVTU-UBND", issuer="Ban Dân vận Tỉnh ủy - Ủy ban nhân dân tỉnh Lạng Sơn"),
            dict(doc_type="quy_che", number_symbol="26-QC/BCĐ", issuer="Ban Chỉ đạo giải phóng mặt bằng huyện"),
        ],
    ),
    (
        "003, an official letter dated in the sentence before it",
        "năm 2023, ngày 13/01/2023, Ủy ban nhân dân tỉnh đã ban hành Văn bản số 276/UBND-NCPC yêu cầu các cơ quan",
        [
            dict(
                raw="Văn bản số 276/UBND-NCPC",
                doc_type="cong_van",
                number_symbol="276/UBND-NCPC",
                date="2023-01-13",
                issuer="Ủy ban nhân dân tỉnh",
            )
        ],
    ),
    (
        "003, a plenum resolution for two terms",
        "Chương trình hành động thực hiện Nghị quyết Trung ương 4 khóa XII, XIII về xây dựng và chỉnh đốn Đảng;",
        [
            dict(raw="Nghị quyết Trung ương 4 khóa XII", name="Nghị quyết Trung ương 4 khóa XII", term="XII"),
            dict(raw="XIII", name="Nghị quyết Trung ương 4 khóa XIII", term="XIII", title="xây dựng và chỉnh đốn Đảng"),
        ],
    ),
    (
        "004 preamble, 'giữa' and a type word that differs from the symbol's code",
        "Căn cứ Kế hoạch phối hợp số 68-CTr/BDVTU-BCSĐUBND, ngày 27/02/2023 giữa Ban Dân vận Tỉnh ủy và Ban cán sự "
        "đảng Ủy ban nhân dân Tỉnh về công tác dân vận chính quyền năm 2023, Chương trình phối hợp số "
        "16-CTr/BDVTU-UBND, ngày 16/12/2021 giữa Ban Dân vận Thành ủy và Ủy ban nhân dân Thành phố về phối hợp",
        [
            dict(
                doc_type="ke_hoach",
                number_symbol="68-CTr/BDVTU-BCSĐUBND",
                date="2023-02-27",
                issuer="Ban Dân vận Tỉnh ủy và Ban cán sự đảng Ủy ban nhân dân Tỉnh",
                title="công tác dân vận chính quyền năm 2023",
            ),
            dict(doc_type="chuong_trinh", number_symbol="16-CTr/BDVTU-UBND", date="2021-12-16"),
        ],
    ),
    (
        "004 III, 'ngày' separated from the date by a page break",
        "Chương trình phối hợp số 16-CTr/BDVTU-UBND, ngày\n\n16/12/2021 về phối hợp thực hiện công tác dân vận",
        [dict(number_symbol="16-CTr/BDVTU-UBND", date="2021-12-16")],
    ),
    (
        "004 II.5, Quy định numbered QĐ keeps its printed type; a shared issuer",
        "Quyết định số 99-QĐ/TW, ngày 03/10/2017 và Quy định số 124-QĐ/TW, ngày 02/02/2018 của Ban Bí thư về giám sát",
        [
            dict(doc_type="quyet_dinh", number_symbol="99-QĐ/TW", date="2017-10-03", issuer="Ban Bí thư"),
            dict(doc_type="quy_dinh", number_symbol="124-QĐ/TW", date="2018-02-02", title="giám sát"),
        ],
    ),
    (
        "004 II.4, three laws by name, one lower-case and one without its comma",
        "Quán triệt và thực hiện nghiêm túc Luật Tiếp công dân, Luật khiếu nại tố cáo, nhất là Luật thực hiện dân chủ ở "
        "cơ sở (có hiệu lực từ 01/7/2023).",
        [
            dict(raw="Luật Tiếp công dân", name="Luật Tiếp công dân"),
            dict(raw="Luật khiếu nại tố cáo", name="Luật Khiếu nại, tố cáo"),
            dict(raw="Luật thực hiện dân chủ ở cơ sở", name="Luật Thực hiện dân chủ ở cơ sở"),
        ],
    ),
    (
        "issuer named without 'của' after the date; a catalogue-style year after the symbol",
        "Nghị quyết số 04-NQ/TW, ngày 30/10/2016 Hội nghị lần thứ tư Ban Chấp hành Trung ương Đảng (khóa XII) về "
        "tăng cường xây dựng Đảng; theo Quyết định 439/QĐ-TTg 2023 về quản lý",
        [
            dict(issuer="Hội nghị lần thứ tư Ban Chấp hành Trung ương Đảng", term="XII", date="2016-10-30"),
            dict(raw="Quyết định 439/QĐ-TTg 2023", year=2023, date=None, title="quản lý"),
        ],
    ),
    (
        "look-alikes that are not citations",
        "Tổ dân phố số 5/KP3 đã tiếp 198 lượt/221 người; các Luật được Quốc hội thông qua; Luật chơi; pháp Luật có "
        "liên quan; giai đoạn 2021 - 2025; Quý II/2024; b/c; KT-XH.",
        [],
    ),
    (
        "000 header: the plan's own number is not a citation",
        "Dĩnh Kế, ngày 18 tháng 3 năm 2024\n\nSố 72-KHPH/KDV-UBND\n",
        [],
    ),
    ("002 header: a blank own number", "Số: /KH-UBND\n\nCao Lộc, ngày tháng 02 năm 2024\n\nKẾ HOẠCH\n", []),
    (
        "003 no citation in generic mentions",
        "Triển khai thực hiện có hiệu quả nghị quyết đại hội Đảng các cấp, nhiệm kỳ",
        [],
    ),
    (
        "a symbol without a type word; a list sharing the type word",
        "theo 33/CT-TTg; Nghị quyết số 13-NQ/TU và 14-NQ/TU ngày 06/11/2020 của Ban Thường vụ Thành ủy.",
        [
            dict(raw="33/CT-TTg", doc_type="chi_thi", number_symbol="33/CT-TTg"),
            dict(raw="Nghị quyết số 13-NQ/TU", date="2020-11-06", issuer="Ban Thường vụ Thành ủy"),
            dict(raw="14-NQ/TU ngày 06/11/2020 của Ban Thường vụ Thành ủy", doc_type="nghi_quyet"),
        ],
    ),
    (
        "state preamble: an amending law is one document; decree with the year in its symbol; look-alike Ð",
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung một số điều của "
        "Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019; Nghị định số "
        "30/2020/NÐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư;",
        [
            dict(name="Luật Tổ chức chính quyền địa phương", date="2015-06-19"),
            dict(
                name="Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương",
                date="2019-11-22",
            ),
            dict(doc_type="nghi_dinh", number_symbol="30/2020/NĐ-CP", year=2020, issuer="Chính phủ"),
        ],
    ),
    (
        "Constitution, a code, a law with its number, a congress resolution by its short name",
        "Hiến pháp năm 2013, Bộ luật Lao động năm 2019, Luật số 10/2022/QH15 và Nghị quyết Đại hội XIII của Đảng",
        [
            dict(doc_type="hien_phap", name="Hiến pháp năm 2013", year=2013),
            dict(doc_type="bo_luat", name="Bộ luật Lao động", year=2019),
            dict(doc_type="luat", number_symbol="10/2022/QH15", year=2022),
            dict(name="Nghị quyết Đại hội XIII", issuer="Đảng"),
        ],
    ),
]


@pytest.mark.parametrize(("label", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_real_sentences(label: str, text: str, expected: list[dict[str, Any]]) -> None:
    found = find_all(text)
    check_invariants(text, found)
    assert len(found) == len(expected), [c.raw for c in found]
    for c, want in zip(found, expected, strict=True):
        got = {k: getattr(c, k) for k in want}
        assert got == want


# --- whole seeds ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", SEEDS, ids=[p.name for p in SEEDS])
def test_seed_citations(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = find_all(text)
    check_invariants(text, found)
    assert [[c.doc_type, c.number_symbol or c.name, c.date] for c in found] == EXPECTED[path.name]


def test_seed_counts_checked_by_hand() -> None:
    counts = {name: len(rows) for name, rows in EXPECTED.items()}
    assert counts == {
        "000_ab3c1f91cecb70f8.txt": 14,
        "001_ed0f1926382318ee.txt": 31,
        "002_cdfb92253c4322e4.txt": 49,
        "003_7ae9dc75363d8fc9.txt": 10,
        "004_a74a541daff0d83c.txt": 39,
    }


@pytest.mark.parametrize("path", SEEDS, ids=[p.name for p in SEEDS])
def test_seed_nfd_gives_the_same_citations(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    nfd = unicodedata.normalize("NFD", text)
    a, b = find_all(text), find_all(nfd)
    check_invariants(nfd, b)
    assert [semantic(c) for c in a] == [semantic(c) for c in b]
    assert [c.raw for c in a] == [unicodedata.normalize("NFC", c.raw) for c in b]


def test_public_entry_point_is_total() -> None:
    assert find_citations("") == []
    assert find_citations(None) == []  # type: ignore[arg-type]
    text = (FIXTURES / SEEDS[0].name).read_text(encoding="utf-8")
    assert find_citations(text) == find_all(text)


def _best_of_three(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        find_all(text)
        best = min(best, time.perf_counter() - t0)
    return best


def test_fast_on_real_text() -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in SEEDS)[:20_000]
    assert _best_of_three(text) < 0.05


@pytest.mark.parametrize(
    "text",
    [
        "Luật " * 4000,
        "Nghị quyết Đại hội " * 1000,
        "Chỉ thị số 05-CT/TW về “" * 800,
        "Kế hoạch số 1/KH-UBND của " * 800,
        "1-" * 10000,
        "12-KH/" + "A-" * 10000,
    ],
    ids=["luat", "dai-hoi", "open-quotes", "cua", "hyphens", "long-symbol"],
)
def test_no_pathological_slowdown(text: str) -> None:
    assert _best_of_three(text[:20_000]) < 0.3


# --- properties -------------------------------------------------------------------------------

TOKENS = [
    "Nghị quyết", "NGHỊ QUYẾT", "Chỉ thị", "Kế hoạch", "Quyết định", "Luật", "Bộ luật", "Hiến pháp", "Văn bản",
    " số ", " Số: ", "33/CT-TTg", "23-QĐ/TW", "30/2020/NĐ-CP", "68-CTr/BDVTU-BCSĐUBND", "276/UBND-NCPC", "/KH-UBND",
    "115", "KH/HU", " ngày ", "26/11/2021", "26 tháng 11 năm 2021", " tháng ", " năm 2022", " của ", " giữa ",
    "Bộ Chính trị", "Thủ tướng Chính phủ", " về ", "“", "”", '"', ", ", " và ", "; ", ". ", "\n", "\n\n", " ", "(",
    ")", "khóa XII", "Đại hội", " lần thứ XIII", "Trung ương 4", "[1]", "<sup>2</sup>", "¹", "...", "Ð", "\u0301",
    "\u0323", "e", "Thực hiện dân chủ ở cơ sở", "sửa đổi, bổ sung", "đã ban hành ", "ngày 13/01/2023, ",
]  # fmt: skip
soup = st.lists(st.sampled_from(TOKENS), max_size=40).map("".join)


@given(st.text(max_size=300))
def test_never_raises_on_any_text(text: str) -> None:
    check_invariants(text, find_all(text))


@given(soup)
def test_invariants_on_citation_soup(text: str) -> None:
    found = find_all(text)
    check_invariants(text, found)
    for c in found:
        assert c.number_symbol is None or parse_number_symbol(c.number_symbol) is not None
        assert c.date is None or (len(c.date) == 10 and c.year == int(c.date[:4]))


@given(soup)
def test_nfd_and_nfc_agree(text: str) -> None:
    nfc_found = find_all(unicodedata.normalize("NFC", text))
    nfd_text = unicodedata.normalize("NFD", text)
    nfd_found = find_all(nfd_text)
    check_invariants(nfd_text, nfd_found)
    assert [semantic(c) for c in nfc_found] == [semantic(c) for c in nfd_found]


TYPE_WORDS = ["Kế hoạch", "Chỉ thị", "Quyết định", "Nghị quyết", "Kết luận", "Hướng dẫn", "Chương trình", "Đề án"]
PARTY = st.builds(
    lambda n, t, i: f"{n:02d}-{t}/{i}",
    st.integers(1, 9999),
    st.sampled_from(["KH", "CT", "QĐ", "NQ", "KL", "HD", "CTr", "ĐA", "KHPH", "QĐi"]),
    st.sampled_from(["TW", "TU", "HU", "ĐU", "BDVTU", "BDVTU-UBND", "KDV-UBND"]),
)
STATE = st.builds(
    lambda n, t, i: f"{n:02d}/{t}-{i}",
    st.integers(1, 9999),
    st.sampled_from(["KH", "CT", "QĐ", "NQ", "HD", "CTr", "TB"]),
    st.sampled_from(["UBND", "TTg", "BNV", "CP", "HĐND"]),
)
LEGAL = st.builds(
    lambda n, y, t: f"{n:02d}/{y}/{t}",
    st.integers(1, 999),
    st.integers(1990, 2030),
    st.sampled_from(["NĐ-CP", "QĐ-TTg", "TT-BNV", "QH15"]),
)
FILLER = st.lists(
    st.sampled_from(
        ["tăng", "cường", "công", "tác", "dân", "vận", "chính", "quyền", "các", "cấp", "hiệu", "quả", "nhân"]
    ),
    max_size=12,
).map(" ".join)


@st.composite
def embedded_citation(draw: st.DrawFn) -> tuple[str, str, str | None]:
    """A well-formed citation (random type word, number, symbol, date form, issuer) in filler text."""
    symbol = draw(st.one_of(PARTY, STATE, LEGAL))
    word = draw(st.sampled_from(TYPE_WORDS))
    so = draw(st.sampled_from([" số ", " ", " Số "]))
    day, month, year = draw(st.integers(1, 28)), draw(st.integers(1, 12)), draw(st.integers(1990, 2030))
    date_text = draw(
        st.sampled_from(
            [
                f" ngày {day}/{month}/{year}",
                f", ngày {day:02d}/{month:02d}/{year}",
                f" ngày {day}-{month}-{year}",
                f" ngày {day} tháng {month} năm {year}",
                "",
            ]
        )
    )
    issuer = draw(st.sampled_from(["", " của Bộ Chính trị", " của Thủ tướng Chính phủ", ", của UBND tỉnh Lạng Sơn"]))
    cite = f"{word}{so}{symbol}{date_text}{issuer}"
    if draw(st.booleans()):
        cite = cite.upper()
    sep = draw(st.sampled_from([". ", "; ", "\n", " ", ", "]))
    text = f"{draw(FILLER)} {cite}{sep}{draw(FILLER)}"
    iso = f"{year:04d}-{month:02d}-{day:02d}" if date_text else None
    return text, symbol, iso


@settings(max_examples=300)
@given(embedded_citation(), st.booleans())
def test_generated_citation_is_found(case: tuple[str, str, str | None], nfd: bool) -> None:
    text, symbol, iso = case
    if nfd:
        text = unicodedata.normalize("NFD", text)
    found = find_all(text)
    check_invariants(text, found)
    assert [(c.number_symbol, c.date) for c in found] == [(symbol, iso)]
