"""The open data's licence, declared once: ``x-terms-of-use`` of ``schemas/package.yaml``.

The terms are those of Decree 47/2020/NĐ-CP Art 18 (free reuse, commercial too, with attribution;
no resale of the raw data; as is). They are compared there with the nearest standard licence
(CC-BY-4.0) and are not compatible with it, so no SPDX or Open Definition id is claimed: the
``datapackage.json`` licence is a ``path`` to the terms on the open-data page and a ``title`` that
says how they differ, in Vietnamese and English. Every mention (``datapackage.json``, the
open-data page, the SQLite file, the JSON-LD made from the package) is derived from :func:`terms`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import sitemap

#: The Data Package profile the package declares (``$schema``): v2, so tools read ``list`` fields.
DATAPACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"


@dataclass(frozen=True)
class Terms:
    citation: str  # the legal basis, e.g. "Nghị định 47/2020/NĐ-CP, Điều 18"
    vi: str  # the terms, in Vietnamese
    en: str  # the terms, in English
    nearest: str  # the nearest standard licence (SPDX id)
    compatible: bool  # whether the terms are compatible with it
    differs_vi: str  # how they differ from it, in Vietnamese
    differs_en: str  # how they differ from it, in English
    title: str  # the licence's name, in Vietnamese
    title_en: str  # the licence's name, in English
    anchor: str  # the terms' section on the open-data page
    ckan: str  # the id in CKAN's licence register a harvester files the terms under

    @property
    def licence_title(self) -> str:
        """``licenses[0].title`` of ``datapackage.json``: the name and the comparison, both languages."""
        return f"{self.title}. {self.differs_vi} / {self.title_en}. {self.differs_en}"

    def page_path(self) -> str:
        """The terms' address relative to the site's root (the open-data page's section)."""
        return f"{sitemap.md_url(sitemap.DATA)}#{self.anchor}"


def terms(package: Mapping[str, Any]) -> Terms:
    """The declared terms (``x-terms-of-use`` of ``schemas/package.yaml``), stripped."""
    t = package["x-terms-of-use"]
    return Terms(
        citation=str(t["citation"]).strip(),
        vi=str(t["vi"]).strip(),
        en=str(t["en"]).strip(),
        nearest=str(t["nearest"]).strip(),
        compatible=bool(t["compatible"]),
        differs_vi=str(t["differs-vi"]).strip(),
        differs_en=str(t["differs-en"]).strip(),
        title=str(t["title"]).strip(),
        title_en=str(t["title-en"]).strip(),
        anchor=str(t["anchor"]).strip(),
        ckan=str(t["ckan"]).strip(),
    )


def licence_entry(t: Terms, site_url: str | None) -> dict[str, str]:
    """The ``licenses`` entry of ``datapackage.json``, as Data Package v2 accepts it.

    Compatible terms name the standard licence (``name``). These are not, so the entry is the
    terms' ``path``: absolute when the site's address is known; in a preview, relative to
    ``datapackage.json`` (which lives in the open-data page's folder), since v2 refuses a path
    starting with ``/``."""
    entry: dict[str, str] = {"name": t.nearest} if t.compatible else {}
    if site_url:
        entry["path"] = f"{site_url.rstrip('/')}/{t.page_path()}"
    else:
        entry["path"] = f"index.html#{t.anchor}"
    entry["title"] = t.licence_title
    return entry


def terms_record(t: Terms) -> dict[str, Any]:
    """``x-terms-of-use`` of ``datapackage.json``: the terms, their basis and the comparison."""
    return {
        "vi": t.vi,
        "en": t.en,
        "source": t.citation,
        "nearest": t.nearest,
        "compatible": t.compatible,
        "differs-vi": t.differs_vi,
        "differs-en": t.differs_en,
        "ckan": t.ckan,
    }
