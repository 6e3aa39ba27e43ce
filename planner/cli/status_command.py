"""planner status: one line on the plan's today, for a shell prompt or tmux.

A plain `planner status` never gets here: `planner.__main__` runs it without the parser,
for speed. This is the way for the rest (--help, a --today in words), and it ends in the
same `planner.status.run`, so both print the same.
"""

from __future__ import annotations

import argparse
import sys

from planner.cli.common import Context


def cmd_status(args: argparse.Namespace, ctx: Context) -> int:
    """planner status: print the line (or the JSON); nothing when there is no plan."""
    from planner.status import run

    outcome = run(args.plan, ctx.home, ctx.today, args.format, args.json)
    if outcome.out is not None:
        print(outcome.out)
    if outcome.err is not None:
        print(f"planner: {outcome.err}", file=sys.stderr)
    return outcome.code
