"""Load and check the protocol data in `protocol.toml`.

The protocol (which task on which day, what dose, why) is data so that it can be read and
changed without Python. This module turns the TOML into typed objects (`msgspec.convert`)
and refuses anything it does not understand: an unknown key, a missing number, a category
or phase that does not exist, a number below its limit; then it checks what no type can
say (placeholders, the order of the gate days, the decision thresholds, reserved ids).
`load_rules()` returns the shipped protocol; `parse_rules()` checks any document.
`how_to()` gives the steps of a plan's task: how to do the exercise its template describes.
"""

import re
import string
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal, NamedTuple

import msgspec
import tomli
from msgspec import Meta

from planner.model import Category, Distance, Phase, Task

KINDS = ("cramp", "grade1", "grade2")
MUSCLES = ("gastrocnemius", "soleus")  # "unsure" is planned as soleus: the slower one
PLACEHOLDERS = {"calf", "side", "distance", "minutes"}

# An exercise's `how`: this many lines, each at most HOW_WIDTH characters. The deepest
# indent they are shown at is `planner show --how`'s, 13 columns with two-digit task
# numbers: 13 + 64 leaves them inside an 80-column terminal, unwrapped.
HOW_LINES = (4, 6)
HOW_WIDTH = 64
# Templates of these categories are exercises whatever they say: each must say how it is
# done. (A massage may be a booking and a check a question, so those are not forced.)
NEEDS_HOW = frozenset(
    {Category.CALF_RAISES, Category.HEEL_DROPS, Category.ISOMETRIC, Category.STRETCH}
)

# The numbers protocol.toml holds, as msgspec checks them.
KindName = Literal[KINDS]
MuscleName = Literal[MUSCLES]
Count = Annotated[int, Meta(ge=0)]
Positive = Annotated[int, Meta(ge=1)]
Fraction = Annotated[float, Meta(ge=0, lt=1)]  # an int is taken as a float


class RulesError(ValueError):
    """The protocol data is malformed; the message names the key."""


class Condition(msgspec.Struct, eq=False):
    """When a template or a `never` rule applies; None means "any"."""

    phases: frozenset[Phase] | None = None
    kinds: frozenset[str] | None = None
    distances: frozenset[Distance] | None = None
    from_day: dict[str, int] | None = None
    until_day: dict[str, int] | None = None
    from_race: int | None = None
    until_race: int | None = None
    run_day: bool | None = None
    gate_day: bool | None = None
    plan_day: bool | None = None
    before_gate: int | None = None  # exactly this many days before a run gate
    racing: bool | None = None  # the race is on (a gate fits before it), or not
    strength_day: bool | None = None  # a strength-session day
    heel_day: bool | None = None  # a strength session that carries heel drops
    daily_raises: bool | None = None  # one of the days of daily single-leg raises
    protect_again: bool | None = None  # one of the 3 protect days after red on race day or later
    # Single days: the day matches if it is one of `on_days` (since the injury) or of
    # `on_race` (race offsets); None for both: no such limit.
    on_days: frozenset[int] | None = None
    on_race: frozenset[int] | None = None
    last_day: bool | None = None  # the plan's last day
    muscles: frozenset[str] | None = None  # a strain planned as one of these muscles
    recurrent: bool | None = None  # cramps that keep coming back (or not)
    rest_day: bool | None = None  # the week's full rest day (or not)
    intervals_day: bool | None = None  # a cross-training day with intervals (or not)


class Template(msgspec.Struct, eq=False):
    """A task as the protocol describes it, before placeholders are filled in."""

    id: str
    category: Category
    title: str
    dose: str
    why: str
    minutes: int | None = None
    sets: int | None = None
    reps: int | None = None
    hold_s: int | None = None
    when: Condition = msgspec.field(default_factory=Condition)
    once: bool = False
    how: tuple[str, ...] = ()  # the steps of an exercise; () for anything else


class NeverRule(msgspec.Struct, eq=False):
    """Categories that must never be scheduled where `when` holds."""

    categories: frozenset[Category]
    when: Condition
    why: str


# protocol.toml holds the records below as they are: it is read straight into them, with
# a key they don't name refused (a typo fails loudly), and a number below its limit.


class GateDays(msgspec.Struct, eq=False, forbid_unknown_fields=True):
    """When the run gate may come for one injury class and muscle: never before `earliest`,
    on `usual` unless the race needs it sooner."""

    earliest: Positive
    usual: Positive


class KindRule(msgspec.Struct, eq=False):
    """Timings for one injury class."""

    label: str
    protect_days: int
    single_leg_from: int  # single-leg calf raises from this day
    gate: dict[str, GateDays]  # by muscle
    gate_before_race: int  # the gate at the latest this many days before the race
    typical_return_day: int
    return_text: str


class DistanceRule(msgspec.Struct, eq=False, forbid_unknown_fields=True):
    """Timings and volumes for one race distance."""

    label: str
    taper_days: Positive
    after_days: Positive
    after_run_from: Positive
    expected_minutes: Positive
    easy_cap: Positive
    long_cap: Positive
    # finish times a runner may give, minutes
    finish_range: tuple[Positive, Positive] | None = None


class PhaseInfo(msgspec.Struct, eq=False, forbid_unknown_fields=True):
    """How a phase is named and explained to the runner."""

    label: str
    about: str


class Running(msgspec.Struct, eq=False):
    """The return to running: the walk-run ladder, then easy and long runs."""

    ladder: tuple[Template, ...]
    easy: Template
    long: Template
    strides: Template
    shakeout: Template
    step_every_days: int
    easy_step: int
    long_every: int
    long_step: int
    long_share: float
    spike_factor: float
    spike_window_days: int
    spike_free_minutes: int
    ladder_repeats: int
    sprint: tuple[Template, ...] = ()


class Taper(msgspec.Struct, eq=False, forbid_unknown_fields=True):
    """How much the taper cuts running."""

    min_cut: Fraction
    target_cut: Fraction
    min_run_minutes: Positive


class GateTest(msgspec.Struct, eq=False, forbid_unknown_fields=True):
    """What passing the run gate takes, and when to retest after a fail."""

    raises: Positive
    hops: Positive
    walk_minutes: Positive
    retest_after_days: Positive
    other_side_fraction: Fraction


class PainRules(msgspec.Struct, eq=False):
    """Pain bands and what they do to the plan."""

    green_max: int
    amber_max: int
    clear_below: int
    clinician: str
    swap: Template

    def band(self, score: int) -> str:
        """'green', 'amber' or 'red' for a 0-10 score."""
        if score <= self.green_max:
            return "green"
        return "amber" if score <= self.amber_max else "red"


class CallText(msgspec.Struct, eq=False, forbid_unknown_fields=True):
    """How one race-day call is named, what to do on the day, and (don't start) what to do
    if the runner starts anyway."""

    label: str
    advice: str
    if_you_start: str | None = None


class DecisionRules(msgspec.Struct, eq=False):
    """The race-day call's thresholds and words (protocol.toml's [decision])."""

    race_fraction: float
    race_runs: int
    race_max_pain: int
    run_walk_fraction: float
    run_walk_runs: int
    run_walk_max_pain: int
    cramp_runs: int
    pain_free_max: int
    window_days: int
    log_max_age_days: int
    rest_days: int
    grade2_min_days: int
    sprint_days: int
    calls: dict[str, CallText]
    texts: dict[str, str]


CALLS = ("race", "run-walk", "dont-start")

# Every reason text of the call and the placeholders it may use: the call fills in exactly
# these, so a text with any other would fail only when that reason comes up.
_GAPS = {"longest", "race_needs", "run_walk_needs", "race_gap", "run_walk_gap"}
_LONGEST = {
    "window",
    "longest",
    "race_needs",
    "race_percent",
    "run_walk_needs",
    "run_walk_percent",
    "expected_words",
}
DECISION_TEXTS: dict[str, frozenset[str]] = {
    "gate_passed": frozenset({"date"}),
    "gate_failed": frozenset({"date"}),
    "gate_none": frozenset(),
    "pain": frozenset({"pain", "date", "race_max_pain", "run_walk_max_pain"}),
    "pain_stale": frozenset({"pain", "date", "days"}),
    "pain_none": frozenset({"days"}),
    "at_rest": frozenset({"date"}),
    "clinician": frozenset(),
    "red_flag": frozenset(),
    "red_flag_unanswered": frozenset(),
    "grade2": frozenset({"age", "min_days"}),
    "expected_given": frozenset({"expected"}),
    "expected_typical": frozenset({"expected", "distance"}),
    "longest": frozenset(_LONGEST),
    "longest_cramp": frozenset(_LONGEST),
    "short_both": frozenset(_GAPS),
    "short_race": frozenset(_GAPS),
    "unlogged": frozenset({"dates"}),
    "runs": frozenset({"runs", "race_runs", "run_walk_runs"}),
    "runs_cramp": frozenset({"runs", "cramp_runs", "run_walk_runs"}),
    "sprint_ready": frozenset({"date", "days"}),
    "sprint_not_ready": frozenset({"days"}),
}


class RedFlag(msgspec.Struct, eq=False, forbid_unknown_fields=True):
    """A safety question asked before a plan is made, and what a yes means; `kinds` limits
    it to some injury classes (None: every one)."""

    id: str
    question: str
    advice: str
    emergency: bool
    kinds: frozenset[KindName] | None = None

    def asked_for(self, kind: str) -> bool:
        """Whether the question is asked for an injury class ('cramp', 'grade1'...)."""
        return self.kinds is None or kind in self.kinds


class Rules(msgspec.Struct, eq=False):
    """The whole protocol."""

    kinds: dict[str, KindRule]
    distances: dict[Distance, DistanceRule]
    phases: dict[Phase, PhaseInfo]
    gate: Template
    no_race_day: Template
    running: Running
    taper: Taper
    tasks: tuple[Template, ...]
    never: tuple[NeverRule, ...]
    grade3_advice: str
    too_soon_warning: str
    too_soon_sprint_warning: str
    no_race_warning: str
    no_race_after_days: int
    red_flags: tuple[RedFlag, ...]
    gate_test: GateTest
    pain: PainRules
    decision: DecisionRules


# ----------------------------------------------------------------------------- the file
#
# The tables of protocol.toml whose shape differs from the records above, as msgspec reads
# them: the records are made from them once what no type can say is checked. In each, the
# keys are in the order a problem is reported: the first missing one is named first.


class _Table(msgspec.Struct, forbid_unknown_fields=True):
    """A table of protocol.toml: a key it doesn't name is refused (a typo fails loudly)."""


class _When(_Table):
    """The keys that say when a task or a `never` rule applies: a Condition's fields, with
    a day by injury class (`from_day`, `until_day`) given as one day for all or a table."""

    phases: Annotated[frozenset[Phase], Meta(min_length=1)] | None = None
    kinds: Annotated[frozenset[KindName], Meta(min_length=1)] | None = None
    distances: Annotated[frozenset[Distance], Meta(min_length=1)] | None = None
    from_day: int | dict[str, Any] | None = None
    until_day: int | dict[str, Any] | None = None
    from_race: int | None = None
    until_race: int | None = None
    run_day: bool | None = None
    gate_day: bool | None = None
    plan_day: bool | None = None
    before_gate: Positive | None = None
    racing: bool | None = None
    strength_day: bool | None = None
    heel_day: bool | None = None
    daily_raises: bool | None = None
    protect_again: bool | None = None
    on_days: Annotated[frozenset[int], Meta(min_length=1)] | None = None
    on_race: Annotated[frozenset[int], Meta(min_length=1)] | None = None
    last_day: bool | None = None
    muscles: Annotated[frozenset[MuscleName], Meta(min_length=1)] | None = None
    recurrent: bool | None = None
    rest_day: bool | None = None
    intervals_day: bool | None = None


class _TaskTable(_When, kw_only=True):
    """A `[[tasks]]` template: what to do, and when.

    It names `_NamedTask`'s keys again: a Struct takes fields from one base only, and
    this one takes `_When`'s (which `[[never]]` shares)."""

    category: Category
    id: str
    title: str
    dose: str
    why: str
    minutes: Positive | None = None
    sets: Positive | None = None
    reps: Positive | None = None
    hold_s: Positive | None = None
    once: bool = False
    how: list[str] | None = None


class _Dose(_Table, kw_only=True):
    """What every task template says: its words and how much."""

    title: str
    dose: str
    why: str
    minutes: Positive | None = None
    sets: Positive | None = None
    reps: Positive | None = None
    hold_s: Positive | None = None
    how: list[str] | None = None


class _NamedTask(_Dose, kw_only=True):
    """A template placed by the engine itself (the gate, the day off racing, the swap)."""

    category: Category
    id: str


class _Step(_Dose, kw_only=True):
    """A running template: its id is `run`, and it is a run unless it says otherwise."""

    category: Category = Category.RUN


class _NeverTable(_When, kw_only=True):
    """A `[[never]]` rule."""

    categories: Annotated[frozenset[Category], Meta(min_length=1)]
    why: str


def _keyed(name: str, keys: Iterable[str], kind: Any) -> Any:
    """A table that has exactly `keys` (no other), each holding a `kind`."""
    fields = []
    for key in keys:
        attribute = key.replace("-", "_")
        attribute = attribute if attribute.isidentifier() else f"_{attribute}"
        fields.append((attribute, kind, msgspec.field(name=key)))
    return msgspec.defstruct(name, fields, bases=(_Table,))


def _by_key(table: msgspec.Struct) -> dict[str, Any]:
    """A `_keyed` table as a dict by its keys."""
    keys = type(table).__struct_encode_fields__
    return dict(zip(keys, msgspec.structs.astuple(table), strict=True))


_GateByMuscle = _keyed("_GateByMuscle", MUSCLES, GateDays)


class _KindTable(_Table):
    gate: _GateByMuscle
    label: str
    protect_days: Positive
    single_leg_from: Positive
    gate_before_race: Positive
    typical_return_day: Count
    return_text: str


class _RunningTable(_Table):
    ladder: Annotated[list[_Step], Meta(min_length=1)]
    spike_factor: Annotated[float, Meta(gt=1, le=2)]
    sprint: Annotated[list[_Step], Meta(min_length=1)]
    easy: _Step
    long: _Step
    strides: _Step
    shakeout: _Step
    step_every_days: Positive
    easy_step: Count
    long_every: Positive
    long_step: Positive
    long_share: Fraction
    spike_window_days: Annotated[int, Meta(ge=7)]
    spike_free_minutes: Count
    ladder_repeats: Positive


class _PainTable(_Table):
    green_max: Count
    amber_max: Count
    clear_below: Positive
    clinician: str
    swap: _NamedTask


_Texts = _keyed("_Texts", DECISION_TEXTS, str)


class _DecisionTable(_Table):
    race: CallText
    run_walk: CallText = msgspec.field(name="run-walk")
    dont_start: CallText = msgspec.field(name="dont-start")
    texts: _Texts
    race_fraction: Fraction
    race_runs: Positive
    race_max_pain: Count
    run_walk_fraction: Fraction
    run_walk_runs: Positive
    run_walk_max_pain: Count
    cramp_runs: Positive
    pain_free_max: Count
    window_days: Positive
    log_max_age_days: Count
    rest_days: Positive
    grade2_min_days: Count
    sprint_days: Positive


class _Grade3(_Table):
    advice: str


class _Warning(_Table):
    too_soon: str
    too_soon_sprint: str
    no_race: str


class _After(_Table):
    no_race_days: Positive


_Kinds = _keyed("_Kinds", KINDS, _KindTable)
_Distances = _keyed("_Distances", (d.value for d in Distance), DistanceRule)
_Phases = _keyed("_Phases", (p.value for p in Phase), PhaseInfo)


class _Version(msgspec.Struct):
    version: int


class _Protocol(_Table):
    version: int
    kinds: _Kinds
    distances: _Distances
    phases: _Phases
    taper: Taper
    tasks: list[_TaskTable]
    never: list[_NeverTable]
    red_flags: list[RedFlag]
    gate_test: GateTest
    pain: _PainTable
    decision: _DecisionTable
    grade3: _Grade3
    warning: _Warning
    after: _After
    gate: _NamedTask
    no_race_day: _NamedTask
    running: _RunningTable


# ----------------------------------------------------------------------------- reading


def parse_rules(doc: dict, source: str = "protocol.toml") -> Rules:
    """Check a parsed protocol document and return it as Rules, or raise RulesError."""
    version = _converted(doc, _Version, source).version
    if version != 1:
        raise RulesError(f"{source}.version: only version 1 is understood")
    table = _converted(doc, _Protocol, source)

    kinds = {}
    for name, kind in _by_key(table.kinds).items():
        where = f"{source}.kinds.{name}"
        gates = _by_key(kind.gate)
        # A strain's gate comes after two days of single-leg raises (and outside protect);
        # a cramp's day-1 check is its gate. The usual day is never before the earliest.
        first = kind.protect_days
        if name != "cramp":
            first = max(first, kind.single_leg_from + 2)
        for muscle, days in gates.items():
            if days.earliest < first or days.usual < days.earliest:
                raise RulesError(
                    f"{where}.gate.{muscle}: need {first} <= earliest <= usual "
                    "(after protect, and for a strain after two days of single-leg raises)"
                )
        kinds[name] = KindRule(
            label=kind.label,
            protect_days=kind.protect_days,
            single_leg_from=kind.single_leg_from,
            gate=gates,
            gate_before_race=kind.gate_before_race,
            typical_return_day=kind.typical_return_day,
            return_text=kind.return_text,
        )

    distances = {Distance(key): rule for key, rule in _by_key(table.distances).items()}
    for distance, rule in distances.items():
        if rule.finish_range is not None and rule.finish_range[0] > rule.finish_range[1]:
            where = f"{source}.distances.{distance.value}.finish_range"
            raise RulesError(f"{where}: expected [low, high], whole minutes")
    phases = {Phase(key): info for key, info in _by_key(table.phases).items()}

    taper = table.taper
    if taper.target_cut < taper.min_cut:
        raise RulesError(f"{source}.taper.target_cut: must be at least min_cut")

    tasks = tuple(_template(t, f"{source}.tasks[{i}]") for i, t in enumerate(table.tasks))
    reserved = {"run", "gate", "dont-start"}
    for i, template in enumerate(tasks):
        if template.id in reserved:
            raise RulesError(f"{source}.tasks[{i}].id: {template.id!r} is reserved")
        if template.category in NEEDS_HOW and not template.how:
            raise RulesError(
                f"{source}.tasks[{i}].how: missing; every {template.category.value} "
                "template says how it is done"
            )

    never = tuple(
        NeverRule(rule.categories, _condition(rule, f"{source}.never[{i}]"), rule.why)
        for i, rule in enumerate(table.never)
    )

    red_flags = tuple(table.red_flags)
    if len({f.id for f in red_flags}) != len(red_flags):
        raise RulesError(f"{source}.red_flags: ids must be unique")

    where = f"{source}.pain"
    pain = PainRules(
        green_max=table.pain.green_max,
        amber_max=table.pain.amber_max,
        clear_below=table.pain.clear_below,
        clinician=table.pain.clinician,
        swap=_template(table.pain.swap, f"{where}.swap"),
    )
    if not 0 <= pain.green_max < pain.amber_max < 10:
        raise RulesError(f"{where}: need 0 <= green_max < amber_max < 10")
    if "{minutes}" not in pain.swap.title:
        raise RulesError(f"{where}.swap.title: must say {{minutes}}")

    decision = _decision(table.decision, pain, f"{source}.decision")

    rules = Rules(
        kinds=kinds,
        distances=distances,
        phases=phases,
        gate=_template(table.gate, f"{source}.gate"),
        no_race_day=_template(table.no_race_day, f"{source}.no_race_day"),
        running=_running(table.running, f"{source}.running"),
        taper=taper,
        tasks=tasks,
        never=never,
        grade3_advice=table.grade3.advice,
        too_soon_warning=table.warning.too_soon,
        too_soon_sprint_warning=table.warning.too_soon_sprint,
        no_race_warning=table.warning.no_race,
        no_race_after_days=table.after.no_race_days,
        red_flags=red_flags,
        gate_test=table.gate_test,
        pain=pain,
        decision=decision,
    )
    _check_how_is_one(rules, source)
    return rules


def _check_text(text: str, where: str) -> str:
    for _, name, _, _ in string.Formatter().parse(text):
        if name is not None and name not in PLACEHOLDERS:
            raise RulesError(f"{where}: unknown placeholder {{{name}}}")
    return text


def _template(table: _TaskTable | _Dose, where: str) -> Template:
    """A task template read from `table`, once what its type can't say is checked."""
    for key in ("title", "dose", "why"):
        _check_text(getattr(table, key), f"{where}.{key}")
    template = Template(
        id=getattr(table, "id", "run"),  # a running step's id is `run`
        category=table.category,
        title=table.title,
        dose=table.dose,
        why=table.why,
        minutes=table.minutes,
        sets=table.sets,
        reps=table.reps,
        hold_s=table.hold_s,
    )
    if isinstance(table, _TaskTable):
        template.when = _condition(table, where)
        template.once = table.once
    if table.how is not None:
        template.how = _checked_how(table.how, f"{where}.how")
    if not template.id or not template.title.strip():
        raise RulesError(f"{where}: a task needs an id and a title")
    carries_minutes = template.minutes is not None or "{minutes}" in template.title
    if template.category in (Category.RUN, Category.WALK) and not carries_minutes:
        raise RulesError(f"{where}: runs and walks must carry minutes")
    return template


_CONDITION = Condition.__struct_fields__


def _condition(table: _When, where: str) -> Condition:
    """The Condition the keys of `table` say; a day by injury class becomes a table."""
    when = Condition(*(getattr(table, name) for name in _CONDITION))
    when.from_day = _day_table(table.from_day, table.kinds, f"{where}.from_day")
    when.until_day = _day_table(table.until_day, table.kinds, f"{where}.until_day")
    return when


def _day_table(value: Any, kinds: frozenset[str] | None, where: str) -> dict[str, int] | None:
    """A day since the injury by injury class: one for all, or one for each class the
    template is for."""
    if value is None:
        return None
    if isinstance(value, int):
        return dict.fromkeys(KINDS, value)
    missing = sorted((kinds or frozenset(KINDS)) - set(value))
    if missing:
        raise RulesError(f"{where}: no day for {missing[0]!r}")
    unknown = sorted(set(value) - set(KINDS))
    if unknown:
        raise RulesError(f"{where}: unknown injury class {unknown[0]!r}")
    if not all(type(v) is int for v in value.values()):
        raise RulesError(f"{where}: days must be whole numbers")
    return dict(value)


def _running(table: _RunningTable, where: str) -> Running:
    ladder = tuple(_template(t, f"{where}.ladder[{i}]") for i, t in enumerate(table.ladder))
    sprint = tuple(_template(t, f"{where}.sprint[{i}]") for i, t in enumerate(table.sprint))
    if any(t.minutes is None for t in sprint):
        raise RulesError(f"{where}.sprint: needs steps, each with minutes")
    running = Running(
        ladder=ladder,
        easy=_template(table.easy, f"{where}.easy"),
        long=_template(table.long, f"{where}.long"),
        strides=_template(table.strides, f"{where}.strides"),
        shakeout=_template(table.shakeout, f"{where}.shakeout"),
        step_every_days=table.step_every_days,
        easy_step=table.easy_step,
        long_every=table.long_every,
        long_step=table.long_step,
        long_share=table.long_share,
        spike_factor=table.spike_factor,
        spike_window_days=table.spike_window_days,
        spike_free_minutes=table.spike_free_minutes,
        ladder_repeats=table.ladder_repeats,
        sprint=sprint,
    )
    if running.shakeout.minutes is None:
        raise RulesError(f"{where}.shakeout.minutes: missing")
    return running


def _decision(table: _DecisionTable, pain: PainRules, where: str) -> DecisionRules:
    """The race-day call's rules; refuses thresholds that would let a looser call demand
    more than a stricter one, or let anyone start without a run or a green pain log."""
    calls = dict(zip(CALLS, (table.race, table.run_walk, table.dont_start), strict=True))
    if calls["dont-start"].if_you_start is None:
        raise RulesError(f"{where}.dont-start.if_you_start: missing")
    texts = _by_key(table.texts)
    for key, allowed in DECISION_TEXTS.items():
        for _, name, _, _ in string.Formatter().parse(texts[key]):
            if name is not None and name not in allowed:
                raise RulesError(f"{where}.texts.{key}: unknown placeholder {{{name}}}")
    rules = DecisionRules(
        race_fraction=table.race_fraction,
        race_runs=table.race_runs,
        race_max_pain=table.race_max_pain,
        run_walk_fraction=table.run_walk_fraction,
        run_walk_runs=table.run_walk_runs,
        run_walk_max_pain=table.run_walk_max_pain,
        cramp_runs=table.cramp_runs,
        pain_free_max=table.pain_free_max,
        window_days=table.window_days,
        log_max_age_days=table.log_max_age_days,
        rest_days=table.rest_days,
        grade2_min_days=table.grade2_min_days,
        sprint_days=table.sprint_days,
        calls=calls,
        texts=texts,
    )
    if rules.run_walk_fraction > rules.race_fraction or rules.run_walk_runs > rules.race_runs:
        raise RulesError(f"{where}: run-walk can't need more than racing")
    if not rules.race_max_pain <= rules.run_walk_max_pain <= pain.green_max:
        raise RulesError(f"{where}: need race_max_pain <= run_walk_max_pain <= pain.green_max")
    if rules.pain_free_max > pain.green_max:
        raise RulesError(f"{where}.pain_free_max: a pain-free run is at most green")
    return rules


# ------------------------------------------------------------------------- how-tos


def _checked_how(how: list[str], where: str) -> tuple[str, ...]:
    """An exercise's steps, refused unless there are 4-6 lines, each one printable line of
    at most HOW_WIDTH characters without a placeholder (nothing fills one in a step)."""
    low, high = HOW_LINES
    if not low <= len(how) <= high:
        raise RulesError(f"{where}: {low}-{high} lines, not {len(how)}")
    for i, line in enumerate(how):
        if not line.strip() or line != line.strip() or not line.isprintable():
            raise RulesError(f"{where}[{i}]: one line of text, without blanks around it")
        if len(line) > HOW_WIDTH:
            raise RulesError(f"{where}[{i}]: {len(line)} characters; at most {HOW_WIDTH}")
        if "{" in line or "}" in line:
            raise RulesError(f"{where}[{i}]: no placeholders in a step (say 'the sore leg')")
    return tuple(how)


def all_templates(rules: Rules) -> list[Template]:
    """Every template a plan's task can come from: the engine's own ones and the list."""
    running = rules.running
    return [
        rules.gate,
        rules.no_race_day,
        rules.pain.swap,
        *running.ladder,
        running.easy,
        running.long,
        running.strides,
        running.shakeout,
        *running.sprint,
        *rules.tasks,
    ]


class _HowEntry(NamedTuple):
    """A template as `how_to` looks it up: its title as a pattern, its injury classes."""

    title: re.Pattern[str]
    kinds: frozenset[str] | None
    how: tuple[str, ...]


def _title_pattern(title: str) -> re.Pattern[str]:
    """A pattern a task's title matches when it was made from `title` (placeholders filled
    in with anything)."""
    parts = []
    for literal, name, _, _ in string.Formatter().parse(title):
        parts.append(re.escape(literal))
        if name is not None:
            parts.append(".+?")
    return re.compile("".join(parts), re.DOTALL)


@lru_cache(maxsize=4)
def _how_index(rules: Rules) -> dict[str, list[_HowEntry]]:
    """The templates by id, in the file's order: built the first time a how-to is asked
    for, never at startup (nothing on the first frame needs it)."""
    index: dict[str, list[_HowEntry]] = {}
    for template in all_templates(rules):
        entry = _HowEntry(_title_pattern(template.title), template.when.kinds, template.how)
        index.setdefault(template.id, []).append(entry)
    return index


def _check_how_is_one(rules: Rules, source: str) -> None:
    """Templates that share an id and a title, and can meet in one plan (their injury
    classes overlap), must say the same steps: a task made from either would otherwise
    get whichever `how_to` met first."""
    seen: dict[tuple[str, str], list[Template]] = {}
    for template in all_templates(rules):
        for other in seen.setdefault((template.id, template.title), []):
            mine, theirs = template.when.kinds, other.when.kinds
            overlap = mine is None or theirs is None or bool(mine & theirs)
            if overlap and other.how != template.how:
                raise RulesError(
                    f"{source}: two {template.id!r} templates titled {template.title!r} "
                    "say different steps (`how`); make them the same, or the titles differ"
                )
        seen[(template.id, template.title)].append(template)


def how_to(task: Task, kind: str, rules: Rules | None = None) -> tuple[str, ...]:
    """How to do `task` of a plan for injury class `kind` ('cramp', 'grade1', 'grade2'):
    the steps of the template it was made from, or () when it has none (a rest day, a
    check, a run; the runner's own task).

    A task keeps its template's id, and several templates can share one (every run is
    `run`; single-leg raises are a daily set or a strength session): the one whose title
    the task's matches is taken. A task whose title no template makes any more (a plan of
    an older protocol) gets the steps only when every template with its id says the same.
    """
    if task.custom:
        return ()
    entries = [
        entry
        for entry in _how_index(rules or load_rules()).get(task.id, ())
        if entry.kinds is None or kind in entry.kinds
    ]
    for entry in entries:
        if entry.title.fullmatch(task.title):
            return entry.how
    steps = {entry.how for entry in entries}
    return steps.pop() if len(steps) == 1 else ()


# ------------------------------------------------------------------------- refusals


def _converted(doc: Any, kind: Any, source: str) -> Any:
    """`doc` as `kind`, or RulesError naming the key and what is wrong with it."""
    try:
        return msgspec.convert(doc, kind)
    except msgspec.ValidationError as error:
        raise RulesError(_refusal(str(error), kind, doc, source)) from None


def _allowed(enum: Any) -> str:
    return ", ".join(m.value for m in enum)


# What a list of names must hold, in the words of the messages, for a refusal of the list
# or of one of its items: (the list is empty, an item is wrong). For the `category` of a
# task, an unknown value. `{value!r}` is the value the file has for the key.
_SAYS: dict[str, tuple[str | None, str | None]] = {
    "phases": (
        "expected a non-empty list",
        f"unknown value in {{value!r}}; allowed: {_allowed(Phase)}",
    ),
    "distances": (
        "expected a non-empty list",
        f"unknown value in {{value!r}}; allowed: {_allowed(Distance)}",
    ),
    "categories": (
        "expected a non-empty list",
        f"unknown value in {{value!r}}; allowed: {_allowed(Category)}",
    ),
    "kinds": (f"use {', '.join(KINDS)}",) * 2,
    "muscles": (f"use {', '.join(MUSCLES)}",) * 2,
    "on_days": ("expected a non-empty list of whole numbers",) * 2,
    "on_race": ("expected a non-empty list of whole numbers",) * 2,
    "finish_range": ("expected [low, high], whole minutes",) * 2,
    "ladder": ("needs at least one step", None),
    "sprint": ("needs steps, each with minutes", None),
    "category": (None, "unknown category {value!r}"),
}
# msgspec's names of what it expected, as the messages name them.
_NAMES = {"object": "dict", "array": "list", "float": "int or float"}
_PATH_PART = r"\.([^.\[]+)|\[(\d+|\.\.\.)\]"  # msgspec's path: $.tasks[3].phases


def _refusal(message: str, kind: Any, doc: Any, source: str) -> str:
    """The message for msgspec's refusal of `doc` as `kind`: the key (`source.kinds.grade1.
    gate`) and what is wrong, as the protocol's editor reads it."""
    from msgspec import inspect  # for a protocol we refuse only

    what, _, at = message.partition(" - at `")
    path = [int(i) if i.isdigit() else f or i for f, i in re.findall(_PATH_PART, at[1:-1])]
    missing = re.match(r"Object missing required field `(.+)`", what)
    if missing:
        path.append(missing.group(1))
    # The place msgspec names, step by step: the key, its type and the file's value.
    steps = [(source, inspect.type_info(kind), doc)]
    for part in path:
        where, info, value = steps[-1]
        info = _unwrapped(info)
        if isinstance(info, inspect.StructType):
            info = next(f.type for f in info.fields if f.encode_name == part)
            where = f"{where}.{part}"
        elif isinstance(info, inspect.TupleType):
            info, where = info.item_types[part], f"{where}[{part}]"
        else:
            info, where = info.item_type, f"{where}[{part}]"
        if part == "...":
            break
        value = value[part] if not missing or part != path[-1] else None
        steps.append((where, info, value))
    where, info, value = steps[-1]
    if missing:
        return f"{where}: missing"
    unknown = re.match(r"Object contains unknown field `", what)
    if unknown:
        known = _unwrapped(info).cls.__struct_encode_fields__
        return f"{where}: unknown key {sorted(set(value) - set(known))[0]!r}"
    for depth, (place, field_info, field_value) in enumerate(steps[1:], 1):
        says = _SAYS.get(path[depth - 1]) if isinstance(path[depth - 1], str) else None
        if says is None:
            continue
        empty, wrong = says
        if depth == len(steps) - 1:  # the key itself
            words = empty if "of length" in what else wrong if "Invalid enum" in what else None
        else:  # an item in it
            words = wrong if _is_list(field_info) else None
        if words is not None:
            return f"{place}: {words.format(value=field_value)}"
    info = _unwrapped(info)
    if what.startswith("Expected `object`, got") and (not path or isinstance(path[-1], int)):
        return f"{where}: expected a table"
    if isinstance(info, inspect.IntType) and type(value) is int:
        return f"{where}: must be at least {info.ge}"
    if isinstance(info, inspect.FloatType) and type(value) in (int, float):
        low = f"from {info.ge:g}" if info.ge is not None else f"above {info.gt:g}"
        high = f"to below {info.lt:g}" if info.lt is not None else f"and at most {info.le:g}"
        return f"{where}: must be {low} {high}"
    expected = re.match(r"Expected `([^`]+)`, got", what)
    if expected:
        names = [_NAMES.get(n, n) for n in expected.group(1).split(" | ") if n != "null"]
        return f"{where}: expected {' or '.join(names)}, got {value!r}"
    return f"{where}: {what}"


def _unwrapped(info: Any) -> Any:
    """The type of an optional value (`int | None`: int)."""
    from msgspec import inspect

    if isinstance(info, inspect.UnionType):
        types = [t for t in info.types if not isinstance(t, inspect.NoneType)]
        return types[0] if len(types) == 1 else info
    return info


def _is_list(info: Any) -> bool:
    from msgspec import inspect

    kinds = (inspect.ListType, inspect.FrozenSetType, inspect.TupleType, inspect.SetType)
    return isinstance(_unwrapped(info), kinds)


@cache
def load_rules() -> Rules:
    """The protocol shipped with the app (read once, then cached)."""
    # A plain path: importlib.resources would pull in zipfile and inspect at startup.
    text = Path(__file__).with_name("protocol.toml").read_text(encoding="utf-8")
    return parse_rules(tomli.loads(text))
