"""The plan as the app last read or saved it, kept as MessagePack for the next first frame.

Parsing TOML is most of what a big plan costs before its first frame, even for the few
dozen days a glimpse reads (planner.glimpse). So after the app has read a plan whole, or
saved it, it keeps a snapshot: the plan's head, then each day encoded on its own, with an
index of where each day ends and which days hold a pain or gate record or the run-gate
task. The next start reads the plan file's bytes as always, and when their length and
CRC-32 are the snapshot's, decodes only the head and the days the first frame shows, in
a few milliseconds. The whole TOML is then parsed right after the first frame, exactly as
after a glimpse: the snapshot only ever stands in for one frame, and is checked against
the file it stood in for.

A snapshot holds what the plan file holds, so it is kept like the runner's other app
state: in the home's `snapshots` folder (mode 0700), each file mode 0600, one per plan
(named by a hash of the plan's path), written atomically. A snapshot whose plan file is
gone is removed at the next start of the app (`prune`), and archiving a plan removes its
snapshot. Anything unexpected (another format, another version of the app or of msgspec,
a damaged file, bytes that are not the file's) means no snapshot: the caller reads the
TOML, which explains any problem precisely. Nothing here raises for a snapshot.
"""

from __future__ import annotations

import os
import stat
import zlib
from datetime import date
from pathlib import Path

import msgspec

from planner import __version__
from planner.model import Day, Plan

FOLDER = "snapshots"
SUFFIX = ".msgpack"
FORMAT = 1  # bumped when the layout below changes
# The app's and msgspec's versions: a snapshot is read only by the code that wrote it, so
# a change of the model between versions can never decode into the wrong fields.
MADE_BY = f"{FORMAT}/{__version__}/{msgspec.__version__}"
_LENGTH = 4  # the head's length, before it: little-endian
MAX_SNAPSHOT = 8 * 1024 * 1024  # a plan file is at most 1 MiB; anything this big is not ours


class Head(msgspec.Struct, array_like=True):
    """What comes first in a snapshot: whose it is, the file it stands for, the plan
    without its days, and the index of the days that follow."""

    made_by: str
    path: str
    size: int  # the plan file's length in bytes
    crc: int  # and its CRC-32: the snapshot stands for exactly these bytes
    plan: Plan  # with no days
    first: date  # the first day's date
    ends: list[int]  # where each day's encoding ends, from the end of the head
    records: list[int]  # the days with a pain entry, a rest note or a gate record
    gate_days: list[int]  # the days holding the run-gate task


_HEAD = msgspec.msgpack.Decoder(Head)
_DAY = msgspec.msgpack.Decoder(Day)


def folder_for(home: Path) -> Path:
    """Where the snapshots of a home's plans are kept."""
    return home / FOLDER


def snapshot_path(folder: Path, plan_path: Path) -> Path:
    """The snapshot file of a plan file (named by a hash of its absolute path)."""
    try:  # CPython's own BLAKE2: hashlib would load OpenSSL for this
        from _blake2 import blake2b
    except ImportError:  # another Python
        from hashlib import blake2b

    name = blake2b(os.fsencode(os.path.abspath(plan_path)), digest_size=16).hexdigest()
    return folder / f"{name}{SUFFIX}"


def _read_head(blob: bytes) -> tuple[Head, int] | None:
    """The head of a snapshot's bytes and where its days start, or None."""
    if len(blob) < _LENGTH:
        return None
    start = _LENGTH + int.from_bytes(blob[:_LENGTH], "little")
    head = _HEAD.decode(memoryview(blob)[_LENGTH:start])
    if head.made_by != MADE_BY:
        return None
    return head, start


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def _read_blob(file: Path, *, head_only: bool = False) -> bytes | None:
    """A snapshot file's bytes (or as far as its head ends): a small regular file, never
    read through a symbolic link (O_NONBLOCK: a FIFO in its place can't hang the start)."""
    fd = os.open(file, _READ_FLAGS)
    with os.fdopen(fd, "rb") as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_SNAPSHOT:
            return None
        if not head_only:
            return stream.read(MAX_SNAPSHOT + 1)
        length = stream.read(_LENGTH)
        return length + stream.read(int.from_bytes(length, "little"))


def read(folder: Path, plan_path: Path, data: bytes, choose) -> tuple[Plan, list[int]] | None:
    """The plan of the snapshot kept for `plan_path`, when it stands for exactly `data`.

    `choose(count, first, race, records, gate_days)` picks the day numbers (after the
    first) to decode, of `count` days from the date `first`, the race on `race`. Returns
    the plan holding the first day and those, and their numbers; None when there is no
    usable snapshot.
    """
    try:
        blob = _read_blob(snapshot_path(folder, plan_path))
        if blob is None:
            return None
        found = _read_head(blob)
        if found is None:
            return None
        head, start = found
        # The cheap checks first: the CRC reads every byte of the plan file.
        if head.size != len(data) or head.path != os.path.abspath(plan_path) or not head.ends:
            return None
        if head.crc != zlib.crc32(data):
            return None
        wanted = choose(
            len(head.ends), head.first, head.plan.race_date, head.records, head.gate_days
        )
        view = memoryview(blob)
        days = []
        for index in [0, *wanted]:
            begin = start + (head.ends[index - 1] if index else 0)
            days.append(_DAY.decode(view[begin : start + head.ends[index]]))
    except (OSError, ValueError, IndexError, msgspec.DecodeError):
        return None
    plan = head.plan
    plan.days = days
    return plan, wanted


def records_of(plan: Plan) -> tuple[list[int], list[int]]:
    """The plan's days with a pain entry, a rest note or a gate record, and those holding
    the run-gate task (what a glimpse of the TOML finds by its lines)."""
    records = [
        n
        for n, day in enumerate(plan.days)
        if day.pain is not None or day.at_rest or day.gate is not None
    ]
    gates = [n for n, day in enumerate(plan.days) if day.task("gate") is not None]
    return records, gates


def encode(plan_path: Path, data: bytes, plan: Plan) -> bytes:
    """A snapshot of `plan` (at least a day), the plan the plan file's bytes `data` hold."""
    encoder = msgspec.msgpack.Encoder()
    days = [encoder.encode(day) for day in plan.days]
    ends, end = [], 0
    for day in days:
        end += len(day)
        ends.append(end)
    records, gates = records_of(plan)
    head = Head(
        MADE_BY,
        os.path.abspath(plan_path),
        len(data),
        zlib.crc32(data),
        msgspec.structs.replace(plan, days=[]),
        plan.days[0].date,
        ends,
        records,
        gates,
    )
    encoded = encoder.encode(head)
    return b"".join([len(encoded).to_bytes(_LENGTH, "little"), encoded, *days])


def write(folder: Path, plan_path: Path, data: bytes, plan: Plan) -> bool:
    """Keep a snapshot of `plan` (what `data`, the plan file's bytes, hold); whether it was
    written. A plan a newer app wrote, or one still in an older schema, is not kept (the
    next start reads its TOML). Never raises: a snapshot that can't be kept is no error."""
    from planner.store import SaveError, atomic_write, ensure_private_dir

    if plan.read_only or plan.migrated_from is not None or not plan.days:
        return False
    try:
        ensure_private_dir(folder)
        atomic_write(snapshot_path(folder, plan_path), encode(plan_path, data, plan), backup=False)
    except (OSError, SaveError, ValueError, msgspec.EncodeError):
        return False
    return True


def remove(folder: Path, plan_path: Path) -> None:
    """Forget the snapshot of a plan file (archived, say), if there is one."""
    try:
        snapshot_path(folder, plan_path).unlink(missing_ok=True)
    except OSError:
        return  # a folder we can't change: the next prune tries again


def prune(folder: Path) -> int:
    """Remove the snapshots whose plan file is gone, and any that can't be read; how many.

    A snapshot holds what its plan held: once the plan is moved or deleted, it goes too."""
    removed = 0
    try:
        files = [path for path in folder.iterdir() if path.name.endswith(SUFFIX)]
    except OSError:
        return 0
    for file in files:
        try:
            blob = _read_blob(file, head_only=True)
            found = None if blob is None else _read_head(blob)
            keep = found is not None and os.path.isfile(found[0].path)
        except (OSError, ValueError, msgspec.DecodeError):
            keep = False
        if not keep:
            try:
                file.unlink()
                removed += 1
            except OSError:
                continue
    return removed


def matches(snapshot: Plan, whole: Plan, numbers: list[int]) -> bool:
    """Whether the days a snapshot showed are the whole plan's days of the same numbers
    (and its head the whole plan's): a check after the TOML was read whole."""
    if whole.revision != snapshot.revision:
        return False
    if msgspec.structs.replace(whole, days=[]) != msgspec.structs.replace(snapshot, days=[]):
        return False
    try:
        return all(snapshot.days[n] == whole.days[index] for n, index in enumerate([0, *numbers]))
    except IndexError:
        return False
