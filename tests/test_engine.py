"""The multi-core MkDocs build writes exactly what MkDocs writes, and fails where MkDocs fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from congkhai.cli import main
from congkhai.publish import engine as mkbuild
from tests.conftest import FIXED_EPOCH, copy_sources


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def forced(monkeypatch: pytest.MonkeyPatch) -> None:
    """Worker processes even for the five seed plans (the real threshold is for large sites)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    monkeypatch.setattr(mkbuild, "MIN_PAGES", 1)


def test_same_bytes_as_mkdocs_own_build(tmp_path, monkeypatch, forced):
    repo = copy_sources(tmp_path / "repo")
    monkeypatch.setenv("CONGKHAI_CACHE", "off")  # every page rendered (publish/pagecache.py)
    monkeypatch.setenv("CONGKHAI_WORKERS", "1")  # MkDocs' own build
    assert main(["build", "--root", str(repo), "--out", str(tmp_path / "stock")]) == 0
    monkeypatch.setenv("CONGKHAI_WORKERS", "3")  # three workers share the pages outside the navigation
    assert main(["build", "--root", str(repo), "--out", str(tmp_path / "forked")]) == 0
    stock, forked = _tree(tmp_path / "stock"), _tree(tmp_path / "forked")
    assert len(stock) > 100
    assert stock.keys() == forked.keys()
    assert [k for k in stock if stock[k] != forked[k]] == []


def test_a_static_file_where_a_workers_page_goes_is_written_over_as_by_mkdocs(tmp_path, monkeypatch, forced):
    """The static files are linked while the workers write their pages: one in the place of a page
    (``directives/ghi-chu/index.html`` beside ``directives/ghi-chu.md``) ends as MkDocs' own build
    leaves it — the page over the file — whichever process gets there first."""
    repo = copy_sources(tmp_path / "repo")
    _note(repo, "Nội dung.\n")
    (repo / "docs" / "directives" / "ghi-chu").mkdir()
    (repo / "docs" / "directives" / "ghi-chu" / "index.html").write_text("<p>tệp tĩnh</p>\n", encoding="utf-8")
    monkeypatch.setenv("CONGKHAI_CACHE", "off")
    monkeypatch.setenv("CONGKHAI_WORKERS", "1")
    assert main(["build", "--root", str(repo), "--out", str(tmp_path / "stock")]) == 0
    monkeypatch.setenv("CONGKHAI_WORKERS", "2")
    assert main(["build", "--root", str(repo), "--out", str(tmp_path / "forked")]) == 0
    stock, forked = _tree(tmp_path / "stock"), _tree(tmp_path / "forked")
    assert b"Ghi ch" in stock["directives/ghi-chu/index.html"]
    assert stock.keys() == forked.keys() and [k for k in stock if stock[k] != forked[k]] == []


def test_copy_static_leaves_out_the_places_of_pages_written_elsewhere(tmp_path):
    """Which process gets there first is not fixed, so the rule is tested on its own: a file in
    ``skip`` is not linked (MkDocs writes the page over it), the others are."""
    from types import SimpleNamespace

    staging, site = tmp_path / "staging", tmp_path / "site"
    staging.mkdir()

    def static(rel: str) -> SimpleNamespace:
        (staging / rel).parent.mkdir(parents=True, exist_ok=True)
        (staging / rel).write_text(rel, encoding="utf-8")
        return SimpleNamespace(
            is_documentation_page=lambda: False,
            inclusion=True,
            abs_src_path=str(staging / rel),
            abs_dest_path=str(site / rel),
            dest_uri=rel,
        )

    files = [static("a/index.html"), static("data/b.csv")]
    mkbuild.copy_static(files, bool, staging, skip=frozenset({"a/index.html"}))
    assert not (site / "a" / "index.html").exists()
    assert (site / "data" / "b.csv").stat().st_ino == (staging / "data" / "b.csv").stat().st_ino  # linked


def _note(repo: Path, body: str) -> None:
    """A hand-written page outside the navigation (``/directives/*.md``): a worker renders it."""
    (repo / "docs" / "directives").mkdir(parents=True, exist_ok=True)
    (repo / "docs" / "directives" / "ghi-chu.md").write_text(
        "---\ntitle: Ghi chú\n---\n\n# Ghi chú\n\n## Mục một {#muc-mot}\n\n" + body, encoding="utf-8"
    )


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_broken_link_on_a_page_a_worker_renders_fails_the_build(tmp_path, monkeypatch, capsys, forced, workers):
    monkeypatch.setenv("CONGKHAI_WORKERS", workers)
    repo = copy_sources(tmp_path / "repo")
    _note(repo, "Xem [trang không có](khong-co.md).\n")
    assert main(["build", "--root", str(repo)]) == 1
    assert "khong-co.md" in capsys.readouterr().err
    assert not (repo / "site").exists()


@pytest.mark.parametrize("workers", ["1", "2"])
def test_anchors_are_checked_across_pages_rendered_in_different_processes(
    tmp_path, monkeypatch, capsys, forced, workers
):
    monkeypatch.setenv("CONGKHAI_WORKERS", workers)
    repo = copy_sources(tmp_path / "repo")
    _note(repo, "Nội dung.\n")
    guide = repo / "docs" / "huong-dan" / "index.md"  # in the navigation: rendered by the parent
    text = guide.read_text(encoding="utf-8")
    guide.write_text(text + "\n[Mục một](../directives/ghi-chu.md#muc-mot)\n", encoding="utf-8")
    assert main(["build", "--root", str(repo)]) == 0, capsys.readouterr().err  # the anchor exists
    guide.write_text(text + "\n[Mục hai](../directives/ghi-chu.md#muc-hai)\n", encoding="utf-8")
    assert main(["build", "--root", str(repo)]) == 1
    assert "muc-hai" in capsys.readouterr().err


@pytest.mark.parametrize("workers", ["1", "2"])
def test_pages_rendered_here_are_let_go_once_written(tmp_path, monkeypatch, forced, workers):
    """Memory: MkDocs keeps every page's Markdown and HTML after writing it; the engine lets them
    go (the navigation's pages here, the rest in the workers or, on one core, here too), keeping
    what the other pages and the cross-page checks read: the titles, the anchors."""
    from mkdocs.structure import files as mkfiles

    monkeypatch.setenv("CONGKHAI_WORKERS", workers)
    monkeypatch.setenv("CONGKHAI_CACHE", str(tmp_path / "cache"))  # the engine, not MkDocs' own build
    seen = []
    real = mkfiles.get_files

    def spy(config):
        seen.append(real(config))
        return seen[-1]

    monkeypatch.setattr(mkfiles, "get_files", spy)
    repo = copy_sources(tmp_path / "repo")
    assert main(["build", "--root", str(repo)]) == 0
    (files,) = seen
    pages = [f.page for f in files.documentation_pages() if f.page is not None]
    built_here = [p for p in pages if p.content is not None]
    assert len(built_here) >= 10
    assert [p.file.src_uri for p in built_here if p.markdown or p.content or p.toc] == []
    assert all(p.title for p in built_here)  # the navigation still names them


def test_the_staging_folder_s_static_files_are_linked_into_the_site_and_the_theme_s_copied(tmp_path, monkeypatch):
    """The data files and originals MkDocs copies from the staging folder (never written into after
    the build: kept for the next one, ``publish/keptpages.py``) are hard links to the staged ones,
    not second copies; the theme's files, outside it, are copied (a link would tie the site to the
    installed package)."""
    from congkhai.publish import site as publish

    monkeypatch.setenv("CONGKHAI_CACHE", str(tmp_path / "cache"))  # the engine, not MkDocs' own build
    repo = copy_sources(tmp_path / "repo")
    later: list[Path] = []
    monkeypatch.setattr(publish, "remove_later", later.append)  # the staging folder kept to look at
    assert main(["build", "--root", str(repo)]) == 0
    staged, site = tmp_path / "cache" / "staged", repo / "site"
    data = [p for p in sorted((staged / "data").rglob("*")) if p.is_file() and p.suffix != ".md"]
    assert len(data) > 10
    for path in data:
        built = site / path.relative_to(staged)
        assert built.stat().st_ino == path.stat().st_ino, f"{built} is a copy"
    theme = [p for p in (site / "assets").rglob("*.js") if p.is_file()]
    assert theme and all(p.stat().st_nlink == 1 for p in theme)


def test_only_a_regular_file_inside_the_staging_folder_reached_through_no_link_is_linked(tmp_path):
    staging = tmp_path / "staging"
    (staging / "data").mkdir(parents=True)
    (staging / "data" / "a.csv").write_text("a")
    outside = tmp_path / "checkout.csv"
    outside.write_text("b")
    (staging / "data" / "link.csv").symlink_to(outside)
    (staging / "linked").symlink_to(tmp_path)
    inside = str(staging.resolve()) + "/"
    assert mkbuild._linkable(str(staging / "data" / "a.csv"), inside)
    assert not mkbuild._linkable(str(staging / "data" / "link.csv"), inside)
    assert not mkbuild._linkable(str(staging / "linked" / "checkout.csv"), inside)
    assert not mkbuild._linkable(str(outside), inside)
    folders: dict[str, bool] = {}  # what is found of a folder is remembered, per folder
    for _ in range(2):
        assert mkbuild._linkable(str(staging / "data" / "a.csv"), inside, folders)
        assert not mkbuild._linkable(str(staging / "data" / "link.csv"), inside, folders)
        assert not mkbuild._linkable(str(staging / "linked" / "checkout.csv"), inside, folders)
        assert not mkbuild._linkable(str(staging / "data"), inside, folders)
    target = tmp_path / "site.csv"
    target.write_text("an earlier file")
    mkbuild._link(str(staging / "data" / "a.csv"), str(target))  # a later file over it, as a copy would
    assert target.read_text() == "a" and target.stat().st_ino == (staging / "data" / "a.csv").stat().st_ino
