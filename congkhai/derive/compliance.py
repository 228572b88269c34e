"""Disclosure compliance and the directory of information to be disclosed.

Per plan: working days from issue to disclosure against the deadline of the disclosure rule that
applies (``data/disclosure_rules.yaml``: per issuer level and document type, each value with its
citation and confidence), and whether the posting period was met. And the "danh mục thông tin
phải công khai" (Decree 13/2018/NĐ-CP Art 6): name, number and symbol, date, forms, time and
duration of disclosure, link. Rows for the ``compliance`` and ``directory`` datasets
(``schemas/compliance.schema.yaml``, ``schemas/directory.schema.yaml``) and a page for each.

Inputs are plain rows: plan rows (``id``, ``issue_date`` + ``issue_date_precision``,
``issuer_level``, ``doc_type``, ``published_on`` — the day published on this site, from
``published_date`` or git — ``posting_days``…) and ``disclosures`` rows (``plan_id``, ``form``,
``started``, ``ended``). Dates may be ISO strings or ``date`` objects; ``today`` is injected.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from ..model import sitemap
from ..model.schemas import Model
from ..render.markdown import esc
from ..render.markdown import table as md_table
from ..vietnamese.text import date_vi, fold
from ..vietnamese.workdays import WorkCalendar

NONE = "—"  # shown for a missing date

RULES_YAML = Path(__file__).resolve().parents[2] / "data" / "disclosure_rules.yaml"
CONFIDENCE = ("law", "secondary", "check")
RULE_VALUES = ("deadline_working_days", "min_posting_days", "posting_forms")
RESULTS = ("on_time", "late", "unknown")
REASONS = {
    "no_rule": ("Không có quy tắc công khai áp dụng", "No disclosure rule applies"),
    "no_deadline_rule": ("Quy tắc chưa có thời hạn công khai", "The rule sets no deadline"),
    "no_issue_date": ("Không ghi ngày ban hành", "No date of issue"),
    "issue_date_not_exact": ("Ngày ban hành chỉ ghi tháng hoặc năm", "Date of issue known only to the month or year"),
    "invalid_issue_date": ("Ngày ban hành không hợp lệ", "Invalid date of issue"),
    "not_disclosed": ("Chưa có ngày công khai", "Not disclosed yet"),
    "disclosed_elsewhere": (
        "Bản sao từ nơi khác, chưa ghi ngày công khai gốc (mục disclosures)",
        "A copy from elsewhere: the original disclosure date is not recorded (disclosures)",
    ),
    "disclosed_before_issue": ("Ngày công khai trước ngày ban hành", "Disclosed before the date of issue"),
}
RESULT_VI = {"on_time": "Đúng hạn", "late": "Trễ hạn", "unknown": "Chưa xác định"}

Row = dict[str, Any]


# ---- rules -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleValue:
    value: Any
    citation: Mapping[str, Any]
    confidence: str
    note: str = ""

    def cite(self, laws: Mapping[str, Mapping[str, str]]) -> str:
        """``Luật Thực hiện dân chủ ở cơ sở 10/2022/QH15, Điều 12, khoản 2 [secondary]``."""
        c = self.citation
        law = str(c["law"])
        name = laws.get(law, {}).get("vi", "")
        parts = [f"{name} {law}".strip()]
        if c.get("article") is not None:
            parts.append(f"Điều {c['article']}")
        if c.get("clause") is not None:
            parts.append(f"khoản {c['clause']}")
        if c.get("point") is not None:
            parts.append(f"điểm {c['point']}")
        return ", ".join(parts) + f" [{self.confidence}]"


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    issuer_levels: tuple[str, ...] | None  # None: any
    doc_types: tuple[str, ...] | None
    values: Mapping[str, RuleValue]
    laws: Mapping[str, Mapping[str, str]]

    def get(self, name: str) -> Any:
        v = self.values.get(name)
        return None if v is None else v.value

    def matches(self, plan: Mapping[str, Any]) -> bool:
        level_ok = self.issuer_levels is None or plan.get("issuer_level") in self.issuer_levels
        type_ok = self.doc_types is None or plan.get("doc_type") in self.doc_types
        return level_ok and type_ok

    def citation(self, name: str) -> str:
        v = self.values.get(name)
        return "" if v is None else v.cite(self.laws)


def _selector(value: Any, where: str) -> tuple[str, ...] | None:
    if value == "*":
        return None
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ValueError(f'{where}: expected a list of codes or "*", not {value!r}')


def parse_rules(data: Mapping[str, Any], where: str = "disclosure rules") -> list[Rule]:
    """Rules from the parsed YAML; every value must carry a citation (law, article) and a confidence."""
    laws = data.get("laws") or {}
    rules: list[Rule] = []
    seen: set[str] = set()
    for i, raw in enumerate(data.get("rules") or []):
        rid = raw.get("id")
        here = f"{where}: rules[{i}] ({rid})"
        if not rid or rid in seen:
            raise ValueError(f"{here}: missing or duplicate id")
        seen.add(rid)
        applies = raw.get("applies_to") or {}
        values: dict[str, RuleValue] = {}
        for name in RULE_VALUES:
            spec = raw.get(name)
            if spec is None:
                raise ValueError(f"{here}: {name} is missing (write value: null with a citation if unknown)")
            citation = spec.get("citation") or {}
            if not citation.get("law") or citation.get("article") is None:
                raise ValueError(f"{here}: {name} needs a citation with law and article")
            if str(citation["law"]) not in laws:
                raise ValueError(f"{here}: {name} cites {citation['law']!r}, which is not under laws")
            if spec.get("confidence") not in CONFIDENCE:
                raise ValueError(f"{here}: {name} needs a confidence, one of {CONFIDENCE}")
            value = spec.get("value")
            if name != "posting_forms" and value is not None and (not isinstance(value, int) or value < 0):
                raise ValueError(f"{here}: {name} must be a whole number of days or null")
            if name == "posting_forms" and not isinstance(value, list):
                raise ValueError(f"{here}: posting_forms must be a list of disclosure_form codes")
            values[name] = RuleValue(value, citation, spec["confidence"], " ".join(str(spec.get("note") or "").split()))
        title = raw.get("title") or {}
        rules.append(
            Rule(
                id=rid,
                title=title.get("vi", rid) if isinstance(title, dict) else str(title),
                issuer_levels=_selector(applies.get("issuer_level", "*"), here),
                doc_types=_selector(applies.get("doc_type", "*"), here),
                values=values,
                laws=laws,
            )
        )
    return rules


def load_rules(path: Path = RULES_YAML) -> list[Rule]:
    with path.open(encoding="utf-8") as fh:
        return parse_rules(yaml.safe_load(fh) or {}, str(path))


def rule_for(plan: Mapping[str, Any], rules: Sequence[Rule]) -> Rule | None:
    """The first rule whose issuer levels and document types match the plan."""
    return next((r for r in rules if r.matches(plan)), None)


# ---- compliance rows -------------------------------------------------------------------------


def _date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _by_plan(disclosures: Iterable[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    out: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for d in disclosures:
        out[str(d.get("plan_id"))].append(d)
    return out


def _exact_issue_date(plan: Mapping[str, Any]) -> tuple[date | None, str | None]:
    raw = plan.get("issue_date")
    if raw is None or raw == "":
        return None, "no_issue_date"
    precision = plan.get("issue_date_precision")
    text = raw.isoformat() if isinstance(raw, date) else str(raw)
    if precision in ("month", "year") or len(text) < 10:
        return None, "issue_date_not_exact"
    d = _date(text)
    return (d, None) if d else (None, "invalid_issue_date")


def _posting(
    plan: Mapping[str, Any], rule: Rule | None, rows: Sequence[Mapping[str, Any]], today: date
) -> tuple[int | None, int | None, bool | None]:
    """(required, actual, met). Calendar days, the first day not counted; the longest posting wins.

    A posting still running (no ``ended``, or ended after ``today``) that has not yet reached the
    required period is neither met nor failed: ``None``.
    """
    own = plan.get("posting_days")
    required = (
        own if isinstance(own, int) and not isinstance(own, bool) else (rule.get("min_posting_days") if rule else None)
    )
    forms = set(rule.get("posting_forms") or ()) if rule else set()
    best: tuple[int, bool] | None = None
    for d in rows:
        started = _date(d.get("started"))
        if d.get("form") not in forms or started is None:
            continue
        ended = _date(d.get("ended"))
        ongoing = ended is None or ended > today
        end = today if ongoing else ended
        assert end is not None
        actual = max(0, (end - started).days)
        if best is None or actual > best[0]:
            best = (actual, ongoing)
    if best is None:
        return required, None, None
    actual, ongoing = best
    if required is None:
        return None, actual, None
    if actual >= required:
        return required, actual, True
    return required, actual, None if ongoing else False


def compliance_rows(
    plans: Iterable[Mapping[str, Any]],
    disclosures: Iterable[Mapping[str, Any]],
    calendar: WorkCalendar,
    rules: Sequence[Rule],
    today: date,
) -> list[Row]:
    """One row per plan (in the order given) for the ``compliance`` dataset."""
    by_plan = _by_plan(disclosures)
    out: list[Row] = []
    for plan in plans:
        pid = str(plan["id"])
        rows = by_plan.get(pid, [])
        rule = rule_for(plan, rules)
        issued, reason = _exact_issue_date(plan)
        starts = [s for s in (_date(d.get("started")) for d in rows) if s is not None]
        disclosed: date | None
        source: str | None
        if starts:
            disclosed, source = min(starts), "disclosures"
        elif plan.get("source_kind") in (None, "original"):
            # published through this site: its first appearance here is the disclosure
            disclosed = _date(plan.get("published_on")) or _date(plan.get("published_date"))
            source = "published_on" if disclosed else None
        else:
            # a copy of what was disclosed elsewhere (a portal, the press): the date it reached this
            # site says nothing about when the authority disclosed it, so it must not judge them
            disclosed, source = None, None
            reason = reason or "disclosed_elsewhere"
        deadline_days = rule.get("deadline_working_days") if rule else None
        deadline = calendar.add_working_days(issued, deadline_days) if issued and deadline_days is not None else None
        working = calendar.working_days_between(issued, disclosed) if issued and disclosed else None
        if rule is None:
            reason = "no_rule"
        elif reason is None and disclosed is None:
            reason = "not_disclosed"
        elif reason is None and deadline_days is None:
            reason = "no_deadline_rule"
        elif reason is None and issued and disclosed and disclosed < issued:
            reason = "disclosed_before_issue"
        if reason is None and deadline is not None and disclosed is not None:
            result = "on_time" if disclosed <= deadline else "late"
        else:
            result = "unknown"
        required, actual, met = _posting(plan, rule, rows, today)
        citation = ""
        if rule:
            parts = [f"Thời hạn công khai: {rule.citation('deadline_working_days')}"]
            if isinstance(plan.get("posting_days"), int):
                parts.append("Thời hạn niêm yết: theo văn bản")
            else:
                parts.append(f"Thời hạn niêm yết: {rule.citation('min_posting_days')}")
            citation = "; ".join(parts)
        out.append(
            {
                "plan_id": pid,
                "rule_id": rule.id if rule else None,
                "issue_date": plan.get("issue_date")
                if not isinstance(plan.get("issue_date"), date)
                else _iso(plan["issue_date"]),
                "disclosed_on": _iso(disclosed),
                "disclosed_source": source,
                "working_days": working,
                "deadline_working_days": deadline_days,
                "deadline_confidence": rule.values["deadline_working_days"].confidence if rule else None,
                "deadline_date": _iso(deadline),
                "result": result,
                "reason": reason if result == "unknown" else None,
                "posting_days_required": required,
                "posting_days_actual": actual,
                "posting_met": met,
                "rule_citation": citation or None,
                "as_of": today.isoformat(),
            }
        )
    return out


# ---- directory -------------------------------------------------------------------------------


def directory_rows(
    plans: Iterable[Mapping[str, Any]],
    disclosures: Iterable[Mapping[str, Any]],
    site_paths: Mapping[str, str] | None = None,
) -> list[Row]:
    """The directory of information to be disclosed (Decree 13/2018/NĐ-CP Art 6), newest issue first.

    ``site_paths`` maps plan id → link (a URL, or a path from the site root); by default the
    plan page's path.
    """
    by_plan = _by_plan(disclosures)
    out: list[Row] = []
    for plan in plans:
        pid = str(plan["id"])
        rows = sorted(by_plan.get(pid, []), key=lambda d: (str(d.get("started") or ""), int(d.get("seq") or 0)))
        forms: list[str] = []
        for d in rows:
            if d.get("form") and d["form"] not in forms:
                forms.append(str(d["form"]))
        starts = [s for s in (_date(d.get("started")) for d in rows) if s]
        ends = [_date(d.get("ended")) for d in rows]
        ended = max(e for e in ends if e) if ends and all(ends) else None  # running while any form runs
        started = min(starts) if starts else None
        issue = plan.get("issue_date")
        out.append(
            {
                "plan_id": pid,
                "doc_type": plan.get("doc_type"),
                "title": plan.get("title"),
                "number_symbol": plan.get("number_symbol") or None,
                "issue_date": issue.isoformat() if isinstance(issue, date) else issue,
                "issuer_units": list(plan.get("issuer_units") or []),
                "forms": forms,
                "disclosure_started": _iso(started),
                "disclosure_ended": _iso(ended),
                "disclosure_days": (ended - started).days if started and ended else None,
                "posting_days": plan.get("posting_days"),
                "published_on": _iso(_date(plan.get("published_on")) or _date(plan.get("published_date"))),
                "link": (site_paths or {}).get(pid) or sitemap.plan_path(plan),
            }
        )
    out.sort(key=lambda r: r["plan_id"])
    out.sort(key=lambda r: str(r["issue_date"] or ""), reverse=True)
    return out


# ---- pages -----------------------------------------------------------------------------------


def _href(page: str, link: str) -> str:
    """A link from ``page`` (a .md path) to ``link`` (a URL, or a path from the site root).

    A page's URL (``plans/bac-giang/<id>/``) is linked through its source (``…/<id>.md``) and a
    file by its path, relative to the page's source, as MkDocs expects: its strict mode then checks
    every such link in every build, and rewrites it to the page's URL.
    """
    if re.match(r"^[a-z][a-z0-9+.-]*:", link):
        return html.escape(link, quote=True).replace(" ", "%20").replace(")", "%29")
    target = link.lstrip("/")
    if target.endswith("/") or not target:
        target = target.rstrip("/") + ".md" if target.strip("/") else "index.md"
    return posixpath.relpath(target, posixpath.dirname(page) or ".")


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}".replace(".", ",") + "%" if whole else "—"


def _label(model: Model | None, vocab: str, code: Any) -> str:
    if code is None:
        return ""
    if model is None or vocab not in model.vocabularies:
        return str(code)
    return model.vocabularies[vocab].label(str(code), "vi")


def _plan_name(plan: Mapping[str, Any]) -> str:
    """The number and symbol when a number was printed, else the title."""
    number = str(plan.get("number_symbol") or "")
    return number if number[:1].isdigit() else str(plan.get("title") or plan["id"])


def compliance_page(
    rows: Sequence[Mapping[str, Any]],
    plans: Iterable[Mapping[str, Any]],
    units: Iterable[Mapping[str, Any]] | Mapping[str, Mapping[str, Any]],
    model: Model | None,
    rules: Sequence[Rule] = (),
    page: str = sitemap.COMPLIANCE,
) -> str:
    """The compliance page (Vietnamese Markdown): per issuer and year the on-time rate and the late plans."""
    plan_by_id = {str(p["id"]): p for p in plans}
    unit_rows = units.values() if isinstance(units, Mapping) else units
    unit_name = {str(u["id"]): str(u.get("name") or u["id"]) for u in unit_rows}

    def link(pid: str, text: str | None = None) -> str:
        plan = plan_by_id.get(pid, {"id": pid})
        return f"[{esc(text or _plan_name(plan))}]({_href(page, sitemap.plan_path(plan))})"

    as_of = rows[0]["as_of"] if rows else ""
    counts = {r: sum(1 for x in rows if x["result"] == r) for r in RESULTS}
    out = [
        "# Tuân thủ thời hạn công khai",
        "",
        f"Tính đến ngày {date_vi(as_of, NONE)}: {len(rows)} kế hoạch — {counts['on_time']} công khai đúng hạn, "
        f"{counts['late']} trễ hạn, {counts['unknown']} chưa xác định được. Số ngày làm việc tính từ ngày "
        "tiếp theo ngày ban hành (Bộ luật Dân sự 2015, Điều 147–148), không kể thứ Bảy, Chủ nhật và ngày "
        "nghỉ lễ, Tết (Bộ luật Lao động 2019, Điều 112), có tính ngày hoán đổi. Ngày công khai là ngày bắt "
        "đầu sớm nhất của các hình thức công khai đã ghi; nếu không ghi, là ngày đăng trên trang này.",
        "",
        "Dữ liệu: [compliance.csv](" + _href(page, f"{sitemap.DATA_DIR}/compliance.csv") + ").",
    ]
    if rules:
        out += ["", "## Quy tắc áp dụng", ""]
        out.append(
            md_table(
                ["Quy tắc", "Áp dụng cho", "Thời hạn công khai", "Căn cứ", "Niêm yết tối thiểu", "Căn cứ"],
                (
                    [
                        esc(r.id),
                        esc(r.title),
                        esc(
                            f"{r.get('deadline_working_days')} ngày làm việc"
                            if r.get("deadline_working_days") is not None
                            else "chưa rõ"
                        ),
                        esc(r.citation("deadline_working_days")),
                        esc(
                            f"{r.get('min_posting_days')} ngày" if r.get("min_posting_days") is not None else "chưa rõ"
                        ),
                        esc(r.citation("min_posting_days")),
                    ]
                    for r in rules
                ),
            )
        )
        out += [
            "",
            esc("Mức tin cậy: [law] đã đối chiếu văn bản; [secondary] theo nguồn thứ cấp; [check] chưa xác nhận."),
        ]

    # per issuer and year (a joint plan counts for each issuer)
    groups: dict[tuple[str, str], list[Mapping[str, Any]]] = defaultdict(list)
    for r in rows:
        plan = plan_by_id.get(str(r["plan_id"]), {})
        year = str(r.get("issue_date") or "")[:4] or "Không rõ"
        for unit in plan.get("issuer_units") or ["—"]:
            groups[(str(unit), year)].append(r)

    def gkey(k: tuple[str, str]) -> tuple[str, str, str]:
        return fold(unit_name.get(k[0], k[0])), k[0], k[1]

    out += ["", "## Theo cơ quan ban hành và năm", ""]
    table = []
    for key in sorted(groups, key=gkey):
        grp = groups[key]
        on_time = sum(1 for x in grp if x["result"] == "on_time")
        late = [x for x in grp if x["result"] == "late"]
        unknown = sum(1 for x in grp if x["result"] == "unknown")
        table.append(
            [
                esc(unit_name.get(key[0], key[0])),
                esc(key[1]),
                str(len(grp)),
                str(on_time),
                str(len(late)),
                str(unknown),
                _pct(on_time, on_time + len(late)),
                ", ".join(link(str(x["plan_id"])) for x in late),
            ]
        )
    out.append(
        md_table(
            [
                "Cơ quan ban hành",
                "Năm",
                "Kế hoạch",
                "Đúng hạn",
                "Trễ hạn",
                "Chưa xác định",
                "Tỷ lệ đúng hạn",
                "Kế hoạch trễ hạn",
            ],
            table,
        )
        if table
        else "Chưa có kế hoạch nào."
    )
    out += ["", "Tỷ lệ đúng hạn tính trên các kế hoạch đã xác định được (đúng hạn và trễ hạn)."]

    late_rows = [r for r in rows if r["result"] == "late"]
    out += ["", "## Kế hoạch công khai trễ hạn", ""]
    out.append(
        md_table(
            ["Kế hoạch", "Ngày ban hành", "Hạn chậm nhất", "Ngày công khai", "Số ngày làm việc", "Quy tắc"],
            (
                [
                    link(str(r["plan_id"])),
                    esc(date_vi(r["issue_date"], NONE)),
                    esc(date_vi(r["deadline_date"], NONE)),
                    esc(date_vi(r["disclosed_on"], NONE)),
                    f"{r['working_days']} / {r['deadline_working_days']}",
                    esc(r["rule_id"]),
                ]
                for r in late_rows
            ),
        )
        if late_rows
        else "Không có kế hoạch nào công khai trễ hạn."
    )

    unknown_rows = [r for r in rows if r["result"] == "unknown"]
    out += ["", "## Chưa xác định được", ""]
    out.append(
        md_table(
            ["Kế hoạch", "Ngày ban hành", "Ngày công khai", "Lý do"],
            (
                [
                    link(str(r["plan_id"])),
                    esc(date_vi(r["issue_date"], NONE)),
                    esc(date_vi(r["disclosed_on"], NONE)),
                    esc(REASONS.get(str(r["reason"]), (str(r["reason"]), ""))[0]),
                ]
                for r in unknown_rows
            ),
        )
        if unknown_rows
        else "Đã xác định được tất cả kế hoạch."
    )

    posting = [r for r in rows if r["posting_met"] is not True and r["posting_days_actual"] is not None]
    out += ["", "## Thời hạn niêm yết chưa đủ", ""]
    out.append(
        md_table(
            ["Kế hoạch", "Số ngày phải niêm yết", "Số ngày đã niêm yết", "Tình trạng"],
            (
                [
                    link(str(r["plan_id"])),
                    esc(r["posting_days_required"]),
                    esc(r["posting_days_actual"]),
                    "Chưa đủ" if r["posting_met"] is False else "Đang niêm yết",
                ]
                for r in posting
            ),
        )
        if posting
        else "Không có kế hoạch nào niêm yết chưa đủ thời hạn."
    )
    return "\n".join(out) + "\n"


def directory_page(rows: Sequence[Mapping[str, Any]], model: Model | None = None, page: str = sitemap.DIRECTORY) -> str:
    """The directory of information to be disclosed as a Vietnamese Markdown page."""
    out = [
        "# Danh mục thông tin phải công khai",
        "",
        "Theo Điều 6 Nghị định 13/2018/NĐ-CP: tên văn bản, số và ký hiệu, ngày ban hành, hình thức, "
        "thời điểm và thời hạn công khai, đường dẫn. Dữ liệu: [directory.csv]("
        + _href(page, f"{sitemap.DATA_DIR}/directory.csv")
        + ").",
        "",
    ]
    if not rows:
        return "\n".join(out + ["Chưa có văn bản nào."]) + "\n"
    table = []
    for i, r in enumerate(rows, 1):
        started, ended = r.get("disclosure_started"), r.get("disclosure_ended")
        if started and ended:
            period = f"{date_vi(started, NONE)} – {date_vi(ended, NONE)} ({r['disclosure_days']} ngày)"
        elif started:
            period = f"từ {date_vi(started, NONE)}, đang công khai"
        else:
            period = "—"
        title = f"{_label(model, 'doc_type', r.get('doc_type'))} {r.get('title') or ''}".strip()
        table.append(
            [
                str(i),
                f"[{esc(title)}]({_href(page, str(r['link']))})",
                esc(r.get("number_symbol") or "—"),
                esc(date_vi(r.get("issue_date"), NONE)),
                esc("; ".join(_label(model, "disclosure_form", f) for f in r.get("forms") or []) or "—"),
                esc(period),
                esc(f"{r['posting_days']} ngày" if r.get("posting_days") else "—"),
                esc(date_vi(r.get("published_on"), NONE)),
            ]
        )
    out.append(
        md_table(
            [
                "STT",
                "Tên văn bản",
                "Số, ký hiệu",
                "Ngày ban hành",
                "Hình thức công khai",
                "Thời điểm, thời hạn công khai",
                "Thời hạn niêm yết",
                "Đăng trên trang",
            ],
            table,
        )
    )
    return "\n".join(out) + "\n"
