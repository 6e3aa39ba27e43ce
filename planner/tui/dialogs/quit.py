"""Quitting while changes are not saved: try again, quit anyway (saying what is lost), cancel."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from planner.tui import PANELS_CSS

RETRY, QUIT, CANCEL = "retry", "quit", "cancel"
MOST_SHOWN = 8  # a long list of lost changes is cut, with a count of the rest


class QuitDialog(ModalScreen[str]):
    """Returns 'retry', 'quit' or 'cancel'. Escape cancels: nothing is lost by accident."""

    CSS_PATH = PANELS_CSS

    BINDINGS = [
        Binding("escape", "choose('cancel')", "Cancel"),
        Binding("r", "choose('retry')", "Try again"),
    ]

    def __init__(self, problem: str | None, lost: list[str]) -> None:
        super().__init__()
        self.problem = problem
        self.lost = lost

    def compose(self) -> ComposeResult:
        count = len(self.lost)
        with Vertical(classes="dialog wide", id="quit-dialog"):
            yield Static(Text("Some changes are not saved", style="bold"))
            if self.problem:
                yield Static(Text(self.problem), classes="hint")
            what = "this change" if count == 1 else f"these {count} changes"
            yield Static(Text(f"Quitting now loses {what}:"))
            lines = [f"• {line}" for line in self.lost[:MOST_SHOWN]]
            if count > MOST_SHOWN:
                lines.append(f"… and {count - MOST_SHOWN} more")
            with VerticalScroll(id="quit-lost"):
                yield Static(Text("\n".join(lines)))
            with Horizontal(classes="buttons"):
                yield Button("Try saving again", variant="primary", id=RETRY)
                yield Button("Quit anyway", variant="error", id=QUIT)
                yield Button("Cancel", id=CANCEL)

    def on_mount(self) -> None:
        self.query_one(f"#{RETRY}", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or CANCEL)

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)
