"""Startup to first paint: `planner open` on a 16-week and a 2-year plan against a minimal
Textual app, each launched in a 120x40 tmux pane and timed until its first screen shows.

    python bench/startup.py [--runs 10]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from common import (
    ROOT,
    alternate,
    compile_bytecode,
    machine,
    median,
    ms,
    table,
    time_to_screen,
    write_plans,
)

TARGETS = {"16-week": 1.2, "2-year": 1.4}


def measure(runs: int, folder: Path) -> list[tuple]:
    plans = write_plans(folder)
    python = sys.executable
    minimal = f"{python} {ROOT / 'bench' / 'minimal_app.py'}"
    rows = [("plan", "minimal app", "planner open", "ratio", "target", "met")]
    for name, path in plans.items():
        env = {"PLANNER_HOME": str(folder / "home"), "PLANNER_TODAY": "2026-12-01"}
        planner = f"{python} -m planner open {path}"
        wants = ["day 13 since injury", "[ ]"]
        a, b = alternate(
            runs,
            lambda: time_to_screen(minimal, ["Minimal app ready"]),
            lambda p=planner, w=wants, e=env: time_to_screen(p, w, env=e),
        )
        ratio = median(b) / median(a)
        rows.append(
            (
                name,
                ms(median(a)),
                ms(median(b)),
                f"{ratio:.2f}x",
                f"<= {TARGETS[name]}x",
                "yes" if ratio <= TARGETS[name] else "no",
            )
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    compile_bytecode()
    with tempfile.TemporaryDirectory() as folder:
        rows = measure(args.runs, Path(folder))
    print(table(f"Startup to first paint (median of {args.runs}, {machine()})", rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
