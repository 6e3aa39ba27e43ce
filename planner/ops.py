"""Changes a runner makes to a plan, as small replayable operations.

Each operation is a frozen dataclass with `apply(plan)`. The store keeps the operations
not yet saved, so that when another program changed the file in the meantime it can
reload the file and apply them again: both sides' ticks survive.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from planner.model import Day, Plan, Task, clean_text

MAX_NOTE = 500


class OpError(ValueError):
    """An operation that does not fit the plan (no such day or task, a bad score)."""


def _day(plan: Plan, when: date) -> Day:
    day = plan.day(when)
    if day is None:
        raise OpError(f"{when} is not in the plan ({plan.first_date} to {plan.last_date})")
    return day


def _task(day: Day, task_id: str) -> Task:
    task = day.task(task_id)
    if task is None:
        raise OpError(f"no task '{task_id}' on {day.date}")
    return task


@dataclass(frozen=True)
class SetDone:
    """Tick (done=True) or untick a task on a date."""

    date: date
    task_id: str
    done: bool
    at: datetime | None = None

    def apply(self, plan: Plan) -> None:
        """Mark the task; `done_at` is kept only while the task is done."""
        task = _task(_day(plan, self.date), self.task_id)
        if task.done == self.done:
            return
        task.done = self.done
        task.done_at = self.at.replace(microsecond=0) if self.done and self.at else None


@dataclass(frozen=True)
class LogPain:
    """Log the day's pain score (0-10) and, optionally, a note; None clears the score."""

    date: date
    score: int | None
    note: str | None = None

    def apply(self, plan: Plan) -> None:
        """Set the day's pain, and its note when one is given."""
        if self.score is not None and (isinstance(self.score, bool) or not 0 <= self.score <= 10):
            raise OpError(f"pain {self.score} is outside 0-10")
        day = _day(plan, self.date)
        day.pain = self.score
        if self.note is not None:
            note = clean_text(self.note).strip()
            if len(note) > MAX_NOTE:
                raise OpError(f"the note is {len(note)} characters; at most {MAX_NOTE}")
            day.note = note or None


@dataclass(frozen=True)
class SetPain:
    """Set a day's pain and note exactly as given (None clears them); undo uses it."""

    date: date
    score: int | None
    note: str | None

    def apply(self, plan: Plan) -> None:
        """Put the day's pain and note back to these values."""
        day = _day(plan, self.date)
        day.pain = self.score
        day.note = clean_text(self.note) if self.note is not None else None


Op = SetDone | LogPain | SetPain
