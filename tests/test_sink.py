"""render/sink.py: the render stage hands each page and data file over once complete, and lets it go.

Memory without timing: the render stage's peak must not grow with the site (issue 14). A sink that
records, as each page arrives, how many plan pages the renderer has made so far and how much
memory it still holds (tracemalloc), against everything handed over before.
"""

from __future__ import annotations

import datetime as dt
import sys
import tracemalloc
from pathlib import Path

import pytest

from congkhai.load.corpus import Corpus, validate
from congkhai.model.sitemap import HOME, plan_md
from congkhai.render import cachedplan
from congkhai.render.sink import Collect, Finished, Stored, sha256_of, size_of
from congkhai.render.site import render_into, render_site

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 22)
URL = "https://congkhai.example.vn/"
N = 60  # plans: enough that the pages handed over outweigh what the stage needs at any moment


class Recording:
    """A sink writing nowhere: for each page, the plan pages rendered when it arrived and the
    memory traced then, beside the size of everything handed over before it."""

    shared = True

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.files: list[str] = []
        self.renders: dict[str, int] = {}
        self.peaks: list[int] = []  # the most memory traced before each page arrived, since the last one
        self.given = 0
        self.given_at: dict[str, int] = {}  # path → bytes handed over before it
        self.texts: dict[str, str] = {}
        self.keep: frozenset[str] = frozenset()

    def page(self, path: str, text: str) -> None:
        self.paths.append(path)
        self.renders[path] = cachedplan.RENDERS[0]
        self.given_at[path] = self.given
        if tracemalloc.is_tracing():
            self.peaks.append(tracemalloc.get_traced_memory()[1])
            tracemalloc.reset_peak()
        self.given += sys.getsizeof(text)
        if path in self.keep:
            self.texts[path] = text

    def file(self, path: str, data: bytes) -> None:
        self.files.append(path)
        self.given += sys.getsizeof(data)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    from devtools.corpus import generate

    root = tmp_path_factory.mktemp("sink") / "repo"
    generate(root, N)
    corpus = validate(root, today=TODAY)
    assert not corpus.errors
    return corpus


@pytest.fixture
def one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONGKHAI_WORKERS", "1")
    monkeypatch.setenv("CONGKHAI_CACHE", "off")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")


def test_each_plan_page_is_handed_over_before_the_next_is_rendered(one_process: None, generated: Corpus) -> None:
    """The k-th plan page reaches the sink when k plan pages have been made: never all first."""
    sink = Recording()
    before = cachedplan.RENDERS[0]
    render_into(sink, generated, URL, None)
    keys = [plan_md(p) for p in generated.published["plans"]]
    assert len(keys) == N
    assert [sink.renders[k] - before for k in keys] == list(range(1, N + 1))
    # every page and file once: written to disk as it comes, a second one would overwrite the first
    assert len(sink.paths) == len(set(sink.paths)) and len(sink.files) == len(set(sink.files))


def test_the_pages_handed_over_are_not_held(one_process: None, generated: Corpus) -> None:
    """Until the home page arrives (after every plan page, list, body's and cited document's page),
    the renderer never held as much memory as it had handed over: it keeps no page once given.
    Keeping them (as before, every page and data file returned together) it held 1.46 times
    what it handed over by then; now 0.67 — not far less, because one job of the lists makes the
    plan list's filter data for the whole corpus at once, and the corpus's published view and the
    feeds' indexes are made on first use."""
    sink = Recording()
    tracemalloc.start()
    try:
        render_into(sink, generated, URL, None)
    finally:
        tracemalloc.stop()
    given = sink.given_at[HOME]
    worst = max(sink.peaks[: sink.paths.index(HOME) + 1])
    assert given > 10_000_000, "enough handed over to tell"
    assert worst < given, f"held at most {worst / given:.2f} of what was handed over"


def test_a_page_arrives_complete_with_its_history_and_description(one_process: None) -> None:
    """The seed plans have old versions (this checkout's history): each plan page is handed over
    with its history section and its description, not completed after."""
    corpus = validate(ROOT, today=TODAY)
    sink = Recording()
    sink.keep = frozenset(plan_md(p) for p in corpus.published["plans"])
    render_into(sink, corpus, URL, None)
    with_history = [t for t in sink.texts.values() if "Lịch sử thay đổi" in t]
    assert with_history, "the checkout's history gives the seed plans old versions"
    assert all(t.startswith("---\n") and "\ndescription: " in t.split("\n---\n", 1)[0] for t in sink.texts.values())
    # the same pages, whole, as the dict-returning form gives them
    _, collected = render_site(corpus, URL, None)
    assert {k: collected[k] for k in sink.texts} == sink.texts


def test_the_data_files_are_described_by_their_size_and_checksum_once_written() -> None:
    data = "Kế hoạch".encode()
    stored = Stored.of(data)
    assert size_of(stored) == size_of(data) == len(data)
    assert sha256_of(stored) == sha256_of(data)


def test_collect_hands_on_what_it_kept_in_order_and_lets_it_go() -> None:
    kept = Collect()
    kept.file("a.csv", b"1")
    kept.page("b.md", "x")
    kept.file("c.json", b"2")
    out = Collect()
    kept.replay(Finished(out, lambda path, text: text + "!"))
    assert list(out.files.items()) == [("a.csv", b"1"), ("c.json", b"2")] and out.pages == {"b.md": "x!"}
    assert not kept.files and not kept.pages


def test_a_file_made_on_disk_is_moved_into_staging_or_given_as_bytes(tmp_path: Path) -> None:
    """The workbook and the SQLite file are made on disk: the build's sink moves them into place
    (their bytes never read), a sink without ``file_from`` gets the bytes, ``Stored`` reads the file."""
    from congkhai.publish.site import Staging
    from congkhai.render.sink import give_path

    made = tmp_path / "made.xlsx"
    made.write_bytes(b"PK\x03\x04 workbook")
    assert Stored.of_file(made) == Stored.of(b"PK\x03\x04 workbook")
    give_path(Finished(Staging(tmp_path / "stage"), lambda path, text: text), "cong-khai.xlsx", made)
    assert (tmp_path / "stage" / "data" / "cong-khai.xlsx").read_bytes() == b"PK\x03\x04 workbook"
    assert not made.exists()  # moved, not copied through memory

    class Plain:  # the protocol's two methods only
        shared = False

        def __init__(self) -> None:
            self.files: dict[str, bytes] = {}

        def page(self, path: str, text: str) -> None:
            raise AssertionError(path)

        def file(self, path: str, data: bytes) -> None:
            self.files[path] = data

    made.write_bytes(b"SQLite format 3\x00")
    plain, kept = Plain(), Collect()
    give_path(plain, "cong-khai.sqlite", made)
    give_path(kept, "cong-khai.sqlite", made)
    assert plain.files == kept.files == {"cong-khai.sqlite": b"SQLite format 3\x00"}
