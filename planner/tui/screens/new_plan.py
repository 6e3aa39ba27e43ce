"""The new-plan form: the two dates first, then what happened (for a strain its grade and
which muscle, for a cramp whether it keeps coming back), side, distance, expected finish
time and name.

Every field is checked as it changes (dates through `dates.parse_date`, the finish time
through `dates.parse_finish_time`, the rest through the engine's own `validate_inputs`),
the parsed dates and time are echoed beside their fields, and Create stays disabled until
the form is valid. Then the safety screen, then the plan.

Nothing typed is dropped silently: escape first leaves a text field, and escape (or q off
a text field) on a form that holds answers asks before leaving. ctrl+s on a form that
isn't ready goes to the first field that needs something and says what.

The same form changes a plan's inputs (`session=`): filled in with them, the injury date
and what happened read-only (they define the days already lived), checked by the edit's own
rules (`planner.edit`), and instead of the safety screen, the change preview: what the
new inputs change in the plan, before anything is changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import msgspec
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Footer, Input, Label, RadioButton, RadioSet, Static

from planner.dates import DateError, describe_date, finish_words, parse_date, parse_finish_time
from planner.engine import MAX_NAME, InputError, validate_inputs
from planner.model import Distance, InjuryKind, Muscle, Plan, PlanInputs, Safety, Side
from planner.rules import load_rules
from planner.tui import PANELS_CSS
from planner.tui.dialogs.base import ChoiceSet
from planner.tui.widgets.muscle_question import STARTS, WORSE, MuscleQuestions

if TYPE_CHECKING:  # the edit loads with the form in edit mode
    from planner.edit import Edit
    from planner.service import PlanSession

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
    (Distance.SPRINT, "Sprint (60-400 m)"),
    (Distance.K5, "5k"),
    (Distance.K10, "10k"),
    (Distance.HALF, "Half marathon"),
    (Distance.MARATHON, "Marathon"),
]
FIELD_ECHO = {"injury_date": "#injury-echo", "race_date": "#race-echo", "name": "#name-echo"}
INPUT_FIELDS = {
    "injury": "injury_date",
    "race": "race_date",
    "finish": "finish_minutes",
    "name": "name",
}
# Each field `validate_inputs` can name, with the widget that answers it, in the form's order:
# a failed create goes to the first of them that has a problem.
FIELD_WIDGETS = (
    ("injury_date", "#injury"),
    ("race_date", "#race"),
    ("injury", "#kind"),
    ("grade", "#grade"),
    ("muscle", "#muscle-start"),
    ("recurrent", "#recurrent"),
    ("side", "#side"),
    ("distance", "#distance"),
    ("finish_minutes", "#finish"),
    ("name", "#name"),
)
FIELD_NAMES = {
    "injury_date": "Injury date",
    "race_date": "Race date",
    "injury": "What happened",
    "grade": "How bad is the strain",
    "muscle": "Which calf muscle",
    "recurrent": "Cramps keep coming back",
    "side": "Which calf",
    "distance": "Race distance",
    "finish_minutes": "Finish time",
    "name": "Plan name",
}


@dataclass(frozen=True)
class NewPlanRequest:
    """A valid form and the safety answers: what the app needs to make the plan."""

    inputs: PlanInputs
    safety: Safety


@dataclass(frozen=True)
class EditRequest:
    """An edit of the plan's inputs, checked, previewed and accepted: the screen applies it."""

    edit: Edit


FIXED_HINT = (
    "The injury date and what happened can't change: they define the days already lived. "
    "For another injury, make a new plan (n)."
)


class NewPlanScreen(Screen[NewPlanRequest | EditRequest | None]):
    """The form; dismisses with a NewPlanRequest once the safety screen is passed, or, when
    it changes a plan (`session`), with an EditRequest once its preview is accepted."""

    CSS_PATH = PANELS_CSS

    # Two escapes, one shown: "Cancel" over a plan, "Quit" as the first screen (check_action).
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("escape", "cancel_quits", "Quit"),
        Binding("q", "quit", "Quit", show=False),  # off a text field; in one it types a q
        Binding("ctrl+s", "create", "Create plan"),
        Binding("ctrl+s", "preview_edit", "Preview changes"),
    ]

    def __init__(
        self, today: date, *, can_cancel: bool, session: PlanSession | None = None
    ) -> None:
        super().__init__()
        self.today = today
        self.can_cancel = can_cancel or session is not None
        self.session = session
        self.editing: Plan | None = session.plan if session is not None else None
        self.edit: Edit | None = None  # the checked edit, in edit mode, while the form is valid
        self.touched: set[str] = set()
        self.untouched: tuple[object, ...] = ()  # the answers as the form opened
        self.hinted: str | None = None  # the field the hint under the form is about

    def compose(self) -> ComposeResult:
        plan = self.editing
        with VerticalScroll(id="form"):
            if plan is None:
                yield Static(Text("New recovery plan", style="bold"), id="form-title")
                yield Static(
                    "When did the calf go, and when is the race? Words work: "
                    "'yesterday', '20 Nov', 'next sunday'.",
                    classes="hint",
                )
            else:
                title = Text("Change the plan: ", style="bold")
                title.append(plan.name)  # the runner's words: text, never markup
                yield Static(title, id="form-title")
                yield Static(
                    "Change what has changed: the days from today are laid out again for it, "
                    "and you see what changes before anything does. " + FIXED_HINT,
                    classes="hint",
                )
            with Horizontal(classes="row"):
                yield Label("Injury date", classes="field-label")
                yield Input(
                    value=plan.injury_date.isoformat() if plan else "",
                    placeholder="e.g. yesterday",
                    id="injury",
                    disabled=plan is not None,
                )
                yield Static(id="injury-echo", classes="echo")
            with Horizontal(classes="row"):
                yield Label("Race date", classes="field-label")
                yield Input(
                    value=plan.race_date.isoformat() if plan else "",
                    placeholder="e.g. next sunday",
                    id="race",
                )
                yield Static(id="race-echo", classes="echo")
            yield Label("What happened", classes="section-label")
            injury = plan.injury if plan else InjuryKind.STRAIN
            with ChoiceSet(id="kind", disabled=plan is not None):
                for kind, label in KINDS:
                    yield RadioButton(label, value=kind == injury)
            with Vertical(id="grade-box"):
                yield Label("How bad is the strain", classes="section-label")
                chosen = plan.grade if plan and plan.grade is not None else 1
                with ChoiceSet(id="grade"):
                    for grade, label in GRADES:
                        yield RadioButton(label, value=grade == chosen)
                yield Static(
                    "A pop, no walking, a gap you can feel or fast swelling: that may be a "
                    "grade 3 tear. See a clinician; this app won't plan for it.",
                    classes="hint",
                )
            yield MuscleQuestions(id="muscle-box")
            with Vertical(id="recurrent-box"):
                yield Checkbox(
                    "Cramps keep coming back, in training or in races",
                    value=bool(plan and plan.recurrent),
                    id="recurrent",
                    disabled=plan is not None,
                )
                yield Static(
                    "The plan then adds calf conditioning and a look at what sets them off.",
                    classes="hint",
                )
            yield Label("Which calf (optional)", classes="section-label")
            with ChoiceSet(id="side"):
                for side, label in SIDES:
                    yield RadioButton(label, value=plan is not None and plan.side == side)
            yield Label("Race distance", classes="section-label")
            distance_now = plan.distance if plan else Distance.HALF
            with ChoiceSet(id="distance"):
                for distance, label in DISTANCES:
                    yield RadioButton(label, value=distance == distance_now)
            with Horizontal(classes="row"):
                yield Label("Finish time", classes="field-label")
                finish = plan.finish_minutes if plan else None
                yield Input(
                    value=finish_words(finish) if finish is not None else "",
                    placeholder="expected, e.g. 1:55",
                    max_length=12,
                    id="finish",
                )
                yield Static(id="finish-echo", classes="echo")
            with Horizontal(classes="row"):
                yield Label("Plan name", classes="field-label")
                yield Input(
                    value=plan.name if plan else "",
                    placeholder="optional",
                    max_length=MAX_NAME,
                    id="name",
                )
                yield Static(id="name-echo", classes="echo")
            yield Static(id="form-error", classes="error")
        with Horizontal(classes="buttons", id="form-buttons"):
            label = "Preview changes" if plan else "Create plan"
            yield Button(label, variant="primary", id="create", disabled=True)
            yield Button("Cancel" if self.can_cancel else "Quit", id="cancel")
            yield Static(id="form-hint")
        yield Footer()

    def on_mount(self) -> None:
        if self.editing is not None:
            self._answer_muscle(self.editing.muscle)
        self.untouched = self._answers()
        self.query_one("#race" if self.editing else "#injury", Input).focus()
        self.validate_form()

    def _answer_muscle(self, muscle: Muscle | None) -> None:
        """Answer the two muscle questions as the plan's muscle was picked: both pointing
        to it, or neither answered when it was 'unsure' (which they then pick again)."""
        if muscle in (None, Muscle.UNSURE):
            return
        for set_id, answers in (("#muscle-start", STARTS), ("#muscle-worse", WORSE)):
            index = next(i for i, (m, _) in enumerate(answers) if m == muscle)
            self.query_one(set_id, RadioSet).query(RadioButton)[index].value = True

    def _answers(self) -> tuple[object, ...]:
        """Every field's value, text and choices alike (compared to see if any changed).

        The buttons' own values, not the sets' pressed index: those are set as each radio
        set mounts, which may be after this screen's mount.
        """
        return tuple(w.value for w in self.query("Input, ToggleButton").results())

    def has_answers(self) -> bool:
        """Whether anything was typed or chosen since the form opened."""
        return self._answers() != self.untouched

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
        strain = kind == InjuryKind.STRAIN
        grade = self._choice("grade", GRADES) if strain else None
        distance = self._choice("distance", DISTANCES)
        finish = self._finish(distance, errors)
        inputs = None
        if not errors:
            candidate = PlanInputs(
                injury_date=parsed["injury_date"],
                race_date=parsed["race_date"],
                injury=kind,
                grade=grade,
                side=self._choice("side", SIDES),
                distance=distance,
                name=self.query_one("#name", Input).value,
                muscle=self.query_one(MuscleQuestions).muscle if strain else None,
                recurrent=not strain and self.query_one("#recurrent", Checkbox).value,
                finish_minutes=finish,
            )
            try:
                inputs = self._checked(candidate)
            except InputError as error:
                errors[error.field] = error.message
        return inputs, errors, parsed

    def _checked(self, candidate: PlanInputs) -> PlanInputs:
        """The inputs checked as a new plan's, or in edit mode as the edit's (which keeps
        the edit); InputError naming the field otherwise."""
        if self.session is None:
            return validate_inputs(candidate, self.today)
        plan = self.session.plan
        if candidate.muscle == Muscle.UNSURE and plan.muscle is None:
            # the questions left unanswered pick "unsure": what a plan without one means
            candidate = msgspec.structs.replace(candidate, muscle=None)
        self.edit = None
        edit = self.session.plan_edit(candidate)
        self.edit = edit
        return edit.inputs

    def _finish(self, distance: Distance, errors: dict[str, str]) -> int | None:
        """The expected finish time in minutes (None: left blank, or a sprint), its problem
        put in `errors`. The range is the engine's own check, run on the time alone, so it
        shows before the dates are in."""
        text = self.query_one("#finish", Input).value
        if distance == Distance.SPRINT or not text.strip():
            return None
        try:
            minutes = parse_finish_time(text)
        except DateError as error:
            errors["finish_minutes"] = str(error)
            return None
        probe = PlanInputs(
            self.today,
            self.today,
            InjuryKind.CRAMP,
            None,
            distance=distance,
            finish_minutes=minutes,
        )
        try:
            validate_inputs(probe, self.today)
        except InputError as error:
            if error.field == "finish_minutes":
                errors["finish_minutes"] = error.message
                return None
        return minutes

    def validate_form(self) -> PlanInputs | None:
        """Check every field, echo the dates, show errors, enable Create when valid."""
        self.edit = None
        inputs, errors, parsed = self.read_form()
        if self.hinted is not None and self.hinted not in errors:
            self.hinted = None  # put right: the hint has nothing left to say
            self.query_one("#form-hint", Static).update("")
        for field, selector in FIELD_ECHO.items():
            echo = self.query_one(selector, Static)
            if field in errors and (field in self.touched or field == "name"):
                echo.update(Text(errors[field], style="bold red"))
                echo.add_class("bad")
            elif field in parsed:
                said = describe_date(parsed[field], self.today)
                if field == "injury_date" and self.editing is not None:
                    said += " (stays)"
                echo.update(Text(said))
                echo.remove_class("bad")
            else:
                echo.update("")
                echo.remove_class("bad")
        self._show_finish(errors.get("finish_minutes"))
        other = {f: m for f, m in errors.items() if f not in FIELD_ECHO and f != "finish_minutes"}
        self.query_one("#form-error", Static).update(
            Text("\n".join(other.values()), style="bold red")
        )
        if inputs is not None and not self.query_one("#name", Input).value.strip():
            self.query_one("#name-echo", Static).update(Text(f"will be '{inputs.name}'"))
        self.query_one("#create", Button).disabled = inputs is None
        strain = self._choice("kind", KINDS) == InjuryKind.STRAIN
        self.query_one("#grade-box").display = strain
        self.query_one("#muscle-box").display = strain
        self.query_one("#recurrent-box").display = not strain
        return inputs

    def _show_finish(self, error: str | None) -> None:
        """Echo the finish time beside its field: the time read, the problem, or what a
        blank field means; a sprint has none, so the field is off."""
        distance = self._choice("distance", DISTANCES)
        field = self.query_one("#finish", Input)
        echo = self.query_one("#finish-echo", Static)
        field.disabled = distance == Distance.SPRINT
        echo.set_class(error is not None, "bad")
        if error is not None:
            echo.update(Text(error, style="bold red"))
        elif distance == Distance.SPRINT:
            echo.update(Text("none for a sprint", style="dim"))
        elif field.value.strip():
            minutes = parse_finish_time(field.value)
            shown = finish_words(minutes)
            echo.update(Text(shown if minutes < 60 else f"{shown}, {minutes} min"))
        else:
            typical = finish_words(load_rules().distances[distance].expected_minutes)
            echo.update(Text(f"optional (typical: {typical})", style="dim"))

    # ------------------------------------------------------------------ events

    def on_input_changed(self, event: Input.Changed) -> None:
        field = INPUT_FIELDS[event.input.id]
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

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self.validate_form()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "create":
            if self.editing is not None:
                self.action_preview_edit()
            else:
                self.action_create()
        else:
            self._leave_form(self._cancel_now, "Cancelling" if self.can_cancel else "Quitting")

    def action_create(self) -> None:
        """Go on to the safety check; with a field not ready, go to the first such field."""
        from planner.tui.dialogs.safety import SafetyScreen

        self.touched.update(("injury_date", "race_date", "name"))
        inputs = self.validate_form()
        if inputs is None:
            self._focus_first_problem()
            return

        def answered(safety: Safety | None) -> None:
            if safety is not None:
                self.dismiss(NewPlanRequest(inputs, safety))

        from planner.engine import injury_class

        kind = injury_class(inputs.injury, inputs.grade)
        self.app.push_screen(SafetyScreen(self.today, kind), answered)

    def action_preview_edit(self) -> None:
        """Edit mode: show what the new inputs change; accepted, the form is done (the plan
        screen applies the edit), cancelled, back to the form with nothing changed."""
        from planner.changes import summarize
        from planner.service import ChangeRefused
        from planner.tui.dialogs.preview import ChangePreview

        self.touched.update(("race_date", "name"))
        inputs = self.validate_form()
        edit = self.edit
        if inputs is None or edit is None:
            self._focus_first_problem()
            return
        hint = self.query_one("#form-hint", Static)
        if edit.inputs == self.session.plan.inputs:
            hint.update(Text("Nothing changed yet: change a field, or escape to leave."))
            return
        try:
            changes = self.session.edit_preview(edit)
        except ChangeRefused as error:
            hint.update(Text(str(error), style="bold red"))
            return

        def answered(accepted: bool | None) -> None:
            if accepted:
                self.dismiss(EditRequest(edit))
            else:
                hint.update(Text("Nothing changed yet."))

        lines = [*changes.head, *summarize(changes.days, most=10, same_way=False)]
        dialog = ChangePreview(
            "Change the plan",
            lines or ["Nothing on the days changes."],
            hint="Past days, ticks, pain logs, notes and your own tasks stay. The plan "
            "changes like this (cancel changes nothing):",
            accept="Change the plan",
        )
        self.app.push_screen(dialog, answered)

    def _focus_first_problem(self) -> None:
        """Focus the first field with a problem; its echo (or the line under the form)
        already says what is wrong, and a hint under the buttons names the field."""
        _, errors, _ = self.read_form()
        for field, selector in FIELD_WIDGETS:
            fixed = field in ("injury_date", "injury", "recurrent")  # read-only when editing
            if field in errors and not (self.editing and fixed):
                widget = self.query_one(selector)
                widget.focus()
                widget.scroll_visible(animate=False)
                label = FIELD_NAMES.get(field, field.replace("_", " "))
                self.hinted = field
                # A field with an echo shows its problem beside it; the rest, only under
                # the form (out of sight on a small terminal), so it is said here too.
                beside = field in FIELD_ECHO or field == "finish_minutes"
                what = "see beside it" if beside else errors[field]
                self.query_one("#form-hint", Static).update(
                    Text(f"Not made yet. {label}: {what}.", style="bold red")
                )
                return

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # One escape per form: Cancel over a plan, Quit when there is nothing under it.
        if action == "cancel":
            return self.can_cancel
        if action == "cancel_quits":
            return not self.can_cancel
        if action == "create":  # one ctrl+s, named for what it does here
            return self.editing is None
        if action == "preview_edit":
            return self.editing is not None
        return True

    def action_cancel(self) -> None:
        """Escape: out of a text field first; then leave the form (asking, if it holds
        answers), back to the plan."""
        if isinstance(self.focused, Input):
            self.set_focus(None)
            return
        self._leave_form(self._cancel_now, "Cancelling" if self.can_cancel else "Quitting")

    def action_cancel_quits(self) -> None:
        """Escape on the first screen: as `action_cancel`, and leaving quits the app."""
        self.action_cancel()

    def action_quit(self) -> None:
        """q off a text field: quit the app, asking first if the form holds answers."""
        self._leave_form(lambda: self.app.call_later(self.app.action_quit), "Quitting")

    def _cancel_now(self) -> None:
        if self.can_cancel:
            self.dismiss(None)
        else:
            self.app.exit()

    def _leave_form(self, leave: Callable[[], object], leaving: str) -> None:
        """Run `leave` at once on an empty form; else ask first (keep editing is default)."""
        if not self.has_answers():
            leave()
            return
        from planner.tui.dialogs.discard import DiscardDialog

        def answered(discard: bool | None) -> None:
            if discard:
                leave()

        self.app.push_screen(DiscardDialog(leaving), answered)

    def show_error(self, message: str) -> None:
        """Show a problem the app met making the plan (e.g. the folder can't be written)."""
        self.query_one("#form-error", Static).update(Text(message, style="bold red"))
