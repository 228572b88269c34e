"""Determinism: two builds of the same generated corpus give byte-identical datasets and pages (the
build timestamps declared in ``congkhai/publish/reproducible.py``, the sitemap's ``lastmod``, now
come from git, so none is left to mask).

Each pair of builds differs in everything that must not matter: the absolute path of the
repository (one has a space and Vietnamese letters in it), the working directory, ``TZ``, the
locale, ``PYTHONHASHSEED`` (set iteration order) and the wall clock (the second build runs with
``time.time``, ``date.today`` and ``datetime.now`` moved 400 days and 5 hours ahead). Both get the same declared
inputs: the sources, ``--today`` and ``SITE_URL`` (so the sitemap lists every page).

* In a git checkout (two commits, so plan pages carry their version history) the datasets' "last
  changed" time comes from git, and so do the sitemap's dates: every file is compared with no
  mask at all, though the shifted clock reaches MkDocs.
* Outside git, with the same ``SOURCE_DATE_EPOCH``, every byte of every file must match: no mask.

Builds run in subprocesses (a hash seed is fixed at interpreter start). The plan count is
``DETERMINISM_PLANS`` (default 24: the four builds take 30–40 s). The 1k check, four builds of
1,000 plans (about 10 minutes; 5 for one of the two pairs, e.g. ``-k git_builds``)::

    DETERMINISM_PLANS=1000 .venv/bin/pytest tests/test_determinism.py -q
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from congkhai.publish.reproducible import BUILD_TIMESTAMPS, GZIPPED, PLACEHOLDER, differences, masked
from devtools.corpus import generate

ROOT = Path(__file__).resolve().parent.parent
N = int(os.environ.get("DETERMINISM_PLANS", "24"))
SEED = 11
TODAY = "2025-09-15"  # after every generated issue date (the latest is June 2025), before some deadlines
SITE_URL = "https://example.gov.vn/cong-khai/"
EPOCH = "1732233600"  # 2024-11-22T00:00:00Z
SHIFT = 400 * 86400 + 5 * 3600  # seconds the second build's clock runs ahead

# Runs the CLI; with a shift, every clock Python offers reads SHIFT seconds ahead first.
BOOT = """
import sys
shift = int(sys.argv.pop(1))
if shift:
    import datetime as dt, time
    real, real_ns = time.time, time.time_ns
    time.time = lambda: real() + shift
    time.time_ns = lambda: real_ns() + shift * 10**9

    class Date(dt.date):
        @classmethod
        def today(cls):
            return cls.fromtimestamp(time.time())

    class DateTime(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return cls.fromtimestamp(time.time(), tz)

        @classmethod
        def utcnow(cls):
            return cls.utcfromtimestamp(time.time())

        @classmethod
        def today(cls):
            return cls.fromtimestamp(time.time())

    dt.date, dt.datetime = Date, DateTime
from congkhai.cli import main
sys.exit(main(sys.argv[1:]))
"""

# The environment of each build of a pair; nothing here may change a byte of the output.
ENVIRONMENTS = (
    {"TZ": "UTC", "PYTHONHASHSEED": "1", "LC_ALL": "C.UTF-8"},
    {"TZ": "Asia/Ho_Chi_Minh", "PYTHONHASHSEED": "4242", "LC_ALL": "C"},
)
GIT = {
    "GIT_AUTHOR_NAME": "Văn thư",
    "GIT_AUTHOR_EMAIL": "vanthu@example.gov.vn",
    "GIT_COMMITTER_NAME": "Văn thư",
    "GIT_COMMITTER_EMAIL": "vanthu@example.gov.vn",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def _clean_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SOURCE_DATE_EPOCH", "SITE_URL", "TZ", "PYTHONHASHSEED", "LANG", "LC_ALL", "PYTHONPATH"}
    }
    return {**env, "PYTHONPATH": str(ROOT), **extra}


def _git(repo: Path, when: str, *args: str) -> None:
    env = _clean_env(**GIT, GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def _corpus(repo: Path, *, git: bool) -> Path:
    generate(repo, N, seed=SEED)
    if git:
        _git(repo, "2024-05-01T10:00:00+07:00", "init", "-q", "-b", "main")
        _git(repo, "2024-05-01T10:00:00+07:00", "add", "-A")
        _git(repo, "2024-05-01T10:00:00+07:00", "commit", "-q", "-m", "Đăng tải các kế hoạch")
        plan = sorted((repo / "docs" / "plans").rglob("*.md"))[N // 2]
        plan.write_text(plan.read_text(encoding="utf-8") + "\nĐã sửa lỗi chính tả.\n", encoding="utf-8")
        _git(repo, "2024-06-02T09:30:00+07:00", "commit", "-q", "-a", "-m", "Sửa lỗi chính tả")
    return repo


def _build(repo: Path, cwd: Path, env: dict[str, str], shift: int) -> Path:
    out = subprocess.run(
        [sys.executable, "-c", BOOT, str(shift), "build", "--root", str(repo), "--today", TODAY],
        cwd=cwd,
        env=_clean_env(SITE_URL=SITE_URL, **env),
        capture_output=True,
        text=True,
        timeout=3600,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    return repo / "site"


def _pair(tmp_path: Path, *, git: bool, epoch: str | None) -> tuple[Path, Path]:
    """The same corpus built twice, in two folders, in the two environments of ENVIRONMENTS."""
    a = _corpus(tmp_path / "a" / "repo", git=git)
    b = _corpus(tmp_path / "b" / "kho công khai" / "nested", git=git)
    stamp = {"SOURCE_DATE_EPOCH": epoch} if epoch else {}
    (tmp_path / "elsewhere").mkdir()
    site_a = _build(a, a, {**ENVIRONMENTS[0], **stamp}, 0)
    site_b = _build(b, tmp_path / "elsewhere", {**ENVIRONMENTS[1], **stamp}, SHIFT)
    return site_a, site_b


def _datasets(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in (site / "data").rglob("*") if p.is_file())


def test_git_builds_differ_only_in_declared_build_timestamps(tmp_path: Path) -> None:
    site_a, site_b = _pair(tmp_path, git=True, epoch=None)
    # the datasets, with no mask at all
    data = _datasets(site_a)
    assert data == _datasets(site_b)
    assert {"data/plans.csv", "data/tasks.csv", "data/datapackage.json", "data/cong-khai.json"} <= set(data)
    assert any("/phien-ban/" in rel for rel in data), "no plan version history: the git path is not exercised"
    assert [rel for rel in data if (site_a / rel).read_bytes() != (site_b / rel).read_bytes()] == []
    assert not any(rel.startswith("data/") for rel in (*BUILD_TIMESTAMPS, *GZIPPED))
    # every page and file, with only the declared build timestamps masked
    assert differences(site_a, site_b) == []
    # and, since the site map's dates come from git (publish/site.py date_sitemap), not the clock,
    # nothing differs at all even with the clocks 400 days apart
    assert differences(site_a, site_b, mask=False) == []
    assert b"<lastmod>" in (site_a / "sitemap.xml").read_bytes()
    assert PLACEHOLDER in masked("sitemap.xml", (site_a / "sitemap.xml").read_bytes())


def test_builds_with_source_date_epoch_are_byte_identical(tmp_path: Path) -> None:
    site_a, site_b = _pair(tmp_path, git=False, epoch=EPOCH)
    assert b'"modified": "2024-11-22T00:00:00+00:00"' in (site_a / "data" / "datapackage.json").read_bytes()
    assert b"<lastmod>2024-11-22</lastmod>" in (site_a / "sitemap.xml").read_bytes()
    assert differences(site_a, site_b, mask=False) == []
    # the search index is compared too, with its filters by kind and by province
    meta = json.loads((site_a / "pagefind" / "meta.json").read_bytes())
    assert set(meta["filters"]) == {"loai", "tinh"} and len(meta["filters"]["tinh"]) >= 2
    assert list((site_a / "pagefind" / "post").glob("*.ckp"))


# The comparison itself can fail: any undeclared byte, file or timestamp elsewhere is reported.

SITEMAP = b"<urlset>\n<url><loc>https://x/</loc><lastmod>%s</lastmod></url>\n</urlset>\n"


def _site(root: Path, files: dict[str, bytes]) -> Path:
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return root


def _gz(text: bytes, mtime: int) -> bytes:
    return gzip.compress(text, mtime=mtime)


BASE = {
    "index.html": b"<html>Trang ch\xe1\xbb\xa7</html>",
    "data/plans.csv": b"id,title\r\nx,K\xe1\xba\xbf ho\xe1\xba\xa1ch\r\n",
    "feed.xml": b"<updated>2025-01-01</updated><lastmod>2025-01-01</lastmod>",
    "sitemap.xml": SITEMAP % b"2025-01-01",
    "sitemap.xml.gz": _gz(SITEMAP % b"2025-01-01", 1735689600),
}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({}, []),
        ({"sitemap.xml": SITEMAP % b"2026-02-03"}, []),
        ({"sitemap.xml.gz": _gz(SITEMAP % b"2026-02-03", 1770076800)}, []),
        ({"sitemap.xml": SITEMAP % b"2026-02-3"}, ["differs: sitemap.xml"]),
        ({"sitemap.xml": (SITEMAP % b"2025-01-01").replace(b"https://x/", b"https://y/")}, ["differs: sitemap.xml"]),
        ({"sitemap.xml.gz": _gz(SITEMAP % b"2025-01-01" + b" ", 1735689600)}, ["differs: sitemap.xml.gz"]),
        ({"sitemap.xml.gz": SITEMAP % b"2025-01-01"}, ["differs: sitemap.xml.gz"]),
        ({"feed.xml": b"<updated>2025-01-01</updated><lastmod>2026-02-03</lastmod>"}, ["differs: feed.xml"]),
        ({"data/plans.csv": BASE["data/plans.csv"].replace(b"x", b"y")}, ["differs: data/plans.csv"]),
        ({"index.html": BASE["index.html"] + b"\n"}, ["differs: index.html"]),
        ({"extra.txt": b""}, ["only in b: extra.txt"]),
    ],
)
def test_only_declared_timestamps_are_masked(tmp_path: Path, change: dict[str, bytes], expected: list[str]) -> None:
    a = _site(tmp_path / "a", BASE)
    b = _site(tmp_path / "b", {**BASE, **change})
    assert differences(a, b) == expected
    assert differences(a, b, mask=False) == [f"differs: {rel}" for rel in sorted(change) if rel in BASE] + (
        ["only in b: extra.txt"] if "extra.txt" in change else []
    )
    shutil.rmtree(b / "data")
    assert "only in a: data/plans.csv" in differences(a, b)
