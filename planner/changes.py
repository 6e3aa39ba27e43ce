"""Say in a few lines what a re-plan changed, so the runner sees it before accepting it:
a re-plan after a log (`describe_changes`), and an edit of the plan's inputs
(`describe_edit`: the inputs, the landmarks and the warning first, then the days)."""

from __future__ import annotations

from datetime import date

import msgspec

from planner.dates import finish_words, long_date, short_date
from planner.model import Day, InjuryKind, Muscle, Phase, Plan, Task
from planner.words import plural


def _label(task: Task) -> str:
    """The title as it reads mid-sentence ('Easy run' -> 'easy run')."""
    title = task.title
    if title[:1].isupper() and not title[1:2].isupper():
        return title[0].lower() + title[1:]
    return title


def describe_day(old: Day, new: Day, *, doses: bool = False, swaps: bool = True) -> str | None:
    """One line for a day that changed ('Sun 23 Nov: easy run 20 min -> ...'), else None.

    With `doses`, a task that keeps its title but gets another dose says its new dose
    (a re-plan by another protocol changes doses: 20 raises at the gate become 25).
    Without `swaps`, a task gone and one come are said apart ('no ...; + ...'): after an
    edit of the inputs they are seldom one thing turned into another.
    """
    if old == new:
        return None
    new_ids = {t.id: t for t in new.tasks}
    old_ids = {t.id: t for t in old.tasks}
    removed = [t for t in old.tasks if t.id not in new_ids]
    added = [t for t in new.tasks if t.id not in old_ids]
    changed = [
        (old_ids[t.id], t)
        for t in new.tasks
        if t.id in old_ids and (old_ids[t.id].title, old_ids[t.id].minutes) != (t.title, t.minutes)
    ]
    parts = [f"{_label(a)} -> {_label(b)}" for a, b in changed]
    if doses:
        parts += [
            f"{_label(t)} — now {t.dose}"
            for t in new.tasks
            if t.id in old_ids
            and (old_ids[t.id].title, old_ids[t.id].minutes) == (t.title, t.minutes)
            and old_ids[t.id].dose != t.dose
        ]
    # a run that became a walk reads best as one swap
    while swaps and removed and added:
        parts.append(f"{_label(removed.pop(0))} -> {_label(added.pop(0))}")
    parts += [f"no {_label(t)}" for t in removed]
    parts += [f"+ {_label(t)}" for t in added]
    if old.phase != new.phase:
        parts.append(f"now {new.phase.value}")
    if not parts:
        return None
    return f"{short_date(new.date)}: " + "; ".join(parts)


def summarize(lines: list[str], most: int = 6, *, same_way: bool = True) -> list[str]:
    """At most `most` lines, the rest counted: a hold shifts every later run by a step.
    Not `same_way` (an edit's days), the rest are only counted as changing too."""
    if len(lines) <= most:
        return lines
    rest = len(lines) - most
    more = plural(rest, "more day", "more days")
    if not same_way:
        return [*lines[:most], f"... and {more} {'changes' if rest == 1 else 'change'} too"]
    shift = "shifts" if rest == 1 else "shift"  # the verb agrees: "1 more day shifts"
    return [*lines[:most], f"... and {more} {shift} the same way"]


# How the line saying which protocol lays out the coming days begins (the other lines of a
# re-plan's changes each name a day).
PROTOCOL_WORDS = "The coming days are now laid out by protocol"


def describe_protocol(old: Plan, new: Plan) -> str | None:
    """The line saying a re-plan laid the coming days out by another protocol, else None."""
    if old.protocol == new.protocol:
        return None
    return f"{PROTOCOL_WORDS} {new.protocol} (the plan was laid out by protocol {old.protocol})"


def describe_changes(old: Plan, new: Plan) -> list[str]:
    """A line per day that differs between two versions of the same plan, after a first
    line when the coming days are now laid out by another protocol (then doses count too)."""
    protocol = describe_protocol(old, new)
    lines = [protocol] if protocol else []
    for before, after in zip(old.days, new.days, strict=False):
        line = describe_day(before, after, doses=protocol is not None)
        if line:
            lines.append(line)
    return lines


# ------------------------------------------------------------------ an edit of the inputs


class EditChanges(msgspec.Struct, frozen=True):
    """What an edit of the plan's inputs changes: `head`, the inputs, the plan's landmarks
    (the run gate, the first run, the taper, race day, the last day), its warning and the
    days added or dropped; `days`, a line per day kept that changed."""

    head: list[str]
    days: list[str]

    @property
    def lines(self) -> list[str]:
        """Every line, the head first."""
        return [*self.head, *self.days]


def _muscle_words(plan: Plan) -> str:
    if plan.injury != InjuryKind.STRAIN:
        return "none (a cramp)"
    if plan.muscle in (None, Muscle.UNSURE):
        return "not sure (planned as soleus)"
    return plan.muscle.value


def _finish_words(plan: Plan) -> str:
    from planner.rules import load_rules  # the rules are loaded by the re-plan already

    if plan.finish_minutes is not None:
        return finish_words(plan.finish_minutes)
    rule = load_rules().distances[plan.distance]
    if rule.finish_range is None:
        return "none (a sprint)"
    return f"not given (the race-day call uses {finish_words(rule.expected_minutes)})"


# Each input an edit may change, with how a runner reads it.
_INPUT_WORDS = (
    ("Race day", lambda p: long_date(p.race_date)),
    ("Grade", lambda p: str(p.grade) if p.grade is not None else "none (a cramp)"),
    ("Muscle", _muscle_words),
    ("Side", lambda p: p.side.value if p.side is not None else "not given"),
    ("Distance", lambda p: p.distance.value),
    ("Finish time", _finish_words),
    ("Name", lambda p: f"'{p.name}'"),
)


def _landmarks(plan: Plan, start: date) -> list[tuple[str, date | None]]:
    """Where the days from `start` put the run gate, the first run, the taper, race day
    and the plan's last day."""

    def first(test) -> date | None:
        return next((d.date for d in plan.days if d.date >= start and test(d)), None)

    return [
        ("Run gate", first(lambda d: d.task("gate") is not None and d.gate is None)),
        ("First run", first(lambda d: d.task("run") is not None and d.phase != Phase.RACE)),
        ("Taper from", first(lambda d: d.phase == Phase.TAPER)),
        ("Race day", plan.race_date),
        ("The plan ends", plan.last_date),
    ]


def describe_edit(old: Plan, new: Plan, start: date | None) -> EditChanges:
    """What changing the inputs of `old` into `new` changed, the days re-laid from `start`
    (None: none were). Every line is measured on the two plans, never assumed."""
    head = []
    for label, words in _INPUT_WORDS:
        before, after = words(old), words(new)
        if before != after:
            head.append(f"{label}: {before} -> {after}")
    if start is not None:
        for (label, before), (_, after) in zip(
            _landmarks(old, start), _landmarks(new, start), strict=True
        ):
            if before != after and label != "Race day":  # the race is said with the inputs
                was = short_date(before) if before else "none"
                now = short_date(after) if after else "none"
                head.append(f"{label}: {was} -> {now}")
    if new.warning != old.warning:
        head.append(f"Warning: {new.warning}" if new.warning else "The plan's warning is gone.")
    protocol = describe_protocol(old, new)
    if protocol:
        head.append(protocol)
    added = [d.date for d in new.days if old.day(d.date) is None]
    dropped = [d.date for d in old.days if new.day(d.date) is None]
    if added:
        head.append(f"Days added: {short_date(added[0])} to {short_date(added[-1])}")
    if dropped:
        head.append(
            f"Days dropped: {short_date(dropped[0])} to {short_date(dropped[-1])} "
            "(nothing of yours was on them)"
        )
    days = []
    for after in new.days:
        before = old.day(after.date)
        line = describe_day(before, after, doses=True, swaps=False) if before else None
        if line:
            days.append(line)
    return EditChanges(head, days)
