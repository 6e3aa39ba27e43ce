"""Pilot tests of the new-plan form, the safety screen and a plan that can't be loaded."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import Button, Checkbox, Input, RadioSet

from planner.demo import demo_plan
from planner.ops import LogPain
from planner.paths import last_plan, list_plans, plans_dir
from planner.store import PlanFile, load_plan
from planner.tui.app import make_app, pinned_clock
from planner.tui.dialogs.safety import SafetyScreen
from planner.tui.screens.load_error import LoadErrorScreen
from planner.tui.screens.new_plan import NewPlanScreen
from planner.tui.screens.plan import PlanScreen
from tests.test_tui_plan import screen_text, wait_for

TODAY = date(2026, 11, 21)
SIZE = (120, 40)


def new_app(home):
    return make_app(None, home=home, today=TODAY, now=pinned_clock(TODAY))


async def fill(pilot, selector, text):
    widget = pilot.app.screen.query_one(selector, Input)
    widget.focus()
    widget.value = ""
    await pilot.press(*text)


async def answer_safety(pilot, yes=()):
    screen = pilot.app.screen
    assert isinstance(screen, SafetyScreen)
    for flag in screen.flags:
        radio = screen.query_one(f"#flag-{flag.id}", RadioSet)
        index = 1 if flag.id in yes else 0
        radio.query("RadioButton")[index].value = True
    await pilot.pause()


async def test_form_makes_a_plan_after_the_safety_check(tmp_path):
    home = tmp_path / "home"
    app = new_app(home)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, NewPlanScreen)
        create = screen.query_one("#create", Button)
        assert create.disabled
        await fill(pilot, "#injury", "yesterday")
        assert "Fri 20 Nov 2026, yesterday" in str(screen.query_one("#injury-echo").render())
        await fill(pilot, "#race", "29 Nov")
        assert "Sun 29 Nov 2026, in 8 days" in str(screen.query_one("#race-echo").render())
        assert not create.disabled
        screen.query_one("#side", RadioSet).query("RadioButton")[0].value = True
        await fill(pilot, "#name", "Bristol [Half]")
        await pilot.click("#create")
        await wait_for(pilot, lambda: isinstance(app.screen, SafetyScreen))
        assert app.screen.query_one("#create", Button).disabled  # nothing answered yet
        await answer_safety(pilot)
        assert not app.screen.query_one("#create", Button).disabled
        await pilot.click("#create")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        assert "Bristol [Half]" in screen_text(app)
    (path,) = list_plans(plans_dir(home))
    plan = load_plan(path)
    assert path.name == "bristol-half.toml"
    assert (plan.name, plan.injury_date, plan.race_date) == (
        "Bristol [Half]",
        date(2026, 11, 20),
        date(2026, 11, 29),
    )
    assert (plan.injury.value, plan.grade, plan.side.value, plan.distance.value) == (
        "strain",
        1,
        "left",
        "half",
    )
    assert plan.safety.flags == [] and plan.safety.checked == TODAY
    assert last_plan(home) == path.resolve()


async def test_invalid_input_is_shown_beside_the_field_and_blocks_create(tmp_path):
    home = tmp_path / "home"
    app = new_app(home)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await fill(pilot, "#injury", "31 Feb")
        assert "can't read" in str(screen.query_one("#injury-echo").render())
        await fill(pilot, "#injury", "2026-11-20")
        await fill(pilot, "#race", "2026-11-10")
        assert "before the injury" in str(screen.query_one("#race-echo").render())
        assert screen.query_one("#create", Button).disabled
        await fill(pilot, "#race", "2027-12-01")
        assert "at most 365" in str(screen.query_one("#race-echo").render())
        await fill(pilot, "#race", "2026-11-29")
        assert not screen.query_one("#create", Button).disabled
        # a cramp has no grade: the grade question goes away
        screen.query_one("#kind", RadioSet).query("RadioButton")[0].value = True
        await pilot.pause()
        assert not screen.query_one("#grade-box").display
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, SafetyScreen))
        await pilot.press("escape")  # back to the form, nothing made
        await wait_for(pilot, lambda: isinstance(app.screen, NewPlanScreen))
    assert not list_plans(plans_dir(home))


async def test_a_red_flag_needs_a_clinicians_all_clear_and_is_recorded(tmp_path):
    home = tmp_path / "home"
    app = new_app(home)
    async with app.run_test(size=SIZE) as pilot:
        await fill(pilot, "#injury", "yesterday")
        await fill(pilot, "#race", "next sunday")
        await pilot.click("#create")
        await wait_for(pilot, lambda: isinstance(app.screen, SafetyScreen))
        await answer_safety(pilot, yes=("clot", "breathless"))
        safety = app.screen
        advice = str(safety.query_one("#advice").render())
        assert advice.index("EMERGENCY") < advice.index("See a doctor today")
        assert "blood clot" in advice
        assert "See a clinician: See a" not in advice  # the advice says it once
        assert safety.query_one("#create", Button).disabled
        safety.query_one("#cleared", Checkbox).value = True
        await pilot.pause()
        assert not safety.query_one("#create", Button).disabled
        await pilot.click("#create")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
    (path,) = list_plans(plans_dir(home))
    recorded = load_plan(path).safety
    assert recorded.flags == ["breathless", "clot"] and recorded.clinician_cleared


async def test_a_damaged_file_is_explained_and_its_backup_restored(tmp_path):
    path = tmp_path / "plans" / "plan.toml"
    path.parent.mkdir()
    plan_file = PlanFile.create(path, demo_plan())
    plan_file.save()  # no change yet: nothing written
    plan_file.apply(LogPain(date(2026, 11, 21), 3, "x"))
    plan_file.save()  # now plan.toml.bak holds the first version
    damaged = "schema_version = 1\n[plan\nname = 'x'\n"
    path.write_text(damaged)
    app = make_app(path, home=tmp_path, today=TODAY, now=pinned_clock(TODAY))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LoadErrorScreen))
        shown = str(app.screen.query_one("#error-text").render())
        assert shown == f"{path}:2:6: Expected ']' at the end of a table declaration"
        assert str(path) + ".bak" in str(app.screen.query_one("#backup-note").render())
        assert path.read_text() == damaged
        await pilot.press("b")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
    assert load_plan(path).name == "Bristol Half"
    assert path.with_name("plan.toml.damaged").read_text() == damaged


async def test_no_plan_yet_opens_the_form_and_escape_quits(tmp_path):
    app = new_app(tmp_path / "home")
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, NewPlanScreen)
        await pilot.press("escape")  # the first escape leaves the date field
        assert app.is_running and app.focused is None
        await pilot.press("escape")  # nothing typed: the second quits, asking nothing
        await wait_for(pilot, lambda: not app.is_running)


@pytest.mark.parametrize("args", [["open", "nowhere.toml"], ["open", "."]])
def test_open_refuses_a_missing_file_or_a_folder(home, capsys, args):
    from planner.cli import main

    assert main(args) == 2
    assert capsys.readouterr().err.startswith("planner: PATH: ")


def test_demo_plan_is_the_forum_example_lived_in():
    from pathlib import Path

    from planner.demo import DEMO_TODAY
    from planner.store import dumps_plan

    example = load_plan(Path(__file__).resolve().parent.parent / "plans" / "bristol-half.toml")
    fresh = demo_plan(example.injury_date)  # nothing lived yet
    example.uid = None  # random per file, given when the example file was made
    example.safety = None  # the example was made by a script: questions shown, not answered
    assert dumps_plan(fresh) == dumps_plan(example)
    lived = demo_plan()
    before = [d for d in lived.days if d.date < DEMO_TODAY]
    assert before and all(d.pain is not None for d in before)
    assert all(any(t.done for t in d.tasks) for d in before)
    assert not any(t.done for d in lived.days if d.date >= DEMO_TODAY for t in d.tasks)
