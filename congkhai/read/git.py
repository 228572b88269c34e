"""The one way the program runs git: every history, date and old version it publishes comes from here.

Git reads file names and revisions that come from strangers (a pull request's branch and files),
so every call is an argument list (never a shell), revisions are checked before use (no option
injection: ``--end-of-options``, nothing starting with ``-``), paths are printed unquoted
(``core.quotePath=false``, so Vietnamese file names match), and each call is bounded in time.
Callers decide what a failure means: outside a checkout, pages say a date is unknown; ``diff``
and ``validate --since`` refuse with a message.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

#: A git at national scale reads tens of thousands of commits; a hung one must not hang CI.
TIMEOUT_S = 300
#: The field separator of the ``--format`` strings used with git log (NUL never occurs in text).
SEP = "\x00"

Failed = (OSError, subprocess.SubprocessError)  # git missing, not runnable, or timed out


def run(
    root: Path, *args: str, stdin: bytes | None = None, text: bool = False, timeout: float = TIMEOUT_S
) -> subprocess.CompletedProcess[Any]:
    """``git <args>`` in ``root``; raises one of :data:`Failed` if git cannot be run at all."""
    return subprocess.run(
        ["git", "-c", "core.quotePath=false", *args],
        cwd=root,
        input=stdin.decode("utf-8") if text and stdin is not None else stdin,
        capture_output=True,
        text=text,
        timeout=timeout,
        check=False,
    )


def commit(root: Path, rev: str) -> str | None:
    """The commit sha ``rev`` names in the repository at ``root``, else None (raises :data:`Failed`)."""
    if not rev or rev.startswith("-"):
        return None
    proc = run(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}", text=True)
    if proc.returncode != 0:
        return None
    return proc.stdout.strip() or None


def is_repository(root: Path) -> bool:
    try:
        return run(root, "rev-parse", "--git-dir").returncode == 0
    except Failed:
        return False


def cat_files(root: Path, specs: list[str]) -> dict[str, bytes]:
    """``rev:path`` → the blob's bytes, for all specs in one ``git cat-file --batch``; missing ones left out."""
    if not specs:
        return {}
    proc = run(root, "cat-file", "--batch", stdin="".join(s + "\n" for s in specs).encode("utf-8"))
    if proc.returncode != 0:
        return {}
    out: dict[str, bytes] = {}
    data, pos = proc.stdout, 0
    for spec in specs:
        end = data.find(b"\n", pos)
        if end < 0:
            break
        line = data[pos:end]
        pos = end + 1
        if line.endswith((b" missing", b" ambiguous")):
            continue
        _, kind, size_text = line.rsplit(b" ", 2)
        size = int(size_text)
        if kind == b"blob":
            out[spec] = data[pos : pos + size]
        pos += size + 1  # the content is followed by a newline
    return out
