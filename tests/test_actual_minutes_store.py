"""The minutes actually run (`actual_minutes`) and the activity they came from
(`activity_start`) in the plan file: written only when given, so older files read and write
back byte for byte; round trips; a hand-edited bad value refused at its place."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.strategies import plans, stamp
from planner.cli import main
from planner.store import MAX_DOSE, PlanError, dumps_plan, load_plan, parse_plan

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "plans").glob("*.toml"))


@st.composite
def plans_with_runs_as_run(draw):
    """Any plan, with minutes run and an activity's start on some of its tasks."""
    plan = draw(plans())
    for day in plan.days:
        for task in day.tasks:
            task.actual_minutes = draw(st.none() | st.integers(0, MAX_DOSE))
            task.activity_start = draw(st.none() | stamp)
    return plan


@settings(max_examples=300)
@given(plans_with_runs_as_run())
def test_minutes_run_round_trip(plan):
    again = parse_plan(dumps_plan(plan).encode(), "p.toml")
    assert again == plan
    ours = [(t.actual_minutes, t.activity_start) for d in plan.days for t in d.tasks]
    read = [(t.actual_minutes, t.activity_start) for d in again.days for t in d.tasks]
    assert read == ours


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_files_without_the_keys_load_and_write_back_unchanged(path):
    data = path.read_bytes()
    assert b"actual_minutes" not in data and b"activity_start" not in data
    plan = parse_plan(data, path)
    assert all(t.actual_minutes is None for d in plan.days for t in d.tasks)
    assert dumps_plan(plan).encode() == data


def test_the_keys_are_written_beside_the_task_they_belong_to(tmp_path):
    plan = parse_plan(EXAMPLES[0].read_bytes(), EXAMPLES[0])
    task = next(t for d in plan.days for t in d.tasks if t.category == "run")
    task.done, task.actual_minutes = True, 18
    task.activity_start = datetime(2026, 11, 27, 12, 2, 11, tzinfo=UTC)
    text = dumps_plan(plan)
    assert "actual_minutes = 18\nactivity_start = 2026-11-27 12:02:11+00:00\n" in text
    assert text.count("actual_minutes") == 1


def _hand_edited(tmp_path: Path, key: str, value: str) -> tuple[Path, int]:
    """An example plan with `key = value` added to its first run task by hand, and the
    line it is on."""
    lines = EXAMPLES[0].read_text().splitlines(keepends=True)
    at = next(n for n, line in enumerate(lines) if line == 'category = "run"\n')
    lines.insert(at + 1, f"{key} = {value}\n")
    path = tmp_path / "edited.toml"
    path.write_text("".join(lines))
    return path, at + 2


@pytest.mark.parametrize(
    ("key", "value", "problem"),
    [
        ("actual_minutes", "-3", "actual_minutes is -3; it must be 0-1440"),
        ("actual_minutes", "1441", "actual_minutes is 1441; it must be 0-1440"),
        ("actual_minutes", '"18"', "actual_minutes must be a whole number, not '18'"),
        ("actual_minutes", "18.5", "actual_minutes must be a whole number, not 18.5"),
        (
            "activity_start",
            "1900-01-01T07:00:00Z",
            "activity_start is 1900-01-01 07:00:00+00:00; a plan's dates are in the years",
        ),
        ("activity_start", "7", "activity_start must be a date and time like"),
    ],
)
def test_a_bad_hand_edit_is_refused_at_its_line(home, tmp_path, capsys, key, value, problem):
    path, line = _hand_edited(tmp_path, key, value)
    before = path.read_bytes()
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    assert problem in caught.value.problem
    assert caught.value.line == line
    # The command line says it as path:line:col, exit 1, and never writes over the file.
    code = main(["tick", "run", str(path), "--minutes", "20", "--date", "2026-11-27"])
    err = capsys.readouterr().err
    assert code == 1
    assert f"{path}:{line}:1: " in err and problem in err
    assert path.read_bytes() == before
