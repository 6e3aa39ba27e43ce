"""Plans laid out by protocol 1 (files without `[plan] protocol`): they open as they were,
say so, and `planner replan` (or the session's re-plan) re-lays only their coming days by
protocol 2, keeping past days, ticks, logs, notes and the runner's own tasks. Each test ends
on the file on disk."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from planner.cli import main
from planner.engine import build_plan
from planner.model import (
    PROTOCOL,
    Category,
    Distance,
    InjuryKind,
    PlanInputs,
    Side,
    SkipReason,
    Task,
)
from planner.ops import (
    AddTask,
    LogPain,
    OpError,
    Replan,
    RestoreDays,
    SetDone,
    SkipTask,
)
from planner.service import ChangeRefused, PlanSession
from planner.store import PlanFile, dumps_plan, load_plan

INJURY = date(2026, 11, 20)
RACE = date(2026, 11, 29)
TODAY = date(2026, 11, 24)  # day 4: four days lived, the race still ahead
NOW = datetime.combine(TODAY, time(12), UTC)
FUTURE = date(2026, 11, 26)
OLD = "p1-stretch"  # a task of protocol 1's layout that protocol 2 doesn't lay out


def protocol1_plan():
    """The forum runner's plan as protocol 1 might have laid it out, lived in up to today:
    every day carries a task protocol 2 doesn't have, the past days are ticked and logged,
    and today and the days ahead hold what a re-plan must keep."""
    inputs = PlanInputs(INJURY, RACE, InjuryKind.STRAIN, 1, Side.LEFT, Distance.HALF, "Bristol")
    plan = build_plan(inputs, INJURY, created=datetime.combine(INJURY, time(9), UTC))
    for day in plan.days:
        day.tasks.append(
            Task(OLD, Category.STRETCH, "Protocol 1 stretch", "3 x 30 s", "protocol 1 said so")
        )
        if day.date < TODAY:
            evening = datetime.combine(day.date, time(19), UTC)
            SetDone(day.date, day.tasks[0].id, True, evening).apply(plan)
            LogPain(day.date, 2, f"fine on {day.date:%d %b}").apply(plan)
    SetDone(TODAY, OLD, True, NOW).apply(plan)  # done today: it stays
    SetDone(TODAY, plan.day(TODAY).tasks[0].id, True, NOW).apply(plan)
    LogPain(TODAY, 1, "barely there").apply(plan)
    AddTask(FUTURE, "my-abc123", "Foam roller", dose="5 min").apply(plan)
    SkipTask(FUTURE, OLD, SkipReason.TRAVEL).apply(plan)  # skipped: it stays
    plan.day(FUTURE).task("gate").dose = "20 single-leg raises"  # protocol 1's gate
    plan.protocol = 1
    return plan


def write_protocol1(path: Path) -> Path:
    """A protocol-1 file: the plan written by today's app, then its `protocol` line taken
    out, as the older app wrote it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    plan = protocol1_plan()
    plan.protocol = PROTOCOL
    PlanFile.create(path, plan)
    text = path.read_text("utf-8")
    line = f"\nprotocol = {PROTOCOL}\n"
    assert text.count(line) == 1
    path.write_text(text.replace(line, "\n"), "utf-8")
    return path


@pytest.fixture
def p1(tmp_path) -> Path:
    return write_protocol1(tmp_path / "plans" / "bristol.toml")


@pytest.fixture
def cli(home, capsys):
    def run(*args: str, today: date = TODAY) -> tuple[int, str, str]:
        code = main([*args, "--today", today.isoformat()])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def head_and_days(data: bytes) -> tuple[list[bytes], list[bytes]]:
    """A file's head lines (without the save counter) and each day's text, by date order."""
    head, *days = data.split(b"\n[[days]]\n")
    lines = [line for line in head.splitlines() if not line.startswith(b"revision = ")]
    return lines, days


def day_index(when: date) -> int:
    return (when - INJURY).days


def session_for(path: Path, today: date = TODAY) -> PlanSession:
    return PlanSession(PlanFile.open(path), today, lambda: NOW)


# ------------------------------------------------------------------ opens as it was


def test_a_file_without_the_key_is_protocol_1_and_round_trips_without_it(p1):
    data = p1.read_bytes()
    assert b"protocol" not in data.split(b"[[days]]")[0]
    plan = load_plan(p1)
    assert plan.protocol == 1
    assert dumps_plan(plan).encode() == data  # nothing added, nothing moved


def test_the_protocol_key_round_trips(tmp_path, cli):
    code, _, err = cli("new", "--injury", "2026-11-20", "--race", "2026-11-29", "--name", "Key")
    assert code == 0, err
    (path,) = (tmp_path / "home" / "plans").glob("key*.toml")
    data = path.read_bytes()
    assert f"\nprotocol = {PROTOCOL}\n".encode() in data
    plan = load_plan(path)
    assert plan.protocol == PROTOCOL
    assert dumps_plan(plan).encode() == data
    session = session_for(path)
    assert session.toggle(TODAY, session.plan.day(TODAY).tasks[0].id)
    assert load_plan(path).protocol == PROTOCOL
    assert path.read_bytes().count(b"\nprotocol = ") == 1


def test_show_says_so_and_writes_nothing(p1, cli):
    before = p1.read_bytes()
    code, out, err = cli("show", str(p1))
    assert code == 0, err
    notice = [line for line in out.splitlines() if "protocol 1" in line]
    assert len(notice) == 1
    assert "planner replan" in notice[0] and f"protocol {PROTOCOL}" in notice[0]
    assert p1.read_bytes() == before


def test_show_of_a_protocol_2_plan_says_nothing_of_protocols(tmp_path, cli):
    cli("new", "--injury", "2026-11-20", "--race", "2026-11-29", "--name", "New")
    code, out, _ = cli("show", "New")
    assert code == 0 and "protocol" not in out.lower()


def test_a_tick_changes_only_its_day_and_never_adds_the_key(p1, cli):
    head, days = head_and_days(p1.read_bytes())
    code, out, err = cli("tick", "2", str(p1))
    assert code == 0, err
    assert "Saved." in out
    new_head, new_days = head_and_days(p1.read_bytes())
    assert new_head == head and b"protocol" not in b"\n".join(new_head)
    assert len(new_days) == len(days)
    for index, (old, new) in enumerate(zip(days, new_days, strict=True)):
        if index != day_index(TODAY):
            assert new == old, f"day {index} changed"
    assert new_days[day_index(TODAY)] != days[day_index(TODAY)]
    assert load_plan(p1).protocol == 1


# ------------------------------------------------------------------ planner replan


def test_replan_relays_only_the_days_from_today_and_keeps_the_runners_own(p1, cli):
    original = load_plan(p1)
    _, days = head_and_days(p1.read_bytes())
    code, out, err = cli("replan", str(p1))
    assert code == 0, err
    assert "Saved." in out
    assert f"The coming days are now laid out by protocol {PROTOCOL}" in out
    data = p1.read_bytes()
    assert f"\nprotocol = {PROTOCOL}\n".encode() in data
    _, new_days = head_and_days(data)
    for index in range(day_index(TODAY)):  # the past, byte for byte
        assert new_days[index] == days[index]
    plan = load_plan(p1)
    assert plan.protocol == PROTOCOL
    for day in plan.days[day_index(TODAY) :]:
        old = original.day(day.date)
        for task in old.tasks:  # ticks, skips and own tasks stay exactly as they were
            if task.done or task.skip is not None or task.custom:
                assert day.task(task.id) == task
        assert (day.pain, day.note, day.at_rest, day.gate) == (
            old.pain,
            old.note,
            old.at_rest,
            old.gate,
        )
    today = plan.day(TODAY)
    assert today.task(OLD).done and today.pain == 1 and today.note == "barely there"
    future = plan.day(FUTURE)
    assert future.task("my-abc123").title == "Foam roller"
    assert future.task(OLD).skip == SkipReason.TRAVEL
    # an untouched protocol-1 task of a coming day gives way to protocol 2's layout
    assert all(d.task(OLD) is None for d in plan.days if d.date > FUTURE)
    assert plan.days[day_index(TODAY) - 1].task(OLD) is not None  # the past keeps it


def test_a_second_replan_has_nothing_to_do_and_writes_nothing(p1, cli):
    assert cli("replan", str(p1))[0] == 0
    before = p1.read_bytes()
    stamp = p1.stat().st_mtime_ns
    code, out, err = cli("replan", str(p1))
    assert code == 0, err
    assert out.strip().splitlines() == [
        f"Bristol: already laid out by protocol {PROTOCOL}; nothing to do."
    ]
    assert p1.read_bytes() == before and p1.stat().st_mtime_ns == stamp


def test_replan_of_a_new_plan_has_nothing_to_do(tmp_path, cli):
    cli("new", "--injury", "2026-11-20", "--race", "2026-11-29", "--name", "Fresh")
    (path,) = (tmp_path / "home" / "plans").glob("fresh*.toml")
    before = path.read_bytes()
    code, out, _ = cli("replan", "Fresh")
    assert code == 0 and "nothing to do" in out
    assert path.read_bytes() == before


def test_replan_of_a_finished_plan_has_nothing_to_do(p1, cli):
    before = p1.read_bytes()
    code, out, _ = cli("replan", str(p1), today=date(2027, 1, 10))
    assert code == 0 and "no coming days" in out
    assert p1.read_bytes() == before


# ------------------------------------------------------------------ pain and gate re-plans


def test_a_pain_log_on_a_protocol_1_plan_replans_by_protocol_2_and_says_so(p1, cli):
    _, days = head_and_days(p1.read_bytes())
    code, out, err = cli("pain", "2", str(p1))
    assert code == 0, err
    assert f"The coming days are now laid out by protocol {PROTOCOL}" in out
    assert "green: carry on as planned" in out
    plan = load_plan(p1)
    assert plan.protocol == PROTOCOL and plan.day(TODAY).pain == 2
    _, new_days = head_and_days(p1.read_bytes())
    assert new_days[: day_index(TODAY)] == days[: day_index(TODAY)]


def test_the_pain_preview_names_the_protocol_too(p1):
    session = session_for(p1)
    before = p1.read_bytes()
    lines = session.preview(session.pain_ops(TODAY, 6, None, None), TODAY)
    assert lines[0].startswith(f"The coming days are now laid out by protocol {PROTOCOL}")
    assert session.plan.protocol == 1 and p1.read_bytes() == before


# ------------------------------------------------------------------ the session


def test_the_preview_applies_nothing_and_is_what_the_replan_changes(p1):
    session = session_for(p1)
    before = p1.read_bytes()
    plan_before = load_plan(p1)
    lines = session.protocol_preview()
    assert lines[0] == (
        f"The coming days are now laid out by protocol {PROTOCOL} "
        "(the plan was laid out by protocol 1)"
    )
    assert len(lines) > 1  # the coming days do change
    assert any(
        line.startswith("Thu 26 Nov:") and "gate" in line and "— now" in line for line in lines
    )
    assert all("Sat 21 Nov" not in line for line in lines)  # a past day
    assert session.plan == plan_before and p1.read_bytes() == before
    assert session.replan_protocol()
    assert session.changes == lines
    assert load_plan(p1).protocol == PROTOCOL


def test_a_protocol_2_plan_is_refused(p1):
    session = session_for(p1)
    session.replan_protocol()
    with pytest.raises(ChangeRefused, match=f"already laid out by protocol {PROTOCOL}"):
        session.protocol_preview()
    with pytest.raises(ChangeRefused, match="already laid out"):
        session.replan_protocol()


def test_undo_puts_the_old_days_and_protocol_back(p1):
    _, days = head_and_days(p1.read_bytes())
    session = session_for(p1)
    session.replan_protocol()
    assert session.undo() == f"re-plan by protocol {PROTOCOL}"
    head, new_days = head_and_days(p1.read_bytes())
    assert new_days == days and b"protocol" not in b"\n".join(head)
    assert load_plan(p1).protocol == 1


def test_undo_after_another_program_changed_a_day_is_refused(p1):
    session = session_for(p1)
    session.replan_protocol()
    other = PlanFile.open(p1)  # another program: a tick on today
    task = next(t for t in other.plan.day(TODAY).tasks if not t.done and not t.skip)
    other.apply(SetDone(TODAY, task.id, True, NOW))
    other.save()
    session.refresh()
    with pytest.raises(ChangeRefused, match="not undone"):
        session.undo()
    plan = load_plan(p1)
    assert plan.protocol == PROTOCOL and plan.day(TODAY).task(task.id).done


def test_undo_refused_in_the_file_when_the_change_came_after_our_read(p1):
    """Another program's tick lands after our last look at the file: the undo fits our
    copy, but not the file; the file keeps their tick and the re-plan."""
    session = session_for(p1)
    session.replan_protocol()
    other = PlanFile.open(p1)
    task = next(t for t in other.plan.day(TODAY).tasks if not t.done and not t.skip)
    other.apply(SetDone(TODAY, task.id, True, NOW))
    other.save()
    session.undo()
    assert session.save_error is not None and "no longer fits" in session.save_error
    plan = load_plan(p1)
    assert plan.protocol == PROTOCOL and plan.day(TODAY).task(task.id).done


def test_a_replan_onto_another_programs_save_keeps_it_and_undo_too(p1):
    session = session_for(p1)
    other = PlanFile.open(p1)
    task = next(t for t in other.plan.day(FUTURE).tasks if not t.done and not t.skip)
    other.apply(SkipTask(FUTURE, task.id, SkipReason.OTHER))
    other.save()
    theirs = p1.read_bytes()
    assert session.replan_protocol()  # merged: our re-plan applied again onto their file
    plan = load_plan(p1)
    assert plan.protocol == PROTOCOL and plan.day(FUTURE).task(task.id).skip == SkipReason.OTHER
    assert all("skip" not in line for line in session.changes)  # theirs, not ours
    assert session.undo() is not None
    _, days = head_and_days(theirs)
    head, now = head_and_days(p1.read_bytes())
    assert now == days and b"protocol" not in b"\n".join(head)  # their skip stays


def test_a_replan_that_failed_to_save_is_kept_named_and_saved_on_retry(p1, monkeypatch):
    from planner.store import SaveError, plan_file

    before = p1.read_bytes()
    session = session_for(p1)

    def failing(*args, **kwargs):
        raise SaveError(f"{p1}: not saved: No space left on device")

    monkeypatch.setattr(plan_file, "atomic_write", failing)
    assert not session.replan_protocol()
    assert p1.read_bytes() == before and session.plan.protocol == PROTOCOL
    assert session.unsaved_words() == [f"re-laying the days from Tue 24 Nov by protocol {PROTOCOL}"]
    monkeypatch.undo()
    assert session.save()
    assert load_plan(p1).protocol == PROTOCOL


# ------------------------------------------------------------------ the operations


def test_the_ops_words_and_their_guard():
    plan = protocol1_plan()
    op = Replan(TODAY, TODAY, PROTOCOL)
    assert op.words() == f"re-laying the days from Tue 24 Nov by protocol {PROTOCOL}"
    assert Replan(TODAY, TODAY).words() == "re-planning the days from Tue 24 Nov"
    before = copy.deepcopy(tuple(plan.days[day_index(TODAY) :]))
    op.apply(plan)
    assert plan.protocol == PROTOCOL
    after = copy.deepcopy(tuple(plan.days[day_index(TODAY) :]))
    undo = RestoreDays(TODAY, after, before, PROTOCOL, 1)
    assert "undo" in undo.words()
    plan.day(FUTURE).pain = None
    plan.day(FUTURE).note = "written elsewhere"
    with pytest.raises(OpError, match="changed elsewhere"):
        undo.apply(plan)
    plan.day(FUTURE).note = None
    undo.apply(plan)
    assert plan.protocol == 1 and tuple(plan.days[day_index(TODAY) :]) == before
    with pytest.raises(OpError):
        Replan(TODAY, TODAY, 1).apply(plan)  # the engine lays out only the current protocol


def test_a_replan_after_the_plan_leaves_the_protocol_alone():
    plan = protocol1_plan()
    Replan(date(2027, 1, 1), date(2027, 1, 1)).apply(plan)
    assert plan.protocol == 1
