"""The calendar file kept up to date: named in state.toml by `export --keep-updated`,
rewritten after every save of its plan from a fresh `planner` process and from the TUI,
byte for byte a fresh export; a calendar that can't be written never costs the save; the
state file's other keys and its hand-edited calendars table read robustly.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import time
from pathlib import Path

import pytest
import tomli
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from planner import paths
from planner.calendar_sync import (
    CalendarSetupError,
    WatchedCalendar,
    keep_updated,
    update_after_save,
    watched_calendar,
)
from planner.cli import main
from planner.demo import DEMO_TODAY, demo_plan
from planner.service import PlanSession
from planner.store import PlanFile, load_plan
from planner.tui.app import make_app, pinned_clock
from planner.tui.screens.plan import PlanScreen
from tests.test_tui_plan import wait_for

TODAY = DEMO_TODAY  # Tue 24 Nov 2026, day 4 of the forum runner's plan
ALARMS = ["--remind", "07:30", "--pain-reminder", "20:00"]
WATCH = dict(remind=time(7, 30), pain_reminder=time(20, 0))


@pytest.fixture
def home(tmp_path):
    """An app home holding the forum runner's plan at plans/bristol-half.toml."""
    home = tmp_path / "home"
    path = home / "plans" / "bristol-half.toml"
    path.parent.mkdir(parents=True)
    PlanFile.create(path, demo_plan(TODAY))
    return home


def plan_of(home: Path) -> Path:
    return home / "plans" / "bristol-half.toml"


def planner(home: Path, *args: str) -> subprocess.CompletedProcess:
    """`planner ARGS` as a process of its own, with this home and today pinned."""
    env = {**os.environ, "PLANNER_HOME": str(home), "PLANNER_TODAY": TODAY.isoformat()}
    return subprocess.run(
        [sys.executable, "-m", "planner", *args], env=env, capture_output=True, timeout=60
    )


def fresh_export(home: Path) -> bytes:
    """What `planner export --format ics` with the same alarms prints now."""
    done = planner(home, "export", "--format", "ics", *ALARMS)
    assert done.returncode == 0, done.stderr
    return done.stdout


def state_of(home: Path) -> dict:
    return tomli.loads((home / "state.toml").read_text())


# ------------------------------------------------------------------ from the command line


def test_a_tick_in_a_fresh_process_rewrites_the_calendar_as_a_fresh_export(home, tmp_path):
    calendar = tmp_path / "cal" / "bristol.ics"
    calendar.parent.mkdir()
    done = planner(home, "export", "-o", str(calendar), *ALARMS, "--keep-updated")
    assert done.returncode == 0, done.stderr
    assert b"Kept updated" in done.stdout
    entry = state_of(home)["calendars"][str(plan_of(home).resolve())]
    assert entry == {"path": str(calendar.resolve()), "remind": "07:30", "pain_reminder": "20:00"}
    exported = calendar.read_bytes()
    assert exported == fresh_export(home)

    done = planner(home, "tick", "1")
    assert done.returncode == 0 and done.stderr == b"", done.stderr
    ticked = calendar.read_bytes()
    assert ticked != exported  # the tick and the plan's new revision are in it
    assert b"SEQUENCE:" + str(load_plan(plan_of(home)).revision).encode() in ticked
    assert ticked == fresh_export(home)
    assert (calendar.stat().st_mode & 0o777) == 0o600  # the store's atomic write

    done = planner(home, "pain", "3")  # today's evening reminder stops ringing
    assert done.returncode == 0 and done.stderr == b"", done.stderr
    assert calendar.read_bytes() == fresh_export(home)
    assert b"Pain logged: 3/10" in calendar.read_bytes()


def test_a_plan_without_a_calendar_writes_none(home, tmp_path):
    assert planner(home, "tick", "1").returncode == 0
    assert not list(tmp_path.rglob("*.ics"))
    assert "calendars" not in state_of(home)


def test_a_calendar_that_cant_be_written_leaves_the_plan_saved(home, tmp_path):
    calendar = tmp_path / "bristol.ics"
    assert planner(home, "export", "-o", str(calendar), "--keep-updated").returncode == 0
    calendar.unlink()
    calendar.mkdir()  # a folder where the file was: the rewrite must refuse it
    first = load_plan(plan_of(home)).day(TODAY).tasks[0].id
    done = planner(home, "tick", "1")
    assert done.returncode == 0
    error = done.stderr.decode()
    assert error.startswith("planner: saved, but the calendar file")
    assert "was not updated" in error and "is a folder" in error and error.count("\n") == 1
    assert b"Done: 1." in done.stdout
    assert load_plan(plan_of(home)).day(TODAY).task(first).done
    assert calendar.is_dir() and not any(calendar.iterdir())


def test_a_bad_time_written_by_hand_is_said_and_the_plan_saved(home, tmp_path):
    calendar = tmp_path / "bristol.ics"
    state = {"calendars": {str(plan_of(home)): {"path": str(calendar), "remind": "7.30"}}}
    (home / "state.toml").write_text(tomli_w.dumps(state))
    done = planner(home, "tick", "1")
    assert done.returncode == 0
    error = done.stderr.decode()
    assert "[calendars]" in error and "remind: '7.30' is not a time of day" in error
    assert load_plan(plan_of(home)).day(TODAY).tasks[0].done
    assert not calendar.exists()  # not written without the alarm asked for


def test_no_keep_updated_stops_the_rewrites(home, tmp_path):
    calendar = tmp_path / "bristol.ics"
    assert planner(home, "export", "-o", str(calendar), "--keep-updated").returncode == 0
    assert planner(home, "tick", "1").returncode == 0
    done = planner(home, "export", "bristol-half", "--no-keep-updated")
    assert done.returncode == 0 and b"no longer rewritten" in done.stdout
    kept = calendar.read_bytes()
    assert planner(home, "tick", "2").returncode == 0
    assert calendar.read_bytes() == kept
    assert "calendars" not in state_of(home) and "last_plan" in state_of(home)
    again = planner(home, "export", "bristol-half", "--no-keep-updated")
    assert again.returncode == 0 and b"nothing changed" in again.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--format", "ics", "--keep-updated"], "--keep-updated: give -o PATH"),
        (["-o", "-", "--format", "ics", "--keep-updated"], "--keep-updated: give -o PATH"),
        (["-o", "x.md", "--keep-updated"], "--keep-updated: only a calendar file"),
        (["-o", "x.ics", "--keep-updated", "--remind", "7:61"], "--remind: '7:61' is not"),
    ],
)
def test_keep_updated_refused_writes_nothing(home, tmp_path, monkeypatch, capsys, args, words):
    monkeypatch.setenv("PLANNER_HOME", str(home))
    monkeypatch.setenv("PLANNER_TODAY", TODAY.isoformat())
    monkeypatch.chdir(tmp_path)
    before = sorted(tmp_path.rglob("*"))
    assert main(["export", *args]) == 2
    assert capsys.readouterr().err.startswith(f"planner: {words}")
    assert sorted(tmp_path.rglob("*")) == before


def test_a_refused_target_is_not_kept(home, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PLANNER_HOME", str(home))
    monkeypatch.setenv("PLANNER_TODAY", TODAY.isoformat())
    (tmp_path / "real.ics").write_bytes(b"x")
    (tmp_path / "link.ics").symlink_to(tmp_path / "real.ics")
    assert main(["export", "-o", str(tmp_path / "link.ics"), "--keep-updated"]) == 2
    assert "is a symlink" in capsys.readouterr().err
    assert paths.read_calendars(home) == {}
    assert (tmp_path / "real.ics").read_bytes() == b"x"


# ------------------------------------------------------------------ from the TUI


async def test_a_tick_in_the_tui_rewrites_the_calendar_as_a_fresh_export(home, tmp_path):
    calendar = tmp_path / "bristol.ics"
    path = plan_of(home)
    keep_updated(home, path, WatchedCalendar(calendar, **WATCH))
    app = make_app(path, home=home, today=TODAY, now=pinned_clock(TODAY))
    first = load_plan(path).day(TODAY).tasks[0].id
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        await pilot.press("space")
        await wait_for(pilot, lambda: calendar.exists())
    assert load_plan(path).day(TODAY).task(first).done
    # the same clock as the command line's pinned today (noon UTC): the same DTSTAMP
    assert calendar.read_bytes() == fresh_export(home)


async def test_a_failed_calendar_in_the_tui_is_said_and_the_plan_saved(home, tmp_path):
    calendar = tmp_path / "missing-folder" / "bristol.ics"
    path = plan_of(home)
    keep_updated(home, path, WatchedCalendar(calendar))
    app = make_app(path, home=home, today=TODAY, now=pinned_clock(TODAY))
    first = load_plan(path).day(TODAY).tasks[0].id
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        await pilot.press("space")
        banner = app.screen.query_one("#save-banner")
        await wait_for(pilot, lambda: banner.display)
        words = str(banner.render())
        assert words.startswith("Saved, but the calendar file") and "does not exist" in words
        assert app.screen.session.save_error is None
        assert load_plan(path).day(TODAY).task(first).done
        calendar.parent.mkdir()  # the folder is back: the next save writes it, the banner goes
        await pilot.press("space")
        await wait_for(pilot, lambda: calendar.exists() and not banner.display)
    assert not load_plan(path).day(TODAY).task(first).done


# ------------------------------------------------------------------ the core


def test_any_failure_writing_the_calendar_is_reported_never_raised(home, tmp_path, monkeypatch):
    import planner.export

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the calendar")

    monkeypatch.setattr(planner.export, "to_ics", broken)
    path = plan_of(home)
    keep_updated(home, path, WatchedCalendar(tmp_path / "bristol.ics"))
    session = PlanSession(PlanFile.open(path), TODAY, pinned_clock(TODAY), home=home)
    task = session.plan.day(TODAY).tasks[0]
    assert session.set_done(TODAY, task.id, True) is True
    assert session.save_error is None and not session.unsaved
    assert "RuntimeError: a bug in the calendar" in session.calendar_error
    assert load_plan(path).day(TODAY).task(task.id).done
    # a session without a home keeps no calendar, whatever the state file says
    other = PlanSession(PlanFile.open(path), TODAY, pinned_clock(TODAY))
    assert other.set_done(TODAY, task.id, False) and other.calendar_error is None


def test_a_key_written_by_hand_with_a_tilde_names_the_plan(home, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    calendar = tmp_path / "bristol.ics"
    state = {"calendars": {"~/home/plans/bristol-half.toml": {"path": "~/bristol.ics"}}}
    (home / "state.toml").write_text(tomli_w.dumps(state))
    watch = watched_calendar(home, plan_of(home))
    assert watch == WatchedCalendar(calendar)
    plan = load_plan(plan_of(home))
    assert update_after_save(home, plan_of(home), plan, pinned_clock(TODAY)()) is None
    assert calendar.exists()
    # keeping another file for the plan replaces the hand-written entry: one plan, one file
    keep_updated(home, plan_of(home), WatchedCalendar(tmp_path / "other.ics"))
    assert list(paths.read_calendars(home)) == [str(plan_of(home).resolve())]


def test_an_empty_path_is_a_setup_error(home):
    state = {"calendars": {str(plan_of(home)): {"path": " "}}}
    (home / "state.toml").write_text(tomli_w.dumps(state))
    with pytest.raises(CalendarSetupError, match="path is empty"):
        watched_calendar(home, plan_of(home))


# ------------------------------------------------------------------ the state file


def test_remembering_a_plan_or_a_theme_keeps_the_calendars(home, tmp_path):
    keep_updated(home, plan_of(home), WatchedCalendar(tmp_path / "b.ics", remind=time(6, 5)))
    paths.remember(home, plan_of(home))
    paths.remember_theme(home, "nord")
    assert paths.read_state(home) == {
        "last_plan": str(plan_of(home).resolve()),
        "theme": "nord",
    }
    assert paths.read_calendars(home) == {
        str(plan_of(home).resolve()): {"path": str(tmp_path / "b.ics"), "remind": "06:05"}
    }


toml_scalars = st.one_of(
    st.text(max_size=8), st.integers(-5, 5), st.booleans(), st.floats(allow_nan=False)
)
toml_values = st.recursive(
    toml_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=60)
@given(calendars=toml_values, theme=toml_values)
def test_any_calendars_table_reads_without_error_and_keeps_only_good_entries(
    tmp_path_factory, calendars, theme
):
    home = tmp_path_factory.mktemp("home")
    (home / "state.toml").write_text(
        tomli_w.dumps({"theme": theme, "calendars": calendars}), encoding="utf-8"
    )
    found = paths.read_calendars(home)
    for entry in found.values():
        assert isinstance(entry["path"], str)
        assert set(entry) <= {"path", "remind", "pain_reminder"}
        assert all(isinstance(value, str) for value in entry.values())
    state = paths.read_state(home)
    assert state == ({"theme": theme} if isinstance(theme, str) else {})
    paths.remember_theme(home, "nord")  # a rewrite keeps the good entries, drops the rest
    assert paths.read_calendars(home) == found
    assert paths.read_state(home)["theme"] == "nord"


def test_a_damaged_state_file_names_no_calendar(home):
    (home / "state.toml").write_bytes(b"calendars = [\n\xff")
    assert paths.read_calendars(home) == {} and paths.read_state(home) == {}
    assert watched_calendar(home, plan_of(home)) is None
