"""Messages widgets post upward; named in the past tense, carrying plain data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual.message import Message


@dataclass
class DaySelected(Message):
    """The calendar's selected day changed."""

    date: date


@dataclass
class TaskToggled(Message):
    """The runner asked to tick or untick a task."""

    task_id: str


@dataclass
class TaskHighlighted(Message):
    """The checklist's highlight moved to another task."""

    task_id: str
