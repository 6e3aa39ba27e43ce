"""Merging two copies of one plan: a sync tool's conflict copy folded back into the plan.

Two machines sharing a plans folder (Syncthing, Dropbox) can each change the plan before
the other's change arrives; the sync tool then keeps one file as the plan and the other as
a conflict copy. `merge_plans` folds the two into one: every record the runner made on
either (ticks, skips, minutes run, pain logs, notes, run-gate results, tasks of their own,
edits of the inputs) is kept, each field by the later of its two changes, as the stamps
the operations leave say (`Task.changed_at`, `Day.pain_at`, ... in planner.model).

The rules, which the property tests hold for every pair of copies of one plan:

- commutative (merge(a, b) == merge(b, a)) and idempotent (merge(a, a) == a,
  merge(merge(a, b), b) == merge(a, b)): every choice is made by the two values alone,
  never by which file came first;
- a stamped change beats an unstamped value (one written before stamps were kept, or
  never changed): the unstamped one is the older;
- two values without stamps (or with equal stamps) are merged conservatively: a tick on
  either side wins, the higher pain score, pain at rest if either says so, a failed run
  gate over a passed one, a skip over nothing; two different notes are kept joined;
- a task of the runner's own is kept from either side (a task deleted on one copy comes
  back: a merge never loses what someone wrote); two different tasks under one id are
  both kept, the one that sorts second under a new id;
- past days keep every task either copy had on them (each copy's layout, and every
  record on it); the coming days are laid out again by the engine for the merged
  history, as a pain log would have them, when the copies differ in what it reads
  (`_replans`): from tomorrow, as a log or tick of today re-plans, or from today when
  the copies lay today out differently (`_relay_today`).

Pure: no clock, no disk. The file side (backups, the copy moved aside) is `merge_files`,
called by the session.
"""

from __future__ import annotations

import copy
import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from planner.model import Day, GateResult, Phase, Plan, PlanInputs, SkipReason, Task
from planner.ops import OpError, Replan

if TYPE_CHECKING:
    from planner.service import PlanSession


class MergeRefused(ValueError):
    """Two files that are not copies of one plan, or one this version can't merge; the
    message says why."""


# ------------------------------------------------------------------ same plan?


def same_plan_problem(plan: Plan, other: Plan) -> str | None:
    """Why `other` is not a copy of `plan` (None: it is one).

    The same `uid` when both have one (every file made since uids exist has one, and a
    sync tool's copy keeps it); for older files without, the same injury date and name.
    A copy written by a newer version of the app can't be merged: fields this version
    doesn't know would be lost.
    """
    if plan.read_only or other.read_only:
        return (
            "a copy was written by a newer version of the app (schema "
            f"{max(plan.schema_version, other.schema_version)}); this version can't merge it"
        )
    if plan.uid is not None and other.uid is not None:
        if plan.uid != other.uid:
            return (
                f"they are two different plans ('{plan.name}' and '{other.name}'): "
                "their uid differs"
            )
    elif plan.name != other.name:
        return (
            f"they are two different plans: '{plan.name}' and '{other.name}' (without a "
            "uid in both, a copy is known by its name and injury date)"
        )
    if plan.injury_date != other.injury_date:
        return (
            f"their injury dates differ ({plan.injury_date} and {other.injury_date}); "
            "a copy of one plan has the same"
        )
    if plan.injury != other.injury:
        return f"one is a {plan.injury.value} plan, the other a {other.injury.value} plan"
    return None


# ------------------------------------------------------------------ choosing a value


def _instant(stamp: datetime) -> datetime:
    """A stamp as a moment: one without a zone (written by hand) is read as UTC."""
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=UTC)


_ENCODER = msgspec.json.Encoder(order="deterministic")


def _order(value: Any) -> bytes:
    """A total order on any record: the last tie-break, so that the choice never depends on
    which copy came first."""
    return _ENCODER.encode(value)


def _pick(x: Any, y: Any, stamp, rank) -> Any:
    """The one of two records of a field (or group of fields) the merge keeps.

    The later `stamp(record)` wins; a stamped record beats an unstamped one; with no
    stamps or equal ones, the higher `rank(record)` (the conservative value), then the
    records' total order.
    """
    sx, sy = stamp(x), stamp(y)
    if sx is not None and sy is not None:
        ix, iy = _instant(sx), _instant(sy)
        if ix != iy:
            return x if ix > iy else y
    elif sx is not None:
        return x
    elif sy is not None:
        return y
    return x if (rank(x), _order(x)) >= (rank(y), _order(y)) else y


def joined(x: str | None, y: str | None) -> str | None:
    """Two notes as one: the one holding the other when it does, else both (in a fixed
    order, a line apart). So joining again what was joined changes nothing."""
    if x is None or y is None:
        return y if x is None else x
    if y in x:
        return x
    if x in y:
        return y
    first, second = sorted((x, y))
    return f"{first}\n{second}"


def _pick_note(
    x: str | None, x_at: datetime | None, y: str | None, y_at: datetime | None
) -> tuple[str | None, datetime | None]:
    """A note and its stamp: the later change; without one between them (no stamps, or
    equal ones), both texts kept joined."""
    if x_at is not None and y_at is not None and _instant(x_at) != _instant(y_at):
        return (x, x_at) if _instant(x_at) > _instant(y_at) else (y, y_at)
    if (x_at is None) != (y_at is None):
        return (x, x_at) if x_at is not None else (y, y_at)
    stamp = None if x_at is None else max(x_at, y_at, key=lambda s: (_instant(s), s.isoformat()))
    return joined(x, y), stamp


def _union(x: dict, y: dict) -> dict:
    """Keys added by hand on either copy; one key with two values keeps one of them, by
    their order."""
    if x == y:
        return copy.deepcopy(x)
    out = copy.deepcopy(x)
    for key, value in y.items():
        if key not in out or _order(value) > _order(out[key]):
            out[key] = copy.deepcopy(value)
    return out


# ------------------------------------------------------------------ tasks


# A task's parts, each merged as one: what the runner did on it (with the stamp of its
# last change), and what it is (the plan's layout, or the words of a task of one's own).
# Each part is compared alone, as a dict of its fields: the rest of the task never decides.
_STATE = ("done", "done_at", "skip", "actual_minutes", "activity_start", "changed_at")
_CONTENT = ("category", "title", "dose", "why", "minutes", "sets", "reps", "hold_s", "series")


def _part(task: Task, keys: tuple[str, ...]) -> dict:
    return {key: getattr(task, key) for key in keys}


def _when_done(state: dict) -> datetime | None:
    """When a task's done, skip and minutes run last changed: its stamp, or for a file
    written before stamps, the time it was ticked."""
    if state["changed_at"] is not None:
        return state["changed_at"]
    return state["done_at"] if state["done"] else None


def state_stamp(task: Task) -> datetime | None:
    """When the task's done, skip and minutes run last changed, as the merge reads it."""
    return _when_done(_part(task, _STATE))


def _state_rank(state: dict) -> tuple:
    # Without stamps, the conservative state: done on either side wins (a tick is never
    # lost), then the one that says what was run, then a skip (a record) over nothing, a
    # skip for pain (it feeds the pain rules) over another.
    skip = state["skip"]
    done = state["done"]
    return (done, state["actual_minutes"] is not None, skip is not None, skip == SkipReason.PAIN)


def _load_rank(content: dict) -> tuple:
    # The same task laid out differently by the two copies, neither ticked: the lighter
    # dose, the conservative one.
    return tuple(-(content[key] or 0) for key in ("minutes", "sets", "reps", "hold_s"))


def _identity(task: Task) -> tuple:
    """What makes a task of the runner's own the same task on two copies."""
    return (task.category, task.title, task.dose, task.series)


def _same_task(x: Task, y: Task) -> bool:
    """Whether two tasks of one id on one day are one task (to merge) or two (to keep)."""
    if x.custom != y.custom:
        return False
    if not x.custom:  # the plan's task of that id, maybe laid out otherwise by each copy
        return True
    # Ids of one's own tasks are random: one id on two copies is one task, edited on one
    # (it says when) or not at all. Only files of older versions numbered them, and there
    # two tasks added apart can share an id: then their words differ and neither was
    # edited since edits are stamped.
    return _identity(x) == _identity(y) or x.edited_at is not None or y.edited_at is not None


def _fold_task(x: Task, y: Task) -> Task:
    """One task from its two copies: each part by its own latest change."""
    state = _pick(_part(x, _STATE), _part(y, _STATE), _when_done, _state_rank)
    if x.custom:  # the words of one's own task: by its last edit
        keys = (*_CONTENT, "edited_at")
        content = _pick(_part(x, keys), _part(y, keys), lambda c: c["edited_at"], lambda c: 0)
    else:  # the plan's layout: the one the runner last acted on, else the lighter
        content = _pick(
            {**_part(x, _CONTENT), "at": state_stamp(x)},
            {**_part(y, _CONTENT), "at": state_stamp(y)},
            lambda c: c["at"],
            _load_rank,
        )
        del content["at"]
    note, note_at = _pick_note(x.note, x.note_at, y.note, y.note_at)
    task = copy.deepcopy(x)  # the id and whether it is one's own: the same on both
    for key, value in (*content.items(), *state.items()):
        setattr(task, key, copy.deepcopy(value))
    task.note, task.note_at = note, note_at
    task.extra = _union(x.extra, y.extra)
    return task


def _clash_key(task: Task) -> tuple:
    # Of two different tasks under one id, the plan's own keeps the id, else the first in
    # order: the same one whichever copy is merged into which.
    return (task.custom, _order(task))


def _renamed(task_id: str, original: str) -> bool:
    """Whether `task_id` is a new id this merge gives a task of id `original` ('my-1-2')."""
    prefix = f"{original}-"
    return task_id.startswith(prefix) and task_id[len(prefix) :].isdigit()


def _fold_tasks(xs: list[Task], ys: list[Task]) -> list[Task]:
    """A day's tasks from its two copies: every task of either, one task of one id merged.

    The order is the longer list's (the one of the greater ids when as long), then the
    tasks only the other has, in its order; the same whichever copy is merged into which,
    and a merge with a copy it holds already changes nothing.
    """
    if (len(xs), [t.id for t in xs]) >= (len(ys), [t.id for t in ys]):
        base, other = xs, ys
    else:
        base, other = ys, xs
    theirs = {t.id: t for t in other}
    out: list[Task] = []
    displaced: list[Task] = []
    for task in base:
        match = theirs.get(task.id)
        if match is None:
            out.append(copy.deepcopy(task))
        elif _same_task(task, match):
            out.append(_fold_task(task, match))
        else:
            keep, move = sorted((task, match), key=_clash_key)
            out.append(copy.deepcopy(keep))
            displaced.append(move)
    ours = {t.id for t in base}
    out += [copy.deepcopy(t) for t in other if t.id not in ours]
    for task in sorted(displaced, key=_clash_key):
        # Merged before? The task is here already under the id it was given then.
        twin = next(
            (
                i
                for i, have in enumerate(out)
                if _renamed(have.id, task.id)
                and have.custom == task.custom
                and _identity(have) == _identity(task)
            ),
            None,
        )
        if twin is not None:
            out[twin] = _fold_task(out[twin], msgspec.structs.replace(task, id=out[twin].id))
            continue
        taken = {t.id for t in out}
        number = 2
        while f"{task.id}-{number}" in taken:
            number += 1
        out.append(msgspec.structs.replace(copy.deepcopy(task), id=f"{task.id}-{number}"))
    return out


# ------------------------------------------------------------------ days


def _gate_rank(record: tuple[GateResult | None, datetime | None]) -> tuple:
    gate = record[0]
    # Without stamps: a result over none (a record), a failed test over a passed one.
    return (gate is not None, gate is not None and not gate.passed)


def _fold_day(x: Day, y: Day) -> Day:
    """One day from its two copies (the same date)."""
    pain, pain_at = _pick(
        (x.pain, x.pain_at),
        (y.pain, y.pain_at),
        lambda r: r[1],
        lambda r: -1 if r[0] is None else r[0],
    )
    at_rest, at_rest_at = _pick(
        (x.at_rest, x.at_rest_at), (y.at_rest, y.at_rest_at), lambda r: r[1], lambda r: r[0]
    )
    gate, gate_at = _pick((x.gate, x.gate_at), (y.gate, y.gate_at), lambda r: r[1], _gate_rank)
    note, note_at = _pick_note(x.note, x.note_at, y.note, y.note_at)
    # Two layouts of one day disagree on its phase: the earlier phase, the gentler one
    # (from today on, the re-plan sets it anyway).
    phases = list(Phase)
    phase = min(x.phase, y.phase, key=phases.index)
    return Day(
        date=x.date,
        phase=phase,
        tasks=_fold_tasks(x.tasks, y.tasks),
        pain=pain,
        note=note,
        at_rest=at_rest,
        gate=copy.deepcopy(gate),
        extra=_union(x.extra, y.extra),
        pain_at=pain_at,
        note_at=note_at,
        at_rest_at=at_rest_at,
        gate_at=gate_at,
    )


# ------------------------------------------------------------------ the plan


def _inputs_rank(head: dict) -> tuple:
    # Inputs edited on both copies by a version that kept no stamps: the later race, then
    # the higher grade: more days to recover, and the more careful plan.
    return (head["race_date"], head["grade"] or 0)


def fold(a: Plan, b: Plan) -> Plan:
    """The two copies' records folded into one plan, no day laid out again (see
    `merge_plans`). Both must be copies of one plan (`same_plan_problem`)."""
    keys = (*PlanInputs.__struct_fields__, "warning", "inputs_at")
    head = _pick(
        {key: getattr(a, key) for key in keys},
        {key: getattr(b, key) for key in keys},
        lambda h: h["inputs_at"],
        _inputs_rank,
    )
    plan = copy.deepcopy(msgspec.structs.replace(a, days=[]))
    for key, value in head.items():
        setattr(plan, key, value)
    plan.created = min(a.created, b.created, key=lambda s: (_instant(s), s.isoformat()))
    plan.uid = a.uid if a.uid is not None else b.uid
    plan.protocol = max(a.protocol, b.protocol)
    plan.revision = max(a.revision, b.revision)
    if a.safety != b.safety:
        plan.safety = copy.deepcopy(
            _pick(a.safety, b.safety, lambda s: None, lambda s: s is not None)
        )
    plan.plan_extra = _union(a.plan_extra, b.plan_extra)
    plan.extra = _union(a.extra, b.extra)
    for index in range(max(len(a.days), len(b.days))):
        x = a.days[index] if index < len(a.days) else None
        y = b.days[index] if index < len(b.days) else None
        if x is None or y is None:  # one copy runs on longer: its days as they are
            plan.days.append(copy.deepcopy(x or y))
        else:
            plan.days.append(_fold_day(x, y))
    return plan


def _history(day: Day) -> tuple:
    """What of a day the pain rules and the load rules read (engine.History)."""
    run = day.task("run")
    ran = None
    if run is not None:
        ran = (run.done, run.skip, run.actual_minutes, run.minutes, run.title)
    pain_skips = sorted(t.id for t in day.tasks if t.skip == SkipReason.PAIN)
    return (day.pain, day.at_rest, day.gate, pain_skips, ran)


def _layout(day: Day) -> tuple:
    """A day as the plan laid it out: its phase and the plan's own tasks."""
    return (
        day.phase,
        [
            (t.id, t.category, t.title, t.dose, t.minutes, t.sets, t.reps, t.hold_s)
            for t in day.tasks
            if not t.custom
        ],
    )


def _replans(a: Plan, b: Plan, today: date) -> bool:
    """Whether the merged plan's days from today are laid out again.

    Conservative rule (domain.md says nothing of two copies): the coming days must answer
    the merged history, never a layout only one copy's history supports. So when the copies
    differ in anything the pain and load rules read (a day's pain, pain at rest, run-gate
    result, skips for pain, its run), in their inputs or protocol, or in how they laid out
    a day from today on (one re-planned after a log, the other not), the coming days are
    laid out again by the engine for the merged history (from when: `_relay_today`).
    Copies that agree on all of it keep their days as they are.
    """
    if a.inputs != b.inputs or a.protocol != b.protocol or len(a.days) != len(b.days):
        return True
    for x, y in zip(a.days, b.days, strict=True):
        if _history(x) != _history(y):
            return True
        if x.date >= today and _layout(x) != _layout(y):
            return True
    return False


def _replan(plan: Plan, today: date, with_today: bool) -> None:
    """Lay the days from today (`with_today`) or from tomorrow out again by the engine, as
    a pain log does.

    A task the re-plan drops goes with its note there (the engine's rule: a note never
    keeps a load the pain rules took away); in a merge those words may be all that is left
    of one copy's day, so they go onto the day's note instead, naming the task (once: a
    merge again with a copy that still has the task adds nothing).
    """
    start = today if with_today else today + timedelta(days=1)
    before = {day.date: day for day in plan.days if day.date >= start}
    try:
        Replan(start, today).apply(plan)
    except OpError as error:
        raise MergeRefused(str(error)) from None
    for day in plan.days:
        old = before.get(day.date)
        if old is None:
            continue
        for task in old.tasks:
            mark = f"{task.title} (no longer planned): "
            if task.note and day.task(task.id) is None and mark not in (day.note or ""):
                day.note = joined(day.note, mark + task.note)


def merge_plans(a: Plan, b: Plan, today: date) -> Plan:
    """`a` and `b`, two copies of one plan, merged as of `today` (see the module's rules).

    MergeRefused when they are not copies of one plan. Pure: neither is changed.
    """
    problem = same_plan_problem(a, b)
    if problem is not None:
        raise MergeRefused(problem)
    plan = fold(a, b)
    if today <= plan.last_date and _replans(a, b, today):
        _replan(plan, today, _relay_today(a, b, today))
    return plan


def _relay_today(a: Plan, b: Plan, today: date) -> bool:
    """Whether today is laid out again too, or only the days after it.

    As the operations do: a log or a tick of today re-plans the days after it, never the
    checklist the runner is working through; a log of yesterday re-plans from today. So
    today is laid out again only when the copies lay it out differently (one re-planned
    it after an earlier log, the other not): then neither copy's today can stand for the
    merged history. When both lay it out alike it stays as both have it, and the engine
    starts tomorrow, as the pain log or tick that differs would have.
    """
    x, y = a.day(today), b.day(today)
    return x is None or y is None or _layout(x) != _layout(y)


class MergeCopy(msgspec.Struct, eq=False):
    """Fold a copy of the plan into it (an operation, like a tick): replayed onto another
    program's save of the plan, it merges with that too, so nothing of either is lost."""

    copy: Plan
    today: date
    name: str = "the copy"  # how the copy is named in messages

    def apply(self, plan: Plan) -> None:
        """Make `plan` the merge of itself and the copy; OpError when it is no copy of it."""
        try:
            merged = merge_plans(plan, self.copy, self.today)
        except MergeRefused as error:
            raise OpError(str(error)) from None
        for name in Plan.__struct_fields__:
            if name not in ("revision", "read_only", "migrated_from"):
                setattr(plan, name, getattr(merged, name))
        plan.revision = max(plan.revision, self.copy.revision)

    def words(self, plan: Plan | None = None) -> str:
        """This change in a few words, for a message."""
        return f"the merge of {self.name}"


# ------------------------------------------------------------------ in words


def _title(task: Task) -> str:
    return f"'{task.title}'"


def _short(text: str, most: int = 60) -> str:
    line = " ".join(text.split())
    return line if len(line) <= most else line[: most - 1] + "…"


def _recorded(task: Task) -> bool:
    """Whether a task holds a record of the runner's (a tick, a skip, a note, minutes run)."""
    return task.done or task.skip is not None or bool(task.note) or task.actual_minutes is not None


def _record_words(old: Task, new: Task, name: str) -> list[str]:
    """What changed in what the runner did or wrote on a task (`name`: how to say it, or
    "" inside a bracket after it)."""
    words = []
    if new.done != old.done:
        words.append(f"ticked{name}" if new.done else f"unticked{name}")
    if new.skip != old.skip:
        if new.skip is not None:
            words.append(f"skipped{name} ({new.skip.value})")
        elif not new.done:
            words.append(f"{name.strip() or 'it'} no longer skipped")
    if new.actual_minutes != old.actual_minutes and new.actual_minutes is not None:
        words.append(f"{new.actual_minutes} min run" + (f" on{name}" if name else ""))
    if new.note != old.note:
        where = f" on{name}" if name else ""
        words.append(f"note{where}: {_short(new.note)}" if new.note else f"note{where} cleared")
    return words


def _new_task_words(task: Task) -> str:
    """A task new on the day, with what the runner did on it: "+ your task 'Foam roll'
    (ticked)"."""
    blank = Task(task.id, task.category, task.title, task.dose, custom=task.custom)
    what = f"+ your task {_title(task)}" if task.custom else f"+ {_title(task)}"
    done = _record_words(blank, task, "")
    return f"{what} ({', '.join(done)})" if done else what


def _was(task: Task, old: Day) -> Task | None:
    """The task of the plan before the merge that `task` is (None: it is new): the one of
    its id, unless another task of the runner's took that id in the merge; or the one it
    was before a new id was given to it."""
    was = old.task(task.id)
    if was is not None and not _same_task(was, task):
        return None  # another task under this id: the copy's, new here
    if was is None and task.custom:
        return next(
            (
                t
                for t in old.tasks
                if _renamed(task.id, t.id) and t.custom and _identity(t) == _identity(task)
            ),
            None,
        )
    return was


def _task_words(was: Task | None, new: Task) -> list[str]:
    """What changed on one task, in a few words each."""
    if was is None:
        return [_new_task_words(new)]
    words = []
    if was.custom and _identity(was) != _identity(new):
        words.append(f"your task {_title(was)} is now {_title(new)}")
    return words + _record_words(was, new, f" {_title(new)}")


def _gate_words(gate: GateResult | None) -> str:
    if gate is None:
        return "run-gate result cleared"
    verdict = "passed" if gate.passed else "not passed"
    return f"run gate {verdict} ({gate.raises} raises, {gate.hops} hops, {gate.walk_min} min walk)"


def _day_words(old: Day | None, new: Day) -> list[str]:
    """What changed on a day: the runner's records first, then how it is laid out."""
    from planner.changes import describe_day

    if old is None:  # a day only the copy has: "Days added" says it
        return []
    words = []
    if new.pain != old.pain:
        if new.pain is None:
            words.append("pain log cleared")
        else:
            was = f" (was {old.pain})" if old.pain is not None else ""
            words.append(f"pain {new.pain}{was}")
    if new.at_rest != old.at_rest:
        words.append("pain at rest" if new.at_rest else "no pain at rest")
    if new.note != old.note:
        words.append(f"note: {_short(new.note)}" if new.note else "day note cleared")
    if new.gate != old.gate:
        words.append(_gate_words(new.gate))
    before = {t.id: t for t in old.tasks}
    for task in new.tasks:
        if task.id in before or task.custom or _recorded(task):
            words += _task_words(_was(task, old), task)
    # The rest of the plan's own tasks, as an edit's lines say them: a task gone and one
    # come said apart ('no easy run 20 min; + walk'), since a merged re-plan may change a
    # day's tasks so much that one-for-one swaps would pair unrelated tasks.
    planned = describe_day(
        msgspec.structs.replace(old, tasks=[t for t in old.tasks if not t.custom]),
        msgspec.structs.replace(
            new,
            tasks=[t for t in new.tasks if not t.custom and (t.id in before or not _recorded(t))],
        ),
        swaps=False,
    )
    if planned:
        words.append(planned.split(": ", 1)[1])
    gone = [t for t in old.tasks if t.custom and new.task(t.id) is None]
    words += [f"no {_title(t)}" for t in gone]
    return words


def describe_merge(old: Plan, new: Plan) -> list[str]:
    """A line per change merging made to `old` (the plan) to give `new`: its inputs, then
    each day ('Sat 21 Nov: ticked 'Ice the calf'; pain 3 (was 2)'). [] when nothing but
    the times of changes differ, or nothing at all."""
    from planner.changes import describe_edit
    from planner.dates import short_date

    lines = list(describe_edit(old, new, None).head)
    for day in new.days:
        words = _day_words(old.day(day.date), day)
        if words:
            lines.append(f"{short_date(day.date)}: " + "; ".join(words))
    return lines


# ------------------------------------------------------------------ the files


class CopyFile(msgspec.Struct):
    """A copy of a plan as read from its file: where, the plan, and its bytes (to tell
    whether it changed before it is moved aside)."""

    path: Path
    plan: Plan
    data: bytes


def read_copy(path: Path) -> CopyFile:
    """The copy at `path`, read as a plan file is (PlanError, with the line, when it can't
    be: a corrupt copy is never merged)."""
    from planner.store import parse_plan, read_plan_file

    found = read_plan_file(path)
    return CopyFile(path, parse_plan(found.data, path), found.data)


def _stamp_words(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def plan_backup_path(plan_path: Path, now: datetime) -> Path:
    """Where the plan as it was before a merge is kept: beside it, a name `planner list`
    doesn't show ('bristol-half.toml.before-merge-20261121T120000Z.bak')."""
    return plan_path.with_name(f"{plan_path.name}.before-merge-{_stamp_words(now)}.bak")


def copy_backup_path(copy_path: Path, now: datetime) -> Path:
    """Where the merged copy goes: beside itself, out of the plans list
    ('NAME.sync-conflict-....toml.merged-20261121T120000Z.bak')."""
    return copy_path.with_name(f"{copy_path.name}.merged-{_stamp_words(now)}.bak")


def _free(path: Path) -> Path:
    number = 2
    target = path
    while os.path.lexists(target):
        target = path.with_name(f"{path.stem}-{number}{path.suffix}")
        number += 1
    return target


def keep_plan_before(plan_path: Path, data: bytes, now: datetime) -> Path:
    """Keep `data`, the plan's bytes before the merge, as `plan_backup_path` (atomic, 0600;
    the `.bak` a save keeps is replaced by the next save, this one stays)."""
    from planner.store import atomic_write

    target = _free(plan_backup_path(plan_path, now))
    atomic_write(target, data, backup=False, replace=False)
    return target


def set_copy_aside(found: CopyFile, now: datetime) -> tuple[Path | None, str | None]:
    """Move the merged copy out of the plans list (renamed to `copy_backup_path`; nothing
    deleted): (where it went, None), or (None, why it stayed).

    It stays where it is when it changed since it was read (the sync tool wrote it again:
    merging once more takes that in) or can't be renamed.
    """
    try:
        now_data = found.path.read_bytes()
    except OSError as error:
        return None, f"it can't be read again ({error.strerror or error})"
    if now_data != found.data:
        return None, "it changed while merging; merge it again to take that in"
    target = _free(copy_backup_path(found.path, now))
    try:
        os.link(found.path, target)  # never overwrites; the data stays under both names
    except FileExistsError:
        return None, f"{target.name} appeared meanwhile; merge again"
    except OSError:
        try:  # a file system without hard links
            if os.path.lexists(target):
                return None, f"{target.name} appeared meanwhile; merge again"
            os.rename(found.path, target)
        except OSError as error:
            return None, f"it can't be renamed ({error.strerror or error})"
        return target, None
    try:
        os.unlink(found.path)
    except OSError as error:
        return None, f"it can't be moved ({error.strerror or error}); a copy is at {target}"
    return target, None


class Merged(msgspec.Struct):
    """What a merge of a copy into the open plan did: `lines`, the changes to the plan
    (measured on the plan saved); `plan_backup`, the plan as it was; `copy_moved` where
    the copy went, or `copy_left` why it stayed; `elsewhere`, whether another program
    saved the plan meanwhile (the merge went onto its version: `lines` say so)."""

    lines: list[str]
    plan_backup: Path | None
    copy_moved: Path | None
    copy_left: str | None
    elsewhere: bool = False
    changed: bool = True


def merge_files(session: PlanSession, found: CopyFile) -> Merged:
    """Merge the copy `found` into the session's plan and save it: keep the plan as it was
    beside it, fold the copy in (through the store: the lock, and another program's save
    meanwhile taken in), then move the copy out of the plans list. Nothing is deleted.

    SaveError (and nothing but the backup written) when the plan can't be saved; OpError
    when the copy is no copy of the plan (the caller checks `same_plan_problem` first).
    """
    from planner.store import SaveError, read_plan_bytes

    plan_file = session.file
    now = session.now()
    before = copy.deepcopy(plan_file.plan)
    trial = merge_plans(before, found.plan, session.today)
    if trial == before:  # nothing of the copy is missing here: the plan is not written
        moved, left = set_copy_aside(found, now)
        return Merged([], None, moved, left, changed=False)
    backup = keep_plan_before(plan_file.path, read_plan_bytes(plan_file.path), now)
    try:
        saved = session.merge_copy(MergeCopy(found.plan, session.today, found.path.name))
    except BaseException:
        _remove(backup)
        raise
    if not saved:  # kept in the session and retried with its next save, as any change
        _remove(backup)
        raise SaveError(session.save_error or f"{plan_file.path}: not saved")
    elsewhere = plan_file.merged_onto is not None
    if elsewhere:
        before = plan_file.merged_onto
    moved, left = set_copy_aside(found, now)
    return Merged(describe_merge(before, plan_file.plan), backup, moved, left, elsewhere)


def _remove(backup: Path) -> None:
    """Take back the backup of a merge that was not saved: the plan is as it was, and the
    backup only a duplicate of it."""
    try:
        os.unlink(backup)
    except OSError:
        return
