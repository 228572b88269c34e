"""The targets of a benchmark run as the Markdown table BENCHMARKS.md shows (issue 14).

    python -m devtools.bench_report [BENCHMARKS.json]      # prints the table

``make bench`` writes the judged targets into ``BENCHMARKS.json`` (``targets``: a list of
``{name, value, met}``, :func:`devtools.bench.targets_json`); this renders them, with the corpus
sizes and the machine the figures were measured on, so that the figures recorded in BENCHMARKS.md
are the run's own, not copied by hand.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from devtools.bench import verdict


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render(doc: dict[str, Any]) -> str:
    rows = ["| target | result | status |", "|---|---|---|"]
    for t in doc.get("targets", []):
        status = verdict(t.get("met"))
        rows.append(f"| {_cell(t['name'])} | {_cell(t['value'])} | {'**' + status + '**' if status else ''} |")
    sizes = ", ".join(f"{r['n']:,}" for r in doc.get("runs", []))
    m = doc.get("machine", {})
    note = f"Sizes measured: {sizes or 'none'} plans; {m.get('nproc', '?')} cores, {m.get('mem_gib', '?')} GiB."
    return "\n".join([*rows, "", note]) + "\n"


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else Path("BENCHMARKS.json")
    sys.stdout.write(render(json.loads(path.read_text(encoding="utf-8"))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
