"""The search index's files written beside the process that assembles the index
(:func:`.searchindex.write_index`): gzipped at level 9 and written by a thread of their own, so
compressing the postings (zlib lets go of the interpreter) overlaps adding them."""

from __future__ import annotations

import gzip
import hashlib
import queue
import threading
from pathlib import Path


def gz(data: bytes) -> bytes:
    """The bytes of a file of the index: gzip at level 9, without a time (the same bytes each build)."""
    return gzip.compress(data, compresslevel=9, mtime=0)


class Writer:
    """The index's files, gzipped (unless ``packed`` already) and written by a thread of its own
    while the caller goes on: zlib lets go of the interpreter while it compresses. Compressing the
    postings at level 9 was a quarter of the main process's share of the search stage at 10,000
    plans, the stage's critical path (BENCHMARKS.md, session 14).
    At most ``limit`` files wait; an error writing one is raised to the caller at its next file or
    at :meth:`finish`, and nothing more is written after it."""

    def __init__(self, out: Path, limit: int = 512) -> None:
        self.out = out
        self.digests: dict[str, bytes] = {}
        self._queue: queue.Queue[tuple[Path, bytes, bool] | None] = queue.Queue(maxsize=limit)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="search-index-writer", daemon=True)
        self._thread.start()

    def __call__(self, path: Path, data: bytes, packed: bool = False) -> None:
        self._raise()
        self._queue.put((path, data, packed))

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            if self._error is not None:
                continue  # drained, not written: the caller is told at its next call
            path, data, packed = item
            try:
                packed_data = data if packed else gz(data)
                path.write_bytes(packed_data)
                self.digests[path.relative_to(self.out).as_posix()] = hashlib.sha256(packed_data).digest()
            except BaseException as exc:
                self._error = exc

    def written(self, path: Path, digest: bytes) -> None:
        """A file written already (by another process), by its hash."""
        self.digests[path.relative_to(self.out).as_posix()] = digest

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def finish(self) -> dict[str, bytes]:
        """Wait for every file given so far; their hashes by path in the bundle."""
        self._stop()
        self._raise()
        return self.digests

    def _stop(self) -> None:
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop()  # the thread never outlives the index it writes (an error stops it here too)
