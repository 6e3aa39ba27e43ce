"""`python -m planner` and the `planner` command: the command line.

The cycle collector is paused before anything else loads (`planner.startup` says why).
`cli.main` resumes it as a command starts; the terminal UI keeps it paused until its first
frame is on screen (`PlannerApp.first_frame_shown`).

`planner status` runs before every shell prompt, so it takes a short way: when its
arguments are plain (PLAN, --format, --json, --today or PLANNER_TODAY as an ISO date), it
runs `planner.status` from here, without the command line's parser and what that imports
(argparse, the model, the store, msgspec, dateutil). Anything else (--help, a date in
words, an option it doesn't know, an error to explain) goes the usual way, which ends in
the same `planner.status.run` and prints the same.
"""

import os
import sys

from planner.startup import pause_collector

pause_collector()


def _status_words(words: list[str]) -> dict | None:
    """The arguments of a plain `planner [--today D] status [PLAN] [--format T] [--json]
    [--today D]`, or None for anything else (the full parser then reads them)."""
    found: dict = {"--today": None, "--format": None, "--json": False, "plan": None}
    seen: set[tuple[str, bool]] = set()
    command = False
    index = 0
    while index < len(words):
        word = words[index]
        name, equals, value = word.partition("=")
        if name == "--today" or (command and name == "--format"):
            if not equals:
                if index + 1 == len(words):
                    return None
                index += 1
                value = words[index]
            if value.startswith("-") or (name, command) in seen:
                return None  # as argparse would read it, or not: let it say
            seen.add((name, command))
            found[name] = value  # the command's own --today comes last and wins, as in argparse
        elif command and word == "--json" and not found["--json"]:
            found["--json"] = True
        elif not command and word == "status":
            command = True
        elif command and word and not word.startswith("-") and found["plan"] is None:
            found["plan"] = word
        else:
            return None
        index += 1
    return found if command else None


def _fast_status(words: list[str]) -> int | None:
    """Run a plain `planner status` here and return its exit code; None when the full
    command line has to (see the module)."""
    found = _status_words(words)
    if found is None:
        return None
    from datetime import date

    text = found["--today"]
    if text is None and os.environ.get("PLANNER_TODAY"):
        text = os.environ["PLANNER_TODAY"]
    if text is None:
        today = date.today()
    else:
        import re  # loaded by the interpreter's start already

        # ISO only: dates in words are read by planner.dates (dateutil), the long way.
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            return None
        try:
            today = date.fromisoformat(text)
        except ValueError:
            return None  # e.g. 2026-02-30: the parser says what is wrong
    from pathlib import Path

    from planner.status import APP_NAME, run

    home_text = os.environ.get("PLANNER_HOME")
    if home_text:
        home = Path(home_text).expanduser()
    else:
        import platformdirs  # only needed when no home is given

        home = platformdirs.user_data_path(APP_NAME, appauthor=False)
    outcome = run(found["plan"], home, today, found["--format"], found["--json"])
    return print_outcome(outcome)


def print_outcome(outcome) -> int:
    """Print a `planner.status.Outcome` (its error after 'planner: ') and return its code;
    a reader gone away (`| head`) ends it quietly, as `planner.cli.main` does."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    try:
        if outcome.out is not None:
            print(outcome.out)
        if outcome.err is not None:
            print(f"planner: {outcome.err}", file=sys.stderr)
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    return outcome.code


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    words = sys.argv[1:] if argv is None else argv
    if "status" in words:
        code = _fast_status(words)
        if code is not None:
            return code
    from planner.cli import main as cli_main  # imported with the collector paused, see above

    return cli_main(words)


if __name__ == "__main__":
    sys.exit(main())
