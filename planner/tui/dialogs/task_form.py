"""Add or edit a task of the runner's own: title, dose, kind."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Input, Label, Select, Static

from planner.model import Category, Task, clean_text
from planner.ops import MAX_NOTE
from planner.tui.dialogs.base import Dialog

MAX_TITLE = 100


@dataclass(frozen=True)
class TaskEntry:
    """What the dialog returns."""

    title: str
    category: Category
    dose: str


class TaskDialog(Dialog[TaskEntry | None]):
    """A small form; with a task given it edits that task."""

    BINDINGS = [Binding("ctrl+s", "save", "Save")]

    def __init__(self, day_label: str, task: Task | None = None) -> None:
        super().__init__()
        self.day_label = day_label
        self.editing = task

    def compose_body(self) -> ComposeResult:
        heading = "Edit your task" if self.editing else "Add a task of your own"
        yield Static(Text(f"{heading}, {self.day_label}", style="bold"))
        yield Label("What")
        yield Input(
            value=self.editing.title if self.editing else "",
            placeholder="e.g. foam roll the glutes",
            max_length=MAX_TITLE,
            id="title",
        )
        yield Label("How much (optional)")
        yield Input(
            value=self.editing.dose if self.editing else "",
            placeholder="e.g. 2 min each side",
            max_length=MAX_NOTE,
            id="dose",
        )
        yield Label("Kind")
        yield Select(
            [(c.value, c) for c in Category],
            value=self.editing.category if self.editing else Category.CUSTOM,
            allow_blank=False,
            id="category",
        )
        yield Static("", id="task-error", classes="error")

    def buttons(self) -> list[Button]:
        return [Button("Save", variant="primary", id="save"), Button("Cancel", id="cancel")]

    def on_mount(self) -> None:
        self.query_one("#title", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "title":
            self.query_one("#dose", Input).focus()
        else:
            self.action_save()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        """Save the task, or say what is missing and go to it."""
        # Cleaned as the plan will clean it: a title of control characters only is empty.
        title = " ".join(clean_text(self.query_one("#title", Input).value).split())
        if not title:
            self.query_one("#task-error", Static).update("A task needs a title.")
            self.query_one("#title", Input).focus()
            return
        category = self.query_one("#category", Select).value
        dose = self.query_one("#dose", Input).value.strip()
        self.dismiss(TaskEntry(title, Category(category), dose))
