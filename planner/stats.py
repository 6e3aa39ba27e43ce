"""Progress: adherence overall, by phase and by category, streaks, the pain trend.

A day counts once it has come (up to `today`) and once the plan existed (from its
`start_date`: the days between the injury and the day the plan was made weren't planned,
so they count neither for nor against adherence or streaks). A skipped task is excused:
it counts neither for nor against adherence. A complete day has every task done or excused.
"""

from __future__ import annotations

from datetime import date

import msgspec

from planner.model import Day, Plan

SPARK = "▁▂▃▄▅▆▇█"


class Tally(msgspec.Struct, frozen=True):
    """Done out of due (excused skips left out of both)."""

    done: int = 0
    due: int = 0
    excused: int = 0

    @property
    def percent(self) -> int | None:
        """Whole-number adherence, or None when nothing was due."""
        return round(100 * self.done / self.due) if self.due else None

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.done + other.done, self.due + other.due, self.excused + other.excused)


class Running(msgspec.Struct, frozen=True):
    """The runs done: how many, the minutes run (the runner's own figure where given,
    else the plan's) and the minutes those runs were planned for."""

    runs: int = 0
    minutes: int = 0
    planned: int = 0


def running(days: list[Day]) -> Running:
    """The runs done on `days` (ticked, not skipped), counted by the minutes run; a run
    ticked with 0 minutes run is no run, as in the race-day call."""
    runs = minutes = planned = 0
    for day in days:
        for task in day.tasks:
            if task.run_done:
                if task.run_minutes != 0:
                    runs += 1
                minutes += task.run_minutes or 0
                planned += task.minutes or 0
    return Running(runs, minutes, planned)


class Progress(msgspec.Struct, frozen=True):
    """Everything `planner stats` and the TUI's progress panel show."""

    overall: Tally
    by_phase: dict[str, Tally]
    by_category: dict[str, Tally]
    current_streak: int
    best_streak: int
    pain: list[tuple[date, int]] = msgspec.field(default_factory=list)
    days_to_race: int = 0
    running: Running = Running()


def day_tally(day: Day) -> Tally:
    """A day's done, due and excused tasks."""
    excused = sum(t.skip is not None for t in day.tasks)
    # Skipped wins over done (as for runs, Task.run_done): a hand-edited task marked both
    # is excused, not done, so adherence never passes 100%.
    done = sum(t.done and t.skip is None for t in day.tasks)
    return Tally(done, len(day.tasks) - excused, excused)


def complete(day: Day) -> bool:
    """Every task done or excused."""
    tally = day_tally(day)
    return tally.done == tally.due


def progress(plan: Plan, today: date) -> Progress:
    """The plan's progress up to and including `today`."""
    logged = [d for d in plan.days if d.date <= today]
    past = [d for d in logged if d.date >= plan.start_date]
    overall = Tally()
    by_phase: dict[str, Tally] = {}
    by_category: dict[str, Tally] = {}
    for day in past:
        tally = day_tally(day)
        overall += tally
        by_phase[day.phase.value] = by_phase.get(day.phase.value, Tally()) + tally
        for task in day.tasks:
            skipped = task.skip is not None
            one = Tally(int(task.done and not skipped), int(not skipped), int(skipped))
            key = task.category.value
            by_category[key] = by_category.get(key, Tally()) + one
    best = run = 0
    for day in past:
        run = run + 1 if complete(day) else 0
        best = max(best, run)
    current = 0
    # today still counts as in progress: a streak ending yesterday is still current
    for index, day in enumerate(reversed(past)):
        if complete(day):
            current += 1
        elif index == 0 and day.date == today:
            continue
        else:
            break
    return Progress(
        overall=overall,
        by_phase=by_phase,
        by_category=by_category,
        current_streak=current,
        best_streak=best,
        pain=[(d.date, d.pain) for d in logged if d.pain is not None],  # pain is pain
        days_to_race=(plan.race_date - today).days,
        running=running(past),
    )


def sparkline(values: list[int], top: int = 10) -> str:
    """Pain values 0-10 as a line of block characters."""
    return "".join(SPARK[min(len(SPARK) - 1, round(v * (len(SPARK) - 1) / top))] for v in values)


def trend_words(values: list[int]) -> str:
    """'falling', 'rising' or 'steady', comparing the last three logs with the three before."""
    if len(values) < 2:
        return "too few logs for a trend"
    recent = values[-3:]
    earlier = values[-6:-3] or values[:1]
    delta = sum(recent) / len(recent) - sum(earlier) / len(earlier)
    if delta <= -0.5:
        return "falling"
    return "rising" if delta >= 0.5 else "steady"
