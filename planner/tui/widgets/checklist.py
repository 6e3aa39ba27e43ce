"""The selected day's tasks: a checkbox, the title and the dose; enter, space or a click ticks.

Each row is a `TaskRow`, a small Textual Visual built from `Content` objects, never from
strings parsed as markup, so a title like `[@click=app.quit]` is shown as typed and can't
run anything.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from planner.model import Day, Task
from planner.tui.messages import TaskToggled

GUTTER = 4  # "[x] ": wrapped lines of a task hang under its title, not under the box
INDENT = Content(" " * GUTTER)


class TaskRow(Visual):
    """'[x] Title' with the dose beneath it, wrapped lines hanging under the title.

    Drawn straight from Content lines: a Rich grid did the same in several times the time,
    and the list draws every row more than once (to measure it, then plain and highlighted).
    """

    def __init__(self, box: Content, body: Content) -> None:
        self.box = box
        self.body = body
        self._laid_out: tuple[int, Content, int] | None = None

    def lines(self, width: int) -> tuple[Content, int]:
        """The row laid out for `width` cells, and its height."""
        if self._laid_out is None or self._laid_out[0] != width:
            wrapped = self.body.wrap(max(1, width - GUTTER))
            rows = [self.box if i == 0 else INDENT for i in range(len(wrapped))]
            joined = Content("\n").join(a + b for a, b in zip(rows, wrapped, strict=True))
            self._laid_out = (width, joined, len(wrapped))
        return self._laid_out[1], self._laid_out[2]

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        return self.lines(width)[0].render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return GUTTER + self.body.get_optimal_width(rules, container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.lines(width)[1]


def task_prompt(task: Task, *, with_dose: bool = True) -> TaskRow:
    """One task as shown in the list: '[x]', then the title and, beneath it, the dose."""
    finished = task.done or task.skip is not None
    parts = [Content.styled(task.title, "strike dim" if finished else "bold")]
    if task.custom:
        parts.append(Content.styled("  yours", "italic dim"))
    if task.skip is not None:
        parts.append(Content.styled(f"  skipped: {task.skip.value}", "italic"))
    if task.dose and with_dose:
        parts.append(Content("\n"))
        parts.append(Content.styled(task.dose, "dim"))
    box = "[x] " if task.done else ("[-] " if task.skip else "[ ] ")
    return TaskRow(
        Content.styled(box, "bold") if finished else Content(box), Content("").join(parts)
    )


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
