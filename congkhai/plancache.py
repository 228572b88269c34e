"""The work done on one plan file, cached by content hash and spread over the machine's cores.

Reading a plan (YAML with marks), checking its shape, text and row values, turning it into rows
and finding the citations in its body depend only on the file's bytes, the schemas, the directive
catalogue and this program — not on any other plan. That work is done once per distinct file
content: a cache entry is keyed by the file's path and bytes under a *fingerprint* of everything
else it depends on, so an unchanged plan is never parsed again and a changed schema, catalogue or
program version makes every entry stale at once. Checks that look across plans (unique ids,
foreign keys, cited documents still in force) are not cached; the pipeline runs them on the rows.

The cache lives in ``.cache/congkhai/`` under the repository (ignored by git; CI may restore it
between runs) or where ``CONGKHAI_CACHE`` points; ``CONGKHAI_CACHE=off`` disables it. A damaged or
unreadable entry is treated as missing: the cache can make a run faster, never different.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import parallel
from .checks.body import check_body
from .checks.hygiene import check_source_text
from .checks.structure import check_structure
from .checks.table import check_table
from .directives import Catalogue
from .findings import Finding
from .frontmatter import Path_, Source, read_source
from .records import Origin, Row, Tables, plan_rows
from .schemas import Model, load_model

PACKAGE = Path(__file__).resolve().parent
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

    @property
    def plan_row(self) -> Row | None:
        return next((row for table, row, _, _ in self.rows if table == "plans"), None)


def fingerprint(root: Path) -> str:
    """What every cached result depends on besides the plan itself: program, schemas, catalogue."""
    h = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        h.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    for path in sorted((PACKAGE.parent / "schemas").glob("*")) if (PACKAGE.parent / "schemas").is_dir() else []:
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    catalogue = root / "data" / "directives.csv"
    h.update(catalogue.read_bytes() if catalogue.is_file() else b"-")
    return h.hexdigest()[:20]


def cache_dir(root: Path) -> Path | None:
    setting = os.environ.get("CONGKHAI_CACHE", "")
    if setting.lower() in ("off", "0", "no", "false"):
        return None
    return Path(setting) if setting else root / DEFAULT_DIR


def _key(rel: str, raw: bytes) -> str:
    return hashlib.sha256(rel.encode() + b"\0" + raw).hexdigest()


def analyse(model: Model, src: Source, catalogue: Catalogue) -> PlanWork:
    """The per-plan work, without the row-level table checks (done in batches: see ``_batch``)."""
    findings = [*src.findings, *check_structure(model, src), *check_source_text(src)]
    tables = Tables({}, {}, [])
    plan_rows(model, src, tables)
    rows = [(name, row, origin.path, origin.leaf) for name in tables.rows for row, origin in tables.iter(name)]
    body: list[Finding] = []
    mentions: Counter[str] = Counter()
    if src.data is not None:
        body, mentions = check_body(src, catalogue)
    # The whole file's text is not needed past this point (the body and the front matter's values
    # are kept): dropping it saves a second copy of the corpus in memory and in the cache.
    src.text = ""
    return PlanWork(src, findings, body, rows, mentions)


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
    store = folder / fingerprint(root) if folder is not None else None
    heads = _load_heads(store)
    keys: list[str | None] = []
    out: list[PlanWork | Head | None] = []
    for path in files:
        rel = _rel(path, root)
        key = _file_key(path, rel)
        keys.append(key)
        if wanted is not None and not wanted(rel) and key is not None and key in heads:
            out.append(Head(rel, heads[key]))
        else:
            out.append(_load(store, key))
    missing = [i for i, w in enumerate(out) if w is None]
    if missing:
        items = [(files[i], root) for i in missing]
        for i, work in zip(missing, _compute(items, directive_rows), strict=True):
            out[i] = work
            key = keys[i]
            _save(store, key, work)
            if key is not None:
                heads[key] = work.plan_row
        if store is not None:
            _save_heads(store, heads, {k for k in keys if k is not None})
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


HEADS = "heads.pickle"


def _load_heads(store: Path | None) -> dict[str, Row | None]:
    if store is None:
        return {}
    try:
        with (store / HEADS).open("rb") as fh:
            heads = pickle.load(fh)
    except Exception:  # missing or damaged: rebuilt from the entries computed in this run
        return {}
    return heads if isinstance(heads, dict) else {}


def _save_heads(store: Path, heads: dict[str, Row | None], live: set[str]) -> None:
    """The plan rows of the files of this run (entries of deleted or edited files are dropped)."""
    kept = {k: v for k, v in heads.items() if k in live}
    try:
        store.mkdir(parents=True, exist_ok=True)
        tmp = store / f".{HEADS}.{os.getpid()}"
        with tmp.open("wb") as fh:
            pickle.dump(kept, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(store / HEADS)
    except OSError:
        pass


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


def _load(store: Path | None, key: str | None) -> PlanWork | None:
    if store is None or key is None:
        return None
    path = store / key[:2] / key
    try:
        with path.open("rb") as fh:
            work = pickle.load(fh)
    except FileNotFoundError:
        return None
    except Exception:  # a damaged entry (killed write, other Python): recompute it
        return None
    return work if isinstance(work, PlanWork) else None


def _save(store: Path | None, key: str | None, work: PlanWork) -> None:
    if store is None or key is None:
        return
    target = store / key[:2] / key
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{key}.{os.getpid()}")
        with tmp.open("wb") as fh:
            pickle.dump(work, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(target)  # atomic: a killed run leaves no half-written entry
    except OSError:
        pass  # a read-only or full disk only makes the next run slower


def _prune(store: Path) -> None:
    """Drop entries made under another fingerprint (an older program, schema or catalogue)."""
    for other in store.parent.iterdir() if store.parent.is_dir() else []:
        if other != store and other.is_dir():
            shutil.rmtree(other, ignore_errors=True)


def clear(root: Path) -> None:
    folder = cache_dir(root)
    if folder is not None and folder.is_dir():
        shutil.rmtree(folder, ignore_errors=True)
