"""Two province shards of the seed corpus, each built as its own site, for the national site's tests.

The seed's plans are split by province folder into two scratch repositories (the rest of the
sources copied whole, as a province repository vendoring the shared reference tables would), and
each is built with ``SITE_URL=https://host.example/<province>/`` as DEPLOYMENT.md says.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

HOST = "https://host.example/"
#: the shard's folder under the national host → the seed's province folders it holds
SHARDS = {
    "bac-ninh-2025": ("bac-giang", "lang-son"),
    "can-tho-2025": ("can-tho", "bac-kan", "tay-ninh"),
}


def build_shards(tmp: Path) -> list[Path]:
    """Build each shard's site under ``tmp``; returns the ``site/`` folders in :data:`SHARDS` order."""
    from congkhai.cli import main
    from tests.conftest import FIXED_EPOCH, copy_sources

    sites = []
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    try:
        for folder, keep in SHARDS.items():
            repo = copy_sources(tmp / folder)
            for d in (repo / "docs" / "plans").iterdir():
                if d.is_dir() and d.name not in keep:
                    shutil.rmtree(d)
            mp.setenv("SITE_URL", f"{HOST}{folder}/")
            assert main(["build", "--root", str(repo)]) == 0
            sites.append(repo / "site")
    finally:
        mp.undo()
    return sites


def national_root(tmp: Path, national: Path, sites: list[Path]) -> Path:
    """The host as deployed: the national site at its root, each province site under its folder."""
    root = tmp / "host"
    shutil.copytree(national, root)
    for folder, site in zip(SHARDS, sites, strict=True):
        shutil.copytree(site, root / folder)
    return root
