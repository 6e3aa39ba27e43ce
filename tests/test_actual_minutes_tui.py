"""Pilot tests: ticking a run on the plan screen asks the minutes run, in a dialog holding
the plan's (enter ticks it as planned, escape ticks nothing); each test ends by reading the
plan file on disk."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from textual.widgets import Input, Static

from planner.service import PlanSession
from planner.store import PlanFile, load_plan
from planner.tui.dialogs.run_minutes import RunMinutesDialog
from planner.tui.screens.plan import PlanScreen
from planner.tui.widgets.checklist import DayChecklist
from tests.test_tui_plan import SIZE, app_for, screen_text, wait_for

RUN_DAY = date(2026, 11, 27)  # Fri 27 Nov: the forum runner's first walk-run


@pytest.fixture(autouse=True)
def gate_passed(plan_path):
    """The demo plan (lived to Tue 24 Nov) with its run gate passed on Thu 26 Nov."""
    gate_day = date(2026, 11, 26)
    session = PlanSession(PlanFile.open(plan_path), gate_day, lambda: NOON)
    assert session.record_gate(gate_day, 30, 10, 30)
    assert on_disk(plan_path).minutes == 30


NOON = datetime(2026, 11, 26, 12, tzinfo=UTC)


def notices(app) -> str:
    return " | ".join(n.message for n in app._notifications)


def on_disk(path):
    return load_plan(path).day(RUN_DAY).task("run")


async def open_the_dialog(pilot) -> RunMinutesDialog:
    """Highlight the day's run and press space: the dialog asks its minutes."""
    checklist = pilot.app.screen.query_one(DayChecklist)
    checklist.highlighted = checklist.task_ids.index("run")
    await pilot.press("space")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, RunMinutesDialog))
    return pilot.app.screen


async def test_a_run_ticked_with_18_minutes_keeps_them_on_disk(plan_path):
    app = app_for(plan_path, today=RUN_DAY)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_the_dialog(pilot)
        field = dialog.query_one("#minutes", Input)
        assert field.value == "30"  # the plan's minutes: enter alone ticks it as planned
        await pilot.press("1", "8")  # typing replaces them
        assert field.value == "18"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        await wait_for(pilot, lambda: on_disk(plan_path).done)
        assert "ran 18 min" in screen_text(app)
        assert "Ran 18 of 30 min: Walk-run 30 min" in notices(app)
        assert "Thu 3 Dec: easy run 30 min -> easy run 23 min" in notices(app)
    task = on_disk(plan_path)
    assert (task.done, task.minutes, task.actual_minutes) == (True, 30, 18)
    # the load rules counted the 18 minutes: the next run is no longer than 1.3 x 18
    assert load_plan(plan_path).day(date(2026, 12, 3)).task("run").minutes == 23


async def test_enter_ticks_the_run_as_planned_in_one_key(plan_path):
    app = app_for(plan_path, today=RUN_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_the_dialog(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: on_disk(plan_path).done)
    task = on_disk(plan_path)
    assert (task.done, task.actual_minutes) == (True, 30)
    assert load_plan(plan_path).day(date(2026, 12, 3)).task("run").minutes == 30


async def test_escape_ticks_nothing(plan_path):
    before = plan_path.read_bytes()
    app = app_for(plan_path, today=RUN_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_the_dialog(pilot)
        await pilot.press("9", "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        await pilot.pause()
        assert "Nothing ticked." in notices(app)
    assert plan_path.read_bytes() == before


async def test_minutes_out_of_range_keep_the_dialog_open(plan_path):
    before = plan_path.read_bytes()
    app = app_for(plan_path, today=RUN_DAY)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_the_dialog(pilot)
        await pilot.press("9", "9", "9", "enter")
        await pilot.pause()
        assert app.screen is dialog
        error = str(dialog.query_one("#minutes-error", Static).render())
        assert "a whole number from 0 to 600" in error
        await pilot.press("backspace", "backspace", "backspace", "enter")
        await pilot.pause()
        assert app.screen is dialog  # blank is no figure either
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
    assert plan_path.read_bytes() == before


async def test_undo_and_untick_put_the_run_back(plan_path):
    app = app_for(plan_path, today=RUN_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_the_dialog(pilot)
        await pilot.press("1", "8", "enter")
        await wait_for(pilot, lambda: on_disk(plan_path).actual_minutes == 18)
        await pilot.press("u")
        await wait_for(pilot, lambda: not on_disk(plan_path).done)
        assert on_disk(plan_path).actual_minutes is None
        assert load_plan(plan_path).day(date(2026, 12, 3)).task("run").minutes == 30
        # ticked again, then unticked with space: no dialog to untick
        await open_the_dialog(pilot)
        await pilot.press("2", "0", "enter")
        await wait_for(pilot, lambda: on_disk(plan_path).actual_minutes == 20)
        await pilot.press("space")
        await wait_for(pilot, lambda: not on_disk(plan_path).done)
        assert isinstance(app.screen, PlanScreen)
    task = on_disk(plan_path)
    assert (task.done, task.actual_minutes) == (False, None)
    assert load_plan(plan_path).day(date(2026, 12, 3)).task("run").minutes == 30


async def test_a_run_on_a_day_not_come_is_refused_before_the_dialog(plan_path):
    before = plan_path.read_bytes()
    app = app_for(plan_path, today=date(2026, 11, 26))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")  # Fri 27 Nov, tomorrow
        await wait_for(pilot, lambda: "run" in app.screen.query_one(DayChecklist).task_ids)
        checklist = app.screen.query_one(DayChecklist)
        checklist.highlighted = checklist.task_ids.index("run")
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        assert "hasn't come yet" in notices(app)
    assert plan_path.read_bytes() == before
