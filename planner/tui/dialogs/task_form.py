"""Add or edit a task of the runner's own: title, dose, kind and, for a new task, whether it
repeats (every day, every 2 or 3 days, or on chosen days of the week) and until when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from planner.dates import DateError, describe_date, parse_date
from planner.model import Category, Task, clean_text
from planner.ops import MAX_NOTE
from planner.repeat import WEEKDAYS, Repeat, occurrences
from planner.tui.dialogs.base import Dialog
from planner.words import plural

MAX_TITLE = 100
ONCE, DAILY, EVERY_2, EVERY_3, WEEKLY = "once", "day", "2d", "3d", "weekdays"
REPEATS = [
    ("Just this day", ONCE),
    ("Every day", DAILY),
    ("Every 2 days", EVERY_2),
    ("Every 3 days", EVERY_3),
    ("On days of the week", WEEKLY),
]
EVERY = {DAILY: 1, EVERY_2: 2, EVERY_3: 3}


@dataclass(frozen=True)
class TaskEntry:
    """What the dialog returns; `repeat` and `until` only for a repeating new task."""

    title: str
    category: Category
    dose: str
    repeat: Repeat | None = None
    until: date | None = None


@dataclass(frozen=True)
class Span:
    """The days a new task may repeat over: from its day to the plan's last, read as
    `today` reads dates."""

    first: date
    last: date
    today: date


class TaskDialog(Dialog[TaskEntry | None]):
    """A small form; with a task given it edits that task, with a `span` a new task may
    repeat over its days."""

    BINDINGS = [Binding("ctrl+s", "save", "Save")]

    def __init__(self, day_label: str, task: Task | None = None, span: Span | None = None) -> None:
        super().__init__()
        self.day_label = day_label
        self.editing = task
        self.span = None if task is not None else span
        if self.span is not None:  # the days of the week need the room
            self.DIALOG_CLASSES = "dialog wide"

    def compose_body(self) -> ComposeResult:
        heading = "Edit your task" if self.editing else "Add a task of your own"
        yield Static(Text(f"{heading}, {self.day_label}", style="bold"))
        yield Label("What")
        yield Input(
            value=self.editing.title if self.editing else "",
            placeholder="e.g. foam roll the glutes",
            max_length=MAX_TITLE,
            id="title",
        )
        yield Label("How much (optional)")
        yield Input(
            value=self.editing.dose if self.editing else "",
            placeholder="e.g. 2 min each side",
            max_length=MAX_NOTE,
            id="dose",
        )
        yield Label("Kind")
        yield Select(
            [(c.value, c) for c in Category],
            value=self.editing.category if self.editing else Category.CUSTOM,
            allow_blank=False,
            id="category",
        )
        if self.span is not None:
            yield from self._compose_repeat(self.span)
        yield Static("", id="task-error", classes="error")

    def _compose_repeat(self, span: Span) -> ComposeResult:
        yield Label("Repeat")
        yield Select(
            [(label, value) for label, value in REPEATS],
            value=ONCE,
            allow_blank=False,
            id="repeat",
        )
        with Vertical(id="repeat-box"):
            with Horizontal(id="weekdays"):
                for number, name in enumerate(WEEKDAYS):
                    box = Checkbox(name.capitalize(), id=f"day-{name}")
                    box.value = number == span.first.weekday()
                    yield box
            yield Label("Until")
            yield Input(
                value=span.last.isoformat(),
                placeholder="e.g. race day, 20 Dec",
                max_length=40,
                id="until",
            )
            yield Static(id="until-echo", classes="hint")

    def buttons(self) -> list[Button]:
        return [Button("Save", variant="primary", id="save"), Button("Cancel", id="cancel")]

    def on_mount(self) -> None:
        self.query_one("#title", Input).focus()
        if self.span is not None:
            self._show_repeat()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "title":
            self.query_one("#dose", Input).focus()
        else:
            self.action_save()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "repeat":
            self._show_repeat()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self._show_repeat()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "until":
            self._show_repeat()

    # ------------------------------------------------------------------ the repeat

    def _repeat(self) -> tuple[Repeat | None, date | None, str | None]:
        """The repeat chosen, its last day, and what is wrong with them (None: nothing)."""
        span = self.span
        choice = self.query_one("#repeat", Select).value
        if span is None or choice == ONCE:
            return None, None, None
        if choice == WEEKLY:
            boxes = [self.query_one(f"#day-{name}", Checkbox) for name in WEEKDAYS]
            days = tuple(n for n, box in enumerate(boxes) if box.value)
            if not days:
                return None, None, "Choose at least one day of the week."
            repeat = Repeat(weekdays=days)
        else:
            repeat = Repeat(EVERY[choice])
        try:
            until = parse_date(self.query_one("#until", Input).value, span.today)
        except DateError as error:
            return repeat, None, f"Until: {error}"
        if until < span.first or until > span.last:
            return (
                repeat,
                until,
                (
                    f"Until: a day from {describe_date(span.first, span.today)} to "
                    f"{describe_date(span.last, span.today)}, the plan's last."
                ),
            )
        if not occurrences(repeat, span.first, until):
            return repeat, until, f"{repeat.words()} falls on no day up to then."
        return repeat, until, None

    def _show_repeat(self) -> None:
        """Show the repeat's fields when it repeats, and what it comes to, or its problem."""
        choice = self.query_one("#repeat", Select).value
        self.query_one("#repeat-box").display = choice != ONCE
        self.query_one("#weekdays").display = choice == WEEKLY
        repeat, until, problem = self._repeat()
        echo = self.query_one("#until-echo", Static)
        if repeat is None or problem is not None:
            echo.update("")
        else:
            days = occurrences(repeat, self.span.first, until)
            last = describe_date(days[-1], self.span.today)
            echo.update(Text(f"{plural(len(days), 'day')}, the last {last}"))

    # ------------------------------------------------------------------ saving

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        """Save the task, or say what is missing and go to it."""
        # Cleaned as the plan will clean it: a title of control characters only is empty.
        title = " ".join(clean_text(self.query_one("#title", Input).value).split())
        error = self.query_one("#task-error", Static)
        if not title:
            error.update("A task needs a title.")
            self.query_one("#title", Input).focus()
            return
        category = self.query_one("#category", Select).value
        dose = self.query_one("#dose", Input).value.strip()
        repeat, until, problem = self._repeat() if self.span is not None else (None, None, None)
        if problem is not None:
            error.update(Text(problem))
            weekly = self.query_one("#repeat", Select).value == WEEKLY
            at = "#until" if problem.startswith("Until") or not weekly else "#day-mon"
            self.query_one(at).focus()
            return
        self.dismiss(TaskEntry(title, Category(category), dose, repeat, until))
