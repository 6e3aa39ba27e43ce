"""A calendar file kept up to date: the .ics the state file names for a plan, written again
after every save of that plan, so a calendar app that watches the file stays current.

The state file holds one table per plan, keyed by the plan file's path:

    [calendars."/home/me/.local/share/recovery-planner/plans/bristol-half.toml"]
    path = "/home/me/Calendars/bristol-half.ics"
    remind = "07:30"          # optional: the morning alarm on each day's event
    pain_reminder = "20:00"   # optional: the evening "log pain" event

`planner export PLAN -o FILE.ics --keep-updated` writes it (`keep_updated`), and removing
the table stops the rewrites. The home comes from the caller and the time of the save is
passed in: nothing here reads the environment or the clock.
"""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path

import msgspec

from planner.model import Plan, clean_line
from planner.paths import read_calendars, set_calendar


class CalendarSetupError(ValueError):
    """A state file entry that can't be used as written; the message says which and why."""


class WatchedCalendar(msgspec.Struct, frozen=True):
    """An .ics file kept up to date for one plan, and the alarms it carries."""

    path: Path
    remind: time | None = None
    pain_reminder: time | None = None

    def data(self, plan: Plan, stamp: datetime) -> bytes:
        """The calendar's bytes for `plan`: the same as `planner export --format ics` with
        these reminders, exported at `stamp`."""
        from planner.export import to_ics

        return to_ics(plan, stamp, remind=self.remind, pain_reminder=self.pain_reminder)


def _plan_key(plan_path: Path) -> str:
    """How the state file names a plan: its file's absolute, resolved path."""
    return str(plan_path.expanduser().resolve())


def _same_plan(key: str, plan_path: Path) -> bool:
    """Whether a state file key (written by us, or by hand: ~ allowed) names this plan."""
    try:
        return _plan_key(Path(key)) == _plan_key(plan_path)
    except (OSError, ValueError, RuntimeError):  # a NUL in a hand-written key, a link loop
        return False


def watched_calendar(home: Path, plan_path: Path) -> WatchedCalendar | None:
    """The calendar file kept for the plan at `plan_path`, or None when there is none.

    CalendarSetupError when the entry names a reminder time that isn't one, or an empty
    path: it is not guessed at, as a calendar written without the alarm asked for would
    look up to date and not ring.
    """
    from planner.export import parse_clock

    entry = next(
        (found for key, found in read_calendars(home).items() if _same_plan(key, plan_path)),
        None,
    )
    if entry is None:
        return None
    where = f"[calendars] in {home / 'state.toml'}"
    if not entry["path"].strip():
        raise CalendarSetupError(f"{where}: path is empty; name the .ics file to keep")
    times: dict[str, time | None] = {}
    for name in ("remind", "pain_reminder"):
        text = entry.get(name)
        try:
            times[name] = parse_clock(text) if text else None
        except ValueError as error:
            raise CalendarSetupError(f"{where}: {name}: {error}") from None
    return WatchedCalendar(Path(entry["path"]).expanduser(), **times)


def keep_updated(home: Path, plan_path: Path, watch: WatchedCalendar | None) -> bool:
    """Name `watch` as the calendar kept for the plan (None: keep none any more); returns
    whether one was kept before. SaveError or OSError when the state file can't be written.
    """
    from planner.export import clock_text

    key = _plan_key(plan_path)
    # A hand-written key naming the same plan goes too: one plan, one calendar file.
    for other in read_calendars(home):
        if other != key and _same_plan(other, plan_path):
            set_calendar(home, other, None)
    if watch is None:
        return set_calendar(home, key, None)
    entry = {"path": str(watch.path.expanduser().resolve())}
    if watch.remind is not None:
        entry["remind"] = clock_text(watch.remind)
    if watch.pain_reminder is not None:
        entry["pain_reminder"] = clock_text(watch.pain_reminder)
    return set_calendar(home, key, entry)


def write_calendar(watch: WatchedCalendar, plan: Plan, stamp: datetime, plan_path: Path) -> None:
    """Write the calendar file at once, whole (the store's atomic write, no .bak).

    SaveError, its message the reason alone, when it can't be: a symlink, folder or device
    in its place, the plan file itself, a missing folder, a full disk.
    """
    from planner.export import export_target_problem
    from planner.store import SaveError, atomic_write

    problem = export_target_problem(watch.path, plan_path)
    if problem is not None:
        raise SaveError(problem)
    try:
        atomic_write(watch.path, watch.data(plan, stamp), backup=False)
    except SaveError as error:
        # The store says "PATH: not saved: why"; "not saved" would read as the plan's.
        raise SaveError(str(error).rpartition(": not saved: ")[2]) from None


def update_after_save(home: Path, plan_path: Path, plan: Plan, stamp: datetime) -> str | None:
    """After a save of the plan at `plan_path`: rewrite its calendar file when the state
    file names one. Returns None when done (or none is named), else one line saying that
    the calendar file was not updated, and why.

    Never raises: the plan is saved by then, and a calendar that can't be written must not
    make the save look failed, nor undo it.
    """
    problem = _update(home, plan_path, plan, stamp)
    return None if problem is None else clean_line(problem)


def _update(home: Path, plan_path: Path, plan: Plan, stamp: datetime) -> str | None:
    from planner.export import path_text
    from planner.store import SaveError

    try:
        watch = watched_calendar(home, plan_path)
    except CalendarSetupError as error:
        return f"the calendar file was not updated: {error}"
    except Exception as error:
        # The plan's save already happened: whatever goes wrong with the calendar (a
        # permission, an encoding, a bug) is said, never allowed to look like a lost save.
        return f"the calendar file was not updated: {type(error).__name__}: {error}"
    if watch is None:
        return None
    try:
        write_calendar(watch, plan, stamp, plan_path)
    except SaveError as error:
        return f"the calendar file {path_text(watch.path)} was not updated: {error}"
    except Exception as error:  # as above: reported, never raised
        return (
            f"the calendar file {path_text(watch.path)} was not updated: "
            f"{type(error).__name__}: {error}"
        )
    return None
