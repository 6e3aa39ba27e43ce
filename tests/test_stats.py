"""Adherence counts: a skipped task is excused, never done as well."""

from __future__ import annotations

from datetime import date

from planner.model import Category, Day, Phase, SkipReason, Task
from planner.stats import day_tally, progress


def test_a_task_both_done_and_skipped_counts_as_skipped():
    """A hand-edited file can mark a task done and skipped: it is excused, not done, so
    adherence never passes 100% (as a run counts only when not skipped)."""
    day = Day(
        date(2026, 11, 22),
        Phase.RECOVER,
        [
            Task("a", Category.WALK, "Walk", done=True, skip=SkipReason.PAIN),
            Task("b", Category.STRETCH, "Stretch", done=True),
        ],
    )
    tally = day_tally(day)
    assert (tally.done, tally.due, tally.excused) == (1, 1, 1)
    assert tally.percent == 100
    by_category = progress_of(day).by_category
    assert (by_category["walk"].done, by_category["walk"].excused) == (0, 1)


def progress_of(day: Day):
    from planner.engine import build_plan
    from planner.model import PlanInputs

    plan = build_plan(PlanInputs(date(2026, 11, 20), date(2026, 12, 20)), date(2026, 11, 20))
    plan.days[2] = day
    return progress(plan, day.date)
