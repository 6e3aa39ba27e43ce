"""The merge of two copies of a plan, for every pair of copies a runner can make.

A plan is built by the engine, lived in a little (the common ancestor), then each copy gets
its own changes as the session makes them (ticks, unticks and undos, minutes run, pain
logs and the re-plans after them, notes, skips, run-gate tests, tasks of one's own, edits
of them), each stamped by its machine's clock, the two clocks interleaved (and sometimes
equal). Sometimes a copy was written by an older version that kept no stamps. Then:
merge is commutative and idempotent, and nothing either copy recorded is lost unless the
other copy changed the same thing later.
"""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.engine import build_plan
from planner.merge import merge_plans, state_stamp
from planner.model import Distance, GateResult, InjuryKind, Plan, PlanInputs, SkipReason, Task
from planner.ops import (
    AddTask,
    EditTask,
    LogPain,
    NoteTask,
    OpError,
    RecordGate,
    RecordRun,
    Replan,
    RestoreTask,
    SetDone,
    SkipTask,
)

INJURY = date(2026, 11, 20)
SPLIT = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)  # when the two copies went their own ways

# Abstract changes, resolved against the copy as it is when each is made.
KINDS = ["tick", "tick", "undo", "run", "pain", "note", "skip", "add", "add", "edit", "edit"]
change = st.tuples(
    st.sampled_from([*KINDS, "gate", "clear"]),
    st.integers(0, 40),  # how many days before today (modulo the days lived)
    st.integers(0, 20),  # which task (modulo the day's)
    st.integers(0, 10),  # a value: a score, a choice of text
)
NOTES = ["tight on stairs", "fine", "sore after", "", "felt ok\nlater stiff"]
TITLES = ["Foam roll", "Massage gun", "Swim 20 min"]


@st.composite
def ancestors(draw) -> tuple[Plan, date]:
    """A plan as the engine makes it, lived in up to a day of it (ticks and a pain log made
    before the split), and the day the copies are merged."""
    race = INJURY + timedelta(days=draw(st.integers(6, 40)))
    kind = draw(st.sampled_from(list(InjuryKind)))
    inputs = PlanInputs(
        INJURY,
        race,
        kind,
        draw(st.sampled_from([1, 2])) if kind == InjuryKind.STRAIN else None,
        distance=draw(st.sampled_from(list(Distance))),
        name="Race",
    )
    made = INJURY + timedelta(days=1)
    plan = build_plan(inputs, made)
    plan.uid = "0123456789abcdef"
    today = made + timedelta(days=draw(st.integers(1, min(12, (race - made).days + 3))))
    early = SPLIT - timedelta(hours=20)
    for offset in range(draw(st.integers(0, 3))):
        when = made + timedelta(days=offset)
        for task in plan.day(when).tasks[: draw(st.integers(0, 3))]:
            SetDone(when, task.id, True, early).apply(plan)
        LogPain(when, draw(st.integers(0, 4)), None, None, early).apply(plan)
        Replan(when + timedelta(days=1), today).apply(plan)
    return plan, today


def live(plan: Plan, today: date, changes, times, *, stamped: bool) -> Plan:
    """A copy of `plan` with `changes` made at `times` (seconds after the split, sorted),
    re-planned after logs as the session does; without `stamped`, as an older version
    left it (no stamps, but the time of each tick)."""
    plan = copy.deepcopy(plan)
    lived = (today - plan.first_date).days + 1
    for (kind, back, pick, value), second in zip(changes, times, strict=True):
        at = SPLIT + timedelta(seconds=second)
        # Tasks of one's own go on today or yesterday: the two copies' ids meet there.
        when = today - timedelta(days=back % (2 if kind == "add" else lived))
        day = plan.day(when)
        task = day.tasks[pick % len(day.tasks)]
        customs = [t for t in day.tasks if t.custom]
        ops = []
        if kind == "tick":
            ops = [SetDone(when, task.id, not task.done, at)]
        elif kind == "undo" and task.done:
            after = (task.done, task.skip)
            ops = [RestoreTask(when, task.id, after, False, None, None, None, None,
                               task.actual_minutes, at)]  # fmt: skip
        elif kind == "run" and day.task("run") is not None:
            ops = [RecordRun(when, "run", 5 + 5 * value, at), Replan(when + timedelta(1), today)]
        elif kind == "pain":
            note = NOTES[value % len(NOTES)] if value % 3 == 0 else None
            rest = [None, True, False][value % 3]
            ops = [LogPain(when, value, note, rest, at), Replan(when + timedelta(1), today)]
        elif kind == "clear":
            ops = [LogPain(when, None, None, None, at), Replan(when + timedelta(1), today)]
        elif kind == "note":
            ops = [NoteTask(when, task.id, NOTES[value % len(NOTES)], at)]
        elif kind == "skip":
            reason = [None, *SkipReason][value % 4]
            ops = [SkipTask(when, task.id, reason, at), Replan(when + timedelta(1), today)]
        elif kind == "add":
            ids = ["my-1", "my-1", "my-2", f"my-{second:06x}"]
            ops = [AddTask(when, ids[value % 4], TITLES[pick % len(TITLES)])]
        elif kind == "edit" and customs:
            mine = customs[pick % len(customs)]
            ops = [EditTask(when, mine.id, TITLES[value % len(TITLES)] + " (edited)", at=at)]
        elif kind == "gate" and day.phase.value != "protect":
            result = GateResult(10 + value * 3, value * 2, 10 + value, value >= 5)
            ops = [RecordGate(when, result, at), Replan(when + timedelta(1), today)]
        for op in ops:
            try:
                op.apply(plan)
            except OpError:
                break
    if not stamped:
        plan.inputs_at = None
        for day in plan.days:
            day.pain_at = day.note_at = day.at_rest_at = day.gate_at = None
            for task in day.tasks:
                task.changed_at = task.note_at = task.edited_at = None
    return plan


seconds = st.integers(0, 3 * 24 * 3600)


@st.composite
def copies(draw) -> tuple[Plan, Plan, date]:
    """Two copies of one plan, each with changes of its own, and the day they are merged."""
    ancestor, today = draw(ancestors())
    sides = []
    for _ in range(2):
        changes = draw(st.lists(change, max_size=12))
        # Each machine's clock goes forward; the two interleave, and may read alike.
        times = sorted(draw(st.lists(seconds, min_size=len(changes), max_size=len(changes))))
        stamped = draw(st.booleans() | st.just(True))
        sides.append(live(ancestor, today, changes, times, stamped=stamped))
    return sides[0], sides[1], today


def instant(stamp: datetime) -> datetime:
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=UTC)


def later(stamp: datetime | None, than: datetime | None) -> bool:
    """Whether a change at `stamp` came after one at `than` (a stamp beats none)."""
    if stamp is None:
        return False
    return than is None or instant(stamp) > instant(than)


def not_before(stamp: datetime | None, than: datetime | None) -> bool:
    """Whether `stamp` is as late as `than` or later (a tie is decided by the values)."""
    if than is None:
        return True
    return stamp is not None and instant(stamp) >= instant(than)


def found(merged_day, task: Task) -> Task | None:
    """The task of `merged_day` that `task` became: the one of its id, or (a task of one's
    own whose id another task took) the one with its words under a new id."""
    same = merged_day.task(task.id)
    if same is not None and (
        not task.custom
        or (same.custom and (same.title == task.title or same.edited_at or task.edited_at))
    ):
        return same
    return next(
        (
            t
            for t in merged_day.tasks
            if t.custom and t.id.startswith(f"{task.id}-") and t.title == task.title
        ),
        None,
    )


def assert_nothing_lost(side: Plan, merged: Plan) -> None:
    """Every record of `side` is in `merged`, unless the other copy changed it later."""
    for day in side.days:
        into = merged.day(day.date)
        assert into is not None, f"{day.date} lost"
        # A pain log: kept, or changed later on the other copy (a tie: the higher score).
        if day.pain is not None or day.pain_at is not None:
            kept = into.pain == day.pain
            if day.pain_at is None and into.pain_at is None:
                kept = kept or (into.pain or 0) >= (day.pain or 0)
            assert kept or not_before(into.pain_at, day.pain_at), (day.date, day.pain)
            if not kept and not later(into.pain_at, day.pain_at):
                assert (into.pain or 0) >= (day.pain or 0)  # a tie: the higher score
        if day.at_rest and not into.at_rest:
            assert later(into.at_rest_at, day.at_rest_at) or (
                into.at_rest_at == day.at_rest_at and into.at_rest_at is not None
            )
        if day.note and not (into.note and day.note in into.note):
            assert later(into.note_at, day.note_at), (day.date, day.note, into.note)
        if day.gate is not None and into.gate != day.gate:
            assert not_before(into.gate_at, day.gate_at), (day.date, day.gate)
        for task in day.tasks:
            there = found(into, task)
            words = f"{day.date} {task.id} {task.title!r}"
            if task.custom:
                assert there is not None, f"your task {words} lost"
            if there is None:  # the plan's task, dropped by the merged re-plan
                assert not task.done and task.skip is None, f"record on {words} lost"
                assert not task.note or task.note in (into.note or ""), f"note on {words}"
                continue
            if task.done and not there.done:
                assert later(state_stamp(there), state_stamp(task)) or (
                    state_stamp(there) is not None
                    and state_stamp(task) is not None
                    and instant(state_stamp(there)) == instant(state_stamp(task))
                ), f"tick of {words} lost"
            if task.skip is not None and there.skip != task.skip:
                assert not_before(state_stamp(there), state_stamp(task)), f"skip of {words}"
            if task.note and not (there.note and task.note in there.note):
                moved = task.note in (into.note or "")
                assert moved or later(there.note_at, task.note_at), f"note on {words} lost"


@settings(max_examples=150, deadline=None)
@given(copies())
def test_merge_is_commutative(pair):
    a, b, today = pair
    assert merge_plans(a, b, today) == merge_plans(b, a, today)


@settings(max_examples=150, deadline=None)
@given(copies())
def test_merge_is_idempotent(pair):
    a, b, today = pair
    merged = merge_plans(a, b, today)
    assert merge_plans(a, a, today) == a
    assert merge_plans(merged, merged, today) == merged
    assert merge_plans(merged, b, today) == merged
    assert merge_plans(merged, a, today) == merged
    assert merge_plans(b, merged, today) == merged


@settings(max_examples=150, deadline=None)
@given(copies())
def test_no_record_of_either_copy_is_lost(pair):
    a, b, today = pair
    merged = merge_plans(a, b, today)
    assert_nothing_lost(a, merged)
    assert_nothing_lost(b, merged)


@settings(max_examples=60, deadline=None)
@given(copies())
def test_merging_leaves_both_copies_as_they_were(pair):
    a, b, today = pair
    before = copy.deepcopy((a, b))
    merge_plans(a, b, today)
    assert (a, b) == before
