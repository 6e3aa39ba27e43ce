"""Leaving a form that holds typing: discard it, or keep editing (the default)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Static

from planner.tui.dialogs.base import Dialog


class DiscardDialog(Dialog[bool]):
    """Returns True to discard what was typed, False (escape, or Keep editing) to stay."""

    DIALOG_ID = "discard-dialog"

    BINDINGS = [Binding("escape", "cancel", "Keep editing")]

    cancel_value = False

    def __init__(self, leaving: str = "Leaving") -> None:
        super().__init__()
        self.leaving = leaving  # "Quitting", "Leaving": what the key was about to do

    def compose_body(self) -> ComposeResult:
        yield Static(Text("Discard what you typed?", style="bold"))
        yield Static(Text(f"{self.leaving} now drops the answers on this form."), classes="hint")

    def buttons(self) -> list[Button]:
        return [
            Button("Keep editing", variant="primary", id="cancel"),
            Button("Discard", variant="error", id="discard"),
        ]

    def on_mount(self) -> None:
        # Keep editing has the focus: an enter pressed out of habit loses nothing.
        self.query_one("#cancel", Button).focus()

    @on(Button.Pressed, "#discard")
    def _discard(self) -> None:
        self.dismiss(True)
