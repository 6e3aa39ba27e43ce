"""The plan for other places: an iCalendar file for a phone, Markdown for paper and a physio.

Both are pure functions of their arguments (the plan, and `today` for the Markdown summary,
the export time for the calendar's DTSTAMP): the clock is always passed in, never read, and
the same arguments give the same bytes. Calendar events have stable UIDs and a SEQUENCE
from the plan's revision, so importing a newer export updates the events instead of adding
a second copy. The calendar may carry alarms: a morning one on each day's event naming its
key session, and an evening "log pain" event a day (`to_ics`, times read by `parse_clock`).
Also here: what may be written over (`export_target_problem`) and the format an output
path implies (`format_for`), shared by the command line and the TUI.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from planner.advice import clinician_warning, decide
from planner.dates import long_date, race_words, short_date
from planner.engine import injury_class
from planner.model import Category, Day, Plan, Task
from planner.rules import how_to, load_rules
from planner.stats import progress, sparkline, trend_words
from planner.week import key_task, key_title, one_line
from planner.words import plural

PRODID = "-//recovery-planner//plan export//EN"
# How a reminder's time is typed, said in every message that refuses one.
CLOCK_FORM = "HH:MM (00:00-23:59)"
_CLOCK = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")
# The evening "log pain" event's length: long enough for a day view to draw it legibly,
# short enough not to look like a session to plan around.
PAIN_EVENT_MINUTES = 15


def plan_key(plan: Plan) -> str:
    """A short id that stays the same for a plan across edits and exports.

    From the plan's random `uid` when the file has one, so two plans made the same day for
    the same dates get different event UIDs.
    """
    if plan.uid:
        seed = f"uid|{plan.uid}"
    else:
        # Files made before [plan] uid existed: exactly the old formula, so a calendar that
        # imported one of their earlier exports still gets its events updated, not doubled.
        seed = f"{plan.created.isoformat()}|{plan.injury_date}|{plan.race_date}"
    return hashlib.sha256(seed.encode()).hexdigest()[:16]


def _task_line(task: Task) -> str:
    box = "[x]" if task.done else ("[-]" if task.skip else "[ ]")
    dose = f" — {one_line(task.dose)}" if task.dose else ""
    skipped = f" (skipped: {task.skip.value})" if task.skip else ""
    ran = f" (ran {task.actual_minutes} min)" if task.actual_minutes is not None else ""
    return f"{box} {one_line(task.title)}{dose}{skipped}{ran}"


def event_summary(plan: Plan, day: Day) -> str:
    """An event's title: the day's key session, then the plan's name:
    "Walk-run 30 min · Bristol Half" (the phase when a day has no task at all)."""
    task = key_task(day)
    what = key_title(task) if task is not None else load_rules().phases[day.phase].label
    return f"{what} · {one_line(plan.name)}"


def _utc(stamp: datetime) -> datetime:
    # DTSTAMP must be UTC (RFC 5545 3.8.7.2). A naive time is taken as UTC already: it is
    # what the callers pass, and guessing a local zone would need the machine's settings.
    if stamp.tzinfo is None:
        return stamp.replace(tzinfo=UTC, microsecond=0)
    return stamp.astimezone(UTC).replace(microsecond=0)


def parse_clock(text: str) -> time:
    """A reminder's time of day as typed: "07:30" or "7:30", from 00:00 to 23:59.

    ValueError otherwise, its message saying what was typed and the form allowed (the
    caller puts the field's name before it).
    """
    match = _CLOCK.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"'{one_line(text)}' is not a time of day; use {CLOCK_FORM}")
    return time(int(match.group(1)), int(match.group(2)))


def clock_text(when: time) -> str:
    """A reminder's time as `parse_clock` reads it back: "07:30"."""
    return f"{when:%H:%M}"


def _alarm(description: str, trigger: timedelta):
    """A VALARM that shows `description`, `trigger` after its event's start."""
    from icalendar import Alarm

    alarm = Alarm()
    alarm.add("action", "DISPLAY")  # DISPLAY needs a DESCRIPTION (RFC 5545 3.6.6)
    alarm.add("description", description)
    alarm.add("trigger", trigger)
    return alarm


# Why the alarms are laid out as they are (RFC 5545 3.6.6, 3.8.6.3, 3.3.6):
#
# The morning alarm sits on the day's all-day event, so the notification a phone shows is
# that event's title: the day's key session. An all-day event starts at the day's midnight
# in the calendar's own zone ("floating"), and TRIGGER:PT7H30M from that start is what Apple
# Calendar itself writes for "on the day at 07:30": no time-zone data is needed, and the
# alarm is at 07:30 wall-clock time on every day before and after a clock change. On the
# one night the clocks change, the RFC counts PT7H30M as elapsed time (3.3.6: hours and
# minutes are exact durations), and a calendar that does so rings at 08:30 (spring) or
# 06:30 (autumn) on that morning only; one that adds the trigger on the clock rings at
# 07:30. This is said in the README; the other way, a timed event at 07:30 a day, would put
# a second event on every day of the plan for one morning a year.
#
# The evening "log pain" reminder is an event of its own, timed at that time of day in
# floating local time (no zone: "20:00 wherever the phone is") with its alarm at its start.
# A phone's notification shows an event's title, not the alarm's text, so a second alarm on
# the day's event would say "Walk-run 30 min" at 20:00; an event titled "Log today's pain"
# says what to do, and with a zero trigger it rings at 20:00 on every day, the nights the
# clocks change included.


def to_ics(
    plan: Plan,
    stamp: datetime,
    *,
    remind: time | None = None,
    pain_reminder: time | None = None,
) -> bytes:
    """One all-day event per day, titled by its key session (`event_summary`), the tasks
    with dose and why in its description.

    `stamp` is when the export is made (DTSTAMP; the caller's clock, never read here).
    SEQUENCE is the plan's revision, so a calendar takes a later export as an update.
    Text from the plan goes into single-line properties (name, summary) as one line.
    `remind`: each day's event gets an alarm at this time of that day, naming its key
    session. `pain_reminder`: each day also gets a short event at this time, titled "Log
    today's pain", with an alarm at its start (none once the day's pain is logged). Both
    are local times of day, without a zone (see the note above on clock changes).
    """
    # Loaded here, not at import: the TUI's export dialog imports this module for its path
    # check, and icalendar is needed only once a calendar is written.
    from icalendar import Calendar, Event, vText

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    # An X- property is not escaped by icalendar unless given as vText: a ";" or "," would
    # be read as structure, and a newline makes to_ical fail outright.
    calendar.add("x-wr-calname", vText(one_line(plan.name)))
    key = plan_key(plan)
    dtstamp = _utc(stamp)
    sequence = max(plan.revision, 0)
    name = one_line(plan.name)
    for day in plan.days:
        event = Event()
        event.add("uid", f"{day.date:%Y%m%d}-{key}@recovery-planner")
        event.add("dtstamp", dtstamp)
        event.add("sequence", sequence)
        event.add("dtstart", day.date)
        event.add("dtend", day.date + timedelta(days=1))
        event.add("summary", event_summary(plan, day))
        # The description is one line per task (and per why), so each piece is kept to one.
        lines = []
        for task in day.tasks:
            lines.append(_task_line(task))
            if task.why:
                lines.append(f"    why: {one_line(task.why)}")
            if task.note and task.note.strip():  # the runner's own words on it
                lines.append(f"    note: {one_line(task.note)}")
        if day.pain is not None:
            note = f" — {one_line(day.note)}" if day.note else ""
            lines.append(f"Pain: {day.pain}/10{note}")
        event.add("description", "\n".join(lines))
        event.add("categories", [day.phase.value])
        event.add("transp", "TRANSPARENT")  # all-day reminders, not busy time
        if remind is not None:
            after_midnight = timedelta(hours=remind.hour, minutes=remind.minute)
            event.add_component(_alarm(f"Today: {event_summary(plan, day)}", after_midnight))
        calendar.add_component(event)
        if pain_reminder is not None:
            calendar.add_component(_pain_event(day, pain_reminder, name, key, dtstamp, sequence))
    return calendar.to_ical()


def _pain_event(day: Day, at: time, name: str, key: str, dtstamp: datetime, sequence: int):
    """The evening event of a day that asks for its pain log, ringing at its start; once
    the day's pain is logged, the event says so and rings no more (a calendar that watches
    the file, or takes a newer export, drops the alarm of a day already logged)."""
    from icalendar import Event

    start = datetime.combine(day.date, at)  # naive: floating local time (RFC 5545 3.3.5)
    event = Event()
    # Its own UID beside the day's ("-pain-"): importing an export without it leaves the
    # day's event alone.
    event.add("uid", f"{day.date:%Y%m%d}-pain-{key}@recovery-planner")
    event.add("dtstamp", dtstamp)
    event.add("sequence", sequence)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=PAIN_EVENT_MINUTES))
    event.add("transp", "TRANSPARENT")  # a reminder, not busy time
    if day.pain is not None:
        event.add("summary", f"Pain logged: {day.pain}/10 · {name}")
        event.add("description", "Today's pain is logged; `planner pain N` changes it.")
        return event
    event.add("summary", f"Log today's pain · {name}")
    event.add(
        "description",
        "How did the calf feel today? Log its pain, 0 (none) to 10: `planner pain N`, "
        "or p in the app. The days after adapt to it.",
    )
    event.add_component(_alarm(f"Log today's pain (0-10) · {name}", timedelta(0)))
    return event


# Backslash-escaped wherever they stand (CommonMark lets any ASCII punctuation be escaped):
# emphasis, code, links, HTML and entities, tables and strikethrough (GFM), headings, math
# ($, as GitHub renders it) and @mentions or e-mail autolinks.
_MD_SPECIAL = re.compile(r"[\\`*_\[\]<>|~&#$@]")
# GFM also makes links of bare "scheme://..." and "www." text: escaping the ":" and the
# slashes, or the dot after www, leaves no such trigger in the source.
_MD_AUTOLINK = re.compile(r"://|(?<![\w.])(?i:www)\.")
# Only at the start of a line: a list item (- + * or 1. 1)), a setext underline or rule (=).
_MD_LINE_START = re.compile(r"^([-+=]|\d{1,9}[.)])")


def _md_autolink(match: re.Match[str]) -> str:
    return r"\:\/\/" if match.group() == "://" else match.group()[:-1] + r"\."


def md_escape(text: str) -> str:
    """Text as Markdown shows it literally, on one line, wherever in a line it is put.

    Nothing in it becomes structure: a title like `[x] *now* <b> &amp;` stays as typed,
    line breaks become spaces (a "# " after one would start a heading), and leading blanks
    go (four of them at a line's start would start a code block).
    """
    text = one_line(text).lstrip()
    text = _MD_SPECIAL.sub(r"\\\g<0>", text)
    text = _MD_AUTOLINK.sub(_md_autolink, text)
    start = _MD_LINE_START.match(text)
    if start:
        marker = start.group()
        text = marker[:-1] + "\\" + marker[-1] + text[len(marker) :]
    return text


def to_markdown(plan: Plan, today: date) -> str:
    """A printable checklist per day, then the pain log and gate results, after a summary;
    at the end, how to do each exercise of the plan."""
    rules = load_rules()
    injury = injury_class(plan.injury, plan.grade)
    kind = rules.kinds[injury].label
    side = f", {plan.side.value} calf" if plan.side else ""
    stats = progress(plan, today)
    lines = [
        f"# {md_escape(plan.name)}",
        "",
        f"{kind.capitalize()}{side}, injured {long_date(plan.injury_date)}; "
        f"{rules.distances[plan.distance].label} on {long_date(plan.race_date)} "
        f"({race_words(plan.race_date, today)}). Exported on {long_date(today)}.",
        "",
        "## Summary for a physio",
        "",
    ]
    overall = stats.overall
    lines.append(
        f"- Adherence to date: {overall.percent if overall.percent is not None else '-'}% "
        f"({overall.done} of {plural(overall.due, 'task')}; {overall.excused} excused)"
    )
    for phase, tally in stats.by_phase.items():
        lines.append(f"  - {rules.phases[phase].label}: {tally.done}/{tally.due}")
    pains = [score for _, score in stats.pain]
    if pains:
        latest_date, latest = stats.pain[-1]
        lines.append(
            f"- Pain (0-10) by day: {', '.join(str(p) for p in pains)} {sparkline(pains)} "
            f"({trend_words(pains)}); latest {latest}/10 on {short_date(latest_date)}"
        )
    else:
        lines.append("- Pain: none logged")
    at_rest = [short_date(d.date) for d in plan.days if d.at_rest]
    if at_rest:
        lines.append(f"- Pain at rest or at night noted: {', '.join(at_rest)}")
    gates = [d for d in plan.days if d.gate is not None]
    for day in gates:
        gate = day.gate
        verdict = "passed" if gate.passed else "not passed"
        lines.append(
            f"- Run gate {short_date(day.date)}: {verdict} "
            f"({plural(gate.raises, 'single-leg raise')}, {plural(gate.hops, 'hop')}, "
            f"{gate.walk_min} min walk)"
        )
    if not gates:
        lines.append("- Run gate: not recorded yet")
    skipped = [(d.date, t) for d in plan.days for t in d.tasks if t.skip is not None]
    if skipped:
        reasons: dict[str, int] = {}
        for _, task in skipped:
            reasons[task.skip.value] = reasons.get(task.skip.value, 0) + 1
        lines.append(
            "- Skipped: " + ", ".join(f"{n} for {reason}" for reason, n in reasons.items())
        )
    warning = clinician_warning(plan, today)
    if warning:
        lines.append(f"- **{md_escape(warning)}**")
    if plan.safety is not None and plan.safety.flags:
        cleared = "cleared by a clinician" if plan.safety.clinician_cleared else "NOT cleared"
        flags = ", ".join(md_escape(flag) for flag in plan.safety.flags)
        lines.append(f"- Red flags answered yes: {flags} ({cleared})")
    decision = decide(plan, today)
    # Before race-1 the call can still change, and a physio reading the page must see so.
    when = (
        " (provisional: the call is made the day before the race)" if decision.provisional else ""
    )
    lines.append(f"- Race-day call as of {short_date(today)}: {decision.label}{when}")
    lines += ["", "_Self-care guidance, not medical advice._", ""]
    howtos = _howtos(plan, injury)
    if howtos:
        lines += ["_How to do each exercise: the last section._", ""]

    for day in plan.days:
        number = (day.date - plan.injury_date).days
        lines.append(f"## {long_date(day.date)} · day {number} · {rules.phases[day.phase].label}")
        lines.append("")
        for task in day.tasks:
            box = "[x]" if task.done else "[ ]"
            dose = f" — {md_escape(task.dose)}" if task.dose else ""
            note = " _(yours)_" if task.custom else ""
            note += f" _(skipped: {task.skip.value})_" if task.skip else ""
            if task.actual_minutes is not None:
                note += f" _(ran {task.actual_minutes} min)_"
            lines.append(f"- {box} {md_escape(task.title)}{dose}{note}")
            if task.note and task.note.strip():  # under its task, as `show` puts it
                lines.append(f"  - note: {md_escape(task.note)}")
        if day.pain is not None:
            rest = " at rest" if day.at_rest else ""
            note = f" — {md_escape(day.note)}" if day.note else ""
            lines += ["", f"Pain: {day.pain}/10{rest}{note}"]
        if day.gate is not None:
            verdict = "passed" if day.gate.passed else "not passed"
            lines += ["", f"Run gate: {verdict}"]
        lines.append("")
    lines += _howto_section(howtos)
    return "\n".join(lines)


# The steps come once per exercise, in a section of their own at the end, not under the
# task on every day: a plan repeats the same raises, stretches and holds on dozens of days,
# and five lines under each would bury the checklist a runner ticks on paper and run a
# 16-week plan to many pages. Steps are read once and looked up after: at the end they
# make a reference page to keep by the step or the wall, in the order the exercises first
# come in the plan.


def _exercise_name(task: Task) -> str:
    """An exercise's name for its steps: the task's title, without a run's minutes (which
    change from day to day): "Easy run 25 min + strides" -> "Easy run + strides"."""
    title = one_line(task.title)
    if task.category is Category.RUN:
        title = re.sub(r" \d+ min\b", "", title, count=1)
    return title


def _howtos(plan: Plan, injury: str) -> list[tuple[list[str], tuple[str, ...]]]:
    """The plan's exercises that have steps, each once: (its names, its steps). Tasks with
    the same steps (the holds of the first days and of later ones, the strides at each
    effort) share one entry under every name they come by."""
    found: dict[tuple[str, ...], list[str]] = {}
    for day in plan.days:
        for task in day.tasks:
            steps = how_to(task, injury)
            if not steps:
                continue
            names = found.setdefault(steps, [])
            name = _exercise_name(task)
            if name not in names:
                names.append(name)
    return [(names, steps) for steps, names in found.items()]


def _howto_section(howtos: list[tuple[list[str], tuple[str, ...]]]) -> list[str]:
    """'## How to do the exercises': a heading per exercise and its numbered steps."""
    if not howtos:
        return []
    lines = ["## How to do the exercises", ""]
    for names, steps in howtos:
        lines += [f"### {md_escape(names[0])}", ""]
        if len(names) > 1:
            lines += ["Also for: " + "; ".join(md_escape(name) for name in names[1:]), ""]
        lines += [f"{number}. {md_escape(step)}" for number, step in enumerate(steps, 1)]
        lines.append("")
    return lines


FORMAT_SUFFIXES = {".ics": "ics", ".md": "md"}


def format_for(path: Path | str) -> str | None:
    """The export format a file name implies ('ics' or 'md', any case), or None."""
    return FORMAT_SUFFIXES.get(Path(path).suffix.lower())


def path_text(path: Path) -> str:
    """A path as a one-line message shows it: control characters as escapes."""
    # A path is typed by the user: a line break or a control character in it must not split
    # the one-line message or reach the terminal, so such characters are shown as escapes.
    text = str(path)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


def export_target_problem(path: Path, plan_path: Path | None = None) -> str | None:
    """Why an export may not be written to `path`, or None when it may.

    Allowed: a regular file (replaced whole) or a new name in an existing folder. Refused:
    a symlink (even to a regular file: the swap would replace the link, not its target),
    a folder, a FIFO, a device, a socket, and the plan file itself (`plan_path`, or any
    .toml). The message is one line, without the option's name, for the caller to prefix.
    Checked with lstat just before writing; a path swapped in between is not caught here.
    """
    shown = path_text(path)
    if path.suffix.lower() == ".toml" or (plan_path is not None and _same_entry(path, plan_path)):
        return f"{shown} looks like a plan file; export to a .ics or .md file"
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        if not path.parent.is_dir():
            return f"the folder {path_text(path.parent)} does not exist"
        return None
    except (OSError, ValueError) as error:  # ENOTDIR, EACCES, ENAMETOOLONG, a NUL byte
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        return f"{shown} can't be checked ({reason}); export to a regular file or a new path"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        what = "a symlink"
    elif stat.S_ISDIR(mode):
        what = "a folder"
    elif stat.S_ISFIFO(mode):
        what = "a FIFO (named pipe)"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        what = "a device"
    elif stat.S_ISSOCK(mode):
        what = "a socket"
    else:
        what = "not a regular file"
    return f"{shown} is {what}; export to a regular file or a new path"


def _same_entry(path: Path, plan_path: Path) -> bool:
    """Whether `path` names the plan file's own directory entry (the file we'd replace)."""
    try:
        return os.path.abspath(path) == os.path.abspath(plan_path) or (
            path.resolve() == plan_path.resolve()
        )
    except (OSError, ValueError, RuntimeError):  # a symlink loop, a NUL byte
        return False
