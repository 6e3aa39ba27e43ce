"""How-tos in the protocol: every exercise says how it is done, in a few short lines that
agree with its dose, and `how_to` finds the right steps for a plan's task."""

from __future__ import annotations

import copy
import re
from datetime import date, timedelta
from importlib import resources

import pytest
import tomli
from hypothesis import given
from hypothesis import strategies as st

from planner.engine import build_plan, injury_class
from planner.model import Category, Phase, PlanInputs, Task
from planner.rules import (
    HOW_LINES,
    HOW_WIDTH,
    RulesError,
    Template,
    all_templates,
    how_to,
    load_rules,
    parse_rules,
)

# `planner show --how` prints a step at its deepest 13 columns in (two-digit task numbers).
SHOW_INDENT = 13
# The exercises that aren't a raise, heel drop, hold or stretch (the loader insists on
# those): massages, hops, strides and the tests made of raises and hops.
OTHER_EXERCISES = {
    "cramp-massage",
    "self-massage",
    "after-massage",
    "hop-practice",
    "gate",
    "run-check",
}
STRENGTH_AND_STRETCH = {
    Category.CALF_RAISES,
    Category.HEEL_DROPS,
    Category.ISOMETRIC,
    Category.STRETCH,
}
NOT_EXERCISES = {
    Category.REST,
    Category.RACE,
    Category.HYDRATION,
    Category.ICE,
    Category.COMPRESSION,
    Category.HEAT,
}


@pytest.fixture
def doc():
    text = resources.files("planner.rules").joinpath("protocol.toml").read_text("utf-8")
    return tomli.loads(text)


def templates() -> list[Template]:
    return all_templates(load_rules())


def is_exercise(template: Template) -> bool:
    rules = load_rules()
    strides = template is rules.running.strides or template in rules.running.sprint
    return template.category in STRENGTH_AND_STRETCH or template.id in OTHER_EXERCISES or strides


def test_every_exercise_says_how_in_four_to_six_lines_that_fit_80_columns():
    exercises = [t for t in templates() if is_exercise(t)]
    assert len(exercises) >= 20
    for template in exercises:
        assert HOW_LINES[0] <= len(template.how) <= HOW_LINES[1], template.title
        for line in template.how:
            assert line == line.strip() and line.isprintable(), line
            assert SHOW_INDENT + len(line) <= 80, line
            assert len(line) <= HOW_WIDTH


def test_what_isnt_an_exercise_has_no_steps():
    rules = load_rules()
    others = [t for t in templates() if not is_exercise(t)]
    for template in others:
        assert template.how == (), template.title
    # a rest day, the race, a clinician visit, the race-day call, the walk-run ladder
    assert {t.category for t in others} >= NOT_EXERCISES
    assert all(step.how == () for step in rules.running.ladder)
    assert next(t for t in rules.tasks if t.id == "physio").how == ()
    assert next(t for t in rules.tasks if t.id == "sports-massage").how == ()


def _limits(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"(\d+)/10", text)]


def test_no_step_allows_more_pain_than_its_dose_or_the_pain_rules():
    rules = load_rules()
    for template in templates():
        steps = " ".join(template.how)
        for limit in _limits(steps):
            # never past amber's start: a step can't say to push on at 4/10 or more
            assert limit <= rules.pain.green_max + 1, template.title
            dose_limits = _limits(template.dose)
            if dose_limits:
                assert limit <= min(dose_limits), template.title
        if template.category is Category.ISOMETRIC:  # protect's own limit: 2/10
            assert _limits(steps) == [rules.pain.green_max]
        if template.how:
            assert _limits(steps) or "hurt" in steps or "twinge" in steps, template.title


def test_every_hold_and_tempo_in_the_steps_is_the_doses():
    for template in templates():
        for seconds in re.findall(r"\b(\d+(?:-\d+)?) s\b", " ".join(template.how)):
            assert f"{seconds} s" in template.dose, (template.title, seconds)


def test_a_strains_first_days_steps_bring_in_nothing_protect_forbids():
    # Protect for a strain: no stretching, heat or massage; its one exercise is the hold,
    # and its steps must not slip any of them back in.
    rules = load_rules()
    strain_protect = [
        t
        for t in rules.tasks
        if t.how
        and t.when.phases is not None
        and Phase.PROTECT in t.when.phases
        and (t.when.kinds is None or "grade1" in t.when.kinds)
    ]
    assert [t.id for t in strain_protect] == ["isometric"]
    for template in strain_protect:
        words = " ".join(template.how).lower()
        for forbidden in ("stretch", "massage", "heat", "roll", "run"):
            assert forbidden not in words


# --------------------------------------------------------------------------- the loader


def _first(doc, task_id: str) -> dict:
    return next(t for t in doc["tasks"] if t["id"] == task_id)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: _first(d, "stretch").update(how=["a", "b", "c"]), "how: 4-6 lines, not 3"),
        (lambda d: _first(d, "stretch").update(how=["a"] * 7), "how: 4-6 lines, not 7"),
        (lambda d: _first(d, "stretch").update(how=["x" * 65, *"bcd"]), "at most 64"),
        (lambda d: _first(d, "stretch").update(how=["the {calf}", *"bcd"]), "no placeholders"),
        (lambda d: _first(d, "stretch").update(how=["a\nb", *"bcd"]), "one line of text"),
        (lambda d: _first(d, "stretch").update(how=[" a", *"bcd"]), "one line of text"),
        (lambda d: _first(d, "stretch").update(how="hold it"), "expected list"),
        (lambda d: _first(d, "stretch").pop("how"), "how: missing; every stretch template"),
        (lambda d: _first(d, "raises-double").pop("how"), "every calf-raises template"),
        (lambda d: d["gate"].update(how=["a", "b"]), "gate.how: 4-6 lines"),
        (lambda d: d["running"]["strides"].update(how=["a"]), "running.strides.how"),
        # two isometric holds with the same title and different steps: which one a task
        # gets would depend on the file's order
        (
            lambda d: [t for t in d["tasks"] if t["id"] == "isometric"][1].update(
                how=["a", "b", "c", "d"]
            ),
            "say different steps",
        ),
    ],
)
def test_the_loader_refuses_bad_steps(doc, mutate, message):
    bad = copy.deepcopy(doc)
    mutate(bad)
    with pytest.raises(RulesError, match=re.escape(message)):
        parse_rules(bad)


def test_heel_drops_for_a_cramp_and_for_a_strain_may_differ_as_they_never_meet(doc):
    # Same id, same title, different injury classes: allowed, and each plan gets its own.
    rules = parse_rules(doc)
    title = "Strength session: heel drops off a step, left calf"
    task = Task(id="heel-drops", category=Category.HEEL_DROPS, title=title)
    cramp, strain = how_to(task, "cramp", rules), how_to(task, "grade1", rules)
    assert cramp and strain and cramp != strain
    assert any("cramp" in line for line in cramp)
    assert not any("cramp" in line for line in strain)
    assert how_to(task, "grade2", rules) == strain


# --------------------------------------------------------------------------- how_to


def _task(task_id: str, title: str, category=Category.CALF_RAISES, **extra) -> Task:
    return Task(id=task_id, category=category, title=title, **extra)


def test_a_task_gets_the_steps_of_the_template_its_title_came_from():
    rules = load_rules()
    daily = how_to(_task("raises-single", "Single-leg calf raises, right calf"), "grade1")
    session = how_to(
        _task("raises-single", "Strength session: single-leg calf raises, right calf"), "grade1"
    )
    by_title = {t.title: t.how for t in rules.tasks if t.id == "raises-single"}
    assert daily == by_title["Single-leg calf raises, {calf}"]
    assert session == by_title["Strength session: single-leg calf raises, {calf}"]
    assert daily != session


def test_runs_have_steps_only_when_they_carry_strides():
    rules = load_rules()
    walk_run = _task("run", "Walk-run 30 min: walk 4, jog 1, repeat", Category.RUN)
    easy = _task("run", "Easy run 40 min", Category.RUN)
    strides = _task("run", "Easy run 25 min + strides", Category.RUN)
    sprint = _task("run", "Easy 25 min + 4 x 60 m strides at 80% effort", Category.RUN)
    assert how_to(walk_run, "grade1") == ()
    assert how_to(easy, "grade1") == ()
    assert how_to(strides, "grade1") == rules.running.strides.how
    assert how_to(sprint, "grade1") == rules.running.sprint[2].how


def test_the_runners_own_task_has_no_steps_whatever_it_is_called():
    own = _task("stretch", "Calf stretches", Category.CUSTOM, custom=True)
    assert how_to(own, "grade1") == ()
    assert how_to(_task("stretch", "Calf stretches", Category.STRETCH), "grade1")


def test_a_title_no_template_makes_gets_steps_only_when_its_id_has_one_set():
    old_hold = _task("isometric", "Isometric calf hold", Category.ISOMETRIC)  # an older title
    assert how_to(old_hold, "grade1") == next(
        t.how for t in load_rules().tasks if t.id == "isometric"
    )
    # single-leg raises say two different things: a title neither made gets neither
    assert how_to(_task("raises-single", "Single-leg raises"), "grade1") == ()
    assert how_to(_task("run", "Run 30 min", Category.RUN), "grade1") == ()
    assert how_to(_task("no-such-task", "Anything"), "grade1") == ()


PLANS = st.builds(
    lambda kind, grade, distance, muscle, recurrent, days: PlanInputs(
        date(2026, 11, 20),
        date(2026, 11, 20) + timedelta(days=days),
        kind,
        grade if kind == "strain" else None,
        "left",
        distance,
        "p",
        muscle=muscle if kind == "strain" else None,
        recurrent=recurrent and kind == "cramp",
    ),
    st.sampled_from(["cramp", "strain"]),
    st.sampled_from([1, 2]),
    st.sampled_from(["sprint", "5k", "10k", "half", "marathon"]),
    st.sampled_from([None, "gastrocnemius", "soleus"]),
    st.booleans(),
    st.integers(min_value=2, max_value=90),
)


@given(PLANS)
def test_every_exercise_the_engine_lays_out_comes_with_its_steps(inputs):
    plan = build_plan(inputs, inputs.injury_date)
    kind = injury_class(plan.injury, plan.grade)
    for day in plan.days:
        for task in day.tasks:
            steps = how_to(task, kind)
            exercise = task.category in STRENGTH_AND_STRETCH or task.id in OTHER_EXERCISES
            if exercise or "strides" in task.title:
                assert HOW_LINES[0] <= len(steps) <= HOW_LINES[1], task.title
            elif task.category in NOT_EXERCISES or task.id in {"physio", "sports-massage"}:
                assert steps == (), task.title
            if task.id == "heel-drops":
                assert any("cramp" in s for s in steps) == (kind == "cramp")
