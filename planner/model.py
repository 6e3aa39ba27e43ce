"""The plan's data: enums and records (msgspec Structs) shared by every layer.

Nothing here does I/O or reads the clock. Text fields are cleaned of control characters
when an object is built, so a plan in memory never holds an escape sequence that could
reach a terminal (see `clean_text`); every field but a note (a day's or a task's) is also
made one line (`clean_line`), so it can't print as extra lines. `shown_path` cleans a path
for showing.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import msgspec

# Text cleaning lives in planner.cleaning (the status line uses it without the model);
# these names stay importable from here, where every layer has found them.
from planner.cleaning import clean_line, clean_text, clean_value, shown_path  # noqa: F401

SCHEMA_VERSION = 1


class InjuryKind(StrEnum):
    """What happened to the calf."""

    CRAMP = "cramp"
    STRAIN = "strain"


class Side(StrEnum):
    """Which calf."""

    LEFT = "left"
    RIGHT = "right"


class Distance(StrEnum):
    """The race distance (`sprint`: a 60-400 m event)."""

    SPRINT = "sprint"
    K5 = "5k"
    K10 = "10k"
    HALF = "half"
    MARATHON = "marathon"


class Muscle(StrEnum):
    """Which calf muscle a strain is in; `unsure` is planned as soleus, the slower one."""

    GASTROCNEMIUS = "gastrocnemius"
    SOLEUS = "soleus"
    UNSURE = "unsure"


# The protocol that lays out new plans (domain.md); a file without `[plan] protocol` was
# laid out by protocol 1 and keeps its days until the runner asks for a re-plan.
PROTOCOL = 2


class Phase(StrEnum):
    """The stage of recovery a day belongs to, in the order they come."""

    PROTECT = "protect"
    RECOVER = "recover"
    REBUILD = "rebuild"
    TAPER = "taper"
    RACE = "race"
    AFTER = "after"


class SkipReason(StrEnum):
    """Why a task was skipped: an excused skip doesn't count against adherence."""

    PAIN = "pain"
    TRAVEL = "travel"
    OTHER = "other"


class Category(StrEnum):
    """What kind of task it is; the TUI colours and the stats group by it."""

    ICE = "ice"
    HEAT = "heat"
    MASSAGE = "massage"
    CALF_RAISES = "calf-raises"
    HEEL_DROPS = "heel-drops"
    STRETCH = "stretch"
    ISOMETRIC = "isometric"
    WALK = "walk"
    RUN = "run"
    REST = "rest"
    COMPRESSION = "compression"
    HYDRATION = "hydration"
    CHECK = "check"
    RACE = "race"
    CUSTOM = "custom"


class Task(msgspec.Struct):
    """One thing to do on one day."""

    id: str
    category: Category
    title: str
    dose: str = ""
    why: str = ""
    minutes: int | None = None
    sets: int | None = None
    reps: int | None = None
    hold_s: int | None = None
    done: bool = False
    done_at: datetime | None = None
    skip: SkipReason | None = None  # skipped, and why (excused, not failed)
    custom: bool = False  # the runner's own task: a re-plan never touches it
    extra: dict = msgspec.field(default_factory=dict)
    # The runner's own words on this task; like a day's note it may run over lines.
    note: str | None = None
    # The minutes actually run, when the runner said (a run ticked with its minutes, or a
    # watch's activity); None: not said, so the run counts as planned.
    actual_minutes: int | None = None
    # The start (UTC) of the watch activity that ticked this run: importing the same
    # activity again changes nothing.
    activity_start: datetime | None = None
    # The repeating task this one is an occurrence of (`planner add --every`): each day's
    # occurrence is a task of its own, and the series id finds the later ones.
    series: str | None = None
    # When the runner last changed each part of the task, so that two copies of the plan
    # (a sync tool's conflict copy) merge field by field, the later change winning
    # (planner.merge): `changed_at` its done, skip and minutes run (a tick, an untick, a
    # skip, an undo), `note_at` its note, `edited_at` the title, dose or category of a task
    # of the runner's own. None: not changed since stamps were kept (an older file).
    changed_at: datetime | None = None
    note_at: datetime | None = None
    edited_at: datetime | None = None

    def __post_init__(self) -> None:
        self.id = clean_line(self.id)
        self.title = clean_line(self.title)
        self.dose = clean_line(self.dose)
        self.why = clean_line(self.why)
        if self.series is not None:
            self.series = clean_line(self.series)
        if self.note is not None:
            self.note = clean_text(self.note)
        if self.extra:
            self.extra = clean_value(self.extra)

    @property
    def run_done(self) -> bool:
        """A run ticked done; a skipped one never counts, even if a hand-edited file also
        marks it done."""
        return self.category == Category.RUN and self.done and self.skip is None

    @property
    def run_minutes(self) -> int | None:
        """The minutes run: the runner's own figure where given, else the planned minutes."""
        return self.minutes if self.actual_minutes is None else self.actual_minutes


class GateResult(msgspec.Struct):
    """A run-gate test as the runner recorded it on a day."""

    raises: int  # single-leg calf raises on the sore side
    hops: int  # pain-free single-leg hops
    walk_min: int  # minutes of pain-free brisk walking
    passed: bool
    other_side: int | None = None  # single-leg raises on the other calf, when counted


class Day(msgspec.Struct):
    """One calendar date of the plan: its phase, its tasks and what the runner logged."""

    date: date
    phase: Phase
    tasks: list[Task] = msgspec.field(default_factory=list)
    pain: int | None = None
    note: str | None = None
    at_rest: bool = False  # the runner noted pain at rest or at night
    gate: GateResult | None = None
    extra: dict = msgspec.field(default_factory=dict)
    # When the runner last logged (or undid) the day's pain, note, pain at rest and run-gate
    # result: what a merge of two copies goes by (see Task.changed_at). None: no stamp.
    pain_at: datetime | None = None
    note_at: datetime | None = None
    at_rest_at: datetime | None = None
    gate_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.note is not None:
            self.note = clean_text(self.note)
        if self.extra:
            self.extra = clean_value(self.extra)

    def task(self, task_id: str) -> Task | None:
        """The task with this id, or None."""
        return next((t for t in self.tasks if t.id == task_id), None)


class Safety(msgspec.Struct):
    """The red-flag questions answered before the plan was made, stored in [plan.safety]."""

    checked: date
    flags: list[str] = msgspec.field(default_factory=list)  # ids of the questions answered yes
    clinician_cleared: bool = False  # the runner confirmed a clinician ruled them out
    # False when the plan was made where nobody could answer (no terminal): the questions
    # were shown, not answered; the red-flag check tasks ask them again.
    answered: bool = True

    def __post_init__(self) -> None:
        self.flags = [clean_line(f) for f in self.flags]


class PlanInputs(msgspec.Struct, frozen=True):
    """What the runner tells us; `build_plan` turns it into a Plan."""

    injury_date: date
    race_date: date
    injury: InjuryKind = InjuryKind.STRAIN
    grade: int | None = 1
    side: Side | None = None
    distance: Distance = Distance.HALF
    name: str = ""
    muscle: Muscle | None = None  # strain only; None is "unsure"
    recurrent: bool = False  # cramp only: cramps that keep coming back
    finish_minutes: int | None = None  # the runner's expected race time, when given


class Plan(msgspec.Struct):
    """A whole plan, as stored in one TOML file.

    `plan_extra` holds unknown keys of the `[plan]` table and `extra` unknown top-level
    keys, so hand-made additions survive a load/save round trip. `read_only` is set by
    the store for a file written by a newer version, `migrated_from` for one written in an
    older schema; neither is saved. (A glimpse holding only some of the days is marked on
    its PlanFile, which never saves it.)
    """

    name: str
    created: datetime
    injury_date: date
    race_date: date
    injury: InjuryKind
    grade: int | None
    side: Side | None
    distance: Distance
    days: list[Day] = msgspec.field(default_factory=list)
    warning: str | None = None
    muscle: Muscle | None = None
    recurrent: bool = False
    finish_minutes: int | None = None
    protocol: int = PROTOCOL  # a file without the key says 1
    safety: Safety | None = None
    schema_version: int = SCHEMA_VERSION
    plan_extra: dict = msgspec.field(default_factory=dict)
    extra: dict = msgspec.field(default_factory=dict)
    # A random id given when the file is made (calendar UIDs; None in older files), and the
    # number of saves so far (an exported calendar's SEQUENCE): both live in [plan].
    uid: str | None = None
    # When the runner last edited the inputs (race, grade, name...): a merge of two copies
    # takes the inputs of the later edit. None: not edited since stamps were kept.
    inputs_at: datetime | None = None
    # Not compared (see __eq__): the save count, and what the store knows of the file.
    revision: int = 0
    read_only: bool = False
    migrated_from: int | None = None

    def __eq__(self, other: object) -> bool:
        """Plans are equal when their content is: the save count and the store's notes on
        the file (read-only, migrated) don't count."""
        if type(other) is not Plan:
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in _PLAN_COMPARED)

    __hash__ = None  # mutable, like every plan record

    def __post_init__(self) -> None:
        self.name = clean_line(self.name)
        if self.uid is not None:
            self.uid = clean_line(self.uid)
        if self.warning is not None:
            self.warning = clean_line(self.warning)
        self.plan_extra = clean_value(self.plan_extra)
        self.extra = clean_value(self.extra)

    @property
    def inputs(self) -> PlanInputs:
        """The inputs this plan was built from."""
        return PlanInputs(**{name: getattr(self, name) for name in PlanInputs.__struct_fields__})

    @property
    def start_date(self) -> date:
        """The day the plan was made, in the runner's time zone: days before it weren't
        planned yet, so nothing on them can have been missed (they count for nothing)."""
        try:
            return self.created.astimezone().date()
        except (OverflowError, OSError, ValueError):  # a moment the local zone can't show
            return self.created.date()

    @property
    def first_date(self) -> date:
        """The first day of the plan (the injury date)."""
        return self.days[0].date

    @property
    def last_date(self) -> date:
        """The last day of the plan (the last day after the race)."""
        return self.days[-1].date

    def day(self, when: date) -> Day | None:
        """The day for a date, or None when the date is outside the plan."""
        index = (when - self.days[0].date).days if self.days else -1
        if 0 <= index < len(self.days) and self.days[index].date == when:
            return self.days[index]
        return next((d for d in self.days if d.date == when), None)


_PLAN_COMPARED = tuple(
    name
    for name in Plan.__struct_fields__
    if name not in ("revision", "read_only", "migrated_from")
)
