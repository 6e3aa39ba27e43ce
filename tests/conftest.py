"""Shared fixtures: a fixed today, a private app home, hypothesis profiles."""

from __future__ import annotations

import os
from datetime import date

import pytest
from hypothesis import HealthCheck, settings

TODAY = date(2026, 11, 21)

settings.register_profile(
    "ci", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.register_profile("dev", parent=settings.get_profile("ci"), max_examples=50)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A private app home with today pinned, so nothing touches the real one."""
    monkeypatch.setenv("PLANNER_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PLANNER_TODAY", TODAY.isoformat())
    monkeypatch.setenv("HOME", str(tmp_path))
    return tmp_path / "home"
