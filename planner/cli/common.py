"""What every command shares: the context, the two error kinds, and small helpers."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from planner.dates import DateError, long_date, parse_date, short_date
from planner.model import Day, Plan, clean_text, shown_path
from planner.paths import PlanNotFound, find_plan, remember
from planner.store import PlanFile, clean_leftovers

if TYPE_CHECKING:
    from planner.service import PlanSession


class UsageError(Exception):
    """Bad input: exit 2 with this one-line message."""


class DataError(Exception):
    """A data problem: exit 1 with this one-line message."""


class Context(msgspec.Struct, frozen=True):
    """What every command needs: the day it is, the clock for timestamps, the app's home."""

    today: date
    now: datetime
    home: Path
    pinned: bool = False  # today came from --today or PLANNER_TODAY


def out(line: str = "") -> None:
    """Print a line of output; user text in it never reaches the terminal as escapes."""
    print(clean_text(line))


def parse_day(text: str | None, ctx: Context, flag: str) -> date:
    """A date option, or today when it was left out."""
    if text is None:
        return ctx.today
    try:
        return parse_date(text, ctx.today)
    except DateError as error:
        raise UsageError(f"{flag}: {error}") from None


def open_plan(ref: str | None, ctx: Context, *, note_copies: bool = True) -> PlanFile:
    """The PLAN argument's file, loaded (PlanError propagates: exit 1).

    With `note_copies`, a plan that a sync tool left conflict copies of (or a copy opened
    by its path) gets one line on stderr saying so and how to merge: stdout stays what
    scripts read.
    """
    try:
        path = find_plan(ref, ctx.home)
    except PlanNotFound as error:
        raise UsageError(f"PLAN: {error}") from None
    plan_file = PlanFile.open(path)
    clean_leftovers(path)  # temp files of a save that was killed half-way, if any
    if note_copies:
        note = copies_note(path, ctx.home)
        if note is not None:
            print(f"planner: {note}", file=sys.stderr)
    return plan_file


def merge_command(plan_path: Path, copy_path: Path, home: Path) -> str:
    """The `planner merge PLAN COPY` line that merges `copy_path` into `plan_path`, quoted
    for a shell: the plan by name when it is in the plans folder, else by path."""
    import shlex

    from planner.paths import plans_dir

    in_folder = plan_path.parent == plans_dir(home) and plan_path.name.endswith(".toml")
    plan_ref = plan_path.name[: -len(".toml")] if in_folder else str(plan_path)
    return f"planner merge {shlex.quote(plan_ref)} {shlex.quote(str(copy_path))}"


def copies_note(path: Path, home: Path) -> str | None:
    """One line about the conflict copies of the plan at `path` (or about `path` being a
    copy itself), with the merge command; None when there are none."""
    from planner.conflicts import conflict_copies, describe, original_name

    name = original_name(path)
    if name is not None:  # a copy, opened by its path
        original = path.with_name(name)
        how = f": merge it with {merge_command(original, path, home)}"
        return shown_path(f"{path.name} is a {describe(path)}{how if original.is_file() else ''}")
    copies = conflict_copies(path)
    if not copies:
        return None
    if len(copies) == 1:
        return shown_path(
            f"{path.name} has a conflict copy a sync tool left, {copies[0].name}: "
            f"merge it with {merge_command(path, copies[0], home)}"
        )
    return shown_path(
        f"{path.name} has {len(copies)} conflict copies a sync tool left (see `planner list`): "
        f"merge each with {merge_command(path, Path('COPY'), home)}"
    )


def open_session(ref: str | None, ctx: Context) -> PlanSession:
    """The PLAN argument's file, loaded into the session both front ends change plans by."""
    from planner.service import PlanSession

    return PlanSession(open_plan(ref, ctx), ctx.today, lambda: ctx.now, home=ctx.home)


def change(session: PlanSession, ctx: Context, make, *args, flag: str = "--date") -> None:
    """Make a change through the session and save it, or exit: 2 when the change is refused
    (a day outside the plan or not yet come: named by `flag`), 1 when it wasn't saved."""
    from planner.service import ChangeRefused

    try:
        saved = make(*args)
    except ChangeRefused as error:
        raise UsageError(f"{flag}: {error}") from None
    if not saved:
        raise DataError(session.save_error or f"{session.file.path}: not saved")
    if session.calendar_error is not None:  # the plan is saved all the same: exit 0
        print(f"planner: saved, but {clean_text(session.calendar_error)}", file=sys.stderr)
    remember(ctx.home, session.file.path)  # no write when the state names it already


def day_of(
    plan: Plan, when: date, flag: str, ctx: Context, *, given: bool = True, to: str = ""
) -> Day:
    """The plan's day for a date, or a usage error naming the plan's span.

    `given`: whether the date was typed (`flag`); when it was left out, the day is today,
    and a plan that ended (or hasn't begun) is said as that, with `flag` offered `to` do
    what the command does ("see a day of it"), never blamed for a date nobody gave.
    """
    day = plan.day(when)
    if day is None and not given:
        if when > plan.last_date:
            span = f"the plan ended on {long_date(plan.last_date)}"
        else:
            span = f"the plan starts on {long_date(plan.first_date)}"
        raise UsageError(f"{span}; use {flag} {to or 'to pick a day of it'}")
    if day is None:
        what = "today" if when == ctx.today else str(when)
        raise UsageError(
            f"{flag}: {what} is outside the plan, which runs from "
            f"{long_date(plan.first_date)} to {long_date(plan.last_date)}"
        )
    return day


def task_id(day: Day, ref: str) -> str:
    """A TASK argument (its number in `show`, or its id) as a task id of the day."""
    ref = ref.strip()
    if ref.isdigit():
        index = int(ref)
        if 1 <= index <= len(day.tasks):
            return day.tasks[index - 1].id
    elif day.task(ref) is not None:
        return ref
    raise UsageError(
        f"TASK: no task '{ref}' on {short_date(day.date)}; use a number from 1 to "
        f"{len(day.tasks)} or an id (see `planner show`)"
    )
