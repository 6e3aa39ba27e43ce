"""A plan laid out by protocol 1 in the TUI: it opens as it was and says so; R shows what
re-laying its coming days by protocol 2 changes; cancel leaves the file byte for byte,
accept writes protocol 2 and leaves the past alone; u undoes it. Each ends on the file."""

from __future__ import annotations

from planner.model import PROTOCOL
from planner.store import load_plan
from planner.tui.dialogs.preview import ChangePreview
from planner.tui.screens.plan import PlanScreen
from tests.test_protocol1_plans import (
    FUTURE,
    OLD,
    TODAY,
    day_index,
    head_and_days,
    write_protocol1,
)
from tests.test_tui_plan import app_for, screen_text, wait_for

SIZE = (120, 40)
NOTICE = f"Laid out by protocol 1 — press R to re-plan the coming days by protocol {PROTOCOL}"


def notice_of(app) -> str | None:
    """The protocol notice's text while it shows, else None."""
    if not app.screen.banner_shown("protocol-notice"):
        return None
    return str(app.screen.query_one("#protocol-notice").render())


def key_bar_has_r(app) -> bool:
    return any(b.binding.action == "replan_protocol" for b in app.screen.active_bindings.values())


async def press_r(pilot) -> ChangePreview:
    await pilot.press("R")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ChangePreview))
    return pilot.app.screen


async def test_the_notice_shows_and_cancel_leaves_the_file_as_it_was(tmp_path):
    path = write_protocol1(tmp_path / "plans" / "bristol.toml")
    before = path.read_bytes()
    app = app_for(path, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, PlanScreen)
        assert notice_of(app) == NOTICE
        assert key_bar_has_r(app)
        await wait_for(pilot, lambda: f"Re-plan by protocol {PROTOCOL}" in screen_text(app))
        preview = await press_r(pilot)
        assert preview.lines[0].startswith(
            f"The coming days are now laid out by protocol {PROTOCOL}"
        )
        assert any("protocol 1 stretch" in line for line in preview.lines)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        assert notice_of(app) == NOTICE and not app.session.undo_stack
    assert path.read_bytes() == before


async def test_accept_writes_protocol_2_keeps_the_past_and_undo_takes_it_back(tmp_path):
    path = write_protocol1(tmp_path / "plans" / "bristol.toml")
    _, days = head_and_days(path.read_bytes())
    app = app_for(path, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await press_r(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        await wait_for(pilot, lambda: notice_of(app) is None)
        assert not key_bar_has_r(app)
        data = path.read_bytes()
        assert f"\nprotocol = {PROTOCOL}\n".encode() in data
        _, new_days = head_and_days(data)
        assert new_days[: day_index(TODAY)] == days[: day_index(TODAY)]
        plan = load_plan(path)
        assert plan.protocol == PROTOCOL
        assert plan.day(TODAY).task(OLD).done  # ticked: kept
        assert plan.day(FUTURE).task("my-abc123") is not None  # the runner's own: kept
        await pilot.press("R")  # nothing to do now: no dialog
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        await pilot.press("u")
        await wait_for(pilot, lambda: notice_of(app) == NOTICE)
        assert key_bar_has_r(app)
    head, undone = head_and_days(path.read_bytes())
    assert undone == days and b"protocol" not in b"\n".join(head)


async def test_the_palette_lists_the_replan_only_for_an_older_plan(tmp_path):
    from planner.tui.app import PlannerApp

    path = write_protocol1(tmp_path / "plans" / "bristol.toml")
    app = app_for(path, TODAY)
    async with app.run_test(size=SIZE):
        titles = [c.title for c in PlannerApp.get_system_commands(app, app.screen)]
        assert f"Re-plan by protocol {PROTOCOL}" in titles
        app.screen.session.replan_protocol()
        titles = [c.title for c in PlannerApp.get_system_commands(app, app.screen)]
        assert f"Re-plan by protocol {PROTOCOL}" not in titles


async def test_a_protocol_2_plan_shows_no_notice(tmp_path):
    from planner.demo import demo_plan
    from planner.store import PlanFile

    path = tmp_path / "plans" / "new.toml"
    path.parent.mkdir()
    PlanFile.create(path, demo_plan(TODAY))
    app = app_for(path, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        assert notice_of(app) is None and not key_bar_has_r(app)
        await pilot.press("R")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
