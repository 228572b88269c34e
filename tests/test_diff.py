"""The dataset diff between two git revisions, on a scratch repository made from the seeds."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from congkhai.cli import main
from congkhai.commands.diff import diff_revisions, render_json, render_markdown

ROOT = Path(__file__).resolve().parent.parent
KEEP = "bac-giang/bac-giang-tp-bac-giang-dinh-ke-2024-72-khph-kdv-ubnd"  # edited
GONE = "lang-son/lang-son-cao-loc-2024-kh-ubnd"  # removed (not marked withdrawn)
NEW = "can-tho/can-tho-thuc-hien-chi-thi-33-ct-ttg"  # added
OLD_TITLE = "Phối hợp thực hiện công tác dân vận giữa Khối dân vận Đảng ủy và UBND phường Dĩnh Kế năm 2024"
NEW_TITLE = "Phối hợp thực hiện công tác dân vận giữa Khối dân vận và UBND phường Dĩnh Kế năm 2024"
OLD_DEADLINE = 'deadline: "đến hết năm 2024"'
NEW_DEADLINE = 'deadline: "đến hết tháng 6 năm 2024"'


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout.strip()


def _copy_plan(repo: Path, plan: str) -> None:
    src = ROOT / "docs" / "plans" / plan
    dest = repo / "docs" / "plans" / plan
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src.with_suffix(".md"), dest.with_suffix(".md"))


def _front(plan: str) -> dict:
    text = (ROOT / "docs" / "plans" / plan).with_suffix(".md").read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n", 2)[1])


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("diff") / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "config", "user.email", "test@example.org")
    _git(repo, "config", "user.name", "Test")
    _git(repo, "config", "commit.gpgsign", "false")
    shutil.copytree(ROOT / "data", repo / "data")
    _copy_plan(repo, KEEP)
    _copy_plan(repo, GONE)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "two plans")
    _git(repo, "tag", "v1")
    keep = (repo / "docs" / "plans" / KEEP).with_suffix(".md")
    text = keep.read_text(encoding="utf-8")
    assert text.count(OLD_TITLE) >= 1 and text.count(OLD_DEADLINE) == 1
    text = text.replace(f'title: "{OLD_TITLE}"', f'title: "{NEW_TITLE}"', 1).replace(OLD_DEADLINE, NEW_DEADLINE)
    keep.write_text(text, encoding="utf-8")
    _copy_plan(repo, NEW)
    _git(repo, "rm", "-q", str(Path("docs/plans") / (GONE + ".md")))
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "edit, add, remove")
    return repo


def _plan_id(plan: str) -> str:
    return plan.split("/")[1]


def test_plans_added_removed_changed(repo: Path) -> None:
    diff = diff_revisions(repo, "v1", "main")
    assert [p.id for p in diff.plans_added] == [_plan_id(NEW)]
    assert [p.id for p in diff.plans_removed] == [_plan_id(GONE)]
    assert [c.plan.id for c in diff.plans_changed] == [_plan_id(KEEP)]
    changed = diff.plans_changed[0]
    assert [(f.field, f.old, f.new) for f in changed.fields] == [("title", OLD_TITLE, NEW_TITLE)]
    assert changed.rows == {"tasks": [0, 0, 1], "directory": [0, 0, 1]}  # the directory repeats the title
    added = diff.plans_added[0]
    assert added.title == _front(NEW)["title"]
    assert added.issuers == ["Ủy ban nhân dân thành phố Cần Thơ"]
    assert diff.plans_removed[0].status == "draft"
    assert diff.base.errors == 0 and diff.head.errors == 0
    assert diff.base.plans == 2 and diff.head.plans == 2


def test_rows_per_table(repo: Path) -> None:
    diff = diff_revisions(repo, "v1", "main")
    tables = {t.name: t for t in diff.tables}
    keep, gone, new = _front(KEEP), _front(GONE), _front(NEW)
    for name in ("tasks", "citations", "issuers", "signers", "recipients"):
        t = tables[name]
        assert len(t.added) == len(new[name]), name
        assert len(t.removed) == len(gone[name]), name
        assert t.old_count == len(keep[name]) + len(gone[name]), name
        assert t.new_count == len(keep[name]) + len(new[name]), name
        assert {k[0] for k in t.added} <= {_plan_id(NEW)}
        assert {k[0] for k in t.removed} == {_plan_id(GONE)}
    # the exact numbers, as a guard that the counting above means something
    assert [len(tables["tasks"].added), len(tables["tasks"].removed), tables["tasks"].new_count] == [14, 21, 39]
    (task,) = tables["tasks"].changed
    assert task.key == [_plan_id(KEEP), "ii-4"]
    assert [(f.field, f.old, f.new) for f in task.fields] == [
        ("deadline", "đến hết năm 2024", "đến hết tháng 6 năm 2024")
    ]
    (plan,) = tables["plans"].changed
    assert [f.field for f in plan.fields] == ["title"]
    assert tables["units"].empty and tables["provinces"].empty and tables["task_units"].changed == []
    # directives: no row added or removed, but how many plans cite them changes
    assert not tables["directives"].added and not tables["directives"].removed
    assert {f.field for c in tables["directives"].changed for f in c.fields} == {"citing_plans"}


def test_markdown_vi(repo: Path) -> None:
    md = render_markdown(diff_revisions(repo, "v1", "main"))
    lines = md.splitlines()
    assert lines[0].startswith("## Thay đổi dữ liệu: v1 (") and "→ main (" in lines[0]
    assert "1 kế hoạch thêm mới, 1 kế hoạch thay đổi, 1 kế hoạch bị xóa." in lines
    for heading in ("### Kế hoạch thêm mới (1)", "### Kế hoạch thay đổi (1)", "### Kế hoạch bị xóa (1)"):
        assert heading in lines
    assert f"- **{NEW_TITLE}** — `{_plan_id(KEEP)}`" in lines
    assert (
        "  - Số, ký hiệu: 72-KHPH/KDV-UBND · ngày 2024-03-18 · cơ quan ban hành: "
        "Khối Dân vận Đảng ủy phường Dĩnh Kế; Ủy ban nhân dân phường Dĩnh Kế · tình trạng: `in_force`"
    ) in lines
    # a long value is shown from just before the difference
    assert (
        "  - Trích yếu (`title`): «…vận giữa Khối dân vận Đảng ủy và UBND phường Dĩnh Kế năm 2024» "
        "→ «…vận giữa Khối dân vận và UBND phường Dĩnh Kế năm 2024»"
    ) in lines
    assert "  - Dòng dữ liệu `tasks`: sửa 1" in lines
    assert any(line.startswith(f"⚠️ **Cảnh báo:** kế hoạch `{_plan_id(GONE)}` bị xóa") for line in lines)
    assert any(
        line.startswith(f"  - `{_plan_id(KEEP)}/ii-4`: ")
        and "(`deadline`): «đến hết năm 2024» → «đến hết tháng 6 năm 2024»" in line
        for line in lines
    )
    assert "| Bảng | Trước | Sau | Thêm | Bớt | Sửa |" in lines
    assert "### Kết quả kiểm tra" in lines
    assert "_Cả hai phía được đọc theo lược đồ hiện tại (`schemas/`)._" in lines


def test_markdown_en_and_no_change(repo: Path) -> None:
    md = render_markdown(diff_revisions(repo, "v1", "main"), lang="en")
    assert "1 plans added, 1 plans changed, 1 plans removed." in md
    assert "### Plans removed (1)" in md and "was deleted without being marked withdrawn" in md
    same = render_markdown(diff_revisions(repo, "main", "main"))
    assert "Dữ liệu không thay đổi." in same and "### Kế hoạch" not in same


def test_withdrawn_plan_removed_has_no_warning(repo: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    _git(tmp_path, "clone", "-q", str(repo), str(clone))
    _git(clone, "config", "user.email", "test@example.org")
    _git(clone, "config", "user.name", "Test")
    path = clone / "docs" / "plans" / (NEW + ".md")
    text = path.read_text(encoding="utf-8").replace("\nstatus: in_force\n", "\nstatus: withdrawn\n", 1)
    path.write_text(text, encoding="utf-8")
    _git(clone, "commit", "-q", "-am", "withdraw")
    _git(clone, "rm", "-q", str(path.relative_to(clone)))
    _git(clone, "commit", "-q", "-m", "remove")
    diff = diff_revisions(clone, "HEAD~1", "HEAD")
    assert [(p.id, p.status) for p in diff.plans_removed] == [(_plan_id(NEW), "withdrawn")]
    assert "Cảnh báo" not in render_markdown(diff)


def test_working_tree_and_invalid_revision_side(repo: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    _git(tmp_path, "clone", "-q", str(repo), str(clone))
    path = clone / "docs" / "plans" / (KEEP + ".md")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nstatus: in_force\n", "\nstatus: in_forse\n", 1), encoding="utf-8")
    diff = diff_revisions(clone, "HEAD")  # the working tree, uncommitted
    assert diff.head.commit is None and diff.head.errors >= 1 and diff.head.codes.get("vocabulary-error")
    assert [(f.field, f.old, f.new) for f in diff.plans_changed[0].fields] == [("status", "in_force", "in_forse")]
    md = render_markdown(diff)
    assert "→ thư mục làm việc" in md.splitlines()[0]
    assert "⚠️ Bản thư mục làm việc có lỗi kiểm tra: so sánh chỉ gồm những gì đọc được." in md


def test_json_is_stable(repo: Path) -> None:
    one = render_json(diff_revisions(repo, "v1", "main"))
    two = render_json(diff_revisions(repo, "v1", "main"))
    assert one == two
    data = json.loads(one)
    assert list(data) == sorted(data)
    assert [p["id"] for p in data["plans_added"]] == [_plan_id(NEW)]
    assert render_markdown(diff_revisions(repo, "v1", "main")) == render_markdown(diff_revisions(repo, "v1", "main"))


def test_truncated_politely(repo: Path) -> None:
    diff = diff_revisions(repo, "v1", "main")
    full = render_markdown(diff)
    cut = render_markdown(diff, max_bytes=2000)
    assert len(cut.encode()) <= 2000 < len(full.encode())
    last = cut.rstrip("\n").splitlines()[-1]
    assert last.startswith("_Bản tóm tắt đã được cắt bớt") and "dòng không hiển thị" in last
    shown = len(cut.splitlines()) - 2
    assert f"còn {len(full.splitlines()) - shown} dòng" in last


def test_command(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def diff(*args: str) -> int:
        return main(["diff", "--root", str(args[0]), *args[1:]])

    assert diff(str(repo), "v1", "main", "--format", "json") == 0
    assert json.loads(capsys.readouterr().out)["head"]["rev"] == "main"
    assert diff(str(repo), "v1", "--lang", "en") == 0
    assert capsys.readouterr().out.startswith("## Data changes: v1 (")
    assert diff(str(repo), "no-such-branch", "main") == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "no-such-branch" in captured.err and "Traceback" not in captured.err
    assert captured.err.startswith("Không so sánh được")
    assert diff(str(repo), "v1", "deadbeef", "--lang", "en") == 2
    err = capsys.readouterr().err
    assert "no revision" in err and "không" not in err.lower()
    assert diff(str(repo.parent), "v1") == 2
    assert "không phải là kho git" in capsys.readouterr().err
