"""Notes on a task: kept in the file (old files unchanged), written by `planner note` and by
a skip for 'other', shown by `show`, undone with the change that made them, and carried by a
re-plan onto the task of the same id."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.strategies import nasty_text, plans
from planner.cli import main
from planner.demo import DEMO_TODAY, demo_plan
from planner.engine import replan
from planner.model import SkipReason, Task
from planner.ops import MAX_NOTE, NoteTask, OpError, RestoreNote, clean_note
from planner.service import ChangeRefused, PlanSession
from planner.store import PlanFile, dumps_plan, load_plan, parse_plan

TODAY = DEMO_TODAY  # Tue 24 Nov 2026
NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)
MARKUP = "[bold]x[/] [@click=app.quit]q[/]"


@pytest.fixture
def saved(tmp_path):
    path = tmp_path / "plans" / "bristol-half.toml"
    path.parent.mkdir()
    PlanFile.create(path, demo_plan(TODAY))
    return path


def session_for(path, today=TODAY) -> PlanSession:
    return PlanSession(PlanFile.open(path), today, lambda: NOW)


def cli(capsys, path, *words, today=TODAY):
    code = main([*words, "--today", today.isoformat()])
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------------ the file


@st.composite
def noted_plans(draw):
    """Plans full of hostile text, each task with or without a note of hostile text."""
    plan = draw(plans())
    for day in plan.days:
        for task in day.tasks:
            task.note = draw(st.none() | nasty_text)
            task.__post_init__()  # cleaned as a task built with the note would be
    return plan


@settings(max_examples=200)
@given(noted_plans())
def test_a_note_round_trips_through_the_file(plan):
    text = dumps_plan(plan)
    again = parse_plan(text.encode(), "p.toml")
    assert again == plan
    assert [t.note for d in again.days for t in d.tasks] == [
        t.note for d in plan.days for t in d.tasks
    ]
    assert dumps_plan(again) == text


@given(nasty_text)
def test_a_note_keeps_no_control_character_and_its_lines(text):
    task = Task(id="a", category="ice", title="Ice", note=text)
    assert task.note is not None
    assert not any(c in task.note for c in "\x1b\x07\x00\x7f\x9b\u202e\u2066")
    assert set(text) & {"\n", "\t"} <= set(task.note)  # a note may run over lines


def test_an_old_file_without_notes_loads_and_saves_byte_for_byte(saved):
    before = saved.read_bytes()
    plan = load_plan(saved)
    assert all(t.note is None for d in plan.days for t in d.tasks)
    assert dumps_plan(plan).encode() == before


def test_a_task_note_is_written_after_the_task_s_own_keys(saved):
    session = session_for(saved)
    task = session.plan.day(TODAY).tasks[1]
    assert session.set_note(TODAY, task.id, "stairs were hard")
    text = saved.read_text()
    block = text[text.index(f'id = "{task.id}"', text.index("2026-11-24")) :]
    block = block[: block.index("[[days")]
    assert block.rstrip().endswith('note = "stairs were hard"')


# ------------------------------------------------------------------ the operation


def test_a_note_is_cleaned_and_bounded_as_a_day_note_is():
    assert clean_note("  tight \x1b[31m\n") == "tight [31m"
    assert clean_note("   ") is None and clean_note("") is None
    assert clean_note("x" * MAX_NOTE) == "x" * MAX_NOTE
    with pytest.raises(OpError, match=f"at most {MAX_NOTE}"):
        clean_note("x" * (MAX_NOTE + 1))


def test_undoing_a_note_changed_elsewhere_is_refused():
    plan = demo_plan(TODAY)
    task = plan.day(TODAY).tasks[0]
    NoteTask(TODAY, task.id, "mine").apply(plan)
    task.note = "theirs"  # another program's save
    with pytest.raises(OpError, match="changed elsewhere"):
        RestoreNote(TODAY, task.id, "mine", None).apply(plan)
    assert task.note == "theirs"


# ------------------------------------------------------------------ the session


def test_set_note_saves_at_once_and_undo_puts_the_old_note_back(saved):
    session = session_for(saved)
    task_id = session.plan.day(TODAY).tasks[0].id
    session.set_note(TODAY, task_id, "first")
    session.set_note(TODAY, task_id, "second")
    assert load_plan(saved).day(TODAY).task(task_id).note == "second"
    assert session.undo() == f"note on '{session.plan.day(TODAY).task(task_id).title}'"
    assert load_plan(saved).day(TODAY).task(task_id).note == "first"
    session.undo()
    assert load_plan(saved).day(TODAY).task(task_id).note is None


def test_a_note_too_long_is_refused_with_nothing_changed(saved):
    before = saved.read_bytes()
    session = session_for(saved)
    task_id = session.plan.day(TODAY).tasks[0].id
    with pytest.raises(ChangeRefused, match="at most 500"):
        session.set_note(TODAY, task_id, "x" * 501)
    with pytest.raises(ChangeRefused, match="at most 500"):
        session.skip(TODAY, task_id, SkipReason.OTHER, "x" * 501)
    assert not session.unsaved and not session.undo_stack
    assert session.plan.day(TODAY).task(task_id).skip is None
    assert saved.read_bytes() == before


def test_a_skip_with_words_is_one_change_undone_whole(saved):
    session = session_for(saved)
    task_id = session.plan.day(TODAY).tasks[2].id
    session.set_note(TODAY, task_id, "before")
    session.skip(TODAY, task_id, SkipReason.OTHER, "dentist ran late")
    task = load_plan(saved).day(TODAY).task(task_id)
    assert (task.skip, task.note) == (SkipReason.OTHER, "dentist ran late")
    session.undo()
    task = load_plan(saved).day(TODAY).task(task_id)
    assert (task.skip, task.note) == (None, "before")


def test_undo_of_a_skip_with_words_is_refused_whole_when_the_note_changed(saved):
    session = session_for(saved)
    task_id = session.plan.day(TODAY).tasks[2].id
    session.skip(TODAY, task_id, SkipReason.OTHER, "mine")
    other = session_for(saved)  # another program writes its own note meanwhile
    other.set_note(TODAY, task_id, "theirs")
    session.refresh()
    with pytest.raises(ChangeRefused, match="not undone"):
        session.undo()
    task = load_plan(saved).day(TODAY).task(task_id)
    assert (task.skip, task.note) == (SkipReason.OTHER, "theirs")


def test_a_note_goes_with_its_task_through_a_re_plan(saved):
    plan = load_plan(saved)
    tomorrow = TODAY + timedelta(days=1)
    kept = plan.day(tomorrow).tasks[0]
    kept.note = "do these on the stairs"
    again = replan(plan, tomorrow, TODAY)
    assert again.day(tomorrow).task(kept.id).note == "do these on the stairs"
    # A day the re-plan lays out again keeps the notes of the tasks it keeps.
    red = copy.deepcopy(plan)
    red.day(TODAY).pain = 7
    after = replan(red, tomorrow, TODAY)
    carried = after.day(tomorrow).task(kept.id)
    assert carried is None or carried.note == "do these on the stairs"


# ------------------------------------------------------------------ the command line


def test_planner_note_writes_clears_and_says_what_it_did(saved, home, capsys):
    code, out, _ = cli(capsys, saved, "note", "2", MARKUP, str(saved))
    assert code == 0
    task = load_plan(saved).day(TODAY).tasks[1]
    assert task.note == MARKUP
    assert out.startswith(f"Noted: 2. {task.title} (Tue 24 Nov). Saved.")
    assert f"  note: {MARKUP}" in out
    code, out, _ = cli(capsys, saved, "note", "2", MARKUP, str(saved))
    assert code == 0 and out.startswith("Note unchanged: 2.")
    code, out, _ = cli(capsys, saved, "note", task.id, "", str(saved))
    assert code == 0 and out.startswith(f"Note cleared: 2. {task.title}")
    assert load_plan(saved).day(TODAY).tasks[1].note is None
    code, out, _ = cli(capsys, saved, "note", "2", "", str(saved))
    assert code == 0 and out.startswith("No note to clear: 2.")


def test_planner_note_finds_its_task_and_day_as_tick_does(saved, home, capsys):
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    code, _, _ = cli(capsys, saved, "note", "1", "cold morning", str(saved), "--date", yesterday)
    assert code == 0
    assert load_plan(saved).day(TODAY - timedelta(days=1)).tasks[0].note == "cold morning"


@pytest.mark.parametrize(
    ("words", "message"),
    [
        (["note", "99", "x"], "TASK: no task '99' on Tue 24 Nov; use a number from 1 to"),
        (["note", "no-such-id", "x"], "TASK: no task 'no-such-id'"),
        (["note", "1", "x" * 501], "TEXT: a note is at most 500 characters"),
        (["note", "1", "x", "--date", "1 Jan 2030"], "--date: 2030-01-01 is outside the plan"),
        (["skip", "1", "", "--reason", "other", "--note", "x" * 501], "--note: at most 500"),
    ],
)
def test_bad_note_input_is_one_line_exit_2_and_changes_nothing(saved, home, capsys, words, message):
    before = saved.read_bytes()
    head, tail = (words[:2], words[3:]) if words[0] == "skip" else (words[:3], words[3:])
    code, out, err = cli(capsys, saved, *head, str(saved), *tail)
    assert code == 2, (out, err)
    assert err.startswith(f"planner: {message}"), err
    assert err.count("\n") == 1 and not out
    assert saved.read_bytes() == before


def test_skip_for_other_takes_words_and_show_prints_them_under_the_task(saved, home, capsys):
    code, out, _ = cli(
        capsys, saved, "skip", "3", str(saved), "--reason", "other", "--note", "dentist\n4. [ ] x"
    )
    assert code == 0
    assert "Skipped (other): 3." in out and "  note: dentist\n" in out
    task = load_plan(saved).day(TODAY).tasks[2]
    assert (task.skip, task.note) == (SkipReason.OTHER, "dentist\n4. [ ] x")
    code, out, _ = cli(capsys, saved, "show", str(saved))
    lines = out.splitlines()
    at = next(n for n, line in enumerate(lines) if line.lstrip().startswith("3. [-]"))
    assert lines[at + 1].strip() == "note: dentist"
    # a second line of the note hangs under the first: it can't pass for a task line
    assert lines[at + 2].startswith(" " * 10) and lines[at + 2].strip() == "4. [ ] x"


def test_skip_without_words_leaves_the_note_alone(saved, home, capsys):
    cli(capsys, saved, "note", "3", "mine", str(saved))
    code, out, _ = cli(capsys, saved, "skip", "3", str(saved), "--reason", "travel")
    assert code == 0 and "note" not in out
    assert load_plan(saved).day(TODAY).tasks[2].note == "mine"


def test_show_prints_no_note_line_without_a_note(saved, home, capsys):
    code, out, _ = cli(capsys, saved, "show", str(saved))
    assert code == 0 and "note:" not in out


def test_a_read_only_plan_takes_no_note(saved, home, capsys):
    text = saved.read_text().replace("schema_version = 1", "schema_version = 2", 1)
    saved.write_text(text)
    before = saved.read_bytes()
    code, _, err = cli(capsys, saved, "note", "1", "x", str(saved))
    assert code == 1 and "newer" in err
    assert saved.read_bytes() == before


def test_notes_on_days_outside_today_are_allowed_like_skips(saved, home, capsys):
    later = date(2026, 11, 27).isoformat()
    code, _, err = cli(
        capsys, saved, "note", "1", "treadmill if it rains", str(saved), "--date", later
    )
    assert code == 0, err
    assert load_plan(saved).day(date(2026, 11, 27)).tasks[0].note == "treadmill if it rains"
