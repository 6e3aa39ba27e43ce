"""One plan open in an interactive front end: tick, log pain, undo, save, reload.

The TUI calls this and re-renders; it never touches the file itself. Every change is
applied in memory first and then saved at once; when a save fails the change stays in
memory (and queued) and `save()` can be retried. The clock comes in as an argument.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

from planner.model import Category, Day, GateResult, Phase, Plan, PlanInputs, Safety, SkipReason
from planner.ops import (
    AddTask,
    DeleteTask,
    EditTask,
    LogPain,
    Op,
    OpError,
    RecordGate,
    Replan,
    RestoreDay,
    RestoreGate,
    RestoreTask,
    SetDone,
    SkipTask,
    describe_op,
    new_custom_id,
)
from planner.paths import new_plan_path
from planner.record import record
from planner.rules import load_rules
from planner.store import PlanExists, PlanFile, SaveError, atomic_write


class ChangeRefused(ValueError):
    """A change that makes no sense (a day that hasn't come yet); the message says why."""


@record(eq=True, frozen=True)
class Undo:
    """What undoing the last change does, and how to say it."""

    label: str
    ops: tuple[Op, ...]


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
        """Whether changes are waiting for a successful save (or no longer fit the plan)."""
        return self.file.unsaved

    def unsaved_words(self) -> list[str]:
        """Each change not in the file yet, in words, for the runner deciding to quit."""
        plan = self.plan
        lines = [describe_op(op, plan) for op in self.file.pending if not isinstance(op, Replan)]
        lines += [
            f"{describe_op(op, plan)} (no longer fits: {why})" for op, why in self.file.unapplied
        ]
        return lines

    def _check_day(self, when: date, *, future_ok: bool = False) -> Day:
        day = self.plan.day(when)
        if day is None:
            raise ChangeRefused(f"{when} is outside the plan")
        if when > self.today and not future_ok:
            raise ChangeRefused("That day hasn't come yet: log it on the day.")
        return day

    def _change(self, ops: list[Op], undo: Callable[[], Undo]) -> bool:
        """Apply the runner's change, remember how to undo it, and save at once.

        `undo` is called once the change is in the plan: an undo restores what was there
        before only while the plan still shows what this change left.
        """
        for op in ops:
            try:
                self.file.apply(op)
            except OpError as error:
                raise ChangeRefused(str(error)) from None
        self.undo_stack.append(undo())
        return self.save()

    def _replan(self, when: date) -> Replan:
        return Replan(when + timedelta(days=1), self.today)

    def preview(self, ops: list[Op], when: date) -> list[str]:
        """What re-planning after `ops` (a change made on `when`) would change, line by line.

        Nothing is applied: the runner sees this and then accepts or declines.
        """
        trial = copy.deepcopy(self.plan)
        for op in ops:
            op.apply(trial)
        before = copy.deepcopy(trial)
        self._replan(when).apply(trial)
        from planner.changes import describe_changes

        return describe_changes(before, trial)

    # ------------------------------------------------------------------ changes

    def _task(self, day: Day, task_id: str):
        task = day.task(task_id)
        if task is None:
            raise ChangeRefused(f"No task {task_id!r} on {day.date}")
        return task

    def _restore_task(self, when: date, task_id: str, label: str, replan: bool) -> Callable:
        """How to undo a change to one task's done and skip: put back what it has now."""
        task = self._task(self.plan.day(when), task_id)
        before = (task.done, task.done_at, task.skip)

        def undo() -> Undo:
            now = self.plan.day(when).task(task_id)
            ops: list[Op] = [RestoreTask(when, task_id, (now.done, now.skip), *before)]
            if replan:
                ops.append(self._replan(when))
            return Undo(label, tuple(ops))

        return undo

    def toggle(self, when: date, task_id: str) -> bool:
        """Tick a task, or untick it if it was done; returns whether it was saved."""
        task = self._task(self._check_day(when), task_id)
        label = f"{'tick' if not task.done else 'untick'} of '{task.title}'"
        undo = self._restore_task(when, task_id, label, replan=False)
        return self._change([SetDone(when, task_id, not task.done, self.now())], undo)

    def pain_ops(self, when: date, score: int, note: str | None, at_rest: bool) -> list[Op]:
        """The operations that log a day's pain (for `preview` and `log_pain`)."""
        return [LogPain(when, score, note if note is not None else "", at_rest)]

    def log_pain(
        self,
        when: date,
        score: int,
        note: str | None,
        at_rest: bool = False,
        *,
        replan: bool = True,
    ) -> bool:
        """Log a day's pain (0-10), note and pain at rest; re-plan after it unless declined."""
        day = self._check_day(when)
        before = (day.pain, day.note, day.at_rest)
        ops = self.pain_ops(when, score, note, at_rest)
        if replan:
            ops.append(self._replan(when))

        def undo() -> Undo:
            now = self.plan.day(when)
            restore: list[Op] = [RestoreDay(when, (now.pain, now.note, now.at_rest), before)]
            if replan:
                restore.append(self._replan(when))
            return Undo(f"pain log of {when:%a %d %b}", tuple(restore))

        return self._change(ops, undo)

    def gate_ops(self, when: date, raises: int, hops: int, walk_min: int) -> list[Op]:
        """The operations that record a run-gate test, judged by the protocol's thresholds."""
        test = load_rules().gate_test
        passed = raises >= test.raises and hops >= test.hops and walk_min >= test.walk_minutes
        return [RecordGate(when, GateResult(raises, hops, walk_min, passed), self.now())]

    def record_gate(
        self, when: date, raises: int, hops: int, walk_min: int, *, replan: bool = True
    ) -> bool:
        """Record a run-gate test on a day; re-plan after it unless declined."""
        day = self._check_day(when)
        if day.phase == Phase.PROTECT:
            raise ChangeRefused("The run gate comes after the protect days.")
        gate_task = day.task("gate")
        before, before_at = day.gate, gate_task.done_at if gate_task else None
        ops = self.gate_ops(when, raises, hops, walk_min)
        if replan:
            ops.append(self._replan(when))

        def undo() -> Undo:
            after = self.plan.day(when).gate
            restore: list[Op] = [RestoreGate(when, after, before, before_at)]
            if replan:
                restore.append(self._replan(when))
            return Undo(f"run gate of {when:%a %d %b}", tuple(restore))

        return self._change(ops, undo)

    def skip(
        self, when: date, task_id: str, reason: SkipReason | None, *, replan: bool = True
    ) -> bool:
        """Skip a task with a reason (None clears the skip); a pain skip re-plans."""
        day = self._check_day(when, future_ok=True)
        task = self._task(day, task_id)
        ops: list[Op] = [SkipTask(when, task_id, reason)]
        feeds_pain = SkipReason.PAIN in (reason, task.skip) and when <= self.today
        if replan and feeds_pain:
            ops.append(self._replan(when))
        label = f"{'skip' if reason else 'unskip'} of '{task.title}'"
        undo = self._restore_task(when, task_id, label, replan=replan and feeds_pain)
        return self._change(ops, undo)

    def add_task(self, when: date, title: str, category: Category, dose: str) -> bool:
        """Add a task of the runner's own to a day (any day of the plan)."""
        day = self._check_day(when, future_ok=True)
        new_id = new_custom_id(day)
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

        return self._change([EditTask(when, task_id, title, category, dose)], undo)

    def delete_task(self, when: date, task_id: str) -> bool:
        """Delete one of the runner's own tasks."""
        task = self._task(self._check_day(when, future_ok=True), task_id)
        back = AddTask(
            when, task_id, task.title, task.category, task.dose, task.done, task.done_at, task.skip
        )
        return self._change(
            [DeleteTask(when, task_id)], lambda: Undo(f"delete of '{task.title}'", (back,))
        )

    def export(self, fmt: str, path: Path) -> None:
        """Write the plan as 'ics' or 'md' to `path` (SaveError if it can't be written)."""
        from planner.export import export_target_problem, to_ics, to_markdown

        problem = export_target_problem(path, self.file.path)
        if problem:  # a symlink, a device, the plan itself: never replaced by an export
            raise SaveError(f"{path}: not exported: {problem}")
        if fmt == "ics":
            data = to_ics(self.plan, self.now())
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
        try:
            self.file.apply(first)
        except OpError as error:
            raise ChangeRefused(f"The {last.label} was not undone: {error}.") from None
        for op in rest:  # the re-plan after it: fits any plan
            self.file.apply(op)
        self.save()
        return last.label

    def save(self) -> bool:
        """Save pending changes; on failure keep them and remember the error."""
        if not self.file.unsaved:
            self.save_error = None
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
    from planner.engine import build_plan  # making a plan is rare; opening one is daily

    plan = build_plan(inputs, today, created=created)
    plan.safety = safety
    if path is not None:
        return PlanFile.create(path, plan)
    if not folder.parent.exists():
        folder.parent.mkdir(mode=0o700, parents=True)
    for _ in range(100):  # another program may take the same free name a moment before us
        try:
            return PlanFile.create(new_plan_path(folder, plan.name), plan)
        except PlanExists:
            continue
    raise SaveError(f"{folder}: not saved: no free file name for '{plan.name}'")
