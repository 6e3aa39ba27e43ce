"""Skip a task with a reason (pain, travel, other), or take a skip back.

"Something else" says what in a few words: a field for them appears under the reasons,
holding the task's note, and what it holds when the skip is made becomes the task's note.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Button, Input, RadioButton, RadioSet, Static

from planner.model import SkipReason, Task
from planner.ops import MAX_NOTE
from planner.tui.dialogs.base import ChoiceSet, Dialog

REASONS = [
    (SkipReason.PAIN, "Pain: the calf said no (the plan holds back)"),
    (SkipReason.TRAVEL, "Travel: no chance today"),
    (SkipReason.OTHER, "Something else"),
]


class SkipChoice(NamedTuple):
    """What the dialog decided: the reason (None: take the skip back) and, for a skip for
    something else, the note as typed (None: the note is left as it is)."""

    reason: SkipReason | None
    note: str | None = None


class SkipDialog(Dialog[SkipChoice | None]):
    """Returns a SkipChoice, or None when cancelled."""

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
        note = Input(
            value=self.skipping.note or "",
            placeholder="what came up (optional; kept as the task's note)",
            max_length=MAX_NOTE,
            id="skip-note",
        )
        note.display = current == SkipReason.OTHER
        yield note

    def buttons(self) -> list[Button]:
        shown = [Button("Skip it", variant="primary", id="skip")]
        if self.skipping.skip is not None:
            shown.append(Button("Don't skip", id="unskip"))
        shown.append(Button("Cancel", id="cancel"))
        return shown

    def on_mount(self) -> None:
        self.query_one(RadioSet).focus()

    def _reason(self) -> SkipReason:
        return REASONS[max(self.query_one(RadioSet).pressed_index, 0)][0]

    @on(RadioSet.Changed, "#reason")
    def _reason_changed(self) -> None:
        # The words are for "something else": pain and travel say why by themselves.
        self.query_one("#skip-note", Input).display = self._reason() == SkipReason.OTHER

    @on(Input.Submitted, "#skip-note")
    @on(Button.Pressed, "#skip")
    def action_skip(self) -> None:
        """Skip with the chosen reason (and, for something else, the words typed)."""
        reason = self._reason()
        note = self.query_one("#skip-note", Input).value if reason == SkipReason.OTHER else None
        if note is not None and note == (self.skipping.note or ""):
            note = None  # untouched: the note stays as it is, and no change is made to it
        self.dismiss(SkipChoice(reason, note))

    @on(Button.Pressed, "#unskip")
    def _unskip(self) -> None:
        self.dismiss(SkipChoice(None))
