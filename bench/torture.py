"""Every way we can think of to lose a runner's data, tried on purpose.

    python bench/torture.py            full counts (minutes), prints the results table
    python bench/torture.py --quick    the reduced counts the test suite runs

Exits non-zero if any scenario lost data or misbehaved. A scenario that needs a privilege
this machine doesn't give (mounting a tmpfs, a read-only bind mount) says so in the table
instead of passing. `tests/test_torture.py` runs the same functions at CI counts.

T12-T18 run the app the way people do: every command a fresh `planner` process, the TUI
as `planner open` in a real terminal (tmux, see bench/tui_driver.py; without tmux, T16-T18
say skipped) or, where a process of its own is enough, built by `make_app` in a separate
process and driven by keys through Pilot (bench/tui_worker.py: T13-T15). A row that goes
through a different code path than users take proves nothing: T6 (writers that keep the
plan in memory and retry) passed while separate `planner tick` processes lost ticks.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import os
import queue
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
from planner.ops import AddTask, SetDone  # noqa: E402
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
    "T13": (300, 300),
    "T14": 200,
    "T15": 50,
    "T16": 10,
    "T17": 50,
    "T18": None,
}
QUICK = {
    "T1": 50,
    "T4": 200,
    "T5": (25, 20),
    "T6": 100,
    "T8": 2000,
    "T12": 15,
    "T13": (20, 20),
    "T14": 15,
    "T15": 3,
    "T16": 2,
    "T17": 2,
    "T18": 2,
}


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
            os, "fdopen", lambda *a, **k: _FaultyFile(real_fdopen(*a, **k), step, error)
        )
    elif step == "fsync":
        patcher = mock.patch.object(os, "fsync", side_effect=error)
    elif step == "replace":

        def replace(src, dst, *args, **kwargs):
            if Path(dst) == target and str(src).endswith(".tmp") and ".old." not in str(src):
                raise error
            return real_replace(src, dst, *args, **kwargs)

        patcher = mock.patch.object(os, "replace", replace)
    elif step == "dir-fsync":
        patcher = mock.patch.object(store.files, "_fsync_dir", side_effect=error)
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
            screen = app.screen
            kept = screen.session.plan.day(today).tasks[0].done
            if not screen.banner_shown("save-banner"):  # mounted the first time it shows
                return False, "no save banner"
            return kept, str(screen.query_one("#save-banner").render())[:80]

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
    os.chmod(real, 0o750)  # the runner's own choice for a folder kept elsewhere
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
    if stat.S_IMODE(real.stat().st_mode) != 0o750:  # a mode change never follows a link
        problems.append(f"the linked folder's mode changed to {oct(real.stat().st_mode)}")
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


def _pain_problems(
    final: Plan, pain_days: list[date], pains: list[tuple[date, int, str, _Attempt]]
) -> list[str]:
    """Each day's pain in the file must be its last acknowledged log, or a later one."""
    problems = []
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
    return problems


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
    problems += _pain_problems(final, pain_days, pains)
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


# ------------------------------------------------------------------ T13-T15: the TUI beside others

WORKER = Path(__file__).with_name("tui_worker.py")
# Rows T13-T16 make a plan with today two weeks before the race and the injury as far back
# as the row needs past days (about five tasks each) to tick: a small file, a fast save.
NEAR_TODAY = date(2027, 3, 14)


class _Tui:
    """The TUI in a process of its own (bench/tui_worker.py): a command in, an answer out.

    The worker presses the keys a runner would and answers "ACK ..." only once the change
    is on screen and saved; its stderr is kept, to find a traceback.
    """

    def __init__(self, path: Path, home: Path, today: date = NEAR_TODAY) -> None:
        env = dict(os.environ, PLANNER_HOME=str(home), PLANNER_TODAY=today.isoformat())
        self.process = subprocess.Popen(
            [sys.executable, str(WORKER), str(path), str(home), today.isoformat()],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.answers: queue.Queue[str] = queue.Queue()
        self.errors: list[str] = []
        self.readers = [
            threading.Thread(target=self._read, daemon=True),
            threading.Thread(target=lambda: self.errors.extend(self.process.stderr), daemon=True),
        ]
        for reader in self.readers:
            reader.start()
        self.started = self._answer(120) == "READY"

    def _read(self) -> None:
        for line in self.process.stdout:
            self.answers.put(line.rstrip("\n"))
        self.answers.put("")  # the worker's output ended

    def _answer(self, timeout: float) -> str:
        try:
            return self.answers.get(timeout=timeout) or "DEAD (the worker ended)"
        except queue.Empty:
            # Its late answer would pass for the next command's: end the worker instead.
            self.process.kill()
            return f"FAIL no answer in {timeout:.0f} s (the worker was ended)"

    def ask(self, command: str, timeout: float = 90.0) -> str:
        """Send one command; its answer (see bench/tui_worker.py)."""
        if self.process.poll() is not None:
            return f"DEAD (exit {self.process.returncode})"
        try:
            self.process.stdin.write(command + "\n")
            self.process.stdin.flush()
        except OSError:
            return "DEAD (its input is closed)"
        return self._answer(timeout)

    def close(self) -> str:
        """Quit with q as a runner does; '' or what went wrong (a traceback, say)."""
        problems = []
        if self.process.poll() is None:
            answer = self.ask("quit", 30)
            if answer != "OK quit":
                problems.append(f"q: {answer}")
        try:
            code = self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
            problems.append("still running 30 s after q")
        for reader in self.readers:
            reader.join(timeout=10)
        with contextlib.suppress(OSError):
            self.process.stdin.close()
        errors = "".join(self.errors)
        if "Traceback" in errors:
            problems.append(f"traceback: {_last_line(errors)}")
        elif code != 0:
            problems.append(f"exit {code}: {_last_line(errors)}")
        return "; ".join(problems)

    @property
    def traceback(self) -> str:
        """The last line of a traceback the worker printed so far ('' if none)."""
        errors = "".join(self.errors)
        return _last_line(errors) if "Traceback" in errors else ""


def _near_plan(home: Path, name: str, tasks: int, days: int = 0) -> Path:
    """A plan made by `planner new` with at least about `tasks` open tasks before today
    (and at least `days` days before it)."""
    injury = NEAR_TODAY - timedelta(days=max(days, tasks // 4 + 4))
    race = NEAR_TODAY + timedelta(days=14)
    return _new_plan(home, name, injury.isoformat(), race.isoformat(), NEAR_TODAY.isoformat())


def _tickable(path: Path, home: Path, wanted: int) -> tuple[list[tuple[date, str]], list[str]]:
    """`wanted` open tasks of the days before today, nearest day first; tasks are added
    with `planner add` if the plan has too few. Returns them and any problems.

    The run gate is left out: in the TUI, ticking it opens the gate dialog instead.
    """
    problems: list[str] = []

    def open_tasks() -> list[tuple[date, str]]:
        return [task for task in _open_tasks(path, NEAR_TODAY) if task[1] != "gate"]

    tasks = open_tasks()
    if len(tasks) < wanted:
        _, problems = _top_up(path, home, NEAR_TODAY, wanted, 2)
        tasks = open_tasks()
    # sorted() is stable: a day's tasks keep their order, the days go from yesterday back.
    return sorted(tasks, key=lambda task: task[0], reverse=True)[:wanted], problems


def _tui_share(tasks: list[tuple[date, str]], mine: int) -> tuple[list, list]:
    """Split `tasks` into `mine` for a TUI and the rest, spread evenly over the days."""
    ours: list[tuple[date, str]] = []
    rest: list[tuple[date, str]] = []
    for index, task in enumerate(tasks):
        due = (index + 1) * mine // len(tasks) > len(ours)  # evenly, like Bresenham's line
        (ours if due else rest).append(task)
    return ours, rest


def _tui_changes(tasks: list[tuple[date, str]], count: int) -> list[tuple[date, str, bool]]:
    """`count` changes for a TUI: ticks of `tasks` in order, every fifth change the untick
    of a task it ticked a moment before (a runner who ticked the wrong row)."""
    changes: list[tuple[date, str, bool]] = []
    ticked: list[tuple[date, str]] = []
    todo = iter(tasks)
    while len(changes) < count:
        if len(changes) % 5 == 4 and len(ticked) >= 2:
            changes.append((*ticked.pop(-2), False))
            continue
        task = next(todo, None)
        if task is None:
            break
        ticked.append(task)
        changes.append((*task, True))
    return changes


def _needed(changes: int) -> int:
    """How many tasks `_tui_changes` ticks to make `changes` changes."""
    return changes - changes // 5


def _run_changes(
    tui: _Tui, changes: list[tuple[date, str, bool]], answers: list[tuple[tuple, str]]
) -> None:
    """Send a TUI its changes one by one, keeping each answer."""
    for when, task_id, wanted in changes:
        answer = tui.ask(f"set {when} {task_id} {int(wanted)}")
        answers.append(((when, task_id, wanted), answer))
        if answer.startswith("DEAD"):
            return


def _tui_outcome(
    answers: list[tuple[tuple, str]], done: set[tuple[date, str]]
) -> tuple[int, int, list[str], list[str]]:
    """What a TUI's answers and the file say: how many changes it acknowledged, on how many
    tasks; the tasks whose last acknowledged change the file lost; the answers that were
    not acknowledgements."""
    expected: dict[tuple[date, str], bool] = {}
    refused = []
    for (when, task_id, wanted), answer in answers:
        if answer.startswith("ACK"):
            expected[(when, task_id)] = wanted
        else:
            refused.append(f"{'tick' if wanted else 'untick'} {when} {task_id}: {answer}")
    lost = [
        f"{'tick' if wanted else 'untick'} of {when} {task_id}"
        for (when, task_id), wanted in sorted(expected.items())
        if ((when, task_id) in done) != wanted
    ]
    acked = sum(answer.startswith("ACK") for _, answer in answers)
    return acked, len(expected), lost, refused


# At least 150 days before today (a file of about 220 KB) whatever the count: each process
# then takes longer to read, change and write the plan, so a lost update has a window to
# happen in at CI counts too. Before the store compared bytes under the lock (b17bb2e,
# aa053be), 20 + 20 changes lost ticks in 14 runs of 14 with it, in about half without.
T13_DAYS = 150
T13_SCENARIO = (
    "the TUI ticks and unticks while `planner tick` and `planner pain` processes (2 threads) "
    "change the same plan"
)


def t13_tui_beside_cli(counts: tuple[int, int], work: Path) -> Row:
    """A TUI (its own process, keys through Pilot) ticks and unticks its tasks while two
    threads run `planner tick` on other tasks of the same days and `planner pain` on some
    of those days. Every acknowledged change of either side must be in the file at the end
    (an acknowledged untick: not done), each day's pain its last acknowledged log (or a
    later one), and the TUI must quit cleanly."""
    tui_count, cli_count = counts
    count = f"{tui_count} TUI changes + {cli_count} CLI ticks"
    folder = work / "t13"
    home = folder / "home"
    try:
        path = _near_plan(home, "TUI and CLI", _needed(tui_count) + cli_count, T13_DAYS)
    except RuntimeError as error:
        return Row("T13", T13_SCENARIO, count, False, str(error))
    tasks, problems = _tickable(path, home, _needed(tui_count) + cli_count)
    mine, theirs = _tui_share(tasks, _needed(tui_count))
    changes = _tui_changes(mine, tui_count)
    shares = [theirs[0::2], theirs[1::2]]
    days = sorted({when for when, _ in theirs}, reverse=True)
    pain_days = days[:: max(1, len(days) // 3)][:3]  # few days, so logs replace each other
    pain_every = max(2, len(shares[0]) // 20)  # about 20 pain logs at full count
    rng = random.Random(13)
    attempts: list[_Attempt] = []
    pains: list[tuple[date, int, str, _Attempt]] = []

    def run(writer: int, args: list[str]) -> _Attempt:
        result, seconds = _planner(args, home, NEAR_TODAY.isoformat())
        attempt = _Attempt(writer, args, result.returncode, result.stdout, result.stderr, seconds)
        attempts.append(attempt)
        return attempt

    def cli_loop(writer: int) -> None:
        for n, (when, task_id) in enumerate(shares[writer], start=1):
            for _ in range(3):  # a runner whose tick failed tries again, in a new process
                if run(writer, ["tick", task_id, str(path), "--date", when.isoformat()]).code == 0:
                    break
            if writer == 0 and n % pain_every == 0:
                day, score = rng.choice(pain_days), rng.randint(0, 10)
                note = f"log {len(pains)} of the CLI"
                args = ["pain", str(score), str(path), "--date", day.isoformat(), "--note", note]
                pains.append((day, score, note, run(writer, args)))

    tui = _Tui(path, home)
    if not tui.started:
        return Row("T13", T13_SCENARIO, count, False, f"the TUI didn't start: {tui.close()}")
    answers: list[tuple[tuple, str]] = []
    started = time.monotonic()
    _in_threads(
        [lambda: _run_changes(tui, changes, answers)]
        + [lambda k=k: cli_loop(k) for k in range(len(shares))]
    )
    elapsed = time.monotonic() - started
    quit_problem = tui.close()
    try:
        final = load_plan(path)
    except PlanError as error:
        return Row("T13", T13_SCENARIO, count, False, f"unreadable: {error}")
    done = {(d.date, t.id) for d in final.days for t in d.tasks if t.done}
    tui_acked, tui_tasks, tui_lost, refused = _tui_outcome(answers, done)
    cli_acked = {
        (date.fromisoformat(a.args[4]), a.args[1])
        for a in attempts
        if a.args[0] == "tick" and a.acknowledged
    }
    cli_lost = sorted(cli_acked - done)
    strangers = sorted(done - cli_acked - {(w, t) for w, t, wanted in changes if wanted})
    failed = [a for a in attempts if a.code != 0]
    problems += [f"TUI lost the {lost}" for lost in tui_lost[:5]]
    problems += [f"TUI {answer}" for answer in refused[:5]]
    problems += [f"CLI lost the tick of {when} {task_id}" for when, task_id in cli_lost[:5]]
    problems += [f"done but never ticked: {when} {task_id}" for when, task_id in strangers[:5]]
    problems += [
        f"{' '.join(a.args[:2])}: exit {a.code}, {_last_line(a.stderr)}" for a in failed[:5]
    ]
    problems += _pain_problems(final, pain_days, pains)
    if quit_problem:
        problems.append(f"TUI: {quit_problem}")
    if store.leftovers(path):
        problems.append(f"left {[p.name for p in store.leftovers(path)]}")
    unticks = sum(not wanted for *_, wanted in changes)
    passed = (
        not problems
        and tui_acked == len(changes) == tui_count
        and len(cli_acked) == cli_count == len(theirs)
    )
    return Row(
        "T13",
        T13_SCENARIO,
        count,
        passed,
        f"TUI: {tui_acked} of {len(changes)} changes acknowledged ({len(changes) - unticks} "
        f"ticks, {unticks} unticks); of the {tui_tasks} tasks it changed, "
        f"{tui_tasks - len(tui_lost)} as last acknowledged in the file, {len(tui_lost)} lost; "
        f"CLI: {len(cli_acked)} of {len(theirs)} ticks acknowledged, "
        f"{len(cli_acked) - len(cli_lost)} in the file, {len(cli_lost)} lost; "
        f"{sum(a.acknowledged for *_, a in pains)} of {len(pains)} pain logs acknowledged on "
        f"{len(pain_days)} days, each day's last one in the file: "
        f"{not any(p.startswith('pain of') for p in problems)}; {len(failed)} failed runs; "
        f"TUI quit cleanly: {not quit_problem}; {len(attempts)} processes beside the TUI in "
        f"{elapsed:.0f} s" + (f"; {'; '.join(problems)}" if problems else ""),
    )


T14_SCENARIO = (
    "two TUIs (two processes) on one plan tick and untick different tasks of the same days"
)


def t14_two_tuis(changes_each: int, work: Path) -> Row:
    """Two TUI processes, each ticking (and now and then unticking) its own tasks, the
    two sets interleaved on the same days, each saving as the other writes the file.
    Every acknowledged change of both must be in the file at the end."""
    count = f"{changes_each} changes each"
    folder = work / "t14"
    home = folder / "home"
    try:
        path = _near_plan(home, "Two screens", 2 * _needed(changes_each))
    except RuntimeError as error:
        return Row("T14", T14_SCENARIO, count, False, str(error))
    tasks, problems = _tickable(path, home, 2 * _needed(changes_each))
    plans = [_tui_changes(tasks[k::2], changes_each) for k in range(2)]
    tuis: list[_Tui] = []
    _in_threads([lambda: tuis.append(_Tui(path, home)) for _ in range(2)])
    if not all(tui.started for tui in tuis):
        return Row(
            "T14", T14_SCENARIO, count, False, f"a TUI didn't start: {[t.close() for t in tuis]}"
        )
    answers: list[list[tuple[tuple, str]]] = [[], []]
    started = time.monotonic()
    _in_threads([lambda k=k: _run_changes(tuis[k], plans[k], answers[k]) for k in range(2)])
    elapsed = time.monotonic() - started
    quit_problems = [tui.close() for tui in tuis]
    try:
        final = load_plan(path)
    except PlanError as error:
        return Row("T14", T14_SCENARIO, count, False, f"unreadable: {error}")
    done = {(d.date, t.id) for d in final.days for t in d.tasks if t.done}
    parts = []
    total_acked = total_tasks = total_lost = 0
    for k in range(2):
        acked, tasks_changed, lost, refused = _tui_outcome(answers[k], done)
        total_acked += acked
        total_tasks += tasks_changed
        total_lost += len(lost)
        parts.append(f"TUI {k + 1}: {acked} of {len(plans[k])} acknowledged, {len(lost)} lost")
        problems += [f"TUI {k + 1} lost the {item}" for item in lost[:5]]
        problems += [f"TUI {k + 1} {item}" for item in refused[:5]]
        if quit_problems[k]:
            problems.append(f"TUI {k + 1}: {quit_problems[k]}")
    ticked = {(w, t) for changes in plans for w, t, wanted in changes if wanted}
    strangers = sorted(done - ticked)
    problems += [f"done but never ticked: {when} {task_id}" for when, task_id in strangers[:5]]
    if store.leftovers(path):
        problems.append(f"left {[p.name for p in store.leftovers(path)]}")
    planned = sum(len(changes) for changes in plans)
    unticks = sum(not wanted for changes in plans for *_, wanted in changes)
    passed = not problems and total_acked == planned == 2 * changes_each
    return Row(
        "T14",
        T14_SCENARIO,
        count,
        passed,
        f"{total_acked} of {planned} changes acknowledged ({planned - unticks} ticks, "
        f"{unticks} unticks); of the {total_tasks} tasks changed, {total_tasks - total_lost} "
        f"as last acknowledged in the file, {total_lost} lost ({'; '.join(parts)}); "
        f"both quit cleanly: {not any(quit_problems)}; {elapsed:.0f} s of ticking"
        + (f"; {'; '.join(problems)}" if problems else ""),
    )


T15_SCENARIO = (
    "undo in the TUI after another program changed the same thing: (a) a later pain log of "
    "the day, (b) a tick of another task, (c) a task reusing the id of one we deleted"
)


def _undo_pain_case(tui: _Tui, path: Path, home: Path, k: int) -> str:
    """(a) The TUI logs pain, `planner pain` logs another score for the day, u: refused,
    the file keeps the other's log."""
    day = NEAR_TODAY - timedelta(days=1 + k % 3)
    mine = k % 11
    theirs = (mine + 1 + k % 10) % 11  # never the TUI's score
    note = f"cli {k}"
    answer = tui.ask(f"pain {day} {mine}")
    if not answer.startswith("ACK"):
        return f"TUI pain: {answer}"
    result, _ = _planner(
        ["pain", str(theirs), str(path), "--date", day.isoformat(), "--note", note],
        home,
        NEAR_TODAY.isoformat(),
    )
    if result.returncode != 0 or "Saved" not in result.stdout:
        return f"`planner pain`: exit {result.returncode}, {_last_line(result.stderr)}"
    answer = tui.ask(f"see {day} pain {theirs}")
    if not answer.startswith("OK"):
        return answer
    answer = tui.ask("undo")
    day_now = load_plan(path).day(day)
    if (day_now.pain, day_now.note) != (theirs, note):
        return f"u: {answer}; the file has pain {day_now.pain} {day_now.note!r}, not {theirs}"
    if not answer.startswith("REFUSED") or "was not undone" not in answer:
        return f"u: {answer}"
    return ""


def _undo_tick_case(tui: _Tui, path: Path, home: Path, k: int) -> str:
    """(b) The TUI ticks A, `planner tick` ticks B of the same day, u: A unticked, B kept.
    Even cases wait for the TUI to show B first; odd ones press u at once (before the
    TUI's poll has seen B: the undo's save merges)."""
    plan = load_plan(path)
    day = next((d for d in reversed(plan.days) if d.date < NEAR_TODAY and _two_open(d)), None)
    if day is None:
        return "no day with two open tasks left"
    a, b = [t.id for t in day.tasks if not t.done and t.id != "gate"][:2]
    answer = tui.ask(f"set {day.date} {a} 1")
    if not answer.startswith("ACK"):
        return f"TUI tick: {answer}"
    result, _ = _planner(
        ["tick", b, str(path), "--date", day.date.isoformat()], home, NEAR_TODAY.isoformat()
    )
    if result.returncode != 0 or "Saved" not in result.stdout:
        return f"`planner tick`: exit {result.returncode}, {_last_line(result.stderr)}"
    if k % 2 == 0:
        answer = tui.ask(f"see {day.date} done {b}")
        if not answer.startswith("OK"):
            return answer
    answer = tui.ask("undo")
    after = load_plan(path).day(day.date)
    if after.task(a).done or not after.task(b).done:
        return (
            f"u: {answer}; the file has {a} {'done' if after.task(a).done else 'open'}, "
            f"{b} {'done' if after.task(b).done else 'open'}"
        )
    if not answer.startswith("UNDONE"):
        return f"u: {answer}"
    return ""


def _two_open(day) -> bool:
    return sum(not t.done and t.id != "gate" for t in day.tasks) >= 2


def _undo_delete_case(tui: _Tui, path: Path, home: Path, k: int) -> str:
    """(c) The TUI adds a task and deletes it; another program adds a task under the same
    id; u: refused (putting ours back would clash), the other's task kept."""
    day = NEAR_TODAY - timedelta(days=1 + k % 3)
    answer = tui.ask(f"add {day} own task {k}")
    if not answer.startswith("ACK"):
        return f"TUI add: {answer}"
    task_id = answer.split()[-1]
    answer = tui.ask(f"delete {day} {task_id}")
    if not answer.startswith("ACK"):
        return f"TUI delete: {answer}"
    title = f"Other program's task {k}"
    other = PlanFile.open(path)  # a program that picks the same id on purpose
    other.apply(AddTask(day, task_id, title))
    try:
        other.save()
    except SaveError as error:
        return f"the other program's save: {error}"
    answer = tui.ask(f"see {day} has {task_id}")
    if not answer.startswith("OK"):
        return answer
    answer = tui.ask("undo")
    found = [t.title for t in load_plan(path).day(day).tasks if t.id == task_id]
    if found != [title]:
        return f"u: {answer}; the file has {found} under {task_id}"
    if not answer.startswith("REFUSED") or "was not undone" not in answer:
        return f"u: {answer}"
    return ""


def t15_undo_after_others(cases: int, work: Path) -> Row:
    """`cases` rounds of the three undo cases in one TUI process, each case's other
    program a `planner` process (or, for (c), a PlanFile that forces the id). The file
    must keep the other program's change every time, our own change must be undone where
    it still can be, and the TUI must keep running and quit cleanly."""
    count = f"{cases} cases of each kind"
    folder = work / "t15"
    home = folder / "home"
    try:
        path = _near_plan(home, "Undo", 2 * cases + 20)
    except RuntimeError as error:
        return Row("T15", T15_SCENARIO, count, False, str(error))
    kinds = {
        "a": _undo_pain_case,
        "b": _undo_tick_case,
        "c": _undo_delete_case,
    }
    tui = _Tui(path, home)
    if not tui.started:
        return Row("T15", T15_SCENARIO, count, False, f"the TUI didn't start: {tui.close()}")
    passed_cases = dict.fromkeys(kinds, 0)
    problems: list[str] = []
    started = time.monotonic()
    for k in range(cases):
        for kind, case in kinds.items():
            problem = case(tui, path, home, k)
            if problem:
                problems.append(f"({kind}) #{k + 1}: {problem}")
            else:
                passed_cases[kind] += 1
        if tui.process.poll() is not None:
            problems.append(f"the TUI ended after round {k + 1}: {tui.traceback}")
            break
    elapsed = time.monotonic() - started
    quit_problem = tui.close()
    if quit_problem:
        problems.append(f"TUI: {quit_problem}")
    if store.leftovers(path):
        problems.append(f"left {[p.name for p in store.leftovers(path)]}")
    return Row(
        "T15",
        T15_SCENARIO,
        count,
        not problems and all(n == cases for n in passed_cases.values()),
        f"(a) {passed_cases['a']}/{cases}: undo refused, the other's pain kept; "
        f"(b) {passed_cases['b']}/{cases}: ours unticked, the other's tick kept; "
        f"(c) {passed_cases['c']}/{cases}: undo refused, the other's task kept; "
        f"TUI running throughout and quit cleanly: {not quit_problem}; {elapsed:.0f} s"
        + (f"; {'; '.join(problems[:8])}" if problems else ""),
    )


# ------------------------------------------------------------------ T16: quit while failing

T16_SCENARIO = (
    "quit the TUI (tmux) while its saves fail (read-only folder): the question, escape, "
    "quit anyway, heal and save on the way out"
)
NOT_SAVED = "not saved"  # the header's "● not saved" (tmux may draw the dot otherwise)


def _failing_shown(screen: str) -> bool:
    """The header line says "● not saved" and the banner "Not saved: ..." is up."""
    header = next((line for line in screen.splitlines() if line.strip()), "")
    return NOT_SAVED in header and "Not saved:" in screen


QUIT_QUESTION = "Quitting now loses this change"


def _read_only_switch(
    folder: Path,
) -> tuple[Callable[[], bool], Callable[[], bool], Callable[[], None], str] | str:
    """How to make `folder` read-only, writable again, and clean up, with how it is done;
    or why it can't be done here."""

    def refused() -> bool:  # whether writing into the folder fails now
        probe = folder / ".t16-probe"
        try:
            probe.write_bytes(b"")
        except OSError:
            return True
        probe.unlink()
        return False

    if os.geteuid() == 0:  # root writes through chmod: a read-only bind mount instead
        if not _mount("--bind", str(folder), str(folder)):
            return "can't bind-mount here (needs mount rights), and root ignores chmod"

        def ro() -> bool:
            return _mount("-o", "remount,bind,ro", str(folder)) and refused()

        def rw() -> bool:
            return _mount("-o", "remount,bind,rw", str(folder)) and not refused()

        def cleanup() -> None:
            subprocess.run(["umount", str(folder)], capture_output=True)

        if not ro():  # tried once here, so that a refusal is a skip, not a failure
            cleanup()
            return "can't remount a bind mount read-only here (needs mount rights)"
        if not rw():
            cleanup()
            return "a read-only bind mount can't be made writable again here"
        return ro, rw, cleanup, "bind mount, ro"

    def ro_chmod() -> bool:
        os.chmod(folder, 0o500)
        return refused()

    def rw_chmod() -> bool:
        os.chmod(folder, 0o700)
        return not refused()

    if not ro_chmod():
        rw_chmod()
        return "chmod 0500 doesn't stop writes here"
    rw_chmod()
    return ro_chmod, rw_chmod, lambda: os.chmod(folder, 0o700), "chmod 0500"


def _done_count(plan: Plan) -> int:
    return sum(t.done for d in plan.days for t in d.tasks)


def _quit_anyway(
    path: Path, home: Path, ro: Callable[[], bool], rw: Callable[[], bool]
) -> tuple[dict[str, bool], list[str], str]:
    """Tick while saves fail, q (the question), escape (back), q and "Quit anyway".

    Returns each step's outcome, other problems, and how the process ended.
    """
    from bench.tui_driver import has_traceback, planner_terminal

    steps: dict[str, bool] = {}
    problems: list[str] = []
    ending = ""
    before = path.read_bytes()
    with planner_terminal(path, home, NEAR_TODAY.isoformat()) as term:
        if not term.wait_for(_plan_shown, timeout=60):
            return steps, [f"the plan never showed: {term.screen().strip()[-160:]!r}"], ""
        if not ro():
            return steps, ["the folder could not be made read-only"], ""
        try:
            term.keys("Space")  # tick the highlighted task of today
            steps["'not saved', the banner and 's Retry save' shown"] = term.wait_for(
                lambda s: _failing_shown(s) and "s Retry save" in s, 15
            )
            steps["file unchanged while failing"] = path.read_bytes() == before
            term.keys("q")
            steps["q: the question, app running"] = (
                term.wait_for(QUIT_QUESTION, 10) and term.alive()
            )
            term.keys("Escape")
            steps["escape: back on the plan, running"] = (
                term.wait_for(lambda s: QUIT_QUESTION not in s and _plan_shown(s), 10)
                and term.alive()
            )
            term.keys("q")
            asked = term.wait_for(QUIT_QUESTION, 10)
            # The focus starts on "Try saving again"; Tab moves it to "Quit anyway".
            term.keys("Tab", "Enter")
            steps["'Quit anyway': the process ended"] = asked and term.wait_dead(10)
            ending = term.ending()
            if has_traceback(term.screen()):
                problems.append("a traceback on screen")
        finally:
            if not rw():
                problems.append("the folder could not be made writable again")
    steps["file byte-identical after quitting anyway"] = path.read_bytes() == before
    if ending not in ("exit 0", "ended"):
        problems.append(f"'Quit anyway' ended it with {ending or 'nothing'}")
    return steps, problems, ending


def _heal_and_quit(
    path: Path, home: Path, ro: Callable[[], bool], rw: Callable[[], bool], r: int, ask: bool
) -> tuple[dict[str, bool], list[str], str]:
    """Tick a day's first task while saves fail, heal the folder, leave: q straight away,
    or (`ask`) q first, heal while the question is up, then "Try saving again".
    The tick must be in the file once the process has ended."""
    from bench.tui_driver import has_traceback, planner_terminal

    steps: dict[str, bool] = {}
    problems: list[str] = []
    ending = ""
    day = NEAR_TODAY - timedelta(days=1 + r)
    plan = load_plan(path)
    # Its first task but the run gate (ticking the gate opens the gate dialog instead).
    number, first = next((n, t) for n, t in enumerate(plan.day(day).tasks, 1) if t.id != "gate")
    if first.done or number > 9:
        return steps, [f"{day} {first.id} was done before the round"], ""
    done_before = _done_count(plan)
    with planner_terminal(path, home, NEAR_TODAY.isoformat()) as term:
        if not term.wait_for(_plan_shown, timeout=60):
            return steps, [f"the plan never showed: {term.screen().strip()[-160:]!r}"], ""
        if not ro():
            return steps, ["the folder could not be made read-only"], ""
        healed = False
        try:
            term.keys(*["h"] * (1 + r), str(number))  # back to the day, tick the task
            steps["'not saved' shown for the tick"] = term.wait_for(_failing_shown, 15)
            if ask:
                term.keys("q")
                steps["q before the heal: the question, app running"] = (
                    term.wait_for(QUIT_QUESTION, 10) and term.alive()
                )
                healed = rw()
                term.keys("Enter")  # "Try saving again" has the focus
            else:
                healed = rw()
                term.keys("q")
            steps["healed: saved and ended"] = term.wait_dead(10)
            ending = term.ending()
            if has_traceback(term.screen()):
                problems.append("a traceback on screen")
        finally:
            if not healed and not rw():
                problems.append("the folder could not be made writable again")
    after = load_plan(path)
    steps["the tick in the file, nothing else"] = (
        after.day(day).task(first.id).done and _done_count(after) == done_before + 1
    )
    if ending not in ("exit 0", "ended"):
        problems.append(f"leaving after the heal ended it with {ending or 'nothing'}")
    return steps, problems, ending


def t16_quit_while_failing(rounds: int, work: Path) -> Row:
    """The real TUI (`planner open` in tmux) on a plan whose folder turns read-only.

    Each round: tick, see it not saved; q shows the question and the app keeps running;
    escape goes back; q and "Quit anyway" end the process with the file byte-identical.
    Then again with the folder healed before leaving: q at once (even rounds) or q, heal,
    "Try saving again" (odd rounds) saves the tick and ends the process.
    """
    count = f"{rounds} rounds"
    if shutil.which("tmux") is None:
        return Row("T16", T16_SCENARIO, count, True, "", skipped="tmux is not installed")
    folder = work / "t16"
    home = folder / "home"
    try:
        path = _near_plan(home, "Quit", 5 * rounds + 10)
    except RuntimeError as error:
        return Row("T16", T16_SCENARIO, count, False, str(error))
    switch = _read_only_switch(path.parent)
    if isinstance(switch, str):
        return Row("T16", T16_SCENARIO, count, True, "", skipped=switch)
    ro, rw, cleanup, how = switch
    passes: dict[str, list[bool]] = {}
    endings: dict[str, int] = {}
    problems: list[str] = []
    try:
        for r in range(rounds):
            for steps, trouble, ending in (
                _quit_anyway(path, home, ro, rw),
                _heal_and_quit(path, home, ro, rw, r, ask=r % 2 == 1),
            ):
                for step, ok in steps.items():
                    passes.setdefault(step, []).append(ok)
                    if not ok:
                        problems.append(f"#{r + 1}: {step}: no")
                problems += [f"#{r + 1}: {item}" for item in trouble]
                if ending:
                    endings[ending] = endings.get(ending, 0) + 1
    finally:
        cleanup()
    if store.leftovers(path):
        problems.append(f"left {[p.name for p in store.leftovers(path)]}")
    tally = "; ".join(f"{step} {sum(oks)}/{len(oks)}" for step, oks in passes.items())
    ended = ", ".join(f"{ending} x{n}" for ending, n in sorted(endings.items()))
    # Every step of every round ran (a round cut short reports why among the problems).
    complete = sum(len(oks) for oks in passes.values()) == 9 * rounds + rounds // 2
    return Row(
        "T16",
        T16_SCENARIO,
        count,
        not problems and complete,
        f"read-only by {how}; {tally}; endings: {ended or 'none'}"
        + (f"; {'; '.join(problems[:8])}" if problems else ""),
    )


# ------------------------------------------------------------------ T17: signals in the TUI

SIGNALS = {
    "KILL": signal.SIGKILL,
    "TERM": signal.SIGTERM,
    "HUP": signal.SIGHUP,
    "INT": signal.SIGINT,
    "CLOSE": None,  # the terminal itself closes: SIGHUP and SIGCONT from the kernel
}
# Tick, move, tick: every tick saves the whole plan (about 450 KB here) at once.
TICK_KEYS = ["Space", "Down", "Space", "Down", "Space", "Up", "1", "2", "3"]
T17_SCENARIO = (
    "kill -9, SIGTERM, SIGHUP, SIGINT to the TUI (tmux), and its terminal closed, while it "
    "ticks and saves"
)


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
            if SIGNALS[name] is None:
                ended = term.hang_up(10)
            else:
                os.kill(pid, SIGNALS[name])
                ended = term.wait_dead(10)
        finally:
            stop.set()
            typing.join()
        if not ended:
            kill.problem = f"still running 10 s after the {'signal' if SIGNALS[name] else 'close'}"
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            term.wait_dead(5)
        if SIGNALS[name] is None:  # no terminal left to ask how it ended, or to read
            kill.ending = "ended" if ended else ""
        else:
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
    "export ics alarms": [
        "export", "PLAN", "--format", "ics", "--remind", "07:30", "--pain-reminder", "20:00",
    ],
    "list": ["list"],
    "note 1": ["note", "1", "a note", "PLAN"],
    "edit --dry-run": ["edit", "PLAN", "--race", "2026-12-06", "--dry-run"],
    "status": ["status", "PLAN"],
    "status --json": ["status", "PLAN", "--json"],
    "show --json": ["show", "PLAN", "--json"],
    "show --week": ["show", "PLAN", "--week"],
    "stats --json": ["stats", "PLAN", "--json"],
    "decide --json": ["decide", "PLAN", "--json"],
    "list --json": ["list", "--json"],
    "merge with itself": ["merge", "PLAN", "PLAN", "--dry-run"],
}  # fmt: skip
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
        ("T13", lambda: t13_tui_beside_cli(counts["T13"], work)),
        ("T14", lambda: t14_two_tuis(counts["T14"], work)),
        ("T15", lambda: t15_undo_after_others(counts["T15"], work)),
        ("T16", lambda: t16_quit_while_failing(counts["T16"], work)),
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
