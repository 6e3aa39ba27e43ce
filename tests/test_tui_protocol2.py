"""Protocol 2 through the TUI as a runner uses it: each pain rule logged with `p` (the
preview names what changes; accepting records it with its re-plan) and each race-day call
on the decision screen; each ends on the file on disk."""

from __future__ import annotations

from datetime import date

from planner.demo import demo_plan
from planner.engine import build_plan
from planner.model import Distance, InjuryKind, PlanInputs, Side
from planner.store import PlanFile, load_plan
from planner.tui.dialogs.decision import DecisionScreen
from planner.tui.dialogs.pain import PainDialog
from planner.tui.dialogs.preview import ChangePreview
from planner.tui.screens.plan import PlanScreen
from tests.test_decide import PASS, ideal
from tests.test_tui_plan import app_for, wait_for

SIZE = (120, 40)
GATE_DAY = date(2026, 11, 26)  # the forum runner's gate (race-3)
RUN_DAY = date(2026, 11, 27)


def forum_file(tmp_path, gate_passed=True):
    from planner.ops import RecordGate

    path = tmp_path / "plans" / "bristol-half.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    plan = demo_plan(GATE_DAY)
    if gate_passed:
        RecordGate(GATE_DAY, PASS).apply(plan)
    PlanFile.create(path, plan)
    return path


async def log_pain(pilot, score: str) -> list[str]:
    """Press p, type the score, skip the note; return the preview's lines (accepted)."""
    app = pilot.app
    await pilot.press("p")
    await wait_for(pilot, lambda: isinstance(app.screen, PainDialog))
    await pilot.press(*score, "enter", "enter")
    await wait_for(pilot, lambda: isinstance(app.screen, ChangePreview | PlanScreen))
    lines: list[str] = []
    if isinstance(app.screen, ChangePreview):
        lines = list(app.screen.lines)
        await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
    return lines


async def test_red_in_the_tui_turns_the_next_run_into_cross_training(tmp_path):
    path = forum_file(tmp_path)
    app = app_for(path, GATE_DAY)
    async with app.run_test(size=SIZE) as pilot:
        lines = await log_pain(pilot, "6")
        assert any(
            line.startswith("Fri 27 Nov: walk-run 30 min") and "instead of running" in line
            for line in lines
        )
    run_day = load_plan(path).day(RUN_DAY)
    assert load_plan(path).day(GATE_DAY).pain == 6
    assert run_day.task("run") is None and run_day.task("run-swap") is not None


async def test_amber_in_the_tui_holds_and_green_changes_nothing(tmp_path):
    path = forum_file(tmp_path)
    app = app_for(path, GATE_DAY)
    async with app.run_test(size=SIZE) as pilot:
        lines = await log_pain(pilot, "3")
        assert any("instead of running" in line for line in lines)
    assert load_plan(path).day(RUN_DAY).task("run-swap") is not None
    path = forum_file(tmp_path / "green")
    before = load_plan(path).day(RUN_DAY)
    app = app_for(path, GATE_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await log_pain(pilot, "1")
    assert load_plan(path).day(RUN_DAY).task("run") == before.task("run")


async def test_two_red_days_in_the_tui_show_the_warning_and_hold_the_plan(tmp_path):
    path = forum_file(tmp_path)
    app = app_for(path, GATE_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await log_pain(pilot, "6")
    app = app_for(path, RUN_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await log_pain(pilot, "7")
        clinician = app.screen.query_one("#clinician")
        assert clinician.display and "clinician" in str(clinician.render())
    plan = load_plan(path)
    ahead = [d for d in plan.days if d.date > RUN_DAY]
    assert not any(d.task("run") or d.task("gate") for d in ahead)


async def test_the_three_calls_on_the_decision_screen(tmp_path):
    def shown(plan, today):
        path = tmp_path / f"{plan.name}.toml"
        PlanFile.create(path, plan)
        return path

    async def call_on_screen(path, today):
        app = app_for(path, today)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("D")
            await wait_for(pilot, lambda: isinstance(app.screen, DecisionScreen))
            return str(app.screen.query_one("#decision-full").render())

    eve = date(2026, 11, 28)
    # don't start: the forum runner with no gate recorded
    plan = demo_plan(eve)
    plan.name = "nogate"
    words = await call_on_screen(shown(plan, eve), eve)
    assert "Don't start" in words and "No run gate recorded yet" in words
    # run-walk: one walk-run after the gate, for a 5k
    five = build_plan(
        PlanInputs(
            date(2026, 11, 20), date(2026, 11, 29), InjuryKind.STRAIN, 1, Side.LEFT, Distance.K5
        ),
        date(2026, 11, 21),
        created=None,
    )
    five.name = "fivek"
    ideal(five, eve)
    words = await call_on_screen(shown(five, eve), eve)
    assert "Run-walk" in words
    # race: a longer plan with every run done pain-free
    long = build_plan(
        PlanInputs(
            date(2026, 11, 1), date(2026, 11, 29), InjuryKind.STRAIN, 1, Side.LEFT, Distance.K5
        ),
        date(2026, 11, 1),
    )
    long.name = "long"
    ideal(long, eve)
    words = await call_on_screen(shown(long, eve), eve)
    assert "Race-day call: Race" in words
