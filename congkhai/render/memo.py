"""Generated pages and files rendered from explicit inputs and cached by their hash (issue 14: a
build after a one-plan change renders again only the pages whose inputs changed).

The pattern of :mod:`.cachedplan`, for every other kind of page: the caller gathers what a page
shows into ``inputs`` (plain values, rows as data, frozen dataclasses), and ``render(inputs)`` —
a function of the inputs alone, given nothing else — writes the page. The render cache
(:mod:`congkhai.load.rendercache`, signed, emptied by a changed program or schema) keeps the
result by the hash of the inputs (:func:`key_of`) and the page's kind, so a page cannot show what its key
leaves out. Equal inputs built in a different order only cost a miss, never a wrong page.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from collections import Counter
from collections.abc import Callable
from typing import Any, TypeVar

from ..load.rendercache import TextCache

#: Pages (or groups of files) rendered because the cache had no entry for them, in this process, by
#: kind (the tests check the cache by it; renders without a cache are not counted).
RENDERS: Counter[str] = Counter()

I = TypeVar("I")  # noqa: E741


class _Hashing:
    """A file that hashes what is written to it (the pickle of a page's inputs, frame by frame)."""

    def __init__(self, start: bytes) -> None:
        self.digest = hashlib.sha256(start)

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        return len(data)


def key_of(kind: str, inputs: Any) -> str:
    """The cache key of a page of ``kind`` rendered from ``inputs``: their pickle, which holds every
    value exactly (a dataclass's ``repr`` was a third of a warm build's render stage). The pickle is
    hashed as it is written, never held whole: the monitoring pages' inputs are every task and
    progress update (a pickle of some hundred megabytes at 10,000 plans, at the build's peak).

    Pickled without its memo (``fast``): an object met twice is written twice, so the key depends
    on the values alone, not on which of them are one object. With the memo, rows parsed afresh
    (a cold build: a date or text shared between a plan and its rows) and the same rows read from
    the plan cache (each value its own object) had other keys: the first rebuild after a cold build
    found none of the plans' data parts (BENCHMARKS.md, session 14). Inputs are data, never cyclic."""
    out = _Hashing(kind.encode() + b"\0")
    pickler = pickle.Pickler(out, protocol=5)
    pickler.fast = True  # no memo: see above
    pickler.dump(inputs)
    return out.digest.hexdigest()


def cached(cache: TextCache | None, kind: str, inputs: I, render: Callable[[I], str]) -> str:
    """``render(inputs)``, or the text it gave before for equal inputs (no cache: rendered)."""
    key = ""
    if cache is not None:
        key = key_of(kind, inputs)
        if (found := cache.get(key)) is not None:
            return found
        RENDERS[kind] += 1
    text = render(inputs)
    if cache is not None:
        cache.put(key, text)
    return text


def cached_files(
    cache: TextCache | None, kind: str, inputs: I, render: Callable[[I], dict[str, str]]
) -> dict[str, str]:
    """:func:`cached` for a render giving several files (path → text), kept as one entry."""
    if cache is None:
        return render(inputs)
    key = key_of(kind, inputs)
    text = cache.get(key)
    if text is not None:
        try:
            found = json.loads(text)
        except ValueError:
            found = None
        if isinstance(found, dict) and all(isinstance(v, str) for v in found.values()):
            return found
    RENDERS[kind] += 1
    made = render(inputs)  # given back as made, not read back from its JSON (a second copy)
    cache.put(key, json.dumps(made, ensure_ascii=False))
    return made
