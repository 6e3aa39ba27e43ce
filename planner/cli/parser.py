"""The command line's parser (argparse): every command, its options and their help.

Loaded for every command but the plain forms of the plan screen (`planner`, `planner open
PATH`, `planner demo`, with `--today D` before them), which `planner.cli.plain_tui_words`
reads without it: argparse and what it loads are a cost on the way to the first frame.
"""

from __future__ import annotations

import argparse

from planner import __version__
from planner.cli.common import UsageError


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


def _plan_arguments(parser: argparse.ArgumentParser, *, date_help: str) -> None:
    parser.add_argument("plan", nargs="?", metavar="PLAN", help="a plan file or name")
    parser.add_argument("--date", metavar="D", help=date_help)


def _add_new(commands) -> None:
    new = commands.add_parser("new", help="make a plan from the injury and race dates")
    new.add_argument("--injury", required=True, metavar="D", help="the day it happened")
    new.add_argument("--race", required=True, metavar="D", help="race day")
    new.add_argument(
        "--injury-kind",
        default="strain",
        metavar="KIND",
        help="cramp or strain (default strain: when unsure, the more careful choice)",
    )
    new.add_argument(
        "--recurrent",
        action="store_true",
        help="cramp only: cramps that keep coming back in training or races",
    )
    new.add_argument("--grade", metavar="N", help="strain grade, 1 or 2 (default 1)")
    new.add_argument(
        "--muscle",
        metavar="M",
        help="strain only: gastrocnemius (sudden, sharp, high in the calf while pushing off; "
        "a straight-knee raise hurts more), soleus (built up lower and deeper during a run, "
        "felt like cramp; a bent-knee raise hurts more) or unsure (default, planned as soleus)",
    )
    new.add_argument("--side", metavar="SIDE", help="left or right")
    new.add_argument(
        "--distance",
        default="half",
        metavar="DIST",
        help="sprint (60-400 m), 5k, 10k, half or marathon (default half)",
    )
    new.add_argument(
        "--finish-time",
        metavar="T",
        help="your expected race time, H:MM or minutes (default: 5k 30, 10k 60, half 2:10, "
        "marathon 4:30); the race-day call measures your longest run against it",
    )
    new.add_argument("--name", default="", metavar="N", help="the plan's name")
    new.add_argument("--out", metavar="PATH", help="write here instead of the plans folder")


def _add_show(commands) -> None:
    show = commands.add_parser("show", help="a day's checklist (default: today)")
    _plan_arguments(show, date_help="the day to show")
    show.add_argument("--why", action="store_true", help="also print why each task is there")
    show.add_argument(
        "--how", action="store_true", help="also print how to do each exercise, step by step"
    )
    show.add_argument(
        "--week",
        action="store_true",
        help="the week around the day: each day's key session, the runs, the strength days",
    )
    show.add_argument(
        "--json", action="store_true", help="print JSON instead (its shape: README, JSON output)"
    )


def _add_tick(commands) -> None:
    tick = commands.add_parser("tick", help="mark a task done (or not, with --undo)")
    tick.add_argument("task", metavar="TASK", help="the task's number in `show`, or its id")
    _plan_arguments(tick, date_help="the task's day (default today)")
    tick.add_argument("--undo", action="store_true", help="mark it not done")
    tick.add_argument(
        "--minutes",
        metavar="N",
        help="a run only: the minutes you actually ran, 0-600 (the plan counts them)",
    )
    tick.add_argument(
        "--pain", metavar="P", help="also log the day's pain, 0-10, as `planner pain` does"
    )


def _add_pain(commands) -> None:
    pain = commands.add_parser("pain", help="log the calf's pain, 0-10; the plan adapts")
    pain.add_argument("score", metavar="SCORE", help="0 (none) to 10 (worst)")
    _plan_arguments(pain, date_help="the day (default today)")
    pain.add_argument("--note", metavar="TEXT", help="a few words on how it feels")
    pain.add_argument("--at-rest", action="store_true", help="the calf hurts at rest or at night")


def _add_gate(commands) -> None:
    gate = commands.add_parser("gate", help="record a run-gate test; the plan adapts")
    _plan_arguments(gate, date_help="the day of the test (default today)")
    gate.add_argument("--raises", required=True, metavar="N", help="single-leg raises, sore side")
    gate.add_argument("--hops", required=True, metavar="N", help="pain-free single-leg hops")
    gate.add_argument("--walk", required=True, metavar="MIN", help="minutes of brisk walking")
    gate.add_argument(
        "--other-side",
        metavar="N",
        help="single-leg raises on the other calf; the sore side then needs 90%% of them",
    )


def _add_decide(commands) -> None:
    decide = commands.add_parser("decide", help="the race-day call and why")
    decide.add_argument("plan", nargs="?", metavar="PLAN", help="a plan file or name")
    decide.add_argument(
        "--json", action="store_true", help="print JSON instead (its shape: README, JSON output)"
    )


def _add_replan(commands) -> None:
    replan = commands.add_parser(
        "replan", help="lay out an older plan's coming days by the current protocol"
    )
    replan.add_argument("plan", nargs="?", metavar="PLAN", help="a plan file or name")


def _add_edit(commands) -> None:
    edit = commands.add_parser(
        "edit",
        help="change the race date, grade, muscle, side, distance, finish time or name",
        description="Change the plan's inputs. The days from today are laid out again for "
        "them, as a new plan with the same inputs and pain logs would be; past days, ticks, "
        "skips, pain logs, notes, run-gate results and your own tasks are kept, and what "
        "changes is printed. The injury date and the kind of injury can't change: they "
        "define the days already lived (for another injury, make a new plan).",
    )
    edit.add_argument("plan", nargs="?", metavar="PLAN", help="a plan file or name")
    edit.add_argument("--race", metavar="D", help="the new race day (today or later)")
    edit.add_argument("--grade", metavar="N", help="strain grade, 1 or 2")
    edit.add_argument("--muscle", metavar="M", help="strain only: gastrocnemius, soleus or unsure")
    edit.add_argument("--side", metavar="SIDE", help="left or right")
    edit.add_argument(
        "--distance", metavar="DIST", help="sprint (60-400 m), 5k, 10k, half or marathon"
    )
    edit.add_argument(
        "--finish-time",
        metavar="T",
        help="your expected race time, H:MM or minutes; 'none' for the distance's typical "
        "time (a new --distance without it also goes back to the typical time)",
    )
    edit.add_argument("--name", metavar="N", help="the plan's name")
    edit.add_argument(
        "--dry-run", action="store_true", help="print what would change; change nothing"
    )


def _add_add(commands) -> None:
    add = commands.add_parser("add", help="add a task of your own to a day (or repeat it)")
    add.add_argument("title", metavar="TITLE", help="what to do")
    _plan_arguments(add, date_help="the day (default today); with --every, the first day")
    add.add_argument("--category", default="custom", metavar="C", help="e.g. stretch, walk")
    add.add_argument("--dose", metavar="TEXT", help="how much")
    add.add_argument(
        "--every",
        metavar="R",
        help="repeat it: day, 2d (every 2 days, up to 28d) or days of the week like "
        "mon,wed,fri; each day's is a task of its own, ticked on its own",
    )
    add.add_argument(
        "--until", metavar="D", help="with --every: the last day (default: the plan's last day)"
    )


def _add_skip(commands) -> None:
    skip = commands.add_parser("skip", help="skip a task with a reason (excused)")
    skip.add_argument("task", metavar="TASK", help="the task's number in `show`, or its id")
    _plan_arguments(skip, date_help="the task's day (default today)")
    skip.add_argument("--reason", required=True, metavar="WHY", help="pain, travel or other")
    skip.add_argument("--note", metavar="TEXT", help="a few words on why (kept as the task's note)")


def _add_note(commands) -> None:
    note = commands.add_parser("note", help="write a note on a task ('' clears it)")
    note.add_argument("task", metavar="TASK", help="the task's number in `show`, or its id")
    note.add_argument("text", metavar="TEXT", help="the note; an empty TEXT clears it")
    _plan_arguments(note, date_help="the task's day (default today)")


def _add_stats(commands) -> None:
    stats = commands.add_parser("stats", help="adherence, streaks, the pain trend")
    stats.add_argument("plan", nargs="?", metavar="PLAN", help="a plan file or name")
    stats.add_argument(
        "--chart",
        action="store_true",
        help="also draw pain by date (0-10) with the phases and the minutes run",
    )
    stats.add_argument(
        "--json", action="store_true", help="print JSON instead (its shape: README, JSON output)"
    )


def _add_export(commands) -> None:
    export = commands.add_parser("export", help="the plan as iCalendar or Markdown")
    export.add_argument("plan", nargs="?", metavar="PLAN", help="a plan file or name")
    export.add_argument("--format", metavar="F", help="ics or md (default: from -o's suffix)")
    export.add_argument("-o", "--output", metavar="PATH", help="write here (default: stdout)")
    export.add_argument(
        "--remind",
        metavar="HH:MM",
        help="ics only: an alarm at this time on each day of the plan (default: none)",
    )
    export.add_argument(
        "--pain-reminder",
        metavar="HH:MM",
        help="ics only: an evening alarm at this time to log the day's pain (default: none)",
    )
    export.add_argument(
        "--keep-updated",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="ics with -o only: rewrite that file after every change to the plan, for a "
        "calendar that watches it (kept in state.toml); --no-keep-updated stops it",
    )


def _add_import(commands) -> None:
    importer = commands.add_parser(
        "import",
        help="a watch's .fit, .gpx or .tcx activity ticks that day's run",
        description="Read a run recorded by a watch and tick the plan's run of the day it "
        "started on (in this computer's time zone) with the minutes it moved; the plan "
        "counts those minutes from then on. The same activity imported again changes "
        "nothing.",
    )
    importer.add_argument("file", metavar="FILE", help="a .fit, .gpx or .tcx activity file")
    importer.add_argument("plan", nargs="?", metavar="PLAN", help="a plan file or name")


def _add_list(commands) -> None:
    listing = commands.add_parser("list", help="the plans in the plans folder")
    listing.add_argument(
        "--json", action="store_true", help="print JSON instead (its shape: README, JSON output)"
    )


def _add_status(commands) -> None:
    status = commands.add_parser(
        "status",
        help="one line for a shell prompt or tmux: the day, the race, tasks done, pain",
        description="One line on the plan's today, fast enough for a shell prompt. Prints "
        "nothing (exit 0) when there is no plan yet.",
    )
    status.add_argument("plan", nargs="?", metavar="PLAN", help="a plan file or name")
    status.add_argument(
        "--format",
        metavar="TEMPLATE",
        help="the line's shape, with fields in braces: {name} {date} {day} {race_in} {race} "
        "{phase} {done} {total} {pain} {next} {alert} (README, Status line); default: "
        "'Bristol Half · day 4 · race in 5 · 2/5 · pain 5', with 'see a clinician' after "
        "the name whenever the pain log calls for one (a template without {alert} gets it "
        "at the end)",
    )
    status.add_argument(
        "--json", action="store_true", help="print JSON instead (its shape: README, JSON output)"
    )


def _add_merge(commands) -> None:
    merge = commands.add_parser(
        "merge",
        help="fold a sync tool's conflict copy of a plan into the plan",
        description="Merge COPY (a conflict copy a sync tool left, or any copy of the same "
        "plan) into PLAN: the ticks, skips, pain logs, notes and your own tasks of both, "
        "each field by its latest change. Prints what changes first; both files are kept "
        "as backups.",
    )
    merge.add_argument("plan", metavar="PLAN", help="the plan file or name to merge into")
    merge.add_argument("copy", metavar="COPY", help="the other copy: a file or plan name")
    merge.add_argument(
        "--dry-run", action="store_true", help="print what would change; change nothing"
    )


def _add_completion(commands) -> None:
    completion = commands.add_parser(
        "completion",
        help="a shell completion script: bash, zsh or fish",
        description="Print a completion script for the shell, covering every command, its "
        'options and your plan names. Bash: `eval "$(planner completion bash)"` in '
        "~/.bashrc; zsh and fish: README, Shell completion.",
    )
    completion.add_argument("shell", metavar="SHELL", help="bash, zsh or fish")


def _add_open(commands) -> None:
    opener = commands.add_parser("open", help="the plan screen for a plan file")
    opener.add_argument("path", metavar="PATH", help="a plan file")


def _add_demo(commands) -> None:
    commands.add_parser("demo", help="a lived-in example plan, in a temporary folder")


# In the order `planner --help` lists them.
SUBPARSERS = {
    "new": _add_new,
    "show": _add_show,
    "tick": _add_tick,
    "pain": _add_pain,
    "gate": _add_gate,
    "decide": _add_decide,
    "replan": _add_replan,
    "edit": _add_edit,
    "add": _add_add,
    "skip": _add_skip,
    "note": _add_note,
    "stats": _add_stats,
    "export": _add_export,
    "import": _add_import,
    "list": _add_list,
    "status": _add_status,
    "merge": _add_merge,
    "completion": _add_completion,
    "open": _add_open,
    "demo": _add_demo,
}


def _named_command(argv: list[str]) -> str | None:
    """The command `argv` names, when the only options before it are --today's.

    None when there is none, it's unknown, or help is asked for: then the whole parser
    is built, to list every command or to say which ones there are.
    """
    if "-h" in argv or "--help" in argv:
        return None
    index = 0
    while index < len(argv):
        word = argv[index]
        if word == "--today":
            index += 2
        elif word.startswith("--today="):
            index += 1
        else:
            return word if word in SUBPARSERS else None
    return None


def _parser(only: str | None = None) -> _Parser:
    """The command line's parser: every command, or just `only` (the same parser for it).

    Building all thirteen sub-parsers is most of the parsing time, and `planner open`
    runs while the runner waits for the first frame.
    """
    parser = _Parser(
        prog="planner",
        description="A day-by-day recovery and taper plan for a calf cramp or strain "
        "before a race. Self-care guidance, not medical advice. With no command: the "
        "plan screen for the last plan, or the new-plan form.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _today_option(parser, None)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, add in SUBPARSERS.items():
        if only is None or name == only:
            add(commands)
    for sub in commands.choices.values():
        _today_option(sub, argparse.SUPPRESS)
    return parser
