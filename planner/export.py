"""The plan for other places: an iCalendar file for a phone, Markdown for paper and a physio.

Both are pure functions of the plan (and, for the Markdown summary, `today`): the same plan
gives the same bytes. Calendar events have stable UIDs, so importing a newer export
updates the events instead of adding a second copy.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta

from icalendar import Calendar, Event

from planner.advice import clinician_warning, decide
from planner.dates import long_date, race_words, short_date
from planner.engine import injury_class
from planner.model import Day, Plan, Task
from planner.rules import load_rules
from planner.stats import progress, sparkline, trend_words

PRODID = "-//recovery-planner//plan export//EN"


def plan_key(plan: Plan) -> str:
    """A short id that stays the same for a plan across edits and exports."""
    seed = f"{plan.created.isoformat()}|{plan.injury_date}|{plan.race_date}"
    return hashlib.sha256(seed.encode()).hexdigest()[:16]


def _task_line(task: Task) -> str:
    box = "[x]" if task.done else ("[-]" if task.skip else "[ ]")
    dose = f" — {task.dose}" if task.dose else ""
    skipped = f" (skipped: {task.skip.value})" if task.skip else ""
    return f"{box} {task.title}{dose}{skipped}"


def _summary(plan: Plan, day: Day) -> str:
    rules = load_rules()
    label = rules.phases[day.phase].label
    if day.date == plan.race_date:
        return f"Race day: {plan.name}"
    count = len(day.tasks)
    return f"{label}: {count} task{'s' if count != 1 else ''} ({plan.name})"


def to_ics(plan: Plan) -> bytes:
    """One all-day event per day: the phase and task count, the tasks with dose and why."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", plan.name)
    key = plan_key(plan)
    for day in plan.days:
        event = Event()
        event.add("uid", f"{day.date:%Y%m%d}-{key}@recovery-planner")
        event.add("dtstamp", plan.created)
        event.add("dtstart", day.date)
        event.add("dtend", day.date + timedelta(days=1))
        event.add("summary", _summary(plan, day))
        lines = []
        for task in day.tasks:
            lines.append(_task_line(task))
            if task.why:
                lines.append(f"    why: {task.why}")
        if day.pain is not None:
            lines.append(f"Pain: {day.pain}/10" + (f" — {day.note}" if day.note else ""))
        event.add("description", "\n".join(lines))
        event.add("categories", [day.phase.value])
        event.add("transp", "TRANSPARENT")  # all-day reminders, not busy time
        calendar.add_component(event)
    return calendar.to_ical()


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def md_escape(text: str) -> str:
    """Text as Markdown shows it literally (a title like `[x] *now*` stays as typed)."""
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\n", " ")


def to_markdown(plan: Plan, today: date) -> str:
    """A printable checklist per day, then the pain log and gate results, after a summary."""
    rules = load_rules()
    kind = rules.kinds[injury_class(plan.injury, plan.grade)].label
    side = f", {plan.side.value} calf" if plan.side else ""
    stats = progress(plan, today)
    lines = [
        f"# {md_escape(plan.name)}",
        "",
        f"{kind.capitalize()}{side}, injured {long_date(plan.injury_date)}; "
        f"{rules.distances[plan.distance].label} on {long_date(plan.race_date)} "
        f"({race_words(plan.race_date, today)}). Exported on {long_date(today)}.",
        "",
        "## Summary for a physio",
        "",
    ]
    overall = stats.overall
    lines.append(
        f"- Adherence to date: {overall.percent if overall.percent is not None else '-'}% "
        f"({overall.done} of {overall.due} tasks; {overall.excused} excused)"
    )
    for phase, tally in stats.by_phase.items():
        lines.append(f"  - {rules.phases[phase].label}: {tally.done}/{tally.due}")
    pains = [score for _, score in stats.pain]
    if pains:
        latest_date, latest = stats.pain[-1]
        lines.append(
            f"- Pain (0-10) by day: {', '.join(str(p) for p in pains)} {sparkline(pains)} "
            f"({trend_words(pains)}); latest {latest}/10 on {short_date(latest_date)}"
        )
    else:
        lines.append("- Pain: none logged")
    at_rest = [short_date(d.date) for d in plan.days if d.at_rest]
    if at_rest:
        lines.append(f"- Pain at rest or at night noted: {', '.join(at_rest)}")
    gates = [d for d in plan.days if d.gate is not None]
    for day in gates:
        gate = day.gate
        verdict = "passed" if gate.passed else "not passed"
        lines.append(
            f"- Run gate {short_date(day.date)}: {verdict} ({gate.raises} single-leg raises, "
            f"{gate.hops} hops, {gate.walk_min} min walk)"
        )
    if not gates:
        lines.append("- Run gate: not recorded yet")
    skipped = [(d.date, t) for d in plan.days for t in d.tasks if t.skip is not None]
    if skipped:
        reasons: dict[str, int] = {}
        for _, task in skipped:
            reasons[task.skip.value] = reasons.get(task.skip.value, 0) + 1
        lines.append(
            "- Skipped: " + ", ".join(f"{n} for {reason}" for reason, n in reasons.items())
        )
    warning = clinician_warning(plan, today)
    if warning:
        lines.append(f"- **{md_escape(warning)}**")
    if plan.safety is not None and plan.safety.flags:
        cleared = "cleared by a clinician" if plan.safety.clinician_cleared else "NOT cleared"
        lines.append(f"- Red flags answered yes: {', '.join(plan.safety.flags)} ({cleared})")
    decision = decide(plan, today)
    lines.append(f"- Race-day call as of {short_date(today)}: {decision.label}")
    lines += ["", "_Self-care guidance, not medical advice._", ""]

    for day in plan.days:
        number = (day.date - plan.injury_date).days
        lines.append(f"## {long_date(day.date)} · day {number} · {rules.phases[day.phase].label}")
        lines.append("")
        for task in day.tasks:
            box = "[x]" if task.done else "[ ]"
            dose = f" — {md_escape(task.dose)}" if task.dose else ""
            note = " _(yours)_" if task.custom else ""
            note += f" _(skipped: {task.skip.value})_" if task.skip else ""
            lines.append(f"- {box} {md_escape(task.title)}{dose}{note}")
        if day.pain is not None:
            rest = " at rest" if day.at_rest else ""
            note = f" — {md_escape(day.note)}" if day.note else ""
            lines += ["", f"Pain: {day.pain}/10{rest}{note}"]
        if day.gate is not None:
            verdict = "passed" if day.gate.passed else "not passed"
            lines += ["", f"Run gate: {verdict}"]
        lines.append("")
    return "\n".join(lines)
