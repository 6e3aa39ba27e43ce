"""The commands that make, read and change a plan: new, show, tick, pain, gate, decide,
add, skip, list. Each change is saved before the command says it was."""

from __future__ import annotations

import argparse
import copy
from datetime import timedelta
from pathlib import Path

from planner.advice import clinician_warning, decide
from planner.changes import describe_changes
from planner.cli.common import (
    Context,
    DataError,
    UsageError,
    day_of,
    open_plan,
    out,
    parse_day,
    past_day,
    save,
    task_id,
)
from planner.cli.output import print_changes, print_day, print_decision
from planner.dates import long_date, race_words, short_date
from planner.engine import InputError
from planner.model import (
    Category,
    GateResult,
    Phase,
    PlanInputs,
    SkipReason,
    clean_line,
    clean_text,
    shown_path,
)
from planner.ops import (
    MAX_NOTE,
    AddTask,
    LogPain,
    Op,
    OpError,
    RecordGate,
    Replan,
    SetDone,
    SkipTask,
    new_custom_id,
)
from planner.paths import last_plan, list_plans, plans_dir, remember
from planner.rules import load_rules
from planner.session import create_plan_file
from planner.stats import progress
from planner.store import PlanError, PlanFile, SaveError, load_plan

FLAGS = {
    "injury_date": "--injury",
    "race_date": "--race",
    "injury": "--injury-kind",
    "grade": "--grade",
    "side": "--side",
    "distance": "--distance",
    "name": "--name",
}
MAX_TITLE = 100


def cmd_new(args: argparse.Namespace, ctx: Context) -> int:
    """planner new: build a plan and write it to the plans folder (or --out)."""
    injury_date = parse_day(args.injury, ctx, "--injury")
    race_date = parse_day(args.race, ctx, "--race")
    kind = args.injury_kind.strip().lower()
    if args.grade is None:
        grade = 1 if kind == "strain" else None
    else:
        try:
            grade = int(args.grade)
        except ValueError:
            raise UsageError(f"--grade: '{args.grade}' is not a grade; use 1 or 2") from None
    inputs = PlanInputs(
        injury_date=injury_date,
        race_date=race_date,
        injury=kind,
        grade=grade,
        side=args.side.strip().lower() if args.side else None,
        distance=args.distance.strip().lower(),
        name=args.name,
    )
    path = None
    if args.out:
        path = Path(args.out).expanduser()
        if path.exists() or path.is_symlink():
            raise UsageError(f"--out: {path} already exists; choose another path")
        if not path.parent.is_dir():
            raise UsageError(f"--out: the folder {path.parent} does not exist")
    try:
        plan_file = create_plan_file(
            inputs, today=ctx.today, created=ctx.now, folder=plans_dir(ctx.home), path=path
        )
    except InputError as error:
        raise UsageError(f"{FLAGS.get(error.field, error.field)}: {error.message}") from None
    except SaveError as error:
        raise DataError(str(error)) from None
    plan = plan_file.plan
    remember(ctx.home, plan_file.path)
    out(
        f"Made '{plan.name}': {len(plan.days)} days, {short_date(plan.first_date)} to "
        f"{long_date(plan.last_date)}. Saved to {shown_path(plan_file.path)}"
    )
    out()
    today = plan.day(ctx.today)
    if today is not None:
        print_day(plan, today, ctx.today)
    return 0


def cmd_show(args: argparse.Namespace, ctx: Context) -> int:
    """planner show: print a day's checklist."""
    plan_file = open_plan(args.plan, ctx)
    when = parse_day(args.date, ctx, "--date")
    day = day_of(plan_file.plan, when, "--date", ctx)
    print_day(plan_file.plan, day, ctx.today, why=args.why)
    remember(ctx.home, plan_file.path)
    return 0


def cmd_tick(args: argparse.Namespace, ctx: Context) -> int:
    """planner tick: mark a task done, or not done with --undo; saved before it says so."""
    plan_file = open_plan(args.plan, ctx)
    when = parse_day(args.date, ctx, "--date")
    day = past_day(plan_file.plan, when, "--date", ctx)
    task = day.task(task_id(day, args.task))
    number = day.tasks.index(task) + 1
    done = not args.undo
    label = f"{number}. {task.title} ({short_date(when)})"
    if task.done == done:
        out(f"Already {'done' if done else 'not done'}: {label}")
        return 0
    plan_file.apply(SetDone(when, task.id, done, ctx.now))
    save(plan_file)
    remember(ctx.home, plan_file.path)
    out(f"{'Done' if done else 'Not done'}: {label}. Saved.")
    return 0


def _replanned(plan_file: PlanFile, ops: list[Op], from_date, ctx: Context) -> list[str]:
    """Apply the runner's change, re-plan the days after it, save; return what changed."""
    for op in ops:
        plan_file.apply(op)
    before = copy.deepcopy(plan_file.plan)
    plan_file.apply(Replan(from_date, ctx.today))
    save(plan_file, keep_merge_base=True)
    remember(ctx.home, plan_file.path)
    if plan_file.merged_onto is not None:
        # Another program saved in between: our change went onto its plan, so what the
        # re-plan changed is measured there, never against our older copy.
        before = plan_file.merged_onto
        for op in ops:
            op.apply(before)
    return describe_changes(before, plan_file.plan)


PAIN_BANDS = {
    "green": "green: carry on as planned",
    "amber": "amber: hold this level; the next run becomes walking or cycling",
    "red": "red: step back a level; two red days in a row, or pain at rest, means a clinician",
}


def cmd_pain(args: argparse.Namespace, ctx: Context) -> int:
    """planner pain: log the day's pain (and a note, pain at rest), then re-plan after it."""
    text = args.score.strip()
    if not (text.isdigit() and 0 <= int(text) <= 10):
        raise UsageError(
            f"SCORE: pain is a whole number from 0 (none) to 10 (worst), not '{args.score}'"
        )
    score = int(text)
    if args.note is not None and len(clean_text(args.note).strip()) > MAX_NOTE:
        raise UsageError(f"--note: at most {MAX_NOTE} characters")
    plan_file = open_plan(args.plan, ctx)
    when = parse_day(args.date, ctx, "--date")
    past_day(plan_file.plan, when, "--date", ctx)
    op = LogPain(when, score, args.note, True if args.at_rest else None)
    changes = _replanned(plan_file, [op], when + timedelta(days=1), ctx)
    band = load_rules().pain.band(score)
    out(f"Pain {score}/10 logged for {short_date(when)}. Saved. That is {PAIN_BANDS[band]}.")
    warning = clinician_warning(plan_file.plan, ctx.today)
    if warning:
        out(f"!! {warning}")
    print_changes(changes)
    return 0


def _count(text: str, flag: str, what: str, most: int) -> int:
    value = text.strip()
    if not value.isdigit() or int(value) > most:
        raise UsageError(f"{flag}: {what}, a whole number from 0 to {most}, not '{text}'")
    return int(value)


def cmd_gate(args: argparse.Namespace, ctx: Context) -> int:
    """planner gate: record a run-gate test, then re-plan: running starts, or a retest."""
    raises = _count(args.raises, "--raises", "single-leg raises on the sore side", 200)
    hops = _count(args.hops, "--hops", "pain-free single-leg hops", 200)
    walk = _count(args.walk, "--walk", "minutes of pain-free brisk walking", 600)
    plan_file = open_plan(args.plan, ctx)
    when = parse_day(args.date, ctx, "--date")
    day = past_day(plan_file.plan, when, "--date", ctx)
    if day.phase == Phase.PROTECT:
        first = next(d.date for d in plan_file.plan.days if d.phase != Phase.PROTECT)
        raise UsageError(
            f"--date: the run gate comes after the protect days, from {short_date(first)}"
        )
    test = load_rules().gate_test
    passed = raises >= test.raises and hops >= test.hops and walk >= test.walk_minutes
    result = GateResult(raises, hops, walk, passed)
    changes = _replanned(
        plan_file, [RecordGate(when, result, ctx.now)], when + timedelta(days=1), ctx
    )
    plan = plan_file.plan
    if passed:
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
        then = f"retest on {short_date(retest)}" if retest else "no time to retest before the race"
        out(
            f"Run gate not passed on {short_date(when)} (it needs {test.raises} raises, "
            f"{test.hops} hops, {test.walk_minutes} min walk; you did {raises}, {hops}, {walk}). "
            f"Saved. Keep recovering; {then}."
        )
    print_changes(changes)
    return 0


def cmd_decide(args: argparse.Namespace, ctx: Context) -> int:
    """planner decide: the race-day call and why."""
    plan_file = open_plan(args.plan, ctx)
    plan = plan_file.plan
    out(f"{plan.name}: {race_words(plan.race_date, ctx.today)}")
    print_decision(decide(plan, ctx.today))
    return 0


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
    plan_file = open_plan(args.plan, ctx)
    when = parse_day(args.date, ctx, "--date")
    day = day_of(plan_file.plan, when, "--date", ctx)
    new_id = new_custom_id(day)
    plan_file.apply(AddTask(when, new_id, title, category, dose))
    save(plan_file)
    remember(ctx.home, plan_file.path)
    out(f"Added {len(day.tasks)}. {title} ({short_date(when)}, id {new_id}). Saved.")
    return 0


def cmd_skip(args: argparse.Namespace, ctx: Context) -> int:
    """planner skip: excuse a task with a reason; a pain skip feeds the pain rules."""
    try:
        reason = SkipReason(args.reason.strip().lower())
    except ValueError:
        raise UsageError(
            f"--reason: '{args.reason}' is not a reason; use pain, travel or other"
        ) from None
    plan_file = open_plan(args.plan, ctx)
    when = parse_day(args.date, ctx, "--date")
    day = day_of(plan_file.plan, when, "--date", ctx)
    task = day.task(task_id(day, args.task))
    op = SkipTask(when, task.id, reason)
    label = f"{day.tasks.index(task) + 1}. {task.title} ({short_date(when)})"
    if reason == SkipReason.PAIN and when <= ctx.today:
        changes = _replanned(plan_file, [op], when + timedelta(days=1), ctx)
        out(f"Skipped for pain: {label}. Saved. Pain counts: the plan holds.")
        print_changes(changes)
        return 0
    try:
        plan_file.apply(op)
    except OpError as error:
        raise UsageError(f"TASK: {error}") from None
    save(plan_file)
    remember(ctx.home, plan_file.path)
    out(f"Skipped ({reason.value}): {label}. Saved. It counts as excused.")
    return 0


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    """planner list: every plan in the plans folder, with its race date; bad files named."""
    folder = plans_dir(ctx.home)
    plans = list_plans(folder)
    if not plans:
        out(f"No plans yet in {shown_path(folder)}.")
        out("Make one: planner new --injury yesterday --race 'next sunday'")
        return 0
    last = last_plan(ctx.home)
    last = last.resolve() if last else None
    for path in plans:
        mark = "*" if last is not None and path.resolve() == last else " "
        try:
            plan = load_plan(path)
        except PlanError as error:
            out(f"{mark} {shown_path(path.name)}: can't be read: {clean_line(error.problem)}")
            continue
        overall = progress(plan, ctx.today).overall
        adherence = f"{overall.percent}% done" if overall.percent is not None else "not started"
        out(
            f"{mark} {plan.name} · {short_date(plan.injury_date)} to "
            f"{long_date(plan.race_date)}, {plan.distance.value} "
            f"({race_words(plan.race_date, ctx.today)}) · {adherence} · {shown_path(path.name)}"
        )
    out()
    out(f"Plans folder: {shown_path(folder)}" + ("  (* = last used)" if last else ""))
    return 0
