"""The calendar's alarms: a morning one on each day's event, an evening "log pain" event,
parsed back with icalendar and their times worked out in real zones across clock changes;
bad times refused on the command line and in the TUI's export dialog with nothing written.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar
from textual.widgets import Input, RadioSet, Static

from planner.cli import main
from planner.engine import build_plan
from planner.export import CLOCK_FORM, parse_clock, to_ics
from planner.model import PlanInputs
from planner.store import PlanFile, load_plan
from planner.tui.app import make_app
from planner.tui.dialogs.export import ExportDialog
from planner.week import key_task, key_title
from tests.test_tui_plan import wait_for

STAMP = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
MORNING = time(7, 30)
EVENING = time(20, 0)

# Clock changes (2027), the day the clocks go forward or back, in zones that change at
# different hours: London at 01:00, New York at 02:00, both between midnight and 07:30.
CHANGES = [
    ("Europe/London", date(2027, 3, 28), +1),
    ("Europe/London", date(2027, 10, 31), -1),
    ("America/New_York", date(2027, 3, 14), +1),
    ("America/New_York", date(2027, 11, 7), -1),
]


def plan_over(day: date):
    """A real plan (the engine's) whose days run from a week before `day` past it."""
    inputs = PlanInputs(day - timedelta(days=7), day + timedelta(days=30), name="Bristol Half")
    return build_plan(inputs, day - timedelta(days=6), created=STAMP)


def parsed(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def day_events(calendar: Calendar) -> dict[date, object]:
    """The all-day events by date."""
    return {
        e.decoded("dtstart"): e
        for e in calendar.walk("VEVENT")
        if not isinstance(e.decoded("dtstart"), datetime)
    }


def pain_events(calendar: Calendar) -> dict[date, object]:
    """The evening 'log pain' events by date."""
    return {
        e.decoded("dtstart").date(): e
        for e in calendar.walk("VEVENT")
        if isinstance(e.decoded("dtstart"), datetime)
    }


def elapsed_fire(start: datetime, trigger: timedelta) -> datetime:
    """When an alarm `trigger` after `start` (an aware local time) rings, counting the
    trigger as elapsed time, as RFC 5545 3.3.6 reads a duration in hours and minutes."""
    return (start.astimezone(UTC) + trigger).astimezone(start.tzinfo)


def wall_fire(start: datetime, trigger: timedelta) -> datetime:
    """The same counted on the clock (Python's aware arithmetic is wall-clock)."""
    return start + trigger


def only_alarm(event):
    alarms = event.walk("VALARM")
    assert len(alarms) == 1
    return alarms[0]


# ------------------------------------------------------------------ times as typed


@given(st.integers(0, 23), st.integers(0, 59))
def test_every_time_of_day_reads_back(hour, minute):
    assert parse_clock(f"{hour:02d}:{minute:02d}") == time(hour, minute)
    assert parse_clock(f" {hour}:{minute:02d} ") == time(hour, minute)


@pytest.mark.parametrize(
    "text",
    ["24:00", "7:60", "7.30", "0730", "7:3", "-1:00", "", " ", "07:30:00", "7 30", "７:30", "x"],
)
def test_what_is_not_a_time_is_refused_naming_the_form(text):
    with pytest.raises(ValueError, match=f"use {CLOCK_FORM.replace('(', '.').replace(')', '.')}"):
        parse_clock(text)


# ------------------------------------------------------------------ the calendar


def test_no_reminders_no_alarms_and_one_event_a_day():
    plan = plan_over(date(2027, 3, 28))
    calendar = parsed(to_ics(plan, STAMP))
    assert not calendar.walk("VALARM")
    assert len(calendar.walk("VEVENT")) == len(plan.days)


def test_each_day_gets_a_morning_alarm_naming_its_key_session():
    plan = plan_over(date(2027, 3, 28))
    events = day_events(parsed(to_ics(plan, STAMP, remind=MORNING)))
    assert sorted(events) == [day.date for day in plan.days]
    for day in plan.days:
        alarm = only_alarm(events[day.date])
        assert str(alarm["action"]) == "DISPLAY"
        assert key_title(key_task(day)) in str(alarm["description"])
        assert alarm.decoded("trigger") == timedelta(hours=7, minutes=30)
    assert not pain_events(parsed(to_ics(plan, STAMP, remind=MORNING)))


def test_each_day_gets_a_log_pain_event_in_floating_local_time():
    plan = plan_over(date(2027, 3, 28))
    data = to_ics(plan, STAMP, pain_reminder=EVENING)
    calendar = parsed(data)
    events = pain_events(calendar)
    assert sorted(events) == [day.date for day in plan.days]
    for day in plan.days:
        event = events[day.date]
        start = event.decoded("dtstart")
        assert start == datetime.combine(day.date, EVENING) and start.tzinfo is None
        assert "Log today's pain" in str(event["summary"])
        assert only_alarm(event).decoded("trigger") == timedelta(0)
        assert str(event["transp"]) == "TRANSPARENT"
    # floating: no zone and no UTC mark on the times, so no zone data is needed anywhere
    assert b"DTSTART:20270328T200000\r\n" in data and b"TZID" not in data
    # the day's own events keep no alarm when only the evening one is asked for
    assert all(not e.walk("VALARM") for e in day_events(calendar).values())
    uids = [str(e["uid"]) for e in calendar.walk("VEVENT")]
    assert len(set(uids)) == len(uids)


def test_a_day_with_its_pain_logged_keeps_its_event_without_the_alarm():
    plan = plan_over(date(2027, 3, 28))
    logged = plan.days[2]
    logged.pain = 3
    events = pain_events(parsed(to_ics(plan, STAMP, pain_reminder=EVENING)))
    assert not events[logged.date].walk("VALARM")
    assert "Pain logged: 3/10" in str(events[logged.date]["summary"])
    assert only_alarm(events[plan.days[3].date])


@pytest.mark.parametrize(("zone", "change", "direction"), CHANGES)
def test_the_morning_alarm_rings_at_0730_across_a_clock_change(zone, change, direction):
    tz = ZoneInfo(zone)
    plan = plan_over(change)
    events = day_events(parsed(to_ics(plan, STAMP, remind=MORNING)))
    offsets = set()
    for when in (change - timedelta(days=1), change + timedelta(days=1)):
        event = events[when]
        midnight = datetime.combine(event.decoded("dtstart"), time(0), tz)
        trigger = only_alarm(event).decoded("trigger")
        for fire in (elapsed_fire(midnight, trigger), wall_fire(midnight, trigger)):
            assert fire.date() == when and fire.time() == MORNING
        offsets.add(midnight.utcoffset())
    assert len(offsets) == 2  # the two days really are on either side of the change
    # On the night itself the two readings part (the README says so): a calendar counting
    # elapsed time rings an hour late in spring, an hour early in autumn.
    event = events[change]
    midnight = datetime.combine(change, time(0), tz)
    trigger = only_alarm(event).decoded("trigger")
    assert wall_fire(midnight, trigger).time() == MORNING
    shifted = datetime.combine(change, MORNING) + timedelta(hours=direction)
    assert elapsed_fire(midnight, trigger).replace(tzinfo=None) == shifted


@pytest.mark.parametrize(("zone", "change", "direction"), CHANGES)
def test_the_pain_alarm_rings_at_2000_every_day_the_change_included(zone, change, direction):
    tz = ZoneInfo(zone)
    plan = plan_over(change)
    events = pain_events(parsed(to_ics(plan, STAMP, pain_reminder=EVENING)))
    for when in (change - timedelta(days=1), change, change + timedelta(days=1)):
        event = events[when]
        start = event.decoded("dtstart").replace(tzinfo=tz)  # floating: the phone's zone
        trigger = only_alarm(event).decoded("trigger")
        for fire in (elapsed_fire(start, trigger), wall_fire(start, trigger)):
            assert fire.date() == when and fire.time() == EVENING


def test_same_arguments_same_bytes():
    plan = plan_over(date(2027, 3, 28))
    one = to_ics(plan, STAMP, remind=MORNING, pain_reminder=EVENING)
    assert one == to_ics(plan, STAMP, remind=MORNING, pain_reminder=EVENING)
    assert one != to_ics(plan, STAMP, remind=time(7, 31), pain_reminder=EVENING)


# ------------------------------------------------------------------ the command line


@pytest.fixture
def saved_plan(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("PLANNER_HOME", str(home))
    monkeypatch.setenv("PLANNER_TODAY", "2027-03-22")
    path = home / "plans" / "bristol-half.toml"
    path.parent.mkdir(parents=True)
    PlanFile.create(path, plan_over(date(2027, 3, 28)))
    return path


def test_export_writes_the_alarms_asked_for(saved_plan, tmp_path, capsys):
    out = tmp_path / "cal.ics"
    args = ["export", "-o", str(out), "--remind", "7:30", "--pain-reminder", "20:00"]
    assert main(args) == 0
    said = capsys.readouterr().out
    assert "alarm at 07:30" in said and "20:00" in said
    calendar = parsed(out.read_bytes())
    plan = load_plan(saved_plan)
    assert len(day_events(calendar)) == len(pain_events(calendar)) == len(plan.days)
    assert {only_alarm(e).decoded("trigger") for e in day_events(calendar).values()} == {
        timedelta(hours=7, minutes=30)
    }


def _home_files(tmp_path):
    return sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--remind", "25:00"], f"--remind: '25:00' is not a time of day; use {CLOCK_FORM}"),
        (["--remind", "7.30"], f"--remind: '7.30' is not a time of day; use {CLOCK_FORM}"),
        (
            ["--pain-reminder", "8pm"],
            f"--pain-reminder: '8pm' is not a time of day; use {CLOCK_FORM}",
        ),
        (["--format", "md", "--remind", "07:30"], "--remind: only a calendar has alarms"),
        (["--format", "md", "--pain-reminder", "20:00"], "--pain-reminder: only a calendar"),
        (["--format", "md", "--keep-updated"], "--keep-updated: only a calendar file"),
    ],
)
def test_bad_reminders_exit_2_and_write_nothing(saved_plan, tmp_path, capsys, args, words):
    out = tmp_path / "cal.out"
    before = _home_files(tmp_path)
    plan_bytes = saved_plan.read_bytes()
    fmt = [] if "--format" in args else ["--format", "ics"]
    assert main(["export", "-o", str(out), *fmt, *args]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"planner: {words}") and error.count("\n") == 1
    assert not out.exists()
    assert _home_files(tmp_path) == before and saved_plan.read_bytes() == plan_bytes


def test_an_md_file_named_by_its_suffix_refuses_alarms_too(saved_plan, tmp_path, capsys):
    out = tmp_path / "plan.md"
    assert main(["export", "-o", str(out), "--remind", "07:30"]) == 2
    assert "--remind: only a calendar has alarms" in capsys.readouterr().err
    assert not out.exists()


# ------------------------------------------------------------------ the TUI's dialog


async def _export_dialog(app, pilot):
    await pilot.press("e")
    await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog))
    return app.screen


async def _type(pilot, field: Input, text: str) -> None:
    field.focus()
    field.value = ""
    await pilot.press(*text)


async def test_the_dialog_refuses_a_bad_time_and_writes_nothing(plan_path, tmp_path):
    target = tmp_path / "out.ics"
    app = make_app(plan_path, home=tmp_path / "home", today=date(2026, 11, 24), now=lambda: STAMP)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _export_dialog(app, pilot)
        dialog.query_one("#export-path", Input).value = str(target)
        await _type(pilot, dialog.query_one("#remind", Input), "25:00")
        await pilot.press("enter")
        error = dialog.query_one("#export-error", Static)
        await wait_for(pilot, lambda: "Daily alarm" in str(error.render()))
        assert f"'25:00' is not a time of day; use {CLOCK_FORM}" in str(error.render())
        assert app.screen is dialog and app.focused is dialog.query_one("#remind", Input)
        assert not target.exists()
        await _type(pilot, dialog.query_one("#remind", Input), "7:30")
        await _type(pilot, dialog.query_one("#pain-reminder", Input), "2000")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Pain-log alarm" in str(error.render()))
        assert not target.exists()
        await _type(pilot, dialog.query_one("#pain-reminder", Input), "20:00")
        await pilot.press("enter")
        await wait_for(pilot, lambda: target.exists())
    calendar = parsed(target.read_bytes())
    days = day_events(calendar)
    assert {only_alarm(e).decoded("trigger") for e in days.values()} == {
        timedelta(hours=7, minutes=30)
    }
    assert len(pain_events(calendar)) == len(days) == len(load_plan(plan_path).days)


async def test_the_dialog_hides_the_alarms_for_markdown(plan_path, tmp_path):
    app = make_app(plan_path, home=tmp_path / "home", today=date(2026, 11, 24), now=lambda: STAMP)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _export_dialog(app, pilot)
        row = dialog.query_one("#export-alarms")
        assert row.display
        dialog.query_one("#format", RadioSet).focus()
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: not row.display)
        assert dialog.query_one("#export-path", Input).value.endswith(".md")
        dialog.query_one("#remind", Input).value = "nonsense"  # hidden: not read for md
        target = tmp_path / "plan.md"
        dialog.query_one("#export-path", Input).value = str(target)
        await pilot.click("#export")
        await wait_for(pilot, lambda: target.exists())
