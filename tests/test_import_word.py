"""Word files as Word writes them: the gold set in tests/fixtures/word (made by its ``make.py``).

Each .docx is imported (``import --json`` and the draft ``import`` writes) and compared with the
gold beside it: precision and recall per field over the set, printed as a table (``pytest -s``)
and held to floors at what the importer reaches. And nothing is dropped: every paragraph, cell
and footnote of each file is in the draft.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

from congkhai.cli import main
from congkhai.importer.draft import split_issuers
from congkhai.vietnamese.text import fold, nfc

ROOT = Path(__file__).resolve().parent.parent
WORD = ROOT / "tests" / "fixtures" / "word"
FILES = sorted([*WORD.glob("*.docx"), *WORD.glob("*.txt")])  # Word files, and a web copy saved as text
DOCX = [p for p in FILES if p.suffix == ".docx"]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _norm(s: Any) -> str:
    return " ".join(nfc(str(s or "")).replace("\\|", "|").split()).strip(" .;,")


def test_import_json_reads_the_gold_set(capsys: pytest.CaptureFixture[str]) -> None:
    # the command line gives what the measurement reads: the extraction, its contract kept
    path = WORD / "xa-ke-hoach-bang-nhiem-vu.docx"
    assert main(["import", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"document", "directives", "tasks", "units"}
    assert out["document"]["issuers"] == [{"name": "ỦY BAN NHÂN DÂN XÃ HỢP THÀNH", "superior": None}]
    assert out["tasks"][0] == {
        "section": "I.1",
        "text": "Tuyên truyền Luật Thực hiện dân chủ ở cơ sở trên hệ thống truyền thanh xã",
        "lead": "Văn hóa - Xã hội",
        "partners": "Ủy ban Mặt trận Tổ quốc xã",
        "deadline": "Quý II/2024",
    }


@pytest.fixture(scope="module")
def results() -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    """(extraction as ``import --json`` gives it, gold) per file, read in this process."""
    from congkhai.importer import _catalogue, extract, to_json
    from congkhai.importer.sources import read_text

    rows = _catalogue(ROOT)
    out = {}
    for path in FILES:
        gold = json.loads(path.with_suffix(".gold.json").read_text(encoding="utf-8"))
        out[path.stem] = (to_json(extract(read_text(path), rows)), gold)
    return out


def test_the_gold_set_has_every_layout() -> None:
    assert len(FILES) >= 5
    assert all(p.with_suffix(".gold.json").is_file() for p in FILES)


def test_the_gold_set_is_what_make_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.fixtures.word import make

    monkeypatch.setattr(make, "HERE", tmp_path)
    make.main()
    for path in FILES:
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name
        assert (tmp_path / f"{path.stem}.gold.json").read_text() == path.with_suffix(".gold.json").read_text()


# --- precision and recall per field ------------------------------------------------------------


class Score:
    def __init__(self) -> None:
        self.right = self.predicted = self.expected = 0

    def add(self, right: int, predicted: int, expected: int) -> None:
        self.right += right
        self.predicted += predicted
        self.expected += expected

    @property
    def precision(self) -> float:
        return self.right / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.expected if self.expected else 1.0


def _sets(got: list[str], want: list[str]) -> tuple[int, int, int]:
    g, w = {_norm(x) for x in got if _norm(x)}, {_norm(x) for x in want if _norm(x)}
    return len(g & w), len(g), len(w)


def _task_key(text: str) -> str:
    return fold(_norm(re.sub(r"\[\^\d+\]", "", text)))


def scores(results: dict[str, tuple[dict[str, Any], dict[str, Any]]]) -> dict[str, Score]:
    fields = ["number", "type", "issuers", "superiors", "place", "date", "title", "signers", "positions", "recipients",
              "cited"]  # fmt: skip
    out = {f: Score() for f in [*fields, "tasks", "lead", "partners", "deadline"]}
    for got, gold in results.values():
        doc = got["document"]
        for f in ("number", "type", "place", "date", "title"):
            value, want = doc.get(f), gold[f]
            out[f].add(int(value is not None and _norm(value) == _norm(want)), int(value is not None), int(bool(want)))
        issuers = doc["issuers"]
        out["issuers"].add(*_sets([i["name"] for i in issuers], gold["issuers"]))  # each body, its superior apart
        out["superiors"].add(*_sets([i["superior"] or "" for i in issuers], gold.get("superiors", [])))
        out["signers"].add(*_sets([s["name"] or "" for s in doc["signers"]], [s["name"] for s in gold["signers"]]))
        out["positions"].add(
            *_sets([s["position"] or "" for s in doc["signers"]], [s["position"] for s in gold["signers"]])
        )
        out["recipients"].add(*_sets(doc["recipients"], gold["recipients"]))
        out["cited"].add(*_sets([d["number"] or d["raw"] for d in got["directives"]], gold["cited"]))
        wanted = {_task_key(t["text"]): t for t in gold["tasks"]}
        found = {_task_key(t["text"]): t for t in got["tasks"]}
        optional = {k for k, t in wanted.items() if t.get("optional")}
        matched = set(found) & set(wanted)
        out["tasks"].add(len(matched), len(set(found) - (optional - matched)), len(set(wanted) - (optional - matched)))
        for f in ("lead", "partners", "deadline"):
            right = sum(1 for k in matched if found[k][f] and _norm(found[k][f]) == _norm(wanted[k][f]))
            predicted = sum(1 for k in found if found[k][f] and not (k in optional and k not in matched))
            expected = sum(1 for k, t in wanted.items() if t[f] and not (k in optional and k not in matched))
            out[f].add(right, predicted, expected)
    return out


FLOORS = {  # (precision, recall) the importer reaches on the gold set; a regression fails
    # before the header and task-field work (issue 13) on this set: issuers 40 % / 31 %, superiors
    # 0 % recall, number 90 %, recipients 96 % / 93 %, lead 87 % / 85 %, partners 83 % / 88 %,
    # deadline 100 % / 74 %
    "number": (1.0, 1.0), "type": (1.0, 1.0), "issuers": (1.0, 1.0), "superiors": (1.0, 1.0), "place": (1.0, 1.0),
    "date": (1.0, 1.0), "title": (1.0, 1.0), "signers": (1.0, 1.0), "positions": (1.0, 1.0),
    "recipients": (1.0, 1.0), "cited": (1.0, 1.0), "tasks": (1.0, 1.0), "lead": (1.0, 1.0), "partners": (1.0, 1.0),
    "deadline": (1.0, 1.0),
}  # fmt: skip


def test_precision_and_recall_per_field(results: dict[str, tuple[dict[str, Any], dict[str, Any]]]) -> None:
    table = scores(results)
    lines = [f"{'trường':<12} {'chính xác':>10} {'độ phủ':>8}  (đúng / tìm thấy / cần có)"]
    for name, s in table.items():
        lines.append(f"{name:<12} {s.precision:>10.0%} {s.recall:>8.0%}  ({s.right} / {s.predicted} / {s.expected})")
    print("\n" + "\n".join(lines))
    low = {
        name: (round(s.precision, 2), round(s.recall, 2))
        for name, s in table.items()
        if s.precision < FLOORS[name][0] - 1e-9 or s.recall < FLOORS[name][1] - 1e-9
    }
    assert not low, low


# --- nothing is silently dropped -----------------------------------------------------------------


def _texts(path: Path) -> list[str]:
    """Every non-empty paragraph, table cell, text box and footnote text of the file, as Word
    has it (a run in a TCVN3 ".Vn…" font converted by its font, as Word shows it)."""
    from lxml import etree

    from congkhai.vietnamese import legacy

    texts: list[str] = []
    with zipfile.ZipFile(path) as package:
        for part in ("word/document.xml", "word/footnotes.xml"):
            if part not in package.namelist():
                continue
            root = etree.fromstring(package.read(part))
            for p in root.iter(f"{W}p"):
                if any(a.tag.endswith("}Fallback") for a in p.iterancestors()):
                    continue
                text = ""
                for r in p.iter(f"{W}r"):
                    if any(a.tag.endswith("}txbxContent") for a in _between(r, p)):
                        continue  # a text box's own paragraphs are read on their own
                    fonts = r.find(f"{W}rPr/{W}rFonts")
                    font = fonts.get(f"{W}ascii") if fonts is not None else None
                    run = "".join(t.text or "" for t in r.findall(f"{W}t"))
                    if font and font.startswith(".Vn"):
                        run = legacy.convert(run, "tcvn3")
                        run = run.upper() if font.endswith("H") else run
                    text += run
                if text.strip():
                    texts.append(nfc(text))
    return texts


def _between(el: Any, top: Any) -> list[Any]:
    out = []
    for a in el.iterancestors():
        if a is top:
            break
        out.append(a)
    return out


def _draft(path: Path, repo: Path) -> str:
    """The draft plan ``import`` writes (in a copy of the reference tables: it drafts catalogue rows)."""
    from congkhai.importer import import_file

    return import_file(path, repo, repo / f"{path.stem}.md").draft.read_text(encoding="utf-8")


# What the draft says by its structure, not in words: a label before a value ("Số:" before the
# number_symbol, "TM." before the signer's on_behalf_of), the national motto (every plan has it),
# the signing mark, the rules and stars under the motto and the issuer. Nothing else may be missing.
_LABEL = re.compile(r"^(?:(?:nơi nhận|kính gửi|tm|kt|tl|tuq|q|t/m|k/t|t/l)\s*[.:]?|số\s*:?|[-+•])\s*", re.I)
_LAYOUT = {
    "cộng hòa xã hội chủ nghĩa việt nam", "độc lập - tự do - hạnh phúc", "đảng cộng sản việt nam", "(đã ký)",
}  # fmt: skip


@pytest.mark.parametrize("path", DOCX, ids=lambda p: p.stem)
def test_nothing_in_the_word_file_is_dropped(path: Path, data_repo: Path) -> None:
    import yaml

    from congkhai.importer.header import parse_place_date

    draft = _draft(path, data_repo)
    front, body = draft.split("\n---\n", 1)
    values = yaml.safe_load(front.split("---\n", 1)[1])
    body = re.sub(r"\[\^\d+\]:?", "", body.replace("\\|", "|"))
    haystack = fold(" ".join((body + " " + json.dumps(values, ensure_ascii=False)).split()))
    missing = []
    for text in _texts(path):
        text = " ".join(text.split())
        if text.lower() in _LAYOUT or re.fullmatch(r"[-_*=.\s]+", text):  # the motto, rules under it
            continue
        if (pd := parse_place_date(text)) and pd == (values["place"], values["issue_date"]):
            continue
        if fold(_LABEL.sub("", text)).strip(" .;,") == "nhu tren" and "kinh gui" in fold(body):
            continue  # "Như trên" ("as above"): the recipients list the addressees it stands for instead
        if fold(_LABEL.sub("", text)).strip(" .;,") not in haystack:
            missing.append(text)
    assert not missing, missing


def test_the_drafts_are_refused_only_for_what_a_person_must_check(seed_repo: Path) -> None:
    # every error in the drafts of the gold set is a "CẦN KIỂM TRA" mark: the sections of an
    # appendix's tasks ("PLI.II.3"), the tables and notes in the body are all valid plan content
    from congkhai.importer import import_file
    from congkhai.load.corpus import validate

    for path in FILES:
        import_file(path, seed_repo)  # written where import writes it: docs/plans/<province>/<id>.md
    errors = [f for f in validate(seed_repo).findings if f.severity == "error"]
    assert errors
    assert not [(f.file, f.field, f.message()) for f in errors if "CẦN KIỂM TRA" not in f.message()]


# --- the header's bodies, a web copy's metadata, a letter's addressees, task fields --------------


def test_a_joint_header_gives_the_draft_one_issuer_a_body(
    results: dict[str, tuple[dict[str, Any], dict[str, Any]]],
) -> None:
    for stem in ("lien-tich-hai-co-quan", "lien-tich-ba-co-quan"):
        doc, gold = results[stem][0]["document"], results[stem][1]
        printed = [" ".join(x for x in (i["superior"], i["name"]) if x) for i in doc["issuers"]]
        assert split_issuers(doc["issuer"]) == printed  # "A - B - C": the draft lists each as printed
        assert [i["name"] for i in doc["issuers"]] == gold["issuers"]


@pytest.mark.parametrize(
    ("lines", "want"),
    [
        (
            ["UBND HUYỆN CAO LỘC", "ỦY BAN NHÂN DÂN", "XÃ HỢP THÀNH"],
            [("ỦY BAN NHÂN DÂN XÃ HỢP THÀNH", "UBND HUYỆN CAO LỘC")],
        ),
        (["UBND TỈNH LẠNG SƠN", "SỞ NỘI VỤ"], [("SỞ NỘI VỤ", "UBND TỈNH LẠNG SƠN")]),
        (["ĐẢNG BỘ TỈNH BẮC KẠN", "ĐẢNG ỦY KHỐI CƠ QUAN"], [("ĐẢNG ỦY KHỐI CƠ QUAN", "ĐẢNG BỘ TỈNH BẮC KẠN")]),
        (["TỈNH ỦY LẠNG SƠN", "BAN DÂN VẬN"], [("BAN DÂN VẬN", "TỈNH ỦY LẠNG SƠN")]),
        (
            ["BAN DÂN VẬN HUYỆN ỦY – ỦY BAN NHÂN DÂN HUYỆN BẢO LÂM"],
            [("BAN DÂN VẬN HUYỆN ỦY", None), ("ỦY BAN NHÂN DÂN HUYỆN BẢO LÂM", None)],
        ),
        (
            ["ĐẢNG ỦY XÃ TÂN LẬP / ỦY BAN NHÂN DÂN XÃ TÂN LẬP"],
            [("ĐẢNG ỦY XÃ TÂN LẬP", None), ("ỦY BAN NHÂN DÂN XÃ TÂN LẬP", None)],
        ),
        (["ỦY BAN NHÂN DÂN", "TỈNH BẮC KẠN"], [("ỦY BAN NHÂN DÂN TỈNH BẮC KẠN", None)]),
    ],
)
def test_header_bodies_and_their_superiors(lines: list[str], want: list[tuple[str, str | None]]) -> None:
    from congkhai.importer.header import split_bodies

    assert [(i.name, i.superior) for i in split_bodies(lines)] == want


def test_a_web_copys_metadata_block_is_evidence() -> None:
    from congkhai.importer.header import read_header

    lines = ["Số hiệu172/KH-UBND", "Ngày ban hành: 20/05/2024", "Cơ quan ban hành", "Ủy ban nhân dân tỉnh Bắc Kạn",
             "Loại văn bảnKế hoạch", "", "Căn cứ Luật Thực hiện dân chủ ở cơ sở, Ủy ban nhân dân tỉnh ban hành:"]  # fmt: skip
    h = read_header(lines)
    assert (h.number, h.date, h.issuer, h.doc_type) == (
        "172/KH-UBND",
        "2024-05-20",
        "Ủy ban nhân dân tỉnh Bắc Kạn",
        "ke_hoach",
    )
    assert h.body_start == 5  # the block is not part of the text
    assert read_header(["Số: 5/KH-UBND", "KẾ HOẠCH", "Tiêu đề"]).number == "5/KH-UBND"
    two = read_header(["SỐ HIỆU", "172/KH-UBND", "Ngày ban hành", "20/05/2024", "", "Căn cứ …"])
    assert (two.number, two.date, two.body_start) == ("172/KH-UBND", "2024-05-20", 4)


def test_a_letters_addressees_are_its_recipients() -> None:
    from congkhai.importer.header import addressees, with_addressees

    found = addressees(["Kính gửi:", "- Phòng Nội vụ;", "- UBND các xã.", "", "Thực hiện …"])
    assert found == ["Phòng Nội vụ", "UBND các xã"]
    assert addressees(["Kính gửi: Ủy ban nhân dân các xã."]) == ["Ủy ban nhân dân các xã"]
    assert with_addressees(found, ["Như trên", "Lưu: VT"]) == ["Phòng Nội vụ", "UBND các xã", "Lưu: VT"]


@pytest.mark.parametrize(
    ("text", "lead", "partners", "deadline"),
    [
        ("Phong trào thi đua tiếp tục được phát động rộng rãi.", None, None, None),
        ("Bổ sung quy chế dân chủ, thực hiện công khai.", None, None, None),
        ("Bố trí kinh phí thực hiện Kế hoạch.", None, None, None),
        ("Lãnh đạo, chỉ đạo thực hiện tốt quy chế.", None, None, None),
        ("Báo cáo kết quả, tổng hợp trước ngày 15 tháng 11 hằng năm.", None, None, "trước ngày 15 tháng 11 hằng năm"),
        ("Hội nghị đối thoại được tổ chức hằng quý.", None, None, "hằng quý"),
        (
            "Công chức Văn hóa - Xã hội chủ trì, phối hợp với Đoàn Thanh niên, Hội Phụ nữ xã tuyên truyền trong quý II/2024.",
            "Công chức Văn hóa - Xã hội",
            "Đoàn Thanh niên, Hội Phụ nữ xã",
            "trong quý II/2024",
        ),
        ("Đề nghị Ủy ban MTTQ xã phối hợp tuyên truyền thường xuyên.", "Ủy ban MTTQ xã", None, "thường xuyên"),
        (
            "Phòng Nội vụ phối hợp Công an huyện kiểm tra, trong năm 2024.",
            "Phòng Nội vụ",
            "Công an huyện",
            "trong năm 2024",
        ),
    ],
)
def test_task_fields_in_prose(text: str, lead: str | None, partners: str | None, deadline: str | None) -> None:
    from congkhai.importer import tasks

    assert tasks.leads(text) == (lead, partners)
    assert tasks.deadline(text)[0] == deadline
