"""Fuzzing: the front-matter loader, the citation parser and the importer never crash or hang.

Each property feeds arbitrary text and text composed from realistic fragments (YAML pieces,
citation pieces, header lines) to a parser and checks that it returns normally, that what it
returns is well-formed (findings located inside the file, citation spans inside the text), and
that every single call finishes within :data:`CALL_LIMIT` seconds. The bound is enforced with
``SIGALRM`` (the call is interrupted, so a hang fails fast instead of blocking the run) and by
the measured time; hypothesis' own deadline is off so that a slow CI machine cannot flake.

The default example counts keep the whole file to a few seconds in ``make test``. For a real
fuzzing run, raise them with an environment variable (examples per property; about 10 minutes of
CPU for 20,000)::

    FUZZ_EXAMPLES=20000 .venv/bin/pytest -q -p no:cacheprovider --hypothesis-show-statistics tests/test_fuzz.py

``FUZZ_CALL_LIMIT`` (seconds, default 2) changes the per-call bound. What fuzzing found is kept
as ``@example`` cases (and plain tests next to the code's other tests): a libyaml stack overflow
on deep nesting, finding lines shifted by YAML-only line breaks, drafts with characters YAML
refuses, and a .docx list numbering that looped for ever.
"""

from __future__ import annotations

import functools
import gc
import os
import signal
import threading
import time
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from congkhai.importer import extract, to_json
from congkhai.importer.body import build_body, drop_debris
from congkhai.importer.draft import draft_plan
from congkhai.importer.header import find_tail, parse_number, parse_place_date, read_header, read_tail
from congkhai.importer.sources import SourceError, decode_bytes, finish, read_text
from congkhai.importer.tasks import deadline, due_date, find_tasks, leads
from congkhai.model.findings import CODES, Finding
from congkhai.read.frontmatter import Source, parse_source, read_source
from congkhai.vietnamese import legacy
from congkhai.vietnamese.citations import Citation, find_all, find_citations
from congkhai.vietnamese.numbers import parse_number_symbol

T = TypeVar("T")
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0")) or None
CALL_LIMIT = float(os.environ.get("FUZZ_CALL_LIMIT", "2"))


def fuzz(default: int) -> settings:
    """Hypothesis settings: ``default`` examples (or FUZZ_EXAMPLES), no deadline (see ``bounded``)."""
    return settings(
        max_examples=EXAMPLES or default,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


class _Overtime(BaseException):
    """Raised by the alarm inside the call; a BaseException so that ``except Exception`` cannot hide it."""


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    def ring(signum: int, frame: object) -> None:
        raise _Overtime

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _timed(call: Callable[[], T], limit: float) -> tuple[T | None, float | None]:
    """(result, elapsed), or (None, None) when the alarm interrupted the call."""
    gc_was_on = gc.isenabled()
    gc.disable()  # an alarm during a gc callback would be swallowed; and a collection is not the call's time
    t0 = time.perf_counter()
    try:
        with _alarm(limit):
            result = call()
    except _Overtime:
        return None, None
    finally:
        if gc_was_on:
            gc.enable()
    return result, time.perf_counter() - t0


def bounded(call: Callable[[], T], what: str, limit: float | None = None) -> T:
    """Run ``call`` and fail if it takes more than ``limit`` seconds (interrupted by SIGALRM).

    An overrun is timed once more before failing, so that a loaded machine does not fail the run:
    a hang or a super-linear slowdown overruns both times.
    """
    limit = CALL_LIMIT if limit is None else limit
    assert threading.current_thread() is threading.main_thread(), "SIGALRM needs the main thread"
    for _attempt in range(2):
        result, elapsed = _timed(call, limit)
        if elapsed is not None and elapsed <= limit:
            return result  # type: ignore[return-value]
    if elapsed is None:
        raise AssertionError(f"{what}: a single call ran longer than {limit:g} s (interrupted), twice")
    raise AssertionError(f"{what}: a single call took {elapsed:.2f} s, more than {limit:g} s, twice")


def test_the_time_bound_can_fail() -> None:
    """The helper itself: a call that hangs is interrupted and reported, one that returns passes."""
    assert bounded(lambda: 41 + 1, "quick") == 42
    with pytest.raises(AssertionError, match=r"longer than 0\.2 s"):
        bounded(lambda: time.sleep(5), "sleeper", limit=0.2)

    def spin() -> None:
        while True:
            pass

    with pytest.raises(AssertionError, match="spinner"):
        bounded(spin, "spinner", limit=0.2)


# --- shared text strategies --------------------------------------------------------------------

VIETNAMESE = (
    "Kế hoạch",
    "Nguyễn Văn Ấn",
    "Ủy ban nhân dân tỉnh Bắc Kạn",
    "Ð",
    "đ",
    "e\u0301",  # NFD: e + combining acute
    "a\u0306\u0323",  # NFD: ặ
    "\u0301",
    "\u0309\u0303\u0300",  # stacked combining marks with no base
    "ư\u031b",
)
CONTROL = ("\x00", "\x07", "\x08", "\x1b", "\x7f", "\x85", "\x9f", "\ufeff", "\u2028", "\u2029", "\ufffe", "\ufffd")
SPACING = (" ", "  ", "\t", "\n", "\r\n", "\r", "\n\n", "\u00a0", "\u200b", "\u3000")
any_text = st.text(max_size=400)
# All code points (also surrogates and unassigned ones) in short runs.
wild_text = st.text(st.characters(exclude_categories=()), max_size=200)


def composed(fragments: tuple[str, ...], max_size: int = 60) -> st.SearchStrategy[str]:
    """Text assembled from ``fragments`` plus a little arbitrary text between them."""
    piece = st.sampled_from(fragments) | st.text(max_size=4)
    return st.lists(piece, max_size=max_size).map("".join)


# --- 1. front-matter loader --------------------------------------------------------------------

YAML_FRAGMENTS = (
    (
        "---",
        "---\n",
        "...",
        "\n---\n",
        "id: ke-hoach-1\n",
        "title: Kế hoạch\n",
        "tasks:\n",
        "  - id: a\n",
        "    id: b\n",
        "- ",
        "  ",
        "    ",
        "\t",
        "key: value\n",
        "key: again\n",
        "? ",
        ": ",
        ":",
        "&a ",
        "*a",
        "&a [1, 2]\n",
        "b: *a\n",
        "<<: *a\n",
        "*undefined",
        "{",
        "}",
        "[",
        "]",
        ", ",
        "'",
        '"',
        '"\\',
        '"\\x',
        "#",
        " # comment\n",
        "|\n",
        ">-\n",
        "!!str ",
        "!!python/object:os.system ",
        "!!binary ",
        "!custom ",
        "%YAML 1.1\n",
        "%TAG ! tag:x,2024:\n",
        "9" * 400,
        "1e999",
        "-.inf",
        "0x1F",
        "0o17",
        "1_000",
        "2024-02-30",
        "2024-02",
        "~",
        "null",
        "yes",
        "= ",
        "@",
        "`",
        "%",
        "[" * 60,
        "{a: " * 40,
        "- " * 60,
        "\n" + "  " * 30 + "k:",
    )
    + VIETNAMESE
    + CONTROL
    + SPACING
)
yaml_soup = composed(YAML_FRAGMENTS)
front_matter_texts = st.one_of(
    any_text,
    wild_text,
    yaml_soup,
    yaml_soup.map(lambda t: "---\n" + t + "\n---\nbody\n"),
    yaml_soup.map(lambda t: "\ufeff---\r\n" + t + "\r\n---\r\n"),
    yaml_soup.map(lambda t: "---\n" + t),  # unterminated
)


def _line_count(text: str) -> int:
    return len(text.split("\n"))


def check_source(src: Source, text: str) -> None:
    """A Source is well-formed: data a mapping or absent, every finding located inside the file."""
    assert isinstance(src, Source)
    assert src.data is None or isinstance(src.data, dict)
    assert src.findings or src.data is not None, "no data and no finding explaining why"
    n = _line_count(text)
    for f in src.findings:
        assert isinstance(f, Finding) and f.code in CODES, f
        assert f.file == src.path
        assert 1 <= f.line <= n, f"{f.code} on line {f.line} of a {n}-line file: {f}"
        assert f.column >= 0, f
        for lang in ("vi", "en"):
            assert f.message(lang).strip() and f.hint(lang).strip(), f
    for line, col in src.marks.values():
        assert 1 <= line <= n and col >= 1, (line, col)


def load(text: str) -> Source:
    return bounded(lambda: parse_source("docs/plans/p.md", text), "parse_source")


@fuzz(400)
@given(front_matter_texts)
@example("---\n" + "[" * 100_000 + "\n---\n")  # libyaml's composer used to overflow the C stack
@example("---\n" + "- " * 100_000 + "\n---\n")
@example("---\na: 1\u2028b: [\n---\n")  # a YAML line break that is not a line of the file
@example("---\na: 1\rb: [\n---\n")
@example("---\nx: \x00\n---\n")
def test_front_matter_loader_never_crashes(text: str) -> None:
    check_source(load(text), text)


@fuzz(200)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["id", "title", "tasks", "a", "b", "ý"]), st.sampled_from(["x", "[1]", "&a 1", "*a"])
        ),
        max_size=12,
    ),
    st.integers(min_value=0, max_value=200),
)
def test_duplicate_keys_and_deep_nesting(pairs: list[tuple[str, str]], depth: int) -> None:
    body = "".join(f"{k}: {v}\n" for k, v in pairs) + "deep: " + "[" * depth + "]" * depth + "\n"
    text = "---\n" + body + "---\n"
    src = load(text)
    check_source(src, text)
    keys = [k for k, _ in pairs]
    if len(set(keys)) < len(keys) and all(v in ("x", "[1]") for _, v in pairs):  # anchor errors stop composing
        assert "duplicate-key" in {f.code for f in src.findings}


@fuzz(150)
@given(st.binary(max_size=300) | yaml_soup.map(lambda t: ("---\n" + t + "\n---\n").encode("utf-8", "surrogatepass")))
def test_read_source_never_crashes(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    root = tmp_path_factory.getbasetemp() / "fuzz-read"
    root.mkdir(exist_ok=True)
    path = root / "p.md"
    path.write_bytes(data)
    src = bounded(lambda: read_source(path, root), "read_source")
    assert src.path == "p.md"
    text = src.text
    if src.text:
        check_source(src, text)
    else:
        assert src.findings
        for f in src.findings:
            assert f.code in CODES and f.line >= 0


# --- 2. citation parser ------------------------------------------------------------------------

CITE_FRAGMENTS = (
    (
        "Chỉ thị số 12-CT/TW ngày 5/3/2024 của Ban Bí thư",
        "Luật Thực hiện dân chủ ở cơ sở",
        "Luật Thực hiện dân chủ ở cơ sở năm 2022",
        "Nghị định số 59/2023/NĐ-CP",
        "Nghị quyết Đại hội Đảng toàn quốc lần thứ XIII",
        "Nghị quyết Trung ương 4 khóa XII, XIII",
        "Quyết định",
        "Quyết định số 23-QĐ/TW, ngày 30/7/2021 của Bộ Chính trị",
        "Kế hoạch số 24-KHPH/BDV-UBND",
        "Công văn số 276/UBND-NCPC",
        "Bộ luật Lao động",
        "Pháp lệnh",
        "Hiến pháp",
        "Văn bản",
        " số ",
        "Số: ",
        " ngày ",
        "26 tháng 11 năm 2021",
        "31/12/2099",
        "0/0/0",
        "99/99/9999",
        " năm ",
        " của ",
        " về ",
        " và ",
        ", ",
        "; ",
        "/",
        "//",
        "-",
        "/TW",
        "/NĐ-CP",
        "-CT/TU",
        "QĐ",
        "“",
        "”",
        '"',
        "(",
        ")",
        "[1]",
        "¹",
        "<sup>2</sup>",
        "khóa ",
        "lần thứ ",
        "XIII",
        "MMMM",
        "0",
        "12",
        "2024",
        "9" * 40,
        " " * 50,
        "1" * 200,
        "số 1/" * 20,
        "của " * 20,
    )
    + VIETNAMESE
    + CONTROL
    + SPACING
)
WHOLE_CITATIONS = [f for f in CITE_FRAGMENTS[:14] if f not in ("Quyết định", "Pháp lệnh", "Hiến pháp", "Văn bản")]
cite_texts = st.one_of(any_text, wild_text, composed(CITE_FRAGMENTS), composed(CITE_FRAGMENTS).map(str.upper))


def check_citations(text: str, found: list[Citation]) -> None:
    last_end = 0
    for c in found:
        assert isinstance(c, Citation)
        assert 0 <= c.start < c.end <= len(text), c
        assert text[c.start : c.end] == c.raw, c
        assert c.start >= last_end, "citations overlap"
        last_end = c.end
        if c.date is not None:
            assert len(c.date) == 10 and c.year == int(c.date[:4]), c
        for value in (c.doc_type, c.number_symbol, c.issuer, c.title, c.name, c.term):
            assert value is None or (isinstance(value, str) and value == unicodedata.normalize("NFC", value)), c


def cite(text: str, limit: float | None = None) -> list[Citation]:
    return bounded(lambda: find_all(text), "citations.find_all", limit)


@fuzz(500)
@given(cite_texts)
@example("Chỉ thị số 12-CT/TW ngày 5/3/2024 của Ban Bí thư")
@example("Nghị định số 59/2023/NĐ-CP ngày 31/02/2023")
@example("Quyết định số 1/QĐ-UBND ngày 0/0/0")
def test_citation_parser_never_crashes(text: str) -> None:
    found = cite(text)
    check_citations(text, found)
    assert bounded(lambda: find_citations(text), "find_citations") == found


@fuzz(60)
@given(st.sampled_from(WHOLE_CITATIONS), st.text(max_size=40), st.sampled_from(WHOLE_CITATIONS))
def test_a_citation_survives_any_context(first: str, middle: str, second: str) -> None:
    text = f"Căn cứ {first}; {middle}\nthực hiện {second}."
    check_citations(text, cite(text))
    assert cite(first), f"{first!r} alone is not found any more"


PATHOLOGICAL = [
    "số 1/" * 10_000,
    "của của của " * 4_000,
    "Quyết định " * 5_000,
    "Quyết định số " * 4_000,
    "Nghị định số 59/2023/NĐ-CP " * 2_000,
    "ngày 5/3/2024 " * 4_000,
    "Luật Thực hiện dân chủ ở " * 2_000,
    "Chỉ thị số 12-CT/TW ngày 5/3/2024 của Ban Bí thư và " * 1_000,
    "1" * 50_000,
    " " * 50_000,
    "1/" * 25_000,
    "1-" * 25_000,
    "/" * 50_000,
    "A/" * 25_000,
    "số 12-" + "CT/" * 15_000,
    "Nghị quyết Trung ương 4 khóa " + "XII, " * 10_000,
    "“" * 50_000,
    "Luật " + "Phòng, " * 8_000,
    "e\u0301" * 25_000,
    "\u0301" * 50_000,
]


@pytest.mark.parametrize("text", PATHOLOGICAL, ids=[f"{t[:12]!r}x{len(t)}" for t in PATHOLOGICAL])
def test_no_catastrophic_backtracking(text: str) -> None:
    found = cite(text)
    check_citations(text, found)


# --- 3. importer -------------------------------------------------------------------------------

HEADER_FRAGMENTS = (
    (
        "ỦY BAN NHÂN DÂN\n",
        "TỈNH BẮC KẠN\n",
        "HUYỆN CHỢ ĐỒN\n",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n",
        "Độc lập - Tự do - Hạnh phúc\n",
        "Số: 72/KH-UBND\n",
        "Số:     /KH-UBND\n",
        "Bắc Kạn, ngày 13 tháng 01 năm 2023\n",
        "ngày 31 tháng 02 năm 2023\n",
        "KẾ HOẠCH\n",
        "KẾ HOẠCH PHỐI HỢP\n",
        "Thực hiện Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ\n",
        "I. MỤC ĐÍCH, YÊU CẦU\n",
        "II. NHIỆM VỤ\n",
        "1. ",
        "a) ",
        "- ",
        "Giao Sở Nội vụ chủ trì, phối hợp với Sở Tư pháp ",
        "thời gian thực hiện: trước ngày 30/6/2024",
        "hằng năm",
        "Quý I năm 2025",
        "thường xuyên",
        "[^1]",
        "[^1]: Nghị định số 59/2023/NĐ-CP\n",
        "<sup>1</sup>",
        "**",
        "| ô | ô |\n",
        "\t\t\t",
        "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n",
        "Nguyễn Văn A\n",
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n",
        "ngày 13/01/2023, UBND tỉnh đã ban hành Văn bản số 276/UBND-NCPC",
        "---\n",
        "id: x\n",
        # TCVN3 / VNI bytes read as Windows-1252
        "KÕ ho¹ch",
        "Uû ban nh©n d©n",
        "Keá hoaïch",
        "UÛy ban nhaân daân",
        "Káº¿ hoáº¡ch",
    )
    + CITE_FRAGMENTS[:20]
    + VIETNAMESE
    + CONTROL
    + SPACING
)
# read_text decodes strictly, so the importer never sees a lone surrogate
import_texts = st.one_of(
    any_text, st.text(st.characters(exclude_categories=("Cs",)), max_size=200), composed(HEADER_FRAGMENTS, max_size=80)
)


@pytest.fixture(scope="module")
def catalogue() -> list[dict[str, str]]:
    import csv

    with (Path(__file__).resolve().parents[1] / "data" / "directives.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@fuzz(150)
@given(text=import_texts)
@example(text="KẾ HOẠCH\nTriển khai \ufffe công tác\n")  # U+FFFE was written raw into the draft's YAML
@example(text="ỦY BAN NHÂN DÂN \x7f\nKẾ HOẠCH\nThực hiện Chỉ thị số 33/CT-TTg\x00\n")
def test_importer_never_crashes_and_its_draft_loads(catalogue: list[dict[str, str]], text: str) -> None:
    ex = bounded(lambda: extract(text, catalogue), "importer.extract")
    data = to_json(ex)
    assert set(data) == {"document", "directives", "tasks", "units"}
    markdown, new_rows = bounded(lambda: draft_plan(ex, catalogue, "nguon.docx"), "importer.draft_plan")
    assert markdown.startswith("---\n") and all(isinstance(r, dict) for r in new_rows)
    markdown.encode("utf-8")  # import_file writes it as UTF-8
    src = load(markdown)
    check_source(src, markdown)
    # the draft is refused by the schema (CẦN KIỂM TRA), never for being malformed YAML
    broken = [f for f in src.findings if f.code in ("no-front-matter", "yaml-syntax", "duplicate-key", "not-a-mapping")]
    assert not broken, broken
    assert src.data is not None and src.data.get("source_file") == "nguon.docx"


RECURRENCES = {"none", "yearly", "quarterly", "monthly", "weekly", "half_yearly", "continuous", "as_needed"}


@fuzz(200)
@given(import_texts)
def test_importer_parts_never_crash(text: str) -> None:
    lines = text.split("\n")

    def parts() -> None:
        kept = drop_debris(lines)
        header = read_header(kept)
        assert 0 <= header.body_start <= len(kept)
        tail = find_tail(kept, header.body_start)
        assert header.body_start <= tail <= len(kept) or tail == len(kept)
        read_tail(kept[tail:])
        body = build_body(kept[header.body_start : tail])
        for task in find_tasks(body.blocks):
            assert task.text.strip()
        for line in lines[:50]:
            parse_place_date(line)
            parse_number(line)
            parse_number_symbol(line)
            leads(line)
            printed, due, recurrence = deadline(line)
            assert recurrence in RECURRENCES
            if printed:
                assert due == due_date(printed)
                assert due is None or len(due) == 10

    bounded(parts, "importer header/body/tasks")


@fuzz(300)
@given(st.text(st.characters(codec="cp1252") | st.sampled_from("Õ¹©êÐ¬ï¾ÛÙËÁÂÃ"), max_size=300) | any_text)
def test_legacy_decoders_never_crash(text: str) -> None:
    enc = bounded(lambda: legacy.detect(text), "legacy.detect")
    assert enc in (None, *legacy.ENCODINGS)
    for encoding in legacy.ENCODINGS:
        out = bounded(lambda enc=encoding: legacy.convert(text, enc), f"legacy.convert {encoding}")
        assert out == unicodedata.normalize("NFC", out)
        score, words = legacy.syllable_score(text, encoding)
        assert 0.0 <= score <= 1.0 and words >= 0


def _text_or_source_error(call: Callable[[], str], what: str) -> str | None:
    try:
        out = bounded(call, what)
    except SourceError as exc:
        assert exc.message("vi").strip() and exc.message("en").strip()
        return None
    assert isinstance(out, str)
    return out


@fuzz(300)
@given(st.binary(max_size=400) | import_texts.map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_text_decoding_never_crashes(data: bytes) -> None:
    text = _text_or_source_error(lambda: finish(decode_bytes(data, "x.txt"), "x.txt"), "decode_bytes+finish")
    if text is not None:
        assert text == unicodedata.normalize("NFC", text) and "\r" not in text


def _zip(members: dict[str, bytes]) -> bytes:
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


_CT = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    b'wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'officeDocument" Target="word/document.xml"/></Relationships>'
)
_DOC = '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{}</w:body></w:document>'
docx_bytes = st.one_of(
    st.binary(max_size=600),
    st.binary(max_size=300).map(lambda b: b"PK\x03\x04" + b),
    st.binary(max_size=300).map(
        lambda b: _zip({"[Content_Types].xml": _CT, "_rels/.rels": _RELS, "word/document.xml": b})
    ),
    composed(
        ("<w:p>", "</w:p>", "<w:r>", "</w:r>", "<w:t>", "</w:t>", "<w:tbl>", "<w:tr>", "<w:tc>", "<", ">", "&", "Kế")
    ).map(
        lambda body: _zip(
            {"[Content_Types].xml": _CT, "_rels/.rels": _RELS, "word/document.xml": _DOC.format(body).encode()}
        )
    ),
)
pdf_bytes = st.one_of(
    st.binary(max_size=600),
    st.binary(max_size=400).map(lambda b: b"%PDF-1.4\n" + b),
    st.binary(max_size=200).map(lambda b: b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n" + b + b"\n%%EOF"),
)


# Well-formed WordprocessingML with odd values: list numbering (huge, negative, non-numeric
# starts; every format), legacy fonts, superscripts, footnote references, merged cells, content
# controls; placed into python-docx's own template so that the package itself is valid.
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_ODD_NUMBERS = ("0", "1", "3", "-1", "x", "", "32767", "4000", "100000000", "1" + "0" * 15, "9" * 30, "²")
_odd = st.sampled_from(_ODD_NUMBERS) | st.integers(-10, 10**6).map(str)
_FMTS = ("decimal", "decimalZero", "upperRoman", "lowerRoman", "upperLetter", "lowerLetter", "bullet", "none", "?")
_level_xml = st.builds(
    lambda i, start, fmt, text: (
        f'<w:lvl w:ilvl="{i}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
    ),
    _odd,
    _odd,
    st.sampled_from(_FMTS),
    st.sampled_from(["%1.", "%1.%2.", "%9)", "%0", "", "-", "%1%1%1"]),
)
_numbering_xml = st.builds(
    lambda levels, num, abstract, ilvl, start: (
        f'<w:abstractNum w:abstractNumId="1">{"".join(levels)}</w:abstractNum>'
        f'<w:num w:numId="{num}"><w:abstractNumId w:val="{abstract}"/>'
        f'<w:lvlOverride w:ilvl="{ilvl}"><w:startOverride w:val="{start}"/></w:lvlOverride></w:num>'
    ),
    st.lists(_level_xml, max_size=4),
    _odd,
    st.sampled_from(["1", "2", ""]),
    _odd,
    _odd,
)
_words = st.sampled_from(["Kế hoạch", "KÕ ho¹ch", "Keá hoaïch", "1", "²", "12", " ", "\t", "&amp;", "&lt;"])
_SUP = '<w:vertAlign w:val="superscript"/>'
_run = st.builds(
    lambda font, sup, words, note: (
        f'<w:r><w:rPr><w:rFonts w:ascii="{font}"/>{_SUP if sup else ""}</w:rPr>'
        f"<w:t>{words}</w:t><w:tab/><w:br/>{note}</w:r>"
    ),
    st.sampled_from([".VnTime", ".VnTimeH", "VNI-Times", "Times New Roman", ""]),
    st.booleans(),
    _words,
    st.sampled_from(["", '<w:footnoteReference w:id="1"/>', '<w:endnoteReference w:id="x"/>']),
)
_paragraph = st.builds(
    lambda num, ilvl, runs: (
        f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr></w:pPr>{"".join(runs)}</w:p>'
    ),
    _odd,
    _odd,
    st.lists(_run, max_size=4),
)


def _sdt(parts: list[str]) -> str:
    return "<w:sdt><w:sdtContent>" + "".join(parts) + "</w:sdtContent></w:sdt>"


def _table(cells: list[list[str]]) -> str:
    tcs = "".join(f'<w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr>{"".join(c)}</w:tc>' for c in cells)
    return f"<w:tbl><w:tr>{tcs}</w:tr><w:tr>{tcs.replace('restart', 'continue')}</w:tr></w:tbl>"


def _nest(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return (
        inner
        | st.lists(inner, max_size=3).map(_sdt)
        | st.lists(st.lists(inner, min_size=1, max_size=2), max_size=3).map(_table)
    )


_body_xml = st.lists(_nest(_nest(_paragraph)), min_size=1, max_size=4).map("".join)


@functools.cache
def _template() -> dict[str, bytes]:
    import io

    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
        return {name: z.read(name) for name in z.namelist()}


def _docx(body: str, numbering: str) -> bytes:
    members = dict(_template())
    members["word/document.xml"] = f"<w:document {_W}><w:body>{body}</w:body></w:document>".encode()
    members["word/numbering.xml"] = f"<w:numbering {_W}>{numbering}</w:numbering>".encode()
    return _zip(members)


well_formed_docx = st.builds(_docx, _body_xml, _numbering_xml)


@fuzz(100)
@given(well_formed_docx)
@example(
    _docx(
        '<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="5"/></w:numPr></w:pPr><w:r><w:t>Nội dung</w:t></w:r></w:p>',
        '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1000000000000000"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum><w:num w:numId="5"><w:abstractNumId w:val="1"/></w:num>',
    )
)
def test_odd_but_well_formed_docx_never_crashes(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    folder = tmp_path_factory.getbasetemp() / "fuzz-docx"
    folder.mkdir(exist_ok=True)
    path = folder / "van-ban.docx"
    path.write_bytes(data)
    _text_or_source_error(lambda: read_text(path), "read_text .docx")


@fuzz(150)
@given(st.sampled_from([".docx", ".pdf", ".txt", ".md", ".doc", ""]), docx_bytes | pdf_bytes)
def test_reading_random_files_gives_a_clear_error(
    tmp_path_factory: pytest.TempPathFactory, suffix: str, data: bytes
) -> None:
    folder = tmp_path_factory.getbasetemp() / "fuzz-files"
    folder.mkdir(exist_ok=True)
    path = folder / f"van-ban{suffix}"
    path.write_bytes(data)
    _text_or_source_error(lambda: read_text(path), f"read_text {suffix}")
