"""Findings are data: every check yields them, one reporter renders them.

Codes are stable (tests, CI annotations and the docs refer to them). Table problems reuse
frictionless' own codes (``type-error``, ``constraint-error``); the rest are ours. Each code has a
Vietnamese and an English message and hint, formatted with the finding's parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from enum import StrEnum
from typing import Any

from .limits import LIMITS

#: The importer's review marker: every value it could not decide, the comment at the top of a
#: draft; the merge gate (``review-marker``) blocks while one is left, and the plan form labels a
#: choice holding it. Declared here, below every stage that uses it.
REVIEW_MARK = "CẦN KIỂM TRA"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Code:
    severity: Severity
    vi: str
    en: str
    hint_vi: str
    hint_en: str


E, W = Severity.ERROR, Severity.WARNING

CODES: dict[str, Code] = {
    "unreadable-file": Code(
        E,
        "Không đọc được tệp: {reason}",
        "The file cannot be read: {reason}",
        "Lưu lại tệp dưới dạng văn bản UTF-8.",
        "Save the file as UTF-8 text.",
    ),
    "no-front-matter": Code(
        E,
        "Tệp không có phần thông tin (front matter) ở đầu",
        "The file has no front matter",
        "{fm_hint_vi}",
        "{fm_hint_en}",
    ),
    "yaml-syntax": Code(
        E,
        "Lỗi cú pháp YAML: {problem}",
        "YAML syntax error: {problem}",
        "{syntax_hint_vi}",
        "{syntax_hint_en}",
    ),
    "not-a-mapping": Code(
        E,
        "Phần thông tin phải là danh sách các trường 'tên: giá trị', nhưng lại là {found_vi}",
        "The front matter must be a mapping of 'key: value' pairs, but it is {found_en}",
        "Mỗi dòng dạng 'ten_truong: gia tri'.",
        "Write one 'key: value' pair per line.",
    ),
    "duplicate-key": Code(
        E,
        "Trường '{key}' xuất hiện hai lần (lần đầu ở dòng {first_line}); giá trị sau sẽ ghi đè giá trị trước",
        "Key '{key}' appears twice (first on line {first_line}); the later value would silently replace the earlier one",
        "Xóa một trong hai dòng hoặc gộp nội dung lại.",
        "Delete one of the two lines or merge them.",
    ),
    "unknown-key": Code(
        E,
        "Trường '{key}' không có trong lược đồ{suggestion_vi}",
        "Unknown key '{key}'{suggestion_en}",
        "Các trường hợp lệ: {allowed}.",
        "Allowed keys: {allowed}.",
    ),
    "derived-key": Code(
        E,
        "Trường '{key}' được tính tự động, không được ghi tay",
        "Key '{key}' is computed by the build and must not be written by hand",
        "Xóa dòng này.",
        "Delete this line.",
    ),
    "wrong-shape": Code(
        E,
        "Trường '{key}' phải là {expected_vi}, nhưng lại là {found_vi}",
        "'{key}' must be {expected_en}, but it is {found_en}",
        "{shape_hint_vi}",
        "{shape_hint_en}",
    ),
    "type-error": Code(
        E,
        "Giá trị '{value}' của trường '{key}' không đúng kiểu {type}",
        "Value '{value}' of '{key}' is not of type {type}",
        "{type_hint_vi}",
        "{type_hint_en}",
    ),
    "constraint-error": Code(
        E,
        "Giá trị '{value}' của trường '{key}' không thỏa điều kiện: {constraint}",
        "Value '{value}' of '{key}' breaks the constraint: {constraint_en}",
        "{constraint_hint_vi}",
        "{constraint_hint_en}",
    ),
    "vocabulary-error": Code(
        E,
        "'{value}' không phải là giá trị hợp lệ của '{key}'{suggestion_vi}",
        "'{value}' is not a valid value of '{key}'{suggestion_en}",
        "Các giá trị hợp lệ: {allowed}.",
        "Valid values: {allowed}.",
    ),
    "invalid-date": Code(
        E,
        "Ngày '{value}' của trường '{key}' không có thật trên lịch",
        "Date '{value}' of '{key}' does not exist in the calendar",
        "Ghi ngày theo dạng NNNN-TT-NN (ví dụ 2024-03-18) và kiểm tra ngày, tháng.",
        "Write the date as YYYY-MM-DD (e.g. 2024-03-18) and check the day and month.",
    ),
    "date-precision-mismatch": Code(
        E,
        "Ngày '{value}' có độ chính xác '{actual}' nhưng issue_date_precision ghi '{declared}'",
        "Date '{value}' is precise to the {actual} but issue_date_precision says '{declared}'",
        "{precision_hint_vi}",
        "{precision_hint_en}",
    ),
    "future-date": Code(
        E,
        "Ngày ban hành {value} ở tương lai (hôm nay là {today})",
        "Issue date {value} is in the future (today is {today})",
        "Kiểm tra lại năm và tháng ban hành.",
        "Check the year and month of issue.",
    ),
    "extended-before-issue": Code(
        E,
        "Gia hạn đến ngày {extended}, không sau ngày ban hành {issued}",
        "Extended to {extended}, not after the issue date {issued}",
        "extended_to là ngày cuối cùng của thời hạn thực hiện mới, sau khi gia hạn: ghi ngày đó (sau ngày ban hành), "
        "hoặc xóa dòng extended_to nếu văn bản không được gia hạn.",
        "extended_to is the new last day of the plan's period after an extension: give that day (after the issue "
        "date), or delete the extended_to line if the plan was not extended.",
    ),
    "effective-before-issue": Code(
        E,
        "Ngày có hiệu lực {effective} trước ngày ban hành {issued}",
        "Effective date {effective} is before the issue date {issued}",
        "Văn bản không thể có hiệu lực trước khi ban hành; kiểm tra hai ngày này.",
        "A document cannot take effect before it is issued; check both dates.",
    ),
    "number-format": Code(
        E,
        "Số, ký hiệu '{value}' sai thể thức: {reason}",
        "Number and symbol '{value}' is malformed: {reason_en}",
        "Nhà nước: '72/KH-UBND'; Đảng: '72-KH/TU'; liên tịch: '72-KHPH/KDV-UBND'; QPPL: '30/2020/NĐ-CP'; chưa vào số: '/KH-UBND'. Không ghi chữ 'Số'. Văn bản không in số: để trống number_symbol (null) và ghi number_status: absent.",
        "State: '72/KH-UBND'; party: '72-KH/TU'; joint: '72-KHPH/KDV-UBND'; legal: '30/2020/NĐ-CP'; blank: '/KH-UBND'. Leave out 'Số'. A document without a printed number: leave number_symbol empty (null) and write number_status: absent.",
    ),
    "number-status-mismatch": Code(
        E,
        "number_status là '{status}' nhưng số, ký hiệu là '{value}'",
        "number_status is '{status}' but the number and symbol is '{value}'",
        "Dùng 'printed' khi có số, 'blank' khi số để trống (/KH-UBND), 'absent' khi văn bản không in số (để trống number_symbol).",
        "Use 'printed' with a number, 'blank' for '/KH-UBND', 'absent' with an empty number_symbol.",
    ),
    "duplicate-id": Code(
        E,
        "Mã '{value}' đã được dùng ở {other}",
        "Id '{value}' is already used in {other}",
        "{duplicate_hint_vi}",
        "{duplicate_hint_en}",
    ),
    "id-filename-mismatch": Code(
        E,
        "Mã kế hoạch '{value}' khác tên tệp '{stem}'",
        "Plan id '{value}' differs from the file name '{stem}'",
        "Đổi tên tệp thành '{value}.md' hoặc sửa trường id.",
        "Rename the file to '{value}.md' or change the id.",
    ),
    "plan-id-rule": Code(
        W,
        "Mã kế hoạch '{value}' không theo quy tắc đặt mã{why_vi}",
        "Plan id '{value}' does not follow the id rule{why_en}",
        "Theo quy tắc, mã là '{expected}': tỉnh - huyện - xã - năm - số, ký hiệu (số để trống: ký hiệu và trích yếu rút gọn; không có số: trích yếu rút gọn), không chứa “số”, “ngày”, “ủy ban”. Kế hoạch chưa công bố thì đổi mã và tên tệp; đã công bố thì giữ mã.",
        "By the rule the id is '{expected}': province - district - commune - year - number and symbol (a blank number: the symbol and a short title; no number: a short title), without “số”, “ngày”, “ủy ban”. Rename an unpublished plan and its file; a published plan keeps its id.",
    ),
    "unknown-reference": Code(
        E,
        "'{value}' không có trong bảng {table} ({key})",
        "'{value}' is not in the {table} table ({key})",
        "{reference_hint_vi}",
        "{reference_hint_en}",
    ),
    "directive-id-not-canonical": Code(
        E,
        "Mã văn bản '{value}' không theo quy tắc{why_vi}",
        "Document id '{value}' does not follow the rule{why_en}",
        "{canonical_hint_vi}",
        "{canonical_hint_en}",
    ),
    "mojibake": Code(
        E,
        "Văn bản bị lỗi mã hóa (phông cũ TCVN3/VNI): '{value}'",
        "Text in a legacy Vietnamese encoding (TCVN3/VNI mojibake): '{value}'",
        "Chuyển văn bản sang Unicode (ví dụ bằng Unikey: Công cụ chuyển mã) rồi dán lại.",
        "Convert the text to Unicode (e.g. Unikey's converter) and paste it again.",
    ),
    "control-character": Code(
        E,
        "Có ký tự điều khiển vô hình {char} trong trường '{key}'",
        "Invisible control character {char} in '{key}'",
        "Xóa ký tự này (thường do sao chép từ Word hoặc PDF).",
        "Delete it (it usually comes from copying out of Word or PDF).",
    ),
    "markup-in-text": Code(
        E,
        "Trường '{key}' có ký tự '{char}': trích yếu và tên là văn bản thuần, không được chứa ký tự đánh dấu HTML",
        "'{key}' contains '{char}': titles and names are plain text and must not contain markup characters",
        "Xóa các ký tự '<' và '>' (hoặc viết bằng chữ, ví dụ 'nhỏ hơn'); ghi đúng như bản in.",
        "Delete the '<' and '>' characters (or write them out in words); copy the text as printed.",
    ),
    "symlink-refused": Code(
        E,
        "'{name}' là một liên kết (symlink), không phải tệp thật: liên kết không được đọc hay công bố",
        "'{name}' is a symbolic link, not a real file: links are never read or published",
        "Xóa liên kết ('git rm' tệp này) và thêm đúng tệp thật vào chỗ đó nếu cần công bố.",
        "Remove the link ('git rm' it) and add the real file in its place if it is meant to be published.",
    ),
    "file-type-refused": Code(
        E,
        "Tệp '{name}' (phần mở rộng {suffix}) không được đặt cạnh kế hoạch: trang chỉ công bố bản gốc và ảnh",
        "'{name}' (extension {suffix}) may not sit beside plans: only originals and images are published",
        "Cạnh kế hoạch chỉ đặt kế hoạch .md, bản gốc .docx, .pdf, .txt và ảnh .png, .jpg, .jpeg, .gif, .webp "
        "(phần mở rộng viết thường); lưu tệp sang một dạng đó (ví dụ in ra PDF) hoặc xóa tệp này.",
        "Beside plans put only .md plans, .docx, .pdf or .txt originals and .png, .jpg, .jpeg, .gif or .webp "
        "images (lower-case extension); save the file in one of those formats (e.g. print to PDF) or delete it.",
    ),
    "file-content-mismatch": Code(
        E,
        "Nội dung tệp '{name}' không phải là {kind} như phần mở rộng cho biết (tệp hỏng hoặc bị đổi tên)",
        "'{name}' does not contain {kind} as its extension says (damaged or renamed)",
        "Mở tệp gốc bằng chương trình soạn thảo và lưu lại đúng định dạng, rồi thay tệp này.",
        "Open the original in its application, save it again in the right format and replace this file.",
    ),
    "macro-document": Code(
        E,
        "Tệp Word '{name}' chứa macro, điều khiển ActiveX hoặc mẫu tải từ bên ngoài: không được công bố",
        "Word file '{name}' contains macros, ActiveX controls or a remote template: it is not published",
        "Mở tệp bằng Word, chọn Lưu thành → 'Word Document (*.docx)' (không macro) hoặc PDF, rồi thay tệp này.",
        "Open it in Word, Save As 'Word Document (*.docx)' (no macros) or PDF, and replace this file.",
    ),
    "active-pdf": Code(
        E,
        "Tệp PDF '{name}' chứa mã JavaScript hoặc lệnh chạy chương trình: không được công bố",
        "PDF '{name}' contains JavaScript or a launch action: it is not published",
        "In lại văn bản ra PDF (Tệp → In → Microsoft Print to PDF) từ bản Word đã ký, rồi thay tệp này.",
        "Print the signed document to a new PDF (File → Print → Print to PDF) and replace this file.",
    ),
    "broken-link": Code(
        E,
        "Liên kết hoặc ảnh '{value}' trỏ tới tệp không có trong kho: trang web sẽ không dựng được",
        "Link or image '{value}' points at a file that is not in the repository: the site would not build",
        "Đặt tệp (ví dụ ảnh .png, .jpg) cạnh kế hoạch với đúng tên đó, hoặc xóa liên kết; liên kết tới kế hoạch khác ghi tên tệp của kế hoạch đó (ví dụ 'ma-ke-hoach.md').",
        "Put the file (e.g. a .png or .jpg image) beside the plan under that name, or remove the link; a link to another plan names its file (e.g. 'plan-id.md').",
    ),
    "invalid-url": Code(
        E,
        "Địa chỉ '{value}' ở trường '{key}' không phải là địa chỉ web http(s) đầy đủ",
        "'{value}' in '{key}' is not a full http(s) web address",
        "Ghi địa chỉ đầy đủ bắt đầu bằng https:// (hoặc http://) và tên máy chủ, không có dấu cách, ví dụ "
        "https://vbpl.vn/…; không dùng javascript:, data:, ftp:, file: hay địa chỉ bắt đầu bằng //. Không có "
        "địa chỉ thì để trống.",
        "Write the full address, starting with https:// (or http://) and a host name, without spaces, e.g. "
        "https://vbpl.vn/…; javascript:, data:, ftp:, file: and addresses starting with // are not allowed. "
        "Leave it empty if there is no address.",
    ),
    "external-image": Code(
        E,
        "Ảnh lấy từ máy chủ khác: '{value}' (trang phải dùng được trong mạng nội bộ và không dẫn người đọc tới máy chủ khác)",
        "An image loaded from another host: '{value}' (the site must work on a closed network and not send readers to other hosts)",
        "Tải ảnh về, đặt tệp ảnh cạnh tệp kế hoạch (cùng thư mục docs/plans/<tỉnh>/) rồi ghi đường dẫn tương đối, "
        "ví dụ ![Sơ đồ tổ chức](so-do.png); không dùng địa chỉ bắt đầu bằng http://, https:// hay //.",
        "Download the image, put the file beside the plan (the same docs/plans/<province>/ folder) and refer to it "
        "by a relative path, e.g. ![Organisation chart](so-do.png); no address starting with http://, https:// or //.",
    ),
    "line-break": Code(
        E,
        "Trường '{key}' chỉ được viết trên một dòng nhưng có ký tự xuống dòng hoặc tab {char}",
        "'{key}' is a one-line field but contains a line break or tab {char}",
        "Viết giá trị trên một dòng: thay dấu xuống dòng, tab bằng một dấu cách (trong YAML bỏ \\n, \\t khỏi "
        "chuỗi trong ngoặc kép, không dùng khối '|'; trong tệp CSV bỏ dấu xuống dòng trong ô). Chỉ các trường "
        "ghi chú (như notes) được viết nhiều dòng.",
        "Write the value on one line: replace each line break or tab with a space (in YAML remove \\n and \\t "
        "from the quoted text and do not use a '|' block; in a CSV file remove the line break inside the cell). "
        "Only note fields (such as notes) may span lines.",
    ),
    "non-nfc": Code(
        W,
        "Văn bản không ở dạng Unicode dựng sẵn (NFC) trong trường '{key}'",
        "Text is not in Unicode NFC in '{key}'",
        "Chạy 'python build_site.py validate --fix' để chuẩn hóa.",
        "Run 'python build_site.py validate --fix' to normalise it.",
    ),
    "lookalike-character": Code(
        W,
        "Chữ 'Ð' (U+00D0, chữ Ai-xơ-len) được dùng thay cho 'Đ' (U+0110) trong trường '{key}'",
        "The look-alike 'Ð' (U+00D0) is used for 'Đ' (U+0110) in '{key}'",
        "Chạy 'python build_site.py validate --fix' để thay thế.",
        "Run 'python build_site.py validate --fix' to replace it.",
    ),
    "cited-not-declared": Code(
        W,
        "Văn bản trích dẫn '{value}' nhưng phần citations không có văn bản này",
        "The text cites '{value}' but citations does not list it",
        "{declare_hint_vi}",
        "{declare_hint_en}",
    ),
    "declared-not-cited": Code(
        W,
        "Văn bản '{value}' có trong citations nhưng không tìm thấy trong nội dung",
        "'{value}' is in citations but the body never cites it",
        "Kiểm tra cách ghi số, ký hiệu trong nội dung, hoặc xóa khỏi citations nếu không được trích dẫn.",
        "Check how the body writes its number, or remove it from citations if it is not cited.",
    ),
    "status-incomplete": Code(
        E,
        "Tình trạng '{status}' cần có {missing}",
        "Status '{status}' needs {missing}",
        "{status_hint_vi} Văn bản không bao giờ bị xóa: khi thu hồi ghi status: withdrawn, status_date và status_reason; khi bị thay thế ghi status: superseded, status_date và superseded_by (mã kế hoạch mới).",
        "{status_hint_en} Nothing is deleted: a withdrawn plan needs status: withdrawn, status_date and status_reason; a superseded one status: superseded, status_date and superseded_by (the new plan's id).",
    ),
    "cites-inactive-document": Code(
        W,
        "Kế hoạch còn hiệu lực trích dẫn '{value}', văn bản đã hết hiệu lực hoặc bị thay thế {replaced_by}",
        "A plan in force cites '{value}', which has expired or was replaced {replaced_by}",
        "Kiểm tra lại căn cứ: trích dẫn văn bản thay thế, hoặc ghi chú vì sao vẫn dẫn văn bản cũ.",
        "Check the basis: cite the replacing document, or note why the old one is still cited.",
    ),
    "published-plan-removed": Code(
        E,
        "Kế hoạch '{id}' đã công bố (tệp {path} ở phiên bản {base}) không còn: đã bị xóa hoặc đổi mã",
        "Published plan '{id}' (file {path} at {base}) is gone: it was deleted or its id changed",
        "Không bao giờ xóa hay đổi tên (đổi mã) kế hoạch đã công bố: đặt status: withdrawn kèm status_date và status_reason, hoặc superseded kèm superseded_by.",
        "Never delete or rename a published plan: set status: withdrawn with status_date and status_reason, or superseded with superseded_by.",
    ),
    "list-delimiter": Code(
        E,
        "Phần tử '{value}' của '{key}' chứa dấu ';' dùng để ngăn cách trong tệp CSV",
        "Item '{value}' of '{key}' contains ';', the CSV list separator",
        "Tách thành các phần tử riêng.",
        "Split it into separate items.",
    ),
    "source-file-name": Code(
        E,
        "source_file '{value}' không phải là tên một tệp đặt cạnh kế hoạch: {reason_vi}",
        "source_file '{value}' is not the name of a file beside the plan: {reason_en}",
        "Ghi đúng tên tệp bản gốc nằm cùng thư mục với kế hoạch, ví dụ '072_kh_ubnd.pdf': không có '/' hay '\\', "
        "không bắt đầu bằng dấu chấm, không có ký tự điều khiển; hoặc xóa dòng source_file nếu không giữ bản gốc.",
        "Write the name of the original file in the plan's folder, e.g. '072_kh_ubnd.pdf': no '/' or '\\', "
        "no leading dot, no control characters; or delete the source_file line if the original is not kept.",
    ),
    # Merging province shards (congkhai/commands/merge.py): problems that only appear between shards.
    "shard-not-a-dataset": Code(
        E,
        "Không đọc được bộ dữ liệu của phần này: {reason}",
        "This shard's dataset cannot be read: {reason}",
        "Chỉ gộp các thư mục do 'python build_site.py datasets --out THƯ_MỤC' ghi ra (có datapackage.json và mỗi bảng một tệp CSV) hoặc bản phát hành dữ liệu đã giải nén.",
        "Merge only folders written by 'python build_site.py datasets --out DIR' (datapackage.json and one CSV per table) or an unpacked data release.",
    ),
    "shard-schema-mismatch": Code(
        E,
        "Bảng {table} của phần này được dựng bằng lược đồ khác với lược đồ của chương trình gộp",
        "Table {table} of this shard was built with a different schema than the merging tool's",
        "Dựng lại mọi phần bằng cùng một phiên bản Công khai (cùng thư mục schemas/) rồi gộp lại.",
        "Rebuild every shard with the same version of Công khai (the same schemas/), then merge again.",
    ),
    "shard-file-changed": Code(
        E,
        "Tệp không khớp tổng kiểm sha256 và số byte ghi trong datapackage.json của phần này",
        "The file does not match the sha256 hash and size in the shard's datapackage.json",
        "Tệp bị sửa sau khi dựng hoặc tải về chưa trọn: tải lại hoặc dựng lại bộ dữ liệu của phần này; không sửa tay tệp dữ liệu.",
        "It was edited after the build or the download is incomplete: download or rebuild this shard's datasets; never edit dataset files by hand.",
    ),
    "plan-in-two-shards": Code(
        E,
        "Kế hoạch '{value}' được công bố ở hai phần: ở đây và ở {other}",
        "Plan '{value}' is published by two shards: here and in {other}",
        "Mỗi kế hoạch thuộc một tỉnh và chỉ nằm trong kho của tỉnh đó: thu hồi bản ở kho còn lại (status: withdrawn; hoặc xóa nếu chưa công bố), hay đổi mã nếu là hai kế hoạch khác nhau; dựng lại phần đó rồi gộp lại.",
        "A plan belongs to one province and lives only in that province's repository: withdraw the copy in the other one (status: withdrawn; delete it only if never published), or change the id if these are two different plans; rebuild that shard and merge again.",
    ),
    "reference-conflict": Code(
        E,
        "Dòng '{value}' của bảng tham chiếu chung {table} khác dòng cùng mã ở {other}: {differences}",
        "Row '{value}' of the shared reference table {table} differs from the row with the same key in {other}: {differences}",
        "Bảng data/{table}.csv phải giống nhau ở mọi phần: cập nhật các kho tỉnh lên cùng một phiên bản của kho tham chiếu quốc gia rồi dựng lại; dòng riêng của một tỉnh cần mã mà tỉnh khác không dùng.",
        "data/{table}.csv must agree in every shard: update the province repositories to the same version of the national reference repository and rebuild; a province-only row needs an id no other province uses.",
    ),
    "review-marker": Code(
        E,
        "Bản nháp còn dấu kiểm tra của công cụ nhập: “{marker}”",
        "The draft still carries the importer's review marker: “{marker}”",
        "Đối chiếu mục này với bản gốc, sửa giá trị cho đúng rồi xóa dấu “CẦN KIỂM TRA” (với ghi chú của công cụ nhập: thay bằng ghi chú của người kiểm tra). Chưa xóa thì chưa hợp nhất được.",
        "Check this item against the original, correct it, then remove the “CẦN KIỂM TRA” marker (for the importer's note: replace it with the reviewer's own note). It cannot be merged until then.",
    ),
    "inferred-fact": Code(
        E,
        "Thông tin in trên văn bản '{key}' được ghi là suy luận (trang sẽ hiện “(suy luận)”)",
        "The printed fact '{key}' is marked as inferred (the page would show “(suy luận)”)",
        "Đối chiếu '{key}' với bản gốc: đúng như in thì xóa '{key}' khỏi danh sách inferred; bản gốc không in thì để trống trường này (null) và ghi lý do vào notes.",
        "Check '{key}' against the original: if it is as printed, remove '{key}' from the inferred list; if the original does not print it, leave the field empty (null) and say why in notes.",
    ),
    "merged-package-invalid": Code(
        E,
        "Bộ dữ liệu gộp không hợp lệ theo frictionless: {problem}",
        "The merged package fails frictionless validation: {problem}",
        "Từng phần đều đạt nhưng bản gộp thì không: hãy báo lỗi kèm các thư mục đầu vào. Bộ dữ liệu quốc gia cũ được giữ nguyên.",
        "Every shard passed but the merge does not: please report it with the input folders. The previous national dataset is kept.",
    ),
}

# Size limits (congkhai/model/limits.py): message and hint derived from each limit's one declaration.
CODES.update(
    {lim.code: Code(E, lim.message_vi, lim.message_en, lim.split_vi, lim.split_en) for lim in LIMITS if lim.code}
)


SHAPES = {
    "list": ("một danh sách (mỗi mục một dòng bắt đầu bằng '- ')", "a list (one '- ' item per line)"),
    "mapping": ("một nhóm trường 'tên: giá trị'", "a mapping of 'key: value' pairs"),
    "text": ("một dòng chữ", "a text value"),
    "number": ("một số", "a number"),
    "true/false": ("true hoặc false", "true or false"),
    "null": ("trống", "empty"),
    "columns": ("dòng tiêu đề cột", "a header row"),
}


# What to write instead, by (expected, found): the hint of ``wrong-shape``. A clerk edits in a
# browser, so no hint sends them to a command.
SHAPE_HINTS = {
    ("list", "text"): (
        "Viết thành danh sách: mỗi mục một dòng bắt đầu bằng '- ' dưới tên trường, hoặc [mục 1, mục 2] trên "
        "cùng dòng (một mục cũng ghi [mục]).",
        "Write a list: one '- ' item per line under the key, or [item 1, item 2] on the same line (one item "
        "too: [item]).",
    ),
    ("list", "mapping"): (
        "Viết thành danh sách: thêm '- ' trước trường đầu tiên của mỗi mục, các trường khác của mục thụt vào "
        "thẳng hàng với trường đầu.",
        "Write a list: put '- ' before the first key of each item and indent the item's other keys to line up with it.",
    ),
    ("text", "mapping"): (
        "Ghi một giá trị, không phải nhóm 'tên: giá trị': nếu dấu ':' là chữ của văn bản (như \"Lưu: VT\") thì "
        "đặt cả giá trị trong ngoặc kép; nếu là một mã (như preamble: mở đầu) thì chỉ giữ mã trước dấu ':'.",
        "Write one value, not a 'key: value' pair: if the ':' is part of the text (as in \"Lưu: VT\") put the "
        "whole value in double quotes; if it is a code (as in preamble: mở đầu) keep only the code before ':'.",
    ),
    ("mapping", "text"): (
        "Mỗi mục là một nhóm trường: ghi '- ' rồi tên trường đầu và giá trị (ví dụ '- directive: 10-2022-qh15'), "
        "các trường khác (relation, sections) thụt vào bên dưới.",
        "Each item is a group of keys: write '- ' then the first key and its value (e.g. '- directive: "
        "10-2022-qh15'), the other keys (relation, sections) indented below it.",
    ),
}


def shape_params(expected: str, found: str) -> dict[str, str]:
    """Parameters for ``wrong-shape`` in both languages."""
    ev, ee = SHAPES.get(expected, (expected, expected))
    fv, fe = SHAPES.get(found, (found, found))
    hv, he = SHAPE_HINTS.get(
        (expected, found),
        (
            f"Ghi giá trị thành {ev}; biểu mẫu /quan-tri/ cho thấy dạng đúng của từng trường.",
            f"Write the value as {ee}; the form /quan-tri/ shows each field's shape.",
        ),
    )
    return {
        "expected_vi": ev,
        "expected_en": ee,
        "found_vi": fv,
        "found_en": fe,
        "shape_hint_vi": hv,
        "shape_hint_en": he,
    }


@dataclass(frozen=True)
class Finding:
    """One problem in one place. ``line``/``column`` are 1-based; 0 means the whole file."""

    file: str
    line: int
    column: int
    field: str
    code: str
    params: dict[str, Any] = dc_field(default_factory=dict, compare=False, hash=False)

    @property
    def severity(self) -> Severity:
        return CODES[self.code].severity

    def message(self, lang: str = "vi") -> str:
        spec = CODES[self.code]
        return _format(spec.vi if lang == "vi" else spec.en, self.params)

    def hint(self, lang: str = "vi") -> str:
        spec = CODES[self.code]
        return _format(spec.hint_vi if lang == "vi" else spec.hint_en, self.params)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.code, self.field)


class _Blank(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return ""


def _format(template: str, params: dict[str, Any]) -> str:
    # values read from a file are shortened; our own sentences (``…hint_vi``, ``…hint_en``) never
    return template.format_map(
        _Blank({k: v if k.endswith(("hint_vi", "hint_en")) else _short(v) for k, v in params.items()})
    )


def _short(value: Any, limit: int = 120) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
