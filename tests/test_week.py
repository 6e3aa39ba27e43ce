"""The week at a glance and the tomorrow line: the core's sums, `show --week`, and the line
at the end of `show`."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from planner.cli import main
from planner.engine import build_plan
from planner.model import Category, SkipReason
from planner.rules import load_rules
from planner.store import load_plan
from planner.week import STRENGTH, key_task, key_title, monday_of, tomorrow_line, week_of
from tests.test_engine import plan_inputs

LABELS = {phase: info.label for phase, info in load_rules().phases.items()}


@st.composite
def lived_plans(draw):
    """A plan from random inputs, with some runs ticked at random minutes or skipped."""
    inputs, today = draw(plan_inputs())
    plan = build_plan(inputs, today)
    for day in plan.days:
        for task in day.tasks:
            if task.category == Category.RUN:
                what = draw(st.sampled_from(["planned", "actual", "skipped", "open"]))
                if what == "skipped":
                    task.skip = SkipReason.PAIN
                elif what != "open":
                    task.done = True
                    if what == "actual":
                        task.actual_minutes = draw(st.integers(0, 120))
    when = plan.first_date + timedelta(days=draw(st.integers(0, len(plan.days) - 1)))
    return plan, when


@given(lived_plans())
def test_a_week_is_the_plans_days_from_monday_to_sunday(case):
    plan, when = case
    week = week_of(plan, when, LABELS)
    assert week.monday.weekday() == 0 and week.monday <= when < week.monday + timedelta(7)
    expected = [d for d in plan.days if week.monday <= d.date < week.monday + timedelta(7)]
    assert [d.date for d in week.days] == [d.date for d in expected]
    for shown, day in zip(week.days, expected, strict=True):
        assert shown.phase == day.phase
        assert shown.total == len(day.tasks)
        assert shown.done == sum(t.done or t.skip is not None for t in day.tasks)
        key = key_task(day)
        assert shown.what == (key_title(key) if key else LABELS[day.phase])
        assert shown.strength == any(t.category in STRENGTH and not t.skip for t in day.tasks)


@given(lived_plans())
def test_run_minutes_count_what_was_run_and_never_a_skipped_run(case):
    plan, when = case
    week = week_of(plan, when, LABELS)
    total = 0
    for shown in week.days:
        day = plan.day(shown.date)
        runs = [t for t in day.tasks if t.category == Category.RUN and t.skip is None]
        minutes = sum(
            (t.actual_minutes if t.actual_minutes is not None else t.minutes) or 0 for t in runs
        )
        assert shown.run_minutes == minutes
        total += minutes
    assert week.run_minutes == total
    assert week.runs == sum(1 for d in week.days if d.run_minutes)
    if week.runs:
        assert week.long_run.run_minutes == max(d.run_minutes for d in week.days)
    else:
        assert week.long_run is None


@given(lived_plans())
def test_tomorrow_names_the_next_days_key_session_or_says_the_plan_ends(case):
    plan, when = case
    line = tomorrow_line(plan, when, LABELS)
    after = plan.day(when + timedelta(days=1))
    if after is None:
        assert line is None
        return
    assert line.startswith("Tomorrow: ")
    key = key_task(after)
    if key is None:
        assert LABELS[after.phase] in line
    else:
        assert line.removeprefix("Tomorrow: ").startswith(key_title(key))
        if len(after.tasks) > 2:
            assert line.endswith(f"{len(after.tasks)} tasks in all")


def test_monday_of_is_the_week_start():
    assert monday_of(date(2026, 12, 6)) == date(2026, 11, 30)  # a Sunday
    assert monday_of(date(2026, 11, 30)) == date(2026, 11, 30)


def test_show_week_prints_each_day_and_the_weeks_runs(plan_path, home, capsys):
    # The demo plan, pinned to Tue 24 Nov 2026: its week runs Mon 23 to race day Sun 29.
    plan = load_plan(plan_path)
    code = main(["show", str(plan_path), "--week", "--today", "2026-11-24"])
    printed = capsys.readouterr().out.splitlines()
    assert code == 0
    assert printed[1] == "Week of Mon 23 Nov 2026 – Sun 29 Nov 2026 · Recover, Taper, Race"
    rows = [line for line in printed if line.startswith("  ") and " done" in line]
    week = week_of(plan, date(2026, 11, 24), LABELS)
    assert len(rows) == len(week.days) == 7
    for row, day in zip(rows, week.days, strict=True):
        assert row.split()[:3] == f"{day.date:%a} {day.date.day} {day.date:%b}".split()
        assert f"{day.what} · {day.done}/{day.total} done" in row
    assert rows[1].endswith("· today")  # Tue 24 Nov
    long_run = week.long_run
    assert printed[-1] == (
        f"Runs: {week.runs} days, {week.run_minutes} min in all "
        f"(longest {long_run.date:%a} {long_run.date.day} {long_run.date:%b}, "
        f"{long_run.run_minutes} min) · strength: {week.strength_days} days"
    )


def test_show_week_counts_the_minutes_run_not_the_plan(plan_path, home, capsys):
    plan = load_plan(plan_path)
    run_day = next(d for d in plan.days if any(t.category == Category.RUN for t in d.tasks))
    run = next(t for t in run_day.tasks if t.category == Category.RUN)
    week = f"--today={run_day.date}"
    main(["show", str(plan_path), "--week", week])
    before = capsys.readouterr().out.splitlines()[-1]
    assert f"{run.minutes} min" in before
    code = main(["tick", run.id, str(plan_path), week, "--minutes", "7"])
    assert code == 0, capsys.readouterr().err
    capsys.readouterr()
    main(["show", str(plan_path), "--week", week])
    after = capsys.readouterr().out.splitlines()[-1]
    shown = week_of(load_plan(plan_path), run_day.date, LABELS)
    assert f"{shown.run_minutes} min in all" in after
    # The ticked day counts the 7 minutes run (the days after may be laid again: a run cut
    # short re-plans them, so the rest of the sum is whatever is on disk now).
    assert next(d for d in shown.days if d.date == run_day.date).run_minutes == 7


def test_show_ends_with_tomorrow_and_not_on_the_last_day(plan_path, home, capsys):
    plan = load_plan(plan_path)
    main(["show", str(plan_path), "--today", "2026-11-24"])
    last = capsys.readouterr().out.splitlines()[-1]
    assert last == tomorrow_line(plan, date(2026, 11, 24), LABELS)
    main(["show", str(plan_path), "--date", str(plan.last_date), "--today", "2026-11-24"])
    assert "Tomorrow" not in capsys.readouterr().out


def test_week_with_why_or_how_is_exit_2(plan_path, home, capsys):
    before = plan_path.read_bytes()
    assert main(["show", str(plan_path), "--week", "--how"]) == 2
    assert capsys.readouterr().err.strip() == (
        "planner: --how: goes with a day's checklist, not with --week"
    )
    assert plan_path.read_bytes() == before


def test_show_says_the_minutes_run(plan_path, home, capsys):
    plan = load_plan(plan_path)
    run_day = next(d for d in plan.days if any(t.category == Category.RUN for t in d.tasks))
    run = next(t for t in run_day.tasks if t.category == Category.RUN)
    day = f"--today={run_day.date}"
    assert main(["tick", run.id, str(plan_path), day, "--minutes", "18"]) == 0
    capsys.readouterr()
    main(["show", str(plan_path), day])
    line = next(line for line in capsys.readouterr().out.splitlines() if run.title in line)
    assert line.startswith(f"  {run_day.tasks.index(run) + 1}. [x] ")
    assert line.endswith("(ran 18 min)")
