"""planner completion SHELL: the completion script for bash, zsh or fish.

`planner completion plans` prints the plan names, one a line: what the scripts offer for
a PLAN argument. It reads the plans folder's listing and nothing else, as a TAB waits on it.
"""

from __future__ import annotations

import argparse

from planner.cli.common import Context, UsageError


def cmd_completion(args: argparse.Namespace, ctx: Context) -> int:
    """Print the script for args.shell, or the plan names for "plans"."""
    from planner.completion import SHELLS, plan_names, script

    shell = args.shell.strip().lower()
    if shell == "plans":
        for name in plan_names(ctx.home):
            print(name)
        return 0
    if shell not in SHELLS:
        raise UsageError(f"SHELL: '{args.shell}' is not a shell; use bash, zsh or fish")
    from planner.cli import _parser

    print(script(shell, _parser()), end="")
    return 0
