"""Plan files: TOML <-> Plan, and saving without ever losing what the runner did.

Reading refuses, with `path:line:col: problem`, anything that is not a whole plan: a file
over 1 MiB, invalid UTF-8, a byte-order mark, TOML errors, runaway nesting, a missing
schema version, or a plan that breaks the format. Writing always goes through
`atomic_write()` (temp file, fsync, `os.replace`, fsync of the folder) and keeps the
previous version as `NAME.toml.bak`. `PlanFile` wraps a loaded plan with the operations
not yet saved; its `save()` takes a lock on a side file and, if another program changed
the plan since it was read, reloads it and applies those operations again first.

The parts: `schema` (the typed tables, keys, limits, migrations), `errors`, `locate` (an
index of table headers: `path:line:col`, and where the days start), `codec` (TOML <->
Plan), `files` (reading, atomic writes, the lock, backups, leftovers) and `plan_file`
(pending operations, merge, refresh).
"""

from __future__ import annotations

from planner.store.codec import (
    day_of,
    day_text,
    dumps_plan,
    head_of,
    head_text,
    parse_plan,
    plan_from_doc,
)
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
    backup_path,
    clean_leftovers,
    ensure_private_dir,
    leftovers,
    load_plan,
    lock_folder,
    lock_path,
    plan_lock,
    read_plan_bytes,
    read_plan_file,
    restore_backup,
    set_lock_folder,
)
from planner.store.locate import Headers
from planner.store.plan_file import PlanFile
from planner.store.schema import (
    DAY_KEYS,
    FIRST_YEAR,
    GATE_KEYS,
    LAST_YEAR,
    MAX_AFTER_DAYS,
    MAX_BYTES,
    MAX_DOSE,
    MAX_GATE_COUNT,
    MAX_GATE_WALK,
    MAX_RACE_DAYS,
    MAX_REVISION,
    MIGRATIONS,
    PLAN_KEYS,
    SAFETY_KEYS,
    TASK_KEYS,
    TOP_KEYS,
)

__all__ = [
    "DAY_KEYS",
    "FIRST_YEAR",
    "GATE_KEYS",
    "LAST_YEAR",
    "MAX_AFTER_DAYS",
    "MAX_BYTES",
    "MAX_DOSE",
    "MAX_GATE_COUNT",
    "MAX_GATE_WALK",
    "MAX_RACE_DAYS",
    "MAX_REVISION",
    "MIGRATIONS",
    "PLAN_KEYS",
    "SAFETY_KEYS",
    "TASK_KEYS",
    "TOP_KEYS",
    "ConflictError",
    "Fingerprint",
    "GoneError",
    "Headers",
    "PlanError",
    "PlanExists",
    "PlanFile",
    "ReadOnlyError",
    "SaveError",
    "atomic_write",
    "backup_path",
    "clean_leftovers",
    "day_of",
    "day_text",
    "dumps_plan",
    "ensure_private_dir",
    "head_of",
    "head_text",
    "leftovers",
    "load_plan",
    "lock_folder",
    "lock_path",
    "parse_plan",
    "plan_from_doc",
    "plan_lock",
    "read_plan_bytes",
    "read_plan_file",
    "restore_backup",
    "set_lock_folder",
]
