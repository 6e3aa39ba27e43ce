"""A plan file that can't be loaded: say where and why, and offer the backup.

The damaged file is never overwritten: restoring renames it aside first.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Static

from planner.store import PlanError, backup_path, load_plan
from planner.tui import PANELS_CSS
from planner.tui.widgets.keybar import KeyBar


class LoadErrorScreen(Screen[str | None]):
    """Shows `path:line:col: problem`; dismisses with 'restore', 'new', 'open' or None."""

    CSS_PATH = PANELS_CSS

    BINDINGS = [
        Binding("b", "choose('restore')", "Restore backup"),
        Binding("n", "choose('new')", "New plan"),
        Binding("o", "choose('open')", "Open another"),
        Binding("q,escape", "choose(None)", "Quit"),
    ]

    def __init__(self, path: Path, error: PlanError) -> None:
        super().__init__()
        self.path = path
        self.error = error
        self.backup = backup_path(path)
        self.backup_problem: str | None = None
        try:
            self.backup_plan = load_plan(self.backup)
        except PlanError as problem:
            self.backup_plan = None
            self.backup_problem = problem.problem

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="load-error"):
            yield Static(Text("This plan can't be opened", style="bold"))
            yield Static(Text(str(self.error)), id="error-text", classes="error")
            if self.backup_plan is not None:
                days = sum(
                    1 for d in self.backup_plan.days if any(t.done for t in d.tasks) or d.pain
                )
                note = Text("A backup can be restored: ")
                note.append(str(self.backup), style="bold")
                note.append(
                    f"\n'{self.backup_plan.name}', {days} days with ticks or pain logged. "
                    "Restoring keeps the damaged file beside it as .damaged."
                )
            else:
                note = Text(f"No usable backup ({self.backup.name}: {self.backup_problem}).")
            yield Static(note, id="backup-note")
            yield Static(
                "The file was not changed. You can also fix it by hand in a text editor: "
                "the line and column above show where.",
                classes="hint",
            )
            with Horizontal(classes="buttons"):
                if self.backup_plan is not None:
                    yield Button("Restore backup", variant="primary", id="restore")
                yield Button("New plan", id="new")
                yield Button("Open another", id="open")
                yield Button("Quit", id="quit")
        yield KeyBar()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose" and parameters == ("restore",):
            return self.backup_plan is not None
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_choose(None if event.button.id == "quit" else event.button.id)

    def action_choose(self, choice: str | None) -> None:
        self.dismiss(choice)
