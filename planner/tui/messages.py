"""Messages widgets post upward; named in the past tense, carrying plain data.

Written out rather than as dataclasses: they load before the first frame, where each
generated dataclass costs more than the message does (bench/README.md).
"""

from __future__ import annotations

from datetime import date

from textual.message import Message


class DaySelected(Message):
    """The calendar's selected day changed."""

    def __init__(self, date: date) -> None:
        super().__init__()
        self.date = date


class TaskToggled(Message):
    """The runner asked to tick or untick a task."""

    def __init__(self, task_id: str) -> None:
        super().__init__()
        self.task_id = task_id


class TaskHighlighted(Message):
    """The checklist's highlight moved to another task."""

    def __init__(self, task_id: str) -> None:
        super().__init__()
        self.task_id = task_id
