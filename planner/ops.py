"""Changes a runner makes to a plan, as small replayable operations.

Each operation is a small record (`planner.record`) with `apply(plan)`. The store keeps
the operations not yet saved, so that when another program changed the file in the meantime it can
reload the file and apply them again: both sides' ticks survive.
"""

from __future__ import annotations

from datetime import date, datetime

from planner.model import Category, Day, GateResult, Plan, SkipReason, Task, clean_text
from planner.record import record

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


@record
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
        if self.done:
            task.skip = None  # done wins over an earlier skip


@record
class LogPain:
    """Log the day's pain score (0-10) and, optionally, a note and pain at rest."""

    date: date
    score: int | None
    note: str | None = None
    at_rest: bool | None = None  # None leaves it as it was

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
        if self.at_rest is not None:
            day.at_rest = self.at_rest


@record
class SetPain:
    """Set a day's pain, note and pain-at-rest exactly as given; undo uses it."""

    date: date
    score: int | None
    note: str | None
    at_rest: bool = False

    def apply(self, plan: Plan) -> None:
        """Put the day's pain, note and pain-at-rest back to these values."""
        day = _day(plan, self.date)
        day.pain = self.score
        day.note = clean_text(self.note) if self.note is not None else None
        day.at_rest = self.at_rest


@record
class RecordGate:
    """Record a run-gate test on a day (None clears it) and tick the day's gate task."""

    date: date
    result: GateResult | None
    at: datetime | None = None

    def apply(self, plan: Plan) -> None:
        """Store the result on the day; the gate task counts as done once tested."""
        day = _day(plan, self.date)
        day.gate = self.result
        gate_task = day.task("gate")
        if gate_task is not None:
            gate_task.done = self.result is not None
            gate_task.done_at = (
                self.at.replace(microsecond=0) if gate_task.done and self.at else None
            )
            gate_task.skip = None


@record
class SkipTask:
    """Skip a task with a reason (excused, not failed), or clear the skip (reason None)."""

    date: date
    task_id: str
    reason: SkipReason | None

    def apply(self, plan: Plan) -> None:
        """Mark the skip; a skipped task is not done."""
        task = _task(_day(plan, self.date), self.task_id)
        task.skip = self.reason
        if self.reason is not None:
            task.done, task.done_at = False, None


def _title(text: str) -> str:
    title = clean_text(text).strip()
    if not title:
        raise OpError("a task needs a title")
    return title


def new_custom_id(day: Day) -> str:
    """The next free id for a runner's own task on a day: 'my-1', 'my-2', ..."""
    taken = {t.id for t in day.tasks}
    number = 1
    while f"my-{number}" in taken:
        number += 1
    return f"my-{number}"


@record
class AddTask:
    """Add a task of the runner's own to a day."""

    date: date
    task_id: str
    title: str
    category: Category = Category.CUSTOM
    dose: str = ""

    def apply(self, plan: Plan) -> None:
        """Append the task; its id must be free on the day."""
        day = _day(plan, self.date)
        title = _title(self.title)
        if day.task(self.task_id) is not None:
            raise OpError(f"there is already a task '{self.task_id}' on {day.date}")
        day.tasks.append(
            Task(
                id=self.task_id,
                category=Category(self.category),
                title=title,
                dose=clean_text(self.dose).strip(),
                custom=True,
            )
        )


@record
class EditTask:
    """Change the title, dose or category of one of the runner's own tasks."""

    date: date
    task_id: str
    title: str
    category: Category = Category.CUSTOM
    dose: str = ""

    def apply(self, plan: Plan) -> None:
        """Only custom tasks can be edited: the protocol's tasks are the plan's."""
        task = _task(_day(plan, self.date), self.task_id)
        if not task.custom:
            raise OpError(f"'{task.title}' is part of the plan; only your own tasks can change")
        title = _title(self.title)
        task.title, task.dose, task.category = (
            title,
            clean_text(self.dose).strip(),
            Category(self.category),
        )


@record
class DeleteTask:
    """Delete one of the runner's own tasks (a plan task can be skipped, not deleted)."""

    date: date
    task_id: str

    def apply(self, plan: Plan) -> None:
        """Remove the task from its day."""
        day = _day(plan, self.date)
        task = _task(day, self.task_id)
        if not task.custom:
            raise OpError(f"'{task.title}' is part of the plan; skip it instead")
        if len(day.tasks) == 1:
            raise OpError("a day keeps at least one task")
        day.tasks.remove(task)


@record
class Replan:
    """Lay the plan out again from a date by the pain rules and the gate (engine.replan)."""

    from_date: date
    today: date

    def apply(self, plan: Plan) -> None:
        """Replace the days from `from_date` with their re-planned versions."""
        from planner.engine import replan_in_place  # the engine loads with the first re-plan

        replan_in_place(plan, self.from_date, self.today)


Op = SetDone | LogPain | SetPain | RecordGate | SkipTask | AddTask | EditTask | DeleteTask | Replan
