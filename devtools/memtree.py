"""Peak memory of a command's whole process tree (Linux), sampled from ``/proc``.

``python -m devtools.memtree -- python build_site.py build --root R --out R/site`` runs the command
and samples, every ``--every`` seconds, the process and all its live descendants (forked workers,
Pagefind): the sum of their resident memory (``VmRSS``; shared copy-on-write pages counted in every
process that maps them) and of their proportional share (``Pss``: shared pages split between the
processes, what the tree really costs the machine). Prints one JSON line on stdout: the peaks, the
main process's own peak and the command's exit code; the command's output passes through.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import time
from pathlib import Path


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            out += [int(c) for c in task.read_text().split()]
    return out


def tree(pid: int) -> list[int]:
    """The process and its live descendants."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo += _children(p)
    return found


def _kib(path: str, key: str) -> int:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _python(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/comm").read_text().startswith("python")
    except OSError:
        return False


def sample(pid: int) -> dict[str, int]:
    """Tree RSS and PSS, the same of its Python processes only (not Pagefind), the main process's
    RSS (KiB), and the number of processes."""
    return sample_processes(pid)[0]


def sample_processes(pid: int) -> tuple[dict[str, int], dict[int, int]]:
    """:func:`sample`, and each process's PSS (pid → KiB)."""
    procs = tree(pid)
    rss = {p: _kib(f"/proc/{p}/status", "VmRSS") for p in procs}
    pss = {p: _kib(f"/proc/{p}/smaps_rollup", "Pss") for p in procs}
    ours = [p for p in procs if _python(p)]
    totals = {
        "tree_rss": sum(rss.values()),
        "tree_pss": sum(pss.values()),
        "python_rss": sum(rss[p] for p in ours),
        "python_pss": sum(pss[p] for p in ours),
        "main_rss": rss[pid],
        "processes": len(procs),
    }
    return totals, pss


def _parent(pid: int) -> int:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0
    return int(stat[stat.rfind(")") + 2 :].split()[1])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m devtools.memtree", description=__doc__.split("\n\n")[0])
    p.add_argument("--every", type=float, default=0.1, help="seconds between samples")
    p.add_argument("--timeline", type=Path, help="write every sample here, one JSON line each")
    p.add_argument("command", nargs=argparse.REMAINDER)
    args = p.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        p.error("no command")
    started = time.monotonic()
    proc = subprocess.Popen(command)
    peak: dict[str, int] = {}
    at_peak: list[dict[str, float]] = []
    with contextlib.ExitStack() as stack:
        timeline = stack.enter_context(args.timeline.open("w", encoding="utf-8")) if args.timeline else None
        while proc.poll() is None:
            totals, each = sample_processes(proc.pid)
            rows = [{"pid": q, "parent": _parent(q), "pss_mib": round(v / 1024, 1)} for q, v in each.items()]
            if totals["tree_pss"] > peak.get("tree_pss", -1):
                at_peak = rows
            for key, value in totals.items():
                peak[key] = max(peak.get(key, 0), value)
            if timeline is not None:
                seconds = round(time.monotonic() - started, 2)
                timeline.write(json.dumps({"s": seconds, "pss_mib": {r["pid"]: r["pss_mib"] for r in rows}}) + "\n")
            time.sleep(args.every)
    result: dict[str, object] = {f"{k}_mib": round(v / 1024, 1) for k, v in peak.items() if k != "processes"}
    result.update(processes=peak.get("processes", 0), rc=proc.returncode)
    result["at_peak"] = sorted(at_peak, key=lambda r: -r["pss_mib"])
    sys.stdout.flush()
    print(json.dumps(result))
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
