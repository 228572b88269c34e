"""parallel.py: work over the cores, in order, the same result whatever the number of workers."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from pathlib import Path
from typing import Any

import pytest

from congkhai import parallel
from congkhai.load.corpus import validate
from congkhai.render.site import render_site

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 22)


def _pid_and_square(shared: dict[str, int], job: int) -> tuple[int, int]:
    return os.getpid(), shared["factor"] * job * job


def test_shared_map_keeps_the_order_and_runs_in_forked_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONGKHAI_WORKERS", "2")
    monkeypatch.setattr(parallel, "MIN_JOBS", 0)
    shared = {"factor": 3}  # inherited by the forked workers, never pickled
    out = parallel.pmap_shared(_pid_and_square, shared, list(range(100)), chunksize=4)
    assert [v for _, v in out] == [3 * i * i for i in range(100)]
    assert os.getpid() not in {pid for pid, _ in out}
    assert parallel._SHARED is None


def test_shared_map_with_one_worker_stays_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONGKHAI_WORKERS", "1")
    monkeypatch.setattr(parallel, "MIN_JOBS", 0)
    out = parallel.pmap_shared(_pid_and_square, {"factor": 1}, [1, 2])
    assert out == [(os.getpid(), 1), (os.getpid(), 4)]


def test_shared_results_are_made_as_they_are_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    """``imap_shared`` gives each result as it comes, so the caller writes it and lets it go
    before the rest are made (here: made only when asked for; with workers, the pool stays until
    the last result is taken)."""
    monkeypatch.setattr(parallel, "MIN_JOBS", 0)
    monkeypatch.setenv("CONGKHAI_WORKERS", "1")
    made: list[int] = []
    results = parallel.imap_shared(lambda shared, job: made.append(job) or job, None, [1, 2, 3])
    assert made == []
    assert next(results) == 1 and made == [1]
    assert list(results) == [2, 3] and made == [1, 2, 3]
    monkeypatch.setenv("CONGKHAI_WORKERS", "2")
    squares = parallel.imap_shared(_pid_and_square, {"factor": 2}, list(range(40)), chunksize=4)
    assert next(squares)[1] == 0 and parallel._SHARED is not None
    assert [v for _, v in squares] == [2 * i * i for i in range(1, 40)]
    assert parallel._SHARED is None


def test_background_work_runs_in_another_process_and_hands_back_its_result(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONGKHAI_WORKERS", "2")
    big = b"x" * 5_000_000  # larger than a pipe's buffer
    wait = parallel.background(lambda: (os.getpid(), os.environ["CONGKHAI_WORKERS"], big))
    pid, setting, data = wait()
    assert pid != os.getpid() and data == big
    assert setting == "1", "the background process must not fork workers of its own"


def test_a_background_error_is_raised_where_the_result_is_awaited(monkeypatch: pytest.MonkeyPatch) -> None:
    """As itself (a full disk met there is an ``OSError`` naming its file, which the command line
    turns into a message, not "internal error"), with where it happened as a note."""
    import errno

    monkeypatch.setenv("CONGKHAI_WORKERS", "2")

    def fails() -> None:
        raise ValueError("hỏng")

    with pytest.raises(ValueError, match="hỏng") as raised:
        parallel.background(fails)()
    assert any("in the background process" in note and "fails" in note for note in raised.value.__notes__)

    def full() -> None:
        raise OSError(errno.ENOSPC, "No space left on device", "/tmp/đầy/db.sqlite")

    with pytest.raises(OSError) as disk:
        parallel.background(full)()
    assert disk.value.errno == errno.ENOSPC and disk.value.filename == "/tmp/đầy/db.sqlite"


class _Unrebuildable(Exception):
    def __init__(self, a: str, b: str) -> None:
        super().__init__(f"{a}/{b}")  # its args are not what its constructor takes: unpickling fails


def test_a_background_error_that_cannot_cross_is_raised_by_its_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONGKHAI_WORKERS", "2")

    def fails() -> None:
        raise _Unrebuildable("x", "y")

    with pytest.raises(RuntimeError, match=r"_Unrebuildable.*x/y"):
        parallel.background(fails)()


def test_background_with_one_worker_runs_here_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONGKHAI_WORKERS", "1")
    ran = []
    wait = parallel.background(lambda: ran.append(os.getpid()) or "ok")
    assert ran == [os.getpid()] and wait() == "ok"


def test_the_render_stage_is_byte_identical_on_one_core_and_on_several(monkeypatch: pytest.MonkeyPatch) -> None:
    """This checkout (its git history gives the seed plans old versions and feeds of changes),
    rendered with no worker process and with 2 and 3 forked workers: every file, byte for byte,
    in the same order."""
    monkeypatch.setattr(parallel, "MIN_JOBS", 0)  # the seed corpus is small: fork for it all the same
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    results = []
    for count in ("1", "2", "3"):
        monkeypatch.setenv("CONGKHAI_WORKERS", count)
        corpus = validate(ROOT, today=TODAY)
        results.append(render_site(corpus, "https://congkhai.example.vn/", None))
    (downloads, pages), *others = results
    assert any("/phien-ban/" in k for k in pages), "the checkout's history gives the seed plans old versions"
    for other_downloads, other_pages in others:
        assert list(other_downloads) == list(downloads)
        assert list(other_pages) == list(pages)
        for key, data in downloads.items():
            assert other_downloads[key] == data, key
        for key, text in pages.items():
            assert other_pages[key] == text, key


def test_each_plans_old_versions_are_written_by_its_job_in_a_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Written to a sink on disk, a plan's old versions' files are written by the worker making its
    pages (in the build process, creating their folders held the workers' start back), and the
    folder holds exactly the files a render kept in memory gives."""
    from congkhai.publish import site as publish_site
    from congkhai.render.site import render_into

    monkeypatch.setattr(parallel, "MIN_JOBS", 0)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    monkeypatch.setenv("CONGKHAI_WORKERS", "2")
    monkeypatch.setenv("CONGKHAI_CACHE", "off")
    log = tmp_path / "writers"
    real = publish_site.Staging.file

    def spy(self: Any, path: str, data: bytes) -> None:
        with log.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\t{path}\n")
        real(self, path, data)

    monkeypatch.setattr(publish_site.Staging, "file", spy)
    corpus = validate(ROOT, today=TODAY)
    render_into(publish_site.Staging(tmp_path / "pages"), corpus, "https://congkhai.example.vn/", None)
    olds = [line.split("\t") for line in log.read_text(encoding="utf-8").splitlines() if "/phien-ban/" in line]
    assert olds, "the checkout's history gives the seed plans old versions"
    assert all(pid != str(os.getpid()) for pid, _ in olds)
    downloads, _ = render_site(validate(ROOT, today=TODAY), "https://congkhai.example.vn/", None)
    written = {
        p.relative_to(tmp_path / "pages" / "data").as_posix(): p.read_bytes()
        for p in (tmp_path / "pages" / "data").rglob("*.txt")
    }
    kept = {k: v for k, v in downloads.items() if k.endswith(".txt")}
    assert written == kept and len([p for _, p in olds]) == len({p for _, p in olds})  # each once


def _frozen_count(shared: None, job: int) -> int:
    import gc

    return gc.get_freeze_count()


def test_forked_workers_leave_the_parents_objects_to_the_system(monkeypatch: pytest.MonkeyPatch) -> None:
    """Memory: the objects a worker inherits are frozen out of its garbage collector, which would
    otherwise write to every one of them and so copy the whole corpus into each worker."""
    import gc

    monkeypatch.setenv("CONGKHAI_WORKERS", "2")
    monkeypatch.setattr(parallel, "MIN_JOBS", 0)
    assert all(n > 0 for n in parallel.pmap_shared(_frozen_count, None, list(range(8)), chunksize=1))
    assert parallel.background(lambda: gc.get_freeze_count())() > 0
    assert gc.get_freeze_count() == 0  # and this process collects as before once the workers are done


def test_a_background_result_is_received_without_a_second_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Memory: the result (the data files, hundreds of megabytes at national scale) is unpickled
    as it arrives, not received whole first and then copied: the most this process holds while
    waiting is about the result itself (counted by tracemalloc, not timed)."""
    import tracemalloc

    monkeypatch.setenv("CONGKHAI_WORKERS", "2")
    size = 40_000_000
    wait = parallel.background(lambda: {"a": b"x" * (size // 2), "b": b"y" * (size // 2)})
    tracemalloc.start()
    try:
        result = wait()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(result["a"]) + len(result["b"]) == size
    assert peak < 1.25 * size, f"{peak / size:.2f}× the result held while receiving it"


def _pid_of(job: int) -> tuple[int, int]:
    return job * 2, os.getpid()


def test_streaming_keeps_the_order_in_worker_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONGKHAI_WORKERS", "2")
    with parallel.streaming(chunksize=1, window=4) as stream:
        done = list(stream(_pid_of, list(range(80))))
    assert [v for v, _ in done] == [2 * n for n in range(80)]
    pids = {p for _, p in done}
    assert os.getpid() not in pids and len(pids) <= 2, pids


#: set by job 1 of ``_after_the_next``, awaited by job 0 (inherited by the forked workers)
_GATE: Any = None


def _after_the_next(job: int) -> bool:
    if job == 0:
        return bool(_GATE.wait(120))
    if job == 1:
        _GATE.set()
    return True


def test_streaming_runs_ahead_of_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    """The search index takes its records batch by batch: the next ones are made meanwhile, not
    when asked for (job 0 returns only once job 1 has run, so a stream that waits to be asked
    for job 1 before starting it makes job 0 give up)."""
    global _GATE
    monkeypatch.setenv("CONGKHAI_WORKERS", "2")
    _GATE = multiprocessing.get_context("fork").Event()
    with parallel.streaming(chunksize=1, window=2) as stream:
        first = next(iter(stream(_after_the_next, list(range(6)))))
    assert first is True


def test_streaming_with_one_worker_stays_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONGKHAI_WORKERS", "1")
    with parallel.streaming() as stream:
        assert list(stream(_pid_of, [1, 2])) == [(2, os.getpid()), (4, os.getpid())]


def test_freezing_for_a_fork_does_not_walk_every_object(monkeypatch):
    import gc

    """A full collection before each fork walks the whole corpus again; only the young generations
    are collected there (``release`` collects in full where a stage's structures die)."""
    calls: list[tuple[object, ...]] = []
    real = gc.collect
    monkeypatch.setattr(gc, "collect", lambda *args: calls.append(args) or real(*args))
    with parallel.frozen():
        assert gc.get_freeze_count() > 0
    assert calls and all(args and args[0] < 2 for args in calls)
    assert gc.get_freeze_count() == 0


class _Pool:
    """An executor that runs each submitted call when its result is asked for, and counts the
    submitted calls whose result has not been taken yet."""

    def __init__(self) -> None:
        self.waiting = 0
        self.most = 0
        self.cancelled = 0

    def submit(self, fn, jobs):
        from concurrent.futures import Future

        pool = self
        pool.waiting += 1
        pool.most = max(pool.most, pool.waiting)

        class Lazy(Future):
            def result(self, timeout=None):
                pool.waiting -= 1
                return fn(jobs)

            def cancel(self):
                pool.cancelled += 1
                return True

        return Lazy()


def test_results_waiting_for_the_caller_are_bounded_and_keep_their_order() -> None:
    """The executor's ``map`` submits every chunk at once: when the parent writes pages slower than
    the workers make them, every result waited in the parent (a quarter of a gigabyte at 2,000
    plans). ``windowed`` keeps at most ``window`` chunks submitted and not taken."""
    pool = _Pool()
    out = parallel.windowed(pool, lambda jobs: [j * 2 for j in jobs], list(range(103)), 4, 3)
    assert list(out) == [j * 2 for j in range(103)]
    assert pool.most == 3 and pool.waiting == 0


def test_a_failed_chunk_stops_the_rest_and_cancels_what_waits() -> None:
    def fail_on_ten(jobs: list[int]) -> list[int]:
        if 10 in jobs:
            raise ValueError("chunk with 10")
        return jobs

    pool = _Pool()
    out = parallel.windowed(pool, fail_on_ten, list(range(40)), 5, 3)
    with pytest.raises(ValueError, match="chunk with 10"):
        list(out)
    assert pool.cancelled == 2  # the two chunks submitted after it


def test_shared_map_in_workers_goes_through_the_window(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONGKHAI_WORKERS", "2")
    monkeypatch.setattr(parallel, "MIN_JOBS", 0)
    seen: list[int] = []
    real = parallel.windowed

    def spy(pool, fn, jobs, chunksize, window):
        seen.append(window)
        return real(pool, fn, jobs, chunksize, window)

    monkeypatch.setattr(parallel, "windowed", spy)
    out = list(parallel.imap_shared(_pid_and_square, {"factor": 1}, list(range(50)), chunksize=3))
    assert [v for _, v in out] == [i * i for i in range(50)]
    assert seen == [parallel.WINDOW * 2]


class _Cycle:
    """An object in a reference cycle: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.me = self


#: what a worker inherits: a cycle it lets go of, and a weak reference to see if a walk reached it
_INHERITED: list[object] = []


def _thaw_in_worker() -> bool:
    """In a forked worker: drop the inherited cycle, release; True if a collection reached it."""
    gone = _INHERITED.pop()
    _INHERITED.clear()
    parallel.release()
    return gone() is None  # type: ignore[operator]


def test_kept_objects_stay_out_of_the_collectors_walks_until_released() -> None:
    """The build's corpus is frozen once (``kept``) instead of walked by every full collection;
    a dead cycle is never frozen for good: collected at the next ``release``."""
    import gc
    import weakref

    assert gc.get_freeze_count() == 0
    before = _Cycle()
    gone_before = weakref.ref(before)
    del before
    walks: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            walks.append(2)

    gc.callbacks.append(count)
    try:
        with parallel.kept():
            assert walks == []  # frozen as it is: no walk of the whole corpus on the way in
    finally:
        gc.callbacks.remove(count)
    gc.collect()
    assert gone_before() is None
    before = _Cycle()
    gone_before = weakref.ref(before)
    del before
    with parallel.kept():
        assert gc.get_freeze_count() > 0
        alive = [{"plan": n} for n in range(1000)]
        assert gc.get_freeze_count() > 0
        inside = _Cycle()
        gone_inside = weakref.ref(inside)
        with parallel.frozen():
            pass
        assert gc.get_freeze_count() > 0  # a fork's freeze does not thaw the kept objects
        del inside
        gc.collect()
        assert gone_inside() is not None  # frozen with the rest: no walk reaches it
        assert gone_before() is not None
        parallel.release()
        assert gone_inside() is None  # the stage's end collects it
        assert gone_before() is None  # and what was dead when the block began
        assert gc.get_freeze_count() > 0
        assert alive[999] == {"plan": 999}
    assert gc.get_freeze_count() == 0  # and this process collects as before after the block


def test_a_worker_forked_inside_kept_does_not_thaw_what_it_inherited(monkeypatch: pytest.MonkeyPatch) -> None:
    """Thawing in a forked worker would let its collector write to every inherited object, so
    copy the corpus: a worker's ``release`` collects only its own."""
    import weakref

    monkeypatch.setenv("CONGKHAI_WORKERS", "2")
    with parallel.kept():
        cycle = _Cycle()
        _INHERITED[:] = [cycle, weakref.ref(cycle)]
        del cycle
        try:
            assert parallel.background(_thaw_in_worker)() is False
        finally:
            _INHERITED.clear()


def test_objects_made_with_the_collector_off_wait_in_the_oldest_generation() -> None:
    """Switched on again after validation, the collector would walk everything validation made
    (all of it still in the youngest generation) at once: it goes to the oldest, unwalked."""
    import gc

    made: list[list[int]] = []
    passes: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            passes.append(info["generation"])

    gc.collect()
    gc.callbacks.append(count)
    try:
        with parallel.uncollected():
            made.extend([n] for n in range(50_000))
        for _ in range(3):  # what the next steps allocate
            junk = [[n] for n in range(2_000)]
            del junk
    finally:
        gc.callbacks.remove(count)
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert id(made) in oldest and id(made[-1]) in oldest
    assert 2 not in passes, passes


def test_the_collector_off_does_not_thaw_what_is_frozen() -> None:
    """Asked of one object, not of the frozen count: that count also drops whenever some frozen
    object dies meanwhile (another test's finalizer, say), which made this test fail at random."""
    import gc

    alive = [[1], [2]]
    with parallel.kept():
        assert all(id(alive) not in {id(o) for o in gc.get_objects(generation=g)} for g in range(3))
        with parallel.uncollected():
            pass
        walked = {id(o) for g in range(3) for o in gc.get_objects(generation=g)}
        assert id(alive) not in walked and id(alive[0]) not in walked


def test_what_the_collector_off_made_inside_kept_is_frozen_with_the_rest() -> None:
    """The render stage's structures, made in the build process inside ``kept``: left out of the
    collector's walks (its automatic full collections found nothing in them), until ``release``."""
    import gc

    with parallel.kept():
        with parallel.uncollected():
            made = [[n] for n in range(1_000)]
        assert gc.isenabled()
        walked = {id(o) for g in range(3) for o in gc.get_objects(generation=g)}
        assert id(made) not in walked and id(made[-1]) not in walked
        parallel.release()
        walked = {id(o) for g in range(3) for o in gc.get_objects(generation=g)}
        assert id(made) not in walked  # frozen again with what lives on
    assert id(made) in {id(o) for o in gc.get_objects(generation=2)}  # and walked as before after the block
