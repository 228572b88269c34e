"""The pull-request steps of CI (`make ci-validate`, `make ci-summary`) on a scratch git repository:
a good change passes with a correct summary, a broken change fails with annotations on its lines.

The scratch repository is a copy of this checkout's sources (not a clone, so uncommitted work is
tested too) with two branches; `make` runs with this test run's Python instead of a new venv.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLAN = "docs/plans/lang-son/lang-son-cao-loc-2024-kh-ubnd.md"
COPY = [
    "congkhai",
    "schemas",
    "docs",
    "data",
    "overrides",
    "build_site.py",
    "mkdocs.yml",
    "Makefile",
    "requirements.txt",
]


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": "2024-11-22T00:00:00+00:00",
        "GIT_COMMITTER_DATE": "2024-11-22T00:00:00+00:00",
    }
    proc = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in COPY:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, repo / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, repo / name)
    (repo / ".stamp").touch()  # newer than requirements.txt: make must not set up a venv
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    git(repo, "checkout", "-q", "-b", "change")
    return repo


def make(repo: Path, target: str, summary: Path, *variables: str) -> subprocess.CompletedProcess[str]:
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "GITHUB_STEP_SUMMARY": str(summary)}
    return subprocess.run(
        ["make", "-s", target, "BASE=main", f"BIN={bin_dir}", "STAMP=.stamp", *variables],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_good_change_passes_with_a_correct_summary(scratch: Path, tmp_path: Path) -> None:
    plan = scratch / PLAN
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("deadline: null", 'deadline: "Quý II/2024"', 1), encoding="utf-8")
    git(scratch, "commit", "-qam", "set a deadline")
    summary = tmp_path / "summary.md"
    validated = make(scratch, "ci-validate", summary)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert "::error" not in validated.stdout
    assert PLAN in summary.read_text(encoding="utf-8")  # only the changed plan was checked
    summarised = make(scratch, "ci-summary", summary)
    assert summarised.returncode == 0, summarised.stderr
    report = summary.read_text(encoding="utf-8")
    assert "lang-son-cao-loc-2024-kh-ubnd" in report
    assert "deadline" in report and "Quý II/2024" in report
    assert "0 kế hoạch thêm mới, 1 kế hoạch thay đổi, 0 kế hoạch bị xóa." in report


def test_a_broken_change_fails_with_annotations_on_its_lines(scratch: Path, tmp_path: Path) -> None:
    plan = scratch / PLAN
    lines = plan.read_text(encoding="utf-8").splitlines(keepends=True)
    status = next(i for i, line in enumerate(lines) if line.startswith("status:"))
    title = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    lines[status] = "status: dang_thuc_hien\n"
    lines[title] = "titel:" + lines[title][len("title:") :]
    plan.write_text("".join(lines), encoding="utf-8")
    git(scratch, "commit", "-qam", "break it")
    summary = tmp_path / "summary.md"
    result = make(scratch, "ci-validate", summary)
    assert result.returncode != 0
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    assert f"::error file={PLAN},line={status + 1}," in "\n".join(annotations)
    assert f"::error file={PLAN},line={title + 1}," in "\n".join(annotations)
    assert "vocabulary-error" in summary.read_text(encoding="utf-8")
    assert "unknown-key" in summary.read_text(encoding="utf-8")


def test_deleting_a_published_plan_fails(scratch: Path, tmp_path: Path) -> None:
    git(scratch, "rm", "-q", PLAN)
    git(scratch, "commit", "-qm", "delete a plan")
    summary = tmp_path / "summary.md"
    result = make(scratch, "ci-validate", summary)
    assert result.returncode != 0
    assert f"::error file={PLAN}," in result.stdout and "published-plan-removed" in result.stdout
    assert "published-plan-removed" in summary.read_text(encoding="utf-8")


OTHER = "docs/plans/bac-giang/" + next(
    p.name for p in sorted((ROOT / "docs/plans/bac-giang").glob("*.md")) if p.name != "index.md"
)
# Names that split into options when expanded unquoted: `--root` points the check at a folder
# with no plans, `--since=HEAD` compares with the branch itself; a name starting with `-`.
HOSTILE = [
    "docs/plans/x --root fake.d/index.md",
    "docs/plans/y --since=HEAD z.md",
    "docs/plans/-w.md",
]


def add_hostile_files(repo: Path) -> None:
    (repo / "fake.d").mkdir()
    (repo / "fake.d" / "index.md").write_text("---\nid: fake\n---\n", encoding="utf-8")
    for name in HOSTILE:
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text("---\ntitle: x\n---\n", encoding="utf-8")
    git(repo, "add", "-A")


def test_hostile_file_names_do_not_hide_a_deleted_published_plan(scratch: Path, tmp_path: Path) -> None:
    add_hostile_files(scratch)
    git(scratch, "rm", "-q", PLAN)
    git(scratch, "commit", "-qm", "hostile names and a deleted plan")
    summary = tmp_path / "summary.md"
    result = make(scratch, "ci-validate", summary)
    assert result.returncode != 0
    assert f"::error file={PLAN}," in result.stdout and "published-plan-removed" in result.stdout
    assert "published-plan-removed" in summary.read_text(encoding="utf-8")


def test_a_deleted_plan_is_reported_when_other_plans_changed(scratch: Path, tmp_path: Path) -> None:
    other = scratch / OTHER
    other.write_text(other.read_text(encoding="utf-8") + "\nThêm một dòng.\n", encoding="utf-8")
    git(scratch, "rm", "-q", PLAN)
    git(scratch, "commit", "-qam", "change one plan, delete another")
    result = make(scratch, "ci-validate", tmp_path / "summary.md")
    assert result.returncode != 0
    assert f"::error file={PLAN}," in result.stdout and "published-plan-removed" in result.stdout


def test_hostile_file_names_are_checked_as_files(scratch: Path, tmp_path: Path) -> None:
    add_hostile_files(scratch)
    git(scratch, "commit", "-qm", "hostile names")
    summary = tmp_path / "summary.md"
    result = make(scratch, "ci-validate", summary)
    assert result.returncode != 0, result.stdout + result.stderr
    annotated = {
        line.split("file=", 1)[1].split(",", 1)[0] for line in result.stdout.splitlines() if line.startswith("::error ")
    }
    assert annotated >= set(HOSTILE), annotated  # their own findings, under their true names
    assert "fake.d" not in "".join(a for a in annotated if a not in HOSTILE)


def test_a_plan_value_cannot_close_the_summary_fence(scratch: Path, tmp_path: Path) -> None:
    from markdown_it import MarkdownIt

    plan = scratch / PLAN
    hostile = 'status: "x\\n```\\n````\\n## Đã duyệt\\n"\n'
    plan.write_text(plan.read_text(encoding="utf-8").replace("status: draft\n", hostile, 1), encoding="utf-8")
    git(scratch, "commit", "-qam", "a value with fences")
    summary = tmp_path / "summary.md"
    result = make(scratch, "ci-validate", summary)
    assert result.returncode != 0
    tokens = MarkdownIt("commonmark").parse(summary.read_text(encoding="utf-8"))
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings == ["Kết quả kiểm tra"]
    report = next(t.content for t in tokens if t.type == "fence" and "vocabulary-error" in t.content)
    assert "x\\x0a```\\x0a````\\x0a## Đã duyệt" in report and "lỗi" in report.splitlines()[-1]


def test_the_deploy_build_refuses_a_deleted_published_plan(scratch: Path, tmp_path: Path) -> None:
    git(scratch, "tag", "du-lieu-2024-11-22", "main")
    git(scratch, "rm", "-q", PLAN)
    git(scratch, "commit", "-qm", "delete a plan on the way to main")
    for target, *variables in (["ci-site"], ["site", "SINCE=main"]):
        result = make(scratch, target, tmp_path / "summary.md", *variables, "SITE_URL=https://example.gov.vn/")
        assert result.returncode != 0, target
        assert f"{PLAN}: lỗi published-plan-removed" in result.stdout, target
        assert not (scratch / "site").exists(), target
        assert target != "ci-site" or "du-lieu-2024-11-22" in result.stdout  # the last release


def import_commit(repo: Path, tmp_path: Path, drafts: list[str], files: dict[str, str]) -> Path:
    """The layout of the import workflow's commit job: the base branch's code in ``repo``, the
    pull request's branch (pushed to the bare ``remote.git``) checked out in ``repo/pr``, the
    drafts artifact in ``repo/build/import``; returns the PR checkout."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    (repo / "inbox").mkdir(exist_ok=True)
    (repo / "inbox" / "ke-hoach.docx").write_bytes(b"docx")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "a plan in inbox/")
    git(repo, "push", "-q", str(remote), "change")
    git(tmp_path, "clone", "-q", "-b", "change", str(remote), str(repo / "pr"))
    (repo / "inbox" / "ke-hoach.docx").unlink()  # the base branch's own tree has no upload
    artifact = repo / "build" / "import"
    for path, text in files.items():
        (artifact / "files" / path).parent.mkdir(parents=True, exist_ok=True)
        (artifact / "files" / path).write_text(text, encoding="utf-8")
    (artifact / "drafts.txt").write_bytes(b"".join(p.encode() + b"\0" for p in drafts))
    (artifact / "imported.txt").write_bytes(b"inbox/ke-hoach.docx\0docs/plans/lang-son\0")
    return repo / "pr"


def run_make(repo: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "HEAD_REF": "change",
        "PUSH_TOKEN": "not-a-real-token",
        "REPOSITORY": "remote",
        "GITHUB_SERVER_URL": f"file://{tmp_path}",
        "GIT_AUTHOR_DATE": "2024-11-22T00:00:00+00:00",
        "GIT_COMMITTER_DATE": "2024-11-22T00:00:00+00:00",
    }
    bin_dir = str(Path(sys.executable).parent)  # the base branch's venv (the job runs `make setup`)
    return subprocess.run(
        ["make", "-s", *args, f"BIN={bin_dir}", "STAMP=.stamp"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_import_commit_writes_drafts_to_the_pull_request_branch(scratch: Path, tmp_path: Path) -> None:
    draft = "docs/plans/lang-son/ke-hoach-moi.md"
    odd = "docs/plans/lang-son/-x\n$(touch pwned) `y` 'z'.md"  # a name, not a command or an option
    pr = import_commit(scratch, tmp_path, [draft, odd], {draft: "---\nid: ke-hoach-moi\n---\n", odd: "x\n"})
    committed = run_make(scratch, tmp_path, "ci-import-commit", "IMPORT_PR=pr")
    assert committed.returncode == 0, committed.stdout + committed.stderr
    pushed = run_make(scratch, tmp_path, "ci-import-push", "IMPORT_PR=pr")
    assert pushed.returncode == 0, pushed.stdout + pushed.stderr
    tree = git(tmp_path / "remote.git", "ls-tree", "-r", "-z", "--name-only", "change").split("\0")
    assert draft in tree and odd in tree and not list(tmp_path.rglob("pwned"))
    assert "docs/plans/lang-son/ke-hoach.docx" in tree and "inbox/ke-hoach.docx" not in tree
    assert "extraheader" not in (pr / ".git" / "config").read_text(encoding="utf-8")  # the token was not kept


@pytest.mark.parametrize(
    "entry",
    ["docs/plans/../../evil.md", "docs/plans/link/evil.md", "data/hooks/pre-commit", "Makefile", ".git/hooks/x.md"],
)
def test_the_import_commit_writes_nothing_outside_plans_and_data(scratch: Path, tmp_path: Path, entry: str) -> None:
    pr = import_commit(scratch, tmp_path, [entry], {entry.replace("../", ""): "#!/bin/sh\ntouch pwned\n"})
    (pr / "docs" / "plans" / "link").symlink_to(tmp_path)  # links in the PR's own tree
    (pr / "data" / "hooks").symlink_to(pr / ".git" / "hooks")
    before = git(pr, "rev-parse", "HEAD")
    result = run_make(scratch, tmp_path, "ci-import-commit", "IMPORT_PR=pr")
    assert result.returncode != 0
    assert "::error title=import::" in result.stdout
    assert git(pr, "rev-parse", "HEAD") == before
    assert not (tmp_path / "evil.md").exists() and not (pr / ".git" / "hooks" / "pre-commit").exists()
    assert not list(tmp_path.rglob("pwned"))


def test_the_import_summary_quotes_names_and_drafts_in_fences_they_cannot_close(scratch: Path, tmp_path: Path) -> None:
    from markdown_it import MarkdownIt

    (scratch / "inbox").mkdir(exist_ok=True)
    upload = scratch / "inbox" / "-k ``` \x1b[31m.md"
    upload.write_text("KẾ HOẠCH\n\n````\n\n## Đã duyệt\n\nNội dung.\n", encoding="utf-8")
    summary = tmp_path / "summary.md"
    result = make(scratch, "ci-import", summary, "PUSH=1")
    text = summary.read_text(encoding="utf-8")
    assert "\x1b" not in text and "\x1b" not in result.stdout
    tokens = MarkdownIt("commonmark").parse(text)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert "Đã duyệt" not in headings, headings
    assert any("inbox/-k ``` \\x1b[31m.md" in h for h in headings), headings


# --- The merge gate (make ci-review-markers) and the pull request's comment (make ci-comment) ---


def _edit(repo: Path, path: str, old: str, new: str) -> None:
    plan = repo / path
    text = plan.read_text(encoding="utf-8")
    assert old in text, old
    plan.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(repo: Path, path: str, needle: str) -> int:
    lines = (repo / path).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def test_the_merge_gate_refuses_a_draft_still_carrying_the_importer_marker(scratch: Path, tmp_path: Path) -> None:
    _edit(scratch, PLAN, "---\n", "---\n# CẦN KIỂM TRA — bản nháp do công cụ nhập tạo; sửa các mục sau:\n")
    _edit(scratch, PLAN, "notes: |-\n", "notes: |-\n  Bản nháp do công cụ nhập (build_site.py import) tạo từ x.docx.\n")
    git(scratch, "commit", "-qam", "an imported draft")
    summary = tmp_path / "summary.md"
    result = make(scratch, "ci-review-markers", summary)
    assert result.returncode != 0, result.stdout + result.stderr
    annotations = "\n".join(line for line in result.stdout.splitlines() if line.startswith("::error "))
    assert f"::error file={PLAN},line=2,col=3,title=review-marker::" in annotations
    note = _line_of(scratch, PLAN, "Bản nháp do công cụ nhập")
    assert f"::error file={PLAN},line={note},col=3,title=review-marker notes::" in annotations
    assert "CẦN KIỂM TRA" in annotations and "cách sửa" in annotations  # Vietnamese, with the fix
    assert "review-marker" in summary.read_text(encoding="utf-8")
    # cleared by a person: the gate opens
    _edit(scratch, PLAN, "# CẦN KIỂM TRA — bản nháp do công cụ nhập tạo; sửa các mục sau:\n", "")
    _edit(scratch, PLAN, "Bản nháp do công cụ nhập (build_site.py import) tạo từ x.docx.", "Đã đối chiếu với bản gốc.")
    git(scratch, "commit", "-qam", "checked")
    cleared = make(scratch, "ci-review-markers", tmp_path / "summary2.md")
    assert cleared.returncode == 0, cleared.stdout + cleared.stderr


def test_the_merge_gate_refuses_a_printed_fact_newly_marked_inferred(scratch: Path, tmp_path: Path) -> None:
    # The plan's accepted inferences at the base (issuers, issuer_level, province) do not block;
    # a printed fact (the issue date) newly marked inferred does, on its line and column.
    old = "inferred: [issuers, issuer_level, province]"
    _edit(scratch, PLAN, old, "inferred: [issuers, issuer_level, province, issue_date]")
    git(scratch, "commit", "-qam", "date inferred")
    line = _line_of(scratch, PLAN, "inferred: [")
    result = make(scratch, "ci-review-markers", tmp_path / "summary.md")
    assert result.returncode != 0, result.stdout + result.stderr
    errors = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    assert len(errors) == 1, errors
    column = (scratch / PLAN).read_text(encoding="utf-8").splitlines()[line - 1].index("issue_date") + 1
    assert errors[0].startswith(f"::error file={PLAN},line={line},col={column},title=inferred-fact inferred::")
    assert "issue_date" in errors[0]


def test_the_merge_gate_ignores_plans_this_change_does_not_touch(scratch: Path, tmp_path: Path) -> None:
    # tay-ninh's curated plan has place, issue_date and signers inferred (explained in its notes)
    _edit(scratch, PLAN, "deadline: null", 'deadline: "Quý II/2024"')
    git(scratch, "commit", "-qam", "set a deadline")
    result = make(scratch, "ci-review-markers", tmp_path / "summary.md")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "::error" not in result.stdout


HOSTILE_TITLE = (
    "Kế hoạch](javascript:alert(1)) <img src=x onerror=alert(2)> ``x`` @octocat @org/team #1 https://evil.example"
)


def test_the_comment_counts_the_change_lists_plans_and_findings_and_quotes_nothing_live(
    scratch: Path, tmp_path: Path
) -> None:
    lines = (scratch / PLAN).read_text(encoding="utf-8").splitlines(keepends=True)
    title = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    lines[title] = "title: " + json.dumps(HOSTILE_TITLE, ensure_ascii=False) + "\n"
    (scratch / PLAN).write_text("".join(lines), encoding="utf-8")
    _edit(scratch, PLAN, "deadline: null", 'deadline: "Quý II/2024"')
    git(scratch, "commit", "-qam", "a hostile title")
    comment = tmp_path / "pr" / "comment.md"
    result = make(
        scratch, "ci-comment", tmp_path / "s.md", f"COMMENT={comment}", "PREVIEW_URL=https://example.org/preview.zip"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    body = comment.read_text(encoding="utf-8")
    assert body.startswith("<!-- congkhai-pr-comment -->\n")
    assert "| Kế hoạch | 0 | 1 | 0 |" in body
    assert "### Kế hoạch thay đổi" in body and "nhiệm vụ: sửa 1" in body
    assert (
        "### Cần sửa" in body and f"{PLAN.replace('-', chr(92) + '-').replace('.', chr(92) + '.')}:{title + 1}" in body
    )
    assert "cách sửa:" in body
    assert "[Tải bản xem trước của trang](<https://example.org/preview.zip>)" in body
    # nothing a value carries is live: no link, image, HTML, code span, mention, reference or autolink
    assert "](javascript" not in body and "<img" not in body and "``x``" not in body
    assert "@octocat" not in body and "@org" not in body and "https://evil" not in body and " #1" not in body
    assert "Văn bản được trích dẫn (danh mục)" in body and "data/directives.csv" not in body  # no catalogue dump
    # as GitHub's Markdown reads it: one link (the preview), no HTML but the marker, no code span
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(body)
    inline_tokens = [c for t in tokens if t.children for c in t.children]
    links = [c.attrs.get("href") for c in inline_tokens if c.type == "link_open"]
    assert links == ["https://example.org/preview.zip"], links
    assert [t.content for t in tokens if t.type == "html_block"] == ["<!-- congkhai-pr-comment -->\n"]
    assert not [c for c in inline_tokens if c.type in ("html_inline", "image")]
    spans = {c.content for c in inline_tokens if c.type == "code_inline"}
    assert spans <= {"xem-truoc.bat", "xem-truoc.command", "xem-truoc.sh", "HƯỚNG-DẪN.txt"}, spans


def test_the_comment_of_an_unchanged_branch_says_so(scratch: Path, tmp_path: Path) -> None:
    comment = tmp_path / "comment.md"
    result = make(scratch, "ci-comment", tmp_path / "s.md", f"COMMENT={comment}")
    assert result.returncode == 0, result.stdout + result.stderr
    body = comment.read_text(encoding="utf-8")
    assert "| Kế hoạch | 0 | 0 | 0 |" in body and "Cần sửa" not in body
    assert "Chưa có bản xem trước" in body


FAKE_GH = """#!/bin/bash
# A stand-in for the GitHub CLI: records each call, answers the two reads the targets make.
printf '%s\\0' "$@" >> "$GH_LOG"; printf '\\n' >> "$GH_LOG"
for a in "$@"; do case "$a" in body=@*) cp -- "${a#body=@}" "$GH_LOG.body";; esac; done
case "$*" in
  "api repos/o/r/pulls/7 --jq .head.sha") echo "$FAKE_HEAD";;
  *"/issues/7/comments --jq"*) printf '%s\\n' $FAKE_COMMENTS;;
  "api repos/o/r/pages --jq .html_url") [ -n "${FAKE_PAGES:-}" ] && echo "$FAKE_PAGES" || exit 1;;
  "pr create "*) echo "https://github.com/o/r/pull/${FAKE_NEW_PR:-8}";;
esac
"""


def fake_gh(tmp_path: Path, head: str, comments: str = "") -> dict[str, str]:
    bin_dir = tmp_path / "fakebin"
    bin_dir.mkdir(exist_ok=True)
    gh = bin_dir / "gh"
    gh.write_text(FAKE_GH, encoding="utf-8")
    gh.chmod(0o755)
    log = tmp_path / "gh.log"
    log.write_text("", encoding="utf-8")
    return {
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "GH_LOG": str(log),
        "FAKE_HEAD": head,
        "FAKE_COMMENTS": comments,
        "REPOSITORY": "o/r",
    }


def run_with(repo: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    bin_dir = str(Path(sys.executable).parent)
    return subprocess.run(
        ["make", "-s", *args, f"BIN={bin_dir}", "STAMP=.stamp"],
        cwd=repo,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def calls(tmp_path: Path) -> list[list[str]]:
    text = (tmp_path / "gh.log").read_text(encoding="utf-8")
    return [[a for a in line.split("\0") if a] for line in text.split("\n") if line]


@pytest.mark.parametrize(("existing", "method"), [("", "POST"), ("4242", "PATCH")])
def test_the_comment_is_posted_once_and_then_edited(scratch: Path, tmp_path: Path, existing: str, method: str) -> None:
    head = git(scratch, "rev-parse", "HEAD").strip()
    comment = tmp_path / "pr" / "comment.md"
    made = run_with(scratch, {"PR_NUMBER": "7"}, "ci-comment", "BASE=main", f"COMMENT={comment}")
    assert made.returncode == 0, made.stderr
    comment.write_text(comment.read_text(encoding="utf-8") + "cc @octocat\n", encoding="utf-8")
    env = {**fake_gh(tmp_path, head, existing), "HEAD_SHA": head}
    posted = run_with(scratch, env, "ci-comment-post", f"COMMENT={comment}")
    assert posted.returncode == 0, posted.stdout + posted.stderr
    sent = calls(tmp_path)[-1]
    assert sent[:3] == ["api", "--method", method]
    assert sent[3] == ("repos/o/r/issues/comments/4242" if existing else "repos/o/r/issues/7/comments")
    body = (tmp_path / "gh.log.body").read_text(encoding="utf-8")
    assert body.startswith("<!-- congkhai-pr-comment -->\n") and "@octocat" not in body


def test_a_stale_comment_is_not_posted(scratch: Path, tmp_path: Path) -> None:
    comment = tmp_path / "pr" / "comment.md"
    assert run_with(scratch, {"PR_NUMBER": "7"}, "ci-comment", "BASE=main", f"COMMENT={comment}").returncode == 0
    env = {**fake_gh(tmp_path, "f" * 40), "HEAD_SHA": git(scratch, "rev-parse", "HEAD").strip()}
    posted = run_with(scratch, env, "ci-comment-post", f"COMMENT={comment}")
    assert posted.returncode == 0 and "commit mới hơn" in posted.stdout
    assert not any("--method" in c for c in calls(tmp_path))


def test_a_draft_of_one_plan_is_pushed_to_the_plan_forms_branch(scratch: Path, tmp_path: Path) -> None:
    """One plan drafted: the drafts go to the branch the form's editorial workflow reads for that
    plan (not the upload's), so the clerk opens the draft in the form; the upload branch is left."""
    draft = "docs/plans/lang-son/ke-hoach-moi.md"
    import_commit(
        scratch, tmp_path, [draft, "data/units.csv"], {draft: "---\nid: ke-hoach-moi\n---\n", "data/units.csv": "id\n"}
    )
    assert run_make(scratch, tmp_path, "ci-import-commit", "IMPORT_PR=pr").returncode == 0
    before = git(tmp_path / "remote.git", "rev-parse", "change").strip()
    output = tmp_path / "out.txt"
    pushed = subprocess.run(
        ["make", "-s", "ci-import-push", "IMPORT_PR=pr", f"BIN={Path(sys.executable).parent}", "STAMP=.stamp"],
        cwd=scratch,
        env={
            **os.environ,
            "HEAD_REF": "change",
            "PUSH_TOKEN": "t",
            "REPOSITORY": "remote",
            "GITHUB_SERVER_URL": f"file://{tmp_path}",
            "GITHUB_OUTPUT": str(output),
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert pushed.returncode == 0, pushed.stdout + pushed.stderr
    branch = "cms/plans/lang-son/ke-hoach-moi"
    assert output.read_text(encoding="utf-8") == f"branch={branch}\npushed=true\n"
    tree = git(tmp_path / "remote.git", "ls-tree", "-r", "--name-only", branch).split()
    assert draft in tree and "docs/plans/lang-son/ke-hoach.docx" in tree and "inbox/ke-hoach.docx" not in tree
    assert git(tmp_path / "remote.git", "rev-parse", "change").strip() == before  # the upload is untouched


def test_a_draft_whose_form_branch_is_taken_goes_to_the_upload_branch(scratch: Path, tmp_path: Path) -> None:
    """A draft of that plan already waits in the form (an earlier upload): nothing is overwritten;
    the new draft lands on the upload's branch, with a warning saying why."""
    draft = "docs/plans/lang-son/ke-hoach-moi.md"
    pr = import_commit(scratch, tmp_path, [draft], {draft: "---\nid: ke-hoach-moi\n---\n"})
    git(pr, "push", "-q", "origin", "HEAD~1:refs/heads/cms/plans/lang-son/ke-hoach-moi")  # unrelated to what comes
    git(pr, "commit", "-q", "--allow-empty", "-m", "moves the upload on")
    git(pr, "push", "-q", "origin", "HEAD:refs/heads/cms/plans/lang-son/ke-hoach-moi", "--force")
    git(pr, "reset", "-q", "--hard", "HEAD~1")
    taken = git(tmp_path / "remote.git", "rev-parse", "cms/plans/lang-son/ke-hoach-moi").strip()
    assert run_make(scratch, tmp_path, "ci-import-commit", "IMPORT_PR=pr").returncode == 0
    pushed = run_make(scratch, tmp_path, "ci-import-push", "IMPORT_PR=pr")
    assert pushed.returncode == 0, pushed.stdout + pushed.stderr
    assert "::warning title=import::" in pushed.stdout
    assert git(tmp_path / "remote.git", "rev-parse", "cms/plans/lang-son/ke-hoach-moi").strip() == taken
    assert draft in git(tmp_path / "remote.git", "ls-tree", "-r", "--name-only", "change").split()


def test_the_handoff_opens_the_forms_pull_request_and_closes_the_upload(scratch: Path, tmp_path: Path) -> None:
    draft = "docs/plans/lang-son/ke-hoach-moi.md"
    (scratch / "build" / "import").mkdir(parents=True)
    (scratch / "build" / "import" / "drafts.txt").write_bytes(draft.encode() + b"\0data/units.csv\0")
    output = tmp_path / "out.txt"
    env = {
        **fake_gh(tmp_path, ""),
        "BRANCH": "cms/plans/lang-son/ke-hoach-moi",
        "HEAD_REF": "tai-len",
        "BASE_REF": "main",
        "PR_NUMBER": "7",
        "FAKE_PAGES": "https://so-noi-vu.example.gov.vn/cong-khai/",
        "GITHUB_OUTPUT": str(output),
    }
    result = run_with(scratch, env, "ci-import-handoff")
    assert result.returncode == 0, result.stdout + result.stderr
    made = calls(tmp_path)
    assert made[1][:4] == ["label", "create", "decap-cms/draft", "--repo"]
    create = made[2]
    assert create[:2] == ["pr", "create"]
    assert create[create.index("--head") + 1] == "cms/plans/lang-son/ke-hoach-moi"
    assert create[create.index("--label") + 1] == "decap-cms/draft" and create[create.index("--base") + 1] == "main"
    body = (scratch / "build" / "import" / "handoff-body.md").read_text(encoding="utf-8")
    assert made[3][:3] == ["pr", "close", "7"] and "#8" in made[3][made[3].index("--comment") + 1]
    form = "https://so-noi-vu.example.gov.vn/cong-khai/quan-tri/#/collections/plans/entries/lang-son/ke-hoach-moi"
    assert form in body and (tmp_path / "gh.log").read_text(encoding="utf-8").count(form) == 1  # in the comment
    assert output.read_text(encoding="utf-8") == "pr=8\n"
    # a draft that stayed on the upload's branch: nothing to hand over, its pull request keeps the checks
    output.write_text("", encoding="utf-8")
    stay = run_with(scratch, {**env, "BRANCH": "tai-len"}, "ci-import-handoff")
    count = len(calls(tmp_path))
    assert stay.returncode == 0 and output.read_text(encoding="utf-8") == "pr=7\n" and len(calls(tmp_path)) == count
    # a branch that is not the form's branch of these drafts is refused before any call
    wrong = run_with(scratch, {**env, "BRANCH": "cms/plans/lang-son/khac"}, "ci-import-handoff")
    assert wrong.returncode != 0 and len(calls(tmp_path)) == count


def test_the_import_recheck_dispatches_the_checks_on_the_branch(scratch: Path, tmp_path: Path) -> None:
    env = {**fake_gh(tmp_path, ""), "HEAD_REF": "nhap-ke-hoach", "PR_NUMBER": "7"}
    result = run_with(scratch, env, "ci-import-recheck")
    assert result.returncode == 0, result.stderr
    assert calls(tmp_path) == [
        ["workflow", "run", "pull-request.yml", "--repo", "o/r", "--ref", "nhap-ke-hoach", "-f", "pr=7"]
    ]
    bad = run_with(scratch, {**env, "HEAD_REF": "-x"}, "ci-import-recheck")
    assert bad.returncode != 0 and len(calls(tmp_path)) == 1


def test_a_real_import_draft_is_refused_by_the_merge_gate_until_a_person_clears_it(
    scratch: Path, tmp_path: Path
) -> None:
    """The importer's own markers, not a hand-made imitation: ci-import → commit → the gate."""
    (scratch / "inbox").mkdir(exist_ok=True)
    shutil.copy2(ROOT / "tests/fixtures/word/cong-van-kinh-gui.docx", scratch / "inbox" / "cong-van.docx")
    imported = make(scratch, "ci-import", tmp_path / "import.md")
    assert imported.returncode == 0, imported.stdout + imported.stderr
    drafts = [p for p in git(scratch, "ls-files", "--others", "--exclude-standard", "docs/plans").split() if p]
    draft = next(p for p in drafts if p.endswith(".md"))
    git(scratch, "add", "-A", "docs/plans", "data")
    git(scratch, "commit", "-qm", "the import bot's draft")
    result = make(scratch, "ci-review-markers", tmp_path / "summary.md")
    assert result.returncode != 0
    errors = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    assert any(line.startswith(f"::error file={draft},line=2,") and "review-marker" in line for line in errors), errors
    assert any("review-marker notes" in line for line in errors), errors
