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


def _clock(text: str | None, flag: str):
    """A reminder option's time of day, or None when it wasn't given (UsageError if bad)."""
    if text is None:
        return None
    from planner.export import parse_clock

    try:
        return parse_clock(text)
    except ValueError as error:
        raise UsageError(f"{flag}: {error}") from None


def _check_calendar_options(args: argparse.Namespace, fmt: str) -> None:
    """The options only a calendar file takes, refused with another format or (to keep a
    file updated) without a file."""
    if fmt != "ics":
        for flag, value in (("--remind", args.remind), ("--pain-reminder", args.pain_reminder)):
            if value is not None:
                raise UsageError(f"{flag}: only a calendar has alarms; use --format ics")
        if args.keep_updated:
            raise UsageError("--keep-updated: only a calendar file is kept; use --format ics")
    if args.keep_updated and (args.output is None or args.output == "-"):
        raise UsageError("--keep-updated: give -o PATH, the .ics file to keep rewriting")


def _stop_keeping(args: argparse.Namespace, ctx: Context) -> int:
    """`planner export PLAN --no-keep-updated` alone: stop rewriting the plan's calendar."""
    from planner.calendar_sync import keep_updated
    from planner.paths import PlanNotFound, find_plan

    try:
        path = find_plan(args.plan, ctx.home)  # not loaded: a damaged plan can be let go too
    except PlanNotFound as error:
        raise UsageError(f"PLAN: {error}") from None
    try:
        had = keep_updated(ctx.home, path, None)
    except (SaveError, OSError) as error:
        raise DataError(f"state.toml not written: {error}") from None
    if had:
        out(f"Its calendar file is no longer rewritten when {path.name} changes")
    else:
        out(f"No calendar file was kept updated for {path.name}; nothing changed")
    return 0


def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    """planner export: the plan as iCalendar (phone) or Markdown (paper, physio).

    -o must name a regular file or a new path: a symlink, folder, FIFO or device is refused
    (exit 2) before anything is written, as replacing it would swap out the link or node.
    An .ics may carry alarms (--remind, --pain-reminder), and with --keep-updated its file
    is named in state.toml and rewritten after every save of the plan (planner.calendar_sync).
    """
    from planner.export import export_target_problem, to_ics, to_markdown

    keep = args.keep_updated
    if keep is False and args.format is None and args.output is None:
        return _stop_keeping(args, ctx)
    fmt = _export_format(args)
    _check_calendar_options(args, fmt)
    remind = _clock(args.remind, "--remind")
    pain_reminder = _clock(args.pain_reminder, "--pain-reminder")
    plan_file = open_plan(args.plan, ctx)
    data = (
        to_ics(plan_file.plan, ctx.now, remind=remind, pain_reminder=pain_reminder)
        if fmt == "ics"
        else to_markdown(plan_file.plan, ctx.today).encode("utf-8")
    )
    if args.output is None or args.output == "-":
        if keep is False:
            _forget_calendar(ctx, plan_file.path, aside=True)
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
    if remind is not None:
        out(f"  an alarm at {remind:%H:%M} on each day, naming its key session")
    if pain_reminder is not None:
        out(f"  a 'log pain' event with an alarm at {pain_reminder:%H:%M} on each day")
    if keep:
        _keep_calendar(ctx, plan_file.path, target, remind, pain_reminder)
    elif keep is False:
        _forget_calendar(ctx, plan_file.path)
    return 0


def _keep_calendar(ctx: Context, plan_path: Path, target: Path, remind, pain_reminder) -> None:
    """Name `target` in state.toml as the plan's calendar file, rewritten after each save."""
    from planner.calendar_sync import WatchedCalendar, keep_updated

    try:
        keep_updated(ctx.home, plan_path, WatchedCalendar(target, remind, pain_reminder))
    except (SaveError, OSError) as error:
        raise DataError(
            f"exported, but not kept updated: state.toml not written: {error}"
        ) from None
    out("Kept updated: rewritten after every change to the plan (stop: --no-keep-updated)")


def _forget_calendar(ctx: Context, plan_path: Path, *, aside: bool = False) -> None:
    """Stop rewriting the plan's calendar file (--no-keep-updated with an export); said on
    stderr when `aside` (stdout is the export itself)."""
    from planner.calendar_sync import keep_updated

    try:
        had = keep_updated(ctx.home, plan_path, None)
    except (SaveError, OSError) as error:
        raise DataError(f"state.toml not written: {error}") from None
    if not had:
        return
    line = "The calendar file kept for this plan is no longer rewritten"
    if aside:
        import sys

        print(f"planner: {line}", file=sys.stderr)
    else:
        out(line)
