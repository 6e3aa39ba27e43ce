"""The new commands (note, tick --minutes, edit, add --every) as separate `planner`
processes while the plan screen is open on the same file: the screen shows what they
wrote, its own changes keep theirs, and its undo takes back only its own."""

from __future__ import annotations

from datetime import date

from planner.model import Category
from planner.store import load_plan
from tests.test_concurrency import planner
from tests.test_tui_plan import SIZE, app_for, wait_for

FRIDAY = date(2026, 11, 27)  # the demo plan's walk-run day


async def test_cli_changes_show_on_the_open_screen_and_survive_its_own(plan_path):
    home = plan_path.parent.parent
    plan = load_plan(plan_path)
    day = plan.day(FRIDAY)
    run = next(t for t in day.tasks if t.category == Category.RUN)
    other = next(i for i, t in enumerate(day.tasks) if t.category != Category.RUN)
    noted = day.tasks[other]
    app = app_for(plan_path, today=FRIDAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        steps = [
            ("note", noted.id, "from the command line", str(plan_path)),
            ("tick", run.id, str(plan_path), "--minutes", "7"),
            ("edit", str(plan_path), "--name", "Bath Half"),
            ("add", "Foam roll", str(plan_path), "--every", "day", "--until", "2026-11-29"),
        ]
        for words in steps:
            done = planner(*words, home=home, today=FRIDAY)
            assert done.returncode == 0, done.stderr
        app.screen.poll_file()  # what the screen's one-second timer runs
        await wait_for(pilot, lambda: app.screen.session.plan.name == "Bath Half")
        shown = app.screen.session.plan.day(FRIDAY)
        assert shown.task(noted.id).note == "from the command line"
        assert shown.task(run.id).actual_minutes == 7
        assert any(t.title == "Foam roll" for t in shown.tasks)
        await pilot.press(str(other + 1))  # the screen ticks a task of its own choosing
        await wait_for(pilot, lambda: load_plan(plan_path).day(FRIDAY).task(noted.id).done)
        on_disk = load_plan(plan_path)
        friday = on_disk.day(FRIDAY)
        assert on_disk.name == "Bath Half"
        assert friday.task(noted.id).note == "from the command line"
        assert friday.task(run.id).actual_minutes == 7
        assert [t.title for t in on_disk.day(date(2026, 11, 29)).tasks].count("Foam roll") == 1
        await pilot.press("u")  # undo: the screen's tick only
        await wait_for(pilot, lambda: not load_plan(plan_path).day(FRIDAY).task(noted.id).done)
    after = load_plan(plan_path)
    assert after.name == "Bath Half"
    assert after.day(FRIDAY).task(noted.id).note == "from the command line"
    assert after.day(FRIDAY).task(run.id).actual_minutes == 7
    assert sum(t.title == "Foam roll" for d in after.days for t in d.tasks) == 3
