"""Where the render stage hands what it makes: each page and data file as soon as it is complete.

The render stage never returns the whole site at once (at national scale it is gigabytes): it
gives every generated page (path → Markdown or text) and every data file (path under ``data/`` →
bytes) to a :class:`Sink`. The publish stage's sink writes each into the staging folder at once;
:class:`Collect` keeps them in two dicts, for tests and for callers that want them all.

What a page says of a data file written already (its size, its checksum) is kept as
:class:`Stored`, not the file's bytes.

A large data file made on disk (the workbook, the SQLite file) is handed over by its path with
:func:`give_path`: a sink that can take it so (``file_from``: the publish stage's moves it into
place) never holds its bytes; any other sink is given the bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol


class Sink(Protocol):
    @property
    def shared(self) -> bool:
        """True when what a forked process hands to this sink is seen by this one (it writes to
        disk): the data files, made in a forked process, are then written there, not sent back."""

    def page(self, path: str, text: str) -> None:
        """A generated page, complete (``path`` relative to the pages' folder)."""

    def file(self, path: str, data: bytes) -> None:
        """A data file, complete (``path`` relative to ``data/``)."""


@dataclass
class Collect:
    """A sink that keeps everything: ``files`` (data files) and ``pages``, in the order made."""

    files: dict[str, bytes] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)
    shared: bool = False

    def page(self, path: str, text: str) -> None:
        self.pages[path] = text

    def file(self, path: str, data: bytes) -> None:
        self.files[path] = data

    def file_from(self, path: str, source: Path) -> None:
        self.files[path] = source.read_bytes()

    def replay(self, sink: Sink) -> None:
        """Hand everything kept here on to ``sink``, data files first, letting each go."""
        while self.files:
            name = next(iter(self.files))
            sink.file(name, self.files.pop(name))
        while self.pages:
            name = next(iter(self.pages))
            sink.page(name, self.pages.pop(name))


@dataclass
class Finished:
    """A sink that completes each page with ``finish(path, text)`` before handing it to ``sink``."""

    sink: Sink
    finish: Callable[[str, str], str]

    @property
    def shared(self) -> bool:
        return self.sink.shared

    def page(self, path: str, text: str) -> None:
        self.sink.page(path, self.finish(path, text))

    def file(self, path: str, data: bytes) -> None:
        self.sink.file(path, data)

    def file_from(self, path: str, source: Path) -> None:
        give_path(self.sink, path, source)

    def keep(self, path: str, sha256: str) -> bool:
        """The sink's ``keep`` (:class:`.deps.Keeping`): a kept page is complete already."""
        keep = getattr(self.sink, "keep", None)
        return bool(keep(path, sha256)) if keep is not None else False

    def recording(self) -> AbstractContextManager[dict[str, str]]:
        """The sink's ``recording`` (:class:`.deps.Keeping`)."""
        record: Callable[[], AbstractContextManager[dict[str, str]]] = self.sink.recording  # type: ignore[attr-defined]
        return record()


def give_path(sink: Sink, path: str, source: Path) -> None:
    """A data file made at ``source`` (a file of its own, which the sink may move away), handed
    to ``sink`` by its path when the sink takes files so (``file_from``), else as bytes."""
    take = getattr(sink, "file_from", None)
    if take is not None:
        take(path, source)
    else:
        sink.file(path, source.read_bytes())


@dataclass(frozen=True)
class Stored:
    """A data file handed to a sink already: what pages and catalogues say of it."""

    size: int
    sha256: str

    @classmethod
    def of(cls, data: bytes) -> Stored:
        return cls(len(data), hashlib.sha256(data).hexdigest())

    @classmethod
    def of_file(cls, path: Path) -> Stored:
        with path.open("rb") as f:
            return cls(path.stat().st_size, hashlib.file_digest(f, "sha256").hexdigest())


def size_of(data: bytes | Stored) -> int:
    return data.size if isinstance(data, Stored) else len(data)


def sha256_of(data: bytes | Stored) -> str:
    return data.sha256 if isinstance(data, Stored) else hashlib.sha256(data).hexdigest()


#: a data file's name → its bytes, or what is known of it once written
Files = Mapping[str, bytes | Stored]


def write_in_place(writer: Sink | None, made: dict[str, str]) -> dict[str, str]:
    """``made`` handed to ``writer`` here, and nothing left to send back; without one, ``made``."""
    if writer is None:
        return made
    for path, text in made.items():
        writer.page(path, text)
    return {}
