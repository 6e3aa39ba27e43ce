"""Change a plan's inputs after it was made: the race moved, the grade was wrong, the finish
time changed. Pure: no I/O, and `today` is an argument.

An edit is the plan's new inputs and the day the plan is laid out again from (`Edit`). The
days from there are re-laid by the engine exactly as a re-plan after a pain log lays them:
from the plan's inputs (now the new ones) and what the runner logged (pain, gates), so the
safety rules (the gate, the pain rules, the taper, the race-day call) hold on an edited plan
as on a new plan with the same inputs and history. One thing differs: the days before the
edit were laid out for the old inputs, so the load rules count the runs done as they are on
file (`engine.History.ran`): after a race moved a month later mid-taper, the next long run
grows from the taper's short runs, not from the build-up the new inputs would have had.

What the runner did or wrote is never lost: past days stay exactly as they were, and on
the days re-laid the engine's merge keeps ticks, skips, pain logs, notes, gate results and
the runner's own tasks.

What can change: the race date, the grade, the muscle, the side, the distance, the finish
time and the name. The injury date and the kind of injury can't: they define the days
already lived (day 0 is the injury; a cramp's days are not a strain's), so a plan for
another injury is a new plan.
"""

from __future__ import annotations

from datetime import date

import msgspec

from planner.dates import long_date
from planner.model import Day, InjuryKind, Plan, PlanInputs

# The inputs an edit may change, in the order the front ends list them; only the name
# changes nothing on the days.
EDITABLE = ("race_date", "grade", "muscle", "side", "distance", "finish_minutes", "name")
FIXED = {
    "injury_date": "the injury date can't change: it is day 0 of every day already lived; "
    "for another injury, make a new plan",
    "injury": "the kind of injury can't change: the days already lived were laid out for it; "
    "for a cramp that turned out a strain, make a new plan",
    "recurrent": "whether cramps keep coming back can't change here; make a new plan",
}


class Edit(msgspec.Struct, frozen=True):
    """A checked change of a plan's inputs.

    `inputs` are the new inputs, normalised as a new plan's are; `warning` the plan's
    warning for them (what is certain from today, as for a new plan made today); `start`
    the first day laid out again, or None when only the name changes (nothing on the days
    does).
    """

    inputs: PlanInputs
    warning: str | None
    start: date | None

    def changed(self, plan: Plan) -> list[str]:
        """The inputs this edit changes on `plan`, by field name, in EDITABLE's order."""
        old = plan.inputs
        return [f for f in EDITABLE if getattr(old, f) != getattr(self.inputs, f)]


def plan_edit(plan: Plan, inputs: PlanInputs, today: date) -> Edit:
    """Check new inputs for `plan` as a new plan's are checked, and say where the days are
    laid out again from. InputError (its `field` names the input) when they can't be:

    - the injury date, the kind of injury or recurrent cramps differ (FIXED says why);
    - the race moves while its day is already past: that race was run (or not started),
      and a new race is a new plan;
    - anything but the name changes after the plan's last day: there is no day left to
      lay out, and the inputs must keep saying how the days on file were laid out;
    - the new inputs fail the engine's own checks (a race in the past, grade 3, a finish
      time out of range...), checked on `today`, or on race day when the race, unchanged,
      is past (a grade put right after the race).
    """
    from planner.engine import InputError, build_plan, validate_inputs

    old = plan.inputs
    for field, why in FIXED.items():
        if getattr(inputs, field) != getattr(old, field):
            raise InputError(field, why)
    if inputs.race_date != old.race_date and old.race_date < today:
        raise InputError(
            "race_date",
            f"the race on {long_date(old.race_date)} is past and stays in the plan's "
            "history; for the next race, make a new plan",
        )
    if inputs.injury == InjuryKind.CRAMP and inputs.grade is not None:
        # The engine's own line would say "or choose a strain", which an edit can't.
        raise InputError("grade", "a cramp has no grade; " + FIXED["injury"])
    past_race = inputs.race_date < today and inputs.race_date == old.race_date
    checked = validate_inputs(inputs, inputs.race_date if past_race else today)
    moved = [f for f in EDITABLE if f != "name" and getattr(checked, f) != getattr(old, f)]
    if not moved:
        return Edit(checked, plan.warning, None)
    if plan.days and today > plan.last_date:
        raise InputError(
            moved[0],
            f"the plan ended on {long_date(plan.last_date)}; with no day left to lay out, "
            "only its name can change",
        )
    # The warning says what is certain from now on, as it would for a plan made today with
    # these inputs. Once the race is past it stays as it was: it spoke of that race.
    warning = plan.warning if past_race else build_plan(checked, today).warning
    start = max(today, plan.first_date) if plan.days else today
    return Edit(checked, warning, start)


def holds_runner_entries(day: Day) -> bool:
    """Whether a day holds anything of the runner's: a tick, a skip, a task of their own,
    a pain log, a note, pain at rest, a gate result, a note on a task, or keys added by
    hand. Such a day is never dropped."""
    if day.pain is not None or day.note or day.at_rest or day.gate is not None or day.extra:
        return True
    return any(
        t.done
        or t.skip is not None
        or t.custom
        or t.extra
        or t.note
        or t.actual_minutes is not None
        for t in day.tasks
    )


def set_inputs(plan: Plan, inputs: PlanInputs, warning: str | None, start: date | None) -> None:
    """Put new inputs (checked by `plan_edit`) into `plan`, and make ready to lay the days
    out again from `start` (the Replan that follows does it).

    The days after `start` at the end of the plan that hold nothing of the runner's are
    dropped first: the re-plan lays out again as many as the new inputs need. A day that
    holds an entry of the runner's stays, and so does every day before it (a race moved
    earlier keeps the days after it, as days after the race): nothing they wrote is lost.
    OpError when the plan's injury is not the one the edit was made for (another program
    changed it since).
    """
    from planner.ops import OpError

    old = plan.inputs
    if any(getattr(inputs, field) != getattr(old, field) for field in FIXED):
        raise OpError("the plan's injury changed elsewhere since")
    for field in EDITABLE:
        setattr(plan, field, getattr(inputs, field))
    plan.warning = warning
    if start is None:
        return
    keep = len(plan.days)
    while keep > 0 and plan.days[keep - 1].date > start:
        if holds_runner_entries(plan.days[keep - 1]):
            break
        keep -= 1
    del plan.days[keep:]
