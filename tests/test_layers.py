"""The core never imports Textual or Rich, the front ends, or the clock; the engine never
imports the store."""

import ast
import re
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "planner"

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
    "planner.service",
    "planner.week",
    "planner.activity",
    "planner.chart",
    "planner.edit",
    "planner.repeat",
    "planner.rules.reading",
    "planner.rules.cache",
    "planner.json_out",
    "planner.conflicts",
    "planner.status",
    "planner.calendar_sync",
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


def module_files(module: str) -> list[Path]:
    """The source files of a module of ours: one file, or every file of a package."""
    path = PACKAGE.parent.joinpath(*module.split("."))
    if path.with_suffix(".py").exists():
        return [path.with_suffix(".py")]
    return sorted(path.rglob("*.py"))


def test_core_never_reads_the_clock():
    pattern = re.compile(r"\b(date|datetime)\.(today|now|utcnow)\(|\btime\.time\(")
    for module in CORE:
        files = module_files(module)
        assert files, f"no source for {module}"
        for path in files:
            assert not pattern.search(path.read_text()), f"{path.name} reads the clock"


def imported_modules(path: Path) -> set[str]:
    """Every module `path` imports anywhere in it: at the top, inside functions, or only
    for type checking; relative imports are made absolute."""
    package = ".".join(path.relative_to(PACKAGE.parent).parent.parts)  # what "." means
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)  # from x import sub
    return names


def within(name: str, module: str) -> bool:
    """Whether `name` is `module` or inside it."""
    return name == module or name.startswith(module + ".")


def core_files() -> list[Path]:
    """Every source file of ours outside the front ends (found by glob, so a module that
    becomes a package stays covered); `__main__` is the command's entry point."""
    front_ends = (PACKAGE / "cli", PACKAGE / "tui")
    return [
        path
        for path in sorted(PACKAGE.rglob("*.py"))
        if not any(path.is_relative_to(folder) for folder in front_ends)
        and path != PACKAGE / "__main__.py"
    ]


def test_the_core_never_imports_a_front_end():
    files = core_files()
    covered = {".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts) for p in files}
    for module in CORE:  # a sanity check: the glob found the core
        assert any(within(name, module) for name in covered), f"{module} not found"
    for path in files:
        bad = sorted(
            name
            for name in imported_modules(path)
            if within(name, "planner.cli") or within(name, "planner.tui")
        )
        assert bad == [], f"{path.relative_to(PACKAGE.parent)} imports {bad}"


def test_the_engine_never_imports_the_store():
    files = module_files("planner.engine")
    assert files
    for path in files:
        bad = sorted(name for name in imported_modules(path) if within(name, "planner.store"))
        assert bad == [], f"{path.relative_to(PACKAGE.parent)} imports {bad}"


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
