"""``validate --fix``: repair what can be repaired without changing meaning (NFC, Đ look-alike)."""

from __future__ import annotations

from pathlib import Path

from ..model.findings import Finding
from ..vietnamese.text import nfc

FIXABLE = {"non-nfc", "lookalike-character"}


def fix_files(findings: list[Finding], root: Path) -> int:
    """Rewrite each file with a fixable finding in NFC with Đ; returns how many files changed."""
    changed = 0
    for rel in sorted({f.file for f in findings if f.code in FIXABLE}):
        path = root / rel
        text = path.read_text(encoding="utf-8")
        fixed = nfc(text)
        if fixed != text:
            path.write_text(fixed, encoding="utf-8")
            changed += 1
    return changed
