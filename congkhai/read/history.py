"""What git knows about the plans: when each file first and last changed, the plans at a revision,
and every earlier version of each plan with its text.

Git is read through :mod:`.git`, with as few processes as possible: ONE ``git log`` of the plans
folder (:func:`read_history`) gives when each plan was added, when it last changed and every
version of it, and one ``git cat-file --batch`` gives many file texts, so thousands of plans stay
fast. Outside a git checkout nothing is known, and pages say so rather than inventing a date.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..model.errors import USAGE, CongkhaiError
from ..model.sitemap import version_file
from . import git
from .frontmatter import parse_source

PLANS = "docs/plans"
#: What the published data is made from: its newest commit dates the datasets.
SOURCE_PATHS = ("docs/plans", "data", "schemas")
_FORMAT = "--format=%x00%H%x00%cI%x00%s"  # one commit per line: sha, time, subject


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


def _is_plan(path: str, folder: str = PLANS) -> bool:
    return path.startswith(folder.rstrip("/") + "/") and path.endswith(".md") and path.rsplit("/", 1)[-1] != "index.md"


def resolve(root: Path, rev: str) -> str:
    """The commit sha of ``rev``; a usage :class:`CongkhaiError` if it is not a commit of ``root``."""
    if not rev or rev.startswith("-"):
        raise CongkhaiError(f"không có phiên bản git '{rev}'", f"unknown git revision '{rev}'", USAGE)
    try:
        sha = git.commit(root, rev)
    except git.Failed as exc:
        raise CongkhaiError(f"không chạy được git: {exc}", f"git cannot be run: {exc}", USAGE) from exc
    if sha is None:
        raise CongkhaiError(
            f"không có phiên bản git '{rev}' trong {root} (một nhánh, thẻ hay commit; "
            "hãy lấy về trước, ví dụ 'git fetch origin main')",
            f"unknown git revision '{rev}' in {root} (a branch, tag or commit; fetch it first, e.g. 'git fetch origin main')",
            USAGE,
        )
    return sha


def ids_at(root: Path, rev: str, folder: str = PLANS) -> dict[str, str]:
    """Plan id → repository path, for the plans at git revision ``rev`` (CongkhaiError if unknown).

    The id is the front matter's ``id``; a plan whose front matter did not parse there counts by
    its file name (the id must equal it).
    """
    sha = resolve(root, rev)
    proc = git.run(root, "ls-tree", "-r", "-z", "--name-only", sha, "--", folder)
    if proc.returncode != 0:
        detail = proc.stderr.decode(errors="replace").strip()
        raise CongkhaiError(f"không đọc được phiên bản {rev}: {detail}", f"git ls-tree {rev} failed: {detail}", USAGE)
    paths = sorted(p for p in proc.stdout.decode("utf-8").split(git.SEP) if p and _is_plan(p, folder))
    blobs = git.cat_files(root, [f"{sha}:{p}" for p in paths])
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


def _parse_log(stdout: bytes) -> Iterable[tuple[str, str, str, list[tuple[str, list[str]]]]]:
    """Commits of ``git log --format=%x00%H%x00%cI%x00%s --name-status``: sha, date, subject, changes."""
    sha = date = subject = ""
    changes: list[tuple[str, list[str]]] = []
    started = False
    for line in stdout.decode("utf-8", errors="replace").split("\n"):
        if line.startswith(git.SEP):
            if started:
                yield sha, date, subject, changes
            _, sha, date, subject = (line.split(git.SEP, 3) + ["", "", ""])[:4]
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
        proc = git.run(root, "log", "--follow", _FORMAT, "--name-status", "--", path)
    except git.Failed:
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


#: One commit of the log: sha, ISO 8601 commit time, subject, and its (status, names) changes.
Commit = tuple[str, str, str, list[tuple[str, list[str]]]]


@dataclass(frozen=True)
class History:
    """Every commit that touched the plans folder, newest first, read from one ``git log -M``.

    The dates and versions below are all derived from it, so the corpus reads git's history of the
    plans once however many pages use it. ``-M`` reports a rename as one ``R old new`` change;
    for the dates, the old name counts as deleted and the new one as added, as they would in a
    log without rename detection.
    """

    commits: tuple[Commit, ...] = ()

    @cached_property
    def last_changed(self) -> dict[str, str]:
        """Repository-relative path → ISO 8601 time of the newest commit touching it."""
        out: dict[str, str] = {}
        for _, date, _, changes in self.commits:
            for _, names in changes:
                for name in names:
                    out.setdefault(name, date)
        return out

    @cached_property
    def first_seen(self) -> dict[str, str]:
        """Repository-relative path → ISO 8601 time of the commit that added it (its first appearance)."""
        out: dict[str, str] = {}
        for _, date, _, changes in self.commits:  # newest first: the oldest addition is written last
            for status, names in changes:
                if names and status[:1] in ("A", "R"):
                    out[names[-1]] = date
        return out

    def versions(self, paths: Iterable[str]) -> dict[str, list[Version]]:
        """:func:`plan_versions` of every path (today's names), following renames back in time."""
        wanted = list(dict.fromkeys(paths))
        out: dict[str, list[Version]] = {p: [] for p in wanted}
        alias = {p: p for p in wanted}  # name in the commit being read (going back in time) → today's path
        for sha, date, subject, changes in self.commits:
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


def read_history(root: Path, folder: str = PLANS) -> History:
    """The history of ``folder`` from one ``git log``; empty outside a git checkout."""
    try:
        proc = git.run(root, "log", "-M", _FORMAT, "--name-status", "--", folder)
    except git.Failed:
        return History()
    if proc.returncode != 0:
        return History()
    return History(tuple(_parse_log(proc.stdout)))


def last_changed(root: Path, folder: str = PLANS) -> dict[str, str]:
    """Repository-relative path → ISO 8601 time of the newest commit touching it."""
    return read_history(root, folder).last_changed


def first_seen(root: Path, folder: str = PLANS) -> dict[str, str]:
    """Repository-relative path → ISO 8601 time of the commit that added it."""
    return read_history(root, folder).first_seen


def versions_for_all(root: Path, paths: Iterable[str], folder: str = PLANS) -> dict[str, list[Version]]:
    """:func:`plan_versions` of every path, from ONE ``git log`` of ``folder`` with rename detection."""
    return read_history(root, folder).versions(paths)


def sources_modified(root: Path) -> str | None:
    """When the sources last changed: the newest commit touching them, else SOURCE_DATE_EPOCH."""
    try:
        out = git.run(root, "log", "-1", "--format=%cI", "--", *SOURCE_PATHS, text=True, timeout=30).stdout.strip()
    except git.Failed:
        out = ""
    if out:
        return out
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).isoformat(timespec="seconds")
    return None


def version_text(root: Path, sha: str, path: str) -> str:
    """The plan file as it was at commit ``sha`` (``path`` as named in that commit); KeyError if absent."""
    spec = f"{sha}:{path}"
    raw = git.cat_files(root, [spec]).get(spec)
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
    blobs = git.cat_files(root, sorted(set(specs.values())))
    return {name: blobs[spec] for name, spec in sorted(specs.items()) if spec in blobs}


#: The tags of the dataset releases (``make release-assets``): ``du-lieu-YYYY-MM-DD`` (``.n`` for a
#: second release the same day).
RELEASE_TAGS = "du-lieu-*"
_RELEASE_DAY = re.compile(r"du-lieu-(\d{4}-\d{2}-\d{2})(?:\.\d+)?")


@dataclass(frozen=True)
class Release:
    """A published dataset release: its tag, the commit it was built from and the day it was made."""

    tag: str
    commit: str
    day: dt.date | None


def previous_release(root: Path) -> Release | None:
    """The newest release HEAD descends from, not counting a release made from HEAD itself (a
    rebuild of a released commit compares with the release before it); None without one or
    outside git. The same rule as ``make release-assets`` and ``make ci-site``."""
    try:
        head = git.commit(root, "HEAD")
        if head is None:
            return None
        for start in ("HEAD", "HEAD^"):
            proc = git.run(root, "describe", "--tags", "--abbrev=0", "--match", RELEASE_TAGS, start, text=True)
            tag = proc.stdout.strip() if proc.returncode == 0 else ""
            if not tag:
                return None
            found = git.commit(root, f"refs/tags/{tag}")
            if found is None:
                return None
            if found != head:
                m = _RELEASE_DAY.fullmatch(tag)
                return Release(tag, found, dt.date.fromisoformat(m.group(1)) if m else None)
    except (*git.Failed, ValueError):
        return None
    return None


def reference_modified(root: Path) -> str | None:
    """When the sources other than the plans last changed (the reference tables and the schemas:
    the names of bodies and provinces a feed shows); ``None`` without git history."""
    rest = [f":(exclude){PLANS}", *(p for p in SOURCE_PATHS if p != PLANS)]
    try:
        out = git.run(root, "log", "-1", "--format=%cI", "--", *rest, text=True, timeout=30).stdout.strip()
    except git.Failed:
        return None
    return out or None


def sources_modified_at(root: Path, commit: str) -> str | None:
    """When the sources last changed as of ``commit`` (the datasets' date of a past release)."""
    try:
        proc = git.run(root, "log", "-1", "--format=%cI", commit, "--", *SOURCE_PATHS, text=True, timeout=30)
    except git.Failed:
        return None
    return proc.stdout.strip() or None if proc.returncode == 0 else None
