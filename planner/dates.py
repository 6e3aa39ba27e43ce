"""Dates as a runner types them, always read relative to a given `today`.

`parse_date("next sunday", today)` and friends never look at the clock: the caller says
what today is. python-dateutil reads the absolute forms ("2026-11-29", "29 Nov",
"Nov 29 2026"); the relative words are handled here.
"""

from __future__ import annotations

import contextlib
import re
from datetime import date, datetime, timedelta

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RELATIVE = {"today": 0, "yesterday": -1, "tomorrow": 1}
# Patterns as text, compiled by `re` on first use (and kept in its cache): compiling them
# all as the module loads cost every start, the plan screen's included.
_OFFSET = r"^(?:in\s+)?([+-]?\d{1,3})\s*(d|day|days|w|wk|week|weeks)(\s+ago)?$"
_ISO_DATE = r"\d{4}-\d{2}-\d{2}"
HINT = "try 2026-11-29, '29 Nov', 'Nov 29 2026', 'yesterday' or 'next sunday'"


class DateError(ValueError):
    """A date the runner typed that we cannot read; the message says what was wrong."""


def _weekday(word: str) -> int | None:
    """Monday=0 ... Sunday=6 for a full or abbreviated (3+ letters) English day name."""
    if len(word) < 3:
        return None
    return next((i for i, name in enumerate(_WEEKDAYS) if name.startswith(word)), None)


def parse_date(text: str, today: date) -> date:
    """Read a date the way a runner types it, relative to `today`.

    Accepts ISO dates, "29 Nov" (this year), "Nov 29 2026", "today", "yesterday",
    "tomorrow", weekday names ("sunday" and "next sunday" are the first one after today,
    "last sunday" the last one before), and offsets ("+3", "in 3 days", "2 weeks ago").
    Raises DateError with a short reason otherwise.
    """
    try:
        return _parse(text, today)
    except OverflowError:
        raise DateError(f"'{text.strip()}' is out of the calendar's range") from None


def _parse(text: str, today: date) -> date:
    words = " ".join(text.strip().lower().split())
    if not words:
        raise DateError(f"no date given; {HINT}")
    if words in _RELATIVE:
        return today + timedelta(days=_RELATIVE[words])
    parts = words.split(" ")
    if len(parts) <= 2:
        direction = parts[0] if len(parts) == 2 else "this"
        weekday = _weekday(parts[-1].rstrip("."))
        if weekday is not None and direction in ("next", "this", "coming", "last"):
            if direction == "last":  # the one before today
                return today - timedelta(days=(today.weekday() - weekday - 1) % 7 + 1)
            return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)
    if re.fullmatch(_ISO_DATE, words):  # the common case, without loading dateutil
        with contextlib.suppress(ValueError):  # e.g. 2026-02-30: dateutil says what's wrong
            return date.fromisoformat(words)
    match = re.match(_OFFSET, words) or re.match(r"^([+-]\d{1,3})()()$", words)
    if match:  # (an ISO date is never an offset: the order doesn't change what is read)
        count = int(match.group(1)) * (7 if match.group(2).startswith("w") else 1)
        return today + timedelta(days=-count if match.group(3) else count)
    from dateutil import parser as date_parser  # only for other absolute dates: it loads slowly

    try:
        parsed = date_parser.parse(words, default=datetime(today.year, today.month, today.day))
    except (ValueError, OverflowError) as error:
        reason = str(error).split(":")[0] if "must be in" in str(error) else "not a date"
        raise DateError(f"can't read '{text.strip()}' ({reason}); {HINT}") from None
    return parsed.date()


def describe_date(when: date, today: date) -> str:
    """A date as a runner reads it: 'Fri 20 Nov 2026, yesterday' or '... in 8 days'."""
    return f"{when:%a} {when.day} {when:%b %Y}, {relative_words(when, today)}"


def relative_words(when: date, today: date) -> str:
    """'today', 'yesterday', 'tomorrow', 'in 8 days' or '3 days ago'."""
    delta = (when - today).days
    if delta == 0:
        return "today"
    if delta == -1:
        return "yesterday"
    if delta == 1:
        return "tomorrow"
    return f"in {delta} days" if delta > 0 else f"{-delta} days ago"


def short_date(when: date) -> str:
    """'Sun 29 Nov'."""
    return f"{when:%a} {when.day} {when:%b}"


def long_date(when: date) -> str:
    """'Sun 29 Nov 2026'."""
    return f"{when:%a} {when.day} {when:%b %Y}"


def race_words(race: date, when: date) -> str:
    """'race in 8 days', 'race tomorrow', 'race day', 'race was 2 days ago'."""
    delta = (race - when).days
    if delta == 0:
        return "race day"
    if delta == 1:
        return "race tomorrow"
    if delta > 1:
        return f"race in {delta} days"
    return "race was yesterday" if delta == -1 else f"race was {-delta} days ago"


_FINISH = r"^(\d{1,2}):([0-5]\d)(?::([0-5]\d))?$"
_FINISH_WORDS = r"^(?:(\d{1,2})\s*h(?:ours?|rs?)?)?\s*(?:(\d{1,3})\s*(?:m(?:in(?:utes?|s)?)?)?)?$"
FINISH_HINT = "use H:MM (1:55), H:MM:SS or minutes (115)"


def parse_finish_time(text: str) -> int:
    """A race time as a runner types it, in whole minutes (seconds round up): "1:55",
    "1:55:30", "115", "1h55", "3h 30m". DateError when it can't be read or is zero."""
    value = text.strip().lower()
    minutes = None
    if value.isdigit() and len(value) <= 4:
        minutes = int(value)
    elif match := re.match(_FINISH, value):
        hours, mins, secs = match.groups()
        minutes = int(hours) * 60 + int(mins) + (1 if secs and int(secs) else 0)
    elif value and (match := re.match(_FINISH_WORDS, value)) and any(match.groups()):
        hours, mins = match.groups()
        minutes = int(hours or 0) * 60 + int(mins or 0)
    if not minutes:
        raise DateError(f"'{text.strip()}' is not a finish time; {FINISH_HINT}")
    return minutes


def finish_words(minutes: int) -> str:
    """A finish time as a runner says it: '1:55' for 115 minutes, '45 min' under an hour."""
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60}:{minutes % 60:02d}"
