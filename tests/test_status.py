"""`planner status`: the line, its --format and --json, the cases without a plan or with a
broken one, and the short way it takes (planner.__main__ -> planner.status).

The short way reads only pieces of the file; every reading is held to the store's whole
read (`_from_store`: the real plan and the real `clinician_warning`), over the sample
plans, hand-edited layouts and generated pain logs. The command is run as a process (the
short way) and through `planner.cli.main` (the parser's way): both must print the same.
"""

from __future__ import annotations

import importlib.resources
import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from planner import status as lean
from planner.advice import clinician_warning
from planner.cli import main
from planner.model import SCHEMA_VERSION, SkipReason, clean_line, shown_path
from planner.paths import APP_NAME, MAX_STATE_BYTES, PlanNotFound, find_plan, slugify
from planner.rules import load_rules
from planner.store import MAX_BYTES, dumps_plan, load_plan

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "plans").glob("*.toml"))
BRISTOL = ROOT / "plans" / "bristol-half.toml"
VALIDATOR = Draft202012Validator(
    json.loads(
        importlib.resources.files("planner.schemas")
        .joinpath("status.schema.json")
        .read_text(encoding="utf-8")
    )
)
# What the short way must never load: the parser, the model and the store, the engine and
# the advice, the libraries behind them, and the terminal UI.
HEAVY = (
    "argparse",
    "msgspec",
    "dateutil",
    "textual",
    "rich",
    "filelock",
    "tomli_w",
    "platformdirs",  # PLANNER_HOME is set in these runs
    "json",  # --json only
    "planner.cli",
    "planner.model",
    "planner.store",
    "planner.paths",
    "planner.engine",
    "planner.advice",
    "planner.rules",
    "planner.dates",
    "planner.service",
)


# ------------------------------------------------------------------------------ helpers


@pytest.fixture
def status_home(tmp_path, monkeypatch):
    """A home holding copies of the sample plans; today not pinned by the environment."""
    home = tmp_path / "home"
    (home / "plans").mkdir(parents=True)
    for sample in SAMPLES:
        shutil.copy(sample, home / "plans" / sample.name)
    monkeypatch.setenv("PLANNER_HOME", str(home))
    monkeypatch.delenv("PLANNER_TODAY", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    return home


def fast(home: Path, *args: str, **env: str) -> tuple[int, str, str]:
    """`python -m planner ARGS` as a process: plain status arguments take the short way."""
    full = {k: v for k, v in os.environ.items() if k != "PLANNER_TODAY"}
    full.update(PLANNER_HOME=str(home), **env)
    result = subprocess.run(
        [sys.executable, "-m", "planner", *args],
        env=full,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        cwd=home.parent,
    )
    return result.returncode, result.stdout, result.stderr


def normal(capsys, *args: str) -> tuple[int, str, str]:
    """The same arguments through the parser (`planner.cli.main`), in this process."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def both(capsys, home: Path, *args: str) -> tuple[int, str, str]:
    """Run both ways, assert they agree, return what they said."""
    said = fast(home, *args)
    assert normal(capsys, *args) == said, args
    return said


def cli(capsys, *args: str) -> str:
    """A change made with the command line, as a runner makes it."""
    code, out, err = normal(capsys, *args)
    assert code == 0, err
    return out


def lived(capsys) -> None:
    """Bristol Half lived to Wed 25 Nov: ticks, a skip, and two red days (24 and 25 Nov)."""
    day4 = ("bristol-half", "--today", "2026-11-24")
    cli(capsys, "tick", "1", *day4)
    cli(capsys, "skip", "2", *day4, "--reason", "travel")
    cli(capsys, "pain", "5", *day4)
    cli(capsys, "pain", "6", "bristol-half", "--today", "2026-11-25")


def store_status(path: Path, today: date) -> lean.Status:
    """The oracle: the status of the plan the store reads whole."""
    return lean._from_store(path, today)


def lean_status(path: Path, today: date) -> lean.Status:
    """The short way's reading alone: it must not need the store for a readable plan."""
    return lean._lean(lean._read(path), path, today)


def checked_json(text: str) -> dict:
    data = json.loads(text)
    assert list(data)[:2] == ["kind", "version"]
    assert (data["kind"], data["version"]) == ("status", 1)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(data)]
    assert errors == []
    return data


# ------------------------------------------------------------------------------ the line


def test_the_line_counts_skips_as_done_and_shows_todays_pain(status_home, capsys):
    day4 = ("bristol-half", "--today", "2026-11-24")
    code, out, err = both(capsys, status_home, "status", *day4)
    assert (code, out, err) == (0, "Bristol Half · day 4 · race in 5 · 0/5 · pain —\n", "")
    cli(capsys, "tick", "1", *day4)
    cli(capsys, "skip", "2", *day4, "--reason", "travel")
    cli(capsys, "pain", "4", *day4)
    code, out, _ = both(capsys, status_home, "status", *day4)
    assert out == "Bristol Half · day 4 · race in 5 · 2/5 · pain 4\n"
    # the same count as the header of `planner show`
    assert "2/5 done" in cli(capsys, "show", *day4)


def test_two_red_days_put_the_clinician_on_the_line_while_show_warns(status_home, capsys):
    lived(capsys)
    rules = load_rules()
    for day, expected in (
        ("2026-11-24", "Bristol Half · day 4 · race in 5 · 2/5 · pain 5"),
        ("2026-11-25", "Bristol Half · see a clinician · day 5 · race in 4 · 0/"),
        # the warning stays on the days after, logged or not, as `show` keeps it
        ("2026-11-26", "Bristol Half · see a clinician · day 6 · race in 3 · 0/"),
    ):
        code, out, _ = both(capsys, status_home, "status", "bristol-half", "--today", day)
        assert code == 0 and out.startswith(expected), out
        shown = cli(capsys, "show", "bristol-half", "--today", day)
        assert (rules.pain.clinician[:40] in shown.replace("\n", " ")) == ("clinician" in out)
    # two days below 5 in a row clear it, in both
    cli(capsys, "pain", "3", "bristol-half", "--today", "2026-11-26")
    cli(capsys, "pain", "2", "bristol-half", "--today", "2026-11-27")
    code, out, _ = both(capsys, status_home, "status", "bristol-half", "--today", "2026-11-27")
    assert "clinician" not in out and out.endswith("pain 2\n")


def test_pain_at_rest_calls_for_a_clinician_at_once(status_home, capsys):
    cli(capsys, "pain", "3", "bristol-half", "--today", "2026-11-24", "--at-rest")
    said = both(capsys, status_home, "status", "bristol-half", "--today", "2026-11-24")
    assert said == (
        0,
        "Bristol Half · see a clinician · day 4 · race in 5 · 0/5 · pain 3 at rest\n",
        "",
    )


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        ("2026-11-17", "Bristol Half · plan starts in 3 days · race in 12"),
        ("2026-11-19", "Bristol Half · plan starts tomorrow · race in 10"),
        ("2026-11-20", "Bristol Half · injury day · race in 9 · 0/4 · pain —"),
        ("2026-11-28", "Bristol Half · day 8 · race tomorrow · 0/"),
        ("2026-11-29", "Bristol Half · day 9 · race today · 0/"),
        ("2026-11-30", "Bristol Half · day 10 · race was yesterday · 0/"),
        ("2026-12-13", "Bristol Half · day 23 · race was 14 days ago · 0/"),
        ("2026-12-14", "Bristol Half · plan finished · race was 15 days ago"),
    ],
)
def test_the_line_before_during_and_after_the_plan(status_home, capsys, today, expected):
    code, out, err = both(capsys, status_home, "status", "bristol-half", "--today", today)
    assert (code, err) == (0, "")
    assert out.startswith(expected) and out.count("\n") == 1, out


def test_the_last_plan_is_the_default_and_today_may_come_before_the_command(status_home, capsys):
    cli(capsys, "show", "sprinter-cramps", "--today", "2026-11-24")  # remembers it
    for args in (
        ("status", "--today", "2026-11-24"),
        ("--today", "2026-11-24", "status"),
        ("--today", "2026-11-01", "status", "--today", "2026-11-24"),  # the command's wins
        ("status", str(status_home / "plans" / "sprinter-cramps.toml"), "--today=2026-11-24"),
    ):
        code, out, _ = both(capsys, status_home, *args)
        assert code == 0 and out.startswith("Sprinter"), (args, out)
    env_day = fast(status_home, "status", PLANNER_TODAY="2026-11-24")
    assert env_day == fast(status_home, "status", "--today", "2026-11-24")


@pytest.mark.parametrize(
    "args",
    [
        ("status", "bristol-half", "--json", "--json"),  # argparse takes it twice
        ("status", "--js", "bristol-half"),  # an abbreviation only argparse knows
        ("status", "--", "bristol-half"),
        ("status", "bristol-half", "sprinter-cramps"),  # one PLAN at most
        ("status", "bristol-half", "--format="),
        ("status", "bristol-half", "--format", ""),
        ("status", "bristol-half", "--format", "-x"),
        ("status", "bristol-half", "--today=2026-11-20", "--today=2026-11-24"),
        ("--today", "2026-11-20", "--today", "2026-11-24", "status", "bristol-half"),
        ("status", "bristol-half", "--today", "2026-13-01"),
        ("status", "bristol-half", "--today", "\uff12\uff10\uff12\uff16-11-24"),
        ("status", "bristol-half", "--today"),
        ("status", "bristol-half", "--plan"),
        ("status", ""),
    ],
)
def test_odd_arguments_print_what_the_parser_says(status_home, capsys, args):
    code, out, err = both(capsys, status_home, *args)
    assert code in (0, 1, 2) and "Traceback" not in err
    assert (code == 0) == (err == "") and (code == 0 or out == "")


def test_a_date_in_words_takes_the_parsers_way_to_the_same_line(status_home, capsys):
    words = both(capsys, status_home, "status", "bristol-half", "--today", "Nov 24 2026")
    assert words == fast(status_home, "status", "bristol-half", "--today", "2026-11-24")


def test_the_plan_name_is_shown_without_control_characters(status_home, capsys):
    path = status_home / "plans" / "bristol-half.toml"
    text = path.read_text().replace(
        'name = "Bristol Half"', 'name = "Bristol\\u001b[31m Half\\u0007\\nnext"'
    )
    path.write_text(text)
    code, out, _ = both(capsys, status_home, "status", "bristol-half", "--today", "2026-11-24")
    assert code == 0 and out.startswith("Bristol[31m Half next · day 4"), out
    assert "\x1b" not in out and "\x07" not in out


# ------------------------------------------------------------------------ no plan, errors


def test_no_plan_at_all_prints_nothing(tmp_path, capsys, monkeypatch):
    empty = tmp_path / "empty"
    monkeypatch.setenv("PLANNER_HOME", str(empty))
    monkeypatch.delenv("PLANNER_TODAY", raising=False)
    assert both(capsys, empty, "status") == (0, "", "")  # no home at all
    assert not empty.exists()  # and none made
    (empty / "plans").mkdir(parents=True)
    assert both(capsys, empty, "status", "--format", "{name}") == (0, "", "")
    # a state file naming a plan that is gone is no plan either
    (empty / "state.toml").write_text(f'last_plan = "{empty}/plans/gone.toml"\n')
    assert both(capsys, empty, "status") == (0, "", "")
    code, out, err = both(capsys, empty, "status", "--json", "--today", "2026-11-24")
    data = checked_json(out)
    assert (code, err, data["plan"], data["date"], data["line"]) == (
        0,
        "",
        None,
        "2026-11-24",
        None,
    )
    assert sorted(p.name for p in empty.rglob("*")) == ["plans", "state.toml"]  # nothing written


@pytest.mark.parametrize(
    ("plan", "words"),
    [
        ("nothing-like-it", "PLAN: no plan named 'nothing-like-it' in "),
        ("gone/plan.toml", "PLAN: no file gone/plan.toml"),
    ],
)
def test_a_plan_that_isnt_there_is_one_line_and_exit_2(status_home, capsys, plan, words):
    code, out, err = both(capsys, status_home, "status", plan)
    assert (code, out) == (2, "")
    assert err.startswith(f"planner: {words}") and err.count("\n") == 1, err


def test_several_plans_none_used_last_is_exit_2(status_home, capsys):
    code, out, err = both(capsys, status_home, "status")
    assert (code, out) == (2, "")
    assert err == "planner: PLAN: several plans and none used last; name one (see `planner list`)\n"


def test_a_single_plan_never_opened_is_the_one(status_home, capsys):
    for extra in SAMPLES[1:]:
        (status_home / "plans" / extra.name).unlink()
    (only,) = (status_home / "plans").glob("*.toml")
    code, out, _ = both(capsys, status_home, "status", "--today", "2026-11-24")
    assert code == 0 and out.startswith(load_plan(only).name)


@pytest.mark.parametrize(
    ("content", "where"),
    [
        (b"", ": empty file"),
        (b"schema_version = 1\n[plan]\nname = 3\n", ":2:1: "),
        (b"schema_version = 1\n[plan\n", ":2:6: "),
        (b"\xff\xfe", ":1:1: not valid UTF-8"),
    ],
)
def test_a_corrupt_plan_is_path_line_col_and_exit_1(status_home, capsys, content, where):
    path = status_home / "plans" / "broken.toml"
    path.write_bytes(content)
    code, out, err = both(capsys, status_home, "status", "broken")
    assert (code, out) == (1, "")
    assert err.startswith(f"planner: {path}{where}") and err.count("\n") == 1, err
    assert path.read_bytes() == content  # read, never written


def test_a_broken_day_today_is_reported_where_it_is(status_home, capsys):
    path = status_home / "plans" / "bristol-half.toml"
    text = path.read_text()
    broken = text.replace('phase = "recover"', 'phase = "resting"', 1)
    path.write_text(broken)
    line = broken[: broken.index('phase = "resting"')].count("\n") + 1
    code, out, err = both(capsys, status_home, "status", "bristol-half", "--today", "2026-11-23")
    assert (code, out) == (1, "")
    assert err.startswith(f"planner: {path}:{line}:1: days[") and "'resting'" in err, err


# ------------------------------------------------------------------------------- --format


def test_format_fills_in_every_field(status_home, capsys):
    lived(capsys)
    template = "|".join(f"{{{name}}}" for name in lean.FIELDS) + " {{literal}}"
    code, out, err = both(
        capsys, status_home, "status", "bristol-half", "--today", "2026-11-24", "--format", template
    )
    assert (code, err) == (0, "")
    values = dict(zip(lean.FIELDS, out.removesuffix(" {literal}\n").split("|"), strict=True))
    plan = load_plan(status_home / "plans" / "bristol-half.toml")
    day = plan.day(date(2026, 11, 24))
    assert values == {
        "name": "Bristol Half",
        "date": "2026-11-24",
        "day": "4",
        "race_in": "5",
        "race": "race in 5",
        "phase": load_rules().phases[day.phase].label,
        "done": "2",
        "total": "5",
        "pain": "5",
        "next": next(t.title for t in day.tasks if not t.done and t.skip is None),
        "alert": "",
    }


def test_format_outside_the_plan_leaves_the_day_empty(status_home, capsys):
    _code, out, _ = both(
        capsys,
        status_home,
        *("status", "bristol-half", "--today", "2026-12-20", "--format"),
        "[{phase}|{done}/{total}|{pain}|{next}|{day}|{race_in}]",
    )
    assert out == "[|0/0|||30|-21]\n"


def test_a_template_without_alert_still_says_see_a_clinician(status_home, capsys):
    lived(capsys)
    args = ("status", "bristol-half", "--today", "2026-11-25", "--format")
    assert both(capsys, status_home, *args, "{done}/{total}")[1] == "0/6 · see a clinician\n"
    assert both(capsys, status_home, *args, "[{alert}]")[1] == "[see a clinician]\n"


@pytest.mark.parametrize(
    ("template", "problem"),
    [
        ("{nope}", "no field {nope}; use {name}, {date}, {day}, "),
        ("{name.__class__}", "no field {name.__class__}; use "),
        ("{name[0]}", "no field {name[0]}; use "),
        ("{name!r}", "no field {name!r}; use "),
        ("{name:>40}", "no field {name:>40}; use "),
        ("{0}", "no field {0}; use "),
        ("{}", "no field {}; use "),
        ("{name", "a lone '{' at character 1; write {{ for a brace"),
        ("name}", "a lone '}' at character 5; write }} for a brace"),
    ],
)
def test_a_template_it_cant_fill_is_exit_2_naming_the_fields(
    status_home, capsys, template, problem
):
    code, out, err = both(capsys, status_home, "status", "bristol-half", "--format", template)
    assert (code, out) == (2, "")
    assert err.startswith(f"planner: --format: {problem}") and err.count("\n") == 1, err
    if "no field" in problem:
        assert all(f"{{{name}}}" in err for name in lean.FIELDS)


def test_text_from_the_file_is_never_read_as_a_template(status_home, capsys):
    path = status_home / "plans" / "bristol-half.toml"
    path.write_text(path.read_text().replace('"Bristol Half"', '"{alert} {name.__class__} {{"'))
    code, out, _ = both(
        capsys,
        status_home,
        "status",
        "bristol-half",
        "--today",
        "2026-11-24",
        "--format",
        "<{name}>",
    )
    assert (code, out) == (0, "<{alert} {name.__class__} {{>\n")


def test_format_and_json_together_are_exit_2(status_home, capsys):
    code, out, err = both(capsys, status_home, "status", "bristol-half", "--json", "--format", "x")
    assert (code, out) == (2, "")
    assert err.startswith("planner: --format: not with --json")


# ---------------------------------------------------------------------------------- JSON


@pytest.mark.parametrize("today", ["2026-11-18", "2026-11-24", "2026-11-25", "2026-12-25"])
def test_json_is_the_documented_shape_and_says_what_the_line_says(status_home, capsys, today):
    lived(capsys)
    code, out, err = both(capsys, status_home, "status", "bristol-half", "--today", today, "--json")
    assert (code, err) == (0, "")
    data = checked_json(out)
    line = fast(status_home, "status", "bristol-half", "--today", today)[1]
    assert data["line"] + "\n" == line
    plan = load_plan(status_home / "plans" / "bristol-half.toml")
    when = date.fromisoformat(today)
    day = plan.day(when)
    assert data["plan"]["path"] == shown_path(status_home / "plans" / "bristol-half.toml")
    assert data["plan"]["last_date"] == plan.last_date.isoformat()
    assert data["day"] == (when - plan.injury_date).days
    assert data["race_in"] == (plan.race_date - when).days
    assert data["clinician"] == (clinician_warning(plan, when) is not None)
    if day is None:
        assert data["where"] in ("before", "after")
        assert [data[k] for k in ("phase", "done", "total", "pain", "next")] == [None] * 5
    else:
        assert data["where"] == "during"
        assert data["phase"] == day.phase.value
        assert data["total"] == len(day.tasks)
        assert data["done"] == sum(t.done or t.skip is not None for t in day.tasks)
        assert (data["pain"], data["at_rest"]) == (day.pain, day.at_rest)


# -------------------------------------------------------------------- the short way itself


def test_the_short_way_loads_none_of_the_heavy_modules(status_home, capsys):
    lived(capsys)  # a log, a warning and a today to read
    code = (
        "import runpy, sys\n"
        "sys.argv = ['planner', *sys.argv[1:]]\n"
        "try:\n"
        "    runpy.run_module('planner', run_name='__main__')\n"
        "except SystemExit as stop:\n"
        "    assert stop.code == 0, stop.code\n"
        "print('\\n'.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    for args in (
        ["status", "bristol-half", "--today", "2026-11-25"],
        ["--today", "2026-11-25", "status", "--format", "{day}"],
        ["status"],  # the clock's today, the last plan
    ):
        result = subprocess.run(
            [sys.executable, "-c", code, *args],
            env={**os.environ, "PLANNER_HOME": str(status_home)},
            capture_output=True,
            text=True,
        )
        loaded = set(result.stderr.split())
        assert result.returncode == 0, result.stderr
        assert "planner.status" in loaded
        bad = sorted(m for m in loaded if any(m == h or m.startswith(h + ".") for h in HEAVY))
        assert bad == [], args
    assert "see a clinician" in fast(status_home, "status", "--today", "2026-11-25")[1]


def test_the_installed_entry_point_takes_the_short_way_and_other_commands_the_parser(
    status_home,
):
    code = (
        "import sys\n"
        "from planner.__main__ import main\n"
        "sys.argv = ['planner', *sys.argv[1:]]\n"
        "try:\n"
        "    code = main()\n"
        "except SystemExit as stop:  # --help\n"
        "    code = stop.code\n"
        "print(code, 'argparse' in sys.modules, file=sys.stderr)\n"
    )

    def entry(*args: str) -> tuple[str, str]:
        result = subprocess.run(
            [sys.executable, "-c", code, *args],
            env={**os.environ, "PLANNER_HOME": str(status_home)},
            capture_output=True,
            text=True,
        )
        return result.stdout, result.stderr.split("\n")[-2]

    out, last = entry("status", "bristol-half", "--today", "2026-11-24")
    assert (out, last) == ("Bristol Half · day 4 · race in 5 · 0/5 · pain —\n", "0 False")
    out, last = entry("status", "--help")
    assert "--format TEMPLATE" in out and last == "0 True"
    out, last = entry("show", "bristol-half", "--today", "2026-11-24")
    assert "Bristol Half" in out and last == "0 True"
    # a bare PLAN named "status" is another command's argument, not this command
    out, last = entry("show", "status")
    assert last == "2 True"


# ---------------------------------------------------- the short reading against the store


def times(plan_path: Path) -> list[date]:
    plan = load_plan(plan_path)
    first, last, race = plan.first_date, plan.last_date, plan.race_date
    days = {first - timedelta(days=2), first, first + timedelta(days=1), race, last}
    days |= {race - timedelta(days=1), last + timedelta(days=1), first + (last - first) / 2}
    return sorted(days)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_every_sample_plan_reads_as_the_store_reads_it(sample):
    for today in times(sample):
        assert lean_status(sample, today) == store_status(sample, today), today


def with_logs(tmp_path: Path, logs: dict[int, tuple[int | None, bool]], marks: dict) -> Path:
    """The Bristol Half sample with pain logs (day number: (pain, at rest)) and ticks and
    skips ((day number, task number): "done" | a skip reason), written by the store."""
    plan = load_plan(BRISTOL)
    for number, (pain, at_rest) in logs.items():
        plan.days[number].pain = pain
        plan.days[number].at_rest = at_rest
        if pain is not None:
            plan.days[number].note = f"day {number}: pain {pain}"
    for (number, index), mark in marks.items():
        tasks = plan.days[number].tasks
        task = tasks[index % len(tasks)]
        if mark == "done":
            task.done = True
        else:
            task.skip = SkipReason(mark)
    path = tmp_path / "plan.toml"
    path.write_text(dumps_plan(plan))
    return path


def _swap_date_and_phase(text: str) -> str:
    return re.sub(r'(\ndate = [0-9-]+)(\nphase = "[a-z]+")', r"\2\1", text)


def _pain_first(text: str) -> str:
    return re.sub(r'(\ndate = [0-9-]+\nphase = "[a-z]+")(\npain = \d+)', r"\2\1", text)


def _table_of_ones_own(text: str) -> str:
    """A table of the runner's own in the first taper day, after its own keys."""
    taper = text.find('phase = "taper"')
    at = text.find("\n[[", taper) if taper >= 0 else -1
    return text if at < 0 else text[:at] + "\n[days.mine]\nsleep = 8\n" + text[at:]


# Hand edits that keep a plan's meaning, and two that make it parse whole (the last two).
EDITS = {
    "crlf": lambda t: t.replace("\n", "\r\n"),
    "comments": lambda t: re.sub(r"(\n\[\[days(?:\.tasks)?\]\]|\ndate = [0-9-]+)", r"\1  # x", t),
    "comment lines": lambda t: t.replace("\n[[days]]", "\n# [[days]] was here\n\n[[days]]"),
    "indented": lambda t: re.sub(r"\n([a-z_]+ =)", r"\n    \1", t),
    "tabs": lambda t: t.replace("\ndate = ", "\ndate\t=\t"),
    "spaced headers": lambda t: t.replace("[[days]]", "[[ days ]]").replace(
        "[[days.tasks]]", "[[days . tasks]]"
    ),
    "date after phase": _swap_date_and_phase,
    "pain first": _pain_first,
    "quoted keys": lambda t: t.replace("\npain = ", '\n"pain" = '),
    "a key of ones own": lambda t: t.replace(
        '\nphase = "recover"', '\nphase = "recover"\nmood = 1'
    ),
    "multi-line note": lambda t: re.sub(
        r'\nnote = "([^"\n]*)"', r'\nnote = """\1\n[[days]]\nstill the note"""', t
    ),
    "a table of ones own": _table_of_ones_own,
}

logs = st.dictionaries(
    st.integers(0, 23), st.tuples(st.one_of(st.none(), st.integers(0, 10)), st.booleans())
)
marks = st.dictionaries(
    st.tuples(st.integers(0, 23), st.integers(0, 9)),
    st.sampled_from(["done", "pain", "travel", "other"]),
)


@settings(max_examples=60)
@given(
    logs=logs,
    marks=marks,
    offset=st.integers(-3, 27),
    edits=st.lists(st.sampled_from(sorted(EDITS)), unique=True, max_size=4),
)
def test_hand_edited_plans_read_as_the_store_reads_them(
    tmp_path_factory, logs, marks, offset, edits
):
    path = with_logs(tmp_path_factory.mktemp("plan"), logs, marks)
    text = path.read_text()
    for name in edits:
        text = EDITS[name](text)
    path.write_bytes(text.encode())
    today = date(2026, 11, 20) + timedelta(days=offset)
    expected = store_status(path, today)  # the oracle: the store must read every variant
    assert lean_status(path, today) == expected
    assert lean.read_status(path, today) == expected


def test_the_short_reading_parses_only_some_days(monkeypatch, tmp_path):
    """A plan whose future days are corrupt still gives its line: the short way never read
    them (the next command that reads the file whole says where they are wrong)."""
    text = BRISTOL.read_text()
    cut, last = text.index("date = 2026-11-26"), text.index("date = 2026-12-13")
    broken = text[:cut] + text[cut:last].replace('phase = "', 'phase = "nonsense-') + text[last:]
    path = tmp_path / "plan.toml"
    path.write_text(broken)
    with pytest.raises(lean.BadPlan, match=r":\d+:1: days\[7\]\.phase is 'nonsense-"):
        store_status(path, date(2026, 11, 24))
    parsed = []
    real = lean.tomli.loads
    monkeypatch.setattr(lean.tomli, "loads", lambda s: parsed.append(s) or real(s))
    found = lean.read_status(path, date(2026, 11, 24))
    assert found == store_status(BRISTOL, date(2026, 11, 24))._replace(path=path)
    assert parsed and all("nonsense" not in piece for piece in parsed)


# -------------------------------------------------------------- the copies held to the core


def test_the_protocol_values_read_alone_are_the_protocols():
    rules = load_rules()
    amber, clear, labels = lean._lean_rules()
    assert (amber, clear) == (rules.pain.amber_max, rules.pain.clear_below)
    assert labels == {phase.value: info.label for phase, info in rules.phases.items()}
    for score in range(11):
        assert (score > amber) == (rules.pain.band(score) == "red")


def test_the_constants_are_the_cores():
    assert lean.MAX_BYTES == MAX_BYTES
    assert lean.MAX_STATE_BYTES == MAX_STATE_BYTES
    assert lean.APP_NAME == APP_NAME
    assert lean.SCHEMA_VERSION == SCHEMA_VERSION
    assert {reason.value for reason in SkipReason} == lean.SKIP_REASONS


@given(st.text())
def test_clean_line_and_slugify_are_the_cores(text):
    assert lean.clean_line(text) == clean_line(text)
    assert lean.shown_path(text) == shown_path(text)
    assert lean.slugify(text) == slugify(text)


def test_finding_the_plan_is_as_paths_finds_it(tmp_path):
    home = tmp_path / "home"

    def same(ref):
        try:
            expected = find_plan(ref, home)
        except PlanNotFound as error:
            expected = str(error)
        try:
            found = lean.find(ref, home)
        except lean.NotFound as error:
            found = str(error)
        if found is None:  # no plan at all
            assert expected.startswith("no plan yet"), expected
        else:
            assert found == expected, ref

    for ref in (None, "bristol-half", "Bristol Half", "x/y.toml", "x.toml"):
        same(ref)  # no home
    (home / "plans").mkdir(parents=True)
    shutil.copy(BRISTOL, home / "plans" / "bristol-half.toml")
    for ref in (None, "bristol-half", "Bristol Half", "BRISTOL half", "nope", "../plans"):
        same(ref)
    shutil.copy(BRISTOL, home / "plans" / "other.toml")
    same(None)  # several, none used last
    (home / "state.toml").write_text(f'last_plan = "{home}/plans/other.toml"\n')
    same(None)
    (home / "state.toml").write_text("last_plan = [1, 2]\n")
    same(None)
    (home / "state.toml").write_bytes(b"\xff")
    same(None)
    same(str(home / "plans" / "other.toml"))
    same(str(home / "plans" / "missing.toml"))
