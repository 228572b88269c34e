"""Body against front matter: what the text cites must be listed, and what is listed must be cited.

The same pass counts each listed document's mentions, which the citations dataset publishes.
"""

from __future__ import annotations

from collections import Counter

from ..model.findings import Finding
from ..read.frontmatter import Source
from ..vietnamese.citations import find_citations
from ..vietnamese.directives import Catalogue
from ..vietnamese.text import nfc, slug


def _declare_hint(target: str | None) -> dict[str, str]:
    """What to add to citations: the catalogue id when the document is in data/directives.csv."""
    if target is None:
        return {
            "declare_hint_vi": "Văn bản chưa có trong data/directives.csv: thêm một dòng cho nó (mã theo quy tắc), "
            "rồi thêm vào citations một mục '- directive: <mã đó>' với relation và sections.",
            "declare_hint_en": "The document is not in data/directives.csv: add a row for it (id by the rule), then "
            "add a '- directive: <that id>' item to citations with relation and sections.",
        }
    return {
        "declare_hint_vi": f"Thêm vào citations một mục: '- directive: {target}', với relation (ví dụ can_cu, "
        "thuc_hien, dan_chieu) và sections (nơi nhắc đến, ví dụ [preamble] hay [II.1]).",
        "declare_hint_en": f"Add an item to citations: '- directive: {target}', with relation (e.g. can_cu, "
        "thuc_hien, dan_chieu) and sections (where it is mentioned, e.g. [preamble] or [II.1]).",
    }


def check_body(src: Source, catalogue: Catalogue) -> tuple[list[Finding], Counter[str]]:
    """Findings for one plan and the number of mentions of each catalogue id in title and body."""
    data = src.data or {}
    raw = data.get("citations")
    items: list[object] = raw if isinstance(raw, list) else []
    listed = [c for c in items if isinstance(c, dict) and isinstance(c.get("directive"), str)]
    listed_ids = {c["directive"] for c in listed}
    mentions: Counter[str] = Counter()
    out: list[Finding] = []
    title: str = data["title"] if isinstance(data.get("title"), str) else ""
    own = slug(data["number_symbol"]) if isinstance(data.get("number_symbol"), str) else None
    body: str = src.body
    for text, first_line, path in ((title, None, ("title",)), (body, src.body_line, None)):
        text = nfc(text)
        for cit in find_citations(text):
            if cit.number_symbol is None and cit.name is None:
                continue
            if own and cit.number_symbol and slug(cit.number_symbol) == own:
                continue  # the document naming itself
            target = catalogue.resolve(cit.number_symbol, cit.year, cit.name, listed_ids)
            if target is not None and target in listed_ids:
                mentions[target] += 1
                continue
            label = cit.number_symbol or cit.name or cit.raw
            params = {"value": label, **_declare_hint(target)}
            if first_line is None:
                out.append(src.finding(path or (), "cited-not-declared", **params))
            else:
                line = first_line + text.count("\n", 0, cit.start)
                col = cit.start - (text.rfind("\n", 0, cit.start) + 1) + 1
                out.append(Finding(src.path, line, col, "body", "cited-not-declared", params))
    # Documents cited only by name ("các chương trình mục tiêu quốc gia") escape the parser's
    # patterns; a folded search for the catalogue name still counts them.
    haystack = f"-{slug(title)}-{slug(src.body)}-"
    printed = {c["directive"]: c.get("as_printed") for c in listed if isinstance(c.get("as_printed"), str)}
    for directive_id in listed_ids:
        if mentions[directive_id] == 0:
            names = catalogue.names(directive_id)
            if directive_id in printed:
                names.append(slug(str(printed[directive_id])))
            for name in filter(None, names):
                mentions[directive_id] += haystack.count(f"-{name}-")
    for i, c in enumerate(items):
        if isinstance(c, dict) and c in listed and mentions[c["directive"]] == 0:
            out.append(src.finding(("citations", i, "directive"), "declared-not-cited", value=c["directive"]))
    return out, mentions
