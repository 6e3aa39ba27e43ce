"""The plan screen: header, month calendar, the selected day's checklist, pain, saving.

Every tick and pain entry goes through the session, which saves at once; the header
says when it was saved, and a banner stays while a save is failing. The file is watched:
when another program changes it, the screen reloads and keeps both sides' ticks.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from planner.advice import clinician_warning, decide
from planner.dates import long_date, race_words, short_date
from planner.model import PROTOCOL, Category, clean_line, shown_path
from planner.ops import OpError, SkipTask
from planner.paths import exports_dir
from planner.rules import load_rules
from planner.service import ChangeRefused, PlanSession
from planner.store import PlanError, SaveError, ensure_private_dir
from planner.tui.messages import DaySelected, TaskHighlighted, TaskToggled

if TYPE_CHECKING:  # dialogs load when first opened, not before the first frame
    from planner.tui.dialogs.export import ExportRequest
    from planner.tui.dialogs.gate import GateEntry
    from planner.tui.dialogs.pain import PainEntry
    from planner.tui.dialogs.task_form import TaskEntry
from planner.tui.keys import IN_CONTEXT, bindings
from planner.tui.widgets.calendar import PHASE_LABELS, MonthCalendar, add_months
from planner.tui.widgets.checklist import DayChecklist
from planner.tui.widgets.header_bar import HeaderBar
from planner.week import tomorrow_line
from planner.words import plural

POLL_SECONDS = 1.0
COMPACT_BELOW = 100  # narrower than this, only the highlighted task shows its dose
WIDE_FROM = 160  # this wide or wider, the coming days get a column of their own
COMING_DAYS = 6
RETRY_SECONDS = 5.0
# The banners under the header, top to bottom. Each is mounted the first time it has
# something to say: most days show none, and a hidden widget costs the first frame as
# much to set up as a shown one (bench/README.md, Startup).
BANNERS = ("warning", "protocol-notice", "clinician", "decision-line", "save-banner")


class PlanScreen(Screen):
    """One plan, lived in day by day."""

    # Focus lands on the checklist directly: every focus change refreshes the key bar.
    AUTO_FOCUS = "#checklist"

    _side_chart = None  # the pain chart beside the calendar, once a wide screen mounted it
    # The conflict copies of the plan offered for merging in this run (each once).
    merge_offered: frozenset[Path] = frozenset()

    # The keys and what they say come from planner.tui.keys (the footer, help and the
    # palette are built from the same table); moving and the number keys are added here.
    BINDINGS = [
        *bindings("screen"),
        Binding("left,h", "move(-1)", "Day before", show=False),
        Binding("right,l", "move(1)", "Day after", show=False),
        Binding("space", "tick", "Tick", show=False),  # the checklist's, when it lacks focus
        *[Binding(str(n), f"tick_number({n})", f"Tick {n}", show=False) for n in range(1, 10)],
    ]

    def __init__(self, session: PlanSession) -> None:
        super().__init__()
        self.session = session
        self.disk_problem: str | None = None
        self.gone = False  # the file was moved or archived elsewhere: nothing more is saved
        self.stale_day = False  # midnight passed while another screen was on top
        self.banners: dict[str, Static] = {}  # those mounted so far, by id (BANNERS)
        # The wide screen's third column and its days, once a wide screen mounted them.
        self.coming: VerticalScroll | None = None
        self.coming_days: Static | None = None
        self.selected = session.plan.day(session.today) and session.today
        if not self.selected:
            plan = session.plan
            self.selected = min(max(session.today, plan.first_date), plan.last_date)

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        plan = self.session.plan
        # No containers (app.tcss): the header, then the banners when they show, are split
        # off the top, the footer off the bottom, then the calendar off the left; the
        # day's title, tasks and pain stack in what is left. On a wide screen only,
        # on_resize splits a third column off the right: the pain chart (mounted when first
        # shown) over the coming days.
        yield HeaderBar(id="plan-header")
        yield Footer()  # before the calendar: it takes the whole bottom line
        yield MonthCalendar(plan, self.session.today, self.selected, id="calendar")
        yield Static(id="day-title")
        yield DayChecklist(id="checklist")
        yield Static(id="pain")

    def show_banner(self, name: str, text: Text | None) -> None:
        """Show the banner `name` (one of BANNERS) saying `text`, or hide it (None). It is
        mounted in its place the first time it shows."""
        banner = self.banners.get(name)
        if text is None:
            if banner is not None:
                banner.display = False
            return
        if banner is not None:
            banner.update(text)
            banner.display = True
            return
        banner = self.banners[name] = Static(text, id=name, classes="banner")
        below = [self.banners[n] for n in BANNERS[BANNERS.index(name) + 1 :] if n in self.banners]
        self.mount(banner, before=below[0] if below else self.calendar)

    def banner_shown(self, name: str) -> bool:
        """Whether the banner `name` is on screen."""
        banner = self.banners.get(name)
        return banner is not None and banner.display

    def on_mount(self) -> None:
        self.render_all()
        self.timers = [
            self.set_interval(POLL_SECONDS, self.poll_file),
            self.set_interval(RETRY_SECONDS, self.retry_if_failing),
        ]

    def on_screen_suspend(self) -> None:
        # Another plan's screen may sit on top for a long time: stop watching this file.
        for timer in self.timers:
            timer.pause()

    def on_screen_resume(self) -> None:
        for timer in getattr(self, "timers", []):
            timer.resume()
        if self.stale_day:
            self.new_day(self.session.today)

    def new_day(self, today) -> None:
        """The clock passed midnight: today moves, and so does the selection if it was on
        the old today."""
        self.stale_day = False
        old = self.calendar.today
        self.session.today = today
        self.calendar.today = today
        if self.calendar.selected == old and self.session.plan.day(today) is not None:
            self.calendar.select(today)
        self.selected = self.calendar.selected
        self.render_all()

    # ------------------------------------------------------------------ drawing

    @property
    def calendar(self) -> MonthCalendar:
        return self.query_one(MonthCalendar)

    @property
    def checklist(self) -> DayChecklist:
        return self.query_one(DayChecklist)

    def render_all(self) -> None:
        """Redraw everything from the session's plan."""
        self.render_header()
        self.calendar.set_plan(self.session.plan)
        self.render_day()
        self.render_save_state()
        if self._side_chart is not None:
            self.render_side_chart(redraw=True)

    def render_header(self) -> None:
        plan, today = self.session.plan, self.session.today
        header = Text(plan.name, style="bold")
        day = plan.day(today)
        number = (today - plan.injury_date).days
        parts = [
            "injury day" if number == 0 else f"day {number} since injury",
            race_words(plan.race_date, today),
        ]
        if day is not None:
            parts.append(PHASE_LABELS[day.phase])
        elif today > plan.last_date:
            parts.append("plan finished")
        for part in parts:
            header.append(" · ", style="dim")
            header.append(part)
        self.query_one(HeaderBar).show_title(header)
        warning = Text("! " + plan.warning) if plan.warning else None
        if plan.read_only:
            warning = Text("Read-only: this plan was written by a newer version of the app.")
        self.show_banner("warning", warning)
        older = self.check_action("replan_protocol", ()) is True
        changed = self.banner_shown("protocol-notice") != older  # a re-plan, an undo...
        notice = (
            f"Laid out by protocol {plan.protocol} — press R to re-plan the coming days by "
            f"protocol {PROTOCOL}"
        )
        self.show_banner("protocol-notice", Text(notice) if older else None)
        if changed:
            self.refresh_bindings()  # `R` comes and goes with the notice
        message = clinician_warning(plan, today)
        self.show_banner("clinician", None if message is None else Text("!! " + message))
        text = None
        if plan.race_date - timedelta(days=1) <= today <= plan.race_date:
            from planner.tui.dialogs.decision import decision_text

            text = decision_text(decide(plan, today), full=False)
            text.append("   (D: why)", style="dim")
        self.show_banner("decision-line", text)

    def render_day(self) -> None:
        """The selected day's title, tasks, the highlighted task's why, and its pain."""
        plan = self.session.plan
        day = plan.day(self.selected)
        if day is None:
            return
        self.render_day_title(day)
        self.render_phase_notes(day.phase)
        self.checklist.show_day(day)
        self.render_coming_days()
        pain = Text("Pain: ", style="bold")
        if day.pain is None:
            pain.append("not logged  ·  p to log", style="dim")
        else:
            pain.append(f"{day.pain}/10")
            if day.at_rest:
                pain.append(" at rest", style="bold")
            if day.note:
                pain.append(f"  ·  {day.note}")
        if day.gate is not None:
            verdict = "passed" if day.gate.passed else "not passed"
            pain.append(f"   Run gate: {verdict}", style="bold")
        tomorrow = tomorrow_line(plan, day.date, PHASE_LABELS, names=1)  # a narrow column
        if tomorrow is not None:  # Text, not markup: the key session can be the runner's own
            pain.append("\n" + tomorrow, style="dim")
        self.query_one("#pain", Static).update(pain)

    def render_coming_days(self) -> None:
        """On a wide screen, the pain chart, then the days after the selected one: what is
        coming, at a glance."""
        coming = self.coming
        if coming is None or not coming.display:
            return
        self.app.after_first_frame(self.render_side_chart)  # the chart isn't the first frame's
        plan, rules = self.session.plan, load_rules()
        text = Text("Coming days", style="bold")
        for offset in range(1, COMING_DAYS + 1):
            day = plan.day(self.selected + timedelta(days=offset))
            if day is None:
                break
            text.append(f"\n\n{long_date(day.date)}", style="bold")
            text.append(f" · {rules.phases[day.phase].label}")
            for task in day.tasks:  # Text, not markup: titles can be the runner's own
                mark = "x" if task.done else ("-" if task.skip is not None else " ")
                text.append(f"\n[{mark}] {task.title}")
        if len(text.plain) == len("Coming days"):
            text.append("\n\nThe plan ends with the selected day.")
        self.coming_days.update(text)

    def render_side_chart(self, redraw: bool = False) -> None:
        """The pain chart at the head of the wide screen's third column, mounted the first
        time it is shown and redrawn after a change of the plan (`redraw`, from
        after_change: a tick or a log can change the plan in place) or of today, not on
        each move of the selection: the chart is the plan's, not the selected day's."""
        from planner.tui.widgets.pain_chart import PainChart  # loads only on a wide screen

        plan, today = self.session.plan, self.session.today
        chart = self._side_chart
        if chart is None:
            self._side_chart = PainChart(plan, today, id="side-chart")
            self.coming.mount(self._side_chart, before=0)
        elif redraw or chart.plan is not plan or chart.today != today:
            chart.show(plan, today)

    def render_day_title(self, day) -> None:
        """'Tue 24 Nov 2026 (today) · day 4 · Recover · 2/5 done'."""
        rules = load_rules()
        done = sum(t.done or t.skip is not None for t in day.tasks)
        number = (day.date - self.session.plan.injury_date).days
        title = Text(long_date(day.date), style="bold")
        if day.date == self.session.today:
            title.append(" (today)", style="bold")
        title.append(f" · day {number} · {rules.phases[day.phase].label}")
        title.append(f" · {done}/{len(day.tasks)} done", style="bold" if done else "")
        self.query_one("#day-title", Static).update(title)

    def render_phase_notes(self, phase) -> None:
        """The selected day's phase explained, and the plan's landmarks (under the month)."""
        plan, rules = self.session.plan, load_rules()
        gate = next((d.date for d in plan.days if d.task("gate")), None)
        marks = [("run gate", gate), ("race", plan.race_date)]
        landmarks = " · ".join(f"{name} {short_date(when)}" for name, when in marks if when)
        self.calendar.show_notes(rules.phases[phase].label, rules.phases[phase].about, landmarks)

    def on_resize(self, event: events.Resize) -> None:
        # Short screens keep the calendar and the checklist; the phase notes go first
        # (the calendar leaves them out below NOTES_FROM rows).
        compact = event.size.width < COMPACT_BELOW
        wide = event.size.width >= WIDE_FROM
        coming = self.coming
        if wide and coming is None:
            self.coming_days = Static(id="coming-days")
            coming = self.coming = VerticalScroll(self.coming_days, id="coming")
            coming.display = False  # shown below, with its days
            self.mount(coming, after=self.calendar)
        shown = coming is not None and coming.display
        if compact != self.checklist.titles_only or wide != shown:
            self.checklist.titles_only = compact
            if coming is not None:
                coming.display = wide
            self.set_class(wide, "-wide")  # the calendar gives the third column its share
            self.render_day()

    def render_save_state(self) -> None:
        header = self.query_one(HeaderBar)
        error = self.session.save_error
        failing = error is not None
        if failing != getattr(self, "_failing", False):
            self._failing = failing
            self.refresh_bindings()  # `s Retry save` comes and goes in the key bar
        calendar = self.session.calendar_error  # the plan saved, its calendar file not
        banner: Text | None = None
        if self.gone:  # a retry can't help: say where the plan went instead
            banner = Text("Careful: " + (self.disk_problem or ""))
            if self.session.unsaved:
                header.show_status(Text("● not saved"), saved=False)
        elif error is not None:
            banner = Text("Not saved: ", style="bold")
            banner.append(error)
            banner.append("  Your changes are kept here; press s to retry.")
            header.show_status(Text("● not saved"), saved=False)
        elif self.disk_problem is not None:
            banner = Text("Careful: " + self.disk_problem)
        elif self.session.saved_at is not None:
            header.show_status(Text(f"✓ saved {self.session.saved_at.astimezone():%H:%M:%S}"))
            if calendar:
                banner = Text(f"Saved, but {calendar}.")
        else:
            header.show_status(Text("✓ up to date", style="dim"))
        shown = error is not None or self.disk_problem is not None or bool(calendar)
        self.show_banner("save-banner", banner if shown else None)

    # ------------------------------------------------------------------ events

    def on_day_selected(self, message: DaySelected) -> None:
        self.catch_up()
        self.refresh_context()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # The pane with focus shows it in its title (CSS); :focus-within left the day's
        # title lit after focus moved on to the calendar.
        self.query_one("#day-title").set_class(isinstance(event.widget, DayChecklist), "-focused")

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if isinstance(event.widget, DayChecklist):
            self.query_one("#day-title").remove_class("-focused")

    def on_task_highlighted(self, message: TaskHighlighted) -> None:
        self.refresh_context()

    def refresh_context(self) -> None:
        """Show the footer keys that matter for the day and the task (g on a gate day, c and
        d on the runner's own task), rebuilding the footer only when they change: it is
        rebuilt whole, which would cost every move of the selection."""
        context = tuple(self.check_action(action, ()) for action in sorted(IN_CONTEXT))
        if context != getattr(self, "_footer_context", None):
            self._footer_context = context
            self.refresh_bindings()

    def catch_up(self) -> None:
        """Show the calendar's selected day if the checklist is behind it.

        The calendar changes its day at once and says so in a message; a key pressed right
        after (type-ahead "h 1") can reach the screen before that message. Every action
        that works on "the selected day" calls this first, so it acts on the day the
        calendar shows, never the one before.
        """
        if self.is_mounted and self.calendar.selected != self.selected:
            self.selected = self.calendar.selected
            self.render_day()

    def on_task_toggled(self, message: TaskToggled) -> None:
        self.toggle(message.task_id)

    def refuse(self, error: Exception) -> None:
        """Say why a change was not made (an op that doesn't fit, a day not yet come)."""
        self.notify(clean_line(str(error)), severity="warning", markup=False)

    def attempt(self, change, *args, **kwargs) -> bool:
        """Make a change through the session; if it is refused, say why. True if made.

        Whatever the plan on disk did meanwhile, a change that doesn't fit is shown as a
        notice, never raised: the app keeps running and nothing else is touched.
        """
        try:
            change(*args, **kwargs)
        except (ChangeRefused, OpError) as error:
            self.refuse(error)
            return False
        return True

    def toggle(self, task_id: str) -> None:
        if self.gone or self.session.plan.read_only:  # the checklist's own keys get here too
            why = "its file is gone" if self.gone else "a newer version of the app wrote it"
            self.notify(f"This plan can't change here: {why}.", severity="warning")
            return
        day = self.session.plan.day(self.selected)
        task = day.task(task_id) if day else None
        if task is not None and task.id == "gate" and not task.done:
            self.action_gate()
            return
        if task is not None and task.category == Category.RUN and not task.done:
            self.ask_run_minutes(task)
            return
        could_undo = bool(self.session.undo_stack)
        if not self.attempt(self.session.toggle, self.selected, task_id):
            return
        # A tick changes one row, the day's count and the calendar cell: redraw just those.
        # Redrawing the whole screen on every key would cost far more.
        if self.session.plan is not self.calendar.plan or self.session.changes:
            self.after_change()  # a merge swapped the plan in, or an untick re-planned
            return
        day = self.session.plan.day(self.selected)
        self.checklist.update_task(day.task(task_id))
        self.calendar.refresh(layout=False)
        self.render_day_title(day)
        if self.session.plan.race_date - timedelta(days=1) <= self.session.today:
            self.render_header()  # the race-day call counts ticked runs
        self.render_save_state()
        if not could_undo:
            self.refresh_bindings()

    def ask_run_minutes(self, task) -> None:
        """Tick a run with the minutes run, asked in a dialog holding the plan's minutes
        (enter ticks it as planned); escape ticks nothing. A figure other than the plan's
        re-plans the days after it, and the notice says what that changed."""
        from planner.tui.dialogs.run_minutes import RunMinutesDialog

        when, planned = self.selected, task.minutes
        try:  # the service's own check, said before the dialog
            self.session.check_run(when, task.id)
        except ChangeRefused as error:
            self.refuse(error)
            return

        def ran(minutes: int | None) -> None:
            if minutes is None:
                self.notify("Nothing ticked.", timeout=3)
                return
            replans = self.session.run_replans(when, task.id, minutes)
            if not self.attempt(self.session.record_run, when, task.id, minutes):
                return
            self.after_change()
            if minutes == planned and not replans:
                return  # as planned: the ticked row says it all
            of = f" of {planned}" if planned is not None else ""
            words = f"Ran {minutes}{of} min: {task.title}."
            if replans:
                from planner.changes import summarize

                lines = summarize(self.session.changes, most=3)
                ahead = "; ".join(lines) if lines else "nothing needed changing"
                words += f" The plan ahead: {ahead}."
            self.notify(words, timeout=8, markup=False)

        self.app.push_screen(RunMinutesDialog(short_date(when), task), ran)

    def after_change(self) -> None:
        self.calendar.set_plan(self.session.plan)
        self.render_header()
        self.render_day()
        self.render_save_state()
        self.refresh_bindings()
        if self._side_chart is not None:  # as render_all
            self.render_side_chart(redraw=True)

    def with_preview(self, title: str, ops: list, when: date, commit) -> None:
        """Show what re-planning after `ops` would change; commit() only when accepted.

        A pain entry, a pain skip or a gate result is recorded with its re-plan or not at
        all: cancelling records nothing (a failed gate or a red day kept without its
        re-plan would leave tomorrow's run in place). With nothing to change, commit at
        once.
        """
        from planner.changes import summarize  # loads with the first preview, as in session
        from planner.tui.dialogs.preview import ChangePreview

        try:
            lines = self.session.preview(ops, when)
        except OpError as error:
            self.refuse(error)
            return

        def done(accepted: bool | None) -> None:
            if not accepted:
                self.notify("Nothing recorded.", timeout=3)
            elif self.attempt(commit):
                self.after_change()

        if not lines:
            done(True)
            return
        self.app.push_screen(ChangePreview(title, summarize(lines, most=12)), done)

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in IN_CONTEXT and not parameters:  # in the footer only when it matters
            if not self.is_mounted:
                return False
            if action == "gate":
                day = self.session.plan.day(self.selected)
                return day is not None and day.task("gate") is not None
            if action in ("edit_task", "delete_task"):  # asked often: no catching up here
                task = self._highlighted(catch_up=False)[1]
                return task is not None and task.custom
            return self.session.today >= self.session.plan.race_date - timedelta(days=1)
        if action == "undo":
            return (bool(self.session.undo_stack) and not self.gone) or None
        if action == "retry_save":  # in the key bar only while a save is failing
            return self.session.save_error is not None and not self.gone
        if action == "replan_protocol":  # only a plan of an older protocol has it
            plan = self.session.plan
            return plan.protocol < PROTOCOL and not plan.read_only and not self.gone
        writes = (
            "tick",
            "pain",
            "tick_number",
            "gate",
            "add_task",
            "edit_task",
            "delete_task",
            "skip_task",
            "task_note",
            "edit_plan",
            "merge_copies",
        )
        if action in writes and (self.session.plan.read_only or self.gone):
            return None
        return True

    def action_tick(self) -> None:
        self.catch_up()
        task_id = self.checklist.highlighted_task_id()
        if task_id is not None:
            self.toggle(task_id)

    def action_tick_number(self, number: int) -> None:
        self.catch_up()
        day = self.session.plan.day(self.selected)
        if day is not None and 1 <= number <= len(day.tasks):
            self.checklist.highlighted = number - 1
            self.toggle(day.tasks[number - 1].id)

    def action_move(self, days: int) -> None:
        self.calendar.action_move(days)

    def action_month(self, months: int) -> None:
        self.calendar.select(add_months(self.calendar.selected, months))

    def action_week_view(self) -> None:
        """The week at a glance in the calendar's place, or the month again."""
        self.calendar.show_week(not self.calendar.weekly)

    def action_today(self) -> None:
        self.calendar.select(self.session.today)

    def action_race_day(self) -> None:
        self.calendar.select(self.session.plan.race_date)

    def action_pain(self) -> None:
        from planner.tui.dialogs.pain import PainDialog

        self.catch_up()
        try:  # the service's own check, said before the form
            day = self.session.check_log_day(self.selected)
        except ChangeRefused as error:
            self.refuse(error)
            return

        def logged(entry: PainEntry | None) -> None:
            if entry is None:
                return
            ops = self.session.pain_ops(day.date, entry.score, entry.note, entry.at_rest)
            self.with_preview(
                f"Pain {entry.score}/10 on {short_date(day.date)}",
                ops,
                day.date,
                lambda: self.session.log_pain(day.date, entry.score, entry.note, entry.at_rest),
            )

        dialog = PainDialog(short_date(day.date), day.pain, day.note, day.at_rest)
        self.app.push_screen(dialog, logged)

    def action_gate(self, always: bool = False) -> None:
        """Record a run-gate test on the selected day (`always`: from the key's binding
        that works off the gate days too; the service says which days can take one)."""
        from planner.tui.dialogs.gate import GateDialog

        self.catch_up()
        try:  # the service's own rules, said before the form
            day = self.session.check_gate_day(self.selected)
        except ChangeRefused as error:
            self.refuse(error)
            return
        plan = self.session.plan
        side = plan.side.value if plan.side else "sore"

        def recorded(entry: GateEntry | None) -> None:
            if entry is None:
                return
            ops = self.session.gate_ops(
                day.date, entry.raises, entry.hops, entry.walk_min, entry.other_side
            )
            verdict = "passed" if ops[0].result.passed else "not passed"
            self.with_preview(
                f"Run gate {verdict}, {short_date(day.date)}",
                ops,
                day.date,
                lambda: self.session.record_gate(
                    day.date, entry.raises, entry.hops, entry.walk_min, entry.other_side
                ),
            )

        self.app.push_screen(GateDialog(short_date(day.date), side, day.gate), recorded)

    def _highlighted(self, *, catch_up: bool = True):
        """The selected day and its highlighted task (None when it has none)."""
        if catch_up:
            self.catch_up()
        day = self.session.plan.day(self.selected)
        task_id = self.checklist.highlighted_task_id()
        return day, (day.task(task_id) if day and task_id else None)

    def action_add_task(self) -> None:
        """Add a task of the runner's own to the selected day, or to every day it repeats on
        from there."""
        from planner.tui.dialogs.task_form import Span, TaskDialog

        self.catch_up()
        day = self.session.plan.day(self.selected)

        def added(entry: TaskEntry | None) -> None:
            if entry is None:
                return
            if entry.repeat is not None:  # a task of its own on each day it falls on
                args = (day.date, entry.until, entry.repeat, entry.title, entry.category)
                if not self.attempt(self.session.add_series, *args, entry.dose):
                    return
                days = plural(len(self.session.added), "day")
                self.notify(
                    f"Added '{entry.title}' on {days}, {entry.repeat.words()} (u to undo).",
                    markup=False,
                    timeout=3,
                )
            elif not self.attempt(
                self.session.add_task, day.date, entry.title, entry.category, entry.dose
            ):
                return
            self.after_change()
            self.checklist.highlighted = self.checklist.option_count - 1

        span = Span(day.date, self.session.plan.last_date, self.session.today)
        self.app.push_screen(TaskDialog(short_date(day.date), span=span), added)

    def action_edit_task(self, always: bool = False) -> None:
        """Edit the highlighted task, if it is the runner's own (`always`: the key's
        binding that also says why a plan task can't be edited)."""
        from planner.tui.dialogs.task_form import TaskDialog

        day, task = self._highlighted()
        if task is None or not task.custom:
            self.notify("Only your own tasks can be edited (a to add one).", severity="warning")
            return

        def edited(entry: TaskEntry | None) -> None:
            if entry is None:
                return
            args = (day.date, task.id, entry.title, entry.category, entry.dose)
            if self.attempt(self.session.edit_task, *args):
                self.after_change()

        self.app.push_screen(TaskDialog(short_date(day.date), task), edited)

    def action_delete_task(self, always: bool = False) -> None:
        """Delete the highlighted task, if it is the runner's own (u brings it back;
        `always`: the key's binding that also says why a plan task can't go)."""
        day, task = self._highlighted()
        if task is None or not task.custom:
            self.notify(
                "Only your own tasks can be deleted; skip a plan task (x).", severity="warning"
            )
            return
        later = self.session.series_rest(day.date, task.id)
        if later:  # a day of a repeating task: this one, or the later ones too
            from planner.tui.dialogs.delete_series import AND_LATER, DeleteSeriesDialog

            def chosen(choice: str | None) -> None:
                if choice is None:
                    return
                if choice != AND_LATER:
                    self._delete_one(day.date, task)
                elif self.attempt(self.session.delete_series, day.date, task.id):
                    self.notify(
                        f"Deleted '{task.title}' here and on "
                        f"{plural(len(later), 'later day')} (u to undo).",
                        markup=False,
                        timeout=3,
                    )
                    self.after_change()

            dialog = DeleteSeriesDialog(task.title, short_date(day.date), len(later))
            self.app.push_screen(dialog, chosen)
            return
        self._delete_one(day.date, task)

    def _delete_one(self, when: date, task) -> None:
        if not self.attempt(self.session.delete_task, when, task.id):
            return
        self.notify(f"Deleted '{task.title}' (u to undo).", markup=False, timeout=3)
        self.after_change()

    def action_skip_task(self) -> None:
        """Skip the highlighted task with a reason, or take a skip back."""
        from planner.tui.dialogs.skip import SkipChoice, SkipDialog

        day, task = self._highlighted()
        if task is None:
            return

        def chosen(choice: SkipChoice | None) -> None:
            if choice is None:
                return
            new, note = choice
            ops = [SkipTask(day.date, task.id, new)]
            if self.session.skip_feeds_pain(day.date, task.id, new):
                self.with_preview(
                    f"Skipped for pain: {task.title}",
                    ops,
                    day.date,
                    lambda: self.session.skip(day.date, task.id, new, note),
                )
                return
            if self.attempt(self.session.skip, day.date, task.id, new, note):
                self.after_change()

        self.app.push_screen(SkipDialog(task), chosen)

    def action_task_note(self) -> None:
        """Write a note on the highlighted task; saved at once (u puts the old one back)."""
        from planner.tui.dialogs.task_note import TaskNoteDialog

        day, task = self._highlighted()
        if task is None:
            return

        def written(note: str | None) -> None:
            if note is None or note == (task.note or ""):
                return  # cancelled, or nothing changed: nothing to save or undo
            if self.attempt(self.session.set_note, day.date, task.id, note):
                kept = self.session.plan.day(day.date).task(task.id).note
                self.notify("Note saved." if kept else "Note cleared.", timeout=2)
                self.after_change()

        self.app.push_screen(TaskNoteDialog(task, short_date(day.date)), written)

    def action_howto(self) -> None:
        """How to do the highlighted task, step by step; a task without steps (a rest, a
        check, the runner's own) says so in a notification instead of an empty dialog."""
        from planner.tui.dialogs.howto import HowToDialog, no_steps, task_steps

        task = self._highlighted()[1]
        if task is None:
            return
        steps = task_steps(self.session.plan, task)
        if not steps:
            self.notify(no_steps(task), markup=False, timeout=4)
            return
        self.app.push_screen(HowToDialog(task, steps))

    def action_edit_plan(self) -> None:
        """Change the plan's inputs: the new-plan form filled in with them; its preview says
        what changes, and accepted, the edit is made here and saved (u undoes it)."""
        from planner.tui.screens.new_plan import EditRequest, NewPlanScreen

        def done(request: EditRequest | None) -> None:
            if request is None:
                return
            if self.attempt(self.session.edit_plan, request.edit):
                self.app.sub_title = self.session.plan.name
                self.notify("The plan is changed (u to undo).", timeout=3)
            self.after_change()

        screen = NewPlanScreen(self.session.today, can_cancel=True, session=self.session)
        self.app.push_screen(screen, done)

    def action_replan_protocol(self) -> None:
        """Re-lay the coming days of a plan of an older protocol by the current one, after
        showing what changes: cancel changes nothing; accepted, it is saved (u undoes it)."""
        from planner.changes import summarize  # loads with the first preview, as in session
        from planner.tui.dialogs.preview import ChangePreview

        try:
            lines = self.session.protocol_preview()
        except (ChangeRefused, OpError) as error:
            self.refuse(error)
            return

        def done(accepted: bool | None) -> None:
            if not accepted:
                self.notify("Nothing changed.", timeout=3)
            elif self.attempt(self.session.replan_protocol):
                self.notify(f"Re-planned by protocol {PROTOCOL} (u to undo).", timeout=3)
                self.after_change()

        dialog = ChangePreview(
            f"Re-plan the coming days by protocol {PROTOCOL}",
            summarize(lines, most=12),
            hint="Past days, ticks, pain logs, notes and your own tasks stay. The days from "
            "today change like this (cancel changes nothing):",
            accept="Re-plan",
        )
        self.app.push_screen(dialog, done)

    def action_progress(self) -> None:
        """Adherence, streaks and the pain trend."""
        from planner.tui.dialogs.progress import ProgressScreen

        self.app.push_screen(ProgressScreen(self.session.plan, self.session.today))

    def action_export(self) -> None:
        """Write the plan as .ics or .md where the runner says."""
        from planner.tui.dialogs.export import ExportDialog

        plan_path = self.session.file.path

        def chosen(request: ExportRequest | None) -> None:
            if request is None:
                return
            try:
                self.session.export(
                    request.fmt,
                    request.path,
                    remind=request.remind,
                    pain_reminder=request.pain_reminder,
                )
            except SaveError as error:
                self.notify(clean_line(str(error)), severity="error", markup=False)
                return
            self.notify(f"Exported to {shown_path(request.path)}", markup=False)

        folder = exports_dir(self.app.home)
        try:
            ensure_private_dir(folder)
        except OSError:  # a read-only home: offer the home itself, which exists
            folder = self.app.home if self.app.home.is_dir() else Path.cwd()
        self.app.push_screen(ExportDialog(folder, plan_path.stem, plan_path), chosen)

    def action_decision(self, always: bool = False) -> None:
        """The race-day call in full, with its reasons (provisional before the day before
        the race, when `always` lets the key's hidden binding ask for it)."""
        from planner.tui.dialogs.decision import DecisionScreen

        self.app.push_screen(DecisionScreen(decide(self.session.plan, self.session.today)))

    def action_undo(self) -> None:
        try:
            undone = self.session.undo()
        except (ChangeRefused, OpError) as error:
            self.refuse(error)
            self.after_change()
            return
        if undone is not None:
            self.notify(f"Undid the {undone}", timeout=3, markup=False)
            self.after_change()

    def action_retry_save(self) -> None:
        if self.session.save():
            self.notify("Saved.", timeout=2)
        self.render_save_state()
        self.refresh_bindings()

    def action_help(self) -> None:
        from planner.tui.dialogs.help import HelpScreen

        self.app.push_screen(HelpScreen())

    # ------------------------------------------------------------------ timers

    def file_trouble(self, error: PlanError) -> None:
        """The file can't be read now, or is gone: say so, and never write over it."""
        path = self.session.file.path
        gone = not path.exists() and not path.is_symlink()
        if gone:
            problem = (
                f"the plan's file is gone from {shown_path(path)} (archived, moved or deleted "
                "by another program). Nothing more is saved here; open it where it is now (o)."
            )
        else:
            problem = (
                f"the file on disk can't be read now ({clean_line(str(error))}); "
                "it won't be overwritten."
            )
        if problem != self.disk_problem or gone != self.gone:
            self.disk_problem, self.gone = problem, gone
            self.render_save_state()
            self.refresh_bindings()

    def retry_if_failing(self) -> None:
        if self.session.save_error is not None and self.session.save():
            self.notify("Saved.", timeout=2)
            self.render_save_state()
            self.refresh_bindings()

    def poll_file(self) -> None:
        """Each second: follow the clock past midnight, and reload when another program
        changed the plan file."""
        self.app.check_the_date()
        if self.session.file.partial:
            return  # still a glimpse: the app reads the file whole first
        try:
            changed = self.session.refresh()
        except PlanError as error:
            self.file_trouble(error)
            return
        if self.disk_problem is not None:
            self.disk_problem = None
            self.gone = False
            self.render_save_state()
            self.refresh_bindings()
        if changed:
            self.render_all()
            self.notify("The plan changed on disk; reloaded, your ticks kept.", timeout=4)
        self.app.keep_snapshot(self.session)
        self.offer_merge()

    def offer_merge(self) -> None:
        """A sync tool left a conflict copy of the plan beside it: offer to merge it."""
        from planner.tui.dialogs.merge import offer_merge

        offer_merge(self)

    def action_merge_copies(self) -> None:
        """M: offer the plan's conflict copies again (each is offered once by itself, and
        "Not now" puts it off), or say why there is nothing to merge now."""
        from planner.conflicts import conflict_copies

        if not conflict_copies(self.session.file.path):
            self.notify("No conflict copy of this plan beside it.", timeout=4)
            return
        if self.session.unsaved or self.session.file.partial:
            self.notify("The plan isn't saved yet: merge once it is (s retries).", timeout=6)
            return
        self.merge_offered = frozenset()
        self.offer_merge()
