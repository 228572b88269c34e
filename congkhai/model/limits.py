"""The declared limits on what the validator and the importer accept — each one declared once.

Without them one file could stop every pull request: a 2 MB zip bomb ``.docx`` took 4.1 GB to
import, 3 million Word paragraphs ran past two minutes and a 25 MB plan took 55 s and 2 GB to
validate. Each limit says what it measures, its value, why that value (measured against the
real corpus, with a wide margin), and how a clerk gets under it; the findings' messages
(:mod:`congkhai.model.findings`), the importer's one-line refusals and the README's table are all
derived from these declarations, so a value is changed in one place only.

The real corpus when these were chosen (``docs/plans/``): plans of 34–59 KB, at most 34 tasks,
lines of at most 2,838 characters; source texts of at most 23 KB (about 150 paragraphs); tasks of
1.3 KB on average. ``tests/test_limits.py`` keeps a 5 MB plan, 10,000 tasks of the real mix and
2,000-character lines working.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Unit = Literal["bytes", "count", "characters", "ratio", "seconds"]

MB = 1024 * 1024


@dataclass(frozen=True)
class Limit:
    """One limit: the value and everything needed to explain a refusal in both languages."""

    name: str
    value: int
    unit: Unit
    what_vi: str  # what is measured ("Kích thước tệp kế hoạch")
    what_en: str
    split_vi: str  # how to get under the limit; following it must give an accepted file
    split_en: str
    why: str  # why this value (English, for the README)
    code: str | None = None  # the finding code when the validator reports it

    def show(self, value: float, lang: str = "vi") -> str:
        """``value`` in this limit's unit, written as a clerk reads it ("8 MB", "10.000 nhiệm vụ")."""
        if self.unit == "bytes":
            text = f"{value / MB:.1f}".rstrip("0").rstrip(".") + " MB"
            return text.replace(".", ",") if lang == "vi" else text
        if self.unit == "ratio":
            return f"{value:.0f}:1"
        number = f"{int(value):,}"
        number = number.replace(",", ".") if lang == "vi" else number
        word = {
            "count": ("", ""),
            "characters": (" ký tự", " characters"),
            "seconds": (" giây", " seconds"),
        }[self.unit][0 if lang == "vi" else 1]
        return number + word

    def show_actual(self, actual: float, lang: str = "vi") -> str:
        """``actual`` as :meth:`show` writes it, exactly when rounding would make it read as the limit."""
        text = self.show(actual, lang)
        if self.unit == "bytes" and actual != self.value and text == self.show(self.value, lang):
            number = f"{int(actual):,}"
            text = (number.replace(",", ".") + " byte") if lang == "vi" else number + " bytes"
        return text

    def exceeded(self, actual: float) -> bool:
        return actual > self.value

    def params(self, actual: float) -> dict[str, str]:
        """The parameters of this limit's finding: the actual value and the limit, in both languages."""
        return {
            "actual_vi": self.show_actual(actual, "vi"),
            "actual_en": self.show_actual(actual, "en"),
            "limit_vi": self.show(self.value, "vi"),
            "limit_en": self.show(self.value, "en"),
        }

    @property
    def message_vi(self) -> str:
        """Finding message template (``{actual_vi}``, ``{limit_vi}``)."""
        return f"{self.what_vi} là {{actual_vi}}, vượt giới hạn {{limit_vi}}"

    @property
    def message_en(self) -> str:
        return f"{self.what_en} is {{actual_en}}, over the limit of {{limit_en}}"

    def refusal(self, name: str, actual: float | None = None, part: str = "") -> tuple[str, str]:
        """The importer's one-line refusal of file ``name`` (and ``part`` of it): what, the value,
        the limit and how to split the document, in Vietnamese and English."""
        where = f" ({part})" if part else ""
        vi = f"là {self.show_actual(actual, 'vi')}, vượt" if actual is not None else "vượt"
        en = f"is {self.show_actual(actual, 'en')}, over" if actual is not None else "went over"
        return (
            f"Tệp {name}: {self.what_vi}{where} {vi} giới hạn {self.show(self.value, 'vi')}. {self.split_vi}",
            f"{name}: {self.what_en}{where} {en} the limit of {self.show(self.value, 'en')}. {self.split_en}",
        )


_SPLIT_PLAN_VI = (
    "Tách phụ lục, biểu mẫu và danh sách dài thành tệp riêng đặt cạnh kế hoạch (không đưa vào tệp .md), "
    "hoặc tách thành nhiều kế hoạch, mỗi kế hoạch một tệp."
)
_SPLIT_PLAN_EN = (
    "Move appendices, forms and long lists into separate files beside the plan (not into the .md), "
    "or split it into several plans, one file each."
)
_SPLIT_WORD_VI = (
    "Xóa ảnh lớn và đối tượng nhúng (Word: Tệp > Thông tin > Nén ảnh), hoặc tách phụ lục thành tệp Word "
    "riêng và chỉ nhập phần chính; nếu tệp không phải do Word lưu, mở bằng Word và lưu lại thành .docx."
)
_SPLIT_WORD_EN = (
    "Remove large pictures and embedded objects (Word: File > Info > Compress Pictures), or move the "
    "appendices into a separate Word file and import only the main part; if Word did not save the file, "
    "open it in Word and save it again as .docx."
)
_SPLIT_TEXT_VI = "Tách văn bản thành nhiều tệp (phần chính và từng phụ lục) rồi nhập phần chính."
_SPLIT_TEXT_EN = "Split the text into several files (the main part and each appendix) and import the main part."


PLAN_BYTES = Limit(
    "plan_bytes",
    16 * MB,
    "bytes",
    "Kích thước tệp kế hoạch",
    "Plan file size",
    _SPLIT_PLAN_VI,
    _SPLIT_PLAN_EN,
    "The largest real plan is 59 KB (270 times less). Real tasks average 1.3 KB, so 10,000 of them (the "
    "task limit) make a 13 MB plan, which must validate (about 6 s and 400 MB here); the cost grows with "
    "the size, and a 25 MB plan took 55 s and 2 GB.",
    code="plan-too-large",
)
PLAN_TASKS = Limit(
    "plan_tasks",
    10_000,
    "count",
    "Số nhiệm vụ của kế hoạch",
    "Number of tasks in the plan",
    "Tách kế hoạch thành nhiều kế hoạch (ví dụ theo lĩnh vực hoặc theo năm), mỗi kế hoạch một tệp; "
    "hoặc đưa bảng phân công chi tiết vào phụ lục đặt cạnh kế hoạch.",
    "Split the plan into several plans (by field or by year, say), one file each; or put the detailed "
    "assignment table into an appendix file beside the plan.",
    "The real maximum is 34 tasks (300 times less); each task is a checked row, and 10,000 tasks take "
    "about 20 s to validate, which bounds one plan's share of a pull request's check.",
    code="too-many-tasks",
)
LINE_CHARS = Limit(
    "line_chars",
    20_000,
    "characters",
    "Độ dài dòng",
    "Line length",
    "Xuống dòng giữa các đoạn văn (mỗi đoạn một dòng, cách nhau một dòng trống); một bảng dài thì tách "
    "thành phụ lục đặt cạnh kế hoạch.",
    "Break the line between paragraphs (one paragraph per line, a blank line between them); move a long "
    "table into an appendix file beside the plan.",
    "The longest real line is 2,838 characters (7 times less; a printed page holds about 3,000); lines of "
    "2,000 characters must still pass; longer ones are a whole document pasted as one line.",
    code="line-too-long",
)
SOURCE_BYTES = Limit(
    "source_bytes",
    25 * MB,
    "bytes",
    "Kích thước tệp Word/PDF",
    "Word/PDF file size",
    _SPLIT_WORD_VI,
    _SPLIT_WORD_EN,
    "A Word plan is typically 30 KB to 3 MB, 10 MB with photographs; 25 MB is also the largest file "
    "GitHub accepts when uploaded in the browser, the way clerks add files to inbox/.",
)
DOCX_MEMBER_BYTES = Limit(
    "docx_member_bytes",
    32 * MB,
    "bytes",
    "Kích thước một phần của tệp Word khi giải nén",
    "Uncompressed size of one part of the Word file",
    _SPLIT_WORD_VI,
    _SPLIT_WORD_EN,
    "Checked in the zip directory before anything is decompressed. The text part of a 50-page plan is "
    "about 0.5 MB (60 times less); parsing it takes about 30 times its size in memory.",
)
DOCX_TOTAL_BYTES = Limit(
    "docx_total_bytes",
    128 * MB,
    "bytes",
    "Tổng kích thước tệp Word khi giải nén",
    "Total uncompressed size of the Word file",
    _SPLIT_WORD_VI,
    _SPLIT_WORD_EN,
    "Checked in the zip directory before anything is decompressed: a 2 MB zip bomb unpacked to 4 GB. "
    "Pictures are stored already compressed, so a real file unpacks to about its own size.",
)
DOCX_MEMBERS = Limit(
    "docx_members",
    2_000,
    "count",
    "Số phần trong tệp Word (zip)",
    "Number of parts in the Word file (zip)",
    _SPLIT_WORD_VI,
    _SPLIT_WORD_EN,
    "A Word file has 10 to 30 parts, one more per picture; thousands are not a document.",
)
DOCX_RATIO = Limit(
    "docx_ratio",
    500,
    "ratio",
    "Tỷ lệ nén của một phần trong tệp Word",
    "Compression ratio of one part of the Word file",
    _SPLIT_WORD_VI,
    _SPLIT_WORD_EN,
    "Word's XML compresses 5 to 50 times (a plan's text repeated 20 times: 46; 200,000 identical "
    "paragraphs: 334); a zip bomb of zeros 1,000 times. Only parts over 1 MB uncompressed are checked.",
)
DOCX_PARAGRAPHS = Limit(
    "docx_paragraphs",
    50_000,
    "count",
    "Số đoạn văn của tệp Word",
    "Number of paragraphs in the Word file",
    _SPLIT_TEXT_VI,
    _SPLIT_TEXT_EN,
    "Counted while streaming the XML, before the document is built in memory. Real plans have about "
    "150 paragraphs and a 300-page document about 10,000; 3 million ran past two minutes.",
)
TEXT_BYTES = Limit(
    "text_bytes",
    4 * MB,
    "bytes",
    "Kích thước tệp văn bản (.txt, .md)",
    "Text file size (.txt, .md)",
    _SPLIT_TEXT_VI,
    _SPLIT_TEXT_EN,
    "Real source texts are at most 23 KB (180 times less); the importer reads about 0.4 MB a second, "
    "so 4 MB is 10 to 20 s; 30 MB took 105 s.",
)
TEXT_CHARS = Limit(
    "text_chars",
    4 * MB,
    "characters",
    "Độ dài văn bản lấy ra từ tệp",
    "Length of the text taken from the file",
    _SPLIT_TEXT_VI,
    _SPLIT_TEXT_EN,
    "The bound of a text file, in characters, for the text taken from any file before it is analysed.",
)
IMPORT_CPU_SECONDS = Limit(
    "import_cpu_seconds",
    120,
    "seconds",
    "Thời gian xử lý khi nhập tệp",
    "Processing time of the import",
    _SPLIT_TEXT_VI,
    _SPLIT_TEXT_EN,
    "Processor time of the child process that reads the file (RLIMIT_CPU; the wall clock gets 2.5 times "
    "more). A text at the size limit takes about 20 s (a million one-line paragraphs); this is the backstop "
    "for what the other limits miss.",
)
IMPORT_MEMORY_BYTES = Limit(
    "import_memory_bytes",
    1024 * MB,
    "bytes",
    "Bộ nhớ dùng khi nhập tệp",
    "Memory used by the import",
    _SPLIT_TEXT_VI,
    _SPLIT_TEXT_EN,
    "Address space the child process that reads the file may add (RLIMIT_AS). A file at every other limit "
    "needs at most about 400 MB; this is the backstop for what the other limits miss.",
)

LIMITS: tuple[Limit, ...] = (
    PLAN_BYTES,
    PLAN_TASKS,
    LINE_CHARS,
    SOURCE_BYTES,
    DOCX_MEMBER_BYTES,
    DOCX_TOTAL_BYTES,
    DOCX_MEMBERS,
    DOCX_RATIO,
    DOCX_PARAGRAPHS,
    TEXT_BYTES,
    TEXT_CHARS,
    IMPORT_CPU_SECONDS,
    IMPORT_MEMORY_BYTES,
)

#: a zip member smaller than this cannot hurt, whatever its compression ratio
RATIO_MIN_BYTES = 1 * MB


def markdown_table() -> str:
    """The README's table of limits, derived from the declarations (``tests/test_limits.py`` checks it)."""
    rows = ["| limit | value | finding / refusal | why this value |", "|---|---|---|---|"]
    for lim in LIMITS:
        where = f"`{lim.code}`" if lim.code else "`import` refuses"
        rows.append(f"| {lim.what_en} (`{lim.name}`) | {lim.show(lim.value, 'en')} | {where} | {lim.why} |")
    return "\n".join(rows) + "\n"
