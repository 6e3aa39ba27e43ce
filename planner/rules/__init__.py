"""The protocol in `protocol.toml` as typed records, read once per process.

The protocol (which task on which day, what dose, why) is data so that it can be read and
changed without Python. `load_rules()` returns the shipped protocol: checked by
`planner.rules.reading` (which refuses anything it does not understand), and kept by
`planner.rules.cache` beside the package so that later starts skip the TOML and the
checks. `parse_rules()` checks any document. `how_to()` gives the steps of a plan's
task: how to do the exercise its template describes.
"""

import functools
import re
import string
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal, NamedTuple

import msgspec
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


# ------------------------------------------------------------------------- loading

PROTOCOL = Path(__file__).with_name("protocol.toml")


def parse_rules(doc: dict, source: str = "protocol.toml") -> Rules:
    """Check a parsed protocol document and return it as Rules, or raise RulesError."""
    from planner.rules.reading import parse_rules as parse  # only when there is no cache

    return parse(doc, source)


@functools.cache
def load_rules() -> Rules:
    """The protocol shipped with the app (read once per process).

    From the cache when it holds this very protocol (planner.rules.cache says how that is
    known); otherwise read and checked, and the cache written for the next start.
    """
    from planner.rules import cache as kept  # functools.cache is not imported by name

    # A plain path: importlib.resources would pull in zipfile and inspect at startup.
    data = PROTOCOL.read_bytes()
    key = kept.key(data)
    rules = kept.read(key)
    if rules is None:
        import tomli

        rules = parse_rules(tomli.loads(data.decode("utf-8")))
        kept.write(key, rules)
    return rules
