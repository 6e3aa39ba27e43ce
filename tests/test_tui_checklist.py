"""The day's checklist widget on its own: keys, scrolling, clicks and hover on long lists.

The plan screen's tests tick through the real app and read the file; these drive the list
in a small host app, with more tasks than fit, to check what a runner does with a long day.
"""

from __future__ import annotations

from datetime import date

from textual.app import App, ComposeResult

from planner.model import Category, Day, Phase, SkipReason, Task
from planner.tui.messages import TaskHighlighted, TaskToggled
from planner.tui.widgets.checklist import DayChecklist

LONG_DOSE = "3 x 15 twice a day, lowering slowly on the sore leg, knee straight and bent"


def long_day(count: int = 12) -> Day:
    tasks = [
        Task(id=f"t{n}", category=Category.STRETCH, title=f"Task {n}", dose=LONG_DOSE)
        for n in range(count)
    ]
    return Day(date(2026, 12, 1), Phase.REBUILD, tasks)


class Host(App):
    """The checklist in a short box; records what it tells its screen."""

    CSS = "DayChecklist { height: 10; width: 40; border: none; padding: 0; }"

    def __init__(self, day: Day) -> None:
        super().__init__()
        self.day = day
        self.toggled: list[str] = []
        self.highlights: list[str] = []

    def compose(self) -> ComposeResult:
        yield DayChecklist()

    def on_mount(self) -> None:
        self.query_one(DayChecklist).show_day(self.day)

    def on_task_toggled(self, message: TaskToggled) -> None:
        self.toggled.append(message.task_id)

    def on_task_highlighted(self, message: TaskHighlighted) -> None:
        self.highlights.append(message.task_id)


def row_lines(checklist: DayChecklist, index: int) -> range:
    """The lines of the widget (after scrolling) that row `index` is drawn on."""
    top = checklist._index_to_line[index] - checklist.scroll_offset.y
    return range(top, top + checklist._heights[index])


async def test_keys_move_the_highlight_and_keep_it_in_view():
    app = Host(long_day())
    async with app.run_test(size=(60, 20)) as pilot:
        checklist = app.query_one(DayChecklist)
        checklist.focus()
        await pilot.pause()
        assert checklist.highlighted == 0 and checklist.virtual_size.height > 10
        await pilot.press("end")
        assert checklist.highlighted == 11
        assert checklist.scroll_offset.y > 0
        assert set(row_lines(checklist, 11)) <= set(range(10))  # the whole row shows
        await pilot.press("home")
        assert checklist.highlighted == 0 and checklist.scroll_offset.y == 0
        await pilot.press("pagedown")
        assert checklist.highlighted >= 1  # a page is ten lines: past the opened first row
        await pilot.press("up", "k", "j", "down", "down")
        await pilot.pause()
        assert app.highlights[-1] == checklist.highlighted_task_id()
        await pilot.press(*["up"] * checklist.highlighted, "up")  # past the top: the last
        assert checklist.highlighted == 11


async def test_the_highlighted_task_opens_to_show_its_why_and_the_last_one_closes():
    day = long_day(3)
    for task in day.tasks:
        task.why = f"because of {task.id}"
    app = Host(day)
    async with app.run_test(size=(60, 20)) as pilot:
        checklist = app.query_one(DayChecklist)
        checklist.focus()
        await pilot.pause()
        assert "because of t0" in checklist.rows[0].body.plain
        assert "because of t1" not in checklist.rows[1].body.plain
        closed = checklist._heights[1]
        await pilot.press("down")
        await pilot.pause()
        assert "because of t0" not in checklist.rows[0].body.plain
        assert "because of t1" in checklist.rows[1].body.plain
        assert checklist._heights[1] > closed


async def test_a_click_on_the_box_ticks_and_a_click_on_the_words_only_highlights():
    app = Host(long_day(3))
    async with app.run_test(size=(60, 20)) as pilot:
        checklist = app.query_one(DayChecklist)
        await pilot.pause()
        second = row_lines(checklist, 1)
        await pilot.hover(DayChecklist, offset=(8, second[0]))
        assert checklist._mouse_hovering_over == 1
        await pilot.click(DayChecklist, offset=(8, second[0]))  # on the title
        await pilot.pause()
        assert app.toggled == [] and checklist.highlighted == 1
        second = row_lines(checklist, 1)  # it opened: the rows below moved
        await pilot.click(DayChecklist, offset=(1, second[0]))  # on its box
        await pilot.pause()
        assert app.toggled == ["t1"] and checklist.highlighted == 1
        await pilot.click(DayChecklist, offset=(1, second[-1]))  # a wrapped line's margin
        await pilot.pause()
        assert app.toggled == ["t1"]
        below = checklist.virtual_size.height + 1  # empty space under the last row
        await pilot.click(DayChecklist, offset=(1, below))
        await pilot.pause()
        assert app.toggled == ["t1"]


async def test_a_row_that_grows_after_a_change_moves_the_rows_below_it():
    day = long_day(3)
    app = Host(day)
    async with app.run_test(size=(60, 20)) as pilot:
        checklist = app.query_one(DayChecklist)
        await pilot.pause()
        before = checklist._index_to_line[2]
        day.tasks[0].skip = SkipReason.TRAVEL
        day.tasks[0].title = "Task 0 with a title long enough to wrap onto a second line"
        checklist.update_task(day.tasks[0])
        await pilot.pause()
        assert checklist._index_to_line[2] > before
        assert checklist.virtual_size.height == sum(checklist._heights.values())
        checklist.focus()
        await pilot.press("space")
        assert app.toggled == ["t0"]


async def test_an_empty_day_has_no_highlight_and_ignores_keys():
    app = Host(Day(date(2026, 12, 1), Phase.REBUILD, []))
    async with app.run_test(size=(60, 20)) as pilot:
        checklist = app.query_one(DayChecklist)
        checklist.focus()
        await pilot.press("down", "end", "pagedown", "enter")
        assert checklist.highlighted is None and checklist.highlighted_task_id() is None
        assert app.toggled == []
