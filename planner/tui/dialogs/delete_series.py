"""Deleting a day of a repeating task: this one, or this one and the later ones."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Static

from planner.tui.dialogs.base import Dialog
from planner.words import plural

THIS_ONE, AND_LATER = "one", "later"


class DeleteSeriesDialog(Dialog[str | None]):
    """Returns THIS_ONE, AND_LATER, or None (escape, Cancel): nothing deleted."""

    DIALOG_ID = "delete-series"

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("1", "choose('one')", "This one"),
        Binding("2", "choose('later')", "And the later ones"),
    ]

    def __init__(self, title: str, day_label: str, later: int) -> None:
        super().__init__()
        self.task_title = title
        self.day_label = day_label
        self.later = later  # the later days' tasks of the series, not done or skipped

    def compose_body(self) -> ComposeResult:
        yield Static(Text(f"Delete '{self.task_title}', {self.day_label}?", style="bold"))
        yield Static(
            Text(
                f"It repeats: {plural(self.later, 'later day has', 'later days have')} it, "
                "not done or skipped. Days done or skipped keep theirs. u undoes either."
            ),
            classes="hint",
        )

    def buttons(self) -> list[Button]:
        return [
            Button("This one", variant="primary", id="one"),
            Button(f"And the later ones ({self.later})", variant="error", id="later"),
            Button("Cancel", id="cancel"),
        ]

    def on_mount(self) -> None:
        # The least a key pressed out of habit can take: this day's task alone.
        self.query_one("#one", Button).focus()

    @on(Button.Pressed, "#one")
    def _one(self) -> None:
        self.dismiss(THIS_ONE)

    @on(Button.Pressed, "#later")
    def _later(self) -> None:
        self.dismiss(AND_LATER)

    def action_choose(self, choice: str) -> None:
        """Dismiss with `choice` (a key's shortcut for a button)."""
        self.dismiss(choice)
