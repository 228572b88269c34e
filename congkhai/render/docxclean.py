"""The published copy of a plan's Word original: what the office signed, without what its editing
left behind. Comments (their parts and every reference to them), tracked changes (insertions
accepted, deletions and moves away dropped, formatting changes removed: the text reads as
signed), and personal metadata (author and last editor, company and manager, revision ids,
``people.xml``) are removed. The file as received stays in the repository and its history.

Bytes in, bytes out, deterministic: entries in their order, fixed timestamps and attributes.
"""

from __future__ import annotations

import io
import posixpath
import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
CORE = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
}
APP = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"

#: Parts dropped whole: comments in all their Word versions, and the people who edited.
DROPPED = frozenset(
    {
        "word/comments.xml",
        "word/commentsExtended.xml",
        "word/commentsExtensible.xml",
        "word/commentsIds.xml",
        "word/people.xml",
    }
)
#: Elements removed with their content: deleted text, text moved away, comment anchors.
_REMOVE: tuple[str, ...] = ("del", "moveFrom", "commentRangeStart", "commentRangeEnd", "commentReference")
_REMOVE += ("moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd")
_REMOVE += ("rPrChange", "pPrChange", "sectPrChange", "tblPrChange", "tcPrChange", "trPrChange")
_REMOVE += ("tblGridChange", "numberingChange", "cellIns", "cellDel", "cellMerge", "trackRevisions", "rsids")
#: Elements replaced by their content: inserted text and text moved here, accepted.
_UNWRAP = ("ins", "moveTo")
#: Core and app properties that name a person or an organisation.
_CORE_PERSONAL = (f"{{{CORE['dc']}}}creator", f"{{{CORE['cp']}}}lastModifiedBy", f"{{{CORE['cp']}}}lastPrinted")
_APP_PERSONAL = (f"{{{APP}}}Company", f"{{{APP}}}Manager")
_EPOCH = (1980, 1, 1, 0, 0, 0)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def _clean_word(root: etree._Element) -> None:
    for tr in list(root.iter(_w("tr"))):  # a row inserted is kept, a row deleted goes
        trpr = tr.find(_w("trPr"))
        if trpr is not None and trpr.find(_w("del")) is not None and tr.getparent() is not None:
            tr.getparent().remove(tr)
    for name in _REMOVE:
        for el in list(root.iter(_w(name))):
            parent = el.getparent()
            if parent is not None:
                parent.remove(el)
    for name in _UNWRAP:
        for el in list(root.iter(_w(name))):
            parent = el.getparent()
            if parent is None:
                continue
            if parent.tag in (_w("rPr"), _w("trPr")):  # a mark on a paragraph or row: just the mark
                parent.remove(el)
                continue
            index = parent.index(el)
            for child in reversed(list(el)):
                parent.insert(index, child)
            parent.remove(el)
    for run in list(root.iter(_w("r"))):  # a run left holding only its properties (a comment mark)
        if run.getparent() is not None and all(child.tag == _w("rPr") for child in run) and len(run):
            run.getparent().remove(run)
    for el in root.iter():
        for attr in [a for a in el.attrib if a.startswith(f"{{{W}}}rsid")]:
            del el.attrib[attr]


def _remove(root: etree._Element, tags: tuple[str, ...]) -> None:
    for tag in tags:
        for el in list(root.iter(tag)):
            el.getparent().remove(el)


def _rels_target(rels_name: str, target: str) -> str:
    """The part a relationship of ``rels_name`` (``word/_rels/document.xml.rels``) points to."""
    if target.startswith("/"):
        return target.lstrip("/")
    base = posixpath.dirname(posixpath.dirname(rels_name))
    return posixpath.normpath(posixpath.join(base, target))


def clean_docx(data: bytes) -> bytes:
    """``data`` (a .docx) without comments, tracked changes and personal metadata."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        names = [i.filename for i in src.infolist() if not i.is_dir()]
        parts = {name: src.read(name) for name in names}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in names:
            if name in DROPPED:
                continue
            body = parts[name]
            if name.endswith((".xml", ".rels")):
                root = etree.fromstring(body, _PARSER)
                if name.startswith("word/") and name.endswith(".xml"):
                    _clean_word(root)
                elif name == "docProps/core.xml":
                    _remove(root, _CORE_PERSONAL)
                elif name == "docProps/app.xml":
                    _remove(root, _APP_PERSONAL)
                elif name == "[Content_Types].xml":
                    for el in list(root.iter(f"{{{CT}}}Override")):
                        if el.get("PartName", "").lstrip("/") in DROPPED:
                            root.remove(el)
                elif name.endswith(".rels"):
                    for el in list(root.iter(f"{{{REL}}}Relationship")):
                        if el.get("TargetMode") != "External" and _rels_target(name, el.get("Target", "")) in DROPPED:
                            root.remove(el)
                body = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            dst.writestr(info, body)
    return out.getvalue()
