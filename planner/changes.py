"""Say in a few lines what a re-plan changed, so the runner sees it before accepting it."""

from __future__ import annotations

from planner.dates import short_date
from planner.model import Day, Plan, Task
from planner.words import plural


def _label(task: Task) -> str:
    """The title as it reads mid-sentence ('Easy run' -> 'easy run')."""
    title = task.title
    if title[:1].isupper() and not title[1:2].isupper():
        return title[0].lower() + title[1:]
    return title


def describe_day(old: Day, new: Day, *, doses: bool = False) -> str | None:
    """One line for a day that changed ('Sun 23 Nov: easy run 20 min -> ...'), else None.

    With `doses`, a task that keeps its title but gets another dose says its new dose
    (a re-plan by another protocol changes doses: 20 raises at the gate become 25).
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
    while removed and added:
        parts.append(f"{_label(removed.pop(0))} -> {_label(added.pop(0))}")
    parts += [f"no {_label(t)}" for t in removed]
    parts += [f"+ {_label(t)}" for t in added]
    if old.phase != new.phase:
        parts.append(f"now {new.phase.value}")
    if not parts:
        return None
    return f"{short_date(new.date)}: " + "; ".join(parts)


def summarize(lines: list[str], most: int = 6) -> list[str]:
    """At most `most` lines, the rest counted: a hold shifts every later run by a step."""
    if len(lines) <= most:
        return lines
    rest = len(lines) - most
    shift = "shifts" if rest == 1 else "shift"  # the verb agrees: "1 more day shifts"
    return [*lines[:most], f"... and {plural(rest, 'more day', 'more days')} {shift} the same way"]


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
