"""Every key of the plan screen, in one place (from planner.tui.keys)."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from planner.tui.dialogs.base import Dialog
from planner.tui.keys import help_rows

# Built from the same table as the bindings, the footer and the palette.
KEYS = help_rows()


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
