"""The week at a glance and the day after: what each day is, in a few words.

A day is named by its key session (`key_task`): its race, run-gate test or longest run,
else the task that says most about it. That name titles the week view's rows, the
"Tomorrow" line under a day's checklist and at the end of `planner show`, and the events
of a calendar export (planner.export). The week adds up its runs (actual minutes where
the runner gave them) and its strength days.

Pure functions of the plan and a date: nothing here reads the clock, and nothing heavy is
imported (the plan screen's first frame draws the tomorrow line).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from planner.model import Category, Day, Phase, Plan, Task

# When a day has no race, gate or run, the task that says most about it: the call before
# the race, a readiness check, then loading, then the rest (earlier in this order wins; a
# tie goes to the task listed first). Red-flag checks come on many days and say little
# about the day, so they come last. Category values, or "id:" + a task id.
KEY_ORDER = (
    "race",
    "id:gate",
    "run",
    "id:decide",
    "id:run-check",
    "calf-raises",
    "heel-drops",
    "isometric",
    "walk",
    "rest",
    "stretch",
    "massage",
    "heat",
    "ice",
    "compression",
    "hydration",
    "custom",
    "check",
)

# The loading work that makes a day a strength day in the week's count.
STRENGTH = frozenset({Category.CALF_RAISES, Category.HEEL_DROPS, Category.ISOMETRIC})


def one_line(text: str) -> str:
    """`text` with every line break (and the blanks around it) made one space.

    str.splitlines splits on every break a calendar or a Markdown reader might honour
    (CR, LF, VT, FF, FS/GS/RS, NEL, U+2028, U+2029), not just "\\n".
    """
    if text.isprintable():  # the common case, checked in C: no break in it
        return text
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


def _key_rank(task: Task) -> tuple[int, int]:
    """Where a task stands in KEY_ORDER (lower says more about its day); a run ranks by
    its minutes, the longest first."""
    by_id = f"id:{task.id}"
    if not task.custom and by_id in KEY_ORDER:
        rank = KEY_ORDER.index(by_id)
    elif task.category.value in KEY_ORDER:
        rank = KEY_ORDER.index(task.category.value)
    else:
        rank = len(KEY_ORDER)
    return rank, -(task.minutes or 0) if task.category.value == "run" else 0


def key_task(day: Day) -> Task | None:
    """The day's key session: its race, run-gate test or run (the longest, when there are
    several), else its most important task by KEY_ORDER; None for a day without tasks."""
    if not day.tasks:
        return None
    return min(day.tasks, key=_key_rank)  # min() keeps the first of equal ranks


def key_title(task: Task) -> str:
    """A task's title as a calendar shows it at a glance: a protocol task's title up to its
    first ": " ("Walk-run 30 min: walk 4, jog 1, repeat" -> "Walk-run 30 min"), the rest
    being in the description; the runner's own titles whole, as they typed them."""
    title = one_line(task.title)
    if task.custom:
        return title
    return title.split(": ", 1)[0] or title


def day_words(day: Day, phase_label: str) -> str:
    """What a day is, in a few words: its key session, or its phase when it has no task."""
    task = key_task(day)
    return key_title(task) if task is not None else phase_label


class WeekDay(NamedTuple):
    """One day of a week as the week view shows it."""

    date: date
    phase: Phase
    what: str  # the key session in words (`day_words`)
    done: int  # tasks done or excused
    total: int
    run_minutes: int  # the day's runs: planned, or as run where the runner said
    strength: bool  # a calf-raise, heel-drop or isometric session
    pain: int | None


class Week(NamedTuple):
    """Monday to Sunday around a date: the plan's days in it and their sums."""

    monday: date
    days: tuple[WeekDay, ...]  # only the days the plan has, in order

    @property
    def run_minutes(self) -> int:
        """The week's run minutes (actual where given, else planned)."""
        return sum(day.run_minutes for day in self.days)

    @property
    def runs(self) -> int:
        """How many days of the week have a run."""
        return sum(1 for day in self.days if day.run_minutes)

    @property
    def strength_days(self) -> int:
        """How many days of the week have a strength session."""
        return sum(1 for day in self.days if day.strength)

    @property
    def long_run(self) -> WeekDay | None:
        """The day of the week's longest run (the first of equals), or None without runs."""
        runs = [day for day in self.days if day.run_minutes]
        return max(runs, key=lambda day: day.run_minutes) if runs else None

    @property
    def phases(self) -> tuple[Phase, ...]:
        """The phases the week's days fall in, in order, each once."""
        return tuple(dict.fromkeys(day.phase for day in self.days))


def monday_of(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def run_minutes(day: Day) -> int:
    """A day's run minutes: each run's actual minutes where the runner gave them, else
    the planned ones; a skipped run counts nothing (it was excused, not run)."""
    return sum(
        task.run_minutes or 0
        for task in day.tasks
        if task.category == Category.RUN and task.skip is None
    )


def week_day(day: Day, phase_label: str) -> WeekDay:
    """One plan day summed up for the week view."""
    return WeekDay(
        date=day.date,
        phase=day.phase,
        what=day_words(day, phase_label),
        done=sum(task.done or task.skip is not None for task in day.tasks),
        total=len(day.tasks),
        run_minutes=run_minutes(day),
        strength=any(t.category in STRENGTH and t.skip is None for t in day.tasks),
        pain=day.pain,
    )


def week_of(plan: Plan, when: date, labels: dict[Phase, str]) -> Week:
    """The Monday-to-Sunday week holding `when`, with the plan's days in it.

    `labels` names each phase (the protocol's labels), for a day without tasks.
    """
    monday = monday_of(when)
    days = []
    for offset in range(7):
        day = plan.day(monday + timedelta(days=offset))
        if day is not None:
            days.append(week_day(day, labels[day.phase]))
    return Week(monday=monday, days=tuple(days))


def tomorrow_line(
    plan: Plan, when: date, labels: dict[Phase, str], *, names: int = 2
) -> str | None:
    """'Tomorrow: Walk-run 30 min · Calf raises · 4 tasks in all': the day after `when`
    at a glance (its key session, then the next most telling tasks up to `names` in all,
    then how many tasks), or None when the plan ends with `when`."""
    day = plan.day(when + timedelta(days=1))
    if day is None:
        return None
    ordered = sorted(day.tasks, key=_key_rank)  # sorted() keeps the order of equal ranks
    words = list(dict.fromkeys(key_title(task) for task in ordered))[: max(1, names)]
    if not words:
        return f"Tomorrow: {labels[day.phase]}, nothing to do"
    if len(day.tasks) > len(words):
        words.append(f"{len(day.tasks)} tasks in all")
    return "Tomorrow: " + " · ".join(words)
