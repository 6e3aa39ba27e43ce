"""Regenerate the example plans in this folder with `planner new` and a fixed today.

Run from the repository root: `python plans/make_examples.py`. The tests run the same
commands into a temporary folder and fail if a file here drifts from what they make.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

TODAY = "2026-11-21"

# file name -> the arguments of `planner new`, as typed in a shell (besides --today and --out)
EXAMPLES: dict[str, str] = {
    # A calf that tightened over a run and "cramped" on push-off, then a slight limp: a
    # grade 1 soleus strain, the Bristol half nine days out (domain.md's worked example).
    "bristol-half.toml": "--injury 2026-11-20 --race 2026-11-29 --injury-kind strain "
    "--grade 1 --muscle soleus --side left --distance half --name 'Bristol Half'",
    # A sprinter whose calf cramps again and again during sprint repeats; a 200 m race in
    # four weeks.
    "sprinter-cramps.toml": "--injury today --race 2026-12-19 --injury-kind cramp --recurrent "
    '--distance sprint --name "Sprinter\'s cramps"',
    # A grade 2 strain eight weeks before a marathon.
    "winter-marathon.toml": "--injury 2026-11-14 --race 2027-01-10 --injury-kind strain "
    "--grade 2 --side right --distance marathon --name 'Winter Marathon'",
    # A twinge two days ago and a 10k in three days.
    "race-in-three-days.toml": "--injury 2026-11-19 --race 2026-11-24 --injury-kind strain "
    "--grade 1 --side right --distance 10k --name 'Parkside 10k'",
    # A grade 1 strain with a spring half marathon sixteen weeks away.
    "spring-half.toml": "--injury 2026-11-18 --race 2027-03-07 --injury-kind strain "
    "--grade 1 --side left --distance half --name 'Spring Half'",
    # A sudden, sharp pull high in the calf sixteen weeks before a marathon run in 3:30.
    "spring-marathon.toml": "--injury 2026-11-20 --race 2027-03-12 --injury-kind strain "
    "--grade 1 --muscle gastrocnemius --side right --distance marathon --finish-time 3:30 "
    "--name 'Spring Marathon'",
}


def command(name: str, out: Path) -> list[str]:
    """The full `planner` argument list that makes one example at `out`."""
    return ["new", *shlex.split(EXAMPLES[name]), "--today", TODAY, "--out", str(out)]


def main() -> int:
    from planner.cli import main as planner

    folder = Path(__file__).parent
    for name in EXAMPLES:
        target = folder / name
        target.unlink(missing_ok=True)
        target.with_name(name + ".bak").unlink(missing_ok=True)
        if planner(command(name, target)) != 0:
            return 1
        (folder / f".{name}.lock").unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
