"""Pilot tests of the plan switcher (with a damaged plan and archiving), progress, export."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from icalendar import Calendar
from textual.widgets import Input, OptionList

from planner import snapshot
from planner.chart import DOT
from planner.demo import demo_plan
from planner.engine import build_plan
from planner.model import PlanInputs
from planner.paths import list_plans
from planner.store import PlanFile, load_plan
from planner.tui.dialogs.export import ExportDialog
from planner.tui.dialogs.open_plan import OpenPlanDialog
from planner.tui.dialogs.progress import ProgressScreen
from planner.tui.screens.plan import PlanScreen
from planner.tui.widgets.pain_chart import PainChart
from tests.test_tui_plan import app_for, screen_text, wait_for

TODAY = date(2026, 12, 20)  # after the forum plan's last day (13 Dec): it is finished
SIZE = (120, 40)


def library(tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    old = demo_plan(date(2026, 11, 24))
    PlanFile.create(plans / "bristol-half.toml", old)
    later = build_plan(
        PlanInputs(date(2026, 11, 20), date(2027, 3, 7), name="Spring [10k]"), date(2026, 11, 21)
    )
    PlanFile.create(plans / "spring-10k.toml", later)
    (plans / "damaged.toml").write_text("schema_version = 1\n[plan\n")
    return plans


async def test_switcher_lists_plans_shows_the_damaged_one_and_archives_a_finished_plan(tmp_path):
    plans = library(tmp_path)
    app = app_for(plans / "spring-10k.toml", TODAY)
    finished = plans / "bristol-half.toml"  # opened before: the app kept its snapshot
    snapshot.write(app.snapshots, finished, finished.read_bytes(), load_plan(finished))
    assert snapshot.snapshot_path(app.snapshots, finished).exists()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, OpenPlanDialog))
        shown = screen_text(app)
        assert "bristol-half.toml" in shown and "damaged.toml: can't be read" in shown
        assert "Spring [10k]  (open now)" in shown
        options = app.screen.query_one("#plans", OptionList)
        assert options.option_count == 3
        options.highlighted = 0  # bristol-half: finished on 13 Dec
        await pilot.press("A")
        await wait_for(pilot, lambda: options.option_count == 2)
        options.highlighted = [options.get_option_at_index(i).id for i in range(2)].index(
            str(plans / "spring-10k.toml")
        )
        await pilot.press("A")  # the open plan is not archived
        assert "is open" in str(app.screen.query_one("#open-error").render())
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
    assert [p.name for p in list_plans(plans)] == ["damaged.toml", "spring-10k.toml"]
    archived = plans / "archive" / "bristol-half.toml"
    assert load_plan(archived).name == "Bristol Half"
    assert not snapshot.snapshot_path(app.snapshots, finished).exists()  # gone with it


async def test_progress_panel_draws_the_pain_trend(tmp_path):
    plans = library(tmp_path)
    app = app_for(plans / "bristol-half.toml", date(2026, 11, 24))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("P")
        await wait_for(pilot, lambda: isinstance(app.screen, ProgressScreen))
        chart = app.screen.query_one(PainChart)
        drawn = chart.chart(chart.content_size.width).text().split("\nphase")[0]
        assert drawn.count(DOT) == 4  # the four logs, as dots over their dates
        shown = screen_text(app)
        assert "Pain, 4 logs: 5 -> 3, falling" in shown and "Streak:" in shown
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))


async def test_export_dialog_writes_a_calendar(tmp_path):
    plans = library(tmp_path)
    app = app_for(plans / "bristol-half.toml", date(2026, 11, 24))
    target = tmp_path / "phone.ics"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog))
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.click("#export")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
    events = Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    assert len(events) == len(load_plan(plans / "bristol-half.toml").days)


async def test_closing_the_switcher_keeps_the_plan_open(tmp_path):
    plans = library(tmp_path)
    app = app_for(plans / "bristol-half.toml", date(2026, 11, 24))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, OpenPlanDialog))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        await pilot.pause()
        assert app.is_running


async def test_export_offers_the_exports_folder_beside_the_plans(tmp_path):
    plans = library(tmp_path)
    home = plans.parent
    app = app_for(plans / "bristol-half.toml", date(2026, 11, 24))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog))
        offered = Path(app.screen.query_one("#export-path", Input).value)
        assert offered == home / "exports" / "bristol-half.ics"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
    assert (home / "exports").is_dir() and (home / "exports").stat().st_mode & 0o777 == 0o700
    assert Calendar.from_ical(offered.read_bytes()).walk("VEVENT")
