"""Write the runner's note on one task: a line of their own words, kept with the task."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Input, Static

from planner.model import Task
from planner.ops import MAX_NOTE
from planner.tui.dialogs.base import Dialog


class TaskNoteDialog(Dialog[str | None]):
    """Returns the note as typed ("" clears it), or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
    ]

    def __init__(self, task: Task, day_label: str) -> None:
        super().__init__()
        self.noted = task
        self.day_label = day_label

    def compose_body(self) -> ComposeResult:
        heading = Text("Note: ", style="bold")
        heading.append(self.noted.title)  # Text, not markup: the title may be the runner's
        heading.append(f"  ·  {self.day_label}", style="dim")
        yield Static(heading)
        yield Static(
            "Your own words on this task, shown under it. Leave it empty to clear it.",
            classes="hint",
        )
        yield Input(
            value=self.noted.note or "",
            placeholder="e.g. tight at rep 10, eased after",
            max_length=MAX_NOTE,
            id="note",
        )

    def buttons(self) -> list[Button]:
        return [Button("Save", variant="primary", id="save"), Button("Cancel", id="cancel")]

    def on_mount(self) -> None:
        self.query_one("#note", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        """Keep the note as typed."""
        self.dismiss(self.query_one("#note", Input).value)
