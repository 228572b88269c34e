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
"""

from __future__ import annotations

import bisect
import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass

from congkhai.vietnamese.numbers import CODE_CHARS, TYPE_CODES, NumberSymbol, parse_number_symbol
from congkhai.vietnamese.text import LOOKALIKE_D, fold, nfc

__all__ = ["Citation", "find_citations"]


@dataclass(frozen=True)
class Citation:
    """One mention of a document; ``text[start:end] == raw`` in the caller's original string.

    ``term`` (khóa, e.g. ``"XII"``) is extra to the required fields: party numbers are unique only
    per issuer and term, so the catalogue needs it to tell documents apart.
    """

    raw: str
    start: int
    end: int
    doc_type: str | None
    number_symbol: str | None
    year: int | None
    date: str | None
    issuer: str | None
    title: str | None
    name: str | None
    term: str | None = None


# ---------------------------------------------------------------------------------------------
# Vocabulary

# Type words (folded, single-spaced) → doc_type; None means generic ("văn bản": use the symbol).
_TYPE_WORDS: dict[str, str | None] = {
    "nghi quyet lien tich": "nghi_quyet",
    "nghi quyet": "nghi_quyet",
    "nghi dinh": "nghi_dinh",
    "quyet dinh": "quyet_dinh",
    "chi thi": "chi_thi",
    "ket luan": "ket_luan",
    "quy dinh": "quy_dinh",
    "qui dinh": "quy_dinh",
    "quy che": "quy_che",
    "qui che": "quy_che",
    "huong dan": "huong_dan",
    "thong bao": "thong_bao",
    "thong tri": "thong_tri",
    "thong tu lien tich": "thong_tu",
    "thong tu": "thong_tu",
    "ke hoach": "ke_hoach",
    "chuong trinh": "chuong_trinh",
    "bao cao": "bao_cao",
    "de an": "de_an",
    "bo luat": "bo_luat",
    "luat": "luat",
    "phap lenh": "phap_lenh",
    "hien phap": "hien_phap",
    "cong van": "cong_van",
    "van ban": None,
    "to trinh": "to_trinh",
    "van kien": "van_kien",
    "cong dien": "khac",
    "thong cao": "khac",
    "phuong an": "khac",
}
_TW = (
    r"nghị\s+quyết(?:\s+liên\s+tịch)?|nghị\s+định|quyết\s+định|chỉ\s+thị|kết\s+luận|"
    r"qu[yi]\s+định|qu[yi]\s+chế|hướng\s+dẫn|thông\s+báo|thông\s+tri|thông\s+tư(?:\s+liên\s+tịch)?|"
    r"kế\s+hoạch|chương\s+trình|báo\s+cáo|đề\s+án|bộ\s+luật|luật|pháp\s+lệnh|hiến\s+pháp|"
    r"công\s+văn|văn\s+bản|tờ\s+trình|văn\s+kiện|công\s+điện|thông\s+cáo|phương\s+án"
)
_QUAL = r"phối\s+hợp|hành\s+động|liên\s+tịch|liên\s+ngành|làm\s+việc|công\s+tác|liên\s+kết|kết\s+luận|chuyên\s+đề"

# Laws cited by name; the longest match wins, commas optional, case and tone placement ignored.
_LAW_NAMES = """Thực hiện dân chủ ở cơ sở|Tiếp cận thông tin|Tiếp công dân|Khiếu nại|Tố cáo|
Khiếu nại, tố cáo|Phòng, chống tham nhũng|Thực hành tiết kiệm, chống lãng phí|Cán bộ, công chức|
Viên chức|Tổ chức chính quyền địa phương|Tổ chức Chính phủ|Tổ chức Quốc hội|
Tổ chức Tòa án nhân dân|Tổ chức Viện kiểm sát nhân dân|Ban hành văn bản quy phạm pháp luật|
Thi đua, khen thưởng|Tín ngưỡng, tôn giáo|Ngân sách nhà nước|Đầu tư công|Đầu tư|Xây dựng|Đất đai|
Bảo vệ môi trường|Giáo dục|Giáo dục nghề nghiệp|Giáo dục đại học|Hòa giải ở cơ sở|
Phổ biến, giáo dục pháp luật|Mặt trận Tổ quốc Việt Nam|Thanh niên|Dân quân tự vệ|
Công an nhân dân|An ninh mạng|An ninh quốc gia|Quốc phòng|Nghĩa vụ quân sự|Biên giới quốc gia|
Giao thông đường bộ|Trật tự, an toàn giao thông đường bộ|Đường bộ|Bình đẳng giới|
Phòng, chống bạo lực gia đình|Trẻ em|Người cao tuổi|Người khuyết tật|Hôn nhân và gia đình|
Đấu thầu|Doanh nghiệp|Hợp tác xã|Nhà ở|Kinh doanh bất động sản|Quy hoạch|Quy hoạch đô thị|
Tài nguyên nước|Lâm nghiệp|Thủy sản|Trồng trọt|Chăn nuôi|Hộ tịch|Cư trú|Căn cước|
Căn cước công dân|Xử lý vi phạm hành chính|Thanh tra|Kiểm toán nhà nước|Báo chí|
Giao dịch điện tử|Công nghệ thông tin|Lưu trữ|Bảo hiểm xã hội|Bảo hiểm y tế|Việc làm|
Di sản văn hóa|Du lịch|Thể dục, thể thao|Điện lực|Phòng, chống ma túy|Phòng cháy và chữa cháy|
Phòng cháy, chữa cháy và cứu nạn, cứu hộ|Phòng, chống thiên tai|Đê điều|Quản lý thuế|
An toàn thực phẩm|Khám bệnh, chữa bệnh|Dược|Phòng, chống bệnh truyền nhiễm|
Bảo vệ quyền lợi người tiêu dùng|Tố tụng hành chính|Trưng cầu ý dân|
Bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân|
Hoạt động giám sát của Quốc hội và Hội đồng nhân dân|Trợ giúp pháp lý|Công chứng|Thống kê|
Kế toán|Quản lý, sử dụng tài sản công|Dữ liệu|Thủ đô|Thủy lợi|Phòng thủ dân sự|
Lực lượng tham gia bảo vệ an ninh, trật tự ở cơ sở|Công đoàn|Điều ước quốc tế|
Quốc tịch Việt Nam|Dân số|Phòng, chống tác hại của thuốc lá|Phòng, chống tác hại của rượu, bia|
Nuôi con nuôi|Thi hành án dân sự|Phòng, chống mua bán người|Phòng, chống rửa tiền|
Hòa giải, đối thoại tại Tòa án|Khoa học và công nghệ|Chuyển đổi số|Tiếp cận pháp luật|
Tổ chức Hội đồng nhân dân và Ủy ban nhân dân|
Giáo dục quốc phòng và an ninh|Tiêu chuẩn và quy chuẩn kỹ thuật|Phí và lệ phí|Bảo vệ bí mật nhà nước|
An toàn, vệ sinh lao động|Chất lượng sản phẩm, hàng hóa|Bảo vệ và phát triển rừng|Cảnh vệ|Tài nguyên, môi trường biển và hải đảo"""
_CODE_NAMES = "Lao động|Hình sự|Dân sự|Tố tụng hình sự|Tố tụng dân sự|Hàng hải Việt Nam"
_ORDINANCE_NAMES = (
    "Thực hiện dân chủ ở xã, phường, thị trấn|Ưu đãi người có công với cách mạng|"
    "Tín ngưỡng, tôn giáo|Xử lý vi phạm hành chính|Cán bộ, công chức"
)


def _words(text: str) -> list[str]:
    """Split a space-separated word list (one string keeps the tables compact)."""
    return text.split()


# Words that end a law name cut without the lexicon (casefolded NFC, so "năm" ≠ "Nam").
_NAME_STOP = frozenset(
    _words(
        "của ngày năm và số nhằm theo để đã được tại trong khi thì là có với gắn về này "
        "nói các cho đến từ do mà đang sẽ cùng hoặc như tạo nêu trên mới vừa cũng nên phải cần"
    )
)
_NAME_STOP2 = frozenset({"đảm bảo", "bảo đảm", "hiện hành", "sửa đổi", "quy định", "hướng dẫn"})
_NAME_BAD_FIRST = frozenset(_words("sư gia pháp định lệ hóa hoá này nêu trên quy đã được và sửa số chơi tục bất có là"))

# ---------------------------------------------------------------------------------------------
# Regexes (all applied to NFC text; bounded so that matching stays linear)

_I = re.IGNORECASE
_C = rf"[{CODE_CHARS}][{CODE_CHARS}0-9]*"
_ISS = rf"{_C}(?:-{_C}|(?:-[^\S\n]|[^\S\n]-)(?-i:[A-ZĐƯƠ][A-ZĐƯƠ0-9]+)(?!\w))*"
_NUM = r"[0-9]{1,5}"
_NUMSYM = (
    rf"(?<![\w/])(?:{_NUM}[^\S\n]{{0,2}}/[^\S\n]{{0,2}}(?:19|20)[0-9]{{2}}[^\S\n]{{0,2}}/[^\S\n]{{0,2}}{_ISS}"
    rf"|{_NUM}(?:[^\S\n]{{0,3}}-[^\S\n]{{0,3}}|\s{{1,4}}){_C}/{_ISS}"
    rf"|{_NUM}[^\S\n]{{0,3}}/[^\S\n]{{0,3}}{_ISS})"
)
_BLANK = rf"(?:/[^\S\n]{{0,2}}(?:19|20)[0-9]{{2}}/{_ISS}|/[^\S\n]{{0,2}}{_ISS}|-[^\S\n]{{0,2}}{_C}/{_ISS})"
_ANCHOR = re.compile(rf"(?P<tw>\b(?:{_TW})\b)|(?P<ns>{_NUMSYM})", _I)
_NUMSYM_AT = re.compile(_NUMSYM)
_BLANK_AT = re.compile(_BLANK)
_TYPED = re.compile(rf"(?:\s{{1,3}}(?P<q>{_QUAL}))?(?:\s{{1,3}}(?P<so>số)(?!\w)\s{{0,3}}:?)?\s{{0,4}}", _I)
_CITE_START = re.compile(rf"(?:\b(?:{_TW})(?:\s{{1,3}}(?:{_QUAL}))?(?:\s{{1,3}}số)?\s{{0,3}}:?\s{{0,4}})?{_NUMSYM}", _I)

_ROMAN = r"(?-i:[IVXLC]{1,6})(?![\w])"
_DATE = re.compile(
    r"\s{0,3},?\s{0,3}(?:ban\s+hành\s+)?ngày\s{1,4}(?:"
    r"(?P<d>[0-9]{1,2})\s?[/.-]\s?(?P<m>[0-9]{1,2})\s?[/.-]\s?(?P<y>[0-9]{4})"
    r"|(?P<d2>[0-9]{1,2}\s+)?tháng\s+(?P<m2>[0-9]{1,2})\s*,?\s*năm\s+(?P<y2>[0-9]{4}))(?![0-9])",
    _I,
)
_ISSUED_BEFORE = re.compile(
    r"ngày\s{1,3}(?:(?P<d>[0-9]{1,2})\s?[/.-]\s?(?P<m>[0-9]{1,2})\s?[/.-]\s?(?P<y>[0-9]{4})"
    r"|(?P<d2>[0-9]{1,2})\s+tháng\s+(?P<m2>[0-9]{1,2})\s*,?\s*năm\s+(?P<y2>[0-9]{4}))"
    r"\s{0,3},?\s{0,3}(?P<iss>(?!của\b)[^\n,;.:“”\"()\[\]0-9]{2,80}?)\s+(?:đã\s+)?(?:ký\s+kết|ký|ban\s+hành|ký\s+ban\s+hành|thông\s+qua)\s+$",
    _I,
)
_OF = re.compile(
    r"\s{0,3},?\s{0,3}(?:của|giữa)\s+|[^\S\n]{1,3}(?=(?-i:Hội nghị|Ban Chấp hành|Ban Thường vụ|Bộ Chính trị|Ban Bí thư|"
    r"Thủ tướng|Chính phủ|Quốc hội|Ủy ban nhân dân|Uỷ ban nhân dân|UBND|HĐND|Hội đồng nhân dân)(?!\w))",
    _I,
)
_TERM = re.compile(rf"\s{{0,3}}(?:\(\s*(?:khóa|khoá)\s+(?P<a>{_ROMAN})\s*\)|,?\s*(?:khóa|khoá)\s+(?P<b>{_ROMAN}))", _I)
_YEAR = re.compile(r"\s{0,3},?\s{0,3}\(?(?:năm\s+)?(?P<y>(?:19|20)[0-9]{2})(?![0-9/])\)?", _I)
_YEAR_BARE = re.compile(r"[^\S\n]{1,2}(?:năm[^\S\n]{1,2})?(?P<y>(?:19|20)[0-9]{2})(?![0-9/.–-])(?!\s*[-–]\s*[0-9])", _I)
_NUM_AFTER_NAME = re.compile(r"\s{0,3},?\s{0,3}số\s{0,3}", _I)

_ISSUER_REGION = re.compile(r"(?:[^\n;:.,“”\"()\[\]<>?!…*]|(?<=TP)\.|(?<=Tp)\.){1,160}")
_ISSUER_STOP = re.compile(
    r"\s(?:về|v/v|ban\s+hành|phê\s+duyệt|quy\s+định|hướng\s+dẫn|nhằm|triển\s+khai|thực\s+hiện|"
    r"khảo\s+sát|để|đã|được|gắn\s+với|theo|tại|trong|khóa|khoá|ngày|số|năm|nhiệm\s+kỳ|sửa\s+đổi|bổ\s+sung|"
    r"thông\s+qua|kèm\s+theo|có\s+hiệu\s+lực)(?!\w)"
    rf"|\s(?:và|-|–)\s+(?=(?:{_TW})(?!\w))",
    _I,
)
_TITLE_LEAD = re.compile(
    r"[^\S\n]{0,3},?[^\S\n]{0,3}(?:(?P<ve>về|v/v)(?!\w)[^\S\n]{0,3}:?[^\S\n]{0,3}|(?P<verb>ban\s+hành|phê\s+duyệt)\s+(?=[“\"]))?",
    _I,
)
_TITLE_HARD = re.compile(r"[;\n\[<¹²³⁴⁵⁶⁷⁸⁹⁰…:]|\.(?=\s|$)|\.\.")
_TITLE_CONNECT = re.compile(r"(?P<c>,|\s(?:và|cùng|gắn\s+với))\s+", _I)
_TITLE_STOP = re.compile(
    r"(?:\s(?:đã\s+được|đã)|[,(]?\s*có\s+hiệu\s+lực|"
    r",\s*(?:yêu\s+cầu|đề\s+nghị|đồng\s+thời|giao|theo\s+đó|trong\s+đó|xem\s+đây))(?!\w)",
    _I,
)
_CAP_TYPE_WORD = re.compile(rf"(?=(?-i:[A-ZĐ]))(?:{_TW})(?!\w)", _I)
_AFTER_QUOTE_OK = re.compile(r"\s*(?:$|[;,.:\n)\[<¹²³⁴⁵⁶⁷⁸⁹⁰…]|(?:và|của)\b)", _I)
_QUOTE_MARKS = re.compile(r"[“”\n]")

_DAIHOI = re.compile(
    r"\s+đại\s+hội(?P<mid>(?:\s+[^\s,;:.()\[\]“”\"<>…]{1,30}){0,12}?)\s+"
    rf"(?:lần\s+thứ\s+(?P<n>[0-9]{{1,2}}(?![\w])|{_ROMAN})|(?P<r>{_ROMAN}))",
    _I,
)
_PLENUM = re.compile(
    r"\s+(?:hội\s+nghị\s+)?(?:lần\s+thứ\s+\w+\s+)?(?:ban\s+chấp\s+hành\s+)?(?:trung\s+ương|TW|TƯ)"
    r"(?:\s+đảng)?\s{0,2}(?:[0-9]{1,2}|lần\s+thứ\s+\w+)?\s{0,2},?\s{0,2}(?P<k>\(\s*)?(?:khóa|khoá)\s+"
    rf"(?P<t>{_ROMAN})(?(k)\s*\))",
    _I,
)
_MORE_TERM = re.compile(rf"\s{{0,2}}(?:,|và)\s{{0,2}}(?P<t>{_ROMAN})", _I)
_HEADER_PREFIX = re.compile(r"[\s*_#>|-]*(?:số)\s*:?\s*", _I)
_OWN_NUMBER_BEFORE = re.compile(r"(?:^|\W)(?-i:Số|SỐ)\s{0,3}:?\s{0,3}$", _I)
_CONSTITUTION_LONG = re.compile(r"\s+nước\s+Cộng\s+h(?:òa|oà)\s+xã\s+hội\s+chủ\s+nghĩa\s+Việt\s+Nam", _I)
_SO_BEFORE = re.compile(r"(?:^|\W)số\s{0,3}:?\s{0,3}$", _I)
_CONNECT_ONLY = re.compile(r"[\s,]*(?:(?:và|cùng)[\s,]*)?", _I)
_NAME_WORD = re.compile(r"[^\S\n]{1,3}(?P<w>[^\s,;:.()\[\]“”\"<>…?!*/]+)")
_TW_FULL = re.compile(_TW, _I)
_AFTER_PHAP = re.compile(r"(?:^|\W)pháp\s+$", _I)
_AMEND = re.compile(r"\s{1,3}sửa\s+đổi\s*,?\s*bổ\s+sung(?:\s+một\s+số\s+điều)?(?:\s+(?:của|tại))?(?!\w)", _I)
_INNER_LAW = re.compile(
    r"\s{0,3}(?:,|\svà)?\s{1,3}(?P<w>(?-i:Luật|LUẬT|Bộ\s+luật|BỘ\s+LUẬT|Pháp\s+lệnh|PHÁP\s+LỆNH))(?!\w)", _I
)


_TONE_MARKS = dict.fromkeys(map(ord, "\u0300\u0301\u0303\u0309\u0323"))


class _FoldTable(dict[int, str]):
    """``str.translate`` table folding case and tone marks, one character to exactly one.

    Only tones go, so the two tone placements ("hoà"/"hòa") and capitals meet while "Dược" and
    "được" (đ, horn) stay apart; one-to-one keeps folded offsets equal to NFC offsets.
    """

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        bare = unicodedata.normalize("NFC", unicodedata.normalize("NFD", ch).translate(_TONE_MARKS))
        out = bare.lower() if len(bare) == 1 and len(bare.lower()) == 1 else ch
        if len(self) < 8192:
            self[code] = out
        return out


_FOLD_TABLE = _FoldTable()


def _fold_same_length(s: str) -> str:
    return s.translate(_FOLD_TABLE)


def _names_regex(names: str) -> re.Pattern[str]:
    alts = []
    for raw_name in sorted((n.strip() for n in names.split("|")), key=len, reverse=True):
        words = re.findall(r"[^\s,]+", _fold_same_length(raw_name))
        alts.append(r"[\s,]{1,3}".join(re.escape(w) for w in words))
    return re.compile(r"(?:" + "|".join(alts) + r")(?!\w)")


def _canon_names(names: str) -> dict[str, str]:
    return {" ".join(re.findall(r"[^\s,]+", _fold_same_length(n.strip()))): n.strip() for n in names.split("|")}


_LEXICONS = {
    "luat": ("Luật", _names_regex(_LAW_NAMES.replace("\n", "")), _canon_names(_LAW_NAMES.replace("\n", ""))),
    "bo_luat": ("Bộ luật", _names_regex(_CODE_NAMES), _canon_names(_CODE_NAMES)),
    "phap_lenh": ("Pháp lệnh", _names_regex(_ORDINANCE_NAMES), _canon_names(_ORDINANCE_NAMES)),
}


# ---------------------------------------------------------------------------------------------
# Normalisation with a map back to the original offsets


class _Map:
    """Map offsets in the NFC text back to the caller's string (identity when already NFC)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.norm_starts: list[int] | None = None
        self.orig_starts: list[int] = []
        if unicodedata.is_normalized("NFC", text):
            self.norm = nfc(text)
            return
        target = nfc(text)
        for split in (self._starter_bounds, self._ascii_bounds):
            bounds = split(text)
            parts = [
                unicodedata.normalize("NFC", text[a:b]) for a, b in zip(bounds, bounds[1:] + [len(text)], strict=True)
            ]
            joined = "".join(parts)
            for bad, good in LOOKALIKE_D.items():
                joined = joined.replace(bad, good)
            if joined == target:
                self.orig_starts = bounds
                starts, acc = [], 0
                for p in parts:
                    starts.append(acc)
                    acc += len(p)
                self.norm_starts = starts
                break
        else:  # cannot happen for valid Unicode; keep a coarse but safe mapping
            self.orig_starts, self.norm_starts = [0], [0]
        self.norm = target

    @staticmethod
    def _starter_bounds(text: str) -> list[int]:
        return [i for i, ch in enumerate(text) if i == 0 or not unicodedata.combining(ch)]

    @staticmethod
    def _ascii_bounds(text: str) -> list[int]:
        return [i for i, ch in enumerate(text) if i == 0 or ord(ch) < 128]

    def span(self, start: int, end: int) -> tuple[int, int]:
        if self.norm_starts is None:
            return start, end
        k = bisect.bisect_right(self.norm_starts, start) - 1
        o_start = self.orig_starts[max(k, 0)]
        j = bisect.bisect_right(self.norm_starts, max(end - 1, start)) - 1
        j = max(j, 0)
        o_end = self.orig_starts[j + 1] if j + 1 < len(self.orig_starts) else len(self.text)
        return o_start, max(o_end, o_start)


# ---------------------------------------------------------------------------------------------
# Draft citations (mutable while the fields are read)


@dataclass
class _Draft:
    start: int
    end: int
    doc_type: str | None = None
    ns: NumberSymbol | None = None
    year: int | None = None
    date: str | None = None
    issuer: str | None = None
    title: str | None = None
    name: str | None = None
    term: str | None = None


def _clean(s: str) -> str:
    return " ".join(s.replace("*", "").split())


def _iso(d: str | None, m: str, y: str) -> tuple[str | None, int | None]:
    year = int(y)
    if not 1900 <= year <= 2100:
        return None, None
    if d is None:
        return None, year
    try:
        return _dt.date(year, int(m), int(d)).isoformat(), year
    except ValueError:
        return None, year


def _read_issuer(norm: str, pos: int) -> tuple[str, int] | None:
    """Read the issuer after "của"/"giữa": a name up to a clause boundary or a verb."""
    m = _ISSUER_REGION.match(norm, pos)
    if not m:
        return None
    region = m.group(0)
    cut = len(region)
    for stop in _ISSUER_STOP.finditer(region):
        word = " ".join(fold(stop.group(0)).split())
        if word == "thuc hien" and fold(region[: stop.start()]).endswith("chi dao"):
            continue
        cut = stop.start()
        break
    text = region[:cut].rstrip().rstrip("-–").rstrip()
    issuer = _clean(text)
    if not issuer or not issuer[0].isalpha() or len(issuer.split()) > 18:
        return None
    return issuer, pos + len(text)


def _read_tail(norm: str, pos: int, d: _Draft) -> int:
    """Read date, issuer and term after the number, in any order; return the new end.

    "năm YYYY" is deliberately not read here: after an issuer it usually belongs to the next
    phrase ("… giữa A và B năm 2018"), and after a plan's name it is the plan's subject year.
    """
    seen: set[str] = set()
    for _ in range(6):
        m = _DATE.match(norm, pos) if "date" not in seen else None
        if m:
            if m.group("y"):
                d.date, year = _iso(m.group("d"), m.group("m"), m.group("y"))
            else:
                day = m.group("d2").strip() if m.group("d2") else None
                d.date, year = _iso(day, m.group("m2"), m.group("y2"))
            d.year = year or d.year
            seen.add("date")
            pos = m.end()
            continue
        m = _OF.match(norm, pos) if "issuer" not in seen else None
        if m:
            got = _read_issuer(norm, m.end())
            if got:
                d.issuer, pos = got
                seen.add("issuer")
                continue
        m = _TERM.match(norm, pos) if "term" not in seen else None
        if m:
            d.term = m.group("a") or m.group("b")
            seen.add("term")
            pos = m.end()
            continue
        break
    return pos


def _quoted(norm: str, pos: int) -> tuple[str, int] | None:
    """Read a quotation opening at ``pos`` (nested “…” allowed); None when unclosed."""
    opener = norm[pos]
    limit = min(len(norm), pos + 500)
    if opener == '"':
        end = norm.find('"', pos + 1, limit)
        if end < 0 or "\n" in norm[pos:end]:
            return None
        return norm[pos + 1 : end], end + 1
    depth = 0
    for q in _QUOTE_MARKS.finditer(norm, pos, limit):
        ch = q.group(0)
        if ch == "\n":
            return None
        depth += 1 if ch == "“" else -1
        if depth == 0:
            return norm[pos + 1 : q.start()], q.end()
    return None


def _clause(norm: str, pos: int) -> str:
    """Read a "về …" clause up to a boundary or up to a connector that starts a new citation."""
    limit = min(len(norm), pos + 500)
    end = limit
    i = pos
    while i < limit:
        m = _TITLE_HARD.search(norm, i, limit)
        if not m:
            break
        if m.group(0) == "\n":
            j = m.end()
            while j < limit and norm[j] in " \t\r\n":
                j += 1
            if j < limit and norm[j].islower():
                i = j
                continue
        end = m.start()
        break
    stop = _TITLE_STOP.search(norm, pos, end)
    if stop:
        end = stop.start()
    for c in _TITLE_CONNECT.finditer(norm, pos, end):
        plain = fold(c.group("c")).strip() in (",", "va")
        if _CITE_START.match(norm, c.end()) or (plain and _CAP_TYPE_WORD.match(norm, c.end())):
            end = c.start()
            break
    text = _clean(norm[pos:end]).rstrip(" ,;:.-–")
    if text.count("“") != text.count("”"):
        text = _clean(text.replace("“", "").replace("”", ""))
    return text


def _read_title(norm: str, pos: int) -> str | None:
    """The trích yếu that follows a citation, as printed, or None.

    A quotation right after the citation (optionally after "về") gives its content; "về …"
    without one gives the clause; "ban hành/phê duyệt “…”" gives the verb and the quotation.
    """
    m = _TITLE_LEAD.match(norm, pos)
    if not m:
        return None
    q = m.end()
    at_quote = q < len(norm) and norm[q] in '“"'
    if m.group("verb"):
        got = _quoted(norm, q)
        return _clean(norm[m.start("verb") : got[1]]) if got else None
    if at_quote:
        got = _quoted(norm, q)
        if got and _AFTER_QUOTE_OK.match(norm, got[1]):
            return _clean(got[0]) or None
        if not m.group("ve"):
            return None
    if not m.group("ve"):
        return None
    return _clause(norm, q) or None


# ---------------------------------------------------------------------------------------------
# Parsers for each kind of anchor


def _type_of(word: str) -> str | None:
    return _TYPE_WORDS.get(" ".join(fold(word).split()))


def _parse_typed(norm: str, m: re.Match[str]) -> _Draft | None:
    """Type word, optional qualifier and "số", then a number-and-symbol (or a blank one)."""
    t = _TYPED.match(norm, m.end())
    if not t:
        return None
    pos = t.end()
    n = _NUMSYM_AT.match(norm, pos)
    if not n and t.group("so"):
        n = _BLANK_AT.match(norm, pos)
    if not n:
        return None
    ns = parse_number_symbol(n.group(0))
    if ns is None:
        return None
    word_type = _type_of(m.group("tw"))
    d = _Draft(start=m.start(), end=n.end(), ns=ns, year=ns.year)
    d.doc_type = word_type or ns.doc_type
    _after_symbol(norm, d)
    if d.date is None:
        _issued_before(norm, d)
    return d


def _after_symbol(norm: str, d: _Draft) -> None:
    """Read what may follow a number-and-symbol: a bare year, date/issuer/term, then a title."""
    y = _YEAR_BARE.match(norm, d.end) if d.year is None else None
    if y:  # "Quyết định 439/QĐ-TTg 2023", "Quy định 29-QĐ/TW năm 2016" (catalogue style)
        d.year, d.end = int(y.group("y")), y.end()
    d.end = _read_tail(norm, d.end, d)
    d.title = _read_title(norm, d.end)


def _issued_before(norm: str, d: _Draft) -> None:
    """News style: "ngày 13/01/2023, Ủy ban nhân dân tỉnh đã ban hành Văn bản số 276/…"."""
    b = _ISSUED_BEFORE.search(norm, max(0, d.start - 160), d.start)
    if not b:
        return
    if b.group("y"):
        d.date, year = _iso(b.group("d"), b.group("m"), b.group("y"))
    else:
        d.date, year = _iso(b.group("d2"), b.group("m2"), b.group("y2"))
    d.year = d.year or year
    d.issuer = d.issuer or _clean(b.group("iss")) or None


def _name_goes_on(norm: str, pos: int) -> bool:
    """Whether a lower-case word that cannot end a name follows: "Luật Giáo dục quốc phòng …"
    is not "Luật Giáo dục", so the lexicon match must give way to the boundary cut."""
    w = _NAME_WORD.match(norm, pos)
    if not w or w.start("w") != pos + 1:
        return False
    word = w.group("w")
    low = word.casefold()
    nxt = _NAME_WORD.match(norm, w.end())
    pair = f"{low} {nxt.group('w').casefold()}" if nxt else ""
    return word[0].islower() and word.isalpha() and low not in _NAME_STOP and pair not in _NAME_STOP2


def _law_name(norm: str, pos: int, kind: str, printed: str) -> tuple[str, int] | None:
    """Read a law name after "Luật"/"Bộ luật"/"Pháp lệnh": lexicon first, then a boundary cut.

    An amending law ("Luật sửa đổi, bổ sung một số điều của Luật A và Luật B") is one document:
    its name runs over the amended laws' names.
    """
    label, regex, canon = _LEXICONS[kind]
    amend = _AMEND.match(norm, pos)
    if amend:
        end = None
        p = amend.end()
        while True:
            inner = _INNER_LAW.match(norm, p)
            inner_kind = _type_of(inner.group("w")) if inner else None
            got = _law_name(norm, inner.end(), inner_kind, inner.group("w")) if inner and inner_kind else None
            if not got:
                break
            end = p = got[1]
        return (_clean(printed + norm[pos:end]), end) if end else None
    window = norm[pos : pos + 120]
    lead = len(window) - len(window.lstrip())
    if lead == 0 or lead > 3 or "\n" in window[:lead]:
        return None
    folded = _fold_same_length(window)
    lm = regex.match(folded, lead)
    if lm and not _name_goes_on(norm, pos + lm.end()):
        key = " ".join(re.findall(r"[^\s,]+", lm.group(0)))
        return f"{label} {canon.get(key, window[lead : lm.end()])}", pos + lm.end()
    words: list[str] = []
    end = pos
    i = pos
    while len(words) < 10:
        w = _NAME_WORD.match(norm, i)
        if not w:
            break
        word = w.group("w")
        low = word.casefold()
        if not words and (low in _NAME_BAD_FIRST or not word[0].isalpha()):
            return None
        nxt = _NAME_WORD.match(norm, w.end())
        if low in _NAME_STOP or any(ch.isdigit() for ch in word):
            break
        if nxt and f"{low} {nxt.group('w').casefold()}" in _NAME_STOP2:
            break
        if words and _TW_FULL.fullmatch(word):
            break
        words.append(word)
        end = w.end()
        i = w.end()
    if not words:
        return None
    return f"{_clean(printed)} {' '.join(words)}", end


def _parse_named(norm: str, m: re.Match[str]) -> list[_Draft]:
    """Documents cited by name or event: laws, the Constitution, congress and plenum resolutions."""
    word = m.group("tw")
    kind = _type_of(word)
    if kind in ("luat", "bo_luat", "phap_lenh"):
        if not word[0].isupper() or _AFTER_PHAP.search(norm, max(0, m.start() - 8), m.start()):
            return []  # "pháp Luật" is the common noun, printed with a stray capital
        got = _law_name(norm, m.end(), kind, word)
        if not got:
            return []
        name, pos = got
        d = _Draft(start=m.start(), end=pos, doc_type=kind, name=name)
        y = _YEAR.match(norm, pos)
        if y:
            d.year, d.end = int(y.group("y")), y.end()
        s = _NUM_AFTER_NAME.match(norm, d.end)
        n = _NUMSYM_AT.match(norm, s.end()) if s else None
        ns = parse_number_symbol(n.group(0)) if n else None
        if n and ns:
            d.ns, d.end = ns, n.end()
            d.year = d.year or ns.year
        d.end = _read_tail(norm, d.end, d)
        d.title = _read_title(norm, d.end)
        return [d]
    if kind == "hien_phap":
        if not word[0].isupper():
            return []
        d = _Draft(start=m.start(), end=m.end(), doc_type="hien_phap", name="Hiến pháp")
        long = _CONSTITUTION_LONG.match(norm, d.end)
        d.end = long.end() if long else d.end
        y = _YEAR.match(norm, d.end)
        if y:
            d.year, d.end = int(y.group("y")), y.end()
            d.name = f"Hiến pháp năm {d.year}"
        return [d]
    if kind in ("nghi_quyet", "van_kien"):
        e = _DAIHOI.match(norm, m.end())
        if e:
            d = _Draft(start=m.start(), end=e.end(), doc_type=kind, name=_clean(norm[m.start() : e.end()]))
            d.end = _read_tail(norm, d.end, d)
            d.title = _read_title(norm, d.end)
            return [d]
        p = _PLENUM.match(norm, m.end()) if kind == "nghi_quyet" else None
        if p:
            name = _clean(norm[m.start() : p.end()])
            out = [_Draft(start=m.start(), end=p.end(), doc_type=kind, name=name, term=p.group("t"))]
            pos = p.end()
            prefix = name[: len(name) - len(p.group("t"))].rstrip(") ").rstrip()
            prefix = prefix[:-1].rstrip() if prefix.endswith("(") else prefix
            while True:
                more = _MORE_TERM.match(norm, pos)
                if not more:
                    break
                t = more.group("t")
                out.append(
                    _Draft(start=more.start("t"), end=more.end("t"), doc_type=kind, name=f"{prefix} {t}", term=t)
                )
                pos = more.end()
            last = out[-1]
            last.end = _read_tail(norm, last.end, last)
            title = _read_title(norm, last.end)
            for d in out:
                d.title = title
                d.issuer = d.issuer or last.issuer
            return out
    return []


def _parse_bare(norm: str, m: re.Match[str], prev: _Draft | None) -> _Draft | None:
    """A number-and-symbol with no type word: accept only unambiguous shapes."""
    raw = m.group("ns")
    ns = parse_number_symbol(raw)
    if ns is None:
        return None
    start = m.start("ns")
    line_start = norm.rfind("\n", 0, start) + 1
    if _HEADER_PREFIX.fullmatch(norm, line_start, start) or _OWN_NUMBER_BEFORE.search(norm, max(0, start - 8), start):
        return None  # "Số: 72/KH-UBND" (capital S, no type word): the document's own number
    after_so = bool(_SO_BEFORE.search(norm[max(0, start - 14) : start]))
    continues = (
        prev is not None
        and prev.ns is not None
        and _CONNECT_ONLY.fullmatch(norm, prev.end, start) is not None
        and prev.end < start
    )
    if ns.style == "official_letter":
        if "-" not in ns.issuer_code or not (
            after_so or (continues and prev is not None and prev.doc_type == "cong_van")
        ):
            return None  # "số 5/KP3" is an address; a letter needs issuer and unit ("276/UBND-NCPC")
    elif ns.type_code not in TYPE_CODES:
        return None
    elif re.search(r"[0-9]\s+[^\s/-]", raw) and "-" not in raw.split("/")[0] and not after_so:
        return None  # "2023 KH/HU" without a hyphen is too weak on its own
    d = _Draft(start=start, end=m.end("ns"), ns=ns, year=ns.year)
    d.doc_type = ns.doc_type
    if continues and prev is not None and prev.ns is not None and prev.ns.type_code == ns.type_code:
        d.doc_type = prev.doc_type
    _after_symbol(norm, d)
    return d


def _borrow(norm: str, drafts: list[_Draft]) -> None:
    """Share a trailing issuer/date with the list members before it ("A và B ngày … của …")."""
    for i in range(len(drafts) - 2, -1, -1):
        a, b = drafts[i], drafts[i + 1]
        if a.ns is None or b.ns is None or a.title is not None:
            continue
        if _CONNECT_ONLY.fullmatch(norm, a.end, b.start) is None:
            continue
        if a.issuer is None and b.issuer and a.ns.issuer_code.upper() == b.ns.issuer_code.upper():
            a.issuer = b.issuer
            a.term = a.term or b.term
            if a.date is None and b.date and a.doc_type == b.doc_type:
                a.date = b.date
                a.year = b.year
        elif (
            a.issuer is None
            and a.date is None
            and b.date
            and a.doc_type == b.doc_type
            and a.ns.issuer_code.upper() == b.ns.issuer_code.upper()
        ):
            a.date, a.year = b.date, b.year


def _scan(norm: str) -> list[_Draft]:
    drafts: list[_Draft] = []
    pos = 0
    while True:
        m = _ANCHOR.search(norm, pos)
        if not m:
            break
        found: list[_Draft] = []
        if m.group("tw"):
            typed = _parse_typed(norm, m)
            found = [typed] if typed else _parse_named(norm, m)
        else:
            bare = _parse_bare(norm, m, drafts[-1] if drafts else None)
            found = [bare] if bare else []
        if not found:
            pos = m.end()
            continue
        drafts.extend(found)
        pos = max(found[-1].end, m.end())
    _borrow(norm, drafts)
    return drafts


def _freeze(drafts: list[_Draft], mapping: _Map) -> list[Citation]:
    out: list[Citation] = []
    for d in drafts:
        start, end = mapping.span(d.start, d.end)
        year = d.year
        if year is None and d.date:
            year = int(d.date[:4])
        out.append(
            Citation(
                raw=mapping.text[start:end],
                start=start,
                end=end,
                doc_type=d.doc_type,
                number_symbol=d.ns.canonical if d.ns else None,
                year=year,
                date=d.date,
                issuer=d.issuer,
                title=d.title,
                name=d.name,
                term=d.term,
            )
        )
    return out


def _find(text: str) -> list[Citation]:
    mapping = _Map(text)
    return _freeze(_scan(mapping.norm), mapping)


def find_citations(text: str) -> list[Citation]:
    """Return every document citation in ``text``, in text order, non-overlapping.

    Never raises: a non-string gives ``[]``, and so does an unexpected internal error (a bug),
    rather than breaking a whole import or check run; the tests call ``_find`` directly so that
    such bugs still surface there.
    """
    if not isinstance(text, str) or not text:
        return []
    try:
        return _find(text)
    except Exception:  # pragma: no cover - defensive: the contract is "never raise"
        return []
