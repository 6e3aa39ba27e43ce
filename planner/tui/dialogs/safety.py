"""Before a plan is made: the red flags as yes/no questions.

Any yes shows its advice plainly, emergencies first, and the plan is made only if the
runner confirms a clinician has ruled it out; the answers are recorded in the plan.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Checkbox, RadioButton, RadioSet, Static

from planner.advice import EMERGENCY_LABEL
from planner.model import Safety
from planner.rules import RedFlag, load_rules
from planner.tui.dialogs.base import ChoiceSet, Dialog


class SafetyScreen(Dialog[Safety | None]):
    """Red-flag questions; returns the Safety record, or None to go back.

    ctrl+s is the Create button; with a question unanswered (or a yes not yet cleared by
    a clinician) it goes to the first such question and says what it needs instead.
    """

    DIALOG_CLASSES = "dialog wide"
    DIALOG_ID = "safety"

    BINDINGS = [
        Binding("escape", "cancel", "Back"),
        Binding("ctrl+s", "create", "Create plan"),
    ]

    def __init__(self, today: date, kind: str | None = None) -> None:
        super().__init__()
        self.today = today
        flags = [f for f in load_rules().red_flags if kind is None or f.asked_for(kind)]
        # Emergencies first, as the command line asks them.
        self.flags: tuple[RedFlag, ...] = tuple(sorted(flags, key=lambda f: not f.emergency))

    def compose_body(self) -> ComposeResult:
        yield Static(Text("Before the plan: a quick safety check", style="bold"))
        yield Static(
            "Answer each question about the sore calf. A yes means it needs a "
            "clinician before a self-care plan.",
            classes="hint",
        )
        for flag in self.flags:
            yield Static(Text(flag.question), classes="question")
            with ChoiceSet(id=f"flag-{flag.id}", classes="yesno"):
                yield RadioButton("No")
                yield RadioButton("Yes")
            yield Static("", id=f"need-{flag.id}", classes="error need")
        yield Static("", id="advice")
        yield Checkbox("A clinician has examined my calf and ruled these out", id="cleared")
        yield Static("", id="cleared-need", classes="error need")

    def buttons(self) -> list[Button]:
        return [
            Button("Create plan", variant="primary", id="create", disabled=True),
            Button("Back", id="cancel"),
        ]

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

    def _update(self) -> bool:
        """Show the advice for each yes, and whether the plan can be made (returned)."""
        answers = self.answers()
        yes = [f for f in self.flags if answers[f.id]]
        yes.sort(key=lambda f: not f.emergency)  # emergencies first
        advice = Text()
        for flag in yes:
            if advice:
                advice.append("\n")
            # As advice.red_flag_advice words it (the advice itself says who to see), with
            # the emergency label in red.
            if flag.emergency:
                advice.append(EMERGENCY_LABEL, style="bold red")
            advice.append(flag.advice, style="" if flag.emergency else "bold")
        self.query_one("#advice", Static).update(advice)
        for flag in self.flags:
            if answers[flag.id] is not None:
                self._need(f"#need-{flag.id}", "")
        cleared = self.query_one("#cleared", Checkbox)
        cleared.display = bool(yes)
        if not yes or cleared.value:
            self._need("#cleared-need", "")
        all_answered = all(a is not None for a in answers.values())
        ready = all_answered and (not yes or cleared.value)
        self.query_one("#create", Button).disabled = not ready
        return ready

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        self._update()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self._update()

    @on(Button.Pressed, "#create")
    def action_create(self) -> None:
        """Make the plan with these answers, or go to the first question still open."""
        if not self._update():
            self._show_first_missing()
            return
        answers = self.answers()
        flags = [f.id for f in self.flags if answers[f.id]]
        cleared = bool(flags) and self.query_one("#cleared", Checkbox).value
        self.dismiss(Safety(checked=self.today, flags=flags, clinician_cleared=cleared))

    def _show_first_missing(self) -> None:
        answers = self.answers()
        for flag in self.flags:
            if answers[flag.id] is None:
                self._need(f"#need-{flag.id}", "Answer this one: No or Yes (arrow keys, or click).")
                self.query_one(f"#flag-{flag.id}", RadioSet).focus()
                return
        self._need(
            "#cleared-need",
            "A yes above needs a clinician first: tick this once one has ruled it out, or go back.",
        )
        self.query_one("#cleared", Checkbox).focus()

    def _need(self, selector: str, words: str) -> None:
        """Say (or stop saying) what a question needs; the line takes no room when empty."""
        line = self.query_one(selector, Static)
        line.update(words)
        line.display = bool(words)
