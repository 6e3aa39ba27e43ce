"""The commands that make, read and change a plan: new, show, tick, pain, gate, decide,
replan, add, skip, list. Each change is saved before the command says it was."""

from __future__ import annotations

import argparse
from pathlib import Path

from planner.cli.common import (
    Context,
    DataError,
    UsageError,
    change,
    day_of,
    open_plan,
    open_session,
    out,
    parse_day,
    task_id,
)
from planner.dates import DateError, long_date, parse_finish_time, race_words, short_date
from planner.model import (
    PROTOCOL,
    Category,
    Phase,
    PlanInputs,
    SkipReason,
    clean_line,
    clean_text,
    shown_path,
)
from planner.ops import MAX_NOTE, OpError, clean_note
from planner.paths import last_plan, list_plans, plans_dir, remember
from planner.store import PlanError, SaveError, load_plan
from planner.words import plural

# A command is a whole process: each loads only what it uses. The engine, the advice, the
# protocol's rules, the re-plan's change lines and the printing of a day are imported in
# the commands that need them (`planner tick` needs none of them).

FLAGS = {
    "injury_date": "--injury",
    "race_date": "--race",
    "injury": "--injury-kind",
    "grade": "--grade",
    "side": "--side",
    "distance": "--distance",
    "name": "--name",
    "muscle": "--muscle",
    "recurrent": "--recurrent",
    "finish_minutes": "--finish-time",
}
MAX_TITLE = 100


def cmd_new(args: argparse.Namespace, ctx: Context) -> int:
    """planner new: build a plan and write it to the plans folder (or --out)."""
    from planner.cli import red_flags
    from planner.cli.output import print_day
    from planner.engine import InputError, injury_class, validate_inputs
    from planner.service import create_plan_file

    injury_date = parse_day(args.injury, ctx, "--injury")
    race_date = parse_day(args.race, ctx, "--race")
    kind = args.injury_kind.strip().lower()
    default_grade = 1 if kind == "strain" else None
    grade = default_grade if args.grade is None else _grade(args.grade)
    finish = None if args.finish_time is None else _finish(args.finish_time)
    inputs = PlanInputs(
        injury_date=injury_date,
        race_date=race_date,
        injury=kind,
        grade=grade,
        side=args.side.strip().lower() if args.side else None,
        distance=args.distance.strip().lower(),
        name=args.name,
        muscle=args.muscle.strip().lower() if args.muscle else None,
        recurrent=args.recurrent,
        finish_minutes=finish,
    )
    path = None
    if args.out:
        path = Path(args.out).expanduser()
        if path.exists() or path.is_symlink():
            raise UsageError(f"--out: {path} already exists; choose another path")
        if not path.parent.is_dir():
            raise UsageError(f"--out: the folder {path.parent} does not exist")
    try:
        checked = validate_inputs(inputs, ctx.today)  # bad input is told before any question
    except InputError as error:
        raise UsageError(f"{FLAGS.get(error.field, error.field)}: {error.message}") from None
    kind = injury_class(checked.injury, checked.grade)
    safety = red_flags.ask(kind, ctx.today) if red_flags.interactive() else None
    if safety is None:
        safety = red_flags.shown(kind, ctx.today)
    try:
        plan_file = create_plan_file(
            inputs,
            today=ctx.today,
            created=ctx.now,
            folder=plans_dir(ctx.home),
            path=path,
            safety=safety,
        )
    except InputError as error:
        raise UsageError(f"{FLAGS.get(error.field, error.field)}: {error.message}") from None
    except SaveError as error:
        raise DataError(str(error)) from None
    plan = plan_file.plan
    remember(ctx.home, plan_file.path)
    out(
        f"Made '{plan.name}': {plural(len(plan.days), 'day')}, {short_date(plan.first_date)} to "
        f"{long_date(plan.last_date)}. Saved to {shown_path(plan_file.path)}"
    )
    out()
    today = plan.day(ctx.today)
    if today is not None:
        print_day(plan, today, ctx.today)
    return 0


def _grade(text: str) -> int:
    """`--grade` as a number (the engine says which are allowed), or a usage error."""
    try:
        return int(text)
    except ValueError:
        raise UsageError(f"--grade: '{text}' is not a grade; use 1 or 2") from None


def _finish(text: str) -> int:
    """`--finish-time` in minutes (the engine checks the distance's range), or a usage error."""
    try:
        return parse_finish_time(text)
    except DateError as error:
        raise UsageError(f"--finish-time: {error}") from None


def cmd_show(args: argparse.Namespace, ctx: Context) -> int:
    """planner show: print a day's checklist."""
    from planner.cli.output import print_day

    if args.week and (args.why or args.how):
        flag = "--why" if args.why else "--how"
        raise UsageError(f"{flag}: goes with a day's checklist, not with --week")
    plan_file = open_plan(args.plan, ctx)
    when = parse_day(args.date, ctx, "--date")
    given = args.date is not None
    day = day_of(plan_file.plan, when, "--date", ctx, given=given, to="to see a day of it")
    if args.json:  # the same day or week as data (README, JSON output); --why's are in it
        from planner.json_out import dumps, show_day, show_week

        plan, path = plan_file.plan, plan_file.path.absolute()
        if args.week:
            data = show_week(plan, path, day.date, ctx.today)
        else:
            data = show_day(plan, path, day, ctx.today, how=args.how)
        out(dumps(data))
        remember(ctx.home, plan_file.path)
        return 0
    if args.week:
        from planner.cli.output import print_week

        print_week(plan_file.plan, day.date, ctx.today)
    else:
        print_day(plan_file.plan, day, ctx.today, why=args.why, how=args.how)
    if plan_file.plan.protocol < PROTOCOL:
        out()
        out(
            f"Laid out by protocol {plan_file.plan.protocol}: `planner replan` re-lays its "
            f"coming days by protocol {PROTOCOL} (past days, ticks and logs stay)."
        )
    remember(ctx.home, plan_file.path)
    return 0


def _task_asked(plan, args: argparse.Namespace, ctx: Context, to: str):
    """The day (`--date`, default today) and the task (TASK: its number in `show` or its
    id) a command names, with the label it says them by: '2. Calf stretches (Tue 24 Nov)'.
    A day outside the plan or an unknown task is a usage error, said `to` do what."""
    when = parse_day(args.date, ctx, "--date")
    given = args.date is not None
    day = day_of(plan, when, "--date", ctx, given=given, to=f"{to} a task of one of its days")
    task = day.task(task_id(day, args.task))
    return when, task, f"{day.tasks.index(task) + 1}. {task.title} ({short_date(when)})"


def cmd_tick(args: argparse.Namespace, ctx: Context) -> int:
    """planner tick: mark a task done, or not done with --undo; saved before it says so.

    A run takes the minutes actually run (--minutes), which the load rules and the
    race-day call count; --pain logs the day's pain after the tick, as `planner pain` does.
    """
    from planner.service import ChangeRefused

    minutes = None if args.minutes is None else _run_minutes(args.minutes)
    pain = None if args.pain is None else _pain_score(args.pain, "--pain")
    if args.undo and (minutes is not None or pain is not None):
        flag = "--minutes" if minutes is not None else "--pain"
        raise UsageError(f"{flag}: goes with a tick, not with --undo")
    session = open_session(args.plan, ctx)
    when, task, label = _task_asked(session.plan, args, ctx, "to tick")
    done = not args.undo
    try:  # both checked before anything is saved: a refusal changes nothing
        if minutes is not None:
            session.check_run(when, task.id)
        if pain is not None:
            session.check_log_day(when)
    except ChangeRefused as error:
        raise UsageError(f"{'--minutes' if minutes is not None else '--date'}: {error}") from None
    if minutes is not None:
        _tick_run(session, ctx, when, task, label, minutes)
    elif task.done == done:
        out(f"Already {'done' if done else 'not done'}: {label}")
    else:
        try:
            replans = session.tick_replans(when, task.id, done)
        except ChangeRefused as error:  # a day not come yet: said as the tick says it
            raise UsageError(f"--date: {error}") from None
        change(session, ctx, session.set_done, when, task.id, done)
        out(f"{'Done' if done else 'Not done'}: {label}. Saved.")
        if replans:  # a run cut short no longer counts: the days after it are laid again
            _said_replan(session)
    if pain is not None:
        _log_pain(session, ctx, when, pain)
    return 0


def _run_minutes(text: str) -> int:
    """`--minutes` as a whole number of minutes run, or a usage error saying what is allowed."""
    from planner.ops import MAX_RUN_MINUTES

    value = text.strip()
    if not (value.isascii() and value.isdigit() and int(value) <= MAX_RUN_MINUTES):
        raise UsageError(
            f"--minutes: the minutes you ran, a whole number from 0 to {MAX_RUN_MINUTES}, "
            f"not '{text}'"
        )
    return int(value)


def _tick_run(session, ctx: Context, when, task, label: str, minutes: int) -> None:
    """Tick a run with the minutes run and say so, with what the re-plan changed."""
    planned = f" of {task.minutes}" if task.minutes is not None else ""
    if task.done and task.actual_minutes == minutes:
        out(f"Already done: {label}, ran {minutes}{planned} min")
        return
    was_done, before = task.done, task.run_minutes  # read first: the change is made on task
    replans = session.run_replans(when, task.id, minutes)
    change(session, ctx, session.record_run, when, task.id, minutes, flag="--minutes")
    was = f" (was {before})" if was_done and before is not None and before != minutes else ""
    what = "Changed" if was_done else "Done"
    out(f"{what}: {label}, ran {minutes}{planned} min{was}. Saved.")
    if replans:
        _said_replan(session)


def _said_replan(session) -> None:
    """What re-planning after a run's minutes changed ahead (the load rules count them)."""
    from planner.cli.output import print_changes

    print_changes(session.changes)


# What a pain band did to the plan, said only as it happened: (with changes, without any).
# Protocol 2: never "step back" when nothing ahead changed.
PAIN_BANDS = {
    "green": ("green: carry on as planned", "green: carry on as planned"),
    "amber": (
        "amber: the plan holds (below): nothing new, nothing stepped up",
        "amber: hold; nothing ahead needed changing (no run or new load comes next)",
    ),
    "red": (
        "red: the plan steps back (below)",
        "red: nothing ahead needed stepping back (no run or new load comes next)",
    ),
}
CLINICIAN_RULE = "Two red days in a row, or pain at rest, means a clinician."


def cmd_pain(args: argparse.Namespace, ctx: Context) -> int:
    """planner pain: log the day's pain (and a note, pain at rest), then re-plan after it."""
    score = _pain_score(args.score, "SCORE")
    if args.note is not None and len(clean_text(args.note).strip()) > MAX_NOTE:
        raise UsageError(f"--note: at most {MAX_NOTE} characters")
    session = open_session(args.plan, ctx)
    when = parse_day(args.date, ctx, "--date")
    if args.date is None:  # today: a plan that ended is said so, not blamed on --date
        day_of(session.plan, when, "--date", ctx, given=False, to="to log pain for one of its days")
    _log_pain(session, ctx, when, score, args.note, True if args.at_rest else None)
    return 0


def _pain_score(text: str, field: str) -> int:
    """A pain score typed as `field` (SCORE, --pain), or a usage error saying what is allowed."""
    value = text.strip()
    if not (value.isdigit() and 0 <= int(value) <= 10):
        raise UsageError(
            f"{field}: pain is a whole number from 0 (none) to 10 (worst), not '{text}'"
        )
    return int(value)


def _log_pain(session, ctx: Context, when, score: int, note=None, at_rest=None) -> None:
    """Log a day's pain, re-plan after it, and say what that did (planner pain, tick --pain):
    the band as it happened, the clinician's rule and warning, and what changed ahead."""
    from planner.advice import clinician_warning
    from planner.changes import PROTOCOL_WORDS
    from planner.cli.output import print_changes
    from planner.rules import load_rules

    change(session, ctx, session.log_pain, when, score, note, at_rest)
    band = load_rules().pain.band(score)
    stepped = [line for line in session.changes if not line.startswith(PROTOCOL_WORDS)]
    said = PAIN_BANDS[band][0 if stepped else 1]
    out(f"Pain {score}/10 logged for {short_date(when)}. Saved. That is {said}.")
    if band == "red":
        out(CLINICIAN_RULE)
    warning = clinician_warning(session.plan, ctx.today)
    if warning:
        out(f"!! {warning}")
    print_changes(session.changes)


def _count(text: str, flag: str, what: str, most: int) -> int:
    value = text.strip()
    if not value.isdigit() or int(value) > most:
        raise UsageError(f"{flag}: {what}, a whole number from 0 to {most}, not '{text}'")
    return int(value)


def cmd_gate(args: argparse.Namespace, ctx: Context) -> int:
    """planner gate: record a run-gate test, then re-plan: running starts, or a retest."""
    from planner.cli.output import print_changes
    from planner.rules import load_rules
    from planner.service import other_side_needs

    raises = _count(args.raises, "--raises", "single-leg raises on the sore side", 200)
    hops = _count(args.hops, "--hops", "pain-free single-leg hops", 200)
    walk = _count(args.walk, "--walk", "minutes of pain-free brisk walking", 600)
    other = None
    if args.other_side is not None:
        other = _count(args.other_side, "--other-side", "single-leg raises, other side", 200)
    session = open_session(args.plan, ctx)
    when = parse_day(args.date, ctx, "--date")
    if args.date is None:  # today: a plan that ended is said so, not blamed on --date
        day_of(
            session.plan, when, "--date", ctx, given=False, to="to record a test on one of its days"
        )
    change(session, ctx, session.record_gate, when, raises, hops, walk, other)
    plan = session.plan
    test = load_rules().gate_test
    if plan.day(when).gate.passed:
        first_run = next(
            (d for d in plan.days if d.date > when and d.task("run") and d.phase != Phase.RACE),
            None,
        )
        start = (
            f"running starts {short_date(first_run.date)}: {first_run.task('run').title}"
            if first_run
            else "no run fits before the race: race day is the first"
        )
        out(f"Run gate passed on {short_date(when)}. Saved. {start[0].upper()}{start[1:]}.")
    else:
        retest = next((d.date for d in plan.days if d.date > when and d.task("gate")), None)
        if retest is None:
            then = "no time to retest before the race"
        elif retest > plan.race_date:  # the recovery goes on after a race not started
            then = (
                "no time to retest before the race: the call will be don't start; "
                f"the next test is on {short_date(retest)}, after it"
            )
        else:
            then = f"retest on {short_date(retest)}"
        needs = max(test.raises, other_side_needs(other))
        share = f" ({round(test.other_side_fraction * 100)}% of the other side's {other})"
        out(
            f"Run gate not passed on {short_date(when)} (it needs {plural(needs, 'raise')}"
            f"{share if other is not None and needs > test.raises else ''}, "
            f"{plural(test.hops, 'hop')}, {test.walk_minutes} min walk; "
            f"you did {raises}, {hops}, {walk}). "
            f"Saved. Keep recovering; {then}."
        )
    print_changes(session.changes)
    return 0


def cmd_decide(args: argparse.Namespace, ctx: Context) -> int:
    """planner decide: the race-day call and why."""
    from planner.advice import decide
    from planner.cli.output import print_decision

    plan_file = open_plan(args.plan, ctx)
    plan = plan_file.plan
    if args.json:
        from planner.json_out import decide_json, dumps

        out(dumps(decide_json(plan, plan_file.path.absolute(), ctx.today)))
        return 0
    out(f"{plan.name}: {race_words(plan.race_date, ctx.today)}")
    print_decision(decide(plan, ctx.today))
    return 0


def cmd_replan(args: argparse.Namespace, ctx: Context) -> int:
    """planner replan: re-lay the coming days of a plan laid out by an older protocol by
    the current one, and print what changed; past days, ticks, logs and the runner's own
    tasks stay. A plan of the current protocol is left alone (exit 0, nothing written)."""
    from planner.cli.output import print_changes

    session = open_session(args.plan, ctx)
    plan = session.plan
    if plan.protocol >= PROTOCOL:
        out(f"{plan.name}: already laid out by protocol {plan.protocol}; nothing to do.")
        return 0
    if ctx.today > plan.last_date:
        out(
            f"{plan.name}: the plan ended on {long_date(plan.last_date)}; "
            "no coming days to re-lay, nothing to do."
        )
        return 0
    old = plan.protocol
    change(session, ctx, session.replan_protocol, flag="PLAN")
    out(
        f"{session.plan.name}: the days from {short_date(max(ctx.today, plan.first_date))} "
        f"are re-laid by protocol {PROTOCOL} (were protocol {old}); past days, ticks, logs "
        "and your own tasks are kept. Saved."
    )
    print_changes(session.changes)
    return 0


# What `planner edit` can change: its option, and the input it sets.
EDIT_OPTIONS = {
    "race": "race_date",
    "grade": "grade",
    "muscle": "muscle",
    "side": "side",
    "distance": "distance",
    "finish_time": "finish_minutes",
    "name": "name",
}


def cmd_edit(args: argparse.Namespace, ctx: Context) -> int:
    """planner edit: change the plan's inputs (race date, grade, muscle, side, distance,
    finish time, name), lay its days out again from today, and print what changed; with
    --dry-run only print it. Each option is read and checked as `planner new` reads it;
    a bad one changes nothing (exit 2)."""
    import msgspec

    from planner.engine import InputError
    from planner.service import ChangeRefused

    given = {name: getattr(args, name) for name in EDIT_OPTIONS if getattr(args, name) is not None}
    if not given:
        raise UsageError(
            "nothing to change; give --race, --grade, --muscle, --side, --distance, "
            "--finish-time or --name"
        )
    changes: dict[str, object] = {}
    if "race" in given:
        changes["race_date"] = parse_day(given["race"], ctx, "--race")
    if "grade" in given:
        changes["grade"] = _grade(given["grade"])
    for name in ("muscle", "side", "distance"):
        if name in given:
            changes[name] = given[name].strip().lower()
    if "finish_time" in given:
        text = given["finish_time"].strip().lower()
        changes["finish_minutes"] = None if text in ("", "none") else _finish(text)
    if "name" in given:
        changes["name"] = given["name"]
    session = open_session(args.plan, ctx)
    plan = session.plan
    # A finish time belongs to its distance: a new distance goes back to its typical time
    # unless a time is given with it (the edit's lines say so).
    new_distance = changes.get("distance", plan.distance.value) != plan.distance.value
    if new_distance and "finish_minutes" not in changes:
        changes["finish_minutes"] = None
    try:
        edit = session.plan_edit(msgspec.structs.replace(plan.inputs, **changes))
    except InputError as error:
        raise UsageError(f"{FLAGS.get(error.field, error.field)}: {error.message}") from None
    if edit.inputs == plan.inputs:
        out(f"{plan.name}: nothing to change; the plan has these already.")
        return 0
    if args.dry_run:
        try:
            preview = session.edit_preview(edit)
        except ChangeRefused as error:
            raise UsageError(f"PLAN: {error}") from None
        out(f"{plan.name}: not changed (--dry-run). The edit would change:")
        _print_edit(preview)
        return 0
    change(session, ctx, session.edit_plan, edit, flag="PLAN")
    kept = (
        f"the days from {short_date(edit.start)} are laid out again; past days, ticks, "
        "skips, logs, notes and your own tasks are kept"
        if edit.start is not None
        else "the days stay as they are"
    )
    out(f"{session.plan.name}: changed ({kept}). Saved.")
    _print_edit(session.edit_changes)
    return 0


def _print_edit(changes) -> None:
    """An edit's lines: the inputs, landmarks and warning, then the days that change."""
    from planner.changes import summarize
    from planner.cli.output import print_changes, say

    for line in changes.head:
        say(line, "  ", "    ")
    if changes.days:
        out("The days ahead change:")
        for line in summarize(changes.days, most=8, same_way=False):
            say(line, "  ", "    ")
    else:
        print_changes([])


def cmd_add(args: argparse.Namespace, ctx: Context) -> int:
    """planner add: a task of the runner's own on a day."""
    title = " ".join(clean_text(args.title).split())
    if not title:
        raise UsageError("TITLE: a task needs a title")
    if len(title) > MAX_TITLE:
        raise UsageError(f"TITLE: at most {MAX_TITLE} characters")
    try:
        category = Category(args.category.strip().lower())
    except ValueError:
        allowed = ", ".join(c.value for c in Category)
        raise UsageError(
            f"--category: '{args.category}' is not a category; use {allowed}"
        ) from None
    dose = clean_line(args.dose or "")
    if len(dose) > MAX_NOTE:
        raise UsageError(f"--dose: at most {MAX_NOTE} characters")
    repeat = _repeat(args.every)
    if args.until is not None and repeat is None:
        raise UsageError("--until: only with --every (the day a repeating task stops)")
    until = parse_day(args.until, ctx, "--until") if args.until is not None else None
    session = open_session(args.plan, ctx)
    when = parse_day(args.date, ctx, "--date")
    if args.date is None:  # today: a plan that ended is said so, not blamed on --date
        day_of(session.plan, when, "--date", ctx, given=False, to="to add to one of its days")
    if repeat is not None:
        return _add_series(session, ctx, when, until, repeat, title, category, dose)
    change(session, ctx, session.add_task, when, title, category, dose)
    day = session.plan.day(when)
    out(f"Added {len(day.tasks)}. {title} ({short_date(when)}, id {session.added_id}). Saved.")
    return 0


def _repeat(text: str | None):
    """`--every` read as a Repeat (None when not given), or a usage error naming it."""
    if text is None:
        return None
    from planner.repeat import RepeatError, parse_every

    try:
        return parse_every(text)
    except RepeatError as error:
        raise UsageError(f"--every: {error}") from None


def _add_series(session, ctx: Context, start, until, repeat, title, category, dose) -> int:
    """planner add --every: the task on each day the repeat falls on, from `start` to
    `until` (default: the plan's last day), each a task of its own; all saved, or none."""
    plan = session.plan
    day_of(plan, start, "--date", ctx)
    if until is None:
        until = plan.last_date
    else:
        day_of(plan, until, "--until", ctx)
    if until < start:
        raise UsageError(
            f"--until: {long_date(until)} comes before the first day, {long_date(start)}"
        )
    from planner.repeat import occurrences

    if not occurrences(repeat, start, until):
        raise UsageError(
            f"--every: {repeat.words()} falls on no day from {short_date(start)} to "
            f"{short_date(until)}"
        )
    change(session, ctx, session.add_series, start, until, repeat, title, category, dose)
    first, last = session.added[0][0], session.added[-1][0]
    span = f"{short_date(first)} to {short_date(last)}" if last > first else short_date(first)
    out(f"Added '{title}', {repeat.words()}: {plural(len(session.added), 'day')}, {span}. Saved.")
    out("Each day's is a task of its own: tick or skip it on its day.")
    return 0


def cmd_skip(args: argparse.Namespace, ctx: Context) -> int:
    """planner skip: excuse a task with a reason; a pain skip feeds the pain rules."""
    from planner.cli.output import print_changes

    try:
        reason = SkipReason(args.reason.strip().lower())
    except ValueError:
        raise UsageError(
            f"--reason: '{args.reason}' is not a reason; use pain, travel or other"
        ) from None
    if args.note is not None and len(clean_text(args.note).strip()) > MAX_NOTE:
        raise UsageError(f"--note: at most {MAX_NOTE} characters")
    session = open_session(args.plan, ctx)
    when, task, label = _task_asked(session.plan, args, ctx, "to skip")
    feeds_pain = session.skip_feeds_pain(when, task.id, reason)
    had_note = task.note
    change(session, ctx, session.skip, when, task.id, reason, args.note, flag="TASK")
    if feeds_pain:
        out(f"Skipped for pain: {label}. Saved. Pain counts: the plan holds.")
    else:
        out(f"Skipped ({reason.value}): {label}. Saved. It counts as excused.")
    if args.note is not None:
        _said_note(session.plan.day(when).task(task.id).note, had_note)
    if feeds_pain:
        print_changes(session.changes)
    return 0


def _said_note(note: str | None, before: str | None) -> None:
    """Say what became of a task's note: its words as kept, or that it was cleared."""
    from planner.cli.output import print_note

    if note is not None:
        print_note(note)
    elif before is not None:
        out("  note cleared")


def cmd_note(args: argparse.Namespace, ctx: Context) -> int:
    """planner note: write the runner's note on a task (an empty TEXT clears it); the task
    is found as `tick` finds it. Saved before it says so; a note already there is left."""
    try:
        note = clean_note(args.text)
    except OpError:
        raise UsageError(f"TEXT: a note is at most {MAX_NOTE} characters") from None
    session = open_session(args.plan, ctx)
    when, task, label = _task_asked(session.plan, args, ctx, "to note")
    if note == task.note:
        out(f"{'Note unchanged' if note else 'No note to clear'}: {label}")
        return 0
    before = task.note
    change(session, ctx, session.set_note, when, task.id, args.text, flag="TASK")
    kept = session.plan.day(when).task(task.id).note
    out(f"{'Noted' if kept else 'Note cleared'}: {label}. Saved.")
    _said_note(kept, before if kept else None)
    return 0


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    """planner list: every plan in the plans folder, with its race date; bad files named;
    a sync tool's conflict copies of a plan under it, with the command that merges them."""
    from planner.cli.common import merge_command
    from planner.conflicts import describe, split_copies
    from planner.paths import original_of
    from planner.stats import progress

    folder = plans_dir(ctx.home)
    plans = list_plans(folder)
    if args.json:
        return _list_json(folder, plans, ctx)
    if not plans:
        out(f"No plans yet in {shown_path(folder)}.")
        out("Make one: planner new --injury yesterday --race 'next sunday'")
        return 0
    last = last_plan(ctx.home)
    # A bare command opens the plan, never its conflict copy: the mark goes where it goes.
    last = original_of(last).resolve() if last else None
    shown, copies = split_copies(plans)
    for path in shown:
        mark = "*" if last is not None and path.resolve() == last else " "
        try:
            plan = load_plan(path)
        except PlanError as error:
            out(f"{mark} {shown_path(path.name)}: can't be read: {clean_line(error.problem)}")
            plan = None
        if plan is not None:
            overall = progress(plan, ctx.today).overall
            done = f"{overall.percent}% done" if overall.percent is not None else "not started"
            out(
                f"{mark} {plan.name} · {short_date(plan.injury_date)} to "
                f"{long_date(plan.race_date)}, {plan.distance.value} "
                f"({race_words(plan.race_date, ctx.today)}) · {done} · {shown_path(path.name)}"
            )
        for copy in copies.get(path, []):  # under its plan, never as a plan of its own
            what = describe(copy, plan.name if plan is not None else None)
            out(f"    {what} · {merge_command(path, copy, ctx.home)}")
    out()
    out(f"Plans folder: {shown_path(folder)}" + ("  (* = last used)" if last else ""))
    if copies:
        out("A conflict copy is a second version of a plan a sync tool kept when two")
        out("machines changed it at once: `planner merge` joins it into the plan.")
    return 0


def _list_json(folder: Path, plans: list[Path], ctx: Context) -> int:
    """planner list --json: each plan as loaded, or the problem that keeps it from loading,
    with its conflict copies and their merge lines, as the text list shows them."""
    from planner.cli.common import merge_command
    from planner.conflicts import split_copies
    from planner.json_out import Listed, dumps, list_json
    from planner.paths import original_of

    shown, copies = split_copies(plans)
    found = []
    for path in shown:
        try:
            loaded = load_plan(path)
        except PlanError as error:
            loaded = clean_line(error.problem)
        merges = tuple(
            (copy.absolute(), merge_command(path, copy, ctx.home)) for copy in copies.get(path, [])
        )
        found.append(Listed(path.absolute(), loaded, merges))
    last = last_plan(ctx.home)
    last = original_of(last).resolve() if last else None  # as the text list marks it
    out(dumps(list_json(folder.absolute(), found, last, ctx.today)))
    return 0
