"""Show what a re-plan would change; the runner accepts the entry with it, or cancels both."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from planner.tui import PANELS_CSS


class ChangePreview(ModalScreen[bool]):
    """A list of changed days; True records the entry and the re-plan, False neither."""

    CSS_PATH = PANELS_CSS

    BINDINGS = [
        Binding("enter,y", "choose(True)", "Accept"),
        Binding("escape,n", "choose(False)", "Cancel"),
    ]

    def __init__(
        self,
        title: str,
        lines: list[str],
        *,
        hint: str = "Recording this changes the plan ahead like this (cancel records nothing):",
        accept: str = "Record it",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.lines = lines
        self.hint = hint
        self.accept = accept

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="preview"):
            yield Static(Text(self.title_text, style="bold"))
            yield Static(Text(self.hint), classes="hint")
            with VerticalScroll(id="preview-lines"):
                yield Static(Text("\n".join(self.lines)))
            with Horizontal(classes="buttons"):
                yield Button(self.accept, variant="primary", id="accept")
                yield Button("Cancel", id="keep")

    def on_mount(self) -> None:
        self.query_one("#accept", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "accept")

    def action_choose(self, accept: bool) -> None:
        self.dismiss(accept)
