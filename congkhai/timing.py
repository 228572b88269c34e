"""Wall time and memory of each pipeline stage, logged when ``CONGKHAI_TIMINGS`` is set.

The benchmark (``devtools/bench.py``) sets it to explain *where* a build spends its time, not only
how long it takes; without the variable this costs nothing. The lines go to the ``congkhai.timing``
logger; the command line (the only part that writes to the terminal) sends them to stderr.

At each stage's end this process's memory is logged too: ``rss_mib.<stage>`` what it holds then,
``peak_mib.<stage>`` its peak so far (Linux: ``/proc/self/status``), so a stage that keeps what it
no longer needs shows as a step that does not come down.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path

PREFIX = "congkhai-timing"
log = logging.getLogger("congkhai.timing")


@contextlib.contextmanager
def stage(name: str) -> Iterator[None]:
    if not os.environ.get("CONGKHAI_TIMINGS"):
        yield
        return
    start = time.perf_counter()
    try:
        yield
    finally:
        log.info("%s %s %.3f", PREFIX, name, time.perf_counter() - start)
        held = rss()
        if held is not None:
            log.info("%s rss_mib.%s %.1f", PREFIX, name, held[0])
            log.info("%s peak_mib.%s %.1f", PREFIX, name, held[1])


def rss() -> tuple[float, float] | None:
    """This process's resident memory now and at its peak (``VmRSS``, ``VmHWM``), in MiB; None
    where ``/proc`` does not say (not Linux)."""
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    found = {}
    for line in status.splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) / 1024  # kB
    if len(found) != 2:
        return None
    return found["VmRSS"], found["VmHWM"]


#: seconds this process spent in the cyclic garbage collector: full collections, young ones
_GC = {"gc.full": 0.0, "gc.young": 0.0}
_GC_STARTED = [0.0]


def watch_gc() -> None:
    """Count the time the garbage collector takes (logged by :func:`memory` as ``gc.full`` and
    ``gc.young``): it runs inside every stage and costs more as the corpus it walks grows."""
    if not os.environ.get("CONGKHAI_TIMINGS") or _gc_time in gc.callbacks:
        return
    gc.callbacks.append(_gc_time)


def _gc_time(phase: str, info: dict[str, int]) -> None:
    if phase == "start":
        _GC_STARTED[0] = time.perf_counter()
    else:
        _GC["gc.full" if info.get("generation") == 2 else "gc.young"] += time.perf_counter() - _GC_STARTED[0]


def memory() -> None:
    """Peak memory of this process and of the largest child (Pagefind, a worker), in MiB; the time
    spent in the garbage collector (:func:`watch_gc`)."""
    if not os.environ.get("CONGKHAI_TIMINGS"):
        return
    import resource

    for name, seconds in _GC.items():
        log.info("%s %s %.3f", PREFIX, name, seconds)

    for name, who in (("python", resource.RUSAGE_SELF), ("children", resource.RUSAGE_CHILDREN)):
        mib = resource.getrusage(who).ru_maxrss / 1024  # KiB on Linux
        log.info("%s peak_mib.%s %.1f", PREFIX, name, mib)


def parse(stderr: str) -> dict[str, float]:
    """Stage → seconds from a run's stderr (a stage seen twice is summed); the memory lines
    (``*_mib.*``, in MiB) keep their largest value."""
    out: dict[str, float] = {}
    for line in stderr.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == PREFIX:
            value = float(parts[2])
            if "_mib." in parts[1]:
                out[parts[1]] = max(out.get(parts[1], value), value)
            else:
                out[parts[1]] = out.get(parts[1], 0.0) + value
    return out
