"""The benchmark's memory sampler (devtools/proctree.py) must not slow the build it measures."""

from __future__ import annotations

import types

import pytest

from devtools import proctree


def test_a_costly_sample_waits_in_proportion():
    assert proctree.next_wait(0.001) == proctree.INTERVAL
    # smaps_rollup of a 7 GB process took 150 ms: the sampler then waits ~2.9 s (5 % of a core)
    assert proctree.next_wait(0.15) == 0.15 * proctree.COST_FACTOR
    assert 0.15 / (0.15 + proctree.next_wait(0.15)) <= 0.05


def test_the_sampler_waits_what_its_samples_cost(monkeypatch):
    """The loop times each sample and waits :func:`next_wait` of it (at a fixed 0.2 s, sampling a
    50,000-plan build took one of two cores)."""
    clock = iter([0.0, 0.5, 10.0, 10.01, 20.0, 20.3])  # samples costing 0.5, 0.01 and 0.3 s
    monkeypatch.setattr(proctree, "time", types.SimpleNamespace(perf_counter=lambda: next(clock)))
    monkeypatch.setattr(proctree, "tree_kib", lambda pid: (100, 50))
    sampler = proctree.Sampler(1)
    waits: list[float] = []
    monkeypatch.setattr(sampler._stop, "wait", lambda timeout: waits.append(timeout) or len(waits) == 3)
    sampler._loop()
    assert waits == pytest.approx([proctree.next_wait(0.5), proctree.INTERVAL, proctree.next_wait(0.3)])
    assert sampler.samples == 3 and sampler.pss_peak_kib == 50
