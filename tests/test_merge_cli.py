"""planner merge PLAN COPY as a runner meets it: a conflict copy of each sync tool's naming
merged into the plan after a preview, both files kept, `list` no longer showing the copy;
--dry-run, a corrupt copy, another plan and the plan itself change nothing on disk."""

from __future__ import annotations

import copy
import re
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from planner.cli import main
from planner.demo import DEMO_TODAY, demo_plan
from planner.ops import AddTask, LogPain, NoteTask, Replan, SetDone
from planner.store import PlanFile, load_plan

TODAY = DEMO_TODAY  # Tue 24 Nov 2026
YESTERDAY = TODAY - timedelta(days=1)
NINE = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
STAMP = "20261124T120000Z"  # --today pins the clock at noon UTC

COPY_NAMES = {
    "Syncthing": "bristol-half.sync-conflict-20261124-101500-ABCDEFG.toml",
    "Dropbox": "bristol-half (Ann's conflicted copy 2026-11-24).toml",
    "Nextcloud": "bristol-half (conflicted copy 2026-11-24 101500).toml",
    "ownCloud": "bristol-half_conflict-20261124-101500.toml",
    "Resilio": "bristol-half.Conflict.toml",
}


def run(capsys, *args):
    code = main([*args, "--today", TODAY.isoformat()])
    out, err = capsys.readouterr()
    return code, out, err


def files(folder: Path) -> dict[str, bytes]:
    """The folder's files and bytes, but lock files (the app's, wherever they live)."""
    return {
        p.name: p.read_bytes()
        for p in folder.iterdir()
        if p.is_file() and not p.name.endswith(".lock")
    }


@pytest.fixture
def plans(home) -> Path:
    """The plans folder with the demo plan (made on this machine, ticked there today)."""
    folder = home / "plans"
    folder.mkdir(parents=True)
    plan = demo_plan(TODAY)
    SetDone(TODAY, plan.day(TODAY).tasks[0].id, True, NINE).apply(plan)
    PlanFile.create(folder / "bristol-half.toml", plan)
    return folder


def make_copy(plans: Path, name: str = COPY_NAMES["Syncthing"]) -> Path:
    """A conflict copy as the other machine left it: the plan before today's tick, then
    yesterday's pain logged red (and the days re-planned), a note and a task of its own."""
    plan = load_plan(plans / "bristol-half.toml")
    theirs = copy.deepcopy(plan)
    task = theirs.day(TODAY).tasks[0]
    task.done, task.done_at, task.changed_at = False, None, None
    LogPain(YESTERDAY, 6, "sore on the stairs", None, NINE + timedelta(minutes=5)).apply(theirs)
    Replan(TODAY, TODAY).apply(theirs)
    NoteTask(TODAY, theirs.day(TODAY).tasks[1].id, "tight", NINE).apply(theirs)
    AddTask(TODAY, "my-a1b2c3", "Foam roll").apply(theirs)
    path = plans / name
    PlanFile.create(path, theirs)
    return path


@pytest.mark.parametrize("tool", sorted(COPY_NAMES))
def test_a_conflict_copy_of_each_tool_is_merged_and_kept_out_of_the_list(plans, capsys, tool):
    copy_path = make_copy(plans, COPY_NAMES[tool])
    code, out, _ = run(capsys, "list")
    assert code == 0 and "conflict copy of Bristol Half" in out
    before = (plans / "bristol-half.toml").read_bytes()
    ticked = load_plan(plans / "bristol-half.toml").day(TODAY).tasks[0]

    code, out, err = run(capsys, "merge", "bristol-half", str(copy_path))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == f"Merging {copy_path}"
    assert lines[1] == f"   into {plans / 'bristol-half.toml'} (Bristol Half):"
    assert "  Mon 23 Nov: pain 6 (was 3); note: sore on the stairs" in lines
    today_line = next(line for line in lines if line.startswith("  Tue 24 Nov: "))
    assert "note on 'Calf stretches': tight" in today_line
    assert "+ your task 'Foam roll'" in today_line
    assert f"Saved: {plans / 'bristol-half.toml'}" in lines
    kept = plans / f"bristol-half.toml.before-merge-{STAMP}.bak"
    moved = plans / f"{copy_path.name}.merged-{STAMP}.bak"
    assert f"Kept: the plan as it was, as {kept}" in lines
    assert f"Kept: the copy, moved out of the plans list (nothing deleted), as {moved}" in lines

    merged = load_plan(plans / "bristol-half.toml")  # both sides' records, on disk
    assert merged.day(TODAY).task(ticked.id).done
    assert merged.day(YESTERDAY).pain == 6
    assert merged.day(TODAY).task("my-a1b2c3").title == "Foam roll"
    assert kept.read_bytes() == before  # the plan as it was
    assert not copy_path.exists() and load_plan(moved).day(YESTERDAY).pain == 6

    code, out, _ = run(capsys, "list")
    assert "conflict copy" not in out and out.count("Bristol Half") == 1


def test_a_dry_run_says_what_would_change_and_changes_nothing(plans, capsys):
    copy_path = make_copy(plans)
    before = files(plans)
    code, out, err = run(capsys, "merge", "bristol-half", str(copy_path), "--dry-run")
    assert code == 0, err
    assert "  Mon 23 Nov: pain 6 (was 3); note: sore on the stairs" in out
    assert "Dry run: nothing changed." in out
    assert f"bristol-half.toml.before-merge-{STAMP}.bak" in out
    assert files(plans) == before


def test_merging_again_changes_nothing_but_sets_the_copy_aside(plans, capsys):
    copy_path = make_copy(plans)
    assert run(capsys, "merge", "bristol-half", str(copy_path))[0] == 0
    after = (plans / "bristol-half.toml").read_bytes()
    again = plans / "bristol-half.sync-conflict-20261124-111500-ABCDEFG.toml"
    shutil.copy(plans / f"{copy_path.name}.merged-{STAMP}.bak", again)
    code, out, _ = run(capsys, "merge", "bristol-half", str(again))
    assert code == 0
    assert "nothing of the copy is missing from the plan" in out
    assert "Nothing to save" in out
    assert (plans / "bristol-half.toml").read_bytes() == after
    assert not again.exists()


def test_the_copy_may_be_named_as_in_the_list(plans, capsys):
    make_copy(plans, COPY_NAMES["Dropbox"])
    name = COPY_NAMES["Dropbox"].removesuffix(".toml")
    code, out, err = run(capsys, "merge", "bristol-half", name, "--dry-run")
    assert code == 0, err and "pain 6" in out


def test_a_corrupt_copy_is_refused_at_its_line_and_nothing_changes(plans, capsys):
    copy_path = make_copy(plans)
    text = copy_path.read_text().replace("pain = 6", "pain = 60", 1)
    copy_path.write_text(text)
    before = files(plans)
    code, out, err = run(capsys, "merge", "bristol-half", str(copy_path))
    assert code == 1 and out == ""
    match = re.fullmatch(r"planner: (.+):(\d+):(\d+): (.+)\n", err)
    assert match and match[1] == str(copy_path)
    assert text.splitlines()[int(match[2]) - 1] == "pain = 60"
    assert "pain is 60; it must be 0-10" in match[4]
    assert files(plans) == before


def test_another_plan_is_refused_and_nothing_changes(plans, capsys):
    code, _, err = run(
        capsys, "new", "--injury", "2026-11-22", "--race", "2026-12-20", "--name", "Bath Half"
    )
    assert code == 0, err
    before = files(plans)
    code, out, err = run(capsys, "merge", "bristol-half", "bath-half")
    assert code == 2 and out == ""
    assert err.startswith("planner: COPY: not a copy of PLAN: they are two different plans")
    assert err.count("\n") == 1
    assert files(plans) == before


def test_the_plan_itself_is_refused(plans, capsys):
    code, _, err = run(capsys, "merge", "bristol-half", str(plans / "bristol-half.toml"))
    assert code == 2 and "COPY: it is PLAN itself" in err


def test_a_missing_copy_is_a_usage_error(plans, capsys):
    code, _, err = run(capsys, "merge", "bristol-half", "no-such-copy.toml")
    assert code == 2 and err.startswith("planner: COPY: no file no-such-copy.toml")


def test_a_copy_from_a_newer_version_is_refused(plans, capsys):
    copy_path = make_copy(plans)
    copy_path.write_text(copy_path.read_text().replace("schema_version = 1", "schema_version = 2"))
    before = files(plans)
    code, _, err = run(capsys, "merge", "bristol-half", str(copy_path))
    assert code == 1 and "newer version of the app" in err
    assert files(plans) == before


def test_a_tick_saved_by_another_program_during_the_merge_is_kept(plans, capsys, monkeypatch):
    """Between the preview and the save another program ticks a task: the store's lock
    and replay put the merge onto its save, and the output says so."""
    import planner.merge

    copy_path = make_copy(plans)
    path = plans / "bristol-half.toml"
    ours, task_id = (t.id for t in load_plan(path).day(TODAY).tasks[0:3:2])
    keep = planner.merge.keep_plan_before

    def meanwhile(*args):
        other = PlanFile.open(path)
        other.apply(SetDone(TODAY, task_id, True, NINE + timedelta(hours=1)))
        other.save()
        return keep(*args)

    monkeypatch.setattr(planner.merge, "keep_plan_before", meanwhile)
    code, out, err = run(capsys, "merge", "bristol-half", str(copy_path))
    assert code == 0, err
    assert "Another program saved the plan while it was merged" in out
    merged = load_plan(path)
    assert merged.day(TODAY).task(task_id).done  # theirs
    assert merged.day(YESTERDAY).pain == 6  # the copy's
    assert merged.day(TODAY).task(ours).done  # ours


def test_a_merged_history_that_calls_for_a_clinician_says_so(plans, capsys):
    """Each copy logged one red day; together they are two in a row."""
    copy_path = make_copy(plans)  # red on Monday
    plan_file = PlanFile.open(plans / "bristol-half.toml")
    plan_file.apply(LogPain(YESTERDAY - timedelta(days=1), 7, None, None, NINE))  # on Sunday
    plan_file.save()
    code, out, _ = run(capsys, "merge", "bristol-half", str(copy_path))
    assert code == 0
    assert out.splitlines()[-1].startswith("!! ")


def test_the_plan_named_after_its_own_copy_is_refused(plans, capsys):
    """Merged the wrong way round the plan would be set aside and the copy kept."""
    copy_path = make_copy(plans)
    before = files(plans)
    code, _, err = run(capsys, "merge", str(copy_path), "bristol-half")
    assert code == 2
    assert err.startswith(f"planner: PLAN: {copy_path.name} is a conflict copy of COPY")
    assert "planner merge COPY PLAN" in err
    assert files(plans) == before
