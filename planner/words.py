"""Small helpers for the words every front end prints: a count with its noun.

Plain Python (no Textual, no Rich, no clock), so the core, the command line and the TUI
can all say "1 day" and "2 days" the same way.
"""

from __future__ import annotations


def plural(count: int, noun: str, many: str | None = None) -> str:
    """`count` and its noun, singular for exactly one: plural(1, "day") is "1 day",
    plural(2, "day") and plural(0, "day") are "2 days" and "0 days".

    `many` is the plural form when adding "s" is wrong: plural(3, "entry", "entries").
    Only exactly 1 (or -1) is singular: English says "0 days".
    """
    return f"{count} {noun_for(count, noun, many)}"


def noun_for(count: int, noun: str, many: str | None = None) -> str:
    """The noun alone, in the form `count` takes: noun_for(3, "run") is "runs"."""
    if abs(count) == 1:
        return noun
    return many if many is not None else noun + "s"
