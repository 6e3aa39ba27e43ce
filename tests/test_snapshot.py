"""Snapshots: the first frame's days decoded from what the app kept, exactly as the TOML
has them, and never for bytes they don't stand for."""

from __future__ import annotations

import os
import stat
from datetime import timedelta

import pytest
from hypothesis import given, settings

from planner import snapshot
from planner.glimpse import Glimpse
from planner.ops import SetDone
from planner.store import PlanFile, load_plan, read_plan_bytes
from tests.test_glimpse import INJURY, assert_first_frame, long_plan, plan_cases


def keep(path, folder):
    """What the app does after reading or saving a plan: keep its snapshot."""
    data = read_plan_bytes(path)
    assert snapshot.write(folder, path, data, load_plan(path))


@settings(max_examples=40, deadline=None)
@given(**plan_cases(2))
def test_a_snapshot_holds_the_first_frame_exactly(
    tmp_path_factory, weeks, pains, at_rest, gate, offset
):
    folder = tmp_path_factory.mktemp("s")
    path = folder / "plans" / "plan.toml"
    path.parent.mkdir()
    PlanFile.create(path, long_plan(weeks, pains, at_rest, gate))
    keep(path, folder / "snapshots")
    whole = load_plan(path)
    today = INJURY + timedelta(days=offset)
    glimpse = Glimpse.read(path, today, folder / "snapshots")
    assert glimpse.from_snapshot is not None
    seen = glimpse.plan
    assert glimpse.first_file().partial  # saved only once the TOML is read whole
    assert_first_frame(seen, whole, today)
    if whole.race_date - timedelta(days=1) <= today <= whole.race_date:
        assert seen == whole  # the race-day call weighs every day: all of them decoded
    assert seen.revision == whole.revision
    toml = Glimpse.read(path, today)  # the same days as a glimpse of the TOML, when it has one
    if toml.plan is not None:
        assert seen.days == toml.plan.days
    assert snapshot.matches(seen, glimpse.complete().plan, glimpse.from_snapshot)


@pytest.fixture
def kept(tmp_path):
    path = tmp_path / "plans" / "plan.toml"
    path.parent.mkdir()
    PlanFile.create(path, long_plan(20, {3: 8, 4: 8}, set(), None))
    keep(path, tmp_path / "snapshots")
    return path, tmp_path / "snapshots"


def read(path, folder, days=30):
    return Glimpse.read(path, INJURY + timedelta(days=days), folder)


def test_a_snapshot_is_private_to_the_runner(kept):
    path, folder = kept
    file = snapshot.snapshot_path(folder, path)
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert read(path, folder).from_snapshot is not None


def test_a_file_changed_since_is_read_from_its_toml(kept):
    path, folder = kept
    plan_file = PlanFile.open(path)  # another program (the CLI, say) ticks a task
    day = plan_file.plan.days[30]
    plan_file.apply(SetDone(day.date, day.tasks[0].id, True))
    plan_file.save()
    glimpse = read(path, folder)
    assert glimpse.from_snapshot is None
    assert glimpse.plan.day(day.date).tasks[0].done  # the file as it is now


def test_one_byte_of_difference_is_enough(kept):
    path, folder = kept
    data = bytearray(path.read_bytes())
    at = data.index(b"Long build")
    data[at] = ord("S")  # "Song build": the same length
    path.write_bytes(bytes(data))
    glimpse = read(path, folder)
    assert glimpse.from_snapshot is None
    assert glimpse.plan.name == "Song build"


@pytest.mark.parametrize(
    "damage",
    [
        lambda blob: b"",
        lambda blob: blob[:3],
        lambda blob: blob[: len(blob) // 2],  # its last days cut off
        lambda blob: blob[:4] + b"\xc1" * 40,  # no MessagePack at all
        lambda blob: (10**8).to_bytes(4, "little") + blob[4:],  # a head longer than the file
        lambda blob: blob.replace(snapshot.MADE_BY.encode(), b"0/0.0/0.0", 1),  # another app
        lambda blob: blob[:-50] + b"\xff" * 50,  # the last day garbled
    ],
)
def test_a_damaged_snapshot_is_ignored(kept, damage):
    path, folder = kept
    file = snapshot.snapshot_path(folder, path)
    file.write_bytes(damage(file.read_bytes()))
    whole = load_plan(path)
    glimpse = Glimpse.read(path, whole.last_date, folder)  # the last days are shown
    if glimpse.from_snapshot is not None:  # only where what it decoded is intact
        assert all(day == whole.day(day.date) for day in glimpse.plan.days)
    assert glimpse.complete().plan == whole


def test_a_snapshot_is_read_through_no_link_and_from_no_fifo(kept, tmp_path):
    path, folder = kept
    file = snapshot.snapshot_path(folder, path)
    elsewhere = tmp_path / "elsewhere.msgpack"
    file.rename(elsewhere)
    file.symlink_to(elsewhere)
    assert read(path, folder).from_snapshot is None
    file.unlink()
    os.mkfifo(file)  # would block a plain open: the start must not hang
    assert read(path, folder).from_snapshot is None


def test_a_plan_of_a_newer_app_or_an_older_schema_is_not_kept(kept, tmp_path):
    path, _ = kept
    plan = load_plan(path)
    plan.read_only = True
    assert not snapshot.write(tmp_path / "other", path, read_plan_bytes(path), plan)
    plan.read_only, plan.migrated_from = False, 0
    assert not snapshot.write(tmp_path / "other", path, read_plan_bytes(path), plan)
    assert not (tmp_path / "other").exists()


def test_a_snapshot_of_another_path_stands_for_nothing(kept):
    path, folder = kept
    twin = path.with_name("twin.toml")
    twin.write_bytes(path.read_bytes())  # the same bytes under another name
    assert read(twin, folder).from_snapshot is None


def test_prune_removes_the_snapshots_of_plans_gone_and_any_unreadable(kept, tmp_path):
    path, folder = kept
    other = path.with_name("other.toml")
    PlanFile.create(other, long_plan(10, {}, set(), None))
    keep(other, folder)
    junk = folder / ("0" * 32 + snapshot.SUFFIX)
    junk.write_bytes(b"not a snapshot")
    unrelated = folder / "notes.txt"
    unrelated.write_text("left alone")
    other.rename(tmp_path / "moved.toml")  # archived or deleted: its snapshot must go
    assert snapshot.prune(folder) == 2
    left = sorted(p.name for p in folder.iterdir())
    assert left == sorted([snapshot.snapshot_path(folder, path).name, "notes.txt"])
    snapshot.remove(folder, path)
    assert not snapshot.snapshot_path(folder, path).exists()
    assert snapshot.prune(tmp_path / "no such folder") == 0
