"""Exports parse back and are stable; progress matches a hand-computed fixture."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from icalendar import Calendar

from planner.cli import main
from planner.demo import demo_plan
from planner.export import to_ics, to_markdown
from planner.model import Category, Day, Distance, InjuryKind, Phase, Plan, SkipReason, Task
from planner.stats import progress, sparkline, trend_words

TODAY = date(2026, 11, 24)
STAMP = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)  # when the export is made


def test_ics_parses_back_with_every_day_and_task():
    plan = demo_plan(TODAY)
    calendar = Calendar.from_ical(to_ics(plan, STAMP))
    events = calendar.walk("VEVENT")
    assert len(events) == len(plan.days)
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    for event, day in zip(events, plan.days, strict=True):
        assert event.decoded("DTSTART") == day.date
        assert (event.decoded("DTEND") - day.date).days == 1
        description = str(event["DESCRIPTION"])
        for task in day.tasks:
            assert task.title in description
    race = next(e for e in events if e.decoded("DTSTART") == plan.race_date)
    assert str(race["SUMMARY"]) == "Race the half marathon, or run-walk it · Bristol Half"
    assert "[x] " in str(events[0]["DESCRIPTION"])  # day 0 was lived in the demo


def test_ics_is_stable_and_uids_survive_a_change():
    plan = demo_plan(TODAY)
    first = to_ics(plan, STAMP)
    assert to_ics(demo_plan(TODAY), STAMP) == first
    plan.days[5].tasks[0].done = True
    after = Calendar.from_ical(to_ics(plan, STAMP))
    before = Calendar.from_ical(first)
    assert [str(e["UID"]) for e in after.walk("VEVENT")] == [
        str(e["UID"]) for e in before.walk("VEVENT")
    ]


def test_markdown_has_a_summary_every_day_every_task_and_literal_titles():
    plan = demo_plan(TODAY)
    plan.day(TODAY).tasks[0].title = "Ice [urgent] *now* <b>"
    plan.day(TODAY).tasks[1].skip = SkipReason.TRAVEL
    text = to_markdown(plan, TODAY)
    assert to_markdown(plan, TODAY) == text
    assert text.startswith("# Bristol Half\n")
    assert "## Summary for a physio" in text
    assert "- Pain (0-10) by day: 5, 4, 3, 3 " in text
    assert "- Skipped: 1 for travel" in text and "- Run gate: not recorded yet" in text
    for day in plan.days:
        assert f"{day.date.day} {day.date:%b %Y}" in text
    assert text.count("\n- [") == sum(len(d.tasks) for d in plan.days)
    assert "- [x] No running today" in text
    assert r"Ice \[urgent\] \*now\* \<b\>" in text


def fixture_plan() -> Plan:
    """Four days by hand: 2/3 done, 1/2 with an excused skip, 0/2, and a future day."""

    def task(i, category, done=False, skip=None):
        return Task(id=f"t{i}", category=category, title=f"T{i}", done=done, skip=skip)

    days = [
        Day(
            date(2026, 1, 1),
            Phase.PROTECT,
            [task(1, Category.ICE, True), task(2, Category.WALK, True), task(3, Category.REST)],
            pain=5,
        ),
        Day(
            date(2026, 1, 2),
            Phase.PROTECT,
            [task(1, Category.ICE, True), task(2, Category.WALK, skip=SkipReason.PAIN)],
            pain=4,
        ),
        Day(
            date(2026, 1, 3),
            Phase.RECOVER,
            [task(1, Category.STRETCH), task(2, Category.WALK)],
            pain=2,
        ),
        Day(date(2026, 1, 4), Phase.RACE, [task(1, Category.RACE)]),
    ]
    return Plan(
        name="Fixture",
        created=datetime(2026, 1, 1, tzinfo=UTC),
        injury_date=date(2026, 1, 1),
        race_date=date(2026, 1, 4),
        injury=InjuryKind.CRAMP,
        grade=None,
        side=None,
        distance=Distance.K5,
        days=days,
    )


def test_progress_matches_a_hand_computed_fixture():
    stats = progress(fixture_plan(), date(2026, 1, 3))
    assert (stats.overall.done, stats.overall.due, stats.overall.excused) == (3, 6, 1)
    assert stats.overall.percent == 50
    assert stats.by_phase["protect"].done == 3 and stats.by_phase["protect"].due == 4
    assert stats.by_phase["recover"].percent == 0
    assert (stats.by_category["walk"].done, stats.by_category["walk"].due) == (1, 2)
    assert stats.by_category["ice"].percent == 100
    assert (stats.current_streak, stats.best_streak) == (1, 1)  # day 2 complete (skip excused)
    assert [p for _, p in stats.pain] == [5, 4, 2] and stats.days_to_race == 1
    assert sparkline([0, 5, 10]) == "▁▅█" and trend_words([5, 4, 2]) == "falling"


def test_streaks_count_complete_days_and_today_is_still_in_progress():
    plan = fixture_plan()
    plan.days[0].tasks[2].done = True  # day 1 now complete too
    stats = progress(plan, date(2026, 1, 3))  # day 3 (today) not done yet
    assert (stats.current_streak, stats.best_streak) == (2, 2)


def test_days_before_the_plan_was_made_count_for_nothing_but_their_pain():
    plan = fixture_plan()
    plan.created = datetime(2026, 1, 2, 12, tzinfo=UTC)  # made on day 2: day 1 wasn't planned
    plan.days[0].tasks[0].done = False  # nothing of day 1 done: not missed either
    stats = progress(plan, date(2026, 1, 3))
    assert (stats.overall.done, stats.overall.due, stats.overall.excused) == (1, 3, 1)
    assert "protect" in stats.by_phase and stats.by_phase["protect"].due == 1
    assert stats.by_category["ice"].due == 1 and "rest" not in stats.by_category
    assert (stats.current_streak, stats.best_streak) == (1, 1)  # day 2 starts the streak
    assert [p for _, p in stats.pain] == [5, 4, 2]  # the pain felt before still shows


@pytest.fixture
def library(home, capsys):
    plans = home / "plans"
    for name, race in (("Bristol Half", "2026-11-29"), ("Spring 10k", "2027-03-07")):
        assert main(["new", "--injury", "2026-11-20", "--race", race, "--name", name]) == 0
    (plans / "broken.toml").write_text("schema_version = 1\n[plan\n")
    capsys.readouterr()
    return plans


def test_list_shows_every_plan_and_names_the_corrupt_one(library, capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "broken.toml: can't be read: Expected ']'" in out
    assert "Bristol Half · Fri 20 Nov to Sun 29 Nov 2026, half (race in 8 days)" in out
    assert "* Spring 10k" in out  # the last one made is the last used


def test_stats_and_export_from_the_command_line(library, tmp_path, capsys):
    assert main(["tick", "1", "Bristol Half"]) == 0
    assert main(["pain", "3", "Bristol Half"]) == 0
    capsys.readouterr()
    assert main(["stats", "Bristol Half"]) == 0
    out = capsys.readouterr().out
    assert "Adherence: " in out and "Pain: " in out and "Streak: " in out
    target = tmp_path / "bristol.ics"
    assert main(["export", "Bristol Half", "--format", "ics", "-o", str(target)]) == 0
    events = Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    assert len(events) == 24  # 9 days to the race, race day, 14 days after it
    assert main(["export", "Bristol Half", "--format", "md"]) == 0
    assert "## Summary for a physio" in capsys.readouterr().out
    assert main(["export", "Bristol Half", "--format", "pdf"]) == 2
    assert main(["export", "--format", "md", "-o", str(library / "x.toml")]) == 2
    assert not (library / "x.toml").exists()


def test_the_core_counts_one_in_the_singular():
    from planner.advice import decide
    from planner.changes import summarize
    from planner.engine import build_plan
    from planner.model import PlanInputs

    lines = [f"line {n}" for n in range(7)]
    assert summarize(lines)[-1] == "... and 1 more day shifts the same way"
    assert summarize([*lines, "line 7"])[-1] == "... and 2 more days shift the same way"
    inputs = PlanInputs(
        injury_date=date(2026, 11, 20),
        race_date=date(2026, 11, 21),
        injury="strain",
        grade=2,
        side="left",
        distance="5k",
        name="x",
    )
    plan = build_plan(inputs, date(2026, 11, 20), created=STAMP)
    reasons = " ".join(decide(plan, date(2026, 11, 20)).reasons)
    assert "A grade 2 strain is 1 day old on race day; under 21 days is too soon." in reasons
    assert not re.search(r"\b1 days", reasons) and "in the last 30 days" in reasons


def test_the_markdown_summary_counts_in_the_right_number():
    plan = demo_plan(TODAY)
    text = to_markdown(plan, plan.injury_date)
    assert "tasks;" in text  # day 0 has several tasks due
    one = fixture_plan()
    del one.days[0].tasks[1:]
    text = to_markdown(one, one.days[0].date)
    assert " of 1 task;" in text and "1 tasks" not in text


def test_the_plans_start_is_its_local_date_even_at_the_edge_of_time(monkeypatch):
    import time

    plan = fixture_plan()
    plan.created = datetime(1, 1, 1, 0, 30, tzinfo=UTC)  # west of UTC: before year 1
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        assert plan.start_date == date(1, 1, 1)
        plan.created = datetime(2026, 1, 2, 3, 0, tzinfo=UTC)  # still the 1st in New York
        assert plan.start_date == date(2026, 1, 1)
    finally:
        monkeypatch.undo()
        time.tzset()
