"""Build the site and datasets in a staging directory and swap it into place only on success.

A failed validation or a failed MkDocs build leaves the previous ``site/`` untouched.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import datasets, search
from .history import last_changed
from .pages import PageBuilder
from .pipeline import Validation


class BuildError(Exception):
    """The site generator failed; the message says why in the reader's language."""


@dataclass
class BuildResult:
    site: Path
    files: dict[str, bytes]


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
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    for name in ("mkdocs", "mkdocs_material", "material"):
        logging.getLogger(name).setLevel(logging.ERROR)
    try:
        config = load_config(str(config_file), docs_dir=str(docs_dir), site_dir=str(site_dir), strict=True)
        build(config)
    except (MkDocsException, SystemExit, OSError) as exc:
        raise BuildError(f"MkDocs không dựng được trang / MkDocs build failed: {exc}") from exc


def originals(validation: Validation) -> frozenset[str]:
    """Plans whose original file (``source_file``) is kept beside the plan, to be offered for download."""
    out = set()
    for src in validation.sources:
        data = src.data or {}
        name = data.get("source_file")
        if (
            isinstance(name, str)
            and name
            and "/" not in name
            and (validation.root / src.path).with_name(name).is_file()
        ):
            out.add(str(data["id"]))
    return frozenset(out)


def build_site(validation: Validation, out: Path) -> BuildResult:
    root = validation.root
    modified = datasets.last_modified(root)
    files = datasets.render(validation.model, validation.tables, validation.mentions, modified)
    rows = datasets.output_rows(validation.model, validation.tables, validation.mentions)
    downloads = {**files, **datasets.plan_bundles(validation.model, rows)}
    bodies = {s.data["id"]: s.body for s in validation.sources if s.data and isinstance(s.data.get("id"), str)}
    pages = PageBuilder(validation.model, rows, bodies, originals(validation), last_changed(root)).pages()
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-staging-", dir=out.parent))
    try:
        docs_dir = staging / "pages"
        site_dir = staging / "site"
        stage_docs(root, pages, docs_dir)
        datasets.write(downloads, docs_dir / "data")  # MkDocs copies them and checks links to them
        run_mkdocs(root / "mkdocs.yml", docs_dir, site_dir)
        search.index_site(site_dir)
        swap(site_dir, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return BuildResult(out, files)


def swap(new: Path, out: Path) -> None:
    """Move ``new`` to ``out``; the old output is moved aside first and removed only afterwards."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}-old-{os.getpid()}")
        out.rename(old)
    new.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
