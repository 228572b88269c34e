"""When each source file last changed, from git history (one ``git log`` for all files).

Outside a git checkout nothing is known, and pages say so rather than inventing a date.
"""

from __future__ import annotations

import subprocess
from pathlib import Path


def _git_dates(root: Path, folder: str, *extra: str) -> dict[str, str]:
    """Path → commit time of the first commit listing it in ``git log [extra] --name-only``."""
    try:
        proc = subprocess.run(
            ["git", "log", *extra, "--format=%x00%cI", "--name-only", "--no-renames", "--", folder],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    if proc.returncode != 0:
        return {}
    out: dict[str, str] = {}
    when = ""
    for line in proc.stdout.splitlines():
        if line.startswith("\x00"):
            when = line[1:]
        elif line and when:
            out.setdefault(line, when)
    return out


def last_changed(root: Path, folder: str = "docs/plans") -> dict[str, str]:
    """Repository-relative path → ISO 8601 time of the newest commit touching it."""
    return _git_dates(root, folder)  # the log is newest first


def first_seen(root: Path, folder: str = "docs/plans") -> dict[str, str]:
    """Repository-relative path → ISO 8601 time of the commit that added it (its first appearance)."""
    return _git_dates(root, folder, "--reverse", "--diff-filter=A")
