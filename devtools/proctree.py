"""Run a command; report its exit code and the peak memory of its whole process tree (issue 14).

    python devtools/proctree.py CMD [ARG …]     # prints one JSON line on stdout

``ru_maxrss`` of the waited children (what the benchmark reported before) is the peak of the
*largest single* process: a build whose Python process holds 3 GB while its search indexer holds
another 3 GB would show 3 GB. Here the resident memory (``VmRSS`` in ``/proc/<pid>/status``) of the
command and of every descendant alive at that moment is summed every :data:`INTERVAL` seconds, and
the largest sum is reported beside ``ru_maxrss``. Pages shared between processes (a forked worker's
copy-on-write memory) are counted once per process, so that sum errs high, never low. The
proportional set size (``Pss`` in ``/proc/<pid>/smaps_rollup``: a shared page divided among the
processes sharing it) is summed too: what the tree really holds, the figure the targets are judged
on. A peak shorter than the interval can be missed; the interval grows with what a sample costs
(:data:`COST_FACTOR`), so that measuring does not slow the build measured.

Standard library only: the benchmark runs this file as a script (``devtools.bench.run``), in front
of the command it times, without importing the package.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

#: seconds between two samples of the tree, at least
INTERVAL = 0.2
#: a sample waits this many times what it cost before the next: reading ``smaps_rollup`` walks the
#: process's page tables (150 ms for a 7 GB process), so at a fixed 0.2 s the sampler of a
#: 50,000-plan build took one of the machine's two cores, and about half of one at 10,000 plans —
#: slowing the very build it measured. At 19 times, it takes at most 5 % of one core.
COST_FACTOR = 19


def next_wait(cost: float, interval: float = INTERVAL) -> float:
    """Seconds to wait after a sample that took ``cost`` seconds."""
    return max(interval, cost * COST_FACTOR)


def _parents() -> dict[int, int]:
    """pid → parent pid of every process visible in /proc."""
    out: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:  # gone between the listing and the read
            continue
        # "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ")"
        fields = stat[stat.rfind(")") + 2 :].split()
        out[int(entry.name)] = int(fields[1])
    return out


def tree(pid: int) -> list[int]:
    """``pid`` and all its descendants alive now."""
    children: dict[int, list[int]] = {}
    for child, parent in _parents().items():
        children.setdefault(parent, []).append(child)
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo += children.get(p, [])
    return found


def rss_kib(pid: int) -> int:
    """Resident memory of one process in KiB (0 if it has gone or is a zombie)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def pss_kib(pid: int) -> int:
    """Proportional set size of one process in KiB (0 if it has gone, or the kernel has no
    ``smaps_rollup``: Linux before 4.14)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kib(pid: int) -> int:
    """Summed resident memory of ``pid`` and its descendants, in KiB."""
    return sum(rss_kib(p) for p in tree(pid))


def tree_kib(pid: int) -> tuple[int, int]:
    """(summed resident memory, summed proportional set size) of ``pid`` and its descendants, KiB."""
    pids = tree(pid)
    return sum(rss_kib(p) for p in pids), sum(pss_kib(p) for p in pids)


class Sampler:
    """Samples :func:`tree_rss_kib` of ``pid`` every ``interval`` seconds in a thread; ``peak_kib``."""

    def __init__(self, pid: int, interval: float = INTERVAL) -> None:
        self.pid, self.interval = pid, interval
        self.peak_kib = 0
        self.pss_peak_kib = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while True:
            started = time.perf_counter()
            rss, pss = tree_kib(self.pid)
            self.peak_kib = max(self.peak_kib, rss)
            self.pss_peak_kib = max(self.pss_peak_kib, pss)
            self.samples += 1
            if self._stop.wait(next_wait(time.perf_counter() - started, self.interval)):
                return

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def measure(cmd: list[str], interval: float = INTERVAL) -> tuple[int, bytes, dict[str, int]]:
    """Run ``cmd`` (stdout discarded); its exit code, its stderr and the memory figures (KiB)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    with Sampler(proc.pid, interval) as sampler:
        _, err = proc.communicate()
    figures = {
        "maxrss_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        "tree_peak_kib": sampler.peak_kib,
        "tree_pss_peak_kib": sampler.pss_peak_kib,
        "samples": sampler.samples,
    }
    return proc.returncode, err, figures


def main(argv: list[str]) -> int:
    rc, err, figures = measure(argv)
    sys.stderr.buffer.write(err[-20000:])
    sys.stdout.write(json.dumps({"rc": rc, **figures}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
