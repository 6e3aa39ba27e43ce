"""The cycle collector while the program starts: off until the first frame, then on again.

Starting allocates hundreds of thousands of objects (our modules and Textual's, a plan's
thousands of tasks) that all stay alive, so each collection during the start would only
walk them again; bench/README.md has what that cost. Every switch of the collector goes
through these two functions, so there is one place to read why and when.
"""

from __future__ import annotations

import gc


def pause_collector() -> None:
    """Stop automatic collection until `resume_collector()`: for the start only."""
    gc.disable()


def resume_collector() -> None:
    """Collect automatically again, if the start paused it; otherwise change nothing.

    Before turning the collector on, `gc.freeze()` sets aside everything alive now: what
    the start made (modules, classes, the plan as opened) lives as long as the program,
    so later collections need not walk it again. The price is that cycles the start left
    behind unreachable stay too; bench/README.md has both figures. A collector that is
    already on (tests calling `main()`, the app run by Pilot) is left alone, so nothing of
    theirs is frozen.
    """
    if gc.isenabled():
        return
    gc.freeze()
    gc.enable()
