"""The core never imports Textual or Rich, and never reads the clock."""

import re
import subprocess
import sys
from pathlib import Path

CORE = [
    "planner.model",
    "planner.dates",
    "planner.rules",
    "planner.engine",
    "planner.ops",
    "planner.store",
    "planner.paths",
    "planner.glimpse",
    "planner.export",
    "planner.advice",
    "planner.changes",
    "planner.stats",
    "planner.session",
]


def test_core_imports_neither_textual_nor_rich():
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in CORE)
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        + "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_the_command_line_loads_textual_only_for_the_tui():
    code = "import sys, planner.cli; print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


def test_core_never_reads_the_clock():
    root = Path(__file__).resolve().parent.parent / "planner"
    pattern = re.compile(r"\b(date|datetime)\.(today|now|utcnow)\(|\btime\.time\(")
    for module in CORE:
        path = root / (module.split(".")[1] + ".py")
        if not path.exists():
            path = root / module.split(".")[1] / "__init__.py"
        assert not pattern.search(path.read_text()), f"{path.name} reads the clock"


def test_every_data_file_of_the_package_is_installed():
    """A non-editable install copies only what package-data names: the app's stylesheets
    and the protocol must all be named there, or `pip install .` gives a broken app."""
    import tomli

    root = Path(__file__).resolve().parent.parent
    globs = tomli.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    for path in (root / "planner").rglob("*"):
        if path.is_dir() or path.suffix in (".py", ".pyc") or "__pycache__" in path.parts:
            continue
        package = ".".join(path.parent.relative_to(root).parts)
        assert any(path.match(g) for g in globs.get(package, [])), f"{path} is not installed"
