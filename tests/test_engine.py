"""The plan engine: the worked example, refusals, and properties over thousands of inputs.

The domain rules are written out here again, independently of `protocol.toml`, so a change
to the data that breaks the protocol fails a test instead of passing silently.
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.engine import InputError, build_plan
from planner.model import Category, Distance, InjuryKind, Muscle, Phase, PlanInputs, Side
from planner.store import MAX_BYTES, dumps_plan

TODAY = date(2026, 11, 21)
TAPER = {"sprint": 5, "5k": 5, "10k": 7, "half": 10, "marathon": 14}
AFTER = {"sprint": 14, "5k": 14, "10k": 14, "half": 14, "marathon": 21}  # 21 after a non-start
NO_RACE_AFTER = 21
PROTECT = {None: 1, 1: 3, 2: 4}  # days of protect by grade (None = cramp)
SINGLE_LEG_FROM = {None: 1, 1: 4, 2: 10}
# The gate table of protocol 2 by injury and muscle (unsure is planned as soleus): earliest
# and usual day; a strain's gate at the latest race-3, a cramp's race-1.
GATE_TABLE = {
    (None, None): (1, 1),
    (1, "gastrocnemius"): (6, 7),
    (1, "soleus"): (6, 10),
    (2, "gastrocnemius"): (21, 21),
    (2, "soleus"): (24, 24),
}
GATE_BEFORE_RACE = {None: 1, 1: 3, 2: 3}
TYPICAL_RETURN = {None: 1, 1: 17, 2: 25}
PHASE_ORDER = [Phase.PROTECT, Phase.RECOVER, Phase.REBUILD, Phase.TAPER, Phase.RACE, Phase.AFTER]


def forum_plan():
    inputs = PlanInputs(
        date(2026, 11, 20), date(2026, 11, 29), InjuryKind.STRAIN, 1, Side.LEFT, Distance.HALF
    )
    return build_plan(inputs, TODAY)


def ids(day):
    return [t.id for t in day.tasks]


def test_worked_example_of_the_forum_runner():
    """domain.md's worked example: grade 1, half marathon on day 9, plan made on day 1."""
    plan = forum_plan()
    phases = [d.phase.value for d in plan.days]
    assert phases == ["protect"] * 3 + ["recover"] * 4 + ["taper"] * 2 + ["race"] + ["after"] * 14
    day = {(d.date - plan.injury_date).days: d for d in plan.days}
    assert "isometric" not in ids(day[0]) and "isometric" in ids(day[1])
    assert {"ice", "walk", "compression", "no-run"} <= set(ids(day[0]))
    assert "red-flags" in ids(day[1])  # the plan was made on day 1
    assert {"raises-double", "stretch", "self-massage", "heat", "cross-train"} <= set(ids(day[3]))
    assert "raises-single" in ids(day[4]) and "raises-single" not in ids(day[3])
    assert "hop-practice" in ids(day[5])  # the hops practised once before the gate
    assert "gate" in ids(day[6])  # race-3: the usual day 10 is too late for the race
    run = day[7].task("run")
    assert run.category == Category.RUN and run.minutes == 30 and "walk 4, jog 1" in run.title
    assert day[8].task("run") is None  # no run the day before: never two days in a row yet
    assert {"sleep", "hydrate", "decide", "rest-day"} <= set(ids(day[8]))
    assert day[9].phase == Phase.RACE and "race" in ids(day[9])
    assert not any(t.category == Category.HEEL_DROPS for n in range(10) for t in day[n].tasks)
    assert "run-check" in ids(day[12])
    assert day[13].task("run") is not None  # easy runs again from the fourth day after
    assert "keep-strong" in ids(day[23])
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
    assert plan.days[-1].date == date(2027, 11, 20) + timedelta(days=14)


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


def test_no_gate_before_the_race_says_dont_start_and_recovery_goes_on():
    plan = build_plan(
        PlanInputs(date(2026, 11, 13), date(2026, 11, 29), grade=2, distance=Distance.MARATHON),
        TODAY,
    )
    race = (plan.race_date - plan.injury_date).days
    assert not any(t.category == Category.RUN for d in plan.days[: race + 1] for t in d.tasks)
    assert "don't start" in plan.warning and "run-walk" not in plan.warning
    race_day = plan.days[race]
    assert race_day.phase == Phase.RACE and race_day.tasks[0].id == "dont-start"
    assert race_day.task("race") is None and race_day.task("raises-single") is not None
    gate = next(n for n, d in enumerate(plan.days) if d.task("gate"))
    assert gate == 24  # after the race, on its usual day: then the ladder
    assert len(plan.days) == gate + 14 + 1  # two weeks past the gate (over 21 after the race)
    assert (
        plan.days[gate + 1].task("run") and "walk 4, jog 1" in plan.days[gate + 1].task("run").title
    )


def test_a_late_plan_puts_nothing_of_the_rebuild_in_the_past():
    made = date(2026, 11, 21)  # day 20 of a grade 1 strain: the usual gate (day 10) is past
    plan = build_plan(PlanInputs(date(2026, 11, 1), date(2026, 11, 29)), made)
    gate = next(n for n, d in enumerate(plan.days) if d.task("gate"))
    assert gate == 22  # two days of single-leg raises and a hop practice from day 20 first
    assert plan.days[21].task("hop-practice") is not None
    first_run = next(n for n, d in enumerate(plan.days) if d.task("run"))
    assert first_run == gate + 1 and "walk 4, jog 1" in plan.days[first_run].task("run").title
    race = (plan.race_date - plan.injury_date).days
    heel = [n for n, d in enumerate(plan.days) if d.task("heel-drops") and n >= 20]
    assert heel and all(n > race for n in heel)  # none new inside race week: after it


def test_a_cramp_goes_back_to_easy_running():
    plan = build_plan(
        PlanInputs(date(2026, 11, 20), date(2026, 11, 25), InjuryKind.CRAMP, None),
        date(2026, 11, 20),
    )
    assert plan.days[1].task("gate") is not None
    run = plan.days[2].task("run")
    assert run is not None and run.title.startswith("Easy run")
    assert not any(t.category == Category.HEEL_DROPS for d in plan.days for t in d.tasks)


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
    muscle = None if kind == InjuryKind.CRAMP else draw(st.sampled_from([None, *Muscle]))
    recurrent = kind == InjuryKind.CRAMP and draw(st.booleans())
    finish = None
    if distance != Distance.SPRINT and draw(st.booleans()):
        finish = draw(st.integers(*FINISH_RANGE[distance.value]))
    inputs = PlanInputs(injury, race, kind, grade, side, distance, "p", muscle, recurrent, finish)
    return inputs, today


FINISH_RANGE = {"5k": (12, 90), "10k": (26, 180), "half": (57, 360), "marathon": (120, 720)}


def planned_muscle(inputs: PlanInputs) -> str | None:
    """The muscle whose gate a plan follows: none for a cramp, soleus when unsure."""
    if inputs.injury == InjuryKind.CRAMP:
        return None
    return "gastrocnemius" if inputs.muscle == Muscle.GASTROCNEMIUS else "soleus"


def check_invariants(inputs: PlanInputs, today: date) -> None:
    plan = build_plan(inputs, today)
    race = (inputs.race_date - inputs.injury_date).days
    made = (today - inputs.injury_date).days
    grade = inputs.grade
    strain = inputs.injury == InjuryKind.STRAIN
    n_of = {d.date: (d.date - inputs.injury_date).days for d in plan.days}
    gates = [n_of[d.date] for d in plan.days if d.task("gate")]
    racing = not any(d.task("dont-start") for d in plan.days)

    # one day per date, contiguous, from the injury to race + the after days
    assert plan.days[0].date == inputs.injury_date
    if racing:
        assert len(plan.days) == race + AFTER[inputs.distance.value] + 1
    else:  # the recovery goes on: three weeks, and at least two weeks past the gate
        assert len(plan.days) == race + max(NO_RACE_AFTER, gates[0] + 14 - race) + 1
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

    # the run gate (protocol 2): once before the race, or (not racing) once after it
    assert len(gates) == 1
    (gate,) = gates
    earliest, usual = GATE_TABLE[grade, planned_muscle(inputs)]
    if strain:
        earliest = max(earliest, max(SINGLE_LEG_FROM[grade], made) + 2)
    latest = race - GATE_BEFORE_RACE[grade]
    assert gate >= max(earliest, made) and gate >= PROTECT[grade]
    if racing:
        assert gate <= latest
        assert gate == max(min(usual, latest), earliest, made)
    else:
        assert max(earliest, made) > latest  # no day fitted before the race
        assert gate > race and gate >= usual
        assert "don't start" in plan.warning
        assert "dont-start" in ids(plan.days[race])[:2]  # first, or after the red-flag check
        assert plan.days[race].task("race") is None
    if grade == 2:
        assert gate >= 21
    if strain:  # two days of single-leg raises and one hop practice the runner sees first
        raised = [n for n in range(made, gate) if plan.days[n].task("raises-single")]
        assert len(raised) >= 2
        assert [n_of[d.date] for d in plan.days if d.task("hop-practice")] == [gate - 1]

    # runs: none before the gate or in the past; never two days in a row in the first 14
    # days of running, the race counting as a run when it is on
    runs = sorted(n_of[d.date] for d in plan.days if d.phase != Phase.RACE and d.task("run"))
    assert all(n > gate for n in runs)
    before_race = [n for n in runs if n < race]
    if before_race:
        assert racing and before_race[0] == gate + 1
    if not racing and runs:
        assert runs[0] == gate + 1 and runs[0] > race
    if racing:
        after_race = [n for n in runs if n > race]
        from_day = 7 if inputs.distance == Distance.MARATHON else 4
        assert not after_race or after_race[0] == race + from_day
    ran = sorted(runs + ([race] if racing else []))
    early = [n for n in ran if ran and n < ran[0] + 14]
    assert all(b - a > 1 for a, b in pairwise(early))

    # heel drops: a strength exercise a few times a week, never for a cramp, never on
    # consecutive days, none in race-2..race, none first seen within 7 days of the race
    heel = sorted(n_of[d.date] for d in plan.days if d.task("heel-drops"))
    if not strain and not inputs.recurrent:  # a single cramp: no heel drops
        assert heel == []
    assert all(b - a >= 2 for a, b in pairwise(heel))
    if racing:
        assert not [n for n in heel if race - 2 <= n <= race]
        seen = [n for n in heel if n >= made and n < race]
        if seen:
            assert seen[0] < race - 7
            assert seen[0] not in {gate, gate - 1, gate + 1, runs[0] if runs else -1}
    for n in heel:
        assert n >= SINGLE_LEG_FROM[grade] + 3

    # strength sessions: a few a week, never two days in a row, never on the gate day; heel
    # drops only in a session, and never in the first one the runner sees (new work itself)
    def session(day):
        raises = day.task("raises-single")
        return raises is not None and raises.title.startswith("Strength session")

    sessions = sorted(n_of[d.date] for d in plan.days if session(d))
    assert all(b - a >= 2 for a, b in pairwise(sessions))
    assert gate not in sessions and set(heel) <= set(sessions)
    seen_sessions = [n for n in sessions if n >= made]
    if seen_sessions and not [n for n in sessions if n < made]:
        assert seen_sessions[0] not in heel

    # the never rules of the protocol
    for day in plan.days:
        cats = {t.category for t in day.tasks}
        if strain and day.phase == Phase.PROTECT:
            assert not cats & {
                Category.RUN,
                Category.STRETCH,
                Category.HEAT,
                Category.MASSAGE,
                Category.HEEL_DROPS,
            }
        if day.phase in (Phase.PROTECT, Phase.RECOVER):
            assert Category.RUN not in cats

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

    if racing and race - 2 * taper > gate:
        before = run_minutes(race - 2 * taper, race - taper - 1)
        during = run_minutes(race - taper, race - 1)
        assert before > 0
        assert during <= 0.6 * before

    # the warning: certain don't-start said as such, else when the race comes early
    if not racing:
        assert "run-walk" not in plan.warning.lower()
    else:
        assert (plan.warning is not None) == (race < TYPICAL_RETURN[grade])

    # the red-flag check sits on the day the plan was made
    assert [n_of[d.date] for d in plan.days if d.task("red-flags")] == [made]


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
