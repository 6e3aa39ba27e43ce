"""Keystroke latency: day-to-day moves and ticks on the plan screen (Pilot), against a
minimal Textual app updating a Static on a key; 16-week against 2-year for growth.

    python bench/keys.py [--keys 200]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
from pathlib import Path

from common import TODAY, machine, median, ms, table, write_plans
from minimal_app import MinimalApp

from planner.model import Category
from planner.store import load_plan
from planner.tui.app import make_app, pinned_clock

TARGET, GROWTH = 2.0, 1.2
SIZE = (120, 40)


async def per_key(app, keys: list[str], setup: tuple[str, ...] = ()) -> list[float]:
    """Seconds from each key press until the app has handled it and repainted (after the
    untimed `setup` keys)."""
    times = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*setup)
        await pilot.pause()
        for key in keys:
            started = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()
            times.append(time.perf_counter() - started)
    return times


def baseline(count: int) -> float:
    return median(asyncio.run(per_key(MinimalApp(), ["n"] * count)))


def planner_keys(path: Path, keys: list[str], setup: tuple[str, ...] = ()) -> float:
    app = make_app(
        path, home=path.parent, today=TODAY, now=pinned_clock(TODAY), remember_plans=False
    )
    return median(asyncio.run(per_key(app, keys, setup)))


def to_a_task_not_a_run(path: Path) -> tuple[str, ...]:
    """The keys that highlight the day's first task that isn't a run: space on a run opens
    the dialog for its minutes, so ticks measured there would be typing in it."""
    day = load_plan(path).day(TODAY)
    first = next(i for i, task in enumerate(day.tasks) if task.category != Category.RUN)
    return ("down",) * first


def measure(count: int, folder: Path) -> list[tuple]:
    plans = write_plans(folder / "plans")
    moves = ["right", "left"] * (count // 2)
    ticks = ["space"] * count
    rows = [("keys", "minimal app", "16-week", "2-year", "ratio (2-year)", "growth", "met")]
    for label, keys in (("day moves", moves), ("ticks", ticks)):
        base = baseline(count)
        results = {}
        for name, source in plans.items():
            path = folder / f"keys-{name}.toml"
            shutil.copy(source, path)
            setup = to_a_task_not_a_run(path) if label == "ticks" else ()
            results[name] = planner_keys(path, keys, setup)
        ratio = results["2-year"] / base
        growth = results["2-year"] / results["16-week"]
        met = ratio <= TARGET and growth <= GROWTH
        rows.append(
            (
                f"{count} {label}",
                ms(base),
                ms(results["16-week"]),
                ms(results["2-year"]),
                f"{ratio:.2f}x (<= {TARGET}x)",
                f"{growth:.2f}x (<= {GROWTH}x)",
                "yes" if met else "no",
            )
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        rows = measure(args.keys, Path(folder))
    print(table(f"Keystroke latency (median per key, {machine()})", rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
