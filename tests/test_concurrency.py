"""Nothing lost when other programs share the plan: the store's merge, undo, conflicts.

Each test is a way a runner really lost data: a save by another process landing between
our read and our stat, a cached head written over a hand edit, a newer version's file
downgraded, undo wiping another program's entry, an own task dropped after "Saved.", a
plan resurrected after it was archived. Where the bug needs separate processes, the
other side is a real `planner` process.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import tomli

from planner import store
from planner.model import Category, PlanInputs
from planner.ops import AddTask, LogPain, SetDone, new_custom_id
from planner.service import ChangeRefused, PlanSession, create_plan_file
from planner.store import (
    ConflictError,
    PlanFile,
    ReadOnlyError,
    SaveError,
    atomic_write,
    load_plan,
    plan_file,
)
from tests.test_store import forum_plan

TODAY = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 8, 30, tzinfo=UTC)
DAY = date(2026, 11, 22)


@pytest.fixture
def saved(tmp_path) -> Path:
    path = tmp_path / "plans" / "plan.toml"
    path.parent.mkdir(mode=0o700)
    PlanFile.create(path, forum_plan())
    return path


def planner(*args: str, home: Path, today: date = TODAY) -> subprocess.CompletedProcess:
    """Run `planner` as a separate process, the way a runner (or a script) does."""
    env = dict(os.environ, PLANNER_HOME=str(home), PLANNER_TODAY=today.isoformat())
    return subprocess.run(
        [sys.executable, "-m", "planner", *args], capture_output=True, text=True, env=env
    )


def session_for(path: Path) -> PlanSession:
    return PlanSession(PlanFile.open(path), TODAY, lambda: NOW)


def task_ids(path: Path, when: date = DAY) -> list[str]:
    return [t.id for t in load_plan(path).day(when).tasks]


# ------------------------------------------------------------------ the fingerprint


def test_a_save_between_our_read_and_our_check_is_not_lost(saved, monkeypatch):
    """Another process saves while we are still opening the file (after we read the bytes):
    our later save must merge, not pair our old bytes with their new file and write over it."""
    theirs = PlanFile.open(saved)
    theirs.apply(SetDone(DAY, "walk", True, NOW))
    real_loads = tomli.loads
    raced = []

    def loads_after_their_save(text, *args, **kwargs):
        if not raced:
            raced.append(True)
            theirs.save()  # lands after our read, before we finish opening
        return real_loads(text, *args, **kwargs)

    monkeypatch.setattr(tomli, "loads", loads_after_their_save)
    mine = PlanFile.open(saved)
    monkeypatch.setattr(tomli, "loads", real_loads)
    assert raced
    mine.apply(SetDone(DAY, "isometric", True, NOW))
    mine.save()
    day = load_plan(saved).day(DAY)
    assert day.task("walk").done, "their acknowledged tick was written over"
    assert day.task("isometric").done


def test_the_fingerprint_bytes_and_stat_come_from_one_open_file(saved):
    found = store.read_plan_file(saved)
    info = os.stat(saved)
    assert found.data == saved.read_bytes()
    assert (found.size, found.inode, found.mtime_ns) == (
        info.st_size,
        info.st_ino,
        info.st_mtime_ns,
    )


def test_a_change_with_the_same_size_and_time_is_still_seen(saved):
    """Size and mtime can't tell two saves apart; the bytes can."""
    mine = PlanFile.open(saved)
    info = os.stat(saved)
    text = saved.read_bytes()
    hand = text.replace(b"Walk short", b"Walk SHORT", 1)
    assert len(hand) == len(text) and hand != text
    saved.write_bytes(hand)
    os.utime(saved, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert mine.refresh()
    assert any(t.title.startswith("Walk SHORT") for t in mine.plan.days[0].tasks)


# ------------------------------------------------------------------ nothing cached lies


def test_a_hand_edit_to_the_head_survives_the_next_tick(saved):
    """The poll shows the hand edit; the next tick must not put the old head back."""
    mine = PlanFile.open(saved)
    mine.apply(SetDone(DAY, "walk", True, NOW))
    mine.save()
    saved.write_text(saved.read_text().replace('name = "Bristol Half"', 'name = "Bath Half"'))
    assert mine.refresh() and mine.plan.name == "Bath Half"
    mine.apply(SetDone(DAY, "isometric", True, NOW))
    mine.save()
    again = load_plan(saved)
    assert again.name == "Bath Half"
    assert again.day(DAY).task("walk").done and again.day(DAY).task("isometric").done


def test_a_file_a_newer_version_wrote_is_never_downgraded(saved):
    mine = PlanFile.open(saved)
    mine.apply(SetDone(DAY, "walk", True, NOW))
    mine.save()
    newer = saved.read_text().replace("schema_version = 1", "schema_version = 2")
    saved.write_text(newer)  # a newer app wrote it since our last look
    mine.apply(SetDone(DAY, "isometric", True, NOW))
    with pytest.raises(ReadOnlyError, match="newer version"):
        mine.save()
    assert saved.read_text() == newer
    assert mine.unsaved  # our tick is kept in memory


def test_every_save_counts_the_revision_up_from_the_file(saved):
    first, second = PlanFile.open(saved), PlanFile.open(saved)
    assert first.plan.revision == 0
    first.apply(SetDone(DAY, "walk", True, NOW))
    first.save()
    second.apply(SetDone(DAY, "isometric", True, NOW))
    second.save()  # merges with the first's save: counts from the file's revision
    assert load_plan(saved).revision == 2
    assert "revision = 2" in saved.read_text()


def test_every_plan_file_gets_its_own_uid(tmp_path):
    one, two = tmp_path / "a.toml", tmp_path / "b.toml"
    PlanFile.create(one, forum_plan())
    PlanFile.create(two, forum_plan())
    uids = {load_plan(one).uid, load_plan(two).uid}
    assert len(uids) == 2 and all(re.fullmatch(r"[0-9a-f]{16}", u) for u in uids)


# ------------------------------------------------------------------ conflicts are kept


def test_a_change_that_no_longer_fits_is_reported_and_kept(saved):
    session = session_for(saved)
    session.add_task(DAY, "Foam roll", Category.MASSAGE, "2 min")
    own = next(t.id for t in session.plan.day(DAY).tasks if t.custom)
    session.file.apply(SetDone(DAY, own, True, NOW))  # ticked while the save fails...
    text = saved.read_text()
    start = text.index(f'id = "{own}"')
    block_start = text.rindex("[[days.tasks]]", 0, start)
    block_end = text.find("[[days", start)
    saved.write_text(text[:block_start] + text[block_end:])  # ...and removed by hand
    with pytest.raises(ConflictError, match="no longer fits"):
        session.file.save()
    assert session.unsaved
    assert any(own in line for line in session.unsaved_words())
    assert not session.save()
    assert "no longer fits" in session.save_error
    session.file.apply(LogPain(DAY, 2, None))  # later changes still save
    with pytest.raises(ConflictError):
        session.file.save()
    assert load_plan(saved).day(DAY).pain == 2


def test_a_task_added_here_while_another_process_adds_one_keeps_both(saved, monkeypatch):
    session = session_for(saved)

    def failing(*args, **kwargs):
        raise SaveError(f"{saved}: not saved: No space left on device")

    monkeypatch.setattr(plan_file, "atomic_write", failing)
    assert not session.add_task(DAY, "Mine", Category.CUSTOM, "")  # queued, not saved
    monkeypatch.undo()
    result = planner("add", "Theirs", str(saved), "--date", DAY.isoformat(), home=saved.parent)
    assert result.returncode == 0, result.stderr
    assert session.refresh()
    assert session.save()
    titles = [t.title for t in load_plan(saved).day(DAY).tasks if t.custom]
    assert sorted(titles) == ["Mine", "Theirs"]


def test_own_task_ids_are_random_and_free():
    plan = forum_plan()
    day = plan.day(DAY)
    ids = set()
    for number in range(50):
        new_id = new_custom_id(day)
        assert re.fullmatch(r"my-[0-9a-f]{6}", new_id) and new_id not in ids
        AddTask(DAY, new_id, f"Task {number}").apply(plan)
        ids.add(new_id)


# ------------------------------------------------------------------ undo is ours only


def test_undo_of_a_pain_log_leaves_another_programs_later_entry(saved):
    session = session_for(saved)
    session.log_pain(DAY, 3, "stiff")
    result = planner("pain", "5", str(saved), "--date", DAY.isoformat(), home=saved.parent)
    assert result.returncode == 0, result.stderr
    session.refresh()
    with pytest.raises(ChangeRefused, match="changed elsewhere"):
        session.undo()
    assert load_plan(saved).day(DAY).pain == 5


def test_undo_of_our_tick_keeps_their_tick(saved):
    session = session_for(saved)
    session.toggle(DAY, "walk")
    result = planner("tick", "isometric", str(saved), "--date", DAY.isoformat(), home=saved.parent)
    assert result.returncode == 0, result.stderr
    assert session.undo() == "tick of 'Walk short and often'"
    day = load_plan(saved).day(DAY)
    assert not day.task("walk").done and day.task("isometric").done


def test_undo_whose_task_id_was_taken_since_is_refused_not_raised(saved):
    session = session_for(saved)
    session.add_task(DAY, "Mine", Category.CUSTOM, "")
    own = next(t.id for t in session.plan.day(DAY).tasks if t.custom)
    session.delete_task(DAY, own)
    other = PlanFile.open(saved)
    other.apply(AddTask(DAY, own, "Someone else's"))  # the same id, reused elsewhere
    other.save()
    session.refresh()
    with pytest.raises(ChangeRefused, match="not undone"):
        session.undo()
    assert [t.title for t in load_plan(saved).day(DAY).tasks if t.custom] == ["Someone else's"]


# ------------------------------------------------------------------ files come and go


def test_an_archived_plan_is_not_resurrected(saved):
    from planner.paths import archive_plan

    session = session_for(saved)
    archived = archive_plan(saved, saved.parent)
    assert not session.toggle(DAY, "walk")
    assert "gone" in session.save_error and not saved.exists()
    assert load_plan(archived).day(DAY).task("walk").done is False


def test_two_new_plans_with_the_same_name_at_once_both_get_a_file(tmp_path, monkeypatch):
    folder = tmp_path / "plans"
    folder.mkdir(mode=0o700)
    taken = folder / "same.toml"
    real = create_plan_file.__globals__["new_plan_path"]
    calls = []

    def racing(where, name):
        calls.append(name)
        if len(calls) == 1:  # the other program took this name after we picked it
            PlanFile.create(taken, forum_plan())
            return taken
        return real(where, name)

    monkeypatch.setitem(create_plan_file.__globals__, "new_plan_path", racing)
    inputs = PlanInputs(date(2026, 11, 20), date(2026, 11, 29), name="Same")
    made = create_plan_file(inputs, today=TODAY, created=NOW, folder=folder)
    assert made.path.name == "same-2.toml" and taken.exists()


def test_planner_new_in_parallel_processes_takes_the_next_names(tmp_path):
    home = tmp_path / "home"
    args = ["new", "--injury", "2026-11-20", "--race", "2026-11-29", "--name", "Same"]
    env = dict(os.environ, PLANNER_HOME=str(home), PLANNER_TODAY=TODAY.isoformat())
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "planner", *args], env=env, stdout=subprocess.PIPE, stderr=2
        )
        for _ in range(4)
    ]
    codes = [run.wait(timeout=60) for run in runs]
    for run in runs:
        run.stdout.close()
    assert codes == [0, 0, 0, 0]
    names = sorted(p.name for p in (home / "plans").glob("*.toml"))
    assert names == ["same-2.toml", "same-3.toml", "same-4.toml", "same.toml"]


# ------------------------------------------------------------------ leftovers and locks


def test_an_interrupted_save_leaves_no_temp_file(saved, monkeypatch):
    def interrupted(fd):
        raise KeyboardInterrupt

    before = saved.read_bytes()
    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(saved, b"new")
    monkeypatch.undo()
    assert saved.read_bytes() == before
    assert store.leftovers(saved) == []


def test_the_next_command_removes_what_a_killed_save_left(saved):
    for name in (f".{saved.name}.k2j3h4g5.tmp", f".{saved.name}.old.tmp"):
        (saved.parent / name).write_bytes(b"half a plan")
    (saved.parent / "notes.txt.abcdefgh.tmp").write_bytes(b"not ours")
    result = planner("show", str(saved), home=saved.parent)
    assert result.returncode == 0, result.stderr
    assert store.leftovers(saved) == []
    assert (saved.parent / "notes.txt.abcdefgh.tmp").exists()


def test_a_lock_file_we_cant_open_is_named_with_its_owner(saved, monkeypatch):
    import filelock

    monkeypatch.setattr("planner.store.files._lock_folder", saved.parent.parent / "locks")
    side = store.lock_path(saved)
    assert side.parent == saved.parent.parent / "locks"
    if os.geteuid() == 0:
        side.parent.mkdir(exist_ok=True)
        side.touch()
        os.chown(side, 4321, 4321)

    def refused(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(filelock.FileLock, "acquire", refused)
    plan_file = PlanFile.open(saved)
    plan_file.apply(SetDone(DAY, "walk", True, NOW))
    with pytest.raises(SaveError) as caught:
        plan_file.save()
    message = str(caught.value)
    assert str(side) in message and "Permission denied" in message
    if os.geteuid() == 0:
        assert "owned by" in message


def test_a_symlinked_plans_folder_keeps_its_own_mode(tmp_path):
    real = tmp_path / "elsewhere"
    real.mkdir(mode=0o750)
    os.chmod(real, 0o750)
    home = tmp_path / "home"
    home.mkdir()
    (home / "plans").symlink_to(real, target_is_directory=True)
    result = planner("new", "--injury", "2026-11-20", "--race", "2026-11-29", home=home)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(real.stat().st_mode) == 0o750
    assert [stat.S_IMODE(p.stat().st_mode) for p in real.glob("*.toml")] == [0o600]


def test_what_the_command_line_says_changed_is_only_what_it_changed(saved, monkeypatch, capsys):
    """Another program adds a task to a later day while `planner pain` runs: the merge
    keeps it, and the printed changes must not claim it as part of our re-plan."""
    from planner.cli import main

    theirs = PlanFile.open(saved)
    later = date(2026, 11, 27)
    theirs.apply(AddTask(later, "my-theirs", "Their own task"))
    real_loads = tomli.loads
    raced = []

    def loads_after_their_save(text, *args, **kwargs):
        if not raced:
            raced.append(True)
            theirs.save()
        return real_loads(text, *args, **kwargs)

    monkeypatch.setenv("PLANNER_HOME", str(saved.parent.parent / "home"))
    monkeypatch.setenv("PLANNER_TODAY", TODAY.isoformat())
    monkeypatch.setattr(tomli, "loads", loads_after_their_save)
    code = main(["pain", "6", str(saved), "--date", TODAY.isoformat()])
    out = capsys.readouterr().out
    assert code == 0 and raced
    assert "Their own task" not in out and "their own task" not in out
    assert load_plan(saved).day(later).task("my-theirs") is not None
    assert load_plan(saved).day(TODAY).pain == 6
