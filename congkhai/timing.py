"""Wall time of each pipeline stage, logged when ``CONGKHAI_TIMINGS`` is set.

The benchmark (``devtools/bench.py``) sets it to explain *where* a build spends its time, not only
how long it takes; without the variable this costs nothing. The lines go to the ``congkhai.timing``
logger; the command line (the only part that writes to the terminal) sends them to stderr.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Iterator

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


def memory() -> None:
    """Peak memory of this process and of the largest child (Pagefind, a worker), in MiB."""
    if not os.environ.get("CONGKHAI_TIMINGS"):
        return
    import resource

    for name, who in (("python", resource.RUSAGE_SELF), ("children", resource.RUSAGE_CHILDREN)):
        mib = resource.getrusage(who).ru_maxrss / 1024  # KiB on Linux
        log.info("%s peak_mib.%s %.1f", PREFIX, name, mib)


def parse(stderr: str) -> dict[str, float]:
    """Stage → seconds from a run's stderr (a stage seen twice is summed)."""
    out: dict[str, float] = {}
    for line in stderr.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == PREFIX:
            out[parts[1]] = out.get(parts[1], 0.0) + float(parts[2])
    return out
