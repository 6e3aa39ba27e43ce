"""The week view (`w`) and the tomorrow line on the plan screen, driven as a runner does."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import Static

from planner.demo import DEMO_TODAY
from planner.store import load_plan
from planner.tui.widgets.calendar import PHASE_LABELS, MonthCalendar
from planner.week import tomorrow_line, week_of
from tests.test_tui_snapshots import PLAN, plan_app

TODAY = DEMO_TODAY  # Tue 24 Nov 2026: its week runs Mon 23 to race day, Sun 29


def shown(widget) -> list[str]:
    """The widget's lines as drawn on screen."""
    return [strip.text for strip in widget.render_lines(widget.content_region.reset_offset)]


@pytest.mark.parametrize("size", [(80, 24), (160, 50)], ids=["80x24", "160x50"])
def test_the_week_view(here, snap_compare, size):
    assert snap_compare(plan_app(), press=["w"], terminal_size=size)


async def test_w_shows_the_week_and_back_and_rows_move_by_a_day(here):
    app = plan_app()
    async with app.run_test(size=(100, 40)) as pilot:
        calendar = app.screen.query_one(MonthCalendar)
        await pilot.press("w")
        await pilot.pause()
        assert calendar.weekly
        lines = shown(calendar)
        assert lines[0].strip() == "Week of Mon 23 Nov – Sun 29 Nov 2026"
        week = week_of(load_plan(PLAN), TODAY, PHASE_LABELS)
        names = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
        rows = [line.strip() for line in lines if line.strip()[:3] in names]
        assert len(rows) == len(week.days) == 7
        for row, day in zip(rows, week.days, strict=True):  # a day's key session a row
            assert row.startswith(f"{day.date:%a} {day.date.day:>2}")
            what = row[9:].strip()  # cut with "…" when the column is narrow
            assert day.what.startswith(what.removesuffix("…")) and len(what) > 5
        assert f"Runs: {week.runs}, {week.run_minutes} min" in "\n".join(lines)
        await pilot.press("tab", "down")  # on the calendar, a row down is the next day here
        await pilot.pause()
        assert calendar.selected == TODAY + timedelta(days=1)
        await pilot.press("w", "down")  # the month again: a row down is a week
        await pilot.pause()
        assert not calendar.weekly
        assert calendar.selected == TODAY + timedelta(days=8)
        assert shown(calendar)[0].strip() != lines[0].strip()


async def test_a_click_on_a_day_of_the_week_selects_it(here):
    app = plan_app()
    async with app.run_test(size=(100, 40)) as pilot:
        calendar = app.screen.query_one(MonthCalendar)
        await pilot.press("w")
        await pilot.pause()
        friday = TODAY + timedelta(days=3)
        row = shown(calendar).index(
            next(line for line in shown(calendar) if line.strip().startswith(f"Fri {friday.day}"))
        )
        await pilot.click(MonthCalendar, offset=(20, row + 1))  # the day's second row
        await pilot.pause()
        assert calendar.selected == friday
        assert app.screen.selected == friday  # the checklist follows


async def test_the_tomorrow_line_under_the_checklist(here):
    app = plan_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        pain = str(app.screen.query_one("#pain", Static).render())
        expected = tomorrow_line(load_plan(PLAN), TODAY, PHASE_LABELS, names=1)
        assert expected and expected in pain.replace("\n", " ").replace("  ", " ")
        await pilot.press("r")  # race day: the plan goes on after it, so a tomorrow still
        await pilot.pause()
        plan = load_plan(PLAN)
        after = tomorrow_line(plan, plan.race_date, PHASE_LABELS, names=1)
        assert after in str(app.screen.query_one("#pain", Static).render()).replace("\n", " ")


async def test_a_wide_screen_heads_its_third_column_with_the_pain_chart(here):
    from planner.chart import pain_chart
    from planner.tui.dialogs.preview import ChangePreview
    from planner.tui.screens.plan import PlanScreen
    from planner.tui.widgets.pain_chart import PainChart
    from tests.test_tui_plan import wait_for

    app = plan_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_for(pilot, lambda: app.screen.query("#side-chart"))
        chart = app.screen.query_one("#side-chart", PainChart)
        assert chart.parent.id == "coming"  # beside the calendar, above the coming days
        width = chart.content_size.width
        plan = load_plan(PLAN)
        assert chart.chart(width).text() == pain_chart(plan, TODAY, width).text()
        await pilot.press("p")  # today's pain, 6: the chart shows it at once
        await wait_for(pilot, lambda: app.screen.query("#score"))
        await pilot.press("6", "enter", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ChangePreview))
        await pilot.click("#accept")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        await pilot.pause()
        assert load_plan(PLAN).day(TODAY).pain == 6
        logged = pain_chart(load_plan(PLAN), TODAY, width).text()
        assert logged != pain_chart(plan, TODAY, width).text()
        await wait_for(pilot, lambda: chart.chart(width).text() == logged)


async def test_a_narrow_screen_has_no_chart_beside_the_calendar(here):
    app = plan_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert not app.screen.query("#side-chart")
        assert app.screen.coming is None  # the third column isn't even mounted
