"""`python -m planner` and the `planner` command: the command line.

The cycle collector is off while the program starts: importing it and Textual allocates
hundreds of thousands of objects that all stay alive, and every collection would only walk
them again. `cli.main` turns it back on as its command starts; the terminal UI keeps it off
until its first frame is on screen (`PlannerApp.first_frame_shown`).
"""

import gc
import sys

gc.disable()

from planner.cli import main  # noqa: E402  (imported with the collector off, see above)

if __name__ == "__main__":
    sys.exit(main())
