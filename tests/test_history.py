import os
import subprocess

from congkhai.read.history import last_changed


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
