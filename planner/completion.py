"""Shell completion scripts for bash, zsh and fish, written from the command line's parser.

Why a small generator of our own rather than a library:
- shtab writes bash and zsh from an argparse parser but not fish;
- argcomplete completes by running the program on every TAB: a Python start plus our
  imports, a tenth of a second or more each time, where a shell script answers at once;
- the three scripts here are plain shell with every command, option and fixed value
  written in, so the one thing a TAB runs is `planner completion plans` for plan names
  (a folder listing: no plan file is read).

The scripts are made from the same parser `planner` parses with, each time `planner
completion SHELL` runs, so a new command or option shows up in them without a change
here; what the parser doesn't say (an option's fixed values, which arguments are files,
which are plans) comes from `HINTS` below, whose value sets come from the model's enums
where it has them. Nothing here reads the environment or the clock.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import msgspec

from planner.model import Category, Distance, InjuryKind, Muscle, Side, SkipReason
from planner.paths import list_plans, plans_dir, slugify

SHELLS = ("bash", "zsh", "fish")
PROG = "planner"


class Hint(msgspec.Struct, frozen=True):
    """What an argument's value completes to.

    kind: "words" (the `words`: a fixed set, or examples of a free form), "files" (paths;
    `suffixes` narrows them, directories always offered), "plans" (the plan names in the
    plans folder, or plan files once the word looks like a path), or "text" (nothing to
    offer: a number, a title, a note).
    """

    kind: str = "text"
    words: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()


TEXT = Hint()
PLANS = Hint("plans", suffixes=("toml",))
DATES = Hint("words", ("today", "yesterday", "tomorrow"))  # any date works; these need no typing
SCORES = Hint("words", tuple(str(score) for score in range(11)))  # pain, 0-10


def _values(enum) -> Hint:
    return Hint("words", tuple(member.value for member in enum))


# Keyed by (command, option string or positional METAVAR); command None: any command, and
# "" is the top level (before a command). The first match of (command, name), (None, name),
# (command, metavar), (None, metavar) wins; an argument with none is free text, unless the
# parser gives it `choices`.
HINTS: dict[tuple[str | None, str], Hint] = {
    (None, "--injury-kind"): _values(InjuryKind),
    # The engine takes grade 1 or 2; a grade 3 strain is refused with advice to see someone.
    (None, "--grade"): Hint("words", ("1", "2")),
    (None, "--muscle"): _values(Muscle),
    (None, "--side"): _values(Side),
    (None, "--distance"): _values(Distance),
    (None, "--reason"): _values(SkipReason),
    (None, "--category"): _values(Category),
    (None, "--every"): Hint("words", ("day", "2d", "3d", "7d", "mon,wed,fri", "tue,thu")),
    (None, "--pain"): SCORES,
    ("export", "--format"): Hint("words", ("ics", "md")),  # status's --format is a template
    ("export", "--output"): Hint("files", suffixes=("ics", "md")),
    ("export", "-o"): Hint("files", suffixes=("ics", "md")),
    ("new", "--out"): Hint("files", suffixes=("toml",)),
    ("open", "PATH"): Hint("files", suffixes=("toml",)),
    ("import", "FILE"): Hint("files", suffixes=("fit", "gpx", "tcx")),
    ("completion", "SHELL"): Hint("words", SHELLS),
    (None, "SCORE"): SCORES,
    (None, "PLAN"): PLANS,
    (None, "COPY"): PLANS,
    (None, "PATH"): Hint("files"),
    (None, "FILE"): Hint("files"),
    (None, "D"): DATES,
}


class Argument(msgspec.Struct, frozen=True):
    """One option (`names` start with '-') or positional (`names` is empty) of a command.

    `takes_value`: whether an option reads the word after it (or after '='); a positional
    always does. `optional`: a positional that may be left out (nargs '?').
    """

    names: tuple[str, ...]
    help: str
    metavar: str
    takes_value: bool
    hint: Hint
    optional: bool = False


class Command(msgspec.Struct, frozen=True):
    """A command's name, its one-line help, its options and its positionals in order."""

    name: str
    help: str
    options: tuple[Argument, ...]
    positionals: tuple[Argument, ...]


class Spec(msgspec.Struct, frozen=True):
    """The whole command line: the options before a command, and the commands."""

    options: tuple[Argument, ...]
    commands: tuple[Command, ...]


def _help(action: argparse.Action) -> str:
    """An argument's help as one short line (argparse's '%%' is a percent sign)."""
    if not action.help or action.help == argparse.SUPPRESS:
        return ""
    text = " ".join(action.help.replace("%%", "%").split())
    return text if len(text) <= 72 else text[:71].rstrip(" ,;(") + "…"


def _hint(command: str, action: argparse.Action) -> Hint:
    if action.choices:
        return Hint("words", tuple(str(choice) for choice in action.choices))
    metavar = action.metavar if isinstance(action.metavar, str) else ""
    names = [*action.option_strings, metavar] if action.option_strings else [metavar]
    for name in names:
        for key in ((command, name), (None, name)):
            if key in HINTS:
                return HINTS[key]
    return TEXT


def _arguments(command: str, parser: argparse.ArgumentParser) -> tuple[list, list]:
    options, positionals = [], []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            continue
        metavar = action.metavar if isinstance(action.metavar, str) else action.dest.upper()
        if action.option_strings:
            options.append(
                Argument(
                    names=tuple(action.option_strings),
                    help=_help(action),
                    metavar=metavar,
                    takes_value=action.nargs != 0,
                    hint=_hint(command, action),
                )
            )
        else:
            positionals.append(
                Argument(
                    names=(),
                    help=_help(action),
                    metavar=metavar,
                    takes_value=True,
                    hint=_hint(command, action),
                    optional=action.nargs in ("?", "*"),
                )
            )
    return options, positionals


def describe(parser: argparse.ArgumentParser) -> Spec:
    """The parser's commands, options and positionals, each with what its value completes to."""
    top_options, _ = _arguments("", parser)
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helps = {choice.dest: choice.help or "" for choice in subparsers._choices_actions}
    commands = []
    for name, sub in subparsers.choices.items():
        options, positionals = _arguments(name, sub)
        help_text = " ".join(helps.get(name, "").split())
        commands.append(Command(name, help_text, tuple(options), tuple(positionals)))
    return Spec(tuple(top_options), tuple(commands))


def plan_names(home: Path) -> list[str]:
    """The names a PLAN argument can be given as: the plans folder's file names that are
    slugs (what `find_plan` looks a name up by), without '.toml'.

    Read from the folder's listing alone, for a TAB to stay quick. A sync tool's conflict
    copy is left out (a name never opens one; `planner list` shows its merge command), and
    so is a file whose name is no slug (copied in by hand): both are reached by their path.
    """
    from planner.conflicts import is_conflict_copy

    try:
        paths = list_plans(plans_dir(home))
    except OSError:  # an unreadable folder: nothing to offer, and a TAB never shows an error
        return []
    return [p.stem for p in paths if slugify(p.stem) == p.stem and not is_conflict_copy(p)]


def script(shell: str, parser: argparse.ArgumentParser) -> str:
    """The completion script for `shell` (one of SHELLS), from `parser`."""
    spec = describe(parser)
    return {"bash": _bash, "zsh": _zsh, "fish": _fish}[shell](spec)


# ----------------------------------------------------------------------------- bash


def _sh(text: str) -> str:
    """`text` single-quoted for bash or zsh."""
    return "'" + text.replace("'", "'\\''") + "'"


def _bash_action(hint: Hint) -> str:
    if hint.kind == "words":
        return "_planner_words " + " ".join(_sh(word) for word in hint.words)
    if hint.kind == "files":
        return "_planner_files " + " ".join(_files_suffixes(hint))
    if hint.kind == "plans":
        return "_planner_plans"
    return ""


def _files_suffixes(hint: Hint) -> list[str]:
    # Watches write .FIT as often as .fit: both cases of each suffix.
    return [s for suffix in hint.suffixes for s in dict.fromkeys((suffix, suffix.upper()))]


_BASH_HEAD = r"""# bash completion for planner, made by `planner completion bash` from its parser.
# To use it: eval "$(planner completion bash)" in ~/.bashrc (README: Shell completion).

# COMPREPLY from words: the fixed values of an option, or examples of its form.
_planner_words() {
    local word
    COMPREPLY=()
    while IFS= read -r word; do COMPREPLY+=("$word"); done < <(compgen -W "$*" -- "$cur")
}

# COMPREPLY from paths: directories, and files ending in one of the suffixes (any file
# when none is given).
_planner_files() {
    local path suffix
    COMPREPLY=()
    compopt -o filenames 2>/dev/null
    if (($# == 0)); then
        while IFS= read -r path; do COMPREPLY+=("$path"); done < <(compgen -f -- "$cur")
        return 0
    fi
    while IFS= read -r path; do COMPREPLY+=("$path"); done < <(compgen -d -- "$cur")
    for suffix in "$@"; do
        while IFS= read -r path; do
            [[ -d $path ]] || COMPREPLY+=("$path")
        done < <(compgen -f -X "!*.$suffix" -- "$cur")
    done
}

# COMPREPLY from the plan names `planner completion plans` lists (plan files once the word
# looks like a path).
_planner_plans() {
    case $cur in
        */* | .* | '~'*)
            _planner_files toml TOML
            return 0
            ;;
    esac
    local program=$prog
    [[ $program == '~/'* ]] && program=$HOME/${program#'~/'}
    _planner_words $("$program" completion plans 2>/dev/null)
}
"""

_BASH_MAIN = r"""
_planner() {
    local cur=${COMP_WORDS[COMP_CWORD]} prog=${COMP_WORDS[0]}
    local command='' want='' word i count=0
    COMPREPLY=()
    # Walk the words before the cursor: the command, how many positionals it has had, and
    # whether the last option waits for its value. Bash splits `--opt=value` at '=', so an
    # '=' after such an option is skipped too.
    for ((i = 1; i < COMP_CWORD; i++)); do
        word=${COMP_WORDS[i]}
        if [[ -n $want ]]; then
            [[ $word == = ]] || want=''
            continue
        fi
        case $word in
            --*=*) ;;
            -*) _planner_takes_value "$command" "$word" && want=$word ;;
            *)
                if [[ -z $command ]]; then
                    command=$word
                else
                    count=$((count + 1))
                fi
                ;;
        esac
    done
    if [[ -n $want ]]; then
        [[ $cur == = ]] && cur=''
        _planner_value "$command" "$want"
    elif [[ $cur == -* ]]; then
        _planner_words $(_planner_options "$command")
    elif [[ -z $command ]]; then
        _planner_words $_planner_commands
    else
        _planner_value "$command" $((count + 1))
    fi
    return 0
}

complete -F _planner planner
"""


def _bash(spec: Spec) -> str:
    commands = " ".join(command.name for command in spec.commands)
    scopes = [("", spec.options, ())] + [(c.name, c.options, c.positionals) for c in spec.commands]
    options = ["# The options of a command ('' before the command).", "_planner_options() {"]
    options.append('    case "$1" in')
    for name, opts, _ in scopes:
        words = " ".join(n for option in opts for n in option.names)
        options.append(f"        {_sh(name)}) echo {_sh(words)} ;;")
    options += ["    esac", "}"]
    takes = [
        "# Whether option $2 of command $1 reads the next word as its value.",
        "_planner_takes_value() {",
        '    case "$1 $2" in',
    ]
    patterns = [
        _sh(f"{name} {n}")
        for name, opts, _ in scopes
        for o in opts
        if o.takes_value
        for n in o.names
    ]
    takes += ["        " + " | ".join(patterns) + ") return 0 ;;", "    esac", "    return 1", "}"]
    value = [
        "# COMPREPLY for the value of option $2 of command $1, or (a number) its positional $2.",
        "_planner_value() {",
        '    case "$1 $2" in',
    ]
    for name, opts, positionals in scopes:
        keyed = [(n, o) for o in opts if o.takes_value for n in o.names]
        keyed += [(str(index), p) for index, p in enumerate(positionals, 1)]
        for key, argument in keyed:
            action = _bash_action(argument.hint)
            if action:
                value.append(f"        {_sh(f'{name} {key}')}) {action} ;;")
    value += ["    esac", "}"]
    return "\n".join(
        [
            _BASH_HEAD,
            f"_planner_commands={_sh(commands)}",
            "",
            *options,
            "",
            *takes,
            "",
            *value,
            _BASH_MAIN,
        ]
    )


# ----------------------------------------------------------------------------- zsh


def _zsh_text(text: str) -> str:
    """Text for an _arguments spec's [explanation] or :message: (its syntax escaped)."""
    return re.sub(r"([\[\]:\\])", r"\\\1", text)


def _zsh_action(hint: Hint) -> str:
    if hint.kind == "words":
        return "(" + " ".join(hint.words) + ")"
    if hint.kind == "files":
        if not hint.suffixes:
            return "_files"
        return '_files -g "*.(' + "|".join(_files_suffixes(hint)) + ')(-.)"'
    if hint.kind == "plans":
        return "_planner_plans"
    return " "  # a message, no matches


def _zsh_specs(options: tuple[Argument, ...], positionals: tuple[Argument, ...]) -> list[str]:
    specs = []
    for option in options:
        exclusive = f"({' '.join(option.names)})" if len(option.names) > 1 else ""
        for name in option.names:
            spec = f"{exclusive}{name}"
            if option.takes_value:
                spec += "+" if not name.startswith("--") else "="
            spec += f"[{_zsh_text(option.help)}]"
            if option.takes_value:
                spec += f":{_zsh_text(option.metavar)}:{_zsh_action(option.hint)}"
            specs.append(_sh(spec))
    for index, positional in enumerate(positionals, 1):
        colon = "::" if positional.optional else ":"
        message = _zsh_text(positional.metavar)
        specs.append(_sh(f"{index}{colon}{message}:{_zsh_action(positional.hint)}"))
    return specs


_ZSH_HEAD = r"""#compdef planner
# zsh completion for planner, made by `planner completion zsh` from its parser.
# To use it: README, Shell completion (a file `_planner` on $fpath, or eval after compinit).

# The plan names `planner completion plans` lists (plan files once the word looks like a path).
_planner_plans() {
    if [[ $PREFIX == */* || $PREFIX == .* || $PREFIX == '~'* ]]; then
        _files -g '*.(toml|TOML)(-.)'
        return
    fi
    local -a names
    names=(${(f)"$($_planner_program completion plans 2>/dev/null)"})
    _wanted plans expl 'plan name' compadd -a names
}
"""

_ZSH_TAIL = r"""
if [[ $funcstack[1] == _planner ]]; then
    _planner "$@"  # loaded from $fpath: complete now
else
    compdef _planner planner  # eval'd or sourced
fi
"""


def _zsh(spec: Spec) -> str:
    lines = [_ZSH_HEAD, "_planner() {"]
    lines += [
        "    local _planner_program=${words[1]/#\\~/$HOME}",
        "    local curcontext=$curcontext state state_descr line ret=1",
        "    typeset -A opt_args",
        "    _arguments -C \\",
    ]
    for spec_text in _zsh_specs(spec.options, ()):
        lines.append(f"        {spec_text} \\")
    lines += [
        "        '1:command:->command' \\",
        "        '*:: :->args' && ret=0",
        "    case $state in",
        "        command)",
        "            local -a commands",
        "            commands=(",
    ]
    for command in spec.commands:
        lines.append(f"                {_sh(command.name + ':' + command.help)}")
    lines += [
        "            )",
        "            _describe -t commands 'planner command' commands && ret=0",
        "            ;;",
        "        args)",
        "            curcontext=${curcontext%:*:*}:planner-$words[1]:",
        "            case $words[1] in",
    ]
    for command in spec.commands:
        lines.append(f"                {_sh(command.name)})")
        lines.append("                    _arguments -S \\")
        for spec_text in _zsh_specs(command.options, command.positionals):
            lines.append(f"                        {spec_text} \\")
        lines[-1] = lines[-1].removesuffix(" \\") + " && ret=0"
        lines.append("                    ;;")
    lines += [
        "            esac",
        "            ;;",
        "    esac",
        "    return ret",
        "}",
        _ZSH_TAIL,
    ]
    return "\n".join(lines)


# ----------------------------------------------------------------------------- fish


def _fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _fish_action(hint: Hint, flag: str = "-x") -> str:
    """The `complete` flags for a value: `flag` (-x: an option's value, no files; -f: a
    positional, no files) and -a with what to offer."""
    if hint.kind == "words":
        return f"{flag} -a " + _fish_quote(" ".join(hint.words))
    if hint.kind == "files":
        return f"{flag} -a " + _fish_quote("(__planner_files " + " ".join(hint.suffixes) + ")")
    if hint.kind == "plans":
        return f"{flag} -a '(__planner_plans)'"
    return flag


_FISH_HEAD = r"""# fish completion for planner, made by `planner completion fish` from its parser.
# To use it: planner completion fish > ~/.config/fish/completions/planner.fish

# The command, how many positionals it has had, and whether the last word is an option
# waiting for its value: one a line, from the words before the cursor.
function __planner_state
    set -l command ''
    set -l count 0
    set -l want 0
    for word in (commandline -opc)[2..-1]
        if test $want = 1
            set want 0
            continue
        end
        switch $word
            case '--*=*'
            case '-*'
                if contains -- $word (__planner_value_options $command)
                    set want 1
                end
            case '*'
                if test -z "$command"
                    set command $word
                else
                    set count (math $count + 1)
                end
        end
    end
    printf '%s\n' "$command" $count $want
end

# Whether the command typed is $argv[1] ('' when none is yet).
function __planner_is
    test (__planner_state)[1] = "$argv[1]"
end

# Whether the word at the cursor is positional number $argv[2] of command $argv[1].
function __planner_positional
    set -l state (__planner_state)
    test "$state[1]" = "$argv[1]" -a "$state[2]" = (math $argv[2] - 1) -a "$state[3]" = 0
    and not string match -q -- '-*' (commandline -ct)
end

# Paths: directories, and files ending in one of the suffixes (any case).
function __planner_files
    set -l found (complete -C"__planner_no_such_command "(commandline -ct))
    if not set -q argv[1]
        printf '%s\n' $found
        return
    end
    string match -r -- '^[^\t]*/(?:\t.*)?$' $found
    string match -ir -- '^[^\t]*\.(?:'(string join '|' -- $argv)')(?:\t.*)?$' $found
end

# The plan names `planner completion plans` lists (plan files once the word looks like a path).
function __planner_plans
    if string match -qr -- '^(\.|~|.*/)' (commandline -ct)
        __planner_files toml
        return
    end
    set -l program (string replace -r -- '^~/' "$HOME/" (commandline -opc)[1])
    $program completion plans 2>/dev/null
end
"""


def _fish(spec: Spec) -> str:
    scopes = [("", spec.options, ())] + [(c.name, c.options, c.positionals) for c in spec.commands]
    lines = [
        _FISH_HEAD,
        "# The options of each command that read a value.",
        "function __planner_value_options",
    ]
    lines.append("    switch $argv[1]")
    for name, options, _ in scopes:
        names = [n for option in options if option.takes_value for n in option.names]
        lines.append(f"        case {_fish_quote(name)}")
        lines.append("            printf '%s\\n' " + " ".join(_fish_quote(n) for n in names))
    lines += ["    end", "end", "", "complete -c planner -f"]
    for command in spec.commands:
        lines.append(
            f"complete -c planner -n '__planner_is \"\"' -a {_fish_quote(command.name)}"
            f" -d {_fish_quote(command.help)}"
        )
    for name, options, positionals in scopes:
        condition = _fish_quote(f"__planner_is {_fish_quote(name)}")
        for option in options:
            flags = []
            for n in option.names:
                if n.startswith("--"):
                    flags.append(f"-l {_fish_quote(n[2:])}")
                elif len(n) == 2:
                    flags.append(f"-s {_fish_quote(n[1:])}")
                else:
                    flags.append(f"-o {_fish_quote(n[1:])}")
            if option.takes_value:
                flags.append(_fish_action(option.hint))
            flags.append(f"-d {_fish_quote(option.help)}")
            lines.append(f"complete -c planner -n {condition} " + " ".join(flags))
        for index, positional in enumerate(positionals, 1):
            action = _fish_action(positional.hint, "-f")
            if action == "-f":
                continue  # free text: nothing to offer
            test = _fish_quote(f"__planner_positional {_fish_quote(name)} {index}")
            lines.append(
                f"complete -c planner -n {test} {action} -d {_fish_quote(positional.help)}"
            )
    return "\n".join(lines) + "\n"
