"""Text that is shown on one line stays one line, and paths are cleaned before they are shown.

A newline in a title, dose, why or name must not print as an extra line that looks like a
ticked task; a day's note keeps its lines but prints them indented under the first; a file
name holding an escape sequence is shown without it.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.cli import main
from planner.model import (
    Category,
    Day,
    Distance,
    InjuryKind,
    Phase,
    Plan,
    Task,
    clean_line,
    clean_text,
    shown_path,
)
from planner.store import dumps_plan, load_plan, parse_plan

BREAKS = ["\n", "\r", "\r\n", "\v", "\f", "\t", "\x85", "\u2028", "\u2029"]
FAKE = "\n  9. [x] fake"
# A line of `planner show` laid out as a task line: two spaces, the number right-aligned
# (at most three digits here), a dot, a box.
TASK_LINE = re.compile(r"^ {2,4}\d+\. \[[ x-]\]")

# Every character that could start a new line or move the cursor, mixed with plain text.
hostile = st.text(
    alphabet=st.one_of(
        st.sampled_from([" ", "a", "[", "]", "\x1b", "\x07", "\x9b", "\u202e", *"".join(BREAKS)]),
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
    ),
    max_size=30,
)


# ------------------------------------------------------------------ clean_line


@pytest.mark.parametrize("brk", BREAKS)
def test_clean_line_makes_every_line_break_and_tab_one_space(brk):
    assert clean_line(f"walk{brk}20 min") == "walk 20 min"
    assert clean_line(f"walk {brk}  {brk} 20 min") == "walk 20 min"  # one gap, not five


def test_clean_line_drops_breaks_at_the_ends_and_controls_as_clean_text_does():
    assert clean_line("\n  walk\n") == "walk"
    assert clean_line("\n") == ""
    assert clean_line("a\n  9. [x] fake") == "a 9. [x] fake"
    assert clean_line("esc\x1b[2Jcleared") == clean_text("esc\x1b[2Jcleared") == "esc[2Jcleared"
    # A control beside a break is gone before the gap is measured: no double space.
    assert clean_line("a\n\x1b b") == "a b"
    assert clean_line("a \x07\nb") == "a b"


def test_clean_line_keeps_a_printable_string_as_it_is():
    text = "  two  spaces [b]kept[/b]  "
    assert clean_line(text) is text  # the fast path: one C call, no copy


@given(hostile)
def test_clean_line_gives_one_clean_line_and_is_idempotent(text):
    line = clean_line(text)
    assert len(line.splitlines()) <= 1
    assert not any(ch in line for ch in "\x1b\x07\x9b\x85\u202e\t")
    assert clean_line(line) == line


# ------------------------------------------------------------------ shown_path


def test_shown_path_cleans_escapes_and_breaks_but_keeps_spaces():
    osc = Path("/plans/x\x1b]52;c;aGk=\x07.toml")
    assert shown_path(osc) == "/plans/x]52;c;aGk=.toml"
    assert shown_path("a\x1b[2Jb.toml") == "a[2Jb.toml"
    assert shown_path("two  spaces\nand a break.toml") == "two  spaces and a break.toml"
    plain = "/home/runner/plans/bristol-half.toml"
    assert shown_path(Path(plain)) == plain


@given(hostile)
def test_shown_path_is_one_line_without_controls(text):
    shown = shown_path(text)
    assert len(shown.splitlines()) <= 1
    assert not any(ch in shown for ch in "\x1b\x07\x9b\x85\u202e")


# ------------------------------------------------------------------ the model


def test_task_fields_are_one_line_but_a_day_note_keeps_its_lines():
    task = Task(
        id="my\n1",
        category=Category.CUSTOM,
        title=f"Walk{FAKE}",
        dose=f"2 min{FAKE}",
        why="because\r\n  3. [x] fake",
    )
    assert (task.id, task.title, task.dose, task.why) == (
        "my 1",
        "Walk 9. [x] fake",
        "2 min 9. [x] fake",
        "because 3. [x] fake",
    )
    day = Day(date(2026, 11, 21), Phase.PROTECT, [task], pain=3, note=f"stiff{FAKE}")
    assert day.note == f"stiff{FAKE}"


def _plan(**fields) -> Plan:
    """A two-day plan (the injury, then race day) a file can hold."""
    day = Day(date(2026, 11, 20), Phase.PROTECT, [Task("walk", Category.WALK, "Walk")])
    race = Day(date(2026, 11, 21), Phase.RACE)
    values = {
        "name": "X",
        "created": datetime(2026, 11, 21, 12, tzinfo=UTC),
        "injury_date": date(2026, 11, 20),
        "race_date": date(2026, 11, 21),
        "injury": InjuryKind.STRAIN,
        "grade": 1,
        "side": None,
        "distance": Distance.HALF,
        "days": [day, race],
    }
    return Plan(**(values | fields))


def test_plan_name_warning_and_uid_are_one_line():
    plan = _plan(name=f"Bristol{FAKE}", warning="too soon\u2028  1. [x] ok", uid="u\nid")
    assert (plan.name, plan.warning, plan.uid) == (
        "Bristol 9. [x] fake",
        "too soon 1. [x] ok",
        "u id",
    )


def test_round_trip_holds_for_fields_with_line_breaks():
    plan = _plan(name=f"N{FAKE}", warning=f"W{FAKE}")
    plan.days[0].tasks.append(Task("t\t2", Category.CUSTOM, f"T{FAKE}", f"D{FAKE}", f"Y{FAKE}"))
    plan.days[0].note = f"stiff{FAKE}\n"
    assert parse_plan(dumps_plan(plan).encode(), "p.toml") == plan


def test_a_hand_edited_file_with_newlines_loads_them_as_one_line(tmp_path):
    path = tmp_path / "p.toml"
    text = dumps_plan(_plan())
    text = text.replace('title = "Walk"', 'title = "Walk\\n  2. [x] fake"')
    text = text.replace('name = "X"', 'name = "X\\n\\nfake"')
    path.write_text(text)
    plan = load_plan(path)
    assert plan.name == "X fake"
    assert plan.days[0].tasks[0].title == "Walk 2. [x] fake"


# ------------------------------------------------------------------ planner show


def _show_lines(capsys, *args) -> list[str]:
    assert main(["show", *args]) == 0
    return capsys.readouterr().out.splitlines()


def test_show_never_prints_a_fake_task_line(home, capsys):
    new = ["new", "--injury", "2026-11-20", "--race", "2026-11-29", "--name", f"X{FAKE}"]
    assert main(new) == 0
    assert main(["pain", "3", "--note", f"a{FAKE}\n\n  last"]) == 0
    assert main(["add", "Foam", "--dose", f"2 min{FAKE}"]) == 0
    [path] = (home / "plans").glob("*.toml")
    # As a hand edit would: a why over two lines in the file (set past the model's cleaning).
    plan = load_plan(path)
    plan.day(date(2026, 11, 21)).tasks[0].why = "first\n  8. [x] fake"
    path.write_text(dumps_plan(plan))
    assert '"first\\n  8. [x] fake"' in path.read_text()
    capsys.readouterr()

    lines = _show_lines(capsys, "--why")
    tasks = load_plan(path).day(date(2026, 11, 21)).tasks
    assert len([line for line in lines if TASK_LINE.match(line)]) == len(tasks)
    assert lines[0].startswith("X 9. [x] fake: ")
    assert "  7. [ ] Foam — 2 min 9. [x] fake (yours)" in lines
    assert "          why: first 8. [x] fake" in lines
    # The note keeps its lines, each indented under where the note began.
    pain = lines.index("Pain: 3/10 — a")
    indent = " " * len("Pain: 3/10 — ")
    assert lines[pain + 1 : pain + 4] == [indent + "  9. [x] fake", "", indent + "  last"]


def test_show_indents_every_line_of_a_note_from_a_hand_edited_file(home, capsys):
    assert main(["new", "--injury", "2026-11-20", "--race", "2026-11-29", "--name", "X"]) == 0
    [path] = (home / "plans").glob("*.toml")
    plan = load_plan(path)
    plan.days[1].pain = 2
    plan.days[1].note = "line one\u2028  1. [x] fake\r\n  2. [x] fake"
    path.write_text(dumps_plan(plan))
    capsys.readouterr()
    lines = _show_lines(capsys, "--date", "2026-11-21")
    tasks = load_plan(path).day(date(2026, 11, 21)).tasks
    assert len([line for line in lines if TASK_LINE.match(line)]) == len(tasks)
    start = lines.index("Pain: 2/10 — line one")
    indent = " " * len("Pain: 2/10 — ")
    assert lines[start + 1 : start + 3] == [indent + "  1. [x] fake", indent + "  2. [x] fake"]
