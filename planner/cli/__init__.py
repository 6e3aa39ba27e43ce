"""The `planner` command line: parse, call the core, print, exit 0 / 1 / 2.

Exit codes: 0 success; 2 bad input (one line on stderr naming the field and what is
allowed, nothing on disk changed); 1 a data problem (a corrupt or unwritable plan file,
reported as `path:line:col: problem`). No traceback for anything a user can type or edit.
The parser lives in `planner.cli.parser`, loaded for everything but the plain forms of
the plan screen (see `plain_tui_words`).
"""

from __future__ import annotations

import importlib
import os
import sys
from datetime import UTC, date, datetime, time
from pathlib import Path
from types import SimpleNamespace

from planner.cli.common import Context, DataError, UsageError
from planner.dates import DateError, parse_date
from planner.model import clean_line
from planner.paths import APP_NAME, lock_folder_for
from planner.startup import resume_collector
from planner.store import PlanError, SaveError, set_lock_folder

# Each command's module is imported only when it runs: `planner open` shouldn't pay for
# what `planner export` needs, and the TUI's first frame is the thing a runner waits for.
COMMANDS = {
    "new": "plan_commands:cmd_new",
    "show": "plan_commands:cmd_show",
    "tick": "plan_commands:cmd_tick",
    "pain": "plan_commands:cmd_pain",
    "gate": "plan_commands:cmd_gate",
    "decide": "plan_commands:cmd_decide",
    "replan": "plan_commands:cmd_replan",
    "edit": "plan_commands:cmd_edit",
    "add": "plan_commands:cmd_add",
    "skip": "plan_commands:cmd_skip",
    "note": "plan_commands:cmd_note",
    "list": "plan_commands:cmd_list",
    "import": "import_command:cmd_import",
    "status": "status_command:cmd_status",
    "merge": "merge_command:cmd_merge",
    "completion": "completion_command:cmd_completion",
    "stats": "report_commands:cmd_stats",
    "export": "report_commands:cmd_export",
    "open": "tui_commands:cmd_open",
    "demo": "tui_commands:cmd_demo",
    None: "tui_commands:cmd_tui",
}
TUI_COMMANDS = {None, "open", "demo"}


def _command(name: str | None):
    module, function = COMMANDS[name].split(":")
    return getattr(importlib.import_module(f"planner.cli.{module}"), function)


def plain_tui_words(words: list[str]) -> SimpleNamespace | None:
    """The arguments of a plain `planner [--today D] [open PATH | demo]`, as the parser
    would give them, or None for anything else (the parser then reads them, and says what
    is wrong if anything is).

    The plan screen is what a runner waits for, and these are the forms that start it;
    tests hold this reading equal to the parser's for every form it accepts.
    """
    today = None
    index = 0
    if words[:1] == ["--today"] and len(words) >= 2 and not words[1].startswith("-"):
        today, index = words[1], 2
    elif words[:1] and words[0].startswith("--today=") and len(words[0]) > len("--today="):
        today, index = words[0].removeprefix("--today="), 1
    rest = words[index:]
    if not rest:
        return SimpleNamespace(today=today, command=None)
    if rest == ["demo"]:
        return SimpleNamespace(today=today, command="demo")
    if len(rest) == 2 and rest[0] == "open" and rest[1] and not rest[1].startswith("-"):
        return SimpleNamespace(today=today, command="open", path=rest[1])
    return None


def __getattr__(name: str):
    """The parser's names (`_parser`, `SUBPARSERS`...) as they were before it moved to
    planner.cli.parser, loaded when first asked for."""
    if name in ("SUBPARSERS", "_Parser", "_named_command", "_parser"):
        from planner.cli import parser

        return getattr(parser, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _context(args) -> Context:
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
    # The store keeps lock files where this home's go (planner.paths.lock_folder_for),
    # never in the plans folder; asked at the first lock, so a command that never saves
    # never loads platformdirs for it.
    set_lock_folder(lambda: lock_folder_for(home))
    return Context(today=today, now=now, home=home, pinned=text is not None)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    words = sys.argv[1:] if argv is None else argv
    try:
        args = plain_tui_words(words)
        if args is None:
            from planner.cli.parser import _named_command, _parser

            args = _parser(_named_command(words)).parse_args(words)
        if args.command not in TUI_COMMANDS:
            resume_collector()  # paused by planner.__main__; the TUI resumes it later
        ctx = _context(args)
        code = _command(args.command)(args, ctx)
        sys.stdout.flush()  # a closed pipe shows up here, inside the handler below
        return code
    except UsageError as error:
        print(f"planner: {clean_line(str(error))}", file=sys.stderr)
        return 2
    except (DataError, PlanError, SaveError) as error:
        print(f"planner: {clean_line(str(error))}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (`planner show | head`): stop quietly, as cat does.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except OSError as error:  # e.g. PLANNER_HOME is a file, or a folder we may not create
        where = f"{error.filename}: " if error.filename else ""
        print(f"planner: {clean_line(where + (error.strerror or str(error)))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
