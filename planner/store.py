"""Plan files: TOML <-> Plan, and saving without ever losing what the runner did.

Reading refuses, with `path:line:col: problem`, anything that is not a whole plan: a file
over 1 MiB, invalid UTF-8, a byte-order mark, TOML errors, runaway nesting, a missing
schema version, or a plan that breaks the format. Writing always goes through
`atomic_write()` (temp file, fsync, `os.replace`, fsync of the folder) and keeps the
previous version as `NAME.toml.bak`. `PlanFile` wraps a loaded plan with the operations
not yet saved; its `save()` takes a lock on a side file and, if another program changed
the plan since it was read, reloads it and applies those operations again first.
"""

from __future__ import annotations

import contextlib
import copy
import os
import re
import stat
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import msgspec
import tomli

from planner.model import (
    SCHEMA_VERSION,
    Category,
    Day,
    Distance,
    GateResult,
    InjuryKind,
    Muscle,
    Phase,
    Plan,
    Safety,
    Side,
    SkipReason,
    Task,
    clean_text,
    clean_value,
)
from planner.ops import Op, OpError, describe_op

MAX_BYTES = 1024 * 1024
LOCK_TIMEOUT_S = 10.0
FILE_MODE = 0o600
DIR_MODE = 0o700


class PlanError(Exception):
    """A plan file we refuse to read; str() is `path:line:col: problem` or `path: problem`."""

    def __init__(self, path: Path | str, problem: str, line: int | None = None, col: int = 1):
        self.path = str(path)
        self.problem = problem
        self.line = line
        self.col = col
        where = f"{self.path}:{line}:{col}" if line is not None else self.path
        super().__init__(f"{where}: {problem}")


class SaveError(Exception):
    """A save that did not happen; the file on disk is as it was before."""


class ReadOnlyError(SaveError):
    """The plan was written by a newer version: we read it but never write it."""


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
TOP_KEYS = frozenset(("schema_version", "plan", "days"))
PLAN_KEYS = frozenset(
    (
        "name",
        "created",
        "injury_date",
        "race_date",
        "injury",
        "grade",
        "side",
        "distance",
        "warning",
        "safety",
        "uid",
        "revision",
        "muscle",
        "recurrent",
        "finish_minutes",
        "protocol",
    )
)
SAFETY_KEYS = frozenset(("checked", "flags", "clinician_cleared", "answered"))
DAY_KEYS = frozenset(("date", "phase", "pain", "note", "at_rest", "gate", "tasks"))
GATE_KEYS = frozenset(("raises", "hops", "walk_min", "passed", "other_side"))


def _located(text: str, keys: tuple) -> tuple[int, int] | None:
    """Best-effort line and column for a key path like ("days", 3, "tasks", 1, "id").

    Walks the file's table headers the way our writer lays them out: [plan] and
    [plan.safety], then one [[days]] per day, each followed by its [days.gate] and
    [[days.tasks]]. A key is found on its `key =` line in its table, else the table's
    header line stands for it. Hand-edited files that use other layouts fall back to no
    position (the message still names the key).
    """
    if not keys or not text:
        return None
    lines = text.split("\n")  # TOML lines end at \n only; splitlines() splits at \u2028 too

    def header(name: str, low: int, high: int, index: int = 0) -> int | None:
        """The line number of the `index`-th header `name` in lines low..high, or None."""
        for number in range(low, high):
            if lines[number].strip().startswith(name):
                if not index:
                    return number
                index -= 1
        return None

    def table_end(number: int) -> int:
        """Where the table whose header is on line `number` ends (the next header)."""
        return next(
            (n for n in range(number + 1, len(lines)) if lines[n].lstrip().startswith("[")),
            len(lines),
        )

    rest = list(keys)
    start, end = 0, table_end(-1)  # top-level keys come before the first header
    if rest[0] == "plan":
        found = header("[plan]", 0, len(lines))
        if found is None:
            return None
        start, end, rest = found, table_end(found), rest[1:]
        safety = header("[plan.safety]", 0, len(lines)) if rest[:1] == ["safety"] else None
        if safety is not None and len(rest) > 1:
            start, end, rest = safety, table_end(safety), rest[1:]
    elif rest[0] == "days" and len(rest) >= 2 and isinstance(rest[1], int):
        day = header("[[days]]", 0, len(lines), rest[1])
        if day is None:
            return None
        day_end = header("[[days]]", day + 1, len(lines))
        day_end = len(lines) if day_end is None else day_end
        start, end, rest = day, table_end(day), rest[2:]
        if rest[:1] == ["tasks"] and len(rest) >= 2 and isinstance(rest[1], int):
            task = header("[[days.tasks]]", day + 1, day_end, rest[1])
            if task is None:
                return None
            start, end, rest = task, table_end(task), rest[2:]
        elif rest[:1] == ["gate"] and len(rest) >= 2:
            gate = header("[days.gate]", day + 1, day_end)
            if gate is not None:
                start, end, rest = gate, table_end(gate), rest[1:]
    key = rest[0] if len(rest) == 1 and isinstance(rest[0], str) else None
    if key:
        for number in range(start, end):
            stripped = lines[number].lstrip()
            for spelled in (key, f'"{key}"'):
                if stripped.startswith(spelled) and stripped[len(spelled) :].lstrip()[:1] == "=":
                    return number + 1, len(lines[number]) - len(stripped) + 1
    return start + 1, 1


_TYPE_NAMES = {
    bool: "true or false",
    int: "a whole number",
    str: "text in quotes",
    date: "a date like 2026-11-20",
    datetime: "a date and time like 2026-11-20T19:02:11Z",
    list: "a list",
    dict: "a table",
}


class _Doc:
    """Validates one table of a parsed plan, with error positions from the file text."""

    def __init__(self, path: Path, text: str, table: Any, keys: tuple) -> None:
        self.path, self.text, self.keys = path, text, keys
        if not isinstance(table, dict):
            self.fail(f"{self.name()} must be a table")
        self.table = dict(table)

    def name(self, key: str | None = None) -> str:
        parts = [*self.keys, key] if key else list(self.keys)
        out = ""
        for part in parts:
            out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else part)
        return out or "file"

    def fail(self, problem: str, key: str | None = None) -> None:
        position = _located(self.text, (*self.keys, key) if key else self.keys)
        line, col = position if position else (None, 1)
        raise PlanError(self.path, problem, line, col)

    def take(self, key: str, kind: type | tuple, required: bool = True) -> Any:
        if key not in self.table:
            if required:
                self.fail(f"{self.name(key)} is missing", key if self.keys else None)
            return None
        value = self.table.pop(key)
        kinds = kind if isinstance(kind, tuple) else (kind,)
        ok = isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds)
        if date in kinds and datetime not in kinds and isinstance(value, datetime):
            ok = False
        if not ok:
            names = " or ".join(_TYPE_NAMES.get(k, k.__name__) for k in kinds)
            self.fail(f"{self.name(key)} must be {names}, not {value!r}", key)
        return value

    def enum(self, key: str, enum: type, required: bool = True) -> Any:
        value = self.take(key, str, required)
        if value is None:
            return None
        try:
            return enum(value)
        except ValueError:
            allowed = ", ".join(m.value for m in enum)
            self.fail(f"{self.name(key)} is {value!r}; use one of {allowed}", key)

    def count(self, key: str, low: int = 0, high: int | None = None) -> int | None:
        value = self.take(key, int, required=False)
        if value is not None and (value < low or (high is not None and value > high)):
            limit = f"{low}-{high}" if high is not None else f"at least {low}"
            self.fail(f"{self.name(key)} is {value}; it must be {limit}", key)
        return value

    def when(self, key: str, kind: type, required: bool = True) -> Any:
        """A date (or datetime: `kind`) in the years FIRST_YEAR to LAST_YEAR."""
        value = self.take(key, kind, required)
        if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
            self.fail(
                f"{self.name(key)} is {value}; a plan's dates are in the years "
                f"{FIRST_YEAR}-{LAST_YEAR}",
                key,
            )
        return value

    def extras(self, known: frozenset[str]) -> dict:
        """The keys no field took (added by hand: kept), cleaned of control characters.

        PlanError for one that could not be written back and read again as it is: nested
        deeper than the writer goes, or a key that cleaning turns into a key of the format
        or into another key of its table (one of the two would be lost, or a hand-added
        `custom` would be written over the task's own).
        """
        table = self.table
        if not table:
            return table
        problem = _extras_problem(table, known)
        if problem is not None:
            key, words = problem
            self.fail(f"{self.name() if self.keys else 'the file'}: the key {key!r} {words}", key)
        return clean_value(table)  # type: ignore[return-value]


def _clashing_key(table: dict, known: frozenset[str]) -> str | None:
    """A key of `table` that removing control characters turns into one of `known` or into
    another key of the table, or None."""
    if all(key.isprintable() for key in table):
        return None  # nothing to remove: the common case
    cleaned = [clean_text(key) for key in table]
    for key, clean in zip(table, cleaned, strict=True):
        if clean != key and (clean in known or cleaned.count(clean) > 1):
            return key
    return None


def _extras_problem(table: dict, known: frozenset[str]) -> tuple[str, str] | None:
    """(key, what is wrong) for the first hand-added key of `table` whose value could not
    be written back and read again, or None.

    Walks the values with a list, not by recursion: a value nested a thousand levels deep
    must not exhaust the stack while we look at it.
    """
    clash = _clashing_key(table, known)
    if clash is not None:
        words = f"reads {clean_text(clash)!r} once control characters are removed"
        return clash, f"{words}, like another key; rename it"
    stack = [(key, value, 1) for key, value in table.items() if isinstance(value, dict | list)]
    while stack:
        key, value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return key, f"holds a value nested more than {MAX_DEPTH} levels deep"
        if isinstance(value, dict):
            inner = _clashing_key(value, frozenset())
            if inner is not None:
                words = f"reads {clean_text(inner)!r} once control characters are removed"
                return key, f"holds a key {inner!r} that {words}, like another key"
            values = value.values()
        else:
            values = value
        stack.extend((key, v, depth + 1) for v in values if isinstance(v, dict | list))
    return None


def _emptied(raw: str) -> str:
    """How a text that must not be empty came to be empty, for the message."""
    if not raw:
        return "is empty"
    if not raw.strip():
        return "is blank"
    return "is empty once control characters are removed"


_CATEGORIES = {c.value: c for c in Category}
_SKIPS = {s.value: s for s in SkipReason}
TASK_KEYS = frozenset(  # the keys a task of this schema knows; any other is kept as extra
    (
        "id",
        "category",
        "title",
        "dose",
        "why",
        "minutes",
        "sets",
        "reps",
        "hold_s",
        "done",
        "done_at",
        "skip",
        "custom",
    )
)


def _quick_task(raw: Any) -> Task | None:
    """A well-formed task in one pass, or None to send it down the careful path.

    Most plans have thousands of tasks and nothing wrong with them; the careful path
    (`_task`) is slower because it can say exactly where a problem is. Anything it would
    refuse, this one must send there: a None here costs time, a Task here skips a check.
    """
    if type(raw) is not dict:
        return None
    get = raw.get
    task_id, title, category = get("id"), get("title"), get("category")
    dose, why = get("dose", ""), get("why", "")
    if not (
        type(task_id) is str
        and type(title) is str
        and type(category) is str
        and type(dose) is str
        and type(why) is str
    ):
        return None
    category = _CATEGORIES.get(category)
    if category is None:
        return None
    numbers = (get("minutes"), get("sets"), get("reps"), get("hold_s"))
    for number in numbers:
        if number is not None and (type(number) is not int or not 0 <= number <= MAX_DOSE):
            return None
    done, done_at, custom = get("done", False), get("done_at"), get("custom", False)
    if type(done) is not bool or type(custom) is not bool:
        return None
    if done_at is not None and (
        type(done_at) is not datetime or not FIRST_YEAR <= done_at.year <= LAST_YEAR
    ):
        return None
    skip = get("skip")
    if skip is not None:
        skip = _SKIPS.get(skip) if type(skip) is str else None
        if skip is None:
            return None
    extra = {k: v for k, v in raw.items() if k not in TASK_KEYS}
    if extra and _extras_problem(extra, TASK_KEYS) is not None:
        return None
    task = Task(task_id, category, title, dose, why, *numbers, done, done_at, skip, custom, extra)
    # Checked as the model left them (control characters gone, line breaks made spaces): an
    # id or title that cleans to nothing would be saved as "" and refused at the next load.
    if not task.title or not task.id.strip():
        return None
    return task


def _task(doc: _Doc) -> Task:
    raw_id = doc.take("id", str)
    category = doc.enum("category", Category)
    raw_title = doc.take("title", str)
    task = Task(
        id=raw_id,
        category=category,
        title=raw_title,
        dose=doc.take("dose", str, required=False) or "",
        why=doc.take("why", str, required=False) or "",
        minutes=doc.count("minutes", 0, MAX_DOSE),
        sets=doc.count("sets", 0, MAX_DOSE),
        reps=doc.count("reps", 0, MAX_DOSE),
        hold_s=doc.count("hold_s", 0, MAX_DOSE),
        done=bool(doc.take("done", bool, required=False)),
        done_at=doc.when("done_at", datetime, required=False),
        skip=doc.enum("skip", SkipReason, required=False),
        custom=bool(doc.take("custom", bool, required=False)),
    )
    if not task.id.strip():
        doc.fail(f"{doc.name('id')} {_emptied(raw_id)}", "id")
    if not task.title:  # a title of spaces is odd but harmless; an empty one shows nothing
        doc.fail(f"{doc.name('title')} {_emptied(raw_title)}", "title")
    task.extra = doc.extras(TASK_KEYS)
    return task


def _day(doc: _Doc, path: Path, text: str) -> Day:
    when = doc.when("date", date)
    phase = doc.enum("phase", Phase)
    pain = doc.count("pain", 0, 10)
    note = doc.take("note", str, required=False)
    at_rest = bool(doc.take("at_rest", bool, required=False))
    gate = None
    raw_gate = doc.take("gate", dict, required=False)
    if raw_gate is not None:
        gate_doc = _Doc(path, text, raw_gate, (*doc.keys, "gate"))
        gate = GateResult(
            raises=gate_doc.count("raises", 0, MAX_GATE_COUNT) or 0,
            hops=gate_doc.count("hops", 0, MAX_GATE_COUNT) or 0,
            walk_min=gate_doc.count("walk_min", 0, MAX_GATE_WALK) or 0,
            passed=gate_doc.take("passed", bool),
            other_side=gate_doc.count("other_side", 0, MAX_GATE_COUNT),
        )
        if gate_doc.table:  # hand-added keys stay where they were
            doc.table["gate"] = gate_doc.extras(GATE_KEYS)
    raw_tasks = doc.take("tasks", list, required=False) or []
    tasks = []
    for index, raw in enumerate(raw_tasks):
        task = _quick_task(raw)
        if task is None:
            task = _task(_Doc(path, text, raw, (*doc.keys, "tasks", index)))
        tasks.append(task)
    seen: set[str] = set()
    for index, task in enumerate(tasks):
        if task.id in seen:
            _Doc(path, text, {}, (*doc.keys, "tasks", index)).fail(
                f"task id {task.id!r} appears twice on {when}", "id"
            )
        seen.add(task.id)
    day = Day(date=when, phase=phase, tasks=tasks, pain=pain, note=note, at_rest=at_rest, gate=gate)
    day.extra = doc.extras(DAY_KEYS)
    return day


def _safety(plan_doc: _Doc) -> Safety | None:
    raw = plan_doc.take("safety", dict, required=False)
    if raw is None:
        return None
    doc = _Doc(plan_doc.path, plan_doc.text, raw, ("plan", "safety"))
    flags = doc.take("flags", list, required=False) or []
    if not all(isinstance(f, str) for f in flags):
        doc.fail("plan.safety.flags must be a list of texts", "flags")
    safety = Safety(
        checked=doc.when("checked", date),
        flags=[clean_text(f) for f in flags],
        clinician_cleared=bool(doc.take("clinician_cleared", bool, required=False)),
        answered=doc.take("answered", bool, required=False) is not False,
    )
    if doc.table:
        plan_doc.table["safety"] = doc.extras(SAFETY_KEYS)  # unknown keys stay where they were
    return safety


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


def _version(top: _Doc) -> int:
    """The file's schema_version, refused outside 0-MAX_SCHEMA (a huge one is no newer app)."""
    version = top.take("schema_version", int)
    if not 0 <= version <= MAX_SCHEMA:
        top.fail(
            f"schema_version {version} is not one this version knows "
            f"(schema versions are 0-{MAX_SCHEMA})",
            "schema_version",
        )
    return version


def plan_from_doc(doc_table: dict, path: Path, text: str = "") -> Plan:
    """Turn a parsed TOML document into a Plan, or raise PlanError saying what is wrong."""
    top = _Doc(path, text, doc_table, ())
    if not top.table:
        raise PlanError(path, "empty file: no schema_version, no plan (a half-written save?)")
    version = _version(top)
    migrated_from = None
    if version < SCHEMA_VERSION:
        if any(v not in MIGRATIONS for v in range(version, SCHEMA_VERSION)):
            top.fail(f"schema_version {version} is not one this version knows", "schema_version")
        migrated_from, doc = version, doc_table
        for step in range(version, SCHEMA_VERSION):
            doc = MIGRATIONS[step](doc)
        top = _Doc(path, text, doc, ())
        version = _version(top)
    plan = _plan_head(top, version)
    raw_days = top.take("days", list)
    if not raw_days:
        top.fail("days is empty: a plan has at least one day", "days")
    # The days run from the injury to race day and on a few days: the engine, the
    # calendar and the re-plan count a day's place from injury_date, and the file can't
    # hold more than MAX_RACE_DAYS + MAX_AFTER_DAYS + 1 of them.
    last = plan.race_date + timedelta(days=MAX_AFTER_DAYS)
    days: list[Day] = []
    for index, raw in enumerate(raw_days):
        day = _day(_Doc(path, text, raw, ("days", index)), path, text)
        problem = None
        if not index:
            if day.date != plan.injury_date:
                problem = (
                    f"days[1].date is {day.date}; a plan's days start on its injury_date, "
                    f"{plan.injury_date}"
                )
        elif (day.date - days[-1].date).days != 1:
            problem = (
                f"days[{index + 1}].date is {day.date}; days must be consecutive, "
                f"the one after {days[-1].date}"
            )
        if problem is None and day.date > last:
            problem = (
                f"days[{index + 1}].date is {day.date}, more than {MAX_AFTER_DAYS} days after "
                f"race_date ({plan.race_date}); a plan ends a few days after its race"
            )
        if problem is not None:
            _Doc(path, text, {}, ("days", index)).fail(problem, "date")
        days.append(day)
    if days[-1].date < plan.race_date:
        _Doc(path, text, {}, ("days", len(days) - 1)).fail(
            f"the last day is {days[-1].date}, before race_date ({plan.race_date}); a plan's "
            "days run from injury_date to race day and a few days after it",
            "date",
        )
    plan.days = days
    plan.extra = top.extras(TOP_KEYS)
    plan.migrated_from = migrated_from
    return plan


def head_of(doc_table: dict, path: Path) -> tuple[Plan, dict]:
    """A parsed file's schema and `[plan]` head as a Plan without days, and the rest of the
    document (its `days`, unknown top-level keys). PlanError if the head breaks the format.
    """
    top = _Doc(path, "", doc_table, ())
    version = _version(top)
    return _plan_head(top, version), top.table


def day_of(raw: Any, index: int, path: Path) -> Day:
    """One `[[days]]` table (the file's day number `index`, from 0) as a Day, or PlanError."""
    return _day(_Doc(path, "", raw, ("days", index)), path, "")


def _plan_head(top: _Doc, version: int) -> Plan:
    """The `[plan]` table of a parsed file as a Plan without days (taken out of `top`)."""
    plan_doc = _Doc(top.path, top.text, top.take("plan", dict), ("plan",))
    injury = plan_doc.enum("injury", InjuryKind)
    plan = Plan(
        name=plan_doc.take("name", str),
        created=plan_doc.when("created", datetime),
        injury_date=plan_doc.when("injury_date", date),
        race_date=plan_doc.when("race_date", date),
        injury=injury,
        grade=plan_doc.count("grade", 1, 2),
        side=plan_doc.enum("side", Side, required=False),
        distance=plan_doc.enum("distance", Distance),
        warning=plan_doc.take("warning", str, required=False),
        safety=_safety(plan_doc),
        schema_version=version,
        uid=plan_doc.take("uid", str, required=False),
        revision=plan_doc.count("revision", 0, MAX_REVISION) or 0,
        muscle=plan_doc.enum("muscle", Muscle, required=False),
        recurrent=plan_doc.take("recurrent", bool, required=False) or False,
        finish_minutes=plan_doc.count("finish_minutes", 1, MAX_FINISH_MINUTES),
        # A file without the key was laid out by protocol 1: it keeps its days as they are.
        protocol=plan_doc.count("protocol", 1, MAX_PROTOCOL) or 1,
    )
    if not 0 <= (plan.race_date - plan.injury_date).days <= MAX_RACE_DAYS:
        plan_doc.fail(
            f"plan.race_date is {plan.race_date}; race_date must be from injury_date "
            f"({plan.injury_date}) to {MAX_RACE_DAYS} days after it",
            "race_date",
        )
    if injury == InjuryKind.STRAIN and plan.grade is None:
        plan_doc.fail("plan.grade is missing: a strain is grade 1 or 2")
    plan.plan_extra = plan_doc.extras(PLAN_KEYS)
    plan.read_only = version > SCHEMA_VERSION
    return plan


_DIGITS = re.compile(r"[0-9][0-9_]*")


def _number_too_long(path: Path, text: str) -> PlanError:
    """The error for tomli's ValueError: a decimal integer longer than Python will convert
    (`sys.get_int_max_str_digits()`, 4,300 digits), placed at the first such number that
    stands as a value (not inside a string or a float)."""
    limit = sys.get_int_max_str_digits()
    found = None
    for match in _DIGITS.finditer(text) if limit else ():
        run = match.group()
        digits = len(run) - run.count("_")
        if digits <= limit:
            continue
        start, end = match.span()
        before = text[max(0, start - 80) : start].rsplit("\n", 1)[-1].rstrip(" \t+-")
        value = before.endswith(("=", "[", ",", "{")) and text[end : end + 1] not in ".eE"
        if found is None or value:
            found = (start, digits)
        if value:
            break
    if found is None:
        return PlanError(path, "holds a number too long to read; plan numbers are small")
    start, digits = found
    line = text.count("\n", 0, start) + 1
    col = start - (text.rfind("\n", 0, start) + 1) + 1
    return PlanError(path, f"a number with {digits:,} digits; plan numbers are small", line, col)


def parse_plan(data: bytes, path: Path | str) -> Plan:
    """Parse the bytes of a plan file; raise PlanError with the position of any problem."""
    path = Path(path)
    if len(data) > MAX_BYTES:
        raise PlanError(path, f"file is over {MAX_BYTES // 1024} KiB; not a plan this app wrote")
    if data.startswith(b"\xef\xbb\xbf"):
        raise PlanError(path, "starts with a byte-order mark; save it as UTF-8 without BOM", 1, 1)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        col = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise PlanError(path, "not valid UTF-8 text", line, col) from None
    try:
        doc = tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        raise PlanError(path, error.msg, error.lineno, error.colno) from None
    except RecursionError:
        raise PlanError(path, "nested too deeply (or a dotted key too long) to be a plan") from None
    except ValueError:  # not a TOMLDecodeError: tomli's int() of a number over 4,300 digits
        raise _number_too_long(path, text) from None
    try:
        return plan_from_doc(doc, path, text)
    except RecursionError:  # a last guard: the checks walk nested values without recursion
        raise PlanError(path, "nested too deeply to be a plan") from None


class Fingerprint(msgspec.Struct):
    """A plan file's bytes and what `os.fstat` said of the same open file.

    The bytes and the stat come from one file descriptor, so they always belong together:
    a stat taken separately could pair our old bytes with another program's newer file.
    Whether the file changed is decided by comparing bytes (`same_content`): size and
    mtime alone can't tell, since back-to-back saves often get the same timestamp.
    """

    size: int
    mtime_ns: int
    inode: int
    data: bytes

    def same_content(self, other: Fingerprint | None) -> bool:
        """Whether `other` holds exactly these bytes."""
        return other is not None and other.size == self.size and other.data == self.data


_TOO_BIG = f"file is over {MAX_BYTES // 1024} KiB; not a plan this app wrote"
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def read_plan_file(path: Path) -> Fingerprint:
    """Read a plan file through one descriptor: its bytes (at most MAX_BYTES + 1) and stat.

    Refuses symlinks, folders, FIFOs and devices (O_NONBLOCK: a FIFO can't hang the read).
    Raises PlanError saying why.
    """
    try:
        fd = os.open(path, _READ_FLAGS)
    except FileNotFoundError:
        raise PlanError(path, "no such file") from None
    except OSError as error:
        if os.path.islink(path):
            raise PlanError(
                path, "is a symbolic link; open the file it points to instead"
            ) from None
        raise PlanError(path, f"can't read: {error.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise PlanError(path, "is not a regular file")
        if info.st_size > MAX_BYTES:
            raise PlanError(
                path, f"file is over {MAX_BYTES // 1024} KiB; not a plan this app wrote"
            )
        chunks = []
        left = MAX_BYTES + 1
        while left > 0:
            chunk = os.read(fd, left)
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
    except OSError as error:
        raise PlanError(path, f"can't read: {error.strerror}") from None
    finally:
        os.close(fd)
    return Fingerprint(len(data), info.st_mtime_ns, info.st_ino, data)


def read_plan_bytes(path: Path) -> bytes:
    """The bytes of a plan file (see `read_plan_file`), PlanError if it can't be read."""
    return read_plan_file(path).data


def load_plan(path: Path | str) -> Plan:
    """Read a plan file; raise PlanError (`path:line:col: problem`) for anything else."""
    path = Path(path)
    return parse_plan(read_plan_bytes(path), path)


# ----------------------------------------------------------------------------- writing


def _task_table(task: Task) -> dict:
    table: dict[str, Any] = {"id": task.id, "category": task.category.value, "title": task.title}
    if task.dose:
        table["dose"] = task.dose
    if task.why:
        table["why"] = task.why
    for key in ("minutes", "sets", "reps", "hold_s"):
        if getattr(task, key) is not None:
            table[key] = getattr(task, key)
    table["done"] = task.done
    if task.done_at is not None:
        table["done_at"] = task.done_at
    if task.skip is not None:
        table["skip"] = task.skip.value
    if task.custom:
        table["custom"] = True
    return {**task.extra, **table}


# tomli-w writes a short array of tables inline (`days = [{...}]`), which can't be joined
# day by day. A second, long table in the same array forces the `[[days]]` form; its text
# is then cut off again.
_FORCE = {"_": "x" * 120}
_FORCE_TEXT = '\n[[days]]\n_ = "' + "x" * 120 + '"\n'


def day_text(day: Day) -> str:
    """One `[[days]]` entry and its tasks as TOML text; a plan file is these concatenated."""
    import tomli_w  # writing only; reading a plan doesn't need it

    table: dict[str, Any] = {"date": day.date, "phase": day.phase.value}
    if day.pain is not None:
        table["pain"] = day.pain
    if day.note is not None:
        table["note"] = day.note
    if day.at_rest:
        table["at_rest"] = True
    if day.gate is not None:
        gate = day.gate
        table["gate"] = {
            **day.extra.get("gate", {}),
            "raises": gate.raises,
            "hops": gate.hops,
            "walk_min": gate.walk_min,
            "passed": gate.passed,
        }
        if gate.other_side is not None:
            table["gate"]["other_side"] = gate.other_side
    table = {**day.extra, **table}
    if day.tasks:  # an empty list of tables can't be written as [[days.tasks]]
        table["tasks"] = [_task_table(t) for t in day.tasks]
    text = tomli_w.dumps({"days": [table, _FORCE]})
    if not text.endswith(_FORCE_TEXT) or not text.startswith("[[days]]"):
        raise AssertionError("tomli-w laid out a day in an unexpected way")
    return "\n" + text[: -len(_FORCE_TEXT)]


def head_text(plan: Plan) -> str:
    """The `schema_version` and `[plan]` part of a plan file, before its days."""
    import tomli_w

    head: dict[str, Any] = {
        "name": plan.name,
        "created": plan.created,
        "injury_date": plan.injury_date,
        "race_date": plan.race_date,
        "injury": plan.injury.value,
    }
    if plan.grade is not None:
        head["grade"] = plan.grade
    if plan.side is not None:
        head["side"] = plan.side.value
    head["distance"] = plan.distance.value
    if plan.muscle is not None:
        head["muscle"] = plan.muscle.value
    if plan.recurrent:
        head["recurrent"] = True
    if plan.finish_minutes is not None:
        head["finish_minutes"] = plan.finish_minutes
    if plan.protocol != 1:  # protocol 1 wrote no key: its files stay as they were
        head["protocol"] = plan.protocol
    if plan.warning is not None:
        head["warning"] = plan.warning
    if plan.uid is not None:
        head["uid"] = plan.uid
    if plan.revision:
        head["revision"] = plan.revision
    if plan.safety is not None:
        safety = plan.safety
        head["safety"] = {
            **plan.plan_extra.get("safety", {}),
            "checked": safety.checked,
            "flags": list(safety.flags),
            "clinician_cleared": safety.clinician_cleared,
        }
        if not safety.answered:
            head["safety"]["answered"] = False
    top = {"schema_version": plan.schema_version, **plan.extra, "plan": {**plan.plan_extra, **head}}
    return tomli_w.dumps(top)


def dumps_plan(plan: Plan) -> str:
    """The plan as the TOML text of its file (design.md "Data")."""
    return head_text(plan) + "".join(day_text(day) for day in plan.days)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _link(source: Path, link: Path) -> bool:
    """Hard-link `link` to `source` (replacing any old `link`); False where links fail."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(link)
    try:
        os.link(source, link)
    except FileNotFoundError:
        return False
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(link)
        return False
    return True


def _backup(path: Path) -> None:
    """Make `NAME.bak` the current version of `path`: a hard link, or a copy where links fail."""
    backup = backup_path(path)
    link = path.with_name(f".{path.name}.bak.tmp")
    if _link(path, link):
        os.replace(link, backup)
    elif os.path.lexists(path):
        atomic_write(backup, path.read_bytes(), backup=False)


class PlanExists(SaveError):
    """A new plan's file name was taken (by another program, a moment ago)."""


def atomic_write(
    path: Path | str, data: bytes, *, backup: bool = True, replace: bool = True
) -> None:
    """Replace `path` with `data` all at once, or leave it as it was and raise SaveError.

    Temp file in the same folder (mode 0600); write, flush, fsync, close; keep the old
    version as `.bak`; `os.replace`; fsync the folder. Every step is checked. On failure the
    temp file is removed and, if the folder sync failed after the swap, the old file is put
    back: the caller sees "not saved" and the file as it was. A failed fsync is never
    retried (its data can't be trusted). With `replace=False` the file must not exist yet
    (PlanExists otherwise): the temp file is linked into place, which never overwrites.
    An interrupt (Ctrl+C, a signal turned into an exception) also removes the temp file.
    """
    import tempfile  # loaded with the first save

    path = Path(path)
    folder = path.parent
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise SaveError(f"{path}: not saved: {error.strerror}") from None
    previous = path.with_name(f".{path.name}.old.tmp")
    kept_previous = False
    try:
        handle = os.fdopen(fd, "wb")
        try:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        finally:
            handle.close()
        if not replace:
            _link_new(Path(temp), path)
        else:
            if os.path.lexists(path):
                if backup:
                    _backup(path)
                kept_previous = _link(path, previous)
            os.replace(temp, path)
        _fsync_dir(folder)
    except PlanExists:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    except (OSError, SaveError) as error:
        if replace and not os.path.lexists(temp) and kept_previous:  # swapped, not durably
            with contextlib.suppress(OSError):
                os.replace(previous, path)
        with contextlib.suppress(OSError):
            os.unlink(temp)
        reason = error.strerror if isinstance(error, OSError) else str(error)
        raise SaveError(f"{path}: not saved: {reason or error}") from None
    except BaseException:  # KeyboardInterrupt, SystemExit: no half-made file stays behind
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    finally:
        with contextlib.suppress(OSError):
            os.unlink(previous)


def _link_new(temp: Path, path: Path) -> None:
    """Put `temp` in place as `path`, which must not exist: a hard link never overwrites."""
    try:
        os.link(temp, path)
    except FileExistsError:
        raise PlanExists(f"{path}: not saved: a file of that name already exists") from None
    except OSError:  # no hard links here: the caller holds the plan's lock, check and move
        if os.path.lexists(path):
            raise PlanExists(f"{path}: not saved: a file of that name already exists") from None
        os.replace(temp, path)
        return
    os.unlink(temp)


def _open_folder(folder: Path) -> int:
    return os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | os.O_NOFOLLOW)


def ensure_private_dir(folder: Path) -> None:
    """Create an app-owned folder (mode 0700), or tighten it to 0700 if it exists.

    A folder that is a symbolic link (a runner's plans kept elsewhere) is left with the
    modes its owner gave it: a mode change never follows a link to somewhere else.
    """
    folder.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    try:
        fd = _open_folder(folder)
    except OSError:
        return  # a symbolic link (ELOOP) or a folder we can't open: not ours to change
    try:
        info = os.fstat(fd)
        if stat.S_IMODE(info.st_mode) != DIR_MODE and info.st_uid == os.geteuid():
            os.fchmod(fd, DIR_MODE)
    finally:
        os.close(fd)


def lock_path(path: Path) -> Path:
    """The side file whose lock guards a plan file (never the plan file itself)."""
    return path.with_name(f".{path.name}.lock")


def _owner(path: Path) -> str:
    """', owned by NAME' for a file another user owns; '' otherwise."""
    try:
        uid = os.lstat(path).st_uid
    except OSError:
        return ""
    if uid == os.geteuid():
        return ""
    try:
        import pwd

        name = pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        name = f"user {uid}"
    return f", owned by {name}"


@contextlib.contextmanager
def plan_lock(path: Path, timeout: float = LOCK_TIMEOUT_S):
    """Hold the exclusive lock of a plan file, or raise SaveError after `timeout` seconds."""
    import filelock  # loaded with the first save, not before the first frame

    side = lock_path(path)
    lock = filelock.FileLock(side, timeout=timeout, mode=FILE_MODE)
    try:
        with lock:
            yield
    except filelock.Timeout:
        raise SaveError(f"{path}: not saved: another program kept the plan locked") from None
    except OSError as error:
        owner = _owner(side)
        hint = " (remove that file, then try again)" if owner else ""
        raise SaveError(
            f"{path}: not saved: can't open its lock file {side}{owner}: "
            f"{error.strerror or error}{hint}"
        ) from None


def leftovers(path: Path) -> list[Path]:
    """Temp files that saves of `path` left behind (a save killed half-way)."""
    # mkstemp's names for the plan, its .bak and .v{N}.bak copies, and the two link names.
    pattern = re.compile(
        rf"\.{re.escape(path.name)}\.(?:old|bak|(?:bak\.|v\d+\.bak\.)?[A-Za-z0-9_]{{8}})\.tmp"
    )
    try:
        names = os.listdir(path.parent)
    except OSError:
        return []
    return [path.with_name(n) for n in names if pattern.fullmatch(n)]


def clean_leftovers(path: Path) -> int:
    """Remove the temp files killed saves of `path` left; returns how many went.

    Only while holding the plan's lock (waiting for nobody): then no save of this plan is
    under way, so every temp file of it is a leftover. Best effort: 0 when busy.
    """
    found = leftovers(path)
    if not found:
        return 0
    removed = 0
    try:
        with plan_lock(path, timeout=0):
            for temp in leftovers(path):
                with contextlib.suppress(OSError):
                    os.unlink(temp)
                    removed += 1
    except SaveError:
        return removed
    return removed


def _encode(plan: Plan, path: Path, days: list[bytes] | None = None) -> bytes:
    if days is None:
        days = [day_text(day).encode("utf-8") for day in plan.days]
    data = head_text(plan).encode("utf-8") + b"".join(days)
    if len(data) > MAX_BYTES:
        raise SaveError(f"{path}: not saved: the plan would be over {MAX_BYTES // 1024} KiB")
    return data


class GoneError(SaveError):
    """The plan file is no longer where we read it (moved, archived or deleted elsewhere)."""


class ConflictError(SaveError):
    """Changes of ours that no longer fit the plan another program saved; they are kept."""


class PlanFile(msgspec.Struct):
    """A plan loaded from a file, plus the operations applied since it was last saved.

    `fingerprint` is the file as we last read or wrote it. `pending` holds our operations
    applied to `plan` but not yet saved; `unapplied` those that no longer fit the plan as
    another program left it (their task is gone, say): they are kept, tried again at each
    save and reload, and reported until they fit or the runner lets them go.
    """

    path: Path
    plan: Plan
    fingerprint: Fingerprint | None
    pending: list[Op] = msgspec.field(default_factory=list)
    unapplied: list[tuple[Op, str]] = msgspec.field(default_factory=list)
    reloaded: bool = False
    merged_onto: Plan | None = None
    # Each day's TOML as it was last written, so a tick rewrites one day's text, not 700.
    _days: list[bytes] | None = None
    _days_of: Plan | None = None
    _dirty: set[date] | None = None

    @classmethod
    def open(cls, path: Path | str) -> PlanFile:
        """Load a plan file (PlanError if it can't be read)."""
        path = Path(path)
        found = read_plan_file(path)
        plan = parse_plan(found.data, path)
        return cls(path, plan, found)

    @classmethod
    def create(cls, path: Path | str, plan: Plan) -> PlanFile:
        """Write a new plan file; PlanExists if the path is taken, SaveError if it can't be
        written. The plan gets its random `uid` here when it has none."""
        path = Path(path)
        if plan.uid is None:
            import secrets

            plan.uid = secrets.token_hex(8)
        data = _encode(plan, path)
        with plan_lock(path):
            if os.path.lexists(path):
                raise PlanExists(f"{path}: not saved: a file of that name already exists")
            atomic_write(path, data, backup=False, replace=False)
            return cls(path, plan, _written(data))

    @property
    def unsaved(self) -> bool:
        """Whether any change of ours is not in the file yet."""
        return bool(self.pending or self.unapplied)

    def apply(self, op: Op) -> None:
        """Apply an operation in memory and queue it for the next save (OpError if it can't)."""
        if self.plan.partial:
            raise OpError("the plan is still loading; try again in a moment")
        op.apply(self.plan)
        self.pending.append(op)
        when = getattr(op, "date", None)  # one day's op; a re-plan (no `date`) touches many
        if when is None or self._dirty is None:
            self._dirty = None
        else:
            self._dirty.add(when)

    def invalidate(self) -> None:
        """Forget the cached day texts: call after changing `plan` without `apply`."""
        self._dirty = None

    def drop_unapplied(self) -> list[tuple[Op, str]]:
        """Let go of the changes that no longer fit; returns them."""
        dropped, self.unapplied = self.unapplied, []
        return dropped

    def _day_bytes(self, plan: Plan) -> list[bytes]:
        """Every day's TOML, re-rendering only the days changed since the last save."""
        days = self._days
        if (
            days is None
            or self._days_of is not plan
            or self._dirty is None
            or len(days) != len(plan.days)
        ):
            days = [day_text(day).encode("utf-8") for day in plan.days]
        else:
            first = plan.days[0].date
            for when in self._dirty:
                index = (when - first).days
                if 0 <= index < len(days):
                    days[index] = day_text(plan.days[index]).encode("utf-8")
        self._days, self._days_of, self._dirty = days, plan, set()
        return days

    def save(self, *, keep_merge_base: bool = False) -> None:
        """Write the plan, merging with any change another program made since we read it.

        Under the lock the file's bytes are read and compared with the ones we read or
        wrote last. Changed: the file is parsed and our pending operations are applied to
        it, then written. A file that is gone (archived or moved elsewhere) is never written
        back, nor one a newer version wrote. On failure nothing in memory is lost and the
        operations stay queued for a retry. ConflictError, after writing the rest, when
        some of our changes no longer fit. With `keep_merge_base`, a merge keeps a copy of
        the plan as the other program left it in `merged_onto` (to describe our change).
        """
        if self.plan.partial:  # a glimpse (planner.glimpse) must never replace the file
            raise SaveError(f"{self.path}: not saved: the plan is still loading")
        if self.plan.read_only:
            raise ReadOnlyError(
                f"{self.path}: not saved: written by a newer version of the app "
                f"(schema {self.plan.schema_version}); this version only reads it"
            )
        with plan_lock(self.path):
            plan, current = self._current()
            if plan is self.plan:
                pending, unfit = self.pending, []
            else:
                if keep_merge_base:  # what the other program left, before ours
                    self.merged_onto = copy.deepcopy(plan)
                pending, unfit = _replay(plan, self.pending)
                self.reloaded = True
            retried, still = _replay(plan, [op for op, _ in self.unapplied])
            try:
                if current is None or pending or retried or plan.migrated_from is not None:
                    self._write(plan)
                else:
                    self.fingerprint = current  # theirs, nothing of ours to add
            except BaseException:
                if plan is self.plan:  # the retried ones are in our plan now: queue them
                    self.pending.extend(retried)
                    self.unapplied = still
                raise
            self.plan, self.pending, self.unapplied = plan, [], [*unfit, *still]
        clean_leftovers(self.path)
        if self.unapplied:
            raise ConflictError(f"{self.path}: not saved: {self.conflict_words()}")

    def conflict_words(self) -> str:
        """The changes that no longer fit, in words ('' when there are none)."""
        if not self.unapplied:
            return ""
        return "another program changed the plan, and " + "; ".join(
            f"{describe_op(op, self.plan)} no longer fits ({why})" for op, why in self.unapplied
        )

    def _write(self, plan: Plan) -> None:
        revision = plan.revision
        # Counted from the file's (`plan` is what it holds), and never past what a file
        # may hold: a plan saved a billion times stays readable.
        plan.revision = min(revision + 1, MAX_REVISION)
        try:
            data = _encode(plan, self.path, self._day_bytes(plan))
            if plan.migrated_from is not None:
                self._keep_old_schema(plan.migrated_from)
            atomic_write(self.path, data)
        except BaseException:
            plan.revision = revision
            raise
        plan.migrated_from = None
        self.fingerprint = _written(data)

    def _keep_old_schema(self, version: int) -> None:
        """Before the first save in the new schema, keep the old file as `.v{N}.bak`."""
        keep = self.path.with_name(f"{self.path.name}.v{version}.bak")
        if not os.path.lexists(keep) and os.path.lexists(self.path):
            atomic_write(keep, read_plan_bytes(self.path), backup=False)

    def refresh(self) -> bool:
        """Take in what another program saved since we read the file; True if it did.

        Our unsaved operations are applied again on top, so nothing of ours is lost. A
        file that can no longer be read (or is gone) raises PlanError and leaves our plan
        as it was.
        """
        current = read_plan_file(self.path)
        if current.same_content(self.fingerprint):
            return False
        theirs = parse_plan(current.data, self.path)
        ours = [*self.pending, *(op for op, _ in self.unapplied)]
        self.pending, self.unapplied = _replay(theirs, ours)
        self.plan, self.fingerprint = theirs, current
        return True

    def _current(self) -> tuple[Plan, Fingerprint | None]:
        """The plan to build on and the file as it is now (None: there is none yet).

        Our plan while the file holds the bytes we read or wrote last; otherwise the plan
        the file holds now, parsed (without our pending operations yet).
        """
        try:
            current = read_plan_file(self.path)
        except PlanError as error:
            if not os.path.lexists(self.path):
                if self.fingerprint is None:
                    return self.plan, None  # never written yet
                raise GoneError(
                    f"{self.path}: not saved: the file is gone (moved, archived or deleted "
                    "by another program), and it is not written back"
                ) from None
            raise SaveError(f"{self.path}: not saved: {error.problem}") from None
        if current.same_content(self.fingerprint):
            return self.plan, current
        try:
            theirs = parse_plan(current.data, self.path)
        except PlanError as error:
            raise SaveError(
                f"{self.path}: not saved: another program changed it and it can't be read ({error})"
            ) from None
        if theirs.read_only:
            raise ReadOnlyError(
                f"{self.path}: not saved: a newer version of the app changed it "
                f"(schema {theirs.schema_version}); this version only reads it"
            )
        return theirs, current


def _replay(plan: Plan, ops: list[Op]) -> tuple[list[Op], list[tuple[Op, str]]]:
    """Apply `ops` to `plan` in order: the ones that fit, and the ones that don't with why."""
    applied: list[Op] = []
    unfit: list[tuple[Op, str]] = []
    for op in ops:
        try:
            op.apply(plan)
        except OpError as error:
            unfit.append((op, str(error)))
        else:
            applied.append(op)
    return applied, unfit


def _written(data: bytes) -> Fingerprint:
    """The fingerprint of bytes we just wrote (their stat doesn't matter: bytes decide)."""
    return Fingerprint(len(data), 0, 0, data)


def backup_path(path: Path) -> Path:
    """Where the previous good version of a plan file is kept."""
    return path.with_name(path.name + ".bak")


def restore_backup(path: Path) -> Path:
    """Put the `.bak` back in place of a damaged plan file; return where the damaged one went.

    Nothing is deleted: the damaged file is renamed to `NAME.toml.damaged` (or -2, -3...).
    Raises PlanError if the backup itself can't be read, SaveError if it can't be written.
    """
    path = Path(path)
    backup = backup_path(path)
    data = read_plan_bytes(backup)
    parse_plan(data, backup)
    with plan_lock(path):
        damaged = path.with_name(path.name + ".damaged")
        number = 2
        while os.path.lexists(damaged):
            damaged = path.with_name(f"{path.name}.damaged-{number}")
            number += 1
        try:
            if os.path.lexists(path):
                os.replace(path, damaged)
        except OSError as error:
            raise SaveError(f"{path}: not restored: {error.strerror}") from None
        atomic_write(path, data, backup=False)
    return damaged
