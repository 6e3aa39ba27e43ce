"""Add or edit a task of the runner's own: title, dose, kind."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from planner.model import Category, Task, clean_text
from planner.ops import MAX_NOTE
from planner.tui import PANELS_CSS

MAX_TITLE = 100


@dataclass(frozen=True)
class TaskEntry:
    """What the dialog returns."""

    title: str
    category: Category
    dose: str


class TaskDialog(ModalScreen[TaskEntry | None]):
    """A small form; with a task given it edits that task."""

    CSS_PATH = PANELS_CSS

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, day_label: str, task: Task | None = None) -> None:
        super().__init__()
        self.day_label = day_label
        self.editing = task

    def compose(self) -> ComposeResult:
        heading = "Edit your task" if self.editing else "Add a task of your own"
        with Vertical(classes="dialog"):
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
            with Horizontal(classes="buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#title", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "title":
            self.query_one("#dose", Input).focus()
        else:
            self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_save(self) -> None:
        # Cleaned as the plan will clean it: a title of control characters only is empty.
        title = " ".join(clean_text(self.query_one("#title", Input).value).split())
        if not title:
            self.query_one("#task-error", Static).update("A task needs a title.")
            self.query_one("#title", Input).focus()
            return
        category = self.query_one("#category", Select).value
        dose = self.query_one("#dose", Input).value.strip()
        self.dismiss(TaskEntry(title, Category(category), dose))

    def action_cancel(self) -> None:
        self.dismiss(None)
