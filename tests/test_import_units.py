"""Bodies a draft names, matched to data/units.csv or proposed as rows (congkhai/importer/units.py),
and the drafts of the gold Word set and the seeds validated in a copy of the repository."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from congkhai.importer import import_file
from congkhai.importer.units import Scope, match, propose, split_names
from congkhai.load.corpus import validate
from congkhai.model import csvfile

ROOT = Path(__file__).resolve().parent.parent
WORD = sorted(
    [*(ROOT / "tests" / "fixtures" / "word").glob("*.docx"), *(ROOT / "tests" / "fixtures" / "word").glob("*.txt")]
)
SEEDS = sorted((ROOT / "docs" / "plans").glob("*/*.txt"))
UNITS = csvfile.read_rows(ROOT / "data" / "units.csv")[1]
CHECK = "CẦN KIỂM TRA"


def _scope(province: str, *prefixes: tuple[str, str], names: tuple[str, ...] = (), commune: str | None = None) -> Scope:
    return Scope(province, list(prefixes), list(names), commune, None)


CAO_LOC = _scope("lang-son", ("district", "lang-son-cao-loc"), ("province", "lang-son"), names=("cao loc", "lang son"))
HOP_THANH = _scope(
    "lang-son",
    ("commune", "lang-son-cao-loc-hop-thanh"),
    ("district", "lang-son-cao-loc"),
    ("province", "lang-son"),
    names=("hop thanh", "cao loc", "lang son"),
    commune="Hợp Thành",
)


def test_names_match_with_folding_and_abbreviations() -> None:
    dinh_ke = _scope(
        "bac-giang",
        ("commune", "bac-giang-tp-bac-giang-dinh-ke"),
        ("district", "bac-giang-tp-bac-giang"),
        ("province", "bac-giang"),
        names=("dinh ke", "bac giang"),
    )
    assert match("ỦY BAN NHÂN DÂN PHƯỜNG DĨNH KẾ", UNITS, dinh_ke) == "bac-giang-tp-bac-giang-dinh-ke-ubnd"
    assert match("UBND phường", UNITS, dinh_ke) == "bac-giang-tp-bac-giang-dinh-ke-ubnd"
    assert match("Đảng ủy phường", UNITS, dinh_ke) == "bac-giang-tp-bac-giang-dinh-ke-dang-uy"
    assert match("Phòng Nội vụ", UNITS, CAO_LOC) == "lang-son-cao-loc-phong-noi-vu"
    assert match("UBND huyện Cao Lộc", UNITS, CAO_LOC) == "lang-son-cao-loc-ubnd"
    assert match("Ủy ban MTTQ huyện", UNITS, CAO_LOC) == "lang-son-cao-loc-ubmttq"
    assert match("Ban Dân vận Huyện ủy", UNITS, CAO_LOC) == "lang-son-cao-loc-ban-dan-van-huyen-uy"
    assert match("UBND các xã, thị trấn", UNITS, CAO_LOC) == "lang-son-cao-loc-ubnd-cac-xa-thi-tran"


def test_a_communes_body_is_never_the_districts() -> None:
    # "UBND xã" in a commune plan is the commune's: not the district's UBND, whose name differs
    # only by its level word
    assert match("ỦY BAN NHÂN DÂN XÃ HỢP THÀNH", UNITS, HOP_THANH) is None
    assert match("Ủy ban Mặt trận Tổ quốc xã", UNITS, HOP_THANH) is None
    assert match("Phòng Nội vụ", UNITS, HOP_THANH) == "lang-son-cao-loc-phong-noi-vu"


def test_lists_split_into_bodies() -> None:
    assert split_names("Các sở, ban, ngành liên quan") == ["Các sở, ban, ngành liên quan"]
    assert split_names("UBND xã, phường, thị trấn") == ["UBND xã, phường, thị trấn"]
    assert split_names("Công an xã, Đoàn Thanh niên và Hội Nông dân xã") == [
        "Công an xã",
        "Đoàn Thanh niên",
        "Hội Nông dân xã",
    ]
    assert split_names("Phòng Văn hóa và Thông tin") == ["Phòng Văn hóa và Thông tin"]
    assert split_names("UBND TỈNH LẠNG SƠN SỞ NỘI VỤ") == ["SỞ NỘI VỤ"]  # a header's superior line


def test_unknown_bodies_are_proposed_as_complete_rows() -> None:
    names = ["ỦY BAN NHÂN DÂN XÃ HỢP THÀNH", "Công an xã", "Hội Nông dân xã", "Phòng Nội vụ", "Bổ sung kết quả"]
    ids, rows = propose(names, UNITS, HOP_THANH, "commune")
    assert ids["Phòng Nội vụ"] == "lang-son-cao-loc-phong-noi-vu"  # matched, not proposed
    assert "Bổ sung kết quả" not in ids  # a task's words, not a body: left for the clerk
    by_id = {r["id"]: r for r in rows}
    assert set(by_id) == {
        "lang-son-cao-loc-hop-thanh-ubnd",
        "lang-son-cao-loc-hop-thanh-cong-an",
        "lang-son-cao-loc-hop-thanh-hoi-nong-dan",
    }
    ubnd = by_id["lang-son-cao-loc-hop-thanh-ubnd"]
    assert ubnd == {
        "id": "lang-son-cao-loc-hop-thanh-ubnd",
        "name": "Ủy ban nhân dân xã Hợp Thành",
        "short_name": "ỦY BAN NHÂN DÂN XÃ HỢP THÀNH",
        "kind": "state",
        "level": "commune",
        "province": "lang-son",
        "parent": "",
    }
    police = by_id["lang-son-cao-loc-hop-thanh-cong-an"]
    assert (police["name"], police["kind"], police["parent"]) == (
        "Công an xã Hợp Thành",
        "state",
        "lang-son-cao-loc-hop-thanh-ubnd",
    )
    assert by_id["lang-son-cao-loc-hop-thanh-hoi-nong-dan"]["kind"] == "mass_org"
    # a proposal is matched by the next name, not proposed twice
    again, more = propose(["UBND xã Hợp Thành"], UNITS + rows, HOP_THANH, "commune")
    assert again == {"UBND xã Hợp Thành": "lang-son-cao-loc-hop-thanh-ubnd"} and more == []


def _front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n", 2)[1])


def _unit_refs(front: dict) -> list[str]:
    refs = [i.get("unit") for i in front.get("issuers") or []]
    refs += [s.get("unit") for s in front.get("signers") or []]
    for t in front.get("tasks") or []:
        refs += list(t.get("lead_units") or []) + list(t.get("partner_units") or [])
    return [r for r in refs if r]


def test_drafts_name_only_units_that_exist(seed_repo: Path) -> None:
    """The gold Word set and the seeds imported into a copy of the repository: every unit the
    drafts name is in data/units.csv (what is left is "CẦN KIỂM TRA"), and no id breaks the rule."""
    before = len(csvfile.read_rows(seed_repo / "data" / "units.csv")[1])
    drafts, proposed = [], 0
    for path in WORD + SEEDS:
        done = import_file(path, seed_repo)
        drafts.append(done.draft)
        proposed += len(done.new_units)
    rows = csvfile.read_rows(seed_repo / "data" / "units.csv")[1]
    assert len(rows) == before + proposed > before
    assert all(r["kind"] and r["level"] for r in rows)
    result = validate(seed_repo)
    assert not [f for f in result.findings if f.code == "plan-id-rule"]
    unknown = [
        (f.file, f.field, f.params.get("value"))
        for f in result.findings
        if f.code == "unknown-reference" and f.params.get("table") == "units" and f.params.get("value") != CHECK
    ]
    assert unknown == []
    named = [r for d in drafts for r in _unit_refs(_front(d)) if r != CHECK]
    assert len(named) > 40
    # the units table itself is valid: the proposed rows have their parents and provinces
    assert not [f for f in result.findings if f.file == "data/units.csv"]


def test_one_commune_plan(seed_repo: Path) -> None:
    done = import_file(ROOT / "tests" / "fixtures" / "word" / "xa-ke-hoach-bang-nhiem-vu.docx", seed_repo)
    front = _front(done.draft)
    assert front["id"] == "lang-son-cao-loc-hop-thanh-2024-45-kh-ubnd"
    assert front["issuers"][0]["unit"] == "lang-son-cao-loc-hop-thanh-ubnd"
    assert front["signers"][0]["unit"] == "lang-son-cao-loc-hop-thanh-ubnd"
    assert "lang-son-cao-loc-hop-thanh-ubnd" in done.new_units
    text = done.draft.read_text(encoding="utf-8")
    assert "units: " in text.split("\n---\n", 1)[0]  # the reviewer's list, in the draft's comment
    print(f"\ncommune plan: {len(done.new_units)} bodies proposed, {done.units_matched} matched")


def test_import_json_lists_the_proposed_units(tmp_path: Path) -> None:
    path = ROOT / "tests" / "fixtures" / "word" / "xa-ke-hoach-bang-nhiem-vu.docx"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "build_site.py"), "import", str(path), "--json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    data = json.loads(proc.stdout)
    assert {"document", "directives", "tasks", "units"} <= set(data)
    assert "lang-son-cao-loc-hop-thanh-ubnd" in {u["id"] for u in data["units"]}
    assert set(data["units"][0]) == {"id", "name", "short_name", "kind", "level", "province", "parent"}


@pytest.mark.parametrize("name", ["ĐẢNG ỦY XÃ HỢP THÀNH", "Văn phòng Đảng ủy"])
def test_party_bodies_are_party(name: str) -> None:
    _, rows = propose([name], UNITS, HOP_THANH, "commune")
    assert rows and rows[0]["kind"] == "party"


def test_a_central_citys_bodies_are_the_provinces() -> None:
    # "thành phố" is a province in Cần Thơ and a district in Tây Ninh: it does not decide the level
    can_tho = _scope("can-tho", ("province", "can-tho"), names=("can tho",))
    assert match("Ủy ban nhân dân thành phố", UNITS, can_tho) == "can-tho-ubnd"
    assert match("các Sở, Ban ngành thành phố", UNITS, can_tho) == "can-tho-cac-so-ban-nganh"
    tay_ninh = _scope("tay-ninh", ("district", "tay-ninh-tp-tay-ninh"), ("province", "tay-ninh"), names=("tay ninh",))
    assert match("UBND Thành phố", UNITS, tay_ninh) == "tay-ninh-tp-tay-ninh-ubnd"


def test_a_list_of_bodies_is_a_group() -> None:
    _, rows = propose(["Cấp ủy, chính quyền"], UNITS, HOP_THANH, "commune")
    assert [(r["id"], r["kind"], r["parent"]) for r in rows] == [
        ("lang-son-cao-loc-hop-thanh-cap-uy-chinh-quyen", "collective", "")
    ]
