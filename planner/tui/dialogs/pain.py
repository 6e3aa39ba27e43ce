"""Log the day's pain: a score from 0 to 10 and an optional note."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.validation import Integer
from textual.widgets import Button, Checkbox, Input, Label, Static

from planner.ops import MAX_NOTE
from planner.tui import PANELS_CSS


@dataclass(frozen=True)
class PainEntry:
    """What the dialog returns."""

    score: int
    note: str
    at_rest: bool = False


class PainDialog(ModalScreen[PainEntry | None]):
    """A small form: score 0-10, a note; enter logs, escape cancels."""

    CSS_PATH = PANELS_CSS

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self, day_label: str, score: int | None, note: str | None, at_rest: bool = False
    ) -> None:
        super().__init__()
        self.day_label = day_label
        self.score = score
        self.note = note
        self.at_rest = at_rest

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(f"Pain for {self.day_label}", style="bold"))
            yield Label("0 none · 1-2 fine · 3-4 hold back · 5+ step back", classes="hint")
            yield Input(
                value="" if self.score is None else str(self.score),
                placeholder="0-10",
                type="integer",
                max_length=2,
                validators=[Integer(0, 10, failure_description="Pain is a number 0-10")],
                id="score",
            )
            yield Input(
                value=self.note or "",
                placeholder="a note (optional): where, when, how it feels",
                max_length=MAX_NOTE,
                id="note",
            )
            yield Checkbox("It hurts at rest or at night", value=self.at_rest, id="at-rest")
            yield Static("", id="pain-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Log pain", variant="primary", id="log")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#score", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "score":
            self._check()

    def _check(self) -> int | None:
        text = self.query_one("#score", Input).value.strip()
        error = self.query_one("#pain-error", Static)
        if text.isdigit() and 0 <= int(text) <= 10:
            error.update("")
            return int(text)
        error.update("Pain is a whole number from 0 (none) to 10 (worst)." if text else "")
        return None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "score":
            self.query_one("#note", Input).focus()
        else:
            self.action_log()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "log":
            self.action_log()
        else:
            self.action_cancel()

    def action_log(self) -> None:
        score = self._check()
        if score is None:
            self.query_one("#pain-error", Static).update(
                "Pain is a whole number from 0 (none) to 10 (worst)."
            )
            self.query_one("#score", Input).focus()
            return
        self.dismiss(
            PainEntry(
                score,
                self.query_one("#note", Input).value,
                self.query_one("#at-rest", Checkbox).value,
            )
        )

    def action_cancel(self) -> None:
        self.dismiss(None)
