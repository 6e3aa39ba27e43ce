"""`planner status` as a whole process against a bare `python -c pass`: what a shell prompt
pays for the line before every command.

    python bench/status.py [--runs 30]

A one-year plan is made by `planner new` in a temporary PLANNER_HOME, with a few pain logs
(the see-a-clinician rule reads every day with one), and `status` asks for its middle day,
so half of the year lies before today. Measured side by side, round by round, the order
turned each round so the machine's noise hits all alike: `python -c pass`, the installed
`planner` script, `python -m planner`, `--json`, and `planner show` for comparison (the
parser's way). Target: the installed script at most twice the bare interpreter.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from cli_speed import planner_command, run
from common import compile_bytecode, machine, median, ms, table

TARGET = 2.0  # planner status at most twice `python -c pass`
INJURY = date(2026, 11, 20)
TODAY = INJURY + timedelta(days=182)
PINNED = ["--today", TODAY.isoformat()]
NEW = ["new", "--injury", INJURY.isoformat(), "--race", "2027-11-19", "--name", "Year"]


def commands(planner: list[str]) -> dict[str, list[str]]:
    """What is timed, by the name its row shows."""
    module = [sys.executable, "-m", "planner"]
    return {
        "`python -c pass`": [sys.executable, "-c", "pass"],
        "`planner status`": [*planner, "status", *PINNED],
        "`python -m planner status`": [*module, "status", *PINNED],
        "`planner status --json`": [*planner, "status", "--json", *PINNED],
        "`planner show` (for comparison)": [*planner, "show", *PINNED],
    }


def make_plan(planner: list[str], env: dict[str, str]) -> Path:
    """The one-year plan, with pain logged on a few days up to today."""
    run([*planner, *NEW, "--today", INJURY.isoformat()], env)
    for offset, score in ((1, 4), (40, 3), (120, 5), (121, 2), (170, 1)):
        when = (INJURY + timedelta(days=offset)).isoformat()
        run([*planner, "pain", str(score), "--today", when], env)
    (path,) = Path(env["PLANNER_HOME"], "plans").glob("*.toml")
    return path


def measure(runs: int, timed: dict[str, list[str]], env: dict[str, str]):
    """Wall-clock and CPU seconds of each command, `runs` rounds, the order turned by one
    each round; a round's outputs are checked (a status that printed nothing is no run)."""
    names = list(timed)
    for argv in timed.values():  # warm the file cache and the bytecode, untimed
        run(argv, env)
    wall: dict[str, list[float]] = {name: [] for name in names}
    cpu: dict[str, list[float]] = {name: [] for name in names}
    for index in range(runs):
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            elapsed, used, said = run(timed[name], env)
            if "status" in name and not said.strip():
                raise SystemExit(f"{name} printed nothing")
            wall[name].append(elapsed)
            cpu[name].append(used)
    return wall, cpu


def rows(wall: dict[str, list[float]], cpu: dict[str, list[float]]) -> list[tuple]:
    base, base_cpu = median(wall["`python -c pass`"]), median(cpu["`python -c pass`"])
    found = [
        (
            "command",
            "median",
            "range",
            "ratio of medians",
            "CPU median",
            "CPU ratio",
            "target",
            "met",
        )
    ]
    for name, times in wall.items():
        ratio = median(times) / base
        targeted = name == "`planner status`"
        found.append(
            (
                name,
                ms(median(times)),
                f"{ms(min(times))} - {ms(max(times))}",
                f"{ratio:.2f}x",
                ms(median(cpu[name])),
                f"{median(cpu[name]) / base_cpu:.2f}x",
                f"<= {TARGET}x" if targeted else "-",
                ("yes" if ratio <= TARGET else "no") if targeted else "-",
            )
        )
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="runs of each (default 30)")
    args = parser.parse_args()
    compile_bytecode()
    planner = planner_command()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "PLANNER_HOME": home}
        env.pop("PLANNER_TODAY", None)
        path = make_plan(planner, env)
        wall, cpu = measure(args.runs, commands(planner), env)
        size = path.stat().st_size // 1024
        print(
            table(
                f"planner status (median of {args.runs}, whole processes, one-year plan of "
                f"{size} KiB on its day {(TODAY - INJURY).days}, {machine()})",
                rows(wall, cpu),
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
