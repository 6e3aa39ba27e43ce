"""Pilot tests of repeating tasks in the TUI: the add form's Repeat choice and until date,
each day's task on its own, and deleting one day or it and the later ones."""

from __future__ import annotations

from datetime import date, timedelta

from textual.widgets import Checkbox, Input, Select

from planner.store import load_plan
from planner.tui.dialogs.delete_series import DeleteSeriesDialog
from planner.tui.dialogs.task_form import DAILY, EVERY_2, WEEKLY, TaskDialog
from planner.tui.screens.plan import PlanScreen
from tests.test_tui_plan import TODAY, app_for, wait_for

SIZE = (120, 40)


def days_with(path, title):
    return [d.date for d in load_plan(path).days for t in d.tasks if t.title == title]


async def add(pilot, title, repeat, until=None, weekdays=()):
    await pilot.press("a")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, TaskDialog))
    dialog = pilot.app.screen
    await pilot.press(*title)
    dialog.query_one("#repeat", Select).value = repeat
    await pilot.pause()
    for name in weekdays:
        dialog.query_one(f"#day-{name}", Checkbox).value = not dialog.query_one(
            f"#day-{name}", Checkbox
        ).value
    if until is not None:
        dialog.query_one("#until", Input).value = until
    await pilot.pause()
    return dialog


async def test_every_day_to_the_plans_end_is_a_task_a_day(plan_path):
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await add(pilot, "Foam roll", DAILY)
        last = load_plan(plan_path).last_date
        assert dialog.query_one("#until", Input).value == last.isoformat()  # the default
        echo = str(dialog.query_one("#until-echo").render())
        assert echo.startswith(f"{(last - TODAY).days + 1} days, the last ")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        assert days_with(plan_path, "Foam roll") == [
            TODAY + timedelta(days=n) for n in range((last - TODAY).days + 1)
        ]
        # ticked alone: space on today's (highlighted, the last row) ticks only today's
        await pilot.press("space")
        plan = load_plan(plan_path)
        done = [t.done for d in plan.days for t in d.tasks if t.title == "Foam roll"]
        assert done[0] and not any(done[1:])
        series = {t.series for d in plan.days for t in d.tasks if t.title == "Foam roll"}
        assert len(series) == 1 and None not in series


async def test_chosen_weekdays_until_a_date_land_on_those_days_only(plan_path):
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        # today is a Tuesday: it starts ticked; Thursday and Saturday added
        await add(pilot, "Yoga", WEEKLY, until="2026-12-05", weekdays=("thu", "sat"))
        await pilot.click("#save")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
    assert days_with(plan_path, "Yoga") == [
        date(2026, 11, 24),
        date(2026, 11, 26),
        date(2026, 11, 28),
        date(2026, 12, 1),
        date(2026, 12, 3),
        date(2026, 12, 5),
    ]


async def test_an_until_outside_the_plan_is_said_and_nothing_is_added(plan_path):
    before = plan_path.read_bytes()
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await add(pilot, "Hills", EVERY_2, until="2027-06-01")
        await pilot.press("ctrl+s")
        assert app.screen is dialog
        assert "Until: a day from" in str(dialog.query_one("#task-error").render())
        assert app.focused is dialog.query_one("#until", Input)
        dialog.query_one("#day-tue", Checkbox).value = False
        await add_weekdays_none(pilot, dialog)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
    assert plan_path.read_bytes() == before


async def add_weekdays_none(pilot, dialog):
    """Days of the week with none chosen: said, and the first day's box has the focus."""
    dialog.query_one("#repeat", Select).value = WEEKLY
    dialog.query_one("#until", Input).value = "2026-12-05"
    await pilot.pause()
    await pilot.press("ctrl+s")
    assert "Choose at least one day of the week." in str(dialog.query_one("#task-error").render())
    assert pilot.app.focused is dialog.query_one("#day-mon", Checkbox)


async def test_deleting_a_day_asks_this_one_or_the_later_ones_too(plan_path):
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await add(pilot, "Foam roll", DAILY, until="2026-12-01")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        assert len(days_with(plan_path, "Foam roll")) == 8
        # today's is highlighted (the last row): this one only
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, DeleteSeriesDialog))
        assert app.screen.later == 7
        await pilot.press("enter")  # the focused button: this one
        await wait_for(pilot, lambda: len(days_with(plan_path, "Foam roll")) == 7)
        assert TODAY not in days_with(plan_path, "Foam roll")
        # two days on, this one and the later ones
        await pilot.press("right", "right")
        await wait_for(pilot, lambda: app.screen.selected == TODAY + timedelta(days=2))
        await pilot.press("end", "d")
        await wait_for(pilot, lambda: isinstance(app.screen, DeleteSeriesDialog))
        assert app.screen.later == 5
        await pilot.press("2")
        await wait_for(pilot, lambda: len(days_with(plan_path, "Foam roll")) == 1)
        assert days_with(plan_path, "Foam roll") == [TODAY + timedelta(days=1)]
        await pilot.press("u")  # undo puts the six back
        await wait_for(pilot, lambda: len(days_with(plan_path, "Foam roll")) == 7)
        # escape deletes nothing
        await pilot.press("end")
        await pilot.pause()
        assert app.screen._highlighted()[1].title == "Foam roll"
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, DeleteSeriesDialog))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
    assert len(days_with(plan_path, "Foam roll")) == 7
