"""Lock files live out of the plans folder (which a sync tool may share): in the app's
state folder, or HOME/locks for a home the runner gave; one lock file per plan, whatever
path each process opened it by."""

from __future__ import annotations

import argparse
import os
import stat
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import pytest

import planner.cli as cli
from planner import store
from planner.demo import demo_plan
from planner.paths import APP_NAME, lock_folder_for, locks_dir
from planner.store import PlanFile, SaveError, plan_lock
from planner.tui.app import make_app

TODAY = date(2026, 11, 24)


def planner(*args: str, home: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PLANNER_HOME=str(home), PLANNER_TODAY=TODAY.isoformat())
    return subprocess.run(
        [sys.executable, "-m", "planner", *args], capture_output=True, text=True, env=env
    )


@pytest.fixture
def plan_in_home(tmp_path):
    home = tmp_path / "home"
    path = home / "plans" / "bristol-half.toml"
    path.parent.mkdir(parents=True, mode=0o700)
    PlanFile.create(path, demo_plan(TODAY))
    return path


def _locks_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(".lock"))


def test_the_command_line_keeps_no_lock_file_in_the_plans_folder(plan_in_home):
    home = plan_in_home.parent.parent
    for stale in home.rglob("*.lock"):  # the test's own PlanFile.create, if it left one
        stale.unlink()
    day = demo_plan(TODAY).day(TODAY)
    result = planner("tick", day.tasks[0].id, "bristol-half", home=home)
    assert result.returncode == 0, result.stderr
    assert _locks_in(plan_in_home.parent) == []
    made = _locks_in(locks_dir(home))
    assert len(made) == 2  # the plan's, and the state file's (`remember`)
    assert any(name.startswith("bristol-half-") for name in made)
    assert any(name.startswith("state-") for name in made)
    assert stat.S_IMODE(locks_dir(home).stat().st_mode) == 0o700
    assert not list(home.glob(".*.lock"))  # the state file's lock is not beside it either


def test_one_plan_one_lock_file_by_any_path(tmp_path, monkeypatch):
    locks = tmp_path / "locks"
    monkeypatch.setattr("planner.store.files._lock_folder", locks)
    real = tmp_path / "plans"
    real.mkdir()
    plan = real / "bristol-half.toml"
    linked = tmp_path / "synced"
    linked.symlink_to(real, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    ways = [
        plan,
        linked / "bristol-half.toml",
        Path("plans/bristol-half.toml"),
        tmp_path / "plans" / ".." / "plans" / "bristol-half.toml",
    ]
    assert len({store.lock_path(way) for way in ways}) == 1
    assert store.lock_path(real / "london.toml") != store.lock_path(plan)
    assert store.lock_path(plan).parent == locks


def test_the_lock_held_by_one_path_stops_the_other(tmp_path, monkeypatch):
    monkeypatch.setattr("planner.store.files._lock_folder", tmp_path / "locks")
    real = tmp_path / "plans"
    real.mkdir()
    (tmp_path / "synced").symlink_to(real, target_is_directory=True)
    held = plan_lock(real / "bristol-half.toml")
    other = plan_lock(tmp_path / "synced" / "bristol-half.toml", timeout=0)
    with held, pytest.raises(SaveError, match="locked"), other:
        pass
    with plan_lock(tmp_path / "synced" / "bristol-half.toml", timeout=0):
        pass  # free again once the first let go


def test_the_default_home_locks_in_the_platforms_state_folder(tmp_path, monkeypatch):
    import platformdirs

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    default = platformdirs.user_data_path(APP_NAME, appauthor=False)
    state = platformdirs.user_state_path(APP_NAME, appauthor=False)
    assert lock_folder_for(default) == state / "locks"
    assert lock_folder_for(tmp_path / "mine") == tmp_path / "mine" / "locks"
    if sys.platform.startswith("linux"):
        assert lock_folder_for(default) == tmp_path / "state" / APP_NAME / "locks"


def test_the_command_lines_context_sets_the_lock_folder_at_the_first_lock(tmp_path, monkeypatch):
    monkeypatch.setattr("planner.store.files._lock_folder", None)
    home = tmp_path / "home"
    monkeypatch.setenv("PLANNER_HOME", str(home))
    ctx = cli._context(argparse.Namespace(today=None))
    assert ctx.home == home
    assert store.lock_path(tmp_path / "a.toml").parent == home / "locks"


def test_the_app_locks_where_a_command_beside_it_does(tmp_path, monkeypatch):
    """An app made in-process (as the Pilot tests make it) and a `planner` process for the
    same home use one lock file for a plan: each waits for the other."""
    monkeypatch.setattr("planner.store.files._lock_folder", None)
    home = tmp_path / "home"
    make_app(None, home=home, today=TODAY)
    plan = tmp_path / "a.toml"
    assert store.lock_path(plan).parent == lock_folder_for(home) == home / "locks"


def test_old_lock_files_in_the_plans_folder_are_no_plans(plan_in_home):
    home = plan_in_home.parent.parent
    (plan_in_home.parent / ".bristol-half.toml.lock").write_text("")
    result = planner("list", home=home)
    assert result.returncode == 0, result.stderr
    assert ".lock" not in result.stdout
    assert result.stdout.count("Bristol Half") == 1
    shown = planner("show", home=home)
    assert shown.returncode == 0, shown.stderr


def test_the_demo_keeps_its_locks_in_its_own_folder(tmp_path, monkeypatch):
    """`planner demo` makes its plan in a temporary folder: its lock files go there too,
    never into the runner's state folder."""
    import planner.cli.tui_commands as tui_commands

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("PLANNER_HOME", raising=False)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    shown: list[Path] = []
    monkeypatch.setattr(tui_commands, "need_terminal", lambda: None)
    monkeypatch.setattr(tui_commands, "run_tui", lambda path, ctx, **kw: shown.append(path) or 0)
    assert cli.main(["demo"]) == 0
    (demo,) = shown
    folder = demo.parent.parent
    assert store.lock_path(demo).parent == folder / "locks"
    assert list((folder / "locks").iterdir())  # the demo plan was made under its lock
    assert not (tmp_path / "state").exists()
