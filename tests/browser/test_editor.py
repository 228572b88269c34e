"""The plan form (``/quan-tri/``, Decap CMS) in a real browser against its local backend.

A scratch git repository (the seed sources) is served by ``decap-server`` in git mode — the
editorial workflow: a saved plan is a branch, as a clerk's change is a pull request — and the
form, as the build published it, is opened in Debian's chromium with every request outside the
loopback blocked. A plan is created through the form; the file it writes must pass the
project's validator. ``make test`` installs the form (``make editor-deps``, npm); without npm
the test fails saying so, never skips.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from congkhai.publish.site import EDITOR_BUNDLE

SERVER = EDITOR_BUNDLE.parents[1] / "decap-server" / "dist" / "index.js"
SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"  # not committed: for a person to look at
PLAN_ID = "lang-son-2025-99-kh-ubnd-bieu-mau"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _git(repo: Path, *args: str) -> str:
    out = subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=Thử", "-c", "user.email=thu@example.invalid", *args],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout


@pytest.fixture
def scratch_repo(tmp_path: Path) -> Path:
    from tests.conftest import copy_sources

    repo = copy_sources(tmp_path / "repo")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "Kho thử")
    return repo


@contextlib.contextmanager
def decap_server(repo: Path, log: Path) -> Iterator[str]:
    """``decap-server`` (the vendored one) in git mode on a free loopback port; yields its API URL."""
    node = shutil.which("node")
    if node is None or not SERVER.is_file():
        pytest.fail(
            "Node.js or the vendored decap-server is missing: run `make editor-deps` (needs Node.js 20+ and npm)."
        )
    port = _free_port()
    env = {**os.environ, "MODE": "git", "GIT_REPO_DIRECTORY": str(repo), "PORT": str(port), "BIND_HOST": "127.0.0.1"}
    with log.open("w") as out:
        proc = subprocess.Popen([node, str(SERVER)], env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield f"http://127.0.0.1:{port}/api/v1"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@contextlib.contextmanager
def signed_in_form(browser, site_dir: Path, repo: Path, tmp_path: Path) -> Iterator[tuple[object, str]]:
    """The form as the build published it, against ``decap-server`` on ``repo``, signed in through
    the local backend; yields the page and the site's URL. No request may leave the loopback."""
    from tests.browser.conftest import serve

    if not (site_dir / "quan-tri" / "decap-cms.js").is_file():
        pytest.fail("The built site has no plan form bundle: run `make editor-deps` (needs Node.js 20+ and npm).")
    web = tmp_path / "web"
    shutil.copytree(site_dir / "quan-tri", web / "quan-tri")
    config = web / "quan-tri" / "config.yml"
    text = config.read_text(encoding="utf-8")
    assert text.count("\nbackend:\n") == 1 and "local_backend" not in text  # published: GitHub only
    external: list[str] = []
    with decap_server(repo, tmp_path / "decap-server.log") as api, serve(web) as url:
        config.write_text(
            text.replace("\nbackend:\n", f"\nlocal_backend:\n  url: {api}\nbackend:\n", 1), encoding="utf-8"
        )
        context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
        context.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith(("http://127.0.0.1", "data:", "blob:"))
                else (external.append(route.request.url), route.abort())
            ),
        )
        page = context.new_page()
        try:
            page.goto(f"{url}/quan-tri/")
            page.get_by_role("button", name="Đăng nhập").click()
            # signed in once Decap has stored the user: a test that navigates sooner (under load)
            # lands on the sign-in page again
            page.wait_for_function("() => window.localStorage.getItem('decap-cms-user') !== null")
            yield page, url
        finally:
            context.close()
    assert external == []


def test_a_plan_created_through_the_form_passes_validation(browser, site_dir, scratch_repo, tmp_path) -> None:
    from playwright.sync_api import expect

    from congkhai.cli import main

    with signed_in_form(browser, site_dir, scratch_repo, tmp_path) as (page, url):
        page.goto(f"{url}/quan-tri/#/collections/plans/new")
        fill_plan(page)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "editor-tasks-1366.png"))
        page.get_by_label("Mã kế hoạch", exact=True).scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "editor-1366.png"))
        page.set_viewport_size({"width": 390, "height": 844})
        page.get_by_label("Mã kế hoạch", exact=True).scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "editor-390.png"))
        # on a phone the form fits the screen: Decap's 800-pixel minimum is lifted (editor.py)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.get_by_label("Mã nhiệm vụ", exact=True).scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "editor-tasks-390.png"))
        page.set_viewport_size({"width": 1366, "height": 900})
        page.get_by_role("button", name="Lưu").click()
        expect(page.get_by_text("Mục đã được lưu")).to_be_visible()
        page.screenshot(path=str(SHOTS / "editor-saved-1366.png"))
    branches = _git(scratch_repo, "branch", "--list", "--format=%(refname:short)").split()
    branch = f"cms/plans/lang-son/{PLAN_ID}"  # the editorial workflow's branch: the pull request
    assert branch in branches, branches
    assert not (scratch_repo / "docs" / "plans" / "lang-son" / f"{PLAN_ID}.md").exists()  # main untouched
    _git(scratch_repo, "checkout", "-q", branch)
    plan = scratch_repo / "docs" / "plans" / "lang-son" / f"{PLAN_ID}.md"
    assert plan.is_file(), _git(scratch_repo, "show", "--stat", "HEAD")
    written = plan.read_text(encoding="utf-8")
    assert "Tăng cường công tác dân vận qua biểu mẫu" in written
    assert "unit: lang-son-cao-loc-ubnd\n" in written and "section: II.1\n" in written  # codes, not labels
    assert "due_date: 2025-12-31\n" in written and "issue_date_precision: day\n" in written
    assert main(["validate", "--root", str(scratch_repo), "--format", "text", str(plan)]) == 0, written


def test_a_plan_edited_through_the_form_keeps_its_text_and_data(browser, site_dir, scratch_repo, tmp_path) -> None:
    """One field changed in the form: the body comes back byte for byte, every other front-matter
    value is unchanged (the form rewrites the YAML's layout, not its data), and the plan validates."""
    import yaml
    from playwright.sync_api import expect

    from congkhai.cli import main

    rel = "docs/plans/lang-son/lang-son-cao-loc-2024-kh-ubnd.md"
    before = (scratch_repo / rel).read_text(encoding="utf-8")
    with signed_in_form(browser, site_dir, scratch_repo, tmp_path) as (page, url):
        page.goto(f"{url}/quan-tri/#/collections/plans/entries/lang-son/lang-son-cao-loc-2024-kh-ubnd")
        days = page.get_by_label("Thời hạn niêm yết (ngày) (không bắt buộc)", exact=True)
        expect(page.get_by_label("Mã kế hoạch", exact=True)).to_have_value("lang-son-cao-loc-2024-kh-ubnd")
        days.fill("30")
        page.get_by_role("button", name="Lưu").click()
        expect(page.get_by_text("Mục đã được lưu")).to_be_visible()
    _git(scratch_repo, "checkout", "-q", "cms/plans/lang-son/lang-son-cao-loc-2024-kh-ubnd")
    after = (scratch_repo / rel).read_text(encoding="utf-8")
    assert after.split("\n---\n", 1)[1] == before.split("\n---\n", 1)[1]  # the body, untouched

    def front(text: str) -> dict:
        return yaml.load(text.split("\n---\n", 1)[0].removeprefix("---\n"), Loader=yaml.BaseLoader)  # all strings

    old, new = front(before), front(after)
    assert new.pop("posting_days") == "30" and "posting_days" not in old
    assert new == old
    assert main(["validate", "--root", str(scratch_repo), "--format", "text", str(scratch_repo / rel)]) == 0


def fill_plan(page) -> None:
    from playwright.sync_api import expect

    def choose(label: str, option: str) -> None:
        """A choice (react-select): type its Vietnamese label, click the option named exactly so."""
        page.get_by_label(label, exact=True).fill(option)
        page.get_by_role("option", name=option, exact=True).click()

    expect(page.get_by_label("Mã kế hoạch", exact=True)).to_be_visible()
    page.get_by_label("Mã kế hoạch", exact=True).fill(PLAN_ID)
    choose("Loại văn bản", "Kế hoạch")
    page.get_by_label("Trích yếu", exact=True).fill("Tăng cường công tác dân vận qua biểu mẫu năm 2025")
    page.get_by_label("Số, ký hiệu (không bắt buộc)", exact=True).fill("99/KH-UBND")
    choose("Tình trạng số, ký hiệu", "Có số")
    choose("Cấp ban hành", "Cấp huyện")
    choose("Tỉnh, thành phố", "Lạng Sơn")  # required by the form: the folder
    page.get_by_label("Ngày ban hành (không bắt buộc)", exact=True).fill("2025-03-18")
    choose("Độ chính xác của ngày ban hành (không bắt buộc)", "Ngày")
    choose("Tình trạng", "Đang thực hiện")
    choose("Nguồn văn bản", "Bản gốc, bản chính")
    page.get_by_role("button", name="Thêm cơ quan ban hành").click()
    choose("Cơ quan ban hành", "Ủy ban nhân dân huyện Cao Lộc")
    page.get_by_role("button", name="Thêm nhiệm vụ").click()
    page.get_by_label("Mã nhiệm vụ", exact=True).fill("tuyen-truyen")
    page.get_by_label("Mục", exact=True).fill("II.1")
    page.get_by_label("Nội dung nhiệm vụ", exact=True).fill("Tuyên truyền, phổ biến kế hoạch đến cán bộ, công chức.")
    choose("Tính lặp lại", "Một lần")
    choose("Tình trạng thực hiện", "Chưa cập nhật")
    page.get_by_label("Hạn hoàn thành (không bắt buộc)", exact=True).fill("2025-12-31")  # a date picker
    body = page.locator("div", has=page.get_by_text("Nội dung văn bản (không bắt buộc)", exact=True))
    body.locator("[contenteditable=true]").last.fill("## I. MỤC ĐÍCH, YÊU CẦU\n\nTuyên truyền.")
