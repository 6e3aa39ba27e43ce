"""Protocol 2's training load, over every combination of kind, grade, muscle, distance,
finish time and runway: the walk-run ladder, the spike rule, the long run, the weekly rest
day, cross-training, the taper's progressive cut and late strides, the sprinter's strides by
effort, and which exercises each injury gets.

The numbers are domain.md's, written out here again so that a change to the data that
breaks the protocol fails a test.
"""

from __future__ import annotations

import math
import re
from datetime import date, timedelta
from itertools import pairwise

from hypothesis import given, settings

from planner.engine import build_plan
from planner.model import Category, Distance, InjuryKind, Muscle, Phase, PlanInputs
from tests.test_engine import plan_inputs

TAPER = {"sprint": 5, "5k": 5, "10k": 7, "half": 10, "marathon": 14}
EXPECTED = {"sprint": 1, "5k": 30, "10k": 60, "half": 130, "marathon": 270}
LONG_CAP = {"sprint": 30, "5k": 45, "10k": 60, "half": 110, "marathon": 180}
SPIKE, SPIKE_WINDOW, SPIKE_FREE, FIRST_RUN = 1.3, 30, 20, 30
LONG_STEP = 15
# The walk-run steps as (walk, jog) minutes, in order; then continuous running.
LADDER = [(4, 1), (3, 2), (2, 3), (1, 4), (2, 8)]
LOAD = {Category.RUN, Category.CALF_RAISES, Category.HEEL_DROPS, Category.ISOMETRIC}


def day_index(plan, day) -> int:
    return (day.date - plan.injury_date).days


def runs_of(plan) -> dict[int, object]:
    """The plan's runs (the engine's "run" task; race day's warm-up is the race)."""
    return {
        day_index(plan, d): d.task("run")
        for d in plan.days
        if d.task("run") is not None and d.phase != Phase.RACE
    }


def step_of(title: str) -> int | None:
    """The walk-run step a run's title names, or None past the ladder."""
    if "walk 4, jog 1" in title:
        return 0
    if "walk 3, jog 2" in title:
        return 1
    if "walk 2, jog 3" in title:
        return 2
    if "walk 1, jog 4" in title:
        return 3
    if "jog 8, walk 2" in title:
        return 4
    return None


def effort(title: str) -> int | None:
    match = re.search(r"strides at (\d+)% effort", title)
    return int(match.group(1)) if match else None


def gate_of(plan) -> int:
    return next(day_index(plan, d) for d in plan.days if d.task("gate"))


def racing(plan) -> bool:
    return not any(d.task("dont-start") for d in plan.days)


def check_load(inputs: PlanInputs, today: date) -> None:
    plan = build_plan(inputs, today)
    race = (inputs.race_date - inputs.injury_date).days
    made = (today - inputs.injury_date).days
    runs = runs_of(plan)
    days = sorted(runs)
    gate = gate_of(plan)
    distance = inputs.distance.value

    # The ladder: never a step skipped, jog bouts at most doubling, each step twice while
    # the days allow (twice, then once, never once before twice); nothing before the gate.
    assert all(n > gate for n in days)
    steps = [step_of(runs[n].title) for n in days]
    ladder = [s for s in steps if s is not None]
    if ladder:
        assert ladder[0] == 0
        assert all(b - a in (0, 1) for a, b in pairwise(ladder))
        counts = [ladder.count(s) for s in range(ladder[-1] + 1)]
        assert all(c in (1, 2) for c in counts)
        assert counts == sorted(counts, reverse=True)
        assert all(b[1] <= 2 * a[1] for a, b in pairwise(LADDER))
    if inputs.injury == InjuryKind.CRAMP and not inputs.recurrent:
        assert not ladder  # a single cramp goes back to easy running, not the strain ladder

    # The spike rule: no run over 1.3x the longest of the 30 days before it (runs of 20 min
    # or less are free); the first run no more than the ladder's first step.
    for n in days:
        minutes = runs[n].minutes
        window = [runs[m].minutes for m in days if n - SPIKE_WINDOW <= m < n]
        if window:
            assert minutes <= max(SPIKE_FREE, math.floor(SPIKE * max(window))), (n, minutes)
        else:
            assert minutes <= FIRST_RUN

    # The long run: at most one in any 7 days, growing at most 15 min on the one before, up
    # to the cap, which reaches 60% of the expected finish.
    longs = [n for n in days if runs[n].title.startswith("Long easy run")]
    assert all(b - a >= 7 for a, b in pairwise(longs))
    for a, b in pairwise(longs):
        assert runs[b].minutes - runs[a].minutes <= LONG_STEP
    expected = inputs.finish_minutes or EXPECTED[distance]
    cap = max(LONG_CAP[distance], math.ceil(0.6 * expected))
    assert all(runs[n].minutes <= cap for n in days)
    if distance == "sprint":
        assert not longs

    # A full rest day (no run, strength session or cross-training) in every 7 days of a plan
    # over 14 days, from the day it was made, once the protect days are over.
    def rest(day) -> bool:
        return not any(t.category in LOAD or t.category == Category.WALK for t in day.tasks)

    if len(plan.days) > 14:
        first = max(made, 4 if inputs.grade == 2 else 3 if inputs.grade == 1 else 1)
        for start in range(first, len(plan.days) - 6):
            assert any(rest(plan.days[n]) for n in range(start, start + 7)), start

    # Cross-training with intervals: at most twice in any 7 days, two days apart, not in
    # the last week before a race, only while running is absent or on the ladder.
    intervals = [
        day_index(plan, d)
        for d in plan.days
        if any(t.id == "cross-train" and "intervals" in t.title for t in d.tasks)
    ]
    assert all(b - a >= 2 for a, b in pairwise(intervals))
    for n in intervals:
        assert len([m for m in intervals if n <= m < n + 7]) <= 2
        if racing(plan):
            assert n < race - 7
        assert not [m for m in days if m < n and step_of(runs[m].title) is None]
    for d in plan.days:
        for t in d.tasks:
            if t.id == "cross-train":
                assert t.minutes is not None and 20 <= t.minutes <= 45

    # The taper: when the T days before it all lie after the gate, run minutes over its
    # days are 41-60% below them, and its last third lighter than its first.
    t = TAPER[distance]

    def minutes(lo, hi):
        return sum(runs[n].minutes for n in days if lo <= n <= hi)

    if racing(plan) and race - 2 * t > gate and minutes(race - 2 * t, race - t - 1) > 0:
        before, during = minutes(race - 2 * t, race - t - 1), minutes(race - t, race - 1)
        assert during <= 0.6 * before
        third = math.ceil(t / 3)
        first_third = minutes(race - t, race - t + third - 1)
        last_third = minutes(race - third, race - 1)
        assert last_third < first_third or first_third == 0

    # Strides in a run in race-7..race-3 once running is past the ladder.
    if racing(plan):
        late = [n for n in days if race - 7 <= n <= race - 3]
        easy = [n for n in late if runs[n].title.startswith("Easy run") and n - days[0] >= 14]
        if easy:
            assert any("strides" in runs[n].title for n in late)

    # The sprinter: strides by effort only after the gate and the ladder, 60, 70, 80, 90%
    # in order, each once before the next; nobody else gets them.
    efforts = [effort(runs[n].title) for n in days if effort(runs[n].title) is not None]
    if distance != "sprint":
        assert not efforts
    elif efforts:
        firsts = sorted(set(efforts), key=efforts.index)
        assert firsts == [60, 70, 80, 90][: len(firsts)]
        first_effort = next(n for n in days if effort(runs[n].title))
        assert all(step_of(runs[n].title) is None for n in days if n > first_effort)

    # Which exercises: seated soleus raises for a soleus (or unsure) strain only; no heel
    # drops for a single cramp; the review, race plan and pickle juice for cramps that
    # keep coming back only.
    soleus = inputs.injury == InjuryKind.STRAIN and inputs.muscle != Muscle.GASTROCNEMIUS
    seated = [d for d in plan.days if d.task("seated-soleus")]
    assert bool(seated) <= soleus
    if soleus and any(d.task("heel-drops") for d in plan.days):
        assert seated
    if inputs.injury == InjuryKind.CRAMP and not inputs.recurrent:
        assert not any(t.category == Category.HEEL_DROPS for d in plan.days for t in d.tasks)
    recurrent_ids = {"cramp-review", "cramp-race-plan", "pickle-juice"}
    found = {t.id for d in plan.days for t in d.tasks} & recurrent_ids
    if inputs.recurrent:
        assert "cramp-review" in found or made > 1
        if racing(plan):  # a race not started has no race plan
            assert {"cramp-race-plan", "pickle-juice"} <= found
    else:
        assert not found


@settings(max_examples=1500, deadline=None)
@given(plan_inputs())
def test_every_plan_keeps_the_load_rules(case):
    check_load(*case)


def test_a_sprinter_with_cramps_that_keep_coming_back():
    """The second seed: calf cramps during sprint repeats, again and again; a 200 m race in
    five weeks. Cramp review first, conditioning three times a week with heel drops, easy
    running from day 2, then strides at 60, 70, 80 and 90% before the taper."""
    injury = date(2026, 11, 20)
    inputs = PlanInputs(
        injury, injury + timedelta(weeks=5), InjuryKind.CRAMP, None, None, Distance.SPRINT,
        "Indoor 200", recurrent=True,
    )  # fmt: skip
    plan = build_plan(inputs, injury)
    assert plan.days[1].task("cramp-review") is not None
    assert "statins" in plan.days[1].task("cramp-review").dose
    runs = runs_of(plan)
    assert min(runs) == 2 and runs[2].title.startswith("Easy run")
    efforts = [effort(runs[n].title) for n in sorted(runs) if effort(runs[n].title)]
    assert efforts[:4] == [60, 70, 80, 90]
    sessions = [
        day_index(plan, d)
        for d in plan.days
        if d.task("raises-single") and d.task("raises-single").title.startswith("Strength")
    ]
    week = [n for n in sessions if 7 <= n < 14]
    assert len(week) >= 3 - 1  # three a week, a rest day may take one
    assert any(d.task("heel-drops") for d in plan.days)
    race_day = plan.day(plan.race_date)
    assert race_day.task("cramp-race-plan") and race_day.task("pickle-juice")
    assert (
        "49 s" in race_day.task("pickle-juice").why and "later" in race_day.task("pickle-juice").why
    )
    assert plan.days[0].task("cramp-flags") is not None


def grade1(race: date, muscle: Muscle):
    """A grade 1 strain of 20 Nov 2026 before a half, planned the next day."""
    inputs = PlanInputs(
        date(2026, 11, 20), race, InjuryKind.STRAIN, 1, None, Distance.HALF, "Half",
        muscle=muscle,
    )  # fmt: skip
    return build_plan(inputs, date(2026, 11, 21))


def test_the_forum_runner_as_a_soleus_strain():
    """domain.md's worked example with the muscle asked: grade 1, soleus, half in 9 days;
    with a month to go the gate falls on the usual day of each muscle."""
    plan = grade1(date(2026, 11, 29), Muscle.SOLEUS)
    assert gate_of(plan) == 6  # usual day 10 is too late: race-3, the earliest day
    assert plan.muscle == Muscle.SOLEUS
    gastro = grade1(date(2026, 12, 20), Muscle.GASTROCNEMIUS)
    soleus = grade1(date(2026, 12, 20), Muscle.SOLEUS)
    assert (gate_of(gastro), gate_of(soleus)) == (7, 10)
    assert not any(d.task("seated-soleus") for d in gastro.days)
    assert any(d.task("seated-soleus") for d in soleus.days)
