"""The errors of reading and saving plan files."""

from __future__ import annotations

from pathlib import Path


class PlanError(Exception):
    """A plan file we refuse to read; str() is `path:line:col: problem` or `path: problem`."""

    def __init__(self, path: Path | str, problem: str, line: int | None = None, col: int = 1):
        self.path = str(path)
        self.problem = problem
        self.line = line
        self.col = col
        where = f"{self.path}:{line}:{col}" if line is not None else self.path
        super().__init__(f"{where}: {problem}")


class SaveError(Exception):
    """A save that did not happen; the file on disk is as it was before."""


class ReadOnlyError(SaveError):
    """The plan was written by a newer version: we read it but never write it."""


class PlanExists(SaveError):
    """A new plan's file name was taken (by another program, a moment ago)."""


class GoneError(SaveError):
    """The plan file is no longer where we read it (moved, archived or deleted elsewhere)."""


class ConflictError(SaveError):
    """Changes of ours that no longer fit the plan another program saved; they are kept."""
