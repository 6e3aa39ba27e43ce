"""The race-day call in full: the call, every reason behind it, and what to do on the day."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from planner.advice import Decision
from planner.tui.dialogs.base import Dialog

CALL_STYLE = {"race": "bold green", "run-walk": "bold yellow", "dont-start": "bold red"}


def decision_text(decision: Decision, *, full: bool) -> Text:
    """The call as text: label, advice, and (full) what to do if starting anyway and the
    reasons. Built from Text parts, so nothing in it is read as markup."""
    text = Text("Race-day call: ", style="bold")
    text.append(decision.label, style=CALL_STYLE[decision.call])
    if decision.provisional:
        # Said in full on the full screen: a call made days ahead can still change.
        if full:
            text.append(" (provisional: the call is made the day before the race)", style="bold")
        else:
            text.append(" (provisional)", style="dim")
    text.append((" · " if not full else "\n") + decision.advice)
    if full:
        if decision.if_you_start:
            text.append("\n" + decision.if_you_start)
        text.append("\n\nWhy:", style="bold")
        for reason in decision.reasons:
            text.append(f"\n - {reason}")
    return text


class DecisionScreen(Dialog[None]):
    """The full race-day call; escape, D or q closes it."""

    DIALOG_CLASSES = "dialog wide"

    BINDINGS = [
        Binding("escape", "cancel", "Close"),
        Binding("D,q", "cancel", "Close", show=False),
    ]

    def __init__(self, decision: Decision) -> None:
        super().__init__()
        self.decision = decision

    def compose_body(self) -> ComposeResult:
        yield Static(decision_text(self.decision, full=True), id="decision-full")
        yield Static(
            "No test predicts a safe race: this is the protocol's best guide.", classes="hint"
        )
