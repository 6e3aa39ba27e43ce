"""Record a run-gate test: single-leg raises, hops and minutes of brisk walking."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from planner.model import GateResult
from planner.rules import load_rules
from planner.tui import PANELS_CSS

FIELDS = (
    ("raises", "Single-leg calf raises on the {side} side", 200),
    ("hops", "Pain-free single-leg hops", 200),
    ("walk", "Minutes of pain-free brisk walking", 600),
)


@dataclass(frozen=True)
class GateEntry:
    """What the dialog returns."""

    raises: int
    hops: int
    walk_min: int


class GateDialog(ModalScreen[GateEntry | None]):
    """Three numbers, checked as typed; shows whether they pass before saving."""

    CSS_PATH = PANELS_CSS

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, day_label: str, side: str, previous: GateResult | None) -> None:
        super().__init__()
        self.day_label = day_label
        self.side = side
        self.previous = previous
        self.test = load_rules().gate_test

    def compose(self) -> ComposeResult:
        test = self.test
        values = (
            (self.previous.raises, self.previous.hops, self.previous.walk_min)
            if self.previous
            else ("", "", "")
        )
        with Vertical(classes="dialog", id="gate-dialog"):
            yield Static(Text(f"Run gate, {self.day_label}", style="bold"))
            yield Static(
                f"To pass: {test.raises}+ raises, {test.hops} hops, {test.walk_minutes} min "
                "walking, all pain-free. Passed: running starts tomorrow.",
                classes="hint",
            )
            for (name, label, most), value in zip(FIELDS, values, strict=True):
                yield Label(label.format(side=self.side))
                yield Input(value=str(value), type="integer", max_length=len(str(most)), id=name)
            yield Static("", id="gate-verdict")
            with Horizontal(classes="buttons"):
                yield Button("Record", variant="primary", id="record")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#raises", Input).focus()
        self._read()

    def _read(self) -> GateEntry | None:
        numbers = []
        for name, _, most in FIELDS:
            text = self.query_one(f"#{name}", Input).value.strip()
            if not text.isdigit() or int(text) > most:
                self.query_one("#gate-verdict", Static).update(
                    Text("Fill in all three (whole numbers).", style="dim")
                )
                return None
            numbers.append(int(text))
        entry = GateEntry(*numbers)
        test = self.test
        passed = (
            entry.raises >= test.raises
            and entry.hops >= test.hops
            and entry.walk_min >= test.walk_minutes
        )
        verdict = Text("Passed: running can start tomorrow." if passed else "Not passed yet: ")
        if not passed:
            verdict.append(f"keep recovering and retest in {test.retest_after_days} days.")
        verdict.stylize("bold green" if passed else "bold")
        self.query_one("#gate-verdict", Static).update(verdict)
        return entry

    def on_input_changed(self, event: Input.Changed) -> None:
        self._read()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        # Enter records once all three are filled in; until then it moves on.
        if self._read() is not None:
            self.action_record()
        else:
            self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "record":
            self.action_record()
        else:
            self.action_cancel()

    def action_record(self) -> None:
        entry = self._read()
        if entry is not None:
            self.dismiss(entry)

    def action_cancel(self) -> None:
        self.dismiss(None)
