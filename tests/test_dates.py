"""Date words are read relative to the given today, never the clock."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.dates import DateError, describe_date, parse_date, relative_words

SAT = date(2026, 11, 21)  # a Saturday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-29", date(2026, 11, 29)),
        ("29 Nov", date(2026, 11, 29)),
        ("Nov 29 2026", date(2026, 11, 29)),
        ("  NOV   29  2026 ", date(2026, 11, 29)),
        ("today", SAT),
        ("yesterday", date(2026, 11, 20)),
        ("tomorrow", date(2026, 11, 22)),
        ("next sunday", date(2026, 11, 22)),
        ("next sun", date(2026, 11, 22)),
        ("sunday", date(2026, 11, 22)),
        ("next saturday", date(2026, 11, 28)),
        ("last sunday", date(2026, 11, 15)),
        ("+3", date(2026, 11, 24)),
        ("in 3 days", date(2026, 11, 24)),
        ("2 weeks ago", date(2026, 11, 7)),
        ("-1", date(2026, 11, 20)),
    ],
)
def test_words_and_forms(text, expected):
    assert parse_date(text, SAT) == expected


@pytest.mark.parametrize(
    "text", ["", "   ", "soon", "2026-13-01", "31 Feb 2026", "next", "99999999"]
)
def test_unreadable_dates_raise_a_clear_error(text):
    with pytest.raises(DateError) as error:
        parse_date(text, SAT)
    assert "2026-11-29" in str(error.value) or "no date" in str(error.value)


def test_far_edge_of_the_calendar_is_an_error_not_a_crash():
    with pytest.raises(DateError):
        parse_date("tomorrow", date(9999, 12, 31))


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(9000, 1, 1)))
def test_relative_words_follow_the_given_today(today):
    assert parse_date("today", today) == today
    assert (parse_date("tomorrow", today) - today).days == 1
    nxt = parse_date("next sunday", today)
    assert nxt.weekday() == 6 and 1 <= (nxt - today).days <= 7
    assert parse_date(today.isoformat(), SAT) == today


def test_describe_date_reads_like_the_form_echo():
    assert describe_date(date(2026, 11, 20), SAT) == "Fri 20 Nov 2026, yesterday"
    assert relative_words(date(2026, 11, 29), SAT) == "in 8 days"
    assert relative_words(date(2026, 11, 18), SAT) == "3 days ago"


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)), st.dates())
def test_iso_dates_read_as_dateutil_reads_them(when, today):
    """ISO dates skip dateutil (it loads slowly); both must agree on every one."""
    from datetime import datetime

    from dateutil import parser

    text = when.isoformat()
    default = datetime(today.year, today.month, today.day)
    assert parse_date(text, today) == when == parser.parse(text, default=default).date()


def test_an_impossible_iso_date_is_still_explained():
    with pytest.raises(DateError, match="2026-02-30"):
        parse_date("2026-02-30", date(2026, 1, 1))
