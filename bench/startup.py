"""Startup to first paint: `planner open` on a 16-week and a 2-year plan against a minimal
Textual app, each launched in a 120x40 tmux pane and timed until its first screen shows.

    python bench/startup.py [--runs 10] [--instructions]

Each plan is opened as a runner's second and later starts find it, with the snapshot the
app kept after its last session (planner.snapshot). `--instructions` adds a second table:
the CPU instructions each program executes until its first frame is rendered, counted by
valgrind, also for the first start after the command line changed a plan (no snapshot
then: a glimpse of the TOML). On a shared, noisy machine the times swing by a tenth either
way; the counts by about 1%.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from common import (
    ROOT,
    alternate,
    compile_bytecode,
    drop_snapshots,
    keep_snapshots,
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
    keep_snapshots(folder / "home", plans)  # as the runner's last session left them
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


def instructions(argv: list[str], env: dict[str, str]) -> int:
    """Instructions `python bench/first_frame.py ARGV` executes (valgrind's count)."""
    valgrind = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    python = os.path.realpath(sys.executable)  # valgrind must start Python itself, not a shim
    result = subprocess.run(
        [*valgrind, python, str(ROOT / "bench" / "first_frame.py"), *argv],
        capture_output=True,
        text=True,
        env={**os.environ, **env, "PYTHONHASHSEED": "0"},
    )
    found = re.search(r"Collected : (\d+)", result.stderr)
    if not found:
        raise RuntimeError(f"valgrind gave no count: {result.stderr[-300:]}")
    return int(found.group(1))


def measure_instructions(folder: Path, runs: int = 3) -> list[tuple]:
    """Each count `runs` times (hash seeds and allocation still move it by ~25 M): the
    medians, their ratio, and the range of each. Each plan is opened as most starts find
    it, with the snapshot the last session kept (planner.snapshot), and as the first start
    after the command line changed it finds it, with none (a glimpse of its TOML)."""
    plans = write_plans(folder)
    home = folder / "home"
    env = {"PLANNER_HOME": str(home), "PLANNER_TODAY": "2026-12-01"}
    bases = [instructions(["minimal"], env) for _ in range(runs)]
    base = median(bases)
    rows = [("plan", "minimal app", "planner open", "ratio", "range (minimal; ours)")]
    for kept in (True, False):
        (keep_snapshots if kept else drop_snapshots)(home, plans)
        for name, path in plans.items():
            counts = [instructions(["planner", str(path)], env) for _ in range(runs)]
            ours = median(counts)
            spread = (
                f"{min(bases) / 1e6:.0f}-{max(bases) / 1e6:.0f} M; "
                f"{min(counts) / 1e6:.0f}-{max(counts) / 1e6:.0f} M"
            )
            label = name if kept else f"{name}, first open after a change"
            rows.append(
                (label, f"{base / 1e6:.0f} M", f"{ours / 1e6:.0f} M", f"{ours / base:.2f}x", spread)
            )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--instructions", action="store_true", help="also count instructions")
    args = parser.parse_args()
    compile_bytecode()
    with tempfile.TemporaryDirectory() as folder:
        rows = measure(args.runs, Path(folder))
    print(table(f"Startup to first paint (median of {args.runs}, {machine()})", rows))
    if args.instructions:
        if shutil.which("valgrind") is None:
            print("\n(no valgrind here: instruction counts skipped)")
            return 0
        with tempfile.TemporaryDirectory() as folder:
            rows = measure_instructions(Path(folder))
        print()
        title = "Instructions to the first frame (valgrind, median of 3; the same work, no waiting)"
        print(table(title, rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
