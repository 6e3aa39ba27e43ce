"""A one-line key bar: the screen's main keys, drawn as one line of text.

It shows what Textual's Footer shows (the bindings marked `show`, dimmed when an action
can't run, and the command palette key) and a click runs the key, but it is one widget
instead of one per key: the Footer rebuilt its children on every focus change, which was
the largest single cost of the plan screen's first frame.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.widget import Widget


class KeyBar(Widget):
    """Key hints for the current screen, docked at the bottom."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    KeyBar > .keybar--key { color: $footer-key-foreground; text-style: bold; }
    KeyBar > .keybar--description { color: $footer-description-foreground; }
    KeyBar > .keybar--disabled { color: $text-disabled; }
    """

    COMPONENT_CLASSES = {"keybar--key", "keybar--description", "keybar--disabled"}

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._spans: list[tuple[int, int, str]] = []  # (start, end, key) of each hint

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, lambda _screen: self.refresh())

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def render(self) -> Text:
        key_style = self.get_component_rich_style("keybar--key")
        text_style = self.get_component_rich_style("keybar--description")
        off_style = self.get_component_rich_style("keybar--disabled")
        line = Text(no_wrap=True, overflow="ellipsis")
        self._spans = []
        seen: set[str] = set()
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            start = line.cell_len
            line.append(
                f" {self.app.get_key_display(binding)} ", key_style if active.enabled else off_style
            )
            line.append(f"{binding.description} ", text_style if active.enabled else off_style)
            self._spans.append((start, line.cell_len, key))
        palette = Text.assemble(("^p", key_style), (" palette ", text_style))
        gap = self.size.width - line.cell_len - palette.cell_len
        if gap > 0:
            start = line.cell_len + gap
            line.append(" " * gap)
            line.append_text(palette)
            self._spans.append((start, start + palette.cell_len, "ctrl+p"))
        return line

    def on_click(self, event: events.Click) -> None:
        """A click on a hint presses its key."""
        for start, end, key in self._spans:
            if start <= event.x < end:
                if key == "ctrl+p":
                    self.app.action_command_palette()
                else:
                    self.app.simulate_key(key)
                return
