"""The command line as a runner uses it: output, exit codes, and nothing changed on bad input."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import tomli
from hypothesis import given
from hypothesis import strategies as st

from planner.cli import main
from planner.store import load_plan

NEW = [
    "new",
    "--injury",
    "2026-11-20",
    "--race",
    "2026-11-29",
    "--side",
    "left",
    "--name",
    "Bristol Half",
]


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def snapshot(folder: Path) -> dict[str, bytes]:
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def plan_path(home, capsys):
    code, _out, err = run(capsys, *NEW)
    assert code == 0, err
    return home / "plans" / "bristol-half.toml"


def test_new_writes_a_private_plan_in_the_plans_folder(home, capsys):
    code, out, _ = run(capsys, *NEW)
    assert code == 0
    path = home / "plans" / "bristol-half.toml"
    assert f"Saved to {path}" in out
    assert "day 1 since injury · race in 8 days · Protect" in out
    assert "! Race day is day 9" in out
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    doc = tomli.loads(path.read_text())
    assert doc["plan"]["name"] == "Bristol Half" and doc["plan"]["created"].hour == 12
    # a second plan of the same name gets its own file
    assert run(capsys, *NEW)[0] == 0
    assert (home / "plans" / "bristol-half-2.toml").exists()


def test_new_defaults_and_date_words(home, capsys):
    code, _out, _ = run(capsys, "new", "--injury", "yesterday", "--race", "next sunday")
    assert code == 0
    plan = load_plan(home / "plans" / "half-marathon-22-nov-2026.toml")
    assert (plan.injury.value, plan.grade, plan.side, plan.distance.value) == (
        "strain",
        1,
        None,
        "half",
    )


def test_show_tick_undo_and_pain(plan_path, capsys):
    code, out, _ = run(capsys, "show")
    assert code == 0
    assert "  1. [ ] Check for red flags (tick when none applies) — EMERGENCY" in out
    assert "Pain: not logged" in out
    code, out, _ = run(capsys, "tick", "3")
    assert code == 0 and out.startswith("Done: 3. Walk short and often (Sat 21 Nov). Saved.")
    code, out, _ = run(capsys, "tick", "walk")
    assert code == 0 and out.startswith("Already done")
    day = load_plan(plan_path).days[1]
    assert day.task("walk").done and day.task("walk").done_at is not None
    code, out, _ = run(capsys, "tick", "walk", "--undo")
    assert code == 0
    assert not load_plan(plan_path).days[1].task("walk").done
    code, out, _ = run(capsys, "pain", "4", "--note", "stiff [b]on stairs[/b]")
    assert code == 0 and "amber" in out
    code, out, _ = run(capsys, "show", "--why")
    assert "Pain: 4/10 — stiff [b]on stairs[/b]" in out and "why: " in out
    code, out, _ = run(capsys, "tick", "1", str(plan_path), "--date", "yesterday")
    assert code == 0
    assert load_plan(plan_path).days[0].tasks[0].done


def test_plan_by_name_and_list(plan_path, home, capsys):
    (home / "plans" / "broken.toml").write_text("schema_version = 1\n[plan\n")
    code, out, _ = run(capsys, "show", "Bristol Half", "--date", "2026-11-29")
    assert code == 0 and "race day" in out
    code, out, _ = run(capsys, "list")
    assert code == 0
    assert "* Bristol Half · Fri 20 Nov to Sun 29 Nov 2026, half (race in 8 days) · 0% done" in out
    assert "broken.toml: can't be read: Expected ']'" in out


NEW_BASE = ["new", "--injury", "2026-11-20", "--race", "2026-11-29"]
BAD_INPUT = [
    (["new", "--injury", "31 Feb", "--race", "2026-11-29"], "--injury: can't read"),
    (["new", "--injury", "2026-11-20", "--race", "2026-11-10"], "--race: 2026-11-10 is before"),
    (["new", "--injury", "2026-11-25", "--race", "2026-11-29"], "--injury: 2026-11-25 is after"),
    (
        ["new", "--injury", "2026-11-20", "--race", "2026-11-20"],
        "--race: 2026-11-20 is in the past",
    ),
    (["new", "--injury", "2026-11-20", "--race", "2027-11-30"], "at most 365"),
    (["new", "--injury", "2026-11-20", "--race", "2026-11-29", "--grade", "3"], "--grade: "),
    (["new", "--injury", "2026-11-20", "--race", "2026-11-29", "--grade", "x"], "--grade: 'x'"),
    (
        ["new", "--injury", "2026-11-20", "--race", "2026-11-29", "--injury-kind", "pull"],
        "--injury-kind: 'pull' is not an injury kind; use cramp, strain",
    ),
    (
        ["new", "--injury", "2026-11-20", "--race", "2026-11-29", "--distance", "ultra"],
        "--distance: 'ultra' is not a race distance; use sprint, 5k, 10k, half, marathon",
    ),
    (
        ["new", "--injury", "2026-11-20", "--race", "2026-11-29", "--muscle", "hamstring"],
        "--muscle: 'hamstring' is not a calf muscle; use gastrocnemius, soleus, unsure",
    ),
    (
        ["new", "--injury", "2026-11-20", "--race", "2026-11-29", "--finish-time", "soon"],
        "--finish-time: 'soon' is not a finish time; use H:MM (1:55), H:MM:SS or minutes",
    ),
    (
        ["new", "--injury", "2026-11-20", "--race", "2026-11-29", "--finish-time", "0:40"],
        "--finish-time: 40 min is not a half marathon finish time; use 57-360 min",
    ),
    (
        [*NEW_BASE, "--distance", "sprint", "--finish-time", "1:00"],
        "--finish-time: a sprint has no finish time in minutes",
    ),
    (
        ["new", "--injury", "2026-11-20", "--race", "2026-11-29", "--recurrent"],
        "--recurrent: only cramps come back",
    ),
    (
        [*NEW_BASE, "--injury-kind", "cramp", "--muscle", "soleus"],
        "--muscle: a cramp has no muscle to choose",
    ),
    (
        ["gate", "--raises", "25", "--hops", "10", "--walk", "30", "--other-side", "x"],
        "--other-side",
    ),
    (["new", "--injury", "2026-11-20", "--race", "2026-11-29", "--side", "up"], "--side"),
    (["new", "--injury", "2026-11-20"], "the following arguments are required: --race"),
    (
        [
            "new",
            "--injury",
            "2026-11-20",
            "--race",
            "2026-11-29",
            "--injury-kind",
            "cramp",
            "--grade",
            "1",
        ],
        "a cramp has no grade",
    ),
    (["pain", "11"], "SCORE: pain is a whole number from 0 (none) to 10 (worst), not '11'"),
    (["pain", "-1"], "SCORE: pain is a whole number"),
    (["pain", "four"], "SCORE: pain is a whole number"),
    (["pain", "3", "--note", "x" * 501], "--note: at most 500"),
    (["pain", "3", "--date", "tomorrow"], "hasn't come yet"),
    (["tick", "99"], "TASK: no task '99' on Sat 21 Nov; use a number from 1 to 6"),
    (["tick", "nap"], "TASK: no task 'nap'"),
    (["tick", "1", "--date", "2027-01-01"], "--date: 2027-01-01 is outside the plan"),
    (["show", "nosuchplan"], "PLAN: no plan named 'nosuchplan'"),
    (["show", "missing/plan.toml"], "PLAN: no file missing/plan.toml"),
    (["show", "--today", "someday"], "--today: can't read"),
    (["frobnicate"], "invalid choice"),
]


@pytest.mark.parametrize(("args", "message"), BAD_INPUT)
def test_bad_input_is_exit_2_one_line_and_nothing_changes(plan_path, home, capsys, args, message):
    before = snapshot(home)
    code, _out, err = run(capsys, *args)
    assert code == 2
    assert message in err
    assert err.count("\n") == 1 and err.startswith("planner: ")
    assert snapshot(home) == before


def test_grade_3_gets_advice_to_see_a_clinician(home, capsys):
    code, _, err = run(
        capsys, "new", "--injury", "2026-11-20", "--race", "2026-11-29", "--grade", "3"
    )
    assert code == 2 and "--grade: " in err and "clinician" in err
    assert not (home / "plans").exists() or not list((home / "plans").iterdir())


def test_new_out_refuses_to_overwrite(plan_path, capsys):
    before = plan_path.read_bytes()
    code, _, err = run(capsys, *NEW, "--out", str(plan_path))
    assert code == 2 and "already exists" in err
    assert plan_path.read_bytes() == before


def test_bad_today_in_the_environment(home, capsys, monkeypatch):
    monkeypatch.setenv("PLANNER_TODAY", "not a day")
    code, _, err = run(capsys, "list")
    assert code == 2 and err.startswith("planner: PLANNER_TODAY: can't read")


def test_corrupt_file_is_exit_1_with_position_and_untouched(plan_path, capsys):
    text = plan_path.read_text().replace('phase = "recover"', 'phase = "nap"', 1)
    plan_path.write_text(text)
    for args in (["show"], ["tick", "1"], ["pain", "2"]):
        code, _, err = run(capsys, *args, str(plan_path))
        assert code == 1
        assert err.startswith(f"planner: {plan_path}:") and "days[4].phase is 'nap'" in err
        assert plan_path.read_text() == text


def test_newer_schema_reads_but_writing_commands_exit_1(plan_path, capsys):
    text = plan_path.read_text().replace("schema_version = 1", "schema_version = 9")
    plan_path.write_text(text)
    assert run(capsys, "show")[0] == 0
    code, _, err = run(capsys, "tick", "1")
    assert code == 1 and "newer version" in err
    assert plan_path.read_text() == text


def test_user_text_never_reaches_the_terminal_as_escapes(plan_path, capsys):
    text = plan_path.read_text().replace(
        'title = "Walk short and often"', 'title = "Walk \\u001b[2J\\u009b31m\\u202eshort"'
    )
    plan_path.write_text(text)
    code, out, _ = run(capsys, "pain", "3", "--note", "ouch\x1b]52;c;aGk=\x07 done")
    assert code == 0
    code, out, _ = run(capsys, "show")
    assert "\x1b" not in out and "\x9b" not in out and "\u202e" not in out and "\x07" not in out
    assert "Walk [2J31mshort" in out and "ouch]52;c;aGk= done" in out


def test_help_lists_the_commands(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--help"])
    out = capsys.readouterr().out
    assert stop.value.code == 0
    for command in ("new", "show", "tick", "pain", "list", "open", "demo"):
        assert command in out


def test_python_dash_m_planner_and_exit_codes_in_a_real_process(home, tmp_path):
    env = dict(os.environ)
    out = tmp_path / "p.toml"
    ok = subprocess.run(
        [sys.executable, "-m", "planner", *NEW, "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert ok.returncode == 0, ok.stderr
    bad = subprocess.run(
        [sys.executable, "-m", "planner", "pain", "12", str(out)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert bad.stderr.count("\n") == 1


def test_a_closed_pipe_is_not_a_traceback(home, tmp_path):
    out = tmp_path / "p.toml"
    assert main([*NEW, "--out", str(out)]) == 0
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before anything is written, like `| head -0`
    result = subprocess.run(
        [sys.executable, "-m", "planner", "show", str(out), "--why"],
        stdout=write_end,
        stderr=subprocess.PIPE,
        text=True,
    )
    os.close(write_end)
    assert result.stderr == "" and result.returncode == 141


def test_a_home_that_is_a_file_is_a_clear_error(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "home"
    blocker.write_text("not a folder")
    monkeypatch.setenv("PLANNER_HOME", str(blocker))
    monkeypatch.setenv("PLANNER_TODAY", "2026-11-21")
    code, _, err = run(capsys, *NEW)
    assert code == 1 and err.startswith("planner: ") and err.count("\n") == 1
    assert blocker.read_text() == "not a folder"


def test_bare_planner_opens_the_last_plan_or_the_form(home, capsys, monkeypatch):
    from planner.cli import tui_commands

    opened = []
    monkeypatch.setattr(tui_commands, "run_tui", lambda path, ctx, **kw: opened.append(path) or 0)
    monkeypatch.setattr(tui_commands, "has_terminal", lambda: True)  # as in a terminal
    assert main([]) == 0
    assert opened == [None]  # no plan yet: the new-plan form
    assert main(NEW) == 0
    assert main([]) == 0
    assert opened[-1] == (home / "plans" / "bristol-half.toml").resolve()


def test_pain_replans_and_says_what_changed(home, capsys):
    assert run(capsys, *NEW)[0] == 0
    code, _, err = run(
        capsys, "gate", "--raises", "25", "--hops", "10", "--walk", "30", "--today", "2026-11-26"
    )
    assert code == 0, err
    code, out, _ = run(capsys, "pain", "3", "--today", "2026-11-26")
    assert code == 0
    assert "amber" in out and "Fri 27 Nov: walk-run 30 min" in out and "instead of running" in out
    plan = load_plan(home / "plans" / "bristol-half.toml")
    assert plan.day(plan.race_date.replace(day=27)).task("run-swap") is not None
    code, out, _ = run(capsys, "pain", "6", "--at-rest", "--today", "2026-11-28")
    assert "!! " in out and "clinician" in out
    code, out, _ = run(capsys, "show", "--today", "2026-11-28")
    assert "!! " in out and "Pain: 6/10 (pain at rest)" in out


def test_gate_records_and_reports(home, capsys):
    assert run(capsys, *NEW)[0] == 0
    code, out, _ = run(
        capsys, "gate", "--raises", "12", "--hops", "10", "--walk", "30", "--today", "2026-11-26"
    )
    assert code == 0 and "not passed" in out and "no time to retest before the race" in out
    assert "the call will be don't start" in out and "Mon 30 Nov, after it" in out
    plan = load_plan(home / "plans" / "bristol-half.toml")
    day = plan.day(plan.race_date.replace(day=26))
    assert day.gate.passed is False and day.gate.raises == 12 and day.task("gate").done
    assert plan.day(plan.race_date).task("dont-start") is not None
    code, out, _ = run(
        capsys, "gate", "--raises", "26", "--hops", "10", "--walk", "30", "--today", "2026-11-26"
    )
    assert "passed" in out and "Running starts Fri 27 Nov" in out
    plan = load_plan(home / "plans" / "bristol-half.toml")
    assert plan.day(plan.race_date).task("race") is not None  # the race is on again
    code, out, _ = run(capsys, "decide", "--today", "2026-11-28")
    # Passed, but no run done yet and no pain logged: protocol 2 never lets that start.
    assert code == 0 and "Race-day call: Don't start" in out and "Run gate passed" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["gate", "--raises", "x", "--hops", "1", "--walk", "1"], "--raises: single-leg raises"),
        (["gate", "--raises", "1", "--hops", "-1", "--walk", "1"], "--hops:"),
        (["gate", "--raises", "1", "--hops", "1", "--walk", "1"], "after the protect days"),
        (["gate", "--raises", "1"], "required: --hops, --walk"),
        (["skip", "1", "--reason", "bored"], "--reason: 'bored' is not a reason"),
        (["skip", "1"], "required: --reason"),
        (["add", "  "], "TITLE: a task needs a title"),
        (["add", "x" * 101], "TITLE: at most 100"),
        (["add", "Yoga", "--category", "dance"], "--category: 'dance' is not a category"),
        (["skip", "42", "--reason", "travel"], "TASK: no task '42'"),
    ],
)
def test_bad_adaptive_input_is_exit_2_and_changes_nothing(plan_path, home, capsys, args, message):
    before = snapshot(home)
    code, _, err = run(capsys, *args)
    assert code == 2 and message in err and err.count("\n") == 1
    assert snapshot(home) == before


def test_add_and_skip_are_saved(plan_path, capsys):
    code, out, _ = run(
        capsys,
        "add",
        "Foam roll [glutes]",
        "--dose",
        "2 min",
        "--category",
        "massage",
        "--date",
        "tomorrow",
    )
    own = re.search(r"id (my-[0-9a-f]{6})\)", out)
    assert code == 0 and own, out
    task = load_plan(plan_path).days[2].task(own.group(1))
    assert (task.title, task.dose, task.category.value, task.custom) == (
        "Foam roll [glutes]",
        "2 min",
        "massage",
        True,
    )
    code, out, _ = run(capsys, "skip", "ice", "--reason", "travel")
    assert code == 0 and "excused" in out
    assert load_plan(plan_path).days[1].task("ice").skip.value == "travel"
    code, out, _ = run(capsys, "show")
    assert "[-] Ice the left calf (optional)" in out and "(skipped: travel)" in out
    code, out, _ = run(capsys, "skip", "walk", "--reason", "pain")
    assert code == 0 and "Pain counts" in out


def test_pain_says_step_back_only_when_the_plan_stepped_back(home, capsys):
    assert run(capsys, *NEW)[0] == 0
    gate = ("gate", "--raises", "25", "--hops", "10", "--walk", "30", "--today", "2026-11-26")
    assert run(capsys, *gate)[0] == 0
    code, out, _ = run(capsys, "pain", "6", "--today", "2026-11-26")
    # red the day before the first run: that run becomes cross-training, and it says so
    assert code == 0 and "red: the plan steps back (below)" in out
    assert "Fri 27 Nov: walk-run 30 min" in out and "instead of running" in out
    # A cramp: red the day after its first easy run, with race-1 a rest day already and no
    # heel drops to pause: nothing ahead to step back, and it says just that.
    cramp = ["new", "--injury", "2026-11-20", "--race", "2026-11-25", "--injury-kind", "cramp"]
    assert run(capsys, *cramp, "--name", "Cramp", "--today", "2026-11-20")[0] == 0
    gate = ("gate", "Cramp", "--raises", "25", "--hops", "10", "--walk", "30")
    assert run(capsys, *gate, "--today", "2026-11-21")[0] == 0
    code, out, _ = run(capsys, "pain", "6", "Cramp", "--today", "2026-11-23")
    assert code == 0 and "steps back" not in out and "step back a level" not in out
    assert "nothing ahead needed stepping back" in out and "The plan ahead stays as it was" in out
    assert "Two red days in a row" in out
    plan = load_plan(home / "plans" / "cramp.toml")
    eve = plan.day(plan.race_date.replace(day=24))
    assert eve.task("run") is None and eve.task("run-swap") is None  # no walk for no run


def test_the_gate_counts_the_other_side(home, capsys):
    """With the other calf counted, the sore side needs 90% of it (rounded up) as well as
    25: 26 of 30 is short of 27, and the message says so in raises."""
    assert run(capsys, *NEW)[0] == 0
    gate = ("gate", "--hops", "10", "--walk", "30", "--other-side", "30", "--today", "2026-11-26")
    code, out, _ = run(capsys, *gate, "--raises", "26")
    assert code == 0 and "not passed" in out and "it needs 27 raises (90% of the other" in out
    day = load_plan(home / "plans" / "bristol-half.toml").day(date(2026, 11, 26))
    assert (day.gate.passed, day.gate.raises, day.gate.other_side) == (False, 26, 30)
    code, out, _ = run(capsys, *gate, "--raises", "27")
    day = load_plan(home / "plans" / "bristol-half.toml").day(date(2026, 11, 26))
    assert code == 0 and "Run gate passed" in out
    assert (day.gate.passed, day.gate.other_side) == (True, 30)


def test_new_records_muscle_finish_time_and_protocol(home, capsys):
    code, _out, _ = run(
        capsys,
        "new", "--injury", "2026-11-20", "--race", "2027-03-07", "--distance", "marathon",
        "--muscle", "gastrocnemius", "--finish-time", "3:30", "--name", "Spring",
        "--today", "2026-11-21",
    )  # fmt: skip
    assert code == 0
    text = (home / "plans" / "spring.toml").read_text()
    assert 'muscle = "gastrocnemius"\n' in text and "finish_minutes = 210\n" in text
    assert "protocol = 2\n" in text and "recurrent" not in text
    plan = load_plan(home / "plans" / "spring.toml")
    assert (plan.muscle, plan.finish_minutes, plan.protocol) == ("gastrocnemius", 210, 2)
    gate = next(d for d in plan.days if d.task("gate"))
    assert (gate.date - plan.injury_date).days == 7  # gastrocnemius: the usual day 7


# ---------------------------------------------------------------- issue 16: the CLI's words


def test_show_on_a_finished_plan_says_it_ended_and_blames_no_date(plan_path, home, capsys):
    before = snapshot(home)
    code, _out, err = run(capsys, "show", "--today", "2027-01-10")
    assert code == 2
    assert err == ("planner: the plan ended on Sun 13 Dec 2026; use --date to see a day of it\n")
    assert "--date:" not in err  # no --date was given: nothing to blame it for
    # a --date that was given and misses the plan is still named as the culprit
    code, _out, err = run(capsys, "show", "--date", "2027-01-01")
    assert code == 2 and err.startswith("planner: --date: 2027-01-01 is outside the plan")
    # tick, pain, gate and add default to today as well, and say the same
    for words in (["tick", "1"], ["pain", "2"], ["add", "Foam roll"]):
        code, _out, err = run(capsys, *words, "--today", "2027-01-10")
        assert code == 2 and "the plan ended on Sun 13 Dec 2026; use --date to" in err, err
    assert snapshot(home) == before


@pytest.mark.parametrize(
    ("words", "said"),
    [
        (["pain", "3"], "pain can be logged for today or an earlier day"),
        (["tick", "1"], "a task can be ticked for today or an earlier day"),
        (
            ["gate", "--raises", "30", "--hops", "10", "--walk", "30"],
            "a run-gate test can be recorded for today or an earlier day",
        ),
    ],
)
def test_a_day_not_yet_come_reads_naturally(plan_path, home, capsys, words, said):
    before = snapshot(home)
    code, _out, err = run(capsys, *words, "--date", "2026-11-27")
    assert code == 2
    assert err == f"planner: --date: Fri 27 Nov 2026 hasn't come yet: {said}\n"
    assert "on or after" not in err
    assert snapshot(home) == before


def test_counts_of_one_are_singular(plan_path, capsys):
    code, out, _ = run(capsys, "pain", "2")
    assert code == 0
    code, out, _ = run(capsys, "stats")
    assert code == 0
    assert "(1 log, latest Sat 21 Nov)" in out and "1 logs" not in out
    assert "Streak: 0 days now" in out
    for task in range(1, 7):
        run(capsys, "tick", str(task))
    code, out, _ = run(capsys, "stats")
    assert "Streak: 1 day now" in out and not re.search(r"\b1 days", out)


def _wrapped_show(monkeypatch, capsys, width, *args):
    monkeypatch.setattr("planner.cli.output.terminal_width", lambda: width)
    return run(capsys, "show", *args)


def test_show_wraps_to_the_terminal_with_hanging_indents(plan_path, capsys, monkeypatch):
    title = "Foam roll the left calf slowly from the ankle up to the knee, then walk-run easy"
    assert run(capsys, "add", title, "--dose", "five minutes, gently, stop if it hurts")[0] == 0
    code, plain, _ = run(capsys, "show", "--why")  # capsys is not a terminal: one line each
    assert code == 0
    assert any(len(line) > 100 and title in line for line in plain.splitlines())
    code, out, _ = _wrapped_show(monkeypatch, capsys, 60, "--why")
    assert code == 0
    lines = out.splitlines()
    assert all(len(line) <= 60 for line in lines), [line for line in lines if len(line) > 60]
    assert out.split() == plain.split()  # the same words, none broken, none lost
    first = next(i for i, line in enumerate(lines) if "Foam roll" in line)
    assert lines[first].startswith("  7. [ ] Foam roll")
    # each continuation hangs under the title, 9 columns in ("  7. [ ] ")
    assert lines[first + 1].startswith(" " * 9) and lines[first + 1][9] != " "
    assert "walk-run" in out  # a hyphen is not a place to break
    # the same at 80 columns: no word of any line is split across two
    code, out80, _ = _wrapped_show(monkeypatch, capsys, 80, "--why")
    assert all(len(line) <= 80 for line in out80.splitlines())
    assert out80.split() == plain.split()


WORDS = st.lists(
    st.text(alphabet="abcxyz-—·:/[]().0123456789", min_size=1, max_size=30),
    min_size=0,
    max_size=40,
)


@given(
    words=WORDS,
    head=st.sampled_from(["", "! ", "  1. [ ] ", "  12. [x] ", "Race-day call: "]),
    width=st.integers(min_value=1, max_value=120),
)
def test_hang_breaks_only_between_words_and_hangs_the_rest(words, head, width):
    from planner.cli.output import hang

    lines = hang(" ".join(words), head, width=width)
    indent = " " * len(head)
    assert lines[0].startswith(head.rstrip())
    for line in lines[1:]:
        assert line.startswith(indent)  # a continuation hangs under the text
    for index, line in enumerate(lines):
        body = line[len(head if index == 0 else indent) :]
        # longer than the width only when it holds one word that doesn't fit on its own
        assert len(line) <= width or " " not in body.strip()
    # every word whole, in order: none broken at a hyphen or anywhere else
    got = [w for i, line in enumerate(lines) for w in line[len(head) if i == 0 else 0 :].split()]
    assert got == [w for w in words]


def test_hang_without_a_width_is_the_one_line():
    from planner.cli.output import hang

    text = "word " * 50
    assert hang(text, "  1. [ ] ") == ["  1. [ ] " + text]


def test_a_red_flags_advice_says_see_a_clinician_once(capsys):
    from planner.advice import red_flag_advice
    from planner.cli import red_flags
    from planner.rules import load_rules

    flags = load_rules().red_flags
    for flag in flags:
        line = red_flag_advice(flag)
        # an emergency's label, or the advice's own lead: who to see, said once
        assert line == ("EMERGENCY: " if flag.emergency else "") + flag.advice
        assert len(re.findall(r"(?i)see a (clinician|doctor)", line)) <= 1, line
        assert flag.emergency or re.match(r"See a (clinician|doctor)\b", line), line
    weight = next(f for f in flags if f.id == "weight")
    replies = iter(["y" if f.id == "weight" else "n" for f in red_flags.flags_for("grade1")])
    red_flags.ask("grade1", date(2026, 11, 21), lambda _q: next(replies, "y"))
    out = capsys.readouterr().out
    assert f"\n{weight.advice}\n" in out  # "See a clinician: a calf you can't stand on..."
    assert "See a clinician: See a clinician" not in out and "! See a" not in out
