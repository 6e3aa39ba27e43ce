"""One plan open in an interactive front end: tick, log pain, undo, save, reload.

The TUI calls this and re-renders; it never touches the file itself. Every change is
applied in memory first and then saved at once; when a save fails the change stays in
memory (and queued) and `save()` can be retried. The clock comes in as an argument.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from planner.engine import build_plan
from planner.model import Plan, PlanInputs, Safety
from planner.ops import LogPain, Op, SetDone, SetPain
from planner.paths import new_plan_path
from planner.store import PlanFile, SaveError


class ChangeRefused(ValueError):
    """A change that makes no sense (a day that hasn't come yet); the message says why."""


@dataclass(frozen=True)
class Undo:
    """What undoing the last change does, and how to say it."""

    label: str
    op: Op


class PlanSession:
    """A PlanFile with an undo stack and a record of the last save."""

    def __init__(self, plan_file: PlanFile, today: date, now: Callable[[], datetime]) -> None:
        self.file = plan_file
        self.today = today
        self.now = now
        self.undo_stack: list[Undo] = []
        self.save_error: str | None = None
        self.saved_at: datetime | None = None

    @property
    def plan(self) -> Plan:
        """The plan as it is in memory (saved or not)."""
        return self.file.plan

    @property
    def unsaved(self) -> bool:
        """Whether changes are waiting for a successful save."""
        return bool(self.file.pending)

    def _check_day(self, when: date) -> None:
        if self.plan.day(when) is None:
            raise ChangeRefused(f"{when} is outside the plan")
        if when > self.today:
            raise ChangeRefused("That day hasn't come yet: tick it on the day.")

    def _change(self, op: Op, undo: Undo) -> bool:
        self.file.apply(op)
        self.undo_stack.append(undo)
        return self.save()

    def toggle(self, when: date, task_id: str) -> bool:
        """Tick a task, or untick it if it was done; returns whether it was saved."""
        self._check_day(when)
        task = self.plan.day(when).task(task_id)
        if task is None:
            raise ChangeRefused(f"No task {task_id!r} on {when}")
        undo = Undo(
            f"{'tick' if not task.done else 'untick'} of '{task.title}'",
            SetDone(when, task_id, task.done, task.done_at),
        )
        return self._change(SetDone(when, task_id, not task.done, self.now()), undo)

    def log_pain(self, when: date, score: int, note: str | None) -> bool:
        """Log a day's pain (0-10) and note; returns whether it was saved."""
        self._check_day(when)
        day = self.plan.day(when)
        undo = Undo(f"pain log of {when:%a %d %b}", SetPain(when, day.pain, day.note))
        return self._change(LogPain(when, score, note if note is not None else ""), undo)

    def undo(self) -> str | None:
        """Undo the last tick or pain entry; returns what was undone, or None."""
        if not self.undo_stack:
            return None
        last = self.undo_stack.pop()
        self.file.apply(last.op)
        self.save()
        return last.label

    def save(self) -> bool:
        """Save pending changes; on failure keep them and remember the error."""
        if not self.file.pending:
            return True
        try:
            self.file.save()
        except SaveError as error:
            self.save_error = str(error)
            return False
        self.save_error = None
        self.saved_at = self.now()
        return True

    def refresh(self) -> bool:
        """Take in another program's changes to the file; True if the plan changed.

        Raises PlanError if the file can no longer be read (ours stays in memory).
        """
        return self.file.refresh()


def create_plan_file(
    inputs: PlanInputs,
    *,
    today: date,
    created: datetime,
    folder: Path,
    safety: Safety | None = None,
    path: Path | None = None,
) -> PlanFile:
    """Build a plan and write it as a new file: `path`, or a free slug name in `folder`.

    Raises InputError for inputs the engine refuses and SaveError if it can't be written.
    """
    plan = build_plan(inputs, today, created=created)
    plan.safety = safety
    if path is None:
        if not folder.parent.exists():
            folder.parent.mkdir(mode=0o700, parents=True)
        path = new_plan_path(folder, plan.name)
    return PlanFile.create(path, plan)
