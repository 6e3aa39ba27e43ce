"""Tick a run with the minutes actually run: the field holds the plan's minutes, so enter
ticks it as planned in one key; typing replaces them with what was run. Escape ticks
nothing."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.validation import Integer
from textual.widgets import Button, Input, Static

from planner.model import Task
from planner.ops import MAX_RUN_MINUTES
from planner.tui.dialogs.base import Dialog

MINUTES_HINT = f"The minutes you ran: a whole number from 0 to {MAX_RUN_MINUTES}."


class RunMinutesDialog(Dialog[int | None]):
    """Returns the minutes run, or None when cancelled (nothing is ticked)."""

    BINDINGS = [Binding("ctrl+s", "tick", "Tick the run")]

    def __init__(self, day_label: str, task: Task) -> None:
        super().__init__()
        self.day_label = day_label
        self.run_task = task

    def compose_body(self) -> ComposeResult:
        task = self.run_task
        heading = Text("Ran: ", style="bold")
        heading.append(task.title)  # Text, not markup: the runner's own runs have their titles
        yield Static(heading)
        planned = "no minutes planned" if task.minutes is None else f"planned {task.minutes} min"
        yield Static(
            f"{self.day_label} · {planned}. Enter ticks it as planned; type over it if you "
            "ran more or less: the plan counts what you ran.",
            classes="hint",
        )
        yield Input(
            value="" if task.minutes is None else str(task.minutes),
            placeholder=f"minutes run, 0-{MAX_RUN_MINUTES}",
            type="integer",
            max_length=3,
            validators=[Integer(0, MAX_RUN_MINUTES, failure_description=MINUTES_HINT)],
            id="minutes",
        )
        yield Static("", id="minutes-error", classes="error")

    def buttons(self) -> list[Button]:
        return [Button("Tick", variant="primary", id="tick"), Button("Cancel", id="cancel")]

    def on_mount(self) -> None:
        self.query_one("#minutes", Input).focus()  # its text selected: typing replaces it

    def _minutes(self) -> int | None:
        """The minutes typed, when they are 0 to MAX_RUN_MINUTES; else None, said under it."""
        text = self.query_one("#minutes", Input).value.strip()
        error = self.query_one("#minutes-error", Static)
        if text.isascii() and text.isdigit() and int(text) <= MAX_RUN_MINUTES:
            error.update("")
            return int(text)
        error.update(MINUTES_HINT)
        return None

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.value.strip():
            self._minutes()
        else:  # blank is not wrong until ticking
            self.query_one("#minutes-error", Static).update("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_tick()

    @on(Button.Pressed, "#tick")
    def action_tick(self) -> None:
        """Tick the run with the minutes typed, or say what is wrong and stay."""
        minutes = self._minutes()
        if minutes is None:
            self.query_one("#minutes", Input).focus()
            return
        self.dismiss(minutes)
