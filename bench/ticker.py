"""A child process for the crash and concurrency scenarios: tick tasks, save, acknowledge.

Usage: python ticker.py PLAN SELECT [LIMIT]
Ticks, one save per tick, every task not yet done whose place in the plan (counting all
tasks of all days) satisfies SELECT ("all", "even" or "odd"), and prints
"ACK <date> <task id>" only after the save returned. A save that finds the plan locked by
the other writer is retried, as the app retries; only a saved tick is acknowledged.
With PLANNER_LOCK_MARKER set, every lock holder creates that file exclusively while it
holds the lock, so two holders at once show up as "TWO LOCK HOLDERS" on stderr.
"""

import contextlib
import os
import random
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from planner import store
from planner.ops import SetDone
from planner.store import PlanFile

RETRIES = 30


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
    every = [(day.date, task) for day in plan_file.plan.days for task in day.tasks]
    todo = [
        (when, task.id)
        for index, (when, task) in enumerate(every)
        if (select == "all" or (index % 2 == 0) == (select == "even")) and not task.done
    ]
    print("READY", flush=True)
    for when, task_id in todo[:limit]:
        plan_file.apply(SetDone(when, task_id, True, datetime.now(UTC)))
        for attempt in range(RETRIES):
            try:
                plan_file.save()
                break
            except store.SaveError as error:
                if "locked" not in str(error) or attempt == RETRIES - 1:
                    raise
                time.sleep(random.uniform(0, 0.05))
        print(f"ACK {when.isoformat()} {task_id}", flush=True)
    print("DONE", flush=True)


if __name__ == "__main__":
    main()
