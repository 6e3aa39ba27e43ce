"""A TUI in a process of its own for the torture rows, driven by keys, told what to do on stdin.

Usage: python tui_worker.py PLAN HOME TODAY

Builds the app as `planner open` does (`make_app` with the plan's home and a pinned today)
and drives it headless with Textual's Pilot: every change is made by the keys a runner
presses (h/l to the day, 1-9 or the arrows and space to tick, p to log pain, a/d to add
and delete, u to undo, q to quit). Rows T13-T15 of bench/torture.py run one or two of these
beside `planner` processes, so the TUI's own code path (its session, its polling reload,
its saves under the lock) is what is tried, in a process of its own.

One command a line on stdin, one answer a line on stdout:

    set DATE ID 0|1         tick (1) or untick (0) a task   -> ACK set DATE ID 0|1
    pain DATE SCORE         log pain on a day (p, score, enter, enter; accepts the preview)
                                                            -> ACK pain DATE SCORE
    add DATE TITLE...       add a task of our own (a, title, enter, enter)
                                                            -> ACK add DATE NEW-ID
    delete DATE ID          delete our own task (d)         -> ACK delete DATE ID
    undo                    press u                         -> UNDONE text / REFUSED text
    see DATE pain SCORE     wait until the screen's plan shows it (the 1 s poll reloaded it)
    see DATE done ID        ... a task done                 -> OK see ...
    see DATE has ID         ... a task present
    quit                    press q and wait for the app to end -> OK quit

ACK means what the runner is told on screen: the change is shown and saved (no save error,
nothing waiting to be saved). Anything else is "FAIL why"; once the app is no longer
running the answer is "DEAD" and the worker ends with status 1.
"""

from __future__ import annotations

import asyncio
import importlib.util
import sys
import time
from datetime import date
from pathlib import Path

if importlib.util.find_spec("planner") is None:  # not installed: the repository's copy
    sys.path.append(str(Path(__file__).resolve().parent.parent))

SIZE = (120, 40)
SAVE_WAIT_S = 15.0  # a save that found the plan locked is retried by the app's timer
SEE_WAIT_S = 15.0  # the app polls the file once a second


def reply(text: str) -> None:
    print(text, flush=True)


class Worker:
    """The app under Pilot, and the key sequences for each command."""

    def __init__(self, app, pilot) -> None:
        self.app = app
        self.pilot = pilot
        self.presses = 0  # alternates digit keys with arrows + space

    @property
    def screen(self):
        return self.app.screen

    @property
    def session(self):
        return self.app.session

    def saved(self) -> bool:
        session = self.session
        return session is not None and session.save_error is None and not session.unsaved

    async def until(self, check, timeout: float) -> bool:
        """Let the app run (timers, polls, retries) until `check()` holds or time is up."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.app.is_running:
                return False
            if check():
                return True
            await asyncio.sleep(0.02)
        return check()

    async def until_saved(self) -> bool:
        """Wait for the change on screen to be saved, pressing s (retry) as a runner would."""
        deadline = time.monotonic() + SAVE_WAIT_S
        while not self.saved() and time.monotonic() < deadline and self.app.is_running:
            if self.session.save_error is not None and self._on_plan():
                await self.pilot.press("s")
            await asyncio.sleep(0.1)
        return self.saved()

    def _on_plan(self) -> bool:
        from planner.tui.screens.plan import PlanScreen

        return isinstance(self.screen, PlanScreen)

    async def go_to(self, when: date) -> str:
        """Select `when` in the calendar with h and l, one day a key."""
        for _ in range(800):
            selected = self.screen.calendar.selected
            if selected == when:
                await self.pilot.pause()  # the checklist follows the calendar's message
                return ""
            await self.pilot.press("h" if when < selected else "l")
        return f"could not reach {when} (at {self.screen.calendar.selected})"

    async def highlight(self, task_id: str) -> str:
        """Move the checklist's highlight to `task_id` with up and down."""
        checklist = self.screen.checklist
        if task_id not in checklist.task_ids:
            return f"no task {task_id} on screen"
        target = checklist.task_ids.index(task_id)
        for _ in range(200):
            now = checklist.highlighted
            if now == target:
                return ""
            await self.pilot.press("down" if now is None or now < target else "up")
        return f"could not highlight {task_id}"

    def task(self, when: date, task_id: str):
        day = self.session.plan.day(when)
        return day.task(task_id) if day is not None else None

    # ------------------------------------------------------------------ commands

    async def do_set(self, when: date, task_id: str, wanted: bool) -> str:
        problem = await self.go_to(when)
        if problem:
            return f"FAIL {problem}"
        task = self.task(when, task_id)
        if task is None:
            return f"FAIL no task {task_id} on {when}"
        if task.done == wanted:
            return f"FAIL {task_id} on {when} is already {'done' if wanted else 'not done'}"
        index = self.screen.checklist.task_ids.index(task_id)
        self.presses += 1
        if index < 9 and self.presses % 2:
            await self.pilot.press(str(index + 1))  # 1-9: task N of the selected day
        else:
            problem = await self.highlight(task_id)
            if problem:
                return f"FAIL {problem}"
            await self.pilot.press("space")
        task = self.task(when, task_id)
        if task is None or task.done != wanted:
            return f"FAIL the key left {task_id} on {when} {'un' if wanted else ''}done"
        if not await self.until_saved():
            return f"FAIL not saved: {self.session.save_error}"
        return f"ACK set {when} {task_id} {int(wanted)}"

    async def do_pain(self, when: date, score: int) -> str:
        from planner.tui.dialogs.pain import PainDialog
        from planner.tui.dialogs.preview import ChangePreview

        problem = await self.go_to(when)
        if problem:
            return f"FAIL {problem}"
        await self.pilot.press("p")
        if not await self.until(lambda: isinstance(self.screen, PainDialog), 5):
            return "FAIL no pain dialog"
        # The score field holds the day's pain already: clear it, type ours, enter to the
        # note, enter to log.
        await self.pilot.press("ctrl+u", *str(score), "enter", "enter")
        if await self.until(lambda: isinstance(self.screen, ChangePreview), 0.5):
            await self.pilot.press("enter")  # accept the change preview
        if not await self.until(self._on_plan, 5):
            return f"FAIL still on {type(self.screen).__name__}"
        if self.session.plan.day(when).pain != score:
            return f"FAIL the screen shows pain {self.session.plan.day(when).pain}"
        if not await self.until_saved():
            return f"FAIL not saved: {self.session.save_error}"
        return f"ACK pain {when} {score}"

    async def do_add(self, when: date, title: str) -> str:
        from planner.tui.dialogs.task_form import TaskDialog

        problem = await self.go_to(when)
        if problem:
            return f"FAIL {problem}"
        before = {t.id for t in self.session.plan.day(when).tasks}
        await self.pilot.press("a")
        if not await self.until(lambda: isinstance(self.screen, TaskDialog), 5):
            return "FAIL no task dialog"
        keys = ["space" if ch == " " else ch for ch in title]
        await self.pilot.press(*keys, "enter", "enter")
        if not await self.until(self._on_plan, 5):
            return f"FAIL still on {type(self.screen).__name__}"
        new = [t.id for t in self.session.plan.day(when).tasks if t.id not in before]
        if len(new) != 1:
            return f"FAIL {len(new)} new tasks on {when}"
        if not await self.until_saved():
            return f"FAIL not saved: {self.session.save_error}"
        return f"ACK add {when} {new[0]}"

    async def do_delete(self, when: date, task_id: str) -> str:
        problem = await self.go_to(when) or await self.highlight(task_id)
        if problem:
            return f"FAIL {problem}"
        await self.pilot.press("d")
        if self.task(when, task_id) is not None:
            return f"FAIL {task_id} still on screen"
        if not await self.until_saved():
            return f"FAIL not saved: {self.session.save_error}"
        return f"ACK delete {when} {task_id}"

    async def do_undo(self) -> str:
        seen = {id(n) for n in self.app._notifications}
        await self.pilot.press("u")
        await self.pilot.pause()
        said = [n.message for n in self.app._notifications if id(n) not in seen]
        text = " | ".join(said).replace("\n", " ") or "(nothing said)"
        if not self.app.is_running:
            return "DEAD"
        if any("not undone" in message for message in said):
            if not self.saved() and not await self.until_saved():
                return f"FAIL refused, then not saved: {self.session.save_error}"
            return f"REFUSED {text}"
        if not await self.until_saved():
            return f"FAIL not saved after undo ({text}): {self.session.save_error}"
        return f"UNDONE {text}"

    async def do_see(self, when: date, what: str, value: str) -> str:
        def shown() -> bool:
            day = self.session.plan.day(when)
            if day is None:
                return False
            if what == "pain":
                return day.pain == int(value)
            task = day.task(value)
            return task is not None and (what == "has" or task.done)

        if await self.until(shown, SEE_WAIT_S):
            return f"OK see {when} {what} {value}"
        return f"FAIL the screen never showed {when} {what} {value}"

    async def do_quit(self) -> str:
        await self.pilot.press("q")
        await self.until(lambda: not self.app.is_running, 10)
        return "OK quit" if not self.app.is_running else "FAIL still running after q"

    async def run(self, line: str) -> str:
        words = line.split()
        command = words[0]
        if command != "quit" and not self._on_plan():  # a dialog left open: say so
            return f"FAIL not on the plan screen but {type(self.screen).__name__}"
        if command == "set":
            return await self.do_set(date.fromisoformat(words[1]), words[2], words[3] == "1")
        if command == "pain":
            return await self.do_pain(date.fromisoformat(words[1]), int(words[2]))
        if command == "add":
            return await self.do_add(date.fromisoformat(words[1]), " ".join(words[2:]))
        if command == "delete":
            return await self.do_delete(date.fromisoformat(words[1]), words[2])
        if command == "undo":
            return await self.do_undo()
        if command == "see":
            return await self.do_see(date.fromisoformat(words[1]), words[2], words[3])
        if command == "quit":
            return await self.do_quit()
        return f"FAIL unknown command {command!r}"


async def main(path: Path, home: Path, today: date) -> int:
    from planner.tui.app import make_app, pinned_clock

    app = make_app(path, home=home, today=today, now=pinned_clock(today))
    loop = asyncio.get_running_loop()
    async with app.run_test(size=SIZE) as pilot:
        worker = Worker(app, pilot)
        await pilot.pause()
        if app.session is None or not worker._on_plan():
            reply(f"FAIL no plan screen ({type(app.screen).__name__})")
            return 1
        reply("READY")
        while True:
            # Read in a thread: the app's loop keeps running meanwhile (its 1 s poll).
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line.strip():
                break
            if not app.is_running:
                reply("DEAD")
                return 1
            answer = await worker.run(line.strip())
            reply(answer if app.is_running or line.startswith("quit") else "DEAD")
            if line.startswith("quit") or not app.is_running:
                break
    return 0 if app.return_code in (None, 0) else 1


if __name__ == "__main__":
    plan, home_dir, day = sys.argv[1:4]
    sys.exit(asyncio.run(main(Path(plan), Path(home_dir), date.fromisoformat(day))))
