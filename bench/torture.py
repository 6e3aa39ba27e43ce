"""Every way we can think of to lose a runner's data, tried on purpose.

    python bench/torture.py            full counts (minutes), prints the results table
    python bench/torture.py --quick    the reduced counts the test suite runs

Exits non-zero if any scenario lost data or misbehaved. A scenario that needs a privilege
this machine doesn't give (mounting a tmpfs, a read-only bind mount) says so in the table
instead of passing. `tests/test_torture.py` runs the same functions at CI counts.

T12, T17 and T18 run the app the way people do: every command a fresh `planner` process,
the TUI as `planner open` in a real terminal (tmux, see bench/tui_driver.py; without tmux,
T17 and T18 say skipped). A row that goes through a different code path than users take
proves nothing: T6 (writers that keep the plan in memory and retry) passed while separate
`planner tick` processes lost ticks.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import os
import random
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from planner import store  # noqa: E402
from planner.engine import build_plan  # noqa: E402
from planner.model import (  # noqa: E402
    Category,
    Distance,
    InjuryKind,
    Plan,
    PlanInputs,
    Side,
    Task,
)
from planner.ops import SetDone  # noqa: E402
from planner.store import (  # noqa: E402
    PlanError,
    PlanFile,
    SaveError,
    dumps_plan,
    load_plan,
    parse_plan,
)

TICKER = Path(__file__).with_name("ticker.py")
NOON = datetime(2026, 11, 21, 12, tzinfo=UTC)

FULL = {
    "T1": 500,
    "T4": 2000,
    "T5": (300, 50),
    "T6": 1000,
    "T8": 100_000,
    "T12": 500,
    "T17": 50,
    "T18": None,
}
QUICK = {"T1": 50, "T4": 200, "T5": (25, 20), "T6": 100, "T8": 2000, "T12": 15, "T17": 2, "T18": 2}


@dataclass
class Row:
    """One line of the results table."""

    id: str
    scenario: str
    count: str
    passed: bool
    detail: str
    skipped: str | None = None

    @property
    def verdict(self) -> str:
        if self.skipped:
            return f"skipped: {self.skipped}"
        return "pass" if self.passed else "FAIL"


def sample_plan(race_days: int = 90) -> Plan:
    """A grade 1 strain with a half marathon `race_days` out."""
    injury = date(2026, 11, 1)
    inputs = PlanInputs(
        injury, injury + timedelta(days=race_days), InjuryKind.STRAIN, 1, Side.RIGHT, Distance.HALF
    )
    return build_plan(inputs, injury)


def leftovers(folder: Path) -> list[str]:
    """Temp files a save may have left behind."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# ------------------------------------------------------------------ T1: kill -9


def _ticker(path: Path, select: str, limit: int | None = None, env=None) -> subprocess.Popen:
    args = [sys.executable, str(TICKER), str(path), select]
    if limit is not None:
        args.append(str(limit))
    return subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )


def done_tasks(path: Path) -> set[tuple[str, str]]:
    plan = load_plan(path)  # raises if the file is not a whole plan
    return {(d.date.isoformat(), t.id) for d in plan.days for t in d.tasks if t.done}


def t1_kill(kills: int, work: Path) -> Row:
    """kill -9 at random moments while a process ticks and saves in a loop."""
    path = work / "t1.toml"
    PlanFile.create(path, sample_plan(200))  # ~1,000 tasks: plenty to tick
    acknowledged: set[tuple[str, str]] = set()
    rng = random.Random(1234)
    broken = lost = 0
    for _ in range(kills):
        child = _ticker(path, "all")
        lines: list[str] = []
        reader = threading.Thread(target=lambda c=child, out=lines: out.extend(c.stdout))
        reader.start()
        deadline = time.monotonic() + 30
        while "READY\n" not in lines and time.monotonic() < deadline:
            time.sleep(0.002)
        time.sleep(rng.uniform(0.0, 0.25))
        child.send_signal(signal.SIGKILL)
        child.wait()
        reader.join()
        for line in lines:
            if line.startswith("ACK "):
                _, when, task_id = line.split()
                acknowledged.add((when, task_id))
        try:
            on_disk = done_tasks(path)
        except PlanError:
            broken += 1
            continue
        lost += len(acknowledged - on_disk)
    passed = broken == 0 and lost == 0 and len(acknowledged) > 0
    return Row(
        "T1",
        "kill -9 at random moments while ticking and saving",
        f"{kills} kills",
        passed,
        f"{broken} unparseable files, {lost} acknowledged ticks lost, "
        f"{len(acknowledged)} ticks acknowledged",
    )


# ------------------------------------------------------------------ T2: failing steps

STEPS = ("write", "flush", "fsync", "close", "replace", "dir-fsync")
ERRORS = (errno.EIO, errno.ENOSPC)


class _FaultyFile:
    """A temp-file handle whose write, flush or close fails once."""

    def __init__(self, handle, step: str, error: OSError) -> None:
        self.handle, self.step, self.error = handle, step, error

    def fileno(self) -> int:
        return self.handle.fileno()

    def write(self, data):
        if self.step == "write":
            raise self.error
        return self.handle.write(data)

    def flush(self):
        if self.step == "flush":
            raise self.error
        return self.handle.flush()

    def close(self):
        self.handle.close()  # the descriptor is released either way
        if self.step == "close":
            raise self.error


@contextlib.contextmanager
def fault(step: str, code: int, target: Path) -> Iterator[None]:
    """Make one step of saving `target` fail with `code` (EIO, ENOSPC...)."""
    error = OSError(code, os.strerror(code))
    real_fdopen, real_replace = os.fdopen, os.replace
    if step in ("write", "flush", "close"):
        patcher = mock.patch.object(
            store.os, "fdopen", lambda *a, **k: _FaultyFile(real_fdopen(*a, **k), step, error)
        )
    elif step == "fsync":
        patcher = mock.patch.object(store.os, "fsync", side_effect=error)
    elif step == "replace":

        def replace(src, dst, *args, **kwargs):
            if Path(dst) == target and str(src).endswith(".tmp") and ".old." not in str(src):
                raise error
            return real_replace(src, dst, *args, **kwargs)

        patcher = mock.patch.object(store.os, "replace", replace)
    elif step == "dir-fsync":
        patcher = mock.patch.object(store, "_fsync_dir", side_effect=error)
    else:
        raise ValueError(step)
    with patcher:
        yield


def t2_fault_steps(work: Path) -> Row:
    """Each step of a save made to fail with EIO and ENOSPC, by monkeypatching."""
    failures = []
    cases = 0
    for step in STEPS:
        for code in ERRORS:
            cases += 1
            folder = work / f"t2-{step}-{code}"
            folder.mkdir()
            path = folder / "plan.toml"
            plan_file = PlanFile.create(path, sample_plan(9))
            before = path.read_bytes()
            when = plan_file.plan.days[1].date
            task_id = plan_file.plan.days[1].tasks[0].id
            plan_file.apply(SetDone(when, task_id, True, NOON))
            reported = False
            with fault(step, code, path):
                try:
                    plan_file.save()
                except SaveError as error:
                    reported = "not saved" in str(error)
            problems = []
            if not reported:
                problems.append("no error reported")
            if path.read_bytes() != before:
                problems.append("file changed")
            if leftovers(folder):
                problems.append(f"left {leftovers(folder)}")
            try:
                plan_file.save()  # the retry, with the disk healthy again
                if not load_plan(path).day(when).task(task_id).done:
                    problems.append("retry lost the tick")
            except SaveError as error:
                problems.append(f"retry failed: {error}")
            if problems:
                failures.append(f"{step}/{errno.errorcode[code]}: {', '.join(problems)}")
    return Row(
        "T2",
        "write, flush, fsync, close, replace, dir-fsync fail (EIO, ENOSPC)",
        f"{cases} cases",
        not failures,
        "; ".join(failures) or "original byte-identical, no temp left, error reported, retry saved",
    )


# ------------------------------------------------------------------ T3: real disk trouble


def _run_cli(*args: str, home: Path, today: str = "2026-11-03") -> subprocess.CompletedProcess:
    env = dict(os.environ, PLANNER_HOME=str(home), PLANNER_TODAY=today)
    return subprocess.run(
        [sys.executable, "-m", "planner", *args], capture_output=True, text=True, env=env
    )


def _tui_keeps_change(path: Path) -> tuple[bool, str]:
    """Tick in the TUI while saving fails: the banner shows and the tick stays in memory."""
    from planner.tui.app import make_app, pinned_clock

    today = date(2026, 11, 3)
    app = make_app(
        path, home=path.parent, today=today, now=pinned_clock(today), remember_plans=False
    )

    async def drive() -> tuple[bool, str]:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("space")
            await pilot.pause()
            banner = app.screen.query_one("#save-banner")
            kept = app.screen.session.plan.day(today).tasks[0].done
            return banner.display and kept, str(banner.render())[:80]

    return asyncio.run(drive())


def _disk_trouble(
    folder: Path, make_trouble: Callable[[], None], undo: Callable[[], None]
) -> tuple[bool, str]:
    """Make trouble, then tick from the CLI (exit 1) and the TUI (banner, tick kept)."""
    home = folder
    path = folder / "plan.toml"
    PlanFile.create(path, sample_plan(9))
    before = path.read_bytes()
    try:
        make_trouble()
        result = _run_cli("tick", "1", str(path), home=home / "home")
        cli_ok = result.returncode == 1 and "not saved" in result.stderr
        tui_ok, banner = _tui_keeps_change(path)
        same = path.read_bytes() == before
        return (
            cli_ok and tui_ok and same and not leftovers(folder),
            f"CLI exit {result.returncode} ({result.stderr.strip()[:60]}); "
            f"TUI banner: {tui_ok} ({banner[:40]}); file unchanged: {same}",
        )
    finally:
        undo()


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


def t3_full_disk(work: Path) -> Row:
    """A real full disk: a tiny tmpfs filled up before the save."""
    folder = work / "t3-full"
    folder.mkdir()
    if os.geteuid() != 0 or not _mount("-t", "tmpfs", "-o", "size=256k", "tmpfs", str(folder)):
        return Row(
            "T3a",
            "real full disk (small tmpfs)",
            "1",
            True,
            "",
            skipped="can't mount a tmpfs here (needs root and mount rights)",
        )

    def fill() -> None:
        fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            with contextlib.suppress(OSError):  # until the disk is full
                while True:
                    os.write(fd, b"\0" * 4096)
        finally:
            os.close(fd)

    try:
        ok, detail = _disk_trouble(folder, fill, lambda: None)
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True)
    return Row("T3a", "real full disk (small tmpfs)", "1", ok, detail)


def t3_read_only(work: Path) -> Row:
    """A read-only folder: a read-only bind mount under root, chmod otherwise."""
    folder = work / "t3-ro"
    folder.mkdir()
    if os.geteuid() == 0:
        if not _mount("--bind", str(folder), str(folder)):
            return Row(
                "T3b",
                "read-only folder",
                "1",
                True,
                "",
                skipped="can't bind-mount here (needs mount rights)",
            )
        try:
            ok, detail = _disk_trouble(
                folder,
                lambda: _mount("-o", "remount,bind,ro", str(folder)),
                lambda: None,
            )
        finally:
            subprocess.run(["umount", str(folder)], capture_output=True)
        return Row("T3b", "read-only folder (bind mount, ro)", "1", ok, detail)
    ok, detail = _disk_trouble(
        folder, lambda: os.chmod(folder, 0o500), lambda: os.chmod(folder, 0o700)
    )
    return Row("T3b", "read-only folder (chmod 0500)", "1", ok, detail)


# ------------------------------------------------------------------ T4: round trip


def t4_round_trip(examples: int) -> Row:
    """load(save(p)) == p for plans full of brackets, markup, quotes, emoji, controls, bidi."""
    from hypothesis import HealthCheck, given, settings

    from bench.strategies import plans

    seen = [0]
    failure: list[str] = []

    @settings(
        max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(plans())
    def check(plan: Plan) -> None:
        seen[0] += 1
        text = dumps_plan(plan)
        assert not any(ch in text for ch in "\x1b\x07\x00\x7f\x9b\u202e\u2066")
        assert parse_plan(text.encode(), "p.toml") == plan

    try:
        check()
    except Exception as error:
        failure.append(f"{type(error).__name__}: {str(error)[:200]}")
    return Row(
        "T4",
        "round trip of hostile plans (hypothesis)",
        f"{seen[0]} examples",
        not failure,
        failure[0] if failure else "load(save(p)) == sanitize(p) for all",
    )


# ------------------------------------------------------------------ T5: stateful model


def t5_stateful(runs: int, steps: int) -> Row:
    """A model of the plan against the file, across ticks, pain, own tasks, skips,
    re-plans, saves, reloads and another process editing the file."""
    from bench.stateful import run_machine

    failure = run_machine(runs, steps)
    return Row(
        "T5",
        "stateful model vs the file on disk (hypothesis)",
        f"{runs} runs x {steps} steps",
        failure is None,
        failure or "disk equals the model after every step",
    )


# ------------------------------------------------------------------ T6: two writers


def t6_two_processes(ticks: int, work: Path) -> Row:
    """Two processes tick different tasks at once; a marker proves one lock holder at a time."""
    path = work / "t6.toml"
    plan = sample_plan(min(365, max(30, ticks // 2)))
    total = sum(len(d.tasks) for d in plan.days)
    for extra in range(max(0, 2 * ticks - total)):  # own tasks top up the plan's ~1,850
        day = plan.days[extra % len(plan.days)]
        day.tasks.append(
            Task(id=f"my-{extra}", category=Category.CUSTOM, title=f"Extra {extra}", custom=True)
        )
    PlanFile.create(path, plan)
    marker = work / "t6.holder"
    env = dict(os.environ, PLANNER_LOCK_MARKER=str(marker))
    even = _ticker(path, "even", ticks, env)
    odd = _ticker(path, "odd", ticks, env)
    outputs = [p.communicate(timeout=3600) for p in (even, odd)]
    problems = []
    acked: set[tuple[str, ...]] = set()
    for process, (out, err) in zip((even, odd), outputs, strict=True):
        if process.returncode != 0:
            problems.append(err.strip().splitlines()[-1] if err.strip() else "child failed")
        acked |= {tuple(line.split()[1:]) for line in out.splitlines() if line.startswith("ACK")}
    both = "TWO LOCK HOLDERS" in outputs[0][1] + outputs[1][1]
    missing = len(acked - done_tasks(path)) if not problems else -1
    passed = not problems and not both and missing == 0 and len(acked) == 2 * ticks
    return Row(
        "T6",
        "two processes tick different tasks concurrently",
        f"{ticks} ticks each",
        passed,
        f"{len(acked)} acknowledged, {missing} missing from the file, "
        f"two lock holders seen: {both}" + (f"; {problems}" if problems else ""),
    )


# ------------------------------------------------------------------ T7: hostile files


def _dotted(length: int) -> bytes:
    return (("a." * (length // 2)).rstrip(".") + " = 1\n").encode()


def hostile_files() -> dict[str, bytes]:
    """Files a plan loader must refuse quickly, by name."""
    future = dumps_plan(sample_plan(9)).replace("schema_version = 1", "schema_version = 99")
    return {
        "empty": b"",
        "{}": b"{}",
        "no schema": b'[plan]\nname = "x"\n',
        "BOM": b"\xef\xbb\xbfschema_version = 1\n",
        "invalid UTF-8": b'schema_version = 1\n[plan]\nname = "\xff\xfe"\n',
        "1 MiB + 1 byte": b"#" * (store.MAX_BYTES + 1),
        "60 KiB dotted key": _dotted(60 * 1024),
        "2,000-deep arrays": b"a = " + b"[" * 2000 + b"]" * 2000 + b"\n",
        "2,000-deep inline tables": b"a = " + b"{b = " * 2000 + b"}" * 2000 + b"\n",
        "future schema (read-only)": future.encode(),
    }


def t7_hostile(work: Path) -> Row:
    """Each hostile file refused in under a second and 100 MB, with a position, untouched."""
    problems = []
    worst_s = worst_mb = 0.0
    names = list(hostile_files())
    for name, data in hostile_files().items():
        path = work / f"t7-{abs(hash(name))}.toml"
        path.write_bytes(data)
        tracemalloc.start()
        started = time.process_time()
        message = ""
        try:
            plan = load_plan(path)
            if not plan.read_only:
                problems.append(f"{name}: accepted")
            else:  # a newer schema is read, never written
                plan_file = PlanFile.open(path)
                plan_file.apply(SetDone(plan.days[0].date, plan.days[0].tasks[0].id, True))
                try:
                    plan_file.save()
                    problems.append(f"{name}: written")
                except SaveError as error:
                    message = str(error)
        except PlanError as error:
            message = str(error)
        elapsed = time.process_time() - started
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        worst_s, worst_mb = max(worst_s, elapsed), max(worst_mb, peak)
        if not message.startswith(str(path)) or "\n" in message:
            problems.append(f"{name}: message {message[:60]!r}")
        if elapsed >= 1.0 or peak >= 100:
            problems.append(f"{name}: {elapsed:.2f} s, {peak:.0f} MB")
        if path.read_bytes() != data:
            problems.append(f"{name}: file changed")
    # a symlink to another file
    target = work / "t7-target.toml"
    PlanFile.create(target, sample_plan(9))
    link = work / "t7-link.toml"
    link.symlink_to(target)
    try:
        load_plan(link)
        problems.append("symlink: accepted")
    except PlanError as error:
        if "symbolic link" not in str(error):
            problems.append("symlink: unclear message")
    names.append("symlink")
    return Row(
        "T7",
        f"hostile files ({', '.join(names)})",
        f"{len(names)} files",
        not problems,
        "; ".join(problems)
        or f"all refused; worst {worst_s * 1000:.0f} ms CPU, {worst_mb:.1f} MB peak",
    )


# ------------------------------------------------------------------ T8: fuzzing


def t8_fuzz(examples: int) -> Row:
    """load_plan on random bytes and on mutated valid plans: only our own error escapes."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    seed = dumps_plan(sample_plan(2)).encode()
    seen = [0]
    failure: list[str] = []

    def mutate(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
        out = bytearray(data)
        for position, delete, insert in edits:
            at = position % (len(out) + 1)
            out[at : at + delete] = insert
        return bytes(out)

    edit = st.tuples(st.integers(0, 10**6), st.integers(0, 8), st.binary(max_size=8))
    inputs = st.one_of(
        st.binary(max_size=2000),
        st.lists(edit, min_size=1, max_size=6).map(lambda edits: mutate(seed, edits)),
    )

    @settings(
        max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(inputs)
    def check(data: bytes) -> None:
        seen[0] += 1
        with contextlib.suppress(PlanError):
            parse_plan(data, "fuzz.toml")

    try:
        check()
    except Exception as error:
        failure.append(f"{type(error).__name__}: {str(error)[:200]}")
    return Row(
        "T8",
        "fuzz load_plan (random bytes, mutated plans)",
        f"{seen[0]} inputs",
        not failure,
        failure[0] if failure else "no exception but PlanError",
    )


# ------------------------------------------------------------------ T9: markup in widgets

HOSTILE_TEXT = [
    "[@click=app.quit]quit[/]",
    "[link=https://example.com]x[/link]",
    "esc\x1b[2Jcleared",
    "osc\x1b]52;c;aGVsbG8=\x07copy",
    "c1\x9b31mred\x85",
]


def t9_markup(work: Path) -> Row:
    """Markup and escapes in every widget that shows user text; click each one."""
    from bench.markup import check_widgets

    problems = check_widgets(work, HOSTILE_TEXT)
    return Row(
        "T9",
        "markup and escapes in titles, doses, notes, names, own tasks",
        f"{len(HOSTILE_TEXT)} strings x every widget",
        not problems,
        "; ".join(problems) or "app still running, text literal, no ESC/C1 on screen",
    )


# ------------------------------------------------------------------ T10: names and paths


def t10_names(work: Path) -> Row:
    """Plan names that try to escape the plans folder, and a folder reached by a symlink."""
    names = ["../x", "/etc/passwd", "a/b", "CON", "..", "x" * 300]
    problems = []
    work = work / "t10"
    work.mkdir()
    real = work / "real"
    real.mkdir()
    home = work / "home"
    home.mkdir()
    (home / "plans").symlink_to(real, target_is_directory=True)
    for name in names:
        result = _run_cli(
            "new", "--injury", "2026-11-01", "--race", "2026-11-10", "--name", name, home=home
        )
        if len(name) > 100:
            if result.returncode != 2:
                problems.append(f"{name[:10]}...: exit {result.returncode}")
            continue
        if result.returncode != 0:
            problems.append(f"{name!r}: exit {result.returncode} {result.stderr.strip()}")
    for path in work.rglob("*.toml"):
        if path.name != "state.toml" and not path.resolve().is_relative_to(real):
            problems.append(f"outside: {path}")
    files = [p for p in real.iterdir() if p.suffix == ".toml"]
    if len(files) != len(names) - 1:
        problems.append(f"{len(files)} plan files for {len(names) - 1} names")
    for path in files:
        if stat.S_IMODE(path.stat().st_mode) != 0o600:
            problems.append(f"{path.name} mode {oct(path.stat().st_mode)}")
    if stat.S_IMODE(real.stat().st_mode) != 0o700:
        problems.append("plans folder not 0700")
    outside = [p for p in (Path("/etc/passwd.toml"), work / "x.toml") if p.exists()]
    problems += [f"written outside: {p}" for p in outside]
    return Row(
        "T10",
        "hostile plan names, plans folder through a symlink",
        f"{len(names)} names",
        not problems,
        "; ".join(problems) or f"files: {', '.join(sorted(p.name for p in files))}",
    )


# ------------------------------------------------------------------ T11: migration


def t11_migration(work: Path) -> Row:
    """Every older schema migrates to the expected file (keeping a .v{N}.bak); a newer opens
    read-only."""
    fixtures = ROOT / "tests" / "fixtures"
    problems = []
    cases = 0
    for old in sorted(fixtures.glob("plan-v*.toml")):
        version = old.stem.split("-v")[-1]
        expected = fixtures / f"plan-v{version}-migrated.toml"
        if not expected.exists() or version.endswith("migrated"):
            continue
        cases += 1
        path = work / f"t11-v{version}.toml"
        shutil.copy(old, path)
        plan_file = PlanFile.open(path)
        plan_file.save()
        backup = path.with_name(f"{path.name}.v{version}.bak")
        if path.read_text() != expected.read_text():
            problems.append(f"v{version}: output differs from {expected.name}")
        if not backup.exists() or backup.read_bytes() != old.read_bytes():
            problems.append(f"v{version}: no {backup.name}")
    future = work / "t11-future.toml"
    future.write_text(
        dumps_plan(sample_plan(9)).replace("schema_version = 1", "schema_version = 2")
    )
    before = future.read_bytes()
    plan_file = PlanFile.open(future)
    cases += 1
    if not plan_file.plan.read_only:
        problems.append("future schema not read-only")
    with contextlib.suppress(SaveError):
        plan_file.save()
        problems.append("future schema written")
    if future.read_bytes() != before:
        problems.append("future file changed")
    return Row(
        "T11",
        "migration of older schemas, a newer one read-only",
        f"{cases} fixtures",
        not problems and cases > 1,
        "; ".join(problems) or "migrated files match",
    )


# ------------------------------------------------------------------ T12: fresh processes

# A 300-day plan whose first 286 days are past (only a past day, or today, can be ticked);
# the race two weeks ahead leaves days a pain log re-plans while the others tick.
LONG_INJURY, LONG_RACE, LONG_TODAY = "2026-06-01", "2027-03-28", "2027-03-14"


def _planner(
    args: list[str], home: Path, today: str, timeout: float = 120.0
) -> tuple[subprocess.CompletedProcess, float]:
    """`planner ARGS` as a fresh process, as a runner types it: the result and its wall time.

    A run that outlives `timeout` is killed and reported as exit code -9 with "timed out".
    """
    env = dict(os.environ, PLANNER_HOME=str(home), PLANNER_TODAY=today)
    started = time.monotonic()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "planner", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as expired:
        out = expired.stdout or ""
        result = subprocess.CompletedProcess(
            expired.cmd,
            -9,
            out if isinstance(out, str) else out.decode(errors="replace"),
            f"timed out after {timeout:.0f} s",
        )
    return result, time.monotonic() - started


def _last_line(text: str) -> str:
    """The last line of a message (of a traceback, what was raised), for a one-line report."""
    lines = text.strip().splitlines()
    return lines[-1][:160] if lines else "no message"


def _new_plan(home: Path, name: str, injury: str, race: str, today: str) -> Path:
    """A plan made by `planner new`, the way a runner makes one; its path."""
    result, _ = _planner(["new", "--injury", injury, "--race", race, "--name", name], home, today)
    found = re.search(r"Saved to (.+)$", result.stdout, re.MULTILINE)
    if result.returncode != 0 or not found:
        raise RuntimeError(f"planner new failed: {_last_line(result.stderr or result.stdout)}")
    return Path(found.group(1).strip())


def _open_tasks(path: Path, before: date) -> list[tuple[date, str]]:
    """The tasks not yet done on the days before `before`, day by day."""
    plan = load_plan(path)
    return [(d.date, t.id) for d in plan.days if d.date < before for t in d.tasks if not t.done]


def _in_threads(jobs: list[Callable[[], None]]) -> None:
    threads = [threading.Thread(target=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _top_up(
    path: Path, home: Path, today: date, wanted: int, writers: int
) -> tuple[int, list[str]]:
    """Add tasks with `planner add` (by `writers` processes at once) until the past days hold
    `wanted` open tasks; returns how many were added, and the problems (a failed add, an
    acknowledged add missing from the file)."""
    open_now = _open_tasks(path, today)
    missing = wanted - len(open_now)
    if missing <= 0:
        return 0, []
    days = sorted({when for when, _ in open_now})
    added: list[tuple[date, str]] = []
    problems: list[str] = []

    def adder(first: int) -> None:
        for n in range(first, missing, writers):
            when = days[n % len(days)]
            result, _ = _planner(
                ["add", f"Extra {n}", str(path), "--date", when.isoformat()],
                home,
                today.isoformat(),
            )
            made = re.search(r"id (my-[0-9a-f]+)\)\. Saved\.", result.stdout)
            if result.returncode == 0 and made:
                added.append((when, made.group(1)))
            else:
                problems.append(
                    f"add on {when}: exit {result.returncode}, {_last_line(result.stderr)}"
                )

    _in_threads([lambda k=k: adder(k) for k in range(writers)])
    plan = load_plan(path)
    present = {(d.date, t.id) for d in plan.days for t in d.tasks}
    problems += [
        f"added {when} {task_id} missing"
        for when, task_id in added
        if (when, task_id) not in present
    ]
    return len(added), problems


T12_SCENARIO = "fresh `planner tick` processes at once on one plan, `planner pain` between"


@dataclass
class _Attempt:
    """One `planner` process of a writer: what it was asked and what it answered."""

    writer: int
    args: list[str]
    code: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def acknowledged(self) -> bool:
        # What a runner takes as saved: exit 0 and the word "Saved" printed.
        return self.code == 0 and "Saved" in self.stdout


def t12_fresh_processes(ticks: int, work: Path, writers: int = 4) -> Row:
    """`writers` threads, each running a fresh `planner tick` process per tick on its own
    tasks of one plan, one of them logging pain with `planner pain` in between.

    This is how two phones, a laptop and a cron job share a plan: whole processes that read
    the file, change it and save, each with nothing in memory from before. Every
    acknowledged tick (exit 0, "Saved") must be in the file at the end, and every
    acknowledged pain log must be the day's pain unless a later log of the same day
    replaced it.
    """
    folder = work / "t12"
    home = folder / "home"
    today = date.fromisoformat(LONG_TODAY)
    try:
        path = _new_plan(home, "Many writers", LONG_INJURY, LONG_RACE, LONG_TODAY)
    except RuntimeError as error:
        return Row("T12", T12_SCENARIO, f"{ticks} ticks x {writers}", False, str(error))
    added, problems = _top_up(path, home, today, writers * ticks, writers)
    tasks = _open_tasks(path, today)[: writers * ticks]
    shares = [tasks[k::writers] for k in range(writers)]  # disjoint, and in step by day
    days = sorted({when for when, _ in tasks})
    pain_days = days[:: max(1, len(days) // 4)][:4]  # few days, so logs replace each other
    pain_every = max(3, ticks // 60)  # about 60 pain logs at full count, 5 at CI's
    rng = random.Random(12)
    attempts: list[_Attempt] = []
    pains: list[tuple[date, int, str, _Attempt]] = []  # day, score, note, how it went

    def run(writer: int, args: list[str]) -> _Attempt:
        result, seconds = _planner(args, home, LONG_TODAY)
        attempt = _Attempt(writer, args, result.returncode, result.stdout, result.stderr, seconds)
        attempts.append(attempt)
        return attempt

    def writer_loop(writer: int) -> None:
        for n, (when, task_id) in enumerate(shares[writer], start=1):
            for _ in range(3):  # a runner whose tick failed tries again, in a new process
                args = ["tick", task_id, str(path), "--date", when.isoformat()]
                if run(writer, args).code == 0:
                    break
            if writer == 0 and n % pain_every == 0:
                day, score = rng.choice(pain_days), rng.randint(0, 10)
                note = f"log {len(pains)} of writer 0"
                args = ["pain", str(score), str(path), "--date", day.isoformat(), "--note", note]
                pains.append((day, score, note, run(writer, args)))

    started = time.monotonic()
    _in_threads([lambda k=k: writer_loop(k) for k in range(writers)])
    elapsed = time.monotonic() - started

    acked: dict[tuple[date, str], _Attempt] = {}
    for attempt in attempts:
        if attempt.args[0] == "tick" and attempt.acknowledged:
            acked[(date.fromisoformat(attempt.args[4]), attempt.args[1])] = attempt
    failed = [a for a in attempts if a.code != 0]
    late = [a for a in attempts if a.code == 0 and "Already done" in a.stdout]
    try:
        final = load_plan(path)
    except PlanError as error:
        return Row("T12", T12_SCENARIO, f"{ticks} ticks x {writers}", False, f"unreadable: {error}")
    done = {(d.date, t.id) for d in final.days for t in d.tasks if t.done}
    lost = sorted(set(acked) - done)
    found = len(acked) - len(lost)
    strangers = sorted(done - set(tasks))  # done, yet no writer ever ticked it
    for when, task_id in lost[:5]:
        a = acked[(when, task_id)]
        problems.append(f"lost {when} {task_id} (writer {a.writer}, {a.stdout.strip()!r})")
    problems += [f"done but never ticked: {when} {task_id}" for when, task_id in strangers[:5]]
    problems += [
        f"{' '.join(a.args[:2])}: exit {a.code}, {_last_line(a.stderr)}" for a in failed[:5]
    ]
    pain_acked = sum(a.acknowledged for *_, a in pains)
    for day in pain_days:
        logs = [(score, note, a) for when, score, note, a in pains if when == day]
        last = max((i for i, (*_, a) in enumerate(logs) if a.acknowledged), default=None)
        # The last acknowledged log stands, unless a later one (whose process failed after
        # saving, say) replaced it; with none acknowledged, the day may hold no pain yet.
        allowed = [(score, note) for score, note, _ in logs[last or 0 :]]
        if last is None:
            allowed.append((None, None))
        on_file = final.day(day)
        if (on_file.pain, on_file.note) not in allowed:
            problems.append(
                f"pain of {day}: the file has {on_file.pain} {on_file.note!r}, "
                f"expected one of {allowed}"
            )
    if store.leftovers(path):
        problems.append(f"left {[p.name for p in store.leftovers(path)]}")
    planned = writers * ticks
    crashed = sum("Traceback" in a.stderr for a in attempts)
    if crashed:
        problems.append(f"{crashed} runs ended in a traceback")
    passed = not problems and len(acked) == planned == len(tasks)
    slowest = max((a.seconds for a in attempts), default=0.0)
    return Row(
        "T12",
        T12_SCENARIO,
        f"{ticks} ticks x {writers}",
        passed,
        f"{len(acked)} acknowledged (of {planned}), {found} found in the file, "
        f"{len(lost)} lost; {pain_acked} of {len(pains)} pain logs acknowledged on "
        f"{len(pain_days)} days, each day's last one in the file: "
        f"{not any(p.startswith('pain of') for p in problems)}; {len(failed)} failed runs, "
        f"{len(late)} saved without an answer; {len(attempts)} processes in {elapsed:.0f} s, "
        f"slowest {slowest:.1f} s; {added} tasks added first by `planner add`"
        + (f"; {'; '.join(problems)}" if problems else ""),
    )


# ------------------------------------------------------------------ T17: signals in the TUI

SIGNALS = {
    "KILL": signal.SIGKILL,
    "TERM": signal.SIGTERM,
    "HUP": signal.SIGHUP,
    "INT": signal.SIGINT,
}
# Tick, move, tick: every tick saves the whole plan (about 450 KB here) at once.
TICK_KEYS = ["Space", "Down", "Space", "Down", "Space", "Up", "1", "2", "3"]
T17_SCENARIO = "kill -9, SIGTERM, SIGHUP, SIGINT to the TUI (tmux) while it ticks and saves"


def _plan_shown(screen: str) -> bool:
    return "[ ]" in screen or "[x]" in screen


@dataclass
class _Kill:
    """What one signal to the TUI left behind."""

    signal: str
    problem: str = ""  # why this round is a failure ('' when it is not)
    temp_at_signal: bool = False  # a save's temp file existed as the signal was sent
    temp_after: bool = False  # one was still there once the process had ended
    ending: str = ""  # how the process ended: "signal 9", "exit 0"...
    traceback: bool = False  # the terminal showed a traceback as it ended


def _kill_tui_once(path: Path, home: Path, name: str, rng: random.Random, mid_save: bool) -> _Kill:
    """Start `planner open`, type ticks quickly, send the signal, see how it ends."""
    from bench.tui_driver import has_traceback, planner_terminal

    kill = _Kill(name)
    with planner_terminal(path, home, LONG_TODAY) as term:
        if not term.wait_for(_plan_shown, timeout=60):
            kill.problem = f"the plan never showed: {term.screen().strip()[-200:]!r}"
            return kill
        try:
            pid = term.pid
        except LookupError as error:
            kill.problem = str(error)
            return kill
        cmdline = Path(f"/proc/{pid}/cmdline")
        if cmdline.exists() and b"planner" not in cmdline.read_bytes():
            kill.problem = f"pid {pid} is not planner: {cmdline.read_bytes()[:80]!r}"
            return kill
        stop = threading.Event()
        keys = random.Random(rng.random())

        def typist() -> None:
            while not stop.is_set():
                term.keys(*keys.choices(TICK_KEYS, k=3))
                time.sleep(keys.uniform(0.005, 0.05))

        typing = threading.Thread(target=typist)
        typing.start()
        try:
            if mid_save:  # the moment a save's temp file shows up in the folder
                deadline = time.monotonic() + 5
                while not store.leftovers(path) and time.monotonic() < deadline:
                    time.sleep(0.0005)
            else:
                time.sleep(rng.uniform(0.05, 1.5))
            kill.temp_at_signal = bool(store.leftovers(path))
            os.kill(pid, SIGNALS[name])
            ended = term.wait_dead(10)
        finally:
            stop.set()
            typing.join()
        if not ended:
            kill.problem = "still running 10 s after the signal"
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            term.wait_dead(5)
        kill.ending = term.ending()
        kill.traceback = has_traceback(term.screen())
    kill.temp_after = bool(store.leftovers(path))
    return kill


def _next_start(path: Path, home: Path, tui: bool) -> str:
    """Start the app again as a runner would after the crash; '' or what went wrong."""
    from bench.tui_driver import planner_terminal

    if not tui:
        result, _ = _planner(["show", str(path)], home, LONG_TODAY)
        return "" if result.returncode == 0 else f"`planner show` exit {result.returncode}"
    with planner_terminal(path, home, LONG_TODAY) as term:
        if not term.wait_for(_plan_shown, timeout=60):
            return f"the next TUI never showed the plan: {term.screen().strip()[-200:]!r}"
        term.keys("q")
        if not term.wait_dead(10):
            return "the next TUI didn't quit on q"
    return ""


def t17_signals(per_signal: int, work: Path) -> Row:
    """Each signal sent `per_signal` times to the real TUI (`planner open` in tmux) while
    keys tick and untick tasks as fast as they come, each save writing the whole plan.

    After each: the plan must parse, and once the app has started again (`planner show`
    or the TUI, in turn) no temp file of the plan may be left beside it. Odd rounds send
    the signal the moment a save's temp file appears, so some signals surely land
    mid-save; even rounds at a random moment. Tracebacks on screen are counted, not failed:
    they lose no data.
    """
    folder = work / "t17"
    home = folder / "home"
    count = f"{per_signal} per signal"
    if shutil.which("tmux") is None:
        return Row("T17", T17_SCENARIO, count, True, "", skipped="tmux is not installed")
    try:
        path = _new_plan(home, "Signals", LONG_INJURY, LONG_RACE, LONG_TODAY)
    except RuntimeError as error:
        return Row("T17", T17_SCENARIO, count, False, str(error))
    rng = random.Random(17)
    kills: list[_Kill] = []
    problems: list[str] = []
    rounds = [(r, index, name) for r in range(per_signal) for index, name in enumerate(SIGNALS)]
    for round_, index, name in rounds:
        kill = _kill_tui_once(path, home, name, rng, mid_save=round_ % 2 == 1)
        kills.append(kill)
        if kill.problem:
            problems.append(f"{name} #{round_ + 1}: {kill.problem}")
            continue
        try:
            load_plan(path)
        except PlanError as error:
            problems.append(f"{name} #{round_ + 1}: unparseable: {error}")
            break  # the rounds after would only start from a damaged file
        trouble = _next_start(path, home, tui=(round_ + index) % 2 == 1)
        left = [p.name for p in store.leftovers(path)]
        if trouble or left:
            problems.append(
                f"{name} #{round_ + 1}: {trouble or 'next start'}"
                + (f", left {left}" if left else "")
            )
            for leftover in store.leftovers(path):  # so the next round starts clean
                leftover.unlink()
    per = []
    for name in SIGNALS:
        mine = [k for k in kills if k.signal == name]
        endings = sorted({k.ending for k in mine if k.ending})
        per.append(
            f"{name} {len(mine)} ({sum(k.temp_at_signal for k in mine)} mid-save, "
            f"{sum(k.temp_after for k in mine)} left a temp, "
            f"{sum(k.traceback for k in mine)} tracebacks; {', '.join(endings)})"
        )
    return Row(
        "T17",
        T17_SCENARIO,
        count,
        not problems and len(kills) == per_signal * len(SIGNALS),
        "; ".join(per)
        + ("; " + "; ".join(problems) if problems else "; plan parsed, no temp after restart"),
    )


# ------------------------------------------------------------------ T18: hostile values

HOSTILE_TODAY = "2026-11-05"
HUGE = "9" * 5000  # an integer of 5,000 digits: a paste gone wrong, or a probe
EDGES = {"0001-01-01": "00:00:00", "9999-12-31": "23:59:59"}
# A value as a person could write or paste it into the file: (key, TOML value, where),
# where "head" is the [plan] table and "today" is the day the commands act on.
HOSTILE_VALUES: dict[str, tuple[str, str, str]] = {
    "pain = 5,000 digits": ("pain", HUGE, "today"),
    "grade = 5,000 digits": ("grade", HUGE, "head"),
    "minutes = 5,000 digits": ("minutes", HUGE, "today"),
    "revision = 5,000 digits": ("revision", HUGE, "head"),
    **{
        f"{label} = {day}": (key, f"{day} {clock}+00:00" if timed else day, where)
        for day, clock in EDGES.items()
        for label, key, where, timed in (
            ("race_date", "race_date", "head", False),
            ("injury_date", "injury_date", "head", False),
            ("created", "created", "head", True),
            ("a day's date", "date", "today", False),
            ("done_at", "done_at", "today", True),
        )
    },
    "id = BEL": ("id", '"\\u0007"', "today"),
    "title = U+202E only": ("title", '"\u202e\u202e\u202e"', "today"),
    "name with a newline": ("name", '"Line one\\nline two"', "head"),
}
HOSTILE_COMMANDS: dict[str, list[str]] = {  # PLAN stands for the file's path
    "show": ["show", "PLAN"],
    "tick 1": ["tick", "1", "PLAN"],
    "pain 3": ["pain", "3", "PLAN"],
    "gate": ["gate", "PLAN", "--raises", "30", "--hops", "10", "--walk", "30"],
    "decide": ["decide", "PLAN"],
    "add X": ["add", "X", "PLAN"],
    "skip 1": ["skip", "1", "PLAN", "--reason", "travel"],
    "stats": ["stats", "PLAN"],
    "export ics": ["export", "PLAN", "--format", "ics"],
    "export md": ["export", "PLAN", "--format", "md"],
    "list": ["list"],
}
# The files the TUI opens at the CI count: one of each kind (number, date, id, text).
QUICK_TUI = ("pain = 5,000 digits", "a day's date = 9999-12-31", "id = BEL", "title = U+202E only")
# What must never reach a terminal from a file: C0 controls (but tab, newline and the
# carriage return of .ics lines), DEL, C1 controls, bidi embeddings, overrides, isolates.
TERMINAL_HOSTILE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
T18_SCENARIO = (
    "hostile values in a plan file (5,000-digit integers, years 1 and 9999, a BEL id, a "
    "U+202E title, a newline in the name) against every command and the TUI"
)


def _hostile_base(folder: Path) -> bytes:
    """A plan made and used through the CLI: task 2 of today ticked, pain logged with a
    note, so that today's day has every key the hostile values go into."""
    home = folder / "home"
    path = folder / "base.toml"
    steps = [
        ["new", "--injury", "2026-11-01", "--race", "2026-11-29", "--side", "left",
         "--name", "Hostile", "--out", str(path)],
        ["tick", "2", str(path)],
        ["pain", "2", str(path), "--note", "ok"],
    ]  # fmt: skip
    for args in steps:
        result, _ = _planner(args, home, HOSTILE_TODAY)
        if result.returncode != 0:
            raise RuntimeError(f"planner {args[0]}: {_last_line(result.stderr)}")
    return path.read_bytes()


def hostile_value_files(base: bytes) -> dict[str, bytes]:
    """Each hostile value written into its own copy of `base`, by name."""
    text = base.decode("utf-8")
    start = text.index(f"\n[[days]]\ndate = {HOSTILE_TODAY}\n")
    end = text.find("\n[[days]]\n", start + 1)
    regions = {"head": (0, text.index("\n[[days]]\n")), "today": (start, end)}
    files = {}
    for name, (key, value, where) in HOSTILE_VALUES.items():
        low, high = regions[where]
        line = re.compile(rf"^{key} = .*$", re.MULTILINE).search(text, low, high)
        if line is None:
            raise ValueError(f"{name}: no {key} in the {where} of the base plan")
        files[name] = (text[: line.start()] + f"{key} = {value}" + text[line.end() :]).encode()
    return files


def _check_command(path: Path, home: Path, command: str) -> tuple[list[str], float, int]:
    """Run one command on a hostile file; its problems, wall time and exit code."""
    before = path.read_bytes()
    args = [str(path) if arg == "PLAN" else arg for arg in HOSTILE_COMMANDS[command]]
    result, seconds = _planner(args, home, HOSTILE_TODAY, timeout=30)
    problems = []
    if "Traceback" in result.stderr + result.stdout:
        problems.append(f"traceback ({_last_line(result.stderr)})")
    if result.returncode not in (0, 1, 2):
        problems.append(f"exit {result.returncode}")
    if seconds > 2.0:
        problems.append(f"{seconds:.1f} s")
    message = result.stderr.strip()
    if result.returncode == 1 and (
        "\n" in message or not message.removeprefix("planner: ").startswith(str(path))
    ):
        problems.append(f"exit 1 with {message[:120]!r}")
    shown = TERMINAL_HOSTILE.findall(result.stdout + result.stderr)
    if shown:
        problems.append(f"printed {sorted(set(shown))!r}")
    after = path.read_bytes()
    if result.returncode != 0 and after != before:
        problems.append(f"exit {result.returncode} but the file changed")
    if after != before:
        try:
            load_plan(path)
        except PlanError as error:
            problems.append(f"wrote a file it can't read back ({error})")
    return problems, seconds, result.returncode


def _check_tui(path: Path, home: Path) -> list[str]:
    """`planner open FILE` for 2 s in a real terminal: still running, no traceback; then q."""
    from bench.tui_driver import has_traceback, planner_terminal

    with planner_terminal(path, home, HOSTILE_TODAY) as term:
        if not term.wait_for(lambda screen: screen.strip() != "", timeout=30):
            return ["TUI: nothing on screen after 30 s"]
        time.sleep(2.0)
        screen = term.screen()
        problems = []
        if has_traceback(screen):
            lines = [line.strip() for line in screen.splitlines() if line.strip()]
            problems.append(f"TUI: traceback on screen ({lines[-2][:100] if lines else ''})")
        elif not term.alive():
            problems.append(f"TUI: ended ({term.ending()}) within 2 s")
        term.keys("q")
        if term.alive() and not term.wait_dead(5):
            problems.append("TUI: still running 5 s after q")
    return problems


def t18_hostile_values(work: Path, per_file: int | None = None) -> Row:
    """Each hostile value against each command (as its own process) and the TUI.

    No traceback, an exit code of 0, 1 or 2, each run within 2 s; an exit 1 says, on one
    line, which file; a failed command leaves the file as it was, and a file a command did
    write reads back. The TUI stays up (plan or load-error screen) and shows no traceback.
    `per_file` (CI): only `show` and per_file - 1 other commands per file, in turn over all
    eleven, and the TUI on one file of each kind.
    """
    folder = work / "t18"
    folder.mkdir()
    try:
        files = hostile_value_files(_hostile_base(folder))
    except (RuntimeError, ValueError) as error:
        return Row("T18", T18_SCENARIO, "0", False, str(error))
    commands = list(HOSTILE_COMMANDS)
    failing: dict[str, list[str]] = {}
    worst, worst_run = 0.0, ""
    runs = tui_runs = 0
    codes: dict[int, int] = {}
    for number, (name, data) in enumerate(files.items()):
        chosen = commands
        if per_file is not None:
            others = commands[1:]
            chosen = ["show"] + [
                others[(number * (per_file - 1) + k) % len(others)] for k in range(per_file - 1)
            ]
        for command in chosen:
            home = folder / f"f{number}-{commands.index(command)}"
            path = home / "plans" / "hostile.toml"
            path.parent.mkdir(parents=True)
            path.write_bytes(data)
            problems, seconds, code = _check_command(path, home, command)
            runs += 1
            codes[code] = codes.get(code, 0) + 1
            if seconds > worst:
                worst, worst_run = seconds, f"{command} on {name}"
            if problems:
                failing.setdefault(name, []).append(f"{command}: {', '.join(problems)}")
        if (per_file is None or name in QUICK_TUI) and shutil.which("tmux"):
            home = folder / f"f{number}-tui"
            path = home / "plans" / "hostile.toml"
            path.parent.mkdir(parents=True)
            path.write_bytes(data)
            tui_runs += 1
            for problem in _check_tui(path, home):
                failing.setdefault(name, []).append(problem)
    exits = ", ".join(f"exit {code}: {n}" for code, n in sorted(codes.items()))
    detail = (
        f"{runs} command runs on {len(files)} files ({exits}), {tui_runs} TUI starts; "
        f"worst {worst:.2f} s ({worst_run})"
    )
    if failing:
        detail += "; failing: " + "; ".join(
            f"[{name}] {' / '.join(problems)}" for name, problems in failing.items()
        )
    count = f"{len(files)} files x {'all' if per_file is None else per_file} commands + TUI"
    if not failing and not tui_runs:  # the commands passed, but half the row didn't run
        return Row("T18", T18_SCENARIO, count, True, detail, skipped="tmux is not installed")
    return Row("T18", T18_SCENARIO, count, not failing, detail)


# ------------------------------------------------------------------ the run


def run_all(counts: dict, work: Path, only: set[str] | None = None) -> list[Row]:
    """Every scenario at the given counts, in a scratch folder."""
    scenarios: list[tuple[str, Callable[[], Row | list[Row]]]] = [
        ("T1", lambda: t1_kill(counts["T1"], work)),
        ("T2", lambda: t2_fault_steps(work)),
        ("T3", lambda: [t3_full_disk(work), t3_read_only(work)]),
        ("T4", lambda: t4_round_trip(counts["T4"])),
        ("T5", lambda: t5_stateful(*counts["T5"])),
        ("T6", lambda: t6_two_processes(counts["T6"], work)),
        ("T7", lambda: t7_hostile(work)),
        ("T8", lambda: t8_fuzz(counts["T8"])),
        ("T9", lambda: t9_markup(work)),
        ("T10", lambda: t10_names(work)),
        ("T11", lambda: t11_migration(work)),
        ("T12", lambda: t12_fresh_processes(counts["T12"], work)),
        ("T17", lambda: t17_signals(counts["T17"], work)),
        ("T18", lambda: t18_hostile_values(work, counts["T18"])),
    ]
    rows: list[Row] = []
    for name, scenario in scenarios:
        if only and name not in only:
            continue
        started = time.monotonic()
        result = scenario()
        for row in result if isinstance(result, list) else [result]:
            row.detail += f" ({time.monotonic() - started:.1f} s)"
            rows.append(row)
            print(f"{row.id}: {row.verdict} - {row.detail}", file=sys.stderr, flush=True)
    return rows


def table(rows: list[Row]) -> str:
    """The results as a Markdown table."""
    lines = ["| # | scenario | count | result | detail |", "| --- | --- | --- | --- | --- |"]
    for row in rows:
        detail = row.detail.replace("|", "/")
        lines.append(f"| {row.id} | {row.scenario} | {row.count} | {row.verdict} | {detail} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the reduced CI counts")
    parser.add_argument("--only", nargs="*", metavar="T", help="run only these, e.g. T2 T7")
    args = parser.parse_args(argv)
    counts = QUICK if args.quick else FULL
    with tempfile.TemporaryDirectory(prefix="planner-torture-") as scratch:
        rows = run_all(counts, Path(scratch), set(args.only) if args.only else None)
    print(table(rows))
    return 0 if all(row.passed for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
