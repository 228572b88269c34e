"""Write an extraction as a plan file: the front matter's values + the Markdown body.

The values are written by the same schema-derived writer as ``new``'s empty plan
(:func:`congkhai.render.planfile.front_matter`): the keys, their order and the YAML are the
model's, not this module's. What the importer cannot be sure of is written as the literal
"CẦN KIỂM TRA" where the schema rejects it (unit ids, province, status, doc_type, issuer level,
uncertain directive ids), and a YAML comment at the top lists, in Vietnamese, what a person must
check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from congkhai.model import csvfile
from congkhai.model.schemas import load_model
from congkhai.render.planfile import front_matter
from congkhai.vietnamese.planid import place_parts, plan_id
from congkhai.vietnamese.text import fold, slug

from . import ROOT, Extraction
from .cites import CHECK
from .units import Scope, match, norm, propose, province_of_district, scope_of, split_names

#: The start of the note every draft carries until a person writes what they checked: with the
#: YAML comment "CẦN KIỂM TRA", the importer's review marker (``make ci-review-markers``).
DRAFT_NOTE = "Bản nháp do công cụ nhập"

_TOPICS = {
    "dan_van": r"dan van",
    "dan_van_chinh_quyen": r"dan van chinh quyen",
    "dan_chu_co_so": r"dan chu o co so|quy che dan chu|qcdc",
    "dan_van_kheo": r"dan van kheo",
    "chinh_quyen_than_thien": r"chinh quyen than thien",
    "cai_cach_hanh_chinh": r"cai cach hanh chinh",
    "tiep_cong_dan": r"tiep cong dan|khieu nai|tiep dan",
    "dao_duc_cong_vu": r"dao duc cong vu|van hoa cong vu",
    "thi_dua_khen_thuong": r"thi dua",
    "ton_giao_dan_toc": r"ton giao|dan toc thieu so",
    "tuyen_truyen": r"tuyen truyen",
}


def _units(root: Path = ROOT) -> list[dict[str, str]]:
    try:
        return csvfile.read_rows(root / "data" / "units.csv")[1]
    except OSError:
        return []


def match_unit(name: str | None, units: list[dict[str, str]], province: str | None) -> str | None:
    """The unit a name names in a province (no place scope: :func:`.units.match` has it)."""
    if not name:
        return None
    return match(name, units, Scope(province, [], []))


def split_issuers(issuer: str | None) -> list[str]:
    """The issuers the draft lists, from the header's issuer text ("A và B", "A - B")."""
    return [x for x in re.split(r"\s+và\s+|\s+-\s+", issuer or "") if x.strip()] if issuer else []


def _plan_id(ex: Extraction) -> str:
    """The plan's id by the one rule (:mod:`congkhai.vietnamese.planid`)."""
    h = ex.header
    return plan_id(
        place_parts(ex.place.province, ex.place.district, ex.place.commune, ex.level), h.date, h.number, h.title
    )


def settle_place(ex: Extraction, units: list[dict[str, str]]) -> None:
    """A district named without its province ("huyện Cao Lộc"): the province whose bodies in
    data/units.csv are that district's."""
    if ex.place.province is None and (guess := province_of_district(ex.place.district, units)):
        ex.place.province = guess


def issuer_bodies(ex: Extraction) -> list[str]:
    """The issuing bodies without the superior printed above them ("UBND HUYỆN CAO LỘC" over
    "ỦY BAN NHÂN DÂN XÃ HỢP THÀNH"), one for each issuer the draft lists."""
    printed = split_issuers(ex.header.issuer)
    bodies = [i.name for i in ex.header.issuer_list()]
    return bodies if len(bodies) == len(printed) else printed


def named_bodies(ex: Extraction) -> list[str]:
    """Every body the draft names: its issuers, then each task's lead and partners, in order."""
    names = issuer_bodies(ex)
    for t in ex.tasks:
        names += split_names(t.lead) + split_names(t.partners)
    return list(dict.fromkeys(n for n in names if n.strip()))


def unit_proposals(ex: Extraction, units: list[dict[str, str]]) -> tuple[dict[str, str], list[dict[str, str]]]:
    """The draft's bodies → unit ids (matched or proposed), and the rows proposed for data/units.csv."""
    return propose(named_bodies(ex), units, scope_of(ex), ex.level)


@dataclass(frozen=True)
class Draft:
    """A draft plan file: its text, the catalogue rows and the unit rows it needs."""

    markdown: str
    new_directives: list[dict[str, Any]]
    new_units: list[dict[str, str]]
    issuer_units: tuple[str, ...] = ()
    units_matched: int = 0  # bodies named that data/units.csv already has


def _about(name: str) -> str:
    """A plan field, child table or catalogue as a clerk sees it on the form: its Vietnamese title
    from the schema, then its code (``Tình trạng (status)``) for whoever reads the YAML."""
    model = load_model()
    if name in model.tables and name not in {"plans"}:
        return f"{model.tables[name].title} ({name})"
    return f"{model.plan_table.field(name).title} ({name})"


def draft_note(source_file: str, checks: list[str]) -> str:
    """The draft's ``notes``: the importer's note and, one per line, what a person must check — the
    same list as the comment at the top of the file, here because the plan form shows fields, not
    YAML comments (and drops them when it saves). The reviewer replaces it with a note of their own."""
    lines = [f"{DRAFT_NOTE} (build_site.py import) tạo từ {source_file}; cần người kiểm tra đối chiếu với bản gốc."]
    if checks:
        lines.append("Việc cần kiểm tra:")
        lines += [f"- {c}" for c in dict.fromkeys(checks)]
    lines.append("Khi đã kiểm tra xong, thay ghi chú này bằng ghi chú của người kiểm tra (hoặc để trống).")
    return "\n".join(lines)


def draft_plan(
    extraction: Extraction, catalogue_rows: list[dict[str, Any]], source_file: str
) -> tuple[str, list[dict[str, Any]]]:
    """The draft's text and the new catalogue rows (against the checkout's units)."""
    d = make_draft(extraction, catalogue_rows, source_file, _units())
    return d.markdown, d.new_directives


def make_draft(
    extraction: Extraction,
    catalogue_rows: list[dict[str, Any]],
    source_file: str,
    units: list[dict[str, str]],
    existing_id: str | None = None,
) -> Draft:
    """The draft plan file; ``existing_id`` keeps the id of the plan this file updates."""
    ex, h = extraction, extraction.header
    checks: list[str] = []
    settle_place(ex, units)
    province = ex.place.province
    pid = existing_id or _plan_id(ex)
    unit_ids, new_units = unit_proposals(ex, units)

    def unit_list(text: str | None) -> list[str]:
        if not text:
            return [CHECK]
        out = [unit_ids.get(n) or CHECK for n in split_names(text)]
        return list(dict.fromkeys(out)) or [CHECK]

    doc_type = h.doc_type or CHECK
    if h.doc_type is None:
        checks.append(f"{_about('doc_type')}: không nhận ra loại văn bản (dòng “KẾ HOẠCH”…) — chọn trong danh sách.")
    title = h.title or CHECK
    if h.title is None:
        checks.append(f"{_about('title')}: không tìm thấy trích yếu; ghi trích yếu như in trên văn bản.")
    if h.number is None:
        status_num = "absent"
        checks.append(f"{_about('number_symbol')}: văn bản không in số, ký hiệu — kiểm tra lại bản gốc.")
    else:
        status_num = h.number_status
    issuer_names: list[str | None] = list(split_issuers(h.issuer))
    bodies = issuer_bodies(ex)
    issuer_units = [unit_ids.get(b) or CHECK for b in bodies] or [CHECK]
    if CHECK in issuer_units:
        checks.append(
            f"{_about('issuers')}: “{h.issuer or '?'}” chưa có trong danh mục cơ quan — chọn cơ quan trong danh sách."
        )
    if new_units:
        checks.append(
            f"{_about('units')}: {len(new_units)} cơ quan chưa có trong danh mục, công cụ nhập đã đề xuất thành dòng mới "
            "cuối data/units.csv trong cùng yêu cầu (ô chọn ghi “mới”) — kiểm tra tên, loại, cấp và đơn vị cấp trên ở tab "
            "Files changed: " + ", ".join(u["id"] for u in new_units) + "."
        )
    if "issuer" in h.inferred:
        checks.append(f"{_about('issuers')}: được suy ra từ câu dẫn của nội dung, không in ở phần đầu.")
    level = ex.level or CHECK
    if ex.level is None:
        checks.append(f"{_about('issuer_level')}: không xác định được — chọn trong danh sách.")
    prov = province or CHECK
    if province is None:
        checks.append(f"{_about('province')}: không xác định được — chọn trong danh sách.")
    else:
        checks.append(f"{_about('province')}: “{province}” được suy ra từ nội dung — kiểm tra.")
    precision = {10: "day", 7: "month", 4: "year"}.get(len(h.date or ""))
    if h.date is None:
        checks.append(f"{_about('issue_date')}: văn bản không in ngày ban hành.")
    named = [(n, u) for n, u in zip(bodies, issuer_units, strict=False) if n and u != CHECK]

    def signer_unit(on_behalf_of: str | None) -> str:
        """The issuer a signer signs for ("TM. ỦY BAN NHÂN DÂN"), or the only issuer."""
        if on_behalf_of:
            got = [u for n, u in named if norm(n).startswith(norm(on_behalf_of))]
            if len(set(got)) == 1:
                return got[0]
        return named[0][1] if len(named) == 1 and len(issuer_names) == 1 else CHECK

    signers: list[dict[str, Any]] = [
        {
            "capacity": s.capacity,
            "on_behalf_of": s.on_behalf_of,
            "position": s.position,
            "name": s.name,
            "unit": signer_unit(s.on_behalf_of),
        }
        for s in h.signers
    ]
    if h.signers:
        checks.append(f"{_about('signers')}: chọn đơn vị của từng người ký; kiểm tra thẩm quyền ký và chức vụ.")
    # directives
    citations: list[dict[str, Any]] = []
    new_rows: list[dict[str, Any]] = []
    for c in ex.directives:
        did = c.directive_id if c.sure else f"{CHECK}: {c.directive_id}"
        if not c.sure:
            checks.append(
                f"{_about('citations')}: “{c.raw[:80]}” — không chắc mã văn bản; chọn mã đúng (gợi ý {c.directive_id})."
            )
        if c.new_row is not None:
            new_rows.append(c.new_row)
        relation = c.preamble_relation if "preamble" in c.sections and c.preamble_relation else "dan_chieu"
        citations.append({"directive": did, "relation": relation, "sections": list(c.sections)})
    if new_rows:
        checks.append(
            f"{_about('citations')}: {len(new_rows)} văn bản chưa có trong danh mục, công cụ nhập đã đề xuất thành dòng mới "
            "cuối data/directives.csv trong cùng yêu cầu — kiểm tra ở tab Files changed."
        )
    # tasks
    tasks: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for t in ex.tasks:
        base = slug(t.section) or "nv"
        seen[base] = seen.get(base, 0) + 1
        tasks.append(
            {
                "id": base if seen[base] == 1 else f"{base}-{seen[base]}",
                "section": t.section,
                "text": t.text,
                "lead": t.lead,
                "lead_units": unit_list(t.lead),
                "partners": t.partners,
                "partner_units": unit_list(t.partners) if t.partners else [],
                "deadline": t.deadline,
                "due_date": t.due_date,
                "recurrence": t.recurrence,
                "status": "not_reported",
                "inferred": list(t.inferred),
            }
        )
    if ex.tasks:
        checks.append(
            f"{_about('tasks')}: do công cụ tách tự động — kiểm tra đơn vị chủ trì, đơn vị phối hợp và thời hạn."
        )
    checks.append(f"{_about('status')}: chọn tình trạng của văn bản (ví dụ “Đang thực hiện”).")
    topics = [k for k, rx in _TOPICS.items() if re.search(rx, fold(ex.body.markdown))]
    source_kind = (
        "news_article"
        if h.news
        else ("draft" if status_num == "blank" else ("web_copy" if ex.debris or h.number is None else "original"))
    )
    inferred_fields = ["issuers", "issuer_level", "province"] + [f for f in h.inferred if f not in ("issuer",)]
    values: dict[str, Any] = {
        "id": pid,
        "doc_type": doc_type,
        "title": title,
        "number_symbol": h.number,
        "number_status": status_num,
        "issuers": [
            {"unit": unit, "as_printed": name} for name, unit in zip(issuer_names or [None], issuer_units, strict=False)
        ],
        "issuer_level": level,
        "province": prov,
        "place": h.place,
        "issue_date": h.date,
        "issue_date_precision": precision,
        "effective_date": None,
        "status": CHECK,
        "signers": signers,
        "recipients": [r.replace(";", ",") for r in h.recipients],
        "topics": topics,
        "source_kind": source_kind,
        "source_file": source_file,
        "source_url": None,
        "inferred": list(dict.fromkeys(inferred_fields)),
        "notes": draft_note(source_file, checks),
        "citations": citations,
        "tasks": tasks,
    }
    comments = [
        "CẦN KIỂM TRA — bản nháp do công cụ nhập tạo; sửa các mục sau rồi xóa các dấu “CẦN KIỂM TRA”:",
        *(f"  - {c}" for c in dict.fromkeys(checks)),
    ]
    known = {u.get("id") for u in units}
    return Draft(
        front_matter(load_model(), values, comments=comments) + ex.body.markdown,
        new_rows,
        new_units,
        tuple(u for u in issuer_units if u != CHECK),
        len({i for i in unit_ids.values() if i in known}),
    )
