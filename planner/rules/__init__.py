"""Load and check the protocol data in `protocol.toml`.

The protocol (which task on which day, what dose, why) is data so that it can be read and
changed without Python. This module turns the TOML into typed objects and refuses anything
it does not understand: an unknown key, a missing number, a category or phase that does not
exist. `load_rules()` returns the shipped protocol; `parse_rules()` checks any document.
"""

from __future__ import annotations

import string
from functools import cache
from pathlib import Path
from typing import Any

import msgspec
import tomli

from planner.model import Category, Distance, Phase

KINDS = ("cramp", "grade1", "grade2")
PLACEHOLDERS = {"calf", "side", "distance", "minutes"}


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


class NeverRule(msgspec.Struct, eq=False):
    """Categories that must never be scheduled where `when` holds."""

    categories: frozenset[Category]
    when: Condition
    why: str


MUSCLES = ("gastrocnemius", "soleus")  # "unsure" is planned as soleus: the slower one


class GateDays(msgspec.Struct, eq=False):
    """When the run gate may come for one injury class and muscle: never before `earliest`,
    on `usual` unless the race needs it sooner."""

    earliest: int
    usual: int


class KindRule(msgspec.Struct, eq=False):
    """Timings for one injury class."""

    label: str
    protect_days: int
    single_leg_from: int  # single-leg calf raises from this day
    gate: dict[str, GateDays]  # by muscle
    gate_before_race: int  # the gate at the latest this many days before the race
    typical_return_day: int
    return_text: str


class DistanceRule(msgspec.Struct, eq=False):
    """Timings and volumes for one race distance."""

    label: str
    taper_days: int
    after_days: int
    after_run_from: int
    expected_minutes: int
    easy_cap: int
    long_cap: int
    finish_range: tuple[int, int] | None = None  # finish times a runner may give, minutes


class PhaseInfo(msgspec.Struct, eq=False):
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


class Taper(msgspec.Struct, eq=False):
    """How much the taper cuts running."""

    min_cut: float
    target_cut: float
    min_run_minutes: int


class GateTest(msgspec.Struct, eq=False):
    """What passing the run gate takes, and when to retest after a fail."""

    raises: int
    hops: int
    walk_minutes: int
    retest_after_days: int
    other_side_fraction: float


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


class CallText(msgspec.Struct, eq=False):
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


class RedFlag(msgspec.Struct, eq=False):
    """A safety question asked before a plan is made, and what a yes means; `kinds` limits
    it to some injury classes (None: every one)."""

    id: str
    question: str
    advice: str
    emergency: bool
    kinds: frozenset[str] | None = None

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


class _Reader:
    """Reads one table, remembering the key path for error messages."""

    def __init__(self, table: Any, where: str) -> None:
        if not isinstance(table, dict):
            raise RulesError(f"{where}: expected a table")
        self.table = table
        self.where = where
        self.used: set[str] = set()

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        self.used.add(key)
        if key not in self.table:
            if default is ...:
                raise RulesError(f"{self.where}.{key}: missing")
            return default
        value = self.table[key]
        if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _tuple(kind)):
            raise RulesError(f"{self.where}.{key}: expected {_names(kind)}, got {value!r}")
        return value

    def number(self, key: str, default: Any = ..., minimum: int = 0) -> Any:
        value = self.get(key, int, default)
        if value is not None and value is not default and value < minimum:
            raise RulesError(f"{self.where}.{key}: must be at least {minimum}")
        return value

    def sub(self, key: str) -> _Reader:
        return _Reader(self.get(key, dict), f"{self.where}.{key}")

    def done(self) -> None:
        unknown = sorted(set(self.table) - self.used)
        if unknown:
            raise RulesError(f"{self.where}: unknown key {unknown[0]!r}")


def _tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _names(kind: type | tuple[type, ...]) -> str:
    return " or ".join(k.__name__ for k in _tuple(kind))


def _check_text(text: str, where: str) -> str:
    for _, name, _, _ in string.Formatter().parse(text):
        if name is not None and name not in PLACEHOLDERS:
            raise RulesError(f"{where}: unknown placeholder {{{name}}}")
    return text


def _enum_set(values: Any, enum: Any, where: str) -> frozenset:
    if not isinstance(values, list) or not values:
        raise RulesError(f"{where}: expected a non-empty list")
    try:
        return frozenset(enum(v) for v in values)
    except ValueError:
        allowed = ", ".join(m.value for m in enum) if enum is not str else ""
        raise RulesError(f"{where}: unknown value in {values!r}; allowed: {allowed}") from None


def _day_table(reader: _Reader, key: str, kinds: frozenset[str] | None) -> dict[str, int] | None:
    value = reader.get(key, (int, dict), None)
    if value is None:
        return None
    if isinstance(value, int):
        return dict.fromkeys(KINDS, value)
    needed = kinds or frozenset(KINDS)
    missing = sorted(needed - set(value))
    if missing:
        raise RulesError(f"{reader.where}.{key}: no day for {missing[0]!r}")
    unknown = sorted(set(value) - set(KINDS))
    if unknown:
        raise RulesError(f"{reader.where}.{key}: unknown injury class {unknown[0]!r}")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in value.values()):
        raise RulesError(f"{reader.where}.{key}: days must be whole numbers")
    return dict(value)


def _range(reader: _Reader, key: str) -> tuple[int, int] | None:
    values = reader.get(key, list, None)
    if values is None:
        return None
    if (
        len(values) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in values)
        or not 1 <= values[0] <= values[1]
    ):
        raise RulesError(f"{reader.where}.{key}: expected [low, high], whole minutes")
    return values[0], values[1]


def _int_set(reader: _Reader, key: str) -> frozenset[int] | None:
    values = reader.get(key, list, None)
    if values is None:
        return None
    if not values or not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        raise RulesError(f"{reader.where}.{key}: expected a non-empty list of whole numbers")
    return frozenset(values)


def _condition(reader: _Reader) -> Condition:
    phases = reader.get("phases", list, None)
    kinds = reader.get("kinds", list, None)
    distances = reader.get("distances", list, None)
    kind_set = None
    if kinds is not None:
        kind_set = frozenset(kinds)
        if not kinds or not kind_set <= set(KINDS):
            raise RulesError(f"{reader.where}.kinds: use {', '.join(KINDS)}")
    return Condition(
        phases=None if phases is None else _enum_set(phases, Phase, f"{reader.where}.phases"),
        kinds=kind_set,
        distances=None
        if distances is None
        else _enum_set(distances, Distance, f"{reader.where}.distances"),
        from_day=_day_table(reader, "from_day", kind_set),
        until_day=_day_table(reader, "until_day", kind_set),
        from_race=reader.get("from_race", int, None),
        until_race=reader.get("until_race", int, None),
        run_day=reader.get("run_day", bool, None),
        gate_day=reader.get("gate_day", bool, None),
        plan_day=reader.get("plan_day", bool, None),
        before_gate=reader.number("before_gate", None, minimum=1),
        racing=reader.get("racing", bool, None),
        strength_day=reader.get("strength_day", bool, None),
        heel_day=reader.get("heel_day", bool, None),
        daily_raises=reader.get("daily_raises", bool, None),
        protect_again=reader.get("protect_again", bool, None),
        on_days=_int_set(reader, "on_days"),
        on_race=_int_set(reader, "on_race"),
        last_day=reader.get("last_day", bool, None),
        muscles=_muscles(reader),
        recurrent=reader.get("recurrent", bool, None),
        rest_day=reader.get("rest_day", bool, None),
        intervals_day=reader.get("intervals_day", bool, None),
    )


def _muscles(reader: _Reader) -> frozenset[str] | None:
    values = reader.get("muscles", list, None)
    if values is None:
        return None
    if not values or not set(values) <= set(MUSCLES):
        raise RulesError(f"{reader.where}.muscles: use {', '.join(MUSCLES)}")
    return frozenset(values)


def _template(
    reader: _Reader, *, with_condition: bool = True, task_id: str | None = None
) -> Template:
    category = reader.get("category", str, "run" if task_id == "run" else ...)
    try:
        category = Category(category)
    except ValueError:
        raise RulesError(f"{reader.where}.category: unknown category {category!r}") from None
    template = Template(
        id=task_id or reader.get("id", str),
        category=category,
        title=_check_text(reader.get("title", str), f"{reader.where}.title"),
        dose=_check_text(reader.get("dose", str), f"{reader.where}.dose"),
        why=_check_text(reader.get("why", str), f"{reader.where}.why"),
        minutes=reader.number("minutes", None, minimum=1),
        sets=reader.number("sets", None, minimum=1),
        reps=reader.number("reps", None, minimum=1),
        hold_s=reader.number("hold_s", None, minimum=1),
        when=_condition(reader) if with_condition else Condition(),
        once=reader.get("once", bool, False) if with_condition else False,
    )
    if not template.id or not template.title.strip():
        raise RulesError(f"{reader.where}: a task needs an id and a title")
    carries_minutes = template.minutes is not None or "{minutes}" in template.title
    if template.category in (Category.RUN, Category.WALK) and not carries_minutes:
        raise RulesError(f"{reader.where}: runs and walks must carry minutes")
    reader.done()
    return template


def _running(reader: _Reader) -> Running:
    ladder_tables = reader.get("ladder", list)
    if not ladder_tables:
        raise RulesError(f"{reader.where}.ladder: needs at least one step")
    ladder = tuple(
        _template(_Reader(t, f"{reader.where}.ladder[{i}]"), with_condition=False, task_id="run")
        for i, t in enumerate(ladder_tables)
    )
    factor = reader.get("spike_factor", (int, float))
    if not 1 < factor <= 2:
        raise RulesError(f"{reader.where}.spike_factor: must be above 1 and at most 2")
    sprint = tuple(
        _template(_Reader(t, f"{reader.where}.sprint[{i}]"), with_condition=False, task_id="run")
        for i, t in enumerate(reader.get("sprint", list))
    )
    if not sprint or any(t.minutes is None for t in sprint):
        raise RulesError(f"{reader.where}.sprint: needs steps, each with minutes")
    running = Running(
        ladder=ladder,
        easy=_template(reader.sub("easy"), with_condition=False, task_id="run"),
        long=_template(reader.sub("long"), with_condition=False, task_id="run"),
        strides=_template(reader.sub("strides"), with_condition=False, task_id="run"),
        shakeout=_template(reader.sub("shakeout"), with_condition=False, task_id="run"),
        step_every_days=reader.number("step_every_days", minimum=1),
        easy_step=reader.number("easy_step"),
        long_every=reader.number("long_every", minimum=1),
        long_step=reader.number("long_step", minimum=1),
        long_share=_fraction(reader, "long_share"),
        spike_factor=float(factor),
        spike_window_days=reader.number("spike_window_days", minimum=7),
        spike_free_minutes=reader.number("spike_free_minutes"),
        ladder_repeats=reader.number("ladder_repeats", minimum=1),
        sprint=sprint,
    )
    if running.shakeout.minutes is None:
        raise RulesError(f"{reader.where}.shakeout.minutes: missing")
    reader.done()
    return running


def _fraction(reader: _Reader, key: str) -> float:
    value = float(reader.get(key, (int, float)))
    if not 0 <= value < 1:
        raise RulesError(f"{reader.where}.{key}: must be from 0 to below 1")
    return value


def _decision(reader: _Reader, pain: PainRules) -> DecisionRules:
    """The race-day call's rules; refuses thresholds that would let a looser call demand
    more than a stricter one, or let anyone start without a run or a green pain log."""
    calls = {}
    for call in CALLS:
        r = reader.sub(call)
        calls[call] = CallText(
            r.get("label", str), r.get("advice", str), r.get("if_you_start", str, None)
        )
        r.done()
    if calls["dont-start"].if_you_start is None:
        raise RulesError(f"{reader.where}.dont-start.if_you_start: missing")
    texts_reader = reader.sub("texts")
    texts = {}
    for key, allowed in DECISION_TEXTS.items():
        text = texts_reader.get(key, str)
        for _, name, _, _ in string.Formatter().parse(text):
            if name is not None and name not in allowed:
                raise RulesError(f"{texts_reader.where}.{key}: unknown placeholder {{{name}}}")
        texts[key] = text
    texts_reader.done()
    rules = DecisionRules(
        race_fraction=_fraction(reader, "race_fraction"),
        race_runs=reader.number("race_runs", minimum=1),
        race_max_pain=reader.number("race_max_pain"),
        run_walk_fraction=_fraction(reader, "run_walk_fraction"),
        run_walk_runs=reader.number("run_walk_runs", minimum=1),
        run_walk_max_pain=reader.number("run_walk_max_pain"),
        cramp_runs=reader.number("cramp_runs", minimum=1),
        pain_free_max=reader.number("pain_free_max"),
        window_days=reader.number("window_days", minimum=1),
        log_max_age_days=reader.number("log_max_age_days"),
        rest_days=reader.number("rest_days", minimum=1),
        grade2_min_days=reader.number("grade2_min_days"),
        sprint_days=reader.number("sprint_days", minimum=1),
        calls=calls,
        texts=texts,
    )
    reader.done()
    if rules.run_walk_fraction > rules.race_fraction or rules.run_walk_runs > rules.race_runs:
        raise RulesError(f"{reader.where}: run-walk can't need more than racing")
    if not rules.race_max_pain <= rules.run_walk_max_pain <= pain.green_max:
        raise RulesError(
            f"{reader.where}: need race_max_pain <= run_walk_max_pain <= pain.green_max"
        )
    if rules.pain_free_max > pain.green_max:
        raise RulesError(f"{reader.where}.pain_free_max: a pain-free run is at most green")
    return rules


def parse_rules(doc: dict, source: str = "protocol.toml") -> Rules:
    """Check a parsed protocol document and return it as Rules, or raise RulesError."""
    top = _Reader(doc, source)
    if top.get("version", int) != 1:
        raise RulesError(f"{source}.version: only version 1 is understood")

    kinds_reader = top.sub("kinds")
    kinds = {}
    for name in KINDS:
        r = kinds_reader.sub(name)
        gate_reader = r.sub("gate")
        gates = {}
        for muscle in MUSCLES:
            g = gate_reader.sub(muscle)
            gates[muscle] = GateDays(g.number("earliest", minimum=1), g.number("usual", minimum=1))
            g.done()
        gate_reader.done()
        kind = KindRule(
            label=r.get("label", str),
            protect_days=r.number("protect_days", minimum=1),
            single_leg_from=r.number("single_leg_from", minimum=1),
            gate=gates,
            gate_before_race=r.number("gate_before_race", minimum=1),
            typical_return_day=r.number("typical_return_day"),
            return_text=r.get("return_text", str),
        )
        r.done()
        # A strain's gate comes after two days of single-leg raises (and outside protect);
        # a cramp's day-1 check is its gate. The usual day is never before the earliest.
        first = kind.protect_days
        if name != "cramp":
            first = max(first, kind.single_leg_from + 2)
        for muscle, days in gates.items():
            if days.earliest < first or days.usual < days.earliest:
                raise RulesError(
                    f"{r.where}.gate.{muscle}: need {first} <= earliest <= usual "
                    "(after protect, and for a strain after two days of single-leg raises)"
                )
        kinds[name] = kind
    kinds_reader.done()

    distances_reader = top.sub("distances")
    distances = {}
    for distance in Distance:
        r = distances_reader.sub(distance.value)
        distances[distance] = DistanceRule(
            label=r.get("label", str),
            taper_days=r.number("taper_days", minimum=1),
            after_days=r.number("after_days", minimum=1),
            after_run_from=r.number("after_run_from", minimum=1),
            expected_minutes=r.number("expected_minutes", minimum=1),
            easy_cap=r.number("easy_cap", minimum=1),
            long_cap=r.number("long_cap", minimum=1),
            finish_range=_range(r, "finish_range"),
        )
        r.done()
    distances_reader.done()

    phases_reader = top.sub("phases")
    phases = {}
    for phase in Phase:
        r = phases_reader.sub(phase.value)
        phases[phase] = PhaseInfo(label=r.get("label", str), about=r.get("about", str))
        r.done()
    phases_reader.done()

    taper_reader = top.sub("taper")
    taper = Taper(
        min_cut=_fraction(taper_reader, "min_cut"),
        target_cut=_fraction(taper_reader, "target_cut"),
        min_run_minutes=taper_reader.number("min_run_minutes", minimum=1),
    )
    taper_reader.done()
    if taper.target_cut < taper.min_cut:
        raise RulesError(f"{source}.taper.target_cut: must be at least min_cut")

    tasks = tuple(
        _template(_Reader(t, f"{source}.tasks[{i}]")) for i, t in enumerate(top.get("tasks", list))
    )
    reserved = {"run", "gate", "dont-start"}
    for i, template in enumerate(tasks):
        if template.id in reserved:
            raise RulesError(f"{source}.tasks[{i}].id: {template.id!r} is reserved")

    never = []
    for i, t in enumerate(top.get("never", list)):
        r = _Reader(t, f"{source}.never[{i}]")
        categories = _enum_set(r.get("categories", list), Category, f"{r.where}.categories")
        never.append(NeverRule(categories, _condition(r), r.get("why", str)))
        r.done()

    red_flags = []
    for i, t in enumerate(top.get("red_flags", list)):
        r = _Reader(t, f"{source}.red_flags[{i}]")
        flag_kinds = r.get("kinds", list, None)
        if flag_kinds is not None and not set(flag_kinds) <= set(KINDS):
            raise RulesError(f"{r.where}.kinds: use {', '.join(KINDS)}")
        red_flags.append(
            RedFlag(
                r.get("id", str),
                r.get("question", str),
                r.get("advice", str),
                r.get("emergency", bool),
                None if flag_kinds is None else frozenset(flag_kinds),
            )
        )
        r.done()
    if len({f.id for f in red_flags}) != len(red_flags):
        raise RulesError(f"{source}.red_flags: ids must be unique")

    gate_reader = top.sub("gate_test")
    gate_test = GateTest(
        raises=gate_reader.number("raises", minimum=1),
        hops=gate_reader.number("hops", minimum=1),
        walk_minutes=gate_reader.number("walk_minutes", minimum=1),
        retest_after_days=gate_reader.number("retest_after_days", minimum=1),
        other_side_fraction=_fraction(gate_reader, "other_side_fraction"),
    )
    gate_reader.done()

    pain_reader = top.sub("pain")
    pain = PainRules(
        green_max=pain_reader.number("green_max"),
        amber_max=pain_reader.number("amber_max"),
        clear_below=pain_reader.number("clear_below", minimum=1),
        clinician=pain_reader.get("clinician", str),
        swap=_template(pain_reader.sub("swap"), with_condition=False),
    )
    pain_reader.done()
    if not 0 <= pain.green_max < pain.amber_max < 10:
        raise RulesError(f"{source}.pain: need 0 <= green_max < amber_max < 10")
    if "{minutes}" not in pain.swap.title:
        raise RulesError(f"{source}.pain.swap.title: must say {{minutes}}")

    decision = _decision(top.sub("decision"), pain)

    grade3 = top.sub("grade3")
    warning = top.sub("warning")
    after = top.sub("after")
    rules = Rules(
        kinds=kinds,
        distances=distances,
        phases=phases,
        gate=_template(top.sub("gate"), with_condition=False),
        no_race_day=_template(top.sub("no_race_day"), with_condition=False),
        running=_running(top.sub("running")),
        taper=taper,
        tasks=tasks,
        never=tuple(never),
        grade3_advice=grade3.get("advice", str),
        too_soon_warning=warning.get("too_soon", str),
        too_soon_sprint_warning=warning.get("too_soon_sprint", str),
        no_race_warning=warning.get("no_race", str),
        no_race_after_days=after.number("no_race_days", minimum=1),
        red_flags=tuple(red_flags),
        gate_test=gate_test,
        pain=pain,
        decision=decision,
    )
    grade3.done()
    warning.done()
    after.done()
    top.done()
    return rules


@cache
def load_rules() -> Rules:
    """The protocol shipped with the app (read once, then cached)."""
    # A plain path: importlib.resources would pull in zipfile and inspect at startup.
    text = Path(__file__).with_name("protocol.toml").read_text(encoding="utf-8")
    return parse_rules(tomli.loads(text))
