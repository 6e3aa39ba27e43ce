"""The commands that report on a plan: stats and export."""

from __future__ import annotations

import argparse
from pathlib import Path

from planner.cli.common import Context, DataError, UsageError, open_plan, out
from planner.dates import race_words, short_date
from planner.rules import load_rules
from planner.stats import Tally, progress, sparkline, trend_words
from planner.store import SaveError, atomic_write
from planner.words import plural

FORMATS = ("ics", "md")
# Narrower than this the chart's legend and dates no longer fit; a terminal folds the rest.
CHART_MIN_WIDTH = 40


def _percent(tally: Tally) -> str:
    return f"{tally.percent}%" if tally.percent is not None else "-"


def cmd_stats(args: argparse.Namespace, ctx: Context) -> int:
    """planner stats: adherence, streaks, the pain trend, days to race."""
    if args.json:
        if args.chart:  # a picture for a terminal; the JSON holds the data it draws
            raise UsageError("--chart: goes with the text, not with --json")
        from planner.json_out import dumps, stats_json

        plan_file = open_plan(args.plan, ctx)
        out(dumps(stats_json(plan_file.plan, plan_file.path.absolute(), ctx.today)))
        return 0
    plan = open_plan(args.plan, ctx).plan
    rules = load_rules()
    stats = progress(plan, ctx.today)
    overall = stats.overall
    out(f"{plan.name} · {race_words(plan.race_date, ctx.today)}")
    out(
        f"Adherence: {_percent(overall)} ({overall.done} of {plural(overall.due, 'task')} done"
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
    out(f"Streak: {plural(stats.current_streak, 'day')} now · best {stats.best_streak}")
    ran = stats.running
    if ran.runs:  # the minutes the runner said they ran, where given
        out(f"Running: {plural(ran.runs, 'run')} done, {ran.minutes} of {ran.planned} min run")
    pains = [score for _, score in stats.pain]
    if pains:
        out(
            f"Pain: {sparkline(pains)} {pains[0]} -> {pains[-1]}, {trend_words(pains)} "
            f"({plural(len(pains), 'log')}, latest {short_date(stats.pain[-1][0])})"
        )
    else:
        out("Pain: none logged yet (planner pain 0-10)")
    if args.chart:
        _print_chart(plan, ctx)
    return 0


def _print_chart(plan, ctx: Context) -> None:
    """The pain chart as plain text (no colour, piped or not), as wide as the terminal:
    COLUMNS when set, else the terminal's width, else 80 columns (piped output)."""
    import shutil

    from planner.chart import pain_chart

    width = max(CHART_MIN_WIDTH, shutil.get_terminal_size().columns)
    out()
    out(pain_chart(plan, ctx.today, width).text())


def _export_format(args: argparse.Namespace) -> str:
    """--format as given, else what -o's suffix says (.ics, .md); UsageError if neither."""
    if args.format is not None:
        fmt = args.format.strip().lower()
        if fmt not in FORMATS:
            raise UsageError(f"--format: '{args.format}' is not a format; use ics or md")
        return fmt
    if args.output is not None and args.output != "-":
        from planner.export import format_for

        fmt = format_for(args.output)
        if fmt is not None:
            return fmt
        raise UsageError("--format: give ics or md (-o's name doesn't end in .ics or .md)")
    raise UsageError("--format: give ics or md (or -o with a name ending in .ics or .md)")


def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    """planner export: the plan as iCalendar (phone) or Markdown (paper, physio).

    -o must name a regular file or a new path: a symlink, folder, FIFO or device is refused
    (exit 2) before anything is written, as replacing it would swap out the link or node.
    """
    from planner.export import export_target_problem, to_ics, to_markdown

    fmt = _export_format(args)
    plan_file = open_plan(args.plan, ctx)
    data = (
        to_ics(plan_file.plan, ctx.now)
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
    problem = export_target_problem(target, plan_file.path)
    if problem is not None:
        raise UsageError(f"-o: {problem}")
    try:
        atomic_write(target, data, backup=False)
    except SaveError as error:
        raise DataError(str(error)) from None
    out(f"Exported {plural(len(plan_file.plan.days), 'day')} as {fmt} to {target}")
    return 0
