"""Every key of the plan screen, in one place."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from planner.tui.dialogs.base import Dialog

KEYS = [
    ("←/→  h/l", "previous / next day"),
    ("↑/↓  k/j", "previous / next week (calendar) or task (checklist)"),
    ("tab", "switch between calendar and checklist"),
    ("[ / ]", "previous / next month"),
    ("t", "jump to today"),
    ("r", "jump to race day"),
    ("space / enter / click", "tick or untick the highlighted task"),
    ("1-9", "tick or untick task 1-9 of the day"),
    ("p", "log pain for the selected day (the plan adapts; you see it first)"),
    ("g", "record a run-gate test (or tick the gate task)"),
    ("x", "skip the highlighted task with a reason"),
    ("a / c / d", "add / change / delete a task of your own"),
    ("D", "the race-day call and why (shown from the day before)"),
    ("P", "progress: adherence, streaks, the pain trend"),
    ("e", "export the plan as a calendar (.ics) or a checklist (.md)"),
    ("R", "re-plan the coming days of a plan laid out by an older protocol"),
    ("u", "undo the last tick or pain entry"),
    ("s", "retry a save that failed"),
    ("n", "new plan"),
    ("o", "switch plan: open another, archive a finished one"),
    ("ctrl+p", "command palette: every action, and the theme"),
    ("?", "this help"),
    ("q", "quit (every change is already saved)"),
]


class HelpScreen(Dialog[None]):
    """A table of keys; any of escape, q or ? closes it. It scrolls on a small terminal."""

    DIALOG_CLASSES = "dialog wide"
    DIALOG_ID = "help"

    BINDINGS = [
        Binding("escape", "cancel", "Close"),
        Binding("q,question_mark", "cancel", "Close", show=False),
    ]

    def compose_body(self) -> ComposeResult:
        table = Table(title="Keys", show_header=False, box=None, padding=(0, 2))
        table.add_column(style="bold")
        table.add_column()
        for key, what in KEYS:
            table.add_row(key, what)
        yield Static(table, id="help-keys")
        yield Static("Self-care guidance, not medical advice.", id="disclaimer", classes="hint")
