"""The benchmark judges the targets from its figures and draws them; a wrong verdict would be a
wrong claim in BENCHMARKS.md, so the judging is tested on figures made up for the purpose."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from devtools.bench import chart, table, targets


def _run(n: int, **seconds: float) -> dict[str, Any]:
    results = {
        step: {"seconds": s, "rc": 0, "peak_rss_mib": 100.0, "tree_peak_mib": 150.0, "cmd": [step]}
        for step, s in seconds.items()
    }
    return {"n": n, "results": results, "checks": {}, "sizes_mib": {}, "html_pages": 0}


def _verdicts(runs: list[dict[str, Any]]) -> dict[str, tuple[str, bool | None]]:
    return {name: (value, ok) for name, value, ok in targets(runs)}


def _find(runs: list[dict[str, Any]], prefix: str) -> tuple[str, str, bool | None]:
    return next(t for t in targets(runs) if t[0].startswith(prefix))


def test_targets_are_judged_on_the_largest_run_and_growth_against_1k():
    small = _run(1000, validate_one=0.5, build_cold=40, build=38, stock_mkdocs=30, validate_cold=6)
    big = _run(10000, validate_one=2.9, build_cold=300, build=380, stock_mkdocs=300, validate_cold=60)
    by_name = _verdicts([small, big])
    assert by_name["validate one changed plan at N=10000 < 3 s"] == ("2.9 s", True)
    cold = "build_cold (whole pipeline, nothing cached) at N=10000 ≤ 1.0× stock mkdocs"
    assert by_name[cold] == ("300.0 s against 300.0 s: 1.00×", True)
    growth = "build_cold: time per plan at 10000 within 1.25× of 1k"
    assert by_name[growth] == ("30.0 ms against 40.0 ms: 0.75×", True)
    big["results"]["validate_one"]["seconds"] = 3.1
    big["results"]["build_cold"]["seconds"] = 303  # 1.01×: issue 6 allowed 1.3×, issue 14 allows 1.0×
    by_name = _verdicts([small, big])
    assert by_name["validate one changed plan at N=10000 < 3 s"][1] is False
    assert by_name[cold] == ("303.0 s against 300.0 s: 1.01×", False)
    assert not any("1.3×" in name for name in by_name)  # issue 6's build targets are replaced
    big["results"]["build_cold"]["seconds"] = 520  # 52 ms per plan against 40 at 1k
    assert _verdicts([small, big])[growth] == ("52.0 ms against 40.0 ms: 1.30×", False)


def test_fifty_thousand_plans_complete_or_are_reported_not_run():
    small = _run(1000, build_cold=40, stock_mkdocs=30)
    assert _find([small], "50,000 plans") == ("50,000 plans: the full pipeline completes", "not run", None)
    big = _run(50000, build_cold=2400, stock_mkdocs=2000, national=100)
    assert _find([small, big], "50,000 plans")[2] is True
    big["results"]["build"] = {"seconds": None, "timeout": True, "cmd": ["build"]}
    _, value, ok = _find([small, big], "50,000 plans")
    assert ok is False and "failed: build" in value


def test_memory_of_the_process_tree_is_judged_with_the_limit_of_its_size():
    """The tree's summed peak (not ru_maxrss of the largest process) against 4 GB up to 10,000 plans
    and 8 GB at 50,000; the stock tools' memory is not ours to judge."""
    big = _run(10000, validate_one=1, build_cold=1, build=1, stock_mkdocs=1)
    big["results"]["build_cold"]["tree_peak_mib"] = 4095.0
    big["results"]["stock_mkdocs"]["tree_peak_mib"] = 9999.0
    name, value, ok = _find([big], "peak memory of the process tree")
    assert ok is True and "< 4 GB" in name and "N=10000" in name and value.startswith("4.00 GB RSS (build_cold)")
    big["results"]["build"]["tree_peak_mib"] = 4097.0
    big["results"]["build"]["peak_rss_mib"] = 3000.0  # each process under 4 GB, the tree over it
    name, value, ok = _find([big], "peak memory of the process tree")
    assert ok is False and "(build)" in value and "largest single process 2.93 GB" in value
    import copy

    shared = copy.deepcopy(big)
    for step in ("validate_one", "build_cold", "build"):  # the proportional sizes known: judged on them
        shared["results"][step]["tree_pss_peak_mib"] = 2048.0
    name, value, ok = _find([shared], "peak memory of the process tree")
    assert ok is True and value.startswith("2.00 GB PSS") and "RSS summed 4.00 GB" in value
    huge = _run(50000, build_cold=1, stock_mkdocs=1)
    huge["results"]["build_cold"]["tree_peak_mib"] = 8000.0  # over 4 GB, under the 8 GB of 50,000 plans
    found = [t for t in targets([big, huge]) if t[0].startswith("peak memory of the process tree")]
    assert [(("N=10000" in n), ("< 8 GB" in n), ok) for n, _, ok in found] == [
        (True, False, False),
        (False, True, True),
    ]
    huge["results"]["national"] = {"seconds": 9.0, "rc": 0, "tree_peak_mib": 8200.0, "cmd": ["national"]}
    assert _find([huge], "peak memory of the process tree")[2] is False  # the national step is ours too


def test_search_target_covers_every_query_and_the_one_syllable_one():
    big = _run(10000, build_cold=1, stock_mkdocs=1)
    big["checks"]["search"] = [
        {"query": "hoà giải", "bytes": 999_999, "decoded_bytes": 2_000_000},
        {"query": "dân", "bytes": 400_000, "decoded_bytes": 900_000},
    ]
    name, value, ok = _find([big], "search at N=10000")
    assert ok is True and "'dân'" in name and value.startswith("≤ 1.00 MB ('hoà giải')")
    big["checks"]["search"][1]["bytes"] = 1_000_001  # only the one-syllable query over the limit
    name, value, ok = _find([big], "search at N=10000")
    assert ok is False and "('dân')" in value
    big["checks"]["search"] = {"error": "no chromium"}
    assert _find([big], "search at N=10000")[2] is None


def test_the_national_merge_is_judged_against_the_cold_build_of_the_same_n():
    def verdict(national: float, cold: float, rc: int = 0) -> tuple[str, bool | None]:
        run = _run(10000, build_cold=cold, stock_mkdocs=1, shard_a=cold / 2, shard_b=cold / 2, national=national)
        run["results"]["national"]["rc"] = rc
        run["results"]["shard_a"]["plans"] = 4990
        _, value, ok = _find([run], "national site from two shards")
        return value, ok

    value, ok = verdict(30, 1000)
    assert ok is True and value.startswith("30.0 s against 1000.0 s: 0.030×")
    assert "shard_a 4990 plans 500.0 s" in value and "shard_b ? plans 500.0 s" in value
    assert verdict(300, 1000)[1] is True and verdict(301, 1000)[1] is False
    assert verdict(30, 1000, rc=1)[1] is False  # a failed national build meets nothing
    assert not any(t[0].startswith("national") for t in targets([_run(100, build_cold=1)]))


def test_targets_are_written_as_json_and_rendered_as_the_benchmarks_table():
    import json

    from devtools.bench import targets_json
    from devtools.bench_report import render

    run = _run(1000, validate_one=0.5, build_cold=40, stock_mkdocs=30)
    found = targets_json(targets([run]))
    assert {"name": "validate one changed plan at N=1000 < 3 s", "value": "0.5 s", "met": True} in found
    doc = json.loads(json.dumps({"machine": {"nproc": 2, "mem_gib": 23.5}, "targets": found, "runs": [run]}))
    text = render(doc)
    lines = text.splitlines()
    assert lines[:2] == ["| target | result | status |", "|---|---|---|"]
    assert "| validate one changed plan at N=1000 < 3 s | 0.5 s | **met** |" in lines
    assert any(line.endswith("| **MISSED** |") and "≤ 1.0× stock mkdocs" in line for line in lines)
    assert "| 50,000 plans: the full pipeline completes | not run | **not measured** |" in lines
    assert "Sizes measured: 1,000 plans; 2 cores, 23.5 GiB." in text
    assert len(lines) == 2 + len(found) + 2


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

    assert verdict(PAGE_LIMIT_BYTES - 1) is True and verdict(PAGE_LIMIT_BYTES) is False  # issue 14: < 1 MB


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
        _, value, ok = _find([run], "build_incremental")
        return value, ok

    assert verdict(45, 400) == ("N=10000: 45.0 s, 0.11× build_cold", True)
    assert verdict(61, 1000)[1] is False  # over a minute, however long the cold build
    assert verdict(30, 150) == ("N=10000: 30.0 s, 0.20× build_cold", False)  # not 0.15× of the cold build
    assert "| 10000 | build_incremental | 45.00 |" in table([_run(10000, build_incremental=45)])


def test_the_incremental_target_shows_every_n_and_is_judged_at_10k():
    runs = [
        _run(1000, build_cold=100, build_incremental=50),  # 0.5×: missed at 1k
        _run(10000, build_cold=1000, build_incremental=40),  # met at 10k
        _run(50000, build_cold=5000, build_incremental=200),  # missed at 50k, but the target is at 10k
    ]
    name, value, ok = _find(runs, "build_incremental")
    assert "at N=10000" in name and ok is True
    assert (
        value
        == "N=50000: 200.0 s, 0.04× build_cold; N=10000: 40.0 s, 0.04× build_cold; N=1000: 50.0 s, 0.50× build_cold"
    )
    name, _, ok = _find([runs[0]], "build_incremental")
    assert "at N=1000" in name and ok is False  # without 10k: the largest N measured


def test_the_process_tree_sampler_sums_a_parent_and_its_child():
    """A parent holding ~100 MB starts a child that allocates ~200 MB while the parent still holds
    its own: the tree's peak is at least the sum, where ru_maxrss (the largest process) sees ~200."""
    import json
    import subprocess
    import sys

    from devtools.bench import WRAP

    child = "import time; b = b'x' * (200 << 20); time.sleep(1.5)"
    parent = f"import subprocess, sys; a = b'y' * (100 << 20); subprocess.run([sys.executable, '-c', {child!r}])"
    proc = subprocess.run([sys.executable, str(WRAP), sys.executable, "-c", parent], capture_output=True, text=True)
    info = json.loads(proc.stdout.strip().splitlines()[-1])
    tree, largest = info["tree_peak_kib"] / 1024, info["maxrss_kib"] / 1024
    assert info["rc"] == 0 and info["samples"] >= 3
    assert 200 <= largest < 300  # ru_maxrss: the child alone
    assert tree >= 300 and tree >= largest  # the child's 200 MB and the parent's 100 MB at once
    assert info["tree_pss_peak_kib"] / 1024 >= 300  # private memory: the proportional size counts it all


def test_memory_a_forked_child_shares_is_counted_once_by_the_proportional_size():
    """A forked worker maps the parent's pages until either writes: the RSS sum counts them twice
    (an upper bound), the proportional set size once — the figure the targets are judged on."""
    import json
    import subprocess
    import sys

    from devtools.bench import WRAP

    script = (
        "import os, time\n"
        "a = b'y' * (200 << 20)\n"
        "pid = os.fork()\n"
        "time.sleep(1.5)\n"
        "os._exit(0) if pid == 0 else os.waitpid(pid, 0)\n"
    )
    proc = subprocess.run([sys.executable, str(WRAP), sys.executable, "-c", script], capture_output=True, text=True)
    info = json.loads(proc.stdout.strip().splitlines()[-1])
    rss, pss = info["tree_peak_kib"] / 1024, info["tree_pss_peak_kib"] / 1024
    assert rss >= 400  # the 200 MB counted in both processes
    assert 200 <= pss < 300, (rss, pss)  # counted once


def test_run_reports_the_tree_beside_the_largest_process_and_kills_the_group_on_timeout(tmp_path):
    import sys

    from devtools.bench import run

    got = run("alloc", [sys.executable, "-c", "import time; b = b'x' * (120 << 20); time.sleep(0.8)"], 60)
    assert got["rc"] == 0 and got["tree_peak_mib"] >= 120 and got["peak_rss_mib"] >= 120
    marker = tmp_path / "late"
    late = f"import time, pathlib; time.sleep(3); pathlib.Path({str(marker)!r}).write_text('x')"
    parent = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {late!r}])"
    got = run("slow", [sys.executable, "-c", parent], 1)
    assert got["timeout"] and got["seconds"] is None
    import time

    time.sleep(3.5)
    assert not marker.exists()  # the grandchild was killed with the group, not left running


def test_step_timeouts_scale_with_n_under_the_cap():
    from devtools.bench import step_timeout

    assert step_timeout(100, 3600) < step_timeout(10_000, 36_000) < step_timeout(50_000, 36_000) <= 36_000
    assert step_timeout(50_000, 3600) == 3600  # --timeout stays the cap


def test_the_disk_estimate_refuses_a_run_that_will_not_fit(monkeypatch, tmp_path, capsys):
    import shutil
    from collections import namedtuple

    from devtools import bench

    usage = namedtuple("usage", "total used free")
    need = bench.disk_needed([1000, 50_000], keep=False)
    assert need == bench.disk_needed([50_000], keep=False)  # one N's folder at a time
    assert bench.disk_needed([1000, 50_000], keep=True) > bench.disk_needed([50_000], keep=True) > need
    assert need >= 50_000 * (bench.SITE_BYTES_PER_PLAN + bench.CACHE_BYTES_PER_PLAN)  # one site and the page cache
    monkeypatch.setattr(shutil, "disk_usage", lambda _: usage(10**12, 0, need - 1))
    fits, text = bench.disk_check([1000, 50_000], None)
    assert not fits and f"{need / 1e9:.1f} GB needed" in text
    called = []
    monkeypatch.setattr(bench, "bench_one", lambda *a: called.append(a))
    assert bench.main(["1000", "50000", "--keep", str(tmp_path / "k")]) == 2
    assert not called and "not enough free disk" in capsys.readouterr().err
    monkeypatch.setattr(shutil, "disk_usage", lambda _: usage(10**12, 0, need))
    assert bench.disk_check([1000, 50_000], None)[0]


def test_the_stock_config_reads_our_mkdocs_yml(tmp_path):
    """Every ``!ENV`` tag of mkdocs.yml (not only SITE_URL) is read as its default."""
    import yaml

    from devtools.bench import ROOT, stock_config

    (tmp_path / "pages").mkdir()
    config = yaml.safe_load(stock_config(ROOT, tmp_path / "pages", tmp_path / "out").read_text(encoding="utf-8"))
    assert config["site_url"] == "" and config["theme"]["name"] == "material"
    assert config["extra"]["publisher"]["type"] == "LocalAuthority"


@pytest.mark.slow
def test_the_national_step_builds_two_shards_and_the_national_site(tmp_path):
    """The benchmark's national step end to end on 20 plans: the corpus split by province, each shard
    built, the national site built from the two; each step timed with its memory."""
    import sys

    from devtools.bench import ROOT, national
    from devtools.corpus import generate

    generate(tmp_path / "repo", 20)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1735689600", "NO_MKDOCS_2_WARNING": "1"}
    sizes: dict[str, float] = {}
    res = national(
        tmp_path / "repo", tmp_path / "nat", [sys.executable, str(ROOT / "build_site.py")], 600, env, None, sizes
    )
    assert list(res) == ["shard_a", "shard_b", "national"]
    assert all(m["rc"] == 0 and m["seconds"] > 0 and m["tree_peak_mib"] > 0 for m in res.values()), res
    assert (
        res["shard_a"]["plans"] + res["shard_b"]["plans"] == 20
        and min(res["shard_a"]["plans"], res["shard_b"]["plans"]) > 0
    )
    assert sizes["national_mib"] > 0 and sizes["shards_and_national_mib"] > sizes["national_mib"]
    assert not (tmp_path / "nat").exists()  # removed once measured (no --keep)


def test_the_fingerprints_compare_two_builds_apart_from_declared_timestamps(tmp_path):
    """The cold build is compared with the warm one by fingerprint, so it can be deleted first."""
    from congkhai.publish.reproducible import differences
    from devtools.bench import compare, fingerprint

    a, b = tmp_path / "a", tmp_path / "b"
    for site in (a, b):
        (site / "plans").mkdir(parents=True)
        (site / "plans" / "index.html").write_text("<p>giống</p>", encoding="utf-8")
    (a / "only-a.html").write_text("x", encoding="utf-8")
    (b / "plans" / "index.html").write_text("<p>khác</p>", encoding="utf-8")
    assert (
        compare(fingerprint(a), fingerprint(b))
        == differences(a, b)
        == [
            "only in a: only-a.html",
            "differs: plans/index.html",
        ]
    )
    assert compare(fingerprint(a), fingerprint(a)) == []


def test_the_corpus_is_committed_and_each_change_merged_with_fixed_dates(tmp_path):
    """The incremental step must be the production case: a merged change, which gives the plan an
    old version (a new page), on a repository whose history does not depend on the clock."""
    import subprocess

    from devtools.bench import commit

    (tmp_path / "a.md").write_text("một\n", encoding="utf-8")
    commit(tmp_path, "Kho kế hoạch", 1)
    (tmp_path / "a.md").write_text("một\nhai\n", encoding="utf-8")
    commit(tmp_path, "Hợp nhất", 2)
    log = subprocess.run(
        ["git", "log", "--format=%cI %s", "--", "a.md"], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert log.stdout.splitlines() == ["2025-02-01T08:00:00+07:00 Hợp nhất", "2025-01-01T08:00:00+07:00 Kho kế hoạch"]
    status = subprocess.run(["git", "status", "--porcelain"], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert status.stdout == ""
