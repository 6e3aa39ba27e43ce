"""Build a plan from the runner's inputs: pure, deterministic, no I/O and no clock.

`build_plan(inputs, today)` lays out every day from the injury to the last day after the
race: its phase (protect, recover, rebuild, taper, race, after), the run gate, the
walk-run ladder and easy runs, the taper's cut, and every task template of the protocol
(`planner/rules/protocol.toml`) whose conditions hold that day. Same inputs, same plan.
"""

from __future__ import annotations

import copy
import math
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from itertools import pairwise

import msgspec
from msgspec.structs import asdict, replace

from planner.model import (
    PROTOCOL,
    Category,
    Day,
    Distance,
    InjuryKind,
    Muscle,
    Phase,
    Plan,
    PlanInputs,
    Side,
    SkipReason,
    Task,
    clean_text,
)
from planner.rules import Condition, KindRule, Rules, Template, load_rules

MAX_DAYS_TO_RACE = 365
MAX_NAME = 100
# What a re-plan lays out at most. A new plan's race is at most MAX_DAYS_TO_RACE days out;
# a plan file may say up to a day more (store.MAX_RACE_DAYS), and the days after the race
# are at most MAX_AFTER_DAYS. A plan that says more (a file edited past the store's checks,
# a Plan built in code) is refused before anything is laid out: a race in the year 9999
# would otherwise mean millions of days, minutes of work and gigabytes.
MAX_RACE_OFFSET = MAX_DAYS_TO_RACE + 1
# Days after the race a plan may hold (store.MAX_AFTER_DAYS): a recovery that goes on after
# a race not started stops there, so the engine never writes a plan the store would refuse.
MAX_AFTER_DAYS = 366
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
    # The longest the plan may run on after the race: its after days, or a recovery that goes
    # on past a race not started (to two weeks after the latest usual gate).
    latest_gate = max(g.usual for k in rules.kinds.values() for g in k.gate.values())
    after = max(rules.distances[distance].after_days, rules.no_race_after_days, latest_gate + 14)
    if race_date.year > LAST_YEAR or (race_date + timedelta(days=after)).year > LAST_YEAR:
        raise InputError(
            "race_date", f"{race_date} is too far ahead; a plan's days end by {LAST_YEAR}-12-31"
        )
    muscle = None
    if inputs.muscle is not None:
        if injury != InjuryKind.STRAIN:
            raise InputError("muscle", "a cramp has no muscle to choose; leave it out")
        muscle = _enum(Muscle, inputs.muscle, "muscle", "a calf muscle")
    recurrent = inputs.recurrent
    if not isinstance(recurrent, bool):
        raise InputError("recurrent", f"'{recurrent}' is not true or false")
    if recurrent and injury != InjuryKind.CRAMP:
        raise InputError("recurrent", "only cramps come back as 'recurrent'; a strain is graded")
    finish = inputs.finish_minutes
    if finish is not None:
        rule = rules.distances[distance]
        label = rule.label
        if rule.finish_range is None:
            raise InputError("finish_minutes", f"a {label} has no finish time in minutes")
        low, high = rule.finish_range
        if isinstance(finish, bool) or not isinstance(finish, int) or not low <= finish <= high:
            raise InputError(
                "finish_minutes",
                f"{finish} min is not a {label} finish time; use {low}-{high} min",
            )
    name = " ".join(clean_text(inputs.name).split())
    if len(name) > MAX_NAME:
        raise InputError("name", f"is {len(name)} characters long; use at most {MAX_NAME}")
    if not name:
        name = f"{rules.distances[distance].label.capitalize()} {race_date.day} {race_date:%b %Y}"
    return PlanInputs(
        injury_date, race_date, injury, grade, side, distance, name, muscle, recurrent, finish
    )


class _Run(msgspec.Struct, eq=False):
    """One scheduled run: the template it is drawn from and its minutes."""

    template: Template
    minutes: int
    easy: bool  # past the walk-run ladder


class History(msgspec.Struct, eq=False):
    """What the runner logged that the plan adapts to, by day index since the injury.

    `pain` holds each logged score up to today (a task skipped for pain counts as at least
    amber); `gates` holds each recorded run-gate result; `today` is the index of today
    (the first day the plan may still change). `hold` is set while the see-a-clinician
    warning is on as of today: the plan then holds (no gate, no run, nothing new). The
    empty history is the plan as first laid out: every gate passed on time, every day green.
    """

    pain: dict[int, int]
    gates: dict[int, bool]
    today: int = 0
    hold: bool = False
    plan_day: int = 0  # the day the plan was made: what lies before it the runner never saw
    open_from: int = 0  # the first day this layout may still change (a re-plan's start)
    gate_today: bool = False  # today's checklist shows a run gate not yet taken
    # The minutes actually run, on the days whose run was ticked with its minutes: the load
    # rules count them instead of the plan's (the empty history: every run as planned).
    # A run ticked without its minutes counts as it is on file, and `last_long` is the last
    # long run done: the days before a re-plan may have been laid out for other inputs (a
    # race moved, planner.edit), and then the layout's own past runs are not the ones run.
    ran: dict[int, int] = msgspec.field(default_factory=dict)
    last_long: int | None = None

    @classmethod
    def empty(cls, today: int = 0) -> History:
        return cls({}, {}, today, plan_day=today, open_from=today)

    @classmethod
    def of(
        cls, plan: Plan, today: date, rules: Rules, plan_day: int = 0, open_from: int = 0
    ) -> History:
        """Read the history of a plan up to and including `today`; `open_from` is the first
        day the re-plan lays out again."""
        from planner.advice import clinician_warning

        pain: dict[int, int] = {}
        gates: dict[int, bool] = {}
        ran: dict[int, int] = {}
        last_long = None
        long_title = rules.running.long.title.split("{", 1)[0]  # "Long easy run "
        for index, day in enumerate(plan.days):
            if day.date > today:
                break
            run = day.task("run")
            if run is not None and run.done and run.skip is None and run.actual_minutes is not None:
                ran[index] = run.actual_minutes
            elif run is not None and run.done and run.skip is None and run.minutes:
                ran[index] = run.minutes  # as on file: laid out, maybe, for other inputs
            if index in ran and run.title.startswith(long_title):
                last_long = index
            score = day.pain
            if any(t.skip == SkipReason.PAIN for t in day.tasks):
                score = max(score or 0, rules.pain.green_max + 1)
            if score is not None:
                pain[index] = score
            if day.gate is not None:
                gates[index] = day.gate.passed
        hold = clinician_warning(plan, today, rules) is not None
        today_index = max((today - plan.injury_date).days, 0)
        shown = plan.day(today)
        gate_task = shown.task("gate") if shown is not None else None
        gate_today = gate_task is not None and not gate_task.done and shown.gate is None
        return cls(
            pain,
            gates,
            today_index,
            hold,
            plan_day,
            max(open_from, today_index),
            gate_today,
            ran=ran,
            last_long=last_long,
        )

    def red_days(self, rules: Rules) -> list[int]:
        """The days logged red (5+), in order."""
        return sorted(d for d, s in self.pain.items() if rules.pain.band(s) == "red")

    def amber_days(self, rules: Rules) -> list[int]:
        """The days logged amber (3-4, or a task skipped for pain), in order."""
        return sorted(d for d, s in self.pain.items() if rules.pain.band(s) == "amber")

    def paused_after_red(self, rules: Rules) -> int | None:
        """The first day heel drops are paused from: the day after the last red day, unless
        two green days in a row were logged after it (then None)."""
        reds = self.red_days(rules)
        if not reds:
            return None
        last = reds[-1]
        greens = sorted(d for d, s in self.pain.items() if d > last and s <= rules.pain.green_max)
        if any(b == a + 1 for a, b in pairwise(greens)):
            return None
        return last + 1


class _Layout(msgspec.Struct, eq=False):
    """Where the plan's landmarks fall, in days since the injury."""

    race: int
    protect_days: int
    gate: int | None  # the day of the (next) run gate, or the passed one
    racing: bool  # a gate fits before the race: the race is on (else: don't start)
    taper_days: int
    after_days: int
    runs: dict[int, _Run]
    swaps: dict[int, int]  # run days turned into walking or cycling by pain: minutes
    strength: frozenset[int] = frozenset()  # strength-session days
    heel: frozenset[int] = frozenset()  # the sessions with heel drops
    daily_raises: frozenset[int] = frozenset()  # days of daily single-leg raises
    step_down: frozenset[int] = frozenset()  # the day after a red day: strength a level down
    # Red on race day or after: the next 3 days are protect again (no run, heat, massage,
    # stretching or heel drops), with a check.
    protect_again: frozenset[int] = frozenset()
    rest: frozenset[int] = frozenset()  # full rest days: one in every 7
    intervals: frozenset[int] = frozenset()  # cross-training days with intervals

    @property
    def last(self) -> int:
        return self.race + self.after_days


def _gate_window(kind: KindRule, muscle: str, race: int) -> tuple[int, int, int]:
    """The run gate's earliest, usual and latest day before the race (protocol 2 table)."""
    days = kind.gate[muscle]
    return days.earliest, days.usual, race - kind.gate_before_race


def earliest_gate(
    plan_injury: InjuryKind,
    grade: int | None,
    rules: Rules | None = None,
    muscle: Muscle | None = None,
) -> int:
    """The first day since the injury a run gate may be taken (the table's earliest day, and
    for a strain after two days of single-leg raises), for the plan's muscle."""
    rules = rules or load_rules()
    kind = rules.kinds[injury_class(plan_injury, grade)]
    if muscle is None or muscle == Muscle.UNSURE:
        earliest = kind.gate[MUSCLE_PLANNED].earliest
    else:
        earliest = kind.gate[str(muscle)].earliest
    if plan_injury == InjuryKind.STRAIN:
        earliest = max(earliest, kind.single_leg_from + 2)
    return earliest


def _gate_day(
    race: int, kind: KindRule, muscle: str, strain: bool, history: History, rules: Rules
) -> tuple[int | None, bool]:
    """The run gate's day and whether it comes before the race.

    The usual day, or earlier when the race needs it, never before the earliest day and
    never later than the kind's days before the race. A recorded pass fixes it; a fail
    sets a retest 2 days later; a red day before it puts it at least 2 days after that
    day; a gate not yet taken is never laid in the past (a late plan takes it on the first
    day it may). No day fits before the race: the gate goes after it, on its usual day or
    later, and the race is not on. While the clinician warning holds, there is no gate.
    """
    earliest, usual, latest = _gate_window(kind, muscle, race)
    if strain:  # after two days of single-leg raises, whatever the table says
        earliest = max(earliest, kind.single_leg_from + 2)
    retest = rules.gate_test.retest_after_days
    if history.hold:
        return None, False
    since = -1
    if history.gates:
        last = max(history.gates)
        if history.gates[last] and last >= earliest:  # a pass before the earliest day of
            return last, last < race and last <= latest  # the table (a hand edit) doesn't count
        gate, since = last + retest, last
    else:
        gate = min(usual, latest)
    for day in history.red_days(rules):
        if day > since:
            gate = max(gate, day + retest)
        if day >= race:  # three protect days after it, then the hop practice, then the gate
            gate = max(gate, day + 5)
    # Amber holds: the day after it adds nothing new, and the gate's hops are new load.
    ambers = {day + 1 for day in history.amber_days(rules) if day > since}
    while gate in ambers:
        gate += 1
    # Never where the runner can't see it: from the first day laid out again, or today when
    # today's checklist already shows the gate (a pain log before taking it keeps it there).
    gate = max(gate, earliest, history.today if history.gate_today else history.open_from)
    if strain:  # two days of single-leg raises and the hop practice, laid out for the runner
        gate = max(gate, max(kind.single_leg_from, history.plan_day) + 2)
    if gate <= latest:
        return gate, True
    after = max(usual, race + 1, gate)  # a race not started: the recovery goes on after it
    return after, False


def _steps(rules: Rules, distance: Distance) -> tuple[Template, ...]:
    """The steps back to running, in order: the walk-run ladder (its last step is the first
    continuous easy run) and, for a sprinter, the strides by effort."""
    running = rules.running
    return running.ladder + (running.sprint if distance == Distance.SPRINT else ())


def _needs(first: int, stop: int, start: int, rules: Rules, distance: Distance) -> dict[int, int]:
    """How many pain-free runs each step needs before the next: each walk-run step twice
    (the protocol's `ladder_repeats`) when the alternate days up to `stop` allow it, the
    earliest steps first; never a step skipped."""
    steps = _steps(rules, distance)
    slots = max(0, (stop - first + 1) // 2)
    walk_run = range(start, len(rules.running.ladder) - 1)  # the steps that may repeat
    spare = max(0, slots - (len(steps) - start))
    needs = dict.fromkeys(range(len(steps)), 1)
    for step in walk_run:
        extra = min(rules.running.ladder_repeats - 1, spare)
        needs[step] += extra
        spare -= extra
    return needs


class _Progress(msgspec.Struct, eq=False):
    """Where the return to running stands: a step (an index into `_steps`), or past them
    (open running: easy runs and a weekly long run)."""

    step: int
    done_here: int = 0  # pain-free runs done at this step
    open_from: int | None = None  # the first day of open running
    easy: int = 0  # minutes of easy runs in open running
    grow_on: int = 0  # the day easy runs next grow
    long: int = 0  # minutes of the last long run
    last_long: int | None = None


def _spike_limit(day: int, runs: dict[int, _Run], rules: Rules) -> int:
    """The longest run the load rules allow on `day`: spike_factor times the longest run of
    the window before it (runs that short are free), and with no run in the window, the
    ladder's first step."""
    running = rules.running
    window = [r.minutes for d, r in runs.items() if day - running.spike_window_days <= d < day]
    if not window:
        return max(running.spike_free_minutes, running.ladder[0].minutes)
    return max(running.spike_free_minutes, math.floor(max(window) * running.spike_factor))


def _next_run(
    day: int,
    progress: _Progress,
    runs: dict[int, _Run],
    rules: Rules,
    distance: Distance,
    after: bool,
    expected: int,
) -> _Run:
    """The run for `day` at the runner's progress (nothing is advanced here)."""
    running = rules.running
    steps = _steps(rules, distance)
    caps = rules.distances[distance]
    limit = _spike_limit(day, runs, rules)
    if progress.step < len(steps):
        step = steps[progress.step]
        return _Run(step, min(step.minutes, limit), easy=progress.step >= len(running.ladder) - 1)
    start = running.ladder[-1].minutes
    if after:  # after the race: easy runs on alternate days, nothing growing
        return _Run(running.easy, min(start, limit), easy=True)
    if distance == Distance.SPRINT:  # the 90% strides, with easy runs between
        last = runs[max(runs)] if runs else None
        if last is not None and last.template is steps[-1]:
            return _Run(running.easy, min(start, limit), easy=True)
        return _Run(steps[-1], min(steps[-1].minutes, limit), easy=True)
    easy = min(progress.easy or start, caps.easy_cap, limit)
    since_long = day - (
        progress.last_long if progress.last_long is not None else progress.open_from
    )
    if since_long >= (7 if progress.last_long is not None else 6):
        cap = max(caps.long_cap, math.ceil(running.long_share * expected))
        base = max(progress.long, start)
        minutes = min(cap, base + running.long_step, limit) // 5 * 5
        if minutes > easy:
            return _Run(running.long, minutes, easy=True)
    return _Run(running.easy, easy, easy=True)


def _advance(day: int, run: _Run, progress: _Progress, band: str, rules: Rules, needs) -> None:
    """Move the progress on after the run of `day`, by its pain band: green goes on, amber
    holds (the next run repeats it, easy runs don't grow), red steps back a level."""
    running = rules.running
    if run.template is running.long and band == "green":
        progress.long, progress.last_long = run.minutes, day
    if progress.step < len(needs):
        if band == "green":
            progress.done_here += 1
            if progress.done_here >= needs[progress.step]:
                progress.step, progress.done_here = progress.step + 1, 0
        elif band == "red":
            progress.step, progress.done_here = max(0, progress.step - 1), 0
        if progress.step >= len(needs) and progress.open_from is None:
            progress.open_from = day + 2
            progress.easy = running.ladder[-1].minutes
            progress.grow_on = day + 2 + running.step_every_days
        return
    if progress.open_from is None:
        progress.open_from = day
        progress.easy = running.ladder[-1].minutes
        progress.grow_on = day + running.step_every_days
    if band == "green":
        if day + 2 >= progress.grow_on:
            progress.easy += running.easy_step
            progress.grow_on += running.step_every_days
    else:  # amber or red: no growth for a week; red steps the runs back
        progress.grow_on = max(progress.grow_on, day + running.step_every_days)
        if band == "red":
            start = running.ladder[-1].minutes
            progress.easy = max(start, progress.easy - running.easy_step)
            progress.long = max(0, progress.long - running.long_step)
            if run.template is running.long:
                progress.last_long = day


def _as_run(run: _Run, ran: int | None) -> tuple[_Run, _Run]:
    """A laid-out run as the load rules count it, and as the progression grows from, given
    the minutes actually run (None: run as planned).

    Counted (the spike rule's window, the taper's cut, the runs before the after-race
    ones): what was run. Grown from (the next long run, a level's pain-free runs): the
    lesser of what was planned and what was run; domain.md is silent on a run longer than
    planned, and growing from the plan's figure never loads more than the plan meant.
    """
    if ran is None:
        return run, run
    counted = _Run(run.template, ran, run.easy)
    return counted, counted if ran <= run.minutes else run


def _runs(
    first: int,
    end: int,
    history: History,
    rules: Rules,
    distance: Distance,
    level: int = 0,
    *,
    stop: int | None = None,
    prior: dict[int, _Run] | None = None,
    after: bool = False,
    expected: int = 0,
) -> tuple[dict[int, _Run], dict[int, int]]:
    """Runs on alternate days from `first` up to `end` (not included), from step `level`
    of the way back, each run as the load rules allow.

    Green pain goes on (a walk-run step after its pain-free runs, `_needs`; easy runs grow
    by a step a week; a long run every 8 days, up by at most `long_step`); amber holds (the
    next run repeats) and turns the next day's run into walking or cycling; red steps back
    a level and does the same. No run is longer than the spike rule allows over the runs
    before it (`prior`: runs already laid out before `first`). Alternate days keep the
    first 14 days of running free of back-to-back runs.
    """
    runs: dict[int, _Run] = {}
    swaps: dict[int, int] = {}
    seen = {day: _as_run(run, history.ran.get(day))[0] for day, run in (prior or {}).items()}
    needs = _needs(first, end if stop is None else stop, level, rules, distance)
    progress = _Progress(step=level)
    worse = {"green": 0, "amber": 1, "red": 2}
    pending: tuple[int, _Run] | None = None  # the last run, judged by its day and the next
    pending_band = "green"
    swap_next = False
    for day in range(first - 1, end):
        if day >= first and (day - first) % 2 == 0:
            if pending is not None:
                _advance(*pending, progress, pending_band, rules, needs)
                pending, pending_band = None, "green"
            done_long = history.last_long  # a week from the long run done, whatever the layout
            if done_long is not None and done_long < day:
                progress.last_long = max(progress.last_long or 0, done_long)
            run = _next_run(day, progress, seen, rules, distance, after, expected)
            if swap_next:
                swaps[day] = run.minutes
            else:
                counted, grown_from = _as_run(run, history.ran.get(day))
                runs[day] = seen[day] = counted
                pending = (day, grown_from)
                if grown_from.minutes < run.minutes:
                    # Cut short: the level wasn't done. domain.md is silent; the cautious
                    # reading holds it as amber does (the next run repeats it, easy runs
                    # don't grow), without amber's swap of the next day's run.
                    pending_band = "amber"
        swap_next = False
        score = history.pain.get(day)
        band = "green" if score is None else rules.pain.band(score)
        if pending is not None and worse[band] > worse[pending_band]:
            pending_band = band
        if band in ("amber", "red"):
            swap_next = True
    return runs, swaps


def _thirds(race: int, taper_days: int) -> tuple[range, range]:
    """The first and the last third of a taper's days (race day not counted)."""
    third = math.ceil(taper_days / 3)
    start = race - taper_days
    return range(start, start + third), range(race - third, race)


def _taper_runs(runs: dict[int, _Run], layout: _Layout, rules: Rules) -> dict[int, _Run]:
    """Reshape the runs of the taper's days: cut volume when the plan allows it.

    Long runs become easy runs and nothing grows. When the T days before the taper all lie
    after the gate, the taper's run minutes are cut by about half of theirs (never less
    than the minimum cut), falling progressively: the last third of the taper runs less
    than the first. Otherwise running resumed too late and nothing is cut. The day before
    the race is a short shake-out once the ladder is done; an easy run in race-7..race-3
    (and one more earlier in the taper) gets strides.
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
    if race - 1 in out:
        first_run = min(runs)
        if race - first_run < 14 or not out[race - 1].easy:
            # The race is a run: in the first 14 days of running, never two days in a row.
            del out[race - 1]
            taper_days = [d for d in taper_days if d != race - 1]
        else:
            out[race - 1] = _Run(running.shakeout, running.shakeout.minutes, easy=True)

    pre = sum(r.minutes for d, r in runs.items() if start - t <= d < start)
    # No cut when running resumed too late, or when pain turned those runs into walks.
    if layout.gate is not None and race - 2 * t > layout.gate and pre > 0:
        limit = (1 - taper.min_cut) * pre
        fixed = sum(out[d].minutes for d in taper_days if out[d].template is running.shakeout)
        scalable = [d for d in taper_days if out[d].template is not running.shakeout]
        # Progressive: each run's share falls from 1 at the taper's start to 1/2 by the race.
        weight = {d: 1 - 0.5 * (d - start) / t for d in scalable}
        total = sum(out[d].minutes * weight[d] for d in scalable)
        budget = (1 - taper.target_cut) * pre - fixed
        for day in scalable:
            # Whole five minutes read better than 31 min; the floor keeps the cut honest.
            share = out[day].minutes * weight[day] * budget / total if total else 0
            minutes = min(out[day].minutes, math.floor(share / 5) * 5)
            out[day] = _Run(out[day].template, max(taper.min_run_minutes, minutes), out[day].easy)
        # Guarantee the cut whatever the data says: trim the longest, then drop the latest.
        while sum(out[d].minutes for d in taper_days if d in out) > limit:
            _trim(out, [d for d in taper_days if d in out], taper.min_run_minutes)
        first, last = _thirds(race, t)
        while sum(out[d].minutes for d in first if d in out) > 0 and sum(
            out[d].minutes for d in last if d in out
        ) >= sum(out[d].minutes for d in first if d in out):
            _trim(out, [d for d in last if d in out], taper.min_run_minutes)

    kept = [d for d in taper_days if d in out and out[d].template is running.easy]
    window = [d for d in kept if race - 7 <= d <= race - 3]
    for day in [*window[:1], *[d for d in kept if d < race - 7][:1]]:
        out[day] = _Run(running.strides, out[day].minutes, easy=True)
    return out


def _trim(out: dict[int, _Run], days: list[int], least: int) -> None:
    """Take a minute off the longest of `days` (the latest of equals), or drop the latest
    run when all are at the least a run may be."""
    longest = max(days, key=lambda d: (out[d].minutes, d))
    run = out[longest]
    if run.minutes > least:
        out[longest] = _Run(run.template, run.minutes - 1, run.easy)
    else:
        del out[days[-1]]


MUSCLE_PLANNED = "soleus"  # "unsure" is planned as the slower one


def planned_muscle(inputs: PlanInputs) -> str:
    """The muscle whose gate table a plan follows: the runner's, or soleus when unsure."""
    muscle = inputs.muscle
    if muscle is None or muscle == Muscle.UNSURE:
        return MUSCLE_PLANNED
    return str(muscle)


def _layout(inputs: PlanInputs, rules: Rules, history: History) -> _Layout:
    kind_name = injury_class(inputs.injury, inputs.grade)
    kind = rules.kinds[kind_name]
    distance = rules.distances[inputs.distance]
    race = (inputs.race_date - inputs.injury_date).days
    # The one gate before any loop over the plan's days (runs, taper, days): build_plan
    # and every re-plan come through here.
    if not 0 <= race <= MAX_RACE_OFFSET:
        raise InputError(
            "race_date",
            f"{inputs.race_date} is {race} days after the injury ({inputs.injury_date}); "
            f"a plan is laid out for a race 0-{MAX_RACE_OFFSET} days after it",
        )
    strain = inputs.injury == InjuryKind.STRAIN
    muscle = planned_muscle(inputs)
    gate, racing = _gate_day(race, kind, muscle, strain, history, rules)
    after_days = distance.after_days
    if not racing:  # the recovery goes on: at least through the gate and two weeks after it
        after_days = max(rules.no_race_after_days, (gate or race) + 14 - race)
        after_days = min(after_days, MAX_AFTER_DAYS)
    layout = _Layout(
        race=race,
        protect_days=kind.protect_days,
        gate=gate,
        racing=racing,
        taper_days=distance.taper_days,
        after_days=after_days,
        runs={},
        swaps={},
    )
    last = race + after_days
    # A cramp that passed its day-1 check goes back to easy running, not the strain ladder.
    start_level = 0 if strain else len(rules.running.ladder) - 1
    expected = inputs.finish_minutes or distance.expected_minutes
    runs: dict[int, _Run] = {}
    swaps: dict[int, int] = {}
    if gate is not None and racing and gate + 1 < race:
        before, swaps = _runs(
            gate + 1,
            race,
            history,
            rules,
            inputs.distance,
            start_level,
            stop=race - distance.taper_days,
            expected=expected,
        )
        runs = _taper_runs(before, replace(layout, runs=before), rules) if before else {}
        if race - 1 not in runs:  # the taper rests race-1: no run there to swap for a walk
            swaps.pop(race - 1, None)
    if gate is not None and not racing and gate + 1 <= last:
        # Not started: the recovery goes on after race day, through the gate and the ladder.
        runs, swaps = _runs(
            gate + 1, last + 1, history, rules, inputs.distance, start_level, expected=expected
        )
    if racing:
        after_first = race + distance.after_run_from
        if after_first <= last:
            level = len(_steps(rules, inputs.distance))  # easy runs again, on alternate days
            more, more_swaps = _runs(
                after_first,
                last + 1,
                history,
                rules,
                inputs.distance,
                level,
                prior=runs,
                after=True,
                expected=expected,
            )
            runs.update(more)
            swaps.update(more_swaps)
    if history.hold:  # the see-a-clinician warning holds the plan: no run until it clears
        runs = {d: r for d, r in runs.items() if d <= history.today}
        swaps = {d: m for d, m in swaps.items() if d <= history.today}
    # Three days of daily single-leg raises: from the gate table's day, or from the day a
    # late plan is made (the runner sees them before the gate; it comes two days on).
    first_raises = kind.single_leg_from
    if history.plan_day > first_raises + 2:
        first_raises = history.plan_day
    daily = frozenset(range(first_raises, first_raises + 3))
    sessions = [d for d in _session_days(kind, layout, history, inputs.recurrent) if d not in daily]
    busy = {*runs, *swaps, *daily, race}
    if gate is not None:
        busy |= {gate, gate - 1}  # the gate, and the hop practice the day before it
    first_rest = max(history.plan_day, kind.protect_days)
    rest = _rest_days(layout, busy, set(sessions), first_rest)
    sessions = [d for d in sessions if d not in rest]
    heel = _heel_days(sessions, strain or inputs.recurrent, kind, layout, runs, history, rules)
    intervals = _interval_days(
        layout, busy | rest | set(sessions), runs, history, rules, kind.single_leg_from + 1
    )
    step_down = frozenset(d + 1 for d in history.red_days(rules))
    again = frozenset(day + k for day in history.red_days(rules) if day >= race for k in (1, 2, 3))
    runs = {d: r for d, r in runs.items() if d not in again}
    swaps = {d: m for d, m in swaps.items() if d not in again}
    return replace(
        layout,
        runs=runs,
        swaps=swaps,
        strength=frozenset(sessions) - again,
        daily_raises=daily - again,
        heel=heel - again,
        step_down=step_down,
        protect_again=again,
        rest=rest - again,
        intervals=intervals - again,
    )


def _every(start: int, stop: int, gaps: tuple[int, ...]) -> list[int]:
    """Days from `start` to before `stop`, the gaps between them taken in turn."""
    days, day, turn = [], start, 0
    while day < stop:
        days.append(day)
        day += gaps[turn % len(gaps)]
        turn += 1
    return days


def _session_days(
    kind: KindRule, layout: _Layout, history: History, recurrent: bool = False
) -> list[int]:
    """Strength-session days (protocol 2): every third day (two or three a week, never two
    in a row; three a week for cramps that keep coming back) from three days after
    single-leg raises begin; before a race up to race-3 (light raises only then), again
    from the fourth day after it; after a race not started, simply on. None while the plan
    holds."""
    start = kind.single_leg_from + 3
    gaps = (2, 2, 3) if recurrent else (3,)
    if layout.racing:
        days = _every(start, layout.race - 2, gaps)
        days += _every(layout.race + 4, layout.last + 1, gaps)
    else:
        days = _every(start, layout.last + 1, gaps)
    if layout.gate is not None:  # the gate is a day's hard calf work on its own
        days = [d for d in days if d != layout.gate]
    if history.hold:
        days = [d for d in days if d <= history.today]
    return days


def _rest_days(layout: _Layout, busy: set[int], sessions: set[int], first: int) -> frozenset[int]:
    """A full rest day (no run, no strength session, no cross-training) in every 7 days
    from `first` (the day the plan was made, after the protect days), for a plan longer than
    14 days: the latest free day of each week, a session day when no other is free (the
    session gives way). Run days, the gate and its hop practice, and race day never."""
    if layout.last + 1 <= 14:
        return frozenset()
    # The day before a race is a rest day already (the taper's own, when it has no
    # shake-out run): no second one there.
    eve = layout.race - 1
    given = {eve} if layout.racing and eve not in busy else set()
    rest: list[int] = []
    previous = first - 1
    while previous + 7 <= layout.last:
        week = range(previous + 7, previous, -1)
        if given & set(week):
            previous = max(given & set(week))
            continue
        free = [d for d in week if d not in busy and d not in sessions]
        free = free or [d for d in week if d not in busy]
        if not free:  # every day of the week holds a run or the gate: none to give
            previous += 7
            continue
        rest.append(free[0])
        previous = free[0]
    return frozenset(rest)


def _interval_days(
    layout: _Layout,
    taken: set[int],
    runs: dict[int, _Run],
    history: History,
    rules: Rules,
    start: int,
) -> frozenset[int]:
    """Cross-training days with intervals: twice a week, at least two days apart, from
    `start` (the day after single-leg raises begin: past the protect days, and not on the
    first day of a new exercise) while running is absent or limited to the walk-run ladder,
    never in the last 7 days before a race nor the day after an amber or red day."""
    ladder = rules.running.ladder
    open_runs = [d for d, r in runs.items() if r.template not in ladder[:-1]]
    end = min(open_runs, default=layout.last + 1)
    if layout.racing:
        end = min(end, layout.race - 7)
    held = {d + 1 for d in history.pain if rules.pain.band(history.pain[d]) != "green"}
    chosen: list[int] = []
    for day in range(max(start, layout.protect_days), end):
        if day in taken or day in held:  # taken: runs, swaps, sessions, rest, the gate
            continue
        if chosen and day - chosen[-1] < 2:
            continue
        if len([d for d in chosen if d > day - 7]) >= 2:
            continue
        chosen.append(day)
    return frozenset(chosen)


def _heel_days(
    sessions: list[int],
    strain: bool,
    kind: KindRule,
    layout: _Layout,
    runs: dict[int, _Run],
    history: History,
    rules: Rules,
) -> frozenset[int]:
    """The sessions that carry heel drops (protocol 2). The first the runner sees (on or
    after the day the plan was made) never falls on a day with another new exercise (the
    first session itself, the first run before or after the race, the hop practice, the
    gate) or the day after an amber day and, before a race, never within 7 days of it; none
    in the two days before a race; none for a cramp; paused after a red day until two green
    days in a row."""
    if not strain:
        return frozenset()
    race = layout.race
    # Sessions laid out before the plan was made are only the record of the layout: the
    # runner never saw them, so "first" means the first on or after the day it was made.
    unseen = [d for d in sessions if d < history.plan_day]
    seen = [d for d in sessions if d >= history.plan_day]
    news = {kind.single_leg_from} | {day + 1 for day in history.amber_days(rules)}
    if seen:
        news.add(seen[0])  # the first session the runner sees is new work of its own
    if layout.gate is not None:
        news |= {layout.gate, layout.gate - 1, layout.gate + 1}
    if runs:
        news.add(min(runs))
        news.add(min((d for d in runs if d > race), default=-1))
    while seen and seen[0] in news:
        seen.pop(0)
    if layout.racing and seen and race - 7 <= seen[0] < race:
        seen = [d for d in seen if d > race]  # never first given within 7 days of the race
        while seen and seen[0] in news:
            seen.pop(0)
    days = unseen + seen
    paused = history.paused_after_red(rules)
    if paused is not None:
        days = [d for d in days if d < paused]
    return frozenset(days)


def _phase(day: int, layout: _Layout) -> Phase:
    """The phase a day is stored with (the order the format requires)."""
    if day == layout.race:
        return Phase.RACE
    if day > layout.race:
        return Phase.AFTER
    if day < layout.protect_days:
        return Phase.PROTECT
    if layout.gate is None or day <= layout.gate or not layout.racing:
        return Phase.RECOVER
    return Phase.TAPER if day >= layout.race - layout.taper_days else Phase.REBUILD


def _living_phase(day: int, layout: _Layout) -> Phase:
    """The phase whose tasks a day gets. The same as `_phase`, but when the race is not
    started its day and the days after go on with the recovery: recover until the gate,
    rebuild after it."""
    phase = _phase(day, layout)
    if day in layout.protect_again:
        return Phase.PROTECT
    if layout.racing or phase not in (Phase.RACE, Phase.AFTER):
        return phase
    if day < layout.protect_days:
        return Phase.PROTECT
    if layout.gate is None or day <= layout.gate:
        return Phase.RECOVER
    return Phase.REBUILD


class _DayContext(msgspec.Struct, eq=False):
    day: int
    race_offset: int
    phase: Phase
    kind: str
    distance: Distance
    run_day: bool  # a run is scheduled (or was, before pain turned it into a walk)
    gate_day: bool
    plan_day: bool
    before_gate: int | None  # days until the run gate, when one lies ahead
    racing: bool
    strength_day: bool
    heel_day: bool
    daily_raises: bool
    protect_again: bool
    last_day: bool
    muscle: str | None  # the muscle a strain is planned as; None for a cramp
    recurrent: bool
    rest_day: bool
    intervals_day: bool


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
    if when.muscles is not None and ctx.muscle not in when.muscles:
        return False
    for name, wanted in _given(when):  # what the day must match exactly, when given
        if getattr(ctx, name) != wanted:
            return False
    if when.on_days is None and when.on_race is None:
        return True
    # single days: one of the listed days since the injury, or one of the race offsets
    return (when.on_days is not None and ctx.day in when.on_days) or (
        when.on_race is not None and ctx.race_offset in when.on_race
    )


@cache
def _given(when: Condition) -> tuple[tuple[str, object], ...]:
    """The conditions of EXACT that `when` gives, with their values: found once per
    condition of the protocol (conditions are compared by identity, and live as long as
    the rules)."""
    return tuple((name, getattr(when, name)) for name in EXACT if getattr(when, name) is not None)


# The conditions a day matches by equality: the same names on Condition and _DayContext.
EXACT = (
    "run_day",
    "gate_day",
    "plan_day",
    "before_gate",
    "racing",
    "strength_day",
    "heel_day",
    "daily_raises",
    "protect_again",
    "last_day",
    "recurrent",
    "rest_day",
    "intervals_day",
)


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


def _fits_plan(when: Condition, ctx: _DayContext) -> bool:
    """Whether the conditions of `when` that hold for a whole plan (its injury class,
    distance, muscle and recurrent cramps) allow it; the day's own are for `matches`."""
    return (
        (when.kinds is None or ctx.kind in when.kinds)
        and (when.distances is None or ctx.distance in when.distances)
        and (when.muscles is None or ctx.muscle in when.muscles)
        and (when.recurrent is None or ctx.recurrent == when.recurrent)
    )


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
    # The conditions that are the same on every day of this plan (injury class, distance,
    # muscle, recurrent cramps) are checked once: the rest, per day, on what is left.
    ctx = _context(start, inputs, layout, kind, plan_day)
    templates = [(i, t) for i, t in enumerate(rules.tasks) if _fits_plan(t.when, ctx)]
    nevers = [rule for rule in rules.never if _fits_plan(rule.when, ctx)]
    used_once = {
        index
        for index, template in templates
        if template.once
        and any(
            matches(template.when, _context(n, inputs, layout, kind, plan_day))
            for n in range(start)
        )
    }
    days = []
    by_id = {t.id: t for t in rules.tasks}
    for n in range(start, layout.last + 1):
        ctx = _context(n, inputs, layout, kind, plan_day)
        first: list[Task] = []
        rest: list[Task] = []
        for index, template in templates:
            if index in used_once or not matches(template.when, ctx):
                continue
            if template.once:
                used_once.add(index)
            (first if template.when.plan_day else rest).append(_task(template, values))
        if n == layout.race and not layout.racing:
            first.append(_task(rules.no_race_day, values))
        if ctx.gate_day:
            first.append(_task(rules.gate, values))
        if n in layout.runs:
            run = layout.runs[n]
            first.append(_task(run.template, values, run.minutes))
        elif n in layout.swaps:
            first.append(_task(rules.pain.swap, values, layout.swaps[n]))
        tasks = [
            t
            for t in first + rest
            if not any(t.category in r.categories and matches(r.when, ctx) for r in nevers)
        ]
        if n in layout.step_down:  # the day after a red day: strength one level down
            tasks = _stepped_down(tasks, by_id, values)
        if not tasks:  # the data left a day empty; a rest day keeps the plan whole
            tasks = [Task(id="rest", category=Category.REST, title="Rest day")]
        phase = _phase(n, layout)
        days.append(Day(date=inputs.injury_date + timedelta(days=n), phase=phase, tasks=tasks))
    return days


STEP_DOWN = {"raises-single": "raises-double", "raises-double": "isometric"}


def _stepped_down(tasks: list[Task], by_id: dict[str, Template], values) -> list[Task]:
    """Red pain yesterday: single-leg raises become double-leg, double-leg become isometric
    holds (protocol 2); a level that is there already is not given twice."""
    out: list[Task] = []
    ids = {t.id for t in tasks}
    for task in tasks:
        lower = STEP_DOWN.get(task.id)
        if lower is None or lower not in by_id:
            out.append(task)
        elif lower not in ids:
            out.append(_task(by_id[lower], values))
            ids.add(lower)
    return out


# A race that can't be started is no landmark: every day matches conditions as if the race
# lay far ahead (no race-week tasks, no strength cut off at race-3); race day itself gets
# the don't-start task on top of the recovery's.
FAR_FROM_RACE = -10_000


def _context(
    n: int, inputs: PlanInputs, layout: _Layout, kind: str, plan_day: int | None
) -> _DayContext:
    gate = layout.gate
    offset = n - layout.race if layout.racing else FAR_FROM_RACE
    return _DayContext(
        day=n,
        race_offset=offset,
        phase=_living_phase(n, layout),
        kind=kind,
        distance=inputs.distance,
        run_day=n in layout.runs or n in layout.swaps,
        gate_day=n == gate,
        plan_day=n == plan_day,
        before_gate=gate - n if gate is not None and n < gate else None,
        racing=layout.racing,
        strength_day=n in layout.strength,
        heel_day=n in layout.heel,
        daily_raises=n in layout.daily_raises,
        protect_again=n in layout.protect_again,
        last_day=n == layout.last,
        muscle=planned_muscle(inputs) if inputs.injury == InjuryKind.STRAIN else None,
        recurrent=inputs.recurrent,
        rest_day=n in layout.rest,
        intervals_day=n in layout.intervals,
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
    plan_day = (today - inputs.injury_date).days
    layout = _layout(inputs, rules, History.empty(plan_day))
    days = _make_days(inputs, layout, rules, plan_day=plan_day)
    warning = None
    kind_rule = rules.kinds[injury_class(inputs.injury, inputs.grade)]
    if not layout.racing:  # certain from the outset: never "expect a run-walk"
        earliest = kind_rule.gate[planned_muscle(inputs)].earliest
        warning = rules.no_race_warning.format(
            race_day=layout.race,
            label=kind_rule.label,
            earliest=earliest,
            before=kind_rule.gate_before_race,
        )
    elif layout.race < kind_rule.typical_return_day:
        sprint = inputs.distance == Distance.SPRINT  # no run-walk in a sprint
        text = rules.too_soon_sprint_warning if sprint else rules.too_soon_warning
        warning = text.format(
            race_day=layout.race, label=kind_rule.label, return_text=kind_rule.return_text
        )
    return Plan(
        **asdict(inputs),  # every input is a field of the plan, by name
        created=created or datetime.combine(today, time(0), UTC),
        days=days,
        warning=warning,
        protocol=PROTOCOL,
    )


def _merge(old: Day, new: Day) -> Day:
    """A re-planned day that keeps everything the runner did or wrote on it.

    Ticked, skipped and custom tasks stay exactly as they were (a regenerated task of the
    same id gives way to them); pain, note, gate result and hand-added keys stay too.
    A note on another task goes onto its regenerated task of the same id. A task the
    re-plan drops goes with its note: a note never keeps a load the pain rules took away.
    """
    kept = {t.id: t for t in old.tasks if t.done or t.skip is not None or t.custom}
    # A note, and the times of the runner's last changes (an untick, a note cleared: what
    # a merge of two copies goes by), go onto the regenerated task of the same id.
    marked = {
        t.id: t
        for t in old.tasks
        if t.id not in kept and (t.note is not None or t.note_at or t.changed_at)
    }
    for task in new.tasks:
        if task.id in marked:
            was = marked[task.id]
            task.note, task.note_at, task.changed_at = was.note, was.note_at, was.changed_at
    tasks = [kept.pop(t.id, t) for t in new.tasks]
    tasks += [t for t in old.tasks if t.id in kept]
    # Everything else of the day stays as it was: pain, note, gate result, their stamps,
    # hand-added keys.
    return replace(old, phase=new.phase, tasks=tasks)


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
    plan_day = next(
        (i for i, d in enumerate(plan.days) if any(t.id == "red-flags" for t in d.tasks)), None
    )
    history = History.of(plan, today, rules, plan_day or 0, start)
    inputs = plan.inputs
    layout = _layout(inputs, rules, history)
    # A plan never shrinks: days already laid out after the race stay (they may hold the
    # runner's own tasks); a race that can no longer be started adds the longer recovery.
    if layout.last < len(plan.days) - 1:
        layout = replace(layout, after_days=len(plan.days) - 1 - layout.race)
    fresh = _make_days(inputs, layout, rules, plan_day, start)
    for offset, day in enumerate(fresh):
        index = start + offset
        if index < len(plan.days):
            plan.days[index] = _merge(plan.days[index], day)
        else:
            plan.days.append(day)
