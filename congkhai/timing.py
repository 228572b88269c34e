"""Wall time of each pipeline stage, on stderr when ``CONGKHAI_TIMINGS`` is set.

The benchmark (``congkhai.bench``) sets it to explain *where* a build spends its time, not only how
long it takes; without the variable this costs nothing and prints nothing.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator

PREFIX = "congkhai-timing"


@contextlib.contextmanager
def stage(name: str) -> Iterator[None]:
    if not os.environ.get("CONGKHAI_TIMINGS"):
        yield
        return
    start = time.perf_counter()
    try:
        yield
    finally:
        print(f"{PREFIX} {name} {time.perf_counter() - start:.3f}", file=sys.stderr, flush=True)


def memory() -> None:
    """Peak memory of this process and of the largest child (Pagefind, a worker), in MiB."""
    if not os.environ.get("CONGKHAI_TIMINGS"):
        return
    import resource

    for name, who in (("python", resource.RUSAGE_SELF), ("children", resource.RUSAGE_CHILDREN)):
        mib = resource.getrusage(who).ru_maxrss / 1024  # KiB on Linux
        print(f"{PREFIX} peak_mib.{name} {mib:.1f}", file=sys.stderr, flush=True)


def parse(stderr: str) -> dict[str, float]:
    """Stage → seconds from a run's stderr (a stage seen twice is summed)."""
    out: dict[str, float] = {}
    for line in stderr.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == PREFIX:
            out[parts[1]] = out.get(parts[1], 0.0) + float(parts[2])
    return out
