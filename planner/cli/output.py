"""How the command line prints a day, a re-plan's changes and the race-day call.

Only a task line may look like a task line: every one-line field is printed through
`clean_line`, and text that may hold several lines (a day's note) through `_out_block`,
which indents its further lines under the first.
"""

from __future__ import annotations

from datetime import date, timedelta

from planner.advice import Decision, clinician_warning, decide
from planner.changes import summarize
from planner.cli.common import out
from planner.dates import long_date, race_words
from planner.engine import injury_class
from planner.model import Day, Plan, clean_line
from planner.rules import load_rules


def _out_block(head: str, text: str) -> None:
    """Print `head` and the first line of `text`; each further line is indented to where
    the text began, so a note's "  3. [x] ..." can't pass for one of the day's tasks.

    Blank lines at either end are dropped; every line break `str.splitlines` knows counts.
    """
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    out(head + (lines[0] if lines else ""))
    indent = " " * len(head)
    for line in lines[1:]:
        out(indent + line if line else "")


def describe_plan(plan: Plan) -> str:
    """'grade 1 calf strain, left calf; half marathon on Sun 29 Nov 2026'."""
    rules = load_rules()
    kind = rules.kinds[injury_class(plan.injury, plan.grade)].label
    side = f", {plan.side.value} calf" if plan.side else ""
    race = rules.distances[plan.distance].label
    return f"{kind}{side}; {race} on {long_date(plan.race_date)}"


def print_day(plan: Plan, day: Day, today: date, *, why: bool = False) -> None:
    """A day's header (day N, race in M days, phase, warnings), numbered tasks, pain, gate."""
    rules = load_rules()
    number = (day.date - plan.injury_date).days
    since = "injury day" if number == 0 else f"day {number} since injury"
    done = sum(t.done or t.skip is not None for t in day.tasks)
    # The model keeps these fields one line already; clean_line again here because a field
    # can be set after the object was built, and a stray newline here would fake a task.
    out(f"{clean_line(plan.name)}: {describe_plan(plan)}")
    out(
        f"{long_date(day.date)} · {since} · {race_words(plan.race_date, day.date)} · "
        f"{rules.phases[day.phase].label} · {done}/{len(day.tasks)} done"
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
        out(f"  {index:>{width}}. {box} {clean_line(task.title)}{dose}{marks}")
        if why and task.why:
            out(f"  {' ' * width}       why: {clean_line(task.why)}")
    out()
    if day.pain is not None:
        rest = " (pain at rest)" if day.at_rest else ""
        if day.note and day.note.strip():
            _out_block(f"Pain: {day.pain}/10{rest} — ", day.note)
        else:
            out(f"Pain: {day.pain}/10{rest}")
    else:
        out("Pain: not logged (planner pain 0-10)")
    if day.gate is not None:
        gate = day.gate
        verdict = "passed" if gate.passed else "not passed"
        out(
            f"Run gate: {verdict} ({gate.raises} raises, {gate.hops} hops, "
            f"{gate.walk_min} min walk)"
        )
    if plan.race_date - timedelta(days=1) <= day.date <= plan.race_date and day.date == today:
        out()
        print_decision(decide(plan, today, rules))


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
    out(f"Race-day call: {decision.label}{when}")
    for reason in decision.reasons:
        _out_block("  - ", reason)
    _out_block("On the day: ", decision.advice)
    if decision.if_you_start:
        _out_block("", decision.if_you_start)
