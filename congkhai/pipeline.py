"""Wire the stages: find files → read → rows → checks; the build adds datasets, pages and site."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .checks.body import check_body
from .checks.hygiene import check_reference_text, check_source_text
from .checks.rules import check_rules
from .checks.structure import check_structure
from .checks.table import check_tables
from .directives import Catalogue
from .findings import Finding, Severity
from .frontmatter import Source, read_source
from .history import first_seen
from .records import Tables, plan_rows, read_reference
from .schemas import Model, load_model

PLANS_DIR = Path("docs") / "plans"


@dataclass
class Validation:
    root: Path
    model: Model
    sources: list[Source]
    tables: Tables
    findings: list[Finding]
    mentions: dict[str, Counter[str]] = field(default_factory=dict)
    today: dt.date = field(default_factory=dt.date.today)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]


def plan_files(root: Path) -> list[Path]:
    base = root / PLANS_DIR
    return sorted(p for p in base.rglob("*.md") if p.name != "index.md") if base.is_dir() else []


def validate(
    root: Path, only: list[Path] | None = None, today: dt.date | None = None, since: str | None = None
) -> Validation:
    """Check every plan and reference table; with ``only``, report just those files' findings.

    All plans are always read, because ids must be unique and references must resolve across
    the whole repository even when a pull request touches one file.
    """
    root = root.resolve()
    model = load_model()
    today = today or dt.date.today()
    tables = Tables({}, {}, [])
    findings: list[Finding] = []
    broken: set[str] = set()
    for table in model.tables.values():
        if table.reference_path:
            path = root / table.reference_path
            if path.exists():
                problems = read_reference(path, table.reference_path, table, tables)
            else:
                problems = [
                    Finding(
                        table.reference_path, 0, 0, "", "unreadable-file", {"reason": "không có tệp / missing file"}
                    )
                ]
            if problems:
                broken.add(table.name)
                findings += problems
    files = plan_files(root)
    known = {p.resolve() for p in files}
    # a plan given by path outside docs/plans (a draft, an import) is checked against the rest
    files += sorted(p for p in only or [] if p.suffix == ".md" and p.is_file() and p.resolve() not in known)
    sources = [read_source(p, root) for p in files]
    tables.sources = sources
    for src in sources:
        findings += src.findings
        findings += check_structure(model, src)
        findings += check_source_text(src)
        plan_rows(model, src, tables)
    added = first_seen(root)
    for plan in tables.rows.get("plans", []):
        given = plan.get("published_date")
        plan["published_on"] = given if isinstance(given, str) else (added.get(plan["path"], "")[:10] or None)
    findings += check_tables(model, tables)
    findings += check_rules(model, tables, today, frozenset(broken))
    findings += check_reference_text(tables, [t.name for t in model.tables.values() if t.reference_path])
    catalogue = Catalogue.build(tables.rows.get("directives", []))
    mentions: dict[str, Counter[str]] = {}
    for src in sources:
        if src.data is None:
            continue
        body_findings, counted = check_body(src, catalogue)
        if "directives" not in broken:
            findings += body_findings
        if isinstance(src.data.get("id"), str):
            mentions[src.data["id"]] = counted
    if since:  # nothing published is lost: every plan id at `since` must still exist
        from .published import removed_plans

        current = {r["id"] for r in tables.rows.get("plans", []) if isinstance(r.get("id"), str)}
        findings += removed_plans(root, since, current)
    if only is not None:
        wanted = {_rel(p, root) for p in only}
        findings = [f for f in findings if any(f.file == w or f.file.startswith(w.rstrip("/") + "/") for w in wanted)]
    if not [f for f in findings if f.severity is Severity.ERROR]:
        findings += disclosure_rows(root, tables, today)
    return Validation(root, model, sources, tables, sorted(set(findings), key=Finding.sort_key), mentions, today)


RULES = "data/disclosure_rules.yaml"
OVERRIDES = "data/holiday_overrides.csv"


def disclosure_rows(root: Path, tables: Tables, today: dt.date) -> list[Finding]:
    """Fill the derived compliance and directory tables (Law 10/2022 Art 12; Decree 13/2018 Art 6).

    Computed only from valid records; a rules or calendar file that cannot be read is a finding.
    """
    import yaml

    from .compliance import RULES_YAML, compliance_rows, directory_rows, load_rules
    from .workdays import WorkCalendar

    try:
        rules = load_rules(root / RULES if (root / RULES).exists() else RULES_YAML)  # the project's defaults
        calendar = WorkCalendar(root / OVERRIDES if (root / OVERRIDES).exists() else None)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        where = RULES if RULES in str(exc) or not (root / RULES).exists() else OVERRIDES
        return [Finding(where, 0, 0, "", "unreadable-file", {"reason": str(exc)})]
    plans = tables.rows.get("plans", [])
    disclosures = tables.rows.get("disclosures", [])
    tables.rows["compliance"] = compliance_rows(plans, disclosures, calendar, rules, today)
    tables.rows["directory"] = directory_rows(plans, disclosures)
    return []


def _rel(path: Path, root: Path) -> str:
    """Repository-relative POSIX path, as findings name files."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
