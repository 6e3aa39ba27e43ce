"""`PlanFile`: a loaded plan with the operations not yet saved; saving takes the lock and,
when another program changed the file, reloads it and applies those operations again."""

from __future__ import annotations

import copy
import os
import re
from datetime import date
from pathlib import Path

import msgspec

from planner.model import (
    Plan,
)
from planner.ops import Op, OpError, describe_op
from planner.store.codec import day_text, head_text, parse_plan
from planner.store.errors import (
    ConflictError,
    GoneError,
    PlanError,
    PlanExists,
    ReadOnlyError,
    SaveError,
)
from planner.store.files import (
    Fingerprint,
    atomic_write,
    clean_leftovers,
    plan_lock,
    read_plan_bytes,
    read_plan_file,
)
from planner.store.schema import MAX_BYTES, MAX_REVISION

# A day's table header, and the headers that may stand inside a day (its tasks, its gate,
# a table added by hand under it): anything else means the file is laid out otherwise.
# Compiled on the first save, not as the module loads (every start pays for a load).
_DAY_HEADER = rb"\n\[\[days\]\][ \t]*(?=\n)"
_HEADER_LINE = rb"\n[ \t]*\["
_INSIDE_A_DAY = (b"[[days.", b"[days.")


def day_texts(data: bytes, plan: Plan) -> list[bytes] | None:
    """Each day's text as it stands in `data` (the bytes `plan` was parsed from), to write
    back unchanged; None unless the file is laid out as our writer lays it out: the head,
    then one `[[days]]` table per day holding only its own sub-tables. A file edited into
    another shape (a table after the days, a header inside a multi-line string) is
    re-rendered whole instead."""
    if plan.migrated_from is not None or plan.read_only:
        return None
    starts = [match.start() for match in re.finditer(_DAY_HEADER, data)]
    if len(starts) != len(plan.days):
        return None
    ends = [*starts[1:], len(data)]
    days = []
    header_line = re.compile(_HEADER_LINE)  # from re's cache after the first time
    for start, end in zip(starts, ends, strict=True):
        chunk = data[start:end]
        for match in header_line.finditer(chunk, 1):  # past the day's own [[days]]
            if not chunk.startswith(_INSIDE_A_DAY, match.end() - 1):
                return None
        days.append(chunk)
    return days


def _encode(plan: Plan, path: Path, days: list[bytes] | None = None) -> bytes:
    if days is None:
        days = [day_text(day).encode("utf-8") for day in plan.days]
    data = head_text(plan).encode("utf-8") + b"".join(days)
    if len(data) > MAX_BYTES:
        raise SaveError(f"{path}: not saved: the plan would be over {MAX_BYTES // 1024} KiB")
    return data


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
    # A glimpse (planner.glimpse): only the first frame's days are in `plan`. It can't
    # change and is never saved; the whole plan replaces it right after the first frame.
    partial: bool = False
    # Each day's TOML as it was last written, so a tick rewrites one day's text, not 700.
    _days: list[bytes] | None = None
    _days_of: Plan | None = None
    _dirty: set[date] | None = None

    @classmethod
    def open(cls, path: Path | str) -> PlanFile:
        """Load a plan file (PlanError if it can't be read)."""
        path = Path(path)
        return cls.of_bytes(path, read_plan_file(path))

    @classmethod
    def of_bytes(cls, path: Path, found: Fingerprint) -> PlanFile:
        """The plan in bytes just read (PlanError if they are no plan), with each day's
        text taken from them: a first save then re-renders only the days it changed."""
        plan = parse_plan(found.data, path)
        plan_file = cls(path, plan, found)
        days = day_texts(found.data, plan)
        if days is not None:
            plan_file._days, plan_file._days_of, plan_file._dirty = days, plan, set()
        return plan_file

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
        if self.partial:
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
        if self.partial:  # a glimpse (planner.glimpse) must never replace the file
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
