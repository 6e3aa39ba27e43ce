"""The theme a runner picks is kept, and every theme we offer is legible on every cell."""

from __future__ import annotations

import tomli

from planner import paths
from planner.tui.app import make_app, pinned_clock
from tests.test_tui_plan import SIZE, TODAY, plan_path  # noqa: F401  (a fixture)


def _app(path, **kwargs):
    return make_app(path, home=path.parent.parent, today=TODAY, now=pinned_clock(TODAY), **kwargs)


async def test_the_theme_chosen_is_kept_across_a_restart(plan_path):  # noqa: F811
    home = plan_path.parent.parent
    paths.remember(home, plan_path)
    app = _app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        assert app.theme == "textual-dark"
        app.theme = "nord"
        await pilot.pause()
    state = tomli.loads((home / paths.STATE_FILE).read_text())
    assert state == {"last_plan": str(plan_path.resolve()), "theme": "nord"}

    again = _app(plan_path)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.theme == "nord"
        assert again.screen.styles.background == again.current_theme.to_color_system().background


async def test_an_unknown_theme_in_the_state_file_is_ignored(plan_path):  # noqa: F811
    home = plan_path.parent.parent
    (home / paths.STATE_FILE).write_text('theme = "no-such-theme"\nlast_plan = 3\n')
    app = _app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "textual-dark"


async def test_a_run_that_remembers_nothing_leaves_the_state_alone(plan_path):  # noqa: F811
    home = plan_path.parent.parent
    app = _app(plan_path, remember_plans=False)
    async with app.run_test(size=SIZE) as pilot:
        app.theme = "gruvbox"
        await pilot.pause()
    assert not (home / paths.STATE_FILE).exists()
