"""Benchmark the pipeline against stock tools on a synthetic corpus (issue 6).

    python -m congkhai.bench 1000 [10000 …] [--out BENCHMARKS.json] [--timeout S] [--keep DIR]

For each N: generate a corpus of N plans (``congkhai.corpus.generate``) in a temporary folder and
time, each in its own process (wall time and peak RSS of the process tree):

- ``validate``      ``build_site.py validate --root R``                 full validation
- ``validate_one``  ``build_site.py validate --root R <one plan>``      the pull-request case
- ``datasets``      ``build_site.py datasets --root R --out D``         validation + dataset writing
- ``build``         ``build_site.py build --root R --out S``            the whole pipeline (+ Pagefind)
- ``stock_mkdocs``  ``mkdocs build`` of the same staged Markdown pages with a minimal Material config
                    (nav and not_in_nav as in our mkdocs.yml, no custom_dir, not strict)
- ``frictionless``  ``frictionless validate D/datapackage.json``
- ``hugo``          only when a ``hugo`` binary is on PATH: the same staged Markdown with a bare config

Staging the pages for the stock tools (``render_all`` + ``stage_docs``) is done once, untimed.
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

ROOT = Path(__file__).resolve().parent.parent

# Run a command, then report the peak RSS of its process tree (ru_maxrss of waited children, KiB).
WRAP = (
    "import json,resource,subprocess,sys\n"
    "r=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.PIPE)\n"
    "sys.stderr.buffer.write(r.stderr[-4000:])\n"
    "print(json.dumps({'rc':r.returncode,'maxrss_kib':resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))\n"
)

STAGE = """
import sys
from pathlib import Path
from congkhai import datasets
from congkhai.pipeline import validate
from congkhai.publish import render_all, stage_docs
root, out = Path(sys.argv[1]), Path(sys.argv[2])
v = validate(root)
assert not v.errors, v.errors[:3]
downloads, pages = render_all(v, None)
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
    print(f"  {name}: {seconds:.2f} s, peak {result['peak_rss_mib']} MiB, rc {info['rc']}", file=sys.stderr)
    return result


def size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.exists() else 0


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
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1735689600"}
        cli = [sys.executable, str(ROOT / "build_site.py")]
        res: dict[str, dict[str, Any]] = {}
        res["validate"] = run("validate", [*cli, "validate", "--root", str(root)], timeout, env)
        one = plans[len(plans) // 2]
        res["validate_one"] = run("validate_one", [*cli, "validate", "--root", str(root), str(one)], timeout, env)
        res["datasets"] = run(
            "datasets", [*cli, "datasets", "--root", str(root), "--out", str(tmp / "ds")], timeout, env
        )
        res["build"] = run("build", [*cli, "build", "--root", str(root), "--out", str(tmp / "site")], timeout, env)
        # Stock tools on the same content.
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
        sizes = {
            "plans_mib": size(root / "docs" / "plans") / 2**20,
            "datasets_mib": size(tmp / "ds") / 2**20,
            "site_mib": size(tmp / "site") / 2**20,
            "pagefind_mib": size(tmp / "site" / "pagefind") / 2**20,
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
            "sizes_mib": {k: round(v, 2) for k, v in sizes.items()},
        }
    finally:
        if keep is None:
            shutil.rmtree(tmp, ignore_errors=True)


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
            ratio_fr = f"{s / fr:.2f}" if fr and step in ("validate", "validate_one", "datasets") else ""
            flag = "" if m.get("rc") == 0 else f" (rc {m.get('rc')})"
            rows.append(
                f"| {r['n']} | {step}{flag} | {s:.2f} | {1000 * s / r['n']:.1f} | {m.get('peak_rss_mib')} | "
                f"{ratio_mk} | {ratio_fr} |"
            )
        sz = ", ".join(f"{k} {v}" for k, v in r["sizes_mib"].items())
        rows.append(f"| {r['n']} | sizes (MiB) | {sz}; {r['html_pages']} HTML pages | | | | |")
    return "\n".join(rows)


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
    p = argparse.ArgumentParser(prog="python -m congkhai.bench", description=__doc__.split("\n\n")[0])
    p.add_argument("sizes", nargs="*", type=int, default=[1000])
    p.add_argument("--out", type=Path, default=None, help="write the figures as JSON")
    p.add_argument("--timeout", type=float, default=1800, help="seconds allowed per measured command")
    p.add_argument("--keep", type=Path, default=None, help="keep the corpora and outputs under this folder")
    args = p.parse_args(argv)
    runs = [bench_one(n, args.timeout, args.keep) for n in args.sizes]
    print(table(runs))
    if args.out:
        args.out.write_text(
            json.dumps({"machine": machine(), "runs": runs}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    failed = [k for r in runs for k, m in r["results"].items() if m.get("rc") not in (0, None) or m.get("timeout")]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
