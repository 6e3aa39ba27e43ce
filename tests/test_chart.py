"""The pain chart (planner.chart) and `planner stats --chart`: pain by date on a 0-10 axis,
gaps where nothing was logged, the phases as bands, the minutes run as bars, in the width
it is given."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.strategies import plans
from planner.chart import DOT, GUTTER, TODAY, pain_chart
from planner.cli import main
from planner.demo import DEMO_TODAY, demo_plan
from planner.engine import build_plan
from planner.model import Category, Phase, PlanInputs, Task
from planner.store import PlanFile

PAIN_ROWS = 11  # scores 10 down to 0, a row each


def pain_rows(chart):
    """The chart's pain rows as text, 10 first (under the title, which may wrap)."""
    lines = chart.text().splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("  10 ┤"))
    return lines[start : start + PAIN_ROWS]


def dot_columns(chart):
    """{score: [x of each dot]} read back from the drawn rows."""
    found = {}
    for score, row in zip(range(10, -1, -1), pain_rows(chart), strict=True):
        found[score] = [x for x, char in enumerate(row[: GUTTER + 200]) if char == DOT]
    return found


def x_of(chart, plan, when):
    """Where the chart draws a day's marks."""
    index = (when - plan.first_date).days // chart.days_per_column
    return GUTTER + index * chart.columns_per_day + chart.columns_per_day // 2


def row_named(chart, head):
    return next(line for line in chart.text().splitlines() if line.startswith(head))


# ------------------------------------------------------------------ the grid


@settings(max_examples=150)
@given(plans(), st.integers(40, 220), st.integers(-3, 10))
def test_every_log_is_a_dot_at_its_score_and_its_date_and_nothing_else_is(plan, width, offset):
    today = plan.first_date + timedelta(days=offset)
    chart = pain_chart(plan, today, width)
    assert all(len(line) <= width for line in chart.text().splitlines())
    drawn = dot_columns(chart)
    expected: dict[int, set[int]] = {score: set() for score in range(11)}
    span = chart.days_per_column
    for start in range(0, len(plan.days), span):
        logged = [d.pain for d in plan.days[start : start + span] if d.pain is not None]
        if logged:  # a column of several days shows its worst
            expected[max(logged)].add(x_of(chart, plan, plan.days[start].date))
    assert {score: set(xs) for score, xs in drawn.items()} == expected


def test_a_day_without_a_log_is_a_gap_not_a_zero():
    plan = demo_plan(DEMO_TODAY)
    chart = pain_chart(plan, DEMO_TODAY, 80)
    drawn = dot_columns(chart)
    assert drawn[0] == []  # nothing was logged as 0, and no unlogged day reads as one
    logged = [d for d in plan.days if d.pain is not None]
    assert sum(len(xs) for xs in drawn.values()) == len(logged) == 4
    for day in logged:
        assert x_of(chart, plan, day.date) in drawn[day.pain]


def test_the_demo_plan_at_80_columns_reads_as_it_should():
    chart = pain_chart(demo_plan(DEMO_TODAY), DEMO_TODAY, 80)
    assert chart.text() == (
        "Pain (0-10), Fri 20 Nov to Sun 13 Dec 2026\n"
        "  10 ┤\n"
        "     │\n"
        "   8 ┤\n"
        "     │                                                 red 5+\n"
        "   6 ┤\n"
        "     │ ●\n"
        "   4 ┤   ●                                             amber 3-4\n"
        "     │     ● ●\n"
        "   2 ┤\n"
        "     │                                                 green 0-2\n"
        "   0 ┤\n"
        "     └───────┬─▲───────────┬─────────────┬────────────\n"
        "             23 Nov        30 Nov        7 Dec\n"
        "phase P─────R───────T───★─A───────────────────────────\n"
        "  run none done yet\n"
        "\n"
        "● pain logged (a gap: none)  ▲ today  P protect  R recover  B rebuild  T taper\n"
        "★ race  A after"
    )
    assert (chart.days_per_column, chart.columns_per_day) == (1, 2)


def test_today_race_day_and_the_phases_stand_at_their_dates():
    plan = demo_plan(DEMO_TODAY)
    chart = pain_chart(plan, DEMO_TODAY, 100)
    axis = row_named(chart, " " * (GUTTER - 1) + "└")
    assert axis.index(TODAY) == x_of(chart, plan, DEMO_TODAY)
    phases = row_named(chart, "phase ")  # a letter starts its day's columns
    assert phases.index("★") == x_of(chart, plan, plan.race_date) - chart.columns_per_day // 2
    for phase, letter in ((Phase.PROTECT, "P"), (Phase.RECOVER, "R"), (Phase.AFTER, "A")):
        first = next(d.date for d in plan.days if d.phase == phase)
        assert phases[x_of(chart, plan, first) - chart.columns_per_day // 2] == letter
    # a today outside the plan has no mark
    later = pain_chart(plan, plan.last_date + timedelta(days=1), 100)
    assert TODAY not in later.text().split("phase")[0]


def test_the_dates_are_mondays_under_their_ticks():
    plan = demo_plan(DEMO_TODAY)
    chart = pain_chart(plan, DEMO_TODAY, 100)
    lines = chart.text().splitlines()
    at = next(n for n, line in enumerate(lines) if line.startswith(" " * (GUTTER - 1) + "└"))
    axis, dates = lines[at], lines[at + 1]
    for label in ("23 Nov", "30 Nov", "7 Dec"):
        x = dates.index(label)
        assert axis[x] == "┬"
        day, month = label.split()
        when = date(2026, 11 if month == "Nov" else 12, int(day))
        assert when.weekday() == 0 and x == x_of(chart, plan, when)


# ------------------------------------------------------------------ runs


def ran(plan, when, minutes, actual=None):
    """Tick the day's run (adding one when the day has none), run for `actual` minutes."""
    day = plan.day(when)
    run = next((t for t in day.tasks if t.category == Category.RUN), None)
    if run is None:
        run = Task(id="my-run", category=Category.RUN, title="Run", minutes=minutes)
        day.tasks.append(run)
    run.minutes, run.done, run.done_at = minutes, True, datetime(2026, 1, 1, tzinfo=UTC)
    run.actual_minutes = actual
    return run


def test_runs_done_are_bars_at_their_dates_scaled_to_the_tallest():
    plan = demo_plan(DEMO_TODAY)
    first, second = plan.first_date + timedelta(days=1), plan.first_date + timedelta(days=3)
    ran(plan, first, 40)
    ran(plan, second, 20)
    chart = pain_chart(plan, DEMO_TODAY, 80)
    lines = [line.ljust(80) for line in chart.text().splitlines()]
    top = lines.index(row_named(chart, "  run ").ljust(80))
    bars = lines[top : top + 2]
    assert bars[0][x_of(chart, plan, first)] == "█" and bars[1][x_of(chart, plan, first)] == "█"
    assert bars[0][x_of(chart, plan, second)] == " " and bars[1][x_of(chart, plan, second)] == "█"
    assert "the tallest 40 min" in chart.text()


def test_a_run_counts_the_minutes_actually_run():
    plan = demo_plan(DEMO_TODAY)
    when = plan.first_date + timedelta(days=2)
    ran(plan, when, 30, actual=12)  # planned 30, ran 12
    ran(plan, when + timedelta(days=1), 48)
    chart = pain_chart(plan, DEMO_TODAY, 80)
    lines = [line.ljust(80) for line in chart.text().splitlines()]
    top = lines.index(row_named(chart, "  run ").ljust(80))
    x = x_of(chart, plan, when)
    # 12 of 48 minutes: a quarter of two rows, 4 eighths of the lower row
    assert lines[top][x] == " " and lines[top + 1][x] == "▄"


def test_a_run_skipped_or_not_ticked_is_no_bar():
    plan = demo_plan(DEMO_TODAY)
    when = plan.first_date + timedelta(days=1)
    run = ran(plan, when, 30)
    run.done, run.skip = False, "travel"
    assert "none done yet" in pain_chart(plan, DEMO_TODAY, 80).text()


# ------------------------------------------------------------------ a long plan, compressed


def long_plan():
    injury = date(2026, 1, 5)
    plan = build_plan(PlanInputs(injury, injury + timedelta(days=300), grade=2), injury)
    for index, day in enumerate(plan.days):
        day.pain = index % 7 if index % 3 else None
    return plan


@pytest.mark.parametrize("width", [80, 120, 160])
def test_a_long_plan_fits_its_width_a_few_days_a_column(width):
    plan = long_plan()
    chart = pain_chart(plan, plan.first_date + timedelta(days=200), width)
    room = width - GUTTER - len(" amber 3-4") - 1
    assert chart.days_per_column == math.ceil(len(plan.days) / room)
    assert chart.columns_per_day == 1
    assert all(len(line) <= width for line in chart.text().splitlines())
    assert f"A column is {chart.days_per_column} days" in chart.text()


def test_a_column_of_several_days_shows_its_worst_pain_and_adds_its_runs():
    plan = long_plan()
    for day in plan.days[:20]:
        day.pain = 1
    plan.days[4].pain = 7  # a red day among green ones
    ran(plan, plan.days[2].date, 20)
    ran(plan, plan.days[3].date, 25)
    chart = pain_chart(plan, plan.days[30].date, 80)
    span = chart.days_per_column
    assert span > 4
    assert x_of(chart, plan, plan.days[0].date) in dot_columns(chart)[7]
    assert "the tallest 45 min" in chart.text()


def test_a_narrow_chart_gives_the_band_names_room_to_the_days():
    plan = demo_plan(DEMO_TODAY)
    chart = pain_chart(plan, DEMO_TODAY, 40)
    assert "amber" not in chart.text()
    assert chart.days_per_column == 1  # 24 days in 34 columns


def test_the_title_can_be_left_out():
    plan = demo_plan(DEMO_TODAY)
    with_title = pain_chart(plan, DEMO_TODAY, 80).lines
    without = pain_chart(plan, DEMO_TODAY, 80, title=False).lines
    assert with_title[1:] == without


# ------------------------------------------------------------------ planner stats --chart


@pytest.fixture
def saved(home):
    path = home / "plans" / "bristol-half.toml"
    path.parent.mkdir(parents=True)
    PlanFile.create(path, demo_plan(DEMO_TODAY))
    return path


def test_stats_chart_prints_the_chart_plain_at_the_given_width(saved, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    code = main(["stats", str(saved), "--chart", "--today", DEMO_TODAY.isoformat()])
    out, err = capsys.readouterr()
    assert code == 0 and not err
    plan = demo_plan(DEMO_TODAY)
    assert out.endswith(pain_chart(plan, DEMO_TODAY, 80).text() + "\n")
    assert "\x1b" not in out  # plain text: no colour, no escapes
    before, chart = out.split("\nPain (0-10), ", 1)
    assert before.startswith("Bristol Half · race in 5 days") and "Adherence:" in before
    assert max(len(line) for line in chart.splitlines()) <= 80


def test_stats_chart_follows_the_terminal_width_and_keeps_to_a_least(saved, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "132")
    main(["stats", str(saved), "--chart", "--today", DEMO_TODAY.isoformat()])
    wide = capsys.readouterr().out
    assert wide.endswith(pain_chart(demo_plan(DEMO_TODAY), DEMO_TODAY, 132).text() + "\n")
    monkeypatch.setenv("COLUMNS", "10")
    main(["stats", str(saved), "--chart", "--today", DEMO_TODAY.isoformat()])
    narrow = capsys.readouterr().out
    assert narrow.endswith(pain_chart(demo_plan(DEMO_TODAY), DEMO_TODAY, 40).text() + "\n")


def test_stats_without_chart_prints_no_chart(saved, capsys):
    assert main(["stats", str(saved), "--today", DEMO_TODAY.isoformat()]) == 0
    assert "Pain (0-10)" not in capsys.readouterr().out
