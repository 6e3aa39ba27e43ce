"""Pilot tests of changing a plan's inputs in the TUI (E): the new-plan form filled in with
them, the injury date read-only, the change preview before anything changes, and the file
on disk after."""

from __future__ import annotations

from datetime import date

from textual.widgets import Button, Input, RadioSet

from planner.store import load_plan
from planner.tui.dialogs.discard import DiscardDialog
from planner.tui.dialogs.preview import ChangePreview
from planner.tui.screens.new_plan import NewPlanScreen
from planner.tui.screens.plan import PlanScreen
from tests.test_tui_plan import TODAY, app_for, screen_text, wait_for

SIZE = (120, 40)


async def open_form(pilot):
    await pilot.press("E")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, NewPlanScreen))
    await pilot.pause()
    return pilot.app.screen


async def retype(pilot, selector, text):
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    field.value = ""
    await pilot.press(*text)


async def test_the_form_opens_filled_in_with_the_injury_date_read_only(plan_path):
    plan = load_plan(plan_path)
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        assert form.query_one("#injury", Input).value == "2026-11-20"
        assert form.query_one("#injury", Input).disabled
        assert form.query_one("#kind", RadioSet).disabled
        assert form.query_one("#race", Input).value == plan.race_date.isoformat()
        assert form.query_one("#name", Input).value == plan.name
        assert form.query_one("#side", RadioSet).pressed_index == 0  # left
        assert str(form.query_one("#create", Button).label) == "Preview changes"
        assert "can't change: they define the days already lived" in screen_text(app)
        # nothing changed: ctrl+s says so, and escape leaves without asking
        await pilot.press("ctrl+s")
        assert "Nothing changed yet" in str(form.query_one("#form-hint").render())
        await pilot.press("escape", "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
    assert load_plan(plan_path) == plan


async def test_a_moved_race_is_previewed_then_saved_and_undone(plan_path):
    before = load_plan(plan_path)
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot)
        await retype(pilot, "#race", "2026-12-13")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ChangePreview))
        lines = app.screen.lines
        assert "Race day: Sun 29 Nov 2026 -> Sun 13 Dec 2026" in lines
        assert load_plan(plan_path) == before  # the preview changes nothing
        await pilot.press("escape")  # cancel: back on the form, still filled in
        await wait_for(pilot, lambda: isinstance(app.screen, NewPlanScreen))
        assert app.screen.query_one("#race", Input).value == "2026-12-13"
        assert load_plan(plan_path) == before
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ChangePreview))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        after = load_plan(plan_path)
        assert after.race_date == date(2026, 12, 13)
        assert [d.date for d in after.days if d.phase.value == "race"] == [date(2026, 12, 13)]
        for day in before.days:  # the days before today stay exactly as they were
            if day.date < TODAY:
                assert after.day(day.date) == day
        assert "race in 19 days" in screen_text(app)
        await pilot.press("u")
        await wait_for(pilot, lambda: load_plan(plan_path).race_date == before.race_date)
    assert load_plan(plan_path) == before


async def test_a_bad_race_date_is_said_beside_it_and_nothing_is_previewed(plan_path):
    before = plan_path.read_bytes()
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        await retype(pilot, "#race", "2026-11-01")
        assert "before the injury" in str(form.query_one("#race-echo").render())
        assert form.query_one("#create", Button).disabled
        await pilot.press("ctrl+s")
        assert not isinstance(app.screen, ChangePreview)
        assert app.focused is form.query_one("#race", Input)
        await pilot.press("escape", "escape")  # typed: leaving asks first
        await wait_for(pilot, lambda: isinstance(app.screen, DiscardDialog))
        await pilot.click("#discard")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
    assert plan_path.read_bytes() == before


async def test_grade_and_name_change_and_the_header_says_the_new_name(plan_path):
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        form.query_one("#grade", RadioSet).query("RadioButton")[1].value = True
        await retype(pilot, "#name", "Bristol, walked")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ChangePreview))
        lines = app.screen.lines
        assert "Grade: 1 -> 2" in lines and "Name: 'Bristol Half' -> 'Bristol, walked'" in lines
        assert any(line.startswith("Warning: ") for line in lines)  # grade 2: no race
        await pilot.click("#accept")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        assert "Bristol, walked" in screen_text(app)
    plan = load_plan(plan_path)
    assert (plan.grade, plan.name) == (2, "Bristol, walked")
    assert plan.warning and "don't start" in plan.warning
