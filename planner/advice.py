"""What the plan tells the runner from their log: see a clinician, and the race-day call.

Pure functions of a plan and `today`; the thresholds and words are in the protocol data.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

from planner.dates import short_date
from planner.model import Category, Plan
from planner.record import record
from planner.rules import Rules, load_rules


def clinician_warning(plan: Plan, today: date, rules: Rules | None = None) -> str | None:
    """The see-a-clinician warning if the pain log calls for one, else None.

    Set by two red days in a row or by pain at rest; it stays until a later day's pain is
    logged below the protocol's threshold (5) without pain at rest.
    """
    rules = rules or load_rules()
    active = False
    previous_red: date | None = None
    for day in plan.days:
        if day.date > today:
            break
        if day.pain is None and not day.at_rest:
            continue
        red = day.pain is not None and rules.pain.band(day.pain) == "red"
        if day.at_rest or (red and previous_red == day.date - timedelta(days=1)):
            active = True
        elif day.pain is not None and day.pain < rules.pain.clear_below:
            active = False
        previous_red = day.date if red else None
    return rules.pain.clinician if active else None


@record(eq=True, frozen=True)
class Decision:
    """The race-day call: 'race', 'run-walk' or 'dont-start', why, and what to do."""

    call: str
    label: str
    reasons: list[str]
    advice: str
    provisional: bool  # asked before the day before the race: things can still change


def longest_pain_free_run(plan: Plan, today: date, window_days: int, rules: Rules) -> int:
    """Minutes of the longest ticked run in the window whose day's pain stayed green."""
    start = today - timedelta(days=window_days)
    longest = 0
    for day in plan.days:
        if not start <= day.date <= today:
            continue
        if day.pain is not None and rules.pain.band(day.pain) != "green":
            continue
        for task in day.tasks:
            if task.category == Category.RUN and task.done and task.minutes:
                longest = max(longest, task.minutes)
    return longest


def decide(plan: Plan, today: date, rules: Rules | None = None) -> Decision:
    """Make the race-day call from the gate, recent runs and pain, and the injury's age."""
    from planner.engine import injury_class  # not needed for the plan screen's first frame

    rules = rules or load_rules()
    dr = rules.decision
    blockers: list[str] = []
    reasons: list[str] = []

    gates = [d for d in plan.days if d.gate is not None and d.date <= today]
    if gates and gates[-1].gate.passed:
        reasons.append(f"Run gate passed on {short_date(gates[-1].date)}.")
    elif gates:
        blockers.append(f"The run gate was not passed ({short_date(gates[-1].date)}).")
    else:
        blockers.append("No run gate recorded yet: test the calf first (planner gate).")

    expected = rules.distances[plan.distance].expected_minutes
    needed = math.ceil(dr.race_fraction * expected)
    longest = longest_pain_free_run(plan, today, dr.window_days, rules)
    long_enough = longest >= needed
    reasons.append(
        f"Longest pain-free run in the last {dr.window_days} days: {longest} min; racing "
        f"needs {needed} min ({round(dr.race_fraction * 100)}% of about {expected} min)."
    )

    logged = [d for d in plan.days if d.date <= today and d.pain is not None]
    pain = logged[-1].pain if logged else None
    if pain is None:
        reasons.append("No pain logged yet: log today's pain for a full call.")
    else:
        reasons.append(f"Latest pain: {pain}/10 ({short_date(logged[-1].date)}).")
    recent = today - timedelta(days=dr.window_days)
    if any(d.at_rest for d in plan.days if recent <= d.date <= today):
        blockers.append("Pain at rest or at night was noted.")
    if clinician_warning(plan, today, rules):
        blockers.append("The pain log calls for a clinician first.")
    if plan.safety is not None and plan.safety.flags and not plan.safety.clinician_cleared:
        blockers.append("A red flag was answered yes and not cleared by a clinician.")
    age = (plan.race_date - plan.injury_date).days
    if injury_class(plan.injury, plan.grade) == "grade2" and age < dr.grade2_min_days:
        blockers.append(
            f"A grade 2 strain is {age} days old on race day; under {dr.grade2_min_days} "
            "days is too soon."
        )
    if pain is not None and pain > rules.pain.green_max:
        blockers.append(f"Pain of {pain}/10 is above {rules.pain.green_max}.")

    if blockers:
        call = "dont-start"
    elif pain is not None and pain <= 1 and long_enough:
        call = "race"
    else:
        call = "run-walk"
    text = dr.calls[call]
    provisional = today < plan.race_date - timedelta(days=1)
    return Decision(call, text.label, blockers + reasons, text.advice, provisional)
