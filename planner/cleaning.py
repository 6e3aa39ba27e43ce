"""Text made safe to show: control characters removed, one-line fields made one line.

Every text from a plan file or a runner passes through here before it can reach a
terminal (the model cleans its records as they are built; the status line cleans what it
reads). Kept apart from the model so the status line, which must start fast, needs
neither msgspec nor the records. The patterns compile at their first use: nearly all text
is printable (checked in C), and compiling these character classes cost a tenth of the
model's import.
"""

from __future__ import annotations

import re
from functools import cache

# C0 controls but tab and newline, DEL, C1 controls, and the bidi embeddings, overrides
# and isolates: any of these can move the cursor, restyle the terminal or reorder text.
CONTROL = "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
# Everything that can end a line: tab too, since a tab can push text to look indented like
# a task line. \r, \v, \f and NEL are controls that clean_text drops; in a one-line field
# they count as breaks, so "a\r\nb" reads "a b", not "ab".
BREAKS = "\t\n\r\v\f\x85\u2028\u2029"
CONTROL_BUT_BREAKS = "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069]"
# A break with the spaces and breaks around it: one gap between two words.
BREAK_RUN = f"[ {BREAKS}]*[{BREAKS}][ {BREAKS}]*"
_TO_SPACE = str.maketrans(dict.fromkeys(BREAKS, " "))


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def clean_text(text: str) -> str:
    """Return `text` without control characters (tab and newline are kept).

    For notes, the one kind of text that may run over several lines; a field shown on one
    line (a title, a dose, a name) goes through `clean_line` instead.
    """
    if text.isprintable():  # the common case, checked in C: nothing to strip
        return text
    return _compiled(CONTROL).sub("", text)


def _gap(match: re.Match[str]) -> str:
    # A break at either end separates nothing: drop it rather than leave a stray space.
    return "" if match.start() == 0 or match.end() == len(match.string) else " "


def clean_line(text: str) -> str:
    """Return `text` as one line: control characters removed as `clean_text` does, and each
    line break or tab, with the spaces around it, made one space (dropped at either end).

    For every field shown on one line (titles, doses, whys, names, ids): a newline there
    could print as a line of its own that looks like another task. Idempotent.
    """
    if text.isprintable():  # the common case, checked in C: no control, no break
        return text
    return _compiled(BREAK_RUN).sub(_gap, _compiled(CONTROL_BUT_BREAKS).sub("", text))


def shown_path(path: object) -> str:
    """`str(path)` fit to show: control characters removed as `clean_text` does, and each
    line break or tab made a space.

    For every file name or path put on a screen or in a message: a file name can hold an
    escape sequence, and only what is shown is cleaned, never the path used to open the
    file. Spaces are kept as they are, since they are part of the name.
    """
    text = str(path)
    if text.isprintable():
        return text
    return _compiled(CONTROL_BUT_BREAKS).sub("", text).translate(_TO_SPACE)


def clean_value(value: object) -> object:
    """Clean every string inside a TOML-like value (str, list, dict), keys included."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_value(v) for v in value]
    if isinstance(value, dict):
        if not value:
            return value
        return {clean_text(k): clean_value(v) for k, v in value.items()}
    return value
