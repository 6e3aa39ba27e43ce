"""Pilot tests: a file name holding escapes or markup reaches the screen cleaned and literal.

The load-error screen and the plan switcher show file names and paths; an OSC 52 (set the
clipboard) or a CSI 2J (clear the screen) in a name must never reach the terminal, and
brackets in a name must be shown, not parsed as markup.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input

from planner.demo import demo_plan
from planner.store import PlanFile, backup_path, dumps_plan
from planner.tui.dialogs.open_plan import OpenPlanDialog
from planner.tui.screens.load_error import LoadErrorScreen
from planner.tui.screens.plan import PlanScreen
from tests.test_tui_plan import TODAY, app_for, screen_text, wait_for

SIZE = (200, 40)  # wide enough that no name wraps
LEAKS = ("\x1b", "\x07", "\x9b")
# What a file name holds (an unclosed click tag: a name can't hold the "/" of "[/]"), and
# what the screen must show for it.
HOSTILE = "x\x1b]52;c;aGk=\x07[@click=app.quit]q\x1b[2J"
SHOWN = "x]52;c;aGk=[@click=app.quit]q[2J"


def no_leaks(app) -> str:
    """The screen as text, after checking no control character reached it."""
    svg = app.export_screenshot()
    for leak in LEAKS:
        assert leak not in svg, f"{leak!r} reached the screen"
    return screen_text(app)


@pytest.mark.parametrize("backup", ["none", "good"])
async def test_load_error_screen_shows_a_hostile_file_name_cleaned(tmp_path, monkeypatch, backup):
    plans = tmp_path / "plans"
    plans.mkdir()
    monkeypatch.chdir(plans)  # a short relative path: the dialog wraps a long one
    path = Path(f"{HOSTILE}.toml")
    path.write_text("schema_version = 1\n[plan\n")
    if backup == "good":
        backup_path(path).write_text(dumps_plan(demo_plan(TODAY)))
    app = app_for(path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LoadErrorScreen))
        await wait_for(pilot, lambda: "aGk=" in screen_text(app))  # drawn, cleaned or not
        # Shown literally: parsed as markup, the click tag would be gone from the screen.
        assert f"{SHOWN}.toml:2:" in no_leaks(app)
        error = str(app.screen.query_one("#error-text").render())
        assert error.startswith(f"{SHOWN}.toml:2:")
        note = str(app.screen.query_one("#backup-note").render())
        assert f"{SHOWN}.toml.bak" in note
        await pilot.click("#error-text")
        await pilot.click("#backup-note")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, LoadErrorScreen)


async def test_switcher_shows_hostile_file_names_cleaned(tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    PlanFile.create(plans / "bristol-half.toml", demo_plan(TODAY))
    PlanFile.create(plans / f"good{HOSTILE}.toml", demo_plan(TODAY))
    (plans / f"bad{HOSTILE}.toml").write_text("schema_version = 1\n[plan\n")
    app = app_for(plans / "bristol-half.toml")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, OpenPlanDialog))
        await wait_for(pilot, lambda: screen_text(app).count("aGk=") == 2)
        shown = no_leaks(app)
        assert f"bad{SHOWN}.toml: can't be read" in shown and f"good{SHOWN}.toml" in shown
        # A pasted path that holds an escape is shown cleaned, and so is the error naming it.
        field = app.screen.query_one("#path", Input)
        field.post_message(events.Paste(f"/nowhere/{HOSTILE}"))
        await wait_for(pilot, lambda: field.value == f"/nowhere/{SHOWN}")
        no_leaks(app)
        await pilot.click("#open")
        error = app.screen.query_one("#open-error")
        await wait_for(pilot, lambda: "No file" in str(error.render()))
        assert str(error.render()) == f"No file at /nowhere/{SHOWN}"
        no_leaks(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
