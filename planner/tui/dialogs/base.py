"""The base every dialog is built on: escape cancels, the body scrolls, the keys are shown.

A `Dialog[T]` lays itself out as a bordered box holding a scrolling body (`compose_body`)
and, pinned under it, the dialog's buttons (`buttons`); a `Footer` docked at the foot of
the screen names the dialog's own keys. The footer covers the key bar of the screen
underneath: a modal screen's bindings are the only ones that act, so they are the only ones
shown. Escape (and a button with the id `cancel`) dismisses with `cancel_value`.

`ChoiceSet` is the radio set every dialog and form uses: its highlighted row is always the
chosen one.
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, RadioButton, RadioSet

from planner.tui import PANELS_CSS

T = TypeVar("T")


class DialogBody(VerticalScroll):
    """A dialog's content, scrolled when it is taller than the screen allows.

    A body of text takes focus itself, so up, down, page and end scroll it; a body holding
    fields leaves focus to them (the body scrolls to whichever field has it), so tab does not
    stop on the body as well.
    """

    def allow_focus(self) -> bool:
        return not any(widget.can_focus for widget in self.query("*"))


class Dialog(ModalScreen[T]):
    """A modal dialog: subclasses give `compose_body` and, if any, `buttons`."""

    CSS_PATH = PANELS_CSS

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    DIALOG_CLASSES: ClassVar[str] = "dialog"
    """The CSS classes of the dialog's box ("dialog wide" for a wide one)."""

    DIALOG_ID: ClassVar[str | None] = None
    """The id of the dialog's box, for CSS that fits one dialog."""

    cancel_value: T | None = None
    """What escape and the Cancel button dismiss with."""

    def compose(self) -> ComposeResult:
        with Vertical(classes=self.DIALOG_CLASSES, id=self.DIALOG_ID):
            # The buttons come first in the DOM but are docked at the bottom: docked, they
            # keep their place however tall the body is, and the body takes what is left.
            buttons = self.buttons()
            if buttons:
                yield Horizontal(*buttons, classes="buttons")
            with DialogBody(classes="dialog-body"):
                yield from self.compose_body()
        yield Footer()

    def compose_body(self) -> ComposeResult:
        """The dialog's content, shown in the scrolling body."""
        yield from ()

    def buttons(self) -> list[Button]:
        """The dialog's buttons, kept in view under the body (none by default)."""
        return []

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        """Close the dialog without acting on it."""
        self.dismiss(self.cancel_value)


class ChoiceSet(RadioSet):
    """A RadioSet whose highlighted row is the chosen one.

    Textual's RadioSet starts its cursor on the first row whatever is chosen, and its arrow
    keys move the cursor without choosing: a runner could see the bar on one answer while
    another is recorded. Here the cursor starts on the chosen row and the arrows choose the
    row they move to, as radio buttons do elsewhere.
    """

    def __init__(self, *buttons: str | RadioButton, **kwargs) -> None:
        super().__init__(*buttons, **kwargs)
        self._follow = False  # False while RadioSet's own mount moves the cursor

    def on_mount(self) -> None:
        # RadioSet's mount handler runs after this one and puts the cursor on the first row;
        # the cursor goes to the chosen row once it has.
        self.call_next(self._cursor_to_choice)

    def _cursor_to_choice(self) -> None:
        if self.pressed_index >= 0:
            self._selected = self.pressed_index
        self._follow = True

    def _choose_cursor(self) -> None:
        if self._follow and self._selected is not None:
            button = self._nodes[self._selected]
            if isinstance(button, RadioButton) and not button.value:
                button.value = True

    def action_next_button(self) -> None:
        """Move to the next row and choose it."""
        super().action_next_button()
        self._choose_cursor()

    def action_previous_button(self) -> None:
        """Move to the previous row and choose it."""
        super().action_previous_button()
        self._choose_cursor()
