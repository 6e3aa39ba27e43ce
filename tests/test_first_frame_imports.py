"""What `planner open` has loaded when its first frame is drawn.

The first frame is what a runner waits for, so the code it does not need loads later: the
engine with the first re-plan, change descriptions with the first preview, the writers
with the first save or export, each command's module when it runs (bench/README.md has
what that saves). A deferred import is one line away from being undone by a module-level
import elsewhere, so this runs the real app in a subprocess up to its first frame and
lists what is loaded then.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PLAN = Path(__file__).resolve().parent.parent / "plans" / "spring-half.toml"

# Runs `planner open PLAN` as `python -m planner` does, with Textual's compositor patched
# to write the app's screen and every loaded module's name once the first frame is drawn,
# then to end the process at once (as bench/first_frame.py does).
SCRIPT = """
import os, runpy, sys
from textual._compositor import Compositor

out, plan = sys.argv[1], sys.argv[2]
render_update = Compositor.render_update

def render_then_stop(self, *args, **kwargs):
    render_update(self, *args, **kwargs)
    from textual._context import active_app
    with open(out, "w") as file:
        file.write(type(active_app.get().screen).__name__ + "\\n")
        file.write("\\n".join(sorted(sys.modules)))
    os._exit(0)

Compositor.render_update = render_then_stop
import planner.cli.tui_commands  # the output is captured: no terminal, so say there is one
planner.cli.tui_commands.has_terminal = lambda: True
sys.argv = ["planner", "open", plan]
runpy.run_module("planner", run_name="__main__")
"""

# Each loads later on purpose; the comment at its import says when.
DEFERRED = [
    "planner.engine",  # with the first re-plan, or while idle after the first frame
    "planner.changes",  # with the first preview of a change
    "planner.export",  # with the first export
    "planner.stats",  # with the progress panel or the open-plan dialog
    "planner.demo",  # planner demo only
    "planner.cli.output",  # each command's module loads when it runs
    "planner.cli.plan_commands",
    "planner.cli.report_commands",
    "planner.tui.dialogs",  # each dialog when first shown
    "planner.tui.screens.new_plan",
    "planner.tui.screens.load_error",
    "tomli_w",  # with the first save
    "filelock",  # with the first save
    "secrets",  # with the first task of the runner's own
    "hashlib",  # with the first calendar export
    "icalendar",  # with the first calendar export
    "dateutil",  # with the first date typed in words
    "planner.activity",  # planner import only
    "fitdecode",  # with the first .fit file imported
    "gpxpy",  # with the first .gpx file imported
    "planner.chart",  # with the progress panel (its pain chart)
    "planner.edit",  # with the first change of the plan's inputs
    "planner.repeat",  # with the first repeating task
    "planner.cli.parser",  # a plain `planner open PATH` is read without argparse
    "argparse",
    "planner.rules.reading",  # only without the protocol's cache (written just before)
    "planner.conflicts",  # with the first look for a sync tool's conflict copy
    "calendar",  # the month grid names its weekdays itself
]

# What the plan screen's first frame does need: if these are missing, the frame caught
# was not the plan screen's and the test above proves nothing.
NEEDED = [
    "planner.tui.screens.plan",
    "planner.tui.widgets.checklist",
    "planner.tui.widgets.calendar",
    "planner.service",
    "planner.glimpse",
]


@pytest.fixture(scope="module")
def first_frame(tmp_path_factory) -> tuple[str, set[str]]:
    """The screen drawn first by `planner open` on an example plan, and the modules loaded."""
    folder = tmp_path_factory.mktemp("first-frame")
    plan = folder / PLAN.name
    shutil.copy(PLAN, plan)
    out = folder / "modules.txt"
    from planner.rules import PROTOCOL, cache, load_rules

    # The protocol's cache, as the first start leaves it (PYTHONDONTWRITEBYTECODE may be set)
    cache.write(cache.key(PROTOCOL.read_bytes()), load_rules(), force=True)
    env = {
        **os.environ,
        "PLANNER_HOME": str(folder / "home"),
        "PLANNER_TODAY": "2026-11-30",
        "HOME": str(folder),
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(out), str(plan)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        env=env,
        timeout=120,
    )
    assert out.exists(), f"no first frame (exit {result.returncode}): {result.stderr[-2000:]!r}"
    screen, *modules = out.read_text().splitlines()
    return screen, set(modules)


def loaded(name: str, modules: set[str]) -> bool:
    """Whether `name` or any module inside it is loaded."""
    return any(m == name or m.startswith(name + ".") for m in modules)


def test_the_first_frame_is_the_plan_screen(first_frame):
    screen, modules = first_frame
    assert screen == "PlanScreen"
    assert [name for name in NEEDED if name not in modules] == []


def test_deferred_modules_are_not_loaded_before_the_first_frame(first_frame):
    _, modules = first_frame
    early = [name for name in DEFERRED if loaded(name, modules)]
    assert early == [], f"loaded before the first frame, though deferred on purpose: {early}"
