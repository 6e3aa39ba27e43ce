"""Changes a runner makes to a plan, as small replayable operations.

Each operation is a small record (a msgspec Struct) with `apply(plan)` and `words()`. The
store keeps the operations not yet saved, so that when another program changed the file in
the meantime it can reload the file and apply them again: both sides' ticks survive.

Undo is an operation too, the inverse of ours applied to the plan as it is now: the
`Restore*` operations put back what was there before only while the plan still holds what
our change left (otherwise OpError: it was changed elsewhere, and is not undone).
"""

from __future__ import annotations

from datetime import date, datetime

import msgspec

from planner.model import (
    PROTOCOL,
    Category,
    Day,
    GateResult,
    Plan,
    PlanInputs,
    SkipReason,
    Task,
    clean_line,
    clean_text,
)

MAX_NOTE = 500
# The most minutes a run may say it ran: ten hours, past any run this plan lays out (a
# file may hold more, up to a dose's limit, and is read as it is).
MAX_RUN_MINUTES = 600


class OpError(ValueError):
    """An operation that does not fit the plan (no such day or task, a bad score)."""


CHANGED_ELSEWHERE = "it was changed elsewhere since"


def _on(when: date) -> str:
    return f"{when:%a %d %b}"


def _name(plan: Plan | None, when: date, task_id: str) -> str:
    """A task's title for a message when the plan still has it, else its id."""
    day = plan.day(when) if plan is not None and plan.days else None
    task = day.task(task_id) if day is not None else None
    return task.title if task is not None else task_id


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


def _stamp(at: datetime | None) -> datetime | None:
    """A change's time as the plan keeps it (whole seconds), or None when not given.

    Every operation that changes something the runner did or wrote stamps it with the
    session's clock (`at`), so that two copies of the plan merge field by field
    (planner.merge); replayed onto another program's save, it keeps its own time.
    """
    return at.replace(microsecond=0) if at is not None else None


class SetDone(msgspec.Struct, eq=False):
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
        task.changed_at = _stamp(self.at)
        if self.done:
            task.skip = None  # done wins over an earlier skip
        else:  # what was run goes with the tick
            task.actual_minutes = task.activity_start = None

    def words(self, plan: Plan | None = None) -> str:
        """This change in a few words, for a message."""
        what = "tick" if self.done else "untick"
        return f"the {what} of '{_name(plan, self.date, self.task_id)}' on {_on(self.date)}"


class RecordRun(msgspec.Struct, eq=False):
    """Tick a run with the minutes actually run, and the start of the watch activity they
    came from (None: the runner's own figure, which keeps the activity a run was imported
    from, so that importing it again doesn't undo the runner's correction)."""

    date: date
    task_id: str
    minutes: int
    at: datetime | None = None
    activity_start: datetime | None = None

    def apply(self, plan: Plan) -> None:
        """Mark the run done as run; a run ticked before keeps the time of its tick."""
        task = _task(_day(plan, self.date), self.task_id)
        if task.category != Category.RUN:
            raise OpError(f"'{task.title}' is not a run: only a run is ticked with its minutes")
        if isinstance(self.minutes, bool) or not 0 <= self.minutes <= MAX_RUN_MINUTES:
            raise OpError(f"{self.minutes} minutes run is outside 0-{MAX_RUN_MINUTES}")
        if not task.done:
            task.done = True
            task.done_at = self.at.replace(microsecond=0) if self.at else None
        task.skip = None
        task.actual_minutes = self.minutes
        task.changed_at = _stamp(self.at)
        if self.activity_start is not None:
            task.activity_start = self.activity_start.replace(microsecond=0)

    def words(self, plan: Plan | None = None) -> str:
        """This change in a few words, for a message."""
        name = _name(plan, self.date, self.task_id)
        return f"the run '{name}' on {_on(self.date)} ({self.minutes} min run)"


class LogPain(msgspec.Struct, eq=False):
    """Log the day's pain score (0-10) and, optionally, a note and pain at rest."""

    date: date
    score: int | None
    note: str | None = None
    at_rest: bool | None = None  # None leaves it as it was
    at: datetime | None = None  # when it was logged (stamps what it sets)

    def apply(self, plan: Plan) -> None:
        """Set the day's pain, and its note when one is given."""
        if self.score is not None and (isinstance(self.score, bool) or not 0 <= self.score <= 10):
            raise OpError(f"pain {self.score} is outside 0-10")
        day = _day(plan, self.date)
        day.pain = self.score
        day.pain_at = _stamp(self.at)
        if self.note is not None:
            note = clean_text(self.note).strip()
            if len(note) > MAX_NOTE:
                raise OpError(f"the note is {len(note)} characters; at most {MAX_NOTE}")
            day.note = note or None
            day.note_at = _stamp(self.at)
        if self.at_rest is not None:
            day.at_rest = self.at_rest
            day.at_rest_at = _stamp(self.at)

    def words(self, plan: Plan | None = None) -> str:
        """This change in a few words, for a message."""
        return f"the pain log of {_on(self.date)}"


class RestoreDay(msgspec.Struct, eq=False):
    """Undo of a pain log: put back `before` (pain, note, at rest) while the day still
    holds `after`, what our log left there."""

    date: date
    after: tuple[int | None, str | None, bool]
    before: tuple[int | None, str | None, bool]
    at: datetime | None = None  # when it was undone: an undo is a change of its own

    def apply(self, plan: Plan) -> None:
        """Put the day's pain, note and pain-at-rest back, or OpError if changed since."""
        day = _day(plan, self.date)
        if (day.pain, day.note, day.at_rest) != tuple(self.after):
            raise OpError(CHANGED_ELSEWHERE)
        day.pain, day.note, day.at_rest = self.before
        day.pain_at = day.note_at = day.at_rest_at = _stamp(self.at)

    def words(self, plan: Plan | None = None) -> str:
        """This change in a few words, for a message."""
        return f"the undo of the pain log of {_on(self.date)}"


class RecordGate(msgspec.Struct, eq=False):
    """Record a run-gate test on a day (None clears it) and tick the day's gate task."""

    date: date
    result: GateResult | None
    at: datetime | None = None

    def apply(self, plan: Plan) -> None:
        """Store the result on the day; the gate task counts as done once tested."""
        day = _day(plan, self.date)
        day.gate = self.result
        day.gate_at = _stamp(self.at)
        gate_task = day.task("gate")
        if gate_task is not None:
            gate_task.done = self.result is not None
            gate_task.done_at = (
                self.at.replace(microsecond=0) if gate_task.done and self.at else None
            )
            gate_task.skip = None
            gate_task.changed_at = _stamp(self.at)

    def words(self, plan: Plan | None = None) -> str:
        """This change in a few words, for a message."""
        return f"the run-gate test of {_on(self.date)}"


class RestoreGate(msgspec.Struct, eq=False):
    """Undo of a run-gate test: put back the day's earlier result while it still holds ours."""

    date: date
    after: GateResult | None
    before: GateResult | None
    before_at: datetime | None = None
    at: datetime | None = None  # when it was undone

    def apply(self, plan: Plan) -> None:
        """Put back the earlier result (and the gate task's tick), or OpError."""
        day = _day(plan, self.date)
        if day.gate != self.after:
            raise OpError(CHANGED_ELSEWHERE)
        RecordGate(self.date, self.before, self.before_at).apply(plan)
        # The tick keeps its old time; the change is stamped as the undo's.
        day.gate_at = _stamp(self.at)
        gate_task = day.task("gate")
        if gate_task is not None:
            gate_task.changed_at = _stamp(self.at)

    def words(self, plan: Plan | None = None) -> str:
        """This change in a few words, for a message."""
        return f"the undo of the run-gate test of {_on(self.date)}"


class RestoreTask(msgspec.Struct, eq=False):
    """Undo of a tick or skip: put back a task's done, done_at and skip, and the minutes
    run and their activity, while it still shows what our change left (`after`: done and
    skip; `after_minutes`: the minutes run)."""

    date: date
    task_id: str
    after: tuple[bool, SkipReason | None]
    done: bool
    done_at: datetime | None
    skip: SkipReason | None
    actual_minutes: int | None = None
    activity_start: datetime | None = None
    after_minutes: int | None = None
    at: datetime | None = None  # when it was undone: a later undo beats an earlier tick

    def apply(self, plan: Plan) -> None:
        """Put the task back as it was, or OpError if it was changed since."""
        task = _task(_day(plan, self.date), self.task_id)
        if (task.done, task.skip) != tuple(self.after) or task.actual_minutes != self.after_minutes:
            raise OpError(CHANGED_ELSEWHERE)
        task.done, task.done_at, task.skip = self.done, self.done_at, self.skip
        task.actual_minutes, task.activity_start = self.actual_minutes, self.activity_start
        task.changed_at = _stamp(self.at)

    def words(self, plan: Plan | None = None) -> str:
        """This change in a few words, for a message."""
        return (
            f"the undo of a change to '{_name(plan, self.date, self.task_id)}' on {_on(self.date)}"
        )


class SkipTask(msgspec.Struct, eq=False):
    """Skip a task with a reason (excused, not failed), or clear the skip (reason None)."""

    date: date
    task_id: str
    reason: SkipReason | None
    at: datetime | None = None  # when it was skipped

    def apply(self, plan: Plan) -> None:
        """Mark the skip; a skipped task is not done."""
        task = _task(_day(plan, self.date), self.task_id)
        task.skip = self.reason
        task.changed_at = _stamp(self.at)
        if self.reason is not None:
            task.done, task.done_at = False, None
            task.actual_minutes = task.activity_start = None  # skipped: nothing was run

    def words(self, plan: Plan | None = None) -> str:
        """This change in a few words, for a message."""
        what = "skip" if self.reason is not None else "unskip"
        return f"the {what} of '{_name(plan, self.date, self.task_id)}' on {_on(self.date)}"


def clean_note(text: str) -> str | None:
    """A note as it is kept: by the day note's rules (control characters removed, blank
    ends trimmed, at most MAX_NOTE characters: OpError past it); None when nothing is left.
    """
    note = clean_text(text).strip()
    if len(note) > MAX_NOTE:
        raise OpError(f"the note is {len(note)} characters; at most {MAX_NOTE}")
    return note or None


class NoteTask(msgspec.Struct, eq=False):
    """Write the runner's note on a task; an empty (or blank) note clears it."""

    date: date
    task_id: str
    note: str
    at: datetime | None = None  # when it was written

    def apply(self, plan: Plan) -> None:
        """Set the task's note, cleaned and checked as a day's note is (`clean_note`)."""
        task = _task(_day(plan, self.date), self.task_id)
        task.note = clean_note(self.note)
        task.note_at = _stamp(self.at)

    def words(self, plan: Plan | None = None) -> str:
        """This change in a few words, for a message."""
        what = "note on" if clean_text(self.note).strip() else "clearing of the note on"
        return f"the {what} '{_name(plan, self.date, self.task_id)}' on {_on(self.date)}"


class RestoreNote(msgspec.Struct, eq=False):
    """Undo of a note: put back the task's note from `before` while it still holds `after`
    (what our change left); with `task`, the undo of the skip that came with the note is
    checked and made with it, so the two come back together or not at all."""

    date: date
    task_id: str
    after: str | None
    before: str | None
    task: RestoreTask | None = None
    at: datetime | None = None  # when it was undone

    def apply(self, plan: Plan) -> None:
        """Put the note (and the skip) back, or OpError if either changed since."""
        found = _task(_day(plan, self.date), self.task_id)
        if found.note != self.after:
            raise OpError(CHANGED_ELSEWHERE)
        if self.task is not None:
            self.task.apply(plan)  # checks before it changes anything
        found.note = self.before
        found.note_at = _stamp(self.at)

    def words(self, plan: Plan | None = None) -> str:
        """This change in a few words, for a message."""
        name = _name(plan, self.date, self.task_id)
        return f"the undo of the note on '{name}' on {_on(self.date)}"


def _title(text: str) -> str:
    title = clean_line(text)
    if not title:
        raise OpError("a task needs a title")
    return title


def new_custom_id(day: Day) -> str:
    """A free id for a runner's own task on a day: 'my-' and six random hex digits.

    Random, so that two programs adding a task to the same day at once (the TUI and the
    command line) can't both pick 'my-1' and have one task overwrite or drop the other.
    """
    import secrets  # adding a task is rare; the first frame doesn't need this

    taken = {t.id for t in day.tasks}
    while True:
        candidate = f"my-{secrets.token_hex(3)}"
        if candidate not in taken:
            return candidate


class AddTask(msgspec.Struct, eq=False):
    """Add a task of the runner's own to a day."""

    date: date
    task_id: str
    title: str
    category: Category = Category.CUSTOM
    dose: str = ""
    done: bool = False  # as it was, when an undo puts a deleted task back
    done_at: datetime | None = None
    skip: SkipReason | None = None
    series: str | None = None  # the repeating task it is a day of, if any
    # As they were, when an undo puts a deleted task back: its note and its stamps.
    note: str | None = None
    changed_at: datetime | None = None
    note_at: datetime | None = None
    edited_at: datetime | None = None

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
                dose=clean_line(self.dose),
                done=self.done,
                done_at=self.done_at if self.done else None,
                skip=self.skip,
                custom=True,
                series=self.series,
                note=self.note,
                changed_at=self.changed_at,
                note_at=self.note_at,
                edited_at=self.edited_at,
            )
        )

    def words(self, plan: Plan | None = None) -> str:
        """This change in a few words, for a message."""
        return f"the new task '{clean_line(self.title)}' on {_on(self.date)}"


def put_back(when: date, task: Task) -> AddTask:
    """The AddTask that puts a deleted task of the runner's own back as it was: its tick,
    skip, repeating task, note and stamps (an undo of its deletion)."""
    return AddTask(
        when,
        task.id,
        task.title,
        task.category,
        task.dose,
        task.done,
        task.done_at,
        task.skip,
        task.series,
        task.note,
        task.changed_at,
        task.note_at,
        task.edited_at,
    )


class EditTask(msgspec.Struct, eq=False):
    """Change the title, dose or category of one of the runner's own tasks."""

    date: date
    task_id: str
    title: str
    category: Category = Category.CUSTOM
    dose: str = ""
    # For an undo: the title, category and dose our edit left; if the task no longer shows
    # them, it was changed elsewhere and the undo is refused.
    after: tuple[str, Category, str] | None = None
    at: datetime | None = None  # when it was edited

    def apply(self, plan: Plan) -> None:
        """Only custom tasks can be edited: the protocol's tasks are the plan's."""
        task = _task(_day(plan, self.date), self.task_id)
        if not task.custom:
            raise OpError(f"'{task.title}' is part of the plan; only your own tasks can change")
        if self.after is not None and (task.title, task.category, task.dose) != tuple(self.after):
            raise OpError(CHANGED_ELSEWHERE)
        title = _title(self.title)
        task.title, task.dose, task.category = (
            title,
            clean_line(self.dose),
            Category(self.category),
        )
        task.edited_at = _stamp(self.at)

    def words(self, plan: Plan | None = None) -> str:
        """This change in a few words, for a message."""
        return f"the change to '{_name(plan, self.date, self.task_id)}' on {_on(self.date)}"


class DeleteTask(msgspec.Struct, eq=False):
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

    def words(self, plan: Plan | None = None) -> str:
        """This change in a few words, for a message."""
        return f"deleting '{_name(plan, self.date, self.task_id)}' on {_on(self.date)}"


class Replan(msgspec.Struct, eq=False):
    """Lay the plan out again from a date by the pain rules and the gate (engine.replan).

    The engine knows one protocol, PROTOCOL: days it re-lays follow it, so a plan laid out
    by an older protocol says PROTOCOL afterwards (`plan.protocol`), whichever change asked
    for the re-plan. `protocol` is set when the runner asked for exactly that: re-laying an
    older plan's coming days by the current protocol (its words say so).
    """

    from_date: date
    today: date
    protocol: int | None = None

    def apply(self, plan: Plan) -> None:
        """Replace the days from `from_date` with their re-planned versions."""
        from planner.engine import InputError, replan_in_place  # loads with the first re-plan

        if self.protocol not in (None, PROTOCOL):
            raise OpError(f"can't re-plan by protocol {self.protocol}; only by {PROTOCOL}")
        try:
            replan_in_place(plan, self.from_date, self.today)
        except InputError as error:  # a plan built in code the loader would have refused
            raise OpError(f"can't re-plan: {error.message}") from None
        if plan.days and max(self.from_date, self.today) <= plan.last_date:
            plan.protocol = PROTOCOL  # some days were laid out again, by this protocol

    def words(self, plan: Plan | None = None) -> str:
        """This change in a few words, for a message."""
        if self.protocol is not None:
            return f"re-laying the days from {_on(self.from_date)} by protocol {self.protocol}"
        return f"re-planning the days from {_on(self.from_date)}"


class RestoreDays(msgspec.Struct, eq=False):
    """Undo of a re-plan by the current protocol: put back the days from `from_date` and
    the plan's protocol, while the plan still holds exactly what the re-plan left there
    (`after`, `protocol_after`); a tick, log or task added there since refuses it."""

    from_date: date
    after: tuple[Day, ...]
    before: tuple[Day, ...]
    protocol_after: int
    protocol_before: int

    def apply(self, plan: Plan) -> None:
        """Put the days and the protocol back, or OpError if the plan changed since."""
        import copy

        index = (self.from_date - plan.first_date).days if plan.days else -1
        if (
            index < 0
            or plan.protocol != self.protocol_after
            or tuple(plan.days[index:]) != tuple(self.after)
        ):
            raise OpError(CHANGED_ELSEWHERE)
        plan.days[index:] = copy.deepcopy(list(self.before))
        plan.protocol = self.protocol_before

    def words(self, plan: Plan | None = None) -> str:
        """This change in a few words, for a message."""
        return (
            f"the undo of re-laying the days from {_on(self.from_date)} "
            f"by protocol {self.protocol_after}"
        )


class TaskBatch(msgspec.Struct, eq=False):
    """Tasks of the runner's own added or deleted on several days at once (the days of a
    repeating task): all of them, or, when one doesn't fit, none."""

    ops: tuple[AddTask | DeleteTask, ...]
    what: str  # the change in a few words: "the repeating task 'Foam roll' (12 days)"

    def apply(self, plan: Plan) -> None:
        """Apply each; on the first that doesn't fit, put the days' tasks back and raise."""
        before: dict[date, list[Task]] = {}
        try:
            for op in self.ops:
                day = _day(plan, op.date)
                before.setdefault(day.date, list(day.tasks))
                op.apply(plan)
        except OpError:
            for when, tasks in before.items():
                _day(plan, when).tasks = tasks
            raise

    def words(self, plan: Plan | None = None) -> str:
        """This change in a few words, for a message."""
        return self.what


class EditInputs(msgspec.Struct, eq=False):
    """Change the plan's inputs (race date, grade, muscle, side, distance, finish time,
    name) as `planner.edit.plan_edit` checked them; a Replan from `start` follows it
    (None: only the name changed, nothing is laid out again)."""

    inputs: PlanInputs
    warning: str | None
    start: date | None
    at: datetime | None = None  # when it was edited

    def apply(self, plan: Plan) -> None:
        """Put the inputs in; see `planner.edit.set_inputs`."""
        from planner.edit import set_inputs  # editing is rare: loaded when it happens

        set_inputs(plan, self.inputs, self.warning, self.start)
        plan.inputs_at = _stamp(self.at)

    def words(self, plan: Plan | None = None) -> str:
        """This change in a few words, for a message."""
        return "the change to the plan's race and injury details"


class RestoreInputs(msgspec.Struct, eq=False):
    """Undo of an edit of the plan's inputs: put back the inputs, the warning and the days
    from the edit's start (`days`), while the plan still holds what the edit left."""

    after: PlanInputs
    before: PlanInputs
    warning_after: str | None
    warning_before: str | None
    days: RestoreDays | None = None
    # The inputs' stamp before the edit: undone, the edit never happened on this copy, and
    # a merge goes by the stamp the inputs had (an edit on the other copy then wins).
    inputs_at_before: datetime | None = None

    def apply(self, plan: Plan) -> None:
        """Put the inputs and the days back, or OpError if the plan changed since."""
        if plan.inputs != self.after or plan.warning != self.warning_after:
            raise OpError(CHANGED_ELSEWHERE)
        if self.days is not None:
            self.days.apply(plan)  # checks before it changes anything
        for field in PlanInputs.__struct_fields__:
            setattr(plan, field, getattr(self.before, field))
        plan.warning = self.warning_before
        plan.inputs_at = self.inputs_at_before

    def words(self, plan: Plan | None = None) -> str:
        """This change in a few words, for a message."""
        return "the undo of the change to the plan's race and injury details"


Op = (
    SetDone
    | RecordRun
    | LogPain
    | RestoreDay
    | RecordGate
    | RestoreGate
    | RestoreTask
    | SkipTask
    | NoteTask
    | RestoreNote
    | AddTask
    | EditTask
    | DeleteTask
    | Replan
    | RestoreDays
    | TaskBatch
    | EditInputs
    | RestoreInputs
)


def stamped(op: Op, at: datetime) -> Op:
    """`op` stamped as made at `at`: an undo's operations are made when the change is, and
    stamped when the runner undoes it (the undo is the later change). An operation without
    a stamp (a re-plan, a task deleted or put back) is returned as it is."""
    if isinstance(op, RestoreNote) and op.task is not None:
        op = msgspec.structs.replace(op, task=stamped(op.task, at))
    if "at" in op.__struct_fields__:
        return msgspec.structs.replace(op, at=at)
    return op


def describe_op(op: Op, plan: Plan | None = None) -> str:
    """An operation in a few words: "the tick of 'Walk short and often' on Sat 21 Nov"
    (tasks named by their title in `plan`, by their id when it no longer has them)."""
    return op.words(plan)
