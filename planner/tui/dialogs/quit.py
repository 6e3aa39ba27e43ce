"""Quitting while changes are not saved: try again, quit anyway (saying what is lost), cancel."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Static

from planner.tui.dialogs.base import Dialog

RETRY, QUIT, CANCEL = "retry", "quit", "cancel"
MOST_SHOWN = 8  # a long list of lost changes is cut, with a count of the rest


class QuitDialog(Dialog[str]):
    """Returns 'retry', 'quit' or 'cancel'. Escape cancels: nothing is lost by accident."""

    DIALOG_CLASSES = "dialog wide"
    DIALOG_ID = "quit-dialog"

    BINDINGS = [Binding("r", "choose('retry')", "Try again")]

    cancel_value = CANCEL

    def __init__(self, problem: str | None, lost: list[str]) -> None:
        super().__init__()
        self.problem = problem
        self.lost = lost

    def compose_body(self) -> ComposeResult:
        count = len(self.lost)
        yield Static(Text("Some changes are not saved", style="bold"))
        if self.problem:
            yield Static(Text(self.problem), classes="hint")
        what = "this change" if count == 1 else f"these {count} changes"
        yield Static(Text(f"Quitting now loses {what}:"))
        lines = [f"• {line}" for line in self.lost[:MOST_SHOWN]]
        if count > MOST_SHOWN:
            lines.append(f"… and {count - MOST_SHOWN} more")
        yield Static(Text("\n".join(lines)), id="quit-lost")

    def buttons(self) -> list[Button]:
        return [
            Button("Try saving again", variant="primary", id=RETRY),
            Button("Quit anyway", variant="error", id=QUIT),
            Button("Cancel", id=CANCEL),
        ]

    def on_mount(self) -> None:
        self.query_one(f"#{RETRY}", Button).focus()

    @on(Button.Pressed, f"#{RETRY}, #{QUIT}")
    def _chosen(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or CANCEL)

    def action_choose(self, choice: str) -> None:
        """Dismiss with `choice` (a key's shortcut for its button)."""
        self.dismiss(choice)
