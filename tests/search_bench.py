"""Bytes a browser downloads before the first search result, at N synthetic plans.

    python -m tests.search_bench 1000 10000            # prints one line per N

Builds the seed site in a temporary folder, adds N deterministic plan-like pages (titles,
numbers and sentences drawn from the seed plans, mixed with a fixed random seed), runs
``congkhai.publish.search.index_site``, serves it on loopback, opens the search page in Debian's chromium
for each query and sums the bodies of every response until the first result is shown (a fresh
browser context per query: nothing cached). The server gzips HTML, CSS, JS and JSON as static
hosts do; the search index's chunks (``pagefind/``) are gzip files of their own. Both the bytes on the wire
and the decoded bytes are printed.
"""

from __future__ import annotations

import functools
import html
import http.server
import random
import re
import socketserver
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ["dan van kheo", "hoà giải", "dang uy", "33/CT-TTg", "cải cách hành chính"]
#: issue 14: a one-syllable query, whose matches are the most numerous (kept apart from the five
#: typical queries that BENCHMARKS.md quotes)
ONE_SYLLABLE = ["dân"]
PROVINCES = ["Hà Giang", "Đắk Lắk", "Điện Biên", "Bắc Giang", "Cần Thơ", "Tây Ninh", "Lạng Sơn", "Bắc Kạn", "Đồng Nai"]
CODES = ["KH-UBND", "KH/TU", "KHPH/KDV-UBND", "CT-TTg", "KH-BDV", "QĐ-UBND", "KH/HU"]

PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title></head>
<body><header class="md-header">Công khai</header><div class="md-content">
<article class="md-content__inner md-typeset"><h1 id="t">{title}</h1>
<table><tbody><tr><td>Số, ký hiệu</td><td>{number}</td></tr><tr><td>Tỉnh, thành phố</td><td>{province}</td></tr>
</tbody></table>{body}</article></div></body></html>"""


def seed_text() -> tuple[list[str], list[str]]:
    titles, sentences = [], []
    for path in sorted((ROOT / "docs" / "plans").glob("*/*.md")):
        text = path.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        m = re.search(r"^title: (.+)$", front, re.M)
        if m:
            titles.append(m.group(1).strip("\"'"))
        for line in body.splitlines():
            line = re.sub(r"[#*_>|`\[\]^]", "", line).strip()
            sentences += [s.strip() for s in re.split(r"(?<=[.;:])\s+", line) if len(s.strip()) > 30]
    return titles, sentences


def write_plans(site: Path, n: int, seed: int = 20240318) -> None:
    rnd = random.Random(seed)
    titles, sentences = seed_text()
    for i in range(n):
        province = rnd.choice(PROVINCES)
        number = f"{rnd.randint(1, 400)}/{rnd.choice(CODES)}"
        title = f"{rnd.choice(titles)} — {province} {2019 + i % 7} ({i})"
        paras = [f"<p>{html.escape(' '.join(rnd.sample(sentences, 4)))}</p>" for _ in range(rnd.randint(10, 40))]
        page = site / "plans" / "synth" / f"p{i:05d}" / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(
            PAGE.format(title=html.escape(title), number=number, province=province, body="\n".join(paras)),
            encoding="utf-8",
        )


def build(n: int, work: Path) -> Path:
    import os

    from congkhai.cli import main
    from congkhai.publish.search import index_site
    from tests.conftest import FIXED_EPOCH, copy_sources

    os.environ.setdefault("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    repo = copy_sources(work / "repo")
    assert main(["build", "--root", str(repo)]) == 0
    site = repo / "site"
    write_plans(site, n)
    started = time.monotonic()
    index_site(site)
    print(f"N={n}: indexed in {time.monotonic() - started:.1f} s", file=sys.stderr)
    return site


def _record(sizes: list[tuple[str, int, int]], response: Any) -> None:
    """(url, bytes on the wire, bytes decoded) of one response; the wire size counts compression."""
    if not response.ok:
        return
    body = len(response.body())
    wire = response.request.sizes().get("responseBodySize", body)
    sizes.append((response.url, wire, body))


COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")


def measure(
    site: Path,
    queries: list[str],
    gzip_text: bool = True,
    results: str = "#ck-results li a",
    status: str = "#ck-status",
) -> list[tuple[str, int, int, int, int]]:
    """For each query: (query, bytes on the wire, of which the search index, requests, bytes decoded).

    ``results`` and ``status``: the search page's result links and status (the national search page,
    ``congkhai/render/national.py``, has its own: ``#qg-results li a``, ``#qg-status``).

    With ``gzip_text`` the server compresses HTML, CSS, JS and JSON as any static host or CDN does
    (GitHub Pages, nginx ``gzip on``); Pagefind's index files are gzip files already and are sent
    as they are either way (the index's metadata, ``meta.json``, is compressed by the server).
    """
    import gzip as gz

    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_ARGS, chromium_path

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                path = path / "index.html"
            accepts = "gzip" in self.headers.get("Accept-Encoding", "")
            if not (gzip_text and accepts and path.suffix in COMPRESSED and path.is_file()):
                return super().do_GET()
            data = gz.compress(path.read_bytes(), mtime=0)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    out = []
    handler = functools.partial(Quiet, directory=str(site))
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler) as httpd:
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{httpd.server_address[1]}"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
            for query in queries:
                context = browser.new_context(locale="vi-VN")
                sizes: list[tuple[str, int, int]] = []
                page = context.new_page()
                page.on("response", functools.partial(_record, sizes))
                page.goto(f"{base}/tim-kiem/?q={quote(query)}")
                page.locator(results).first.wait_for(timeout=60_000)
                # every response of the first results in (their events may still be queued otherwise:
                # a query once counted no index bytes at all)
                page.wait_for_load_state("networkidle")
                wire = sum(w for _, w, _ in sizes)
                pagefind = sum(w for u, w, _ in sizes if "/pagefind/" in u)
                decoded = sum(d for _, _, d in sizes)
                count = page.locator(status).inner_text()
                out.append((query, wire, pagefind, len(sizes), decoded))
                print(
                    f"  {query!r}: {wire / 1024:.0f} KiB on the wire ({decoded / 1024:.0f} KiB decoded), "
                    f"{pagefind / 1024:.0f} KiB index, {len(sizes)} requests — {count}"
                )
                context.close()
            browser.close()
        httpd.shutdown()
    return out


def main(argv: list[str]) -> None:
    for n in [int(a) for a in argv] or [1000]:
        with tempfile.TemporaryDirectory() as tmp:
            site = build(n, Path(tmp))
            index = sum(f.stat().st_size for f in (site / "pagefind").rglob("*") if f.is_file())
            print(f"N={n} plans (+ seed site): search index {index / 1024 / 1024:.1f} MiB on disk")
            measure(site, QUERIES + ONE_SYLLABLE)


if __name__ == "__main__":
    main(sys.argv[1:])
