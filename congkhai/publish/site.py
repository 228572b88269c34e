"""Build the site and datasets in a staging directory and swap it into place only on success.

A failed validation or a failed MkDocs build leaves the previous ``site/`` untouched, and a build
killed at any point leaves a complete ``site/`` (the old or the new one; see :func:`swap`).
"""

from __future__ import annotations

import ctypes
import datetime as dt
import errno
import gzip
import html
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Set
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..checks.files import publishable, walk
from ..load import blobs
from ..load.corpus import Corpus
from ..load.rendercache import prune_unused
from ..model import sitemap
from ..model.sanitize import ArticleNotFound, clean_article
from ..parallel import kept, pmap, release
from ..render import editor
from ..render.docxclean import clean_docx
from ..render.metadata import publisher_from
from ..render.original import with_bom
from ..render.site import render_into
from ..timing import stage
from . import keptpages, pagecache, search, sparetree
from .engine import BuildError, Built, editor_settings, publisher_settings, run_mkdocs, site_url
from .release import previous_data
from .staging import Staging

#: The vendored Decap CMS (``make editor-deps``: ``npm ci`` in ``editor/``), beside the program.
EDITOR_BUNDLE = Path(__file__).resolve().parents[2] / "editor" / "node_modules" / "decap-cms" / "dist"
#: What the plan form needs of it: the bundle, its lazily loaded chunks and WebAssembly, its
#: licences (not the 50 MB of source maps).
EDITOR_FILES = ("decap-cms.js", "*.decap-cms.js", "*.wasm", "decap-cms.js.LICENSE.txt")


@dataclass
class BuildResult:
    site: Path
    files: list[str]  # the published data files, by path under data/
    placeholder_publisher: bool = False  # extra.publisher of mkdocs.yml names no body: the catalogue says so
    preview: bool = False  # built without the site's public address (SITE_URL): not for publishing


def stage_docs(root: Path, pages: dict[str, str], bodies_dir: Path) -> None:
    """Copy hand-written pages from ``docs/`` (not the plan sources) and write the generated ones."""
    staging = Staging(bodies_dir)
    stage_sources(root, staging)
    for rel_name, text in pages.items():
        staging.page(rel_name, text)


def stage_sources(root: Path, staging: Staging) -> None:
    """Copy hand-written pages from ``docs/`` (not the plan sources), before the generated ones are
    written over them.

    Only what :mod:`.checks.files` allows is copied, and never through a link: validation has
    already refused the rest, and the build does not rely on that alone.
    """
    for entry in walk(root, "docs"):
        rel = PurePosixPath(entry.rel).relative_to("docs")
        if entry.folder or (rel.parts and rel.parts[0] == "plans" and rel.suffix == ".md"):
            continue  # plan sources become generated pages; their original files are served as they are
        if not publishable(root, entry):
            continue
        if entry.path.is_symlink():
            continue  # never through a link (publishable refuses them too)
        if rel.parts and rel.parts[0] == "plans" and rel.suffix == ".txt":
            # a plan's original as text: with a byte-order mark, so browsers read it as UTF-8
            staging.put(rel.as_posix(), with_bom(entry.path.read_bytes()))
            continue
        if rel.parts and rel.parts[0] == "plans" and rel.suffix == ".docx":
            # a Word original: without comments, tracked changes and personal metadata
            try:
                cleaned = clean_docx(entry.path.read_bytes())
            except Exception as exc:  # a part that is not XML: never publish it uncleaned
                raise BuildError(
                    f"Không làm sạch được tệp Word {entry.rel} ({type(exc).__name__}): mở và lưu lại tệp bằng Word rồi dựng lại.",
                    f"Cannot clean the Word file {entry.rel} ({type(exc).__name__}): open and save it again in Word, then rebuild.",
                ) from exc
            staging.put(rel.as_posix(), cleaned)
            continue
        staging.put(rel.as_posix(), entry.path.read_bytes())


CLEANED = ("plans", "directives", "units")


def clean_generated(site_dir: Path, restored: Set[str] = frozenset()) -> None:
    """Defence in depth: pass the rendered article of every page showing plan data through nh3.

    ``restored``: pages (by file under the site root) written from the page cache, cleaned when
    they were built."""
    pages = [
        (site_dir, site_dir / rel)
        for folder in CLEANED
        for rel in _pages_under(site_dir, folder)
        if rel not in restored
    ]
    for problem in pmap(_clean_page, pages):
        if problem is not None:
            raise BuildError(*problem)


def _pages_under(site_dir: Path, folder: str) -> list[str]:
    """Every page (``index.html``) under ``folder`` of the site, by file under the site root, in
    the order of their paths' parts: ``os.walk``, not ``Path.rglob`` (40,000 ``Path`` objects made
    and sorted on the build's path); links to folders are not followed."""
    found = [
        os.path.relpath(os.path.join(top, "index.html"), site_dir).replace(os.sep, "/")
        for top, _, names in os.walk(site_dir / folder)
        if "index.html" in names
    ]
    return sorted(found, key=lambda rel: rel.split("/"))


def _clean_page(job: tuple[Path, Path]) -> tuple[str, str] | None:
    site_dir, page = job
    html = page.read_text(encoding="utf-8")
    try:
        cleaned = clean_article(html)
    except ArticleNotFound as exc:
        rel = page.relative_to(site_dir)
        return (
            f"Không tìm thấy nội dung trang {rel} ({exc}): giao diện (overrides/) đã đổi; hãy báo cho người quản trị.",
            f"No article in {rel} ({exc}): the theme (overrides/) changed; tell the site's maintainer.",
        )
    if cleaned != html:  # a new file: never into one a link may share (:mod:`..load.blobs`)
        blobs.replace(page, cleaned.encode("utf-8"))
    return None


def store_pages(cache: pagecache.PageCache, site_dir: Path, built: Built) -> None:
    """Keep the pages the engine rendered, as cleaned, in the page cache (:mod:`.pagecache`)."""
    jobs = [(cache, site_dir, dest, built.keys.get(dest, ""), anchors) for dest, anchors in built.rendered.items()]
    pmap(_store_page, [job for job in jobs if job[3]])


def _store_page(job: tuple[pagecache.PageCache, Path, str, str, pagecache.Anchors]) -> None:
    cache, site_dir, dest, key, anchors = job
    try:
        html = (site_dir / dest).read_bytes()
    except OSError:
        return  # MkDocs skipped an empty page: nothing to keep
    cache.save(key, html, anchors, site_dir / dest)  # the site's file itself kept: linked, not copied


_SITEMAP_URL = re.compile(r"\s*<url>\s*<loc>([^<]*)</loc>.*?</url>", re.DOTALL)
SITEMAP = "sitemap.xml"


def unlist_versions(site_dir: Path) -> None:
    """Leave the pages of old versions of plans out of ``sitemap.xml`` (and its gzipped copy).

    MkDocs lists every page; an old version is not a page to offer search engines (it says
    ``noindex`` and names the current plan as canonical). The gzipped copy is written again with
    the timestamp MkDocs gave it (:func:`date_sitemap` then dates both from git).
    """
    path = site_dir / SITEMAP
    if not path.is_file():
        return
    text = path.read_text(encoding="utf-8")
    kept = _SITEMAP_URL.sub(lambda m: "" if sitemap.is_version_page(html.unescape(m.group(1))) else m.group(), text)
    if kept == text:
        return
    blobs.replace(path, kept.encode("utf-8"))
    packed = path.with_name(SITEMAP + ".gz")
    if packed.is_file():
        mtime = int.from_bytes(packed.read_bytes()[4:8], "little")
        buffer = io.BytesIO()
        with gzip.GzipFile(filename=packed.name, mode="wb", fileobj=buffer, mtime=mtime) as gz:
            gz.write(kept.encode("utf-8"))
        blobs.replace(packed, buffer.getvalue())


def lastmods(corpus: Corpus) -> tuple[dict[str, str], str | None]:
    """``sitemap.xml``'s dates: a plan page's URL path → the day of the last commit touching its
    source file; and the date of every other page: the day of the newest commit of the sources
    (``Corpus.modified``), since lists, the home page and the data pages are made from all of them.
    From git, never the clock, so the site map is the same in every build of the same commit."""
    changed = corpus.history.last_changed
    plans = {
        sitemap.plan_path(p): changed[str(p["path"])][:10]
        for p in corpus.published["plans"]
        if str(p["path"]) in changed
    }
    return plans, corpus.modified[:10] if corpus.modified else None


def date_sitemap(site_dir: Path, url: str | None, plans: dict[str, str], default: str | None) -> None:
    """Give every page of ``sitemap.xml`` its date from git (:func:`lastmods`), in place of the
    build date MkDocs writes; the gzipped copy written again, dated the same day.

    A preview (``url`` unknown) has no site map: a site map must list absolute addresses
    (sitemaps.org), and a preview is not to be crawled (its ``robots.txt`` says so)."""
    path = site_dir / SITEMAP
    packed = path.with_name(SITEMAP + ".gz")
    if not url:
        path.unlink(missing_ok=True)
        packed.unlink(missing_ok=True)
        return
    if not path.is_file():
        return
    root = url.rstrip("/") + "/"

    def dated(m: re.Match[str]) -> str:
        loc = html.unescape(m.group(1))
        day = plans.get(loc.removeprefix(root), default)
        block = _LASTMOD.sub("", m.group())
        return block.replace("</loc>", f"</loc>\n         <lastmod>{day}</lastmod>", 1) if day else block

    text = _SITEMAP_URL.sub(dated, path.read_text(encoding="utf-8"))
    blobs.replace(path, text.encode("utf-8"))
    stamp = (
        dt.datetime.fromisoformat(default).replace(tzinfo=dt.UTC) if default else dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    )
    buffer = io.BytesIO()
    with gzip.GzipFile(filename=packed.name, mode="wb", fileobj=buffer, mtime=int(stamp.timestamp())) as gz:
        gz.write(text.encode("utf-8"))
    blobs.replace(packed, buffer.getvalue())


_LASTMOD = re.compile(r"\s*<lastmod>[^<]*</lastmod>")


def copy_editor(site_dir: Path, bundle: Path = EDITOR_BUNDLE) -> list[str]:
    """Copy the vendored Decap CMS beside the plan form's page (``quan-tri/``), so the form makes
    no request outside the site; without it (``make editor-deps`` not run) the page says so.
    Returns the files copied, by name."""
    target = site_dir / sitemap.EDITOR_DIR
    names = sorted({p.name for pattern in EDITOR_FILES for p in bundle.glob(pattern) if p.is_file()})
    if "decap-cms.js" not in names:
        blobs.replace(site_dir / sitemap.EDITOR, editor.missing_page().encode("utf-8"))  # may be a restored page
        (site_dir / sitemap.EDITOR_CONFIG).unlink(missing_ok=True)
        (site_dir / sitemap.EDITOR_LOCALE).unlink(missing_ok=True)
        return []
    for name in names:
        shutil.copyfile(bundle / name, target / name)
    return names


def build_site(validation: Corpus, out: Path) -> BuildResult:
    root = validation.root
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(out)
    started = time.time()  # render entries neither written nor read from now on are stale
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX.format(name=out.name), dir=out.parent))
    swapped = False
    site_dir = staging / "site"
    # the replaced site's folders, kept by the last build: emptied of files while the pages are rendered
    spare = sparetree.take(root, site_dir)
    try:
        # the corpus lives to the end: out of the collector's walks (what the checks alone needed
        # was let go by ``Corpus.shed``: its memory given back first, not inherited by the forks)
        with kept():
            docs_dir = staging / "pages"
            with stage("stage"):  # the hand-written pages first: the generated ones are written over them
                # the previous build's folder, written into again: what is unchanged is left in place
                sink = Staging(docs_dir, keptpages.take_previous(root, docs_dir, staging / "previous"))
                stage_sources(root, sink)
            with stage("render"):  # each page and data file written to the staging folder as it is made
                settings = editor_settings(root)
                publisher = publisher_from(publisher_settings(root))
                url = site_url(root)
                names = render_into(
                    sink,
                    validation,
                    url,
                    previous_data(root, url),
                    repo=settings["editor_repo"],
                    auth_url=settings["editor_auth_url"],
                    publisher=publisher,
                )
                sink.sweep()  # the kept files this build did not write (every writer has finished)
            release()  # what the render stage made is given back, so MkDocs and its forked workers start from the corpus alone
            cache = pagecache.open_cache(root)
            with stage("spare"):
                folders_kept = spare is not None and spare.wait(staging / "spare-refused")
            with stage("mkdocs"):
                built = run_mkdocs(
                    root / "mkdocs.yml", docs_dir, site_dir, cache, staged=True, folders_kept=folders_kept
                )
            release()  # MkDocs' pages and navigation (cycles, frozen for its workers) are let go
            with stage("clean"):
                clean_generated(site_dir, built.restored if built is not None else frozenset())
                unlist_versions(site_dir)
                date_sitemap(site_dir, url, *lastmods(validation))
            if cache is not None and built is not None:
                with stage("cache"):  # the build passed MkDocs and the sanitiser: its new pages are kept
                    store_pages(cache, site_dir, built)
            with stage("editor"):
                copy_editor(site_dir)
            with stage("search"):
                try:
                    search_keys = search.index_site(site_dir, search.page_hints(validation), cache)
                except search.SearchIndexError as exc:
                    raise BuildError(
                        f"Không tạo được chỉ mục tìm kiếm: {exc}. Kiểm tra trang đã dựng rồi dựng lại.",
                        f"The search index failed: {exc}. Check the built site and build again.",
                    ) from exc
            if spare is not None and folders_kept:
                with stage("spare.prune"):  # the folders of pages that went away
                    spare.prune()
            # the old site is kept as the next build's spare, or joins the staging folder, removed below
            swap(site_dir, out, discard=_into(staging, root))
            swapped = True
            # kept for the next build (what was not reused stays in "previous", removed below)
            keptpages.keep(docs_dir, root, drop=sink.moved())
            with stage("prune"):
                if cache is not None and built is not None:
                    cache.prune(built.keys.values(), search_keys)
                prune_unused(root, started)
    finally:
        if spare is not None:
            spare.join()  # (a build that failed early: the emptying ends before the folder is removed)
        if swapped:  # out of place: removed without holding the build (a kill leaves a leftover, never no site)
            remove_later(staging)
        else:
            shutil.rmtree(staging, ignore_errors=True)
    return BuildResult(out, names, publisher.placeholder, preview=not url)


def swap(new: Path, out: Path, discard: Callable[[Path], None] | None = None) -> None:
    """Put ``new`` in place of ``out`` so that ``out`` is never missing, even if the build is killed.

    On Linux the two folders are exchanged in one step (``renameat2(RENAME_EXCHANGE)``): ``out`` is
    the old site, then the new one, never neither; the old one, now at ``new``, is then removed
    (or handed to ``discard``, which removes it later: it is out of place already).
    Where that call does not exist (macOS, Windows, old kernels or libc) or the file system refuses
    it, the fallback is two renames (``out`` aside, ``new`` to ``out``). A kill between those two
    leaves no ``out`` but the complete old site beside it, which :func:`clean_leftovers` puts back
    at the next build. (A symbolic link flipped atomically would avoid that gap, but would make
    ``site/`` a link, which publishing tools and people copying the folder do not all follow.)
    """
    if not (out.exists() or out.is_symlink()):
        new.rename(out)
        return
    discard = discard or _remove
    if _exchange(new, out):
        discard(new)  # the previous output; a kill here leaves only a leftover
        return
    old = out.with_name(f"{OLD_PREFIX.format(name=out.name)}{os.getpid()}")
    out.rename(old)
    try:
        new.rename(out)
    except OSError:
        old.rename(out)
        raise
    discard(old)


def _remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def _into(staging: Path, root: Path | None = None) -> Callable[[Path], None]:
    """``swap``'s ``discard`` for a build: the old site kept in ``root``'s cache as the next build's
    spare folders (:mod:`.sparetree`), or else left inside the staging folder, which
    :func:`remove_later` removes whole (the fallback's old site, beside ``out``, is moved in)."""

    def discard(old: Path) -> None:
        if root is not None and sparetree.give(old, root):
            return
        if old.parent == staging:
            return
        try:
            old.rename(staging / "old")
        except OSError:
            shutil.rmtree(old, ignore_errors=True)

    return discard


#: the removals started by :func:`remove_later` in this process and not yet seen to end
_REMOVALS: list[subprocess.Popen[bytes]] = []


def remove_later(folder: Path) -> None:
    """Remove a folder that nothing uses any more (a finished build's staging folder, with the old
    site in it) without waiting: ``rm -rf`` in a session of its own, which outlives this process.
    Tens of thousands of small files take seconds to remove; the new site is in place already, so
    the build need not wait for it. A removal cut short leaves a staging folder, which the next
    build removes (:func:`clean_leftovers`). Without ``rm`` (not a POSIX system) it is removed now.
    :func:`wait_removals` waits for the removals started."""
    _REMOVALS[:] = [p for p in _REMOVALS if p.poll() is None]  # the finished ones reaped
    rm = shutil.which("rm") if os.name == "posix" else None
    if rm is None:
        _remove(folder)
        return
    try:
        process = subprocess.Popen(
            [rm, "-rf", "--", str(folder.resolve())],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # not killed with this process's group
        )
    except OSError:
        _remove(folder)
        return
    _REMOVALS.append(process)


def wait_removals() -> None:
    """Wait for the removals :func:`remove_later` started (tests; a caller about to reuse the disk)."""
    while _REMOVALS:
        _REMOVALS.pop().wait()


OLD_PREFIX = ".{name}-old-"
STAGING_PREFIX = ".{name}-staging-"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2  # linux/fs.h
_UNSUPPORTED = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM}


def _exchange(a: Path, b: Path) -> bool:
    """Exchange two paths atomically (Linux ``renameat2`` with ``RENAME_EXCHANGE``, glibc ≥ 2.28).

    False when this system or file system cannot, so the caller falls back; other errors raise.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in _UNSUPPORTED:
        return False
    raise OSError(err, os.strerror(err), str(a), None, str(b))


def clean_leftovers(out: Path) -> None:
    """Remove what killed builds left beside ``out``: staging folders and old outputs.

    If ``out`` itself is missing — a build killed between the two renames of :func:`swap`'s
    fallback — the most recently moved old output is complete and is put back first. Builds of one
    output never run at once (CI's concurrency group), so nothing here belongs to a live build.
    """
    olds = sorted(out.parent.glob(f"{OLD_PREFIX.format(name=out.name)}*"), key=_changed, reverse=True)
    if olds and not (out.exists() or out.is_symlink()):
        olds.pop(0).rename(out)
    for leftover in [*out.parent.glob(f"{STAGING_PREFIX.format(name=out.name)}*"), *olds]:
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)


def _changed(path: Path) -> float:
    try:
        return path.lstat().st_ctime  # a rename sets it
    except OSError:
        return 0.0
