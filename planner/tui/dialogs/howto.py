"""How to do the highlighted task: the exercise's steps, from the protocol (key `i`)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from planner.engine import injury_class
from planner.model import Plan, Task
from planner.rules import how_to
from planner.tui.dialogs.base import Dialog


def task_steps(plan: Plan, task: Task) -> tuple[str, ...]:
    """The steps of a task of `plan`, or () (the runner's own task, a rest, a check)."""
    return how_to(task, injury_class(plan.injury, plan.grade))


def no_steps(task: Task) -> str:
    """What the screen says instead of opening an empty dialog."""
    if task.custom:
        return "No steps for your own task: it is done as you planned it."
    return f"No steps for '{task.title}': only exercises have them."


def howto_text(task: Task, steps: tuple[str, ...]) -> Text:
    """The task's title and dose, then its numbered steps. Built from Text parts, so a
    title from the file is never read as markup."""
    text = Text()  # (a style given to Text() itself would cover every part)
    text.append(f"How to: {task.title}", style="bold")
    if task.dose:
        text.append(f"\n{task.dose}", style="dim")
    text.append("\n")
    for number, step in enumerate(steps, 1):
        text.append(f"\n{number}. ", style="bold")
        text.append(step)
    text.append("\n")  # a blank line before the hint under it
    return text


class HowToDialog(Dialog[None]):
    """An exercise's steps; escape, i or q closes it."""

    DIALOG_CLASSES = "dialog wide"
    DIALOG_ID = "howto"

    BINDINGS = [
        Binding("escape", "cancel", "Close"),
        Binding("i,q", "cancel", "Close", show=False),
    ]

    def __init__(self, task: Task, steps: tuple[str, ...]) -> None:
        super().__init__()
        self.exercise = task
        self.steps = steps

    def compose_body(self) -> ComposeResult:
        yield Static(howto_text(self.exercise, self.steps), id="howto-steps")
        yield Static("Self-care guidance, not medical advice.", classes="hint")
