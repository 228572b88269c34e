"""Disclosure compliance and the directory of information to be disclosed.

Per plan: working days from issue to disclosure against the deadline of the disclosure rule that
applies (``data/disclosure_rules.yaml``: per issuer level and document type, each value with its
citation and confidence), and whether the posting period was met. And the "danh mục thông tin
phải công khai" (Decree 13/2018/NĐ-CP Art 6): name, number and symbol, date, forms, time and
duration of disclosure, link. Rows for the ``compliance`` and ``directory`` datasets
(``schemas/compliance.schema.yaml``, ``schemas/directory.schema.yaml``); ``render/compliance.py``
writes a page from each.

Inputs are plain rows: plan rows (``id``, ``issue_date`` + ``issue_date_precision``,
``issuer_level``, ``doc_type``, ``published_on`` — the day published on this site, from
``published_date`` or git — ``posting_days``…) and ``disclosures`` rows (``plan_id``, ``form``,
``started``, ``ended``). Dates may be ISO strings or ``date`` objects; ``today`` is injected.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from ..model import sitemap
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
