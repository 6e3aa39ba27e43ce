"""A plan file that can't be loaded: say where and why, and offer the backup.

The damaged file is never overwritten: restoring renames it aside first. A file name can
hold an escape sequence, so every path and problem shown here is cleaned (`shown_path`,
`clean_text`) and shown as a `Text`, never parsed as markup.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from planner.model import clean_text, shown_path
from planner.store import PlanError, backup_path, load_plan
from planner.tui import PANELS_CSS
from planner.words import plural


def error_text(error: PlanError) -> str:
    """`path:line:col: problem` (or `path: problem`) fit to show: the path cleaned as
    `shown_path` does, the problem as `clean_text` does (it can quote the file's keys)."""
    where = shown_path(error.path)
    if error.line is not None:
        where += f":{error.line}:{error.col}"
    return f"{where}: {clean_text(error.problem)}"


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
            yield Static(Text(error_text(self.error)), id="error-text", classes="error")
            if self.backup_plan is not None:
                days = sum(
                    1 for d in self.backup_plan.days if any(t.done for t in d.tasks) or d.pain
                )
                note = Text("A backup can be restored: ")
                note.append(shown_path(self.backup), style="bold")
                note.append(
                    f"\n'{self.backup_plan.name}', {plural(days, 'day')} with ticks or pain "
                    "logged. Restoring keeps the damaged file beside it as .damaged."
                )
            else:
                problem = clean_text(self.backup_problem or "")
                note = Text(f"No usable backup ({shown_path(self.backup.name)}: {problem}).")
            yield Static(note, id="backup-note")
            yield Static(
                "The file was not changed. You can also fix it by hand in a text editor: "
                "the line and column above show where.",
                classes="hint",
                markup=False,
            )
            with Horizontal(classes="buttons"):
                if self.backup_plan is not None:
                    yield Button("Restore backup", variant="primary", id="restore")
                yield Button("New plan", id="new")
                yield Button("Open another", id="open")
                yield Button("Quit", id="quit")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose" and parameters == ("restore",):
            return self.backup_plan is not None
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_choose(None if event.button.id == "quit" else event.button.id)

    def action_choose(self, choice: str | None) -> None:
        self.dismiss(choice)
