"""The national site from two province shards against one repository of the same plans (issue 14).

    python -m devtools.national_bench 1000 [--keep DIR] [--no-search]

Generates ``2 × N`` plans (``devtools.corpus.generate``), splits them by province folder into two
repositories that share the national reference tables (each keeping only its own provinces' bodies
in ``units.csv``, as ``tests/test_merge.py`` does), and times, each in its own process (wall time and
peak RSS, ``devtools.bench.run``):

- ``one_repository``  ``build_site.py build`` of all ``2 × N`` plans (``SITE_URL=https://host.example/``)
- ``shard_a``, ``shard_b``  each province's own build (``SITE_URL=https://host.example/<shard>/``),
  which each province's CI runs anyway
- ``national``  ``build_site.py national a/site b/site --out nat``: the national job

Then the bytes a fresh browser downloads before the first result of the five typical queries of
``tests.search_bench`` and of its one-syllable query, on the one repository's search page and on the
national search page (the host laid out as deployed: the national site at ``/``, each shard under ``/<shard>/``).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from devtools.bench import run
from devtools.corpus import ROOT, generate

HOST = "https://host.example/"
SHARDS = ("shard-a", "shard-b")


def _units(repo: Path, keep: set[str], base_ids: set[str]) -> None:
    path = repo / "data" / "units.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(r for r in rows if r["id"] in base_ids or r["province"] in keep)


def split(corpus: Path, work: Path) -> dict[str, int]:
    """Split ``corpus`` by province folder into the repositories ``work/<shard>`` of :data:`SHARDS`
    (alternate provinces, so about half the plans each); the plans in each shard."""
    provinces = sorted(p.name for p in (corpus / "docs" / "plans").iterdir() if p.is_dir())
    base = (ROOT / "data" / "units.csv").read_text(encoding="utf-8")
    base_ids = {r["id"] for r in csv.DictReader(io.StringIO(base, newline=""))}
    parts = dict(zip(SHARDS, (set(provinces[::2]), set(provinces[1::2])), strict=True))
    out = {}
    for name, mine in parts.items():
        repo = work / name
        shutil.copytree(corpus, repo)
        for folder in (repo / "docs" / "plans").iterdir():
            if folder.is_dir() and folder.name not in mine:
                shutil.rmtree(folder)
        _units(repo, mine, base_ids)
        out[name] = sum(1 for _ in (repo / "docs" / "plans").glob("*/*.md"))
    return out


def bench(n: int, work: Path, search: bool) -> dict[str, Any]:
    corpus = work / "corpus"
    generate(corpus, 2 * n, seed=1)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1732233600"}
    cli = [sys.executable, str(ROOT / "build_site.py")]
    out: dict[str, Any] = {"n_per_shard": n}
    out.update({f"{name}_plans": count for name, count in split(corpus, work).items()})
    timeout = 3600.0
    out["one_repository"] = run(
        "one_repository", [*cli, "--root", str(corpus), "build"], timeout, {**env, "SITE_URL": HOST}
    )
    for name in SHARDS:
        out[name] = run(
            name, [*cli, "--root", str(work / name), "build"], timeout, {**env, "SITE_URL": f"{HOST}{name}/"}
        )
    nat = work / "nat"
    sites = [str(work / name / "site") for name in SHARDS]
    out["national"] = run("national", [*cli, "national", *sites, "--out", str(nat)], timeout, env)
    one, national = out["one_repository"]["seconds"], out["national"]["seconds"]
    if one and national:
        out["national_over_one_repository"] = round(national / one, 3)
    if search:
        from tests.search_bench import ONE_SYLLABLE, QUERIES, measure

        host = work / "host"
        host.mkdir()
        shutil.copytree(nat, host, dirs_exist_ok=True)
        for name in SHARDS:
            os.symlink(work / name / "site", host / name)  # as tests/national_shards.py lays it out, linked
        print("one repository:", file=sys.stderr)
        out["search_one_repository"] = measure(corpus / "site", QUERIES + ONE_SYLLABLE)
        print("national (two shards):", file=sys.stderr)
        out["search_national"] = measure(host, QUERIES + ONE_SYLLABLE, results="#qg-results li a", status="#qg-status")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="plans per shard")
    ap.add_argument("--keep", type=Path, default=None, help="work in this folder and keep it")
    ap.add_argument("--no-search", action="store_true", help="skip the browser measurement")
    args = ap.parse_args(argv)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        result = bench(args.n, args.keep, not args.no_search)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            result = bench(args.n, Path(tmp), not args.no_search)
    sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
