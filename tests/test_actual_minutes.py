"""A run as run: `planner tick run --minutes N [--pain P]` keeps the minutes actually run,
the load rules lay the days after it from that figure, the race-day call and the stats
count it, and undo puts back what was there.

The load-rule numbers here are domain.md's, written out (1.3 times the longest run of the
30 days before, runs under 20 minutes free), so a change to protocol.toml that loosens
them fails these tests.
"""

from __future__ import annotations

import copy
import math
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from planner.advice import decide, longest_pain_free_run
from planner.cli import main
from planner.engine import InputError, build_plan
from planner.model import (
    Category,
    Distance,
    GateResult,
    InjuryKind,
    Muscle,
    PlanInputs,
    Side,
    SkipReason,
)
from planner.ops import RecordGate, RecordRun, Replan, SetDone
from planner.service import PlanSession
from planner.stats import progress
from planner.store import PlanFile, load_plan
from tests.test_decide import histories

SPIKE_FACTOR, SPIKE_WINDOW_DAYS, SPIKE_FREE_MINUTES = 1.3, 30, 20
NOON = datetime(2026, 11, 1, 12, tzinfo=UTC)
PASS = GateResult(30, 10, 30, True)
RANK = {"dont-start": 0, "run-walk": 1, "race": 2}


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# ----------------------------------------------------------------------------- the command


NEW = ["new", "--injury", "2026-11-20", "--race", "2026-11-29", "--side", "left"]
RUN_DAY = ["--today", "2026-11-27"]  # the forum runner's first walk-run


@pytest.fixture
def plan_path(home, capsys):
    """The forum runner's plan, the gate passed on Thu 26 Nov."""
    assert run(capsys, *NEW, "--name", "Bristol Half")[0] == 0
    gate = ["gate", "--raises", "30", "--hops", "10", "--walk", "30", "--date", "2026-11-26"]
    assert run(capsys, *gate, *RUN_DAY)[0] == 0
    return home / "plans" / "bristol-half.toml"


def first_run(path, when=date(2026, 11, 27)):
    return load_plan(path).day(when).task("run")


def test_a_run_ticked_with_its_minutes_says_them_and_keeps_them(plan_path, capsys):
    code, out, err = run(capsys, "tick", "run", "--minutes", "18", *RUN_DAY)
    assert code == 0, err
    assert out.startswith(
        "Done: 1. Walk-run 30 min: walk 4, jog 1, repeat (Fri 27 Nov), ran 18 of 30 min. Saved.\n"
    )
    task = first_run(plan_path)
    assert (task.done, task.minutes, task.actual_minutes) == (True, 30, 18)
    assert task.activity_start is None
    # The load rules count the 18 minutes: the next run is no longer than 1.3 x 18.
    assert "The plan ahead changes:" in out
    assert "Thu 3 Dec: easy run 30 min -> easy run 23 min" in out
    assert first_run(plan_path, date(2026, 12, 3)).minutes == 23


def test_a_run_as_planned_lays_nothing_again(plan_path, capsys):
    before = load_plan(plan_path)
    code, out, _ = run(capsys, "tick", "1", "--minutes", "30", *RUN_DAY)
    assert code == 0 and "ran 30 of 30 min. Saved." in out
    assert "The plan ahead" not in out
    after = load_plan(plan_path)
    assert after.day(date(2026, 11, 27)).task("run").actual_minutes == 30
    assert [d for d in after.days if d.date > date(2026, 11, 27)] == [
        d for d in before.days if d.date > date(2026, 11, 27)
    ]


def test_the_figure_can_be_changed_and_a_same_figure_changes_nothing(plan_path, capsys):
    assert run(capsys, "tick", "run", "--minutes", "18", *RUN_DAY)[0] == 0
    code, out, _ = run(capsys, "tick", "run", "--minutes", "25", *RUN_DAY)
    assert code == 0 and "Changed: 1. Walk-run" in out and "ran 25 of 30 min (was 18)" in out
    assert first_run(plan_path).actual_minutes == 25
    before = plan_path.read_bytes()
    code, out, _ = run(capsys, "tick", "run", "--minutes", "25", *RUN_DAY)
    assert code == 0 and out.startswith("Already done: 1. Walk-run") and "ran 25 of 30" in out
    assert plan_path.read_bytes() == before


def test_pain_is_logged_with_the_tick_as_planner_pain_logs_it(plan_path, capsys):
    code, out, err = run(capsys, "tick", "run", "--minutes", "25", "--pain", "4", *RUN_DAY)
    assert code == 0, err
    assert "ran 25 of 30 min. Saved." in out
    assert "Pain 4/10 logged for Fri 27 Nov. Saved. That is amber" in out
    day = load_plan(plan_path).day(date(2026, 11, 27))
    assert day.pain == 4 and day.task("run").actual_minutes == 25
    # the same words `planner pain` prints for the same log
    assert run(capsys, "pain", "4", "--date", "2026-11-27", *RUN_DAY)[1].startswith(
        "Pain 4/10 logged for Fri 27 Nov. Saved. That is amber"
    )


def test_pain_goes_with_a_tick_without_minutes_too(plan_path, capsys):
    code, out, _ = run(capsys, "tick", "run", "--pain", "1", *RUN_DAY)
    assert code == 0 and "Done: 1. Walk-run" in out and "Pain 1/10 logged" in out
    day = load_plan(plan_path).day(date(2026, 11, 27))
    assert day.pain == 1 and day.task("run").done and day.task("run").actual_minutes is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["run", "--minutes", "601"],
            "--minutes: the minutes you ran, a whole number from 0 to 600",
        ),
        (
            ["run", "--minutes", "-5"],
            "--minutes: the minutes you ran, a whole number from 0 to 600",
        ),
        (["run", "--minutes", "18.5"], "not '18.5'"),
        (["run", "--minutes", "²"], "not '²'"),
        (["run", "--minutes", "18", "--pain", "11"], "--pain: pain is a whole number from 0"),
        (["run", "--minutes", "18", "--undo"], "--minutes: goes with a tick, not with --undo"),
        (["run", "--pain", "2", "--undo"], "--pain: goes with a tick, not with --undo"),
        (["2", "--minutes", "18"], "is not a run: only a run is ticked with the minutes run"),
        (["run", "--minutes", "18", "--date", "2026-11-28"], "TASK: no task 'run' on Sat 28 Nov"),
        (
            ["run", "--minutes", "18", "--date", "2026-12-03"],
            "--minutes: Thu 3 Dec 2026 hasn't come yet",
        ),
    ],
)
def test_bad_input_is_one_line_exit_2_and_nothing_changes(plan_path, capsys, args, message):
    before = plan_path.read_bytes()
    code, out, err = run(capsys, "tick", *args, *RUN_DAY)
    assert code == 2, (out, err)
    assert message in err and err.count("\n") == 1 and out == ""
    assert plan_path.read_bytes() == before


def test_a_pain_log_refused_refuses_the_tick_too(plan_path, capsys):
    # --pain on a day that hasn't come: neither the tick nor the log is saved.
    before = plan_path.read_bytes()
    code, _, err = run(capsys, "tick", "run", "--pain", "2", "--date", "2026-12-03", *RUN_DAY)
    assert code == 2 and "hasn't come yet" in err
    assert plan_path.read_bytes() == before


def test_stats_count_the_minutes_run(plan_path, capsys):
    assert run(capsys, "tick", "run", "--minutes", "18", *RUN_DAY)[0] == 0
    code, out, _ = run(capsys, "stats", "--today", "2026-11-28")
    assert code == 0 and "Running: 1 run done, 18 of 30 min run" in out
    stats = progress(load_plan(plan_path), date(2026, 11, 28))
    assert (stats.running.runs, stats.running.minutes, stats.running.planned) == (1, 18, 30)
    # ticked with no running in it: no run, as the race-day call counts it
    assert run(capsys, "tick", "run", "--minutes", "0", *RUN_DAY)[0] == 0
    stats = progress(load_plan(plan_path), date(2026, 11, 28))
    assert (stats.running.runs, stats.running.minutes, stats.running.planned) == (0, 0, 30)


# ----------------------------------------------------------------------------- undo


def test_undo_puts_back_the_tick_the_figure_and_the_plan_ahead(plan_path):
    when = date(2026, 11, 27)
    session = PlanSession(PlanFile.open(plan_path), when, lambda: NOON)
    ahead = [d for d in session.plan.days if d.date > when]
    assert session.record_run(when, "run", 18)
    assert first_run(plan_path, date(2026, 12, 3)).minutes == 23
    assert session.undo() == "run of 'Walk-run 30 min: walk 4, jog 1, repeat'"
    on_disk = load_plan(plan_path)
    task = on_disk.day(when).task("run")
    assert (task.done, task.done_at, task.actual_minutes) == (False, None, None)
    assert [d for d in on_disk.days if d.date > when] == ahead


def test_undo_of_a_changed_figure_puts_back_the_one_before(plan_path):
    when = date(2026, 11, 27)
    session = PlanSession(PlanFile.open(plan_path), when, lambda: NOON)
    assert session.record_run(when, "run", 18)
    ticked_at = session.plan.day(when).task("run").done_at
    assert session.record_run(when, "run", 25)
    session.undo()
    task = load_plan(plan_path).day(when).task("run")
    assert (task.done, task.done_at, task.actual_minutes) == (True, ticked_at, 18)
    assert first_run(plan_path, date(2026, 12, 3)).minutes == 23


def test_a_skip_drops_the_figure_and_lays_the_plan_again(plan_path):
    when = date(2026, 11, 27)
    session = PlanSession(PlanFile.open(plan_path), when, lambda: NOON)
    assert session.record_run(when, "run", 18)
    assert session.skip(when, "run", SkipReason.OTHER)
    task = load_plan(plan_path).day(when).task("run")
    assert (task.done, task.actual_minutes, task.skip) == (False, None, "other")
    assert first_run(plan_path, date(2026, 12, 3)).minutes == 30
    session.undo()
    assert load_plan(plan_path).day(when).task("run").actual_minutes == 18
    assert first_run(plan_path, date(2026, 12, 3)).minutes == 23


# ----------------------------------------------------------------------------- load rules


@st.composite
def runs_cut_short(draw):
    """A strain plan with room for the walk-run ladder, its gate passed on its day and its
    first runs ticked (each followed by its re-plan, as a runner ticks them) with minutes
    run at most those planned; and the last day ticked."""
    injury = date(2026, 1, 5) + timedelta(days=draw(st.integers(0, 300)))
    span = draw(st.integers(21, 90))
    muscle = draw(st.sampled_from(list(Muscle)))
    distance = draw(st.sampled_from([Distance.K5, Distance.K10, Distance.HALF, Distance.MARATHON]))
    inputs = PlanInputs(
        injury,
        injury + timedelta(days=span),
        InjuryKind.STRAIN,
        1,
        Side.LEFT,
        distance,
        "p",
        muscle,
    )
    try:
        plan = build_plan(inputs, injury)
    except InputError:
        assume(False)
    gate = next((d.date for d in plan.days if d.task("gate")), None)
    assume(gate is not None)
    RecordGate(gate, PASS, NOON).apply(plan)
    Replan(gate + timedelta(days=1), gate).apply(plan)
    ticked = []
    for _ in range(draw(st.integers(1, 4))):
        day = next(
            (d for d in plan.days if d.date > (ticked[-1] if ticked else gate) and d.task("run")),
            None,
        )
        if day is None or day.date >= plan.race_date:
            break
        planned = day.task("run").minutes
        ran = draw(st.integers(0, planned))
        RecordRun(day.date, "run", ran, NOON).apply(plan)
        Replan(day.date + timedelta(days=1), day.date).apply(plan)
        ticked.append(day.date)
    assume(ticked)
    return plan, ticked[-1]


def counted(task) -> int:
    """A run's minutes as the rules count them: what was run where the runner said."""
    return task.actual_minutes if task.done and task.actual_minutes is not None else task.minutes


@given(runs_cut_short())
def test_no_run_after_one_cut_short_is_longer_than_the_rules_allow_from_what_was_run(case):
    plan, last = case
    runs = [(d.date, d.task("run")) for d in plan.days if d.task("run") and d.date < plan.race_date]
    for when, task in runs:
        if when <= last:
            continue
        window = [
            counted(t) for w, t in runs if when - timedelta(days=SPIKE_WINDOW_DAYS) <= w < when
        ]
        assert window, "a run laid out with no run before it in the window"
        limit = max(SPIKE_FREE_MINUTES, math.floor(max(window) * SPIKE_FACTOR))
        assert task.minutes <= limit, (when, task.minutes, window)


@given(runs_cut_short())
def test_the_next_run_is_never_longer_than_had_the_run_gone_as_planned(case):
    plan, last = case
    task = plan.day(last).task("run")
    assume(task.actual_minutes < task.minutes)
    as_planned = copy.deepcopy(plan)
    as_planned.day(last).task("run").actual_minutes = None  # the same day, run as planned
    Replan(last + timedelta(days=1), last).apply(as_planned)
    following = next((d for d in plan.days if d.date > last and d.task("run")), None)
    assume(following is not None)
    other = as_planned.day(following.date).task("run")
    assert other is not None, "a run the cut moved to another day"
    assert following.task("run").minutes <= other.minutes


def test_a_walk_run_cut_short_repeats_its_level():
    inputs = PlanInputs(
        date(2026, 11, 1), date(2027, 1, 10), InjuryKind.STRAIN, 1, Side.LEFT, Distance.HALF
    )
    plan = build_plan(inputs, date(2026, 11, 1))
    gate = next(d.date for d in plan.days if d.task("gate"))
    RecordGate(gate, PASS, NOON).apply(plan)
    Replan(gate + timedelta(days=1), gate).apply(plan)
    runs = [d for d in plan.days if d.task("run")]
    level = runs[0].task("run").title.split(": ")[1]
    assert runs[2].task("run").title.split(": ")[1] != level  # twice, then the next level
    RecordRun(runs[0].date, "run", 18, NOON).apply(plan)
    Replan(runs[0].date + timedelta(days=1), runs[0].date).apply(plan)
    again = [d.task("run") for d in plan.days if d.task("run")]
    assert again[1].minutes == 23  # 1.3 x 18
    assert [t.title.split(": ")[1] for t in again[1:3]] == [level, level]


# ----------------------------------------------------------------------------- the race call


@given(histories(), st.data())
def test_minutes_run_short_never_make_the_call_more_permissive(history, data):
    plan, today = history
    planned = decide(plan, today)
    longest = longest_pain_free_run(plan, today)
    for day in plan.days:
        for task in day.tasks:
            done_run = task.category == Category.RUN and task.done and task.minutes is not None
            if done_run and data.draw(st.booleans()):
                task.actual_minutes = data.draw(st.integers(0, task.minutes))
    as_run = decide(plan, today)
    assert RANK[as_run.call] <= RANK[planned.call]
    assert as_run.longest_minutes <= planned.longest_minutes == longest
    assert as_run.runs_since_gate <= planned.runs_since_gate


def test_the_call_measures_the_longest_run_by_what_was_run():
    inputs = PlanInputs(
        date(2026, 11, 1), date(2026, 12, 20), InjuryKind.STRAIN, 1, Side.LEFT, Distance.K5
    )
    plan = build_plan(inputs, date(2026, 11, 1))
    gate = next(d.date for d in plan.days if d.task("gate"))
    RecordGate(gate, PASS, NOON).apply(plan)
    eve = plan.race_date - timedelta(days=1)
    for day in plan.days:
        if gate < day.date <= eve:
            day.pain = 0
            if day.task("run"):
                SetDone(day.date, "run", True, NOON).apply(plan)
    assert decide(plan, eve).call == "race"  # 30-minute runs: L = 30 against E = 30
    for day in plan.days:
        if day.task("run") and day.task("run").done:
            day.task("run").actual_minutes = 12  # 40% of 30 is 12: run-walk, not race
    decision = decide(plan, eve)
    assert (decision.call, decision.longest_minutes) == ("run-walk", 12)
    for day in plan.days:
        if day.task("run") and day.task("run").done:
            day.task("run").actual_minutes = 0  # ticked, but no running in it
    decision = decide(plan, eve)
    assert (decision.call, decision.runs_since_gate) == ("dont-start", 0)
