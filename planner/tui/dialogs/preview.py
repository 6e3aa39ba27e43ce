"""Show what a re-plan would change; the runner accepts the entry with it, or cancels both."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Static

from planner.tui.dialogs.base import Dialog


class ChangePreview(Dialog[bool]):
    """A list of changed days; True records the entry and the re-plan, False neither."""

    DIALOG_CLASSES = "dialog wide"
    DIALOG_ID = "preview"

    BINDINGS = [
        Binding("enter,y", "choose(True)", "Accept"),
        Binding("escape", "cancel", "Cancel"),
        Binding("n", "cancel", "Cancel", show=False),
    ]

    cancel_value = False

    def __init__(
        self,
        title: str,
        lines: list[str],
        *,
        hint: str = "Recording this changes the plan ahead like this (cancel records nothing):",
        accept: str = "Record it",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.lines = lines
        self.hint = hint
        self.accept = accept

    def compose_body(self) -> ComposeResult:
        yield Static(Text(self.title_text, style="bold"))
        yield Static(Text(self.hint), classes="hint")
        yield Static(Text("\n".join(self.lines)), id="preview-lines")

    def buttons(self) -> list[Button]:
        return [Button(self.accept, variant="primary", id="accept"), Button("Cancel", id="cancel")]

    def on_mount(self) -> None:
        self.query_one("#accept", Button).focus()

    @on(Button.Pressed, "#accept")
    def _accepted(self) -> None:
        self.dismiss(True)

    def action_choose(self, accept: bool) -> None:
        """Dismiss with `accept` (a key's shortcut for a button)."""
        self.dismiss(accept)
