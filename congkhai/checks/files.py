"""Only what is meant to be published: the files of ``docs/`` and ``data/`` checked before use.

The site publishes the files beside each plan (the signed original, images the text shows), and
the build reads ``docs/`` and ``data/``. A pull request controls both, so:

- a symbolic link anywhere there is refused, never followed (``ln -s /proc/self/environ``
  would publish the build's environment; a link to a plan outside the checkout would publish
  it); nothing is read through one;
- beside plans, only an allow-list of types is published — originals (``.docx``, ``.pdf``,
  ``.txt``) and raster images — each checked to be what its name says, and a Word file with
  macros, ActiveX controls or a remote template is refused. Anything else (``.html``, ``.svg``,
  ``.markdown``, ``.docm``, ``.exe``…) is a finding, because a browser would run it on the
  site's origin or MkDocs would render it unvalidated.

Each refusal is a finding naming the file, what is wrong and how to fix it.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..model.findings import Finding

PLANS = "docs/plans"
#: Folders whose files the build reads or publishes.
CHECKED = ("docs", "data")

#: Originals of plans: what an office publishes (the signed Word file, its PDF, a plain-text copy).
ORIGINAL_TYPES = (".docx", ".pdf", ".txt")
#: Images a plan's text may show: raster formats only (an SVG is a document that can hold script).
IMAGE_TYPES = (".png", ".jpg", ".jpeg", ".gif", ".webp")
PAGE_TYPE = ".md"
ALLOWED_BESIDE_PLANS = (PAGE_TYPE, *ORIGINAL_TYPES, *IMAGE_TYPES)

_MAGIC: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
}
_KIND = {
    ".docx": "Word (.docx)",
    ".pdf": "PDF",
    ".png": "PNG",
    ".jpg": "JPEG",
    ".jpeg": "JPEG",
    ".gif": "GIF",
    ".webp": "WebP",
}
#: Parts of a Word package that carry code or fetch content from elsewhere when it is opened.
_ACTIVE_PARTS = re.compile(r"(?i)(^|/)(vbaProject\.bin|vbaData\.xml)$|(^|/)activeX/")
_MACRO_CONTENT_TYPE = re.compile(rb"(?i)macroEnabled|vbaProject")
_EXTERNAL_CODE_REL = re.compile(
    rb"(?i)<Relationship\b[^>]*Type=\"[^\"]*/(attachedTemplate|oleObject|frame|subDocument)\"[^>]*TargetMode=\"External\""
    rb"|<Relationship\b[^>]*TargetMode=\"External\"[^>]*Type=\"[^\"]*/(attachedTemplate|oleObject|frame|subDocument)\""
)
_SMALL_PART = 4 * 1024 * 1024  # package parts read to look for code; larger ones are not read


@dataclass(frozen=True)
class Entry:
    """One name under a checked folder, as the file system has it (links not followed)."""

    rel: str  # repository-relative POSIX path
    path: Path
    link: bool
    folder: bool


def walk(root: Path, folder: str) -> Iterator[Entry]:
    """Every file and folder under ``root/folder`` in a stable order, without following links.

    A linked folder is yielded (as a link) but not entered.
    """
    base = root / folder
    if base.is_symlink():
        yield Entry(folder, base, True, False)
        return
    if not base.is_dir():
        return
    for here, dirs, files in os.walk(base, followlinks=False):
        dirs.sort()
        rel_here = Path(here).relative_to(root).as_posix()
        for name in sorted(dirs):
            path = Path(here) / name
            if path.is_symlink():
                yield Entry(f"{rel_here}/{name}", path, True, True)
        dirs[:] = [d for d in dirs if not (Path(here) / d).is_symlink()]
        for name in sorted(files):
            path = Path(here) / name
            yield Entry(f"{rel_here}/{name}", path, path.is_symlink(), False)


def plan_sources(root: Path) -> list[Path]:
    """The plan files (``docs/plans/**.md`` but ``index.md``), never through a link."""
    return [
        e.path
        for e in walk(root, PLANS)
        if not e.link and not e.folder and e.path.suffix == PAGE_TYPE and e.path.name != "index.md"
    ]


def inside(root: Path, path: Path) -> bool:
    """``path`` is a real file of the checkout: no link on the way, and it resolves inside ``root``."""
    root = root.resolve()
    try:
        rel = path.absolute().relative_to(root)
    except ValueError:
        return False
    here = root
    for part in rel.parts:
        here = here / part
        if here.is_symlink():
            return False
    return path.resolve().is_relative_to(root)


def problem(root: Path, entry: Entry) -> tuple[str, dict[str, str]] | None:
    """Why ``entry`` may not be read or published (a finding code and its parameters), or None."""
    name = entry.path.name
    if entry.link:
        return "symlink-refused", {"name": name}
    if entry.folder or not entry.rel.startswith(PLANS + "/"):
        return None
    suffix = entry.path.suffix.lower()
    if suffix not in ALLOWED_BESIDE_PLANS or entry.path.suffix != suffix:
        return "file-type-refused", {"name": name, "suffix": entry.path.suffix or "(không có)"}
    if suffix == ".docx":
        return _docx_problem(entry.path)
    if suffix in _MAGIC or suffix == ".webp":
        with entry.path.open("rb") as fh:
            head = fh.read(16)
        ok = head[:4] == b"RIFF" and head[8:12] == b"WEBP" if suffix == ".webp" else head.startswith(_MAGIC[suffix])
        if not ok:
            return "file-content-mismatch", {"name": name, "kind": _KIND[suffix]}
        if suffix == ".pdf":
            return _pdf_problem(entry.path)
    return None


def _docx_problem(path: Path) -> tuple[str, dict[str, str]] | None:
    name = path.name
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                return "file-content-mismatch", {"name": name, "kind": _KIND[".docx"]}
            if any(_ACTIVE_PARTS.search(n) for n in names):
                return "macro-document", {"name": name}
            for info in zf.infolist():
                if info.file_size > _SMALL_PART:
                    continue
                if info.filename == "[Content_Types].xml" and _MACRO_CONTENT_TYPE.search(zf.read(info)):
                    return "macro-document", {"name": name}
                if info.filename.endswith(".rels") and _EXTERNAL_CODE_REL.search(zf.read(info)):
                    return "macro-document", {"name": name}
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError):
        return "file-content-mismatch", {"name": name, "kind": _KIND[".docx"]}
    return None


def _pdf_problem(path: Path) -> tuple[str, dict[str, str]] | None:
    """A PDF that runs script or starts programs when opened (``/JavaScript``, ``/JS``, ``/Launch``).

    The raw bytes are searched first; objects compressed into object streams are out of sight
    there, so such a PDF is walked with pypdf from its catalogue (bounded; unreadable = refused).
    """
    data = path.read_bytes()
    if _ACTIVE_PDF.search(data):
        return "active-pdf", {"name": path.name}
    if b"/ObjStm" not in data:
        return None
    try:
        from pypdf import PdfReader

        reader = PdfReader(path, strict=False)
        if _pdf_has_action(reader.trailer):
            return "active-pdf", {"name": path.name}
    except Exception:  # any parser failure: the PDF is refused, never a traceback
        return "file-content-mismatch", {"name": path.name, "kind": _KIND[".pdf"]}
    return None


_ACTIVE_PDF = re.compile(rb"/(JavaScript|JS|Launch)(?![A-Za-z0-9])")
_PDF_KEYS = frozenset({"/JavaScript", "/JS", "/Launch"})


def _pdf_has_action(start: object, budget: int = 200_000) -> bool:
    """Walk the object graph from ``start`` (dictionaries, arrays, references) looking for actions."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    seen: set[tuple[int, int]] = set()
    stack = [start]
    while stack and budget > 0:
        budget -= 1
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            ref = (obj.idnum, obj.generation)
            if ref in seen:
                continue
            seen.add(ref)
            obj = obj.get_object()
        if isinstance(obj, NameObject) and str(obj) in _PDF_KEYS:
            return True
        if isinstance(obj, DictionaryObject):
            if any(str(k) in _PDF_KEYS for k in obj):
                return True
            stack.extend(v for k, v in obj.items() if str(k) != "/Parent")
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    return budget <= 0  # too large to walk: refused rather than trusted


def check_files(root: Path) -> list[Finding]:
    """A finding for every link, and every file beside a plan that is not an allowed original or image."""
    out: list[Finding] = []
    for folder in CHECKED:
        for entry in walk(root, folder):
            found = problem(root, entry)
            if found is not None:
                code, params = found
                out.append(Finding(entry.rel, 0, 0, "", code, params))
    return out


def publishable(root: Path, entry: Entry) -> bool:
    """May the build copy this file into the site? (The same rules as :func:`check_files`.)"""
    return not entry.folder and problem(root, entry) is None
