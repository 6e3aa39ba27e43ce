"""Where plans live: the app's home, the plans folder, file names, and the state file
(the last used plan, the theme, the calendar files kept up to date).

The home folder is given by the caller (the CLI reads `PLANNER_HOME` or asks platformdirs),
so nothing here reads the environment. Plan file names are slugs of the plan's name and
always resolve inside the plans folder, whatever the name holds.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from pathlib import Path

import tomli

from planner.store import atomic_write, ensure_private_dir, plan_lock

APP_NAME = "recovery-planner"
MAX_SLUG = 64
STATE_FILE = "state.toml"
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {
    f"{p}{n}" for p in ("com", "lpt") for n in range(1, 10)
}


class PlanNotFound(LookupError):
    """A PLAN argument that names no plan; the message says where we looked."""


def plans_dir(home: Path) -> Path:
    """The folder holding a home's plans."""
    return home / "plans"


def exports_dir(home: Path) -> Path:
    """Where the TUI offers to write exports: beside the plans folder, not wherever the
    app happened to be started."""
    return home / "exports"


def slugify(name: str) -> str:
    """A file-name-safe slug: lowercase a-z, 0-9 and '-', at most 64 characters, never empty."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:MAX_SLUG].strip("-")
    if not slug:
        slug = "plan"
    if slug in _WINDOWS_RESERVED:
        slug += "-plan"
    return slug


def is_inside(folder: Path, path: Path) -> bool:
    """Whether `path` resolves to somewhere inside `folder` (symlinks followed)."""
    return path.resolve().is_relative_to(folder.resolve())


def new_plan_path(folder: Path, name: str) -> Path:
    """A free file path for a new plan called `name`: 'bristol-half.toml', '-2', '-3'..."""
    ensure_private_dir(folder)
    slug = slugify(name)
    for number in range(1, 10_000):
        stem = slug if number == 1 else f"{slug[: MAX_SLUG - 6]}-{number}"
        path = folder / f"{stem}.toml"
        if not path.exists() and not path.is_symlink():
            if not is_inside(folder, path):
                raise PlanNotFound(f"{path} would fall outside {folder}")
            return path
    raise PlanNotFound(f"too many plans named like '{slug}' in {folder}")


def list_plans(folder: Path) -> list[Path]:
    """The plan files of a folder, by name: conflict copies a sync tool left among them too
    (see `split_plans`). Hidden files (an old `.NAME.toml.lock`, a temp file) are not plans.
    """
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.toml") if not p.name.startswith("."))


def split_plans(folder: Path) -> tuple[list[Path], dict[Path, list[Path]]]:
    """The plans of a folder and, apart, the conflict copies of each (planner.conflicts).

    A copy whose plan is gone (renamed, archived) is among the plans: it is then the only
    file holding that plan.
    """
    from planner.conflicts import split_copies  # not on the plan screen's way to its first frame

    return split_copies(list_plans(folder))


LOCKS = "locks"


def locks_dir(home: Path) -> Path:
    """The lock files' folder of a home given by the runner (PLANNER_HOME): beside its
    plans folder, never inside it, so a sync tool sharing the plans doesn't carry them.
    The command line uses the platform's state folder instead for the default home."""
    return home / LOCKS


MAX_STATE_BYTES = 64 * 1024  # ours is one line; anything bigger is not a state file


def _read_state(path: Path) -> bytes:
    """The state file's bytes, OSError if it isn't a small regular file.

    Opened without blocking, so a FIFO put in its place can't hang the start; read up to
    one byte past the limit, so a huge file is never read whole.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_STATE_BYTES:
            raise OSError(f"{path} is not a small regular file")
        data = os.read(fd, MAX_STATE_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_STATE_BYTES:
        raise OSError(f"{path} is over {MAX_STATE_BYTES} bytes")
    return data


def _load_state(home: Path) -> dict:
    """The state file as TOML, or {} when it is missing or damaged (see `read_state`)."""
    try:
        return tomli.loads(_read_state(home / STATE_FILE).decode("utf-8"))
    except (OSError, ValueError, RecursionError):  # TOMLDecodeError, UnicodeDecodeError too
        return {}


def read_state(home: Path) -> dict[str, str]:
    """What the state file remembers: `last_plan` and `theme`, each a string when present.

    A missing or damaged state file (not TOML, not UTF-8, a number over 4,300 digits, a
    FIFO) only means nothing is remembered: it holds conveniences, never anything the
    runner would lose. Keys of another type are left out.
    """
    state = _load_state(home)
    return {key: state[key] for key in STATE_KEYS if isinstance(state.get(key), str)}


STATE_KEYS = ("last_plan", "theme")
# [calendars."<plan file>"]: the .ics file rewritten after each save of that plan, and its
# reminder times (planner.calendar_sync reads them), each entry a table of strings.
CALENDARS = "calendars"
CALENDAR_KEYS = ("path", "remind", "pain_reminder")


def _calendar_table(state: dict) -> dict[str, dict[str, str]]:
    """The state's calendars: entries that are tables with a string `path`, each keeping
    only its string values of CALENDAR_KEYS (anything else, as hand-edited, is left out)."""
    table = state.get(CALENDARS)
    if not isinstance(table, dict):
        return {}
    found = {}
    for plan, entry in table.items():
        if isinstance(entry, dict) and isinstance(entry.get("path"), str):
            found[plan] = {k: entry[k] for k in CALENDAR_KEYS if isinstance(entry.get(k), str)}
    return found


def read_calendars(home: Path) -> dict[str, dict[str, str]]:
    """The calendar files the state file names, by the plan file they follow (as written:
    a path, maybe with ~); {} when it names none or can't be read."""
    return _calendar_table(_load_state(home))


def _kept_state(home: Path) -> dict:
    """What a rewrite of the state file keeps: the remembered strings and the calendars."""
    state = _load_state(home)
    kept: dict = {key: state[key] for key in STATE_KEYS if isinstance(state.get(key), str)}
    calendars = _calendar_table(state)
    if calendars:
        kept[CALENDARS] = calendars
    return kept


def set_calendar(home: Path, plan_key: str, entry: dict[str, str] | None) -> bool:
    """Name (or, with None, stop naming) the calendar file kept for the plan `plan_key`.

    Unlike the conveniences above, a failure raises (SaveError, OSError): the runner asked
    for it and is told when it didn't happen. Returns whether an entry was there before.
    """
    if not home.exists():
        home.mkdir(mode=0o700, parents=True)
    import tomli_w  # writing only

    with plan_lock(home / STATE_FILE):
        state = _kept_state(home)
        calendars = state.pop(CALENDARS, {})
        had = calendars.pop(plan_key, None) is not None
        if entry is not None:
            calendars[plan_key] = entry
        if calendars:
            state[CALENDARS] = calendars
        atomic_write(home / STATE_FILE, tomli_w.dumps(state).encode("utf-8"), backup=False)
    return had


def last_plan(home: Path) -> Path | None:
    """The plan used last, if the state file names one that still exists."""
    value = read_state(home).get("last_plan")
    if value is None:
        return None
    try:
        found = Path(value).is_file()
    except (OSError, ValueError):  # a name too long for the system, a NUL in it
        return None
    return Path(value) if found else None


def remember(home: Path, plan_path: Path) -> None:
    """Record `plan_path` as the last used plan (best effort: a failure is not an error)."""
    try:
        resolved = str(plan_path.resolve())
    except (OSError, RuntimeError, ValueError):  # RuntimeError: a symlink loop
        return
    _update_state(home, last_plan=resolved)


def remember_theme(home: Path, theme: str) -> None:
    """Record the theme chosen in the app, used again at the next start (best effort)."""
    _update_state(home, theme=theme)


def _update_state(home: Path, **values: str) -> None:
    """Write the state file with `values` over what it holds (the other keys kept).

    Read and written under the file's lock: the TUI keeping a theme while a command
    remembers its plan must not write back the other's old value."""
    try:
        if all(read_state(home).get(key) == value for key, value in values.items()):
            return  # nothing new: no write (and no lock)
        if not home.exists():
            home.mkdir(mode=0o700, parents=True)
        import tomli_w  # writing only

        with plan_lock(home / STATE_FILE):
            text = tomli_w.dumps({**_kept_state(home), **values})
            atomic_write(home / STATE_FILE, text.encode("utf-8"), backup=False)
    except Exception:
        return


def find_plan(ref: str | None, home: Path) -> Path:
    """The plan file a PLAN argument means: a path, a plan name, or (None) the last used.

    Raises PlanNotFound with a message saying what was tried.
    A sync tool's conflict copy is never picked for a name or for None: the plan it copies
    is (see planner.conflicts); only a copy's own path opens the copy.
    """
    folder = plans_dir(home)
    if ref is None:
        last = last_plan(home)
        if last is not None:
            return original_of(last)
        plans, _copies = split_plans(folder)
        if len(plans) == 1:
            return plans[0]
        if not plans:
            raise PlanNotFound("no plan yet; make one with `planner new --injury D --race D`")
        raise PlanNotFound("several plans and none used last; name one (see `planner list`)")
    as_path = Path(ref).expanduser()
    if "/" in ref or ref.endswith(".toml") or as_path.exists():
        if as_path.exists() or as_path.is_symlink():
            return as_path
        raise PlanNotFound(f"no file {ref}")
    by_slug = folder / f"{slugify(ref)}.toml"
    if by_slug.exists() and is_inside(folder, by_slug):
        return by_slug
    from planner.conflicts import original_name, same_name

    orphans = [
        p.name for p in list_plans(folder) if same_name(original_name(p) or "", by_slug.name)
    ]
    if orphans:  # only copies of it are left: which one is the plan is the runner's call
        raise PlanNotFound(
            f"no plan named '{ref}' in {folder}, only conflict copies of it: "
            f"{', '.join(orphans)}; open one by its path"
        )
    raise PlanNotFound(f"no plan named '{ref}' in {folder} (see `planner list`)")


def original_of(path: Path) -> Path:
    """The plan a conflict copy copies, when that file is there; else `path` itself.

    The last used plan can be a copy the runner opened by its path to look at it; the
    next bare `planner show` or tick still goes to the plan, never on into the copy.
    """
    from planner.conflicts import original_name

    name = original_name(path)
    if name is None:
        return path
    original = path.with_name(name)
    return original if original.is_file() else path


ARCHIVE = "archive"


def archive_plan(path: Path, folder: Path) -> Path:
    """Move a plan (and its backup) into the plans folder's archive; never delete anything.

    Returns where the plan went. The archive keeps the plan readable: `planner open` works
    on it like on any plan file.
    """

    archive = folder / ARCHIVE
    ensure_private_dir(archive)
    target = archive / path.name
    number = 2
    while target.exists() or target.is_symlink():
        target = archive / f"{path.stem}-{number}{path.suffix}"
        number += 1
    with plan_lock(path):
        path.replace(target)
        backup = path.with_name(path.name + ".bak")
        if backup.exists():
            backup.replace(target.with_name(target.name + ".bak"))
    return target


def lock_folder_for(home: Path) -> Path:
    """Where lock files go for `home`: the platform's state folder for the default home
    (`~/.local/state/recovery-planner/locks` on Linux), `HOME/locks` for a home the runner
    gave (PLANNER_HOME, the demo's). Never inside the plans folder, which a sync tool may
    share: a lock only means something on the machine that holds it.

    The state folder rather than the runtime one: it always exists and is writable, where
    XDG_RUNTIME_DIR is missing over ssh, in cron and in containers, and a lock that can't
    be made is a save that can't be made.
    """
    import platformdirs

    if home == platformdirs.user_data_path(APP_NAME, appauthor=False):
        return platformdirs.user_state_path(APP_NAME, appauthor=False) / LOCKS
    return locks_dir(home)
