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
import stat
from dataclasses import field
from datetime import date, datetime
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
    Phase,
    Plan,
    Safety,
    Side,
    SkipReason,
    Task,
    clean_text,
)
from planner.ops import Op, OpError
from planner.record import record

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


def _located(text: str, keys: tuple) -> tuple[int, int] | None:
    """Best-effort line and column for a key path like ("days", 3, "tasks", 1, "id").

    Walks the file's table headers the way our writer lays them out: [plan], then one
    [[days]] per day, each followed by its [[days.tasks]]. Hand-edited files that use
    other layouts fall back to no position (the message still names the key).
    """
    if not keys or not text:
        return None
    lines = text.splitlines()
    header = None
    if keys[:1] == ("plan",):
        header = ("[plan]", 0)
    elif keys[:1] == ("days",) and len(keys) >= 2:
        header = ("[[days]]", keys[1])
    start, end = 0, len(lines)
    if header is not None:
        seen = -1
        for number, line in enumerate(lines):
            if line.strip().startswith(header[0]):
                seen += 1
                if seen == header[1]:
                    start = number
                    break
        else:
            return None
        end = next(
            (n for n in range(start + 1, len(lines)) if lines[n].lstrip().startswith("[")),
            len(lines),
        )
        if keys[:1] == ("days",) and len(keys) >= 4:
            task_seen = -1
            for number in range(start + 1, len(lines)):
                stripped = lines[number].strip()
                if stripped.startswith("[[days]]"):
                    return None
                if stripped.startswith("[[days.tasks]]"):
                    task_seen += 1
                    if task_seen == keys[3]:
                        start = number
                        end = next(
                            (
                                n
                                for n in range(number + 1, len(lines))
                                if lines[n].lstrip().startswith("[")
                            ),
                            len(lines),
                        )
                        break
            else:
                return None
    key = keys[-1] if isinstance(keys[-1], str) else None
    if key and (header is None or len(keys) in (2, 3, 5)):
        for number in range(start, end):
            stripped = lines[number].lstrip()
            if stripped.startswith(key) and stripped[len(key) :].lstrip().startswith("="):
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
    (`_task`) is slower because it can say exactly where a problem is.
    """
    if type(raw) is not dict:
        return None
    get = raw.get
    task_id, title = get("id"), get("title")
    category = _CATEGORIES.get(get("category"))  # type: ignore[arg-type]
    dose, why = get("dose", ""), get("why", "")
    if category is None or not (
        type(task_id) is str and type(title) is str and type(dose) is str and type(why) is str
    ):
        return None
    if not task_id.strip():
        return None
    numbers = (get("minutes"), get("sets"), get("reps"), get("hold_s"))
    for number in numbers:
        if number is not None and (type(number) is not int or number < 0):
            return None
    done, done_at, custom = get("done", False), get("done_at"), get("custom", False)
    if type(done) is not bool or type(custom) is not bool:
        return None
    if done_at is not None and type(done_at) is not datetime:
        return None
    skip = get("skip")
    if skip is not None:
        skip = _SKIPS.get(skip)
        if skip is None:
            return None
    extra = {k: v for k, v in raw.items() if k not in TASK_KEYS}
    return Task(task_id, category, title, dose, why, *numbers, done, done_at, skip, custom, extra)


def _task(doc: _Doc) -> Task:
    task = Task(
        id=doc.take("id", str),
        category=doc.enum("category", Category),
        title=doc.take("title", str),
        dose=doc.take("dose", str, required=False) or "",
        why=doc.take("why", str, required=False) or "",
        minutes=doc.count("minutes"),
        sets=doc.count("sets"),
        reps=doc.count("reps"),
        hold_s=doc.count("hold_s"),
        done=bool(doc.take("done", bool, required=False)),
        done_at=doc.take("done_at", datetime, required=False),
        skip=doc.enum("skip", SkipReason, required=False),
        custom=bool(doc.take("custom", bool, required=False)),
    )
    if not task.id.strip():
        doc.fail(f"{doc.name('id')} is empty", "id")
    task.extra = doc.table
    return task


def _day(doc: _Doc, path: Path, text: str) -> Day:
    when = doc.take("date", date)
    phase = doc.enum("phase", Phase)
    pain = doc.count("pain", 0, 10)
    note = doc.take("note", str, required=False)
    at_rest = bool(doc.take("at_rest", bool, required=False))
    gate = None
    raw_gate = doc.take("gate", dict, required=False)
    if raw_gate is not None:
        gate_doc = _Doc(path, text, raw_gate, (*doc.keys, "gate"))
        gate = GateResult(
            raises=gate_doc.count("raises") or 0,
            hops=gate_doc.count("hops") or 0,
            walk_min=gate_doc.count("walk_min") or 0,
            passed=gate_doc.take("passed", bool),
        )
        if gate_doc.table:
            doc.table["gate"] = gate_doc.table  # hand-added keys stay where they were
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
    day.extra = doc.table
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
        checked=doc.take("checked", date),
        flags=[clean_text(f) for f in flags],
        clinician_cleared=bool(doc.take("clinician_cleared", bool, required=False)),
    )
    if doc.table:
        plan_doc.table["safety"] = doc.table  # unknown keys stay where they were found
    return safety


def _v0_to_v1(doc: dict) -> dict:
    """Schema 0 named the injury `kind`, a day's pain `pain_score`, and marked tasks with
    `state = "done" | "todo"`; schema 1 says `injury`, `pain` and `done = true | false`."""
    doc = copy.deepcopy(doc)
    doc["schema_version"] = 1
    plan = doc.get("plan")
    if isinstance(plan, dict) and "kind" in plan and "injury" not in plan:
        plan["injury"] = plan.pop("kind")
    days = doc.get("days")
    for day in days if isinstance(days, list) else []:
        if not isinstance(day, dict):
            continue
        if "pain_score" in day and "pain" not in day:
            day["pain"] = day.pop("pain_score")
        tasks = day.get("tasks")
        for task in tasks if isinstance(tasks, list) else []:
            if isinstance(task, dict) and "state" in task and "done" not in task:
                task["done"] = task.pop("state") == "done"
    return doc


# Pure functions, each from one schema to the next; a file is migrated in memory on load
# and keeps a `.v{N}.bak` of its old bytes before the first save in the new schema.
MIGRATIONS = {0: _v0_to_v1}


def plan_from_doc(doc_table: dict, path: Path, text: str = "") -> Plan:
    """Turn a parsed TOML document into a Plan, or raise PlanError saying what is wrong."""
    top = _Doc(path, text, doc_table, ())
    if not top.table:
        raise PlanError(path, "empty file: no schema_version, no plan (a half-written save?)")
    version = top.take("schema_version", int)
    migrated_from = None
    if version < SCHEMA_VERSION:
        if any(v not in MIGRATIONS for v in range(version, SCHEMA_VERSION)):
            top.fail(f"schema_version {version} is not one this version knows", "schema_version")
        migrated_from, doc = version, doc_table
        for step in range(version, SCHEMA_VERSION):
            doc = MIGRATIONS[step](doc)
        top = _Doc(path, text, doc, ())
        version = top.take("schema_version", int)
    plan = _plan_head(top, version)
    raw_days = top.take("days", list)
    if not raw_days:
        top.fail("days is empty: a plan has at least one day", "days")
    days = []
    for index, raw in enumerate(raw_days):
        days.append(_day(_Doc(path, text, raw, ("days", index)), path, text))
        if index and (days[index].date - days[index - 1].date).days != 1:
            _Doc(path, text, {}, ("days", index)).fail(
                f"days[{index + 1}].date is {days[index].date}; days must be consecutive, "
                f"the one after {days[index - 1].date}",
                "date",
            )
    plan.days = days
    plan.extra = top.table
    plan.migrated_from = migrated_from
    return plan


def head_of(doc_table: dict, path: Path) -> tuple[Plan, dict]:
    """A parsed file's schema and `[plan]` head as a Plan without days, and the rest of the
    document (its `days`, unknown top-level keys). PlanError if the head breaks the format.
    """
    top = _Doc(path, "", doc_table, ())
    version = top.take("schema_version", int)
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
        created=plan_doc.take("created", datetime),
        injury_date=plan_doc.take("injury_date", date),
        race_date=plan_doc.take("race_date", date),
        injury=injury,
        grade=plan_doc.count("grade", 1, 2),
        side=plan_doc.enum("side", Side, required=False),
        distance=plan_doc.enum("distance", Distance),
        warning=plan_doc.take("warning", str, required=False),
        safety=_safety(plan_doc),
        schema_version=version,
    )
    if injury == InjuryKind.STRAIN and plan.grade is None:
        plan_doc.fail("plan.grade is missing: a strain is grade 1 or 2")
    plan.plan_extra = plan_doc.table
    plan.read_only = version > SCHEMA_VERSION
    return plan


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
    return plan_from_doc(doc, path, text)


def read_plan_bytes(path: Path) -> bytes:
    """Read at most MAX_BYTES + 1 bytes, refusing symlinks and non-files."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        raise PlanError(path, "no such file") from None
    except OSError as error:
        raise PlanError(path, f"can't read: {error.strerror}") from None
    if stat.S_ISLNK(info.st_mode):
        raise PlanError(path, "is a symbolic link; open the file it points to instead")
    if not stat.S_ISREG(info.st_mode):
        raise PlanError(path, "is not a regular file")
    if info.st_size > MAX_BYTES:
        raise PlanError(path, f"file is over {MAX_BYTES // 1024} KiB; not a plan this app wrote")
    try:
        with open(path, "rb") as handle:
            return handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise PlanError(path, f"can't read: {error.strerror}") from None


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
    if plan.warning is not None:
        head["warning"] = plan.warning
    if plan.safety is not None:
        safety = plan.safety
        head["safety"] = {
            **plan.plan_extra.get("safety", {}),
            "checked": safety.checked,
            "flags": list(safety.flags),
            "clinician_cleared": safety.clinician_cleared,
        }
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


def atomic_write(path: Path | str, data: bytes, *, backup: bool = True) -> None:
    """Replace `path` with `data` all at once, or leave it as it was and raise SaveError.

    Temp file in the same folder (mode 0600); write, flush, fsync, close; keep the old
    version as `.bak`; `os.replace`; fsync the folder. Every step is checked. On failure the
    temp file is removed and, if the folder sync failed after the swap, the old file is put
    back: the caller sees "not saved" and the file as it was. A failed fsync is never
    retried (its data can't be trusted).
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
        if os.path.lexists(path):
            if backup:
                _backup(path)
            kept_previous = _link(path, previous)
        os.replace(temp, path)
        _fsync_dir(folder)
    except (OSError, SaveError) as error:
        if not os.path.lexists(temp) and kept_previous:  # swapped, but not durably: undo
            with contextlib.suppress(OSError):
                os.replace(previous, path)
        with contextlib.suppress(OSError):
            os.unlink(temp)
        reason = error.strerror if isinstance(error, OSError) else str(error)
        raise SaveError(f"{path}: not saved: {reason or error}") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(previous)


def ensure_private_dir(folder: Path) -> None:
    """Create an app-owned folder (mode 0700), or tighten it to 0700 if it exists."""
    folder.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    if stat.S_IMODE(folder.stat().st_mode) != DIR_MODE:
        os.chmod(folder, DIR_MODE)


def lock_path(path: Path) -> Path:
    """The side file whose lock guards a plan file (never the plan file itself)."""
    return path.with_name(f".{path.name}.lock")


@contextlib.contextmanager
def plan_lock(path: Path):
    """Hold the exclusive lock of a plan file, or raise SaveError after a wait."""
    import filelock  # loaded with the first save, not before the first frame

    lock = filelock.FileLock(lock_path(path), timeout=LOCK_TIMEOUT_S, mode=FILE_MODE)
    try:
        with lock:
            yield
    except filelock.Timeout:
        raise SaveError(f"{path}: not saved: another program kept the plan locked") from None
    except OSError as error:
        raise SaveError(f"{path}: not saved: can't lock it: {error.strerror}") from None


@record(eq=True)
class Fingerprint:
    """What a plan file looked like when we last read or wrote it.

    Size and mtime are compared first (a stat); the content hash is computed only when
    they differ, so an unchanged file costs no read before a save.
    """

    size: int
    mtime_ns: int
    data: bytes = field(repr=False)
    _digest: bytes | None = field(default=None, repr=False)

    @classmethod
    def of(cls, path: Path, data: bytes) -> Fingerprint:
        info = os.stat(path)
        return cls(info.st_size, info.st_mtime_ns, data)

    @property
    def digest(self) -> bytes:
        if self._digest is None:
            import hashlib  # only when size or mtime changed: most saves never hash

            self._digest = hashlib.sha256(self.data).digest()
        return self._digest

    def same_stat(self, info: os.stat_result) -> bool:
        return (info.st_size, info.st_mtime_ns) == (self.size, self.mtime_ns)


def _encode(
    plan: Plan, path: Path, days: list[bytes] | None = None, head: bytes | None = None
) -> bytes:
    if days is None:
        days = [day_text(day).encode("utf-8") for day in plan.days]
    if head is None:
        head = head_text(plan).encode("utf-8")
    data = head + b"".join(days)
    if len(data) > MAX_BYTES:
        raise SaveError(f"{path}: not saved: the plan would be over {MAX_BYTES // 1024} KiB")
    return data


@record(eq=True)
class PlanFile:
    """A plan loaded from a file, plus the operations applied since it was last saved."""

    path: Path
    plan: Plan
    fingerprint: Fingerprint | None
    pending: list[Op] = field(default_factory=list)
    reloaded: bool = False
    # Each day's TOML as it was last written, so a tick rewrites one day's text, not 700.
    _days: list[bytes] | None = field(default=None, repr=False)
    _head: bytes | None = field(default=None, repr=False)
    _days_of: Plan | None = field(default=None, repr=False)
    _dirty: set[date] | None = field(default=None, repr=False)

    @classmethod
    def open(cls, path: Path | str) -> PlanFile:
        """Load a plan file (PlanError if it can't be read)."""
        path = Path(path)
        data = read_plan_bytes(path)
        plan = parse_plan(data, path)
        return cls(path, plan, Fingerprint.of(path, data))

    @classmethod
    def create(cls, path: Path | str, plan: Plan) -> PlanFile:
        """Write a new plan file; SaveError if the path already exists or can't be written."""
        path = Path(path)
        data = _encode(plan, path)
        with plan_lock(path):
            if os.path.lexists(path):
                raise SaveError(f"{path}: not saved: a file of that name already exists")
            atomic_write(path, data, backup=False)
            return cls(path, plan, Fingerprint.of(path, data))

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

    def save(self) -> None:
        """Write the plan, merging with any change another program made since we read it.

        Under the lock: if the file's size, mtime or hash changed, reload it and apply our
        pending operations to it; then write atomically. On failure nothing in memory is
        lost and the pending operations stay queued for a retry.
        """
        if self.plan.partial:  # a glimpse (planner.glimpse) must never replace the file
            raise SaveError(f"{self.path}: not saved: the plan is still loading")
        if self.plan.read_only:
            raise ReadOnlyError(
                f"{self.path}: not saved: written by a newer version of the app "
                f"(schema {self.plan.schema_version}); this version only reads it"
            )
        with plan_lock(self.path):
            plan = self._merged()
            days = self._day_bytes(plan)
            if self._head is None:
                self._head = head_text(plan).encode("utf-8")
            data = _encode(plan, self.path, days, self._head)
            if plan.migrated_from is not None:
                self._keep_old_schema(plan.migrated_from)
            atomic_write(self.path, data)
            plan.migrated_from = None
            self.plan = plan
            self.pending.clear()
            self.fingerprint = Fingerprint.of(self.path, data)

    def _keep_old_schema(self, version: int) -> None:
        """Before the first save in the new schema, keep the old file as `.v{N}.bak`."""
        keep = self.path.with_name(f"{self.path.name}.v{version}.bak")
        if not os.path.lexists(keep) and os.path.lexists(self.path):
            atomic_write(keep, read_plan_bytes(self.path), backup=False)

    def refresh(self) -> bool:
        """Take in what another program saved since we read the file; True if it did.

        Our unsaved operations are applied again on top, so nothing of ours is lost. A
        file that can no longer be read raises PlanError and leaves our plan as it was.
        """
        try:
            info = os.stat(self.path)
        except FileNotFoundError:
            return False
        known = self.fingerprint
        if known is not None and known.same_stat(info):
            return False
        data = read_plan_bytes(self.path)
        current = Fingerprint.of(self.path, data)
        if known is not None and current.digest == known.digest:
            self.fingerprint = current
            return False
        theirs = parse_plan(data, self.path)
        for op in self.pending:
            with contextlib.suppress(OpError):  # their edit removed what the op touched
                op.apply(theirs)
        self.plan, self.fingerprint = theirs, current
        return True

    def _merged(self) -> Plan:
        """Our plan, or the file's newer plan with our pending operations applied again."""
        try:
            if self.fingerprint is not None and self.fingerprint.same_stat(os.stat(self.path)):
                return self.plan  # untouched since we read or wrote it
        except OSError:
            pass  # gone or unreadable: the careful path below says which
        try:
            data = read_plan_bytes(self.path)
        except PlanError as error:
            if not os.path.lexists(self.path):
                return self.plan  # deleted underneath: writing it back loses nothing
            raise SaveError(f"{self.path}: not saved: {error.problem}") from None
        try:
            current = Fingerprint.of(self.path, data)
        except OSError:
            return self.plan
        if self.fingerprint is not None and current.digest == self.fingerprint.digest:
            self.fingerprint = current  # touched, not changed
            return self.plan
        try:
            theirs = parse_plan(data, self.path)
        except PlanError as error:
            raise SaveError(
                f"{self.path}: not saved: another program changed it and it can't be read ({error})"
            ) from None
        for op in self.pending:
            try:
                op.apply(theirs)
            except OpError as error:
                raise SaveError(
                    f"{self.path}: not saved: another program changed it and {error}"
                ) from None
        self.reloaded = True
        return theirs


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
