"""Pilot tests of opening a big plan from a glimpse: nothing typed early is lost or misapplied."""

from __future__ import annotations

from datetime import timedelta

import pytest

from planner.paths import last_plan
from planner.store import PlanFile, load_plan
from planner.tui.app import PlannerApp, make_app, pinned_clock
from planner.tui.screens.load_error import LoadErrorScreen
from tests.test_glimpse import INJURY, long_plan
from tests.test_tui_plan import SIZE, screen_text, wait_for

TODAY = INJURY + timedelta(days=30)


@pytest.fixture
def big(tmp_path):
    path = tmp_path / "plans" / "long-build.toml"
    path.parent.mkdir()
    PlanFile.create(path, long_plan(20, {3: 8, 4: 8}, set(), None))
    return path


def app_for(path):
    return make_app(path, home=path.parent.parent, today=TODAY, now=pinned_clock(TODAY))


async def test_the_whole_plan_replaces_the_glimpse_after_the_first_frame(big):
    app = app_for(big)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.started)
        assert not app.session.file.partial
        assert len(app.session.plan.days) == len(load_plan(big).days)
        await pilot.press("space")
    day = load_plan(big).day(TODAY)
    assert day.tasks[0].done


async def test_a_key_pressed_before_the_whole_plan_is_read_waits_for_it(big, monkeypatch):
    # Hold the glimpse on screen, as if the key came before the first frame had settled.
    monkeypatch.setattr(PlannerApp, "first_frame_shown", lambda self: None)
    before = load_plan(big)
    app = app_for(big)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.session.file.partial
        shown = screen_text(app)
        assert "day 30 since injury" in shown and "[ ]" in shown
        await pilot.press("space", "down", "space")
        assert not app.session.file.partial
    after = load_plan(big)
    assert len(after.days) == len(before.days)
    assert [t.done for t in after.day(TODAY).tasks][:2] == [True, True]
    for old, new in zip(before.days, after.days, strict=True):
        if old.date != TODAY:
            assert old == new


async def test_a_damage_beyond_the_glimpse_shows_the_load_error_and_keeps_the_file(big):
    text = big.read_text()
    at = text.index(f"date = {INJURY + timedelta(days=120)}")
    big.write_text(text[:at] + text[at:].replace('phase = "', 'phase = "sideways-', 1))
    before = big.read_bytes()
    app = app_for(big)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LoadErrorScreen))
        await wait_for(pilot, lambda: "sideways" in screen_text(app))
        await pilot.press("space", "q")
    assert big.read_bytes() == before
    assert last_plan(big.parent.parent) is None  # a plan that can't be read isn't the last used
