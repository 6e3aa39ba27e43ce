"""How the command line prints a day, a re-plan's changes and the race-day call.

Only a task line may look like a task line: every one-line field is printed through
`clean_line`, and text that may hold several lines (a day's note) through `_out_block`,
which indents its further lines under the first.

On a terminal every line is wrapped to its width at spaces (never inside a word), each
continuation indented under the text it continues (`hang`); piped output is not wrapped.
"""

from __future__ import annotations

import shutil
import sys
import textwrap
from datetime import date, timedelta

from planner.advice import Decision, clinician_warning, decide
from planner.changes import summarize
from planner.cli.common import out
from planner.dates import long_date, race_words, short_date
from planner.engine import injury_class
from planner.model import Day, Plan, clean_line
from planner.rules import how_to, load_rules
from planner.week import tomorrow_line, week_of
from planner.words import plural

# Narrower than this, a hanging indent of a dozen columns leaves too little for the text:
# lines are wrapped at this width and the terminal folds what is left.
MIN_WIDTH = 40


def terminal_width() -> int | None:
    """The width to wrap at: the terminal's (COLUMNS when set), or None when stdout is
    not a terminal.

    Piped or redirected output is never wrapped: a script reading `planner show` (grep,
    awk, the contract's "Race-day call: ..." line) expects one line per task and per
    reason, whatever width the terminal it was started from happened to have.
    """
    if not sys.stdout.isatty():
        return None
    return max(MIN_WIDTH, shutil.get_terminal_size().columns)


def hang(
    text: str, head: str = "", indent: str | None = None, width: int | None = None
) -> list[str]:
    """`head` + `text` as lines of at most `width` columns, broken only at spaces; each
    continuation line starts with `indent` (default: spaces as wide as `head`, so it
    hangs under the text). A word longer than the room left gets a line of its own,
    unbroken. With `width` None: the one line, unwrapped.
    """
    if width is None:
        return [head + text]
    wrapper = textwrap.TextWrapper(
        width=max(1, width),
        initial_indent=head,
        subsequent_indent=" " * len(head) if indent is None else indent,
        # A word is never cut: not at its hyphen ("walk-run", "single-leg") nor, when it
        # is longer than the line, anywhere (the terminal folds it; a cut hides that).
        break_long_words=False,
        break_on_hyphens=False,
    )
    return wrapper.wrap(text) or [head.rstrip()]


def say(text: str, head: str = "", indent: str | None = None) -> None:
    """Print `head` + `text` (one line of text) wrapped to the terminal by `hang`."""
    for line in hang(text, head, indent, terminal_width()):
        out(line)


def _out_block(head: str, text: str) -> None:
    """Print `head` and the first line of `text`; each further line is indented to where
    the text began, so a note's "  3. [x] ..." can't pass for one of the day's tasks.

    Blank lines at either end are dropped; every line break `str.splitlines` knows counts.
    On a terminal, each line is wrapped with the same hanging indent.
    """
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    indent = " " * len(head)
    say(lines[0] if lines else "", head, indent)
    for line in lines[1:]:
        if line:
            say(line.lstrip(), indent + line[: len(line) - len(line.lstrip())], indent)
        else:
            out()


def print_note(text: str, head: str = "  note: ") -> None:
    """A task's note after `head`, its further lines hanging under its first (`_out_block`):
    a note can't pass for a task line."""
    _out_block(head, text)


def describe_plan(plan: Plan) -> str:
    """'grade 1 calf strain, left calf; half marathon on Sun 29 Nov 2026'."""
    rules = load_rules()
    kind = rules.kinds[injury_class(plan.injury, plan.grade)].label
    side = f", {plan.side.value} calf" if plan.side else ""
    race = rules.distances[plan.distance].label
    return f"{kind}{side}; {race} on {long_date(plan.race_date)}"


def print_day(plan: Plan, day: Day, today: date, *, why: bool = False, how: bool = False) -> None:
    """A day's header (day N, race in M days, phase, warnings), numbered tasks, pain, gate;
    with `how`, each exercise's steps under it."""
    rules = load_rules()
    kind = injury_class(plan.injury, plan.grade)
    number = (day.date - plan.injury_date).days
    since = "injury day" if number == 0 else f"day {number} since injury"
    done = sum(t.done or t.skip is not None for t in day.tasks)
    # The model keeps these fields one line already; clean_line again here because a field
    # can be set after the object was built, and a stray newline here would fake a task.
    say(f"{clean_line(plan.name)}: {describe_plan(plan)}", indent="  ")
    say(
        f"{long_date(day.date)} · {since} · {race_words(plan.race_date, day.date)} · "
        f"{rules.phases[day.phase].label} · {done}/{len(day.tasks)} done",
        indent="  ",
    )
    if plan.warning:
        _out_block("! ", plan.warning)
    warning = clinician_warning(plan, today, rules)
    if warning:
        _out_block("!! ", warning)
    out()
    width = len(str(len(day.tasks)))
    for index, task in enumerate(day.tasks, 1):
        box = "[x]" if task.done else ("[-]" if task.skip else "[ ]")
        dose = f" — {clean_line(task.dose)}" if task.dose else ""
        marks = " (yours)" if task.custom else ""
        marks += f" (skipped: {task.skip.value})" if task.skip else ""
        if task.actual_minutes is not None:  # the run as run, as the TUI's row says it
            marks += f" (ran {task.actual_minutes} min)"
        say(f"{clean_line(task.title)}{dose}{marks}", f"  {index:>{width}}. {box} ")
        if why and task.why:
            say(clean_line(task.why), f"  {' ' * width}       why: ")
        if how:  # under "why:", a bullet a step: wrapped, they still read as steps
            for step in how_to(task, kind, rules):
                say(step, f"  {' ' * width}       - ")
        if task.note and task.note.strip():  # the runner's own words, always shown
            print_note(task.note, f"  {' ' * width}      note: ")
    out()
    if day.pain is not None:
        rest = " (pain at rest)" if day.at_rest else ""
        if day.note and day.note.strip():
            _out_block(f"Pain: {day.pain}/10{rest} — ", day.note)
        else:
            say(f"Pain: {day.pain}/10{rest}")
    else:
        say("Pain: not logged (planner pain 0-10)")
    if day.gate is not None:
        gate = day.gate
        verdict = "passed" if gate.passed else "not passed"
        say(
            f"{verdict} ({plural(gate.raises, 'raise')}, {plural(gate.hops, 'hop')}, "
            f"{gate.walk_min} min walk)",
            "Run gate: ",
        )
    if plan.race_date - timedelta(days=1) <= day.date <= plan.race_date and day.date == today:
        out()
        print_decision(decide(plan, today, rules))
    tomorrow = tomorrow_line(plan, day.date, _labels(rules))
    if tomorrow is not None:
        out()
        say(clean_line(tomorrow), indent="  ")


def _labels(rules) -> dict:
    """Each phase's name in the protocol's words."""
    return {phase: info.label for phase, info in rules.phases.items()}


def print_week(plan: Plan, when: date, today: date) -> None:
    """The week (Monday to Sunday) around `when`: a line a day with its phase, its key
    session and how much is done, then the week's runs, long run and strength days."""
    rules = load_rules()
    week = week_of(plan, when, _labels(rules))
    sunday = week.monday + timedelta(days=6)
    phases = ", ".join(rules.phases[phase].label for phase in week.phases)
    say(f"{clean_line(plan.name)}: {describe_plan(plan)}", indent="  ")
    say(f"Week of {long_date(week.monday)} – {long_date(sunday)} · {phases}", indent="  ")
    out()
    label_width = max(len(rules.phases[day.phase].label) for day in week.days)
    for day in week.days:
        head = f"  {short_date(day.date):<10} {rules.phases[day.phase].label:<{label_width}}  "
        parts = [clean_line(day.what), f"{day.done}/{day.total} done"]
        if day.pain is not None:
            parts.append(f"pain {day.pain}")
        if day.date == today:
            parts.append("today")
        say(" · ".join(parts), head)
    out()
    long_run = week.long_run
    if long_run is None:
        say(f"Runs: none this week · strength: {plural(week.strength_days, 'day')}")
    else:
        say(
            f"Runs: {plural(week.runs, 'day')}, {week.run_minutes} min in all "
            f"(longest {short_date(long_run.date)}, {long_run.run_minutes} min) · "
            f"strength: {plural(week.strength_days, 'day')}",
            indent="  ",
        )


def print_changes(lines: list[str]) -> None:
    """What a re-plan changed, a line a day, or that nothing changed."""
    if not lines:
        out("The plan ahead stays as it was.")
        return
    out("The plan ahead changes:")
    for line in summarize(lines):
        _out_block("  ", line)


def print_decision(decision: Decision) -> None:
    """The race-day call, its reasons, what to do on the day, and for a don't-start what to
    do if the runner starts anyway.

    The first line, "Race-day call: Race|Run-walk|Don't start", is the contract scripts
    read; a call made before the day before the race says "provisional" on that line.
    """
    when = (
        " (provisional: the call is made the day before the race)" if decision.provisional else ""
    )
    say(f"{decision.label}{when}", "Race-day call: ")
    for reason in decision.reasons:
        _out_block("  - ", reason)
    _out_block("On the day: ", decision.advice)
    if decision.if_you_start:
        _out_block("", decision.if_you_start)
