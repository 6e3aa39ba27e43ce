"""Run an app until its first frame is drawn, then stop at once: for counting instructions.

    python bench/first_frame.py minimal
    python bench/first_frame.py planner PATH

`startup.py --instructions` runs this under valgrind; the process ends as the first full
frame has been rendered (the terminal output stays out of the count).
"""

from __future__ import annotations

import os
import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def stop_after_first_frame() -> None:
    from textual._compositor import Compositor

    render_update = Compositor.render_update

    def render_then_stop(self, *args, **kwargs):
        result = render_update(self, *args, **kwargs)
        os._exit(0)
        return result  # never reached

    Compositor.render_update = render_then_stop


def main() -> None:
    which = sys.argv[1]
    if which == "planner":
        from planner.startup import pause_collector

        pause_collector()  # what planner.__main__ does first; this script imports Textual before it
        stop_after_first_frame()
        # valgrind's output is captured, so stderr is no terminal here: let the app start
        # anyway (it draws into the pipe, and the process ends at its first frame).
        import planner.cli.tui_commands

        planner.cli.tui_commands.has_terminal = lambda: True
        sys.argv = ["planner", "open", sys.argv[2]]
        runpy.run_module("planner", run_name="__main__")
    else:
        stop_after_first_frame()
        sys.argv = [str(HERE / "minimal_app.py")]
        runpy.run_path(str(HERE / "minimal_app.py"), run_name="__main__")


if __name__ == "__main__":
    main()
