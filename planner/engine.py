"""Build a plan from the runner's inputs: pure, deterministic, no I/O and no clock.

`build_plan(inputs, today)` lays out every day from the injury to the last day after the
race: its phase (protect, recover, rebuild, taper, race, after), the run gate, the
walk-run ladder and easy runs, the taper's cut, and every task template of the protocol
(`planner/rules/protocol.toml`) whose conditions hold that day. Same inputs, same plan.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from planner.model import (
    Category,
    Day,
    Distance,
    InjuryKind,
    Phase,
    Plan,
    PlanInputs,
    Side,
    SkipReason,
    Task,
    clean_text,
)
from planner.rules import Condition, Rules, Template, load_rules

MAX_DAYS_TO_RACE = 365
MAX_NAME = 100
# What a re-plan lays out at most. A new plan's race is at most MAX_DAYS_TO_RACE days out;
# a plan file may say up to a day more (store.MAX_RACE_DAYS), and the protocol adds up to
# a week after the race. A plan that says more (a file edited past the store's checks, a
# Plan built in code) is refused before anything is laid out: a race in the year 9999
# would otherwise mean millions of days, minutes of work and gigabytes.
MAX_RACE_OFFSET = MAX_DAYS_TO_RACE + 1
MAX_LAYOUT_DAYS = 400
# The years a plan's dates may fall in: the store refuses a file with any other
# (store.FIRST_YEAR, store.LAST_YEAR), so a plan outside them is never made.
FIRST_YEAR, LAST_YEAR = 1970, 2200


class InputError(ValueError):
    """An input the engine cannot plan for; `field` names it, the message says what is allowed."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def injury_class(injury: InjuryKind, grade: int | None) -> str:
    """The protocol's injury class: 'cramp', 'grade1' or 'grade2'."""
    return "cramp" if injury == InjuryKind.CRAMP else f"grade{grade}"


def _enum(enum: type, value: object, field: str, what: str):
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(m.value for m in enum)
        raise InputError(field, f"'{value}' is not {what}; use {allowed}") from None


def validate_inputs(inputs: PlanInputs, today: date, rules: Rules | None = None) -> PlanInputs:
    """Check inputs against `today`; return them normalised or raise InputError."""
    rules = rules or load_rules()
    injury = _enum(InjuryKind, inputs.injury, "injury", "an injury kind")
    side = None if inputs.side is None else _enum(Side, inputs.side, "side", "a side")
    distance = _enum(Distance, inputs.distance, "distance", "a race distance")
    grade = inputs.grade
    if injury == InjuryKind.STRAIN:
        if grade == 3:
            raise InputError("grade", rules.grade3_advice)
        if grade not in (1, 2) or isinstance(grade, bool):
            raise InputError("grade", f"'{grade}' is not a grade; a strain is grade 1 or 2")
    elif grade is not None:
        raise InputError("grade", "a cramp has no grade; leave it out or choose a strain")
    injury_date, race_date = inputs.injury_date, inputs.race_date
    if injury_date > today:
        raise InputError(
            "injury_date",
            f"{injury_date} is after today ({today}); the injury must have happened already",
        )
    if race_date < injury_date:
        raise InputError(
            "race_date", f"{race_date} is before the injury ({injury_date}); check the two dates"
        )
    if race_date < today:
        raise InputError(
            "race_date", f"{race_date} is in the past; the race must be today or later"
        )
    span = (race_date - injury_date).days
    if span > MAX_DAYS_TO_RACE:
        raise InputError(
            "race_date",
            f"{race_date} is {span} days after the injury; a plan covers at most "
            f"{MAX_DAYS_TO_RACE} days to the race",
        )
    if injury_date.year < FIRST_YEAR:
        raise InputError("injury_date", f"{injury_date} is before {FIRST_YEAR}; check the year")
    after = rules.distances[distance].after_days
    if race_date.year > LAST_YEAR or (race_date + timedelta(days=after)).year > LAST_YEAR:
        raise InputError(
            "race_date", f"{race_date} is too far ahead; a plan's days end by {LAST_YEAR}-12-31"
        )
    name = " ".join(clean_text(inputs.name).split())
    if len(name) > MAX_NAME:
        raise InputError("name", f"is {len(name)} characters long; use at most {MAX_NAME}")
    if not name:
        name = f"{rules.distances[distance].label.capitalize()} {race_date.day} {race_date:%b %Y}"
    return PlanInputs(injury_date, race_date, injury, grade, side, distance, name)


@dataclass(eq=False)  # plain records: generated eq/hash/frozen cost import time
class _Run:
    """One scheduled run: the template it is drawn from and its minutes."""

    template: Template
    minutes: int
    easy: bool  # past the walk-run ladder


@dataclass(eq=False)
class History:
    """What the runner logged that the plan adapts to, by day index since the injury.

    `pain` holds each logged score up to today (a task skipped for pain counts as at least
    amber); `gates` holds each recorded run-gate result. The empty history is the plan as
    first laid out: every gate passed on time, every day green.
    """

    pain: dict[int, int]
    gates: dict[int, bool]

    @classmethod
    def empty(cls) -> History:
        return cls({}, {})

    @classmethod
    def of(cls, plan: Plan, today: date, rules: Rules) -> History:
        """Read the history of a plan up to and including `today`."""
        pain: dict[int, int] = {}
        gates: dict[int, bool] = {}
        for index, day in enumerate(plan.days):
            if day.date > today:
                break
            score = day.pain
            if any(t.skip == SkipReason.PAIN for t in day.tasks):
                score = max(score or 0, rules.pain.green_max + 1)
            if score is not None:
                pain[index] = score
            if day.gate is not None:
                gates[index] = day.gate.passed
        return cls(pain, gates)


@dataclass(eq=False)
class _Layout:
    """Where the plan's landmarks fall, in days since the injury."""

    race: int
    protect_days: int
    gate: int | None  # the day of the (next) run gate, or the passed one
    taper_days: int
    after_days: int
    runs: dict[int, _Run]
    swaps: dict[int, int]  # run days turned into walking or cycling by pain: minutes


def _gate_day(race: int, protect: int, typical: int, history: History, rules: Rules) -> int | None:
    """The run gate: the typical return day or race-2 if sooner, never inside protect.

    A recorded pass fixes it on that day; a fail sets a retest a few days later; a red
    pain day before the gate pushes it back the same way.
    """
    retest = rules.gate_test.retest_after_days
    since = -1
    if history.gates:
        last = max(history.gates)
        if history.gates[last]:
            return last if last < race else None
        gate, since = last + retest, last
    else:
        gate = min(typical, race - 2)
    moved = True
    while moved:
        moved = False
        for day, score in history.pain.items():
            if since < day < gate and rules.pain.band(score) == "red" and gate < day + retest:
                gate, moved = day + retest, True
    gate = max(gate, protect)
    return gate if gate < race else None


def _run_at(level: int, rules: Rules, distance: Distance) -> _Run:
    """The run for a level of the progression: the ladder's steps, then easy and long runs."""
    running = rules.running
    caps = rules.distances[distance]
    ladder = running.ladder
    if level < len(ladder):
        return _Run(ladder[level], ladder[level].minutes, easy=level == len(ladder) - 1)
    step = level - len(ladder)
    weeks = (2 * (step + 1)) // running.step_every_days  # runs fall on alternate days
    start = ladder[-1].minutes
    if (step + 1) % running.long_every == 0:
        long_minutes = round(start * running.long_factor) + running.long_step * weeks
        return _Run(running.long, max(start, min(caps.long_cap, long_minutes)), easy=True)
    easy_minutes = min(caps.easy_cap, start + running.easy_step * weeks)
    return _Run(running.easy, max(start, easy_minutes), easy=True)


def _runs(
    first: int, race: int, history: History, rules: Rules, distance: Distance
) -> tuple[dict[int, _Run], dict[int, int]]:
    """Runs on alternate days from `first`, each a level up while pain stays green.

    Amber holds (the next run repeats its level) and turns the next day's run into
    walking or cycling; red steps back a level and does the same.
    """
    runs: dict[int, _Run] = {}
    swaps: dict[int, int] = {}
    level, last = 0, None
    swap_next = False
    for day in range(first - 1, race):
        if day >= first and (day - first) % 2 == 0:
            if swap_next:
                swaps[day] = _run_at(level, rules, distance).minutes
            else:
                runs[day] = _run_at(level, rules, distance)
                last, level = level, level + 1
        swap_next = False
        score = history.pain.get(day)
        if score is None:
            continue
        band = rules.pain.band(score)
        if band == "amber":
            level, swap_next = (last if last is not None else 0), True
        elif band == "red":
            level, swap_next = max(0, (last if last is not None else 0) - 1), True
    return runs, swaps


def _taper_runs(runs: dict[int, _Run], layout: _Layout, rules: Rules) -> dict[int, _Run]:
    """Reshape the runs of the taper's days: cut volume when the plan allows it.

    Long runs become easy runs. When the T days before the taper all lie after the gate,
    the taper's run minutes are cut to about half of theirs (never less than the minimum
    cut); otherwise running resumed too late and nothing is cut. The day before the race is
    a short shake-out once the ladder is done; up to two easy runs get strides.
    """
    running, taper = rules.running, rules.taper
    race, t = layout.race, layout.taper_days
    start = race - t
    out = dict(runs)
    taper_days = sorted(d for d in runs if d >= start)
    # No more growth in the taper: easy runs hold at the last easy run before it.
    hold = max(
        (r.minutes for d, r in runs.items() if d < start and r.template is running.easy),
        default=running.ladder[-1].minutes,
    )
    for day in taper_days:
        run = runs[day]
        if run.template in (running.long, running.easy):
            out[day] = _Run(running.easy, min(run.minutes, hold), easy=True)
    if race - 1 in out and out[race - 1].easy:
        out[race - 1] = _Run(running.shakeout, running.shakeout.minutes, easy=True)

    pre = sum(r.minutes for d, r in runs.items() if start - t <= d < start)
    # No cut when running resumed too late, or when pain turned those runs into walks.
    if layout.gate is not None and race - 2 * t > layout.gate and pre > 0:
        limit = (1 - taper.min_cut) * pre
        fixed = sum(out[d].minutes for d in taper_days if out[d].template is running.shakeout)
        scalable = [d for d in taper_days if out[d].template is not running.shakeout]
        total = sum(out[d].minutes for d in scalable)
        budget = (1 - taper.target_cut) * pre - fixed
        for day in scalable:
            # Whole five minutes read better than 31 min; the floor keeps the cut honest.
            minutes = math.floor(out[day].minutes * budget / total / 5) * 5 if total else 0
            out[day] = _Run(out[day].template, max(taper.min_run_minutes, minutes), out[day].easy)
        # Guarantee the cut whatever the data says: trim the longest, then drop the earliest.
        while sum(out[d].minutes for d in taper_days if d in out) > limit:
            kept = [d for d in taper_days if d in out]
            longest = max(kept, key=lambda d: (out[d].minutes, -d))
            if out[longest].minutes > taper.min_run_minutes:
                run = out[longest]
                out[longest] = _Run(run.template, run.minutes - 1, run.easy)
            else:
                del out[kept[0]]

    strides = 0
    previous = max((r.minutes for d, r in runs.items() if d < start), default=0)
    for day in taper_days:
        run = out.get(day)
        if run is None:
            continue
        if (
            strides < 2
            and run.template is running.easy
            and race - day >= 3
            and run.minutes <= previous
        ):
            out[day] = _Run(running.strides, run.minutes, easy=True)
            strides += 1
        previous = run.minutes
    return out


def _layout(inputs: PlanInputs, rules: Rules, history: History) -> _Layout:
    kind = rules.kinds[injury_class(inputs.injury, inputs.grade)]
    distance = rules.distances[inputs.distance]
    race = (inputs.race_date - inputs.injury_date).days
    # The one gate before any loop over the plan's days (runs, taper, days): build_plan
    # and every re-plan come through here.
    if not 0 <= race <= MAX_RACE_OFFSET or race + distance.after_days + 1 > MAX_LAYOUT_DAYS:
        raise InputError(
            "race_date",
            f"{inputs.race_date} is {race} days after the injury ({inputs.injury_date}); "
            f"a plan is laid out for a race 0-{MAX_RACE_OFFSET} days after it",
        )
    gate = _gate_day(race, kind.protect_days, kind.gate_day, history, rules)
    layout = _Layout(
        race=race,
        protect_days=kind.protect_days,
        gate=gate,
        taper_days=distance.taper_days,
        after_days=distance.after_days,
        runs={},
        swaps={},
    )
    if gate is None or gate + 1 >= race:
        return layout
    runs, swaps = _runs(gate + 1, race, history, rules, inputs.distance)
    return replace(layout, runs=_taper_runs(runs, layout, rules), swaps=swaps)


def _phase(day: int, layout: _Layout) -> Phase:
    if day == layout.race:
        return Phase.RACE
    if day > layout.race:
        return Phase.AFTER
    if day < layout.protect_days:
        return Phase.PROTECT
    if layout.gate is None or day <= layout.gate:
        return Phase.RECOVER
    return Phase.TAPER if day >= layout.race - layout.taper_days else Phase.REBUILD


@dataclass(eq=False)
class _DayContext:
    day: int
    race_offset: int
    phase: Phase
    kind: str
    distance: Distance
    run_day: bool  # a run is scheduled (or was, before pain turned it into a walk)
    gate_day: bool
    plan_day: bool


def matches(when: Condition, ctx: _DayContext) -> bool:
    """Whether a template's or a never rule's condition holds on a day."""
    if when.phases is not None and ctx.phase not in when.phases:
        return False
    if when.kinds is not None and ctx.kind not in when.kinds:
        return False
    if when.distances is not None and ctx.distance not in when.distances:
        return False
    if when.from_day is not None and ctx.day < when.from_day.get(ctx.kind, math.inf):
        return False
    if when.until_day is not None and ctx.day > when.until_day.get(ctx.kind, -math.inf):
        return False
    if when.from_race is not None and ctx.race_offset < when.from_race:
        return False
    if when.until_race is not None and ctx.race_offset > when.until_race:
        return False
    if when.run_day is not None and ctx.run_day != when.run_day:
        return False
    if when.gate_day is not None and ctx.gate_day != when.gate_day:
        return False
    return when.plan_day is None or ctx.plan_day == when.plan_day


def _fill(text: str, values: dict[str, str]) -> str:
    return text.format_map(values)


def _task(template: Template, values: dict[str, str], minutes: int | None = None) -> Task:
    filled = {**values, "minutes": str(minutes if minutes is not None else template.minutes)}
    return Task(
        id=template.id,
        category=template.category,
        title=_fill(template.title, filled),
        dose=_fill(template.dose, filled),
        why=_fill(template.why, filled),
        minutes=minutes if minutes is not None else template.minutes,
        sets=template.sets,
        reps=template.reps,
        hold_s=template.hold_s,
    )


def forbidden(task: Task, ctx: _DayContext, rules: Rules) -> bool:
    """Whether a protocol `never` rule forbids this task on this day."""
    return any(task.category in rule.categories and matches(rule.when, ctx) for rule in rules.never)


def _values(inputs: PlanInputs, rules: Rules) -> dict[str, str]:
    side = inputs.side.value if inputs.side else "sore"
    label = rules.distances[inputs.distance].label
    return {"side": side, "calf": f"{side} calf", "distance": label}


def _make_days(
    inputs: PlanInputs,
    layout: _Layout,
    rules: Rules,
    plan_day: int | None,
    start: int = 0,
) -> list[Day]:
    """Lay out the days from index `start` to the end of the plan."""
    kind = injury_class(inputs.injury, inputs.grade)
    values = _values(inputs, rules)
    used_once = {
        index
        for index, template in enumerate(rules.tasks)
        if template.once
        and any(
            matches(template.when, _context(n, inputs, layout, kind, plan_day))
            for n in range(start)
        )
    }
    days = []
    for n in range(start, layout.race + layout.after_days + 1):
        ctx = _context(n, inputs, layout, kind, plan_day)
        first: list[Task] = []
        rest: list[Task] = []
        for index, template in enumerate(rules.tasks):
            if index in used_once or not matches(template.when, ctx):
                continue
            if template.once:
                used_once.add(index)
            (first if template.when.plan_day else rest).append(_task(template, values))
        if ctx.gate_day:
            first.append(_task(rules.gate, values))
        if n in layout.runs:
            run = layout.runs[n]
            first.append(_task(run.template, values, run.minutes))
        elif n in layout.swaps:
            first.append(_task(rules.pain.swap, values, layout.swaps[n]))
        tasks = [t for t in first + rest if not forbidden(t, ctx, rules)]
        if not tasks:  # the data left a day empty; a rest day keeps the plan whole
            tasks = [Task(id="rest", category=Category.REST, title="Rest day")]
        days.append(Day(date=inputs.injury_date + timedelta(days=n), phase=ctx.phase, tasks=tasks))
    return days


def _context(
    n: int, inputs: PlanInputs, layout: _Layout, kind: str, plan_day: int | None
) -> _DayContext:
    return _DayContext(
        day=n,
        race_offset=n - layout.race,
        phase=_phase(n, layout),
        kind=kind,
        distance=inputs.distance,
        run_day=n in layout.runs or n in layout.swaps,
        gate_day=n == layout.gate,
        plan_day=n == plan_day,
    )


def build_plan(
    inputs: PlanInputs,
    today: date,
    *,
    created: datetime | None = None,
    rules: Rules | None = None,
) -> Plan:
    """Lay out a whole plan for `inputs`, made on `today`.

    Raises InputError for inputs we can't plan for (grade 3, a race in the past or more
    than a year out, ...). `created` defaults to midnight UTC of `today`, so the result
    depends only on the arguments.
    """
    rules = rules or load_rules()
    inputs = validate_inputs(inputs, today, rules)
    layout = _layout(inputs, rules, History.empty())
    days = _make_days(inputs, layout, rules, plan_day=(today - inputs.injury_date).days)
    warning = None
    kind_rule = rules.kinds[injury_class(inputs.injury, inputs.grade)]
    if layout.race < kind_rule.typical_return_day:
        warning = rules.too_soon_warning.format(
            race_day=layout.race, label=kind_rule.label, return_text=kind_rule.return_text
        )
    return Plan(
        name=inputs.name,
        created=created or datetime.combine(today, time(0), UTC),
        injury_date=inputs.injury_date,
        race_date=inputs.race_date,
        injury=inputs.injury,
        grade=inputs.grade,
        side=inputs.side,
        distance=inputs.distance,
        days=days,
        warning=warning,
    )


def _merge(old: Day, new: Day) -> Day:
    """A re-planned day that keeps everything the runner did or wrote on it.

    Ticked, skipped and custom tasks stay exactly as they were (a regenerated task of the
    same id gives way to them); pain, note, gate result and hand-added keys stay too.
    """
    kept = {t.id: t for t in old.tasks if t.done or t.skip is not None or t.custom}
    tasks = [kept.pop(t.id, t) for t in new.tasks]
    tasks += [t for t in old.tasks if t.id in kept]
    return Day(
        date=old.date,
        phase=new.phase,
        tasks=tasks,
        pain=old.pain,
        note=old.note,
        at_rest=old.at_rest,
        gate=old.gate,
        extra=old.extra,
    )


def replan(plan: Plan, from_date: date, today: date, *, rules: Rules | None = None) -> Plan:
    """The plan laid out again from `from_date` (never before `today`) by what was logged.

    Pure: returns a new Plan and leaves `plan` alone. Days before the start are copied
    untouched; on the days from it, ticks, skips, custom tasks, pain and notes are kept
    and task ids of unchanged tasks stay the same. InputError for a race more than
    MAX_RACE_OFFSET days after the injury (a file the store would refuse): nothing is laid
    out for it.
    """
    plan = copy.deepcopy(plan)
    replan_in_place(plan, from_date, today, rules=rules)
    return plan


def replan_in_place(
    plan: Plan, from_date: date, today: date, *, rules: Rules | None = None
) -> None:
    """`replan` without the copy, for an operation that changes the plan anyway."""
    rules = rules or load_rules()
    start = max((max(from_date, today) - plan.injury_date).days, 0)
    if start >= len(plan.days):
        return
    history = History.of(plan, today, rules)
    inputs = plan.inputs
    layout = _layout(inputs, rules, history)
    plan_day = next(
        (i for i, d in enumerate(plan.days) if any(t.id == "red-flags" for t in d.tasks)), None
    )
    fresh = _make_days(inputs, layout, rules, plan_day, start)
    for offset, day in enumerate(fresh):
        index = start + offset
        if index < len(plan.days):
            plan.days[index] = _merge(plan.days[index], day)
