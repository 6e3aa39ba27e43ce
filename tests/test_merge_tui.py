"""The plan screen and a conflict copy a sync tool left beside the plan: the dialog shows
what merging changes; Merge saves the merged plan (read back from disk) and shows it, Not
now changes nothing and doesn't ask again; the dialog is legible in a dark and a light
theme at 80x24."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

from planner.ops import AddTask, LogPain, Replan, SetDone
from planner.store import PlanFile, load_plan
from planner.tui.app import make_app, pinned_clock
from planner.tui.dialogs.merge import MergeDialog
from planner.tui.screens.plan import PlanScreen
from tests.test_tui_plan import SIZE, TODAY, screen_text, wait_for
from tests.test_tui_theme import problems

YESTERDAY = TODAY - timedelta(days=1)
NINE = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
COPY = "bristol-half.sync-conflict-20261124-101500-ABCDEFG.toml"


def app_for(path, **kwargs):
    return make_app(path, home=path.parent.parent, today=TODAY, now=pinned_clock(TODAY), **kwargs)


def leave_copy(plan_path):
    """The other machine's version: yesterday logged red (days re-planned), a task of its
    own today; the plan itself has today's first task ticked."""
    plan = load_plan(plan_path)
    theirs = copy.deepcopy(plan)
    LogPain(YESTERDAY, 6, "sore on the stairs", None, NINE).apply(theirs)
    Replan(TODAY, TODAY).apply(theirs)
    AddTask(TODAY, "my-a1b2c3", "Foam roll").apply(theirs)
    path = plan_path.parent / COPY
    PlanFile.create(path, theirs)
    ours = PlanFile.open(plan_path)
    ticked = plan.day(TODAY).tasks[0].id
    ours.apply(SetDone(TODAY, ticked, True, NINE))
    ours.save()
    return path, ticked


def notices(app) -> str:
    return " | ".join(n.message for n in app._notifications)


async def test_merge_from_the_dialog_saves_and_shows_the_merged_plan(plan_path):
    copy_path, ticked = leave_copy(plan_path)
    app = app_for(plan_path, remember_plans=False)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, MergeDialog))
        await pilot.pause()
        text = screen_text(app)
        assert "A conflict copy of Bristol Half" in text
        assert "Bristol Half (Syncthing, 2026-11-24 10:15, device ABCDEFG)" in text
        assert "Mon 23 Nov: pain 6 (was 3); note: sore on the stairs" in text
        assert "+ your task 'Foam roll'" in text
        assert "Merge" in text and "Not now" in text  # the keys in the footer
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        merged = load_plan(plan_path)  # on disk: both machines' records
        assert merged.day(YESTERDAY).pain == 6
        assert merged.day(TODAY).task(ticked).done
        assert merged.day(TODAY).task("my-a1b2c3").title == "Foam roll"
        assert not copy_path.exists()
        assert (plan_path.parent / f"{COPY}.merged-20261124T120000Z.bak").exists()
        assert (plan_path.parent / "bristol-half.toml.before-merge-20261124T120000Z.bak").exists()
        await pilot.pause()
        assert "Foam roll" in screen_text(app)  # the screen shows the merged plan
        assert app.screen.session.plan == merged
        assert "Merged " + COPY in notices(app)


async def test_not_now_changes_nothing_and_asks_no_more(plan_path):
    copy_path, _ = leave_copy(plan_path)
    before = plan_path.read_bytes(), copy_path.read_bytes()
    app = app_for(plan_path, remember_plans=False)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, MergeDialog))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        app.screen.poll_file()  # the screen's one-second timer: no second offer
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
    assert (plan_path.read_bytes(), copy_path.read_bytes()) == before


async def test_m_offers_a_copy_put_off_with_not_now_and_merges_it(plan_path):
    copy_path, ticked = leave_copy(plan_path)
    app = app_for(plan_path, remember_plans=False)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, MergeDialog))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        assert "M, or planner merge" in notices(app)
        await pilot.press("M")
        await wait_for(pilot, lambda: isinstance(app.screen, MergeDialog))
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        merged = load_plan(plan_path)  # read back from disk
        assert merged.day(YESTERDAY).pain == 6 and merged.day(TODAY).task(ticked).done
        assert not copy_path.exists()
        await pilot.press("M")  # nothing left to merge: said, not a dialog
        await wait_for(pilot, lambda: "No conflict copy of this plan" in notices(app))
        assert isinstance(app.screen, PlanScreen)


async def test_a_copy_of_another_plan_is_said_not_offered(plan_path):
    other = load_plan(plan_path)
    other.uid = "fedcba9876543210"
    PlanFile.create(plan_path.parent / COPY, other)
    app = app_for(plan_path, remember_plans=False)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "is not one" in notices(app))
        assert "their uid differs" in notices(app)
        assert isinstance(app.screen, PlanScreen)


async def test_the_merge_dialog_is_legible_on_every_cell(plan_path):
    leave_copy(plan_path)
    app = app_for(plan_path, remember_plans=False)
    found = []
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, MergeDialog))
        for theme in ("textual-dark", "textual-light"):
            app.theme = theme
            await pilot.pause()
            found += problems(app, f"{theme} merge dialog")
    assert not found, "\n".join(found[:20])
