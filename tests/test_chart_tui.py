"""The pain chart in the TUI: the progress dialog draws the core's grid (the same text as
`planner stats --chart`) in the theme's colours, legible in every theme, and nothing of it
loads before the plan screen's first frame."""

from __future__ import annotations

from datetime import timedelta

import pytest

from planner.chart import pain_chart
from planner.store import load_plan
from planner.tui.dialogs.progress import ProgressScreen
from planner.tui.widgets.pain_chart import PainChart
from tests.test_first_frame_imports import first_frame, loaded  # noqa: F401
from tests.test_tui_plan import TODAY, app_for, wait_for
from tests.test_tui_theme import DESIGNED, problems

RACE_DAY = TODAY + timedelta(days=5)


async def open_progress(pilot, app):
    await pilot.press("P")
    await wait_for(pilot, lambda: isinstance(app.screen, ProgressScreen))
    await pilot.pause()
    return app.screen.query_one(PainChart)


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
async def test_the_progress_dialog_draws_the_stats_chart(plan_path, size):
    app = app_for(plan_path)
    async with app.run_test(size=size) as pilot:
        chart = await open_progress(pilot, app)
        width = chart.content_size.width
        expected = pain_chart(load_plan(plan_path), TODAY, width, title=False)
        assert chart.chart(width).text() == expected.text()
        assert chart.size.height == len(expected.lines)
        rows = [
            "".join(seg.text for seg in strip) for strip in app.screen._compositor.render_strips()
        ]
        for line in expected.text().splitlines()[:12]:  # the pain rows and the axis
            assert any(line in row for row in rows), line


async def test_the_chart_is_legible_in_every_designed_theme(plan_path):
    app = app_for(plan_path, today=RACE_DAY)
    found = []
    async with app.run_test(size=(160, 50)) as pilot:
        session = app.session
        session.set_done(RACE_DAY - timedelta(days=2), "run", True)  # a bar to draw
        await open_progress(pilot, app)
        for size in ((160, 50), (80, 24)):
            await pilot.resize_terminal(*size)
            for theme in DESIGNED:
                app.theme = theme
                await pilot.pause()
                found += problems(app, f"{theme} {size}")
    assert not found, "\n".join(found[:20])


async def test_the_chart_follows_the_dialog_s_width(plan_path):
    app = app_for(plan_path)
    async with app.run_test(size=(160, 50)) as pilot:
        chart = await open_progress(pilot, app)
        wide = chart.content_size.width
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        narrow = chart.content_size.width
        assert narrow < wide
        assert all(len(line) <= narrow for line in chart.chart(narrow).text().splitlines())


def test_nothing_of_the_chart_loads_before_the_first_frame(first_frame):  # noqa: F811
    _, modules = first_frame
    early = [
        name
        for name in ("planner.chart", "planner.tui.widgets.pain_chart", "textual_plotext")
        if loaded(name, modules)
    ]
    assert early == []
