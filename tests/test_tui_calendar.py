"""The month calendar: from the injury's week, phases told apart without colour, and the
days before the plan was made shown as neither done nor missed."""

from __future__ import annotations

import calendar
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from planner.demo import MADE_ON
from planner.model import Phase
from planner.tui.widgets.calendar import PHASE_LETTERS, MonthCalendar, add_months
from tests.test_tui_plan import SIZE, app_for

INJURY = date(2026, 11, 20)  # a Friday: its week starts Mon 16 Nov


def text_lines(calendar):
    return ["".join(text for text, _ in line) for line in calendar.month_lines()]


async def test_the_weeks_start_at_the_injurys_and_run_on_into_the_next_month(plan_path):
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        calendar = app.screen.query_one(MonthCalendar)
        weeks = calendar.weeks()
        assert weeks[0][0] == date(2026, 11, 16) and weeks[-1][-1] == date(2026, 12, 27)
        lines = text_lines(calendar)
        assert lines[0].strip() == "November – December 2026"
        assert "16" in lines[2] and "1" not in lines[2].split()[:1]  # no row for 2-15 Nov
        assert calendar.date_at(3 * calendar.cell_width(), 2 + 2 * calendar.cell_lines()) == date(
            2026, 12, 3
        )  # the third row: 30 Nov - 6 Dec, shown, not blank
        await pilot.press("right_square_bracket")  # December on its own: its first week
        assert calendar.weeks()[0][0] == date(2026, 11, 30)
        assert text_lines(calendar)[0].strip() == "December 2026"


async def test_each_day_carries_its_phases_letter_and_the_legend_names_them(plan_path):
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        calendar = app.screen.query_one(MonthCalendar)
        width = calendar.cell_width()
        for week_index, week in enumerate(calendar.weeks()):
            line = text_lines(calendar)[2 + week_index * calendar.cell_lines()]
            for column, day in enumerate(week):
                plan_day = calendar.plan.day(day)
                if plan_day is None:
                    continue
                cell = line[column * width : (column + 1) * width]
                letter = PHASE_LETTERS[plan_day.phase] or "★"
                assert letter in cell, (day, cell)
        legend = "\n".join(text_lines(calendar))
        for phase in Phase:
            assert f"{PHASE_LETTERS[phase] or '★'} {phase.value.capitalize()}" in legend
        assert "– before the plan" in legend


async def test_days_before_the_plan_was_made_are_neither_done_nor_missed(plan_path):
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        calendar = app.screen.query_one(MonthCalendar)
        assert calendar.plan.start_date == MADE_ON and MADE_ON > INJURY
        for when in (INJURY, MADE_ON):  # as if nothing had been ticked on either day
            for task in calendar.plan.day(when).tasks:
                task.done, task.skip = False, None
        _top, progress, _ = calendar._cell(INJURY, calendar.cell_width())
        assert progress[0].strip() == "–" and "✗" not in progress[0]
        _top, progress, _ = calendar._cell(MADE_ON, calendar.cell_width())
        assert "✗" in progress[0]  # the plan's own first day, nothing ticked: missed


async def test_a_wide_screen_shows_the_coming_days_beside_the_day(plan_path):
    from datetime import timedelta

    from textual.widgets import Static

    app = app_for(plan_path)
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        coming = app.screen.query_one("#coming")
        assert coming.display and coming.region.width >= 40
        shown = str(app.screen.query_one("#coming-days", Static).render())
        tomorrow = app.screen.session.plan.day(app.screen.selected + timedelta(days=1))
        assert all(task.title in shown for task in tomorrow.tasks)
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert not coming.display  # no room for it: the checklist keeps the width


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)), st.integers(-240, 240))
def test_add_months_keeps_the_day_or_the_months_last(day, months):
    moved = add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day == min(day.day, calendar.monthrange(moved.year, moved.month)[1])
