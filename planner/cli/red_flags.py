"""The red-flag questions of `planner new`, asked in a terminal as the TUI form asks them.

In a terminal (stdin and stdout both): each question yes or no; any yes shows its advice,
emergencies first, and the plan is made only when the runner confirms that a clinician has
ruled it out. Without one (a script, a pipe): the questions are printed, the plan is made,
and it records that they were not answered, so the red-flag check tasks and the race-day
call ask again.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date

from planner.advice import red_flag_advice
from planner.cli.common import DataError, out
from planner.model import Safety
from planner.rules import RedFlag, load_rules

YES, NO = ("y", "yes"), ("n", "no")


def flags_for(kind: str) -> list[RedFlag]:
    """The questions for an injury class, emergencies first."""
    flags = [f for f in load_rules().red_flags if f.asked_for(kind)]
    return sorted(flags, key=lambda f: not f.emergency)


def interactive() -> bool:
    """Whether a person can answer: stdin and stdout are both a terminal."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def _answer(question: str, read: Callable[[str], str]) -> bool:
    """Ask until the answer is yes or no; end of input (Ctrl+D) makes no plan."""
    while True:
        try:
            reply = read(f"{question} [y/n] ").strip().lower()
        except EOFError:
            raise DataError("No plan made: the safety questions were not answered.") from None
        if reply in YES:
            return True
        if reply in NO:
            return False
        out("Please answer y (yes) or n (no).")


def ask(kind: str, today: date, read: Callable[[str], str] = input) -> Safety:
    """Ask the red-flag questions; the Safety record, or DataError when a yes stands."""
    flags = flags_for(kind)
    out("Before the plan: a quick safety check about the sore calf.")
    yes = [flag for flag in flags if _answer(flag.question, read)]
    if not yes:
        return Safety(checked=today)
    out()
    for flag in yes:
        out(red_flag_advice(flag))
    out()
    if not _answer("Has a clinician examined your calf and ruled these out?", read):
        raise DataError("No plan made: see a clinician first (the advice above).")
    return Safety(checked=today, flags=[f.id for f in yes], clinician_cleared=True)


def shown(kind: str, today: date) -> Safety:
    """Print the questions (nobody at a terminal to answer them) and record just that."""
    out("Red flags (not asked: no terminal). Stop and see a clinician if any applies:")
    for flag in flags_for(kind):
        lead = "EMERGENCY - " if flag.emergency else ""
        out(f"  - {lead}{flag.question}")
    out()
    return Safety(checked=today, answered=False)
