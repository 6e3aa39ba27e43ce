"""The new-plan form: the two dates first, then kind, grade, side, distance and name.

Every field is checked as it changes (dates through `dates.parse_date`, the rest through
the engine's own `validate_inputs`), the parsed dates are echoed beside their fields, and
Create stays disabled until the form is valid. Then the safety screen, then the plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from planner.dates import DateError, describe_date, parse_date
from planner.engine import MAX_NAME, InputError, validate_inputs
from planner.model import Distance, InjuryKind, PlanInputs, Safety, Side
from planner.tui import PANELS_CSS
from planner.tui.widgets.keybar import KeyBar

KINDS = [
    (InjuryKind.CRAMP, "Cramp: it let go with stretching; you walk normally"),
    (InjuryKind.STRAIN, "Strain: pain or tightness past 1-2 days, a tender spot, a limp"),
]
GRADES = [
    (1, "Grade 1: tightness or a twinge; walking is normal"),
    (2, "Grade 2: sudden sharp pain, bruising, a limp; tiptoe hurts"),
]
SIDES = [(Side.LEFT, "Left"), (Side.RIGHT, "Right")]
DISTANCES = [
    (Distance.K5, "5k"),
    (Distance.K10, "10k"),
    (Distance.HALF, "Half marathon"),
    (Distance.MARATHON, "Marathon"),
]
FIELD_ECHO = {"injury_date": "#injury-echo", "race_date": "#race-echo", "name": "#name-echo"}


@dataclass(frozen=True)
class NewPlanRequest:
    """A valid form and the safety answers: what the app needs to make the plan."""

    inputs: PlanInputs
    safety: Safety


class NewPlanScreen(Screen[NewPlanRequest | None]):
    """The form; dismisses with a NewPlanRequest once the safety screen is passed."""

    CSS_PATH = PANELS_CSS

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "create", "Create plan"),
    ]

    def __init__(self, today: date, *, can_cancel: bool) -> None:
        super().__init__()
        self.today = today
        self.can_cancel = can_cancel
        self.touched: set[str] = set()

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="form"):
            yield Static(Text("New recovery plan", style="bold"), id="form-title")
            yield Static(
                "When did the calf go, and when is the race? Words work: "
                "'yesterday', '20 Nov', 'next sunday'.",
                classes="hint",
            )
            with Horizontal(classes="row"):
                yield Label("Injury date", classes="field-label")
                yield Input(placeholder="e.g. yesterday", id="injury")
                yield Static(id="injury-echo", classes="echo")
            with Horizontal(classes="row"):
                yield Label("Race date", classes="field-label")
                yield Input(placeholder="e.g. next sunday", id="race")
                yield Static(id="race-echo", classes="echo")
            yield Label("What happened", classes="section-label")
            with RadioSet(id="kind"):
                for kind, label in KINDS:
                    yield RadioButton(label, value=kind == InjuryKind.STRAIN)
            with Vertical(id="grade-box"):
                yield Label("How bad is the strain", classes="section-label")
                with RadioSet(id="grade"):
                    for grade, label in GRADES:
                        yield RadioButton(label, value=grade == 1)
                yield Static(
                    "A pop, no walking, a gap you can feel or fast swelling: that may be a "
                    "grade 3 tear. See a clinician; this app won't plan for it.",
                    classes="hint",
                )
            yield Label("Which calf (optional)", classes="section-label")
            with RadioSet(id="side"):
                for _, label in SIDES:
                    yield RadioButton(label)
            yield Label("Race distance", classes="section-label")
            with RadioSet(id="distance"):
                for distance, label in DISTANCES:
                    yield RadioButton(label, value=distance == Distance.HALF)
            with Horizontal(classes="row"):
                yield Label("Plan name", classes="field-label")
                yield Input(placeholder="optional", max_length=MAX_NAME, id="name")
                yield Static(id="name-echo", classes="echo")
            yield Static(id="form-error", classes="error")
        with Horizontal(classes="buttons", id="form-buttons"):
            yield Button("Create plan", variant="primary", id="create", disabled=True)
            yield Button("Cancel" if self.can_cancel else "Quit", id="cancel")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#injury", Input).focus()
        self.validate_form()

    # ------------------------------------------------------------------ reading

    def _choice(self, set_id: str, choices: list) -> object | None:
        index = self.query_one(f"#{set_id}", RadioSet).pressed_index
        return choices[index][0] if 0 <= index < len(choices) else None

    def read_form(self) -> tuple[PlanInputs | None, dict[str, str], dict[str, date]]:
        """The inputs if valid, errors by field, and the dates that parsed."""
        errors: dict[str, str] = {}
        parsed: dict[str, date] = {}
        for field, widget_id in (("injury_date", "#injury"), ("race_date", "#race")):
            text = self.query_one(widget_id, Input).value
            try:
                parsed[field] = parse_date(text, self.today)
            except DateError as error:
                errors[field] = str(error)
        kind = self._choice("kind", KINDS)
        grade = self._choice("grade", GRADES) if kind == InjuryKind.STRAIN else None
        inputs = None
        if not errors:
            candidate = PlanInputs(
                injury_date=parsed["injury_date"],
                race_date=parsed["race_date"],
                injury=kind,
                grade=grade,
                side=self._choice("side", SIDES),
                distance=self._choice("distance", DISTANCES),
                name=self.query_one("#name", Input).value,
            )
            try:
                inputs = validate_inputs(candidate, self.today)
            except InputError as error:
                errors[error.field] = error.message
        return inputs, errors, parsed

    def validate_form(self) -> PlanInputs | None:
        """Check every field, echo the dates, show errors, enable Create when valid."""
        inputs, errors, parsed = self.read_form()
        for field, selector in FIELD_ECHO.items():
            echo = self.query_one(selector, Static)
            if field in errors and (field in self.touched or field == "name"):
                echo.update(Text(errors[field], style="bold red"))
                echo.add_class("bad")
            elif field in parsed:
                echo.update(Text(describe_date(parsed[field], self.today)))
                echo.remove_class("bad")
            else:
                echo.update("")
                echo.remove_class("bad")
        other = {f: m for f, m in errors.items() if f not in FIELD_ECHO}
        self.query_one("#form-error", Static).update(
            Text("\n".join(other.values()), style="bold red")
        )
        if inputs is not None and not self.query_one("#name", Input).value.strip():
            self.query_one("#name-echo", Static).update(Text(f"will be '{inputs.name}'"))
        self.query_one("#create", Button).disabled = inputs is None
        self.query_one("#grade-box").display = self._choice("kind", KINDS) == InjuryKind.STRAIN
        return inputs

    # ------------------------------------------------------------------ events

    def on_input_changed(self, event: Input.Changed) -> None:
        field = {"injury": "injury_date", "race": "race_date", "name": "name"}[event.input.id]
        if event.value.strip():
            self.touched.add(field)
        self.validate_form()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id in ("injury", "race") and event.value.strip():
            self.touched.add("injury_date" if event.input.id == "injury" else "race_date")
        self.validate_form()
        self.focus_next()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        self.validate_form()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "create":
            self.action_create()
        else:
            self.action_cancel()

    def action_create(self) -> None:
        from planner.tui.dialogs.safety import SafetyScreen

        self.touched.update(("injury_date", "race_date"))
        inputs = self.validate_form()
        if inputs is None:
            return

        def answered(safety: Safety | None) -> None:
            if safety is not None:
                self.dismiss(NewPlanRequest(inputs, safety))

        from planner.engine import injury_class

        kind = injury_class(inputs.injury, inputs.grade)
        self.app.push_screen(SafetyScreen(self.today, kind), answered)

    def action_cancel(self) -> None:
        if self.can_cancel:
            self.dismiss(None)
        else:
            self.app.exit()

    def show_error(self, message: str) -> None:
        """Show a problem the app met making the plan (e.g. the folder can't be written)."""
        self.query_one("#form-error", Static).update(Text(message, style="bold red"))
