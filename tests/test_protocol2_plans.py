"""The four plans of issue 13, read day by day against domain.md's protocol 2, through the
command line as a runner makes them: the forum runner (its worked example), a grade 2 strain
16 days before a marathon, a grade 1 strain 5 days before a 10k, and a cramp 5 days before a
10k. Each ends on the file on disk and the printed words."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from planner.cli import main
from planner.model import Category, Phase
from planner.store import load_plan

RUN_FREE = {Category.RUN}
PROTECT_NEVER = {Category.RUN, Category.STRETCH, Category.HEAT, Category.MASSAGE}


@pytest.fixture
def make(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PLANNER_HOME", str(tmp_path))

    def run(*args, today):
        code = main([*args, "--today", today])
        out, err = capsys.readouterr()
        assert code == 0, err
        return out

    def new(name, injury, race, today, *more):
        out = run("new", "--injury", injury, "--race", race, "--name", name, *more, today=today)
        (path,) = [p for p in (tmp_path / "plans").glob("*.toml") if name.lower()[:5] in p.name]
        return load_plan(path), out, path

    new.run = run
    return new


def ids(day):
    return {t.id for t in day.tasks}


def cats(day):
    return {t.category for t in day.tasks}


def test_the_forum_runner_as_the_worked_example(make):
    plan, _, _ = make("Bristol", "2026-11-20", "2026-11-29", "2026-11-21", "--side", "left")
    day = plan.days
    assert [d.phase for d in day[:3]] == [Phase.PROTECT] * 3
    for n in range(3):  # walk short and often; no running, stretching, heat or massage
        assert "walk" in ids(day[n]) and not cats(day[n]) & PROTECT_NEVER
    assert "isometric" in ids(day[1]) and "red-flags" in ids(day[1])
    assert {"raises-double", "stretch", "self-massage", "heat", "cross-train"} <= ids(day[3])
    assert "sports-massage" in ids(day[3])  # a physio suggestion: the race is within 14 days
    assert "raises-single" in ids(day[4]) and "raises-single" not in ids(day[3])
    assert "hop-practice" in ids(day[5])
    assert "gate" in ids(day[6])  # race-3; the usual day 10 is too late, the earliest is 6
    first = day[7].task("run")
    assert first.title == "Walk-run 30 min: walk 4, jog 1, repeat"
    assert "red-flags-again" in ids(day[7])
    assert day[8].task("run") is None and {"rest-day", "decide", "red-flags-again"} <= ids(day[8])
    assert day[9].phase == Phase.RACE and "race" in ids(day[9])
    assert [d.phase for d in day[10:]] == [Phase.AFTER] * 14
    assert "run-check" in ids(day[12]) and "red-flags-again" in ids(day[10])
    assert not any(t.category == Category.HEEL_DROPS for d in day[:10] for t in d.tasks)
    assert any(d.task("heel-drops") for d in day[10:])  # strength sessions after the race
    assert "keep-strong" in ids(day[-1])
    assert "Expect a run-walk or a non-start" in plan.warning
    # Lived as in the example: the gate passed, the one walk-run done, pain low.
    make.run("tick", "red-flags", "Bristol", "--date", "2026-11-21", today="2026-11-21")
    make.run(
        "gate", "Bristol", "--raises", "26", "--hops", "10", "--walk", "30", today="2026-11-26"
    )
    make.run("tick", "run", "Bristol", today="2026-11-27")
    make.run("pain", "1", "Bristol", today="2026-11-27")
    make.run("pain", "1", "Bristol", today="2026-11-28")
    call = make.run("decide", "Bristol", today="2026-11-28")
    assert "Race-day call: Don't start" in call
    assert "30 min; racing needs 78 min" in call and "If you start anyway" in call


def test_a_grade_2_strain_16_days_before_a_marathon_is_a_certain_dont_start(make):
    plan, _, _ = make(
        "Marathon",
        "2026-11-13",
        "2026-11-29",
        "2026-11-14",
        "--grade",
        "2",
        "--distance",
        "marathon",
    )
    race = 16
    assert "don't start" in plan.warning and "run-walk" not in plan.warning.lower()
    assert "physio" in ids(plan.days[2])
    assert [d.phase for d in plan.days[:4]] == [Phase.PROTECT] * 4
    assert not any(t.category == Category.RUN for d in plan.days[: race + 1] for t in d.tasks)
    assert not any(d.task("gate") for d in plan.days[: race + 1])
    race_day = plan.days[race]
    assert race_day.phase == Phase.RACE and race_day.task("dont-start") is not None
    assert race_day.task("race") is None
    assert "raises-single" in ids(plan.days[10]) and "raises-single" not in ids(plan.days[9])
    gate = next(n for n, d in enumerate(plan.days) if d.task("gate"))
    assert gate == 24 and plan.days[gate - 1].task("hop-practice") is not None
    assert plan.days[gate + 1].task("run").title.startswith("Walk-run 30 min: walk 4, jog 1")
    assert len(plan.days) >= race + 21 + 1
    call = make.run("decide", "Marathon", today="2026-11-28")
    assert "Race-day call: Don't start" in call and "grade 2 strain is 16 days old" in call


def test_a_grade_1_strain_5_days_before_a_10k_is_a_certain_dont_start(make):
    plan, _, _ = make("Parkside", "2026-11-19", "2026-11-24", "2026-11-21", "--distance", "10k")
    assert "don't start" in plan.warning
    assert not any(t.category == Category.RUN for d in plan.days[:6] for t in d.tasks)
    assert not any(d.task("hop-practice") or d.task("gate") for d in plan.days[:6])
    assert plan.days[5].task("dont-start") is not None
    gate = next(n for n, d in enumerate(plan.days) if d.task("gate"))
    assert gate == 10  # the usual day, after the race: the recovery goes on
    assert len(plan.days) == 5 + 21 + 1


def test_a_cramp_5_days_before_a_10k_goes_back_to_easy_running(make):
    plan, _, _ = make(
        "Cramp",
        "2026-11-21",
        "2026-11-26",
        "2026-11-21",
        "--injury-kind",
        "cramp",
        "--distance",
        "10k",
    )
    assert plan.warning is None
    assert plan.days[0].phase == Phase.PROTECT and "release-stretch" in ids(plan.days[0])
    assert "cramp-flags" in ids(plan.days[0])
    assert "gate" in ids(plan.days[1])  # the day-1 check
    run = plan.days[2].task("run")
    assert run.title == "Easy run 30 min"  # not the strain ladder
    assert plan.days[3].task("run") is None and plan.days[4].task("run") is None
    assert "race" in ids(plan.days[5])
    assert not any(t.category == Category.HEEL_DROPS for d in plan.days for t in d.tasks)
    assert {"red-flags-again", "cramp-flags"} <= ids(plan.days[4])  # race-1
    assert {"red-flags-again", "cramp-flags"} <= ids(plan.days[6])  # race+1
    assert plan.days[-1].date == date(2026, 11, 26) + timedelta(days=14)
