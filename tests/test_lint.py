"""The code stays ruff-clean, formatted and type-checked: part of the test suite, not a habit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TARGETS = ["congkhai", "devtools", "tests", "build_site.py"]


@pytest.mark.parametrize(
    "command",
    [
        [sys.executable, "-m", "ruff", "check", *TARGETS],
        [sys.executable, "-m", "ruff", "format", "--check", *TARGETS],
        [sys.executable, "-m", "mypy", "congkhai", "devtools"],
    ],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_tool_passes(command: list[str]) -> None:
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
