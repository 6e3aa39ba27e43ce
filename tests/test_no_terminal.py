"""`planner`, `planner open` and `planner demo` without a terminal (a script, a pipe, cron):
one line saying what to use instead, exit 2, nothing written; with a terminal the plan
screen starts as before."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time

import pytest

from planner.cli.tui_commands import NO_TERMINAL


def tree(folder):
    """Every file under `folder` with its bytes (nothing at all when it doesn't exist)."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("words", [[], ["open", "PLAN"], ["demo"]], ids=["bare", "open", "demo"])
def test_without_a_terminal_it_says_what_to_use_and_exits_2(plan_path, tmp_path, words):
    home = tmp_path / "home"
    before = tree(tmp_path)
    argv = [str(plan_path) if word == "PLAN" else word for word in words]
    result = subprocess.run(
        [sys.executable, "-m", "planner", *argv],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PLANNER_HOME": str(home)},
    )
    assert result.returncode == 2
    assert result.stderr == f"planner: {NO_TERMINAL}\n"
    assert result.stdout == ""
    assert tree(tmp_path) == before  # no state file, no demo folder, the plan untouched


def test_with_a_terminal_the_plan_screen_starts(plan_path, tmp_path):
    # A pseudo-terminal on stdin, stdout and stderr, as a terminal emulator gives: the
    # app draws its first screen (the plan's name in the header), then q ends it.
    main, child = pty.openpty()
    env = {**os.environ, "PLANNER_HOME": str(tmp_path / "home"), "TERM": "xterm-256color"}
    env.update(COLUMNS="100", LINES="30", PLANNER_TODAY="2026-11-24")
    process = subprocess.Popen(
        [sys.executable, "-m", "planner", "open", str(plan_path)],
        stdin=child, stdout=child, stderr=child, env=env, close_fds=True,
    )  # fmt: skip
    os.close(child)
    seen = b""
    try:
        deadline = time.monotonic() + 30
        while b"Bristol Half" not in seen and time.monotonic() < deadline:
            ready, _, _ = select.select([main], [], [], 0.5)
            if ready:
                try:
                    seen += os.read(main, 65536)
                except OSError:
                    break
        assert b"Bristol Half" in seen
        assert NO_TERMINAL.encode() not in seen
    finally:
        os.write(main, b"q")
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        os.close(main)
