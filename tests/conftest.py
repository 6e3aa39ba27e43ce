"""Shared fixtures: a fixed today, a private app home, hypothesis profiles."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

TODAY = date(2026, 11, 21)

settings.register_profile(
    "ci", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.register_profile("dev", parent=settings.get_profile("ci"), max_examples=50)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def _no_lock_folder_carried_over(monkeypatch):
    """Each test starts with the store's lock folder unset: a command run in-process
    (`main()`, `make_app`) sets it, and it would otherwise carry into the next test."""
    monkeypatch.setattr("planner.store.files._lock_folder", None)


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A private app home with today pinned, so nothing touches the real one."""
    monkeypatch.setenv("PLANNER_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PLANNER_TODAY", TODAY.isoformat())
    monkeypatch.setenv("HOME", str(tmp_path))
    return tmp_path / "home"


@pytest.fixture
def plan_path(tmp_path):
    """The forum runner's plan as the demo has lived it (up to Tue 24 Nov), in a plans
    folder of its own: the TUI tests open it."""
    from planner.demo import DEMO_TODAY, demo_plan
    from planner.store import PlanFile

    path = tmp_path / "plans" / "bristol-half.toml"
    path.parent.mkdir()
    PlanFile.create(path, demo_plan(DEMO_TODAY))
    return path


@pytest.fixture
def here(tmp_path, monkeypatch):
    """The test's folder as the working folder, with the forum runner's plan (as the demo
    has lived it) at home/plans/bristol-half.toml: a relative path, so a snapshot shows no
    folder that changes from one run to the next."""
    from planner.demo import DEMO_TODAY, demo_plan
    from planner.store import PlanFile

    monkeypatch.chdir(tmp_path)
    path = Path("home") / "plans" / "bristol-half.toml"
    path.parent.mkdir(parents=True)
    PlanFile.create(path, demo_plan(DEMO_TODAY))
    return tmp_path
