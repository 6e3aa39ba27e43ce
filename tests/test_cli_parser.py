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

from planner.cli import SUBPARSERS, UsageError, _named_command, _parser, plain_tui_words

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


TUI_WORDS = ["open", "demo", "show", "--today", "--today=", "--today=tomorrow", "tomorrow"]
TUI_WORDS += ["plan.toml", "-h", "--help", "--", "-x", "", "open=1", "--version"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(TUI_WORDS), max_size=5))
def test_the_plain_plan_screen_forms_are_read_as_the_parser_reads_them(argv):
    """`planner`, `planner open PATH` and `planner demo` (with --today D before them) are
    read without argparse; whatever that reading accepts, the parser gives the same."""
    plain = plain_tui_words(argv)
    if plain is not None:
        assert outcome(_parser(), argv) == ("ok", vars(plain))


def test_the_plain_forms_skip_the_parser_and_the_rest_do_not():
    assert vars(plain_tui_words([])) == {"today": None, "command": None}
    assert vars(plain_tui_words(["--today", "tomorrow", "open", "p.toml"])) == {
        "today": "tomorrow",
        "command": "open",
        "path": "p.toml",
    }
    assert vars(plain_tui_words(["--today=2026-11-24", "demo"])) == {
        "today": "2026-11-24",
        "command": "demo",
    }
    for argv in (["open"], ["open", "-h"], ["open", "a", "b"], ["demo", "x"], ["--tod", "x"]):
        assert plain_tui_words(argv) is None, argv
    assert plain_tui_words(["open", "--", "-odd.toml"]) is None  # the parser's to read
