"""Pilot tests of the dialogs' common base and of the first-run form's keys, at 80x24.

Every dialog closes on escape with its cancel value and changes nothing on disk; help and
progress scroll so nothing is cut off; a dialog shows its own keys, not the screen's under
it; the form never drops typing silently, and a save that can't happen goes to the field
that needs something.
"""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import Checkbox, Input, RadioSet

from planner.advice import decide
from planner.demo import DEMO_TODAY, demo_plan
from planner.paths import list_plans, plans_dir
from planner.store import load_plan
from planner.tui.app import make_app, pinned_clock
from planner.tui.dialogs.base import Dialog, DialogBody
from planner.tui.dialogs.decision import DecisionScreen
from planner.tui.dialogs.discard import DiscardDialog
from planner.tui.dialogs.export import ExportDialog
from planner.tui.dialogs.gate import GateDialog
from planner.tui.dialogs.help import HelpScreen
from planner.tui.dialogs.open_plan import OpenPlanDialog
from planner.tui.dialogs.pain import PainDialog
from planner.tui.dialogs.preview import ChangePreview
from planner.tui.dialogs.progress import ProgressScreen
from planner.tui.dialogs.quit import CANCEL, QuitDialog
from planner.tui.dialogs.safety import SafetyScreen
from planner.tui.dialogs.skip import SkipDialog
from planner.tui.dialogs.task_form import TaskDialog
from planner.tui.screens.new_plan import NewPlanScreen
from planner.tui.screens.plan import PlanScreen
from tests.test_tui_forms import fill
from tests.test_tui_plan import app_for, screen_text, wait_for

TODAY = DEMO_TODAY  # Tue 24 Nov 2026, day 4 of the forum runner's plan
SIZE = (80, 24)  # the smallest terminal the app is made for


def new_app(home):
    return make_app(None, home=home, today=TODAY, now=pinned_clock(TODAY))


def on_screen(app, widget) -> bool:
    """Whether all of `widget` is drawn: inside its scrolling body's view and the screen."""
    body = app.screen.query_one(DialogBody)
    screen = app.screen.region
    return body.region.contains_region(widget.region) and screen.contains_region(widget.region)


def bottom_line(app) -> str:
    """The screen's last line that shows anything: the key line."""
    return [line for line in screen_text(app).splitlines() if line.strip()][-1]


# ------------------------------------------------------------------ scrolling


async def test_help_scrolls_at_80x24_to_its_last_key_and_disclaimer(plan_path):
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        disclaimer = app.screen.query_one("#disclaimer")
        keys = app.screen.query_one("#help-keys")
        assert not on_screen(app, disclaimer)  # 23 keys don't fit 24 rows
        await pilot.press("end")
        await wait_for(pilot, lambda: on_screen(app, disclaimer))
        assert keys.region.bottom <= disclaimer.region.y  # the last key row is above it
        assert "q" in screen_text(app) and "quit (every change is already saved)" in (
            screen_text(app)
        )
        await pilot.press("home")
        await wait_for(pilot, lambda: not on_screen(app, disclaimer))


async def test_progress_scrolls_at_80x24_to_its_last_line(plan_path):
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("P")
        await wait_for(pilot, lambda: isinstance(app.screen, ProgressScreen))
        body = app.screen.query_one(DialogBody)
        last = body.children[-1]
        assert body.max_scroll_y > 0 and not on_screen(app, last)
        await pilot.press("end")
        await wait_for(pilot, lambda: on_screen(app, last))


# ------------------------------------------------------------------ escape


def _dialogs(folder, plan):
    """Each dialog as the plan screen (or the form) makes it, and what escape returns."""
    task = plan.day(TODAY).tasks[0]
    return {
        "help": (lambda: HelpScreen(), None),
        "progress": (lambda: ProgressScreen(plan, TODAY), None),
        "decision": (lambda: DecisionScreen(decide(plan, TODAY)), None),
        "pain": (lambda: PainDialog("Tue 24 Nov", 3, "tight"), None),
        "skip": (lambda: SkipDialog(task), None),
        "quit": (lambda: QuitDialog("disk full", ["a tick"]), CANCEL),
        "export": (lambda: ExportDialog(folder, "bristol-half"), None),
        "gate": (lambda: GateDialog("Thu 26 Nov", "left", None), None),
        "safety": (lambda: SafetyScreen(TODAY), None),
        "task": (lambda: TaskDialog("Tue 24 Nov", None), None),
        "preview": (lambda: ChangePreview("Pain 6/10", ["Wed 25 Nov: rest"]), False),
        "open": (lambda: OpenPlanDialog(folder, TODAY), None),
        "discard": (lambda: DiscardDialog(), False),
    }


@pytest.mark.parametrize("name", list(_dialogs(None, demo_plan(TODAY))))
async def test_escape_cancels_each_dialog_and_changes_nothing(plan_path, name):
    before = plan_path.read_bytes()
    make, cancelled = _dialogs(plan_path.parent, load_plan(plan_path))[name]
    app = app_for(plan_path)
    results = []
    async with app.run_test(size=SIZE) as pilot:
        dialog = make()
        assert isinstance(dialog, Dialog)
        app.push_screen(dialog, results.append)
        await wait_for(pilot, lambda: app.screen is dialog and dialog.query(DialogBody))
        # the dialog's own keys on the last line, escape first (once the footer is drawn)
        await wait_for(pilot, lambda: bottom_line(app).lstrip().startswith("esc "))
        shown = bottom_line(app)
        assert "Tick" not in shown and "Pain" not in shown.replace("Log pain", "")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
    assert results == [cancelled]
    assert plan_path.read_bytes() == before


async def test_the_cancel_button_is_escape(plan_path):
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, TaskDialog))
        await pilot.press(*"stretch")
        await pilot.click("#cancel")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
    assert not any(t.custom for t in load_plan(plan_path).day(TODAY).tasks)


# ------------------------------------------------------------------ the first-run form


async def test_escape_on_the_form_with_typing_asks_and_keeps_it(tmp_path):
    home = tmp_path / "home"
    app = new_app(home)
    async with app.run_test(size=SIZE) as pilot:
        form = app.screen
        assert isinstance(form, NewPlanScreen)
        await pilot.press(*"yesterday")
        await pilot.press("escape")  # leaves the text field, nothing more
        assert app.focused is None and app.screen is form
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, DiscardDialog))
        assert "Discard what you typed?" in screen_text(app)
        # the dialog's keys only: not the form's ctrl+s under it
        await wait_for(pilot, lambda: "Keep editing" in bottom_line(app))
        assert "Create" not in bottom_line(app)
        await pilot.press("escape")  # keep editing
        await wait_for(pilot, lambda: app.screen is form)
        assert form.query_one("#injury", Input).value == "yesterday"
        await pilot.press("enter")  # enter on the Keep editing default loses nothing either
        await pilot.press("q")  # off a text field q quits, and asks the same
        await wait_for(pilot, lambda: isinstance(app.screen, DiscardDialog))
        await pilot.press("enter")  # Keep editing has the focus
        await wait_for(pilot, lambda: app.screen is form)
        assert app.is_running and form.query_one("#injury", Input).value == "yesterday"
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, DiscardDialog))
        await pilot.click("#discard")
        await wait_for(pilot, lambda: not app.is_running)
    assert not list_plans(plans_dir(home))


async def test_escape_on_a_form_over_a_plan_goes_back_after_asking(plan_path):
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, NewPlanScreen))
        await pilot.press("escape", "escape")  # nothing typed: back at once
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, NewPlanScreen))
        await pilot.press(*"1 nov", "escape", "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, DiscardDialog))
        await pilot.click("#discard")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
    assert [p.name for p in list_plans(plan_path.parent)] == ["bristol-half.toml"]


async def to_safety_check(pilot) -> SafetyScreen:
    """Fill the form's dates and ask for the plan: the safety check comes up first."""
    await fill(pilot, "#injury", "yesterday")
    await fill(pilot, "#race", "29 Nov")
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, SafetyScreen))
    return pilot.app.screen


async def test_ctrl_s_in_the_safety_check_creates_the_plan(tmp_path):
    home = tmp_path / "home"
    app = new_app(home)
    async with app.run_test(size=SIZE) as pilot:
        safety = await to_safety_check(pilot)
        await wait_for(pilot, lambda: "^s Create plan" in bottom_line(app))
        first, second = safety.query(RadioSet)[:2]
        await pilot.press("right")  # the arrows choose: the first question reads Yes
        assert first.pressed_index == 1 and "EMERGENCY" in str(safety.query_one("#advice").render())
        await pilot.press("left")
        assert first.pressed_index == 0
        await pilot.press("ctrl+s")  # the second question isn't answered: go there, say so
        await wait_for(pilot, lambda: app.focused is second)
        need = safety.query_one(f"#need-{safety.flags[1].id}")
        assert "Answer this one" in str(need.render())
        assert isinstance(app.screen, SafetyScreen) and not list_plans(plans_dir(home))
        for radio in safety.query(RadioSet):
            radio.query("RadioButton")[0].value = True
        await pilot.pause()
        assert str(need.render()) == ""
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
    (path,) = list_plans(plans_dir(home))
    plan = load_plan(path)
    assert plan.safety.flags == [] and plan.safety.checked == TODAY
    assert plan.race_date == date(2026, 11, 29)


async def test_a_yes_needs_the_clinician_box_before_ctrl_s_makes_the_plan(tmp_path):
    home = tmp_path / "home"
    app = new_app(home)
    async with app.run_test(size=SIZE) as pilot:
        safety = await to_safety_check(pilot)
        for flag in safety.flags:
            yes = flag.id == "weight"
            safety.query_one(f"#flag-{flag.id}", RadioSet).query("RadioButton")[yes].value = True
        await pilot.pause()
        advice = str(safety.query_one("#advice").render())
        assert advice.startswith("See a clinician: a calf you can't stand on")
        await pilot.press("ctrl+s")
        cleared = safety.query_one("#cleared", Checkbox)
        await wait_for(pilot, lambda: app.focused is cleared)
        assert "clinician first" in str(safety.query_one("#cleared-need").render())
        await pilot.press("space", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
    (path,) = list_plans(plans_dir(home))
    safety = load_plan(path).safety
    assert safety.flags == ["weight"] and safety.clinician_cleared


async def test_a_failed_save_goes_to_the_first_field_that_needs_something(tmp_path):
    home = tmp_path / "home"
    app = new_app(home)
    async with app.run_test(size=SIZE) as pilot:
        form = app.screen
        await fill(pilot, "#race", "29 Nov")
        await fill(pilot, "#finish", "45")  # not a half marathon time
        await pilot.press("ctrl+s")
        injury = form.query_one("#injury", Input)
        await wait_for(pilot, lambda: app.focused is injury)  # first, though typed last
        hint = str(form.query_one("#form-hint").render())
        assert hint == "Not made yet. Injury date: see beside it."
        assert "no date given" in str(form.query_one("#injury-echo").render())
        await pilot.press(*"yesterday")
        assert str(form.query_one("#form-hint").render()) == ""  # put right: the hint goes
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.focused is form.query_one("#finish"))
        assert "Finish time" in str(form.query_one("#form-hint").render())
        assert app.screen is form and not list_plans(plans_dir(home))


async def test_the_gate_goes_to_the_first_missing_number(plan_path):
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(GateDialog("Thu 26 Nov", "left", None))
        await wait_for(pilot, lambda: app.screen.query("#raises"))
        gate = app.screen
        gate.query_one("#raises", Input).value = "25"
        gate.query_one("#walk", Input).value = "30"
        gate.query_one("#walk", Input).focus()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.focused is gate.query_one("#hops"))
        assert "Fill in raises, hops and minutes" in str(gate.query_one("#gate-verdict").render())
        assert app.screen is gate


async def test_a_wrong_pain_score_keeps_the_focus_and_says_why(plan_path):
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, PainDialog))
        dialog = app.screen
        score = dialog.query_one("#score", Input)
        await pilot.press("1", "2", "tab")
        await pilot.pause()
        await wait_for(pilot, lambda: app.focused is score)
        assert "0 (none) to 10" in str(dialog.query_one("#pain-error").render())
        await pilot.click("#note")  # nor by the mouse
        await pilot.pause()
        await wait_for(pilot, lambda: app.focused is score)
        await pilot.press("backspace", "tab")  # 1 is a score: tab moves on
        await wait_for(pilot, lambda: app.focused is dialog.query_one("#note"))
        assert str(dialog.query_one("#pain-error").render()) == ""
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
    assert load_plan(plan_path).day(TODAY).pain is None


# ------------------------------------------------------------------ what is shown is what is kept


async def test_the_skip_reason_highlighted_is_the_one_recorded(plan_path):
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        first = load_plan(plan_path).day(TODAY).tasks[0].id
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, SkipDialog))
        reasons = app.screen.query_one("#reason", RadioSet)
        await pilot.pause()
        # "Something else" is chosen at first, and the bar is on it, not on "Pain"
        assert reasons.pressed_index == 2 and reasons._selected == 2
        await pilot.press("up")  # the bar moves to Travel and Travel is chosen
        assert reasons.pressed_index == 1 and reasons._selected == 1
        await pilot.click("#skip")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
    assert load_plan(plan_path).day(TODAY).task(first).skip.value == "travel"


async def test_an_unticked_box_is_empty(plan_path):
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, PainDialog))
        box = app.screen.query_one("#at-rest", Checkbox)
        for theme in ("textual-dark", "textual-light"):
            app.theme = theme
            box.value = False
            await pilot.pause()
            off = box.get_visual_style("toggle--button")
            assert off.foreground == off.background  # the X is drawn in the box's colour
            box.value = True
            await pilot.pause()
            on = box.get_visual_style("toggle--button")
            assert on.foreground != on.background
