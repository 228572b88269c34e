"""Large inputs are handled, not refused: a 5 MB plan, 10,000 tasks, 2,000-character lines; past
the declared limits (congkhai/model/limits.py) a plan is refused with a finding naming the file, the
limit, its value and how to split it; ``source_file`` is a plain file name, never a crash.

These are correctness tests only; speed is measured by `make bench`, never asserted here.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from congkhai.cli import main
from congkhai.load.corpus import validate
from congkhai.model import limits
from congkhai.model.findings import CODES
from congkhai.model.limits import LINE_CHARS, PLAN_BYTES, PLAN_TASKS
from congkhai.read.frontmatter import parse_source

SEED = "docs/plans/lang-son/lang-son-cao-loc-2024-kh-ubnd.md"
# the copies get ids by the id rule (congkhai/vietnamese/planid.py): the seed's, then a title part


@pytest.fixture
def parts(seed_repo: Path) -> tuple[Path, dict, str]:
    front, body = (seed_repo / SEED).read_text(encoding="utf-8").split("---\n", 2)[1:]
    return seed_repo, yaml.safe_load(front), body


def _write(repo: Path, plan_id: str, fm: dict, body: str) -> Path:
    path = repo / "docs" / "plans" / "lang-son" / f"{plan_id}.md"
    path.write_text(
        "---\n" + yaml.safe_dump({**fm, "id": plan_id}, allow_unicode=True, width=100_000) + "---\n" + body,
        encoding="utf-8",
    )
    return path


def test_ten_thousand_tasks(parts):
    repo, fm, body = parts
    # the seed's own tasks over and over: real sizes (1.3 KB on average), 13 MB in all
    real = fm["tasks"]
    fm["tasks"] = [dict(copy.deepcopy(real[i % len(real)]), id=f"t-{i}") for i in range(PLAN_TASKS.value)]
    path = _write(repo, "lang-son-cao-loc-2024-kh-ubnd-nhieu-nhiem-vu", fm, body)
    assert 12 * limits.MB < path.stat().st_size < PLAN_BYTES.value
    v = validate(repo)
    assert v.findings == []
    rows = v.published
    assert sum(1 for t in rows["tasks"] if t["plan_id"] == "lang-son-cao-loc-2024-kh-ubnd-nhieu-nhiem-vu") == 10_000


def test_five_megabyte_plan_with_long_lines(parts):
    repo, fm, body = parts
    line = ("Tuyên truyền công tác dân vận chính quyền, thực hiện dân chủ ở cơ sở. " * 40)[:2000]
    assert len(line) == 2000
    fm["notes"] = line  # a 2,000-character value in the front matter
    big = body + "\n\n" + "\n\n".join([line] * 2600)
    path = _write(repo, "lang-son-cao-loc-2024-kh-ubnd-rat-dai", fm, big)
    assert path.stat().st_size > 5_000_000
    v = validate(repo)
    assert v.findings == []
    assert any(
        s.data and s.data["id"] == "lang-son-cao-loc-2024-kh-ubnd-rat-dai" and len(s.body) > 5_000_000
        for s in v.sources
    )


def test_an_error_on_the_last_line_of_a_huge_plan_is_located(parts):
    repo, fm, body = parts
    big = body + "\n\n" + "\n\n".join(["Một đoạn văn bình thường."] * 50_000) + "\n\nKÕ ho¹ch bị lỗi phông.\n"
    path = _write(repo, "lang-son-cao-loc-2024-kh-ubnd-loi-cuoi", fm, big)
    [finding] = validate(repo, only=[path]).findings
    assert finding.code == "mojibake"
    assert finding.line == path.read_text(encoding="utf-8").count("\n")


# --- over the limits ------------------------------------------------------------------------------


def test_a_plan_over_the_size_limit_is_refused_unread(parts):
    repo, fm, body = parts
    path = _write(
        repo,
        "lang-son-cao-loc-2024-kh-ubnd-qua-lon",
        fm,
        body + "\n\n" + "Một đoạn văn của phụ lục rất dài.\n\n" * 540_000,
    )
    assert 25 * limits.MB < path.stat().st_size < 26 * limits.MB  # the 25 MB plan of the review: 55 s, 2 GB
    v = validate(repo, only=[path])
    [finding] = v.findings
    assert (finding.file, finding.code) == (
        "docs/plans/lang-son/lang-son-cao-loc-2024-kh-ubnd-qua-lon.md",
        "plan-too-large",
    )
    assert finding.message("vi").startswith("Kích thước tệp kế hoạch là 25,") and "giới hạn 16 MB" in finding.message(
        "vi"
    )
    assert "over the limit of 16 MB" in finding.message("en") and "split" in finding.hint("en")
    assert [s.data for s in v.sources] == [None]


def test_a_plan_just_over_the_size_limit_says_by_how_much(tmp_path):
    from congkhai.read.frontmatter import read_source

    path = tmp_path / "p.md"
    head = b"---\nid: p\n---\n"
    path.write_bytes((head + (b"a" * 99 + b"\n") * (PLAN_BYTES.value // 100 + 1))[: PLAN_BYTES.value + 1])
    assert path.stat().st_size == PLAN_BYTES.value + 1
    [finding] = read_source(path, tmp_path).findings
    assert finding.code == "plan-too-large"
    assert f"{PLAN_BYTES.value + 1:,} bytes" in finding.message("en")


def _tasks_plan(n: int) -> str:
    return (
        "---\nid: p\ntitle: Kế hoạch\ntasks:\n"
        + "".join(f"  - {{id: t-{i}, text: Việc {i}}}\n" for i in range(n))
        + "---\n"
    )


def test_too_many_tasks_is_a_finding_and_only_the_first_are_read():
    src = parse_source("docs/plans/x/p.md", _tasks_plan(PLAN_TASKS.value + 1))
    [finding] = src.findings
    assert (finding.code, finding.line, finding.field) == ("too-many-tasks", 4, "tasks")
    assert "10.001" in finding.message("vi") and "10.000" in finding.message("vi")
    assert finding.message("en") == "Number of tasks in the plan is 10,001, over the limit of 10,000"
    assert src.data is not None and len(src.data["tasks"]) == PLAN_TASKS.value


def test_tasks_at_the_limit_are_all_read():
    src = parse_source("p.md", _tasks_plan(PLAN_TASKS.value))
    assert src.findings == [] and src.data is not None and len(src.data["tasks"]) == PLAN_TASKS.value


def test_a_line_over_the_limit_is_a_finding_at_that_line():
    ok = "Tuyên truyền dân vận. " * (LINE_CHARS.value // 22)
    long = ok + "x" * (LINE_CHARS.value + 1 - len(ok))
    assert len(long) == LINE_CHARS.value + 1
    at_limit = "x" * LINE_CHARS.value  # a line at the limit passes
    src = parse_source("p.md", f"---\nid: p\nnotes: {ok[:2000]}\n---\n{at_limit}\n\n{long}\n\n{long}\n")
    [finding] = src.findings  # one finding for the file, at the first long line
    assert (finding.code, finding.line, finding.column) == ("line-too-long", 7, LINE_CHARS.value + 1)
    assert "20.001 ký tự" in finding.message("vi") and "20.000 ký tự" in finding.message("vi")
    assert "one paragraph per line" in finding.hint("en")
    assert src.data == {"id": "p", "notes": ok[:2000].strip()}  # the rest of the file is still checked


def test_limits_are_declared_once_and_documented():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert limits.markdown_table() in readme
    for lim in limits.LIMITS:
        assert lim.value > 0 and lim.what_vi and lim.what_en and lim.split_vi and lim.split_en and lim.why
        if lim.code:  # the finding's message and hint are the declaration's
            assert (CODES[lim.code].vi, CODES[lim.code].hint_en) == (lim.message_vi, lim.split_en)
    assert {lim.code for lim in limits.LIMITS if lim.code} == {"plan-too-large", "too-many-tasks", "line-too-long"}
    assert len({lim.name for lim in limits.LIMITS}) == len(limits.LIMITS)
    guide = (Path(__file__).resolve().parent.parent / "docs" / "huong-dan" / "index.md").read_text(encoding="utf-8")
    for lim in (PLAN_BYTES, PLAN_TASKS, LINE_CHARS, limits.SOURCE_BYTES, limits.TEXT_BYTES, limits.DOCX_PARAGRAPHS):
        assert lim.show(lim.value, "vi") in guide, f"the staff guide does not give {lim.name}"


# --- source_file ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [".", "..", "../x", "../../etc/passwd", "a\\b.pdf", ".an", "a\x00b", "a\nb"])
def test_source_file_must_be_a_plain_name_and_the_build_does_not_crash(parts, name, capsys):
    from congkhai.render.site import originals

    repo, fm, body = parts
    assert fm["id"] in originals(validate(repo))  # a plain name beside the plan is offered for download
    fm["source_file"] = name
    path = _write(repo, "lang-son-cao-loc-2024-kh-ubnd", fm, body)
    v = validate(repo, only=[path])
    assert "source-file-name" in {f.code for f in v.findings}
    [finding] = [f for f in v.findings if f.code == "source-file-name"]
    assert finding.field == "source_file" and finding.line > 1 and "072_kh_ubnd.pdf" in finding.hint("en")
    assert originals(v) == frozenset()  # what the build offers for download: "." crashed with_name
    capsys.readouterr()
    assert main(["build", "--root", str(repo), "--out", str(repo / "site")]) == 1
    err = capsys.readouterr().err
    assert "Lỗi nội bộ" not in err and "Chưa dựng trang vì còn lỗi" in err
