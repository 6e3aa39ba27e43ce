"""The package's metadata has one source each: the version in planner.__version__, the
licence in LICENSE."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import tomllib
from pathlib import Path

import planner

ROOT = Path(__file__).resolve().parent.parent


def test_the_version_is_said_once():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert importlib.metadata.version("recovery-planner") == planner.__version__
    shown = subprocess.run(
        [sys.executable, "-m", "planner", "--version"], capture_output=True, text=True
    )
    assert shown.returncode == 0 and shown.stdout.split() == ["planner", planner.__version__]


def test_the_licence_is_the_file_pyproject_names():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == {"file": "LICENSE"}
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License") and "WITHOUT WARRANTY OF ANY KIND" in text
