"""A runner who lives a 16-week plan through the command line, day by day, as a person does:
`planner gate` on the gate day, `planner tick run` after each run, `planner pain` every day,
and on the eve of the race `planner decide`.

One who follows the plan to the letter (every run done, pain 0 logged) gets "Race" for a half
at the default finish time and for a marathon at 3:30; one who runs only every other run gets
"Run-walk" or "Don't start" with the minutes in the reasons. A 4:30 marathon from a walk-run
start in 16 weeks is beyond the load rules: the call says so in minutes (README, "The
race-day call").
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from planner.cli import main
from planner.store import load_plan

INJURY = date(2026, 11, 1)
RACE = INJURY + timedelta(weeks=16)


def cli(capsys, *args: str) -> str:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def live(capsys, home, *new_args: str, every: int = 1) -> str:
    """Make the plan on the injury day, then live every day up to the race's eve; run only
    every `every`-th run of the plan. Returns what `planner decide` prints on the eve."""
    cli(capsys, "new", "--injury", INJURY.isoformat(), "--race", RACE.isoformat(),
        "--name", "Sim", "--today", INJURY.isoformat(), *new_args)  # fmt: skip
    path = home / "plans" / "sim.toml"
    runs = 0
    day = INJURY
    while day < RACE:
        today = day.isoformat()
        plan_day = load_plan(path).day(day)
        ids = [t.id for t in plan_day.tasks]
        if "red-flags" in ids:  # the questions were shown, not asked: none applies
            cli(capsys, "tick", "red-flags", "--today", today)
        if "gate" in ids:
            cli(capsys, "gate", "--raises", "30", "--hops", "10", "--walk", "30",
                "--today", today)  # fmt: skip
        if "run" in ids:
            runs += 1
            if runs % every == 0:
                cli(capsys, "tick", "run", "--today", today)
        cli(capsys, "pain", "0", "--today", today)
        day += timedelta(days=1)
    return cli(capsys, "decide", "--today", (RACE - timedelta(days=1)).isoformat())


@pytest.mark.parametrize(
    ("args", "call", "minutes"),
    [
        (("--distance", "half"), "Race", "racing needs 78 min (60% of 130 min"),
        (
            ("--distance", "marathon", "--finish-time", "3:30"),
            "Race",
            "racing needs 126 min (60% of your expected 210 min)",
        ),
        (("--distance", "marathon"), "Run-walk", "min short of racing"),
    ],
)
def test_a_runner_who_follows_the_plan(home, capsys, args, call, minutes):
    out = live(capsys, home, *args)
    assert f"Race-day call: {call}\n" in out
    assert minutes in out


def test_a_runner_who_runs_half_of_it(home, capsys):
    out = live(capsys, home, "--distance", "half", every=2)
    assert "Race-day call: Run-walk\n" in out or "Race-day call: Don't start\n" in out
    assert "Longest pain-free run in the last 30 days:" in out and "short of racing" in out
