"""The selected day's tasks: Textual's OptionList, a task an option.

Each option's prompt is a `TaskRow`, a small Visual built from `Content` objects, never
from strings parsed as markup, so a title like `[@click=app.quit]` is shown as typed and
can't run anything. The highlighted task opens up to show its dose and why, under its
title, so the reason for a task is read next to it. Enter, space or a click on the box
ticks; a click elsewhere on a row only highlights it (to read its why).
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from planner.model import Day, Task
from planner.tui.keys import bindings
from planner.tui.messages import TaskHighlighted, TaskToggled

GUTTER = 4  # "[x] ": wrapped lines of a task hang under its title, not under the box
INDENT = Content(" " * GUTTER)


class TaskRow(Visual):
    """'[x] Title' with the dose (and, opened, the why) beneath it, wrapped lines hanging
    under the title.

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


def task_prompt(task: Task, *, with_dose: bool = True, opened: bool = False) -> TaskRow:
    """One task as shown in the list: '[x]', then the title and, beneath it, the dose;
    `opened` (the highlighted task) adds the dose when the list leaves it out, the why and
    the runner's note (a closed task with a note says "noted")."""
    finished = task.done or task.skip is not None
    parts = [Content.styled(task.title, "strike dim" if finished else "bold")]
    if task.custom:
        parts.append(Content.styled("  yours", "italic dim"))
    if task.skip is not None:
        parts.append(Content.styled(f"  skipped: {task.skip.value}", "italic"))
    if task.done and task.actual_minutes is not None:  # what was run, which the plan counts
        parts.append(Content.styled(f"  ran {task.actual_minutes} min", "italic"))
    noted = bool(task.note and task.note.strip())
    if noted and not opened:  # the note itself shows when the task is highlighted
        parts.append(Content.styled("  noted", "italic dim"))
    if task.dose and (with_dose or opened):
        parts.append(Content("\n"))
        parts.append(Content.styled(task.dose, "dim"))
    if opened and task.why:
        parts.append(Content("\n"))
        parts.append(Content.styled("Why: ", "bold"))
        parts.append(Content.styled(task.why, "italic"))
    if opened and noted:  # Content, never markup: the runner's words are shown as typed
        parts.append(Content("\n"))
        parts.append(Content.styled("Note: ", "bold"))
        parts.append(Content(task.note.strip()))
    box = "[x] " if task.done else ("[-] " if task.skip else "[ ] ")
    return TaskRow(
        Content.styled(box, "bold") if finished else Content(box), Content("").join(parts)
    )


class DayChecklist(OptionList):
    """The tasks of one day, a row each; the highlighted row is the one the keys act on.

    Up/down (or k/j), home/end and page up/down move the highlight; enter, space or a
    click on the box ask for a tick (`TaskToggled`); each move tells the screen
    (`TaskHighlighted`).
    """

    BINDINGS = [
        *bindings("checklist"),
        Binding("enter", "select", "Tick", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("j", "cursor_down", "Down", show=False),
    ]

    titles_only = False  # on a narrow screen: titles, but for the highlighted task's

    def __init__(self, **kwargs) -> None:
        super().__init__(markup=False, **kwargs)
        self._tasks: list[Task] = []
        self._opened: int | None = None  # the row drawn open (the highlighted one)

    # ---------------------------------------------------------------- content

    @property
    def rows(self) -> list[TaskRow]:
        """Each task's row as drawn now."""
        return [option.prompt for option in self.options]

    @property
    def task_ids(self) -> list[str]:
        """The tasks' ids, in the list's order."""
        return [task.id for task in self._tasks]

    def _prompt(self, index: int) -> TaskRow:
        opened = index == self.highlighted
        return task_prompt(self._tasks[index], with_dose=not self.titles_only, opened=opened)

    def show_day(self, day: Day) -> None:
        """Fill the list with a day's tasks, keeping the highlight where it was if it can."""
        keep = self.highlighted
        self._tasks = list(day.tasks)
        count = len(self._tasks)
        index = min(keep or 0, count - 1) if count else None
        self.set_options(  # highlights nothing while it fills the list
            Option(task_prompt(task, with_dose=not self.titles_only, opened=n == index), id=task.id)
            for n, task in enumerate(self._tasks)
        )
        self._opened = index  # drawn open already
        self.highlighted = index  # tells the screen (TaskHighlighted), even for the same row

    def update_task(self, task: Task) -> None:
        """Redraw one task's row after a tick, leaving the rest of the list alone."""
        index = self.task_ids.index(task.id)
        self._tasks[index] = task
        self.replace_option_prompt_at_index(index, self._prompt(index))

    def highlighted_task_id(self) -> str | None:
        """The id of the highlighted task, if any."""
        index = self.highlighted
        return None if index is None or index >= len(self._tasks) else self._tasks[index].id

    # ---------------------------------------------------------------- highlight

    def watch_highlighted(self, highlighted: int | None) -> None:
        """Open the highlighted task (its dose and why) and close the one before."""
        before, self._opened = self._opened, highlighted
        if before != highlighted:  # the same row stays open as it is
            for index in (before, highlighted):
                if index is not None and index < min(len(self._tasks), self.option_count):
                    self.replace_option_prompt_at_index(index, self._prompt(index))
        super().watch_highlighted(highlighted)

    def on_option_list_option_highlighted(self, message: OptionList.OptionHighlighted) -> None:
        message.stop()
        if message.option.id is not None:
            self.post_message(TaskHighlighted(message.option.id))

    def on_option_list_option_selected(self, message: OptionList.OptionSelected) -> None:
        message.stop()
        if message.option.id is not None:
            self.post_message(TaskToggled(message.option.id))

    # ---------------------------------------------------------------- the mouse

    async def _on_click(self, event: events.Click) -> None:
        """A click on a row highlights it; on its box (the first columns) it also ticks."""
        event.prevent_default()  # OptionList's own handler would tick on any click
        index = event.style.meta.get("option")
        if index is None:
            return
        self.highlighted = index
        offset = event.get_content_offset(self)
        line = self.scroll_offset.y + offset.y if offset is not None else None
        on_box = (
            offset is not None
            and offset.x < GUTTER
            and line is not None
            and self._index_to_line.get(index) == line  # the title's line, where the box is
        )
        if on_box:
            self.action_select()
