"""The plan switcher: every plan in the plans folder with its dates and progress; open one,
archive a finished one (moved to the archive folder, never deleted), or type a path. A
sync tool's conflict copy of a plan is shown under it as "conflict copy of NAME", never as
a second plan of the same name.

Names, file names, paths and problems are shown as `Text` (an `OptionList` would parse a
`str` as markup), file names and paths cleaned by `shown_path`: a file name can hold an
escape sequence.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from planner import snapshot
from planner.conflicts import details, parse
from planner.dates import race_words, short_date
from planner.model import Plan, clean_line, shown_path
from planner.paths import archive_plan, split_plans
from planner.stats import progress
from planner.store import PlanError, SaveError, load_plan
from planner.tui.dialogs.base import Dialog


class OpenPlanDialog(Dialog[Path | None]):
    """Pick a plan (names shown as text, a damaged file shown as such) or type a path."""

    DIALOG_CLASSES = "dialog wide"
    DIALOG_ID = "switcher"

    BINDINGS = [Binding("A", "archive", "Archive finished plan")]

    def __init__(self, folder: Path, today: date, current: Path | None = None) -> None:
        super().__init__()
        self.folder = folder
        self.today = today
        self.current = current.resolve() if current else None
        self.finished: set[str] = set()
        self.has_copies = False

    def _options(self) -> list[Option]:
        options = []
        self.finished = set()
        plans, copies = split_plans(self.folder)
        self.has_copies = bool(copies)
        for path in plans:
            try:
                plan = load_plan(path)
            except PlanError as error:
                plan = None
                label = Text(f"{shown_path(path.name)}: can't be read", style="bold red")
                label.append(f"\n  {clean_line(error.problem)}", style="dim")
                options.append(Option(label, id=str(path)))
            if plan is not None:
                options.append(Option(self._plan_label(path, plan), id=str(path)))
                if self.today > plan.last_date:
                    self.finished.add(str(path))
            for copy in copies.get(path, []):  # under its plan, never as a plan of its own
                options.append(Option(self._copy_label(copy, plan), id=str(copy)))
        return options

    def _plan_label(self, path: Path, plan: Plan) -> Text:
        overall = progress(plan, self.today).overall
        done = f"{overall.percent}% done" if overall.percent is not None else "not started"
        label = Text(plan.name, style="bold")
        if self.current and path.resolve() == self.current:
            label.append("  (open now)", style="italic")
        label.append(
            f"\n  {short_date(plan.injury_date)} to {short_date(plan.race_date)} "
            f"{plan.race_date.year}, {plan.distance.value} · "
            f"{race_words(plan.race_date, self.today)} · {done} · {shown_path(path.name)}",
            style="dim",
        )
        return label

    def _copy_label(self, copy: Path, plan: Plan | None) -> Text:
        """A sync tool's conflict copy, said to be one: "conflict copy of Bristol Half"."""
        parsed = parse(copy.name)
        of = plan.name if plan is not None else parsed.original if parsed else copy.name
        label = Text("  conflict copy of ", style="italic")
        label.append(clean_line(of), style="bold")
        if self.current and copy.resolve() == self.current:
            label.append("  (open now)", style="italic")
        if parsed is not None:
            label.append(f" · {details(parsed)}")
        label.append(f"\n    {shown_path(copy.name)}", style="dim")
        return label

    def compose_body(self) -> ComposeResult:
        yield Static(Text("Plans", style="bold"))
        yield OptionList(*self._options(), id="plans")
        yield Static(
            "enter opens · A archives a finished plan (moved, never deleted)",
            classes="hint",
        )
        if self.has_copies:
            yield Static(
                "a conflict copy: a sync tool kept two versions of a plan; M on the "
                "plan's screen (or `planner merge PLAN COPY`) joins it into the plan",
                classes="hint",
                markup=False,
            )
        yield Input(placeholder="or type a path to a plan file", id="path")
        yield Static("", id="open-error", classes="error", markup=False)

    def buttons(self) -> list[Button]:
        return [
            Button("Open", variant="primary", id="open"),
            Button("Archive", id="archive"),
            Button("Cancel", id="cancel"),
        ]

    def on_mount(self) -> None:
        self.query_one("#plans", OptionList).focus()

    def _highlighted(self) -> str | None:
        plans = self.query_one("#plans", OptionList)
        if plans.highlighted is None:
            return None
        return plans.get_option_at_index(plans.highlighted).id

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(Path(event.option.id))

    def on_input_changed(self, event: Input.Changed) -> None:
        # A paste can carry an escape sequence, and an Input draws its value as it is.
        if not event.value.isprintable():
            event.input.value = shown_path(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._open()

    @on(Button.Pressed, "#open")
    def _open(self) -> None:
        text = self.query_one("#path", Input).value.strip()
        error = self.query_one("#open-error", Static)
        if not text:
            chosen = self._highlighted()
            if chosen is not None:
                self.dismiss(Path(chosen))
            else:
                error.update("Type a path, or pick a plan above.")
            return
        path = Path(text).expanduser()
        if not path.is_file():
            error.update(Text(f"No file at {shown_path(path)}"))
            return
        self.dismiss(path)

    @on(Button.Pressed, "#archive")
    def action_archive(self) -> None:
        """Move the highlighted plan into the archive, if it is finished and not open."""
        chosen = self._highlighted()
        error = self.query_one("#open-error", Static)
        if chosen is None:
            return
        if self.current and Path(chosen).resolve() == self.current:
            error.update("That plan is open; open another before archiving it.")
            return
        if chosen not in self.finished:
            error.update("Only a finished plan (past its last day) can be archived.")
            return
        try:
            target = archive_plan(Path(chosen), self.folder)
        except (OSError, SaveError) as problem:
            error.update(Text(f"Not archived: {shown_path(problem)}"))
            return
        snapshot.remove(self.app.snapshots, Path(chosen))
        self.notify(f"Archived to {shown_path(target)}", markup=False)
        plans = self.query_one("#plans", OptionList)
        plans.clear_options()
        plans.add_options(self._options())
        error.update("")
