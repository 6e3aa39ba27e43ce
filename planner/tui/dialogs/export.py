"""Export the plan: iCalendar for a phone's calendar, Markdown to print or send a physio."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from planner.export import export_target_problem
from planner.tui import PANELS_CSS

FORMATS = [
    ("ics", "Calendar (.ics): one all-day event a day, for a phone"),
    ("md", "Checklist (.md): to print, or to show a physio"),
]


@dataclass(frozen=True)
class ExportRequest:
    """What the dialog returns."""

    fmt: str
    path: Path


class ExportDialog(ModalScreen[ExportRequest | None]):
    """Pick a format and where to write it."""

    CSS_PATH = PANELS_CSS

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, folder: Path, stem: str, plan_path: Path | None = None) -> None:
        super().__init__()
        self.folder = folder
        self.stem = stem
        self.plan_path = plan_path  # refused as a target, when given

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(Text("Export the plan", style="bold"))
            with RadioSet(id="format"):
                for index, (_, label) in enumerate(FORMATS):
                    yield RadioButton(label, value=index == 0)
            yield Label("Save as")
            yield Input(value=str(self.folder / f"{self.stem}.ics"), id="export-path")
            yield Static("", id="export-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Export", variant="primary", id="export")
                yield Button("Cancel", id="cancel")

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        fmt = FORMATS[event.radio_set.pressed_index][0]
        field = self.query_one("#export-path", Input)
        path = Path(field.value)
        if path.suffix in (".ics", ".md"):
            field.value = str(path.with_suffix(f".{fmt}"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_export()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "export":
            self.action_export()
        else:
            self.action_cancel()

    def action_export(self) -> None:
        fmt = FORMATS[max(self.query_one("#format", RadioSet).pressed_index, 0)][0]
        path = Path(self.query_one("#export-path", Input).value.strip()).expanduser()
        # The same check as `planner export -o`: a symlink, folder, FIFO or device would be
        # replaced by the write, so the problem is shown here and nothing is written.
        problem = export_target_problem(path, self.plan_path)
        if problem is not None:
            # Text, not a markup string: the path is the runner's typing.
            self.query_one("#export-error", Static).update(Text(problem))
            return
        self.dismiss(ExportRequest(fmt, path))

    def action_cancel(self) -> None:
        self.dismiss(None)
