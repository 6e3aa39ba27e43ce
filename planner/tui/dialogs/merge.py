"""A conflict copy of the open plan: what merging it changes, then Merge or Not now.

A sync tool (Syncthing, Dropbox...) that saw the plan changed on two machines at once keeps
the second version beside the plan as a conflict copy. The plan screen offers each copy
once per run (`offer_merge`): the dialog lists what the copy would change, line by line
(planner.merge), and merging saves the plan through the store, keeps the plan as it was
as a backup and moves the copy out of the plans list. Not now leaves both as they are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Static

from planner.model import clean_line, shown_path
from planner.tui.dialogs.base import Dialog

if TYPE_CHECKING:
    from planner.tui.screens.plan import PlanScreen


class MergeDialog(Dialog[bool]):
    """What merging a conflict copy into the plan changes; True to merge, False not now."""

    DIALOG_CLASSES = "dialog wide"
    DIALOG_ID = "merge-dialog"

    BINDINGS = [
        Binding("m", "choose(True)", "Merge"),
        Binding("escape", "cancel", "Not now"),
        Binding("n", "cancel", "Not now", show=False),
    ]

    DEFAULT_CSS = """
    #merge-lines {
        margin-top: 1;
    }
    """

    cancel_value = False

    def __init__(self, plan_name: str, copy_name: str, what: str, lines: list[str]) -> None:
        super().__init__()
        self.plan_name = plan_name
        self.copy_name = copy_name  # the copy's file name, as shown
        self.what = what  # "conflict copy of Bristol Half (Syncthing, 2026-11-24 10:15, ...)"
        self.lines = lines

    def compose_body(self) -> ComposeResult:
        yield Static(Text(f"A conflict copy of {self.plan_name}", style="bold"))
        yield Static(
            Text(
                f"{self.copy_name} is a {self.what}: a sync tool kept it when the plan "
                "changed on two machines at once. Merging joins what it holds into the "
                "plan, each thing by its later change, and keeps both files as backups."
            ),
            classes="hint",
        )
        if self.lines:
            yield Static(Text("Merging changes the plan like this:"), classes="hint")
            yield Static(Text("\n".join(self.lines)), id="merge-lines")
        else:
            yield Static(
                Text(
                    "Nothing of the copy is missing from the plan: merging only moves the "
                    "copy out of the plans list."
                ),
                id="merge-lines",
            )

    def buttons(self) -> list[Button]:
        return [Button("Merge", variant="primary", id="merge"), Button("Not now", id="cancel")]

    def on_mount(self) -> None:
        self.query_one("#merge", Button).focus()

    @on(Button.Pressed, "#merge")
    def _merge(self) -> None:
        self.dismiss(True)

    def action_choose(self, merge: bool) -> None:
        """Dismiss with `merge` (a key's shortcut for a button)."""
        self.dismiss(merge)


def offer_merge(screen: PlanScreen) -> None:
    """Offer the first conflict copy of the screen's plan not offered yet in this run.

    Only while the plan screen is on top (never over another dialog), the plan whole,
    writable and saved. A copy that can't be read, or is a copy of another plan, is said
    once in a notice and not offered.
    """
    session = screen.session
    plan_file = session.file
    if (
        screen.app.screen is not screen
        or screen.gone
        or plan_file.partial
        or session.plan.read_only
        or session.unsaved
    ):
        return
    from planner.conflicts import conflict_copies, describe

    for path in conflict_copies(plan_file.path):
        if path in screen.merge_offered:
            continue
        screen.merge_offered = screen.merge_offered | {path}
        from planner.merge import merge_files, read_copy, same_plan_problem
        from planner.store import PlanError

        name = shown_path(path.name)
        try:
            found = read_copy(path)
        except PlanError as error:
            screen.notify(
                f"{name} looks like a conflict copy of this plan but can't be read: "
                f"{clean_line(str(error))}",
                severity="warning",
                markup=False,
                timeout=10,
            )
            continue
        problem = same_plan_problem(session.plan, found.plan)
        if problem is not None:
            screen.notify(
                f"{name} is named like a conflict copy of this plan but is not one: "
                f"{clean_line(problem)}",
                severity="warning",
                markup=False,
                timeout=10,
            )
            continue
        lines = session.merge_preview(found.plan)
        what = describe(path, session.plan.name) or "conflict copy"

        def chosen(merge: bool | None, found=found, name=name) -> None:
            if not merge:
                screen.notify(
                    f"Not merged: {name} stays beside the plan (M, or planner merge, to "
                    "merge it later).",
                    timeout=6,
                    markup=False,
                )
                return
            _merge(screen, found, name, merge_files)

        screen.app.push_screen(MergeDialog(session.plan.name, name, what, lines), chosen)
        return


def _merge(screen: PlanScreen, found, name: str, merge_files) -> None:
    """Merge the copy `found`, show the merged plan and say where both files went."""
    from planner.ops import OpError
    from planner.service import ChangeRefused
    from planner.store import SaveError

    try:
        merged = merge_files(screen.session, found)
    except (ChangeRefused, OpError, SaveError) as error:
        screen.refuse(error)
        screen.render_all()
        return
    screen.render_all()
    screen.refresh_bindings()
    words = [f"Merged {name}" + (f": {len(merged.lines)} changes." if merged.lines else ".")]
    if merged.elsewhere:
        words.append("Another program saved the plan meanwhile; the merge went onto it.")
    if merged.plan_backup is not None:
        words.append(f"The plan as it was: {shown_path(merged.plan_backup.name)}.")
    if merged.copy_moved is not None:
        words.append(f"The copy, out of the plans list: {shown_path(merged.copy_moved.name)}.")
    else:
        words.append(f"The copy stays: {clean_line(merged.copy_left or '')}.")
    screen.notify(" ".join(words), timeout=12, markup=False)
