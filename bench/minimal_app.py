"""The baseline: a minimal Textual app (Header, one Static, Footer).

`python bench/minimal_app.py` shows it; a key updates the Static, for the latency baseline.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static


class MinimalApp(App):
    """Header, one Static, Footer; `n` counts on the Static."""

    BINDINGS = [Binding("n", "count", "Count"), Binding("q", "quit", "Quit")]

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Minimal app ready", id="body")
        yield Footer()

    def action_count(self) -> None:
        self.count += 1
        self.query_one("#body", Static).update(f"Minimal app ready {self.count}")


if __name__ == "__main__":
    MinimalApp().run()
