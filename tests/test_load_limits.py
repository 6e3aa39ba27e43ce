"""Loading refuses, with `path:line:col: problem`, every value a person can write that the
app could not use or save back: numbers too long or out of range, dates outside 1970-2200,
days that don't match the head, ids and titles that clean to nothing. Whatever it accepts
saves and loads again; nothing but PlanError ever leaves the loader."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner import engine, paths, store
from planner.engine import InputError, build_plan, replan
from planner.glimpse import Glimpse
from planner.model import (
    Category,
    Distance,
    GateResult,
    InjuryKind,
    Plan,
    PlanInputs,
    Safety,
    Side,
)
from planner.ops import LogPain, RecordGate, SetDone
from planner.store import PlanError, codec, dumps_plan, load_plan, parse_plan

TODAY = date(2026, 11, 21)
INJURY = date(2026, 11, 20)
RACE = date(2026, 11, 29)


def lived_in_plan() -> Plan:
    """A real plan with every kind of value a file holds: a tick, pain, a gate, safety,
    hand-added keys on a task, a day and the head."""
    inputs = PlanInputs(INJURY, RACE, InjuryKind.STRAIN, 1, Side.LEFT, Distance.HALF, "Bristol")
    plan = build_plan(inputs, TODAY)
    first = plan.days[1]
    SetDone(first.date, first.tasks[0].id, True, datetime(2026, 11, 21, 8, tzinfo=UTC)).apply(plan)
    LogPain(first.date, 3, "stiff on the stairs", False).apply(plan)
    RecordGate(plan.days[2].date, GateResult(20, 10, 30, True)).apply(plan)
    plan.safety = Safety(TODAY, ["pop"], True)
    plan.uid, plan.revision = "3d1fe5fe0077ca13", 4
    plan.days[1].tasks[1].extra = {"my_rating": 5}
    plan.days[1].extra = {"weather": "rain"}
    plan.plan_extra = {"coach": "Sam"}
    return plan


BASE = dumps_plan(lived_in_plan())


def edited(old: str, new: str, count: int = 1) -> str:
    assert old in BASE, old
    return BASE.replace(old, new, count)


def refused(text: str) -> PlanError:
    with pytest.raises(PlanError) as error:
        parse_plan(text.encode(), "p.toml")
    return error.value


def line_of(text: str, line: int) -> str:
    return text.split("\n")[line - 1]


# --------------------------------------------------------------- numbers too long to read

LONG = "9" * 5000


@pytest.mark.parametrize(
    "old, new",
    [
        ("revision = 4", f"revision = {LONG}"),
        ("grade = 1", f"grade = -{LONG}"),
        ("pain = 3", f"pain = +{LONG[:4400]}"),
        ("my_rating = 5", f"my_rating = [1, {'1_' * 4400}1]"),
        ("schema_version = 1", f"schema_version = {LONG}"),
    ],
)
def test_a_number_over_4300_digits_is_refused_where_it_stands(old, new):
    text = edited(old, new)
    error = refused(text)
    assert re.search(r"a number with [\d,]+ digits; plan numbers are small", error.problem)
    assert error.line is not None
    at = line_of(text, error.line)[error.col - 1 :]
    assert at[:1].isdigit() and len(at) > 4300  # the column is the number's first digit


def test_a_long_number_inside_a_string_is_not_the_one_blamed():
    text = edited('name = "Bristol"', f'name = "{LONG}"\nmotto = "{LONG}"').replace(
        "revision = 4", f"revision = {LONG}"
    )
    error = refused(text)
    assert line_of(text, error.line).startswith("revision = ")


@pytest.mark.parametrize("where", ["head", "first day", "last day"])
def test_a_big_plan_with_a_long_number_opens_to_its_position_not_a_crash(tmp_path, where):
    """The TUI opens a big plan from a glimpse of a few days: no glimpse, then the whole
    read reports the number."""
    plan = build_plan(PlanInputs(INJURY, INJURY + timedelta(weeks=16)), INJURY)
    text = dumps_plan(plan)
    if where == "head":
        text = text.replace("distance = ", f"revision = {LONG}\ndistance = ", 1)
    else:
        at = text.index("phase = ") if where == "first day" else text.rindex("phase = ")
        text = f"{text[:at]}pain = {LONG}\n{text[at:]}"
    path = tmp_path / "big.toml"
    path.write_text(text)
    glimpse = Glimpse.read(path, INJURY + timedelta(days=8))
    assert glimpse.plan is None
    with pytest.raises(PlanError) as error:
        glimpse.first_file()
    assert "a number with 5,000 digits" in error.value.problem
    assert line_of(text, error.value.line)[error.value.col - 1 :].startswith(LONG)


def test_a_damaged_state_file_is_ignored(tmp_path):
    plan_path = tmp_path / "plan.toml"
    plan_path.write_text(BASE)
    state = tmp_path / paths.STATE_FILE
    state.write_text(f'last_plan = "{plan_path}"\n')
    assert paths.last_plan(tmp_path) == plan_path
    named = f'last_plan = "{plan_path}"\n'.encode()
    for bad in (
        f"last_plan = {LONG}\n".encode(),
        named + f"x = {LONG}\n".encode(),
        b'last_plan = "' + b"a" * 5000 + b'"\n',  # a name too long for the system
        b'last_plan = "a\\u0000b"\n',
        b"last_plan = " + b"[" * 2000 + b"]" * 2000 + b"\n",
        named + b"#" * paths.MAX_STATE_BYTES,  # not a state file of ours
        named + b"# \xff\n",
    ):
        state.write_bytes(bad)
        assert paths.last_plan(tmp_path) is None, bad[:40]


def test_a_fifo_for_a_state_file_does_not_hang(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    os.mkfifo(tmp_path / paths.STATE_FILE)
    started = time.monotonic()
    assert paths.last_plan(tmp_path) is None
    assert time.monotonic() - started < 1.0


# ------------------------------------------------------------------ numbers out of range


@pytest.mark.parametrize(
    "old, new, words",
    [
        ("schema_version = 1", "schema_version = 1001", "schema versions are 0-1000"),
        ("schema_version = 1", "schema_version = 99999999999999999999", "0-1000"),
        ("schema_version = 1", "schema_version = -3", "not one this version knows"),
        ("revision = 4", "revision = 1000000001", "plan.revision is 1000000001; it must be"),
        ("revision = 4", "revision = -1", "plan.revision is -1"),
        ("grade = 1", "grade = 3", "plan.grade is 3; it must be 1-2"),
        ("pain = 3", "pain = 11", "days[2].pain is 11; it must be 0-10"),
        ("raises = 20", "raises = 1001", "days[3].gate.raises is 1001; it must be 0-1000"),
        ("hops = 10", "hops = -1", "days[3].gate.hops is -1"),
        ("walk_min = 30", "walk_min = 1441", "days[3].gate.walk_min is 1441; it must be 0-1440"),
        ("hold_s = 30", "hold_s = 1441", "hold_s is 1441; it must be 0-1440"),
        ("hold_s = 30", f"hold_s = {2**70}", "it must be 0-1440"),
        ("sets = 5", "sets = -1", "sets is -1; it must be 0-1440"),
    ],
)
def test_numbers_out_of_range_are_refused_at_their_line(old, new, words):
    text = edited(old, new)
    error = refused(text)
    assert words in error.problem
    assert line_of(text, error.line).lstrip().startswith(new.split(" =")[0])


def test_the_largest_numbers_allowed_load_and_save_back():
    text = BASE
    for old, new in [
        ("revision = 4", f"revision = {store.MAX_REVISION}"),
        ("hold_s = 30", f"hold_s = {store.MAX_DOSE}"),
        ("raises = 20", f"raises = {store.MAX_GATE_COUNT}"),
        ("walk_min = 30", f"walk_min = {store.MAX_GATE_WALK}"),
    ]:
        text = text.replace(old, new, 1)
    plan = parse_plan(text.encode(), "p.toml")
    assert plan.revision == store.MAX_REVISION
    assert parse_plan(dumps_plan(plan).encode(), "p.toml") == plan


def test_the_engine_and_protocol_stay_inside_the_limits():
    for weeks, distance in ((52, Distance.MARATHON), (16, Distance.HALF), (1, Distance.K5)):
        inputs = PlanInputs(INJURY, INJURY + timedelta(weeks=weeks), distance=distance)
        plan = build_plan(inputs, INJURY)
        for task in (t for d in plan.days for t in d.tasks):
            for value in (task.minutes, task.sets, task.reps, task.hold_s):
                assert value is None or 0 <= value <= store.MAX_DOSE
        parse_plan(dumps_plan(plan).encode(), "p.toml")


# ------------------------------------------------------------------------------- dates

DATE_KEYS = ["created", "injury_date", "race_date", "checked", "date", "done_at"]


@pytest.mark.parametrize("key", DATE_KEYS)
@pytest.mark.parametrize("value", ["0001-01-01", "1969-12-31", "2201-01-01", "9999-12-31"])
def test_dates_outside_1970_to_2200_are_refused_at_their_line(key, value):
    if key in ("created", "done_at"):
        value += "T00:00:00Z"
    text = re.sub(rf"(?m)^{key} = .*$", lambda _: f"{key} = {value}", BASE, count=1)
    assert text != BASE
    error = refused(text)
    assert f"{key} is {value[:10]}" in error.problem
    assert "a plan's dates are in the years 1970-2200" in error.problem
    assert line_of(text, error.line).startswith(f"{key} = ")


@pytest.mark.parametrize(
    "race, words",
    [
        ("2026-11-19", "race_date must be from injury_date (2026-11-20) to 366 days after it"),
        ("2027-11-22", "race_date must be from injury_date"),
        ("2026-12-31", "the last day is 2026-12-13, before race_date (2026-12-31)"),
    ],
)
def test_a_race_before_the_injury_too_far_after_it_or_past_the_days_is_refused(race, words):
    text = edited("race_date = 2026-11-29", f"race_date = {race}")
    error = refused(text)
    assert words in error.problem
    assert error.line is not None


def test_the_days_start_on_the_injury_date():
    text = edited("injury_date = 2026-11-20", "injury_date = 2026-11-19")
    error = refused(text)
    assert "days[1].date is 2026-11-20; a plan's days start on its injury_date, 2026-11-19" in (
        error.problem
    )
    assert line_of(text, error.line) == "date = 2026-11-20"


def test_a_race_a_year_on_with_a_year_of_days_after_it_loads():
    """The two-year benchmark plan as proposed: race on day 366, 366 days after it."""
    plan = lived_in_plan()
    days = plan.days
    race = INJURY + timedelta(days=store.MAX_RACE_DAYS)
    last = race + timedelta(days=store.MAX_AFTER_DAYS)
    template = days[-1]
    for n in range(len(days), (last - INJURY).days + 1):
        days.append(type(template)(INJURY + timedelta(days=n), template.phase, template.tasks))
    plan.race_date = race
    text = dumps_plan(plan)
    assert parse_plan(text.encode(), "p.toml").last_date == last
    longer = text + '\n[[days]]\ndate = 2028-11-22\nphase = "after"\n'
    error = refused(longer)
    assert "days[734].date is 2028-11-22, more than 366 days after race_date" in error.problem


def test_the_engine_never_lays_out_more_than_a_year_and_a_bit():
    plan = lived_in_plan()
    for race in (date(9999, 12, 31), INJURY - timedelta(days=1), INJURY + timedelta(days=367)):
        plan.race_date = race  # a Plan made in code: the store would refuse the file
        started = time.process_time()
        with pytest.raises(InputError) as error:
            replan(plan, TODAY, TODAY)
        assert time.process_time() - started < 1.0
        assert error.value.field == "race_date" and "0-366 days after it" in str(error.value)
    plan.race_date = INJURY + timedelta(days=366)
    assert replan(plan, TODAY, TODAY).race_date == plan.race_date


def test_the_engine_never_makes_a_plan_the_store_would_refuse():
    assert (engine.FIRST_YEAR, engine.LAST_YEAR) == (store.FIRST_YEAR, store.LAST_YEAR)
    assert engine.MAX_RACE_OFFSET == store.MAX_RACE_DAYS
    for injury, race, today, field in [
        (date(1969, 12, 30), date(1970, 1, 5), date(1970, 1, 1), "injury_date"),
        (date(2200, 12, 26), date(2200, 12, 30), date(2200, 12, 27), "race_date"),
        (date(9999, 12, 20), date(9999, 12, 31), date(9999, 12, 25), "race_date"),
    ]:
        with pytest.raises(InputError) as error:
            build_plan(PlanInputs(injury, race), today)
        assert error.value.field == field
    latest = build_plan(PlanInputs(date(2200, 10, 20), date(2200, 11, 20)), date(2200, 10, 21))
    earliest = build_plan(PlanInputs(date(1970, 1, 1), date(1970, 1, 9)), date(1970, 1, 1))
    for plan in (latest, earliest):
        assert parse_plan(dumps_plan(plan).encode(), "p.toml") == plan


# ------------------------------------------------------------- texts that clean to nothing


@pytest.mark.parametrize(
    "field, value, words",
    [
        ("id", '"\\u0007"', "id is empty once control characters are removed"),
        ("id", '"\\u001b\\u009b\\u202e"', "id is empty once control characters are removed"),
        ("id", '"\\n\\t"', "id is blank"),
        ("id", '""', "id is empty"),
        ("title", '"\\u0007"', "title is empty once control characters are removed"),
        ("title", '"\\u2028 \\n"', "title is blank"),
        ("title", '""', "title is empty"),
    ],
)
def test_an_id_or_title_that_cleans_to_nothing_is_refused(field, value, words):
    text = re.sub(rf"(?m)^{field} = .*$", lambda _: f"{field} = {value}", BASE, count=1)
    error = refused(text)
    assert f"days[1].tasks[1].{words}" in error.problem
    assert line_of(text, error.line).startswith(f"{field} = ")
    # The glimpse's reader of one day refuses it too.
    raw = __import__("tomli").loads(text)["days"][0]
    with pytest.raises(PlanError, match=re.escape(words)):
        codec.day_of(raw, 0, Path("p.toml"))


def test_ids_that_clean_to_the_same_id_are_refused():
    text = edited('id = "walk"', 'id = "walk\\u0007"')
    first = re.search(r'(?m)^id = "(.*)"$', text).group(1)
    text = text.replace(f'id = "{first}"', 'id = "walk"', 1)
    error = refused(text)
    assert "task id 'walk' appears twice" in error.problem


@pytest.mark.parametrize(
    "where, line",
    [
        ("task", '"custom\\u0007" = 5'),
        ("task", '"my_rating\\u0007" = 6'),
        ("day", '"tasks\\u0007" = 1'),
        ("day", '"gate\\u001b" = 1'),
        ("head", '"safety\\u0007" = 1'),
        ("top", '"schema_version\\u0007" = "x"'),
        ("task", 'nested = {"a\\u0007" = 1, a = 2}'),
    ],
)
def test_a_hand_added_key_that_cleans_into_another_is_refused(where, line):
    anchor = {
        "task": "my_rating = 5",
        "day": 'weather = "rain"',
        "head": 'coach = "Sam"',
        "top": "schema_version = 1",
    }[where]
    text = edited(anchor, f"{anchor}\n{line}")
    error = refused(text)
    assert "once control characters are removed, like another key" in error.problem
    assert error.line is not None and error.problem.isprintable()


def test_a_hand_added_key_with_control_characters_is_cleaned_and_kept():
    text = edited("my_rating = 5", 'my_rating = 5\n"mood\\u001b[31m" = "ok\\u0007"')
    plan = parse_plan(text.encode(), "p.toml")
    assert plan.days[1].tasks[1].extra == {"my_rating": 5, "mood[31m": "ok"}
    assert parse_plan(dumps_plan(plan).encode(), "p.toml") == plan


@pytest.mark.parametrize("depth", [33, 100, 399])
def test_a_hand_added_value_nested_deeper_than_the_writer_goes_is_refused(depth):
    for anchor in ("my_rating = 5", 'coach = "Sam"', "schema_version = 1"):
        text = edited(anchor, f"{anchor}\ndeep = {'[' * depth}{']' * depth}")
        error = refused(text)
        assert "nested more than 32 levels deep" in error.problem
    parts = ".".join(["k"] * (depth + 1))  # k = {k = ... {k = 1}}: `depth` tables in k
    dotted = edited("my_rating = 5", f"my_rating = 5\n{parts} = 1")
    assert "nested more than 32 levels deep" in refused(dotted).problem


def test_the_largest_nesting_allowed_saves_back():
    text = edited("my_rating = 5", f"my_rating = 5\ndeep = {'[' * 32}{']' * 32}")
    plan = parse_plan(text.encode(), "p.toml")
    assert parse_plan(dumps_plan(plan).encode(), "p.toml") == plan


def test_an_older_schema_with_deep_hand_added_values_is_refused_not_crashed():
    old = (Path(__file__).parent / "fixtures" / "plan-v0.toml").read_text()
    deep = "[" * 399 + "]" * 399
    error = refused(old.replace("schema_version = 0", f"schema_version = 0\ndeep = {deep}"))
    assert "nested more than 32 levels deep" in error.problem


# ------------------------------------------------------- whatever loads, saves and loads

_ESCAPES = {'"': '\\"', "\\": "\\\\"}


def toml_string(text: str) -> str:
    """`text` as a TOML basic string, every control character escaped (as a person would)."""
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


HOSTILE_CHARS = [*"\x00\x07\x1b\x7f\x85\x9b\u2028\u2029\u202e\u2066\n\r\t ", "a", "é"]
small_ints = st.sampled_from(
    [0, 1, 2, 3, -1, 10, 11, 200, 366, 367, 1000, 1001, 1440, 1441, 10**9, 10**9 + 1]
)
int_text = st.one_of(
    small_ints.map(str),
    st.integers(-(2**80), 2**80).map(str),
    st.sampled_from(["9" * 4301, "-" + "9" * 5000, "1" + "_1" * 4400, "0x" + "f" * 200]),
)
date_text = st.one_of(
    st.integers(-400, 800).map(lambda n: (INJURY + timedelta(days=n)).isoformat()),
    st.dates().map(date.isoformat),
    st.sampled_from(["0001-01-01", "9999-12-31", "1969-12-31", "1970-01-01", "2200-12-31"]),
)
datetime_text = st.one_of(
    st.datetimes(timezones=st.none() | st.just(UTC)).map(lambda d: d.isoformat()),
    st.sampled_from(
        [
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59-23:59",
            "1970-01-01T00:00:00+23:59",
            "2200-12-31T23:59:59.999999-12:00",
            "2026-11-21T08:00:00",
        ]
    ),
)
string_text = st.one_of(
    st.text(alphabet=st.sampled_from(HOSTILE_CHARS), max_size=6).map(toml_string),
    st.sampled_from(['""', '" "', '"ice"', '"race"', '"pain"', '"cramp"', '"strain"', '"x"']),
)
other_text = st.sampled_from(
    [
        "true",
        "false",
        "nan",
        "-inf",
        "1e400",
        "-0.0",
        "[]",
        "{}",
        "[1, [2, [3]]]",
        "{a = 1, b = [{c = 2}]}",
        "[{a = 1}, {b = 2}]",
        '{"a\\u0007" = 1, a = 2}',
        '{"\\u0007" = 1}',
        "[" * 33 + "]" * 33,
        "[" * 32 + "]" * 32,
        "08:30:00",
        "12:00:00.5",
    ]
)
value_text = st.one_of(int_text, date_text, datetime_text, string_text, other_text)
KNOWN = sorted(
    store.TOP_KEYS
    | store.PLAN_KEYS
    | store.SAFETY_KEYS
    | store.DAY_KEYS
    | store.GATE_KEYS
    | store.TASK_KEYS
)
key_text = st.one_of(
    st.sampled_from(KNOWN),
    st.sampled_from(["zz", '"a b"', '""', "a.b", "note", "gate.raises"]),
    st.sampled_from(KNOWN).map(lambda k: toml_string(k + "\x07")),
    st.sampled_from(["\x1b", "\u202e", "\x00"]).map(toml_string),
)
BLOCKS = [
    '[[days]]\ndate = 2026-12-14\nphase = "after"',
    '[[days]]\ndate = 2026-12-13\nphase = "after"',
    '[[days.tasks]]\nid = "zz"\ncategory = "custom"\ntitle = "Mine"',
    '[[days.tasks]]\nid = "\\u0007"\ncategory = "ice"\ntitle = "t"',
    "[days.gate]\nraises = 1\nhops = 1\nwalk_min = 1\npassed = false",
    '[plan.safety]\nchecked = 2026-11-21\nflags = ["a\\u0007"]',
    "[extra]\na = 1",
]
LINES = BASE.split("\n")
VALUE_LINES = [i for i, line in enumerate(LINES) if re.match(r"^[A-Za-z_]+ = ", line)]
edit = st.one_of(
    st.tuples(st.just("value"), st.sampled_from(VALUE_LINES), value_text),
    st.tuples(st.just("add"), st.integers(0, len(LINES)), st.tuples(key_text, value_text)),
    st.tuples(st.just("drop"), st.sampled_from(VALUE_LINES), st.none()),
    st.tuples(st.just("block"), st.integers(0, len(LINES)), st.sampled_from(BLOCKS)),
)


def perturbed(edits: list) -> str:
    lines = list(LINES)
    dropped: set[int] = set()
    for kind, index, what in sorted(edits, key=lambda e: -e[1]):  # from the end: indexes hold
        if kind in ("value", "drop") and index in dropped:
            continue  # that line is gone already: a second edit of it has nothing to change
        if kind == "value":
            lines[index] = lines[index].split(" = ", 1)[0] + " = " + what
        elif kind == "add":
            lines.insert(index, f"{what[0]} = {what[1]}")
        elif kind == "drop":
            dropped.add(index)
            del lines[index]
        else:
            lines.insert(index, what)
    return "\n".join(lines)


def load_save_load(data: bytes) -> Plan | None:
    """Parse `data` as a plan; if it loads, save it and load it again, which must work and
    must write the same bytes the second time. None when the first load refused it."""
    try:
        plan = parse_plan(data, "p.toml")
    except PlanError as error:
        message = str(error)
        assert message.startswith("p.toml") and message.isprintable(), message
        return None
    saved = dumps_plan(plan)
    again = parse_plan(saved.encode("utf-8"), "p.toml")
    assert dumps_plan(again) == saved
    return plan


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(edit, min_size=1, max_size=4))
def test_a_hand_edited_file_is_refused_or_saves_and_loads_again(edits):
    load_save_load(perturbed(edits).encode("utf-8"))


TEXT_LINES = [i for i, line in enumerate(LINES) if re.match(r'^[A-Za-z_]+ = "', line)]


@settings(max_examples=200)
@given(st.lists(st.tuples(st.sampled_from(TEXT_LINES), string_text), min_size=1, max_size=4))
def test_hostile_texts_the_loader_accepts_survive_a_save(edits):
    plan = load_save_load(perturbed([("value", i, v) for i, v in edits]).encode("utf-8"))
    if plan is not None:  # every one-line field is one line, and no id or title is empty
        for task in (t for d in plan.days for t in d.tasks):
            assert task.id.strip() and task.title
            assert all(s.isprintable() for s in (task.id, task.title, task.dose, task.why))


byte_edit = st.tuples(
    st.integers(0, len(BASE.encode()) - 1),
    st.sampled_from(["flip", "insert", "delete"]),
    st.binary(min_size=1, max_size=6),
)


@settings(max_examples=300)
@given(st.lists(byte_edit, min_size=1, max_size=6))
def test_nothing_but_plan_error_leaves_the_loader(edits):
    data = bytearray(BASE.encode())
    for at, kind, what in edits:
        at = min(at, len(data))
        if kind == "flip":
            data[at : at + len(what)] = what
        elif kind == "insert":
            data[at:at] = what
        else:
            del data[at : at + len(what)]
    load_save_load(bytes(data))


raw_value = st.one_of(  # what tomli can hand the loader (never None)
    st.booleans(),
    st.integers(-3, 1500) | st.integers(-(2**70), 2**70),
    st.text(alphabet=st.sampled_from(HOSTILE_CHARS), max_size=4),
    st.sampled_from([c.value for c in Category] + ["pain", "travel", "other"]),
    st.datetimes(timezones=st.none() | st.just(UTC)),
    st.dates(),
    st.lists(st.integers(0, 3), max_size=2),
    st.dictionaries(
        st.sampled_from(["a", "a\x07", "custom\x07", "\x1b"]), st.integers(), max_size=2
    ),
)


@settings(max_examples=500)
@given(st.dictionaries(st.sampled_from([*sorted(store.TASK_KEYS), "zz", "id\x07"]), raw_value))
def test_a_task_table_is_refused_by_name_or_reads_back_as_it_loaded(raw):
    day = {"date": INJURY, "phase": "protect", "tasks": [raw]}
    try:
        task_day = codec.day_of(day, 0, Path("p.toml"))
    except PlanError as error:
        assert error.problem.startswith("days[1].tasks[1]"), error.problem
        assert error.problem.isprintable()
        return
    written = __import__("tomli").loads(codec.day_text(task_day))["days"][0]
    assert codec.day_of(written, 0, Path("p.toml")) == task_day


# --------------------------------------------------------------- the CLI, as a runner meets it

HAND_EDITS = {
    "race in 9999": ("race_date = 2026-11-29", "race_date = 9999-12-31", "race_date = "),
    "created in year 1": (
        "created = 2026-11-21 12:00:00+00:00",
        "created = 0001-01-01T00:00:00Z",
        "created = ",
    ),
    "revision of 5000 digits": ("distance = ", f"revision = {LONG}\ndistance = ", "revision = "),
    "bell for an id": ('id = "no-run"', 'id = "\\u0007"', "id = "),
    "race before the injury": ("race_date = 2026-11-29", "race_date = 2026-11-01", "race_date = "),
}


@pytest.mark.parametrize("name", list(HAND_EDITS))
def test_every_command_reports_a_hand_edited_file_in_one_line(tmp_path, name):
    home = tmp_path / "home"
    env = {**os.environ, "PLANNER_HOME": str(home), "PLANNER_TODAY": TODAY.isoformat()}

    def planner(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "planner", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
        )

    made = planner("new", "--injury", "2026-11-20", "--race", "2026-11-29", "--name", "X")
    assert made.returncode == 0, made.stderr
    path = home / "plans" / "x.toml"
    old, new, starts = HAND_EDITS[name]
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    before = path.read_bytes()
    commands = [["show"], ["decide"], ["export", "--format", "ics", "-o", str(tmp_path / "x.ics")]]
    for command in [*commands, ["stats"]]:
        started = time.monotonic()
        result = planner(*command)
        assert time.monotonic() - started < 5.0  # well under 2 s on an idle machine
        assert result.returncode == 1, (command, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr and result.stdout == ""
        lines = result.stderr.splitlines()
        assert len(lines) == 1, lines
        where = re.match(rf"planner: {re.escape(str(path))}:(\d+):(\d+): ", lines[0])
        assert where, lines[0]
        assert line_of(path.read_text(), int(where.group(1))).startswith(starts)
    listed = planner("list")
    assert listed.returncode == 0 and "x.toml: can't be read" in listed.stdout
    assert "Traceback" not in listed.stderr
    assert path.read_bytes() == before  # never overwritten
    with pytest.raises(PlanError):
        Glimpse.read(path, TODAY).complete()
    with pytest.raises(PlanError):
        load_plan(path)
