"""Files kept in the cache and published from it by a hard link: what is linked is exactly what the
signed entry names, a refused file is never published, and nothing writes into a shared file."""

from __future__ import annotations

import errno
import os

import pytest

from congkhai.load import blobs


def test_keep_links_the_source_and_publish_links_the_checked_file(tmp_path):
    site = tmp_path / "site.html"
    site.write_bytes(b"<p>trang</p>")
    blob = tmp_path / "cache" / "ab" / "key.html"
    assert blobs.keep(blob, b"<p>trang</p>", site)
    assert blob.stat().st_ino == site.stat().st_ino  # linked, not copied
    target = tmp_path / "next" / "a" / "index.html"
    assert blobs.publish(blob, blobs.digest(b"<p>trang</p>"), target) == b"<p>trang</p>"
    assert target.stat().st_ino == blob.stat().st_ino and blob.stat().st_nlink == 3


def test_keep_without_a_source_writes_the_bytes(tmp_path):
    blob = tmp_path / "cache" / "key.ckr"
    assert blobs.keep(blob, b"\x1f\x8bdata")
    assert blob.read_bytes() == b"\x1f\x8bdata"
    assert [p.name for p in blob.parent.iterdir()] == ["key.ckr"]  # no temporary file left


def test_a_blob_with_other_bytes_a_link_or_none_is_refused(tmp_path):
    blob = tmp_path / "key.html"
    blob.write_bytes(b"<script>alert(1)</script>")
    target = tmp_path / "out.html"
    assert blobs.publish(blob, blobs.digest(b"<p>trang</p>"), target) is None
    assert not target.exists()
    right = tmp_path / "right.html"
    right.write_bytes(b"<p>trang</p>")
    link = tmp_path / "link.html"
    link.symlink_to(right)
    assert blobs.publish(link, blobs.digest(b"<p>trang</p>"), target) is None
    assert blobs.read(link, blobs.digest(b"<p>trang</p>")) is None
    assert blobs.publish(tmp_path / "missing", blobs.digest(b""), target) is None
    (tmp_path / "folder").mkdir()
    assert blobs.publish(tmp_path / "folder", blobs.digest(b""), target) is None
    assert not target.exists()


def test_where_no_link_can_be_made_the_checked_bytes_are_written(tmp_path, monkeypatch):
    blob = tmp_path / "key.html"
    blob.write_bytes(b"<p>trang</p>")

    def cross_device(*args, **kwargs):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", cross_device)
    target = tmp_path / "out.html"
    assert blobs.publish(blob, blobs.digest(b"<p>trang</p>"), target) == b"<p>trang</p>"
    assert target.read_bytes() == b"<p>trang</p>" and target.stat().st_ino != blob.stat().st_ino
    site = tmp_path / "site.html"
    site.write_bytes(b"x")
    assert blobs.keep(tmp_path / "kept", b"x", site)  # copied instead
    assert (tmp_path / "kept").stat().st_ino != site.stat().st_ino


def test_a_link_that_is_not_the_checked_file_is_undone(tmp_path):
    """The path linked is the one read; should it name another file by then, the link is removed
    and the checked bytes are written instead."""
    checked = tmp_path / "checked"
    checked.write_bytes(b"a")
    swapped = tmp_path / "swapped"
    swapped.write_bytes(b"b")
    fd = os.open(checked, os.O_RDONLY)
    try:
        assert not blobs._link_same(swapped, fd, tmp_path / "target")
        assert not (tmp_path / "target").exists()
        assert blobs._link_same(checked, fd, tmp_path / "target")
    finally:
        os.close(fd)


def test_replace_writes_a_new_file_and_never_into_a_shared_one(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(b"old")
    shared = tmp_path / "cache.html"
    os.link(page, shared)
    blobs.replace(page, b"new")
    assert page.read_bytes() == b"new" and shared.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache.html", "page.html"]


def test_replace_leaves_no_temporary_file_when_it_fails(tmp_path, monkeypatch):
    page = tmp_path / "page.html"
    page.write_bytes(b"old")

    def refused(*args):
        raise OSError(errno.EACCES, "refused")

    monkeypatch.setattr(os, "replace", refused)
    with pytest.raises(OSError):
        blobs.replace(page, b"new")
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"] and page.read_bytes() == b"old"


def test_the_build_steps_that_rewrite_a_site_file_never_write_into_it(tmp_path):
    """A file of the new site may be the cache's and the published site's too (linked): the
    sanitiser, the site map's two rewrites and the form's placeholder page each write a new file
    and leave every other link of the old one with its bytes."""
    from congkhai.model import sitemap
    from congkhai.publish import site as publish_site

    site = tmp_path / "site"
    page = site / "a" / "index.html"
    page.parent.mkdir(parents=True)
    dirty = '<html><article class="md-content__inner md-typeset"><p onclick="x()">Nội dung</p></article></html>'
    page.write_text(dirty, encoding="utf-8")
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset>\n'
        "    <url>\n         <loc>https://example.gov.vn/plans/a/b/</loc>\n"
        "         <lastmod>2026-01-01</lastmod>\n    </url>\n"
        "    <url>\n         <loc>https://example.gov.vn/plans/a/b/phien-ban/abc1234/</loc>\n    </url>\n</urlset>\n"
    )
    (site / publish_site.SITEMAP).write_text(xml, encoding="utf-8")
    import gzip

    (site / (publish_site.SITEMAP + ".gz")).write_bytes(gzip.compress(xml.encode(), mtime=0))
    editor = site / sitemap.EDITOR
    editor.parent.mkdir(parents=True, exist_ok=True)
    editor.write_text("<p>trang cũ</p>", encoding="utf-8")
    steps = [
        lambda: publish_site._clean_page((site, page)),
        lambda: publish_site.unlist_versions(site),
        lambda: publish_site.date_sitemap(site, "https://example.gov.vn/", {}, "2026-02-01"),
        lambda: publish_site.copy_editor(site, tmp_path / "no-bundle"),
    ]
    for n, step in enumerate(steps):
        # every file of the site linked elsewhere first (as the cache and the old site link them)
        kept = tmp_path / f"kept-{n}"
        shared = {p: kept / p.relative_to(site) for p in site.rglob("*") if p.is_file()}
        for p, other in shared.items():
            other.parent.mkdir(parents=True, exist_ok=True)
            os.link(p, other)
        before = {p: p.read_bytes() for p in shared}
        assert step() in (None, [])
        changed = [p for p in shared if p.read_bytes() != before[p]]
        assert changed, n  # the step rewrote something…
        for p in changed:  # …as a new file: the linked one kept its bytes
            assert shared[p].read_bytes() == before[p], (n, p)
