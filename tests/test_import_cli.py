"""`planner import FILE [PLAN]`: an activity ticks the run of the day it started on with
its moving minutes; the plan on disk is read after each import, and a refused import (a
file of the wrong kind, corrupt, without times, of another sport, a day without a run)
leaves its bytes as they were."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from planner.cli import main
from planner.store import load_plan
from tests.test_import_activity import FIXTURES, write_gpx, write_tcx

NEW = ["new", "--injury", "2026-11-20", "--race", "2026-11-29", "--side", "left"]
FIRST_RUN = date(2026, 11, 27)  # the forum runner's walk-run, the day after the gate
ON_THE_DAY = ["--today", "2026-11-27"]  # the days after it can still change
AFTER = ["--today", "2026-12-07"]  # every run below has come by then


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def utc(monkeypatch):
    """The local zone the import reads dates in: UTC, then as it was."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def plan_path(home, capsys) -> Path:
    """The forum runner's plan with the run gate passed on Thu 26 Nov."""
    assert run(capsys, *NEW, "--name", "Bristol Half")[0] == 0
    path = home / "plans" / "bristol-half.toml"
    gate = ["gate", "--raises", "30", "--hops", "10", "--walk", "30", "--date", "2026-11-26"]
    code, _, err = run(capsys, *gate, "--today", "2026-11-27")
    assert code == 0, err
    return path


def the_run(path: Path, when: date = FIRST_RUN):
    return load_plan(path).day(when).task("run")


def test_a_fit_run_ticks_its_day_with_the_minutes_it_moved(plan_path, capsys):
    code, out, err = run(capsys, "import", str(FIXTURES / "run.fit"), *ON_THE_DAY)
    assert code == 0, err
    assert "run.fit: a FIT activity (running) started Fri 27 Nov 12:02, 18 min moving." in out
    done = "Done: 1. Walk-run 30 min: walk 4, jog 1, repeat (Fri 27 Nov), ran 18 of 30 min."
    assert done in out
    task = the_run(plan_path)
    assert (task.done, task.minutes, task.actual_minutes) == (True, 30, 18)
    assert task.activity_start == datetime(2026, 11, 27, 12, 2, 11, tzinfo=UTC)
    # 18 minutes run: the load rules count them, so the next run was laid again from them
    assert "The plan ahead changes:" in out
    assert the_run(plan_path, date(2026, 12, 3)).minutes == 23  # 1.3 x 18, not 30


def test_the_same_file_imported_twice_changes_nothing(plan_path, capsys):
    assert run(capsys, "import", str(FIXTURES / "run.fit"), *AFTER)[0] == 0
    before = plan_path.read_bytes()
    code, out, _ = run(capsys, "import", str(FIXTURES / "run.fit"), *AFTER)
    assert code == 0
    assert "Already imported: 1. Walk-run 30 min" in out and "Nothing changed." in out
    assert plan_path.read_bytes() == before


def test_a_gpx_written_by_gpxpy_ticks_an_easy_run(plan_path, capsys, tmp_path):
    start = datetime(2026, 12, 3, 7, 30, tzinfo=UTC)
    gpx = write_gpx(tmp_path / "morning.gpx", start, seconds=1500)
    code, out, err = run(capsys, "import", str(gpx), *AFTER)
    assert code == 0, err
    assert "a GPX activity (running) started Thu 3 Dec 07:30, 25 min moving." in out
    task = the_run(plan_path, date(2026, 12, 3))
    assert (task.done, task.actual_minutes, task.activity_start) == (True, 25, start)


def test_a_tcx_written_by_the_xml_writer_ticks_an_easy_run(plan_path, capsys, tmp_path):
    start = datetime(2026, 12, 5, 17, 0, tzinfo=UTC)
    tcx = write_tcx(tmp_path / "evening.tcx", start, laps=(1200.0, 600.0))
    code, out, err = run(capsys, "import", str(tcx), *AFTER)
    assert code == 0, err
    assert "ran 30 of 30 min" in out
    task = the_run(plan_path, date(2026, 12, 5))
    assert (task.done, task.actual_minutes) == (True, 30)
    assert "The plan ahead changes" not in out  # run as planned: nothing to lay again


def test_a_run_ticked_by_hand_takes_the_watch_figure(plan_path, capsys):
    assert run(capsys, "tick", "run", "--date", "2026-11-27", *AFTER)[0] == 0
    code, out, _ = run(capsys, "import", str(FIXTURES / "run.fit"), *AFTER)
    assert code == 0
    assert "Changed: 1. Walk-run" in out and "ran 18 of 30 min (was ticked with 30 min)" in out
    assert the_run(plan_path).actual_minutes == 18


def test_a_figure_corrected_by_hand_survives_a_second_import(plan_path, capsys):
    assert run(capsys, "import", str(FIXTURES / "run.fit"), *AFTER)[0] == 0
    assert run(capsys, "tick", "run", "--minutes", "20", "--date", "2026-11-27", *AFTER)[0] == 0
    before = plan_path.read_bytes()
    code, out, _ = run(capsys, "import", str(FIXTURES / "run.fit"), *AFTER)
    assert code == 0 and "Already imported" in out and "ran 20 of 30 min" in out
    assert plan_path.read_bytes() == before


def refused(capsys, plan_path: Path, *args) -> str:
    """Run a refused import: exit 2, one line on stderr, the plan's bytes unchanged."""
    before = plan_path.read_bytes()
    code, out, err = run(capsys, "import", *args)
    assert code == 2, (out, err)
    assert out == "" and err.count("\n") == 1 and "Traceback" not in err
    assert plan_path.read_bytes() == before
    return err


def test_a_corrupt_file_is_refused(plan_path, capsys, tmp_path):
    data = bytearray((FIXTURES / "run.fit").read_bytes())
    data[200] ^= 0xFF
    corrupt = tmp_path / "corrupt.fit"
    corrupt.write_bytes(bytes(data))
    err = refused(capsys, plan_path, str(corrupt), *AFTER)
    assert err.startswith("planner: FILE: corrupt.fit: is not a FIT file that can be read (")
    assert err.rstrip().endswith("; nothing changed")


def test_a_gpx_without_times_is_refused(plan_path, capsys, tmp_path):
    gpx = write_gpx(tmp_path / "route.gpx", start=None)
    err = refused(capsys, plan_path, str(gpx), *AFTER)
    assert "FILE: route.gpx: has no times on its track" in err


def test_a_file_of_the_wrong_kind_is_refused(plan_path, capsys):
    err = refused(capsys, plan_path, str(plan_path), *AFTER)
    assert "FILE: bristol-half.toml: not a .fit, .gpx or .tcx activity file" in err


def test_a_ride_is_not_a_run(plan_path, capsys):
    err = refused(capsys, plan_path, str(FIXTURES / "ride.fit"), *AFTER)
    assert "the activity is cycling, not a run" in err


def test_an_activity_that_never_moved_is_refused(plan_path, capsys, tmp_path):
    still = write_gpx(tmp_path / "still.gpx", datetime(2026, 11, 27, 9, 0, tzinfo=UTC), seconds=20)
    err = refused(capsys, plan_path, str(still), *AFTER)
    assert "moved for less than a minute: no run to tick" in err


def test_a_day_without_a_run_is_refused(plan_path, capsys, tmp_path):
    rest_day = write_gpx(tmp_path / "sat.gpx", datetime(2026, 11, 28, 9, 0, tzinfo=UTC))
    err = refused(capsys, plan_path, str(rest_day), *AFTER)
    assert "no run is planned on Sat 28 Nov 2026, the day the activity started" in err


def test_a_day_not_come_or_outside_the_plan_is_refused(plan_path, capsys, tmp_path):
    err = refused(capsys, plan_path, str(FIXTURES / "run.fit"), "--today", "2026-11-26")
    assert "hasn't come yet" in err
    old = write_gpx(tmp_path / "old.gpx", datetime(2025, 6, 1, 9, 0, tzinfo=UTC))
    assert "is outside the plan" in refused(capsys, plan_path, str(old), *AFTER)


def test_a_run_ticked_from_another_activity_is_not_overwritten(plan_path, capsys, tmp_path):
    assert run(capsys, "import", str(FIXTURES / "run.fit"), *AFTER)[0] == 0
    later = write_gpx(tmp_path / "second.gpx", datetime(2026, 11, 27, 17, 0, tzinfo=UTC))
    err = refused(capsys, plan_path, str(later), *AFTER)
    assert "was ticked from another activity (started 12:02); untick it first" in err
    assert the_run(plan_path).actual_minutes == 18


def test_the_day_is_the_local_one(plan_path, capsys, tmp_path, monkeypatch):
    # 20:30 UTC on Wed 2 Dec is 09:30 on Thu 3 Dec in Auckland (UTC+13 in summer).
    monkeypatch.setenv("TZ", "NZST-12NZDT-13,M9.5.0,M4.1.0/3")
    time.tzset()
    gpx = write_gpx(tmp_path / "auckland.gpx", datetime(2026, 12, 2, 20, 30, tzinfo=UTC))
    code, out, err = run(capsys, "import", str(gpx), *AFTER)
    assert code == 0, err
    assert "started Thu 3 Dec 09:30" in out
    assert the_run(plan_path, date(2026, 12, 3)).actual_minutes == 25


def test_undo_of_an_import_by_untick_lays_the_plan_again(plan_path, capsys):
    assert run(capsys, "import", str(FIXTURES / "run.fit"), *ON_THE_DAY)[0] == 0
    assert the_run(plan_path, date(2026, 12, 3)).minutes == 23
    code, out, _ = run(capsys, "tick", "run", "--undo", *ON_THE_DAY)
    assert code == 0 and "Not done" in out and "The plan ahead changes:" in out
    task = the_run(plan_path)
    assert (task.done, task.actual_minutes, task.activity_start) == (False, None, None)
    assert the_run(plan_path, date(2026, 12, 3)).minutes == 30
