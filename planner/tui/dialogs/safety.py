"""Before a plan is made: the red flags as yes/no questions.

Any yes shows its advice plainly, emergencies first, and the plan is made only if the
runner confirms a clinician has ruled it out; the answers are recorded in the plan.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, RadioButton, RadioSet, Static

from planner.model import Safety
from planner.rules import RedFlag, load_rules
from planner.tui import PANELS_CSS


class SafetyScreen(ModalScreen[Safety | None]):
    """Red-flag questions; returns the Safety record, or None to go back."""

    CSS_PATH = PANELS_CSS

    BINDINGS = [Binding("escape", "back", "Back")]

    def __init__(self, today: date, kind: str | None = None) -> None:
        super().__init__()
        self.today = today
        flags = [f for f in load_rules().red_flags if kind is None or f.asked_for(kind)]
        # Emergencies first, as the command line asks them.
        self.flags: tuple[RedFlag, ...] = tuple(sorted(flags, key=lambda f: not f.emergency))

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="safety"):
            yield Static(Text("Before the plan: a quick safety check", style="bold"))
            yield Static(
                "Answer each question about the sore calf. A yes means it needs a "
                "clinician before a self-care plan.",
                classes="hint",
            )
            with VerticalScroll(id="questions"):
                for flag in self.flags:
                    yield Static(Text(flag.question), classes="question")
                    with RadioSet(id=f"flag-{flag.id}", classes="yesno"):
                        yield RadioButton("No")
                        yield RadioButton("Yes")
            yield Static("", id="advice")
            yield Checkbox("A clinician has examined my calf and ruled these out", id="cleared")
            with Horizontal(classes="buttons"):
                yield Button("Create plan", variant="primary", id="create", disabled=True)
                yield Button("Back", id="back")

    def on_mount(self) -> None:
        self.query_one("#cleared", Checkbox).display = False
        self.query_one(RadioSet).focus()

    def answers(self) -> dict[str, bool | None]:
        """Each question's answer: True (yes), False (no) or None (not answered)."""
        out: dict[str, bool | None] = {}
        for flag in self.flags:
            index = self.query_one(f"#flag-{flag.id}", RadioSet).pressed_index
            out[flag.id] = None if index < 0 else index == 1
        return out

    def _update(self) -> None:
        answers = self.answers()
        yes = [f for f in self.flags if answers[f.id]]
        yes.sort(key=lambda f: not f.emergency)  # emergencies first
        advice = Text()
        for flag in yes:
            if advice:
                advice.append("\n")
            style = "bold red" if flag.emergency else "bold"
            advice.append("EMERGENCY: " if flag.emergency else "See a clinician: ", style=style)
            advice.append(flag.advice)
        self.query_one("#advice", Static).update(advice)
        cleared = self.query_one("#cleared", Checkbox)
        cleared.display = bool(yes)
        all_answered = all(a is not None for a in answers.values())
        ready = all_answered and (not yes or cleared.value)
        self.query_one("#create", Button).disabled = not ready

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        self._update()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self._update()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "create":
            answers = self.answers()
            flags = [f.id for f in self.flags if answers[f.id]]
            cleared = bool(flags) and self.query_one("#cleared", Checkbox).value
            self.dismiss(Safety(checked=self.today, flags=flags, clinician_cleared=cleared))
        else:
            self.action_back()

    def action_back(self) -> None:
        self.dismiss(None)
