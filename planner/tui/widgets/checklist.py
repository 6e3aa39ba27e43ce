"""The selected day's tasks: a checkbox, the title and the dose; enter, space or a click ticks.

Each row is a `TaskRow`, a small Textual Visual built from `Content` objects, never from
strings parsed as markup, so a title like `[@click=app.quit]` is shown as typed and can't
run anything. The list itself is a line-API widget (`ScrollView`): it lays its rows out once
per width and draws only the lines on screen. Textual's OptionList, used before, cost more
on the first frame than the gain it brings a day's few tasks (measured in bench/README.md,
"Drawing").
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.css.styles import RulesMap
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

from planner.model import Day, Task
from planner.tui.messages import TaskHighlighted, TaskToggled

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


class DayChecklist(ScrollView, can_focus=True):
    """The tasks of one day, a row each; the highlighted row is the one the keys act on.

    Up/down (or k/j), home/end and page up/down move the highlight; enter, space or a
    click ask for a tick (`TaskToggled`); each move tells the screen (`TaskHighlighted`).
    """

    DEFAULT_CSS = """
    DayChecklist { height: auto; overflow-x: hidden; }
    DayChecklist > .checklist--cursor { background: $block-cursor-blurred-background; }
    DayChecklist:focus > .checklist--cursor {
        color: $block-cursor-foreground;
        background: $block-cursor-background;
        text-style: $block-cursor-text-style;
    }
    DayChecklist > .checklist--hover { background: $block-hover-background; }
    """

    COMPONENT_CLASSES = {"checklist--cursor", "checklist--hover"}

    BINDINGS = [
        Binding("space", "select", "Tick"),  # shown in the key bar, as the screen's own tick
        Binding("enter", "select", "Tick", show=False),
        Binding("up,k", "cursor(-1)", "Up", show=False),
        Binding("down,j", "cursor(1)", "Down", show=False),
        Binding("home", "cursor(-1000)", "First", show=False),
        Binding("end", "cursor(1000)", "Last", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
    ]

    compact = False  # titles only; the screen shows the highlighted task's dose

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rows: list[TaskRow] = []
        self.task_ids: list[str] = []
        self._highlighted: int | None = None
        self._hover: int | None = None
        self._width = 0  # the width the rows are laid out for
        self._placed = False  # whether _tops and _line_rows fit the rows shown now
        self._tops: list[int] = []  # each row's first line
        self._line_rows: list[int] = []  # each line's row
        self._strips: dict[tuple[int, str], list[Strip]] = {}  # (row, look) -> its lines

    # ---------------------------------------------------------------- content

    @property
    def option_count(self) -> int:
        """How many tasks the list shows."""
        return len(self.rows)

    def show_day(self, day: Day) -> None:
        """Fill the list with a day's tasks, keeping the highlight where it was if it can."""
        keep = self._highlighted
        self.rows = [task_prompt(task, with_dose=not self.compact) for task in day.tasks]
        self.task_ids = [task.id for task in day.tasks]
        self._strips.clear()
        self._placed = False
        self._hover = None
        self.refresh()
        self.highlighted = min(keep or 0, len(self.rows) - 1) if self.rows else None

    def update_task(self, task: Task) -> None:
        """Redraw one task's row after a tick, leaving the rest of the list alone."""
        index = self.task_ids.index(task.id)
        self.rows[index] = task_prompt(task, with_dose=not self.compact)
        for look in ("", "checklist--cursor", "checklist--hover"):
            self._strips.pop((index, look), None)
        self._placed = False  # its height can change (a skip note can wrap)
        self.refresh()

    def highlighted_task_id(self) -> str | None:
        """The id of the highlighted task, if any."""
        return None if self._highlighted is None else self.task_ids[self._highlighted]

    @property
    def highlighted(self) -> int | None:
        """The index of the highlighted row (None when the day has no tasks)."""
        return self._highlighted

    @highlighted.setter
    def highlighted(self, index: int | None) -> None:
        if index is not None:
            index = max(0, min(index, len(self.rows) - 1)) if self.rows else None
        if index == self._highlighted:
            return
        self._highlighted = index
        self.refresh()
        if index is not None:
            self.scroll_to_highlight()
            self.post_message(TaskHighlighted(self.task_ids[index]))

    # ---------------------------------------------------------------- layout

    def _row_width(self) -> int:
        """Rows leave one column free on the right: text never touches the edge."""
        return max(1, self.scrollable_content_region.width - 1)

    def _lay_out(self) -> None:
        """Where each row starts at the current width (only after a change of either)."""
        if not self.size.width:
            return  # not laid out on screen yet
        width = self._row_width()
        if width != self._width:
            self._width = width
            self._strips.clear()
            self._placed = False
        if self._placed:
            return
        self._placed = True
        self._tops, self._line_rows = [], []
        for index, row in enumerate(self.rows):
            self._tops.append(len(self._line_rows))
            self._line_rows += [index] * row.lines(width)[1]
        virtual_size = Size(width, len(self._line_rows))
        if virtual_size != self.virtual_size:
            self.virtual_size = virtual_size
            self._scroll_update(virtual_size)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return sum(row.lines(max(1, width - 1))[1] for row in self.rows)

    def on_resize(self, event: events.Resize) -> None:
        self.scroll_to_highlight()  # lays the rows out again if the width changed

    def notify_style_update(self) -> None:
        self._strips.clear()  # a theme or focus change restyles the rows
        super().notify_style_update()

    def scroll_to_highlight(self) -> None:
        """Scroll so that the whole highlighted row is in view."""
        if self._highlighted is None or not self.is_mounted:
            return
        self._lay_out()
        if not self._tops:
            return
        top = self._tops[self._highlighted]
        height = self.rows[self._highlighted].lines(self._width)[1]
        region = Region(0, top, self._width, height)
        self.scroll_to_region(region, animate=False, force=True, immediate=True)

    # ---------------------------------------------------------------- drawing

    def render_lines(self, crop: Region) -> list[Strip]:
        self._lay_out()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        line = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        if not 0 <= line < len(self._line_rows):
            return Strip.blank(width, self.get_visual_style().rich_style)
        index = self._line_rows[line]
        if index == self._highlighted:
            look = "checklist--cursor"
        elif index == self._hover:
            look = "checklist--hover"
        else:
            look = ""
        strips = self._strips.get((index, look))
        if strips is None:
            style = self.get_visual_style(look) if look else self.get_visual_style()
            row = self.rows[index]
            strips = [
                strip.extend_cell_length(width, style.rich_style)
                for strip in Visual.to_strips(self, row, self._width, None, style)
            ]
            self._strips[index, look] = strips
        return strips[line - self._tops[index]]

    # ---------------------------------------------------------------- keys and mouse

    def row_at(self, y: int) -> int | None:
        """The row drawn at line `y` of the widget, or None below the last one."""
        line = self.scroll_offset.y + y
        return self._line_rows[line] if 0 <= line < len(self._line_rows) else None

    def action_cursor(self, step: int) -> None:
        """Move the highlight by `step` rows (clamped to the list)."""
        if self.rows:
            start = self._highlighted if self._highlighted is not None else -1
            self.highlighted = start + step

    def action_page(self, direction: int) -> None:
        """Move the highlight by about a screenful of lines."""
        if self._highlighted is None or not self._line_rows:
            return
        self._lay_out()
        line = self._tops[self._highlighted] + direction * self.scrollable_content_region.height
        self.highlighted = self._line_rows[max(0, min(line, len(self._line_rows) - 1))]

    def action_select(self) -> None:
        """Ask for the highlighted task to be ticked (or unticked)."""
        task_id = self.highlighted_task_id()
        if task_id is not None:
            self.post_message(TaskToggled(task_id))

    def on_click(self, event: events.Click) -> None:
        """A click highlights the row under the pointer and ticks it."""
        offset = event.get_content_offset(self)
        index = self.row_at(offset.y) if offset is not None else None
        if index is not None:
            self.highlighted = index
            self.action_select()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        offset = event.get_content_offset(self)
        hover = self.row_at(offset.y) if offset is not None else None
        if hover != self._hover:
            self._hover = hover
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()
