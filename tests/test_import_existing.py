"""A file whose plan is already in docs/plans/ updates that plan (congkhai/importer/existing.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from congkhai.importer import import_file
from congkhai.importer.existing import fingerprint

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "docs" / "plans"


def _front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n", 2)[1])


def _plans(repo: Path) -> list[Path]:
    return sorted((repo / "docs" / "plans").rglob("*.md"))


def test_fingerprint_ignores_spacing_accents_and_markup() -> None:
    assert fingerprint("Kế hoạch  số 72\n**Phối hợp**") == fingerprint("ke hoach so 72 phoi hop")
    assert fingerprint("Kế hoạch số 72") != fingerprint("Kế hoạch số 73")


def test_same_number_date_and_issuer_is_an_update(seed_repo: Path, tmp_path: Path) -> None:
    # the Bắc Giang plan again, with a corrected sentence: not the same text, the same document
    plan = SEEDS / "bac-giang" / "bac-giang-tp-bac-giang-dinh-ke-2024-72-khph-kdv-ubnd.md"
    original = (plan.parent / _front(plan)["source_file"]).read_text(encoding="utf-8")
    changed = tmp_path / "ban-moi.txt"
    changed.write_text(original.replace("năm 2024", "năm 2024 (bản sửa)", 1) + "\nMột câu mới.\n", encoding="utf-8")
    assert fingerprint(changed.read_text(encoding="utf-8")) != fingerprint(original)
    before = _plans(seed_repo)
    done = import_file(changed, seed_repo)
    assert done.updates is not None and done.updates.route == "document"
    assert done.updates.plan_id == "bac-giang-tp-bac-giang-dinh-ke-2024-72-khph-kdv-ubnd"
    assert done.draft == seed_repo / "docs" / "plans" / "bac-giang" / plan.name
    assert _plans(seed_repo) == before  # no second plan
    front = _front(done.draft)
    assert front["id"] == "bac-giang-tp-bac-giang-dinh-ke-2024-72-khph-kdv-ubnd"
    assert front["source_file"] == "ban-moi.txt"


def test_same_text_is_an_update(seed_repo: Path, tmp_path: Path) -> None:
    # Cần Thơ's plan has no number and no date: only its text says it is the same document,
    # here re-typed with other line breaks and spacing
    plan = SEEDS / "can-tho" / "can-tho-thuc-hien-chi-thi-33-ct-ttg.md"
    original = (plan.parent / _front(plan)["source_file"]).read_text(encoding="utf-8")
    retyped = tmp_path / "tai-lai.txt"
    retyped.write_text(original.replace("\n\n", "\n").replace(". ", ".  "), encoding="utf-8")
    before = _plans(seed_repo)
    done = import_file(retyped, seed_repo)
    assert done.updates is not None and done.updates.route == "text"
    assert done.updates.plan_id == "can-tho-thuc-hien-chi-thi-33-ct-ttg"
    assert _plans(seed_repo) == before
    assert _front(done.draft)["id"] == "can-tho-thuc-hien-chi-thi-33-ct-ttg"


def test_importing_a_file_twice_updates_the_first_draft(data_repo: Path) -> None:
    path = ROOT / "tests" / "fixtures" / "word" / "xa-ke-hoach-bang-nhiem-vu.docx"
    first = import_file(path, data_repo)
    assert first.updates is None
    units = (data_repo / "data" / "units.csv").read_text(encoding="utf-8")
    second = import_file(path, data_repo)
    assert second.updates is not None and second.draft == first.draft
    assert second.new_units == ()  # the bodies proposed the first time now match
    assert (data_repo / "data" / "units.csv").read_text(encoding="utf-8") == units
    assert len(_plans(data_repo)) == 1


def test_the_command_line_tells_the_clerk(seed_repo: Path) -> None:
    src = SEEDS / "lang-son" / "002_cdfb92253c4322e4.txt"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "build_site.py"), "import", str(src), "--root", str(seed_repo)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    assert "Đây là bản cập nhật của kế hoạch lang-son-cao-loc-2024-kh-ubnd" in proc.stdout
    assert proc.stdout.splitlines()[1].startswith("Đã viết bản nháp: ")  # what make ci-import reads
