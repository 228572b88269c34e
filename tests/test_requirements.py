"""requirements.txt locks the environment the tests run in: a pin that drifts from what is installed
(a new dependency downgrading another, say) would break a fresh install in CI."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_pin_matches_the_installed_version():
    wrong = []
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        m = re.fullmatch(r"([A-Za-z0-9_.-]+)==(\S+)", line.strip())
        if not m:
            continue
        try:
            installed = metadata.version(m.group(1))
        except metadata.PackageNotFoundError:
            wrong.append(f"{m.group(1)} not installed")
            continue
        if installed != m.group(2):
            wrong.append(f"{m.group(1)}: pinned {m.group(2)}, installed {installed}")
    assert not wrong, wrong


def test_direct_dependencies_are_pinned_in_the_lock():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    lock = (ROOT / "requirements.txt").read_text(encoding="utf-8").lower()
    for name, version in re.findall(r'"([A-Za-z0-9_.-]+)(?:\[[a-z]+\])?==([^"]+)"', text):
        assert f"{name.lower()}=={version}" in lock, name
