"""Repeating tasks of the runner's own: "foam roll every day", "hill walk every 2 days",
"yoga on mon,wed,fri". Pure: no I/O, no clock.

A repeat is read from the words the runner types (`parse_every`) and gives the dates it
falls on between two days (`occurrences`). Each date becomes a task of its own (ticked,
skipped or deleted alone) carrying the series id they share (`new_series_id`), so deleting
"this one and the later ones" can find the rest.
"""

from __future__ import annotations

from datetime import date, timedelta

import msgspec

MAX_EVERY = 28  # "every 28d": four weeks between days; more is hardly a repeat
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
EVERY_FORMS = f"use day, 2d to {MAX_EVERY}d (every N days) or days of the week like mon,wed,fri"


class RepeatError(ValueError):
    """Words that are not a repeat; the message says what is allowed."""


class Repeat(msgspec.Struct, frozen=True):
    """Every `every` days, or, when `weekdays` is given, on those days of each week
    (Monday 0 to Sunday 6, in order, no day twice)."""

    every: int = 1
    weekdays: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if self.weekdays:
            if sorted(set(self.weekdays)) != list(self.weekdays) or not all(
                0 <= d <= 6 for d in self.weekdays
            ):
                raise RepeatError(f"weekdays {self.weekdays} are not days 0-6 in order")
        elif not 1 <= self.every <= MAX_EVERY:
            raise RepeatError(f"every {self.every} days is not 1-{MAX_EVERY}")

    def words(self) -> str:
        """The repeat as a runner says it: 'every day', 'every 2 days', 'Mon, Wed, Fri'."""
        if self.weekdays:
            if len(self.weekdays) == 7:
                return "every day"
            return ", ".join(WEEKDAYS[d].capitalize() for d in self.weekdays)
        return "every day" if self.every == 1 else f"every {self.every} days"


def parse_every(text: str) -> Repeat:
    """Read `--every`: 'day' (or 'daily', '1d'), 'Nd' for every N days (2-28), or a comma
    list of days of the week ('mon,wed,fri'; full names and any case work). RepeatError
    with the allowed forms otherwise."""
    words = text.strip().lower()
    if words in ("day", "daily", "everyday"):
        return Repeat(1)
    count = words.removesuffix("days").removesuffix("day").removesuffix("d").strip()
    if count != words and count.isdigit() and count.isascii():
        if 1 <= int(count) <= MAX_EVERY:
            return Repeat(int(count))
        raise RepeatError(f"'{text.strip()}' is not a repeat; {EVERY_FORMS}")
    days: set[int] = set()
    for part in words.replace(" ", "").split(","):
        if part in WEEKDAYS:
            days.add(WEEKDAYS.index(part))
        elif part in _FULL:
            days.add(_FULL.index(part))
        else:
            raise RepeatError(f"'{text.strip()}' is not a repeat; {EVERY_FORMS}")
    return Repeat(weekdays=tuple(sorted(days)))


def occurrences(repeat: Repeat, start: date, until: date) -> list[date]:
    """The dates from `start` to `until` (both included) the repeat falls on: every
    `every` days counted from `start`, or each chosen day of the week."""
    if until < start:
        return []
    span = (until - start).days
    if repeat.weekdays:
        wanted = set(repeat.weekdays)
        return [
            start + timedelta(days=n)
            for n in range(span + 1)
            if (start.weekday() + n) % 7 in wanted
        ]
    return [start + timedelta(days=n) for n in range(0, span + 1, repeat.every)]


def new_series_id() -> str:
    """A fresh series id: 'rep-' and six random hex digits (random, as a task's own id is,
    so two programs adding at once never share one)."""
    import secrets  # adding a task is rare; the first frame doesn't need this

    return f"rep-{secrets.token_hex(3)}"
