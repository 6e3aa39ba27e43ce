"""Open another plan: pick one from the plans folder, or type a path."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from planner.paths import list_plans
from planner.store import PlanError, load_plan


class OpenPlanDialog(ModalScreen[Path | None]):
    """A list of the plans folder (names shown as text) and a path field."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def compose(self) -> ComposeResult:
        options = []
        for path in list_plans(self.folder):
            try:
                plan = load_plan(path)
                label = Text(plan.name, style="bold")
                label.append(f"  {plan.distance.value}, race {plan.race_date:%d %b %Y}")
            except PlanError as error:
                label = Text(f"{path.name}: can't be read ({error.problem})", style="dim")
            label.append(f"\n  {path.name}", style="dim")
            options.append(Option(label, id=str(path)))
        with Vertical(classes="dialog wide"):
            yield Static(Text("Open a plan", style="bold"))
            if options:
                yield OptionList(*options, id="plans")
            else:
                yield Static(Text(f"No plans in {self.folder} yet."), classes="hint")
            yield Input(placeholder="or type a path to a plan file", id="path")
            yield Static("", id="open-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Open", variant="primary", id="open")
                yield Button("Cancel", id="cancel")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(Path(event.option.id))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._open_typed()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "open":
            self._open_typed()
        else:
            self.action_cancel()

    def _open_typed(self) -> None:
        text = self.query_one("#path", Input).value.strip()
        if not text:
            plans = self.query("#plans")
            if plans:
                chosen = plans.first(OptionList)
                if chosen.highlighted is not None:
                    option = chosen.get_option_at_index(chosen.highlighted)
                    self.dismiss(Path(option.id))
                    return
            self.query_one("#open-error", Static).update("Type a path, or pick a plan above.")
            return
        path = Path(text).expanduser()
        if not path.is_file():
            self.query_one("#open-error", Static).update(Text(f"No file at {path}"))
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)
