"""The glimpse: the first frame's days of a big plan, exactly as the whole file has them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import tomli
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.advice import clinician_warning
from planner.engine import build_plan
from planner.glimpse import MIN_DAYS, Glimpse
from planner.model import Distance, GateResult, InjuryKind, Plan, PlanInputs, Side
from planner.ops import LogPain, OpError, RecordGate, SetDone
from planner.store import PlanError, PlanFile, SaveError, load_plan

INJURY = date(2026, 3, 2)


def long_plan(weeks: int, pains: dict[int, int], at_rest: set[int], gate: int | None) -> Plan:
    """An engine plan `weeks` to the race, with pain logs and a gate record on day numbers."""
    inputs = PlanInputs(
        INJURY,
        INJURY + timedelta(weeks=weeks),
        InjuryKind.STRAIN,
        1,
        Side.LEFT,
        Distance.HALF,
        "Long build",
    )
    plan = build_plan(inputs, INJURY)
    for number, score in pains.items():
        if number < len(plan.days):
            LogPain(plan.days[number].date, score, "note", number in at_rest).apply(plan)
    if gate is not None and gate < len(plan.days):
        RecordGate(plan.days[gate].date, GateResult(20, 10, 30, True)).apply(plan)
    return plan


def gate_day(plan: Plan) -> date | None:
    """The landmark the plan screen shows: the day holding the run-gate test."""
    return next((d.date for d in plan.days if d.task("gate")), None)


def month_of(when: date) -> list[date]:
    first = when.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return [first + timedelta(days=n) for n in range((following - first).days)]


def plan_cases(min_weeks: int) -> dict:
    """The plans and days the first-frame properties draw: a plan `min_weeks` to 52 weeks
    to its race with pain logs, rest notes and a gate record, opened on any day near it."""
    return {
        "weeks": st.integers(min_weeks, 52),
        "pains": st.dictionaries(st.integers(0, 400), st.integers(0, 10), max_size=12),
        "at_rest": st.sets(st.integers(0, 400), max_size=4),
        "gate": st.none() | st.integers(0, 400),
        "offset": st.integers(-40, 420),
    }


def assert_first_frame(seen: Plan, whole: Plan, today: date) -> None:
    """`seen` (a partial plan) shows the first frame exactly as the whole plan would: its
    days, span, the month on screen, the clinician warning, the gate day and the head."""
    for day in seen.days:
        assert day == whole.day(day.date)
    assert (seen.first_date, seen.last_date) == (whole.first_date, whole.last_date)
    shown = min(max(today, whole.first_date), whole.last_date)
    for when in month_of(shown):
        assert seen.day(when) == whole.day(when)
    assert clinician_warning(seen, today) == clinician_warning(whole, today)
    assert gate_day(seen) == gate_day(whole)
    heads = ("name", "created", "injury_date", "race_date", "warning", "safety", "extra")
    assert all(getattr(seen, key) == getattr(whole, key) for key in heads)


@settings(max_examples=60)
@given(**plan_cases(9))
def test_a_glimpse_holds_the_first_frame_exactly(
    tmp_path_factory, weeks, pains, at_rest, gate, offset
):
    path = tmp_path_factory.mktemp("g") / "plan.toml"
    PlanFile.create(path, long_plan(weeks, pains, at_rest, gate))
    whole = load_plan(path)
    today = INJURY + timedelta(days=offset)
    glimpse = Glimpse.read(path, today)
    if whole.race_date - timedelta(days=1) <= today <= whole.race_date:
        assert glimpse.plan is None  # the race-day call reads the whole plan
    if glimpse.plan is None:
        assert glimpse.first_file().plan == whole
        return
    assert glimpse.first_file().partial and len(glimpse.plan.days) < len(whole.days)
    assert_first_frame(glimpse.plan, whole, today)
    assert glimpse.complete().plan == whole


@pytest.fixture
def big(tmp_path):
    path = tmp_path / "plan.toml"
    PlanFile.create(path, long_plan(20, {3: 8, 4: 8}, set(), None))
    return path


def test_a_small_plan_is_read_whole(tmp_path):
    path = tmp_path / "plan.toml"
    plan = long_plan(4, {}, set(), None)
    assert len(plan.days) < MIN_DAYS
    PlanFile.create(path, plan)
    glimpse = Glimpse.read(path, INJURY)
    assert glimpse.plan is None
    assert glimpse.first_file().plan == load_plan(path)


def test_two_red_days_long_ago_still_warn_in_the_glimpse(big):
    today = INJURY + timedelta(days=60)
    glimpse = Glimpse.read(big, today)
    assert glimpse.plan is not None
    assert clinician_warning(glimpse.plan, today) is not None
    assert len(glimpse.plan.days) < len(load_plan(big).days) // 2


def test_a_file_laid_out_by_hand_is_read_whole(big):
    doc = tomli.loads(big.read_text())
    big.write_text(tomli_w.dumps(doc).replace("[[days]]\n", "[[ days ]]\n"))
    glimpse = Glimpse.read(big, INJURY + timedelta(days=30))
    assert glimpse.plan is None
    assert glimpse.first_file().plan == load_plan(big)


def test_a_damaged_day_outside_the_glimpse_is_found_when_completing(big):
    text = big.read_text()
    marker = "\n[[days]]\n"
    starts = [i for i in range(len(text)) if text.startswith(marker, i)]
    cut = starts[120]
    damaged = text[:cut] + text[cut:].replace('phase = "', 'phase = "sideways-', 1)
    big.write_text(damaged)
    glimpse = Glimpse.read(big, INJURY + timedelta(days=20))
    assert glimpse.plan is not None  # the month shown is fine
    with pytest.raises(PlanError) as caught:
        glimpse.complete()
    with pytest.raises(PlanError) as whole:
        load_plan(big)
    assert str(caught.value) == str(whole.value)
    assert ":" in str(caught.value) and "sideways" in str(caught.value)


def test_an_older_schema_is_read_whole(big):
    text = big.read_text().replace("schema_version = 1", "schema_version = 0", 1)
    text = text.replace('injury = "strain"', 'kind = "strain"', 1)
    big.write_text(text)
    glimpse = Glimpse.read(big, INJURY + timedelta(days=20))
    assert glimpse.plan is None
    assert glimpse.first_file().plan.migrated_from == 0


def test_a_glimpse_is_never_changed_or_saved(big):
    before = big.read_bytes()
    glimpse = Glimpse.read(big, INJURY + timedelta(days=20))
    partial = glimpse.first_file()
    assert partial.partial
    with pytest.raises(OpError):
        partial.apply(SetDone(INJURY + timedelta(days=20), partial.plan.days[1].tasks[0].id, True))
    with pytest.raises(SaveError):
        partial.save()
    assert big.read_bytes() == before
