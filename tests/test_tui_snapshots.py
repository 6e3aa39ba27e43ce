"""Snapshots of every screen as a runner sees it (pytest-textual-snapshot).

Each test drives the real app at a pinned today and compares the SVG it draws with the one
a person looked at and accepted, in tests/__snapshots__/. A change to any screen fails
here until it is looked at again: `pytest tests/test_tui_snapshots.py --snapshot-update`
writes the new pictures, to be checked before they are committed.

The plan lives at a relative path under the test's own folder, so no screen shows a path
that changes from one run to the next.
"""

from __future__ import annotations

import errno
import os
from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import Input, RadioSet

from planner.demo import DEMO_TODAY
from planner.tui.app import make_app, pinned_clock

TODAY = DEMO_TODAY  # Tue 24 Nov 2026, day 4 of the forum runner's plan
HOME = Path("home")
PLAN = HOME / "plans" / "bristol-half.toml"  # relative: the `here` fixture's (conftest)


@pytest.fixture(autouse=True)
def still_cursor(monkeypatch):
    """A text cursor that doesn't blink, so a snapshot never catches it half-way."""
    monkeypatch.setattr(Input.cursor_blink, "_default", False)


def plan_app(theme: str = "textual-dark", today=TODAY):
    app = make_app(PLAN, home=HOME, today=today, now=pinned_clock(today), remember_plans=False)
    app.theme = theme
    return app


def form_app():
    return make_app(None, home=HOME, today=TODAY, now=pinned_clock(TODAY), remember_plans=False)


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_the_plan_screen(here, snap_compare, theme, size):
    assert snap_compare(plan_app(theme), terminal_size=size)


DIALOGS = {
    "help": ["question_mark"],
    "progress": ["P"],
    "pain": ["p"],
    "skip": ["x"],
    "race-call": ["D"],
    "export": ["e"],
    "own-task": ["a"],
    "switch-plan": ["o"],
    "pain-preview": ["p", "5", "ctrl+s"],
    "task-note": ["down", "N", *"tight at rep 10"],
    "howto": ["i"],
}


@pytest.mark.parametrize("keys", list(DIALOGS.values()), ids=list(DIALOGS))
def test_each_dialog(here, snap_compare, keys):
    assert snap_compare(plan_app(), press=[*keys, "_"], terminal_size=(80, 24))


def test_the_progress_chart_wide_on_race_day(here, snap_compare):
    race_day = TODAY + timedelta(days=5)  # Sun 29 Nov: days without a log are gaps

    async def ran_and_logged(pilot):
        await pilot.pause()  # the plan screen mounted
        session = pilot.app.session
        session.set_done(race_day - timedelta(days=2), "run", True)
        session.log_pain(race_day - timedelta(days=2), 1)
        screen = pilot.app.screen
        screen.render_all()  # as after a tick in the app
        for _ in range(50):  # the side chart mounts after the first frame: wait for it
            if screen._side_chart is not None and screen._side_chart.size.height:
                break
            await pilot.pause()
        await pilot.pause()
        await pilot.press("P")
        await pilot.pause()

    app = plan_app(today=race_day)
    assert snap_compare(app, run_before=ran_and_logged, terminal_size=(160, 50))


def test_a_note_under_its_task(here, snap_compare):
    keys = ["down", "N", *"tight at rep 10 [b]not bold[/b]", "enter", "_"]
    assert snap_compare(plan_app(), press=keys, terminal_size=(80, 24))


def test_the_plan_change_form(here, snap_compare):
    """E: the new-plan form filled in with the plan's inputs, the injury date read-only."""

    async def open_form(pilot):
        await pilot.press("E")
        await pilot.pause()

    assert snap_compare(plan_app(), run_before=open_form, terminal_size=(80, 24))


def test_the_run_gate_on_its_day(here, snap_compare):
    gate_day = TODAY + timedelta(days=2)  # Thu 26 Nov
    assert snap_compare(plan_app(today=gate_day), press=["g", "_"], terminal_size=(80, 24))


def test_the_minutes_of_a_run(here, snap_compare):
    run_day = TODAY + timedelta(days=3)  # Fri 27 Nov: the walk-run comes first on the day
    assert snap_compare(plan_app(today=run_day), press=["space", "_"], terminal_size=(80, 24))


def test_the_form_with_its_errors(here, snap_compare):
    async def wrong_dates(pilot):
        for selector, text in (("#injury", "31 Feb"), ("#race", "last week")):
            field = pilot.app.screen.query_one(selector, Input)
            field.focus()
            await pilot.press(*text)
        await pilot.press("ctrl+s")

    assert snap_compare(form_app(), run_before=wrong_dates, terminal_size=(80, 24))


def test_the_safety_check(here, snap_compare):
    async def to_safety(pilot):
        screen = pilot.app.screen
        for selector, text in (("#injury", "yesterday"), ("#race", "29 Nov")):
            field = screen.query_one(selector, Input)
            field.focus()
            await pilot.press(*text)
        screen.query_one("#side", RadioSet).query("RadioButton")[0].value = True
        await pilot.press("ctrl+s")
        await pilot.pause()

    assert snap_compare(form_app(), run_before=to_safety, terminal_size=(100, 30))


def test_the_question_before_typing_is_dropped(here, snap_compare):
    async def typed_then_escape(pilot):
        field = pilot.app.screen.query_one("#injury", Input)
        field.focus()
        await pilot.press("2", "0", "escape", "escape")
        await pilot.pause()

    assert snap_compare(form_app(), run_before=typed_then_escape, terminal_size=(80, 24))


def test_the_load_error_screen(here, snap_compare):
    PLAN.write_text('schema_version = 1\n[plan]\nname = "Bristol"\ninjury_date = 2026-13-01\n')
    assert snap_compare(plan_app(), terminal_size=(80, 24))


def test_quitting_while_a_save_fails(here, snap_compare, monkeypatch):
    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    async def tick_then_quit(pilot):
        monkeypatch.setattr(os, "replace", full_disk)
        await pilot.press("space")
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()

    assert snap_compare(plan_app(), run_before=tick_then_quit, terminal_size=(80, 24))
