"""Shell completion: the scripts `planner completion SHELL` prints, run in the real shells.

Each script is installed as README, Shell completion says. Bash: eval'd in `bash --norc`,
its function called with COMP_WORDS and COMP_CWORD set, as bash does on a TAB. Fish: from
the user's completions folder, asked with `complete -C LINE` (fish's own way to ask for a
line's completions). Zsh completes only inside its line editor, so a zsh runs on a
pseudo-terminal, a TAB is typed after each line, and what the completion system offers
is written to a file by a wrapper around `compadd` (every completion ends in it). A shell
that isn't installed skips its tests, saying so.

The plan names come from a private PLANNER_HOME with two plans, a sync tool's conflict
copy and files that are no plan name; the scripts run the `planner` installed with this
package (its scripts folder first on PATH).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import select
import shlex
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import pytest

from planner.cli import _parser, main
from planner.cli.report_commands import FORMATS
from planner.model import Category, Distance, InjuryKind, Muscle, Side, SkipReason

SAMPLES = Path(__file__).resolve().parent.parent / "plans"
PLANS = ["bristol-half", "spring-half"]
SHELLS = ["bash", "zsh", "fish"]


def _installed(shell: str):
    return pytest.mark.skipif(
        shutil.which(shell) is None, reason=f"{shell} is not installed (apt-get install {shell})"
    )


def _commands_and_options() -> dict[str, list[str]]:
    """Every command of the real parser with its option strings ('' is the top level)."""
    parser = _parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))

    def options(p):
        return [name for action in p._actions for name in action.option_strings]

    return {"": options(parser), **{name: options(p) for name, p in sub.choices.items()}}


PARSER = _commands_and_options()
COMMANDS = [name for name in PARSER if name]


def _script(shell: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["completion", shell]) == 0
    return out.getvalue()


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The scripts on disk, a working folder with activity files, a home with two plans."""
    root = tmp_path_factory.mktemp("completion")
    # As README, Shell completion installs them (bash's and zsh's other way is an eval).
    (root / "zfunc").mkdir()
    (root / "zfunc" / "_planner").write_text(_script("zsh"))
    fish_completions = root / ".config" / "fish" / "completions"
    fish_completions.mkdir(parents=True)
    (fish_completions / "planner.fish").write_text(_script("fish"))
    home = root / "home"
    plans = home / "plans"
    plans.mkdir(parents=True)
    shutil.copy(SAMPLES / "spring-half.toml", plans / "bristol-half.toml")
    shutil.copy(SAMPLES / "spring-half.toml", plans / "spring-half.toml")
    # None of these is a plan name: a Syncthing conflict copy, a name no slug, not TOML,
    # hidden, archived.
    shutil.copy(SAMPLES / "spring-half.toml", plans / "spring-half.sync-conflict-20261121.toml")
    (plans / "Copied In.toml").write_text("")
    (plans / "notes.txt").write_text("")
    (plans / ".hidden.toml").write_text("")
    (plans / "archive").mkdir()
    shutil.copy(SAMPLES / "spring-half.toml", plans / "archive" / "old-race.toml")
    cwd = root / "cwd"
    (cwd / "runs").mkdir(parents=True)
    for name in ("a.fit", "B.GPX", "c d.tcx", "e.txt", "f.ics", "g.toml"):
        (cwd / name).write_text("")
    bindir = sysconfig.get_path("scripts")  # where pip put the `planner` command
    assert Path(bindir, "planner").exists() or Path(bindir, "planner.exe").exists()
    env = {
        **os.environ,
        "PATH": bindir + os.pathsep + os.environ["PATH"],
        "PLANNER_HOME": str(home),
        "HOME": str(root),
        "XDG_CONFIG_HOME": str(root / ".config"),
    }
    env.pop("PLANNER_TODAY", None)
    return argparse.Namespace(root=root, home=home, cwd=cwd, env=env)


# ----------------------------------------------------------------------------- the shells


def bash(world, *lines: list[str]) -> list[list[str]]:
    """COMPREPLY for each line, given as its words (the last one: the word at the cursor)."""
    program = ['eval "$(planner completion bash)"']
    for words in lines:
        program += [
            f"COMP_WORDS=({' '.join(shlex.quote(w) for w in words)})",
            f"COMP_CWORD={len(words) - 1}",
            "COMPREPLY=()",
            "_planner",
            "printf '%s\\n' \"${COMPREPLY[@]}\" '<<end>>'",
        ]
    result = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", "\n".join(program)],
        capture_output=True,
        text=True,
        cwd=world.cwd,
        env=world.env,
        timeout=60,
    )
    assert result.returncode == 0 and not result.stderr, result.stderr
    return _sections(result.stdout)


def fish(world, *lines: str) -> list[list[str]]:
    """What fish offers for each command line (completions without their descriptions);
    the script loads from the user's completions folder, as fish loads it on a first TAB."""
    program = []
    for line in lines:
        quoted = line.replace("\\", "\\\\").replace("'", "\\'")
        program.append(f"complete -C '{quoted}'; echo '<<end>>'")
    result = subprocess.run(
        ["fish", "-c", "\n".join(program)],
        capture_output=True,
        text=True,
        cwd=world.cwd,
        env=world.env,
        timeout=60,
    )
    assert result.returncode == 0 and not result.stderr, result.stderr
    return [[entry.split("\t")[0] for entry in section] for section in _sections(result.stdout)]


# Every match reaches compadd: the wrapper writes the ones offered to the file (calls with
# -O, -A or -D only filter, for the completion system's own use). No comments inside: an
# interactive zsh doesn't take them.
ZSH_SETUP = r"""
PS1='' RPS1=''
{before}
autoload -Uz compinit && compinit -u -D
zstyle ':completion:*' insert-tab false
{after}
compadd() {{
    if [[ ${{@[1,(i)(-|--)]}} == *-(O|A|D)\ * ]]; then
        builtin compadd "$@"
        return
    fi
    local -a found
    builtin compadd -A found "$@"
    (( $#found )) && print -rl -- "${{found[@]}}" >> {out}
    builtin compadd "$@"
}}
_test_complete() {{
    _main_complete "$@"
    print -r -- '<<end>>' >> {out}
}}
zle -C test-complete complete-word _test_complete
bindkey '^I' test-complete
print -r -- '<<ready>>' >> {out}
"""


def zsh(world, *lines: str, fpath: bool = False) -> list[list[str]]:
    """What zsh's completion system offers after typing each line and a TAB; the script
    eval'd after compinit, or (`fpath`) a file `_planner` on $fpath that compinit finds."""
    import pty  # POSIX only, as zsh is

    out = world.root / "zsh-matches.txt"
    out.unlink(missing_ok=True)
    zfunc = shlex.quote(str(world.root / "zfunc"))
    setup = ZSH_SETUP.format(
        before=f"fpath=({zfunc} $fpath)" if fpath else "",
        after="" if fpath else 'eval "$(planner completion zsh)"',
        out=shlex.quote(str(out)),
    )
    pid, fd = pty.fork()
    if pid == 0:  # the child: a zsh without rc files, on the pseudo-terminal
        os.chdir(world.cwd)
        os.execvpe("zsh", ["zsh", "-f", "-i"], world.env)

    def drain_until(marker: str, count: int) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            while select.select([fd], [], [], 0.02)[0]:
                try:
                    if not os.read(fd, 65536):
                        break
                except OSError:
                    break
            if out.exists() and out.read_text().count(marker) >= count:
                return
        raise AssertionError(f"zsh gave no {marker} #{count}: {out.read_text()!r}")

    try:
        os.write(fd, setup.encode())
        drain_until("<<ready>>", 1)
        for number, line in enumerate(lines, 1):
            os.write(fd, line.encode() + b"\t")
            drain_until("<<end>>", number)
            os.write(fd, b"\x15")  # clear the line for the next
    finally:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        os.close(fd)
    return _sections(out.read_text().split("<<ready>>\n", 1)[1])


def _sections(text: str) -> list[list[str]]:
    sections, current = [], []
    for line in text.splitlines():
        if line == "<<end>>":
            sections.append(current)
            current = []
        elif line:
            current.append(line)
    return sections


def _bash_words(line: str) -> list[str]:
    words = shlex.split(line.replace("=", " = "))
    return [*words, ""] if line.endswith((" ", "=")) else words


def offered(shell: str, world, *lines: str) -> list[list[str]]:
    if shell == "bash":
        return bash(world, *[_bash_words(line) for line in lines])
    return {"zsh": zsh, "fish": fish}[shell](world, *lines)


# ----------------------------------------------------------------------------- behaviour


@pytest.mark.parametrize("shell", [pytest.param(s, marks=_installed(s)) for s in SHELLS])
def test_commands_options_values_and_plan_names(shell, world):
    lines = {
        "planner ": COMMANDS,
        "planner st": ["stats", "status"],
        "planner show -": PARSER["show"],
        "planner new --distance ": [d.value for d in Distance],
        "planner new --distance=": [d.value for d in Distance],
        "planner edit --grade ": ["1", "2"],
        "planner new --injury-kind ": [k.value for k in InjuryKind],
        "planner new --muscle ": [m.value for m in Muscle],
        "planner new --side ": [s.value for s in Side],
        "planner skip 1 --reason ": [r.value for r in SkipReason],
        "planner add Yoga --category ": [c.value for c in Category],
        "planner export --format ": list(FORMATS),
        "planner completion ": ["bash", "zsh", "fish"],
        "planner show ": PLANS,
        "planner show sp": ["spring-half"],
        "planner tick 3 ": PLANS,  # TASK first, then PLAN
        "planner --today 2026-11-21 show --date today ": PLANS,
        "planner merge bristol-half ": PLANS,
        "planner import ": ["a.fit", "B.GPX", "c d.tcx", "runs/"],
        "planner export -o ": ["f.ics", "runs/"],
        "planner show ./": ["g.toml", "runs/"],  # a path: plan files, not names
    }
    results = offered(shell, world, *lines)
    assert len(results) == len(lines)
    for (line, expected), got in zip(lines.items(), results, strict=True):
        if shell == "fish" and line.endswith("="):
            got = [word.removeprefix("--distance=") for word in got]
        got = [word.replace("\\ ", " ").rstrip("/").removeprefix("./") for word in got]
        expected = [word.rstrip("/") for word in expected]
        assert sorted(set(got)) == sorted(expected), (shell, line)


@pytest.mark.parametrize("shell", [pytest.param(s, marks=_installed(s)) for s in SHELLS])
def test_nothing_is_offered_for_free_text(shell, world):
    # a task number, a note: no guesses, and never the files of the folder
    results = offered(shell, world, "planner tick ", "planner pain 3 --note ", "planner add ")
    assert results == [[], [], []]


@pytest.mark.parametrize("shell", [pytest.param(s, marks=_installed(s)) for s in SHELLS])
def test_every_command_completes_exactly_its_options(shell, world):
    lines = [f"planner {name} -" for name in COMMANDS] + ["planner -"]
    results = offered(shell, world, *lines)
    expected = [PARSER[name] for name in COMMANDS] + [PARSER[""]]
    for line, got, options in zip(lines, results, expected, strict=True):
        assert sorted(got) == sorted(options), line


@pytest.mark.parametrize("shell", SHELLS)
def test_every_command_and_option_of_the_parser_is_in_the_script(shell):
    text = _script(shell)
    for command, options in PARSER.items():
        if command:
            assert f"'{command}" in text, command
        for option in options:
            name = option.lstrip("-")
            assert f"{option}" in text or f"'{name}'" in text, (command, option)


@_installed("zsh")
def test_zsh_from_a_file_on_fpath(world):
    # loaded by compinit on the first TAB, the file completes that TAB too
    assert zsh(world, "planner show ", "planner sh", fpath=True) == [PLANS, ["show"]]


# ----------------------------------------------------------------------------- the command


def test_plans_prints_each_plan_name_once_a_line_and_each_opens_its_plan(world):
    from planner.paths import find_plan

    result = subprocess.run(
        ["planner", "completion", "plans"], capture_output=True, text=True, env=world.env
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines() == PLANS
    for name in PLANS:
        assert find_plan(name, world.home) == world.home / "plans" / f"{name}.toml"


def test_plans_reads_only_the_folder_listing(home, capsys):
    # a file that is no plan at all is still listed: nothing was parsed
    (home / "plans").mkdir(parents=True)
    (home / "plans" / "not-a-plan.toml").write_bytes(b"\xff\x00 [[[")
    assert main(["completion", "plans"]) == 0
    assert capsys.readouterr().out == "not-a-plan\n"


@pytest.mark.parametrize("make", ["nothing", "a file"])
def test_plans_without_a_plans_folder_prints_nothing(make, home, capsys):
    if make == "a file":
        home.mkdir()
        (home / "plans").write_text("")
    assert main(["completion", "plans"]) == 0
    assert capsys.readouterr() == ("", "")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG_DATA_HOME is Linux's")
def test_plans_without_planner_home_reads_the_platform_folder(tmp_path):
    plans = tmp_path / "data" / "recovery-planner" / "plans"
    plans.mkdir(parents=True)
    shutil.copy(SAMPLES / "spring-half.toml", plans / "my-race.toml")
    env = {k: v for k, v in os.environ.items() if k != "PLANNER_HOME"}
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    result = subprocess.run(
        [sys.executable, "-m", "planner", "completion", "plans"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "my-race\n", "")


@pytest.mark.parametrize("shell", ["tcsh", "", "Bash2", "powershell"])
def test_another_shell_is_one_line_naming_the_field_and_exit_2(shell, home, capsys):
    assert main(["completion", shell]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"planner: SHELL: '{shell}' is not a shell; use bash, zsh or fish\n"
    assert not home.exists()  # nothing made on disk


@pytest.mark.parametrize("shell", SHELLS)
def test_shell_names_are_taken_in_any_case(shell, capsys):
    assert main(["completion", f" {shell.upper()} "]) == 0
    assert capsys.readouterr().out == _script(shell)


def _offered_words(command: str, option: str) -> tuple[str, ...]:
    from planner.completion import describe

    spec = describe(_parser())
    found = next(c for c in spec.commands if c.name == command)
    argument = next(a for a in found.options + found.positionals if option in (*a.names, a.metavar))
    assert argument.hint.kind == "words"
    return argument.hint.words


NEW = ["new", "--injury", "2026-11-20", "--race", "2026-11-29"]
ACCEPTED = [
    ("new", "--injury-kind"),
    ("new", "--grade"),
    ("new", "--muscle"),
    ("new", "--side"),
    ("new", "--distance"),
    ("add", "--category"),
    ("add", "--every"),
    ("skip", "--reason"),
    ("export", "--format"),
    ("tick", "--pain"),
    ("pain", "SCORE"),
    ("show", "--date"),
]


@pytest.mark.parametrize(("command", "option"), ACCEPTED)
def test_every_value_offered_is_one_the_command_takes(command, option, home, tmp_path, capsys):
    words = _offered_words(command, option)
    assert words
    for number, word in enumerate(words):
        if command == "new":
            args = [*NEW, option, word, "--out", str(tmp_path / f"plan-{number}.toml")]
        else:
            plan = tmp_path / f"plan-{number}.toml"
            assert main([*NEW, "--out", str(plan)]) == 0
            args = {
                "add": ["add", "Yoga", str(plan), option, word],
                "skip": ["skip", "1", str(plan), option, word],
                "export": ["export", str(plan), option, word],
                "tick": ["tick", "1", str(plan), option, word],
                "pain": ["pain", word, str(plan)],
                "show": ["show", str(plan), option, word],
            }[command]
        capsys.readouterr()
        code = main(args)
        assert code == 0, (args, capsys.readouterr().err)
