"""Export the plan: iCalendar for a phone's calendar, Markdown to print or send a physio.

A calendar may carry two alarms a day, typed as HH:MM (blank for none): one on each day's
event naming its key session, and a "log pain" event in the evening (planner.export).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from planner.export import export_target_problem, parse_clock
from planner.tui.dialogs.base import ChoiceSet, Dialog

FORMATS = [
    ("ics", "Calendar (.ics): one all-day event a day, for a phone"),
    ("md", "Checklist (.md): to print, or to show a physio"),
]
# The alarm fields of a calendar: (input id, the name a message calls it by).
ALARMS = [("remind", "Daily alarm"), ("pain-reminder", "Pain-log alarm")]


@dataclass(frozen=True)
class ExportRequest:
    """What the dialog returns."""

    fmt: str
    path: Path
    remind: time | None = None  # ics only: each day's alarm
    pain_reminder: time | None = None  # ics only: the evening "log pain" event's alarm


class ExportDialog(Dialog[ExportRequest | None]):
    """Pick a format and where to write it."""

    DIALOG_CLASSES = "dialog wide"

    BINDINGS = [Binding("ctrl+s", "export", "Export")]

    def __init__(self, folder: Path, stem: str, plan_path: Path | None = None) -> None:
        super().__init__()
        self.folder = folder
        self.stem = stem
        self.plan_path = plan_path  # refused as a target, when given

    def compose_body(self) -> ComposeResult:
        yield Static(Text("Export the plan", style="bold"))
        with ChoiceSet(id="format"):
            for index, (_, label) in enumerate(FORMATS):
                yield RadioButton(label, value=index == 0)
        yield Label("Save as")
        # Text, not markup: the folder and the plan's file name are the runner's
        yield Input(value=str(self.folder / f"{self.stem}.ics"), id="export-path")
        with Horizontal(id="export-alarms"):
            for name, label in ALARMS:
                yield Label(label, classes="alarm-label")
                yield Input(max_length=5, compact=True, id=name)
            yield Label("HH:MM, blank: none", classes="hint")
        yield Static("", id="export-error", classes="error")

    def buttons(self) -> list[Button]:
        return [Button("Export", variant="primary", id="export"), Button("Cancel", id="cancel")]

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        fmt = FORMATS[event.radio_set.pressed_index][0]
        field = self.query_one("#export-path", Input)
        path = Path(field.value)
        if path.suffix in (".ics", ".md"):
            field.value = str(path.with_suffix(f".{fmt}"))
        self.query_one("#export-alarms").display = fmt == "ics"  # only a calendar rings

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_export()

    @on(Button.Pressed, "#export")
    def action_export(self) -> None:
        """Export to the path typed, or say why not and keep the dialog open."""
        fmt = FORMATS[max(self.query_one("#format", RadioSet).pressed_index, 0)][0]
        field = self.query_one("#export-path", Input)
        path = Path(field.value.strip()).expanduser()
        # The same check as `planner export -o`: a symlink, folder, FIFO or device would be
        # replaced by the write, so the problem is shown here and nothing is written.
        problem = export_target_problem(path, self.plan_path)
        if problem is not None:
            # Text, not a markup string: the path is the runner's typing.
            self.query_one("#export-error", Static).update(Text(problem))
            field.focus()
            return
        if fmt != "ics":
            self.dismiss(ExportRequest(fmt, path))
            return
        times: list[time | None] = []
        for name, label in ALARMS:
            alarm = self.query_one(f"#{name}", Input)
            try:
                times.append(parse_clock(alarm.value) if alarm.value.strip() else None)
            except ValueError as error:  # the same words as `planner export --remind`
                self.query_one("#export-error", Static).update(Text(f"{label}: {error}"))
                alarm.focus()
                return
        self.dismiss(ExportRequest(fmt, path, *times))
