"""A child process for the crash and concurrency tests: tick tasks, save, acknowledge.

Usage: python ticker.py PLAN SELECT [LIMIT]
Ticks, one save per tick, every task not yet done whose day index satisfies SELECT
("all", "even" or "odd"), and prints "ACK <date> <task id>" only after the save returned.
"""

import sys
from datetime import UTC, datetime

from planner.ops import SetDone
from planner.store import PlanFile


def main() -> None:
    path, select = sys.argv[1], sys.argv[2]
    limit = int(sys.argv[3]) if len(sys.argv) > 3 else None
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
