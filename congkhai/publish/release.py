"""The previous published dataset release, rebuilt from git, for the open-data page's "what changed".

The open-data page says what changed since the previous release — the newest ``du-lieu-*`` tag
HEAD descends from (:func:`congkhai.read.history.previous_release`), the same one ``make
release-assets`` writes its changelog against — never since whatever an earlier build left in
``site/``, which a fresh clone in CI does not have. The release's commit is checked out in a
temporary git worktree (so its history, and with it every date computed from git, is what it
was), validated with today's code and schemas as of the release's day, and its datasets
rendered in memory; the worktree is removed afterwards. The per-plan cache is the repository's
own (``.cache/congkhai``, unless ``CONGKHAI_CACHE`` says otherwise: keyed by path and content, so
the plans unchanged since the release are not read again). A release that cannot be rebuilt is
compared with nothing (the page then says it is the first publication).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from ..load.corpus import validate
from ..load.plancache import DEFAULT_DIR
from ..read import git
from ..read.history import Release, previous_release, sources_modified_at
from ..render import datasets

_NO_HOOKS = ("-c", "core.hooksPath=/dev/null")
CACHE_ENV = "CONGKHAI_CACHE"


@contextlib.contextmanager
def _shared_cache(root: Path) -> Iterator[None]:
    """The worktree's validation uses ``root``'s plan cache (when no ``CONGKHAI_CACHE`` is set)."""
    if os.environ.get(CACHE_ENV):
        yield
        return
    os.environ[CACHE_ENV] = str(root.resolve() / DEFAULT_DIR)
    try:
        yield
    finally:
        os.environ.pop(CACHE_ENV, None)


def previous_data(root: Path, site_url: str | None = None) -> tuple[Release, Mapping[str, bytes]] | None:
    """The previous release and its data files (``datasets.render``) by name, or None."""
    release = previous_release(root)
    if release is None:
        return None
    tmp = Path(tempfile.mkdtemp(prefix="congkhai-release-"))
    tree = tmp / "tree"
    try:
        added = git.run(root, *_NO_HOOKS, "worktree", "add", "--quiet", "--detach", str(tree), release.commit)
        if added.returncode != 0:
            return None
        with _shared_cache(root):
            corpus = validate(tree, today=release.day)
        files = datasets.render(corpus.model, corpus.published, sources_modified_at(root, release.commit), site_url)
        return release, files
    except git.Failed:
        return None
    finally:
        with contextlib.suppress(*git.Failed):
            git.run(root, "worktree", "remove", "--force", str(tree))
        shutil.rmtree(tmp, ignore_errors=True)
