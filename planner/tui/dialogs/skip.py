"""Skip a task with a reason (pain, travel, other), or take a skip back."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Button, RadioButton, RadioSet, Static

from planner.model import SkipReason, Task
from planner.tui.dialogs.base import ChoiceSet, Dialog

REASONS = [
    (SkipReason.PAIN, "Pain: the calf said no (the plan holds back)"),
    (SkipReason.TRAVEL, "Travel: no chance today"),
    (SkipReason.OTHER, "Something else"),
]
UNSKIP = "unskip"


class SkipDialog(Dialog[SkipReason | str | None]):
    """Returns the reason, 'unskip' to take a skip back, or None."""

    def __init__(self, task: Task) -> None:
        super().__init__()
        self.skipping = task

    def compose_body(self) -> ComposeResult:
        heading = Text("Skip: ", style="bold")
        heading.append(self.skipping.title)
        yield Static(heading)
        yield Static("A skip with a reason counts as excused, not missed.", classes="hint")
        current = self.skipping.skip or SkipReason.OTHER
        # A ChoiceSet: the highlighted reason is the one recorded.
        with ChoiceSet(id="reason"):
            for reason, label in REASONS:
                yield RadioButton(label, value=reason == current)

    def buttons(self) -> list[Button]:
        shown = [Button("Skip it", variant="primary", id="skip")]
        if self.skipping.skip is not None:
            shown.append(Button("Don't skip", id="unskip"))
        shown.append(Button("Cancel", id="cancel"))
        return shown

    def on_mount(self) -> None:
        self.query_one(RadioSet).focus()

    @on(Button.Pressed, "#skip")
    def action_skip(self) -> None:
        """Skip with the chosen reason."""
        index = self.query_one(RadioSet).pressed_index
        self.dismiss(REASONS[max(index, 0)][0])

    @on(Button.Pressed, "#unskip")
    def _unskip(self) -> None:
        self.dismiss(UNSKIP)
