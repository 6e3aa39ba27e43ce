"""Where a key of a plan file is: an index of the file's table headers, which gives the
`line:col` of a key path for an error and the offsets of the days for a glimpse."""

from __future__ import annotations

import re

# A `[[days]]` line as our writer lays it out: at the start of a line, alone on it. The
# pattern starts with the line's newline: a literal first character keeps the scan of a
# megabyte to about a millisecond (a `^` with re.M tries every position).
DAY_LINE = re.compile(r"\n\[\[days\]\][ \t]*(?=\n)")


class Headers:
    """The table headers of a plan file's text, each list found once, when first needed.

    `day_starts` are the offsets of the `[[days]]` lines of our writer's layout (what the
    glimpse cuts the file at); `locate` finds a key from the header lines of any layout
    that starts each table on a line of its own.
    """

    __slots__ = ("_day_starts", "_heads", "_lines", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._day_starts: list[int] | None = None
        self._lines: list[str] | None = None
        self._heads: list[tuple[int, str]] | None = None

    @property
    def day_starts(self) -> list[int]:
        """The offset of each `[[days]]` line that stands alone, as our writer puts it."""
        if self._day_starts is None:
            self._day_starts = [match.start() + 1 for match in DAY_LINE.finditer(self.text)]
        return self._day_starts

    def _table_lines(self) -> tuple[list[str], list[tuple[int, str]]]:
        """The text's lines, and (number, stripped text) of each line that opens a table."""
        if self._lines is None or self._heads is None:
            # TOML lines end at \n only; splitlines() would split at \u2028 too
            self._lines = self.text.split("\n")
            self._heads = [
                (number, line.strip())
                for number, line in enumerate(self._lines)
                if line.lstrip().startswith("[")
            ]
        return self._lines, self._heads

    def locate(self, keys: tuple) -> tuple[int, int] | None:
        """Best-effort line and column for a key path like ("days", 3, "tasks", 1, "id").

        Walks the table headers the way our writer lays them out: [plan] and
        [plan.safety], then one [[days]] per day, each followed by its [days.gate] and
        [[days.tasks]]. A key is found on its `key =` line in its table, else the table's
        header line stands for it. Hand-edited files that use other layouts fall back to
        no position (the message still names the key).
        """
        if not keys or not self.text:
            return None
        lines, heads = self._table_lines()

        def header(name: str, low: int, high: int, index: int = 0) -> int | None:
            """The line number of the `index`-th header `name` in lines low..high, or None."""
            for number, stripped in heads:
                if low <= number < high and stripped.startswith(name):
                    if not index:
                        return number
                    index -= 1
            return None

        def table_end(number: int) -> int:
            """Where the table whose header is on line `number` ends (the next header)."""
            return next((n for n, _ in heads if n > number), len(lines))

        rest = list(keys)
        start, end = 0, table_end(-1)  # top-level keys come before the first header
        if rest[0] == "plan":
            found = header("[plan]", 0, len(lines))
            if found is None:
                return None
            start, end, rest = found, table_end(found), rest[1:]
            safety = header("[plan.safety]", 0, len(lines)) if rest[:1] == ["safety"] else None
            if safety is not None and len(rest) > 1:
                start, end, rest = safety, table_end(safety), rest[1:]
        elif rest[0] == "days" and len(rest) >= 2 and isinstance(rest[1], int):
            day = header("[[days]]", 0, len(lines), rest[1])
            if day is None:
                return None
            day_end = header("[[days]]", day + 1, len(lines))
            day_end = len(lines) if day_end is None else day_end
            start, end, rest = day, table_end(day), rest[2:]
            if rest[:1] == ["tasks"] and len(rest) >= 2 and isinstance(rest[1], int):
                task = header("[[days.tasks]]", day + 1, day_end, rest[1])
                if task is None:
                    return None
                start, end, rest = task, table_end(task), rest[2:]
            elif rest[:1] == ["gate"] and len(rest) >= 2:
                gate = header("[days.gate]", day + 1, day_end)
                if gate is not None:
                    start, end, rest = gate, table_end(gate), rest[1:]
        key = rest[0] if len(rest) == 1 and isinstance(rest[0], str) else None
        if key:
            for number in range(start, end):
                stripped = lines[number].lstrip()
                for spelled in (key, f'"{key}"'):
                    if (
                        stripped.startswith(spelled)
                        and stripped[len(spelled) :].lstrip()[:1] == "="
                    ):
                        return number + 1, len(lines[number]) - len(stripped) + 1
        return start + 1, 1
