"""`--json` on show, stats, decide and list: each output read back and checked against the
text the same command prints, validated by the JSON Schema the package ships for it, and
over generated plans; errors print no JSON."""

from __future__ import annotations

import fnmatch
import importlib.resources
import json
import re
import shutil
import subprocess
import sys
import tomllib
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from planner.cli import main
from planner.demo import DEMO_TODAY, demo_plan
from planner.json_out import decide_json, dumps, show_day, show_week, stats_json
from planner.model import Category, Distance, Task
from planner.ops import LogPain
from planner.rules import how_to, load_rules
from planner.store import PlanFile
from planner.words import plural
from tests.test_decide import RACE_EVE, forum, histories, ideal, lived, long_5k

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("show", "stats", "decide", "list")
FIXTURE_DAY = "2026-11-24"  # day 4 of the Bristol Half sample, the demo's today
CALLS = {"Race": "race", "Run-walk": "run-walk", "Don't start": "dont-start"}
# What must never reach a terminal: C0 controls (a note keeps its tabs and line breaks,
# which JSON escapes), DEL, C1 controls, bidi overrides and isolates.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def schema(kind: str) -> dict:
    text = importlib.resources.files("planner.schemas").joinpath(f"{kind}.schema.json")
    return json.loads(text.read_text(encoding="utf-8"))


VALIDATORS = {
    kind: Draft202012Validator(schema(kind), format_checker=Draft202012Validator.FORMAT_CHECKER)
    for kind in KINDS
}


def strings(value):
    """Every string in a JSON value, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings(item)


def checked(data: dict, kind: str) -> dict:
    """`data` after the checks every output passes: kind and version first, valid by its
    schema, no control character in any text."""
    assert list(data)[:2] == ["kind", "version"]
    assert (data["kind"], data["version"]) == (kind, 1)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATORS[kind].iter_errors(data)]
    assert errors == []
    for text in strings(data):
        assert not CONTROL.search(text), text
    return data


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, kind: str, *args) -> dict:
    """The command's JSON, read back and checked; the raw text holds no control character
    (json escapes them) but the line breaks of its indentation."""
    code, out, err = run(capsys, "--today", FIXTURE_DAY, kind, *args, "--json")
    assert (code, err) == (0, "")
    assert not CONTROL.search(out) and "\t" not in out
    return checked(json.loads(out), kind)


def run_text(capsys, *args) -> list[str]:
    code, out, err = run(capsys, "--today", FIXTURE_DAY, *args)
    assert (code, err) == (0, "")
    return out.splitlines()


@pytest.fixture
def plans(home):
    """The sample plans of plans/ in the home's plans folder, and the demo's lived-in plan
    (ticks, a skip, pain logs and notes up to its today) as lived.toml."""
    folder = home / "plans"
    folder.mkdir(parents=True)
    for path in sorted((ROOT / "plans").glob("*.toml")):
        shutil.copy(path, folder / path.name)
    PlanFile.create(folder / "lived.toml", demo_plan(DEMO_TODAY))
    return folder


def text_tasks(lines: list[str]) -> list[tuple[int, str, str]]:
    """(number, box, rest) of each task line of text `show`."""
    found = []
    for line in lines:
        match = re.match(r"^ +(\d+)\. \[(.)\] (.*)$", line)
        if match:
            found.append((int(match[1]), match[2], match[3]))
    return found


# ------------------------------------------------------------------ show


@pytest.mark.parametrize("name", ["bristol-half", "lived", "spring-marathon", "sprinter-cramps"])
def test_show_json_is_the_days_checklist_as_text_show_prints_it(plans, capsys, name):
    lines = run_text(capsys, "show", name, "--why")
    data = run_json(capsys, "show", name)
    assert data["view"] == "day" and data["date"] == data["today"] == FIXTURE_DAY
    assert data["plan"]["path"] == str(plans / f"{name}.toml")
    tasks = text_tasks(lines)
    assert len(data["tasks"]) == len(tasks) == data["total"] > 0
    for task, (number, box, rest) in zip(data["tasks"], tasks, strict=True):
        assert task["number"] == number
        assert rest.startswith(task["title"])
        assert box == ("x" if task["done"] else "-" if task["skip"] else " ")
        assert (f" — {task['dose']}" in rest) == (task["dose"] is not None)
        if task["why"]:
            assert f"why: {task['why']}" in "\n".join(lines)
        assert task["how"] is None  # only with --how
    header = lines[1]
    assert f"{data['done']}/{data['total']} done" in header
    assert f"· {data['phase_label']} ·" in header
    number = data["day_number"]
    assert (f"day {number} since injury" if number else "injury day") in header
    assert f"race in {data['days_to_race']} days" in header
    tomorrow = [line for line in lines if line.startswith("Tomorrow: ")]
    assert tomorrow == ([data["tomorrow"]] if data["tomorrow"] else [])
    assert data["decision"] is None and data["gate"] is None


def test_show_json_of_a_lived_day_has_its_ticks_skip_pain_and_note(plans, capsys):
    data = run_json(capsys, "show", "lived", "--date", "2026-11-22")
    day = demo_plan(DEMO_TODAY).day(date(2026, 11, 22))
    assert data["date"] == "2026-11-22" and data["day_number"] == 2
    assert data["pain"] == day.pain == 3 and data["note"] is None and data["at_rest"] is False
    assert [t["id"] for t in data["tasks"]] == [t.id for t in day.tasks]
    # the demo's runner left the ice undone that day (not skipped: nothing excused it)
    assert [t["id"] for t in data["tasks"] if not t["done"]] == ["ice"]
    assert all(t["skip"] is None for t in data["tasks"])
    done = [t for t in data["tasks"] if t["done"]]
    assert done and all(t["done_at"].startswith("2026-11-22T19:30") for t in done)
    noted = run_json(capsys, "show", "lived", "--date", "2026-11-21")
    assert noted["pain"] == 4 and noted["note"] == "walking better"
    text = run_text(capsys, "show", "lived", "--date", "2026-11-21")
    assert "Pain: 4/10 — walking better" in text


def test_a_skip_a_note_and_actual_minutes_show_in_the_json(plans, capsys):
    assert run(capsys, "--today", FIXTURE_DAY, "skip", "2", "lived", "--reason", "travel")[0] == 0
    assert run(capsys, "--today", FIXTURE_DAY, "note", "1", "felt\nfine", "lived")[0] == 0
    data = run_json(capsys, "show", "lived")
    assert data["tasks"][1]["skip"] == "travel" and data["tasks"][1]["done"] is False
    assert data["tasks"][0]["note"] == "felt\nfine"
    assert data["done"] == 1
    text = run_text(capsys, "show", "lived")
    assert "(skipped: travel)" in text_tasks(text)[1][2]


def test_a_plan_of_an_older_protocol_says_so_as_text_show_offers_replan(plans, capsys):
    old = plans / "old.toml"
    shutil.copy(ROOT / "tests" / "fixtures" / "plan-v0.toml", old)
    data = run_json(capsys, "show", str(old), "--date", "2026-11-22")
    text = run_text(capsys, "show", str(old), "--date", "2026-11-22")
    assert (data["plan"]["protocol"], data["plan"]["protocol_outdated"]) == (1, True)
    assert any(line.startswith("Laid out by protocol 1: `planner replan`") for line in text)
    assert run_json(capsys, "show", "lived")["plan"]["protocol_outdated"] is False


def test_show_how_json_has_each_tasks_steps_as_text_how_prints_them(plans, capsys):
    data = run_json(capsys, "show", "bristol-half", "--how")
    text = run_text(capsys, "show", "bristol-half", "--how")
    steps = [line.split("- ", 1)[1] for line in text if re.match(r"^ {9,}- ", line)]
    assert [s for t in data["tasks"] for s in t["how"]] == steps
    assert any(t["how"] for t in data["tasks"])
    plan = PlanFile.open(plans / "bristol-half.toml").plan
    day = plan.day(date.fromisoformat(FIXTURE_DAY))
    assert [t["how"] for t in data["tasks"]] == [list(how_to(t, "grade1")) for t in day.tasks]


def test_show_week_json_is_the_weeks_rows(plans, capsys):
    data = run_json(capsys, "show", "bristol-half", "--week")
    text = run_text(capsys, "show", "bristol-half", "--week")
    assert data["view"] == "week"
    assert (data["monday"], data["sunday"]) == ("2026-11-23", "2026-11-29")
    rows = [line for line in text if re.match(r"^  \w{3} \d", line)]
    assert len(data["days"]) == len(rows) == 7
    for row, line in zip(data["days"], rows, strict=True):
        day = date.fromisoformat(row["date"])
        assert line.startswith(f"  {day:%a} {day.day} {day:%b}")
        assert f"{row['what']} · {row['done']}/{row['total']} done" in line
        assert row["is_today"] == (row["date"] == FIXTURE_DAY) == line.endswith("today")
    assert data["days"][-1]["phase"] == "race"
    assert data["run_minutes"] == sum(row["run_minutes"] for row in data["days"])
    assert data["runs"] == sum(1 for row in data["days"] if row["run_minutes"])
    if data["long_run"] is None:
        assert text[-1].startswith("Runs: none this week")
    else:
        assert f"{data['run_minutes']} min in all (longest " in text[-1]
    assert f"strength: {plural(data['strength_days'], 'day')}" in text[-1]


def test_show_json_on_race_eve_carries_the_call_decide_gives(home, capsys):
    folder = home / "plans"
    folder.mkdir(parents=True)
    PlanFile.create(folder / "forum.toml", lived(forum(Distance.K5)))
    eve = RACE_EVE.isoformat()
    code, out, _ = run(capsys, "--today", eve, "show", "forum", "--json")
    shown = checked(json.loads(out), "show")
    code2, out2, _ = run(capsys, "--today", eve, "decide", "forum", "--json")
    called = checked(json.loads(out2), "decide")
    assert code == code2 == 0
    assert shown["decision"] == {k: called[k] for k in shown["decision"]}
    assert shown["decision"]["call"] == "run-walk"
    # race day, not today: text shows no call there, nor does the JSON
    code, out, _ = run(capsys, "--today", eve, "show", "forum", "--date", "2026-11-29", "--json")
    assert code == 0 and json.loads(out)["decision"] is None


# ------------------------------------------------------------------ decide


def _ideal_5k():
    """A grade 1 strain four weeks before a 5k, every run done pain-free: a race."""
    plan = long_5k()
    ideal(plan, date(2026, 11, 23))
    return plan


def call_line(lines: list[str]) -> str:
    return next(line for line in lines if line.startswith("Race-day call: "))


@pytest.mark.parametrize(
    ("make", "today", "call"),
    [
        (lambda: lived(forum()), RACE_EVE, "dont-start"),
        (lambda: lived(forum(Distance.K5)), RACE_EVE, "run-walk"),
        (lambda: _ideal_5k(), date(2026, 11, 26), "race"),
        (lambda: forum(), date(2026, 11, 22), "dont-start"),
    ],
)
def test_decide_json_is_the_call_text_decide_makes(home, capsys, make, today, call):
    folder = home / "plans"
    folder.mkdir(parents=True)
    PlanFile.create(folder / "p.toml", make())
    code, out, _ = run(capsys, "--today", today.isoformat(), "decide", "p")
    lines = out.splitlines()
    code2, out2, _ = run(capsys, "--today", today.isoformat(), "decide", "p", "--json")
    data = checked(json.loads(out2), "decide")
    assert code == code2 == 0
    line = call_line(lines)[len("Race-day call: ") :]
    label, _, rest = line.partition(" (provisional")
    assert data["call"] == CALLS[label] == call and data["label"] == label
    assert data["provisional"] == bool(rest)
    assert data["reasons"] == [line[4:] for line in lines if line.startswith("  - ")]
    assert f"On the day: {data['advice']}" in lines
    assert (data["if_you_start"] in lines) if call == "dont-start" else data["if_you_start"] is None
    assert data["days_to_race"] == (date(2026, 11, 29) - today).days


# ------------------------------------------------------------------ stats


@pytest.mark.parametrize("name", ["lived", "bristol-half", "winter-marathon"])
def test_stats_json_says_what_text_stats_says(plans, capsys, name):
    data = run_json(capsys, "stats", name)
    text = "\n".join(run_text(capsys, "stats", name))
    overall = data["adherence"]
    percent = "-" if overall["percent"] is None else f"{overall['percent']}%"
    assert f"Adherence: {percent} ({overall['done']} of {overall['due']} task" in text
    streak = data["streak"]
    assert f"now · best {streak['best']}" in text
    assert f"Streak: {streak['current']} day" in text
    for phase, tally in data["by_phase"].items():
        assert f"{phase} " in text and f"({tally['done']}/{tally['due']})" in text
    pain = data["pain"]
    if pain["logs"]:
        assert f"{pain['first']} -> {pain['latest']}, {pain['trend']}" in text
        assert f"({plural(len(pain['logs']), 'log')}, latest " in text
    else:
        assert "Pain: none logged yet" in text and pain["trend"] is None


def test_stats_json_of_the_lived_plan_has_its_pain_series(plans, capsys):
    data = run_json(capsys, "stats", "lived")
    plan = demo_plan(DEMO_TODAY)
    logged = [(d.date.isoformat(), d.pain) for d in plan.days if d.pain is not None]
    assert [(log["date"], log["pain"]) for log in data["pain"]["logs"]] == logged
    assert data["pain"]["latest_date"] == "2026-11-23" and data["pain"]["trend"] == "falling"
    assert data["by_category"]["ice"]["done"] < data["by_category"]["ice"]["due"]
    assert data["days_to_race"] == 5


def test_stats_chart_goes_with_the_text_only(plans, capsys):
    code, out, err = run(capsys, "stats", "lived", "--chart", "--json")
    assert (code, out) == (2, "")
    assert err == "planner: --chart: goes with the text, not with --json\n"


# ------------------------------------------------------------------ list


def test_list_json_is_every_plan_the_text_lists_and_the_bad_file_apart(plans, capsys):
    (plans / "broken.toml").write_text("this is [ not toml\n")
    run_text(capsys, "show", "lived")  # now the last used
    text = run_text(capsys, "list")
    data = run_json(capsys, "list")
    assert data["folder"] == str(plans)
    assert data["last_used"] == str((plans / "lived.toml").resolve())
    listed = [line for line in text if " · " in line]
    assert len(data["plans"]) == len(listed) == len(list(plans.glob("*.toml"))) - 1
    for entry, line in zip(data["plans"], listed, strict=True):
        assert line[2:].startswith(f"{entry['name']} · ") and line.endswith(entry["file"])
        assert entry["last_used"] == line.startswith("*")
        assert entry["path"] == str(plans / entry["file"])
    [bad] = data["unreadable"]
    assert bad["file"] == "broken.toml" and bad["last_used"] is False
    assert f"broken.toml: can't be read: {bad['problem']}" in "\n".join(text)


def test_list_json_puts_conflict_copies_under_their_plan_as_the_text_does(plans, capsys):
    syncthing = plans / "lived.sync-conflict-20261130-140200-ABCDEF7.toml"
    dropbox = plans / "lived (Ann's conflicted copy 2026-11-30).toml"
    for copy in (syncthing, dropbox):
        shutil.copy(plans / "lived.toml", copy)
    assert run(capsys, "show", str(syncthing))[0] == 0  # the copy, opened by its path
    text = run_text(capsys, "list")
    data = run_json(capsys, "list")
    assert len(data["plans"]) == len(list(plans.glob("*.toml"))) - 2
    assert data["last_used"] == str((plans / "lived.toml").resolve())  # its plan, as "*"
    [lived] = [entry for entry in data["plans"] if entry["file"] == "lived.toml"]
    assert lived["last_used"] and [e for e in data["plans"] if e["last_used"]] == [lived]
    copies = {copy["file"]: copy for copy in lived["conflict_copies"]}
    assert set(copies) == {syncthing.name, dropbox.name}
    assert copies[syncthing.name]["path"] == str(syncthing)
    assert (copies[syncthing.name]["tool"], copies[syncthing.name]["who"]) == (
        "Syncthing",
        "ABCDEF7",
    )
    assert copies[syncthing.name]["when"] == "2026-11-30T14:02:00"
    assert (copies[dropbox.name]["tool"], copies[dropbox.name]["when"]) == ("Dropbox", "2026-11-30")
    assert copies[dropbox.name]["who"] == "Ann"
    for copy in lived["conflict_copies"]:
        assert f"    {copy['description']} · {copy['merge']}" in text
        assert copy["merge"].startswith("planner merge lived ")
    assert all(e["conflict_copies"] == [] for e in data["plans"] if e is not lived)


def test_list_json_of_an_empty_folder_has_no_plans(home, capsys):
    data = run_json(capsys, "list")
    assert (data["plans"], data["unreadable"], data["last_used"]) == ([], [], None)


# ------------------------------------------------------------------ errors: no JSON


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["show", "nosuch"], 2),
        (["show", "lived", "--date", "2030-01-01"], 2),
        (["show", "broken"], 1),
        (["stats", "broken"], 1),
        (["decide", "nosuch"], 2),
    ],
)
def test_an_error_is_one_line_on_stderr_and_no_json(plans, capsys, args, code):
    (plans / "broken.toml").write_text("[plan]\nname = 3\n")
    before = {p.name: p.read_bytes() for p in plans.iterdir()}
    got, out, err = run(capsys, *args, "--json")
    assert (got, out) == (code, "")
    assert err.startswith("planner: ") and err.count("\n") == 1
    assert {p.name: p.read_bytes() for p in plans.iterdir()} == before


# ------------------------------------------------------------------ text cleaned at load


def test_control_characters_in_a_hand_edited_file_never_reach_the_json(plans, capsys):
    path = plans / "lived.toml"
    text = path.read_text()
    text = text.replace('name = "Bristol Half"', 'name = "Bristol\\u001b[31m Half\\u202e"', 1)
    text = re.sub(r'title = "([^"]*)"', r'title = "\1\\u009b2J\\u0007"', text, count=3)
    text = text.replace('note = "walking better"', 'note = "walking\\u001b]0;x\\u0007\\nbetter"')
    path.write_text(text)
    for kind, args in [("show", ["--date", "2026-11-21"]), ("stats", []), ("decide", [])]:
        data = run_json(capsys, kind, "lived", *args)
        assert data["plan"]["name"] == "Bristol[31m Half"
    data = run_json(capsys, "show", "lived", "--date", "2026-11-21")
    assert data["note"] == "walking]0;x\nbetter"
    data = run_json(capsys, "show", "lived", "--date", "2026-11-20")
    assert data["tasks"][0]["title"].endswith("2J")
    run_json(capsys, "list")


# ------------------------------------------------------------------ the core module


def test_the_json_is_built_by_the_core_without_textual_rich_or_the_clock():
    code = (
        "import sys, planner.json_out\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (result.returncode, result.stdout.strip()) == (0, "[]"), result.stderr
    source = (ROOT / "planner" / "json_out.py").read_text()
    assert not re.search(r"\b(date|datetime)\.(today|now|utcnow)\(|\btime\.time\(", source)


# ------------------------------------------------------------------ the schemas


def test_the_schema_files_are_valid_draft_2020_12_schemas():
    for kind in KINDS:
        document = schema(kind)
        Draft202012Validator.check_schema(document)
        assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        properties = document.get("properties") or document["$defs"]["day_view"]["properties"]
        assert properties["version"] == {"const": 1} and properties["kind"] == {"const": kind}


def test_the_schemas_are_package_data():
    shipped = {
        item.name
        for item in importlib.resources.files("planner.schemas").iterdir()
        if item.name.endswith(".json")
    }
    assert {f"{kind}.schema.json" for kind in KINDS} <= shipped  # status's is beside them
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    patterns = setuptools["package-data"]["planner.schemas"]
    assert all(any(fnmatch.fnmatch(name, p) for p in patterns) for name in shipped)


def test_the_shared_parts_of_the_schemas_say_the_same():
    plan = schema("show")["$defs"]["plan"]
    assert schema("stats")["$defs"]["plan"] == schema("decide")["$defs"]["plan"] == plan
    entry = schema("list")["$defs"]["entry"]["properties"]
    assert {k: v for k, v in entry.items() if k in plan["properties"]} == plan["properties"]
    decision = schema("show")["$defs"]["decision"]["properties"]
    assert {k: schema("decide")["properties"][k] for k in decision} == decision
    assert schema("stats")["$defs"]["phase"] == schema("show")["$defs"]["phase"]


def test_a_drifted_output_fails_its_schema(plans, capsys):
    data = run_json(capsys, "show", "lived")
    for change in (
        lambda d: d.update(version=2),
        lambda d: d["tasks"][0].update(category="yoga"),
        lambda d: d["tasks"][0].update(colour="red"),
        lambda d: d.update(phase="resting"),
        lambda d: d.pop("tomorrow"),
        lambda d: d.update(date="24 Nov"),
    ):
        drifted = json.loads(json.dumps(data))
        change(drifted)
        assert not VALIDATORS["show"].is_valid(drifted)


# ------------------------------------------------------------------ over generated plans

TEXTS = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=20
).filter(lambda s: s.strip())


@settings(max_examples=60)
@given(histories(), st.data())
def test_the_json_of_any_plan_validates(case, data):
    plan, today = case
    # the runner's own task and a day's note with any text, as typed or hand-edited, on a
    # random day: each goes in as a front end or a load puts it (which clean it)
    day = plan.days[data.draw(st.integers(0, len(plan.days) - 1))]
    title, note = data.draw(TEXTS), data.draw(st.one_of(st.none(), TEXTS))
    day.tasks.append(Task("mine", Category.CUSTOM, title, note=note, custom=True))
    LogPain(day.date, day.pain, data.draw(st.one_of(st.none(), TEXTS))).apply(plan)
    rules = load_rules()
    path = Path("plans") / "p.toml"
    shown = checked(show_day(plan, path, day, today, how=True, rules=rules), "show")
    assert len(shown["tasks"]) == len(day.tasks)
    assert shown["done"] == sum(t.done or t.skip is not None for t in day.tasks)
    assert "\n" not in shown["tasks"][-1]["title"]  # a title is one line, a note may not be
    week = checked(show_week(plan, path, day.date, today, rules), "show")
    assert day.date.isoformat() in [row["date"] for row in week["days"]]
    stats = checked(stats_json(plan, path, today), "stats")
    logged = [d for d in plan.days if d.date <= today and d.pain is not None]
    assert len(stats["pain"]["logs"]) == len(logged)
    call = checked(decide_json(plan, path, today), "decide")
    assert call["call"] in CALLS.values()
    assert call["provisional"] == (today < plan.race_date - timedelta(days=1))
    text = dumps(call)
    assert json.loads(text) == call and not CONTROL.search(text)
