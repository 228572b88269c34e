"""One object per distinct text in the corpus, so that a build holds, and its forks copy, less.

Every plan is decoded on its own (from its file or its cache entry), so the same status, unit,
date or plan id is a separate string object in every row that carries it: at 2,000 plans the
published rows hold about 320,000 string objects for 23,000 distinct texts (38 of 73 MiB). The
render stage forks workers that each copy the pages of every object they touch (reference
counts), so every duplicate is paid once per process. :func:`share_strings` replaces each string
by the first equal one met, in place, leaving the containers (and so everything that holds them)
as they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def share_strings(containers: Iterable[Any], memo: dict[str, str] | None = None) -> dict[str, str]:
    """Make equal strings inside ``containers`` (dicts and lists, nested) the same object.

    Values only: dict keys already come from the schema's field names or the YAML keys, few and
    shared. Tuples, sets and other immutable containers are left as they are (rare in plans, and
    rebuilding them would change identities that callers may hold). Returns the memo, to share
    further containers against the same texts."""
    memo = {} if memo is None else memo
    stack = list(containers)
    seen: set[int] = set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if type(item) is dict:
            for key, value in item.items():
                kind = type(value)
                if kind is str:
                    item[key] = memo.setdefault(value, value)
                elif kind is dict or kind is list:
                    stack.append(value)
        elif type(item) is list:
            for i, value in enumerate(item):
                kind = type(value)
                if kind is str:
                    item[i] = memo.setdefault(value, value)
                elif kind is dict or kind is list:
                    stack.append(value)
    return memo
