"""Notes on a task in the TUI: N writes one on the highlighted task (saved at once, shown
under it as typed, u puts the old one back), and a skip for something else takes words.
Each test drives the real app and then reads the file on disk."""

from __future__ import annotations

from textual.widgets import Input, RadioSet

from planner.store import load_plan
from planner.tui.dialogs.skip import SkipDialog
from planner.tui.dialogs.task_note import TaskNoteDialog
from planner.tui.screens.plan import PlanScreen
from planner.tui.widgets.checklist import DayChecklist
from tests.test_tui_plan import SIZE, TODAY, app_for, screen_text, wait_for

MARKUP = "[bold]x[/] [@click=app.quit]q[/]"


def task_on_disk(path, index):
    return load_plan(path).day(TODAY).tasks[index]


async def test_n_writes_a_note_shown_under_the_task_and_u_puts_the_old_one_back(plan_path):
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down")  # the second task
        await pilot.press("N")
        await wait_for(pilot, lambda: isinstance(app.screen, TaskNoteDialog))
        assert app.screen.query_one("#note", Input).value == ""
        await pilot.press(*"tight at rep 10", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        assert task_on_disk(plan_path, 1).note == "tight at rep 10"
        await pilot.pause()
        assert "Note: tight at rep 10" in screen_text(app)

        await pilot.press("N")  # prefilled with the note; a new one replaces it
        await wait_for(pilot, lambda: isinstance(app.screen, TaskNoteDialog))
        field = app.screen.query_one("#note", Input)
        assert field.value == "tight at rep 10"
        field.value = MARKUP
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        assert task_on_disk(plan_path, 1).note == MARKUP
        await pilot.pause()
        assert f"Note: {MARKUP}" in screen_text(app)  # as typed: never markup
        assert app.is_running  # the [@click=app.quit] in it ran nothing

        await pilot.press("u")
        await wait_for(pilot, lambda: task_on_disk(plan_path, 1).note == "tight at rep 10")
        await pilot.press("u")
        await wait_for(pilot, lambda: task_on_disk(plan_path, 1).note is None)


async def test_a_closed_task_with_a_note_says_noted_and_opens_to_show_it(plan_path):
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("N")
        await wait_for(pilot, lambda: isinstance(app.screen, TaskNoteDialog))
        await pilot.press(*"felt fine", "enter")
        await wait_for(pilot, lambda: task_on_disk(plan_path, 0).note == "felt fine")
        await pilot.press("down")
        await pilot.pause()
        rows = app.screen.query_one(DayChecklist).rows
        first = rows[0].body.plain
        assert "noted" in first and "felt fine" not in first
        await pilot.press("up")
        await pilot.pause()
        assert "Note: felt fine" in app.screen.query_one(DayChecklist).rows[0].body.plain


async def test_an_emptied_note_is_cleared_and_escape_changes_nothing(plan_path):
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("N")
        await wait_for(pilot, lambda: isinstance(app.screen, TaskNoteDialog))
        await pilot.press(*"x", "enter")
        await wait_for(pilot, lambda: task_on_disk(plan_path, 0).note == "x")
        before = plan_path.read_bytes()
        await pilot.press("N")
        await wait_for(pilot, lambda: isinstance(app.screen, TaskNoteDialog))
        await pilot.press("backspace", "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        assert plan_path.read_bytes() == before
        await pilot.press("N")
        await wait_for(pilot, lambda: isinstance(app.screen, TaskNoteDialog))
        await pilot.press("backspace")
        await pilot.click("#save")
        await wait_for(pilot, lambda: task_on_disk(plan_path, 0).note is None)


async def test_a_skip_for_something_else_takes_words_kept_as_the_note(plan_path):
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, SkipDialog))
        field = app.screen.query_one("#skip-note", Input)
        assert app.screen.query_one("#reason", RadioSet).pressed_index == 2
        assert field.display  # "Something else" is chosen: the words are asked for
        await pilot.press("tab", *"dentist ran late", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        task = task_on_disk(plan_path, 0)
        assert (task.skip.value, task.note) == ("other", "dentist ran late")
        await pilot.press("u")  # the skip and its words come back together
        await wait_for(pilot, lambda: task_on_disk(plan_path, 0).skip is None)
        assert task_on_disk(plan_path, 0).note is None


async def test_pain_and_travel_ask_no_words_and_leave_the_note(plan_path):
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("N")
        await wait_for(pilot, lambda: isinstance(app.screen, TaskNoteDialog))
        await pilot.press(*"mine", "enter")
        await wait_for(pilot, lambda: task_on_disk(plan_path, 0).note == "mine")
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, SkipDialog))
        field = app.screen.query_one("#skip-note", Input)
        assert field.value == "mine"  # the task's note, to change or keep
        await pilot.press("up")  # Travel
        await pilot.pause()
        assert not field.display
        await pilot.click("#skip")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
    task = task_on_disk(plan_path, 0)
    assert (task.skip.value, task.note) == ("travel", "mine")


async def test_a_read_only_plan_opens_no_note_dialog(plan_path):
    text = plan_path.read_text().replace("schema_version = 1", "schema_version = 2", 1)
    plan_path.write_text(text)
    before = plan_path.read_bytes()
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("N")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
    assert plan_path.read_bytes() == before
