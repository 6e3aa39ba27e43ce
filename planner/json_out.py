"""The `--json` outputs of `show`, `stats`, `decide` and `list`: pure functions from a plan
(and the day it is) to a dict, in the documented shapes (README, "JSON output"; one JSON
Schema per command in planner/schemas/<kind>.schema.json).

Every output is one object whose first keys are "kind" (the command's name) and "version"
(JSON_VERSION: additive changes keep it, a breaking change bumps it). Dates are ISO strings
(YYYY-MM-DD), moments ISO date-times; a value not known, not given or empty is null. Text
comes from the plan as loaded, already cleaned of control characters (planner.model), and
paths as shown (`shown_path`), so nothing in the output can act on a terminal.

Nothing here reads the clock (`today` is an argument), prints, or loads Textual or Rich;
the commands print `dumps(...)` of these dicts.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from planner.advice import Decision, clinician_warning, decide
from planner.conflicts import describe as describe_copy
from planner.conflicts import parse as parse_copy
from planner.model import PROTOCOL, Day, GateResult, Plan, Task, clean_line, shown_path
from planner.rules import Rules, how_to, load_rules
from planner.stats import Tally, progress, trend_words
from planner.week import tomorrow_line, week_of

JSON_VERSION = 1
# What `--json` prints: one object, indented by two spaces for a person reading it (jq and
# every JSON reader ignore the spaces), non-ASCII kept as is ("·", "—" in the protocol's
# words) since the text is cleaned of control characters already.
INDENT = 2


def dumps(data: dict) -> str:
    """The JSON text of one output, as the commands print it."""
    return json.dumps(data, ensure_ascii=False, indent=INDENT)


def _iso(when: date | datetime | None) -> str | None:
    return None if when is None else when.isoformat()


def _text(text: str | None) -> str | None:
    """A text field, or None when it says nothing (unset, empty or only blanks)."""
    return text if text is not None and text.strip() else None


def _head(kind: str) -> dict:
    return {"kind": kind, "version": JSON_VERSION}


def _labels(rules: Rules) -> dict:
    return {phase: info.label for phase, info in rules.phases.items()}


def plan_json(plan: Plan, path: Path | str | None) -> dict:
    """What every output says of the plan: its name and file, its inputs and its span."""
    return {
        "name": plan.name,
        "path": None if path is None else shown_path(path),
        "injury": plan.injury.value,
        "grade": plan.grade,
        "side": None if plan.side is None else plan.side.value,
        "muscle": None if plan.muscle is None else plan.muscle.value,
        "distance": plan.distance.value,
        "finish_minutes": plan.finish_minutes,
        "injury_date": _iso(plan.injury_date),
        "race_date": _iso(plan.race_date),
        "first_date": _iso(plan.first_date),
        "last_date": _iso(plan.last_date),
        "protocol": plan.protocol,
        # Text `show` offers `planner replan` for such a plan.
        "protocol_outdated": plan.protocol < PROTOCOL,
        "read_only": plan.read_only,
        "warning": _text(plan.warning),
    }


def task_json(task: Task, number: int, how: tuple[str, ...] | None = None) -> dict:
    """One task: `number` is its number in text `show` (what `tick` takes), `how` its steps
    (None when they were not asked for)."""
    return {
        "number": number,
        "id": task.id,
        "category": task.category.value,
        "title": task.title,
        "dose": _text(task.dose),
        "why": _text(task.why),
        "minutes": task.minutes,
        "sets": task.sets,
        "reps": task.reps,
        "hold_s": task.hold_s,
        "done": task.done,
        "done_at": _iso(task.done_at),
        "skip": None if task.skip is None else task.skip.value,
        "note": _text(task.note),
        "actual_minutes": task.actual_minutes,
        "custom": task.custom,
        "series": task.series,
        "how": None if how is None else list(how),
    }


def gate_json(gate: GateResult | None) -> dict | None:
    """A run-gate test as recorded, or None."""
    if gate is None:
        return None
    return {
        "passed": gate.passed,
        "raises": gate.raises,
        "hops": gate.hops,
        "walk_minutes": gate.walk_min,
        "other_side": gate.other_side,
    }


def decision_json(decision: Decision) -> dict:
    """The race-day call: `call` the stable enum, `label` its words ("Don't start")."""
    return {
        "call": decision.call,
        "label": decision.label,
        "provisional": decision.provisional,
        "reasons": list(decision.reasons),
        "advice": decision.advice,
        "if_you_start": decision.if_you_start,
        "longest_minutes": decision.longest_minutes,
        "expected_minutes": decision.expected_minutes,
        "runs_since_gate": decision.runs_since_gate,
    }


def show_day(
    plan: Plan,
    path: Path | str | None,
    day: Day,
    today: date,
    *,
    how: bool = False,
    rules: Rules | None = None,
) -> dict:
    """`show --json`: the day's checklist as text `show` prints it (with `how`, each
    task's steps as `--how` prints them). `days_to_race` counts from the day shown."""
    rules = rules or load_rules()
    kind = None
    if how:
        from planner.engine import injury_class  # only for the steps: `--how`

        kind = injury_class(plan.injury, plan.grade)
    tasks = []
    for number, task in enumerate(day.tasks, 1):
        steps = None
        if how:
            steps = how_to(task, kind, rules)
        tasks.append(task_json(task, number, steps))
    # Text `show` gives the call on the day before the race and on race day, when that
    # day is today; the same here.
    race_eve = plan.race_date - timedelta(days=1) <= day.date <= plan.race_date
    decision = decision_json(decide(plan, today, rules)) if race_eve and day.date == today else None
    return {
        **_head("show"),
        "view": "day",
        "plan": plan_json(plan, path),
        "today": _iso(today),
        "date": _iso(day.date),
        "day_number": (day.date - plan.injury_date).days,
        "phase": day.phase.value,
        "phase_label": rules.phases[day.phase].label,
        "days_to_race": (plan.race_date - day.date).days,
        "done": sum(t.done or t.skip is not None for t in day.tasks),
        "total": len(day.tasks),
        "tasks": tasks,
        "pain": day.pain,
        "note": _text(day.note),
        "at_rest": day.at_rest,
        "gate": gate_json(day.gate),
        "clinician_warning": clinician_warning(plan, today, rules),
        "decision": decision,
        "tomorrow": tomorrow_line(plan, day.date, _labels(rules)),
    }


def show_week(
    plan: Plan, path: Path | str | None, when: date, today: date, rules: Rules | None = None
) -> dict:
    """`show --week --json`: the Monday-to-Sunday week around `when`, a row a plan day
    (its key session, tasks done, run minutes, pain), then the week's sums."""
    rules = rules or load_rules()
    week = week_of(plan, when, _labels(rules))
    long_run = week.long_run
    return {
        **_head("show"),
        "view": "week",
        "plan": plan_json(plan, path),
        "today": _iso(today),
        "date": _iso(when),
        "monday": _iso(week.monday),
        "sunday": _iso(week.monday + timedelta(days=6)),
        "phases": [phase.value for phase in week.phases],
        "days": [
            {
                "date": _iso(row.date),
                "phase": row.phase.value,
                "phase_label": rules.phases[row.phase].label,
                "what": row.what,
                "done": row.done,
                "total": row.total,
                "run_minutes": row.run_minutes,
                "strength": row.strength,
                "pain": row.pain,
                "is_today": row.date == today,
            }
            for row in week.days
        ],
        "runs": week.runs,
        "run_minutes": week.run_minutes,
        "long_run": (
            None
            if long_run is None
            else {"date": _iso(long_run.date), "minutes": long_run.run_minutes}
        ),
        "strength_days": week.strength_days,
    }


def tally_json(tally: Tally) -> dict:
    """Done out of due, excused skips left out of both; `percent` None when none was due."""
    return {
        "done": tally.done,
        "due": tally.due,
        "excused": tally.excused,
        "percent": tally.percent,
    }


def stats_json(plan: Plan, path: Path | str | None, today: date) -> dict:
    """`stats --json`: adherence overall, by phase and by kind of task, the streaks, the
    runs done and the pain log with its trend (as text `stats` says them)."""
    stats = progress(plan, today)
    scores = [score for _, score in stats.pain]
    logs = []
    for when, score in stats.pain:
        day = plan.day(when)
        logs.append({"date": _iso(when), "pain": score, "at_rest": bool(day and day.at_rest)})
    return {
        **_head("stats"),
        "plan": plan_json(plan, path),
        "today": _iso(today),
        "days_to_race": stats.days_to_race,
        "adherence": tally_json(stats.overall),
        "by_phase": {phase: tally_json(t) for phase, t in stats.by_phase.items()},
        "by_category": {c: tally_json(t) for c, t in sorted(stats.by_category.items())},
        "streak": {"current": stats.current_streak, "best": stats.best_streak},
        "running": {
            "runs": stats.running.runs,
            "minutes": stats.running.minutes,
            "planned": stats.running.planned,
        },
        "pain": {
            "logs": logs,
            "first": scores[0] if scores else None,
            "latest": scores[-1] if scores else None,
            "latest_date": _iso(stats.pain[-1][0]) if stats.pain else None,
            # Text `stats` says "too few logs for a trend" below two logs: null here.
            "trend": trend_words(scores) if len(scores) >= 2 else None,
        },
    }


def decide_json(plan: Plan, path: Path | str | None, today: date) -> dict:
    """`decide --json`: the race-day call as of `today`, its reasons and what to do."""
    return {
        **_head("decide"),
        "plan": plan_json(plan, path),
        "today": _iso(today),
        "days_to_race": (plan.race_date - today).days,
        **decision_json(decide(plan, today)),
    }


class Listed(NamedTuple):
    """A file of the plans folder as `list` found it."""

    path: Path
    loaded: Plan | str  # the plan, or the problem that keeps it from loading
    # Its sync tool's conflict copies, each with the `planner merge` line that joins it in.
    copies: tuple[tuple[Path, str], ...] = ()


def copy_json(path: Path, merge: str, plan_name: str | None) -> dict:
    """A conflict copy as its file name says it (planner.conflicts), and how to merge it."""
    copy = parse_copy(path.name)
    when = None if copy is None else copy.when
    return {
        "file": shown_path(path.name),
        "path": shown_path(path),
        "tool": None if copy is None else copy.tool,
        "when": None if when is None else when.isoformat(),
        "who": None if copy is None or copy.who is None else clean_line(copy.who),
        "description": describe_copy(path, plan_name),
        "merge": shown_path(merge),
    }


def list_json(folder: Path | str, found: list[Listed], last: Path | None, today: date) -> dict:
    """`list --json`: the plans of `folder` as `list` shows them, each loaded (a Plan) or
    with the problem that kept it from loading (listed apart, under "unreadable"), and a
    plan's conflict copies under it, never as plans of their own.

    `last` is the plan last used (the original of a copy), resolved, or None.
    """
    plans, unreadable = [], []
    for path, loaded, copies in found:
        last_used = last is not None and Path(path).resolve() == last
        name = None if isinstance(loaded, str) else loaded.name
        copied = [copy_json(copy, merge, name) for copy, merge in copies]
        if isinstance(loaded, str):
            unreadable.append(
                {
                    "file": shown_path(Path(path).name),
                    "path": shown_path(path),
                    "problem": loaded,
                    "last_used": last_used,
                    "conflict_copies": copied,
                }
            )
            continue
        plans.append(
            {
                "file": shown_path(Path(path).name),
                **plan_json(loaded, path),
                "last_used": last_used,
                "days_to_race": (loaded.race_date - today).days,
                "adherence": tally_json(progress(loaded, today).overall),
                "conflict_copies": copied,
            }
        )
    return {
        **_head("list"),
        "folder": shown_path(folder),
        "last_used": None if last is None else shown_path(last),
        "today": _iso(today),
        "plans": plans,
        "unreadable": unreadable,
    }
