"""The clerk's whole route, as the workflows run it, ending in the plan form — no YAML, no CSV.

A commune plan laid out as Decree 30 prescribes (a task table, Word footnotes, bodies not yet in
the catalogue) is uploaded to ``inbox/`` on a branch of a scratch repository. The import
workflow's own make targets run as its jobs do: ``ci-import`` on the upload (the untrusted job),
then ``ci-import-commit`` and ``ci-import-push`` from the base branch's code, which push the draft
to the form's editorial branch for that plan. (On GitHub ``ci-import-handoff`` then opens the
pull request labelled ``decap-cms/draft`` — tests/test_pr_flow.py; ``decap-server``, the form's
local backend, keeps that label in the branch's git description, so the test sets it there.)

The clerk then opens the form in a real browser, finds the draft under **Biên tập**, and does
what the draft's note asks through choices and text boxes only: picks the plan's status, confirms
the importer's unsure guess of a cited document, replaces the importer's note with their own,
saves. The plan on the branch must then pass the validator and the merge gate, keep its footnotes
and the tasks read from the table, and the only file the clerk's save changed must be the plan.

The staff guide's pictures of this route (step 3) are taken here: to build/screenshots/, or with
``CONGKHAI_GUIDE_SHOTS=1`` to docs/huong-dan/anh/ to be committed (tests/test_guide.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser.test_editor import SHOTS
from tests.browser.test_editor import _git as git
from tests.test_pr_flow import COPY  # the sources a scratch repository needs for make

ROOT = Path(__file__).resolve().parents[2]
WORD = ROOT / "tests" / "fixtures" / "word" / "xa-ke-hoach-bang-nhiem-vu.docx"
PLAN_ID = "lang-son-cao-loc-hop-thanh-2024-45-kh-ubnd"
PLAN = f"docs/plans/lang-son/{PLAN_ID}.md"
BRANCH = f"cms/plans/lang-son/{PLAN_ID}"


def _guide_out() -> Path:
    if os.environ.get("CONGKHAI_GUIDE_SHOTS") == "1":
        return ROOT / "docs" / "huong-dan" / "anh"
    return ROOT / "build" / "screenshots" / "guide"


def make(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        ["make", "-s", *args, f"BIN={Path(sys.executable).parent}", "STAMP=.stamp"],
        cwd=cwd,
        env={**os.environ, "GITHUB_STEP_SUMMARY": str(cwd / "summary.md"), **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"make {args[0]}:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture
def origin(tmp_path: Path) -> Path:
    """The repository on the server (named ``origin.git`` so the push target reads as on GitHub;
    a working tree, because ``decap-server`` checks branches out in it)."""
    repo = tmp_path / "origin.git"
    repo.mkdir()
    for name in COPY:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, repo / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, repo / name)
    (repo / ".gitignore").write_text(".stamp\nsummary.md\nbuild/\n", encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Kho")
    return repo


def import_as_the_workflow_does(origin: Path, tmp_path: Path) -> str:
    """Upload → ``ci-import`` → ``ci-import-commit`` → ``ci-import-push``; returns where the drafts went."""
    clerk = tmp_path / "upload"
    git(tmp_path, "clone", "-q", str(origin), str(clerk))
    git(clerk, "checkout", "-q", "-b", "tai-len-ke-hoach")
    (clerk / "inbox").mkdir(exist_ok=True)
    shutil.copy2(WORD, clerk / "inbox" / "KH 45 Hop Thanh.docx")
    git(clerk, "add", "-A")
    git(clerk, "commit", "-qm", "Tải lên kế hoạch 45/KH-UBND")
    git(clerk, "push", "-q", "origin", "tai-len-ke-hoach")
    (clerk / ".stamp").touch()
    make(clerk, "ci-import", "PUSH=1")  # the pull request's own code, no token

    base = tmp_path / "base"  # the base branch's code, the pull request only as data
    git(tmp_path, "clone", "-q", "-b", "main", str(origin), str(base))
    git(tmp_path, "clone", "-q", "-b", "tai-len-ke-hoach", str(origin), str(base / "pr"))
    shutil.copytree(clerk / "build" / "import", base / "build" / "import")
    (base / ".stamp").touch()
    make(base, "ci-import-commit", "IMPORT_PR=pr")
    output = tmp_path / "github-output"
    env = {
        "HEAD_REF": "tai-len-ke-hoach",
        "PUSH_TOKEN": "not-a-real-token",
        "REPOSITORY": "origin",
        "GITHUB_SERVER_URL": f"file://{tmp_path}",
        "GITHUB_OUTPUT": str(output),
    }
    make(base, "ci-import-push", "IMPORT_PR=pr", env=env)
    outputs = dict(line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines())
    return outputs["branch"]


def test_a_commune_plan_goes_from_word_to_a_valid_plan_through_the_form_alone(
    browser, site_dir, origin, tmp_path
) -> None:
    from playwright.sync_api import expect

    from congkhai.cli import main
    from tests.browser.test_editor import signed_in_form

    branch = import_as_the_workflow_does(origin, tmp_path)
    assert branch == BRANCH
    draft_commit = git(origin, "rev-parse", BRANCH).strip()
    drafted = git(origin, "show", f"{BRANCH}:{PLAN}")
    assert "CẦN KIỂM TRA" in drafted and "[^1]:" in drafted  # a draft, with its footnotes
    assert f"{BRANCH}" not in git(origin, "branch", "--list", "tai-len-ke-hoach")
    git(origin, "config", f"branch.{BRANCH}.description", "decap-cms/draft")  # the pull request's label

    with signed_in_form(browser, site_dir, origin, tmp_path) as (page, url):
        page.goto(f"{url}/quan-tri/#/workflow")
        card = page.get_by_role("link").filter(has_text="Thực hiện dân chủ ở cơ sở trên địa bàn xã năm 2024")
        expect(card).to_be_visible()
        assert "December" not in card.inner_text()  # the card's date in numbers, not in English
        SHOTS.mkdir(parents=True, exist_ok=True)
        guide = _guide_out()
        guide.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "clerk-workflow-1366.png"))
        page.screenshot(path=str(guide / "bien-tap-1366.png"), clip={"x": 0, "y": 0, "width": 1366, "height": 520})
        card.click()

        expect(page.get_by_label("Mã kế hoạch", exact=True)).to_have_value(PLAN_ID)  # the draft is loaded
        status = page.get_by_label("Tình trạng", exact=True)
        expect(status).to_be_visible()
        notes = page.get_by_label("Ghi chú (không bắt buộc)", exact=True)
        expect(notes).to_contain_text("Việc cần kiểm tra")  # what to check, in the form itself
        notes.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "clerk-notes-1366.png"))
        box = notes.bounding_box()
        assert box is not None
        top = max(0, box["y"] - 60)
        page.screenshot(
            path=str(guide / "ghi-chu-nhap-1366.png"), clip={"x": 260, "y": top, "width": 840, "height": 560}
        )
        marked = page.get_by_text("CẦN KIỂM TRA — hãy chọn trong danh sách").first
        marked.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "clerk-draft-1366.png"))
        box = marked.bounding_box()
        assert box is not None
        page.screenshot(
            path=str(guide / "ban-nhap-1366.png"),
            clip={"x": 260, "y": max(0, box["y"] - 120), "width": 840, "height": 300},
        )
        page.set_viewport_size({"width": 390, "height": 844})
        marked.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "clerk-draft-390.png"))
        page.screenshot(path=str(guide / "ban-nhap-390.png"), clip={"x": 0, "y": 0, "width": 390, "height": 600})
        page.set_viewport_size({"width": 1366, "height": 900})

        status.fill("Đang thực hiện")
        page.get_by_role("option", name="Đang thực hiện", exact=True).click()
        cited = page.get_by_text("CẦN KIỂM TRA: 12-kh-ubnd-2024 — hãy chọn trong danh sách")
        cited.click(force=True)  # react-select: the click lands on the box's input, which opens the list
        page.get_by_role("option", name="12-kh-ubnd-2024 (mới: chưa có trong danh mục đã công bố)").click()
        notes.fill("Đã đối chiếu với bản gốc đã ký.")
        page.get_by_role("button", name="Lưu").click()
        expect(page.get_by_text("Mục đã được lưu")).to_be_visible()
        page.screenshot(path=str(SHOTS / "clerk-saved-1366.png"))

    saved = git(origin, "diff", "--name-only", draft_commit, BRANCH).split()
    assert saved == [PLAN]  # the clerk's save touched the plan only: no CSV, no other file
    git(origin, "checkout", "-q", BRANCH)
    plan = origin / PLAN
    text = plan.read_text(encoding="utf-8")
    assert "CẦN KIỂM TRA" not in text and "Đã đối chiếu với bản gốc đã ký." in text
    assert "[^1]: Luật số 10/2022/QH15" in text and "[^2]:" in text  # the Word footnotes
    assert "lead_units:\n      - lang-son-cao-loc-hop-thanh-van-hoa-xa-hoi" in text  # a lead from the table
    assert main(["validate", "--root", str(origin), "--format", "text"]) == 0
    assert main(["review", "--root", str(origin), "--base", "main", "--format", "text", PLAN]) == 0
