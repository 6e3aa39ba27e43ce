"""Conflict copies of a plan file recognised by name: each sync tool's naming, the plans
they must never be taken for, the copies found beside a plan, the line that describes one."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.conflicts import (
    DROPBOX,
    NEXTCLOUD,
    RESILIO,
    SYNCTHING,
    conflict_copies,
    describe,
    original_name,
    parse,
    split_copies,
)
from planner.paths import slugify

# (copy's file name, original, tool, when, who), one row per naming in each tool's docs.
NAMINGS = [
    (
        "bristol-half.sync-conflict-20261130-140259-ABCDEF7.toml",
        "bristol-half.toml",
        SYNCTHING,
        datetime(2026, 11, 30, 14, 2, 59),
        "ABCDEF7",
    ),
    (  # Syncthing before the device id was added to the name
        "bristol-half.sync-conflict-20161130-140259.toml",
        "bristol-half.toml",
        SYNCTHING,
        datetime(2016, 11, 30, 14, 2, 59),
        None,
    ),
    (
        "bristol-half (conflicted copy 2026-11-30).toml",
        "bristol-half.toml",
        DROPBOX,
        date(2026, 11, 30),
        None,
    ),
    (
        "bristol-half (Ann Lee's conflicted copy 2026-11-30).toml",
        "bristol-half.toml",
        DROPBOX,
        date(2026, 11, 30),
        "Ann Lee",
    ),
    (
        "bristol-half (Ann's conflicted copy 2026-11-30 (1)).toml",
        "bristol-half.toml",
        DROPBOX,
        date(2026, 11, 30),
        "Ann",
    ),
    (
        "bristol-half (Ann\u2019s conflicted copy 2026-11-30).toml",
        "bristol-half.toml",
        DROPBOX,
        date(2026, 11, 30),
        "Ann",
    ),
    (
        "bristol-half (conflicted copy 2026-11-30 140259).toml",
        "bristol-half.toml",
        NEXTCLOUD,
        datetime(2026, 11, 30, 14, 2, 59),
        None,
    ),
    (
        "bristol-half (conflicted copy ann 2026-11-30 140259).toml",
        "bristol-half.toml",
        NEXTCLOUD,
        datetime(2026, 11, 30, 14, 2, 59),
        "ann",
    ),
    (
        "bristol-half_conflict-20261130-140259.toml",
        "bristol-half.toml",
        NEXTCLOUD,
        datetime(2026, 11, 30, 14, 2, 59),
        None,
    ),
    ("bristol-half.Conflict.toml", "bristol-half.toml", RESILIO, None, None),
    ("bristol-half.Conflict2.toml", "bristol-half.toml", RESILIO, None, None),
    (  # a plan file named by hand, with spaces and capitals
        "My Race.sync-conflict-20261130-140259-ZZZZZZZ.toml",
        "My Race.toml",
        SYNCTHING,
        datetime(2026, 11, 30, 14, 2, 59),
        "ZZZZZZZ",
    ),
    (  # digits of the tag's shape that are no date: still a copy, no time
        "bristol-half.sync-conflict-20261399-999999-ABCDEF7.toml",
        "bristol-half.toml",
        SYNCTHING,
        None,
        "ABCDEF7",
    ),
]


@pytest.mark.parametrize(("name", "original", "tool", "when", "who"), NAMINGS)
def test_each_tools_naming_is_recognised(name, original, tool, when, who):
    copy = parse(name)
    assert copy is not None
    assert (copy.original, copy.tool, copy.when, copy.who) == (original, tool, when, who)
    assert original_name(Path("/x") / name) == original


@pytest.mark.parametrize(
    "name",
    [
        "bristol-half.toml",
        "bristol-half-2.toml",  # planner new's second Bristol Half
        "race-conflict.toml",
        "conflicted-copy.toml",
        "bristol-half.toml.bak",
        "bristol-half.sync-conflict-20261130-140259-ABCDEF7.toml.bak",
        ".bristol-half.toml.lock",
        "bristol-half (copy).toml",
        "bristol-half (conflicted copy).toml",  # no date: not what Dropbox writes
        "bristol-half.sync-conflict-2026-11-30.toml",
        ".sync-conflict-20261130-140259-ABCDEF7.toml",  # nothing left of a name
        " (conflicted copy 2026-11-30).toml",
        "notes.sync-conflict-20261130-140259-ABCDEF7.txt",
    ],
)
def test_plans_and_other_files_are_not_copies(name):
    assert parse(name) is None
    assert original_name(Path(name)) is None
    assert describe(Path(name)) is None


def test_a_copy_of_a_copy_is_a_copy_of_the_first_plan():
    name = "bristol-half (conflicted copy 2026-11-29).sync-conflict-20261130-140259-AAAAAAA.toml"
    copy = parse(name)
    assert copy is not None
    assert copy.original == "bristol-half.toml"
    assert copy.tool == SYNCTHING  # the outermost tag: the last made
    assert parse("a.sync-conflict-20261130-140259-B.sync-conflict-20261201-0900000.toml") is None
    assert original_name(
        Path("a.sync-conflict-20261130-140259-B.sync-conflict-20261201-090000-C.toml")
    ) == ("a.toml")


COPY_MAKERS = [
    lambda stem: f"{stem}.sync-conflict-20261130-140259-ABCDEF7.toml",
    lambda stem: f"{stem}.sync-conflict-20261130-140259.toml",
    lambda stem: f"{stem} (conflicted copy 2026-11-30).toml",
    lambda stem: f"{stem} (Ann's conflicted copy 2026-11-30).toml",
    lambda stem: f"{stem} (conflicted copy 2026-11-30 140259).toml",
    lambda stem: f"{stem} (conflicted copy ann 2026-11-30 140259).toml",
    lambda stem: f"{stem}_conflict-20261130-140259.toml",
    lambda stem: f"{stem}.Conflict.toml",
]


@settings(max_examples=150)
@given(st.text(min_size=1, max_size=80), st.sampled_from(COPY_MAKERS))
def test_every_plan_slug_is_never_a_copy_and_each_copy_names_it(name, make_copy):
    slug = slugify(name)
    assert original_name(Path(f"{slug}.toml")) is None
    assert original_name(Path(make_copy(slug))) == f"{slug}.toml"
    # and a copy of that copy, by any tool, still names the plan
    again = make_copy(make_copy(slug)[: -len(".toml")])
    assert original_name(Path(again)) == f"{slug}.toml"


@settings(max_examples=150)
@given(st.text(max_size=60))
def test_any_name_parses_without_error_and_describes_on_one_line(name):
    for candidate in (name, name + ".toml", name + ".sync-conflict-20261130-140259-A.toml"):
        if "/" in candidate or "\0" in candidate:
            continue
        line = describe(Path(candidate))
        if line is not None:  # one line, and no control character (an escape, a bell)
            assert not any(unicodedata.category(char) == "Cc" for char in line)
            assert len(line.splitlines()) == 1


def _touch(path: Path) -> Path:
    path.write_text('name = "x"\n')
    return path


def test_conflict_copies_lists_only_that_plans_copies(tmp_path):
    plan = _touch(tmp_path / "bristol-half.toml")
    other = _touch(tmp_path / "london.toml")
    one = _touch(tmp_path / "bristol-half.sync-conflict-20261130-140259-ABCDEF7.toml")
    two = _touch(tmp_path / "bristol-half (conflicted copy 2026-11-30).toml")
    _touch(tmp_path / "london.sync-conflict-20261130-140259-ABCDEF7.toml")
    _touch(tmp_path / "bristol-half-2.toml")
    (tmp_path / "bristol-half.Conflict.toml").mkdir()  # a folder: never a plan
    (tmp_path / "bristol-half.Conflict1.toml").symlink_to(other)  # a link: refused
    assert conflict_copies(plan) == sorted([one, two])
    assert conflict_copies(tmp_path / "nowhere" / "bristol-half.toml") == []


def test_a_resilio_copy_may_differ_from_the_plan_in_letter_case(tmp_path):
    plan = _touch(tmp_path / "bristol-half.toml")
    copy = _touch(tmp_path / "Bristol-Half.Conflict.toml")
    assert conflict_copies(plan) == [copy]


def test_split_copies_keeps_a_copy_whose_plan_is_gone_among_the_plans():
    folder = Path("/plans")
    plan = folder / "bristol-half.toml"
    copy = folder / "bristol-half.sync-conflict-20261130-140259-ABCDEF7.toml"
    orphan = folder / "london (conflicted copy 2026-11-30).toml"
    plans, copies = split_copies([plan, copy, orphan])
    assert plans == [plan, orphan]
    assert copies == {plan: [copy]}


def test_describe_names_the_tool_the_time_and_who():
    syncthing = Path("bristol-half.sync-conflict-20261130-140259-ABCDEF7.toml")
    assert describe(syncthing) == (
        "conflict copy of bristol-half.toml (Syncthing, 2026-11-30 14:02, device ABCDEF7)"
    )
    assert describe(syncthing, "Bristol Half") == (
        "conflict copy of Bristol Half (Syncthing, 2026-11-30 14:02, device ABCDEF7)"
    )
    dropbox = Path("bristol-half (Ann's conflicted copy 2026-11-30).toml")
    assert describe(dropbox, "Bristol Half") == (
        "conflict copy of Bristol Half (Dropbox, 2026-11-30, by Ann)"
    )
    assert describe(Path("b.Conflict.toml")) == "conflict copy of b.toml (Resilio Sync)"


def test_describe_cleans_what_a_name_holds():
    line = describe(Path("b (Ann\x1b[31m's conflicted copy 2026-11-30).toml"), "Bristol\nHalf")
    assert line == "conflict copy of Bristol Half (Dropbox, 2026-11-30, by Ann[31m)"


# ----------------------------------------------------------- names, list and the note


def _planner(*args: str, home: Path):
    import os
    import subprocess
    import sys

    env = dict(os.environ, PLANNER_HOME=str(home), PLANNER_TODAY="2026-11-24")
    return subprocess.run(
        [sys.executable, "-m", "planner", *args], capture_output=True, text=True, env=env
    )


@pytest.fixture
def synced_home(tmp_path):
    """A home whose plans folder holds Bristol Half and two conflict copies of it."""
    from planner.demo import demo_plan
    from planner.store import PlanFile

    home = tmp_path / "home"
    plans = home / "plans"
    plans.mkdir(parents=True)
    plan = demo_plan(date(2026, 11, 24))
    PlanFile.create(plans / "bristol-half.toml", plan)
    copy = plans / "bristol-half.sync-conflict-20261130-140259-ABCDEF7.toml"
    copy.write_bytes((plans / "bristol-half.toml").read_bytes())
    dropbox = plans / "bristol-half (Ann's conflicted copy 2026-11-30).toml"
    dropbox.write_bytes((plans / "bristol-half.toml").read_bytes())
    return home


def test_a_name_or_no_name_opens_the_plan_never_a_copy(synced_home):
    from planner.paths import find_plan, plans_dir, remember

    plan = plans_dir(synced_home) / "bristol-half.toml"
    assert find_plan(None, synced_home) == plan  # the only plan, though three files
    assert find_plan("bristol-half", synced_home) == plan
    assert find_plan("Bristol Half", synced_home) == plan
    copy = plans_dir(synced_home) / "bristol-half.sync-conflict-20261130-140259-ABCDEF7.toml"
    assert find_plan(str(copy), synced_home) == copy  # its own path opens the copy
    remember(synced_home, copy)  # ...and makes it the last used
    assert find_plan(None, synced_home) == plan  # the next bare command: the plan


def test_a_name_with_only_copies_left_says_so(synced_home):
    from planner.paths import PlanNotFound, find_plan, plans_dir

    (plans_dir(synced_home) / "bristol-half.toml").unlink()
    with pytest.raises(PlanNotFound, match="only conflict copies of it"):
        find_plan("bristol-half", synced_home)
    with pytest.raises(PlanNotFound, match="several plans"):  # two copies: no silent pick
        find_plan(None, synced_home)


def test_list_shows_copies_under_their_plan_with_the_merge_command(synced_home):
    result = _planner("list", home=synced_home)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert sum(", half (race" in line for line in lines) == 1  # one plan line, not three
    copies = [line for line in lines if "conflict copy of Bristol Half" in line]
    assert len(copies) == 2
    assert "(Syncthing, 2026-11-30 14:02, device ABCDEF7)" in copies[1]
    assert "(Dropbox, 2026-11-30, by Ann)" in copies[0]
    plans = synced_home / "plans"
    assert f"planner merge bristol-half {plans}/bristol-half.sync-conflict-" in copies[1]
    assert "planner merge bristol-half '" in copies[0]  # quoted: the name has spaces


def test_show_notes_the_copies_on_stderr_only(synced_home):
    plain = _planner("show", "bristol-half", home=synced_home)
    assert plain.returncode == 0, plain.stderr
    assert "conflict" not in plain.stdout
    (note,) = plain.stderr.splitlines()
    assert "2 conflict copies" in note and "planner merge bristol-half" in note
    copy = synced_home / "plans" / "bristol-half.sync-conflict-20261130-140259-ABCDEF7.toml"
    on_copy = _planner("show", str(copy), home=synced_home)
    assert on_copy.returncode == 0, on_copy.stderr
    (note,) = on_copy.stderr.splitlines()
    assert "is a conflict copy of bristol-half.toml (Syncthing" in note
    for other in synced_home.joinpath("plans").glob("*(*"):
        other.unlink()
    copy.unlink()
    quiet = _planner("show", "bristol-half", home=synced_home)
    assert quiet.returncode == 0 and quiet.stderr == ""


async def test_the_switcher_shows_a_copy_under_its_plan_as_a_conflict_copy(plan_path):
    from textual.widgets import OptionList

    from planner.tui.dialogs.open_plan import OpenPlanDialog
    from tests.test_tui_plan import SIZE, app_for, wait_for

    copy = plan_path.with_name("bristol-half.sync-conflict-20261130-140259-ABCDEF7.toml")
    copy.write_bytes(plan_path.read_bytes())
    app = app_for(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, OpenPlanDialog))
        options = app.screen.query_one("#plans", OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert len(labels) == 2  # the plan, and its copy: not two plans of the same name
        assert labels[0].startswith("Bristol Half")
        said = "conflict copy of Bristol Half · Syncthing, 2026-11-30 14:02, device ABCDEF7"
        assert labels[1].strip().startswith(said)
        assert copy.name in labels[1]
        await pilot.press("down", "enter")  # a copy opens only when picked itself
        await wait_for(pilot, lambda: not isinstance(app.screen, OpenPlanDialog))
        await wait_for(pilot, lambda: app.plan_path == copy)
