"""The merge gate (`build_site.py review`, `make ci-review-markers`): a changed plan that a person
has not yet checked cannot be merged.

What blocks, precisely:

* the importer's review marker, anywhere in the file: the literal "CẦN KIỂM TRA" (the YAML
  comment at the top of every draft and each value the importer could not decide), and the
  importer's note ("Bản nháp do công cụ nhập …" in ``notes``), which the reviewer replaces with
  a note of their own;
* a **printed fact** listed in ``inferred`` that was not listed there at the base revision (a new
  plan: every one). Printed facts are what the document itself prints and the plan page shows
  with "(suy luận)" when inferred: ``number_symbol``, ``doc_type``, ``title``, ``place``,
  ``issue_date``, ``signers``. Cleared by checking the fact against the original and removing it
  from ``inferred`` — or, when the original does not print it, by leaving the field empty.

What does not block: ``issuers``, ``issuer_level`` and ``province``, which the importer lists in
``inferred`` for every draft: they are classifications matched from the printed name (the name
itself is kept as printed in ``issuers[].as_printed``), and the review marker already makes a
person check them; a task's ``inferred`` (a lead read from its section's heading), shown on the
page as what it is; and inferences already accepted at the base revision (a published plan's
curated ``inferred`` list, explained in its ``notes``), so editing such a plan is not blocked.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..importer.cites import CHECK
from ..importer.draft import DRAFT_NOTE
from ..model.findings import Finding
from ..read import git
from ..read.frontmatter import parse_source

#: Facts a document prints (number, type, title, place, date, signature) — see the module text.
PRINTED = ("number_symbol", "doc_type", "title", "place", "issue_date", "signers")
#: The importer's review markers, in the order they are looked for on a line.
MARKERS = (CHECK, DRAFT_NOTE)


def _printed_inferred(rel: str, text: str) -> dict[str, tuple[int, int]]:
    """The printed facts a plan lists in ``inferred`` → the line and column of each item."""
    src = parse_source(rel, text)
    listed = (src.data or {}).get("inferred")
    if not isinstance(listed, list):
        return {}
    return {str(x): src.mark(("inferred", i)) for i, x in enumerate(listed) if str(x) in PRINTED}


def _text(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except (OSError, UnicodeDecodeError):
        return None  # the validator reports an unreadable file


def review(root: Path, files: Sequence[str], base: str | None = None) -> list[Finding]:
    """Findings for every review marker and newly inferred printed fact in ``files`` (paths
    relative to ``root``); the inferences at ``base`` (a git revision) are accepted."""
    out: list[Finding] = []
    texts = {rel: _text(root / rel) for rel in files}
    before: dict[str, bytes] = {}
    commit = git.commit(root, base) if base else None
    if commit:
        before = git.cat_files(root, [f"{commit}:{rel}" for rel in files])
    for rel, text in texts.items():
        if text is None:
            continue
        for number, line in enumerate(text.split("\n"), 1):
            for marker in MARKERS:
                column = line.find(marker)
                if column >= 0:
                    field = "notes" if marker == DRAFT_NOTE else ""
                    out.append(Finding(rel, number, column + 1, field, "review-marker", {"marker": marker}))
                    break
        old_blob = before.get(f"{commit}:{rel}")
        try:
            old = _printed_inferred(rel, old_blob.decode("utf-8-sig")) if old_blob is not None else {}
        except UnicodeDecodeError:
            old = {}
        for key, (line_no, column) in _printed_inferred(rel, text).items():
            if key not in old:
                out.append(Finding(rel, line_no, column, "inferred", "inferred-fact", {"key": key}))
    return out
