"""The file system side of a plan: reading bytes with their fingerprint, atomic writes
with a backup, the side-file lock (in the app's lock folder), leftovers of an interrupted
save."""

from __future__ import annotations

import contextlib
import os
import re
import stat
import unicodedata
from collections.abc import Callable
from pathlib import Path

import msgspec

from planner.model import (
    Plan,
)
from planner.store.codec import parse_plan
from planner.store.errors import PlanError, PlanExists, SaveError
from planner.store.schema import DIR_MODE, FILE_MODE, LOCK_TIMEOUT_S, MAX_BYTES


class Fingerprint(msgspec.Struct):
    """A plan file's bytes and what `os.fstat` said of the same open file.

    The bytes and the stat come from one file descriptor, so they always belong together:
    a stat taken separately could pair our old bytes with another program's newer file.
    Whether the file changed is decided by comparing bytes (`same_content`): size and
    mtime alone can't tell, since back-to-back saves often get the same timestamp.
    """

    size: int
    mtime_ns: int
    inode: int
    data: bytes

    def same_content(self, other: Fingerprint | None) -> bool:
        """Whether `other` holds exactly these bytes."""
        return other is not None and other.size == self.size and other.data == self.data


_TOO_BIG = f"file is over {MAX_BYTES // 1024} KiB; not a plan this app wrote"
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def read_plan_file(path: Path) -> Fingerprint:
    """Read a plan file through one descriptor: its bytes (at most MAX_BYTES + 1) and stat.

    Refuses symlinks, folders, FIFOs and devices (O_NONBLOCK: a FIFO can't hang the read).
    Raises PlanError saying why.
    """
    try:
        fd = os.open(path, _READ_FLAGS)
    except FileNotFoundError:
        raise PlanError(path, "no such file") from None
    except OSError as error:
        if os.path.islink(path):
            raise PlanError(
                path, "is a symbolic link; open the file it points to instead"
            ) from None
        raise PlanError(path, f"can't read: {error.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise PlanError(path, "is not a regular file")
        if info.st_size > MAX_BYTES:
            raise PlanError(
                path, f"file is over {MAX_BYTES // 1024} KiB; not a plan this app wrote"
            )
        chunks = []
        left = MAX_BYTES + 1
        while left > 0:
            chunk = os.read(fd, left)
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
    except OSError as error:
        raise PlanError(path, f"can't read: {error.strerror}") from None
    finally:
        os.close(fd)
    return Fingerprint(len(data), info.st_mtime_ns, info.st_ino, data)


def read_plan_bytes(path: Path) -> bytes:
    """The bytes of a plan file (see `read_plan_file`), PlanError if it can't be read."""
    return read_plan_file(path).data


def load_plan(path: Path | str) -> Plan:
    """Read a plan file; raise PlanError (`path:line:col: problem`) for anything else."""
    path = Path(path)
    return parse_plan(read_plan_bytes(path), path)


# ----------------------------------------------------------------------------- writing


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


def atomic_write(
    path: Path | str, data: bytes, *, backup: bool = True, replace: bool = True
) -> None:
    """Replace `path` with `data` all at once, or leave it as it was and raise SaveError.

    Temp file in the same folder (mode 0600); write, flush, fsync, close; keep the old
    version as `.bak`; `os.replace`; fsync the folder. Every step is checked. On failure the
    temp file is removed and, if the folder sync failed after the swap, the old file is put
    back: the caller sees "not saved" and the file as it was. A failed fsync is never
    retried (its data can't be trusted). With `replace=False` the file must not exist yet
    (PlanExists otherwise): the temp file is linked into place, which never overwrites.
    An interrupt (Ctrl+C, a signal turned into an exception) also removes the temp file.
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
        if not replace:
            _link_new(Path(temp), path)
        else:
            if os.path.lexists(path):
                if backup:
                    _backup(path)
                kept_previous = _link(path, previous)
            os.replace(temp, path)
        _fsync_dir(folder)
    except PlanExists:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    except (OSError, SaveError) as error:
        if replace and not os.path.lexists(temp) and kept_previous:  # swapped, not durably
            with contextlib.suppress(OSError):
                os.replace(previous, path)
        with contextlib.suppress(OSError):
            os.unlink(temp)
        reason = error.strerror if isinstance(error, OSError) else str(error)
        raise SaveError(f"{path}: not saved: {reason or error}") from None
    except BaseException:  # KeyboardInterrupt, SystemExit: no half-made file stays behind
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    finally:
        with contextlib.suppress(OSError):
            os.unlink(previous)


def _link_new(temp: Path, path: Path) -> None:
    """Put `temp` in place as `path`, which must not exist: a hard link never overwrites."""
    try:
        os.link(temp, path)
    except FileExistsError:
        raise PlanExists(f"{path}: not saved: a file of that name already exists") from None
    except OSError:  # no hard links here: the caller holds the plan's lock, check and move
        if os.path.lexists(path):
            raise PlanExists(f"{path}: not saved: a file of that name already exists") from None
        os.replace(temp, path)
        return
    os.unlink(temp)


def _open_folder(folder: Path) -> int:
    return os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | os.O_NOFOLLOW)


def ensure_private_dir(folder: Path) -> None:
    """Create an app-owned folder (mode 0700), or tighten it to 0700 if it exists.

    A folder that is a symbolic link (a runner's plans kept elsewhere) is left with the
    modes its owner gave it: a mode change never follows a link to somewhere else.
    """
    folder.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    try:
        fd = _open_folder(folder)
    except OSError:
        return  # a symbolic link (ELOOP) or a folder we can't open: not ours to change
    try:
        info = os.fstat(fd)
        if stat.S_IMODE(info.st_mode) != DIR_MODE and info.st_uid == os.geteuid():
            os.fchmod(fd, DIR_MODE)
    finally:
        os.close(fd)


# Where lock files go: set once by the program's entry (the command line, the app), since
# the core never reads the environment. A plan folder shared by a sync tool would carry a
# lock file beside the plan to every machine, so the entry points this at the app's state
# folder. A callable is resolved at the first lock, so a start that never saves never
# asks where that is (the command line finds it with platformdirs).
_lock_folder: Path | Callable[[], Path] | None = None


def set_lock_folder(folder: Path | Callable[[], Path] | None) -> None:
    """Keep every lock file in `folder` from now on (a callable: asked at the first lock);
    None: beside the file each guards, as `.NAME.lock` (for library use and tests that
    set no folder; the `planner` command and app always set one)."""
    global _lock_folder
    _lock_folder = folder


def lock_folder() -> Path | None:
    """The folder lock files go to, or None for beside the file each guards."""
    global _lock_folder
    if callable(_lock_folder):
        _lock_folder = _lock_folder()
    return _lock_folder


def _lock_name(path: Path) -> str:
    """`<slug>-<16 hex>.lock`: the same for every process opening the same file by any path.

    The hash is of the resolved path (symlinked folders, `..`, a relative path all end up
    the same), case-folded: on a case-blind file system `Plan.toml` and `plan.toml` are one
    file; on a case-sensitive one two plans sharing a lock only wait for each other.
    """
    import hashlib  # loaded with the first save

    try:
        resolved = str(path.resolve())
    except (OSError, RuntimeError):  # a symlink loop: the path as given is all there is
        resolved = os.path.abspath(path)
    key = unicodedata.normalize("NFC", resolved).casefold()
    digest = hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")[:40].strip("-")
    return f"{slug or 'plan'}-{digest}.lock"


def lock_path(path: Path, folder: Path | None = None) -> Path:
    """The file whose lock guards `path` (never the plan file itself): in `folder`, else
    in the folder set with `set_lock_folder`, else beside it as `.NAME.lock`."""
    folder = folder if folder is not None else lock_folder()
    if folder is None:
        return path.with_name(f".{path.name}.lock")
    return folder / _lock_name(path)


def _owner(path: Path) -> str:
    """', owned by NAME' for a file another user owns; '' otherwise."""
    try:
        uid = os.lstat(path).st_uid
    except OSError:
        return ""
    if uid == os.geteuid():
        return ""
    try:
        import pwd

        name = pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        name = f"user {uid}"
    return f", owned by {name}"


@contextlib.contextmanager
def plan_lock(path: Path, timeout: float = LOCK_TIMEOUT_S, *, folder: Path | None = None):
    """Hold the exclusive lock of a plan file, or raise SaveError after `timeout` seconds.

    The lock file is `lock_path(path, folder)`; its folder is made (mode 0700) if missing.
    """
    import filelock  # loaded with the first save, not before the first frame

    side = lock_path(path, folder)
    lock = filelock.FileLock(side, timeout=timeout, mode=FILE_MODE)
    try:
        if side.parent != path.parent:
            ensure_private_dir(side.parent)
        with lock:
            yield
    except filelock.Timeout:
        raise SaveError(f"{path}: not saved: another program kept the plan locked") from None
    except OSError as error:
        owner = _owner(side)
        hint = " (remove that file, then try again)" if owner else ""
        raise SaveError(
            f"{path}: not saved: can't open its lock file {side}{owner}: "
            f"{error.strerror or error}{hint}"
        ) from None


def leftovers(path: Path) -> list[Path]:
    """Temp files that saves of `path` left behind (a save killed half-way)."""
    # mkstemp's names for the plan, its .bak and .v{N}.bak copies, and the two link names.
    pattern = re.compile(
        rf"\.{re.escape(path.name)}\.(?:old|bak|(?:bak\.|v\d+\.bak\.)?[A-Za-z0-9_]{{8}})\.tmp"
    )
    try:
        names = os.listdir(path.parent)
    except OSError:
        return []
    return [path.with_name(n) for n in names if pattern.fullmatch(n)]


def clean_leftovers(path: Path) -> int:
    """Remove the temp files killed saves of `path` left; returns how many went.

    Only while holding the plan's lock (waiting for nobody): then no save of this plan is
    under way, so every temp file of it is a leftover. Best effort: 0 when busy.
    """
    found = leftovers(path)
    if not found:
        return 0
    removed = 0
    try:
        with plan_lock(path, timeout=0):
            for temp in leftovers(path):
                with contextlib.suppress(OSError):
                    os.unlink(temp)
                    removed += 1
    except SaveError:
        return removed
    return removed


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
