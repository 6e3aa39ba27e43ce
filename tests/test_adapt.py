"""The plan adapts: each pain rule, the run gate, the clinician warning, the race-day call,
and a property test that re-planning never rewrites the past or the runner's own work."""

from __future__ import annotations

import copy
import math
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.advice import clinician_warning, decide
from planner.changes import describe_changes
from planner.engine import build_plan, replan
from planner.model import (
    Category,
    Distance,
    GateResult,
    InjuryKind,
    Muscle,
    Phase,
    PlanInputs,
    Safety,
    Side,
    SkipReason,
    clean_text,
)
from planner.ops import (
    AddTask,
    LogPain,
    OpError,
    RecordGate,
    Replan,
    SetDone,
    SkipTask,
    new_custom_id,
)

INJURY = date(2026, 11, 18)
NOON = datetime(2026, 11, 18, 12, tzinfo=UTC)
PASS = GateResult(22, 10, 30, True)
FAIL = GateResult(12, 10, 30, False)


def spring_half():
    """A grade 1 strain sixteen weeks before a half marathon: single-leg raises from day 4,
    hops practised on day 9, the run gate on day 10 (its usual day for soleus or unsure),
    walk-runs on alternate days from day 11, each step twice (the days allow it)."""
    inputs = PlanInputs(INJURY, date(2027, 3, 7), InjuryKind.STRAIN, 1, Side.LEFT, Distance.HALF)
    return build_plan(inputs, INJURY)


def d(n: int) -> date:
    return INJURY + timedelta(days=n)


def movement(plan, n):
    """The day's run, walk-instead, or gate task title, if any."""
    day = plan.days[n]
    for task_id in ("run", "run-swap", "gate"):
        task = day.task(task_id)
        if task is not None:
            return task_id, task.title
    return None


def log(plan, n, score, today=None, **kw):
    LogPain(d(n), score, **kw).apply(plan)
    Replan(d(n + 1), today or d(n)).apply(plan)


def test_the_gate_and_the_first_runs_fall_where_protocol_2_says():
    plan = spring_half()
    assert plan.days[9].task("hop-practice") is not None
    assert movement(plan, 10)[0] == "gate"
    assert "walk 4, jog 1" in movement(plan, 11)[1]
    assert movement(plan, 12) is None  # alternate days: never two runs in a row at first
    assert "walk 4, jog 1" in movement(plan, 13)[1]  # each step twice when the days allow
    assert "walk 3, jog 2" in movement(plan, 15)[1]


def gate_passed(plan, n=10):
    """The runner recorded a passed gate on day `n` (the plan's usual day 10)."""
    RecordGate(d(n), PASS, NOON).apply(plan)
    Replan(d(n + 1), d(n)).apply(plan)
    return plan


def test_a_gate_not_taken_is_never_left_in_the_past():
    plan = spring_half()
    log(plan, 12, 1)  # day 12, and no gate was recorded on day 10: no runs yet
    assert movement(plan, 13)[0] == "gate"  # the first day the re-plan lays out
    assert movement(plan, 14)[0] == "run" and "walk 4, jog 1" in movement(plan, 14)[1]


def test_green_progresses_as_planned():
    plan = gate_passed(spring_half())
    before = copy.deepcopy(plan)
    log(plan, 12, 1)
    assert describe_changes(before, plan) == []
    assert movement(plan, 13)[1].startswith("Walk-run 30 min: walk 4, jog 1")
    assert movement(plan, 15)[1].startswith("Walk-run 30 min: walk 3, jog 2")


def test_amber_holds_and_turns_the_next_run_into_walking():
    plan = gate_passed(spring_half())
    log(plan, 12, 3)  # the day after the first run (walk 4 / jog 1)
    kind, title = movement(plan, 13)
    assert kind == "run-swap" and title == "Cycle or brisk walk 30 min instead of running"
    swap = plan.days[13].task("run-swap")
    assert swap.category == Category.WALK and swap.minutes == 30
    assert movement(plan, 15)[1] == movement(plan, 11)[1]  # the run didn't count: again
    assert movement(plan, 17)[1] == movement(plan, 11)[1]  # and twice pain-free
    assert "walk 3, jog 2" in movement(plan, 19)[1]


def test_red_steps_back_a_level_and_lowers_the_next_days_load():
    plan = gate_passed(spring_half())
    assert "walk 2, jog 3" in movement(plan, 21)[1]
    heel_before = [n for n in range(22, 46) if plan.days[n].task("heel-drops")]
    assert heel_before
    for n in range(12, 21):
        log(plan, n, 1)
    log(plan, 21, 6)
    day22 = plan.days[22]  # a strength-session day: the session a level down
    assert day22.task("raises-single") is None and day22.task("raises-double") is not None
    assert movement(plan, 22) is None  # no run the day after a red day
    assert "walk 3, jog 2" in movement(plan, 23)[1]  # back to the previous step
    assert not [n for n in range(22, 46) if plan.days[n].task("heel-drops")]  # paused
    log(plan, 22, 2)
    log(plan, 23, 1)  # two green days in a row: heel drops come back
    assert [n for n in range(24, 46) if plan.days[n].task("heel-drops")]


def test_red_before_the_gate_pushes_the_gate_back():
    plan = spring_half()
    log(plan, 9, 5)
    assert movement(plan, 10) is None
    assert movement(plan, 11)[0] == "gate"  # no sooner than 2 days after the red day
    assert movement(plan, 12)[0] == "run"


def test_two_red_days_hold_the_plan_until_two_days_below_5():
    plan = gate_passed(spring_half())
    log(plan, 12, 6)
    log(plan, 13, 7)
    assert "clinician" in clinician_warning(plan, d(13))
    ahead = range(14, 60)
    assert not [n for n in ahead if movement(plan, n) and movement(plan, n)[0] == "run"]
    assert not [n for n in ahead if plan.days[n].task("heel-drops")]
    log(plan, 14, 3)
    log(plan, 15, 2)  # cleared
    assert clinician_warning(plan, d(15)) is None
    assert [n for n in range(16, 60) if movement(plan, n) and movement(plan, n)[0] == "run"]


def test_two_red_days_or_pain_at_rest_warn_until_two_days_below_5():
    plan = spring_half()
    log(plan, 10, 6)
    assert clinician_warning(plan, d(10)) is None
    log(plan, 11, 7)
    assert "clinician" in clinician_warning(plan, d(11))
    log(plan, 12, 5)
    assert clinician_warning(plan, d(12)) is not None  # 5 is not below 5
    log(plan, 13, 4)
    assert clinician_warning(plan, d(13)) is not None  # one calm day is not yet two
    log(plan, 14, 2)
    assert clinician_warning(plan, d(14)) is None  # two days in a row below 5
    log(plan, 15, 2, at_rest=True)
    assert clinician_warning(plan, d(15)) is not None
    log(plan, 16, 1)
    log(plan, 18, 1)  # not in a row: a day without a log between them
    assert clinician_warning(plan, d(18)) is not None
    log(plan, 19, 1)
    assert clinician_warning(plan, d(19)) is None


def test_gate_passed_early_starts_running_the_next_day():
    plan = spring_half()
    RecordGate(d(8), PASS, NOON).apply(plan)
    Replan(d(9), d(8)).apply(plan)
    assert movement(plan, 9)[0] == "run" and "walk 4, jog 1" in movement(plan, 9)[1]
    assert movement(plan, 10) is None  # no second gate; a day without a run between runs
    assert plan.days[9].phase == Phase.REBUILD


def test_gate_failed_keeps_recovering_and_retests_in_two_days():
    plan = spring_half()
    RecordGate(d(10), FAIL, NOON).apply(plan)
    assert plan.days[10].task("gate").done  # tested, even if not passed
    Replan(d(11), d(10)).apply(plan)
    assert movement(plan, 11) is None and plan.days[11].phase == Phase.RECOVER
    assert movement(plan, 12)[0] == "gate"
    assert movement(plan, 13)[0] == "run"


def test_replan_keeps_ticks_skips_custom_tasks_and_ids():
    plan = gate_passed(spring_half())
    day13 = plan.days[13]
    SetDone(d(13), "run", True, NOON).apply(plan)
    SkipTask(d(13), "stretch", SkipReason.TRAVEL).apply(plan)
    own = new_custom_id(plan.days[14])
    AddTask(d(14), own, "Foam roll [glutes]").apply(plan)
    ids_before = [t.id for t in plan.days[30].tasks]
    log(plan, 12, 4, today=d(12))  # amber before day 13: its run would become a walk
    kept_run = plan.days[13].task("run")
    assert kept_run.done and kept_run.title == day13.task("run").title
    assert plan.days[13].task("stretch").skip == SkipReason.TRAVEL
    assert plan.days[14].task(own).title == "Foam roll [glutes]"
    assert [t.id for t in plan.days[30].tasks] == ids_before


def test_a_pain_skip_counts_as_amber():
    plan = gate_passed(spring_half())
    SkipTask(d(12), "isometric", SkipReason.PAIN).apply(plan)
    Replan(d(13), d(12)).apply(plan)
    assert movement(plan, 13)[0] == "run-swap"


def test_the_past_is_never_rewritten():
    plan = spring_half()
    past = copy.deepcopy(plan.days[:15])
    new = replan(plan, d(10), d(15))  # start is today even when asked earlier
    assert new.days[:15] == past
    assert plan is not new and plan.days[:15] == past


def test_custom_tasks_only_can_be_edited_or_deleted():
    from planner.ops import DeleteTask, EditTask

    plan = spring_half()
    for op in (EditTask(d(3), "stretch", "x"), DeleteTask(d(3), "stretch")):
        try:
            op.apply(plan)
        except OpError as error:
            assert "part of the plan" in str(error)
        else:
            raise AssertionError("a plan task was changed")


def test_change_summary_names_the_day_and_the_swap():
    plan = gate_passed(spring_half())
    before = copy.deepcopy(plan)
    log(plan, 12, 3)
    lines = describe_changes(before, plan)
    assert lines[0] == (  # amber: the run becomes cross-training, and nothing new comes
        "Tue 1 Dec: walk-run 30 min: walk 4, jog 1, repeat -> "
        "cycle or brisk walk 30 min instead of running; "
        "no strength session: heel drops off a step, left calf"
    )


# ------------------------------------------------------------------ the race-day call


def forum(grade=1, race=date(2026, 11, 29), injury=date(2026, 11, 20)):
    inputs = PlanInputs(injury, race, InjuryKind.STRAIN, grade, Side.LEFT, Distance.HALF)
    return build_plan(inputs, injury)


def lived(plan, gate=PASS, run_minutes=None, pain=1, at_rest=False):
    """The forum plan lived to race-1: gate on day 6 (race-3), the day-7 run done and its
    pain logged, pain logged again on race-1."""
    race_eve = plan.race_date - timedelta(days=1)
    run_day = race_eve - timedelta(days=1)
    gate_day = run_day - timedelta(days=1)
    if gate is not None:
        RecordGate(gate_day, gate, NOON).apply(plan)
        Replan(run_day, gate_day).apply(plan)
    run = plan.day(run_day).task("run")
    if run is not None:
        if run_minutes:
            run.minutes = run_minutes
        SetDone(run_day, "run", True, NOON).apply(plan)
    LogPain(run_day, min(pain, 2), at_rest=False).apply(plan)
    LogPain(race_eve, pain, at_rest=at_rest).apply(plan)
    return plan, race_eve


def test_call_dont_start_with_a_short_run_as_in_the_worked_example():
    plan, eve = lived(forum())
    decision = decide(plan, eve)
    assert decision.call == "dont-start" and not decision.provisional
    assert any("Longest pain-free run in the last 30 days: 30 min" in r for r in decision.reasons)
    assert decision.if_you_start.startswith("If you start anyway: run-walk")


def test_call_one_long_pain_free_run_is_run_walk_not_race():
    plan, eve = lived(forum(), run_minutes=80, pain=0)
    decision = decide(plan, eve)
    assert decision.call == "run-walk"  # racing also needs 3 runs since the gate
    assert "walk 1 min" in decision.advice


def test_call_dont_start_for_each_blocker():
    plan, eve = lived(forum(), gate=FAIL)
    assert decide(plan, eve).call == "dont-start"
    plan, eve = lived(forum(), gate=None)
    assert any("No run gate" in r for r in decide(plan, eve).reasons)
    plan, eve = lived(forum(), run_minutes=80, pain=0, at_rest=True)
    assert decide(plan, eve).call == "dont-start"
    plan, eve = lived(forum(), run_minutes=80, pain=3)
    assert decide(plan, eve).call == "dont-start"
    plan, eve = lived(forum(grade=2), run_minutes=80, pain=0)
    decision = decide(plan, eve)
    assert decision.call == "dont-start" and any("grade 2" in r for r in decision.reasons)
    plan = forum()
    plan.safety = Safety(date(2026, 11, 20), ["clot"], clinician_cleared=False)
    plan, eve = lived(plan, run_minutes=80, pain=0)
    assert decide(plan, eve).call == "dont-start"


def test_a_call_before_race_eve_is_provisional():
    plan = forum()
    assert decide(plan, date(2026, 11, 22)).provisional


# ------------------------------------------------------------------ properties


# A finish time quicker than the typical one, for each distance that has one.
QUICK = {Distance.K5: 25, Distance.K10: 50, Distance.HALF: 100, Distance.MARATHON: 200}


@st.composite
def journeys(draw):
    injury = draw(st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 1, 1)))
    span = draw(st.integers(0, 90))
    kind = draw(st.sampled_from(list(InjuryKind)))
    grade = None if kind == InjuryKind.CRAMP else draw(st.sampled_from([1, 2]))
    distance = draw(st.sampled_from(list(Distance)))
    inputs = PlanInputs(
        injury,
        injury + timedelta(days=span),
        kind,
        grade,
        Side.RIGHT,
        distance,
        muscle=None if grade is None else draw(st.sampled_from([None, *Muscle])),
        recurrent=kind == InjuryKind.CRAMP and draw(st.booleans()),
        finish_minutes=draw(st.none() | st.just(QUICK[distance])) if distance in QUICK else None,
    )
    steps = draw(
        st.lists(
            st.one_of(
                st.tuples(st.just("advance"), st.integers(1, 6)),
                st.tuples(st.just("pain"), st.integers(0, 10), st.booleans()),
                st.tuples(st.just("gate"), st.integers(0, 30), st.integers(0, 12)),
                st.tuples(st.just("tick"), st.integers(0, 9)),
                st.tuples(st.just("skip"), st.integers(0, 9), st.sampled_from(list(SkipReason))),
                st.tuples(st.just("add"), st.text(min_size=1, max_size=12)),
            ),
            max_size=12,
        )
    )
    return inputs, steps


def check_plan(plan, inputs):
    assert plan.days[0].date == inputs.injury_date
    assert all((b.date - a.date).days == 1 for a, b in zip(plan.days, plan.days[1:], strict=False))
    assert [d.date for d in plan.days if d.phase == Phase.RACE] == [inputs.race_date]
    for day in plan.days:
        assert day.tasks
        assert len({t.id for t in day.tasks}) == len(day.tasks)


def check_safety(plan, today):
    """Protocol 2's pain rules and the gate, on every day still to come after a re-plan."""
    future = [d for d in plan.days if d.date > today]

    def planned_run(day):
        run = day.task("run")
        return run is not None and not run.done

    passed = [d.date for d in plan.days if d.date <= today and d.gate and d.gate.passed]
    gates = [d.date for d in plan.days if d.date >= today and d.task("gate")]
    for day in future:
        if planned_run(day):  # a run comes after a passed gate, or after the planned one
            assert any(g < day.date for g in passed + gates)
    logged = [d for d in plan.days if d.date <= today and d.pain is not None]
    if logged and logged[-1].pain >= 5 and logged[-1].date == today:
        tomorrow = plan.day(today + timedelta(days=1))
        assert tomorrow is None or not planned_run(tomorrow)  # no run after a red day
    if clinician_warning(plan, today):  # the plan holds: no gate, no run, no heel drops
        assert not [g for g in gates if g > today]
        assert not [d for d in future if planned_run(d) or d.task("heel-drops")]
    check_load_ahead(plan, today)


def check_load_ahead(plan, today):
    """The load rules on the days a re-plan laid out: no run over 1.3x the longest of the 30
    days before it (runs of 20 min or less are free), long runs at least 7 days apart."""
    runs = {d.date: d.task("run") for d in plan.days if d.task("run") and d.phase != Phase.RACE}
    for when, run in runs.items():
        if when <= today:
            continue
        window = [r.minutes for w, r in runs.items() if when - timedelta(days=30) <= w < when]
        limit = max(20, math.floor(1.3 * max(window))) if window else 30
        assert run.minutes <= limit, (when, run.minutes, limit)
    longs = sorted(w for w, r in runs.items() if r.title.startswith("Long easy run"))
    for a, b in pairwise(longs):
        if b > today:
            assert (b - a).days >= 7


def kept(day):
    """What the runner owns on a day: a re-plan must leave all of it as it was."""
    return (
        day.pain,
        day.note,
        day.at_rest,
        day.gate,
        [t for t in day.tasks if t.done or t.skip is not None or t.custom],
    )


@settings(max_examples=400)
@given(journeys())
def test_any_journey_keeps_the_invariants_and_never_rewrites_the_past(journey):
    inputs, steps = journey
    plan = build_plan(inputs, inputs.injury_date)
    check_plan(plan, inputs)
    today = inputs.injury_date
    for step in steps:
        kind = step[0]
        if kind == "advance":
            today = min(today + timedelta(days=step[1]), plan.last_date)
            continue
        day = plan.day(today)
        if kind == "tick":
            task = day.tasks[step[1] % len(day.tasks)]
            SetDone(today, task.id, not task.done, NOON).apply(plan)
            continue
        if kind == "add":
            try:
                AddTask(today, new_custom_id(day), step[1]).apply(plan)
            except OpError:
                assert not clean_text(step[1]).strip()
            continue
        if kind == "pain":
            LogPain(today, step[1], at_rest=step[2]).apply(plan)
        elif kind == "gate":
            if day.phase == Phase.PROTECT:
                continue
            RecordGate(
                today, GateResult(step[1], step[2], 30, step[1] >= 20 and step[2] >= 10), NOON
            ).apply(plan)
        elif kind == "skip":
            task = day.tasks[step[1] % len(day.tasks)]
            SkipTask(today, task.id, step[2]).apply(plan)
        before = copy.deepcopy(plan)
        Replan(today + timedelta(days=1), today).apply(plan)
        check_plan(plan, inputs)
        check_safety(plan, today)
        assert len(plan.days) >= len(before.days)  # a plan never shrinks
        for old, new in zip(before.days, plan.days, strict=False):
            if old.date <= today:
                assert new == old  # the past (and today, re-planned from tomorrow) stays
            else:
                assert kept(new) == kept(old)


def test_amber_the_day_before_the_gate_moves_it_a_day():
    plan = spring_half()
    log(plan, 9, 3)  # amber on the hop-practice day: nothing new the next day
    assert movement(plan, 10) is None
    assert movement(plan, 11)[0] == "gate"


def test_red_on_race_day_or_after_gives_three_protect_days_with_a_check():
    plan = forum()
    race = (plan.race_date - plan.injury_date).days
    RecordGate(plan.days[race - 3].date, PASS, NOON).apply(plan)
    Replan(plan.days[race - 2].date, plan.days[race - 3].date).apply(plan)
    LogPain(plan.race_date, 7).apply(plan)
    Replan(plan.race_date + timedelta(days=1), plan.race_date).apply(plan)
    forbidden = {
        Category.RUN,
        Category.HEAT,
        Category.MASSAGE,
        Category.STRETCH,
        Category.HEEL_DROPS,
    }
    for n in (race + 1, race + 2, race + 3):
        day = plan.days[n]
        assert day.task("after-red-check") is not None and day.task("protect-again")
        assert not {t.category for t in day.tasks} & forbidden
    assert plan.days[race + 4].task("after-red-check") is None


def test_a_gate_before_its_earliest_day_is_refused_and_a_hand_edited_one_ignored(tmp_path):
    from planner.cli import main

    plan = spring_half()
    RecordGate(d(4), PASS, NOON).apply(plan)  # a pass on day 4 written into the file by hand
    Replan(d(5), d(4)).apply(plan)
    assert movement(plan, 5) is None  # no run after a gate the protocol wouldn't take
    first = next(n for n in range(5, 40) if movement(plan, n))
    assert first >= 6 and movement(plan, first)[0] == "gate"  # a gate again, from day 6
    path = tmp_path / "plan.toml"
    from planner.store import PlanFile

    PlanFile.create(path, spring_half())
    args = ["gate", str(path), "--raises", "30", "--hops", "10", "--walk", "30"]
    assert main([*args, "--today", d(5).isoformat()]) == 2  # day 5: earliest is day 6
    assert main([*args, "--today", d(6).isoformat()]) == 0
