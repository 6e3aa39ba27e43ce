"""`python -m planner` and the `planner` command: the command line.

The cycle collector is paused before anything else loads (`planner.startup` says why).
`cli.main` resumes it as a command starts; the terminal UI keeps it paused until its first
frame is on screen (`PlannerApp.first_frame_shown`).
"""

import sys

from planner.startup import pause_collector

pause_collector()

from planner.cli import main  # noqa: E402  (imported with the collector paused, see above)

if __name__ == "__main__":
    sys.exit(main())
