"""When each thing the runner did changed: the stamps a merge of two copies goes by.

Every change a session makes stamps what it changed with the session's clock (never the
core's); an undo is stamped when it is made; a re-plan keeps the stamps; a file without
stamps reads and writes as it was, byte for byte; a bad stamp is refused at its line.
"""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.strategies import plans
from planner.demo import DEMO_TODAY, demo_plan
from planner.engine import replan
from planner.model import SkipReason
from planner.ops import AddTask, Replan, SetDone, stamped
from planner.service import PlanSession
from planner.store import PlanError, PlanFile, dumps_plan, load_plan, parse_plan

TODAY = DEMO_TODAY  # Tue 24 Nov 2026
T0 = datetime(2026, 11, 24, 9, 0, 0, tzinfo=UTC)


class Clock:
    """A clock the test moves (`tick`): the session reads it as often as it likes."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now

    def tick(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


@pytest.fixture
def saved(tmp_path):
    path = tmp_path / "plans" / "bristol-half.toml"
    path.parent.mkdir()
    PlanFile.create(path, demo_plan(TODAY))
    return path


def session_for(path) -> tuple[PlanSession, Clock]:
    clock = Clock()
    return PlanSession(PlanFile.open(path), TODAY, clock), clock


stamp = st.none() | st.datetimes(
    min_value=datetime(1970, 1, 2), max_value=datetime(2200, 12, 30), timezones=st.just(UTC)
).map(lambda d: d.replace(microsecond=0))


@st.composite
def stamped_plans(draw):
    """Plans of hostile text with every stamp set or not."""
    plan = draw(plans())
    plan.inputs_at = draw(stamp)
    for day in plan.days:
        day.pain_at, day.note_at, day.at_rest_at, day.gate_at = (draw(stamp) for _ in range(4))
        for task in day.tasks:
            task.changed_at, task.note_at, task.edited_at = (draw(stamp) for _ in range(3))
    return plan


@settings(max_examples=150)
@given(stamped_plans())
def test_stamps_round_trip(plan):
    assert parse_plan(dumps_plan(plan).encode(), "p.toml") == plan


STAMP_KEYS = {"changed_at", "note_at", "edited_at", "pain_at", "at_rest_at", "gate_at"}
STAMP_KEYS |= {"inputs_at"}


@settings(max_examples=100)
@given(plans())
def test_a_file_without_stamps_writes_no_stamp(plan):
    text = dumps_plan(plan)
    lines = text.splitlines()
    # (a key the runner added by hand may end in _at too: only the stamps' names count)
    assert not [line for line in lines if line.split(" = ")[0] in STAMP_KEYS]
    assert dumps_plan(parse_plan(text.encode(), "p.toml")) == text


def unstamped(plan):
    """`plan` as an older version wrote it: ticks and logs, no stamp."""
    for day in plan.days:
        for task in day.tasks:
            task.changed_at = task.note_at = task.edited_at = None
    return plan


def test_a_file_without_stamps_saves_byte_for_byte(tmp_path):
    """An older file (ticks, pain logs, no stamps), ticked and unticked by operations that
    carry no time, saves as it was but for its save count."""
    saved = tmp_path / "old.toml"
    PlanFile.create(saved, unstamped(demo_plan(TODAY)))
    before = saved.read_bytes()
    assert b"changed_at" not in before and b"pain_at" not in before and b"done_at" in before
    plan_file = PlanFile.open(saved)
    task_id = plan_file.plan.day(TODAY).tasks[0].id
    plan_file.apply(SetDone(TODAY, task_id, True))
    plan_file.apply(SetDone(TODAY, task_id, False))
    plan_file.save()
    assert saved.read_bytes().replace(b"revision = 1\n", b"") == before


@pytest.mark.parametrize(
    "key, where",
    [("changed_at", "days[5].tasks[1].changed_at"), ("pain_at", "days[5].pain_at")],
)
@pytest.mark.parametrize(
    "value, words",
    [
        ("1969-12-31T23:00:00Z", "a plan's dates are in the years 1970-2200"),
        ('"yesterday"', "must be a date and time like"),
        ("7", "must be a date and time like"),
    ],
)
def test_a_bad_stamp_is_refused_at_its_line(saved, key, where, value, words):
    session, _ = session_for(saved)
    session.set_done(TODAY, session.plan.day(TODAY).tasks[0].id, True)
    session.log_pain(TODAY, 3)
    text = saved.read_text()
    start = text.index("date = 2026-11-24")
    line_start = text.index(f"\n{key} = ", start) + 1
    line_end = text.index("\n", line_start)
    bad = text[:line_start] + f"{key} = {value}" + text[line_end:]
    saved.write_text(bad)
    with pytest.raises(PlanError) as caught:
        load_plan(saved)
    error = caught.value
    assert error.problem.startswith(f"{where} ")
    assert words in error.problem
    assert bad.splitlines()[error.line - 1].startswith(f"{key} = ")
    assert saved.read_text() == bad  # never overwritten


# ------------------------------------------------------------------ the session stamps


def test_each_change_stamps_what_it_changed_with_the_session_clock(saved):
    session, clock = session_for(saved)
    day = session.plan.day(TODAY)
    first, second = day.tasks[0].id, day.tasks[1].id

    ticked = clock.tick()
    assert session.set_done(TODAY, first, True)
    skipped = clock.tick()
    assert session.skip(TODAY, second, SkipReason.TRAVEL)
    noted = clock.tick()
    assert session.set_note(TODAY, first, "felt fine")
    logged = clock.tick()
    assert session.log_pain(TODAY, 2, note="easy day", at_rest=True)

    on_disk = load_plan(saved).day(TODAY)
    assert on_disk.task(first).changed_at == ticked == on_disk.task(first).done_at
    assert on_disk.task(second).changed_at == skipped
    assert on_disk.task(first).note_at == noted
    assert (on_disk.pain_at, on_disk.note_at, on_disk.at_rest_at) == (logged,) * 3
    assert on_disk.task(second).note_at is None  # not written on: no stamp

    clock.tick()
    assert session.log_pain(TODAY, 3)  # no note, no pain at rest: only the pain is stamped
    again = load_plan(saved).day(TODAY)
    assert again.pain_at == clock.now and (again.note_at, again.at_rest_at) == (logged, logged)


def test_an_undo_is_stamped_when_it_is_made(saved):
    session, clock = session_for(saved)
    task_id = session.plan.day(TODAY).tasks[0].id
    ticked = clock.tick()
    assert session.set_done(TODAY, task_id, True)
    clock.now += timedelta(hours=2)
    assert session.undo()
    task = load_plan(saved).day(TODAY).task(task_id)
    assert not task.done and task.done_at is None
    assert task.changed_at == clock.now and task.changed_at > ticked


def test_the_stamps_of_a_noted_task_survive_a_re_plan(saved):
    plan = load_plan(saved)
    later = TODAY + timedelta(days=1)
    task = plan.day(later).tasks[0]
    task.note, task.note_at, task.changed_at = "sore", T0, T0
    plan.day(TODAY).pain, plan.day(TODAY).pain_at = 2, T0
    after = replan(plan, TODAY, TODAY)
    kept = after.day(later).task(task.id)
    assert (kept.note, kept.note_at, kept.changed_at) == ("sore", T0, T0)
    assert after.day(TODAY).pain_at == T0
    Replan(TODAY, TODAY).apply(plan)
    assert plan.day(TODAY).pain_at == T0


def test_a_deleted_task_comes_back_with_its_note_and_stamps(saved):
    session, _ = session_for(saved)
    assert session.add_task(TODAY, "Foam roll", "custom", "")
    task_id = session.added_id
    assert session.set_note(TODAY, task_id, "left side")
    assert session.set_done(TODAY, task_id, True)
    before = copy.deepcopy(session.plan.day(TODAY).task(task_id))
    assert session.delete_task(TODAY, task_id)
    assert load_plan(saved).day(TODAY).task(task_id) is None
    assert session.undo()
    assert load_plan(saved).day(TODAY).task(task_id) == before


def test_stamped_reaches_the_task_undone_with_a_note():
    from planner.ops import RestoreNote, RestoreTask

    inner = RestoreTask(TODAY, "x", (False, None), True, None, None)
    op = stamped(RestoreNote(TODAY, "x", "a", None, inner), T0)
    assert op.at == T0 and op.task.at == T0
    add = AddTask(TODAY, "x", "t")
    assert stamped(add, T0) is add  # nothing of it to stamp


def test_an_edit_of_a_task_of_ones_own_is_stamped(saved):
    session, clock = session_for(saved)
    assert session.add_task(date(2026, 11, 25), "Foam roll", "custom", "")
    task_id = session.added_id
    clock.tick()
    assert session.edit_task(date(2026, 11, 25), task_id, "Foam roll 5 min", "custom", "")
    assert load_plan(saved).day(date(2026, 11, 25)).task(task_id).edited_at == clock.now
