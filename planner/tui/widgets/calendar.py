"""A month calendar of the plan: phase colours, today, race day, and how much each day is done.

One widget draws the whole month as text (cheaper than 42 child widgets on every key);
its colours come from component classes, so Textual themes restyle it. Arrow keys and
hjkl move the selected day, a click selects the day under the pointer. `w` turns it into
the week at a glance: a row a day with its key session, then the week's runs and strength
days (planner.week), in the same colours.
"""

from __future__ import annotations

import textwrap
from datetime import date, timedelta

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget

from planner.model import Phase, Plan
from planner.tui.keys import bindings
from planner.tui.messages import DaySelected
from planner.week import Week, WeekDay, week_of

PHASE_LABELS = {
    Phase.PROTECT: "Protect",
    Phase.RECOVER: "Recover",
    Phase.REBUILD: "Rebuild",
    Phase.TAPER: "Taper",
    Phase.RACE: "Race",
    Phase.AFTER: "After",
}
# Each phase's letter, drawn in its days and its legend swatch: the phases still tell
# apart without colour (NO_COLOR, a monochrome terminal, colour blindness). Race day
# carries its star instead.
PHASE_LETTERS = {
    Phase.PROTECT: "P",
    Phase.RECOVER: "R",
    Phase.REBUILD: "B",
    Phase.TAPER: "T",
    Phase.RACE: "",
    Phase.AFTER: "A",
}
Piece = tuple[str, Style | None]  # a run of a cell's text and its style
WEEK_ROWS = 6  # always six week rows, so the layout never jumps between months
HEADER_ROWS = 2  # the month title and the weekday names
NOTES_FROM = 30  # screen rows needed to show the phase notes under the legend
WEEK_TITLE_ROWS = 2  # the week view's title and a blank line under it
WEEK_SUM_ROWS = 3  # a blank line, the week's runs, its strength days


# Monday first, as the grid; not the `calendar` module's names: it costs the first frame
# an import for seven words.
WEEKDAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")


def month_start(day: date) -> date:
    """The first of `day`'s month."""
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    following = date(year + (month == 11), (month + 1) % 12 + 1, 1)
    last = (following - timedelta(days=1)).day
    return date(year, month + 1, min(day.day, last))


class MonthCalendar(Widget, can_focus=True):
    """The month around the selected day, drawn from the plan."""

    DEFAULT_CSS = """
    MonthCalendar {
        height: auto;
        width: 1fr;
        min-width: 42;
        padding: 0 0;
    }
    MonthCalendar > .calendar--title { text-style: bold; }
    MonthCalendar:focus > .calendar--title {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
    }
    MonthCalendar > .calendar--weekday { color: $text-muted; }
    MonthCalendar > .calendar--outside { color: $text-disabled; }
    MonthCalendar > .calendar--protect { background: $error 35%; }
    MonthCalendar > .calendar--recover { background: $warning 30%; }
    MonthCalendar > .calendar--rebuild { background: $primary 25%; }
    MonthCalendar > .calendar--taper { background: $primary 55%; }
    MonthCalendar > .calendar--race { background: $success 65%; text-style: bold; }
    MonthCalendar > .calendar--after { background: $foreground 12%; }
    MonthCalendar > .calendar--today { text-style: bold underline; }
    MonthCalendar > .calendar--selected { background: $foreground 80%; color: $background; }
    MonthCalendar:focus > .calendar--selected {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
    }
    MonthCalendar > .calendar--complete { color: $text-success; text-style: bold; }
    MonthCalendar > .calendar--missed { color: $text-error; text-style: bold; }
    MonthCalendar > .calendar--future { color: $text-muted; }
    MonthCalendar > .calendar--before { color: $text-muted; }
    MonthCalendar > .calendar--notes { color: $text-muted; }
    """

    COMPONENT_CLASSES = {
        "calendar--title",
        "calendar--weekday",
        "calendar--outside",
        *(f"calendar--{phase.value}" for phase in Phase),
        "calendar--today",
        "calendar--selected",
        "calendar--complete",
        "calendar--missed",
        "calendar--future",
        "calendar--before",
        "calendar--notes",
    }

    BINDINGS = [
        *bindings("calendar"),
        Binding("left,h", "move(-1)", "Day before", show=False),
        Binding("right,l", "move(1)", "Day after", show=False),
        Binding("up,k", "move_row(-1)", "Row above", show=False),
        Binding("down,j", "move_row(1)", "Row below", show=False),
    ]

    def __init__(self, plan: Plan, today: date, selected: date, **kwargs) -> None:
        super().__init__(**kwargs)
        self.plan = plan
        self.today = today
        self.selected = self.clamp(selected)
        self._style_memo: dict[str, Style] = {}
        self._start = plan.start_date  # the plan's first planned day, read once a drawing
        self.notes: tuple[str, str, str] = ("", "", "")  # phase label, about it, landmarks
        self._strips: list[Strip] = []  # the month as last drawn, a strip a line
        self.weekly = False  # the week at a glance instead of the month (`w`)

    # ---------------------------------------------------------------- selection

    def clamp(self, day: date) -> date:
        """The nearest date inside the plan."""
        return min(max(day, self.plan.first_date), self.plan.last_date)

    def select(self, day: date) -> None:
        """Select a day (clamped to the plan) and tell the screen."""
        day = self.clamp(day)
        if day != self.selected:
            self.selected = day
            self.refresh(layout=False)
        self.post_message(DaySelected(day))

    def set_plan(self, plan: Plan) -> None:
        """Show a new version of the plan (after a tick, a reload)."""
        self.plan = plan
        self.selected = self.clamp(self.selected)
        self.refresh()

    def action_move(self, days: int) -> None:
        """Move the selection by a number of days."""
        self.select(self.selected + timedelta(days=days))

    def action_move_row(self, rows: int) -> None:
        """Up or down a row: a week in the month, a day in the week view."""
        self.action_move(rows if self.weekly else 7 * rows)

    def show_week(self, weekly: bool) -> None:
        """Show the week at a glance (True) or the month (False)."""
        if weekly != self.weekly:
            self.weekly = weekly
            self.refresh(layout=True)

    def week(self) -> Week:
        """The selected day's week, Monday to Sunday (only the plan's days in it)."""
        return week_of(self.plan, self.selected, PHASE_LABELS)

    def first_shown(self) -> date:
        """The Monday the six weeks start on: the selected month's first week, or the
        injury's week when that comes later (no rows spent on weeks before the plan)."""
        first = month_start(self.selected)
        start = first - timedelta(days=first.weekday())
        injury = self.plan.first_date
        return max(start, injury - timedelta(days=injury.weekday()))

    def weeks(self) -> list[list[date]]:
        """Six weeks, Monday first, from `first_shown`."""
        start = self.first_shown()
        return [[start + timedelta(days=7 * w + d) for d in range(7)] for w in range(WEEK_ROWS)]

    def shows(self, day: date) -> bool:
        """Whether `day` is drawn: the selected month's days, and every day of the six
        weeks when they start at the injury's week (they run on into the next month)."""
        if day.month == self.selected.month and day.year == self.selected.year:
            return True
        first = month_start(self.selected)
        return self.first_shown() > first - timedelta(days=first.weekday()) and day > first

    def title(self) -> str:
        """The month, or both months when the weeks run on into the next one."""
        last = self.weeks()[-1][-1]
        if self.shows(last) and last.month != self.selected.month:
            if last.year != self.selected.year:
                return f"{self.selected:%B %Y} – {last:%B %Y}"
            return f"{self.selected:%B} – {last:%B %Y}"
        return f"{self.selected:%B %Y}"

    def cell_lines(self) -> int:
        """Two lines a day; three (with the day's pain) when the screen is tall enough."""
        return 3 if self.screen.size.height >= 36 else 2

    def body_rows(self) -> int:
        """The rows above the legend: the month's title, weekdays and six weeks, or the
        week's title, two rows a day and the week's sums."""
        if self.weekly:
            return WEEK_TITLE_ROWS + 2 * len(self.week().days) + WEEK_SUM_ROWS
        return HEADER_ROWS + WEEK_ROWS * self.cell_lines()

    def cell_width(self, width: int | None = None) -> int:
        """Cells grow with the room the widget has (or `width`), from 6 to 10 columns."""
        return max(6, min(10, (self.size.width if width is None else width) // 7))

    def show_notes(self, label: str, about: str, landmarks: str) -> None:
        """Explain the selected day's phase under the legend, and the plan's landmarks."""
        if (label, about, landmarks) != self.notes:
            self.notes = (label, about, landmarks)
            self.refresh(layout=True)

    def _notes_lines(self, width: int) -> list[str]:
        """The notes wrapped to `width` (none on a short screen or before there are any)."""
        label, about, landmarks = self.notes
        if not label or self.screen.size.height < NOTES_FROM:
            return []
        lines = textwrap.wrap(f"{label}: {about}", max(1, width - 1))
        return ["", *lines, *textwrap.wrap(landmarks, max(1, width - 1))]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """The month's height at `width`, counted without drawing it."""
        if self.weekly and self.screen.size.height < NOTES_FROM:
            return self.body_rows()  # no legend: see month_lines
        legend = _legend_rows(self.cell_width(width) * 7)
        notes = self._notes_lines(width)
        return self.body_rows() + 1 + len(legend) + len(notes)

    def date_at(self, x: int, y: int) -> date | None:
        """The date drawn at a point of the widget, or None."""
        if self.weekly:  # either of a day's two rows, anywhere across
            row = y - WEEK_TITLE_ROWS
            days = self.week().days
            return days[row // 2].date if 0 <= row < 2 * len(days) else None
        row = y - HEADER_ROWS
        lines = self.cell_lines()
        if row < 0 or row >= WEEK_ROWS * lines:
            return None
        column = x // self.cell_width()
        if not 0 <= column < 7:
            return None
        return self.weeks()[row // lines][column]

    def on_click(self, event: events.Click) -> None:
        """Select the clicked day, when it is inside the plan and this month (or week)."""
        offset = event.get_content_offset(self)  # the month starts inside the padding
        day = self.date_at(offset.x, offset.y) if offset is not None else None
        if day is not None and (self.weekly or self.shows(day)) and self.plan.day(day):
            self.select(day)

    # ---------------------------------------------------------------- drawing

    def _style(self, name: str) -> Style:
        """A component's whole style (theme colours blended over the background)."""
        style = self._style_memo.get(name)
        if style is None:
            style = self._style_memo[name] = self.get_component_rich_style(name)
        return style

    def _mark(self, name: str) -> Style:
        """Only a component's text colour and emphasis, to lay over a phase's background."""
        key = "mark:" + name
        mark = self._style_memo.get(key)
        if mark is None:
            style = self._style(name)
            mark = Style(color=style.color, bold=style.bold, underline=style.underline)
            self._style_memo[key] = mark
        return mark

    def _cell(self, day: date, width: int) -> tuple[Piece, Piece, Piece]:
        """One day's cell: the date with marks and its phase's letter, its progress, and
        its pain if logged."""
        blank = (" " * width, None)
        if not self.shows(day):
            return blank, blank, blank
        plan_day = self.plan.day(day)
        mark = "★" if day == self.plan.race_date else ("•" if day == self.today else " ")
        if plan_day is None:
            return (
                (f"{day.day:>3}{mark}".ljust(width), self._style("calendar--outside")),
                blank,
                blank,
            )
        letter = PHASE_LETTERS[plan_day.phase]
        number = f"{day.day:>3}{mark} {letter}".ljust(width)
        selected = day == self.selected
        phase = f"calendar--{plan_day.phase.value}"
        base = self._style("calendar--selected" if selected else phase)
        top_style = base
        if day == self.today:
            top_style = base + self._today
        done = sum(t.done or t.skip is not None for t in plan_day.tasks)  # excused counts
        status, progress = self._progress(day, done, len(plan_day.tasks))
        bottom_style = base + self._mark(status) if status and not selected else base
        pain = (
            f" pain {plan_day.pain}"
            if plan_day.pain is not None and width >= 7
            else (f" p{plan_day.pain}" if plan_day.pain is not None else "")
        )
        return (
            (number, top_style),
            (f" {progress}".ljust(width)[:width], bottom_style),
            (pain.ljust(width)[:width], base),
        )

    _today = Style(bold=True, underline=True)

    def _progress(self, day: date, done: int, total: int) -> tuple[str | None, str]:
        """A day's progress mark ("✓5/5", "✗0/4", "–" before the plan) and the component
        class that colours it (None: the phase's own)."""
        if total and done == total:
            return "calendar--complete", f"✓{done}/{total}"
        if day < self._start and not done:
            return "calendar--before", "–"  # not planned yet: nothing missed
        if day < self.today and done == 0 and total:
            return "calendar--missed", f"✗{done}/{total}"
        if day > self.today:
            return "calendar--future", f"{done}/{total}"
        return None, f"{done}/{total}"

    def month_lines(self) -> list[list[Piece]]:
        """The month as lines of styled pieces: title, weekdays, six weeks, a legend."""
        self._style_memo: dict[str, Style] = {}  # looked up once a drawing, not once a cell
        self._start = self.plan.start_date  # the same: it asks the local time zone
        width = self.cell_width()
        full = width * 7
        lines = self.week_lines(full) if self.weekly else self.grid_lines(width)
        if self.weekly and self.screen.size.height < NOTES_FROM:
            return lines  # a short screen: the week's rows first (the month has the legend)
        lines.append([])
        lines += self._legend(full)
        notes = self._notes_lines(self.size.width)
        if notes:
            label = len(self.notes[0]) + 1  # the label (and its colon) in bold
            muted = self._style("calendar--notes")
            lines.append([])
            lines.append([(notes[1][:label], muted + _BOLD), (notes[1][label:], muted)])
            lines += [[(line, muted)] for line in notes[2:]]
        return lines

    def grid_lines(self, width: int) -> list[list[Piece]]:
        """The month: its title, the weekdays, six weeks of cells `width` wide."""
        full = width * 7
        lines: list[list[Piece]] = [
            [(self.title().center(full), self._style("calendar--title"))],
            [
                (
                    "".join(name.rjust(3).ljust(width) for name in WEEKDAYS),
                    self._style("calendar--weekday"),
                )
            ],
        ]
        rows = self.cell_lines()
        for week in self.weeks():
            week_lines: list[list[Piece]] = [[] for _ in range(rows)]
            for day in week:
                for line, piece in zip(week_lines, self._cell(day, width), strict=False):
                    line.append(piece)
            lines += week_lines
        return lines

    def week_lines(self, full: int) -> list[list[Piece]]:
        """The week at a glance, `full` columns wide: its title, two rows a day (the date
        in its phase's colour and the key session; then how much is done, the runs and
        the pain), and the week's runs and strength days."""
        week = self.week()
        sunday = week.monday + timedelta(days=6)
        title = f"Week of {week.monday:%a} {week.monday.day} {week.monday:%b}"
        title += f" – {sunday:%a} {sunday.day} {sunday:%b %Y}"
        lines: list[list[Piece]] = [[(title.center(full), self._style("calendar--title"))], []]
        for day in week.days:
            lines += self._week_rows(day, full)
        lines.append([])
        long_run = week.long_run
        if long_run is None:
            runs = "Runs: none this week"
        else:
            runs = f"Runs: {week.runs}, {week.run_minutes} min"
            runs += f" · longest {long_run.date:%a} {long_run.run_minutes} min"
        strength = f"Strength: {week.strength_days} {'day' if week.strength_days == 1 else 'days'}"
        muted = self._style("calendar--notes")
        lines.append([(runs[:full], muted)])
        lines.append([(strength[:full], muted)])
        return lines

    def _week_rows(self, day: WeekDay, full: int) -> list[list[Piece]]:
        """A day of the week view: its date (phase colour, today and race marks, the
        phase's letter), its key session; under it its progress, run and pain."""
        mark = "★" if day.date == self.plan.race_date else ("•" if day.date == self.today else " ")
        stamp = f" {day.date:%a} {day.date.day:>2}{mark} {PHASE_LETTERS[day.phase] or ' '} "
        selected = day.date == self.selected
        base = self._style("calendar--selected" if selected else f"calendar--{day.phase.value}")
        if day.date == self.today:
            base = base + self._today
        what = f" {day.what}"
        room = max(0, full - len(stamp))
        if cell_len(what) > room:  # cut at the room left, marked, never wrapped
            what = set_cell_size(what, max(0, room - 1)) + "…"
        status, progress = self._progress(day.date, day.done, day.total)
        details = []
        if day.run_minutes:
            details.append(f"run {day.run_minutes} min")
        if day.pain is not None:
            details.append(f"pain {day.pain}")
        pad = " " * len(stamp)
        second: list[Piece] = [
            (pad, None),
            (f" {progress}", self._mark(status) if status else None),
        ]
        if details:
            room = max(0, full - len(stamp) - len(progress) - 1)
            second.append((f" · {' · '.join(details)}"[:room], None))
        return [[(stamp, base), (what, base if selected else None)], second]

    def render_lines(self, crop: Region) -> list[Strip]:
        # Drawn straight to strips from (text, style) pieces, not through a Rich Text that
        # Textual then wraps, measures and splits (bench/README.md, "Drawing"): the month
        # is drawn on every move of the selection.
        base = self.rich_style
        width = self.size.width
        self._strips = [
            Strip(
                [Segment(text, base + style if style else base) for text, style in line]
            ).extend_cell_length(width, base)
            for line in self.month_lines()
        ]
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        if y < len(self._strips):
            return self._strips[y]
        return Strip.blank(self.size.width, self.rich_style)

    def _legend(self, width: int) -> list[list[Piece]]:
        """Phase swatches, then the marks, wrapped to the calendar's width."""
        items: list[list[Piece]] = [
            [
                (f" {PHASE_LETTERS[phase] or '★'}", self._style(f"calendar--{phase.value}")),
                (f" {label}", None),
            ]
            for phase, label in PHASE_LABELS.items()
        ]
        items += [[(mark, None)] for mark in LEGEND_MARKS]
        lines: list[list[Piece]] = []
        for row in _legend_rows(width):
            line: list[Piece] = []
            for position, index in enumerate(row):
                if position:
                    line.append(("  ", None))
                line += items[index]
            lines.append(line)
        return lines


_BOLD = Style(bold=True)
LEGEND_MARKS = ("• today", "★ race", "✓ all done", "✗ missed", "– before the plan")


def _legend_rows(width: int) -> list[list[int]]:
    """Which legend items go on which line: as many as fit, two spaces apart."""
    sizes = [2 + 1 + cell_len(label) for label in PHASE_LABELS.values()]
    sizes += [cell_len(mark) for mark in LEGEND_MARKS]
    rows: list[list[int]] = [[]]
    used = 0
    for index, size in enumerate(sizes):
        if used and used + 2 + size > width:
            rows.append([])
            used = 0
        used += (2 if used else 0) + size
        rows[-1].append(index)
    return rows
