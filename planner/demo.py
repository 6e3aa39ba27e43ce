"""The demo plan: the forum runner's plan a few days in, with ticks and pain already logged.

`planner demo` opens a copy of it in a temporary folder, so a newcomer sees a lived-in plan
at once and nothing of theirs is touched. Deterministic: no clock, no randomness.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from planner.engine import build_plan
from planner.model import Distance, InjuryKind, Muscle, Plan, PlanInputs, Side
from planner.ops import LogPain, SetDone

DEMO_INPUTS = PlanInputs(
    injury_date=date(2026, 11, 20),
    race_date=date(2026, 11, 29),
    injury=InjuryKind.STRAIN,
    grade=1,
    side=Side.LEFT,
    distance=Distance.HALF,
    name="Bristol Half",
    muscle=Muscle.SOLEUS,  # it built up over the run and felt like cramp
)
MADE_ON = date(2026, 11, 21)  # as the example in plans/bristol-half.toml
DEMO_TODAY = date(2026, 11, 24)  # day 4: a few days lived, the race still ahead
# (pain, note) for the days before today; the runner skipped the optional ice on day 2
HISTORY = [
    (5, "limping a little; calf tight on stairs"),
    (4, "walking better"),
    (3, None),
    (3, "raises fine, stretch pulls a bit"),
    (2, None),
    (2, None),
    (2, "gate tomorrow"),
]
SKIPPED = {(2, "ice")}


def demo_plan(today: date = DEMO_TODAY) -> Plan:
    """The forum example with the runner's history filled in up to the day before `today`."""
    plan = build_plan(DEMO_INPUTS, MADE_ON, created=datetime.combine(MADE_ON, time(12), UTC))
    for index, day in enumerate(plan.days):
        if day.date >= today or index >= len(HISTORY):
            break
        evening = datetime.combine(day.date, time(19, 30), UTC)
        for task in day.tasks:
            if (index, task.id) not in SKIPPED:
                SetDone(day.date, task.id, True, evening).apply(plan)
        score, note = HISTORY[index]
        LogPain(day.date, score, note).apply(plan)
    return plan
