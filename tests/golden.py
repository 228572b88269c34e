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
TODAY = __import__("datetime").date(2026, 11, 22)  # compliance is computed against the build date
PAGES = ("plans/index.md", "data/index.md", "data/tu-dien.md", "tasks/index.md", "directives/33-ct-ttg-2021.md")


def generate(repo: Path) -> dict[str, bytes]:
    """Dataset files and a few generated pages for the sources in ``repo``."""
    from congkhai.load.corpus import validate
    from congkhai.publish.site import site_url
    from congkhai.render.site import render_site

    v = validate(repo, today=TODAY)
    assert not v.errors, [f.code for f in v.errors]
    downloads, pages = render_site(v, site_url(v.root), None)
    out = {f"data/{k}": b for k, b in downloads.items() if "/" not in k}
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
