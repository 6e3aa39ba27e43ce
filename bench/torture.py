"""Every way we can think of to lose a runner's data, tried on purpose.

    python bench/torture.py            full counts (minutes), prints the results table
    python bench/torture.py --quick    the reduced counts the test suite runs

Exits non-zero if any scenario lost data or misbehaved. A scenario that needs a privilege
this machine doesn't give (mounting a tmpfs, a read-only bind mount) says so in the table
instead of passing. `tests/test_torture.py` runs the same functions at CI counts.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import os
import random
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

FULL = {"T1": 500, "T4": 2000, "T5": (300, 50), "T6": 1000, "T8": 100_000}
QUICK = {"T1": 50, "T4": 200, "T5": (25, 20), "T6": 100, "T8": 2000}


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
