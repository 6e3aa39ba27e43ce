"""TOML <-> Plan: reading a parsed document into a Plan with plain-English errors at
the key's line, and writing a Plan (or one day) as TOML text."""

from __future__ import annotations

import re
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, NoReturn

import msgspec
import tomli

from planner.model import (
    SCHEMA_VERSION,
    Day,
    GateResult,
    InjuryKind,
    Plan,
    Safety,
    Task,
    clean_text,
    clean_value,
)
from planner.store.errors import PlanError
from planner.store.locate import Headers
from planner.store.schema import (
    DAY_KEYS,
    FIRST_YEAR,
    GATE_KEYS,
    LAST_YEAR,
    MAX_AFTER_DAYS,
    MAX_BYTES,
    MAX_DEPTH,
    MAX_RACE_DAYS,
    MIGRATIONS,
    PLAN_KEYS,
    SAFETY_KEYS,
    TASK_KEYS,
    TOP_KEYS,
    DaysPart,
    DayTable,
    GateTable,
    HeadPart,
    SafetyTable,
    TaskTable,
    VersionPart,
)


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


# ----------------------------------------------------------------------------- reading
#
# A parsed file is checked against the typed tables of `schema` by `msgspec.convert`, in
# C: types, required keys, enum values and the limits on numbers. What no type can say
# is checked after, as a person reads the file: the years of dates, ids and titles that
# clean to nothing, days that don't follow each other, and hand-added keys (kept as they
# are) that couldn't be written back. A refusal says what is wrong in plain English, at
# the key's line.


class _Source:
    """A file being read: its path and text, to say where a problem is (`path:line:col`;
    no position without the text, as for the pieces a glimpse reads), and its head once
    read (the days are placed by it)."""

    __slots__ = ("_headers", "head", "path", "shared", "text")

    def __init__(self, path: Path, text: str) -> None:
        self.path, self.text = path, text
        self.head: Plan | None = None
        self._headers: Headers | None = None
        # One string object per distinct id, title, dose and why: a two-year plan repeats
        # some fifty of them in 6,000 tasks, and the parser makes a new object each time
        # (about 1.4 MiB of the app's idle memory).
        self.shared: dict[str, str] = {}

    def fail(self, problem: str, keys: tuple = ()) -> NoReturn:
        """Refuse the file: `problem`, at the key path `keys` (no position for ())."""
        position = None
        if keys and self.text:
            if self._headers is None:
                self._headers = Headers(self.text)
            position = self._headers.locate(keys)
        line, col = position if position else (None, 1)
        raise PlanError(self.path, problem, line, col)

    def convert(self, raw: Any, kind: Any, keys: tuple = ()) -> Any:
        """`raw`, the value at `keys`, as the typed table `kind`; or refuse the file."""
        try:
            return msgspec.convert(raw, kind)
        except msgspec.ValidationError as error:
            self.refuse(str(error), kind, raw, keys)

    def refuse(self, message: str, kind: Any, raw: Any, keys: tuple) -> NoReturn:
        """Refuse the file for msgspec's `message` on converting `raw` (at `keys`) as `kind`.

        msgspec stops at the first bad value in the order the file gives its keys, and
        reports a missing key after the others: the problem reported is the first in the
        order of the typed tables, as a person reads a plan (see `_read_before`).
        """
        what, _, where = message.partition(" - at `")
        path = tuple(
            int(index) if index else field for field, index in re.findall(_PATH_PART, where[1:-1])
        )
        missing = re.match(_MISSING, what)
        field = missing.group(1) if missing else None
        self._read_before(kind, raw, keys, path, field)
        found, problem = _refusal(kind, raw, keys, path, field)
        self.fail(problem, found)

    def _read_before(
        self, kind: Any, raw: Any, keys: tuple, path: tuple, field: str | None
    ) -> None:
        """Refuse whatever comes before `path` (and the missing `field`) in the order of
        the typed tables: the keys a table names before it, missing or wrong, and the
        days or tasks before it, with every check a whole read makes of them."""
        from msgspec import inspect  # for a file we refuse only

        info, value = inspect.type_info(kind), raw
        for depth, part in enumerate((*path, field) if field else path):
            here, info = (*keys, *path[:depth]), _unwrapped(info)
            if isinstance(info, inspect.StructType):
                types = msgspec.structs.fields(info.cls)  # the same fields, as Python types
                for earlier, typed in zip(info.fields, types, strict=True):
                    name = earlier.encode_name
                    if name == part:
                        info = earlier.type
                        break
                    if name in value:
                        read = self.convert(value[name], typed.type, (*here, name))
                        self._checked(read, value[name], (*here, name))
                    elif earlier.required:  # a top-level key has no line to point at
                        found = (*here, name)
                        self.fail(f"{_name(found)} is missing", found if here else ())
            else:  # a list: the items before this one come first
                info, before = info.item_type, value[:part]
                if here == ("days",):
                    tables = msgspec.convert(before, list[DayTable])
                    _days(tables, before, self)
                elif here[-1:] == ("tasks",):
                    tables = msgspec.convert(before, list[TaskTable])
                    for number, (table, raw_task) in enumerate(zip(tables, before, strict=True)):
                        _task(table, raw_task, (*here, number), self)
            if depth < len(path):
                value = value[part]

    def _checked(self, read: Any, raw: Any, keys: tuple) -> None:
        """The checks after the type of a key that `_read_before` read."""
        if isinstance(read, date):
            self.dated(read, keys)
        elif isinstance(read, SafetyTable):
            _safety(read, raw, self)
        elif isinstance(read, GateTable):
            self.kept(_unknown(raw, GATE_KEYS), GATE_KEYS, keys)

    def kept(self, extra: dict, known: frozenset[str], keys: tuple) -> dict:
        """`extra`, the hand-added keys of the table at `keys` (see `_unknown`), if each
        can be written back and read again as it is; else refuse the file.

        Refused: a value nested deeper than the writer goes, or a key that cleaning turns
        into a key of the format or into another key of its table (one of the two would
        be lost, or a hand-added `custom` would be written over the task's own).
        """
        problem = _extras_problem(extra, known) if extra else None
        if problem is not None:
            key, words = problem
            where = _name(keys) if keys else "the file"
            self.fail(f"{where}: the key {key!r} {words}", (*keys, key))
        return extra

    def dated(self, value: date, keys: tuple) -> None:
        """Refuse a date (or a date and time) outside the years FIRST_YEAR to LAST_YEAR."""
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            self.fail(
                f"{_name(keys)} is {value}; a plan's dates are in the years "
                f"{FIRST_YEAR}-{LAST_YEAR}",
                keys,
            )


def _unknown(table: dict, known: frozenset[str]) -> dict:
    """The keys of `table` its typed table doesn't name (added by hand: kept as they are;
    the model cleans them of control characters)."""
    if table.keys() <= known:  # the common case, in C
        return {}
    return {key: value for key, value in table.items() if key not in known}


def _name(keys: tuple) -> str:
    """A key path as the messages spell it: ("days", 3, "tasks", 0, "id") reads
    days[4].tasks[1].id, counting from 1 as a person does."""
    out = ""
    for part in keys:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "file"


# What a value must be, in the words of the messages, by the type msgspec expected there
# (its msgspec.inspect class); an enum's value is a text.
_WORDS = {
    "BoolType": "true or false",
    "IntType": "a whole number",
    "StrType": "text in quotes",
    "EnumType": "text in quotes",
    "DateType": "a date like 2026-11-20",
    "DateTimeType": "a date and time like 2026-11-20T19:02:11Z",
    "ListType": "a list",
    "StructType": "a table",
}
# msgspec's path (`$.days[3].tasks[1]`) and its words for a missing key; compiled with the
# first refusal (re caches them), not at startup.
_PATH_PART = r"\.([^.\[]+)|\[(\d+)\]"
_MISSING = r"Object missing required field `(.+)`"


def _refusal(kind: Any, raw: Any, keys: tuple, path: tuple, field: str | None) -> tuple[tuple, str]:
    """The key path and the plain-English problem for msgspec's refusal of `raw` (the
    value at `keys`) as `kind` at `path` (from its message: Expected `int` <= 1440 - at
    `$[3].tasks[1].minutes`), or the required `field` missing there.

    The words come from the type msgspec expected and the value the file has there:
    "days[4].tasks[2].minutes is 1441; it must be 0-1440".
    """
    from msgspec import inspect

    info, value = inspect.type_info(kind), raw
    for part in path:
        info = _unwrapped(info)
        if isinstance(info, inspect.StructType):
            info = next(f.type for f in info.fields if f.encode_name == part)
        else:
            info = info.item_type
        value = value[part]
    found = (*keys, *path)
    if field is not None:
        found = (*found, field)
        # A key the top level lacks has no line to point at.
        return found if len(found) > 1 else (), f"{_name(found)} is missing"
    info, name = _unwrapped(info), _name(found)
    if found == ("schema_version",) and type(value) is int:
        return found, (
            f"schema_version {value} is not one this version knows "
            f"(schema versions are {info.ge}-{info.le})"
        )
    if isinstance(info, inspect.IntType) and type(value) is int:
        return found, f"{name} is {value}; it must be {info.ge}-{info.le}"
    if isinstance(info, inspect.EnumType) and type(value) is str:
        allowed = ", ".join(member.value for member in info.cls)
        return found, f"{name} is {value!r}; use one of {allowed}"
    if found and isinstance(found[-1], int):  # an item of a list: a day, a task, a flag
        if isinstance(info, inspect.StructType):
            return found, f"{name} must be a table"
        return found[:-1], f"{_name(found[:-1])} must be a list of texts"
    return found, f"{name} must be {_WORDS[type(info).__name__]}, not {value!r}"


def _unwrapped(info: Any) -> Any:
    """The type of an optional value (`int | None`: int)."""
    from msgspec import inspect

    if isinstance(info, inspect.UnionType):
        return next(t for t in info.types if not isinstance(t, inspect.NoneType))
    return info


def _version(doc: dict, source: _Source) -> int:
    """The file's schema_version, refused outside 0-MAX_SCHEMA (a huge one is no newer app)."""
    return source.convert(doc, VersionPart).schema_version


def _safety(table: SafetyTable, raw: dict, source: _Source) -> tuple[Safety, dict]:
    """`[plan.safety]` as Safety, and its hand-added keys."""
    source.dated(table.checked, ("plan", "safety", "checked"))
    safety = Safety(
        checked=table.checked,
        flags=[clean_text(flag) for flag in table.flags],
        clinician_cleared=table.clinician_cleared,
        answered=table.answered,
    )
    return safety, source.kept(_unknown(raw, SAFETY_KEYS), SAFETY_KEYS, ("plan", "safety"))


def _head(doc: dict, source: _Source, version: int) -> Plan:
    """The `[plan]` table of a parsed file as a Plan without days."""
    table = source.convert(doc, HeadPart).plan
    raw = doc["plan"]
    for key in ("created", "injury_date", "race_date"):
        source.dated(getattr(table, key), ("plan", key))
    _stamps(table, ("inputs_at",), ("plan",), source)
    safety = safety_extra = None
    if table.safety is not None:
        safety, safety_extra = _safety(table.safety, raw["safety"], source)
    if not 0 <= (table.race_date - table.injury_date).days <= MAX_RACE_DAYS:
        source.fail(
            f"plan.race_date is {table.race_date}; race_date must be from injury_date "
            f"({table.injury_date}) to {MAX_RACE_DAYS} days after it",
            ("plan", "race_date"),
        )
    if table.injury == InjuryKind.STRAIN and table.grade is None:
        source.fail("plan.grade is missing: a strain is grade 1 or 2", ("plan",))
    plan_extra = _unknown(raw, PLAN_KEYS)
    if safety_extra:  # hand-added keys stay where they were
        plan_extra["safety"] = safety_extra
    source.head = Plan(
        name=table.name,
        created=table.created,
        injury_date=table.injury_date,
        race_date=table.race_date,
        injury=table.injury,
        grade=table.grade,
        side=table.side,
        distance=table.distance,
        warning=table.warning,
        safety=safety,
        schema_version=version,
        uid=table.uid,
        inputs_at=table.inputs_at,
        revision=table.revision,
        muscle=table.muscle,
        recurrent=table.recurrent,
        finish_minutes=table.finish_minutes,
        protocol=table.protocol,
        plan_extra=source.kept(plan_extra, PLAN_KEYS, ("plan",)),
        read_only=version > SCHEMA_VERSION,
    )
    return source.head


def _activity_start(table: TaskTable, keys: tuple, source: _Source) -> datetime | None:
    """A task's `activity_start`, refused (like `done_at`) outside the years a file may hold."""
    start = table.activity_start
    if start is not None and not FIRST_YEAR <= start.year <= LAST_YEAR:
        source.dated(start, (*keys, "activity_start"))
    return start


def _stamps(table: Any, names: tuple[str, ...], keys: tuple, source: _Source) -> None:
    """Refuse a change stamp (`pain_at`, `changed_at`...) of `table` outside the years a
    file may hold, at its line, as any other date of the plan."""
    for name in names:
        stamp = getattr(table, name)
        if stamp is not None and not FIRST_YEAR <= stamp.year <= LAST_YEAR:
            source.dated(stamp, (*keys, name))


TASK_STAMPS = ("changed_at", "note_at", "edited_at")
DAY_STAMPS = ("pain_at", "note_at", "at_rest_at", "gate_at")


def _task(table: TaskTable, raw: dict, keys: tuple, source: _Source) -> Task:
    """One `[[days.tasks]]` table (at `keys`), typed as `table`, as a Task."""
    done_at = table.done_at
    if done_at is not None and not FIRST_YEAR <= done_at.year <= LAST_YEAR:
        source.dated(done_at, (*keys, "done_at"))
    shared = source.shared.setdefault
    task = Task(
        shared(table.id, table.id),
        table.category,
        shared(table.title, table.title),
        shared(table.dose, table.dose),
        shared(table.why, table.why),
        table.minutes,
        table.sets,
        table.reps,
        table.hold_s,
        table.done,
        done_at,
        table.skip,
        table.custom,
        note=table.note,
        actual_minutes=table.actual_minutes,
        activity_start=_activity_start(table, keys, source),
        series=table.series,
    )
    if table.changed_at is not None or table.note_at is not None or table.edited_at is not None:
        _stamps(table, TASK_STAMPS, keys, source)
        task.changed_at, task.note_at = table.changed_at, table.note_at
        task.edited_at = table.edited_at
    # Checked as the model left them (control characters gone, line breaks made spaces):
    # an id or title that cleans to nothing would be saved as "" and refused at the next
    # load. A title of spaces is odd but harmless; an empty one shows nothing.
    if not task.title or not task.id.strip():
        field = "title" if task.id.strip() else "id"
        where = (*keys, field)
        source.fail(f"{_name(where)} {_emptied(getattr(table, field))}", where)
    if not raw.keys() <= TASK_KEYS:
        task.extra = clean_value(source.kept(_unknown(raw, TASK_KEYS), TASK_KEYS, keys))
    return task


def _day(table: DayTable, raw: dict, index: int, source: _Source) -> Day:
    """One `[[days]]` table (the file's day `index`, from 0), typed as `table`, as a Day."""
    keys = ("days", index)
    when = table.date
    if not FIRST_YEAR <= when.year <= LAST_YEAR:
        source.dated(when, (*keys, "date"))
    gate = gate_extra = None
    if table.gate is not None:
        test = table.gate
        gate = GateResult(test.raises, test.hops, test.walk_min, test.passed, test.other_side)
        gate_extra = source.kept(_unknown(raw["gate"], GATE_KEYS), GATE_KEYS, (*keys, "gate"))
    tasks = []
    if table.tasks:
        pairs = zip(table.tasks, raw["tasks"], strict=True)
        tasks = [_task(t, r, (*keys, "tasks", n), source) for n, (t, r) in enumerate(pairs)]
        if len({task.id for task in tasks}) != len(tasks):
            seen: set[str] = set()
            for number, task in enumerate(tasks):
                if task.id in seen:
                    source.fail(
                        f"task id {task.id!r} appears twice on {when}",
                        (*keys, "tasks", number, "id"),
                    )
                seen.add(task.id)
    extra = _unknown(raw, DAY_KEYS)
    if gate_extra:  # hand-added keys stay where they were
        extra["gate"] = gate_extra
    day = Day(
        when,
        table.phase,
        tasks,
        table.pain,
        table.note,
        table.at_rest,
        gate,
        source.kept(extra, DAY_KEYS, keys),
    )
    if table.pain_at or table.note_at or table.at_rest_at or table.gate_at:
        _stamps(table, DAY_STAMPS, keys, source)
        day.pain_at, day.note_at = table.pain_at, table.note_at
        day.at_rest_at, day.gate_at = table.at_rest_at, table.gate_at
    return day


def _days(tables: list[DayTable], raw_days: list, source: _Source) -> list[Day]:
    """The days of a file as Days, each in its place: from the injury to race day and on
    a few days. (A glimpse reads some days alone, with no head: no places to check.)

    The engine, the calendar and the re-plan count a day's place from injury_date, and
    the file can't hold more than MAX_RACE_DAYS + MAX_AFTER_DAYS + 1 of them.
    """
    plan = source.head
    if plan is None:
        return [_day(table, raw_days[n], n, source) for n, table in enumerate(tables)]
    last = plan.race_date + timedelta(days=MAX_AFTER_DAYS)
    days: list[Day] = []
    before = plan.injury_date - timedelta(days=1)
    for index, table in enumerate(tables):
        day = _day(table, raw_days[index], index, source)
        when = day.date
        if (when - before).days != 1:
            if not index:
                problem = (
                    f"days[1].date is {when}; a plan's days start on its injury_date, "
                    f"{plan.injury_date}"
                )
            else:
                problem = (
                    f"days[{index + 1}].date is {when}; days must be consecutive, "
                    f"the one after {before}"
                )
            source.fail(problem, ("days", index, "date"))
        if when > last:
            source.fail(
                f"days[{index + 1}].date is {when}, more than {MAX_AFTER_DAYS} days after "
                f"race_date ({plan.race_date}); a plan ends a few days after its race",
                ("days", index, "date"),
            )
        days.append(day)
        before = when
    return days


def plan_from_doc(doc_table: dict, path: Path, text: str = "") -> Plan:
    """Turn a parsed TOML document into a Plan, or raise PlanError saying what is wrong."""
    source = _Source(path, text)
    if not doc_table:
        raise PlanError(path, "empty file: no schema_version, no plan (a half-written save?)")
    doc = doc_table
    version = _version(doc, source)
    migrated_from = None
    if version < SCHEMA_VERSION:
        if any(v not in MIGRATIONS for v in range(version, SCHEMA_VERSION)):
            source.fail(
                f"schema_version {version} is not one this version knows", ("schema_version",)
            )
        migrated_from = version
        for step in range(version, SCHEMA_VERSION):
            doc = MIGRATIONS[step](doc)
        version = _version(doc, source)
    plan = _head(doc, source, version)
    tables = source.convert(doc, DaysPart).days
    if not tables:
        source.fail("days is empty: a plan has at least one day", ("days",))
    plan.days = _days(tables, doc["days"], source)
    if plan.last_date < plan.race_date:
        source.fail(
            f"the last day is {plan.last_date}, before race_date ({plan.race_date}); a plan's "
            "days run from injury_date to race day and a few days after it",
            ("days", len(tables) - 1, "date"),
        )
    plan.extra = clean_value(source.kept(_unknown(doc, TOP_KEYS), TOP_KEYS, ()))
    plan.migrated_from = migrated_from
    return plan


def head_of(doc_table: dict, path: Path) -> tuple[Plan, dict]:
    """A parsed file's schema and `[plan]` head as a Plan without days, and the rest of the
    document (its `days`, unknown top-level keys). PlanError if the head breaks the format.
    """
    source = _Source(path, "")
    plan = _head(doc_table, source, _version(doc_table, source))
    rest = {k: v for k, v in doc_table.items() if k != "schema_version" and k != "plan"}
    return plan, rest


def day_of(raw: Any, index: int, path: Path) -> Day:
    """One `[[days]]` table (the file's day number `index`, from 0) as a Day, or PlanError."""
    source = _Source(path, "")
    return _day(source.convert(raw, DayTable, ("days", index)), raw, index, source)


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
    for key in TASK_STAMPS:  # written only when set: an older file reads as it was
        if getattr(task, key) is not None:
            table[key] = getattr(task, key)
    if task.note is not None:
        table["note"] = task.note
    # Written only when given: a file without them reads as before, byte for byte.
    if task.actual_minutes is not None:
        table["actual_minutes"] = task.actual_minutes
    if task.activity_start is not None:
        table["activity_start"] = task.activity_start
    if task.series is not None:
        table["series"] = task.series
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
    for key in DAY_STAMPS:  # written only when set: an older file reads as it was
        if getattr(day, key) is not None:
            table[key] = getattr(day, key)
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
    if plan.inputs_at is not None:
        head["inputs_at"] = plan.inputs_at
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
