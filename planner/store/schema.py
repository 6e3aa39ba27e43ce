"""What a plan file may hold: the schema version, the limits on numbers and dates, each
table as a typed record (and so its keys), and the migrations from older schemas (pure
functions on the parsed document, run before it is read)."""

from datetime import date, datetime
from typing import Annotated

from msgspec import Meta, Struct

from planner.model import Category, Distance, InjuryKind, Muscle, Phase, Side, SkipReason

MAX_BYTES = 1024 * 1024
LOCK_TIMEOUT_S = 10.0
FILE_MODE = 0o600
DIR_MODE = 0o700


# ----------------------------------------------------------------------------- reading

# What a plan file's numbers and dates may hold. Each limit is far beyond any real plan,
# yet small enough that nothing the app does with the value (sums over a plan, widths on
# screen, date arithmetic, a calendar export) can overflow, crawl or crash. Past a limit
# the file is refused at load, with the position, like any other break of the format.
# A task's minutes, sets, reps and hold_s: the protocol's largest is a 150-minute long
# run; 1,440 is every minute of a day.
MAX_DOSE = 1440
MAX_GATE_COUNT = 1000  # run-gate raises and hops (the CLI and the TUI take at most 200)
MAX_GATE_WALK = 1440  # run-gate minutes of walking (the CLI and the TUI take at most 600)
MAX_SCHEMA = 1000  # ours is 1: a larger one is a typo, not a file from a newer app
MAX_REVISION = 10**9  # saves so far; an exported calendar's SEQUENCE, a 32-bit integer
# Dates from 1970 to 2200. `created` comes from the clock, which starts in 1970, and no
# runner plans a race past 2200; inside the window every date sum the app makes (a
# plan's days, the calendar's months, an export's times) stays far from the years 1-9999
# that Python's dates can hold, where show, decide, export and the TUI crashed with
# OverflowError.
FIRST_YEAR, LAST_YEAR = 1970, 2200
# The race at most 366 days after the injury: the engine makes plans up to 365
# (engine.MAX_DAYS_TO_RACE) and re-plans up to 366, so a race moved by hand to a
# calendar year on, in a leap year, still loads and re-plans.
MAX_RACE_DAYS = 366
# Days after the race a plan may run on: the engine lays out 3-7, a plan edited by hand
# (or the two-year benchmark plan) may run longer; with the race limit, at most 733 days.
MAX_AFTER_DAYS = 366
# Nesting of a hand-added value: tomli allows 400 levels, but tomli-w recurses at each
# level and ran out of stack at 300 when saving; 32 leaves room for a deep caller.
MAX_DEPTH = 32
# A finish time a file may give (the engine asks for a distance's own range when a plan is
# made; a hand edit past it is refused at load), and the protocol versions there could be.
MAX_FINISH_MINUTES = 24 * 60
MAX_PROTOCOL = 99


# ----------------------------------------------------------------------------- the tables

# The tables of a plan file as typed records: `msgspec.convert` checks a parsed file
# against them (types, required keys, enum values, the limits above) in one pass in C.
# Keys a table doesn't name are left alone here; the codec keeps them, as the runner wrote
# them, in the plan's `extra` fields. Dates carry no limit msgspec could check, and some
# limits join two keys (the race within MAX_RACE_DAYS of the injury): the codec checks
# those. In each table the keys come in the order a problem is reported. A day's and a
# task's records can't be part of a reference cycle: gc=False spares the cycle collector
# thousands of them per file.
Dose = Annotated[int, Meta(ge=0, le=MAX_DOSE)]
GateCount = Annotated[int, Meta(ge=0, le=MAX_GATE_COUNT)]


class TaskTable(Struct, kw_only=True, gc=False):
    """A `[[days.tasks]]` table."""

    id: str
    category: Category
    title: str
    dose: str = ""
    why: str = ""
    minutes: Dose | None = None
    sets: Dose | None = None
    reps: Dose | None = None
    hold_s: Dose | None = None
    done: bool = False
    done_at: datetime | None = None
    skip: SkipReason | None = None
    custom: bool = False
    note: str | None = None  # the runner's words on the task (absent in older files)
    # What was run, when the runner said (absent in older files and for runs ticked as
    # planned), and the watch activity it came from.
    actual_minutes: Dose | None = None
    activity_start: datetime | None = None
    series: str | None = None  # the repeating task it belongs to (absent in older files)
    # When the runner last changed the task's done/skip/minutes run, its note, and (a task
    # of their own) its title, dose or category: what a merge of two copies goes by.
    # Absent in older files and until the first such change.
    changed_at: datetime | None = None
    note_at: datetime | None = None
    edited_at: datetime | None = None


class GateTable(Struct, kw_only=True, gc=False):
    """A day's `[days.gate]` table: a run-gate test as recorded."""

    raises: GateCount = 0
    hops: GateCount = 0
    walk_min: Annotated[int, Meta(ge=0, le=MAX_GATE_WALK)] = 0
    passed: bool
    other_side: GateCount | None = None


class DayTable(Struct, kw_only=True, gc=False):
    """A `[[days]]` table."""

    date: date
    phase: Phase
    pain: Annotated[int, Meta(ge=0, le=10)] | None = None
    note: str | None = None
    at_rest: bool = False
    gate: GateTable | None = None
    tasks: list[TaskTable] = []
    # When the day's pain, note, pain at rest and run-gate result were last logged (absent
    # in older files and until then): what a merge of two copies goes by.
    pain_at: datetime | None = None
    note_at: datetime | None = None
    at_rest_at: datetime | None = None
    gate_at: datetime | None = None


class SafetyTable(Struct, kw_only=True):
    """The `[plan.safety]` table."""

    flags: list[str] = []
    checked: date
    clinician_cleared: bool = False
    answered: bool = True


class PlanTable(Struct, kw_only=True):
    """The `[plan]` table: the plan's inputs and what the store keeps about it.

    In the order a missing key is reported: the injury first, which says what the others
    must be.
    """

    injury: InjuryKind
    name: str
    created: datetime
    injury_date: date
    race_date: date
    grade: Annotated[int, Meta(ge=1, le=2)] | None = None
    side: Side | None = None
    distance: Distance
    warning: str | None = None
    safety: SafetyTable | None = None
    uid: str | None = None
    revision: Annotated[int, Meta(ge=0, le=MAX_REVISION)] = 0
    muscle: Muscle | None = None
    recurrent: bool = False
    finish_minutes: Annotated[int, Meta(ge=1, le=MAX_FINISH_MINUTES)] | None = None
    # A file without the key was laid out by protocol 1: it keeps its days as they are.
    protocol: Annotated[int, Meta(ge=1, le=MAX_PROTOCOL)] = 1
    # When the inputs were last edited (absent until then): a merge takes the later edit.
    inputs_at: datetime | None = None


# The top level, read in three steps: the schema version (before any migration), the
# head, then the days.
class VersionPart(Struct):
    schema_version: Annotated[int, Meta(ge=0, le=MAX_SCHEMA)]


class HeadPart(Struct):
    plan: PlanTable


class DaysPart(Struct):
    days: list[DayTable]


TOP_KEYS = frozenset(("schema_version", "plan", "days"))
PLAN_KEYS = frozenset(PlanTable.__struct_fields__)
SAFETY_KEYS = frozenset(SafetyTable.__struct_fields__)
DAY_KEYS = frozenset(DayTable.__struct_fields__)
GATE_KEYS = frozenset(GateTable.__struct_fields__)
TASK_KEYS = frozenset(TaskTable.__struct_fields__)


def _v0_to_v1(doc: dict) -> dict:
    """Schema 0 named the injury `kind`, a day's pain `pain_score`, and marked tasks with
    `state = "done" | "todo"`; schema 1 says `injury`, `pain` and `done = true | false`.

    Pure: the tables it changes are copies (not a deep copy of the whole document, whose
    hand-added values may nest deeper than `copy.deepcopy` can recurse).
    """
    doc = dict(doc)
    doc["schema_version"] = 1
    plan = doc.get("plan")
    if isinstance(plan, dict) and "kind" in plan and "injury" not in plan:
        plan = doc["plan"] = dict(plan)
        plan["injury"] = plan.pop("kind")
    days = doc.get("days")
    if not isinstance(days, list):
        return doc
    doc["days"] = days = [dict(day) if isinstance(day, dict) else day for day in days]
    for day in days:
        if not isinstance(day, dict):
            continue
        if "pain_score" in day and "pain" not in day:
            day["pain"] = day.pop("pain_score")
        tasks = day.get("tasks")
        if not isinstance(tasks, list):
            continue
        day["tasks"] = tasks = [dict(task) if isinstance(task, dict) else task for task in tasks]
        for task in tasks:
            if isinstance(task, dict) and "state" in task and "done" not in task:
                task["done"] = task.pop("state") == "done"
    return doc


# Pure functions, each from one schema to the next; a file is migrated in memory on load
# and keeps a `.v{N}.bak` of its old bytes before the first save in the new schema.
MIGRATIONS = {0: _v0_to_v1}
