"""`planner status`: one line on the plan's today, for a shell prompt or a tmux status bar.

A prompt runs it before every command line, so it has to cost about as little as starting
Python: this module loads only the standard library and tomli, never the model, the store,
the engine or msgspec. It reads what the line needs and nothing more:

- which plan: the state file's last plan (or PLAN), as `planner.paths.find_plan` finds it;
- the file's head (`schema_version`, `[plan]`), cut before its first `[[days]]`;
- today's `[[days]]` block whole (its tasks: done, skipped, the next one open);
- of the days up to today, only those whose own keys hold more than `date` and `phase`
  (a pain log, pain at rest, a note): the see-a-clinician warning reads the whole log;
- the first and last day (the plan's span).

Each day is found by its `[[days]]` line; the chosen pieces are parsed together by tomli.
A file laid out another way (hand-edited with a multi-line string, a table of its own among
the days, a header it doesn't know) is parsed whole by tomli instead, still without the
model. Anything that doesn't check out (a value of the wrong type, a date out of place, a
TOML error, a schema to migrate) goes to the store, which either reads the plan (and the
line comes from the real plan and the real warning) or says what is wrong and where
(`path:line:col: problem`, exit 1). A problem in a part of the file the line doesn't read
shows at the next command that reads the file whole; status never writes anything.

The pain thresholds and the phases' names are the protocol's (`planner/rules/
protocol.toml`), read from their two tables; the warning follows the same rule as
`planner.advice.clinician_warning`, which the tests hold it to.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple

import tomli

from planner.cleaning import clean_line, shown_path

APP_NAME = "recovery-planner"  # planner.paths.APP_NAME
STATE_FILE = "state.toml"  # planner.paths.STATE_FILE
MAX_STATE_BYTES = 64 * 1024  # planner.paths.MAX_STATE_BYTES
MAX_BYTES = 1024 * 1024  # planner.store.MAX_BYTES: a bigger file is no plan
SCHEMA_VERSION = 1  # planner.model.SCHEMA_VERSION; other schemas go through the store
SKIP_REASONS = frozenset({"pain", "travel", "other"})  # planner.model.SkipReason
ALERT = "see a clinician"
NOT_LOGGED = "—"

# The fields a --format template may name, in the order the help lists them.
FIELDS = {
    "name": "the plan's name",
    "date": "today, YYYY-MM-DD",
    "day": "days since the injury (0 on the injury day)",
    "race_in": "days to the race (0 on race day, negative after it)",
    "race": "the race in words: 'race in 5', 'race today', 'race was 3 days ago'",
    "phase": "today's phase: Protect, Recover, Rebuild, Taper, Race or After",
    "done": "today's tasks done or skipped (excused)",
    "total": "today's tasks",
    "pain": f"today's pain, 0-10, or {NOT_LOGGED} when not logged",
    "next": "the first of today's tasks still open",
    "alert": f"'{ALERT}' when the pain log calls for one, else empty",
}


class NotFound(LookupError):
    """PLAN names no plan, or there are several and none was used last (exit 2)."""


class StatusError(ValueError):
    """Bad input (exit 2): a --format template we can't fill; the message names it."""


class BadPlan(Exception):
    """The plan file is not a plan (exit 1); the message is the store's
    `path:line:col: problem`."""


class _Unusual(Exception):
    """A file laid out in a way the chunked read doesn't follow: parse it whole."""


class _Unread(Exception):
    """Something the lean read can't vouch for: let the store read the file."""


# ----------------------------------------------------------------------- the result


class Today(NamedTuple):
    """The plan's day for today, as the line shows it."""

    phase: str  # the phase's value, as in the file: "recover"
    done: int  # tasks done or skipped: a skip is excused (as `show` and the week count it)
    total: int
    pain: int | None
    at_rest: bool
    next: str | None  # the title of the first task neither done nor skipped


class Status(NamedTuple):
    """What `planner status` says of a plan on a day."""

    name: str
    path: Path
    today: date
    injury_date: date
    race_date: date
    first_date: date
    last_date: date
    day: Today | None  # None when today is outside the plan's days
    clinician: bool  # the pain log calls for a clinician (as `show` warns)
    phase_label: str | None = None

    @property
    def where(self) -> str:
        """'before', 'during' or 'after' the plan's days."""
        if self.today < self.first_date:
            return "before"
        return "after" if self.today > self.last_date else "during"


# -------------------------------------------------------------------- finding the plan

_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {
    f"{p}{n}" for p in ("com", "lpt") for n in range(1, 10)
}


def slugify(name: str) -> str:
    """`planner.paths.slugify`, copied (a test holds them equal)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:64].strip("-")
    if not slug:
        slug = "plan"
    if slug in _WINDOWS_RESERVED:
        slug += "-plan"
    return slug


def _last_plan(home: Path) -> Path | None:
    """The state file's last plan when it is a file (`planner.paths.last_plan`)."""
    try:
        fd = os.open(home / STATE_FILE, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except (OSError, ValueError):
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_STATE_BYTES:
            return None
        data = os.read(fd, MAX_STATE_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    if len(data) > MAX_STATE_BYTES:
        return None
    try:
        value = tomli.loads(data.decode("utf-8")).get("last_plan")
    except (ValueError, RecursionError):  # TOMLDecodeError, UnicodeDecodeError too
        return None
    if not isinstance(value, str):
        return None
    try:
        return Path(value) if Path(value).is_file() else None
    except (OSError, ValueError):  # a name too long for the system, a NUL in it
        return None


def _has_plans(folder: Path) -> bool:
    """Whether the plans folder holds a plan file (`planner.paths.list_plans`)."""
    try:
        return folder.is_dir() and any(not p.name.startswith(".") for p in folder.glob("*.toml"))
    except OSError:
        return True  # let paths say what is wrong


def find(ref: str | None, home: Path) -> Path | None:
    """The plan a PLAN argument means, as `planner.paths.find_plan` finds it; None when it
    is left out and there is no plan at all (status then prints nothing).

    The common cases (the last plan, a path, a plan's name) are found here; anything else
    (one plan never opened, several, a PLAN that names nothing) is asked of
    `planner.paths`, for its answer and its words. NotFound carries them.
    """
    folder = home / "plans"
    if ref is None:
        last = _last_plan(home)
        # A sync tool's conflict copy (every tool's tag says "conflict") used last leads to
        # the plan it copies: planner.paths knows their names.
        if last is not None and "conflict" not in last.name.lower():
            return last
        if last is None and not _has_plans(folder):
            return None
    elif ref:
        try:
            as_path = Path(ref).expanduser()
            if "/" in ref or ref.endswith(".toml") or as_path.exists():
                if as_path.exists() or as_path.is_symlink():
                    return as_path
            else:
                by_slug = folder / f"{slugify(ref)}.toml"
                if by_slug.exists() and by_slug.resolve().is_relative_to(folder.resolve()):
                    return by_slug
        except (OSError, RuntimeError, ValueError):
            pass  # paths says what is wrong with it
    from planner.paths import PlanNotFound, find_plan, list_plans

    try:
        return find_plan(ref, home)
    except PlanNotFound as error:
        if ref is None and not list_plans(folder):
            return None
        raise NotFound(str(error)) from None


# -------------------------------------------------------------------------- the rules

_RULES: tuple[int, int, dict[str, str]] | None = None
_SECTION = re.compile(r"\n\[([^\]\n]*)\][ \t]*(?:#[^\n]*)?(?=\n)")


def pain_rules() -> tuple[int, int, dict[str, str]]:
    """The protocol's `amber_max` (pain above it is red), `clear_below`, and each phase's
    label, read from `[pain]` and `[phases.*]` of the protocol file alone; the whole
    protocol (`planner.rules.load_rules`) when those tables aren't laid out as expected."""
    global _RULES
    if _RULES is None:
        try:
            _RULES = _lean_rules()
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            from planner.rules import load_rules

            rules = load_rules()
            labels = {phase.value: info.label for phase, info in rules.phases.items()}
            _RULES = (rules.pain.amber_max, rules.pain.clear_below, labels)
    return _RULES


def _lean_rules() -> tuple[int, int, dict[str, str]]:
    text = "\n" + (Path(__file__).parent / "rules" / "protocol.toml").read_text("utf-8")
    heads = list(_SECTION.finditer(text))
    chunks = [
        text[head.start() : following.start() if following else len(text)]
        for head, following in zip(heads, [*heads[1:], None], strict=True)
        if head.group(1) == "pain" or head.group(1).startswith("phases.")
    ]
    table = tomli.loads("".join(chunks))
    pain, phases = table["pain"], table["phases"]
    amber, clear = pain["amber_max"], pain["clear_below"]
    labels = {key: value["label"] for key, value in phases.items()}
    if type(amber) is not int or type(clear) is not int or len(labels) != 6:
        raise ValueError("not the protocol's layout")
    if not all(isinstance(label, str) for label in labels.values()):
        raise ValueError("not the protocol's layout")
    return amber, clear, labels


def clinician_due(
    log: list[tuple[date, int | None, bool]], amber_max: int, clear_below: int
) -> bool:
    """Whether the pain log (date, pain, at rest; in date order, up to today) calls for a
    clinician: the rule of `planner.advice.clinician_warning`.

    Two red days in a row, or pain at rest, set it; two days in a row logged below
    `clear_below` without pain at rest clear it.
    """
    active = False
    previous_red: date | None = None
    last_calm: date | None = None
    for when, pain, at_rest in log:
        if pain is None and not at_rest:
            continue
        red = pain is not None and pain > amber_max
        calm = pain is not None and pain < clear_below and not at_rest
        if at_rest or (red and previous_red == when - timedelta(days=1)):
            active = True
        elif calm and active and last_calm == when - timedelta(days=1):
            active = False
        last_calm = when if calm else None
        previous_red = when if red else None
    return active


# --------------------------------------------------------------------- reading a plan


def read_status(path: Path, today: date) -> Status:
    """What status says of the plan file at `path` on `today`.

    BadPlan (the store's `path:line:col: problem`) when the file is not a plan.
    """
    try:
        return _lean(_read(path), path, today)
    except (_Unread, OverflowError):  # OverflowError: a date near the calendar's end
        return _from_store(path, today)


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def _read(path: Path) -> str:
    """The file's text, read as the store reads it (no symlink, a regular file, at most
    MAX_BYTES, UTF-8 without a byte-order mark); _Unread for anything else."""
    try:
        fd = os.open(path, _READ_FLAGS)
    except (OSError, ValueError):
        raise _Unread from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
            raise _Unread
        chunks, left = [], MAX_BYTES + 1
        while left > 0:
            chunk = os.read(fd, left)
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError:
        raise _Unread from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > MAX_BYTES or data.startswith(b"\xef\xbb\xbf"):
        raise _Unread
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise _Unread from None


# A line that may open a table. Each pattern starts with the line's newline (the text is
# read with one put in front): a literal first character keeps a scan of a megabyte to
# about a millisecond, where `^` with re.M would try every position.
_HEAD_LINE = re.compile(r"\n[ \t]*\[[^\n]*")
_HEADER = re.compile(
    r"\n[ \t]*(\[\[?)[ \t]*([A-Za-z0-9_-]+(?:[ \t]*\.[ \t]*[A-Za-z0-9_-]+)*)[ \t]*(\]\]?)"
    r"[ \t]*(?:#[^\n]*)?"
)
_DAY_TABLES = {("[[", "days.tasks", "]]"), ("[", "days.gate", "]")}
# A day's own keys when they are only its date and phase (with blanks and comments): no
# pain, no note, nothing the line needs, so the day needn't be parsed.
_PLAIN_DAY = re.compile(
    r'(?:\n[ \t]*(?:(?:date[ \t]*=[ \t]*[0-9-]+|phase[ \t]*=[ \t]*"[a-z]+")[ \t]*)?'
    r"(?:#[^\n]*)?)*"
)


def _lean(text: str, path: Path, today: date) -> Status:
    """Read the pieces of `text` the line needs (see the module); the whole text when its
    layout is unusual. _Unread when the store must look."""
    try:
        return _chunked(text, path, today)
    except _Unusual:
        pass
    try:
        doc = tomli.loads(text)
    except (ValueError, RecursionError):  # TOMLDecodeError, a number too long
        raise _Unread from None
    days = doc.get("days")
    if not isinstance(days, list) or not days:
        raise _Unread
    count = len(days)
    index = _index(doc, today)
    wanted = {0, count - 1, *range(min(max(index + 1, 0), count))}
    if 0 <= index < count:
        wanted.add(index)
    return _interpret(doc, {n: days[n] for n in sorted(wanted)}, count, path, today)


def _index(head: dict, today: date) -> int:
    """Today's place among the days: days since the injury date (the first day)."""
    plan = head.get("plan")
    injury = plan.get("injury_date") if isinstance(plan, dict) else None
    if type(injury) is not date:
        raise _Unread
    return (today - injury).days


def _chunked(text: str, path: Path, today: date) -> Status:
    """The head, today's block and the days the line needs, parsed together by tomli."""
    if '"""' in text or "'''" in text:
        raise _Unusual  # a multi-line string could hold a line that looks like a table
    if "\r" in text:
        text = text.replace("\r\n", "\n")  # a lone CR is a TOML error tomli will report
    text = "\n" + text
    starts, own_ends = _our_layout(text) or _any_layout(text)
    count = len(starts)
    head_text = text[: starts[0][0]]
    try:
        head = tomli.loads(head_text)
    except (ValueError, RecursionError):
        raise _Unread from None
    if "days" in head:
        raise _Unusual
    index = _index(head, today)
    pieces: list[str] = [head_text]
    order: list[int] = []
    for number in sorted({0, count - 1, index, *range(min(max(index, 0), count))}):
        if not 0 <= number < count:
            continue  # today is outside the plan's days
        start, end = starts[number]
        if number == index:  # today: the whole block, its tasks too
            pieces.append(text[start : starts[number + 1][0] if number + 1 < count else len(text)])
        else:
            own = text[end : own_ends(number)]
            if number not in (0, count - 1) and _PLAIN_DAY.fullmatch(own):
                continue  # a day with no log: nothing for the line
            pieces.append("\n[[days]]" + own)
        order.append(number)
    try:
        doc = tomli.loads("".join(pieces))
    except (ValueError, RecursionError):
        raise _Unread from None
    parsed = doc.get("days")
    if not isinstance(parsed, list) or len(parsed) != len(order):
        raise _Unread
    return _interpret(doc, dict(zip(order, parsed, strict=True)), count, path, today)


_DAY_LINE = re.compile(r"\n\[\[days\]\](?=\n)")
_TASK_LINE = "\n[[days.tasks]]\n"
_GATE_LINE = "\n[days.gate]\n"


def _our_layout(text: str) -> tuple[list[tuple[int, int]], Callable[[int], int]] | None:
    """Where each day's `[[days]]` line starts and ends, and where its own keys end, when
    every table line after the first day is one our writer writes, spelled as it spells
    them; None otherwise. Counted in C: no look at each of a big plan's thousands of
    task headers."""
    found = [(m.start(), m.end()) for m in _DAY_LINE.finditer(text)]
    if not found:
        return None
    first = found[0][0]
    ours = len(found) + text.count(_TASK_LINE, first) + text.count(_GATE_LINE, first)
    if len(_HEAD_LINE.findall(text, first)) != ours:
        return None

    def own_end(number: int) -> int:
        end = text.find("\n[", found[number][1])
        return len(text) if end < 0 else end

    return found, own_end


def _any_layout(text: str) -> tuple[list[tuple[int, int]], Callable[[int], int]]:
    """The same for tables spelled otherwise (spaces, comments after them); _Unusual for
    a line it can't be sure of."""
    heads: list[tuple[int, int, bool]] = []  # (start, end, is a day) after the first day
    for found in _HEAD_LINE.finditer(text):
        header = _HEADER.fullmatch(text, found.start(), found.end())
        if header is None:
            if heads:
                raise _Unusual  # a line of a multi-line array, or a quoted table name
            continue  # in the head: tomli reads the head whole
        opening, name, closing = header.group(1, 2, 3)
        name = name.replace(" ", "").replace("\t", "")
        if (opening, name, closing) == ("[[", "days", "]]"):
            heads.append((found.start(), found.end(), True))
        elif heads and (opening, name, closing) in _DAY_TABLES:
            heads.append((found.start(), found.end(), False))
        elif heads:
            raise _Unusual  # a table of some other kind among the days
    if not heads:
        raise _Unusual
    at = [n for n, head in enumerate(heads) if head[2]]
    ends = [heads[n + 1][0] if n + 1 < len(heads) else len(text) for n in at]
    return [(heads[n][0], heads[n][1]) for n in at], ends.__getitem__


def _interpret(doc: dict, days: dict[int, object], count: int, path: Path, today: date) -> Status:
    """The status from a file's head and some of its days (by their place in the file):
    the first and last, today's with its tasks, and every day up to today with a log.
    _Unread for anything the store would refuse or has to convert."""
    if type(doc.get("schema_version")) is not int or doc["schema_version"] != SCHEMA_VERSION:
        raise _Unread  # missing, another type, or a schema to migrate or read-only
    plan = doc.get("plan")
    if not isinstance(plan, dict):
        raise _Unread
    name, injury, race = plan.get("name"), plan.get("injury_date"), plan.get("race_date")
    if not isinstance(name, str) or type(injury) is not date or type(race) is not date:
        raise _Unread
    if race < injury:
        raise _Unread
    amber_max, clear_below, labels = pain_rules()
    index = (today - injury).days
    log: list[tuple[date, int | None, bool]] = []
    found = None
    for number, raw in days.items():
        if not isinstance(raw, dict):
            raise _Unread
        when, phase = raw.get("date"), raw.get("phase")
        pain, at_rest = raw.get("pain"), raw.get("at_rest", False)
        if type(when) is not date or when != injury + timedelta(days=number):
            raise _Unread  # the days start on the injury date, one after another
        if phase not in labels or type(at_rest) is not bool:
            raise _Unread
        if pain is not None and (type(pain) is not int or not 0 <= pain <= 10):
            raise _Unread
        if number <= index:
            log.append((when, pain, at_rest))
        if number == index:
            found = _today(raw, phase, pain, at_rest)
    last = injury + timedelta(days=count - 1)
    if last < race:
        raise _Unread
    return Status(
        name=clean_line(name),
        path=path,
        today=today,
        injury_date=injury,
        race_date=race,
        first_date=injury,
        last_date=last,
        day=found,
        clinician=clinician_due(log, amber_max, clear_below),
        phase_label=labels[found.phase] if found else None,
    )


def _today(raw: dict, phase: str, pain: int | None, at_rest: bool) -> Today:
    """Today's tasks counted, each checked as far as the line uses it."""
    tasks = raw.get("tasks", [])
    if not isinstance(tasks, list):
        raise _Unread
    done = 0
    following = None
    ids = set()
    for task in tasks:
        if not isinstance(task, dict):
            raise _Unread
        ident, title = task.get("id"), task.get("title")
        ticked, skip = task.get("done", False), task.get("skip")
        if not isinstance(ident, str) or not isinstance(title, str) or type(ticked) is not bool:
            raise _Unread
        if skip is not None and skip not in SKIP_REASONS:
            raise _Unread
        ident, title = clean_line(ident), clean_line(title)
        if not ident.strip() or not title or ident in ids:
            raise _Unread  # the store refuses these: it says where
        ids.add(ident)
        if ticked or skip is not None:
            done += 1
        elif following is None:
            following = title
    return Today(phase, done, len(tasks), pain, at_rest, following)


def _from_store(path: Path, today: date) -> Status:
    """The status from the plan as the store reads it whole (BadPlan if it can't)."""
    from planner.advice import clinician_warning
    from planner.store import PlanError, load_plan

    try:
        plan = load_plan(path)
    except PlanError as error:
        raise BadPlan(str(error)) from None
    day = plan.day(today)
    found = None
    if day is not None:
        following = next((t.title for t in day.tasks if not t.done and t.skip is None), None)
        done = sum(t.done or t.skip is not None for t in day.tasks)
        found = Today(day.phase.value, done, len(day.tasks), day.pain, day.at_rest, following)
    labels = pain_rules()[2]
    return Status(
        name=plan.name,
        path=path,
        today=today,
        injury_date=plan.injury_date,
        race_date=plan.race_date,
        first_date=plan.first_date,
        last_date=plan.last_date,
        day=found,
        clinician=clinician_warning(plan, today) is not None,
        phase_label=labels.get(found.phase) if found else None,
    )


# --------------------------------------------------------------------------- wording


def race_words(race: date, today: date) -> str:
    """'race in 5', 'race tomorrow', 'race today', 'race was yesterday', 'race was 3 days
    ago': short, for a prompt."""
    delta = (race - today).days
    if delta == 0:
        return "race today"
    if delta == 1:
        return "race tomorrow"
    if delta > 1:
        return f"race in {delta}"
    return "race was yesterday" if delta == -1 else f"race was {-delta} days ago"


def pain_words(day: Today) -> str:
    """'pain 5', 'pain 6 at rest', or 'pain —' when today's pain isn't logged."""
    score = NOT_LOGGED if day.pain is None else str(day.pain)
    return f"pain {score}" + (" at rest" if day.at_rest else "")


def line(status: Status) -> str:
    """The default line: 'Bristol Half · day 4 · race in 5 · 2/5 · pain 5'.

    The clinician warning comes right after the name, where a narrow bar still shows it.
    Before the plan's first day: when it starts; after its last: that it is finished.
    """
    parts = [status.name]
    if status.clinician:
        parts.append(ALERT)
    where = status.where
    if where == "before":
        wait = (status.first_date - status.today).days
        parts.append("plan starts tomorrow" if wait == 1 else f"plan starts in {wait} days")
    elif where == "after":
        parts.append("plan finished")
    else:
        number = (status.today - status.injury_date).days
        parts.append("injury day" if number == 0 else f"day {number}")
    parts.append(race_words(status.race_date, status.today))
    if status.day is not None:
        parts.append(f"{status.day.done}/{status.day.total}")
        parts.append(pain_words(status.day))
    return " · ".join(parts)


def fields(status: Status) -> dict[str, str]:
    """Every --format field's text (outside the plan's days: done and total 0, phase,
    next and pain empty)."""
    day = status.day
    return {
        "name": status.name,
        "date": status.today.isoformat(),
        "day": str((status.today - status.injury_date).days),
        "race_in": str((status.race_date - status.today).days),
        "race": race_words(status.race_date, status.today),
        "phase": status.phase_label or "",
        "done": str(day.done) if day else "0",
        "total": str(day.total) if day else "0",
        "pain": "" if day is None else NOT_LOGGED if day.pain is None else str(day.pain),
        "next": (day.next or "") if day else "",
        "alert": ALERT if status.clinician else "",
    }


_PIECE = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


def parse_template(template: str) -> list[tuple[bool, str]]:
    """A --format template as (is a field, text) pieces: `{name}` is a field, `{{` and `}}`
    are braces. Only plain field names: nothing of Python's format language (attributes,
    indexes, conversions, specs), so no text can reach into anything. StatusError saying
    what is wrong and which fields there are."""
    pieces: list[tuple[bool, str]] = []
    at = 0
    for found in _PIECE.finditer(template):
        if found.start() > at:
            pieces.append((False, template[at : found.start()]))
        token = found.group()
        if token in ("{{", "}}"):
            pieces.append((False, token[0]))
        elif token in ("{", "}"):
            raise StatusError(
                f"--format: a lone '{token}' at character {found.start() + 1}; "
                f"write {token * 2} for a brace, or a field like {{name}}"
            )
        elif found.group(1) in FIELDS:
            pieces.append((True, found.group(1)))
        else:
            raise StatusError(
                f"--format: no field {clean_line(token)}; use "
                + ", ".join(f"{{{name}}}" for name in FIELDS)
            )
        at = found.end()
    if at < len(template):
        pieces.append((False, template[at:]))
    return pieces


def render(pieces: list[tuple[bool, str]], status: Status) -> str:
    """A parsed template filled in. The plan's text is only ever put in, never read as a
    template. If the pain log calls for a clinician and the template has no {alert}, the
    line ends with ' · see a clinician' all the same: a template can't hide the warning."""
    values = fields(status)
    text = "".join(values[piece] if is_field else piece for is_field, piece in pieces)
    if status.clinician and (True, "alert") not in pieces:
        text += f" · {ALERT}"
    return text


def as_json(status: Status | None, today: date) -> dict:
    """The `--json` object (planner/schemas/status.schema.json): every key always there,
    null when there is no plan or the day is outside it. Texts are cleaned of control
    characters, the path as shown, like every command's JSON (planner.json_out)."""
    day = status.day if status else None
    return {
        "kind": "status",
        "version": 1,
        "date": today.isoformat(),
        "plan": None
        if status is None
        else {
            "name": status.name,
            "path": shown_path(status.path),
            "injury_date": status.injury_date.isoformat(),
            "race_date": status.race_date.isoformat(),
            "first_date": status.first_date.isoformat(),
            "last_date": status.last_date.isoformat(),
        },
        "where": status.where if status else None,
        "day": (today - status.injury_date).days if status else None,
        "race_in": (status.race_date - today).days if status else None,
        "phase": day.phase if day else None,
        "phase_label": status.phase_label if status else None,
        "done": day.done if day else None,
        "total": day.total if day else None,
        "next": day.next if day else None,
        "pain": day.pain if day else None,
        "at_rest": day.at_rest if day else None,
        "clinician": status.clinician if status else None,
        "line": line(status) if status else None,
    }


def dumps(data: dict) -> str:
    """The JSON text, laid out as every command's (`planner.json_out.dumps`)."""
    import json  # --json only

    return json.dumps(data, ensure_ascii=False, indent=2)


# ------------------------------------------------------------------- the command itself


class Outcome(NamedTuple):
    """What the command prints and its exit code."""

    code: int
    out: str | None = None  # a line for stdout
    err: str | None = None  # a line for stderr (without "planner: ")


def run(ref: str | None, home: Path, today: date, template: str | None, want_json: bool) -> Outcome:
    """`planner status` from its parsed arguments: the fast path in `planner.__main__` and
    the command line's `status_command` both end here, so they print the same."""
    if template is not None and want_json:
        return Outcome(2, err="--format: not with --json (the JSON holds every field)")
    try:
        pieces = parse_template(template) if template is not None else None
    except StatusError as error:
        return Outcome(2, err=str(error))
    try:
        path = find(ref, home)
    except NotFound as error:
        return Outcome(2, err=f"PLAN: {clean_line(str(error))}")
    if path is None:  # no plan at all: a prompt shows nothing
        if want_json:
            return Outcome(0, dumps(as_json(None, today)))
        return Outcome(0)
    try:
        status = read_status(path, today)
    except BadPlan as error:
        return Outcome(1, err=clean_line(str(error)))
    if want_json:
        return Outcome(0, dumps(as_json(status, today)))
    return Outcome(0, line(status) if pieces is None else render(pieces, status))
