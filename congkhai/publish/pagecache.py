"""The built pages cached by content hash: a build after a one-plan change renders only the pages
whose Markdown changed.

What MkDocs makes of one page outside the navigation depends on its Markdown and on what is the
same for every page: the program (with the sanitiser's allow-list) and the installed libraries
(Material's version among them: :func:`congkhai.load.plancache.fingerprint`), ``mkdocs.yml`` and
the environment variables it reads, the templates in ``overrides/``, ``SOURCE_DATE_EPOCH``, the
navigation's titles and addresses (every page shows the menu), and, for each relative link of the
page, which file of the site it names, if any (a link is rewritten to that file's address, or left
as written). The navigation is known only inside the engine, so the key is made in two steps:
:func:`open_cache` hashes what is known before MkDocs starts, :meth:`PageCache.bind` adds the
navigation, and :meth:`PageCache.page_key` adds the page's own Markdown. A changed template or configuration therefore changes every key at once;
a changed plan changes only the keys of the pages whose Markdown it changes (its own page, the
lists and groups that show it).

The file list is *not* in the key: every merged change to a plan adds a page (its old version,
``phien-ban/``) and a new plan adds several, so a key over the whole list would make every such
build render every page again — as slow as a build without the cache. Instead an entry records
the page's *lookups*: every path MkDocs looked up in the file list while rendering it, with the
address of the file found (or none). An entry is restored only if each lookup finds the same
now (:func:`.engine._restore`); a page linking to a file that appeared, went or moved is rendered
again.

An entry holds what MkDocs checks across pages (the anchors the page has, the anchors its links
point to) and its lookups, so the anchor check still runs over every page, and the SHA-256 of the
page's final HTML (after the sanitiser, :func:`.site.clean_generated`), whose bytes are kept beside
it as a file of their own: the site's file itself, hard-linked, and hard-linked into the next
build's site when restored, after its digest is checked (:mod:`congkhai.load.blobs`: linking is
some 20 times cheaper than writing a file on our disk). Entries are written only after a build that MkDocs
passed in strict mode, so a restored page had no warning. A page's search record (its tokens and
what a result shows, :mod:`.searchindex`) is cached too, keyed by the final HTML and the page's
search hint, so a rebuild re-tokenises only the pages that changed; its display file is kept and
linked in the same way.

Entries are stored and signed as the plan cache's are (:mod:`congkhai.load.plancache`: JSON, an
HMAC-SHA256 with ``CONGKHAI_CACHE_KEY`` or the key file, ``CONGKHAI_CACHE=off|DIR``): an entry
that is missing, damaged or not signed with our key is rendered again, never trusted. They live
in ``<cache>/pages/<fingerprint>/``; other fingerprints and entries no build used are removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..load import blobs
from ..load.plancache import cache_dir, cache_secret, fingerprint, read_entry, write_entry

FOLDER = "pages"
SEARCH = "search"
#: the suffixes of the files kept beside the entries: a page's HTML, a search record's display file
HTML, DISPLAY = ".html", ".ckr"
_DIGEST = re.compile(r"[0-9a-f]{64}")
#: ``!ENV NAME`` and ``!ENV [NAME, OTHER, "default"]`` in ``mkdocs.yml``: what the configuration reads
_ENV = re.compile(r"!ENV\s+(?:\[([^\]]*)\]|([A-Za-z_]\w*))")


@dataclass
class Anchors:
    """What MkDocs checks across pages for one page: its anchors, and the anchors its links name
    (by the linked file's ``src_uri``: anchor → the link as written)."""

    present: list[str]
    links: dict[str, dict[str, str]]
    #: every path looked up in the site's file list while the page was rendered → the address of
    #: the file found (``None``: no such file); the page is restored only where each still holds
    lookups: dict[str, str | None] = field(default_factory=dict)


@dataclass
class PageCache:
    folder: Path  # <cache>/pages/<fingerprint>
    secret: bytes
    base: str  # hash of what every page depends on, known before MkDocs runs
    digest: str = ""  # ``base`` with the navigation (see :meth:`bind`)
    used: set[str] = field(default_factory=set)

    @property
    def store(self) -> Path:
        return self.folder / self.digest

    def bind(self, nav: Iterable[str]) -> None:
        """Add the navigation (one line per item: depth, title, address) to the hash every page key
        is made from. (Not the file list: a page depends only on the files its links name, which
        its entry's lookups hold.)"""
        h = hashlib.sha256(self.base.encode())
        for line in nav:
            h.update(b"n\0" + line.encode() + b"\0")
        self.digest = h.hexdigest()[:24]

    def page_key(self, src_uri: str, markdown: bytes) -> str:
        return hashlib.sha256(self.digest.encode() + b"\0" + src_uri.encode() + b"\0" + markdown).hexdigest()

    def blob(self, key: str) -> Path:
        """Where the page's HTML is kept, as a file of its own (:mod:`congkhai.load.blobs`)."""
        return self.store / f"{_name(key)}{HTML}"

    def load(self, key: str) -> tuple[str, Anchors] | None:
        """The digest of the page's HTML (kept at :meth:`blob`) and its anchors, or ``None``
        (missing, damaged, not ours). The HTML itself is checked where it is published
        (:func:`congkhai.load.blobs.publish`)."""
        payload = read_entry(self.store, _name(key), self.secret)
        if payload is None:
            return None
        try:
            data = json.loads(payload)
            present, links, lookups, html = data["anchors"], data["links"], data["lookups"], data["html"]
            if not (
                isinstance(html, str)
                and _DIGEST.fullmatch(html)
                and isinstance(lookups, dict)
                and all(isinstance(v, str) or v is None for v in lookups.values())
                and isinstance(present, list)
                and all(isinstance(a, str) for a in present)
                and isinstance(links, dict)
                and all(
                    isinstance(v, dict) and all(isinstance(a, str) and isinstance(b, str) for a, b in v.items())
                    for v in links.values()
                )
            ):
                return None
            return html, Anchors(present, links, lookups)
        except (ValueError, KeyError, TypeError, UnicodeError):
            return None

    def save(self, key: str, html: bytes, anchors: Anchors, source: Path | None = None) -> None:
        """The entry: the anchors and the digest of the HTML, whose bytes are kept as a file of
        their own (:meth:`blob`) — the site's file ``source`` itself when given (hard-linked, not
        copied), so that a later build links it into its site instead of writing it."""
        if not blobs.keep(self.blob(key), html, source):
            return
        head = {"anchors": anchors.present, "links": anchors.links, "lookups": anchors.lookups}
        head["html"] = blobs.digest(html)
        write_entry(self.store, _name(key), self.secret, head)

    def search_key(self, html: bytes, hint: Any, rel: str) -> str:
        """The key of a page's search record: its HTML, its hint and its address (the record holds
        the address: two pages of the same HTML — two bodies of the same name, without links
        that differ — are two records)."""
        parts = (self.base.encode(), repr(hint).encode(), rel.encode("utf-8", "surrogateescape"), html)
        return hashlib.sha256(b"\0".join(parts)).hexdigest()

    def search_blob(self, key: str) -> Path:
        """Where the display file of the page's search record is kept (:mod:`congkhai.load.blobs`)."""
        return self.folder / SEARCH / f"{_name(key)}{DISPLAY}"

    def load_search(self, key: str) -> bytes | None:
        """The page's search record as saved (empty when the page has nothing to index), or ``None``;
        the caller checks its shape (:meth:`.searchindex.Record.from_entry`) and its display file
        (:meth:`search_blob`)."""
        return read_entry(self.folder, f"{SEARCH}/{_name(key)}", self.secret)

    def save_search(self, key: str, record: bytes, display: bytes | None = None, source: Path | None = None) -> None:
        """The record, and its display file ``display`` (kept as :meth:`search_blob`: the index's
        file ``source`` itself, hard-linked, when given); not saved when the display file is not kept."""
        if display is not None and not blobs.keep(self.search_blob(key), display, source):
            return
        write_entry(self.folder, f"{SEARCH}/{_name(key)}", self.secret, record)

    def prune(self, page_keys: Iterable[str], search_keys: Iterable[str]) -> None:
        """Keep only this fingerprint, this digest, and the entries this build used."""
        top = self.folder.parent
        for other in top.iterdir() if top.is_dir() else []:
            if other != self.folder and other.is_dir():
                shutil.rmtree(other, ignore_errors=True)
        for other in self.folder.iterdir() if self.folder.is_dir() else []:
            if other.is_dir() and other.name not in (self.digest, SEARCH):
                shutil.rmtree(other, ignore_errors=True)
        _keep_only(self.store, set(page_keys))
        _keep_only(self.folder / SEARCH, set(search_keys))


def _name(key: str) -> str:
    return f"{key[:2]}/{key}"


def _keep_only(store: Path, keys: set[str]) -> None:
    """Remove every entry, and every kept file, whose key is not in ``keys`` (and what a killed
    build left half-written: its name starts with a dot)."""
    if not store.is_dir():
        return
    for sub in store.iterdir():
        if not sub.is_dir():
            continue
        for entry in sub.iterdir():
            if entry.name.removesuffix(HTML).removesuffix(DISPLAY) not in keys:
                entry.unlink(missing_ok=True)


def open_cache(root: Path) -> PageCache | None:
    """The page cache of the checkout at ``root``, or ``None`` when caching is off or no key can be
    kept (``CONGKHAI_CACHE``, :func:`congkhai.load.plancache.cache_secret`)."""
    folder = cache_dir(root)
    if folder is None:
        return None
    secret = cache_secret(folder)
    if secret is None:
        return None
    base = base_hash(root)
    return PageCache(folder / FOLDER / base[:20], secret, base)


def base_hash(root: Path, environ: Mapping[str, str] | None = None) -> str:
    """What every page depends on that is known before MkDocs runs: the program and libraries,
    ``mkdocs.yml`` and the variables it reads, the templates (``overrides/``), the build date."""
    environ = os.environ if environ is None else environ
    h = hashlib.sha256(b"congkhai-pages\0" + fingerprint(root).encode() + b"\0")
    config = root / "mkdocs.yml"
    raw = config.read_bytes() if config.is_file() else b""
    h.update(raw + b"\0")
    names = set()
    for listed, single in _ENV.findall(raw.decode("utf-8", "replace")):
        names.update([single] if single else [n.strip() for n in listed.split(",")])
    for name in sorted(n for n in names if re.fullmatch(r"[A-Za-z_]\w*", n)):
        value = environ.get(name)
        h.update(f"env\0{name}\0{'-' if value is None else '=' + value}\0".encode())
    epoch = environ.get("SOURCE_DATE_EPOCH")
    h.update(f"epoch\0{epoch}\0".encode())
    overrides = root / "overrides"
    for path in sorted(overrides.rglob("*")) if overrides.is_dir() else []:
        if path.is_file():
            h.update(b"o\0" + path.relative_to(overrides).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()
