"""Body against front matter, and how much of the hand-labelled citations the parser finds alone.

Run ``pytest tests/test_body.py -s`` to print the per-plan recall table.
"""

from __future__ import annotations

from pathlib import Path

from congkhai.checks.body import check_body
from congkhai.load.corpus import validate
from congkhai.read.frontmatter import parse_source
from congkhai.vietnamese.citations import find_citations
from congkhai.vietnamese.directives import Catalogue
from congkhai.vietnamese.text import nfc

ROOT = Path(__file__).resolve().parent.parent


def test_parser_recall_on_the_seed_plans(capsys) -> None:
    v = validate(ROOT)
    catalogue = Catalogue.build(v.tables.rows["directives"])
    declared_total = found_total = 0
    for src in v.sources:
        data = src.data
        assert data is not None
        declared = {c["directive"] for c in data["citations"]}
        found: set[str] = set()
        unresolved = []
        for text in (data["title"], src.body):
            for cit in find_citations(nfc(text)):
                target = catalogue.resolve(cit.number_symbol, cit.year, cit.name, declared)
                if target in declared:
                    found.add(target)
                elif cit.number_symbol != data.get("number_symbol"):
                    unresolved.append(cit.raw)
        with capsys.disabled():
            print(f"\n{data['id'][:45]:45} declared {len(declared):3}  parser found {len(found):3}")
        assert unresolved == [], "the parser found citations the hand-made front matter lacks"
        declared_total += len(declared)
        found_total += len(found)
    # 112 of 123 when measured; the rest are named elliptically ("các chương trình mục tiêu quốc gia")
    assert found_total / declared_total >= 0.9


def test_declared_and_cited_and_mention_counts() -> None:
    catalogue = Catalogue.build(
        [
            {"id": "33-ct-ttg-2021", "number_symbol": "33/CT-TTg", "year": "2021"},
            {
                "id": "10-2022-qh15",
                "number_symbol": "10/2022/QH15",
                "year": "2022",
                "name": "Luật Thực hiện dân chủ ở cơ sở",
            },
            {"id": "05-ct-tw-2016", "number_symbol": "05-CT/TW", "year": "2016"},
        ]
    )
    src = parse_source(
        "p.md",
        "---\ntitle: Thực hiện Chỉ thị số 33/CT-TTg\nnumber_symbol: 72/KH-UBND\ncitations:\n"
        "  - directive: 33-ct-ttg-2021\n  - directive: 10-2022-qh15\n---\n"
        "Căn cứ Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ;\n"
        "Kế hoạch số 72/KH-UBND này thực hiện Luật Thực hiện dân chủ ở cơ sở.\n"
        "Tiếp tục thực hiện Chỉ thị 05-CT/TW ngày 15/5/2016 của Bộ Chính trị.\n",
    )
    findings, mentions = check_body(src, catalogue)
    assert mentions == {"33-ct-ttg-2021": 2, "10-2022-qh15": 1}  # the plan's own number is not a citation
    assert [(f.line, f.code, f.params["value"]) for f in findings] == [(10, "cited-not-declared", "05-CT/TW")]
