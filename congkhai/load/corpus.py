"""The corpus of one run, built once: every plan and reference table read, checked and derived.

:func:`validate` finds the files, reads and shapes each plan once (cached per file content by
:mod:`.plancache`), reads the reference tables, runs every check, adds the git dates and derives
the disclosure tables. The result is one read-only :class:`Corpus`, passed explicitly to every
renderer and command: nothing downstream reads a plan again or reaches for a global model, and the
published view and the indexes by id are computed once, on first use.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from ..checks.files import check_files, inside, plan_sources
from ..checks.hygiene import check_reference_text
from ..checks.links import check_links
from ..checks.markup import check_markup
from ..checks.rules import check_rules
from ..checks.table import check_table
from ..model.findings import Finding, Severity
from ..model.schemas import Model, load_model
from ..parallel import uncollected
from ..read.frontmatter import Source
from ..read.history import History, read_history, sources_modified
from ..read.records import Origin, Row, Tables, read_reference
from ..timing import stage
from .compact import share_strings
from .plancache import Head, plan_works

PLANS_DIR = Path("docs") / "plans"
VIET_NAM = ZoneInfo("Asia/Ho_Chi_Minh")


def today_in_viet_nam(now: dt.datetime | None = None) -> dt.date:
    """The date in Viet Nam at ``now`` (default: the clock): the "today" of every build.

    Future issue dates, monitoring's overdue and due-this-month states and the feeds' dates are
    about Vietnamese calendar days, so they must not depend on the runner's time zone: a CI runner
    on UTC reads 17 March until 07:00 on the 18th in Viet Nam. ``--today`` overrides it."""
    return (now or dt.datetime.now(dt.UTC)).astimezone(VIET_NAM).date()


@dataclass(frozen=True)
class Corpus:
    """Everything one run knows about the repository, read once.

    ``tables`` are the rows as written, each with its origin (file, line) for findings; the
    ``published`` view is what the datasets and pages show (derived columns filled, stable
    order). Treat both as read-only: renderers receive the same rows, and a renderer that changed
    one would change what the next renderer shows (``tests/test_corpus_model.py`` checks that a
    whole build leaves the corpus as it found it).
    """

    root: Path
    model: Model
    sources: list[Source]
    tables: Tables
    findings: list[Finding]
    mentions: Mapping[str, Counter[str]] = field(default_factory=dict)
    today: dt.date = field(default_factory=today_in_viet_nam)
    history: History = field(default_factory=History)

    @cached_property
    def modified(self) -> str | None:
        """When the sources last changed (git, else ``SOURCE_DATE_EPOCH``): the datasets' date."""
        return sources_modified(self.root)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @cached_property
    def published(self) -> dict[str, list[Row]]:
        """The published rows of every table (see :func:`published_rows`), computed once."""
        return published_rows(self.model, self.tables, self.mentions)

    @cached_property
    def bodies(self) -> dict[str, str]:
        """Plan id → the plan's Markdown text (after the front matter)."""
        return {s.data["id"]: s.body for s in self.sources if s.data and isinstance(s.data.get("id"), str)}

    def shed(self) -> None:
        """Let go what only the checks needed, once they have all run and before a build forks its
        workers: the rows as written with their origins (the ``published`` rows, made here first,
        are what the build reads) and each plan's marks of where every key stands (the findings
        already carry their lines). Each forked worker copies the pages of every object it touches
        (reference counts), so what the build process holds is paid once per process; these were a
        third of it (2,000 plans: about 120 of 360 MiB). Only the command line calls it: a corpus
        used for anything but building a site stays whole."""
        with uncollected():  # the published rows live on, what goes is freed by reference count
            self.published, self.bodies  # noqa: B018 — made from the rows before they go
            for src in self.sources:
                src.marks = {}
            self.tables.rows.clear()
            self.tables.origins.clear()
            # the rows and front matter that stay hold each text once (they held about half their
            # bytes in duplicates: every plan decoded apart)
            share_strings([s.data for s in self.sources if s.data is not None] + list(self.published.values()))

    def by_id(self, table: str, key: str = "id") -> dict[Any, Row]:
        """The published rows of ``table`` by ``key`` (first row wins), built once per table."""
        index = self._indexes.get((table, key))
        if index is None:
            index = {}
            for row in self.published.get(table, []):
                index.setdefault(row.get(key), row)
            self._indexes[(table, key)] = index
        return index

    @cached_property
    def _indexes(self) -> dict[tuple[str, str], dict[Any, Row]]:
        return {}


def published_rows(model: Model, tables: Tables, mentions: Mapping[str, Counter[str]]) -> dict[str, list[Row]]:
    """The published rows of every table, derived columns filled, in a stable order."""
    plan_order = {
        pid: i
        for i, pid in enumerate(sorted(r["id"] for r in tables.rows.get("plans", []) if isinstance(r.get("id"), str)))
    }
    citing: Counter[str] = Counter()
    for row in tables.rows.get("citations", []):
        if isinstance(row.get("directive"), str):
            citing[row["directive"]] += 1
    out: dict[str, list[Row]] = {}
    for table in model.tables.values():
        rows = [dict(r) for r in tables.rows.get(table.name, [])]
        if table.name == "citations":
            for r in rows:
                r["mention_count"] = mentions.get(r.get("plan_id") or "", Counter()).get(r.get("directive") or "", 0)
        if table.name == "directives":
            for r in rows:
                r["citing_plans"] = citing.get(r.get("id") or "", 0)
        if table.name == "plans":
            rows.sort(key=lambda r: str(r.get("id")))
        elif "plan_id" in table.field_names:
            indexed = list(enumerate(rows))
            indexed.sort(key=lambda p: (plan_order.get(p[1].get("plan_id"), len(plan_order)), p[0]))
            rows = [r for _, r in indexed]
        else:
            pk = table.primary_key or tuple(table.field_names[:1])
            rows.sort(key=lambda r: tuple(str(r.get(k) or "") for k in pk))
        out[table.name] = rows
    return out


def plan_files(root: Path) -> list[Path]:
    """The plans of the checkout, never through a symbolic link (links are findings)."""
    return sorted(plan_sources(root))


def validate(
    root: Path, only: list[Path] | None = None, today: dt.date | None = None, since: str | None = None
) -> Corpus:
    """Check every plan and reference table; with ``only``, report just those files' findings.

    Every plan takes part, because ids must be unique and references must resolve across the
    whole repository even when a pull request touches one file; but what a plan says on its own
    is worked out once per file content (:mod:`.plancache`), so a one-file check in a large
    repository re-reads only that file, and the other plans contribute only their plan row.
    """
    with uncollected():  # what is made here lives on: the collector's walks of it would be wasted
        return _validate(root, only, today, since)


def _validate(root: Path, only: list[Path] | None, today: dt.date | None, since: str | None) -> Corpus:
    root = root.resolve()
    model = load_model()
    today = today or today_in_viet_nam()
    tables = Tables({}, {}, [])
    findings: list[Finding] = []
    broken: set[str] = set()
    for table in model.tables.values():
        if table.reference_path:
            path = root / table.reference_path
            if path.is_symlink() or (path.exists() and not inside(root, path)):
                continue  # never read through a link: check_files reports it
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
    if only:  # a plan given by path outside docs/plans (a draft, an import) is checked against the rest
        known = {p.resolve() for p in files}
        files += sorted(
            p for p in only if p.suffix == ".md" and not p.is_symlink() and p.is_file() and p.resolve() not in known
        )
    wanted = None if only is None else {_rel(p, root) for p in only}
    with stage("validate.plans"):
        works = plan_works(
            root,
            files,
            model,
            tables.rows.get("directives", []),
            None if wanted is None else partial(_is_wanted, wanted=wanted),
        )
    sources: list[Source] = []
    mentions: dict[str, Counter[str]] = {}
    expected_ids: dict[str, str | None] = {}  # the id rule's verdict on each plan row, from the plan cache
    for work in works:
        if isinstance(work, Head) or (wanted is not None and not _is_wanted(work.source.path, wanted)):
            # another plan, there only to be checked against: its id and what it says of itself
            if work.plan_row is not None:
                file = work.path if isinstance(work, Head) else work.source.path
                tables.add("plans", dict(work.plan_row), Origin(file, None, ()))
            continue
        src = work.source
        sources.append(src)
        expected_ids[src.path] = work.expected_id
        findings += work.findings
        findings += check_links(root, src)  # not cached: depends on other files than the plan
        if "directives" not in broken:
            findings += work.body_findings
        for name, row, where, leaf in work.rows:
            tables.add(name, dict(row), Origin(src.path, src, where, leaf=leaf))
        if src.data is not None and isinstance(src.data.get("id"), str):
            mentions[src.data["id"]] = work.mentions
    tables.sources = sources
    history = read_history(root)  # one git log: publication dates here, page dates and versions later
    added = history.first_seen
    for plan in tables.rows.get("plans", []):
        given = plan.get("published_date")
        plan["published_on"] = given if isinstance(given, str) else (added.get(plan["path"], "")[:10] or None)
    references = [t.name for t in model.tables.values() if t.reference_path]
    # A one-file check of plans reports nothing about the reference tables: their rows are only
    # what the plan's keys point at, so their own checks are left to the run that names them.
    reference_checks = wanted is None or any(
        _is_wanted(str(t.reference_path), wanted) for t in model.tables.values() if t.reference_path
    )
    for table in model.tables.values():  # plan rows had their row checks with their plan
        if table.reference_path and reference_checks:
            findings += check_table(model, table, tables)
    with stage("validate.rules"):
        subjects = None if reference_checks else frozenset(model.tables) - frozenset(references)
        findings += check_rules(model, tables, today, frozenset(broken), subjects, expected_ids)
    if reference_checks:
        findings += check_reference_text(tables, references, model)
    findings += check_markup(model, tables)  # cheap, on every row: plans and reference tables
    if since:  # nothing published is lost: every plan id at `since` must still exist
        from ..checks.published import removed_plans

        current = {r["id"] for r in tables.rows.get("plans", []) if isinstance(r.get("id"), str)}
        findings += removed_plans(root, since, current)
    if wanted is not None:
        findings = [f for f in findings if _is_wanted(f.file, wanted)]
    # What the site would publish or the build would read is checked on every run, whatever files
    # were named: a pull request that adds a link or a page-like file is never let through.
    findings += check_files(root)
    if not [f for f in findings if f.severity is Severity.ERROR] and (
        wanted is None or _is_wanted(RULES, wanted) or _is_wanted(OVERRIDES, wanted)
    ):  # a one-file check needs no compliance table, only word of a broken rules file it names
        findings += disclosure_rows(root, tables, today)
    return Corpus(root, model, sources, tables, sorted(set(findings), key=Finding.sort_key), mentions, today, history)


RULES = "data/disclosure_rules.yaml"
OVERRIDES = "data/holiday_overrides.csv"


def disclosure_rows(root: Path, tables: Tables, today: dt.date) -> list[Finding]:
    """Fill the derived compliance and directory tables (Law 10/2022 Art 12; Decree 13/2018 Art 6).

    Computed only from valid records; a rules or calendar file that cannot be read is a finding.
    """
    import yaml

    from ..derive.compliance import RULES_YAML, compliance_rows, directory_rows, load_rules
    from ..vietnamese.workdays import WorkCalendar

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


def _is_wanted(file: str, wanted: set[str]) -> bool:
    return any(file == w or file.startswith(w.rstrip("/") + "/") for w in wanted)


def _rel(path: Path, root: Path) -> str:
    """Repository-relative POSIX path, as findings name files."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
