"""A plan's original said honestly (congkhai/render/original.py)."""

from __future__ import annotations

import codecs

from congkhai.render.original import robots_txt, source_cell, with_bom


def test_text_gets_a_byte_order_mark_once_and_only_when_utf8():
    text = "Ủy ban nhân dân phường Dĩnh Kế".encode()
    assert with_bom(text) == codecs.BOM_UTF8 + text
    assert with_bom(with_bom(text)) == codecs.BOM_UTF8 + text
    legacy = "Ñy ban".encode("cp1252")
    assert with_bom(legacy) == legacy  # not UTF-8: no mark claiming it is


def test_a_web_copy_says_it_is_not_the_original():
    plan = {"source_kind": "web_copy", "source_file": "000_ab.txt", "source_url": None}
    cell = source_cell(plan, True, "Bản sao từ cổng thông tin")
    assert "không phải bản gốc có chữ ký, con dấu" in cell
    assert "Chưa ghi địa chỉ trang nguồn" in cell
    assert "[Xem văn bản đã chép](000_ab.txt) (tệp txt)" in cell
    assert "bản gốc]" not in cell  # a copy is never offered as "bản gốc"


def test_source_url_is_linked_when_safe():
    plan = {"source_kind": "news_article", "source_url": "https://baobackan.vn/a(1).html"}
    cell = source_cell(plan, False, "Bài báo")
    assert "[Trang nguồn](https://baobackan.vn/a%281%29.html)" in cell
    bad = source_cell({**plan, "source_url": "javascript:alert(1)"}, False, "Bài báo")
    assert "javascript" not in bad and "Chưa ghi địa chỉ trang nguồn" in bad
    original = source_cell({"source_kind": "original", "source_file": "kh.pdf"}, True, "Bản gốc, bản chính")
    assert "[Xem bản gốc](kh.pdf)" in original and "Chưa ghi" not in original


def test_robots_keeps_old_versions_out_of_search_engines():
    assert "Disallow: /data/ke-hoach/*/phien-ban/\nSitemap: https://x.gov.vn/sitemap.xml\n" in robots_txt(
        "https://x.gov.vn/"
    )
    under = robots_txt("https://example.gov.vn/cong-khai/")
    assert "Disallow: /cong-khai/data/ke-hoach/*/phien-ban/" in under
    assert "Sitemap: https://example.gov.vn/cong-khai/sitemap.xml" in under


def test_robots_of_a_preview_shuts_every_crawler_out():
    """A build without the site's address is a preview: nothing of it is to be indexed, and it
    has no site map to point at."""
    assert robots_txt() == robots_txt("") == "User-agent: *\nDisallow: /\n"
    assert "Disallow: /\n" not in robots_txt("https://x.gov.vn/")
