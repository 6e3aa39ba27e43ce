"""The Textual user interface: screens, dialogs and widgets over `planner.service`.

Thin by design: widgets show what the session holds and post messages; screens call the
session and re-render. Nothing here computes a plan or opens a plan file.
"""

from pathlib import Path

# The stylesheet of every dialog and form; each of those screens names it as its CSS_PATH,
# so Textual reads it when the first of them opens, not before the plan's first frame.
PANELS_CSS = Path(__file__).resolve().parent / "panels.tcss"
