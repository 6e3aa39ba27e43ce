"""T5: a hypothesis state machine that checks the file on disk against a model plan.

Every step applies one change the runner (or another copy of the app) can make and saves
it; after every step the file must load to exactly the model. The other process edits the
file behind our back, so our next save has to merge.
"""

from __future__ import annotations

import copy
import shutil
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from planner.engine import build_plan
from planner.model import Distance, InjuryKind, PlanInputs, Side, SkipReason
from planner.ops import AddTask, LogPain, Op, OpError, Replan, SetDone, SkipTask, new_custom_id
from planner.store import PlanFile, load_plan

NOON = datetime(2026, 1, 1, 12, tzinfo=UTC)
START = date(2026, 1, 1)


class PlanMachine(RuleBasedStateMachine):
    """Our PlanFile, another process's, and the model they must both agree with on disk."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="planner-t5-"))
        self.path = self.folder / "plan.toml"

    def teardown(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    @initialize(
        span=st.integers(0, 40),
        cramp=st.booleans(),
        grade=st.sampled_from([1, 2]),
        distance=st.sampled_from(list(Distance)),
    )
    def start(self, span: int, cramp: bool, grade: int, distance: Distance) -> None:
        kind = InjuryKind.CRAMP if cramp else InjuryKind.STRAIN
        inputs = PlanInputs(
            START, START + timedelta(days=span), kind, None if cramp else grade, Side.LEFT, distance
        )
        plan = build_plan(inputs, START)
        self.file = PlanFile.create(self.path, plan)
        self.model = copy.deepcopy(plan)
        self.today = START

    # ------------------------------------------------------------------ helpers

    def _day(self, pick: int, *, past: bool = True):
        days = [d for d in self.file.plan.days if not past or d.date <= self.today]
        return days[pick % len(days)]

    def _apply(self, op: Op) -> None:
        """Apply to our file (which may be stale) and save; apply the same op to the model."""
        try:
            op.apply(copy.deepcopy(self.model))
        except OpError:
            return  # not possible on the real plan either: skip the step
        self.file.apply(op)
        self.file.save()
        op.apply(self.model)

    # ------------------------------------------------------------------ the runner's steps

    @rule(pick=st.integers(0, 400), task=st.integers(0, 20))
    def tick(self, pick: int, task: int) -> None:
        day = self._day(pick)
        chosen = day.tasks[task % len(day.tasks)]
        self._apply(SetDone(day.date, chosen.id, not chosen.done, NOON))

    @rule(
        pick=st.integers(0, 400),
        score=st.integers(0, 10),
        at_rest=st.booleans(),
        note=st.text(max_size=8),
    )
    def pain(self, pick: int, score: int, at_rest: bool, note: str) -> None:
        day = self._day(pick)
        self._apply(LogPain(day.date, score, note, at_rest))

    @rule(pick=st.integers(0, 400), title=st.text(min_size=1, max_size=10))
    def add(self, pick: int, title: str) -> None:
        day = self._day(pick, past=False)
        self._apply(AddTask(day.date, new_custom_id(day), title))

    @rule(
        pick=st.integers(0, 400),
        task=st.integers(0, 20),
        reason=st.sampled_from([None, *SkipReason]),
    )
    def skip(self, pick: int, task: int, reason: SkipReason | None) -> None:
        day = self._day(pick, past=False)
        self._apply(SkipTask(day.date, day.tasks[task % len(day.tasks)].id, reason))

    @rule()
    def replan(self) -> None:
        self._apply(Replan(self.today + timedelta(days=1), self.today))

    @rule(days=st.integers(1, 5))
    def advance(self, days: int) -> None:
        self.today = min(self.today + timedelta(days=days), self.model.last_date)

    @rule()
    def save_again(self) -> None:
        self.file.save()

    @rule()
    def reload(self) -> None:
        self.file = PlanFile.open(self.path)

    @rule(pick=st.integers(0, 400), task=st.integers(0, 20))
    def another_process_ticks(self, pick: int, task: int) -> None:
        other = PlanFile.open(self.path)
        days = [d for d in other.plan.days if d.date <= self.today]
        day = days[pick % len(days)]
        chosen = day.tasks[task % len(day.tasks)]
        op = SetDone(day.date, chosen.id, not chosen.done, NOON)
        other.apply(op)
        other.save()
        op.apply(self.model)

    # ------------------------------------------------------------------ the check

    @invariant()
    def disk_equals_the_model(self) -> None:
        if hasattr(self, "model"):
            assert load_plan(self.path) == self.model


def run_machine(runs: int, steps: int) -> str | None:
    """Run the machine; None when every run held, else the failure in a line."""
    try:
        run_state_machine_as_test(
            PlanMachine,
            settings=settings(
                max_examples=runs,
                stateful_step_count=steps,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            ),
        )
    except Exception as error:
        return f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"
    return None
