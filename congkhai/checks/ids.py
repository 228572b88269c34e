"""Plan ids follow the one id rule (:mod:`congkhai.vietnamese.planid`), the importer's rule.

A warning, not an error: a published plan keeps its id whatever it is (changing it is removing a
published plan, ``published-plan-removed``), and the finding says which id the rule gives. An id
is judged when it says where it is from — it begins with a province id — or holds a header word
("số", "ngày", "ủy ban"): then its province must be the plan's, and its place, year and number
must be the plan's. An id that names no province ("base", a test's name) is not judged.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ..model.findings import Finding
from ..read.records import Tables
from ..vietnamese.planid import expected_id, leaked


def check_plan_ids(tables: Tables, expected_ids: Mapping[str, str | None] | None = None) -> Iterator[Finding]:
    """Plan ids against the id rule. ``expected_ids``: what the rule says of a plan file's row,
    worked out with the plan's other per-file work and cached with it (``load/plancache.py``), so a
    warm run does not work it out again for every plan; a plan not in it is worked out here."""
    expected_ids = expected_ids or {}
    # the provinces are the reference, whichever rows are being checked (validate PATH…)
    rows = tables.rows.get("provinces", [])
    provinces = sorted((str(r["id"]) for r in rows if isinstance(r.get("id"), str)), key=len, reverse=True)
    for row, origin in tables.iter("plans"):
        pid, province = row.get("id"), row.get("province")
        if not isinstance(pid, str) or not pid:
            continue
        claims = next((p for p in provinces if pid == p or pid.startswith(p + "-")), None)
        word = leaked(pid)
        if claims is None and word is None:
            continue
        if not isinstance(province, str) or not province:
            continue
        if claims is not None and claims != province:
            why_vi, why_en = (
                f": bắt đầu bằng tỉnh '{claims}', kế hoạch thuộc '{province}'",
                f": it begins with the province '{claims}', the plan's is '{province}'",
            )
        elif word is not None:
            why_vi, why_en = f": chứa chữ '{word}' của phần đầu văn bản", f": it holds the header word '{word}'"
        else:
            why_vi, why_en = (
                ": địa bàn, năm hoặc số, ký hiệu khác với kế hoạch",
                ": its place, year or number differs from the plan's",
            )
        expected = expected_ids[origin.file] if origin.file in expected_ids else expected_id(row)
        if expected is None and claims == province and word is None:
            continue
        yield origin.finding("id", "plan-id-rule", value=pid, expected=expected or pid, why_vi=why_vi, why_en=why_en)
