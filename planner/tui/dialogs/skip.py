"""Skip a task with a reason (pain, travel, other), or take a skip back."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, RadioButton, RadioSet, Static

from planner.model import SkipReason, Task
from planner.tui import PANELS_CSS

REASONS = [
    (SkipReason.PAIN, "Pain: the calf said no (the plan holds back)"),
    (SkipReason.TRAVEL, "Travel: no chance today"),
    (SkipReason.OTHER, "Something else"),
]
UNSKIP = "unskip"


class SkipDialog(ModalScreen[SkipReason | str | None]):
    """Returns the reason, 'unskip' to take a skip back, or None."""

    CSS_PATH = PANELS_CSS

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, task: Task) -> None:
        super().__init__()
        self.skipping = task

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            heading = Text("Skip: ", style="bold")
            heading.append(self.skipping.title)
            yield Static(heading)
            yield Static("A skip with a reason counts as excused, not missed.", classes="hint")
            current = self.skipping.skip or SkipReason.OTHER
            with RadioSet(id="reason"):
                for reason, label in REASONS:
                    yield RadioButton(label, value=reason == current)
            with Horizontal(classes="buttons"):
                yield Button("Skip it", variant="primary", id="skip")
                if self.skipping.skip is not None:
                    yield Button("Don't skip", id="unskip")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one(RadioSet).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "skip":
            index = self.query_one(RadioSet).pressed_index
            self.dismiss(REASONS[max(index, 0)][0])
        elif event.button.id == "unskip":
            self.dismiss(UNSKIP)
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
