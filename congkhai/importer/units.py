"""The bodies a draft names (issuers, task leads and partners), matched to ``data/units.csv`` or
proposed as new rows, so that the clerk never writes a row of that file by hand.

A name is matched with accents and case folded and the usual abbreviations spelled out (UBND,
HĐND, MTTQ, BCĐ, TP…), scoped to the plan's place: the commune's bodies first, then the
district's, then the province's (the ids of :mod:`congkhai.vietnamese.planid`'s place are the
prefixes of the units' ids). A name that matches nothing becomes a complete proposed row — id by
the units' pattern (place + short name), kind, level, province, parent — that ``import`` appends
to ``data/units.csv`` in the same change and lists for the reviewer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from congkhai.vietnamese.planid import place_parts
from congkhai.vietnamese.text import fold, slug

_EXPAND = {
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "ubmttq": "uy ban mat tran to quoc",
    "mttq": "mat tran to quoc",
    "bcd": "ban chi dao",
    "bch": "ban chi huy",
    "tp": "thanh pho",
    "tx": "thi xa",
    "tt": "thi tran",
    "ub": "uy ban",
    "dtn": "doan thanh nien",
    "cb": "can bo",
}
_CANON = (  # spellings of one body
    ("uy ban mat tran to quoc viet nam", "mat tran to quoc"),
    ("uy ban mat tran to quoc", "mat tran to quoc"),
    ("mat tran to quoc viet nam", "mat tran to quoc"),
)
_SHORT = (  # the short names unit ids use
    ("mat tran to quoc", "mttq"),
    ("uy ban nhan dan", "ubnd"),
    ("hoi dong nhan dan", "hdnd"),
    ("ban chi dao", "bcd"),
)
_LEVEL_WORDS = ("thi tran", "thi xa", "thanh pho", "tinh", "huyen", "quan", "xa", "phuong")
_LEVEL_OF = {
    "xa": "commune",
    "phuong": "commune",
    "thi tran": "commune",
    "huyen": "district",
    "quan": "district",
    "thi xa": "district",
    "thanh pho": "district",
    "tinh": "province",
}
# the first words of a body's name: where a list of bodies may be split
_HEADS = (
    "ubnd",
    "hdnd",
    "uy ban",
    "hoi dong",
    "mttq",
    "ubmttq",
    "mat tran",
    "phong",
    "ban",
    "bcd",
    "hoi",
    "doan",
    "cong an",
    "cong doan",
    "dang",
    "chi bo",
    "van phong",
    "cac",
    "so",
    "truong",
    "tram",
    "trung tam",
    "co quan",
    "dai",
    "quan su",
    "thanh tra",
    "huyen uy",
    "thanh uy",
    "tinh uy",
    "hop tac xa",
    "cong chuc",
    "khoi",
    "to",
    "thon",
    "cap uy",
    "chi cuc",
    "van hoa",  # a commune's civil servants by office: Văn hóa - Xã hội, Tư pháp - Hộ tịch…
    "tu phap",
    "dia chinh",
    "tai chinh",
)
_PARTY = re.compile(
    r"^(?:dang|chi bo|huyen uy|thanh uy|tinh uy|quan uy|khoi dan van)|ban (?:dan van|tuyen giao|to chuc|chap hanh)|uy ban kiem tra|\b(?:dang|huyen|thanh|tinh) uy\b"
)
_MASS = re.compile(r"mat tran to quoc|doan thanh nien|\bhoi (?!dong)|cong doan|cuu chien binh|phu nu|nong dan")
_MAX_NAME = 120


def norm(name: str) -> str:
    """A body's name compared: folded, abbreviations spelled out, one spelling per body."""
    words = re.sub(r"[^\w]+", " ", fold(name)).split()
    text = " " + " ".join(_EXPAND.get(w, w) for w in words) + " "
    for long, short in _CANON:
        text = text.replace(f" {long} ", f" {short} ")
    return text.strip()


def _strip_levels(n: str) -> str:
    """A normalised name without a trailing level word ("phong noi vu huyen" → "phong noi vu")."""
    for w in _LEVEL_WORDS:
        if n.endswith(" " + w):
            return n[: -len(w) - 1]
    return n


@dataclass
class Scope:
    """Where a plan was issued: its place ids, from the commune up, and its places' names."""

    province: str | None
    prefixes: list[tuple[str, str]]  # (level, id prefix), the plan's own place first
    names: list[str] = field(default_factory=list)  # folded place names to drop from a name
    commune_name: str | None = None  # as printed ("Hợp Thành")
    province_name: str | None = None


def province_of_district(district: str | None, units: list[dict[str, str]]) -> str | None:
    """The province whose bodies already include this district's ("cao-loc" → "lang-son"), when
    the text names the district but not its province; None unless exactly one fits."""
    if not district:
        return None
    found = {
        u.get("province")
        for u in units
        if u.get("province") and u.get("id", "").startswith(f"{u.get('province')}-{district}-")
    }
    return found.pop() if len(found) == 1 else None


def scope_of(extraction: Any) -> Scope:
    """The scope of an :class:`~congkhai.importer.Extraction` (duck-typed: place, level, header)."""
    p, level = extraction.place, extraction.level
    prefixes: list[tuple[str, str]] = []
    if p.province:
        if level == "commune" and p.commune:
            prefixes.append(("commune", "-".join(place_parts(p.province, p.district, p.commune, "commune"))))
        if level in ("district", "commune") and p.district:
            prefixes.append(("district", "-".join(place_parts(p.province, p.district, None, "district"))))
        prefixes.append(("province", "-".join(place_parts(p.province, None, None, "province"))))
    names = [fold(x) for x in (extraction.header.place, extraction.province_name) if x]
    for s in (p.district, p.commune):
        if s:
            names.append(re.sub(r"^(?:tp|tx)-", "", s).replace("-", " "))
    commune = extraction.header.place if level == "commune" else None
    return Scope(p.province, prefixes, sorted(set(names), key=len, reverse=True), commune, extraction.province_name)


def _core(name: str, scope: Scope) -> str:
    n = " " + norm(name) + " "
    for place in scope.names:
        n = n.replace(f" {place} ", " ")
    return " ".join(n.split())


def match(name: str, units: list[dict[str, str]], scope: Scope) -> str | None:
    """The id of the unit ``name`` names in ``scope``, or None."""
    core = _core(name, scope)
    if not core:
        return None
    said = _level(name, None, city=False)  # "UBND xã" is a commune's, never the district's
    for strip in (False, True):
        want = _strip_levels(core) if strip else core
        for level, prefix in scope.prefixes:
            if said != "other" and said != level:
                continue
            inner = [q for _, q in scope.prefixes if q != prefix and q.startswith(prefix + "-")]
            for u in units:
                uid = u.get("id", "")
                if not uid.startswith(prefix + "-") or any(uid.startswith(q + "-") for q in inner):
                    continue  # not this place's own body (a commune's body is not the district's)
                for key in ("name", "short_name"):
                    got = _core(u.get(key) or "", scope)
                    if got and (_strip_levels(got) if strip else got) == want:
                        return uid
    full = norm(name)
    for u in units:
        if said not in ("other", u.get("level")):
            continue
        if (scope.province is None or u.get("province") == scope.province) and full in (
            norm(u.get("name") or ""),
            norm(u.get("short_name") or ""),
        ):
            return u["id"]
    return None


_GENERIC = set(
    [
        "so",
        "ban",
        "nganh",
        "phong",
        "doan",
        "the",
        "hoi",
        "don",
        "vi",
        "dia",
        "phuong",
        "co",
        "quan",
        "lien",
        "cac",
        "to",
        "chuc",
        "thanh",
        "pho",
        "huyen",
        "tinh",
        "xa",
        "thi",
        "tran",
    ]
)
_VERB = re.compile(r"\s+(?:có|để|thực hiện|tổ chức|kiện toàn|triển khai|xây dựng|chỉ đạo|theo dõi|báo cáo)\b.*$")
_SUBORDINATE = {"so", "phong", "ban", "van", "trung", "chi", "cong", "dang"}
_SUPERIOR = ("uy ban nhan dan ", "ubnd ", "huyen uy ", "tinh uy ", "thanh uy ", "dang uy ", "dang bo ")


def _own_body(name: str) -> str:
    """A header's two lines as one ("UBND TỈNH LẠNG SƠN SỞ NỘI VỤ"): the body below its superior."""
    words = name.split()
    if not name.isupper() or not fold(name).startswith(_SUPERIOR):
        return name
    for i in range(3, len(words)):
        if fold(words[i]) in _SUBORDINATE and i + 1 < len(words):
            return " ".join(words[i:])
    return name


def _is_body(piece: str) -> bool:
    """Does ``piece`` begin like a body's name ("Phòng …", "UBND …", "Cấp ủy, …")?"""
    words = " ".join(re.sub(r"[^\w]+", " ", fold(piece)).split())
    return any(f == h or f.startswith(h + " ") for f in (words, norm(piece)) for h in _HEADS)


def split_names(text: str | None) -> list[str]:
    """The bodies of a list as printed ("UBND xã, Công an xã và Đoàn Thanh niên"); a piece that
    does not begin like a body's name, or only repeats kinds of bodies ("ban, ngành"), stays
    with the one before ("Các sở, ban, ngành liên quan")."""
    if not text:
        return []
    seps = re.findall(r"\s*[;,]\s*|\s+và\s+|\s+-\s+", text)
    pieces = [p.strip(" .:-–") for p in re.split(r"\s*[;,]\s*|\s+và\s+|\s+-\s+", text)]
    out: list[str] = []
    for i, piece in enumerate(pieces):
        if not piece:
            continue
        generic = set(fold(piece).split()) <= _GENERIC
        if out and (generic or not piece[:1].isupper() or not _is_body(piece)):
            out[-1] = out[-1] + (seps[i - 1] if i - 1 < len(seps) else ", ") + piece
        else:
            out.append(piece)
    return [_own_body(_VERB.sub("", x)).strip(" ,") for x in out if x]


def _level(name: str, default: str | None, city: bool = True) -> str:
    """The level a name says ("UBND xã" → commune), else ``default``; without ``city``, "thành
    phố" says nothing (a central city's bodies are the province's, a provincial city's the district's)."""
    f = (" " + norm(name) + " ").replace(" xa hoi ", " ").replace(" hop tac xa ", " ")
    if not city:
        f = f.replace(" thanh pho ", " ")
    found = [(f.rfind(f" {w} "), lvl) for w, lvl in _LEVEL_OF.items() if f" {w} " in f]
    if found:
        return max(found)[1]
    return default or "other"


def _kind(name: str) -> str:
    f = norm(name)
    if fold(name).startswith("cac ") or f.startswith("cac ") or "," in name:
        return "collective"  # "Các sở, ban, ngành", "Cấp ủy, chính quyền": a group of bodies
    if _PARTY.search(f):
        return "party"
    if _MASS.search(f):
        return "mass_org"
    return "state"


def _id_part(name: str, scope: Scope) -> str:
    n = " " + _strip_levels(_core(name, scope)) + " "
    for long, short in _SHORT:
        n = n.replace(f" {long} ", f" {short} ")
    words = slug(n).split("-")
    out: list[str] = []
    for w in words:
        if len("-".join([*out, w])) > 50:
            break
        out.append(w)
    return "-".join(out)


def _display(name: str, scope: Scope, level: str) -> str:
    """The name for the units table: sentence case when printed in capitals, and the commune's
    or the province's name after a bare level word ("Công an xã" → "Công an xã Hợp Thành")."""
    text = " ".join(name.split())
    if text.isupper():
        text = text.lower()
        text = text[:1].upper() + text[1:]
        for proper in (scope.commune_name, scope.province_name):
            if proper:
                text = re.sub(re.escape(proper.lower()), proper, text)
    place = {"commune": scope.commune_name, "province": scope.province_name}.get(level)
    if place and fold(place) not in fold(text) and re.search(r"(?i)(?:xã|phường|thị trấn|tỉnh)$", text):
        text = f"{text} {place}"
    return text


def propose(
    names: list[str], units: list[dict[str, str]], scope: Scope, default_level: str | None
) -> tuple[dict[str, str], list[dict[str, str]]]:
    """Each name → its unit id (matched or proposed), and the proposed rows (new ids only)."""
    ids: dict[str, str] = {}
    proposed: list[dict[str, str]] = []
    known = {u.get("id", "") for u in units}
    for name in names:
        if name in ids:
            continue
        printed, name = name, _own_body(name)
        got = match(name, units + proposed, scope)
        if got:
            ids[printed] = got
            continue
        if not scope.prefixes or len(name) > _MAX_NAME or not _id_part(name, scope) or not _is_body(name):
            continue  # not a body's name (a task's words taken for its lead): left for the clerk
        level = _level(name, default_level)
        prefix = next((p for lvl, p in scope.prefixes if lvl == level), None)
        if prefix is None:
            continue  # the place of that level is not known (a commune's body, no commune): for the clerk
        base = f"{prefix}-{_id_part(name, scope)}"[:120].strip("-")
        uid, n = base, 1
        while uid in known:
            n += 1
            uid = f"{base}-{n}"
        known.add(uid)
        kind = _kind(name)
        core = _core(name, scope)
        parent = ""
        if kind == "state" and not core.startswith("uy ban nhan dan"):
            parent = f"{prefix}-ubnd"
        elif kind == "party" and not re.match(r"(?:dang|huyen|thanh|tinh|quan) uy$|dang uy", core):
            parent = next(
                (f"{prefix}-{x}" for x in ("dang-uy", "huyen-uy", "thanh-uy", "tinh-uy") if f"{prefix}-{x}" in known),
                "",
            )
        elif kind == "mass_org" and "mat tran to quoc" not in core:
            parent = next((f"{prefix}-{x}" for x in ("mttq", "ubmttq") if f"{prefix}-{x}" in known), "")
        if parent not in known:
            parent = ""
        row = {
            "id": uid,
            "name": _display(name, scope, level),
            "short_name": " ".join(name.split()),
            "kind": kind,
            "level": level,
            "province": scope.province or "",
            "parent": parent,
        }
        proposed.append(row)
        ids[printed] = uid
    return ids, proposed
