"""Red flags (protocol 2): asked by `planner new` in a terminal as by the TUI form, printed
and recorded as unanswered without one, checked again on day 1, day 7, race-1 and race+1,
and a plan whose questions were never answered never gets a permissive race-day call."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from planner.advice import decide
from planner.cli import main, red_flags
from planner.cli.common import DataError
from planner.engine import build_plan
from planner.model import GateResult, InjuryKind, PlanInputs, Safety
from planner.ops import LogPain, RecordGate, SetDone
from planner.rules import load_rules
from planner.store import dumps_plan, load_plan, parse_plan

TODAY = date(2026, 11, 21)
NOON = datetime(2026, 11, 21, 12, tzinfo=UTC)


def answers(*replies):
    """A stand-in for input(): the replies in turn, then end of input."""
    queue = list(replies)

    def read(prompt: str) -> str:
        if not queue:
            raise EOFError
        return queue.pop(0)

    return read


def test_all_no_makes_an_answered_safety_record(capsys):
    count = len(red_flags.flags_for("grade1"))
    safety = red_flags.ask("grade1", TODAY, answers(*["n"] * count))
    assert safety == Safety(checked=TODAY) and safety.answered
    assert "safety check" in capsys.readouterr().out


def test_a_yes_shows_its_advice_and_makes_no_plan_unless_a_clinician_cleared_it(capsys):
    flags = red_flags.flags_for("grade1")
    replies = ["y" if f.id == "clot" else "n" for f in flags]
    with pytest.raises(DataError, match="No plan made: see a clinician first"):
        red_flags.ask("grade1", TODAY, answers(*replies, "n"))
    assert "blood clot" in capsys.readouterr().out
    safety = red_flags.ask("grade1", TODAY, answers(*replies, "y"))
    assert safety.flags == ["clot"] and safety.clinician_cleared


def test_emergencies_come_first_and_an_unclear_answer_is_asked_again(capsys):
    flags = red_flags.flags_for("cramp")
    emergencies = [f.emergency for f in flags]
    assert emergencies == sorted(emergencies, reverse=True)
    assert {"dark-urine", "collapse", "long-cramp", "same-spot"} <= {f.id for f in flags}
    assert not {"dark-urine"} & {f.id for f in red_flags.flags_for("grade2")}
    safety = red_flags.ask("cramp", TODAY, answers("maybe", *["n"] * len(flags)))
    assert safety.answered
    assert "Please answer y (yes) or n (no)." in capsys.readouterr().out
    with pytest.raises(DataError, match="not answered"):
        red_flags.ask("cramp", TODAY, answers("n"))  # Ctrl+D half-way: no plan


def test_without_a_terminal_the_questions_are_printed_and_recorded_as_unanswered(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("PLANNER_HOME", str(tmp_path))
    args = ["new", "--injury", "2026-11-20", "--race", "2026-11-29", "--today", "2026-11-21"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert out.startswith("Red flags (not asked: no terminal)")
    assert "EMERGENCY - Are you breathless" in out
    (path,) = (tmp_path / "plans").glob("*.toml")
    assert "answered = false" in path.read_text()
    assert load_plan(path).safety == Safety(checked=TODAY, answered=False)


def test_the_unanswered_mark_round_trips_and_an_answered_record_omits_it():
    plan = build_plan(PlanInputs(date(2026, 11, 20), date(2026, 11, 29)), TODAY)
    plan.safety = Safety(checked=TODAY, answered=False)
    again = parse_plan(dumps_plan(plan).encode(), "p.toml")
    assert again.safety == plan.safety
    plan.safety = Safety(checked=TODAY)
    assert "answered" not in dumps_plan(plan)


def test_the_checks_come_back_on_day_1_day_7_race_eve_and_the_day_after():
    plan = build_plan(PlanInputs(date(2026, 11, 10), date(2026, 11, 29)), date(2026, 11, 10))
    days = {n: {t.id for t in d.tasks} for n, d in enumerate(plan.days)}
    race = (plan.race_date - plan.injury_date).days
    checks = sorted(n for n, ids in days.items() if ids & {"red-flags", "red-flags-again"})
    assert checks == [0, 1, 7, race - 1, race + 1]
    task = plan.days[7].task("red-flags-again")
    assert task.dose.startswith("EMERGENCY") and "breathless" in task.dose
    cramp = build_plan(
        PlanInputs(date(2026, 11, 20), date(2026, 12, 5), InjuryKind.CRAMP, None), TODAY
    )
    assert [n for n, d in enumerate(cramp.days) if d.task("cramp-flags")][:3] == [0, 1, 7]


def test_never_answered_is_dont_start_until_a_check_is_ticked():
    inputs = PlanInputs(date(2026, 11, 1), date(2026, 11, 29), distance="5k")
    plan = build_plan(inputs, date(2026, 11, 1))
    plan.safety = Safety(checked=date(2026, 11, 1), answered=False)
    eve = date(2026, 11, 28)
    gate = next(d.date for d in plan.days if d.task("gate"))
    RecordGate(gate, GateResult(30, 10, 30, True), NOON).apply(plan)
    for day in plan.days:
        if gate < day.date <= eve and day.task("run"):
            SetDone(day.date, "run", True, NOON).apply(plan)
        if day.date <= eve:
            LogPain(day.date, 0).apply(plan)
    decision = decide(plan, eve)
    assert decision.call == "dont-start"
    words = load_rules().decision.texts["red_flag_unanswered"]
    assert words in decision.reasons
    SetDone(plan.days[1].date, "red-flags-again", True, NOON).apply(plan)
    assert decide(plan, eve).call != "dont-start"
