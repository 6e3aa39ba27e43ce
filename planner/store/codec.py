"""TOML <-> Plan: reading a parsed document into a Plan with plain-English errors at
the key's line, and writing a Plan (or one day) as TOML text."""

from __future__ import annotations

import re
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

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
from planner.store.errors import PlanError
from planner.store.locate import _located
from planner.store.schema import (
    DAY_KEYS,
    FIRST_YEAR,
    GATE_KEYS,
    LAST_YEAR,
    MAX_AFTER_DAYS,
    MAX_BYTES,
    MAX_DEPTH,
    MAX_DOSE,
    MAX_FINISH_MINUTES,
    MAX_GATE_COUNT,
    MAX_GATE_WALK,
    MAX_PROTOCOL,
    MAX_RACE_DAYS,
    MAX_REVISION,
    MAX_SCHEMA,
    MIGRATIONS,
    PLAN_KEYS,
    SAFETY_KEYS,
    TOP_KEYS,
)

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
