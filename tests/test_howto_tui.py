"""The plan screen's `i`: the highlighted task's steps in a dialog, or a plain word that it
has none; in help and the palette, out of the footer (no room at 80 columns)."""

from __future__ import annotations

from textual.widgets import Static

from planner.rules import load_rules
from planner.tui.dialogs.howto import HowToDialog
from planner.tui.keys import KEYS
from tests.test_tui_keys import footer
from tests.test_tui_plan import SIZE, app_for, screen_text, today_on_disk, wait_for


def notes(app) -> str:
    return " | ".join(n.message for n in app._notifications)


def steps_of(title: str) -> tuple[str, ...]:
    return next(t.how for t in load_rules().tasks if t.title == title)


def words(text: str) -> str:
    return " ".join(text.split())


async def test_i_shows_the_highlighted_exercises_steps(plan_path):
    before = plan_path.read_bytes()
    app = app_for(plan_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("i")  # day 4: single-leg raises are highlighted first
        await wait_for(pilot, lambda: isinstance(app.screen, HowToDialog))
        shown = words(str(app.screen.query_one("#howto-steps", Static).render()))
        assert shown.startswith("How to: Single-leg calf raises, left calf 3 x 10-15")
        for number, step in enumerate(steps_of("Single-leg calf raises, {calf}"), 1):
            assert f"{number}. {step}" in shown
        # and on the screen itself, at 80 columns (a line may wrap inside the box)
        assert "How to: Single-leg calf raises" in words(screen_text(app))
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, HowToDialog))
        await pilot.press("down", "i")  # calf stretches
        await wait_for(pilot, lambda: isinstance(app.screen, HowToDialog))
        assert "1. Hands on a wall" in words(str(app.screen.query_one("#howto-steps").render()))
        await pilot.press("i")  # i closes it too
        await wait_for(pilot, lambda: not isinstance(app.screen, HowToDialog))
    assert plan_path.read_bytes() == before  # reading steps writes nothing


async def test_a_task_without_steps_says_so_instead_of_opening_an_empty_dialog(plan_path):
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "down", "down", "i")  # heat before exercise
        await wait_for(pilot, lambda: "No steps" in notes(app))
        assert "No steps for 'Heat before exercise': only exercises have them." in notes(app)
        assert not isinstance(app.screen, HowToDialog)


async def test_the_runners_own_task_has_no_steps(plan_path):
    from planner.tui.dialogs.task_form import TaskDialog

    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, TaskDialog))
        await pilot.press(*"Calf stretches", "ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, TaskDialog))
        await wait_for(pilot, lambda: today_on_disk(plan_path).tasks[-1].custom)
        await pilot.press("i")  # the new task is highlighted
        await wait_for(pilot, lambda: "No steps" in notes(app))
        assert "No steps for your own task" in notes(app)
        assert not isinstance(app.screen, HowToDialog)


async def test_i_works_from_the_calendar_and_the_palette_offers_it(plan_path):
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("tab")  # the calendar has focus: the hidden screen binding acts
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(app.screen, HowToDialog))
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, HowToDialog))
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        command = commands["How to do the highlighted task"]
        assert "key i" in command.help
        command.callback()
        await wait_for(pilot, lambda: isinstance(app.screen, HowToDialog))


async def test_the_key_stays_out_of_the_footer(plan_path):
    (key,) = [k for k in KEYS if k.keys == "i"]
    assert key.footer is False and key.where == "checklist"
    app = app_for(plan_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "i" not in footer(app) and "space" in footer(app)
