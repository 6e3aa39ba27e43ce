"""Record a run-gate test: single-leg raises (and, optionally, the other calf's count), hops
and minutes of brisk walking.

The verdict shown as the numbers are typed is the session's own `gate_result`, so the
dialog can never promise a pass the plan then refuses; when it isn't a pass, the line says
what each short number needs.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from planner.model import GateResult
from planner.rules import load_rules
from planner.service import gate_result, other_side_needs
from planner.tui.dialogs.base import Dialog
from planner.words import plural

MOST = 200  # the largest count either calf's raises or the hops may take
MOST_WALK = 600

# (input id, label, the largest value, required): in the order the runner does the test
FIELDS = (
    ("raises", "Single-leg raises, {side} calf", MOST, True),
    ("other", "Raises on the other calf (optional)", MOST, False),
    ("hops", "Pain-free single-leg hops", MOST, True),
    ("walk", "Minutes of pain-free brisk walking", MOST_WALK, True),
)


@dataclass(frozen=True)
class GateEntry:
    """What the dialog returns."""

    raises: int
    hops: int
    walk_min: int
    other_side: int | None = None  # the other calf's raises, when counted


def other_side_words(other_side: int) -> str:
    """What the other calf's count asks of the sore side: '27 raises: 90% of the other
    side's 30'."""
    share = round(load_rules().gate_test.other_side_fraction * 100)
    needs = plural(other_side_needs(other_side), "raise")
    return f"{needs}: {share}% of the other side's {other_side}"


def shortfalls(entry: GateEntry) -> list[str]:
    """What the entry still needs to pass, one phrase per short number (none: it passes)."""
    test = load_rules().gate_test
    needs = []
    share = other_side_needs(entry.other_side)
    if entry.raises < max(test.raises, share):
        if share > test.raises:
            needs.append(other_side_words(entry.other_side))
        else:
            needs.append(plural(test.raises, "raise"))
    if entry.hops < test.hops:
        needs.append(plural(test.hops, "hop"))
    if entry.walk_min < test.walk_minutes:
        needs.append(f"{test.walk_minutes} min walking")
    return needs


class GateDialog(Dialog[GateEntry | None]):
    """Four numbers, checked as typed; shows whether they pass before saving."""

    DIALOG_ID = "gate-dialog"

    BINDINGS = [Binding("ctrl+s", "record", "Record")]

    def __init__(self, day_label: str, side: str, previous: GateResult | None) -> None:
        super().__init__()
        self.day_label = day_label
        self.side = side
        self.previous = previous
        self.test = load_rules().gate_test

    def _previous_values(self) -> dict[str, str]:
        before = self.previous
        if before is None:
            return {}
        other = "" if before.other_side is None else str(before.other_side)
        return {
            "raises": str(before.raises),
            "other": other,
            "hops": str(before.hops),
            "walk": str(before.walk_min),
        }

    def compose_body(self) -> ComposeResult:
        test = self.test
        share = round(test.other_side_fraction * 100)
        values = self._previous_values()
        yield Static(Text(f"Run gate, {self.day_label}", style="bold"))
        yield Static(
            f"To pass: {test.raises}+ raises on the {self.side} calf (and {share}% of the "
            f"other calf's, if you count it), {plural(test.hops, 'hop')}, {test.walk_minutes} min "
            "walking, all pain-free.",
            classes="hint",
        )
        with Vertical(id="gate-fields"):
            for name, label, most, required in FIELDS:
                with Horizontal(classes="gate-row"):
                    yield Label(label.format(side=self.side), classes="gate-label")
                    yield Input(
                        value=values.get(name, ""),
                        type="integer",
                        max_length=len(str(most)),
                        compact=True,
                        valid_empty=not required,
                        id=name,
                    )
        yield Static("", id="gate-verdict")

    def buttons(self) -> list[Button]:
        return [Button("Record", variant="primary", id="record"), Button("Cancel", id="cancel")]

    def on_mount(self) -> None:
        self.query_one("#raises", Input).focus()
        self._read()

    def _read(self) -> GateEntry | None:
        numbers: dict[str, int | None] = {}
        complete = True
        for name, _, most, required in FIELDS:
            text = self.query_one(f"#{name}", Input).value.strip()
            if text.isdigit() and int(text) <= most:
                numbers[name] = int(text)
            else:
                numbers[name] = None
                complete = complete and not text and not required
        if not complete:
            self._show_missing(numbers["other"])
            return None
        entry = GateEntry(numbers["raises"], numbers["hops"], numbers["walk"], numbers["other"])
        result = gate_result(entry.raises, entry.hops, entry.walk_min, entry.other_side)
        if result.passed:
            verdict = Text("Passed: running can start tomorrow.", style="bold green")
        else:
            verdict = Text(
                "Not passed yet: keep recovering and retest in "
                f"{plural(self.test.retest_after_days, 'day')}.\n",
                style="bold",
            )
            if needs := shortfalls(entry):
                verdict.append("Needs " + "; ".join(needs) + ".")
        self.query_one("#gate-verdict", Static).update(verdict)
        return entry

    def _show_missing(self, other_side: int | None) -> None:
        text = Text("Fill in raises, hops and minutes (whole numbers).", style="dim")
        if other_side:
            text.append(f" The sore calf needs {other_side_words(other_side)}.", style="dim")
        self.query_one("#gate-verdict", Static).update(text)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._read()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        # Enter records once the three required numbers are in; until then it moves on.
        if self._read() is not None:
            self.action_record()
        else:
            self.focus_next()

    @on(Button.Pressed, "#record")
    def action_record(self) -> None:
        """Record the numbers once the three required ones are in; else go to the first
        one missing (the verdict line says what is needed)."""
        entry = self._read()
        if entry is not None:
            self.dismiss(entry)
            return
        for name, _, most, required in FIELDS:
            field = self.query_one(f"#{name}", Input)
            text = field.value.strip()
            if (required and not text) or (text and not (text.isdigit() and int(text) <= most)):
                field.focus()
                return
