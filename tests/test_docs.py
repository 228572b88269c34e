"""The README documents every finding code and every command-line option."""

from __future__ import annotations

import re
from pathlib import Path

from congkhai.cli import parser
from congkhai.model.findings import CODES

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_the_two_commands():
    commands = re.findall(r"^make (\w+)", README, flags=re.M)
    assert commands[:2] == ["site", "test"]


def test_every_code_is_documented():
    documented = set(re.findall(r"^\| `([a-z-]+)` \| (?:error|warning) \|", README, flags=re.M))
    assert documented == set(CODES)
    for code, spec in CODES.items():
        assert f"| `{code}` | {spec.severity.value} |" in README


def test_every_option_is_documented():
    p = parser()
    actions = list(p._actions)
    for sub in p._subparsers._group_actions[0].choices.values():  # type: ignore[union-attr]
        actions += sub._actions
    options = {opt for a in actions for opt in a.option_strings if opt.startswith("--") and opt != "--help"}
    missing = sorted(o for o in options if o not in README)
    assert not missing
