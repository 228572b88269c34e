"""Machine-readable metadata: schema.org JSON-LD (``Legislation`` for plans and cited documents,
``Dataset`` for the open data), Dublin Core meta tags and page descriptions; the DCAT-AP
catalogue is :mod:`congkhai.render.dcat`, built on the same publisher, downloads and licence. Every function is pure and deterministic: dates and URLs come from the caller, never from
the clock.

URLs: ``base_url`` is the site's root without the trailing slash (``https://example.gov.vn`` or
``https://example.gov.vn/cong-khai``; ``""`` gives root-relative URLs). Plan pages are at
``plans/<province>/<id>/``, directive pages at ``directives/<id>/``, datasets under ``data/``.

How JSON-LD reaches a page: the generator puts :func:`jsonld_string` of the object into the
page's front matter as ``jsonld``; ``overrides/main.html`` writes it into a
``<script type="application/ld+json">``. ``jsonld_string`` escapes ``<``, ``>`` and ``&`` as
``\\u003c``…, which JSON allows inside strings and which never occur outside them, so no value
can close the script element.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from ..model import sitemap
from ..model.schemas import Model
from ..model.sitemap import directive_path
from ..model.urls import safe_url
from ..vietnamese.text import date_vi
from .markdown import front_matter
from .sink import Files, sha256_of, size_of

SCHEMA_ORG = "https://schema.org"
PUBLISHER = "Công khai"
#: extension → (IANA media type, format label, EU file-type code). The EU file-type vocabulary
#: (publications.europa.eu/resource/authority/file-type) has no SQLite entry: ``BIN`` (binary data)
#: is the closest honest code; the IANA media type ``application/vnd.sqlite3`` says what it is.
MEDIA_TYPES = {
    "csv": ("text/csv", "CSV", "CSV"),
    "json": ("application/json", "JSON", "JSON"),
    "jsonld": ("application/ld+json", "JSON-LD", "JSON_LD"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX", "XLSX"),
    "sqlite": ("application/vnd.sqlite3", "SQLite", "BIN"),
    "db": ("application/vnd.sqlite3", "SQLite", "BIN"),
    "zip": ("application/zip", "ZIP", "ZIP"),
    "xml": ("application/xml", "XML", "XML"),
}
#: The EU controlled vocabularies (Publications Office) DCAT-AP 3.0.1 expects, and IANA's media types.
EU_AUTHORITY = "http://publications.europa.eu/resource/authority"
COUNTRY_VN = f"{EU_AUTHORITY}/country/VNM"


@dataclass(frozen=True)
class Publisher:
    """The public body that operates the site and publishes its open data (``extra.publisher`` of
    ``mkdocs.yml``): the DCAT publisher and contact point, schema.org's publisher of the Dataset.
    ``kind`` is an ADMS publisher type code (``LocalAuthority``, ``NationalAuthority``…);
    ``placeholder`` is true while the operator has not declared the body (the build warns)."""

    name: str
    email: str
    homepage: str = ""
    kind: str = "LocalAuthority"
    placeholder: bool = False


#: Used until ``extra.publisher`` names the operating body: clearly not a real body or address.
PLACEHOLDER_PUBLISHER = Publisher(
    name="Cơ quan vận hành trang (chưa khai báo)", email="chua-khai-bao@example.invalid", placeholder=True
)


def publisher_from(settings: Mapping[str, Any] | None) -> Publisher:
    """The publisher from ``extra.publisher`` (``name``, ``email``, ``homepage``, ``type``); the
    placeholder while no name is given. An e-mail address that is not one is left out."""
    settings = settings or {}
    name = " ".join(str(settings.get("name") or "").split())
    if not name:
        return PLACEHOLDER_PUBLISHER
    email = str(settings.get("email") or "").strip()
    kind = str(settings.get("type") or "LocalAuthority").strip()
    return Publisher(
        name=name,
        email=email if re.fullmatch(r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+", email) else "",
        homepage=safe_url(str(settings.get("homepage") or "")) or "",
        kind=kind if re.fullmatch(r"[A-Za-z]+", kind) else "LocalAuthority",
    )


def coverage(plans: Iterable[Mapping[str, Any]]) -> tuple[str, str] | None:
    """The period the data covers: the first and last date of issue of the plans (``YYYY``,
    ``YYYY-MM`` or ``YYYY-MM-DD`` as printed), or ``None`` without dates."""
    dates = sorted(str(p["issue_date"]) for p in plans if p.get("issue_date"))
    return (dates[0], dates[-1]) if dates else None


# plan_status → schema.org LegalForceStatus
LEGAL_FORCE = {
    "in_force": "https://schema.org/InForce",
    "amended": "https://schema.org/InForce",
    "superseded": "https://schema.org/NotInForce",
    "withdrawn": "https://schema.org/NotInForce",
    "expired": "https://schema.org/NotInForce",
}
# relations that make the cited document the plan's basis; the rest are plain citations
BASIS = frozenset({"can_cu", "thuc_hien", "huong_dan"})


def jsonld_string(obj: Any) -> str:
    """Serialise JSON-LD for an inline ``<script>``: compact, stable, ``<``/``>``/``&`` escaped."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _root(base_url: str) -> str:
    return base_url.rstrip("/")


def _label(model: Model, vocab: str, code: Any) -> str | None:
    return model.vocabularies[vocab].label(str(code), "vi") if code is not None else None


def _names(issuers: Iterable[str | Mapping[str, Any]]) -> list[str]:
    """Issuer names: strings as given, or unit rows (``name``) / issuer rows (``as_printed``, ``unit``)."""
    out = []
    for i in issuers:
        name = i if isinstance(i, str) else (i.get("name") or i.get("as_printed") or i.get("unit"))
        if name and str(name) not in out:
            out.append(str(name))
    return out


def _org(name: str) -> dict[str, str]:
    return {"@type": "Organization", "name": name}


def _drop_empty(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v not in (None, "", [], {})}


def _directive_ref(d: Mapping[str, Any], base_url: str, model: Model) -> dict[str, Any]:
    url = f"{_root(base_url)}/{directive_path(str(d['id']))}"
    return _drop_empty(
        {
            "@type": "Legislation",
            "@id": url,
            "url": url,
            "name": d.get("title") or d.get("name") or d.get("number_symbol") or d["id"],
            "legislationIdentifier": d.get("number_symbol"),
            "legislationType": _label(model, "doc_type", d.get("doc_type")),
        }
    )


# --- schema.org Legislation --------------------------------------------------------------------


def plan_jsonld(
    plan: Mapping[str, Any],
    issuers: Iterable[str | Mapping[str, Any]],
    directives_cited: Iterable[Mapping[str, Any]],
    url: str,
    *,
    base_url: str = "",
    model: Model,
) -> dict[str, Any]:
    """schema.org ``Legislation`` for a plan page.

    ``issuers``: the issuing bodies' names (or unit rows). ``directives_cited``: directive rows,
    each with the citation's ``relation`` added (``{**directive, "relation": citation["relation"]}``);
    legal bases (căn cứ, thực hiện, hướng dẫn) go to ``isBasedOn``, the rest to ``citation``.
    ``url``: the plan page's absolute (or root-relative) URL.
    """
    based: list[dict[str, Any]] = []
    cites: list[dict[str, Any]] = []
    for d in directives_cited:
        ref = _directive_ref(d, base_url, model)
        (based if d.get("relation") in BASIS else cites).append(ref)
    place = plan.get("place")
    return _drop_empty(
        {
            "@context": SCHEMA_ORG,
            "@type": "Legislation",
            "@id": url,
            "url": url,
            "name": plan.get("title"),
            "alternateName": " ".join(
                x for x in (_label(model, "doc_type", plan.get("doc_type")), plan.get("number_symbol")) if x
            ),
            "legislationIdentifier": plan.get("number_symbol"),
            "legislationDate": plan.get("issue_date"),
            "legislationType": _label(model, "doc_type", plan.get("doc_type")),
            "legislationLegalForce": LEGAL_FORCE.get(str(plan.get("status"))),
            "legislationPassedBy": [_org(n) for n in _names(issuers)],
            "legislationJurisdiction": {"@type": "AdministrativeArea", "name": place} if place else None,
            "inLanguage": "vi",
            "keywords": [_label(model, "topic", t) for t in plan.get("topics") or []],
            "isBasedOn": based,
            "citation": cites,
        }
    )


def directive_jsonld(directive: Mapping[str, Any], url: str, *, model: Model) -> dict[str, Any]:
    """schema.org ``Legislation`` for a cited document's page; ``sameAs`` its official text if known."""
    date = directive.get("issue_date") or (str(directive["year"]) if directive.get("year") else None)
    issuer = directive.get("issuer")
    return _drop_empty(
        {
            "@context": SCHEMA_ORG,
            "@type": "Legislation",
            "@id": url,
            "url": url,
            "name": directive.get("title") or directive.get("name") or directive.get("number_symbol"),
            "alternateName": directive.get("name") if directive.get("title") else None,
            "legislationIdentifier": directive.get("number_symbol"),
            "legislationDate": date,
            "legislationType": _label(model, "doc_type", directive.get("doc_type")),
            "legislationPassedBy": [_org(str(issuer))] if issuer else [],
            "inLanguage": "vi",
            "sameAs": safe_url(directive.get("url")),
        }
    )


# --- datasets ----------------------------------------------------------------------------------


def _downloads(descriptor: Mapping[str, Any], files: Files | None) -> list[dict[str, Any]]:
    """Each downloadable file: the package's resources, then ``files`` (extra formats) by name."""
    out = []
    for r in descriptor["resources"]:
        ext = str(r.get("format") or "csv").lower()
        out.append(
            {
                "name": r["name"],
                "path": r["path"],
                "title": r.get("title") or r["name"],
                "title_en": r.get("x-title-en"),
                "mediatype": r.get("mediatype") or MEDIA_TYPES["csv"][0],
                "format": str(r.get("format") or "csv").upper(),
                "filetype": MEDIA_TYPES.get(ext, MEDIA_TYPES["csv"])[2],
                "bytes": r.get("bytes"),
                "sha256": r["hash"].removeprefix("sha256:") if str(r.get("hash", "")).startswith("sha256:") else None,
            }
        )
    known = {r["path"] for r in descriptor["resources"]}
    for name in sorted(files or {}):
        if name in known:
            continue
        ext = name.rsplit(".", 1)[-1].lower()
        mediatype, fmt, filetype = MEDIA_TYPES.get(ext, ("application/octet-stream", ext.upper(), "BIN"))
        out.append(
            {
                "name": name,
                "path": name,
                "title": name,
                "title_en": None,
                "mediatype": mediatype,
                "format": fmt,
                "filetype": filetype,
                "bytes": size_of(files[name]) if files else None,
                "sha256": sha256_of(files[name]) if files else None,
            }
        )
    return out


def _license(descriptor: Mapping[str, Any], base_url: str) -> tuple[str, str, str]:
    """The licence's address, its title and its id in CKAN's licence register (``name``)."""
    lic = (descriptor.get("licenses") or [{}])[0]
    path = str(lic.get("path") or "/data/#dieu-khoan-su-dung")
    if "://" in path:
        url = path
    elif path.startswith("/"):
        url = _root(base_url) + path
    else:  # relative to datapackage.json, which lives in data/ (a preview's licence path)
        url = _root(base_url) + "/data/" + path
    ckan = str(lic.get("name") or (descriptor.get("x-terms-of-use") or {}).get("ckan") or "")
    return url, str(lic.get("title") or lic.get("name") or ""), ckan


def _schema_publisher(publisher: Publisher, root: str) -> dict[str, Any]:
    return _drop_empty(
        {
            "@type": "GovernmentOrganization",
            "name": publisher.name,
            "url": publisher.homepage or f"{root}/",
            "email": publisher.email,
        }
    )


def dataset_jsonld(
    package_descriptor: Mapping[str, Any],
    *,
    base_url: str = "",
    files: Files | None = None,
    publisher: Publisher = PLACEHOLDER_PUBLISHER,
    temporal: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """schema.org ``Dataset`` for the open-data page, as Google Dataset Search reads it: one
    ``DataDownload`` per file (``encodingFormat``, ``contentUrl``), the catalogue it belongs to,
    the period (``temporalCoverage``, ISO 8601 interval) and place it covers, its version (the
    date the data last changed)."""
    d = package_descriptor
    root = _root(base_url)
    lic_url, lic_title, _ = _license(d, base_url)
    terms = d.get("x-terms-of-use") or {}
    org = _schema_publisher(publisher, root)
    modified = d.get("modified")
    return _drop_empty(
        {
            "@context": SCHEMA_ORG,
            "@type": "Dataset",
            "@id": f"{root}/data/",
            "url": f"{root}/data/",
            "identifier": d.get("name"),
            "name": d.get("title"),
            "alternateName": d.get("x-title-en"),
            "description": d.get("description"),
            "inLanguage": "vi",
            "keywords": list(d.get("keywords") or []),
            "isAccessibleForFree": True,
            "license": _drop_empty(
                {"@type": "CreativeWork", "url": lic_url, "name": lic_title, "text": terms.get("vi")}
            ),
            "usageInfo": lic_url,
            "creditText": terms.get("source"),
            "publisher": org,
            "creator": org,
            "includedInDataCatalog": {
                "@type": "DataCatalog",
                "@id": f"{root}/data/catalog.jsonld",
                "url": f"{root}/data/catalog.jsonld",
                "name": f"{publisher.name} — danh mục dữ liệu mở",
            },
            "temporalCoverage": f"{temporal[0]}/{temporal[1]}" if temporal else None,
            "spatialCoverage": {"@type": "Country", "name": "Việt Nam", "sameAs": COUNTRY_VN},
            "version": str(modified)[:10] if modified else None,
            "dateModified": modified,
            "distribution": [
                _drop_empty(
                    {
                        "@type": "DataDownload",
                        "name": f["title"],
                        "contentUrl": f"{root}/data/{f['path']}",
                        "encodingFormat": f["mediatype"],
                        "contentSize": f"{f['bytes']} B" if f["bytes"] is not None else None,
                        "sha256": f["sha256"],
                        "inLanguage": "vi",
                    }
                )
                for f in _downloads(d, files)
            ],
        }
    )


def dublin_core(plan: Mapping[str, Any], issuers: Iterable[str | Mapping[str, Any]], *, model: Model) -> dict[str, str]:
    """Dublin Core ``<meta name="DC.x">`` values for a plan page, after Circular 24/2011/TT-BTTTT
    (mandatory there: title, creator, date, description, publisher, identifier; recommended:
    language, source, subject; optional: coverage, type, format). Empty elements are left out."""
    names = _names(issuers)
    kind = _label(model, "doc_type", plan.get("doc_type")) or "Văn bản"
    number = plan.get("number_symbol")
    what = f"{kind} số {number}" if number else kind
    when = date_vi(plan.get("issue_date"), "", sentence=True)
    description = " ".join(x for x in (what, when, f"của {', '.join(names)}" if names else "") if x)
    dc = {
        "DC.title": str(plan.get("title") or ""),
        "DC.creator": "; ".join(names),
        "DC.publisher": "; ".join(names),
        "DC.date": str(plan.get("issue_date") or ""),
        "DC.description": f"{description}: {plan.get('title')}" if plan.get("title") else description,
        "DC.identifier": str(number or plan.get("id") or ""),
        "DC.type": kind,
        "DC.format": "text/html",
        "DC.language": "vi",
        "DC.subject": "; ".join(_label(model, "topic", t) or "" for t in plan.get("topics") or []),
        "DC.coverage": str(plan.get("place") or ""),
        "DC.source": safe_url(plan.get("source_url")) or "",
    }
    return {k: " ".join(v.split()) for k, v in dc.items() if v and v.strip()}


# --- Atom --------------------------------------------------------------------------------------


# --- page descriptions (<meta name="description">) ---------------------------------------------
#: Pages whose description says what the page is for; every other page's is derived from its data.
FIXED_DESCRIPTIONS = {
    sitemap.PLANS: "Danh sách mọi kế hoạch đã công khai, lọc theo loại văn bản, năm, cơ quan, cấp, tỉnh và tình trạng.",
    sitemap.PLANS_BY_YEAR: "Các kế hoạch đã công khai, xếp theo năm ban hành.",
    sitemap.PLANS_BY_PROVINCE: "Các kế hoạch đã công khai, xếp theo tỉnh, thành phố và cấp ban hành.",
    sitemap.TASKS: "Mọi nhiệm vụ của các kế hoạch: ai chủ trì, ai phối hợp, việc gì, thời hạn nào, tình trạng thực hiện.",
    sitemap.DIRECTIVES: "Các văn bản (luật, nghị quyết, chỉ thị, kế hoạch…) được các kế hoạch trích dẫn, và kế hoạch nào trích dẫn.",
    sitemap.UNITS: "Các cơ quan, đơn vị ban hành kế hoạch, chủ trì hoặc phối hợp thực hiện nhiệm vụ.",
    sitemap.STATS: "Thống kê kế hoạch theo năm, cấp ban hành, văn bản được trích dẫn, đơn vị chủ trì và thời hạn nhiệm vụ.",
    sitemap.DIRECTORY: "Danh mục thông tin phải công khai theo Nghị định 13/2018/NĐ-CP: tên, số, ngày, hình thức và thời hạn công khai.",
    sitemap.COMPLIANCE: "Kế hoạch có được công khai đúng thời hạn luật định hay không, tính theo ngày làm việc.",
    sitemap.DATA: "Tải toàn bộ dữ liệu kế hoạch, nhiệm vụ, cơ quan, văn bản trích dẫn dạng CSV, JSON, SQLite, tự do sử dụng.",
    sitemap.DICTIONARY: "Mô tả từng bảng, từng cột của dữ liệu mở: tên, kiểu, ý nghĩa và các giá trị được phép.",
}
#: Longest description written: search engines show about this much.
DESCRIPTION_CHARS = 300


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= DESCRIPTION_CHARS else text[: DESCRIPTION_CHARS - 1].rsplit(" ", 1)[0] + "…"


def page_descriptions(rows: Mapping[str, list[Any]], model: Model) -> dict[str, str]:
    """A description per generated page, from what the page shows (plain text, not escaped: the
    front-matter writer escapes it for the theme). Before this, 176 of 177 pages shared the site's
    one description, so a search result could not tell a reader which plan or body it was."""
    units = {u["id"]: u for u in rows.get("units", [])}
    provinces = {p["id"]: p for p in rows.get("provinces", [])}
    issuers: dict[str, list[str]] = {}
    for i in rows.get("issuers", []):
        issuers.setdefault(i["plan_id"], []).append(str(units.get(i["unit"], {}).get("name") or i["unit"]))
    out = dict(FIXED_DESCRIPTIONS)
    for plan in rows.get("plans", []):
        kind = _label(model, "doc_type", plan.get("doc_type")) or "Văn bản"
        head = f"{kind} {plan['number_symbol']}" if plan.get("number_symbol") else kind
        by = ", ".join(issuers.get(plan["id"], []))
        when = f" ngày {date_vi(plan['issue_date'])}" if plan.get("issue_date") else ""
        out[sitemap.plan_md(plan)] = _clip(f"{head}{' của ' + by if by else ''}{when}: {plan['title']}")
    for d in rows.get("directives", []):
        kind = _label(model, "doc_type", d.get("doc_type")) or "Văn bản"
        head = " ".join(x for x in (kind, d.get("number_symbol") or "") if x)
        when = d.get("issue_date") or d.get("year")
        bits = [x for x in (d.get("issuer"), date_vi(when) if when else "") if x]
        what = d.get("title") or d.get("name") or ""
        out[sitemap.directive_md(d["id"])] = _clip(
            f"{head}{' — ' + ', '.join(str(b) for b in bits) if bits else ''}{': ' + str(what) if what else ''}. "
            "Các kế hoạch trích dẫn văn bản này."
        )
    for u in rows.get("units", []):
        where = provinces.get(u.get("province") or "", {}).get("name")
        level = _label(model, "unit_level", u.get("level"))
        ctx = ", ".join(str(x) for x in (level, where) if x)
        out[sitemap.unit_md(u["id"])] = _clip(
            f"{u['name']}{' (' + ctx + ')' if ctx else ''}: kế hoạch ban hành, nhiệm vụ chủ trì và phối hợp thực hiện."
        )
    return out


def with_description(page: str, description: str) -> str:
    """``page`` with ``description`` in its front matter, unless it has one already.

    Written with the one front-matter writer (escaped for the theme, which prints it unescaped);
    only the new key is added, the rest of the page is left byte for byte as it was.
    """
    head = page[4 : page.find("\n---\n") + 1] if page.startswith("---\n") else ""
    if any(line.startswith("description:") for line in head.splitlines()):
        return page
    line = front_matter({"description": description})[4:-4]  # "description: …\n"
    return "---\n" + line + page[4:] if page.startswith("---\n") else "---\n" + line + "---\n\n" + page


_TITLE = re.compile(r"^title: (.+)$", re.M)


def title_description(page: str) -> str | None:
    """For a generated page with a title but no description of its own (a list's later pages, the
    plans of one year or province, a unit's full list): a description from its title, so no two
    pages share one. ``None`` when the page has a description already or no title."""
    if not page.startswith("---\n"):
        return None
    head = page[4 : page.find("\n---\n") + 1]
    if any(line.startswith("description:") for line in head.splitlines()):
        return None
    found = _TITLE.search(head)
    if found is None:
        return None
    # the writer escaped the title for the theme; unescape it so the description is escaped once
    title = html.unescape(str(yaml.safe_load(found.group(0)).get("title") or ""))
    return _clip(f"{title} — trang công khai kế hoạch dân vận chính quyền và dân chủ ở cơ sở.") if title else None
