"""One place for each use case: the command line and the TUI change a plan through the same
session, so they can't disagree: the gate verdict, the "day hasn't come yet" check, what a
re-plan changed, and a pain entry or gate result recorded with its re-plan or not at all.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.changes import summarize
from planner.cli import main
from planner.service import gate_result
from planner.store import load_plan
from planner.tui.dialogs.pain import PainDialog
from planner.tui.dialogs.preview import ChangePreview
from planner.tui.dialogs.skip import SkipDialog
from planner.tui.screens.plan import PlanScreen
from tests.test_tui_adapt import GATE_DAY, RUN_DAY, SIZE, path_at  # noqa: F401
from tests.test_tui_plan import app_for, wait_for


def notified(app) -> str:
    return " | ".join(n.message for n in app._notifications)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 60), st.integers(0, 30), st.integers(0, 60))
def test_the_command_line_says_the_verdict_the_session_records(raises, hops, walk):
    import tempfile
    from pathlib import Path

    from planner.demo import demo_plan
    from planner.store import PlanFile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.toml"
        PlanFile.create(path, demo_plan(GATE_DAY))
        code = main(
            [
                "gate",
                str(path),
                "--raises",
                str(raises),
                "--hops",
                str(hops),
                "--walk",
                str(walk),
                "--today",
                GATE_DAY.isoformat(),
            ]
        )
        assert code == 0
        recorded = load_plan(path).day(GATE_DAY).gate
    assert recorded == gate_result(raises, hops, walk)


def test_a_day_not_yet_come_is_refused_alike(path_at, capsys):  # noqa: F811
    path = path_at(GATE_DAY)
    before = path.read_bytes()
    tomorrow = "2026-11-27"
    for words in (
        ["pain", "3", str(path), "--date", tomorrow],
        ["tick", "1", str(path), "--date", tomorrow],
        ["gate", str(path), "--raises", "30", "--hops", "10", "--walk", "30", "--date", tomorrow],
    ):
        assert main([*words, "--today", GATE_DAY.isoformat()]) == 2
        err = capsys.readouterr().err
        assert "--date: Fri 27 Nov 2026 hasn't come yet" in err, err
    assert path.read_bytes() == before


def test_a_pain_log_without_note_or_rest_flag_keeps_the_days_own(path_at, capsys):  # noqa: F811
    path = path_at(GATE_DAY)
    when = GATE_DAY.isoformat()
    today = ["--today", when]
    assert main(["pain", "3", str(path), "--note", "stiff", "--at-rest", *today]) == 0
    assert main(["pain", "2", str(path), *today]) == 0
    day = load_plan(path).day(GATE_DAY)
    assert (day.pain, day.note, day.at_rest) == (2, "stiff", True)
    capsys.readouterr()


async def test_cancelling_a_pain_preview_records_nothing(path_at):  # noqa: F811
    path = path_at(GATE_DAY)
    before = path.read_bytes()
    app = app_for(path, GATE_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, PainDialog))
        await pilot.press("6", "enter", "enter")  # the score, then an empty note
        await wait_for(pilot, lambda: isinstance(app.screen, ChangePreview))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        assert "Nothing recorded" in notified(app)
        assert app.session.plan.day(GATE_DAY).pain is None
    assert path.read_bytes() == before


async def test_cancelling_a_pain_skip_preview_records_nothing(path_at):  # noqa: F811
    path = path_at(GATE_DAY)
    before = path.read_bytes()
    app = app_for(path, GATE_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, SkipDialog))
        await pilot.click("#skip")  # the first reason: pain
        if isinstance(app.screen, ChangePreview):
            await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        skipped = [t for t in app.session.plan.day(GATE_DAY).tasks if t.skip is not None]
        recorded = path.read_bytes() != before
        # With changes to preview, cancelling keeps nothing; without, the skip is recorded
        # with its (empty) re-plan at once. Either way never a skip without its re-plan.
        assert bool(skipped) == recorded


async def test_an_accepted_pain_entry_prints_and_previews_the_same_change(path_at, capsys):  # noqa: F811
    path = path_at(GATE_DAY)
    app = app_for(path, GATE_DAY)
    async with app.run_test(size=SIZE):
        preview = app.session.preview(app.session.pain_ops(GATE_DAY, 6, "", False), GATE_DAY)
    assert preview, "a red day before the race changes the plan ahead"
    code = main(["pain", "6", str(path), "--today", GATE_DAY.isoformat()])
    out = capsys.readouterr().out
    assert code == 0
    for line in summarize(preview):  # the command line shows the first few and a count
        assert line in out, (line, out)
    assert re.search(r"Pain 6/10 logged for Thu 26 Nov", out)
    assert load_plan(path).day(RUN_DAY).task("run") is None
