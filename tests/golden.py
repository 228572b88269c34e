"""Golden files for the generated datasets and pages of the seed plans.

``make golden`` (``python -m tests.golden``) rewrites them after a deliberate change; review the
diff before committing. The tests compare byte for byte, which also proves determinism.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
PAGES = ("plans/index.md", "data/index.md")


def generate(repo: Path) -> dict[str, bytes]:
    """Dataset files and a few generated pages for the sources in ``repo``."""
    from congkhai import datasets
    from congkhai.pages import PageBuilder
    from congkhai.pipeline import validate
    from congkhai.publish import originals

    v = validate(repo)
    assert not v.errors, [f.code for f in v.errors]
    out = {
        f"data/{k}": b for k, b in datasets.render(v.model, v.tables, v.mentions, datasets.last_modified(repo)).items()
    }
    rows = datasets.output_rows(v.model, v.tables, v.mentions)
    bodies = {s.data["id"]: s.body for s in v.sources if s.data}
    pages = PageBuilder(v.model, rows, bodies, originals(v)).pages()
    for name, text in pages.items():
        if name in PAGES or name.startswith("plans/bac-giang/"):
            out[f"pages/{name}"] = text.encode("utf-8")
    return out


def main() -> None:
    from tests.conftest import FIXED_EPOCH, copy_sources

    os.environ["SOURCE_DATE_EPOCH"] = FIXED_EPOCH
    with tempfile.TemporaryDirectory() as tmp:
        files = generate(copy_sources(Path(tmp) / "repo"))
    for name, data in files.items():
        path = GOLDEN / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    print(f"wrote {len(files)} golden files under {GOLDEN.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
