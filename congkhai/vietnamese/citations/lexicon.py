"""The names laws, codes and ordinances are cited by, and the words that end a name.

"Luật Phòng, chống tham nhũng" has no number in running text; the name is matched against this
lexicon first (commas optional, case and tone placement ignored, canonical spelling returned) and
only otherwise cut at a boundary word. The lexicon is data: add a law here, not in the parser.
"""

from __future__ import annotations

import re
import unicodedata

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
NAME_STOP = frozenset(
    _words(
        "của ngày năm và số nhằm theo để đã được tại trong khi thì là có với gắn về này "
        "nói các cho đến từ do mà đang sẽ cùng hoặc như tạo nêu trên mới vừa cũng nên phải cần"
    )
)
NAME_STOP2 = frozenset({"đảm bảo", "bảo đảm", "hiện hành", "sửa đổi", "quy định", "hướng dẫn"})
NAME_BAD_FIRST = frozenset(_words("sư gia pháp định lệ hóa hoá này nêu trên quy đã được và sửa số chơi tục bất có là"))

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


def fold_same_length(s: str) -> str:
    """Fold case and tone marks keeping the length, so offsets in the folded text are NFC offsets."""
    return s.translate(_FOLD_TABLE)


def _names_regex(names: str) -> re.Pattern[str]:
    """One regex for a "|"-separated name list, longest first, commas optional, on folded text."""
    alts = []
    for raw_name in sorted((n.strip() for n in names.split("|")), key=len, reverse=True):
        words = re.findall(r"[^\s,]+", fold_same_length(raw_name))
        alts.append(r"[\s,]{1,3}".join(re.escape(w) for w in words))
    return re.compile(r"(?:" + "|".join(alts) + r")(?!\w)")


def _canon_names(names: str) -> dict[str, str]:
    """Folded name (commas dropped) → the name as the lexicon spells it."""
    return {" ".join(re.findall(r"[^\s,]+", fold_same_length(n.strip()))): n.strip() for n in names.split("|")}


LEXICONS = {
    "luat": ("Luật", _names_regex(_LAW_NAMES.replace("\n", "")), _canon_names(_LAW_NAMES.replace("\n", ""))),
    "bo_luat": ("Bộ luật", _names_regex(_CODE_NAMES), _canon_names(_CODE_NAMES)),
    "phap_lenh": ("Pháp lệnh", _names_regex(_ORDINANCE_NAMES), _canon_names(_ORDINANCE_NAMES)),
}
