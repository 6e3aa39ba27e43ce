"""The plan engine: the worked example, refusals, and properties over thousands of inputs.

The domain rules are written out here again, independently of `protocol.toml`, so a change
to the data that breaks the protocol fails a test instead of passing silently.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.engine import InputError, build_plan
from planner.model import Category, Distance, InjuryKind, Phase, PlanInputs, Side
from planner.store import MAX_BYTES, dumps_plan

TODAY = date(2026, 11, 21)
TAPER = {"5k": 5, "10k": 7, "half": 10, "marathon": 14}
AFTER = {"5k": 3, "10k": 3, "half": 3, "marathon": 7}
PROTECT = {None: 1, 1: 3, 2: 4}  # days of protect by grade (None = cramp)
TYPICAL_GATE = {None: 1, 1: 7, 2: 21}
TYPICAL_RETURN = {None: 1, 1: 17, 2: 25}
HEEL_DROPS_FROM = {None: 1, 1: 5, 2: 10}
PHASE_ORDER = [Phase.PROTECT, Phase.RECOVER, Phase.REBUILD, Phase.TAPER, Phase.RACE, Phase.AFTER]


def forum_plan():
    inputs = PlanInputs(
        date(2026, 11, 20), date(2026, 11, 29), InjuryKind.STRAIN, 1, Side.LEFT, Distance.HALF
    )
    return build_plan(inputs, TODAY)


def ids(day):
    return [t.id for t in day.tasks]


def test_worked_example_of_the_forum_runner():
    plan = forum_plan()
    phases = [d.phase.value for d in plan.days]
    assert phases == ["protect"] * 3 + ["recover"] * 5 + ["taper", "race"] + ["after"] * 3
    day = {(d.date - plan.injury_date).days: d for d in plan.days}
    assert "isometric" not in ids(day[0]) and "isometric" in ids(day[1])
    assert {"ice", "walk", "compression", "no-run"} <= set(ids(day[0]))
    assert {
        "raises-double",
        "stretch",
        "self-massage",
        "heat",
        "cross-train",
        "sports-massage",
    } <= set(ids(day[3]))
    assert "heel-drops" not in ids(day[4]) and "heel-drops" in ids(day[5])
    assert "raises-single" in ids(day[5])
    assert "gate" in ids(day[7]) and "heel-drops" not in ids(day[7])
    run = day[8].task("run")
    assert run.category == Category.RUN and run.minutes == 30 and "walk 4, jog 2" in run.title
    assert {"sleep", "hydrate", "decide"} <= set(ids(day[8]))
    assert day[9].phase == Phase.RACE and "race" in ids(day[9])
    assert "run-check" in ids(day[12])
    assert "red-flags" in ids(day[1])  # the plan was made on day 1
    assert plan.warning and "day 9" in plan.warning and "grade 1" in plan.warning


def test_same_inputs_same_plan_byte_for_byte():
    assert dumps_plan(forum_plan()) == dumps_plan(forum_plan())


def test_titles_name_the_side_or_the_sore_calf():
    plan = forum_plan()
    assert plan.days[1].task("isometric").title == "Isometric calf hold, left calf"
    unsided = build_plan(PlanInputs(date(2026, 11, 20), date(2026, 11, 29)), TODAY)
    assert unsided.days[1].task("isometric").title == "Isometric calf hold, sore calf"


@pytest.mark.parametrize(
    ("inputs", "field", "words"),
    [
        (PlanInputs(date(2026, 11, 20), date(2026, 11, 29), grade=3), "grade", "clinician"),
        (PlanInputs(date(2026, 11, 20), date(2026, 11, 29), grade=0), "grade", "1 or 2"),
        (
            PlanInputs(date(2026, 11, 20), date(2026, 11, 29), InjuryKind.CRAMP, 1),
            "grade",
            "no grade",
        ),
        (PlanInputs(date(2026, 11, 22), date(2026, 11, 29)), "injury_date", "after today"),
        (PlanInputs(date(2026, 11, 10), date(2026, 11, 9)), "race_date", "before the injury"),
        (PlanInputs(date(2026, 11, 10), date(2026, 11, 20)), "race_date", "in the past"),
        (PlanInputs(date(2026, 11, 20), date(2027, 11, 21)), "race_date", "at most 365"),
        (PlanInputs(date(2026, 11, 20), date(2026, 11, 29), "pulled"), "injury", "cramp, strain"),
        (
            PlanInputs(date(2026, 11, 20), date(2026, 11, 29), distance="ultra"),
            "distance",
            "5k, 10k, half, marathon",
        ),
        (PlanInputs(date(2026, 11, 20), date(2026, 11, 29), side="both"), "side", "left, right"),
        (PlanInputs(date(2026, 11, 20), date(2026, 11, 29), name="x" * 101), "name", "100"),
    ],
)
def test_inputs_it_cannot_plan_for(inputs, field, words):
    with pytest.raises(InputError) as error:
        build_plan(inputs, TODAY)
    assert error.value.field == field
    assert words in error.value.message


def test_race_exactly_365_days_out_is_allowed():
    plan = build_plan(PlanInputs(date(2026, 11, 20), date(2027, 11, 20)), TODAY)
    assert plan.days[-1].date == date(2027, 11, 23)


def test_default_name_says_distance_and_date():
    plan = build_plan(PlanInputs(date(2026, 11, 20), date(2026, 11, 29)), TODAY)
    assert plan.name == "Half marathon 29 Nov 2026"


def test_long_plan_cuts_the_taper_and_keeps_strides():
    inputs = PlanInputs(date(2026, 8, 1), date(2026, 12, 27), distance=Distance.MARATHON)
    plan = build_plan(inputs, date(2026, 8, 2))
    race = (plan.race_date - plan.injury_date).days
    taper = [d for d in plan.days if d.phase == Phase.TAPER]
    assert len(taper) == 14 and (taper[0].date - plan.injury_date).days == race - 14
    strides = [d for d in taper if d.task("run") and "strides" in d.task("run").title]
    assert 1 <= len(strides) <= 2
    longest = max(d.task("run").minutes for d in plan.days if d.task("run"))
    assert longest > 60  # long runs build toward the distance


def test_race_before_the_gate_has_no_runs_and_a_warning():
    plan = build_plan(
        PlanInputs(date(2026, 11, 19), date(2026, 11, 22), grade=2, distance=Distance.K10), TODAY
    )
    assert not any(t.category == Category.RUN for d in plan.days[:3] for t in d.tasks)
    assert all(t.id != "gate" for d in plan.days for t in d.tasks)
    assert plan.warning


# ------------------------------------------------------------------------- properties


@st.composite
def plan_inputs(draw):
    injury = draw(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)))
    span = draw(st.integers(0, 365))
    race = injury + timedelta(days=span)
    today = injury + timedelta(days=draw(st.integers(0, span)))
    kind = draw(st.sampled_from([InjuryKind.CRAMP, InjuryKind.STRAIN]))
    grade = None if kind == InjuryKind.CRAMP else draw(st.sampled_from([1, 2]))
    side = draw(st.sampled_from([None, Side.LEFT, Side.RIGHT]))
    distance = draw(st.sampled_from(list(Distance)))
    return PlanInputs(injury, race, kind, grade, side, distance, "p"), today


def check_invariants(inputs: PlanInputs, today: date) -> None:
    plan = build_plan(inputs, today)
    race = (inputs.race_date - inputs.injury_date).days
    grade = inputs.grade
    n_of = {d.date: (d.date - inputs.injury_date).days for d in plan.days}

    # one day per date, contiguous, from the injury to race + the after days
    assert plan.days[0].date == inputs.injury_date
    assert len(plan.days) == race + AFTER[inputs.distance.value] + 1
    assert all((b.date - a.date).days == 1 for a, b in zip(plan.days, plan.days[1:], strict=False))
    race_days = [d for d in plan.days if d.phase == Phase.RACE]
    assert len(race_days) == 1 and race_days[0].date == inputs.race_date

    # phases come in order; protect lasts as the protocol says
    order = [PHASE_ORDER.index(d.phase) for d in plan.days]
    assert order == sorted(order)
    for day in plan.days:
        n = n_of[day.date]
        if n < min(PROTECT[grade], race):
            assert day.phase == Phase.PROTECT
        if day.phase == Phase.TAPER:
            assert race - TAPER[inputs.distance.value] <= n < race

    # every day has tasks with unique ids; runs and walks carry minutes; no placeholders left
    for day in plan.days:
        assert day.tasks
        assert len(ids(day)) == len(set(ids(day)))
        for task in day.tasks:
            if task.category in (Category.RUN, Category.WALK):
                assert task.minutes and task.minutes > 0
            assert "{" not in task.title + task.dose + task.why
            assert not task.done

    # the never rules of the protocol
    for day in plan.days:
        n = n_of[day.date]
        cats = {t.category for t in day.tasks}
        if grade is not None and day.phase == Phase.PROTECT:
            assert not cats & {
                Category.RUN,
                Category.STRETCH,
                Category.HEAT,
                Category.MASSAGE,
                Category.HEEL_DROPS,
            }
        if day.phase in (Phase.PROTECT, Phase.RECOVER):
            assert Category.RUN not in cats
        if Category.HEEL_DROPS in cats:
            assert n >= HEEL_DROPS_FROM[grade]
            assert n <= race - 3

    # the run gate: typical day or race-2, never in protect, before any run
    gates = [n_of[d.date] for d in plan.days if d.task("gate")]
    first_run = next(
        (n_of[d.date] for d in plan.days if d.phase != Phase.RACE and d.task("run")), None
    )
    if gates:
        (gate,) = gates
        assert gate >= PROTECT[grade] and gate < race
        assert gate == max(min(TYPICAL_GATE[grade], race - 2), PROTECT[grade])
        if first_run is not None:
            assert first_run == gate + 1
    else:
        assert first_run is None

    # the taper cut, whenever the T days before the taper all lie after the gate
    taper = TAPER[inputs.distance.value]

    def run_minutes(lo, hi):
        return sum(
            t.minutes
            for d in plan.days
            if lo <= n_of[d.date] <= hi
            for t in d.tasks
            if t.category == Category.RUN
        )

    if gates and race - 2 * taper > gates[0]:
        before = run_minutes(race - 2 * taper, race - taper - 1)
        during = run_minutes(race - taper, race - 1)
        assert before > 0
        assert during <= 0.6 * before

    # the warning says when the race comes before the usual return
    assert (plan.warning is not None) == (race < TYPICAL_RETURN[grade])

    # the red-flag check sits on the day the plan was made
    assert [n_of[d.date] for d in plan.days if d.task("red-flags")] == [
        (today - inputs.injury_date).days
    ]


@settings(max_examples=2000)
@given(plan_inputs())
def test_every_plan_keeps_the_invariants_and_the_never_rules(case):
    check_invariants(*case)


@settings(max_examples=60)
@given(plan_inputs())
def test_every_plan_fits_in_a_file_even_with_every_task_done(case):
    inputs, today = case
    plan = build_plan(inputs, today)
    for day in plan.days:
        for task in day.tasks:
            task.done = True
            task.done_at = plan.created
        day.pain, day.note = 10, "x" * 500
    assert len(dumps_plan(plan).encode()) < MAX_BYTES


def test_largest_plan_fits_in_a_file():
    inputs = PlanInputs(
        date(2026, 1, 1),
        date(2027, 1, 1),
        InjuryKind.CRAMP,
        None,
        Side.LEFT,
        Distance.MARATHON,
        "n" * 100,
    )
    plan = build_plan(inputs, date(2026, 1, 1))
    for day in plan.days:
        for task in day.tasks:
            task.done, task.done_at = True, plan.created
        day.pain, day.note = 10, "x" * 500
    assert len(dumps_plan(plan).encode()) < MAX_BYTES
