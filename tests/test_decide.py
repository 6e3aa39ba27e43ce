"""The race-day call of protocol 2 (domain.md, "The race-day call"): scenarios through the
core, the command line and the TUI, and properties over generated histories.

L = the longest run in the last 30 days that was done and pain-free (its day's pain logged
0-2); E = the expected race time; N = runs done since the passed gate. The thresholds here
are the protocol's own numbers, written out, so a change to protocol.toml that loosens the
call fails these tests.
"""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import tomli
from hypothesis import assume, given
from hypothesis import strategies as st

import planner.rules
from planner.advice import clinician_warning, decide
from planner.cli import main
from planner.demo import demo_plan
from planner.engine import InputError, build_plan
from planner.export import to_markdown
from planner.model import (
    Category,
    Distance,
    GateResult,
    InjuryKind,
    PlanInputs,
    Safety,
    Side,
    SkipReason,
    Task,
)
from planner.ops import LogPain, RecordGate, SetDone, SkipTask
from planner.rules import RulesError, load_rules, parse_rules
from planner.store import PlanFile
from planner.tui.dialogs.decision import DecisionScreen
from planner.tui.screens.plan import PlanScreen
from tests.test_tui_plan import app_for, wait_for

NOON = datetime(2026, 11, 1, 12, tzinfo=UTC)
PASS = GateResult(25, 10, 30, True)
FAIL = GateResult(12, 10, 30, False)
# The protocol's numbers (domain.md), not read from the rules: the tests hold the data to them.
RACE_FRACTION, RUN_WALK_FRACTION = 0.6, 0.4
RACE_RUNS, RUN_WALK_RUNS = 3, 1
WINDOW_DAYS, LOG_MAX_AGE, REST_DAYS, GRADE2_MIN_DAYS = 30, 3, 7, 21
EXPECTED = {
    Distance.SPRINT: 1,  # not used: a sprint's call looks at the 90% strides instead
    Distance.K5: 30,
    Distance.K10: 60,
    Distance.HALF: 130,
    Distance.MARATHON: 270,
}
SPRINT_DAYS = 7  # a sprint races after strides at 90% done pain-free within this many days
IF_YOU_START = (
    "If you start anyway: run-walk from the first kilometre, stop at pain over 3/10 or a limp."
)

# The forum runner: a grade 1 strain on Fri 20 Nov, the race on Sun 29 Nov; the plan puts the
# gate on Thu 26 Nov (race-3), the first walk-run (30 min) on Fri 27 Nov (race-2) and a rest
# day before the race (never two run days in a row in the first 14 days of running).
INJURY = date(2026, 11, 20)
RACE = date(2026, 11, 29)
GATE_DAY = date(2026, 11, 26)
RUN_DAY = date(2026, 11, 27)
RACE_EVE = date(2026, 11, 28)


def forum(distance=Distance.HALF, injury=InjuryKind.STRAIN, grade=1, race=RACE):
    inputs = PlanInputs(INJURY, race, injury, grade, Side.LEFT, distance, "Forum")
    return build_plan(inputs, INJURY)


def lived(plan, *, gate=PASS, run=True, pain=1, pain_on=RACE_EVE, at_rest=False):
    """The forum plan on race-1: the gate on race-3, the walk-run of race-2, a pain log on
    race-1 (and, when that is the log, the same on the run's own day)."""
    if gate is not None:
        RecordGate(GATE_DAY, gate, NOON).apply(plan)
    if run:
        SetDone(RUN_DAY, "run", True, NOON).apply(plan)
    if pain is not None:
        if run and pain_on == RACE_EVE:
            LogPain(RUN_DAY, pain, at_rest=at_rest).apply(plan)
        LogPain(pain_on, pain, at_rest=at_rest).apply(plan)
    return plan


def has(decision, text):
    return any(text in reason for reason in decision.reasons)


# ------------------------------------------------------------------ the worked example


def test_forum_runner_half_is_dont_start_with_minutes_and_the_if_you_start_advice():
    decision = decide(lived(forum()), RACE_EVE)
    assert (decision.call, decision.label) == ("dont-start", "Don't start")
    assert not decision.provisional
    assert (decision.longest_minutes, decision.expected_minutes, decision.runs_since_gate) == (
        30,
        130,
        1,
    )
    assert decision.reasons[0] == (
        "Longest pain-free run in the last 30 days: 30 min; racing needs 78 min (60% of 130 "
        "min, a typical half marathon finish), run-walk 52 min (40%). That is 22 min short of "
        "run-walk and 48 min short of racing: runs grow only as fast as the plan's load rules "
        "allow, so don't close the gap with one long run."
    )
    assert has(decision, "Runs done since the gate: 1; racing needs 3, run-walk 1.")
    assert has(decision, "Run gate passed on Thu 26 Nov.")
    assert has(decision, "Latest pain: 1/10 on Sat 28 Nov")
    assert decision.if_you_start == IF_YOU_START


def test_forum_runner_5k_is_run_walk_with_one_run_and_race_needs_three():
    decision = decide(lived(forum(Distance.K5)), RACE_EVE)
    assert decision.call == "run-walk" and decision.if_you_start is None
    # L = 30 >= 40% and 60% of E = 30; one run since the gate keeps it from racing.
    assert decision.reasons[0] == "Runs done since the gate: 1; racing needs 3, run-walk 1."
    assert has(decision, "racing needs 18 min (60% of 30 min, a typical 5k finish)")
    assert "walk 1 min" in decision.advice


def test_forum_runner_5k_with_pain_3_is_dont_start():
    decision = decide(lived(forum(Distance.K5), pain=3), RACE_EVE)
    assert decision.call == "dont-start"
    assert decision.reasons[0].startswith("Latest pain: 3/10 on Sat 28 Nov")


# ------------------------------------------------------------------ missing data: never a start


def test_gate_passed_but_no_run_ticked_is_dont_start():
    decision = decide(lived(forum(Distance.K5), run=False), RACE_EVE)
    assert decision.call == "dont-start"
    assert has(decision, "Longest pain-free run in the last 30 days: 0 min")
    assert has(decision, "Runs done since the gate: 0")


def test_no_pain_ever_logged_is_dont_start():
    decision = decide(lived(forum(Distance.K5), pain=None), RACE_EVE)
    assert decision.call == "dont-start"
    assert decision.reasons[0] == "No pain logged yet: log how the calf feels today."
    # The run itself isn't known to be pain-free either, and the call says why it's not counted.
    assert decision.longest_minutes == 0
    assert has(decision, "Runs ticked on a day without a pain log don't count as pain-free: ")


def test_pain_logged_4_days_ago_only_is_dont_start_and_3_days_is_fresh():
    plan = lived(forum(Distance.K5), pain=1, pain_on=RACE_EVE - timedelta(days=4))
    decision = decide(plan, RACE_EVE)
    assert decision.call == "dont-start"
    assert has(decision, "No pain logged in the last 3 days (the latest, 1/10, was on Tue 24 Nov)")
    # A longer plan, every run done pain-free up to Mon 23 Nov and nothing logged since.
    plan = long_5k()
    ideal(plan, date(2026, 11, 23))
    assert decide(plan, date(2026, 11, 26)).call == "race"
    decision = decide(plan, date(2026, 11, 27))
    assert decision.call == "dont-start"
    assert decision.reasons[0].startswith("No pain logged in the last 3 days")


def test_a_run_on_a_day_with_pain_3_or_pain_at_rest_is_not_pain_free():
    plan = lived(forum(Distance.K5), pain=3)
    assert decide(plan, RACE_EVE).longest_minutes == 0
    plan = lived(forum(Distance.K5), pain=1, at_rest=True)
    decision = decide(plan, RACE_EVE)
    assert decision.longest_minutes == 0 and decision.call == "dont-start"
    assert has(decision, "Pain at rest or at night noted on Sat 28 Nov")


def test_a_skipped_run_or_a_future_tick_does_not_count():
    plan = lived(forum(Distance.K5), run=False)
    SkipTask(RUN_DAY, "run", SkipReason.OTHER).apply(plan)
    plan.day(RUN_DAY).task("run").done = True  # a hand-edited file may say both
    assert decide(plan, RACE_EVE).call == "dont-start"
    plan = lived(forum(Distance.K5))
    assert decide(plan, GATE_DAY).runs_since_gate == 0  # the tick is on a later day


def test_the_race_day_warm_up_is_not_a_run_toward_the_race():
    plan = lived(forum(Distance.K5), pain=1)
    SetDone(RACE, "warm-up", True, NOON).apply(plan)
    LogPain(RACE, 1).apply(plan)
    assert decide(plan, RACE).runs_since_gate == 1


def test_a_failed_retest_after_a_pass_is_not_a_pass():
    plan = lived(forum(Distance.K5))
    RecordGate(RACE_EVE, FAIL).apply(plan)
    decision = decide(plan, RACE_EVE)
    assert decision.call == "dont-start"
    assert decision.reasons[0].startswith("The run gate was not passed (Sat 28 Nov)")


def test_no_gate_is_dont_start():
    decision = decide(lived(forum(Distance.K5), gate=None), RACE_EVE)
    assert decision.call == "dont-start"
    assert decision.reasons[0].startswith("No run gate recorded yet")


# ------------------------------------------------------------------ safety


def test_red_flag_not_cleared_is_dont_start_and_cleared_is_not():
    plan = lived(forum(Distance.K5))
    plan.safety = Safety(INJURY, ["clot"], clinician_cleared=False)
    decision = decide(plan, RACE_EVE)
    assert decision.call == "dont-start"
    assert has(decision, "A red flag was answered yes and not cleared by a clinician.")
    plan.safety = Safety(INJURY, ["clot"], clinician_cleared=True)
    assert decide(plan, RACE_EVE).call == "run-walk"


def test_the_clinician_warning_is_dont_start(monkeypatch):
    plan = lived(forum(Distance.K5))
    assert decide(plan, RACE_EVE).call == "run-walk"
    # The warning on its own (however the pain rules set it): nothing else stands in the way.
    monkeypatch.setattr("planner.advice.clinician_warning", lambda *args: "See a clinician.")
    decision = decide(plan, RACE_EVE)
    assert decision.call == "dont-start"
    assert decision.reasons[0].startswith("The pain log calls for a clinician first")


def test_pain_at_rest_within_7_days_is_dont_start():
    plan = lived(forum(Distance.K5))
    LogPain(RACE_EVE - timedelta(days=6), None, at_rest=True).apply(plan)
    decision = decide(plan, RACE_EVE)
    assert decision.call == "dont-start" and has(decision, "Pain at rest or at night")


def test_grade_2_under_21_days_is_dont_start_whatever_the_log():
    injury = date(2026, 10, 1)
    for days, expect in ((20, "dont-start"), (21, "race")):
        race = injury + timedelta(days=days)
        plan = build_plan(
            PlanInputs(injury, race, InjuryKind.STRAIN, 2, Side.LEFT, Distance.K5), injury
        )
        # Whatever the engine lays out: a pass on race-5, then three 40-min runs of the
        # runner's own, all pain-free. Only the strain's age can stop this runner.
        RecordGate(race - timedelta(days=5), PASS, NOON).apply(plan)
        for back in (4, 3, 2):
            plan.day(race - timedelta(days=back)).tasks.append(
                Task("my-run", Category.RUN, "My run", minutes=40, done=True, custom=True)
            )
        for day in plan.days[:days]:
            LogPain(day.date, 0).apply(plan)
        decision = decide(plan, race - timedelta(days=1))
        assert decision.call == expect
        assert has(decision, f"A grade 2 strain is {days} days old") == (days < 21)


# ------------------------------------------------------------------ race, cramps, finish time


def ideal(plan, today):
    """Every run ticked with pain 0 on its day and a pass recorded on the plan's gate day
    (or the first day for a plan without one): the best history the plan allows."""
    gate_days = [d for d in plan.days if d.task("gate") is not None]
    gate_day = gate_days[0] if gate_days else plan.days[1]
    RecordGate(gate_day.date, PASS, NOON).apply(plan)
    for day in plan.days:
        if day.date > today:
            break
        for task in day.tasks:
            if task.category == Category.RUN:
                SetDone(day.date, task.id, True, NOON).apply(plan)
        LogPain(day.date, 0).apply(plan)


def long_5k():
    """A grade 1 strain four weeks before a 5k: the gate on Wed 11 Nov, then runs."""
    injury = date(2026, 11, 1)
    return build_plan(
        PlanInputs(injury, RACE, InjuryKind.STRAIN, 1, Side.LEFT, Distance.K5), injury
    )


def test_a_strain_races_with_three_runs_and_a_long_enough_one():
    plan = long_5k()
    ideal(plan, RACE_EVE)
    decision = decide(plan, RACE_EVE)
    assert decision.call == "race" and decision.if_you_start is None
    assert decision.runs_since_gate >= 3 and decision.longest_minutes >= 18
    assert decision.reasons[0].startswith("Run gate passed on ")
    LogPain(RACE_EVE, 2).apply(plan)
    decision = decide(plan, RACE_EVE)
    assert decision.call == "run-walk"
    assert decision.reasons[0].startswith("Latest pain: 2/10 on Sat 28 Nov; racing needs 0-1")


def cramp(distance=Distance.HALF):
    race = date(2026, 11, 24)
    plan = build_plan(PlanInputs(INJURY, race, InjuryKind.CRAMP, None, Side.LEFT, distance), INJURY)
    return plan, race - timedelta(days=1)


def test_a_cramp_races_on_the_gate_and_pain_0_1_after_one_pain_free_run():
    plan, eve = cramp()
    ideal(plan, eve)
    decision = decide(plan, eve)
    # A half marathon (E = 130) after a 30-min run: a strain would not start.
    assert decision.call == "race" and decision.longest_minutes < 52
    assert has(decision, "after a cramp, racing needs a pain-free run of any length")


def test_a_cramp_without_a_run_or_with_pain_2_is_held_to_the_strain_thresholds():
    plan, eve = cramp()
    RecordGate(date(2026, 11, 21), PASS, NOON).apply(plan)
    LogPain(eve, 0).apply(plan)
    assert decide(plan, eve).call == "dont-start"  # no run done
    plan, eve = cramp()
    ideal(plan, eve)
    LogPain(eve, 2).apply(plan)
    assert decide(plan, eve).call == "dont-start"  # run-walk needs L >= 52 min


def test_a_recurrent_cramp_needs_the_strain_rules():
    plan, eve = cramp()
    ideal(plan, eve)
    plan.recurrent = True  # the field a later issue adds to [plan]
    decision = decide(plan, eve)
    assert decision.call == "dont-start"
    assert has(decision, "racing needs 78 min (60% of 130 min")


def test_finish_minutes_is_e_when_the_plan_has_it():
    plan = lived(forum())
    plan.finish_minutes = 40  # the field a later issue adds to [plan]
    decision = decide(plan, RACE_EVE)
    assert decision.call == "run-walk" and decision.expected_minutes == 40
    assert has(decision, "racing needs 24 min (60% of your expected 40 min), run-walk 16 min")
    for useless in (0, -5, True, "40", None):
        plan.finish_minutes = useless
        assert decide(plan, RACE_EVE).expected_minutes == 130


def test_a_call_before_race_eve_is_provisional_and_from_race_eve_it_is_not():
    plan = lived(forum())
    assert decide(plan, RACE_EVE - timedelta(days=1)).provisional
    assert not decide(plan, RACE_EVE).provisional
    assert not decide(plan, RACE).provisional


def test_the_markdown_line_says_provisional_before_race_eve():
    plan = lived(forum())
    early = to_markdown(plan, date(2026, 11, 22))
    assert (
        "- Race-day call as of Sun 22 Nov: Don't start (provisional: the call is made the day "
        "before the race)"
    ) in early
    assert "- Race-day call as of Sat 28 Nov: Don't start\n" in to_markdown(plan, RACE_EVE)


# ------------------------------------------------------------------ properties


@st.composite
def histories(draw):
    """A plan of any kind with a random history: gates, ticks, skips, run lengths, pain and
    pain at rest, custom runs, red flags, a finish time, a recurrent cramp; and a today."""
    injury = draw(st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)))
    span = draw(st.integers(1, 60))
    kind = draw(st.sampled_from(list(InjuryKind)))
    grade = None if kind == InjuryKind.CRAMP else draw(st.sampled_from([1, 2]))
    distance = draw(st.sampled_from(list(Distance)))
    inputs = PlanInputs(injury, injury + timedelta(days=span), kind, grade, Side.LEFT, distance)
    try:
        plan = build_plan(inputs, injury)
    except InputError:
        assume(False)
    today = injury + timedelta(days=draw(st.integers(0, span + 2)))
    # A tidy runner logs every day and follows the plan, so the calls that start come up
    # often; an untidy one skips logs, retests, runs off-plan and notes pain at rest.
    tidy = draw(st.booleans())
    pains = st.sampled_from([0, 1, 1, 2, 2, 3, None] if tidy else [None, None, 0, 1, 2, 3, 5, 8])
    for day in plan.days:
        if day.date > today + timedelta(days=1):  # a day past today too: it must not count
            break
        if tidy and day.task("gate") is not None:
            day.gate = draw(st.sampled_from([PASS, PASS, PASS, FAIL]))
        elif draw(st.integers(0, 39 if tidy else 9)) == 0:
            day.gate = draw(st.sampled_from([PASS, PASS, FAIL]))
        if draw(st.integers(0, 9)) == 0:
            minutes = draw(st.integers(1, 120))
            day.tasks.append(Task("my-run", Category.RUN, "My run", minutes=minutes, custom=True))
        for task in day.tasks:
            if task.category == Category.RUN:
                states = ["done"] * 6 + ["open"] if tidy else ["done", "open", "skipped", "both"]
                state = draw(st.sampled_from(states))
                task.done = state in ("done", "both")
                task.skip = SkipReason.OTHER if state in ("skipped", "both") else None
                if draw(st.booleans()):
                    task.minutes = draw(st.integers(1, 200))
        day.pain = draw(pains)
        day.at_rest = draw(st.integers(0, 199 if tidy else 19)) == 0
    flags = draw(st.sampled_from([None, [], ["clot"]]))
    if flags is not None:
        plan.safety = Safety(injury, flags, clinician_cleared=draw(st.booleans()))
    plan.finish_minutes = draw(st.one_of(st.none(), st.integers(1, 400), st.just(0)))
    plan.recurrent = draw(st.booleans())
    return plan, today


def facts(plan, today):
    """What the protocol's call depends on, worked out here from the plan on its own."""
    gates = [d for d in plan.days if d.gate is not None and d.date <= today]
    gate = gates[-1] if gates and gates[-1].gate.passed else None
    logs = [d for d in plan.days if d.pain is not None and d.date <= today]
    fresh = logs[-1] if logs and (today - logs[-1].date).days <= LOG_MAX_AGE else None

    def done_runs(day):
        return [t for t in day.tasks if t.category == Category.RUN and t.done and not t.skip]

    counted = [d for d in plan.days if d.date <= today and d.date < plan.race_date]
    longest = max(
        (
            t.minutes or 0
            for d in counted
            if (today - d.date).days < WINDOW_DAYS
            and d.pain is not None
            and d.pain <= 2
            and not d.at_rest
            for t in done_runs(d)
        ),
        default=0,
    )
    runs = sum(len(done_runs(d)) for d in counted if gate is not None and d.date > gate.date)
    finish = getattr(plan, "finish_minutes", None)
    usable = isinstance(finish, int) and not isinstance(finish, bool) and finish > 0
    expected = finish if usable else EXPECTED[plan.distance]
    return {
        "gate": gate is not None,
        "pain": None if fresh is None else fresh.pain,
        "rest": any(d.at_rest for d in plan.days if 0 <= (today - d.date).days < REST_DAYS),
        "warning": clinician_warning(plan, today) is not None,
        "flag": plan.safety is not None
        and bool(plan.safety.flags)
        and not plan.safety.clinician_cleared,
        "young_grade2": plan.injury == InjuryKind.STRAIN
        and plan.grade == 2
        and (plan.race_date - plan.injury_date).days < GRADE2_MIN_DAYS,
        "longest": longest,
        "runs": runs,
        "expected": expected,
        "cramp": plan.injury == InjuryKind.CRAMP and not plan.recurrent,
        "sprint": plan.distance == Distance.SPRINT,
        "strides": any(
            "strides at 90% effort" in t.title
            for d in counted
            if (today - d.date).days < SPRINT_DAYS
            and d.pain is not None
            and d.pain <= 2
            and not d.at_rest
            for t in done_runs(d)
        ),
    }


@given(histories())
def test_never_a_start_without_gate_run_fresh_log_and_green_pain(history):
    plan, today = history
    decision = decide(plan, today)
    f = facts(plan, today)
    if decision.call in ("race", "run-walk"):
        assert f["gate"], "a start without a passed gate"
        if f["sprint"]:  # all-out from the gun: only after the 90% strides, never run-walk
            assert decision.call == "race" and f["strides"]
            assert f["pain"] is not None and f["pain"] <= 1
            return
        assert f["longest"] >= 1, "a start without a done pain-free run"
        assert f["pain"] is not None, "a start without a pain log in the last 3 days"
        assert f["pain"] <= 2
        assert not (f["rest"] or f["warning"] or f["flag"] or f["young_grade2"])
        assert f["runs"] >= RUN_WALK_RUNS
        assert f["longest"] >= math.ceil(RUN_WALK_FRACTION * f["expected"]) or (
            decision.call == "race" and f["cramp"]
        )
    if decision.call == "race":
        assert f["pain"] <= 1
        if not f["cramp"]:
            assert f["runs"] >= RACE_RUNS
            assert f["longest"] >= math.ceil(RACE_FRACTION * f["expected"])
    if f["young_grade2"]:
        assert decision.call == "dont-start"


@given(histories())
def test_the_call_is_exactly_the_protocols(history):
    plan, today = history
    decision = decide(plan, today)
    f = facts(plan, today)
    ok = (
        f["gate"]
        and f["pain"] is not None
        and not (f["rest"] or f["warning"] or f["flag"] or f["young_grade2"])
    )
    if f["sprint"]:
        runs = 1 if f["cramp"] else RACE_RUNS
        race = ok and f["pain"] <= 1 and f["strides"] and f["runs"] >= runs
    elif f["cramp"]:
        race = ok and f["pain"] <= 1 and f["longest"] >= 1 and f["runs"] >= 1
    else:
        race = (
            ok
            and f["pain"] <= 1
            and f["longest"] >= math.ceil(RACE_FRACTION * f["expected"])
            and f["runs"] >= RACE_RUNS
        )
    run_walk = (
        ok
        and f["pain"] <= 2
        and f["longest"] >= max(1, math.ceil(RUN_WALK_FRACTION * f["expected"]))
        and f["runs"] >= RUN_WALK_RUNS
        and not f["sprint"]
    )
    expect = "race" if race else "run-walk" if run_walk else "dont-start"
    assert decision.call == expect
    labels = {"race": "Race", "run-walk": "Run-walk", "dont-start": "Don't start"}
    assert decision.label == labels[expect]
    assert (decision.longest_minutes, decision.expected_minutes) == (f["longest"], f["expected"])
    assert decision.reasons and decision.advice
    assert (decision.if_you_start == IF_YOU_START) == (expect == "dont-start")
    assert decision.provisional == (today < plan.race_date - timedelta(days=1))
    if f["sprint"]:
        assert any(
            "Strides at 90% effort" in r or "No strides at 90%" in r for r in decision.reasons
        )
    else:
        assert any(
            f"Longest pain-free run in the last 30 days: {f['longest']} min;" in r
            for r in decision.reasons
        )


def test_strides_at_90_percent_count_when_their_minutes_were_changed():
    # What was run can differ from the plan's minutes; the task is still the 90% strides.
    injury = date(2025, 1, 1)
    inputs = PlanInputs(
        injury, date(2025, 1, 19), InjuryKind.CRAMP, None, Side.LEFT, Distance.SPRINT
    )
    plan = build_plan(inputs, injury)
    for day in plan.days:
        day.pain = 0
        if day.task("gate") is not None:
            day.gate = PASS
        for task in day.tasks:
            if task.category == Category.RUN and day.date < plan.race_date:
                task.done = True
    strides = [
        task
        for day in plan.days
        for task in day.tasks
        if "strides at 90% effort" in task.title and day.date < plan.race_date
    ]
    assert strides, "the plan has 90% strides before the race"
    assert decide(plan, plan.race_date).call == "race"
    for task in strides:
        task.minutes = 1
    decision = decide(plan, plan.race_date)
    assert decision.call == "race"
    assert any("Strides at 90% effort" in reason for reason in decision.reasons)


@given(histories(), st.integers(3, 10))
def test_pain_of_3_or_more_today_is_always_dont_start(history, score):
    plan, today = history
    LogPain(today, score).apply(plan)
    assert decide(plan, today).call == "dont-start"


# ------------------------------------------------------------------ the command line


@pytest.fixture
def cli(home, capsys):
    def run(*args):
        code = main(list(args))
        out, err = capsys.readouterr()
        assert code == 0, err
        return out

    return run


def forum_through_the_cli(cli, distance):
    cli(
        "new",
        "--injury",
        "2026-11-20",
        "--race",
        "2026-11-29",
        "--side",
        "left",
        "--distance",
        distance,
        "--name",
        "Forum",
    )
    # Made without a terminal: the red-flag questions were shown, not answered; the runner
    # answers them by ticking the day's check (none applies).
    cli("tick", "red-flags", "--date", "2026-11-21", "--today", "2026-11-21")
    cli("gate", "--raises", "25", "--hops", "10", "--walk", "30", "--today", "2026-11-26")
    cli("tick", "run", "--date", "2026-11-27", "--today", "2026-11-27")
    cli("pain", "1", "--date", "2026-11-27", "--today", "2026-11-27")
    cli("pain", "1", "--date", "2026-11-28", "--today", "2026-11-28")
    return cli("decide", "--today", "2026-11-28")


def call_lines(out):
    """The decision's lines: from 'Race-day call:' on (the command prints a title first)."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Race-day call: "))
    return lines[start:]


def test_cli_forum_runner_half_is_dont_start_in_exact_words(cli):
    out = forum_through_the_cli(cli, "half")
    assert call_lines(out) == [
        "Race-day call: Don't start",
        "  - Longest pain-free run in the last 30 days: 30 min; racing needs 78 min (60% of 130 "
        "min, a typical half marathon finish), run-walk 52 min (40%). That is 22 min short of "
        "run-walk and 48 min short of racing: runs grow only as fast as the plan's load rules "
        "allow, so don't close the gap with one long run.",
        "  - Runs done since the gate: 1; racing needs 3, run-walk 1.",
        "  - Run gate passed on Thu 26 Nov.",
        "  - Latest pain: 1/10 on Sat 28 Nov; racing needs 0-1, run-walk 0-2.",
        "On the day: Don't start: the calf isn't ready. Walk, cheer, and pick the next race; "
        "racing now can cost weeks.",
        IF_YOU_START,
    ]


def test_cli_forum_runner_5k_is_run_walk(cli):
    lines = call_lines(forum_through_the_cli(cli, "5k"))
    assert lines[0] == "Race-day call: Run-walk"
    assert "  - Runs done since the gate: 1; racing needs 3, run-walk 1." in lines
    assert not any(line.startswith("If you start anyway") for line in lines)


def test_cli_call_is_provisional_before_race_eve(cli):
    cli("new", "--injury", "2026-11-20", "--race", "2026-11-29", "--name", "Forum")
    lines = call_lines(cli("decide", "--today", "2026-11-24"))
    assert lines[0] == (
        "Race-day call: Don't start (provisional: the call is made the day before the race)"
    )
    assert lines[1] == (
        "  - No run gate recorded yet: running, and racing, start only once the calf has passed it."
    )


def test_cli_decide_as_a_real_process(home, tmp_path):
    env = {**os.environ, "PLANNER_HOME": str(home), "PLANNER_TODAY": "2026-11-21"}

    def planner(*args):
        done = subprocess.run(
            [sys.executable, "-m", "planner", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    planner("new", "--injury", "2026-11-20", "--race", "2026-11-29", "--name", "Forum")
    planner("gate", "--raises", "25", "--hops", "10", "--walk", "30", "--today", "2026-11-26")
    planner("pain", "0", "--today", "2026-11-28")
    lines = call_lines(planner("decide", "--today", "2026-11-28"))
    assert lines[0] == "Race-day call: Don't start"  # the run of race-2 isn't ticked
    # made by a script: the red-flag questions were never answered, and that comes first
    assert lines[1].startswith("  - The red-flag questions were never answered")
    assert any(
        line.startswith("  - Longest pain-free run in the last 30 days: 0 min;") for line in lines
    )
    assert lines[-1] == IF_YOU_START


# ------------------------------------------------------------------ the TUI


async def test_tui_decision_screen_says_provisional_before_race_eve(tmp_path):
    today = date(2026, 11, 24)  # race-5
    path = tmp_path / "plans" / "bristol-half.toml"
    path.parent.mkdir()
    PlanFile.create(path, demo_plan(today))
    app = app_for(path, today)
    async with app.run_test(size=(120, 40)) as pilot:
        assert not app.screen.banner_shown("decision-line")  # shown from race-1
        await pilot.press("D")
        await wait_for(pilot, lambda: isinstance(app.screen, DecisionScreen))
        shown = str(app.screen.query_one("#decision-full").render())
        assert shown.startswith(
            "Race-day call: Don't start (provisional: the call is made the day before the race)"
        )
        assert IF_YOU_START in shown
        assert "No run gate recorded yet" in shown
        assert "Longest pain-free run in the last 30 days: 0 min" in shown
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))


# ------------------------------------------------------------------ the rules' decision section


@pytest.fixture
def doc():
    path = Path(planner.rules.__file__).with_name("protocol.toml")
    return tomli.loads(path.read_text("utf-8"))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["texts"].update(pain="{pain} {bogus}"), "unknown placeholder {bogus}"),
        (lambda d: d["texts"].pop("runs"), "decision.texts.runs: missing"),
        (lambda d: d["dont-start"].pop("if_you_start"), "if_you_start: missing"),
        (lambda d: d.update(run_walk_fraction=0.7), "run-walk can't need more than racing"),
        (lambda d: d.update(run_walk_runs=0), "run_walk_runs: must be at least 1"),
        (lambda d: d.update(race_max_pain=3), "race_max_pain <= run_walk_max_pain"),
        (lambda d: d.update(pain_free_max=4), "pain_free_max"),
        (lambda d: d.update(extra=1), "unknown key 'extra'"),
    ],
)
def test_the_loader_refuses_a_decision_section_that_would_loosen_or_break_the_call(
    doc, change, message
):
    change(doc["decision"])
    with pytest.raises(RulesError, match=re.escape(message)):
        parse_rules(doc)


def test_the_shipped_decision_rules_are_the_protocols():
    rules = load_rules()
    dr = rules.decision
    assert (dr.race_fraction, dr.run_walk_fraction) == (RACE_FRACTION, RUN_WALK_FRACTION)
    assert (dr.race_runs, dr.run_walk_runs, dr.race_max_pain, dr.run_walk_max_pain) == (3, 1, 1, 2)
    assert (dr.window_days, dr.log_max_age_days, dr.grade2_min_days) == (30, 3, 21)
    assert {d: r.expected_minutes for d, r in rules.distances.items()} == EXPECTED
    labels = {call: text.label for call, text in dr.calls.items()}
    assert labels == {"race": "Race", "run-walk": "Run-walk", "dont-start": "Don't start"}
