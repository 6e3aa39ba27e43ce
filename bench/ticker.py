"""A child process for the crash and concurrency scenarios: tick tasks, save, acknowledge.

Usage: python ticker.py PLAN SELECT [LIMIT]
Ticks, one save per tick, every task not yet done whose day index satisfies SELECT
("all", "even" or "odd"), and prints "ACK <date> <task id>" only after the save returned.
With PLANNER_LOCK_MARKER set, every lock holder creates that file exclusively while it
holds the lock, so two holders at once show up as "TWO LOCK HOLDERS" on stderr.
"""

import contextlib
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from planner import store
from planner.ops import SetDone
from planner.store import PlanFile


def watch_the_lock(marker: Path) -> None:
    """Wrap the store's lock so that a second simultaneous holder is caught."""
    real_lock = store.plan_lock

    @contextlib.contextmanager
    def checked_lock(path):
        with real_lock(path):
            try:
                fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                print("TWO LOCK HOLDERS", file=sys.stderr, flush=True)
                raise
            os.close(fd)
            try:
                yield
            finally:
                os.unlink(marker)

    store.plan_lock = checked_lock


def main() -> None:
    path, select = sys.argv[1], sys.argv[2]
    limit = int(sys.argv[3]) if len(sys.argv) > 3 else None
    if os.environ.get("PLANNER_LOCK_MARKER"):
        watch_the_lock(Path(os.environ["PLANNER_LOCK_MARKER"]))
    plan_file = PlanFile.open(path)
    todo = [
        (day.date, task.id)
        for index, day in enumerate(plan_file.plan.days)
        if select == "all" or (index % 2 == 0) == (select == "even")
        for task in day.tasks
        if not task.done
    ]
    print("READY", flush=True)
    for when, task_id in todo[:limit]:
        plan_file.apply(SetDone(when, task_id, True, datetime.now(UTC)))
        plan_file.save()
        print(f"ACK {when.isoformat()} {task_id}", flush=True)
    print("DONE", flush=True)


if __name__ == "__main__":
    main()
