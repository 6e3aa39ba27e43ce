"""The pain chart (planner.chart) drawn in the theme's colours.

The grid is the core's, the same text `planner stats --chart` prints; this widget only
styles its pieces by kind through component classes, so every Textual theme restyles it
and the app's legibility filter keeps each mark readable on its background. Nothing of
the runner's is drawn as markup: the chart holds only dates, numbers and its own words.
"""

from __future__ import annotations

from datetime import date

from textual.content import Content
from textual.widget import Widget

from planner.chart import Chart, pain_chart
from planner.model import Phase, Plan

KINDS = (
    "title",
    "axis",
    "legend",
    "date",
    "today",
    "run",
    "pain-green",
    "pain-amber",
    "pain-red",
    *(f"phase-{phase.value}" for phase in Phase),
)


class PainChart(Widget):
    """Pain by date on a 0-10 axis, the phases as bands and the minutes run as bars,
    laid out for the widget's width."""

    # The phase bands are the calendar's colours, so a phase reads the same in both.
    DEFAULT_CSS = """
    PainChart { height: auto; width: 1fr; margin: 0 0 1 0; }
    PainChart > .pain-chart--title { text-style: bold; }
    PainChart > .pain-chart--axis { color: $text-muted; }
    PainChart > .pain-chart--legend { color: $text-muted; }
    PainChart > .pain-chart--date { color: $text-muted; }
    PainChart > .pain-chart--today { color: $text-accent; text-style: bold; }
    PainChart > .pain-chart--run { color: $text-primary; }
    PainChart > .pain-chart--pain-green { color: $text-success; text-style: bold; }
    PainChart > .pain-chart--pain-amber { color: $text-warning; text-style: bold; }
    PainChart > .pain-chart--pain-red { color: $text-error; text-style: bold; }
    PainChart > .pain-chart--phase-protect { background: $error 35%; }
    PainChart > .pain-chart--phase-recover { background: $warning 30%; }
    PainChart > .pain-chart--phase-rebuild { background: $primary 25%; }
    PainChart > .pain-chart--phase-taper { background: $primary 55%; }
    PainChart > .pain-chart--phase-race { background: $success 65%; text-style: bold; }
    PainChart > .pain-chart--phase-after { background: $foreground 12%; }
    """

    COMPONENT_CLASSES = {f"pain-chart--{kind}" for kind in KINDS}

    def __init__(self, plan: Plan, today: date, *, title: bool = True, **kwargs) -> None:
        super().__init__(**kwargs)
        self.plan = plan
        self.today = today
        self.title = title
        self._laid_out: tuple[int, Chart] | None = None

    def chart(self, width: int) -> Chart:
        """The chart laid out for `width` columns (kept until the width changes)."""
        if self._laid_out is None or self._laid_out[0] != width:
            chart = pain_chart(self.plan, self.today, max(1, width), title=self.title)
            self._laid_out = (width, chart)
        return self._laid_out[1]

    def show(self, plan: Plan, today: date) -> None:
        """Draw another plan (or the same one changed, or another today)."""
        self.plan, self.today, self._laid_out = plan, today, None
        self.refresh(layout=True)

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self.chart(width).lines)

    def render(self) -> Content:
        rows = [
            Content.assemble(
                *[(p.text, f".pain-chart--{p.kind}") if p.kind else p.text for p in line]
            )
            for line in self.chart(self.content_size.width).lines
        ]
        return Content("\n").join(rows)
