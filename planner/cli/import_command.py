"""planner import: a watch's activity (.fit, .gpx or .tcx) ticks the run of the day it
started on with the minutes it moved, which the load rules and the race-day call count.

A file that can't be read as a run, or a day it can't tick, is one line and exit 2 with
nothing changed; the same activity imported again changes nothing and says so.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from planner.cli.common import Context, UsageError, change, open_session, out
from planner.dates import short_date
from planner.model import shown_path


def cmd_import(args: argparse.Namespace, ctx: Context) -> int:
    """planner import FILE [PLAN]: tick the activity's day's run with its moving minutes."""
    from planner.activity import ActivityError, read_activity
    from planner.service import ChangeRefused

    path = Path(args.file).expanduser()
    name = shown_path(path.name)
    try:
        activity = read_activity(path)
    except ActivityError as error:
        raise UsageError(f"FILE: {name}: {error}; nothing changed") from None
    session = open_session(args.plan, ctx)
    try:
        target = session.run_for_activity(activity)
    except ChangeRefused as error:
        raise UsageError(f"FILE: {name}: {error}; nothing changed") from None
    when, task = target.date, target.task
    day = session.plan.day(when)
    label = f"{day.tasks.index(task) + 1}. {task.title} ({short_date(when)})"
    started = activity.local_start()
    sport = activity.sport or "no sport given"
    out(
        f"{name}: a {activity.kind} activity ({sport}) started {short_date(started.date())} "
        f"{started:%H:%M}, {activity.minutes} min moving."
    )
    planned = f" of {task.minutes}" if task.minutes is not None else ""
    if target.already:
        out(f"Already imported: {label}, ran {task.run_minutes}{planned} min. Nothing changed.")
        return 0
    was_done, before = task.done, task.run_minutes  # read first: the change is made on task
    replans = session.run_replans(when, task.id, activity.minutes)
    minutes = activity.minutes
    change(session, ctx, session.record_run, when, task.id, minutes, activity.start, flag="FILE")
    was = ""
    if was_done:
        was = f" (was ticked with {before} min)" if before is not None else " (was ticked)"
    out(f"{'Changed' if was_done else 'Done'}: {label}, ran {minutes}{planned} min{was}. Saved.")
    if replans:  # what was run is what the load rules count from here on
        from planner.cli.output import print_changes

        print_changes(session.changes)
    return 0
