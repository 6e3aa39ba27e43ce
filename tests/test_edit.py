"""Changing a plan's inputs (`planner edit`, planner.edit): whatever the edit, the past days,
ticks, skips, pain logs, notes, gate results and the runner's own tasks stay; the days laid
out again are the ones a new plan with the same inputs and history would have; a bad edit
changes nothing, on disk or in memory."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from msgspec.structs import replace

from planner.cli import main
from planner.edit import holds_runner_entries, plan_edit
from planner.engine import InputError, build_plan
from planner.model import (
    Distance,
    GateResult,
    InjuryKind,
    Muscle,
    Phase,
    PlanInputs,
    Side,
    SkipReason,
)
from planner.ops import AddTask, EditInputs, LogPain, RecordGate, Replan, SetDone, SkipTask
from planner.service import PlanSession
from planner.store import PlanFile, load_plan
from tests.test_adapt import QUICK, check_load_ahead, check_plan, check_safety

NOON = datetime(2026, 1, 1, 12, tzinfo=UTC)
INJURY = date(2026, 11, 20)
MADE = INJURY + timedelta(days=1)


def edited(plan, inputs, today):
    """`plan` edited to `inputs` on `today` as the session does it (a copy), with the Edit."""
    edit = plan_edit(plan, inputs, today)
    after = copy.deepcopy(plan)
    EditInputs(edit.inputs, edit.warning, edit.start).apply(after)
    if edit.start is not None:
        Replan(edit.start, today).apply(after)
    return after, edit


# ------------------------------------------------------------------ strategies


@st.composite
def base_inputs(draw):
    injury = draw(st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 1)))
    span = draw(st.integers(0, 70))
    kind = draw(st.sampled_from(list(InjuryKind)))
    grade = None if kind == InjuryKind.CRAMP else draw(st.sampled_from([1, 2]))
    distance = draw(st.sampled_from(list(Distance)))
    return PlanInputs(
        injury,
        injury + timedelta(days=span),
        kind,
        grade,
        draw(st.sampled_from([None, *Side])),
        distance,
        muscle=None if grade is None else draw(st.sampled_from([None, *Muscle])),
        recurrent=kind == InjuryKind.CRAMP and draw(st.booleans()),
        finish_minutes=draw(st.none() | st.just(QUICK[distance])) if distance in QUICK else None,
    )


def new_inputs(draw, inputs: PlanInputs, today: date) -> PlanInputs:
    """Other inputs for the same injury: any editable input may change, to any value the
    engine may refuse as well as take (a race in the past, grade 3, a sprint's finish)."""
    changes: dict = {}
    if draw(st.booleans()):
        changes["race_date"] = today + timedelta(days=draw(st.integers(-3, 60)))
    if inputs.injury == InjuryKind.STRAIN and draw(st.booleans()):
        changes["grade"] = draw(st.sampled_from([1, 2, 3]))
    if inputs.injury == InjuryKind.STRAIN and draw(st.booleans()):
        changes["muscle"] = draw(st.sampled_from([None, *Muscle]))
    if draw(st.booleans()):
        changes["side"] = draw(st.sampled_from(list(Side)))
    if draw(st.booleans()):
        distance = draw(st.sampled_from(list(Distance)))
        changes["distance"] = distance
        changes["finish_minutes"] = draw(st.none() | st.just(QUICK.get(distance, 30)))
    if draw(st.booleans()):
        changes["name"] = draw(st.sampled_from(["", "Spring 10k", "  two  spaces "]))
    return replace(inputs, **changes)


class Lived:
    """A plan lived up to `today` (made on `made`); shown by its inputs in a report."""

    def __init__(self, plan, today, made, steps):
        self.plan, self.today, self.made, self.steps = plan, today, made, steps

    def __iter__(self):
        return iter((self.plan, self.today, self.made))

    def __repr__(self) -> str:
        inputs, steps = self.plan.inputs, self.steps
        return f"Lived({inputs!r}, today={self.today}, made={self.made}, steps={steps})"


def kept(day):
    """What the runner owns on a day, the tasks by id (a re-laid day may list them in
    another order): an edit must leave all of it as it was."""
    mine = {t.id: t for t in day.tasks if t.done or t.skip is not None or t.custom}
    return day.pain, day.note, day.at_rest, day.gate, day.extra, mine


def skipped_ahead(plan, today) -> bool:
    """Whether a task on a coming day was skipped ahead of time. It stays as the runner left
    it (a run with its minutes, a gate, heel drops) whatever the days around it become, so
    the load, gate and hold checks, which read every run, gate and session on the plan as
    one to do, don't apply to such a plan; the next test checks the days laid out against
    a new plan's instead."""
    return any(t.skip is not None for d in plan.days if d.date > today for t in d.tasks)


@st.composite
def lived_plans(draw, *, only_logs: bool = False):
    """A plan made on one of its first days, lived up to `today`: pain logs, gate tests,
    ticks, skips, notes and tasks of the runner's own (on past and coming days alike),
    each change re-planned as the app does (from the day after it, as of today).
    `only_logs`: pain and gates before today and nothing else of the runner's (the history
    a new plan can be given as well)."""
    inputs = draw(base_inputs())
    made = inputs.injury_date + timedelta(days=draw(st.integers(0, 3)))
    made = min(made, inputs.race_date)
    plan = build_plan(inputs, made)
    today = made + timedelta(days=draw(st.integers(0, 30)))
    today = min(today, plan.last_date + timedelta(days=draw(st.integers(0, 2))))
    steps = []
    for _ in range(draw(st.integers(0, 10))):
        when = plan.first_date + timedelta(days=draw(st.integers(0, len(plan.days) - 1)))
        if only_logs and when >= today:
            continue
        day = plan.day(when)
        kind = draw(
            st.sampled_from(["pain", "gate"] if only_logs else ["pain", "gate", "tick", "skip"])
            | (st.nothing() if only_logs else st.sampled_from(["add", "note"]))
        )
        if kind in ("pain", "gate", "tick", "note") and when > today:
            kind = "skip"  # only a skip or a task of one's own can wait on a coming day
        steps.append((kind, str(when)))
        if kind == "pain":
            LogPain(when, draw(st.integers(0, 10)), at_rest=draw(st.booleans())).apply(plan)
        elif kind == "gate":
            raises = draw(st.integers(10, 30))
            RecordGate(when, GateResult(raises, 10, 30, raises >= 25), NOON).apply(plan)
        elif kind == "tick":
            task = day.tasks[draw(st.integers(0, len(day.tasks) - 1))]
            SetDone(when, task.id, True, NOON).apply(plan)
        elif kind == "skip":
            task = day.tasks[draw(st.integers(0, len(day.tasks) - 1))]
            SkipTask(when, task.id, draw(st.sampled_from(list(SkipReason)))).apply(plan)
        elif kind == "add":
            AddTask(when, f"my-{len(steps)}", "Foam roll", series="rep-1").apply(plan)
        else:
            LogPain(when, None, note="tight after the stairs").apply(plan)
        Replan(when + timedelta(days=1), today).apply(plan)  # as the session re-plans
    return Lived(plan, today, made, steps)


# ------------------------------------------------------------------ properties


@settings(max_examples=300)
@given(st.data())
def test_any_edit_keeps_the_past_and_everything_of_the_runners(data):
    plan, today, _ = data.draw(lived_plans())
    inputs = new_inputs(data.draw, plan.inputs, today)
    before = copy.deepcopy(plan)
    try:
        after, edit = edited(plan, inputs, today)
    except InputError as error:
        event(f"refused: {error.field}")
        assert plan == before  # a refused edit changes nothing
        return
    assert plan == before  # edited on a copy: the check alone changes nothing
    event("re-laid" if edit.start is not None else "name only")
    assert after.inputs == edit.inputs
    for day in before.days:
        new = after.day(day.date)
        if edit.start is None or day.date < edit.start:
            assert new == day  # the past stays exactly as it was
        elif holds_runner_entries(day):
            assert new is not None, day.date  # never dropped
            assert kept(new) == kept(day)  # ticks, skips, logs, notes, gates, own tasks
        elif new is None:  # dropped: only after the start, and only with nothing on it
            assert day.date > edit.start
    if edit.start is None:
        assert after.days == before.days
        return
    check_plan(after, edit.inputs)
    if skipped_ahead(after, today):
        event("a task skipped ahead")
    else:
        check_safety(after, today)
    if after.race_date >= today:  # the warning says what a new plan made today would say
        assert after.warning == build_plan(edit.inputs, today).warning


@settings(max_examples=500)
@given(st.data())
def test_an_edited_plan_lays_out_its_days_as_a_new_plan_with_the_same_history(data):
    """The safety rules hold on an edited plan exactly as on a new plan: with the same
    inputs, made the same day, the same pain logs and gate results, its days from today
    are the same, task for task."""
    plan, today, made = data.draw(lived_plans(only_logs=True))
    inputs = new_inputs(data.draw, plan.inputs, today)
    try:
        after, edit = edited(plan, inputs, today)
    except InputError:
        event("refused")
        return
    if edit.start is None:
        event("name only")
        return
    fresh = build_plan(edit.inputs, made)
    for day in plan.days:  # the same history, logged day by day as the app re-plans
        if day.date < today and (day.pain is not None or day.at_rest or day.gate is not None):
            if fresh.day(day.date) is None:  # a day the old inputs' recovery added
                event("a log on a day the new plan never had")
                return
            LogPain(day.date, day.pain, at_rest=day.at_rest).apply(fresh)
            fresh.day(day.date).gate = day.gate
            Replan(day.date + timedelta(days=1), day.date).apply(fresh)
    Replan(today, today).apply(fresh)
    start = (edit.start - plan.first_date).days
    if len(fresh.days) != len(after.days):
        # A plan never shrinks when it is re-planned: a recovery once laid out longer (a
        # race not started, then started after all) keeps its days. The new plan and the
        # old one took different roads to today; the edit keeps only the days that hold
        # the runner's entries. Their lengths then differ, and so do their last days.
        event("lengths differ")
        return
    event("compared day by day")
    assert after.days[start:] == fresh.days[start:]


@settings(max_examples=100)
@given(st.data())
def test_a_refused_edit_names_an_input(data):
    plan, today, _ = data.draw(lived_plans())
    field = data.draw(st.sampled_from(["injury_date", "injury", "recurrent"]))
    other = {
        "injury_date": plan.injury_date - timedelta(days=1),
        "injury": InjuryKind.CRAMP if plan.injury == InjuryKind.STRAIN else InjuryKind.STRAIN,
        "recurrent": not plan.recurrent,
    }[field]
    with pytest.raises(InputError) as caught:
        plan_edit(plan, replace(plan.inputs, **{field: other}), today)
    assert caught.value.field == field


# ------------------------------------------------------------------ examples


def half(race=date(2026, 12, 20), **more):
    inputs = PlanInputs(INJURY, race, InjuryKind.STRAIN, 1, Side.LEFT, Distance.HALF, **more)
    return build_plan(inputs, MADE)


def test_a_race_moved_earlier_cuts_the_taper_short_and_drops_the_empty_days():
    plan = half()
    today = INJURY + timedelta(days=5)
    after, edit = edited(plan, replace(plan.inputs, race_date=date(2026, 12, 6)), today)
    assert edit.start == today
    assert [d.date for d in after.days if d.phase == Phase.RACE] == [date(2026, 12, 6)]
    assert after.last_date == date(2026, 12, 6) + timedelta(days=14)  # the half's after days
    assert "sooner than the usual return" in after.warning
    # heel drops are never first given within 7 days of the race
    race_week = [d for d in after.days if date(2026, 11, 29) <= d.date < date(2026, 12, 6)]
    assert not any(d.task("heel-drops") for d in race_week)


def test_a_race_moved_earlier_keeps_the_days_that_hold_the_runners_tasks():
    plan = half()
    today = INJURY + timedelta(days=5)
    late = date(2026, 12, 30)
    AddTask(late, "my-1", "Parkrun with the club").apply(plan)
    after, _ = edited(plan, replace(plan.inputs, race_date=date(2026, 12, 6)), today)
    assert after.last_date == late  # kept, as a day after the race, with the task
    assert after.day(late).task("my-1").title == "Parkrun with the club"
    assert after.day(late).phase == Phase.AFTER


def test_a_race_moved_later_adds_days_and_lifts_the_warning():
    plan = half(race=date(2026, 11, 29))
    assert plan.warning
    today = INJURY + timedelta(days=3)
    after, _ = edited(plan, replace(plan.inputs, race_date=date(2027, 1, 31)), today)
    assert after.warning is None
    assert after.last_date == date(2027, 1, 31) + timedelta(days=14)
    check_plan(after, after.inputs)


def test_todays_ticks_and_log_stay_when_today_is_laid_out_again():
    plan = half()
    today = INJURY + timedelta(days=4)
    day = plan.day(today)
    assert day.task("raises-single") and day.task("stretch")
    SetDone(today, "stretch", True, NOON).apply(plan)
    LogPain(today, 2, note="fine").apply(plan)
    ticked = copy.deepcopy(day.task("stretch"))
    after, _ = edited(plan, replace(plan.inputs, grade=2), today)
    new = after.day(today)
    assert new.task(ticked.id) == ticked
    assert (new.pain, new.note) == (2, "fine")
    # the rest of today follows grade 2: no single-leg raises before day 10
    assert new.task("raises-single") is None


def test_the_race_can_not_move_once_it_is_past_but_the_grade_can_be_put_right():
    plan = half(race=date(2026, 11, 29))
    today = date(2026, 12, 2)
    with pytest.raises(InputError) as caught:
        plan_edit(plan, replace(plan.inputs, race_date=date(2026, 12, 20)), today)
    assert caught.value.field == "race_date" and "is past" in caught.value.message
    after, edit = edited(plan, replace(plan.inputs, grade=2), today)
    assert edit.start == today and after.grade == 2
    assert [d.date for d in after.days if d.phase == Phase.RACE] == [date(2026, 11, 29)]
    assert after.warning == plan.warning  # it spoke of the race that was


def test_after_the_plan_ended_only_the_name_changes():
    plan = half(race=date(2026, 11, 29))
    today = plan.last_date + timedelta(days=1)
    with pytest.raises(InputError, match="only its name can change"):
        plan_edit(plan, replace(plan.inputs, side=Side.RIGHT), today)
    after, edit = edited(plan, replace(plan.inputs, name="Bristol, done"), today)
    assert edit.start is None and after.name == "Bristol, done" and after.days == plan.days


def test_a_cramp_gets_no_grade_and_is_told_why():
    inputs = PlanInputs(INJURY, date(2026, 12, 6), InjuryKind.CRAMP, None, None, Distance.K10)
    plan = build_plan(inputs, MADE)
    with pytest.raises(InputError, match="a cramp has no grade; the kind of injury can't"):
        plan_edit(plan, replace(plan.inputs, grade=1), MADE)


SWEEP = [
    (Distance.MARATHON, Distance.MARATHON, 28),  # the race moved a month, mid-taper
    (Distance.HALF, Distance.HALF, -10),
    (Distance.K10, Distance.HALF, 0),  # long runs on other days than the 10k's
    (Distance.K5, Distance.MARATHON, 14),
    (Distance.SPRINT, Distance.K5, 0),  # strides, then easy runs
    (Distance.MARATHON, Distance.K5, -7),
]


@pytest.mark.parametrize(("kind", "grade"), [(InjuryKind.STRAIN, 1), (InjuryKind.CRAMP, None)])
@pytest.mark.parametrize(("was", "now", "moved"), SWEEP)
def test_the_runs_done_bound_the_runs_laid_out_after_an_edit(kind, grade, was, now, moved):
    """The days before an edit were laid out for other inputs: the load rules count the
    runs done as they are on file (a taper's short runs, a 10k's long run on its own day),
    not the ones the new inputs would have laid out there, at the edit and at every re-plan
    after it. No run over 1.3 times the longest of the 30 days before it, no two long runs
    within 7 days."""
    inputs = PlanInputs(INJURY, INJURY + timedelta(days=70), kind, grade, Side.LEFT, was)
    plan = build_plan(inputs, INJURY)
    gate = next(d.date for d in plan.days if d.task("gate"))
    RecordGate(gate, GateResult(30, 10, 30, True), NOON).apply(plan)
    Replan(gate + timedelta(days=1), gate).apply(plan)
    for n in range(gate.toordinal() - INJURY.toordinal() + 2, 70, 4):
        today = INJURY + timedelta(days=n)
        lived = copy.deepcopy(plan)
        for day in lived.days:
            if day.task("run") and day.date < today:
                SetDone(day.date, "run", True, NOON).apply(lived)
        new = replace(inputs, distance=now, race_date=inputs.race_date + timedelta(days=moved))
        try:
            after, _ = edited(lived, new, today)
        except InputError:
            continue
        check_load_ahead(after, today)
        # and still after the next re-plan: a green day logged, the days after it re-laid
        LogPain(today, 1).apply(after)
        Replan(today + timedelta(days=1), today).apply(after)
        check_load_ahead(after, today)


# ------------------------------------------------------------------ the session


@pytest.fixture
def session(tmp_path):
    path = tmp_path / "plan.toml"
    plan = half()
    today = INJURY + timedelta(days=5)
    LogPain(today - timedelta(days=1), 3).apply(plan)
    AddTask(today + timedelta(days=2), "my-1", "Foam roll").apply(plan)
    PlanFile.create(path, plan)
    return PlanSession(PlanFile.open(path), today, lambda: NOON)


def test_the_preview_is_what_the_edit_then_says_and_undo_puts_it_all_back(session):
    before = copy.deepcopy(session.plan)
    file_before = session.file.path.read_bytes()
    edit = session.plan_edit(replace(session.plan.inputs, race_date=date(2026, 12, 6)))
    preview = session.edit_preview(edit)
    assert session.plan == before and session.file.path.read_bytes() == file_before
    assert "Race day: Sun 20 Dec 2026 -> Sun 6 Dec 2026" in preview.head
    assert session.edit_plan(edit)
    assert session.edit_changes == preview
    on_disk = load_plan(session.file.path)
    assert on_disk.race_date == date(2026, 12, 6) and on_disk == session.plan
    assert session.undo() == "change to the plan's race and injury details"
    assert load_plan(session.file.path) == before


def test_an_undo_is_refused_once_the_edited_days_changed(session):
    from planner.service import ChangeRefused

    edit = session.plan_edit(replace(session.plan.inputs, side=Side.RIGHT))
    assert session.edit_plan(edit)
    # the command line ticks a task on a day the edit laid out again: undoing the edit
    # would take that tick's day back to what it was before
    other = PlanSession(PlanFile.open(session.file.path), session.today, lambda: NOON)
    assert other.set_done(session.today, other.plan.day(session.today).tasks[0].id, True)
    assert session.refresh()
    with pytest.raises(ChangeRefused, match="changed elsewhere"):
        session.undo()
    plan = load_plan(session.file.path)
    assert plan.side == Side.RIGHT and plan.day(session.today).tasks[0].done


# ------------------------------------------------------------------ the command line


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def plan_path(home, capsys):
    code, _, err = run(
        capsys, "new", "--injury", "2026-11-20", "--race", "2026-12-20", "--side", "left",
        "--name", "Spring Half", "--finish-time", "1:55",
    )  # fmt: skip
    assert code == 0, err
    return home / "plans" / "spring-half.toml"


def folder(path):
    """Every file of a folder, with its bytes."""
    return {p.name: p.read_bytes() for p in path.iterdir()}


BAD = [
    (["--race", "last week"], "--race: "),
    (["--race", "2026-11-01"], "--race: 2026-11-01 is before the injury"),
    (["--race", "2028-01-01"], "--race: 2028-01-01 is 407 days after the injury"),
    (["--grade", "two"], "--grade: 'two' is not a grade; use 1 or 2"),
    (["--grade", "3"], "--grade: A grade 3 strain"),
    (["--muscle", "hamstring"], "--muscle: 'hamstring' is not a calf muscle"),
    (["--side", "middle"], "--side: 'middle' is not a side; use left, right"),
    (["--distance", "ultra"], "--distance: 'ultra' is not a race distance"),
    (["--finish-time", "soon"], "--finish-time: 'soon' is not a finish time"),
    (["--finish-time", "9:00"], "--finish-time: 540 min is not a half marathon finish time"),
    (["--distance", "sprint", "--finish-time", "0:50"], "--finish-time: a sprint has no"),
    ([], "nothing to change; give --race"),
]


@pytest.mark.parametrize(("args", "said"), BAD, ids=[" ".join(a) or "none" for a, _ in BAD])
def test_a_bad_option_is_one_line_exit_2_and_nothing_changes(plan_path, capsys, args, said):
    before = folder(plan_path.parent)
    code, out, err = run(capsys, "edit", *args)
    assert code == 2
    assert err.startswith(f"planner: {said}"), err
    assert err.count("\n") == 1 and not out and "Traceback" not in err
    assert folder(plan_path.parent) == before


def test_dry_run_prints_the_change_and_writes_nothing(plan_path, capsys):
    before = plan_path.read_bytes()
    code, out, _ = run(capsys, "edit", "--race", "2026-12-06", "--dry-run")
    assert code == 0
    assert out.startswith("Spring Half: not changed (--dry-run). The edit would change:")
    assert "  Race day: Sun 20 Dec 2026 -> Sun 6 Dec 2026" in out
    assert plan_path.read_bytes() == before


def test_edit_changes_the_plan_says_what_and_keeps_the_runners_entries(plan_path, capsys):
    assert run(capsys, "tick", "1", "--today", "2026-11-21")[0] == 0
    assert run(capsys, "pain", "3", "--note", "stiff", "--today", "2026-11-22")[0] == 0
    assert run(capsys, "add", "Foam roll", "--date", "2026-12-10")[0] == 0
    before = load_plan(plan_path)
    code, out, err = run(
        capsys, "edit", "--race", "2026-12-06", "--distance", "10k", "--today", "2026-11-23"
    )
    assert code == 0, err
    assert out.splitlines()[0] == (
        "Spring Half: changed (the days from Mon 23 Nov are laid out again; past days, "
        "ticks, skips, logs, notes and your own tasks are kept). Saved."
    )
    assert "  Distance: half -> 10k" in out
    # the half's finish time doesn't carry over to a 10k
    assert "  Finish time: 1:55 -> not given (the race-day call uses 1:00)" in out
    plan = load_plan(plan_path)
    assert (plan.race_date, plan.distance, plan.finish_minutes) == (
        date(2026, 12, 6),
        Distance.K10,
        None,
    )
    for day in before.days:
        if day.date < date(2026, 11, 23):
            assert plan.day(day.date) == day
    assert plan.day(date(2026, 11, 22)).note == "stiff"
    assert plan.day(date(2026, 12, 10)).task(before.day(date(2026, 12, 10)).tasks[-1].id)


def test_an_edit_that_changes_nothing_says_so_and_writes_nothing(plan_path, capsys):
    before = plan_path.read_bytes()
    code, out, _ = run(capsys, "edit", "--side", "LEFT", "--grade", "1")
    assert code == 0 and out == "Spring Half: nothing to change; the plan has these already.\n"
    assert plan_path.read_bytes() == before


def test_the_injury_date_is_not_an_option_and_help_says_why(capsys):
    with pytest.raises(SystemExit):
        main(["edit", "--help"])
    out = capsys.readouterr().out
    assert "--injury" not in out
    assert "The injury date and the kind of injury can't change" in " ".join(out.split())
    code, _, err = run(capsys, "edit", "--injury", "2026-11-19")
    assert code == 2 and "unrecognized arguments: --injury" in err
