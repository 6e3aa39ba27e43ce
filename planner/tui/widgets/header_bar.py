"""The plan screen's top line: the plan and where the runner stands, and whether it's saved.

One widget draws both ends of the line, so the save state is never cut off: on a narrow
screen the title gives way, with an ellipsis. A failing save shows in the theme's error
colour.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

GAP = 2  # at least this much space between the title and the status


class HeaderBar(Widget):
    """'Plan · day 4 since injury · race in 5 days · Recover' ... '✓ saved 08:01:02'."""

    DEFAULT_CSS = """
    HeaderBar { height: 1; background: $panel; padding: 0 1; }
    HeaderBar > .header-bar--saved { color: $text-success; }
    HeaderBar > .header-bar--unsaved { color: $text-error; text-style: bold; }
    """

    COMPONENT_CLASSES = {"header-bar--saved", "header-bar--unsaved"}

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.title = Text()
        self.status = Text()
        self.saved = True

    def show_title(self, title: Text) -> None:
        """Show the plan's name and where the runner stands."""
        self.title = title
        self.refresh()

    def show_status(self, status: Text, *, saved: bool = True) -> None:
        """Show the save state on the right, in the error colour when `saved` is false."""
        self.status, self.saved = status, saved
        self.refresh()

    def render(self) -> Text:
        status = self.status.copy()
        status.stylize(
            self.get_component_rich_style(
                "header-bar--saved" if self.saved else "header-bar--unsaved"
            )
        )
        width = self.content_size.width
        title = self.title.copy()
        title.no_wrap = True
        title.truncate(max(0, width - status.cell_len - GAP), overflow="ellipsis")
        line = Text(no_wrap=True)
        line.append_text(title)
        line.append(" " * max(GAP, width - title.cell_len - status.cell_len))
        line.append_text(status)
        return line
