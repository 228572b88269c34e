"""Nothing published is ever lost: removed or renamed plans against a published revision, and versions."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from congkhai.checks.published import removed_plans
from congkhai.model.errors import CongkhaiError
from congkhai.model.findings import CODES
from congkhai.read.frontmatter import read_source
from congkhai.read.history import (
    Version,
    ids_at,
    plan_versions,
    version_files,
    version_text,
    versions_for_all,
)
from congkhai.render.history import history_section

REPO = Path(__file__).resolve().parents[1]
A = "docs/plans/bac-kan/bac-kan-2023-276-ubnd-ncpc.md"
B = "docs/plans/lang-son/lang-son-cao-loc-2024-kh-ubnd.md"
A_ID = "bac-kan-2023-276-ubnd-ncpc"
B_ID = "lang-son-cao-loc-2024-kh-ubnd"


def git(repo: Path, *args: str, when: str = "2024-05-06T07:08:09+07:00") -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    proc = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=repo,
        check=True,
        env=env,
        capture_output=True,
        text=True,
    )
    return proc.stdout.strip()


def commit(repo: Path, subject: str, when: str = "2024-05-06T07:08:09+07:00") -> str:
    git(repo, "add", "-A", when=when)
    git(repo, "commit", "-qm", subject, when=when)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q")
    shutil.copytree(REPO / "data", tmp_path / "data")
    for rel in (A, B):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO / rel, tmp_path / rel)
    commit(tmp_path, "base", when="2024-01-02T03:04:05+07:00")
    git(tmp_path, "tag", "base")
    return tmp_path


def current_ids(root: Path) -> set[str]:
    out = set()
    for path in (root / "docs/plans").rglob("*.md"):
        data = read_source(path, root).data or {}
        out.add(data["id"])
    return out


def test_ids_at_base(repo: Path) -> None:
    assert ids_at(repo, "base") == {A_ID: A, B_ID: B}
    assert removed_plans(repo, "base", current_ids(repo)) == []


def test_deleted_plan_is_reported_with_its_path(repo: Path) -> None:
    (repo / A).unlink()
    commit(repo, "xóa kế hoạch")
    found = removed_plans(repo, "base", current_ids(repo))
    assert [(f.file, f.line, f.code) for f in found] == [(A, 0, "published-plan-removed")]
    assert found[0].params == {"id": A_ID, "path": A, "base": "base"}
    # against the new revision nothing is missing any more
    assert removed_plans(repo, "HEAD", current_ids(repo)) == []


def test_uncommitted_deletion_is_reported(repo: Path) -> None:
    (repo / B).unlink()
    assert [f.file for f in removed_plans(repo, "HEAD", current_ids(repo))] == [B]


def test_renamed_plan_is_reported(repo: Path) -> None:
    new = "docs/plans/bac-kan/bac-kan-2023-276-ubnd-ncpc-moi.md"
    git(repo, "mv", A, new)
    text = (repo / new).read_text(encoding="utf-8")
    (repo / new).write_text(text.replace(f"id: {A_ID}", f"id: {A_ID}-moi", 1), encoding="utf-8")
    commit(repo, "đổi mã")
    assert A_ID + "-moi" in current_ids(repo)
    found = removed_plans(repo, "base", current_ids(repo))
    assert [(f.file, f.params["id"]) for f in found] == [(A, A_ID)]


def test_id_changed_in_place_is_reported(repo: Path) -> None:
    text = (repo / B).read_text(encoding="utf-8")
    (repo / B).write_text(text.replace(f"id: {B_ID}", "id: lang-son-khac", 1), encoding="utf-8")
    found = removed_plans(repo, "base", current_ids(repo))
    assert [(f.file, f.params["id"]) for f in found] == [(B, B_ID)]


def test_withdrawn_plan_is_not_reported(repo: Path) -> None:
    text = (repo / A).read_text(encoding="utf-8")
    assert "\nstatus: in_force\n" in text
    text = text.replace(
        "\nstatus: in_force\n",
        '\nstatus: withdrawn\nstatus_date: "2024-05-06"\nstatus_reason: "Ban hành nhầm"\n',
        1,
    )
    (repo / A).write_text(text, encoding="utf-8")
    commit(repo, "thu hồi")
    assert removed_plans(repo, "base", current_ids(repo)) == []


def test_moved_to_another_folder_with_same_id_is_not_reported(repo: Path) -> None:
    new = "docs/plans/thai-nguyen/" + A.rsplit("/", 1)[1]
    (repo / new).parent.mkdir(parents=True)
    git(repo, "mv", A, new)
    commit(repo, "chuyển tỉnh")
    assert removed_plans(repo, "base", current_ids(repo)) == []


@pytest.mark.parametrize("base", ["khong-co", "0123456789abcdef0123456789abcdef01234567", "", "--all"])
def test_unknown_base_is_a_usage_error(repo: Path, base: str) -> None:
    with pytest.raises(CongkhaiError, match="git") as caught:
        removed_plans(repo, base, current_ids(repo))
    assert caught.value.exit_code == 2 and "phiên bản" in caught.value.message("vi")


def test_outside_git_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(CongkhaiError):
        removed_plans(tmp_path, "main", set())


def test_message_when_registered() -> None:
    assert "published-plan-removed" in CODES
    from congkhai.model.findings import Finding

    f = Finding(A, 0, 0, "id", "published-plan-removed", {"id": A_ID, "path": A, "base": "main"})
    assert A_ID in f.message("vi") and A_ID in f.message("en")


def edit_three_times(repo: Path) -> list[tuple[str, str]]:
    """Three commits after base that edit plan B; (sha, text) newest first, base last."""
    done = [(git(repo, "rev-parse", "HEAD"), (repo / B).read_text(encoding="utf-8"))]
    for i, (subject, when) in enumerate(
        [
            ("Sửa tiêu đề | lần 1", "2024-02-03T10:00:00+07:00"),
            ("Bổ sung nhiệm vụ *mới*", "2024-03-04T10:00:00+07:00"),
            ("Sửa lỗi chính tả <b>", "2024-04-05T23:30:00+07:00"),
        ],
        1,
    ):
        text = (repo / B).read_text(encoding="utf-8") + f"\nSửa đổi {i}.\n"
        (repo / B).write_text(text, encoding="utf-8")
        done.append((commit(repo, subject, when=when), text))
    # an unrelated commit touching the other plan
    (repo / A).write_text((repo / A).read_text(encoding="utf-8") + "\nkhác\n", encoding="utf-8")
    commit(repo, "khác", when="2024-04-06T10:00:00+07:00")
    return done[::-1]


def test_versions_newest_first_with_texts(repo: Path) -> None:
    expected = edit_three_times(repo)
    versions = plan_versions(repo, B)
    assert [v.subject for v in versions] == [
        "Sửa lỗi chính tả <b>",
        "Bổ sung nhiệm vụ *mới*",
        "Sửa tiêu đề | lần 1",
        "base",
    ]
    assert [v.sha for v in versions] == [sha for sha, _ in expected]
    assert versions[0].date == "2024-04-05T23:30:00+07:00"
    for v, (_, text) in zip(versions, expected, strict=True):
        assert version_text(repo, v.sha, B) == text
    assert versions_for_all(repo, [B, A]) == {B: versions, A: plan_versions(repo, A)}
    assert len(plan_versions(repo, A)) == 2


def test_versions_follow_renames(repo: Path) -> None:
    edit_three_times(repo)
    new = "docs/plans/thai-nguyen/" + B.rsplit("/", 1)[1]
    (repo / new).parent.mkdir(parents=True)
    git(repo, "mv", B, new)
    commit(repo, "chuyển sang Thái Nguyên", when="2025-07-01T08:00:00+07:00")
    versions = plan_versions(repo, new)
    assert len(versions) == 5 and versions[0].path == new and versions[-1].path == B
    assert versions_for_all(repo, [new, A]) == {new: versions, A: plan_versions(repo, A)}
    files = version_files(repo, {new: versions}, {new: B_ID})
    assert len(files) == 5
    oldest = f"ke-hoach/{B_ID}/phien-ban/{versions[-1].sha[:7]}.txt"
    assert files[oldest] == (REPO / B).read_bytes()
    for v in versions:
        assert files[f"ke-hoach/{B_ID}/phien-ban/{v.short}.txt"] == version_text(repo, v.sha, v.path).encode("utf-8")


def test_no_git_no_versions(tmp_path: Path) -> None:
    assert plan_versions(tmp_path, B) == []
    assert versions_for_all(tmp_path, [B]) == {B: []}
    assert version_files(tmp_path, {B: []}, {B: B_ID}) == {}


def test_version_text_missing_is_key_error(repo: Path) -> None:
    with pytest.raises(KeyError):
        version_text(repo, git(repo, "rev-parse", "HEAD"), "docs/plans/khong-co.md")


def test_deleted_then_readded_skips_the_deletion(repo: Path) -> None:
    text = (repo / A).read_text(encoding="utf-8")
    (repo / A).unlink()
    commit(repo, "xóa nhầm", when="2024-02-01T00:00:00+07:00")
    (repo / A).write_text(text, encoding="utf-8")
    commit(repo, "khôi phục", when="2024-02-02T00:00:00+07:00")
    versions = plan_versions(repo, A)
    assert [v.subject for v in versions] == ["khôi phục", "base"]
    assert versions_for_all(repo, [A]) == {A: versions}


def test_history_section() -> None:
    versions = [
        Version("abcdef0123456789" * 2 + "abcdefgh", "2024-04-05T23:30:00+07:00", "Sửa | lỗi <b>*x*</b>", B),
        Version("1234567890" * 4, "2024-01-02T03:04:05+07:00", "base", B),
    ]
    here = f"plans/lang-son/{B_ID}.md"
    md = history_section(here, B_ID, versions)
    assert md.startswith("## Lịch sử thay đổi (2) {#lich-su-thay-doi}\n")
    assert (
        f"| Phiên bản 2 (hiện hành) · [tệp gốc của phiên bản](../../data/ke-hoach/{B_ID}/phien-ban/abcdef0.txt) |" in md
    )
    assert md.count("| 05/04/2024 | ") == 1
    assert f"](../../data/ke-hoach/{B_ID}/phien-ban/1234567.txt)" in md
    # Commit subjects are the committer's words (often English): never on the page.
    assert "lỗi" not in md and "base" not in md and "<b>" not in md
    assert "Không đọc được phiên bản này." in md  # no text given for the versions
    assert md.index("05/04/2024") < md.index("02/01/2024")
    assert "Chưa có lịch sử" in history_section(here, B_ID, [])


def test_history_says_what_changed_in_vietnamese() -> None:
    from congkhai.model.schemas import load_model
    from congkhai.render.history import change_summary

    def text(tasks: str, cites: str, title: str = "Kế hoạch năm 2024", body: str = "Nội dung.") -> str:
        return f'---\nid: {B_ID}\ntitle: "{title}"\ntasks:\n{tasks}citations:\n{cites}---\n{body}\n'

    t1 = "  - {id: a, text: Một}\n  - {id: b, text: Hai}\n  - {id: c, text: Ba}\n"
    t2 = "  - {id: a, text: Một sửa}\n  - {id: b, text: Hai sửa}\n  - {id: c, text: Ba}\n  - {id: d, text: Bốn}\n"
    c1 = "  - {directive: x, relation: can_cu}\n"
    c2 = c1 + "  - {directive: y, relation: dan_chieu}\n"
    versions = [
        Version("3" * 40, "2024-03-01T00:00:00+07:00", "fix typo", B),
        Version("2" * 40, "2024-02-01T00:00:00+07:00", "update tasks and cites", B),
        Version("1" * 40, "2024-01-01T00:00:00+07:00", "initial import", B),
    ]
    texts = {
        "1" * 40: text(t1, c1),
        "2" * 40: text(t2, c2),
        "3" * 40: text(t2, c2, title="Kế hoạch năm 2025", body="Nội dung mới."),
    }
    md = history_section(f"plans/lang-son/{B_ID}.md", B_ID, versions, texts, load_model())
    assert "| 01/01/2024 | Đăng lần đầu (3 nhiệm vụ, 1 văn bản được trích dẫn). |" in md
    assert "| 01/02/2024 | Sửa 2 nhiệm vụ, thêm 1 nhiệm vụ, thêm 1 văn bản được trích dẫn. |" in md
    assert "| 01/03/2024 | Sửa trích yếu, sửa nội dung văn bản. |" in md
    for subject in ("fix typo", "update tasks", "initial import"):
        assert subject not in md
    same = {"id": B_ID, "tasks": [{"id": "a"}]}
    assert change_summary(same, dict(same), "x", "x") == "Không thay đổi nội dung (chỉ cách trình bày của tệp)."
