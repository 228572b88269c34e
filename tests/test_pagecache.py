"""Incremental builds: pages restored from the page cache make exactly the site a clean build makes,
only the pages whose Markdown changed are rendered again, and a changed template, a damaged or
foreign entry, or a broken anchor are handled as if there were no cache."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from congkhai.cli import main
from congkhai.publish import engine as mkbuild
from congkhai.publish import pagecache
from congkhai.publish import site as publish_site
from tests.conftest import FIXED_EPOCH, copy_sources, differences

PLAN = Path("docs/plans/bac-kan/bac-kan-2023-276-ubnd-ncpc.md")
PLAN_PAGE = "plans/bac-kan/bac-kan-2023-276-ubnd-ncpc/index.html"


@pytest.fixture
def builds(tmp_path, monkeypatch) -> list[Any]:
    """Each build's :class:`engine.Built` (``None``: MkDocs' own build ran), in order."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    monkeypatch.setenv("CONGKHAI_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("CONGKHAI_CACHE_KEY", raising=False)
    monkeypatch.setattr(mkbuild, "MIN_PAGES", 1)  # worker processes even for the seed's pages
    seen: list[Any] = []
    run = publish_site.run_mkdocs

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(run(*args, **kwargs))
        return seen[-1]

    monkeypatch.setattr(publish_site, "run_mkdocs", spy)
    return seen


def _build(repo: Path, out: Path) -> None:
    assert main(["build", "--root", str(repo), "--out", str(out)]) == 0


def _clean_build(repo: Path, out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """MkDocs' own build (one process, no cache): the reference."""
    with monkeypatch.context() as m:
        m.setenv("CONGKHAI_CACHE", "off")
        m.setenv("CONGKHAI_WORKERS", "1")
        _build(repo, out)


def _change_plan(repo: Path) -> None:
    path = repo / PLAN
    path.write_text(path.read_text(encoding="utf-8") + "\nMột đoạn được thêm sau khi ban hành.\n", encoding="utf-8")


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_one_plan_change_renders_only_what_changed_and_equals_a_clean_build(tmp_path, monkeypatch, builds, workers):
    monkeypatch.setenv("CONGKHAI_WORKERS", workers)
    repo = copy_sources(tmp_path / "repo")
    _build(repo, tmp_path / "first")
    first = builds[-1]
    assert first.restored == set() and PLAN_PAGE in first.rendered
    _build(repo, tmp_path / "again")  # nothing changed: every page outside the navigation restored
    again = builds[-1]
    assert again.rendered == {} and again.restored == set(again.keys) and len(again.restored) > 100
    assert differences(tmp_path / "first", tmp_path / "again") == []

    _change_plan(repo)
    _build(repo, tmp_path / "incremental")
    changed = builds[-1]
    assert PLAN_PAGE in changed.rendered
    assert len(changed.rendered) < len(changed.keys) / 5, sorted(changed.rendered)  # its page and the lists
    _clean_build(repo, tmp_path / "clean", monkeypatch)
    assert builds[-1] is None  # the reference is MkDocs' own build
    assert "Một đoạn được thêm sau khi ban hành." in (tmp_path / "clean" / PLAN_PAGE).read_text(encoding="utf-8")
    assert differences(tmp_path / "incremental", tmp_path / "clean") == []


def _git(repo: Path, when: str, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=repo, check=True, env=env, capture_output=True
    )


def test_a_merged_change_adds_a_page_and_still_renders_only_what_changed(tmp_path, monkeypatch, builds):
    """A change merged in git gives the plan an old version, a page of its own: the site's file list
    grows at every such merge, and that alone must not render every page again."""
    monkeypatch.setenv("CONGKHAI_WORKERS", "2")
    repo = copy_sources(tmp_path / "repo")
    _git(repo, "2024-01-02T08:00:00+07:00", "init", "-q", "-b", "main")
    _git(repo, "2024-01-02T08:00:00+07:00", "add", "-A")
    _git(repo, "2024-01-02T08:00:00+07:00", "commit", "-qm", "first")
    _build(repo, tmp_path / "first")
    first = builds[-1]
    _change_plan(repo)
    _git(repo, "2024-02-03T08:00:00+07:00", "commit", "-qam", "Sửa kế hoạch 276")
    _build(repo, tmp_path / "merged")
    merged = builds[-1]
    added = set(merged.keys) - set(first.keys)
    assert any("/phien-ban/" in page for page in added), sorted(added)  # the file list grew
    assert PLAN_PAGE in merged.rendered
    assert len(merged.rendered) < len(merged.keys) / 5, sorted(merged.rendered)
    _clean_build(repo, tmp_path / "clean", monkeypatch)
    assert differences(tmp_path / "merged", tmp_path / "clean") == []


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_page_whose_link_lost_its_target_is_rendered_again_and_fails(tmp_path, monkeypatch, capsys, builds, workers):
    """The file list is not in the key, so a restored page must still name only files that exist:
    the guide's Markdown is unchanged, but a picture it shows was deleted — a clean build fails on
    the broken link, and so must the incremental one (the page is rendered again, not restored)."""
    monkeypatch.setenv("CONGKHAI_WORKERS", workers)
    repo = copy_sources(tmp_path / "repo")
    _build(repo, tmp_path / "first")
    assert "huong-dan/index.html" in builds[-1].rendered
    (repo / "docs" / "huong-dan" / "anh" / "ghi-chu-nhap-1366.png").unlink()
    capsys.readouterr()
    assert main(["build", "--root", str(repo), "--out", str(tmp_path / "second")]) != 0
    err = capsys.readouterr().err
    assert "ghi-chu-nhap-1366.png" in err, err
    assert not (tmp_path / "second").exists()


def test_a_changed_template_renders_every_page_again(tmp_path, monkeypatch, builds):
    monkeypatch.setenv("CONGKHAI_WORKERS", "2")
    repo = copy_sources(tmp_path / "repo")
    _build(repo, tmp_path / "first")
    template = repo / "overrides" / "main.html"
    template.write_text(
        template.read_text(encoding="utf-8").replace("{% block", "{# đổi #}{% block", 1), encoding="utf-8"
    )
    assert "{# đổi #}" in template.read_text(encoding="utf-8")
    _build(repo, tmp_path / "changed")
    changed = builds[-1]
    assert changed.restored == set() and set(changed.rendered) == set(changed.keys)
    _clean_build(repo, tmp_path / "clean", monkeypatch)
    assert differences(tmp_path / "changed", tmp_path / "clean") == []


def _entry(cache: Path, key: str) -> Path:
    (found,) = cache.glob(f"pages/*/*/{key[:2]}/{key}")
    return found


def test_a_tampered_or_damaged_entry_is_rendered_again(tmp_path, monkeypatch, builds):
    """The cache is data: an entry changed under its MAC or damaged, and a kept page (the file linked
    into the site) replaced by other bytes, by a link to the right bytes, or gone, are each refused
    and the page rendered again — never published."""
    monkeypatch.setenv("CONGKHAI_WORKERS", "2")
    repo = copy_sources(tmp_path / "repo")
    _build(repo, tmp_path / "first")
    key = builds[-1].keys[PLAN_PAGE]
    entry = _entry(tmp_path / "cache", key)
    mac, head = entry.read_bytes().split(b"\n", 1)
    entry.write_bytes(mac + b"\n" + head.replace(b'"anchors":[', b'"anchors":["x",', 1))  # changed, old MAC
    others = iter(dict.fromkeys(k for k in builds[-1].keys.values() if k != key))
    damaged, replaced, linked, gone = (next(others) for _ in range(4))
    _entry(tmp_path / "cache", damaged).write_bytes(b"\x00broken")
    blob = _blob(tmp_path / "cache", replaced)
    html = blob.read_bytes()
    blob.unlink()  # a new file in its place (the published site's link keeps its bytes)
    blob.write_bytes(html.replace(b"<article", b"<article data-x='<script>alert(1)</script>'", 1))
    blob = _blob(tmp_path / "cache", linked)
    (tmp_path / "outside.html").write_bytes(blob.read_bytes())
    blob.unlink()
    blob.symlink_to(tmp_path / "outside.html")  # the right bytes, but through a link
    _blob(tmp_path / "cache", gone).unlink()
    _build(repo, tmp_path / "again")
    again = builds[-1]
    assert not {key, damaged, replaced, linked, gone} & {again.keys[p] for p in again.restored}
    assert PLAN_PAGE in again.rendered and len(again.rendered) == 5
    assert differences(tmp_path / "first", tmp_path / "again") == []


def _blob(cache: Path, key: str) -> Path:
    (found,) = cache.glob(f"pages/*/*/{key[:2]}/{key}.html")
    return found


def test_restored_pages_are_the_cache_files_linked_and_never_written_into(tmp_path, monkeypatch, builds):
    """A rebuild links each kept page into its site (a link is some 20 times cheaper than writing a
    file), so no build may write into a file of a site: the previous site and the cache share them."""
    monkeypatch.setenv("CONGKHAI_WORKERS", "2")
    repo = copy_sources(tmp_path / "repo")
    _build(repo, tmp_path / "first")
    first = {p: (tmp_path / "first" / p).read_bytes() for p in builds[-1].rendered}
    key = builds[-1].keys["directives/index.html"]
    assert (tmp_path / "first" / "directives/index.html").stat().st_ino == _blob(tmp_path / "cache", key).stat().st_ino
    _change_plan(repo)
    _build(repo, tmp_path / "again")
    again = builds[-1]
    assert "directives/index.html" in again.restored
    restored = tmp_path / "again" / "directives/index.html"
    assert restored.stat().st_ino == _blob(tmp_path / "cache", key).stat().st_ino
    assert restored.stat().st_nlink >= 3  # the cache's, the first site's, this site's
    # every page of the first site still holds what that build wrote
    assert {p: (tmp_path / "first" / p).read_bytes() for p in first} == first


def test_entries_signed_with_another_key_are_not_used(tmp_path, monkeypatch, builds):
    """A cache restored from elsewhere (CI) carries entries signed with a key this build does not hold."""
    monkeypatch.setenv("CONGKHAI_WORKERS", "2")
    repo = copy_sources(tmp_path / "repo")
    monkeypatch.setenv("CONGKHAI_CACHE_KEY", "khóa của người khác")
    _build(repo, tmp_path / "first")
    monkeypatch.setenv("CONGKHAI_CACHE_KEY", "khóa của kho này")
    _build(repo, tmp_path / "again")
    assert builds[-1].restored == set()
    assert differences(tmp_path / "first", tmp_path / "again") == []


def test_pages_are_restored_by_the_workers(tmp_path, monkeypatch, builds):
    """Writing tens of thousands of pages from the cache is the rebuild's MkDocs stage: it is shared
    between the worker processes, not done by the main one alone."""
    monkeypatch.setenv("CONGKHAI_WORKERS", "2")
    repo = copy_sources(tmp_path / "repo")
    _build(repo, tmp_path / "first")
    calls = tmp_path / "calls"
    real = mkbuild._restore_one

    def spy(*args: Any) -> Any:
        with calls.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")
        return real(*args)

    monkeypatch.setattr(mkbuild, "_restore_one", spy)
    _build(repo, tmp_path / "again")
    pids = calls.read_text(encoding="utf-8").split()
    assert len(pids) == len(builds[-1].restored) > 100
    assert str(os.getpid()) not in pids and len(set(pids)) == 2


def test_anchors_of_restored_pages_are_still_checked(tmp_path, monkeypatch, capsys, builds):
    """A page restored from the cache links to an anchor of a page that no longer has it: the build
    fails as a clean build would."""
    monkeypatch.setenv("CONGKHAI_WORKERS", "2")
    repo = copy_sources(tmp_path / "repo")
    notes = repo / "docs" / "directives"
    notes.mkdir(parents=True, exist_ok=True)
    (notes / "ghi-chu.md").write_text("# Ghi chú\n\n## Mục một {#muc-mot}\n\nNội dung.\n", encoding="utf-8")
    (notes / "xem-them.md").write_text("# Xem thêm\n\n[Mục một](ghi-chu.md#muc-mot)\n", encoding="utf-8")
    _build(repo, tmp_path / "first")
    linking = builds[-1].keys["directives/xem-them/index.html"]
    hits = tmp_path / "hits"  # written by whichever process restores the page (a worker)
    load = pagecache.PageCache.load

    def spy(self: pagecache.PageCache, key: str) -> Any:
        found = load(self, key)
        if found is not None:
            with hits.open("a", encoding="utf-8") as out:
                out.write(key + "\n")
        return found

    monkeypatch.setattr(pagecache.PageCache, "load", spy)
    (notes / "ghi-chu.md").write_text("# Ghi chú\n\n## Mục hai {#muc-hai}\n\nNội dung.\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["build", "--root", str(repo), "--out", str(tmp_path / "again")]) == 1
    assert "muc-mot" in capsys.readouterr().err
    assert linking in hits.read_text(encoding="utf-8").split()  # restored, and its link still checked


def test_the_base_hash_covers_the_configuration_its_variables_and_the_templates(tmp_path):
    repo = copy_sources(tmp_path / "repo")
    env = {"SOURCE_DATE_EPOCH": FIXED_EPOCH}
    before = pagecache.base_hash(repo, env)
    assert pagecache.base_hash(repo, {**env, "SITE_URL": "https://example.gov.vn/"}) != before
    assert pagecache.base_hash(repo, {**env, "SOURCE_DATE_EPOCH": "1"}) != before
    assert pagecache.base_hash(repo, {**env, "UNRELATED": "x"}) == before
    (repo / "overrides" / "partials").mkdir(exist_ok=True)
    (repo / "overrides" / "partials" / "new.html").write_text("<p></p>", encoding="utf-8")
    assert pagecache.base_hash(repo, env) != before


def test_an_entry_names_the_html_kept_as_its_bytes_in_a_file_of_its_own(tmp_path, monkeypatch):
    """Restoring a page is linking the file that holds its bytes (not a JSON string to unescape and
    encode again); the signed entry names it by digest, and line breaks in anchors are kept."""
    monkeypatch.setenv("CONGKHAI_CACHE", str(tmp_path / "cache"))
    cache = pagecache.open_cache(copy_sources(tmp_path / "repo"))
    assert cache is not None
    cache.bind(["0\tPage\tA\ta/"])
    html = "<html>\n<p>Kế hoạch “số 12”\n</p>\\n\n".encode()
    anchors = pagecache.Anchors(
        ["muc-mot", "dòng\nhai"], {"b.md": {"muc": "b.md#muc"}}, {"b.md": "b/", "c/index.md": None}
    )
    key = "ab" + "0" * 62
    site = tmp_path / "site.html"
    site.write_bytes(html)
    cache.save(key, html, anchors, site)
    assert cache.blob(key).read_bytes() == html and cache.blob(key).stat().st_ino == site.stat().st_ino
    digest, back = cache.load(key)
    assert back == anchors and digest == hashlib.sha256(html).hexdigest()
    assert digest.encode() in _entry(tmp_path / "cache", key).read_bytes()
    cache.save("cd" + "0" * 62, html, anchors)  # no file to link: the bytes written
    assert cache.blob("cd" + "0" * 62).read_bytes() == html
