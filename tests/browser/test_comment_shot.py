"""The staff guide's picture of the pull request's comment (docs/huong-dan/index.md #ghi-chu),
made from the real comment.

The clerk's route is replayed on a scratch git repository (tests/test_pr_flow.py ``scratch``: a
copy of this checkout's sources, branch ``change`` off ``main``): ``build_site.py import`` drafts a
commune plan from a signed Word file, the draft is committed, then the clerk corrects part of it
(the status, the notes, the cited plan's code) but leaves the importer's header marker and types
a unit's code wrong. ``make ci-comment BASE=main`` (the target the pull-request workflow runs)
writes the comment; the checks failed, so there is no preview, as in CI. The comment's Markdown
is rendered as GitHub's Conversation tab shows it (markdown-it with tables, offline, in a small
local imitation of GitHub's comment box) and photographed in Debian's chromium with every request
blocked. The pictures go to build/screenshots/comment/; with ``CONGKHAI_GUIDE_SHOTS=1`` they are
written to docs/huong-dan/anh/ instead, to be committed (tests/test_guide.py checks that each is
referenced, has alt text and stays small).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_pr_flow import git, make, scratch  # noqa: F401 (a fixture)

ROOT = Path(__file__).resolve().parents[2]
WORD = ROOT / "tests" / "fixtures" / "word" / "xa-ke-hoach-bang-nhiem-vu.docx"
DRAFT = "docs/plans/lang-son/lang-son-cao-loc-hop-thanh-2024-45-kh-ubnd.md"
TYPO, UNIT = "lang-son-cao-loc-hop-thanh-van-hoa-xh", "lang-son-cao-loc-hop-thanh-van-hoa-xa-hoi"
RUN_URL = "https://github.com/so-noi-vu/cong-khai/actions/runs/12345678"
SHOTS = ("binh-luan-1366.png", "binh-luan-390.png")


def _out() -> Path:
    if os.environ.get("CONGKHAI_GUIDE_SHOTS") == "1":
        return ROOT / "docs" / "huong-dan" / "anh"
    return ROOT / "build" / "screenshots" / "comment"


def _md(text: str) -> str:
    """What GitHub shows for a comment's Markdown (tables on, the hidden marker an HTML comment)."""
    from markdown_it import MarkdownIt

    out = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(text)
    # GitHub draws the two status emoji as pictures; the test machine has no emoji font
    return out.replace("❌", '<span class="emoji no">✖</span>').replace("✅", '<span class="emoji yes">✔</span>')


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def comment(scratch: Path, tmp_path: Path) -> Iterator[str]:  # noqa: F811
    """The comment of a branch adding one imported commune plan that still has two findings."""
    imported = subprocess.run(
        [sys.executable, "build_site.py", "import", str(WORD)], cwd=scratch, capture_output=True, text=True
    )
    assert imported.returncode == 0, imported.stdout + imported.stderr
    git(scratch, "add", "-A", "docs/plans", "data")
    git(scratch, "commit", "-qm", "Bản nháp từ tệp Word")
    plan = scratch / DRAFT
    _edit(plan, 'status: "CẦN KIỂM TRA"', "status: in_force")
    _edit(plan, "CẦN KIỂM TRA: 12-kh-ubnd-2024", "12-kh-ubnd-2024")
    # the proposed row already has the plain id: the unsure mark is on the citation only
    assert "CẦN KIỂM TRA" not in (scratch / "data" / "directives.csv").read_text(encoding="utf-8")
    notes = next(line for line in plan.read_text(encoding="utf-8").splitlines() if line.startswith("notes: "))
    _edit(plan, notes, 'notes: "Đã đối chiếu với bản gốc."')
    _edit(plan, f"lead_units: [{UNIT}]", f"lead_units: [{TYPO}]")
    git(scratch, "commit", "-qam", "Sửa bản nháp")
    out = tmp_path / "pr" / "comment.md"
    result = make(scratch, "ci-comment", tmp_path / "s.md", f"COMMENT={out}", f"RUN_URL={RUN_URL}", "PR_NUMBER=7")
    assert result.returncode == 0, result.stdout + result.stderr
    yield out.read_text(encoding="utf-8")


def _esc(value: str) -> str:
    return value.replace("-", "\\-").replace(".", "\\.")


def test_the_comment_has_the_parts_the_guide_names(comment: str) -> None:
    assert comment.startswith("<!-- congkhai-pr-comment -->\n## Tóm tắt yêu cầu hợp nhất\n")
    assert "❌ **Chưa hợp nhất được**: còn 2 lỗi cần sửa" in comment
    # the counts: one plan, its five tasks, the importer's proposed bodies
    assert "| Kế hoạch | 1 | 0 | 0 |" in comment and "| Nhiệm vụ | 5 | 0 | 0 |" in comment
    assert "| Cơ quan đề xuất thêm (data/units.csv) | 8 | 0 | 0 |" in comment
    # the plan table
    assert "### Kế hoạch thay đổi" in comment
    assert "| Thực hiện dân chủ ở cơ sở trên địa bàn xã năm 2024 | 45/KH\\-UBND | thêm mới |" in comment
    # each finding with its place and its fix
    findings = comment[comment.index("### Cần sửa") : comment.index("### Xem trước")]
    assert f"- **lỗi** {_esc(DRAFT)}:2 (review\\-marker)" in findings
    unknown = findings[findings.index("(unknown\\-reference)") :]
    assert _esc(TYPO) in unknown.split("\n", 1)[0]
    assert unknown.split("\n")[1].startswith(f"  - cách sửa: Mã gần giống có trong bảng: \\'{_esc(UNIT)}\\'")
    assert findings.count("  - cách sửa: ") == 2
    assert "Chưa có bản xem trước" in comment  # the checks failed: no preview was built
    assert f"[lần chạy kiểm tra](<{RUN_URL}>)" in comment


PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Bình luận</title><style>
body {{ margin: 0; padding: 16px; background: #fff; color: #1f2328;
  font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", "Liberation Sans", "DejaVu Sans", sans-serif; }}
.timeline {{ display: flex; gap: 12px; max-width: 900px; }}
.avatar {{ flex: none; width: 40px; height: 40px; border-radius: 50%; background: #2da44e; color: #fff;
  font: bold 18px/40px sans-serif; text-align: center; }}
.comment {{ flex: 1; min-width: 0; border: 1px solid #d1d9e0; border-radius: 6px; }}
.head {{ background: #f6f8fa; border-bottom: 1px solid #d1d9e0; border-radius: 6px 6px 0 0; padding: 8px 16px;
  color: #59636e; }}
.head b {{ color: #1f2328; }}
.bot {{ border: 1px solid #d1d9e0; border-radius: 2em; padding: 0 7px; font-size: 12px; margin: 0 4px; }}
.body {{ padding: 16px; overflow-wrap: break-word; }}
.body > :first-child {{ margin-top: 0; }} .body > :last-child {{ margin-bottom: 0; }}
h2 {{ font-size: 1.5em; border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; margin: 24px 0 16px; }}
h3 {{ font-size: 1.25em; margin: 24px 0 16px; }}
p, ul, table {{ margin: 0 0 16px; }}
ul {{ padding-left: 2em; }} ul ul {{ margin: 0; }} li + li {{ margin-top: .25em; }}
table {{ border-collapse: collapse; display: block; max-width: 100%; overflow: auto; }}
th, td {{ border: 1px solid #d1d9e0; padding: 6px 13px; }}
th {{ font-weight: 600; }} tr:nth-child(2n) td {{ background: #f6f8fa; }}
code {{ font: 85% ui-monospace, "DejaVu Sans Mono", monospace; background: #eff1f3; border-radius: 6px;
  padding: .2em .4em; }}
a {{ color: #0969da; text-decoration: none; }}
.emoji {{ display: inline-block; width: 1.25em; text-align: center; font-family: "DejaVu Sans", sans-serif; }}
.no {{ color: #e5534b; font-weight: bold; }}
.yes {{ color: #fff; background: #2da44e; border-radius: 3px; line-height: 1.25em; }}
@media (max-width: 600px) {{ body {{ padding: 8px; }} .avatar {{ display: none; }} .body {{ padding: 12px; }} }}
</style></head><body>
<div class="timeline"><div class="avatar" aria-hidden="true">▶</div>
<div class="comment" id="comment">
<div class="head"><b>github-actions</b><span class="bot">bot</span> commented</div>
<div class="body">{body}</div>
</div></div>
</body></html>
"""


def test_the_guide_pictures_the_real_comment(browser, comment: str) -> None:
    out = _out()
    out.mkdir(parents=True, exist_ok=True)
    shots = ROOT / "build" / "screenshots" / "comment"
    shots.mkdir(parents=True, exist_ok=True)
    page_html = PAGE.format(body=_md(comment))
    (shots / "comment.md").write_text(comment, encoding="utf-8")
    (shots / "comment.html").write_text(page_html, encoding="utf-8")
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
    external: list[str] = []

    def guard(route) -> None:
        external.append(route.request.url)
        route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.set_content(page_html)
    box = page.locator("#comment")
    # what a clerk reads: the parts named in the guide, and no Markdown left unrendered
    body = box.inner_text()
    for part in ("Tóm tắt yêu cầu hợp nhất", "Kế hoạch thay đổi", "Cần sửa", "cách sửa", "Xem trước"):
        assert part in body
    assert "\\" not in body and "**" not in body and "|---" not in body and "congkhai-pr-comment" not in body
    assert page.locator("#comment table").count() == 2
    box.screenshot(path=str(out / SHOTS[0]))
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the comment box is {width}px wide on a phone"
    height = box.bounding_box()["height"]  # type: ignore[index]
    page.screenshot(
        path=str(out / SHOTS[1]), full_page=True, clip={"x": 0, "y": 0, "width": 390, "height": height + 16}
    )
    context.close()
    assert not external, f"the page tried to reach the internet: {external}"
    for name in SHOTS:
        assert (out / name).stat().st_size > 1000
