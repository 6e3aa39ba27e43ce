"""Progress: adherence overall, by phase and kind, streaks, and the pain trend as a sparkline."""

from __future__ import annotations

from datetime import date

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Sparkline, Static

from planner.dates import race_words
from planner.model import Plan
from planner.rules import load_rules
from planner.stats import Tally, progress, sparkline, trend_words
from planner.tui.dialogs.base import Dialog
from planner.words import plural


def _percent(tally: Tally) -> str:
    return f"{tally.percent}%" if tally.percent is not None else "-"


class ProgressScreen(Dialog[None]):
    """The numbers of `planner stats`, with the pain log drawn as a sparkline."""

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
        yield Static(
            Text(
                f"Streak: {plural(stats.current_streak, 'day')} now, best {stats.best_streak}. "
                f"Excused skips: {overall.excused} (not counted against you)."
            )
        )
        yield Static(table, id="progress-table")
        yield Static(kinds, id="progress-kinds")
        if pains:
            label = Text(
                f"Pain, {plural(len(pains), 'log')}: {pains[0]} -> {pains[-1]}, "
                f"{trend_words(pains)}",
                style="bold",
            )
            label.append(f"   {sparkline(pains)} on a 0-10 scale", style="dim")
            yield Static(label)
            trend = Sparkline(pains, id="pain-trend")
            # a few columns per log reads as days; the widget scales from low to high
            trend.styles.width = min(72, 4 * len(pains))
            trend.styles.height = 2
            yield trend
        else:
            yield Static("Pain: nothing logged yet (p on the plan screen).", classes="hint")
