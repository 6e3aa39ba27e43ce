"""Plan generation and load: `build_plan` for a 365-day horizon and loading a 2-year file,
each against `tomli_w.dumps` of the same document.

    python bench/generate_load.py [--runs 10]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import tomli
import tomli_w
from common import INJURY, machine, median, ms, table, write_plans

from planner.engine import build_plan
from planner.model import Distance, InjuryKind, PlanInputs, Side
from planner.store import dumps_plan, load_plan


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def measure(runs: int, folder: Path) -> list[tuple]:
    inputs = PlanInputs(
        INJURY, date(2027, 11, 18), InjuryKind.STRAIN, 1, Side.LEFT, Distance.MARATHON
    )
    year_doc = tomli.loads(dumps_plan(build_plan(inputs, INJURY)))
    two_years = write_plans(folder)["2-year"]
    two_doc = tomli.loads(two_years.read_text())
    rows = [("work", "tomli_w.dumps of the same document", "ours", "ratio")]
    build = [timed(lambda: build_plan(inputs, INJURY)) for _ in range(runs)]
    dump_year = [timed(lambda: tomli_w.dumps(year_doc)) for _ in range(runs)]
    rows.append(
        (
            "build_plan, 365-day horizon",
            ms(median(dump_year)),
            ms(median(build)),
            f"{median(build) / median(dump_year):.2f}x",
        )
    )
    load = [timed(lambda: load_plan(two_years)) for _ in range(runs)]
    parse = [timed(lambda: tomli.loads(two_years.read_text())) for _ in range(runs)]
    dump_two = [timed(lambda: tomli_w.dumps(two_doc)) for _ in range(runs)]
    rows.append(
        (
            "load_plan, 2-year file",
            ms(median(dump_two)),
            ms(median(load)),
            f"{median(load) / median(dump_two):.2f}x",
        )
    )
    rows.append(
        (
            "(of which tomli parsing)",
            "",
            ms(median(parse)),
            f"{median(parse) / median(dump_two):.2f}x",
        )
    )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        rows = measure(args.runs, Path(folder))
    print(table(f"Plan generation and load (median of {args.runs}, {machine()})", rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
