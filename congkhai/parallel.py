"""``map`` over the machine's cores for the per-page stages of the build (cleaning, search prep).

Worker processes cost a fraction of a second to start, so small sites are done in-process; the
results come back in order, so the output does not depend on how the work was split.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: below this many items the work is done in this process
MIN_JOBS = 200


def workers() -> int:
    """The cores to use: all of them (at most 8), or ``CONGKHAI_WORKERS`` (1 = no worker processes)."""
    setting = os.environ.get("CONGKHAI_WORKERS", "")
    if setting.isdigit() and int(setting) > 0:
        return int(setting)
    return min(os.cpu_count() or 1, 8)


def pmap(fn: Callable[[T], R], jobs: Sequence[T], chunksize: int = 64) -> list[R]:
    if workers() < 2 or len(jobs) < MIN_JOBS:
        return [fn(job) for job in jobs]
    with ProcessPoolExecutor(max_workers=workers()) as pool:
        return list(pool.map(fn, jobs, chunksize=chunksize))
