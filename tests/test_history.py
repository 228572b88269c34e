import os
import subprocess

import pytest

from congkhai.read.history import first_seen, last_changed, read_history, sources_modified


def _commit(repo, when, *files):
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    for name, text in files:
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True, env=env)
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"], cwd=repo, check=True, env=env
    )


def test_newest_commit_per_file(tmp_path):
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    _commit(tmp_path, "2024-01-02T03:04:05+00:00", ("docs/plans/a/x.md", "1"), ("docs/plans/a/y.md", "1"))
    _commit(tmp_path, "2024-02-03T04:05:06+00:00", ("docs/plans/a/x.md", "2"))
    assert last_changed(tmp_path) == {
        "docs/plans/a/x.md": "2024-02-03T04:05:06+00:00",
        "docs/plans/a/y.md": "2024-01-02T03:04:05+00:00",
    }


def test_outside_git_nothing_is_known(tmp_path):
    assert last_changed(tmp_path / "nowhere") == {}


def test_last_modified_comes_from_git(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    repo = tmp_path / "g"
    (repo / "data").mkdir(parents=True)
    (repo / "data" / "x.csv").write_text("a\n")
    env = {"GIT_AUTHOR_DATE": "2023-05-06T07:08:09+00:00", "GIT_COMMITTER_DATE": "2023-05-06T07:08:09+00:00"}

    def run(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env={**os.environ, **env})

    run("init", "-q")
    run("add", ".")
    run("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x")
    assert sources_modified(repo) == "2023-05-06T07:08:09+00:00"


def _git_dates(repo, *extra):
    """The dates as separate logs without rename detection give them (what one log replaced)."""
    out = subprocess.run(
        ["git", "log", *extra, "--format=%x00%cI", "--name-only", "--no-renames", "--", "docs/plans"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    dates, when = {}, ""
    for line in out.splitlines():
        if line.startswith("\x00"):
            when = line[1:]
        elif line and when:
            dates.setdefault(line, when)
    return dates


def test_one_log_gives_the_dates_of_separate_logs(tmp_path):
    """Added, changed, renamed (with and without edits), deleted and added again: the dates one
    ``git log -M`` gives are those of a log without rename detection, first and last."""
    repo = tmp_path
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    text = "---\nid: a\n---\n" + "dòng nội dung giống nhau\n" * 20
    _commit(repo, "2024-01-01T00:00:00+07:00", ("docs/plans/a.md", text), ("docs/plans/b.md", text + "b\n"))
    _commit(repo, "2024-02-01T00:00:00+07:00", ("docs/plans/a.md", text + "sửa\n"))
    (repo / "docs/plans/x").mkdir()
    subprocess.run(["git", "mv", "docs/plans/a.md", "docs/plans/x/a.md"], cwd=repo, check=True)
    _commit(repo, "2024-03-01T00:00:00+07:00")
    (repo / "docs/plans/b.md").unlink()
    _commit(repo, "2024-04-01T00:00:00+07:00", ("docs/plans/c.md", "khác hẳn\n"))
    _commit(repo, "2024-05-01T00:00:00+07:00", ("docs/plans/b.md", "lại có\n"))
    history = read_history(repo)
    assert history.last_changed == _git_dates(repo)
    assert history.first_seen == _git_dates(repo, "--reverse", "--diff-filter=A")
    assert history.first_seen["docs/plans/x/a.md"].startswith("2024-03-01")  # the rename added it here
    assert history.first_seen["docs/plans/b.md"].startswith("2024-01-01")  # the first addition
    assert first_seen(repo) == history.first_seen and last_changed(repo) == history.last_changed
    versions = history.versions(["docs/plans/x/a.md"])["docs/plans/x/a.md"]
    assert [v.path for v in versions] == ["docs/plans/x/a.md", "docs/plans/a.md", "docs/plans/a.md"]


@pytest.mark.parametrize("where", ["nowhere", "."])
def test_no_history_outside_git(tmp_path, where):
    history = read_history(tmp_path / where if where != "." else tmp_path)
    assert history.commits == () and history.first_seen == {} and history.versions(["x.md"]) == {"x.md": []}
