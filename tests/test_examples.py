"""The example plans in plans/ are exactly what `planner new` makes today; they load."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from planner.cli import main
from planner.store import load_plan

PLANS = Path(__file__).resolve().parent.parent / "plans"
spec = importlib.util.spec_from_file_location("make_examples", PLANS / "make_examples.py")
examples = importlib.util.module_from_spec(spec)
spec.loader.exec_module(examples)


@pytest.mark.parametrize("name", sorted(examples.EXAMPLES))
def test_example_has_not_drifted(name, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PLANNER_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("PLANNER_TODAY", raising=False)
    out = tmp_path / name
    assert main(examples.command(name, out)) == 0, capsys.readouterr().err
    assert same_but_uid(out.read_text(), (PLANS / name).read_text()), (
        f"plans/{name} drifted from what `planner new` makes; run python plans/make_examples.py"
    )


UID = re.compile(r'^uid = "[0-9a-f]{16}"$', re.M)


def same_but_uid(made: str, kept: str) -> bool:
    """Equal texts apart from the random `uid` every new file gets (and both have one)."""
    return UID.search(made) is not None and UID.sub("", made) == UID.sub("", kept)


def test_every_plan_file_in_the_folder_is_an_example_and_loads():
    files = {p.name for p in PLANS.glob("*.toml")}
    assert files == set(examples.EXAMPLES)
    for name in files:
        assert load_plan(PLANS / name).days


def test_seed_scenarios_are_there():
    bristol = load_plan(PLANS / "bristol-half.toml")
    assert (bristol.injury.value, bristol.grade, bristol.distance.value) == ("strain", 1, "half")
    assert (bristol.race_date - bristol.injury_date).days == 9
    assert bristol.muscle == "soleus" and bristol.protocol == 2  # built up, felt like cramp
    sprinter = load_plan(PLANS / "sprinter-cramps.toml")
    assert sprinter.injury.value == "cramp" and sprinter.recurrent
    assert sprinter.distance.value == "sprint"
    marathon = load_plan(PLANS / "spring-marathon.toml")
    assert (marathon.distance.value, marathon.finish_minutes) == ("marathon", 210)


def test_screenshot_script_draws_the_plan_screen(tmp_path):
    import asyncio

    spec = importlib.util.spec_from_file_location("shot", PLANS / "make_screenshot.py")
    shot = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(shot)
    before = (PLANS / "bristol-half.toml").read_bytes()
    target = tmp_path / "screen.svg"
    asyncio.run(shot.shoot(target))
    svg = target.read_text()
    assert svg.startswith("<svg") and "Bristol" in svg and "November" in svg
    assert (PLANS / "bristol-half.toml").read_bytes() == before
