"""Large inputs are handled, not refused: a 5 MB plan, 10,000 tasks, 2,000-character lines.

These are correctness tests only; speed is measured by `make bench`, never asserted here.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from congkhai import datasets
from congkhai.pipeline import validate

SEED = "docs/plans/lang-son/lang-son-cao-loc-2024-kh-ubnd.md"


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
    fm["tasks"] = [dict(copy.deepcopy(fm["tasks"][0]), id=f"t-{i}") for i in range(10_000)]
    _write(repo, "lang-son-nhieu-nhiem-vu", fm, body)
    v = validate(repo)
    assert v.findings == []
    rows = datasets.output_rows(v.model, v.tables, v.mentions)
    assert sum(1 for t in rows["tasks"] if t["plan_id"] == "lang-son-nhieu-nhiem-vu") == 10_000


def test_five_megabyte_plan_with_long_lines(parts):
    repo, fm, body = parts
    line = ("Tuyên truyền công tác dân vận chính quyền, thực hiện dân chủ ở cơ sở. " * 40)[:2000]
    assert len(line) == 2000
    fm["notes"] = line  # a 2,000-character value in the front matter
    big = body + "\n\n" + "\n\n".join([line] * 2600)
    path = _write(repo, "lang-son-rat-dai", fm, big)
    assert path.stat().st_size > 5_000_000
    v = validate(repo)
    assert v.findings == []
    assert any(s.data and s.data["id"] == "lang-son-rat-dai" and len(s.body) > 5_000_000 for s in v.sources)


def test_an_error_on_the_last_line_of_a_huge_plan_is_located(parts):
    repo, fm, body = parts
    big = body + "\n\n" + "\n\n".join(["Một đoạn văn bình thường."] * 50_000) + "\n\nKÕ ho¹ch bị lỗi phông.\n"
    path = _write(repo, "lang-son-loi-cuoi", fm, big)
    [finding] = validate(repo, only=[path]).findings
    assert finding.code == "mojibake"
    assert finding.line == path.read_text(encoding="utf-8").count("\n")
