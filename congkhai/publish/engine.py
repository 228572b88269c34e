"""MkDocs' own build, with the pages outside the navigation rendered on every core.

A national site is tens of thousands of plan, body and document pages that are not in the
navigation, and MkDocs renders them one after another on one core — the largest part of the
build. Such a page needs nothing from its siblings to be rendered: only the configuration, the
file list and the navigation (whose titles are read first). So after doing exactly what
``mkdocs.commands.build.build`` does up to that point, the remaining pages are split between
forked worker processes, which render and write them, while this process renders the navigation's
own pages (the long lists among them); what MkDocs checks across pages (anchors that links point
to, warnings counted by strict mode) is sent back and checked here as MkDocs would. The output is byte-identical to MkDocs' (``tests/test_engine.py`` holds it to that).

This is the one module that imports MkDocs (``tests/test_layout.py`` keeps it so): the rest of the
program writes plain Markdown and a site map, so the engine can be replaced when Material for
MkDocs reaches its end of life (2027).

With the page cache (:mod:`.pagecache`), a page outside the navigation whose key is cached is
written from the cache, with its anchors, instead of rendered — by the worker whose share it is
(after a one-plan change that is nearly every page: restoring them was the main process's work
alone, 10 s at 10,000 plans); the navigation's own pages are always rendered. MkDocs' cross-page checks still run over every page.

This follows the private steps of MkDocs 1.6 (``_populate_page``, ``_build_page``,
``_build_theme_template``); MkDocs is pinned and its 1.x line is frozen. Without ``fork`` (not
Linux/macOS), with one core or few pages, MkDocs' own ``build`` runs.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import parallel
from ..load import blobs
from ..model.errors import CongkhaiError
from .pagecache import Anchors, PageCache

#: pages outside the navigation below which forking costs more than it saves
MIN_PAGES = 200

_STATE: dict[str, Any] = {}


class BuildError(CongkhaiError):
    """The site could not be built (MkDocs, the search index, the sanitiser); the previous site is kept."""


def run_mkdocs(
    config_file: Path,
    docs_dir: Path,
    site_dir: Path,
    cache: PageCache | None = None,
    *,
    staged: bool = False,
    folders_kept: bool = False,
) -> Built | None:
    """MkDocs in strict mode: a warning (a broken link, a missing page) fails the build.

    ``staged``: ``docs_dir`` is the build's own staging folder, discarded after the build, so its
    static files are hard-linked into the site instead of copied (:func:`copy_static`).
    ``folders_kept``: ``site_dir`` holds folders and no file (:mod:`.sparetree`): MkDocs' emptying
    of it, which would remove the folders, is skipped.

    MkDocs counts warnings on its logger, so the logger must let them through; they are kept off
    the console (they become the error message) by not propagating to the root logger.
    """
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    collected = WarningLog()
    loggers = [logging.getLogger(name) for name in ("mkdocs", "material")]
    saved = [(lg.level, lg.propagate) for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.WARNING)
        lg.propagate = False
        lg.addHandler(collected)
    try:
        config = load_config(str(config_file), docs_dir=str(docs_dir), site_dir=str(site_dir), strict=True)
        return build(config, cache, Path(docs_dir) if staged else None, clean=not folders_kept)
    except (MkDocsException, SystemExit, OSError) as exc:
        detail = "; ".join(dict.fromkeys(m for _, m in collected.records[:5])) or str(exc)
        raise BuildError(
            f"MkDocs không dựng được trang: {detail}. Sửa chỗ được nêu (thường là một liên kết hay một trang "
            "trong mkdocs.yml) rồi dựng lại.",
            f"MkDocs build failed: {detail}. Fix what it names (usually a link or a page in mkdocs.yml) and build again.",
        ) from exc
    finally:
        for lg, (level, propagate) in zip(loggers, saved, strict=True):
            lg.removeHandler(collected)
            lg.setLevel(level)
            lg.propagate = propagate


def site_url(root: Path) -> str | None:
    """``site_url`` as MkDocs resolves it (``!ENV [SITE_URL, ""]``), for absolute links; may be unset."""
    config = _mkdocs_config(root)
    value = config.get("site_url")
    return str(value).rstrip("/") + "/" if value else None


#: The plan form's settings in ``extra`` of ``mkdocs.yml``: the GitHub repository it saves to
#: (``owner/name``) and the OAuth server its GitHub sign-in goes through.
EDITOR_SETTINGS = ("editor_repo", "editor_auth_url")


def editor_settings(root: Path) -> dict[str, str]:
    """``extra.editor_repo`` and ``extra.editor_auth_url`` of ``mkdocs.yml`` (each may be empty)."""
    extra = _mkdocs_config(root).get("extra")
    extra = extra if isinstance(extra, dict) else {}
    return {name: str(extra.get(name) or "") for name in EDITOR_SETTINGS}


def publisher_settings(root: Path) -> dict[str, str]:
    """``extra.publisher`` of ``mkdocs.yml``: the public body operating the site (``name``,
    ``email``, ``homepage``, ``type``), each may be empty; the open-data catalogue names it."""
    extra = _mkdocs_config(root).get("extra")
    publisher = extra.get("publisher") if isinstance(extra, dict) else None
    publisher = publisher if isinstance(publisher, dict) else {}
    return {key: str(publisher.get(key) or "") for key in ("name", "email", "homepage", "type")}


def _mkdocs_config(root: Path) -> dict[str, Any]:
    import yaml
    from mkdocs.exceptions import MkDocsException
    from mkdocs.utils.yaml import yaml_load

    try:
        with (root / "mkdocs.yml").open(encoding="utf-8") as fh:
            config = yaml_load(fh) or {}
    except (OSError, ValueError, yaml.YAMLError, MkDocsException) as exc:
        raise BuildError(
            f"Không đọc được mkdocs.yml: {exc}. Sửa tệp (xem dòng được nêu) rồi dựng lại.",
            f"Cannot read mkdocs.yml: {exc}. Fix the file (see the line named) and build again.",
        ) from exc
    return config if isinstance(config, dict) else {}


log = logging.getLogger("mkdocs.commands.build")


@dataclass
class Built:
    """What the engine did with each page (by its file under the site root): the pages it rendered
    (with what MkDocs checks across pages, for the cache) and the pages it wrote from the cache."""

    keys: dict[str, str] = field(default_factory=dict)  # page → cache key, for every page that has one
    rendered: dict[str, Anchors] = field(default_factory=dict)
    restored: set[str] = field(default_factory=set)


def _nav_lines(items: Any, depth: int = 0) -> list[str]:
    """The navigation as every page shows it: each item's depth, kind, title and address."""
    out = []
    for item in items:
        url = getattr(item, "url", None) or ""
        out.append(f"{depth}\t{type(item).__name__}\t{item.title}\t{url}")
        out += _nav_lines(getattr(item, "children", None) or [], depth + 1)
    return out


def build(
    config: Any, cache: PageCache | None = None, staging: Path | None = None, *, clean: bool = True
) -> Built | None:
    """MkDocs' build; with ``cache``, the pages outside the navigation whose key is cached are
    written from it instead of rendered (:mod:`.pagecache`). ``None`` when MkDocs' own build ran.
    ``staging``: the folder whose static files may be hard-linked (:func:`copy_static`).
    ``clean=False``: the site folder is not emptied first (it holds no file: :mod:`.sparetree`)."""
    from mkdocs.commands import build as mk
    from mkdocs.exceptions import Abort, BuildError
    from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
    from mkdocs.structure.nav import get_navigation
    from mkdocs.structure.pages import Page
    from mkdocs.utils import CountHandler, clean_directory

    workers = parallel.workers()
    forkable = workers >= 2 and "fork" in multiprocessing.get_all_start_methods()
    if config.plugins or (cache is None and not forkable):
        mk.build(config)  # plugins could depend on seeing every page in one process
        return None
    built = Built()
    counter = CountHandler()
    counter.setLevel(logging.WARNING)
    if config.strict:
        logging.getLogger("mkdocs").addHandler(counter)
    try:
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        if clean:
            clean_directory(config.site_dir)
        files = get_files(config)
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)
        inclusion = InclusionLevel.is_included
        pages = list(files.documentation_pages(inclusion=inclusion))
        for file in pages:
            if file.page is None and file.inclusion.is_not_in_nav():
                Page(None, file, config)
        outside = [f for f in pages if f.inclusion.is_not_in_nav()]
        fork = forkable and len(outside) >= MIN_PAGES
        if not fork and cache is None:
            outside = []
        away = {f.src_uri for f in outside}
        inside = [f for f in pages if f.src_uri not in away]
        for file in inside:
            file.page.read_source(config)  # the navigation's titles, for the pages the workers write
        env = config.plugins.on_env(env, config=config, files=files)
        if not (fork and outside):  # else once the workers have started (below)
            copy_static(files, inclusion, staging)
        doc_files = files.documentation_pages(inclusion=inclusion)
        if cache is not None:
            if not fork:  # rendered here after the navigation's pages: their titles as rendered
                for file in inside:
                    mk._populate_page(file.page, config, files)
            # the workers see the navigation's titles as read, this process as rendered (equal for
            # every page MkDocs' own build agrees on): the two ways are kept apart to be safe
            mode = "workers" if fork else "here"
            cache.bind([mode, *_nav_lines(nav.items)])
            if not fork:  # forked, each worker restores its share (reading and writing, on every core)
                outside = _restore(outside, cache, files, built)
        todo = {f.src_uri for f in inside} | {f.src_uri for f in outside}
        here = inside if fork else [f for f in pages if f.src_uri in todo]
        pool = None
        if fork and outside:
            count = min(workers, len(outside))
            _STATE.update(config=config, files=files, nav=nav, env=env, doc_files=doc_files, cache=cache)
            shares = [outside[i::count] for i in range(count)]  # interleaved: big and small pages mix
            _STATE["shares"] = [[f.src_uri for f in share] for share in shares]
            with parallel.frozen():  # the workers keep the parent's MkDocs structures shared
                pool = multiprocessing.get_context("fork").Pool(count)
        try:
            pending = pool.map_async(_render_share, range(len(_STATE["shares"]))) if pool is not None else None
            if pool is not None:
                # the static files linked here while the workers write their pages (before, this
                # process's 20,000 folders for them held the workers' start back 5 s at 10,000
                # plans); a file where a worker's page goes is not copied: MkDocs writes the page
                # over it
                copy_static(files, inclusion, staging, skip=frozenset(f.dest_uri for f in outside))
            # meanwhile, here: the navigation's pages (the long lists of every plan and task among them)
            looked: dict[str, dict[str, str | None]] = {}  # the pages outside the navigation rendered here
            for file in here:
                if file.page.content is None:
                    with recording(files) as looked[file.src_uri]:
                        mk._populate_page(file.page, config, files)
            for template in config.theme.static_templates:
                mk._build_theme_template(template, env, files, config, nav)
            for template in config.extra_templates:
                mk._build_extra_template(template, files, config, nav)
            for file in here:
                mk._build_page(file.page, config, doc_files, nav, env, False, excluded=file.inclusion.is_excluded())
                release(file.page)
            results = pending.get() if pending is not None else []
        finally:
            if pool is not None:
                pool.terminate()
                pool.join()
            _STATE.clear()
        for done, warnings in results:
            for src_uri, anchors, links, lookups, key in done:
                file = files.get_file_from_path(src_uri)
                page = file.page  # type: ignore[union-attr]
                if key is not None:
                    built.keys[file.dest_uri] = key  # type: ignore[union-attr]
                if lookups is None:  # written from the cache by the worker
                    built.restored.add(file.dest_uri)  # type: ignore[union-attr]
                else:
                    looked[src_uri] = lookups
                page.present_anchor_ids = set(anchors)
                page.links_to_anchors = {files.get_file_from_path(to): dict(v) for to, v in links.items()}
            for level, message in warnings:
                log.log(level, message)  # counted here, as if MkDocs had logged it in this process
        if cache is not None:
            outside = [f for f in outside if f.dest_uri not in built.restored]
            for file in outside:  # rendered this time: kept for the cache once the build has passed
                page = file.page
                links = {to.src_uri: dict(v) for to, v in (page.links_to_anchors or {}).items()}
                built.rendered[file.dest_uri] = Anchors(
                    sorted(page.present_anchor_ids or ()), links, looked.get(file.src_uri, {})
                )
        for file in doc_files:
            file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
        config.plugins.on_post_build(config=config)
        if counts := counter.get_counts():
            msg = ", ".join(f"{v} {k.lower()}s" for k, v in counts)
            raise Abort(f"Aborted with {msg} in strict mode!")
    except BuildError as exc:
        log.error(str(exc))
        raise Abort("Aborted with a BuildError!") from exc
    finally:
        logging.getLogger("mkdocs").removeHandler(counter)
    return built


def _restore(outside: list[Any], cache: PageCache, files: Any, built: Built) -> list[Any]:
    """Write the pages whose key is cached from the cache, with their anchors; return the others."""
    todo = []
    for file in outside:
        key, anchors = _restore_one(file, cache, files)
        if key is not None:
            built.keys[file.dest_uri] = key
        if anchors is None:
            todo.append(file)
            continue
        file.page.present_anchor_ids = set(anchors.present)
        file.page.links_to_anchors = {files.get_file_from_path(to): dict(v) for to, v in anchors.links.items()}
        built.restored.add(file.dest_uri)
    return todo


def _restore_one(file: Any, cache: PageCache, files: Any) -> tuple[str | None, Anchors | None]:
    """The page's cache key, and its anchors if it was written from the cache (``None``: to be
    rendered: new, unreadable — MkDocs reports it — or a file its links name appeared, went or moved)."""
    try:
        markdown = Path(file.abs_src_path).read_bytes()
    except OSError:
        return None, None
    key = cache.page_key(file.src_uri, markdown)
    entry = cache.load(key)
    if (
        entry is None
        or any(files.get_file_from_path(to) is None for to in entry[1].links)
        or any(_address(files.get_file_from_path(path)) != url for path, url in entry[1].lookups.items())
    ):
        return key, None
    digest, anchors = entry
    # the cache's file of the page hard-linked into the site once its digest is checked (written
    # only where it cannot be linked); refused — missing, a link, other bytes — it is rendered
    if blobs.publish(cache.blob(key), digest, Path(file.abs_dest_path)) is None:
        return key, None
    return key, anchors


def _address(file: Any) -> str | None:
    return None if file is None else str(file.url)


@contextlib.contextmanager
def recording(files: Any) -> Iterator[dict[str, str | None]]:
    """Every path looked up in ``files`` meanwhile (MkDocs resolving a page's relative links), with
    the address of the file found or ``None``: what of the file list the page depends on
    (:class:`.pagecache.Anchors` ``lookups``)."""
    seen: dict[str, str | None] = {}
    find = files.get_file_from_path

    def get_file_from_path(path: str) -> Any:
        file = find(path)
        seen[path] = _address(file)
        return file

    files.get_file_from_path = get_file_from_path  # shadows the method on this object only
    try:
        yield seen
    finally:
        del files.get_file_from_path


def copy_static(files: Any, inclusion: Any, staging: Path | None = None, skip: frozenset[str] = frozenset()) -> None:
    """What ``Files.copy_static_files`` does — every file that is not a page copied to its place in
    the site, in the same order, later ones over earlier ones — with each folder made once, and a
    file of ``staging`` (the build's own staging folder, thrown away after the build; never a
    symbolic link, never a file of the checkout or of the theme) hard-linked instead of copied: the
    same bytes, without writing them again. Where the file system refuses a link, it is copied.
    A file whose place is in ``skip`` (a page written meanwhile by another process) is left out."""
    import shutil

    inside = os.path.realpath(staging) + os.sep if staging is not None else None
    made: set[str] = set()
    folders: dict[str, bool] = {}  # a source folder → inside the staging folder, through no link
    for file in files:
        if file.is_documentation_page() or not inclusion(file.inclusion) or file.dest_uri in skip:
            continue
        source = file.abs_src_path
        if getattr(file, "_content", None) is not None or source is None:
            file.copy_file()  # made in memory (by a plugin): MkDocs writes it
            continue
        target = file.abs_dest_path
        folder = os.path.dirname(target)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        if os.path.isdir(target):  # as ``mkdocs.utils.copy_file``
            target = os.path.join(target, os.path.basename(source))
        if inside is not None and _linkable(source, inside, folders):
            try:
                _link(source, target)
                continue
            except OSError:
                pass  # another file system, or one without hard links: copied
        shutil.copyfile(source, target)


def _link(source: str, target: str) -> None:
    try:
        os.link(source, target, follow_symlinks=False)
    except FileExistsError:  # a later file over an earlier one, as a copy would be
        os.unlink(target)
        os.link(source, target, follow_symlinks=False)


def _linkable(source: str, inside: str, folders: dict[str, bool] | None = None) -> bool:
    """A regular file of the staging folder (``inside``: its real path and a separator), reached
    through no symbolic link; ``folders`` remembers what was found of each folder."""
    folders = {} if folders is None else folders
    folder = os.path.dirname(source)
    ok = folders.get(folder)
    if ok is None:
        real = os.path.realpath(folder)
        ok = folders[folder] = (real + os.sep).startswith(inside) and os.path.abspath(folder) == real
    if not ok:
        return False
    try:
        return stat.S_ISREG(os.lstat(source).st_mode)  # not a link: lstat does not follow it
    except OSError:
        return False


class WarningLog(logging.Handler):
    """The warnings MkDocs logs, kept: counted across worker processes here, and shown as the
    reason of a failed strict build by ``publish.run_mkdocs``."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.levelno, record.getMessage()))


_Done = tuple[str, list[str], dict[str, dict[str, str]], dict[str, str | None] | None, str | None]


def _render_share(index: int) -> tuple[list[_Done], list[tuple[int, str]]]:
    """In a forked worker: write one share of the pages, each from the cache when it holds it
    (:func:`_restore_one`) or else rendered; return what is checked across pages — for each page
    its anchors, its links, what it looked up (``None``: written from the cache) and its cache key."""
    from mkdocs.commands import build as mk

    config, files, nav, env, doc_files = (_STATE[k] for k in ("config", "files", "nav", "env", "doc_files"))
    cache: PageCache | None = _STATE.get("cache")
    keep = WarningLog()
    logger = logging.getLogger("mkdocs")
    for handler in list(logger.handlers):  # the parent's handlers would count or print in this process
        logger.removeHandler(handler)
    logger.addHandler(keep)
    logger.propagate = False
    out: list[_Done] = []
    for src_uri in _STATE["shares"][index]:
        file = files.get_file_from_path(src_uri)
        key = None
        if cache is not None:
            key, anchors = _restore_one(file, cache, files)
            if anchors is not None:
                out.append((src_uri, anchors.present, anchors.links, None, key))
                continue
        page = file.page
        with recording(files) as lookups:
            mk._populate_page(page, config, files)
        mk._build_page(page, config, doc_files, nav, env, False, excluded=file.inclusion.is_excluded())
        links = {to.src_uri: dict(v) for to, v in (page.links_to_anchors or {}).items()}
        out.append((src_uri, sorted(page.present_anchor_ids or ()), links, lookups, key))
        release(page)
    return out, keep.records


def release(page: Any) -> None:
    """A page written: its Markdown, HTML and table of contents are let go (MkDocs keeps them,
    and every page's text kept is what makes the build's memory grow with the corpus). What other
    pages read of it stays: its title (as rendered, or from its metadata), its address, its anchors
    and links, for the navigation and the cross-page checks. An empty text and an empty HTML give
    the same title as the rendered ones (``Page.title`` reads the Markdown only before rendering)."""
    if page.content is None:
        return  # not rendered here (MkDocs skipped it)
    page.markdown = ""
    page.content = ""
    page.toc = []
