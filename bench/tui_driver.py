"""A real terminal for the torture rows: one command in a private tmux server.

Rows T17 and T18 of bench/torture.py must run the app as people do: `planner open` in a
real pseudo-terminal, keys arriving as bytes, signals sent to a real process. Pilot runs
the app inside the test's own process, so it can't be killed, hung up on or interrupted
the way a runner's terminal is; tmux can.

The pane is started with `exec env VAR=... COMMAND`, so the pane's process is the command
itself (no shell in between), and with remain-on-exit on, so that what the program printed
as it died (a traceback, say) can still be read after it ended.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path


class Terminal:
    """One command running in its own tmux server (a socket no other test uses)."""

    def __init__(self, argv: list[str], env: dict[str, str], *, size=(120, 40)) -> None:
        self.socket = f"torture-{os.getpid()}-{time.monotonic_ns()}"
        self.trouble = ""  # what tmux last said when it couldn't answer
        assignments = [f"{key}={value}" for key, value in env.items()]
        command = "exec " + shlex.join(["env", *assignments, *argv])
        width, height = size
        # One tmux invocation, so remain-on-exit is on before the command can end.
        self.tmux(
            "new-session", "-d", "-s", "t", "-x", str(width), "-y", str(height), command,
            ";", "set-option", "-t", "t", "remain-on-exit", "on",
        )  # fmt: skip
        # tmux leaves its socket file behind when the server is killed: removed in close().
        self.socket_path = self.tmux("display-message", "-p", "#{socket_path}").stdout.strip()

    def tmux(self, *args: str) -> subprocess.CompletedProcess:
        # -f: the machine's ~/.tmux.conf (key bindings, a status line) must not change the test.
        return subprocess.run(
            ["tmux", "-L", self.socket, "-f", os.devnull, *args],
            capture_output=True,
            text=True,
        )

    def screen(self) -> str:
        """The visible screen as text (what a runner would see now)."""
        return self.tmux("capture-pane", "-p", "-t", "t").stdout

    def keys(self, *keys: str) -> None:
        """Type keys (tmux names: Space, Down, Enter, q, C-c...) in one go."""
        self.tmux("send-keys", "-t", "t", *keys)

    def _pane(self) -> list[str]:
        """pid, dead (0/1), exit status, signal: '' where tmux has none; ['', '1', '', '']
        once the server is gone."""
        fields = "#{pane_pid}|#{pane_dead}|#{pane_dead_status}|#{pane_dead_signal}"
        for _ in range(5):  # a busy server may miss one query: don't take that for death
            answer = self.tmux("list-panes", "-t", "t", "-F", fields)
            out = answer.stdout.strip()
            if out.count("|") == 3:
                return out.split("|")
            self.trouble = answer.stderr.strip()
            time.sleep(0.05)
        return ["", "1", "", ""]

    @property
    def pid(self) -> int:
        """The command's process id (the pane's own process, as it was exec'd).

        Raises LookupError rather than return a pid that isn't the command's: a signal
        to pid 0 would go to our own process group.
        """
        text = self._pane()[0]
        if not text.isdigit() or int(text) <= 1:
            raise LookupError(f"no process in the pane ({text!r})")
        return int(text)

    def alive(self) -> bool:
        """Whether the command still runs. tmux marks a pane dead when its terminal closes,
        which can come a moment before the process has gone: both are checked."""
        pid, dead, *_ = self._pane()
        return dead == "0" or (pid.isdigit() and _running(int(pid)))

    def ending(self) -> str:
        """How the command ended: 'exit N', 'signal N', 'ended' (tmux doesn't know how) or
        'gone' (no tmux server any more); '' while it runs."""
        pid, dead, status, signal = self._pane()
        if dead == "0":
            return ""
        if signal:
            return f"signal {signal}"
        if status:
            return f"exit {status}"
        if pid:  # tmux saw the terminal close before it learned how the process ended
            return "ended"
        return f"gone ({self.trouble or 'the tmux server ended'})"

    def wait_for(self, want, timeout: float = 20.0) -> bool:
        """Wait until `want(screen)` holds (a str: until it is on screen) or the command ends."""
        check = (lambda screen: want in screen) if isinstance(want, str) else want
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if check(self.screen()):
                return True
            if not self.alive():
                return check(self.screen())
            time.sleep(0.05)
        return False

    def wait_dead(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for the command to end; whether it did."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                return True
            time.sleep(0.02)
        return not self.alive()

    def hang_up(self, timeout: float) -> bool:
        """Close the terminal as a closed window or a dropped ssh link does (the kernel
        sends the command SIGHUP and SIGCONT), then wait up to `timeout` seconds for the
        command to end: whether it did. Its process is watched, as tmux is gone."""
        pid = self.pid
        self.tmux("kill-server")
        deadline = time.monotonic() + timeout
        while _running(pid) and time.monotonic() < deadline:
            time.sleep(0.02)
        return not _running(pid)

    def close(self) -> None:
        """End the command (SIGHUP from tmux, as a closed terminal) and the server."""
        self.tmux("kill-server")
        if self.socket_path:
            with contextlib.suppress(OSError):
                os.unlink(self.socket_path)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def planner_terminal(path: Path, home: Path, today: str, *args: str) -> Terminal:
    """`planner open PATH` (or `planner ARGS`) as a runner starts it, in a real terminal."""
    env = {"PLANNER_HOME": str(home), "PLANNER_TODAY": today}
    argv = [sys.executable, "-m", "planner", *(args or ("open", str(path)))]
    return Terminal(argv, env)


def has_traceback(screen: str) -> bool:
    """Whether a Python or Textual traceback is on screen."""
    return "Traceback" in screen


def _running(pid: int) -> bool:
    """Whether process `pid` exists and hasn't ended (a zombie has ended)."""
    if not Path("/proc/self/stat").exists():  # no /proc here: ask the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] not in ("Z", "X")
