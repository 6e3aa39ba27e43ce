"""How the command line prints a day, a re-plan's changes and the race-day call."""

from __future__ import annotations

from datetime import date, timedelta

from planner.advice import Decision, clinician_warning, decide
from planner.changes import summarize
from planner.cli.common import out
from planner.dates import long_date, race_words
from planner.engine import injury_class
from planner.model import Day, Plan
from planner.rules import load_rules


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
    out(f"{plan.name}: {describe_plan(plan)}")
    out(
        f"{long_date(day.date)} · {since} · {race_words(plan.race_date, day.date)} · "
        f"{rules.phases[day.phase].label} · {done}/{len(day.tasks)} done"
    )
    if plan.warning:
        out(f"! {plan.warning}")
    warning = clinician_warning(plan, today, rules)
    if warning:
        out(f"!! {warning}")
    out()
    width = len(str(len(day.tasks)))
    for index, task in enumerate(day.tasks, 1):
        box = "[x]" if task.done else ("[-]" if task.skip else "[ ]")
        dose = f" — {task.dose}" if task.dose else ""
        marks = " (yours)" if task.custom else ""
        marks += f" (skipped: {task.skip.value})" if task.skip else ""
        out(f"  {index:>{width}}. {box} {task.title}{dose}{marks}")
        if why and task.why:
            out(f"  {' ' * width}       why: {task.why}")
    out()
    if day.pain is not None:
        note = f" — {day.note}" if day.note else ""
        rest = " (pain at rest)" if day.at_rest else ""
        out(f"Pain: {day.pain}/10{rest}{note}")
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
        out(f"  {line}")


def print_decision(decision: Decision) -> None:
    """The race-day call, its reasons, and what to do on the day."""
    when = (
        " (provisional: the call is made the day before the race)" if decision.provisional else ""
    )
    out(f"Race-day call: {decision.label}{when}")
    for reason in decision.reasons:
        out(f"  - {reason}")
    out(f"On the day: {decision.advice}")
