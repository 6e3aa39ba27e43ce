"""Pilot tests of the inputs of protocol 2 as the runner gives them in the TUI: the muscle
questions of a strain, the expected finish time, a cramp that keeps coming back, the sprint
distance and the other calf's count at the run gate. Each ends on the TOML file on disk."""

from __future__ import annotations

import tomllib
from datetime import date

import pytest
from textual.widgets import Button, Checkbox, Input, RadioButton, RadioSet

from planner.demo import demo_plan
from planner.model import Muscle
from planner.paths import list_plans, plans_dir
from planner.store import PlanFile
from planner.tui.app import make_app, pinned_clock
from planner.tui.dialogs.gate import GateDialog
from planner.tui.dialogs.preview import ChangePreview
from planner.tui.dialogs.safety import SafetyScreen
from planner.tui.screens.new_plan import NewPlanScreen
from planner.tui.screens.plan import PlanScreen
from planner.tui.widgets.muscle_question import pick_muscle, planned_words
from tests.test_tui_forms import answer_safety, fill
from tests.test_tui_plan import app_for, wait_for

TODAY = date(2026, 11, 25)
SIZE = (80, 24)  # the smallest terminal the form is made for: it scrolls
GATE_DAY = date(2026, 11, 26)  # the forum runner's gate (race-3)

G, S, U = Muscle.GASTROCNEMIUS, Muscle.SOLEUS, Muscle.UNSURE
START = {G: 0, S: 1, U: 2}  # the answers of "How did it start?", in order
WORSE = {G: 0, S: 1, U: 2}  # the answers of "Which hurts more?", in order


def new_app(home):
    return make_app(None, home=home, today=TODAY, now=pinned_clock(TODAY))


def saved(home) -> dict:
    """The one plan file in the home's plans folder, as TOML."""
    (path,) = list_plans(plans_dir(home))
    return tomllib.loads(path.read_text(encoding="utf-8"))


async def choose(pilot, set_id: str, index: int) -> None:
    """Click one answer of a radio set, scrolled into view first, as a runner would."""
    button = pilot.app.screen.query_one(f"#{set_id}", RadioSet).query(RadioButton)[index]
    button.scroll_visible(animate=False, immediate=True)
    await pilot.pause()
    await pilot.click(button)
    await wait_for(pilot, lambda: button.value)


async def dates(pilot) -> None:
    await fill(pilot, "#injury", "yesterday")
    await fill(pilot, "#race", "2027-01-10")


async def create(pilot) -> None:
    """Create, answer no to every red flag, and wait for the plan screen."""
    app = pilot.app
    assert not app.screen.query_one("#create", Button).disabled
    await pilot.click("#create")
    await wait_for(pilot, lambda: isinstance(app.screen, SafetyScreen))
    await answer_safety(pilot)
    await pilot.click("#create")
    await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))


def test_two_answers_pick_a_muscle_only_when_they_agree():
    assert pick_muscle(G, G) == G and pick_muscle(S, S) == S
    for start, worse in ((G, S), (S, G), (G, U), (U, S), (U, U), (None, S), (None, None)):
        assert pick_muscle(start, worse) == U
    assert planned_words(S, S) == "Planned as: soleus strain (slower to heal)"
    assert "answers differ" in planned_words(G, S)
    assert "unsure" in planned_words(U, G) and "soleus" in planned_words(U, G)


@pytest.mark.parametrize(
    ("start", "worse", "muscle"),
    [(S, S, "soleus"), (G, S, "unsure"), (G, G, "gastrocnemius")],
    ids=["soleus", "answers-disagree", "gastrocnemius"],
)
async def test_the_muscle_questions_pick_the_muscle_in_the_file(tmp_path, start, worse, muscle):
    home = tmp_path / "home"
    app = new_app(home)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await dates(pilot)
        assert screen.query_one("#muscle-box").display  # a strain is the default
        await choose(pilot, "muscle-start", START[start])
        await choose(pilot, "muscle-worse", WORSE[worse])
        picked = str(screen.query_one("#muscle-picked").render())
        assert picked.startswith("Planned as: ")
        assert ("gastrocnemius" if muscle == "gastrocnemius" else "soleus") in picked
        await create(pilot)
    plan = saved(home)["plan"]
    assert plan["injury"] == "strain" and plan["muscle"] == muscle


async def test_the_muscle_questions_answer_by_keyboard(tmp_path):
    home = tmp_path / "home"
    app = new_app(home)
    async with app.run_test(size=SIZE) as pilot:
        await dates(pilot)
        await pilot.press("tab", "tab", "tab")  # past the race date: kind, grade, first question
        assert app.focused.id == "muscle-start"
        picked = app.screen.query_one("#muscle-picked")
        assert "safe guess when unsure" in str(picked.render())  # nothing answered yet
        await pilot.press("down", "enter")  # "it built up in a run"
        await pilot.press("tab", "right", "enter")  # "knee bent"
        assert str(picked.render()) == "Planned as: soleus strain (slower to heal)"
        await create(pilot)
    assert saved(home)["plan"]["muscle"] == "soleus"


async def test_a_finish_time_is_saved_in_minutes(tmp_path):
    home = tmp_path / "home"
    app = new_app(home)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await dates(pilot)
        await choose(pilot, "distance", 4)  # marathon
        await fill(pilot, "#finish", "3:30")
        assert "210 min" in str(screen.query_one("#finish-echo").render())
        await create(pilot)
    plan = saved(home)["plan"]
    assert plan["distance"] == "marathon" and plan["finish_minutes"] == 210


@pytest.mark.parametrize(
    ("typed", "said"),
    [("3:3o", "is not a finish time"), ("45", "not a marathon finish time")],
    ids=["unreadable", "out-of-range"],
)
async def test_a_bad_finish_time_is_shown_beside_it_and_makes_no_plan(tmp_path, typed, said):
    home = tmp_path / "home"
    app = new_app(home)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await dates(pilot)
        await choose(pilot, "distance", 4)
        await fill(pilot, "#finish", typed)
        assert said in str(screen.query_one("#finish-echo").render())
        assert screen.query_one("#create", Button).disabled
        await pilot.press("ctrl+s")  # refused too: the form stays
        await pilot.pause()
        assert isinstance(app.screen, NewPlanScreen)
    assert not list_plans(plans_dir(home))


async def test_a_cramp_that_keeps_coming_back_is_recurrent_in_the_file(tmp_path):
    home = tmp_path / "home"
    app = new_app(home)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await dates(pilot)
        assert not screen.query_one("#recurrent-box").display  # not asked of a strain
        await choose(pilot, "kind", 0)  # cramp
        assert screen.query_one("#recurrent-box").display
        assert not screen.query_one("#muscle-box").display
        box = screen.query_one("#recurrent", Checkbox)
        box.scroll_visible(animate=False, immediate=True)
        await pilot.pause()
        await pilot.click(box)
        await wait_for(pilot, lambda: box.value)
        await create(pilot)
    plan = saved(home)["plan"]
    assert plan["injury"] == "cramp" and plan["recurrent"] is True and "muscle" not in plan


async def test_a_sprint_has_no_finish_time(tmp_path):
    home = tmp_path / "home"
    app = new_app(home)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await dates(pilot)
        await fill(pilot, "#finish", "1:55")  # typed for the half, then the runner picks sprint
        await choose(pilot, "distance", 0)
        sprint = screen.query_one("#distance", RadioSet).query(RadioButton)[0]
        assert str(sprint.label) == "Sprint (60-400 m)" and sprint.value
        assert screen.query_one("#finish", Input).disabled
        assert "sprint" in str(screen.query_one("#finish-echo").render())
        await create(pilot)
    plan = saved(home)["plan"]
    assert plan["distance"] == "sprint" and "finish_minutes" not in plan


@pytest.fixture
def gate_plan(tmp_path):
    path = tmp_path / "plans" / "bristol-half.toml"
    path.parent.mkdir()
    PlanFile.create(path, demo_plan(GATE_DAY))
    return path


def gate_on_disk(path) -> dict:
    days = tomllib.loads(path.read_text(encoding="utf-8"))["days"]
    return next(day for day in days if day["date"] == GATE_DAY)["gate"]


@pytest.mark.parametrize(("raises", "passed"), [("26", False), ("27", True)])
async def test_the_gate_needs_ninety_percent_of_the_other_side(gate_plan, raises, passed):
    app = app_for(gate_plan, GATE_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, GateDialog))
        # raises, then the other calf, hops and minutes: enter moves on until all are in
        await pilot.press(*raises, "enter", "3", "0", "enter", "1", "0", "enter", "3", "0")
        verdict = str(app.screen.query_one("#gate-verdict").render())
        if passed:
            assert verdict.startswith("Passed")
        else:
            assert "Not passed yet" in verdict
            assert "Needs 27 raises: 90% of the other side's 30" in verdict
        await pilot.press("enter")  # records
        await wait_for(pilot, lambda: isinstance(app.screen, ChangePreview | PlanScreen))
        if isinstance(app.screen, ChangePreview):
            await pilot.press("enter")  # accept the re-plan that comes with it
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
    gate = gate_on_disk(gate_plan)
    assert (gate["raises"], gate["other_side"], gate["passed"]) == (int(raises), 30, passed)


async def test_the_other_side_is_optional_and_its_need_shows_first(gate_plan):
    app = app_for(gate_plan, GATE_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, GateDialog))
        dialog = app.screen
        dialog.query_one("#other", Input).value = "40"
        await pilot.pause()
        assert "needs 36 raises" in str(dialog.query_one("#gate-verdict").render())
        dialog.query_one("#other", Input).value = ""
        for name, value in (("raises", "25"), ("hops", "10"), ("walk", "30")):
            dialog.query_one(f"#{name}", Input).value = value
        await pilot.pause()
        assert str(dialog.query_one("#gate-verdict").render()).startswith("Passed")
        # every field and both buttons are inside the dialog at 80x24
        box = dialog.query_one("#gate-dialog").region
        assert dialog.region.contains_region(box)
        for widget in (*dialog.query(Input), *dialog.query(Button)):
            assert box.contains_region(widget.region), widget
        await pilot.click("#record")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
    gate = gate_on_disk(gate_plan)
    assert gate["passed"] is True and "other_side" not in gate
