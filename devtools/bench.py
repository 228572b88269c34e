"""Benchmark the pipeline against stock tools on a synthetic corpus (issue 6).

    python -m devtools.bench 1000 [10000 …] [--out BENCHMARKS.json] [--timeout S] [--keep DIR]

For each N: generate a corpus of N plans (``devtools.corpus.generate``) in a temporary folder and
time, each in its own process (wall time and peak RSS of the process tree):

- ``validate_cold``   ``build_site.py validate --root R``, no cache yet    full validation, first run
- ``validate_warm``   the same again (per-plan work from the cache)
- ``validate_one``    one plan edited, then ``validate --root R <it>``     the pull-request case
- ``validate_one_uncached``  the same with ``CONGKHAI_CACHE=off``          a CI run without its cache
- ``datasets``        ``build_site.py datasets --root R --out D``
- ``build_cold``      ``build_site.py build`` with ``CONGKHAI_CACHE=off``  the whole pipeline, nothing cached
- ``build``           ``build_site.py build`` (validation cache warm)     the usual rebuild
- ``stock_pagefind``  Pagefind 1.5 (the ``pagefind[bin]`` wheel) over the same pages our index reads: the built
                      site's searched pages prepared by ``publish/search.py prepare_html`` (untimed), the
                      tool our own index (``publish/searchindex.py``, in ``build``) replaced (issue 14)
- ``stock_mkdocs``    ``mkdocs build`` of the same staged Markdown pages with a minimal Material config
                      (nav and not_in_nav as in our mkdocs.yml, no custom_dir, not strict)
- ``frictionless``    ``frictionless validate D/datapackage.json``
- ``hugo``            only when a ``hugo`` binary is on PATH: the same staged Markdown, bare layouts

Then, on the built sites: the two builds must be byte-identical apart from declared build
timestamps (``congkhai.publish.reproducible``); every plan, task and citation must be there by id
(``tests.test_nothing_lost.lost``); and the bytes a fresh browser downloads before the first
search result are measured for typical queries (``tests.search_bench.measure``, Debian chromium).
Each build reports its stages (``CONGKHAI_TIMINGS``). Staging the pages for the stock tools
(``render_site`` + ``stage_docs``) is done once, untimed. ``--chart`` writes an SVG of time
against plan count.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from congkhai.timing import parse as parse_timings

ROOT = Path(__file__).resolve().parent.parent

# Run a command, then report the peak RSS of its process tree (ru_maxrss of waited children, KiB).
WRAP = (
    "import json,resource,subprocess,sys\n"
    "r=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.PIPE)\n"
    "sys.stderr.buffer.write(r.stderr[-20000:])\n"
    "print(json.dumps({'rc':r.returncode,'maxrss_kib':resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))\n"
)

PREPARE = """
import sys
from pathlib import Path
from congkhai.publish.search import indexed_files, prepare_html
site, out = Path(sys.argv[1]), Path(sys.argv[2])
for rel in indexed_files(site):
    page = prepare_html((site / rel).read_text(encoding="utf-8"))
    if page is not None:
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(page, encoding="utf-8")
"""

STAGE = """
import sys
from pathlib import Path
from congkhai.render import datasets
from congkhai.load.corpus import validate
from congkhai.publish.site import site_url, stage_docs
from congkhai.render.site import render_site
root, out = Path(sys.argv[1]), Path(sys.argv[2])
v = validate(root)
assert not v.errors, v.errors[:3]
downloads, pages = render_site(v, site_url(v.root), None)
stage_docs(root, pages, out)
datasets.write(downloads, out / "data")
"""


def run(name: str, cmd: list[str], timeout: float, env: dict[str, str] | None = None) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        proc = subprocess.run(
            [sys.executable, "-c", WRAP, *cmd], capture_output=True, text=True, timeout=timeout, env=env
        )
    except subprocess.TimeoutExpired:
        print(f"  {name}: timed out after {timeout:.0f} s", file=sys.stderr)
        return {"cmd": cmd, "seconds": None, "timeout": True}
    seconds = time.perf_counter() - started
    lines = proc.stdout.strip().splitlines()
    info: dict[str, Any] = json.loads(lines[-1]) if lines else {"rc": proc.returncode, "maxrss_kib": None}
    result: dict[str, Any] = {"cmd": cmd, "seconds": round(seconds, 3), "rc": info["rc"], "peak_rss_mib": None}
    if info.get("maxrss_kib"):
        result["peak_rss_mib"] = round(info["maxrss_kib"] / 1024, 1)
    if info["rc"] != 0:
        result["stderr_tail"] = proc.stderr[-1500:]
    stages = parse_timings(proc.stderr)
    if stages:
        result["stages"] = {k: round(v, 2) for k, v in stages.items()}
    print(f"  {name}: {seconds:.2f} s, peak {result['peak_rss_mib']} MiB, rc {info['rc']}", file=sys.stderr)
    return result


def size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.exists() else 0


#: Issue 12: no page of the site may be larger than this (uncompressed), whatever the corpus — a
#: phone on a slow connection does not open a 40 MB list.
PAGE_LIMIT_BYTES = 1_000_000


def largest_pages(site: Path, count: int = 5) -> dict[str, Any]:
    """The largest HTML pages of a built site (uncompressed bytes), biggest first, and the largest.

    Judged against :data:`PAGE_LIMIT_BYTES` by :func:`targets`; the few next ones show which kind
    of page would be the next to outgrow the limit.
    """
    found = ((f.stat().st_size, f.relative_to(site).as_posix()) for f in site.rglob("*.html"))
    files = sorted(found, key=lambda x: (-x[0], x[1]))[:count]
    top = files[0] if files else (0, "")
    return {
        "path": top[1],
        "bytes": top[0],
        "mib": round(top[0] / 2**20, 2),
        "top": [{"path": p, "bytes": b} for b, p in files],
    }


#: A shard of a list's filter data (render/shards.py) that a filter may fetch: bounded like a page.
SHARD_LIMIT_BYTES = 500_000


def filter_data(site: Path) -> dict[str, Any]:
    """The filter data of the long lists (``loc/<list>/``): per list the manifest's bytes, the number
    of shards, their total bytes and the largest; judged against :data:`SHARD_LIMIT_BYTES`."""
    from congkhai.model.sitemap import FILTER_DIR

    out: dict[str, Any] = {}
    folder = site / FILTER_DIR
    for lst in sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []:
        shards = sorted(
            ((f.stat().st_size, f.name) for f in lst.glob("*.json") if not f.name.startswith("index")),
            key=lambda x: (-x[0], x[1]),
        )
        # the bodies listed per province (render/shards.py SCOPED): fetched one province at a time
        values = [f.stat().st_size for f in lst.glob("index-*.json")]
        manifest = lst / "index.json"
        out[lst.name] = {
            "manifest_bytes": manifest.stat().st_size if manifest.is_file() else 0,
            "value_files": len(values),
            "largest_value_file": max(values, default=0),
            "shards": len(shards),
            "shard_bytes": sum(b for b, _ in shards),
            "largest_shard": {"path": f"{FILTER_DIR}/{lst.name}/{shards[0][1]}", "bytes": shards[0][0]}
            if shards
            else None,
        }
    return out


def stock_config(root: Path, docs: Path, out: Path) -> Path:
    """Our mkdocs.yml reduced to stock Material: same nav, not_in_nav and Markdown extensions."""
    text = (root / "mkdocs.yml").read_text(encoding="utf-8").replace('!ENV [SITE_URL, ""]', '""')
    config = yaml.safe_load(text)
    config["theme"] = {"name": "material", "language": "vi", "font": False}
    config["strict"] = False
    config.pop("validation", None)
    config["docs_dir"] = str(docs)
    config["site_dir"] = str(out)
    path = docs.parent / "mkdocs-stock.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def hugo_site(docs: Path, where: Path) -> Path:
    """A bare Hugo site whose content is the staged Markdown (front matter kept as is)."""
    where.mkdir(parents=True, exist_ok=True)
    (where / "hugo.toml").write_text(
        'baseURL = "/"\ntitle = "Công khai"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n'
        "[markup.goldmark.renderer]\nunsafe = true\n",
        encoding="utf-8",
    )
    layouts = where / "layouts" / "_default"
    layouts.mkdir(parents=True, exist_ok=True)
    page = "<!doctype html><html lang=vi><head><title>{{ .Title }}</title></head><body>{{ .Content }}</body></html>\n"
    (layouts / "single.html").write_text(page, encoding="utf-8")
    (layouts / "list.html").write_text(page, encoding="utf-8")
    content = where / "content"
    if content.exists():
        shutil.rmtree(content)
    shutil.copytree(docs, content, ignore=shutil.ignore_patterns("data", "javascripts", "stylesheets"))
    return where


def bench_one(n: int, timeout: float, keep: Path | None) -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp(prefix=f"ck-bench-{n}-", dir=keep))
    try:
        root = tmp / "repo"
        started = time.perf_counter()
        from .corpus import generate

        generate(root, n)
        gen_seconds = time.perf_counter() - started
        plans = sorted((root / "docs" / "plans").glob("*/*.md"))
        print(
            f"N={n}: corpus generated in {gen_seconds:.1f} s ({size(root / 'docs' / 'plans') / 2**20:.1f} MiB)",
            file=sys.stderr,
        )
        env = {
            **os.environ,
            "NO_MKDOCS_2_WARNING": "1",
            "SOURCE_DATE_EPOCH": "1735689600",
            "CONGKHAI_TIMINGS": "1",
            "CONGKHAI_CACHE": str(tmp / "cache"),
        }
        uncached = {**env, "CONGKHAI_CACHE": "off"}
        cli = [sys.executable, str(ROOT / "build_site.py")]
        res: dict[str, dict[str, Any]] = {}
        res["validate_cold"] = run("validate_cold", [*cli, "validate", "--root", str(root)], timeout, env)
        res["validate_warm"] = run("validate_warm", [*cli, "validate", "--root", str(root)], timeout, env)
        one = plans[len(plans) // 2]
        one.write_text(one.read_text(encoding="utf-8") + "\nMột đoạn được thêm trong yêu cầu hợp nhất.\n", "utf-8")
        one_cmd = [*cli, "validate", "--root", str(root), str(one)]
        res["validate_one"] = run("validate_one", one_cmd, timeout, env)
        res["validate_one_uncached"] = run("validate_one_uncached", one_cmd, timeout, uncached)
        res["datasets"] = run(
            "datasets", [*cli, "datasets", "--root", str(root), "--out", str(tmp / "ds")], timeout, env
        )
        cold_site, site = tmp / "site-cold", tmp / "site"
        build = [*cli, "build", "--root", str(root), "--out"]
        res["build_cold"] = run("build_cold", [*build, str(cold_site)], timeout, uncached)
        res["build"] = run("build", [*build, str(site)], timeout, env)
        checks = site_checks(root, cold_site, site)
        # Incremental: one more plan changed, the page cache warm from "build" (publish/pagecache.py):
        # only that plan's page and the lists showing it are rendered again, and tokenised for search again.
        other = plans[len(plans) // 3]
        other.write_text(other.read_text(encoding="utf-8") + "\nMột đoạn được thêm sau khi ban hành.\n", "utf-8")
        res["build_incremental"] = run("build_incremental", [*build, str(tmp / "site-incremental")], timeout, env)
        # Stock tools on the same content.
        prepared = tmp / "stock" / "prepared"
        subprocess.run(
            [sys.executable, "-c", PREPARE, str(site), str(prepared)],
            check=True,
            timeout=timeout,
            env={**env, "PYTHONPATH": str(ROOT)},
        )
        try:
            from pagefind.service import get_executable

            binary = get_executable()
        except ImportError:
            binary = None
        if binary is not None:
            pf_cmd = [str(binary), "--site", str(prepared), "--output-path", str(tmp / "stock" / "pagefind")]
            res["stock_pagefind"] = run("stock_pagefind", [*pf_cmd, "--force-language", "vi", "--silent"], timeout, env)
        staged = tmp / "stock" / "pages"
        st = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", STAGE, str(root), str(staged)],
            check=True,
            timeout=timeout,
            env={**env, "PYTHONPATH": str(ROOT)},
        )
        stage_seconds = time.perf_counter() - st
        config = stock_config(root, staged, tmp / "stock" / "site")
        mkdocs = shutil.which("mkdocs", path=str(Path(sys.executable).parent)) or "mkdocs"
        res["stock_mkdocs"] = run("stock_mkdocs", [mkdocs, "build", "-q", "-f", str(config)], timeout, env)
        fl = shutil.which("frictionless", path=str(Path(sys.executable).parent)) or "frictionless"
        res["frictionless"] = run("frictionless", [fl, "validate", str(tmp / "ds" / "datapackage.json")], timeout, env)
        hugo = shutil.which("hugo")
        if hugo:
            hs = hugo_site(staged, tmp / "hugo")
            res["hugo"] = run(
                "hugo", [hugo, "--quiet", "-s", str(hs), "-d", str(tmp / "hugo" / "public")], timeout, env
            )
        checks["largest_page"] = largest_pages(site)
        checks["filter_data"] = filter_data(site)
        sizes = {
            "plans_mib": size(root / "docs" / "plans") / 2**20,
            "datasets_mib": size(tmp / "ds") / 2**20,
            "site_mib": size(tmp / "site") / 2**20,
            "search_index_mib": size(tmp / "site" / "pagefind") / 2**20,
            "stock_pagefind_mib": size(tmp / "stock" / "pagefind") / 2**20,
            "stock_mkdocs_site_mib": size(tmp / "stock" / "site") / 2**20,
            "hugo_public_mib": size(tmp / "hugo" / "public") / 2**20,
        }
        pages = sum(1 for _ in (tmp / "site").rglob("*.html")) if (tmp / "site").exists() else 0
        return {
            "n": n,
            "generate_seconds": round(gen_seconds, 2),
            "stage_seconds_untimed_for_stock": round(stage_seconds, 2),
            "html_pages": pages,
            "results": res,
            "checks": checks,
            "sizes_mib": {k: round(v, 2) for k, v in sizes.items()},
        }
    finally:
        if keep is None:
            shutil.rmtree(tmp, ignore_errors=True)


def site_checks(root: Path, cold: Path, warm: Path) -> dict[str, Any]:
    """Determinism, nothing lost, search transfer — on the sites just built."""
    from congkhai.publish.reproducible import differences

    out: dict[str, Any] = {}
    if cold.is_dir() and warm.is_dir():
        diff = differences(cold, warm)
        out["determinism"] = {"identical_apart_from_declared_timestamps": not diff, "differences": diff[:20]}
        print(f"  determinism: {len(diff)} files differ between the two builds", file=sys.stderr)
    try:
        sys.path.insert(0, str(ROOT))
        from tests.search_bench import QUERIES, measure
        from tests.test_nothing_lost import lost
    except ImportError as exc:  # an installed package without the tests
        out["skipped"] = f"tests not importable: {exc}"
        return out
    if warm.is_dir():
        missing = lost(root, warm)
        out["nothing_lost"] = {"ok": not missing, "missing": missing[:20]}
        print(f"  nothing lost: {len(missing)} missing", file=sys.stderr)
        try:
            found = measure(warm, QUERIES)
            out["search"] = [
                {"query": q, "bytes": wire, "pagefind_bytes": pf, "requests": n, "decoded_bytes": decoded}
                for q, wire, pf, n, decoded in found
            ]
        except Exception as exc:  # no chromium: reported, not fatal to the timings
            out["search"] = {"error": f"{type(exc).__name__}: {exc}"}
    return out


def table(runs: list[dict[str, Any]]) -> str:
    rows = [
        "| N | step | seconds | ms/plan | peak RSS MiB | × stock mkdocs | × frictionless |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in runs:
        res = r["results"]
        mk = res.get("stock_mkdocs", {}).get("seconds")
        fr = res.get("frictionless", {}).get("seconds")
        for step, m in res.items():
            s = m.get("seconds")
            if s is None:
                rows.append(f"| {r['n']} | {step} | timeout | | | | |")
                continue
            ratio_mk = f"{s / mk:.2f}" if mk else ""
            ratio_fr = f"{s / fr:.2f}" if fr and step.startswith(("validate", "datasets")) else ""
            flag = "" if m.get("rc") == 0 else f" (rc {m.get('rc')})"
            rows.append(
                f"| {r['n']} | {step}{flag} | {s:.2f} | {1000 * s / r['n']:.1f} | {m.get('peak_rss_mib')} | "
                f"{ratio_mk} | {ratio_fr} |"
            )
    rows += ["", "Stages of the builds (seconds; peak MiB of the Python process and of its largest child):", ""]
    names = [
        "validate",
        "render",
        "stage",
        "mkdocs",
        "clean",
        "cache",
        "search",
        "peak_mib.python",
        "peak_mib.children",
    ]
    rows += ["| N | build | " + " | ".join(names) + " |", "|---:|---|" + "---:|" * len(names)]
    for r in runs:
        for step in ("build_cold", "build", "build_incremental"):
            st = r["results"].get(step, {}).get("stages", {})
            if st:
                rows.append(f"| {r['n']} | {step} | " + " | ".join(str(st.get(k, "")) for k in names) + " |")
    rows += ["", "Checks on the built sites:", ""]
    for r in runs:
        c = r.get("checks", {})
        det = c.get("determinism", {}).get("identical_apart_from_declared_timestamps")
        lost = c.get("nothing_lost", {}).get("ok")
        search = c.get("search")
        kib = (
            ", ".join(
                f"{x['query']!r} {x['bytes'] / 1024:.0f} KiB ({x['decoded_bytes'] / 1024:.0f} decoded)" for x in search
            )
            if isinstance(search, list)
            else str(search)
        )
        sz = ", ".join(f"{k} {v}" for k, v in r["sizes_mib"].items())
        rows.append(
            f"- N={r['n']}: two builds identical: {det}; nothing lost: {lost}; largest page "
            f"{c.get('largest_page')}; filter data {c.get('filter_data')}; "
            f"search, bytes before the first result: {kib}; sizes (MiB): {sz}; "
            f"{r['html_pages']} HTML pages"
        )
    return "\n".join(rows)


def targets(runs: list[dict[str, Any]]) -> list[tuple[str, str, bool | None]]:
    """Issue 6's targets, judged on the largest N measured (and 1k for linear growth)."""
    by_n = {r["n"]: r for r in runs}
    big = by_n[max(by_n)]
    res = big["results"]

    def sec(r: dict[str, Any], step: str) -> float | None:
        value = r["results"].get(step, {}).get("seconds")
        return float(value) if value is not None else None

    out: list[tuple[str, str, bool | None]] = []
    one = sec(big, "validate_one")
    out.append((f"validate one changed plan at N={big['n']} < 3 s", f"{one} s", one is not None and one < 3))
    mk = sec(big, "stock_mkdocs")
    for step in ("build_cold", "build"):
        b = sec(big, step)
        ratio = b / mk if b and mk else None
        hugo = sec(big, "hugo")
        hugo_ratio = f", {b / hugo:.0f}× Hugo" if b and hugo else ""
        out.append(
            (
                f"{step} at N={big['n']} ≤ 1.3× stock mkdocs",
                f"{ratio:.2f}×{hugo_ratio}" if ratio else "n/a",
                bool(ratio and ratio <= 1.3),
            )
        )
    inc, cold = sec(big, "build_incremental"), sec(big, "build_cold")
    if inc is not None and cold:
        out.append(
            (
                f"build_incremental (one changed plan, cache warm) at N={big['n']} ≤ 60 s and ≤ 0.15× build_cold",
                f"{inc:.1f} s, {inc / cold:.2f}×",
                inc <= 60 and inc / cold <= 0.15,
            )
        )
    if 1000 in by_n and big["n"] > 1000:
        for step in ("build_cold", "validate_cold"):
            a, b = sec(by_n[1000], step), sec(big, step)
            if a and b:
                growth = (b / big["n"]) / (a / 1000)
                out.append(
                    (f"{step}: time per plan at {big['n']} within 1.25× of 1k", f"{growth:.2f}×", growth <= 1.25)
                )
    peak = max((m.get("peak_rss_mib") or 0) for m in res.values() if "stock" not in str(m.get("cmd")))
    out.append((f"peak memory at N={big['n']} < 4 GB (our commands)", f"{peak:.0f} MiB", peak < 4096))
    page = big.get("checks", {}).get("largest_page")
    if isinstance(page, dict) and "bytes" in page:
        out.append(
            (
                f"largest HTML page at N={big['n']} ≤ {PAGE_LIMIT_BYTES / 1e6:.0f} MB (uncompressed)",
                f"{page['bytes'] / 1e6:.2f} MB ({page['path']})",
                page["bytes"] <= PAGE_LIMIT_BYTES,
            )
        )
    lists = big.get("checks", {}).get("filter_data")
    if isinstance(lists, dict) and lists:
        files = [
            (d["largest_shard"]["bytes"], d["largest_shard"]["path"]) for d in lists.values() if d.get("largest_shard")
        ]
        files += [(d["manifest_bytes"], f"{name} (manifest)") for name, d in lists.items()]
        files += [(d.get("largest_value_file", 0), f"{name} (bodies of a province)") for name, d in lists.items()]
        worst = max(files)
        out.append(
            (
                f"largest filter file at N={big['n']} ≤ {SHARD_LIMIT_BYTES / 1e3:.0f} KB (shard, manifest or bodies)",
                f"{worst[0] / 1e3:.0f} KB ({worst[1]}); shards in all: "
                + ", ".join(
                    f"{name} {d['shards']} files, {d['shard_bytes'] / 1e6:.1f} MB" for name, d in lists.items()
                ),
                worst[0] <= SHARD_LIMIT_BYTES,
            )
        )
    search = big.get("checks", {}).get("search")
    if isinstance(search, list) and search:
        worst = max(x["bytes"] for x in search)
        raw = max(x["decoded_bytes"] for x in search)
        out.append(
            (
                f"search at N={big['n']} < 1 MB before the first result (gzip host)",
                f"≤ {worst / 1e6:.2f} MB on the wire, ≤ {raw / 1e6:.2f} MB decoded",
                worst < 1e6,
            )
        )
    return out


def chart(runs: list[dict[str, Any]]) -> str:
    """Seconds against plan count, log–log, one line per step: the SVG shown in BENCHMARKS.md."""
    import math

    steps = ["build_cold", "build", "stock_mkdocs", "hugo", "validate_cold", "validate_one", "frictionless"]
    colours = ["#c0392b", "#e67e22", "#2c3e50", "#7f8c8d", "#2980b9", "#27ae60", "#8e44ad"]
    ns = sorted(r["n"] for r in runs)
    points = {
        st: [
            (r["n"], r["results"][st]["seconds"])
            for r in sorted(runs, key=lambda r: r["n"])
            if r["results"].get(st, {}).get("seconds")
        ]
        for st in steps
    }
    values = [v for pts in points.values() for _, v in pts]
    if not ns or not values:
        return ""
    w, h, left, bottom, top, right = 720, 420, 70, 50, 20, 170
    lo_n, hi_n = math.log10(ns[0]) - 0.1, math.log10(ns[-1]) + 0.1
    lo_s, hi_s = math.floor(math.log10(min(values))), math.ceil(math.log10(max(values)))
    hi_s = max(hi_s, lo_s + 1)

    def x(n: float) -> float:
        return left + (math.log10(n) - lo_n) / (hi_n - lo_n) * (w - left - right)

    def y(sec: float) -> float:
        return h - bottom - (math.log10(sec) - lo_s) / (hi_s - lo_s) * (h - bottom - top)

    svg = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">',
        f'<rect width="{w}" height="{h}" fill="white"/>',
        f'<text x="{left}" y="14">seconds (log) against plans (log) — make bench</text>',
    ]
    for e in range(lo_s, hi_s + 1):
        svg.append(f'<line x1="{left}" x2="{w - right}" y1="{y(10**e):.1f}" y2="{y(10**e):.1f}" stroke="#ddd"/>')
        svg.append(f'<text x="{left - 8}" y="{y(10**e) + 4:.1f}" text-anchor="end">{10**e:g} s</text>')
    for n in ns:
        svg.append(f'<text x="{x(n):.1f}" y="{h - bottom + 18}" text-anchor="middle">{n:,}</text>')
    for i, (st, pts) in enumerate(points.items()):
        if not pts:
            continue
        colour = colours[i % len(colours)]
        path = " ".join(f"{x(n):.1f},{y(v):.1f}" for n, v in pts)
        svg.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        svg += [f'<circle cx="{x(n):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}"/>' for n, v in pts]
        ly = top + 20 + 18 * i
        svg.append(
            f'<line x1="{w - right + 10}" x2="{w - right + 30}" y1="{ly}" y2="{ly}" stroke="{colour}" stroke-width="2"/>'
        )
        svg.append(f'<text x="{w - right + 36}" y="{ly + 4}">{st}</text>')
    svg.append("</svg>")
    return "\n".join(svg) + "\n"


def machine() -> dict[str, Any]:
    mem = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "mem_gib": mem,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "hugo": shutil.which("hugo"),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m devtools.bench", description=__doc__.split("\n\n")[0])
    p.add_argument("sizes", nargs="*", type=int, default=[1000])
    p.add_argument("--out", type=Path, default=None, help="write the figures as JSON")
    p.add_argument("--timeout", type=float, default=1800, help="seconds allowed per measured command")
    p.add_argument("--keep", type=Path, default=None, help="keep the corpora and outputs under this folder")
    p.add_argument("--chart", type=Path, default=None, help="write an SVG chart of time against plan count")
    args = p.parse_args(argv)
    runs = [bench_one(n, args.timeout, args.keep) for n in args.sizes]
    print(table(runs))
    print("\nTargets of issue 6:\n")
    for name, value, ok in targets(runs):
        print(f"- {'met' if ok else 'MISSED'}: {name}: {value}")
    if args.chart:
        args.chart.write_text(chart(runs), encoding="utf-8")
    if args.out:
        args.out.write_text(
            json.dumps({"machine": machine(), "runs": runs}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    failed = [k for r in runs for k, m in r["results"].items() if m.get("rc") not in (0, None) or m.get("timeout")]
    failed += [
        f"{r['n']}: {name}"
        for r in runs
        for name, ok in (
            ("determinism", r.get("checks", {}).get("determinism", {}).get("identical_apart_from_declared_timestamps")),
            ("nothing lost", r.get("checks", {}).get("nothing_lost", {}).get("ok")),
        )
        if ok is False
    ]
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
