"""The Textual app: which screen to show, opening and making plans, the command palette.

`make_app()` is the one factory used by the command line and the tests; the app's home,
today and the clock all come in through it.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from planner import snapshot
from planner.glimpse import Glimpse
from planner.model import clean_line, shown_path
from planner.paths import lock_folder_for, plans_dir, read_state, remember, remember_theme
from planner.service import PlanSession, create_plan_file
from planner.startup import resume_collector
from planner.store import (
    PlanError,
    PlanFile,
    SaveError,
    clean_leftovers,
    restore_backup,
    set_lock_folder,
)
from planner.tui.keys import always, in_context, palette_entries
from planner.tui.legible import Legible
from planner.tui.screens.plan import PlanScreen

if TYPE_CHECKING:  # these screens load when first shown, not before the first frame
    from planner.tui.screens.new_plan import NewPlanRequest


class PlannerApp(App):
    """recovery-planner's terminal UI."""

    CSS_PATH = "app.tcss"
    TITLE = "recovery-planner"
    BINDINGS = [Binding("q", "quit", "Quit")]

    def __init__(
        self,
        *,
        home: Path,
        today: date,
        now: Callable[[], datetime],
        plan_path: Path | None = None,
        remember_plans: bool = True,
        clock: Callable[[], date] | None = None,
        theme: str | None = None,
    ) -> None:
        super().__init__()
        if theme is not None and theme in self.available_themes:
            self.theme = theme  # the one chosen last time (an unknown name is ignored)
        self.home = home
        self.today = today
        self.now = now
        self.clock = clock  # the local date, checked each second; None: `today` is pinned
        self.plan_path = plan_path
        self.remember_plans = remember_plans
        self.session: PlanSession | None = None
        self.started = False  # True once the first frame is on screen
        self._after_first_frame: list[Callable[[], None]] = []
        self._glimpse: tuple[Glimpse, PlanScreen] | None = None  # shown, not yet read whole
        # The plan file's bytes the kept snapshot stands for (planner.snapshot): a snapshot
        # is written when the open plan's saved bytes are not these.
        self._snapshot_of: bytes | None = None
        self.from_snapshot = False  # whether the first frame came from a snapshot
        self._ending: object | None = None  # the watchdog, once a signal came (see below)

    def get_default_screen(self) -> Screen:
        """The plan screen itself when the plan opens: the first frame is the plan.

        A big plan is shown first from a glimpse (planner.glimpse: the days on screen), and
        read whole right after the first frame; input waits for that (see `on_event`).
        """
        if self.plan_path is not None:
            try:
                glimpse = Glimpse.read(self.plan_path, self.today, self.snapshots)
                plan_file = glimpse.first_file()
            except PlanError as error:
                self._startup_error = error
            else:
                screen = self._plan_screen(plan_file)
                if plan_file.partial:
                    self._glimpse = (glimpse, screen)
                    self.from_snapshot = glimpse.from_snapshot is not None
                return screen
        return super().get_default_screen()

    def finish_loading(self) -> None:
        """Swap a glimpse for the whole plan, or explain why the file can't be read."""
        if self._glimpse is None:
            return
        (glimpse, screen), self._glimpse = self._glimpse, None
        try:
            plan_file = glimpse.complete()
        except PlanError as error:
            self._after_first_frame.clear()  # e.g. remembering it as the last plan used
            self.push_load_error(glimpse.path, error)
            return
        screen.session.file = plan_file
        if glimpse.from_snapshot is not None:
            if snapshot.matches(glimpse.plan, plan_file.plan, glimpse.from_snapshot):
                self._snapshot_of = glimpse.data  # it stands for these bytes: kept as is
            else:  # never expected (it was made from these bytes): not used again
                snapshot.remove(self.snapshots, glimpse.path)
        if screen.is_mounted:  # otherwise its on_mount draws the whole plan
            screen.after_change()

    @property
    def snapshots(self) -> Path:
        """Where the plans' snapshots are kept (planner.snapshot)."""
        return snapshot.folder_for(self.home)

    def keep_snapshot(self, session: PlanSession) -> None:
        """Keep a snapshot of the open plan as last read or saved, for the next start's
        first frame; checked each second, written (a few ms) only after its bytes
        changed. Not while changes wait to be saved: a snapshot stands for the file."""
        file = session.file
        if not self.remember_plans or file.partial or file.pending or file.unapplied:
            return
        if file.fingerprint is None or file.fingerprint.data is self._snapshot_of:
            return
        self._snapshot_of = file.fingerprint.data
        snapshot.write(self.snapshots, file.path, file.fingerprint.data, file.plan)

    async def on_event(self, event: events.Event) -> None:
        # A key or click acts on the whole plan: a glimpse is completed before any input.
        if self._glimpse is not None and isinstance(event, events.InputEvent | events.Paste):
            self.finish_loading()
        await super().on_event(event)

    def get_line_filters(self):
        """Textual's filters, then ours: every character legible (planner.tui.legible)."""
        return [*super().get_line_filters(), LEGIBLE]

    def on_input_changed(self, event) -> None:
        """Whatever is typed or pasted into any field shows as text: control characters
        (an escape sequence in a pasted path, say) never reach the screen."""
        value = event.value
        if not value.isprintable():
            cleaned = clean_line(value)
            if cleaned != value:
                event.input.value = cleaned

    def on_mount(self) -> None:
        self.call_after_refresh(self.first_frame_shown)
        self._catch_signals()
        if self.remember_plans:
            self.theme_changed_signal.subscribe(self, self._keep_theme)
        error = getattr(self, "_startup_error", None)
        if error is not None:
            self.push_load_error(self.plan_path, error)
        elif not isinstance(self.screen, PlanScreen):
            self.push_new_plan(can_cancel=False)

    def _keep_theme(self, theme) -> None:
        """Remember a theme chosen in the palette for the next start."""
        remember_theme(self.home, theme.name)

    def first_frame_shown(self) -> None:
        """Do what the first frame did not need: collect garbage again, remember the plan."""
        self.started = True
        self.finish_loading()
        resume_collector()  # paused for the start by planner.__main__
        import planner.engine  # noqa: F401  (the first re-plan's code, loaded while idle)

        if self.plan_path is not None:  # temp files of a save that was killed half-way
            clean_leftovers(self.plan_path)
        if self.remember_plans:  # the snapshots of plans moved or deleted since
            snapshot.prune(self.snapshots)
        if self.session is not None:  # for the next start, if no snapshot stands for it
            self.keep_snapshot(self.session)
        work, self._after_first_frame = self._after_first_frame, []
        for step in work:
            step()

    def after_first_frame(self, step: Callable[[], None]) -> None:
        """Run `step` once the first frame is on screen (at once if it already is)."""
        if self.started:
            step()
        else:
            self._after_first_frame.append(step)

    # ------------------------------------------------------------------ the clock

    def check_the_date(self) -> None:
        """Follow the clock past midnight: a TUI left open overnight moves to the new day.

        Called every second by the plan screen; a pinned today (`--today`) never moves.
        """
        if self.clock is None:
            return
        today = self.clock()
        if today != self.today:
            self.today = today
            if self.session is not None:
                self.session.today = today
            if isinstance(self.screen, PlanScreen):
                self.screen.new_day(today)
            else:
                for screen in self.screen_stack:
                    if isinstance(screen, PlanScreen):
                        screen.stale_day = True

    # ------------------------------------------------------------------ leaving

    def _catch_signals(self) -> None:
        """TERM, HUP and INT end the app the way `q` does, after the save under way.

        The handler itself only passes the signal to the event loop, so the last save runs
        there between two steps, never in the middle of another save; then the app exits
        (no dialog: the terminal may be gone). It also starts a watchdog that ends the
        process `EXIT_GRACE` seconds later whatever happens: when a terminal closes, the
        kernel sends SIGCONT with the SIGHUP, Textual resumes its output to a terminal that
        is gone, and its shutdown can wait forever on output that no one reads. A handler
        set with `signal.signal` still runs while the main thread waits on a lock (a loop
        callback would not). Headless runs (tests) leave the test runner's signals alone.
        """
        if self.is_headless:
            return
        import asyncio

        loop = asyncio.get_running_loop()

        def arrived(number: int, frame: object) -> None:
            if self._ending is None:
                self._ending = _exit_later(EXIT_GRACE, 128 + number)
            loop.call_soon_threadsafe(self._signalled)

        for number in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            try:
                signal.signal(number, arrived)
            except (OSError, ValueError):
                continue  # not on this platform, or not the main thread

    def _signalled(self) -> None:
        if self.session is not None and self.session.unsaved:
            self.session.save()
        self.exit()

    async def action_quit(self) -> None:
        """Quit; with changes not saved, ask first (try again, quit anyway, cancel)."""
        self.leave_plan(self.exit)

    def leave_plan(self, then: Callable[[], None]) -> None:
        """Run `then` once the open plan's changes are saved, or the runner lets them go."""
        session = self.session
        if session is None or not session.unsaved or session.save():
            then()
            return
        from planner.tui.dialogs.quit import QUIT, RETRY, QuitDialog

        if isinstance(self.screen, QuitDialog):
            return  # already asking (q pressed again on the dialog)

        def chosen(choice: str | None) -> None:
            if choice == QUIT:
                self.session = None  # let go: leaving again doesn't ask twice
                then()
            elif choice == RETRY:
                self.leave_plan(then)
            if isinstance(self.screen, PlanScreen):
                self.screen.render_save_state()

        self.push_screen(QuitDialog(session.save_error, session.unsaved_words()), chosen)

    # ------------------------------------------------------------------ screens

    def _reset_to(self, screen: Screen) -> None:
        """Show `screen` above the base screen (the first plan's, or a blank one)."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(screen)

    def _plan_screen(self, plan_file: PlanFile) -> PlanScreen:
        self.session = PlanSession(plan_file, self.today, self.now, home=self.home)
        self.plan_path = plan_file.path
        if self.remember_plans:
            path = plan_file.path
            self.after_first_frame(lambda: remember(self.home, path))
        self.sub_title = plan_file.plan.name
        return PlanScreen(self.session)

    def show_plan(self, plan_file: PlanFile) -> None:
        """Show a loaded plan on the plan screen (the open plan's changes saved first)."""
        self.leave_plan(lambda: self._reset_to(self._plan_screen(plan_file)))

    def open_path(self, path: Path) -> None:
        """Open a plan file, or explain on screen why it can't be opened."""
        try:
            plan_file = PlanFile.open(path)
        except PlanError as error:
            problem = error  # the except block's name is gone once the dialog answers
            self.leave_plan(lambda: self.push_load_error(path, problem))
            return
        self.show_plan(plan_file)

    def push_load_error(self, path: Path, error: PlanError) -> None:
        """Replace the screens with the load-error screen and act on the runner's choice."""

        def chosen(choice: str | None) -> None:
            if choice == "restore":
                try:
                    damaged = restore_backup(path)
                except (PlanError, SaveError) as problem:
                    self.notify(clean_line(str(problem)), severity="error", markup=False)
                    self.push_load_error(path, error)
                    return
                self.notify(
                    f"Restored the backup; the damaged file is {shown_path(damaged.name)}.",
                    markup=False,
                )
                self.open_path(path)
            elif choice == "new":
                self.push_new_plan(can_cancel=False)
            elif choice == "open":
                self.action_open_plan()
            else:
                self.exit()

        from planner.tui.screens.load_error import LoadErrorScreen

        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(LoadErrorScreen(path, error), chosen)

    def push_new_plan(self, *, can_cancel: bool) -> None:
        """Show the new-plan form; make the plan when it comes back filled in."""

        def made(request: NewPlanRequest | None) -> None:
            from planner.engine import InputError  # the engine loads with the first new plan

            if request is None:
                return
            try:
                plan_file = create_plan_file(
                    request.inputs,
                    today=self.today,
                    created=self.now(),
                    folder=plans_dir(self.home),
                    safety=request.safety,
                )
            except (InputError, SaveError, OSError) as problem:
                self.notify(
                    f"The plan was not made: {clean_line(str(problem))}",
                    severity="error",
                    markup=False,
                    timeout=10,
                )
                self.push_new_plan(can_cancel=can_cancel)
                return
            self.show_plan(plan_file)

        from planner.tui.screens.new_plan import NewPlanScreen

        self.push_screen(NewPlanScreen(self.today, can_cancel=can_cancel), made)

    # ------------------------------------------------------------------ actions

    def action_new_plan(self) -> None:
        """Open the new-plan form over the current screen."""
        self.push_new_plan(can_cancel=True)

    def action_open_plan(self) -> None:
        """Pick another plan to open."""

        def picked(path: Path | None) -> None:
            if path is not None:
                self.open_path(path)
            elif self.screen.id == "_default":  # only the blank base is left under it
                self.exit()

        from planner.tui.dialogs.open_plan import OpenPlanDialog

        self.push_screen(OpenPlanDialog(plans_dir(self.home), self.today, self.plan_path), picked)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every action of the plan screen in the command palette, each saying its key (from
        planner.tui.keys), plus Textual's own (the theme, the keys panel...)."""
        yield from super().get_system_commands(screen)
        if not isinstance(screen, PlanScreen):
            yield SystemCommand(
                "Switch plan", "The plans folder: open, or archive a finished plan",
                self.action_open_plan,
            )  # fmt: skip
            yield SystemCommand("New plan", "Make a new plan from two dates", self.action_new_plan)
            return
        targets = {"screen": screen, "checklist": screen.checklist, "calendar": screen.calendar}
        for title, help_text, key in palette_entries():
            bare = key.action.rpartition(".")[2]
            if not in_context(bare) and screen.check_action(bare, ()) is False:
                continue  # e.g. retry a save when none failed, re-plan a current plan
            action, target = always(key.action), targets[key.where]  # every day, as the key
            yield SystemCommand(
                title, help_text, lambda a=action, t=target: self.call_later(self.run_action, a, t)
            )


def pinned_clock(today: date) -> Callable[[], datetime]:
    """A clock for a pinned today: noon UTC on that day, so timestamps are reproducible."""
    moment = datetime.combine(today, time(12, 0), UTC)
    return lambda: moment


def make_app(
    plan_path: Path | None,
    *,
    home: Path,
    today: date,
    now: Callable[[], datetime] | None = None,
    remember_plans: bool = True,
    clock: Callable[[], date] | None = None,
) -> PlannerApp:
    """Build the app for a plan file (or the new-plan form when None).

    `clock` gives the local date: with it, "today" follows midnight while the app is
    open; without it (tests, `--today`) today stays as given. Lock files go where the
    command line's go for the same home, so the app and a `planner` command beside it
    wait for each other.
    """
    set_lock_folder(lambda: lock_folder_for(home))
    return PlannerApp(
        home=home,
        today=today,
        now=now or (lambda: datetime.now(UTC).replace(microsecond=0)),
        plan_path=plan_path,
        remember_plans=remember_plans,
        clock=clock,
        theme=read_state(home).get("theme"),
    )


LEGIBLE = Legible()

# How long a signalled app may take to save and end before the watchdog ends it.
EXIT_GRACE = 5.0


def _exit_later(seconds: float, code: int) -> object:
    """End the process with `code` in `seconds` unless it has ended by then (a daemon
    timer: a normal exit doesn't wait for it)."""
    import os
    import threading

    timer = threading.Timer(seconds, os._exit, args=(code,))
    timer.daemon = True
    timer.start()
    return timer
