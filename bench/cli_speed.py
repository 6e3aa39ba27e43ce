"""The command line as whole processes, against a bare interpreter that only parses the
same plan file with tomli: `planner tick`, `pain` and `show` on a one-year plan.

    python bench/cli_speed.py [--runs 30] [--profile]

The plan is made by `planner new` in a temporary PLANNER_HOME. Each round runs every
command once beside its own baseline run, the order flipped every other round, so the
machine's noise hits both alike. `tick` alternates with `tick --undo`, so each run changes
and saves the file. `--profile` also prints what `planner tick` imports
(`python -X importtime`), the modules that cost most.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import compile_bytecode, machine, median, ms, table

TARGET = 2.0  # for tick: at most twice the bare parse
TODAY = ["--today", "2026-11-21"]
NEW = [
    "new",
    "--injury",
    "2026-11-20",
    "--race",
    "2027-11-19",
    "--name",
    "Year",
    *TODAY,
]
COMMANDS = {
    "tick": ["tick", "1", "Year", *TODAY],
    "pain": ["pain", "2", "Year", *TODAY],
    "show": ["show", "Year", *TODAY],
}


def planner_command() -> list[str]:
    """The installed `planner` script beside this interpreter (what a runner types, without
    a version manager's shim in front), or `python -m planner` when there is none."""
    script = Path(sys.executable).with_name("planner")
    if script.is_file():
        return [sys.executable, str(script)]
    return [sys.executable, "-m", "planner"]


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def run(argv: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Seconds a whole process took (wall clock, and CPU: user + system), and what it
    printed; any failure stops the bench."""
    cpu = _cpu()
    started = time.perf_counter()
    result = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {result.returncode}:\n{result.stderr}")
    return elapsed, _cpu() - cpu, result.stdout


def make_plan(planner: list[str], env: dict[str, str]) -> Path:
    run([*planner, *NEW], env)
    (path,) = Path(env["PLANNER_HOME"], "plans").glob("*.toml")
    return path


def our_argv(planner: list[str], name: str, index: int) -> list[str]:
    argv = [*planner, *COMMANDS[name]]
    if name == "tick" and index % 2:
        argv.append("--undo")
    return argv


Times = dict[str, list[float]]


def measure(
    runs: int, planner: list[str], env: dict[str, str], path: Path
) -> tuple[Times, Times, Times, Times]:
    """Wall-clock and CPU seconds of each run: the bare parse's beside each command's."""
    bare = [
        sys.executable,
        "-c",
        f"import tomli; tomli.loads(open({str(path)!r},'rb').read().decode())",
    ]
    for name in COMMANDS:  # warm the file cache and both interpreters once, untimed
        run(bare, env)
        run(our_argv(planner, name, 1), env)
    base: Times = {name: [] for name in COMMANDS}
    ours: Times = {name: [] for name in COMMANDS}
    base_cpu: Times = {name: [] for name in COMMANDS}
    ours_cpu: Times = {name: [] for name in COMMANDS}
    for index in range(runs):
        for name in COMMANDS:
            argv = our_argv(planner, name, index)
            pair = [(base, base_cpu, bare), (ours, ours_cpu, argv)]
            for wall, cpu, command in pair if index % 2 == 0 else reversed(pair):
                elapsed, used, said = run(command, env)
                if command is argv and name == "tick" and "Saved." not in said:
                    raise SystemExit(f"tick changed nothing: {said.strip()}")
                wall[name].append(elapsed)
                cpu[name].append(used)
    return base, ours, base_cpu, ours_cpu


def _shown(name: str) -> str:
    return f"`planner {' '.join(COMMANDS[name])}`" + (" (/ `--undo`)" if name == "tick" else "")


def wall_rows(base: Times, ours: Times) -> list[tuple]:
    rows = [
        (
            "command",
            "bare tomli parse",
            "planner",
            "ratio of medians",
            "range (planner)",
            "target",
            "met",
        )
    ]
    for name in COMMANDS:
        ratio = median(ours[name]) / median(base[name])
        target = f"<= {TARGET}x" if name == "tick" else "-"
        met = ("yes" if ratio <= TARGET else "no") if name == "tick" else "-"
        rows.append(
            (
                _shown(name),
                ms(median(base[name])),
                ms(median(ours[name])),
                f"{ratio:.2f}x",
                f"{ms(min(ours[name]))} - {ms(max(ours[name]))}",
                target,
                met,
            )
        )
    every = [t for times in base.values() for t in times]
    rows.append(
        (
            "(bare parse, all runs)",
            ms(median(every)),
            "",
            "",
            f"{ms(min(every))} - {ms(max(every))}",
            "",
            "",
        )
    )
    return rows


def cpu_rows(base: Times, ours: Times) -> list[tuple]:
    """The same runs' CPU time (user + system): what the other programs on a shared machine
    move least; a wait for the disk (fsync) is in the wall-clock time only."""
    rows = [("command", "bare tomli parse", "planner", "ratio of medians")]
    for name in COMMANDS:
        ratio = median(ours[name]) / median(base[name])
        rows.append((_shown(name), ms(median(base[name])), ms(median(ours[name])), f"{ratio:.2f}x"))
    return rows


def profile(planner: list[str], env: dict[str, str], index: int, top: int = 15) -> str:
    """`python -X importtime` of `planner tick` (run `index`, so it changes the file too):
    the costliest imports, what the command loads and which modules are ours."""
    tick = our_argv(planner, "tick", index)
    argv = [tick[0], "-X", "importtime", *tick[1:]]
    result = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {result.returncode}:\n{result.stderr}")
    entries = []  # (self us, cumulative us, depth, name)
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, total, name = line[len("import time:") :].split("|")
        depth = (len(name) - len(name.lstrip(" ")) - 1) // 2
        entries.append((int(own), int(total), depth, name.strip()))
    lines = [
        f"### What `planner tick` imports ({len(entries)} modules, "
        f"{sum(e[0] for e in entries) / 1000:.1f} ms in all, `python -X importtime`)",
        "",
        "Loaded by the command itself (top level, cumulative):",
    ]
    top_level = sorted((e for e in entries if e[2] == 0), key=lambda e: -e[1])[:top]
    lines += [f"  {total / 1000:7.1f} ms  {name}" for _, total, _, name in top_level]
    lines += ["", "Costliest modules on their own (self time):"]
    by_self = sorted(entries, key=lambda e: -e[0])[:top]
    lines += [f"  {own / 1000:7.1f} ms  {name}" for own, _, _, name in by_self]
    ours = [e for e in entries if e[3] == "planner" or e[3].startswith("planner.")]
    lines += [
        "",
        f"Ours: {len(ours)} modules, {sum(e[0] for e in ours) / 1000:.1f} ms self: "
        + ", ".join(sorted(e[3] for e in ours)),
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="runs of each (default 30)")
    parser.add_argument(
        "--profile", action="store_true", help="also list what `planner tick` imports"
    )
    args = parser.parse_args()
    compile_bytecode()
    planner = planner_command()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "PLANNER_HOME": home}
        env.pop("PLANNER_TODAY", None)
        path = make_plan(planner, env)
        base, ours, base_cpu, ours_cpu = measure(args.runs, planner, env, path)
        size = path.stat().st_size
        print(
            table(
                f"The command line (median of {args.runs}, whole processes, one-year plan of "
                f"{size // 1024} KiB, {machine()})",
                wall_rows(base, ours),
            )
        )
        print()
        print(table("CPU time of the same runs (user + system)", cpu_rows(base_cpu, ours_cpu)))
        if args.profile:
            print()
            print(profile(planner, env, args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
