"""The published seed plans keep the source text: the body rewords nothing.

Every word of a plan's body must occur in its original file (kept beside the plan), as often:
headings, lists and footnotes may be reshaped, the wording may not.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from congkhai.load.corpus import plan_files
from congkhai.vietnamese.text import nfc

ROOT = Path(__file__).resolve().parent.parent
MARKUP = re.compile(r"\[\^\d+\]:?|<sup>\d+</sup>|\[\d+\]")


def _words(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", MARKUP.sub(" ", nfc(text)).lower()))


@pytest.mark.parametrize("path", plan_files(ROOT), ids=lambda p: p.stem)
def test_body_words_all_come_from_the_original(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    front, body = text.split("---\n", 2)[1:]
    original = path.with_name(yaml.safe_load(front)["source_file"])
    extra = _words(body) - _words(original.read_text(encoding="utf-8"))
    assert not extra, f"words not in {original.name}: {sorted(extra)[:20]}"
    assert "**" not in body and "<sup>" not in body
