"""The theme a runner picks is kept, and every theme we offer is legible on every cell."""

from __future__ import annotations

from datetime import date

import pytest
import tomli
from hypothesis import given
from hypothesis import strategies as st
from textual.color import Color
from textual.theme import BUILTIN_THEMES

from planner import paths
from planner.tui.app import make_app, pinned_clock
from planner.tui.legible import DECORATIVE, MARK_RATIO, TEXT_RATIO, contrast, legible
from tests.test_tui_plan import SIZE, TODAY


def colors():
    channel = st.integers(0, 255)
    return st.builds(Color, channel, channel, channel)


def _app(path, **kwargs):
    return make_app(path, home=path.parent.parent, today=TODAY, now=pinned_clock(TODAY), **kwargs)


async def test_the_theme_chosen_is_kept_across_a_restart(plan_path):
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


def test_remembering_what_the_state_holds_already_writes_nothing(tmp_path):
    plan = tmp_path / "plans" / "p.toml"
    plan.parent.mkdir()
    plan.write_text("")
    paths.remember(tmp_path, plan)
    paths.remember_theme(tmp_path, "nord")
    state = tmp_path / paths.STATE_FILE
    before = state.stat()
    paths.remember(tmp_path, plan)  # each command remembers its plan: no fsyncs for nothing
    paths.remember_theme(tmp_path, "nord")
    after = state.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert paths.read_state(tmp_path) == {"last_plan": str(plan.resolve()), "theme": "nord"}


async def test_an_unknown_theme_in_the_state_file_is_ignored(plan_path):
    home = plan_path.parent.parent
    (home / paths.STATE_FILE).write_text('theme = "no-such-theme"\nlast_plan = 3\n')
    app = _app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "textual-dark"


async def test_a_run_that_remembers_nothing_leaves_the_state_alone(plan_path):
    home = plan_path.parent.parent
    app = _app(plan_path, remember_plans=False)
    async with app.run_test(size=SIZE) as pilot:
        app.theme = "gruvbox"
        await pilot.pause()
    assert not (home / paths.STATE_FILE).exists()


# ------------------------------------------------------------------ legible on every cell

# The ANSI themes use the terminal's own colours, which no program can know: not checked.
THEMES = [name for name in BUILTIN_THEMES if not name.startswith("ansi-")]
DESIGNED = ["textual-dark", "textual-light", "nord", "catppuccin-latte"]


def cells(app):
    """Every cell of the screen as the terminal gets it: (x, y, char, fg, bg)."""
    found = []
    for y, strip in enumerate(app.screen._compositor.render_strips()):
        x = 0
        for text, style, _ in strip:
            fg = style.color if style is not None else None
            bg = style.bgcolor if style is not None else None
            if style is not None and style.reverse:
                fg, bg = bg, fg
            for char in text:
                found.append((x, y, char, fg, bg))
                x += 1
    return found


def problems(app, where):
    """Cells without a background, and characters under their contrast ratio."""
    bad = []
    for x, y, char, fg, bg in cells(app):
        if bg is None or bg.is_default:
            bad.append(f"{where}: ({x},{y}) {char!r} has no background")
        elif char.strip() and fg is not None and not fg.is_default:
            need = MARK_RATIO if char in DECORATIVE else TEXT_RATIO
            ratio = contrast(Color.from_rich_color(fg), Color.from_rich_color(bg))
            if ratio < need:
                bad.append(f"{where}: ({x},{y}) {char!r} at {ratio:.2f}:1")
    return bad


async def test_every_cell_has_a_background_and_legible_text_in_every_theme(plan_path):
    app = _app(plan_path, remember_plans=False)
    found = []
    async with app.run_test(size=SIZE) as pilot:
        for theme in THEMES:
            app.theme = theme
            await pilot.pause()
            found += problems(app, f"{theme} 120x40")
        for size in ((80, 24), (200, 50)):
            await pilot.resize_terminal(*size)
            for theme in DESIGNED:
                app.theme = theme
                await pilot.pause()
                found += problems(app, f"{theme} {size}")
                await pilot.press("tab")  # the checklist's cursor and its dose
                await pilot.pause()
                found += problems(app, f"{theme} {size} checklist focused")
                await pilot.press("tab")
        await pilot.press("question_mark")
        await pilot.pause()
        for theme in DESIGNED:
            app.theme = theme
            await pilot.pause()
            found += problems(app, f"{theme} help")
    assert not found, "\n".join(found[:20])


async def test_the_week_view_and_the_side_chart_are_legible_in_every_designed_theme(plan_path):
    app = _app(plan_path, remember_plans=False)
    found = []
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.press("w")
        for size in ((200, 50), (80, 24)):  # the pain chart beside the calendar, then none
            await pilot.resize_terminal(*size)
            for theme in DESIGNED:
                app.theme = theme
                await pilot.pause()
                found += problems(app, f"{theme} {size} week")
        assert app.screen.query("#side-chart")  # the chart was drawn, and checked, above
    assert not found, "\n".join(found[:20])


@given(colors(), colors(), st.sampled_from([TEXT_RATIO, MARK_RATIO]))
def test_legible_reaches_the_ratio_and_leaves_enough_alone(color, background, need):
    better = legible(color, background, need)
    assert contrast(better, background) >= need
    if contrast(color, background) >= need:
        assert better == color


def test_two_programs_keeping_their_own_keys_never_undo_each_other(tmp_path):
    # The TUI keeps its theme while commands remember their plan: separate processes,
    # each writing its own key many times; the last value of each must be what stays.
    import subprocess
    import sys

    plans = [tmp_path / f"p{n}.toml" for n in range(2)]
    for plan in plans:
        plan.write_text("")
    script = (
        "import sys; from pathlib import Path; from planner import paths\n"
        "home, which = Path(sys.argv[1]), sys.argv[2]\n"
        "for n in range(150):\n"
        "    if which == 'theme':\n"
        "        paths.remember_theme(home, ['nord', 'gruvbox'][n % 2])\n"
        "    else:\n"
        "        paths.remember(home, home / f'p{n % 2}.toml')\n"
    )
    runs = [
        subprocess.Popen([sys.executable, "-c", script, str(tmp_path), which])
        for which in ("theme", "plan")
    ]
    assert [run.wait(timeout=120) for run in runs] == [0, 0]
    assert paths.read_state(tmp_path) == {
        "last_plan": str(plans[1].resolve()),
        "theme": "gruvbox",
    }


# The dialogs that came with the week view, the how-tos, the minutes run, the notes, the
# pain chart and changing the plan: (the day the plan screen opens on, the keys to it).
NEW_DIALOGS = {
    "how-to": (TODAY, ["i"]),
    "note": (TODAY, ["down", "N"]),
    "progress chart": (TODAY, ["P"]),
    "minutes run": (date(2026, 11, 27), ["space"]),  # the walk-run is that day's first task
    "plan change form": (TODAY, ["E"]),
    "own task, repeating": (TODAY, ["a"]),
}


@pytest.mark.parametrize("day, keys", list(NEW_DIALOGS.values()), ids=list(NEW_DIALOGS))
async def test_the_new_dialogs_are_legible_on_every_cell(plan_path, day, keys):
    app = make_app(
        plan_path, home=plan_path.parent.parent, today=day, now=pinned_clock(day),
        remember_plans=False,
    )  # fmt: skip
    found = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*keys)
        await pilot.pause()
        assert app.screen is not app.screen_stack[0]  # the dialog (or form) is up
        for theme in ("textual-dark", "textual-light"):
            app.theme = theme
            await pilot.pause()
            found += problems(app, f"{theme} {keys}")
    assert not found, "\n".join(found[:20])
