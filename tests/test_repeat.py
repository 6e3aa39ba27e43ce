"""Repeating tasks of the runner's own (`planner add --every`, planner.repeat): they land on
exactly the days asked, within the plan and none past --until; each day's is a task of its
own, ticked alone; deleting one and the later ones finds them by their series; a bad
--every changes nothing; the series id survives the file, and an older file without it
reads and writes as before."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.cli import main
from planner.model import Category, SkipReason
from planner.ops import OpError
from planner.repeat import MAX_EVERY, Repeat, RepeatError, occurrences, parse_every
from planner.service import ChangeRefused, PlanSession
from planner.store import PlanFile, dumps_plan, load_plan, parse_plan

NOON = datetime(2026, 11, 21, 12, tzinfo=UTC)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# ------------------------------------------------------------------ the days a repeat falls on

spans = st.tuples(
    st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 1, 1)), st.integers(-3, 120)
).map(lambda t: (t[0], t[0] + timedelta(days=t[1])))


@settings(max_examples=300)
@given(spans, st.integers(1, MAX_EVERY))
def test_every_n_days_lands_on_exactly_those_days(span, every):
    start, until = span
    days = occurrences(Repeat(every), start, until)
    if until < start:
        assert days == []
        return
    assert days[0] == start  # counted from the first day
    assert all((b - a).days == every for a, b in pairwise(days))
    assert days[-1] <= until < days[-1] + timedelta(days=every)  # none past --until, none left
    assert days == [d for d in _every_day(start, until) if (d - start).days % every == 0]


@settings(max_examples=300)
@given(spans, st.sets(st.integers(0, 6), min_size=1))
def test_weekdays_land_on_exactly_those_days(span, weekdays):
    start, until = span
    days = occurrences(Repeat(weekdays=tuple(sorted(weekdays))), start, until)
    assert days == [d for d in _every_day(start, until) if d.weekday() in weekdays]


def _every_day(start, until):
    return [start + timedelta(days=n) for n in range((until - start).days + 1)]


@given(st.sets(st.integers(0, 6), min_size=1), st.sampled_from([str.lower, str.upper, str.title]))
def test_weekday_lists_read_in_any_order_and_case(weekdays, case):
    full = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    words = [DAYS[d] if d % 2 else full[d] for d in weekdays]  # short and full names mixed
    assert parse_every(case(",".join(reversed(words)))) == Repeat(weekdays=tuple(sorted(weekdays)))


@pytest.mark.parametrize(
    ("text", "repeat"),
    [
        ("day", Repeat(1)),
        ("daily", Repeat(1)),
        ("1d", Repeat(1)),
        ("2d", Repeat(2)),
        (" 3D ", Repeat(3)),
        ("7 days", Repeat(7)),
        ("mon,wed,fri", Repeat(weekdays=(0, 2, 4))),
        ("sun, sat", Repeat(weekdays=(5, 6))),
    ],
)
def test_the_forms_every_reads(text, repeat):
    assert parse_every(text) == repeat


@pytest.mark.parametrize(
    "text", ["", "0d", "29d", "2", "d", "week", "mon,,wed", "funday", "-2d", "²d"]
)
def test_anything_else_names_the_allowed_forms(text):
    with pytest.raises(RepeatError, match=r"use day, 2d to 28d .* like mon,wed,fri"):
        parse_every(text)


def test_a_repeat_says_itself():
    assert [Repeat(1).words(), Repeat(2).words(), Repeat(weekdays=(0, 2, 4)).words()] == [
        "every day",
        "every 2 days",
        "Mon, Wed, Fri",
    ]


# ------------------------------------------------------------------ the session


@pytest.fixture
def session(tmp_path, plan_path):
    from planner.demo import DEMO_TODAY

    return PlanSession(PlanFile.open(plan_path), DEMO_TODAY, lambda: NOON)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(-6, 30),
    st.integers(0, 40),
    st.sampled_from(["day", "2d", "3d", "mon,wed,fri", "sat"]),
)
def test_each_day_is_its_own_task_and_all_share_the_series(tmp_path_factory, start, length, every):
    from planner.demo import DEMO_TODAY, demo_plan

    path = tmp_path_factory.mktemp("plan") / "plan.toml"
    PlanFile.create(path, demo_plan(DEMO_TODAY))
    session = PlanSession(PlanFile.open(path), DEMO_TODAY, lambda: NOON)
    plan = session.plan
    first = min(max(DEMO_TODAY + timedelta(days=start), plan.first_date), plan.last_date)
    until = min(first + timedelta(days=length), plan.last_date)
    repeat = parse_every(every)
    asked = occurrences(repeat, first, until)
    if not asked:
        with pytest.raises(ChangeRefused, match="falls on no day"):
            session.add_series(first, until, repeat, "Foam roll", Category.MASSAGE, "2 min")
        assert load_plan(path) == plan
        return
    assert session.add_series(first, until, repeat, "Foam roll", Category.MASSAGE, "2 min")
    saved = load_plan(path)
    mine = [(d.date, t) for d in saved.days for t in d.tasks if t.title == "Foam roll"]
    assert [when for when, _ in mine] == asked  # exactly the days asked, none past until
    assert [(when, t.id) for when, t in mine] == session.added
    assert len({t.series for _, t in mine}) == 1 and mine[0][1].series.startswith("rep-")
    assert all(t.custom and t.category == Category.MASSAGE and t.dose == "2 min" for _, t in mine)
    # ticked alone: the first day's tick is that day's only
    when, task = mine[0]
    if when <= DEMO_TODAY:
        assert session.set_done(when, task.id, True)
        ticked = [t.done for d in load_plan(path).days for t in d.tasks if t.title == "Foam roll"]
        assert ticked == [True] + [False] * (len(mine) - 1)


def test_undo_takes_the_whole_series_back(session):
    before = load_plan(session.file.path)
    today = session.today
    assert session.add_series(
        today, today + timedelta(days=6), Repeat(2), "Yoga", Category.STRETCH, ""
    )
    assert len(session.added) == 4
    assert session.undo() == "adding of 'Yoga' every 2 days (4 days)"
    assert load_plan(session.file.path) == before


def test_this_one_and_the_later_ones_leave_the_earlier_and_the_done(session):
    today = session.today
    start = today - timedelta(days=2)
    assert session.add_series(
        start, start + timedelta(days=9), Repeat(1), "Foam roll", Category.CUSTOM, ""
    )
    days = dict(session.added)
    assert session.set_done(today - timedelta(days=1), days[today - timedelta(days=1)], True)
    assert session.skip(
        today + timedelta(days=4), days[today + timedelta(days=4)], SkipReason.TRAVEL
    )
    # from the day before today, which is done: it goes (it was chosen), the skipped stays
    rest = session.series_rest(today - timedelta(days=1), days[today - timedelta(days=1)])
    assert [d for d, _ in rest] == [
        d for d in sorted(days) if d >= today and d != today + timedelta(days=4)
    ]
    before = load_plan(session.file.path)
    assert session.delete_series(today - timedelta(days=1), days[today - timedelta(days=1)])
    left = {
        d.date for d in load_plan(session.file.path).days for t in d.tasks if t.title == "Foam roll"
    }
    assert left == {start, today + timedelta(days=4)}
    assert session.undo() == "delete of 'Foam roll' and its later days (8 days)"
    after = load_plan(session.file.path)
    assert {d.date: sorted(t.id for t in d.tasks) for d in after.days} == {
        d.date: sorted(t.id for t in d.tasks) for d in before.days
    }
    for day in before.days:  # each one back as it was: done, skipped, series
        for task in day.tasks:
            assert after.day(day.date).task(task.id) == task


def test_a_task_of_no_series_has_no_later_days(session):
    assert session.add_task(session.today, "Once", Category.CUSTOM, "")
    assert session.series_rest(session.today, session.added_id) == []


def test_a_batch_that_does_not_fit_changes_no_day(session):
    from planner.ops import AddTask, DeleteTask, TaskBatch

    plan = session.plan
    today = session.today
    ops = (AddTask(today, "my-a", "A"), DeleteTask(today + timedelta(days=1), "no-such-task"))
    before = [list(d.tasks) for d in plan.days]
    with pytest.raises(OpError):
        TaskBatch(ops, "two things").apply(plan)
    assert [list(d.tasks) for d in plan.days] == before


# ------------------------------------------------------------------ the file


def test_the_series_survives_the_file_and_older_files_read_as_before(session, plan_path):
    old = plan_path.read_bytes()
    assert b"series" not in old
    assert dumps_plan(parse_plan(old, plan_path)).encode() == old  # read and written as it was
    today = session.today
    assert session.add_series(
        today, today + timedelta(days=2), Repeat(1), "Roll", Category.CUSTOM, ""
    )
    text = plan_path.read_text()
    assert text.count('series = "rep-') == 3
    again = load_plan(plan_path)
    assert dumps_plan(again) == text  # round trip unchanged


# ------------------------------------------------------------------ the command line


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def cli_plan(home, capsys):
    code, _, err = run(
        capsys, "new", "--injury", "2026-11-20", "--race", "2026-11-29", "--name", "Bristol Half"
    )
    assert code == 0, err
    return home / "plans" / "bristol-half.toml"


BAD = [
    (["--every", "fortnightly"], "--every: 'fortnightly' is not a repeat; use day, 2d to 28d"),
    (["--every", "0d"], "--every: '0d' is not a repeat"),
    (["--until", "tomorrow"], "--until: only with --every"),
    (["--every", "day", "--until", "someday"], "--until: can't read 'someday'"),
    (["--every", "day", "--until", "2027-06-01"], "--until: 2027-06-01 is outside the plan"),
    (
        ["--every", "day", "--until", "2026-11-20"],
        "--until: Fri 20 Nov 2026 comes before the first day",
    ),
    (["--every", "mon", "--until", "2026-11-22"], "--every: Mon falls on no day from Sat 21 Nov"),
    (["--every", "day", "--date", "2027-06-01"], "--date: 2027-06-01 is outside the plan"),
]


@pytest.mark.parametrize(("args", "said"), BAD, ids=[" ".join(a) for a, _ in BAD])
def test_a_bad_repeat_is_one_line_exit_2_and_nothing_changes(cli_plan, capsys, args, said):
    before = {p.name: p.read_bytes() for p in cli_plan.parent.iterdir()}
    code, out, err = run(capsys, "add", "Foam roll", *args)
    assert code == 2, (out, err)
    assert err.startswith(f"planner: {said}"), err
    assert err.count("\n") == 1 and not out
    assert {p.name: p.read_bytes() for p in cli_plan.parent.iterdir()} == before


def test_add_every_puts_the_task_on_the_days_asked(cli_plan, capsys):
    code, out, err = run(
        capsys,
        "add",
        "Yoga",
        "--every",
        "mon,wed,fri",
        "--until",
        "2026-12-04",
        "--category",
        "stretch",
    )
    assert code == 0, err
    assert (
        out.splitlines()[0]
        == "Added 'Yoga', Mon, Wed, Fri: 6 days, Mon 23 Nov to Fri 4 Dec. Saved."
    )
    plan = load_plan(cli_plan)
    days = [d.date for d in plan.days for t in d.tasks if t.title == "Yoga"]
    assert days == [date(2026, 11, d) for d in (23, 25, 27)] + [
        date(2026, 11, 30),
        date(2026, 12, 2),
        date(2026, 12, 4),
    ]


def test_add_every_without_until_runs_to_the_plans_last_day(cli_plan, capsys):
    code, out, _ = run(capsys, "add", "Foam roll", "--every", "day")
    assert code == 0
    assert out.startswith("Added 'Foam roll', every day: 23 days, Sat 21 Nov to Sun 13 Dec.")
    plan = load_plan(cli_plan)
    days = [d.date for d in plan.days for t in d.tasks if t.title == "Foam roll"]
    assert days[0] == date(2026, 11, 21) and days[-1] == plan.last_date
    assert len(days) == (plan.last_date - date(2026, 11, 21)).days + 1
    # each its own task: tick today's, the rest stay open
    code, _, _ = run(capsys, "tick", plan.day(date(2026, 11, 21)).tasks[-1].id)
    assert code == 0
    done = [t.done for d in load_plan(cli_plan).days for t in d.tasks if t.title == "Foam roll"]
    assert done == [True] + [False] * (len(days) - 1)
