"""The merge of two copies of one plan, case by case: which value wins and why, what a
clash of ids keeps, how the coming days follow the merged history, and which files are
refused. (The properties over every pair of copies: test_merge_properties.py.)"""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import msgspec
import pytest

from planner.demo import DEMO_TODAY, demo_plan
from planner.merge import MergeRefused, describe_merge, joined, merge_plans
from planner.model import GateResult, Plan, SkipReason
from planner.ops import (
    AddTask,
    EditInputs,
    EditTask,
    LogPain,
    NoteTask,
    RecordGate,
    Replan,
    RestoreTask,
    SetDone,
    SkipTask,
)
from planner.service import PlanSession
from planner.store import PlanFile, load_plan

TODAY = DEMO_TODAY  # Tue 24 Nov 2026
YESTERDAY = TODAY - timedelta(days=1)
NINE = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return NINE + timedelta(minutes=minutes)


@pytest.fixture
def base() -> Plan:
    plan = demo_plan(TODAY)
    plan.uid = "0123456789abcdef"
    return plan


def both(base: Plan) -> tuple[Plan, Plan]:
    return copy.deepcopy(base), copy.deepcopy(base)


def merged(a: Plan, b: Plan) -> Plan:
    """The merge, checked to be the same whichever copy is merged into which."""
    one, other = merge_plans(a, b, TODAY), merge_plans(b, a, TODAY)
    assert one == other
    return one


def unstamped(plan: Plan) -> Plan:
    """`plan` as a version that kept no stamps wrote it (the time of a tick stays)."""
    plan.inputs_at = None
    for day in plan.days:
        day.pain_at = day.note_at = day.at_rest_at = day.gate_at = None
        for task in day.tasks:
            task.changed_at = task.note_at = task.edited_at = None
    return plan


def task_of(plan: Plan, when: date, index: int = 0):
    return plan.day(when).tasks[index]


# ------------------------------------------------------------------ the later change wins


def test_a_later_undo_on_one_copy_beats_an_earlier_tick_on_the_other(base):
    a, b = both(base)
    task_id = task_of(base, TODAY).id
    SetDone(TODAY, task_id, True, at(0)).apply(a)  # ticked on the laptop at 9:00
    SetDone(TODAY, task_id, True, at(5)).apply(b)  # and on the phone at 9:05...
    RestoreTask(TODAY, task_id, (True, None), False, None, None, at=at(10)).apply(b)  # undone
    result = merged(a, b).day(TODAY).task(task_id)
    assert not result.done and result.done_at is None and result.changed_at == at(10)


def test_a_later_tick_beats_an_earlier_undo(base):
    a, b = both(base)
    task_id = task_of(base, TODAY).id
    SetDone(TODAY, task_id, True, at(0)).apply(a)
    RestoreTask(TODAY, task_id, (True, None), False, None, None, at=at(1)).apply(a)
    SetDone(TODAY, task_id, True, at(2)).apply(b)
    result = merged(a, b).day(TODAY).task(task_id)
    assert result.done and result.done_at == at(2)


def test_each_field_goes_by_its_own_stamp(base):
    """The laptop logged pain later, the phone wrote the day's note later: both win."""
    a, b = both(base)
    LogPain(TODAY, 2, "morning: fine", None, at(0)).apply(a)
    LogPain(TODAY, 4, None, None, at(1)).apply(b)
    NoteTask(TODAY, task_of(base, TODAY).id, "easy", at(2)).apply(b)
    LogPain(TODAY, 3, None, None, at(3)).apply(a)
    day = merged(a, b).day(TODAY)
    assert (day.pain, day.pain_at) == (3, at(3))
    assert (day.note, day.note_at) == ("morning: fine", at(0))
    assert day.tasks[0].note == "easy"


def test_a_pain_log_cleared_later_stays_cleared(base):
    a, b = both(base)
    LogPain(TODAY, 6, None, None, at(0)).apply(a)
    LogPain(TODAY, None, None, None, at(1)).apply(b)
    assert merged(a, b).day(TODAY).pain is None


def test_a_skip_and_a_gate_go_by_their_stamps(base):
    a, b = both(base)
    task_id = task_of(base, TODAY, 1).id
    SkipTask(TODAY, task_id, SkipReason.TRAVEL, at(0)).apply(a)
    SetDone(TODAY, task_id, True, at(1)).apply(b)
    passed = GateResult(30, 12, 30, True)
    failed = GateResult(10, 2, 30, False)
    RecordGate(TODAY, failed, at(2)).apply(a)
    RecordGate(TODAY, passed, at(3)).apply(b)
    result = merged(a, b).day(TODAY)
    assert result.task(task_id).done and result.task(task_id).skip is None
    assert result.gate == passed


# ------------------------------------------------------------------ no stamps: conservative


def test_without_stamps_a_tick_pain_at_rest_and_notes_are_kept_conservatively(base):
    a, b = both(base)
    first, second = task_of(base, TODAY, 0).id, task_of(base, TODAY, 1).id
    SetDone(TODAY, first, True, None).apply(a)  # an older version's tick without its time
    LogPain(TODAY, 3, "stairs ok", False, None).apply(a)
    LogPain(TODAY, 5, "sore after work", True, None).apply(b)
    NoteTask(TODAY, second, "knee bent hurts", None).apply(a)
    NoteTask(TODAY, second, "fine", None).apply(b)
    SkipTask(TODAY, second, SkipReason.PAIN, None).apply(b)
    day = merged(unstamped(a), unstamped(b)).day(TODAY)
    assert day.task(first).done  # done on either side wins
    assert day.pain == 5 and day.at_rest  # the higher score; pain at rest if either
    assert day.note == "sore after work\nstairs ok"  # both texts
    assert day.task(second).note == "fine\nknee bent hurts"
    assert day.task(second).skip == SkipReason.PAIN


def test_a_stamped_change_beats_a_value_without_a_stamp(base):
    """The copy without stamps holds the value from before the split; the stamped one is
    the runner's change since, even to a lower score."""
    a, b = both(base)
    unstamped(a)
    LogPain(YESTERDAY, 1, None, None, at(0)).apply(b)
    assert base.day(YESTERDAY).pain == 3
    assert merged(a, b).day(YESTERDAY).pain == 1


def test_equal_stamps_different_values_are_settled_by_value(base):
    a, b = both(base)
    LogPain(TODAY, 3, None, None, at(0)).apply(a)
    LogPain(TODAY, 5, None, None, at(0)).apply(b)
    assert merged(a, b).day(TODAY).pain == 5  # the higher, whichever copy is merged in


def test_joined_notes_join_once():
    assert joined("a", "b") == joined("b", "a") == "a\nb"
    assert joined(joined("a", "b"), "b") == "a\nb"
    assert joined("a", None) == "a" and joined(None, None) is None
    assert joined("sore calf", "sore") == "sore calf"


# ------------------------------------------------------------------ tasks of one's own


def test_tasks_of_ones_own_from_both_copies_are_kept(base):
    a, b = both(base)
    AddTask(TODAY, "my-a1b2c3", "Foam roll").apply(a)
    AddTask(TODAY, "my-d4e5f6", "Swim 20 min").apply(b)
    titles = [t.title for t in merged(a, b).day(TODAY).tasks if t.custom]
    assert sorted(titles) == ["Foam roll", "Swim 20 min"]


def test_two_different_tasks_under_one_id_are_both_kept_the_second_renamed(base):
    """Older versions numbered one's own tasks my-1, my-2: two machines can both add a
    my-1. Both stay; the one that sorts second takes my-1-2, whichever copy is merged in."""
    a, b = both(base)
    AddTask(TODAY, "my-1", "Foam roll").apply(a)
    AddTask(TODAY, "my-1", "Swim 20 min").apply(b)
    SetDone(TODAY, "my-1", True, at(0)).apply(b)
    result = merged(a, b)
    mine = {t.id: t for t in result.day(TODAY).tasks if t.custom}
    assert {(i, t.title) for i, t in mine.items()} == {
        ("my-1", "Foam roll"),
        ("my-1-2", "Swim 20 min"),
    }
    assert mine["my-1-2"].done  # with what was done on it
    assert merge_plans(result, b, TODAY) == result  # merged again: the same two tasks
    assert merge_plans(result, a, TODAY) == result


def test_an_edit_of_ones_own_task_wins_by_its_stamp(base):
    a, b = both(base)
    AddTask(TODAY, "my-abc123", "Foam roll").apply(base)
    a, b = both(base)
    EditTask(TODAY, "my-abc123", "Foam roll 5 min", at=at(0)).apply(a)
    SetDone(TODAY, "my-abc123", True, at(1)).apply(b)
    mine = [t for t in merged(a, b).day(TODAY).tasks if t.custom]
    assert len(mine) == 1 and mine[0].title == "Foam roll 5 min" and mine[0].done


# ------------------------------------------------------------------ the coming days


def test_a_red_log_on_one_copy_lays_out_the_merged_coming_days_as_it_did(base):
    """The laptop logged pain 6 yesterday and re-planned; the phone ticked today's first
    task. The merged plan's coming days are the laptop's, with the phone's tick kept."""
    a, b = both(base)
    LogPain(YESTERDAY, 6, "hurt again", None, at(0)).apply(a)
    Replan(TODAY, TODAY).apply(a)
    ticked = task_of(b, TODAY).id
    SetDone(TODAY, ticked, True, at(1)).apply(b)
    result = merged(a, b)
    assert result.day(YESTERDAY).pain == 6
    assert result.day(TODAY).task(ticked).done
    for day in result.days:
        if day.date > TODAY:
            assert day == a.day(day.date), day.date
    # what the phone laid out for the coming days, before the log, is gone where it differs
    assert any(b.day(d.date) != d for d in result.days if d.date > TODAY)


def test_a_log_of_today_on_one_copy_keeps_today_and_lays_out_the_days_after_it(base):
    """The phone logged today's pain and re-planned the days after today, as a log does;
    the laptop ticked one of today's tasks. Today's checklist stays as both had it (the
    log never re-laid it), with the laptop's tick; the coming days are the phone's."""
    sample = load_plan(Path(__file__).resolve().parent.parent / "plans" / "spring-half.toml")
    today = date(2026, 11, 30)  # a rebuild day: cross-training, with a run gate coming
    a, b = copy.deepcopy(sample), copy.deepcopy(sample)
    LogPain(today, 3, None, None, at(0)).apply(a)
    Replan(today + timedelta(days=1), today).apply(a)
    ticked = task_of(b, today).id
    SetDone(today, ticked, True, at(1)).apply(b)
    result = merge_plans(a, b, today)
    assert result == merge_plans(b, a, today)
    assert [t.id for t in result.day(today).tasks] == [t.id for t in sample.day(today).tasks]
    assert result.day(today).task(ticked).done and result.day(today).pain == 3
    for day in result.days:
        if day.date > today:
            assert day == a.day(day.date), day.date


def test_copies_that_agree_on_the_history_keep_their_days(base):
    a, b = both(base)
    SetDone(TODAY, task_of(base, TODAY).id, True, at(0)).apply(a)
    NoteTask(TODAY, task_of(base, TODAY, 1).id, "ok", at(1)).apply(b)
    result = merged(a, b)
    assert all(result.day(d.date) == d for d in base.days if d.date > TODAY)


def test_a_note_on_a_task_the_merged_plan_drops_goes_onto_the_day(base):
    a, b = both(base)
    tomorrow = TODAY + timedelta(days=1)
    LogPain(TODAY - timedelta(days=2), 7, None, None, at(0)).apply(a)
    LogPain(YESTERDAY, 7, None, None, at(0)).apply(a)
    Replan(TODAY, TODAY).apply(a)
    gone = next(t for t in b.day(tomorrow).tasks if a.day(tomorrow).task(t.id) is None)
    NoteTask(tomorrow, gone.id, "bring the band", at(1)).apply(b)
    result = merged(a, b)
    assert result.day(tomorrow).task(gone.id) is None
    assert f"{gone.title} (no longer planned): bring the band" in result.day(tomorrow).note


def test_an_edit_of_the_inputs_on_one_copy_wins_by_its_stamp(base):
    a, b = both(base)
    renamed = msgspec.structs.replace(a.inputs, name="Bath")
    EditInputs(renamed, a.warning, None, at(0)).apply(a)
    SetDone(TODAY, task_of(base, TODAY).id, True, at(1)).apply(b)
    result = merged(a, b)
    assert result.name == "Bath" and result.inputs_at == at(0)
    assert result.day(TODAY).tasks[0].done


# ------------------------------------------------------------------ refused


def test_two_different_plans_are_refused(base):
    other = copy.deepcopy(base)
    other.uid = "fedcba9876543210"
    with pytest.raises(MergeRefused, match="uid differs"):
        merge_plans(base, other, TODAY)
    older, renamed = both(base)
    older.uid = renamed.uid = None
    renamed.name = "Bath Half"
    with pytest.raises(MergeRefused, match="'Bristol Half' and 'Bath Half'"):
        merge_plans(older, renamed, TODAY)
    moved = copy.deepcopy(base)
    moved.injury_date = base.injury_date - timedelta(days=1)
    with pytest.raises(MergeRefused, match="injury dates differ"):
        merge_plans(base, moved, TODAY)


def test_a_copy_from_a_newer_version_is_refused(base):
    newer = copy.deepcopy(base)
    newer.read_only, newer.schema_version = True, 2
    with pytest.raises(MergeRefused, match="newer version"):
        merge_plans(base, newer, TODAY)


# ------------------------------------------------------------------ in words


def test_the_preview_says_each_change_to_the_plan(base):
    a, b = both(base)
    SetDone(TODAY, task_of(base, TODAY).id, True, at(0)).apply(b)
    NoteTask(TODAY, task_of(base, TODAY, 1).id, "easy", at(1)).apply(b)
    AddTask(TODAY, "my-abc123", "Foam roll").apply(b)
    LogPain(YESTERDAY, 1, "better", True, at(2)).apply(b)
    lines = describe_merge(a, merged(a, b))
    first, second = task_of(base, TODAY).title, task_of(base, TODAY, 1).title
    # pain at rest: a clinician first, no race; the recovery runs on after race day
    assert lines[0].startswith("Days added: ")
    assert "Mon 23 Nov: pain 1 (was 3); pain at rest; note: better" in lines
    assert (f"Tue 24 Nov: ticked '{first}'; note on '{second}': easy; + your task 'Foam roll'") in [
        line.split("; + double")[0] for line in lines
    ]
    assert describe_merge(a, merged(a, a)) == []


# ------------------------------------------------------------------ the session


def test_another_program_s_tick_while_merging_is_kept(tmp_path, base):
    path = tmp_path / "bristol-half.toml"
    PlanFile.create(path, base)
    copy_plan = copy.deepcopy(base)
    LogPain(YESTERDAY, 4, None, None, at(0)).apply(copy_plan)
    copy_path = tmp_path / "bristol-half.sync-conflict-20261124-101500-ABCDEFG.toml"
    PlanFile.create(copy_path, copy_plan)
    session = PlanSession(PlanFile.open(path), TODAY, lambda: at(30))

    other = PlanFile.open(path)  # another program ticks and saves after we opened it
    ticked = task_of(base, TODAY, 2).id
    other.apply(SetDone(TODAY, ticked, True, at(20)))
    other.save()

    result = session.merge_file(copy_path)
    on_disk = load_plan(path)
    assert on_disk.day(TODAY).task(ticked).done  # theirs
    assert on_disk.day(YESTERDAY).pain == 4  # the copy's
    assert result.elsewhere and result.lines[0] == "Mon 23 Nov: pain 4 (was 3)"
    assert not copy_path.exists() and result.copy_moved.exists()
    assert result.plan_backup.read_bytes() != path.read_bytes()
