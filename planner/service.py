"""The use cases both front ends call, written once: toggle, log pain, record a run gate,
skip, add/edit/delete a task of one's own, re-plan by the current protocol, preview, undo,
save, refresh, export, and making a new plan.

`PlanSession` is one plan open in a front end: the TUI calls it and re-renders, the command
line parses its arguments and forwards to it; neither touches the file itself, and neither
repeats a rule (which day may take a log or a gate, the gate's verdict, what a re-plan
changed). Every change is applied in memory first and then saved at once; when a save fails
the change stays in memory (and queued) and `save()` can be retried. The clock comes in as
an argument.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from planner.dates import long_date, short_date
from planner.model import (
    PROTOCOL,
    Category,
    Day,
    GateResult,
    Phase,
    Plan,
    PlanInputs,
    Safety,
    SkipReason,
    Task,
    clean_line,
)
from planner.ops import (
    AddTask,
    DeleteTask,
    EditInputs,
    EditTask,
    LogPain,
    NoteTask,
    Op,
    OpError,
    RecordGate,
    RecordRun,
    Replan,
    RestoreDay,
    RestoreDays,
    RestoreGate,
    RestoreInputs,
    RestoreNote,
    RestoreTask,
    SetDone,
    SkipTask,
    TaskBatch,
    clean_note,
    describe_op,
    new_custom_id,
    put_back,
    stamped,
)
from planner.paths import new_plan_path
from planner.rules import load_rules
from planner.store import PlanExists, PlanFile, SaveError, atomic_write
from planner.words import plural

# Loaded where they are used: a watch's activity is read by `planner import` alone, and
# editing the inputs or repeating a task is rare.
if TYPE_CHECKING:
    from planner.activity import Activity
    from planner.changes import EditChanges
    from planner.edit import Edit
    from planner.repeat import Repeat

# The id of the plan's run on a day (the engine's, not a task of the runner's own).
RUN_ID = "run"

# What can be done on a day that has come, said when a later day is refused.
PAIN_LOGGED = "pain can be logged"
TICKED = "a task can be ticked"


class ChangeRefused(ValueError):
    """A change that makes no sense (a day that hasn't come yet); the message says why."""


class Undo(msgspec.Struct, frozen=True):
    """What undoing the last change does, and how to say it."""

    label: str
    ops: tuple[Op, ...]


class ActivityRun(msgspec.Struct, frozen=True):
    """The run a watch activity ticks: its date and task, and whether this activity
    ticked it already (importing it again changes nothing)."""

    date: date
    task: Task
    already: bool = False


class PlanSession:
    """A PlanFile with an undo stack and a record of the last save."""

    def __init__(
        self,
        plan_file: PlanFile,
        today: date,
        now: Callable[[], datetime],
        home: Path | None = None,
    ) -> None:
        self.file = plan_file
        self.today = today
        self.now = now
        # The app's home: its state file may name a calendar file to rewrite after each
        # save (planner.calendar_sync); None keeps none up to date.
        self.home = home
        self.calendar_error: str | None = None  # why the last save's calendar wasn't written
        self.undo_stack: list[Undo] = []
        self.save_error: str | None = None
        self.saved_at: datetime | None = None
        self.changes: list[str] = []  # what the last change's re-plan changed, in words
        self.added_id: str | None = None  # the id of the task `add_task` added last
        self.added: list[tuple[date, str]] = []  # the days and ids `add_series` added last
        self.edit_changes: EditChanges | None = None  # what `edit_plan` changed last

    @property
    def plan(self) -> Plan:
        """The plan as it is in memory (saved or not)."""
        return self.file.plan

    @property
    def unsaved(self) -> bool:
        """Whether changes are waiting for a successful save (or no longer fit the plan)."""
        return self.file.unsaved

    def unsaved_words(self) -> list[str]:
        """Each change not in the file yet, in words, for the runner deciding to quit."""
        plan = self.plan
        lines = [
            describe_op(op, plan)
            for op in self.file.pending
            # a re-plan goes with the log that asked for it; a re-plan by protocol is its own
            if not isinstance(op, Replan) or op.protocol is not None
        ]
        lines += [
            f"{describe_op(op, plan)} (no longer fits: {why})" for op, why in self.file.unapplied
        ]
        return lines

    def _check_day(
        self, when: date, *, future_ok: bool = False, done: str = "logged or ticked"
    ) -> Day:
        """The plan's day for `when`, or ChangeRefused saying why it can't change: outside
        the plan, or (for logs and ticks) a day that hasn't come yet, said with what can be
        `done` on today or an earlier day ("pain can be logged", "a task can be ticked")."""
        plan = self.plan
        day = plan.day(when)
        if day is None:
            raise ChangeRefused(
                f"{long_date(when)} is outside the plan, which runs from "
                f"{long_date(plan.first_date)} to {long_date(plan.last_date)}"
            )
        if when > self.today and not future_ok:
            raise ChangeRefused(
                f"{long_date(when)} hasn't come yet: {done} for today or an earlier day"
            )
        return day

    def _change(self, ops: list[Op], undo: Callable[[], Undo]) -> bool:
        """Apply the runner's change, remember how to undo it, and save at once.

        `undo` is called once the change is in the plan: an undo restores what was there
        before only while the plan still shows what this change left. When the change
        re-plans, `changes` says afterwards what the re-plan changed, measured on the plan
        that was saved (another program's save in between included, never claimed as ours).
        """
        self.changes = []
        before: Plan | None = None
        mine: list[Op] = []
        for op in ops:
            if isinstance(op, Replan):
                before = copy.deepcopy(self.plan)
            else:
                mine.append(op)
            try:
                self.file.apply(op)
            except OpError as error:
                raise ChangeRefused(str(error)) from None
        self.undo_stack.append(undo())
        self.file.merged_onto = None  # a base kept by an earlier merge is not this change's
        saved = self.save(keep_merge_base=before is not None)
        if before is not None:
            merged = self.file.merged_onto
            if merged is not None:  # our change went onto another program's plan
                before = merged
                for op in mine:
                    op.apply(before)
            from planner.changes import describe_changes

            self.changes = describe_changes(before, self.plan)
        return saved

    def _replan(self, when: date) -> Replan:
        return Replan(when + timedelta(days=1), self.today)

    def preview(self, ops: list[Op], when: date, *, replan: Replan | None = None) -> list[str]:
        """What re-planning after `ops` (a change made on `when`) would change, line by line.

        Nothing is applied: the runner sees this and then accepts, or cancels and nothing
        at all is recorded. `replan` replaces the usual re-plan of the days after `when`.
        """
        trial = copy.deepcopy(self.plan)
        for op in ops:
            op.apply(trial)
        before = copy.deepcopy(trial)
        (replan or self._replan(when)).apply(trial)
        from planner.changes import describe_changes

        return describe_changes(before, trial)

    # ------------------------------------------------------------------ changes

    def _task(self, day: Day, task_id: str):
        task = day.task(task_id)
        if task is None:
            raise ChangeRefused(f"No task {task_id!r} on {day.date}")
        return task

    def _restore_task(self, when: date, task_id: str, label: str, replan: bool) -> Callable:
        """How to undo a change to one task's done and skip (and the minutes run): put back
        what it has now."""
        task = self._task(self.plan.day(when), task_id)
        before = (task.done, task.done_at, task.skip, task.actual_minutes, task.activity_start)

        def undo() -> Undo:
            now = self.plan.day(when).task(task_id)
            after = (now.done, now.skip)
            ops: list[Op] = [
                RestoreTask(when, task_id, after, *before, after_minutes=now.actual_minutes)
            ]
            if replan:
                ops.append(self._replan(when))
            return Undo(label, tuple(ops))

        return undo

    def set_done(self, when: date, task_id: str, done: bool) -> bool:
        """Tick (done) or untick a task of a day that has come; returns whether it was saved.

        Unticking a run ticked with minutes other than the plan's re-plans the days after
        it: the load rules no longer count what was run.
        """
        task = self._task(self._check_day(when, done=TICKED), task_id)
        label = f"{'tick' if done else 'untick'} of '{task.title}'"
        replan = self.tick_replans(when, task_id, done)
        ops: list[Op] = [SetDone(when, task_id, done, self.now())]
        if replan:
            ops.append(self._replan(when))
        undo = self._restore_task(when, task_id, label, replan=replan)
        return self._change(ops, undo)

    def tick_replans(self, when: date, task_id: str, done: bool) -> bool:
        """Whether ticking (done) or unticking this task re-plans the days after it:
        unticking the plan's run ticked with minutes other than its own does."""
        task = self._task(self._check_day(when, done=TICKED), task_id)
        return not done and task.id == RUN_ID and _counted_minutes(task) != task.minutes

    def check_run(self, when: date, task_id: str):
        """The run task `task_id` of a day that has come, or ChangeRefused saying why it
        can't take the minutes run (no such task, not a run, a day not come yet)."""
        task = self._task(self._check_day(when, done=TICKED), task_id)
        if task.category != Category.RUN:
            raise ChangeRefused(
                f"'{task.title}' is not a run: only a run is ticked with the minutes run"
            )
        return task

    def run_replans(self, when: date, task_id: str, minutes: int) -> bool:
        """Whether ticking this run with `minutes` re-plans the days after it: the load
        rules count what was run, so a figure other than the one they count now does."""
        task = self.check_run(when, task_id)
        return task.id == RUN_ID and _counted_minutes(task) != minutes

    def record_run(
        self, when: date, task_id: str, minutes: int, activity_start: datetime | None = None
    ) -> bool:
        """Tick a run of a day that has come with the minutes actually run (from a watch
        activity that started at `activity_start`, when given) and, when the figure is not
        the one the load rules counted, re-plan the days after it. Returns whether it was
        saved; undo puts back the tick and the figure as they were."""
        task = self.check_run(when, task_id)
        replan = self.run_replans(when, task_id, minutes)
        ops: list[Op] = [RecordRun(when, task_id, minutes, self.now(), activity_start)]
        if replan:
            ops.append(self._replan(when))
        undo = self._restore_task(when, task_id, f"run of '{task.title}'", replan=replan)
        return self._change(ops, undo)

    def run_for_activity(self, activity: Activity, zone: tzinfo | None = None) -> ActivityRun:
        """The run a watch activity ticks: the plan's run on the date the activity started
        in `zone` (None: the system's local zone). Nothing is changed here.

        ChangeRefused, saying why: an activity of another sport, a date outside the plan or
        not come yet, a day without a run, or a run ticked from another activity (the
        runner unticks it first, so one run never counts two activities).
        """
        if not activity.is_run:
            raise ChangeRefused(
                f"the activity is {activity.sport}, not a run; only a run ticks the plan's run"
            )
        if activity.minutes == 0:  # a watch started and stopped: no run to count
            raise ChangeRefused("the activity moved for less than a minute: no run to tick")
        when = activity.local_date(zone)
        day = self._check_day(when, done=TICKED)
        task = day.task(RUN_ID)
        if task is None or task.category != Category.RUN:
            raise ChangeRefused(
                f"no run is planned on {long_date(when)}, the day the activity started"
            )
        start = activity.start.replace(microsecond=0)
        if task.activity_start is not None and task.activity_start != start:
            other = task.activity_start.astimezone(zone)
            raise ChangeRefused(
                f"the run on {short_date(when)} was ticked from another activity (started "
                f"{other:%H:%M}); untick it first (planner tick run --undo --date {when})"
            )
        return ActivityRun(when, task, already=task.activity_start == start)

    def toggle(self, when: date, task_id: str) -> bool:
        """Tick a task, or untick it if it was done; returns whether it was saved."""
        task = self._task(self._check_day(when, done=TICKED), task_id)
        return self.set_done(when, task_id, not task.done)

    def pain_ops(self, when: date, score: int, note: str | None, at_rest: bool | None) -> list[Op]:
        """The operations that log a day's pain (for `preview` and `log_pain`).

        A note or pain-at-rest of None leaves the day's as it was; "" clears the note.
        """
        return [LogPain(when, score, note, at_rest, self.now())]

    def log_pain(
        self, when: date, score: int, note: str | None = None, at_rest: bool | None = None
    ) -> bool:
        """Log a day's pain (0-10), note and pain at rest, and re-plan the days after it.

        Never one without the other: a pain log that the plan didn't answer would leave
        tomorrow's load as if nothing had been said.
        """
        day = self._check_day(when, done=PAIN_LOGGED)
        before = (day.pain, day.note, day.at_rest)
        ops = [*self.pain_ops(when, score, note, at_rest), self._replan(when)]

        def undo() -> Undo:
            now = self.plan.day(when)
            after = (now.pain, now.note, now.at_rest)
            restore = (RestoreDay(when, after, before), self._replan(when))
            return Undo(f"pain log of {when:%a %d %b}", restore)

        return self._change(ops, undo)

    def gate_ops(
        self, when: date, raises: int, hops: int, walk_min: int, other_side: int | None = None
    ) -> list[Op]:
        """The operations that record a run-gate test, judged by `gate_result`."""
        result = gate_result(raises, hops, walk_min, other_side)
        return [RecordGate(when, result, self.now())]

    def check_log_day(self, when: date) -> Day:
        """The day a pain log of `when` goes on, or ChangeRefused saying why not
        (outside the plan, or a day that hasn't come yet): asked by both front ends before
        anything is typed, and again by the change itself."""
        return self._check_day(when, done=PAIN_LOGGED)

    def check_gate_day(self, when: date) -> Day:
        """The day a run-gate test of `when` goes on, or ChangeRefused saying why not: a
        day that hasn't come, a protect day, or before the gate's earliest day (the table's,
        after two days of single-leg raises and a practice of the hops)."""
        day = self._check_day(when, done="a run-gate test can be recorded")
        if day.phase == Phase.PROTECT:
            first = next((d.date for d in self.plan.days if d.phase != Phase.PROTECT), None)
            after = f", from {short_date(first)}" if first else ""
            raise ChangeRefused(f"the run gate comes after the protect days{after}")
        from planner.engine import earliest_gate  # the engine loads with the first re-plan

        plan = self.plan
        first_day = plan.injury_date + timedelta(
            days=earliest_gate(plan.injury, plan.grade, muscle=plan.muscle)
        )
        if when < first_day:
            raise ChangeRefused(
                f"the run gate comes from {short_date(first_day)} at the earliest, after "
                "two days of single-leg raises and a practice of the hops"
            )
        return day

    def record_gate(
        self, when: date, raises: int, hops: int, walk_min: int, other_side: int | None = None
    ) -> bool:
        """Record a run-gate test on a day, and re-plan the days after it by its result."""
        day = self.check_gate_day(when)
        gate_task = day.task("gate")
        before, before_at = day.gate, gate_task.done_at if gate_task else None
        ops = [*self.gate_ops(when, raises, hops, walk_min, other_side), self._replan(when)]

        def undo() -> Undo:
            after = self.plan.day(when).gate
            restore = (RestoreGate(when, after, before, before_at), self._replan(when))
            return Undo(f"run gate of {when:%a %d %b}", restore)

        return self._change(ops, undo)

    def skip_feeds_pain(self, when: date, task_id: str, reason: SkipReason | None) -> bool:
        """Whether this skip (or taking back a pain skip) counts in the pain rules: a skip
        for pain on a day that has come re-plans the days after it."""
        task = self._task(self._check_day(when, future_ok=True), task_id)
        return SkipReason.PAIN in (reason, task.skip) and when <= self.today

    def skip(
        self, when: date, task_id: str, reason: SkipReason | None, note: str | None = None
    ) -> bool:
        """Skip a task with a reason (None clears the skip); a pain skip re-plans. A `note`
        (the words of a skip for 'other') is written on the task with it, and undone with it.
        """
        task = self._task(self._check_day(when, future_ok=True), task_id)
        feeds_pain = self.skip_feeds_pain(when, task_id, reason)
        # A skip drops the minutes a run was ticked with: the load rules count the plan's.
        replan = feeds_pain or (reason is not None and _counted_minutes(task) != task.minutes)
        ops: list[Op] = [SkipTask(when, task_id, reason, self.now())]
        if replan:
            ops.append(self._replan(when))
        label = f"{'skip' if reason else 'unskip'} of '{task.title}'"
        undo = self._restore_task(when, task_id, label, replan=replan)
        if note is not None:  # the skip's words: checked first, saved and undone with it
            self._check_note(note)
            ops.insert(1, NoteTask(when, task_id, note, self.now()))
            undo = self._noted(when, task_id, undo)
        return self._change(ops, undo)

    def _check_note(self, note: str) -> None:
        """ChangeRefused, before anything changes, for a note the plan can't keep."""
        try:
            clean_note(note)
        except OpError as error:
            raise ChangeRefused(str(error)) from None

    def set_note(self, when: date, task_id: str, note: str) -> bool:
        """Write the runner's note on a task of any day of the plan; "" clears it."""
        task = self._task(self._check_day(when, future_ok=True), task_id)
        self._check_note(note)
        before = task.note

        def undo() -> Undo:
            after = self.plan.day(when).task(task_id).note
            return Undo(f"note on '{task.title}'", (RestoreNote(when, task_id, after, before),))

        return self._change([NoteTask(when, task_id, note, self.now())], undo)

    def _noted(self, when: date, task_id: str, undo: Callable[[], Undo]) -> Callable[[], Undo]:
        """`undo` of a change to one task (its first operation restores the task) made
        with a note on the task: one undo that puts back the note and the task together."""
        before = self._task(self.plan.day(when), task_id).note

        def both() -> Undo:
            change = undo()
            restore, *rest = change.ops
            after = self.plan.day(when).task(task_id).note
            return Undo(change.label, (RestoreNote(when, task_id, after, before, restore), *rest))

        return both

    def add_task(self, when: date, title: str, category: Category, dose: str) -> bool:
        """Add a task of the runner's own to a day (any day of the plan); its id is then in
        `added_id`."""
        day = self._check_day(when, future_ok=True)
        new_id = new_custom_id(day)
        self.added_id = new_id
        op = AddTask(when, new_id, title, category, dose)
        return self._change([op], lambda: Undo(f"adding '{title}'", (DeleteTask(when, new_id),)))

    def edit_task(
        self, when: date, task_id: str, title: str, category: Category, dose: str
    ) -> bool:
        """Change one of the runner's own tasks."""
        task = self._task(self._check_day(when, future_ok=True), task_id)
        old = (task.title, task.category, task.dose)

        def undo() -> Undo:
            now = self.plan.day(when).task(task_id)
            after = (now.title, now.category, now.dose)
            return Undo(f"edit of '{old[0]}'", (EditTask(when, task_id, *old, after=after),))

        edit = EditTask(when, task_id, title, category, dose, at=self.now())
        return self._change([edit], undo)

    def _protocol_replan(self) -> Replan:
        """The re-plan of an older plan's coming days (from today) by the current protocol,
        or ChangeRefused when there is nothing to re-lay."""
        plan = self.plan
        if plan.protocol >= PROTOCOL:
            raise ChangeRefused(f"already laid out by protocol {plan.protocol}")
        if self.today > plan.last_date:
            raise ChangeRefused(
                f"the plan ended on {long_date(plan.last_date)}; it has no coming days to re-lay"
            )
        return Replan(max(self.today, plan.first_date), self.today, PROTOCOL)

    def protocol_preview(self) -> list[str]:
        """What re-laying the coming days by the current protocol would change, line by
        line (the first says which protocol lays them out now); nothing is applied.

        ChangeRefused when the plan is laid out by the current protocol already.
        """
        return self.preview([], self.today, replan=self._protocol_replan())

    def replan_protocol(self) -> bool:
        """Re-lay a plan of an older protocol from today by the current one; returns whether
        it was saved, and `changes` says what changed.

        Past days never change; the ticks, skips, pain, notes, gate results and the
        runner's own tasks of the days from today are kept (the engine's merge). Undo puts
        the old days and protocol back while nothing in them changed since.
        """
        op = self._protocol_replan()
        start = op.from_date

        def undo(base: Plan) -> Undo:
            plan = self.plan
            before = tuple(copy.deepcopy(base.days[(start - base.first_date).days :]))
            after = tuple(copy.deepcopy(plan.days[(start - plan.first_date).days :]))
            restore = RestoreDays(start, after, before, plan.protocol, base.protocol)
            return Undo(f"re-plan by protocol {PROTOCOL}", (restore,))

        ours = copy.deepcopy(self.plan)
        saved = self._change([op], lambda: undo(ours))
        if saved and self.file.merged_onto is not None:
            # Our re-plan went onto another program's save: undo puts back the days as that
            # save left them, so it never takes back the other program's changes.
            self.undo_stack[-1] = undo(self.file.merged_onto)
        return saved

    def delete_task(self, when: date, task_id: str) -> bool:
        """Delete one of the runner's own tasks."""
        task = self._task(self._check_day(when, future_ok=True), task_id)
        back = put_back(when, task)  # undone, it is as it was, of its repeating task again
        return self._change(
            [DeleteTask(when, task_id)], lambda: Undo(f"delete of '{task.title}'", (back,))
        )

    # ------------------------------------------------------------------ repeating tasks

    def add_series(
        self, start: date, until: date, repeat: Repeat, title: str, category: Category, dose: str
    ) -> bool:
        """Add a repeating task of the runner's own: a task of its own on each day `repeat`
        falls on from `start` to `until` (both included, both days of the plan), all
        sharing one series id. The new tasks' days and ids are then in `added`.

        ChangeRefused when a day is outside the plan, `until` comes before `start`, or the
        repeat falls on no day between them. All the days are added, or none.
        """
        from planner.repeat import new_series_id, occurrences

        self._check_day(start, future_ok=True)
        self._check_day(until, future_ok=True)
        if until < start:
            raise ChangeRefused(
                f"{long_date(until)} comes before the first day, {long_date(start)}"
            )
        dates = occurrences(repeat, start, until)
        if not dates:
            raise ChangeRefused(
                f"{repeat.words()} falls on no day from {short_date(start)} to {short_date(until)}"
            )
        series = new_series_id()
        adds = tuple(
            AddTask(when, new_custom_id(self.plan.day(when)), title, category, dose, series=series)
            for when in dates
        )
        self.added = [(op.date, op.task_id) for op in adds]
        self.added_id = adds[0].task_id
        what = f"'{clean_line(title)}' {repeat.words()} ({plural(len(adds), 'day')})"
        undo = TaskBatch(tuple(DeleteTask(op.date, op.task_id) for op in adds), f"adding {what}")
        return self._change(
            [TaskBatch(adds, f"the repeating task {what}")],
            lambda: Undo(f"adding of {what}", (undo,)),
        )

    def series_rest(self, when: date, task_id: str) -> list[tuple[date, str]]:
        """The later days of the repeating task the task `task_id` on `when` is a day of,
        as (date, task id), leaving out the ones ticked or skipped (what was done stays on
        record): what 'this one and the later ones' deletes with it. [] for a task that
        doesn't repeat."""
        task = self._task(self._check_day(when, future_ok=True), task_id)
        if not task.series or not task.custom:
            return []
        return [
            (day.date, other.id)
            for day in self.plan.days
            if day.date > when
            for other in day.tasks
            if other.series == task.series
            and other.custom
            and not other.done
            and other.skip is None
        ]

    def delete_series(self, when: date, task_id: str) -> bool:
        """Delete one of the runner's own tasks and the later days of its repeating task
        (`series_rest`); undo puts every one of them back. All of them go, or none."""
        task = self._task(self._check_day(when, future_ok=True), task_id)
        gone = [
            (when, task),
            *((d, self.plan.day(d).task(i)) for d, i in self.series_rest(when, task_id)),
        ]
        what = f"'{task.title}' and its later days ({plural(len(gone), 'day')})"
        backs = []
        for day, one in gone:
            backs.append(put_back(day, one))
        deletes = TaskBatch(tuple(DeleteTask(d, t.id) for d, t in gone), f"deleting {what}")
        return self._change(
            [deletes],
            lambda: Undo(f"delete of {what}", (TaskBatch(tuple(backs), f"putting back {what}"),)),
        )

    # ------------------------------------------------------------------ the plan's inputs

    def plan_edit(self, inputs: PlanInputs) -> Edit:
        """New inputs for the plan checked as a new plan's are (`planner.edit.plan_edit`):
        the Edit to preview and apply, or InputError naming the input that can't be."""
        from planner.edit import plan_edit

        return plan_edit(self.plan, inputs, self.today)

    def _edit_ops(self, edit: Edit) -> list[Op]:
        ops: list[Op] = [EditInputs(edit.inputs, edit.warning, edit.start, self.now())]
        if edit.start is not None:
            ops.append(Replan(edit.start, self.today))
        return ops

    def edit_preview(self, edit: Edit) -> EditChanges:
        """What the edit would change, measured on a copy of the plan; nothing is applied."""
        from planner.changes import describe_edit

        trial = copy.deepcopy(self.plan)
        try:
            for op in self._edit_ops(edit):
                op.apply(trial)
        except OpError as error:
            raise ChangeRefused(str(error)) from None
        return describe_edit(self.plan, trial, edit.start)

    def edit_plan(self, edit: Edit) -> bool:
        """Change the plan's inputs and lay its days out again from the edit's start;
        returns whether it was saved, and `edit_changes` says what changed (measured on
        the plan saved: another program's save in between included, never claimed as ours).

        Past days never change; on the days laid out again the ticks, skips, pain logs,
        notes, gate results and the runner's own tasks are kept (the engine's merge), and
        no day holding any of them is dropped. Undo puts the inputs and the days back while
        nothing in them changed since.
        """
        from planner.changes import describe_edit

        start = edit.start

        def undo(base: Plan) -> Undo:
            plan = self.plan
            days = None
            if start is not None:
                after = plan.days[(start - plan.first_date).days :]
                before = base.days[(start - base.first_date).days :]
                days = RestoreDays(
                    start,
                    tuple(copy.deepcopy(after)),
                    tuple(copy.deepcopy(before)),
                    plan.protocol,
                    base.protocol,
                )
            restore = RestoreInputs(
                plan.inputs, base.inputs, plan.warning, base.warning, days, base.inputs_at
            )
            return Undo("change to the plan's race and injury details", (restore,))

        ours = copy.deepcopy(self.plan)
        saved = self._change(self._edit_ops(edit), lambda: undo(ours))
        base = ours
        if saved and self.file.merged_onto is not None:
            # Our edit went onto another program's save: undo puts back the plan as that
            # save left it, and the changes are measured from it.
            base = self.file.merged_onto
            self.undo_stack[-1] = undo(base)
        self.edit_changes = describe_edit(base, self.plan, start)
        self.changes = self.edit_changes.lines
        return saved

    # ------------------------------------------------------------------ a copy merged in

    def merge_preview(self, copy_plan: Plan) -> list[str]:
        """What merging a copy of this plan (a sync tool's conflict copy) would change, a
        line per change; nothing is applied. ChangeRefused, saying why, when it is no copy
        of this plan (planner.merge)."""
        from planner.merge import MergeRefused, describe_merge, merge_plans

        try:
            merged = merge_plans(self.plan, copy_plan, self.today)
        except MergeRefused as error:
            raise ChangeRefused(str(error)) from None
        return describe_merge(self.plan, merged)

    def merge_copy(self, op: Op) -> bool:
        """Fold a copy into the plan (`planner.merge.MergeCopy`) and save it at once, as a
        change of the runner's; returns whether it was saved (like every change, kept and
        retried when not). Not undone by `undo`: the plan as it was is kept as a backup
        file (planner.merge.merge_files). When another program saved the plan meanwhile,
        the merge went onto that version, which `file.merged_onto` holds."""
        self.changes = []
        self.file.merged_onto = None
        try:
            self.file.apply(op)
        except OpError as error:
            raise ChangeRefused(str(error)) from None
        return self.save(keep_merge_base=True)

    def merge_file(self, path: Path):
        """Merge the copy of this plan in the file `path` into it: the plan as it was kept
        beside it, the copy moved out of the plans list (`planner.merge.merge_files`, which
        says what it returns). PlanError for a copy that can't be read, ChangeRefused for
        one that is no copy of this plan, SaveError when the plan can't be saved."""
        from planner.merge import merge_files, read_copy, same_plan_problem

        found = read_copy(path)
        problem = same_plan_problem(self.plan, found.plan)
        if problem is not None:
            raise ChangeRefused(problem)
        return merge_files(self, found)

    def export(
        self,
        fmt: str,
        path: Path,
        *,
        remind: time | None = None,
        pain_reminder: time | None = None,
    ) -> None:
        """Write the plan as 'ics' or 'md' to `path` (SaveError if it can't be written);
        an .ics with the alarms `remind` and `pain_reminder` ask for (planner.export)."""
        from planner.export import export_target_problem, to_ics, to_markdown

        problem = export_target_problem(path, self.file.path)
        if problem:  # a symlink, a device, the plan itself: never replaced by an export
            raise SaveError(f"{path}: not exported: {problem}")
        if fmt == "ics":
            data = to_ics(self.plan, self.now(), remind=remind, pain_reminder=pain_reminder)
        else:
            data = to_markdown(self.plan, self.today).encode()
        atomic_write(path, data, backup=False)

    def undo(self) -> str | None:
        """Undo our last change as it stands in the plan now; returns what was undone.

        None when there is nothing to undo. ChangeRefused, with nothing changed, when
        another program changed the same thing since (its change is kept).
        """
        if not self.undo_stack:
            return None
        last = self.undo_stack.pop()
        first, *rest = last.ops
        first = stamped(first, self.now())  # the undo is a change of its own, made now
        try:
            self.file.apply(first)
        except OpError as error:
            raise ChangeRefused(f"The {last.label} was not undone: {error}.") from None
        for op in rest:  # the re-plan after it: fits any plan
            self.file.apply(op)
        self.save()
        return last.label

    def save(self, *, keep_merge_base: bool = False) -> bool:
        """Save pending changes; on failure keep them and remember the error."""
        if not self.file.unsaved:
            self.save_error = None
            return True
        try:
            self.file.save(keep_merge_base=keep_merge_base)
        except SaveError as error:
            self.save_error = str(error)
            return False
        self.save_error = None
        self.saved_at = self.now()
        self._update_calendar()
        return True

    def _update_calendar(self) -> None:
        """After a save: rewrite the calendar file the state file names for this plan, if
        any. A failure is kept in `calendar_error` for the front end to say; it never fails
        or undoes the save, which has happened."""
        self.calendar_error = None
        if self.home is None:
            return
        from planner.calendar_sync import update_after_save

        self.calendar_error = update_after_save(
            self.home, self.file.path, self.plan, self.saved_at or self.now()
        )

    def refresh(self) -> bool:
        """Take in another program's changes to the file; True if the plan changed.

        Raises PlanError if the file can no longer be read (ours stays in memory).
        """
        return self.file.refresh()


def _counted_minutes(task: Task) -> int | None:
    """A task's minutes as the load rules count them (engine.History): what was run, for a
    ticked run with a figure; else the plan's."""
    if task.done and task.skip is None and task.actual_minutes is not None:
        return task.actual_minutes
    return task.minutes


def gate_result(raises: int, hops: int, walk_min: int, other_side: int | None = None) -> GateResult:
    """A run-gate test judged by the protocol's thresholds: the one verdict every front end
    shows. With the other calf counted, the sore side also needs its share of that count."""
    test = load_rules().gate_test
    passed = (
        raises >= test.raises
        and hops >= test.hops
        and walk_min >= test.walk_minutes
        and raises >= other_side_needs(other_side)
    )
    return GateResult(raises, hops, walk_min, passed, other_side)


def other_side_needs(other_side: int | None) -> int:
    """The raises the sore side needs for its share of the other side's count (0 when the
    other side wasn't counted): 90% of it, rounded up, so a share never passes short."""
    if other_side is None:
        return 0
    fraction = load_rules().gate_test.other_side_fraction
    return math.ceil(other_side * fraction - 1e-9)


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
    from planner.engine import build_plan  # making a plan is rare; opening one is daily

    plan = build_plan(inputs, today, created=created)
    plan.safety = safety
    if path is not None:
        return PlanFile.create(path, plan)
    # exist_ok: another `planner new` may make the home folder in the same moment.
    folder.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    for _ in range(100):  # another program may take the same free name a moment before us
        try:
            return PlanFile.create(new_plan_path(folder, plan.name), plan)
        except PlanExists:
            continue
    raise SaveError(f"{folder}: not saved: no free file name for '{plan.name}'")
