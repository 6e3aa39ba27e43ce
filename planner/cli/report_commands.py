"""The commands that report on a plan: stats and export."""

from __future__ import annotations

import argparse
from pathlib import Path

from planner.cli.common import Context, DataError, UsageError, open_plan, out
from planner.dates import race_words, short_date
from planner.export import to_ics, to_markdown
from planner.rules import load_rules
from planner.stats import Tally, progress, sparkline, trend_words
from planner.store import SaveError, atomic_write

FORMATS = ("ics", "md")


def _percent(tally: Tally) -> str:
    return f"{tally.percent}%" if tally.percent is not None else "-"


def cmd_stats(args: argparse.Namespace, ctx: Context) -> int:
    """planner stats: adherence, streaks, the pain trend, days to race."""
    plan = open_plan(args.plan, ctx).plan
    rules = load_rules()
    stats = progress(plan, ctx.today)
    overall = stats.overall
    out(f"{plan.name} · {race_words(plan.race_date, ctx.today)}")
    out(
        f"Adherence: {_percent(overall)} ({overall.done} of {overall.due} tasks done"
        f"{f', {overall.excused} excused' if overall.excused else ''})"
    )
    phases = " · ".join(
        f"{rules.phases[p].label.lower()} {_percent(t)} ({t.done}/{t.due})"
        for p, t in stats.by_phase.items()
    )
    out(f"  by phase: {phases or '-'}")
    categories = " · ".join(
        f"{c} {_percent(t)}" for c, t in sorted(stats.by_category.items()) if t.due
    )
    out(f"  by kind: {categories or '-'}")
    out(f"Streak: {stats.current_streak} days now · best {stats.best_streak}")
    pains = [score for _, score in stats.pain]
    if pains:
        out(
            f"Pain: {sparkline(pains)} {pains[0]} -> {pains[-1]}, {trend_words(pains)} "
            f"({len(pains)} logs, latest {short_date(stats.pain[-1][0])})"
        )
    else:
        out("Pain: none logged yet (planner pain 0-10)")
    return 0


def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    """planner export: the plan as iCalendar (phone) or Markdown (paper, physio)."""
    fmt = args.format.strip().lower()
    if fmt not in FORMATS:
        raise UsageError(f"--format: '{args.format}' is not a format; use ics or md")
    plan_file = open_plan(args.plan, ctx)
    data = (
        to_ics(plan_file.plan)
        if fmt == "ics"
        else to_markdown(plan_file.plan, ctx.today).encode("utf-8")
    )
    if args.output is None or args.output == "-":
        if fmt == "ics":
            import sys

            sys.stdout.flush()
            sys.stdout.buffer.write(data)
        else:
            out(data.decode("utf-8").rstrip("\n"))
        return 0
    target = Path(args.output).expanduser()
    if target.suffix == ".toml" or target.resolve() == plan_file.path.resolve():
        raise UsageError("-o: that looks like a plan file; export to a .ics or .md file")
    if not target.parent.is_dir():
        raise UsageError(f"-o: the folder {target.parent} does not exist")
    try:
        atomic_write(target, data, backup=False)
    except SaveError as error:
        raise DataError(str(error)) from None
    out(f"Exported {len(plan_file.plan.days)} days as {fmt} to {target}")
    return 0
