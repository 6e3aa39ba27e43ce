"""Log the day's pain: a score from 0 to 10 and an optional note."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.validation import Integer
from textual.widgets import Button, Checkbox, Input, Label, Static

from planner.ops import MAX_NOTE
from planner.tui.dialogs.base import Dialog


@dataclass(frozen=True)
class PainEntry:
    """What the dialog returns."""

    score: int
    note: str
    at_rest: bool = False


SCORE_HINT = "Pain is a whole number from 0 (none) to 10 (worst)."


class PainDialog(Dialog[PainEntry | None]):
    """A small form: score 0-10, a note; enter logs, escape cancels.

    A score that isn't 0-10 keeps the focus (with the hint saying why) until it is fixed or
    cleared: the runner never moves on from a number that won't be logged.
    """

    BINDINGS = [Binding("ctrl+s", "log", "Log pain")]

    def __init__(
        self, day_label: str, score: int | None, note: str | None, at_rest: bool = False
    ) -> None:
        super().__init__()
        self.day_label = day_label
        self.score = score
        self.note = note
        self.at_rest = at_rest

    def compose_body(self) -> ComposeResult:
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
        yield Static("", id="pain-error", classes="error")
        yield Input(
            value=self.note or "",
            placeholder="a note (optional): where, when, how it feels",
            max_length=MAX_NOTE,
            id="note",
        )
        yield Checkbox("It hurts at rest or at night", value=self.at_rest, id="at-rest")

    def buttons(self) -> list[Button]:
        return [Button("Log pain", variant="primary", id="log"), Button("Cancel", id="cancel")]

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
        error.update(SCORE_HINT if text else "")
        return None

    def _score_is_wrong(self) -> bool:
        """A score is typed that isn't 0-10 (blank is not wrong until logging)."""
        return bool(self.query_one("#score", Input).value.strip()) and self._check() is None

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        # Tab, a click or shift+tab away from a wrong score: it keeps the focus, the hint
        # (shown by _check) says why. Not when the dialog itself is closing or covered.
        score = self.query_one("#score", Input)
        if event.widget is score and self.is_current and self._score_is_wrong():
            self.call_after_refresh(self._back_to_score)

    def _back_to_score(self) -> None:
        if self.is_current and self._score_is_wrong():
            self.query_one("#score", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "score":
            self.action_log()
        elif not self._score_is_wrong():
            self.query_one("#note", Input).focus()

    @on(Button.Pressed, "#log")
    def action_log(self) -> None:
        """Log the pain, or show what is wrong with the score and go back to it."""
        score = self._check()
        if score is None:
            self.query_one("#pain-error", Static).update(SCORE_HINT)
            self.query_one("#score", Input).focus()
            return
        self.dismiss(
            PainEntry(
                score,
                self.query_one("#note", Input).value,
                self.query_one("#at-rest", Checkbox).value,
            )
        )
