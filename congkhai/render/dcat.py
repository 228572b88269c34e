"""The open data's DCAT-AP 3.0.1 catalogue (``data/catalog.jsonld``), for national portals and
harvesters: valid against the official SHACL shapes (``tests/test_metadata.py`` runs pyshacl) and
read field by field as CKAN's ckanext-dcat ``euro_dcat_ap_3`` profile reads it.

Its vocabularies are the EU Publications Office's (file type, language, country, data theme) and
IANA's media types; the publisher and contact point are the operating public body
(:class:`congkhai.render.metadata.Publisher`); downloads, checksums and the licence are described
once in :mod:`congkhai.render.metadata` and shared with the schema.org ``Dataset``. Pure and
deterministic, like everything in ``render/``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .metadata import (
    COUNTRY_VN,
    EU_AUTHORITY,
    PLACEHOLDER_PUBLISHER,
    Publisher,
    _downloads,
    _drop_empty,
    _license,
    _root,
)
from .sink import Files

IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types"
LANGUAGE_VI = f"{EU_AUTHORITY}/language/VIE"
THEMES = f"{EU_AUTHORITY}/data-theme"
THEME_GOVERNMENT = f"{THEMES}/GOVE"  # "Government and public sector"
#: ADMS publisher types (purl.org/adms/publishertype): what kind of body publishes.
PUBLISHER_TYPES = "http://purl.org/adms/publishertype"
SHA256 = "http://spdx.org/rdf/terms#checksumAlgorithm_sha256"
#: CKAN's licence register titles for the licence ids a Data Package may name: ckanext-dcat maps a
#: distribution's ``dct:license`` to ``license_id`` by the licence's URL or else its ``dct:title``,
#: and a site's own terms of use have no URL in CKAN's register, so the title carries the match.
CKAN_LICENSE_TITLES = {
    "other-at": "Other (Attribution)",
    "other-closed": "Other (Not Open)",
    "other-open": "Other (Open)",
    "cc-by": "Creative Commons Attribution",
    "cc-zero": "Creative Commons CCZero",
    "odc-by": "Open Data Commons Attribution License",
}


def _xsd_date(value: str) -> dict[str, str]:
    kind = {4: "xsd:gYear", 7: "xsd:gYearMonth"}.get(len(value), "xsd:date")
    return {"@value": value, "@type": kind}


DCAT_CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "spdx": "http://spdx.org/rdf/terms#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def _vi(text: Any) -> dict[str, Any]:
    return {"@value": str(text), "@language": "vi"}


def _en(text: Any) -> dict[str, Any]:
    return {"@value": str(text), "@language": "en"}


def _document(url: str) -> dict[str, Any]:
    return {"@id": url, "@type": "foaf:Document"}


LANGUAGE = {"@id": LANGUAGE_VI, "@type": "dct:LinguisticSystem"}
SPATIAL = {"@id": COUNTRY_VN, "@type": "dct:Location", "skos:prefLabel": _vi("Việt Nam")}
THEME = {
    "@id": THEME_GOVERNMENT,
    "@type": "skos:Concept",
    "skos:prefLabel": _vi("Chính phủ và khu vực công"),
    "skos:inScheme": {"@id": THEMES},
}
THEME_TAXONOMY = {"@id": THEMES, "@type": "skos:ConceptScheme", "dct:title": _vi("Chủ đề dữ liệu (EU)")}


def _agent(publisher: Publisher, root: str) -> dict[str, Any]:
    """The publisher as a ``foaf:Agent`` with its ADMS type: a public body, not the site."""
    return _drop_empty(
        {
            "@id": f"{root}/#publisher",
            "@type": ["foaf:Agent", "foaf:Organization"],
            "foaf:name": _vi(publisher.name),
            "foaf:mbox": {"@id": f"mailto:{publisher.email}"} if publisher.email else None,
            "foaf:homepage": _document(publisher.homepage or f"{root}/"),
            "dct:type": {
                "@id": f"{PUBLISHER_TYPES}/{publisher.kind}",
                "@type": "skos:Concept",
                "skos:prefLabel": _en(publisher.kind),
                "skos:inScheme": {"@id": f"{PUBLISHER_TYPES}/1.0"},
            },
        }
    )


def _contact(publisher: Publisher, root: str) -> dict[str, Any]:
    return _drop_empty(
        {
            "@id": f"{root}/#contact",
            "@type": ["vcard:Organization", "vcard:Kind"],
            "vcard:fn": _vi(publisher.name),
            "vcard:hasEmail": {"@id": f"mailto:{publisher.email}"} if publisher.email else None,
            "vcard:hasURL": {"@id": publisher.homepage or f"{root}/"},
        }
    )


def dcat_catalog(
    package_descriptor: Mapping[str, Any],
    base_url: str,
    *,
    files: Files | None = None,
    publisher: Publisher = PLACEHOLDER_PUBLISHER,
    temporal: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """A DCAT-AP 3.0.1 catalogue (JSON-LD) of the open data, harvestable by CKAN (ckanext-dcat's
    ``euro_dcat_ap_3`` profile) or a national portal: ``dcat:Catalog`` → ``dcat:Dataset`` → one
    ``dcat:Distribution`` per file. Controlled values are IRIs of the EU vocabularies (file type,
    language ``VIE``, country ``VNM``, data theme ``GOVE``) and IANA media types, each typed with
    the class the DCAT-AP shapes ask for and labelled as CKAN reads them (``text/csv``); the
    publisher is the operating public body with a contact point; checksums are SHA-256 in
    ``xsd:hexBinary``. ``temporal``: the period covered (:func:`coverage`). Give an absolute
    ``base_url`` for harvesting (``tests/test_metadata.py`` validates it with the official shapes).

    Places: the EU vocabularies have no Vietnamese provinces, so the coverage is the country."""
    d = package_descriptor
    root = _root(base_url)
    lic_url, lic_title, lic_id = _license(d, base_url)
    terms = d.get("x-terms-of-use") or {}
    modified = d.get("modified")
    mod = {"@value": modified, "@type": "xsd:dateTime"} if modified else None
    agent = _agent(publisher, root)
    ckan_title = CKAN_LICENSE_TITLES.get(lic_id)
    license_doc = _drop_empty(
        {
            "@id": lic_url,
            "@type": "dct:LicenseDocument",
            "dct:title": [_vi(lic_title)] + ([_en(ckan_title)] if ckan_title else []) if lic_title else None,
            "rdfs:label": _vi(lic_title) if lic_title else None,
            "dct:identifier": lic_id or None,
            "dct:description": [_vi(terms["vi"]), _en(terms["en"])] if terms.get("vi") and terms.get("en") else None,
        }
    )
    distributions = []
    for f in _downloads(d, files):
        url = f"{root}/data/{f['path']}"
        distributions.append(
            _drop_empty(
                {
                    "@id": f"{root}/data/#{f['name']}",
                    "@type": "dcat:Distribution",
                    "dct:title": [_vi(f["title"])] + ([_en(f["title_en"])] if f["title_en"] else []),
                    "dcat:downloadURL": {"@id": url},
                    "dcat:accessURL": {"@id": url},
                    "dcat:mediaType": {
                        "@id": f"{IANA_MEDIA_TYPES}/{f['mediatype']}",
                        "@type": "dct:MediaType",
                        "rdfs:label": f["mediatype"],
                    },
                    "dct:format": {
                        "@id": f"{EU_AUTHORITY}/file-type/{f['filetype']}",
                        "@type": "dct:MediaTypeOrExtent",
                    },
                    "dcat:byteSize": (
                        {"@value": f["bytes"], "@type": "xsd:nonNegativeInteger"} if f["bytes"] is not None else None
                    ),
                    "spdx:checksum": (
                        {
                            "@type": "spdx:Checksum",
                            "spdx:algorithm": {"@id": SHA256, "@type": "spdx:ChecksumAlgorithm"},
                            "spdx:checksumValue": {"@value": f["sha256"], "@type": "xsd:hexBinary"},
                        }
                        if f["sha256"]
                        else None
                    ),
                    "dct:modified": mod,
                    "dct:license": {"@id": lic_url},  # described once, on the dataset
                    "dct:language": LANGUAGE,
                }
            )
        )
    dataset = _drop_empty(
        {
            "@id": f"{root}/data/#dataset",
            "@type": "dcat:Dataset",
            "dct:identifier": d.get("name"),
            "dct:title": [_vi(d["title"])] + ([_en(d["x-title-en"])] if d.get("x-title-en") else []),
            "dct:description": [_vi(d["description"])]
            + ([_en(d["x-description-en"])] if d.get("x-description-en") else []),
            "dcat:keyword": [_vi(k) for k in d.get("keywords") or []],
            "dcat:theme": THEME,
            "dct:language": LANGUAGE,
            "dct:spatial": SPATIAL,
            "dct:temporal": (
                {
                    "@type": "dct:PeriodOfTime",
                    "dcat:startDate": _xsd_date(temporal[0]),
                    "dcat:endDate": _xsd_date(temporal[1]),
                }
                if temporal
                else None
            ),
            "dct:publisher": agent,
            "dcat:contactPoint": _contact(publisher, root),
            "dct:modified": mod,
            "dcat:landingPage": _document(f"{root}/data/"),
            "dct:license": license_doc,
            "dct:rights": {"@type": "dct:RightsStatement", "rdfs:label": _vi(terms["vi"])} if terms.get("vi") else None,
            "dcat:distribution": distributions,
        }
    )
    return _drop_empty(
        {
            "@context": DCAT_CONTEXT,
            "@id": f"{root}/data/catalog.jsonld",
            "@type": "dcat:Catalog",
            "dct:title": _vi(f"{publisher.name} — danh mục dữ liệu mở"),
            "dct:description": [_vi(d["description"])],
            "dct:publisher": agent,
            "dct:language": LANGUAGE,
            "dct:spatial": SPATIAL,
            "foaf:homepage": _document(f"{root}/"),
            "dcat:themeTaxonomy": THEME_TAXONOMY,
            "dct:modified": mod,
            "dct:license": {"@id": lic_url},
            "dcat:dataset": [dataset],
        }
    )


# --- Dublin Core -------------------------------------------------------------------------------
