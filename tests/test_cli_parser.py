"""The command line builds only the sub-parser it needs: it must parse exactly as the whole one.

`planner open PATH` runs while the runner waits for the first frame, so `main()` builds the
named command's sub-parser alone. These tests check, for any words at all, that the narrow
parser gives the same arguments, or the same error, as the parser with every command.
"""

from __future__ import annotations

import contextlib
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.cli import SUBPARSERS, UsageError, _named_command, _parser

WORDS = [
    *SUBPARSERS,
    "nope",
    "--today",
    "--today=2026-11-24",
    "2026-11-24",
    "--date",
    "tomorrow",
    "--version",
    "--undo",
    "--why",
    "--note",
    "tight",
    "--at-rest",
    "--raises",
    "--hops",
    "--walk",
    "12",
    "--format",
    "ics",
    "-o",
    "out.ics",
    "--injury",
    "--race",
    "--grade",
    "2",
    "plan.toml",
    "--reason",
    "travel",
    "-x",
    "",
]


def outcome(parser, argv):
    """What parsing gives: ('ok', the arguments), ('usage', message) or ('exit', code)."""
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            return ("ok", vars(parser.parse_args(argv)))
    except UsageError as error:
        return ("usage", str(error))
    except SystemExit as stop:  # --version prints and exits
        return ("exit", stop.code, out.getvalue())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=7))
def test_the_narrow_parser_parses_as_the_whole_one(argv):
    assert outcome(_parser(_named_command(argv)), argv) == outcome(_parser(), argv)


def test_only_a_known_command_without_help_gets_the_narrow_parser():
    assert _named_command(["open", "x.toml"]) == "open"
    assert _named_command(["--today", "2026-11-24", "show"]) == "show"
    assert _named_command(["--today=2026-11-24", "tick", "1"]) == "tick"
    assert _named_command(["open", "--help"]) is None
    assert _named_command(["nope"]) is None
    assert _named_command(["--version"]) is None
    assert _named_command([]) is None
    narrow = _parser("open")
    assert outcome(narrow, ["open", "p.toml"]) == (
        "ok",
        {"today": None, "command": "open", "path": "p.toml"},
    )
