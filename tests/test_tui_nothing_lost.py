"""Pilot tests: the TUI loses nothing and never crashes on the paths runners take.

Quitting while a save fails, an undo another program made impossible, an own task whose
title cleans to nothing, a key pressed before the screen is built, type-ahead across days,
a TUI left open past midnight, a plan archived while open, the TUI beside the CLI.
Each drives the real app and ends by reading the file.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from datetime import timedelta

from planner.ops import AddTask
from planner.paths import archive_plan
from planner.store import PlanFile, load_plan
from planner.tui.app import make_app, pinned_clock
from planner.tui.dialogs.quit import QuitDialog
from planner.tui.dialogs.task_form import TaskDialog
from planner.tui.screens.plan import PlanScreen
from tests.test_tui_plan import SIZE, TODAY, screen_text, wait_for


def app_for(path, today=TODAY, clock=None):
    return make_app(
        path, home=path.parent.parent, today=today, now=pinned_clock(today), clock=clock
    )


def full_disk(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def notified(app) -> str:
    """Every notification the app has on screen now, as one text."""
    return " | ".join(n.message for n in app._notifications)


def keybar_text(app) -> str:
    """The footer's key descriptions, as one text."""
    from textual.widgets._footer import FooterKey

    return " ".join(key.description for key in app.screen.query(FooterKey))


async def test_quit_with_a_failing_save_asks_and_keeps_the_tick_until_told(plan_path, monkeypatch):
    app = app_for(plan_path)
    real_replace = os.replace
    async with app.run_test(size=SIZE) as pilot:
        assert "Retry save" not in keybar_text(app)
        monkeypatch.setattr(os, "replace", full_disk)
        await pilot.press("space")
        first = app.session.plan.day(TODAY).tasks[0]
        await wait_for(pilot, lambda: "Retry save" in keybar_text(app))
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, QuitDialog))
        shown = screen_text(app)
        assert "No space left on device" in shown and f"'{first.title}'" in shown
        await pilot.press("escape")  # cancel: still here, the tick still in memory
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        assert app.is_running and app.session.plan.day(TODAY).tasks[0].done
        monkeypatch.setattr(os, "replace", real_replace)  # the disk has room again
        await pilot.press("q")
        await wait_for(pilot, lambda: not app.is_running)  # saved on the way out
    assert load_plan(plan_path).day(TODAY).task(first.id).done


async def test_quit_anyway_says_what_is_lost_then_quits(plan_path, monkeypatch):
    before = plan_path.read_bytes()
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        monkeypatch.setattr(os, "replace", full_disk)
        await pilot.press("space")
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, QuitDialog))
        await pilot.click("#retry")  # still failing: the question comes back
        await wait_for(pilot, lambda: isinstance(app.screen, QuitDialog))
        assert "Quitting now loses this change" in screen_text(app)
        await pilot.click("#quit")
        await wait_for(pilot, lambda: not app.is_running)
    assert plan_path.read_bytes() == before


async def test_an_undo_another_program_made_impossible_is_shown_not_raised(plan_path):
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, TaskDialog))
        await pilot.press(*"Foam roll", "enter", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        own = next(t for t in load_plan(plan_path).day(TODAY).tasks if t.custom)
        await pilot.press("d")  # delete it: undo would put it back under its id
        await wait_for(pilot, lambda: load_plan(plan_path).day(TODAY).task(own.id) is None)
        other = PlanFile.open(plan_path)
        other.apply(AddTask(TODAY, own.id, "Someone else's task"))
        other.save()
        await wait_for(pilot, lambda: app.session.plan.day(TODAY).task(own.id) is not None)
        await pilot.press("u")
        await wait_for(pilot, lambda: "was not undone" in notified(app))
        assert app.is_running
    titles = [t.title for t in load_plan(plan_path).day(TODAY).tasks if t.custom]
    assert titles == ["Someone else's task"]


async def test_an_own_task_whose_title_is_only_control_characters_is_refused(plan_path):
    before = plan_path.read_bytes()
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, TaskDialog))
        app.screen.query_one("#title").value = "\u202e\u202e"
        await pilot.click("#save")
        await pilot.pause()
        assert app.is_running
        if isinstance(app.screen, TaskDialog):
            assert "needs a title" in screen_text(app)
            await pilot.press("escape")
    assert plan_path.read_bytes() == before


async def test_the_whole_plan_arriving_before_the_screen_is_built_is_shown(tmp_path):
    from tests.test_glimpse import INJURY, long_plan

    path = tmp_path / "plans" / "long.toml"
    path.parent.mkdir()
    PlanFile.create(path, long_plan(20, {3: 8}, set(), None))
    today = INJURY + timedelta(days=30)
    app = make_app(path, home=tmp_path, today=today, now=pinned_clock(today))
    screen = app.get_default_screen()  # the glimpse, not yet mounted
    assert app.session.file.partial
    app.finish_loading()  # a key arrived this early: it completes the read at once
    assert not app.session.file.partial and not screen.is_mounted


async def test_a_number_key_right_after_a_day_move_ticks_that_day(plan_path):
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        yesterday = TODAY - timedelta(days=1)
        # "h 1" typed ahead: the number key reaches the screen before the calendar's
        # message about the new day does.
        screen.action_move(-1)
        screen.action_tick_number(1)
        await pilot.pause()
    first_yesterday = load_plan(plan_path).day(yesterday).tasks[0]
    first_today = load_plan(plan_path).day(TODAY).tasks[0]
    assert not first_yesterday.done  # it was done before (the demo's history): now unticked
    assert not first_today.done


async def test_today_follows_the_clock_past_midnight(plan_path):
    now = [TODAY]
    app = app_for(plan_path, clock=lambda: now[0])
    tomorrow = TODAY + timedelta(days=1)
    async with app.run_test(size=SIZE) as pilot:
        assert f"{TODAY:%a %-d %b}" in screen_text(app) or "(today)" in screen_text(app)
        now[0] = tomorrow
        app.screen.poll_file()  # what the screen's one-second timer runs
        await wait_for(pilot, lambda: app.session.today == tomorrow)
        assert app.screen.selected == tomorrow
        await pilot.press("1")
    assert load_plan(plan_path).day(tomorrow).tasks[0].done
    assert not load_plan(plan_path).day(TODAY).tasks[0].done


async def test_a_pinned_today_stays(plan_path):
    app = app_for(plan_path)  # no clock: --today or a test
    async with app.run_test(size=SIZE) as pilot:
        app.check_the_date()
        await pilot.pause()
        assert app.session.today == TODAY


async def test_a_plan_archived_elsewhere_is_not_written_back(plan_path):
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        target = archive_plan(plan_path, plan_path.parent)
        await wait_for(pilot, lambda: app.screen.gone)
        banner = app.screen.query_one("#save-banner")
        assert banner.display and "gone" in str(banner.render())
        await pilot.press("space")  # refused while the file is gone
        await wait_for(pilot, lambda: "can't change here" in notified(app))
        assert app.is_running and not app.session.unsaved
    assert not plan_path.exists()
    assert load_plan(target) is not None


async def test_ticks_in_the_tui_beside_ticks_from_planner_processes(plan_path):
    env = dict(os.environ, PLANNER_HOME=str(plan_path.parent.parent))
    env["PLANNER_TODAY"] = TODAY.isoformat()
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        ids = [t.id for t in app.session.plan.day(TODAY).tasks]
        await pilot.press("1")
        result = subprocess.run(
            [sys.executable, "-m", "planner", "tick", ids[1], str(plan_path)],
            capture_output=True,
            text=True,
            env=env,
        )
        assert result.returncode == 0, result.stderr
        await pilot.press("3")  # at once: the save merges, no poll needed
        assert app.session.save_error is None and not app.session.unsaved
    day = load_plan(plan_path).day(TODAY)
    assert [day.task(i).done for i in ids[:3]] == [True, True, True]


async def test_text_pasted_into_any_field_loses_its_control_characters(plan_path):
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, TaskDialog))
        title = app.screen.query_one("#title")
        title.value = "Foam\x1b]52;c;aGk=\x07 roll\x1b[2J"
        # The escapes lose their ESC and BEL: what is left is harmless, visible text.
        await wait_for(pilot, lambda: title.value == "Foam]52;c;aGk= roll[2J")
        await pilot.press("escape")
