"""Every key findable: the footer shows the keys that matter for the focused pane and the
day, and the palette and help are built from the same table as the bindings."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets._footer import FooterKey

from planner.demo import demo_plan
from planner.store import PlanFile
from planner.tui.dialogs.pain import PainDialog
from planner.tui.keys import KEYS, palette_entries
from tests.test_tui_plan import SIZE, TODAY, app_for, today_on_disk, wait_for

GATE_DAY = TODAY + timedelta(days=2)  # Thu 26 Nov: the forum runner's run gate


def footer(app) -> dict[str, str]:
    """The footer's keys as shown: key -> description."""
    return {key.key: key.description for key in app.screen.query(FooterKey)}


async def test_the_footer_follows_the_pane_and_the_day(plan_path):
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = footer(app)
        assert {"space", "x", "p", "u", "question_mark", "q"} <= shown.keys()
        assert "g" not in shown and "D" not in shown and "s" not in shown
        assert "c" not in shown  # the highlighted task is the plan's, not the runner's own
        await pilot.press("tab")  # the calendar: its month keys, not the checklist's tick
        await pilot.pause()
        shown = footer(app)
        assert "left_square_bracket" in shown and "space" not in shown and "x" not in shown
        await pilot.press("right", "right")  # to the gate day
        await wait_for(pilot, lambda: "g" in footer(app))
        assert footer(app)["g"] == "Run gate"
        await pilot.press("right")
        await wait_for(pilot, lambda: "g" not in footer(app))


async def test_off_its_day_a_contextual_key_still_works(plan_path):
    from planner.tui.dialogs.decision import DecisionScreen

    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "D" not in footer(app)  # the race is five days off
        await pilot.press("D")  # a provisional call all the same
        await wait_for(pilot, lambda: isinstance(app.screen, DecisionScreen))


async def test_the_race_call_key_shows_from_the_day_before_the_race(tmp_path):
    path = tmp_path / "plans" / "late.toml"
    path.parent.mkdir()
    plan = demo_plan(TODAY)
    PlanFile.create(path, plan)
    app = app_for(path, plan.race_date - timedelta(days=1))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert footer(app).get("D") == "Race call"


async def test_a_click_on_a_footer_key_presses_it(plan_path):
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pain = next(key for key in app.screen.query(FooterKey) if key.key == "p")
        await pilot.click(pain)
        await wait_for(pilot, lambda: isinstance(app.screen, PainDialog))
        await pilot.press("escape")
    assert today_on_disk(plan_path).pain is None


async def test_the_palette_offers_every_action_of_the_table_with_its_key(plan_path):
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        for title, _help, key in palette_entries():
            if key.action in ("retry_save", "replan_protocol"):
                continue  # offered only when a save failed / the plan is an older protocol's
            assert title in commands, title
            assert f"key {key.shown.split(' ')[0]}" in commands[title].help
        # A command runs the same action as its key: "Tick the highlighted task".
        task = today_on_disk(plan_path).tasks[0]
        commands["Tick the highlighted task"].callback()
        await pilot.pause()
        await pilot.pause()
    assert today_on_disk(plan_path).task(task.id).done
    assert {key.palette for key in KEYS if key.palette} >= {
        "Tick the highlighted task",
        "Change the highlighted task",
        "Delete the highlighted task",
        "Next month",
        "Switch pane",
    }


async def test_help_lists_every_key_of_the_table(plan_path):
    from planner.tui.dialogs.help import HelpScreen
    from tests.test_tui_plan import screen_text

    app = app_for(plan_path)
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        shown = " ".join(screen_text(app).split())
    for key in KEYS:  # (a long line wraps inside the dialog's frame: its start is enough)
        assert key.shown in shown and key.about[:28] in shown, key.about


async def test_one_of_a_thing_is_said_in_the_singular(tmp_path):
    from planner.tui.dialogs.progress import ProgressScreen
    from tests.test_tui_plan import screen_text

    path = tmp_path / "plans" / "one.toml"
    path.parent.mkdir()
    plan = demo_plan(TODAY)
    for day in plan.days:
        day.pain = None
        for task in day.tasks:
            task.done = day.date == TODAY - timedelta(days=1)
    plan.day(TODAY).pain = 2
    PlanFile.create(path, plan)
    app = app_for(path)
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.press("P")
        await wait_for(pilot, lambda: isinstance(app.screen, ProgressScreen))
        shown = " ".join(screen_text(app).split())
    assert "Pain, 1 log:" in shown and "Streak: 1 day now" in shown
