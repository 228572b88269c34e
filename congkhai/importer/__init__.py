"""Import a signed plan (text, Markdown, Word) as a draft plan file.

:func:`extract` reads the header, content, footnotes, citations and candidate tasks; the content
is the text between the header and the signature, then an appendix after the signature ("PHỤ
LỤC"), then the notes (Word writes them after everything);
:func:`to_json` gives the extraction with a fixed key set for tooling and measurement;
:func:`congkhai.importer.draft.draft_plan` writes a plan file in which everything the importer
is unsure of is marked "CẦN KIỂM TRA" so that the validator refuses it until a person checks it;
:func:`read_file` (``build_site.py import --json``) and :func:`import_file` (``build_site.py import``)
read a file in a bounded child process; they return what they did, or raise
:class:`~congkhai.model.errors.CongkhaiError`, and print nothing: the command line says it, in the
language asked for.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from congkhai.model import csvfile
from congkhai.model.errors import USAGE, CongkhaiError
from congkhai.vietnamese.planid import clean_place
from congkhai.vietnamese.text import fold, nfc, slug

from .body import _APPENDIX, _FN_DEF, Body, build_body, drop_debris
from .cites import Cited, Place, collect, merge_noted, resolve
from .header import (
    _CAPACITY,
    _END_OF_CONTENT,
    _NAME,
    _RECIPIENTS,
    Header,
    cells,
    clean_line,
    find_tail,
    infer_issuer,
    read_header,
    read_news,
    read_tail,
    with_addressees,
)
from .tasks import Task, find_tasks

if TYPE_CHECKING:
    from .draft import Draft
    from .existing import Existing

__all__ = ["Extraction", "Imported", "extract", "import_file", "read_file", "to_json"]

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Extraction:
    header: Header
    body: Body
    directives: list[Cited]
    tasks: list[Task]
    place: Place
    province_name: str | None = None
    level: str | None = None
    debris: bool = False
    notes: list[str] = field(default_factory=list)


def _provinces(root: Path = ROOT) -> list[dict[str, str]]:
    path = root / "data" / "provinces.csv"
    try:
        return csvfile.read_rows(path)[1]
    except OSError:
        return []


_PROPER = r"(\w+(?:\s+\w+){0,3})"


def _proper(words: str) -> str | None:
    """The leading capitalised words of ``words`` ("Cao Lộc năm 2024" → "Cao Lộc")."""
    out = []
    for w in words.split():
        if not w[:1].isupper():
            break
        out.append(w)
    return " ".join(out) or None


def infer_place(text: str, header: Header, provinces: list[dict[str, str]]) -> tuple[Place, str | None, str | None]:
    """(jurisdiction slugs, province name, issuer level) from the issuer, the place and the text."""
    place = Place()
    folded = fold(text)
    date = header.date or ""
    best, best_n, best_name = None, 0, None
    for row in provinces:
        current = not row.get("valid_from") or date >= str(row.get("valid_from"))
        if row.get("valid_until") and date and date > str(row["valid_until"]):
            current = False
        if not current and row.get("valid_from"):
            continue
        name = fold(row["name"])
        n = len(re.findall(rf"\b(?:tinh|thanh pho|tp\.?)\s+{re.escape(name)}\b", folded))
        n += 3 * len(re.findall(rf"\b(?:tinh|thanh pho)\s+{re.escape(name)}\b", fold(header.issuer or "")))
        if n > best_n or (n == best_n and n and row.get("valid_until")):
            best, best_n, best_name = row, n, row["name"]
    if best is not None:
        place.province = best["id"]
        place.central_city = fold(best.get("type", "")).startswith("thanh pho")
    issuer = ", ".join([header.issuer or "", header.place or ""])
    sources = [issuer, text[:20000]]
    for src in sources:
        m = re.search(rf"(?i:huyện|quận)\s+{_PROPER}", src)
        t = re.search(rf"(?i:thị xã)\s+{_PROPER}", src)
        c = re.search(rf"(?i:thành phố|TP\.?)\s+{_PROPER}", src)
        mn, tn, cn = (_proper(x.group(1)) if x else None for x in (m, t, c))
        if mn:
            place.district = slug(mn)
        elif tn:
            place.district = "tx-" + slug(tn)
        elif cn and (best_name is None or fold(cn) != fold(best_name)):
            place.district = "tp-" + slug(cn)
        if place.district:
            break
    if (
        place.district is None
        and not place.central_city
        and best_name
        and re.search(r"thanh pho\b|thanh uy", fold(issuer + " " + text[:3000]))
        and (re.search(rf"thanh pho {re.escape(fold(best_name))}", folded) or "thanh uy" in folded)
    ):
        # "Ủy ban nhân dân Thành phố" of a provincial city named like its province
        place.district = "tp-" + slug(best_name)
    if header.place:
        m = re.search(rf"(?i:phường|xã|thị trấn)\s+{re.escape(header.place)}", text)
        in_issuer = re.search(rf"\b(?:phuong|xa|thi tran)\s+{re.escape(fold(header.place))}\b", fold(issuer))
        if m or in_issuer:  # "ĐẢNG ỦY XÃ HỢP THÀNH" printed in capitals
            place.commune = slug(header.place)
    fi = fold(header.issuer or "") + " " + fold(" ".join(header.issuer_lines))
    if re.search(r"\bphuong\b|\bxa\b|thi tran|dang uy", fi) or place.commune:
        level = "commune"
    elif re.search(r"huyen|quan\b|thi xa", fi) or (re.search(r"thanh pho|thanh uy", fi) and not place.central_city):
        level = "district"
    elif re.search(r"\btinh\b|tinh uy", fi) or (re.search(r"thanh pho|thanh uy", fi) and place.central_city):
        level = "province"
    else:
        level = None
    if level == "district" and place.district is None:
        level = None
    return place, best_name, level


def _clean_district(value: str | None) -> str | None:
    got = clean_place(value)
    return None if got in (None, "tp", "tx") else got


def _preamble_relation(text: str) -> str | None:
    f = fold(text)
    if f.startswith("can cu"):
        return "can_cu"
    if f.startswith("thuc hien") or f.startswith("trien khai"):
        return "thuc_hien"
    return None


def _sections(body: Body) -> list[tuple[str, str, str | None]]:
    """(section label, text, preamble relation) per block and footnote, in reading order."""
    parts: list[tuple[str, str, str | None]] = []
    roman: str | None = None
    sub: str | None = None
    where_fn: dict[str, str] = {}
    for b in body.blocks:
        if b.kind == "h2":
            roman, sub = b.label, None
        elif b.kind in ("h3", "item") and roman:
            sub = f"{roman}.{b.label}"
        section = sub or roman or "preamble"
        rel = _preamble_relation(b.text) if roman is None else None
        parts.append((section, re.sub(r"\[\^\d+\]", " ", b.text), rel))
        for n in re.findall(r"\[\^(\d+)\]", b.text):
            where_fn.setdefault(n, section)
    for n, text in body.footnotes.items():
        parts.append((where_fn.get(n, "preamble"), text, None))
    return parts


def appendix_start(lines: list[str], start: int) -> int:
    """The line of a "PHỤ LỤC" heading after the signature (its content and tables follow), or
    ``len(lines)``: what comes after the signature block is an appendix of the plan, not part of
    the signature."""
    signed = False
    for i in range(start, len(lines)):
        line = clean_line(lines[i])
        if not line:
            continue
        if signed and len(line) <= 200 and _APPENDIX.match(fold(line)) and not line.endswith((".", ";", ",")):
            return i
        first = cells(lines[i])[0] if cells(lines[i]) else ""
        if _END_OF_CONTENT.search(line) or _RECIPIENTS.match(first) or _CAPACITY.match(first):
            signed = True
    return len(lines)


def extract(text: str, catalogue_rows: list[dict[str, Any]]) -> Extraction:
    """Read a plan's text; never raises on odd input."""
    from congkhai.model.schemas import load_model

    text = nfc(text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", ""))
    raw_lines = text.split("\n")
    lines = drop_debris(raw_lines)
    debris = len(lines) < len([x for x in raw_lines if x.strip()]) and len(lines) != len(raw_lines)
    header = read_header(lines)
    appendix = appendix_start(lines, header.body_start)
    tail_start = find_tail(lines[:appendix], header.body_start)
    tail = lines[tail_start:appendix]
    notes = [x for x in tail if _FN_DEF.match(clean_line(x) or "") or _FN_DEF.match(x.strip())]
    signers, recipients = read_tail([x for x in tail if x not in notes])
    header.signers, header.recipients = signers, with_addressees(header.addressees, recipients)
    # the content, then the appendix after the signature, then the notes (Word writes them last)
    content = lines[header.body_start : tail_start] + lines[appendix:] + notes
    if header.doc_type is None and header.number is None:
        read_news("\n".join(content), header)
        if header.news and content and len(clean_line(content[0] if content[0].strip() else "")) < 250:
            # the article's headline is not part of the document
            first = next((i for i, x in enumerate(content) if x.strip()), None)
            if first is not None and not clean_line(content[first]).endswith((".", ":")):
                content = content[first + 1 :]
        # a byline: one short name after the last sentence of an article
        while content and not content[-1].strip():
            content = content[:-1]
    if header.news and content and _NAME.match(clean_line(content[-1])):
        content = content[:-1]
    body = build_body(content)
    if header.issuer is None:
        who = infer_issuer("\n".join(b.text for b in body.blocks[:8]))
        if who:
            header.issuer = who
            header.inferred.append("issuer")
    place, province_name, level = infer_place(text, header, _provinces())
    # a place never takes the header's words ("Tây Ninh Số:", "Đảng ủy Ủy ban…"): ids, catalogue rows
    place.district = _clean_district(place.district)
    place.commune = clean_place(place.commune)
    if level == "district" and place.district is None:
        level = None
    title_part: list[tuple[str, str, str | None]] = []
    if header.title:  # "Kế hoạch thực hiện Chỉ thị số 33/CT-TTg…": the title cites what the plan implements
        implements = fold(header.title).startswith(("thuc hien", "trien khai"))
        title_part.append(("title", header.title, "thuc_hien" if implements else None))
    cites = collect(title_part + _sections(body))
    cites = merge_noted(cites, [b.text for b in body.blocks], body.footnotes)
    own = re.sub(r"\s+", "", header.number or "")  # the plan itself, named in its appendix ("Kèm theo Kế hoạch số …")
    cites = [c for c in cites if not own or re.sub(r"\s+", "", c.number or "") != own]
    doc_types = load_model().vocabularies["doc_type"]
    resolve(cites, catalogue_rows, place, doc_types)
    tasks = find_tasks(body.blocks)
    return Extraction(header, body, cites, tasks, place, province_name, level, debris)


def to_json(extraction: Extraction, units: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """The extraction for tooling; ``units`` are the rows the draft would add to data/units.csv."""
    h = extraction.header
    return {
        "document": {
            "number": h.number,
            "type": h.doc_type,
            "issuer": h.issuer,
            "issuers": [{"name": i.name, "superior": i.superior} for i in h.issuer_list()],
            "place": h.place,
            "date": h.date,
            "title": h.title,
            "signers": [{"name": s.name, "position": s.position} for s in h.signers],
            "recipients": list(h.recipients),
        },
        "directives": [
            {
                "raw": c.raw,
                "type": c.doc_type,
                "number": c.number,
                "date": c.date or (str(c.year) if c.year else None),
                "issuer": c.issuer,
                "title": c.title,
            }
            for c in extraction.directives
        ],
        "tasks": [
            {"section": t.section, "text": t.text, "lead": t.lead, "partners": t.partners, "deadline": t.deadline}
            for t in extraction.tasks
        ],
        "units": list(units or []),
    }


def _catalogue(root: Path) -> list[dict[str, Any]]:
    path = root / "data" / "directives.csv"
    try:
        return csvfile.read_rows(path)[1]
    except OSError:
        return []


def _append_catalogue(root: Path, new_rows: list[dict[str, object]], table: str = "directives") -> int:
    """Draft new rows into data/<table>.csv (the cited documents, the bodies), skipping ids already there."""
    from congkhai.model.schemas import load_model

    fields = [f.name for f in load_model().tables[table].frontmatter_fields]  # the CSV's columns
    path = root / "data" / f"{table}.csv"
    try:
        known = {r.get("id") for r in csvfile.read_rows(path)[1]}
    except OSError:
        known = set()
    fresh = [r for r in new_rows if r.get("id") not in known]
    if not fresh:
        return 0
    text = path.read_text(encoding="utf-8") if path.exists() else ",".join(fields) + "\n"
    if not text.endswith("\n"):
        text += "\n"
    buf = io.StringIO()
    csv.DictWriter(buf, fieldnames=fields, lineterminator="\n", extrasaction="ignore").writerows(
        [{k: ("" if r.get(k) is None else r.get(k)) for k in fields} for r in fresh]
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + buf.getvalue(), encoding="utf-8")
    return len(fresh)


@dataclass(frozen=True)
class Imported:
    """What ``import`` did: the extraction, the draft plan file it wrote and the cited documents it
    drafted into data/directives.csv (``catalogue_added`` rows appended for ``new_directives``)."""

    extraction: Extraction
    draft: Path
    new_directives: tuple[str, ...] = ()
    catalogue_added: int = 0
    new_units: tuple[str, ...] = ()  # bodies proposed and appended to data/units.csv
    units_matched: int = 0  # bodies the draft names that data/units.csv already had
    updates: Existing | None = None  # the plan this file is a new copy of (same id, same file)


def read_file(path: Path, root: Path) -> Extraction:
    """The extraction of one file (``import --json``), read in a bounded child process.

    Raises :class:`~congkhai.model.errors.CongkhaiError`: exit code 2 if there is no such file,
    1 if the file is refused — unreadable, or over a limit of :mod:`congkhai.model.limits` (one
    line naming the limit, the value and how to split the document)."""
    return _bounded(Path(path), Path(root), draft=False)[0]


def import_file(path: Path, root: Path, out: Path | None = None) -> Imported:
    """Import one file: write the draft plan (to ``out``, or docs/plans/<province>/<id>.md) and
    append the cited documents the catalogue lacks to data/directives.csv.

    Raises :class:`~congkhai.model.errors.CongkhaiError` as :func:`read_file` does, and with exit
    code 2 if the draft would overwrite a file: it never replaces one (a published plan, the
    file ``-o`` names) nor writes through a link."""
    path, root = Path(path), Path(root)
    extraction, draft, existing = _bounded(path, root, draft=True)
    assert draft is not None
    if out is None and existing is not None:
        out = existing.path  # a new copy of a plan already there: the same file, the same id
        if out.is_symlink():
            raise CongkhaiError(f"{out} là liên kết — không ghi.", f"{out} is a link: not written.", USAGE)
        out.write_text(draft.markdown, encoding="utf-8")
    else:
        if out is None:
            from .draft import _plan_id

            plan_id = slug(_plan_id(extraction)) or "ke-hoach-moi"
            out = root / "docs" / "plans" / (extraction.place.province or "moi") / f"{plan_id}.md"
        out.parent.mkdir(parents=True, exist_ok=True)
        try:  # exclusive creation: never replaces a file (a published plan, -o anything) nor follows a link there
            with out.open("x", encoding="utf-8") as fh:
                fh.write(draft.markdown)
        except FileExistsError:
            raise CongkhaiError(
                f"đã có tệp {out} — không ghi đè; dùng -o với một tên tệp chưa có để ghi bản nháp vào chỗ khác.",
                f"{out} exists: nothing is overwritten; give -o a new file name to write the draft elsewhere.",
                USAGE,
            ) from None
    added = _append_catalogue(root, draft.new_directives) if draft.new_directives else 0
    _append_catalogue(root, [dict(u) for u in draft.new_units], "units")
    return Imported(
        extraction,
        out,
        tuple(str(row["id"]) for row in draft.new_directives),
        added,
        tuple(u["id"] for u in draft.new_units),
        draft.units_matched,
        existing,
    )


def propose_units(extraction: Extraction, root: Path) -> list[dict[str, str]]:
    """The rows ``import`` would add to data/units.csv for the bodies this extraction names."""
    from .draft import _units, settle_place, unit_proposals

    units = _units(Path(root))
    settle_place(extraction, units)
    return unit_proposals(extraction, units)[1]


def _bounded(path: Path, root: Path, draft: bool) -> tuple[Extraction, Draft | None, Existing | None]:
    """The extraction and, with ``draft``, the draft (its text, new catalogue and unit rows) and
    the plan already there that this file is a copy of; reading and analysis bounded in time and
    memory (:mod:`.sandbox`, :mod:`congkhai.model.limits`)."""
    from .draft import _units, make_draft, split_issuers
    from .existing import find_existing
    from .sandbox import run_bounded
    from .sources import read_text

    if not path.is_file():
        raise CongkhaiError(f"không tìm thấy tệp {path}", f"file not found: {path}", USAGE)
    rows = _catalogue(root)
    units = _units(root) if draft else []

    def work() -> tuple[Extraction, Draft | None, Existing | None]:
        text = read_text(path)  # SourceError, LimitError: refusals (exit 1)
        extraction = extract(text, rows)
        if not draft:
            return extraction, None, None
        first = make_draft(extraction, rows, path.name, units)
        h = extraction.header
        issuers = [{"as_printed": n} for n in split_issuers(h.issuer)] + [{"unit": u} for u in first.issuer_units]
        existing = find_existing(
            root,
            number=h.number,
            date=h.date,
            title=h.title,
            issuers=issuers,
            body=extraction.body.markdown,
            source=text,
        )
        if existing is None:
            return extraction, first, None
        return extraction, make_draft(extraction, rows, path.name, units, existing.plan_id), existing

    try:
        return run_bounded(path.name, work)
    except (ValueError, OSError) as exc:
        raise CongkhaiError(f"không đọc được {path.name}: {exc}", f"cannot read {path.name}: {exc}") from exc
