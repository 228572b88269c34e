"""``devtools.memtree``: which process holds the tree's memory peak (how the session-18 regression
was found: the site's own pages made last by one page worker), and the timeline of every sample."""

from __future__ import annotations

import json
import types
from pathlib import Path

import pytest

from devtools import memtree


def test_the_processes_at_the_tree_peak_are_reported_and_each_sample_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # three samples of a build (pid 10) and its two workers; the tree's PSS peaks at the second,
    # where worker 12 holds the most — though the main process alone peaks at the third
    samples = iter(
        [
            ({"tree_rss": 300, "tree_pss": 250, "main_rss": 100}, {10: 100 * 1024, 11: 80 * 1024, 12: 70 * 1024}),
            ({"tree_rss": 900, "tree_pss": 800, "main_rss": 100}, {10: 100 * 1024, 11: 200 * 1024, 12: 500 * 1024}),
            ({"tree_rss": 700, "tree_pss": 600, "main_rss": 600}, {10: 600 * 1024}),
        ]
    )
    polls = iter([None, None, None, 0])
    fake = types.SimpleNamespace(pid=10, returncode=0, poll=lambda: next(polls))
    monkeypatch.setattr(memtree.subprocess, "Popen", lambda command: fake)
    monkeypatch.setattr(memtree, "sample_processes", lambda pid: next(samples))
    monkeypatch.setattr(memtree, "_parent", lambda pid: 1 if pid == 10 else 10)
    monkeypatch.setattr(memtree.time, "sleep", lambda seconds: None)
    timeline = tmp_path / "timeline.jsonl"
    assert memtree.main(["--timeline", str(timeline), "--", "python", "build_site.py"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["tree_pss_mib"] == round(800 / 1024, 1)
    assert [r["pid"] for r in result["at_peak"]] == [12, 11, 10]  # the second sample, largest first
    assert result["at_peak"][0] == {"pid": 12, "parent": 10, "pss_mib": 500.0}
    lines = [json.loads(line) for line in timeline.read_text(encoding="utf-8").splitlines()]
    assert [line["pss_mib"] for line in lines] == [
        {"10": 100.0, "11": 80.0, "12": 70.0},
        {"10": 100.0, "11": 200.0, "12": 500.0},
        {"10": 600.0},
    ]


def test_a_real_process_tree_is_sampled() -> None:
    """The sampler reads /proc: this process is in its own tree, with a PSS."""
    import os

    totals, each = memtree.sample_processes(os.getpid())
    assert each[os.getpid()] > 0 and totals["tree_pss"] >= each[os.getpid()]
    assert memtree._parent(os.getpid()) == os.getppid()
