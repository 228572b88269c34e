"""The work done on one plan file, cached by content hash and spread over the machine's cores.

Reading a plan (YAML with marks), checking its shape, text and row values, turning it into rows
and finding the citations in its body depend only on the file's bytes, the schemas, the directive
catalogue, this program, the Python interpreter and the installed libraries — not on any other
plan. That work is done once per distinct file content: a cache entry is keyed by the file's path
and bytes under a *fingerprint* of everything else it depends on, so an unchanged plan is never
parsed again and a changed schema, catalogue, program, Python or library version (a frictionless
or PyYAML upgrade) makes every entry stale at once. Checks that look across plans (unique ids,
foreign keys, cited documents still in force) are not cached; the pipeline runs them on the rows.

The cache lives in ``.cache/congkhai/`` under the repository (ignored by git; CI restores it
between runs, and pull requests restore the main branch's) or where ``CONGKHAI_CACHE`` points;
``CONGKHAI_CACHE=off`` disables it.

An entry is therefore *not trusted data*: it may have been written by another run, restored from
elsewhere, cut short or edited. So

- entries are data only: JSON, with a few tagged values (tuples, non-text keys, dates, bytes,
  sets) so that what comes back is exactly what went in — never ``pickle``, which runs code on
  load;
- each entry carries an HMAC-SHA256 over its bytes, the fingerprint and its key (so an entry
  cannot be moved to another file either). An entry whose MAC does not match, or that does not
  parse, is treated as missing and recomputed: the cache can make a run faster, never different,
  and never fails it.

The HMAC key is ``CONGKHAI_CACHE_KEY`` (any text; in CI a repository secret) or, when that is unset,
32 random bytes created on first use in ``<cache>/key`` with mode 0600. What the MAC protects
against differs:

- with ``CONGKHAI_CACHE_KEY`` from a secret, no key is written to the cache folder, so a cache
  restored from ``actions/cache`` — whoever wrote it — cannot carry valid entries without the
  secret: a tampered entry (findings removed to let a broken plan through) is recomputed. A fork's
  pull request has no secrets; it gets a fresh key file, main's entries fail the check and
  everything is recomputed (slower, still correct).
- with the key file, anyone who can write the cache folder can also read (or replace) the key, so
  the MAC then only guards against accidents: a half-written or damaged entry, entries of another
  checkout or machine copied in. That is enough on a developer's machine, where whoever can write
  ``.cache/`` can already edit the program. A CI whose cache store others can write must set the
  secret; on GitHub only workflows of the main branch write the caches pull requests restore, so
  the project's workflows use the key file (README, on `CONGKHAI_CACHE_KEY`).
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import functools
import hashlib
import hmac
import json
import os
import re
import secrets
import shutil
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from .. import parallel
from ..checks.body import check_body
from ..checks.hygiene import check_source_text
from ..checks.structure import check_structure
from ..checks.table import check_table
from ..model.findings import Finding
from ..model.schemas import Model, load_model
from ..read.frontmatter import Path_, Source, read_source
from ..read.records import Origin, Row, Tables, plan_rows
from ..vietnamese.directives import Catalogue
from ..vietnamese.planid import expected_id

PACKAGE = Path(__file__).resolve().parents[1]  # congkhai/: the fingerprint covers all of its code
DEFAULT_DIR = Path(".cache") / "congkhai"
#: below this many plans to (re)do, starting worker processes costs more than it saves
PARALLEL_MIN = 48
CHUNK = 32  # smallest batch given to a worker


@dataclass
class PlanWork:
    """Everything the pipeline needs from one plan file, independent of the other plans."""

    source: Source
    findings: list[Finding]  # reading, shape, text hygiene and the row-level table checks
    body_findings: list[Finding]  # citations in the text against the list (dropped if the catalogue is broken)
    rows: list[tuple[str, Row, Path_, bool]]  # table, row, path of its mapping in the front matter, leaf
    mentions: Counter[str]
    expected_id: str | None = None  # what the id rule says of the plan row (``planid.expected_id``)

    @property
    def plan_row(self) -> Row | None:
        return next((row for table, row, _, _ in self.rows if table == "plans"), None)


def fingerprint(root: Path) -> str:
    """What every cached result depends on besides the plan itself: program, schemas, catalogue,
    Python and the installed libraries."""
    h = hashlib.sha256(program(PACKAGE))
    for path in sorted((PACKAGE.parent / "schemas").glob("*")) if (PACKAGE.parent / "schemas").is_dir() else []:
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    catalogue = root / "data" / "directives.csv"
    h.update(catalogue.read_bytes() if catalogue.is_file() else b"-")
    return h.hexdigest()[:20]


@functools.cache
def program(package: Path) -> bytes:
    """The hash of the program this process runs: its files, Python and the installed libraries —
    read once, when first asked. A process runs the code it started with, so its caches are
    those of that code: read at each call (a build asks some ten times), a file edited or a
    checkout switched while a build ran put the first stages' entries under one fingerprint and
    the later stages' under another, and the next build found only half of them."""
    h = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    h.update("\0".join(["python", sys.version, *dependencies()]).encode())
    return h.digest()


def dependencies() -> list[str]:
    """``name==version`` of every installed distribution, sorted.

    All of them rather than a hand-kept list (frictionless, PyYAML, and what they pull in, such as
    a parser frictionless delegates to): a list would go stale. Any install, upgrade or removal
    makes every entry stale, which only makes the next run slower. The two header lines are read
    directly: ``Distribution.metadata`` parses every file as e-mail, which costs ~30 ms a run, this
    ~4 ms.
    """
    found = set()
    for dist in metadata.distributions():
        try:
            text = dist.read_text("METADATA") or dist.read_text("PKG-INFO") or ""
        except (OSError, UnicodeDecodeError):
            text = ""
        head = text.split("\n\n", 1)[0]
        name, version = _NAME.search(head), _VERSION.search(head)
        found.add(f"{name.group(1) if name else '?'}=={version.group(1) if version else '?'}")
    return sorted(found)


_NAME = re.compile(r"^Name:[ \t]*(.*?)\s*$", re.MULTILINE)
_VERSION = re.compile(r"^Version:[ \t]*(.*?)\s*$", re.MULTILINE)


def cache_dir(root: Path) -> Path | None:
    setting = os.environ.get("CONGKHAI_CACHE", "")
    if setting.lower() in ("off", "0", "no", "false"):
        return None
    return Path(setting) if setting else root / DEFAULT_DIR


def text_digest(text: str) -> str:
    """SHA-256 (hex) of a plan's text as read (the key of a version's parse, :class:`ParseCache`)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _key(rel: str, raw: bytes) -> str:
    return hashlib.sha256(rel.encode() + b"\0" + raw).hexdigest()


def analyse(model: Model, src: Source, catalogue: Catalogue) -> PlanWork:
    """The per-plan work, without the row-level table checks (done in batches: see ``_batch``)."""
    findings = [*src.findings, *check_structure(model, src), *check_source_text(src, model)]
    rows = _rows(model, src)
    body: list[Finding] = []
    mentions: Counter[str] = Counter()
    if src.data is not None:
        body, mentions = check_body(src, catalogue)
    # The whole file's text is not needed past this point (the body and the front matter's values
    # are kept): dropping it saves a second copy of the corpus in memory and in the cache. Its
    # digest stays, so the history's newest version (this text) is not parsed again.
    src.digest = text_digest(src.text)
    src.text = ""
    work = PlanWork(src, findings, body, rows, mentions)
    plan = work.plan_row
    work.expected_id = expected_id(plan) if plan is not None else None  # a function of the row alone
    return work


def _rows(model: Model, src: Source) -> list[tuple[str, Row, Path_, bool]]:
    """The plan's rows: a function of its front matter alone, so a cache entry does not store them
    but derives them again (smaller entries, and rows share their values with the front matter as
    they do when computed)."""
    tables = Tables({}, {}, [])
    plan_rows(model, src, tables)
    return [(name, row, origin.path, origin.leaf) for name in tables.rows for row, origin in tables.iter(name)]


def _table_findings(model: Model, works: Sequence[PlanWork]) -> None:
    """Frictionless row checks for many plans in one pass per table, then handed back to each plan."""
    tables = Tables({}, {}, [])
    for work in works:
        for name, row, path, leaf in work.rows:
            tables.add(name, row, Origin(work.source.path, work.source, path, leaf=leaf))
    by_file: dict[str, PlanWork] = {w.source.path: w for w in works}
    for table in model.tables.values():
        if table.reference_path or table.name not in tables.rows:
            continue
        for finding in check_table(model, table, tables):
            if finding.file in by_file:
                by_file[finding.file].findings.append(finding)


_WORKER: dict[str, Any] = {}


def _init(directive_rows: list[Row]) -> None:
    _WORKER["model"] = load_model()
    _WORKER["catalogue"] = Catalogue.build(directive_rows)


def _batch(items: list[tuple[Path, Path]]) -> list[PlanWork]:
    model, catalogue = _WORKER["model"], _WORKER["catalogue"]
    works = [analyse(model, read_source(path, root), catalogue) for path, root in items]
    _table_findings(model, works)
    return works


def plan_works(
    root: Path,
    files: Sequence[Path],
    model: Model,
    directive_rows: list[Row],
    wanted: Callable[[str], bool] | None = None,
) -> list[PlanWork | Head]:
    """The work for every file, in order: from the cache when the file is unchanged, else computed
    (on every core when there is enough of it) and stored.

    With ``wanted``, a file it rejects whose work is cached comes back as a :class:`Head` — only its
    plan row, from one small index — because the other plans of a one-file check are there only to
    be checked against, and loading their whole work would cost more than the check.
    """
    folder = cache_dir(root)
    secret = cache_secret(folder) if folder is not None else None
    store = folder / fingerprint(root) if folder is not None and secret is not None else None
    secret = secret or b""
    keys: list[str | None] = []
    out: list[PlanWork | Head | None] = []
    with parallel.uncollected():
        heads = _load_heads(store, secret)
        for path in files:
            rel = _rel(path, root)
            key = _file_key(path, rel)
            keys.append(key)
            if wanted is not None and not wanted(rel) and key is not None and key in heads:
                out.append(Head(rel, heads[key]))
            else:
                out.append(_load(store, key, secret, model))
    missing = [i for i, w in enumerate(out) if w is None]
    if missing:
        items = [(files[i], root) for i in missing]
        for i, work in zip(missing, _compute(items, directive_rows), strict=True):
            out[i] = work
            key = keys[i]
            _save(store, key, secret, work)
            if key is not None:
                heads[key] = work.plan_row
        if store is not None:
            _save_heads(store, secret, heads, {k for k in keys if k is not None})
            _prune(store)
    return [w for w in out if w is not None]


@dataclass
class Head:
    """A plan known only by its plan row (see :func:`plan_works`)."""

    path: str
    plan_row: Row | None


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()  # the plans found under the (resolved) root
    except ValueError:
        pass
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


HEADS = "heads.json"


def _load_heads(store: Path | None, secret: bytes) -> dict[str, Row | None]:
    payload = read_entry(store, HEADS, secret)
    if payload is None:
        return {}
    try:
        heads = _decode(payload)
    except Exception:  # an entry we signed but cannot read (should not happen): rebuilt this run
        return {}
    return heads if isinstance(heads, dict) else {}


def _save_heads(store: Path, secret: bytes, heads: dict[str, Row | None], live: set[str]) -> None:
    """The plan rows of the files of this run (entries of deleted or edited files are dropped)."""
    kept: dict[str, Any] = {}
    for key, row in heads.items():
        if key in live:
            with contextlib.suppress(_Uncacheable):  # if not, that plan's own entry is read instead
                kept[key] = _enc(row)
    write_entry(store, HEADS, secret, kept)


def _file_key(path: Path, rel: str) -> str | None:
    try:
        return _key(rel, path.read_bytes())
    except OSError:
        return None  # unreadable: never cached, read_source reports it


def _compute(items: list[tuple[Path, Path]], directive_rows: list[Row]) -> list[PlanWork]:
    workers = parallel.workers()
    if workers < 2 or len(items) < PARALLEL_MIN:
        _init(directive_rows)
        return _batch(items)
    # few large batches: each batch pays one frictionless pass per table, which costs more than a plan
    size = max(CHUNK, -(-len(items) // (workers * 2)))
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    with ProcessPoolExecutor(max_workers=workers, initializer=_init, initargs=(directive_rows,)) as pool:
        return [work for batch in pool.map(_batch, chunks) for work in batch]


def _load(store: Path | None, key: str | None, secret: bytes, model: Model) -> PlanWork | None:
    if store is None or key is None:
        return None
    payload = read_entry(store, f"{key[:2]}/{key}", secret)
    if payload is None:
        return None
    try:
        return _work_from(_decode(payload), model)
    except Exception:  # signed by us but not readable as a plan's work: recompute it
        return None


def _save(store: Path | None, key: str | None, secret: bytes, work: PlanWork) -> None:
    if store is None or key is None:
        return
    try:
        data = _work_to(work)
    except _Uncacheable:
        return  # a value the format cannot hold exactly: this plan is simply recomputed each run
    write_entry(store, f"{key[:2]}/{key}", secret, data)


# --- Entries on disk: a MAC line, then JSON -------------------------------------------------------

KEY_ENV = "CONGKHAI_CACHE_KEY"
KEY_FILE = "key"
_MAC_LEN = 64  # hex digits of HMAC-SHA256
_HEX_KEY = re.compile(r"[0-9a-f]{64}")


def cache_secret(folder: Path) -> bytes | None:
    """The HMAC key: ``CONGKHAI_CACHE_KEY``, else ``<folder>/key`` (created 0600 on first use).

    ``None`` if there is no key and none can be stored: the cache is then not used at all, since
    an entry that cannot be checked cannot be trusted.
    """
    setting = os.environ.get(KEY_ENV, "")
    if setting:
        return setting.encode("utf-8", "surrogatepass")
    path = folder / KEY_FILE
    for _ in range(2):
        try:
            text = path.read_text(encoding="ascii").strip()
        except FileNotFoundError:
            text = None
        except (OSError, UnicodeDecodeError):
            text = ""
        if text is not None and _HEX_KEY.fullmatch(text):
            return bytes.fromhex(text)
        # missing, or damaged (then every entry it signed is recomputed): a new key
        try:
            folder.mkdir(parents=True, exist_ok=True)
            tmp = folder / f".{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(secrets.token_hex(32) + "\n")
            try:
                if text is None:
                    os.link(tmp, path)  # never replaces a key another process has just made
                else:
                    os.replace(tmp, path)
            except FileExistsError:
                pass  # another run made one first: read that one
            finally:
                tmp.unlink(missing_ok=True)
        except OSError:
            return None
    return None


def _mac(store: Path, name: str, secret: bytes, payload: bytes | memoryview) -> bytes:
    """Binds the entry's bytes to its fingerprint and its name, so entries cannot be swapped.
    (The payload is hashed where it lies, not copied after a prefix: the largest entries are tens
    of megabytes, and each copy was held at the build's peak of memory.)"""
    mac = hmac.new(secret, b"congkhai-cache\0" + store.name.encode() + b"\0" + name.encode() + b"\0", hashlib.sha256)
    mac.update(payload)
    return mac.hexdigest().encode()


def read_entry(store: Path | None, name: str, secret: bytes) -> bytes | None:
    """The entry's JSON bytes if its MAC matches, else ``None`` (missing, damaged or tampered)."""
    if store is None:
        return None
    try:
        raw = (store / name).read_bytes()
    except OSError:
        return None
    with memoryview(raw) as view:
        if raw[_MAC_LEN : _MAC_LEN + 1] != b"\n" or not hmac.compare_digest(
            raw[:_MAC_LEN], _mac(store, name, secret, view[_MAC_LEN + 1 :])
        ):
            return None
    return raw[_MAC_LEN + 1 :]


def write_entry(store: Path, name: str, secret: bytes, data: Any) -> None:
    """``data`` as JSON (or, given bytes, those bytes: an entry with a format of its own), signed."""
    try:
        payload = (
            data
            if isinstance(data, bytes)
            else json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
        )
    except (TypeError, ValueError):
        return
    target = store / name
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}")
        with tmp.open("wb") as out:  # the MAC line, then the payload: not joined into one more copy
            out.write(_mac(store, name, secret, payload) + b"\n")
            out.write(payload)
        tmp.replace(target)  # atomic: a killed run leaves no half-written entry
    except OSError:
        pass  # a read-only or full disk only makes the next run slower


def _decode(payload: bytes) -> Any:
    return json.loads(payload.decode("utf-8", "surrogatepass"), object_hook=_hook)


# --- Values: JSON, with tags for what JSON would silently change -----------------------------------
#
# A JSON object with the key TAG is a tagged value: {TAG: kind, "v": ...}. A plain dict that has
# TAG among its keys, or keys other than text, is itself stored tagged, so nothing is ambiguous.
# YAML's safe loader can give all of these (``!!binary``, ``!!set``, ``!!timestamp``, ``!!omap``,
# ``1: x`` keys); any other type makes the entry uncacheable rather than approximate.

TAG = "\u0000"


class _Uncacheable(Exception):
    """A value the format cannot give back exactly."""


def _enc(v: Any) -> Any:
    t = type(v)
    if t is str or t is int or t is bool or t is float or v is None:
        return v
    if t is list:
        return [_enc(x) for x in v]
    if t is dict:
        if TAG not in v and all(type(k) is str for k in v):
            return {k: _enc(x) for k, x in v.items()}
        return {TAG: "d", "v": [[_enc(k), _enc(x)] for k, x in v.items()]}
    if t is tuple:
        return {TAG: "t", "v": [_enc(x) for x in v]}
    if t is bytes:
        return {TAG: "b", "v": base64.b64encode(v).decode("ascii")}
    if t is set or t is frozenset:
        return {TAG: "s" if t is set else "f", "v": [_enc(x) for x in v]}
    if t is dt.datetime and (v.tzinfo is None or v.tzinfo == dt.timezone(v.utcoffset() or dt.timedelta())):
        # PyYAML gives a fixed offset as an unnamed ``timezone``, which ``fromisoformat`` gives back
        return {TAG: "dt", "v": v.isoformat()}
    if t is dt.date:
        return {TAG: "da", "v": v.isoformat()}
    raise _Uncacheable(t.__name__)


_DECODE: dict[str, Callable[[Any], Any]] = {
    "d": lambda v: {k: x for k, x in v},
    "t": tuple,
    "b": lambda v: base64.b64decode(v, validate=True),
    "s": set,
    "f": frozenset,
    "dt": dt.datetime.fromisoformat,
    "da": dt.date.fromisoformat,
}


def _hook(obj: dict[str, Any]) -> Any:
    kind = obj.get(TAG)
    return obj if kind is None else _DECODE[kind](obj["v"])


def _path(path: Path_) -> list[str | int]:
    if not all(type(p) is str or type(p) is int for p in path):
        raise _Uncacheable("path")
    return list(path)


def _finding_to(f: Finding) -> list[Any]:
    return [_enc(f.file), _enc(f.line), _enc(f.column), _enc(f.field), _enc(f.code), _enc(f.params)]


def _work_to(work: PlanWork) -> list[Any]:
    src = work.source
    if type(src.body_line) is not int or not all(type(k) is str and type(n) is int for k, n in work.mentions.items()):
        raise _Uncacheable("source")
    # three parallel lists, so that reading them back is done by dict(zip(...)) in C
    marks = [[_path(k) for k in src.marks], [v[0] for v in src.marks.values()], [v[1] for v in src.marks.values()]]
    if not all(
        type(v) is tuple and len(v) == 2 and type(v[0]) is int and type(v[1]) is int for v in src.marks.values()
    ):
        raise _Uncacheable("marks")
    return [
        [_enc(src.path), _enc(src.text), _enc(src.data), _enc(src.body), src.body_line, marks, _enc(src.digest)],
        [_finding_to(f) for f in src.findings],
        [_finding_to(f) for f in work.findings],
        [_finding_to(f) for f in work.body_findings],
        dict(work.mentions),
        work.expected_id,
    ]


def _work_from(data: list[Any], model: Model) -> PlanWork:
    (path, text, fm, body, body_line, marks, digest), src_findings, findings, body_findings, mentions, expected = data
    paths, lines, columns = marks
    source = Source(
        path, text, fm, body, body_line, dict(zip(map(tuple, paths), zip(lines, columns, strict=True), strict=True))
    )
    source.digest = digest if isinstance(digest, str) else ""
    source.findings = [Finding(*f) for f in src_findings]
    return PlanWork(
        source,
        [Finding(*f) for f in findings],
        [Finding(*f) for f in body_findings],
        _rows(model, source),
        Counter(mentions),
        expected if isinstance(expected, str) else None,
    )


#: The previous build's staging folder, kept for the next one (``publish/keptpages.py``).
STAGED = "staged"
#: The site the last build replaced, its folders kept for the next build (``publish/sparetree.py``).
SPARE = "site-spare"
#: Folders of the cache that are not plan entries: the built pages (``publish/pagecache.py``), the
#: previous build's staging folder and the spare site.
OTHER_FOLDERS = frozenset({"pages", STAGED, SPARE})


def _prune(store: Path) -> None:
    """Drop entries made under another fingerprint (an older program, schema or catalogue)."""
    for other in store.parent.iterdir() if store.parent.is_dir() else []:
        if other != store and other.is_dir() and other.name not in OTHER_FOLDERS:
            shutil.rmtree(other, ignore_errors=True)


def clear(root: Path) -> None:
    folder = cache_dir(root)
    if folder is not None and folder.is_dir():
        shutil.rmtree(folder, ignore_errors=True)
