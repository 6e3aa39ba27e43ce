"""kill -9 in the middle of saving, and two processes ticking at once: nothing is lost."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

from planner.engine import build_plan
from planner.model import Distance, InjuryKind, PlanInputs, Side
from planner.store import PlanFile, load_plan

TICKER = Path(__file__).with_name("ticker.py")
KILLS = int(os.environ.get("PLANNER_TEST_KILLS", "50"))
TICKS_EACH = int(os.environ.get("PLANNER_TEST_TICKS", "100"))


def make_plan(path: Path, race: date) -> None:
    inputs = PlanInputs(date(2026, 11, 1), race, InjuryKind.STRAIN, 1, Side.RIGHT, Distance.HALF)
    PlanFile.create(path, build_plan(inputs, date(2026, 11, 1)))


def ticker(path: Path, select: str, limit: int | None = None) -> subprocess.Popen:
    args = [sys.executable, str(TICKER), str(path), select]
    if limit is not None:
        args.append(str(limit))
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def done_tasks(path: Path) -> set[tuple[str, str]]:
    plan = load_plan(path)  # raises if the file is not a whole plan
    return {(d.date.isoformat(), t.id) for d in plan.days for t in d.tasks if t.done}


def test_kill_9_never_leaves_a_broken_file_nor_loses_an_acknowledged_tick(tmp_path):
    path = tmp_path / "plan.toml"
    make_plan(path, date(2027, 2, 1))  # ~90 days: each save takes a few milliseconds
    acknowledged: set[tuple[str, str]] = set()
    rng = random.Random(1234)
    kills = 0
    while kills < KILLS:
        child = ticker(path, "all")
        lines: list[str] = []
        reader = threading.Thread(target=lambda c=child, out=lines: out.extend(c.stdout))
        reader.start()
        deadline = time.monotonic() + 30
        while "READY\n" not in lines and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(rng.uniform(0.01, 0.3))
        child.send_signal(signal.SIGKILL)
        child.wait()
        reader.join()
        assert "DONE\n" not in lines, "the plan ran out of tasks before the kills were done"
        kills += 1
        for line in lines:
            if line.startswith("ACK "):
                _, when, task_id = line.split()
                acknowledged.add((when, task_id))
        on_disk = done_tasks(path)
        assert acknowledged <= on_disk, f"lost after kill {kills}"
    assert len(acknowledged) > KILLS  # the kills landed while work was going on


def test_two_processes_ticking_different_tasks_lose_nothing(tmp_path):
    path = tmp_path / "plan.toml"
    make_plan(path, date(2027, 1, 20))
    even = ticker(path, "even", TICKS_EACH)
    odd = ticker(path, "odd", TICKS_EACH)
    outputs = [p.communicate(timeout=600) for p in (even, odd)]
    for process, (out, err) in zip((even, odd), outputs, strict=True):
        assert process.returncode == 0, err
        assert out.count("ACK ") == TICKS_EACH
    acked = {
        tuple(line.split()[1:])
        for out, _ in outputs
        for line in out.splitlines()
        if line.startswith("ACK ")
    }
    assert len(acked) == 2 * TICKS_EACH
    assert acked <= done_tasks(path)
