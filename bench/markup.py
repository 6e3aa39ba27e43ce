"""T9: hostile text in every widget that shows it; click each; nothing may run or leak.

The strings carry Rich/Textual markup (`[@click=app.quit]`, `[link=...]`) and terminal
escapes (ESC, OSC-52, C1). Control characters are stripped at load; what remains must be
shown literally, and clicking it must do nothing but select or tick.

File names carry the same strings: the plan switcher lists a damaged file and a plan for
each, and the load-error screen shows a damaged file (and its backup) named with all of
them. Names are cleaned only where shown (`shown_path`), so they must appear that way.
"""

from __future__ import annotations

import asyncio
import html
import re
from datetime import date
from pathlib import Path

from planner.demo import demo_plan
from planner.model import Category, Task, clean_text, shown_path
from planner.store import PlanFile, backup_path, dumps_plan

TODAY = date(2026, 11, 24)
LEAKS = ("\x1b", "\x9b", "\x85", "\x07")
DAMAGED = "schema_version = 1\n[plan\n"  # a table header left open: line 2 can't be read


def _file_name(text: str) -> str:
    """`text` as a file name: the one character a name can't hold is the folder's "/"."""
    return text.replace("/", "_")


def _screen_text(app) -> str:
    svg = app.export_screenshot()
    for leak in LEAKS:
        if leak in svg:
            raise AssertionError(f"control character {leak!r} reached the screen")
    body = svg[svg.index("<g class") :] if "<g class" in svg else svg
    return html.unescape(re.sub(r"<[^>]+>", "", body)).replace("\xa0", " ")


def _hostile_plan(strings: list[str]):
    plan = demo_plan(TODAY)
    plan.name = strings[0]
    day = plan.day(TODAY)
    for task, text in zip(day.tasks, strings, strict=False):
        task.title = text
        task.dose = text
        task.why = text
    day.tasks.append(
        Task(id="my-1", category=Category.CUSTOM, title=strings[-1], dose=strings[1], custom=True)
    )
    yesterday = plan.days[(TODAY - plan.injury_date).days - 1]
    yesterday.note = strings[2]
    day.note, day.pain = strings[3], 2
    return plan


def check_widgets(work: Path, strings: list[str]) -> list[str]:
    """Open every view that shows user text; return what went wrong (empty if nothing)."""
    from textual.widgets import Input

    from planner.tui.app import make_app, pinned_clock
    from planner.tui.dialogs.open_plan import OpenPlanDialog
    from planner.tui.dialogs.progress import ProgressScreen
    from planner.tui.dialogs.skip import SkipDialog
    from planner.tui.dialogs.task_form import TaskDialog
    from planner.tui.screens.plan import PlanScreen
    from planner.tui.widgets.checklist import DayChecklist

    folder = work / "t9" / "plans"
    folder.mkdir(parents=True)
    path = folder / "hostile.toml"
    PlanFile.create(path, _hostile_plan(strings))
    shown = [clean_text(s) for s in strings]
    problems: list[str] = []
    # For the switcher: a damaged file named after each string, and a plan named after one.
    names = [_file_name(f"{n}-{s}.toml") for n, s in enumerate(strings)]
    for name in names:
        (folder / name).write_text(DAMAGED)
    listed = _file_name(f"plan-{strings[3]}.toml")
    PlanFile.create(folder / listed, _hostile_plan(strings))

    async def wait(pilot, condition, step: str = "") -> None:
        for _ in range(100):
            if condition():
                return
            await pilot.pause(0.05)
        showing = type(pilot.app.screen).__name__
        raise AssertionError(f"{step}: the screen did not come up (showing {showing})")

    async def drive() -> None:
        app = make_app(
            path, home=folder.parent, today=TODAY, now=pinned_clock(TODAY), remember_plans=False
        )
        async with app.run_test(size=(160, 50)) as pilot:
            text = _screen_text(app)
            for literal in shown:
                if literal not in text:
                    problems.append(f"plan screen lost {literal!r}")
            checklist = app.screen.query_one(DayChecklist)
            for row in range(checklist.region.height):  # every line of every task
                await pilot.click(DayChecklist, offset=(8, row))
            for selector in ("#plan-header", "#pain", "#day-title"):  # the why: in the list
                await pilot.click(selector, offset=(2, 0))
            await pilot.pause()
            if not app.is_running:
                problems.append("a click ran an action")
                return
            checklist.highlighted = checklist.option_count - 1  # the runner's own task
            await pilot.press("c")
            await wait(pilot, lambda: isinstance(app.screen, TaskDialog), "edit own task")
            if app.screen.query_one("#title", Input).value != shown[-1]:
                problems.append("edit dialog changed the title")
            await pilot.press("escape")
            await wait(pilot, lambda: isinstance(app.screen, PlanScreen))
            await pilot.press("x")
            await wait(pilot, lambda: isinstance(app.screen, SkipDialog), "skip")
            if shown[-1] not in _screen_text(app):
                problems.append("skip dialog lost the title")
            await pilot.press("escape")
            await wait(pilot, lambda: isinstance(app.screen, PlanScreen))
            for key, screen_type in (("o", OpenPlanDialog), ("P", ProgressScreen)):
                await pilot.press(key)
                await wait(pilot, lambda t=screen_type: isinstance(app.screen, t), key)
                text = _screen_text(app)
                if shown[0] not in text:
                    problems.append(f"{screen_type.__name__} lost the plan name")
                if screen_type is OpenPlanDialog:
                    for name in names:
                        if f"{shown_path(name)}: can't be read" not in text:
                            problems.append(f"switcher lost the damaged file {name!r}")
                    if shown_path(listed) not in text:
                        problems.append(f"switcher lost the file name {listed!r}")
                await pilot.click(offset=(10, 5))
                await pilot.press("escape")
                await wait(pilot, lambda: isinstance(app.screen, PlanScreen))
            await pilot.press("d")  # deleting the own task notifies with its title
            await pilot.pause()
            _screen_text(app)
            if not app.is_running:
                problems.append("the app stopped")

    async def damaged() -> None:
        """The load-error screen for a damaged file named with every string, and its backup."""
        from planner.tui.screens.load_error import LoadErrorScreen

        bad = folder / _file_name("".join(strings) + ".toml")
        bad.write_text(DAMAGED)
        backup_path(bad).write_text(dumps_plan(_hostile_plan(strings)))
        app = make_app(
            bad, home=folder.parent, today=TODAY, now=pinned_clock(TODAY), remember_plans=False
        )
        async with app.run_test(size=(160, 50)) as pilot:
            await wait(pilot, lambda: isinstance(app.screen, LoadErrorScreen), "load error")
            # Drawn: from here on a leak would be on screen (_screen_text raises on one).
            await wait(pilot, lambda: "can't be opened" in _screen_text(app), "load error")
            for selector, expected in (
                ("#error-text", f"{shown_path(bad)}:2:"),
                ("#backup-note", shown_path(backup_path(bad))),
            ):
                if expected not in str(app.screen.query_one(selector).render()):
                    problems.append(f"load-error screen lost the file name in {selector}")
                await pilot.click(selector, offset=(2, 0))
            _screen_text(app)  # raises if a control character reached the screen
            await pilot.pause()
            if not app.is_running or not isinstance(app.screen, LoadErrorScreen):
                problems.append("a click on the load-error screen ran an action")

    for scenario in (drive, damaged):
        try:
            asyncio.run(scenario())
        except Exception as error:  # a crash is a finding, reported as such
            problems.append(f"{scenario.__name__}: {type(error).__name__}: {str(error)[:120]}")
    return problems
