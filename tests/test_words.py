"""plural(): a count with its noun, singular for exactly one."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from planner.words import noun_for, plural

NOUNS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=12)


def test_one_is_singular_and_every_other_count_plural():
    assert plural(1, "day") == "1 day"
    assert plural(2, "day") == "2 days"
    assert plural(0, "log") == "0 logs"
    assert plural(1, "entry", "entries") == "1 entry"
    assert plural(3, "entry", "entries") == "3 entries"
    assert noun_for(5, "run") == "runs" and noun_for(1, "run") == "run"


@given(st.integers(min_value=-10_000, max_value=10_000), NOUNS, st.none() | NOUNS)
def test_plural_reads_count_then_noun_in_the_right_form(count, noun, many):
    words = plural(count, noun, many)
    number, _, rest = words.partition(" ")
    assert int(number) == count
    if abs(count) == 1:
        assert rest == noun
    else:
        assert rest == (many if many is not None else noun + "s")
    assert rest == noun_for(count, noun, many)
