"""Nothing published is ever lost: a plan id published at a git revision must still exist.

A plan leaves force only by ``status: withdrawn`` or ``superseded``; deleting its file or changing
its id (which is its permanent address) is reported against a published revision
(``validate --since origin/main``, run on every pull request).
"""

from __future__ import annotations

from pathlib import Path

from ..model.findings import Finding
from ..read.history import ids_at

CODE_REMOVED = "published-plan-removed"


def removed_plans(root: Path, base: str, current_ids: set[str]) -> list[Finding]:
    """One error per plan id published at ``base`` that no plan has now (deleted or renamed).

    A withdrawn or superseded plan keeps its file and id, so it is not reported. Unknown ``base``
    raises ValueError.
    """
    published = ids_at(root, base)
    return [
        Finding(path, 0, 0, "id", CODE_REMOVED, {"id": pid, "path": path, "base": base})
        for pid, path in sorted(published.items(), key=lambda item: (item[1], item[0]))
        if pid not in current_ids
    ]
