"""Where plans live: the app's home, the plans folder, file names, and the state file
(the last used plan, the theme).

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
    """The plan files of a folder, by name."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.toml") if not p.name.startswith("."))


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


def read_state(home: Path) -> dict[str, str]:
    """What the state file remembers: `last_plan` and `theme`, each a string when present.

    A missing or damaged state file (not TOML, not UTF-8, a number over 4,300 digits, a
    FIFO) only means nothing is remembered: it holds conveniences, never anything the
    runner would lose. Keys of another type are left out.
    """
    try:
        state = tomli.loads(_read_state(home / STATE_FILE).decode("utf-8"))
    except (OSError, ValueError, RecursionError):  # TOMLDecodeError, UnicodeDecodeError too
        return {}
    return {key: state[key] for key in STATE_KEYS if isinstance(state.get(key), str)}


STATE_KEYS = ("last_plan", "theme")


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
            text = tomli_w.dumps({**read_state(home), **values})
            atomic_write(home / STATE_FILE, text.encode("utf-8"), backup=False)
    except Exception:
        return


def find_plan(ref: str | None, home: Path) -> Path:
    """The plan file a PLAN argument means: a path, a plan name, or (None) the last used.

    Raises PlanNotFound with a message saying what was tried.
    """
    folder = plans_dir(home)
    if ref is None:
        last = last_plan(home)
        if last is not None:
            return last
        plans = list_plans(folder)
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
    raise PlanNotFound(f"no plan named '{ref}' in {folder} (see `planner list`)")


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
