"""Pilot tests of the plan screen: each drives the real app and ends by reading the file."""

from __future__ import annotations

import asyncio
import errno
import html
import os
import re
from datetime import date, timedelta

import pytest

from planner.demo import DEMO_TODAY, demo_plan
from planner.ops import SetDone
from planner.store import PlanFile, load_plan
from planner.tui.app import make_app, pinned_clock
from planner.tui.screens.plan import PlanScreen
from planner.tui.widgets.calendar import MonthCalendar
from planner.tui.widgets.checklist import DayChecklist
from planner.tui.widgets.header_bar import HeaderBar

TODAY = DEMO_TODAY  # Tue 24 Nov 2026, day 4 of the forum runner's plan
SIZE = (120, 40)


def app_for(path, today=TODAY):
    return make_app(path, home=path.parent.parent, today=today, now=pinned_clock(today))


async def wait_for(pilot, condition, timeout=5.0):
    """Let the app run until `condition()` holds (never a fixed sleep)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "condition not met in time"
        await pilot.pause(0.05)


def screen_text(app) -> str:
    """What the screen shows, as plain text (from the app's own SVG screenshot)."""
    svg = app.export_screenshot()
    body = svg[svg.index("<g class") :] if "<g class" in svg else svg
    return html.unescape(re.sub(r"<[^>]+>", "", body)).replace("\xa0", " ")


def today_on_disk(path, when=TODAY):
    return load_plan(path).day(when)


async def test_plan_screen_shows_the_day_and_ticks_with_space_and_enter(plan_path):
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, PlanScreen)
        header = str(screen.query_one("#plan-header").render())
        assert "Bristol Half" in header and "day 4 since injury" in header
        assert "race in 5 days" in header and "Recover" in header
        checklist = screen.query_one(DayChecklist)
        assert checklist.option_count == len(today_on_disk(plan_path).tasks)
        first = today_on_disk(plan_path).tasks[0].id
        await pilot.press("space")
        assert today_on_disk(plan_path).task(first).done
        assert screen.query_one(HeaderBar).status.plain.startswith("✓ saved")
        await pilot.press("space")
        assert not today_on_disk(plan_path).task(first).done
        await pilot.press("down", "enter")
        second = today_on_disk(plan_path).tasks[1]
        assert second.done and second.done_at is not None


async def test_click_ticks_and_number_keys_tick(plan_path):
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        tasks = today_on_disk(plan_path).tasks
        await pilot.click(DayChecklist, offset=(6, 0))  # on the words: highlights only
        assert not today_on_disk(plan_path).task(tasks[0].id).done
        await pilot.click(DayChecklist, offset=(1, 0))  # on the box: ticks
        assert today_on_disk(plan_path).task(tasks[0].id).done
        await pilot.press("3")
        assert today_on_disk(plan_path).task(tasks[2].id).done
        await pilot.press("3")
        assert not today_on_disk(plan_path).task(tasks[2].id).done


async def test_log_pain_then_undo_it_and_a_tick(plan_path):
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await wait_for(pilot, lambda: app.screen.id != "_default" and app.screen.query("#score"))
        await pilot.press("4", "enter", *"tight [b]calf[/b]", "enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ in ("PlanScreen", "ChangePreview"))
        if type(app.screen).__name__ == "ChangePreview":  # what amber changes ahead: accept
            await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        day = today_on_disk(plan_path)
        assert (day.pain, day.note) == (4, "tight [b]calf[/b]")
        assert "4/10" in str(app.screen.query_one("#pain").render())
        first = day.tasks[0].id
        await pilot.press("space")
        assert today_on_disk(plan_path).task(first).done
        await pilot.press("u")
        assert not today_on_disk(plan_path).task(first).done
        await pilot.press("u")
        day = today_on_disk(plan_path)
        assert day.pain is None and day.note is None


async def test_pain_dialog_refuses_a_score_outside_0_to_10(plan_path):
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await wait_for(pilot, lambda: app.screen.query("#score"))
        await pilot.press("1", "2", "enter")  # 12 is refused; the score field keeps focus
        await pilot.press("tab", "enter")
        assert app.screen.query("#score"), "the dialog stayed open"
        assert "0 (none) to 10" in str(app.screen.query_one("#pain-error").render())
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
    assert today_on_disk(plan_path).pain is None


async def test_moving_between_days_and_months_changes_nothing_on_disk(plan_path):
    before = plan_path.read_bytes()
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        calendar = screen.query_one(MonthCalendar)
        await pilot.press("right")
        assert screen.selected == TODAY + timedelta(days=1)
        await pilot.press("left", "left")
        assert screen.selected == TODAY - timedelta(days=1)
        assert "Mon 23 Nov 2026" in str(screen.query_one("#day-title").render())
        await pilot.press("right_square_bracket")
        assert screen.selected == date(2026, 12, 13)  # clamped to the plan's last day
        assert calendar.selected.month == 12
        await pilot.press("left_square_bracket")
        assert screen.selected.month == 11
        await pilot.press("r")
        assert screen.selected == date(2026, 11, 29)
        await pilot.press("t")
        assert screen.selected == TODAY
        calendar.focus()
        await pilot.press("down", "l", "k")
        assert screen.selected == TODAY + timedelta(days=1)
        # a future day can't be ticked
        await pilot.press("tab", "space")
    assert plan_path.read_bytes() == before


async def test_clicking_a_calendar_day_selects_it(plan_path):
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        calendar = screen.query_one(MonthCalendar)
        x = 4 * calendar.cell_width() + 1  # Friday column
        y = 2  # the first row: the weeks start at the injury's, 16-22 Nov
        assert calendar.date_at(x, y) == date(2026, 11, 20)
        await pilot.click(MonthCalendar, offset=(x, y))
        assert screen.selected == date(2026, 11, 20)


async def test_reopening_shows_the_ticks(plan_path):
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "down", "space")
    again = app_for(plan_path)
    async with again.run_test(size=SIZE):
        checklist = again.screen.query_one(DayChecklist)
        for row in checklist.rows[:2]:
            assert row.box.plain.strip() == "[x]"
    day = today_on_disk(plan_path)
    assert day.tasks[0].done and day.tasks[1].done


async def test_a_failing_save_shows_a_banner_keeps_the_tick_and_retries(plan_path, monkeypatch):
    before = plan_path.read_bytes()
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        real_replace = os.replace

        def full_disk(*args, **kwargs):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(os, "replace", full_disk)
        await pilot.press("space")
        banner = screen.query_one("#save-banner")
        assert banner.display and "No space left on device" in str(banner.render())
        assert screen.query_one(HeaderBar).status.plain == "● not saved"
        assert plan_path.read_bytes() == before
        first = screen.session.plan.day(TODAY).tasks[0]
        assert first.done  # kept in memory
        await pilot.press("s")
        assert banner.display  # still failing
        monkeypatch.setattr(os, "replace", real_replace)
        await pilot.press("s")
        assert not banner.display
    assert today_on_disk(plan_path).task(first.id).done


async def test_banners_mount_only_when_they_show_and_in_their_order(plan_path, monkeypatch):
    from planner.tui.screens.plan import BANNERS

    def banner_order(screen) -> list[str]:
        return [child.id for child in screen.children if child.id in BANNERS]

    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        # Day 4 of the demo: the early-race warning only; no hidden banner is mounted.
        assert banner_order(screen) == ["warning"]
        assert not screen.query("#save-banner") and not screen.query("#clinician")

        def full_disk(*args, **kwargs):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(os, "replace", full_disk)
        await pilot.press("space")  # the save fails: its banner mounts
        await wait_for(pilot, lambda: "save-banner" in banner_order(screen))
        screen.session.log_pain(TODAY, 3, at_rest=True)  # pain at rest: see a clinician
        screen.render_all()  # as after a change made with the keys
        await wait_for(pilot, lambda: "clinician" in banner_order(screen))
        # The clinician's banner went above the save banner mounted before it.
        assert banner_order(screen) == ["warning", "clinician", "save-banner"]
        assert screen.banner_shown("clinician") and screen.banner_shown("save-banner")


async def test_a_change_by_another_program_is_reloaded_and_both_ticks_kept(plan_path):
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        tasks = today_on_disk(plan_path).tasks
        other = PlanFile.open(plan_path)
        other.apply(SetDone(TODAY, tasks[1].id, True, pinned_clock(TODAY)()))
        other.save()
        await wait_for(pilot, lambda: screen.session.plan.day(TODAY).task(tasks[1].id).done)
        await pilot.press("space")  # tick the first task in the app
    day = today_on_disk(plan_path)
    assert day.task(tasks[0].id).done and day.task(tasks[1].id).done


async def test_hostile_titles_show_literally_and_clicking_does_not_run_them(tmp_path):
    path = tmp_path / "plans" / "hostile.toml"
    path.parent.mkdir()
    plan = demo_plan(TODAY)
    hostile = "Ice [urgent] [@click=app.quit]now[/]"
    plan.day(TODAY).tasks[0].title = hostile
    plan.day(TODAY).tasks[0].dose = "[bold]x[/bold] [link=http://x]y[/link]"
    plan.name = "[@click=app.quit]Plan[/]"
    PlanFile.create(path, plan)
    app = app_for(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click(DayChecklist, offset=(12, 0))  # on the title's "[urgent]"
        await pilot.pause()
        assert app.is_running
        await pilot.click(DayChecklist, offset=(1, 0))  # the box ticks
        shown = screen_text(app)
        assert "Ice [urgent] [@click=app.quit]now[/]" in shown
        assert "[bold]x[/bold] [link=http://x]y[/link]" in shown
        assert "[@click=app.quit]Plan[/]" in str(app.screen.query_one("#plan-header").render())
        await pilot.click("#plan-header", offset=(2, 0))
        assert app.is_running
    assert load_plan(path).day(TODAY).tasks[0].done


async def test_help_lists_keys_and_closes(plan_path):
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: not isinstance(app.screen, PlanScreen))
        assert "undo the last tick" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))


async def test_command_palette_offers_every_action(plan_path):
    app = app_for(plan_path)
    async with app.run_test(size=SIZE):
        titles = {command.title for command in app.get_system_commands(app.screen)}
    assert {
        "Switch plan",
        "Progress",
        "Export",
        "Race-day call",
        "New plan",
        "Jump to today",
        "Jump to race day",
        "Theme",
        "Log pain",
        "Undo",
        "Help: keys",
    } <= titles


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_small_screen_keeps_calendar_and_checklist_and_themes_apply(plan_path, theme):
    app = app_for(plan_path)
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = theme
        await pilot.pause()
        screen = app.screen
        checklist = screen.query_one(DayChecklist)
        assert checklist.titles_only  # at 80 columns only the highlighted task shows its dose
        assert checklist.region.width >= 30 and checklist.region.height >= 5
        assert screen.query_one(MonthCalendar).region.width >= 42
        day = app.screen.session.plan.day(TODAY)
        rows = checklist.rows  # titles only, but the highlighted task opens up
        assert day.tasks[0].dose in rows[0].body.plain and day.tasks[0].why in rows[0].body.plain
        assert day.tasks[1].dose not in rows[1].body.plain
    wide = app_for(plan_path)
    async with wide.run_test(size=SIZE):
        assert not wide.screen.query_one(DayChecklist).titles_only


async def test_a_long_plan_name_gives_way_to_the_save_state(tmp_path):
    path = tmp_path / "long.toml"
    plan = demo_plan(TODAY)
    plan.name = "Bristol Half, then the autumn marathon if the calf allows it"
    PlanFile.create(path, plan)
    app = app_for(path)
    async with app.run_test(size=(80, 24)):
        header = app.screen.query_one(HeaderBar)
        line = header.render()
        assert line.plain.endswith("✓ up to date") and "…" in line.plain
        assert line.cell_len == header.content_size.width


async def test_open_another_plan_and_back_from_a_new_plan_form(plan_path):
    from planner.tui.dialogs.open_plan import OpenPlanDialog
    from planner.tui.screens.new_plan import NewPlanScreen

    other = plan_path.with_name("other.toml")
    plan = demo_plan(TODAY)
    plan.name = "Other [race]"
    PlanFile.create(other, plan)
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, NewPlanScreen))
        await pilot.press("escape", "escape")  # out of the date field, then off the form
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, OpenPlanDialog))
        assert "Other [race]" in screen_text(app)
        await pilot.press("down", "enter")  # bristol-half, then other
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        assert app.screen.session.file.path == other
        await pilot.press("space")
    assert load_plan(other).day(TODAY).tasks[0].done
    assert not load_plan(plan_path).day(TODAY).tasks[0].done


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (120, 40), (200, 50)])
async def test_calendar_height_is_counted_as_drawn(plan_path, size):
    """The calendar says its height without drawing; it must match what it draws."""
    app = app_for(plan_path)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        calendar = app.screen.query_one(MonthCalendar)
        drawn = calendar.month_lines()
        text = "\n".join("".join(piece for piece, _ in line) for line in drawn)
        # The phase notes sit under the legend when the screen has room for them.
        assert ("Recover: " in text and "race Sun 29 Nov" in text) == (size[1] >= 30)
        # The calendar fills its column (split off the screen's left): the month fits in it.
        assert len(drawn) <= calendar.size.height
        assert calendar.get_content_height(app.size, app.size, calendar.size.width) == len(drawn)
