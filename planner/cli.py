"""The `planner` command line: parse, call the core, print, exit 0 / 1 / 2.

Exit codes: 0 success; 2 bad input (one line on stderr naming the field and what is
allowed, nothing on disk changed); 1 a data problem (a corrupt or unwritable plan file,
reported as `path:line:col: problem`). No traceback for anything a user can type or edit.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path

from planner import __version__
from planner.dates import DateError, long_date, parse_date, race_words, short_date
from planner.engine import InputError, injury_class
from planner.model import Day, Plan, PlanInputs, clean_text
from planner.ops import MAX_NOTE, LogPain, OpError, SetDone
from planner.paths import (
    APP_NAME,
    PlanNotFound,
    find_plan,
    last_plan,
    list_plans,
    plans_dir,
    remember,
)
from planner.rules import load_rules
from planner.session import create_plan_file
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


class UsageError(Exception):
    """Bad input: exit 2 with this one-line message."""


class DataError(Exception):
    """A data problem: exit 1 with this one-line message."""


@dataclass(frozen=True)
class Context:
    """What every command needs: the day it is, the clock for timestamps, the app's home."""

    today: date
    now: datetime
    home: Path
    pinned: bool = False  # today came from --today or PLANNER_TODAY


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def _today_option(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--today",
        metavar="D",
        default=default,
        help="pretend today is D (also PLANNER_TODAY); for tests and demos",
    )


def _parser() -> _Parser:
    parser = _Parser(
        prog="planner",
        description="A day-by-day recovery and taper plan for a calf cramp or strain "
        "before a race. Self-care guidance, not medical advice.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _today_option(parser, None)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    new = commands.add_parser("new", help="make a plan from the injury and race dates")
    new.add_argument("--injury", required=True, metavar="D", help="the day it happened")
    new.add_argument("--race", required=True, metavar="D", help="race day")
    new.add_argument(
        "--injury-kind",
        default="strain",
        metavar="KIND",
        help="cramp or strain (default strain: when unsure, the more careful choice)",
    )
    new.add_argument("--grade", metavar="N", help="strain grade, 1 or 2 (default 1)")
    new.add_argument("--side", metavar="SIDE", help="left or right")
    new.add_argument(
        "--distance",
        default="half",
        metavar="DIST",
        help="5k, 10k, half or marathon (default half)",
    )
    new.add_argument("--name", default="", metavar="N", help="the plan's name")
    new.add_argument("--out", metavar="PATH", help="write here instead of the plans folder")

    show = commands.add_parser("show", help="a day's checklist (default: today)")
    show.add_argument("plan", nargs="?", metavar="PLAN", help="a plan file or name")
    show.add_argument("--date", metavar="D", help="the day to show")
    show.add_argument("--why", action="store_true", help="also print why each task is there")

    tick = commands.add_parser("tick", help="mark a task done (or not, with --undo)")
    tick.add_argument("task", metavar="TASK", help="the task's number in `show`, or its id")
    tick.add_argument("plan", nargs="?", metavar="PLAN", help="a plan file or name")
    tick.add_argument("--date", metavar="D", help="the task's day (default today)")
    tick.add_argument("--undo", action="store_true", help="mark it not done")

    pain = commands.add_parser("pain", help="log the calf's pain, 0-10")
    pain.add_argument("score", metavar="SCORE", help="0 (none) to 10 (worst)")
    pain.add_argument("plan", nargs="?", metavar="PLAN", help="a plan file or name")
    pain.add_argument("--date", metavar="D", help="the day (default today)")
    pain.add_argument("--note", metavar="TEXT", help="a few words on how it feels")

    commands.add_parser("list", help="the plans in the plans folder")

    opener = commands.add_parser("open", help="the plan screen for a plan file")
    opener.add_argument("path", metavar="PATH", help="a plan file")
    commands.add_parser("demo", help="a lived-in example plan, in a temporary folder")

    for sub in commands.choices.values():
        _today_option(sub, argparse.SUPPRESS)
    return parser


def _context(args: argparse.Namespace) -> Context:
    real_today = date.today()
    text, source = args.today, "--today"
    if text is None and os.environ.get("PLANNER_TODAY"):
        text, source = os.environ["PLANNER_TODAY"], "PLANNER_TODAY"
    if text is None:
        today, now = real_today, datetime.now(UTC).replace(microsecond=0)
    else:
        try:
            today = parse_date(text, real_today)
        except DateError as error:
            raise UsageError(f"{source}: {error}") from None
        # A fixed clock time keeps timestamps reproducible when the day is pinned.
        now = datetime.combine(today, time(12, 0), UTC)
    home_text = os.environ.get("PLANNER_HOME")
    if home_text:
        home = Path(home_text).expanduser()
    else:
        import platformdirs  # only needed when no home is given

        home = platformdirs.user_data_path(APP_NAME, appauthor=False)
    return Context(today=today, now=now, home=home, pinned=text is not None)


def _date(text: str | None, ctx: Context, flag: str) -> date:
    if text is None:
        return ctx.today
    try:
        return parse_date(text, ctx.today)
    except DateError as error:
        raise UsageError(f"{flag}: {error}") from None


def _out(line: str = "") -> None:
    print(clean_text(line))


# ------------------------------------------------------------------------------ printing


def describe_plan(plan: Plan) -> str:
    """'grade 1 calf strain, left calf, half marathon on Sun 29 Nov 2026'."""
    rules = load_rules()
    kind = rules.kinds[injury_class(plan.injury, plan.grade)].label
    side = f", {plan.side.value} calf" if plan.side else ""
    race = rules.distances[plan.distance].label
    return f"{kind}{side}; {race} on {long_date(plan.race_date)}"


def print_day(plan: Plan, day: Day, *, why: bool = False) -> None:
    """Print a day's header (day N, race in M days, phase, warning) and numbered tasks."""
    rules = load_rules()
    number = (day.date - plan.injury_date).days
    since = "injury day" if number == 0 else f"day {number} since injury"
    done = sum(t.done for t in day.tasks)
    _out(f"{plan.name}: {describe_plan(plan)}")
    _out(
        f"{long_date(day.date)} · {since} · {race_words(plan.race_date, day.date)} · "
        f"{rules.phases[day.phase].label} · {done}/{len(day.tasks)} done"
    )
    if plan.warning:
        _out(f"! {plan.warning}")
    _out()
    width = len(str(len(day.tasks)))
    for index, task in enumerate(day.tasks, 1):
        box = "[x]" if task.done else "[ ]"
        dose = f" — {task.dose}" if task.dose else ""
        _out(f"  {index:>{width}}. {box} {task.title}{dose}")
        if why and task.why:
            _out(f"  {' ' * width}       why: {task.why}")
    _out()
    if day.pain is not None:
        note = f" — {day.note}" if day.note else ""
        _out(f"Pain: {day.pain}/10{note}")
    else:
        _out("Pain: not logged (planner pain 0-10)")


# ------------------------------------------------------------------------------ commands


def _open(ref: str | None, ctx: Context) -> PlanFile:
    try:
        path = find_plan(ref, ctx.home)
    except PlanNotFound as error:
        raise UsageError(f"PLAN: {error}") from None
    return PlanFile.open(path)


def _day_of(plan: Plan, when: date, flag: str, ctx: Context) -> Day:
    day = plan.day(when)
    if day is None:
        what = "today" if when == ctx.today else str(when)
        raise UsageError(
            f"{flag}: {what} is outside the plan, which runs from "
            f"{long_date(plan.first_date)} to {long_date(plan.last_date)}"
        )
    return day


def _writable_day(plan: Plan, when: date, flag: str, ctx: Context) -> Day:
    day = _day_of(plan, when, flag, ctx)
    if when > ctx.today:
        raise UsageError(f"{flag}: {long_date(when)} hasn't come yet; log a day on or after it")
    return day


def cmd_new(args: argparse.Namespace, ctx: Context) -> int:
    """planner new: build a plan and write it to the plans folder (or --out)."""
    injury_date = _date(args.injury, ctx, "--injury")
    race_date = _date(args.race, ctx, "--race")
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
    plan, path = plan_file.plan, plan_file.path
    remember(ctx.home, path)
    _out(
        f"Made '{plan.name}': {len(plan.days)} days, {short_date(plan.first_date)} to "
        f"{long_date(plan.last_date)}. Saved to {plan_file.path}"
    )
    _out()
    today = plan.day(ctx.today)
    if today is not None:
        print_day(plan, today)
    return 0


def cmd_show(args: argparse.Namespace, ctx: Context) -> int:
    """planner show: print a day's checklist."""
    plan_file = _open(args.plan, ctx)
    when = _date(args.date, ctx, "--date")
    day = _day_of(plan_file.plan, when, "--date", ctx)
    print_day(plan_file.plan, day, why=args.why)
    remember(ctx.home, plan_file.path)
    return 0


def _task_id(day: Day, ref: str) -> str:
    ref = ref.strip()
    if ref.isdigit():
        index = int(ref)
        if 1 <= index <= len(day.tasks):
            return day.tasks[index - 1].id
    elif day.task(ref) is not None:
        return ref
    raise UsageError(
        f"TASK: no task '{ref}' on {short_date(day.date)}; use a number from 1 to "
        f"{len(day.tasks)} or an id (see `planner show`)"
    )


def _save(plan_file: PlanFile) -> None:
    try:
        plan_file.save()
    except SaveError as error:
        raise DataError(str(error)) from None


def cmd_tick(args: argparse.Namespace, ctx: Context) -> int:
    """planner tick: mark a task done, or not done with --undo; saved before it says so."""
    plan_file = _open(args.plan, ctx)
    when = _date(args.date, ctx, "--date")
    day = _writable_day(plan_file.plan, when, "--date", ctx)
    task_id = _task_id(day, args.task)
    task = day.task(task_id)
    number = day.tasks.index(task) + 1
    done = not args.undo
    label = f"{number}. {task.title} ({short_date(when)})"
    if task.done == done:
        _out(f"Already {'done' if done else 'not done'}: {label}")
        return 0
    plan_file.apply(SetDone(when, task_id, done, ctx.now))
    _save(plan_file)
    remember(ctx.home, plan_file.path)
    _out(f"{'Done' if done else 'Not done'}: {label}. Saved.")
    return 0


PAIN_ADVICE = (
    (2, "green: carry on as planned"),
    (4, "amber: hold at this level tomorrow; swap runs for walks or cycling"),
    (10, "red: step back a level; two red days in a row, or pain at rest, means see a clinician"),
)


def cmd_pain(args: argparse.Namespace, ctx: Context) -> int:
    """planner pain: log the day's pain score and an optional note."""
    text = args.score.strip()
    if not (text.isdigit() and 0 <= int(text) <= 10):
        raise UsageError(
            f"SCORE: pain is a whole number from 0 (none) to 10 (worst), not '{args.score}'"
        )
    score = int(text)
    if args.note is not None and len(clean_text(args.note).strip()) > MAX_NOTE:
        raise UsageError(f"--note: at most {MAX_NOTE} characters")
    plan_file = _open(args.plan, ctx)
    when = _date(args.date, ctx, "--date")
    _writable_day(plan_file.plan, when, "--date", ctx)
    try:
        plan_file.apply(LogPain(when, score, args.note))
    except OpError as error:
        raise UsageError(f"SCORE: {error}") from None
    _save(plan_file)
    remember(ctx.home, plan_file.path)
    advice = next(text for limit, text in PAIN_ADVICE if score <= limit)
    _out(f"Pain {score}/10 logged for {short_date(when)}. Saved. That is {advice}.")
    return 0


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    """planner list: every plan in the plans folder, with its race date; bad files named."""
    folder = plans_dir(ctx.home)
    plans = list_plans(folder)
    if not plans:
        _out(f"No plans yet in {folder}.")
        _out("Make one: planner new --injury yesterday --race 'next sunday'")
        return 0
    last = last_plan(ctx.home)
    last = last.resolve() if last else None
    for path in plans:
        mark = "*" if last is not None and path.resolve() == last else " "
        try:
            plan = load_plan(path)
        except PlanError as error:
            _out(f"{mark} {path.name}: can't be read: {error.problem}")
            continue
        done = sum(t.done for d in plan.days for t in d.tasks)
        total = sum(len(d.tasks) for d in plan.days)
        _out(
            f"{mark} {plan.name} · {plan.distance.value} on {long_date(plan.race_date)} "
            f"({race_words(plan.race_date, ctx.today)}) · {done}/{total} tasks done · {path.name}"
        )
    _out()
    _out(f"Plans folder: {folder}" + ("  (* = last used)" if last else ""))
    return 0


def _run_tui(plan_path: Path | None, ctx: Context, *, remember_plans: bool = True) -> int:
    from planner.tui.app import make_app, pinned_clock  # Textual loads only for the TUI

    now = pinned_clock(ctx.today) if ctx.pinned else None
    app = make_app(
        plan_path, home=ctx.home, today=ctx.today, now=now, remember_plans=remember_plans
    )
    app.run()
    return app.return_code or 0


def cmd_tui(args: argparse.Namespace, ctx: Context) -> int:
    """planner (no command): the last used plan, or the new-plan form."""
    return _run_tui(last_plan(ctx.home), ctx)


def cmd_open(args: argparse.Namespace, ctx: Context) -> int:
    """planner open PATH: the plan screen for a file (a damaged one is explained on screen)."""
    path = Path(args.path).expanduser()
    if not path.exists() and not path.is_symlink():
        raise UsageError(f"PATH: no file {args.path}")
    if path.is_dir():
        raise UsageError(f"PATH: {args.path} is a folder; give a plan file")
    return _run_tui(path, ctx)


def cmd_demo(args: argparse.Namespace, ctx: Context) -> int:
    """planner demo: a copy of the forum example, a few days in, in a temporary folder."""
    import tempfile

    from planner.demo import DEMO_TODAY, demo_plan
    from planner.store import PlanFile

    today = ctx.today if ctx.pinned else DEMO_TODAY
    plan = demo_plan(today)
    if plan.day(today) is None:
        today = DEMO_TODAY
        plan = demo_plan(today)
    folder = Path(tempfile.mkdtemp(prefix="planner-demo-"))
    path = folder / "plans" / "bristol-half.toml"
    path.parent.mkdir(mode=0o700)
    PlanFile.create(path, plan)
    _out(f"Demo plan: {path} (a copy; nothing of yours is touched)")
    demo_ctx = Context(today=today, now=ctx.now, home=folder, pinned=True)
    return _run_tui(path, demo_ctx, remember_plans=False)


COMMANDS = {
    "new": cmd_new,
    "show": cmd_show,
    "tick": cmd_tick,
    "pain": cmd_pain,
    "list": cmd_list,
    "open": cmd_open,
    "demo": cmd_demo,
}


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    parser = _parser()
    try:
        args = parser.parse_args(argv)
        ctx = _context(args)
        code = COMMANDS.get(args.command, cmd_tui)(args, ctx)
        sys.stdout.flush()  # a closed pipe shows up here, inside the handler below
        return code
    except UsageError as error:
        print(f"planner: {clean_text(str(error))}", file=sys.stderr)
        return 2
    except (DataError, PlanError, SaveError) as error:
        print(f"planner: {clean_text(str(error))}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (`planner show | head`): stop quietly, as cat does.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except OSError as error:  # e.g. PLANNER_HOME is a file, or a folder we may not create
        where = f"{error.filename}: " if error.filename else ""
        print(f"planner: {clean_text(where + (error.strerror or str(error)))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
