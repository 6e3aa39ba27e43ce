"""The commands that start the terminal UI: planner, planner open, planner demo."""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from planner.cli.common import Context, UsageError, out
from planner.paths import last_plan
from planner.startup import pause_collector, resume_collector

if TYPE_CHECKING:
    import argparse

NO_TERMINAL = (
    "no terminal here for the plan screen: `planner show` prints today's checklist, "
    "`planner --help` every command"
)


def has_terminal() -> bool:
    """Whether the plan screen can run: keys come from stdin and the screen goes to stderr
    (Textual draws there), so both must be a terminal. From a script, a pipe or a cron job
    the full-screen app would wait for keys that never come."""
    return sys.stdin.isatty() and sys.stderr.isatty()


def need_terminal() -> None:
    """Refuse, before anything is made or written, to start the plan screen without a
    terminal (a usage error: exit 2)."""
    if not has_terminal():
        raise UsageError(NO_TERMINAL)


def run_tui(plan_path: Path | None, ctx: Context, *, remember_plans: bool = True) -> int:
    """Start the app on a plan (or the new-plan form); Textual loads only here. Without a
    terminal, say what to use instead (exit 2) and touch nothing."""
    need_terminal()
    # planner.__main__ paused the collector already (planner.startup says why); this covers
    # main() called some other way. PlannerApp.first_frame_shown resumes it once painted.
    pause_collector()
    try:
        from planner.tui.app import make_app, pinned_clock

        now = pinned_clock(ctx.today) if ctx.pinned else None
        app = make_app(
            plan_path,
            home=ctx.home,
            today=ctx.today,
            now=now,
            remember_plans=remember_plans,
            clock=None if ctx.pinned else date.today,  # today follows midnight unless pinned
        )
        app.run()
    finally:
        resume_collector()  # in case the app ended before its first frame
    return app.return_code or 0


def cmd_tui(args: argparse.Namespace, ctx: Context) -> int:
    """planner (no command): the last used plan, or the new-plan form."""
    need_terminal()
    return run_tui(last_plan(ctx.home), ctx)


def cmd_open(args: argparse.Namespace, ctx: Context) -> int:
    """planner open PATH: the plan screen for a file (a damaged one is explained on screen)."""
    path = Path(args.path).expanduser()
    if not path.exists() and not path.is_symlink():
        raise UsageError(f"PATH: no file {args.path}")
    if path.is_dir():
        raise UsageError(f"PATH: {args.path} is a folder; give a plan file")
    return run_tui(path, ctx)


def cmd_demo(args: argparse.Namespace, ctx: Context) -> int:
    """planner demo: a copy of the forum example, a few days in, in a temporary folder."""
    need_terminal()  # before the folder is made
    from planner.demo import DEMO_TODAY, demo_plan
    from planner.paths import lock_folder_for
    from planner.store import PlanFile, set_lock_folder

    today = ctx.today if ctx.pinned else DEMO_TODAY
    plan = demo_plan(today)
    if plan.day(today) is None:
        today = DEMO_TODAY
        plan = demo_plan(today)
    folder = Path(tempfile.mkdtemp(prefix="planner-demo-"))
    path = folder / "plans" / "bristol-half.toml"
    path.parent.mkdir(mode=0o700)
    set_lock_folder(lock_folder_for(folder))  # the demo's locks stay in its own folder
    PlanFile.create(path, plan)
    out(f"Demo plan: {path} (a copy; nothing of yours is touched)")
    demo = Context(today=today, now=ctx.now, home=folder, pinned=True)
    return run_tui(path, demo, remember_plans=False)
