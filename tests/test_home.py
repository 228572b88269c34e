"""The home page (congkhai/render/home.py): a way in — search, latest plans, the 34 provinces since
1 July 2025 with the former 63 mapped onto them, years, issuing bodies, tasks overdue and due soon."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from congkhai.load.corpus import validate
from congkhai.model import sitemap
from congkhai.render.home import current_province, former_note, home_page

TODAY = dt.date(2024, 12, 20)


@pytest.fixture(scope="module")
def rows(tmp_path_factory: pytest.TempPathFactory):
    from tests.conftest import FIXED_EPOCH, copy_sources

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
        repo = copy_sources(tmp_path_factory.mktemp("home") / "repo")
        v = validate(repo)
    assert not v.errors
    return v.published


def test_provinces_map_to_those_after_the_merger(rows):
    provinces = {p["id"]: p for p in rows["provinces"]}
    assert current_province(provinces, "bac-giang") == "bac-ninh-2025"
    assert current_province(provinces, "bac-kan") == "thai-nguyen-2025"
    assert current_province(provinces, "lang-son") == "lang-son"  # not merged
    assert former_note(provinces, "bac-giang", "bac-ninh-2025") == "trước 1/7/2025 thuộc tỉnh Bắc Giang"
    assert former_note(provinces, "can-tho", "can-tho-2025") == ""  # merged, kept its name
    current = [p for p in rows["provinces"] if not p.get("valid_until") and not p.get("successor")]
    assert len(current) == 34


def test_home_page_is_a_way_in(rows):
    page = home_page(rows, TODAY)
    assert 'action="tim-kiem/"' in page and 'name="q"' in page
    latest = page.split("## Kế hoạch mới nhất\n", 1)[1].split("\n## ", 1)[0]
    titles = re.findall(r"^- \[([^\]]+)\]", latest, flags=re.M)
    assert titles[0] == "Phối hợp thực hiện công tác dân vận giữa Khối dân vận Đảng ủy và UBND phường Dĩnh Kế năm 2024"
    assert len(titles) == 5
    provinces = page.split("## Theo tỉnh, thành phố\n", 1)[1].split("\n## ", 1)[0]
    assert (
        "- **[Bắc Ninh](plans/theo-tinh/bac-ninh-2025.md)** — 1 kế hoạch" in provinces
        and "*(trước 1/7/2025 thuộc tỉnh Bắc Giang)*" in provinces
    )
    assert (
        "- **[Thái Nguyên](plans/theo-tinh/thai-nguyen-2025.md)** — 1 kế hoạch" in provinces
        and "*(trước 1/7/2025 thuộc tỉnh Bắc Kạn)*" in provinces
    )
    assert "Bắc Giang**" not in provinces  # listed under today's province, not the former one
    empty = re.search(r"Chưa có kế hoạch công khai: (.*)\.", provinces)
    assert empty and len(empty.group(1).split(", ")) == 34 - 5
    years = page.split("## Theo năm ban hành\n", 1)[1].split("\n## ", 1)[0]
    assert years.index("**2024** — 2 kế hoạch") < years.index("**2023** — 2 kế hoạch")
    assert years.index("**2023**") < years.index("**Không rõ năm** — 1 kế hoạch")  # undated last
    bodies = page.split("## Theo cơ quan ban hành\n", 1)[1].split("\n## ", 1)[0]
    assert "[Ủy ban nhân dân tỉnh Bắc Kạn](units/bac-kan-ubnd.md) (1)" in bodies
    tasks = page.split("## Nhiệm vụ quá hạn, sắp đến hạn\n", 1)[1].split("\n## ", 1)[0]
    assert "1 quá hạn" not in tasks  # on 20/12/2024 the one dated task (31/12/2024) is due soon
    assert "0 quá hạn trong số 1 nhiệm vụ có ngày hạn cụ thể" in tasks
    assert "**Đến hạn trong 30 ngày tới (1)**" in tasks and "**31/12/2024**" in tasks
    after = home_page(rows, dt.date(2025, 1, 2))
    assert "**Quá hạn (1)**" in after and "1 quá hạn trong số 1" in after
    for target in (sitemap.PLANS_FEED, sitemap.STATUS_FEED, sitemap.CALENDAR, sitemap.MONITORING):
        assert f"]({target})" in page or f"]({sitemap.md_url(target) if target.endswith('.md') else target})" in page


def test_home_page_is_deterministic_and_escaped(rows):
    hostile = {**rows, "plans": [{**p, "title": "<script>x</script> [a](b)"} for p in rows["plans"]]}
    page = home_page(hostile, TODAY)
    assert "<script>" not in page and "&lt;script&gt;" in page and "\\[a\\](b)" in page
    assert home_page(rows, TODAY) == home_page(rows, TODAY)


def test_home_page_does_not_grow_with_the_corpus(tmp_path, monkeypatch):
    """At 10,000 plans the home page was 0.7 MB, listing every issuing body: it shows the busiest
    few, and every other list on it is capped (three plans a province or year, ten tasks), so once
    the provinces are filled, 4× the plans leave it about as large."""
    from congkhai.render import home
    from devtools.corpus import generate

    monkeypatch.setattr(home, "BODIES", 5)
    sizes = {}
    for n in (160, 640):
        generate(tmp_path / str(n), n)
        page = home_page(validate(tmp_path / str(n)).published, dt.date(2026, 12, 1))
        sizes[n] = len(page.encode())
        bodies = page.split("## Theo cơ quan ban hành", 1)[1].split("\n## ", 1)[0]
        assert bodies.count("\n- [") == 5 and "Tất cả cơ quan, đơn vị" in bodies
    assert sizes[640] < 1.1 * sizes[160], sizes
