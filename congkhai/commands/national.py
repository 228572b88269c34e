"""A national site from built province sites, without rebuilding any province's pages.

Each input is a province's built ``site/`` (built with ``SITE_URL=https://host/<province>/``, as
DEPLOYMENT.md says): its pages, its ``data/`` and its own Pagefind index. The output, meant to be
served at ``https://host/`` with each province at ``/<province>/``, holds the merged datasets
(:func:`congkhai.commands.merge.merge`, with all of its checks), the national home page and lists,
and a search page that merges the provinces' indexes in the browser (``render/national.py``).

Only each province's ``data/`` is read (its ``plans.csv`` for the lists); its pages and index are
neither read nor copied, so the job's time and memory grow with the datasets, not the sites.
The output is written into a staging folder beside ``--out`` and swapped in only when complete.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from ..model import csvfile, licence, sitemap
from ..model.errors import USAGE, CongkhaiError
from ..model.schemas import load_model
from ..render import national
from .merge import MergeResult, merge, new_staging

PLAN_COLUMNS = ("id", "title", "province", "issue_date", "number_symbol")


class NationalError(CongkhaiError):
    """A usage problem with the inputs (not a province site, addresses that do not fit): exit 2."""

    def __init__(self, message_vi: str, message_en: str) -> None:
        super().__init__(message_vi, message_en, USAGE)


def site_address(site: Path) -> tuple[str, str]:
    """A built province site's public address from its ``datapackage.json``: (parent URL, folder)."""
    for needed in ("index.html", f"{sitemap.DATA_DIR}/datapackage.json", sitemap.SEARCH_MODULE):
        if not (site / needed).is_file():
            raise NationalError(
                f"{site} không phải trang đã dựng của một tỉnh (thiếu {needed}). "
                "Hãy đưa vào thư mục site/ do `make site` tạo ra.",
                f"{site} is not a province's built site ({needed} is missing). Give the site/ folder `make site` wrote.",
            )
    homepage = json.loads((site / sitemap.DATA_DIR / "datapackage.json").read_text(encoding="utf-8")).get("homepage")
    parts = urlsplit(homepage or "")
    segments = [s for s in parts.path.split("/") if s]
    if parts.scheme not in ("http", "https") or not parts.netloc or not segments:
        raise NationalError(
            f"{site} được dựng không có địa chỉ dạng https://máy-chủ/<tỉnh>/ (SITE_URL: {homepage or 'chưa đặt'}). "
            "Hãy dựng lại tỉnh đó với SITE_URL=https://máy-chủ/<tỉnh>/.",
            f"{site} was built without an address of the form https://host/<province>/ (SITE_URL: "
            f"{homepage or 'unset'}). Rebuild it with SITE_URL=https://host/<province>/.",
        )
    parent = f"{parts.scheme}://{parts.netloc}/" + "".join(s + "/" for s in segments[:-1])
    return parent, segments[-1]


def site_modified(site: Path) -> str:
    """The date of a province's data (``modified`` of its ``datapackage.json``), or ``""``."""
    package = json.loads((site / sitemap.DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    return str(package.get("modified") or "")


def read_plans(site: Path) -> tuple[dict[str, str], ...]:
    _, rows = csvfile.read_rows(site / sitemap.DATA_DIR / "plans.csv")
    return tuple({k: row.get(k) or "" for k in PLAN_COLUMNS} for row in rows)


def province_names(data: Path) -> dict[str, str]:
    _, rows = csvfile.read_rows(data / "provinces.csv")
    return {row["id"]: row["name"] for row in rows}


def national_site(sites: Sequence[Path], out: Path) -> tuple[MergeResult, str]:
    """Write the national site of ``sites`` into ``out``; returns the merge's result and the national
    address. On any finding nothing is written and the previous ``out`` stays."""
    from ..publish.site import swap

    addresses = [site_address(s) for s in sites]
    parents = sorted({p for p, _ in addresses})
    if len(parents) > 1:
        raise NationalError(
            "Các tỉnh phải cùng một địa chỉ gốc (https://máy-chủ/<tỉnh>/); đang có: " + ", ".join(parents),
            "Every province must be under one address (https://host/<province>/); found: " + ", ".join(parents),
        )
    folders = [seg for _, seg in addresses]
    twice = sorted({f for f in folders if folders.count(f) > 1})
    if twice:
        raise NationalError(
            f"Hai trang cùng dựng cho /{twice[0]}/.", f"Two sites were built for the same path /{twice[0]}/."
        )
    if out.exists() and not (out / national.HOME).is_file():
        raise NationalError(
            f"{out} đã có và không phải trang toàn quốc: chọn thư mục khác.",
            f"{out} exists and is not a national site: choose another folder.",
        )
    out = out.absolute()
    staging = new_staging(out)
    try:
        data = staging / sitemap.DATA_DIR
        result = merge(
            [s / sitemap.DATA_DIR for s in sites],
            data,
            labels=[f"{f}/{sitemap.DATA_DIR}" for f in folders],
            site_url=parents[0],
        )
        if not result.ok:
            return result, parents[0]
        names = province_names(data)
        shards = [
            national.ShardSite(folder, names.get(folder, folder), read_plans(site), site_modified(site))
            for site, folder in zip(sites, folders, strict=True)
        ]
        model = load_model()
        pages = national.render(shards, names, parents[0], tuple(model.tables), licence.terms(model.package))
        for rel, content in pages.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        swap(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return result, parents[0]
