"""Everything the site publishes, rendered from the corpus: data files and generated pages.

The one place the renderers are wired together. Pure apart from reading git history (old
versions of plans, last-changed dates); the publish stage writes the result, runs MkDocs on it and
swaps it into place.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ..checks.files import Entry, inside, publishable
from ..checks.rules import source_file_problem
from ..derive import compliance
from ..load.corpus import RULES, Corpus
from ..load.rendercache import DataCache, ParseCache, TextCache, data_cache, parse_cache, text_cache
from ..model import sitemap
from ..model.schemas import Model
from ..model.sitemap import version_file
from ..parallel import background, uncollected
from ..read.history import Release, Version, reference_modified, version_files
from ..read.records import Row
from ..timing import stage
from . import calendar, datasets, dcat, editor, feeds, home, metadata, opendata, original, sqlitedb, stats, workbook
from . import compliance as compliance_pages
from . import monitoring as monitoring_page
from .datacache import DataParts
from .follow import Follow, plan_changes
from .history import Parsed, history_section, parse_versions, summaries
from .markdown import with_front_matter
from .memo import cached, cached_files
from .metadata import with_description
from .pages import PageBuilder
from .sink import Collect, Finished, Sink, Stored, give_path
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
    """Every published data file (path under ``data/`` → bytes) and generated page (path → Markdown),
    all at once: :func:`render_into` a sink that keeps them (for tests and small sites)."""
    out = Collect()
    render_into(out, corpus, url, previous, repo=repo, auth_url=auth_url, publisher=publisher)
    return out.files, out.pages


def render_into(
    sink: Sink,
    corpus: Corpus,
    url: str | None,
    previous: tuple[Release, Mapping[str, bytes]] | None,
    *,
    repo: str = "",
    auth_url: str = "",
    publisher: metadata.Publisher = metadata.PLACEHOLDER_PUBLISHER,
) -> list[str]:
    """Every published data file (path under ``data/``) and generated page, each handed to ``sink``
    once complete and not kept here; returns the data files' names, sorted.

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
    descriptions = metadata.page_descriptions(rows, model)
    sink = Finished(sink, lambda key, page: _described(key, page, descriptions))
    base = (url or "").rstrip("/")
    # the data files (and the page describing them) do not depend on the pages: made in a forked
    # process while the pages render, and written there when the sink writes to disk
    here = os.getpid()
    store = data_cache(root)

    def data_side() -> tuple[list[str], Collect | None]:
        kept = None if os.getpid() == here or sink.shared else Collect()
        with stage("render.data"):  # in its own process: how long the pages' side may take for free
            names = _data_side(
                sink if kept is None else kept, model, rows, bodies, modified, url, previous, base, publisher, store
            )
        return names, kept

    data_done = background(data_side, late=True)  # with one worker: made after the pages, in the same order
    versions = corpus.history.versions(str(p["path"]) for p in rows["plans"])
    names: dict[str, list[str]] = {}
    unit_names = {u["id"]: u["name"] for u in rows["units"]}
    for issuer in rows["issuers"]:
        names.setdefault(issuer["plan_id"], []).append(str(unit_names.get(issuer["unit"], issuer["unit"])))
    updated = modified or max((str(p.get("issue_date") or "") for p in rows["plans"]), default="") or "1970-01-01"
    # each plan's entry in the feeds is dated by the last commit that changed its file
    last = corpus.history.last_changed
    changed = {str(p["id"]): last[str(p["path"])] for p in rows["plans"] if str(p["path"]) in last}
    pages_cache = text_cache(root)
    with uncollected():  # this process's structures for the pages, alive to the end of the render
        follow = Follow(
            model,
            rows,
            corpus.today,
            base,
            updated,
            names,
            changed=changed,
            reference=reference_modified(root),
            cache=pages_cache,
        )
    ids = {str(p["path"]): str(p["id"]) for p in rows["plans"]}
    # old versions are plain text: a byte-order mark makes every browser read them as UTF-8
    olds = {k: original.with_bom(v) for k, v in version_files(root, versions, ids).items()}
    # written by each plan's job (in the workers, when the sink writes to disk: creating their
    # 20,000 folders here held the workers' start back 3 s at 10,000 plans), else here
    writer = sink if sink.shared else None
    by_jobs = _plan_olds(rows["plans"], versions) if writer is not None else set()
    for name, data in olds.items():
        if name not in by_jobs:
            sink.file(name, data)
    history = _PlanHistory(
        model,
        rows["plans"],
        follow,
        versions,
        olds,
        frozenset(olds),
        unit_names,
        base,
        _current_parses(corpus),
        parse_cache(root),
        pages_cache,
        _digest(sorted(unit_names.items())),
        writer,
    )
    with uncollected():
        builder = PageBuilder(
            model,
            rows,
            bodies,
            originals(corpus),
            corpus.history.last_changed,
            base,
            today=corpus.today,
            histories=frozenset(versions),
            follow=follow,
            cache=pages_cache,
        )

    # (each job's pages written by the worker that made it when the sink writes to disk)
    builder.emit(sink, history.complete, follow.file_jobs(), follow.files_of)
    version_names = list(olds)
    del olds, history, builder
    # The site's own pages, here once the page workers have ended, while the data side finishes.
    # Not a job of the workers': made last by one of them, their ~300 MiB came on top of what it
    # had grown to, with the others at theirs — the build's memory peak, +430 MiB at 10,000 plans;
    # made first, glibc gave back too little of it. Nor made here while the workers run (in a
    # thread): reading every row, this process copies the pages it shares with them (reference
    # counts are written), +320 MiB at the same peak. (Their garbage is freed by reference count.)
    with uncollected(), stage("render.site"):
        for key, page in _site_pages(
            corpus, model, rows, base, updated, names, changed, pages_cache, repo, auth_url
        ).items():
            sink.page(key, page)
    with stage("render.wait"):  # the pages are written: what is left of the data side
        data_names, kept = data_done()
    if kept is not None:
        kept.replay(sink)
    return sorted({*data_names, *version_names})


def _site_pages(
    corpus: Corpus,
    model: Model,
    rows: dict[str, list[Row]],
    base: str,
    updated: str,
    names: dict[str, list[str]],
    changed: dict[str, str],
    pages_cache: TextCache | None,
    repo: str,
    auth_url: str,
) -> dict[str, str]:
    """The pages made once for the whole site: the dictionary, statistics, compliance and directory
    pages, the site-wide feeds and calendar, monitoring, home, the plan form's files."""
    root = corpus.root
    sink = Collect()
    sink.page(sitemap.DICTIONARY, opendata.dictionary_page(model))
    sink.page(sitemap.STATS, stats.stats_page(model, rows, page=sitemap.STATS))
    rules = compliance.load_rules(root / RULES if (root / RULES).exists() else compliance.RULES_YAML)
    for key, page in compliance_pages.compliance_pages(
        rows["compliance"], rows["plans"], rows["units"], model, rules
    ).items():
        sink.page(key, page)
    for key, page in compliance_pages.directory_pages(rows["directory"], model).items():
        sink.page(key, page)
    sink.page(
        sitemap.PLANS_FEED,
        feeds.atom_feed(rows["plans"], base, updated, issuer_names=names, changed=changed, model=model).decode(),
    )
    # the monitoring pages from the tables they show alone, cached by their hash (unchanged when
    # a change touches no plan row, task, progress update or body: a plan's text)
    shown = (tuple((name, tuple(rows[name])) for name in _MONITORED), corpus.today)
    made = cached_files(pages_cache, "monitoring", shown, lambda i: _monitoring(model, i))
    for key, page in made.items():
        sink.page(key, page)
    sink.page(sitemap.HOME, home.home_page(rows, corpus.today))
    sink.page(sitemap.ROBOTS, original.robots_txt(base))
    sink.page(sitemap.EDITOR, editor.editor_page())
    sink.page(sitemap.EDITOR_LOCALE, editor.locale_script())
    sink.page(sitemap.EDITOR_WIDGETS, editor.choice_script())
    # the plan form's configuration from the catalogues it offers alone, cached by their hash (a
    # YAML document of every body and cited document: seconds of every build at 10,000 plans)
    catalogues = (tuple((name, tuple(rows[name])) for name in ("units", "provinces", "directives")), repo, auth_url)
    sink.page(
        sitemap.EDITOR_CONFIG, cached(pages_cache, "editor-config", catalogues, lambda i: _editor_config(model, i))
    )
    sink.page(sitemap.CALENDAR, calendar.ics_feed(rows, base, corpus.today, model, updated=updated).decode())
    sink.page(sitemap.STATUS_FEED, feeds.status_feed(rows, base, updated, model).decode())
    return sink.pages


#: The tables the monitoring pages show.
_MONITORED = ("plans", "units", "tasks", "task_updates", "task_units")


def _monitoring(model: Model, shown: tuple[Any, ...]) -> dict[str, str]:
    tables, today = shown
    return monitoring_page.monitoring_pages(model, {name: list(found) for name, found in tables}, today)


def _editor_config(model: Model, shown: tuple[Any, ...]) -> str:
    catalogues, repo, auth_url = shown
    return editor.editor_config(model, {name: list(found) for name, found in catalogues}, repo=repo, auth_url=auth_url)


def _described(key: str, page: str, descriptions: Mapping[str, str]) -> str:
    """A page with its description: from what it shows (:func:`.metadata.page_descriptions`), or
    else, for a page with a title (later pages of a list, one year's plans…), from its title."""
    if key in descriptions:
        page = with_description(page, descriptions[key])
    if key.endswith(".md") and (described := metadata.title_description(page)) is not None:
        page = with_description(page, described)
    return page


def _data_side(
    sink: Sink,
    model: Model,
    rows: dict[str, list[Row]],
    bodies: dict[str, str],
    modified: str | None,
    url: str | None,
    previous: tuple[Release, Mapping[str, bytes]] | None,
    base: str,
    publisher: metadata.Publisher,
    cache: DataCache | None = None,
) -> list[str]:
    """The data files, each handed to ``sink`` once made (the data package's files, the per-plan
    bundles, the Excel copies, the workbook, the SQLite file and its metadata, the catalogue), and
    the open-data page describing them; returns the files' names. Each plan's part of the CSVs and
    bundles is read from ``cache`` when its rows are unchanged (:mod:`.datacache`)."""
    # each plan's downloads are written as its part is made (not all held), and listed in their place
    early: dict[str, Stored] = {}

    def give_early(name: str, data: bytes) -> None:
        sink.file(name, data)
        early[name] = Stored.of(data)

    # what the pages say of each file once written: its size and checksum (the data package's
    # descriptor kept whole: the page reads its date)
    known: dict[str, bytes | Stored] = {}

    def give(made: Mapping[str, bytes]) -> None:
        for name, data in made.items():
            sink.file(name, data)
            known[name] = data if name == "datapackage.json" else Stored.of(data)

    def give_made(name: str, path: Path, stored: Stored | None = None) -> None:
        known[name] = stored or Stored.of_file(path)
        give_path(sink, name, path)

    # every file made from the plans' parts is made on disk and handed over by path, never held
    # whole: the tables' CSVs and their copies for spreadsheets (a plan's part appended as it is
    # made, :class:`.DataParts`), the workbook and the SQLite file
    with tempfile.TemporaryDirectory(prefix="congkhai-data-") as tmp:
        spool = Path(tmp) / "parts"
        spool.mkdir()
        parts = DataParts(model, rows, cache, give_early, spool, bodies)
        on_disk = {f"{t.name}.csv": parts.table_file(t) for t in model.tables.values()}
        files = datasets.render_with(
            model,
            rows,
            modified,
            url,
            lambda t: Stored.of_file(on_disk[f"{t.name}.csv"]),
            folder=Path(tmp),
            spooled=parts.export_file,
        )
        on_disk[datasets.EXPORT] = Path(tmp) / datasets.EXPORT
        new_files = _OnDisk(on_disk, {k: v for k, v in files.items() if isinstance(v, bytes)})
        changes = opendata.changes(
            previous[1] if previous else None, new_files, model, previous[0].tag if previous else None
        )
        del new_files
        package = files["datapackage.json"]
        assert isinstance(package, bytes)
        descriptor = json.loads(package)
        for name, data in files.items():
            if isinstance(data, Stored):
                give_made(name, on_disk[name], data)
            else:
                give({name: data})
        del files
        known.update(early)
        for name, data in parts.bundles():  # the downloads not given early (plan ids twice)
            give({name: data})
        if parts.whole:
            give(parts.excel_files())
        else:
            for name, path in parts.excel_paths().items():
                give_made(name, path)
        book, db = Path(tmp) / "book.xlsx", Path(tmp) / "db.sqlite"
        # The SQLite file made in a thread while the workbook is made here: each spends much of its
        # time in C with the interpreter's lock let go (SQLite's inserts, full-text index and
        # compaction; zlib's compression of the workbook), so the two overlap on a second core
        # once the page workers are done (in a cold build the render waits 5-9 s for this process
        # at 10,000 plans).
        with ThreadPoolExecutor(1, thread_name_prefix="congkhai-sqlite") as pool:
            database = pool.submit(sqlitedb.write_sqlite, model, rows, bodies, db, cache, parts.fts_rows)
            with book.open("wb") as out:
                workbook.write_workbook(out, model, rows, modified, parts.sheet_parts)
            database.result()  # (its error, if any, raised here)
        del parts
        give_made(sitemap.WORKBOOK, book)
        give_made(sitemap.SQLITE, db)
    give({sitemap.SQLITE_METADATA: sqlitedb.metadata_bytes(model, url)})
    # the distributions of the dataset (the Datasette metadata file describes one, it is not one)
    others = {
        k: v for k, v in known.items() if k.count("/") == 0 and not k.endswith(".csv") and k != sitemap.SQLITE_METADATA
    }
    period = metadata.coverage(rows["plans"])
    dataset_ld = metadata.jsonld_string(
        metadata.dataset_jsonld(descriptor, base_url=base, files=others, publisher=publisher, temporal=period)
    )
    catalog = dcat.dcat_catalog(descriptor, base, files=others, publisher=publisher, temporal=period)
    give({CATALOG: (json.dumps(catalog, ensure_ascii=False, indent=2) + "\n").encode()})
    # the catalogue is offered in the open-data page's head, beside the site-wide feeds every page has
    catalog_link = {
        "type": "application/ld+json",
        "title": "Danh mục dữ liệu (DCAT)",
        "href": f"{sitemap.DATA_DIR}/{CATALOG}",
    }
    sink.page(
        sitemap.DATA,
        with_front_matter(
            opendata.data_page(model, rows, known, changes, url), {"jsonld": dataset_ld, "feeds": [catalog_link]}
        ),
    )
    return list(known)


class _OnDisk(Mapping[str, bytes]):
    """Data files by name, those at a path read only when asked for (what changed since the
    previous release reads the tables' CSVs, when there is one)."""

    def __init__(self, paths: Mapping[str, Path], held: Mapping[str, bytes]) -> None:
        self.paths, self.held = paths, held

    def __getitem__(self, name: str) -> bytes:
        return self.held[name] if name in self.held else self.paths[name].read_bytes()

    def __iter__(self) -> Iterator[str]:
        return iter([*self.paths, *self.held])

    def __len__(self) -> int:
        return len(self.paths) + len(self.held)


@dataclass(frozen=True)
class _PlanHistory:
    """What each plan's history section, old-version pages and feed of changes are made from."""

    model: Model
    plans: list[Row]
    follow: Follow
    versions: Mapping[str, list[Version]]
    olds: Mapping[str, bytes]  # the old versions' files (path under data/ → bytes)
    published: frozenset[str]
    unit_names: Mapping[str, Any]
    base: str
    current: Mapping[str, Parsed]  # digest of a plan file's text → the validation's parse of it
    parses: ParseCache | None
    cache: TextCache | None  # each plan's history by the hash of what it shows
    units_digest: str  # of ``unit_names`` (an old version may name any body)
    writer: Sink | None = None  # where the plan's job writes its old versions' files

    def complete(self, index: int, page: str) -> dict[str, str]:
        """Every page of plan ``index`` (:data:`.pages.PlanPages`): its own, ``page``, ending with
        its history section, then its old versions' pages and its feed of changes — rendered from
        what they show alone (:meth:`inputs`) and cached by its hash. With a ``writer``, the
        plan's old versions' files are written to it first."""
        if self.writer is not None:
            for name in _plan_olds([self.plans[index]], self.versions):
                if name in self.olds:
                    self.writer.file(name, self.olds[name])
        made = cached_files(self.cache, "plan-history", self.inputs(index), lambda shown: self._render(index, shown))
        history = made.pop(_HISTORY, None)
        key = sitemap.plan_md(self.plans[index])
        return {key: page + history if history is not None else page, **made}

    def inputs(self, index: int) -> tuple[Any, ...]:
        """What plan ``index``'s history shows: the plan, its versions (a commit's file never
        changes) and the published copies of them, the bodies' names (by digest), its tasks' status
        changes and those tasks, the dates its feed is stamped with."""
        plan = self.plans[index]
        pid = str(plan["id"])
        found = tuple(self.versions.get(plan["path"], ()))
        olds = tuple((name, self.olds[name]) for v in found if (name := version_file(pid, v.short)) in self.olds)
        changes = tuple(self.follow.changes.get(pid, []))
        keys = dict.fromkeys((str(c.get("plan_id")), str(c.get("task_id"))) for c in changes)
        tasks = tuple((k, self.follow.tasks[k]) for k in keys if k in self.follow.tasks)
        dated = self.follow.changed.get(pid) or self.follow.updated
        shown = (plan, plan["path"] in self.versions, found, olds, changes, tasks, dated)
        return (*shown, self.units_digest, self.base, self.follow.base_url)

    def _render(self, index: int, shown: tuple[Any, ...]) -> dict[str, str]:
        """Plan ``index``'s history from :meth:`inputs` alone (the bodies' names, whose digest is
        in them, and the model, declared by the schemas)."""
        plan, has_history, found, olds, changes, tasks, dated, _, base, feed_base = shown

        def feed(plan: Row, versions: list[Version], said: Mapping[str, str]) -> dict[str, str]:
            return plan_changes(self.model, plan, versions, said, changes, dict(tasks), feed_base, dated)

        alone = _PlanHistory(
            self.model,
            [plan],
            self.follow,
            {plan["path"]: list(found)} if has_history else {},
            dict(olds),
            frozenset(name for name, _ in olds),
            self.unit_names,
            base,
            self.current,
            self.parses,
            None,
            self.units_digest,
        )
        pages, history, files = _plan_history_job(alone, 0, feed)
        return {**pages, **files, **({_HISTORY: history} if history is not None else {})}


#: The history section's place among a plan's cached files (no path is empty).
_HISTORY = ""


def _plan_olds(plans: Iterable[Row], versions: Mapping[str, list[Version]]) -> set[str]:
    """The names of the old versions' files of ``plans`` (:func:`.read.history.version_files`)."""
    return {version_file(str(p["id"]), v.short) for p in plans for v in versions.get(str(p["path"]), ())}


def _digest(value: Any) -> str:
    return hashlib.sha256(repr(value).encode("utf-8", "surrogatepass")).hexdigest()


def _current_parses(corpus: Corpus) -> dict[str, Parsed]:
    """The plan files as the validation parsed them, by their text's digest: a version in git that
    is the current file is not parsed again."""
    return {
        src.digest: Parsed(None, src.data if isinstance(src.data, Mapping) else None, src.body or "")
        for src in corpus.sources
        if src.digest
    }


def _plan_history_job(
    shared: _PlanHistory, index: int, feed: Callable[[Row, list[Version], Mapping[str, str]], dict[str, str]]
) -> tuple[dict[str, str], str | None, dict[str, str]]:
    """One plan's old-version pages, the history section its page ends with (or None), its feed
    (made by ``feed``)."""
    plan = shared.plans[index]
    key = sitemap.plan_md(plan)
    found, said = shared.versions.get(plan["path"], []), {}
    olds: dict[str, str] = {}
    history = None
    if plan["path"] in shared.versions:
        texts = {
            v.sha: shared.olds[name].decode("utf-8-sig", errors="replace")
            for v in found
            if (name := version_file(str(plan["id"]), v.short)) in shared.olds
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
    return olds, history, feed(plan, found, said)
