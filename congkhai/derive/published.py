"""Nothing published is ever lost: removed plans, and every earlier version of a plan, from git.

A plan leaves force only by ``status: withdrawn`` or ``superseded``; deleting its file or changing
its id (which is its permanent address) is reported against a published git revision. Each plan
page lists its versions, and each version's text is published as a file of its own.

Git is read with as few processes as possible (one ``git log`` for the history of every plan,
one ``git cat-file --batch`` for many file texts), so thousands of plans stay fast.
"""

from __future__ import annotations

import posixpath
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..model.findings import Finding
from ..model.sitemap import DATA_DIR, version_file
from ..read.frontmatter import parse_source
from ..render.markdown import esc
from ..vietnamese.text import date_vi

PLANS = "docs/plans"
CODE_REMOVED = "published-plan-removed"
_TIMEOUT = 300
_SEP = "\x00"
_FORMAT = "--format=%x00%H%x00%cI%x00%s"


@dataclass(frozen=True)
class Version:
    """One commit that touched a plan file: full sha, ISO 8601 commit time, subject line.

    ``path`` is the file's name in that commit (it differs from today's after a rename), so the
    text of the version is ``git show sha:path``.
    """

    sha: str
    date: str
    subject: str
    path: str = ""

    @property
    def short(self) -> str:
        return self.sha[:7]


def _git(root: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        ["git", "-c", "core.quotePath=false", *args],
        cwd=root,
        input=stdin,
        capture_output=True,
        timeout=_TIMEOUT,
        check=False,
    )


def _is_plan(path: str, folder: str = PLANS) -> bool:
    return path.startswith(folder.rstrip("/") + "/") and path.endswith(".md") and path.rsplit("/", 1)[-1] != "index.md"


def _cat_files(root: Path, specs: list[str]) -> dict[str, bytes]:
    """``rev:path`` → the blob's bytes, for all specs in one ``git cat-file --batch``; missing ones left out."""
    if not specs:
        return {}
    proc = _git(root, "cat-file", "--batch", stdin="".join(s + "\n" for s in specs).encode("utf-8"))
    if proc.returncode != 0:
        return {}
    out: dict[str, bytes] = {}
    data, pos = proc.stdout, 0
    for spec in specs:
        end = data.find(b"\n", pos)
        if end < 0:
            break
        line = data[pos:end]
        pos = end + 1
        if line.endswith((b" missing", b" ambiguous")):
            continue
        _, kind, size_text = line.rsplit(b" ", 2)
        size = int(size_text)
        if kind == b"blob":
            out[spec] = data[pos : pos + size]
        pos += size + 1  # the content is followed by a newline
    return out


def resolve(root: Path, rev: str) -> str:
    """The commit sha of ``rev``; ValueError if it is not a commit of the repository at ``root``."""
    if not rev or rev.startswith("-"):
        raise ValueError(f"không có phiên bản git '{rev}' / unknown git revision '{rev}'")
    try:
        proc = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    except (OSError, subprocess.SubprocessError) as exc:
        raise ValueError(f"không chạy được git / git cannot be run: {exc}") from exc
    if proc.returncode != 0:
        raise ValueError(
            f"không có phiên bản git '{rev}' trong {root} / unknown git revision '{rev}' in {root} "
            "(a branch, tag or commit; fetch it first, e.g. 'git fetch origin main')"
        )
    return proc.stdout.decode().strip()


def ids_at(root: Path, rev: str, folder: str = PLANS) -> dict[str, str]:
    """Plan id → repository path, for the plans at git revision ``rev`` (ValueError if unknown).

    The id is the front matter's ``id``; a plan whose front matter did not parse there counts by
    its file name (the id must equal it).
    """
    sha = resolve(root, rev)
    proc = _git(root, "ls-tree", "-r", "-z", "--name-only", sha, "--", folder)
    if proc.returncode != 0:
        raise ValueError(f"git ls-tree {rev} failed: {proc.stderr.decode(errors='replace').strip()}")
    paths = sorted(p for p in proc.stdout.decode("utf-8").split(_SEP) if p and _is_plan(p, folder))
    blobs = _cat_files(root, [f"{sha}:{p}" for p in paths])
    out: dict[str, str] = {}
    for path in paths:
        raw = blobs.get(f"{sha}:{path}")
        if raw is None:
            continue
        text = raw.decode("utf-8-sig", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
        data = parse_source(path, text).data or {}
        pid = data.get("id")
        if not isinstance(pid, str) or not pid.strip():
            pid = path.rsplit("/", 1)[-1][: -len(".md")]
        out.setdefault(pid.strip(), path)
    return out


def removed_plans(root: Path, base: str, current_ids: set[str]) -> list[Finding]:
    """One error per plan id published at ``base`` that no plan has now (deleted or renamed).

    A withdrawn or superseded plan keeps its file and id, so it is not reported. Unknown ``base``
    raises ValueError.
    """
    published = ids_at(root, base)
    return [
        Finding(path, 0, 0, "id", CODE_REMOVED, {"id": pid, "path": path, "base": base})
        for pid, path in sorted(published.items(), key=lambda item: (item[1], item[0]))
        if pid not in current_ids
    ]


def _parse_log(stdout: bytes) -> Iterable[tuple[str, str, str, list[tuple[str, list[str]]]]]:
    """Commits of ``git log --format=%x00%H%x00%cI%x00%s --name-status``: sha, date, subject, changes."""
    sha = date = subject = ""
    changes: list[tuple[str, list[str]]] = []
    started = False
    for line in stdout.decode("utf-8", errors="replace").split("\n"):
        if line.startswith(_SEP):
            if started:
                yield sha, date, subject, changes
            _, sha, date, subject = (line.split(_SEP, 3) + ["", "", ""])[:4]
            changes, started = [], True
        elif line and started:
            status, *names = line.split("\t")
            changes.append((status, names))
    if started:
        yield sha, date, subject, changes


def plan_versions(root: Path, path: str) -> list[Version]:
    """Every commit that changed the plan file at ``path``, newest first, following renames.

    Commits that deleted the file are left out (there is no text to show); outside a git
    checkout the list is empty.
    """
    try:
        proc = _git(root, "log", "--follow", _FORMAT, "--name-status", "--", path)
    except (OSError, subprocess.SubprocessError):
        return []
    if proc.returncode != 0:
        return []
    out: list[Version] = []
    for sha, date, subject, changes in _parse_log(proc.stdout):
        for status, names in changes:
            if names and not status.startswith("D"):
                out.append(Version(sha, date, subject, names[-1]))
                break
    return out


def versions_for_all(root: Path, paths: Iterable[str], folder: str = PLANS) -> dict[str, list[Version]]:
    """:func:`plan_versions` of every path, from ONE ``git log`` of ``folder`` with rename detection."""
    wanted = list(dict.fromkeys(paths))
    out: dict[str, list[Version]] = {p: [] for p in wanted}
    try:
        proc = _git(root, "log", "-M", _FORMAT, "--name-status", "--", folder)
    except (OSError, subprocess.SubprocessError):
        return out
    if proc.returncode != 0:
        return out
    alias = {p: p for p in wanted}  # name in the commit being read (going back in time) → today's path
    for sha, date, subject, changes in _parse_log(proc.stdout):
        renames: list[tuple[str, str]] = []
        for status, names in changes:
            if not names:
                continue
            name = names[-1]
            target = alias.get(name)
            if target is None:
                continue
            if not status.startswith("D"):
                out[target].append(Version(sha, date, subject, name))
            if status.startswith("R") and len(names) == 2:
                renames.append((names[0], name))
        for old, new in renames:  # older commits know the file by its old name
            alias[old] = alias.pop(new)
    return out


def version_text(root: Path, sha: str, path: str) -> str:
    """The plan file as it was at commit ``sha`` (``path`` as named in that commit); KeyError if absent."""
    spec = f"{sha}:{path}"
    raw = _cat_files(root, [spec]).get(spec)
    if raw is None:
        raise KeyError(spec)
    return raw.decode("utf-8-sig", errors="replace")


def version_files(
    root: Path, versions_by_path: Mapping[str, list[Version]], ids_by_path: Mapping[str, str]
) -> dict[str, bytes]:
    """``ke-hoach/<id>/phien-ban/<sha7>.txt`` (relative to ``data/``) → that version's text, as committed."""
    specs: dict[str, str] = {}
    for path, versions in versions_by_path.items():
        pid = ids_by_path.get(path)
        if not pid:
            continue
        for v in versions:
            specs.setdefault(version_file(pid, v.short), f"{v.sha}:{v.path or path}")
    blobs = _cat_files(root, sorted(set(specs.values())))
    return {name: blobs[spec] for name, spec in sorted(specs.items()) if spec in blobs}


def history_section(here: str, plan_id: str, versions: list[Version]) -> str:
    """Vietnamese Markdown "Lịch sử thay đổi" for the plan page ``here`` (a path of the page set).

    Every version of the plan file, from git, newest first, each linked to its text as it was
    (nothing is lost); commit subjects are escaped like every other value.
    """
    lines = [f"## Lịch sử thay đổi ({len(versions)})", ""]
    if not versions:
        lines.append("Chưa có lịch sử thay đổi (trang này không được dựng từ kho git).")
        return "\n".join(lines) + "\n"
    lines += [
        "Mỗi phiên bản là văn bản gốc đúng như đã công bố (tệp văn bản thuần).",
        "",
        "| Ngày | Nội dung thay đổi | Văn bản |",
        "|---|---|---|",
    ]
    for v in versions:
        target = posixpath.relpath(f"{DATA_DIR}/{version_file(plan_id, v.short)}", posixpath.dirname(here))
        lines.append(f"| {date_vi(v.date[:10])} | {esc(v.subject) or 'Không ghi'} | [Xem bản `{v.short}`]({target}) |")
    return "\n".join(lines) + "\n"
