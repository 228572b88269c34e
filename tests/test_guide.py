"""The staff guide (docs/huong-dan/) shows real things: every picture it references exists, has
Vietnamese alt text and stays small; every picture in its folder is used; and every make target,
repository path and page address it names exists."""

from __future__ import annotations

import re
from pathlib import Path

from congkhai.model import sitemap
from congkhai.model.sitemap import EDITOR_DIR

ROOT = Path(__file__).resolve().parent.parent
GUIDE_DIR = ROOT / "docs" / "huong-dan"
GUIDE = GUIDE_DIR / "index.md"
MAX_PICTURE = 150_000  # bytes: pictures are committed, the site stays light on a slow line

IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)")
CODE = re.compile(r"`([^`\n]+)`")
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s#]+)(#[^)]*)?\)")


def _text() -> str:
    return GUIDE.read_text(encoding="utf-8")


def test_every_picture_exists_is_small_and_has_vietnamese_alt_text():
    pictures = IMAGE.findall(_text())
    assert pictures, "the guide shows the form"
    for alt, src in pictures:
        path = GUIDE_DIR / src
        assert path.is_file(), src
        assert path.suffix == ".png" and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", src
        assert path.stat().st_size < MAX_PICTURE, f"{src}: {path.stat().st_size} bytes"
        assert len(alt.split()) >= 3, f"{src}: alt text must say what the picture shows"
        assert re.search("[àáảãạăâđèéẻẽẹêìíỉĩịòóỏõọôơùúủũụưỳýỷỹỵ]", alt.lower()), f"{src}: alt text in Vietnamese"


def test_every_picture_in_the_folder_is_used():
    used = {(GUIDE_DIR / src).resolve() for _, src in IMAGE.findall(_text())}
    on_disk = {p.resolve() for p in (GUIDE_DIR / "anh").glob("*")}
    assert on_disk <= used, f"pictures no page shows: {sorted(p.name for p in on_disk - used)}"


def _make_targets() -> set[str]:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][a-z0-9-]*):", makefile, re.M))


def test_make_targets_named_exist():
    named = set(re.findall(r"\bmake ([a-z][a-z0-9-]*)", _text()))
    assert named <= _make_targets(), sorted(named - _make_targets())


def test_repository_paths_named_exist():
    """A path in code marks (`data/units.csv`, `inbox/`, `.github/CODEOWNERS`) is in the repository;
    a path with a placeholder (`docs/plans/<tỉnh>/<mã>.md`) exists up to the placeholder."""
    checked = 0
    for code in CODE.findall(_text()):
        if " " in code or not re.match(r"^\.?[a-z_]+/", code) or code.startswith("/"):
            continue
        fixed = re.split(r"[<*]", code, maxsplit=1)[0].rsplit("/", 1)[0] if re.search(r"[<*]", code) else code
        assert (ROOT / fixed.rstrip("/")).exists(), code
        checked += 1
    assert checked >= 5


def test_page_addresses_named_exist():
    """Links to other pages resolve to a Markdown page, and the form's address is the site map's."""
    pages = {v for k, v in vars(sitemap).items() if k.isupper() and isinstance(v, str) and v.endswith(".md")}
    docs = (ROOT / "docs").resolve()
    for target, _ in LINK.findall(_text()):
        if target.startswith(("http://", "https://")):
            continue
        page = (GUIDE_DIR / target).resolve()
        rel = page.relative_to(docs).as_posix()
        assert page.is_file() or rel in pages, f"{target}: neither a file in docs/ nor a page of the site map"
    assert f"`/{EDITOR_DIR}/`" in _text()


def test_the_route_has_the_six_steps_in_order():
    steps = re.findall(r"^## Bước (\d)\. ", _text(), re.M)
    assert steps == ["1", "2", "3", "4", "5", "6"]
    text = _text()
    assert text.index("`/quan-tri/`") < text.index("## Bước 4.")  # the form before the check results
    # the pull-request comment (make ci-comment, commands/prcomment.py) is described by what it shows
    comment = text[text.index("{#ghi-chu}") : text.index("## Bước 5.")]
    for part in ("Kế hoạch thay đổi", "Cần sửa", "Xem trước", "cách sửa"):
        assert part in comment
    # and pictured (tests/browser/test_comment_shot.py makes the pictures from the real comment)
    assert "(anh/binh-luan-1366.png)" in comment and "(anh/binh-luan-390.png)" in comment
