"""Save the README's screenshot of the plan screen, as the app itself draws it.

Run from the repository root: `python plans/make_screenshot.py`. It opens a copy of
`plans/bristol-half.toml` (the repository's file is never touched) with today pinned to
Tue 24 Nov 2026, ticks two tasks, and saves `plans/plan-screen.svg` at 120x40.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
TODAY = date(2026, 11, 24)
SIZE = (120, 40)


async def shoot(target: Path) -> None:
    """Drive the app like a runner would and save what the screen shows."""
    from planner.tui.app import make_app, pinned_clock

    with tempfile.TemporaryDirectory() as home:
        plan = Path(home) / "plans" / "bristol-half.toml"
        plan.parent.mkdir()
        shutil.copy(HERE / "bristol-half.toml", plan)
        app = make_app(
            plan, home=Path(home), today=TODAY, now=pinned_clock(TODAY), remember_plans=False
        )
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("space", "down", "down", "space", "up")
            await pilot.pause()
            app.save_screenshot(filename=target.name, path=str(target.parent))


def main() -> int:
    asyncio.run(shoot(HERE / "plan-screen.svg"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
