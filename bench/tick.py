"""Tick to durable: from a tick to the fsynced plan file, against the floor of writing,
fsyncing and replacing the same bytes; on a 16-week and a 2-year plan.

    python bench/tick.py [--runs 50]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from common import machine, median, ms, table, write_plans

from planner.ops import SetDone
from planner.store import PlanFile

TARGET = 3.0


def floor_write(path: Path, data: bytes) -> float:
    """The least any safe save can do: temp file, write, fsync, close, replace."""
    started = time.perf_counter()
    temp = path.with_name(path.name + ".floor.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.write(fd, data)
    os.fsync(fd)
    os.close(fd)
    os.replace(temp, path.with_name(path.name + ".floor"))
    return time.perf_counter() - started


def measure(runs: int, folder: Path) -> list[tuple]:
    rows = [("plan", "floor", "tick to durable", "ratio", "target", "met")]
    for name, source in write_plans(folder / "plans").items():
        path = folder / f"tick-{name}.toml"
        shutil.copy(source, path)
        plan_file = PlanFile.open(path)
        tasks = [(d.date, t.id) for d in plan_file.plan.days for t in d.tasks]
        floors, ticks = [], []
        for index in range(runs):
            data = path.read_bytes()
            floors.append(floor_write(path, data))
            when, task_id = tasks[index * 7 % len(tasks)]
            started = time.perf_counter()
            plan_file.apply(SetDone(when, task_id, True, None))
            plan_file.save()
            ticks.append(time.perf_counter() - started)
        ratio = median(ticks) / median(floors)
        rows.append(
            (
                name,
                ms(median(floors)),
                ms(median(ticks)),
                f"{ratio:.2f}x",
                f"<= {TARGET}x",
                "yes" if ratio <= TARGET else "no",
            )
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        rows = measure(args.runs, Path(folder))
    print(table(f"Tick to durable (median of {args.runs}, {machine()})", rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
