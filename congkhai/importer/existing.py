"""Is the file being imported a plan already in ``docs/plans/``? Then ``import`` updates that
plan (same id, same file) instead of publishing it a second time.

Two routes: the **document** — the same number and symbol, issue date and issuer (for a blank or
absent number, the same title too: blank numbers repeat); and the **text** — the same text once
accents, case, punctuation and spacing are folded away (:func:`fingerprint`), compared with the
plan's text and with its original beside it (``source_file``, a ``.txt`` or ``.md``).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from congkhai.read.frontmatter import read_source
from congkhai.vietnamese.text import fold


@dataclass(frozen=True)
class Existing:
    """The plan a file updates: its file, id, title and how it was recognised."""

    path: Path
    plan_id: str
    title: str
    route: str  # "document" | "text"


def fingerprint(text: str) -> str:
    """A hash of a text's letters and digits, folded: the same for a re-typed copy's spacing,
    punctuation, accents and Markdown."""
    return hashlib.sha256(re.sub(r"[^a-z0-9]+", "", fold(text)).encode()).hexdigest()


def _number(value: Any) -> str:
    return re.sub(r"\s+|^s[oố]\s*:?", "", fold(str(value or "")))


def _names(values: Any) -> set[str]:
    out: set[str] = set()
    for item in values if isinstance(values, list) else []:
        if isinstance(item, dict):
            for key in ("unit", "as_printed"):
                if isinstance(item.get(key), str) and item[key]:
                    out.add(" ".join(re.sub(r"[^\w]+", " ", fold(item[key])).split()))
    return out


def find_existing(
    root: Path,
    *,
    number: str | None,
    date: str | None,
    title: str | None,
    issuers: list[dict[str, Any]],
    body: str,
    source: str,
) -> Existing | None:
    """The plan in ``root/docs/plans`` that the imported document is, or None."""
    plans = root / "docs" / "plans"
    if not plans.is_dir():
        return None
    body_fp, source_fp = fingerprint(body), fingerprint(source)
    mine = _names(issuers)
    by_text: Existing | None = None
    for path in sorted(plans.rglob("*.md")):
        if path.is_symlink() or not path.is_file():
            continue
        src = read_source(path, root)
        data = src.data
        if not isinstance(data, dict) or not isinstance(data.get("id"), str):
            continue
        found = Existing(path, data["id"], str(data.get("title") or ""), "document")
        same_doc = (
            (number or date)
            and _number(data.get("number_symbol")) == _number(number)
            and str(data.get("issue_date") or "") == str(date or "")
            and bool(mine & _names(data.get("issuers")))
        )
        printed = bool(re.match(r"\s*\d", _number(number)))
        if same_doc and (printed or fold(str(data.get("title") or "")) == fold(title or "")):
            return found
        if by_text is None:
            if src.body.strip() and fingerprint(src.body) == body_fp:
                by_text = Existing(path, data["id"], found.title, "text")
            original = data.get("source_file")
            if isinstance(original, str) and original.endswith((".txt", ".md")) and "/" not in original:
                beside = path.parent / original
                if beside.is_file() and not beside.is_symlink():
                    try:
                        text = beside.read_text(encoding="utf-8-sig")
                    except (OSError, UnicodeDecodeError):
                        text = ""
                    if text.strip() and fingerprint(text) == source_fp:
                        by_text = Existing(path, data["id"], found.title, "text")
    return by_text
