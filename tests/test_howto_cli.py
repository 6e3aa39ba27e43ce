"""`planner show --how`: each exercise of the day followed by its steps, indented under it
and wrapped like the rest of `show`; nothing for a rest, a check or the runner's own task."""

from __future__ import annotations

from planner.cli import main
from planner.rules import load_rules

# The forum runner (grade 1, half marathon on day 9), shown on day 5 (Wed 25 Nov):
# single-leg raises, the gate's hops, stretches, self-massage, heat and cross-training.
NEW = ["new", "--injury", "2026-11-20", "--race", "2026-11-29", "--side", "left"]
DAY = ["--date", "2026-11-25"]


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def steps_of(title: str) -> tuple[str, ...]:
    return next(t.how for t in load_rules().tasks if t.title == title)


def block(lines: list[str], start: str) -> list[str]:
    """The lines after the task line that starts with `start`, up to the next task line
    or the blank line after the tasks."""
    first = next(i for i, line in enumerate(lines) if line.startswith(start))
    after = []
    for line in lines[first + 1 :]:
        if not line.startswith(" " * 5):
            break
        after.append(line)
    return after


def _made(home, capsys):
    assert run(capsys, *NEW)[0] == 0
    (path,) = (home / "plans").glob("*.toml")
    return path


def test_show_how_puts_each_exercises_steps_under_it(home, capsys):
    path = _made(home, capsys)
    before = path.read_bytes()
    code, out, err = run(capsys, "show", *DAY, "--how")
    assert code == 0, err
    lines = out.splitlines()
    raises = block(lines, "  1. [ ] Single-leg calf raises, left calf")
    assert raises == [f"          - {step}" for step in steps_of("Single-leg calf raises, {calf}")]
    hops = block(lines, "  2. [ ] Practise the gate's hops")
    assert hops == [f"          - {step}" for step in steps_of("Practise the gate's hops")]
    stretches = block(lines, "  3. [ ] Calf stretches")
    assert stretches == [f"          - {step}" for step in steps_of("Calf stretches")]
    assert len(block(lines, "  4. [ ] Self-massage the calf")) == 5
    # not exercises: heat, cross-training
    for start in ("  5. [ ] Heat", "  6. [ ] Cycle"):
        assert block(lines, start) == [], start
    assert path.read_bytes() == before  # showing changes nothing


def test_show_without_how_prints_no_steps(home, capsys):
    _made(home, capsys)
    code, out, _ = run(capsys, "show", *DAY)
    assert code == 0
    assert "Stand on the sore leg" not in out
    assert not any(line.lstrip().startswith("- ") for line in out.splitlines())


def test_the_steps_come_after_why(home, capsys):
    _made(home, capsys)
    code, out, _ = run(capsys, "show", *DAY, "--how", "--why")
    assert code == 0
    lines = out.splitlines()
    after = block(lines, "  1. [ ] Single-leg calf raises")
    assert after[0].startswith("          why: ")
    assert after[1:6] == [f"          - {s}" for s in steps_of("Single-leg calf raises, {calf}")]
    assert len(after) == 6


def test_the_runners_own_task_gets_no_steps_even_named_like_an_exercise(home, capsys):
    _made(home, capsys)
    code, _, err = run(capsys, "add", "Calf stretches", *DAY, "--category", "stretch")
    assert code == 0, err
    code, out, _ = run(capsys, "show", *DAY, "--how")
    assert code == 0
    lines = out.splitlines()
    assert block(lines, "  7. [ ] Calf stretches (yours)") == []
    assert len(block(lines, "  3. [ ] Calf stretches")) == 5


def test_steps_fit_80_columns_unwrapped_and_wrap_with_a_hanging_indent(home, capsys, monkeypatch):
    _made(home, capsys)
    for n in range(4):  # ten tasks and more: two-digit numbers push the steps one further
        assert run(capsys, "add", f"Mine {n}", *DAY)[0] == 0
    code, plain, _ = run(capsys, "show", *DAY, "--how")
    assert code == 0
    steps = [line for line in plain.splitlines() if line.lstrip().startswith("- ")]
    assert len(steps) == 20
    assert all(line.startswith(" " * 11 + "- ") and len(line) <= 80 for line in steps)
    monkeypatch.setattr("planner.cli.output.terminal_width", lambda: 44)
    code, narrow, _ = run(capsys, "show", *DAY, "--how")
    assert code == 0
    assert narrow.split() == plain.split()  # the same words, none lost or broken
    lines = narrow.splitlines()
    assert all(len(line) <= 44 for line in lines if " " in line.strip())
    first = next(i for i, line in enumerate(lines) if "- Stand on the sore leg" in line)
    # a step's further lines hang under its text, past the bullet
    assert lines[first + 1].startswith(" " * 13) and lines[first + 1][13] != " "


def test_show_how_on_a_plan_file_given_by_path(home, capsys, tmp_path):
    out_path = tmp_path / "mine.toml"
    assert run(capsys, *NEW, "--out", str(out_path))[0] == 0
    code, out, _ = run(capsys, "show", str(out_path), *DAY, "--how")
    assert code == 0 and "          - Stand on the sore leg" in out
