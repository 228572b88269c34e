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
            if first_line is None:
                out.append(src.finding(path or (), "cited-not-declared", value=label))
            else:
                line = first_line + text.count("\n", 0, cit.start)
                col = cit.start - (text.rfind("\n", 0, cit.start) + 1) + 1
                out.append(Finding(src.path, line, col, "body", "cited-not-declared", {"value": label}))
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
