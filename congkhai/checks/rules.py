"""Rules the Table Schema cannot say: vocabularies, real and ordered dates, document numbers,
unique ids across files, foreign keys named with both places, canonical directive ids.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, cast

from ..model.findings import Finding
from ..model.schemas import Model, Table
from ..model.urls import web_url
from ..read.records import Origin, Row, Tables
from ..vietnamese.directives import canonical_id
from ..vietnamese.numbers import validate_number_symbol
from ..vietnamese.text import fold
from .ids import check_plan_ids

WHAT = {"plans": "kế hoạch / plan", "tasks": "nhiệm vụ / task", "citations": "trích dẫn / citation"}


def check_vocabularies(model: Model, tables: Tables) -> Iterator[Finding]:
    for table in model.tables.values():
        vocab_fields = [f for f in table.fields if f.vocabulary]
        for row, origin in tables.iter(table.name):
            for f in vocab_fields:
                vocab = model.vocabularies[f.vocabulary or ""]
                value = row.get(f.name)
                items = value if isinstance(value, list) else [value]
                for i, item in enumerate(items):
                    if item is None or (isinstance(item, str) and item in vocab.values):
                        continue
                    codes = list(vocab.values)
                    guess = _guess(str(item), vocab.values)
                    sug = (f" — có phải là '{guess}'?", f" — did you mean '{guess}'?") if guess else ("", "")
                    path_field = f.name
                    file, line, col, fpath = origin.locate(path_field)
                    if isinstance(value, list) and origin.source is not None:
                        line, col = origin.source.mark(origin.path + (f.name, i))
                        fpath = f"{fpath}[{i}]"
                    yield Finding(
                        file,
                        line,
                        col,
                        fpath,
                        "vocabulary-error",
                        {
                            "key": f.name,
                            "value": item,
                            "allowed": ", ".join(codes),
                            "suggestion_vi": sug[0],
                            "suggestion_en": sug[1],
                        },
                    )


def _guess(value: str, values: dict[str, dict[str, str]]) -> str | None:
    folded = fold(value).replace(" ", "_")
    for code, labels in values.items():
        if folded in (
            fold(code),
            fold(labels.get("vi", "")).replace(" ", "_"),
            fold(labels.get("en", "")).replace(" ", "_"),
        ):
            return code
    close = difflib.get_close_matches(folded, list(values), n=1, cutoff=0.6)
    return close[0] if close else None


def _date(value: Any) -> tuple[dt.date | None, str | None]:
    """Parse a full or reduced-precision ISO date; returns (earliest day, precision)."""
    if not isinstance(value, str):
        return None, None
    parts = value.split("-")
    try:
        if len(parts) == 1 and len(parts[0]) == 4:
            return dt.date(int(parts[0]), 1, 1), "year"
        if len(parts) == 2:
            return dt.date(int(parts[0]), int(parts[1]), 1), "month"
        if len(parts) == 3:
            return dt.date(int(parts[0]), int(parts[1]), int(parts[2])), "day"
    except ValueError:
        return None, "invalid"
    return None, None


def check_dates(tables: Tables, today: dt.date) -> Iterator[Finding]:
    for row, origin in tables.iter("plans"):
        value = row.get("issue_date")
        day, precision = _date(value)
        if precision == "invalid":
            yield origin.finding("issue_date", "invalid-date", key="issue_date", value=value)
            continue
        declared = row.get("issue_date_precision")
        if precision and declared != precision:
            yield origin.finding(
                "issue_date_precision",
                "date-precision-mismatch",
                value=value,
                actual=precision,
                declared=declared or "",
                precision_hint_vi=f"Sửa issue_date_precision thành {precision} (ngày '{value}' chính xác đến "
                f"{PRECISION_VI.get(precision, precision)}).",
                precision_hint_en=f"Set issue_date_precision to {precision} (the date '{value}' is precise to the "
                f"{precision}).",
            )
        elif value is None and declared is not None:
            yield origin.finding(
                "issue_date_precision",
                "date-precision-mismatch",
                value="",
                actual="—",
                declared=declared,
                precision_hint_vi="Văn bản không ghi ngày (issue_date để trống) thì issue_date_precision cũng để "
                "trống: ghi issue_date_precision: null; có ngày thì ghi ngày vào issue_date.",
                precision_hint_en="With no printed date (issue_date empty) leave issue_date_precision empty too: "
                "write issue_date_precision: null; if there is a date, write it in issue_date.",
            )
        if day and day > today:
            yield origin.finding("issue_date", "future-date", value=value, today=today.isoformat())
        effective, eprec = _date(row.get("effective_date"))
        if day and effective and eprec == "day" and effective < day:
            yield origin.finding(
                "effective_date", "effective-before-issue", effective=row.get("effective_date"), issued=value
            )
        extended, xprec = _date(row.get("extended_to"))
        if day and extended and xprec == "day" and extended <= day:
            yield origin.finding("extended_to", "extended-before-issue", extended=row.get("extended_to"), issued=value)


def check_numbers(tables: Tables) -> Iterator[Finding]:
    for row, origin in tables.iter("plans"):
        value = row.get("number_symbol")
        status = row.get("number_status")
        if isinstance(value, str) and value.strip():
            reason = validate_number_symbol(value)
            if reason:
                yield origin.finding("number_symbol", "number-format", value=value, **_number_reason(reason))
                continue
            blank = value.strip()[0] in "/-"
            expected = "blank" if blank else "printed"
            if status in ("printed", "blank", "absent") and status != expected:
                yield origin.finding("number_status", "number-status-mismatch", status=status, value=value)
        elif value is None and status in ("printed", "blank"):
            yield origin.finding("number_status", "number-status-mismatch", status=status, value="")
    for row, origin in tables.iter("directives"):
        value = row.get("number_symbol")
        if isinstance(value, str) and value:
            reason = validate_number_symbol(value)
            if reason:
                yield origin.finding("number_symbol", "number-format", value=value, **_number_reason(reason))


PRECISION_VI = {"day": "ngày", "month": "tháng", "year": "năm"}


def _duplicate_hint(table: Table, file: str, line: int) -> dict[str, str]:
    """What to do with a repeated id: the fix differs by what the id names.

    A citation listed twice, or a reference row written twice, is one thing said twice: delete the
    repetition (giving it another id would name a document or body that does not exist). A task or
    plan id that is repeated names two different things: the later one needs its own id."""
    if table.name == "citations":
        return {
            "duplicate_hint_vi": f"Văn bản này đã được trích dẫn ở dòng {line}: xóa mục trích dẫn lặp lại này "
            "(cả các dòng relation, sections của nó) và ghi thêm mục (sections) vào mục trích dẫn đầu.",
            "duplicate_hint_en": f"This document is already cited on line {line}: delete this repeated citation "
            "(with its relation and sections lines) and add its sections to the first one.",
        }
    if table.reference_path:
        return {
            "duplicate_hint_vi": f"Dòng này lặp lại mã đã có ở {file}:{line}: nếu là cùng một "
            f"{table.title.lower()}, xóa dòng lặp lại này; nếu khác, đặt mã riêng theo quy tắc.",
            "duplicate_hint_en": f"This row repeats the id of {file}:{line}: if it is the same entry, delete this "
            "row; if it is a different one, give it its own id by the rule.",
        }
    what = WHAT.get(table.name, table.name)
    return {
        "duplicate_hint_vi": f"Mỗi {what} cần một mã riêng: đổi mã này thành mã chưa dùng"
        + (" (và đổi tên tệp theo mã mới)." if table.name == "plans" else ", ví dụ theo số mục của nó."),
        "duplicate_hint_en": f"Each {what} needs its own id: change this one to an unused id"
        + (" (and rename the file to match)." if table.name == "plans" else ", e.g. from its section number."),
    }


# validate_number_symbol's reasons (English codes) as a clerk reads them
NUMBER_REASONS_VI = {
    "empty": "để trống",
    "look-alike Ð instead of Đ": "dùng chữ 'Ð' (Ai-xơ-len) thay cho 'Đ'",
    "not NFC": "chữ chưa ở dạng Unicode dựng sẵn (NFC)",
    "unknown format": "không nhận ra dạng số, ký hiệu",
    "party number has a colon": "số văn bản Đảng có dấu hai chấm",
    "has Số prefix": "có chữ 'Số' ở đầu",
    "party number lacks hyphen": "số văn bản Đảng thiếu dấu gạch ngang sau số",
    "spaces inside symbol": "có dấu cách bên trong",
    "trailing punctuation": "có dấu câu ở cuối",
    "party document in state format": "văn bản Đảng ghi theo dạng của Nhà nước",
    "unknown type code": "không nhận ra chữ viết tắt loại văn bản",
    "number below 10 lacks leading zero": "số nhỏ hơn 10 thiếu số 0 ở đầu (ví dụ 07)",
    "implausible year": "năm không hợp lý",
    "non-standard casing": "viết hoa, viết thường không đúng thể thức",
}


def _number_reason(reason: str) -> dict[str, str]:
    return {"reason": NUMBER_REASONS_VI.get(reason, reason), "reason_en": reason}


def check_keys(model: Model, tables: Tables) -> Iterator[Finding]:
    """Primary keys, with the first place named, and plan ids that match their file names."""
    for table in model.tables.values():
        pk = table.primary_key
        if not pk or all(table.field(k).derived for k in pk):
            continue
        seen: dict[tuple[Any, ...], Origin] = {}
        for row, origin in tables.iter(table.name):
            key = tuple(row.get(k) for k in pk)
            if any(not isinstance(k, str | int) for k in key):
                continue  # missing or malformed: the table check reports it
            if "plan_id" in pk and table.field("plan_id").derived:
                key = (origin.file, *key)  # unique within one file; two files sharing a plan id is one finding
            own = next(k for k in reversed(pk) if not table.field(k).derived)
            if key in seen:
                file, line, _, _ = seen[key].locate(own)
                yield origin.finding(
                    own,
                    "duplicate-id",
                    value=row.get(own),
                    other=f"{file}:{line}",
                    what=WHAT.get(table.name, table.name),
                    **_duplicate_hint(table, file, line),
                )
            else:
                seen[key] = origin
    for row, origin in tables.iter("plans"):
        stem = PurePosixPath(origin.file).stem
        if isinstance(row.get("id"), str) and row["id"] != stem:
            yield origin.finding("id", "id-filename-mismatch", value=row["id"], stem=stem)


REFERENCE_HINTS = {
    "directives": (
        "Thêm văn bản vào data/directives.csv (mã theo quy tắc chuẩn) hoặc sửa mã cho đúng.",
        "Add the document to data/directives.csv (with its canonical id) or correct the id.",
    ),
    "units": (
        "Thêm cơ quan vào data/units.csv hoặc sửa mã cho đúng.",
        "Add the body to data/units.csv or correct the id.",
    ),
    "plans": (
        "Ghi đúng mã của một kế hoạch đã có trong docs/plans/ (mã là tên tệp, không có .md).",
        "Write the id of a plan in docs/plans/ (its file name without .md).",
    ),
    "provinces": (
        "Dùng mã tỉnh trong data/provinces.csv, ví dụ bac-giang.",
        "Use a province id from data/provinces.csv, e.g. bac-giang.",
    ),
}


@dataclass(frozen=True)
class Dangling:
    """A row whose foreign key names no row of the table it points at."""

    table: Table
    fields: list[str]  # the referring columns
    target: str  # the table pointed at
    target_fields: list[str]  # its columns
    key: tuple[str | int, ...]  # the referring values
    origin: Origin


def _listed(value: Any) -> list[str]:
    return list(value) if isinstance(value, list) else [value]  # Table Schema allows one name as a string


def dangling_references(
    model: Model, tables: Tables, skip: Callable[[Table, list[str], str], bool] | None = None
) -> Iterator[Dangling]:
    """Every row whose foreign key (as the schemas declare them) names no row of its target.

    The one foreign-key check: validation reports these at the plan or reference file, the shard
    merge at the shard file (:func:`check_references`, ``commands.merge.check_foreign_keys``).
    A key with a missing or malformed value is skipped: the table check reports the value itself.
    ``skip(table, fields, target)`` leaves out a foreign key altogether."""
    for table in model.tables.values():
        for fk in table.foreign_keys:
            fields = _listed(fk["fields"])
            ref = fk["reference"]
            target = ref.get("resource") or table.name
            ref_fields = _listed(ref["fields"])
            if skip is not None and skip(table, fields, target):
                continue
            targets = (tuple(r.get(f) for f in ref_fields) for r in tables.rows.get(target, []))
            known = {key for key in targets if all(isinstance(v, str | int) for v in key)}
            for row, origin in tables.iter(table.name):
                key = tuple(row.get(f) for f in fields)
                if any(not isinstance(k, str | int) for k in key) or key in known:
                    continue
                yield Dangling(table, fields, target, ref_fields, cast("tuple[str | int, ...]", key), origin)


def check_references(model: Model, tables: Tables, broken: set[str]) -> Iterator[Finding]:
    """Every foreign key the schemas declare, reported at the referring key.

    A reference table that failed to load is reported once, not as every reference to it.
    """

    def skip(table: Table, fields: list[str], target: str) -> bool:
        # rows made from one plan file always point at that file's plan
        return target in broken or bool(table.frontmatter_key and target in ("plans", "tasks") and "plan_id" in fields)

    known: dict[tuple[str, str], list[str]] = {}
    for d in dangling_references(model, tables, skip):
        hint_vi, hint_en = REFERENCE_HINTS.get(d.target, ("", ""))
        column = d.target_fields[-1]
        if (d.target, column) not in known:
            # only text ids are offered (a plan whose id is a list or a mapping is reported on its own)
            ids = {i for r in tables.rows.get(d.target, []) if isinstance(i := r.get(column), str)}
            known[(d.target, column)] = sorted(ids)
        near = candidates(str(d.key[-1]), known[(d.target, column)])
        if near:
            quoted = ", ".join(f"'{c}'" for c in near)
            hint_vi = f"Mã gần giống có trong bảng: {quoted}. " + hint_vi
            hint_en = f"Similar ids in the table: {quoted}. " + hint_en
        yield d.origin.finding(
            d.fields[-1],
            "unknown-reference",
            value=d.key[-1],
            table=d.target,
            key=".".join(d.target_fields),
            reference_hint_vi=hint_vi,
            reference_hint_en=hint_en,
        )


ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def candidates(value: str, ids: list[str], n: int = 3) -> list[str]:
    """Up to ``n`` existing ids closest to ``value``, compared without accents, case, invisible
    characters or separators (a typed accent, a stray space or ';' still finds the id)."""

    def norm(text: str) -> str:
        text = "".join(ch for ch in fold(text) if unicodedata.category(ch)[0] not in "CZ")
        return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")

    def score(key: str) -> float:
        ratio = difflib.SequenceMatcher(None, want, key).ratio()
        nested = any(a.startswith(b + "-") or a.endswith("-" + b) for a, b in ((want, key), (key, want)))
        return ratio + (0.5 if nested else 0.0)  # 'cao-loc-ubnd' is 'lang-son-cao-loc-ubnd' without its place

    by_norm: dict[str, str] = {}
    for i in ids:
        if ID.fullmatch(i):  # an id that is itself malformed is never offered
            by_norm.setdefault(norm(i), i)
    want = norm(value)
    scored = sorted(((score(k), k) for k in by_norm), key=lambda sk: (-sk[0], sk[1]))
    return [by_norm[k] for sc, k in scored[:n] if sc >= 0.6]


def check_directive_ids(model: Model, tables: Tables) -> Iterator[Finding]:
    doc_types = model.vocabularies["doc_type"]
    for row, origin in tables.iter("directives"):
        expected = canonical_id(row, doc_types)
        value = row.get("id")
        if not expected or not value or value == expected:
            continue
        place = value[len(expected) + 1 :] if value.startswith(expected + "-") else ""
        if place and not row.get("jurisdiction"):
            # the id names a place the row does not: dropping it from the id would make a local
            # document look national (and collide with other provinces' same number)
            yield origin.finding(
                "jurisdiction",
                "directive-id-not-canonical",
                value=value,
                why_vi=f": mã có địa bàn '{place}' nhưng cột jurisdiction để trống",
                why_en=f": the id names the place '{place}' but the jurisdiction column is empty",
                canonical_hint_vi=f"Ghi {place} vào cột jurisdiction (Địa bàn) của dòng này; giữ nguyên mã. "
                "Nếu văn bản là của cơ quan trung ương thì bỏ phần địa bàn khỏi mã, cả trong các kế hoạch trích dẫn.",
                canonical_hint_en=f"Write {place} in this row's jurisdiction column; keep the id. If the issuer is "
                "national, drop the place from the id, in the citing plans too.",
            )
            continue
        yield origin.finding(
            "id",
            "directive-id-not-canonical",
            value=value,
            why_vi=f"; mã đúng là '{expected}'",
            why_en=f"; it should be '{expected}'",
            expected=expected,
            canonical_hint_vi=f"Sửa mã thành {expected} trong data/directives.csv và trong các kế hoạch trích dẫn "
            "(mã = số, ký hiệu không dấu + năm nếu ký hiệu chưa có năm + địa bàn nếu cơ quan địa phương).",
            canonical_hint_en=f"Change the id to {expected} in data/directives.csv and in the citing plans "
            "(id = slug of the number and symbol + year unless the symbol has it + place for a local issuer).",
        )


SECTION = re.compile(
    r"(title|preamble|closing|fn[0-9]+|PL[IVXLC0-9]*|(PL[IVXLC0-9]*\.)?([IVXLC]+|[0-9]+)(\.[0-9a-zđ]+)*)"
)  # "PLI.II.3": section II.3 of appendix I


def check_sections(tables: Tables) -> Iterator[Finding]:
    """Where a document is cited: the same section notation as tasks, or a named part."""
    for row, origin in tables.iter("citations"):
        sections = row.get("sections")
        for i, item in enumerate(sections if isinstance(sections, list) else []):
            if isinstance(item, str) and not SECTION.fullmatch(item):
                file, line, col, path = origin.locate("sections")
                if origin.source is not None:
                    line, col = origin.source.mark((*origin.path, "sections", i))
                yield Finding(
                    file,
                    line,
                    col,
                    f"{path}[{i}]",
                    "constraint-error",
                    {
                        "key": "sections",
                        "value": item,
                        "constraint": "phải là title, preamble, closing, fn1… hoặc một mục như II.1, III.2.a",
                        "constraint_en": "must be title, preamble, closing, fn1… or a section such as II.1, III.2.a",
                        "constraint_hint_vi": "Ghi mục theo số La Mã và số thứ tự, ví dụ II.1; chú thích số 2 ghi fn2.",
                        "constraint_hint_en": "Write the section as a Roman numeral and numbers, e.g. II.1; footnote 2 is fn2.",
                    },
                )


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")


def check_urls(model: Model, tables: Tables) -> Iterator[Finding]:
    """Every field whose Table Schema format is ``uri`` holds an http(s) URL with a host.

    A value without any scheme (``//host/x``, ``vbpl.vn/x``) is already a ``type-error`` of the
    ``uri`` format (frictionless), so it is not reported twice."""
    for table in model.tables.values():
        fields = [f.name for f in table.fields if f.descriptor.get("format") == "uri"]
        for row, origin in tables.iter(table.name) if fields else []:
            for name in fields:
                value = row.get(name)
                if isinstance(value, str) and value and _SCHEME.match(value) and not web_url(value):
                    yield origin.finding(name, "invalid-url", key=name, value=value)


INACTIVE = {"het_hieu_luc", "ngung_hieu_luc"}


STATUS_FIX = {
    "status_reason": (
        'Thêm một dòng dưới status: status_reason: "Thu hồi theo Quyết định số …/QĐ-UBND ngày …" — ghi lý do, '
        "căn cứ như văn bản thu hồi ghi.",
        'Add a line under status: status_reason: "Withdrawn by Decision No. …/QĐ-UBND of …" — the reason and '
        "basis as the withdrawing document states them.",
    ),
    "superseded_by": (
        "Thêm một dòng dưới status: superseded_by: <mã kế hoạch thay thế> — tên tệp của kế hoạch mới trong "
        "docs/plans/, không có .md; đưa kế hoạch mới lên trước hoặc cùng lúc.",
        "Add a line under status: superseded_by: <the replacing plan's id> — the new plan's file name in "
        "docs/plans/ without .md; add the new plan first or in the same change.",
    ),
    "status: superseded": (
        "Sửa status thành superseded (kế hoạch đã có superseded_by), hoặc xóa dòng superseded_by.",
        "Set status to superseded (the plan has superseded_by), or delete the superseded_by line.",
    ),
    "status_date": (
        'Thêm một dòng dưới status: status_date: "NNNN-TT-NN" — ngày ký văn bản thu hồi, thay thế hoặc gia hạn.',
        'Add a line under status: status_date: "YYYY-MM-DD" — the day the withdrawing, replacing or extending '
        "document was signed.",
    ),
}


def check_status(tables: Tables) -> Iterator[Finding]:
    """Nothing published is lost: a plan leaves force only with the reason, date and successor."""

    for row, origin in tables.iter("plans"):
        status = row.get("status")
        missing = []
        if status == "withdrawn" and not row.get("status_reason"):
            missing.append("status_reason")
        if status == "superseded" and not row.get("superseded_by"):
            missing.append("superseded_by")
        if row.get("superseded_by") and status != "superseded":
            missing.append("status: superseded")
        if status in ("withdrawn", "superseded", "expired", "amended") and not row.get("status_date"):
            missing.append("status_date")
        if missing:  # one finding naming all: two at one place would be one (findings compare by place)
            yield origin.finding(
                "status",
                "status-incomplete",
                status=status or "",
                missing=" và ".join(missing),
                status_hint_vi=" ".join(STATUS_FIX[m][0] for m in missing),
                status_hint_en=" ".join(STATUS_FIX[m][1] for m in missing),
            )


def check_cited_in_force(tables: Tables) -> Iterator[Finding]:
    """A plan in force that still cites a document which was replaced or ended."""
    inactive = {
        d["id"]: d.get("replaced_by") or ""
        for d in tables.rows.get("directives", [])
        if d.get("legal_status") in INACTIVE or d.get("replaced_by")
    }
    status = {p["id"]: p.get("status") for p in tables.rows.get("plans", []) if isinstance(p.get("id"), str)}
    for row, origin in tables.iter("citations"):
        directive, plan_id = row.get("directive"), row.get("plan_id")
        if not isinstance(directive, str) or not isinstance(plan_id, str):
            continue  # malformed: the table check reports it
        if directive in inactive and status.get(plan_id) in ("in_force", "draft"):
            yield origin.finding(
                "directive", "cites-inactive-document", value=directive, replaced_by=inactive[directive]
            )


_FORBIDDEN_IN_NAME = {
    "/": ("có dấu '/'", "it contains '/'"),
    "\\": ("có dấu '\\'", "it contains '\\'"),
}


def source_file_problem(name: str) -> tuple[str, str] | None:
    """Why ``name`` is not a plain file name beside the plan (Vietnamese, English), or None.

    The build offers ``source_file`` for download from the plan's folder: ".", "..", a path, a hidden
    or an unnamable file must be refused here, not found by the build (``"."`` crashed it)."""
    if name in (".", ".."):
        return f"'{name}' là thư mục, không phải tệp", f"'{name}' is a folder, not a file"
    for char, reason in _FORBIDDEN_IN_NAME.items():
        if char in name:
            return reason
    bad = next((ch for ch in name if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")), None)
    if bad is not None:
        return f"có ký tự điều khiển U+{ord(bad):04X}", f"it contains the control character U+{ord(bad):04X}"
    if name.startswith("."):
        return "bắt đầu bằng dấu chấm (tệp ẩn)", "it starts with a dot (a hidden file)"
    if name != name.strip():
        return "có dấu cách ở đầu hoặc cuối", "it starts or ends with a space"
    if len(name.encode("utf-8")) > 255:
        return "dài quá 255 byte", "it is longer than 255 bytes"
    return None


def check_source_file(tables: Tables) -> Iterator[Finding]:
    for row, origin in tables.iter("plans"):
        name = row.get("source_file")
        problem = source_file_problem(name) if isinstance(name, str) and name else None
        if problem is not None:
            yield origin.finding(
                "source_file", "source-file-name", value=name, reason_vi=problem[0], reason_en=problem[1]
            )


class _Subjects(Tables):
    """All rows, to be pointed at and looked up; only the subject tables' rows are checked."""

    def __init__(self, tables: Tables, subjects: frozenset[str]) -> None:
        super().__init__(tables.rows, tables.origins, tables.sources)
        self.subjects = subjects

    def iter(self, table: str) -> list[tuple[Row, Origin]]:
        return super().iter(table) if table in self.subjects else []


def check_rules(
    model: Model,
    tables: Tables,
    today: dt.date,
    broken: frozenset[str] = frozenset(),
    subjects: frozenset[str] | None = None,
    expected_ids: Mapping[str, str | None] | None = None,
) -> list[Finding]:
    """Every rule; with ``subjects``, only the rows of those tables are checked (the others are
    still there as the targets of their keys). ``expected_ids``: what the id rule says of each
    plan file's row, where already known (:func:`.ids.check_plan_ids`)."""
    if subjects is not None:
        tables = _Subjects(tables, subjects)
    out: list[Finding] = []
    out += check_vocabularies(model, tables)
    out += check_dates(tables, today)
    out += check_numbers(tables)
    out += check_keys(model, tables)
    out += check_plan_ids(tables, expected_ids)
    out += check_references(model, tables, set(broken))
    out += check_directive_ids(model, tables)
    out += check_sections(tables)
    out += check_status(tables)
    out += check_cited_in_force(tables)
    out += check_urls(model, tables)
    out += check_source_file(tables)
    return out
