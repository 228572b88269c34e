"""``map`` over the machine's cores for the per-page stages of the build (cleaning, search prep).

Worker processes cost a fraction of a second to start, so small sites are done in-process; the
results come back in order, so the output does not depend on how the work was split.

:func:`pmap_shared` is the same for work that needs large shared state (the corpus, a page
builder): the workers are forked, so they inherit the state instead of receiving it pickled; only
the jobs and the results cross between processes. :func:`background` runs one piece of work in a
forked process while this one goes on (the render stage writes the workbook and the SQLite file
that way while it renders the pages).

Memory: a forked worker shares this process's pages until either side writes to them, and Python
writes to every object the cyclic garbage collector visits; :func:`frozen` moves what exists at the
fork out of the collector's sight, so a worker's private memory is what it makes, not a copy of
the corpus. :func:`release` hands back to the system what a finished stage freed.
"""

from __future__ import annotations

import collections
import contextlib
import ctypes
import functools
import gc
import multiprocessing
import os
import pickle
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")
S = TypeVar("S")

#: below this many items the work is done in this process
MIN_JOBS = 200


def workers() -> int:
    """The cores to use: all of them (at most 8), or ``CONGKHAI_WORKERS`` (1 = no worker processes)."""
    setting = os.environ.get("CONGKHAI_WORKERS", "")
    if setting.isdigit() and int(setting) > 0:
        return int(setting)
    return min(os.cpu_count() or 1, 8)


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


#: the process that holds :func:`kept`'s freeze, and how deep (a forked worker inherits the count
#: but not the right to undo it)
_KEPT = {"pid": 0, "depth": 0}


def _keeping() -> bool:
    return _KEPT["depth"] > 0


@contextlib.contextmanager
def kept() -> Iterator[None]:
    """What is alive now (the validated corpus, which the build keeps to its end) is left out of
    the garbage collector's walks until the block ends: its full collections otherwise walk every
    object of the corpus again each time the stages' new objects pass a quarter of the old ones
    (``gc.full`` in the timings: 20–25 s of a 10,000-plan build, 148 s at 50,000). Not collected
    first (a walk of the whole corpus for the few hundred objects of garbage validation leaves at
    2,000 plans): a dead cycle frozen here is collected at the first :func:`release`. Inside,
    :func:`frozen` blocks leave what they froze frozen, and each :func:`release` collects in full
    and freezes again what lives on."""
    trim()
    gc.freeze()
    if not _keeping():
        _KEPT["pid"] = os.getpid()
    _KEPT["depth"] += 1
    try:
        yield
    finally:
        _KEPT["depth"] -= 1
        if not _keeping():
            gc.unfreeze()


@contextlib.contextmanager
def uncollected() -> Iterator[None]:
    """No cycle collection in the block: for building the corpus (reading plans, their cache
    entries, the rows, the checks), which creates millions of containers that all live on (few
    cycles, next to no garbage: a few hundred objects found at 2,000 plans), so the collector's
    passes over them would be wasted (a warm 1,000-plan load: ~4× slower with it; a third of a
    warm validation's time at 2,000 plans). At the end what the block made is moved to the oldest
    generation unwalked (a freeze and a thaw put every tracked object there), where only a full
    collection reaches it (:func:`release`): switched on with millions of objects in its youngest
    generation, the collector would start a pass over all of them at once, and another over the
    survivors in the middle generation after that. Where something is frozen (a thaw is
    all-or-nothing) inside :func:`kept`, in its process, what the block made is frozen with the
    rest until the next :func:`release` (the render stage's structures: the main process's
    automatic full collections while it built them were 2 s of a 10,000-plan rebuild, finding
    nothing); elsewhere it is only switched on again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if not gc.get_freeze_count():
                gc.freeze()
                gc.unfreeze()
            elif _keeping() and _KEPT["pid"] == os.getpid():
                gc.freeze()
            gc.enable()


@contextlib.contextmanager
def frozen() -> Iterator[None]:
    """Forks made inside keep this process's objects shared: the collector is told to leave them
    alone (``gc.freeze``), in the workers and here, until the block ends (Python's advice for
    pre-fork servers) — or, inside :func:`kept`, until the next :func:`release`. Only the young
    generations are collected first: a full collection walks every object of the corpus (seconds
    at 10,000 plans, at each of the build's forks) and finds little, the stages' large structures
    having been collected where they die (:func:`release`); an old cycle that died meanwhile is
    frozen with the rest and collected after the block."""
    gc.collect(1)
    gc.freeze()
    try:
        yield
    finally:
        if not _keeping():
            gc.unfreeze()


def release() -> None:
    """After a stage whose large structures died: collect them and give the freed memory back to
    the system (glibc keeps freed blocks for reuse otherwise, and forked workers would inherit the
    bloated address space). Inside :func:`kept`, what was frozen is collected too, and what lives
    on frozen again; a forked worker collects only its own objects (thawing what it inherited would
    copy it)."""
    if _keeping() and _KEPT["pid"] == os.getpid():
        gc.unfreeze()
        gc.collect()
        gc.freeze()
    else:
        gc.collect()
    trim()


def trim() -> None:
    """Give the system back the memory freed (glibc's ``malloc_trim``): without the full collection
    of :func:`release`, for what died by reference count alone (what ``Corpus.shed`` lets go)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6").malloc_trim(0)


def pmap(fn: Callable[[T], R], jobs: Sequence[T], chunksize: int = 64) -> list[R]:
    if workers() < 2 or len(jobs) < MIN_JOBS:
        return [fn(job) for job in jobs]
    with frozen(), ProcessPoolExecutor(max_workers=workers()) as pool:
        return list(pool.map(fn, jobs, chunksize=chunksize))


@contextlib.contextmanager
def streaming(chunksize: int = 8, window: int = 64) -> Iterator[Callable[[Callable[[T], R], Sequence[T]], Iterator[R]]]:
    """A :func:`pmap` whose results are taken as they come, in order, while the workers go on: at
    most ``window`` chunks (of ``chunksize`` jobs) are ahead of the caller. For work whose caller
    has a share of its own per result (the search index adds each page's postings and spills them
    batch by batch): asked batch by batch, the workers waited while the caller worked and the
    caller while they did (BENCHMARKS.md, session 14); the window bounds what waits in memory."""
    if workers() < 2 or not can_fork():
        yield lambda fn, jobs: map(fn, jobs)
        return
    with (
        frozen(),
        ProcessPoolExecutor(max_workers=workers(), mp_context=multiprocessing.get_context("fork")) as pool,
    ):
        yield lambda fn, jobs: windowed(pool, functools.partial(_each, fn), jobs, chunksize, window)


def _each(fn: Callable[[T], R], jobs: list[T]) -> list[R]:
    return [fn(job) for job in jobs]


#: what the forked workers of :func:`pmap_shared` inherit: the function and its shared state
_SHARED: tuple[Callable[[Any, Any], Any], Any] | None = None


def _shared_call(job: Any) -> Any:
    assert _SHARED is not None
    fn, shared = _SHARED
    return fn(shared, job)


def pmap_shared(fn: Callable[[S, T], R], shared: S, jobs: Sequence[T], chunksize: int = 16) -> list[R]:
    """``[fn(shared, job) for job in jobs]``, in order, over the cores: ``shared`` is inherited by
    forked workers (never pickled); ``fn`` must be a module-level function, each result plain data."""
    return list(imap_shared(fn, shared, jobs, chunksize))


def imap_shared(fn: Callable[[S, T], R], shared: S, jobs: Sequence[T], chunksize: int = 16) -> Iterator[R]:
    """:func:`pmap_shared` as results arrive, in order: the caller writes each and lets it go, so
    the parent holds a chunk of results at a time, not all of them (the render stage's pages).
    The workers are started at the first result asked for and stopped when the last is given."""
    global _SHARED
    if workers() < 2 or len(jobs) < MIN_JOBS or not can_fork() or _SHARED is not None:
        for job in jobs:
            yield fn(shared, job)
        return
    _SHARED = (fn, shared)
    try:
        with (
            frozen(),
            ProcessPoolExecutor(max_workers=workers(), mp_context=multiprocessing.get_context("fork")) as pool,
        ):
            yield from windowed(pool, _shared_chunk, jobs, chunksize, WINDOW * workers())
    finally:
        _SHARED = None


#: chunks of jobs in flight per worker in :func:`imap_shared`: enough that a worker rarely waits behind
#: one long job (a list's filter data), few enough that results waiting for the caller stay bounded
WINDOW = 16


def _shared_chunk(jobs: list[Any]) -> list[Any]:
    return [_shared_call(job) for job in jobs]


def windowed(
    pool: ProcessPoolExecutor, fn: Callable[[list[T]], list[R]], jobs: Sequence[T], chunksize: int, window: int
) -> Iterator[R]:
    """``fn`` over ``jobs`` in chunks, results in order, at most ``window`` chunks submitted and not
    yet taken. The executor's own ``map`` submits every chunk at once, so when the caller is slower
    than the workers (the render stage's parent writes every page they make) their results pile up
    in the parent: hundreds of megabytes at 2,000 plans, growing with the corpus."""
    pending: collections.deque[Future[list[R]]] = collections.deque()
    starts = iter(range(0, len(jobs), chunksize))
    try:
        for start in starts:
            pending.append(pool.submit(fn, list(jobs[start : start + chunksize])))
            if len(pending) >= window:
                break
        while pending:
            done = pending.popleft().result()
            following = next(starts, None)
            if following is not None:
                pending.append(pool.submit(fn, list(jobs[following : following + chunksize])))
            yield from done
            del done
    finally:
        for future in pending:
            future.cancel()


def background(fn: Callable[[], R], *, late: bool = False) -> Callable[[], R]:
    """Start ``fn()`` now in a forked process; the function returned waits for its result (or raises
    its error). With one worker (``CONGKHAI_WORKERS=1``) or no ``fork``, ``fn`` runs here, now —
    or, ``late``, when its result is awaited (what it hands on then comes in the same order as
    from a forked process, and is not made before it is needed)."""
    if workers() < 2 or not can_fork():
        if late:
            return fn
        result = fn()
        return lambda: result
    ctx = multiprocessing.get_context("fork")
    # a plain pipe read as a stream: the result is unpickled as it arrives, never held here twice
    # (the whole pickle and the objects made from it; the data files are hundreds of megabytes)
    receive, send = os.pipe()

    def child() -> None:
        os.close(receive)
        os.environ["CONGKHAI_WORKERS"] = "1"  # a daemon process has no worker processes of its own
        try:
            data = pickle.dumps((True, fn()), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as exc:  # handed to the parent, raised there
            data = pickle.dumps((False, _portable(exc, traceback.format_exc())))
        with os.fdopen(send, "wb") as out:
            out.write(data)

    process = ctx.Process(target=child, daemon=True)
    with frozen():
        process.start()
    os.close(send)

    def wait() -> R:
        try:
            with os.fdopen(receive, "rb") as stream:
                ok, value = pickle.load(stream)
        except (EOFError, pickle.UnpicklingError):
            process.join()
            raise RuntimeError(f"background worker ended without a result (exit code {process.exitcode})") from None
        process.join()
        if not ok and isinstance(value, BaseException):
            raise value
        if not ok:
            raise RuntimeError(f"background worker failed: {value[0]}\n{value[1]}")
        return value  # type: ignore[no-any-return]

    return wait


def _portable(exc: BaseException, trace: str) -> BaseException | tuple[str, str]:
    """A background process's error as the parent will raise it: itself, with the process's
    traceback as a note, when it survives pickling (an ``OSError`` keeps its errno and file name,
    so a full disk met by the data side is named to the user as one met here is); else its
    ``repr`` and traceback, raised as a ``RuntimeError``."""
    try:
        exc.add_note(f"(in the background process)\n{trace}")
        copy = pickle.loads(pickle.dumps(exc, protocol=pickle.HIGHEST_PROTOCOL))
    except Exception:  # an exception type that cannot be rebuilt from its arguments
        return repr(exc), trace
    return copy if isinstance(copy, BaseException) else (repr(exc), trace)
