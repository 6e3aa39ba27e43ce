"""Pilot tests of the adaptive parts of the plan screen; each ends on the file on disk."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import Input

from planner.demo import demo_plan
from planner.store import PlanFile, load_plan
from planner.tui.dialogs.decision import DecisionScreen
from planner.tui.dialogs.gate import GateDialog
from planner.tui.dialogs.preview import ChangePreview
from planner.tui.dialogs.skip import SkipDialog
from planner.tui.dialogs.task_form import TaskDialog
from planner.tui.screens.plan import PlanScreen
from tests.test_tui_plan import app_for, screen_text, wait_for

GATE_DAY = date(2026, 11, 26)  # the forum runner's gate day (race-3)
RUN_DAY = date(2026, 11, 27)  # the first walk-run (race-2)
RACE_EVE = date(2026, 11, 28)
SIZE = (120, 40)


@pytest.fixture
def path_at(tmp_path):
    def make(today):
        path = tmp_path / "plans" / "bristol-half.toml"
        path.parent.mkdir(exist_ok=True)
        PlanFile.create(path, demo_plan(today))
        return path

    return make


async def fill_gate(pilot, raises, hops, walk):
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, GateDialog))
    for name, value in (("raises", raises), ("hops", hops), ("walk", walk)):
        pilot.app.screen.query_one(f"#{name}", Input).value = str(value)
    await pilot.pause()


async def test_ticking_the_gate_task_opens_the_form_and_a_fail_previews_the_change(path_at):
    path = path_at(GATE_DAY)
    app = app_for(path, GATE_DAY)
    async with app.run_test(size=SIZE) as pilot:
        day = app.screen.session.plan.day(GATE_DAY)
        assert day.tasks[0].id == "gate"
        await pilot.press("space")  # the gate task is highlighted first
        await fill_gate(pilot, 12, 10, 30)
        assert "Not passed yet" in str(app.screen.query_one("#gate-verdict").render())
        await pilot.click("#record")
        await wait_for(pilot, lambda: isinstance(app.screen, ChangePreview))
        shown = app.screen.lines  # a fail on race-3 leaves no retest before the race
        assert any(line.startswith("Fri 27 Nov:") and "walk-run 30 min" in line for line in shown)
        assert any("don't start today" in line for line in shown)
        await pilot.press("escape")  # cancel: neither the result nor its re-plan is kept
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
    plan = load_plan(path)
    assert plan.day(GATE_DAY).gate is None and not plan.day(GATE_DAY).task("gate").done
    assert plan.day(RUN_DAY).task("run") is not None  # nothing recorded, nothing re-planned

    app = app_for(path, GATE_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g")
        await fill_gate(pilot, 12, 10, 30)
        await pilot.press("enter")  # enter in the last field records
        await wait_for(pilot, lambda: isinstance(app.screen, ChangePreview))
        await pilot.press("enter")  # accept
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
    plan = load_plan(path)
    assert plan.day(GATE_DAY).gate.passed is False and plan.day(GATE_DAY).task("gate").done
    assert plan.day(RUN_DAY).task("run") is None  # recorded with its re-plan


async def test_a_passed_gate_is_recorded_with_no_change_to_preview(path_at):
    path = path_at(GATE_DAY)
    app = app_for(path, GATE_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g")
        await fill_gate(pilot, 25, 10, 35)
        assert "Passed" in str(app.screen.query_one("#gate-verdict").render())
        await pilot.click("#record")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        assert "Run gate: passed" in str(app.screen.query_one("#pain").render())
    gate = load_plan(path).day(GATE_DAY).gate
    assert (gate.raises, gate.hops, gate.walk_min, gate.passed) == (25, 10, 35, True)


async def test_pain_shows_the_change_before_it_applies(path_at):
    path = path_at(GATE_DAY)
    app = app_for(path, GATE_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await wait_for(pilot, lambda: app.screen.query("#score"))
        await pilot.press("4", "enter", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ChangePreview))
        assert "instead of running" in screen_text(app)
        await pilot.click("#accept")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        await pilot.press("u")  # undo puts the pain and the plan back
    plan = load_plan(path)
    assert plan.day(GATE_DAY).pain is None
    run_day = plan.day(RUN_DAY)
    assert run_day.task("run") is not None and run_day.task("run-swap") is None


async def test_race_day_call_shows_from_race_eve_with_its_reasons(path_at):
    path = path_at(RACE_EVE)
    before = path.read_bytes()
    app = app_for(path, RACE_EVE)
    async with app.run_test(size=SIZE) as pilot:
        line = app.screen.query_one("#decision-line")
        assert line.display and "Race-day call: Don't start" in str(line.render())
        await pilot.press("D")
        await wait_for(pilot, lambda: isinstance(app.screen, DecisionScreen))
        assert "No run gate recorded yet" in str(app.screen.query_one("#decision-full").render())
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
    assert path.read_bytes() == before
    early = app_for(path, GATE_DAY)
    async with early.run_test(size=SIZE):
        assert not early.screen.banner_shown("decision-line")


async def test_own_tasks_add_edit_delete_and_skip_with_keys(path_at):
    path = path_at(GATE_DAY)
    app = app_for(path, GATE_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, TaskDialog))
        await pilot.press(*"Foam roll [glutes]", "enter", *"2 min", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        own = next(t.id for t in load_plan(path).day(GATE_DAY).tasks if t.custom)
        assert own.startswith("my-")
        assert load_plan(path).day(GATE_DAY).task(own).title == "Foam roll [glutes]"
        assert "Foam roll [glutes]" in screen_text(app)
        await pilot.press("c")  # the new task is highlighted
        await wait_for(pilot, lambda: isinstance(app.screen, TaskDialog))
        app.screen.query_one("#title", Input).value = "Foam roll, calves too"
        await pilot.click("#save")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        assert load_plan(path).day(GATE_DAY).task(own).title == "Foam roll, calves too"
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, SkipDialog))
        await pilot.click("#skip")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        assert load_plan(path).day(GATE_DAY).task(own).skip.value == "other"
        await pilot.press("d")
        await wait_for(pilot, lambda: load_plan(path).day(GATE_DAY).task(own) is None)
        await pilot.press("home", "d")  # a plan task can't be deleted
        assert load_plan(path).day(GATE_DAY).task("gate") is not None
