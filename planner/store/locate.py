"""Where a key of a plan file is: `path:line:col` for an error, found from the table
headers our writer lays out."""

from __future__ import annotations


def _located(text: str, keys: tuple) -> tuple[int, int] | None:
    """Best-effort line and column for a key path like ("days", 3, "tasks", 1, "id").

    Walks the file's table headers the way our writer lays them out: [plan] and
    [plan.safety], then one [[days]] per day, each followed by its [days.gate] and
    [[days.tasks]]. A key is found on its `key =` line in its table, else the table's
    header line stands for it. Hand-edited files that use other layouts fall back to no
    position (the message still names the key).
    """
    if not keys or not text:
        return None
    lines = text.split("\n")  # TOML lines end at \n only; splitlines() splits at \u2028 too

    def header(name: str, low: int, high: int, index: int = 0) -> int | None:
        """The line number of the `index`-th header `name` in lines low..high, or None."""
        for number in range(low, high):
            if lines[number].strip().startswith(name):
                if not index:
                    return number
                index -= 1
        return None

    def table_end(number: int) -> int:
        """Where the table whose header is on line `number` ends (the next header)."""
        return next(
            (n for n in range(number + 1, len(lines)) if lines[n].lstrip().startswith("[")),
            len(lines),
        )

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
                if stripped.startswith(spelled) and stripped[len(spelled) :].lstrip()[:1] == "=":
                    return number + 1, len(lines[number]) - len(stripped) + 1
    return start + 1, 1
