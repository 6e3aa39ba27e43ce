"""Shared bench helpers: the plans measured, side-by-side timing, medians, tables."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from planner.engine import build_plan  # noqa: E402
from planner.model import (  # noqa: E402
    Category,
    Day,
    Distance,
    InjuryKind,
    Phase,
    Plan,
    PlanInputs,
    Side,
    Task,
)
from planner.store import PlanFile  # noqa: E402

TODAY = date(2026, 12, 1)
INJURY = date(2026, 11, 18)


def sixteen_week_plan() -> Plan:
    """A grade 1 strain, half marathon 16 weeks out: a real plan from the engine."""
    inputs = PlanInputs(
        INJURY,
        INJURY + timedelta(weeks=16),
        InjuryKind.STRAIN,
        1,
        Side.LEFT,
        Distance.HALF,
        "Sixteen weeks",
    )
    return build_plan(inputs, INJURY)


CYCLE = [
    (Category.CALF_RAISES, "Single-leg calf raises", "3 x 12"),
    (Category.HEEL_DROPS, "Heel drops", "3 x 15"),
    (Category.STRETCH, "Calf stretches", "3 x 30 s"),
    (Category.MASSAGE, "Self-massage", "2 min"),
    (Category.RUN, "Easy run 40 min", "easy"),
    (Category.WALK, "Brisk walk 30 min", "easy"),
    (Category.HEAT, "Heat before exercise", "10 min"),
    (Category.HYDRATION, "Drink to thirst", ""),
    (Category.REST, "Sleep well", "8 h"),
]


RACE_DAY = 365


def two_year_plan() -> Plan:
    """730 days, ~6,000 tasks. The engine plans at most a year to the race, and the store
    refuses files over 1 MiB, so this one is laid out here with short texts."""
    days = []
    for n in range(730):
        count = 8 + (n % 3 == 0)  # 8 or 9 tasks: about 6,100 in all
        tasks = []
        for k in range(count):
            category, title, dose = CYCLE[(n + k) % len(CYCLE)]
            minutes = (
                40 if category == Category.RUN else (30 if category == Category.WALK else None)
            )
            tasks.append(
                Task(
                    id=f"t{k}",
                    category=category,
                    title=title,
                    dose=dose,
                    why="Keeps the calf strong.",
                    minutes=minutes,
                )
            )
        phase = Phase.REBUILD if n < RACE_DAY - 14 else Phase.TAPER
        days.append(Day(INJURY + timedelta(days=n), phase, tasks))
    # A file holds a race at most 366 days after the injury and at most 366 days after it:
    # the race on day 365, a year of "after" days behind it.
    days[RACE_DAY].phase = Phase.RACE
    for day in days[RACE_DAY + 1 :]:
        day.phase = Phase.AFTER
    return Plan(
        name="Two years",
        created=datetime(2026, 11, 18, tzinfo=UTC),
        injury_date=INJURY,
        race_date=days[RACE_DAY].date,
        injury=InjuryKind.STRAIN,
        grade=1,
        side=Side.LEFT,
        distance=Distance.MARATHON,
        days=days,
    )


def write_plans(folder: Path) -> dict[str, Path]:
    """Both plans as files in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {"16-week": folder / "sixteen.toml", "2-year": folder / "two-years.toml"}
    for name, make in (("16-week", sixteen_week_plan), ("2-year", two_year_plan)):
        if not paths[name].exists():
            PlanFile.create(paths[name], make())
    return paths


def keep_snapshots(home: Path, plans: dict[str, Path]) -> None:
    """The snapshots the app keeps for these plans after a session (planner.snapshot), in
    `home`: what a runner's second and later starts find."""
    from planner import snapshot
    from planner.store import load_plan

    for path in plans.values():
        snapshot.write(snapshot.folder_for(home), path, path.read_bytes(), load_plan(path))


def drop_snapshots(home: Path, plans: dict[str, Path]) -> None:
    """No snapshots: the first start after the command line (or a sync) changed a plan."""
    from planner import snapshot

    for path in plans.values():
        snapshot.remove(snapshot.folder_for(home), path)


def compile_bytecode() -> None:
    """Write the bytecode caches of our code, as `pip install` does for an installed app,
    and the protocol's cache, as the app's first run does (planner.rules.cache).

    With PYTHONDONTWRITEBYTECODE set (as on some machines), an editable install would
    otherwise compile every module of ours from source on each launch, while Textual's
    modules (installed by pip) start from their caches: not a fair start. That setting
    also stops the app writing its protocol cache, which a runner's machine keeps after
    the first start.
    """
    import compileall

    for folder in ("planner", "bench"):
        compileall.compile_dir(ROOT / folder, quiet=1)
    import tomli

    from planner.rules import PROTOCOL, cache, parse_rules

    data = PROTOCOL.read_bytes()
    key = cache.key(data)
    if cache.read(key) is None:
        cache.write(key, parse_rules(tomli.loads(data.decode("utf-8"))), force=True)


def alternate(runs: int, a: Callable[[], float], b: Callable[[], float]) -> tuple[list, list]:
    """Run A and B alternately `runs` times each; return both lists of seconds."""
    first, second = [], []
    for _ in range(runs):
        first.append(a())
        second.append(b())
    return first, second


def median(values: list[float]) -> float:
    return statistics.median(values)


def machine() -> str:
    """One line about where the numbers came from."""
    cores = os.cpu_count()
    python = platform.python_version()
    return f"{platform.system()} {platform.machine()}, {cores} cores, Python {python}"


def table(title: str, rows: list[tuple]) -> str:
    """A Markdown table; the first row is the header."""
    header, *body = rows
    lines = [f"### {title}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in body]
    return "\n".join(lines)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def tmux(*args: str, socket: str) -> subprocess.CompletedProcess:
    return subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True)


def _launch(command: str, env: dict | None) -> str:
    """Start `command` in a fresh 120x40 tmux server; return the server's socket name."""
    socket = f"bench-{os.getpid()}-{time.monotonic_ns()}"
    full_env = " ".join(f"{k}={v}" for k, v in (env or {}).items())
    tmux(
        "new-session",
        "-d",
        "-s",
        "b",
        "-x",
        "120",
        "-y",
        "40",
        f"{full_env} {command}",
        socket=socket,
    )
    return socket


def time_to_screen(
    command: str, wants: list[str], *, timeout: float = 20.0, env: dict | None = None
) -> float:
    """Seconds from launching `command` in a 120x40 tmux pane until all `wants` are on screen."""
    started = time.perf_counter()
    socket = _launch(command, env)
    try:
        while time.perf_counter() - started < timeout:
            screen = tmux("capture-pane", "-p", "-t", "b", socket=socket).stdout
            if all(w in screen for w in wants):
                return time.perf_counter() - started
            time.sleep(0.002)
        raise TimeoutError(f"{command!r} never showed {wants}")
    finally:
        tmux("kill-server", socket=socket)


def rss_when_shown(
    command: str, wants: list[str], *, env: dict | None = None, settle: float = 1.0
) -> int:
    """Resident memory (bytes) of `command` once its screen shows `wants` and it sits idle."""
    socket = _launch(f"exec {command}", env)
    try:
        deadline = time.perf_counter() + 20
        while time.perf_counter() < deadline:
            if all(w in tmux("capture-pane", "-p", "-t", "b", socket=socket).stdout for w in wants):
                break
            time.sleep(0.02)
        time.sleep(settle)
        pid = tmux("list-panes", "-t", "b", "-F", "#{pane_pid}", socket=socket).stdout.strip()
        status = Path(f"/proc/{pid}/status").read_text()
        kib = next(
            int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")
        )
        return kib * 1024
    finally:
        tmux("kill-server", socket=socket)
