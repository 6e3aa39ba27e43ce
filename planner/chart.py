"""Pain by date as a chart made of text: the same grid for `planner stats --chart` and the
TUI, which styles its pieces by their kind.

Pure: no Textual, no Rich, no clock (`today` is an argument). The chart is laid out as
rows of pieces, each piece a run of text and what it shows (`Piece.kind`): axis, a pain
log, a run's bar, a phase band, today. Joined, the rows read as plain text; the TUI gives
each kind a colour from the theme.

    Pain (0-10), Fri 20 Nov to Thu 3 Dec 2026
       10 ┤
          │
        8 ┤
       ...
        0 ┤
          └─────•────────
           23 Nov   30 Nov
    phase  P──R──B──T─★A──
      run  ▂ █   (20 min)

A day with no pain logged is a gap, never a zero. Runs are the runs done, at the minutes
actually run where the runner gave them.
"""

from __future__ import annotations

import math
import textwrap
from datetime import date, timedelta
from typing import NamedTuple

import msgspec

from planner.model import Day, Phase, Plan

# The phases' letters, as the calendar draws them; race day carries a star.
PHASE_LETTERS = {
    Phase.PROTECT: "P",
    Phase.RECOVER: "R",
    Phase.REBUILD: "B",
    Phase.TAPER: "T",
    Phase.RACE: "★",
    Phase.AFTER: "A",
}
PHASE_NAMES = {
    Phase.PROTECT: "protect",
    Phase.RECOVER: "recover",
    Phase.REBUILD: "rebuild",
    Phase.TAPER: "taper",
    Phase.RACE: "race",
    Phase.AFTER: "after",
}
TOP = 10  # the pain scale, 0-10 (NPRS)
GUTTER = 6  # "   10 ┤": the labels of the rows and the axis
MAX_PER_DAY = 3  # columns a day gets at most: wider, the dots stand too far apart
RUN_ROWS = 2  # the bars of the minutes run: 2 rows of eighth blocks, 16 steps
BLOCKS = " ▁▂▃▄▅▆▇█"
LABEL_GAP = 2  # spaces at least between two date labels
MIN_PLOT = 10  # columns the days get at the least (a narrower chart runs past its width)
RIGHT = len(" amber 3-4") + 1  # the band names on the right of the pain rows
DOT = "●"
TODAY = "▲"  # under the day, on the axis


class Piece(NamedTuple):
    """A run of the chart's text and what it shows, for the TUI to style.

    Kinds: "" (spaces), "axis", "title", "legend", "date", "today", "run",
    "pain-green" / "pain-amber" / "pain-red" (a log, and the scale's labels in its band),
    "phase-<phase>" (the band of a phase: its letter where it starts, then a line).
    """

    text: str
    kind: str = ""


class Chart(msgspec.Struct):
    """The chart as rows of pieces, and how the days were fitted to its width."""

    lines: list[list[Piece]]
    days_per_column: int  # 1, or how many days one column stands for (a long plan)
    columns_per_day: int  # 1-3, or 1 when columns hold several days

    def text(self) -> str:
        """The chart as plain text, a line a row (no trailing spaces)."""
        return "\n".join("".join(piece.text for piece in line).rstrip() for line in self.lines)


class _Column(msgspec.Struct):
    """What one column of the chart shows: the days it stands for, summed up."""

    first: date
    last: date
    pain: int | None  # the highest pain logged on its days, None when none was
    minutes: int  # the minutes run on its days
    phase: Phase
    today: bool


def _day_minutes(day: Day) -> int:
    """The minutes run on a day: its runs done, at the minutes actually run where the runner
    gave them (`Task.run_minutes`). A planned run is not yet run, a skipped one not at all."""
    return sum(t.run_minutes or 0 for t in day.tasks if t.run_done)


def _columns(plan: Plan, today: date, span: int) -> list[_Column]:
    """The plan's days, `span` to a column.

    A column of several days shows the highest pain logged on them (the worst day is the
    one that matters for the pain rules, and a mean would hide a red day), the minutes run
    on them added up, and the phase most of them are in (race day always shows: its star
    stands for the race however many days the column holds).
    """
    columns = []
    days = plan.days
    for start in range(0, len(days), span):
        group = days[start : start + span]
        pains = [d.pain for d in group if d.pain is not None]
        phases = [d.phase for d in group]
        # Else the phase of the most days; on a tie the later one, where the plan is going.
        phase = Phase.RACE if Phase.RACE in phases else max(reversed(phases), key=phases.count)
        columns.append(
            _Column(
                first=group[0].date,
                last=group[-1].date,
                pain=max(pains) if pains else None,
                minutes=sum(_day_minutes(d) for d in group),
                phase=phase,
                today=group[0].date <= today <= group[-1].date,
            )
        )
    return columns


def _fit(days: int, room: int) -> tuple[int, int]:
    """(columns per day, days per column) for `days` days in `room` columns.

    A plan that fits gives each day up to MAX_PER_DAY columns, its marks in the middle one.
    A longer plan (80 columns leave about 50 for the days: a plan of more than 50 days)
    gives each column as many days as it takes to fit, ceil(days / room): a 16-week plan at
    80 columns is 3 days a column, a 2-year plan 15.
    """
    if days <= room:
        return min(MAX_PER_DAY, room // days), 1
    return 1, math.ceil(days / room)


def _label_step(per: int, span: int) -> int:
    """Days between two date labels: a week, or as many weeks as leave room to read them."""
    width = len("30 Nov") + LABEL_GAP
    for weeks in (1, 2, 4, 8, 13, 26, 52):
        if weeks * 7 * per / span >= width:
            return weeks * 7
    return 52 * 7


def _short(when: date) -> str:
    return f"{when:%a} {when.day} {when:%b}"


def _band(score: int, green_max: int, amber_max: int) -> str:
    if score <= green_max:
        return "green"
    return "amber" if score <= amber_max else "red"


def pain_chart(
    plan: Plan,
    today: date,
    width: int,
    *,
    bands: tuple[int, int] | None = None,
    title: bool = True,
) -> Chart:
    """The plan's pain by date on a 0-10 axis, its phases and the minutes run, in `width`
    columns (see the module for how it reads).

    `bands`: the highest green and amber scores (the protocol's, by default), which colour
    the marks and name the bands on the right when there is room. `title`: the first line
    names the dates (a screen that says so elsewhere leaves it out).
    """
    if bands is None:
        from planner.rules import load_rules

        rules = load_rules().pain
        bands = (rules.green_max, rules.amber_max)
    # The band names on the right ("amber 3-4") take RIGHT columns, unless the days need
    # them: fewer than 40 columns left, and fewer than the plan's days.
    right = width - GUTTER - RIGHT >= min(len(plan.days), 40)
    room = max(MIN_PLOT, width - GUTTER - (RIGHT if right else 0))
    per, span = _fit(len(plan.days), room)
    columns = _columns(plan, today, span)
    first, last = plan.first_date, plan.last_date
    lines: list[list[Piece]] = []
    if title:
        since = _short(first) + (f" {first.year}" if first.year != last.year else "")
        words = f"Pain (0-{TOP}), {since} to {_short(last)} {last.year}"
        lines += [[Piece(line, "title")] for line in textwrap.wrap(words, max(1, width))]
    lines += _pain_rows(columns, per, bands, right)
    lines += _axis_rows(columns, per, span, first, last)
    lines.append(_phase_row(columns, per))
    most = max((c.minutes for c in columns), default=0)
    lines += _run_rows(columns, per, most)
    lines.append([])
    lines += _legend(width, span, most)
    return Chart(lines, span, per)


def _cells(columns: list[_Column], per: int, mark) -> list[str]:
    """Each column's `per` cells: `mark(column)` (a character or a space) in the middle one,
    where a day's marks stand."""
    mid = per // 2
    return [" " * mid + mark(column) + " " * (per - mid - 1) for column in columns]


def _pain_rows(
    columns: list[_Column], per: int, bands: tuple[int, int], right: bool
) -> list[list[Piece]]:
    """The pain rows, 10 at the top: a dot where a column's pain is, nothing where none was
    logged; labels on the even scores, the bands named on the right when `right`."""
    green_max, amber_max = bands
    words = {
        "red": f" red {amber_max + 1}+",
        "amber": f" amber {green_max + 1}-{amber_max}",
        "green": f" green 0-{green_max}",
    }
    named = {
        TOP - (TOP - amber_max) // 2: "red",
        (green_max + amber_max + 2) // 2: "amber",
        green_max // 2: "green",
    }
    rows = []
    for score in range(TOP, -1, -1):
        band = _band(score, green_max, amber_max)
        if score % 2 == 0:
            row = [Piece(f"{score:>4} ", f"pain-{band}"), Piece("┤", "axis")]
        else:
            row = [Piece(" " * (GUTTER - 1)), Piece("│", "axis")]
        cells = _cells(columns, per, lambda column, s=score: DOT if column.pain == s else " ")
        row += _runs_of(cells, f"pain-{band}")
        if right and score in named:
            row.append(Piece(words[named[score]], f"pain-{named[score]}"))
        rows.append(row)
    return rows


def _axis_rows(
    columns: list[_Column], per: int, span: int, first: date, last: date
) -> list[list[Piece]]:
    """The axis with today on it, and the dates under it: Mondays, a week or more apart."""
    plot = len(columns) * per
    mid = per // 2
    step = _label_step(per, span)
    monday = first + timedelta(days=-first.weekday() % 7)
    axis = ["─"] * plot
    dates = [" "] * plot
    for offset in range(0, (last - monday).days + 1, step):
        when = monday + timedelta(days=offset)
        x = (when - first).days // span * per + mid
        text = f"{when.day} {when:%b}"
        if x + len(text) <= plot and all(c == " " for c in dates[max(0, x - LABEL_GAP) : x]):
            axis[x] = "┬"
            dates[x : x + len(text)] = text
    row = [Piece(" " * (GUTTER - 1) + "└", "axis")]
    today_x = next((n * per + mid for n, c in enumerate(columns) if c.today), None)
    if today_x is None:
        row.append(Piece("".join(axis), "axis"))
    else:
        row += [
            Piece("".join(axis[:today_x]), "axis"),
            Piece(TODAY, "today"),
            Piece("".join(axis[today_x + 1 :]), "axis"),
        ]
    return [row, [Piece(" " * GUTTER), Piece("".join(dates).rstrip(), "date")]]


def _phase_row(columns: list[_Column], per: int) -> list[Piece]:
    """The phases as bands: a letter where a phase starts, a line while it lasts."""
    row = [Piece("phase ", "axis")]
    before = None
    for column in columns:
        text = (PHASE_LETTERS[column.phase] if column.phase != before else "─") + "─" * (per - 1)
        kind = f"phase-{column.phase.value}"
        if row[-1].kind == kind:
            row[-1] = Piece(row[-1].text + text, kind)
        else:
            row.append(Piece(text, kind))
        before = column.phase
    return row


def _run_rows(columns: list[_Column], per: int, most: int) -> list[list[Piece]]:
    """The minutes run as bars in eighths of a row, the tallest column (`most` minutes) the
    full height; one row saying so when no run was done."""
    if not most:
        return [[Piece("  run ", "axis"), Piece("none done yet", "legend")]]
    steps = RUN_ROWS * 8
    rows = []
    for row in range(RUN_ROWS - 1, -1, -1):

        def bar(column: _Column, row: int = row) -> str:
            # Any minutes run show as at least an eighth: a short run is not "none".
            height = math.ceil(column.minutes * steps / most)
            return BLOCKS[min(8, max(0, height - row * 8))]

        label = "  run " if row == RUN_ROWS - 1 else " " * GUTTER
        rows.append([Piece(label, "axis"), *_runs_of(_cells(columns, per, bar), "run")])
    return rows


def _runs_of(cells: list[str], kind: str) -> list[Piece]:
    """Cells as pieces: the spaces plain, the marks of `kind`, neighbours joined."""
    pieces: list[Piece] = []
    for cell in cells:
        for char in cell:
            this = "" if char == " " else kind
            if pieces and pieces[-1].kind == this:
                pieces[-1] = Piece(pieces[-1].text + char, this)
            else:
                pieces.append(Piece(char, this))
    return pieces


def _legend(width: int, span: int, most: int) -> list[list[Piece]]:
    """What the marks mean, wrapped to `width`: the bars' scale (`most`, the tallest
    column's minutes) and how a column of several days reads."""
    items = [[Piece(DOT, "pain-green"), Piece(" pain logged (a gap: none)", "legend")]]
    if most:
        scale = f" minutes run (the tallest {most} min)"
        items.append([Piece(BLOCKS[-1], "run"), Piece(scale, "legend")])
    items.append([Piece(TODAY, "today"), Piece(" today", "legend")])
    items += [
        [Piece(PHASE_LETTERS[phase], f"phase-{phase.value}"), Piece(f" {name}", "legend")]
        for phase, name in PHASE_NAMES.items()
    ]
    lines: list[list[Piece]] = [[]]
    used = 0
    for item in items:
        size = sum(len(piece.text) for piece in item)
        if used and used + 2 + size > width:
            lines.append([])
            used = 0
        if used:
            lines[-1].append(Piece("  "))
            used += 2
        lines[-1] += item
        used += size
    if span > 1:
        words = f"A column is {span} days: their highest pain, their minutes run added up."
        lines += [[Piece(line, "legend")] for line in textwrap.wrap(words, max(1, width))]
    return lines
