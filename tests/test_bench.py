"""The benchmark judges the targets from its figures and draws them; a wrong verdict would be a
wrong claim in BENCHMARKS.md, so the judging is tested on figures made up for the purpose."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from devtools.bench import chart, table, targets


def _run(n: int, **seconds: float) -> dict[str, Any]:
    results = {step: {"seconds": s, "rc": 0, "peak_rss_mib": 100.0, "cmd": [step]} for step, s in seconds.items()}
    return {"n": n, "results": results, "checks": {}, "sizes_mib": {}, "html_pages": 0}


def test_targets_are_judged_on_the_largest_run_and_growth_against_1k():
    small = _run(1000, validate_one=0.5, build_cold=40, build=38, stock_mkdocs=30, validate_cold=6)
    big = _run(10000, validate_one=2.9, build_cold=390, build=380, stock_mkdocs=300, validate_cold=60)
    verdicts = targets([small, big])
    by_name = {name: (value, ok) for name, value, ok in verdicts}
    assert by_name["validate one changed plan at N=10000 < 3 s"] == ("2.9 s", True)
    assert by_name["build_cold at N=10000 ≤ 1.3× stock mkdocs"] == ("1.30×", True)
    assert by_name["build_cold: time per plan at 10000 within 1.25× of 1k"] == ("0.97×", True)  # 39 vs 40 ms
    big["results"]["validate_one"]["seconds"] = 3.1
    big["results"]["build_cold"]["seconds"] = 400
    by_name = {name: (value, ok) for name, value, ok in targets([small, big])}
    assert by_name["validate one changed plan at N=10000 < 3 s"][1] is False
    assert by_name["build_cold at N=10000 ≤ 1.3× stock mkdocs"] == ("1.33×", False)
    big["results"]["build_cold"]["seconds"] = 520  # 52 ms per plan against 40 at 1k
    by_name = {name: (value, ok) for name, value, ok in targets([small, big])}
    assert by_name["build_cold: time per plan at 10000 within 1.25× of 1k"] == ("1.30×", False)


def test_memory_and_search_targets():
    big = _run(10000, validate_one=1, build_cold=1, build=1, stock_mkdocs=1)
    big["results"]["build_cold"]["peak_rss_mib"] = 4095.0
    big["checks"]["search"] = [{"query": "q", "bytes": 999_999, "decoded_bytes": 2_000_000}]
    by_name = {name: ok for name, _, ok in targets([big])}
    assert by_name["peak memory at N=10000 < 4 GB (our commands)"] is True
    assert by_name["search at N=10000 < 1 MB before the first result (gzip host)"] is True
    big["results"]["build"]["peak_rss_mib"] = 4097.0
    big["checks"]["search"][0]["bytes"] = 1_000_001
    by_name = {name: ok for name, _, ok in targets([big])}
    assert by_name["peak memory at N=10000 < 4 GB (our commands)"] is False
    assert by_name["search at N=10000 < 1 MB before the first result (gzip host)"] is False


def test_chart_draws_one_line_per_measured_step():
    runs = [_run(n, build_cold=n / 25, stock_mkdocs=n / 40, hugo=n / 1600) for n in (100, 1000, 10000)]
    svg = ET.fromstring(chart(runs))
    ns = {"s": "http://www.w3.org/2000/svg"}
    lines = svg.findall("s:polyline", ns)
    assert len(lines) == 3
    for line in lines:
        xs = [float(p.split(",")[0]) for p in line.get("points", "").split()]
        assert len(xs) == 3 and xs == sorted(xs)
    labels = [t.text for t in svg.findall("s:text", ns)]
    assert {"build_cold", "stock_mkdocs", "hugo", "10,000"} <= set(labels)
    assert "| 10000 | build_cold | 400.00 |" in table(runs)


def test_largest_pages_measures_html_and_the_limit_is_judged(tmp_path):
    from devtools.bench import PAGE_LIMIT_BYTES, largest_pages

    (tmp_path / "tasks" / "trang-2").mkdir(parents=True)
    (tmp_path / "index.html").write_bytes(b"x" * 10)
    (tmp_path / "tasks" / "trang-2" / "index.html").write_bytes(b"x" * 300)
    (tmp_path / "data.json").write_bytes(b"x" * 5000)  # not a page
    got = largest_pages(tmp_path)
    assert (got["path"], got["bytes"]) == ("tasks/trang-2/index.html", 300)
    assert [p["path"] for p in got["top"]] == ["tasks/trang-2/index.html", "index.html"]

    def verdict(size: int) -> bool | None:
        run = _run(1000, validate_one=1.0)
        run["checks"] = {"largest_page": {"path": "theo-doi/index.html", "bytes": size}}
        return next(ok for name, _, ok in targets([run]) if name.startswith("largest HTML page"))

    assert verdict(PAGE_LIMIT_BYTES) is True and verdict(PAGE_LIMIT_BYTES + 1) is False


def test_filter_data_is_measured_and_the_limit_is_judged(tmp_path):
    from devtools.bench import SHARD_LIMIT_BYTES, filter_data

    (tmp_path / "loc" / "ke-hoach").mkdir(parents=True)
    (tmp_path / "loc" / "ke-hoach" / "index.json").write_bytes(b"x" * 40)
    (tmp_path / "loc" / "ke-hoach" / "2024-a-1.json").write_bytes(b"x" * 300)
    (tmp_path / "loc" / "ke-hoach" / "2023-a-1.json").write_bytes(b"x" * 100)
    (tmp_path / "loc" / "ke-hoach" / "index-issuer-a.json").write_bytes(b"x" * 70)
    got = filter_data(tmp_path)
    assert got == {
        "ke-hoach": {
            "manifest_bytes": 40,
            "value_files": 1,
            "largest_value_file": 70,
            "shards": 2,
            "shard_bytes": 400,
            "largest_shard": {"path": "loc/ke-hoach/2024-a-1.json", "bytes": 300},
        }
    }

    def verdict(size: int) -> bool | None:
        run = _run(1000, validate_one=1.0)
        lists = {
            "nhiem-vu": {
                "manifest_bytes": 10,
                "shards": 1,
                "shard_bytes": size,
                "largest_shard": {"path": "loc/nhiem-vu/x.json", "bytes": size},
            }
        }
        run["checks"] = {"filter_data": lists}
        return next(ok for name, _, ok in targets([run]) if name.startswith("largest filter file"))

    assert verdict(SHARD_LIMIT_BYTES) is True and verdict(SHARD_LIMIT_BYTES + 1) is False


def test_the_incremental_target_is_judged_against_the_cold_build():
    def verdict(incremental: float, cold: float) -> tuple[str, bool | None]:
        run = _run(10000, validate_one=1, build_cold=cold, build=cold, build_incremental=incremental, stock_mkdocs=1)
        return next((value, ok) for name, value, ok in targets([run]) if name.startswith("build_incremental"))

    assert verdict(45, 400) == ("45.0 s, 0.11×", True)
    assert verdict(61, 1000)[1] is False  # over a minute, however long the cold build
    assert verdict(30, 150) == ("30.0 s, 0.20×", False)  # under a minute, but not 0.15× of the cold build
    assert "| 10000 | build_incremental | 45.00 |" in table([_run(10000, build_incremental=45)])
