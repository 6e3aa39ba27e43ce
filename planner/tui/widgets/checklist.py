"""The selected day's tasks: a checkbox, the title and the dose; enter, space or a click ticks.

Prompts are Rich `Text` objects, never strings, so a title like `[@click=app.quit]` is
shown as typed and can't run anything: OptionList parses plain strings as markup.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from planner.model import Day, Task
from planner.tui.messages import TaskToggled


def task_prompt(task: Task, *, with_dose: bool = True) -> Table:
    """One task as shown in the list: '[x]', then the title and, beneath it, the dose.

    A two-column grid gives wrapped lines a hanging indent under the title.
    """
    finished = task.done or task.skip is not None
    text = Text(task.title, style="strike dim" if finished else "bold")
    if task.custom:
        text.append("  yours", style="italic dim")
    if task.skip is not None:
        text.append(f"  skipped: {task.skip.value}", style="italic")
    if task.dose and with_dose:
        text.append("\n")
        text.append(task.dose, style="dim")
    box = "[x]" if task.done else ("[-]" if task.skip else "[ ]")
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(width=3, no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(Text(box, style="bold" if finished else ""), text)
    return grid


class DayChecklist(OptionList):
    """The tasks of one day."""

    DEFAULT_CSS = """
    DayChecklist { height: auto; }
    DayChecklist > .option-list--option { padding: 0 1 0 0; }
    """

    BINDINGS = [
        Binding("space", "select", "Tick", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("j", "cursor_down", "Down", show=False),
    ]

    compact = False  # titles only; the screen shows the highlighted task's dose

    def show_day(self, day: Day) -> None:
        """Fill the list with a day's tasks, keeping the highlight where it was if it can."""
        keep = self.highlighted
        self.set_options(
            Option(task_prompt(task, with_dose=not self.compact), id=task.id) for task in day.tasks
        )
        if day.tasks:
            self.highlighted = min(keep if keep is not None else 0, len(day.tasks) - 1)

    def update_task(self, task: Task) -> None:
        """Redraw one task's row after a tick, leaving the rest of the list alone."""
        self.replace_option_prompt(task.id, task_prompt(task, with_dose=not self.compact))

    def highlighted_task_id(self) -> str | None:
        """The id of the highlighted task, if any."""
        if self.highlighted is None or self.highlighted >= self.option_count:
            return None
        return self.get_option_at_index(self.highlighted).id

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Turn the list's selection (enter, space, click) into a tick request."""
        event.stop()
        if event.option.id is not None:
            self.post_message(TaskToggled(event.option.id))
