"""Progress: the pain chart (pain by date, the phases, the minutes run), then adherence
overall, by phase and by kind, and the streaks.

The chart is drawn with Textual's own parts (`PainChart`, text styled by the theme), not a
plotting library: the grid is the one `planner stats --chart` prints, the theme colours it,
and nothing more loads when the dialog opens.
"""

from __future__ import annotations

from datetime import date

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from planner.dates import race_words, short_date
from planner.model import Plan
from planner.rules import load_rules
from planner.stats import Tally, progress, trend_words
from planner.tui.dialogs.base import Dialog
from planner.tui.widgets.pain_chart import PainChart
from planner.words import plural


def _percent(tally: Tally) -> str:
    return f"{tally.percent}%" if tally.percent is not None else "-"


class ProgressScreen(Dialog[None]):
    """The numbers of `planner stats`, under the pain chart of `planner stats --chart`."""

    DIALOG_CLASSES = "dialog wide"
    DIALOG_ID = "progress"

    BINDINGS = [
        Binding("escape", "cancel", "Close"),
        Binding("P,q", "cancel", "Close", show=False),
    ]

    def __init__(self, plan: Plan, today: date) -> None:
        super().__init__()
        self.plan = plan
        self.today = today
        self.stats = progress(plan, today)

    def compose_body(self) -> ComposeResult:
        stats, rules = self.stats, load_rules()
        overall = stats.overall
        head = Text("Progress: ", style="bold")
        head.append(self.plan.name)
        head.append(f"  ·  {race_words(self.plan.race_date, self.today)}", style="dim")
        table = Table(box=None, show_header=True, padding=(0, 2), header_style="bold")
        table.add_column("")
        table.add_column("done", justify="right")
        table.add_column("", justify="right")
        table.add_row(
            Text("Overall", style="bold"), f"{overall.done}/{overall.due}", _percent(overall)
        )
        for phase, tally in stats.by_phase.items():
            table.add_row(rules.phases[phase].label, f"{tally.done}/{tally.due}", _percent(tally))
        kinds = Table(box=None, show_header=False, padding=(0, 2))
        kinds.add_column()
        kinds.add_column(justify="right")
        for category, tally in sorted(stats.by_category.items()):
            if tally.due:
                kinds.add_row(category, _percent(tally))
        pains = [score for _, score in stats.pain]
        yield Static(head)
        if pains:
            label = Text(
                f"Pain, {plural(len(pains), 'log')}: {pains[0]} -> {pains[-1]}, "
                f"{trend_words(pains)}",
                style="bold",
            )
            label.append(f" · latest {short_date(stats.pain[-1][0])}", style="dim")
            yield Static(label)
        else:
            yield Static("Pain: nothing logged yet (p on the plan screen).", classes="hint")
        # The dialog's head names the plan and the race: the chart's own title would repeat it.
        yield PainChart(self.plan, self.today, title=False, id="pain-chart")
        yield Static(
            Text(
                f"Streak: {plural(stats.current_streak, 'day')} now, best {stats.best_streak}. "
                f"Excused skips: {overall.excused} (not counted against you)."
            ),
            id="progress-streak",
        )
        yield Static(table, id="progress-table")
        yield Static(kinds, id="progress-kinds")
