"""A plan's honest state (congkhai/derive/status.py): its period and its record, never a stale label."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from congkhai.derive.status import plan_period, plan_state, progress

DEC_2026 = dt.date(2026, 12, 6)


def plan(**kw: object) -> dict[str, object]:
    return {"id": "p", "title": "Kế hoạch công tác dân vận", "status": "in_force", **kw}


def test_annual_plan_ends_with_its_year() -> None:
    state = plan_state(plan(title="phối hợp công tác dân vận chính quyền năm 2023", issue_date="2023"), [], DEC_2026)
    assert state.code == "ended"
    assert state.label == "Đã hết thời hạn thực hiện"
    assert state.basis == "Căn cứ: kế hoạch năm 2023, đã qua năm thực hiện (hết ngày 31/12/2023)."
    assert state.banner is not None and "31/12/2023" in state.banner.text


def test_annual_plan_in_its_year_is_in_force() -> None:
    state = plan_state(plan(title="Kế hoạch năm 2026"), [], DEC_2026)
    assert (state.code, state.label) == ("in_force", "Đang thực hiện")
    assert "đang trong thời gian thực hiện" in state.basis and state.banner is None


def test_period_of_years_in_the_title() -> None:
    period = plan_period(plan(title="Chương trình giai đoạn 2021 – 2025"))
    assert period is not None and (period.start, period.end) == (dt.date(2021, 1, 1), dt.date(2025, 12, 31))
    assert period.basis == "kế hoạch giai đoạn 2021–2025"
    assert plan_state(plan(title="giai đoạn 2021-2030"), [], DEC_2026).code == "in_force"
    assert plan_state(plan(title="Kế hoạch năm 2027"), [], DEC_2026).code == "pending"


def test_a_later_task_or_an_extension_keeps_it_running() -> None:
    tasks = [{"status": "in_progress", "due_date": "2027-03-31"}]
    state = plan_state(plan(title="Kế hoạch năm 2025"), tasks, DEC_2026)
    assert state.code == "in_force" and "31/03/2027" in state.basis
    extended = plan(
        title="Kế hoạch năm 2025", extended_to="2027-03-31", status_reason="Quyết định gia hạn số 5/QĐ-UBND"
    )
    state = plan_state(extended, [], DEC_2026)
    assert state.code == "in_force"
    assert state.basis == "Căn cứ: kế hoạch năm 2025, gia hạn đến 31/03/2027, đang trong thời gian thực hiện."
    # the extension over, the plan has ended, and the banner does not claim there was none
    state = plan_state(extended, [], dt.date(2027, 4, 1))
    assert state.code == "ended" and "gia hạn đến 31/03/2027" in state.basis
    assert state.banner is not None and "không ghi việc gia hạn" not in state.banner.text
    # an extension to a day inside the period changes nothing; a plan with no period gets one
    assert plan_state(plan(title="Kế hoạch năm 2027", extended_to="2027-06-30"), [], DEC_2026).code == "pending"
    state = plan_state(plan(issue_date="2024-01-05", extended_to="2026-06-30"), [], DEC_2026)
    assert state.code == "ended" and "hồ sơ ghi gia hạn thực hiện đến 30/06/2026" in state.basis


def test_words_in_the_reason_do_not_extend() -> None:
    """Only ``extended_to`` extends: "không gia hạn" in the reason must not keep a plan running."""
    for reason in ("Không gia hạn", "Gia hạn đến hết quý I/2027", "kéo dài"):
        assert plan_state(plan(title="Kế hoạch năm 2025", status_reason=reason), [], DEC_2026).code == "ended"


def test_period_from_task_deadlines_without_one_in_the_title() -> None:
    tasks = [{"deadline": "đến hết năm 2024"}, {"deadline": None, "due_date": "2024-06-30"}]
    state = plan_state(plan(issue_date="2024-01-05"), tasks, DEC_2026)
    assert state.code == "ended" and "31/12/2024" in state.basis
    # A recurring task ("hằng năm") means the record gives no end: the record's status stands.
    state = plan_state(plan(), [{"deadline": "trước ngày 15 tháng 11 hàng năm"}], DEC_2026)
    assert state.code == "in_force" and "không ghi thời hạn" in state.basis


def test_no_period_says_so() -> None:
    state = plan_state(plan(issue_date="2023-01-13"), [], DEC_2026)
    assert state.code == "in_force"
    assert (
        state.basis
        == "Căn cứ: hồ sơ ghi đang thực hiện; văn bản không ghi thời hạn thực hiện (ban hành ngày 13/01/2023)."
    )


def test_the_record_wins_when_it_says_more() -> None:
    draft = plan_state(plan(title="Kế hoạch năm 2024", status="draft"), [], DEC_2026)
    assert draft.code == "draft" and draft.banner is not None and draft.banner.title == "Dự thảo"
    gone = plan_state(
        plan(status="withdrawn", status_date="2024-05-02", status_reason="ban hành sai thẩm quyền"), [], DEC_2026
    )
    assert gone.banner is not None and gone.banner.kind == "danger"
    assert gone.banner.text == "Văn bản này đã bị thu hồi từ ngày 02/05/2024. Lý do: ban hành sai thẩm quyền"
    assert plan_state(plan(status="superseded"), [], DEC_2026).label == "Đã được thay thế"


def test_progress_counts() -> None:
    p = progress([{"status": "done"}, {"status": "in_progress"}, {"status": "not_reported"}, {"status": "not_started"}])
    assert (p.total, p.done, p.in_progress, p.not_reported) == (4, 1, 1, 2)
    assert p.summary == "4 nhiệm vụ: 1 đã hoàn thành, 1 đang thực hiện, 2 chưa cập nhật tiến độ."
    assert progress([]).summary == "Văn bản không giao nhiệm vụ cụ thể."


@given(
    year=st.integers(1990, 2090),
    shape=st.sampled_from(["năm {y}", "giai đoạn {x}–{y}", "Kế hoạch {x} - {y} và năm {y}"]),
    today=st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)),
    due=st.none() | st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)),
    extended=st.none() | st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)),
)
def test_never_in_force_after_the_period_unless_extended(year, shape, today, due, extended) -> None:
    title = shape.format(x=year - 4, y=year)
    tasks = [{"status": "in_progress", "due_date": due.isoformat() if due else None}]
    record = plan(title=title, extended_to=extended.isoformat() if extended else None)
    state = plan_state(record, tasks, today)
    assert state.period is not None and state.period.end is not None
    assert state.basis.startswith("Căn cứ: ")
    last = max(d for d in (dt.date(year, 12, 31), due, extended) if d)
    assert state.period.end == last
    if today > last:
        assert state.code == "ended" and state.label != "Đang thực hiện"
    if state.code == "in_force":
        assert today <= state.period.end
