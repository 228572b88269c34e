"""``map`` over the machine's cores for the per-page stages of the build (cleaning, search prep).

Worker processes cost a fraction of a second to start, so small sites are done in-process; the
results come back in order, so the output does not depend on how the work was split.

:func:`pmap_shared` is the same for work that needs large shared state (the corpus, a page
builder): the workers are forked, so they inherit the state instead of receiving it pickled; only
the jobs and the results cross between processes. :func:`background` runs one piece of work in a
forked process while this one goes on (the render stage writes the workbook and the SQLite file
that way while it renders the pages).
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
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


def pmap(fn: Callable[[T], R], jobs: Sequence[T], chunksize: int = 64) -> list[R]:
    if workers() < 2 or len(jobs) < MIN_JOBS:
        return [fn(job) for job in jobs]
    with ProcessPoolExecutor(max_workers=workers()) as pool:
        return list(pool.map(fn, jobs, chunksize=chunksize))


#: what the forked workers of :func:`pmap_shared` inherit: the function and its shared state
_SHARED: tuple[Callable[[Any, Any], Any], Any] | None = None


def _shared_call(job: Any) -> Any:
    assert _SHARED is not None
    fn, shared = _SHARED
    return fn(shared, job)


def pmap_shared(fn: Callable[[S, T], R], shared: S, jobs: Sequence[T], chunksize: int = 16) -> list[R]:
    """``[fn(shared, job) for job in jobs]``, in order, over the cores: ``shared`` is inherited by
    forked workers (never pickled); ``fn`` must be a module-level function, each result plain data."""
    global _SHARED
    if workers() < 2 or len(jobs) < MIN_JOBS or not can_fork() or _SHARED is not None:
        return [fn(shared, job) for job in jobs]
    _SHARED = (fn, shared)
    try:
        with ProcessPoolExecutor(max_workers=workers(), mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(_shared_call, jobs, chunksize=chunksize))
    finally:
        _SHARED = None


def background(fn: Callable[[], R]) -> Callable[[], R]:
    """Start ``fn()`` now in a forked process; the function returned waits for its result (or raises
    its error). With one worker (``CONGKHAI_WORKERS=1``) or no ``fork``, ``fn`` runs here, now."""
    if workers() < 2 or not can_fork():
        result = fn()
        return lambda: result
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)

    def child() -> None:
        receive.close()
        os.environ["CONGKHAI_WORKERS"] = "1"  # a daemon process has no worker processes of its own
        try:
            data = pickle.dumps((True, fn()), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as exc:  # handed to the parent, raised there
            data = pickle.dumps((False, (repr(exc), traceback.format_exc())))
        send.send_bytes(data)
        send.close()

    process = ctx.Process(target=child, daemon=True)
    process.start()
    send.close()

    def wait() -> R:
        try:
            ok, value = pickle.loads(receive.recv_bytes())
        except EOFError:
            process.join()
            raise RuntimeError(f"background worker ended without a result (exit code {process.exitcode})") from None
        finally:
            receive.close()
        process.join()
        if not ok:
            raise RuntimeError(f"background worker failed: {value[0]}\n{value[1]}")
        return value  # type: ignore[no-any-return]

    return wait
