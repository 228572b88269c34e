"""Site search in Vietnamese: what each page gives the search index (``publish/searchindex.py``).

The index is the site's own (:mod:`.searchindex`: written here, read in the browser by a small
module that answers the Pagefind calls the search pages make); it replaced Pagefind, whose process
needed 3.6 GB at 2,000 plans and whose metadata listed every page (BENCHMARKS.md, "Issue 14:
search index"). What a page contributes is unchanged from the Pagefind days and is written the
same way: a copy of each built page marked with Pagefind's attributes (``data-pagefind-body``,
``-weight``, ``-ignore``; :func:`prepare_html`), which :func:`.searchindex.page_record` reads as
Pagefind did (and which ``devtools/bench.py`` still gives to Pagefind to compare). The published
HTML is left as MkDocs wrote it. Words are folded as Pagefind folded them for Vietnamese: tone
marks and other diacritics ignored ("dan van kheo" finds "Dân vận khéo", "hoa"/"hoà" find "hòa"),
``đ`` kept. Three gaps are closed at index time:

* **đ/d**: the index treats ``đ`` as a letter of its own (as Pagefind did), so "dang uy" would never find "Đảng ủy".
  Every word of a page that contains ``đ``/``Đ`` is added once more, with ``đ``→``d`` and its tone
  marks kept ("Đảng" → "dảng"), in an element that is indexed but never displayed. A reader who
  types "dang" now meets the page through that form; one who types "đảng" still meets it through
  the original word, and does *not* meet pages that only say "dạng": the query keeps its ``đ``
  (see :func:`fold_query`), so typing ``đ`` stays as precise as it was.
* **document numbers**: words are split at ``-`` and ``/`` ("72-KHPH/KDV-UBND"), so the number alone
  would match every page that happens to contain "72", "KHPH", "KDV" and "UBND" somewhere. Each
  number-and-symbol in a page is also indexed joined and folded ("72khphkdvubnd",
  "302020ndcp"), and the query turns a number typed in any spelling into the same joined token,
  so a number finds exactly the pages that print or cite it. A partial number ("33/CT") is a
  prefix of the joined token and still matches.

* **syllable pairs**: a Vietnamese word is mostly two syllables written apart, and a query
  word may match as a prefix ("hoa" also matches "hoạch", "hoàn"), so "hoa giai" alone
  ranks any page with "kế hoạch … giai đoạn" first. The folded pair of every two adjacent
  syllables is indexed ("hoagiai", "danguy") and the query sends pairs instead of the syllables
  (:func:`fold_query`), so several syllables must appear side by side; the browser falls back to
  the words alone when that finds nothing. Each token is indexed once per page and grouped by how
  often the text says it, in elements of increasing ``data-pagefind-weight``: ranking keeps the
  frequency, and a token is one posting per page (at 10k plans, with Pagefind, "dan van kheo"
  fetched 2.4 MB of index as syllables, 0.45 MB as pairs — BENCHMARKS.md).

Old versions of plans (``data/ke-hoach/<id>/phien-ban/`` and their pages
``plans/<province>/<id>/phien-ban/``) and the lists of everything are not
indexed: a query leads to the current plan, which links its versions.

Ranking: the page title (``h1``) and the page's own number (the "Số, ký hiệu" row of a plan's
metadata table) carry a higher ``data-pagefind-weight`` than the text, and the index's page-length
penalty is low (:data:`.searchindex.B`: plans are long, unit pages short), so a plan whose title or
number matches comes before plans that only mention the words.

The search UI (``docs/tim-kiem.md``, ``docs/javascripts/search.js``) applies the same query
folding in the browser; :func:`fold_query` is its reference, and the tests hold both to the same
examples.
"""

from __future__ import annotations

import dataclasses
import functools
import html
import itertools
import os
import re
import shutil
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..load.corpus import Corpus
from ..model import sitemap
from ..parallel import streaming
from ..render.home import current_province
from ..timing import stage
from ..vietnamese.text import fold, nfc
from .pagecache import PageCache
from .searchindex import (
    BATCH,
    Page,
    Record,
    display_path,
    kept_display,
    page_order,
    page_record,
    write_display,
    write_index,
)

__all__ = [
    "KINDS",
    "PLACE_FILTER",
    "PageHint",
    "SearchIndexError",
    "fold_query",
    "index_site",
    "number_token",
    "page_hints",
    "prepare_html",
    "search_tokens",
]

#: Files that are not indexed (relative to the site root): the not-found page, and the pages the
#: site map leaves out of search (:data:`congkhai.model.sitemap.UNSEARCHED`, which says why).
EXCLUDED = frozenset({sitemap.NOT_FOUND, *(sitemap.html_file(page) for page in sitemap.UNSEARCHED)})
EXCLUDED_FOLDERS = sitemap.UNSEARCHED_FOLDERS
#: The end marker the renderer writes (``render/markdown.py SEARCH_END``), as found in built HTML.
_SEARCH_END = re.compile(r'<div class="ck-search-end"[^>]*>\s*</div>')
BUNDLE = sitemap.SEARCH_INDEX
TITLE_WEIGHT = "10"
NUMBER_WEIGHT = "10"
#: weight of a hidden token by how many times the text says it: (weight, at least this many)
FREQUENCY_WEIGHTS = (("3", 5), ("2", 2), ("1", 1))

# A number-and-symbol: runs of letters/digits joined by "/" or "-", at least one "/", at least one
# letter and one digit ("72-KHPH/KDV-UBND", "33/CT-TTg", "30/2020/NĐ-CP", "/KH-UBND" has no digit
# and is not a number a reader would type). Dates ("26/11/2021") have no letter and are skipped.
_NUMBER = re.compile(r"(?<![\w/-])/?\w+(?:[/-]\w+)+(?![\w/-])")
_WORD = re.compile(r"\w+")
_TAG = re.compile(r"<[^>]*>")
_ARTICLE = re.compile(r'<article class="md-content__inner[^"]*"', re.IGNORECASE)
_H1 = re.compile(r"<h1(?=[\s>])", re.IGNORECASE)
_OWN_NUMBER = re.compile(r"(<td>\s*Số, ký hiệu\s*</td>\s*<td)(>)", re.IGNORECASE)
_ARTICLE_END = re.compile(r"</article>", re.IGNORECASE)
_H1_TEXT = re.compile(r"<h1[^>]*>(.*?)</h1>", re.IGNORECASE | re.DOTALL)
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL)
_CELL_END = re.compile(r"</t[dh]>", re.IGNORECASE)
_RUN = re.compile(r"[^\w\s]+")
_QUERY_TOKEN = re.compile(r"/?\w+(?:[/-]\w+)*")
#: The first table of a plan page: its metadata panel (number, issuer, province, topics…). Indexed
#: after the sentinel, not in place, so that excerpts come from the plan's text, not from the panel.
_REPEATS = re.compile(r'(<(?:div|details|nav) class="ck-(?:breadcrumb|summary|print-head|toc)")')
_META_TABLE = re.compile(r"<table>(?:(?!</table>).)*?<td>\s*Số, ký hiệu\s*</td>.*?</table>", re.DOTALL)
#: Function words a reader leaves out ("dân chủ cơ sở" for "dân chủ ở cơ sở"): a pair is also
#: indexed across one or two of them, so the query's pairs still meet the text. Exact lowercase
#: forms with their tones: "ở" is a function word, "ô" is not.
FUNCTION_WORDS = frozenset({"ở", "và", "của", "các", "những", "cho", "với", "tại", "trong", "về", "là", "được", "để"})
#: Kinds of page, with the label the filter shows; plans are listed first (the browser searches each
#: kind in turn, and lists the others together by score). Values are slugs: Pagefind's filter attribute
#: separates values by commas.
KINDS = {
    "ke-hoach": "Kế hoạch",
    "van-ban": "Văn bản được trích dẫn",
    "co-quan": "Cơ quan, đơn vị",
    "khac": "Trang khác",
}
KIND_FILTER = "loai"
#: The filter by province (its name since 1 July 2025), on plans and bodies.
PLACE_FILTER = "tinh"

#: First word of the hidden part of a page's indexed text; the browser cuts excerpts before it.
SENTINEL = "⁂"


#: ``fold`` of one word, memoised: a corpus has a few ten thousand distinct syllables but millions of
#: occurrences, and folding (NFD + filter + casefold) dominated the preparation of the index.
_fold_word = functools.lru_cache(maxsize=1 << 17)(fold)


class SearchIndexError(Exception):
    """The site could not be indexed; ``str()`` says why (in English, for the log)."""


@dataclass(frozen=True)
class PageHint:
    """What the built HTML does not say plainly and search needs: the page's kind (the results
    list plans first, and the reader filters by kind) and the places it belongs to, including the
    province it belongs to since the 1 July 2025 merger ("bac ninh" finds plans of former Bắc Giang),
    and that province's name alone for the filter by province (empty: the page is in no province)."""

    kind: str
    places: tuple[str, ...] = ()
    province: str = ""


def _province_names(provinces: Mapping[Any, Mapping[str, Any]], province_id: str | None) -> list[str]:
    """A province's name and its successors' names (data/provinces.csv ``successor``), in order."""
    names: list[str] = []
    seen: set[str] = set()
    while province_id and province_id not in seen and province_id in provinces:
        seen.add(province_id)
        row = provinces[province_id]
        if row.get("name"):
            names.append(str(row["name"]))
        province_id = row.get("successor")
    return list(dict.fromkeys(names))


def _current_province(provinces: Mapping[str, dict[str, Any]], province_id: str | None) -> str:
    """The name of the province (of the 34 since 1 July 2025) ``province_id`` belongs to now, or ``""``."""
    if not province_id:
        return ""
    current = provinces.get(current_province(provinces, str(province_id)))
    # a filter value may not hold a comma (Pagefind separates values by commas); no name has one
    return str(current["name"]).replace(",", " ") if current and current.get("name") else ""


def page_hints(corpus: Corpus) -> dict[str, PageHint]:
    """Each plan, cited document and body page's :class:`PageHint`, by its file under the site root."""
    provinces = corpus.by_id("provinces")
    hints: dict[str, PageHint] = {}
    for plan in corpus.published.get("plans", []):
        places = [str(plan["place"])] if plan.get("place") else []
        places += _province_names(provinces, plan.get("province"))
        hints[sitemap.html_file(sitemap.plan_md(plan))] = PageHint(
            "ke-hoach", tuple(dict.fromkeys(places)), _current_province(provinces, plan.get("province"))
        )
    for directive in corpus.published.get("directives", []):
        places = _province_names(provinces, directive.get("jurisdiction"))
        hints[sitemap.html_file(sitemap.directive_md(directive["id"]))] = PageHint("van-ban", tuple(places))
    for unit in corpus.published.get("units", []):
        places = _province_names(provinces, unit.get("province"))
        hints[sitemap.html_file(sitemap.unit_md(unit["id"]))] = PageHint(
            "co-quan", tuple(places), _current_province(provinces, unit.get("province"))
        )
    return hints


def _is_number(token: str) -> bool:
    return "/" in token and any(c.isdigit() for c in token) and any(c.isalpha() for c in token)


def number_token(number: str) -> str:
    """The joined, folded form of a number-and-symbol: ``"30/2020/NĐ-CP"`` → ``"302020ndcp"``."""
    return "".join(ch for ch in fold(number) if ch.isalnum())


def _visible_text(fragment: str) -> str:
    return nfc(html.unescape(_TAG.sub(" ", fragment)))


def _pairs(text: str) -> list[str]:
    """Folded, joined pairs of adjacent syllables: "Hòa giải ở cơ sở" → hoagiai, giaio, ocoso…

    Vietnamese words are mostly two syllables written apart, and a syllable alone is a prefix of
    many others ("hoa" of "hoạch", "hoàn"), so a query of two syllables must find them side by
    side. Pairs never cross punctuation, and skip syllables with digits (numbers have their own
    token).
    """
    out: list[str] = []
    for run in _RUN.split(text):
        raw = _WORD.findall(run)
        words = [_fold_word(w) for w in raw]
        out.extend(a + b for a, b in itertools.pairwise(words) if a.isalpha() and b.isalpha())
        out.extend(_skip_pairs(raw, words))
    return out


def _skip_pairs(raw: list[str], words: list[str]) -> list[str]:
    """Pairs across one or two :data:`FUNCTION_WORDS`: "dân chủ ở cơ sở" → chuco (and danchu…)."""
    out: list[str] = []
    for i, a in enumerate(words):
        j = i + 1
        while j < len(raw) and j - i <= 2 and raw[j].lower() in FUNCTION_WORDS:
            j += 1
            if j < len(words) and raw[j].lower() not in FUNCTION_WORDS and a.isalpha() and words[j].isalpha():
                out.append(a + words[j])
    return out


def token_counts(text: str) -> Counter[str]:
    """The hidden tokens that make ``text`` findable — đ→d words, joined numbers, syllable pairs —
    with how often each occurs, in order of first occurrence."""
    tokens = [_fold_word(w) for w in _WORD.findall(text) if "đ" in w or "Đ" in w]
    tokens += [number_token(m.group()) for m in _NUMBER.finditer(text) if _is_number(m.group())]
    tokens += _pairs(_NUMBER.sub(" . ", text))
    return Counter(tokens)


def search_tokens(text: str) -> list[str]:
    """The hidden tokens of ``text``, each once (see :func:`token_counts`)."""
    return list(token_counts(text))


def fold_query(text: str) -> str:
    """What the search page sends to the index first for what the reader typed.

    NFC (NFD input and the look-alike ``Ð`` become the ``Đ`` the index holds); each
    number-and-symbol becomes its joined token (:func:`number_token`); every two adjacent
    syllables are sent as their folded pair ("hoa giai" → "hoagiai"), and a word in no pair as
    typed (the index folds tone marks itself; ``đ`` is kept, so "đảng" does not match "dạng").
    Pairs rather than their syllables because a query fetches, for each query word, the postings of
    its token in every page: in a national corpus about *dân vận* the syllables "dân" and "vận" are
    on every page, their pair on fewer (BENCHMARKS.md). Pages that match the pairs are exactly those that match the
    syllables side by side. The browser does the same (``docs/javascripts/search.js``) and, when
    the pairs find nothing (a phrase broken by punctuation in the text), searches the words alone.
    """
    text = nfc(text)
    words = [number_token(m.group()) if _is_number(m.group()) else m.group() for m in _QUERY_TOKEN.finditer(text)]
    pairs: list[str] = []
    paired: set[int] = set()
    for i, (a, b) in enumerate(itertools.pairwise(words)):
        fa, fb = fold(a), fold(b)
        if fa.isalpha() and fb.isalpha():
            pairs.append(fa + fb)
            paired |= {i, i + 1}
    alone = [w for i, w in enumerate(words) if i not in paired]
    return " ".join(dict.fromkeys([*pairs, *alone]))


def prepare_html(page: str, hint: PageHint | None = None) -> str | None:
    """The copy of a built page the index reads (:func:`.searchindex.page_record`), or ``None`` when it has no article.

    Marks the article as the indexed body, weights the title and the page's own number, drops
    the heading permalinks ("¶"), moves a plan's metadata panel after the text (its words stay
    findable; excerpts come from the text), and appends, hidden and after the word
    :data:`SENTINEL` (the browser cuts excerpts there), the :func:`search_tokens` of the title and
    of the text. ``hint`` adds the page's kind and province (the filters) and its places, weighted as the
    title (a place name finds that place's pages first).
    """
    hint = hint or PageHint("khac")
    start = _ARTICLE.search(page)
    if start is None:
        return None
    end = _ARTICLE_END.search(page, start.end())
    if end is None:
        return None
    body = _HEADERLINK.sub("", page[start.start() : end.start()])
    body = _CELL_END.sub(r" \g<0>", body)  # Pagefind joins adjacent cells' words ("hànhKế")
    # The plan page's navigation and its repeats of the properties table (breadcrumb, summary card,
    # contents, print header) are not text to quote: excerpts came from them ("Số, ký hiệu276/…").
    # What they say is still found: the properties table is indexed, unseen, below.
    body = _REPEATS.sub(r"\1 data-pagefind-ignore", body)
    cut = _SEARCH_END.search(body)
    if cut is not None:
        body = body[: cut.start()]
    h1 = _H1_TEXT.search(body)
    title_tokens = search_tokens(_visible_text(h1.group(1))) if h1 else []
    own = _OWN_NUMBER.search(body)
    if own is not None:
        cell = body[own.end() : body.find("</td>", own.end())]
        title_tokens += [
            number_token(m.group()) for m in _NUMBER.finditer(_visible_text(cell)) if _is_number(m.group())
        ]
        body = _OWN_NUMBER.sub(rf'\1 data-pagefind-weight="{NUMBER_WEIGHT}"\2', body, count=1)
    places = " . ".join(hint.places)
    title_tokens += search_tokens(places)
    title_tokens = list(dict.fromkeys(title_tokens))
    counts = token_counts(_visible_text(body))
    meta = _META_TABLE.search(body)
    meta_text = ""
    if meta is not None:
        meta_text = " ".join(_visible_text(meta.group()).split())
        body = body[: meta.start()] + "<table data-pagefind-ignore>" + body[meta.start() + len("<table>") :]
    for t in title_tokens:
        counts.pop(t, None)
    body = _H1.sub(f'<h1 data-pagefind-weight="{TITLE_WEIGHT}"', body, count=1)
    body = body.replace(start.group(), start.group() + " data-pagefind-body", 1)
    kind = hint.kind if hint.kind in KINDS else "khac"
    # The kind is a filter (the browser searches each kind in turn: plans first, and counts them)
    # and the page's metadata (kept in its fragment, for the label of a result); the province is a
    # filter (the index takes both from the hint; the attributes keep the copy readable by Pagefind).
    marks = f'data-pagefind-meta="{KIND_FILTER}:{kind}" data-pagefind-filter="{KIND_FILTER}:{kind}"'
    # (one element holds one filter attribute: the province has its own, empty element)
    province = (
        f'<span data-pagefind-filter="{PLACE_FILTER}:{html.escape(hint.province)}"></span>' if hint.province else ""
    )
    hidden = (
        f'<div hidden aria-hidden="true" {marks}>{province}<p>{SENTINEL}</p>'
        f"<p>{html.escape(meta_text)}</p>"
        f'<p data-pagefind-weight="{TITLE_WEIGHT}">{html.escape(" ".join([places, *title_tokens]))}</p>'
        + "".join(
            f'<p data-pagefind-weight="{weight}">{html.escape(" ".join(group))}</p>'
            for weight, group in _by_frequency(counts)
        )
        + "</div>"
    )
    return page[: start.start()] + body + hidden + page[end.start() :]


def _by_frequency(counts: Counter[str]) -> list[tuple[str, list[str]]]:
    """Tokens grouped by how often the text says them, as (weight, tokens), each token once.

    Each token is indexed once per page, so a page that says "dân vận" forty times and one that
    says it once would rank alike; the weight of the group carries the difference, without the
    forty positions that would make every query download them.
    """
    groups: dict[str, list[str]] = {weight: [] for weight, _ in FREQUENCY_WEIGHTS}
    for token, n in counts.items():
        weight = next(w for w, least in FREQUENCY_WEIGHTS if n >= least)  # thresholds descend to 1
        groups[weight].append(token)
    return [(weight, group) for weight, group in groups.items() if group]


def _url(rel: str) -> str:
    """The address of a built file relative to the site root, as a link names it: ``a/index.html`` → ``a/``."""
    return rel[: -len("index.html")] if rel == "index.html" or rel.endswith("/index.html") else rel


def _record_file(
    job: tuple[Path, str, PageHint | None, PageCache | None, Path | None],
) -> tuple[Record | None, str | None]:
    """One page's index record (from the cache when its HTML and hint are known; ``None`` when it has
    no article), and its cache key. With ``display`` (:func:`.searchindex.display_path`), the
    record's display file is written there, here: the record sent back holds only its hash."""
    site_dir, rel, hint, cache, display = job
    kind = hint.kind if hint is not None and hint.kind in KINDS else "khac"
    province = hint.province if hint is not None else ""
    try:
        raw = (site_dir / rel).read_bytes()
        key = cache.search_key(raw, hint, rel) if cache is not None else None
        cached = cache.load_search(key) if cache is not None and key is not None else None
        if cached == b"":
            return None, key
        record = Record.from_entry(cached) if cached is not None else None
        if record is not None and cache is not None and key is not None:
            # its display file is the cache's, checked and linked (refused: the page is read again)
            record = kept_display(record, cache.search_blob(key), display)
        if record is None:
            text = raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")  # as read_text reads it
            prepared = prepare_html(text, hint)
            record = page_record(prepared, _url(rel), kind, province) if prepared is not None else None
            if record is None:
                if cache is not None and key is not None:
                    cache.save_search(key, b"")  # a page without an article
                return None, key
            entry = record.to_entry() if cache is not None else None
            data = record.display_file()  # compressed here, on every core; its text not sent back
            if display is not None:
                record = write_display(display, record)
            else:
                record = dataclasses.replace(record, content="", packed=data)
            if cache is not None and key is not None and entry is not None:
                # the display file kept as the index's own file, hard-linked: not written twice
                cache.save_search(key, entry, data, display)
    except (OSError, UnicodeDecodeError) as exc:
        raise SearchIndexError(f"cannot read {rel}: {exc}") from exc
    return record, key


def indexed_files(site_dir: Path) -> list[str]:
    """The built pages search indexes, relative to the site root, sorted."""
    found: list[str] = []
    # os.walk, not Path.rglob: 40,000 pages took 1.9 s as Path objects, on the build's path (the
    # order is rglob's sorted Paths', part by part); links to folders are not followed
    for top, _, names in os.walk(site_dir):
        base = os.path.relpath(top, site_dir).replace(os.sep, "/")
        prefix = "" if base == "." else f"{base}/"
        found.extend(prefix + name for name in names if name.endswith(".html"))
    return [
        rel
        for rel in sorted(found, key=lambda rel: rel.split("/"))
        if rel not in EXCLUDED
        and rel.split("/", 1)[0] != BUNDLE
        and not rel.startswith(EXCLUDED_FOLDERS)
        and not sitemap.is_version_page(rel)
    ]


def index_site(
    site_dir: Path,
    hints: Mapping[str, PageHint] | None = None,
    cache: PageCache | None = None,
    batch: int = BATCH,
    out: Path | None = None,
) -> list[str]:
    """Write the search index of the built site in ``site_dir`` to ``site_dir/pagefind/`` (:mod:`.searchindex`).

    ``hints`` (:func:`page_hints`, by file under the site root) give pages their kind and places;
    pages without one are of kind ``khac``. With ``cache`` (:mod:`.pagecache`), a page whose HTML
    and hint are unchanged is not tokenised again: its record is read back; the keys used are
    returned. Pages are turned into records on every core, ``batch`` at a time, and their postings
    spilled to disk between batches (memory does not grow with the corpus). ``site_dir`` gains
    only the bundle folder (or ``out`` is written instead: to measure on a site one may not change). Raises :class:`SearchIndexError` when there is nothing to index.
    """
    site_dir = Path(site_dir).resolve()
    hints = hints or {}
    if not site_dir.is_dir():
        raise SearchIndexError(f"no built site at {site_dir}")
    pages = page_order(
        (
            Page(
                h.kind if (h := hints.get(rel)) is not None and h.kind in KINDS else "khac",
                h.province if h else "",
                rel,
            )
            for rel in indexed_files(site_dir)
        ),
        list(KINDS),
    )
    keys: list[str] = []

    target = Path(out) if out is not None else site_dir / BUNDLE
    # the workers make the records of the next pages while this process adds a batch's postings,
    # and write their display files (in the folder write_index has made: started at the first batch)
    with stage("search.index"), streaming(chunksize=8, window=max(2, 2 * batch // 8)) as stream:
        made: Iterator[tuple[Record | None, str | None]] | None = None

        def records(part: Sequence[Page]) -> list[Record | None]:
            nonlocal made
            if made is None:
                jobs = [
                    (site_dir, p.rel, hints.get(p.rel), cache, display_path(target, n)) for n, p in enumerate(pages)
                ]
                made = stream(_record_file, jobs)
            done = list(itertools.islice(made, len(part)))
            keys.extend(key for _, key in done if key is not None)
            return [record for record, _ in done]

        count = write_index(target, pages, records, list(KINDS), batch)
    if count == 0:
        shutil.rmtree(target, ignore_errors=True)
        raise SearchIndexError(f"no page to index in {site_dir}")
    return keys
