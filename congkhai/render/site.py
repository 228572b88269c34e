"""Everything the site publishes, rendered from the corpus: data files and generated pages.

The one place the renderers are wired together. Pure apart from reading git history (old
versions of plans, last-changed dates); the publish stage writes the result, runs MkDocs on it and
swaps it into place.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from ..checks.files import Entry, inside, publishable
from ..checks.rules import source_file_problem
from ..derive import compliance
from ..load.corpus import RULES, Corpus
from ..load.plancache import ParseCache, parse_cache, text_cache
from ..model import sitemap
from ..model.schemas import Model
from ..model.sitemap import version_file
from ..parallel import background, pmap_shared
from ..read.history import Release, Version, version_files
from ..read.records import Row
from . import calendar, datasets, dcat, editor, feeds, home, metadata, opendata, original, sqlitedb, stats, workbook
from . import compliance as compliance_pages
from . import monitoring as monitoring_page
from .follow import Follow
from .history import Parsed, history_section, parse_versions, summaries
from .markdown import with_front_matter
from .metadata import with_description
from .pages import PageBuilder
from .versions import version_pages

CATALOG = "catalog.jsonld"


def originals(corpus: Corpus) -> frozenset[str]:
    """Plans whose original file (``source_file``) is kept beside the plan, to be offered for download.

    The file must be a real file of the checkout of an allowed type (:mod:`.checks.files`).
    """
    out = set()
    root = corpus.root
    for src in corpus.sources:
        data = src.data or {}
        name = data.get("source_file")
        if not isinstance(name, str) or not name or source_file_problem(name) is not None:
            continue  # "." crashed with_name (checks/rules.py reports it)
        path = (root / src.path).with_name(name)
        rel = PurePosixPath(src.path).with_name(name).as_posix()
        entry = Entry(rel, path, path.is_symlink(), path.is_dir())
        if path.is_file() and inside(root, path) and publishable(root, entry):
            out.add(str(data["id"]))
    return frozenset(out)


def render_site(
    corpus: Corpus,
    url: str | None,
    previous: tuple[Release, Mapping[str, bytes]] | None,
    *,
    repo: str = "",
    auth_url: str = "",
    publisher: metadata.Publisher = metadata.PLACEHOLDER_PUBLISHER,
) -> tuple[dict[str, bytes], dict[str, str]]:
    """Every published data file (path under ``data/`` → bytes) and generated page (path → Markdown).

    A pure function of the corpus (and git history, read here once): ``url`` is the site's
    address, if known, for absolute links (without it the build is a preview); ``previous`` is
    the previous published release and its data files (:mod:`congkhai.publish.release`), for the
    "what changed" section; ``repo`` (``owner/name``) is where the plan form saves,
    ``auth_url`` the OAuth server its GitHub sign-in goes through; ``publisher`` the public body
    operating the site, named by the open-data catalogue.
    """
    model, root = corpus.model, corpus.root
    modified = corpus.modified
    rows = corpus.published
    bodies = corpus.bodies
    # the data files do not depend on the pages: written in a forked process while the pages render
    data_files = background(lambda: _data_files(model, rows, bodies, modified, url))
    base = (url or "").rstrip("/")
    versions = corpus.history.versions(str(p["path"]) for p in rows["plans"])
    names: dict[str, list[str]] = {}
    unit_names = {u["id"]: u["name"] for u in rows["units"]}
    for issuer in rows["issuers"]:
        names.setdefault(issuer["plan_id"], []).append(str(unit_names.get(issuer["unit"], issuer["unit"])))
    updated = modified or max((str(p.get("issue_date") or "") for p in rows["plans"]), default="") or "1970-01-01"
    # each plan's entry in the feeds is dated by the last commit that changed its file
    last = corpus.history.last_changed
    changed = {str(p["id"]): last[str(p["path"])] for p in rows["plans"] if str(p["path"]) in last}
    follow = Follow(model, rows, corpus.today, base, updated, names, changed=changed)
    pages = PageBuilder(
        model,
        rows,
        bodies,
        originals(corpus),
        corpus.history.last_changed,
        base,
        today=corpus.today,
        histories=frozenset(versions),
        follow=follow,
        cache=text_cache(root),
    ).pages()
    files, downloads = data_files()
    changes = opendata.changes(previous[1] if previous else None, files, model, previous[0].tag if previous else None)
    descriptor = json.loads(files["datapackage.json"])
    # the distributions of the dataset (the Datasette metadata file describes one, it is not one)
    others = {
        k: v
        for k, v in downloads.items()
        if k.count("/") == 0 and not k.endswith(".csv") and k != sitemap.SQLITE_METADATA
    }
    period = metadata.coverage(rows["plans"])
    dataset_ld = metadata.jsonld_string(
        metadata.dataset_jsonld(descriptor, base_url=base, files=others, publisher=publisher, temporal=period)
    )
    catalog = dcat.dcat_catalog(descriptor, base, files=others, publisher=publisher, temporal=period)
    downloads[CATALOG] = (json.dumps(catalog, ensure_ascii=False, indent=2) + "\n").encode()
    # the catalogue is offered in the open-data page's head, beside the site-wide feeds every page has
    catalog_link = {
        "type": "application/ld+json",
        "title": "Danh mục dữ liệu (DCAT)",
        "href": f"{sitemap.DATA_DIR}/{CATALOG}",
    }
    pages[sitemap.DATA] = with_front_matter(
        opendata.data_page(model, rows, downloads, changes, url), {"jsonld": dataset_ld, "feeds": [catalog_link]}
    )
    pages[sitemap.DICTIONARY] = opendata.dictionary_page(model)
    pages[sitemap.STATS] = stats.stats_page(model, rows, page=sitemap.STATS)
    pages.update(
        compliance_pages.compliance_pages(
            rows["compliance"],
            rows["plans"],
            rows["units"],
            model,
            compliance.load_rules(root / RULES if (root / RULES).exists() else compliance.RULES_YAML),
        )
    )
    pages.update(compliance_pages.directory_pages(rows["directory"], model))
    pages[sitemap.PLANS_FEED] = feeds.atom_feed(
        rows["plans"], base, updated, issuer_names=names, changed=changed, model=model
    ).decode()
    pages.update(monitoring_page.monitoring_pages(model, rows, corpus.today))
    pages[sitemap.HOME] = home.home_page(rows, corpus.today)
    pages[sitemap.ROBOTS] = original.robots_txt(base)
    pages[sitemap.EDITOR] = editor.editor_page()
    pages[sitemap.EDITOR_LOCALE] = editor.locale_script()
    pages[sitemap.EDITOR_WIDGETS] = editor.choice_script()
    pages[sitemap.EDITOR_CONFIG] = editor.editor_config(
        model, {name: rows[name] for name in ("units", "provinces", "directives")}, repo=repo, auth_url=auth_url
    )
    pages[sitemap.CALENDAR] = calendar.ics_feed(rows, base, corpus.today, model, updated=updated).decode()
    pages[sitemap.STATUS_FEED] = feeds.status_feed(rows, base, updated, model).decode()
    ids = {str(p["path"]): str(p["id"]) for p in rows["plans"]}
    # old versions are plain text: a byte-order mark makes every browser read them as UTF-8
    downloads.update({k: original.with_bom(v) for k, v in version_files(root, versions, ids).items()})
    published = frozenset(downloads)
    for part in pmap_shared(_follow_job, follow, follow.file_jobs()):
        pages.update(part)
    plan_parts = pmap_shared(
        _plan_history_job,
        _PlanHistory(
            model,
            rows["plans"],
            follow,
            versions,
            downloads,
            published,
            unit_names,
            base,
            frozenset(pages),
            _current_parses(corpus),
            parse_cache(root),
        ),
        range(len(rows["plans"])),
    )
    for plan, (olds, history, feed) in zip(rows["plans"], plan_parts, strict=True):
        pages.update(olds)
        if history is not None:
            pages[sitemap.plan_md(plan)] += history
        pages.update(feed)
    for key, text in metadata.page_descriptions(rows, model).items():
        if key in pages:
            pages[key] = with_description(pages[key], text)
    for key, page in pages.items():  # the rest (later pages of a list, one year's plans…): from the title
        if key.endswith(".md") and (described := metadata.title_description(page)) is not None:
            pages[key] = with_description(page, described)
    return downloads, pages


def _data_files(
    model: Model, rows: dict[str, list[Row]], bodies: dict[str, str], modified: str | None, url: str | None
) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The data package's files, and every download of ``data/`` (those, the per-plan bundles, the
    Excel copies, the workbook, the SQLite file and its metadata), in the order they are offered."""
    files = datasets.render(model, rows, modified, url)
    downloads = {**files, **datasets.plan_bundles(model, rows), **workbook.excel_files(model, rows)}
    downloads[sitemap.WORKBOOK] = workbook.workbook_bytes(model, rows, modified)
    downloads.update(sqlitedb.datasette_files(model, rows, bodies, url))
    return files, downloads


def _follow_job(follow: Follow, job: tuple[str, str]) -> dict[str, str]:
    return follow.files_of(job)


@dataclass(frozen=True)
class _PlanHistory:
    """What each plan's history section, old-version pages and feed of changes are made from."""

    model: Model
    plans: list[Row]
    follow: Follow
    versions: Mapping[str, list[Version]]
    downloads: Mapping[str, bytes]
    published: frozenset[str]
    unit_names: Mapping[str, Any]
    base: str
    pages: frozenset[str]
    current: Mapping[str, Parsed]  # digest of a plan file's text → the validation's parse of it
    parses: ParseCache | None


def _current_parses(corpus: Corpus) -> dict[str, Parsed]:
    """The plan files as the validation parsed them, by their text's digest: a version in git that
    is the current file is not parsed again."""
    return {
        src.digest: Parsed(None, src.data if isinstance(src.data, Mapping) else None, src.body or "")
        for src in corpus.sources
        if src.digest
    }


def _plan_history_job(shared: _PlanHistory, index: int) -> tuple[dict[str, str], str | None, dict[str, str]]:
    """One plan's old-version pages, the history section its page ends with (or None), its feed."""
    plan = shared.plans[index]
    key = sitemap.plan_md(plan)
    found, said = shared.versions.get(plan["path"], []), {}
    olds: dict[str, str] = {}
    history = None
    if plan["path"] in shared.versions and key in shared.pages:
        texts = {
            v.sha: shared.downloads[name].decode("utf-8-sig", errors="replace")
            for v in found
            if (name := version_file(str(plan["id"]), v.short)) in shared.downloads
        }
        parsed = parse_versions(found, texts, shared.current, shared.parses)
        said = summaries(found, texts, shared.model, parsed)
        olds = version_pages(
            plan,
            found,
            parsed,
            said,
            shared.published,
            model=shared.model,
            unit_names=shared.unit_names,
            base_url=shared.base,
        )
        shown = {v.sha: sitemap.version_md(plan, v.short) for v in found[1:]}
        history = "\n" + history_section(key, str(plan["id"]), found, pages=shown, said=said)
    return olds, history, shared.follow.plan_feed(plan, found, said)
