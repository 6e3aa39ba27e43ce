"""Pilot tests of the snapshot the app keeps for the next first frame (planner.snapshot):
written after the plan is read and after each save, used at the next start, never for a
file another program changed since, and gone with its plan."""

from __future__ import annotations

from planner import snapshot
from planner.store import PlanFile, load_plan, read_plan_bytes
from tests.test_concurrency import planner
from tests.test_tui_glimpse import TODAY, app_for, big  # noqa: F401  (the fixture)
from tests.test_tui_plan import SIZE, screen_text, wait_for


def stands_for(path) -> bool:
    """Whether the snapshot kept for `path` stands for the file's bytes as they are now."""
    folder = snapshot.folder_for(path.parent.parent)
    return snapshot.read(folder, path, read_plan_bytes(path), lambda *_: []) is not None


async def test_a_tick_is_kept_in_the_snapshot_the_next_start_shows(big):  # noqa: F811
    app = app_for(big)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.started)
        assert not app.from_snapshot  # the first open reads the TOML
        assert stands_for(big)  # kept right after the first frame
        await pilot.press("space")
        await wait_for(pilot, lambda: load_plan(big).day(TODAY).tasks[0].done)
        await wait_for(pilot, lambda: stands_for(big), timeout=5)  # within the second
    file = snapshot.snapshot_path(snapshot.folder_for(big.parent.parent), big)
    assert oct(file.stat().st_mode & 0o777) == "0o600"

    again = app_for(big)
    async with again.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: again.started)
        assert again.from_snapshot
        assert "[x]" in screen_text(again)
        assert again.session.plan == load_plan(big)  # the TOML, read whole after the frame
        await pilot.press("down", "space")
    assert [t.done for t in load_plan(big).day(TODAY).tasks][:2] == [True, True]


async def test_a_change_made_by_another_program_is_shown_not_the_snapshot(big):  # noqa: F811
    app = app_for(big)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.started and stands_for(big))
    home = big.parent.parent
    task = load_plan(big).day(TODAY).tasks[0]
    done = planner("tick", task.id, str(big), home=home, today=TODAY)  # while the app is closed
    assert done.returncode == 0, done.stderr
    assert not stands_for(big)
    again = app_for(big)
    async with again.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: again.started)
        assert not again.from_snapshot
        assert "[x]" in screen_text(again)
        assert stands_for(big)  # and kept anew for the start after


async def test_a_change_made_beside_the_open_app_is_in_the_next_snapshot(big):  # noqa: F811
    home = big.parent.parent
    tasks = load_plan(big).day(TODAY).tasks
    app = app_for(big)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.started and stands_for(big))
        done = planner("tick", tasks[1].id, str(big), home=home, today=TODAY)
        assert done.returncode == 0, done.stderr
        assert not stands_for(big)
        app.screen.poll_file()  # what the screen's one-second timer runs: reload, then keep
        await wait_for(pilot, lambda: stands_for(big))
        await pilot.press("space")  # the app's own tick, on top of the command line's
        await wait_for(pilot, lambda: load_plan(big).day(TODAY).tasks[0].done)
        await wait_for(pilot, lambda: stands_for(big), timeout=5)
    again = app_for(big)
    async with again.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: again.started)
        assert again.from_snapshot
        assert [t.done for t in again.session.plan.day(TODAY).tasks][:2] == [True, True]
    assert [t.done for t in load_plan(big).day(TODAY).tasks][:2] == [True, True]


async def test_the_snapshot_of_a_plan_gone_is_removed_at_the_next_start(big, tmp_path):  # noqa: F811
    app = app_for(big)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.started and stands_for(big))
    folder = snapshot.folder_for(big.parent.parent)
    kept = snapshot.snapshot_path(folder, big)
    other = big.with_name("other.toml")
    PlanFile.create(other, load_plan(big))
    big.rename(tmp_path / "deleted.toml")  # moved away by hand
    app = app_for(other)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.started)
    assert not kept.exists()
    assert snapshot.snapshot_path(folder, other).exists()
