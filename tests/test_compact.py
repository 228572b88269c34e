"""One object per distinct text (load/compact.py): values unchanged, equal texts shared."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from congkhai.load.compact import share_strings

TEXT = st.text(alphabet="aăâbđ ", max_size=4)
LEAF = st.one_of(TEXT, st.integers(), st.none(), st.booleans(), st.tuples(TEXT))
TREE = st.recursive(
    LEAF,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=4)),
    max_leaves=30,
)


def _fresh(text: str) -> str:
    """An equal string that is another object (literals and one-letter texts are shared already)."""
    return "".join(list(text + "\x00"))[:-1]


def _unshare(value: Any) -> Any:
    if isinstance(value, str):
        return _fresh(value)
    if isinstance(value, list):
        return [_unshare(v) for v in value]
    if isinstance(value, dict):
        return {k: _unshare(v) for k, v in value.items()}
    return value


def _strings(value: Any, out: list[str]) -> list[str]:
    """Every string value reachable through dicts and lists (not tuples: left as they are)."""
    if isinstance(value, str):
        out.append(value)
    elif isinstance(value, list):
        for v in value:
            _strings(v, out)
    elif isinstance(value, dict):
        for v in value.values():
            _strings(v, out)
    return out


@given(st.lists(TREE, min_size=1, max_size=4))
def test_values_stay_equal_and_equal_texts_become_one_object(trees: list[Any]) -> None:
    containers = [_unshare(t) for t in trees]
    before = copy.deepcopy(containers)
    share_strings([c for c in containers if isinstance(c, (dict, list))])
    assert containers == before
    seen: dict[str, int] = {}
    for c in containers:
        if isinstance(c, (dict, list)):
            for s in _strings(c, []):
                assert seen.setdefault(s, id(s)) == id(s), f"{s!r} is still two objects"


def test_shared_containers_and_cycles_are_walked_once() -> None:
    row = {"status": _fresh("đang thực hiện")}
    rows: list[Any] = [row, row, {"status": _fresh("đang thực hiện")}]
    rows.append(rows)  # a cycle must not loop
    share_strings([rows])
    assert rows[0]["status"] is rows[2]["status"]


def test_the_memo_shares_against_texts_met_before() -> None:
    first = {"unit": _fresh("ubnd-xa")}
    memo = share_strings([first])
    second = [_fresh("ubnd-xa")]
    share_strings([second], memo)
    assert second[0] is first["unit"]
