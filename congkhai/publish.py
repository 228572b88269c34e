"""Build the site and datasets in a staging directory and swap it into place only on success.

A failed validation or a failed MkDocs build leaves the previous ``site/`` untouched.
"""

from __future__ import annotations

import json
import logging
import os
import posixpath
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import compliance, datasets, metadata, mkbuild, monitoring, opendata, published, search, stats
from .checks.rules import source_file_problem
from .history import last_changed
from .markdown import esc
from .pages import PageBuilder, plan_url, with_front_matter
from .parallel import pmap
from .pipeline import RULES, Validation
from .sanitize import ArticleNotFound, clean_article
from .text import date_vi
from .timing import stage


class BuildError(Exception):
    """The site generator failed; the message says why in the reader's language."""


@dataclass
class BuildResult:
    site: Path
    files: list[str]  # the published data files, by path under data/


def stage_docs(root: Path, pages: dict[str, str], bodies_dir: Path) -> None:
    """Copy hand-written pages from ``docs/`` (not the plan sources) and write the generated ones."""
    docs = root / "docs"
    for path in sorted(docs.rglob("*")):
        rel = path.relative_to(docs)
        if path.is_dir() or (rel.parts and rel.parts[0] == "plans" and path.suffix == ".md"):
            continue  # plan sources become generated pages; their original files are served as they are
        target = bodies_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    for rel_name, text in pages.items():
        target = bodies_dir / rel_name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def run_mkdocs(config_file: Path, docs_dir: Path, site_dir: Path) -> None:
    """MkDocs in strict mode: a warning (a broken link, a missing page) fails the build.

    MkDocs counts warnings on its logger, so the logger must let them through; they are kept off
    the console (they become the error message) by not propagating to the root logger.
    """
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    collected = mkbuild.WarningLog()
    loggers = [logging.getLogger(name) for name in ("mkdocs", "material")]
    saved = [(lg.level, lg.propagate) for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.WARNING)
        lg.propagate = False
        lg.addHandler(collected)
    try:
        config = load_config(str(config_file), docs_dir=str(docs_dir), site_dir=str(site_dir), strict=True)
        mkbuild.build(config)
    except (MkDocsException, SystemExit, OSError) as exc:
        detail = "; ".join(dict.fromkeys(m for _, m in collected.records[:5])) or str(exc)
        raise BuildError(f"MkDocs không dựng được trang / MkDocs build failed: {detail}") from exc
    finally:
        for lg, (level, propagate) in zip(loggers, saved, strict=True):
            lg.removeHandler(collected)
            lg.setLevel(level)
            lg.propagate = propagate


def originals(validation: Validation) -> frozenset[str]:
    """Plans whose original file (``source_file``) is kept beside the plan, to be offered for download."""
    out = set()
    for src in validation.sources:
        data = src.data or {}
        name = data.get("source_file")
        if (
            isinstance(name, str)
            and name
            and source_file_problem(name) is None  # "." crashed with_name (checks/rules.py reports it)
            and (validation.root / src.path).with_name(name).is_file()
        ):
            out.add(str(data["id"]))
    return frozenset(out)


CLEANED = ("plans", "directives", "units")


def clean_generated(site_dir: Path) -> None:
    """Defence in depth: pass the rendered article of every page showing plan data through nh3."""
    pages = [(site_dir, page) for folder in CLEANED for page in sorted((site_dir / folder).rglob("index.html"))]
    for problem in pmap(_clean_page, pages):
        if problem is not None:
            raise BuildError(problem)


def _clean_page(job: tuple[Path, Path]) -> str | None:
    site_dir, page = job
    html = page.read_text(encoding="utf-8")
    try:
        cleaned = clean_article(html)
    except ArticleNotFound as exc:
        return f"Không tìm thấy nội dung trang {page.relative_to(site_dir)} / no article: {exc}"
    if cleaned != html:
        page.write_text(cleaned, encoding="utf-8")
    return None


def history_section(here: str, plan_id: str, versions: list[published.Version]) -> str:
    """Every version of the plan file, from git, each with its text as it was (nothing is lost)."""
    lines = [f"## Lịch sử thay đổi ({len(versions)})", "", "| Ngày | Phiên bản | Nội dung thay đổi |", "|---|---|---|"]
    for v in versions:
        target = posixpath.relpath(f"data/ke-hoach/{plan_id}/phien-ban/{v.short}.md", posixpath.dirname(here))
        lines.append(f"| {date_vi(v.date[:10])} | [`{v.short}`]({target}) | {esc(v.subject)} |")
    return "\n".join(lines) + "\n"


def site_url(root: Path) -> str | None:
    """``site_url`` as MkDocs resolves it (``!ENV [SITE_URL, ""]``), for absolute links; may be unset."""
    import yaml
    from mkdocs.exceptions import MkDocsException
    from mkdocs.utils.yaml import yaml_load

    try:
        with (root / "mkdocs.yml").open(encoding="utf-8") as fh:
            config = yaml_load(fh) or {}
    except (OSError, ValueError, yaml.YAMLError, MkDocsException) as exc:
        raise BuildError(f"Không đọc được mkdocs.yml / cannot read mkdocs.yml: {exc}") from exc
    value = config.get("site_url") if isinstance(config, dict) else None
    return str(value).rstrip("/") + "/" if value else None


def render_all(validation: Validation, previous: Path | None) -> tuple[dict[str, bytes], dict[str, str]]:
    """Every published data file (path under ``data/`` → bytes) and generated page (path → Markdown).

    ``previous`` is the last published ``site/data`` folder, for the "what changed" section.
    """
    model, root = validation.model, validation.root
    modified = datasets.last_modified(root)
    files = datasets.render(model, validation.tables, validation.mentions, modified)
    rows = datasets.output_rows(model, validation.tables, validation.mentions)
    bodies = {s.data["id"]: s.body for s in validation.sources if s.data and isinstance(s.data.get("id"), str)}
    downloads = {**files, **datasets.plan_bundles(model, rows), **opendata.excel_files(model, rows)}
    downloads[opendata.SQLITE_NAME] = opendata.sqlite_file(model, rows, bodies)
    url = site_url(root)
    base = (url or "").rstrip("/")
    pages = PageBuilder(model, rows, bodies, originals(validation), last_changed(root), base).pages()
    changes = opendata.changes(previous if previous and previous.is_dir() else None, files, model)
    descriptor = json.loads(files["datapackage.json"])
    others = {k: v for k, v in downloads.items() if k.count("/") == 0 and not k.endswith(".csv")}
    dataset_ld = metadata.jsonld_string(metadata.dataset_jsonld(descriptor, base_url=base, files=others))
    pages["data/index.md"] = with_front_matter(
        opendata.data_page(model, rows, downloads, changes, url), {"jsonld": dataset_ld}
    )
    pages["data/tu-dien.md"] = opendata.dictionary_page(model)
    pages["thong-ke.md"] = stats.stats_page(model, rows, page="thong-ke.md")
    pages[compliance.COMPLIANCE_PAGE] = compliance.compliance_page(
        rows["compliance"],
        rows["plans"],
        rows["units"],
        model,
        compliance.load_rules(root / RULES if (root / RULES).exists() else compliance.RULES_YAML),
    )
    pages[compliance.DIRECTORY_PAGE] = compliance.directory_page(rows["directory"], model)
    catalog = metadata.dcat_catalog(descriptor, base, files=others)
    downloads["catalog.jsonld"] = (json.dumps(catalog, ensure_ascii=False, indent=2) + "\n").encode()
    names: dict[str, list[str]] = {}
    unit_names = {u["id"]: u["name"] for u in rows["units"]}
    for issuer in rows["issuers"]:
        names.setdefault(issuer["plan_id"], []).append(str(unit_names.get(issuer["unit"], issuer["unit"])))
    updated = modified or max((str(p.get("issue_date") or "") for p in rows["plans"]), default="") or "1970-01-01"
    pages["feed.xml"] = metadata.atom_feed(rows["plans"], base, updated, issuer_names=names, model=model).decode()
    pages["theo-doi.md"] = monitoring.monitoring_page(model, rows, validation.today)
    pages["lich-nhiem-vu.ics"] = monitoring.ics_feed(rows, base, validation.today, model).decode()
    pages["tien-do.xml"] = monitoring.status_feed(rows, base, updated, model).decode()
    versions = published.versions_for_all(root, [str(p["path"]) for p in rows["plans"]])
    ids = {str(p["path"]): str(p["id"]) for p in rows["plans"]}
    downloads.update(published.version_files(root, versions, ids))
    for plan in rows["plans"]:
        key = plan_url(plan)
        if plan["path"] in versions and key in pages:
            pages[key] += "\n" + history_section(key, str(plan["id"]), versions[plan["path"]])
    return downloads, pages


def build_site(validation: Validation, out: Path) -> BuildResult:
    root = validation.root
    out = out.resolve()
    with stage("render"):
        downloads, pages = render_all(validation, out / "data")
    out.parent.mkdir(parents=True, exist_ok=True)
    for leftover in out.parent.glob(f".{out.name}-staging-*"):
        # left by a build that was killed; builds of one output never run at once (CI's concurrency group)
        shutil.rmtree(leftover, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-staging-", dir=out.parent))
    try:
        docs_dir = staging / "pages"
        site_dir = staging / "site"
        with stage("stage"):
            stage_docs(root, pages, docs_dir)
            datasets.write(downloads, docs_dir / "data")  # MkDocs copies them and checks links to them
        names = sorted(downloads)
        del pages, downloads  # on disk now; at national scale they are gigabytes that MkDocs needs
        with stage("mkdocs"):
            run_mkdocs(root / "mkdocs.yml", docs_dir, site_dir)
        with stage("clean"):
            clean_generated(site_dir)
        with stage("search"):
            search.index_site(site_dir)
        swap(site_dir, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return BuildResult(out, names)


def swap(new: Path, out: Path) -> None:
    """Move ``new`` to ``out``; the old output is moved aside first and removed only afterwards."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}-old-{os.getpid()}")
        out.rename(old)
    new.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
