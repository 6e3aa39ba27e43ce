"""Conflict copies of a plan file that sync tools leave beside it, recognised by name.

When two machines change the same plan before their sync tool has carried one change to
the other, the tool keeps both: one keeps the plan's name, the other is renamed. The
names each tool gives (as its documentation or source code writes them):

- Syncthing: `NAME.sync-conflict-YYYYMMDD-HHMMSS-DEVICE.toml`, the time the copy was made
  on the machine that made it, DEVICE the short id of the device whose change lost
  (versions before the device id was added end at the time).
- Dropbox: `NAME (conflicted copy YYYY-MM-DD).toml`, or with the editor's name,
  `NAME (Ann's conflicted copy YYYY-MM-DD).toml`; a second one on a day gets ` (1)`
  after the date. Only the English wording is recognised.
- Nextcloud and ownCloud desktop clients: `NAME (conflicted copy YYYY-MM-DD HHMMSS).toml`,
  with the user's name before the date where the server asks for it; older clients
  `NAME_conflict-YYYYMMDD-HHMMSS.toml`.
- Resilio Sync: `NAME.Conflict.toml` (or `.Conflict1`, `.Conflict2`...), made when two
  names differ only in letter case or Unicode form, so NAME may differ from the plan's
  file name in case: `conflict_copies` compares names case-blind for that reason.

Not recognised, on purpose: OneDrive's `NAME-COMPUTER.toml` and the `NAME (1).toml` or
`NAME 2.toml` of Google Drive and iCloud look exactly like a plan of its own
(`bristol-half-2.toml` is what `planner new` names a second Bristol Half), and taking a
plan for a copy would hide it from `list`; such a copy shows as a plan of its own.

A copy of a copy (a conflict on a conflict copy) is a copy of the first original: its
tags are taken off from the right until none is left.

Nothing here reads the clock, the environment or a file's contents; only names, and a
folder's listing in `conflict_copies`.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from pathlib import Path

import msgspec

from planner.model import clean_line

SUFFIX = ".toml"

SYNCTHING = "Syncthing"
DROPBOX = "Dropbox"
NEXTCLOUD = "Nextcloud or ownCloud"
RESILIO = "Resilio Sync"


class ConflictCopy(msgspec.Struct, frozen=True):
    """What a conflict copy's name says: the plan file it copies, the tool that made it,
    when (naive local time of the machine that made it, a date where the name holds only
    a date, None where the name's digits are no real time), and who (a device id, a user
    or editor's name, as the name writes it; None where it names nobody)."""

    original: str
    tool: str
    when: datetime | date | None
    who: str | None


# Each pattern matches the name without its `.toml`; `base` is the name it copies.
_SYNCTHING = re.compile(
    r"(?P<base>.+)\.sync-conflict-(?P<day>\d{8})-(?P<time>\d{6})(?:-(?P<who>[A-Za-z0-9]+))?"
)
# Dropbox writes the editor's name with a straight apostrophe; a curly one is taken too
# (a name copied through a phone keyboard). A name holding parentheses can't be told
# from the tag's own, so who stops at them.
_DROPBOX = re.compile(
    r"(?P<base>.+) \((?:(?P<who>[^()]+?)['\u2019]s )?conflicted copy "
    r"(?P<day>\d{4}-\d{2}-\d{2})(?: \(\d+\))?\)"
)
# Nextcloud replaces parentheses in the user's name by '_', so the tag ends at the first ')'.
_NEXTCLOUD = re.compile(
    r"(?P<base>.+) \(conflicted copy (?:(?P<who>[^()]+) )?"
    r"(?P<day>\d{4}-\d{2}-\d{2}) (?P<time>\d{6})\)"
)
_OWNCLOUD_OLD = re.compile(r"(?P<base>.+)_conflict-(?P<day>\d{8})-(?P<time>\d{6})")
_RESILIO = re.compile(r"(?P<base>.+)\.Conflict\d*")


def _time(day: str, time: str | None) -> datetime | date | None:
    """The moment written as `day` (YYYYMMDD or YYYY-MM-DD) and `time` (HHMMSS or None)."""
    digits = day.replace("-", "")
    try:
        if time is None:
            return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        return datetime.strptime(digits + time, "%Y%m%d%H%M%S")
    except ValueError:  # 20261399: the tag's shape with digits that are no date
        return None


def _one_tag(stem: str) -> tuple[str, str, datetime | date | None, str | None] | None:
    """(base, tool, when, who) for the rightmost conflict tag ending `stem`, or None."""
    if match := _SYNCTHING.fullmatch(stem):
        when = _time(match["day"], match["time"])
        return match["base"], SYNCTHING, when, match["who"]
    if match := _NEXTCLOUD.fullmatch(stem):
        when = _time(match["day"], match["time"])
        return match["base"], NEXTCLOUD, when, match["who"]
    if match := _DROPBOX.fullmatch(stem):
        return match["base"], DROPBOX, _time(match["day"], None), match["who"]
    if match := _OWNCLOUD_OLD.fullmatch(stem):
        when = _time(match["day"], match["time"])
        return match["base"], NEXTCLOUD, when, None
    if match := _RESILIO.fullmatch(stem):
        return match["base"], RESILIO, None, None
    return None


def parse(name: str) -> ConflictCopy | None:
    """What the file name `name` says as a conflict copy of a plan, or None when it is
    not one (not a `.toml` name, or no tool's conflict tag before the `.toml`).

    The tool, time and who are those of the outermost (last made) tag.
    """
    if not name.endswith(SUFFIX):
        return None
    stem = name[: -len(SUFFIX)]
    first = _one_tag(stem)
    if first is None:
        return None
    base, tool, when, who = first
    while (inner := _one_tag(base)) is not None:
        base = inner[0]
    if not base.strip() or base.startswith("."):
        return None  # nothing left of a name, or a hidden file's: no plan file to copy
    return ConflictCopy(original=base + SUFFIX, tool=tool, when=when, who=who)


def is_conflict_copy(path: Path) -> bool:
    """Whether `path`'s name is a sync tool's conflict copy of a plan file."""
    return parse(path.name) is not None


def original_name(path: Path) -> str | None:
    """The file name (e.g. "bristol-half.toml") `path` is a conflict copy of, or None when
    `path` is not a conflict copy."""
    copy = parse(path.name)
    return copy.original if copy else None


def same_name(one: str, other: str) -> bool:
    """Whether two file names are the same name up to letter case and Unicode form, as a
    case-blind file system (and Resilio's conflict copies) see them."""

    def key(name: str) -> str:
        return unicodedata.normalize("NFC", name).casefold()

    return key(one) == key(other)


def copies_of(plan_path: Path, candidates: list[Path]) -> list[Path]:
    """The paths among `candidates` that are conflict copies of `plan_path`, sorted.

    Only copies in the plan's own folder count: sync tools put the copy beside the file.
    """
    found = []
    for path in candidates:
        original = original_name(path)
        if original is None or path.parent != plan_path.parent:
            continue
        if same_name(original, plan_path.name):
            found.append(path)
    return sorted(found)


def conflict_copies(plan_path: Path) -> list[Path]:
    """The conflict copies of `plan_path` that exist in its folder, sorted by name.

    An unreadable folder has none to show; a copy that is a symbolic link or a folder is
    left out (the store refuses to open either as a plan).
    """
    folder = plan_path.parent
    try:
        names = [entry.name for entry in folder.iterdir()]
    except OSError:
        return []
    candidates = [folder / name for name in names if name.endswith(SUFFIX)]
    return [p for p in copies_of(plan_path, candidates) if p.is_file() and not p.is_symlink()]


def split_copies(paths: list[Path]) -> tuple[list[Path], dict[Path, list[Path]]]:
    """`paths` (plan files of one folder) parted into the plans and their conflict copies.

    Returns (plans, copies), `copies` mapping each plan that has copies to them, sorted.
    A copy whose original isn't among `paths` (the plan was renamed or archived) stays
    among the plans: it is then the only file holding that plan and must be listed.
    """
    copies: dict[Path, list[Path]] = {}
    plans = []
    originals = [p for p in paths if original_name(p) is None]
    for path in paths:
        name = original_name(path)
        owner = None
        if name is not None:
            owner = next((p for p in originals if same_name(p.name, name)), None)
        if owner is None:
            plans.append(path)
        else:
            copies.setdefault(owner, []).append(path)
    return plans, {plan: sorted(found) for plan, found in copies.items()}


def _when_text(when: datetime | date | None) -> str | None:
    if isinstance(when, datetime):
        return when.strftime("%Y-%m-%d %H:%M")
    if isinstance(when, date):
        return when.isoformat()
    return None


def details(copy: ConflictCopy) -> str:
    """The tool, when and who, as one line: "Syncthing, 2026-11-30 14:02, device ABCDEF7"."""
    parts = [copy.tool]
    if (when := _when_text(copy.when)) is not None:
        parts.append(when)
    if copy.who:
        parts.append(f"device {copy.who}" if copy.tool == SYNCTHING else f"by {copy.who}")
    return clean_line(", ".join(parts))


def describe(path: Path, plan_name: str | None = None) -> str | None:
    """One line saying what conflict copy `path` is, or None when it is none.

    "conflict copy of Bristol Half (Syncthing, 2026-11-30 14:02, device ABCDEFG)": the
    plan's display name when the caller knows it (`plan_name`), else the original's file
    name. Every part taken from a name is cleaned to one printable line.
    """
    copy = parse(path.name)
    if copy is None:
        return None
    of = plan_name if plan_name else copy.original
    return clean_line(f"conflict copy of {of} ({details(copy)})")
