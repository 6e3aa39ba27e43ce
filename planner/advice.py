"""What the plan tells the runner from their log: see a clinician, and the race-day call.

Pure functions of a plan and `today`; the thresholds and words are in the protocol data.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import msgspec

from planner.dates import short_date
from planner.model import Day, Distance, InjuryKind, Plan, Task
from planner.rules import RedFlag, Rules, load_rules
from planner.words import plural

FLAG_CHECKS = ("red-flags", "red-flags-again")

# Only an emergency's advice gets a label in front. A non-emergency's advice begins by
# saying who to see and when ("See a doctor today: ..."), so a "See a clinician: " label
# before it said it twice.
EMERGENCY_LABEL = "EMERGENCY: "


def red_flag_advice(flag: RedFlag) -> str:
    """What a yes to a red flag means, as one line both front ends show:
    "EMERGENCY: Go to an emergency department now: ..." or, as the protocol words it,
    "See a clinician: a calf you can't stand on needs an examination first."."""
    return (EMERGENCY_LABEL if flag.emergency else "") + flag.advice


def _flags_checked(plan: Plan, today: date) -> bool:
    """Whether the runner ticked a red-flag check (none of them applies) by `today`."""
    return any(
        task.done and task.id in FLAG_CHECKS
        for day in plan.days
        if day.date <= today
        for task in day.tasks
    )


def clinician_warning(plan: Plan, today: date, rules: Rules | None = None) -> str | None:
    """The see-a-clinician warning if the pain log calls for one, else None.

    Set by two red days in a row or by pain at rest; it clears only after two days in a
    row logged below the protocol's threshold (5) without pain at rest (protocol 2: one
    calm day between red ones is not yet a recovery).
    """
    rules = rules or load_rules()
    active = False
    previous_red: date | None = None
    last_calm: date | None = None  # the latest calm day of an unbroken run of calm days
    for day in plan.days:
        if day.date > today:
            break
        if day.pain is None and not day.at_rest:
            continue
        red = day.pain is not None and rules.pain.band(day.pain) == "red"
        calm = day.pain is not None and day.pain < rules.pain.clear_below and not day.at_rest
        if day.at_rest or (red and previous_red == day.date - timedelta(days=1)):
            active = True
        elif calm and active and last_calm == day.date - timedelta(days=1):
            active = False
        last_calm = day.date if calm else None
        previous_red = day.date if red else None
    return rules.pain.clinician if active else None


class Decision(msgspec.Struct, frozen=True):
    """The race-day call: 'race', 'run-walk' or 'dont-start', why, and what to do.

    `reasons` come in order of weight: first what keeps the runner from a better call.
    `if_you_start` is set only for a don't-start. The numbers are L, E and N of the
    protocol's rule (domain.md, "The race-day call"), for anything that shows them.
    """

    call: str
    label: str
    reasons: list[str]
    advice: str
    provisional: bool  # asked before the day before the race: things can still change
    if_you_start: str | None = None
    longest_minutes: int = 0  # L: the longest done, pain-free run in the window
    expected_minutes: int = 0  # E: the expected race time
    runs_since_gate: int = 0  # N: runs done since the passed gate


class _Check(msgspec.Struct, frozen=True, eq=False):
    """One condition of the call: whether it allows racing, whether it allows run-walk,
    and the reason as the runner reads it."""

    race: bool
    run_walk: bool
    text: str


def expected_minutes(plan: Plan, rules: Rules | None = None) -> tuple[int, bool]:
    """E, the expected race time in minutes, and whether the runner gave it.

    From `[plan] finish_minutes` when the plan has a usable one (a whole number of at least
    a minute), else the distance's typical finish time from the protocol.
    """
    rules = rules or load_rules()
    given = getattr(plan, "finish_minutes", None)  # a later schema adds it; absent until then
    if isinstance(given, int) and not isinstance(given, bool) and given >= 1:
        return given, True
    return rules.distances[plan.distance].expected_minutes, False


def _strain_thresholds(plan: Plan) -> bool:
    """Whether racing needs L's share of E and the strain's count of runs: always but for a
    cramp that isn't recurrent (a recurrent cramp is held to the strain rules)."""
    return plan.injury != InjuryKind.CRAMP or bool(getattr(plan, "recurrent", False))


def _last_full_strides(plan: Plan, today: date, rules: Rules) -> date | None:
    """The latest day in the last `sprint_days` days (race day not counted) whose strides at
    the last effort of the sprint steps (90%) were done on a day logged pain-free."""
    dr = rules.decision
    last = rules.running.sprint[-1]
    first = today - timedelta(days=dr.sprint_days - 1)
    found = None
    for day in _counted_days(plan, first, today):
        if day.pain is None or day.pain > dr.pain_free_max or day.at_rest:
            continue
        for task in day.tasks:
            if task.run_done and _titled_as(task.title, last.title) and _run_whole(task):
                found = day.date
    return found


def _titled_as(title: str, template: str) -> bool:
    """Whether `title` is `template` with its `{minutes}` filled in by any whole number: a
    run's minutes may have been changed since (what was run), its title stays the step's."""
    head, placeholder, tail = template.partition("{minutes}")
    if not placeholder:
        return title == template
    middle = title[len(head) : len(title) - len(tail)]
    return (
        len(title) > len(head) + len(tail)
        and title.startswith(head)
        and title.endswith(tail)
        and middle.isascii()
        and middle.isdigit()
    )


def _run_whole(task: Task) -> bool:
    """Whether a run was run as long as planned (or its minutes weren't given): strides cut
    short may not have been run at all. domain.md is silent; this is the cautious reading."""
    if task.actual_minutes is None or task.minutes is None:
        return True
    return task.actual_minutes >= task.minutes


def _ran(task: Task) -> bool:
    """A run done with some running in it: one ticked with 0 minutes run is not a run."""
    return task.run_done and task.run_minutes != 0


def _counted_days(plan: Plan, first: date, today: date) -> list[Day]:
    """The days from `first` to `today` whose runs count toward the call: the race day's
    own tasks (its warm-up) are the race, not a run toward it, and days after it neither."""
    return [d for d in plan.days if first <= d.date <= today and d.date < plan.race_date]


def longest_pain_free_run(plan: Plan, today: date, rules: Rules | None = None) -> int:
    """L: minutes of the longest run in the call's window that was done and pain-free.

    Pain-free means the day's pain was logged within the protocol's pain-free band and no
    pain at rest was noted; a day without a pain log is not known to be pain-free, so its
    runs don't count. A walk-run counts its whole minutes; a run counts the minutes the
    runner said they ran (`actual_minutes`) where given, else the plan's.
    """
    rules = rules or load_rules()
    dr = rules.decision
    first = today - timedelta(days=dr.window_days - 1)
    longest = 0
    for day in _counted_days(plan, first, today):
        if day.pain is None or day.pain > dr.pain_free_max or day.at_rest:
            continue
        for task in day.tasks:
            if task.run_done and task.run_minutes:
                longest = max(longest, task.run_minutes)
    return longest


def decide(plan: Plan, today: date, rules: Rules | None = None) -> Decision:
    """Make the race-day call of protocol 2 from the gate, the runs done, pain and safety.

    Race, run-walk or don't start, each with its reasons (L against E in minutes) and what
    to do on the day. Every condition must be shown to hold: missing data (no gate, no
    pain log in the last days, a run without that day's pain) never lets a runner start.
    """
    rules = rules or load_rules()
    dr = rules.decision
    texts = dr.texts
    checks: list[_Check] = []

    def check(race: bool, run_walk: bool, key: str, **values: object) -> None:
        checks.append(_Check(race, run_walk, texts[key].format(**values)))

    # The latest gate decides: a pass followed by a failed retest is not a pass.
    gates = [d for d in plan.days if d.gate is not None and d.date <= today]
    gate_day = gates[-1] if gates and gates[-1].gate.passed else None
    if gate_day is not None:
        check(True, True, "gate_passed", date=short_date(gate_day.date))
    elif gates:
        check(False, False, "gate_failed", date=short_date(gates[-1].date))
    else:
        check(False, False, "gate_none")

    logged = [d for d in plan.days if d.date <= today and d.pain is not None]
    latest = logged[-1] if logged else None
    if latest is not None and (today - latest.date).days <= dr.log_max_age_days:
        check(
            latest.pain <= dr.race_max_pain,
            latest.pain <= dr.run_walk_max_pain,
            "pain",
            pain=latest.pain,
            date=short_date(latest.date),
            race_max_pain=dr.race_max_pain,
            run_walk_max_pain=dr.run_walk_max_pain,
        )
    elif latest is not None:
        days = plural(dr.log_max_age_days, "day")
        check(False, False, "pain_stale", pain=latest.pain, date=short_date(latest.date), days=days)
    else:
        check(False, False, "pain_none", days=plural(dr.log_max_age_days, "day"))

    rest_from = today - timedelta(days=dr.rest_days - 1)
    at_rest = [d for d in plan.days if rest_from <= d.date <= today and d.at_rest]
    if at_rest:
        check(False, False, "at_rest", date=short_date(at_rest[-1].date))
    if clinician_warning(plan, today, rules):
        check(False, False, "clinician")
    if plan.safety is not None and plan.safety.flags and not plan.safety.clinician_cleared:
        check(False, False, "red_flag")
    if plan.safety is not None and not plan.safety.answered and not _flags_checked(plan, today):
        # Made without a terminal: the questions were shown, never answered; a ticked
        # red-flag check task is the answer ("none applies"). Missing data is never permissive.
        check(False, False, "red_flag_unanswered")
    # A strain of any grade but 1 is held to grade 2's rule: when unsure, the more severe.
    age = (plan.race_date - plan.injury_date).days
    if plan.injury == InjuryKind.STRAIN and plan.grade != 1 and age < dr.grade2_min_days:
        check(
            False,
            False,
            "grade2",
            age=plural(age, "day"),
            min_days=plural(dr.grade2_min_days, "day"),
        )

    expected, given = expected_minutes(plan, rules)
    # Rounded up, and at least a minute: a threshold is never loosened by rounding, and
    # no call but don't-start comes without a pain-free run.
    race_needs = max(1, math.ceil(dr.race_fraction * expected))
    walk_needs = max(1, math.ceil(dr.run_walk_fraction * expected))
    longest = longest_pain_free_run(plan, today, rules)
    if given:
        expected_words = texts["expected_given"].format(expected=expected)
    else:
        label = rules.distances[plan.distance].label
        expected_words = texts["expected_typical"].format(expected=expected, distance=label)
    numbers = {
        "window": plural(dr.window_days, "day"),
        "longest": longest,
        "race_needs": race_needs,
        "race_percent": round(dr.race_fraction * 100),
        "run_walk_needs": walk_needs,
        "run_walk_percent": round(dr.run_walk_fraction * 100),
        "expected_words": expected_words,
    }
    strain = _strain_thresholds(plan)
    if plan.distance == Distance.SPRINT:
        # All-out from the gun: the 90% strides are the test, and there is no run-walk.
        ready = _last_full_strides(plan, today, rules)
        if ready is not None:
            days = plural(dr.sprint_days, "day")
            text = texts["sprint_ready"].format(date=short_date(ready), days=days)
        else:
            text = texts["sprint_not_ready"].format(days=plural(dr.sprint_days, "day"))
        race_ok = walk_ok = ready is not None
    elif strain:
        race_ok, walk_ok = longest >= race_needs, longest >= walk_needs
        text = texts["longest"].format(**numbers)
        gaps = {
            **numbers,
            "race_gap": race_needs - longest,
            "run_walk_gap": walk_needs - longest,
        }
        # How far L is from each threshold, in minutes: the load rules, not the call,
        # decide how fast runs may grow, so the call only says how far there is to go.
        if not walk_ok:
            text += " " + texts["short_both"].format(**gaps)
        elif not race_ok:
            text += " " + texts["short_race"].format(**gaps)
    else:
        race_ok, walk_ok = longest >= 1, longest >= walk_needs
        text = texts["longest_cramp"].format(**numbers)
    checks.append(_Check(race_ok, walk_ok, text))

    first = today - timedelta(days=dr.window_days - 1)
    unlogged = [
        short_date(d.date)
        for d in _counted_days(plan, first, today)
        if d.pain is None and any(t.run_done for t in d.tasks)
    ]
    if unlogged:
        # Beside the L line, with its weight, so the two read together.
        check(race_ok, walk_ok, "unlogged", dates=", ".join(unlogged))

    runs = 0
    if gate_day is not None:
        after_gate = _counted_days(plan, gate_day.date + timedelta(days=1), today)
        runs = sum(_ran(t) for d in after_gate for t in d.tasks)
        if strain:
            check(
                runs >= dr.race_runs,
                runs >= dr.run_walk_runs,
                "runs",
                runs=runs,
                race_runs=dr.race_runs,
                run_walk_runs=dr.run_walk_runs,
            )
        else:
            check(
                runs >= dr.cramp_runs,
                runs >= dr.run_walk_runs,
                "runs_cramp",
                runs=runs,
                cramp_runs=dr.cramp_runs,
                run_walk_runs=dr.run_walk_runs,
            )

    # The call is what every check allows; the gate check is always there, so an empty
    # list can't make a start.
    if all(c.race for c in checks):
        call = "race"
    elif all(c.run_walk for c in checks) and plan.distance != Distance.SPRINT:
        call = "run-walk"  # a sprint has none: racing it is all-out from the gun
    else:
        call = "dont-start"
    # What stands in the way of a better call first; sorted() keeps each group's order.
    if call == "dont-start":
        checks = sorted(checks, key=lambda c: (c.run_walk, c.race))
    elif call == "run-walk":
        checks = sorted(checks, key=lambda c: c.race)
    text = dr.calls[call]
    return Decision(
        call=call,
        label=text.label,
        reasons=[c.text for c in checks],
        advice=text.advice,
        provisional=today < plan.race_date - timedelta(days=1),
        if_you_start=text.if_you_start if call == "dont-start" else None,
        longest_minutes=longest,
        expected_minutes=expected,
        runs_since_gate=runs,
    )
