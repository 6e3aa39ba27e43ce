"""Memory: idle resident size of `planner open` on a 2-year plan against the minimal app.

python bench/memory.py [--runs 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from common import ROOT, compile_bytecode, machine, median, rss_when_shown, table, write_plans

TARGET = 1.5


def measure(runs: int, folder: Path) -> list[tuple]:
    path = write_plans(folder)["2-year"]
    env = {"PLANNER_HOME": str(folder / "home"), "PLANNER_TODAY": "2026-12-01"}
    minimal, ours = [], []
    for _ in range(runs):
        minimal.append(
            rss_when_shown(
                f"{sys.executable} {ROOT / 'bench' / 'minimal_app.py'}", ["Minimal app ready"]
            )
        )
        ours.append(
            rss_when_shown(
                f"{sys.executable} -m planner open {path}", ["day 13 since injury"], env=env
            )
        )
    ratio = median(ours) / median(minimal)
    mib = 1024 * 1024
    return [
        ("app", "idle RSS"),
        ("minimal Textual app", f"{median(minimal) / mib:.1f} MiB"),
        ("planner open, 2-year plan", f"{median(ours) / mib:.1f} MiB"),
        ("ratio", f"{ratio:.2f}x (target <= {TARGET}x): {'met' if ratio <= TARGET else 'not met'}"),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    compile_bytecode()  # a stale cache would count the compiler's memory as ours
    with tempfile.TemporaryDirectory() as folder:
        rows = measure(args.runs, Path(folder))
    print(table(f"Memory (median of {args.runs}, {machine()})", rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
