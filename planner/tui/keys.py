"""Every key of the plan screen, once: its bindings, the footer, `?` help and the palette
are all built from this table, so a key can't be in one and missing from another.

Each row says where the key is bound (the screen, or the pane that has focus: the
footer shows a pane's keys only while it has focus), what it does in a word or two (the
footer) and in a sentence (help and the palette), and whether the footer shows it. The
footer still hides a key its screen says doesn't matter now (`check_action`): the run
gate's `g` off a gate day, `D` before the day before the race, `c` and `d` on a task that
isn't the runner's own, `s` unless a save failed.
"""

from __future__ import annotations

from typing import NamedTuple

from textual.binding import Binding

from planner.model import PROTOCOL


class Key(NamedTuple):
    """One key (or a few keys for one action) of the plan screen."""

    where: str  # "screen", "checklist" or "calendar": whose BINDINGS hold it
    keys: str  # Textual key names, comma-separated
    action: str
    short: str  # the footer's word
    about: str  # help and the palette
    shown: str  # how help writes the keys
    footer: bool = False  # in the footer (when check_action allows)
    palette: str | None = None  # its command palette title (None: not in the palette)


KEYS: tuple[Key, ...] = (
    # The checklist's own keys (it has focus at the start).
    Key("checklist", "space", "select", "Tick",
        "tick or untick the highlighted task (or click its box)", "space / enter", True,
        "Tick the highlighted task"),
    Key("checklist", "x", "screen.skip_task", "Skip", "skip the highlighted task with a reason",
        "x", True, "Skip the highlighted task"),
    Key("checklist", "i", "screen.howto", "How", "how to do the highlighted exercise",
        "i", False, "How to do the highlighted task"),
    Key("checklist", "c", "screen.edit_task", "Change", "change a task of your own",
        "c", True, "Change the highlighted task"),
    Key("checklist", "d", "screen.delete_task", "Delete", "delete a task of your own",
        "d", False, "Delete the highlighted task"),
    Key("checklist", "N", "screen.task_note", "Note",
        "write a note on the highlighted task (shown under it)", "N", False,
        "Note on the highlighted task"),
    # The calendar's own keys.
    Key("calendar", "left_square_bracket", "screen.month(-1)", "Month", "previous month",
        "[", True, "Previous month"),
    Key("calendar", "right_square_bracket", "screen.month(1)", "Month", "next month",
        "]", True, "Next month"),
    # The screen's, whichever pane has focus.
    Key("screen", "tab", "app.focus_next", "Pane", "switch between calendar and checklist",
        "tab", False, "Switch pane"),
    Key("screen", "p", "pain", "Pain",
        "log pain for the selected day (the plan adapts; you see it first)", "p", True,
        "Log pain"),
    Key("screen", "g", "gate", "Run gate", "record a run-gate test (or tick the gate task)",
        "g", True, "Record a run-gate test"),
    Key("screen", "D", "decision", "Race call", "the race-day call and why", "D", True,
        "Race-day call"),
    Key("screen", "u", "undo", "Undo", "undo the last tick or pain entry", "u", True, "Undo"),
    Key("screen", "s", "retry_save", "Retry save", "retry a save that failed", "s", True,
        "Retry save"),
    Key("screen", "R", "replan_protocol", f"Re-plan by protocol {PROTOCOL}",
        "re-plan the coming days of a plan laid out by an older protocol", "R", True,
        f"Re-plan by protocol {PROTOCOL}"),
    Key("screen", "w", "week_view", "Week", "the week at a glance, or the month again", "w",
        False, "Week or month view"),
    Key("screen", "t", "today", "Today", "jump to today", "t", False, "Jump to today"),
    Key("screen", "r", "race_day", "Race day", "jump to race day", "r", False,
        "Jump to race day"),
    Key("screen", "a", "add_task", "Add", "add a task of your own to the selected day", "a",
        False, "Add a task"),
    Key("screen", "P", "progress", "Progress", "progress: adherence, streaks, the pain trend",
        "P", False, "Progress"),
    Key("screen", "e", "export", "Export",
        "export the plan as a calendar (.ics) or a checklist (.md)", "e", False, "Export"),
    Key("screen", "E", "edit_plan", "Change plan",
        "change the race date, grade, muscle, side, distance, finish time or name (you see "
        "what changes first)", "E", False, "Change the plan's race, grade…"),
    Key("screen", "M", "merge_copies", "Merge copy",
        "merge a conflict copy a sync tool left beside the plan (offered when one appears)",
        "M", False, "Merge a conflict copy"),
    Key("screen", "n", "app.new_plan", "New", "new plan", "n", False, "New plan"),
    Key("screen", "o", "app.open_plan", "Open", "switch plan: open another, archive a finished one",
        "o", False, "Switch plan"),
    Key("screen", "question_mark", "help", "Help", "every key, in one place", "?", True,
        "Help: keys"),
)  # fmt: skip

# Keys that move rather than act: in help, not in the palette or the footer.
MOVES: tuple[tuple[str, str], ...] = (
    ("←/→  h/l", "previous / next day"),
    ("↑/↓  k/j", "previous / next week (calendar; day in the week view) or task (checklist)"),
    ("1-9", "tick or untick task 1-9 of the day"),
    ("ctrl+p", "command palette: every action, with its key, and the theme"),
    ("q", "quit (every change is already saved)"),
)


# Shown in the footer only when they matter (the screen's check_action says when), yet
# working every day: a second, hidden binding of the same key runs the action with an
# argument that check_action always lets through.
IN_CONTEXT = {"gate", "decision", "edit_task", "delete_task"}


def bindings(where: str) -> list[Binding]:
    """The bindings of `where` ("screen", "checklist", "calendar"), from the table.

    A pane's keys that act on the screen work from the other pane too: the screen binds
    them as well, out of the footer (which shows them while their pane has focus).
    """
    found = []
    for key in KEYS:
        if key.where == where:
            action, show, display = key.action, key.footer, key.shown.split(" ")[0]
        elif where == "screen" and key.action.startswith("screen."):
            action, show, display = key.action.removeprefix("screen."), False, None
        else:
            continue
        found.append(Binding(key.keys, action, key.short, show=show, key_display=display))
        if in_context(action):
            found.append(Binding(key.keys, always(action), key.short, show=False))
    return found


def in_context(action: str) -> bool:
    """Whether the footer shows `action` only where it matters (see IN_CONTEXT)."""
    return action.rpartition(".")[2] in IN_CONTEXT


def always(action: str) -> str:
    """`action` as its hidden binding and the palette run it: allowed in every context
    (check_action lets a contextual action with an argument through)."""
    return f"{action}(True)" if in_context(action) else action


def help_rows() -> list[tuple[str, str]]:
    """(keys, what they do), for the help screen: moves first, then every action."""
    return [*MOVES[:3], *((key.shown, key.about) for key in KEYS), *MOVES[3:]]


def palette_entries() -> list[tuple[str, str, Key]]:
    """(title, help text naming the key, the key) for every action in the palette; a
    command runs `always(key.action)`."""
    return [
        (key.palette, f"{key.about[0].upper()}{key.about[1:]} · key {key.shown.split(' ')[0]}", key)
        for key in KEYS
        if key.palette is not None
    ]
