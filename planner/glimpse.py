"""A glimpse of a plan file: its head and only the days the plan screen shows first.

Parsing a two-year plan takes a tenth of a second; its first frame needs about forty of the
730 days. `Glimpse.read` reads the file once and parses the `[plan]` head and just those
days, found by the `[[days]]` line our writer puts before each one: the first and last
day (the plan's span), the month around today, every day up to today with a pain entry or
a run-gate record (the see-a-clinician warning reads the whole log), and the day holding
the run-gate test (a landmark on screen). `complete()` then parses the same bytes whole,
with every check `parse_plan` makes.

A glimpse's PlanFile is marked `partial` and refuses to change or save its plan, so it can
never be written back. Anything unexpected (a file laid out by hand, another
schema, a problem in one of the days read, most days needed anyway, the race-day call due)
gives no glimpse: the caller reads the file whole, which explains any problem precisely.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from datetime import date, timedelta
from pathlib import Path

import msgspec
import tomli

from planner.model import SCHEMA_VERSION, Plan
from planner.store import (
    MAX_BYTES,
    Fingerprint,
    Headers,
    PlanError,
    PlanFile,
    day_of,
    head_of,
    parse_plan,
    read_plan_file,
)

MIN_DAYS = 60  # below this the whole file parses fast enough: no glimpse (bench/README.md)
# The days are found by the store's index of table headers (`Headers.day_starts`); each
# pattern here starts with its line's newline, as that index's does: a literal first
# character keeps the scan of a megabyte to about a millisecond (a `^` with re.M tries
# every position).
RECORD_LINE = re.compile(r"\n(?:pain|at_rest)[ \t]*=|\n\[days\.gate\]")
GATE_TASK = re.compile(r'\nid[ \t]*=[ \t]*"gate"')


class Glimpse(msgspec.Struct):
    """A plan file read once: a partial plan for the first frame, the whole plan after."""

    path: Path
    data: bytes
    fingerprint: Fingerprint
    plan: Plan | None  # partial; None when the file has to be read whole before showing it
    # The day numbers (after the first) a snapshot gave `plan` (planner.snapshot); None
    # when the days came from the TOML.
    from_snapshot: list[int] | None = None

    @classmethod
    def read(cls, path: Path | str, around: date, snapshots: Path | None = None) -> Glimpse:
        """Read a plan file and glimpse the days shown first around `around` (today):
        from the snapshot kept in the folder `snapshots` when it stands for these very
        bytes, else from the TOML.

        PlanError only when the file can't be read at all (missing, a symlink, too big);
        a damaged plan is found by `complete()`.
        """
        path = Path(path)
        found = read_plan_file(path)  # the bytes and their stat from one open file
        if snapshots is not None:
            from planner import snapshot

            kept = snapshot.read(snapshots, path, found.data, _snapshot_days(around))
            if kept is not None:
                return cls(path, found.data, found, kept[0], kept[1])
        return cls(path, found.data, found, glimpse_plan(found.data, path, around))

    def first_file(self) -> PlanFile:
        """What to show first: the glimpse, or the whole plan when there is no glimpse."""
        if self.plan is None:
            return self.complete()
        return PlanFile(self.path, self.plan, self.fingerprint, partial=True)

    def complete(self) -> PlanFile:
        """The whole plan from the same bytes (PlanError if any part of it is wrong)."""
        return PlanFile(self.path, parse_plan(self.data, self.path), self.fingerprint)


def _snapshot_days(around: date):
    """How a snapshot picks its days: those a glimpse of the TOML would read, or every day
    where a glimpse would read the file whole (decoding them all is still quick)."""

    def choose(count: int, first: date, race: date, records: list[int], gates: list[int]):
        wanted = _choose(count, first, race, around, records, gates)
        return list(range(1, count)) if wanted is None else wanted

    return choose


def glimpse_plan(data: bytes, path: Path, around: date) -> Plan | None:
    """The head and the first frame's days of a plan file, or None (see the module)."""
    if len(data) > MAX_BYTES or data.startswith(b"\xef\xbb\xbf"):
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    starts = Headers(text).day_starts
    if len(starts) < MIN_DAYS:
        return None
    ends = [*starts[1:], len(text)]
    try:
        plan, rest = head_of(tomli.loads(text[: ends[0]]), path)
        raw_days = rest.pop("days", None)
        if plan.read_only or plan.schema_version != SCHEMA_VERSION:
            return None
        if not isinstance(raw_days, list) or len(raw_days) != 1:
            return None
        first = day_of(raw_days[0], 0, path)
        wanted = _days_wanted(text, starts, first.date, plan.race_date, around)
        if wanted is None:
            return None
        chunks = "".join(text[starts[i] : ends[i]] for i in wanted)
        raw_days = tomli.loads(chunks).get("days")
        if not isinstance(raw_days, list) or len(raw_days) != len(wanted):
            return None
        days = [first]
        for index, raw in zip(wanted, raw_days, strict=True):
            day = day_of(raw, index, path)
            if day.date != first.date + timedelta(days=index):
                return None  # not consecutive: the whole read will say where
            days.append(day)
    # ValueError: a TOMLDecodeError, or tomli's int() of a number over 4,300 digits. Either
    # way, no glimpse: the whole read says where.
    except (PlanError, ValueError, RecursionError):
        return None
    plan.days = days
    plan.extra = rest
    return plan


def _days_wanted(
    text: str, starts: list[int], first: date, race: date, around: date
) -> list[int] | None:
    """The file's day numbers (after the first) the first frame needs, or None for all."""
    count = len(starts)
    records: list[int] = []
    today = (around - first).days
    if today > 0:  # records count up to today: the scan stops at the end of today
        stop = starts[today + 1] if today + 1 < count else len(text)
        for match in RECORD_LINE.finditer(text, starts[0], stop):
            records.append(bisect_right(starts, match.start()) - 1)
    # The gate task by its quoted id: a rare word, so the scan skips through the megabyte
    # instead of trying the pattern at every line.
    gates: list[int] = []
    find = text.find
    where = find('"gate"', starts[0])
    while where != -1:
        line = text.rfind("\n", 0, where)
        if GATE_TASK.match(text, line):
            gates.append(bisect_right(starts, line) - 1)
        where = find('"gate"', where + 1)
    return _choose(count, first, race, around, records, gates)


def _choose(
    count: int, first: date, race: date, around: date, records: list[int], gates: list[int]
) -> list[int] | None:
    """The day numbers (after the first) of `count` days from `first` that the first frame
    needs around `around`: the month shown, the last day (the plan's span), every day up to
    today with a pain, rest or gate record (the see-a-clinician warning reads the whole
    log) and the run-gate task's day (a landmark on screen). None: all of them."""
    if race - timedelta(days=1) <= around <= race:
        return None  # the race-day call on screen weighs every run and gate of the plan
    last = first + timedelta(days=count - 1)
    shown = min(max(around, first), last)
    month = shown.replace(day=1)
    next_month = (month + timedelta(days=32)).replace(day=1)
    wanted = {count - 1}
    wanted.update(range(max(0, (month - first).days), min(count, (next_month - first).days)))
    today = (around - first).days
    wanted.update(index for index in records if index <= today)
    wanted.update(index for index in gates if 0 <= index < count)
    wanted.discard(0)
    if len(wanted) > count // 2:
        return None  # most of the file anyway: read it whole at once
    return sorted(wanted)
