"""The pull request's comment quotes values inertly (congkhai/commands/prcomment.py inline)."""

from __future__ import annotations

import pytest

from congkhai.commands.prcomment import MARKER, _linkable, inline


@pytest.mark.parametrize(
    ("value", "absent"),
    [
        ("[x](javascript:alert(1))", "](javascript"),
        ("![a](https://evil.example/p.png)", "!["),
        ("<img src=x onerror=alert(1)>", "<img"),
        ("``code``", "``"),
        ("hi @octocat", "@octocat"),
        ("@org/team", "@org"),
        ("see #12", "#12"),
        ("GH-12", "GH-12"),
        ("https://evil.example", "https://"),
        ("www.evil.example", "www."),
        ("a | b", " | "),
        ("a\nb\x1b[31m\u202ec", "\n"),
        (MARKER, "<!--"),
    ],
)
def test_a_value_cannot_make_markup(value: str, absent: str) -> None:
    assert absent not in inline(value)


def test_a_value_is_shortened_on_one_line() -> None:
    out = inline("a" * 500, limit=20)
    assert out.endswith("…") and len(out) == 20


def test_only_plain_web_addresses_are_linked() -> None:
    assert _linkable("https://github.com/o/r/actions/runs/1/artifacts/2")
    assert not _linkable("javascript:alert(1)") and not _linkable("https://x.example/a>b") and not _linkable(None)
